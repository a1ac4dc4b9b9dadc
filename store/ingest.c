/* ingest.c - reading report files into the store: the walk over the
 * directories the admin names, what is refused and why, and the memory of
 * files already ingested (path, size, mtime, SHA-256).
 *
 * The files are the admin's (a fleet output directory, copies of
 * /var/lib/tenken/reports), read on the invoking user's side; entries met
 * while walking a directory are opened with O_NOFOLLOW, and only regular
 * files are read, each bounded by STORE_MAX_REPORT.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include "store/store_int.h"
#include "lib/jsonpos.h"
#include "lib/readfile.h"
#include "store/skim.h"
#include "report/diff.h"
#include "lib/util.h"

struct run {
	struct store *s;
	const struct store_opts *o;
	store_reject_fn on_reject;
	void *ctx;
	struct store_stats *stats;
	char *why;
	size_t n;
};

/* What the files table says of one path. */
struct known {
	bool found, rejected;
	sqlite3_int64 size, mtime;
	char sha256[65];
};

/* One file as read: its bytes and what identifies this version of it. */
struct input {
	const char *path;
	char *buf;
	size_t len;
	sqlite3_int64 size, mtime;
	char sha256[65];
};

int store_report_time(const json_t *report, time_t *ret)
{
	static const char *const keys[] = {"now", "finished_at", "started_at"};
	const json_t *scan = json_object_get(report, "scan");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *v = json_string_value(json_object_get(scan, keys[i]));
		if (v && time_parse_rfc3339(v, ret) == 0)
			return 0;
	}
	return -EINVAL;
}

static int sha256_hex(const char *buf, size_t len, char out[static 65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	if (EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -EIO;
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int known_get(struct run *r, const char *path, struct known *k)
{
	sqlite3_stmt **st = &r->s->st[ST_FILE_GET];
	*k = (struct known){0};
	if (store_prepare(r->s, st, "SELECT size, mtime, sha256, outcome FROM files WHERE path=?") <
	    0)
		return -EIO;
	bind_opt(*st, 1, path);
	if (sqlite3_step(*st) != SQLITE_ROW)
		return 0;
	k->found = true;
	k->size = sqlite3_column_int64(*st, 0);
	k->mtime = sqlite3_column_int64(*st, 1);
	const char *sha = (const char *)sqlite3_column_text(*st, 2);
	snprintf(k->sha256, sizeof(k->sha256), "%s", sha ? sha : "");
	const char *outcome = (const char *)sqlite3_column_text(*st, 3);
	k->rejected = outcome && strcmp(outcome, "rejected") == 0;
	return 0;
}

/* Remember this version of the file and what became of it. An upsert, so
 * that ingesting the same files again leaves the table as it was. */
static int known_put(struct run *r, const struct input *in, const char *outcome,
		     sqlite3_int64 report_id, const char *reason, const char *ja, const char *en)
{
	sqlite3_stmt **st = &r->s->st[ST_FILE_PUT];
	if (store_prepare(
		r->s, st,
		"INSERT INTO files VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(path) DO"
		" UPDATE SET size=?2, mtime=?3, sha256=?4, outcome=?5, report_id=?6,"
		" reason=?7, message_ja=?8, message_en=?9") < 0)
		return -EIO;
	bind_opt(*st, 1, in->path);
	sqlite3_bind_int64(*st, 2, in->size);
	sqlite3_bind_int64(*st, 3, in->mtime);
	bind_opt(*st, 4, in->sha256[0] ? in->sha256 : NULL);
	bind_opt(*st, 5, outcome);
	if (report_id > 0)
		sqlite3_bind_int64(*st, 6, report_id);
	else
		sqlite3_bind_null(*st, 6);
	bind_opt(*st, 7, reason);
	bind_opt(*st, 8, ja);
	bind_opt(*st, 9, en);
	int rc = sqlite3_step(*st);
	sqlite3_clear_bindings(*st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* Refuse a file: remembered (and so listed by the views), reported to
 * the caller; the run goes on. Returns 0 or a store error. */
__attribute__((format(printf, 4, 6), format(printf, 5, 6))) static int
reject(struct run *r, const struct input *in, const char *reason, const char *ja_fmt,
       const char *en_fmt, ...)
{
	char ja[1024], en[1024];
	va_list ap;
	va_start(ap, en_fmt);
	vsnprintf(ja, sizeof(ja), ja_fmt, ap);
	va_end(ap);
	va_start(ap, en_fmt);
	vsnprintf(en, sizeof(en), en_fmt, ap);
	va_end(ap);
	r->stats->rejected++;
	if (r->on_reject)
		r->on_reject(in->path, ja, en, r->ctx);
	return known_put(r, in, "rejected", 0, reason, ja, en);
}

static int fleet_error(struct run *r, const struct input *in, const json_t *doc)
{
	const char *host = json_string_value(json_object_get(doc, "host"));
	const char *reason = json_string_value(json_object_get(doc, "reason"));
	const json_t *msg = json_object_get(doc, "message");
	const json_t *ex = json_object_get(doc, "exit_status");
	if (!host || !reason)
		return reject(r, in, "format", "fleet のエラー記録に host か reason がありません",
			      "a fleet error record without host or reason");
	sqlite3_stmt **st = &r->s->st[ST_FLEET_ERROR];
	if (store_prepare(r->s, st, "INSERT OR REPLACE INTO fleet_errors VALUES(?,?,?,?,?,?,?)") <
	    0)
		return -EIO;
	bind_opt(*st, 1, in->path);
	bind_opt(*st, 2, host);
	bind_opt(*st, 3, reason);
	bind_opt(*st, 4, json_string_value(json_object_get(msg, "ja")));
	bind_opt(*st, 5, json_string_value(json_object_get(msg, "en")));
	bind_opt(*st, 6, json_string_value(json_object_get(doc, "at")));
	if (json_is_integer(ex))
		sqlite3_bind_int64(*st, 7, json_integer_value(ex));
	else
		sqlite3_bind_null(*st, 7);
	if (sqlite3_step(*st) != SQLITE_DONE)
		return -EIO;
	r->stats->errors++;
	return known_put(r, in, "error", 0, reason, NULL, NULL);
}

/* --require-signature: FILE.sig beside the report, and valid. 1 when the
 * file was refused, 0 when it may go on, <0 on a store error. */
static int signature(struct run *r, const struct input *in)
{
	if (!r->o->require_signature)
		return 0;
	_cleanup_free_ char *sig = NULL;
	if (asprintf(&sig, "%s.sig", in->path) < 0)
		return -ENOMEM;
	struct stat st;
	if (stat(sig, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = reject(r, in, "unsigned", "署名 %s がありません", "no signature %s", sig);
		return e < 0 ? e : 1;
	}
	char why[512] = "";
	int v = r->o->verify ? r->o->verify(in->path, sig, r->o->verify_ctx, why, sizeof(why))
			     : -ENOTSUP;
	if (v < 0 && !why[0])
		snprintf(why, sizeof(why), "%s",
			 v == -ENOTSUP ? "verification not available" : strerror(-v));
	if (v == 0 && !why[0])
		return 0;
	int e = reject(r, in, "signature", "署名を検証できません (%s): %s",
		       "the signature does not verify (%s): %s", sig, why);
	return e < 0 ? e : 1;
}

static int report(struct run *r, const struct input *in, const json_t *doc, const json_t *pk)
{
	const json_t *host = json_object_get(doc, "host");
	const char *name = json_string_value(json_object_get(host, "hostname"));
	const char *mid = json_string_value(json_object_get(host, "machine_id"));
	struct parsed p = {
	    .file = in->path, .buf = in->buf, .len = in->len, .report = doc, .packages = pk};
	if (mid && !*mid)
		mid = NULL;
	if (!name || !*name)
		name = mid;
	if (!name)
		return reject(r, in, "no_identity", "ホスト名もマシン ID もありません",
			      "neither a hostname nor a machine id");
	if (store_report_time(doc, &p.scanned_at) < 0)
		return reject(r, in, "no_time", "scan.now が RFC 3339 の時刻ではありません",
			      "scan.now is not an RFC 3339 time");
	if (p.scanned_at > r->o->now + 86400) {
		char t[21];
		time_rfc3339(p.scanned_at, t);
		return reject(r, in, "future", "検査日時 %s が未来です（時計の誤り？）",
			      "scanned at %s, in the future (a wrong clock?)", t);
	}
	int e = signature(r, in);
	if (e != 0)
		return e < 0 ? e : 0;
	p.hostname = name;
	p.machine_id = mid;
	p.keep = r->o->keep;
	memcpy(p.sha256, in->sha256, sizeof(p.sha256));
	sqlite3_int64 id = 0;
	e = store_put_report(r->s, &p, &id);
	if (e < 0 && e != -EEXIST)
		return e;
	if (e == -EEXIST)
		r->stats->duplicate++;
	else
		r->stats->added++;
	return known_put(r, in, e == -EEXIST ? "duplicate" : "report", id, NULL, NULL, NULL);
}

/* Where the token jansson stopped at begins: err.position is the byte
 * after it, and err.text ends "near 'TOKEN'". */
static size_t token_start(const json_error_t *err)
{
	size_t pos = (size_t)err->position;
	const char *near = strstr(err->text, "near '");
	if (!near)
		return pos;
	size_t len = strlen(near + 6);
	if (len > 0 && near[6 + len - 1] == '\'')
		len--;
	return len <= pos ? pos - len : pos;
}

struct text {
	char *p;
	size_t n;
};

static void put(struct text *t, const char *s, size_t n)
{
	memcpy(t->p + t->n, s, n);
	t->n += n;
}

static bool named(const struct skim_member *m, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m->key_len == strlen(names[i]) && memcmp(m->key, names[i], m->key_len) == 0)
			return true;
	return false;
}

static int members(struct text *t, const char *buf, size_t len, const char *const *keep,
		   size_t nkeep, const char *const *drop, size_t ndrop, json_t **pk);

/* Inside the document the top-level skim_object has checked, the
 * members and elements are found without checking them again. */

/* An array's elements, each object cut to the members named in keep. */
static int array_of(struct text *t, const char *a, size_t len, const char *const *keep,
		    size_t nkeep)
{
	size_t pos = 0, off, el;
	int r, k = 0;
	put(t, "[", 1);
	while ((r = skim_array_next_checked(a, len, &pos, &off, &el)) > 0) {
		if (k++)
			put(t, ",", 1);
		if (a[off] != '{') {
			put(t, a + off, el);
			continue;
		}
		if ((r = members(t, a + off, el, keep, nkeep, NULL, 0, NULL)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	put(t, "]", 1);
	return 0;
}

/* A string member's value as a new C string: the text between the
 * quotes when it has no escape (skim checked it is UTF-8 without control
 * characters), else as jansson decodes it. NULL when the value is not a
 * string (as jstr is NULL then). */
static char *span_string(const char *v, size_t len)
{
	if (len < 2 || v[0] != '"')
		return NULL;
	if (!memchr(v, '\\', len))
		return strndup(v + 1, len - 2);
	json_auto_t *j = json_loadb(v, len, JSON_DECODE_ANY, NULL);
	return json_is_string(j) ? strdup(json_string_value(j)) : NULL;
}

struct pkg {
	char *key, *name, *arch, *version;
	size_t idx;
};

static int pkg_cmp(const void *a, const void *b)
{
	const struct pkg *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->idx < y->idx ? -1 : x->idx > y->idx;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int store_package_keys(const char *a, size_t len, json_t **ret)
{
	struct pkg *v = NULL;
	size_t n = 0, cap = 0, pos = 0, off, el;
	int r;
	json_t *out = NULL;
	while ((r = skim_array_next_checked(a, len, &pos, &off, &el)) > 0) {
		struct skim_member m[SKIM_MAX_MEMBERS];
		int k = a[off] == '{' ? skim_object_checked(a + off, el, m, ARRAY_SIZE(m)) : 0;
		if (k < 0) {
			r = k;
			break;
		}
		struct pkg p = {.idx = n};
		bool not_installed = false;
		for (int i = 0; i < k; i++) {
			const char *val = a + off + m[i].off;
			char **dst =
			    named(&m[i], (const char *const[]){"name"}, 1)	     ? &p.name
			    : named(&m[i], (const char *const[]){"architecture"}, 1) ? &p.arch
			    : named(&m[i], (const char *const[]){"version"}, 1)	     ? &p.version
										     : NULL;
			if (dst)
				*dst = span_string(val, m[i].len);
			else if (named(&m[i], (const char *const[]){"installed"}, 1))
				not_installed = m[i].len == 5 && memcmp(val, "false", 5) == 0;
		}
		p.key = diff_package_key(p.name, p.arch, not_installed);
		struct pkg *nv =
		    !p.key || n < cap ? v : reallocarray(v, cap ? 2 * cap : 256, sizeof(*v));
		if (!p.key || !nv) {
			free(p.key);
			free(p.name);
			free(p.arch);
			free(p.version);
			if (!p.key)
				continue;
			r = -ENOMEM;
			break;
		}
		if (n == cap)
			cap = cap ? 2 * cap : 256;
		v = nv;
		v[n++] = p;
	}
	if (r == 0 && v)
		qsort(v, n, sizeof(*v), pkg_cmp);
	if (r == 0 && !(out = json_array()))
		r = -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (r == 0 && (i == 0 || strcmp(v[i].key, v[i - 1].key) != 0)) {
			json_t *e = json_array();
			if (!e || json_array_append_new(e, str_or_null(v[i].name)) < 0 ||
			    json_array_append_new(e, str_or_null(v[i].arch)) < 0 ||
			    json_array_append_new(e, str_or_null(v[i].version)) < 0 ||
			    json_array_append_new(out, e) < 0)
				r = -ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].name);
		free(v[i].arch);
		free(v[i].version);
	}
	free(v);
	if (r < 0) {
		json_decref(out);
		return r;
	}
	*ret = out;
	return 0;
}

/* The inventory collections diff_inventory_keys reads, and in each
 * element the members report/diff.c's keyers read (name, uid, groups,
 * sudo_all for accounts and admins; ...): the rest of the inventory
 * (most of a report's bytes) is not handed to jansson. */
#define FIELDS(...)                                                                                \
	(const char *const[]){__VA_ARGS__},                                                        \
	    sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)
static const struct {
	const char *name;
	const char *const *fields;
	size_t n;
} inventory_kept[] = {
    {"accounts", FIELDS("name", "uid", "groups", "sudo_all")},
    {"services", FIELDS("unit", "enabled")},
    {"listeners", FIELDS("proto_port", "address")},
    {"usb_devices", FIELDS("key", "id")},
    {"wifi_networks", FIELDS("name", "ssid")},
    {"packages", FIELDS("name", "architecture", "version", "installed")},
};

/* The inventory cut to what diff_inventory_keys reads; the packages
 * (thousands of entries: jansson building an object for each showed in
 * the ingest rate) not handed to jansson but made into their key list
 * here, in *pk. */
static int inventory(struct text *t, const char *buf, size_t len, json_t **pk)
{
	struct skim_member m[SKIM_MAX_MEMBERS];
	int n = skim_object_checked(buf, len, m, ARRAY_SIZE(m));
	if (n < 0)
		return n;
	put(t, "{", 1);
	bool first = true;
	for (int i = 0; i < n; i++) {
		size_t j = 0;
		while (j < ARRAY_SIZE(inventory_kept) &&
		       !(m[i].key_len == strlen(inventory_kept[j].name) &&
			 memcmp(m[i].key, inventory_kept[j].name, m[i].key_len) == 0))
			j++;
		if (j == ARRAY_SIZE(inventory_kept))
			continue;
		if (pk && strcmp(inventory_kept[j].name, "packages") == 0 && buf[m[i].off] == '[') {
			json_decref(*pk);
			*pk = NULL;
			int r = store_package_keys(buf + m[i].off, m[i].len, pk);
			if (r < 0)
				return r;
			continue;
		}
		put(t, first ? "\"" : ",\"", first ? 1 : 2);
		put(t, m[i].key, m[i].key_len);
		put(t, "\":", 2);
		first = false;
		int r = buf[m[i].off] == '['
			    ? array_of(t, buf + m[i].off, m[i].len, inventory_kept[j].fields,
				       inventory_kept[j].n)
			    : (put(t, buf + m[i].off, m[i].len), 0);
		if (r < 0)
			return r;
	}
	put(t, "}", 1);
	return 0;
}

/* The object's members named in keep (or all but those in drop),
 * written to t: never longer than the object's own text. At the top
 * (drop given), findings and the inventory are cut to what the store
 * keeps. */
static int members(struct text *t, const char *buf, size_t len, const char *const *keep,
		   size_t nkeep, const char *const *drop, size_t ndrop, json_t **pk)
{
	/* each finding's columns the store keeps */
	static const char *const fkeep[] = {"rule",    "status",   "omitted",
					    "subject", "severity", "remediation"};
	struct skim_member m[SKIM_MAX_MEMBERS];
	/* the top (keep NULL) is checked; what is inside it, found */
	int n = keep ? skim_object_checked(buf, len, m, ARRAY_SIZE(m))
		     : skim_object(buf, len, m, ARRAY_SIZE(m));
	if (n < 0)
		return n;
	put(t, "{", 1);
	bool first = true;
	for (int i = 0; i < n; i++) {
		if (keep ? !named(&m[i], keep, nkeep) : named(&m[i], drop, ndrop))
			continue;
		put(t, first ? "\"" : ",\"", first ? 1 : 2);
		put(t, m[i].key, m[i].key_len);
		put(t, "\":", 2);
		first = false;
		const char *v = buf + m[i].off;
		int r = 0;
		if (!keep && named(&m[i], (const char *const[]){"findings"}, 1) && v[0] == '[')
			r = array_of(t, v, m[i].len, fkeep, ARRAY_SIZE(fkeep));
		else if (!keep && named(&m[i], (const char *const[]){"inventory"}, 1) &&
			 v[0] == '{')
			r = inventory(t, v, m[i].len, pk);
		else
			put(t, v, m[i].len);
		if (r < 0)
			return r;
	}
	put(t, "}", 1);
	return 0;
}

/* The document without what the store does not keep (the provenance,
 * the inventory but for the sets the store keeps, each finding's message
 * and evidence), when skim_object vouches for the whole text: jansson
 * builds only the rest. NULL otherwise: the caller then parses all of it
 * with jansson, which also says where a corrupt file goes wrong. */
static json_t *skimmed(const char *buf, size_t len, json_t **pk)
{
	static const char *const unused[] = {"provenance"};
	struct text t = {malloc(len + 2), 0};
	if (!t.p)
		return NULL;
	json_t *doc = NULL;
	if (members(&t, buf, len, NULL, 0, unused, ARRAY_SIZE(unused), pk) == 0) {
		json_error_t err;
		doc = json_loadb(t.p, t.n, JSON_REJECT_DUPLICATES, &err);
	}
	if (!doc) { /* the whole text goes to jansson: diff's keyers then */
		json_decref(*pk);
		*pk = NULL;
	}
	free(t.p);
	return doc;
}

/* Parse and dispatch one file's bytes by its "format". */
static int document(struct run *r, const struct input *in)
{
	json_error_t err;
	json_auto_t *pk = NULL;
	json_auto_t *doc = skimmed(in->buf, in->len, &pk);
	if (!doc)
		doc = json_loadb(in->buf, in->len, JSON_REJECT_DUPLICATES, &err);
	r->stats->bytes_parsed += in->len;
	if (!doc) {
		struct jsonpos at = jsonpos_of_offset(in->buf, in->len, token_start(&err));
		return reject(r, in, "corrupt", "%s:%u:%u: JSON として読めません: %s",
			      "%s:%u:%u: not valid JSON: %s", in->path, at.line, at.column,
			      err.text);
	}
	const char *format = json_string_value(json_object_get(doc, "format"));
	json_int_t version = json_integer_value(json_object_get(doc, "format_version"));
	if (format && strcmp(format, "tenken-fleet-run") == 0) {
		r->stats->skipped++;
		return known_put(r, in, "skipped", 0, NULL, NULL, NULL);
	}
	if (!format ||
	    (strcmp(format, "tenken-report") != 0 && strcmp(format, "tenken-fleet-error") != 0)) {
		const char *f = format ? format : "(none)";
		return reject(r, in, "format", "tenken のレポートではありません（format: %s）",
			      "not a tenken report (format: %s)", f);
	}
	if (version != 1)
		return reject(
		    r, in, "version",
		    "このバージョンの tenken が読めない形式の版です（format_version: %lld）",
		    "a format version this tenken cannot read (format_version: %lld)",
		    (long long)version);
	if (strcmp(format, "tenken-fleet-error") == 0)
		return fleet_error(r, in, doc);
	return report(r, in, doc, pk);
}

/* One regular file, open as fd. Unchanged files are not read again;
 * refused ones are, so that a fixed file or a new signature is seen. */
static int one_file(struct run *r, const char *path, int fd, const struct stat *st)
{
	struct input in = {.path = path,
			   .size = st->st_size,
			   .mtime = (sqlite3_int64)st->st_mtim.tv_sec * 1000000000 +
				    st->st_mtim.tv_nsec};
	struct known k;
	if (known_get(r, path, &k) < 0)
		return -EIO;
	if (k.found && !k.rejected && k.size == in.size && k.mtime == in.mtime) {
		r->stats->unchanged++;
		return 0;
	}
	if ((size_t)st->st_size > STORE_MAX_REPORT)
		return reject(r, &in, "too_large", "%lld バイトは大きすぎます（上限 %u）",
			      "%lld bytes is too large (the limit is %u)", (long long)st->st_size,
			      STORE_MAX_REPORT);
	int e = readfile_fd(fd, STORE_MAX_REPORT, &in.buf, &in.len);
	if (e < 0)
		return reject(r, &in, "unreadable", "読めません: %s", "cannot read: %s",
			      strerror(-e));
	e = sha256_hex(in.buf, in.len, in.sha256);
	if (e == 0 && k.found && !k.rejected && strcmp(k.sha256, in.sha256) == 0) {
		/* Touched or copied back, same bytes: nothing to parse. */
		r->stats->unchanged++;
		free(in.buf);
		return 0;
	}
	if (e == 0)
		e = document(r, &in);
	free(in.buf);
	return e;
}

static int walk(struct run *r, const char *path, int fd, int depth);

/* Open path (not following a symlink when walked into) and ingest it. */
static int one_path(struct run *r, const char *path, bool follow, int depth)
{
	struct input in = {.path = path};
	int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (follow ? 0 : O_NOFOLLOW);
	_cleanup_close_ int fd = open(path, flags);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;
		return reject(r, &in, "unreadable", "開けません: %s", "cannot open: %s",
			      strerror(e));
	}
	if (S_ISDIR(st.st_mode))
		return walk(r, path, TAKE_FD(fd), depth);
	if (!S_ISREG(st.st_mode))
		return reject(r, &in, "not_regular", "通常のファイルではありません",
			      "not a regular file");
	return one_file(r, path, fd, &st);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* The *.json files and the subdirectories of a directory, in name order
 * so that a run is reproducible. Takes fd. */
static int walk(struct run *r, const char *path, int fd, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int e = 0;
	for (struct dirent *de; (de = readdir(d)) && e == 0;) {
		bool dir = de->d_type == DT_DIR || de->d_type == DT_UNKNOWN;
		if (!wanted(de->d_name) && !(dir && de->d_name[0] != '.'))
			continue;
		if (n == cap) {
			char **nv = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));
			if (!nv) {
				e = -ENOMEM;
				break;
			}
			names = nv;
		}
		if (!(names[n] = strdup(de->d_name)))
			e = -ENOMEM;
		else
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *sub = NULL;
		if (e == 0 && asprintf(&sub, "%s%s%s", path,
				       path[strlen(path) - 1] == '/' ? "" : "/", names[i]) < 0)
			e = -ENOMEM;
		struct stat st;
		if (e == 0 && lstat(sub, &st) == 0 &&
		    (S_ISREG(st.st_mode) ? wanted(names[i])
					 : S_ISDIR(st.st_mode) && depth < STORE_MAX_DEPTH))
			e = one_path(r, sub, false, depth + 1);
		free(names[i]);
	}
	free(names);
	return e;
}

int store_ingest(struct store *s, char *const *paths, size_t npaths, const struct store_opts *o,
		 store_reject_fn on_reject, void *ctx, struct store_stats *stats, char *why,
		 size_t n)
{
	struct run r = {s, o, on_reject, ctx, stats, why, n};
	*stats = (struct store_stats){0};
	int e = store_exec(s, "BEGIN IMMEDIATE", why, n);
	if (e < 0)
		return e;
	for (size_t i = 0; i < npaths && e == 0; i++)
		e = one_path(&r, paths[i], true, 0);
	if (e == 0)
		return store_exec(s, "COMMIT", why, n);
	if (!why[0])
		snprintf(why, n, "%s", e == -EIO ? sqlite3_errmsg(s->db) : strerror(-e));
	store_exec(s, "ROLLBACK", why + strlen(why), 0);
	return e;
}
