/* nmconf_parse.h - NetworkManager's own configuration (NetworkManager.conf
 * and conf.d, NetworkManager.conf(5)) merged the way NetworkManager merges
 * it, and the connection defaults it gives a Wi-Fi device.
 *
 * Files are merged in the order the caller feeds them (the probe feeds
 * NetworkManager's order). Each is a GKeyFile: a key set again replaces
 * the value, "key+=" and "key-=" extend or shrink the list-valued keys
 * (main.plugins, main.debug, logging.domains, and the device specs
 * main.no-auto-default, main.ignore-carrier, main.assume-ipv6ll-only,
 * keyfile.unmanaged-devices, connection*.match-device) and are dropped
 * on any other key; a list emptied so is set to "". A group keeps the place where it first
 * appeared; within one file the "connection*" groups are taken bottom-up with [connection] first,
 * so that reading the merged groups backwards gives NetworkManager's search order: later files
 * first, top-to-bottom inside a file, [connection] last in its file. Checked against
 * `NetworkManager --print-config` (tests/e2e/nmconf.sh).
 *
 * Pure: no I/O. struct nmconf owns every string.
 */
#ifndef TENKEN_NMCONF_PARSE_H
#define TENKEN_NMCONF_PARSE_H

#include <stddef.h>

struct nmconf_kv {
	char *key, *value; /* value as written (GKeyFile escapes kept) */
};
struct nmconf_group {
	char *name;
	struct nmconf_kv *kv;
	size_t n, cap;
};
struct nmconf {
	struct nmconf_group *g; /* in order of first appearance */
	size_t n, cap;
};

void nmconf_free(struct nmconf *c);

/* Merge one file. 0; -EINVAL when GKeyFile refuses the file (a line that
 * is not a group, key=value or comment, or a key before any group:
 * NetworkManager then refuses to start), *ret_line the line, and nothing
 * of the file merged; -ENOMEM. */
int nmconf_merge(struct nmconf *c, const char *buf, size_t len, unsigned *ret_line);

/* The merged value (borrowed), NULL if unset. */
const char *nmconf_get(const struct nmconf *c, const char *group, const char *key);

/* Whether a device spec list matches a Wi-Fi device named ifname (NULL:
 * the name is not known): 1, 0, or -1 when it depends on what is not
 * known here (mac:, driver:, s390-subchannels:, dhcp-plugin:, or a name). */
int nmconf_match_device(const char *spec, const char *ifname);

/* The connection default of prop ("wifi.cloned-mac-address") for a Wi-Fi
 * device ifname: 1 (*ret value, *ret_group the section, both borrowed),
 * 0 (no section gives it), -1 (a section whose match-device cannot be
 * decided comes first). */
int nmconf_connection_default(const struct nmconf *c, const char *prop, const char *ifname,
			      const char **ret, const char **ret_group);

/* The "connection*" groups in search order (n of them, borrowed
 * pointers into c, written to v[0..max)). Returns the count. */
size_t nmconf_connection_order(const struct nmconf *c, const struct nmconf_group **v, size_t max);

#endif
