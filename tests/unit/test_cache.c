/* test_cache.c - the --cache-dir store (scanner/cache.c): an item is
 * served only while every input is unchanged, a file changed after the
 * scan's start is never stored, the file is checked (format, tool, root,
 * SHA-256) before anything in it is trusted, and an unsafe directory is
 * refused. Inputs come from a fake stat function, so the test controls
 * every field of the fingerprint. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "scanner/cache.h"
#include "lib/util.h"

/* Two fake files: "/a" and "/b"; "/missing" is ENOENT. */
static struct stat fake_a, fake_b;

static int fake_stat(void *ud, const char *path, struct stat *st)
{
	(void)ud;
	if (strcmp(path, "/a") == 0)
		*st = fake_a;
	else if (strcmp(path, "/b") == 0)
		*st = fake_b;
	else
		return -ENOENT;
	return 0;
}

/* The same, with "/missing" present too. */
static int fake_stat_all(void *ud, const char *path, struct stat *st)
{
	if (strcmp(path, "/missing") == 0) {
		*st = fake_a;
		st->st_ino = 102;
		return 0;
	}
	return fake_stat(ud, path, st);
}

static void fake_init(void)
{
	memset(&fake_a, 0, sizeof(fake_a));
	fake_a.st_dev = 8;
	fake_a.st_ino = 100;
	fake_a.st_size = 42;
	fake_a.st_mode = S_IFREG | 0644;
	fake_a.st_mtim.tv_sec = 1000000;
	fake_a.st_ctim.tv_sec = 1000000;
	fake_b = fake_a;
	fake_b.st_ino = 101;
}

static struct cache *open_bound(const char *dir)
{
	struct cache *c = NULL;
	struct cache_msg m, w;
	assert_int_equal(cache_open(dir, "/", &c, &m, &w), 0);
	assert_string_equal(w.en, "");
	cache_bind(c, fake_stat, NULL);
	return c;
}

static void save_free(struct cache *c)
{
	struct cache_msg m;
	assert_int_equal(cache_save(c, &m), 0);
	cache_free(c);
}

static void test_fingerprint(void **state)
{
	(void)state;
	char fp[128];
	fake_init();
	fake_a.st_mtim.tv_nsec = 5;
	cache_fingerprint(0, &fake_a, fp);
	assert_string_equal(fp, "8:64:42:100644:1000000.000000005:1000000.000000000");
	cache_fingerprint(-ENOENT, NULL, fp);
	assert_string_equal(fp, "E2");
}

static void test_serve_and_invalidate(void **state)
{
	(void)state;
	char dir[] = "/tmp/tenken-cache-XXXXXX";
	assert_non_null(mkdtemp(dir));
	fake_init();
	const char *in[] = {"/a", "/b", "/missing", NULL};

	struct cache *c = open_bound(dir);
	assert_null(cache_get(c, "k"));
	cache_put(c, "k", in, json_pack("{s:i}", "x", 1));
	save_free(c);

	c = open_bound(dir); /* unchanged: served */
	json_t *v = cache_get(c, "k");
	assert_non_null(v);
	assert_int_equal(json_integer_value(json_object_get(v, "x")), 1);
	save_free(c);

	/* Every field of every input counts, and so does an absent file
	 * appearing. */
	struct {
		struct stat *st;
		size_t off;
	} fields[] = {
	    {&fake_a, offsetof(struct stat, st_dev)},
	    {&fake_a, offsetof(struct stat, st_ino)},
	    {&fake_b, offsetof(struct stat, st_size)},
	    {&fake_b, offsetof(struct stat, st_mode)},
	    {&fake_b, offsetof(struct stat, st_mtim.tv_nsec)},
	    {&fake_a, offsetof(struct stat, st_ctim.tv_nsec)},
	};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		fake_init();
		c = open_bound(dir);
		cache_put(c, "k", in, json_pack("{s:i}", "x", 1));
		save_free(c);
		c = open_bound(dir);
		assert_non_null(cache_get(c, "k"));
		save_free(c);
		char *field = (char *)fields[i].st + fields[i].off;
		if (fields[i].off == offsetof(struct stat, st_mode))
			*(mode_t *)field ^= 0002;
		else
			*(long *)field += 1; /* dev, ino, size, tv_nsec: long-sized */
		c = open_bound(dir);
		assert_null(cache_get(c, "k"));
		cache_free(c);
	}
	fake_init(); /* a file that was absent appears */
	c = open_bound(dir);
	cache_put(c, "k", in, json_pack("{s:i}", "x", 1));
	save_free(c);
	c = open_bound(dir);
	cache_bind(c, fake_stat_all, NULL);
	assert_null(cache_get(c, "k"));
	cache_free(c);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_racy_not_stored(void **state)
{
	(void)state;
	char dir[] = "/tmp/tenken-cache-XXXXXX";
	assert_non_null(mkdtemp(dir));
	fake_init();
	fake_b.st_ctim.tv_sec = time(NULL) + 1; /* changed after the scan's start */
	const char *in[] = {"/a", "/b", NULL};
	struct cache *c = open_bound(dir);
	cache_put(c, "k", in, json_string("v"));
	unsigned hits, misses, stored;
	cache_counts(c, &hits, &misses, &stored);
	assert_int_equal(stored, 0);
	save_free(c);
	c = open_bound(dir);
	assert_null(cache_get(c, "k"));
	cache_free(c);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_parse_checks(void **state)
{
	(void)state;
	static const char body[] = "{\"tool\":\"" TENKEN_VERSION "\",\"root\":\"/\",\"items\":{}}";
	static const char empty_sha[] =
	    "5f2d5c8f2d1f1a0b0e6c1f0a8f8b1d6f0f0e8d7c6b5a49382716050403020100"; /* not its hash */
	json_t *items = NULL;
	size_t off, len;
	assert_int_equal(cache_parse("", 0, "/", &items, &off, &len), -EBADMSG);
	assert_int_equal(cache_parse("garbage\n{}", 10, "/", &items, &off, &len), -EBADMSG);
	char file[512];
	int n = snprintf(file, sizeof(file), "tenken-cache %d %s %zu 0\n%s", CACHE_FORMAT,
			 empty_sha, strlen(body), body);
	assert_int_equal(cache_parse(file, (size_t)n, "/", &items, &off, &len), -EBADMSG);
	n = snprintf(file, sizeof(file), "tenken-cache 999 %s %zu\n%s", empty_sha, strlen(body),
		     body);
	assert_int_equal(cache_parse(file, (size_t)n, "/", &items, &off, &len), -ESTALE);
}

static void test_file_round_trip_and_corruption(void **state)
{
	(void)state;
	char dir[] = "/tmp/tenken-cache-XXXXXX", path[128];
	assert_non_null(mkdtemp(dir));
	fake_init();
	const char *in[] = {"/a", NULL};
	struct cache *c = open_bound(dir);
	cache_put(c, "k", in, json_string("v"));
	cache_put_blob(c, "b", in, "\0binary\n", 8);
	save_free(c);
	/* binary items survive a scan that uses them, at their new place */
	for (int round = 0; round < 2; round++) {
		size_t bl = 0;
		c = open_bound(dir);
		const char *bv = cache_get_blob(c, "b", &bl);
		assert_non_null(bv);
		assert_int_equal(bl, 8);
		assert_memory_equal(bv, "\0binary\n", 8);
		assert_non_null(cache_get(c, "k"));
		save_free(c);
	}
	/* Another root has its own file; this one is found and parsed. */
	struct cache *o = NULL;
	struct cache_msg m, w;
	assert_int_equal(cache_open(dir, "/mnt/image", &o, &m, &w), 0);
	cache_bind(o, fake_stat, NULL);
	assert_null(cache_get(o, "k"));
	cache_free(o);
	/* Flip one byte of the body: ignored with a message, never trusted. */
	snprintf(path, sizeof(path), "%s/scan-*.cache", dir);
	char cmd[300];
	snprintf(cmd, sizeof(cmd),
		 "f=$(ls %s) && printf 'Z' | dd of=\"$f\" bs=1 seek=120 conv=notrunc 2>/dev/null",
		 path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(cache_open(dir, "/", &c, &m, &w), 0);
	assert_non_null(strstr(w.en, "corrupt"));
	assert_non_null(strstr(w.ja, "壊れています"));
	cache_bind(c, fake_stat, NULL);
	assert_null(cache_get(c, "k"));
	cache_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_unsafe_dirs(void **state)
{
	(void)state;
	char top[] = "/tmp/tenken-cache-XXXXXX", d[128];
	assert_non_null(mkdtemp(top));
	struct cache *c = NULL;
	struct cache_msg m, w;
	snprintf(d, sizeof(d), "%s/ww", top);
	assert_int_equal(mkdir(d, 0700), 0);
	assert_int_equal(chmod(d, 0707), 0);
	assert_int_equal(cache_open(d, "/", &c, &m, &w), -EPERM);
	assert_non_null(strstr(m.en, "refused"));
	assert_int_equal(chmod(d, 0770), 0);
	assert_int_equal(cache_open(d, "/", &c, &m, &w), -EPERM);
	snprintf(d, sizeof(d), "%s/ww/below", top);
	assert_int_equal(cache_open(d, "/", &c, &m, &w), -EPERM);
	assert_non_null(strstr(m.en, "directory above"));
	struct stat st;
	assert_int_equal(stat(d, &st), -1); /* nothing made there */
	snprintf(d, sizeof(d), "%s/ok", top);
	assert_int_equal(cache_open(d, "/", &c, &m, &w), 0);
	assert_int_equal(stat(d, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	cache_free(c);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fingerprint),
	    cmocka_unit_test(test_serve_and_invalidate),
	    cmocka_unit_test(test_racy_not_stored),
	    cmocka_unit_test(test_parse_checks),
	    cmocka_unit_test(test_file_round_trip_and_corruption),
	    cmocka_unit_test(test_unsafe_dirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
