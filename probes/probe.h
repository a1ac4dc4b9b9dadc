/* probe.h - what a probe is and what it may do.
 *
 * A probe reads one area of the system through the fsroot layer and adds
 * facts to the inventory. It never judges (that is the rules' job) and
 * never writes anything on the scanned system. Problems with single files
 * go into the probe's message list and the probe goes on; it marks itself
 * partial when some facts could not be read.
 *
 * Fact conventions every probe follows (the rule engine relies on them):
 *  - a fact that could not be read is JSON null (never omitted, never a
 *    guess): rules that need it answer "unknown";
 *  - a fact that is genuinely absent has an explicit value (false, 0, [],
 *    or a "none" string), so absence and ignorance never look alike;
 *  - arrays are sorted (json_array_sort_by) so reports are deterministic;
 *  - secrets (password hashes, keys, tokens) are never stored: record that
 *    one exists and its kind.
 */
#ifndef TENKEN_PROBE_H
#define TENKEN_PROBE_H

#include <stdbool.h>
#include <time.h>
#include <jansson.h>
#include "probes/read/fsroot.h"
#include "probes/read/visibility.h"

struct collection;
struct cache;

/* Paths whose existence could not be told (a symlink loop, permission
 * denied, a component that is not a directory): counted so the probe says
 * once how many, naming the first, instead of one line per path. */
struct probe_blind {
	unsigned n;
	int err;
	char first[256];
};

enum probe_status {
	PROBE_OK,
	PROBE_PARTIAL,
	PROBE_ERROR,
	PROBE_NOT_APPLICABLE,
	PROBE_SKIPPED,
};
const char *probe_status_name(enum probe_status s);

struct probe_ctx {
	struct fsroot *root; /* borrowed */
	bool offline;	     /* --root given: nothing runs, only files */
	time_t now;	     /* --now, or the scan's start */
	json_t *inventory;   /* borrowed; the probe adds its collections */
	json_t *host;	     /* borrowed; the "host" section of the report */
	json_t *messages;    /* array of {"ja","en"} (owned by the runner) */
	bool partial;
	struct probe_blind blind; /* probe_exists() errors; the runner reports them */
	/* Live scans: what this scan can see of the host (NULL: everything,
	 * as under --root and in unit tests). */
	const struct visibility *vis;
	const struct collection *collections; /* the running probe's, {NULL}-ended */
	bool full_cmdline;  /* --full-cmdline: command-line values shown (secrets still masked) */
	json_t *incomplete; /* names of collections that may be short (runner-owned) */
	/* The baseline's parameters when the scan judges (borrowed; NULL for
	 * `tenken inventory`): only for facts a baseline asks for by name,
	 * such as the ssh probe's connection classes (ssh_connections). */
	const json_t *params;
	struct cache *cache; /* --cache-dir (scanner/cache.h), or NULL */
};

/* Add a message in both languages. The two formats take the same
 * arguments in the same order. */
void probe_msg(struct probe_ctx *ctx, const char *ja_fmt, const char *en_fmt, ...);
/* The same with finished strings (borrowed). */
void probe_msg_text(struct probe_ctx *ctx, const char *ja, const char *en);
/* The usual message for a file that could not be read (err is -errno
 * from fsroot), marking the probe partial unless err is -ENOENT and
 * missing_ok. */
void probe_file_error(struct probe_ctx *ctx, const char *path, int err, bool missing_ok);
/* The same for a read refused at a size limit the caller knows (err
 * -EFBIG): names the limit's size and its name in lib/limits.h
 * (limit_name may be NULL). probe_file_error does this by itself when the
 * refused read went through fsroot_read/fsroot_read_shared. */
void probe_file_error_limit(struct probe_ctx *ctx, const char *path, int err, size_t limit,
			    const char *limit_name);
/* Japanese and English words for an fsroot error (-errno); static strings. */
void probe_errno_text(int err, const char **ja, const char **en);
/* Whether path exists inside the root: 1 yes, 0 absent (ENOENT: the path
 * resolved and nothing is there), -errno when it cannot be told. Only 0
 * may drive a "not there" answer; an error marks the probe partial and is
 * counted in ctx->blind. */
int probe_exists(struct probe_ctx *ctx, const char *path, bool follow);
/* The probe's collections need the VIS_* sight in what: for each kind
 * this scan lacks, say so (once per probe) and list every collection of
 * the probe as "incomplete" (CONTRACTS.md item 1), so rules over them
 * can be unknown but never pass. Returns the bits lacking. */
unsigned probe_needs(struct probe_ctx *ctx, unsigned what);
/* Whether a daemon runs (CONTRACTS.md item 4): a process whose comm is
 * one of comms (NULL-ended) and, where its exe link can be read, whose
 * executable is one of exes. true or false on a live scan; null under
 * --root (nothing runs there), when /proc cannot be listed, or when
 * hidepid hides other users' processes from this scan and none matched.
 * New reference. */
json_t *probe_running(struct probe_ctx *ctx, const char *const *comms, const char *const *exes);
/* "live" on a live scan, "configuration" under --root: what a verdict
 * over *_running facts rests on. New reference. */
json_t *probe_basis(const struct probe_ctx *ctx);
/* List one collection as incomplete (a probe that found out by itself). */
void probe_incomplete(struct probe_ctx *ctx, const char *collection);
/* One message for the paths counted in ctx->blind, if any (the runner
 * calls it after the probe). */
void probe_blind_report(struct probe_ctx *ctx);
/* A malformed line: "path:line: what" in both languages. */
void probe_line_error(struct probe_ctx *ctx, const char *path, unsigned line, const char *ja_what,
		      const char *en_what);
static inline void probe_partial(struct probe_ctx *ctx)
{
	ctx->partial = true;
}

/* A probe returns 0 (ok or partial), PROBE_RET_NOT_APPLICABLE, or -errno
 * for an error that left it with no useful facts. */
#define PROBE_RET_NOT_APPLICABLE 1

/* The columns of an inventory collection, declared beside the probe that
 * fills it (as osquery declares a table's columns). The rule loader
 * refuses a rule naming a field no collection declares, and a test checks
 * every probe's output against its declaration. */
enum col_type {
	COL_STRING,
	COL_INT,
	COL_BOOL,
	COL_TIME,   /* RFC 3339 string, UTC */
	COL_MODE,   /* octal string "0640" */
	COL_ARRAY,  /* of strings unless a sub-collection is named */
	COL_OBJECT, /* free-form: any sub-path is accepted */
};
struct column {
	const char *name;
	enum col_type type;
	const char *doc; /* one line, English, for `tenken rules --fields` */
};
struct collection {
	const char *name;	      /* inventory key */
	bool single;		      /* an object, not an array of objects */
	const struct column *columns; /* terminated by {NULL} */
};

struct probe {
	const char *name;
	bool offline_ok; /* works under --root */
	int (*run)(struct probe_ctx *ctx);
	const struct collection *collections; /* terminated by {NULL} */
	const char *doc;		      /* one line, English (`tenken rules --probes`) */
	const char *doc_ja;		      /* the same in Japanese */
	/* The probes whose collections this one reads (NULL-terminated, or
	 * NULL): they stand earlier in the table, and --only runs them too. */
	const char *const *needs;
};

/* The registry (probes/registry.c): every probe, in run order. */
extern const struct probe probe_table[];
extern const size_t probe_count;
const struct probe *probe_find(const char *name);
/* The VIS_* sight a probe's collections need on a live scan beyond the
 * mount table every probe needs (visibility.h); 0: none. */
unsigned probe_sight(const struct probe *p);
/* The collection named name in any probe, or NULL. */
const struct collection *collection_find(const char *name, const struct probe **ret_probe);
const struct column *column_find(const struct collection *c, const char *name);

/* One probe per file; each defines its run function here. */
extern const struct collection system_collections[];
int probe_system_run(struct probe_ctx *ctx);
extern const struct collection accounts_collections[];
int probe_accounts_run(struct probe_ctx *ctx);
extern const struct collection packages_collections[];
int probe_packages_run(struct probe_ctx *ctx);
extern const struct collection updates_collections[];
int probe_updates_run(struct probe_ctx *ctx);
/* New probes: declare below this line (one block per probe). */
extern const struct collection eol_collections[];
int probe_eol_run(struct probe_ctx *ctx);
extern const struct collection ssh_collections[];
int probe_ssh_run(struct probe_ctx *ctx);
extern const struct collection logging_collections[];
int probe_logging_run(struct probe_ctx *ctx);
extern const struct collection time_collections[];
int probe_time_run(struct probe_ctx *ctx);
extern const struct collection firewall_collections[];
int probe_firewall_run(struct probe_ctx *ctx);
extern const struct collection auth_collections[];
int probe_auth_run(struct probe_ctx *ctx);
extern const struct collection executables_collections[];
int probe_executables_run(struct probe_ctx *ctx);
extern const struct collection processes_collections[];
int probe_processes_run(struct probe_ctx *ctx);
extern const struct collection services_collections[];
int probe_services_run(struct probe_ctx *ctx);
extern const struct collection listeners_collections[];
int probe_listeners_run(struct probe_ctx *ctx);
extern const struct collection autostart_collections[];
int probe_autostart_run(struct probe_ctx *ctx);
extern const struct collection usb_collections[];
int probe_usb_run(struct probe_ctx *ctx);
extern const struct collection wireless_collections[];
int probe_wireless_run(struct probe_ctx *ctx);

#endif
