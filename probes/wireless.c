/* wireless.c - the "wireless" probe: Wi-Fi and Bluetooth radios, their
 * rfkill state, and every saved or served wireless network (2(8)).
 *
 * Radios come from sysfs (/sys/class/net/IF/wireless or phy80211,
 * /sys/class/rfkill, /sys/class/bluetooth) through fsroot, so fixtures
 * hold them as sys/ trees. Networks come from NetworkManager keyfiles
 * (/etc and /run), wpa_supplicant configuration files, iwd's network
 * files and hostapd.conf, parsed by wifi_parse.c. No key, passphrase or
 * password is ever stored: "psk" and "wep_key" say only present/absent.
 */
#include <stdio.h>
#include <string.h>
#include "lib/limits.h"
#include "probes/probe.h"
#include "probes/parse/nmconf_parse.h"
#include "probes/parse/wifi_parse.h"
#include "probes/read/nmconf_read.h"

static const struct column wireless_columns[] = {
    {"interfaces", COL_ARRAY, "wireless network interfaces (sysfs wireless/ or phy80211)"},
    {"wifi_rfkill_blocked", COL_BOOL,
     "every wlan rfkill switch is soft or hard blocked (false if there is none)"},
    {"bluetooth_present", COL_BOOL, "a Bluetooth controller or rfkill switch exists"},
    {"bluetooth_rfkill_blocked", COL_BOOL, "every bluetooth rfkill switch is blocked"},
    {"bluetooth_installed", COL_BOOL, "bluetoothd is installed"},
    {"bluetooth_enabled", COL_BOOL, "bluetooth.service is enabled"},
    {"nm_keyfile_path", COL_STRING,
     "where NetworkManager reads keyfiles ([keyfile] path=, merged as NetworkManager merges "
     "its configuration)"},
    {"nm_config_complete", COL_BOOL,
     "every NetworkManager configuration file could be read and would be accepted"},
    {NULL, 0, NULL},
};

static const struct column wifi_network_columns[] = {
    {"source", COL_STRING, "nm, wpa_supplicant, iwd or hostapd"},
    {"file", COL_STRING, "the file it was read from"},
    {"name", COL_STRING, "connection name (NM id), else the SSID"},
    {"ssid", COL_STRING, "SSID (bytes that are not UTF-8 escaped as \\xNN)"},
    {"mode", COL_STRING, "client or ap"},
    {"key_mgmt", COL_STRING, "key management as configured, lower case (wpa-psk, sae, ...)"},
    {"proto", COL_STRING, "wpa, rsn, or null (the tool's default)"},
    {"eap_methods", COL_ARRAY, "802.1X EAP methods (peap, tls, ttls, ...)"},
    {"pairwise", COL_ARRAY, "pairwise ciphers, [] if the tool's default"},
    {"group", COL_ARRAY, "group ciphers, [] if the tool's default"},
    {"security", COL_STRING, "open, wep, wpa-psk (WPA1), wpa2-psk, sae, wpa-eap or owe"},
    {"tkip_only", COL_BOOL, "only TKIP is allowed as the pairwise cipher"},
    {"wpa1", COL_BOOL, "the protocol is WPA1 only (proto wpa without rsn)"},
    {"psk", COL_STRING, "present or absent (the key itself is never recorded)"},
    {"wep_key", COL_STRING, "present or absent"},
    {"mac_randomization", COL_STRING,
     "the effective MAC address policy: never, always, default, stable, random, preserve, "
     "permanent, fixed or once (iwd); the profile's, else the global configuration's "
     "(NetworkManager.conf connection defaults, iwd main.conf AddressRandomization), else the "
     "daemon's default; null if the global configuration cannot be known"},
    {"mac_randomization_from", COL_STRING,
     "where it comes from: profile, the global section (\"NetworkManager.conf "
     "[connection-x]\", \"/etc/iwd/main.conf [General]\"), or default"},
    {"macaddr_acl", COL_INT, "hostapd macaddr_acl, null elsewhere"},
    {"autoconnect", COL_BOOL, "connected automatically"},
    {NULL, 0, NULL},
};

const struct collection wireless_collections[] = {
    {"wireless", true, wireless_columns},
    {"wifi_networks", false, wifi_network_columns},
    {NULL, false, NULL},
};

static bool exists(struct probe_ctx *ctx, const char *path, bool follow)
{
	struct stat st;
	return fsroot_stat(ctx->root, path, follow, &st) == 0;
}

/* ---- radios ------------------------------------------------------------ */

static json_t *wifi_interfaces(struct probe_ctx *ctx)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(ctx->root, "/sys/class/net", &names, &n);
	if (r < 0) {
		probe_file_error(ctx, "/sys/class/net", r, false);
		probe_partial(ctx);
		return json_null();
	}
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		char p1[LIMIT_PATH], p2[LIMIT_PATH];
		snprintf(p1, sizeof(p1), "/sys/class/net/%s/wireless", names[i]);
		snprintf(p2, sizeof(p2), "/sys/class/net/%s/phy80211", names[i]);
		if (exists(ctx, p1, true) || exists(ctx, p2, true))
			json_array_append_new(a, json_str(names[i]));
	}
	return a;
}

struct rfkill_state {
	int wlan_total, wlan_blocked, bt_total, bt_blocked;
};

/* 1 when the attribute file holds "1". */
static int attr_is_one(struct probe_ctx *ctx, const char *dir, const char *attr)
{
	_cleanup_buf_ struct buf b = {0};
	char path[LIMIT_PATH];
	snprintf(path, sizeof(path), "/sys/class/rfkill/%s/%s", dir, attr);
	if (fsroot_read(ctx->root, path, LIMIT_SMALL_FILE, &b) < 0)
		return -1;
	const char *s = b.data;
	size_t n = b.len;
	str_trim(&s, &n);
	if (n != 1 || (s[0] != '0' && s[0] != '1')) {
		probe_msg(ctx, "%s: 値が 0 でも 1 でもありません", "%s: value is neither 0 nor 1",
			  path);
		return -1;
	}
	return s[0] == '1';
}

static void read_rfkill(struct probe_ctx *ctx, struct rfkill_state *st)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	if (fsroot_list(ctx->root, "/sys/class/rfkill", &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		_cleanup_buf_ struct buf t = {0};
		char path[LIMIT_PATH];
		snprintf(path, sizeof(path), "/sys/class/rfkill/%s/type", names[i]);
		if (fsroot_read(ctx->root, path, LIMIT_SMALL_FILE, &t) < 0)
			continue;
		bool wlan = str_startswith(t.data, "wlan"),
		     bt = str_startswith(t.data, "bluetooth");
		if (!wlan && !bt)
			continue;
		int soft = attr_is_one(ctx, names[i], "soft"),
		    hard = attr_is_one(ctx, names[i], "hard");
		bool blocked = soft == 1 || hard == 1;
		if (soft < 0 && hard < 0)
			probe_msg(ctx, "%s: rfkill の状態を読めません",
				  "%s: rfkill state unreadable", names[i]);
		*(wlan ? &st->wlan_total : &st->bt_total) += 1;
		*(wlan ? &st->wlan_blocked : &st->bt_blocked) += blocked;
	}
}

static void collect_radios(struct probe_ctx *ctx)
{
	struct rfkill_state st = {0};
	_cleanup_strv_ char **hci = NULL;
	size_t n_hci = 0;
	read_rfkill(ctx, &st);
	fsroot_glob(ctx->root, "/sys/class/bluetooth/hci*", &hci, &n_hci);
	bool bt_inst = exists(ctx, "/usr/libexec/bluetooth/bluetoothd", true) ||
		       exists(ctx, "/usr/sbin/bluetoothd", true);
	bool bt_on =
	    exists(ctx, "/etc/systemd/system/bluetooth.target.wants/bluetooth.service", false) ||
	    exists(ctx, "/etc/systemd/system/dbus-org.bluez.service", false);
	json_t *o =
	    json_pack("{s:o, s:b, s:b, s:b, s:b, s:b}", "interfaces", wifi_interfaces(ctx),
		      "wifi_rfkill_blocked", st.wlan_total > 0 && st.wlan_blocked == st.wlan_total,
		      "bluetooth_present", n_hci > 0 || st.bt_total > 0, "bluetooth_rfkill_blocked",
		      st.bt_total > 0 && st.bt_blocked == st.bt_total, "bluetooth_installed",
		      bt_inst, "bluetooth_enabled", bt_inst && bt_on);
	json_object_set_new(ctx->inventory, "wireless", o);
}

/* ---- networks ------------------------------------------------------------ */

static json_t *words(const char *s)
{
	json_t *a = json_array();
	for (const char *p = s; a && p && *p;) {
		size_t k = strcspn(p, " ");
		json_array_append_new(a, json_bytes(p, k));
		p += k + (p[k] == ' ');
	}
	return a;
}

static json_t *net_json(const struct wifi_net *w, const char *source, const char *file,
			const char *mac_from)
{
	json_t *ssid = w->ssid.data ? json_bytes(w->ssid.data, w->ssid.len) : json_null();
	json_t *name = w->name ? json_str(w->name) : json_incref(ssid);
	return json_pack(
	    "{s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:b, s:s, "
	    "s:s, s:o, s:o, s:o, s:b}",
	    "source", source, "file", json_str(file), "name", name, "ssid", ssid, "mode",
	    w->ap ? "ap" : "client", "key_mgmt", json_str(w->key_mgmt), "proto", json_str(w->proto),
	    "eap_methods", words(w->eap_methods), "pairwise", words(w->pairwise), "group",
	    words(w->group), "security", w->security, "tkip_only", w->tkip_only, "wpa1", w->wpa1,
	    "psk", w->psk ? "present" : "absent", "wep_key", w->wep_key ? "present" : "absent",
	    "mac_randomization", json_str(w->mac_randomization), "mac_randomization_from",
	    json_str(mac_from), "macaddr_acl",
	    w->macaddr_acl < 0 ? json_null() : json_integer(w->macaddr_acl), "autoconnect",
	    w->autoconnect != 0);
}

/* ---- global configuration -------------------------------------------------- */

/* What the daemons' own configuration adds to a profile. */
struct globals {
	struct nmconf nm, iwd;
	bool nm_ok, iwd_ok;   /* every file read and accepted */
	const json_t *ifaces; /* wireless interface names (borrowed; null if unknown) */
	char from[300];	      /* mac_randomization_from of the record being written */
};

static void nm_problem(void *ud, const char *path, unsigned line, int err)
{
	struct probe_ctx *ctx = ud;
	if (err == -EINVAL)
		probe_line_error(ctx, path, line,
				 "NetworkManager が受け付けない行です（この設定では起動しません）",
				 "NetworkManager refuses this line (it would not start with it)");
	else
		probe_file_error(ctx, path, err, false);
	probe_partial(ctx);
}

static void read_globals(struct probe_ctx *ctx, struct globals *g)
{
	_cleanup_buf_ struct buf b = {0};
	unsigned line = 0;
	g->nm_ok = nmconf_read(ctx->root, &g->nm, nm_problem, ctx) == 0;
	int r = fsroot_read(ctx->root, "/etc/iwd/main.conf", LIMIT_CONFIG_FILE, &b);
	if (r == 0)
		r = nmconf_merge(&g->iwd, b.data, b.len, &line);
	g->iwd_ok = r == 0 || r == -ENOENT;
	if (r == -EINVAL)
		nm_problem(ctx, "/etc/iwd/main.conf", line, r);
	else if (r < 0 && r != -ENOENT)
		nm_problem(ctx, "/etc/iwd/main.conf", 0, r);
	json_t *w = json_object_get(ctx->inventory, "wireless");
	g->ifaces = json_object_get(w, "interfaces");
	const char *path = nmconf_get(&g->nm, "keyfile", "path");
	json_object_set_new(
	    w, "nm_keyfile_path",
	    json_string(path && *path ? path : "/etc/NetworkManager/system-connections"));
	json_object_set_new(w, "nm_config_complete", json_boolean(g->nm_ok));
}

/* NetworkManager's cloned MAC for a profile that leaves it to the global
 * configuration, on one Wi-Fi device: 0 (*ret new string), -1 when a
 * section's match-device cannot be decided here. The deprecated
 * wifi.mac-address-randomization=2 (always) counts only when
 * wifi.cloned-mac-address is given nowhere; the default is preserve. */
static int nm_default_one(struct globals *g, const char *ifname, char **ret)
{
	const char *v = NULL, *sec = NULL;
	int r = nmconf_connection_default(&g->nm, "wifi.cloned-mac-address", ifname, &v, &sec);
	if (r == 1) {
		snprintf(g->from, sizeof(g->from), "NetworkManager.conf [%s]", sec);
		*ret = wifi_nm_cloned(v, strlen(v));
		return 0;
	}
	if (r == 0)
		r = nmconf_connection_default(&g->nm, "wifi.mac-address-randomization", ifname, &v,
					      &sec);
	if (r < 0)
		return -1;
	if (r == 1 && strcmp(v, "2") == 0)
		snprintf(g->from, sizeof(g->from), "NetworkManager.conf [%s]", sec);
	else
		snprintf(g->from, sizeof(g->from), "default");
	*ret = strdup(r == 1 && strcmp(v, "2") == 0 ? "random" : "preserve");
	return 0;
}

/* Over the devices the profile may use (its interface-name, else every
 * wireless interface present): one answer, or NULL when it cannot be
 * known or differs between devices. */
static char *nm_default(struct probe_ctx *ctx, struct globals *g, const struct wifi_net *w)
{
	size_t n = w->ifname ? 1 : json_array_size(g->ifaces);
	char *val = NULL;
	for (size_t i = 0; i < (n ? n : 1); i++) {
		const char *ifname =
		    w->ifname ? w->ifname : json_string_value(json_array_get(g->ifaces, i));
		char *one = NULL;
		if (nm_default_one(g, ifname, &one) < 0 || (val && strcmp(val, one) != 0)) {
			probe_msg(
			    ctx,
			    "無線 LAN 設定 %s の MAC "
			    "アドレスの扱いは、どのデバイスで使うかで変わります",
			    "wireless network %s: its MAC address policy depends on the device",
			    w->name ? w->name : "?");
			free(one);
			free(val);
			return NULL;
		}
		free(val);
		val = one;
	}
	return val;
}

/* iwd: [General] AddressRandomization of main.conf decides; a network
 * file's AlwaysRandomizeAddress or AddressOverride count only with
 * "network" (iwd.network(5)). */
static char *iwd_default(struct probe_ctx *ctx, struct globals *g, const struct wifi_net *w)
{
	const char *ar = nmconf_get(&g->iwd, "General", "AddressRandomization");
	bool dflt = strcmp(w->mac_randomization, "default") == 0;
	snprintf(g->from, sizeof(g->from), ar ? "/etc/iwd/main.conf [General]" : "default");
	if (!ar || strcmp(ar, "disabled") == 0)
		return strdup("permanent");
	if (strcmp(ar, "once") == 0)
		return strdup("once");
	if (strcmp(ar, "network") == 0) {
		if (!dflt)
			snprintf(g->from, sizeof(g->from), "profile");
		return strdup(dflt ? "stable" : w->mac_randomization);
	}
	probe_msg(ctx, "/etc/iwd/main.conf: AddressRandomization=%s は iwd の値ではありません",
		  "/etc/iwd/main.conf: AddressRandomization=%s is not a value iwd knows", ar);
	return NULL;
}

enum source { SRC_NM, SRC_WPAS, SRC_IWD, SRC_HOSTAPD };

/* Replace w's mac_randomization with the effective value; g->from says
 * where it comes from. */
static void effective_mac(struct probe_ctx *ctx, struct globals *g, enum source src,
			  struct wifi_net *w)
{
	bool dflt = !w->mac_randomization || strcmp(w->mac_randomization, "default") == 0;
	snprintf(g->from, sizeof(g->from), dflt ? "default" : "profile");
	if (src == SRC_NM && dflt) {
		char *v = g->nm_ok ? nm_default(ctx, g, w) : NULL;
		free(w->mac_randomization);
		w->mac_randomization = v;
	} else if (src == SRC_IWD && w->mac_randomization) {
		char *v = g->iwd_ok ? iwd_default(ctx, g, w) : NULL;
		free(w->mac_randomization);
		w->mac_randomization = v;
	}
	if (!w->mac_randomization)
		g->from[0] = '\0';
}

static const char *const source_names[] = {"nm", "wpa_supplicant", "iwd", "hostapd"};

static int parse_one(enum source src, struct wifi_result *res, const char *path,
		     const struct buf *b)
{
	const char *base = strrchr(path, '/') + 1;
	switch (src) {
	case SRC_NM:
		return wifi_parse_nm(res, b->data, b->len);
	case SRC_WPAS:
		return wifi_parse_wpas(res, b->data, b->len);
	case SRC_IWD:
		return wifi_parse_iwd(res, base, b->data, b->len);
	case SRC_HOSTAPD:
		return wifi_parse_hostapd(res, b->data, b->len);
	}
	return 0;
}

static int read_networks(struct probe_ctx *ctx, struct globals *g, enum source src,
			 const char *pattern, json_t *out)
{
	_cleanup_strv_ char **v = NULL;
	size_t n = 0;
	int r = fsroot_glob(ctx->root, pattern, &v, &n);
	if (r < 0) {
		probe_file_error(ctx, pattern, r, true);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		_cleanup_buf_ struct buf b = {0};
		struct wifi_result res = {0};
		r = fsroot_read(ctx->root, v[i], LIMIT_CONFIG_FILE, &b);
		if (r < 0) {
			probe_file_error(ctx, v[i], r, false);
			continue;
		}
		r = parse_one(src, &res, v[i], &b);
		for (size_t k = 0; k < res.n_issues; k++)
			probe_line_error(ctx, v[i], res.issues[k].line, res.issues[k].ja,
					 res.issues[k].en);
		for (size_t k = 0; k < res.n; k++) {
			effective_mac(ctx, g, src, &res.v[k]);
			json_array_append_new(out, net_json(&res.v[k], source_names[src], v[i],
							    g->from[0] ? g->from : NULL));
		}
		wifi_result_free(&res);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct {
	enum source src;
	const char *pattern;
} network_files[] = {
    {SRC_NM, NULL}, /* [keyfile] path=, by default /etc/NetworkManager/system-connections */
    {SRC_NM, "/run/NetworkManager/system-connections/*"},
    {SRC_NM, "/usr/lib/NetworkManager/system-connections/*"},
    {SRC_WPAS, "/etc/wpa_supplicant.conf"},
    {SRC_WPAS, "/etc/wpa_supplicant/*.conf"},
    {SRC_IWD, "/var/lib/iwd/*"},
    {SRC_HOSTAPD, "/etc/hostapd/*.conf"},
    {SRC_HOSTAPD, "/etc/hostapd.conf"},
};

static int read_all(struct probe_ctx *ctx, struct globals *g, json_t *nets)
{
	const char *dir = nmconf_get(&g->nm, "keyfile", "path");
	char keyfiles[LIMIT_PATH];
	if (!dir || dir[0] != '/' || strpbrk(dir, "*?["))
		dir = "/etc/NetworkManager/system-connections";
	snprintf(keyfiles, sizeof(keyfiles), "%s/*", dir);
	for (size_t i = 0; i < ARRAY_SIZE(network_files); i++) {
		const char *pat = network_files[i].pattern ? network_files[i].pattern : keyfiles;
		int r = read_networks(ctx, g, network_files[i].src, pat, nets);
		if (r < 0)
			return r;
	}
	return 0;
}

int probe_wireless_run(struct probe_ctx *ctx)
{
	struct globals g = {0};
	collect_radios(ctx);
	read_globals(ctx, &g);
	json_t *nets = json_array();
	int r = nets ? read_all(ctx, &g, nets) : -ENOMEM;
	nmconf_free(&g.nm);
	nmconf_free(&g.iwd);
	if (r < 0) {
		json_decref(nets);
		return r;
	}
	json_array_sort_by(nets, "file");
	return json_object_set_new(ctx->inventory, "wifi_networks", nets) < 0 ? -ENOMEM : 0;
}
