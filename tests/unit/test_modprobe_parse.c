/* test_modprobe_parse.c - modprobe.d parsing (blacklist vs install, first
 * install wins, continuation lines, '-'/'_' equality), kmod's file order
 * across the five directories, no-op install commands, and module lists
 * (/proc/modules, modules.builtin), over tables of normal and hostile
 * inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "probes/read/fsroot.h"
#include "lib/limits.h"
#include "probes/parse/modprobe_parse.h"

struct pol_case {
	const char *what;
	const char *files[3]; /* contents, read in this order */
	const char *module;
	bool blacklisted, disables;
	const char *cmd; /* expected install command or NULL */
	size_t issues;
};

static const struct pol_case pol_cases[] = {
    {"nothing", {"# empty\n\n"}, "usb_storage", false, false, NULL, 0},
    {"blacklist only", {"blacklist usb-storage\n"}, "usb_storage", true, false, NULL, 0},
    {"blacklist with underscore", {"blacklist usb_storage\n"}, "usb_storage", true, false, NULL, 0},
    {"install true",
     {"install usb-storage /bin/true\n"},
     "usb_storage",
     false,
     true,
     "/bin/true",
     0},
    {"install false",
     {"install usb_storage /bin/false\n"},
     "usb_storage",
     false,
     true,
     "/bin/false",
     0},
    {"install usr true",
     {"install usb-storage /usr/bin/true\n"},
     "usb_storage",
     false,
     true,
     "/usr/bin/true",
     0},
    {"install bare true", {"install usb-storage true\n"}, "usb_storage", false, true, "true", 0},
    {"install exit 1", {"install usb-storage exit 1\n"}, "usb_storage", false, true, "exit 1", 0},
    {"install logs then loads",
     {"install usb-storage /usr/bin/logger usb; /sbin/modprobe --ignore-install usb-storage\n"},
     "usb_storage",
     false,
     false,
     "/usr/bin/logger usb; /sbin/modprobe --ignore-install usb-storage",
     0},
    {"install /bin/truefalse is not true",
     {"install usb-storage /bin/truefalse\n"},
     "usb_storage",
     false,
     false,
     "/bin/truefalse",
     0},
    {"first install wins",
     {"install usb-storage /bin/true\n", "install usb-storage /sbin/modprobe x\n"},
     "usb_storage",
     false,
     true,
     "/bin/true",
     0},
    {"first install wins (loading one first)",
     {"install usb-storage /sbin/modprobe --ignore-install usb-storage\n",
      "install usb-storage /bin/false\n"},
     "usb_storage",
     false,
     false,
     "/sbin/modprobe --ignore-install usb-storage",
     0},
    {"other module",
     {"install uas /bin/true\nblacklist uas\n"},
     "usb_storage",
     false,
     false,
     NULL,
     0},
    {"continuation",
     {"install usb-storage \\\n  /bin/false\n"},
     "usb_storage",
     false,
     true,
     "/bin/false",
     0},
    {"crlf and tabs",
     {"blacklist\tusb-storage\r\ninstall\tusb-storage\t/bin/true\r\n"},
     "usb_storage",
     true,
     true,
     "/bin/true",
     0},
    {"no final newline",
     {"install usb-storage /bin/true"},
     "usb_storage",
     false,
     true,
     "/bin/true",
     0},
    {"comment is not a directive",
     {"# install usb-storage /bin/true\n"},
     "usb_storage",
     false,
     false,
     NULL,
     0},
    {"install without command", {"install usb-storage\n"}, "usb_storage", false, false, NULL, 1},
    {"garbage lines", {"frobnicate usb-storage\n\x01\xff\n"}, "usb_storage", false, false, NULL, 2},
    {"obsolete include ignored",
     {"include /etc/modprobe.d/x\nblacklist usb-storage\n"},
     "usb_storage",
     true,
     false,
     NULL,
     0},
    {"glob module name", {"install usb* /bin/true\n"}, "usb_storage", false, true, "/bin/true", 0},
};

static void test_policy(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(pol_cases); i++) {
		const struct pol_case *c = &pol_cases[i];
		struct modprobe_conf conf = {0};
		for (size_t f = 0; f < 3 && c->files[f]; f++)
			assert_int_equal(modprobe_parse(&conf, "/etc/modprobe.d/x.conf",
							c->files[f], strlen(c->files[f])),
					 0);
		struct modprobe_policy p;
		modprobe_policy_of(&conf, c->module, &p);
		if (p.blacklisted != c->blacklisted || p.install_disables != c->disables ||
		    conf.n_issues != c->issues ||
		    (c->cmd ? !p.install_cmd || strcmp(p.install_cmd, c->cmd)
			    : p.install_cmd != NULL))
			fail_msg("%s: blacklisted %d disables %d cmd %s issues %zu", c->what,
				 p.blacklisted, p.install_disables,
				 p.install_cmd ? p.install_cmd : "-", conf.n_issues);
		modprobe_conf_free(&conf);
	}
}

static void test_nul_and_long_lines(void **state)
{
	(void)state;
	struct modprobe_conf conf = {0};
	static const char nul[] = "blacklist usb\0-storage\ninstall usb-storage /bin/true\n";
	assert_int_equal(modprobe_parse(&conf, "/x.conf", nul, sizeof(nul) - 1), 0);
	struct modprobe_policy p;
	modprobe_policy_of(&conf, "usb_storage", &p);
	assert_false(p.blacklisted); /* the line is cut at the NUL: "blacklist usb" */
	assert_true(p.install_disables);
	modprobe_conf_free(&conf);

	size_t n = LIMIT_LINE * 3;
	char *big = malloc(n + 64);
	assert_non_null(big);
	memcpy(big, "options usb-storage q=", 22);
	memset(big + 22, 'q', n - 22);
	static const char tail[] = "\ninstall usb-storage /bin/false\n";
	memcpy(big + n, tail, sizeof(tail));
	assert_int_equal(modprobe_parse(&conf, "/x.conf", big, strlen(big)), 0);
	modprobe_policy_of(&conf, "usb_storage", &p);
	assert_true(p.install_disables);
	assert_int_equal(conf.n_issues, 1);
	assert_int_equal(conf.issues[0].line, 1);
	modprobe_conf_free(&conf);
	free(big);
}

static void test_issue_limit(void **state)
{
	(void)state;
	struct modprobe_conf conf = {0};
	char buf[4096] = "";
	for (int i = 0; i < 100; i++)
		strncat(buf, "junk\n", sizeof(buf) - strlen(buf) - 1);
	assert_int_equal(modprobe_parse(&conf, "/x.conf", buf, strlen(buf)), 0);
	assert_int_equal(conf.n_issues, LIMIT_LINE_MESSAGES);
	modprobe_conf_free(&conf);
}

static void test_order(void **state)
{
	(void)state;
	static const char *const dirs[] = {"/etc/modprobe.d", "/run/modprobe.d",
					   "/usr/local/lib/modprobe.d", "/lib/modprobe.d",
					   "/usr/lib/modprobe.d"};
	char *etc[] = {"blacklist.conf", "zz.conf", "README", ".hidden.conf", NULL};
	char *lib[] = {"aa.conf", "blacklist.conf", "x.conf.dpkg-old", NULL};
	char *usr[] = {"aa.conf", "mm.conf", NULL};
	char **names[] = {etc, NULL, NULL, lib, usr};
	char **v = NULL;
	size_t n = 0;
	assert_int_equal(modprobe_order(dirs, names, 5, &v, &n), 0);
	static const char *const want[] = {
	    "/lib/modprobe.d/aa.conf", "/etc/modprobe.d/blacklist.conf",
	    "/usr/lib/modprobe.d/mm.conf", "/etc/modprobe.d/zz.conf"};
	assert_int_equal(n, ARRAY_SIZE(want));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i], want[i]);
	assert_null(v[n]);
	strv_free(v);
}

static void test_cmd_disables(void **state)
{
	(void)state;
	static const struct {
		const char *cmd;
		bool want;
	} cases[] = {
	    {"/bin/true", true},
	    {"/bin/false", true},
	    {"/bin/true # disabled", true},
	    {"/bin/false;", true},
	    {"true", true},
	    {":", true},
	    {"/sbin/modprobe -i x", false},
	    {"/bin/echo", false},
	    {"", false},
	    {"/bin/trueish", false},
	    {"/usr/bin/false", true},
	    {"/bin/sh -c true", false},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (modprobe_cmd_disables(cases[i].cmd) != cases[i].want)
			fail_msg("\"%s\": wanted %d", cases[i].cmd, cases[i].want);
}

static void test_list_has(void **state)
{
	(void)state;
	static const char mods[] = "uas 32768 0 - Live 0x0\nusb_storage 81920 1 uas, Live 0x0\n";
	static const char builtin[] = "kernel/drivers/usb/core/usbcore.ko\r\n"
				      "kernel/drivers/usb/storage/usb-storage.ko";
	assert_true(modprobe_list_has(mods, strlen(mods), "usb_storage"));
	assert_true(modprobe_list_has(mods, strlen(mods), "usb-storage"));
	assert_true(modprobe_list_has(mods, strlen(mods), "uas"));
	assert_false(modprobe_list_has(mods, strlen(mods), "usb"));
	assert_true(modprobe_list_has(builtin, strlen(builtin), "usb_storage"));
	assert_false(modprobe_list_has(builtin, strlen(builtin), "uas"));
	assert_false(modprobe_list_has(builtin, strlen(builtin), "core"));
	assert_false(modprobe_list_has("", 0, "uas"));
	assert_false(modprobe_list_has("usb_storagex 1 0\n", 17, "usb_storage"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_policy),	 cmocka_unit_test(test_nul_and_long_lines),
	    cmocka_unit_test(test_issue_limit),	 cmocka_unit_test(test_order),
	    cmocka_unit_test(test_cmd_disables), cmocka_unit_test(test_list_has),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
