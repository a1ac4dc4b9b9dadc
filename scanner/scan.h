/* scan.h - running the probes and assembling the JSON report (the
 * contract in DESIGN.md). */
#ifndef TENKEN_SCAN_H
#define TENKEN_SCAN_H

#include <stdbool.h>
#include <time.h>
#include <jansson.h>
#include "engine/rules.h"

struct scan_opts {
	const char *root;     /* "/" for the live host */
	bool offline;	      /* --root given */
	time_t now;	      /* --now or the start time */
	char **only;	      /* NULL-terminated probe names, or NULL for all */
	const char *edition;  /* "r6" | "r7" */
	bool full_cmdline;    /* --full-cmdline: show command-line values (proc_parse.h) */
	const json_t *params; /* the baseline's parameters, or NULL (probe_ctx.params) */
	struct cache *cache;  /* --cache-dir (scanner/cache.h), or NULL */
};

/* Run every selected probe. Returns 0 and a new report object holding
 * format, tool, scan, host and inventory; -errno if the root cannot be
 * opened (nothing else is fatal). */
int scan_collect(const struct scan_opts *o, json_t **ret_report);

/* Evaluate rs over the report's inventory and add baseline,
 * checklist_edition, findings, checklist and summary. */
int scan_judge(json_t *report, const struct ruleset *rs, const char *edition);

/* Add the provenance block (evidence/provenance.h) to a judged report:
 * baseline_given says whether --baseline was; argv is the command line. */
int scan_provenance(json_t *report, const struct ruleset *rs, bool baseline_given,
		    char *const *argv);

/* Stamp scan.finished_at and duration_ms. */
void scan_finish(json_t *report, int64_t start_ms);

/* Number of failed findings in a judged report. */
long report_fail_count(const json_t *report);

#endif
