/* ruleset.c - loading rule sets: the shipped rule library (every embedded
 * rules/NAME.json), one shipped profile and a user's baseline, validated
 * completely before anything is evaluated. A mistake is refused with
 * file:line:column (lib/jsonpos.c finds where the offending value
 * sits): a rule naming an unknown collection, field, operator or parameter
 * is never silently ignored. baselines/RULES.md documents the language.
 *
 * Loading order: baseline text (to learn "extends"), checklist catalog
 * (when baselines/checklist.json is embedded: its editions and items),
 * library rules, profile (parameters, disable, severity), baseline
 * (parameters, rules, disable, enable, severity), then every rule is
 * compiled against the final parameters, and the enabled ones are kept.
 */
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

static const char *const severities[] = {"high", "medium", "low", "info", NULL};

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

/* ---- diagnostics ---- */

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* Keep a message on one printable line: control bytes and bytes that are
 * not UTF-8 (jansson quotes the raw token it choked on) become '?'. */
static void sanitize(char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t l = utf8_len((const unsigned char *)s + i, n - i);
		if (l == 0 || c < 0x20 || c == 0x7f) {
			s[i++] = '?';
			continue;
		}
		i += l;
	}
}

static void diag_set(struct diag *d, const char *file, unsigned line, unsigned col, const char *fmt,
		     ...) __attribute__((format(printf, 5, 6)));
static void diag_set(struct diag *d, const char *file, unsigned line, unsigned col, const char *fmt,
		     ...)
{
	va_list ap;

	snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	d->column = col;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	sanitize(d->msg);
	sanitize(d->file);
}

/* Report a problem at the value (or, with key, the member name) that ptr
 * names in s; if ptr names nothing, at its nearest existing parent.
 * Always returns -EINVAL. */
static int fail_at(struct loader *l, const struct src *s, const char *ptr, bool key,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail_at(struct loader *l, const struct src *s, const char *ptr, bool key,
		   const char *fmt, ...)
{
	struct diag *d = l->d;
	struct jsonpos pos = {1, 1};
	char p[PTR_MAX];
	va_list ap;

	snprintf(p, sizeof(p), "%s", ptr);
	while (jsonpos_find(s->buf, s->len, p, key, &pos) < 0) {
		char *slash = strrchr(p, '/');
		if (!slash) {
			pos = (struct jsonpos){1, 1};
			break;
		}
		*slash = '\0';
		key = false;
	}
	snprintf(d->file, sizeof(d->file), "%s", s->name);
	d->line = pos.line;
	d->column = pos.column;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	sanitize(d->msg);
	return -EINVAL;
}

/* ptr + "/" + key into out (PTR_MAX); a too-long pointer just stays at
 * the parent, which only makes the reported position coarser. */
static void ptr_key(char out[static PTR_MAX], const char *ptr, const char *key)
{
	snprintf(out, PTR_MAX, "%s", ptr);
	jsonpos_append(out, PTR_MAX, key);
}

static void ptr_idx(char out[static PTR_MAX], const char *ptr, size_t i)
{
	snprintf(out, PTR_MAX, "%s", ptr);
	jsonpos_append_index(out, PTR_MAX, i);
}

/* Where jansson's syntax error is: the start of the token it names
 * ("near 'tru'") when that token ends at the error position, else the
 * last byte it read. */
static struct jsonpos syntax_pos(const struct src *s, const json_error_t *e)
{
	size_t end = e->position > 0 ? (size_t)e->position : 0, start;
	const char *near = strstr(e->text, "near '");

	if (end > s->len)
		end = s->len;
	start = end ? end - 1 : 0;
	if (near) {
		near += strlen("near '");
		size_t n = strlen(near);
		if (n > 1 && near[n - 1] == '\'' && n - 1 <= end &&
		    memcmp(s->buf + end - (n - 1), near, n - 1) == 0)
			start = end - (n - 1);
	}
	return jsonpos_of_offset(s->buf, s->len, start);
}

static int parse_src(struct loader *l, struct src *s)
{
	json_error_t e;

	s->doc = json_loadb(s->buf, s->len, JSON_REJECT_DUPLICATES, &e);
	if (!s->doc) {
		struct jsonpos p = syntax_pos(s, &e);
		diag_set(l->d, s->name, p.line, p.column, "%s", e.text);
		return -EINVAL;
	}
	if (!json_is_object(s->doc))
		return fail_at(l, s, "", false, "the file must hold one JSON object");
	return 0;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* Refuse any member of obj (at ptr) not in allowed. */
static int check_keys(struct loader *l, const struct src *s, const char *ptr, const json_t *obj,
		      const char *const *allowed, const char *what)
{
	const char *key;
	json_t *v;
	char p[PTR_MAX];

	json_object_foreach((json_t *)obj, key, v) {
		if (in_list(key, allowed))
			continue;
		ptr_key(p, ptr, key);
		return fail_at(l, s, p, true, "unknown key \"%s\" in %s", key, what);
	}
	return 0;
}

/* {"ja": "...", "en": "..."}, both non-empty. */
static int check_text(struct loader *l, const struct src *s, const char *ptr, const json_t *j,
		      const char *what)
{
	static const char *const langs[] = {"ja", "en", NULL};
	char p[PTR_MAX];
	int r;

	if (!json_is_object(j))
		return fail_at(l, s, ptr, false, "%s must be an object {\"ja\": ..., \"en\": ...}",
			       what);
	r = check_keys(l, s, ptr, j, langs, what);
	if (r < 0)
		return r;
	for (const char *const *lang = langs; *lang; lang++) {
		const json_t *t = json_object_get(j, *lang);
		ptr_key(p, ptr, *lang);
		if (!json_is_string(t) || json_string_length(t) == 0)
			return fail_at(l, s, t ? p : ptr, false, "%s needs a non-empty \"%s\" text",
				       what, *lang);
	}
	return 0;
}

/* ---- the checklist catalog ---- */

/* {edition: {item: true}} from baselines/checklist.json
 * (editions.ED.items[].item; baselines/CHECKLIST-CATALOG.md). */
static int catalog_edition(json_t *cat, const char *ed, const json_t *edition)
{
	const json_t *items = json_object_get(edition, "items"), *it;
	json_t *set = json_object();
	size_t i;

	if (!set || json_object_set_new(cat, ed, set) < 0)
		return -ENOMEM;
	json_array_foreach(items, i, it) {
		const json_t *id = json_object_get(it, "item");
		if (json_is_string(id) &&
		    json_object_set_new(set, json_string_value(id), json_true()) < 0)
			return -ENOMEM;
	}
	return 0;
}

static void load_catalog(struct loader *l)
{
	const struct embedded_file *f = embedded_find("checklist.json");
	json_auto_t *doc = NULL;
	const char *ed;
	json_t *v;

	if (!f)
		return;
	doc = json_loadb(f->data, f->len, 0, NULL);
	l->catalog = json_object();
	if (!doc || !l->catalog)
		return;
	json_object_foreach(json_object_get(doc, "editions"), ed, v)
		if (catalog_edition(l->catalog, ed, v) < 0)
			break;
	if (json_object_size(l->catalog) == 0) {
		json_decref(l->catalog);
		l->catalog = NULL;
	}
}

static bool edition_known(const struct loader *l, const char *e)
{
	static const char *const defaults[] = {"r6", "r7", NULL};

	if (l->catalog)
		return json_object_get(l->catalog, e) != NULL;
	return in_list(e, defaults);
}

/* ---- rule entries ---- */

static struct entry *entry_find(struct loader *l, const char *id)
{
	const json_t *i = json_object_get(l->index, id);

	return i ? &l->ents[json_integer_value(i)] : NULL;
}

static bool valid_rule_id(const char *id)
{
	size_t seg = 0, dots = 0;

	for (const char *p = id; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') {
			seg++;
		} else if (*p == '.' && seg > 0) {
			seg = 0;
			dots++;
		} else {
			return false;
		}
	}
	return seg > 0 && dots > 0;
}

static int entry_add(struct loader *l, json_t *def, const struct src *s, const char *ptr,
		     bool baseline)
{
	const char *id = json_string_value(json_object_get(def, "id"));
	struct entry *e;

	if (l->nents == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct entry *n = reallocarray(l->ents, cap, sizeof(*n));
		if (!n)
			return -ENOMEM;
		l->ents = n;
		l->cap = cap;
	}
	e = &l->ents[l->nents];
	*e = (struct entry){.def = def, .src = s, .from_baseline = baseline};
	snprintf(e->ptr, sizeof(e->ptr), "%s", ptr);
	if (json_object_set_new(l->index, id, json_integer((json_int_t)l->nents)) < 0)
		return -ENOMEM;
	l->nents++;
	return 0;
}

/* A rule's identity: an object with a well-formed, new id. A baseline
 * rule with a library rule's id replaces it. */
static int add_rule(struct loader *l, const struct src *s, json_t *def, const char *ptr,
		    bool baseline)
{
	char p[PTR_MAX];
	const json_t *id = json_object_get(def, "id");
	struct entry *old;

	if (!json_is_object(def))
		return fail_at(l, s, ptr, false, "a rule must be a JSON object");
	ptr_key(p, ptr, "id");
	if (!id)
		return fail_at(l, s, ptr, false, "a rule needs an \"id\"");
	if (!json_is_string(id) || !valid_rule_id(json_string_value(id)))
		return fail_at(l, s, p, false,
			       "bad rule id %s: use lower-case words joined by dots, such as "
			       "\"accounts.inactive\"",
			       json_is_string(id) ? json_string_value(id) : "(not a string)");
	old = entry_find(l, json_string_value(id));
	if (!old)
		return entry_add(l, def, s, ptr, baseline);
	if (!baseline || old->from_baseline)
		return fail_at(l, s, p, false, "duplicate rule id \"%s\"", json_string_value(id));
	old->def = def;
	old->src = s;
	old->from_baseline = true;
	old->disabled = false;
	snprintf(old->ptr, sizeof(old->ptr), "%s", ptr);
	return 0;
}

static int add_rules(struct loader *l, const struct src *s, bool baseline)
{
	json_t *rules = json_object_get(s->doc, "rules"), *def;
	char p[PTR_MAX];
	size_t i;
	int r;

	if (!rules && baseline)
		return 0;
	if (!json_is_array(rules))
		return fail_at(l, s, "/rules", false, "\"rules\" must be a list of rule objects");
	json_array_foreach(rules, i, def) {
		ptr_idx(p, "/rules", i);
		r = add_rule(l, s, def, p, baseline);
		if (r < 0)
			return r;
	}
	return 0;
}

static int cmp_embedded(const void *a, const void *b)
{
	const struct embedded_file *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static bool is_library_file(const char *name)
{
	size_t n = strlen(name);

	return str_startswith(name, "rules/") && !strchr(name + 6, '/') && n > 11 &&
	       strcmp(name + n - 5, ".json") == 0;
}

/* Every embedded rules/NAME.json, in name order. */
static int load_library(struct loader *l)
{
	_cleanup_free_ const struct embedded_file **files =
	    calloc(embedded_count + 1, sizeof(*files));
	static const char *const keys[] = {"rules", NULL};
	int r;

	if (!files)
		return -ENOMEM;
	for (size_t i = 0; i < embedded_count; i++)
		if (is_library_file(embedded_files[i].name))
			files[l->nlib++] = &embedded_files[i];
	qsort(files, l->nlib, sizeof(*files), cmp_embedded);
	l->lib = calloc(l->nlib + 1, sizeof(*l->lib));
	if (!l->lib)
		return -ENOMEM;
	for (size_t i = 0; i < l->nlib; i++) {
		struct src *s = &l->lib[i];
		snprintf(s->name, sizeof(s->name), "<embedded>/%s", files[i]->name);
		s->buf = files[i]->data;
		s->len = files[i]->len;
		r = parse_src(l, s);
		if (r == 0)
			r = check_keys(l, s, "", s->doc, keys, "a rule library file");
		if (r == 0)
			r = add_rules(l, s, false);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- profile and baseline ---- */

static int apply_id_list(struct loader *l, const struct src *s, const char *key, bool disable)
{
	const json_t *list = json_object_get(s->doc, key), *v;
	const json_t *disabled = json_object_get(s->doc, "disable");
	char p[PTR_MAX];
	size_t i, j;
	json_t *d;

	if (!list)
		return 0;
	ptr_key(p, "", key);
	if (!json_is_array(list))
		return fail_at(l, s, p, false, "\"%s\" must be a list of rule ids", key);
	json_array_foreach(list, i, v) {
		struct entry *e = json_is_string(v) ? entry_find(l, json_string_value(v)) : NULL;
		ptr_idx(p, disable ? "/disable" : "/enable", i);
		if (!json_is_string(v))
			return fail_at(l, s, p, false, "\"%s\" must be a list of rule ids", key);
		if (!e)
			return fail_at(l, s, p, false, "unknown rule \"%s\"", json_string_value(v));
		json_array_foreach(disable ? NULL : disabled, j, d)
			if (json_equal(d, v))
				return fail_at(l, s, p, false,
					       "rule \"%s\" is both disabled and enabled",
					       json_string_value(v));
		e->disabled = disable;
	}
	return 0;
}

static int apply_severity(struct loader *l, const struct src *s)
{
	const json_t *map = json_object_get(s->doc, "severity");
	const char *id;
	json_t *v;
	char p[PTR_MAX];

	if (!map)
		return 0;
	if (!json_is_object(map))
		return fail_at(l, s, "/severity", false,
			       "\"severity\" must be an object {\"rule.id\": \"low\", ...}");
	json_object_foreach((json_t *)map, id, v) {
		struct entry *e = entry_find(l, id);
		ptr_key(p, "/severity", id);
		if (!e)
			return fail_at(l, s, p, true, "unknown rule \"%s\"", id);
		if (!json_is_string(v) || !in_list(json_string_value(v), severities))
			return fail_at(l, s, p, false,
				       "unknown severity %s%s%s (use high, medium, low or info)",
				       json_is_string(v) ? "\"" : "",
				       json_is_string(v) ? json_string_value(v) : "(not a string)",
				       json_is_string(v) ? "\"" : "");
		e->severity = json_string_value(v);
	}
	return 0;
}

static int apply_profile(struct loader *l, const char *name)
{
	static const char *const keys[] = {"name",     "description", "params", "disable",
					   "severity", "capture",     NULL};
	struct src *s = &l->profile;
	const json_t *n, *params, *desc;
	int r = check_keys(l, s, "", s->doc, keys, "a profile");

	if (r < 0)
		return r;
	n = json_object_get(s->doc, "name");
	if (!json_is_string(n) || strcmp(json_string_value(n), name) != 0)
		return fail_at(l, s, "/name", false, "the profile's \"name\" must be \"%s\"", name);
	desc = json_object_get(s->doc, "description");
	if (desc && (r = check_text(l, s, "/description", desc, "\"description\"")) < 0)
		return r;
	params = json_object_get(s->doc, "params");
	if (params && !json_is_object(params))
		return fail_at(l, s, "/params", false, "\"params\" must be an object");
	if (params && json_object_update(l->params, (json_t *)params) < 0)
		return -ENOMEM;
	r = apply_id_list(l, s, "disable", true);
	return r < 0 ? r : apply_severity(l, s);
}

/* JSON types that may replace each other: numbers are numbers. */
static int type_class(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_INTEGER:
	case JSON_REAL:
		return JSON_INTEGER;
	case JSON_TRUE:
	case JSON_FALSE:
		return JSON_TRUE;
	default:
		return json_typeof(v);
	}
}

static const char *type_word(const json_t *v)
{
	switch (type_class(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "a number";
	case JSON_TRUE:
		return "true or false";
	default:
		return "null";
	}
}

static int apply_baseline_params(struct loader *l)
{
	const struct src *s = &l->baseline;
	const json_t *map = json_object_get(s->doc, "params");
	const char *k;
	json_t *v;
	char p[PTR_MAX];

	if (!map)
		return 0;
	if (!json_is_object(map))
		return fail_at(l, s, "/params", false, "\"params\" must be an object");
	json_object_foreach((json_t *)map, k, v) {
		const json_t *def = json_object_get(l->params, k);
		ptr_key(p, "/params", k);
		if (!def && json_object_set_new(l->new_params, k, json_true()) < 0)
			return -ENOMEM;
		if (def && !json_is_null(def) && type_class(def) != type_class(v))
			return fail_at(l, s, p, false,
				       "parameter \"%s\" must be %s, like its default in profile "
				       "\"%s\"",
				       k, type_word(def),
				       json_string_value(json_object_get(l->profile.doc, "name")));
		if (json_object_set(l->params, k, v) < 0 ||
		    json_object_set_new(l->from_baseline, k, json_true()) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int apply_baseline(struct loader *l)
{
	struct src *s = &l->baseline;
	const json_t *name = json_object_get(s->doc, "name");
	const json_t *desc = json_object_get(s->doc, "description");
	int r;

	if (name && !json_is_string(name))
		return fail_at(l, s, "/name", false, "\"name\" must be a string");
	if (desc && !json_is_string(desc) &&
	    (r = check_text(l, s, "/description", desc, "\"description\"")) < 0)
		return r;
	r = apply_baseline_params(l);
	if (r == 0)
		r = add_rules(l, s, true);
	if (r == 0)
		r = apply_id_list(l, s, "disable", true);
	if (r == 0)
		r = apply_id_list(l, s, "enable", false);
	if (r == 0)
		r = apply_severity(l, s);
	return r;
}

/* ---- compiling rules ---- */

/* What a field or parameter holds, as far as the loader can tell. */
enum vtype { VT_ANY, VT_STRING, VT_NUMBER, VT_BOOL, VT_TIME, VT_MODE, VT_ARRAY };

static const char *vtype_word(enum vtype t)
{
	static const char *const words[] = {"a free-form", "a string", "a number", "a boolean",
					    "a time",	   "a mode",   "a list"};
	return words[t];
}

static enum vtype vtype_of_col(enum col_type t)
{
	switch (t) {
	case COL_STRING:
		return VT_STRING;
	case COL_INT:
		return VT_NUMBER;
	case COL_BOOL:
		return VT_BOOL;
	case COL_TIME:
		return VT_TIME;
	case COL_MODE:
		return VT_MODE;
	case COL_ARRAY:
		return VT_ARRAY;
	default:
		return VT_ANY;
	}
}

static enum vtype vtype_of_json(const json_t *v)
{
	switch (type_class(v)) {
	case JSON_STRING:
		return VT_STRING;
	case JSON_INTEGER:
		return VT_NUMBER;
	case JSON_TRUE:
		return VT_BOOL;
	case JSON_ARRAY:
		return VT_ARRAY;
	default:
		return VT_ANY;
	}
}

struct cctx {
	struct loader *l;
	const struct src *s;
	const char *id;
	const struct collection *coll;
	json_t *paths; /* field paths the conditions read, in order */
	json_t *prefs; /* parameters the rule references */
};

static int add_unique(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return 0;
	return json_array_append_new(arr, json_string(s)) < 0 ? -ENOMEM : 0;
}

/* A dotted field path whose first component the collection declares. */
static int check_path(struct cctx *c, const char *path, const char *ptr, enum vtype *ret)
{
	const char *dot = strchr(path, '.');
	size_t n = dot ? (size_t)(dot - path) : strlen(path);
	char first[128];
	const struct column *col;

	if (n == 0 || n >= sizeof(first) ||
	    (dot && (!dot[1] || strstr(path, "..") || path[strlen(path) - 1] == '.')))
		return fail_at(c->l, c->s, ptr, false, "malformed field path \"%s\"", path);
	memcpy(first, path, n);
	first[n] = '\0';
	col = column_find(c->coll, first);
	if (!col)
		return fail_at(c->l, c->s, ptr, false, "unknown field \"%s\" in collection \"%s\"",
			       first, c->coll->name);
	if (dot && col->type != COL_OBJECT)
		return fail_at(c->l, c->s, ptr, false,
			       "field \"%s\" of collection \"%s\" has no sub-fields", first,
			       c->coll->name);
	if (ret)
		*ret = dot ? VT_ANY : vtype_of_col(col->type);
	return 0;
}

static int check_param(struct cctx *c, const json_t *name, const char *ptr)
{
	if (!json_is_string(name))
		return fail_at(c->l, c->s, ptr, false, "a parameter name must be a string");
	if (!json_object_get(c->l->params, json_string_value(name)))
		return fail_at(c->l, c->s, ptr, false, "unknown parameter \"%s\"",
			       json_string_value(name));
	return add_unique(c->prefs, json_string_value(name));
}

int rule_mode_parse(const char *s, unsigned *ret)
{
	unsigned v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 6)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '7')
			return -EINVAL;
		v = v * 8 + (unsigned)(*p - '0');
	}
	if (v > 07777)
		return -EINVAL;
	*ret = v;
	return 0;
}

static bool is_time(const json_t *v)
{
	time_t t;

	return json_is_string(v) && time_parse_rfc3339(json_string_value(v), &t) == 0;
}

static bool is_mode(const json_t *v)
{
	unsigned m;

	return json_is_string(v) && rule_mode_parse(json_string_value(v), &m) == 0;
}

static bool is_glob_list(const json_t *v)
{
	size_t i;
	json_t *g;

	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, g)
		if (!json_is_string(g))
			return false;
	return true;
}

/* What eq/ne may compare a field of type t with; NULL if v fits. */
static const char *eq_problem(enum vtype t, const json_t *v)
{
	switch (t) {
	case VT_STRING:
		return json_is_string(v) ? NULL : "a string";
	case VT_NUMBER:
		return json_is_number(v) ? NULL : "a number";
	case VT_BOOL:
		return json_is_boolean(v) ? NULL : "true or false";
	case VT_TIME:
		return is_time(v) ? NULL : "an RFC 3339 time such as \"2026-01-31T00:00:00Z\"";
	case VT_MODE:
		return is_mode(v) ? NULL : "an octal mode such as \"0640\"";
	case VT_ARRAY:
		return json_is_array(v) ? NULL : "a list";
	default:
		return json_is_object(v) ? "a string, number, boolean or list" : NULL;
	}
}

/* What op needs as its value for a field of type t; NULL if v fits. */
static const char *value_problem(enum cond_op op, enum vtype t, const json_t *v)
{
	switch (op) {
	case OP_EQ:
	case OP_NE:
		return eq_problem(t, v);
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		if (t != VT_TIME && json_is_number(v))
			return NULL;
		if (t != VT_NUMBER && is_time(v))
			return NULL;
		return t == VT_NUMBER ? "a number"
		       : t == VT_TIME ? "an RFC 3339 time such as \"2026-01-31T00:00:00Z\""
				      : "a number or an RFC 3339 time";
	case OP_IN:
	case OP_NOT_IN:
		return is_glob_list(v) ? NULL : "a list of glob strings";
	case OP_CONTAINS:
		return json_is_string(v) || is_glob_list(v)
			   ? NULL
			   : "a glob string or a list of glob strings";
	case OP_GLOB:
	case OP_REGEX:
		return json_is_string(v) ? NULL : "a string";
	case OP_MODE_LE:
		return is_mode(v) ? NULL : "an octal mode such as \"0640\"";
	default:
		return NULL;
	}
}

/* Whether op makes sense on a field of type t at all. */
static bool op_applies(enum cond_op op, enum vtype t)
{
	if (t == VT_ANY)
		return true;
	switch (op) {
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		return t == VT_NUMBER || t == VT_TIME;
	case OP_IN:
	case OP_NOT_IN:
		return t == VT_STRING || t == VT_TIME || t == VT_MODE || t == VT_ARRAY;
	case OP_CONTAINS:
		return t == VT_ARRAY;
	case OP_GLOB:
	case OP_REGEX:
		return t == VT_STRING || t == VT_TIME || t == VT_MODE;
	case OP_MODE_LE:
		return t == VT_MODE;
	default:
		return true;
	}
}

static const char *const op_names[] = {
    [OP_EQ] = "eq",	    [OP_NE] = "ne",	      [OP_LT] = "lt",
    [OP_LE] = "le",	    [OP_GT] = "gt",	      [OP_GE] = "ge",
    [OP_IN] = "in",	    [OP_NOT_IN] = "not_in",   [OP_CONTAINS] = "contains",
    [OP_GLOB] = "glob",	    [OP_REGEX] = "regex",     [OP_EXISTS] = "exists",
    [OP_ABSENT] = "absent", [OP_MODE_LE] = "mode_le",
};

const char *cond_op_name(enum cond_op op)
{
	return (size_t)op < ARRAY_SIZE(op_names) ? op_names[op] : NULL;
}

int cond_op_from_name(const char *name, enum cond_op *ret)
{
	for (size_t i = 0; i < ARRAY_SIZE(op_names); i++) {
		if (op_names[i] && strcmp(op_names[i], name) == 0) {
			*ret = (enum cond_op)i;
			return 0;
		}
	}
	return -ENOENT;
}

void cond_free(struct cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	free(c->name);
	free(c->value_param);
	json_decref(c->value);
	if (c->has_re)
		regfree(&c->re);
	free(c);
}

static inline void cond_freep(struct cond **c)
{
	cond_free(*c);
}
#define _cleanup_cond_ _cleanup_(cond_freep)

void rule_prog_clear(struct rule_prog *p)
{
	cond_free(p->where);
	cond_free(p->assert);
	json_decref(p->evidence);
	json_decref(p->params);
	*p = (struct rule_prog){0};
}

/* Compile a regular expression; on failure the message goes into err. */
static int compile_re(struct cond *cd, const char *pattern, char *err, size_t errsz)
{
	int r = regcomp(&cd->re, pattern, REG_EXTENDED | REG_NOSUB);

	if (r != 0) {
		regerror(r, &cd->re, err, errsz);
		return -EINVAL;
	}
	cd->has_re = true;
	return 0;
}

/* The source of a leaf: exactly one of "path", "count", "param". */
static int leaf_source(struct cctx *c, const json_t *j, const char *ptr, struct cond *cd,
		       enum vtype *t)
{
	static const char *const srcs[] = {"path", "count", "param", NULL};
	const char *key = NULL, *k;
	json_t *v, *name = NULL;
	char p[PTR_MAX];
	int r;

	json_object_foreach((json_t *)j, k, v) {
		if (!in_list(k, srcs))
			continue;
		ptr_key(p, ptr, k);
		if (key)
			return fail_at(c->l, c->s, p, true,
				       "a condition takes only one of \"path\", \"count\" and "
				       "\"param\"");
		key = k;
		name = v;
	}
	if (!key)
		return fail_at(c->l, c->s, ptr, false,
			       "a condition needs \"path\", \"count\" or \"param\" (or one of "
			       "all, any, none, not)");
	ptr_key(p, ptr, key);
	cd->src =
	    key[0] == 'p' ? (key[1] == 'a' && key[2] == 't' ? SRC_PATH : SRC_PARAM) : SRC_COUNT;
	if (cd->src == SRC_PARAM) {
		r = check_param(c, name, p);
		*t = r < 0 ? VT_ANY
			   : vtype_of_json(json_object_get(c->l->params, json_string_value(name)));
	} else if (!json_is_string(name)) {
		return fail_at(c->l, c->s, p, false, "a field path must be a string");
	} else {
		r = check_path(c, json_string_value(name), p, t);
		if (r == 0)
			r = add_unique(c->paths, json_string_value(name));
	}
	if (r < 0)
		return r;
	cd->name = strdup(json_string_value(name));
	return cd->name ? 0 : -ENOMEM;
}

static bool op_numeric(enum cond_op op)
{
	return op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_LE || op == OP_GT ||
	       op == OP_GE;
}

static int leaf_op(struct cctx *c, const json_t *j, const char *ptr, struct cond *cd, enum vtype *t)
{
	const json_t *op = json_object_get(j, "op");
	char p[PTR_MAX];

	ptr_key(p, ptr, "op");
	if (!op)
		return fail_at(c->l, c->s, ptr, false, "a condition needs an \"op\"");
	if (!json_is_string(op))
		return fail_at(c->l, c->s, p, false, "\"op\" must be a string");
	if (cond_op_from_name(json_string_value(op), &cd->op) < 0)
		return fail_at(c->l, c->s, p, false, "unknown operator \"%s\"",
			       json_string_value(op));
	if (cd->src == SRC_COUNT) {
		if (*t != VT_ARRAY && *t != VT_ANY)
			return fail_at(c->l, c->s, p, false,
				       "\"count\" needs a list field, and \"%s\" is %s field",
				       cd->name, vtype_word(*t));
		if (!op_numeric(cd->op))
			return fail_at(c->l, c->s, p, false,
				       "operator \"%s\" cannot be used with \"count\" (use eq, ne, "
				       "lt, le, gt or ge)",
				       cond_op_name(cd->op));
		*t = VT_NUMBER;
	}
	if (!op_applies(cd->op, *t))
		return fail_at(c->l, c->s, p, false, "operator \"%s\" does not apply to %s field",
			       cond_op_name(cd->op), vtype_word(*t));
	return 0;
}

/* The value is {"param": NAME}: check the parameter's current value. */
static int leaf_param_value(struct cctx *c, const json_t *v, const char *ptr, struct cond *cd,
			    enum vtype t)
{
	const json_t *name = json_object_get(v, "param"), *pv;
	struct loader *l = c->l;
	char p[PTR_MAX], err[256];
	const char *problem;
	const struct src *ps;

	ptr_key(p, ptr, "param");
	if (!name || json_object_size(v) != 1)
		return fail_at(l, c->s, ptr, false, "a value object must be {\"param\": NAME}");
	int r = check_param(c, name, p);
	if (r < 0)
		return r;
	cd->value_param = strdup(json_string_value(name));
	if (!cd->value_param)
		return -ENOMEM;
	pv = json_object_get(l->params, cd->value_param);
	if (json_is_null(pv))
		return 0; /* unset: the condition will be unknown */
	ps = json_object_get(l->from_baseline, cd->value_param) ? &l->baseline : &l->profile;
	ptr_key(p, "/params", cd->value_param);
	problem = value_problem(cd->op, t, pv);
	if (problem)
		return fail_at(l, ps, p, false,
			       "parameter \"%s\" must be %s for operator \"%s\" in rule \"%s\"",
			       cd->value_param, problem, cond_op_name(cd->op), c->id);
	if (cd->op == OP_REGEX && compile_re(cd, json_string_value(pv), err, sizeof(err)) < 0)
		return fail_at(l, ps, p, false, "bad regular expression in parameter \"%s\": %s",
			       cd->value_param, err);
	return 0;
}

static int leaf_value(struct cctx *c, const json_t *j, const char *ptr, struct cond *cd,
		      enum vtype t)
{
	const json_t *v = json_object_get(j, "value");
	const char *op = cond_op_name(cd->op), *problem;
	char p[PTR_MAX], err[256];

	ptr_key(p, ptr, "value");
	if (cd->op == OP_EXISTS || cd->op == OP_ABSENT)
		return v ? fail_at(c->l, c->s, p, true, "operator \"%s\" takes no value", op) : 0;
	if (!v)
		return fail_at(c->l, c->s, ptr, false, "operator \"%s\" needs a \"value\"", op);
	if (json_is_object(v))
		return leaf_param_value(c, v, p, cd, t);
	if (json_is_null(v))
		return fail_at(c->l, c->s, p, false,
			       "null cannot be compared (a null field is unknown; use exists or "
			       "absent for keys)");
	problem = value_problem(cd->op, t, v);
	if (problem)
		return fail_at(c->l, c->s, p, false,
			       "the value of operator \"%s\" on \"%s\" must be %s", op, cd->name,
			       problem);
	if (cd->op == OP_REGEX && compile_re(cd, json_string_value(v), err, sizeof(err)) < 0)
		return fail_at(c->l, c->s, p, false, "bad regular expression: %s", err);
	cd->value = json_incref((json_t *)v);
	return 0;
}

static int compile_leaf(struct cctx *c, const json_t *j, const char *ptr, struct cond *cd)
{
	static const char *const keys[] = {"path", "count", "param", "op", "value", NULL};
	enum vtype t = VT_ANY;
	int r = check_keys(c->l, c->s, ptr, j, keys, "a condition");

	cd->kind = COND_LEAF;
	if (r == 0)
		r = leaf_source(c, j, ptr, cd, &t);
	if (r == 0)
		r = leaf_op(c, j, ptr, cd, &t);
	if (r == 0)
		r = leaf_value(c, j, ptr, cd, t);
	return r;
}

static int compile_cond(struct cctx *c, const json_t *j, const char *ptr, int depth,
			struct cond **ret);

static int compile_combinator(struct cctx *c, const json_t *j, const char *ptr, const char *key,
			      int depth, struct cond *cd)
{
	const json_t *list = json_object_get(j, key);
	char p[PTR_MAX], q[PTR_MAX];
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)j, k, v) {
		ptr_key(p, ptr, k);
		if (strcmp(k, key) != 0)
			return fail_at(c->l, c->s, p, true, "\"%s\" takes no other keys", key);
	}
	ptr_key(p, ptr, key);
	cd->kind = key[0] == 'a' ? (key[1] == 'l' ? COND_ALL : COND_ANY)
				 : (key[1] == 'o' && key[2] == 'n' ? COND_NONE : COND_NOT);
	size_t n = cd->kind == COND_NOT ? 1 : json_array_size(list);
	if (cd->kind != COND_NOT && (!json_is_array(list) || n == 0))
		return fail_at(c->l, c->s, p, false, "\"%s\" needs a non-empty list of conditions",
			       key);
	cd->kids = calloc(n, sizeof(*cd->kids));
	if (!cd->kids)
		return -ENOMEM;
	for (i = 0; i < n; i++, cd->nkids++) {
		const json_t *kid = cd->kind == COND_NOT ? list : json_array_get(list, i);
		if (cd->kind == COND_NOT)
			snprintf(q, sizeof(q), "%s", p);
		else
			ptr_idx(q, p, i);
		int r = compile_cond(c, kid, q, depth + 1, &cd->kids[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *combinator_key(const json_t *j)
{
	static const char *const keys[] = {"all", "any", "none", "not", NULL};

	for (const char *const *k = keys; *k; k++)
		if (json_object_get(j, *k))
			return *k;
	return NULL;
}

static int compile_cond(struct cctx *c, const json_t *j, const char *ptr, int depth,
			struct cond **ret)
{
	_cleanup_cond_ struct cond *cd = calloc(1, sizeof(*cd));
	const char *comb;
	int r;

	if (!cd)
		return -ENOMEM;
	if (depth > LIMIT_RULE_DEPTH)
		return fail_at(c->l, c->s, ptr, false, "conditions nested deeper than %d levels",
			       LIMIT_RULE_DEPTH);
	if (!json_is_object(j))
		return fail_at(c->l, c->s, ptr, false, "a condition must be a JSON object");
	comb = combinator_key(j);
	r = comb ? compile_combinator(c, j, ptr, comb, depth, cd) : compile_leaf(c, j, ptr, cd);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(cd);
	return 0;
}

/* ---- rule shape, templates, checklist ---- */

/* "{field}", "{a.b}", "{param:NAME}" and "{{" (a literal brace). */
static int check_template(struct cctx *c, const json_t *t, const char *ptr)
{
	const char *s = json_string_value(t), *close;
	char name[256];
	int r;

	if (!s)
		return fail_at(c->l, c->s, ptr, false, "a template must be a string");
	for (const char *p = strchr(s, '{'); p; p = strchr(p, '{')) {
		if (p[1] == '{') {
			p += 2;
			continue;
		}
		close = strchr(p, '}');
		if (!close)
			return fail_at(c->l, c->s, ptr, false, "unterminated \"{\" in template");
		size_t n = (size_t)(close - p - 1);
		if (n == 0 || n >= sizeof(name))
			return fail_at(c->l, c->s, ptr, false, "bad placeholder in template");
		memcpy(name, p + 1, n);
		name[n] = '\0';
		if (str_startswith(name, "param:")) {
			json_auto_t *pn = json_string(name + 6);
			r = check_param(c, pn, ptr);
		} else {
			r = check_path(c, name, ptr, NULL);
		}
		if (r < 0)
			return r;
		p = close + 1;
	}
	return 0;
}

static int check_checklist(struct cctx *c, const json_t *cl, const char *ptr)
{
	const char *ed;
	json_t *items, *item;
	char p[PTR_MAX], q[PTR_MAX];
	size_t i, total = 0;

	if (!json_is_object(cl))
		return fail_at(c->l, c->s, ptr, false,
			       "\"checklist\" must be an object such as {\"r6\": [\"2(5)\"]}");
	json_object_foreach((json_t *)cl, ed, items) {
		const json_t *known = c->l->catalog ? json_object_get(c->l->catalog, ed) : NULL;
		ptr_key(p, ptr, ed);
		if (!edition_known(c->l, ed))
			return fail_at(c->l, c->s, p, true, "unknown checklist edition \"%s\"", ed);
		if (!json_is_array(items))
			return fail_at(c->l, c->s, p, false,
				       "checklist items must be a list of strings");
		json_array_foreach(items, i, item) {
			ptr_idx(q, p, i);
			if (!json_is_string(item))
				return fail_at(c->l, c->s, q, false,
					       "a checklist item must be a string");
			if (known && !json_object_get(known, json_string_value(item)))
				return fail_at(c->l, c->s, q, false,
					       "unknown checklist item \"%s\" in edition %s",
					       json_string_value(item), ed);
			total++;
		}
	}
	return total ? 0 : fail_at(c->l, c->s, ptr, false, "\"checklist\" names no item");
}

static int check_requires(struct cctx *c, const json_t *req, const char *ptr)
{
	char p[PTR_MAX];
	json_t *v;
	size_t i;
	int r;

	if (!req)
		return 0;
	if (!json_is_array(req))
		return fail_at(c->l, c->s, ptr, false, "\"requires\" must be a list of parameters");
	json_array_foreach(req, i, v) {
		ptr_idx(p, ptr, i);
		r = check_param(c, v, p);
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *const rule_keys[] = {"id",	      "title",	       "checklist",   "severity",
					"each",	      "where",	       "assert",      "requires",
					"subject",    "message",       "remediation", "evidence",
					"when_empty", "empty_message", NULL};

static int check_required(struct cctx *c, const json_t *def, const char *ptr)
{
	static const char *const required[] = {"title",	  "checklist", "each", "assert",
					       "subject", "message",   NULL};

	for (const char *const *k = required; *k; k++)
		if (!json_object_get(def, *k))
			return fail_at(c->l, c->s, ptr, false, "rule \"%s\" needs \"%s\"", c->id,
				       *k);
	return 0;
}

/* title, checklist, severity: what does not depend on the collection. */
static int check_header(struct cctx *c, const json_t *def, const char *ptr)
{
	const json_t *sev = json_object_get(def, "severity");
	char p[PTR_MAX];
	int r = check_keys(c->l, c->s, ptr, def, rule_keys, "a rule");

	if (r == 0)
		r = check_required(c, def, ptr);
	ptr_key(p, ptr, "title");
	if (r == 0)
		r = check_text(c->l, c->s, p, json_object_get(def, "title"), "\"title\"");
	ptr_key(p, ptr, "checklist");
	if (r == 0)
		r = check_checklist(c, json_object_get(def, "checklist"), p);
	ptr_key(p, ptr, "severity");
	if (r == 0 && sev && (!json_is_string(sev) || !in_list(json_string_value(sev), severities)))
		r = fail_at(c->l, c->s, p, false,
			    "unknown severity %s%s%s (use high, medium, low or info)",
			    json_is_string(sev) ? "\"" : "",
			    json_is_string(sev) ? json_string_value(sev) : "(not a string)",
			    json_is_string(sev) ? "\"" : "");
	return r;
}

/* "each": a collection some probe declares; sets c->coll. */
static int find_collection(struct cctx *c, const json_t *def, const char *ptr,
			   const struct probe **ret_probe)
{
	const json_t *each = json_object_get(def, "each");
	char p[PTR_MAX];

	ptr_key(p, ptr, "each");
	if (!each)
		return fail_at(c->l, c->s, ptr, false, "\"%s\" needs \"each\"", c->id);
	if (!json_is_string(each))
		return fail_at(c->l, c->s, p, false, "\"each\" must name a collection");
	c->coll = collection_find(json_string_value(each), ret_probe);
	if (!c->coll)
		return fail_at(c->l, c->s, p, false, "unknown collection \"%s\"",
			       json_string_value(each));
	return 0;
}

static int check_each(struct cctx *c, const json_t *def, const char *ptr, struct rule_prog *prog)
{
	const struct probe *probe = NULL;
	int r = find_collection(c, def, ptr, &probe);

	if (r < 0)
		return r;
	prog->collection = json_string_value(json_object_get(def, "each"));
	prog->single = c->coll->single;
	prog->probe = probe ? probe->name : NULL;
	return 0;
}

static int check_evidence(struct cctx *c, const json_t *def, const char *ptr,
			  struct rule_prog *prog)
{
	const json_t *ev = json_object_get(def, "evidence");
	char p[PTR_MAX], q[PTR_MAX];
	json_t *v;
	size_t i;
	int r;

	if (!ev) {
		prog->evidence = json_incref(c->paths);
		return 0;
	}
	ptr_key(p, ptr, "evidence");
	if (!json_is_array(ev))
		return fail_at(c->l, c->s, p, false, "\"evidence\" must be a list of field paths");
	prog->evidence = json_array();
	if (!prog->evidence)
		return -ENOMEM;
	json_array_foreach(ev, i, v) {
		ptr_idx(q, p, i);
		if (!json_is_string(v))
			return fail_at(c->l, c->s, q, false, "a field path must be a string");
		r = check_path(c, json_string_value(v), q, NULL);
		if (r == 0)
			r = add_unique(prog->evidence, json_string_value(v));
		if (r < 0)
			return r;
	}
	return 0;
}

/* A "{" that is not "{{": a placeholder in a text that is not a template. */
static bool has_placeholder(const char *s)
{
	for (const char *p = s ? strchr(s, '{') : NULL; p; p = strchr(p, '{')) {
		if (p[1] != '{')
			return true;
		p += 2;
	}
	return false;
}

static int check_texts(struct cctx *c, const json_t *def, const char *ptr)
{
	const json_t *msg = json_object_get(def, "message");
	const json_t *rem = json_object_get(def, "remediation");
	char p[PTR_MAX], q[PTR_MAX];
	int r;

	ptr_key(p, ptr, "subject");
	r = check_template(c, json_object_get(def, "subject"), p);
	ptr_key(p, ptr, "message");
	if (r == 0)
		r = check_text(c->l, c->s, p, msg, "\"message\"");
	ptr_key(q, p, "ja");
	if (r == 0)
		r = check_template(c, json_object_get(msg, "ja"), q);
	ptr_key(q, p, "en");
	if (r == 0)
		r = check_template(c, json_object_get(msg, "en"), q);
	ptr_key(p, ptr, "remediation");
	if (r == 0 && rem)
		r = check_text(c->l, c->s, p, rem, "\"remediation\"");
	for (const char *const *lang = (const char *const[]){"ja", "en", NULL};
	     r == 0 && rem && *lang; lang++) {
		ptr_key(q, p, *lang);
		if (has_placeholder(json_string_value(json_object_get(rem, *lang))))
			r = fail_at(c->l, c->s, q, false,
				    "\"remediation\" is plain text: a placeholder would be printed "
				    "as is (write {{ for a brace)");
	}
	return r;
}

/* "empty_message": a text of its own for the host-level finding of an
 * empty set. No element is there to fill a field, so only {param:NAME}
 * placeholders are allowed. */
static int check_empty_message(struct cctx *c, const json_t *t, const char *ptr)
{
	const char *s = json_string_value(t), *close;
	char name[256];

	for (const char *p = s ? strchr(s, '{') : NULL; p; p = strchr(p, '{')) {
		if (p[1] == '{') {
			p += 2;
			continue;
		}
		close = strchr(p, '}');
		size_t n = close ? (size_t)(close - p - 1) : 0;
		if (!close || n <= 6 || n >= sizeof(name) || strncmp(p + 1, "param:", 6) != 0)
			return fail_at(c->l, c->s, ptr, false,
				       "\"empty_message\" may only use {param:NAME}: no element "
				       "is there to fill a field");
		memcpy(name, p + 7, n - 6);
		name[n - 6] = '\0';
		json_auto_t *pn = json_string(name);
		int r = check_param(c, pn, ptr);
		if (r < 0)
			return r;
		p = close + 1;
	}
	return 0;
}

/* "when_empty": what the rule answers when its set is empty or every
 * element was filtered out by "where" (RULES.md, "Empty sets"). Required
 * for a rule over a list, and for a rule over one object that "where"
 * can filter out: absence is evidence only where the rule's author says
 * so. */
static int check_when_empty(struct cctx *c, const json_t *def, const char *ptr,
			    struct rule_prog *prog)
{
	static const char *const values[] = {"pass", "unknown", "fail", NULL};
	const json_t *we = json_object_get(def, "when_empty");
	const json_t *msg = json_object_get(def, "empty_message");
	char p[PTR_MAX], q[PTR_MAX];
	int r = 0;

	ptr_key(p, ptr, "when_empty");
	if (!we && (!prog->single || json_object_get(def, "where")))
		return fail_at(c->l, c->s, ptr, false,
			       "rule \"%s\" needs \"when_empty\" (\"pass\", \"unknown\" or "
			       "\"fail\"): what it answers when no %s %s",
			       c->id, prog->collection,
			       prog->single ? "is selected by \"where\"" : "element is found");
	if (we && (!json_is_string(we) || !in_list(json_string_value(we), values)))
		return fail_at(c->l, c->s, p, false,
			       "\"when_empty\" must be \"pass\", \"unknown\" or \"fail\"");
	prog->when_empty = !we						? EMPTY_UNKNOWN
			   : strcmp(json_string_value(we), "pass") == 0 ? EMPTY_PASS
			   : strcmp(json_string_value(we), "fail") == 0 ? EMPTY_FAIL
									: EMPTY_UNKNOWN;
	if (!msg)
		return 0;
	ptr_key(p, ptr, "empty_message");
	r = check_text(c->l, c->s, p, msg, "\"empty_message\"");
	ptr_key(q, p, "ja");
	if (r == 0)
		r = check_empty_message(c, json_object_get(msg, "ja"), q);
	ptr_key(q, p, "en");
	if (r == 0)
		r = check_empty_message(c, json_object_get(msg, "en"), q);
	return r;
}

/* Parameters whose (non-null, scalar) values are shown in the evidence. */
static int scalar_params(struct cctx *c, struct rule_prog *prog)
{
	json_t *v;
	size_t i;

	prog->params = json_array();
	if (!prog->params)
		return -ENOMEM;
	json_array_foreach(c->prefs, i, v) {
		const json_t *pv = json_object_get(c->l->params, json_string_value(v));
		if (!pv || json_is_null(pv) || json_is_array(pv) || json_is_object(pv))
			continue;
		if (json_array_append(prog->params, v) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int compile_rule(struct loader *l, struct entry *e)
{
	json_auto_t *paths = json_array(), *prefs = json_array();
	struct cctx c = {.l = l, .s = e->src, .paths = paths, .prefs = prefs};
	struct rule_prog *prog = &e->prog;
	const json_t *where = json_object_get(e->def, "where");
	char p[PTR_MAX];
	int r;

	if (!paths || !prefs)
		return -ENOMEM;
	c.id = json_string_value(json_object_get(e->def, "id"));
	r = check_header(&c, e->def, e->ptr);
	if (r == 0)
		r = check_each(&c, e->def, e->ptr, prog);
	ptr_key(p, e->ptr, "requires");
	if (r == 0)
		r = check_requires(&c, json_object_get(e->def, "requires"), p);
	ptr_key(p, e->ptr, "where");
	if (r == 0 && where)
		r = compile_cond(&c, where, p, 0, &prog->where);
	ptr_key(p, e->ptr, "assert");
	if (r == 0)
		r = compile_cond(&c, json_object_get(e->def, "assert"), p, 0, &prog->assert);
	if (r == 0)
		r = check_evidence(&c, e->def, e->ptr, prog);
	if (r == 0)
		r = check_texts(&c, e->def, e->ptr);
	if (r == 0)
		r = check_when_empty(&c, e->def, e->ptr, prog);
	if (r == 0)
		r = scalar_params(&c, prog);
	if (r == 0 && e->from_baseline && json_array_extend(l->baseline_refs, prefs) < 0)
		r = -ENOMEM;
	return r;
}

/* A parameter the baseline declared must be used by one of its rules:
 * otherwise it is most likely a misspelt profile parameter. */
static int check_new_params(struct loader *l)
{
	const char *k;
	json_t *v, *ref;
	char p[PTR_MAX];
	size_t i;

	json_object_foreach(l->new_params, k, v) {
		bool used = false;
		json_array_foreach(l->baseline_refs, i, ref)
			used = used || strcmp(json_string_value(ref), k) == 0;
		if (used)
			continue;
		ptr_key(p, "/params", k);
		return fail_at(
		    l, &l->baseline, p, true,
		    "unknown parameter \"%s\" (profile \"%s\" does not declare it and no "
		    "rule of this baseline uses it)",
		    k, json_string_value(json_object_get(l->profile.doc, "name")));
	}
	return 0;
}

/* ---- the profile's capture section (`tenken baseline init`) ---- */

static void capture_clear(struct capture_prog *cp)
{
	free(cp->param);
	free(cp->collection);
	cond_free(cp->where);
	free(cp->field);
	*cp = (struct capture_prog){0};
}

/* {"PARAM": {"each": COLLECTION, "where": COND, "field": PATH}} */
static int compile_capture(struct loader *l, const char *param, const json_t *spec, const char *ptr,
			   struct capture_prog *cp)
{
	static const char *const keys[] = {"each", "where", "field", NULL};
	json_auto_t *paths = json_array(), *prefs = json_array();
	struct cctx c = {.l = l, .s = &l->profile, .id = param, .paths = paths, .prefs = prefs};
	const json_t *where = json_object_get(spec, "where"),
		     *field = json_object_get(spec, "field");
	char p[PTR_MAX];
	int r;

	if (!paths || !prefs)
		return -ENOMEM;
	if (!json_object_get(l->params, param))
		return fail_at(l, c.s, ptr, true, "unknown parameter \"%s\"", param);
	if (!json_is_object(spec))
		return fail_at(l, c.s, ptr, false, "a capture must be an object");
	r = check_keys(l, c.s, ptr, spec, keys, "a capture");
	if (r == 0)
		r = find_collection(&c, spec, ptr, NULL);
	ptr_key(p, ptr, "where");
	if (r == 0 && where)
		r = compile_cond(&c, where, p, 0, &cp->where);
	ptr_key(p, ptr, "field");
	if (r == 0 && !json_is_string(field))
		r = fail_at(l, c.s, field ? p : ptr, false, "a capture needs a \"field\" path");
	if (r == 0)
		r = check_path(&c, json_string_value(field), p, NULL);
	if (r < 0)
		return r;
	cp->param = strdup(param);
	cp->collection = strdup(c.coll->name);
	cp->field = strdup(json_string_value(field));
	cp->single = c.coll->single;
	return cp->param && cp->collection && cp->field ? 0 : -ENOMEM;
}

static int compile_captures(struct loader *l)
{
	const json_t *cap = json_object_get(l->profile.doc, "capture");
	const char *k;
	json_t *v;
	char p[PTR_MAX];
	int r;

	if (!cap)
		return 0;
	if (!json_is_object(cap))
		return fail_at(l, &l->profile, "/capture", false, "\"capture\" must be an object");
	l->caps = calloc(json_object_size(cap) + 1, sizeof(*l->caps));
	if (!l->caps)
		return -ENOMEM;
	json_object_foreach((json_t *)cap, k, v) {
		ptr_key(p, "/capture", k);
		r = compile_capture(l, k, v, p, &l->caps[l->ncaps]);
		l->ncaps++;
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- putting it together ---- */

static void loader_done(struct loader *l)
{
	for (size_t i = 0; i < l->nents; i++)
		rule_prog_clear(&l->ents[i].prog);
	free(l->ents);
	for (size_t i = 0; i < l->ncaps; i++)
		capture_clear(&l->caps[i]);
	free(l->caps);
	for (size_t i = 0; i < l->nlib; i++)
		json_decref(l->lib[i].doc);
	free(l->lib);
	json_decref(l->profile.doc);
	json_decref(l->baseline.doc);
	json_decref(l->catalog);
	json_decref(l->index);
	json_decref(l->params);
	json_decref(l->from_baseline);
	json_decref(l->new_params);
	json_decref(l->baseline_refs);
}

static int sha256_hex(const char *buf, size_t len, char out[static 65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -EIO;
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct entry *const *x = a, *const *y = b;

	return strcmp(json_string_value(json_object_get((*x)->def, "id")),
		      json_string_value(json_object_get((*y)->def, "id")));
}

/* The effective rule: its definition with the final severity. */
static json_t *effective_rule(const struct entry *e)
{
	json_t *r = json_deep_copy(e->def);
	const char *sev = e->severity;

	if (!r)
		return NULL;
	if (!sev && !json_object_get(r, "severity"))
		sev = "medium";
	if (sev && json_object_set_new(r, "severity", json_string(sev)) < 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

static int build_rules(struct loader *l, struct ruleset *rs)
{
	_cleanup_free_ struct entry **order = calloc(l->nents + 1, sizeof(*order));
	size_t n = 0;

	rs->rules = json_array();
	rs->progs = calloc(l->nents + 1, sizeof(*rs->progs));
	if (!order || !rs->rules || !rs->progs)
		return -ENOMEM;
	for (size_t i = 0; i < l->nents; i++)
		if (!l->ents[i].disabled)
			order[n++] = &l->ents[i];
	qsort(order, n, sizeof(*order), cmp_entries);
	for (size_t i = 0; i < n; i++) {
		json_t *r = effective_rule(order[i]);
		if (!r || json_array_append_new(rs->rules, r) < 0)
			return -ENOMEM;
		rs->progs[i] = order[i]->prog;
		order[i]->prog = (struct rule_prog){0};
		rs->progs[i].rule = r;
		rs->progs[i].collection = json_string_value(json_object_get(r, "each"));
		rs->nprogs++;
	}
	return 0;
}

static int build_info(struct loader *l, const char *name, const char *profile, struct ruleset *rs)
{
	const struct src *s = l->has_baseline ? &l->baseline : &l->profile;
	const char *bname = profile;
	char hex[65];
	int r = sha256_hex(s->buf, s->len, hex);

	if (r < 0)
		return r;
	if (l->has_baseline) {
		const json_t *n = json_object_get(l->baseline.doc, "name");
		const char *slash = strrchr(name, '/');
		bname = n ? json_string_value(n) : slash ? slash + 1 : name;
	}
	rs->baseline_info =
	    json_pack("{s:s, s:s, s:s}", "name", bname, "profile", profile, "sha256", hex);
	rs->params = json_deep_copy(l->params);
	rs->profile = strdup(profile);
	rs->captures = TAKE_PTR(l->caps);
	rs->ncaptures = l->ncaps;
	l->ncaps = 0;
	return rs->baseline_info && rs->params && rs->profile ? 0 : -ENOMEM;
}

static void list_profiles(char *out, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < embedded_count && o < n; i++) {
		const char *f = embedded_files[i].name;
		if (!str_startswith(f, "profiles/"))
			continue;
		int w = snprintf(out + o, n - o, "%s%.*s", o ? ", " : "",
				 (int)(strlen(f) - strlen("profiles/") - strlen(".json")),
				 f + strlen("profiles/"));
		o += w > 0 ? (size_t)w : 0;
	}
}

/* Which profile: --profile, else the baseline's "extends", else server.
 * Both given and different is an error at "extends". */
static int pick_profile(struct loader *l, const char *arg, const char **ret)
{
	const json_t *ext = l->has_baseline ? json_object_get(l->baseline.doc, "extends") : NULL;
	const char *name = arg;
	char path[256], names[256];

	if (ext && !json_is_string(ext))
		return fail_at(l, &l->baseline, "/extends", false,
			       "\"extends\" must name a shipped profile");
	if (ext && arg && strcmp(arg, json_string_value(ext)) != 0)
		return fail_at(l, &l->baseline, "/extends", false,
			       "the baseline extends \"%s\" but --profile %s was given",
			       json_string_value(ext), arg);
	if (!name)
		name = ext ? json_string_value(ext) : "server";
	snprintf(path, sizeof(path), "profiles/%s.json", name);
	if (embedded_find(path) && !strchr(name, '/')) {
		*ret = name;
		return 0;
	}
	list_profiles(names, sizeof(names));
	if (ext)
		return fail_at(l, &l->baseline, "/extends", false,
			       "unknown profile \"%s\" (shipped: %s)", name, names);
	diag_set(l->d, "<command line>", 0, 0, "unknown profile \"%s\" (shipped: %s)", name, names);
	return -EINVAL;
}

static int load_profile(struct loader *l, const char *name)
{
	char path[256];
	const struct embedded_file *f;

	snprintf(path, sizeof(path), "profiles/%s.json", name);
	f = embedded_find(path);
	if (!f)
		return -ENOENT;
	snprintf(l->profile.name, sizeof(l->profile.name), "<embedded>/%s", path);
	l->profile.buf = f->data;
	l->profile.len = f->len;
	int r = parse_src(l, &l->profile);
	return r < 0 ? r : apply_profile(l, name);
}

static int read_baseline_doc(struct loader *l, const char *name, const char *buf, size_t len)
{
	static const char *const keys[] = {"name",   "description", "extends", "params", "disable",
					   "enable", "severity",    "rules",   NULL};
	struct src *s = &l->baseline;
	int r;

	snprintf(s->name, sizeof(s->name), "%s", name ? name : "<baseline>");
	s->buf = buf;
	s->len = len;
	l->has_baseline = true;
	r = parse_src(l, s);
	return r < 0 ? r : check_keys(l, s, "", s->doc, keys, "a baseline");
}

static int loader_init(struct loader *l, struct diag *d)
{
	*l = (struct loader){.d = d};
	l->index = json_object();
	l->params = json_object();
	l->from_baseline = json_object();
	l->new_params = json_object();
	l->baseline_refs = json_array();
	return l->index && l->params && l->from_baseline && l->new_params && l->baseline_refs
		   ? 0
		   : -ENOMEM;
}

static int compile_all(struct loader *l)
{
	int r;

	for (size_t i = 0; i < l->nents; i++) {
		r = compile_rule(l, &l->ents[i]);
		if (r < 0)
			return r;
	}
	r = compile_captures(l);
	if (r < 0)
		return r;
	return l->has_baseline ? check_new_params(l) : 0;
}

static int load_all(struct loader *l, const char *name, const char *buf, size_t len,
		    const char *profile_arg, const char **ret_profile)
{
	int r = 0;

	if (buf)
		r = read_baseline_doc(l, name, buf, len);
	if (r == 0)
		r = pick_profile(l, profile_arg, ret_profile);
	if (r < 0)
		return r;
	load_catalog(l);
	r = load_library(l);
	if (r == 0)
		r = load_profile(l, *ret_profile);
	if (r == 0 && l->has_baseline)
		r = apply_baseline(l);
	if (r == 0)
		r = compile_all(l);
	return r;
}

int ruleset_load_mem(const char *name, const char *buf, size_t len, const char *profile,
		     struct ruleset **ret, struct diag *d)
{
	struct loader l;
	struct ruleset *rs = NULL;
	const char *pname = NULL;
	int r;

	*d = (struct diag){0};
	r = loader_init(&l, d);
	if (r == 0)
		r = load_all(&l, name, buf, len, profile, &pname);
	if (r == 0)
		rs = calloc(1, sizeof(*rs));
	if (r == 0 && !rs)
		r = -ENOMEM;
	if (r == 0)
		r = build_rules(&l, rs);
	if (r == 0)
		r = build_info(&l, name ? name : "<baseline>", pname, rs);
	loader_done(&l);
	if (r == -ENOMEM && !d->msg[0])
		diag_set(d, name ? name : "<embedded>", 0, 0, "out of memory");
	if (r < 0) {
		ruleset_free(rs);
		return r;
	}
	*ret = rs;
	return 0;
}

/* The user's baseline, from their own filesystem: a regular file only (a
 * FIFO must not hang us), at most LIMIT_BASELINE_FILE bytes. */
static int read_file(const char *path, char **ret, size_t *ret_len, struct diag *d)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t len = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		int err = errno;
		diag_set(d, path, 0, 0, "cannot read the baseline: %s", strerror(err));
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_set(d, path, 0, 0, "the baseline is not a regular file");
		return -EINVAL;
	}
	buf = malloc(LIMIT_BASELINE_FILE + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fd, buf + len, LIMIT_BASELINE_FILE + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			diag_set(d, path, 0, 0, "cannot read the baseline: %s", strerror(err));
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > LIMIT_BASELINE_FILE) {
			diag_set(d, path, 0, 0, "the baseline is larger than %u bytes",
				 LIMIT_BASELINE_FILE);
			return -EFBIG;
		}
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

int ruleset_load(const char *baseline_path, const char *profile, struct ruleset **ret,
		 struct diag *d)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r;

	*d = (struct diag){0};
	if (baseline_path) {
		r = read_file(baseline_path, &buf, &len, d);
		if (r < 0)
			return r;
	}
	return ruleset_load_mem(baseline_path, buf, len, profile, ret, d);
}

int ruleset_check_file(const char *path, struct diag *d)
{
	struct ruleset *rs = NULL;
	int r = ruleset_load(path, NULL, &rs, d);

	ruleset_free(rs);
	return r;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nprogs; i++)
		rule_prog_clear(&rs->progs[i]);
	free(rs->progs);
	for (size_t i = 0; i < rs->ncaptures; i++)
		capture_clear(&rs->captures[i]);
	free(rs->captures);
	json_decref(rs->rules);
	json_decref(rs->params);
	json_decref(rs->baseline_info);
	free(rs->profile);
	free(rs);
}
