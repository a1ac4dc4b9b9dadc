/* logins_parse.c - pure parsers of lastlog, wtmp, lastlog2.db and wtmpdb
 * (see logins_parse.h for the layouts). Bytes in, records out: no file is
 * opened here, and SQLite only ever sees an in-memory copy.
 *
 * A database is hostile input like any other file of the scanned system,
 * so the in-memory connection is hardened as SQLite's "defense against
 * the dark arts" advises: defensive mode, untrusted schema, a maximum
 * value length, cell size checks, temporary data kept in memory, and a
 * progress handler bounding the work of one query.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "lib/limits.h"
#include "probes/parse/logins_parse.h"
#include "lib/util.h"

/* Field offsets of struct lastlog and struct utmp (glibc, 64-bit Linux,
 * checked against <lastlog.h> and <utmp.h> by tests/tools/mkrecords.c). */
enum {
	LL_TIME = 0,
	LL_LINE = 4,
	LL_HOST = 36,
	UT_TYPE = 0,
	UT_LINE = 8,
	UT_USER = 44,
	UT_HOST = 76,
	UT_TV_SEC = 340,
	UT_LINESIZE = 32,
	UT_NAMESIZE = 32,
	UT_HOSTSIZE = 256,
	UT_TYPE_MAX = 9, /* ACCOUNTING */
	UT_EMPTY = 0,
};

/* How often (in VM instructions) the progress handler runs. */
#define SQL_PROGRESS_EVERY 10000

static uint32_t le32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static uint16_t le16(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint16_t)(u[0] | u[1] << 8);
}

/* A fixed-size string field: ends at its first NUL or at its size. */
static void field(const char *rec, size_t off, size_t size, const char **ret, size_t *ret_len)
{
	*ret = rec + off;
	*ret_len = strnlen(rec + off, size);
}

int lastlog_parse_record(const char *buf, size_t len, struct login_rec *ret)
{
	if (len < LASTLOG_RECORD_SIZE)
		return -EBADMSG;
	time_t when = (time_t)le32(buf + LL_TIME);
	if (when == 0)
		return 0;
	*ret = (struct login_rec){.when = when};
	field(buf, LL_LINE, UT_LINESIZE, &ret->tty, &ret->tty_len);
	field(buf, LL_HOST, UT_HOSTSIZE, &ret->host, &ret->host_len);
	return 1;
}

static int wtmp_record(const char *rec, login_rec_fn fn, void *userdata, struct login_stats *st)
{
	unsigned type = le16(rec + UT_TYPE);
	time_t when = (time_t)le32(rec + UT_TV_SEC);

	st->records++;
	if (type > UT_TYPE_MAX) {
		st->skipped++;
		return 0;
	}
	if (type == UT_EMPTY)
		return 0;
	if (when != 0 && (st->oldest == 0 || when < st->oldest))
		st->oldest = when;
	if (type != UTMP_USER_PROCESS)
		return 0;

	struct login_rec r = {.when = when};
	field(rec, UT_USER, UT_NAMESIZE, &r.user, &r.user_len);
	if (r.user_len == 0 || when == 0) {
		st->skipped++;
		return 0;
	}
	field(rec, UT_LINE, UT_LINESIZE, &r.tty, &r.tty_len);
	field(rec, UT_HOST, UT_HOSTSIZE, &r.host, &r.host_len);
	st->logins++;
	return fn(&r, userdata);
}

int wtmp_parse(const char *buf, size_t len, login_rec_fn fn, void *userdata,
	       struct login_stats *ret_stats)
{
	struct login_stats st = {.trailing = len % UTMP_RECORD_SIZE};
	size_t n = len / UTMP_RECORD_SIZE;
	int r = 0;

	for (size_t i = 0; i < n && r >= 0; i++)
		r = wtmp_record(buf + i * UTMP_RECORD_SIZE, fn, userdata, &st);
	*ret_stats = st;
	return r < 0 ? r : 0;
}

/* --- SQLite --- */

struct sql_query {
	const char *sql; /* ?1 is bound to the row limit + 1 */
	int (*row)(sqlite3_stmt *stmt, struct login_stats *st, login_rec_fn fn, void *userdata);
};

struct sql_budget {
	unsigned long calls;
};

static int sql_progress(void *p)
{
	struct sql_budget *b = p;
	return ++b->calls > LIMIT_SQLITE_STEPS / SQL_PROGRESS_EVERY;
}

static void sqlite_closep(sqlite3 **db)
{
	sqlite3_close(*db);
}

static void stmt_finalizep(sqlite3_stmt **stmt)
{
	sqlite3_finalize(*stmt);
}

/* Map a SQLite failure to -errno and keep its text. While preparing, a
 * plain SQLITE_ERROR means a missing table or column. */
static int sql_fail(sqlite3 *db, int rc, bool preparing, struct login_stats *st)
{
	snprintf(st->error, sizeof(st->error), "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_INTERRUPT:
		return -ETIMEDOUT;
	case SQLITE_ERROR:
		return preparing ? -ENOENT : -EBADMSG;
	default:
		return -EBADMSG;
	}
}

static bool is_sqlite(const char *buf, size_t len)
{
	/* The 100-byte header starts with this string and its NUL. */
	static const char magic[16] = "SQLite format 3";
	return len >= 100 && memcmp(buf, magic, sizeof(magic)) == 0;
}

static void harden(sqlite3 *db, struct sql_budget *budget)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	/* The real tables are plain tables: a view or trigger under their
	 * names is refused rather than run. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)LIMIT_SQLITE_VALUE);
	sqlite3_exec(db, "PRAGMA temp_store=MEMORY; PRAGMA cell_size_check=ON;", NULL, NULL, NULL);
	sqlite3_progress_handler(db, SQL_PROGRESS_EVERY, sql_progress, budget);
}

/* Open a private copy of the image read-only in memory. A WAL-mode
 * header (bytes 18 and 19 == 2) cannot be deserialized: the copy is
 * patched to the rollback-journal format, which reads the same pages. */
static int open_image(const char *buf, size_t len, struct sql_budget *budget,
		      struct login_stats *st, sqlite3 **ret)
{
	_cleanup_(sqlite_closep) sqlite3 *db = NULL;

	if (!is_sqlite(buf, len)) {
		snprintf(st->error, sizeof(st->error), "not a SQLite 3 database");
		return -EBADMSG;
	}
	int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, false, st);
	unsigned char *copy = sqlite3_malloc64(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	if (copy[18] == 2 || copy[19] == 2) {
		st->wal = true;
		copy[18] = copy[19] = 1;
	}
	/* FREEONCLOSE: SQLite owns copy from here on, even if this fails. */
	rc = sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
				 SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, false, st);
	harden(db, budget);
	*ret = TAKE_PTR(db);
	return 0;
}

static int run_query(sqlite3 *db, const struct sql_query *q, login_rec_fn fn, void *userdata,
		     struct login_stats *st)
{
	_cleanup_(stmt_finalizep) sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(db, q->sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, true, st);
	rc = sqlite3_bind_int64(stmt, 1, (sqlite3_int64)LIMIT_SQLITE_ROWS + 1);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, false, st);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (st->records == LIMIT_SQLITE_ROWS) {
			st->row_limit = true;
			return 0;
		}
		st->records++;
		int r = q->row(stmt, st, fn, userdata);
		if (r < 0)
			return r;
	}
	return rc == SQLITE_DONE ? 0 : sql_fail(db, rc, false, st);
}

static int sql_parse(const char *buf, size_t len, const struct sql_query *q, login_rec_fn fn,
		     void *userdata, struct login_stats *ret_stats)
{
	_cleanup_(sqlite_closep) sqlite3 *db = NULL;
	struct sql_budget budget = {0};

	*ret_stats = (struct login_stats){0};
	int r = open_image(buf, len, &budget, ret_stats, &db);
	if (r < 0)
		return r;
	return run_query(db, q, fn, userdata, ret_stats);
}

/* A text column as bytes (NULL and length 0 for SQL NULL). */
static void column_text(sqlite3_stmt *stmt, int col, const char **ret, size_t *ret_len)
{
	*ret = (const char *)sqlite3_column_text(stmt, col);
	*ret_len = *ret ? (size_t)sqlite3_column_bytes(stmt, col) : 0;
}

/* An INTEGER column holding a time; false if NULL, another type, or out
 * of range. scale divides it down to seconds. */
static bool column_time(sqlite3_stmt *stmt, int col, int64_t scale, time_t *ret)
{
	if (sqlite3_column_type(stmt, col) != SQLITE_INTEGER)
		return false;
	int64_t v = sqlite3_column_int64(stmt, col);
	if (v < 0 || v / scale > (int64_t)LOGIN_TIME_MAX)
		return false;
	*ret = (time_t)(v / scale);
	return true;
}

static void note_oldest(struct login_stats *st, time_t when)
{
	if (when != 0 && (st->oldest == 0 || when < st->oldest))
		st->oldest = when;
}

/* Lastlog2 row: Name, Time, TTY, RemoteHost. Time 0 means never. */
static int lastlog2_row(sqlite3_stmt *stmt, struct login_stats *st, login_rec_fn fn, void *userdata)
{
	struct login_rec r = {0};

	column_text(stmt, 0, &r.user, &r.user_len);
	if (!r.user || r.user_len == 0 || !column_time(stmt, 1, 1, &r.when)) {
		st->skipped++;
		return 0;
	}
	if (r.when == 0)
		return 0;
	note_oldest(st, r.when);
	column_text(stmt, 2, &r.tty, &r.tty_len);
	column_text(stmt, 3, &r.host, &r.host_len);
	st->logins++;
	return fn(&r, userdata);
}

int lastlog2_parse(const char *buf, size_t len, login_rec_fn fn, void *userdata,
		   struct login_stats *ret_stats)
{
	static const struct sql_query q = {
	    "SELECT Name, Time, TTY, RemoteHost FROM Lastlog2 LIMIT ?1",
	    lastlog2_row,
	};
	return sql_parse(buf, len, &q, fn, userdata, ret_stats);
}

/* wtmp row: Type, User, Login (microseconds), TTY, RemoteHost. */
static int wtmpdb_row(sqlite3_stmt *stmt, struct login_stats *st, login_rec_fn fn, void *userdata)
{
	struct login_rec r = {0};

	if (!column_time(stmt, 2, 1000000, &r.when) || r.when == 0) {
		st->skipped++;
		return 0;
	}
	note_oldest(st, r.when);
	if (sqlite3_column_type(stmt, 0) != SQLITE_INTEGER ||
	    sqlite3_column_int64(stmt, 0) != WTMPDB_USER_PROCESS)
		return 0;
	column_text(stmt, 1, &r.user, &r.user_len);
	if (!r.user || r.user_len == 0) {
		st->skipped++;
		return 0;
	}
	column_text(stmt, 3, &r.tty, &r.tty_len);
	column_text(stmt, 4, &r.host, &r.host_len);
	st->logins++;
	return fn(&r, userdata);
}

int wtmpdb_parse(const char *buf, size_t len, login_rec_fn fn, void *userdata,
		 struct login_stats *ret_stats)
{
	/* Newest first: at the row limit the oldest rows are the ones left
	 * out, so the oldest row read is still a true horizon. */
	static const struct sql_query q = {
	    "SELECT Type, User, Login, TTY, RemoteHost FROM wtmp ORDER BY Login DESC LIMIT ?1",
	    wtmpdb_row,
	};
	return sql_parse(buf, len, &q, fn, userdata, ret_stats);
}
