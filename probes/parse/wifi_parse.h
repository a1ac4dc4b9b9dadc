/* wifi_parse.h - saved wireless networks from NetworkManager keyfiles,
 * wpa_supplicant.conf, iwd network files and hostapd.conf (pure parsers).
 *
 * Every parser reduces a file to wifi_net records with the same fields,
 * and wifi_net_finish() derives the security class from them the same way
 * for all four. Secrets (psk, wep-key0..3, password, private-key-password,
 * Passphrase, wpa_passphrase) are never copied: only whether one exists.
 *
 * Ownership: struct wifi_result owns every record and string; free it
 * with wifi_result_free(). Issue texts are static.
 */
#ifndef TENKEN_WIFI_PARSE_H
#define TENKEN_WIFI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/util.h"

struct wifi_net {
	char *name;		 /* NM connection id; NULL elsewhere (the probe names it by SSID) */
	struct buf ssid;	 /* raw SSID bytes; data NULL if none */
	char *key_mgmt;		 /* lower case, space separated as configured ("wpa-psk sae") */
	char *proto;		 /* "wpa rsn"... lower case, NULL = the tool's default */
	char *pairwise;		 /* "ccmp tkip"... lower case, NULL = default */
	char *group;		 /* likewise */
	char *eap_methods;	 /* "peap ttls"..., NULL if none */
	char *mac_randomization; /* never|always|default|stable|random|preserve|permanent|fixed;
				  * "default": the file leaves it to the global configuration */
	char *ifname;		 /* NM connection.interface-name; NULL if any device */
	int autoconnect;	 /* 1/0 */
	bool wep_key;		 /* a WEP key is present */
	bool psk;		 /* a PSK or passphrase is present */
	bool is_wifi;		 /* NM: a Wi-Fi connection (other types are skipped) */
	bool ap;		 /* access point mode (NM mode=ap, hostapd) */
	int macaddr_acl; /* hostapd macaddr_acl (0 accept, 1 deny unless listed, 2 RADIUS); -1 */
	unsigned line;	 /* first line of the record (wpa_supplicant block) */
	/* derived by wifi_net_finish */
	const char *security; /* open|wep|wpa-psk|wpa2-psk|sae|wpa-eap|owe */
	bool tkip_only;
	bool wpa1; /* proto is WPA only (no RSN): WPA1 */
};

struct wifi_issue {
	unsigned line;
	const char *ja, *en;
};

struct wifi_result {
	struct wifi_net *v;
	size_t n, cap;
	struct wifi_issue *issues;
	size_t n_issues, cap_issues;
};

void wifi_result_free(struct wifi_result *r);

/* NetworkManager keyfile (GKeyFile syntax; [connection] [wifi]
 * [wifi-security] [802-1x]). Appends one record if it is a Wi-Fi
 * connection. 0 or -ENOMEM. */
int wifi_parse_nm(struct wifi_result *r, const char *buf, size_t len);
/* wpa_supplicant.conf: one record per network={...} block. */
int wifi_parse_wpas(struct wifi_result *r, const char *buf, size_t len);
/* An iwd network file; name is its file name ("Ward 3.psk", "=5761.open"). */
int wifi_parse_iwd(struct wifi_result *r, const char *name, const char *buf, size_t len);
/* hostapd.conf: one record for the access point it runs. */
int wifi_parse_hostapd(struct wifi_result *r, const char *buf, size_t len);

/* GKeyFile value unescaping (\s \n \t \r \\); new string of *ret_len
 * bytes (may hold NUL bytes). NULL on ENOMEM. */
char *wifi_keyfile_unescape(const char *s, size_t n, size_t *ret_len);
/* NM's SSID: a list of decimal bytes "72;101;" or an escaped string. */
int wifi_nm_ssid(const char *s, size_t n, struct buf *ret);

/* NM's cloned-mac-address value as a policy word: preserve, permanent,
 * random, stable, or fixed (an address). New string, NULL on ENOMEM. */
char *wifi_nm_cloned(const char *v, size_t n);

/* Derive security and tkip_only. */
void wifi_net_finish(struct wifi_net *w);

#endif
