/* ruleset_int.h - what the stages of loading a rule set share: the
 * documents being loaded, the rule entries, the loader, and the helpers
 * that report a mistake at file:line:column. Private to engine/: the
 * stages are catalog.c (checklist editions and items), merge.c (library
 * rules, profile and baseline merged into entries) and compile.c (each
 * rule checked against the probes' columns and compiled into a
 * rule_prog); ruleset.c puts them together (ruleset.h's API in rules.h).
 */
#ifndef TENKEN_RULESET_INT_H
#define TENKEN_RULESET_INT_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "lib/limits.h"
#include "probes/probe.h"
#include "lib/embedded.h"
#include "lib/jsonpos.h"
#include "engine/rules.h"
#include "lib/util.h"

#define PTR_MAX 256

/* Severity words, in order (NULL-terminated). */
extern const char *const rs_severities[];

/* One JSON document being loaded. */
struct src {
	char name[512]; /* for diagnostics: the path, or "<embedded>/NAME" */
	const char *buf;
	size_t len;
	json_t *doc;
};

/* One rule known to the loader, library or baseline. */
struct entry {
	json_t *def; /* borrowed from its source document */
	const struct src *src;
	char ptr[PTR_MAX]; /* its JSON pointer, "/rules/12" */
	bool from_baseline, disabled;
	const char *severity; /* override (borrowed), or NULL */
	struct rule_prog prog;
};

struct loader {
	struct diag *d;
	struct src *lib;
	size_t nlib;
	struct src profile, baseline;
	bool has_baseline;
	json_t *catalog; /* {"r6": {"2(4)": true}, ...}; NULL without a catalog */
	struct entry *ents;
	size_t nents, cap;
	json_t *index;		   /* rule id -> index into ents */
	json_t *params;		   /* name -> final value */
	json_t *from_baseline;	   /* names whose value the baseline set */
	json_t *new_params;	   /* names the baseline declared itself */
	json_t *baseline_refs;	   /* names the baseline's own rules reference */
	struct capture_prog *caps; /* the profile's "capture" section */
	size_t ncaps;
};

/* ruleset.c */
int check_keys(struct loader *l, const struct src *s, const char *ptr, const json_t *obj,
	       const char *const *allowed, const char *what);
int check_text(struct loader *l, const struct src *s, const char *ptr, const json_t *j,
	       const char *what);
int fail_at(struct loader *l, const struct src *s, const char *ptr, bool key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
bool in_list(const char *s, const char *const *list);
int parse_src(struct loader *l, struct src *s);
void ptr_idx(char out[static PTR_MAX], const char *ptr, size_t i);
void ptr_key(char out[static PTR_MAX], const char *ptr, const char *key);

/* catalog.c */
bool edition_known(const struct loader *l, const char *e);
void load_catalog(struct loader *l);

/* merge.c */
int apply_baseline(struct loader *l);
int apply_profile(struct loader *l, const char *name);
int load_library(struct loader *l);
int type_class(const json_t *v);

/* compile.c */
void capture_clear(struct capture_prog *cp);
int check_new_params(struct loader *l);
int compile_captures(struct loader *l);
int compile_rule(struct loader *l, struct entry *e);

#endif
