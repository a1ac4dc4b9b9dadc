/* test_ini.c - the systemd-style ini reader as a table of cases: each
 * input with its options and the trace of callbacks it must give
 * ("[NAME]@LINE", "KEY=VALUE@LINE", "!LINE" for a bad line). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/util.h"
#include "probes/parse/ini.h"

struct trace {
	char s[1024];
};

static void add(struct trace *t, const char *a, const char *sep, const char *b, unsigned line)
{
	size_t n = strlen(t->s);
	snprintf(t->s + n, sizeof(t->s) - n, "%s%s%s@%u ", a, sep, b, line);
}

static int on_section(void *ud, const char *name, unsigned line)
{
	add(ud, "[", name, "]", line);
	return 0;
}

static int on_kv(void *ud, const char *key, const char *value, size_t vlen, unsigned line)
{
	assert_int_equal(strlen(value), vlen);
	add(ud, key, "=", value, line);
	return 0;
}

static void on_bad(void *ud, unsigned line)
{
	struct trace *t = ud;
	size_t n = strlen(t->s);
	snprintf(t->s + n, sizeof(t->s) - n, "!%u ", line);
}

static const struct ini_opts plain = {0};
static const struct ini_opts unit = {
    .continuation = true, .nul_bad = true, .unclosed_bad = true, .empty_key_bad = true};
static const struct ini_opts bounded = {.max_line = 8};

static const struct {
	const struct ini_opts *o;
	const char *in;
	size_t len; /* 0: strlen */
	const char *want;
} cases[] = {
    {&plain, "", 0, ""},
    {&plain, "# c\n; c\n\n[Journal]\nStorage = persistent \n", 0,
     "[Journal]@4 Storage=persistent@5 "},
    {&plain, "[Time]\r\nNTP=a b\r\nFallbackNTP=", 0, "[Time]@1 NTP=a b@2 FallbackNTP=@3 "},
    {&plain, "junk\n=x\n[Open\n", 0, "!1 =x@2 []@3 "},
    {&unit, "junk\n=x\n[Open\n[Unit]\n", 0, "!1 !2 !3 [Unit]@4 "},
    {&unit, "[Service]\nExecStart=/bin/a \\\n  -x \\\n# note\n  -y\nType=simple\n", 0,
     "[Service]@1 ExecStart=/bin/a    -x  # note@2 !5 Type=simple@6 "},
    {&plain, "A=1 \\\nB=2\n", 0, "A=1 \\@1 B=2@2 "},
    {&plain, "K=v\0w\nL=x\n", 10, "K=v@1 L=x@2 "},
    {&unit, "K=v\0w\nL=x\n", 10, "!1 L=x@2 "},
    {&bounded, "K=short\nK=longer value\n", 0, "K=short@1 !2 "},
    {&plain, "[Unit\0X]\nA=b\n", 13, "[]@1 A=b@2 "},
};

static void test_cases(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct trace t = {""};
		struct ini_cb cb = {on_section, on_kv, on_bad, &t, NULL};
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		assert_int_equal(ini_parse(cases[i].in, len, cases[i].o, &cb), 0);
		if (strcmp(t.s, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, t.s, cases[i].want);
	}
}

static int stop_at_kv(void *ud, const char *key, const char *value, size_t vlen, unsigned line)
{
	return -ECANCELED;
}

/* A callback's error stops the reading and is what ini_parse returns. */
static void test_callback_stops(void **state)
{
	struct trace t = {""};
	struct ini_cb cb = {on_section, stop_at_kv, on_bad, &t, NULL};
	assert_int_equal(ini_parse("[A]\nK=v\n[B]\n", 12, &unit, &cb), -ECANCELED);
	assert_string_equal(t.s, "[A]@1 ");
}

/* systemd's drop-in order for a unit (the directories of
 * unit_file_find_dropin_paths, lowest priority first): one sorted list
 * of file names across every directory, a name taken from the highest
 * directory holding it; lists in any order; non-.conf names ignored. The
 * expected list is what systemd-analyze verify --root printed for the
 * same layout ("DropIn Path:"). */
static void test_dropins_order_unit(void **state)
{
	static const char *const dirs[] = {"/usr/lib/systemd/system/service.d",
					   "/usr/lib/systemd/system/foo-.service.d",
					   "/usr/lib/systemd/system/foo-bar-baz.service.d",
					   "/etc/systemd/system/service.d",
					   "/etc/systemd/system/foo-bar-.service.d",
					   "/etc/systemd/system/foo-bar-baz.service.d"};
	char *t_usr[] = {"05-t.conf", NULL}, *p_usr[] = {"20-p.conf", NULL};
	char *u_usr[] = {"90-z.conf", "50-x.conf", "10-a.conf", "README", NULL};
	char *t_etc[] = {"30-t.conf", NULL}, *p_etc[] = {"10-a.conf", NULL};
	char *u_etc[] = {"90-z.conf", "50-x.conf", "x.conf.dpkg-old", NULL};
	char **names[] = {t_usr, p_usr, u_usr, t_etc, p_etc, u_etc};
	const char *want[] = {"/usr/lib/systemd/system/service.d/05-t.conf",
			      "/etc/systemd/system/foo-bar-.service.d/10-a.conf",
			      "/usr/lib/systemd/system/foo-.service.d/20-p.conf",
			      "/etc/systemd/system/service.d/30-t.conf",
			      "/etc/systemd/system/foo-bar-baz.service.d/50-x.conf",
			      "/etc/systemd/system/foo-bar-baz.service.d/90-z.conf",
			      NULL};
	char **v = NULL;
	assert_int_equal(
	    dropins_order("/usr/lib/systemd/system/foo-bar-baz.service", dirs, names, 6, &v), 0);
	assert_string_equal(v[0], "/usr/lib/systemd/system/foo-bar-baz.service");
	for (size_t i = 0; want[i]; i++) {
		assert_non_null(v[i + 1]);
		assert_string_equal(v[i + 1], want[i]);
	}
	assert_null(v[7]);
	strv_free(v);
}

/* Many names in two directories: each once, sorted, the higher's kept
 * (the orderer sorts pairs: this size would be slow if it rescanned). */
static void test_dropins_order_many(void **state)
{
	enum { N = 20000 };
	static const char *const dirs[] = {"/lo", "/hi"};
	char **lo = calloc(N + 1, sizeof(*lo)), **hi = calloc(N / 2 + 1, sizeof(*hi));
	assert_non_null(lo);
	assert_non_null(hi);
	for (size_t i = 0; i < N; i++)
		assert_true(asprintf(&lo[i], "%05zu.conf", N - 1 - i) > 0);
	for (size_t i = 0; i < N / 2; i++)
		assert_true(asprintf(&hi[i], "%05zu.conf", 2 * i) > 0);
	char **names[] = {lo, hi}, **v = NULL;
	assert_int_equal(dropins_order(NULL, dirs, names, 2, &v), 0);
	assert_int_equal(strv_length(v), N);
	for (size_t i = 0; i < N; i++) {
		char want[32];
		snprintf(want, sizeof(want), "/%s/%05zu.conf", i % 2 ? "lo" : "hi", i);
		assert_string_equal(v[i], want);
	}
	strv_free(v);
	strv_free(lo);
	strv_free(hi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_callback_stops),
	    cmocka_unit_test(test_dropins_order_unit),
	    cmocka_unit_test(test_dropins_order_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
