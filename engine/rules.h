/* rules.h - loading rule sets (shipped profiles + a user's baseline) and
 * evaluating them over an inventory. The engine knows nothing about
 * accounts or USB: rules are data (baselines/RULES.md is the language).
 *
 * Ownership: ruleset_load returns a new ruleset (free with ruleset_free);
 * rules_eval returns a new findings array. Inputs are borrowed.
 */
#ifndef TENKEN_RULES_H
#define TENKEN_RULES_H

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

/* Where a baseline or rule file is wrong. */
struct diag {
	char file[512]; /* the path as the user gave it, or "<embedded>/NAME" */
	unsigned line, column;
	char msg[512]; /* English, one line */
};

struct ruleset {
	json_t *rules;		 /* array of validated rule objects, sorted by id */
	json_t *params;		 /* object: every parameter with its final value */
	json_t *baseline_info;	 /* {"name","profile","sha256"} for the report */
	char *profile;		 /* "server" or "terminal" */
	struct rule_prog *progs; /* compiled rules, parallel to rules */
	size_t nprogs;
	struct capture_prog *captures; /* the profile's "capture" section */
	size_t ncaptures;
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

/* The same as ruleset_load, with the baseline's text given: name is used
 * in diagnostics and as the default baseline name; buf may be NULL for no
 * baseline. buf is borrowed. */
int ruleset_load_mem(const char *name, const char *buf, size_t len, const char *profile,
		     struct ruleset **ret, struct diag *d);

/* Validate a baseline file only (`tenken baseline check`): 0, or the
 * ruleset_load error with d filled in. */
int ruleset_check_file(const char *path, struct diag *d);

/* Render a rule template ("{field}", "{a.b}", "{param:NAME}", "{{") over
 * elem (may be NULL) and params, in Japanese (ja) or English: null and
 * missing fields as "不明"/"unknown", an empty list as "なし"/"none".
 * New string (NULL on allocation failure). Exported for the tests that
 * render every shipped rule. */
char *rule_render(const char *tpl, const json_t *elem, const json_t *params, bool ja);

/* `tenken rules`: one line per enabled rule: id, severity, the checklist
 * items of edition ("-" if none), and the title in lang ("ja" or "en"). */
void ruleset_print(const struct ruleset *rs, const char *edition, const char *lang, FILE *out);

/* `tenken baseline init`: evaluate the profile's "capture" section over an
 * inventory. Returns 0 and a new object {PARAM: [values]}: for each
 * captured parameter, the sorted, distinct string values of its field over
 * the elements its condition selects (elements where the condition is
 * unknown are left out). A parameter whose collection is missing from the
 * inventory is left out of the object. */
int ruleset_capture(const struct ruleset *rs, const json_t *inventory, json_t **ret_params);

/* ---- Internal: the compiled form of a rule, shared by engine/ruleset.c
 * (which builds and frees it) and engine/rules.c (which evaluates it). */

enum cond_kind { COND_ALL, COND_ANY, COND_NONE, COND_NOT, COND_LEAF };
enum cond_src { SRC_PATH, SRC_COUNT, SRC_PARAM };
enum cond_op {
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_IN,
	OP_NOT_IN,
	OP_CONTAINS,
	OP_GLOB,
	OP_REGEX,
	OP_EXISTS,
	OP_ABSENT,
	OP_MODE_LE,
};

struct cond {
	enum cond_kind kind;
	struct cond **kids; /* combinators (COND_NOT has one) */
	size_t nkids;
	enum cond_src src; /* leaves: */
	enum cond_op op;
	char *name;	   /* field path or parameter name */
	json_t *value;	   /* the literal (a reference), or NULL ... */
	char *value_param; /* ... when the value is {"param": NAME} */
	bool has_re;	   /* op regex with a known pattern */
	regex_t re;
	/* op mode_le: the allowed mode, parsed once when the rule is compiled
	 * from its literal or its parameter's value (mode_text, to tell at
	 * evaluation that the parameter still holds that value). */
	bool has_mode;
	unsigned mode;
	char mode_text[8];
};
/* Compile the allowed mode of an op mode_le condition from text: 0 or
 * -EINVAL (then the evaluation parses the value it is given). */
int cond_compile_mode(struct cond *c, const char *text);

/* What a rule answers when its set is empty (RULES.md, "Empty sets"). */
enum when_empty { EMPTY_UNKNOWN, EMPTY_PASS, EMPTY_FAIL };

struct rule_prog {
	const json_t *rule;	/* borrowed from ruleset.rules */
	const char *collection; /* borrowed from rule */
	bool single;		/* the collection is one object */
	const char *probe;	/* the probe that fills it (static string) */
	struct cond *where;	/* NULL: every element */
	struct cond *assert;
	json_t *evidence; /* array of field paths copied into findings */
	json_t *params;	  /* array of scalar parameters shown in evidence */
	enum when_empty when_empty;
};

/* One entry of a profile's "capture" section (strings owned). */
struct capture_prog {
	char *param;
	char *collection;
	bool single;
	struct cond *where; /* NULL: every element */
	char *field;
};

void cond_free(struct cond *c);
void rule_prog_clear(struct rule_prog *p);
/* An octal permission string ("0640", "755"; at most 07777): 0 or -EINVAL. */
int rule_mode_parse(const char *s, unsigned *ret);
/* "eq", "mode_le", ...; NULL for a bad value. */
const char *cond_op_name(enum cond_op op);
int cond_op_from_name(const char *name, enum cond_op *ret);

#endif
