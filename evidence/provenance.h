/* provenance.h - the report's "provenance" block (docs/DESIGN.md,
 * "Provenance and signatures"): what produced the report (the binary's
 * and the effective rule set's SHA-256, the baseline's), how it was run
 * (the command line, the judged time, root and mode) and on which host
 * (machine id, host name, SSH host key fingerprints).
 *
 * Ownership: provenance_new returns a new object; inputs are borrowed.
 */
#ifndef TENKEN_PROVENANCE_H
#define TENKEN_PROVENANCE_H

#include <jansson.h>
#include "engine/rules.h"

/* SHA-256 (hex) of the canonical JSON (sorted keys, compact) of
 * {"profile", "params", "rules"}: the shipped rules and profile with the
 * baseline applied, rules disabled by it left out. */
int provenance_ruleset_sha256(const struct ruleset *rs, char out[static 65]);

/* SHA-256 (hex) of the running binary (/proc/self/exe). */
int provenance_binary_sha256(char out[static 65]);

/* The block for a judged report: scan, host and inventory.ssh_host_keys
 * are read from it; baseline_given says whether --baseline was (its hash
 * is the one the rule set loaded, rs->baseline_info); argv the command
 * line (NULL-terminated). */
json_t *provenance_new(const json_t *report, const struct ruleset *rs, bool baseline_given,
		       char *const *argv);

#endif
