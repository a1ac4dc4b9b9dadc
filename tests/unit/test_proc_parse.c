/* test_proc_parse.c - the pure /proc parsers behind the processes probe:
 * stat (comm with spaces and parentheses), status Uid, cmdline joining and
 * secret masking, the exe link's " (deleted)", temp paths, cgroup -> unit.
 * Tables of cases, including garbage that must be refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/proc_parse.h"

#define S(lit) lit, sizeof(lit) - 1

static void test_stat(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		int ret;
		long pid, ppid;
		const char *comm;
		char st;
	} cases[] = {
	    {S("1 (systemd) S 0 1 1 0 -1 4194560 0\n"), 0, 1, 0, "systemd", 'S'},
	    {S("42 (a b) c) R 7 42"), 0, 42, 7, "a b) c", 'R'},
	    {S("9 ((sd-pam)) S 8 9 9\n"), 0, 9, 8, "(sd-pam)", 'S'},
	    {S("5 () Z 1 0"), 0, 5, 1, "", 'Z'},
	    {S("7 (caf\xe9) S 1 0"), 0, 7, 1, "caf\xe9", 'S'},
	    {S("x (bad) S 1"), -EINVAL, 0, 0, NULL, 0},
	    {S("1 (no close S 0"), -EINVAL, 0, 0, NULL, 0},
	    {S("1 (x) S"), -EINVAL, 0, 0, NULL, 0},
	    {S("1 (x) S -3 0"), -EINVAL, 0, 0, NULL, 0},
	    {S("1 (x) 9 3 0"), -EINVAL, 0, 0, NULL, 0},
	    {S("0 (x) S 1 0"), -EINVAL, 0, 0, NULL, 0},
	    {S("1(x) S 1 0"), -EINVAL, 0, 0, NULL, 0},
	    {S(""), -EINVAL, 0, 0, NULL, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long pid = -1, ppid = -1;
		char *comm = NULL, st = 0;
		int r = proc_stat_parse(cases[i].in, cases[i].len, &pid, &comm, &st, &ppid);
		assert_int_equal(r, cases[i].ret);
		if (r < 0)
			continue;
		assert_int_equal(pid, cases[i].pid);
		assert_int_equal(ppid, cases[i].ppid);
		assert_string_equal(comm, cases[i].comm);
		assert_int_equal(st, cases[i].st);
		free(comm);
	}
}

static void test_status_uid(void **state)
{
	static const struct {
		const char *in;
		int ret;
		long uid;
	} cases[] = {
	    {"Name:\tx\nUid:\t1000\t1000\t1000\t1000\nGid:\t1\n", 0, 1000},
	    {"Uid:\t0\t0\t0\t0", 0, 0},
	    {"Name:\tx\r\nUid:\t33\t0\t0\t0\r\n", 0, 33},
	    {"Uid:\t4294967294\t0\t0\t0\n", 0, 4294967294L},
	    {"Name:\tx\n", -ENOENT, 0},
	    {"Uid:\tabc\n", -EINVAL, 0},
	    {"Uid:\t-1\t0\n", -EINVAL, 0},
	    {"Uid:\t99999999999\n", -EINVAL, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long uid = -1;
		assert_int_equal(proc_status_uid(cases[i].in, strlen(cases[i].in), &uid),
				 cases[i].ret);
		if (cases[i].ret == 0)
			assert_int_equal(uid, cases[i].uid);
	}
}

static void test_cmdline(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
	    {S(""), ""},
	    {S("/sbin/init\0"), "/sbin/init"},
	    {S("/bin/sleep\0"
	       "100\0"),
	     "/bin/sleep 100"},
	    {S("no-final-nul\0x"), "no-final-nul x"},
	    {S("a\0\0b\0"), "a  b"},
	    {S("sshd: root@pts/0"), "sshd: root@pts/0"},
	    {S("app\0--password=hunter2\0--user=bob\0"), "app --password=******** --user=bob"},
	    {S("app\0--password\0hunter2\0-v\0"), "app --password ******** -v"},
	    {S("app\0--api-token\0abc\0"), "app --api-token ********"},
	    {S("x11vnc\0-passwd\0pw\0-rfbport\0005900\0"), "x11vnc -passwd ******** -rfbport 5900"},
	    {S("env\0DB_PASS=x\0API_KEY=y\0HOME=/root\0"),
	     "env DB_PASS=******** API_KEY=******** HOME=/root"},
	    {S("tool\0client_secret=s\0"), "tool client_secret=********"},
	    {S("mysql\0-u\0root\0-psecret\0"), "mysql -u root -p********"},
	    {S("/usr/bin/mysql\0-p\0secret\0db\0"), "/usr/bin/mysql -p ******** db"},
	    {S("grep\0-p\0pattern\0"), "grep -p pattern"},
	    {S("redis-cli\0-a\0pw\0"), "redis-cli -a ********"},
	    {S("curl\0https://u:pw@h.example/p\0"), "curl https://u:********@h.example/p"},
	    {S("curl\0https://u@h.example/p:x\0"), "curl https://********@h.example/p:x"},
	    {S("x\0--password=\0"), "x --password="},
	    {S("x\0--token\0"), "x --token"},
	    {S("find\0/tmp\0-name\0a=b\0"), "find /tmp -name a=b"},
	    {S("x\0/etc/key=value/path\0"), "x /etc/key=value/path"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = proc_cmdline_masked(cases[i].in, cases[i].len);
		assert_non_null(s);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
	/* The forms the full view masks (README "Command lines"). */
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} full[] = {
	    {S("curl\0-u\0alice:Sesame1\0https://h/\0"), "curl -u alice:******** https://h/"},
	    {S("curl\0-ualice:Sesame1\0"), "curl -ualice:********"},
	    {S("curl\0-H\0Authorization: Bearer abc.def\0"), "curl -H Authorization:********"},
	    {S("curl\0https://TOKEN123@api.example/x\0"), "curl https://********@api.example/x"},
	    {S("mount\0-o\0rw,username=u,password=Pw1,vers=3\0//s/x\0/mnt\0"),
	     "mount -o rw,username=u,password=********,vers=3 //s/x /mnt"},
	    {S("ldapsearch\0-x\0-w\0LdapPw\0-D\0cn=admin\0"),
	     "ldapsearch -x -w ******** -D cn=admin"},
	    {S("smbclient\0-U\0bob%SmbPw\0//srv/share\0"), "smbclient -U bob%******** //srv/share"},
	    {S("openssl\0enc\0-k\0EncPw\0"), "openssl enc -k ********"},
	    {S("openssl\0enc\0-pass\0pass:EncPw2\0"), "openssl enc -pass ********"},
	    {S("psql\0host=db password=PgPw1 dbname=x\0"),
	     "psql host=db password=******** dbname=x"},
	    {S("app\0ghp_A1b2C3d4E5f6G7h8I9j0K1l2\0"), "app ********"},
	    {S("app\0/srv/ghp_A1b2C3d4E5f6G7h8I9j0K1l2/x\0"), "app ********"},
	};
	for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++) {
		char *s = proc_cmdline_view(full[i].in, full[i].len, true, NULL, CMDLINE_FULL);
		assert_non_null(s);
		assert_string_equal(s, full[i].out);
		free(s);
	}
	/* The minimal view (the default): the program, flags and paths. */
	static const struct {
		const char *in;
		size_t len;
		const char *comm;
		const char *out;
	} minimal[] = {
	    {S("/usr/bin/curl\0-sS\0-u\0a:b\0-H\0X-Api-Key: k\0https://h/p\0"), "curl",
	     "/usr/bin/curl -sS -u ******** -H ******** ********"},
	    {S("/tmp/.x\0--token\0t\0-c\0http://admin:pw@203.0.113.9/c2\0"), ".x",
	     "/tmp/.x --token ******** -c ********"},
	    {S("app\0--password=x\0--verbose\0-la\0-pSecret1\0"), "app",
	     "app --password=******** --verbose -la -p********"},
	    {S("mysql\0-psecret\0"), "mysql", "mysql -p********"},
	    {S("sleep\0"
	       "60\0"),
	     "sleep", "sleep ********"},
	    {S("s3cr3tArgv0\0"
	       "60\0"),
	     "sleep", "******** ********"},
	    /* exec -a's free text: no word of it shown, not even a flag */
	    {S("curl -u alice:pw https://x\0"), "sleep", "******** ******** ******** ********"},
	    {S("/usr/bin/python3\0/usr/local/bin/job\0--key=v\0"), "job",
	     "/usr/bin/python3 /usr/local/bin/job --key=********"},
	    {S("sshd: root@pts/0"), "sshd", "sshd: ********"},
	    {S("sh\0-c\0/tmp/x >/dev/null 2>&1\0"), "sh", "sh -c ********"},
	};
	for (size_t i = 0; i < sizeof(minimal) / sizeof(minimal[0]); i++) {
		char *s = proc_cmdline_view(minimal[i].in, minimal[i].len, true, minimal[i].comm,
					    CMDLINE_MINIMAL);
		assert_non_null(s);
		assert_string_equal(s, minimal[i].out);
		free(s);
	}
	/* A cron command split at blanks keeps paths and shell operators. */
	char *m = proc_cmdline_view(
	    S("/bin/sh '/tmp/x.sh' -u \"u:p\" -H \"Authorization: Bearer t\" >/dev/null 2>&1"),
	    false, NULL, CMDLINE_MINIMAL);
	assert_string_equal(m, "/bin/sh '/tmp/x.sh' -u ******** -H ******** ******** ******** "
			       ">/dev/null 2>&1");
	free(m);
	m = proc_cmdline_view(S("curl -H \"Authorization: Bearer tok\" https://h"), false, NULL,
			      CMDLINE_FULL);
	assert_string_equal(m, "curl -H \"Authorization: ******** ******** https://h");
	free(m);
	char *s = proc_command_masked(S("  /usr/bin/curl   --token=abc\thttps://x "));
	assert_string_equal(s, "/usr/bin/curl --token=******** https://x");
	free(s);
	/* A 1 MiB argument survives. */
	size_t big = 1u << 20;
	char *buf = malloc(big);
	memset(buf, 'a', big);
	buf[big - 1] = '\0';
	s = proc_cmdline_masked(buf, big);
	assert_int_equal(strlen(s), big - 1);
	free(s);
	free(buf);
}

/* A login shell's argv[0] ("-bash") is the program, shown as ps shows it,
 * never an option; argv[0] that is a flag (`exec -a "-p secret"`) still
 * masks its value, in both views. */
static void test_login_shell(void **state)
{
	(void)state;
	assert_true(proc_login_shell("-bash", "bash"));
	assert_true(proc_login_shell("-sh", "dash")); /* /bin/sh is dash on Debian */
	assert_true(proc_login_shell("-zsh", NULL));
	assert_false(proc_login_shell("bash", "bash"));
	assert_false(proc_login_shell("-", "bash"));
	assert_false(proc_login_shell("--login", "bash"));
	assert_false(proc_login_shell("-/bin/bash", "bash"));
	assert_false(proc_login_shell("-hunter2", "sleep"));
	static const struct {
		const char *in;
		size_t len;
		const char *comm;
		enum cmdline_view view;
		const char *out;
	} cases[] = {
	    {S("-bash\0"), "bash", CMDLINE_MINIMAL, "-bash"},
	    {S("-bash\0"), "bash", CMDLINE_FULL, "-bash"},
	    {S("-sh\0"), "dash", CMDLINE_MINIMAL, "-sh"},
	    {S("-bash\0"), NULL, CMDLINE_FULL, "-bash"},
	    /* a dash and a name that is not the process's: exec -a */
	    {S("-zqSEC01x\0"), "sleep", CMDLINE_MINIMAL, "********"},
	    {S("-zqSEC01x\0"), "sleep", CMDLINE_FULL, "********"},
	    {S("--password=zqSEC02x\0"
	       "120\0"),
	     "sleep", CMDLINE_FULL, "******** 120"},
	    /* exec -a "-p secret" mysql: argv[0]'s words split, the flag's
	     * value masked in the full view too */
	    {S("-p zqSEC03x\0db\0"), "mysql", CMDLINE_FULL, "******** ******** db"},
	    {S("-p zqSEC03x\0db\0"), "mysql", CMDLINE_MINIMAL, "******** ******** ********"},
	    {S("--token zqSEC04x\0"), "sleep", CMDLINE_FULL, "******** ********"},
	    {S("-p zqSEC07x\0"
	       "120\0"),
	     "sleepx", CMDLINE_FULL, "******** ******** 120"},
	    {S("-u bob:zqSEC05x\0"), "curl", CMDLINE_FULL, "******** ********"},
	    /* a login shell running a command keeps masking its values */
	    {S("-bash\0-c\0mysql -pzqSEC06x\0"), "bash", CMDLINE_MINIMAL, "-bash -c ********"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = proc_cmdline_view(cases[i].in, cases[i].len, true, cases[i].comm,
					    cases[i].view);
		assert_non_null(s);
		assert_string_equal(s, cases[i].out);
		assert_null(strstr(s, "zqSEC"));
		free(s);
	}
}

static void test_exe_and_temp(void **state)
{
	static const struct {
		const char *in, *out;
		bool del, temp;
	} cases[] = {
	    {"/usr/sbin/sshd", "/usr/sbin/sshd", false, false},
	    {"/tmp/.x (deleted)", "/tmp/.x", true, true},
	    {"/usr/bin/app (deleted)", "/usr/bin/app", true, false},
	    {"/var/tmp/a", "/var/tmp/a", false, true},
	    {"/dev/shm/x", "/dev/shm/x", false, true},
	    {"/run/shm/x", "/run/shm/x", false, true},
	    {"/memfd:payload (deleted)", "/memfd:payload", true, true},
	    {"/tmpfoo/bin", "/tmpfoo/bin", false, false},
	    {"/tmp", "/tmp", false, true},
	    {" (deleted)", " (deleted)", false, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool del = !cases[i].del;
		char *s = proc_exe_clean(cases[i].in, &del);
		assert_string_equal(s, cases[i].out);
		assert_int_equal(del, cases[i].del);
		assert_int_equal(proc_path_in_temp(s), cases[i].temp);
		free(s);
	}
}

static void test_cgroup(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *unit;
	} cases[] = {
	    {"0::/system.slice/ssh.service\n", 0, "ssh.service"},
	    {"0::/init.scope\n", 0, "init.scope"},
	    {"0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.service\n", 0,
	     "user@1000.service"},
	    {"0::/user.slice/user-1000.slice/session-3.scope", 0, "session-3.scope"},
	    {"0::/system.slice/system-getty.slice/getty@tty1.service\r\n", 0, "getty@tty1.service"},
	    {"12:pids:/\n1:name=systemd:/system.slice/cron.service\n0::/\n", -ENOENT, NULL},
	    {"12:pids:/\n1:name=systemd:/system.slice/cron.service\n", 0, "cron.service"},
	    {"0::/\n", -ENOENT, NULL},
	    {"0::/docker/0123abcd\n", -ENOENT, NULL},
	    {"0::/system.slice\n", -ENOENT, NULL},
	    {"garbage", -EINVAL, NULL},
	    {"", -EINVAL, NULL},
	    {"0::/system.slice/bad name.service\n", -ENOENT, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *u = NULL;
		assert_int_equal(proc_cgroup_unit(cases[i].in, strlen(cases[i].in), &u),
				 cases[i].ret);
		if (cases[i].unit)
			assert_string_equal(u, cases[i].unit);
		free(u);
	}
	assert_true(unit_name_valid(S("a@b.service")));
	assert_false(unit_name_valid(S(".service")));
	assert_false(unit_name_valid(S("x.conf")));
	assert_false(unit_name_valid(S("a/b.service")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stat),    cmocka_unit_test(test_status_uid),
	    cmocka_unit_test(test_cmdline), cmocka_unit_test(test_exe_and_temp),
	    cmocka_unit_test(test_cgroup),  cmocka_unit_test(test_login_shell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
