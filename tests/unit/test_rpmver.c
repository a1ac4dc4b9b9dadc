/* test_rpmver.c - rpm's version order: a table of classic cases (each
 * checked with librpmio's rpmvercmp() / rpm.vercmp), and every pair in
 * tests/fixtures/unit-rpm/vercmp.tsv, which librpmio itself judged
 * (vercmp-gen.py). RPMVER_PAIRS=FILE checks another such file:
 * tests/e2e/rpm.sh generates fresh pairs there when rpm is installed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/parse/rpmver.h"
#include "lib/util.h"

struct cmp_case {
	const char *a, *b;
	int want;
};

/* rpmvercmp() answers, as librpmio 4.18 gives them. */
static const struct cmp_case vercmp_cases[] = {
    {"1.0", "1.0", 0},
    {"1.0", "2.0", -1},
    {"2.0.1", "2.0", 1},
    {"2.0.1a", "2.0.1", 1},
    {"5.5p1", "5.5p10", -1},
    {"5.5p10", "5.5p1", 1},
    {"10xyz", "10.1xyz", -1},
    {"xyz10", "xyz10.1", -1},
    {"xyz.4", "8", -1},
    {"5.5p2", "5.6p1", -1},
    {"6.0.rc1", "6.0", 1},
    {"10b2", "10a1", 1},
    {"1.0aa", "1.0a", 1},
    {"10.0001", "10.1", 0},
    {"10.0001", "10.0039", -1},
    {"4.999.9", "5.0", -1},
    {"20101121", "20101122", -1},
    {"2_0", "2_0", 0},
    {"2.0", "2_0", 0},
    {"a", "a", 0},
    {"a+", "a_", 0},
    {"+a", "_a", 0},
    {"+_", "_+", 0},
    {"+", "_", 0},
    {"1.0~rc1", "1.0~rc1", 0},
    {"1.0~rc1", "1.0", -1},
    {"1.0~rc1", "1.0~rc2", -1},
    {"1.0~rc1~git123", "1.0~rc1", -1},
    {"1.0^", "1.0", 1},
    {"1.0^git1", "1.0", 1},
    {"1.0^git1", "1.01", -1},
    {"1.0^20160101", "1.0.1", -1},
    {"1.0^20160101^git1", "1.0^20160101", 1},
    {"1.0~rc1^git1", "1.0~rc1", 1},
    {"1.0^git1~pre", "1.0^git1", -1},
    {"1.0^git1", "1.0^git2", -1},
    {"1.0^", "1.0~", 1},
    {"1a", "1.a", 0},					    /* separators only separate */
    {"1", "a", 1},					    /* digits are newer than letters */
    {"é1", "1", 0},					    /* non-ASCII bytes are separators */
    {"0001", "1", 0},					    /* leading zeros do not count */
    {"18446744073709551616000", "18446744073709551615", 1}, /* no overflow */
};

/* rpmverCmp() on rpmverParse()d EVRs. */
static const struct cmp_case evr_cases[] = {
    {"1:1.0-1", "2.0-1", 1},
    {"0:1.0-1", "1.0-1", 0},
    {":1.0-1", "0:1.0-1", 0}, /* empty epoch is 0 */
    {"1.0", "1.0-5", -1},     /* no release is older than any release */
    {"1.0-1.el9", "1.0-1.el9_3", -1},
    {"2:4.18.0-1", "1:9.9-9", 1},
    {"1.0-1-2", "1.0-1-3", -1}, /* the release follows the last '-' */
    {"3.2-1", "3.2~rc1-5", 1},
    {"01:1.0", "1:1.0", 0},
};

static void check(const struct cmp_case *c, size_t n, int evr)
{
	for (size_t i = 0; i < n; i++) {
		const char *a = c[i].a, *b = c[i].b;
		int got = evr ? rpm_evr_cmp_str(a, strlen(a), b, strlen(b))
			      : rpmvercmp_n(a, strlen(a), b, strlen(b));
		int rev = evr ? rpm_evr_cmp_str(b, strlen(b), a, strlen(a))
			      : rpmvercmp_n(b, strlen(b), a, strlen(a));
		if (got != c[i].want || rev != -c[i].want)
			fail_msg("%s vs %s: got %d/%d, want %d", a, b, got, rev, c[i].want);
	}
}

static void test_vercmp_table(void **state)
{
	(void)state;
	check(vercmp_cases, ARRAY_SIZE(vercmp_cases), 0);
}

static void test_evr_table(void **state)
{
	(void)state;
	check(evr_cases, ARRAY_SIZE(evr_cases), 1);
}

static void test_evr_parse(void **state)
{
	(void)state;
	struct rpm_evr e;
	rpm_evr_parse("2:1.0-3.el9", 11, &e);
	assert_int_equal(e.elen, 1);
	assert_memory_equal(e.e, "2", 1);
	assert_int_equal(e.vlen, 3);
	assert_memory_equal(e.v, "1.0", 3);
	assert_int_equal(e.rlen, 5);
	assert_memory_equal(e.r, "3.el9", 5);
	rpm_evr_parse("1.0", 3, &e);
	assert_null(e.e);
	assert_null(e.r);
	assert_int_equal(e.vlen, 3);
	rpm_evr_parse("a:b", 3, &e); /* not an epoch: all version */
	assert_null(e.e);
	assert_int_equal(e.vlen, 3);
}

static void test_nul_and_bounds(void **state)
{
	(void)state;
	/* A NUL ends the string as in C; spans need no terminator. */
	assert_int_equal(rpmvercmp_n("1.0\0zzz", 7, "1.0", 3), 0);
	char big[4096];
	memset(big, '9', sizeof(big));
	assert_int_equal(rpmvercmp_n(big, sizeof(big), big, sizeof(big) - 1), 1);
	assert_int_equal(rpmvercmp_n("", 0, "", 0), 0);
	assert_int_equal(rpmvercmp_n("", 0, "~", 1), 1);
	assert_int_equal(rpmvercmp_n("", 0, "^", 1), -1);
	assert_int_equal(rpmvercmp_n("...", 3, "", 0), 0);
}

/* Lines KIND \t A \t B \t RESULT; returns the number checked. */
static size_t check_file(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		fail_msg("cannot open %s", path);
	char line[4096];
	size_t n = 0, bad = 0;
	while (fgets(line, sizeof(line), f)) {
		char *kind = line, *a = strchr(kind, '\t');
		char *b = a ? strchr(a + 1, '\t') : NULL;
		char *res = b ? strchr(b + 1, '\t') : NULL;
		if (!res)
			fail_msg("%s: bad line %zu", path, n + 1);
		*a++ = *b++ = *res++ = '\0';
		int want = (int)strtol(res, NULL, 10);
		int got = kind[0] == 'e' ? rpm_evr_cmp_str(a, strlen(a), b, strlen(b))
					 : rpmvercmp_n(a, strlen(a), b, strlen(b));
		if (got != want && bad++ < 20)
			print_error("disagree %s: '%s' '%s' rpm %d tenken %d\n", kind, a, b, want,
				    got);
		n++;
	}
	fclose(f);
	if (bad)
		fail_msg("%zu of %zu pairs disagree with rpm", bad, n);
	return n;
}

static void test_rpm_pairs(void **state)
{
	(void)state;
	assert_true(check_file("tests/fixtures/unit-rpm/vercmp.tsv") >= 1000);
	const char *extra = getenv("RPMVER_PAIRS");
	if (extra && *extra)
		print_message("%zu pairs from %s agree with rpm\n", check_file(extra), extra);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vercmp_table), cmocka_unit_test(test_evr_table),
	    cmocka_unit_test(test_evr_parse),	 cmocka_unit_test(test_nul_and_bounds),
	    cmocka_unit_test(test_rpm_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
