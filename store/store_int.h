/* store_int.h - what store.c, ingest.c and views.c share: the database
 * handle with its prepared statements, and one parsed report. */
#ifndef TENKEN_STORE_INT_H
#define TENKEN_STORE_INT_H

#include <sqlite3.h>
#include "store/store.h"

enum {
	ST_HOST_BY_MID,
	ST_HOST_BY_NAME,
	ST_HOST_ADOPT,
	ST_HOST_NEW,
	ST_REPORT,
	ST_REPORT_FIND,
	ST_ANSWER,
	ST_ITEM,
	ST_RULE,
	ST_COUNT,
	ST_FAILING,
	ST_LATEST,
	ST_FILE_GET,
	ST_FILE_PUT,
	ST_FLEET_ERROR,
	ST_COUNT_
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT_]; /* prepared once, reset per use */
	void *zc;		     /* ZSTD_CCtx for the inventory sets, made once */
};

/* One report being stored; every pointer is borrowed. */
struct parsed {
	const char *file, *buf;
	size_t len;
	const json_t *report;
	const char *hostname, *machine_id;
	char sha256[65];
	time_t scanned_at;
	enum store_keep keep;
	/* The packages' entry of diff_inventory_keys when the ingest made it
	 * from the text (store_package_keys), NULL to take it from report. */
	const json_t *packages;
};

int store_exec(struct store *s, const char *sql, char *why, size_t n);
/* Prepare sql into *st the first time, reset it afterwards. */
int store_prepare(struct store *s, sqlite3_stmt **st, const char *sql);
/* Store one report: 0 and its id, or -EEXIST (the same report is there;
 * *ret_id is the stored one's), or -errno. */
int store_put_report(struct store *s, const struct parsed *p, sqlite3_int64 *ret_id);

/* What diff_inventory_keys gives for "packages" ([name, architecture,
 * version] of each package diff counts, by its key, first of duplicates)
 * from an array's text that skim_object has checked, without building
 * a jansson object per package. 0 and a new reference, or -errno. */
int store_package_keys(const char *arr, size_t len, json_t **ret);

#endif
