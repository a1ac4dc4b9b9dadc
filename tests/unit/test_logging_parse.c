/* test_logging_parse.c - the logging probe's pure parsers as tables of
 * cases: systemd booleans and time spans, drop-in precedence, journald.conf,
 * rsyslog selectors and actions (legacy and RainerScript), syslog-ng,
 * logrotate retention and auditd rules, including hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "probes/read/fsroot.h"
#include "probes/parse/logging_parse.h"
#include "lib/util.h"

static void count_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	(void)line;
	assert_non_null(ja);
	assert_non_null(en);
	if (ud)
		(*(unsigned *)ud)++;
}

/* ---- shared ---- */

static void test_timespan(void **state)
{
	static const struct {
		const char *in;
		long long out; /* -1: refused */
	} cases[] = {
	    {"0", 0},
	    {"3600", 3600},
	    {"1h", 3600},
	    {"2 weeks", 1209600},
	    {"1month", 2629800},
	    {"1y", 31557600},
	    {"1d 12h", 129600},
	    {"1h30min", 5400},
	    {"", -1},
	    {"abc", -1},
	    {"5 fortnights", -1},
	    {"-5d", -1},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long long v = -7;
		int r = lp_timespan(cases[i].in, &v);
		if (cases[i].out < 0) {
			assert_true(r < 0);
			continue;
		}
		assert_int_equal(r, 0);
		assert_int_equal(v, cases[i].out);
	}
	assert_int_equal(lp_bool("yes"), 1);
	assert_int_equal(lp_bool("OFF"), 0);
	assert_true(lp_bool("maybe") < 0);
}

static void test_dropins_order(void **state)
{
	static const char *const dirs[] = {"/usr/lib/systemd/journald.conf.d",
					   "/run/systemd/journald.conf.d",
					   "/etc/systemd/journald.conf.d"};
	char *usr[] = {"10-a.conf", "50-x.conf", "README", NULL};
	char *run[] = {"20-b.conf", NULL};
	char *etc[] = {"50-x.conf", "60-c.conf.dpkg-old", "05-first.conf", NULL};
	char **names[] = {usr, run, etc};
	char **v = NULL;
	(void)state;
	assert_int_equal(dropins_order("/etc/systemd/journald.conf", dirs, names, 3, &v), 0);
	const char *want[] = {"/etc/systemd/journald.conf",
			      "/etc/systemd/journald.conf.d/05-first.conf",
			      "/usr/lib/systemd/journald.conf.d/10-a.conf",
			      "/run/systemd/journald.conf.d/20-b.conf",
			      "/etc/systemd/journald.conf.d/50-x.conf",
			      NULL};
	for (size_t i = 0; want[i]; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[5]);
	strv_free(v);
	char **none[] = {NULL, NULL, NULL};
	assert_int_equal(dropins_order(NULL, dirs, none, 3, &v), 0);
	assert_null(v[0]);
	strv_free(v);
}

/* ---- journald ---- */

static void test_journald(void **state)
{
	struct journald_conf c;
	unsigned bad = 0;
	(void)state;
	memset(&c, 0, sizeof(c));
	journald_conf_free(&c);
	const char a[] =
	    "[Journal]\r\nStorage=persistent\r\nMaxRetentionSec=1month\nSystemMaxUse=500M\n"
	    "[Other]\nStorage=none\n";
	assert_int_equal(journald_parse(a, sizeof(a) - 1, "/etc/a.conf", &c, count_bad, &bad), 0);
	assert_string_equal(c.storage, "persistent");
	assert_string_equal(c.storage_src, "/etc/a.conf:2");
	assert_int_equal(c.max_retention, 2629800);
	assert_string_equal(c.system_max_use, "500M");
	/* A later drop-in overrides; a bad value is reported and ignored;
	 * an empty assignment resets; garbage and NUL bytes never crash. */
	const char b[] = "[Journal]\nStorage=volatile\nStorage=bogus\nForwardToSyslog=no\n"
			 "MaxRetentionSec=\n\x01\x02garbage\nStor\0age=none";
	assert_int_equal(journald_parse(b, sizeof(b) - 1, "/etc/b.conf", &c, count_bad, &bad), 0);
	assert_string_equal(c.storage, "volatile");
	assert_string_equal(c.storage_src, "/etc/b.conf:2");
	assert_int_equal(c.max_retention, -1);
	assert_int_equal(c.forward_to_syslog, 0);
	assert_int_equal(bad, 3); /* bogus, \x01\x02garbage, Stor\0age */
	journald_conf_free(&c);
}

/* ---- rsyslog ---- */

static void test_selector_auth(void **state)
{
	static const struct {
		const char *sel;
		bool auth;
	} cases[] = {
	    {"auth,authpriv.*", true},
	    {"authpriv.info", true},
	    {"*.*", true},
	    {"*.*;auth,authpriv.none", false},
	    {"*.=info;*.=notice;*.=warn;auth,authpriv.none;cron,daemon.none;mail,news.none", false},
	    {"auth.none;*.*", true},
	    {"kern.*", false},
	    {"auth.err", false},
	    {"*.emerg", false},
	    {"authpriv.=info", true},
	    {"auth.!info", false},
	    {"mail.err", false},
	    {"security.*", true},
	    {"", false},
	    {"...;;;", false},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(rsyslog_selector_auth(cases[i].sel), cases[i].auth);
}

struct collect {
	char text[4096]; /* "kind:target:auth;" per action, "inc:pattern;" per include */
	unsigned bad;
};

static void col_action(void *ud, const struct syslog_action *a)
{
	struct collect *c = ud;
	static const char *const kinds[] = {"file", "remote", "discard", "other"};
	size_t n = strlen(c->text);
	snprintf(c->text + n, sizeof(c->text) - n, "%s:%s:%d;", kinds[a->kind], a->target, a->auth);
}

static void col_include(void *ud, unsigned line, const char *pattern, bool optional)
{
	struct collect *c = ud;
	size_t n = strlen(c->text);
	(void)line;
	snprintf(c->text + n, sizeof(c->text) - n, "inc:%s%s;", pattern, optional ? "?" : "");
}

static void col_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	struct collect *c = ud;
	count_bad(NULL, line, ja, en);
	c->bad++;
}

static void test_rsyslog(void **state)
{
	static const struct {
		const char *in, *out;
		unsigned bad;
	} cases[] = {
	    {"auth,authpriv.*\t\t\t/var/log/auth.log\n", "file:/var/log/auth.log:1;", 0},
	    {"*.*;auth,authpriv.none -/var/log/syslog\r\n", "file:/var/log/syslog:0;", 0},
	    {"*.* @loghost\n*.* @@10.0.0.1:514\n", "remote:loghost:1;remote:10.0.0.1:514:1;", 0},
	    {"*.* @(o,z9)collector\n", "remote:collector:1;", 0},
	    {"*.emerg :omusrmsg:*\nmail.* ~\n", "other::0;discard::0;", 0},
	    {"$IncludeConfig /etc/rsyslog.d/*.conf\n$FileCreateMode 0640\n",
	     "inc:/etc/rsyslog.d/*.conf;", 0},
	    {"include(file=\"/etc/x/*.conf\" mode=\"optional\")\n", "inc:/etc/x/*.conf?;", 0},
	    {"auth.* action(type=\"omfile\" file=\"/var/log/a\")\n", "file:/var/log/a:1;", 0},
	    {"*.* action(type=\"omfwd\"\n  target=\"log.example\" port=\"514\"\n  "
	     "protocol=\"tcp\")\n",
	     "remote:log.example:1;", 0},
	    {"module(load=\"imuxsock\")\ninput(type=\"imudp\" port=\"514\")\n", "", 0},
	    {"if $programname == 'sshd' then /var/log/sshd.log\n", "file:/var/log/sshd.log:1;", 0},
	    {"if $syslogfacility-text == 'authpriv' then {\n action(type=\"omfile\" "
	     "file=\"/var/log/secure\")\n stop\n}\n",
	     "file:/var/log/secure:1;discard::1;", 0},
	    {":programname, isequal, \"sudo\" /var/log/sudo.log\n", "file:/var/log/sudo.log:1;", 0},
	    {"auth.* /var/log/a\n& @remote\n", "file:/var/log/a:1;remote:remote:1;", 0},
	    {"# comment only\n\n   \n", "", 0},
	    {"garbage\n", "", 1},
	    {"*.* action(type=\"omfwd\" target=\"x\"\n", "remote:x:1;", 1},
	    {"\x01\x02\xff\xfe\n", "", 1},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct collect c = {{0}, 0};
		struct syslog_cb cb = {col_action, col_include, col_bad, &c};
		assert_int_equal(rsyslog_parse(cases[i].in, strlen(cases[i].in), &cb), 0);
		if (strcmp(c.text, cases[i].out) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, c.text, cases[i].out);
		assert_int_equal(c.bad, cases[i].bad);
	}
}

static void test_rsyslog_huge(void **state)
{
	/* A 1 MB line and 10,000 garbage lines: bounded, no crash. */
	size_t n = 1 << 20;
	char *big = malloc(n + 16);
	struct collect c = {{0}, 0};
	struct syslog_cb cb = {col_action, col_include, col_bad, &c};
	(void)state;
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big + n, "(\nx\n", 5);
	assert_int_equal(rsyslog_parse(big, n + 4, &cb), 0);
	assert_true(c.bad >= 1);
	struct strbuf sb;
	strbuf_init(&sb, 1 << 22);
	for (int i = 0; i < 10000; i++)
		strbuf_puts(&sb, "@@@ ((( \"unterminated\n");
	c.bad = 0;
	assert_int_equal(rsyslog_parse(sb.s, sb.len, &cb), 0);
	strbuf_free(&sb);
	free(big);
}

/* ---- syslog-ng ---- */

static void test_syslogng(void **state)
{
	static const char conf[] =
	    "@version: 3.38\n@include \"scl.conf\"\n"
	    "source s_src { system(); internal(); };\n"
	    "source s_net { udp(ip(0.0.0.0) port(514)); };\n"
	    "destination d_auth { file(\"/var/log/auth.log\"); };\n"
	    "destination d_syslog { file(\"/var/log/syslog\"); };\n"
	    "destination d_remote { network(\"10.1.1.1\" transport(\"tcp\") port(601)); };\n"
	    "# filter f_x { facility(auth); };\n"
	    "filter f_auth { facility(auth, authpriv); };\n"
	    "filter f_syslog3 { not facility(auth, authpriv, mail); };\n"
	    "log { source(s_src); filter(f_auth); destination(d_auth); };\n"
	    "log { source(s_src); filter(f_syslog3); destination(d_syslog); };\n"
	    "log { source(s_src); destination(d_remote); };\n"
	    "log { source(s_net); destination(d_syslog); };\n"
	    "log { source(s_src); destination(d_nowhere); };\n"
	    "destination d_broken { file(\"/x\" ;\n";
	struct collect c = {{0}, 0};
	struct syslog_cb cb = {col_action, col_include, col_bad, &c};
	(void)state;
	assert_int_equal(syslogng_parse(conf, sizeof(conf) - 1, &cb), 0);
	assert_string_equal(c.text, "inc:scl.conf;file:/var/log/auth.log:1;file:/var/log/syslog:0;"
				    "remote:10.1.1.1:1;");
	assert_int_equal(c.bad, 2); /* d_nowhere, unclosed { */

	/* 10,000 statements and binary garbage: linear, bounded, no crash. */
	struct strbuf sb;
	strbuf_init(&sb, 8u << 20);
	strbuf_puts(&sb, "source s { system(); };\n");
	for (int i = 0; i < 5000; i++)
		strbuf_printf(&sb, "destination d%d { file(\"/var/log/f%d\"); };\n", i, i);
	for (int i = 0; i < 5000; i++)
		strbuf_printf(&sb, "log { source(s); destination(d%d); };\n", i);
	strbuf_append(&sb, "\x01\x00\xff{{{\"", 8);
	struct collect big = {{0}, 0};
	struct syslog_cb bcb = {col_action, col_include, col_bad, &big};
	assert_int_equal(syslogng_parse(sb.s, sb.len, &bcb), 0);
	assert_true(strstr(big.text, "file:/var/log/f0:1;") != NULL);
	assert_int_equal(big.bad, 1);
	strbuf_free(&sb);
}

/* ---- logrotate ---- */

struct lr_ud {
	char inc[64];
	unsigned bad;
};

static void lr_inc(void *ud, unsigned line, const char *target)
{
	struct lr_ud *u = ud;
	(void)line;
	snprintf(u->inc, sizeof(u->inc), "%s", target);
}

static void lr_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	struct lr_ud *u = ud;
	count_bad(NULL, line, ja, en);
	u->bad++;
}

static void test_logrotate(void **state)
{
	static const char conf[] =
	    "weekly\nrotate 4\ninclude /etc/logrotate.d\n"
	    "/var/log/syslog\n/var/log/auth.log\n{\n\trotate 13\n\tpostrotate\n"
	    "\t\tweekly 99\n\tendscript\n}\n"
	    "\"/var/log/quoted.log\" /var/log/app/*.log {\n  daily\n  maxage 3\n}\n"
	    "/var/log/size.log { size 10M\n}\n"
	    "/var/log/hourly.log { hourly\n rotate 48\n}\n"
	    "/var/log/forever.log {\n rotate -1\n}\n"
	    "/var/log/zero.log {\n rotate 0\n}\n"
	    "/var/log/syslog {\n rotate 1\n}\n"
	    "monthly\n/var/log/wtmp {\n rotate 1\n}\n";
	struct lr_state st;
	struct lr_ud u = {"", 0};
	static const struct {
		const char *path;
		long days;
		bool unlimited;
	} cases[] = {
	    {"/var/log/syslog", 91, false}, /* first entry wins, as in logrotate */
	    {"/var/log/auth.log", 91, false},  {"/var/log/quoted.log", 3, false},
	    {"/var/log/app/x.log", 3, false},  {"/var/log/size.log", -1, false},
	    {"/var/log/hourly.log", 2, false}, {"/var/log/forever.log", -1, true},
	    {"/var/log/zero.log", 0, false},   {"/var/log/wtmp", 30, false},
	};
	/* As logrotate -d: "rotate 48 }" is a bad count and the entry is
	 * skipped, up to the next "}". */
	static const char skipped[] = "/var/log/a {\n rotate 48 }\n}\n/var/log/b {\n rotate 2\n"
				      " daily\n}\n";
	(void)state;
	lr_state_init(&st);
	assert_int_equal(
	    logrotate_parse(conf, sizeof(conf) - 1, "/etc/logrotate.conf", &st, lr_inc, lr_bad, &u),
	    0);
	assert_string_equal(u.inc, "/etc/logrotate.d");
	assert_int_equal(u.bad, 0);
	assert_null(lr_find(&st, "/var/log/app/sub/x.log"));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct lr_block *b = lr_find(&st, cases[i].path);
		bool unl;
		assert_non_null(b);
		assert_int_equal(lr_retention_days(&b->opts, &unl), cases[i].days);
		assert_int_equal(unl, cases[i].unlimited);
	}
	assert_string_equal(lr_find(&st, "/var/log/syslog")->source, "/etc/logrotate.conf:6");
	lr_state_free(&st);
	lr_state_init(&st);
	u.bad = 0;
	assert_int_equal(
	    logrotate_parse(skipped, sizeof(skipped) - 1, "/s", &st, lr_inc, lr_bad, &u), 0);
	assert_int_equal(u.bad, 1);
	assert_null(lr_find(&st, "/var/log/a"));
	assert_non_null(lr_find(&st, "/var/log/b"));
	lr_state_free(&st);

	/* Unclosed block, bad numbers, binary garbage. */
	static const char bad_conf[] = "rotate x\n\x01\x02\x03\n/var/log/a {\n daily\n rotate 5\n";
	lr_state_init(&st);
	u.bad = 0;
	assert_int_equal(
	    logrotate_parse(bad_conf, sizeof(bad_conf) - 1, "/x", &st, lr_inc, lr_bad, &u), 0);
	assert_int_equal(u.bad, 3);
	bool unl;
	assert_int_equal(lr_retention_days(&lr_find(&st, "/var/log/a")->opts, &unl), 5);
	lr_state_free(&st);
	struct lr_opts o = {LR_WEEKLY, 52, 30, 0, 0};
	assert_int_equal(lr_retention_days(&o, &unl), 30);
	struct lr_opts none = {LR_NONE, 4, -1, 0, 0};
	assert_int_equal(lr_retention_days(&none, &unl), -1);
}

/* ---- auditd ---- */

static void test_audit(void **state)
{
	static const struct {
		const char *in;
		bool logins, sudo, accounts;
		int enabled;
		unsigned bad;
	} cases[] = {
	    {"-w /var/log/lastlog -p wa -k logins\n", true, false, false, -1, 0},
	    {"-w /var/run/faillock -p wa\n", true, false, false, -1, 0},
	    {"-w /etc/sudoers -p wa\n-w /etc/sudoers.d/ -p wa\n", false, true, false, -1, 0},
	    {"-w /etc/sudoers -p r\n", false, false, false, -1, 0},
	    {"-w /usr/bin/sudo -p x -k priv\n", false, true, false, -1, 0},
	    {"-a always,exit -F path=/usr/bin/sudo -F perm=x -F auid>=1000 -k priv\n", false, true,
	     false, -1, 0},
	    {"-a always,exit -F arch=b64 -C euid!=uid -F euid=0 -S execve -k emul\n", false, true,
	     false, -1, 0},
	    {"-a never,exit -F path=/usr/bin/sudo -F perm=x\n", false, false, false, -1, 0},
	    {"-w /etc/passwd -p wa\n-w /etc/shadow -p wa\n-w /etc/group -p wa\n-e 2\n", false,
	     false, true, 2, 0},
	    {"-w /etc/passwd -p wa\n-w /etc/shadow -p wa\n", false, false, false, -1, 0},
	    {"-a always,exit -F arch=b64 -S openat -F path=/etc/passwd -F perm=wa\n"
	     "-w /etc/shadow\n-w /etc/group -p w\n",
	     false, false, true, -1, 0},
	    {"-w /var/log/lastlog -p wa\n-D\n-e 1\n", false, false, false, 1, 0},
	    /* auditctl -R stops at the rejected -e 9: the rest is never read */
	    {"-e 9\ngarbage here\n\x01\xff\n", false, false, false, -1, 1},
	    {"-c\n-e 9\ngarbage here\n\x01\xff\n", false, false, false, -1, 3},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct audit_rules r = {.enabled = -1};
		unsigned bad = 0;
		audit_rules_parse(cases[i].in, strlen(cases[i].in), &r, count_bad, &bad);
		if (r.logins != cases[i].logins || r.sudo != cases[i].sudo ||
		    r.accounts != cases[i].accounts || r.enabled != cases[i].enabled ||
		    bad != cases[i].bad)
			fail_msg("audit case %zu: logins %d sudo %d accounts %d enabled %d bad %u",
				 i, r.logins, r.sudo, r.accounts, r.enabled, bad);
		audit_rules_free(&r);
	}
	char *v = NULL;
	static const char conf[] = "log_file = /var/log/audit/audit.log\nnum_logs=5\n"
				   "log_file=/srv/audit.log\nlog_format = ENRICHED\n";
	assert_int_equal(auditd_conf_get(conf, sizeof(conf) - 1, "log_file", &v), 0);
	assert_string_equal(v, "/srv/audit.log");
	free(v);
	assert_int_equal(auditd_conf_get(conf, sizeof(conf) - 1, "log", &v), -ENOENT);
}

/* auditctl -R's load: a rejected line stops it unless -c or -i came
 * before; a rule loaded twice is EEXIST; after -e 2 every change is
 * refused. Rules after the stop are not loaded and watch nothing. */
static void test_audit_load(void **state)
{
	static const struct {
		const char *in;
		unsigned nrules, stop, rejected, not_loaded;
		bool accounts;
		int enabled;
	} cases[] = {
	    {"-w /etc/passwd -p wa\n-w /etc/shadow -p wa\n-w /etc/group -p wa\n-e 2\n", 3, 0, 0, 0,
	     true, 2},
	    /* a relative path stops the load: the account watches after it and
	     * the -e 2 are never loaded */
	    {"-w /etc/passwd -p wa\n-w etc/x -p wa\n-w /etc/shadow -p wa\n-w /etc/group -p wa\n"
	     "-e 2\n",
	     1, 2, 1, 3, false, -1},
	    /* -c before it: the line is skipped, the rest loads */
	    {"-c\n-w /etc/passwd -p wa\n-w etc/x -p wa\n-w /etc/shadow -p wa\n"
	     "-w /etc/group -p wa\n-e 2\n",
	     3, 0, 1, 1, true, 2},
	    /* -i after the bad line comes too late */
	    {"-w /etc/passwd -p zz\n-i\n-w /etc/shadow -p wa\n", 0, 1, 1, 2, false, -1},
	    /* the same watch twice (permissions in another order): EEXIST */
	    {"-w /etc/passwd -p wa -k id\n-w /etc/passwd -p aw -k id\n-w /etc/shadow -p wa\n", 1, 2,
	     1, 2, false, -1},
	    /* another key is another rule */
	    {"-w /etc/passwd -p wa -k a\n-w /etc/passwd -p wa -k b\n", 2, 0, 0, 0, false, -1},
	    /* "exit,always" is "always,exit" */
	    {"-a always,exit -F arch=b64 -S execve\n-a exit,always -F arch=b64 -S execve\n", 1, 2,
	     1, 1, false, -1},
	    /* -D empties the kernel's list: the same rule loads again */
	    {"-w /etc/passwd -p wa\n-D\n-w /etc/passwd -p wa\n", 1, 0, 0, 0, false, -1},
	    /* -e 2 in the middle of audit.rules: everything after is refused */
	    {"-w /etc/passwd -p wa\n-e 2\n-w /etc/shadow -p wa\n-w /etc/group -p wa\n", 1, 3, 1, 2,
	     false, 2},
	    {"-c\n-w /etc/passwd -p wa\n-e 2\n-w /etc/shadow -p wa\n-w /etc/group -p wa\n", 1, 0, 2,
	     2, false, 2},
	    /* arch= after -S, an unknown field, a bad list: each stops it */
	    {"-a always,exit -S execve -F arch=b64\n-w /etc/passwd\n", 0, 1, 1, 2, false, -1},
	    {"-a always,exit -F nosuch=1\n-w /etc/passwd\n", 0, 1, 1, 2, false, -1},
	    {"-a always,entry -S execve\n-w /etc/passwd\n", 0, 1, 1, 2, false, -1},
	    /* a word that is no option: auditctl does nothing with it */
	    {"foo\n-w /etc/passwd\n", 1, 0, 0, 0, false, -1},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct audit_rules r = {.enabled = -1};
		unsigned bad = 0;
		audit_rules_parse(cases[i].in, strlen(cases[i].in), &r, count_bad, &bad);
		if (r.nrules != cases[i].nrules || r.stop_line != cases[i].stop ||
		    r.rejected != cases[i].rejected || r.not_loaded != cases[i].not_loaded ||
		    r.accounts != cases[i].accounts || r.enabled != cases[i].enabled)
			fail_msg("load case %zu: nrules %u stop %u rejected %u not_loaded %u "
				 "accounts %d enabled %d",
				 i, r.nrules, r.stop_line, r.rejected, r.not_loaded, r.accounts,
				 r.enabled);
		audit_rules_free(&r);
	}
}

/* ls -v order and the awk dialects; the e2e test compares whole files
 * with the real augenrules. */
static void test_augenrules(void **state)
{
	/* as `ls -1v` lists them */
	static const char *const order[] = {"9-a.rules",      "10a.rules",	   "10-b.rules",
					    "010-zero.rules", "99-finalize.rules", "a10.rules",
					    "audit.rules"};
	(void)state;
	for (size_t i = 0; i + 1 < ARRAY_SIZE(order); i++)
		if (augen_name_cmp(order[i], order[i + 1]) >= 0)
			fail_msg("%s should sort before %s", order[i], order[i + 1]);
	bool mangled;
	assert_true(augen_name_selected("30-stig.rules", &mangled));
	assert_false(augen_name_selected(".x.rules", &mangled));
	assert_false(augen_name_selected("x.rules~", &mangled));
	assert_false(augen_name_selected("a b.rules", &mangled));
	assert_true(mangled);
#define RF(name, text)                                                                             \
	{                                                                                          \
		name, text, sizeof(text) - 1                                                       \
	}
	struct rules_file f[] = {
	    RF("audit.rules", "-D\n-b 8192\n-f 1\n"),
	    RF("99-finalize.rules", "-e 2\n"),
	    RF("10-w.rules", "  # c\n  -D \n-w /etc/passwd -p wa"),
	    RF("20-w.rules", "-w /etc/shadow -p wa\n-D -k x\n"),
	};
#undef RF
	char *t = NULL;
	size_t n = 0;
	assert_int_equal(augenrules_assemble(f, ARRAY_SIZE(f), AWK_S_BLANK, &t, &n), 0);
	assert_string_equal(t, "## This file is automatically generated from /etc/audit/rules.d\n"
			       "-D\n-b 8192\n-f 1\n-w /etc/passwd -p wa-w /etc/shadow -p wa\n"
			       "-D -k x\n-e 2\n");
	assert_int_equal(n, strlen(t));
	free(t);
	assert_int_equal(augenrules_assemble(f, ARRAY_SIZE(f), AWK_S_LETTER, &t, &n), 0);
	assert_string_equal(t,
			    "## This file is automatically generated from /etc/audit/rules.d\n"
			    "-D\n-b 8192\n-f 1\n  # c\n  -D \n-w /etc/passwd -p wa-w /etc/shadow "
			    "-p wa\n-D -k x\n-e 2\n");
	/* the indented -D mawk keeps deletes what came before; -D -k only its key */
	struct audit_rules r = {.enabled = -1};
	static const char keyed[] = "-w /etc/passwd -p wa -k id\n-w /etc/shadow -p wa -k sh\n"
				    "-w /etc/group -p wa -F key=id\n-D -k id\n";
	audit_rules_parse(keyed, sizeof(keyed) - 1, &r, count_bad, &(unsigned){0});
	assert_int_equal(r.nrules, 1);
	assert_true(r.shadow);
	assert_false(r.passwd);
	audit_rules_free(&r);
	free(t);
}

static void put_le64(unsigned char *p, unsigned long long v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Header fields at JOURNAL_FILE_FORMAT's offsets; what is not a journal
 * header is refused. */
static void test_journal_header(void **state)
{
	unsigned char b[272] = "LPKSHHRH";
	struct journal_header h;
	b[16] = 2; /* archived */
	put_le64(b + 88, 264);
	put_le64(b + 96, 8388344);
	put_le64(b + 152, 2000);
	put_le64(b + 184, 0x65bfeda25e000ULL);
	put_le64(b + 192, 0x6628a65037c00ULL);
	assert_int_equal(journal_header_parse(b, sizeof(b), &h), 0);
	assert_int_equal(h.state, 2);
	assert_int_equal(h.n_entries, 2000);
	assert_true(h.head_realtime == 0x65bfeda25e000ULL && h.tail_realtime == 0x6628a65037c00ULL);
	assert_int_equal(journal_header_parse(b, JOURNAL_HEADER_MIN - 1, &h), -EBADMSG);
	put_le64(b + 184, 0x6628a65037c01ULL); /* head after tail */
	assert_int_equal(journal_header_parse(b, sizeof(b), &h), -EBADMSG);
	put_le64(b + 184, 1);
	put_le64(b + 88, 100); /* header smaller than its own fields */
	assert_int_equal(journal_header_parse(b, sizeof(b), &h), -EBADMSG);
	b[0] = 'X';
	put_le64(b + 88, 264);
	assert_int_equal(journal_header_parse(b, sizeof(b), &h), -EBADMSG);

	static const struct {
		const char *s;
		int r;
		unsigned long long v;
	} sizes[] = {
	    {"500M", 0, 500ULL << 20}, {"1G", 0, 1ULL << 30},  {"1.5G", 0, 3ULL << 29},
	    {"4096", 0, 4096},	       {"2 K", 0, 2048},       {"16MB", 0, 16ULL << 20},
	    {"", -EINVAL, 0},	       {"-1G", -EINVAL, 0},    {"10%", -EINVAL, 0},
	    {"1X", -EINVAL, 0},	       {"99999E", -EINVAL, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long long v = 0;
		assert_int_equal(journald_parse_size(sizes[i].s, &v), sizes[i].r);
		if (!sizes[i].r && v != sizes[i].v)
			fail_msg("%s: %llu", sizes[i].s, v);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timespan),   cmocka_unit_test(test_dropins_order),
	    cmocka_unit_test(test_journald),   cmocka_unit_test(test_selector_auth),
	    cmocka_unit_test(test_rsyslog),    cmocka_unit_test(test_rsyslog_huge),
	    cmocka_unit_test(test_syslogng),   cmocka_unit_test(test_logrotate),
	    cmocka_unit_test(test_audit),      cmocka_unit_test(test_augenrules),
	    cmocka_unit_test(test_audit_load), cmocka_unit_test(test_journal_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
