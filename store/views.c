/* views.c - the fleet summary (DESIGN.md, "Fleet summary") computed from
 * the store with SQL: each host's newest report and answers, the counts
 * per checklist item (a stale host is counted as stale, never as yes),
 * the rules failing on the most hosts, the 2(1) ledger, every host's
 * answers as they stood at the end of each month, and what changed since
 * each host's previous scan.
 *
 * Every aggregate is done by SQLite over indexed tables. The hosts are
 * not gathered: store_hosts_next gives one host at a time (its answers and
 * changes looked up by report id) for the renderer to write, so memory
 * does not grow with the fleet.
 */
#include <stdio.h>
#include <string.h>
#include <zstd.h>
#include "store/store_int.h"
#include "lib/util.h"

/* Months and dates are Japan Standard Time: Asia/Tokyo has kept UTC+9
 * without daylight saving since 1951, so a fixed offset is what tzdata
 * says for every scan tenken can meet. */
#define JST_OFFSET 32400

struct q {
	struct store *s;
	const struct store_view_opts *o;
	sqlite3_int64 cut; /* newest report before this: stale */
	char *why;
	size_t n;
};

static int fail_sql(struct q *q)
{
	snprintf(q->why, q->n, "%s", sqlite3_errmsg(q->s->db));
	return -EIO;
}

static json_t *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return v ? json_str((const char *)v) : json_null();
}

static json_t *col_time(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	char t[21];
	time_rfc3339((time_t)sqlite3_column_int64(st, i), t);
	return json_string(t);
}

/* {k1: v1, k2: v2}, stealing the values: json_pack parses its format
 * each time, which showed for the tens of thousands of changes. */
static json_t *pair(const char *k1, json_t *v1, const char *k2, json_t *v2)
{
	json_t *o = json_object();
	if (!o || json_object_set_new_nocheck(o, k1, v1) < 0 ||
	    json_object_set_new_nocheck(o, k2, v2) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *i18n(sqlite3_stmt *st, int ja, int en)
{
	return pair("ja", col_str(st, ja), "en", col_str(st, en));
}

/* The host filters are parameters ?50 and ?51 of every statement that
 * has HOST_FILTER (the others number theirs from ?1; a named parameter
 * would take the next free number and could meet a later ?N). */
#define P_HOST	  50
#define P_PROFILE 51
static void bind_host(struct q *q, sqlite3_stmt *st)
{
	if (q->o->host)
		sqlite3_bind_text(st, P_HOST, q->o->host, -1, SQLITE_STATIC);
	if (q->o->profile)
		sqlite3_bind_text(st, P_PROFILE, q->o->profile, -1, SQLITE_STATIC);
}

/* --host NAME and --profile P (the profile of the host's newest report). */
#define HOST_FILTER                                                                                \
	"(?50 IS NULL OR h.hostname = ?50 OR h.machine_id = ?50) AND (?51 IS NULL OR"              \
	" EXISTS (SELECT 1 FROM reports pf WHERE pf.id = h.latest AND pf.profile = ?51))"

/* The 2(1) ledger facts of the host's newest report (columns 5..16). */
static json_t *ledger(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "os", col_str(st, 6),
			 "os_version", col_str(st, 7), "kernel", col_str(st, 8), "arch",
			 col_str(st, 9), "hw_vendor", col_str(st, 10), "hw_model", col_str(st, 11),
			 "addresses", col_str(st, 12), "macs", col_str(st, 13));
}

/* The hosts are streamed: one host's object at a time, in hostname
 * order, with its newest answers and its changes since the previous
 * scan looked up by its report ids (indexed), so the views of a large
 * fleet never hold every host in memory. */
struct store_hosts {
	struct q q;
	sqlite3_stmt *h, *a, *c, *y;
	ZSTD_DCtx *zd; /* made once: one per blob cost more than the blob */
	char why[256];
};

static const char hosts_sql[] =
    "SELECT h.id, h.hostname, h.machine_id, h.latest_at, r.file, r.edition, r.os,"
    " r.os_version, r.kernel, r.arch, r.hw_vendor, r.hw_model, r.addresses, r.macs,"
    " r.fail, r.pass, r.unknown, p.id, p.scanned_at, h.latest, r.profile, r.inventory,"
    " p.inventory FROM hosts h JOIN reports "
    "r ON r.id ="
    " h.latest LEFT JOIN reports p ON p.id = (SELECT x.id FROM reports x WHERE x.host_id ="
    " h.id AND (x.scanned_at < h.latest_at OR (x.scanned_at = h.latest_at AND x.id <"
    " h.latest)) ORDER BY x.scanned_at DESC, x.id DESC LIMIT 1) WHERE " HOST_FILTER
    " ORDER BY h.hostname, h.id";
/* Every report of host ?1, oldest first, with its answers. */
static const char history_sql[] =
    "SELECT r.id, r.scanned_at, a.item, a.answer FROM reports r JOIN answers a ON a.report_id ="
    " r.id WHERE r.host_id = ?1 ORDER BY r.scanned_at, r.id, a.item";
static const char answers_sql[] =
    "SELECT item, answer FROM answers WHERE report_id = ?1 ORDER BY item";
/* Failures new in the newest report (?1) and gone since the previous
 * (?2), by (rule, subject), each in the failing table's key order. */
static const char changes_sql[] =
    "SELECT 0, f.rule, f.subject FROM failing f WHERE f.report_id = ?1 AND NOT EXISTS"
    " (SELECT 1 FROM failing g WHERE g.report_id = ?2 AND g.rule = f.rule AND g.subject ="
    " f.subject) UNION ALL SELECT 1, f.rule, f.subject FROM failing f WHERE f.report_id = ?2"
    " AND NOT EXISTS (SELECT 1 FROM failing g WHERE g.report_id = ?1 AND g.rule = f.rule"
    " AND g.subject = f.subject)";

void store_hosts_close(struct store_hosts *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->h);
	sqlite3_finalize(it->a);
	sqlite3_finalize(it->c);
	sqlite3_finalize(it->y);
	ZSTD_freeDCtx(it->zd);
	free(it);
}

int store_hosts_rewind(struct store_hosts *it)
{
	sqlite3_reset(it->h);
	return 0;
}

int store_hosts_open(struct store *s, const struct store_view_opts *o, struct store_hosts **ret,
		     char *why, size_t n)
{
	struct store_hosts *it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->q = (struct q){s, o, (sqlite3_int64)o->now - (sqlite3_int64)o->stale_days * 86400,
			   it->why, sizeof(it->why)};
	if (sqlite3_prepare_v2(s->db, hosts_sql, -1, &it->h, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, answers_sql, -1, &it->a, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, changes_sql, -1, &it->c, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, history_sql, -1, &it->y, NULL) != SQLITE_OK) {
		snprintf(why, n, "%s", sqlite3_errmsg(s->db));
		store_hosts_close(it);
		return -EIO;
	}
	bind_host(&it->q, it->h);
	*ret = it;
	return 0;
}

static int host_answers(struct store_hosts *it, sqlite3_int64 report, json_t *ans)
{
	sqlite3_stmt *st = it->a;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, report);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = (const char *)sqlite3_column_text(st, 0);
		if (item && json_object_set_new(ans, item, col_str(st, 1)) < 0)
			return -ENOMEM;
	}
	return rc == SQLITE_DONE ? 0 : fail_sql(&it->q);
}

static int inventory_changes(struct store_hosts *it, json_t *c);

static int host_changes(struct store_hosts *it, sqlite3_int64 latest, json_t *h)
{
	sqlite3_stmt *hs = it->h, *st = it->c;
	json_t *c =
	    json_pack("{s:o, s:[], s:[]}", "previous_scanned_at", col_time(hs, 18), "new", "fixed");
	if (!c || json_object_set_new(h, "changes", c) < 0)
		return -ENOMEM;
	json_t *nw = json_object_get(c, "new"), *fx = json_object_get(c, "fixed");
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, latest);
	sqlite3_bind_int64(st, 2, sqlite3_column_int64(hs, 17));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (json_array_append_new(sqlite3_column_int(st, 0) == 0 ? nw : fx,
					  pair("rule", col_str(st, 1), "subject", col_str(st, 2))) <
		    0)
			return -ENOMEM;
	if (rc != SQLITE_DONE)
		return fail_sql(&it->q);
	return inventory_changes(it, c);
}

/* The inventory sets of a report (store.c's bind_inventory) from column
 * i; NULL when not recorded (a store or report made before they were
 * kept) or unreadable, which the view says as "not recorded" too. */
static json_t *inventory_sets(ZSTD_DCtx *zd, sqlite3_stmt *st, int i)
{
	const void *blob = sqlite3_column_blob(st, i);
	size_t len = (size_t)sqlite3_column_bytes(st, i);
	if (!blob || !zd)
		return NULL;
	unsigned long long n = ZSTD_getFrameContentSize(blob, len);
	if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN || n > STORE_MAX_REPORT)
		return NULL;
	_cleanup_free_ char *text = malloc(n ? n : 1);
	if (!text)
		return NULL;
	size_t got = ZSTD_decompressDCtx(zd, text, n, blob, len);
	if (ZSTD_isError(got) || got != n)
		return NULL;
	json_t *sets = json_loadb(text, got, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(sets)) {
		json_decref(sets);
		return NULL;
	}
	return sets;
}

/* Which kinds column i's sets record, without parsing them: the sets are
 * tenken's own compact JSON (store.c's bind_inventory), an object of
 * arrays of strings (or of string arrays), so the bytes "KIND":[ can only
 * be a key of that object (a quote inside a string is escaped). Bit k is
 * kinds[k]; -1 when not recorded or unreadable. */
static int inventory_kinds(ZSTD_DCtx *zd, sqlite3_stmt *st, int i, const char *const *kinds,
			   size_t nkinds)
{
	const void *blob = sqlite3_column_blob(st, i);
	size_t len = (size_t)sqlite3_column_bytes(st, i);
	if (!blob || !zd)
		return -1;
	unsigned long long n = ZSTD_getFrameContentSize(blob, len);
	if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN || n > STORE_MAX_REPORT)
		return -1;
	_cleanup_free_ char *text = malloc(n + 1);
	if (!text)
		return -1;
	size_t got = ZSTD_decompressDCtx(zd, text, n, blob, len);
	if (ZSTD_isError(got) || got != n || !n || text[0] != '{')
		return -1;
	text[got] = '\0';
	int mask = 0;
	for (size_t k = 0; k < nkinds; k++) {
		char key[64];
		snprintf(key, sizeof(key), "\"%s\":[", kinds[k]);
		if (memmem(text, got, key, strlen(key)))
			mask |= 1 << k;
	}
	return mask;
}

/* Elements of sorted string array a not in sorted b, in order. */
static json_t *keys_minus(const json_t *a, const json_t *b)
{
	json_t *out = json_array();
	size_t i = 0, j = 0, na = json_array_size(a), nb = json_array_size(b);
	while (out && i < na) {
		const char *x = json_string_value(json_array_get(a, i));
		const char *y = j < nb ? json_string_value(json_array_get(b, j)) : NULL;
		int c = !x ? 0 : !y ? -1 : strcmp(x, y);
		if (c < 0 && json_array_append(out, json_array_get(a, i)) < 0)
			return json_decref(out), NULL;
		i += c <= 0;
		j += c >= 0;
	}
	return out;
}

/* "name:architecture" -> [name, architecture, version] of a package list. */
static json_t *package_index(const json_t *list)
{
	json_t *idx = json_object();
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p) {
		const char *name = json_string_value(json_array_get(p, 0));
		const char *arch = json_string_value(json_array_get(p, 1));
		char *key = NULL;
		if (!name || asprintf(&key, "%s%s%s", name, arch ? ":" : "", arch ? arch : "") < 0)
			continue;
		json_object_set(idx, key, p);
		free(key);
	}
	return idx;
}

static json_t *package_entry(const json_t *p)
{
	json_t *e = json_object();
	json_object_set(e, "name", json_array_get(p, 0));
	json_object_set(e, "architecture", json_array_get(p, 1));
	json_object_set(e, "version", json_array_get(p, 2));
	return e;
}

/* Packages added, removed and whose version changed, as tenken diff
 * says them (a version change is neither added nor removed). */
static json_t *package_changes(const json_t *old, const json_t *new)
{
	json_auto_t *oi = package_index(old), *ni = package_index(new);
	json_t *out = json_pack("{s:[],s:[],s:[]}", "added", "removed", "changed");
	json_t *added = json_object_get(out, "added"), *removed = json_object_get(out, "removed"),
	       *changed = json_object_get(out, "changed");
	size_t i;
	json_t *p;
	json_array_foreach(new, i, p) {
		const char *name = json_string_value(json_array_get(p, 0));
		const char *arch = json_string_value(json_array_get(p, 1));
		_cleanup_free_ char *key = NULL;
		if (!name || asprintf(&key, "%s%s%s", name, arch ? ":" : "", arch ? arch : "") < 0)
			continue;
		const json_t *o = json_object_get(oi, key);
		const char *ov = json_string_value(json_array_get(o, 2));
		const char *nv = json_string_value(json_array_get(p, 2));
		if (!o)
			json_array_append_new(added, package_entry(p));
		else if (!(ov && nv && strcmp(ov, nv) == 0) && (ov || nv))
			json_array_append_new(
			    changed, json_pack("{s:O,s:O,s:O,s:O}", "name", json_array_get(p, 0),
					       "architecture", json_array_get(p, 1), "old",
					       json_array_get(o, 2), "new", json_array_get(p, 2)));
	}
	json_array_foreach(old, i, p) {
		const char *name = json_string_value(json_array_get(p, 0));
		const char *arch = json_string_value(json_array_get(p, 1));
		_cleanup_free_ char *key = NULL;
		if (!name || asprintf(&key, "%s%s%s", name, arch ? ":" : "", arch ? arch : "") < 0)
			continue;
		if (!json_object_get(ni, key))
			json_array_append_new(removed, package_entry(p));
	}
	return out;
}

/* changes.inventory and changes.inventory_not_recorded: per kind of
 * tenken diff's inventory sets, what was added and removed since the
 * previous scan; a kind either scan did not record is listed as not
 * recorded, never as unchanged. */
static int inventory_changes(struct store_hosts *it, json_t *c)
{
	static const char *const kinds[] = {"accounts",	 "admins",	"services_enabled",
					    "listeners", "usb_devices", "wireless",
					    "packages"};
	if (!it->zd && !(it->zd = ZSTD_createDCtx()))
		return -ENOMEM;
	/* The same sets twice (a host where nothing moved, the common case):
	 * only which kinds they record is read, nothing parsed or compared. */
	const void *b1 = sqlite3_column_blob(it->h, 21), *b2 = sqlite3_column_blob(it->h, 22);
	int n1 = sqlite3_column_bytes(it->h, 21), n2 = sqlite3_column_bytes(it->h, 22);
	bool same = b1 && b2 && n1 == n2 && memcmp(b1, b2, (size_t)n1) == 0;
	int mask = same ? inventory_kinds(it->zd, it->h, 21, kinds, ARRAY_SIZE(kinds)) : 0;
	json_auto_t *nw = same ? NULL : inventory_sets(it->zd, it->h, 21);
	json_auto_t *old = same ? NULL : inventory_sets(it->zd, it->h, 22);
	json_t *inv = json_object(), *nr = json_array();
	if (json_object_set_new(c, "inventory", inv) < 0 ||
	    json_object_set_new(c, "inventory_not_recorded", nr) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		const json_t *a = json_object_get(old, kinds[i]),
			     *b = json_object_get(nw, kinds[i]);
		json_t *ch;
		if (same ? mask < 0 || !(mask & (1 << i)) : !json_is_array(a) || !json_is_array(b))
			ch = NULL;
		else if (same)
			ch = i == ARRAY_SIZE(kinds) - 1
				 ? json_pack("{s:[],s:[],s:[]}", "added", "removed", "changed")
				 : pair("added", json_array(), "removed", json_array());
		else if (i == ARRAY_SIZE(kinds) - 1)
			ch = package_changes(a, b);
		else
			ch = pair("added", keys_minus(b, a), "removed", keys_minus(a, b));
		if (!ch ? json_array_append_new(nr, json_string(kinds[i])) < 0
			: json_object_set_new(inv, kinds[i], ch) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* hosts[].history: [{scanned_at, answers}] per report, oldest first
 * (with --item, that item's answer only). */
static int host_history(struct store_hosts *it, json_t *h)
{
	sqlite3_stmt *st = it->y;
	json_t *arr = json_array(), *cur = NULL;
	if (json_object_set_new(h, "history", arr) < 0)
		return -ENOMEM;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, sqlite3_column_int64(it->h, 0));
	sqlite3_int64 id = -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = (const char *)sqlite3_column_text(st, 2);
		if (sqlite3_column_int64(st, 0) != id) {
			id = sqlite3_column_int64(st, 0);
			cur = json_object();
			if (json_array_append_new(
				arr, pair("scanned_at", col_time(st, 1), "answers", cur)) < 0)
				return -ENOMEM;
		}
		if (item && (!it->q.o->item || strcmp(item, it->q.o->item) == 0) &&
		    json_object_set_new(cur, item, col_str(st, 3)) < 0)
			return -ENOMEM;
	}
	return rc == SQLITE_DONE ? 0 : fail_sql(&it->q);
}

static bool host_wanted(const struct store_view_opts *o, const json_t *h);
static void narrow_answers(const struct store_view_opts *o, json_t *h);

/* One host of the current row, with its answers and changes. */
static int host_row(struct store_hosts *it, json_t **ret)
{
	sqlite3_stmt *st = it->h;
	const struct store_view_opts *o = it->q.o;
	json_auto_t *h = json_pack(
	    "{s:o, s:o, s:o, s:b, s:{}, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I}}", "hostname",
	    col_str(st, 1), "machine_id", col_str(st, 2), "scanned_at", col_time(st, 3), "stale",
	    sqlite3_column_int64(st, 3) < it->q.cut, "answers", "file", col_str(st, 4), "edition",
	    col_str(st, 5), "profile", col_str(st, 20), "ledger", ledger(st), "summary", "fail",
	    (json_int_t)sqlite3_column_int64(st, 14), "pass",
	    (json_int_t)sqlite3_column_int64(st, 15), "unknown",
	    (json_int_t)sqlite3_column_int64(st, 16));
	if (!h)
		return -ENOMEM;
	sqlite3_int64 latest = sqlite3_column_int64(st, 19);
	int r = 0;
	if (!(o->skip & STORE_SKIP_ANSWERS) || o->answer)
		r = host_answers(it, latest, json_object_get(h, "answers"));
	if (r == 0 && !(o->skip & STORE_SKIP_CHANGES) && sqlite3_column_type(st, 17) != SQLITE_NULL)
		r = host_changes(it, latest, h);
	if (r < 0)
		return r;
	if (!host_wanted(o, h))
		return 0;
	if (!(o->skip & STORE_SKIP_HISTORY) && (r = host_history(it, h)) < 0)
		return r;
	narrow_answers(o, h);
	*ret = TAKE_PTR(h);
	return 1;
}

int store_hosts_next(struct store_hosts *it, json_t **ret)
{
	for (;;) {
		int rc = sqlite3_step(it->h);
		if (rc == SQLITE_DONE)
			return 0;
		if (rc != SQLITE_ROW)
			return fail_sql(&it->q);
		int r = host_row(it, ret);
		if (r != 0)
			return r;
	}
}

const char *store_hosts_error(const struct store_hosts *it)
{
	return it->why;
}

/* items[]: counts per item over the hosts' newest reports, in the
 * checklist's order; the edition, or "mixed" if the newest reports differ
 * (titles then from the newest edition that has the item). */
static int items(struct q *q, json_t *sum)
{
	static const char sql[] =
	    "WITH c AS (SELECT a.item, SUM(h.latest_at >= ?2 AND a.answer = 'yes') y,"
	    " SUM(h.latest_at >= ?2 AND a.answer = 'no') n,"
	    " SUM(h.latest_at >= ?2 AND a.answer = 'unknown') u,"
	    " SUM(h.latest_at >= ?2 AND a.answer = 'organisational') o, SUM(h.latest_at < ?2) s"
	    " FROM hosts h JOIN answers a ON a.report_id = h.latest WHERE " HOST_FILTER
	    " GROUP BY a.item),"
	    " e AS (SELECT COUNT(DISTINCT r.edition) k, MAX(r.edition) ed FROM hosts h"
	    " JOIN reports r ON r.id = h.latest WHERE " HOST_FILTER ")"
	    " SELECT c.item, (SELECT MIN(ord) FROM items i WHERE i.item = c.item) ord,"
	    " (SELECT title_ja FROM items i WHERE i.item = c.item ORDER BY i.edition DESC"
	    " LIMIT 1), (SELECT title_en FROM items i WHERE i.item = c.item ORDER BY i.edition"
	    " DESC LIMIT 1), c.y, c.n, c.u, c.o, c.s, e.k, e.ed,"
	    " (SELECT MIN(edition) FROM items i WHERE i.item = c.item) fe FROM c, e"
	    " ORDER BY fe, ord, c.item";
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	if (json_object_set_new(sum, "items", arr) < 0 ||
	    sqlite3_prepare_v2(q->s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(q);
	bind_host(q, st);
	sqlite3_bind_int64(st, 2, q->cut);
	int rc;
	const char *edition = NULL;
	bool mixed = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *item = (const char *)sqlite3_column_text(st, 0);
		const char *ed = (const char *)sqlite3_column_text(st, 10);
		mixed |= sqlite3_column_int(st, 9) > 1 || (edition && ed && strcmp(ed, edition));
		if (!edition && ed)
			json_object_set_new(sum, "edition", json_string(ed));
		edition = json_string_value(json_object_get(sum, "edition"));
		if (q->o->item && strcmp(item, q->o->item) != 0)
			continue;
		json_t *it = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I}", "item",
				       col_str(st, 0), "title", i18n(st, 2, 3), "yes",
				       (json_int_t)sqlite3_column_int64(st, 4), "no",
				       (json_int_t)sqlite3_column_int64(st, 5), "unknown",
				       (json_int_t)sqlite3_column_int64(st, 6), "organisational",
				       (json_int_t)sqlite3_column_int64(st, 7), "stale",
				       (json_int_t)sqlite3_column_int64(st, 8));
		if (!it || json_array_append_new(arr, it) < 0) {
			sqlite3_finalize(st);
			return -ENOMEM;
		}
	}
	sqlite3_finalize(st);
	if (mixed)
		json_object_set_new(sum, "edition", json_string("mixed"));
	else if (!edition)
		json_object_set_new(sum, "edition", json_null());
	return rc == SQLITE_DONE ? 0 : fail_sql(q);
}

/* A host passes the --item/answer filter. */
static bool host_wanted(const struct store_view_opts *o, const json_t *h)
{
	if (!o->answer)
		return true;
	bool stale = json_is_true(json_object_get(h, "stale"));
	if (strcmp(o->answer, "stale") == 0)
		return stale;
	const json_t *ans = json_object_get(h, "answers");
	if (o->item)
		return !stale && json_string_value(json_object_get(ans, o->item)) &&
		       strcmp(json_string_value(json_object_get(ans, o->item)), o->answer) == 0;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)ans, k, v) {
		if (!stale && strcmp(json_string_value(v), o->answer) == 0)
			return true;
	}
	return false;
}

/* With --item, a host's answers are that item's only. */
static void narrow_answers(const struct store_view_opts *o, json_t *h)
{
	if (!o->item)
		return;
	json_t *ans = json_object_get(h, "answers");
	json_t *keep = json_object_get(ans, o->item);
	json_t *one = json_object();
	if (keep)
		json_object_set(one, o->item, keep);
	json_object_set_new(h, "answers", one);
}

/* top_problems[]: the rules failing on the most hosts' newest reports,
 * each with its remediation once and the hosts. */
static int top(struct q *q, json_t *sum)
{
	static const char sql[] =
	    "WITH f AS MATERIALIZED (SELECT rc.rule, rc.fail, h.hostname, h.id FROM hosts h"
	    " JOIN rule_counts rc ON rc.report_id = h.latest WHERE rc.fail > 0 AND " HOST_FILTER
	    "),"
	    " t AS (SELECT rule, COUNT(*) n FROM f GROUP BY rule ORDER BY n DESC, rule LIMIT ?2)"
	    " SELECT t.rule, t.n, ru.severity, ru.remediation_ja, ru.remediation_en, f.hostname,"
	    " f.fail FROM t JOIN f ON f.rule = t.rule LEFT JOIN rules ru ON ru.rule = t.rule"
	    " ORDER BY t.n DESC, t.rule, f.hostname, f.id";
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array(), *cur = NULL;
	if (json_object_set_new(sum, "top_problems", arr) < 0 ||
	    sqlite3_prepare_v2(q->s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(q);
	bind_host(q, st);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)q->o->top);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rule = (const char *)sqlite3_column_text(st, 0);
		if (!cur || strcmp(json_string_value(json_object_get(cur, "rule")), rule) != 0) {
			cur = json_pack("{s:o, s:I, s:o, s:o, s:[]}", "rule", col_str(st, 0),
					"hosts_failing", (json_int_t)sqlite3_column_int64(st, 1),
					"severity", col_str(st, 2), "remediation", i18n(st, 3, 4),
					"hosts");
			if (!cur || json_array_append_new(arr, cur) < 0)
				break;
		}
		json_array_append_new(json_object_get(cur, "hosts"),
				      pair("hostname", col_str(st, 5), "fail",
					   json_integer(sqlite3_column_int64(st, 6))));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail_sql(q);
}

/* trends[]: per JST month and item, every host as it stood at the end of
 * that month: its newest report scanned before the month ended, carried
 * forward into months without a scan. A host whose report is older than
 * stale_days at the month's end (at now for the month now is in, as the
 * matrix measures it) counts as stale, never with its answers; a host not
 * yet scanned is not counted. The month now is in therefore gives the
 * matrix's counts. The months run from the first scan's to the later of
 * now's and the newest scan's, at most TRENDS_MAX_MONTHS of them (a
 * report dated 1970 must not make the view walk 56 years of hosts). */
#define TRENDS_MAX_MONTHS 60
static int trends(struct q *q, json_t *sum)
{
	static const char sql[] =
	    "WITH RECURSIVE b AS (SELECT MIN(r.scanned_at) lo, MAX(MAX(r.scanned_at), ?3) hi"
	    " FROM reports r JOIN hosts h ON h.id = r.host_id WHERE " HOST_FILTER "),"
	    " f AS (SELECT MAX(strftime('%Y-%m', lo + 32400, 'unixepoch'),"
	    " strftime('%Y-%m', hi + 32400, 'unixepoch', 'start of month', ?5)) first,"
	    " strftime('%Y-%m', hi + 32400, 'unixepoch') last FROM b WHERE lo IS NOT NULL),"
	    " mon(m) AS (SELECT first FROM f UNION ALL SELECT strftime('%Y-%m', m || '-01',"
	    " '+1 month') FROM mon, f WHERE m < f.last),"
	    " e AS (SELECT m, CAST(strftime('%s', m || '-01', '+1 month') AS INTEGER) - 32400 ends"
	    " FROM mon),"
	    " n AS (SELECT e.m, e.ends, (SELECT x.id FROM reports x WHERE x.host_id = h.id AND"
	    " x.scanned_at < e.ends ORDER BY x.scanned_at DESC, x.id DESC LIMIT 1) id"
	    " FROM e, hosts h WHERE " HOST_FILTER "),"
	    " k AS (SELECT n.m, n.id, r.scanned_at < MIN(n.ends, ?3) - ?4 stale FROM n"
	    " JOIN reports r ON r.id = n.id)"
	    " SELECT k.m, a.item, SUM(NOT k.stale AND a.answer = 'yes'),"
	    " SUM(NOT k.stale AND a.answer = 'no'), SUM(NOT k.stale AND a.answer = 'unknown'),"
	    " SUM(NOT k.stale AND a.answer = 'organisational'), SUM(k.stale), COUNT(*)"
	    " FROM k JOIN answers a ON a.report_id = k.id WHERE ?2 IS NULL OR a.item = ?2"
	    " GROUP BY k.m, a.item ORDER BY k.m, a.item";
	char back[32];
	snprintf(back, sizeof(back), "-%d months", TRENDS_MAX_MONTHS - 1);
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	if (json_object_set_new(sum, "trends", arr) < 0 ||
	    sqlite3_prepare_v2(q->s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(q);
	bind_host(q, st);
	if (q->o->item)
		sqlite3_bind_text(st, 2, q->o->item, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)q->o->now);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)q->o->stale_days * 86400);
	sqlite3_bind_text(st, 5, back, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *t = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "month",
				      col_str(st, 0), "item", col_str(st, 1), "yes",
				      (json_int_t)sqlite3_column_int64(st, 2), "no",
				      (json_int_t)sqlite3_column_int64(st, 3), "unknown",
				      (json_int_t)sqlite3_column_int64(st, 4), "organisational",
				      (json_int_t)sqlite3_column_int64(st, 5), "stale",
				      (json_int_t)sqlite3_column_int64(st, 6), "hosts",
				      (json_int_t)sqlite3_column_int64(st, 7));
		if (!t || json_array_append_new(arr, t) < 0) {
			sqlite3_finalize(st);
			return -ENOMEM;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail_sql(q);
}

static int rejected(struct q *q, json_t *sum)
{
	static const char sql[] = "SELECT path, reason, message_ja, message_en FROM files"
				  " WHERE outcome = 'rejected' ORDER BY path";
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	if (json_object_set_new(sum, "rejected", arr) < 0 ||
	    sqlite3_prepare_v2(q->s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(q);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr,
				      json_pack("{s:o, s:o, s:o}", "file", col_str(st, 0), "reason",
						col_str(st, 1), "message", i18n(st, 2, 3)));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail_sql(q);
}

static int errors(struct q *q, json_t *sum)
{
	static const char sql[] = "SELECT path, host, reason, message_ja, message_en, at,"
				  " exit_status FROM fleet_errors ORDER BY host, path";
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	if (json_object_set_new(sum, "errors", arr) < 0 ||
	    sqlite3_prepare_v2(q->s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(q);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *ex = sqlite3_column_type(st, 6) == SQLITE_NULL
				 ? json_null()
				 : json_integer(sqlite3_column_int64(st, 6));
		json_array_append_new(
		    arr, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "file", col_str(st, 0), "host",
				   col_str(st, 1), "reason", col_str(st, 2), "message",
				   i18n(st, 3, 4), "at", col_str(st, 5), "exit_status", ex));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail_sql(q);
}

int store_summary_head(struct store *s, const struct store_view_opts *o, json_t **ret, char *why,
		       size_t n)
{
	struct q q = {s, o, (sqlite3_int64)o->now - (sqlite3_int64)o->stale_days * 86400, why, n};
	char now[21];
	time_rfc3339(o->now, now);
	json_auto_t *sum =
	    json_pack("{s:s, s:i, s:s, s:I}", "format", "tenken-fleet-summary", "format_version", 1,
		      "generated_at", now, "stale_days", (json_int_t)o->stale_days);
	if (!sum)
		return -ENOMEM;
	if (o->item || o->answer || o->profile)
		json_object_set_new(sum, "filter",
				    json_pack("{s:s?, s:s?, s:s?}", "item", o->item, "answer",
					      o->answer, "profile", o->profile));
	int r = items(&q, sum);
	if (r == 0)
		r = json_object_set_new(sum, "hosts", json_array());
	if (r == 0)
		r = (o->skip & STORE_SKIP_TOP)
			? json_object_set_new(sum, "top_problems", json_array())
			: top(&q, sum);
	if (r == 0)
		r = (o->skip & STORE_SKIP_TRENDS) ? json_object_set_new(sum, "trends", json_array())
						  : trends(&q, sum);
	if (r == 0)
		r = rejected(&q, sum);
	if (r == 0)
		r = errors(&q, sum);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(sum);
	return 0;
}

int store_summary(struct store *s, const struct store_view_opts *o, json_t **ret, char *why,
		  size_t n)
{
	json_auto_t *sum = NULL;
	struct store_hosts *it = NULL;
	int r = store_summary_head(s, o, &sum, why, n);
	if (r == 0)
		r = store_hosts_open(s, o, &it, why, n);
	json_t *arr = json_object_get(sum, "hosts"), *h = NULL;
	while (r == 0 && (r = store_hosts_next(it, &h)) > 0)
		r = json_array_append_new(arr, h) < 0 ? -ENOMEM : 0;
	if (r < 0 && it)
		snprintf(why, n, "%s", store_hosts_error(it));
	store_hosts_close(it);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(sum);
	return 0;
}
