/* rpmdb.c - rpm's package database in its three formats, read natively.
 *
 * Formats, from rpm's lib/backend sources and Berkeley DB's db_page.h:
 *  - SQLite: SELECT hnum, blob FROM Packages.
 *  - BDB hash: page 0 is the hash meta page (magic 0x061561 at byte 12,
 *    page size at 20, last page number at 32, in the writer's byte
 *    order); hash pages (type 13, or 2 for the old unsorted ones) hold
 *    an array of item offsets after the 26-byte page header, key and
 *    data items alternating; a data item is inline (H_KEYDATA, type 1)
 *    or a reference (H_OFFPAGE, type 3: page number at +4, total length
 *    at +8) to a chain of overflow pages (type 7, used bytes in the
 *    header's hf_offset, next page at 16).
 *  - NDB: little-endian; header "RpmP", version 0, slot page count at
 *    12; 16-byte slots "Slot", pkgidx, blkoff, blkcnt (16-byte blocks);
 *    a blob is "BlbS", pkgidx, time, length, the header, padding and a
 *    trailer (Adler-32 of everything before it, length, "BlbE").
 * Every offset, length and page number is checked against the file;
 * overflow chains are bounded by the page count, so a cycle ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <zlib.h>
#include "lib/limits.h"
#include "probes/read/rpmdb.h"
#include "lib/util.h"

const char *const rpmdb_std_paths[] = {
    "/usr/lib/sysimage/rpm/rpmdb.sqlite",
    "/var/lib/rpm/rpmdb.sqlite",
    "/usr/lib/sysimage/rpm/Packages.db",
    "/var/lib/rpm/Packages.db",
    "/var/lib/rpm/Packages",
    "/usr/lib/sysimage/rpm/Packages",
    NULL,
};

const char *rpmdb_format_name(enum rpmdb_format f)
{
	switch (f) {
	case RPMDB_SQLITE:
		return "sqlite";
	case RPMDB_BDB:
		return "bdb";
	case RPMDB_NDB:
		return "ndb";
	default:
		return "unknown";
	}
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#define BDB_HASHMAGIC 0x061561u
#define NDB_MAGIC     0x506d7052u /* "RpmP" little-endian */

enum rpmdb_format rpmdb_detect(const unsigned char *buf, size_t len)
{
	static const char sqlite_magic[16] = "SQLite format 3";
	if (len >= 100 && memcmp(buf, sqlite_magic, sizeof(sqlite_magic)) == 0)
		return RPMDB_SQLITE;
	if (len >= 32 && le32(buf) == NDB_MAGIC)
		return RPMDB_NDB;
	if (len >= 512 && (le32(buf + 12) == BDB_HASHMAGIC || be32(buf + 12) == BDB_HASHMAGIC))
		return RPMDB_BDB;
	return RPMDB_UNKNOWN;
}

static void note(struct rpmdb_stats *st, const char *what)
{
	if (!st->error[0])
		snprintf(st->error, sizeof(st->error), "%s", what);
}

/* Hand one blob on, counting it; stops at the package limit. */
static int give(struct rpmdb_stats *st, rpmdb_blob_fn fn, void *ud, uint32_t id,
		const unsigned char *blob, size_t len)
{
	if (st->blobs >= LIMIT_RPMDB_PACKAGES) {
		st->truncated = true;
		return 1;
	}
	st->blobs++;
	return fn(ud, id, blob, len);
}

/* ---- SQLite ---- */

#define SQL_PROGRESS_EVERY 1000

static int sql_progress(void *p)
{
	unsigned long *calls = p;
	return ++*calls > LIMIT_SQLITE_STEPS / SQL_PROGRESS_EVERY;
}

static void sqlite_closep(sqlite3 **db)
{
	sqlite3_close(*db);
}

static void stmt_finalizep(sqlite3_stmt **stmt)
{
	sqlite3_finalize(*stmt);
}

static int sql_err(sqlite3 *db, int rc, struct rpmdb_stats *st)
{
	note(st, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	if ((rc & 0xff) == SQLITE_NOMEM)
		return -ENOMEM;
	return (rc & 0xff) == SQLITE_INTERRUPT ? -ETIMEDOUT : -EBADMSG;
}

/* The image is used in place (no copy, read-only); a WAL-mode header is
 * patched to the rollback format, which reads the same pages. */
static int sql_open(unsigned char *buf, size_t len, unsigned long *budget, struct rpmdb_stats *st,
		    sqlite3 **ret)
{
	_cleanup_(sqlite_closep) sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL);
	if (rc != SQLITE_OK)
		return sql_err(db, rc, st);
	if (buf[18] == 2 || buf[19] == 2) {
		st->wal = true;
		buf[18] = buf[19] = 1;
	}
	rc = sqlite3_deserialize(db, "main", buf, (sqlite3_int64)len, (sqlite3_int64)len,
				 SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK)
		return sql_err(db, rc, st);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)LIMIT_RPM_HEADER);
	sqlite3_exec(db, "PRAGMA cell_size_check=ON;", NULL, NULL, NULL);
	sqlite3_progress_handler(db, SQL_PROGRESS_EVERY, sql_progress, budget);
	*ret = TAKE_PTR(db);
	return 0;
}

static int sql_read(unsigned char *buf, size_t len, rpmdb_blob_fn fn, void *ud,
		    struct rpmdb_stats *st)
{
	_cleanup_(sqlite_closep) sqlite3 *db = NULL;
	_cleanup_(stmt_finalizep) sqlite3_stmt *stmt = NULL;
	unsigned long budget = 0;
	int r = sql_open(buf, len, &budget, st, &db);
	if (r < 0)
		return r;
	int rc = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &stmt,
				    NULL);
	if (rc != SQLITE_OK)
		return sql_err(db, rc, st);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_type(stmt, 0) != SQLITE_INTEGER ||
		    sqlite3_column_type(stmt, 1) != SQLITE_BLOB) {
			st->bad++;
			note(st, "a Packages row is not (integer, blob)");
			continue;
		}
		uint32_t id = (uint32_t)sqlite3_column_int64(stmt, 0);
		const unsigned char *blob = sqlite3_column_blob(stmt, 1);
		r = give(st, fn, ud, id, blob, (size_t)sqlite3_column_bytes(stmt, 1));
		if (r)
			return r < 0 ? r : 0;
	}
	return rc == SQLITE_DONE ? 0 : sql_err(db, rc, st);
}

/* ---- Berkeley DB hash ---- */

enum {
	BDB_PAGE_HEADER = 26,
	BDB_P_HASH_UNSORTED = 2,
	BDB_P_OVERFLOW = 7,
	BDB_P_HASH = 13,
	BDB_H_KEYDATA = 1,
	BDB_H_OFFPAGE = 3,
	BDB_META_CHKSUM = 0x01,
};

struct bdb {
	const unsigned char *buf;
	size_t len;
	uint32_t pagesize, npages;
	bool swap; /* written big-endian */
	size_t overhead;
};

static uint32_t bdb32(const struct bdb *d, const unsigned char *p)
{
	return d->swap ? be32(p) : le32(p);
}

static uint16_t bdb16(const struct bdb *d, const unsigned char *p)
{
	return d->swap ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[0] | p[1] << 8);
}

static const unsigned char *bdb_page(const struct bdb *d, uint32_t pgno)
{
	return pgno < d->npages ? d->buf + (size_t)pgno * d->pagesize : NULL;
}

static int bdb_meta(const unsigned char *buf, size_t len, struct bdb *d, struct rpmdb_stats *st)
{
	*d = (struct bdb){.buf = buf, .len = len, .overhead = BDB_PAGE_HEADER};
	d->swap = le32(buf + 12) != BDB_HASHMAGIC;
	d->pagesize = bdb32(d, buf + 20);
	if (d->pagesize < 512 || d->pagesize > 65536 || (d->pagesize & (d->pagesize - 1))) {
		note(st, "Berkeley DB page size out of range");
		return -EBADMSG;
	}
	if (buf[24] != 0) {
		note(st, "encrypted Berkeley DB database");
		return -EBADMSG;
	}
	if (buf[26] & BDB_META_CHKSUM)
		d->overhead += 6; /* PG_CHKSUM: 2 unused bytes and a 4-byte sum */
	uint64_t last = (uint64_t)bdb32(d, buf + 32) + 1;
	uint64_t have = len / d->pagesize;
	d->npages = (uint32_t)(last < have ? last : have);
	if (have < last)
		note(st, "Berkeley DB file shorter than its last page number");
	return 0;
}

/* Gather an overflow chain of tlen bytes into a new buffer. */
static int bdb_overflow(const struct bdb *d, uint32_t pgno, uint32_t tlen, unsigned char **ret)
{
	if (tlen == 0 || tlen > LIMIT_RPM_HEADER || tlen > d->len)
		return -EBADMSG;
	_cleanup_free_ unsigned char *out = malloc(tlen);
	if (!out)
		return -ENOMEM;
	size_t got = 0;
	for (uint32_t steps = 0; got < tlen; steps++) {
		const unsigned char *p = bdb_page(d, pgno);
		if (!p || steps >= d->npages || p[25] != BDB_P_OVERFLOW)
			return -EBADMSG;
		size_t n = bdb16(d, p + 22);
		if (n > d->pagesize - d->overhead || n > tlen - got)
			return -EBADMSG;
		memcpy(out + got, p + d->overhead, n);
		got += n;
		pgno = bdb32(d, p + 16);
		if (n == 0)
			return -EBADMSG;
	}
	*ret = TAKE_PTR(out);
	return 0;
}

/* Item i of a hash page: [*ret_off, *ret_off + *ret_len) in the page. */
static int bdb_item(const struct bdb *d, const unsigned char *p, uint16_t n, uint16_t i,
		    size_t *ret_off, size_t *ret_len)
{
	size_t lo = d->overhead + 2u * n;
	size_t off = bdb16(d, p + d->overhead + 2u * i);
	size_t end = i == 0 ? d->pagesize : bdb16(d, p + d->overhead + 2u * (i - 1));
	if (off < lo || off >= end || end > d->pagesize)
		return -EBADMSG;
	*ret_off = off;
	*ret_len = end - off;
	return 0;
}

/* One key/data pair (items k and k+1) of a hash page. */
static int bdb_pair(const struct bdb *d, const unsigned char *p, uint16_t n, uint16_t k,
		    rpmdb_blob_fn fn, void *ud, struct rpmdb_stats *st)
{
	size_t koff, klen, doff, dlen;
	if (bdb_item(d, p, n, k, &koff, &klen) < 0 || bdb_item(d, p, n, k + 1, &doff, &dlen) < 0)
		return -EBADMSG;
	uint32_t id = 0;
	if (p[koff] == BDB_H_KEYDATA && klen == 5)
		id = bdb32(d, p + koff + 1);
	if (p[doff] == BDB_H_KEYDATA) {
		if (dlen - 1 < 8) /* rpm's key-0 record: not a header */
			return 0;
		return give(st, fn, ud, id, p + doff + 1, dlen - 1);
	}
	if (p[doff] != BDB_H_OFFPAGE || dlen < 12)
		return -EBADMSG;
	_cleanup_free_ unsigned char *blob = NULL;
	uint32_t tlen = bdb32(d, p + doff + 8);
	int r = bdb_overflow(d, bdb32(d, p + doff + 4), tlen, &blob);
	if (r == -ENOMEM)
		return r;
	return r < 0 ? r : give(st, fn, ud, id, blob, tlen);
}

static int bdb_read(const unsigned char *buf, size_t len, rpmdb_blob_fn fn, void *ud,
		    struct rpmdb_stats *st)
{
	struct bdb d;
	int r = bdb_meta(buf, len, &d, st);
	if (r < 0)
		return r;
	for (uint32_t pg = 1; pg < d.npages; pg++) {
		const unsigned char *p = bdb_page(&d, pg);
		if (p[25] != BDB_P_HASH && p[25] != BDB_P_HASH_UNSORTED)
			continue;
		uint16_t n = bdb16(&d, p + 20);
		if (d.overhead + 2u * n > d.pagesize) {
			st->bad++;
			note(st, "Berkeley DB hash page with too many entries");
			continue;
		}
		for (uint16_t k = 0; k + 1 < n; k += 2) {
			r = bdb_pair(&d, p, n, k, fn, ud, st);
			if (r == -EBADMSG) {
				st->bad++;
				note(st, "malformed Berkeley DB hash entry");
			} else if (r) {
				return r < 0 ? r : 0;
			}
		}
	}
	return 0;
}

/* ---- NDB ---- */

enum {
	NDB_PAGE = 4096,
	NDB_SLOT = 16,
	NDB_BLK = 16,
	NDB_HEAD = 16,
	NDB_TAIL = 12,
};
#define NDB_SLOT_MAGIC 0x746f6c53u /* "Slot" */
#define NDB_HEAD_MAGIC 0x53626c42u /* "BlbS" */
#define NDB_TAIL_MAGIC 0x45626c42u /* "BlbE" */

/* Check one blob and return its header span. */
static int ndb_blob(const unsigned char *buf, size_t len, uint32_t pkgidx, uint32_t blkoff,
		    uint32_t blkcnt, const unsigned char **ret, size_t *ret_len)
{
	uint64_t off = (uint64_t)blkoff * NDB_BLK, size = (uint64_t)blkcnt * NDB_BLK;
	if (off + size > len || size < NDB_HEAD + NDB_TAIL)
		return -EBADMSG;
	const unsigned char *b = buf + off;
	uint32_t blen = le32(b + 12);
	if (le32(b) != NDB_HEAD_MAGIC || le32(b + 4) != pkgidx ||
	    (uint64_t)blkcnt != ((uint64_t)NDB_HEAD + blen + NDB_TAIL + NDB_BLK - 1) / NDB_BLK)
		return -EBADMSG;
	const unsigned char *t = b + size - NDB_TAIL;
	if (le32(t + 4) != blen || le32(t + 8) != NDB_TAIL_MAGIC)
		return -EBADMSG;
	if (adler32_z(1, b, (size_t)size - NDB_TAIL) != le32(t))
		return -EBADMSG;
	*ret = b + NDB_HEAD;
	*ret_len = blen;
	return 0;
}

static int ndb_slot(const unsigned char *buf, size_t len, const unsigned char *s, uint32_t minblk,
		    rpmdb_blob_fn fn, void *ud, struct rpmdb_stats *st)
{
	if (le32(s) != NDB_SLOT_MAGIC) {
		note(st, "NDB slot without its magic");
		return -EBADMSG;
	}
	uint32_t pkgidx = le32(s + 4), blkoff = le32(s + 8), blkcnt = le32(s + 12);
	if (!blkoff)
		return 0; /* free slot */
	const unsigned char *blob;
	size_t blen;
	if (!pkgidx || blkoff < minblk ||
	    ndb_blob(buf, len, pkgidx, blkoff, blkcnt, &blob, &blen) < 0) {
		st->bad++;
		note(st, "NDB blob fails its checks (magic, length or Adler-32)");
		return 0;
	}
	return give(st, fn, ud, pkgidx, blob, blen);
}

static int ndb_read(const unsigned char *buf, size_t len, rpmdb_blob_fn fn, void *ud,
		    struct rpmdb_stats *st)
{
	uint32_t version = le32(buf + 4), npages = le32(buf + 12);
	if (version != 0 || npages == 0 || (uint64_t)npages * NDB_PAGE > len) {
		note(st, "NDB header: unknown version or slot pages beyond the file");
		return -EBADMSG;
	}
	uint32_t minblk = npages * (NDB_PAGE / NDB_BLK);
	size_t end = (size_t)npages * NDB_PAGE;
	for (size_t o = 2 * NDB_SLOT; o < end; o += NDB_SLOT) {
		int r = ndb_slot(buf, len, buf + o, minblk, fn, ud, st);
		if (r)
			return r < 0 ? r : 0;
	}
	return 0;
}

int rpmdb_read(unsigned char *buf, size_t len, rpmdb_blob_fn fn, void *userdata,
	       struct rpmdb_stats *ret_stats)
{
	*ret_stats = (struct rpmdb_stats){0};
	switch (rpmdb_detect(buf, len)) {
	case RPMDB_SQLITE:
		return sql_read(buf, len, fn, userdata, ret_stats);
	case RPMDB_BDB:
		return bdb_read(buf, len, fn, userdata, ret_stats);
	case RPMDB_NDB:
		return ndb_read(buf, len, fn, userdata, ret_stats);
	default:
		note(ret_stats, "not an rpm database (SQLite, Berkeley DB hash or NDB)");
		return -EBADMSG;
	}
}
