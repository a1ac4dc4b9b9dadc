/* rpmmd.c - pending updates on rpm hosts, as dnf (and yum, zypper) would
 * list them, from the metadata they keep on disk. Nothing is executed and
 * nothing is written: the configuration and the caches are read through
 * the confined fsroot layer.
 *
 *  - Configuration: dnf.conf [main] (reposdir, cachedir, excludepkgs,
 *    includepkgs, installonlypkgs, obsoletes) or yum.conf; the repository
 *    sections of reposdir's *.repo files (and of dnf.conf itself), with
 *    $releasever, $basearch, $arch and /etc/dnf/vars substituted; zypper:
 *    /etc/zypp/repos.d.
 *  - Caches: dnf 4 <cachedir>/<id>-<hash>/repodata (hash: the first 16 hex
 *    digits of the SHA-256 of the metalink, else mirrorlist, else first
 *    baseurl, as libdnf names them), libdnf5 /var/cache/libdnf5/<id>-<hash>,
 *    yum /var/cache/yum/<basearch>/<releasever>/<id>, zypper
 *    /var/cache/zypp/raw/<alias>/repodata. repomd.xml names the files; each
 *    file's checksum is verified against it before it is believed.
 *  - Upgrades as `dnf check-update` computes them (libdnf's
 *    upgrades_by_priority, then latest per name.arch): a package upgrades
 *    an installed one of the same name whose architecture is the same or
 *    where either is noarch, and only if no installed package of that name
 *    and architecture is as new; among the repositories offering a name
 *    only those of the best (lowest) priority count. Obsoletes as its
 *    "Obsoleting Packages" list: packages of the best priority for their
 *    name whose Obsoletes range contains an installed package's
 *    name = EVR (same architecture colour: noarch, 32-bit or 64-bit).
 *  - Advisories as `dnf updateinfo list`: for the newest installed package
 *    of each name.arch, the advisory packages of the same name and
 *    architecture with a newer EVR.
 */
#include <fnmatch.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <sys/stat.h>
#include "probes/read/decompress.h"
#include "lib/limits.h"
#include "probes/read/rpmdb.h"
#include "probes/parse/rpmhdr.h"
#include "probes/read/rpmmd.h"
#include "probes/parse/rpmmd_parse.h"
#include "probes/parse/rpmver.h"

#define CHUNK	     (256u << 10)
#define MAX_REPOS    1000u
#define MAX_EXCLUDES 10000u

const struct column rpm_repo_columns[] = {
    {"id", COL_STRING, "repository id (section name; zypper: alias)"},
    {"manager", COL_STRING, "dnf, yum or zypper"},
    {"file", COL_STRING, "file that defines it"},
    {"line", COL_INT, "line of its section"},
    {"enabled", COL_BOOL, "enabled = 1 (dnf's default)"},
    {"baseurl", COL_STRING, "first baseurl, metalink or mirrorlist (user:password removed)"},
    {"priority", COL_INT, "priority (lower wins; 99 when unset)"},
    {"excludes", COL_ARRAY, "excludepkgs patterns of the repository"},
    {"includes", COL_ARRAY, "includepkgs patterns of the repository"},
    {"cache", COL_STRING, "directory of the cached repodata, null if none"},
    {"metadata_found", COL_BOOL, "a cached repomd.xml was found"},
    {"metadata_date", COL_TIME, "newest timestamp in repomd.xml"},
    {"metadata_age_days", COL_INT, "days since metadata_date"},
    {"fetched", COL_TIME, "when the package manager last wrote repomd.xml"},
    {"fetched_days", COL_INT, "days since fetched"},
    {"primary", COL_STRING, "the package list read (path)"},
    {"primary_format", COL_STRING, "xml or sqlite"},
    {"compression", COL_STRING, "none, gzip, xz, zstd, bzip2..."},
    {"checksums_ok", COL_BOOL, "every file read matched its checksum in repomd.xml"},
    {"packages", COL_INT, "packages in the list, null if it was not read"},
    {"updateinfo", COL_BOOL, "the repository has advisories (updateinfo) in the cache"},
    {"advisories", COL_INT, "advisories read"},
    {"modules", COL_BOOL, "the repository has module metadata (modules.yaml)"},
    {"error", COL_STRING, "why the metadata could not be used, null if it was"},
    {NULL, 0, NULL},
};

const struct column rpm_advisory_columns[] = {
    {"id", COL_STRING, "advisory id (RHSA-..., ALSA-..., SUSE-...)"},
    {"type", COL_STRING, "security, bugfix, enhancement, newpackage..."},
    {"severity", COL_STRING, "Critical, Important, Moderate, Low; null if none"},
    {"security", COL_BOOL, "type security"},
    {"name", COL_STRING, "package the advisory fixes"},
    {"architecture", COL_STRING, "its architecture"},
    {"fixed_version", COL_STRING, "[E:]V-R the advisory ships"},
    {"installed_version", COL_STRING, "[E:]V-R installed (older)"},
    {"cves", COL_ARRAY, "CVE ids it references"},
    {"issued", COL_STRING, "issued date as the advisory gives it"},
    {"repo", COL_STRING, "repository whose updateinfo lists it"},
    {NULL, 0, NULL},
};

/* ---- state ---- */

struct inst {
	char *name, *arch, *epoch, *ver, *rel;
	bool excluded, latest;
};

struct dep {
	char *name, *epoch, *ver, *rel;
	unsigned flags;
};

struct avail {
	char *name, *arch, *epoch, *ver, *rel;
	int64_t tfile;
	size_t repo;
	struct dep *obs;
	size_t nobs;
};

struct adv {
	char *id, *type, *severity, *issued;
	char **cves;
	size_t ncves, repo;
};

struct advpkg {
	size_t adv;
	char *name, *arch, *epoch, *ver, *rel, *module;
};

struct repo {
	char *id, *file, *baseurl, *hashurl;
	unsigned line;
	bool enabled;
	long priority;
	char **excl, **incl;
	size_t nexcl, nincl;
	/* metadata */
	char *cache, *primary;
	bool found, checks_ok, read_ok, has_updateinfo, has_modules;
	const char *format, *comp;
	int64_t date;
	time_t fetched;
	bool has_fetched;
	size_t packages, advisories;
	char *error;
};

struct modstream {
	char *name, *stream;
	char **art;
	size_t nart;
};

struct rctx {
	struct probe_ctx *ctx;
	const char *manager; /* dnf, yum, zypper */
	struct inst *inst;
	size_t ninst;
	struct avail *av;
	size_t nav, capav;
	struct adv *adv;
	size_t nadv, capadv;
	struct advpkg *ap;
	size_t nap, capap;
	struct repo *repos;
	size_t nrepos;
	char **main_excl, **main_incl;
	size_t nmain_excl, nmain_incl;
	bool obsoletes;
	char basearch[32], releasever[64];
	bool inst_failed; /* the installed set could not be read */
	bool known;	  /* some repository's metadata was read */
	char **vars;	  /* name, value, ..., NULL */
	size_t nvars;
	/* modules: every artifact (sorted "n-e:v-r.a" strings), the active
	 * ones, the names of active artifacts, the streams' states */
	char **mod_all, **mod_active, **mod_names, **mod_streams;
	size_t nmod_all, nmod_active, nmod_names, nmod_streams;
	size_t cap_all, cap_active, cap_names, cap_streams;
	struct modstream *ms;
	size_t nms, capms;
	char **defaults; /* name, stream, ... */
	size_t ndefaults, capdefaults;
	size_t cur_repo; /* while parsing */
	bool nomem;
};

static void strs_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* One available package's strings and obsoletes (the struct itself is
 * the caller's). */
static void avail_free(struct avail *a)
{
	free(a->name);
	free(a->arch);
	free(a->epoch);
	free(a->ver);
	free(a->rel);
	for (size_t j = 0; j < a->nobs; j++) {
		free(a->obs[j].name);
		free(a->obs[j].epoch);
		free(a->obs[j].ver);
		free(a->obs[j].rel);
	}
	free(a->obs);
}

static void rctx_free(struct rctx *c)
{
	for (size_t i = 0; i < c->ninst; i++) {
		struct inst *p = &c->inst[i];
		free(p->name);
		free(p->arch);
		free(p->epoch);
		free(p->ver);
		free(p->rel);
	}
	free(c->inst);
	for (size_t i = 0; i < c->nav; i++)
		avail_free(&c->av[i]);
	free(c->av);
	for (size_t i = 0; i < c->nadv; i++) {
		free(c->adv[i].id);
		free(c->adv[i].type);
		free(c->adv[i].severity);
		free(c->adv[i].issued);
		strs_free(c->adv[i].cves, c->adv[i].ncves);
	}
	free(c->adv);
	for (size_t i = 0; i < c->nap; i++) {
		struct advpkg *p = &c->ap[i];
		free(p->name);
		free(p->arch);
		free(p->epoch);
		free(p->ver);
		free(p->rel);
		free(p->module);
	}
	free(c->ap);
	for (size_t i = 0; i < c->nrepos; i++) {
		struct repo *r = &c->repos[i];
		free(r->id);
		free(r->file);
		free(r->baseurl);
		free(r->hashurl);
		strs_free(r->excl, r->nexcl);
		strs_free(r->incl, r->nincl);
		free(r->cache);
		free(r->primary);
		free(r->error);
	}
	free(c->repos);
	for (size_t i = 0; i < c->nms; i++) {
		free(c->ms[i].name);
		free(c->ms[i].stream);
		strs_free(c->ms[i].art, c->ms[i].nart);
	}
	free(c->ms);
	strs_free(c->defaults, c->ndefaults);
	free(c->mod_all); /* borrowed from ms */
	free(c->mod_active);
	strs_free(c->mod_names, c->nmod_names);
	strs_free(c->mod_streams, c->nmod_streams);
	strs_free(c->main_excl, c->nmain_excl);
	strs_free(c->main_incl, c->nmain_incl);
	strs_free(c->vars, c->nvars);
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, nc * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = nc;
	return 0;
}

static char *sdup(struct rctx *c, const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		c->nomem = true;
	return d;
}

/* "[E:]V-R" with the epoch only when it is not 0, as dnf prints it. */
static char *evr_str(const char *e, const char *v, const char *r)
{
	char *s = NULL;
	bool ep = e && e[0] && strcmp(e, "0") != 0;
	if (asprintf(&s, "%s%s%s%s%s", ep ? e : "", ep ? ":" : "", v ? v : "", r && r[0] ? "-" : "",
		     r ? r : "") < 0)
		return NULL;
	return s;
}

/* ---- installed packages ---- */

struct inst_walk {
	struct rctx *c;
	size_t cap, bad;
};

static char *rdup(struct rpm_span s)
{
	return s.s ? strndup(s.s, s.len) : strdup("");
}

static int inst_blob(void *userdata, uint32_t id, const unsigned char *blob, size_t len)
{
	struct inst_walk *w = userdata;
	struct rctx *c = w->c;
	struct rpm_pkg p;
	const char *why;
	(void)id;
	if (rpmhdr_parse(blob, len, &p, &why) < 0) {
		w->bad++;
		return 0;
	}
	/* gpg-pubkey entries are keys, not packages (no arch). */
	if (!p.arch.s || (p.name.len == 10 && memcmp(p.name.s, "gpg-pubkey", 10) == 0))
		return 0;
	if (grow((void **)&c->inst, &w->cap, c->ninst, sizeof(*c->inst)) < 0)
		return -ENOMEM;
	char eb[16];
	snprintf(eb, sizeof(eb), "%u", p.has_epoch ? p.epoch : 0);
	struct inst *i = &c->inst[c->ninst++];
	*i = (struct inst){rdup(p.name),    rdup(p.arch), strdup(eb), rdup(p.version),
			   rdup(p.release), false,	  false};
	if (!i->name || !i->arch || !i->epoch || !i->ver || !i->rel)
		return -ENOMEM;
	return 0;
}

static int inst_cmp(const void *a, const void *b)
{
	const struct inst *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	if (!r)
		r = strcmp(x->arch, y->arch);
	if (!r)
		r = rpmmd_evr_cmp(x->epoch, x->ver, x->rel, y->epoch, y->ver, y->rel);
	return r;
}

static int read_installed(struct rctx *c, const char *dbpath)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(c->ctx->root, dbpath, LIMIT_RPMDB_FILE, &b);
	if (r < 0) {
		probe_file_error(c->ctx, dbpath, r, false);
		return r;
	}
	struct inst_walk w = {.c = c};
	struct rpmdb_stats st;
	r = rpmdb_read((unsigned char *)b.data, b.len, inst_blob, &w, &st);
	if (r == -ENOMEM)
		return r;
	if (r < 0 && st.blobs == 0)
		return r;
	if (r < 0 || st.bad || w.bad || st.truncated)
		probe_partial(c->ctx);
	if (c->ninst > 1)
		qsort(c->inst, c->ninst, sizeof(*c->inst), inst_cmp);
	return 0;
}

/* The first installed package named name (sorted by name), or -1. */
static long inst_find(const struct rctx *c, const char *name)
{
	size_t lo = 0, hi = c->ninst;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(c->inst[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->ninst && strcmp(c->inst[lo].name, name) == 0 ? (long)lo : -1;
}

/* ---- architectures ---- */

/* The architectures an rpm host of basearch installs (libsolv's policy
 * for the common ones). */
static bool arch_ok(const struct rctx *c, const char *arch)
{
	static const char *const x86[] = {"x86_64", "amd64", "ia32e", "athlon", "i686",
					  "i586",   "i486",  "i386",  "geode"};
	static const char *const i386[] = {"athlon", "i686", "i586", "i486", "i386", "geode"};
	if (strcmp(arch, "noarch") == 0)
		return true;
	if (strcmp(arch, "src") == 0 || strcmp(arch, "nosrc") == 0)
		return false;
	if (strcmp(c->basearch, "x86_64") == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(x86); i++)
			if (strcmp(arch, x86[i]) == 0)
				return true;
		return false;
	}
	if (strcmp(c->basearch, "i386") == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(i386); i++)
			if (strcmp(arch, i386[i]) == 0)
				return true;
		return false;
	}
	return strcmp(arch, c->basearch) == 0;
}

/* libsolv's colour: 0 noarch, 1 32-bit, 2 64-bit. */
static int arch_color(const char *a)
{
	static const char *const b32[] = {"i386",  "i486",    "i586", "i686", "athlon",
					  "geode", "armv7hl", "ppc",  "s390"};
	if (strcmp(a, "noarch") == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(b32); i++)
		if (strcmp(a, b32[i]) == 0)
			return 1;
	return 2;
}

static bool same_or_noarch(const char *a, const char *b)
{
	return strcmp(a, b) == 0 || strcmp(a, "noarch") == 0 || strcmp(b, "noarch") == 0;
}

/* The base architecture of the host: the one most installed packages
 * have (dnf takes uname's; under --root the packages tell). */
static void guess_basearch(struct rctx *c)
{
	size_t x64 = 0, i32 = 0, other = 0;
	const char *oth = NULL;
	for (size_t i = 0; i < c->ninst; i++) {
		const char *a = c->inst[i].arch;
		if (strcmp(a, "x86_64") == 0)
			x64++;
		else if (arch_color(a) == 1 && a[0] == 'i')
			i32++;
		else if (strcmp(a, "noarch") != 0) {
			other++;
			oth = a;
		}
	}
	const char *b = "x86_64";
	if (other > x64 && other > i32 && oth)
		b = oth;
	else if (i32 > x64)
		b = "i386";
	snprintf(c->basearch, sizeof(c->basearch), "%s", b);
}

/* ---- package specs (excludepkgs, includepkgs) ---- */

/* Split a list value on commas and whitespace into v. */
static int split_list(const char *s, char ***v, size_t *n)
{
	if (!s)
		return 0;
	size_t cap = *n;
	while (*s) {
		while (*s == ',' || *s == ' ' || *s == '\t' || *s == '\n')
			s++;
		size_t l = strcspn(s, ", \t\n");
		if (!l)
			break;
		if (*n >= MAX_EXCLUDES)
			return 0;
		if (grow((void **)v, &cap, *n + 1, sizeof(**v)) < 0)
			return -ENOMEM;
		(*v)[*n] = strndup(s, l);
		if (!(*v)[*n])
			return -ENOMEM;
		(*n)++;
		s += l;
	}
	return 0;
}

/* Does a pattern match the package as dnf's Subject does with nevra forms
 * (name, name.arch, name-version, name-version-release[.arch], with or
 * without the epoch)? */
static bool spec_match(const char *pat, const char *n, const char *a, const char *e, const char *v,
		       const char *r)
{
	char buf[7][512];
	snprintf(buf[0], sizeof(buf[0]), "%s", n);
	snprintf(buf[1], sizeof(buf[1]), "%s.%s", n, a);
	snprintf(buf[2], sizeof(buf[2]), "%s-%s", n, v);
	snprintf(buf[3], sizeof(buf[3]), "%s-%s-%s", n, v, r);
	snprintf(buf[4], sizeof(buf[4]), "%s-%s-%s.%s", n, v, r, a);
	snprintf(buf[5], sizeof(buf[5]), "%s-%s:%s-%s", n, e, v, r);
	snprintf(buf[6], sizeof(buf[6]), "%s-%s:%s-%s.%s", n, e, v, r, a);
	for (size_t i = 0; i < 7; i++)
		if (fnmatch(pat, buf[i], 0) == 0)
			return true;
	return false;
}

static bool spec_any(char **pats, size_t n, const char *name, const char *a, const char *e,
		     const char *v, const char *r)
{
	for (size_t i = 0; i < n; i++)
		if (spec_match(pats[i], name, a, e, v, r))
			return true;
	return false;
}

/* Excluded from the sack: main's excludes (installed and available), the
 * repository's own, or not matching a non-empty includepkgs. */
static bool pkg_excluded(const struct rctx *c, const struct repo *r, const char *n, const char *a,
			 const char *e, const char *v, const char *rel)
{
	if (spec_any(c->main_excl, c->nmain_excl, n, a, e, v, rel))
		return true;
	if (r) {
		if (spec_any(r->excl, r->nexcl, n, a, e, v, rel))
			return true;
		if (r->nincl && !spec_any(r->incl, r->nincl, n, a, e, v, rel))
			return true;
		if (c->nmain_incl && !spec_any(c->main_incl, c->nmain_incl, n, a, e, v, rel))
			return true;
	}
	return false;
}

/* ---- configuration ---- */

static int add_var(struct rctx *c, const char *name, const char *value)
{
	char **v = realloc(c->vars, (c->nvars + 3) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	c->vars = v;
	v[c->nvars] = strdup(name);
	v[c->nvars + 1] = strdup(value);
	v[c->nvars + 2] = NULL;
	if (!v[c->nvars] || !v[c->nvars + 1]) {
		free(v[c->nvars]);
		free(v[c->nvars + 1]);
		v[c->nvars] = NULL;
		return -ENOMEM;
	}
	c->nvars += 2;
	return 0;
}

/* The first line of a small file, trimmed, or "" . */
static void first_line(struct rctx *c, const char *path, char *out, size_t size)
{
	_cleanup_buf_ struct buf b = {0};
	out[0] = '\0';
	if (fsroot_read(c->ctx->root, path, LIMIT_SMALL_FILE, &b) < 0)
		return;
	const char *s = b.data;
	size_t n = strcspn(s, "\n");
	str_trim(&s, &n);
	snprintf(out, size, "%.*s", (int)n, s);
}

/* $releasever: /etc/dnf/vars/releasever, else VERSION_ID of os-release
 * (RHEL family: its major number, which system-release(releasever)
 * provides; zypper: the whole VERSION_ID). */
static void read_releasever(struct rctx *c)
{
	first_line(c, "/etc/dnf/vars/releasever", c->releasever, sizeof(c->releasever));
	if (c->releasever[0])
		return;
	_cleanup_buf_ struct buf b = {0};
	if (fsroot_read(c->ctx->root, "/etc/os-release", LIMIT_SMALL_FILE, &b) < 0 &&
	    fsroot_read(c->ctx->root, "/usr/lib/os-release", LIMIT_SMALL_FILE, &b) < 0)
		return;
	const char *p = strstr(b.data, "\nVERSION_ID=");
	if (!p && strncmp(b.data, "VERSION_ID=", 11) == 0)
		p = b.data - 1;
	if (!p)
		return;
	p += 12;
	if (*p == '"' || *p == '\'')
		p++;
	size_t n = strcspn(p, "\"'\n");
	if (strcmp(c->manager, "zypper") != 0)
		n = strcspn(p, ".\"'\n");
	snprintf(c->releasever, sizeof(c->releasever), "%.*s", (int)n, p);
}

static int read_vars(struct rctx *c)
{
	static const char *const dirs[] = {"/etc/dnf/vars", "/etc/yum/vars"};
	const char *arch = c->basearch;
	int r = add_var(c, "releasever", c->releasever);
	if (r == 0)
		r = add_var(c, "basearch", arch);
	if (r == 0)
		r = add_var(c, "arch", arch);
	for (size_t d = 0; r == 0 && d < ARRAY_SIZE(dirs); d++) {
		_cleanup_strv_ char **names = NULL;
		size_t n = 0;
		if (fsroot_list(c->ctx->root, dirs[d], &names, &n) < 0)
			continue;
		for (size_t i = 0; r == 0 && i < n; i++) {
			_cleanup_free_ char *p = path_join(dirs[d], names[i]);
			char v[256];
			if (!p)
				return -ENOMEM;
			first_line(c, p, v, sizeof(v));
			r = add_var(c, names[i], v);
		}
	}
	return r;
}

static char *subst(struct rctx *c, const char *s)
{
	if (!s)
		return NULL;
	char *r = rpmmd_subst(s, (const char *const *)c->vars);
	if (!r)
		c->nomem = true;
	return r;
}

/* The first URL of a baseurl/mirrorlist/metalink value. */
static char *first_url(struct rctx *c, const char *v)
{
	if (!v)
		return NULL;
	_cleanup_free_ char *s = subst(c, v);
	if (!s)
		return NULL;
	const char *p = s;
	while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t')
		p++;
	size_t n = strcspn(p, " ,\n\t");
	return n ? strndup(p, n) : NULL;
}

static int add_repo(struct rctx *c, const char *file, const struct rpmmd_section *s)
{
	if (c->nrepos >= MAX_REPOS)
		return 0;
	struct repo *v = realloc(c->repos, (c->nrepos + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	c->repos = v;
	struct repo *r = &v[c->nrepos++];
	*r = (struct repo){.priority = 99, .enabled = true, .date = -1};
	r->id = sdup(c, s->name);
	r->file = sdup(c, file);
	r->line = s->line;
	const char *en = rpmmd_ini_get(s, "enabled");
	if (en)
		r->enabled = rpmmd_bool(en) == 1;
	const char *pr = rpmmd_ini_get(s, "priority");
	long p;
	if (pr && parse_long(pr, &p) == 0)
		r->priority = p;
	const char *ml = rpmmd_ini_get(s, "metalink"), *mi = rpmmd_ini_get(s, "mirrorlist"),
		   *bu = rpmmd_ini_get(s, "baseurl");
	r->baseurl = first_url(c, bu ? bu : ml ? ml : mi);
	r->hashurl = first_url(c, ml ? ml : mi ? mi : bu);
	const char *ex = rpmmd_ini_get(s, "excludepkgs");
	if (!ex)
		ex = rpmmd_ini_get(s, "exclude");
	_cleanup_free_ char *exs = subst(c, ex), *ins = subst(c, rpmmd_ini_get(s, "includepkgs"));
	if (split_list(exs, &r->excl, &r->nexcl) < 0 || split_list(ins, &r->incl, &r->nincl) < 0)
		return -ENOMEM;
	return c->nomem ? -ENOMEM : 0;
}

static void ini_warn(struct rctx *c, const char *path, const struct rpmmd_ini *ini)
{
	if (ini->bad_lines)
		probe_line_error(c->ctx, path, ini->first_bad,
				 "セクションでも設定でもない行があります（無視されます）",
				 "a line that is neither a section nor a setting (ignored)");
}

static int read_repo_file(struct rctx *c, const char *path, bool skip_main)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(c->ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(c->ctx, path, r, true);
		return r == -ENOMEM ? r : 0;
	}
	struct rpmmd_ini ini;
	r = rpmmd_ini_parse(b.data, b.len, &ini);
	if (r < 0)
		return r;
	ini_warn(c, path, &ini);
	for (size_t i = 0; r == 0 && i < ini.n; i++)
		if (!skip_main || strcmp(ini.s[i].name, "main") != 0)
			r = add_repo(c, path, &ini.s[i]);
	rpmmd_ini_free(&ini);
	return r;
}

/* dnf.conf (or yum.conf) [main]; fills reposdir and cachedir. */
static int read_main(struct rctx *c, const char *conf, char *reposdir, size_t rsize, char *cachedir,
		     size_t csize)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(c->ctx->root, conf, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(c->ctx, conf, r, true);
		return r == -ENOMEM ? r : 0;
	}
	struct rpmmd_ini ini;
	r = rpmmd_ini_parse(b.data, b.len, &ini);
	if (r < 0)
		return r;
	ini_warn(c, conf, &ini);
	for (size_t i = 0; i < ini.n; i++) {
		const struct rpmmd_section *s = &ini.s[i];
		if (strcmp(s->name, "main") != 0)
			continue;
		const char *v = rpmmd_ini_get(s, "reposdir");
		if (v)
			snprintf(reposdir, rsize, "%s", v);
		v = rpmmd_ini_get(s, "cachedir");
		if (v) {
			_cleanup_free_ char *cd = subst(c, v);
			if (cd)
				snprintf(cachedir, csize, "%s", cd);
		}
		v = rpmmd_ini_get(s, "obsoletes");
		if (v)
			c->obsoletes = rpmmd_bool(v) != 0;
		const char *ex = rpmmd_ini_get(s, "excludepkgs");
		if (!ex)
			ex = rpmmd_ini_get(s, "exclude");
		_cleanup_free_ char *exs = subst(c, ex),
				    *ins = subst(c, rpmmd_ini_get(s, "includepkgs"));
		if (split_list(exs, &c->main_excl, &c->nmain_excl) < 0 ||
		    split_list(ins, &c->main_incl, &c->nmain_incl) < 0)
			r = -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < ini.n; i++)
		if (strcmp(ini.s[i].name, "main") != 0)
			r = add_repo(c, conf, &ini.s[i]);
	rpmmd_ini_free(&ini);
	return r;
}

static int read_repos_dir(struct rctx *c, const char *dir)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(c->ctx->root, dir, &names, &n);
	if (r < 0) {
		probe_file_error(c->ctx, dir, r, true);
		return r == -ENOMEM ? r : 0;
	}
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		if (l < 6 || strcmp(names[i] + l - 5, ".repo") != 0)
			continue;
		_cleanup_free_ char *p = path_join(dir, names[i]);
		if (!p)
			return -ENOMEM;
		r = read_repo_file(c, p, true);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- metadata files ---- */

static void repo_error(struct repo *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void repo_error(struct repo *r, const char *fmt, ...)
{
	if (r->error)
		return;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&r->error, fmt, ap) < 0)
		r->error = NULL;
	va_end(ap);
}

/* Hex digest of buf with the algorithm repomd names ("sha256", "sha"...). */
static bool digest_hex(const char *type, const void *buf, size_t len, char *out, size_t size)
{
	const char *name = type;
	if (strcmp(type, "sha") == 0)
		name = "sha1";
	const EVP_MD *md = EVP_get_digestbyname(name);
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	if (!md || !EVP_Digest(buf, len, d, &dl, md, NULL) || size < dl * 2 + 1)
		return false;
	for (unsigned i = 0; i < dl; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return true;
}

/* Does buf match the stored (or, decompressed, the open) checksum? */
static bool checksum_ok(const struct rpmmd_data *d, bool open, const struct buf *b)
{
	const char *type = open ? d->open_checksum_type : d->checksum_type;
	const char *want = open ? d->open_checksum : d->checksum;
	char got[EVP_MAX_MD_SIZE * 2 + 1];
	if (!type || !want)
		return false;
	return digest_hex(type, b->data, b->len, got, sizeof(got)) && strcmp(got, want) == 0;
}

/* The cached file of a repomd entry: basename of its href in dir;
 * yum also keeps the decompressed copy beside it. *open says the copy
 * found is the decompressed one. */
static char *data_path(struct rctx *c, const char *dir, const struct rpmmd_data *d, bool *open)
{
	const char *base = strrchr(d->href, '/');
	base = base ? base + 1 : d->href;
	if (!base[0] || strcmp(base, "..") == 0 || strcmp(base, ".") == 0)
		return NULL;
	char *p = path_join(dir, base);
	struct stat st;
	*open = false;
	if (!p || fsroot_stat(c->ctx->root, p, true, &st) == 0)
		return p;
	enum comp k = comp_from_name(base);
	if (k != COMP_NONE) {
		size_t l = strlen(p) - strlen(comp_suffix(k));
		p[l] = '\0';
		if (fsroot_stat(c->ctx->root, p, true, &st) == 0) {
			*open = true;
			return p;
		}
	}
	free(p);
	return NULL;
}

/* Read a metadata file, check it, and decompress it into out. */
static int load_data(struct rctx *c, struct repo *r, const char *dir, const struct rpmmd_data *d,
		     struct buf *raw, enum comp *kind, char **ret_path)
{
	bool open;
	_cleanup_free_ char *p = data_path(c, dir, d, &open);
	if (!p) {
		repo_error(r, "%s: %s is not in the cache", d->type, d->href);
		return -ENOENT;
	}
	int e = fsroot_read(c->ctx->root, p, LIMIT_COMPRESSED, raw);
	if (e < 0) {
		probe_file_error(c->ctx, p, e, false);
		repo_error(r, "%s: %s", p, strerror(-e));
		return e;
	}
	if (!checksum_ok(d, open, raw)) {
		r->checks_ok = false;
		repo_error(r, "%s: checksum does not match repomd.xml", p);
		return -EBADMSG;
	}
	*kind = open ? COMP_NONE : comp_sniff(raw->data, raw->len);
	if (!open && *kind == COMP_NONE)
		*kind = comp_from_name(p);
	if (ret_path)
		*ret_path = TAKE_PTR(p);
	return 0;
}

static int keep_dep(struct rctx *c, struct avail *a, const struct rpmmd_pkg *p)
{
	a->obs = calloc(p->nobsoletes, sizeof(*a->obs));
	if (!a->obs && p->nobsoletes)
		return -ENOMEM;
	for (size_t i = 0; i < p->nobsoletes; i++) {
		const struct rpmmd_dep *d = &p->obsoletes[i];
		if (inst_find(c, d->name) < 0)
			continue;
		a->obs[a->nobs++] = (struct dep){sdup(c, d->name), sdup(c, d->epoch),
						 sdup(c, d->ver), sdup(c, d->rel), d->flags};
	}
	return c->nomem ? -ENOMEM : 0;
}

/* One package of a repository: kept when it could matter (its name is
 * installed, or it obsoletes an installed name). */
static int on_pkg(void *userdata, const struct rpmmd_pkg *p)
{
	struct rctx *c = userdata;
	struct repo *r = &c->repos[c->cur_repo];
	r->packages++;
	bool relevant = inst_find(c, p->name) >= 0;
	for (size_t i = 0; !relevant && i < p->nobsoletes; i++)
		relevant = inst_find(c, p->obsoletes[i].name) >= 0;
	if (!relevant || !arch_ok(c, p->arch) ||
	    pkg_excluded(c, r, p->name, p->arch, p->epoch, p->ver, p->rel))
		return 0;
	if (c->nav == c->capav && grow((void **)&c->av, &c->capav, c->nav, sizeof(*c->av)) < 0)
		return -ENOMEM;
	struct avail *a = &c->av[c->nav++];
	*a = (struct avail){sdup(c, p->name),
			    sdup(c, p->arch),
			    sdup(c, p->epoch),
			    sdup(c, p->ver),
			    sdup(c, p->rel),
			    p->time_file,
			    c->cur_repo,
			    NULL,
			    0};
	if (c->nomem)
		return -ENOMEM;
	return keep_dep(c, a, p);
}

static int on_adv(void *userdata, const struct rpmmd_advisory *a)
{
	struct rctx *c = userdata;
	struct repo *r = &c->repos[c->cur_repo];
	r->advisories++;
	bool any = false;
	for (size_t i = 0; !any && i < a->npkgs; i++)
		any = inst_find(c, a->pkgs[i].name) >= 0;
	if (!any)
		return 0;
	if (c->nadv == c->capadv &&
	    grow((void **)&c->adv, &c->capadv, c->nadv, sizeof(*c->adv)) < 0)
		return -ENOMEM;
	size_t ai = c->nadv++;
	struct adv *d = &c->adv[ai];
	*d = (struct adv){
	    sdup(c, a->id),	sdup(c, a->type ? a->type : "unknown"), sdup(c, a->severity),
	    sdup(c, a->issued), calloc(a->ncves + 1, sizeof(char *)),	0,
	    c->cur_repo};
	if (!d->cves)
		return -ENOMEM;
	for (size_t i = 0; i < a->ncves; i++)
		d->cves[d->ncves++] = sdup(c, a->cves[i]);
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct rpmmd_advpkg *p = &a->pkgs[i];
		if (inst_find(c, p->name) < 0)
			continue;
		if (c->nap == c->capap &&
		    grow((void **)&c->ap, &c->capap, c->nap, sizeof(*c->ap)) < 0)
			return -ENOMEM;
		c->ap[c->nap++] = (struct advpkg){ai,
						  sdup(c, p->name),
						  sdup(c, p->arch),
						  sdup(c, p->epoch),
						  sdup(c, p->ver),
						  sdup(c, p->rel),
						  sdup(c, p->module)};
	}
	return c->nomem ? -ENOMEM : 0;
}

/* Decode raw (kind) and feed it to an XML stream parser. */
typedef int (*feed_fn)(void *parser, const char *buf, size_t len, bool final, const char **why);

static int feed_primary(void *p, const char *buf, size_t len, bool final, const char **why)
{
	return rpmmd_primary_feed(p, buf, len, final, why);
}

static int feed_updateinfo(void *p, const char *buf, size_t len, bool final, const char **why)
{
	return rpmmd_updateinfo_feed(p, buf, len, final, why);
}

static int stream_xml(const struct buf *raw, enum comp kind, void *parser, feed_fn feed,
		      const char **why)
{
	_cleanup_decomp_ struct decomp *d = NULL;
	int r = decomp_open_mem(kind, raw->data, raw->len, LIMIT_DECOMPRESSED, &d);
	if (r < 0) {
		*why = r == -EOPNOTSUPP ? "compression not supported" : "cannot decompress";
		return r;
	}
	_cleanup_free_ char *chunk = malloc(CHUNK);
	if (!chunk)
		return -ENOMEM;
	for (;;) {
		size_t n = 0;
		r = decomp_read(d, chunk, CHUNK, &n);
		if (r < 0) {
			*why = r == -EFBIG ? "larger than the limit when decompressed"
					   : "corrupt or truncated compressed data";
			return r;
		}
		r = feed(parser, chunk, n, n == 0, why);
		if (r < 0 || n == 0)
			return r;
	}
}

static int read_primary(struct rctx *c, struct repo *r, const char *dir,
			const struct rpmmd_repomd *md)
{
	const struct rpmmd_data *x = rpmmd_repomd_get(md, "primary"),
				*q = rpmmd_repomd_get(md, "primary_db");
	bool o;
	_cleanup_free_ char *px = x ? data_path(c, dir, x, &o) : NULL;
	const struct rpmmd_data *use = px || !q ? x : q;
	if (!use) {
		repo_error(r, "repomd.xml lists no primary");
		return -EBADMSG;
	}
	_cleanup_buf_ struct buf raw = {0};
	enum comp kind = COMP_NONE;
	int e = load_data(c, r, dir, use, &raw, &kind, &r->primary);
	if (e < 0)
		return e;
	r->comp = comp_name(kind);
	const char *why = NULL;
	if (use == x) {
		r->format = "xml";
		struct rpmmd_primary *p;
		e = rpmmd_primary_new(on_pkg, c, &p);
		if (e < 0)
			return e;
		e = stream_xml(&raw, kind, p, feed_primary, &why);
		rpmmd_primary_free(p);
	} else {
		r->format = "sqlite";
		_cleanup_buf_ struct buf db = {0};
		e = decompress_mem(kind, raw.data, raw.len, LIMIT_DECOMPRESSED, &db);
		char err[160] = "";
		if (e < 0)
			why = "corrupt or truncated compressed data";
		else
			e = rpmmd_primary_sqlite((unsigned char *)db.data, db.len, on_pkg, c, err,
						 sizeof(err));
		if (e < 0 && !why)
			why = err[0] ? err : "not a primary database";
		if (e < 0)
			repo_error(r, "%s: %s", r->primary, why);
	}
	if (e < 0)
		repo_error(r, "%s: %s", r->primary, why ? why : strerror(-e));
	return e;
}

static int read_updateinfo(struct rctx *c, struct repo *r, const char *dir,
			   const struct rpmmd_repomd *md)
{
	const struct rpmmd_data *u = rpmmd_repomd_get(md, "updateinfo");
	if (!u)
		return 0;
	_cleanup_buf_ struct buf raw = {0};
	_cleanup_free_ char *path = NULL;
	enum comp kind = COMP_NONE;
	int e = load_data(c, r, dir, u, &raw, &kind, &path);
	if (e < 0)
		return e;
	struct rpmmd_updateinfo *p;
	e = rpmmd_updateinfo_new(on_adv, c, &p);
	if (e < 0)
		return e;
	const char *why = NULL;
	e = stream_xml(&raw, kind, p, feed_updateinfo, &why);
	rpmmd_updateinfo_free(p);
	if (e < 0)
		repo_error(r, "%s: %s", path, why ? why : strerror(-e));
	else
		r->has_updateinfo = true;
	return e;
}

/* libdnf's cache directory suffix: the first 16 hex digits of SHA-256. */
static void repo_hash(const char *s, char out[17])
{
	char hex[EVP_MAX_MD_SIZE * 2 + 1];
	out[0] = '\0';
	if (digest_hex("sha256", s, strlen(s), hex, sizeof(hex)))
		snprintf(out, 17, "%.16s", hex);
}

static bool hex16_suffix(const char *name, const char *id)
{
	size_t il = strlen(id), n = strlen(name);
	if (n != il + 17 || strncmp(name, id, il) != 0 || name[il] != '-')
		return false;
	for (size_t i = il + 1; i < n; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return true;
}

/* The newest <base>/<id>-<hex16>/repodata among those present. */
static char *cache_scan(struct rctx *c, const char *base, const char *id)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	char *best = NULL;
	time_t bt = 0;
	if (fsroot_list(c->ctx->root, base, &names, &n) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!hex16_suffix(names[i], id))
			continue;
		char *p = NULL;
		struct stat st;
		if (asprintf(&p, "%s/%s/repodata", base, names[i]) < 0)
			break;
		_cleanup_free_ char *md = path_join(p, "repomd.xml");
		if (md && fsroot_stat(c->ctx->root, md, true, &st) == 0 &&
		    (!best || st.st_mtime > bt)) {
			free(best);
			best = p;
			bt = st.st_mtime;
		} else {
			free(p);
		}
	}
	return best;
}

static char *find_cache(struct rctx *c, const struct repo *r, const char *cachedir)
{
	struct stat st;
	char *p = NULL;
	if (strcmp(c->manager, "zypper") == 0) {
		if (asprintf(&p, "/var/cache/zypp/raw/%s/repodata", r->id) < 0)
			return NULL;
		return p;
	}
	if (strcmp(c->manager, "yum") == 0) {
		if (asprintf(&p, "%s/%s", cachedir, r->id) < 0)
			return NULL;
		_cleanup_free_ char *md = path_join(p, "repomd.xml");
		if (md && fsroot_stat(c->ctx->root, md, true, &st) == 0)
			return p;
		free(p);
		_cleanup_strv_ char **m = NULL;
		size_t n = 0;
		_cleanup_free_ char *pat = NULL;
		if (asprintf(&pat, "/var/cache/yum/*/*/%s/repomd.xml", r->id) < 0 ||
		    fsroot_glob(c->ctx->root, pat, &m, &n) < 0 || n == 0)
			return NULL;
		p = strdup(m[n - 1]);
		if (p)
			*strrchr(p, '/') = '\0';
		return p;
	}
	char h[17] = "";
	if (r->hashurl)
		repo_hash(r->hashurl, h);
	else
		repo_hash(r->id, h);
	const char *bases[] = {cachedir, "/var/cache/libdnf5"};
	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		if (asprintf(&p, "%s/%s-%s/repodata", bases[i], r->id, h) < 0)
			return NULL;
		_cleanup_free_ char *md = path_join(p, "repomd.xml");
		if (md && fsroot_stat(c->ctx->root, md, true, &st) == 0)
			return p;
		free(p);
		p = NULL;
	}
	for (size_t i = 0; !p && i < ARRAY_SIZE(bases); i++)
		p = cache_scan(c, bases[i], r->id);
	return p;
}

static int read_modules(struct rctx *c, struct repo *r, const char *dir,
			const struct rpmmd_repomd *md);

static int read_repo_metadata(struct rctx *c, size_t ri, const char *cachedir)
{
	struct repo *r = &c->repos[ri];
	c->cur_repo = ri;
	r->cache = find_cache(c, r, cachedir);
	if (!r->cache)
		return c->nomem ? -ENOMEM : 0;
	_cleanup_free_ char *mdp = path_join(r->cache, "repomd.xml");
	if (!mdp)
		return -ENOMEM;
	_cleanup_buf_ struct buf b = {0};
	struct stat st;
	int e = fsroot_read(c->ctx->root, mdp, LIMIT_RELEASE_FILE, &b);
	if (e == -ENOENT) {
		free(r->cache);
		r->cache = NULL;
		return 0;
	}
	r->found = true;
	if (e < 0) {
		probe_file_error(c->ctx, mdp, e, false);
		repo_error(r, "%s: %s", mdp, strerror(-e));
		return e == -ENOMEM ? e : 0;
	}
	if (fsroot_stat(c->ctx->root, mdp, true, &st) == 0) {
		r->fetched = st.st_mtime;
		r->has_fetched = true;
	}
	struct rpmmd_repomd md;
	const char *why = "";
	e = rpmmd_repomd_parse(b.data, b.len, &md, &why);
	if (e == -ENOMEM)
		return e;
	if (e < 0) {
		repo_error(r, "%s: %s", mdp, why);
		return 0;
	}
	r->date = rpmmd_repomd_time(&md);
	r->checks_ok = true;
	e = read_primary(c, r, r->cache, &md);
	if (e == 0)
		e = read_updateinfo(c, r, r->cache, &md);
	if (e == 0)
		e = read_modules(c, r, r->cache, &md);
	rpmmd_repomd_free(&md);
	if (e == -ENOMEM)
		return e;
	r->read_ok = e == 0;
	return 0;
}

/* ---- modules ---- */

static int on_module(void *userdata, const struct rpmmd_module *m)
{
	struct rctx *c = userdata;
	if (m->defaults) {
		if (!m->stream)
			return 0;
		if (grow((void **)&c->defaults, &c->capdefaults, c->ndefaults + 2,
			 sizeof(*c->defaults)) < 0)
			return -ENOMEM;
		c->defaults[c->ndefaults++] = sdup(c, m->name);
		c->defaults[c->ndefaults++] = sdup(c, m->stream);
		return c->nomem ? -ENOMEM : 0;
	}
	if (grow((void **)&c->ms, &c->capms, c->nms, sizeof(*c->ms)) < 0)
		return -ENOMEM;
	struct modstream *x = &c->ms[c->nms++];
	*x = (struct modstream){sdup(c, m->name), sdup(c, m->stream),
				calloc(m->nartifacts + 1, sizeof(char *)), 0};
	if (!x->art)
		return -ENOMEM;
	for (size_t i = 0; i < m->nartifacts; i++) {
		char n[256], e[32], v[256], r[256], a[64];
		if (!rpmmd_nevra_split(m->artifacts[i], n, e, v, r, a, sizeof(n)))
			continue;
		if (asprintf(&x->art[x->nart], "%s-%s:%s-%s.%s", n, e, v, r, a) < 0)
			return -ENOMEM;
		x->nart++;
	}
	return c->nomem ? -ENOMEM : 0;
}

static int read_modules(struct rctx *c, struct repo *r, const char *dir,
			const struct rpmmd_repomd *md)
{
	const struct rpmmd_data *d = rpmmd_repomd_get(md, "modules");
	if (!d)
		return 0;
	_cleanup_buf_ struct buf raw = {0}, yaml = {0};
	_cleanup_free_ char *path = NULL;
	enum comp kind = COMP_NONE;
	int e = load_data(c, r, dir, d, &raw, &kind, &path);
	if (e < 0)
		return e;
	e = decompress_mem(kind, raw.data, raw.len, LIMIT_DECOMPRESSED, &yaml);
	if (e < 0) {
		repo_error(r, "%s: corrupt or truncated compressed data", path);
		return e;
	}
	e = rpmmd_modules_parse(yaml.data, yaml.len, on_module, c);
	if (e == 0)
		r->has_modules = true;
	return e;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool in_sorted(char **v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), str_cmp);
}

/* The state dnf keeps in /etc/dnf/modules.d/NAME.module. */
static void module_state(struct rctx *c, const char *name, char *stream, size_t size, int *state)
{
	_cleanup_free_ char *p = NULL;
	_cleanup_buf_ struct buf b = {0};
	struct rpmmd_ini ini = {0};
	*state = 0; /* 0 default, 1 enabled, -1 disabled */
	stream[0] = '\0';
	if (asprintf(&p, "/etc/dnf/modules.d/%s.module", name) < 0 ||
	    fsroot_read(c->ctx->root, p, LIMIT_SMALL_FILE, &b) < 0 ||
	    rpmmd_ini_parse(b.data, b.len, &ini) < 0)
		return;
	for (size_t i = 0; i < ini.n; i++) {
		if (strcmp(ini.s[i].name, name) != 0)
			continue;
		const char *st = rpmmd_ini_get(&ini.s[i], "state");
		const char *sm = rpmmd_ini_get(&ini.s[i], "stream");
		if (st && strcasecmp(st, "enabled") == 0)
			*state = 1;
		else if (st && strcasecmp(st, "disabled") == 0)
			*state = -1;
		if (sm)
			snprintf(stream, size, "%s", sm);
	}
	rpmmd_ini_free(&ini);
}

static const char *default_stream(const struct rctx *c, const char *name)
{
	for (size_t i = 0; i + 1 < c->ndefaults; i += 2)
		if (c->defaults[i] && strcmp(c->defaults[i], name) == 0)
			return c->defaults[i + 1];
	return NULL;
}

/* Is "name:stream" active (enabled, or the default of a module with no
 * state)? */
static bool stream_active(const struct rctx *c, const char *ns)
{
	return in_sorted(c->mod_streams, c->nmod_streams, ns);
}

static int push(char ***v, size_t *n, size_t *cap, char *s)
{
	if (grow((void **)v, cap, *n, sizeof(**v)) < 0)
		return -ENOMEM;
	(*v)[(*n)++] = s;
	return 0;
}

/* libdnf's modular filtering: artifacts of inactive streams are hidden,
 * and so are non-modular packages with the name of an active artifact. */
static int module_filter(struct rctx *c)
{
	if (!c->nms)
		return 0;
	for (size_t i = 0; i < c->nms; i++) {
		const struct modstream *m = &c->ms[i];
		char stream[256];
		int state;
		module_state(c, m->name, stream, sizeof(stream), &state);
		const char *def = default_stream(c, m->name);
		bool active = state > 0 ? strcmp(stream, m->stream) == 0
					: state == 0 && def && strcmp(def, m->stream) == 0;
		if (active) {
			char *ns = NULL;
			if (asprintf(&ns, "%s:%s", m->name, m->stream) < 0 ||
			    push(&c->mod_streams, &c->nmod_streams, &c->cap_streams, ns) < 0) {
				free(ns);
				return -ENOMEM;
			}
		}
		for (size_t k = 0; k < m->nart; k++) {
			if (push(&c->mod_all, &c->nmod_all, &c->cap_all, m->art[k]) < 0)
				return -ENOMEM;
			if (active &&
			    push(&c->mod_active, &c->nmod_active, &c->cap_active, m->art[k]) < 0)
				return -ENOMEM;
		}
	}
	if (c->nmod_all) /* qsort(NULL, 0) is undefined */
		qsort(c->mod_all, c->nmod_all, sizeof(char *), str_cmp);
	if (c->nmod_active) /* qsort(NULL, 0) is undefined */
		qsort(c->mod_active, c->nmod_active, sizeof(char *), str_cmp);
	if (c->nmod_streams) /* qsort(NULL, 0) is undefined */
		qsort(c->mod_streams, c->nmod_streams, sizeof(char *), str_cmp);
	/* names of the active artifacts: "name-e:v-r.a" up to the dash before e: */
	for (size_t i = 0; i < c->nmod_active; i++) {
		const char *a = c->mod_active[i];
		const char *colon = strchr(a, ':');
		const char *d = colon;
		while (d && d > a && d[-1] != '-')
			d--;
		if (!d || d <= a + 1)
			continue;
		char *n = strndup(a, (size_t)(d - a - 1));
		if (!n || push(&c->mod_names, &c->nmod_names, &c->cap_names, n) < 0) {
			free(n);
			return -ENOMEM;
		}
	}
	if (c->nmod_names) /* qsort(NULL, 0) is undefined */
		qsort(c->mod_names, c->nmod_names, sizeof(char *), str_cmp);
	size_t w = 0;
	for (size_t i = 0; i < c->nav; i++) {
		struct avail *a = &c->av[i];
		char key[1200];
		snprintf(key, sizeof(key), "%s-%s:%s-%s.%s", a->name, a->epoch, a->ver, a->rel,
			 a->arch);
		bool keep = in_sorted(c->mod_all, c->nmod_all, key)
				? in_sorted(c->mod_active, c->nmod_active, key)
				: !in_sorted(c->mod_names, c->nmod_names, a->name);
		if (keep) {
			c->av[w++] = *a;
			continue;
		}
		avail_free(a);
	}
	c->nav = w;
	return 0;
}

/* ---- computing ---- */

/* dnf's priority per name: the best (lowest) among the repositories
 * offering the name. */
static long best_priority(const struct rctx *c, const char *name)
{
	long best = LONG_MAX;
	for (size_t i = 0; i < c->nav; i++)
		if (strcmp(c->av[i].name, name) == 0 && c->repos[c->av[i].repo].priority < best)
			best = c->repos[c->av[i].repo].priority;
	return best;
}

/* libdnf's what_upgrades: is there an installed package a upgrades? */
static bool upgrades(const struct rctx *c, const struct avail *a)
{
	long f = inst_find(c, a->name);
	bool any = false;
	for (size_t i = f < 0 ? c->ninst : (size_t)f;
	     i < c->ninst && strcmp(c->inst[i].name, a->name) == 0; i++) {
		const struct inst *p = &c->inst[i];
		if (p->excluded || !same_or_noarch(p->arch, a->arch))
			continue;
		if (rpmmd_evr_cmp(p->epoch, p->ver, p->rel, a->epoch, a->ver, a->rel) >= 0)
			return false;
		any = true;
	}
	return any;
}

static int avail_cmp(const void *x, const void *y)
{
	const struct avail *a = x, *b = y;
	int r = strcmp(a->name, b->name);
	if (!r)
		r = strcmp(a->arch, b->arch);
	if (!r)
		r = -rpmmd_evr_cmp(a->epoch, a->ver, a->rel, b->epoch, b->ver, b->rel);
	if (!r)
		r = (a->repo > b->repo) - (a->repo < b->repo);
	return r;
}

/* The newest installed package of a name.arch (for an advisory), or NULL. */
static const struct inst *newest_inst(const struct rctx *c, const char *name, const char *arch)
{
	long f = inst_find(c, name);
	const struct inst *best = NULL;
	for (size_t i = f < 0 ? c->ninst : (size_t)f;
	     i < c->ninst && strcmp(c->inst[i].name, name) == 0; i++)
		if (!c->inst[i].excluded && strcmp(c->inst[i].arch, arch) == 0)
			best = &c->inst[i]; /* sorted by EVR */
	return best;
}

static int sev_rank(const char *s)
{
	static const char *const order[] = {"low", "moderate", "important", "critical"};
	for (size_t i = 0; s && i < ARRAY_SIZE(order); i++)
		if (strcasecmp(s, order[i]) == 0)
			return (int)i + 1;
	return 0;
}

/* Advisory facts of a name.arch installed at inst: the applicable
 * advisories (ids, security, worst severity, CVEs). */
struct advinfo {
	json_t *ids, *cves;
	const char *severity;
	bool security;
	char *fixed; /* newest EVR a security advisory ships (owned) */
};

static void advinfo_free(struct advinfo *ai)
{
	json_decref(ai->ids);
	json_decref(ai->cves);
	free(ai->fixed);
}

static bool stream_active(const struct rctx *c, const char *ns);

/* An advisory package counts for the newest installed one of its name.arch
 * when newer; one of a module's collection only if that stream is active. */
static bool adv_applies(const struct rctx *c, const struct advpkg *p, const struct inst *in)
{
	if (p->module && !stream_active(c, p->module))
		return false;
	return in && strcmp(p->arch, in->arch) == 0 &&
	       rpmmd_evr_cmp(p->epoch, p->ver, p->rel, in->epoch, in->ver, in->rel) > 0;
}

static bool is_security(const struct adv *a)
{
	return strcmp(a->type, "security") == 0;
}

static int advinfo_get(const struct rctx *c, const char *name, const char *arch, struct advinfo *ai)
{
	*ai = (struct advinfo){json_array(), json_array(), NULL, false, NULL};
	if (!ai->ids || !ai->cves)
		return -ENOMEM;
	const struct inst *in = newest_inst(c, name, arch);
	const struct advpkg *best = NULL;
	for (size_t i = 0; i < c->nap; i++) {
		const struct advpkg *p = &c->ap[i];
		if (strcmp(p->name, name) != 0 || !adv_applies(c, p, in))
			continue;
		const struct adv *a = &c->adv[p->adv];
		json_array_append_new(ai->ids, json_string(a->id));
		if (!is_security(a))
			continue;
		ai->security = true;
		if (sev_rank(a->severity) > sev_rank(ai->severity) ||
		    (!ai->severity && a->severity))
			ai->severity = a->severity;
		for (size_t k = 0; k < a->ncves; k++)
			json_array_append_new(ai->cves, json_string(a->cves[k]));
		if (!best ||
		    rpmmd_evr_cmp(p->epoch, p->ver, p->rel, best->epoch, best->ver, best->rel) > 0)
			best = p;
	}
	json_str_array_sort(ai->ids, true);
	json_str_array_sort(ai->cves, true);
	if (best && !(ai->fixed = evr_str(best->epoch, best->ver, best->rel)))
		return -ENOMEM;
	return 0;
}

static bool installonly(const char *name)
{
	static const char *const names[] = {"kernel",
					    "kernel-core",
					    "kernel-modules",
					    "kernel-modules-core",
					    "kernel-modules-extra",
					    "kernel-devel",
					    "kernel-PAE",
					    "kernel-uek",
					    "kernel-uek-core",
					    "kernel-rt",
					    "kernel-rt-core",
					    "kernel-default",
					    "kernel-debug",
					    "kernel-debug-core",
					    "installonlypkg"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static json_t *record(struct rctx *c, const char *kind, const struct inst *in,
		      const struct avail *cand, json_t *repos, const char *obsoleted_by,
		      const char *fixed, size_t *nsec)
{
	json_t *o = json_object();
	_cleanup_free_ char *iv = evr_str(in->epoch, in->ver, in->rel);
	_cleanup_free_ char *cv = cand ? evr_str(cand->epoch, cand->ver, cand->rel) : NULL;
	struct advinfo ai;
	if (!o || !iv || (cand && !cv) || advinfo_get(c, in->name, in->arch, &ai) < 0) {
		json_decref(o);
		json_decref(repos);
		return NULL;
	}
	json_set(o, "name", json_string(in->name));
	json_set(o, "architecture", json_string(cand ? cand->arch : in->arch));
	json_set(o, "installed_architecture", json_string(in->arch));
	json_set(o, "installed_version", json_string(iv));
	json_set(o, "candidate_version", json_str(cand ? cv : fixed ? fixed : ai.fixed));
	json_set(o, "candidate_name", json_str(cand ? cand->name : NULL));
	json_set(o, "kind", json_string(kind));
	json_set(o, "obsoleted_by", json_str(obsoleted_by));
	json_set(o, "installonly", json_boolean(installonly(in->name)));
	json_set(o, "security", json_boolean(ai.security));
	json_set(o, "severity", json_str(ai.severity));
	json_set(o, "advisories", json_incref(ai.ids));
	json_set(o, "cves", json_incref(ai.cves));
	json_set(o, "suites", repos ? repos : json_array());
	json_set(o, "codenames", json_array());
	json_set(o, "origins", json_array());
	json_set(o, "source", json_null());
	json_set(o, "held", json_false());
	json_set(o, "phased_percentage", json_null());
	json_set(o, "available_days",
		 cand && cand->tfile >= 0
		     ? json_integer(days_between((time_t)cand->tfile, c->ctx->now))
		     : json_null());
	*nsec += ai.security;
	advinfo_free(&ai);
	return o;
}

/* Repositories offering exactly this name.arch.evr (the candidate's). */
static json_t *cand_repos(const struct rctx *c, const struct avail *a, const bool *is_cand)
{
	json_t *r = json_array();
	for (size_t i = 0; r && i < c->nav; i++) {
		const struct avail *b = &c->av[i];
		if (is_cand[i] && strcmp(b->name, a->name) == 0 && strcmp(b->arch, a->arch) == 0 &&
		    rpmmd_evr_cmp(a->epoch, a->ver, a->rel, b->epoch, b->ver, b->rel) == 0)
			json_array_append_new(r, json_string(c->repos[b->repo].id));
	}
	json_str_array_sort(r, true);
	return r;
}

/* The installed package of name.arch the update replaces (newest). */
static const struct inst *replaced(const struct rctx *c, const struct avail *a)
{
	long f = inst_find(c, a->name);
	const struct inst *best = NULL;
	for (size_t i = f < 0 ? c->ninst : (size_t)f;
	     i < c->ninst && strcmp(c->inst[i].name, a->name) == 0; i++)
		if (!c->inst[i].excluded && same_or_noarch(c->inst[i].arch, a->arch) &&
		    (!best || strcmp(c->inst[i].arch, a->arch) == 0 ||
		     strcmp(best->arch, a->arch) != 0))
			best = &c->inst[i];
	return best;
}

static bool zypper(const struct rctx *c)
{
	return strcmp(c->manager, "zypper") == 0;
}

static bool obsoleted(const struct rctx *c, const struct inst *in);

/* What zypper list-updates leaves out (measured against zypper 1.14): an
 * architecture-specific update of a name installed in several
 * architectures (libzypp groups packages by name; SUSE ships 32-bit
 * libraries as separate -32bit names; a noarch update of such a name is
 * listed), and a package an available one obsoletes (the solver replaces
 * it). */
static bool zypper_skips(const struct rctx *c, const struct inst *in, const struct avail *a)
{
	long f = inst_find(c, in->name);
	for (size_t i = (size_t)f; f >= 0 && i < c->ninst && strcmp(c->inst[i].name, in->name) == 0;
	     i++)
		if (strcmp(c->inst[i].arch, in->arch) != 0 && strcmp(a->arch, "noarch") != 0)
			return true;
	return obsoleted(c, in);
}

static int compute_upgrades(struct rctx *c, json_t *updates, size_t *nsec, json_t *seen)
{
	if (c->nav > 1)
		qsort(c->av, c->nav, sizeof(*c->av), avail_cmp);
	_cleanup_free_ bool *is_cand = calloc(c->nav + 1, sizeof(bool));
	if (!is_cand)
		return -ENOMEM;
	/* av is sorted by name: the best priority of each run of a name */
	for (size_t i = 0, j; i < c->nav; i = j) {
		long best = LONG_MAX;
		for (j = i; j < c->nav && strcmp(c->av[j].name, c->av[i].name) == 0; j++)
			if (c->repos[c->av[j].repo].priority < best)
				best = c->repos[c->av[j].repo].priority;
		for (size_t k = i; k < j; k++)
			is_cand[k] =
			    c->repos[c->av[k].repo].priority == best && upgrades(c, &c->av[k]);
	}
	/* latest per name.arch: av is sorted newest first within name.arch */
	for (size_t i = 0; i < c->nav; i++) {
		if (!is_cand[i])
			continue;
		const struct avail *a = &c->av[i];
		bool first = true;
		for (size_t j = i; j-- > 0 && strcmp(c->av[j].name, a->name) == 0 &&
				   strcmp(c->av[j].arch, a->arch) == 0;)
			if (is_cand[j]) {
				first = false;
				break;
			}
		if (!first)
			continue;
		const struct inst *in = replaced(c, a);
		if (!in || (zypper(c) && zypper_skips(c, in, a)))
			continue;
		json_t *o =
		    record(c, "upgrade", in, a, cand_repos(c, a, is_cand), NULL, NULL, nsec);
		if (!o || json_array_append_new(updates, o) < 0)
			return -ENOMEM;
		char key[600];
		snprintf(key, sizeof(key), "%s.%s", in->name, in->arch);
		json_object_set_new(seen, key, json_true());
	}
	return 0;
}

/* Does available a obsolete installed in (name = EVR, same colour)? */
static bool obsoletes_inst(const struct avail *a, const struct inst *in)
{
	bool hit = false;
	for (size_t d = 0; !hit && d < a->nobs; d++) {
		struct rpmmd_dep dep = {a->obs[d].name, a->obs[d].flags, a->obs[d].epoch,
					a->obs[d].ver, a->obs[d].rel};
		hit = strcmp(dep.name, in->name) == 0 &&
		      rpmmd_dep_matches(&dep, in->epoch, in->ver, in->rel);
	}
	int ca = arch_color(a->arch), ci = arch_color(in->arch);
	return hit && !(ca && ci && ca != ci);
}

static bool obsoleted(const struct rctx *c, const struct inst *in)
{
	for (size_t i = 0; i < c->nav; i++)
		if (c->av[i].nobs &&
		    c->repos[c->av[i].repo].priority == best_priority(c, c->av[i].name) &&
		    obsoletes_inst(&c->av[i], in))
			return true;
	return false;
}

/* "Obsoleting Packages": (new, installed) pairs. */
static int compute_obsoletes(struct rctx *c, json_t *updates, size_t *nsec, json_t *seen)
{
	if (!c->obsoletes)
		return 0;
	for (size_t i = 0; i < c->nav; i++) {
		const struct avail *a = &c->av[i];
		if (!a->nobs || c->repos[a->repo].priority != best_priority(c, a->name))
			continue;
		for (size_t k = 0; k < c->ninst; k++) {
			const struct inst *in = &c->inst[k];
			if (in->excluded)
				continue;
			if (!obsoletes_inst(a, in))
				continue;
			_cleanup_free_ char *nv = evr_str(a->epoch, a->ver, a->rel);
			char by[700];
			snprintf(by, sizeof(by), "%s-%s.%s", a->name, nv ? nv : "", a->arch);
			json_t *repos = json_array();
			if (repos)
				json_array_append_new(repos, json_string(c->repos[a->repo].id));
			json_t *o = record(c, "obsoleted", in, a, repos, by, NULL, nsec);
			if (!o || json_array_append_new(updates, o) < 0)
				return -ENOMEM;
			char key[600];
			snprintf(key, sizeof(key), "%s.%s", in->name, in->arch);
			json_object_set_new(seen, key, json_true());
		}
	}
	return 0;
}

/* The rpm_advisories list, and a record for each name.arch with an
 * applicable security advisory but no upgrade in the repositories. */
static int compute_advisories(struct rctx *c, json_t *advs, json_t *updates, size_t *nsec,
			      json_t *seen)
{
	for (size_t i = 0; i < c->nap; i++) {
		const struct advpkg *p = &c->ap[i];
		const struct inst *in = newest_inst(c, p->name, p->arch);
		if (!adv_applies(c, p, in))
			continue;
		const struct adv *a = &c->adv[p->adv];
		_cleanup_free_ char *fv = evr_str(p->epoch, p->ver, p->rel),
				    *iv = evr_str(in->epoch, in->ver, in->rel);
		json_t *o = json_object(), *cves = json_array();
		if (!o || !cves || !fv || !iv) {
			json_decref(o);
			json_decref(cves);
			return -ENOMEM;
		}
		for (size_t k = 0; k < a->ncves; k++)
			json_array_append_new(cves, json_string(a->cves[k]));
		json_str_array_sort(cves, true);
		json_set(o, "id", json_string(a->id));
		json_set(o, "type", json_string(a->type));
		json_set(o, "severity", json_str(a->severity));
		json_set(o, "security", json_boolean(is_security(a)));
		json_set(o, "name", json_string(p->name));
		json_set(o, "architecture", json_string(p->arch));
		json_set(o, "fixed_version", json_string(fv));
		json_set(o, "installed_version", json_string(iv));
		json_set(o, "cves", cves);
		json_set(o, "issued", json_str(a->issued));
		json_set(o, "repo", json_string(c->repos[a->repo].id));
		/* one entry per (advisory, package) as dnf lists them */
		size_t k;
		json_t *e;
		bool dup = false;
		json_array_foreach(advs, k, e)
			dup |= json_equal(e, o);
		if (dup)
			json_decref(o);
		else if (json_array_append_new(advs, o) < 0)
			return -ENOMEM;
		char key[600];
		snprintf(key, sizeof(key), "%s.%s", in->name, in->arch);
		if (!is_security(a) || json_object_get(seen, key))
			continue;
		json_object_set_new(seen, key, json_true());
		json_t *u = record(c, "advisory", in, NULL, json_array(), NULL, NULL, nsec);
		if (!u || json_array_append_new(updates, u) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- JSON ---- */

static json_t *url_json(const char *u)
{
	if (!u)
		return json_null();
	const char *s = strstr(u, "://");
	const char *at = s ? strchr(s + 3, '@') : NULL;
	const char *slash = s ? strchr(s + 3, '/') : NULL;
	if (!at || (slash && slash < at))
		return json_string(u);
	char *r = NULL;
	if (asprintf(&r, "%.*s%s", (int)(s + 3 - u), u, at + 1) < 0)
		return NULL;
	json_t *j = json_string(r);
	free(r);
	return j;
}

static json_t *strs_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *tjson(bool have, time_t t)
{
	char buf[21];
	if (!have)
		return json_null();
	time_rfc3339(t, buf);
	return json_string(buf);
}

static json_t *repo_json(const struct rctx *c, const struct repo *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	bool dated = r->date >= 0;
	json_set(o, "id", json_str(r->id));
	json_set(o, "manager", json_string(c->manager));
	json_set(o, "file", json_str(r->file));
	json_set(o, "line", json_integer(r->line));
	json_set(o, "enabled", json_boolean(r->enabled));
	json_set(o, "baseurl", url_json(r->baseurl));
	json_set(o, "priority", json_integer(r->priority));
	json_set(o, "excludes", strs_json(r->excl, r->nexcl));
	json_set(o, "includes", strs_json(r->incl, r->nincl));
	json_set(o, "cache", json_str(r->cache));
	json_set(o, "metadata_found", json_boolean(r->found));
	json_set(o, "metadata_date", tjson(dated, (time_t)r->date));
	json_set(o, "metadata_age_days",
		 dated ? json_integer(days_between((time_t)r->date, c->ctx->now)) : json_null());
	json_set(o, "fetched", tjson(r->has_fetched, r->fetched));
	json_set(o, "fetched_days",
		 r->has_fetched ? json_integer(days_between(r->fetched, c->ctx->now))
				: json_null());
	json_set(o, "primary", json_str(r->primary));
	json_set(o, "primary_format", json_str(r->format));
	json_set(o, "compression", json_str(r->comp));
	json_set(o, "checksums_ok", r->found ? json_boolean(r->checks_ok) : json_null());
	json_set(o, "packages", r->read_ok ? json_integer((json_int_t)r->packages) : json_null());
	json_set(o, "updateinfo", json_boolean(r->has_updateinfo));
	json_set(o, "modules", json_boolean(r->has_modules));
	json_set(o, "advisories", json_integer((json_int_t)r->advisories));
	json_set(o, "error", json_str(r->error));
	return o;
}

static json_t *summary_json(struct rctx *c, size_t pending, size_t nsec)
{
	json_t *o = json_object(), *archs = json_array();
	if (!o || !archs) {
		json_decref(o);
		json_decref(archs);
		return NULL;
	}
	size_t enabled = 0, used = 0, missing = 0, bad = 0;
	bool have_date = false, have_f = false, security = false;
	time_t date = 0, fetched = 0;
	for (size_t i = 0; i < c->nrepos; i++) {
		const struct repo *r = &c->repos[i];
		if (!r->enabled)
			continue;
		enabled++;
		if (!r->found) {
			missing++;
			continue;
		}
		if (!r->read_ok) {
			bad++;
			continue;
		}
		used++;
		security |= r->has_updateinfo;
		if (r->date >= 0 && (!have_date || (time_t)r->date > date)) {
			date = (time_t)r->date;
			have_date = true;
		}
		if (r->has_fetched && (!have_f || r->fetched > fetched)) {
			fetched = r->fetched;
			have_f = true;
		}
	}
	json_array_append_new(archs, json_string(c->basearch));
	json_array_append_new(archs, json_string("noarch"));
	bool known = used > 0 && !c->inst_failed;
	c->known = known;
	json_set(o, "apt", json_false());
	json_set(o, "manager", json_string(c->manager));
	json_set(o, "native_architecture", json_string(c->basearch));
	json_set(o, "architectures", archs);
	json_set(o, "sources", json_integer((json_int_t)enabled));
	json_set(o, "lists_used", json_integer((json_int_t)used));
	json_set(o, "lists_missing", json_integer((json_int_t)missing));
	json_set(o, "lists_unreadable", json_integer((json_int_t)bad));
	json_set(o, "lists_unused", json_integer(0));
	json_set(o, "lists_date", tjson(have_date, date));
	json_set(o, "lists_age_days",
		 have_date ? json_integer(days_between(date, c->ctx->now)) : json_null());
	json_set(o, "lists_fetched", tjson(have_f, fetched));
	json_set(o, "lists_fetched_days",
		 have_f ? json_integer(days_between(fetched, c->ctx->now)) : json_null());
	json_set(o, "security_source", json_boolean(security));
	json_set(o, "default_release", json_null());
	json_set(o, "pins", json_integer(0));
	/* Counts from some repositories only are lower bounds: a nonzero one
	 * stands (at least that many), zero is unknown. */
	bool complete = known && !missing && !bad;
	json_set(o, "complete", json_boolean(complete));
	json_set(o, "pending",
		 known && (complete || pending) ? json_integer((json_int_t)pending) : json_null());
	json_set(o, "pending_security",
		 known && (complete || nsec) ? json_integer((json_int_t)nsec) : json_null());
	return o;
}

/* ---- the whole ---- */

static const char *pick_manager(struct probe_ctx *ctx)
{
	struct stat st;
	if (fsroot_stat(ctx->root, "/etc/zypp/repos.d", true, &st) == 0 && S_ISDIR(st.st_mode))
		return "zypper";
	if (fsroot_stat(ctx->root, "/etc/dnf/dnf.conf", true, &st) == 0)
		return "dnf";
	if (fsroot_stat(ctx->root, "/etc/yum.conf", true, &st) == 0)
		return "yum";
	return "dnf";
}

static int load_config(struct rctx *c, char *cachedir, size_t csize)
{
	char reposdir[LIMIT_PATH] = "/etc/yum.repos.d /etc/yum/repos.d /etc/distro.repos.d";
	c->obsoletes = true;
	read_releasever(c);
	int r = read_vars(c);
	if (r < 0)
		return r;
	if (strcmp(c->manager, "zypper") == 0) {
		snprintf(cachedir, csize, "/var/cache/zypp/raw");
		return read_repos_dir(c, "/etc/zypp/repos.d");
	}
	bool yum = strcmp(c->manager, "yum") == 0;
	if (yum)
		snprintf(cachedir, csize, "/var/cache/yum/%s/%s", c->basearch, c->releasever);
	else
		snprintf(cachedir, csize, "/var/cache/dnf");
	r = read_main(c, yum ? "/etc/yum.conf" : "/etc/dnf/dnf.conf", reposdir, sizeof(reposdir),
		      cachedir, csize);
	if (r < 0)
		return r;
	_cleanup_free_ char *dirs = subst(c, reposdir);
	if (!dirs)
		return -ENOMEM;
	for (char *save = NULL, *d = strtok_r(dirs, " ,\t\n", &save); d;
	     d = strtok_r(NULL, " ,\t\n", &save)) {
		r = read_repos_dir(c, d);
		if (r < 0)
			return r;
	}
	return 0;
}

static void report_repos(struct rctx *c)
{
	for (size_t i = 0; i < c->nrepos; i++) {
		const struct repo *r = &c->repos[i];
		if (!r->enabled)
			continue;
		const char *cmd = zypper(c)			   ? "zypper refresh"
				  : strcmp(c->manager, "yum") == 0 ? "yum makecache"
								   : "dnf makecache";
		if (!r->found)
			probe_msg(c->ctx,
				  "リポジトリ %s のメタデータがキャッシュにありません（%s "
				  "が実行されていません）",
				  "repository %s has no metadata in the cache (%s has not run)",
				  r->id, cmd);
		else if (!r->read_ok)
			probe_msg(c->ctx, "リポジトリ %s のメタデータを使えません: %s",
				  "repository %s: metadata unusable: %s", r->id,
				  r->error ? r->error : "?");
		if (!r->found || !r->read_ok) {
			/* the updates may be short: no rule over them may pass */
			probe_incomplete(c->ctx, "updates");
			probe_incomplete(c->ctx, "rpm_advisories");
		}
	}
}

static void mark_excluded(struct rctx *c)
{
	for (size_t i = 0; i < c->ninst; i++) {
		struct inst *p = &c->inst[i];
		p->excluded = pkg_excluded(c, NULL, p->name, p->arch, p->epoch, p->ver, p->rel);
	}
}

static int run(struct rctx *c, const char *dbpath, json_t *updates, json_t *repos, json_t *advs,
	       json_t **summary)
{
	char cachedir[LIMIT_PATH];
	int r = read_installed(c, dbpath);
	if (r == -ENOMEM)
		return r;
	c->inst_failed = r < 0;
	guess_basearch(c);
	c->manager = pick_manager(c->ctx);
	r = load_config(c, cachedir, sizeof(cachedir));
	if (r < 0)
		return r;
	mark_excluded(c);
	for (size_t i = 0; i < c->nrepos; i++)
		if (c->repos[i].enabled && (r = read_repo_metadata(c, i, cachedir)) < 0)
			return r;
	report_repos(c);
	r = module_filter(c);
	if (r < 0)
		return r;
	size_t nsec = 0;
	json_t *seen = json_object();
	if (!seen)
		return -ENOMEM;
	r = compute_upgrades(c, updates, &nsec, seen);
	/* zypper list-updates lists no obsoleting packages */
	if (r == 0 && strcmp(c->manager, "zypper") != 0)
		r = compute_obsoletes(c, updates, &nsec, seen);
	if (r == 0)
		r = compute_advisories(c, advs, updates, &nsec, seen);
	json_decref(seen);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->nrepos; i++) {
		json_t *o = repo_json(c, &c->repos[i]);
		if (!o || json_array_append_new(repos, o) < 0)
			return -ENOMEM;
	}
	*summary = summary_json(c, json_array_size(updates), nsec);
	return *summary ? 0 : -ENOMEM;
}

int rpmmd_collect(struct probe_ctx *ctx, const char *dbpath)
{
	struct rctx c = {.ctx = ctx};
	json_t *updates = json_array(), *repos = json_array(), *advs = json_array(),
	       *summary = NULL;
	int r =
	    updates && repos && advs ? run(&c, dbpath, updates, repos, advs, &summary) : -ENOMEM;
	rctx_free(&c);
	json_array_sort_by(updates, "name");
	json_array_sort_by(repos, "id");
	json_array_sort_by(advs, "id");
	/* Without any repository's metadata (or the installed set) nothing is
	 * known about pending updates: the collections are left out, so rules
	 * over them say unknown, never pass on an empty list. With some
	 * repositories unusable the lists are lower bounds and the probe is
	 * partial. */
	bool known = c.known;
	if (r == 0 && known &&
	    (json_set(ctx->inventory, "updates", json_incref(updates)) < 0 ||
	     json_set(ctx->inventory, "rpm_advisories", json_incref(advs)) < 0))
		r = -ENOMEM;
	if (r == 0 && (json_set(ctx->inventory, "rpm_repos", json_incref(repos)) < 0 ||
		       json_set(ctx->inventory, "update_summary", json_incref(summary)) < 0))
		r = -ENOMEM;
	json_decref(updates);
	json_decref(repos);
	json_decref(advs);
	json_decref(summary);
	return r;
}
