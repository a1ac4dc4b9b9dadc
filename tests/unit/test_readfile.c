/* test_readfile.c - a user-named file read whole with a cap: exactly the
 * cap is read, one byte more is refused, a FIFO and a directory are
 * refused without blocking, a missing file says so, and the messages
 * name the file and the cap in both languages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "lib/readfile.h"
#include "lib/util.h"

struct env {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	snprintf(e->dir, sizeof(e->dir), "/tmp/tenken-readfile-XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	snprintf(e->path, sizeof(e->path), "%s/f", e->dir);
	FILE *f = fopen(e->path, "w");
	if (!f)
		return -1;
	fputs("0123456789", f);
	fclose(f);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static void test_cap(void **state)
{
	struct env *e = *state;
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(readfile(e->path, 10, &buf, &len), 0);
	assert_int_equal(len, 10);
	assert_string_equal(buf, "0123456789");
	free(buf);
	buf = NULL;
	assert_int_equal(readfile(e->path, 9, &buf, &len), -EFBIG);
	assert_null(buf);
}

static void test_empty(void **state)
{
	struct env *e = *state;
	char p[160], *buf = NULL;
	size_t len = 1;
	snprintf(p, sizeof(p), "%s/empty", e->dir);
	fclose(fopen(p, "w"));
	assert_int_equal(readfile(p, 10, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
}

/* Neither a FIFO (no writer: a blocking open would hang) nor a directory
 * is read. */
static void test_not_regular(void **state)
{
	struct env *e = *state;
	char p[160], *buf = NULL;
	size_t len = 0;
	snprintf(p, sizeof(p), "%s/fifo", e->dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(readfile(p, 10, &buf, &len), -EINVAL);
	assert_int_equal(readfile(e->dir, 10, &buf, &len), -EINVAL);
	snprintf(p, sizeof(p), "%s/none", e->dir);
	assert_int_equal(readfile(p, 10, &buf, &len), -ENOENT);
	assert_null(buf);
}

static void test_messages(void **state)
{
	char ja[256], en[256];
	readfile_error("/x/r.json", -EFBIG, 1024u << 20, ja, sizeof(ja), en, sizeof(en));
	assert_string_equal(en, "cannot read /x/r.json: larger than the limit of 1024 MiB");
	assert_string_equal(ja, "/x/r.json を読めません: 上限 1024 MiB を超えています");
	readfile_error("/x/r.json", -EFBIG, 1000, ja, sizeof(ja), en, sizeof(en));
	assert_string_equal(en, "cannot read /x/r.json: larger than the limit of 1000 bytes");
	assert_string_equal(ja, "/x/r.json を読めません: 上限 1000 バイト を超えています");
	readfile_error("/x/fifo", -EINVAL, 10, ja, sizeof(ja), en, sizeof(en));
	assert_string_equal(en, "cannot read /x/fifo: not a regular file");
	assert_non_null(strstr(ja, "/x/fifo"));
	readfile_error("/x/none", -ENOENT, 10, ja, sizeof(ja), en, sizeof(en));
	assert_string_equal(en, "cannot read /x/none: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_regular, setup, teardown),
	    cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
