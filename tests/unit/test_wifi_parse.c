/* test_wifi_parse.c - the saved-network parsers: NetworkManager keyfiles
 * (escapes, SSID as bytes, duplicate groups, security classes, MAC
 * randomisation), wpa_supplicant network blocks (defaults, quoted, hex and
 * P"" SSIDs, unterminated blocks), iwd file names (=hex) and hostapd.conf
 * (wpa bitmask), over tables of normal and hostile inputs; and that no
 * secret ever reaches a record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lib/limits.h"
#include "probes/parse/wifi_parse.h"

enum kind { NM, WPAS, IWD, HOSTAPD };

struct case_ {
	const char *what;
	enum kind kind;
	const char *in;
	const char *iwd_name;
	size_t want_n; /* records */
	/* of the first record (if any) */
	const char *ssid, *security, *mac;
	bool tkip_only, wpa1, psk, wep;
	int autoconnect;
	size_t issues;
};

#define NMW "[connection]\nid=X\ntype=wifi\n[wifi]\n"

static const struct case_ cases[] = {
    {"nm open", NM, NMW "ssid=Guest\n", NULL, 1, "Guest", "open", "default", 0, 0, 0, 0, 1, 0},
    {"nm wep", NM, NMW "ssid=W\n[wifi-security]\nkey-mgmt=none\nwep-key0=abcdef1234\n", NULL, 1,
     "W", "wep", "default", 0, 0, 0, 1, 1, 0},
    {"nm wpa2 psk", NM, NMW "ssid=P\n[wifi-security]\nkey-mgmt=wpa-psk\npsk=secret123\n", NULL, 1,
     "P", "wpa2-psk", "default", 0, 0, 1, 0, 1, 0},
    {"nm wpa1 tkip", NM,
     NMW "ssid=T\n[wifi-security]\nkey-mgmt=wpa-psk\nproto=wpa;\npairwise=tkip;\ngroup=tkip;\n",
     NULL, 1, "T", "wpa-psk", "default", 1, 1, 0, 0, 1, 0},
    {"nm tkip+ccmp is not tkip-only", NM,
     NMW "ssid=T\n[wifi-security]\nkey-mgmt=wpa-psk\npairwise=tkip;ccmp;\n", NULL, 1, "T",
     "wpa2-psk", "default", 0, 0, 0, 0, 1, 0},
    {"nm sae", NM, NMW "ssid=S\n[wifi-security]\nkey-mgmt=sae\npsk=x\n", NULL, 1, "S", "sae",
     "default", 0, 0, 1, 0, 1, 0},
    {"nm owe", NM, NMW "ssid=O\n[wifi-security]\nkey-mgmt=owe\n", NULL, 1, "O", "owe", "default", 0,
     0, 0, 0, 1, 0},
    {"nm eap", NM,
     NMW "ssid=E\n[wifi-security]\nkey-mgmt=wpa-eap\n[802-1x]\neap=peap;tls;\npassword=p\n", NULL,
     1, "E", "wpa-eap", "default", 0, 0, 0, 0, 1, 0},
    {"nm old group names", NM,
     "[connection]\nid=X\ntype=802-11-wireless\n[802-11-wireless]\nssid=Old\n"
     "[802-11-wireless-security]\nkey-mgmt=wpa-psk\n",
     NULL, 1, "Old", "wpa2-psk", "default", 0, 0, 0, 0, 1, 0},
    {"nm ssid as bytes", NM, NMW "ssid=72;105;\n", NULL, 1, "Hi", "open", "default", 0, 0, 0, 0, 1,
     0},
    {"nm ssid escaped", NM, NMW "ssid=a\\sb\\\\c\n", NULL, 1, "a b\\c", "open", "default", 0, 0, 0,
     0, 1, 0},
    {"nm ssid with ; but not bytes", NM, NMW "ssid=a;b\n", NULL, 1, "a;b", "open", "default", 0, 0,
     0, 0, 1, 0},
    {"nm byte over 255 is text", NM, NMW "ssid=300;1;\n", NULL, 1, "300;1;", "open", "default", 0,
     0, 0, 0, 1, 0},
    {"nm autoconnect false", NM,
     "[connection]\nid=X\ntype=wifi\nautoconnect=false\n[wifi]\nssid=A\n", NULL, 1, "A", "open",
     "default", 0, 0, 0, 0, 0, 0},
    {"nm cloned random", NM, NMW "ssid=A\ncloned-mac-address=random\n", NULL, 1, "A", "open",
     "random", 0, 0, 0, 0, 1, 0},
    {"nm cloned fixed mac", NM, NMW "ssid=A\ncloned-mac-address=02:00:00:00:00:01\n", NULL, 1, "A",
     "open", "fixed", 0, 0, 0, 0, 1, 0},
    {"nm randomization 2", NM, NMW "ssid=A\nmac-address-randomization=2\n", NULL, 1, "A", "open",
     "always", 0, 0, 0, 0, 1, 0},
    {"nm cloned wins over randomization", NM,
     NMW "ssid=A\nmac-address-randomization=2\ncloned-mac-address=permanent\n", NULL, 1, "A",
     "open", "permanent", 0, 0, 0, 0, 1, 0},
    {"nm ethernet skipped", NM, "[connection]\nid=W\ntype=ethernet\n", NULL, 0, NULL, NULL, NULL, 0,
     0, 0, 0, 0, 0},
    {"nm duplicate group, later wins", NM,
     NMW "ssid=D\n[wifi-security]\nkey-mgmt=wpa-psk\n[wifi-security]\nkey-mgmt=none\n", NULL, 1,
     "D", "open", "default", 0, 0, 0, 0, 1, 1},
    {"nm crlf no final newline", NM, "[connection]\r\nid=X\r\ntype=wifi\r\n[wifi]\r\nssid=C", NULL,
     1, "C", "open", "default", 0, 0, 0, 0, 1, 0},
    {"nm garbage", NM, NMW "ssid=G\nno equals\n[broken\n", NULL, 1, "G", "open", "default", 0, 0, 0,
     0, 1, 2},
    {"wpas open", WPAS, "network={\n ssid=\"Cafe\"\n key_mgmt=NONE\n}\n", NULL, 1, "Cafe", "open",
     "default", 0, 0, 0, 0, 1, 0},
    {"wpas wep", WPAS, "network={\n ssid=\"W\"\n key_mgmt=NONE\n wep_key0=\"12345\"\n}\n", NULL, 1,
     "W", "wep", "default", 0, 0, 0, 1, 1, 0},
    {"wpas default key_mgmt with psk", WPAS, "network={\n ssid=\"P\"\n psk=\"longpassphrase\"\n}\n",
     NULL, 1, "P", "wpa2-psk", "default", 0, 0, 1, 0, 1, 0},
    {"wpas default key_mgmt without psk", WPAS, "network={\n ssid=\"E\"\n eap=PEAP\n}\n", NULL, 1,
     "E", "wpa-eap", "default", 0, 0, 0, 0, 1, 0},
    {"wpas hex ssid", WPAS, "network={\n ssid=4869\n key_mgmt=NONE\n disabled=1\n}\n", NULL, 1,
     "Hi", "open", "default", 0, 0, 0, 0, 0, 0},
    {"wpas P ssid", WPAS, "network={\n ssid=P\"a\\tb\"\n key_mgmt=NONE\n}\n", NULL, 1, "a\tb",
     "open", "default", 0, 0, 0, 0, 1, 0},
    {"wpas wpa1 tkip", WPAS,
     "network={\n ssid=\"T\"\n key_mgmt=WPA-PSK\n proto=WPA\n pairwise=TKIP\n "
     "psk=\"x12345678\"\n}\n",
     NULL, 1, "T", "wpa-psk", "default", 1, 1, 1, 0, 1, 0},
    {"wpas mac_addr 1", WPAS, "network={\n ssid=\"M\"\n key_mgmt=NONE\n mac_addr=1\n}\n", NULL, 1,
     "M", "open", "random", 0, 0, 0, 0, 1, 0},
    {"wpas two blocks and globals", WPAS,
     "ctrl_interface=/run/"
     "wpa_supplicant\nnetwork={\nssid=\"A\"\nkey_mgmt=NONE\n}\nnetwork={\nssid=\"B\"\n}\n",
     NULL, 2, "A", "open", "default", 0, 0, 0, 0, 1, 0},
    {"wpas unterminated", WPAS, "network={\nssid=\"U\"\nkey_mgmt=NONE\n", NULL, 1, "U", "open",
     "default", 0, 0, 0, 0, 1, 1},
    {"wpas next block closes the previous", WPAS,
     "network={\nssid=\"A\"\nkey_mgmt=NONE\nnetwork={\nssid=\"B\"\n}\n", NULL, 2, "A", "open",
     "default", 0, 0, 0, 0, 1, 1},
    {"wpas bad hex ssid", WPAS, "network={\nssid=zz\nkey_mgmt=NONE\n}\n", NULL, 1, NULL, "open",
     "default", 0, 0, 0, 0, 1, 0},
    {"iwd psk", IWD, "[Security]\nPassphrase=secretsecret\n", "Ward 3.psk", 1, "Ward 3", "wpa2-psk",
     "default", 0, 0, 1, 0, 1, 0},
    {"iwd open hex name", IWD, "[Settings]\nAutoConnect=false\n", "=e3838a.open", 1, "\xe3\x83\x8a",
     "open", "default", 0, 0, 0, 0, 0, 0},
    {"iwd 8021x", IWD, "[Security]\nEAP-Method=TLS\n", "Staff.8021x", 1, "Staff", "wpa-eap",
     "default", 0, 0, 0, 0, 1, 0},
    {"iwd other file", IWD, "", "main.conf", 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0},
    {"hostapd wpa2", HOSTAPD,
     "ssid=AP\nwpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_passphrase=x\n", NULL, 1, "AP",
     "wpa2-psk", "default", 0, 0, 1, 0, 1, 0},
    {"hostapd wpa1 tkip", HOSTAPD, "ssid=AP\nwpa=1\nwpa_pairwise=TKIP\nwpa_passphrase=x\n", NULL, 1,
     "AP", "wpa-psk", "default", 1, 1, 1, 0, 1, 0},
    {"hostapd open", HOSTAPD, "interface=wlan0\nssid=Open\n", NULL, 1, "Open", "open", "default", 0,
     0, 0, 0, 1, 0},
    {"hostapd wpa=0 ignores key_mgmt", HOSTAPD, "ssid=O\nwpa=0\nwpa_key_mgmt=WPA-PSK\n", NULL, 1,
     "O", "open", "default", 0, 0, 0, 0, 1, 0},
    {"hostapd dynamic wep 802.1x", HOSTAPD, "ssid=D\nieee8021x=1\n", NULL, 1, "D", "wpa-eap",
     "default", 0, 0, 0, 0, 1, 0},
    {"hostapd eap", HOSTAPD, "ssid=E\nwpa=2\nwpa_key_mgmt=WPA-EAP\nieee8021x=1\n", NULL, 1, "E",
     "wpa-eap", "default", 0, 0, 0, 0, 1, 0},
};

static int parse(const struct case_ *c, struct wifi_result *r)
{
	size_t n = strlen(c->in);
	switch (c->kind) {
	case NM:
		return wifi_parse_nm(r, c->in, n);
	case WPAS:
		return wifi_parse_wpas(r, c->in, n);
	case IWD:
		return wifi_parse_iwd(r, c->iwd_name, c->in, n);
	case HOSTAPD:
		return wifi_parse_hostapd(r, c->in, n);
	}
	return -1;
}

static void check_first(const struct case_ *c, const struct wifi_net *w)
{
	if (c->ssid ? !w->ssid.data || w->ssid.len != strlen(c->ssid) ||
			  memcmp(w->ssid.data, c->ssid, w->ssid.len)
		    : w->ssid.data != NULL)
		fail_msg("%s: ssid %s", c->what, w->ssid.data ? w->ssid.data : "(none)");
	if (strcmp(w->security, c->security) != 0)
		fail_msg("%s: security %s", c->what, w->security);
	if (strcmp(w->mac_randomization, c->mac) != 0)
		fail_msg("%s: mac %s", c->what, w->mac_randomization);
	if (w->tkip_only != c->tkip_only || w->wpa1 != c->wpa1 || w->psk != c->psk ||
	    w->wep_key != c->wep || w->autoconnect != c->autoconnect)
		fail_msg("%s: tkip %d wpa1 %d psk %d wep %d auto %d", c->what, w->tkip_only,
			 w->wpa1, w->psk, w->wep_key, w->autoconnect);
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct case_ *c = &cases[i];
		struct wifi_result r = {0};
		assert_int_equal(parse(c, &r), 0);
		if (r.n != c->want_n || r.n_issues != c->issues)
			fail_msg("%s: %zu records, %zu issues", c->what, r.n, r.n_issues);
		if (r.n > 0)
			check_first(c, &r.v[0]);
		wifi_result_free(&r);
	}
}

/* Every string of a record, concatenated, to search for secrets. */
static void no_secret_in(const struct wifi_net *w, const char *secret)
{
	const char *fields[] = {
	    w->name,	    w->key_mgmt,	 w->proto, w->pairwise, w->group,
	    w->eap_methods, w->mac_randomization};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i] && strstr(fields[i], secret))
			fail_msg("secret in a record field: %s", fields[i]);
	if (w->ssid.data && strstr(w->ssid.data, secret))
		fail_msg("secret in the ssid");
}

static void test_no_secrets(void **state)
{
	(void)state;
	static const char nm[] =
	    NMW "ssid=S\n[wifi-security]\nkey-mgmt=wpa-psk\npsk=TOPSECRET1\n"
		"wep-key1=TOPSECRET2\nleap-password=TOPSECRET3\n"
		"[802-1x]\npassword=TOPSECRET4\nprivate-key-password=TOPSECRET5\n";
	static const char wpas[] =
	    "network={\nssid=\"S\"\npsk=\"TOPSECRET1\"\nwep_key0=TOPSECRET2\n"
	    "password=\"TOPSECRET4\"\nprivate_key_passwd=\"TOPSECRET5\"\n}\n";
	static const char hap[] = "ssid=S\nwpa=2\nwpa_passphrase=TOPSECRET1\nwep_key0=TOPSECRET2\n";
	struct wifi_result r = {0};
	assert_int_equal(wifi_parse_nm(&r, nm, strlen(nm)), 0);
	assert_int_equal(wifi_parse_wpas(&r, wpas, strlen(wpas)), 0);
	assert_int_equal(wifi_parse_hostapd(&r, hap, strlen(hap)), 0);
	assert_int_equal(r.n, 3);
	for (size_t i = 0; i < r.n; i++) {
		assert_true(r.v[i].psk);
		no_secret_in(&r.v[i], "TOPSECRET");
	}
	wifi_result_free(&r);
}

static void test_hostile(void **state)
{
	(void)state;
	/* a 1 MB line, NUL bytes and invalid UTF-8 in every parser */
	size_t n = 1u << 20;
	char *big = malloc(n + 128);
	assert_non_null(big);
	int k = snprintf(big, 128, NMW "ssid=\xff\xfe\nx=");
	memset(big + k, 'A', n);
	memcpy(big + k + n, "\n\0[wifi]\nssid=Z\n", 16);
	struct wifi_result r = {0};
	assert_int_equal(wifi_parse_nm(&r, big, (size_t)k + n + 16), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].ssid.len, 1); /* the later ssid=Z wins */
	assert_int_equal(wifi_parse_wpas(&r, big, (size_t)k + n + 16), 0);
	assert_int_equal(wifi_parse_hostapd(&r, big, (size_t)k + n + 16), 0);
	assert_int_equal(wifi_parse_iwd(&r, "\xff.psk", big, (size_t)k + n + 16), 0);
	assert_true(r.n_issues <= LIMIT_LINE_MESSAGES);
	wifi_result_free(&r);
	free(big);
}

static void test_unescape(void **state)
{
	(void)state;
	size_t n;
	char *s = wifi_keyfile_unescape("a\\sb\\tc\\\\d\\", 11, &n);
	assert_int_equal(n, 8);
	assert_memory_equal(s, "a b\tc\\d\\", 8);
	free(s);
	struct buf b = {0};
	assert_int_equal(wifi_nm_ssid("0;255;", 6, &b), 0);
	assert_int_equal(b.len, 2);
	assert_int_equal((unsigned char)b.data[1], 255);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_no_secrets),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_unescape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
