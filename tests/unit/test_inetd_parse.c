/* test_inetd_parse.c - inetd.conf entries (update-inetd's "#<off>#"
 * form, tcpd, addresses, short lines), /etc/services lookups, xinetd.conf
 * (defaults enabled/disabled lists with = += -=, includes, braces on their
 * own line or not, a service without its closing brace). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/inetd_parse.h"

struct seen {
	char line[16][160];
	size_t n;
};

static int record(void *ud, const struct inetd_entry *e)
{
	struct seen *s = ud;
	if (s->n < 16)
		snprintf(s->line[s->n++], sizeof(s->line[0]), "%s %s %s %s %s %d", e->service,
			 e->address ? e->address : "-", e->protocol, e->program ? e->program : "-",
			 e->internal ? "internal" : "ext", e->enabled);
	return 0;
}

static void test_inetd_conf(void **state)
{
	static const char conf[] =
	    "# comment\n"
	    "#<off># telnet\tstream\ttcp\tnowait\troot\t/usr/sbin/tcpd\t/usr/sbin/telnetd\n"
	    "ftp stream tcp6 nowait root /usr/sbin/tcpd /usr/sbin/in.ftpd -l\r\n"
	    "127.0.0.1:2323 stream tcp nowait.40 root /usr/sbin/in.telnetd in.telnetd\n"
	    "daytime stream tcp nowait root internal\n"
	    "short line\n"
	    "#telnet stream tcp nowait root /usr/sbin/telnetd telnetd";
	struct seen s = {0};
	unsigned bad, first;
	(void)state;
	assert_int_equal(inetd_conf_parse(conf, sizeof(conf) - 1, record, &s, &bad, &first), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.line[0], "telnet - tcp /usr/sbin/telnetd ext 0");
	assert_string_equal(s.line[1], "ftp - tcp6 /usr/sbin/in.ftpd ext 1");
	assert_string_equal(s.line[2], "2323 127.0.0.1 tcp /usr/sbin/in.telnetd ext 1");
	assert_string_equal(s.line[3], "daytime - tcp internal internal 1");
	assert_int_equal(bad, 1);
	assert_int_equal(first, 6);
}

static void test_services_port(void **state)
{
	static const char db[] = "telnet\t\t23/tcp\nsyslog 514/udp\nshell 514/tcp cmd # rsh\n"
				 "ftp 21/tcp\n";
	(void)state;
	assert_int_equal(services_port(db, sizeof(db) - 1, "telnet", "tcp"), 23);
	assert_int_equal(services_port(db, sizeof(db) - 1, "telnet", "tcp6"), 23);
	assert_int_equal(services_port(db, sizeof(db) - 1, "telnet", "udp"), -1);
	assert_int_equal(services_port(db, sizeof(db) - 1, "cmd", "tcp"), 514);
	assert_int_equal(services_port(db, sizeof(db) - 1, "2323", "tcp"), 2323);
	assert_int_equal(services_port(db, sizeof(db) - 1, "99999", "tcp"), -1);
}

static int includes;
static void on_include(void *ud, const char *kind, const char *path, unsigned line)
{
	(void)ud;
	(void)line;
	if (strcmp(kind, "includedir") == 0 && strcmp(path, "/etc/xinetd.d") == 0)
		includes++;
}

static const struct xinetd_service *svc(const struct xinetd_conf *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].id ? c->v[i].id : c->v[i].name, id) == 0)
			return &c->v[i];
	fail_msg("no service %s", id);
	return NULL;
}

static void test_xinetd(void **state)
{
	static const char conf[] = "defaults\n{\n\tenabled = telnet daytime-stream ftp\n"
				   "\tenabled -= ftp\n\tdisabled = echo\n}\n"
				   "includedir /etc/xinetd.d\n"
				   "service telnet {\n\tdisable = no\n\tsocket_type = stream\n"
				   "\tserver = /usr/sbin/telnetd # comment\n}\n"
				   "service daytime\n{\n\tid = daytime-stream\n\tdisable = yes\n}\n"
				   "service echo\n{\n\tsocket_type = stream\n}\n"
				   "service ftp\n{\n\tsocket_type = stream\n}\n"
				   "service broken\n{\n\tsocket_type = stream\n";
	struct xinetd_conf c = {0};
	(void)state;
	includes = 0;
	assert_int_equal(
	    xinetd_conf_parse(conf, sizeof(conf) - 1, "/etc/xinetd.conf", &c, on_include, NULL), 0);
	assert_int_equal(includes, 1);
	assert_int_equal(c.n, 5);
	assert_true(xinetd_service_enabled(&c, svc(&c, "telnet")));
	assert_string_equal(svc(&c, "telnet")->server, "/usr/sbin/telnetd");
	assert_false(xinetd_service_enabled(&c, svc(&c, "daytime-stream"))); /* disable = yes */
	assert_false(xinetd_service_enabled(&c, svc(&c, "echo")));	     /* disabled list */
	assert_false(xinetd_service_enabled(&c, svc(&c, "ftp")));	     /* not in enabled */
	assert_true(svc(&c, "broken")->disable);			     /* no closing brace */
	xinetd_conf_free(&c);
	assert_true(xinetd_includedir_name("telnet"));
	assert_false(xinetd_includedir_name("telnet.dpkg-old"));
	assert_false(xinetd_includedir_name("telnet~"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inetd_conf),
	    cmocka_unit_test(test_services_port),
	    cmocka_unit_test(test_xinetd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
