/* sds.c - the MDS/SDS catalogue (baselines/sds.json): loading it,
 * refusing a mapping that cannot be trusted (a rule id that does not
 * exist, a question without its seed reference), and judging each
 * question from a report's findings. The renderers are in sds_html.c.
 *
 * The catalogue is data compiled into the binary, but it is still checked
 * as hostile input: a typo in a rule id would otherwise turn into a
 * question answered "unknown" forever, or worse, a question whose only
 * rule is silently missing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "report/sds.h"
#include "lib/embedded.h"
#include "lib/jsonpos.h"
#include "lib/util.h"

/* ---- the shipped rules ---- */

static int add_rules(json_t *known, const struct embedded_file *f)
{
	json_auto_t *doc = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, NULL);
	size_t i;
	json_t *r;
	if (!doc)
		return -EINVAL;
	json_array_foreach(json_object_get(doc, "rules"), i, r) {
		const char *id = json_string_value(json_object_get(r, "id"));
		json_t *title = json_object_get(r, "title");
		if (!id)
			return -EINVAL;
		if (json_object_set(known, id, title ? title : json_null()) < 0)
			return -ENOMEM;
	}
	return 0;
}

json_t *sds_known_rules(void)
{
	json_auto_t *known = json_object();
	if (!known)
		return NULL;
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (str_startswith(f->name, "rules/") && add_rules(known, f) < 0)
			return NULL;
	}
	return json_incref(known);
}

/* ---- validation ---- */

struct vctx {
	const char *buf, *name;
	size_t len;
	const json_t *known;
	char *err;
	size_t n;
};

/* Fill err with "name:line:column: why" for the value (or, with key, the
 * member name) at pointer. Returns -EINVAL. */
__attribute__((format(printf, 4, 5))) static int bad(struct vctx *c, const char *ptr, bool key,
						     const char *fmt, ...)
{
	struct jsonpos pos = {0, 0};
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (jsonpos_find(c->buf, c->len, ptr, key, &pos) < 0)
		snprintf(c->err, c->n, "%s: %s (at %s)", c->name, why, ptr);
	else
		snprintf(c->err, c->n, "%s:%u:%u: %s", c->name, pos.line, pos.column, why);
	return -EINVAL;
}

static void ptr_key(char *out, size_t n, const char *base, const char *key)
{
	snprintf(out, n, "%s", base);
	(void)jsonpos_append(out, n, key);
}

static void ptr_index(char *out, size_t n, const char *base, size_t i)
{
	snprintf(out, n, "%s", base);
	(void)jsonpos_append_index(out, n, i);
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* obj is an object whose members are all in allowed, and has each of
 * required. */
static int check_members(struct vctx *c, const json_t *obj, const char *ptr,
			 const char *const *allowed, const char *const *required)
{
	char p[512];
	const char *k;
	json_t *v;
	if (!json_is_object(obj))
		return bad(c, ptr, false, "an object is expected");
	json_object_foreach((json_t *)obj, k, v) {
		ptr_key(p, sizeof(p), ptr, k);
		if (!in_list(k, allowed))
			return bad(c, p, true, "unknown member \"%s\"", k);
	}
	for (; *required; required++)
		if (!json_object_get(obj, *required))
			return bad(c, ptr, false, "\"%s\" is missing", *required);
	return 0;
}

static int check_string(struct vctx *c, const json_t *v, const char *ptr)
{
	if (!json_is_string(v) || json_string_length(v) == 0)
		return bad(c, ptr, false, "a non-empty string is expected");
	return 0;
}

/* {"ja": "…", "en": "…"}, both non-empty. */
static int check_i18n(struct vctx *c, const json_t *v, const char *ptr)
{
	static const char *const both[] = {"ja", "en", NULL};
	char p[512];
	int r = check_members(c, v, ptr, both, both);
	for (size_t i = 0; r == 0 && both[i]; i++) {
		ptr_key(p, sizeof(p), ptr, both[i]);
		r = check_string(c, json_object_get(v, both[i]), p);
	}
	return r;
}

static int check_strings(struct vctx *c, const json_t *arr, const char *ptr, bool nonempty)
{
	char p[512];
	size_t i;
	json_t *v;
	if (!json_is_array(arr) || (nonempty && json_array_size(arr) == 0))
		return bad(c, ptr, false, "%s array of strings is expected",
			   nonempty ? "a non-empty" : "an");
	json_array_foreach(arr, i, v) {
		ptr_index(p, sizeof(p), ptr, i);
		if (check_string(c, v, p) < 0)
			return -EINVAL;
	}
	return 0;
}

/* "collection" or "collection/field/...": names only, no empty part. */
static bool fact_path_ok(const char *s)
{
	if (!*s || s[0] == '/' || s[strlen(s) - 1] == '/' || strstr(s, "//"))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_/") == strlen(s);
}

static int check_condition(struct vctx *c, const json_t *na, const char *ptr)
{
	static const char *const members[] = {"empty", "why", NULL};
	char p[512];
	size_t i;
	json_t *v;
	if (check_members(c, na, ptr, members, members) < 0)
		return -EINVAL;
	ptr_key(p, sizeof(p), ptr, "why");
	if (check_i18n(c, json_object_get(na, "why"), p) < 0)
		return -EINVAL;
	ptr_key(p, sizeof(p), ptr, "empty");
	if (check_strings(c, json_object_get(na, "empty"), p, true) < 0)
		return -EINVAL;
	json_array_foreach(json_object_get(na, "empty"), i, v) {
		char q[512];
		ptr_index(q, sizeof(q), p, i);
		if (!fact_path_ok(json_string_value(v)))
			return bad(c, q, false,
				   "\"%s\" is not an inventory path (collection/field)",
				   json_string_value(v));
	}
	return 0;
}

static int check_rules(struct vctx *c, const json_t *q, const char *ptr)
{
	char p[512];
	size_t i;
	json_t *v;
	const json_t *rules = json_object_get(q, "rules");
	ptr_key(p, sizeof(p), ptr, "rules");
	if (check_strings(c, rules, p, false) < 0)
		return -EINVAL;
	if (json_array_size(rules) > SDS_MAX_RULES)
		return bad(c, p, false, "more than %d rules", SDS_MAX_RULES);
	json_array_foreach(rules, i, v) {
		char q2[512];
		ptr_index(q2, sizeof(q2), p, i);
		if (!json_object_get(c->known, json_string_value(v)))
			return bad(c, q2, false, "no rule has the id \"%s\"", json_string_value(v));
	}
	bool none = json_array_size(rules) == 0;
	if (json_is_true(json_object_get(q, "heading")) && !none)
		return bad(c, p, false, "a heading has no answer, so no rules");
	if (json_object_get(q, "not_applicable_when") && none)
		return bad(c, ptr, false, "a not-applicable condition needs rules to apply to");
	return 0;
}

/* One question: its id (unique, in seen), section, references, seed,
 * texts, rules and reasons. */
static int check_question(struct vctx *c, const json_t *q, const char *ptr, const json_t *sections,
			  json_t *seen)
{
	static const char *const members[] = {
	    "id",     "section", "references",		"seed", "text", "rules", "why", "heading",
	    "bullet", "choice",	 "not_applicable_when", NULL};
	static const char *const required[] = {"id",   "section", "references", "seed",
					       "text", "rules",	  "why",	NULL};
	char p[512];
	if (check_members(c, q, ptr, members, required) < 0)
		return -EINVAL;
	const char *strs[] = {"id", "section", "seed"};
	for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
		ptr_key(p, sizeof(p), ptr, strs[i]);
		if (check_string(c, json_object_get(q, strs[i]), p) < 0)
			return -EINVAL;
	}
	const char *id = json_string_value(json_object_get(q, "id"));
	ptr_key(p, sizeof(p), ptr, "id");
	if (json_object_get(seen, id))
		return bad(c, p, false, "question \"%s\" appears twice", id);
	json_object_set_new(seen, id, json_true());
	ptr_key(p, sizeof(p), ptr, "section");
	if (!json_object_get(sections, json_string_value(json_object_get(q, "section"))))
		return bad(c, p, false, "no such section");
	ptr_key(p, sizeof(p), ptr, "references");
	if (check_strings(c, json_object_get(q, "references"), p, true) < 0)
		return -EINVAL;
	ptr_key(p, sizeof(p), ptr, "text");
	if (check_i18n(c, json_object_get(q, "text"), p) < 0)
		return -EINVAL;
	ptr_key(p, sizeof(p), ptr, "why");
	if (check_i18n(c, json_object_get(q, "why"), p) < 0)
		return -EINVAL;
	const char *flags[] = {"heading", "bullet"};
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		const json_t *f = json_object_get(q, flags[i]);
		ptr_key(p, sizeof(p), ptr, flags[i]);
		if (f && !json_is_boolean(f))
			return bad(c, p, false, "true or false is expected");
	}
	const json_t *choice = json_object_get(q, "choice");
	ptr_key(p, sizeof(p), ptr, "choice");
	if (choice &&
	    (!json_is_string(choice) || strcmp(json_string_value(choice), "applicable") != 0))
		return bad(c, p, false, "\"choice\" can only be \"applicable\" (該当/非該当)");
	const json_t *na = json_object_get(q, "not_applicable_when");
	ptr_key(p, sizeof(p), ptr, "not_applicable_when");
	if (na && check_condition(c, na, p) < 0)
		return -EINVAL;
	return check_rules(c, q, ptr);
}

static int check_out_of_scope(struct vctx *c, const json_t *arr, const char *ptr,
			      const json_t *sections)
{
	static const char *const members[] = {"section", "questions", "seed", "why", NULL};
	char p[512], m[512];
	size_t i;
	json_t *o;
	if (!json_is_array(arr))
		return bad(c, ptr, false, "an array is expected");
	json_array_foreach(arr, i, o) {
		ptr_index(p, sizeof(p), ptr, i);
		if (check_members(c, o, p, members, members) < 0)
			return -EINVAL;
		for (size_t k = 0; k < 3; k++) {
			ptr_key(m, sizeof(m), p, members[k]);
			if (check_string(c, json_object_get(o, members[k]), m) < 0)
				return -EINVAL;
		}
		ptr_key(m, sizeof(m), p, "section");
		if (!json_object_get(sections, json_string_value(json_object_get(o, "section"))))
			return bad(c, m, false, "no such section");
		ptr_key(m, sizeof(m), p, "why");
		if (check_i18n(c, json_object_get(o, "why"), m) < 0)
			return -EINVAL;
	}
	return 0;
}

static int check_sections(struct vctx *c, const json_t *sections, const char *ptr)
{
	char p[512];
	const char *k;
	json_t *v;
	if (!json_is_object(sections) || json_object_size(sections) == 0)
		return bad(c, ptr, false, "a non-empty object of sections is expected");
	json_object_foreach((json_t *)sections, k, v) {
		ptr_key(p, sizeof(p), ptr, k);
		if (check_i18n(c, v, p) < 0)
			return -EINVAL;
	}
	return 0;
}

static int check_edition(struct vctx *c, const json_t *ed, const char *ptr)
{
	static const char *const members[] = {
	    "title", "form", "seed_document", "sections", "not_in_catalogue", "questions", NULL};
	char p[512];
	size_t i;
	json_t *q;
	if (check_members(c, ed, ptr, members, members) < 0)
		return -EINVAL;
	const char *i18n[] = {"title", "form"};
	for (size_t k = 0; k < ARRAY_SIZE(i18n); k++) {
		ptr_key(p, sizeof(p), ptr, i18n[k]);
		if (check_i18n(c, json_object_get(ed, i18n[k]), p) < 0)
			return -EINVAL;
	}
	ptr_key(p, sizeof(p), ptr, "seed_document");
	if (check_string(c, json_object_get(ed, "seed_document"), p) < 0)
		return -EINVAL;
	const json_t *sections = json_object_get(ed, "sections");
	ptr_key(p, sizeof(p), ptr, "sections");
	if (check_sections(c, sections, p) < 0)
		return -EINVAL;
	ptr_key(p, sizeof(p), ptr, "not_in_catalogue");
	if (check_out_of_scope(c, json_object_get(ed, "not_in_catalogue"), p, sections) < 0)
		return -EINVAL;
	const json_t *qs = json_object_get(ed, "questions");
	ptr_key(p, sizeof(p), ptr, "questions");
	if (!json_is_array(qs) || json_array_size(qs) == 0)
		return bad(c, p, false, "a non-empty array of questions is expected");
	json_auto_t *seen = json_object();
	json_array_foreach(qs, i, q) {
		char qp[512];
		ptr_index(qp, sizeof(qp), p, i);
		if (check_question(c, q, qp, sections, seen) < 0)
			return -EINVAL;
	}
	return 0;
}

static int check_catalog(struct vctx *c, const json_t *doc)
{
	static const char *const members[] = {"source", "default_edition", "editions", NULL};
	char p[512];
	const char *k;
	json_t *ed;
	if (check_members(c, doc, "", members, members) < 0 ||
	    check_i18n(c, json_object_get(doc, "source"), "/source") < 0 ||
	    check_string(c, json_object_get(doc, "default_edition"), "/default_edition") < 0)
		return -EINVAL;
	const json_t *eds = json_object_get(doc, "editions");
	if (!json_is_object(eds) || json_object_size(eds) == 0)
		return bad(c, "/editions", false, "a non-empty object of editions is expected");
	if (!json_object_get(eds, json_string_value(json_object_get(doc, "default_edition"))))
		return bad(c, "/default_edition", false, "no such edition");
	json_object_foreach((json_t *)eds, k, ed) {
		ptr_key(p, sizeof(p), "/editions", k);
		if (check_edition(c, ed, p) < 0)
			return -EINVAL;
	}
	return 0;
}

json_t *sds_catalog_load(const char *buf, size_t len, const char *name, const json_t *known,
			 char *err, size_t n)
{
	json_error_t jerr;
	struct vctx c = {.buf = buf, .len = len, .name = name, .known = known, .err = err, .n = n};
	json_auto_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		snprintf(err, n, "%s:%d:%d: %s", name, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(known)) {
		snprintf(err, n, "%s: no rule list to check the mapping against", name);
		return NULL;
	}
	if (check_catalog(&c, doc) < 0)
		return NULL;
	return json_incref(doc);
}

json_t *sds_catalog_shipped(char *err, size_t n)
{
	const struct embedded_file *f = embedded_find("sds.json");
	json_auto_t *known = sds_known_rules();
	if (!f || !known) {
		snprintf(err, n, "sds.json: %s",
			 f ? "the shipped rules do not load" : "not built in");
		return NULL;
	}
	return sds_catalog_load(f->data, f->len, "baselines/sds.json", known, err, n);
}

const json_t *sds_edition(const json_t *catalog, const char *edition)
{
	const char *name =
	    edition ? edition : json_string_value(json_object_get(catalog, "default_edition"));
	return name ? json_object_get(json_object_get(catalog, "editions"), name) : NULL;
}

/* ---- judging ---- */

const char *sds_answer_name(enum sds_answer a)
{
	static const char *const names[] = {
	    [SDS_YES] = "yes",
	    [SDS_NO] = "no",
	    [SDS_UNKNOWN] = "unknown",
	    [SDS_NOT_APPLICABLE] = "not_applicable",
	    [SDS_NOT_EVIDENCED] = "not_evidenced",
	    [SDS_HEADING] = "heading",
	};
	return (size_t)a < ARRAY_SIZE(names) ? names[a] : "unknown";
}

/* A finding's weight: 1, or for the summary line of a capped rule
 * (--max-findings-per-rule) the findings it stands for. */
static long long weight(const json_t *f)
{
	if (!json_is_true(json_object_get(f, "omitted")))
		return 1;
	json_int_t k =
	    json_integer_value(json_object_get(json_object_get(f, "evidence"), "omitted_count"));
	return k > 0 ? k : 1;
}

static void tally(struct sds_rule_eval *re, const json_t *f)
{
	const char *st = json_string_value(json_object_get(f, "status"));
	const json_t *checked = json_object_get(json_object_get(f, "evidence"), "checked");
	re->present = true;
	if (json_is_integer(checked))
		re->checked = json_integer_value(checked);
	if (st && strcmp(st, "pass") == 0) {
		re->pass += weight(f);
	} else if (st && strcmp(st, "fail") == 0) {
		re->fail += weight(f);
		const char *subj = json_string_value(json_object_get(f, "subject"));
		if (subj && !json_is_true(json_object_get(f, "omitted")) &&
		    re->nsubjects < SDS_MAX_SUBJECTS)
			re->subjects[re->nsubjects++] = subj;
	} else {
		/* unknown, or a status this renderer does not know: not evidence */
		re->unknown += weight(f);
	}
}

/* The array at path ("wireless/interfaces") in the inventory is present
 * and empty, and the probe that filled its collection says it is whole. */
static bool fact_empty(const json_t *report, const char *path)
{
	char buf[256];
	size_t i;
	json_t *p;
	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return false;
	char *save = NULL, *tok = strtok_r(buf, "/", &save);
	const char *collection = tok;
	const json_t *v = json_object_get(report, "inventory");
	for (; tok && v; tok = strtok_r(NULL, "/", &save))
		v = json_object_get(v, tok);
	if (!json_is_array(v) || json_array_size(v) != 0 || !collection)
		return false;
	json_array_foreach(json_object_get(json_object_get(report, "scan"), "probes"), i, p) {
		size_t k;
		json_t *c;
		json_array_foreach(json_object_get(p, "incomplete"), k, c) {
			if (json_is_string(c) && strcmp(json_string_value(c), collection) == 0)
				return false;
		}
	}
	return true;
}

static bool condition_holds(const json_t *na, const json_t *report)
{
	size_t i;
	json_t *path;
	if (!na)
		return false;
	json_array_foreach(json_object_get(na, "empty"), i, path) {
		if (!json_is_string(path) || !fact_empty(report, json_string_value(path)))
			return false;
	}
	return true;
}

void sds_evaluate(const json_t *question, const json_t *report, struct sds_eval *ev)
{
	const json_t *rules = json_object_get(question, "rules");
	const json_t *findings = json_object_get(report, "findings");
	size_t i, k;
	json_t *r, *f;
	memset(ev, 0, sizeof(*ev));
	json_array_foreach(rules, i, r) {
		if (ev->nrules == SDS_MAX_RULES || !json_is_string(r))
			break;
		struct sds_rule_eval *re = &ev->rules[ev->nrules++];
		re->rule = json_string_value(r);
		re->checked = -1;
		json_array_foreach(findings, k, f) {
			const char *id = json_string_value(json_object_get(f, "rule"));
			if (id && strcmp(id, re->rule) == 0)
				tally(re, f);
		}
	}
	if (json_is_true(json_object_get(question, "heading"))) {
		ev->answer = SDS_HEADING;
		return;
	}
	if (ev->nrules == 0) {
		ev->answer = SDS_NOT_EVIDENCED;
		return;
	}
	bool failed = false, unsure = false;
	for (i = 0; i < ev->nrules; i++) {
		failed |= ev->rules[i].fail > 0;
		unsure |=
		    !ev->rules[i].present || ev->rules[i].unknown > 0 || ev->rules[i].pass == 0;
	}
	if (failed)
		ev->answer = SDS_NO;
	else if (condition_holds(json_object_get(question, "not_applicable_when"), report))
		ev->answer = SDS_NOT_APPLICABLE;
	else
		ev->answer = unsure ? SDS_UNKNOWN : SDS_YES;
}
