/* usb.c - the "usb" probe: USB devices present, and whether USB storage
 * can work on this host (2(8), R7 2-⑨).
 *
 * usb_devices comes from usbdev.c: libudev on the live host when the
 * binary has it (hwdb names), else the sysfs reader through fsroot (the
 * static binary, and every --root scan). usb_storage gathers what decides
 * whether a USB stick can be used: the modprobe.d configuration in kmod's
 * order (blacklist vs. a no-op install command), whether usb-storage/uas
 * is loaded or built in, USBGuard's daemon configuration and rules, and
 * the desktop's automount policy (udisks2 polkit rules, GNOME's dconf).
 */
#include <stdio.h>
#include <string.h>
#include "probes/parse/dconf_parse.h"
#include "lib/limits.h"
#include "probes/parse/modprobe_parse.h"
#include "probes/probe.h"
#include "probes/read/usbdev.h"
#include "probes/parse/usbguard_parse.h"

static const struct column usb_device_columns[] = {
    {"bus_path", COL_STRING, "sysfs device name (\"1-1.2\"; \"usb1\" is a root hub)"},
    {"vendor_id", COL_STRING, "idVendor, 4 hex digits"},
    {"product_id", COL_STRING, "idProduct, 4 hex digits"},
    {"id", COL_STRING, "VVVV:PPPP"},
    {"manufacturer", COL_STRING, "manufacturer string, null if the device has none"},
    {"product", COL_STRING, "product string, null if the device has none"},
    {"serial", COL_STRING, "serial number string, null if the device has none"},
    {"device_class", COL_STRING, "bDeviceClass name (per_interface, hub, ...)"},
    {"interface_classes", COL_ARRAY, "bInterfaceClass names (mass_storage, hid, wireless, ...)"},
    {"interfaces", COL_INT, "number of interfaces of the active configuration"},
    {"authorized", COL_BOOL, "sysfs authorized (false: the kernel refuses its drivers)"},
    {"is_mass_storage", COL_BOOL, "the device or one of its interfaces is class 08"},
    {"is_hub", COL_BOOL, "the device or one of its interfaces is class 09"},
    {"controller_authorized_default", COL_INT,
     "authorized_default of the bus's root hub (0 none, 1 all, 2 internal only)"},
    {"key", COL_STRING,
     "VVVV:PPPP/SERIAL/CLASSES (serial \"-\" if none, interface classes joined by \"+\"): "
     "what allowlists match, never the port"},
    {"usbguard_hash", COL_STRING,
     "USBGuard's device hash (what `usbguard generate-policy` writes as hash); null if the "
     "descriptors are unreadable"},
    {"usbguard_parent_hash", COL_STRING, "USBGuard's parent-hash of the device; null if unknown"},
    {"usbguard_interfaces", COL_ARRAY,
     "cc:ss:pp of every interface descriptor, as USBGuard's with-interface sees them; null if "
     "the descriptors are unreadable"},
    {"connect_type", COL_STRING, "port/connect_type (hotplug, hardwired, ...), \"\" if none"},
    {"usbguard_target", COL_STRING,
     "what USBGuard's configuration does to this device present at its start: allow, block "
     "or reject (PresentDevicePolicy / PresentControllerPolicy, else the first rule that "
     "applies, hash and parent-hash included, else ImplicitPolicyTarget); null if USBGuard is "
     "not enabled or the decision cannot be known (a condition, an unreadable attribute)"},
    {"usbguard_rule", COL_STRING,
     "FILE:LINE of the deciding rule, or the daemon setting that decided; null if none"},
    {"vendor_name", COL_STRING, "vendor from udev's hwdb (libudev only; null from sysfs)"},
    {"model_name", COL_STRING, "model from udev's hwdb (libudev only; null from sysfs)"},
    {NULL, 0, NULL},
};

static const struct column usb_storage_columns[] = {
    {"module_blacklisted", COL_BOOL, "modprobe.d blacklists usb_storage (alias loading only)"},
    {"module_install_disabled", COL_BOOL,
     "modprobe.d: install usb_storage /bin/true|/bin/false (loading refused)"},
    {"install_command", COL_STRING, "the first install command for usb_storage, null if none"},
    {"install_file", COL_STRING, "the file holding it"},
    {"uas_blacklisted", COL_BOOL, "modprobe.d blacklists uas"},
    {"uas_install_disabled", COL_BOOL, "modprobe.d: uas installs as a no-op"},
    {"modprobe_files", COL_ARRAY, "modprobe.d files in the order kmod reads them"},
    {"loaded", COL_BOOL, "usb_storage or uas is in /proc/modules"},
    {"builtin", COL_BOOL, "usb-storage is in modules.builtin of the running kernel"},
    {"mass_storage_devices", COL_ARRAY,
     "mass-storage devices present: \"VVVV:PPPP product (bus path)\"; null if unknown"},
    {"storage_possible", COL_BOOL,
     "a new USB mass-storage device can be used: the driver is loaded, built in or not "
     "install-disabled, and USBGuard does not block it (usbguard_blocks_storage)"},
    {"usbguard_installed", COL_BOOL, "usbguard-daemon is installed"},
    {"usbguard_enabled", COL_BOOL, "usbguard.service is enabled (multi-user.target.wants)"},
    {"implicit_policy_target", COL_STRING, "usbguard-daemon.conf ImplicitPolicyTarget"},
    {"present_device_policy", COL_STRING, "usbguard-daemon.conf PresentDevicePolicy"},
    {"usbguard_running", COL_BOOL, "a usbguard-daemon process runs (null under --root)"},
    {"inserted_device_policy", COL_STRING, "usbguard-daemon.conf InsertedDevicePolicy"},
    {"usbguard_rules", COL_INT,
     "rules in RuleFile and RuleFolder; null if one is unreadable or usbguard would refuse it"},
    {"usbguard_allow_all_rule", COL_BOOL, "a bare \"allow\" rule (matches every device)"},
    {"usbguard_storage_rule", COL_STRING,
     "FILE:LINE: RULE of the first allow rule that can match a device with a class 08 "
     "interface, before any rule that blocks them all"},
    {"usbguard_blocks_storage", COL_BOOL,
     "USBGuard enabled and its configuration blocks every new mass-storage device "
     "(InsertedDevicePolicy, the rules in order, then ImplicitPolicyTarget; "
     "PresentDevicePolicy allow or keep lets a device plugged in at boot through)"},
    {"basis", COL_STRING, "live, or configuration under --root (nothing runs there)"},
    {"automount", COL_OBJECT,
     "udisks2_installed, polkit_mount_denied (a substring test of polkit rules: they are "
     "JavaScript), gnome_installed, gnome_automount (effective dconf value), "
     "gnome_automount_locked, gnome_automount_source"},
    {NULL, 0, NULL},
};

const struct collection usb_collections[] = {
    {"usb_devices", false, usb_device_columns},
    {"usb_storage", true, usb_storage_columns},
    {NULL, false, NULL},
};

/* ---- usb_devices ---------------------------------------------------- */

/* No device list. A sysfs tree without a usb bus has no USB: []. An
 * offline root with no sysfs tree at all (a disk image, a chroot) has no
 * devices attached to it either: [] with a message saying so, so that
 * `baseline init` of an image captures an empty device list. Anything
 * else (a live host without /sys/bus, an unlistable directory) is
 * unknown: null. */
static int no_devices(struct probe_ctx *ctx, int err)
{
	struct stat st;
	bool sysfs = fsroot_stat(ctx->root, "/sys/bus", true, &st) == 0;
	if (err == 0 && (sysfs || ctx->offline)) {
		if (!sysfs)
			probe_msg_text(
			    ctx,
			    "ルートに sysfs（/sys/bus）がありません。オフラインのルートに接続中の "
			    "USB デバイスはありません",
			    "the root holds no sysfs tree (/sys/bus): no USB device is attached "
			    "to an offline root");
		return json_object_set_new(ctx->inventory, "usb_devices", json_array());
	}
	if (err < 0)
		probe_file_error(ctx, "/sys/bus/usb/devices", err, false);
	else
		probe_msg_text(ctx, "/sys/bus がありません（USB デバイスは不明）",
			       "/sys/bus is missing (USB devices unknown)");
	probe_partial(ctx);
	return json_object_set_new(ctx->inventory, "usb_devices", json_null());
}

static int collect_devices(struct probe_ctx *ctx)
{
	struct usbdev_list l = {0};
	bool present = false;
	int r;
#ifdef HAVE_LIBUDEV
	if (!ctx->offline)
		r = usbdev_enumerate_udev(&l, &present);
	else
#endif
		r = usbdev_enumerate_sysfs(ctx->root, &l, &present);
	if (r < 0 || !present) {
		usbdev_list_free(&l);
		return no_devices(ctx, r);
	}
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < l.n; i++)
		json_array_append_new(arr, usbdev_to_json(&l.v[i]));
	for (size_t i = 0; i < l.n_issues; i++)
		probe_msg_text(ctx, l.issues_ja[i], l.issues_en[i]);
	if (l.partial)
		probe_partial(ctx);
	usbdev_list_free(&l);
	if (!arr)
		return -ENOMEM;
	json_array_sort_by(arr, "bus_path");
	return json_object_set_new(ctx->inventory, "usb_devices", arr);
}

/* ---- modprobe.d ------------------------------------------------------ */

static const char *const modprobe_dirs[] = {
    "/etc/modprobe.d", "/run/modprobe.d",     "/usr/local/lib/modprobe.d",
    "/lib/modprobe.d", "/usr/lib/modprobe.d",
};

static void free_names(char ***names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strv_free(names[i]);
}

/* Read every modprobe.d file in kmod's order into c; files into arr. */
static int read_modprobe(struct probe_ctx *ctx, struct modprobe_conf *c, json_t *files)
{
	char **names[ARRAY_SIZE(modprobe_dirs)] = {0};
	_cleanup_strv_ char **order = NULL;
	size_t n = 0;
	for (size_t d = 0; d < ARRAY_SIZE(modprobe_dirs); d++) {
		size_t k;
		int r = fsroot_list(ctx->root, modprobe_dirs[d], &names[d], &k);
		if (r < 0 && r != -ENOENT)
			probe_file_error(ctx, modprobe_dirs[d], r, true);
	}
	int r = modprobe_order(modprobe_dirs, names, ARRAY_SIZE(modprobe_dirs), &order, &n);
	free_names(names, ARRAY_SIZE(modprobe_dirs));
	for (size_t i = 0; r >= 0 && i < n; i++) {
		_cleanup_buf_ struct buf b = {0};
		int e = fsroot_read(ctx->root, order[i], LIMIT_CONFIG_FILE, &b);
		if (e < 0) {
			probe_file_error(ctx, order[i], e, false);
			continue;
		}
		json_array_append_new(files, json_str(order[i]));
		r = modprobe_parse(c, order[i], b.data, b.len);
	}
	for (size_t i = 0; i < c->n_issues; i++)
		probe_line_error(ctx, c->issues[i].file, c->issues[i].line, c->issues[i].ja,
				 c->issues[i].en);
	return r;
}

/* 1/0 whether module is listed in path, -1 if unreadable. */
static int list_has(struct probe_ctx *ctx, const char *path, const char *const *mods, bool quiet)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		if (!quiet)
			probe_file_error(ctx, path, r, false);
		return -1;
	}
	for (; *mods; mods++)
		if (modprobe_list_has(b.data, b.len, *mods))
			return 1;
	return 0;
}

static int builtin_state(struct probe_ctx *ctx)
{
	_cleanup_buf_ struct buf rel = {0};
	static const char *const mods[] = {"usb_storage", NULL};
	if (fsroot_read(ctx->root, "/proc/sys/kernel/osrelease", LIMIT_SMALL_FILE, &rel) < 0)
		return -1;
	const char *s = rel.data;
	size_t n = rel.len;
	str_trim(&s, &n);
	if (n == 0 || memchr(s, '/', n))
		return -1;
	char path[LIMIT_PATH];
	snprintf(path, sizeof(path), "/lib/modules/%.*s/modules.builtin", (int)n, s);
	return list_has(ctx, path, mods, false);
}

static json_t *tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

/* storage_possible: a loaded or built-in driver works whatever the
 * configuration says; otherwise only a no-op install line stops it
 * (uas needs usb_storage's symbols, so usb_storage's line covers both). */
static int storage_possible(int loaded, int builtin, bool disabled)
{
	if (loaded == 1 || builtin == 1)
		return 1;
	if (!disabled)
		return 1;
	return loaded < 0 || builtin < 0 ? -1 : 0;
}

static int collect_modules(struct probe_ctx *ctx, json_t *o)
{
	struct modprobe_conf c = {0};
	json_t *files = json_array();
	int r = files ? read_modprobe(ctx, &c, files) : -ENOMEM;
	json_object_set_new(o, "modprobe_files", files);
	if (r < 0) {
		modprobe_conf_free(&c);
		return r;
	}
	struct modprobe_policy p, u;
	modprobe_policy_of(&c, "usb_storage", &p);
	modprobe_policy_of(&c, "uas", &u);
	static const char *const mods[] = {"usb_storage", "uas", NULL};
	int loaded = list_has(ctx, "/proc/modules", mods, ctx->offline);
	int builtin = builtin_state(ctx);
	json_object_set_new(o, "module_blacklisted", json_boolean(p.blacklisted));
	json_object_set_new(o, "module_install_disabled", json_boolean(p.install_disables));
	json_object_set_new(o, "install_command", json_str(p.install_cmd));
	json_object_set_new(o, "install_file", json_str(p.install_file));
	json_object_set_new(o, "uas_blacklisted", json_boolean(u.blacklisted));
	json_object_set_new(o, "uas_install_disabled", json_boolean(u.install_disables));
	json_object_set_new(o, "loaded", tri(loaded));
	json_object_set_new(o, "builtin", tri(builtin));
	json_object_set_new(o, "storage_possible",
			    tri(storage_possible(loaded, builtin, p.install_disables)));
	modprobe_conf_free(&c);
	return 0;
}

/* ---- USBGuard -------------------------------------------------------- */

static bool exists(struct probe_ctx *ctx, const char *path, bool follow)
{
	struct stat st;
	return fsroot_stat(ctx->root, path, follow, &st) == 0;
}

/* KEY=VALUE of usbguard-daemon.conf (new string or NULL). */
static char *conf_value(const struct buf *b, const char *key)
{
	struct line_iter it;
	struct line ln;
	char *v = NULL;
	size_t kl = strlen(key);
	line_iter_init(&it, b->data, b->len);
	while (line_iter_next(&it, &ln)) {
		const char *s = ln.s;
		size_t n = strnlen(ln.s, ln.len);
		str_trim(&s, &n);
		if (n <= kl || strncmp(s, key, kl) != 0 || s[kl] != '=')
			continue;
		const char *val = s + kl + 1;
		size_t vn = n - kl - 1;
		str_trim(&val, &vn);
		free(v);
		v = xstrndup(val, vn); /* the last assignment wins */
	}
	return v;
}

/* Rules kept for the per-device decisions: far above any real policy
 * (generate-policy writes one per device), bounding a hostile file. */
#define UG_MAX_RULES 100000u

/* What the rule set does to USB mass storage, read rule by rule in
 * USBGuard's order: the first rule that matches a device decides, so an
 * allow rule that can match a device with a class 08 interface admits
 * storage, unless a block or reject rule above it catches every such
 * device. */
struct ug_state {
	struct ug_rule *kept; /* every rule in order, for the devices present */
	char **where;	      /* "FILE:LINE" of each */
	size_t n_kept;
	long rules;
	bool allow_all;
	bool decided;	    /* a rule above settled the storage question */
	bool admits;	    /* ... and storage is admitted */
	bool parse_error;   /* usbguard would refuse the rule set */
	char *storage_rule; /* "FILE:LINE: RULE" that admits storage */
	bool lost;	    /* a rule could not be kept: per-device decisions unknown */
};

/* Keep rule (stolen on success) for the per-device decisions. */
static bool ug_keep(struct ug_state *st, struct ug_rule *rule, const char *path, unsigned line)
{
	char *w = NULL;
	if (st->n_kept >= UG_MAX_RULES || asprintf(&w, "%s:%u", path, line) < 0)
		return false;
	struct ug_rule *v = realloc(st->kept, (st->n_kept + 1) * sizeof(*v));
	char **wv = v ? realloc(st->where, (st->n_kept + 1) * sizeof(*wv)) : NULL;
	if (v)
		st->kept = v;
	if (!wv) {
		free(w);
		return false;
	}
	st->where = wv;
	st->kept[st->n_kept] = *rule;
	st->where[st->n_kept++] = w;
	return true;
}

static void ug_state_free(struct ug_state *st)
{
	for (size_t i = 0; i < st->n_kept; i++) {
		ug_rule_free(&st->kept[i]);
		free(st->where[i]);
	}
	free(st->kept);
	free(st->where);
	free(st->storage_rule);
}

static void ug_rule_seen(struct ug_state *st, const struct ug_rule *rule, const char *path,
			 unsigned line)
{
	st->rules++;
	bool bare = rule->target == UG_ALLOW;
	for (size_t k = 0; k < UG_NATTR; k++)
		bare &= !rule->a[k].n || k == UG_LABEL;
	st->allow_all |= bare;
	if (st->decided)
		return;
	if (rule->target == UG_ALLOW && ug_rule_may_match_storage(rule)) {
		_cleanup_free_ char *text = ug_rule_format(rule);
		st->decided = st->admits = true;
		if (text && asprintf(&st->storage_rule, "%s:%u: %s", path, line, text) < 0)
			st->storage_rule = NULL;
	} else if ((rule->target == UG_BLOCK || rule->target == UG_REJECT) &&
		   ug_rule_matches_all_storage(rule)) {
		st->decided = true;
	}
}

/* One rule file; false if it could not be read (a missing RuleFile is an
 * empty rule set, as usbguard creates it on first write). */
static bool ug_read_rules(struct probe_ctx *ctx, const char *path, struct ug_state *st)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, true);
		return r == -ENOENT;
	}
	struct line_iter it;
	struct line ln;
	unsigned no = 0;
	line_iter_init(&it, b.data, b.len);
	while (line_iter_next(&it, &ln)) {
		struct ug_rule rule;
		const char *why = NULL;
		no++;
		r = ug_rule_parse(ln.s, ln.len, &rule, &why);
		if (r == 1)
			continue;
		if (r == -E2BIG) { /* what usbguard makes of it is not known */
			st->parse_error = true;
			probe_partial(ctx);
			probe_line_error(
			    ctx, path, no,
			    "行が上限（65536 バイト、LIMIT_LINE）より長いため、この規則を"
			    "読んでいません。USBGuard の規則による判定は不明です",
			    "line longer than 65536 bytes (LIMIT_LINE): this rule was not "
			    "read; what USBGuard's rules decide is unknown");
			continue;
		}
		if (r < 0) {
			st->parse_error = true;
			probe_partial(ctx);
			char en[256], ja[256];
			snprintf(en, sizeof(en), "usbguard would refuse this rule: %s",
				 why ? why : "?");
			snprintf(ja, sizeof(ja), "usbguard が受け付けない規則です: %s",
				 why ? why : "?");
			probe_line_error(ctx, path, no, ja, en);
			continue;
		}
		ug_rule_seen(st, &rule, path, no);
		if (!ug_keep(st, &rule, path, no)) {
			st->lost = true;
			ug_rule_free(&rule);
		}
	}
	return true;
}

/* RuleFile, then RuleFolder's files in alphanumeric order. false if a
 * file could not be read. */
static bool usbguard_rules(struct probe_ctx *ctx, const struct buf *conf, struct ug_state *st)
{
	_cleanup_free_ char *file = conf_value(conf, "RuleFile");
	_cleanup_free_ char *folder = conf_value(conf, "RuleFolder");
	bool ok = !file || ug_read_rules(ctx, file, st);
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	if (folder && *folder) {
		int r = fsroot_list(ctx->root, folder, &names, &n);
		if (r < 0 && r != -ENOENT) {
			probe_file_error(ctx, folder, r, false);
			ok = false;
		}
	}
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *p = path_join(folder, names[i]);
		ok &= p && ug_read_rules(ctx, p, st);
	}
	return ok;
}

/* Whether a usbguard-daemon process runs (live only: under --root
 * nothing runs and the answer is null). */
static json_t *usbguard_running(struct probe_ctx *ctx)
{
	_cleanup_strv_ char **pids = NULL;
	size_t n = 0;
	if (ctx->offline || fsroot_list(ctx->root, "/proc", &pids, &n) < 0)
		return json_null();
	for (size_t i = 0; i < n; i++) {
		_cleanup_buf_ struct buf b = {0};
		char path[64];
		if (pids[i][strspn(pids[i], "0123456789")] || strlen(pids[i]) > 20)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", pids[i]);
		if (fsroot_read(ctx->root, path, LIMIT_SMALL_FILE, &b) == 0 && b.len >= 14 &&
		    !memcmp(b.data, "usbguard-daemo", 14))
			return json_true();
	}
	return json_false();
}

/* usbguard_blocks_storage: a new mass-storage device would be blocked by
 * the configuration (daemon enabled, new devices blocked by policy or by
 * the rules, devices present at start not simply allowed). */
static json_t *usbguard_blocks(bool enabled, const char *inserted, const char *present,
			       const char *implicit, const struct ug_state *st, bool rules_ok)
{
	if (!enabled)
		return json_false();
	if (strcmp(present, "apply-policy") && strcmp(present, "block") &&
	    strcmp(present, "reject"))
		return json_false(); /* allow/keep: a stick in at boot stays usable */
	if (!strcmp(inserted, "block") || !strcmp(inserted, "reject"))
		return json_true();
	if (st->parse_error || !rules_ok)
		return json_null();
	if (st->decided)
		return json_boolean(!st->admits);
	return json_boolean(strcmp(implicit, "allow") != 0);
}

/* ---- per device: what USBGuard decides for the devices present ------ */

struct ug_policy {
	const struct ug_state *st;
	const char *present, *controller, *implicit;
	bool usable; /* enabled, configuration read, every rule kept */
};

static const char *jstr(const json_t *o, const char *k, const char *none)
{
	const json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : none;
}

/* A controller (root hub) as USBGuard tells it: port usbN, one 09:00:*. */
static bool is_controller(const json_t *dev)
{
	const json_t *ifs = json_object_get(dev, "usbguard_interfaces");
	return str_startswith(jstr(dev, "bus_path", ""), "usb") && json_array_size(ifs) == 1 &&
	       str_startswith(json_string_value(json_array_get(ifs, 0)), "09:00:");
}

/* The rules in order: the first that applies decides. 1 (*target,
 * *where set), 0 none, -1 one that cannot be decided comes first. */
static int first_rule(const struct ug_state *st, const struct ug_device *d, const char **target,
		      const char **where)
{
	static const char *const names[] = {"allow", "block", "reject"};
	for (size_t i = 0; i < st->n_kept; i++) {
		const struct ug_rule *r = &st->kept[i];
		if (r->target != UG_ALLOW && r->target != UG_BLOCK && r->target != UG_REJECT)
			continue;
		int a = ug_rule_applies(r, d);
		*where = st->where[i];
		if (a != 0) {
			*target = a > 0 ? names[r->target] : NULL;
			return a;
		}
	}
	return 0;
}

static void device_decision(const struct ug_policy *p, json_t *dev)
{
	const json_t *ifs = json_object_get(dev, "usbguard_interfaces");
	char *iv[64];
	size_t n = 0;
	for (; n < json_array_size(ifs) && n < ARRAY_SIZE(iv); n++)
		iv[n] = (char *)json_string_value(json_array_get(ifs, n));
	const struct ug_device d = {jstr(dev, "id", ""),
				    jstr(dev, "serial", ""),
				    jstr(dev, "product", ""),
				    jstr(dev, "usbguard_hash", NULL),
				    jstr(dev, "usbguard_parent_hash", NULL),
				    jstr(dev, "bus_path", ""),
				    jstr(dev, "connect_type", NULL),
				    iv,
				    n,
				    json_is_array(ifs) && n == json_array_size(ifs)};
	const char *policy = is_controller(dev) ? p->controller : p->present, *target = NULL;
	const char *where = is_controller(dev) ? "PresentControllerPolicy" : "PresentDevicePolicy";
	const json_t *auth = json_object_get(dev, "authorized");
	if (!strcmp(policy, "allow") || !strcmp(policy, "block") || !strcmp(policy, "reject"))
		target = policy;
	else if (!strcmp(policy, "keep"))
		target = json_is_boolean(auth) ? (json_is_true(auth) ? "allow" : "block") : NULL;
	else if (!strcmp(policy, "apply-policy") && first_rule(p->st, &d, &target, &where) == 0) {
		target = p->implicit;
		where = "ImplicitPolicyTarget";
	}
	json_object_set_new(dev, "usbguard_target", json_str(target));
	json_object_set_new(dev, "usbguard_rule", json_string(where));
}

/* usbguard_target and usbguard_rule of every device present: null where
 * USBGuard does not run at boot, or its decision cannot be known. */
static void device_decisions(struct probe_ctx *ctx, const struct ug_policy *p)
{
	json_t *devs = json_object_get(ctx->inventory, "usb_devices"), *dev;
	size_t i;
	json_array_foreach(devs, i, dev) {
		if (p->usable) {
			device_decision(p, dev);
			continue;
		}
		json_object_set_new(dev, "usbguard_target", json_null());
		json_object_set_new(dev, "usbguard_rule", json_null());
	}
}

static void collect_usbguard(struct probe_ctx *ctx, json_t *o)
{
	static const char conf_path[] = "/etc/usbguard/usbguard-daemon.conf";
	bool installed = exists(ctx, "/usr/sbin/usbguard-daemon", true) ||
			 exists(ctx, "/usr/bin/usbguard-daemon", true);
	bool enabled =
	    exists(ctx, "/etc/systemd/system/multi-user.target.wants/usbguard.service", false) ||
	    exists(ctx, "/etc/systemd/system/basic.target.wants/usbguard.service", false);
	json_object_set_new(o, "usbguard_installed", json_boolean(installed));
	json_object_set_new(o, "usbguard_enabled", json_boolean(installed && enabled));
	json_object_set_new(o, "usbguard_running",
			    installed ? usbguard_running(ctx) : json_false());
	_cleanup_buf_ struct buf b = {0};
	int r = installed ? fsroot_read(ctx->root, conf_path, LIMIT_CONFIG_FILE, &b) : -ENOENT;
	if (r < 0) {
		device_decisions(ctx, &(struct ug_policy){.usable = false});
		if (installed)
			probe_file_error(ctx, conf_path, r, false);
		json_object_set_new(o, "implicit_policy_target", json_null());
		json_object_set_new(o, "present_device_policy", json_null());
		json_object_set_new(o, "inserted_device_policy", json_null());
		json_object_set_new(o, "usbguard_rules", installed ? json_null() : json_integer(0));
		json_object_set_new(o, "usbguard_allow_all_rule",
				    installed ? json_null() : json_false());
		json_object_set_new(o, "usbguard_storage_rule", json_null());
		json_object_set_new(o, "usbguard_blocks_storage",
				    installed ? json_null() : json_false());
		return;
	}
	_cleanup_free_ char *ipt = conf_value(&b, "ImplicitPolicyTarget");
	_cleanup_free_ char *pdp = conf_value(&b, "PresentDevicePolicy");
	_cleanup_free_ char *idp = conf_value(&b, "InsertedDevicePolicy");
	/* usbguard's built-in defaults when the key is missing */
	const char *implicit = ipt ? ipt : "block", *present = pdp ? pdp : "apply-policy";
	const char *inserted = idp ? idp : "apply-policy";
	json_object_set_new(o, "implicit_policy_target", json_str(implicit));
	json_object_set_new(o, "present_device_policy", json_str(present));
	json_object_set_new(o, "inserted_device_policy", json_str(inserted));
	struct ug_state st = {0};
	bool ok = usbguard_rules(ctx, &b, &st);
	json_object_set_new(o, "usbguard_rules",
			    ok && !st.parse_error ? json_integer(st.rules) : json_null());
	json_object_set_new(o, "usbguard_allow_all_rule", json_boolean(st.allow_all));
	json_object_set_new(o, "usbguard_storage_rule", json_str(st.storage_rule));
	json_object_set_new(
	    o, "usbguard_blocks_storage",
	    usbguard_blocks(installed && enabled, inserted, present, implicit, &st, ok));
	_cleanup_free_ char *pcp = conf_value(&b, "PresentControllerPolicy");
	const struct ug_policy pol = {&st, present, pcp ? pcp : "keep", implicit,
				      installed && enabled && ok && !st.parse_error && !st.lost};
	device_decisions(ctx, &pol);
	ug_state_free(&st);
}

/* storage_possible with USBGuard: a policy that blocks every new
 * mass-storage device makes the driver harmless, if the daemon runs (on
 * a live host a stopped daemon blocks nothing; under --root the verdict
 * is the configuration's, and the report says so through basis). */
static void storage_with_usbguard(struct probe_ctx *ctx, json_t *o)
{
	json_t *blocks = json_object_get(o, "usbguard_blocks_storage");
	json_t *running = json_object_get(o, "usbguard_running");
	json_t *possible = json_object_get(o, "storage_possible");
	json_object_set_new(o, "basis", json_string(ctx->offline ? "configuration" : "live"));
	if (json_is_false(possible) || json_is_false(blocks) || json_is_false(running))
		return;
	if (json_is_true(blocks))
		json_object_set_new(o, "storage_possible", json_false());
	else if (json_is_null(blocks))
		json_object_set_new(o, "storage_possible", json_null());
}

/* ---- desktop automount ---------------------------------------------- */

/* Whether any file matching pattern holds both needles (1/0). */
static int files_hold(struct probe_ctx *ctx, const char *pattern, const char *a, const char *b)
{
	_cleanup_strv_ char **v = NULL;
	size_t n = 0;
	if (fsroot_glob(ctx->root, pattern, &v, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_buf_ struct buf f = {0};
		if (fsroot_read(ctx->root, v[i], LIMIT_CONFIG_FILE, &f) < 0)
			continue;
		if (memmem(f.data, f.len, a, strlen(a)) && memmem(f.data, f.len, b, strlen(b)))
			return 1;
	}
	return 0;
}

#define MEDIA_SECTION "org/gnome/desktop/media-handling"

/* key in one dconf database directory (/etc/dconf/db/DB.d): keyfiles in
 * name order, the last that sets it wins; *locked if locks/ lists it.
 * 1 found, 0 not set, -errno if a file could not be read. */
static int dconf_db_get(struct probe_ctx *ctx, const char *db, const char *key, char **ret,
			bool *locked)
{
	_cleanup_free_ char *dir = NULL, *locks = NULL, *keypath = NULL;
	_cleanup_strv_ char **names = NULL, **lnames = NULL;
	if (asprintf(&dir, "/etc/dconf/db/%s.d", db) < 0 || asprintf(&locks, "%s/locks", dir) < 0 ||
	    asprintf(&keypath, "/" MEDIA_SECTION "/%s", key) < 0)
		return -ENOMEM;
	int r = fsroot_list(ctx->root, dir, &names, NULL);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	int found = 0;
	for (char **n = names; *n && found >= 0; n++) {
		_cleanup_free_ char *p = path_join(dir, *n);
		_cleanup_buf_ struct buf b = {0};
		char *v = NULL;
		if (!p || strcmp(*n, "locks") == 0 ||
		    fsroot_read(ctx->root, p, LIMIT_CONFIG_FILE, &b) < 0)
			continue; /* locks/ is a directory; other unreadable files are not keyfiles
				   */
		int k = dconf_keyfile_get(b.data, b.len, MEDIA_SECTION, key, &v);
		if (k > 0) {
			free(*ret);
			*ret = v;
		}
		found = k < 0 ? k : found || k > 0;
	}
	if (fsroot_list(ctx->root, locks, &lnames, NULL) == 0)
		for (char **n = lnames; *n && !*locked; n++) {
			_cleanup_free_ char *p = path_join(locks, *n);
			_cleanup_buf_ struct buf b = {0};
			if (p && fsroot_read(ctx->root, p, LIMIT_CONFIG_FILE, &b) == 0)
				*locked = dconf_locks_has(b.data, b.len, keypath);
		}
	return found;
}

/* GNOME's effective automount: the system databases the user profile
 * names, highest priority first; the first that sets the key decides.
 * Without /etc/dconf/profile/user only the user's own database applies,
 * so GNOME's default (automount on, unlocked) holds. */
static void gnome_automount(struct probe_ctx *ctx, json_t *o)
{
	static const char profile[] = "/etc/dconf/profile/user";
	_cleanup_buf_ struct buf b = {0};
	_cleanup_strv_ char **dbs = NULL;
	_cleanup_free_ char *val = NULL, *source = NULL;
	bool locked = false;
	int r = fsroot_read(ctx->root, profile, LIMIT_CONFIG_FILE, &b);
	if (r == 0)
		r = dconf_profile_system_dbs(b.data, b.len, &dbs);
	for (char **d = dbs; r == 0 && d && *d && !val; d++) {
		int k = dconf_db_get(ctx, *d, "automount", &val, &locked);
		if (k < 0)
			r = k;
		else if (k > 0 && asprintf(&source, "/etc/dconf/db/%s.d", *d) < 0)
			r = -ENOMEM;
	}
	if (r < 0 && r != -ENOENT) {
		probe_file_error(ctx, profile, r, false);
		json_object_set_new(o, "gnome_automount", json_null());
		json_object_set_new(o, "gnome_automount_locked", json_null());
		json_object_set_new(o, "gnome_automount_source", json_null());
		return;
	}
	json_object_set_new(o, "gnome_automount", json_boolean(!val || strcmp(val, "false") != 0));
	json_object_set_new(o, "gnome_automount_locked", json_boolean(locked));
	json_object_set_new(o, "gnome_automount_source", json_str(source ? source : "default"));
}

static json_t *collect_automount(struct probe_ctx *ctx)
{
	static const char mount_action[] = "org.freedesktop.udisks2.filesystem-mount";
	bool udisks = exists(ctx, "/usr/libexec/udisks2/udisksd", true) ||
		      exists(ctx, "/usr/lib/udisks2/udisksd", true);
	bool gnome = exists(ctx, "/usr/bin/gnome-shell", true);
	int denied =
	    files_hold(ctx, "/etc/polkit-1/rules.d/*.rules", mount_action, "polkit.Result.NO") ||
	    files_hold(ctx, "/etc/polkit-1/localauthority/*/*.pkla", mount_action,
		       "ResultActive=no");
	json_t *o = json_pack("{s:b, s:b, s:b}", "udisks2_installed", udisks, "polkit_mount_denied",
			      denied, "gnome_installed", gnome);
	if (!o)
		return NULL;
	if (gnome) {
		gnome_automount(ctx, o);
	} else { /* no GNOME: nothing of GNOME's mounts anything */
		json_object_set_new(o, "gnome_automount", json_false());
		json_object_set_new(o, "gnome_automount_locked", json_false());
		json_object_set_new(o, "gnome_automount_source", json_str("not installed"));
	}
	return o;
}

/* The present mass-storage devices, named for the storage finding. */
static json_t *storage_devices(struct probe_ctx *ctx)
{
	json_t *devs = json_object_get(ctx->inventory, "usb_devices");
	json_t *a = json_is_array(devs) ? json_array() : json_null();
	size_t i;
	json_t *d;
	json_array_foreach(devs, i, d) {
		if (!json_is_true(json_object_get(d, "is_mass_storage")))
			continue;
		const char *id = json_string_value(json_object_get(d, "id"));
		const char *prod = json_string_value(json_object_get(d, "product"));
		const char *bus = json_string_value(json_object_get(d, "bus_path"));
		char *s = NULL;
		if (asprintf(&s, "%s %s (%s)", id ? id : "?", prod ? prod : "-", bus) < 0)
			continue;
		json_array_append_new(a, json_str(s));
		free(s);
	}
	return a;
}

int probe_usb_run(struct probe_ctx *ctx)
{
	int r = collect_devices(ctx);
	if (r < 0)
		return r;
	json_t *o = json_object();
	if (!o)
		return -ENOMEM;
	r = collect_modules(ctx, o);
	collect_usbguard(ctx, o);
	storage_with_usbguard(ctx, o);
	json_object_set_new(o, "mass_storage_devices", storage_devices(ctx));
	json_object_set_new(o, "automount", collect_automount(ctx));
	json_object_set_new(ctx->inventory, "usb_storage", o);
	return r < 0 ? r : 0;
}
