/* logins.h - last logins from every source a distribution uses:
 * /var/log/lastlog (binary, indexed by uid), /var/log/wtmp (utmp records,
 * plus its rotations: wtmp.1, wtmp.2.gz, wtmp-DATE.xz ...), /var/lib/lastlog/lastlog2.db (SQLite,
 * Debian 13, openSUSE) and /var/lib/wtmpdb/wtmp.db (SQLite). Database files are read into memory
 * through the fsroot layer and opened with sqlite3_deserialize, read-only: no file on the scanned
 * system is ever opened by SQLite.
 *
 * Pure parsers (lastlog_parse_record, wtmp_parse, ...) are exported for
 * tests in probes/parse/logins_parse.h; logins_collect does the I/O.
 */
#ifndef TENKEN_LOGINS_H
#define TENKEN_LOGINS_H

#include <stdbool.h>
#include <time.h>
#include <jansson.h>
#include "probes/probe.h"

struct login_table;

struct login_info {
	time_t when;
	const char *source; /* "lastlog" | "wtmp" | "lastlog2" | "wtmpdb" (static) */
	const char *from;   /* remote host, else tty; borrowed from the table, may be NULL */
};

/* Read every source. accounts is the borrowed "accounts" array (objects
 * with "name" and "uid"), used to look up lastlog by uid. Adds the
 * "login_sources" collection to ctx->inventory (one object per source:
 * source, path, status, records, oldest). Never fails for a missing or
 * broken source (that is a message and a status); returns -ENOMEM only. */
int logins_collect(struct probe_ctx *ctx, const json_t *accounts, struct login_table **ret);
void logins_free(struct login_table *t);

/* The latest login of an account across every source that answered:
 * 1 and *ret filled if found, 0 if no readable source holds one (or t is
 * NULL), -ENOMEM. lastlog is found by uid (pass -1 if unknown), the other
 * sources by name, raw or as json_bytes() escaped it. On equal times the
 * source is lastlog2, then lastlog, wtmpdb, wtmp. */
int logins_lookup(const struct login_table *t, const char *name, long uid, struct login_info *ret);
/* Whether at least one source could be read (else every login is unknown). */
bool logins_any_source(const struct login_table *t);
/* The oldest time covered by the sources that answered, if only sources
 * with a horizon (wtmp, wtmpdb) answered; 0 if a complete source (lastlog,
 * lastlog2) answered. An account absent from every source has not logged in
 * since this time. */
time_t logins_horizon(const struct login_table *t);

#endif
