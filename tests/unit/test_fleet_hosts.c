/* test_fleet_hosts.c - the hosts file of `tenken fleet`: plain lists
 * (user@, :port, IPv6 in brackets, per-host profile and baseline, CRLF,
 * comments), Ansible INI inventories (groups, :vars and :children skipped,
 * ansible_host/port/user, host variables ignored), and the refusals, each
 * with its line and column: option-like names, ranges, YAML, bad ports,
 * unknown keys, unterminated quotes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "fleet/hosts.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_ansible_ini),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_safe_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
