/* store.h - the history store: every host's reports over time in one
 * SQLite database, and the fleet views computed from it with SQL.
 *
 * What is kept per report is what the views need (host identity, time,
 * edition, the 2(1) ledger facts, answers per item, status counts per
 * rule, failing subjects per rule); the full JSON stays on disk, or is
 * kept compressed in the store when the admin asks (--keep-json).
 *
 * An ingest run is one transaction: a run that is interrupted (kill -9,
 * power loss) leaves the database as it was. Files already ingested are
 * remembered by path, size, mtime and SHA-256, so only new files are
 * parsed; the same report twice (same host, scan time and content hash)
 * is stored once. One report is in memory at a time.
 *
 * Ownership: struct store is created by store_open and freed by
 * store_close (NULL is fine). store_summary returns a new reference.
 */
#ifndef TENKEN_STORE_H
#define TENKEN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <jansson.h>

/* A report larger than this is refused: the biggest fixture report is
 * ~100 KiB and a host with 20,000 packages and every finding listed stays
 * under 32 MiB; one report is held in memory at a time. */
#define STORE_MAX_REPORT (64u << 20)
/* Directories are walked this deep (DIR/<host>/tenken-*.json is 2). */
#define STORE_MAX_DEPTH 4

/* Verify the detached signature sig of the file report. Returns 0 when
 * it could check (why empty: valid; why set: the reason it is not), <0
 * (-errno) when it could not read its inputs. */
typedef int (*store_verify_fn)(const char *report, const char *sig, void *ctx, char *why, size_t n);

enum store_keep { STORE_KEEP_NONE, STORE_KEEP_ZLIB, STORE_KEEP_ZSTD };

struct store_opts {
	time_t now;		/* "the future" starts one day after it */
	bool require_signature; /* FILE.sig must exist and verify */
	store_verify_fn verify; /* NULL: verification not available */
	void *verify_ctx;
	enum store_keep keep; /* the full JSON in the store, compressed */
};

/* What an ingest run did, file by file. */
struct store_stats {
	size_t added, duplicate, unchanged, rejected, errors, skipped;
	uint64_t bytes_parsed;
};

/* Called for every file refused, with its reason in both languages
 * (file:line:col for a JSON syntax error). */
typedef void (*store_reject_fn)(const char *file, const char *ja, const char *en, void *ctx);

struct store;

/* Open (creating it) the store at path, or an in-memory one for NULL.
 * On error returns -errno and writes a message to why. */
int store_open(const char *path, struct store **ret, char *why, size_t n);
void store_close(struct store *s);

/* Ingest every path (a report file, or a directory walked for *.json),
 * in one transaction. Per-file problems go to on_reject and the run goes
 * on; returns 0, or -errno (why set) when the store itself failed, and
 * then nothing of this run is kept. */
int store_ingest(struct store *s, char *const *paths, size_t npaths, const struct store_opts *o,
		 store_reject_fn on_reject, void *ctx, struct store_stats *st, char *why, size_t n);

/* The views' filters. */
struct store_view_opts {
	time_t now;	     /* staleness is measured from here */
	long stale_days;     /* a host whose newest report is older is stale */
	const char *item;    /* only this checklist item, or NULL */
	const char *answer;  /* only hosts with this answer (yes, no, unknown,
			      * organisational, stale) for item (any item if NULL) */
	const char *host;    /* only this host (hostname or machine id), or NULL */
	const char *profile; /* only hosts whose newest report has this profile */
	size_t top;	     /* how many failing rules "top problems" lists */
	unsigned skip;	     /* STORE_SKIP_*: parts a one-view output does not need */
};

enum {
	STORE_SKIP_ANSWERS = 1u << 0, /* hosts[].answers (and --item ITEM:ANSWER) */
	STORE_SKIP_CHANGES = 1u << 1,
	STORE_SKIP_TOP = 1u << 2,
	STORE_SKIP_TRENDS = 1u << 3,
	STORE_SKIP_HISTORY = 1u << 4, /* hosts[].history: the answers of every scan */
};

/* The fleet summary (DESIGN.md, "Fleet summary"): hosts with their newest
 * answers, per-item counts, rejected files, fleet errors, and the views
 * (top_problems, ledger, trends, changes). New reference in *ret. */
int store_summary(struct store *s, const struct store_view_opts *o, json_t **ret, char *why,
		  size_t n);

/* The same summary in two parts, for views that stream their output:
 * the head (everything but the hosts: "hosts" is an empty array, in its
 * place), then the hosts one at a time in hostname order, each with its
 * answers and changes, filtered as store_summary filters them. Memory
 * then does not grow with the fleet. */
int store_summary_head(struct store *s, const struct store_view_opts *o, json_t **ret, char *why,
		       size_t n);
struct store_hosts;
/* o is borrowed until store_hosts_close. */
int store_hosts_open(struct store *s, const struct store_view_opts *o, struct store_hosts **ret,
		     char *why, size_t n);
/* 1 and a new reference in *ret, 0 after the last host, or -errno
 * (store_hosts_error says why). */
int store_hosts_next(struct store_hosts *it, json_t **ret);
/* Start again at the first host. */
int store_hosts_rewind(struct store_hosts *it);
const char *store_hosts_error(const struct store_hosts *it);
void store_hosts_close(struct store_hosts *it);

/* The time a report speaks for: scan.now (the time it was judged as of),
 * else scan.finished_at, else scan.started_at. -EINVAL if none parses. */
int store_report_time(const json_t *report, time_t *ret);

#endif
