/* test_nmconf_parse.c - NetworkManager.conf merging: a later file's key
 * replaces, += and -= on list keys (dropped on others), the search order
 * of connection sections (later files first, top-to-bottom in a file,
 * [connection] last in its file, a section keeps its first place),
 * match-device specs and stop-match, and files GKeyFile refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "probes/parse/nmconf_parse.h"

static void merge(struct nmconf *c, const char *s)
{
	unsigned line = 0;
	assert_int_equal(nmconf_merge(c, s, strlen(s), &line), 0);
}

static const char *dflt(const struct nmconf *c, const char *prop, const char *ifname)
{
	const char *v = NULL, *g = NULL;
	int r = nmconf_connection_default(c, prop, ifname, &v, &g);
	return r < 0 ? "?" : r == 0 ? "-" : v;
}

static void test_lists(void **state)
{
	struct nmconf c = {0};
	merge(&c, "[main]\nplugins=ifupdown,keyfile\n[keyfile]\nunmanaged-devices=a;b\n");
	merge(&c, "[main]\nplugins+=ofono\nplugins-=ifupdown\ndhcp+=x\n"
		  "[keyfile]\nunmanaged-devices-=interface-name:zz\nunmanaged-devices+= c ; a\n");
	assert_string_equal(nmconf_get(&c, "main", "plugins"), "keyfile,ofono");
	assert_null(nmconf_get(&c, "main", "dhcp"));
	assert_string_equal(nmconf_get(&c, "keyfile", "unmanaged-devices"), "a,b,c");
	merge(&c, "[keyfile]\nunmanaged-devices-=a,b,c\n");
	assert_string_equal(nmconf_get(&c, "keyfile", "unmanaged-devices"), "");
	nmconf_free(&c);
}

static void test_order(void **state)
{
	struct nmconf c = {0};
	merge(&c,
	      "[connection-a]\nwifi.powersave=1\n[connection]\nwifi.cloned-mac-address=stable\n"
	      "[connection-b]\nwifi.cloned-mac-address=random\nmatch-device=interface-name:wlx*\n");
	/* top-to-bottom: a (no MAC), b (only wlx*), then [connection] */
	assert_string_equal(dflt(&c, "wifi.cloned-mac-address", "wlan0"), "stable");
	assert_string_equal(dflt(&c, "wifi.cloned-mac-address", "wlx00"), "random");
	assert_string_equal(dflt(&c, "wifi.cloned-mac-address", NULL), "?");
	merge(&c, "[connection-c]\nmatch-device=type:wifi\nstop-match=yes\n"
		  "[connection-a]\nwifi.cloned-mac-address=permanent\n");
	/* c comes first (a later file) and stops the search */
	assert_string_equal(dflt(&c, "wifi.cloned-mac-address", "wlan0"), "-");
	const struct nmconf_group *v[8];
	size_t n = nmconf_connection_order(&c, v, 8);
	assert_int_equal(n, 4);
	assert_string_equal(v[0]->name, "connection-c");
	assert_string_equal(v[1]->name, "connection-a"); /* keeps its place of file 1 */
	assert_string_equal(v[2]->name, "connection-b");
	assert_string_equal(v[3]->name, "connection");
	nmconf_free(&c);
}

static void test_match(void **state)
{
	assert_int_equal(nmconf_match_device("*", "wlan0"), 1);
	assert_int_equal(nmconf_match_device("type:ethernet", "wlan0"), 0);
	assert_int_equal(nmconf_match_device("except:interface-name:wlan0", "wlan0"), 0);
	assert_int_equal(nmconf_match_device("except:interface-name:wlan0", "wlan1"), 1);
	assert_int_equal(nmconf_match_device("interface-name:=wl*", "wlan1"), 0);
	assert_int_equal(nmconf_match_device("interface-name:~wl?n1", "wlan1"), 1);
	assert_int_equal(nmconf_match_device("mac:00:11:22:33:44:55", "wlan1"), -1);
	assert_int_equal(nmconf_match_device("type:wifi,except:driver:iwlwifi", "wlan1"), -1);
	assert_int_equal(nmconf_match_device("type:ethernet,except:driver:iwlwifi", "wlan1"), 0);
	assert_int_equal(nmconf_match_device("", "wlan1"), 0);
	assert_int_equal(nmconf_match_device("wlan1", "wlan1"), 1);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {"key=before-any-group\n", "[main]\nno equals sign\n",
					  "[main\nplugins=x\n", "[main]\n=value\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nmconf c = {0};
		unsigned line = 0;
		assert_int_equal(nmconf_merge(&c, bad[i], strlen(bad[i]), &line), -EINVAL);
		assert_true(line >= 1);
		assert_int_equal(c.n, 0);
		nmconf_free(&c);
	}
	struct nmconf c = {0};
	merge(&c, "# comment\n\n  [main]  \r\n plugins =  keyfile \n[.intern.x]\na=b\n");
	assert_string_equal(nmconf_get(&c, "main", "plugins"), "keyfile");
	assert_null(nmconf_get(&c, ".intern.x", "a"));
	nmconf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists),
	    cmocka_unit_test(test_order),
	    cmocka_unit_test(test_match),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
