/* test_fleet_hosts.c - the hosts file of `tenken fleet`: plain lists
 * (user@, :port, IPv6 in brackets, per-host profile and baseline, CRLF,
 * comments), Ansible INI inventories (groups, :vars and :children skipped,
 * ansible_host/port/user, host variables ignored), and the refusals, each
 * with its line and column: option-like names, ranges, YAML, bad ports,
 * unknown keys, unterminated quotes. Then what fleet reads back from a
 * host (the probe's answer, ssh's and sudo's messages as the real tools
 * print them), the quoting of remote arguments, and the retention of the
 * timer's dated reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "fleet/dated.h"
#include "fleet/hosts.h"
#include "fleet/remote.h"

struct seen {
	char line[16][2048];
	size_t n;
};

static int record(void *ud, const struct host_entry *h)
{
	struct seen *s = ud;
	if (s->n < 16)
		snprintf(s->line[s->n++], sizeof(s->line[0]), "%u|%s|%s|%s|%u|%s|%s", h->lineno,
			 h->name, h->target, h->user, h->port, h->profile, h->baseline);
	return 0;
}

static int parse(const char *text, struct seen *s, struct hosts_error *err)
{
	memset(s, 0, sizeof(*s));
	return hosts_parse(text, strlen(text), record, s, err);
}

static void test_plain(void **state)
{
	struct seen s;
	struct hosts_error err;
	(void)state;
	assert_int_equal(parse("# ward servers\n"
			       "\n"
			       "emr-db\n"
			       "  admin@10.0.0.7:2222   profile=terminal  # nurse station\r\n"
			       "ops@[2001:db8::1]:22 baseline=/etc/tenken/b.json\n"
			       "[fe80::1%eth0]\n"
			       "lab baseline=\"/etc/tenken/my lab.json\" profile='server'",
			       &s, &err),
			 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.line[0], "3|emr-db|emr-db||0||");
	assert_string_equal(s.line[1], "4|admin@10.0.0.7:2222|10.0.0.7|admin|2222|terminal|");
	assert_string_equal(s.line[2],
			    "5|ops@[2001:db8::1]:22|[2001:db8::1]|ops|22||/etc/tenken/b.json");
	assert_string_equal(s.line[3], "6|[fe80::1%eth0]|[fe80::1%eth0]||0||");
	assert_string_equal(s.line[4], "7|lab|lab||0|server|/etc/tenken/my lab.json");
}

static void test_ansible_ini(void **state)
{
	struct seen s;
	struct hosts_error err;
	(void)state;
	assert_int_equal(parse("ungrouped.example.org\n"
			       "[emr]\n"
			       "db1 ansible_host=192.0.2.10 ansible_port=2200 ansible_user=ops\n"
			       "db2 ansible_ssh_host=192.0.2.11 http_port=80 ansible_become=true\n"
			       "badwolf.example.com:5309\n"
			       "[emr:vars]\n"
			       "ntp_server=ntp.example.org\n"
			       "[wards:children]\n"
			       "emr\n"
			       "[terminals]\n"
			       "; a comment Ansible also accepts\n"
			       "pc1 profile=terminal\n",
			       &s, &err),
			 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.line[0], "1|ungrouped.example.org|ungrouped.example.org||0||");
	assert_string_equal(s.line[1], "3|db1|192.0.2.10|ops|2200||");
	assert_string_equal(s.line[2], "4|db2|192.0.2.11||0||");
	assert_string_equal(s.line[3], "5|badwolf.example.com:5309|badwolf.example.com||5309||");
	assert_string_equal(s.line[4], "12|pc1|pc1||0|terminal|");
}

/* Each bad input, the line and column of its error, and a word of the message. */
static void test_errors(void **state)
{
	static const struct {
		const char *text;
		unsigned line, column;
		const char *word;
	} cases[] = {
	    {"ok\n-oProxyCommand=evil\n", 2, 1, "bad host name"},
	    {"root@-x\n", 1, 6, "bad host name"},
	    {"-u@h\n", 1, 1, "bad user"},
	    {"h:0\n", 1, 3, "bad port"},
	    {"h:70000\n", 1, 3, "bad port"},
	    {"h:22x\n", 1, 3, "bad port"},
	    {"h profle=terminal\n", 1, 3, "unknown key 'profle'"},
	    {"h profile=desktop\n", 1, 3, "server or terminal"},
	    {"h stray\n", 1, 3, "key=value"},
	    {"h baseline=\"/x\n", 1, 12, "unterminated"},
	    {"web[01:50].example.org\n", 1, 1, "ranges"},
	    {"all:\n  hosts:\n", 1, 1, "YAML"},
	    {"---\nall:\n", 1, 1, "YAML"},
	    {"[web\n", 1, 1, "missing ']'"},
	    {"[web:hosts]\n", 1, 6, ":vars"},
	    {"[w eb]\n", 1, 3, "bad group"},
	    {"[]\n", 1, 2, "empty group"},
	    {"h$(reboot)\n", 1, 1, "bad host name"},
	    {"h ansible_host=;x\n", 1, 3, "ansible_host"},
	    {"h ansible_port=abc\n", 1, 3, "ansible_port"},
	    {"h\0x\n", 1, 2, "NUL"},
	    {"[::1\n", 1, 1, "missing ']'"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen s;
		struct hosts_error err;
		const char *t = cases[i].text;
		size_t len = strlen(t);
		if (strcmp(t, "h") == 0)
			len = 4; /* the case with a NUL byte inside */
		memset(&s, 0, sizeof(s));
		int r = hosts_parse(t, len, record, &s, &err);
		if (r != -EINVAL || err.line != cases[i].line || err.column != cases[i].column ||
		    !strstr(err.en, cases[i].word))
			fail_msg("case %zu '%s': r=%d %u:%u %s", i, t, r, err.line, err.column,
				 err.en);
		assert_true(err.ja[0] != '\0');
	}
}

static void test_safe_name(void **state)
{
	char out[HOST_NAME_MAX_LEN + 1];
	(void)state;
	host_safe_name("ops@[2001:db8::1]:22", out, sizeof(out));
	assert_string_equal(out, "ops@_2001_db8__1__22");
	host_safe_name("..", out, sizeof(out));
	assert_string_equal(out, "_.");
	host_safe_name("emr-db.example.org:2222", out, sizeof(out));
	assert_string_equal(out, "emr-db.example.org_2222");
}

/* The messages below are copied from OpenSSH 9.2 and sudo 1.9 runs
 * (tests/e2e/fleet.sh provokes each of them against a real sshd). */
static void test_classify(void **state)
{
	static const struct {
		int status;
		const char *err, *reason;
	} cases[] = {
	    {255, "ssh: connect to host 127.1.2.3 port 22: Connection refused\r\n", "unreachable"},
	    {255,
	     "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
	     "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
	     "Host key verification failed.\n",
	     "host_key_changed"},
	    {255,
	     "No ED25519 host key is known for [127.1.2.3]:2222 and you have requested strict "
	     "checking.\nHost key verification failed.\n",
	     "host_key_unknown"},
	    {255, "root@127.1.2.3: Permission denied (publickey).\n", "auth_failed"},
	    {255, "ssh: connect to host 10.0.0.1 port 22: Connection timed out\n", "unreachable"},
	    {255, "kex_exchange_identification: read: Connection reset by peer\n", "unreachable"},
	    {255,
	     "Connection timed out during banner exchange\n"
	     "Connection to 127.1.2.3 port 2222 timed out\n",
	     "timeout"},
	    {255, "", "unreachable"},
	    {1, "sudo: a password is required\n", "sudo_password"},
	    {1, "Permission denied\n", "scan_failed"}, /* not ssh's: the remote said it */
	    {91, "tenken-fleet: sha256 mismatch\n", "binary_refused"},
	    {93, "tenken-fleet: the host is Linux aarch64, this tenken Linux x86_64\n",
	     "arch_unsupported"},
	    {94, "tenken-fleet: no sha256sum\n", "binary_refused"},
	    {126, "sh: 1: /tmp/x/tenken: Permission denied\n", "binary_refused"},
	    {127, "error while loading shared libraries: libjansson.so.4\n", "binary_refused"},
	    {2, "tenken: --root /x: No such file or directory\n", "scan_failed"},
	};
	char detail[256];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *r = classify_failure(cases[i].status, cases[i].err,
						 strlen(cases[i].err), detail, sizeof(detail));
		if (strcmp(r, cases[i].reason) != 0)
			fail_msg("case %zu: %s, wanted %s", i, r, cases[i].reason);
	}
	classify_failure(255, cases[0].err, strlen(cases[0].err), detail, sizeof(detail));
	assert_string_equal(detail, "ssh: connect to host 127.1.2.3 port 22: Connection refused");
	static const char esc[] = "tenken: \033]0;pwned\007 bad\n";
	classify_failure(2, esc, sizeof(esc) - 1, detail, sizeof(detail));
	assert_string_equal(detail, "tenken: ?]0;pwned? bad");
}

static void test_probe_info(void **state)
{
	static const char good[] = "arch=x86_64\nos=Linux\nuid=1000\ntenken=/usr/bin/tenken\n"
				   "version=tenken 0.1.0\nsha256sum=yes\ngzip=yes\nend=ok\n";
	static const char cut[] = "arch=x86_64\nos=Linux\nuid=0\n";
	static const char junk[] = "Welcome to host!\narch=aarch64\nuid=abc\nend=ok\n";
	struct probe_info pi;
	(void)state;
	probe_info_parse(good, sizeof(good) - 1, &pi);
	assert_true(pi.complete);
	assert_string_equal(pi.arch, "x86_64");
	assert_int_equal(pi.uid, 1000);
	assert_string_equal(pi.tenken, "/usr/bin/tenken");
	assert_string_equal(pi.version, "tenken 0.1.0");
	assert_true(pi.sha256sum);
	assert_true(pi.gzip);
	probe_info_parse(cut, sizeof(cut) - 1, &pi);
	assert_false(pi.complete); /* no end=ok: the answer was cut */
	probe_info_parse(junk, sizeof(junk) - 1, &pi);
	assert_false(pi.complete); /* no uid */
}

static void test_quote(void **state)
{
	struct strbuf sb;
	(void)state;
	strbuf_init(&sb, 1 << 16);
	assert_int_equal(sh_quote(&sb, "it's $(reboot) `x` \"y\""), 0);
	assert_string_equal(sb.s, "'it'\\''s $(reboot) `x` \"y\"'");
	strbuf_free(&sb);
	/* the remote run command: the script, then every argument quoted */
	char *args[] = {"--root", "/srv/a b'c", NULL};
	strbuf_init(&sb, 1 << 16);
	assert_int_equal(
	    remote_run_cmd(&sb, "ab12", "0011", "tenken 0.1.0", "Linux x86_64", true, args), 0);
	assert_non_null(strstr(sb.s, " tenken-fleet 'ab12' '0011' 'tenken 0.1.0' 'Linux x86_64' "
				     "'gzip' '--root' '/srv/a b'\\''c'"));
	assert_true(str_startswith(sb.s, "sh -c '"));
	strbuf_free(&sb);
}

static void test_dated(void **state)
{
	char dir[] = "/tmp/tenken-dated-XXXXXX", path[512];
	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_true(report_name_ok("tenken-20261207T231211Z.json", 28));
	assert_true(report_name_ok("tenken-20261207T231211Z.json.sig", 32));
	assert_false(report_name_ok("tenken-2026120xT231211Z.json", 28));
	assert_false(report_name_ok("../tenken-20261207T2312Z.json", 29));
	const char *names[] = {"tenken-20260101T000000Z.json", "tenken-20260101T000000Z.json.sig",
			       "tenken-20260102T000000Z.json", "tenken-20260103T000000Z.json",
			       "notes.txt"};
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fclose(f);
	}
	assert_int_equal(dated_prune(dir, 2), 1);
	snprintf(path, sizeof(path), "%s/%s", dir, names[0]);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, names[1]);
	assert_int_not_equal(access(path, F_OK), 0); /* its signature went with it */
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	assert_int_equal(access(path, F_OK), 0); /* not a dated report: never touched */
	assert_int_equal(dated_prune(dir, 2), 0);
	assert_int_equal(dated_report_path(dir, 0, path, sizeof(path)), 0);
	assert_non_null(strstr(path, "/tenken-19700101T000000Z.json"));
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),    cmocka_unit_test(test_ansible_ini),
	    cmocka_unit_test(test_errors),   cmocka_unit_test(test_safe_name),
	    cmocka_unit_test(test_classify), cmocka_unit_test(test_probe_info),
	    cmocka_unit_test(test_quote),    cmocka_unit_test(test_dated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
