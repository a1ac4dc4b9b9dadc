/* fuzz_wifi.c - libFuzzer target: NetworkManager keyfiles,
 * wpa_supplicant.conf, iwd profiles, hostapd.conf, and dconf profiles,
 * keyfiles and locks, NetworkManager.conf merging (twice, so that the
 * second file meets the first one's groups) and its device specs. */
#include "probes/parse/dconf_parse.h"
#include "probes/parse/nmconf_parse.h"
#include "probes/parse/wifi_parse.h"
#include "tests/fuzz/fuzzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct wifi_result r = {0};
	wifi_parse_nm(&r, buf, size);
	wifi_parse_wpas(&r, buf, size);
	wifi_parse_iwd(&r, "Café.psk", buf, size);
	wifi_parse_iwd(&r, "=4e6574.8021x", buf, size);
	wifi_parse_hostapd(&r, buf, size);
	wifi_result_free(&r);
	size_t n;
	free(wifi_keyfile_unescape(buf, size, &n));
	struct buf ssid = {0};
	if (wifi_nm_ssid(buf, size, &ssid) == 0)
		buf_free(&ssid);

	char **dbs = NULL;
	if (dconf_profile_system_dbs(buf, size, &dbs) == 0 && dbs) {
		for (char **d = dbs; *d; d++)
			free(*d);
		free(dbs);
	}
	char *v = NULL;
	if (dconf_keyfile_get(buf, size, "org/gnome/desktop/media-handling", "automount", &v) > 0)
		free(v);
	dconf_locks_has(buf, size, "/org/gnome/desktop/media-handling/automount");

	struct nmconf c = {0};
	unsigned line;
	const char *val, *grp;
	nmconf_merge(&c, buf, size, &line);
	nmconf_merge(&c, buf, size, &line);
	nmconf_connection_default(&c, "wifi.cloned-mac-address", "wlan0", &val, &grp);
	nmconf_connection_default(&c, "wifi.cloned-mac-address", NULL, &val, &grp);
	nmconf_match_device(buf, "wlan0");
	nmconf_free(&c);
	free(buf);
	return 0;
}
