/* test_debver.c - dpkg version syntax and order: tables of pairs whose
 * answers were taken from `dpkg --compare-versions` (dpkg 1.21), and the
 * parse outcomes dpkg gives (accept, warn, reject). The exhaustive check
 * against dpkg itself over the machine's lists is tests/e2e/packages.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "probes/parse/debver.h"
#include "lib/util.h"

struct cmp_case {
	const char *a, *b;
	int want; /* -1, 0, 1 */
};

/* Every answer here was checked with `dpkg --compare-versions A lt/eq/gt B`. */
static const struct cmp_case cmp_cases[] = {
    {"1.0", "1.0", 0},
    {"1.0", "1.1", -1},
    {"1.10", "1.9", 1},
    {"1.0~rc1", "1.0", -1},
    {"1.0~rc1", "1.0~rc2", -1},
    {"1.0~~", "1.0~", -1},
    {"1.0~", "1.0", -1},
    {"1.0", "1.0+b1", -1},
    {"1.0", "1.0.0", -1},
    {"1.0a", "1.0", 1},
    {"1.0a", "1.0+", -1}, /* letters before other characters */
    {"1.0a", "1.0.", -1},
    {"1.0-1", "1.0-2", -1},
    {"1.0-1", "1.0", 1},
    {"1.0-0", "1.0", 0}, /* revision "0" equals no revision */
    {"1:0.1", "2.0", 1},
    {"0:1.0", "1.0", 0},
    {"1:1.0", "2:0.1", -1},
    {"001", "1", 0},
    {"1.001", "1.1", 0},
    {"1.0-1ubuntu1", "1.0-1", 1},
    {"2.36-9+deb12u4", "2.36-9+deb12u10", -1},
    {"7.88.1-10+deb12u14", "7.88.1-10+deb12u15", -1},
    {"20230311+deb12u1", "20250419~deb12u2", -1},
    {"5.2.15-2+b8", "5.2.15-2+b13", -1},
    {"1.2.3-4-5", "1.2.3-4-6", -1}, /* the revision is after the last hyphen */
    {"1.2.3-4-5", "1.2.3-5", 1},    /* upstream "1.2.3-4" > "1.2.3" */
    {"a", "b", -1},		    /* dpkg warns but compares */
    {"1:1.0-1", "1:1.0-1~bpo1", 1},
    {"99999999999999999999", "99999999999999999998", 1},
    {"1.0.0000000000000000000001", "1.0.1", 0},
    {"3.0-1~", "3.0-1", -1},
    {"1.0+dfsg", "1.0-1", 1},
    {"2:1", "10:0", -1},
};

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_cmp_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(cmp_cases); i++) {
		const struct cmp_case *c = &cmp_cases[i];
		print_message("%s vs %s\n", c->a, c->b);
		assert_int_equal(sign(debver_cmp_str(c->a, c->b)), c->want);
		assert_int_equal(sign(debver_cmp_str(c->b, c->a)), -c->want);
	}
}

struct parse_case {
	const char *in;
	int want; /* 0 valid, 1 warning, -EINVAL rejected */
	unsigned long epoch;
	const char *upstream, *revision;
};

static const struct parse_case parse_cases[] = {
    {"1.0", 0, 0, "1.0", ""},
    {"1:2.3-4", 0, 1, "2.3", "4"},
    {"  1.0-1\t", 0, 0, "1.0", "1"},
    {"1.0-1-2", 0, 0, "1.0-1", "2"},
    {"1:2:3", 0, 1, "2:3", ""}, /* colons are allowed in upstream after the epoch */
    {"+1:2", 0, 1, "2", ""},
    {"-0:2", 0, 0, "2", ""},
    {"2147483647:1", 0, 2147483647ul, "1", ""},
    {"1.0~rc1+dfsg-1~bpo12+1", 0, 0, "1.0~rc1+dfsg", "1~bpo12+1"},
    {"a1.0", 1, 0, "a1.0", ""},
    {"1.0_1", 1, 0, "1.0_1", ""},
    {"1.0-1:2", -EINVAL, 0, NULL, NULL}, /* epoch "1.0-1" is not a number */
    {"1.0-a_b", 1, 0, "1.0", "a_b"},
    {"", -EINVAL, 0, NULL, NULL},
    {"   ", -EINVAL, 0, NULL, NULL},
    {"1.0 1", -EINVAL, 0, NULL, NULL},
    {":1.0", -EINVAL, 0, NULL, NULL},
    {"x:1.0", -EINVAL, 0, NULL, NULL},
    {"-1:1.0", -EINVAL, 0, NULL, NULL},
    {"2147483648:1", -EINVAL, 0, NULL, NULL},
    {"99999999999999999999999:1", -EINVAL, 0, NULL, NULL},
    {"1:", -EINVAL, 0, NULL, NULL},
    {"1.0-", -EINVAL, 0, NULL, NULL},
    {"-1", -EINVAL, 0, NULL, NULL},
    {"1:-1", -EINVAL, 0, NULL, NULL},
};

static void test_parse_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct debver v;
		print_message("parse '%s'\n", c->in);
		int r = debver_parse(c->in, strlen(c->in), &v);
		assert_int_equal(r, c->want);
		assert_int_equal(debver_valid(c->in, strlen(c->in)), c->want == 0);
		if (r < 0)
			continue;
		assert_int_equal(v.epoch, c->epoch);
		assert_int_equal(v.upstream_len, strlen(c->upstream));
		assert_memory_equal(v.upstream, c->upstream, v.upstream_len);
		assert_int_equal(v.revision_len, strlen(c->revision));
		assert_memory_equal(v.revision, c->revision, v.revision_len);
	}
}

/* Strings are bounded by their length, never by a NUL: a version cut out
 * of a larger buffer compares as the cut, and a NUL inside is rejected. */
static void test_bounded(void **state)
{
	const char buf[] = "1.0-2extra";
	assert_int_equal(debver_cmp(buf, 5, "1.0-2", 5), 0);
	assert_true(debver_cmp(buf, 3, "1.0-2", 5) < 0);
	const char nul[] = "1.0\0-2";
	struct debver v;
	assert_int_equal(debver_parse(nul, sizeof(nul) - 1, &v), -EINVAL);
}

/* Invalid strings sort after valid ones and bytewise among themselves, so
 * a sort over hostile input is still a total order. */
static void test_invalid_order(void **state)
{
	assert_true(debver_cmp_str("1.0 x", "99") > 0);
	assert_true(debver_cmp_str("99", "1.0 x") < 0);
	assert_true(debver_cmp_str("a b", "c d") < 0);
	assert_int_equal(debver_cmp_str("a b", "a b"), 0);
	/* dpkg --compare-versions: "" lt 0 and "" lt "~" */
	assert_true(debver_cmp_str("", "0") < 0);
	assert_true(debver_cmp_str("", "~") < 0);
	assert_int_equal(debver_cmp_str("", ""), 0);
	assert_true(debver_cmp_str("", "1.0 x") < 0);
}

/* Transitivity over a sorted chain, both directions. */
static void test_chain(void **state)
{
	static const char *const chain[] = {"0~",    "0",    "0.1~~",  "0.1~",	"0.1",	"0.1-0.1",
					    "0.1-1", "0.1a", "0.1+b1", "0.1.1", "0.10", "1.0~beta",
					    "1.0",   "1:0",  "1:0.1",  "2:0~"};
	for (size_t i = 0; i < ARRAY_SIZE(chain); i++)
		for (size_t j = 0; j < ARRAY_SIZE(chain); j++) {
			int want = i < j ? -1 : i > j;
			print_message("%s vs %s\n", chain[i], chain[j]);
			assert_int_equal(sign(debver_cmp_str(chain[i], chain[j])), want);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cmp_table), cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_bounded),   cmocka_unit_test(test_invalid_order),
	    cmocka_unit_test(test_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
