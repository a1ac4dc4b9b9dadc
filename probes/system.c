/* system.c - the "system" probe: the 2(1) ledger row of this host.
 *
 * Fills the report's "host" object (hostname, machine id, os-release,
 * kernel, architecture, virtualisation, network interfaces with their MAC
 * and IP addresses, DMI hardware names) and one flat "system" collection
 * with the same facts for rules. Every file is read through ctx->root;
 * the running kernel is asked (uname, getifaddrs) only on the live host,
 * never under --root, where it would describe the scanning machine.
 * DMI serial numbers and UUIDs are never read.
 */
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include "lib/limits.h"
#include "probes/probe.h"
#include "probes/parse/system_parse.h"

static const struct column system_columns[] = {
    {"hostname", COL_STRING, "/etc/hostname, else the kernel's host name"},
    {"machine_id", COL_STRING, "/etc/machine-id (32 hex digits), null if missing or invalid"},
    {"os_id", COL_STRING, "os-release ID (\"linux\" if the file lacks it)"},
    {"os_id_like", COL_ARRAY, "os-release ID_LIKE words, [] if none"},
    {"os_name", COL_STRING, "os-release NAME"},
    {"os_version_id", COL_STRING, "os-release VERSION_ID, null if the file lacks it (rolling)"},
    {"os_version", COL_STRING, "os-release VERSION, null if the file lacks it"},
    {"os_pretty_name", COL_STRING, "os-release PRETTY_NAME"},
    {"os_codename", COL_STRING, "os-release VERSION_CODENAME, null if the file lacks it"},
    {"kernel", COL_STRING, "running kernel release (/proc/sys/kernel/osrelease)"},
    {"arch", COL_STRING, "machine architecture, uname -m style"},
    {"virtualization", COL_STRING,
     "container or hypervisor (systemd-detect-virt names), \"none\", null if unknown"},
    {"hw_vendor", COL_STRING, "DMI sys_vendor"},
    {"hw_product", COL_STRING, "DMI product_name"},
    {"chassis_type", COL_STRING, "DMI chassis type name (\"Desktop\", \"Rack Mount Chassis\")"},
    {"interfaces", COL_INT, "network interfaces besides loopback"},
    {"interface_names", COL_ARRAY, "their names, sorted"},
    {NULL, 0, NULL},
};

const struct collection system_collections[] = {
    {"system", true, system_columns},
    {NULL, false, NULL},
};

/* Where the facts go: the host object, and the flat collection. */
struct sys_out {
	struct probe_ctx *ctx;
	json_t *host; /* borrowed ctx->host */
	json_t *flat; /* the "system" object */
};

/* Store v (stolen; NULL means null) as host[hkey] and flat[fkey]. */
static int put(struct sys_out *o, const char *hkey, const char *fkey, json_t *v)
{
	if (!v)
		v = json_null();
	if (fkey && json_object_set(o->flat, fkey, v) < 0) {
		json_decref(v);
		return -ENOMEM;
	}
	if (!hkey) {
		json_decref(v);
		return 0;
	}
	return json_object_set_new(o->host, hkey, v) < 0 ? -ENOMEM : 0;
}

static int read_small(struct probe_ctx *ctx, const char *path, struct buf *ret)
{
	return fsroot_read(ctx->root, path, LIMIT_SMALL_FILE, ret);
}

/* The first value line of a small file as a new JSON string; NULL with
 * *err set when the file is unreadable (-errno) or empty (-ENODATA). */
static json_t *read_value(struct probe_ctx *ctx, const char *path, bool comments, int *err)
{
	_cleanup_buf_ struct buf b = {0};
	const char *s;
	size_t n;
	*err = read_small(ctx, path, &b);
	if (*err < 0)
		return NULL;
	*err = first_value_line(b.data, b.len, comments, &s, &n);
	if (*err < 0)
		return NULL;
	json_t *j = json_bytes(s, n);
	if (!j)
		*err = -ENOMEM;
	return j;
}

static void empty_msg(struct probe_ctx *ctx, const char *path)
{
	probe_msg(ctx, "%s: 値がありません", "%s: no value in the file", path);
}

/* ---- hostname ---- */

static json_t *read_hostname(struct probe_ctx *ctx)
{
	static const char *const paths[] = {"/etc/hostname", "/proc/sys/kernel/hostname"};
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		int err;
		json_t *j = read_value(ctx, paths[i], i == 0, &err);
		if (err == -ENODATA)
			empty_msg(ctx, paths[i]);
		else if (err < 0 && err != -ENOENT)
			probe_file_error(ctx, paths[i], err, true);
		if (!j)
			continue;
		const char *s = json_string_value(j);
		if (!hostname_is_valid(s, strlen(s)))
			probe_msg(
			    ctx,
			    "%s: ホスト名の規則 (hostname(7)) に合いません (読んだまま記録します)",
			    "%s: not a valid host name per hostname(7) (recorded as read)",
			    paths[i]);
		return j;
	}
	probe_msg(ctx, "ホスト名を読み取れませんでした", "the host name could not be read");
	probe_partial(ctx);
	return NULL;
}

/* ---- machine-id ---- */

/* 1 found, 0 not usable here (reported), <0 allocation failure. */
static int machine_id_from(struct probe_ctx *ctx, const char *path, json_t **ret)
{
	_cleanup_buf_ struct buf b = {0};
	char id[33];
	int r = read_small(ctx, path, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, true);
		return 0;
	}
	r = machine_id_parse(b.data, b.len, id);
	if (r == -ENODATA) {
		probe_msg(ctx, "%s: 空か uninitialized です (初回起動前のイメージ)",
			  "%s: empty or \"uninitialized\" (an image not booted yet)", path);
		return 0;
	}
	if (r < 0) {
		/* The content is not echoed: it is not a valid id, and could be
		 * anything planted there. */
		probe_msg(ctx, "%s: 32 桁の 16 進数ではありません", "%s: not 32 hexadecimal digits",
			  path);
		return 0;
	}
	*ret = json_string(id);
	return *ret ? 1 : -ENOMEM;
}

static json_t *read_machine_id(struct probe_ctx *ctx)
{
	static const char *const paths[] = {"/etc/machine-id", "/var/lib/dbus/machine-id"};
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		json_t *j = NULL;
		if (machine_id_from(ctx, paths[i], &j) > 0)
			return j;
	}
	/* Containers and some minimal images have none: not a failure. */
	probe_msg(ctx, "マシン ID がありません", "no machine id");
	return NULL;
}

/* ---- os-release ---- */

/* A parser's bad-line callback turned into a probe message. */
struct file_ref {
	struct probe_ctx *ctx;
	const char *path;
};

static void line_bad(void *userdata, unsigned line, const char *ja, const char *en)
{
	struct file_ref *ref = userdata;
	probe_line_error(ref->ctx, ref->path, line, ja, en);
}

/* An os-release value, or def (may be NULL) when the file lacks the key. */
static json_t *osr_get(json_t *kv, const char *key, const char *def)
{
	json_t *v = json_object_get(kv, key);
	if (v)
		return json_incref(v);
	return def ? json_string(def) : json_null();
}

static json_t *split_words(const char *s)
{
	json_t *arr = json_array();
	for (const char *p = s; arr && *p;) {
		size_t skip = strspn(p, " \t"), n = strcspn(p + skip, " \t");
		if (n > 0)
			json_array_append_new(arr, json_stringn(p + skip, n));
		p += skip + n;
	}
	return arr;
}

/* The host "os" object from a parsed os-release (NULL: unreadable, every
 * fact null), and the matching flat facts. */
static int put_os(struct sys_out *o, json_t *kv)
{
	static const struct {
		const char *key, *host, *flat, *def;
	} map[] = {
	    {"ID", "id", "os_id", "linux"},
	    {"VERSION_ID", "version_id", "os_version_id", NULL},
	    {"PRETTY_NAME", "pretty_name", "os_pretty_name", "Linux"},
	    {"VERSION_CODENAME", "version_codename", "os_codename", NULL},
	    {"NAME", "name", "os_name", "Linux"},
	    {"VERSION", "version", "os_version", NULL},
	};
	json_auto_t *os = json_object();
	if (!os)
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		json_t *v = kv ? osr_get(kv, map[i].key, map[i].def) : json_null();
		if (!v || json_object_set(o->flat, map[i].flat, v) < 0 ||
		    json_object_set_new(os, map[i].host, v) < 0)
			return -ENOMEM;
	}
	json_t *like = json_object_get(kv, "ID_LIKE");
	json_t *words = !kv    ? json_null()
			: like ? split_words(json_string_value(like))
			       : json_array();
	if (!words || json_object_set(o->flat, "os_id_like", words) < 0 ||
	    json_object_set_new(os, "id_like", words) < 0)
		return -ENOMEM;
	return json_object_set(o->host, "os", os) < 0 ? -ENOMEM : 0;
}

static int collect_os(struct sys_out *o)
{
	static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
	struct probe_ctx *ctx = o->ctx;
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		_cleanup_buf_ struct buf b = {0};
		int r = fsroot_read(ctx->root, paths[i], LIMIT_CONFIG_FILE, &b);
		if (r < 0) {
			probe_file_error(ctx, paths[i], r, true);
			continue;
		}
		struct file_ref ref = {ctx, paths[i]};
		json_auto_t *kv = NULL;
		r = os_release_parse(b.data, b.len, line_bad, &ref, &kv);
		if (r < 0)
			return r;
		return put_os(o, kv);
	}
	probe_msg(ctx, "OS の種類と版 (os-release) を読み取れませんでした",
		  "the OS name and version (os-release) could not be read");
	probe_partial(ctx);
	return put_os(o, NULL);
}

/* ---- kernel and architecture ---- */

static json_t *read_kernel(struct probe_ctx *ctx)
{
	static const char path[] = "/proc/sys/kernel/osrelease";
	int err;
	json_t *j = read_value(ctx, path, false, &err);
	if (j)
		return j;
	struct utsname u;
	if (!ctx->offline && uname(&u) == 0)
		return json_str(u.release);
	if (err == -ENODATA) {
		empty_msg(ctx, path);
		probe_partial(ctx);
	} else {
		probe_file_error(ctx, path, err, false);
	}
	return NULL;
}

/* The machine /bin/sh is built for, from its ELF header. */
static const char *arch_from_elf(struct probe_ctx *ctx, const char *path)
{
	_cleanup_close_ int fd = -1;
	unsigned char hdr[64];
	if (fsroot_open_file(ctx->root, path, &fd, NULL) < 0)
		return NULL;
	ssize_t n = pread(fd, hdr, sizeof(hdr), 0);
	return n > 0 ? elf_arch(hdr, (size_t)n) : NULL;
}

/* dpkg's native architecture: arch-native (dpkg >= 1.21), else the arch
 * list when it names only one (it lists foreign architectures too). */
static const char *arch_from_dpkg(struct probe_ctx *ctx)
{
	static const char *const paths[] = {"/var/lib/dpkg/arch-native", "/var/lib/dpkg/arch"};
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		_cleanup_buf_ struct buf b = {0};
		const char *s, *rest;
		size_t n, rn;
		if (read_small(ctx, paths[i], &b) < 0 ||
		    first_value_line(b.data, b.len, false, &s, &n) < 0)
			continue;
		const char *after = s + n;
		size_t left = b.len - (size_t)(after - b.data);
		if (i == 1 && first_value_line(after, left, false, &rest, &rn) == 0)
			continue; /* several: cannot tell the native one */
		return dpkg_arch_to_uname(s, n);
	}
	return NULL;
}

static json_t *read_arch(struct probe_ctx *ctx)
{
	int err;
	json_t *j = read_value(ctx, "/proc/sys/kernel/arch", false, &err);
	if (j)
		return j;
	struct utsname u;
	if (!ctx->offline && uname(&u) == 0)
		return json_str(u.machine);
	const char *a = arch_from_elf(ctx, "/bin/sh");
	if (!a)
		a = arch_from_elf(ctx, "/usr/bin/sh");
	if (!a)
		a = arch_from_dpkg(ctx);
	if (a)
		return json_string(a);
	probe_msg(ctx, "アーキテクチャを判別できませんでした",
		  "the machine architecture could not be determined");
	probe_partial(ctx);
	return NULL;
}

/* ---- hardware (DMI) and virtualisation ---- */

static const char dmi_dir[] = "/sys/class/dmi/id";

/* One DMI attribute as a new string, or NULL (missing: silently). */
static json_t *read_dmi(struct probe_ctx *ctx, const char *name)
{
	_cleanup_free_ char *path = path_join(dmi_dir, name);
	if (!path)
		return NULL;
	_cleanup_buf_ struct buf b = {0};
	int r = read_small(ctx, path, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, true);
		return NULL;
	}
	const char *s;
	size_t n;
	if (first_value_line(b.data, b.len, false, &s, &n) < 0)
		return json_string(""); /* firmware left the field empty */
	return json_bytes(s, n);
}

static json_t *chassis_name(json_t *raw)
{
	long t;
	const char *s = json_string_value(raw);
	if (!s || parse_long(s, &t) < 0)
		return json_incref(raw);
	const char *name = chassis_type_name(t);
	if (name)
		return json_string(name);
	char tmp[48];
	snprintf(tmp, sizeof(tmp), "type %ld", t);
	return json_string(tmp);
}

static int collect_hardware(struct sys_out *o, json_t **ret_hw)
{
	static const char *const attrs[] = {"sys_vendor",   "product_name", "product_version",
					    "board_vendor", "board_name",   "bios_vendor",
					    "bios_version", "bios_date",    "chassis_type"};
	struct stat st;
	bool have = fsroot_stat(o->ctx->root, dmi_dir, true, &st) == 0 && S_ISDIR(st.st_mode);
	json_auto_t *hw = json_object();
	if (!hw)
		return -ENOMEM;
	if (!have)
		probe_msg(o->ctx, "%s がありません (DMI の無いファームウェアか /sys が未マウント)",
			  "%s is missing (firmware without DMI, or /sys not mounted)", dmi_dir);
	for (size_t i = 0; i < ARRAY_SIZE(attrs); i++) {
		json_t *v = have ? read_dmi(o->ctx, attrs[i]) : NULL;
		if (v && strcmp(attrs[i], "chassis_type") == 0) {
			json_t *name = chassis_name(v);
			json_decref(v);
			v = name;
		}
		if (json_object_set_new(hw, attrs[i], v ? v : json_null()) < 0)
			return -ENOMEM;
	}
	if (put(o, NULL, "hw_vendor", json_incref(json_object_get(hw, "sys_vendor"))) < 0 ||
	    put(o, NULL, "hw_product", json_incref(json_object_get(hw, "product_name"))) < 0 ||
	    put(o, NULL, "chassis_type", json_incref(json_object_get(hw, "chassis_type"))) < 0)
		return -ENOMEM;
	*ret_hw = TAKE_PTR(hw);
	return 0;
}

/* A container manager's name: systemd's /run/systemd/container, the
 * container= variable of PID 1, or the marker files of docker/podman. */
static json_t *detect_container(struct probe_ctx *ctx)
{
	int err;
	json_t *j = read_value(ctx, "/run/systemd/container", false, &err);
	if (j)
		return j;
	_cleanup_buf_ struct buf b = {0};
	const char *s;
	size_t n;
	/* Readable by root only; without it the other signs still count. */
	if (fsroot_read(ctx->root, "/proc/1/environ", LIMIT_SMALL_FILE, &b) == 0 &&
	    environ_container(b.data, b.len, &s, &n) == 0 && n > 0)
		return json_bytes(s, n);
	struct stat st;
	if (fsroot_stat(ctx->root, "/.dockerenv", false, &st) == 0)
		return json_string("docker");
	if (fsroot_stat(ctx->root, "/run/.containerenv", false, &st) == 0)
		return json_string("podman");
	return NULL;
}

/* Container first (inside one, DMI describes the host's hardware), then
 * a hypervisor named by DMI, "none" when DMI names none, null when there
 * is no DMI to ask (ARM boards, some hypervisors without firmware). */
static json_t *detect_virt(struct probe_ctx *ctx, const json_t *hw)
{
	json_t *c = detect_container(ctx);
	if (c)
		return c;
	const char *vendor = json_string_value(json_object_get(hw, "sys_vendor"));
	const char *product = json_string_value(json_object_get(hw, "product_name"));
	const char *v = dmi_virtualization(vendor, product);
	if (v)
		return json_string(v);
	return vendor ? json_string("none") : json_null();
}

/* ---- network interfaces ---- */

static const char net_dir[] = "/sys/class/net";

/* Interface names from sysfs, else /proc/net/dev; NULL if neither. */
static json_t *interface_names(struct probe_ctx *ctx)
{
	static const char dev[] = "/proc/net/dev";
	_cleanup_strv_ char **names = NULL;
	size_t n;
	int r = fsroot_list(ctx->root, net_dir, &names, &n);
	if (r == 0) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < n; i++)
			json_array_append_new(arr, json_str(names[i]));
		return arr;
	}
	probe_file_error(ctx, net_dir, r, true);
	_cleanup_buf_ struct buf b = {0};
	r = fsroot_read(ctx->root, dev, LIMIT_PROC_NET, &b);
	if (r < 0) {
		probe_file_error(ctx, dev, r, false);
		return NULL;
	}
	struct file_ref ref = {ctx, dev};
	json_t *arr = NULL;
	return proc_net_dev_parse(b.data, b.len, line_bad, &ref, &arr) < 0 ? NULL : arr;
}

static json_t *read_mac(struct probe_ctx *ctx, const char *name)
{
	_cleanup_free_ char *dir = path_join(net_dir, name);
	_cleanup_free_ char *path = dir ? path_join(dir, "address") : NULL;
	_cleanup_buf_ struct buf b = {0};
	_cleanup_free_ char *mac = NULL;
	if (!path)
		return NULL;
	int r = read_small(ctx, path, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, true);
		return NULL;
	}
	r = mac_parse(b.data, b.len, &mac);
	if (r == -EINVAL)
		probe_msg(ctx, "%s: MAC アドレスの形式ではありません", "%s: not a MAC address",
			  path);
	/* -ENODATA: the interface has no hardware address (tun, wireguard). */
	return r == 0 ? json_string(mac) : NULL;
}

/* Live host: the kernel's own list (not a file, not NSS). */
static int live_addrs(struct probe_ctx *ctx, json_t **v4, json_t **v6)
{
	struct ifaddrs *ifa = NULL;
	if (getifaddrs(&ifa) < 0) {
		int e = -errno;
		probe_msg(ctx, "getifaddrs が失敗しました: %s", "getifaddrs failed: %s",
			  strerror(-e));
		return e;
	}
	_cleanup_(ip_list_free) struct ip_list l4 = {0};
	_cleanup_(ip_list_free) struct ip_list l6 = {0};
	int r = 0;
	for (struct ifaddrs *p = ifa; p && r == 0; p = p->ifa_next) {
		if (!p->ifa_addr || !p->ifa_name)
			continue;
		/* An IPv4 label "eth0:1" names an address of eth0 (kernel
		 * interface names cannot hold ':'). */
		char name[IF_NAMESIZE];
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(p->ifa_name, ":"), p->ifa_name);
		if (p->ifa_addr->sa_family == AF_INET)
			r = ip_list_add(&l4, name,
					&((struct sockaddr_in *)(void *)p->ifa_addr)->sin_addr,
					AF_INET);
		else if (p->ifa_addr->sa_family == AF_INET6)
			r = ip_list_add(&l6, name,
					&((struct sockaddr_in6 *)(void *)p->ifa_addr)->sin6_addr,
					AF_INET6);
	}
	freeifaddrs(ifa);
	if (r < 0 || ip_list_to_object(&l4, v4) < 0 || ip_list_to_object(&l6, v6) < 0)
		return -ENOMEM;
	return 0;
}

/* Under --root: IPv4 from fib_trie's local leaves, placed on the
 * interface of the connected route that contains them. *ret stays NULL
 * (unknown) if fib_trie is unreadable. */
static int offline_v4(struct probe_ctx *ctx, json_t **ret)
{
	static const char fib[] = "/proc/net/fib_trie", rt[] = "/proc/net/route";
	_cleanup_buf_ struct buf fb = {0}, rb = {0};
	_cleanup_free_ struct route4 *routes = NULL;
	size_t nroutes = 0;
	json_auto_t *addrs = NULL;
	int r = fsroot_read(ctx->root, fib, LIMIT_PROC_NET, &fb);
	if (r < 0) {
		probe_file_error(ctx, fib, r, false);
		return 0;
	}
	struct file_ref fref = {ctx, fib}, rref = {ctx, rt};
	if (fib_trie_local_addrs(fb.data, fb.len, line_bad, &fref, &addrs) < 0)
		return -ENOMEM;
	r = fsroot_read(ctx->root, rt, LIMIT_PROC_NET, &rb);
	if (r < 0)
		probe_file_error(ctx, rt, r, false);
	else if (proc_route_parse(rb.data, rb.len, line_bad, &rref, &routes, &nroutes) < 0)
		return -ENOMEM;
	json_auto_t *obj = json_object();
	size_t i;
	json_t *a;
	json_array_foreach(addrs, i, a) {
		const char *ifn = route4_iface_for(routes, nroutes, json_string_value(a));
		json_t *dst = json_object_get(obj, ifn ? ifn : "");
		if (!dst && json_object_set_new(obj, ifn ? ifn : "", dst = json_array()) < 0)
			return -ENOMEM;
		if (json_array_append(dst, a) < 0)
			return -ENOMEM;
	}
	*ret = TAKE_PTR(obj);
	return 0;
}

/* Under --root: IPv6 from if_inet6. A kernel without IPv6 has no such
 * file; when fib_trie was readable that means "none", not "unknown". */
static int offline_v6(struct probe_ctx *ctx, bool have_v4, json_t **ret)
{
	static const char path[] = "/proc/net/if_inet6";
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_PROC_NET, &b);
	if (r == -ENOENT && have_v4) {
		*ret = json_object();
		return *ret ? 0 : -ENOMEM;
	}
	if (r < 0) {
		probe_file_error(ctx, path, r, false);
		return 0;
	}
	struct file_ref ref = {ctx, path};
	return if_inet6_parse(b.data, b.len, line_bad, &ref, ret);
}

/* The addresses of name taken out of by_if (NULL: unknown -> null). */
static json_t *take_addrs(json_t *by_if, const char *name)
{
	if (!by_if)
		return json_null();
	json_t *a = json_object_get(by_if, name);
	if (!a)
		return json_array();
	json_incref(a);
	json_object_del(by_if, name);
	return a;
}

/* One element of host.addresses; name "" is "interface not known". */
static int add_entry(struct probe_ctx *ctx, json_t *list, const char *name, bool listed, json_t *v4,
		     json_t *v6)
{
	json_auto_t *e = json_object();
	if (!e)
		return -ENOMEM;
	json_t *mac = listed ? read_mac(ctx, name) : NULL;
	if (json_set(e, "interface", *name ? json_string(name) : json_null()) < 0 ||
	    json_set(e, "mac", mac ? mac : json_null()) < 0 ||
	    json_set(e, "ipv4", take_addrs(v4, name)) < 0 ||
	    json_set(e, "ipv6", take_addrs(v6, name)) < 0)
		return -ENOMEM;
	return json_array_append(list, e) < 0 ? -ENOMEM : 0;
}

/* Addresses on interfaces the name list did not have (or all of them
 * when there is no list). Loopback stays out of the ledger. */
static int add_unlisted(struct probe_ctx *ctx, json_t *list, json_t *v4, json_t *v6)
{
	json_t *objs[] = {v4, v6};
	for (size_t k = 0; k < ARRAY_SIZE(objs); k++) {
		while (objs[k] && json_object_size(objs[k]) > 0) {
			_cleanup_free_ char *name =
			    strdup(json_object_iter_key(json_object_iter(objs[k])));
			if (!name)
				return -ENOMEM;
			if (strcmp(name, "lo") == 0) {
				json_object_del(v4, name);
				json_object_del(v6, name);
				continue;
			}
			int r = add_entry(ctx, list, name, false, v4, v6);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int collect_ip(struct probe_ctx *ctx, json_t **v4, json_t **v6)
{
	if (!ctx->offline && live_addrs(ctx, v4, v6) == 0)
		return 0;
	json_decref(*v4);
	json_decref(*v6);
	*v4 = *v6 = NULL;
	int r = offline_v4(ctx, v4);
	return r < 0 ? r : offline_v6(ctx, *v4 != NULL, v6);
}

static int collect_addresses(struct sys_out *o)
{
	struct probe_ctx *ctx = o->ctx;
	json_auto_t *names = interface_names(ctx);
	json_auto_t *v4 = NULL, *v6 = NULL;
	json_auto_t *list = json_array(), *flat = names ? json_array() : json_null();
	if (!list || !flat || collect_ip(ctx, &v4, &v6) < 0)
		return -ENOMEM;
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n) {
		const char *name = json_string_value(n);
		if (strcmp(name, "lo") == 0)
			continue;
		if (add_entry(ctx, list, name, true, v4, v6) < 0 || json_array_append(flat, n) < 0)
			return -ENOMEM;
	}
	if (add_unlisted(ctx, list, v4, v6) < 0)
		return -ENOMEM;
	json_array_sort_by(list, "interface");
	json_t *count = names ? json_integer((json_int_t)json_array_size(flat)) : json_null();
	if (put(o, NULL, "interfaces", count) < 0 ||
	    put(o, NULL, "interface_names", json_incref(flat)) < 0)
		return -ENOMEM;
	return put(o, "addresses", NULL, json_incref(list));
}

/* ---- the probe ---- */

int probe_system_run(struct probe_ctx *ctx)
{
	json_auto_t *flat = json_object();
	json_auto_t *hw = NULL;
	if (!ctx->host || !ctx->inventory)
		return -EINVAL;
	if (!flat)
		return -ENOMEM;
	struct sys_out o = {ctx, ctx->host, flat};
	if (put(&o, "hostname", "hostname", read_hostname(ctx)) < 0 ||
	    put(&o, "machine_id", "machine_id", read_machine_id(ctx)) < 0 || collect_os(&o) < 0 ||
	    put(&o, "kernel", "kernel", read_kernel(ctx)) < 0 ||
	    put(&o, "arch", "arch", read_arch(ctx)) < 0 || collect_hardware(&o, &hw) < 0 ||
	    put(&o, "virtualization", "virtualization", detect_virt(ctx, hw)) < 0 ||
	    put(&o, "hardware", NULL, json_incref(hw)) < 0 || collect_addresses(&o) < 0)
		return -ENOMEM;
	return json_object_set(ctx->inventory, "system", flat) < 0 ? -ENOMEM : 0;
}
