/* usbguard_parse.h - USBGuard's rule language (usbguard-rules.conf(5)),
 * one rule per line, and what a rule set means for USB mass storage.
 *
 * A rule is a target (allow, block, reject, match, device) followed by
 * attributes, each at most once: id, serial, name, hash, parent-hash,
 * via-port, with-interface, with-connect-type, label, and a condition
 * ("if"). An attribute takes one value or a set "[operator] { v ... }"
 * with the operators all-of, one-of, none-of, equals (the default),
 * equals-ordered and match-all. Checked against usbguard-rule-parser
 * 1.1.2 (tests/e2e/usbguard.sh): what it rejects is rejected here, and
 * ug_rule_format prints what it prints.
 *
 * Pure: no I/O. A rule owns its strings.
 */
#ifndef TENKEN_USBGUARD_PARSE_H
#define TENKEN_USBGUARD_PARSE_H

#include <stdbool.h>
#include <stddef.h>

enum ug_target { UG_ALLOW, UG_BLOCK, UG_REJECT, UG_MATCH, UG_DEVICE };

/* The attributes, in the order usbguard prints them. */
enum ug_attr_kind {
	UG_ID,
	UG_SERIAL,
	UG_NAME,
	UG_HASH,
	UG_PARENT_HASH,
	UG_VIA_PORT,
	UG_WITH_INTERFACE,
	UG_CONNECT_TYPE,
	UG_LABEL,
	UG_IF,
	UG_NATTR,
};

enum ug_op { UG_EQUALS, UG_ALL_OF, UG_ONE_OF, UG_NONE_OF, UG_EQUALS_ORDERED, UG_MATCH_ALL };

struct ug_attr {
	enum ug_op op;
	size_t n;    /* 0: the rule does not have it */
	char **v;    /* values: strings unescaped; conditions as written, "!" kept */
	bool braces; /* written as a set */
};

struct ug_rule {
	enum ug_target target;
	struct ug_attr a[UG_NATTR];
};

void ug_rule_free(struct ug_rule *r);

/* Parse one line. Returns 0 (a rule in *r, to be freed with ug_rule_free),
 * 1 for a blank or comment line, -EINVAL for a line usbguard rejects
 * (*ret_err: a static English reason), -E2BIG for a line over LIMIT_LINE
 * (not read: what usbguard makes of it is unknown), -ENOMEM. */
int ug_rule_parse(const char *line, size_t len, struct ug_rule *r, const char **ret_err);

/* The rule as usbguard-rule-parser prints it (new string, NULL on ENOMEM). */
char *ug_rule_format(const struct ug_rule *r);

/* Whether the rule can match some device that has a mass-storage
 * interface (class 08): every attribute other than with-interface can be
 * met by some device (ids, names, serials and hashes can be copied), so
 * only with-interface and a condition that is always false rule it out. */
bool ug_rule_may_match_storage(const struct ug_rule *r);

/* Whether the rule matches every device with a mass-storage interface,
 * whatever else the device is: no attribute but with-interface one-of or
 * all-of a set holding 08:*:* (or none at all), and no condition other
 * than "true". */
bool ug_rule_matches_all_storage(const struct ug_rule *r);

#endif

/* USBGuard's device hash (usbguard 1.1, the "hash" attribute that
 * generate-policy writes): base64 of the SHA-256 of the product string,
 * idVendor and idProduct as sysfs prints them ("1d6b"), the serial (""
 * if none) and the raw sysfs `descriptors`, in that order, with the
 * bcdDevice field zeroed for Linux root hubs (1d6b:0001..0003: it is the
 * kernel's version, which must not change the hash). Checked against
 * `usbguard generate-policy` (tests/e2e/usbguard-hash.sh). out gets 44
 * characters and a NUL. 0, or -EIO if libcrypto fails. */
#define UG_HASH_LEN 45
struct ug_hash_input {
	const char *name, *vendor_id, *product_id, *serial; /* NULL = "" */
	const unsigned char *descriptors;
	size_t descriptors_len;
};
int ug_device_hash(const struct ug_hash_input *in, char out[UG_HASH_LEN]);

/* The "parent-hash" of a root hub: the hash of its parent's sysfs path
 * relative to /sys ("/devices/pci0000:00/0000:00:14.0"). */
int ug_string_hash(const char *s, char out[UG_HASH_LEN]);

/* A device as USBGuard's rules see it (usbguard-rules.conf(5)). Strings
 * are "" when the device has none; a NULL hash or parent_hash means it
 * could not be computed. ifaces: "cc:ss:pp" of every interface
 * descriptor, in order. */
struct ug_device {
	const char *id; /* "vvvv:pppp" */
	const char *serial, *name, *hash, *parent_hash, *port, *connect_type;
	char *const *ifaces;
	size_t n_ifaces;
	bool ifaces_known; /* false: the descriptors could not be read */
};

/* Whether rule r applies to device d as USBGuard decides it: every
 * attribute's set operator between the rule's values and the device's,
 * ids and interface types with their '*' wildcards. 1, 0, or -1 when it
 * depends on what tenken cannot know: a condition other than true/false
 * (time, other rules, random), a hash it could not compute. */
int ug_rule_applies(const struct ug_rule *r, const struct ug_device *d);
