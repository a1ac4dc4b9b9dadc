/* rules.c - the rule engine: evaluates compiled rules (engine/ruleset.c)
 * over an inventory and emits findings. It reads nothing but the
 * inventory and the parameters, and knows nothing about accounts or USB.
 *
 * Evaluation is three-valued. A leaf that reads a null field, a missing
 * key or a null parameter is UNKNOWN, and the names it could not read are
 * collected so the finding can say which facts were missing: unknown is
 * never pass. baselines/RULES.md is the language reference.
 */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/limits.h"
#include "probes/probe.h"
#include "lib/utf8.h"
#include "engine/rules.h"
#include "lib/util.h"

/* Longest rendered subject or message; longer ones end with "...". */
#define TEMPLATE_MAX LIMIT_FINDING_TEXT

enum tri { TRI_FALSE, TRI_TRUE, TRI_UNKNOWN };

struct ev {
	const json_t *params;
	json_t *unknown; /* names of the fields and parameters that were unknown */
};

static enum tri tri_of(bool b)
{
	return b ? TRI_TRUE : TRI_FALSE;
}

static enum tri tri_not(enum tri t)
{
	return t == TRI_UNKNOWN ? t : tri_of(t == TRI_FALSE);
}

static enum tri note_unknown(struct ev *ev, const char *prefix, const char *name)
{
	char buf[300];
	size_t i;
	json_t *v;

	snprintf(buf, sizeof(buf), "%s%s", prefix, name);
	json_array_foreach(ev->unknown, i, v)
		if (strcmp(json_string_value(v), buf) == 0)
			return TRI_UNKNOWN;
	json_array_append_new(ev->unknown, json_string(buf));
	return TRI_UNKNOWN;
}

/* ---- reading fields ---- */

enum lookup { FOUND, MISSING, UNREADABLE };

/* The value at a dotted path. A null (or non-object) on the way means the
 * key's presence itself is not known. */
static const json_t *path_get(const json_t *elem, const char *path, enum lookup *how)
{
	const json_t *cur = elem;
	const char *p = path;

	for (;;) {
		const char *dot = strchrnul(p, '.');
		if (json_is_null(cur)) {
			*how = UNREADABLE;
			return NULL;
		}
		if (!json_is_object(cur)) {
			*how = MISSING;
			return NULL;
		}
		cur = json_object_getn(cur, p, (size_t)(dot - p));
		if (!cur) {
			*how = MISSING;
			return NULL;
		}
		if (!*dot)
			break;
		p = dot + 1;
	}
	*how = FOUND;
	return cur;
}

static bool glob_any(const json_t *globs, const char *s)
{
	size_t i;
	json_t *g;

	if (json_is_string(globs))
		return fnmatch(json_string_value(globs), s, 0) == 0;
	json_array_foreach(globs, i, g)
		if (json_is_string(g) && fnmatch(json_string_value(g), s, 0) == 0)
			return true;
	return false;
}

/* ---- operators ---- */

static bool json_eq(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	return json_equal((json_t *)a, (json_t *)b);
}

/* Order of a and b: numbers numerically, strings as RFC 3339 times.
 * -EINVAL when they cannot be ordered. */
static int json_order(const json_t *a, const json_t *b, int *ret)
{
	time_t ta, tb;

	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);
		*ret = (x > y) - (x < y);
		return 0;
	}
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);
		if (isnan(x) || isnan(y))
			return -EINVAL;
		*ret = (x > y) - (x < y);
		return 0;
	}
	if (!json_is_string(a) || !json_is_string(b) ||
	    time_parse_rfc3339(json_string_value(a), &ta) < 0 ||
	    time_parse_rfc3339(json_string_value(b), &tb) < 0)
		return -EINVAL;
	*ret = (ta > tb) - (ta < tb);
	return 0;
}

static enum tri op_order(enum cond_op op, const json_t *subj, const json_t *val)
{
	int o;

	if (json_order(subj, val, &o) < 0)
		return TRI_UNKNOWN;
	switch (op) {
	case OP_LT:
		return tri_of(o < 0);
	case OP_LE:
		return tri_of(o <= 0);
	case OP_GT:
		return tri_of(o > 0);
	default:
		return tri_of(o >= 0);
	}
}

/* in / not_in: a string matches any glob (in) or none (not_in); for a
 * list, in = every element matches some glob, not_in = no element does. */
static enum tri op_in(bool negate, const json_t *subj, const json_t *globs)
{
	size_t i;
	json_t *e;

	if (!json_is_array(globs))
		return TRI_UNKNOWN;
	if (json_is_string(subj))
		return tri_of(glob_any(globs, json_string_value(subj)) != negate);
	if (!json_is_array(subj))
		return TRI_UNKNOWN;
	json_array_foreach(subj, i, e) {
		if (!json_is_string(e))
			return TRI_UNKNOWN;
		if (glob_any(globs, json_string_value(e)) == negate)
			return TRI_FALSE;
	}
	return TRI_TRUE;
}

static enum tri op_contains(const json_t *subj, const json_t *globs)
{
	size_t i;
	json_t *e;

	if (!json_is_array(subj))
		return TRI_UNKNOWN;
	json_array_foreach(subj, i, e)
		if (json_is_string(e) && glob_any(globs, json_string_value(e)))
			return TRI_TRUE;
	return TRI_FALSE;
}

/* The allowed mode: the one compiled with the rule when val is its text
 * (always, for a literal), else val parsed here. */
static int allowed_mode(const struct cond *c, const json_t *val, unsigned *ret)
{
	const char *s = json_string_value(val);
	if (c->has_mode && (val == c->value || strcmp(s, c->mode_text) == 0)) {
		*ret = c->mode;
		return 0;
	}
	return rule_mode_parse(s, ret);
}

static enum tri op_mode_le(const struct cond *c, const json_t *subj, const json_t *val)
{
	unsigned mode, allowed;

	if (!json_is_string(subj) || !json_is_string(val) ||
	    rule_mode_parse(json_string_value(subj), &mode) < 0 ||
	    allowed_mode(c, val, &allowed) < 0)
		return TRI_UNKNOWN;
	return tri_of((mode & ~allowed) == 0);
}

static enum tri apply_op(const struct cond *c, const json_t *subj, const json_t *val)
{
	const char *s = json_string_value(subj);

	switch (c->op) {
	case OP_EQ:
		return tri_of(json_eq(subj, val));
	case OP_NE:
		return tri_of(!json_eq(subj, val));
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		return op_order(c->op, subj, val);
	case OP_IN:
	case OP_NOT_IN:
		return op_in(c->op == OP_NOT_IN, subj, val);
	case OP_CONTAINS:
		return op_contains(subj, val);
	case OP_GLOB:
		return s && json_is_string(val) ? tri_of(fnmatch(json_string_value(val), s, 0) == 0)
						: TRI_UNKNOWN;
	case OP_REGEX:
		return s && c->has_re ? tri_of(regexec(&c->re, s, 0, NULL, 0) == 0) : TRI_UNKNOWN;
	case OP_MODE_LE:
		return op_mode_le(c, subj, val);
	default:
		return TRI_UNKNOWN;
	}
}

/* ---- conditions ---- */

/* exists / absent: only the key's presence matters (null is present);
 * on a parameter: whether it is set (not null). */
static enum tri eval_presence(const struct cond *c, const json_t *elem, struct ev *ev)
{
	bool want = c->op == OP_EXISTS;
	enum lookup how;

	if (c->src == SRC_PARAM)
		return tri_of(!json_is_null(json_object_get(ev->params, c->name)) == want);
	path_get(elem, c->name, &how);
	if (how == UNREADABLE)
		return note_unknown(ev, "", c->name);
	return tri_of((how == FOUND) == want);
}

static enum tri eval_leaf(const struct cond *c, const json_t *elem, struct ev *ev)
{
	json_auto_t *count = NULL;
	const json_t *subj, *val = c->value;
	enum lookup how = FOUND;

	if (c->op == OP_EXISTS || c->op == OP_ABSENT)
		return eval_presence(c, elem, ev);
	if (c->src == SRC_PARAM)
		subj = json_object_get(ev->params, c->name);
	else
		subj = path_get(elem, c->name, &how);
	if (!subj || json_is_null(subj))
		return note_unknown(ev, c->src == SRC_PARAM ? "param:" : "", c->name);
	if (c->src == SRC_COUNT) {
		if (!json_is_array(subj))
			return note_unknown(ev, "", c->name);
		count = json_integer((json_int_t)json_array_size(subj));
		subj = count;
	}
	if (c->value_param)
		val = json_object_get(ev->params, c->value_param);
	if (!val || json_is_null(val))
		return note_unknown(ev, "param:", c->value_param ? c->value_param : "?");
	enum tri t = apply_op(c, subj, val);
	if (t == TRI_UNKNOWN) /* present but of a type the operator cannot judge */
		note_unknown(ev, c->src == SRC_PARAM ? "param:" : "", c->name);
	return t;
}

static void truncate_unknown(struct ev *ev, size_t len)
{
	while (json_array_size(ev->unknown) > len)
		json_array_remove(ev->unknown, json_array_size(ev->unknown) - 1);
}

static enum tri eval_cond(const struct cond *c, const json_t *elem, struct ev *ev);

/* all: FALSE if any is FALSE, else UNKNOWN if any is, else TRUE. any (and
 * none, its negation): TRUE if any is TRUE, else UNKNOWN if any is, else
 * FALSE. Only the children that ended UNKNOWN keep their notes. */
static enum tri eval_list(const struct cond *c, const json_t *elem, struct ev *ev)
{
	enum tri decisive = c->kind == COND_ALL ? TRI_FALSE : TRI_TRUE;
	enum tri result = c->kind == COND_ALL ? TRI_TRUE : TRI_FALSE;
	size_t mark = json_array_size(ev->unknown);

	for (size_t i = 0; i < c->nkids; i++) {
		size_t before = json_array_size(ev->unknown);
		enum tri t = eval_cond(c->kids[i], elem, ev);
		if (t == decisive) {
			truncate_unknown(ev, mark);
			result = decisive;
			break;
		}
		if (t == TRI_UNKNOWN)
			result = TRI_UNKNOWN;
		else
			truncate_unknown(ev, before);
	}
	return c->kind == COND_NONE ? tri_not(result) : result;
}

static enum tri eval_cond(const struct cond *c, const json_t *elem, struct ev *ev)
{
	switch (c->kind) {
	case COND_LEAF:
		return eval_leaf(c, elem, ev);
	case COND_NOT:
		return tri_not(eval_cond(c->kids[0], elem, ev));
	default:
		return eval_list(c, elem, ev);
	}
}

/* ---- templates ---- */

/* Append at most what still fits below TEMPLATE_MAX, cut at a UTF-8
 * character boundary and marked with "..." when cut: a hostile 1 MB gecos
 * must not make a 1 MB message. */
static void put_bounded(struct strbuf *sb, const char *s, size_t n)
{
	size_t room = sb->len + 3 < TEMPLATE_MAX ? TEMPLATE_MAX - 3 - sb->len : 0;

	if (n <= room) {
		strbuf_append(sb, s, n);
		return;
	}
	n = room;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	strbuf_append(sb, s, n);
	if (sb->len + 3 <= TEMPLATE_MAX && (sb->len < 3 || strcmp(sb->s + sb->len - 3, "...") != 0))
		strbuf_puts(sb, "...");
}

static void put_str(struct strbuf *sb, const char *s)
{
	put_bounded(sb, s, strlen(s));
}

static void put_json_text(struct strbuf *sb, const json_t *v, bool ja)
{
	_cleanup_free_ char *s = NULL;

	if (json_is_string(v)) {
		put_bounded(sb, json_string_value(v), json_string_length(v));
		return;
	}
	if (json_is_null(v)) {
		put_str(sb, ja ? "不明" : "unknown");
		return;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	if (s)
		put_str(sb, s);
}

/* A field's value as text: strings raw ("" shown as a pair of quotes),
 * lists joined with ", " (an empty list as "none"/"なし"), null and a
 * missing field as "unknown"/"不明": a rendered message never has a hole
 * where a value should be. */
static void put_value(struct strbuf *sb, const json_t *v, bool ja)
{
	size_t i;
	json_t *e;

	if (!v || json_is_null(v)) {
		put_str(sb, ja ? "不明" : "unknown");
		return;
	}
	if (json_is_string(v) && json_string_length(v) == 0) {
		put_str(sb, "\"\"");
		return;
	}
	if (!json_is_array(v)) {
		put_json_text(sb, v, ja);
		return;
	}
	if (json_array_size(v) == 0) {
		put_str(sb, ja ? "なし" : "none");
		return;
	}
	json_array_foreach(v, i, e) {
		if (i)
			put_str(sb, ", ");
		if (json_is_string(e) && json_string_length(e) == 0)
			put_str(sb, "\"\"");
		else
			put_json_text(sb, e, ja);
	}
}

/* Render a template the loader has checked ("{{" is a literal brace).
 * New string. */
char *rule_render(const char *tpl, const json_t *elem, const json_t *params, bool ja)
{
	struct strbuf sb;
	enum lookup how;
	char name[256];

	strbuf_init(&sb, TEMPLATE_MAX);
	for (const char *p = tpl; p && *p;) {
		const char *open = strchr(p, '{'), *close;
		put_bounded(&sb, p, open ? (size_t)(open - p) : strlen(p));
		if (!open)
			break;
		close = strchr(open, '}');
		if (open[1] == '{' || !close || (size_t)(close - open) > sizeof(name)) {
			put_str(&sb, "{");
			p = open + (open[1] == '{' ? 2 : 1);
			continue;
		}
		memcpy(name, open + 1, (size_t)(close - open - 1));
		name[close - open - 1] = '\0';
		if (str_startswith(name, "param:"))
			put_value(&sb, json_object_get(params, name + 6), ja);
		else
			put_value(&sb, path_get(elem, name, &how), ja);
		p = close + 1;
	}
	return strbuf_steal(&sb);
}

/* ---- findings ---- */

struct emit {
	const struct ruleset *rs;
	const struct rule_prog *p;
	const char *edition;
	json_t *out; /* the findings array */
};

static const char *rule_str(const struct rule_prog *p, const char *key)
{
	return json_string_value(json_object_get(p->rule, key));
}

static const char *rule_text(const struct rule_prog *p, const char *key, const char *lang)
{
	return json_string_value(json_object_get(json_object_get(p->rule, key), lang));
}

static json_t *text_new(const char *ja, const char *en)
{
	json_t *t = json_object();

	if (!t || json_set(t, "ja", json_str(ja)) < 0 || json_set(t, "en", json_str(en)) < 0) {
		json_decref(t);
		return NULL;
	}
	return t;
}

/* Append {"rule","checklist","status","severity","subject","message",
 * "evidence","remediation"?}; message and evidence are stolen. */
static int emit(struct emit *em, const char *status, const char *subject, json_t *message,
		json_t *evidence)
{
	const json_t *cl = json_object_get(json_object_get(em->p->rule, "checklist"), em->edition);
	const json_t *rem = json_object_get(em->p->rule, "remediation");
	json_t *f = json_object();

	if (!f || !message || !evidence) {
		json_decref(f);
		json_decref(message);
		json_decref(evidence);
		return -ENOMEM;
	}
	json_set(f, "rule", json_str(rule_str(em->p, "id")));
	json_set(f, "checklist", cl ? json_deep_copy(cl) : json_array());
	json_set(f, "status", json_str(status));
	json_set(f, "severity", json_str(rule_str(em->p, "severity")));
	json_set(f, "subject", json_str(subject));
	json_set(f, "message", message);
	json_set(f, "evidence", evidence);
	if (rem)
		json_set(f, "remediation", json_deep_copy(rem));
	return json_array_append_new(em->out, f) < 0 ? -ENOMEM : 0;
}

/* The fields the rule shows, plus the scalar parameters it used. */
static json_t *evidence_new(const struct emit *em, const json_t *elem)
{
	json_t *ev = json_object(), *params = NULL, *v;
	enum lookup how;
	size_t i;

	if (!ev)
		return NULL;
	json_array_foreach(em->p->evidence, i, v) {
		const json_t *x = path_get(elem, json_string_value(v), &how);
		if (x)
			json_set(ev, json_string_value(v), json_deep_copy(x));
	}
	if (json_array_size(em->p->params) == 0)
		return ev;
	params = json_object();
	json_array_foreach(em->p->params, i, v)
		json_set(params, json_string_value(v),
			 json_deep_copy(json_object_get(em->rs->params, json_string_value(v))));
	json_set(ev, "params", params);
	return ev;
}

/* The parameters among the unknown names, "a, b" (NULL if none). */
static char *unknown_params(const json_t *names, size_t *ret_facts)
{
	struct strbuf sb;
	size_t i, facts = 0;
	json_t *v;

	strbuf_init(&sb, 4096);
	json_array_foreach(names, i, v) {
		const char *n = json_string_value(v);
		if (!str_startswith(n, "param:")) {
			facts++;
			continue;
		}
		strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", n + 6);
	}
	*ret_facts = facts;
	if (sb.len == 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

/* Why an element could not be judged. The facts that were missing are
 * named in the evidence ("unknown_fields"), not in the prose: field names
 * are the inventory's, not the reader's words. A parameter the baseline
 * left unset is named, since the administrator sets it by that name. */
static json_t *unknown_message(const struct rule_prog *p, const char *subject, const json_t *names)
{
	size_t facts = 0;
	_cleanup_free_ char *params = unknown_params(names, &facts);
	struct strbuf ja, en;
	_cleanup_free_ char *ja_s = NULL, *en_s = NULL;

	strbuf_init(&ja, 2 * TEMPLATE_MAX + 1024); /* the subject, the names, the title */
	strbuf_init(&en, 2 * TEMPLATE_MAX + 1024);
	strbuf_printf(&ja, "%s: ", subject);
	strbuf_printf(&en, "%s: ", subject);
	if (facts > 0) {
		strbuf_printf(&ja, "判定に必要な情報 %zu 件を読み取れなかったため", facts);
		strbuf_printf(&en, "%zu fact%s needed for the check could not be read", facts,
			      facts == 1 ? "" : "s");
	}
	if (params) {
		strbuf_printf(&ja, "%sベースラインでパラメータ %s が設定されていないため",
			      facts ? "、" : "", params);
		strbuf_printf(&en, "%sthe baseline does not set %s", facts ? " and " : "", params);
	}
	strbuf_printf(&ja, "、「%s」を確認できませんでした（根拠を参照）",
		      rule_text(p, "title", "ja"));
	strbuf_printf(&en, ", so \"%s\" was not checked (see the evidence)",
		      rule_text(p, "title", "en"));
	ja_s = strbuf_steal(&ja);
	en_s = strbuf_steal(&en);
	return text_new(ja_s, en_s);
}

/* A failing or unknown finding about one element. */
static int emit_element(struct emit *em, const json_t *elem, enum tri t, const json_t *unknown)
{
	_cleanup_free_ char *subject =
	    rule_render(rule_str(em->p, "subject"), elem, em->rs->params, false);
	json_t *ev = evidence_new(em, elem), *msg;

	if (!subject) {
		json_decref(ev);
		return -ENOMEM;
	}
	if (t == TRI_UNKNOWN) {
		if (ev)
			json_set(ev, "unknown_fields", json_deep_copy(unknown));
		return emit(em, "unknown", subject, unknown_message(em->p, subject, unknown), ev);
	}
	_cleanup_free_ char *ja =
	    rule_render(rule_text(em->p, "message", "ja"), elem, em->rs->params, true);
	_cleanup_free_ char *en =
	    rule_render(rule_text(em->p, "message", "en"), elem, em->rs->params, false);
	msg = ja && en ? text_new(ja, en) : NULL;
	return emit(em, "fail", subject, msg, ev);
}

/* where, then assert, for one element. Counts the elements selected and
 * those that gave a finding. */
static int eval_element(struct emit *em, const json_t *elem, size_t *checked, size_t *found)
{
	json_auto_t *unknown = json_array();
	struct ev ev = {.params = em->rs->params, .unknown = unknown};
	enum tri t = TRI_TRUE;

	if (!unknown)
		return -ENOMEM;
	if (em->p->where)
		t = eval_cond(em->p->where, elem, &ev);
	if (t == TRI_FALSE)
		return 0;
	if (t == TRI_TRUE) {
		(*checked)++;
		t = eval_cond(em->p->assert, elem, &ev);
		if (t == TRI_TRUE)
			return 0;
	}
	(*found)++;
	return emit_element(em, elem, t, unknown);
}

static const json_t *probe_entry(const json_t *probes, const char *name)
{
	size_t i;
	json_t *p;

	json_array_foreach(probes, i, p)
		if (name && json_is_string(json_object_get(p, "name")) &&
		    strcmp(json_string_value(json_object_get(p, "name")), name) == 0)
			return p;
	return NULL;
}

/* The probe's messages in lang, joined with "; " (at most 1 KiB). */
static void probe_reasons(char *out, size_t n, const json_t *pe, const char *lang)
{
	const json_t *msgs = json_object_get(pe, "messages");
	size_t i, len = 0;
	json_t *m;

	out[0] = '\0';
	json_array_foreach(msgs, i, m) {
		const char *t = json_string_value(json_object_get(m, lang));
		if (!t)
			t = json_string_value(m);
		if (!t || len + 1 >= n)
			continue;
		snprintf(out + len, n - len, "%s%s", len ? (lang[0] == 'j' ? "。" : "; ") : "", t);
		len = strlen(out);
	}
}

/* The evidence of a host-level finding that names the probe. */
static json_t *probe_evidence(const struct emit *em, const json_t *pe, const char *status)
{
	const json_t *msgs = json_object_get(pe, "messages");
	json_t *ev = json_pack("{s:I, s:s, s:s, s:s}", "checked", (json_int_t)0, "collection",
			       em->p->collection, "probe", em->p->probe ? em->p->probe : "?",
			       "probe_status", status);

	if (ev && json_array_size(msgs) > 0)
		json_set(ev, "probe_messages", json_deep_copy(msgs));
	return ev;
}

/* The collection is missing or null: one unknown finding for the host.
 * The probe's state is said in words (its status and the collection's
 * name stay in the evidence). */
static int emit_missing(struct emit *em, const json_t *probes)
{
	static const struct {
		const char *status, *ja, *en;
	} why[] = {
	    {"not_run", "実行されませんでした", "did not run"},
	    {"skipped", "実行されませんでした（--only）", "did not run (--only)"},
	    {"not_applicable", "この検査には適用されません", "does not apply to this scan"},
	    {"error", "失敗しました", "failed"},
	};
	const json_t *pe = probe_entry(probes, em->p->probe);
	const char *status = pe ? json_string_value(json_object_get(pe, "status")) : NULL;
	const char *probe = em->p->probe ? em->p->probe : "?";
	const char *ja_why = "必要な情報を返しませんでした", *en_why = "gave no facts for it";
	char ja[4096], en[4096], rja[1024], ren[1024];

	status = status ? status : "not_run";
	for (size_t i = 0; i < ARRAY_SIZE(why); i++) {
		if (strcmp(status, why[i].status) == 0) {
			ja_why = why[i].ja;
			en_why = why[i].en;
		}
	}
	probe_reasons(rja, sizeof(rja), pe, "ja");
	probe_reasons(ren, sizeof(ren), pe, "en");
	snprintf(ja, sizeof(ja), "%s プローブが%s%s%s%s。そのため「%s」を確認できませんでした",
		 probe, ja_why, rja[0] ? "（" : "", rja, rja[0] ? "）" : "",
		 rule_text(em->p, "title", "ja"));
	snprintf(en, sizeof(en), "\"%s\" could not be checked: the %s probe %s%s%s%s",
		 rule_text(em->p, "title", "en"), probe, en_why, ren[0] ? " (" : "", ren,
		 ren[0] ? ")" : "");
	return emit(em, "unknown", "host", text_new(ja, en), probe_evidence(em, pe, status));
}

/* The probe that fills the rule's collection says the collection may be
 * short (CONTRACTS.md 1: "incomplete" in its scan.probes entry). */
static const json_t *incomplete_probe(const struct emit *em, const json_t *probes)
{
	const json_t *pe = probe_entry(probes, em->p->probe);
	const json_t *inc = json_object_get(pe, "incomplete");
	size_t i;
	json_t *v;

	json_array_foreach(inc, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), em->p->collection) == 0)
			return pe;
	return NULL;
}

/* Nothing failed, but the probe could not see everything: what it did
 * not see may fail, so the host-level answer is unknown, never pass. */
static int emit_incomplete(struct emit *em, const json_t *pe, size_t checked)
{
	const char *status = json_string_value(json_object_get(pe, "status"));
	const char *probe = em->p->probe ? em->p->probe : "?";
	json_t *ev = probe_evidence(em, pe, status ? status : "partial");
	char ja[4096], en[4096], rja[1024], ren[1024];

	if (ev)
		json_set(ev, "checked", json_integer((json_int_t)checked));
	probe_reasons(rja, sizeof(rja), pe, "ja");
	probe_reasons(ren, sizeof(ren), pe, "en");
	snprintf(
	    ja, sizeof(ja),
	    "%s "
	    "プローブはこのホストの一部しか確認できなかったため%s%s%s、「%s」を確認できませんでした"
	    "（確認できた %zu 件に問題はありません）",
	    probe, rja[0] ? "（" : "", rja, rja[0] ? "）" : "", rule_text(em->p, "title", "ja"),
	    checked);
	snprintf(en, sizeof(en),
		 "\"%s\" could not be confirmed: the %s probe sees only part of the host%s%s%s "
		 "(no problem in the %zu subject%s it saw)",
		 rule_text(em->p, "title", "en"), probe, ren[0] ? " (" : "", ren, ren[0] ? ")" : "",
		 checked, checked == 1 ? "" : "s");
	return emit(em, "unknown", "host", text_new(ja, en), ev);
}

/* Nothing was selected: the rule's "when_empty" decides, with its
 * "empty_message" if it has one (RULES.md, "Empty sets"). */
static int emit_empty(struct emit *em)
{
	static const char *const status[] = {
	    [EMPTY_UNKNOWN] = "unknown", [EMPTY_PASS] = "pass", [EMPTY_FAIL] = "fail"};
	const json_t *msg = json_object_get(em->p->rule, "empty_message");
	const char *tja = rule_text(em->p, "title", "ja"), *ten = rule_text(em->p, "title", "en");
	json_t *text;
	char ja[4096], en[4096];

	if (msg) {
		_cleanup_free_ char *rja = rule_render(
		    json_string_value(json_object_get(msg, "ja")), NULL, em->rs->params, true);
		_cleanup_free_ char *ren = rule_render(
		    json_string_value(json_object_get(msg, "en")), NULL, em->rs->params, false);
		text = rja && ren ? text_new(rja, ren) : NULL;
	} else if (em->p->when_empty == EMPTY_PASS) {
		text = text_new(tja, ten);
	} else if (em->p->when_empty == EMPTY_FAIL) {
		snprintf(ja, sizeof(ja),
			 "確認すべきものが見つからないため、「%s」を満たしていません", tja);
		snprintf(en, sizeof(en), "\"%s\" does not hold: nothing it requires was found",
			 ten);
		text = text_new(ja, en);
	} else {
		snprintf(ja, sizeof(ja),
			 "確認の対象が見つからないため、「%s」を確認できませんでした", tja);
		snprintf(en, sizeof(en),
			 "\"%s\" could not be confirmed: nothing it applies to was found", ten);
		text = text_new(ja, en);
	}
	return emit(em, status[em->p->when_empty], "host", text,
		    json_pack("{s:I}", "checked", (json_int_t)0));
}

static bool requirements_unset(const struct rule_prog *p, const json_t *params)
{
	const json_t *req = json_object_get(p->rule, "requires");
	size_t i;
	json_t *v;

	json_array_foreach(req, i, v)
		if (json_is_null(json_object_get(params, json_string_value(v))))
			return true;
	return false;
}

/* True when c reads parameters only: its value is the same for every
 * element. */
static bool cond_params_only(const struct cond *c)
{
	if (c->kind == COND_LEAF)
		return c->src == SRC_PARAM;
	for (size_t i = 0; i < c->nkids; i++)
		if (!cond_params_only(c->kids[i]))
			return false;
	return true;
}

/* A parameter switch in "where" (the whole condition, or a member of its
 * top-level "all") that is FALSE turns the rule off under this baseline
 * ("audit_required": false): like an unset "requires", the rule emits
 * nothing, rather than a pass that checked nothing. */
static bool switched_off(const struct rule_prog *p, const json_t *params)
{
	json_auto_t *unknown = json_array();
	struct ev ev = {.params = params, .unknown = unknown};
	const struct cond *w = p->where;

	if (!w || !unknown)
		return false;
	if (cond_params_only(w))
		return eval_cond(w, NULL, &ev) == TRI_FALSE;
	if (w->kind != COND_ALL)
		return false;
	for (size_t i = 0; i < w->nkids; i++)
		if (cond_params_only(w->kids[i]) && eval_cond(w->kids[i], NULL, &ev) == TRI_FALSE)
			return true;
	return false;
}

/* A rule with no item in the report's edition (an R7 item under
 * --checklist r6) is left out: it answers nothing that edition asks, so it
 * must neither fail the scan nor appear as a finding without an item. */
static bool in_edition(const struct emit *em)
{
	const json_t *cl = json_object_get(em->p->rule, "checklist");

	return json_array_size(json_object_get(cl, em->edition)) > 0;
}

static int eval_rule(struct emit *em, const json_t *inventory, const json_t *probes)
{
	const json_t *coll = json_object_get(inventory, em->p->collection), *elem, *pe;
	size_t checked = 0, found = 0, i;
	int r;

	if (!in_edition(em) || requirements_unset(em->p, em->rs->params) ||
	    switched_off(em->p, em->rs->params))
		return 0;
	if (em->p->single ? !json_is_object(coll) : !json_is_array(coll))
		return emit_missing(em, probes);
	if (em->p->single) {
		r = eval_element(em, coll, &checked, &found);
	} else {
		json_array_foreach(coll, i, elem) {
			r = eval_element(em, elem, &checked, &found);
			if (r < 0)
				return r;
		}
		r = 0;
	}
	if (r < 0 || found > 0)
		return r;
	pe = incomplete_probe(em, probes);
	if (pe)
		return emit_incomplete(em, pe, checked);
	if (checked == 0)
		return emit_empty(em);
	return emit(em, "pass", "host",
		    text_new(rule_text(em->p, "title", "ja"), rule_text(em->p, "title", "en")),
		    json_pack("{s:I}", "checked", (json_int_t)checked));
}

/* ---- capture (`tenken baseline init`) ---- */

static int capture_one(const struct capture_prog *cp, const json_t *elem, const json_t *params,
		       json_t *values)
{
	json_auto_t *unknown = json_array();
	struct ev ev = {.params = params, .unknown = unknown};
	enum lookup how;
	const json_t *v;

	if (!unknown)
		return -ENOMEM;
	if (cp->where && eval_cond(cp->where, elem, &ev) != TRI_TRUE)
		return 0;
	v = path_get(elem, cp->field, &how);
	if (!json_is_string(v))
		return 0;
	return json_object_set_new(values, json_string_value(v), json_true()) < 0 ? -ENOMEM : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of set as a sorted array of strings (new reference). */
static json_t *sorted_keys(const json_t *set)
{
	size_t n = json_object_size(set), i = 0;
	_cleanup_free_ const char **keys = calloc(n + 1, sizeof(*keys));
	json_t *arr = json_array(), *v;
	const char *k;

	if (!keys || !arr) {
		json_decref(arr);
		return NULL;
	}
	json_object_foreach((json_t *)set, k, v)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (i = 0; i < n; i++) {
		if (json_array_append_new(arr, json_string(keys[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int ruleset_capture(const struct ruleset *rs, const json_t *inventory, json_t **ret_params)
{
	json_auto_t *out = json_object();
	size_t i;
	json_t *elem;
	int r = 0;

	if (!out)
		return -ENOMEM;
	for (size_t c = 0; c < rs->ncaptures; c++) {
		const struct capture_prog *cp = &rs->captures[c];
		const json_t *coll = json_object_get(inventory, cp->collection);
		json_auto_t *values = json_object();
		if (!values)
			return -ENOMEM;
		if (cp->single ? !json_is_object(coll) : !json_is_array(coll))
			continue;
		if (cp->single)
			r = capture_one(cp, coll, rs->params, values);
		json_array_foreach(cp->single ? NULL : coll, i, elem)
			if (r == 0)
				r = capture_one(cp, elem, rs->params, values);
		if (r < 0)
			return r;
		if (json_set(out, cp->param, sorted_keys(values)) < 0)
			return -ENOMEM;
	}
	*ret_params = TAKE_PTR(out);
	return 0;
}

/* ---- sorting and the entry points ---- */

static int cmp_key(const json_t *a, const json_t *b, const char *key)
{
	const char *x = json_string_value(json_object_get(a, key));
	const char *y = json_string_value(json_object_get(b, key));

	return strcmp(x ? x : "", y ? y : "");
}

/* rule, subject, status; then the English message and the evidence so
 * equal keys still sort the same way every time. */
static int cmp_findings(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	int c = cmp_key(a, b, "rule");

	if (c == 0)
		c = cmp_key(a, b, "subject");
	if (c == 0)
		c = cmp_key(a, b, "status");
	if (c == 0)
		c = cmp_key(json_object_get(a, "message"), json_object_get(b, "message"), "en");
	if (c == 0) {
		_cleanup_free_ char *x = json_dumps(json_object_get(a, "evidence"), JSON_SORT_KEYS);
		_cleanup_free_ char *y = json_dumps(json_object_get(b, "evidence"), JSON_SORT_KEYS);
		c = strcmp(x ? x : "", y ? y : "");
	}
	return c;
}

static json_t *sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	_cleanup_free_ json_t **v = calloc(n + 1, sizeof(*v));
	json_t *out = json_array();

	if (!v || !out) {
		json_decref(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(arr, i);
	qsort(v, n, sizeof(*v), cmp_findings);
	for (size_t i = 0; i < n; i++) {
		if (json_array_append(out, v[i]) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

int rules_eval(const struct ruleset *rs, const json_t *inventory, const json_t *probes,
	       const char *edition, json_t **ret_findings)
{
	json_auto_t *all = json_array();
	struct emit em = {.rs = rs, .edition = edition ? edition : "r6", .out = all};
	json_t *out;

	if (!all)
		return -ENOMEM;
	for (size_t i = 0; i < rs->nprogs; i++) {
		em.p = &rs->progs[i];
		int r = eval_rule(&em, inventory, probes);
		if (r < 0)
			return r;
	}
	out = sorted(all);
	if (!out)
		return -ENOMEM;
	*ret_findings = out;
	return 0;
}

void ruleset_print(const struct ruleset *rs, const char *edition, const char *lang, FILE *out)
{
	const char *l = lang && strcmp(lang, "ja") == 0 ? "ja" : "en";

	for (size_t i = 0; i < rs->nprogs; i++) {
		const struct rule_prog *p = &rs->progs[i];
		const json_t *items = json_object_get(json_object_get(p->rule, "checklist"),
						      edition ? edition : "r6");
		struct strbuf sb;
		size_t j;
		json_t *v;

		strbuf_init(&sb, 1024);
		json_array_foreach(items, j, v)
			strbuf_printf(&sb, "%s%s", j ? "," : "", json_string_value(v));
		_cleanup_free_ char *s = strbuf_steal(&sb);
		const char *items_s = s && *s ? s : "-";
		/* Pad by display width: R7 items ("2-④") are wider in bytes than on screen. */
		size_t w = utf8_width(items_s, strlen(items_s));
		fprintf(out, "%-32s %-6s %s%*s %s\n", rule_str(p, "id"), rule_str(p, "severity"),
			items_s, w < 10 ? (int)(10 - w) : 0, "", rule_text(p, "title", l));
	}
}
