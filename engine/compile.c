/* compile.c - every rule checked against the probes' collections and
 * columns and compiled into a rule_prog (conditions, regular expressions
 * and file modes compiled once here, not at each evaluation), and the
 * profile's capture section. Part of loading a rule set (ruleset_int.h). */

#include "engine/ruleset_int.h"

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

int cond_compile_mode(struct cond *c, const char *text)
{
	unsigned m;
	if (!text || strlen(text) >= sizeof(c->mode_text) || rule_mode_parse(text, &m) < 0)
		return -EINVAL;
	c->has_mode = true;
	c->mode = m;
	snprintf(c->mode_text, sizeof(c->mode_text), "%s", text);
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
	if (cd->op == OP_MODE_LE)
		cond_compile_mode(cd, json_string_value(pv));
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
	if (cd->op == OP_MODE_LE)
		cond_compile_mode(cd, json_string_value(v));
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
	if (r == 0 && sev &&
	    (!json_is_string(sev) || !in_list(json_string_value(sev), rs_severities)))
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

/* A {"ja", "en"} text at key of def: its shape, then each language with
 * check (the message's templates, the empty message's placeholders).
 * An absent optional text is fine. */
static int check_bilingual(struct cctx *c, const json_t *def, const char *ptr, const char *key,
			   bool optional, int (*check)(struct cctx *, const json_t *, const char *))
{
	const json_t *t = json_object_get(def, key);
	char p[PTR_MAX], q[PTR_MAX], what[64];
	int r;

	if (!t && optional)
		return 0;
	ptr_key(p, ptr, key);
	snprintf(what, sizeof(what), "\"%s\"", key);
	r = check_text(c->l, c->s, p, t, what);
	for (const char *const *lang = (const char *const[]){"ja", "en", NULL}; r == 0 && *lang;
	     lang++) {
		ptr_key(q, p, *lang);
		r = check(c, json_object_get(t, *lang), q);
	}
	return r;
}

static int check_texts(struct cctx *c, const json_t *def, const char *ptr)
{
	const json_t *rem = json_object_get(def, "remediation");
	char p[PTR_MAX], q[PTR_MAX];
	int r;

	ptr_key(p, ptr, "subject");
	r = check_template(c, json_object_get(def, "subject"), p);
	if (r == 0)
		r = check_bilingual(c, def, ptr, "message", false, check_template);
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
	char p[PTR_MAX];

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
	return check_bilingual(c, def, ptr, "empty_message", true, check_empty_message);
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

int compile_rule(struct loader *l, struct entry *e)
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
int check_new_params(struct loader *l)
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

void capture_clear(struct capture_prog *cp)
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

int compile_captures(struct loader *l)
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
