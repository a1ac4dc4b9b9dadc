/* usbguard_parse.c - USBGuard rules: parser, printer and what a rule can
 * match of USB mass storage. Contract in probes/parse/usbguard_parse.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "lib/limits.h"
#include "probes/parse/usbguard_parse.h"
#include "lib/util.h"

static const char *const target_names[] = {"allow", "block", "reject", "match", "device"};
static const char *const attr_names[] = {
    [UG_ID] = "id",
    [UG_SERIAL] = "serial",
    [UG_NAME] = "name",
    [UG_HASH] = "hash",
    [UG_PARENT_HASH] = "parent-hash",
    [UG_VIA_PORT] = "via-port",
    [UG_WITH_INTERFACE] = "with-interface",
    [UG_CONNECT_TYPE] = "with-connect-type",
    [UG_LABEL] = "label",
    [UG_IF] = "if",
};
static const char *const op_names[] = {
    [UG_EQUALS] = "equals",
    [UG_ALL_OF] = "all-of",
    [UG_ONE_OF] = "one-of",
    [UG_NONE_OF] = "none-of",
    [UG_EQUALS_ORDERED] = "equals-ordered",
    [UG_MATCH_ALL] = "match-all",
};
static const char *const conditions[] = {
    "localtime", "allowed-matches", "rule-applied", "rule-evaluated", "random", "true", "false"};

void ug_rule_free(struct ug_rule *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < UG_NATTR; i++) {
		for (size_t k = 0; k < r->a[i].n; k++)
			free(r->a[i].v[k]);
		free(r->a[i].v);
	}
	*r = (struct ug_rule){0};
}

struct scan {
	const char *p, *end;
	const char *err;
};

/* Blanks between tokens; how many. A '#' after them (or right after a
 * value) starts a comment to the end of the line. */
static size_t blanks(struct scan *s)
{
	const char *start = s->p;
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
	return (size_t)(s->p - start);
}

static bool at_end(const struct scan *s)
{
	return s->p >= s->end || *s->p == '#';
}

/* A bare word: up to a blank, '{', '}' or '"'. */
static size_t word_len(const struct scan *s)
{
	size_t n = 0;
	while (s->p + n < s->end && !strchr(" \t\r\n{}\"#", s->p[n]) && s->p[n])
		n++;
	return n;
}

static int lookup(const struct scan *s, size_t n, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (names[i] && strlen(names[i]) == n && !memcmp(s->p, names[i], n))
			return (int)i;
	return -1;
}

static int fail(struct scan *s, const char *why)
{
	if (!s->err)
		s->err = why;
	return -EINVAL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A "string": \" \\ and \xHH escapes; control bytes are refused. */
static int quoted(struct scan *s, char **ret)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_LINE);
	int r = 0;
	for (s->p++; r == 0; s->p++) {
		if (s->p >= s->end || (unsigned char)*s->p < 0x20) {
			strbuf_free(&sb);
			return fail(s, "unterminated string");
		}
		char c = *s->p;
		if (c == '"')
			break;
		if (c == '\\') {
			if (s->p + 1 < s->end && (s->p[1] == '"' || s->p[1] == '\\')) {
				c = *++s->p;
			} else if (s->p + 3 < s->end && s->p[1] == 'x' && hexval(s->p[2]) >= 0 &&
				   hexval(s->p[3]) >= 0) {
				c = (char)(hexval(s->p[2]) << 4 | hexval(s->p[3]));
				s->p += 3;
			} else {
				strbuf_free(&sb);
				return fail(s, "bad escape in a string");
			}
		}
		r = strbuf_append(&sb, &c, 1);
	}
	s->p++;
	if (r < 0) {
		strbuf_free(&sb);
		return r;
	}
	*ret = sb.s ? strbuf_steal(&sb) : strdup("");
	return *ret ? 0 : -ENOMEM;
}

static bool hexes(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hexval(p[i]) < 0)
			return false;
	return true;
}

/* vvvv:pppp, vvvv:* or *:* */
static bool id_ok(const char *p, size_t n)
{
	if (n == 3)
		return !memcmp(p, "*:*", 3);
	if (n == 6)
		return hexes(p, 4) && !memcmp(p + 4, ":*", 2);
	return n == 9 && hexes(p, 4) && p[4] == ':' && hexes(p + 5, 4);
}

/* cc:ss:pp, cc:ss:* or cc:*:* */
static bool iface_ok(const char *p, size_t n)
{
	if (n < 6 || !hexes(p, 2) || p[2] != ':')
		return false;
	if (n == 6)
		return !memcmp(p + 3, "*:*", 3);
	if (!hexes(p + 3, 2) || p[5] != ':')
		return false;
	return n == 7 ? p[6] == '*' : n == 8 && hexes(p + 6, 2);
}

/* [!]name[(...)] */
static size_t condition_len(const struct scan *s)
{
	const char *p = s->p;
	if (p < s->end && *p == '!')
		p++;
	while (p < s->end && (islower((unsigned char)*p) || *p == '-'))
		p++;
	if (p < s->end && *p == '(') {
		const char *close = memchr(p, ')', (size_t)(s->end - p));
		if (!close)
			return 0;
		p = close + 1;
	}
	return (size_t)(p - s->p);
}

static bool condition_ok(const char *c, size_t n)
{
	if (n && *c == '!')
		c++, n--;
	size_t name = 0;
	while (name < n && c[name] != '(')
		name++;
	for (size_t i = 0; i < sizeof(conditions) / sizeof(*conditions); i++)
		if (strlen(conditions[i]) == name && !memcmp(c, conditions[i], name))
			return true;
	return false;
}

static int push(struct ug_attr *a, char *v)
{
	if (!v)
		return -ENOMEM;
	char **nv = reallocarray(a->v, a->n + 1, sizeof(*nv));
	if (!nv) {
		free(v);
		return -ENOMEM;
	}
	a->v = nv;
	a->v[a->n++] = v;
	return 0;
}

/* One value of attribute k at s->p. */
static int value(struct scan *s, enum ug_attr_kind k, struct ug_attr *a)
{
	char *v = NULL;
	size_t n;
	if (k == UG_IF) {
		n = condition_len(s);
		if (!n || !condition_ok(s->p, n))
			return fail(s, "unknown or malformed condition");
		v = xstrndup(s->p, n);
		s->p += n;
		return push(a, v);
	}
	if (k != UG_ID && k != UG_WITH_INTERFACE) {
		if (s->p >= s->end || *s->p != '"')
			return fail(s, "a quoted string was expected");
		int r = quoted(s, &v);
		return r < 0 ? r : push(a, v);
	}
	n = word_len(s);
	if (k == UG_ID ? !id_ok(s->p, n) : !iface_ok(s->p, n))
		return fail(s, k == UG_ID ? "bad device id" : "bad interface type");
	v = xstrndup(s->p, n);
	s->p += n;
	return push(a, v);
}

/* "value" or "[operator] { value ... }" after the attribute's name and
 * the blanks that must follow it. */
static int attribute(struct scan *s, enum ug_attr_kind k, struct ug_attr *a)
{
	int op = lookup(s, word_len(s), op_names, 6);
	if (op >= 0) {
		s->p += strlen(op_names[op]);
		a->op = (enum ug_op)op;
		if (!blanks(s) || s->p >= s->end || *s->p != '{')
			return fail(s, "' {' expected after an operator");
	}
	if (s->p >= s->end || *s->p != '{')
		return value(s, k, a);
	a->braces = true;
	for (s->p++;;) {
		blanks(s);
		if (s->p >= s->end)
			return fail(s, "'}' expected");
		if (*s->p == '}') {
			s->p++;
			return a->n ? 0 : fail(s, "empty set");
		}
		int r = value(s, k, a);
		if (r < 0)
			return r;
	}
}

/* usbguard takes no blank before the target nor at the end of a line,
 * one or more between tokens, and a comment anywhere a token ends. */
static int rule_body(struct scan *s, struct ug_rule *r)
{
	int t = lookup(s, word_len(s), target_names, 5);
	if (t < 0)
		return fail(s, "unknown target");
	r->target = (enum ug_target)t;
	s->p += strlen(target_names[t]);
	for (;;) {
		if (at_end(s))
			return 0;
		if (!blanks(s))
			return fail(s, "unexpected text after a token");
		if (s->p >= s->end)
			return fail(s, "blank at the end of the line");
		if (*s->p == '#')
			return 0;
		int k = lookup(s, word_len(s), attr_names, UG_NATTR);
		if (k < 0)
			return fail(s, "unknown attribute");
		if (r->a[k].n)
			return fail(s, "attribute given twice");
		s->p += strlen(attr_names[k]);
		if (!blanks(s))
			return fail(s, "a blank is expected after an attribute name");
		int e = attribute(s, (enum ug_attr_kind)k, &r->a[k]);
		if (e < 0)
			return e;
	}
}

_Static_assert(LIMIT_LINE == 65536u, "update the line-too-long words");

int ug_rule_parse(const char *line, size_t len, struct ug_rule *r, const char **ret_err)
{
	struct scan s = {line, line + len, NULL};
	*r = (struct ug_rule){0};
	if (ret_err)
		*ret_err = NULL;
	if (len > LIMIT_LINE) { /* not read: usbguard's own parser has no such bound */
		if (ret_err)
			*ret_err = "line longer than 65536 bytes (LIMIT_LINE)";
		return -E2BIG;
	}
	if (memchr(line, '\0', len)) {
		if (ret_err)
			*ret_err = "NUL byte";
		return -EINVAL;
	}
	size_t lead = blanks(&s);
	if (at_end(&s))
		return 1;
	int e = lead ? fail(&s, "blank before the target") : rule_body(&s, r);
	if (e < 0) {
		ug_rule_free(r);
		if (ret_err)
			*ret_err = s.err ? s.err : "out of memory";
	}
	return e;
}

/* ---- printing --------------------------------------------------------- */

static int put_value(struct strbuf *sb, enum ug_attr_kind k, const char *v)
{
	if (k == UG_ID || k == UG_WITH_INTERFACE || k == UG_IF)
		return strbuf_puts(sb, v);
	int r = strbuf_puts(sb, "\"");
	for (const unsigned char *p = (const unsigned char *)v; r == 0 && *p; p++) {
		if (*p == '"' || *p == '\\')
			r = strbuf_printf(sb, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			r = strbuf_printf(sb, "\\x%02x", *p);
		else
			r = strbuf_append(sb, (const char *)p, 1);
	}
	return r ? r : strbuf_puts(sb, "\"");
}

char *ug_rule_format(const struct ug_rule *r)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_LINE * 4);
	int e = strbuf_puts(&sb, target_names[r->target]);
	for (size_t k = 0; e == 0 && k < UG_NATTR; k++) {
		const struct ug_attr *a = &r->a[k];
		if (!a->n)
			continue;
		e = strbuf_printf(&sb, " %s ", attr_names[k]);
		bool set = a->n > 1 || a->op != UG_EQUALS;
		if (e == 0 && a->op != UG_EQUALS)
			e = strbuf_printf(&sb, "%s ", op_names[a->op]);
		if (e == 0 && set)
			e = strbuf_puts(&sb, "{ ");
		for (size_t i = 0; e == 0 && i < a->n; i++) {
			e = put_value(&sb, (enum ug_attr_kind)k, a->v[i]);
			if (e == 0 && set)
				e = strbuf_puts(&sb, " ");
		}
		if (e == 0 && set)
			e = strbuf_puts(&sb, "}");
	}
	if (e < 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

/* ---- mass storage ------------------------------------------------------ */

static bool is_class_08(const char *iface)
{
	return !strncasecmp(iface, "08:", 3);
}

static bool covers_all_08(const char *iface)
{
	return !strcasecmp(iface, "08:*:*");
}

/* Whether an interface set containing some 08:ss:pp can meet the
 * with-interface attribute. */
static bool interfaces_may_hold_storage(const struct ug_attr *a)
{
	bool any08 = false, all08 = false;
	for (size_t i = 0; i < a->n; i++) {
		any08 |= is_class_08(a->v[i]);
		all08 |= covers_all_08(a->v[i]);
	}
	switch (a->op) {
	case UG_ONE_OF:
	case UG_ALL_OF:
		return true; /* add a storage interface beside the ones named */
	case UG_NONE_OF:
		return !all08; /* some 08 subclass or protocol is left */
	default:
		return any08; /* equals, equals-ordered, match-all: every
			       * device interface is one named */
	}
}

/* A condition that never holds: "false", "!true", or a set of them. */
static bool never(const struct ug_attr *c)
{
	size_t falses = 0;
	for (size_t i = 0; i < c->n; i++)
		falses += !strcmp(c->v[i], "false") || !strcmp(c->v[i], "!true");
	if (!c->n)
		return false;
	if (c->op == UG_ONE_OF)
		return falses == c->n;
	if (c->op == UG_NONE_OF)
		return false;
	return falses > 0;
}

bool ug_rule_may_match_storage(const struct ug_rule *r)
{
	if (never(&r->a[UG_IF]))
		return false;
	return !r->a[UG_WITH_INTERFACE].n || interfaces_may_hold_storage(&r->a[UG_WITH_INTERFACE]);
}

static bool always(const struct ug_attr *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], "true") && strcmp(c->v[i], "!false"))
			return false;
	return c->op != UG_NONE_OF || !c->n;
}

bool ug_rule_matches_all_storage(const struct ug_rule *r)
{
	for (size_t k = 0; k < UG_NATTR; k++)
		if (r->a[k].n && k != UG_WITH_INTERFACE && k != UG_LABEL && k != UG_IF)
			return false;
	if (!always(&r->a[UG_IF]))
		return false;
	const struct ug_attr *w = &r->a[UG_WITH_INTERFACE];
	if (!w->n)
		return true;
	if (w->op == UG_ONE_OF) {
		for (size_t i = 0; i < w->n; i++)
			if (covers_all_08(w->v[i]))
				return true;
		return false;
	}
	return w->op == UG_ALL_OF && w->n == 1 && covers_all_08(w->v[0]);
}

/* ---- device hashes -------------------------------------------------- */

static int hash_parts(const void *const *part, const size_t *len, size_t n, char out[UG_HASH_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(c, part[i], len[i]) == 1;
	ok = ok && EVP_DigestFinal_ex(c, md, &mdlen) == 1 && mdlen == 32;
	EVP_MD_CTX_free(c);
	if (!ok)
		return -EIO;
	EVP_EncodeBlock((unsigned char *)out, md, 32);
	return 0;
}

static bool linux_root_hub(const struct ug_hash_input *in)
{
	return in->vendor_id && in->product_id && strcmp(in->vendor_id, "1d6b") == 0 &&
	       (strcmp(in->product_id, "0001") == 0 || strcmp(in->product_id, "0002") == 0 ||
		strcmp(in->product_id, "0003") == 0);
}

int ug_device_hash(const struct ug_hash_input *in, char out[UG_HASH_LEN])
{
	const char *s[4] = {in->name, in->vendor_id, in->product_id, in->serial};
	const void *part[6];
	size_t len[6];
	unsigned char dev[18];
	for (size_t i = 0; i < 4; i++) {
		part[i] = s[i] ? s[i] : "";
		len[i] = strlen(part[i]);
	}
	part[4] = in->descriptors;
	len[4] = in->descriptors_len;
	size_t n = 5;
	if (linux_root_hub(in) && in->descriptors_len >= sizeof(dev)) {
		memcpy(dev, in->descriptors, sizeof(dev));
		dev[12] = dev[13] = 0; /* bcdDevice */
		part[4] = dev;
		len[4] = sizeof(dev);
		part[5] = in->descriptors + sizeof(dev);
		len[5] = in->descriptors_len - sizeof(dev);
		n = 6;
	}
	return hash_parts(part, len, n, out);
}

int ug_string_hash(const char *s, char out[UG_HASH_LEN])
{
	const void *part[1] = {s};
	size_t len[1] = {strlen(s)};
	return hash_parts(part, len, 1, out);
}

/* ---- rules against a device ---------------------------------------- */

/* "1234:*" or "*:*" against "1234:5678". */
static bool id_covers(const char *pat, const char *id)
{
	const char *pc = strchr(pat, ':'), *ic = strchr(id, ':');
	if (!pc || !ic)
		return false;
	bool v = (pc - pat == 1 && pat[0] == '*') ||
		 (pc - pat == ic - id && !strncasecmp(pat, id, (size_t)(pc - pat)));
	return v && (!strcmp(pc + 1, "*") || !strcasecmp(pc + 1, ic + 1));
}

/* "08:*:*" or "08:06:50" against "08:06:50". */
static bool iface_covers(const char *pat, const char *t)
{
	for (int i = 0; i < 3; i++) {
		size_t pn = strcspn(pat, ":"), tn = strcspn(t, ":");
		if (!(pn == 1 && *pat == '*') && (pn != tn || strncasecmp(pat, t, pn)))
			return false;
		pat += pn + (pat[pn] == ':');
		t += tn + (t[tn] == ':');
	}
	return true;
}

static bool covers(enum ug_attr_kind k, const char *src, const char *t)
{
	if (k == UG_ID)
		return id_covers(src, t);
	if (k == UG_WITH_INTERFACE)
		return iface_covers(src, t);
	return strcmp(src, t) == 0;
}

static bool matched_by_some(enum ug_attr_kind k, const char *s, char *const *t, size_t tn)
{
	for (size_t j = 0; j < tn; j++)
		if (covers(k, s, t[j]))
			return true;
	return false;
}

/* USBGuard's set operators, source = the rule's values. */
static bool set_applies(enum ug_attr_kind k, const struct ug_attr *a, char *const *t, size_t tn)
{
	size_t hits = 0;
	for (size_t i = 0; i < a->n; i++)
		hits += matched_by_some(k, a->v[i], t, tn);
	switch (a->op) {
	case UG_ALL_OF:
		return hits == a->n;
	case UG_ONE_OF:
		return hits > 0;
	case UG_NONE_OF:
		return hits == 0;
	case UG_EQUALS_ORDERED:
		for (size_t i = 0; a->n == tn && i < tn; i++)
			if (!covers(k, a->v[i], t[i]))
				return false;
		return a->n == tn;
	case UG_MATCH_ALL:
		break;
	case UG_EQUALS:
		return a->n == tn && hits == a->n;
	}
	/* match-all: every device value is covered by some rule value */
	for (size_t j = 0; j < tn; j++) {
		bool ok = false;
		for (size_t i = 0; i < a->n && !ok; i++)
			ok = covers(k, a->v[i], t[j]);
		if (!ok)
			return false;
	}
	return true;
}

/* One condition: 1, 0, or -1 for those that depend on the moment. */
static int condition_value(const char *c)
{
	bool neg = c[0] == '!';
	const char *s = c + neg;
	if (strcmp(s, "true") && strcmp(s, "false"))
		return -1;
	return (strcmp(s, "true") == 0) != neg;
}

static int conditions_apply(const struct ug_attr *a)
{
	int all = 1, any = 0;
	for (size_t i = 0; i < a->n; i++) {
		int v = condition_value(a->v[i]);
		all = all == 0 || v == 0 ? 0 : all == -1 || v == -1 ? -1 : 1;
		any = any == 1 || v == 1 ? 1 : any == -1 || v == -1 ? -1 : 0;
	}
	if (!a->n)
		return 1;
	if (a->op == UG_ONE_OF)
		return any;
	if (a->op == UG_NONE_OF)
		return any < 0 ? -1 : !any;
	return all;
}

/* The device's values of attribute k (borrowed into v; count). */
static size_t device_values(const struct ug_device *d, enum ug_attr_kind k, const char **v)
{
	switch (k) {
	case UG_ID:
		v[0] = d->id;
		return 1;
	case UG_SERIAL:
		v[0] = d->serial;
		return 1;
	case UG_NAME:
		v[0] = d->name;
		return 1;
	case UG_HASH:
		v[0] = d->hash;
		return 1;
	case UG_PARENT_HASH:
		v[0] = d->parent_hash;
		return 1;
	case UG_VIA_PORT:
		v[0] = d->port;
		return 1;
	case UG_CONNECT_TYPE:
		v[0] = d->connect_type;
		return 1;
	default:
		return 0;
	}
}

int ug_rule_applies(const struct ug_rule *r, const struct ug_device *d)
{
	int unknown = 0;
	for (size_t k = 0; k < UG_NATTR; k++) {
		const struct ug_attr *a = &r->a[k];
		const char *one[1] = {NULL};
		if (!a->n || k == UG_LABEL || k == UG_IF)
			continue;
		if (k == UG_WITH_INTERFACE && !d->ifaces_known) {
			unknown = 1;
			continue;
		}
		if (k == UG_WITH_INTERFACE) {
			if (!set_applies(UG_WITH_INTERFACE, a, d->ifaces, d->n_ifaces))
				return 0;
			continue;
		}
		device_values(d, (enum ug_attr_kind)k, one);
		if (!one[0]) {
			unknown = 1;
			continue;
		}
		if (!set_applies((enum ug_attr_kind)k, a, (char *const *)one, 1))
			return 0;
	}
	int c = conditions_apply(&r->a[UG_IF]);
	return c == 0 ? 0 : unknown || c < 0 ? -1 : 1;
}
