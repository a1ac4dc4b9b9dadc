/* test_services.c - the services probe over the fixture roots: enablement
 * through wants links, aliases, masks, templates and instances, socket
 * and timer activation, drop-ins replacing ExecStart, SysV S links, the
 * running state joined from "processes"; and over a hostile root made at
 * test time (FIFO unit files, alias loops, garbage names, a thousand
 * drop-ins). Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "probes/read/fsroot.h"
#include "probes/probe.h"

struct run {
	struct fsroot *root;
	struct probe_ctx ctx;
	int ret;
};

static void run_probe(struct run *r, const char *dir, bool with_procs)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(fsroot_open(dir, FSROOT_WALK_ONLY, &r->root), 0);
	r->ctx.root = r->root;
	r->ctx.offline = true;
	r->ctx.inventory = json_object();
	r->ctx.host = json_object();
	r->ctx.messages = json_array();
	if (with_procs)
		assert_int_equal(probe_processes_run(&r->ctx), 0);
	r->ret = probe_services_run(&r->ctx);
}

static void run_free(struct run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

static json_t *unit(struct run *r, const char *name)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(r->ctx.inventory, "services"), i, o) {
		if (strcmp(json_string_value(json_object_get(o, "unit")), name) == 0)
			return o;
	}
	fail_msg("no unit %s", name);
	return NULL;
}

static const char *hs(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool hb(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	assert_true(json_is_boolean(v));
	return json_is_true(v);
}

static void check_unit(struct run *r, const char *name, const char *st, bool enabled,
		       const char *by0)
{
	json_t *u = unit(r, name);
	assert_string_equal(hs(u, "state"), st);
	assert_int_equal(hb(u, "enabled"), enabled);
	json_t *by = json_object_get(u, "enabled_by");
	if (by0)
		assert_string_equal(json_string_value(json_array_get(by, 0)), by0);
	else
		assert_int_equal(json_array_size(by), 0);
}

static void test_fixture_bad(void **state)
{
	struct run r;
	run_probe(&r, "tests/fixtures/services-bad", true);
	assert_int_equal(r.ret, 0);
	assert_false(r.ctx.partial);
	const char *wants = "/etc/systemd/system/multi-user.target.wants";
	check_unit(&r, "vsftpd.service", "enabled", true, wants);
	check_unit(&r, "x11vnc.service", "enabled", true, wants);
	check_unit(&r, "telnet.socket", "enabled", true,
		   "/etc/systemd/system/sockets.target.wants");
	/* Accept=yes: the socket starts the template; the template itself is static. */
	check_unit(&r, "telnet@.service", "static", true, "socket:telnet.socket");
	check_unit(&r, "logrotate.service", "static", true, "timer:logrotate.timer");
	check_unit(&r, "cups.service", "masked", false, NULL);
	check_unit(&r, "avahi-daemon.service", "disabled", false, NULL);
	check_unit(&r, "sshd.service", "alias", false, NULL);
	check_unit(&r, "systemd-journald.service", "static", false, NULL);
	check_unit(&r, "getty@tty1.service", "enabled", true,
		   "/etc/systemd/system/getty.target.wants");
	/* DefaultInstance=tty1 is enabled: systemctl says "enabled" (another
	 * instance alone would make it "indirect"); the template never starts. */
	check_unit(&r, "getty@.service", "enabled", false, NULL);
	/* rc2.d starts it (systemd's sysv generator); systemctl is-enabled
	 * asks Debian's systemd-sysv-install, which looks in rcS.d and rc5.d */
	check_unit(&r, "proftpd.service", "disabled", true, "/etc/rc2.d/S01proftpd");
	json_t *ssh = unit(&r, "ssh.service");
	assert_string_equal(hs(ssh, "exec_start"), "/usr/local/sbin/sshd-vendor");
	assert_true(hb(ssh, "exec_start_dropin"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(ssh, "dropins"), 0)),
			    "/etc/systemd/system/ssh.service.d/override.conf");
	assert_true(hb(ssh, "running"));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(ssh, "pids"), 0)), 210);
	json_t *getty = unit(&r, "getty@tty1.service");
	assert_string_equal(hs(getty, "template"), "getty@.service");
	assert_string_equal(hs(getty, "unit_file"), "/lib/systemd/system/getty@.service");
	assert_string_equal(hs(getty, "exec_start"), "/sbin/agetty");
	json_t *pf = unit(&r, "proftpd.service");
	assert_string_equal(hs(pf, "source"), "sysv");
	assert_string_equal(hs(pf, "unit_file"), "/etc/init.d/proftpd");
	assert_false(hb(pf, "running"));
	json_t *lt = unit(&r, "logrotate.timer");
	assert_string_equal(json_string_value(json_array_get(json_object_get(lt, "schedule"), 0)),
			    "OnCalendar=daily");
	run_free(&r);
}

/* systemctl's states (a /usr/lib .wants link is static, an Alias=
 * symlink in /etc enables) and units that cannot start. */
static void test_runnable(void **state)
{
	struct run r;
	(void)state;
	run_probe(&r, "tests/fixtures/services-runnable", false);
	assert_int_equal(r.ret, 0);
	check_unit(&r, "kmod-static-nodes.service", "static", true,
		   "/usr/lib/systemd/system/sysinit.target.wants");
	json_t *k = unit(&r, "kmod-static-nodes.service");
	assert_false(hb(k, "runnable"));
	assert_string_equal(hs(k, "not_runnable_reason"), "ExecStart binary absent: /bin/kmod");
	check_unit(&r, "NetworkManager-dispatcher.service", "enabled", true,
		   "alias:dbus-org.freedesktop.nm-dispatcher.service");
	assert_true(hb(unit(&r, "NetworkManager-dispatcher.service"), "runnable"));
	json_t *rs = unit(&r, "report-sync.service");
	assert_false(hb(rs, "runnable"));
	assert_string_equal(hs(rs, "not_runnable_reason"),
			    "ConditionPathExists=/var/spool/report-sync");
	assert_true(json_is_null(
	    json_object_get(unit(&r, "dbus-org.freedesktop.nm-dispatcher.service"), "runnable")));
	run_free(&r);
}

static void test_no_procs(void **state)
{
	struct run r;
	run_probe(&r, "tests/fixtures/services-bad", false);
	assert_int_equal(r.ret, 0);
	json_t *v = unit(&r, "vsftpd.service");
	assert_true(json_is_null(json_object_get(v, "running")));
	assert_true(json_is_null(json_object_get(v, "pids")));
	assert_true(hb(v, "active")); /* enabled alone */
	assert_false(hb(unit(&r, "avahi-daemon.service"), "active"));
	run_free(&r);
}

static void mkfile(const char *dir, const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_hostile(void **state)
{
	char dir[] = "/tmp/tenken-svc-XXXXXX", p[512], cmd[600];
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/etc/systemd/system/multi-user.target.wants %s/lib/systemd/system "
		 "%s/etc/systemd/system/big.service.d",
		 dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/lib/systemd/system/fifo.service", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/etc/systemd/system/multi-user.target.wants/fifo.service", dir);
	assert_int_equal(symlink("/lib/systemd/system/fifo.service", p), 0);
	/* alias loop: a -> b -> a */
	snprintf(p, sizeof(p), "%s/etc/systemd/system/a.service", dir);
	assert_int_equal(symlink("b.service", p), 0);
	snprintf(p, sizeof(p), "%s/etc/systemd/system/b.service", dir);
	assert_int_equal(symlink("a.service", p), 0);
	snprintf(p, sizeof(p), "%s/etc/systemd/system/multi-user.target.wants/a.service", dir);
	assert_int_equal(symlink("/etc/systemd/system/a.service", p), 0);
	/* a wants link escaping the root, names that are not units */
	snprintf(p, sizeof(p), "%s/etc/systemd/system/multi-user.target.wants/esc.service", dir);
	assert_int_equal(symlink("../../../../../../etc/passwd", p), 0);
	mkfile(dir, "etc/systemd/system/multi-user.target.wants/bad name.service", "");
	mkfile(dir, "lib/systemd/system/big.service",
	       "[Service]\nExecStart=/bin/big\n[Install]\nWantedBy=multi-user.target\n");
	for (int i = 0; i < 1000; i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "etc/systemd/system/big.service.d/%04d.conf", i);
		mkfile(dir, rel, "[Service]\nExecStart=\nExecStart=/bin/dropin\n");
	}
	struct run r;
	run_probe(&r, dir, false);
	assert_int_equal(r.ret, 0);
	assert_true(r.ctx.partial); /* the FIFO unit file is reported */
	json_t *big = unit(&r, "big.service");
	assert_int_equal(json_array_size(json_object_get(big, "dropins")), 256);
	assert_string_equal(hs(big, "exec_start"), "/bin/dropin");
	assert_string_equal(hs(unit(&r, "a.service"), "state"), "alias");
	/* The FIFO is reported, never read, and not listed. */
	json_t *m = json_array_get(r.ctx.messages, 0);
	assert_non_null(strstr(json_string_value(json_object_get(m, "en")), "fifo.service"));
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(r.ctx.inventory, "services"), i, o)
		assert_string_not_equal(hs(o, "unit"), "fifo.service");
	run_free(&r);
	/* An empty root is neither systemd nor SysV. */
	snprintf(cmd, sizeof(cmd), "rm -rf %s/etc %s/lib", dir, dir);
	assert_int_equal(system(cmd), 0);
	run_probe(&r, dir, false);
	assert_int_equal(r.ret, PROBE_RET_NOT_APPLICABLE);
	run_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* The drop-in directories systemd searches, listed once per unit
 * directory: NAME.d, the template's, dash prefixes, an alias's and the
 * type-level service.d, sorted by file name across all of them, a name in
 * a higher directory (or an earlier directory of the same precedence)
 * hiding the lower; a /dev/null symlink hides and applies nothing. The
 * expected lists are systemd-analyze verify --root's "DropIn Path:" lines
 * for this layout. Ports: every Listen*= line after drop-ins. */
static void test_dropin_precedence(void **state)
{
	char dir[] = "/tmp/tenken-dropin-XXXXXX", p[512], cmd[1400];
	assert_non_null(mkdtemp(dir));
	const char *U = "usr/lib/systemd/system", *E = "etc/systemd/system";
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p %s/foo-bar-baz.service.d %s/foo-bar-baz.service.d "
		 "%s/foo-.service.d %s/foo-bar-.service.d %s/service.d %s/service.d "
		 "%s/tpl-x@.service.d %s/tpl-x@i.service.d %s/tpl-.service.d %s/tpl-@i.service.d "
		 "%s/alias-name.service.d %s/multi-user.target.wants %s/two.socket.d",
		 dir, U, E, U, E, U, E, U, E, U, E, E, E, E);
	assert_int_equal(system(cmd), 0);
	static const char *const files[][2] = {
	    {"usr/lib/systemd/system/foo-bar-baz.service", "[Service]\nExecStart=/bin/a\n"},
	    {"usr/lib/systemd/system/tpl-x@.service", "[Service]\nExecStart=/bin/t\n"},
	    {"usr/lib/systemd/system/foo-bar-baz.service.d/10-a.conf", "[Service]\nExecStart=\n"},
	    {"usr/lib/systemd/system/foo-bar-baz.service.d/50-x.conf", ""},
	    {"usr/lib/systemd/system/foo-bar-baz.service.d/90-z.conf",
	     "[Service]\nExecStart=\nExecStart=/bin/masked\n"},
	    {"etc/systemd/system/foo-bar-baz.service.d/50-x.conf", ""},
	    {"usr/lib/systemd/system/foo-.service.d/20-p.conf", ""},
	    {"etc/systemd/system/foo-bar-.service.d/10-a.conf", "[Service]\nType=notify\n"},
	    {"usr/lib/systemd/system/service.d/05-t.conf", ""},
	    {"etc/systemd/system/service.d/30-t.conf", ""},
	    {"usr/lib/systemd/system/tpl-x@.service.d/10-t.conf", "[Service]\nExecStart=\n"},
	    {"etc/systemd/system/tpl-x@i.service.d/10-t.conf", ""},
	    {"usr/lib/systemd/system/tpl-.service.d/20-tp.conf", ""},
	    {"etc/systemd/system/tpl-@i.service.d/30-ip.conf", ""},
	    {"etc/systemd/system/alias-name.service.d/40-al.conf", ""},
	    {"usr/lib/systemd/system/two.socket",
	     "[Socket]\nListenStream=/run/two\nListenStream=23\n[Install]\nWantedBy=x\n"},
	    {"etc/systemd/system/two.socket.d/ports.conf",
	     "[Socket]\nListenDatagram=0.0.0.0:69\nListenStream=[::1]:2323\n"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		mkfile(dir, files[i][0], files[i][1]);
	snprintf(p, sizeof(p), "%s/%s/foo-bar-baz.service.d/90-z.conf", dir, E);
	assert_int_equal(symlink("/dev/null", p), 0);
	snprintf(p, sizeof(p), "%s/%s/alias-name.service", dir, U);
	assert_int_equal(symlink("/usr/lib/systemd/system/foo-bar-baz.service", p), 0);
	snprintf(p, sizeof(p), "%s/%s/multi-user.target.wants/tpl-x@i.service", dir, E);
	assert_int_equal(symlink("/usr/lib/systemd/system/tpl-x@.service", p), 0);
	struct run r;
	run_probe(&r, dir, false);
	assert_int_equal(r.ret, 0);
	assert_false(r.ctx.partial); /* the /dev/null drop-in is no unreadable file */
	static const char *const foo[] = {"/usr/lib/systemd/system/service.d/05-t.conf",
					  "/etc/systemd/system/foo-bar-.service.d/10-a.conf",
					  "/usr/lib/systemd/system/foo-.service.d/20-p.conf",
					  "/etc/systemd/system/service.d/30-t.conf",
					  "/etc/systemd/system/alias-name.service.d/40-al.conf",
					  "/etc/systemd/system/foo-bar-baz.service.d/50-x.conf",
					  "/etc/systemd/system/foo-bar-baz.service.d/90-z.conf"};
	static const char *const inst[] = {"/usr/lib/systemd/system/service.d/05-t.conf",
					   "/etc/systemd/system/tpl-x@i.service.d/10-t.conf",
					   "/usr/lib/systemd/system/tpl-.service.d/20-tp.conf",
					   "/etc/systemd/system/tpl-@i.service.d/30-ip.conf",
					   "/etc/systemd/system/service.d/30-t.conf"};
	json_t *u = unit(&r, "foo-bar-baz.service"), *d = json_object_get(u, "dropins");
	assert_int_equal(json_array_size(d), 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(json_string_value(json_array_get(d, i)), foo[i]);
	/* /etc's prefix 10-a.conf hid /usr/lib's (which cleared ExecStart);
	 * the masked 90-z.conf applied nothing */
	assert_string_equal(hs(u, "exec_start"), "/bin/a");
	assert_string_equal(hs(u, "service_type"), "notify");
	u = unit(&r, "tpl-x@i.service");
	d = json_object_get(u, "dropins");
	assert_int_equal(json_array_size(d), 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(json_string_value(json_array_get(d, i)), inst[i]);
	assert_string_equal(hs(u, "exec_start"), "/bin/t"); /* the instance's 10-t hid it */
	u = unit(&r, "two.socket");
	json_t *pp = json_object_get(u, "proto_ports");
	assert_int_equal(json_array_size(pp), 3);
	assert_string_equal(json_string_value(json_array_get(pp, 0)), "tcp/23");
	assert_string_equal(json_string_value(json_array_get(pp, 1)), "udp/69");
	assert_string_equal(json_string_value(json_array_get(pp, 2)), "tcp/2323");
	assert_string_equal(hs(u, "proto_port"), "tcp/23");
	assert_int_equal(json_array_size(json_object_get(u, "listen")), 4);
	run_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- autostart and remote_access (probes/autostart.c) ---- */

static json_t *autostart_entry(struct run *r, const char *path, json_int_t line)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(r->ctx.inventory, "autostart"), i, o) {
		json_t *l = json_object_get(o, "line");
		if (strcmp(hs(o, "path"), path) == 0 && (line < 0 || json_integer_value(l) == line))
			return o;
	}
	fail_msg("no autostart entry %s:%lld", path, (long long)line);
	return NULL;
}

static void test_autostart_fixture(void **state)
{
	struct run r;
	run_probe(&r, "tests/fixtures/services-bad", true);
	assert_int_equal(probe_packages_run(&r.ctx), 0);
	assert_int_equal(probe_autostart_run(&r.ctx), 0);
	json_t *a = autostart_entry(&r, "/var/spool/cron/crontabs/alice", 1);
	assert_string_equal(hs(a, "schedule"), "*/5 * * * *");
	assert_string_equal(hs(a, "user"), "alice");
	assert_string_equal(hs(a, "command"), "/usr/bin/curl --token=******** ********");
	a = autostart_entry(&r, "/var/spool/cron/crontabs/alice", 2);
	assert_string_equal(hs(a, "schedule"), "@reboot");
	a = autostart_entry(&r, "/etc/crontab", 3);
	assert_string_equal(hs(a, "user"), "root");
	assert_string_equal(hs(a, "command"), "cd / && run-parts --report /etc/cron.hourly");
	a = autostart_entry(&r, "/home/alice/.config/autostart/helper.desktop", -1);
	assert_string_equal(hs(a, "kind"), "xdg");
	assert_string_equal(hs(a, "command"), "/tmp/.x --password ********");
	assert_true(hb(a, "enabled"));
	a = autostart_entry(&r, "/lib/systemd/system/logrotate.timer", -1);
	assert_string_equal(hs(a, "schedule"), "OnCalendar=daily");
	assert_string_equal(hs(a, "command"), "/usr/sbin/logrotate");
	/* Remote access: sshd and x11vnc, both installed, enabled, running. */
	json_t *ra = json_object_get(r.ctx.inventory, "remote_access");
	assert_int_equal(json_array_size(ra), 2);
	json_t *vnc = json_array_get(ra, 1);
	assert_string_equal(hs(vnc, "name"), "x11vnc");
	assert_string_equal(hs(vnc, "kind"), "vnc");
	assert_string_equal(hs(vnc, "package"), "x11vnc");
	assert_string_equal(hs(vnc, "service"), "x11vnc.service");
	assert_true(hb(vnc, "enabled"));
	assert_true(hb(vnc, "running"));
	char *dump = json_dumps(r.ctx.inventory, 0);
	assert_null(strstr(dump, "S3cret"));
	free(dump);
	run_free(&r);
}

static void test_autostart_hostile(void **state)
{
	char dir[] = "/tmp/tenken-cron-XXXXXX", p[512], cmd[600];
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/etc/cron.d %s/var/spool/cron/crontabs %s/etc/xdg/autostart", dir, dir,
		 dir);
	assert_int_equal(system(cmd), 0);
	mkfile(dir, "etc/crontab",
	       "MAILTO=root\r\n"
	       "# comment\n"
	       "* * * * *\n"		      /* no user, no command */
	       "* * * * * root\n"	      /* no command */
	       "@daily\n"		      /* nothing */
	       "0 1 * * * root /bin/ok\r\n"   /* CRLF */
	       "5 4 * * sun root /bin/last"); /* no final newline */
	mkfile(dir, "etc/cron.d/backup.dpkg-old", "* * * * * root /tmp/ignored\n");
	snprintf(p, sizeof(p), "%s/etc/cron.d/fifo", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	mkfile(dir, "etc/xdg/autostart/off.desktop",
	       "[Desktop Entry]\nExec=/usr/bin/a\nX-GNOME-Autostart-enabled=false\n"
	       "[Desktop Action x]\nExec=/tmp/not-this\n");
	/* a 1 MiB line */
	snprintf(p, sizeof(p), "%s/var/spool/cron/crontabs/bob", dir);
	FILE *f = fopen(p, "w");
	fputs("* * * * * ", f);
	for (int i = 0; i < (1 << 20); i++)
		fputc('a', f);
	fputs("\n1 2 3 4 5 /bin/bob\n", f);
	fclose(f);
	struct run r;
	run_probe(&r, dir, false);
	assert_int_equal(probe_autostart_run(&r.ctx), 0);
	json_t *au = json_object_get(r.ctx.inventory, "autostart");
	assert_int_equal(json_array_size(au), 4); /* ok, last, bob's second line, off */
	assert_string_equal(hs(autostart_entry(&r, "/etc/crontab", 6), "command"), "/bin/ok");
	assert_string_equal(hs(autostart_entry(&r, "/etc/crontab", 7), "schedule"), "5 4 * * sun");
	assert_string_equal(hs(autostart_entry(&r, "/var/spool/cron/crontabs/bob", 2), "user"),
			    "bob");
	json_t *off = autostart_entry(&r, "/etc/xdg/autostart/off.desktop", -1);
	assert_false(hb(off, "enabled"));
	assert_string_equal(hs(off, "command"), "/usr/bin/a");
	assert_string_equal(hs(off, "user"), "*");
	assert_true(r.ctx.partial); /* the FIFO */
	run_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture_bad),	      cmocka_unit_test(test_no_procs),
	    cmocka_unit_test(test_hostile),	      cmocka_unit_test(test_autostart_fixture),
	    cmocka_unit_test(test_autostart_hostile), cmocka_unit_test(test_runnable),
	    cmocka_unit_test(test_dropin_precedence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
