/* packages.c - the "packages" probe: the installed-software part of the
 * 2(1) ledger from dpkg's database, or from rpm's (any of its three
 * formats, probes/read/rpmdb.c) when the root has no dpkg status file, and
 * the kernel facts of 2(7).
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
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/debver.h"
#include "probes/parse/dpkg_parse.h"
#include "lib/limits.h"
#include "probes/packages.h"
#include "probes/read/rpmdb.h"
#include "probes/parse/rpmhdr.h"
#include "probes/parse/rpmver.h"

static const struct column package_columns[] = {
    {"name", COL_STRING, "package name"},
    {"version", COL_STRING,
     "version (for config-files: the version last installed; rpm: [EPOCH:]VERSION-RELEASE)"},
    {"architecture", COL_STRING, "architecture (all, amd64, i386, ...)"},
    {"source", COL_STRING, "source package name"},
    {"source_version", COL_STRING, "source package version"},
    {"status", COL_STRING,
     "dpkg state: installed, config-files, half-installed, unpacked, half-configured, "
     "triggers-awaited, triggers-pending (rpm: always installed)"},
    {"selection", COL_STRING,
     "dpkg selection: install, hold, deinstall, purge, unknown (rpm has none: null)"},
    {"installed", COL_BOOL, "fully installed (installed or only waiting for triggers)"},
    {"files_present", COL_BOOL, "its files are on disk (every state but config-files)"},
    {"reinstall_required", COL_BOOL, "dpkg marked it reinstreq (a failed operation)"},
    {"multi_arch", COL_STRING, "Multi-Arch field, null if none"},
    {"manager", COL_STRING, "package manager whose database lists it: dpkg or rpm"},
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
    {"reboot_required", COL_BOOL,
     "/run/reboot-required exists; rpm: as needs-restarting -r, a core package (kernel, "
     "glibc, systemd, dbus, linux-firmware, microcode_ctl...) was installed after boot "
     "(/proc/stat btime); null when the boot time is unknown"},
    {"reboot_required_packages", COL_ARRAY,
     "packages listed in /run/reboot-required.pkgs; rpm: the core packages installed after "
     "boot"},
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
	json_set(o, "manager", json_string("dpkg"));
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

/* /run/reboot-required as a tri-state: true present, false absent, null
 * when it could not be looked at (an unreadable path is not an absent
 * one, so "no reboot required" is never claimed from a failed stat). */
static json_t *reboot_flag(struct probe_ctx *ctx)
{
	struct stat sst;
	int r = fsroot_stat(ctx->root, "/run/reboot-required", true, &sst);
	if (r == 0)
		return json_true();
	if (r == -ENOENT || r == -ENOTDIR)
		return json_false();
	probe_msg(ctx, "/run/reboot-required を確認できません: %s",
		  "cannot check /run/reboot-required: %s", strerror(-r));
	return json_null();
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
	json_t *flag = reboot_flag(ctx);
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
	bool needed = json_is_true(flag) || stale;
	json_set(o, "reboot_needed",
		 needed		      ? json_true()
		 : json_is_null(flag) ? json_null()
				      : json_false());
	json_set(o, "reboot_required", flag);
	json_set(o, "reboot_required_packages", reboot_pkgs(ctx));
	return o;
}

/* ---- rpm (RHEL, Fedora, SUSE, Amazon Linux ...) ---- */

/* Where rpm keeps its database, newest layout and format first: Fedora
 * and SUSE use /usr/lib/sysimage/rpm (with /var/lib/rpm a symlink to
 * it), RHEL /var/lib/rpm. A leftover BDB file next to a converted SQLite
 * database is ignored. */
static const char *const rpmdb_paths[] = {
    "/usr/lib/sysimage/rpm/rpmdb.sqlite",
    "/var/lib/rpm/rpmdb.sqlite",
    "/usr/lib/sysimage/rpm/Packages.db",
    "/var/lib/rpm/Packages.db",
    "/var/lib/rpm/Packages",
    "/usr/lib/sysimage/rpm/Packages",
};

struct rpm_kernel {
	char *release, *evr;
};

/* needs-restarting -r's list (dnf-plugins-core): updating one of these
 * needs a reboot. */
static const char *const rpm_reboot_names[] = {
    "kernel",	      "kernel-core",	 "kernel-rt",	   "kernel-rt-core",
    "kernel-uek",     "kernel-uek-core", "kernel-default", "glibc",
    "linux-firmware", "systemd",	 "dbus",	   "dbus-broker",
    "dbus-daemon",    "microcode_ctl",	 "zlib",
};

struct rpm_core {
	char name[32];
	int64_t installtime;
};

struct rpm_walk {
	json_t *pkgs;
	struct rpm_core core[32];
	size_t ncore;
	struct rpm_kernel *kernels;
	size_t nkernels, bad;
	const char *why;
};

/* "NAME-VERSION-RELEASE.src.rpm" -> NAME and VERSION-RELEASE. */
static bool split_srpm(struct rpm_span s, struct span *name, struct span *vr)
{
	static const char sfx[] = ".src.rpm", nosfx[] = ".nosrc.rpm";
	if (s.len > sizeof(nosfx) - 1 &&
	    memcmp(s.s + s.len - (sizeof(nosfx) - 1), nosfx, sizeof(nosfx) - 1) == 0)
		s.len -= sizeof(nosfx) - 1;
	else if (s.len > sizeof(sfx) - 1 &&
		 memcmp(s.s + s.len - (sizeof(sfx) - 1), sfx, sizeof(sfx) - 1) == 0)
		s.len -= sizeof(sfx) - 1;
	else
		return false;
	size_t dashes = 0, i = s.len;
	while (i > 0 && dashes < 2)
		if (s.s[--i] == '-')
			dashes++;
	if (dashes < 2 || i == 0)
		return false;
	*name = (struct span){s.s, i};
	*vr = (struct span){s.s + i + 1, s.len - i - 1};
	return true;
}

static json_t *rspan_json(struct rpm_span s)
{
	return s.s ? json_bytes(s.s, s.len) : json_null();
}

static json_t *rpm_package_json(const struct rpm_pkg *p, const char *evr)
{
	json_t *o = json_object();
	struct span sname, svr;
	if (!o)
		return NULL;
	bool src = p->sourcerpm.s && split_srpm(p->sourcerpm, &sname, &svr);
	json_set(o, "name", rspan_json(p->name));
	json_set(o, "version", json_str(evr));
	json_set(o, "architecture", rspan_json(p->arch));
	json_set(o, "source", src ? span_json(sname) : rspan_json(p->name));
	json_set(o, "source_version", src ? span_json(svr) : json_str(evr));
	json_set(o, "status", json_string("installed")); /* rpm keeps no other state */
	json_set(o, "selection", json_null());		 /* rpm has no selections */
	json_set(o, "installed", json_true());
	json_set(o, "files_present", json_true());
	json_set(o, "reinstall_required", json_false());
	json_set(o, "multi_arch", json_null());
	json_set(o, "manager", json_string("rpm"));
	return o;
}

/* asprintf, NULL on failure. */
__attribute__((format(printf, 1, 2))) static char *fmt_alloc(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

/* The `uname -r` a kernel package installs, or NULL: RHEL-family names
 * give VERSION-RELEASE.ARCH; SUSE's kernel-FLAVOR gives VERSION-RELEASE
 * without its last (rebuild) component, then -FLAVOR. */
static char *rpm_kernel_release(const struct rpm_pkg *p)
{
	static const char *const rhel[] = {"kernel",	     "kernel-core", "kernel-rt",
					   "kernel-rt-core", "kernel-uek",  "kernel-uek-core"};
	static const char *const suse[] = {"default", "azure", "64kb", "preempt", "kvmsmall"};
	struct span name = {p->name.s, p->name.len};
	const struct rpm_span v = p->version, r = p->release, a = p->arch;
	if (!v.s || !r.s)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(rhel); i++)
		if (span_eq(name, rhel[i]) && a.s)
			return fmt_alloc("%.*s-%.*s.%.*s", (int)v.len, v.s, (int)r.len, r.s,
					 (int)a.len, a.s);
	for (size_t i = 0; i < ARRAY_SIZE(suse); i++) {
		if (name.len != 7 + strlen(suse[i]) || memcmp(name.s, "kernel-", 7) != 0 ||
		    memcmp(name.s + 7, suse[i], strlen(suse[i])) != 0)
			continue;
		const char *dot = memrchr(r.s, '.', r.len);
		size_t rl = dot ? (size_t)(dot - r.s) : r.len;
		return fmt_alloc("%.*s-%.*s-%s", (int)v.len, v.s, (int)rl, r.s, suse[i]);
	}
	return NULL;
}

static int rpm_add_kernel(struct rpm_walk *w, const struct rpm_pkg *p, const char *evr)
{
	_cleanup_free_ char *rel = rpm_kernel_release(p);
	if (!rel)
		return 0;
	for (size_t i = 0; i < w->nkernels; i++)
		if (strcmp(w->kernels[i].release, rel) == 0)
			return 0; /* kernel and kernel-core of one build */
	struct rpm_kernel *k = realloc(w->kernels, (w->nkernels + 1) * sizeof(*k));
	if (!k)
		return -ENOMEM;
	w->kernels = k;
	k[w->nkernels].evr = strdup(evr);
	if (!k[w->nkernels].evr)
		return -ENOMEM;
	k[w->nkernels++].release = TAKE_PTR(rel);
	return 0;
}

/* Keep the newest INSTALLTIME of each core package (needs-restarting). */
static void rpm_note_core(struct rpm_walk *w, const struct rpm_pkg *p)
{
	if (!p->has_installtime || !p->name.s)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(rpm_reboot_names); i++) {
		const char *n = rpm_reboot_names[i];
		if (strlen(n) != p->name.len || memcmp(n, p->name.s, p->name.len) != 0)
			continue;
		for (size_t k = 0; k < w->ncore; k++)
			if (strcmp(w->core[k].name, n) == 0) {
				if (p->installtime > w->core[k].installtime)
					w->core[k].installtime = p->installtime;
				return;
			}
		if (w->ncore < ARRAY_SIZE(w->core)) {
			snprintf(w->core[w->ncore].name, sizeof(w->core[0].name), "%s", n);
			w->core[w->ncore++].installtime = p->installtime;
		}
		return;
	}
}

/* The boot time (btime of /proc/stat), or -1. */
static int64_t boot_time(struct probe_ctx *ctx)
{
	_cleanup_buf_ struct buf b = {0};
	if (fsroot_read(ctx->root, "/proc/stat", LIMIT_CONFIG_FILE, &b) < 0)
		return -1;
	const char *p = strstr(b.data, "\nbtime ");
	long v;
	if (!p)
		return -1;
	p += 7;
	size_t n = strcspn(p, "\n");
	return parse_long_n(p, n, &v) == 0 && v > 0 ? v : -1;
}

static int rpm_blob(void *userdata, uint32_t id, const unsigned char *blob, size_t len)
{
	struct rpm_walk *w = userdata;
	struct rpm_pkg p;
	const char *why;
	(void)id;
	if (rpmhdr_parse(blob, len, &p, &why) < 0) {
		if (!w->bad++)
			w->why = why;
		return 0;
	}
	char evr[512];
	if (rpm_pkg_evr(&p, evr, sizeof(evr)) >= sizeof(evr)) {
		if (!w->bad++)
			w->why = "version longer than 511 bytes";
		return 0;
	}
	json_t *o = rpm_package_json(&p, evr);
	if (!o || json_array_append_new(w->pkgs, o) < 0)
		return -ENOMEM;
	rpm_note_core(w, &p);
	return rpm_add_kernel(w, &p, evr);
}

static int kernel_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rpm_kernel *)a)->release,
		      ((const struct rpm_kernel *)b)->release);
}

static json_t *rpm_kernel_json(struct probe_ctx *ctx, struct rpm_walk *w)
{
	_cleanup_free_ char *running = read_running(ctx);
	json_t *o = json_object(), *installed = json_array();
	if (!o || !installed) {
		json_decref(o);
		json_decref(installed);
		return NULL;
	}
	const struct rpm_kernel *newest = NULL, *run = NULL;
	/* Sorted here: json_array_sort_by() orders objects, not strings. */
	if (w->nkernels > 1)
		qsort(w->kernels, w->nkernels, sizeof(*w->kernels), kernel_cmp);
	for (size_t i = 0; i < w->nkernels; i++) {
		const struct rpm_kernel *k = &w->kernels[i];
		json_array_append_new(installed, json_string(k->release));
		if (running && strcmp(k->release, running) == 0)
			run = k;
		if (!newest ||
		    rpm_evr_cmp_str(k->evr, strlen(k->evr), newest->evr, strlen(newest->evr)) > 0)
			newest = k;
	}
	json_t *flag_j = reboot_flag(ctx);
	bool flag = json_is_true(flag_j), flag_unknown = json_is_null(flag_j);
	json_decref(flag_j);
	json_t *is_newest =
	    running && newest ? json_boolean(strcmp(newest->release, running) == 0) : json_null();
	bool stale = json_is_false(is_newest);
	json_set(o, "running", json_str(running));
	json_set(o, "running_package_version", json_str(run ? run->evr : NULL));
	json_set(o, "installed", installed);
	json_set(o, "newest_installed", json_str(newest ? newest->release : NULL));
	json_set(o, "newest_installed_version", json_str(newest ? newest->evr : NULL));
	json_set(o, "running_is_newest", is_newest);
	int64_t bt = boot_time(ctx);
	json_t *core = json_array();
	for (size_t i = 0; core && bt > 0 && i < w->ncore; i++)
		if (w->core[i].installtime > bt)
			json_array_append_new(core, json_string(w->core[i].name));
	json_array_sort_by(core, NULL);
	bool after = json_array_size(core) > 0;
	json_set(o, "reboot_required",
		 flag || after		   ? json_true()
		 : bt > 0 && !flag_unknown ? json_false()
					   : json_null());
	json_set(o, "reboot_required_packages", core ? core : json_array());
	json_set(o, "reboot_needed",
		 flag || after || stale	   ? json_true()
		 : bt > 0 && !flag_unknown ? json_false()
					   : json_null());
	return o;
}

static void rpm_walk_free(struct rpm_walk *w)
{
	for (size_t i = 0; i < w->nkernels; i++) {
		free(w->kernels[i].release);
		free(w->kernels[i].evr);
	}
	free(w->kernels);
	json_decref(w->pkgs);
}

static void rpm_report(struct probe_ctx *ctx, const char *path, const struct rpmdb_stats *st,
		       const struct rpm_walk *w)
{
	if (st->bad)
		probe_msg(ctx, "%s: 読めないレコードが %zu 件あります（%s）",
			  "%s: %zu unreadable records (%s)", path, st->bad, st->error);
	else if (st->error[0])
		probe_msg(ctx, "%s: データベースの構造に問題があります（%s）",
			  "%s: problem in the database structure (%s)", path, st->error);
	if (w->bad)
		probe_msg(ctx, "%s: 壊れたパッケージヘッダが %zu 件あります（%s）",
			  "%s: %zu malformed package headers (%s)", path, w->bad, w->why);
	if (st->truncated)
		probe_msg(ctx, "%s: パッケージ数が上限 %u を超えたため、以降は読んでいません",
			  "%s: more packages than the limit of %u; the rest were not read", path,
			  LIMIT_RPMDB_PACKAGES);
	if (st->bad || st->error[0] || w->bad || st->truncated)
		probe_partial(ctx);
}

static int rpm_emit(struct probe_ctx *ctx, struct rpm_walk *w)
{
	json_array_sort_by(w->pkgs, "name");
	json_t *kernel = rpm_kernel_json(ctx, w);
	if (!kernel || json_set(ctx->inventory, "packages", json_incref(w->pkgs)) < 0) {
		json_decref(kernel);
		return -ENOMEM;
	}
	return json_set(ctx->inventory, "kernel", kernel);
}

/* The rpm inventory, when the root has an rpm database. */
static int rpm_run(struct probe_ctx *ctx)
{
	const char *path = NULL;
	struct stat sst;
	for (size_t i = 0; !path && i < ARRAY_SIZE(rpmdb_paths); i++)
		if (fsroot_stat(ctx->root, rpmdb_paths[i], true, &sst) == 0)
			path = rpmdb_paths[i];
	if (!path)
		return PROBE_RET_NOT_APPLICABLE;
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_RPMDB_FILE, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, false);
		return r;
	}
	_cleanup_(rpm_walk_free) struct rpm_walk w = {.pkgs = json_array()};
	struct rpmdb_stats st;
	if (!w.pkgs)
		return -ENOMEM;
	r = rpmdb_read((unsigned char *)b.data, b.len, rpm_blob, &w, &st);
	if (r < 0 && st.blobs == 0) {
		probe_msg(ctx, "%s: rpm データベースとして読めません（%s）",
			  "%s: cannot be read as an rpm database (%s)", path, st.error);
		return r;
	}
	rpm_report(ctx, path, &st, &w);
	if (r < 0)
		probe_partial(ctx);
	return rpm_emit(ctx, &w);
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
	const struct buf *b = NULL;
	/* shared with the updates probe: one read of a file of a few MiB */
	int r = fsroot_read_shared(ctx->root, path, LIMIT_DPKG_STATUS, &b);
	if (r == -ENOENT)
		return rpm_run(ctx); /* not a dpkg system */
	if (r < 0) {
		probe_file_error(ctx, path, r, false);
		return r;
	}
	struct dpkg_status st;
	struct file_ref ref = {ctx, path};
	r = dpkg_status_parse(b->data, b->len, &st, line_bad, &ref);
	if (r < 0)
		return r;
	r = emit(ctx, &st);
	dpkg_status_free(&st);
	return r;
}
