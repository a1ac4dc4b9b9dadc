/* sudoers.h - sudoers(5) reader: /etc/sudoers and everything it includes
 * (@include, @includedir, #include, #includedir), aliases expanded, one
 * entry per user specification (see the "sudoers" collection in
 * probes/accounts_schema.c).
 *
 * The parser is pure (sudoers_parse); sudoers_collect does the I/O
 * through the probe's fsroot and reports problems as probe messages.
 */
#ifndef TENKEN_SUDOERS_H
#define TENKEN_SUDOERS_H

#include <jansson.h>
#include "probes/probe.h"

struct sudoers;	/* parse state: aliases seen so far, entries, pending includes */

struct sudoers *sudoers_new(void);
void sudoers_free(struct sudoers *s);

/* One problem found while parsing (line is 1-based). */
typedef void (*sudoers_error_fn)(void *userdata, const char *file, unsigned line,
				 const char *en_what, const char *ja_what);
/* Include directives found, in order, for the caller to resolve:
 * is_dir for @includedir/#includedir. The path is as written (relative
 * paths are relative to the including file's directory; %h expands to the
 * host's short name, which the caller passes as hostname). */
typedef void (*sudoers_include_fn)(void *userdata, const char *file, unsigned line,
				   const char *path, int is_dir);

/* Parse one file's contents into s. Returns 0, or -ENOMEM. Malformed
 * lines are reported through err and skipped. */
int sudoers_parse(struct sudoers *s, const char *file, const char *buf, size_t len,
		  sudoers_error_fn err, sudoers_include_fn inc, void *userdata);

/* The entries parsed so far as a new JSON array (sorted by file, line). */
json_t *sudoers_entries(const struct sudoers *s);

/* Read /etc/sudoers and its includes (depth LIMIT_INCLUDE_DEPTH, loops
 * detected) through ctx->root; set *ret to a new entries array, or to NULL
 * if /etc/sudoers could not be read at all (the probe then stores null:
 * unknown). Messages go to ctx. Also appends a file fact (see "files"
 * collection) for every sudoers file read to files (borrowed array). */
int sudoers_collect(struct probe_ctx *ctx, json_t *files, json_t **ret);

#endif
