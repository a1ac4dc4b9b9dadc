/* test_timesync_parse.c - the time probe's pure parsers as tables of
 * cases: chrony, ntp.conf and openntpd sources and includes, and
 * timesyncd.conf with drop-ins overriding and resetting lists. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "probes/parse/timesync_parse.h"
#include "lib/util.h"

struct got {
	char text[2048]; /* "s:HOST@LINE;" and "i:DIRECTIVE:ARG;" */
	unsigned bad;
};

static void on_server(void *ud, unsigned line, const char *host)
{
	struct got *g = ud;
	size_t n = strlen(g->text);
	snprintf(g->text + n, sizeof(g->text) - n, "s:%s@%u;", host, line);
}

static void on_include(void *ud, unsigned line, const char *directive, const char *arg)
{
	struct got *g = ud;
	size_t n = strlen(g->text);
	(void)line;
	snprintf(g->text + n, sizeof(g->text) - n, "i:%s:%s;", directive, arg);
}

static void on_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	struct got *g = ud;
	(void)line;
	assert_non_null(ja);
	assert_non_null(en);
	g->bad++;
}

static void test_sources(void **state)
{
	static const struct {
		enum ts_format fmt;
		const char *in, *out;
		unsigned bad;
	} cases[] = {
	    {TS_CHRONY, "pool 2.debian.pool.ntp.org iburst\nserver 10.0.0.1 iburst prefer\n",
	     "s:2.debian.pool.ntp.org@1;s:10.0.0.1@2;", 0},
	    {TS_CHRONY, "! pool commented\n; server x\n# server y\n%%\n", "", 0},
	    {TS_CHRONY, "SERVER upper.example\r\npeer 10.0.0.2", "s:upper.example@1;s:10.0.0.2@2;",
	     0},
	    {TS_CHRONY, "refclock PHC /dev/ptp0 poll 0\n", "s:PHC /dev/ptp0@1;", 0},
	    {TS_CHRONY,
	     "confdir /etc/chrony/conf.d\nsourcedir /run/chrony-dhcp /etc/chrony/sources.d\n"
	     "include /etc/chrony/extra/*.conf\n",
	     "i:confdir:/etc/chrony/conf.d;i:sourcedir:/run/chrony-dhcp /etc/chrony/sources.d;"
	     "i:include:/etc/chrony/extra/*.conf;",
	     0},
	    {TS_CHRONY, "server\nserver    \n", "", 2},
	    {TS_CHRONY, "driftfile /var/lib/chrony/chrony.drift\nmakestep 1 3\n", "", 0},
	    {TS_CHRONY, "\x01\x02\xff server x\n", "", 1},
	    {TS_CHRONY, "server a\0b\n", "", 1}, /* a NUL byte: binary, reported */
	    {TS_NTP, "server ntp.example iburst # comment\npool 0.pool.ntp.org\nrestrict default\n",
	     "s:ntp.example@1;s:0.pool.ntp.org@2;", 0},
	    {TS_NTP, "includefile /etc/ntp.d/x.conf\nconfdir /x\n",
	     "i:includefile:/etc/ntp.d/x.conf;", 0},
	    {TS_OPENNTPD, "servers pool.ntp.org\nserver 10.1.1.1\nsensor *\nconstraint from x\n",
	     "s:pool.ntp.org@1;s:10.1.1.1@2;s:*@3;", 0},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct got g = {{0}, 0};
		struct ts_cb cb = {on_server, on_include, on_bad, &g};
		size_t len = strlen(cases[i].in);
		if (i == 8)
			len = 11; /* holds a NUL byte */
		assert_int_equal(ts_parse(cases[i].in, len, cases[i].fmt, &cb), 0);
		if (strcmp(g.text, cases[i].out) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, g.text, cases[i].out);
		assert_int_equal(g.bad, cases[i].bad);
	}
}

static void test_huge(void **state)
{
	/* 10,000 lines of sources and a 1 MB line: every source is seen, the
	 * long line is reported, nothing crashes. */
	struct strbuf sb;
	struct got g = {{0}, 0};
	struct ts_cb cb = {on_server, on_include, on_bad, &g};
	(void)state;
	strbuf_init(&sb, 4u << 20);
	for (int i = 0; i < 10000; i++)
		strbuf_puts(&sb, "# filler line\n");
	strbuf_puts(&sb, "server last.example\nserver ");
	for (int i = 0; i < (1 << 20) / 64; i++)
		strbuf_puts(&sb,
			    "0123456789012345678901234567890123456789012345678901234567890123");
	assert_int_equal(ts_parse(sb.s, sb.len, TS_CHRONY, &cb), 1); /* one line not read */
	assert_string_equal(g.text, "s:last.example@10001;");
	assert_int_equal(g.bad, 1);
	strbuf_free(&sb);
}

static void bad_count(void *ud, unsigned line, const char *ja, const char *en)
{
	(void)line;
	(void)ja;
	(void)en;
	(*(unsigned *)ud)++;
}

static void test_timesyncd(void **state)
{
	struct timesyncd_conf c = {0};
	unsigned bad = 0;
	(void)state;
	const char a[] = "[Time]\n#NTP=\nNTP=ntp1.example ntp2.example\n[Other]\nNTP=ignored\n";
	assert_int_equal(
	    timesyncd_parse(a, sizeof(a) - 1, "/etc/systemd/timesyncd.conf", &c, bad_count, &bad),
	    0);
	assert_string_equal(c.ntp, "ntp1.example ntp2.example");
	assert_string_equal(c.ntp_src, "/etc/systemd/timesyncd.conf:3");
	assert_false(c.fallback_set);
	/* A drop-in: NTP= resets then appends; FallbackNTP= empty disables
	 * the compiled-in servers; garbage is reported. */
	const char b[] = "[Time]\r\nNTP=\r\nNTP=10.0.0.1\r\nFallbackNTP=\r\n\x01garbage\r\n";
	assert_int_equal(timesyncd_parse(b, sizeof(b) - 1, "/etc/d.conf", &c, bad_count, &bad), 0);
	assert_string_equal(c.ntp, "10.0.0.1");
	assert_true(c.fallback_set);
	assert_null(c.fallback);
	assert_int_equal(bad, 1);
	timesyncd_conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sources),
	    cmocka_unit_test(test_huge),
	    cmocka_unit_test(test_timesyncd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
