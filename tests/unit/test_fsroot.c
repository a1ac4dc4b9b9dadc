/* test_fsroot.c - the confined read layer: every escape and hostile-file
 * case, run once with openat2 and once with the userspace walk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "probes/read/fsroot.h"
#include "lib/limits.h"

struct env {
	char top[64]; /* holds root/ and files that must never be read */
	char root[96];
	enum fsroot_mode mode;
	struct fsroot *r;
};

static void put(const char *dir, const char *name, const char *content)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void link_(const char *dir, const char *name, const char *target)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(symlink(target, p), 0);
}

static void mkdir_(const char *dir, const char *name)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state, enum fsroot_mode mode)
{
	struct env *e = calloc(1, sizeof(*e));
	snprintf(e->top, sizeof(e->top), "/tmp/tenken-fsroot-XXXXXX");
	if (!mkdtemp(e->top))
		return -1;
	snprintf(e->root, sizeof(e->root), "%s/root", e->top);
	mkdir(e->root, 0755);
	put(e->top, "secret", "OUTSIDE\n");
	mkdir_(e->root, "etc");
	mkdir_(e->root, "etc/sub");
	put(e->root, "etc/passwd", "root:x:0:0::/root:/bin/bash\n");
	put(e->root, "etc/sub/b.conf", "b\n");
	put(e->root, "etc/sub/a.conf", "a\n");
	put(e->root, "etc/sub/.hidden.conf", "h\n");
	put(e->root, "etc/sub/c.txt", "c\n");
	put(e->root, "secret", "INSIDE\n");
	link_(e->root, "abs", "/etc/passwd");
	link_(e->root, "up", "../secret");
	link_(e->root, "upup", "../../../../../../../../secret");
	link_(e->root, "etc/rel", "../etc/./sub/../passwd");
	link_(e->root, "loop1", "loop2");
	link_(e->root, "loop2", "loop1");
	link_(e->root, "self", "self");
	link_(e->root, "dangling", "/nonexistent");
	link_(e->root, "devzero", "/dev/zero");
	link_(e->root, "procroot", "/proc/self/root/etc/passwd");
	link_(e->root, "absdir", "/etc");
	char fifo[256];
	snprintf(fifo, sizeof(fifo), "%s/etc/fifo.conf", e->root);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	e->mode = mode;
	assert_int_equal(fsroot_open(e->root, mode, &e->r), 0);
	*state = e;
	return 0;
}

static int setup_auto(void **state)
{
	return setup(state, FSROOT_AUTO);
}
static int setup_walk(void **state)
{
	return setup(state, FSROOT_WALK_ONLY);
}

static int teardown(void **state)
{
	struct env *e = *state;
	fsroot_free(e->r);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->top);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static int read_str(struct fsroot *r, const char *path, char *out, size_t size)
{
	struct buf b = {0};
	int res = fsroot_read(r, path, 1 << 20, &b);
	if (res == 0)
		snprintf(out, size, "%s", b.data);
	buf_free(&b);
	return res;
}

static void test_plain_read(void **state)
{
	struct env *e = *state;
	char s[128];
	assert_int_equal(read_str(e->r, "/etc/passwd", s, sizeof(s)), 0);
	assert_string_equal(s, "root:x:0:0::/root:/bin/bash\n");
}

/* Absolute and relative symlinks and ".." all stay inside the root. */
static void test_symlink_escapes(void **state)
{
	struct env *e = *state;
	static const struct {
		const char *path;
		int want;
		const char *content;
	} cases[] = {
	    {"/abs", 0, "root:x:0:0::/root:/bin/bash\n"},
	    {"/up", 0, "INSIDE\n"},
	    {"/upup", 0, "INSIDE\n"},
	    {"/../../../secret", 0, "INSIDE\n"},
	    {"/etc/../../../../secret", 0, "INSIDE\n"},
	    {"/etc/rel", 0, "root:x:0:0::/root:/bin/bash\n"},
	    {"/absdir/passwd", 0, "root:x:0:0::/root:/bin/bash\n"},
	    {"/absdir/../secret", 0, "INSIDE\n"},
	    {"/loop1", -ELOOP, NULL},
	    {"/self", -ELOOP, NULL},
	    {"/dangling", -ENOENT, NULL},
	    {"/devzero", -ENOENT, NULL},
	    {"/procroot", -ENOENT, NULL},
	    {"/etc/passwd/x", -ENOTDIR, NULL},
	    {"/etc", -EISDIR, NULL},
	    {"/etc/fifo.conf", -EINVAL, NULL},
	    {"relative/path", -EINVAL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char s[128] = "";
		int res = read_str(e->r, cases[i].path, s, sizeof(s));
		if (res != cases[i].want)
			fail_msg("mode %d: %s: got %d want %d", e->mode, cases[i].path, res,
				 cases[i].want);
		if (cases[i].content)
			assert_string_equal(s, cases[i].content);
		assert_null(strstr(s, "OUTSIDE"));
	}
}

static void test_stat_and_readlink(void **state)
{
	struct env *e = *state;
	struct stat st;
	assert_int_equal(fsroot_stat(e->r, "/abs", false, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(fsroot_stat(e->r, "/abs", true, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(fsroot_stat(e->r, "/etc/fifo.conf", true, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	char *t = NULL;
	assert_int_equal(fsroot_readlink(e->r, "/up", &t), 0);
	assert_string_equal(t, "../secret");
	free(t);
	assert_int_equal(fsroot_readlink(e->r, "/etc/passwd", &t), -EINVAL);
	assert_int_equal(fsroot_stat(e->r, "/", true, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

/* A huge sparse file is refused by size without being read. */
static void test_size_limit(void **state)
{
	struct env *e = *state;
	char p[256];
	snprintf(p, sizeof(p), "%s/big", e->root);
	int fd = open(p, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)8 << 30), 0);
	close(fd);
	struct buf b = {0};
	assert_int_equal(fsroot_read(e->r, "/big", LIMIT_CONFIG_FILE, &b), -EFBIG);
	assert_null(b.data);
	bool trunc = false;
	assert_int_equal(fsroot_read_tail(e->r, "/big", 4096, &b, &trunc), 0);
	assert_int_equal(b.len, 4096);
	assert_true(trunc);
	buf_free(&b);
}

static void test_nul_crlf_bytes_kept(void **state)
{
	struct env *e = *state;
	char p[256];
	snprintf(p, sizeof(p), "%s/bin.conf", e->root);
	FILE *f = fopen(p, "w");
	fwrite("a\0b\r\n\xff\xfe", 1, 7, f);
	fclose(f);
	struct buf b = {0};
	assert_int_equal(fsroot_read(e->r, "/bin.conf", 100, &b), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "a\0b\r\n\xff\xfe", 7);
	assert_int_equal(b.data[7], '\0');
	buf_free(&b);
}

static void test_list_and_glob(void **state)
{
	struct env *e = *state;
	char **v = NULL;
	size_t n = 0;
	assert_int_equal(fsroot_list(e->r, "/etc/sub", &v, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], ".hidden.conf");
	assert_string_equal(v[1], "a.conf");
	assert_string_equal(v[3], "c.txt");
	strv_free(v);
	assert_int_equal(fsroot_glob(e->r, "/etc/sub/*.conf", &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "/etc/sub/a.conf");
	assert_string_equal(v[1], "/etc/sub/b.conf");
	strv_free(v);
	assert_int_equal(fsroot_glob(e->r, "/absdir/s*/[ab].conf", &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "/absdir/sub/a.conf");
	strv_free(v);
	assert_int_equal(fsroot_glob(e->r, "/nope/*.conf", &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v[0]);
	strv_free(v);
	assert_int_equal(fsroot_glob(e->r, "/etc/passwd", &v, &n), 0);
	assert_int_equal(n, 1);
	strv_free(v);
	assert_int_equal(fsroot_list(e->r, "/loop1", &v, &n), -ELOOP);
	assert_int_equal(fsroot_list(e->r, "/up/..", &v, &n), -ENOTDIR);
}

/* A shared read happens once: later callers get the same bytes even after
 * the file changes, and the same error for a file that could not be read. */
static void test_read_shared(void **state)
{
	struct env *e = *state;
	const struct buf *a = NULL, *b = NULL;
	assert_int_equal(fsroot_read_shared(e->r, "/etc/passwd", 1 << 20, &a), 0);
	put(e->root, "etc/passwd", "changed:x:1:1::/:/bin/sh\n");
	assert_int_equal(fsroot_read_shared(e->r, "/etc/passwd", 1 << 20, &b), 0);
	assert_ptr_equal(a, b);
	assert_string_equal(b->data, "root:x:0:0::/root:/bin/bash\n");
	/* another limit is another read */
	assert_int_equal(fsroot_read_shared(e->r, "/etc/passwd", 4096, &b), 0);
	assert_string_equal(b->data, "changed:x:1:1::/:/bin/sh\n");
	assert_int_equal(fsroot_read_shared(e->r, "/etc/fifo.conf", 1 << 20, &b), -EINVAL);
	assert_int_equal(fsroot_read_shared(e->r, "/etc/fifo.conf", 1 << 20, &b), -EINVAL);
	assert_int_equal(fsroot_read_shared(e->r, "/nope", 1 << 20, &b), -ENOENT);
}

/* The host root: a character device is never read, /proc files (size 0
 * in stat) are read to their end. */
/* A listing longer than one getdents64 buffer, and whole reads of files
 * whose size is known (one read when it comes back short) or not. */
static void test_big_dir_and_files(void **state)
{
	struct env *e = *state;
	char dir[160], name[64];
	snprintf(dir, sizeof(dir), "%s/many", e->root);
	assert_int_equal(mkdir(dir, 0755), 0);
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "entry-with-a-long-name-to-fill-buffers-%05d", i);
		put(dir, name, "x");
	}
	char **v = NULL;
	size_t n = 0;
	assert_int_equal(fsroot_list(e->r, "/many", &v, &n), 0);
	assert_int_equal(n, 3000);
	assert_string_equal(v[0], "entry-with-a-long-name-to-fill-buffers-00000");
	assert_string_equal(v[2999], "entry-with-a-long-name-to-fill-buffers-02999");
	strv_free(v);
	static char big[200001];
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	put(e->root, "big", big);
	struct buf b = {0};
	assert_int_equal(fsroot_read(e->r, "/big", 1 << 20, &b), 0);
	assert_int_equal(b.len, sizeof(big) - 1);
	assert_memory_equal(b.data, big, b.len);
	buf_free(&b);
	assert_int_equal(fsroot_read(e->r, "/big", 1000, &b), -EFBIG);
	bool trunc = false;
	assert_int_equal(fsroot_read_tail(e->r, "/big", 1000, &b, &trunc), 0);
	assert_true(trunc);
	assert_int_equal(b.len, 1000);
	assert_memory_equal(b.data, big + sizeof(big) - 1 - 1000, 1000);
	buf_free(&b);
	int fd = -1;
	struct stat st;
	assert_int_equal(fsroot_open_file(e->r, "/big", &fd, &st), 0);
	assert_int_equal(st.st_size, sizeof(big) - 1);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	close(fd);
}

static void test_host_root_devices(void **state)
{
	(void)state;
	struct fsroot *r = NULL;
	assert_int_equal(fsroot_open("/", FSROOT_AUTO, &r), 0);
	assert_true(fsroot_is_host(r));
	struct buf b = {0};
	assert_int_equal(fsroot_read(r, "/dev/zero", 1 << 20, &b), -EINVAL);
	assert_int_equal(fsroot_read(r, "/dev/null", 1 << 20, &b), -EINVAL);
	if (fsroot_read(r, "/proc/self/status", 1 << 20, &b) == 0) {
		assert_true(b.len > 0);
		assert_non_null(strstr(b.data, "Name:"));
		/* stat size 0: read until read(2) returns 0, to the last lines */
		assert_non_null(strstr(b.data, "voluntary_ctxt_switches"));
		buf_free(&b);
	}
	/* /proc/self/root is a magic link: refused or resolved inside the root. */
	int res = fsroot_read(r, "/proc/self/root/etc/hostname", 1 << 20, &b);
	assert_true(res == 0 || res == -ELOOP || res == -ENOENT || res == -EXDEV);
	buf_free(&b);
	fsroot_free(r);
}

static void test_open_missing_root(void **state)
{
	(void)state;
	struct fsroot *r = NULL;
	assert_int_equal(fsroot_open("/nonexistent-tenken-root", FSROOT_AUTO, &r), -ENOENT);
	assert_int_equal(fsroot_open("/etc/hostname", FSROOT_AUTO, &r) < 0, 1);
}

#define BOTH(t)                                                                                    \
	cmocka_unit_test_setup_teardown(t, setup_auto, teardown),                                  \
	    cmocka_unit_test_setup_teardown(t, setup_walk, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    BOTH(test_plain_read),
	    BOTH(test_symlink_escapes),
	    BOTH(test_stat_and_readlink),
	    BOTH(test_size_limit),
	    BOTH(test_nul_crlf_bytes_kept),
	    BOTH(test_list_and_glob),
	    BOTH(test_read_shared),
	    BOTH(test_big_dir_and_files),
	    cmocka_unit_test(test_host_root_devices),
	    cmocka_unit_test(test_open_missing_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
