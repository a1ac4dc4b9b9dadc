/* updates.c - the "updates" probe (Debian family): which installed
 * packages apt would upgrade, which of those are security updates, how
 * old apt's knowledge is, and whether updates happen by themselves.
 *
 * Computed from files only, as apt computes it (so it works under --root
 * and never runs apt): dpkg's status; apt.conf(.d); sources.list(.d) in
 * both formats; preferences(.d); for each source the Release/InRelease
 * and Packages lists apt stored under /var/lib/apt/lists (plain, .gz,
 * .xz, .lz4, .zst). Lists no source names any more are reported and
 * ignored, as apt ignores them. Each installed package's candidate is
 * chosen with apt's policy (probes/read/apt_policy.c); an update is one whose
 * candidate is newer than the installed version, as in
 * `apt list --upgradable`. The lists are decoded as streams and only the
 * stanzas of installed packages are looked at (that, and decompression,
 * is the whole cost).
 *
 * Collections: updates (one per pending update), apt_sources, apt_lists,
 * update_summary (single: the knowledge's age and the counts rules use)
 * and update_history (single: last upgrades, automatic updates).
 *
 * On an rpm host (no dpkg status, an rpm database) only update_history is
 * collected: last_upgrade is the newest INSTALLTIME of the installed
 * headers (what `rpm -qa --last` sorts by), and automatic updates are
 * dnf-automatic (dnf 4: dnf-automatic.timer with [commands] apply_updates
 * = yes, or dnf-automatic-install.timer; dnf 5: dnf5-automatic.timer with
 * apply_updates = yes) or yum-cron (RHEL 7: yum-cron.service enabled and
 * apply_updates = yes), reading /etc/dnf/automatic.conf and
 * /etc/yum/yum-cron.conf. Pending updates, advisories and the
 * repositories come from the metadata dnf, yum or zypper cached
 * (probes/read/rpmmd.c): updates, rpm_repos, rpm_advisories, update_summary.
 */
#include <stdio.h>
#include <sys/stat.h>
#include "probes/parse/apt_parse.h"
#include "probes/read/apt_policy.h"
#include "probes/parse/debver.h"
#include "probes/read/decompress.h"
#include "probes/parse/dpkg_parse.h"
#include "lib/limits.h"
#include "probes/probe.h"
#include "probes/packages.h"
#include "probes/read/rpmdb.h"
#include "probes/parse/rpmhdr.h"
#include "probes/read/rpmmd.h"
#include "scanner/cache.h"

#define WINDOW (1u << 20)

static const struct column update_columns[] = {
    {"name", COL_STRING, "binary package name"},
    {"architecture", COL_STRING, "the candidate's architecture (all, amd64, i386...)"},
    {"installed_version", COL_STRING, "version installed (dpkg status)"},
    {"candidate_version", COL_STRING, "version apt would install (its candidate)"},
    {"security", COL_BOOL,
     "the candidate comes from a security suite (*-security, Debian-Security); null when no "
     "security suite's list was read"},
    {"suites", COL_ARRAY, "suites (Release \"Suite\") offering the candidate, as apt list shows"},
    {"codenames", COL_ARRAY, "codenames of those releases"},
    {"origins", COL_ARRAY, "Release \"Origin\" of those releases"},
    {"source", COL_STRING, "source package name"},
    {"held", COL_BOOL, "dpkg selection is hold (apt upgrade will not install it)"},
    {"phased_percentage", COL_INT, "Phased-Update-Percentage of the candidate (100 when none)"},
    {"available_days", COL_INT,
     "at least this many days published: days since the oldest Release date offering the "
     "candidate (rpm: since the candidate's file time in the repository)"},
    {"kind", COL_STRING,
     "rpm: upgrade (dnf check-update), obsoleted (its Obsoleting Packages) or advisory (a "
     "security advisory newer than installed, no package for it in the repositories)"},
    {"candidate_name", COL_STRING, "rpm: the package that replaces it (differs when obsoleted)"},
    {"obsoleted_by", COL_STRING, "rpm: NEVRA of the obsoleting package"},
    {"installed_architecture", COL_STRING, "rpm: the installed package's architecture"},
    {"installonly", COL_BOOL, "rpm: an installonly package (kernel): the update is an install"},
    {"severity", COL_STRING, "rpm: worst severity of the applicable security advisories"},
    {"advisories", COL_ARRAY, "rpm: ids of the advisories newer than the installed package"},
    {"cves", COL_ARRAY, "rpm: CVE ids of those security advisories"},
    {NULL, 0, NULL},
};

static const struct column source_columns[] = {
    {"file", COL_STRING, "sources file"},
    {"line", COL_INT, "line (one-line format) or first line of the stanza (deb822)"},
    {"format", COL_STRING, "one-line | deb822"},
    {"type", COL_STRING, "deb | deb-src"},
    {"enabled", COL_BOOL, "false for a deb822 stanza with Enabled: no"},
    {"uri", COL_STRING, "repository URI (user:password removed)"},
    {"suite", COL_STRING, "suite or codename (ends in / for a flat repository)"},
    {"components", COL_ARRAY, "components"},
    {"architectures", COL_ARRAY, "architectures apt fetches for it"},
    {"signed_by", COL_BOOL, "a Signed-By key is given"},
    {"trusted", COL_BOOL, "trusted=yes: signatures are not checked"},
    {"security", COL_BOOL, "its release is a security suite"},
    {"release_found", COL_BOOL, "apt's copy of its InRelease/Release is present"},
    {"lists_found", COL_INT, "package lists present for it"},
    {"lists_missing", COL_INT, "package lists apt should have but does not"},
    {NULL, 0, NULL},
};

static const struct column list_columns[] = {
    {"path", COL_STRING, "the list file"},
    {"used", COL_BOOL, "a source names it (apt ignores lists no source names)"},
    {"compression", COL_STRING, "none | gzip | xz | lz4 | zstd | ..."},
    {"source", COL_STRING, "file:line of the source entry, null if unused"},
    {"origin", COL_STRING, "Release Origin"},
    {"label", COL_STRING, "Release Label"},
    {"suite", COL_STRING, "Release Suite"},
    {"codename", COL_STRING, "Release Codename"},
    {"version", COL_STRING, "Release Version"},
    {"component", COL_STRING, "component"},
    {"architecture", COL_STRING, "architecture"},
    {"date", COL_TIME, "Release Date"},
    {"valid_until", COL_TIME, "Release Valid-Until, null if none"},
    {"expired", COL_BOOL, "Valid-Until has passed"},
    {"age_days", COL_INT, "days since the Release Date"},
    {"mtime", COL_TIME, "when apt last wrote the list"},
    {"fetched_days", COL_INT, "days since mtime"},
    {"priority", COL_INT, "apt pin priority of the list"},
    {"security", COL_BOOL, "a security suite"},
    {"packages", COL_INT, "stanzas read, null if not read"},
    {"error", COL_STRING, "why it could not be read, null if it was"},
    {NULL, 0, NULL},
};

static const struct column summary_columns[] = {
    {"apt", COL_BOOL, "apt is configured (sources exist)"},
    {"native_architecture", COL_STRING, "dpkg's native architecture"},
    {"architectures", COL_ARRAY, "architectures apt uses"},
    {"sources", COL_INT, "enabled binary source entries"},
    {"lists_used", COL_INT, "package lists read"},
    {"lists_missing", COL_INT, "package lists sources name but apt has not fetched"},
    {"lists_unreadable", COL_INT, "package lists present but not readable"},
    {"lists_unused", COL_INT, "lists present that no source names (ignored)"},
    {"lists_date", COL_TIME, "newest Release Date among the lists used"},
    {"lists_age_days", COL_INT,
     "days since lists_date: how old apt's knowledge is; null if unknown"},
    {"lists_fetched", COL_TIME, "newest mtime of the Release files used"},
    {"lists_fetched_days", COL_INT, "days since lists_fetched"},
    {"security_source", COL_BOOL, "a security suite is among the sources used"},
    {"default_release", COL_STRING, "APT::Default-Release, null if unset"},
    {"pins", COL_INT, "pin stanzas in preferences"},
    {"complete", COL_BOOL, "every configured list was read: the pending counts are exact"},
    {"pending", COL_INT, "pending updates; null if unknown (no lists)"},
    {"pending_security", COL_INT,
     "pending security updates; null if unknown (no list read, or no security suite's list)"},
    {"release_past_support", COL_BOOL,
     "os_support says every phase of the release's security support has ended (its suites "
     "leave the mirrors); false when unknown"},
    {"release", COL_STRING, "the release, from os_support"},
    {"release_support_end", COL_STRING, "last day of its extended support, from os_support"},
    {"manager", COL_STRING,
     "apt, or on rpm hosts dnf, yum or zypper (then sources are repositories, lists their "
     "cached metadata, lists_date the newest repomd.xml timestamp)"},
    {NULL, 0, NULL},
};

static const struct column history_columns[] = {
    {"last_upgrade", COL_TIME,
     "newest package upgrade in apt's history or dpkg's log (rpm: newest INSTALLTIME)"},
    {"last_upgrade_days", COL_INT, "days since last_upgrade; null if none recorded"},
    {"last_apt_run", COL_TIME, "newest apt run in history.log"},
    {"last_apt_run_days", COL_INT, "days since last_apt_run"},
    {"upgrades_recorded", COL_INT, "package upgrades in the logs read"},
    {"logs", COL_ARRAY, "log files read"},
    {"unattended_upgrades_installed", COL_BOOL, "the unattended-upgrades package is installed"},
    {"periodic_enabled", COL_BOOL, "APT::Periodic::Enable (default true)"},
    {"periodic_update_lists_days", COL_INT, "APT::Periodic::Update-Package-Lists, 0 if off"},
    {"periodic_unattended_days", COL_INT, "APT::Periodic::Unattended-Upgrade, 0 if off"},
    {"upgrade_timer_masked", COL_BOOL, "apt-daily-upgrade.timer is masked (runs nothing)"},
    {"unattended_origins", COL_ARRAY, "Unattended-Upgrade::Origins-Pattern and Allowed-Origins"},
    {"security_origin_configured", COL_BOOL, "an unattended origin names a security suite"},
    {"automatic_security_updates", COL_BOOL,
     "security updates install by themselves: apt: unattended-upgrades installed, periodic "
     "run on, a security origin, timer not masked; rpm: see auto_tool"},
    {"manager", COL_STRING, "apt or rpm (which of the columns above and below apply)"},
    {"auto_tool", COL_STRING,
     "rpm: dnf-automatic, dnf5-automatic or yum-cron when its timer/service is enabled (not "
     "masked, unit present); null if none"},
    {"auto_unit", COL_STRING, "rpm: the enabled unit (dnf-automatic-install.timer ...)"},
    {"auto_apply", COL_BOOL,
     "rpm: it installs updates (apply_updates = yes, or the -install timer), not only "
     "downloads or notifies"},
    {"auto_upgrade_type", COL_STRING,
     "rpm: upgrade_type (dnf) or update_cmd (yum-cron); security and default both install "
     "security updates, severity-limited ones do not count"},
    {NULL, 0, NULL},
};

const struct collection updates_collections[] = {
    {"updates", false, update_columns},
    {"apt_sources", false, source_columns},
    {"apt_lists", false, list_columns},
    {"update_summary", true, summary_columns},
    {"update_history", true, history_columns},
    {"rpm_repos", false, rpm_repo_columns},
    {"rpm_advisories", false, rpm_advisory_columns},
    {NULL, false, NULL},
};

/* ---- state ---- */

struct uver {
	char *ver;
	size_t len;
	size_t *files, nfiles, capfiles;
	unsigned phased;
	bool arch_all; /* its Architecture is "all" (apt list shows that) */
};

/* One package dpkg has on disk (apt's "current version"). */
struct upkg {
	const struct dpkg_pkg *dp;
	const char *arch; /* apt's: native for "all" */
	long next;	  /* next package with the same name, -1 */
	struct uver *vers;
	size_t nvers, capvers;
};

struct urel {
	char *path; /* InRelease or Release found, or the InRelease path */
	char *site;
	struct apt_release rel;
	bool ok;
	struct stat st;
};

struct ulist {
	char *path;
	enum comp comp;
	const struct apt_source *src;
	long rel; /* index into rels, -1 none */
	char *component, *arch;
	long packages;
	int err;
	struct stat st;
};

struct uctx {
	struct probe_ctx *ctx;
	const struct buf *status_buf; /* borrowed from the fsroot's shared reads */
	struct dpkg_status st;
	char *native;
	char **archs;
	struct apt_conf conf;
	char *lists_dir;   /* Dir::State::lists, resolved in the root */
	char *status_path; /* Dir::State::status */
	struct apt_sources srcs;
	struct apt_pins pins;
	struct urel *rels;
	size_t nrels, caprels;
	struct ulist *lists;
	size_t nlists, caplists;
	struct apt_index *ix; /* one per list, then the status file */
	struct upkg *pkgs;
	size_t npkgs;
	long *hash;
	size_t hmask;
	size_t missing, unreadable, unused;
	bool sources_bad;
	struct strbuf *rec; /* --cache-dir: the list being read's offers */
};

static void uctx_free(struct uctx *u)
{
	for (size_t i = 0; i < u->npkgs; i++) {
		for (size_t k = 0; k < u->pkgs[i].nvers; k++) {
			free(u->pkgs[i].vers[k].ver);
			free(u->pkgs[i].vers[k].files);
		}
		free(u->pkgs[i].vers);
	}
	free(u->pkgs);
	free(u->hash);
	for (size_t i = 0; i < u->nrels; i++) {
		free(u->rels[i].path);
		free(u->rels[i].site);
		apt_release_free(&u->rels[i].rel);
	}
	free(u->rels);
	for (size_t i = 0; i < u->nlists; i++) {
		free(u->lists[i].path);
		free(u->lists[i].component);
		free(u->lists[i].arch);
	}
	free(u->lists);
	free(u->ix);
	apt_conf_free(&u->conf);
	free(u->lists_dir);
	free(u->status_path);
	apt_sources_free(&u->srcs);
	apt_pins_free(&u->pins);
	strv_free(u->archs);
	free(u->native);
	dpkg_status_free(&u->st);
}

struct file_ref {
	struct probe_ctx *ctx;
	const char *path;
};

static void line_bad(void *userdata, unsigned line, const char *ja, const char *en)
{
	struct file_ref *ref = userdata;
	probe_line_error(ref->ctx, ref->path, line, ja, en);
}

static int grow_array(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* ---- dpkg: installed packages, architectures ---- */

static uint64_t hash_name(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static long find_name(const struct uctx *u, const char *s, size_t n)
{
	for (size_t i = hash_name(s, n) & u->hmask;; i = (i + 1) & u->hmask) {
		long k = u->hash[i];
		if (k < 0)
			return -1;
		const struct span *nm = &u->pkgs[k].dp->name;
		if (nm->len == n && memcmp(nm->s, s, n) == 0)
			return k;
	}
}

static int index_packages(struct uctx *u)
{
	size_t cap = 16;
	while (cap < u->st.n * 2 + 2)
		cap *= 2;
	u->hash = malloc(cap * sizeof(long));
	u->pkgs = calloc(u->st.n ? u->st.n : 1, sizeof(*u->pkgs));
	if (!u->hash || !u->pkgs)
		return -ENOMEM;
	memset(u->hash, 0xff, cap * sizeof(long));
	u->hmask = cap - 1;
	for (size_t i = 0; i < u->st.n; i++) {
		const struct dpkg_pkg *dp = &u->st.v[i];
		if (!dpkg_state_present(dp->state) || !dp->version.s)
			continue;
		struct upkg *p = &u->pkgs[u->npkgs];
		p->dp = dp;
		p->arch = span_eq(dp->arch, "all") || !dp->arch.s ? u->native : NULL;
		long first = find_name(u, dp->name.s, dp->name.len);
		p->next = -1;
		if (first >= 0) { /* same name, another architecture: chain it */
			p->next = u->pkgs[first].next;
			u->pkgs[first].next = (long)u->npkgs;
		} else {
			size_t h = hash_name(dp->name.s, dp->name.len) & u->hmask;
			while (u->hash[h] >= 0)
				h = (h + 1) & u->hmask;
			u->hash[h] = (long)u->npkgs;
		}
		u->npkgs++;
	}
	return 0;
}

/* Architecture strings of packages point into the status buffer; make
 * them C strings once (they are compared per list stanza). */
static int package_archs(struct uctx *u)
{
	for (size_t i = 0; i < u->npkgs; i++) {
		struct upkg *p = &u->pkgs[i];
		if (p->arch)
			continue;
		/* Borrow a matching configured architecture string if there is
		 * one (nearly always), else the native one (never matches). */
		p->arch = u->native;
		for (char **a = u->archs; a && *a; a++)
			if (span_eq(p->dp->arch, *a))
				p->arch = *a;
	}
	return 0;
}

static void foreign_arch_line(struct uctx *u, struct line *ln)
{
	const char *s = ln->s;
	size_t n = ln->len;
	str_trim(&s, &n);
	if (!n || (strlen(u->native) == n && memcmp(s, u->native, n) == 0))
		return;
	for (char **a = u->archs; a && *a; a++)
		if (strlen(*a) == n && memcmp(*a, s, n) == 0)
			return;
	size_t k = 0;
	while (u->archs[k])
		k++;
	char **nv = realloc(u->archs, (k + 2) * sizeof(char *));
	if (!nv)
		return;
	u->archs = nv;
	nv[k] = xstrndup(s, n);
	nv[k + 1] = NULL;
}

static void push_value(const char *value, void *userdata)
{
	char ***v = userdata;
	size_t k = 0;
	while (*v && (*v)[k])
		k++;
	char **nv = realloc(*v, (k + 2) * sizeof(char *));
	if (!nv)
		return;
	*v = nv;
	nv[k] = strdup(value);
	nv[k + 1] = NULL;
}

/* The native architecture (APT::Architecture, else dpkg's own) and the
 * list apt uses (APT::Architectures, else native + dpkg's foreign ones). */
static int read_archs(struct uctx *u)
{
	const char *conf_native = apt_conf_get(&u->conf, "apt::architecture");
	if (conf_native && *conf_native)
		u->native = strdup(conf_native);
	else if (u->st.native_arch.s)
		u->native = span_dup(u->st.native_arch);
	else
		u->native = strdup("amd64"); /* reported below */
	if (!u->native)
		return -ENOMEM;
	if (!conf_native && !u->st.native_arch.s)
		probe_msg(u->ctx,
			  "dpkg のネイティブアーキテクチャが分かりません (amd64 とみなします)",
			  "dpkg's native architecture is unknown (amd64 assumed)");
	if (apt_conf_list(&u->conf, "apt::architectures", push_value, &u->archs) > 0)
		return u->archs ? 0 : -ENOMEM;
	u->archs = calloc(2, sizeof(char *));
	if (!u->archs || !(u->archs[0] = strdup(u->native)))
		return -ENOMEM;
	_cleanup_buf_ struct buf b = {0};
	if (fsroot_read(u->ctx->root, "/var/lib/dpkg/arch", LIMIT_SMALL_FILE, &b) < 0)
		return 0;
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, b.data, b.len);
	while (line_iter_next(&it, &ln))
		foreign_arch_line(u, &ln);
	return 0;
}

/* dpkg's status as apt reads it: Dir::State::status (the default is
 * dpkg's own file; without it this is no dpkg system). */
static int read_status(struct uctx *u)
{
	static const char def[] = "/var/lib/dpkg/status";
	const char *path = u->status_path ? u->status_path : def;
	int r = fsroot_read_shared(u->ctx->root, path, LIMIT_DPKG_STATUS, &u->status_buf);
	if (r == -ENOENT && strcmp(path, def) == 0)
		return PROBE_RET_NOT_APPLICABLE;
	if (r < 0) {
		probe_file_error(u->ctx, path, r, false);
		return r;
	}
	struct file_ref ref = {u->ctx, path};
	return dpkg_status_parse(u->status_buf->data, u->status_buf->len, &u->st, line_bad, &ref);
}

/* ---- apt's configuration files ---- */

/* The names apt reads from a parts directory, sorted (new vector). */
static char **part_files(struct uctx *u, const char *dir, const char *ext, const char *ext2,
			 bool no_ext_ok)
{
	char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(u->ctx->root, dir, &names, &n);
	if (r < 0) {
		probe_file_error(u->ctx, dir, r, true);
		return NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool ok = apt_part_name_ok(names[i], ext, no_ext_ok) ||
			  (ext2 && apt_part_name_ok(names[i], ext2, false));
		if (ok) {
			names[k++] = names[i];
		} else {
			free(names[i]);
		}
	}
	names[k] = NULL;
	return names;
}

typedef int (*file_fn)(struct uctx *u, const char *path, const struct buf *b);

static int each_file(struct uctx *u, const char *path, file_fn fn)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(u->ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(u->ctx, path, r, true);
		return 0;
	}
	return fn(u, path, &b);
}

static int each_part(struct uctx *u, const char *dir, const char *ext, const char *ext2,
		     bool no_ext_ok, file_fn fn)
{
	_cleanup_strv_ char **names = part_files(u, dir, ext, ext2, no_ext_ok);
	for (char **n = names; n && *n; n++) {
		_cleanup_free_ char *p = path_join(dir, *n);
		if (!p)
			return -ENOMEM;
		int r = each_file(u, p, fn);
		if (r < 0)
			return r;
	}
	return 0;
}

/* apt stops at this depth of nested #include. */
#define APT_INCLUDE_DEPTH 10

struct conf_reader {
	struct uctx *u;
	unsigned depth;
	const char *file;
};

static int conf_read(struct uctx *u, const char *path, unsigned depth);

static int conf_parts(struct uctx *u, const char *dir, unsigned depth)
{
	_cleanup_strv_ char **names = part_files(u, dir, "conf", NULL, true);
	for (char **n = names; n && *n; n++) {
		_cleanup_free_ char *p = path_join(dir, *n);
		int r = p ? conf_read(u, p, depth) : -ENOMEM;
		if (r < 0)
			return r;
	}
	return 0;
}

/* "#include PATH": a file or, ending in "/", a directory of parts; a
 * relative name is taken from "/" (apt's working directory under cron
 * and systemd). A missing included file makes apt refuse to run. */
static int conf_include(void *userdata, const char *path, bool dir, unsigned line)
{
	struct conf_reader *cr = userdata;
	_cleanup_free_ char *abs = path[0] == '/' ? strdup(path) : path_join("/", path);
	if (!abs)
		return -ENOMEM;
	if (cr->depth >= APT_INCLUDE_DEPTH) {
		probe_line_error(cr->u->ctx, cr->file, line, "#include の入れ子が深すぎます",
				 "too many nested #include");
		probe_partial(cr->u->ctx);
		return 0;
	}
	if (dir)
		return conf_parts(cr->u, abs, cr->depth + 1);
	return conf_read(cr->u, abs, cr->depth + 1);
}

static int conf_read(struct uctx *u, const char *path, unsigned depth)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(u->ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(u->ctx, path, r, depth == 0);
		return 0;
	}
	struct conf_reader cr = {u, depth, path};
	struct apt_conf_include inc = {conf_include, &cr};
	struct file_ref ref = {u->ctx, path};
	return apt_conf_parse_with(&u->conf, b.data, b.len, &inc, line_bad, &ref);
}

/* A Dir:: setting resolved as apt resolves it (new); NULL with a message
 * when it names nothing usable in the root ("", "/dev/null", or relative
 * to a home directory). */
static char *conf_path(struct uctx *u, const char *key, bool dir)
{
	char *p = dir ? apt_conf_find_dir(&u->conf, key) : apt_conf_find_file(&u->conf, key);
	if (!p || (p[0] == '/' && strcmp(p, "/dev/null") != 0))
		return p;
	if (strncmp(p, "./", 2) == 0 || strncmp(p, "../", 3) == 0) {
		char *abs = path_join("/", p); /* apt's working directory: "/" */
		free(p);
		return abs;
	}
	if (strcmp(p, "/dev/null") != 0)
		probe_msg(u->ctx, "apt の %s (%s) はルートの中の場所を指していません",
			  "apt's %s (%s) names no place in the root", key, p);
	free(p);
	return NULL;
}

/* apt.conf.d then apt.conf, where Dir::Etc::parts and ::main say (a
 * setting in the parts can move the main file, as in apt), then where
 * apt keeps its state. */
static int read_conf_files(struct uctx *u)
{
	int r = apt_conf_defaults(&u->conf);
	_cleanup_free_ char *parts = r < 0 ? NULL : conf_path(u, "dir::etc::parts", true);
	if (r >= 0 && parts)
		r = conf_parts(u, parts, 0);
	_cleanup_free_ char *main_file = r < 0 ? NULL : conf_path(u, "dir::etc::main", false);
	if (r >= 0 && main_file)
		r = conf_read(u, main_file, 0);
	if (r < 0)
		return r;
	u->lists_dir = conf_path(u, "dir::state::lists", true);
	/* apt's debSystem sets the status file in dpkg's directory under
	 * Dir when nothing else did. */
	if (!apt_conf_get(&u->conf, "dir::state::status")) {
		_cleanup_free_ char *d = apt_conf_find_dir(&u->conf, "dir");
		_cleanup_free_ char *st = d ? path_join(d, "var/lib/dpkg/status") : NULL;
		if (!st || apt_conf_set(&u->conf, "dir::state::status", st) < 0)
			return -ENOMEM;
	}
	u->status_path = conf_path(u, "dir::state::status", false);
	return 0;
}

static int sources_file(struct uctx *u, const char *path, const struct buf *b)
{
	struct file_ref ref = {u->ctx, path};
	size_t n = strlen(path);
	bool deb822 = n > 8 && strcmp(path + n - 8, ".sources") == 0;
	int r = deb822 ? apt_sources_parse_deb822(&u->srcs, path, b->data, b->len, u->native,
						  line_bad, &ref)
		       : apt_sources_parse_list(&u->srcs, path, b->data, b->len, u->native,
						line_bad, &ref);
	if (r == -EBADMSG) {
		u->sources_bad = true;
		probe_partial(u->ctx);
		return 0;
	}
	if (r == -E2BIG) {
		probe_msg(u->ctx, "%s: ソースが多すぎます (上限 %u)",
			  "%s: too many sources (limit %u)", path, LIMIT_APT_SOURCES);
		return 0;
	}
	return r;
}

static int prefs_file(struct uctx *u, const char *path, const struct buf *b)
{
	struct file_ref ref = {u->ctx, path};
	int r = apt_prefs_parse(&u->pins, path, b->data, b->len, line_bad, &ref);
	if (r == -EBADMSG || r == -E2BIG) {
		probe_partial(u->ctx);
		return 0;
	}
	return r;
}

int updates_apt_conf(struct probe_ctx *ctx, struct apt_conf *ret)
{
	_cleanup_(uctx_free) struct uctx u = {.ctx = ctx};
	int r = read_conf_files(&u);
	if (r < 0)
		return r;
	*ret = u.conf;
	u.conf = (struct apt_conf){0};
	return 0;
}

/* sources.list before its parts, and preferences before its parts,
 * each where its Dir::Etc:: setting says. */
static int read_config(struct uctx *u)
{
	_cleanup_free_ char *list = conf_path(u, "dir::etc::sourcelist", false);
	_cleanup_free_ char *list_d = conf_path(u, "dir::etc::sourceparts", true);
	_cleanup_free_ char *prefs = conf_path(u, "dir::etc::preferences", false);
	_cleanup_free_ char *prefs_d = conf_path(u, "dir::etc::preferencesparts", true);
	int r = read_archs(u);
	if (r >= 0 && list)
		r = each_file(u, list, sources_file);
	if (r >= 0 && list_d)
		r = each_part(u, list_d, "list", "sources", false, sources_file);
	if (r >= 0 && prefs)
		r = each_file(u, prefs, prefs_file);
	if (r >= 0 && prefs_d)
		r = each_part(u, prefs_d, "pref", NULL, true, prefs_file);
	return r;
}

/* ---- which lists: from the sources ---- */

static bool in_strv(char **v, const char *s)
{
	for (; v && *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

/* The architectures apt fetches for a source (new vector). */
static char **source_archs(const struct uctx *u, const struct apt_source *s)
{
	char **base = s->archs ? s->archs : u->archs, **out = calloc(1, sizeof(char *));
	size_t n = 0;
	for (int pass = 0; out && pass < 2; pass++) {
		for (char **a = pass ? s->archs_add : base; a && *a; a++) {
			if (in_strv(out, *a) || in_strv(s->archs_remove, *a))
				continue;
			char **nv = realloc(out, (n + 2) * sizeof(char *));
			if (!nv)
				break;
			out = nv;
			out[n] = strdup(*a);
			out[++n] = NULL;
		}
	}
	return out;
}

static bool flat(const struct apt_source *s)
{
	size_t n = strlen(s->suite);
	return n && s->suite[n - 1] == '/';
}

/* The path in the root of apt's copy of uri + rel (new). */
static char *list_path(const struct uctx *u, const struct apt_source *s, const char *rel)
{
	_cleanup_free_ char *uri = NULL, *name = NULL;
	if (asprintf(&uri, "%s%s%s%s", s->uri, flat(s) ? "" : "dists/", s->suite, rel) < 0)
		return NULL;
	name = apt_uri_to_filename(uri);
	/* No usable Dir::State::lists (said already): a place that cannot
	 * exist, so every list reads as unreadable, never as current. */
	return name ? path_join(u->lists_dir ? u->lists_dir : "/dev/null/", name) : NULL;
}

/* Find or add the Release of a source: InRelease, else Release. */
static long source_release(struct uctx *u, const struct apt_source *s)
{
	_cleanup_free_ char *in = list_path(u, s, flat(s) ? "InRelease" : "/InRelease");
	_cleanup_free_ char *plain = list_path(u, s, flat(s) ? "Release" : "/Release");
	if (!in || !plain)
		return -ENOMEM;
	for (size_t i = 0; i < u->nrels; i++)
		if (strcmp(u->rels[i].path, in) == 0 || strcmp(u->rels[i].path, plain) == 0)
			return (long)i;
	if (grow_array((void **)&u->rels, &u->caprels, u->nrels, sizeof(*u->rels)) < 0)
		return -ENOMEM;
	struct urel *r = &u->rels[u->nrels];
	*r = (struct urel){0};
	bool have_in = fsroot_stat(u->ctx->root, in, true, &r->st) == 0;
	if (!have_in && fsroot_stat(u->ctx->root, plain, true, &r->st) == 0) {
		r->path = TAKE_PTR(plain);
	} else {
		r->path = TAKE_PTR(in);
	}
	r->site = apt_uri_site(s->uri);
	if (!r->site)
		return -ENOMEM;
	return (long)u->nrels++;
}

static void read_release(struct uctx *u, struct urel *r)
{
	_cleanup_buf_ struct buf b = {0};
	int e = fsroot_read(u->ctx->root, r->path, LIMIT_RELEASE_FILE, &b);
	if (e == -ENOENT) {
		probe_msg(u->ctx, "%s がありません (apt update が未実行か失敗しています)",
			  "%s is missing (apt update not run, or it failed)", r->path);
		return;
	}
	if (e < 0) {
		probe_file_error(u->ctx, r->path, e, false);
		return;
	}
	if (apt_release_parse(b.data, b.len, &r->rel) < 0) {
		probe_msg(u->ctx, "%s: Release として読めません", "%s: not a readable Release file",
			  r->path);
		probe_partial(u->ctx);
		return;
	}
	r->ok = true;
}

static const enum comp list_comps[] = {COMP_NONE, COMP_LZ4,   COMP_ZSTD, COMP_GZIP,
				       COMP_XZ,	  COMP_BZIP2, COMP_LZMA};

/* Add the list at path (any compression suffix present), once. */
static int add_list(struct uctx *u, const struct apt_source *s, long rel, const char *path,
		    const char *comp, const char *arch, bool optional, bool *found)
{
	*found = false;
	for (size_t i = 0; i < ARRAY_SIZE(list_comps); i++) {
		_cleanup_free_ char *p = NULL;
		struct stat st;
		if (asprintf(&p, "%s%s", path, comp_suffix(list_comps[i])) < 0)
			return -ENOMEM;
		if (fsroot_stat(u->ctx->root, p, true, &st) < 0)
			continue;
		*found = true;
		for (size_t k = 0; k < u->nlists; k++)
			if (strcmp(u->lists[k].path, p) == 0)
				return 0; /* named twice: apt reads it once */
		if (u->nlists >= LIMIT_APT_LISTS ||
		    grow_array((void **)&u->lists, &u->caplists, u->nlists, sizeof(*u->lists)) < 0)
			return -ENOMEM;
		u->lists[u->nlists++] = (struct ulist){.path = TAKE_PTR(p),
						       .comp = list_comps[i],
						       .src = s,
						       .rel = rel,
						       .component = strdup(comp),
						       .arch = strdup(arch),
						       .packages = -1,
						       .st = st};
		return 0;
	}
	if (!optional)
		u->missing++;
	return 0;
}

/* What one source gave: its Release and how many lists. */
struct src_info {
	long rel;
	unsigned found, missing;
};

static int source_lists(struct uctx *u, const struct apt_source *s, struct src_info *si)
{
	long rel = source_release(u, s);
	if (rel < 0)
		return (int)rel;
	si->rel = rel;
	_cleanup_strv_ char **archs = source_archs(u, s);
	static char *flat_comp[] = {"", NULL};
	char **comps = flat(s) ? flat_comp : s->components;
	size_t before = u->missing;
	for (char **c = comps; c && *c; c++) {
		for (size_t a = 0; archs && (a == 0 || archs[a - 1]); a++) {
			/* binary-all lists exist only for some archives. */
			const char *arch = archs[a] ? archs[a] : "all";
			_cleanup_free_ char *rp = NULL, *path = NULL;
			if (flat(s) ? asprintf(&rp, "Packages") < 0
				    : asprintf(&rp, "/%s/binary-%s/Packages", *c, arch) < 0)
				return -ENOMEM;
			if (!(path = list_path(u, s, rp)))
				return -ENOMEM;
			bool found;
			int r = add_list(u, s, rel, path, *c, arch, !archs[a], &found);
			if (r < 0)
				return r;
			si->found += found;
			if (flat(s))
				break;
		}
	}
	si->missing = (unsigned)(u->missing - before);
	return 0;
}

/* ---- reading the lists ---- */

enum { PF_PACKAGE, PF_VERSION, PF_ARCH, PF_PHASED, PF_COUNT };
static const char *const pkg_fields[PF_COUNT] = {"Package", "Version", "Architecture",
						 "Phased-Update-Percentage"};

static int add_version(struct upkg *p, struct span ver, size_t file, unsigned phased, bool all)
{
	struct uver *v = NULL;
	for (size_t i = 0; i < p->nvers && !v; i++)
		if (p->vers[i].len == ver.len && memcmp(p->vers[i].ver, ver.s, ver.len) == 0)
			v = &p->vers[i];
	if (!v) {
		if (grow_array((void **)&p->vers, &p->capvers, p->nvers, sizeof(*p->vers)) < 0)
			return -ENOMEM;
		v = &p->vers[p->nvers];
		*v = (struct uver){
		    .ver = span_dup(ver), .len = ver.len, .phased = phased, .arch_all = all};
		if (!v->ver)
			return -ENOMEM;
		p->nvers++;
	}
	for (size_t i = 0; i < v->nfiles; i++)
		if (v->files[i] == file)
			return 0;
	if (grow_array((void **)&v->files, &v->capfiles, v->nfiles, sizeof(size_t)) < 0)
		return -ENOMEM;
	v->files[v->nfiles++] = file;
	return 0;
}

static unsigned phased_value(struct span s)
{
	long v;
	if (!s.s || parse_long_n(s.s, s.len, &v) < 0 || v < 0 || v > 100)
		return 100;
	return (unsigned)v;
}

/* A version a list offers for the installed name k (the first of its
 * architectures): each installed architecture it applies to gets it. */
static int offer(struct uctx *u, long k, struct span ver, struct span arch_field, unsigned phased,
		 size_t file)
{
	const char *arch = span_eq(arch_field, "all") ? u->native : NULL;
	for (; k >= 0; k = u->pkgs[k].next) {
		struct upkg *p = &u->pkgs[k];
		if (arch ? strcmp(p->arch, arch) != 0 : !span_eq(arch_field, p->arch))
			continue;
		int r = add_version(p, ver, file, phased, arch != NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The cache of a list's offers (--cache-dir): what reading a list gave
 * depends only on its bytes and on which names are installed (dpkg's
 * status), not on the architectures, pins or the time, which are applied
 * again when the offers are replayed. The item is a blob: the stanza
 * count (8 bytes), then per offer of an installed name, in list order,
 * the phased percentage (1 byte) and the name, version and Architecture
 * field, each as a 4-byte length and the bytes. */
static int rec_span(struct strbuf *sb, struct span s)
{
	uint32_t n = (uint32_t)s.len;
	int r = strbuf_append(sb, (const char *)&n, sizeof(n));
	return r < 0 ? r : strbuf_append(sb, s.s, s.len);
}

static int offer_record(struct strbuf *sb, unsigned phased, struct span name, struct span ver,
			struct span arch)
{
	char p = (char)phased;
	int r = strbuf_append(sb, &p, 1);
	if (r == 0)
		r = rec_span(sb, name);
	if (r == 0)
		r = rec_span(sb, ver);
	return r < 0 ? r : rec_span(sb, arch);
}

static bool take_span(const char *data, size_t len, size_t *pos, struct span *out)
{
	uint32_t n;
	if (len - *pos < sizeof(n))
		return false;
	memcpy(&n, data + *pos, sizeof(n));
	*pos += sizeof(n);
	if (len - *pos < n)
		return false;
	*out = (struct span){data + *pos, n};
	*pos += n;
	return true;
}

/* Walk a cached item: with apply false only check it is well formed;
 * with apply true give its offers to the installed packages. */
static int offers_walk(struct uctx *u, const char *data, size_t len, size_t file, bool apply)
{
	size_t pos = sizeof(int64_t);
	if (len < pos)
		return -EBADMSG;
	while (pos < len) {
		struct span name, ver, arch;
		unsigned phased = (unsigned char)data[pos++];
		if (phased > 100 || !take_span(data, len, &pos, &name) ||
		    !take_span(data, len, &pos, &ver) || !take_span(data, len, &pos, &arch) ||
		    !ver.len)
			return -EBADMSG;
		long k = apply ? find_name(u, name.s, name.len) : -1;
		int r = k >= 0 ? offer(u, k, ver, arch, phased, file) : 0;
		if (r < 0)
			return r;
	}
	return 0;
}

/* One stanza of a Packages list: only installed names are looked at. */
static int list_stanza(struct uctx *u, const struct deb822_para *para, size_t file)
{
	struct span f[PF_COUNT];
	if (deb822_get(para, false, pkg_fields, f, 1) == 0)
		return 0;
	long k = find_name(u, f[PF_PACKAGE].s, f[PF_PACKAGE].len);
	if (k < 0)
		return 0;
	deb822_get(para, false, pkg_fields, f, PF_COUNT);
	if (!f[PF_VERSION].s || !f[PF_VERSION].len || !f[PF_ARCH].s)
		return 0;
	unsigned phased = phased_value(f[PF_PHASED]);
	if (u->rec && offer_record(u->rec, phased, f[PF_PACKAGE], f[PF_VERSION], f[PF_ARCH]) < 0)
		u->rec = NULL; /* too large to keep: the list is read, not cached */
	return offer(u, k, f[PF_VERSION], f[PF_ARCH], phased, file);
}

struct window {
	char *buf;
	size_t cap, len, pos;
	bool eof;
};

/* Move the unread rest to the front and read more, growing the window
 * up to LIMIT_PARAGRAPH when one stanza does not fit. */
static int refill(struct window *w, struct decomp *d)
{
	memmove(w->buf, w->buf + w->pos, w->len - w->pos);
	w->len -= w->pos;
	w->pos = 0;
	if (w->len == w->cap) {
		if (w->cap * 2 > LIMIT_PARAGRAPH)
			return -E2BIG;
		char *nb = realloc(w->buf, w->cap * 2 + 1);
		if (!nb)
			return -ENOMEM;
		w->buf = nb;
		w->cap *= 2;
	}
	size_t n;
	int r = decomp_read(d, w->buf + w->len, w->cap - w->len, &n);
	if (r < 0)
		return r;
	w->len += n;
	w->eof = n == 0;
	return 0;
}

static int stream_list(struct uctx *u, struct ulist *l, struct decomp *d, size_t file)
{
	struct window w = {.buf = malloc(WINDOW + 1), .cap = WINDOW};
	int r = w.buf ? 0 : -ENOMEM;
	unsigned line = 1;
	l->packages = 0;
	while (r == 0) {
		size_t start, len, consumed;
		unsigned lines;
		int got = deb822_split(w.buf + w.pos, w.len - w.pos, w.eof, &start, &len, &consumed,
				       &lines);
		if (got == 1) {
			struct deb822_para para = {w.buf + w.pos + start, len, line};
			r = list_stanza(u, &para, file);
			l->packages++;
			w.pos += consumed;
			line += lines;
		} else if (w.eof) {
			break;
		} else {
			r = refill(&w, d);
		}
	}
	free(w.buf);
	return r;
}

static void list_error(struct uctx *u, struct ulist *l, int err)
{
	l->err = err;
	l->packages = -1;
	u->unreadable++;
	probe_partial(u->ctx);
	if (err == -EOPNOTSUPP)
		probe_msg(u->ctx, "%s: %s 圧縮は読めません", "%s: %s compression is not supported",
			  l->path, comp_name(l->comp));
	else if (err == -EBADMSG)
		probe_msg(u->ctx, "%s: 壊れているか途中で切れています", "%s: corrupt or truncated",
			  l->path);
	else if (err == -E2BIG)
		probe_msg(u->ctx, "%s: 記述が大きすぎます", "%s: a stanza is too large", l->path);
	else
		probe_file_error(u->ctx, l->path, err, false);
}

/* The cache key of list l's offers and its inputs: the list and the
 * status file that says which names are installed (named in the key
 * too: Dir::State::status may point elsewhere next time). */
static char *list_key(const struct uctx *u, const struct ulist *l, const char *in[3])
{
	char *k = NULL;
	in[0] = l->path;
	in[1] = u->status_path ? u->status_path : "/var/lib/dpkg/status";
	in[2] = NULL;
	return asprintf(&k, "updates:list:%s:%s", in[1], l->path) < 0 ? NULL : k;
}

/* Serve list i from the cache: true when its offers were replayed. */
static bool list_cached(struct uctx *u, size_t i)
{
	const char *in[3];
	size_t len;
	_cleanup_free_ char *key = u->ctx->cache ? list_key(u, &u->lists[i], in) : NULL;
	const char *data = key ? cache_get_blob(u->ctx->cache, key, &len) : NULL;
	int64_t n;
	if (!data || offers_walk(u, data, len, i, false) < 0)
		return false;
	memcpy(&n, data, sizeof(n));
	if (n < 0 || offers_walk(u, data, len, i, true) < 0)
		return false; /* only -ENOMEM: what was added stays, as when reading */
	u->lists[i].packages = (long)n;
	return true;
}

static void read_list(struct uctx *u, size_t i)
{
	struct ulist *l = &u->lists[i];
	_cleanup_close_ int fd = -1;
	_cleanup_decomp_ struct decomp *d = NULL;
	struct stat st;
	struct strbuf rec;
	if (list_cached(u, i))
		return;
	strbuf_init(&rec, CACHE_MAX_BYTES / 4);
	int64_t zero = 0;
	if (u->ctx->cache && strbuf_append(&rec, (const char *)&zero, sizeof(zero)) == 0)
		u->rec = &rec;
	int r = fsroot_open_file(u->ctx->root, l->path, &fd, &st);
	if (r == 0)
		r = decomp_open_fd(l->comp, fd, LIMIT_COMPRESSED, LIMIT_DECOMPRESSED, &d);
	if (r == 0)
		r = stream_list(u, l, d, i);
	bool recorded = u->rec != NULL;
	u->rec = NULL;
	if (r < 0) {
		list_error(u, l, r); /* errors are not cached: read again next time */
	} else if (recorded) {
		const char *in[3];
		_cleanup_free_ char *key = list_key(u, l, in);
		int64_t n = l->packages;
		memcpy(rec.s, &n, sizeof(n));
		if (key)
			cache_put_blob(u->ctx->cache, key, in, rec.s, rec.len);
	}
	strbuf_free(&rec);
}

/* ---- candidates ---- */

struct vsort {
	struct apt_version v;
	unsigned phased;
	bool arch_all;
};

static int vsort_cmp(const void *a, const void *b)
{
	const struct vsort *x = a, *y = b;
	return debver_cmp(y->v.ver, y->v.len, x->v.ver, x->v.len);
}

/* The installed version joins the list versions with the status file. */
static int add_installed(struct uctx *u, struct upkg *p)
{
	return add_version(p, p->dp->version, u->nlists, 100, span_eq(p->dp->arch, "all"));
}

/* Add s to the array of strings a unless it is there already. */
static void add_unique(json_t *a, const char *s)
{
	size_t i;
	json_t *e;
	if (!s)
		return;
	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(e), s) == 0)
			return;
	json_array_append_new(a, json_str(s));
}

static void index_names(const struct uctx *u, const struct apt_version *v, json_t *suites,
			json_t *codenames, json_t *origins)
{
	for (size_t i = 0; i < v->nfiles; i++) {
		const struct apt_release *r = u->ix[v->files[i]].rel;
		if (!r)
			continue;
		add_unique(suites, r->suite);
		add_unique(codenames, r->codename);
		add_unique(origins, r->origin);
	}
}

/* Days since the oldest Release date among the candidate's indexes. */
static json_t *available_days(const struct uctx *u, const struct apt_version *v)
{
	bool any = false;
	time_t oldest = 0;
	for (size_t i = 0; i < v->nfiles; i++) {
		const struct apt_release *r = u->ix[v->files[i]].rel;
		if (!r || !r->has_date)
			continue;
		if (!any || r->date < oldest)
			oldest = r->date;
		any = true;
	}
	return any ? json_integer(days_between(oldest, u->ctx->now)) : json_null();
}

static bool version_security(const struct uctx *u, const struct apt_version *v)
{
	for (size_t i = 0; i < v->nfiles; i++)
		if (apt_index_is_security(&u->ix[v->files[i]]))
			return true;
	return false;
}

static json_t *update_json(const struct uctx *u, const struct upkg *p, const struct vsort *cand)
{
	json_t *o = json_object(), *suites = json_array(), *codes = json_array(),
	       *origins = json_array();
	if (!o || !suites || !codes || !origins) {
		json_decref(o);
		json_decref(suites);
		json_decref(codes);
		json_decref(origins);
		return NULL;
	}
	index_names(u, &cand->v, suites, codes, origins);
	const struct dpkg_pkg *dp = p->dp;
	json_set(o, "name", json_bytes(dp->name.s, dp->name.len));
	json_set(o, "architecture", json_str(cand->arch_all ? "all" : p->arch));
	json_set(o, "installed_version", json_bytes(dp->version.s, dp->version.len));
	json_set(o, "candidate_version", json_bytes(cand->v.ver, cand->v.len));
	json_set(o, "security", json_boolean(version_security(u, &cand->v)));
	json_set(o, "suites", suites);
	json_set(o, "codenames", codes);
	json_set(o, "origins", origins);
	json_set(o, "source",
		 dp->source.s ? json_bytes(dp->source.s, dp->source.len)
			      : json_bytes(dp->name.s, dp->name.len));
	json_set(o, "held", json_boolean(dp->want == DPKG_WANT_HOLD));
	json_set(o, "phased_percentage", json_integer(cand->phased));
	json_set(o, "available_days", available_days(u, &cand->v));
	/* the rpm-only columns: apt's candidate is always an upgrade */
	json_set(o, "kind", json_string("upgrade"));
	json_set(o, "candidate_name", json_bytes(dp->name.s, dp->name.len));
	json_set(o, "obsoleted_by", json_null());
	json_set(o, "installed_architecture", json_str(p->arch));
	json_set(o, "installonly", json_false());
	json_set(o, "severity", json_null());
	json_set(o, "advisories", json_array());
	json_set(o, "cves", json_array());
	return o;
}

/* Decide one package; appends to updates if its candidate is newer. */
static int package_candidate(struct uctx *u, struct upkg *p, json_t *updates, size_t *nsec)
{
	int r = add_installed(u, p);
	if (r < 0)
		return r;
	_cleanup_free_ struct vsort *vs = calloc(p->nvers, sizeof(*vs));
	_cleanup_free_ int *prio = calloc(p->nvers, sizeof(int));
	_cleanup_free_ struct apt_version *vers = calloc(p->nvers, sizeof(*vers));
	if (!vs || !prio || !vers)
		return -ENOMEM;
	for (size_t i = 0; i < p->nvers; i++)
		vs[i] = (struct vsort){
		    {p->vers[i].ver, p->vers[i].len, p->vers[i].files, p->vers[i].nfiles},
		    p->vers[i].phased,
		    p->vers[i].arch_all};
	qsort(vs, p->nvers, sizeof(*vs), vsort_cmp);
	struct apt_pkg_id id = {p->dp->name.s, p->dp->name.len, p->arch, u->native};
	long installed = -1;
	for (size_t i = 0; i < p->nvers; i++) {
		vers[i] = vs[i].v;
		bool inst = vs[i].v.len == p->dp->version.len &&
			    memcmp(vs[i].v.ver, p->dp->version.s, vs[i].v.len) == 0;
		if (inst)
			installed = (long)i;
		prio[i] = apt_version_priority(&u->pins, &id, &vers[i], inst, u->ix);
	}
	long c = apt_candidate(vers, prio, p->nvers, installed);
	if (c < 0 || installed < 0 ||
	    debver_cmp(vers[c].ver, vers[c].len, vers[installed].ver, vers[installed].len) <= 0)
		return 0;
	json_t *o = update_json(u, p, &vs[c]);
	if (!o || json_array_append_new(updates, o) < 0)
		return -ENOMEM;
	*nsec += json_is_true(json_object_get(o, "security"));
	return 0;
}

static int build_indexes(struct uctx *u, bool *default_ok)
{
	u->ix = calloc(u->nlists + 1, sizeof(*u->ix));
	if (!u->ix)
		return -ENOMEM;
	for (size_t i = 0; i < u->nlists; i++) {
		const struct ulist *l = &u->lists[i];
		const struct urel *r = l->rel >= 0 ? &u->rels[l->rel] : NULL;
		u->ix[i] = (struct apt_index){.rel = r && r->ok ? &r->rel : NULL,
					      .site = r ? r->site : "",
					      .component = l->component,
					      .arch = l->arch};
	}
	u->ix[u->nlists] = (struct apt_index){.site = "", .component = "now", .is_status = true};
	apt_index_priorities(u->ix, u->nlists + 1, &u->pins,
			     apt_conf_get(&u->conf, "apt::default-release"), default_ok);
	return 0;
}

/* ---- JSON for sources, lists, summary ---- */

/* The URI without user:password. */
static json_t *uri_json(const char *uri)
{
	const char *scheme = strstr(uri, "://");
	const char *auth = scheme ? scheme + 3 : NULL;
	const char *slash = auth ? strchr(auth, '/') : NULL;
	const char *at =
	    auth ? memchr(auth, '@', slash ? (size_t)(slash - auth) : strlen(auth)) : NULL;
	if (!at)
		return json_str(uri);
	_cleanup_free_ char *clean = NULL;
	if (asprintf(&clean, "%.*s%s", (int)(auth - uri), uri, at + 1) < 0)
		return NULL;
	return json_str(clean);
}

static json_t *time_json(bool have, time_t t)
{
	char s[32];
	if (!have)
		return json_null();
	time_rfc3339(t, s);
	return json_string(s);
}

static json_t *source_json(const struct uctx *u, const struct apt_source *s, long rel,
			   unsigned found, unsigned missing)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	_cleanup_strv_ char **archs = source_archs(u, s);
	const struct urel *r = rel >= 0 ? &u->rels[rel] : NULL;
	struct apt_index ix = {.rel = r && r->ok ? &r->rel : NULL};
	json_set(o, "file", json_str(s->file));
	json_set(o, "line", json_integer(s->line));
	json_set(o, "format", json_string(s->deb822 ? "deb822" : "one-line"));
	json_set(o, "type", json_string(s->src ? "deb-src" : "deb"));
	json_set(o, "enabled", json_boolean(s->enabled));
	json_set(o, "uri", uri_json(s->uri));
	json_set(o, "suite", json_str(s->suite));
	json_set(o, "components", strv_json(s->components));
	json_set(o, "architectures", strv_json(archs));
	json_set(o, "signed_by", json_boolean(s->signed_by));
	json_set(o, "trusted", json_boolean(s->trusted));
	json_set(o, "security", r ? json_boolean(apt_index_is_security(&ix)) : json_null());
	json_set(o, "release_found", json_boolean(r && r->ok));
	json_set(o, "lists_found", json_integer(found));
	json_set(o, "lists_missing", json_integer(missing));
	return o;
}

static int gather_lists(struct uctx *u, struct src_info *si)
{
	for (size_t i = 0; i < u->srcs.n; i++) {
		const struct apt_source *s = &u->srcs.v[i];
		si[i] = (struct src_info){.rel = -1};
		if (!s->enabled || s->src)
			continue;
		int r = source_lists(u, s, &si[i]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < u->nrels; i++)
		read_release(u, &u->rels[i]);
	return 0;
}

static int sources_json(const struct uctx *u, const struct src_info *si, json_t *out)
{
	for (size_t i = 0; i < u->srcs.n; i++) {
		json_t *o = source_json(u, &u->srcs.v[i], si[i].rel, si[i].found, si[i].missing);
		if (!o || json_array_append_new(out, o) < 0)
			return -ENOMEM;
	}
	return 0;
}

static json_t *days_json(bool have, time_t from, time_t now)
{
	return have ? json_integer(days_between(from, now)) : json_null();
}

static void release_fields(json_t *o, const struct apt_release *r, time_t now)
{
	json_set(o, "origin", json_str(r ? r->origin : NULL));
	json_set(o, "label", json_str(r ? r->label : NULL));
	json_set(o, "suite", json_str(r ? r->suite : NULL));
	json_set(o, "codename", json_str(r ? r->codename : NULL));
	json_set(o, "version", json_str(r ? r->version : NULL));
	json_set(o, "date", time_json(r && r->has_date, r ? r->date : 0));
	json_set(o, "valid_until", time_json(r && r->has_valid_until, r ? r->valid_until : 0));
	json_set(o, "expired",
		 r ? json_boolean(r->has_valid_until && r->valid_until < now) : json_null());
	json_set(o, "age_days", days_json(r && r->has_date, r ? r->date : 0, now));
}

static json_t *list_json(const struct uctx *u, size_t i)
{
	const struct ulist *l = &u->lists[i];
	json_t *o = json_object();
	_cleanup_free_ char *src = NULL;
	if (!o || asprintf(&src, "%s:%u", l->src->file, l->src->line) < 0) {
		json_decref(o);
		return NULL;
	}
	json_set(o, "path", json_str(l->path));
	json_set(o, "used", json_true());
	json_set(o, "compression", json_string(comp_name(l->comp)));
	json_set(o, "source", json_str(src));
	release_fields(o, u->ix[i].rel, u->ctx->now);
	json_set(o, "component", json_str(l->component));
	json_set(o, "architecture", json_str(l->arch));
	json_set(o, "mtime", time_json(true, l->st.st_mtime));
	json_set(o, "fetched_days", days_json(true, l->st.st_mtime, u->ctx->now));
	json_set(o, "priority", json_integer(u->ix[i].priority));
	json_set(o, "security", json_boolean(apt_index_is_security(&u->ix[i])));
	json_set(o, "packages", l->packages >= 0 ? json_integer(l->packages) : json_null());
	json_set(o, "error", l->err ? json_string(strerror(-l->err)) : json_null());
	return o;
}

static bool is_list_name(const char *name)
{
	const char *p = strstr(name, "_Packages");
	if (!p)
		return false;
	p += 9;
	for (size_t i = 0; i < ARRAY_SIZE(list_comps); i++)
		if (strcmp(p, comp_suffix(list_comps[i])) == 0)
			return true;
	return false;
}

/* Lists in the directory that no source names: apt ignores them. */
static json_t *unused_list_json(struct uctx *u, const char *path, const char *name)
{
	json_t *o = json_object();
	struct stat st;
	if (!o)
		return NULL;
	bool have = fsroot_stat(u->ctx->root, path, true, &st) == 0;
	json_set(o, "path", json_str(path));
	json_set(o, "used", json_false());
	json_set(o, "compression", json_string(comp_name(comp_from_name(name))));
	json_set(o, "source", json_null());
	release_fields(o, NULL, u->ctx->now);
	static const char *const nulls[] = {"component", "architecture", "priority", "security",
					    "packages"};
	for (size_t i = 0; i < ARRAY_SIZE(nulls); i++)
		json_set(o, nulls[i], json_null());
	json_set(o, "mtime", time_json(have, have ? st.st_mtime : 0));
	json_set(o, "fetched_days", days_json(have, have ? st.st_mtime : 0, u->ctx->now));
	json_set(o, "error", json_null());
	return o;
}

static int lists_json(struct uctx *u, json_t *out)
{
	for (size_t i = 0; i < u->nlists; i++) {
		json_t *o = list_json(u, i);
		if (!o || json_array_append_new(out, o) < 0)
			return -ENOMEM;
	}
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	if (!u->lists_dir || fsroot_list(u->ctx->root, u->lists_dir, &names, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *p = path_join(u->lists_dir, names[i]);
		bool used = false;
		if (!p)
			return -ENOMEM;
		for (size_t k = 0; k < u->nlists && !used; k++)
			used = strcmp(u->lists[k].path, p) == 0;
		if (used || !is_list_name(names[i]))
			continue;
		u->unused++;
		json_t *o = unused_list_json(u, p, names[i]);
		if (!o || json_array_append_new(out, o) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- the summary ---- */

struct freshness {
	bool have_date, have_mtime, security;
	time_t date, mtime;
	size_t read_ok;
};

/* The newest Release date and mtime among the releases whose lists were
 * read: how recent apt's knowledge is. */
static void freshness(const struct uctx *u, struct freshness *f)
{
	*f = (struct freshness){0};
	for (size_t i = 0; i < u->nlists; i++) {
		const struct ulist *l = &u->lists[i];
		if (l->err || l->rel < 0)
			continue;
		f->read_ok++;
		const struct urel *r = &u->rels[l->rel];
		f->security |= apt_index_is_security(&u->ix[i]);
		if (r->ok && r->rel.has_date && (!f->have_date || r->rel.date > f->date)) {
			f->date = r->rel.date;
			f->have_date = true;
		}
		if (r->ok && (!f->have_mtime || r->st.st_mtime > f->mtime)) {
			f->mtime = r->st.st_mtime;
			f->have_mtime = true;
		}
	}
}

static json_t *summary_json(const struct uctx *u, size_t pending, size_t nsec)
{
	struct freshness f;
	freshness(u, &f);
	json_t *o = json_object();
	if (!o)
		return NULL;
	size_t enabled = 0;
	for (size_t i = 0; i < u->srcs.n; i++)
		enabled += u->srcs.v[i].enabled && !u->srcs.v[i].src;
	bool known = f.read_ok > 0;
	const char *defrel = apt_conf_get(&u->conf, "apt::default-release");
	json_set(o, "apt", json_boolean(enabled > 0));
	json_set(o, "native_architecture", json_str(u->native));
	json_set(o, "architectures", strv_json(u->archs));
	json_set(o, "sources", json_integer((json_int_t)enabled));
	json_set(o, "lists_used", json_integer((json_int_t)f.read_ok));
	json_set(o, "lists_missing", json_integer((json_int_t)u->missing));
	json_set(o, "lists_unreadable", json_integer((json_int_t)u->unreadable));
	json_set(o, "lists_unused", json_integer((json_int_t)u->unused));
	json_set(o, "lists_date", time_json(f.have_date, f.date));
	json_set(o, "lists_age_days", days_json(f.have_date, f.date, u->ctx->now));
	json_set(o, "lists_fetched", time_json(f.have_mtime, f.mtime));
	json_set(o, "lists_fetched_days", days_json(f.have_mtime, f.mtime, u->ctx->now));
	json_set(o, "security_source", json_boolean(f.security));
	json_set(o, "default_release", json_str(defrel));
	json_set(o, "pins", json_integer((json_int_t)u->pins.n));
	json_set(o, "complete",
		 json_boolean(known && !u->missing && !u->unreadable && !u->sources_bad));
	json_set(o, "pending", known ? json_integer((json_int_t)pending) : json_null());
	json_set(o, "pending_security",
		 known && f.security ? json_integer((json_int_t)nsec) : json_null());
	json_set(o, "manager", json_string("apt"));
	return o;
}

/* ---- history and automatic updates ---- */

struct hist {
	bool has_upgrade, has_run;
	time_t last_upgrade, last_run;
	long upgrades;
};

static void hist_apt(const struct pkg_log_event *ev, void *userdata)
{
	struct hist *h = userdata;
	if (!h->has_run || ev->when > h->last_run)
		h->last_run = ev->when;
	h->has_run = true;
	h->upgrades += ev->upgrades;
	if (ev->upgrades && (!h->has_upgrade || ev->when > h->last_upgrade)) {
		h->last_upgrade = ev->when;
		h->has_upgrade = true;
	}
}

static void hist_dpkg(const struct pkg_log_event *ev, void *userdata)
{
	struct hist *h = userdata;
	if (ev->upgrades && (!h->has_upgrade || ev->when > h->last_upgrade)) {
		h->last_upgrade = ev->when;
		h->has_upgrade = true;
	}
}

/* A log, live (its newest part) or rotated and maybe compressed. */
static int read_log(struct probe_ctx *ctx, const char *path, struct buf *ret)
{
	enum comp c = comp_from_name(path);
	if (c == COMP_NONE) {
		bool cut;
		return fsroot_read_tail(ctx->root, path, LIMIT_PKG_LOG, ret, &cut);
	}
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r = fsroot_open_file(ctx->root, path, &fd, &st);
	if (r < 0)
		return r;
	return decompress_fd(c, fd, LIMIT_COMPRESSED, LIMIT_PKG_LOG, ret);
}

static void hist_merge(struct hist *h, const struct hist *f)
{
	if (f->has_run && (!h->has_run || f->last_run > h->last_run)) {
		h->last_run = f->last_run;
		h->has_run = true;
	}
	if (f->has_upgrade && (!h->has_upgrade || f->last_upgrade > h->last_upgrade)) {
		h->last_upgrade = f->last_upgrade;
		h->has_upgrade = true;
	}
	h->upgrades += f->upgrades;
}

/* With --cache-dir, what one log gave (its newest run and upgrade, its
 * upgrade count: times, never ages) is kept, keyed by the log. */
static char *log_key(const char *path, bool apt)
{
	char *k = NULL;
	return asprintf(&k, "updates:log:%s:%s", apt ? "apt" : "dpkg", path) < 0 ? NULL : k;
}

static bool log_cached(struct probe_ctx *ctx, const char *path, bool apt, struct hist *f)
{
	_cleanup_free_ char *key = ctx->cache ? log_key(path, apt) : NULL;
	json_t *v = key ? cache_get(ctx->cache, key) : NULL;
	json_int_t x[5];
	if (!json_is_array(v) || json_array_size(v) != 5)
		return false;
	for (size_t i = 0; i < 5; i++) {
		if (!json_is_integer(json_array_get(v, i)))
			return false;
		x[i] = json_integer_value(json_array_get(v, i));
	}
	if (x[4] < 0)
		return false;
	*f = (struct hist){.has_run = x[0] != 0,
			   .last_run = (time_t)x[1],
			   .has_upgrade = x[2] != 0,
			   .last_upgrade = (time_t)x[3],
			   .upgrades = (long)x[4]};
	return true;
}

static void log_put(struct probe_ctx *ctx, const char *path, bool apt, const struct hist *f)
{
	_cleanup_free_ char *key = ctx->cache ? log_key(path, apt) : NULL;
	const char *in[] = {path, NULL};
	json_t *v = key ? json_pack("[iIiII]", (int)f->has_run, (json_int_t)f->last_run,
				    (int)f->has_upgrade, (json_int_t)f->last_upgrade,
				    (json_int_t)f->upgrades)
			: NULL;
	if (v)
		cache_put(ctx->cache, key, in, v);
}

static int read_logs(struct probe_ctx *ctx, const char *pattern, bool apt, struct hist *h,
		     json_t *logs)
{
	_cleanup_strv_ char **paths = NULL;
	size_t n = 0;
	if (fsroot_glob(ctx->root, pattern, &paths, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && i < LIMIT_PKG_LOG_FILES; i++) {
		_cleanup_buf_ struct buf b = {0};
		struct hist f = {0};
		if (log_cached(ctx, paths[i], apt, &f)) {
			hist_merge(h, &f);
			json_array_append_new(logs, json_str(paths[i]));
			continue;
		}
		int r = read_log(ctx, paths[i], &b);
		if (r < 0) {
			if (r == -EBADMSG || r == -EFBIG || r == -EOPNOTSUPP)
				probe_msg(ctx, "%s: 読めません (壊れているか大きすぎます)",
					  "%s: unreadable (corrupt or too large)", paths[i]);
			else
				probe_file_error(ctx, paths[i], r, true);
			continue;
		}
		if (apt)
			apt_history_parse(b.data, b.len, 0, hist_apt, &f);
		else
			dpkg_log_parse(b.data, b.len, 0, hist_dpkg, &f);
		hist_merge(h, &f);
		log_put(ctx, paths[i], apt, &f);
		json_array_append_new(logs, json_str(paths[i]));
	}
	return 0;
}

static long conf_days(const struct apt_conf *conf, const char *key)
{
	const char *v = apt_conf_get(conf, key);
	long d;
	if (!v)
		return 0;
	if (strcasecmp(v, "always") == 0)
		return 1;
	return parse_long(v, &d) == 0 && d > 0 ? d : 0;
}

static void push_origin(const char *value, void *userdata)
{
	json_array_append_new(userdata, json_str(value));
}

static bool mentions_security(const json_t *origins)
{
	size_t i;
	json_t *e;
	json_array_foreach(origins, i, e)
		if (strcasestr(json_string_value(e), "security"))
			return true;
	return false;
}

static bool package_installed(const struct uctx *u, const char *name)
{
	for (size_t i = 0; i < u->st.n; i++)
		if (span_eq(u->st.v[i].name, name) && dpkg_state_installed(u->st.v[i].state))
			return true;
	return false;
}

static bool timer_masked(struct probe_ctx *ctx)
{
	_cleanup_free_ char *t = NULL;
	if (fsroot_readlink(ctx->root, "/etc/systemd/system/apt-daily-upgrade.timer", &t) < 0)
		return false;
	return strcmp(t, "/dev/null") == 0;
}

/* The update_history columns only rpm hosts fill (null under apt). */
static const char *const rpm_only[] = {"auto_tool", "auto_unit", "auto_apply", "auto_upgrade_type"};

static json_t *history_json(struct uctx *u)
{
	struct hist h = {0};
	json_t *o = json_object(), *logs = json_array(), *origins = json_array();
	if (!o || !logs || !origins) {
		json_decref(o);
		json_decref(logs);
		json_decref(origins);
		return NULL;
	}
	read_logs(u->ctx, "/var/log/apt/history.log*", true, &h, logs);
	read_logs(u->ctx, "/var/log/dpkg.log*", false, &h, logs);
	apt_conf_list(&u->conf, "unattended-upgrade::origins-pattern", push_origin, origins);
	apt_conf_list(&u->conf, "unattended-upgrade::allowed-origins", push_origin, origins);
	bool inst = package_installed(u, "unattended-upgrades");
	bool enabled = apt_conf_bool(&u->conf, "apt::periodic::enable", 1);
	long lists_days = conf_days(&u->conf, "apt::periodic::update-package-lists");
	long uu_days = conf_days(&u->conf, "apt::periodic::unattended-upgrade");
	bool masked = timer_masked(u->ctx), sec = mentions_security(origins);
	json_set(o, "last_upgrade", time_json(h.has_upgrade, h.last_upgrade));
	json_set(o, "last_upgrade_days", days_json(h.has_upgrade, h.last_upgrade, u->ctx->now));
	json_set(o, "last_apt_run", time_json(h.has_run, h.last_run));
	json_set(o, "last_apt_run_days", days_json(h.has_run, h.last_run, u->ctx->now));
	json_set(o, "upgrades_recorded", json_integer(h.upgrades));
	json_set(o, "logs", logs);
	json_set(o, "unattended_upgrades_installed", json_boolean(inst));
	json_set(o, "periodic_enabled", json_boolean(enabled));
	json_set(o, "periodic_update_lists_days", json_integer(enabled ? lists_days : 0));
	json_set(o, "periodic_unattended_days", json_integer(enabled ? uu_days : 0));
	json_set(o, "upgrade_timer_masked", json_boolean(masked));
	json_set(o, "unattended_origins", origins);
	json_set(o, "security_origin_configured", json_boolean(sec));
	json_set(o, "automatic_security_updates",
		 json_boolean(inst && enabled && uu_days > 0 && sec && !masked));
	json_set(o, "manager", json_string("apt"));
	for (size_t i = 0; i < ARRAY_SIZE(rpm_only); i++)
		json_set(o, rpm_only[i], json_null());
	return o;
}

/* ---- rpm hosts ---- */

/* The value of key in [section] of an ini file (dnf's and yum's
 * ConfigParser: '#' and ';' comment lines, "key = value" or "key: value",
 * keys case-insensitive, the last occurrence wins). Returns 1 and out
 * (NUL-terminated, truncated to size), or 0. Pure. */
static int ini_value(const char *buf, size_t len, const char *section, const char *key, char *out,
		     size_t size)
{
	struct line_iter it;
	struct line ln;
	bool in = false;
	int found = 0;
	size_t sl = strlen(section), kl = strlen(key);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		const char *l = ln.s, *v;
		size_t n = ln.len, eq = 0, k, vl;
		str_trim(&l, &n);
		if (!n || l[0] == '#' || l[0] == ';')
			continue;
		if (l[0] == '[') {
			in = n == sl + 2 && l[n - 1] == ']' && !memcmp(l + 1, section, sl);
			continue;
		}
		while (eq < n && l[eq] != '=' && l[eq] != ':')
			eq++;
		k = eq;
		str_trim(&l, &k);
		if (!in || eq == n || k != kl || strncasecmp(l, key, kl) != 0)
			continue;
		v = l + eq + 1;
		vl = n - eq - 1;
		str_trim(&v, &vl);
		snprintf(out, size, "%.*s", (int)vl, v);
		found = 1;
	}
	return found;
}

static bool ini_true(const char *v)
{
	static const char *const yes[] = {"1", "yes", "true", "on"};
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return true;
	return false;
}

/* An enabled unit: its wants/ link resolves (inside the root) to a unit
 * file, and the unit is not masked in /etc. */
static bool unit_enabled(struct probe_ctx *ctx, const char *target, const char *unit)
{
	_cleanup_free_ char *want = NULL, *mask = NULL, *t = NULL;
	struct stat st;
	if (asprintf(&want, "/etc/systemd/system/%s.wants/%s", target, unit) < 0 ||
	    asprintf(&mask, "/etc/systemd/system/%s", unit) < 0)
		return false;
	if (fsroot_stat(ctx->root, want, true, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	return !(fsroot_readlink(ctx->root, mask, &t) == 0 && strcmp(t, "/dev/null") == 0);
}

/* The newest INSTALLTIME of the installed headers. */
struct rpm_hist {
	time_t last;
	bool has;
	size_t bad;
};

static int hist_blob(void *userdata, uint32_t id, const unsigned char *blob, size_t len)
{
	struct rpm_hist *h = userdata;
	struct rpm_pkg p;
	const char *why;
	(void)id;
	if (rpmhdr_parse(blob, len, &p, &why) < 0) {
		h->bad++;
		return 0;
	}
	if (p.has_installtime && (!h->has || p.installtime > h->last)) {
		h->last = (time_t)p.installtime;
		h->has = true;
	}
	return 0;
}

/* Walk rpm's database: 0, PROBE_RET_NOT_APPLICABLE without one, or a
 * negative errno when it cannot be read at all. */
static int rpm_last_install(struct probe_ctx *ctx, struct rpm_hist *h, const char **ret_path)
{
	struct stat st;
	*ret_path = NULL;
	for (size_t i = 0; !*ret_path && rpmdb_std_paths[i]; i++)
		if (fsroot_stat(ctx->root, rpmdb_std_paths[i], true, &st) == 0)
			*ret_path = rpmdb_std_paths[i];
	if (!*ret_path)
		return PROBE_RET_NOT_APPLICABLE;
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, *ret_path, LIMIT_RPMDB_FILE, &b);
	if (r < 0) {
		probe_file_error(ctx, *ret_path, r, false);
		return r;
	}
	struct rpmdb_stats dst;
	r = rpmdb_read((unsigned char *)b.data, b.len, hist_blob, h, &dst);
	if (r < 0 && dst.blobs == 0) {
		probe_msg(ctx, "%s: rpm データベースとして読めません（%s）",
			  "%s: cannot be read as an rpm database (%s)", *ret_path, dst.error);
		return r;
	}
	if (r < 0 || dst.bad || h->bad || dst.truncated)
		probe_partial(ctx); /* the packages probe reports the details */
	return 0;
}

/* What installs updates by itself on an rpm host. */
struct auto_cfg {
	const char *tool, *unit;
	int apply; /* 1, 0, or -1: unknown (configuration unreadable) */
	char type[64];
};

/* upgrade_type / update_cmd values that install every security update. */
static bool type_covers_security(const char *t)
{
	static const char *const ok[] = {"default", "security", "minimal", "minimal-security"};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		if (strcmp(t, ok[i]) == 0)
			return true;
	return false;
}

/* apply (unless forced by the unit) and the upgrade type from the
 * [commands] section of dnf-automatic's or yum-cron's configuration. */
static void read_auto_conf(struct probe_ctx *ctx, const char *path, const char *type_key,
			   bool forced, struct auto_cfg *a)
{
	_cleanup_buf_ struct buf b = {0};
	char v[64];
	snprintf(a->type, sizeof(a->type), "default");
	a->apply = forced;
	int r = fsroot_read(ctx->root, path, LIMIT_SMALL_FILE, &b);
	if (r < 0 && r != -ENOENT) {
		probe_file_error(ctx, path, r, false);
		a->apply = forced ? 1 : -1;
		return;
	}
	if (r < 0)
		return; /* the defaults: apply_updates = no, upgrade type default */
	if (!forced && ini_value(b.data, b.len, "commands", "apply_updates", v, sizeof(v)))
		a->apply = ini_true(v);
	if (ini_value(b.data, b.len, "commands", type_key, v, sizeof(v)))
		snprintf(a->type, sizeof(a->type), "%s", v);
}

/* The first enabled automatic-update unit, installing ones first. */
static void find_auto(struct probe_ctx *ctx, struct auto_cfg *a)
{
	static const char dnf[] = "/etc/dnf/automatic.conf", yum[] = "/etc/yum/yum-cron.conf";
	static const struct {
		const char *tool, *target, *unit, *conf, *type_key;
		int mode; /* 1 always installs, 0 per apply_updates, -1 never installs */
	} units[] = {
	    {"dnf-automatic", "timers.target", "dnf-automatic-install.timer", dnf, "upgrade_type",
	     1},
	    {"dnf-automatic", "timers.target", "dnf-automatic.timer", dnf, "upgrade_type", 0},
	    {"dnf5-automatic", "timers.target", "dnf5-automatic.timer", dnf, "upgrade_type", 0},
	    {"yum-cron", "multi-user.target", "yum-cron.service", yum, "update_cmd", 0},
	    {"dnf-automatic", "timers.target", "dnf-automatic-download.timer", dnf, "upgrade_type",
	     -1},
	    {"dnf-automatic", "timers.target", "dnf-automatic-notifyonly.timer", dnf,
	     "upgrade_type", -1},
	};
	*a = (struct auto_cfg){0};
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (!unit_enabled(ctx, units[i].target, units[i].unit))
			continue;
		a->tool = units[i].tool;
		a->unit = units[i].unit;
		read_auto_conf(ctx, units[i].conf, units[i].type_key, units[i].mode > 0, a);
		if (units[i].mode < 0)
			a->apply = 0; /* downloads or notifies only */
		return;
	}
}

static json_t *rpm_history_json(struct probe_ctx *ctx, const struct rpm_hist *h, const char *dbpath,
				const struct auto_cfg *a)
{
	static const char *const apt_only[] = {
	    "last_apt_run",
	    "last_apt_run_days",
	    "upgrades_recorded",
	    "unattended_upgrades_installed",
	    "periodic_enabled",
	    "periodic_update_lists_days",
	    "periodic_unattended_days",
	    "upgrade_timer_masked",
	    "unattended_origins",
	    "security_origin_configured",
	};
	json_t *o = json_object(), *logs = json_array();
	if (!o || !logs) {
		json_decref(o);
		json_decref(logs);
		return NULL;
	}
	json_array_append_new(logs, json_str(dbpath));
	for (size_t i = 0; i < ARRAY_SIZE(apt_only); i++)
		json_set(o, apt_only[i], json_null());
	json_set(o, "last_upgrade", time_json(h->has, h->last));
	json_set(o, "last_upgrade_days", days_json(h->has, h->last, ctx->now));
	json_set(o, "logs", logs);
	json_set(o, "manager", json_string("rpm"));
	json_set(o, "auto_tool", json_str(a->tool));
	json_set(o, "auto_unit", json_str(a->unit));
	json_set(o, "auto_apply", a->tool && a->apply >= 0 ? json_boolean(a->apply) : json_null());
	json_set(o, "auto_upgrade_type", a->tool ? json_str(a->type) : json_null());
	bool yes = a->tool && a->apply > 0 && type_covers_security(a->type);
	json_set(o, "automatic_security_updates",
		 a->tool && a->apply < 0 ? json_null() : json_boolean(yes));
	return o;
}

/* The history of an rpm host; not applicable without an rpm database. */
static int rpm_updates_run(struct probe_ctx *ctx)
{
	struct rpm_hist h = {0};
	const char *dbpath;
	struct auto_cfg a;
	int r = rpm_last_install(ctx, &h, &dbpath);
	if (r != 0)
		return r;
	find_auto(ctx, &a);
	json_t *o = rpm_history_json(ctx, &h, dbpath, &a);
	if (!o)
		return -ENOMEM;
	r = json_set(ctx->inventory, "update_history", o);
	return r < 0 ? r : rpmmd_collect(ctx, dbpath);
}

/* ---- the probe ---- */

static int load(struct uctx *u, struct src_info **si)
{
	int r = read_conf_files(u);
	if (r == 0)
		r = read_status(u);
	if (r != 0)
		return r;
	r = read_config(u);
	if (r < 0)
		return r;
	r = index_packages(u);
	if (r < 0)
		return r;
	package_archs(u);
	*si = calloc(u->srcs.n + 1, sizeof(**si));
	if (!*si)
		return -ENOMEM;
	return gather_lists(u, *si);
}

/* Without a security suite among the lists read, no update can be known to
 * be a security update (nor known not to be one): "no security update
 * pending" would be a pass earned by nothing. */
static int security_unknown(struct uctx *u, json_t *updates)
{
	struct freshness f;
	size_t i;
	json_t *o;

	freshness(u, &f);
	if (f.security || f.read_ok == 0)
		return 0;
	json_array_foreach(updates, i, o)
		if (json_object_set_new(o, "security", json_null()) < 0)
			return -ENOMEM;
	probe_msg(u->ctx,
		  "セキュリティ更新の配布元（*-security）の一覧がないため、どの更新がセキュリティ"
		  "更新かは分かりません",
		  "No list of a security suite (*-security) was read, so which updates are "
		  "security updates is unknown");
	return 0;
}

static int compute(struct uctx *u, json_t *updates, size_t *nsec)
{
	bool default_ok;
	int r = build_indexes(u, &default_ok);
	if (r < 0)
		return r;
	if (!default_ok)
		probe_msg(
		    u->ctx,
		    "APT::Default-Release がどのリリースにも一致しません (apt は動作しません)",
		    "APT::Default-Release names no known release (apt refuses to run)");
	for (size_t i = 0; i < u->nlists; i++)
		read_list(u, i);
	for (size_t i = 0; i < u->npkgs; i++) {
		r = package_candidate(u, &u->pkgs[i], updates, nsec);
		if (r < 0)
			return r;
	}
	json_array_sort_by(updates, "name");
	return security_unknown(u, updates);
}

/* Whether the release is past every phase of its security support, from
 * the eol probe's os_support (it runs before this probe): its suites then
 * leave the mirrors, so old lists are the release's end, which no apt
 * update can fix. false when that is not known (patches.os_supported
 * reports an unknown release). */
static int set_release_support(struct probe_ctx *ctx)
{
	json_t *sum = json_object_get(ctx->inventory, "update_summary");
	const json_t *os = json_object_get(ctx->inventory, "os_support");
	const json_t *days = json_object_get(os, "days_until_extended_eol");
	if (!json_is_object(sum))
		return 0;
	bool past = json_is_integer(days) && json_integer_value(days) < 0;
	json_t *rel = json_object_get(os, "release"),
	       *end = json_object_get(os, "extended_eol_date");
	if (json_set(sum, "release_past_support", json_boolean(past)) < 0 ||
	    json_set(sum, "release", json_is_string(rel) ? json_incref(rel) : json_null()) < 0 ||
	    json_set(sum, "release_support_end",
		     json_is_string(end) ? json_incref(end) : json_null()) < 0)
		return -ENOMEM;
	return 0;
}

static int updates_run(struct probe_ctx *ctx);

int probe_updates_run(struct probe_ctx *ctx)
{
	int r = updates_run(ctx);
	int s = set_release_support(ctx);
	return r < 0 ? r : s < 0 ? s : r;
}

static int updates_run(struct probe_ctx *ctx)
{
	_cleanup_(uctx_free) struct uctx u = {.ctx = ctx};
	_cleanup_free_ struct src_info *si = NULL;
	int r = load(&u, &si);
	if (r == PROBE_RET_NOT_APPLICABLE)
		return rpm_updates_run(ctx); /* no dpkg status */
	if (r != 0)
		return r;
	json_t *updates = json_array(), *sources = json_array(), *lists = json_array();
	size_t nsec = 0;
	r = updates && sources && lists ? compute(&u, updates, &nsec) : -ENOMEM;
	if (r == 0)
		r = sources_json(&u, si, sources);
	if (r == 0)
		r = lists_json(&u, lists);
	json_t *summary = r == 0 ? summary_json(&u, json_array_size(updates), nsec) : NULL;
	json_t *history = r == 0 ? history_json(&u) : NULL;
	json_array_sort_by(sources, "file");
	json_array_sort_by(lists, "path");
	if (r == 0 && (!summary || !history))
		r = -ENOMEM;
	if (r == 0 && (json_set(ctx->inventory, "updates", json_incref(updates)) < 0 ||
		       json_set(ctx->inventory, "apt_sources", json_incref(sources)) < 0 ||
		       json_set(ctx->inventory, "apt_lists", json_incref(lists)) < 0 ||
		       json_set(ctx->inventory, "update_summary", json_incref(summary)) < 0 ||
		       json_set(ctx->inventory, "update_history", json_incref(history)) < 0 ||
		       json_set(ctx->inventory, "rpm_repos", json_array()) < 0 ||
		       json_set(ctx->inventory, "rpm_advisories", json_array()) < 0))
		r = -ENOMEM;
	json_decref(updates);
	json_decref(sources);
	json_decref(lists);
	json_decref(summary);
	json_decref(history);
	return r;
}
