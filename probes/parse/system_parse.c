/* system_parse.c - pure parsers for the system probe: os-release,
 * machine-id, hostname, the kernel's network tables in /proc/net, MAC
 * addresses, DMI chassis and virtualisation names, ELF machine types.
 * No I/O here: every function works on a buffer (see system_parse.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <net/if.h>
#include <net/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/limits.h"
#include "probes/parse/system_parse.h"
#include "lib/util.h"

static void report_bad(parse_bad_fn bad, void *userdata, unsigned line, const char *ja,
		       const char *en)
{
	if (bad)
		bad(userdata, line, ja, en);
}

static bool is_hspace(char c)
{
	return c == ' ' || c == '\t';
}

/* ---- os-release ---- */

struct unquote {
	char *out;
	size_t o;    /* bytes written */
	size_t keep; /* length without trailing unquoted whitespace */
	char quote;  /* 0, '\'' or '"' */
};

/* One backslash escape at s[i] (s[i] == '\\'); returns the bytes used. */
static size_t unquote_escape(struct unquote *u, const char *s, size_t n, size_t i)
{
	if (i + 1 >= n)
		return 0;
	char c = s[i + 1];
	/* Inside double quotes only the shell's special characters are
	 * escaped; elsewhere the backslash stays (os-release(5), as the
	 * reference parser in systemd does). */
	if (u->quote == '"' && !memchr("\"\\`$", c, 4))
		u->out[u->o++] = '\\';
	u->out[u->o++] = c;
	u->keep = u->o;
	return 2;
}

int os_release_unquote(const char *s, size_t n, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *out = malloc(n + 1);
	if (!out)
		return -ENOMEM;
	struct unquote u = {.out = out};
	for (size_t i = 0; i < n;) {
		char c = s[i];
		if (c == '\\' && u.quote != '\'') {
			size_t used = unquote_escape(&u, s, n, i);
			if (!used)
				return -EINVAL;
			i += used;
			continue;
		}
		i++;
		if (u.quote && c == u.quote) {
			u.quote = 0;
		} else if (!u.quote && (c == '\'' || c == '"')) {
			u.quote = c;
			u.keep = u.o;
		} else {
			u.out[u.o++] = c;
			if (u.quote || !is_hspace(c))
				u.keep = u.o;
		}
	}
	if (u.quote)
		return -EINVAL;
	out[u.keep] = '\0';
	*ret_len = u.keep;
	*ret = TAKE_PTR(out);
	return 0;
}

static bool os_release_key_valid(const char *s, size_t n)
{
	if (n == 0 || n > 128 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* One non-comment line "KEY=value" into obj. -EINVAL if malformed. */
static int os_release_line(const char *s, size_t n, json_t *obj)
{
	const char *eq = memchr(s, '=', n);
	if (!eq)
		return -EINVAL;
	const char *k = s, *v = eq + 1;
	size_t kn = (size_t)(eq - s), vn = n - kn - 1;
	str_trim(&k, &kn);
	while (vn > 0 && is_hspace(*v)) {
		v++;
		vn--;
	}
	if (!os_release_key_valid(k, kn))
		return -EINVAL;
	_cleanup_free_ char *val = NULL, *key = xstrndup(k, kn);
	size_t val_len;
	if (!key)
		return -ENOMEM;
	int r = os_release_unquote(v, vn, &val, &val_len);
	if (r < 0)
		return r;
	json_t *j = json_bytes(val, val_len);
	if (!j || json_object_set_new(obj, key, j) < 0)
		return -ENOMEM;
	return 0;
}

int os_release_parse(const char *buf, size_t len, parse_bad_fn bad, void *userdata, json_t **ret)
{
	json_auto_t *obj = json_object();
	if (!obj)
		return -ENOMEM;
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = l.len;
		str_trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		if (n > LIMIT_LINE) {
			report_bad(bad, userdata, l.lineno,
				   "行が上限 (65536 バイト、LIMIT_LINE) より長いため読んでいません",
				   "line longer than 65536 bytes (LIMIT_LINE): not read");
			continue;
		}
		int r = os_release_line(s, n, obj);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			report_bad(bad, userdata, l.lineno, "KEY=値 の形式ではありません",
				   "not a KEY=value assignment");
	}
	*ret = TAKE_PTR(obj);
	return 0;
}

/* ---- machine-id, hostname, single-value files ---- */

int first_value_line(const char *buf, size_t len, bool comments, const char **ret, size_t *ret_len)
{
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = l.len;
		str_trim(&s, &n);
		if (n == 0 || (comments && s[0] == '#'))
			continue;
		*ret = s;
		*ret_len = n;
		return 0;
	}
	return -ENODATA;
}

int machine_id_parse(const char *buf, size_t len, char out[static 33])
{
	const char *s;
	size_t n;
	if (first_value_line(buf, len, false, &s, &n) < 0)
		return -ENODATA;
	if (n == 13 && memcmp(s, "uninitialized", 13) == 0)
		return -ENODATA;
	if (n != 32)
		return -EINVAL;
	for (size_t i = 0; i < 32; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return -EINVAL;
	memcpy(out, s, 32);
	out[32] = '\0';
	return 0;
}

bool hostname_is_valid(const char *s, size_t n)
{
	if (n == 0 || n > 253)
		return false;
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

/* ---- IP address lists ---- */

static int ip_entry_cmp(const void *a, const void *b)
{
	const struct ip_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

void ip_list_free(struct ip_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

int ip_list_add(struct ip_list *l, const char *name, const void *addr, int family)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct ip_entry *v = reallocarray(l->v, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	struct ip_entry *e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	memcpy(e->addr, addr, family == AF_INET ? 4 : 16);
	e->family = family;
	return 0;
}

/* Sorted, without duplicates, as text: into obj[name] when obj is given,
 * else into one array. */
static int ip_list_emit(struct ip_list *l, json_t *obj, json_t *arr)
{
	if (l->n > 0) /* v is NULL when empty */
		qsort(l->v, l->n, sizeof(*l->v), ip_entry_cmp);
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0 && ip_entry_cmp(&l->v[i - 1], &l->v[i]) == 0)
			continue;
		char text[INET6_ADDRSTRLEN];
		if (!inet_ntop(l->v[i].family, l->v[i].addr, text, sizeof(text)))
			return -EINVAL;
		json_t *dst = arr;
		if (obj) {
			dst = json_object_get(obj, l->v[i].name);
			if (!dst && json_object_set_new(obj, l->v[i].name, dst = json_array()) < 0)
				return -ENOMEM;
		}
		if (!dst || json_array_append_new(dst, json_string(text)) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- /proc/net/fib_trie ---- */

/* The leaf address of a "|-- A.B.C.D" line, or -EINVAL. */
static int fib_leaf(const char *s, size_t n, unsigned char addr[4])
{
	char tmp[INET_ADDRSTRLEN];
	if (n < 5 || n - 4 >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s + 4, n - 4);
	tmp[n - 4] = '\0';
	return inet_pton(AF_INET, tmp, addr) == 1 ? 0 : -EINVAL;
}

/* "/32 host LOCAL": a local address of this host. */
static bool fib_is_local_host(const char *s, size_t n)
{
	if (n < 4 || memcmp(s, "/32 ", 4) != 0)
		return false;
	return n >= 6 && memcmp(s + n - 6, " LOCAL", 6) == 0;
}

/* One line; *have says whether leaf holds the address above. */
static int fib_line(const char *s, size_t n, unsigned char leaf[4], bool *have, struct ip_list *out)
{
	if (n >= 4 && memcmp(s, "|-- ", 4) == 0) {
		*have = fib_leaf(s, n, leaf) == 0;
		return *have ? 0 : -EINVAL;
	}
	if (n >= 1 && s[0] == '/') {
		if (*have && fib_is_local_host(s, n) && leaf[0] != 127)
			return ip_list_add(out, "", leaf, AF_INET);
		return 0;
	}
	/* "+-- prefix" nodes and table headings end the current leaf. */
	*have = false;
	return 0;
}

int fib_trie_local_addrs(const char *buf, size_t len, parse_bad_fn bad, void *userdata,
			 json_t **ret)
{
	_cleanup_(ip_list_free) struct ip_list list = {0};
	unsigned char leaf[4];
	bool have = false;
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = l.len;
		str_trim(&s, &n);
		int r = fib_line(s, n, leaf, &have, &list);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			report_bad(bad, userdata, l.lineno, "IPv4 アドレスを読み取れません",
				   "unreadable IPv4 address");
	}
	json_auto_t *arr = json_array();
	if (!arr)
		return -ENOMEM;
	int r = ip_list_emit(&list, NULL, arr);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(arr);
	return 0;
}

/* ---- /proc/net/route ---- */

/* Split a line into at most max whitespace-separated fields (spans). */
static size_t split_fields(const char *s, size_t n, const char **f, size_t *fl, size_t max)
{
	size_t k = 0, i = 0;
	while (i < n && k < max) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i == n)
			break;
		f[k] = s + i;
		while (i < n && !isspace((unsigned char)s[i]))
			i++;
		fl[k] = (size_t)(s + i - f[k]);
		k++;
	}
	return k;
}

static int parse_hex32(const char *s, size_t n, uint32_t *ret)
{
	if (n == 0 || n > 8)
		return -EINVAL;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
		int d = isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower(s[i]) - 'a' + 10);
		v = v << 4 | (uint32_t)d;
	}
	*ret = v;
	return 0;
}

static int route_line(const char *s, size_t n, struct route4 *rt)
{
	const char *f[8];
	size_t fl[8];
	uint32_t dest, flags, mask;
	if (split_fields(s, n, f, fl, 8) < 8 || fl[0] >= sizeof(rt->iface))
		return -EINVAL;
	if (parse_hex32(f[1], fl[1], &dest) < 0 || parse_hex32(f[3], fl[3], &flags) < 0 ||
	    parse_hex32(f[7], fl[7], &mask) < 0)
		return -EINVAL;
	memcpy(rt->iface, f[0], fl[0]);
	rt->iface[fl[0]] = '\0';
	/* The kernel prints the network-order word as a native integer;
	 * little-endian is assumed (x86, arm64, riscv, ppc64le). */
	rt->dest = __builtin_bswap32(dest);
	rt->mask = __builtin_bswap32(mask);
	rt->flags = flags;
	return 0;
}

int proc_route_parse(const char *buf, size_t len, parse_bad_fn bad, void *userdata,
		     struct route4 **ret, size_t *ret_n)
{
	_cleanup_free_ struct route4 *v = NULL;
	size_t n = 0, cap = 0;
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		if (l.lineno == 1 || l.len == 0)
			continue; /* the heading */
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct route4 *nv = reallocarray(v, cap, sizeof(*v));
			if (!nv)
				return -ENOMEM;
			v = nv;
		}
		if (route_line(l.s, l.len, &v[n]) == 0)
			n++;
		else
			report_bad(bad, userdata, l.lineno, "経路の行を読み取れません",
				   "unreadable route line");
	}
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

const char *route4_iface_for(const struct route4 *routes, size_t n, const char *addr)
{
	struct in_addr in;
	if (inet_pton(AF_INET, addr, &in) != 1)
		return NULL;
	uint32_t a = ntohl(in.s_addr);
	const struct route4 *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct route4 *r = &routes[i];
		/* A default route without a gateway would claim everything. */
		if (!(r->flags & RTF_UP) || (r->flags & RTF_GATEWAY) || r->mask == 0)
			continue;
		if ((a & r->mask) != (r->dest & r->mask))
			continue;
		if (!best || __builtin_popcount(r->mask) > __builtin_popcount(best->mask))
			best = r;
	}
	return best ? best->iface : NULL;
}

/* ---- /proc/net/if_inet6 and /proc/net/dev ---- */

static bool ifname_valid(const char *s, size_t n)
{
	if (n == 0 || n >= IF_NAMESIZE)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

static int inet6_line(const char *s, size_t n, struct ip_list *out)
{
	const char *f[6];
	size_t fl[6];
	unsigned char addr[16];
	if (split_fields(s, n, f, fl, 6) < 6 || fl[0] != 32 || !ifname_valid(f[5], fl[5]))
		return -EINVAL;
	for (size_t i = 0; i < 16; i++) {
		uint32_t byte;
		if (parse_hex32(f[0] + 2 * i, 2, &byte) < 0)
			return -EINVAL;
		addr[i] = (unsigned char)byte;
	}
	char name[IF_NAMESIZE];
	memcpy(name, f[5], fl[5]);
	name[fl[5]] = '\0';
	return ip_list_add(out, name, addr, AF_INET6);
}

int if_inet6_parse(const char *buf, size_t len, parse_bad_fn bad, void *userdata, json_t **ret)
{
	_cleanup_(ip_list_free) struct ip_list list = {0};
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		if (l.len == 0)
			continue;
		int r = inet6_line(l.s, l.len, &list);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			report_bad(bad, userdata, l.lineno, "IPv6 アドレスの行を読み取れません",
				   "unreadable IPv6 address line");
	}
	return ip_list_to_object(&list, ret);
}

int ip_list_to_object(struct ip_list *l, json_t **ret)
{
	json_auto_t *obj = json_object();
	if (!obj)
		return -ENOMEM;
	int r = ip_list_emit(l, obj, NULL);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(obj);
	return 0;
}

int proc_net_dev_parse(const char *buf, size_t len, parse_bad_fn bad, void *userdata, json_t **ret)
{
	json_auto_t *arr = json_array();
	if (!arr)
		return -ENOMEM;
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		if (l.lineno <= 2 || l.len == 0)
			continue; /* two heading lines */
		const char *colon = memchr(l.s, ':', l.len);
		const char *s = l.s;
		size_t n = colon ? (size_t)(colon - l.s) : 0;
		str_trim(&s, &n);
		if (!ifname_valid(s, n)) {
			report_bad(bad, userdata, l.lineno, "インターフェース名を読み取れません",
				   "unreadable interface name");
			continue;
		}
		if (json_array_append_new(arr, json_stringn(s, n)) < 0)
			return -ENOMEM;
	}
	int r = json_str_array_sort(arr, false);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(arr);
	return 0;
}

int mac_parse(const char *s, size_t n, char **ret)
{
	str_trim(&s, &n);
	if (n == 0)
		return -ENODATA;
	if (n % 3 != 2 || n > 32 * 3 - 1)
		return -EINVAL;
	_cleanup_free_ char *out = malloc(n + 1);
	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		bool sep = i % 3 == 2;
		if (sep ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return -EINVAL;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[n] = '\0';
	*ret = TAKE_PTR(out);
	return 0;
}

/* ---- DMI, containers ---- */

const char *chassis_type_name(long type)
{
	/* SMBIOS 3.x, System Enclosure or Chassis Types (7.4.1). */
	static const char *const names[] = {
	    NULL,
	    "Other",
	    "Unknown",
	    "Desktop",
	    "Low Profile Desktop",
	    "Pizza Box",
	    "Mini Tower",
	    "Tower",
	    "Portable",
	    "Laptop",
	    "Notebook",
	    "Hand Held",
	    "Docking Station",
	    "All in One",
	    "Sub Notebook",
	    "Space-saving",
	    "Lunch Box",
	    "Main Server Chassis",
	    "Expansion Chassis",
	    "SubChassis",
	    "Bus Expansion Chassis",
	    "Peripheral Chassis",
	    "RAID Chassis",
	    "Rack Mount Chassis",
	    "Sealed-case PC",
	    "Multi-system chassis",
	    "Compact PCI",
	    "Advanced TCA",
	    "Blade",
	    "Blade Enclosure",
	    "Tablet",
	    "Convertible",
	    "Detachable",
	    "IoT Gateway",
	    "Embedded PC",
	    "Mini PC",
	    "Stick PC",
	};
	if (type < 0 || (unsigned long)type >= ARRAY_SIZE(names))
		return NULL;
	return names[type];
}

const char *dmi_virtualization(const char *sys_vendor, const char *product_name)
{
	static const struct {
		const char *prefix, *id;
	} table[] = {
	    {"KVM", "kvm"},
	    {"OpenStack", "kvm"},
	    {"KubeVirt", "kvm"},
	    {"Amazon EC2", "amazon"},
	    {"QEMU", "qemu"},
	    {"VMware", "vmware"},
	    {"VMW", "vmware"},
	    {"innotek GmbH", "oracle"},
	    {"VirtualBox", "oracle"},
	    {"Oracle Corporation", "oracle"},
	    {"Xen", "xen"},
	    {"Bochs", "bochs"},
	    {"Parallels", "parallels"},
	    {"BHYVE", "bhyve"},
	    {"Google Compute Engine", "google"},
	    {"Apple Virtualization", "apple"},
	};
	const char *fields[] = {product_name, sys_vendor};
	for (size_t f = 0; f < ARRAY_SIZE(fields); f++) {
		for (size_t i = 0; fields[f] && i < ARRAY_SIZE(table); i++)
			if (str_startswith(fields[f], table[i].prefix))
				return table[i].id;
	}
	/* Hyper-V: Microsoft's own laptops share the vendor string. */
	if (sys_vendor && product_name && strcmp(sys_vendor, "Microsoft Corporation") == 0 &&
	    strcmp(product_name, "Virtual Machine") == 0)
		return "microsoft";
	return NULL;
}

int environ_container(const char *buf, size_t len, const char **ret, size_t *ret_len)
{
	size_t i = 0;
	while (i < len) {
		const char *e = buf + i;
		const char *z = memchr(e, '\0', len - i);
		size_t n = z ? (size_t)(z - e) : len - i;
		if (n > 10 && memcmp(e, "container=", 10) == 0) {
			*ret = e + 10;
			*ret_len = n - 10;
			return 0;
		}
		i += n + 1;
	}
	return -ENODATA;
}

/* ---- architecture ---- */

const char *elf_arch(const unsigned char *b, size_t len)
{
	if (len < 20 || memcmp(b, "\177ELF", 4) != 0)
		return NULL;
	bool is64 = b[4] == 2, le = b[5] == 1;
	if ((b[4] != 1 && b[4] != 2) || (b[5] != 1 && b[5] != 2))
		return NULL;
	unsigned m = le ? (unsigned)b[18] | (unsigned)b[19] << 8 : (unsigned)b[18] << 8 | b[19];
	switch (m) {
	case 2:
		return "sparc";
	case 3:
		return "i686";
	case 4:
		return "m68k";
	case 8:
		return is64 ? "mips64" : "mips";
	case 15:
		return "parisc";
	case 20:
		return "ppc";
	case 21:
		return le ? "ppc64le" : "ppc64";
	case 22:
		return is64 ? "s390x" : "s390";
	case 40:
		return "arm";
	case 42:
		return "sh4";
	case 43:
		return "sparc64";
	case 50:
		return "ia64";
	case 62:
		return "x86_64";
	case 183:
		return le ? "aarch64" : "aarch64_be";
	case 243:
		return is64 ? "riscv64" : "riscv32";
	case 258:
		return "loongarch64";
	default:
		return NULL;
	}
}

const char *dpkg_arch_to_uname(const char *s, size_t n)
{
	static const struct {
		const char *dpkg, *uname;
	} table[] = {
	    {"amd64", "x86_64"},    {"x32", "x86_64"},
	    {"i386", "i686"},	    {"arm64", "aarch64"},
	    {"armhf", "arm"},	    {"armel", "arm"},
	    {"ppc64el", "ppc64le"}, {"ppc64", "ppc64"},
	    {"powerpc", "ppc"},	    {"s390x", "s390x"},
	    {"riscv64", "riscv64"}, {"mips64el", "mips64"},
	    {"mipsel", "mips"},	    {"loong64", "loongarch64"},
	    {"sparc64", "sparc64"}, {"ia64", "ia64"},
	    {"hppa", "parisc"},	    {"m68k", "m68k"},
	    {"alpha", "alpha"},	    {"sh4", "sh4"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (strlen(table[i].dpkg) == n && memcmp(table[i].dpkg, s, n) == 0)
			return table[i].uname;
	return NULL;
}
