/* executables.c - the "executables" probe: for each distinct executable
 * of a running process or an enabled/running service, which package owns
 * it, whether its bytes still match the package's recorded digest, and its
 * hardening (probes/read/elf.c, checksec's definitions).
 *
 * The set of executables comes from the "processes" (exe) and "services"
 * (exec_start) collections, so this probe runs after theirs; with neither
 * present it has nothing to look at and is not applicable. Paths are
 * spelt the /usr way where the root is /usr-merged, so /bin/sh from a
 * unit file and /usr/bin/sh from /proc are one executable.
 *
 * Ownership comes from the PKG.list files of /var/lib/dpkg/info, checksums from
 * PKG.md5sums beside them, with dpkg's diversions applied as dpkg applies
 * them when it unpacks: a path diverted by another package (or by the
 * administrator, a local diversion) is where the listing package's file
 * is NOT; that file sits at the diverted-to path, which it owns and whose
 * bytes its md5sums line describes. On a host without
 * /var/lib/dpkg/info they come from rpm's database (any of its formats,
 * probes/read/rpmdb.c): each header's BASENAMES/DIRNAMES/DIRINDEXES give the
 * paths, FILEDIGESTS in FILEDIGESTALGO (MD5 when absent, SHA-256 today)
 * the digest; %config and %ghost files are not compared, nor is a file
 * rpm recorded no digest for. The first package listing a path owns it
 * (rpm -qf prints them all). With neither database, owned and package
 * are null. A deleted or
 * memfd executable is never read through its path, which may now hold
 * another file: its content facts are null.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <sys/stat.h>
#include "probes/parse/dpkg_parse.h"
#include "probes/read/elf.h"
#include "probes/executables.h"
#include "lib/limits.h"
#include "probes/read/rpmdb.h"
#include "probes/parse/rpmhdr.h"
#include "scanner/cache.h"

static const struct column executable_columns[] = {
    {"path", COL_STRING, "absolute path (the /usr spelling on /usr-merged systems)"},
    {"package", COL_STRING,
     "dpkg (or, without dpkg, rpm) package listing the path; null if none or no database"},
    {"owned", COL_BOOL, "some package lists the path; null without a dpkg or rpm database"},
    {"md5_status", COL_STRING,
     "the package manager's recorded digest (dpkg: MD5 of md5sums; rpm: FILEDIGESTS, MD5 "
     "or SHA-256) against the file: ok, modified, no_checksum (unowned, not in md5sums, "
     "rpm %config/%ghost or no digest), unreadable (deleted, memfd, missing or unreadable "
     "file)"},
    {"modified", COL_BOOL,
     "content differs from the package's recorded digest; null unless both are known"},
    {"in_temp", COL_BOOL, "under /tmp, /var/tmp or /dev/shm"},
    {"deleted", COL_BOOL, "a process runs it although its file was deleted"},
    {"memfd", COL_BOOL, "a process runs it from a memfd (no file at all)"},
    {"running", COL_BOOL, "some process runs it"},
    {"service", COL_BOOL, "the ExecStart binary of an enabled or running service"},
    {"daemon", COL_BOOL,
     "the ExecStart binary of an enabled or running service that stays running (Type= not "
     "oneshot; SysV scripts count): the binaries executables.hardening judges"},
    {"elf", COL_BOOL, "an ELF file; null if unreadable"},
    {"elf_type", COL_STRING, "exec, dyn, rel, core or other; null unless elf"},
    {"pie", COL_BOOL, "position independent (checksec: ET_DYN with DT_DEBUG)"},
    {"relro", COL_STRING, "none, partial or full (checksec's definition)"},
    {"nx", COL_BOOL, "PT_GNU_STACK present and not RWX"},
    {"canary", COL_BOOL, "stack protector symbols present"},
    {"fortify", COL_BOOL, "some fortified (__*_chk) function is used"},
    {"fortified", COL_INT, "fortified libc functions used; null if libc was not found"},
    {"fortifiable", COL_INT, "fortified plus fortifiable-but-plain functions used"},
    {"rpath", COL_ARRAY, "DT_RPATH elements"},
    {"runpath", COL_ARRAY, "DT_RUNPATH elements"},
    {"rpath_insecure", COL_BOOL,
     "an RPATH/RUNPATH element is empty, relative, under a temp dir or world-writable"},
    {"used_by", COL_ARRAY, "service:UNIT and pid:N using it"},
    {NULL, 0, NULL},
};

const struct collection executables_collections[] = {
    {"executables", false, executable_columns},
    {NULL, false, NULL},
};

/* ---- pure helpers ---- */

static const struct {
	const char *dir;
	unsigned bit;
} merge_dirs[] = {
    {"bin", MERGED_BIN},     {"sbin", MERGED_SBIN},   {"lib", MERGED_LIB},
    {"lib32", MERGED_LIB32}, {"lib64", MERGED_LIB64}, {"libx32", MERGED_LIBX32},
};

char *exe_canonical_path(const char *s, size_t len, unsigned merged)
{
	for (size_t i = 0; i < ARRAY_SIZE(merge_dirs); i++) {
		size_t l = strlen(merge_dirs[i].dir);
		if (!(merged & merge_dirs[i].bit) || len < l + 2 || s[0] != '/' ||
		    memcmp(s + 1, merge_dirs[i].dir, l) != 0 || s[l + 1] != '/')
			continue;
		char *out = malloc(len + 5);
		if (!out)
			return NULL;
		memcpy(out, "/usr", 4);
		memcpy(out + 4, s, len);
		out[len + 4] = '\0';
		return out;
	}
	return xstrndup(s, len);
}

static bool md5_hex_valid(const char *s, size_t n)
{
	if (n != 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

/* One md5sums line: "HEX  path" (md5sum's text format; "HEX *path"
 * binary marker accepted). Returns 1 if it names path. */
static int md5_line(const struct line *ln, const char *path, unsigned merged, char hex[33])
{
	size_t h = 0;
	while (h < ln->len && ln->s[h] != ' ' && ln->s[h] != '\t')
		h++;
	size_t p = h;
	while (p < ln->len && (ln->s[p] == ' ' || ln->s[p] == '\t' || ln->s[p] == '*'))
		p++;
	if (p == ln->len || p == h)
		return 0;
	char abs[LIMIT_PATH + 2];
	size_t rl = ln->len - p, al = 0;
	if (rl > LIMIT_PATH || memchr(ln->s + p, '\0', rl))
		return 0;
	if (ln->s[p] != '/')
		abs[al++] = '/';
	memcpy(abs + al, ln->s + p, rl);
	_cleanup_free_ char *canon = exe_canonical_path(abs, al + rl, merged);
	if (!canon || strcmp(canon, path) != 0)
		return 0;
	if (!md5_hex_valid(ln->s, h))
		return -EBADMSG;
	for (size_t i = 0; i < 32; i++)
		hex[i] = (char)(ln->s[i] | 0x20); /* lowercase digits and a-f */
	hex[32] = '\0';
	return 1;
}

int exe_md5sums_find(const char *buf, size_t len, const char *path, unsigned merged,
		     char ret_hex[static 33])
{
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		int r = md5_line(&ln, path, merged, ret_hex);
		if (r != 0)
			return r;
	}
	return 0;
}

char *exe_dpkg_package_name(const char *base)
{
	return xstrndup(base, strcspn(base, ":"));
}

char *exe_expand_origin(const char *elem, const char *origin_dir)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_PATH * 4);
	for (const char *p = elem; *p;) {
		size_t skip = str_startswith(p, "${ORIGIN}") ? 9
			      : str_startswith(p, "$ORIGIN") ? 7
							     : 0;
		int r = skip ? strbuf_puts(&sb, origin_dir) : strbuf_append(&sb, p, 1);
		if (r < 0) {
			strbuf_free(&sb);
			return NULL;
		}
		p += skip ? skip : 1;
	}
	return strbuf_steal(&sb);
}

/* ---- collecting the executables ---- */

struct exe_scan {
	struct probe_ctx *ctx;
	json_t *map; /* canonical path -> entry under construction */
	unsigned merged;
	bool dpkg;   /* /var/lib/dpkg/info exists */
	json_t *div; /* canonical from -> {"to": canonical to, "by": package or ":"} */
	bool rpm;    /* no dpkg, and an rpm database was read */
	struct elf_libc *libc;
	unsigned char *iobuf; /* HASH_BUF bytes, reused for every file hashed */
	/* With --cache-dir, while dpkg is indexed: every listed path's hash
	 * and the index of the package base (in bases) that lists it first. */
	struct owner *own;
	size_t nown, capown;
	json_t *bases;
	size_t cur_base;
};

struct owner {
	uint64_t h;
	uint32_t base;
};

/* Big enough that a read costs little per byte, small enough to stay in
 * cache: md5sum reads 128 KiB at a time too. */
#define HASH_BUF (128u << 10)

static json_t *entry_get(struct exe_scan *es, const char *path)
{
	json_t *e = json_object_get(es->map, path);
	if (e)
		return e;
	e = json_object();
	if (!e || json_object_set_new(es->map, path, e) < 0)
		return NULL;
	json_set(e, "used_by", json_array());
	json_set(e, "deleted", json_false());
	json_set(e, "running", json_false());
	json_set(e, "service", json_false());
	json_set(e, "daemon", json_false());
	return e;
}

/* Record that `who` uses the executable spelt raw (as the collection has
 * it: a " (deleted)" suffix is recognized). */
static void add_use(struct exe_scan *es, const char *raw, bool deleted, const char *who,
		    const char *kind)
{
	static const char sfx[] = " (deleted)";
	size_t len = strlen(raw), sl = sizeof(sfx) - 1;
	if (len > sl && strcmp(raw + len - sl, sfx) == 0) {
		len -= sl;
		deleted = true;
	}
	if (!len || raw[0] != '/' || len > LIMIT_PATH)
		return;
	_cleanup_free_ char *path = exe_canonical_path(raw, len, es->merged);
	json_t *e = path ? entry_get(es, path) : NULL;
	if (!e)
		return;
	json_t *users = json_object_get(e, "used_by"), *u;
	size_t i;
	bool listed = false;
	json_array_foreach(users, i, u)
		listed |= json_is_string(u) && !strcmp(json_string_value(u), who);
	if (!listed)
		json_array_append_new(users, json_string(who));
	json_set(e, kind, json_true());
	if (deleted)
		json_set(e, "deleted", json_true());
}

static void collect_processes(struct exe_scan *es, json_t *procs)
{
	size_t i;
	json_t *p;
	json_array_foreach(procs, i, p) {
		const char *exe = json_string_value(json_object_get(p, "exe"));
		json_t *pid = json_object_get(p, "pid");
		if (!exe || !json_is_integer(pid))
			continue;
		char who[32];
		snprintf(who, sizeof(who), "pid:%" JSON_INTEGER_FORMAT, json_integer_value(pid));
		add_use(es, exe, json_is_true(json_object_get(p, "exe_deleted")), who, "running");
	}
}

/* A service counts when it runs, or when boot or a socket or timer
 * would start it ("enabled"; the state names where that column is
 * missing) and it can start (runnable). */
static bool service_counts(json_t *s)
{
	static const char *const states[] = {"enabled",	  "enabled-runtime", "indirect",
					     "generated", "alias",	     "static"};
	json_t *enabled = json_object_get(s, "enabled");
	if (json_is_true(json_object_get(s, "running")))
		return true;
	/* a unit whose binary is absent or whose conditions fail never runs
	 * it: the services collection says "not runnable", not "unowned" */
	if (json_is_false(json_object_get(s, "runnable")))
		return false;
	if (json_is_true(enabled))
		return true;
	if (json_is_boolean(enabled))
		return false;
	const char *st = json_string_value(json_object_get(s, "state"));
	for (size_t i = 0; st && i < ARRAY_SIZE(states); i++)
		if (strcmp(st, states[i]) == 0)
			return true;
	return false;
}

static void collect_services(struct exe_scan *es, json_t *svcs)
{
	size_t i;
	json_t *s;
	json_array_foreach(svcs, i, s) {
		const char *exe = json_string_value(json_object_get(s, "exec_start"));
		const char *unit = json_string_value(json_object_get(s, "unit"));
		if (!exe || !unit || !service_counts(s))
			continue;
		_cleanup_free_ char *who = NULL;
		if (asprintf(&who, "service:%s", unit) < 0)
			continue;
		add_use(es, exe, false, who, "service");
		/* A oneshot unit's program runs to completion and exits (often
		 * /usr/bin/true or a setup tool): not a daemon whose hardening
		 * matters. SysV scripts (no Type) start daemons. */
		const char *type = json_string_value(json_object_get(s, "service_type"));
		if (!type || strcmp(type, "oneshot"))
			add_use(es, exe, false, who, "daemon");
	}
}

static unsigned detect_merged(struct fsroot *root)
{
	unsigned m = 0;
	for (size_t i = 0; i < ARRAY_SIZE(merge_dirs); i++) {
		char top[16];
		struct stat st;
		snprintf(top, sizeof(top), "/%s", merge_dirs[i].dir);
		if (fsroot_stat(root, top, false, &st) == 0 && S_ISLNK(st.st_mode))
			m |= merge_dirs[i].bit;
	}
	return m;
}

/* ---- dpkg ownership ---- */

static void diversion_add(const struct dpkg_diversion *d, void *userdata)
{
	struct exe_scan *es = userdata;
	if (d->from.len > LIMIT_PATH || d->to.len > LIMIT_PATH)
		return;
	_cleanup_free_ char *from = exe_canonical_path(d->from.s, d->from.len, es->merged);
	_cleanup_free_ char *to = exe_canonical_path(d->to.s, d->to.len, es->merged);
	json_t *o = json_object();
	json_set(o, "to", json_str(to));
	json_set(o, "by", json_bytes(d->package.s, d->package.len));
	if (from && to)
		json_object_set_new(es->div, from, o);
	else
		json_decref(o);
}

static void diversion_bad(void *userdata, unsigned line, const char *ja, const char *en)
{
	struct exe_scan *es = userdata;
	probe_line_error(es->ctx, "/var/lib/dpkg/diversions", line, ja, en);
}

/* dpkg's diversions; without the file there are none (dpkg's own reading). */
static void load_diversions(struct exe_scan *es)
{
	static const char path[] = "/var/lib/dpkg/diversions";
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(es->ctx->root, path, LIMIT_DPKG_LIST, &b);
	if (r < 0) {
		probe_file_error(es->ctx, path, r, true);
		return;
	}
	dpkg_diversions_parse(b.data, b.len, diversion_add, diversion_bad, es);
}

/* Where package pkg's file listed at canon really is: the diverted-to
 * path when someone else diverted canon, else canon (borrowed). */
static const char *diverted(struct exe_scan *es, const char *canon, const char *pkg)
{
	json_t *d = json_object_get(es->div, canon);
	const char *by = json_string_value(json_object_get(d, "by"));
	if (!d || (by && pkg && strcmp(by, pkg) == 0))
		return canon;
	const char *to = json_string_value(json_object_get(d, "to"));
	return to ? to : canon;
}

static uint64_t path_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

static void own_add(struct exe_scan *es, const char *at)
{
	if (es->nown == es->capown) {
		size_t cap = es->capown ? es->capown * 2 : 4096;
		struct owner *v = cap < (1u << 26) ? realloc(es->own, cap * sizeof(*v)) : NULL;
		if (!v) {
			json_decref(es->bases); /* no index this time */
			es->bases = NULL;
			return;
		}
		es->own = v;
		es->capown = cap;
	}
	es->own[es->nown++] = (struct owner){path_hash(at), (uint32_t)es->cur_base};
}

static void index_list(struct exe_scan *es, const char *base, const struct buf *b)
{
	struct line_iter it;
	struct line ln;
	_cleanup_free_ char *pkg = exe_dpkg_package_name(base);
	line_iter_init(&it, b->data, b->len);
	while (line_iter_next(&it, &ln)) {
		if (!ln.len || ln.s[0] != '/' || ln.len > LIMIT_PATH)
			continue;
		_cleanup_free_ char *canon = exe_canonical_path(ln.s, ln.len, es->merged);
		const char *at = canon ? diverted(es, canon, pkg) : NULL;
		if (at && es->bases)
			own_add(es, at);
		json_t *e = at ? json_object_get(es->map, at) : NULL;
		if (!e || json_object_get(e, "_pkgbase"))
			continue; /* not wanted, or an earlier package has it */
		json_set(e, "package", json_str(pkg));
		json_set(e, "_pkgbase", json_str(base));
		json_set(e, "_pkgpath", json_str(canon)); /* its md5sums line */
	}
}

static void index_dpkg(struct exe_scan *es)
{
	static const char dir[] = "/var/lib/dpkg/info";
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(es->ctx->root, dir, &names, &n);
	es->dpkg = r == 0;
	if (r < 0) {
		probe_file_error(es->ctx, dir, r, true);
		return;
	}
	load_diversions(es);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		if (l <= 5 || strcmp(names[i] + l - 5, ".list") != 0)
			continue;
		_cleanup_free_ char *path = path_join(dir, names[i]);
		_cleanup_free_ char *base = xstrndup(names[i], l - 5);
		_cleanup_buf_ struct buf b = {0};
		if (!path || !base)
			continue;
		if (es->bases) {
			es->cur_base = json_array_size(es->bases);
			json_array_append_new(es->bases, json_string(base));
		}
		r = fsroot_read(es->ctx->root, path, LIMIT_DPKG_LIST, &b);
		if (r < 0) {
			probe_file_error(es->ctx, path, r, false);
			continue;
		}
		index_list(es, base, &b);
	}
}

/* ---- rpm ownership ---- */

/* Record the rpm facts of one file of package name if the scan wants it. */
static void rpm_file(struct exe_scan *es, struct rpm_span name, uint32_t algo,
		     const struct rpm_file *f)
{
	char abs[LIMIT_PATH + 1];
	if (f->dir.len + f->base.len > LIMIT_PATH || !f->dir.len || f->dir.s[0] != '/')
		return;
	memcpy(abs, f->dir.s, f->dir.len);
	memcpy(abs + f->dir.len, f->base.s, f->base.len);
	_cleanup_free_ char *canon = exe_canonical_path(abs, f->dir.len + f->base.len, es->merged);
	json_t *e = canon ? json_object_get(es->map, canon) : NULL;
	if (!e || json_object_get(e, "package"))
		return; /* not wanted, or an earlier package has it */
	json_set(e, "package", json_bytes(name.s, name.len));
	if (f->flags & (RPMFILE_CONFIG | RPMFILE_GHOST) || !f->digest.s || !f->digest.len)
		return; /* not verified, as rpm -V does not verify ghosts */
	json_set(e, "_rpmdigest", json_bytes(f->digest.s, f->digest.len));
	json_set(e, "_rpmalgo", json_integer(algo));
}

struct rpm_scan {
	struct exe_scan *es;
	size_t bad;
};

static int rpm_blob(void *userdata, uint32_t id, const unsigned char *blob, size_t len)
{
	struct rpm_scan *rs = userdata;
	struct rpm_pkg p;
	struct rpm_files f;
	struct rpm_file file;
	const char *why;
	(void)id;
	if (rpmhdr_parse(blob, len, &p, &why) < 0 || rpmhdr_files(blob, len, &f, &why) < 0) {
		rs->bad++;
		return 0;
	}
	while (rpm_files_next(&f, &file))
		rpm_file(rs->es, p.name, f.algo, &file);
	rpm_files_free(&f);
	return 0;
}

/* Read rpm's database, where the root has one and no dpkg. */
static void index_rpm(struct exe_scan *es)
{
	const char *path = NULL;
	struct stat st;
	for (size_t i = 0; !path && rpmdb_std_paths[i]; i++)
		if (fsroot_stat(es->ctx->root, rpmdb_std_paths[i], true, &st) == 0)
			path = rpmdb_std_paths[i];
	if (!path)
		return;
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(es->ctx->root, path, LIMIT_RPMDB_FILE, &b);
	if (r < 0) {
		probe_file_error(es->ctx, path, r, false);
		return;
	}
	struct rpm_scan rs = {.es = es};
	struct rpmdb_stats dst;
	r = rpmdb_read((unsigned char *)b.data, b.len, rpm_blob, &rs, &dst);
	if (r < 0 && dst.blobs == 0) {
		probe_msg(es->ctx, "%s: rpm データベースとして読めません（%s）",
			  "%s: cannot be read as an rpm database (%s)", path, dst.error);
		return;
	}
	es->rpm = true;
	if (r < 0 || dst.bad || rs.bad || dst.truncated) {
		probe_msg(es->ctx, "%s: 一部のパッケージのファイル一覧を読めませんでした",
			  "%s: the file lists of some packages could not be read", path);
		probe_partial(es->ctx);
	}
}

/* ---- one executable ---- */

/* Hex digest with md of the file open at fd, read through buf (reused
 * for every file, so memory does not follow the file's size), into out
 * (at least 2 * EVP_MAX_MD_SIZE + 1 bytes); "" on failure. */
static void digest_fd_hex(int fd, const EVP_MD *md, unsigned char *buf, size_t bufsz, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = c && EVP_DigestInit_ex(c, md, NULL);
	off_t off = 0;

	out[0] = '\0';
	while (ok) {
		ssize_t n = pread(fd, buf, bufsz, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			break;
		}
		ok = EVP_DigestUpdate(c, buf, (size_t)n);
		off += n;
	}
	if (ok && EVP_DigestFinal_ex(c, d, &dlen))
		for (unsigned i = 0; i < dlen; i++)
			snprintf(out + 2 * i, 3, "%02x", d[i]);
	EVP_MD_CTX_free(c);
}

/* The MD5 dpkg's md5sums record for path: 1 and want set, 0 if none. */
static int dpkg_want(struct exe_scan *es, const char *path, json_t *e, char want[33])
{
	const char *base = json_string_value(json_object_get(e, "_pkgbase"));
	const char *listed = json_string_value(json_object_get(e, "_pkgpath"));
	_cleanup_free_ char *name = NULL;
	const struct buf *sums = NULL;
	if (!base || asprintf(&name, "/var/lib/dpkg/info/%s.md5sums", base) < 0)
		return 0;
	/* Shared: a package's list is read once per scan, not per executable. */
	int r = fsroot_read_shared(es->ctx->root, name, LIMIT_DPKG_LIST, &sums);
	if (r < 0) {
		probe_file_error(es->ctx, name, r, true);
		return 0;
	}
	r = exe_md5sums_find(sums->data, sums->len, listed ? listed : path, es->merged, want);
	if (r < 0)
		probe_msg(es->ctx, "%s: %s の MD5 が不正です", "%s: bad MD5 for %s", name, path);
	return r;
}

/* The OpenSSL digest of an rpm FILEDIGESTALGO (pgpHashAlgo), NULL if unknown. */
static const EVP_MD *rpm_digest_md(uint32_t algo)
{
	switch (algo) {
	case RPM_HASH_MD5:
		return EVP_md5();
	case RPM_HASH_SHA1:
		return EVP_sha1();
	case RPM_HASH_SHA256:
		return EVP_sha256();
	case RPM_HASH_SHA384:
		return EVP_sha384();
	case RPM_HASH_SHA512:
		return EVP_sha512();
	case RPM_HASH_SHA224:
		return EVP_sha224();
	default:
		return NULL;
	}
}

/* The digest rpm recorded for the file: 1 with want (lowercase hex) and
 * *md set, 0 if none usable. */
static int rpm_want(struct exe_scan *es, const char *path, json_t *e, char *want, const EVP_MD **md)
{
	const char *d = json_string_value(json_object_get(e, "_rpmdigest"));
	json_t *algo = json_object_get(e, "_rpmalgo");
	if (!d)
		return 0;
	*md = rpm_digest_md((uint32_t)json_integer_value(algo));
	size_t n = strlen(d);
	bool hex = *md && n == 2 * (size_t)EVP_MD_size(*md);
	for (size_t i = 0; hex && i < n; i++)
		hex = strchr("0123456789abcdefABCDEF", d[i]) != NULL;
	if (!hex) {
		probe_msg(es->ctx, "%s: rpm が記録したダイジェストが不正か未対応の形式です",
			  "%s: the digest rpm recorded is malformed or of an unsupported kind",
			  path);
		return 0;
	}
	for (size_t i = 0; i <= n; i++)
		want[i] = (char)(d[i] ? d[i] | 0x20 : 0);
	return 1;
}

/* md5_status and modified of a readable file: the package manager's
 * recorded digest (dpkg MD5, rpm FILEDIGESTS) against its bytes. */
static void check_md5(struct exe_scan *es, const char *path, json_t *e, int fd)
{
	char want[2 * EVP_MAX_MD_SIZE + 1], got[2 * EVP_MAX_MD_SIZE + 1] = "";
	const EVP_MD *md = EVP_md5();
	int r = es->rpm ? rpm_want(es, path, e, want, &md) : dpkg_want(es, path, e, want);
	if (r > 0) /* only when there is something to compare with */
		digest_fd_hex(fd, md, es->iobuf, HASH_BUF, got);
	if (r <= 0 || !got[0]) {
		json_set(e, "md5_status", json_string("no_checksum"));
		return;
	}
	bool same = strcmp(want, got) == 0;
	json_set(e, "md5_status", json_string(same ? "ok" : "modified"));
	json_set(e, "modified", json_boolean(!same));
}

static const char *elf_type_name(unsigned t)
{
	static const char *const names[] = {"none", "rel", "exec", "dyn", "core"};
	return t >= 1 && t < ARRAY_SIZE(names) ? names[t] : "other";
}

/* Whether one run-path element lets someone else plant a library. */
static bool path_insecure(struct exe_scan *es, const char *exe, const char *elem)
{
	_cleanup_free_ char *dir = xstrndup(exe, (size_t)(strrchr(exe, '/') - exe));
	_cleanup_free_ char *x = dir ? exe_expand_origin(elem, dir[0] ? dir : "/") : NULL;
	struct stat st;
	if (!x || elf_path_insecure_lexical(x))
		return true;
	if (fsroot_stat(es->ctx->root, x, true, &st) < 0)
		return false; /* a missing directory: nothing to plant into */
	return S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH);
}

static bool paths_insecure(struct exe_scan *es, const char *exe, const struct elf_info *in)
{
	for (size_t i = 0; i < in->n_rpath; i++)
		if (path_insecure(es, exe, in->rpath[i]))
			return true;
	for (size_t i = 0; i < in->n_runpath; i++)
		if (path_insecure(es, exe, in->runpath[i]))
			return true;
	return false;
}

static void set_elf(struct exe_scan *es, const char *path, json_t *e, const struct elf_info *in)
{
	json_set(e, "elf", json_true());
	json_set(e, "elf_type", json_string(elf_type_name(in->e_type)));
	json_set(e, "pie", json_boolean(in->pie));
	json_set(e, "relro", json_string(elf_relro_name(in->relro)));
	json_set(e, "nx", json_boolean(in->nx));
	json_set(e, "canary", json_boolean(in->canary));
	json_set(e, "fortify", json_boolean(in->fortify));
	json_set(e, "fortified", in->fortified < 0 ? json_null() : json_integer(in->fortified));
	json_set(e, "fortifiable",
		 in->fortifiable < 0 ? json_null() : json_integer(in->fortifiable));
	if (!in->paths_known)
		return;
	json_set(e, "rpath", strv_json(in->rpath));
	json_set(e, "runpath", strv_json(in->runpath));
	json_set(e, "rpath_insecure", json_boolean(paths_insecure(es, path, in)));
}

static void analyze_elf(struct exe_scan *es, const char *path, json_t *e, int fd)
{
	struct elf_info in;
	int r = elf_analyze_fd(fd, es->libc, &in);
	if (r == -ENOEXEC) {
		json_set(e, "elf", json_false());
		return;
	}
	if (r < 0) {
		json_set(e, "elf", json_true());
		probe_msg(es->ctx, "%s: ELF ヘッダを読めません（壊れています）",
			  "%s: damaged ELF headers could not be read", path);
		return;
	}
	set_elf(es, path, e, &in);
	elf_info_free(&in);
}

static void analyze_file(struct exe_scan *es, const char *path, json_t *e)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	/* Streamed: the digest through one reused buffer, libelf reading only
	 * the headers and sections it needs, so a 300 MB browser costs no
	 * more memory than /bin/true. */
	int r = fsroot_open_file(es->ctx->root, path, &fd, &st);
	if (r < 0) {
		probe_file_error(es->ctx, path, r, true);
		return;
	}
	check_md5(es, path, e, fd);
	analyze_elf(es, path, e, fd);
}

/* ---- output ---- */

static bool in_temp(const char *path)
{
	static const char *const dirs[] = {"/tmp/", "/var/tmp/", "/dev/shm/"};
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (str_startswith(path, dirs[i]))
			return true;
	return false;
}

static json_t *finish_entry(struct exe_scan *es, const char *path, json_t *e)
{
	static const char *const keys[] = {
	    "path",	 "package",	"owned",   "md5_status", "modified",	   "in_temp",
	    "deleted",	 "memfd",	"running", "service",	 "daemon",	   "elf",
	    "elf_type",	 "pie",		"relro",   "nx",	 "canary",	   "fortify",
	    "fortified", "fortifiable", "rpath",   "runpath",	 "rpath_insecure", "used_by"};
	json_t *o = json_object();
	json_set(e, "path", json_str(path));
	json_set(e, "in_temp", json_boolean(in_temp(path)));
	if (es->dpkg || es->rpm)
		json_set(e, "owned", json_boolean(json_object_get(e, "package") != NULL));
	json_array_sort_by(json_object_get(e, "used_by"), NULL);
	for (size_t i = 0; o && i < ARRAY_SIZE(keys); i++) {
		json_t *v = json_object_get(e, keys[i]);
		json_set(o, keys[i], v ? json_incref(v) : json_null());
	}
	return o;
}

/* checksec's libc candidates, in its order */
static const char *const libc_cand[] = {
    "/lib/libc.so.6",
    "/lib/libc.so.7",
    "/lib/libc.so",
    "/lib64/libc.so.6",
    "/lib/i386-linux-gnu/libc.so.6",
    "/lib/x86_64-linux-gnu/libc.so.6",
    "/lib/arm-linux-gnueabihf/libc.so.6",
    "/lib/aarch64-linux-gnu/libc.so.6",
    "/usr/lib/loongarch64-linux-gnu/libc.so.6",
};

static struct elf_libc *load_libc(struct fsroot *root)
{
	for (size_t i = 0; i < ARRAY_SIZE(libc_cand); i++) {
		_cleanup_buf_ struct buf b = {0};
		struct elf_libc *l = NULL;
		if (fsroot_read(root, libc_cand[i], LIMIT_EXECUTABLE, &b) < 0)
			continue;
		return elf_libc_load(b.data, b.len, &l) == 0 ? l : NULL;
	}
	return NULL;
}

/* ---- the cache of repeat scans (--cache-dir) ----
 *
 * Per executable, what the dpkg index and analyze_entry put in its entry
 * (rpath_insecure excepted: it depends on the run-path directories and is
 * worked out again), the messages they gave and whether they made the
 * probe partial; and once, what indexing dpkg and loading libc said. An
 * item depends on dpkg's status file, its info directory (dpkg replaces
 * every file there by rename, so the directory changes with them) and
 * diversions, the libc candidates, the executable, and its package's
 * .list and .md5sums. When every executable is served, the 1,000-odd
 * .list files, libc and the executables themselves are not read at all.
 * rpm hosts are not cached. */

static const char *const cached_keys[] = {
    "package", "_pkgbase", "md5_status", "modified",  "elf",	     "elf_type", "pie",	   "relro",
    "nx",      "canary",   "fortify",	 "fortified", "fortifiable", "rpath",	 "runpath"};

#define DPKG_INFO "/var/lib/dpkg/info"

/* The inputs of an item: dpkg's database, the libc candidates, and
 * extra (up to 3, NULL-ended). v has room for 16. */
static void item_inputs(const char **v, const char *const *extra)
{
	size_t n = 0;
	v[n++] = "/var/lib/dpkg/status";
	v[n++] = DPKG_INFO;
	v[n++] = "/var/lib/dpkg/diversions";
	for (size_t i = 0; i < ARRAY_SIZE(libc_cand); i++)
		v[n++] = libc_cand[i];
	for (size_t i = 0; extra && extra[i] && i < 3; i++)
		v[n++] = extra[i];
	v[n] = NULL;
}

static char *item_key(const struct exe_scan *es, const char *path)
{
	char *k = NULL;
	if (asprintf(&k, "executables:%x:%s", es->merged, path ? path : "") < 0)
		return NULL;
	return k;
}

/* What the probe said and whether it went partial since mark. */
struct said {
	size_t n;
	bool partial;
};

static struct said said_mark(struct probe_ctx *ctx)
{
	struct said m = {json_array_size(ctx->messages), ctx->partial};
	ctx->partial = false;
	return m;
}

/* The messages since mark (new array) and the partial flag, restoring
 * the flag as it was OR what happened. */
static json_t *said_since(struct probe_ctx *ctx, struct said m, bool *ret_partial)
{
	json_t *a = json_array();
	for (size_t i = m.n; a && i < json_array_size(ctx->messages); i++)
		json_array_append(a, json_array_get(ctx->messages, i));
	*ret_partial = ctx->partial;
	ctx->partial |= m.partial;
	return a;
}

static void said_replay(struct probe_ctx *ctx, json_t *v)
{
	size_t i;
	json_t *msg;
	json_array_foreach(json_object_get(v, "messages"), i, msg)
		json_array_append(ctx->messages, msg);
	if (json_is_true(json_object_get(v, "partial")))
		probe_partial(ctx);
}

static bool cacheable(const struct exe_scan *es, const char *path, json_t *e)
{
	return es->ctx->cache && es->dpkg && !es->rpm && !str_startswith(path, "/memfd:") &&
	       !json_is_true(json_object_get(e, "deleted"));
}

/* The executable's item, if served. */
static json_t *exe_cached(struct exe_scan *es, const char *path)
{
	_cleanup_free_ char *key = item_key(es, path);
	return key ? cache_get(es->ctx->cache, key) : NULL;
}

static void exe_store(struct exe_scan *es, const char *path, json_t *e, struct said m)
{
	_cleanup_free_ char *key = item_key(es, path);
	_cleanup_free_ char *list = NULL, *sums = NULL;
	const char *base = json_string_value(json_object_get(e, "_pkgbase"));
	json_t *f = json_object();
	bool partial;
	json_t *said = said_since(es->ctx, m, &partial);
	for (size_t i = 0; f && i < ARRAY_SIZE(cached_keys); i++) {
		json_t *x = json_object_get(e, cached_keys[i]);
		if (x)
			json_object_set(f, cached_keys[i], x);
	}
	if (base && (asprintf(&list, DPKG_INFO "/%s.list", base) < 0 ||
		     asprintf(&sums, DPKG_INFO "/%s.md5sums", base) < 0))
		list = sums = NULL;
	const char *extra[] = {path, list, sums, NULL};
	const char *in[16];
	item_inputs(in, extra);
	if (key && f && said && (!base || (list && sums)))
		cache_put(
		    es->ctx->cache, key, in,
		    json_pack("{s:o, s:o, s:b}", "f", f, "messages", said, "partial", partial));
	else {
		json_decref(f);
		json_decref(said);
	}
}

static bool paths_insecure_json(struct exe_scan *es, const char *exe, json_t *f)
{
	static const char *const keys[] = {"rpath", "runpath"};
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		size_t i;
		json_t *el;
		json_array_foreach(json_object_get(f, keys[k]), i, el)
			if (json_is_string(el) && path_insecure(es, exe, json_string_value(el)))
				return true;
	}
	return false;
}

static void exe_apply(struct exe_scan *es, const char *path, json_t *e, json_t *v)
{
	json_t *f = json_object_get(v, "f");
	const char *k;
	json_t *x;
	json_object_foreach(f, k, x)
		json_object_set(e, k, x);
	if (json_is_array(json_object_get(f, "rpath")))
		json_set(e, "rpath_insecure", json_boolean(paths_insecure_json(es, path, f)));
	said_replay(es->ctx, v);
}

/* Whether the dpkg index can be skipped: it was cached, and so was every
 * executable. On true, es is as index_dpkg and load_libc would leave it
 * for what emit needs. */
static bool all_cached(struct exe_scan *es)
{
	_cleanup_free_ char *key = item_key(es, NULL);
	json_t *idx = key && es->ctx->cache ? cache_get(es->ctx->cache, key) : NULL;
	const char *path;
	json_t *e;
	if (!json_is_true(json_object_get(idx, "dpkg")))
		return false;
	es->dpkg = true;
	json_object_foreach(es->map, path, e) {
		if (cacheable(es, path, e) && !exe_cached(es, path)) {
			es->dpkg = false;
			return false;
		}
	}
	said_replay(es->ctx, idx);
	return true;
}

static int own_cmp(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;
	return x->h != y->h ? (x->h > y->h) - (x->h < y->h)
			    : (x->base > y->base) - (x->base < y->base);
}

static char *owners_key(const struct exe_scan *es, const char *what)
{
	char *k = NULL;
	return asprintf(&k, "executables:%x:%s", es->merged, what) < 0 ? NULL : k;
}

/* Store the owner index: 12-byte records (hash, base), first per hash,
 * sorted by hash; and the package bases they count in. */
static void owners_store(struct exe_scan *es)
{
	if (!es->bases)
		return;
	qsort(es->own, es->nown, sizeof(*es->own), own_cmp);
	size_t n = 0;
	_cleanup_free_ unsigned char *raw = malloc(es->nown * 12 + 1);
	_cleanup_free_ char *okey = owners_key(es, "owners"), *bkey = owners_key(es, "bases");
	if (!raw || !okey || !bkey)
		return;
	for (size_t i = 0; i < es->nown; i++) {
		if (i && es->own[i].h == es->own[i - 1].h)
			continue; /* the first package listing it owns it */
		memcpy(raw + 12 * n, &es->own[i].h, 8);
		memcpy(raw + 12 * n + 8, &es->own[i].base, 4);
		n++;
	}
	const char *in[16];
	item_inputs(in, NULL);
	cache_put(es->ctx->cache, bkey, in, json_incref(es->bases));
	cache_put_blob(es->ctx->cache, okey, in, raw, n * 12);
}

/* The package base listing path first, per the cached owner index: 1
 * and *ret_base, 0 if no package lists it. */
static int owner_find(const unsigned char *raw, size_t n, json_t *bases, const char *path,
		      const char **ret_base)
{
	uint64_t h = path_hash(path);
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t mh;
		memcpy(&mh, raw + 12 * mid, 8);
		if (mh == h) {
			uint32_t b;
			memcpy(&b, raw + 12 * mid + 8, 4);
			*ret_base = json_string_value(json_array_get(bases, b));
			return *ret_base ? 1 : -EBADMSG;
		}
		if (mh < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Some executables were not served but dpkg's database is unchanged:
 * find their packages through the cached owner index, reading only the
 * .list of the package it names (which must list the path: a hash that
 * matched another path sends us back to the full index). */
static bool owners_cached(struct exe_scan *es)
{
	_cleanup_free_ char *ikey = item_key(es, NULL), *okey = owners_key(es, "owners"),
			    *bkey = owners_key(es, "bases");
	struct cache *c = es->ctx->cache;
	json_t *idx = c && ikey ? cache_get(c, ikey) : NULL;
	json_t *bases = idx && bkey ? cache_get(c, bkey) : NULL;
	size_t len = 0;
	const unsigned char *raw = bases && okey ? cache_get_blob(c, okey, &len) : NULL;
	if (!json_is_true(json_object_get(idx, "dpkg")) || !raw || !json_is_array(bases))
		return false;
	size_t n = len / 12;
	/* diversions decide which path a list line means; what loading them
	 * says is in the index item's messages */
	struct said m = said_mark(es->ctx);
	load_diversions(es);
	while (json_array_size(es->ctx->messages) > m.n)
		json_array_remove(es->ctx->messages, m.n);
	es->ctx->partial = m.partial;
	es->dpkg = true;
	const char *path;
	json_t *e;
	json_object_foreach(es->map, path, e) {
		const char *base = NULL;
		if (!cacheable(es, path, e) || exe_cached(es, path))
			continue;
		int r = owner_find(raw, n, bases, path, &base);
		if (r == 0)
			continue; /* no package lists it */
		_cleanup_free_ char *list = NULL;
		_cleanup_buf_ struct buf b = {0};
		if (r < 0 || asprintf(&list, DPKG_INFO "/%s.list", base) < 0 ||
		    fsroot_read(es->ctx->root, list, LIMIT_DPKG_LIST, &b) < 0)
			return false;
		index_list(es, base, &b);
		const char *got_base = json_string_value(json_object_get(e, "_pkgbase"));
		if (!got_base || strcmp(got_base, base) != 0)
			return false;
	}
	es->libc = load_libc(es->ctx->root); /* "not found" is in the index's messages */
	said_replay(es->ctx, idx);
	return true;
}

/* Index dpkg (or rpm) and load libc, keeping what they said. */
static void index_all(struct exe_scan *es)
{
	struct said m = said_mark(es->ctx);
	if (es->ctx->cache)
		es->bases = json_array();
	index_dpkg(es);
	if (!es->dpkg)
		index_rpm(es);
	es->libc = load_libc(es->ctx->root);
	if (!es->libc)
		probe_msg_text(es->ctx, "libc が見つからないため FORTIFY の関数数は不明です",
			       "libc was not found: fortified function counts are unknown");
	bool partial;
	json_t *said = said_since(es->ctx, m, &partial);
	_cleanup_free_ char *key = item_key(es, NULL);
	const char *in[16];
	item_inputs(in, NULL);
	if (es->ctx->cache && es->dpkg && !es->rpm && key && said) {
		cache_put(es->ctx->cache, key, in,
			  json_pack("{s:b, s:o, s:b}", "dpkg", true, "messages", said, "partial",
				    partial));
		owners_store(es);
	} else
		json_decref(said);
	json_decref(es->bases);
	es->bases = NULL;
	free(es->own);
	es->own = NULL;
}

static void analyze_entry(struct exe_scan *es, const char *path, json_t *e)
{
	bool memfd = str_startswith(path, "/memfd:");
	bool deleted = json_is_true(json_object_get(e, "deleted"));
	json_set(e, "md5_status", json_string("unreadable"));
	json_set(e, "memfd", json_boolean(memfd));
	if (memfd || deleted)
		return;
	bool cache = cacheable(es, path, e);
	json_t *v = cache ? exe_cached(es, path) : NULL;
	if (v) {
		exe_apply(es, path, e, v);
		return;
	}
	struct said m = said_mark(es->ctx);
	analyze_file(es, path, e);
	if (cache)
		exe_store(es, path, e, m);
	else
		es->ctx->partial |= m.partial;
}

static int emit(struct exe_scan *es)
{
	json_t *arr = json_array();
	const char *path;
	json_t *e;
	if (!arr)
		return -ENOMEM;
	json_object_foreach(es->map, path, e) {
		analyze_entry(es, path, e);
		json_t *o = finish_entry(es, path, e);
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return -ENOMEM;
		}
	}
	json_array_sort_by(arr, "path");
	return json_set(es->ctx->inventory, "executables", arr);
}

int probe_executables_run(struct probe_ctx *ctx)
{
	json_t *procs = json_object_get(ctx->inventory, "processes");
	json_t *svcs = json_object_get(ctx->inventory, "services");
	if (!json_is_array(procs) && !json_is_array(svcs))
		return PROBE_RET_NOT_APPLICABLE;
	json_auto_t *map = json_object();
	_cleanup_free_ unsigned char *iobuf = malloc(HASH_BUF);
	json_auto_t *div = json_object();
	struct exe_scan es = {
	    .ctx = ctx, .map = map, .div = div, .merged = detect_merged(ctx->root), .iobuf = iobuf};
	if (!map || !div || !iobuf)
		return -ENOMEM;
	collect_processes(&es, procs);
	collect_services(&es, svcs);
	if (json_object_size(map) && !all_cached(&es) && !owners_cached(&es))
		index_all(&es);
	int r = emit(&es);
	elf_libc_free(es.libc);
	return r;
}
