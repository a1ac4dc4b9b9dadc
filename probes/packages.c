/* packages.c - the "packages" probe: the installed-software part of the
 * 2(1) ledger from dpkg's database, and the kernel facts of 2(7).
 *
 * "packages" holds every package dpkg knows except those purged
 * (not-installed), as `dpkg-query -W` lists them, with its state: a
 * package removed with its configuration kept (config-files) or left
 * half-installed by an interrupted dpkg is listed but not "installed".
 * "kernel" compares the running kernel release with the newest installed
 * kernel image package (linux-image-RELEASE, ordered by package version)
 * and reads /run/reboot-required(.pkgs), which Debian's and Ubuntu's
 * package scripts create when an upgrade needs a reboot.
 */
#include <stdio.h>
#include "probes/debver.h"
#include "probes/dpkg_parse.h"
#include "probes/limits.h"
#include "probes/packages.h"

static const struct column package_columns[] = {
    {"name", COL_STRING, "package name"},
    {"version", COL_STRING, "version (for config-files: the version last installed)"},
    {"architecture", COL_STRING, "architecture (all, amd64, i386, ...)"},
    {"source", COL_STRING, "source package name"},
    {"source_version", COL_STRING, "source package version"},
    {"status", COL_STRING,
     "dpkg state: installed, config-files, half-installed, unpacked, half-configured, "
     "triggers-awaited, triggers-pending"},
    {"selection", COL_STRING, "dpkg selection: install, hold, deinstall, purge, unknown"},
    {"installed", COL_BOOL, "fully installed (installed or only waiting for triggers)"},
    {"files_present", COL_BOOL, "its files are on disk (every state but config-files)"},
    {"reinstall_required", COL_BOOL, "dpkg marked it reinstreq (a failed operation)"},
    {"multi_arch", COL_STRING, "Multi-Arch field, null if none"},
    {NULL, 0, NULL},
};

static const struct column kernel_columns[] = {
    {"running", COL_STRING, "running kernel release (/proc/sys/kernel/osrelease), null if unknown"},
    {"running_package_version", COL_STRING,
     "version of linux-image-RUNNING, null if no such package is installed"},
    {"installed", COL_ARRAY, "releases of the installed kernel image packages"},
    {"newest_installed", COL_STRING, "release of the newest installed kernel image, null if none"},
    {"newest_installed_version", COL_STRING, "its package version"},
    {"running_is_newest", COL_BOOL,
     "the running kernel is the newest installed; null when no kernel package is installed "
     "(containers) or the running release is unknown"},
    {"reboot_required", COL_BOOL, "/run/reboot-required exists"},
    {"reboot_required_packages", COL_ARRAY, "packages listed in /run/reboot-required.pkgs"},
    {"reboot_needed", COL_BOOL,
     "reboot_required, or a newer kernel than the running one is installed"},
    {NULL, 0, NULL},
};

const struct collection packages_collections[] = {
    {"packages", false, package_columns},
    {"kernel", true, kernel_columns},
    {NULL, false, NULL},
};

static json_t *span_json(struct span s)
{
	return s.s ? json_bytes(s.s, s.len) : json_null();
}

static json_t *package_json(const struct dpkg_pkg *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_set(o, "name", span_json(p->name));
	json_set(o, "version", span_json(p->version));
	json_set(o, "architecture", span_json(p->arch));
	json_set(o, "source", p->source.s ? span_json(p->source) : span_json(p->name));
	json_set(o, "source_version",
		 p->source_version.s ? span_json(p->source_version) : span_json(p->version));
	json_set(o, "status", json_string(dpkg_state_name(p->state)));
	json_set(o, "selection", json_string(dpkg_want_name(p->want)));
	json_set(o, "installed", json_boolean(dpkg_state_installed(p->state)));
	json_set(o, "files_present", json_boolean(dpkg_state_present(p->state)));
	json_set(o, "reinstall_required", json_boolean(p->reinstreq));
	json_set(o, "multi_arch", span_json(p->multi_arch));
	return o;
}

/* ---- kernel ---- */

/* The release in a kernel image package name ("linux-image-6.1.0-40-amd64"
 * -> "6.1.0-40-amd64"), or an empty span for meta packages
 * (linux-image-amd64), debug symbols and anything else. */
static struct span kernel_release(struct span name)
{
	static const char prefix[] = "linux-image-";
	const size_t pl = sizeof(prefix) - 1;
	struct span none = {NULL, 0};
	if (name.len <= pl || memcmp(name.s, prefix, pl) != 0)
		return none;
	struct span rel = {name.s + pl, name.len - pl};
	if (rel.s[0] < '0' || rel.s[0] > '9')
		return none;
	if (rel.len > 4 && memcmp(rel.s + rel.len - 4, "-dbg", 4) == 0)
		return none;
	static const char unsigned_sfx[] = "-unsigned";
	const size_t ul = sizeof(unsigned_sfx) - 1;
	if (rel.len > ul && memcmp(rel.s + rel.len - ul, unsigned_sfx, ul) == 0)
		rel.len -= ul;
	return rel;
}

struct kernels {
	const struct dpkg_pkg *newest;
	struct span newest_rel;
	const struct dpkg_pkg *running;
	json_t *installed;
};

static void scan_kernels(const struct dpkg_status *st, const char *running, struct kernels *k)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct dpkg_pkg *p = &st->v[i];
		struct span rel = kernel_release(p->name);
		if (!rel.s || !dpkg_state_installed(p->state) || !p->version.s)
			continue;
		json_array_append_new(k->installed, json_bytes(rel.s, rel.len));
		if (running && span_eq(rel, running))
			k->running = p;
		int c = k->newest ? debver_cmp(p->version.s, p->version.len, k->newest->version.s,
					       k->newest->version.len)
				  : 1;
		if (c > 0) {
			k->newest = p;
			k->newest_rel = rel;
		}
	}
}

static char *read_running(struct probe_ctx *ctx)
{
	_cleanup_buf_ struct buf b = {0};
	if (fsroot_read(ctx->root, "/proc/sys/kernel/osrelease", LIMIT_SMALL_FILE, &b) < 0)
		return NULL;
	const char *s = b.data;
	size_t n = strcspn(b.data, "\n");
	str_trim(&s, &n);
	return n ? xstrndup(s, n) : NULL;
}

static json_t *reboot_pkgs(struct probe_ctx *ctx)
{
	_cleanup_buf_ struct buf b = {0};
	json_t *a = json_array();
	if (!a || fsroot_read(ctx->root, "/run/reboot-required.pkgs", LIMIT_CONFIG_FILE, &b) < 0)
		return a;
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, b.data, b.len);
	while (line_iter_next(&it, &ln)) {
		const char *s = ln.s;
		size_t n = ln.len;
		str_trim(&s, &n);
		if (n)
			json_array_append_new(a, json_bytes(s, n));
	}
	json_array_sort_by(a, NULL);
	return a;
}

static json_t *kernel_json(struct probe_ctx *ctx, const struct dpkg_status *st)
{
	_cleanup_free_ char *running = read_running(ctx);
	struct kernels k = {.installed = json_array()};
	json_t *o = json_object();
	if (!o || !k.installed) {
		json_decref(o);
		json_decref(k.installed);
		return NULL;
	}
	scan_kernels(st, running, &k);
	json_array_sort_by(k.installed, NULL);
	struct stat sst;
	bool flag = fsroot_stat(ctx->root, "/run/reboot-required", true, &sst) == 0;
	json_t *newest_is_running = json_null();
	if (running && k.newest)
		newest_is_running = json_boolean(span_eq(k.newest_rel, running));
	bool stale = json_is_false(newest_is_running);
	json_set(o, "running", json_str(running));
	json_set(o, "running_package_version",
		 k.running ? span_json(k.running->version) : json_null());
	json_set(o, "installed", k.installed);
	json_set(o, "newest_installed", k.newest ? span_json(k.newest_rel) : json_null());
	json_set(o, "newest_installed_version",
		 k.newest ? span_json(k.newest->version) : json_null());
	json_set(o, "running_is_newest", newest_is_running);
	json_set(o, "reboot_required", json_boolean(flag));
	json_set(o, "reboot_required_packages", reboot_pkgs(ctx));
	json_set(o, "reboot_needed", json_boolean(flag || stale));
	return o;
}

/* ---- the probe ---- */

struct file_ref {
	struct probe_ctx *ctx;
	const char *path;
};

static void line_bad(void *userdata, unsigned line, const char *ja, const char *en)
{
	struct file_ref *ref = userdata;
	probe_line_error(ref->ctx, ref->path, line, ja, en);
	probe_partial(ref->ctx);
}

static int emit(struct probe_ctx *ctx, const struct dpkg_status *st)
{
	json_t *pkgs = json_array();
	for (size_t i = 0; pkgs && i < st->n; i++) {
		if (st->v[i].state == DPKG_NOT_INSTALLED)
			continue;
		json_t *o = package_json(&st->v[i]);
		if (!o || json_array_append_new(pkgs, o) < 0) {
			json_decref(pkgs);
			return -ENOMEM;
		}
	}
	if (!pkgs)
		return -ENOMEM;
	json_array_sort_by(pkgs, "name");
	json_t *kernel = kernel_json(ctx, st);
	if (!kernel || json_set(ctx->inventory, "packages", pkgs) < 0) {
		json_decref(kernel);
		return -ENOMEM;
	}
	return json_set(ctx->inventory, "kernel", kernel);
}

int probe_packages_run(struct probe_ctx *ctx)
{
	static const char path[] = "/var/lib/dpkg/status";
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_DPKG_STATUS, &b);
	if (r == -ENOENT)
		return PROBE_RET_NOT_APPLICABLE; /* not a dpkg system */
	if (r < 0) {
		probe_file_error(ctx, path, r, false);
		return r;
	}
	struct dpkg_status st;
	struct file_ref ref = {ctx, path};
	r = dpkg_status_parse(b.data, b.len, &st, line_bad, &ref);
	if (r < 0)
		return r;
	r = emit(ctx, &st);
	dpkg_status_free(&st);
	return r;
}
