/* store.c - the history store's database: schema, opening, and storing
 * one parsed report (host identity, the facts the views need).
 *
 * Host identity survives renames: a host is its machine id when the
 * report has one, else its hostname; a host first seen without a machine
 * id is adopted by the first report that has one under the same name.
 */
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include "store/store_int.h"
#include "lib/util.h"
#include "report/diff.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS hosts(id INTEGER PRIMARY KEY, machine_id TEXT UNIQUE,"
    " hostname TEXT NOT NULL, latest INTEGER, latest_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS hosts_name ON hosts(hostname);"
    "CREATE INDEX IF NOT EXISTS hosts_latest ON hosts(latest);"
    "CREATE TABLE IF NOT EXISTS reports(id INTEGER PRIMARY KEY, host_id INTEGER NOT NULL,"
    " scanned_at INTEGER NOT NULL, sha256 TEXT NOT NULL, file TEXT NOT NULL, edition TEXT,"
    " hostname TEXT, machine_id TEXT, os TEXT, os_version TEXT, kernel TEXT, arch TEXT,"
    " hw_vendor TEXT, hw_model TEXT, addresses TEXT, macs TEXT, fail INTEGER, pass INTEGER,"
    " unknown INTEGER, json_codec TEXT, json BLOB, profile TEXT,"
    " UNIQUE(host_id, scanned_at, sha256));"
    "CREATE TABLE IF NOT EXISTS answers(report_id INTEGER NOT NULL, item TEXT NOT NULL,"
    " answer TEXT NOT NULL, PRIMARY KEY(report_id, item)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS rule_counts(report_id INTEGER NOT NULL, rule TEXT NOT NULL,"
    " fail INTEGER, pass INTEGER, unknown INTEGER, PRIMARY KEY(report_id, rule)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS rule_counts_rule ON rule_counts(rule, report_id);"
    "CREATE TABLE IF NOT EXISTS failing(report_id INTEGER NOT NULL, rule TEXT NOT NULL,"
    " subject TEXT NOT NULL, PRIMARY KEY(report_id, rule, subject)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS rules(rule TEXT PRIMARY KEY, severity TEXT,"
    " remediation_ja TEXT, remediation_en TEXT);"
    "CREATE TABLE IF NOT EXISTS items(edition TEXT NOT NULL, item TEXT NOT NULL, ord INTEGER,"
    " title_ja TEXT, title_en TEXT, PRIMARY KEY(edition, item));"
    "CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,"
    " sha256 TEXT, outcome TEXT NOT NULL, report_id INTEGER, reason TEXT, message_ja TEXT,"
    " message_en TEXT);"
    "CREATE TABLE IF NOT EXISTS fleet_errors(path TEXT PRIMARY KEY, host TEXT, reason TEXT,"
    " message_ja TEXT, message_en TEXT, at TEXT, exit_status INTEGER);"
    "CREATE INDEX IF NOT EXISTS reports_host ON reports(host_id, scanned_at);"
    "INSERT OR IGNORE INTO meta VALUES('format', 'tenken-store'), ('schema_version', '1');";

int store_exec(struct store *s, const char *sql, char *why, size_t n)
{
	char *err = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) == SQLITE_OK)
		return 0;
	snprintf(why, n, "%s", err ? err : sqlite3_errmsg(s->db));
	sqlite3_free(err);
	return -EIO;
}

int store_prepare(struct store *s, sqlite3_stmt **st, const char *sql)
{
	if (*st)
		return sqlite3_reset(*st) == SQLITE_OK ? 0 : -EIO;
	return sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK ? 0 : -EIO;
}

static int check_format(struct store *s, char *why, size_t n)
{
	sqlite3_stmt *st = NULL;
	int r = -EINVAL;
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st,
			       NULL) != SQLITE_OK) {
		snprintf(why, n, "%s", sqlite3_errmsg(s->db));
		return -EIO;
	}
	if (sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "1") == 0)
		r = 0;
	else
		snprintf(why, n, "not a tenken store of schema version 1");
	sqlite3_finalize(st);
	return r;
}

/* A store made before reports had a column gets it; its older reports
 * have none (NULL): --profile does not match them, and their inventory
 * changes are "not recorded". */
static int add_column(struct store *s, const char *col, const char *type, char *why, size_t n)
{
	sqlite3_stmt *st = NULL;
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT %s FROM reports LIMIT 0", col);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;
	}
	snprintf(sql, sizeof(sql), "ALTER TABLE reports ADD COLUMN %s %s", col, type);
	return store_exec(s, sql, why, n);
}

int store_open(const char *path, struct store **ret, char *why, size_t n)
{
	struct store *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path ? path : ":memory:", &s->db, flags, NULL) != SQLITE_OK) {
		snprintf(why, n, "%s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return -EIO;
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* The rollback journal keeps the original pages: a killed ingest is
	 * rolled back by the next opener. The page cache is bounded (8 MiB),
	 * so memory does not grow with the number of reports. No mmap: the
	 * views read the whole file and every mapped page counted in the
	 * process's memory (115 MB of a 10,000-host store), for no measured
	 * gain in speed (ingest or views). */
	int r = store_exec(s,
			   "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;"
			   "PRAGMA cache_size=-8192; PRAGMA foreign_keys=OFF;"
			   "PRAGMA mmap_size=0;",
			   why, n);
	if (r == 0)
		r = store_exec(s, schema, why, n);
	if (r == 0)
		r = check_format(s, why, n);
	if (r == 0)
		r = add_column(s, "profile", "TEXT", why, n);
	if (r == 0)
		r = add_column(s, "inventory", "BLOB", why, n);
	if (r < 0) {
		store_close(s);
		return r;
	}
	*ret = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(s->st); i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	ZSTD_freeCCtx(s->zc);
	free(s);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The host's row id: by machine id, else by hostname (see the banner). */
static int host_find(struct store *s, const char *mid, const char *name, sqlite3_int64 *ret)
{
	sqlite3_stmt **st = &s->st[ST_HOST_BY_MID];
	if (mid) {
		if (store_prepare(s, st, "SELECT id FROM hosts WHERE machine_id=?") < 0)
			return -EIO;
		bind_text(*st, 1, mid);
		if (sqlite3_step(*st) == SQLITE_ROW) {
			*ret = sqlite3_column_int64(*st, 0);
			return 0;
		}
	}
	st = &s->st[ST_HOST_BY_NAME];
	if (store_prepare(s, st,
			  "SELECT id FROM hosts WHERE hostname=?1 AND (?2 IS NULL OR machine_id IS "
			  "NULL) ORDER BY machine_id IS NULL DESC, id LIMIT 1") < 0)
		return -EIO;
	bind_text(*st, 1, name);
	bind_text(*st, 2, mid);
	if (sqlite3_step(*st) != SQLITE_ROW)
		return -ENOENT;
	*ret = sqlite3_column_int64(*st, 0);
	if (!mid)
		return 0;
	st = &s->st[ST_HOST_ADOPT];
	if (store_prepare(s, st, "UPDATE hosts SET machine_id=? WHERE id=?") < 0)
		return -EIO;
	bind_text(*st, 1, mid);
	sqlite3_bind_int64(*st, 2, *ret);
	return sqlite3_step(*st) == SQLITE_DONE ? 0 : -EIO;
}

static int host_id(struct store *s, const char *mid, const char *name, sqlite3_int64 *ret)
{
	int r = host_find(s, mid, name, ret);
	if (r != -ENOENT)
		return r;
	sqlite3_stmt **st = &s->st[ST_HOST_NEW];
	if (store_prepare(s, st, "INSERT INTO hosts(machine_id, hostname) VALUES(?, ?)") < 0)
		return -EIO;
	bind_text(*st, 1, mid);
	bind_text(*st, 2, name);
	if (sqlite3_step(*st) != SQLITE_DONE)
		return -EIO;
	*ret = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* "192.0.2.1 2001:db8::1" and "52:54:00:12:34:56" of host.addresses. */
static void addresses(const json_t *host, struct strbuf *ips, struct strbuf *macs)
{
	size_t i, j;
	json_t *a, *v;
	json_array_foreach(json_object_get(host, "addresses"), i, a) {
		const char *mac = jstr(a, "mac");
		if (mac && *mac)
			strbuf_printf(macs, "%s%s", macs->len ? " " : "", mac);
		json_array_foreach(json_object_get(a, "ipv4"), j, v) {
			if (json_is_string(v))
				strbuf_printf(ips, "%s%s", ips->len ? " " : "",
					      json_string_value(v));
		}
		json_array_foreach(json_object_get(a, "ipv6"), j, v) {
			if (json_is_string(v))
				strbuf_printf(ips, "%s%s", ips->len ? " " : "",
					      json_string_value(v));
		}
	}
}

/* Bind the full JSON compressed as o->keep asks (nothing for NONE). */
static int bind_json(sqlite3_stmt *st, const char *buf, size_t len, enum store_keep keep)
{
	if (keep == STORE_KEEP_NONE) {
		sqlite3_bind_null(st, 20);
		sqlite3_bind_null(st, 21);
		return 0;
	}
	size_t cap = keep == STORE_KEEP_ZSTD ? ZSTD_compressBound(len) : compressBound(len);
	unsigned char *out = malloc(cap);
	if (!out)
		return -ENOMEM;
	size_t got = cap;
	if (keep == STORE_KEEP_ZSTD) {
		got = ZSTD_compress(out, cap, buf, len, 3);
		if (ZSTD_isError(got)) {
			free(out);
			return -EIO;
		}
	} else {
		uLongf zl = cap;
		if (compress2(out, &zl, (const Bytef *)buf, len, 6) != Z_OK) {
			free(out);
			return -EIO;
		}
		got = zl;
	}
	sqlite3_bind_text(st, 20, keep == STORE_KEEP_ZSTD ? "zstd" : "zlib", -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 21, out, got, free);
	return 0;
}

/* The inventory sets (diff_inventory_keys) as zstd-compressed compact
 * JSON in parameter 23; NULL when the report has no inventory (an
 * older tenken's, or a skimmed one): its changes are "not recorded". */
static int bind_inventory(struct store *s, sqlite3_stmt *st, const json_t *report,
			  const json_t *packages)
{
	sqlite3_bind_null(st, 23);
	if (!json_is_object(json_object_get(report, "inventory")))
		return 0;
	json_auto_t *keys = diff_inventory_keys(report);
	if (keys && packages && json_object_set(keys, "packages", (json_t *)packages) < 0)
		return -ENOMEM;
	_cleanup_free_ char *text = keys ? json_dumps(keys, JSON_COMPACT) : NULL;
	if (!text)
		return -ENOMEM;
	size_t len = strlen(text), cap = ZSTD_compressBound(len);
	unsigned char *out = malloc(cap);
	if (!out)
		return -ENOMEM;
	/* One context for the run: making one per report (what
	 * ZSTD_compress does) cost more than compressing. */
	if (!s->zc && !(s->zc = ZSTD_createCCtx())) {
		free(out);
		return -ENOMEM;
	}
	size_t got = ZSTD_compressCCtx(s->zc, out, cap, text, len, 3);
	if (ZSTD_isError(got)) {
		free(out);
		return -EIO;
	}
	sqlite3_bind_blob64(st, 23, out, got, free);
	return 0;
}

/* Insert the report row; -EEXIST when the same report is already stored. */
static int report_row(struct store *s, const struct parsed *p, sqlite3_int64 host,
		      sqlite3_int64 *ret)
{
	const json_t *h = json_object_get(p->report, "host");
	const json_t *os = json_object_get(h, "os");
	const json_t *hw = json_object_get(h, "hardware");
	const json_t *sum = json_object_get(p->report, "summary");
	sqlite3_stmt **st = &s->st[ST_REPORT];
	if (store_prepare(
		s, st,
		"INSERT OR IGNORE INTO reports(host_id, scanned_at, sha256, file, edition,"
		" hostname, machine_id, os, os_version, kernel, arch, hw_vendor, hw_model,"
		" addresses, macs, fail, pass, unknown, json_codec, json, profile, inventory)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,"
		"?20,?21,?22,?23)") < 0)
		return -EIO;
	struct strbuf ips, macs;
	strbuf_init(&ips, 1u << 16);
	strbuf_init(&macs, 1u << 16);
	addresses(h, &ips, &macs);
	sqlite3_bind_int64(*st, 1, host);
	sqlite3_bind_int64(*st, 2, (sqlite3_int64)p->scanned_at);
	bind_text(*st, 3, p->sha256);
	bind_text(*st, 4, p->file);
	bind_text(*st, 5, jstr(p->report, "checklist_edition"));
	bind_text(*st, 6, p->hostname);
	bind_text(*st, 7, p->machine_id);
	const char *osname = jstr(os, "pretty_name") ? jstr(os, "pretty_name") : jstr(os, "name");
	bind_text(*st, 8, osname);
	bind_text(*st, 9, jstr(os, "version_id"));
	bind_text(*st, 10, jstr(h, "kernel"));
	bind_text(*st, 11, jstr(h, "arch"));
	bind_text(*st, 12, jstr(hw, "sys_vendor"));
	bind_text(*st, 13, jstr(hw, "product_name"));
	bind_text(*st, 14, ips.s ? ips.s : "");
	bind_text(*st, 15, macs.s ? macs.s : "");
	sqlite3_bind_int64(*st, 16, json_integer_value(json_object_get(sum, "fail")));
	sqlite3_bind_int64(*st, 17, json_integer_value(json_object_get(sum, "pass")));
	sqlite3_bind_int64(*st, 18, json_integer_value(json_object_get(sum, "unknown")));
	bind_text(*st, 22, jstr(json_object_get(p->report, "baseline"), "profile"));
	strbuf_free(&ips);
	strbuf_free(&macs);
	int r = bind_json(*st, p->buf, p->len, p->keep);
	if (r == 0)
		r = bind_inventory(s, *st, p->report, p->packages);
	if (r < 0)
		return r;
	r = sqlite3_step(*st) == SQLITE_DONE ? 0 : -EIO;
	sqlite3_clear_bindings(*st);
	if (r < 0)
		return r;
	if (sqlite3_changes(s->db) == 0)
		return -EEXIST;
	*ret = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int answers_rows(struct store *s, const struct parsed *p, sqlite3_int64 rid)
{
	const char *edition = jstr(p->report, "checklist_edition");
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(p->report, "checklist"), i, c) {
		const char *item = jstr(c, "item"), *answer = jstr(c, "answer");
		if (!item || !answer)
			continue;
		sqlite3_stmt **st = &s->st[ST_ANSWER];
		if (store_prepare(s, st, "INSERT OR IGNORE INTO answers VALUES(?, ?, ?)") < 0)
			return -EIO;
		sqlite3_bind_int64(*st, 1, rid);
		bind_text(*st, 2, item);
		bind_text(*st, 3, answer);
		if (sqlite3_step(*st) != SQLITE_DONE)
			return -EIO;
		const json_t *t = json_object_get(c, "title");
		st = &s->st[ST_ITEM];
		if (store_prepare(s, st, "INSERT OR IGNORE INTO items VALUES(?, ?, ?, ?, ?)") < 0)
			return -EIO;
		bind_text(*st, 1, edition ? edition : "");
		bind_text(*st, 2, item);
		sqlite3_bind_int64(*st, 3, (sqlite3_int64)i);
		bind_text(*st, 4, jstr(t, "ja"));
		bind_text(*st, 5, jstr(t, "en"));
		if (sqlite3_step(*st) != SQLITE_DONE)
			return -EIO;
	}
	return 0;
}

/* The rule's remediation, once for the fleet (the newest ingested wins). */
static int rule_row(struct store *s, const json_t *f)
{
	const json_t *rem = json_object_get(f, "remediation");
	sqlite3_stmt **st = &s->st[ST_RULE];
	if (store_prepare(
		s, st,
		"INSERT INTO rules VALUES(?1, ?2, ?3, ?4) ON CONFLICT(rule) DO UPDATE SET"
		" severity=?2, remediation_ja=?3, remediation_en=?4 WHERE"
		" remediation_en IS NOT ?4 OR remediation_ja IS NOT ?3 OR severity IS NOT ?2") < 0)
		return -EIO;
	bind_text(*st, 1, jstr(f, "rule"));
	bind_text(*st, 2, jstr(f, "severity"));
	bind_text(*st, 3, jstr(rem, "ja"));
	bind_text(*st, 4, jstr(rem, "en"));
	return sqlite3_step(*st) == SQLITE_DONE ? 0 : -EIO;
}

static int count_row(struct store *s, sqlite3_int64 rid, const char *rule, const long c[3])
{
	sqlite3_stmt **st = &s->st[ST_COUNT];
	if (store_prepare(s, st, "INSERT OR REPLACE INTO rule_counts VALUES(?, ?, ?, ?, ?)") < 0)
		return -EIO;
	sqlite3_bind_int64(*st, 1, rid);
	bind_text(*st, 2, rule);
	for (int i = 0; i < 3; i++)
		sqlite3_bind_int64(*st, 3 + i, c[i]);
	return sqlite3_step(*st) == SQLITE_DONE ? 0 : -EIO;
}

static int failing_row(struct store *s, sqlite3_int64 rid, const json_t *f)
{
	sqlite3_stmt **st = &s->st[ST_FAILING];
	if (store_prepare(s, st, "INSERT OR IGNORE INTO failing VALUES(?, ?, ?)") < 0)
		return -EIO;
	sqlite3_bind_int64(*st, 1, rid);
	bind_text(*st, 2, jstr(f, "rule"));
	bind_text(*st, 3, jstr(f, "subject") ? jstr(f, "subject") : "host");
	return sqlite3_step(*st) == SQLITE_DONE ? 0 : -EIO;
}

/* Status counts per rule and failing subjects. Findings come grouped by
 * rule in a report, but nothing requires it: counts are accumulated in a
 * JSON object keyed by rule. */
static int findings_rows(struct store *s, const struct parsed *p, sqlite3_int64 rid)
{
	json_auto_t *counts = json_object();
	size_t i;
	json_t *f;
	if (!counts)
		return -ENOMEM;
	json_array_foreach(json_object_get(p->report, "findings"), i, f) {
		const char *rule = jstr(f, "rule"), *status = jstr(f, "status");
		if (!rule || !status || json_is_true(json_object_get(f, "omitted")))
			continue;
		json_t *c = json_object_get(counts, rule);
		if (!c) {
			c = json_pack("[iii]", 0, 0, 0);
			if (!c || json_object_set_new(counts, rule, c) < 0 || rule_row(s, f) < 0)
				return -EIO;
		}
		int k = strcmp(status, "fail") == 0 ? 0 : strcmp(status, "pass") == 0 ? 1 : 2;
		json_array_set_new(c, k,
				   json_integer(json_integer_value(json_array_get(c, k)) + 1));
		if (k == 0 && failing_row(s, rid, f) < 0)
			return -EIO;
	}
	const char *rule;
	json_t *c;
	json_object_foreach(counts, rule, c) {
		long v[3];
		for (int k = 0; k < 3; k++)
			v[k] = (long)json_integer_value(json_array_get(c, k));
		if (count_row(s, rid, rule, v) < 0)
			return -EIO;
	}
	return 0;
}

static int latest_update(struct store *s, const struct parsed *p, sqlite3_int64 host,
			 sqlite3_int64 rid)
{
	sqlite3_stmt **st = &s->st[ST_LATEST];
	if (store_prepare(
		s, st,
		"UPDATE hosts SET latest=?1, latest_at=?2, hostname=?3 WHERE id=?4 AND"
		" (latest_at IS NULL OR latest_at < ?2 OR (latest_at = ?2 AND latest < ?1))") < 0)
		return -EIO;
	sqlite3_bind_int64(*st, 1, rid);
	sqlite3_bind_int64(*st, 2, (sqlite3_int64)p->scanned_at);
	bind_text(*st, 3, p->hostname);
	sqlite3_bind_int64(*st, 4, host);
	return sqlite3_step(*st) == SQLITE_DONE ? 0 : -EIO;
}

int store_put_report(struct store *s, const struct parsed *p, sqlite3_int64 *ret_id)
{
	sqlite3_int64 host, rid;
	int r = host_id(s, p->machine_id, p->hostname, &host);
	if (r == 0)
		r = report_row(s, p, host, &rid);
	if (r == -EEXIST) {
		/* The same report: the existing row's id for the files table. */
		sqlite3_stmt **st = &s->st[ST_REPORT_FIND];
		if (store_prepare(s, st,
				  "SELECT id FROM reports WHERE host_id=? AND scanned_at=? AND "
				  "sha256=?") < 0)
			return -EIO;
		sqlite3_bind_int64(*st, 1, host);
		sqlite3_bind_int64(*st, 2, (sqlite3_int64)p->scanned_at);
		bind_text(*st, 3, p->sha256);
		if (sqlite3_step(*st) == SQLITE_ROW)
			*ret_id = sqlite3_column_int64(*st, 0);
		return -EEXIST;
	}
	if (r == 0)
		r = answers_rows(s, p, rid);
	if (r == 0)
		r = findings_rows(s, p, rid);
	if (r == 0)
		r = latest_update(s, p, host, rid);
	if (r == 0)
		*ret_id = rid;
	return r;
}
