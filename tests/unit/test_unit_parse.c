/* test_unit_parse.c - systemd unit files and drop-ins: [Install] lists
 * (reset by an empty assignment), ExecStart prefixes and quoting, drop-ins
 * that clear and replace ExecStart, sockets and timers, continuation
 * lines, CRLF, comments, garbage; unit name parts; every Listen*= of a
 * socket; the drop-in directory names systemd searches (the lists were
 * checked against the "DropIn Path:" lines systemd-analyze verify --root
 * prints for the same names). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/unit_parse.h"

static void parse(struct unit_info *u, const char *text, bool dropin)
{
	assert_int_equal(unit_parse(text, strlen(text), dropin, u), 0);
}

static void test_exec_binary(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"/usr/sbin/sshd -D $SSHD_OPTS", "/usr/sbin/sshd"},
	    {"-/sbin/agetty -o '-p -- \\u' --noclear - $TERM", "/sbin/agetty"},
	    {"@/usr/bin/x argv0 -a", "/usr/bin/x"},
	    {"+!!/usr/lib/a", "/usr/lib/a"},
	    {":-/bin/true", "/bin/true"},
	    {"\"/opt/My App/bin\" --x", "/opt/My App/bin"},
	    {"'/opt/q'", "/opt/q"},
	    {"   /bin/sh", "/bin/sh"},
	    {"", NULL},
	    {"-", NULL},
	    {"\"\"", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *b = unit_exec_binary(cases[i].in, strlen(cases[i].in));
		if (!cases[i].out)
			assert_null(b);
		else
			assert_string_equal(b, cases[i].out);
		free(b);
	}
}

static void test_install(void **state)
{
	struct unit_info u = {0};
	parse(&u,
	      "# comment\r\n"
	      "; other comment\n"
	      "[Unit]\n"
	      "Description=x \\\n"
	      "  continued\n"
	      "WantedBy=ignored-outside-install.target\n"
	      "[Install]\n"
	      "WantedBy=multi-user.target graphical.target\n"
	      "WantedBy=\n"
	      "WantedBy = default.target\n"
	      "RequiredBy=a.target\n"
	      "Alias=sshd.service\n"
	      "Also=ssh.socket\n"
	      "DefaultInstance=tty1\n"
	      "not a key\n"
	      "[Service]\n"
	      "ExecStart=/usr/sbin/sshd -D",
	      false);
	assert_true(u.has_install);
	assert_int_equal(u.wanted_by.n, 1);
	assert_string_equal(u.wanted_by.v[0], "default.target");
	assert_int_equal(u.required_by.n, 1);
	assert_string_equal(u.alias.v[0], "sshd.service");
	assert_string_equal(u.also.v[0], "ssh.socket");
	assert_string_equal(u.default_instance, "tty1");
	assert_string_equal(u.exec_start, "/usr/sbin/sshd");
	assert_false(u.exec_start_dropin);
	assert_int_equal(u.bad_lines, 1);
	assert_int_equal(u.first_bad_line, 15);
	unit_info_free(&u);

	parse(&u, "[Unit]\nDescription=static unit\n[Service]\nExecStart=/bin/x\n", false);
	assert_false(u.has_install);
	unit_info_free(&u);
}

static void test_dropins(void **state)
{
	struct unit_info u = {0};
	parse(&u, "[Service]\nExecStart=/usr/sbin/sshd -D\n", false);
	/* A drop-in that only adds an environment variable leaves ExecStart. */
	parse(&u, "[Service]\nEnvironment=A=1\n", true);
	assert_string_equal(u.exec_start, "/usr/sbin/sshd");
	assert_false(u.exec_start_dropin);
	/* Clearing and replacing. */
	parse(&u, "[Service]\r\nExecStart=\r\nExecStart=/opt/vendor/sshd -D\r\n", true);
	assert_string_equal(u.exec_start, "/opt/vendor/sshd");
	assert_true(u.exec_start_dropin);
	/* Only clearing: no ExecStart in effect. */
	parse(&u, "[Service]\nExecStart=\n", true);
	assert_null(u.exec_start);
	unit_info_free(&u);

	/* A oneshot's several ExecStart lines: the first is the binary. */
	parse(&u, "[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n", false);
	assert_string_equal(u.exec_start, "/bin/a");
	unit_info_free(&u);
}

static void test_socket_timer(void **state)
{
	struct unit_info u = {0};
	parse(&u, "[Socket]\nListenStream=23\nAccept=yes\n[Install]\nWantedBy=sockets.target\n",
	      false);
	assert_true(u.socket_accept);
	assert_null(u.socket_service);
	unit_info_free(&u);
	parse(&u, "[Socket]\nService=other.service\nAccept=false\n", false);
	assert_false(u.socket_accept);
	assert_string_equal(u.socket_service, "other.service");
	unit_info_free(&u);
	parse(&u,
	      "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nOnCalendar=\nOnCalendar=*-*-* 6:00\n"
	      "Unit=backup.service\n",
	      false);
	assert_int_equal(u.timer_on.n, 1);
	assert_string_equal(u.timer_on.v[0], "OnCalendar=*-*-* 6:00");
	assert_string_equal(u.timer_unit, "backup.service");
	unit_info_free(&u);
}

static void test_hostile(void **state)
{
	struct unit_info u = {0};
	/* NUL bytes, an unterminated section, a trailing backslash at EOF,
	 * invalid UTF-8, a 1 MiB line. */
	static const char nul[] = "[Service]\nExec\0Start=/x\n[Broken\nExecStart=/bin/ok \\";
	assert_int_equal(unit_parse(nul, sizeof(nul) - 1, false, &u), 0);
	assert_string_equal(u.exec_start, "/bin/ok");
	assert_int_equal(u.bad_lines, 2);
	unit_info_free(&u);
	size_t big = 1u << 20;
	char *buf = malloc(big + 32);
	memcpy(buf, "[Install]\nWantedBy=", 19);
	memset(buf + 19, 'a', big);
	memcpy(buf + 19 + big, ".target\n\xff\xfe\n", 11);
	assert_int_equal(unit_parse(buf, big + 30, false, &u), 0);
	assert_int_equal(u.wanted_by.n, 1);
	assert_int_equal(strlen(u.wanted_by.v[0]), big + 7);
	unit_info_free(&u);
	free(buf);
	/* Continuation lines never end: one logical line. */
	assert_int_equal(unit_parse("a=\\\n\\\n\\\n", 9, false, &u), 0);
	unit_info_free(&u);
}

static void test_name_split(void **state)
{
	static const struct {
		const char *name;
		bool ok, tmpl, inst;
		const char *t;
	} cases[] = {
	    {"getty@tty1.service", true, false, true, "getty@.service"},
	    {"getty@.service", true, true, false, NULL},
	    {"ssh.service", true, false, false, NULL},
	    {"openvpn@site-a.b.service", true, false, true, "openvpn@.service"},
	    {"noext", false, false, false, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char t[64] = "";
		bool tm = !cases[i].tmpl, in = !cases[i].inst;
		assert_int_equal(unit_name_split(cases[i].name, &tm, &in, t), cases[i].ok);
		if (!cases[i].ok)
			continue;
		assert_int_equal(tm, cases[i].tmpl);
		assert_int_equal(in, cases[i].inst);
		if (cases[i].t)
			assert_string_equal(t, cases[i].t);
	}
}

static void test_listens(void **state)
{
	struct unit_info u = {0};
	parse(&u,
	      "[Socket]\nListenStream=/run/rpcbind.sock\nListenStream=0.0.0.0:111\n"
	      "ListenDatagram=0.0.0.0:111\nListenSequentialPacket=9\nListenFIFO=/run/f\n"
	      "ListenNetlink=audit 1\nListenBogus=1\n[Service]\nListenStream=7\n",
	      false);
	const char *want[] = {"ListenStream=/run/rpcbind.sock",
			      "ListenStream=0.0.0.0:111",
			      "ListenDatagram=0.0.0.0:111",
			      "ListenSequentialPacket=9",
			      "ListenFIFO=/run/f",
			      "ListenNetlink=audit 1"};
	assert_int_equal(u.listens.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(u.listens.v[i], want[i]);
	/* A drop-in's empty assignment of any kind removes every listener. */
	parse(&u, "[Socket]\nListenDatagram=\nListenStream=2323\n", true);
	assert_int_equal(u.listens.n, 1);
	assert_string_equal(u.listens.v[0], "ListenStream=2323");
	parse(&u, "[Socket]\nListenStream=[::]:993\n", true);
	assert_int_equal(u.listens.n, 2);
	unit_info_free(&u);
}

static void test_dropin_dirnames(void **state)
{
	static const struct {
		const char *name;
		const char *want;
	} cases[] = {
	    {"ssh.service", "ssh.service.d"},
	    {"foo-bar-baz.service", "foo-bar-baz.service.d foo-bar-.service.d foo-.service.d"},
	    {"tpl-x@i.service",
	     "tpl-x@i.service.d tpl-x@.service.d tpl-.service.d tpl-@i.service.d tpl-@.service.d"},
	    {"getty@tty1.service", "getty@tty1.service.d getty@.service.d"},
	    {"a-b-.service", "a-b-.service.d a-.service.d"},
	    {"-x.socket", "-x.socket.d"},
	    {"user-1000.slice", "user-1000.slice.d user-.slice.d"},
	    {"noext", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strv v = {0};
		char got[512] = "";
		assert_int_equal(unit_dropin_dirnames(cases[i].name, &v), 0);
		for (size_t k = 0; k < v.n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? " " : "",
				 v.v[k]);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name, got, cases[i].want);
		strv_reset(&v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exec_binary), cmocka_unit_test(test_install),
	    cmocka_unit_test(test_dropins),	cmocka_unit_test(test_socket_timer),
	    cmocka_unit_test(test_hostile),	cmocka_unit_test(test_name_split),
	    cmocka_unit_test(test_listens),	cmocka_unit_test(test_dropin_dirnames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
