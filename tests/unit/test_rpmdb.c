/* test_rpmdb.c - rpm databases and header blobs: the four fixture
 * databases of tests/fixtures/unit-rpm (SQLite written by rpm 4.18, BDB
 * hash little- and big-endian written by db5.3_load and read back by
 * rpm's bdb_ro, BDB with page checksums, NDB) must list exactly what `rpm -qa` printed
 * (expected.txt); then hostile input: truncation at every length, byte
 * flips, overflow-chain cycles, bad NDB checksums, header blobs whose
 * counts and offsets point outside; file lists (rpmhdr_files) of the
 * package rpmbuild made for tests/fixtures/executables-rpm against
 * `rpm -q --dump`, hand-made inconsistent lists, truncations and flips. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/read/rpmdb.h"
#include "probes/parse/rpmhdr.h"
#include "lib/util.h"

#define FIX "tests/fixtures/unit-rpm/"

static unsigned char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	b[n] = '\0';
	*ret_len = (size_t)n;
	return b;
}

struct listing {
	char text[8192];
	size_t len, bad;
};

/* One "name \t [E:]V-R \t arch \t sourcerpm" line per header, as the
 * --qf of make.sh prints it. */
static int collect(void *ud, uint32_t id, const unsigned char *blob, size_t len)
{
	struct listing *l = ud;
	struct rpm_pkg p;
	const char *why;
	(void)id;
	if (rpmhdr_parse(blob, len, &p, &why) < 0) {
		l->bad++;
		return 0;
	}
	char evr[256];
	rpm_pkg_evr(&p, evr, sizeof(evr));
	int n = snprintf(l->text + l->len, sizeof(l->text) - l->len, "%.*s\t%s\t%.*s\t%.*s\n",
			 (int)p.name.len, p.name.s, evr, (int)p.arch.len, p.arch.s,
			 (int)p.sourcerpm.len, p.sourcerpm.s);
	if (n > 0 && (size_t)n < sizeof(l->text) - l->len)
		l->len += (size_t)n;
	return 0;
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the lines of l in place (C locale, as sort(1) with LC_ALL=C). */
static void sort_listing(struct listing *l, char *out, size_t size)
{
	char *lines[64];
	size_t n = 0;
	for (char *s = l->text, *nl; n < 64 && (nl = strchr(s, '\n')); s = nl + 1) {
		*nl = '\0';
		lines[n++] = s;
	}
	qsort(lines, n, sizeof(*lines), cmp_lines);
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, size - used, "%s\n", lines[i]);
}

static void check_db(const char *path, enum rpmdb_format want)
{
	size_t len, elen;
	_cleanup_free_ unsigned char *buf = slurp(path, &len);
	_cleanup_free_ unsigned char *exp = slurp(FIX "expected.txt", &elen);
	assert_int_equal(rpmdb_detect(buf, len), want);
	struct listing l = {0};
	struct rpmdb_stats st;
	assert_int_equal(rpmdb_read(buf, len, collect, &l, &st), 0);
	assert_int_equal(st.bad, 0);
	assert_int_equal(l.bad, 0);
	assert_int_equal(st.blobs, 8);
	char sorted[8192];
	sort_listing(&l, sorted, sizeof(sorted));
	assert_string_equal(sorted, (const char *)exp);
}

static void test_sqlite(void **state)
{
	(void)state;
	check_db(FIX "sqlite/rpmdb.sqlite", RPMDB_SQLITE);
}

static void test_bdb_le(void **state)
{
	(void)state;
	check_db(FIX "bdb/Packages", RPMDB_BDB);
}

static void test_bdb_be(void **state)
{
	(void)state;
	check_db(FIX "bdb-be/Packages", RPMDB_BDB);
}

/* Page checksums move the item offsets 6 bytes further. */
static void test_bdb_chksum(void **state)
{
	(void)state;
	check_db(FIX "bdb-chksum/Packages", RPMDB_BDB);
}

static void test_ndb(void **state)
{
	(void)state;
	check_db(FIX "ndb/Packages.db", RPMDB_NDB);
}

/* Every prefix and many single-byte corruptions of each database: no
 * crash, no hang, never more packages than there are. */
static void hostile_db(const char *path)
{
	size_t len;
	_cleanup_free_ unsigned char *orig = slurp(path, &len);
	_cleanup_free_ unsigned char *buf = malloc(len);
	assert_non_null(buf);
	size_t step = len > 20000 ? len / 2000 : 1;
	for (size_t cut = 0; cut < len; cut += step) {
		memcpy(buf, orig, cut);
		struct listing l = {0};
		struct rpmdb_stats st;
		(void)rpmdb_read(buf, cut, collect, &l, &st);
		assert_true(st.blobs <= 8);
	}
	unsigned seed = 1;
	for (int i = 0; i < 3000; i++) {
		memcpy(buf, orig, len);
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] ^= (unsigned char)(1u << (seed % 8));
		}
		struct listing l = {0};
		struct rpmdb_stats st;
		(void)rpmdb_read(buf, len, collect, &l, &st);
		assert_true(st.blobs <= 8);
	}
}

static void test_hostile(void **state)
{
	(void)state;
	hostile_db(FIX "bdb/Packages");
	hostile_db(FIX "bdb-be/Packages");
	hostile_db(FIX "ndb/Packages.db");
	hostile_db(FIX "sqlite/rpmdb.sqlite");
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* An overflow page pointing at itself: the chain must end (bounded by
 * the page count), the entry counts as bad and the rest is read. */
static void test_bdb_cycle(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *buf = slurp(FIX "bdb/Packages", &len);
	size_t pages = len / 4096, changed = 0;
	for (size_t pg = 1; pg < pages; pg++) {
		unsigned char *p = buf + pg * 4096;
		if (p[25] != 7)
			continue;
		put_le32(p + 16, (uint32_t)pg); /* next = itself */
		p[22] = 1, p[23] = 0;		/* one byte used */
		if (++changed == 2)
			break;
	}
	assert_int_equal(changed, 2);
	struct listing l = {0};
	struct rpmdb_stats st;
	assert_int_equal(rpmdb_read(buf, len, collect, &l, &st), 0);
	assert_int_equal(st.bad, 2);
	assert_int_equal(st.blobs, 6);
	assert_true(st.error[0] != '\0');
}

static void test_ndb_checksum(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *buf = slurp(FIX "ndb/Packages.db", &len);
	buf[4096 + 40] ^= 0x20; /* inside the first blob's header */
	struct listing l = {0};
	struct rpmdb_stats st;
	assert_int_equal(rpmdb_read(buf, len, collect, &l, &st), 0);
	assert_int_equal(st.bad, 1);
	assert_int_equal(st.blobs, 7);
}

static void test_not_a_db(void **state)
{
	(void)state;
	unsigned char junk[4096] = "garbage";
	struct listing l = {0};
	struct rpmdb_stats st;
	assert_int_equal(rpmdb_detect(junk, sizeof(junk)), RPMDB_UNKNOWN);
	assert_int_equal(rpmdb_read(junk, sizeof(junk), collect, &l, &st), -EBADMSG);
	assert_true(st.error[0] != '\0');
	assert_int_equal(rpmdb_read(junk, 0, collect, &l, &st), -EBADMSG);
	assert_string_equal(rpmdb_format_name(RPMDB_NDB), "ndb");
}

/* ---- header blobs ---- */

static void be(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A blob with entries (tag, type, offset, count) over data. */
static size_t make_blob(unsigned char *out, const uint32_t (*ents)[4], size_t n, const void *data,
			size_t dl)
{
	be(out, (uint32_t)n);
	be(out + 4, (uint32_t)dl);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 4; k++)
			be(out + 8 + 16 * i + 4 * (size_t)k, ents[i][k]);
	memcpy(out + 8 + 16 * n, data, dl);
	return 8 + 16 * n + dl;
}

static void test_hdr_cases(void **state)
{
	(void)state;
	static const char data[] = "bash\0"
				   "5.1\0"
				   "6.el9\0"
				   "x86_64\0\0\0\0\0\0\x02";
	unsigned char b[512];
	struct rpm_pkg p;
	const char *why;
	const uint32_t good[][4] = {
	    {1000, 6, 0, 1}, {1001, 6, 5, 1}, {1002, 6, 9, 1}, {1022, 6, 15, 1}, {1003, 4, 24, 1}};
	size_t n = make_blob(b, good, 5, data, sizeof(data) - 1);
	assert_int_equal(rpmhdr_parse(b, n, &p, &why), 0);
	assert_int_equal(p.name.len, 4);
	assert_memory_equal(p.name.s, "bash", 4);
	assert_true(p.has_epoch);
	assert_int_equal(p.epoch, 2);
	char evr[64];
	rpm_pkg_evr(&p, evr, sizeof(evr));
	assert_string_equal(evr, "2:5.1-6.el9");
	/* Truncated at every length: refused, never read past. */
	for (size_t cut = 0; cut < n; cut++) {
		unsigned char *t = malloc(cut ? cut : 1);
		memcpy(t, b, cut);
		assert_int_equal(rpmhdr_parse(t, cut, &p, &why), -EBADMSG);
		assert_non_null(why);
		free(t);
	}
	struct {
		uint32_t ent[4];
		const char *what;
	} bad[] = {
	    {{1000, 6, 27, 1}, "string at the last byte, without its NUL"},
	    {{1000, 6, 0xfffffff0u, 1}, "offset far beyond"},
	    {{1000, 4, 0, 1}, "NAME as an integer"},
	    {{1003, 4, 26, 1}, "epoch not aligned"},
	    {{1003, 4, 28, 1}, "epoch beyond data"},
	    {{1003, 6, 0, 1}, "epoch as a string"},
	    {{1001, 6, 0, 0}, "zero count"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		/* The bad entry comes first: the first occurrence of a tag wins. */
		const uint32_t ents[][4] = {
		    {bad[i].ent[0], bad[i].ent[1], bad[i].ent[2], bad[i].ent[3]}, {1000, 6, 0, 1}};
		n = make_blob(b, ents, 2, data, sizeof(data) - 1);
		if (rpmhdr_parse(b, n, &p, &why) != -EBADMSG)
			fail_msg("accepted: %s", bad[i].what);
	}
	/* Counts beyond the blob and beyond rpm's limits. */
	be(b, 0x10000);
	assert_int_equal(rpmhdr_parse(b, n, &p, &why), -EBADMSG);
	be(b, 1);
	be(b + 4, 0xffffffffu);
	assert_int_equal(rpmhdr_parse(b, n, &p, &why), -EBADMSG);
	/* No NAME at all. */
	const uint32_t noname[][4] = {{1001, 6, 5, 1}};
	n = make_blob(b, noname, 1, data, sizeof(data) - 1);
	assert_int_equal(rpmhdr_parse(b, n, &p, &why), -EBADMSG);
	assert_string_equal(why, "no package name");
}

/* ---- file lists (rpmhdr_files) ---- */

struct flist {
	char text[4096];
	size_t len, files, bad;
	uint32_t algo;
};

/* "PATH DIGEST FLAGS MODE" per file, as rpm -q --dump prints them. */
static int collect_files(void *ud, uint32_t id, const unsigned char *blob, size_t len)
{
	struct flist *l = ud;
	struct rpm_files f;
	struct rpm_file x;
	const char *why;
	(void)id;
	if (rpmhdr_files(blob, len, &f, &why) < 0) {
		l->bad++;
		return 0;
	}
	l->algo = f.algo;
	while (rpm_files_next(&f, &x)) {
		int n = snprintf(l->text + l->len, sizeof(l->text) - l->len,
				 "%.*s%.*s %.*s %u %o\n", (int)x.dir.len, x.dir.s, (int)x.base.len,
				 x.base.s, (int)x.digest.len, x.digest.s, x.flags, x.mode);
		if (n > 0 && (size_t)n < sizeof(l->text) - l->len)
			l->len += (size_t)n;
		l->files++;
	}
	rpm_files_free(&f);
	return 0;
}

#define SHA "26ad6701d148442dfb9c49b4d7b30c9120d8c38d06d2e52d1ff1cfd310a570b0"

/* The package rpmbuild made for tests/fixtures/executables-rpm: what
 * `rpm -q --dump` printed (SHA-256 digests, algo 8, %config flag 1,
 * %ghost flag 64 with an empty digest). */
static void test_files_real(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *buf =
	    slurp("tests/fixtures/executables-rpm/var/lib/rpm/rpmdb.sqlite", &len);
	struct flist l = {0};
	struct rpmdb_stats st;
	assert_int_equal(rpmdb_read(buf, len, collect_files, &l, &st), 0);
	assert_int_equal(l.bad, 0);
	assert_int_equal(l.files, 9);
	assert_int_equal(l.algo, RPM_HASH_SHA256);
	static const char *const want[] = {
	    "/usr/bin/tenken-fixture-conf " SHA " 1 100755\n",
	    "/usr/bin/tenken-fixture-ghost  64 100755\n",
	    "/usr/bin/tenken-fixture-tool " SHA " 0 100755\n",
	    "/usr/bin/tenken-fixture-tool2 " SHA " 0 100755\n",
	    "/usr/lib/.build-id  4096 40755\n" /* %artifact */,
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		if (!strstr(l.text, want[i]))
			fail_msg("missing %s in:\n%s", want[i], l.text);
}

struct blobcopy {
	unsigned char *b;
	size_t len;
};

static int grab(void *ud, uint32_t id, const unsigned char *blob, size_t len)
{
	struct blobcopy *c = ud;
	(void)id;
	c->b = malloc(len);
	assert_non_null(c->b);
	memcpy(c->b, blob, len);
	c->len = len;
	return 0;
}

/* Every truncation and every single-byte flip of a real header: refused
 * or walked without reading outside (ASan build). */
static void test_files_hostile(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *buf =
	    slurp("tests/fixtures/executables-rpm/var/lib/rpm/rpmdb.sqlite", &len);
	struct blobcopy c = {0};
	struct rpmdb_stats st;
	assert_int_equal(rpmdb_read(buf, len, grab, &c, &st), 0);
	assert_non_null(c.b);
	struct flist l;
	size_t ok = 0;
	for (size_t n = 0; n < c.len; n++) {
		unsigned char *t = malloc(n ? n : 1);
		memcpy(t, c.b, n);
		l = (struct flist){0};
		collect_files(&l, 0, t, n);
		ok += l.bad == 0;
		free(t);
	}
	assert_int_equal(ok, 0); /* a truncated blob never passes the counts */
	for (size_t i = 0; i < c.len; i++) {
		c.b[i] ^= 0xff;
		l = (struct flist){0};
		collect_files(&l, 0, c.b, c.len);
		assert_true(l.files <= 9 || l.bad == 0);
		c.b[i] ^= 0xff;
	}
	free(c.b);
}

/* Hand-made file lists over the data below. */
static void test_files_cases(void **state)
{
	(void)state;
	static const unsigned char data[] = {
	    'a',  0,	'b',  0,    '/', 'x', '/', 0, /* basenames, dirname */
	    0,	  0,	0,    0,    0,	 0,   0,   0, /* indexes 0, 0 */
	    0x81, 0xed, 0x41, 0xed,		      /* modes 0100755, 040755 */
	    0,	  0,	0,    0x40, 0,	 0,   0,   1, /* flags ghost, config */
	    0,	  0,	0,    0,
	};
	static const struct {
		const char *what;
		uint32_t ents[6][4];
		size_t n;
		int ret;
		uint32_t count;
	} cases[] = {
	    {"valid", {{1117, 8, 0, 2}, {1118, 8, 4, 1}, {1116, 4, 8, 2}}, 3, 0, 2},
	    {"valid with modes and flags",
	     {{1117, 8, 0, 2},
	      {1118, 8, 4, 1},
	      {1116, 4, 8, 2},
	      {1030, 3, 16, 2},
	      {1037, 4, 20, 2}},
	     5,
	     0,
	     2},
	    {"no basenames: no files", {{1118, 8, 4, 1}}, 1, 0, 0},
	    {"dir index out of range",
	     {{1117, 8, 0, 2}, {1118, 8, 4, 1}, {1116, 4, 12, 2}},
	     3,
	     -EBADMSG,
	     0},
	    {"no dirnames", {{1117, 8, 0, 2}, {1116, 4, 8, 2}}, 2, -EBADMSG, 0},
	    {"index count differs",
	     {{1117, 8, 0, 2}, {1118, 8, 4, 1}, {1116, 4, 8, 1}},
	     3,
	     -EBADMSG,
	     0},
	    {"misaligned indexes",
	     {{1117, 8, 0, 2}, {1118, 8, 4, 1}, {1116, 4, 9, 2}},
	     3,
	     -EBADMSG,
	     0},
	    {"basenames without their NULs",
	     {{1117, 8, 4, 9}, {1118, 8, 4, 1}, {1116, 4, 8, 9}},
	     3,
	     -EBADMSG,
	     0},
	    {"modes past the data",
	     {{1117, 8, 0, 2}, {1118, 8, 4, 1}, {1116, 4, 8, 2}, {1030, 3, 30, 2}},
	     4,
	     -EBADMSG,
	     0},
	    {"digests of the wrong type",
	     {{1117, 8, 0, 2}, {1118, 8, 4, 1}, {1116, 4, 8, 2}, {1035, 6, 0, 2}},
	     4,
	     -EBADMSG,
	     0},
	};
	unsigned char b[512];
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct rpm_files f;
		const char *why;
		size_t n = make_blob(b, cases[i].ents, cases[i].n, data, sizeof(data));
		int r = rpmhdr_files(b, n, &f, &why);
		if (r != cases[i].ret || (r == 0 && f.count != cases[i].count))
			fail_msg("%s: %d count %u", cases[i].what, r, f.count);
		rpm_files_free(&f);
	}
	/* The valid list walks as /x/a and /x/b with mode and flags. */
	size_t n = make_blob(b, cases[1].ents, cases[1].n, data, sizeof(data));
	struct rpm_files f;
	struct rpm_file x;
	const char *why;
	assert_int_equal(rpmhdr_files(b, n, &f, &why), 0);
	assert_int_equal(f.algo, RPM_HASH_MD5);
	assert_true(rpm_files_next(&f, &x));
	assert_int_equal(x.dir.len, 3);
	assert_memory_equal(x.base.s, "a", 2);
	assert_null(x.digest.s);
	assert_int_equal(x.mode, 0100755);
	assert_int_equal(x.flags, RPMFILE_GHOST);
	assert_true(rpm_files_next(&f, &x));
	assert_memory_equal(x.base.s, "b", 2);
	assert_int_equal(x.mode, 040755);
	assert_int_equal(x.flags, RPMFILE_CONFIG);
	assert_false(rpm_files_next(&f, &x));
	rpm_files_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sqlite),	cmocka_unit_test(test_bdb_le),
	    cmocka_unit_test(test_bdb_be),	cmocka_unit_test(test_ndb),
	    cmocka_unit_test(test_bdb_chksum),	cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_bdb_cycle),	cmocka_unit_test(test_ndb_checksum),
	    cmocka_unit_test(test_not_a_db),	cmocka_unit_test(test_hdr_cases),
	    cmocka_unit_test(test_files_real),	cmocka_unit_test(test_files_hostile),
	    cmocka_unit_test(test_files_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
