/* test_wireless.c - the wireless probe over fixture roots: radios and
 * rfkill (wifi-enterprise), every source of saved networks with their
 * security classes (wifi-mixed, wifi-enterprise), hostile keyfiles
 * (wifi-hostile), keyfiles written by nmcli (wifi-nmcli), a FIFO planted as a keyfile; and that
 * none of the keys listed in each root's `secrets` file appears in the inventory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "probes/probe.h"
#include "tests/unit/harness.h"

#define FIX "tests/fixtures/"

static void run_probe(struct probe_run *r, const char *dir)
{
	probe_run(r, dir, FSROOT_WALK_ONLY, 1767225600, NULL, probe_wireless_run);
	assert_int_equal(r->ret, 0);
}

static void run_free(struct probe_run *r)
{
	probe_run_free(r);
}

static json_t *network(struct probe_run *r, const char *name)
{
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(r->ctx.inventory, "wifi_networks"), i, n) {
		const char *s = json_string_value(json_object_get(n, "name"));
		if (s && strcmp(s, name) == 0)
			return n;
	}
	fail_msg("no network %s", name);
	return NULL;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* No line of DIR/secrets occurs in the inventory or the messages. */
static void no_secrets(struct probe_run *r, const char *dir)
{
	char path[512], line[512];
	snprintf(path, sizeof(path), "%s/secrets", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *inv = json_dumps(r->ctx.inventory, JSON_COMPACT);
	char *msg = json_dumps(r->ctx.messages, JSON_COMPACT);
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		n++;
		if (strstr(inv, line) || strstr(msg, line))
			fail_msg("secret %s in the output", line);
	}
	fclose(f);
	free(inv);
	free(msg);
	assert_true(n > 0);
}

static void test_mixed(void **state)
{
	(void)state;
	struct probe_run r;
	run_probe(&r, FIX "wifi-mixed");
	assert_false(r.ctx.partial);
	assert_int_equal(json_array_size(json_object_get(r.ctx.inventory, "wifi_networks")), 7);
	assert_string_equal(str(network(&r, "Guest-Open"), "security"), "open");
	assert_string_equal(str(network(&r, "Old-WEP"), "security"), "wep");
	assert_string_equal(str(network(&r, "Old-WEP"), "ssid"), "Liewer");
	assert_string_equal(str(network(&r, "Old-WEP"), "wep_key"), "present");
	json_t *p = network(&r, "Ward3-PSK");
	assert_string_equal(str(p, "security"), "wpa2-psk");
	assert_string_equal(str(p, "psk"), "present");
	assert_string_equal(str(p, "ssid"), "Ward 3");
	assert_string_equal(str(p, "mac_randomization"), "permanent");
	assert_true(json_is_false(json_object_get(p, "autoconnect")));
	assert_true(json_is_true(json_object_get(network(&r, "Ward3-TKIP"), "tkip_only")));
	json_t *e = network(&r, "Staff-8021X");
	assert_string_equal(str(e, "security"), "wpa-eap");
	assert_string_equal(json_string_value(json_array_get(json_object_get(e, "eap_methods"), 0)),
			    "peap");
	assert_string_equal(str(network(&r, "CafeOpen"), "source"), "wpa_supplicant");
	assert_string_equal(str(network(&r, "CafeOpen"), "security"), "open");
	json_t *w = json_object_get(r.ctx.inventory, "wireless");
	assert_int_equal(json_array_size(json_object_get(w, "interfaces")), 0);
	no_secrets(&r, FIX "wifi-mixed");
	run_free(&r);
}

static void test_enterprise(void **state)
{
	(void)state;
	struct probe_run r;
	run_probe(&r, FIX "wifi-enterprise");
	json_t *w = json_object_get(r.ctx.inventory, "wireless");
	assert_string_equal(json_string_value(json_array_get(json_object_get(w, "interfaces"), 0)),
			    "wlp0s20f3");
	assert_true(json_is_true(json_object_get(w, "wifi_rfkill_blocked")));
	assert_true(json_is_true(json_object_get(w, "bluetooth_present")));
	assert_true(json_is_false(json_object_get(w, "bluetooth_rfkill_blocked")));
	assert_true(json_is_true(json_object_get(w, "bluetooth_enabled")));
	assert_string_equal(str(network(&r, "Ward3-PSK"), "security"), "sae");
	json_t *ap = network(&r, "EMR-AP");
	assert_string_equal(str(ap, "source"), "hostapd");
	assert_string_equal(str(ap, "mode"), "ap");
	assert_int_equal(json_integer_value(json_object_get(ap, "macaddr_acl")), 1);
	json_t *iwd = network(&r, "\xe3\x83\x8a\xe3\x83\xbc\xe3\x82\xb9"
				  "3");
	assert_string_equal(str(iwd, "source"), "iwd");
	assert_string_equal(str(iwd, "mac_randomization"), "random");
	assert_string_equal(str(network(&r, "Staff-Random"), "mac_randomization"), "always");
	no_secrets(&r, FIX "wifi-enterprise");
	run_free(&r);
}

static void test_hostile(void **state)
{
	(void)state;
	struct probe_run r;
	run_probe(&r, FIX "wifi-hostile");
	assert_string_equal(str(network(&r, "Bad\\xffName"), "ssid"), "\\xff\\xfeA");
	assert_string_equal(str(network(&r, "Dup"), "security"), "open");
	assert_string_equal(str(network(&r, "Long"), "security"), "open");
	assert_true(json_is_true(json_object_get(network(&r, "tab\there"), "wpa1")));
	assert_true(json_array_size(r.ctx.messages) >= 8);
	no_secrets(&r, FIX "wifi-hostile");
	run_free(&r);
}

/* keyfiles written by nmcli itself, and wpa_passphrase's block (whose
 * hashed psk and commented passphrase are both secrets) */
static void test_nmcli(void **state)
{
	(void)state;
	struct probe_run r;
	run_probe(&r, FIX "wifi-nmcli");
	assert_string_equal(str(network(&r, "nm-hex"), "ssid"), "tab\tx");
	assert_string_equal(str(network(&r, "nm-tkip"), "security"), "wpa-psk");
	assert_string_equal(str(network(&r, "nm-owe"), "ssid"), "caf\xc3\xa9");
	assert_string_equal(str(network(&r, "nm-owe"), "mac_randomization"), "random");
	assert_true(json_is_false(json_object_get(network(&r, "nm-eap"), "autoconnect")));
	assert_string_equal(str(network(&r, "Ward 3"), "psk"), "present");
	no_secrets(&r, FIX "wifi-nmcli");
	run_free(&r);
}

static void test_fifo_and_empty(void **state)
{
	(void)state;
	char dir[] = "/tmp/tenken-wifi-XXXXXX", path[256];
	assert_non_null(mkdtemp(dir));
	struct probe_run r;
	run_probe(&r, dir); /* empty root: nothing known about radios */
	assert_true(r.ctx.partial);
	assert_true(json_is_null(
	    json_object_get(json_object_get(r.ctx.inventory, "wireless"), "interfaces")));
	assert_int_equal(json_array_size(json_object_get(r.ctx.inventory, "wifi_networks")), 0);
	run_free(&r);
	static const char *const dirs[] = {"/etc", "/etc/NetworkManager",
					   "/etc/NetworkManager/system-connections"};
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, dirs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	snprintf(path, sizeof(path), "%s/etc/NetworkManager/system-connections/x.nmconnection",
		 dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	run_probe(&r, dir); /* must not block on the FIFO */
	assert_true(r.ctx.partial);
	assert_int_equal(json_array_size(json_object_get(r.ctx.inventory, "wifi_networks")), 0);
	run_free(&r);
	unlink(path);
	for (size_t i = ARRAY_SIZE(dirs); i-- > 0;) {
		snprintf(path, sizeof(path), "%s%s", dir, dirs[i]);
		rmdir(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mixed),	   cmocka_unit_test(test_enterprise),
	    cmocka_unit_test(test_hostile),	   cmocka_unit_test(test_nmcli),
	    cmocka_unit_test(test_fifo_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
