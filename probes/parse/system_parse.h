/* system_parse.h - pure parsers behind the system probe (the 2(1) ledger
 * row): os-release(5), machine-id(5), hostname(5), /proc/net/fib_trie,
 * /proc/net/route, /proc/net/if_inet6, /proc/net/dev, DMI chassis types
 * and ELF headers. None of them does I/O; probes/system.c reads the files
 * through fsroot and turns the problems reported here into probe messages.
 *
 * Ownership: json_t results are new references; string results are new
 * allocations unless said otherwise; inputs are borrowed.
 */
#ifndef TENKEN_SYSTEM_PARSE_H
#define TENKEN_SYSTEM_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/* A malformed line met by a parser (line is 1-based). The parser goes on
 * with the next line. */
typedef void (*parse_bad_fn)(void *userdata, unsigned line, const char *ja_what,
			     const char *en_what);

/* os-release(5): KEY=value lines, shell-style quoting ('...' literal,
 * "..." with \" \\ \$ \` escapes, backslash escapes outside quotes,
 * concatenated segments), '#' comment lines, CRLF. Later assignments win.
 * Values that are not UTF-8 are escaped (json_bytes). Sets *ret to a new
 * object KEY -> string. Returns 0 or -ENOMEM. bad may be NULL. */
int os_release_parse(const char *buf, size_t len, parse_bad_fn bad, void *userdata, json_t **ret);

/* Unquote one os-release value [s, s+n) (leading whitespace already
 * skipped) into a new string (*ret, *ret_len; may contain NUL bytes).
 * Trailing unquoted whitespace is dropped, inner whitespace kept.
 * -EINVAL on an unterminated quote or a final lone backslash, -ENOMEM. */
int os_release_unquote(const char *s, size_t n, char **ret, size_t *ret_len);

/* machine-id(5): the first line must be exactly 32 lowercase hex digits.
 * Returns 0 and copies it (NUL-terminated) to out; -ENODATA if the file
 * is empty or says "uninitialized" (an image not yet booted); -EINVAL for
 * anything else. */
int machine_id_parse(const char *buf, size_t len, char out[static 33]);

/* hostname(5) and /proc/sys/kernel/{hostname,osrelease,arch}: the first
 * line that is neither blank nor a '#' comment, trimmed. Returns 0 and
 * the span inside buf (borrowed), or -ENODATA if there is none. */
int first_value_line(const char *buf, size_t len, bool comments, const char **ret, size_t *ret_len);

/* hostname(7) rules: 1-253 bytes of [A-Za-z0-9-.], labels of 1-63. */
bool hostname_is_valid(const char *s, size_t n);

/* /proc/net/fib_trie: the addresses of "/32 host LOCAL" leaves, each
 * belonging to the "|-- A.B.C.D" line above it, deduplicated (the Main and
 * Local tables repeat them) and sorted. *ret is a new array of strings.
 * Loopback (127.0.0.0/8) is left out. */
int fib_trie_local_addrs(const char *buf, size_t len, parse_bad_fn bad, void *userdata,
			 json_t **ret);

struct ip_entry {
	char name[16 + 1];	/* interface (IF_NAMESIZE), "" when not known */
	unsigned char addr[16]; /* IPv4 in the first 4 bytes */
	int family;
};
/* Addresses collected per interface (from getifaddrs or the kernel's
 * tables) before they are sorted and written out. */
struct ip_list {
	struct ip_entry *v;
	size_t n, cap;
};
void ip_list_free(struct ip_list *l);
/* Add a binary address (4 bytes for AF_INET, 16 for AF_INET6) of
 * interface name ("" when not known). 0 or -ENOMEM. */
int ip_list_add(struct ip_list *l, const char *name, const void *addr, int family);
/* A new object NAME -> array of addresses in text form, each array sorted
 * numerically without duplicates. Sorts l. 0 or -ENOMEM. */
int ip_list_to_object(struct ip_list *l, json_t **ret);

/* One IPv4 route of /proc/net/route: destination and mask as printed by a
 * little-endian kernel (the raw network-order word in %08X). */
struct route4 {
	char iface[16];
	uint32_t dest, mask; /* host order: 192.0.2.0 is 0xc0000200 */
	unsigned flags;
};
/* Parse /proc/net/route into a new array (*ret, *ret_n; free()). */
int proc_route_parse(const char *buf, size_t len, parse_bad_fn bad, void *userdata,
		     struct route4 **ret, size_t *ret_n);
/* The interface of the most specific directly connected (not via a
 * gateway) route containing addr (dotted quad), or NULL (borrowed from
 * routes). */
const char *route4_iface_for(const struct route4 *routes, size_t n, const char *addr);

/* /proc/net/if_inet6 lines: "ADDR32HEX IFINDEX PLEN SCOPE FLAGS NAME".
 * Sets *ret to a new object NAME -> sorted array of addresses in RFC 5952
 * text form. */
int if_inet6_parse(const char *buf, size_t len, parse_bad_fn bad, void *userdata, json_t **ret);

/* /proc/net/dev: the interface names (two header lines, then "NAME: ...").
 * *ret is a new sorted array of strings. */
int proc_net_dev_parse(const char *buf, size_t len, parse_bad_fn bad, void *userdata, json_t **ret);

/* A MAC address as in /sys/class/net/IF/address: colon-separated hex
 * octets (1 to 32 of them). Returns 0 and a new lowercase string,
 * -ENODATA for an empty value (no hardware address), -EINVAL otherwise. */
int mac_parse(const char *s, size_t n, char **ret);

/* SMBIOS chassis type number (/sys/class/dmi/id/chassis_type) to its
 * name ("Desktop", "Rack Mount Chassis"), or NULL if out of the table. */
const char *chassis_type_name(long type);

/* The virtualisation a DMI vendor/product names (systemd-detect-virt's
 * identifiers: "kvm", "qemu", "vmware", "oracle", "microsoft", "xen",
 * "amazon", "google", "parallels", "bochs"), or NULL. Either may be NULL. */
const char *dmi_virtualization(const char *sys_vendor, const char *product_name);

/* The value of "container=" in a NUL-separated environment block
 * (/proc/1/environ), as a span inside buf, or -ENODATA. */
int environ_container(const char *buf, size_t len, const char **ret, size_t *ret_len);

/* uname -m style name for the machine an ELF header (the first bytes of
 * /bin/sh) is built for, or NULL if buf is not an ELF header or the
 * machine is not in the table. Static string. */
const char *elf_arch(const unsigned char *buf, size_t len);

/* uname -m style name for a dpkg architecture ("amd64" -> "x86_64"), or
 * NULL if not in the table. Static string. */
const char *dpkg_arch_to_uname(const char *s, size_t n);

#endif
