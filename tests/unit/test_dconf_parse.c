/* test_dconf_parse.c - dconf profile, keyfile and locks parsing, and the
 * usb probe's effective GNOME automount over small roots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "probes/parse/dconf_parse.h"
#include "probes/read/fsroot.h"
#include "probes/probe.h"
#include "tests/unit/harness.h"

static void test_profile(void **state)
{
	static const char p[] = "user-db:user\r\nsystem-db:local\n# system-db:commented\n"
				"system-db:site\nsystem-db:../evil\nsystem-db:.hidden\nsystem-db:";
	char **v = NULL;
	assert_int_equal(dconf_profile_system_dbs(p, sizeof(p) - 1, &v), 0);
	assert_string_equal(v[0], "local");
	assert_string_equal(v[1], "site");
	assert_null(v[2]);
	strv_free(v);
	assert_int_equal(dconf_profile_system_dbs("", 0, &v), 0);
	assert_null(v[0]);
	strv_free(v);
}

static void test_keyfile(void **state)
{
	static const struct {
		const char *file;
		int found;
		const char *value;
	} cases[] = {
	    {"[org/gnome/desktop/media-handling]\nautomount=false\n", 1, "false"},
	    {"[org/gnome/desktop/media-handling]\r\n  automount = false  \r\n", 1, "false"},
	    {"[org/gnome/desktop/media-handling]\nautomount=false\nautomount=true\n", 1, "true"},
	    {"[org/gnome/desktop/media-handling]\n# automount=false\n", 0, NULL},
	    {"[org/gnome/desktop/other]\nautomount=false\n", 0, NULL},
	    {"automount=false\n", 0, NULL},
	    {"[org/gnome/desktop/media-handling]\nautomount-open=false\n", 0, NULL},
	    {"[org/gnome/desktop/media-handling]\nautomount", 0, NULL},
	    {"[org/gnome/desktop/media-handling]\nautomount=false\n[x]\nautomount=true\n", 1,
	     "false"},
	    {"[org/gnome/desktop/media-handling", 0, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *v = NULL;
		int r = dconf_keyfile_get(cases[i].file, strlen(cases[i].file),
					  "org/gnome/desktop/media-handling", "automount", &v);
		if (r != cases[i].found)
			fail_msg("case %zu: got %d", i, r);
		if (cases[i].value)
			assert_string_equal(v, cases[i].value);
		else
			assert_null(v);
		free(v);
	}
	/* NUL bytes and garbage are no crash and no match */
	static const char bin[] = "[org/gnome/desktop/media-handling]\nauto\0mount=false\n\xff\xfe";
	char *v = NULL;
	assert_int_equal(dconf_keyfile_get(bin, sizeof(bin) - 1, "org/gnome/desktop/media-handling",
					   "automount", &v),
			 0);
}

static void test_locks(void **state)
{
	static const char l[] = "# locked\n/org/gnome/desktop/media-handling/automount\r\n";
	assert_true(
	    dconf_locks_has(l, sizeof(l) - 1, "/org/gnome/desktop/media-handling/automount"));
	assert_false(
	    dconf_locks_has(l, sizeof(l) - 1, "/org/gnome/desktop/media-handling/automount-open"));
}

static void put(const char *root, const char *rel, const char *text)
{
	char p[512], cmd[600];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", p);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Runs the usb probe over root and returns its "automount" object. */
static json_t *automount_of(const char *root)
{
	struct probe_run r;
	probe_run(&r, root, FSROOT_AUTO, 1790000000, NULL, probe_usb_run);
	assert_true(r.ret >= 0);
	json_t *am = json_incref(
	    json_object_get(json_object_get(r.ctx.inventory, "usb_storage"), "automount"));
	probe_run_free(&r);
	assert_non_null(am);
	return am;
}

static void test_probe_gnome(void **state)
{
	char root[] = "/tmp/tenken-dconf-XXXXXX";
	assert_non_null(mkdtemp(root));
	put(root, "usr/bin/gnome-shell", "");
	/* GNOME without a profile: the default, automount on */
	json_t *am = automount_of(root);
	assert_true(json_is_true(json_object_get(am, "gnome_automount")));
	assert_string_equal(json_string_value(json_object_get(am, "gnome_automount_source")),
			    "default");
	json_decref(am);
	/* a keyfile turning it off, overridden by a later file, then locked */
	put(root, "etc/dconf/profile/user", "user-db:user\nsystem-db:local\n");
	put(root, "etc/dconf/db/local.d/00-media",
	    "[org/gnome/desktop/media-handling]\nautomount=true\n");
	put(root, "etc/dconf/db/local.d/10-media",
	    "[org/gnome/desktop/media-handling]\nautomount=false\n");
	put(root, "etc/dconf/db/local.d/locks/media",
	    "/org/gnome/desktop/media-handling/automount\n");
	am = automount_of(root);
	assert_true(json_is_false(json_object_get(am, "gnome_automount")));
	assert_true(json_is_true(json_object_get(am, "gnome_automount_locked")));
	assert_string_equal(json_string_value(json_object_get(am, "gnome_automount_source")),
			    "/etc/dconf/db/local.d");
	json_decref(am);
	/* a database the profile does not name changes nothing */
	put(root, "etc/dconf/profile/user", "user-db:user\nsystem-db:site\n");
	am = automount_of(root);
	assert_true(json_is_true(json_object_get(am, "gnome_automount")));
	json_decref(am);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_profile),
	    cmocka_unit_test(test_keyfile),
	    cmocka_unit_test(test_locks),
	    cmocka_unit_test(test_probe_gnome),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
