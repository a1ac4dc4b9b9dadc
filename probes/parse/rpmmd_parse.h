/* rpmmd_parse.h - the repository metadata dnf, yum and zypper keep on
 * disk ("rpm-md"), parsed without the package managers:
 *
 *  - repomd.xml: the index of a repository's metadata files (type,
 *    location, checksum of the stored and of the open file, timestamp);
 *  - primary (XML, any compression the caller decodes, or the SQLite
 *    form createrepo_c and yum write): one record per package with its
 *    name, epoch, version, release, architecture and obsoletes;
 *  - updateinfo.xml: advisories (id, type, severity, CVE references,
 *    the packages that fix them, the module of each collection);
 *  - .repo and dnf.conf/zypp ini files: sections of key = value, with
 *    the continuation lines and comments Python's ConfigParser accepts,
 *    and dnf's $variable substitution.
 *
 * XML goes through expat with DTDs refused (no entity can expand), every
 * string and every count is bounded, and the XML parsers are streams fed
 * chunk by chunk so a decompressor can feed them. Pure: no I/O.
 */
#ifndef TENKEN_RPMMD_PARSE_H
#define TENKEN_RPMMD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- repomd.xml ---- */

struct rpmmd_data {
	char *type;	     /* "primary", "primary_db", "updateinfo", "modules"... */
	char *href;	     /* location href ("repodata/...-primary.xml.gz") */
	char *checksum_type; /* "sha256"... of the stored file */
	char *checksum;	     /* lowercase hex */
	char *open_checksum_type, *open_checksum; /* of the decompressed file */
	int64_t timestamp;			  /* -1 when absent */
	int64_t size;				  /* -1 when absent */
};

struct rpmmd_repomd {
	char *revision;
	struct rpmmd_data *data;
	size_t n;
};

/* Parse repomd.xml. 0, -EBADMSG (not well-formed, not a <repomd>, a DTD)
 * with *why a static English reason, -ENOMEM. */
int rpmmd_repomd_parse(const char *buf, size_t len, struct rpmmd_repomd *ret, const char **why);
void rpmmd_repomd_free(struct rpmmd_repomd *r);
/* The entry of a type, or NULL. */
const struct rpmmd_data *rpmmd_repomd_get(const struct rpmmd_repomd *r, const char *type);
/* The newest data timestamp (else the revision when it is a number), -1. */
int64_t rpmmd_repomd_time(const struct rpmmd_repomd *r);

/* ---- packages (primary) ---- */

/* RPMSENSE-like flags of a dependency: "LT", "LE", "EQ", "GE", "GT". */
enum rpmmd_flags {
	RPMMD_ANY = 0,
	RPMMD_LT = 1,
	RPMMD_GT = 2,
	RPMMD_EQ = 4,
	RPMMD_LE = RPMMD_LT | RPMMD_EQ,
	RPMMD_GE = RPMMD_GT | RPMMD_EQ,
};

struct rpmmd_dep {
	const char *name;
	unsigned flags;		       /* enum rpmmd_flags */
	const char *epoch, *ver, *rel; /* NULL when absent */
};

/* One package; the strings are borrowed for the callback. epoch is never
 * NULL ("0" when the metadata gives none). */
struct rpmmd_pkg {
	const char *name, *arch, *epoch, *ver, *rel, *location;
	int64_t time_file; /* <time file=...>: when the repository got it, -1 */
	const struct rpmmd_dep *obsoletes;
	size_t nobsoletes;
};

/* Called per package; a negative return stops the parse and is returned. */
typedef int (*rpmmd_pkg_fn)(void *userdata, const struct rpmmd_pkg *p);

struct rpmmd_primary;
int rpmmd_primary_new(rpmmd_pkg_fn fn, void *userdata, struct rpmmd_primary **ret);
/* Feed the next chunk; final = true with the last one (which may be
 * empty). 0, -EBADMSG with *why, -ENOMEM, -E2BIG (more packages than
 * LIMIT_RPMMD_PACKAGES), or the callback's error. */
int rpmmd_primary_feed(struct rpmmd_primary *p, const char *buf, size_t len, bool final,
		       const char **why);
size_t rpmmd_primary_count(const struct rpmmd_primary *p);
void rpmmd_primary_free(struct rpmmd_primary *p);
/* The whole document at once. */
int rpmmd_primary_parse(const char *buf, size_t len, rpmmd_pkg_fn fn, void *userdata,
			const char **why);

/* The same records from createrepo_c's/yum's primary.sqlite image (buf is
 * used in place, read-only; may be patched from WAL to rollback mode).
 * 0, -EBADMSG with why (static or in errbuf), -ENOMEM, -ETIMEDOUT. */
int rpmmd_primary_sqlite(unsigned char *buf, size_t len, rpmmd_pkg_fn fn, void *userdata,
			 char *errbuf, size_t errlen);

/* ---- updateinfo ---- */

struct rpmmd_advpkg {
	const char *name, *epoch, *ver, *rel, *arch; /* epoch "0" when absent */
	const char *module;			     /* "name:stream" of its collection, or NULL */
};

struct rpmmd_advisory {
	const char *id, *type, *severity, *title, *issued;
	const char *const *cves; /* reference ids of type "cve" */
	size_t ncves;
	const struct rpmmd_advpkg *pkgs;
	size_t npkgs;
};

typedef int (*rpmmd_adv_fn)(void *userdata, const struct rpmmd_advisory *a);

struct rpmmd_updateinfo;
int rpmmd_updateinfo_new(rpmmd_adv_fn fn, void *userdata, struct rpmmd_updateinfo **ret);
int rpmmd_updateinfo_feed(struct rpmmd_updateinfo *u, const char *buf, size_t len, bool final,
			  const char **why);
void rpmmd_updateinfo_free(struct rpmmd_updateinfo *u);
int rpmmd_updateinfo_parse(const char *buf, size_t len, rpmmd_adv_fn fn, void *userdata,
			   const char **why);

/* ---- ini files (.repo, dnf.conf, zypp .repo) ---- */

struct rpmmd_kv {
	char *key; /* lowercase */
	char *value;
	unsigned line;
};

struct rpmmd_section {
	char *name;
	unsigned line;
	struct rpmmd_kv *kv;
	size_t n;
};

struct rpmmd_ini {
	struct rpmmd_section *s;
	size_t n;
	unsigned bad_lines; /* lines that are neither a section, a key nor a comment */
	unsigned first_bad;
};

/* Python ConfigParser as dnf and zypp read these files: "[section]",
 * "key = value" or "key: value", lines starting with whitespace continue
 * the previous value (joined with "\n"), '#' and ';' start comment
 * lines; a key repeated in a section keeps the last value. 0 or -ENOMEM. */
int rpmmd_ini_parse(const char *buf, size_t len, struct rpmmd_ini *ret);
void rpmmd_ini_free(struct rpmmd_ini *ini);
/* The value of key in a section, or NULL. */
const char *rpmmd_ini_get(const struct rpmmd_section *s, const char *key);
/* "1", "yes", "true", "on" -> 1; "0", "no", "false", "off" -> 0; else -1. */
int rpmmd_bool(const char *v);

/* dnf's substitution: $name and ${name} for each (name, value) pair in
 * vars (NULL-terminated, name then value); unknown variables are kept.
 * Returns a new string or NULL (ENOMEM). */
char *rpmmd_subst(const char *s, const char *const *vars);

/* ---- modules.yaml ---- */

/* One YAML document of modules.yaml: a "modulemd" (a stream of a module
 * and the binary packages it ships, as "name-epoch:version-release.arch")
 * or a "modulemd-defaults" (the default stream of a module; stream NULL
 * when none). Borrowed for the callback. */
struct rpmmd_module {
	bool defaults;
	const char *name, *stream;
	const char *const *artifacts;
	size_t nartifacts;
};

typedef int (*rpmmd_module_fn)(void *userdata, const struct rpmmd_module *m);

/* The block-style YAML subset modulemd files use: "---"/"..." document
 * markers, indentation, "key: value", "key:", "- item", quoted scalars.
 * Anything else is skipped. 0, -ENOMEM, or the callback's error. */
int rpmmd_modules_parse(const char *buf, size_t len, rpmmd_module_fn fn, void *userdata);

/* Split "name-[epoch:]version-release.arch" (an artifact) into its parts
 * (copied into out, at most size bytes each). false if malformed. */
bool rpmmd_nevra_split(const char *s, char *name, char *epoch, char *ver, char *rel, char *arch,
		       size_t size);

/* ---- versions ---- */

/* rpm's comparison of two (epoch, version, release) triples; a NULL
 * release on either side is not compared (a dependency without release). */
int rpmmd_evr_cmp(const char *e1, const char *v1, const char *r1, const char *e2, const char *v2,
		  const char *r2);
/* Does the range of dep contain the package (epoch, ver, rel)? */
bool rpmmd_dep_matches(const struct rpmmd_dep *d, const char *epoch, const char *ver,
		       const char *rel);

#endif
