/* rules.h - loading rule sets (shipped profiles + a user's baseline) and
 * evaluating them over an inventory. The engine knows nothing about
 * accounts or USB: rules are data (baselines/RULES.md is the language).
 *
 * Ownership: ruleset_load returns a new ruleset (free with ruleset_free);
 * rules_eval returns a new findings array. Inputs are borrowed.
 */
#ifndef TENKEN_RULES_H
#define TENKEN_RULES_H

#include <jansson.h>

/* Where a baseline or rule file is wrong. */
struct diag {
	char file[512]; /* the path as the user gave it, or "<embedded>/NAME" */
	unsigned line, column;
	char msg[512]; /* English, one line */
};

struct ruleset {
	json_t *rules;	      /* array of validated rule objects, sorted by id */
	json_t *params;	      /* object: every parameter with its final value */
	json_t *baseline_info; /* {"name","profile","sha256"} for the report */
	char *profile;	      /* "server" or "terminal" */
};

/* Load the shipped profile (profile, or the one the baseline extends;
 * "server" if neither) and apply the baseline file at baseline_path (may
 * be NULL). On a bad file returns -EINVAL with d filled in; -ENOENT/-EACCES
 * etc. for I/O (d filled too). The baseline is read from the invoking
 * user's filesystem, not the scanned root. */
int ruleset_load(const char *baseline_path, const char *profile, struct ruleset **ret,
		 struct diag *d);
void ruleset_free(struct ruleset *rs);

/* Evaluate every rule over inventory. probes is the report's scan.probes
 * array (for the reason when a collection is missing). edition is "r6" or
 * "r7". Returns 0 and a new, sorted findings array. */
int rules_eval(const struct ruleset *rs, const json_t *inventory, const json_t *probes,
	       const char *edition, json_t **ret_findings);

#endif
