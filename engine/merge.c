/* merge.c - rule entries from the shipped library and a baseline, and
 * the profile and baseline merged over them (parameters, disable, enable,
 * severity). Part of loading a rule set (ruleset_int.h). */

#include "engine/ruleset_int.h"

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
int load_library(struct loader *l)
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
		if (!json_is_string(v) || !in_list(json_string_value(v), rs_severities))
			return fail_at(l, s, p, false,
				       "unknown severity %s%s%s (use high, medium, low or info)",
				       json_is_string(v) ? "\"" : "",
				       json_is_string(v) ? json_string_value(v) : "(not a string)",
				       json_is_string(v) ? "\"" : "");
		e->severity = json_string_value(v);
	}
	return 0;
}

int apply_profile(struct loader *l, const char *name)
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
int type_class(const json_t *v)
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

int apply_baseline(struct loader *l)
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
