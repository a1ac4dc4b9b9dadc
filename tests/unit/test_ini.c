/* test_ini.c - the systemd-style ini reader as a table of cases: each
 * input with its options and the trace of callbacks it must give
 * ("[NAME]@LINE", "KEY=VALUE@LINE", "!LINE" for a bad line). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
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
		struct ini_cb cb = {on_section, on_kv, on_bad, &t};
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
	struct ini_cb cb = {on_section, stop_at_kv, on_bad, &t};
	assert_int_equal(ini_parse("[A]\nK=v\n[B]\n", 12, &unit, &cb), -ECANCELED);
	assert_string_equal(t.s, "[A]@1 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_callback_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
