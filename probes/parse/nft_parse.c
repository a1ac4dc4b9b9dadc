/* nft_parse.c - the host firewall configuration parsers (see nft_parse.h):
 * nftables configuration text and JSON, iptables-save, firewalld zones,
 * KEY=value files and TCP wrappers. Pure: buffers in, structures out.
 */
#include <ctype.h>
#include <expat.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lib/limits.h"
#include "probes/parse/nft_parse.h"
#include "probes/parse/xmlsax.h"
#include "lib/util.h"

/* ---- small containers --------------------------------------------- */

/* The strings of s, or of fallback when s is empty (new array). */
static json_t *fw_strv_json(const struct strv *s, const struct strv *fallback)
{
	const struct strv *u = s->n ? s : fallback;
	return strv_json(u ? u->v : NULL);
}

static int strv_copy(struct strv *dst, const struct strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (strv_add(dst, src->v[i], strlen(src->v[i])) < 0)
			return -ENOMEM;
	return 0;
}

static void rule_free(struct fw_rule *r)
{
	free(r->proto);
	strv_reset(&r->ports);
	strv_reset(&r->sources);
	free(r->iface);
	free(r->target);
}

static void chain_free(struct fw_chain *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		rule_free(&c->rules[i]);
	free(c->rules);
	free(c->family);
	free(c->table);
	free(c->name);
	free(c->hook);
	free(c->policy);
}

static void ruleset_clear(struct fw_ruleset *rs)
{
	for (size_t i = 0; i < rs->nchains; i++)
		chain_free(&rs->chains[i]);
	free(rs->chains);
	rs->chains = NULL;
	rs->nchains = rs->cap = 0;
}

void fw_ruleset_free(struct fw_ruleset *rs)
{
	ruleset_clear(rs);
	strv_reset(&rs->files);
	strv_reset(&rs->def_names);
	strv_reset(&rs->def_values);
	free(rs->issues);
	rs->issues = NULL;
	rs->nissues = rs->icap = 0;
}

const char *fw_ruleset_file(struct fw_ruleset *rs, const char *path)
{
	for (size_t i = 0; i < rs->files.n; i++)
		if (strcmp(rs->files.v[i], path) == 0)
			return rs->files.v[i];
	if (strv_add(&rs->files, path, strlen(path)) < 0)
		return NULL;
	return rs->files.v[rs->files.n - 1];
}

int fw_issue_add(struct fw_ruleset *rs, const char *file, unsigned line, const char *ja,
		 const char *en)
{
	if (rs->nissues == rs->icap) {
		size_t ncap = rs->icap ? rs->icap * 2 : 8;
		struct fw_issue *nv = reallocarray(rs->issues, ncap, sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		rs->issues = nv;
		rs->icap = ncap;
	}
	rs->issues[rs->nissues++] = (struct fw_issue){file, line, ja, en};
	return 0;
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The chain family/table/name, created (empty, regular) if new. */
static struct fw_chain *chain_get(struct fw_ruleset *rs, const char *fam, const char *table,
				  const char *name)
{
	for (size_t i = 0; i < rs->nchains; i++) {
		struct fw_chain *c = &rs->chains[i];
		if (str_eq(c->family, fam) && str_eq(c->table, table) && str_eq(c->name, name))
			return c;
	}
	if (rs->nchains >= LIMIT_FW_CHAINS)
		return NULL;
	if (rs->nchains == rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 8;
		struct fw_chain *nv = reallocarray(rs->chains, ncap, sizeof(*nv));
		if (!nv)
			return NULL;
		rs->chains = nv;
		rs->cap = ncap;
	}
	struct fw_chain *c = &rs->chains[rs->nchains];
	*c = (struct fw_chain){.family = strdup(fam), .table = strdup(table), .name = strdup(name)};
	if (!c->family || !c->table || !c->name) {
		chain_free(c);
		return NULL;
	}
	rs->nchains++;
	return c;
}

/* Append r (its contents are stolen) to c. */
static int chain_add_rule(struct fw_ruleset *rs, struct fw_chain *c, struct fw_rule *r)
{
	if (rs->total_rules >= LIMIT_FW_RULES) {
		rule_free(r);
		return -E2BIG;
	}
	if (c->nrules == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 8;
		struct fw_rule *nv = reallocarray(c->rules, ncap, sizeof(*nv));
		if (!nv) {
			rule_free(r);
			return -ENOMEM;
		}
		c->rules = nv;
		c->cap = ncap;
	}
	c->rules[c->nrules++] = *r;
	rs->total_rules++;
	*r = (struct fw_rule){0};
	return 0;
}

static int set_str(char **dst, const char *s)
{
	char *n = strdup(s);
	if (!n)
		return -ENOMEM;
	free(*dst);
	*dst = n;
	return 0;
}

/* Split "a,b,c" into s (commas separate values in nft and iptables). */
static int add_split(struct strv *s, const char *v, const char *prefix)
{
	while (*v) {
		size_t n = strcspn(v, ",");
		if (n > 0) {
			char tmp[512];
			snprintf(tmp, sizeof(tmp), "%s%.*s", prefix, (int)n, v);
			if (strv_add(s, tmp, strlen(tmp)) < 0)
				return -ENOMEM;
		}
		v += n;
		if (*v == ',')
			v++;
	}
	return 0;
}

/* ---- nftables: tokens --------------------------------------------- */

enum tok_kind { T_WORD, T_LBRACE, T_RBRACE, T_END /* ; or newline */, T_COMMA };

struct tok {
	enum tok_kind k;
	unsigned line;
	char *s; /* T_WORD only */
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

static void toks_free(struct toks *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].s);
	free(t->v);
}

static int toks_push(struct toks *t, enum tok_kind k, unsigned line, const char *s, size_t n)
{
	if (t->n >= LIMIT_FW_TOKENS)
		return -E2BIG;
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		struct tok *nv = reallocarray(t->v, ncap, sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		t->v = nv;
		t->cap = ncap;
	}
	char *w = NULL;
	if (k == T_WORD && !(w = xstrndup(s, n)))
		return -ENOMEM;
	t->v[t->n++] = (struct tok){k, line, w};
	return 0;
}

static bool is_special(char c)
{
	return c == '{' || c == '}' || c == ';' || c == ',' || c == '\n' || c == '#' || c == '"';
}

/* A quoted string starting at p (after the quote): up to the closing
 * quote or the end of the line. */
static const char *lex_quoted(const char *p, const char *end)
{
	while (p < end && *p != '"' && *p != '\n')
		p++;
	return p;
}

/* Split buf into tokens: words (quoted strings unquoted), braces, commas,
 * statement ends. Comments run to the end of the line; a backslash before
 * a newline joins lines; NUL bytes are whitespace. */
static int nft_lex(const char *buf, size_t len, struct toks *t)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 1;
	int r = 0;
	while (p < end && r == 0) {
		char c = *p;
		if (c == '\\' && p + 1 < end && (p[1] == '\n' || p[1] == '\r')) {
			p += p[1] == '\r' && p + 2 < end && p[2] == '\n' ? 3 : 2;
			line++;
		} else if (c == '\n') {
			r = toks_push(t, T_END, line++, NULL, 0);
			p++;
		} else if (c == '#') {
			while (p < end && *p != '\n')
				p++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\0' || c == '\\') {
			p++;
		} else if (c == '"') {
			const char *q = lex_quoted(p + 1, end);
			r = toks_push(t, T_WORD, line, p + 1, (size_t)(q - p - 1));
			p = q < end && *q == '"' ? q + 1 : q;
		} else if (c == '{' || c == '}' || c == ';' || c == ',') {
			enum tok_kind k = c == '{'   ? T_LBRACE
					  : c == '}' ? T_RBRACE
					  : c == ';' ? T_END
						     : T_COMMA;
			r = toks_push(t, k, line, NULL, 0);
			p++;
		} else {
			const char *q = p;
			while (q < end && !is_special(*q) && *q != ' ' && *q != '\t' &&
			       *q != '\r' && *q != '\0')
				q++;
			r = toks_push(t, T_WORD, line, p, (size_t)(q - p));
			p = q;
		}
	}
	return r;
}

/* ---- nftables: statements ----------------------------------------- */

struct nft_p {
	struct fw_ruleset *rs;
	const char *file; /* interned */
	struct toks t;
	size_t i;
	nft_include_fn include;
	void *userdata;
};

static const struct tok *cur(struct nft_p *p)
{
	return p->i < p->t.n ? &p->t.v[p->i] : NULL;
}

static bool cur_is(struct nft_p *p, enum tok_kind k)
{
	const struct tok *t = cur(p);
	return t && t->k == k;
}

static const char *cur_word(struct nft_p *p)
{
	const struct tok *t = cur(p);
	return t && t->k == T_WORD ? t->s : NULL;
}

static unsigned cur_line(struct nft_p *p)
{
	if (p->i < p->t.n)
		return p->t.v[p->i].line;
	return p->t.n ? p->t.v[p->t.n - 1].line : 1;
}

static void issue(struct nft_p *p, unsigned line, const char *ja, const char *en)
{
	fw_issue_add(p->rs, p->file, line, ja, en);
}

/* Collect the statement's tokens [start, end) and move past it. */
static void stmt_span(struct nft_p *p, size_t *ret_start, size_t *ret_end)
{
	int depth = 0;
	*ret_start = p->i;
	for (; p->i < p->t.n; p->i++) {
		enum tok_kind k = p->t.v[p->i].k;
		if (k == T_LBRACE)
			depth++;
		else if (k == T_RBRACE && depth-- == 0)
			break;
		else if (k == T_END && depth == 0)
			break;
	}
	*ret_end = p->i;
	if (cur_is(p, T_END))
		p->i++;
}

static void skip_stmt(struct nft_p *p)
{
	size_t a, b;
	stmt_span(p, &a, &b);
}

static bool is_family(const char *w)
{
	static const char *const f[] = {"ip", "ip6", "inet", "arp", "bridge", "netdev"};
	for (size_t i = 0; w && i < ARRAY_SIZE(f); i++)
		if (strcmp(w, f[i]) == 0)
			return true;
	return false;
}

/* ---- nftables: rules ---------------------------------------------- */

/* A rule's tokens with $variables expanded. */
struct xtoks {
	struct tok *v; /* borrowed strings */
	size_t n, cap;
	struct toks *owned; /* lexed define values, freed with the list */
	size_t nowned;
	bool unresolved; /* a $variable could not be expanded */
};

static void xtoks_free(struct xtoks *x)
{
	for (size_t i = 0; i < x->nowned; i++)
		toks_free(&x->owned[i]);
	free(x->owned);
	free(x->v);
}

static int xtoks_push(struct xtoks *x, const struct tok *t)
{
	if (x->n >= LIMIT_FW_TOKENS)
		return -E2BIG;
	if (x->n == x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 32;
		struct tok *nv = reallocarray(x->v, ncap, sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		x->v = nv;
		x->cap = ncap;
	}
	x->v[x->n++] = *t;
	return 0;
}

static const char *define_get(const struct fw_ruleset *rs, const char *name)
{
	for (size_t i = rs->def_names.n; i-- > 0;)
		if (strcmp(rs->def_names.v[i], name) == 0)
			return rs->def_values.v[i];
	return NULL;
}

static int expand(struct nft_p *p, struct xtoks *x, const struct tok *v, size_t n, unsigned depth);

/* Append the tokens of $name's value (lexed again), or report it. */
static int expand_var(struct nft_p *p, struct xtoks *x, const struct tok *t, unsigned depth)
{
	const char *val = define_get(p->rs, t->s + 1);
	if (!val || depth >= LIMIT_FW_DEFINE_DEPTH) {
		issue(p, t->line, val ? "変数の展開が深すぎます" : "未定義の変数です",
		      val ? "variables nest too deep" : "undefined variable");
		x->unresolved = true;
		return xtoks_push(x, t);
	}
	struct toks *nv = reallocarray(x->owned, x->nowned + 1, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	x->owned = nv;
	struct toks *lt = &x->owned[x->nowned++];
	*lt = (struct toks){0};
	int r = nft_lex(val, strlen(val), lt);
	if (r < 0)
		return r;
	for (size_t i = 0; i < lt->n; i++)
		lt->v[i].line = t->line;
	return expand(p, x, lt->v, lt->n, depth + 1);
}

static int expand(struct nft_p *p, struct xtoks *x, const struct tok *v, size_t n, unsigned depth)
{
	for (size_t i = 0; i < n; i++) {
		int r;
		if (v[i].k == T_END)
			continue;
		if (v[i].k == T_WORD && v[i].s[0] == '$' && v[i].s[1])
			r = expand_var(p, x, &v[i], depth);
		else
			r = xtoks_push(x, &v[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Reading a rule's token list. */
struct rcur {
	const struct tok *v;
	size_t n, i;
};

static const char *rword(struct rcur *c)
{
	return c->i < c->n && c->v[c->i].k == T_WORD ? c->v[c->i].s : NULL;
}

static bool rword_is(struct rcur *c, const char *w)
{
	return str_eq(rword(c), w);
}

/* A match value at c: a word ("a,b" split), or an anonymous set { a, b }
 * ("a : b" map entries keep their key). neg is set for "!=". Moves past
 * it. */
static int rvalue(struct rcur *c, struct strv *out, bool *neg)
{
	if (neg)
		*neg = false;
	if (rword_is(c, "!=") && neg) {
		*neg = true;
		c->i++;
	} else if (rword_is(c, "==") || rword_is(c, "!=")) {
		c->i++;
	}
	if (c->i < c->n && c->v[c->i].k == T_LBRACE) {
		for (c->i++; c->i < c->n && c->v[c->i].k != T_RBRACE; c->i++)
			if (c->v[c->i].k == T_WORD && add_split(out, c->v[c->i].s, "") < 0)
				return -ENOMEM;
		if (c->i < c->n)
			c->i++;
		return 0;
	}
	const char *w = rword(c);
	if (!w)
		return 0;
	c->i++;
	return add_split(out, w, "");
}

/* Consume a value nobody needs. */
static void rskip_value(struct rcur *c)
{
	struct strv tmp = {0};
	rvalue(c, &tmp, NULL);
	strv_reset(&tmp);
}

static int rsources(struct rcur *c, struct fw_rule *r)
{
	struct strv tmp = {0};
	bool neg;
	int e = rvalue(c, &tmp, &neg);
	for (size_t i = 0; e == 0 && i < tmp.n; i++)
		e = add_split(&r->sources, tmp.v[i], neg ? "!" : "");
	strv_reset(&tmp);
	return e;
}

/* ct state VALUE: only established/related (plus invalid to drop). */
static int rct_state(struct rcur *c, struct fw_rule *r)
{
	struct strv tmp = {0};
	bool neg, est = true, any = false;
	int e = rvalue(c, &tmp, &neg);
	for (size_t i = 0; i < tmp.n; i++) {
		any = true;
		if (!str_eq(tmp.v[i], "established") && !str_eq(tmp.v[i], "related"))
			est = false;
	}
	if (any && est && !neg)
		r->established = true;
	else if (!(any && !neg && tmp.n == 1 && str_eq(tmp.v[0], "new")))
		r->other = true;
	strv_reset(&tmp);
	return e;
}

/* Protocol header match: tcp dport X, udp dport X, th dport X. */
static int rl4(struct rcur *c, struct fw_rule *r, const char *proto)
{
	const char *field = rword(c);
	c->i++;
	if (str_eq(field, "dport")) {
		bool neg;
		if (set_str(&r->proto, proto) < 0 || rvalue(c, &r->ports, &neg) < 0)
			return -ENOMEM;
		if (neg)
			r->other = true;
		return 0;
	}
	r->other = true;
	rskip_value(c);
	return 0;
}

static int rproto_value(struct rcur *c, struct fw_rule *r)
{
	struct strv tmp = {0};
	bool neg;
	int e = rvalue(c, &tmp, &neg);
	if (e == 0 && tmp.n > 0 && !neg)
		e = set_str(&r->proto, tmp.n == 1 ? tmp.v[0] : "multiple");
	else
		r->other = true;
	strv_reset(&tmp);
	return e;
}

static int riface(struct rcur *c, struct fw_rule *r)
{
	struct strv tmp = {0};
	bool neg;
	int e = rvalue(c, &tmp, &neg);
	if (e == 0 && tmp.n == 1 && !neg)
		e = set_str(&r->iface, tmp.v[0]);
	else
		r->other = true;
	strv_reset(&tmp);
	return e;
}

/* ip/ip6 saddr, daddr, protocol; meta KEY. */
static int rnet(struct rcur *c, struct fw_rule *r, bool meta)
{
	const char *f = rword(c);
	c->i++;
	if (!meta && str_eq(f, "saddr"))
		return rsources(c, r);
	if (str_eq(f, "protocol") || str_eq(f, "nexthdr") || str_eq(f, "l4proto"))
		return rproto_value(c, r);
	if (meta && (str_eq(f, "iif") || str_eq(f, "iifname")))
		return riface(c, r);
	if (!(meta && str_eq(f, "nfproto")))
		r->other = true;
	rskip_value(c);
	return 0;
}

static void rverdict(struct rcur *c, struct fw_rule *r, const char *w)
{
	if (str_eq(w, "accept"))
		r->verdict = FW_ACCEPT;
	else if (str_eq(w, "drop") || str_eq(w, "reject"))
		r->verdict = FW_DROP;
	else if (str_eq(w, "return"))
		r->verdict = FW_RETURN;
	else if (str_eq(w, "jump") || str_eq(w, "goto")) {
		r->verdict = str_eq(w, "jump") ? FW_JUMP : FW_GOTO;
		if (rword(c) && set_str(&r->target, rword(c)) == 0)
			c->i++;
	}
}

/* Statements that neither match nor decide, with their arguments. */
static bool rneutral(struct rcur *c, const char *w)
{
	static const char *const args[] = {
	    "prefix", "level",	 "flags", "group",	     "snaplen", "rate", "burst",
	    "over",   "packets", "bytes", "queue-threshold", "with",	"type", "to"};
	if (str_eq(w, "counter") || str_eq(w, "log") || str_eq(w, "limit") ||
	    str_eq(w, "notrack")) {
		while (rword(c)) {
			bool known = false;
			for (size_t k = 0; k < ARRAY_SIZE(args); k++)
				known |= rword_is(c, args[k]);
			if (!known && !(rword(c)[0] >= '0' && rword(c)[0] <= '9') &&
			    !strchr(rword(c), '/'))
				break;
			c->i++;
		}
		return true;
	}
	if (str_eq(w, "comment")) {
		if (rword(c))
			c->i++;
		return true;
	}
	return false;
}

/* Reduce one rule's tokens to r. Unknown words make it "other": never
 * mistaken for an unconditional accept or drop. */
static int nft_rule(const struct tok *v, size_t n, struct fw_rule *r)
{
	struct rcur c = {v, n, 0};
	int e = 0;
	while (c.i < c.n && e == 0) {
		const char *w = rword(&c);
		c.i++;
		if (!w) {
			r->other = true; /* a stray set or brace */
		} else if (str_eq(w, "iif") || str_eq(w, "iifname")) {
			e = riface(&c, r);
		} else if (str_eq(w, "ip") || str_eq(w, "ip6") || str_eq(w, "meta")) {
			e = rnet(&c, r, str_eq(w, "meta"));
		} else if (str_eq(w, "tcp") || str_eq(w, "udp") || str_eq(w, "sctp") ||
			   str_eq(w, "th") || str_eq(w, "udplite")) {
			e = rl4(&c, r, w);
		} else if (str_eq(w, "ct") && rword_is(&c, "state")) {
			c.i++;
			e = rct_state(&c, r);
		} else if (str_eq(w, "icmp") || str_eq(w, "icmpv6")) {
			e = set_str(&r->proto, w);
			if (rword_is(&c, "type") && ++c.i)
				rskip_value(&c);
		} else if (str_eq(w, "accept") || str_eq(w, "drop") || str_eq(w, "reject") ||
			   str_eq(w, "return") || str_eq(w, "jump") || str_eq(w, "goto")) {
			rverdict(&c, r, w);
			if (str_eq(w, "reject"))
				c.i = c.n; /* reject with ... ends the rule */
		} else if (!rneutral(&c, w)) {
			r->other = true;
		}
	}
	return e;
}

/* A rule statement [a, b) of chain c. */
static int chain_rule(struct nft_p *p, struct fw_chain *c, size_t a, size_t b)
{
	struct xtoks x = {0};
	struct fw_rule r = {.file = p->file, .line = p->t.v[a].line};
	int e = expand(p, &x, &p->t.v[a], b - a, 0);
	if (e == 0 && x.n > 0)
		e = nft_rule(x.v, x.n, &r);
	r.other |= x.unresolved; /* what it matches is not known */
	xtoks_free(&x);
	if (e < 0 || x.n == 0) {
		rule_free(&r);
		return e == -E2BIG ? 0 : e;
	}
	e = chain_add_rule(p->rs, c, &r);
	if (e == -E2BIG) {
		issue(p, r.line, "規則が多すぎるため以降を読みません",
		      "too many rules; the rest is ignored");
		return 0;
	}
	return e;
}

/* `type filter hook input priority 0` and `policy drop` inside a chain. */
static int chain_meta(struct nft_p *p, struct fw_chain *c, size_t a, size_t b)
{
	for (size_t i = a; i + 1 < b; i++) {
		const struct tok *t = &p->t.v[i], *n = &p->t.v[i + 1];
		if (t->k != T_WORD || n->k != T_WORD)
			continue;
		int e = 0;
		if (strcmp(t->s, "hook") == 0)
			e = set_str(&c->hook, n->s);
		else if (strcmp(t->s, "policy") == 0)
			e = set_str(&c->policy, n->s[0] == '$' ? "unknown" : n->s);
		if (e < 0)
			return e;
	}
	return 0;
}

static bool chain_meta_stmt(const char *w)
{
	return str_eq(w, "type") || str_eq(w, "policy");
}

/* The body of chain c, after its {: until the matching }. */
static int chain_body(struct nft_p *p, struct fw_chain *c)
{
	while (p->i < p->t.n && !cur_is(p, T_RBRACE)) {
		if (cur_is(p, T_END) || cur_is(p, T_COMMA)) {
			p->i++;
			continue;
		}
		const char *w = cur_word(p);
		size_t a, b;
		stmt_span(p, &a, &b);
		int e = 0;
		if (chain_meta_stmt(w))
			e = chain_meta(p, c, a, b);
		else if (!str_eq(w, "comment") && !str_eq(w, "devices") && !str_eq(w, "flags") &&
			 !str_eq(w, "device"))
			e = chain_rule(p, c, a, b);
		if (e < 0)
			return e;
	}
	if (!cur_is(p, T_RBRACE)) {
		issue(p, cur_line(p), "} が足りません", "missing }");
		return 0;
	}
	p->i++;
	return 0;
}

/* `chain NAME {` inside table fam/table (the word chain consumed). */
static int table_chain(struct nft_p *p, const char *fam, const char *table)
{
	const char *name = cur_word(p);
	unsigned line = cur_line(p);
	if (!name) {
		issue(p, line, "chain の名前がありません", "chain without a name");
		skip_stmt(p);
		return 0;
	}
	p->i++;
	struct fw_chain *c = chain_get(p->rs, fam, table, name);
	if (!c)
		return -ENOMEM;
	if (!cur_is(p, T_LBRACE)) {
		skip_stmt(p); /* a declaration without a body */
		return 0;
	}
	p->i++;
	return chain_body(p, c);
}

static int table_body(struct nft_p *p, const char *fam, const char *table)
{
	while (p->i < p->t.n && !cur_is(p, T_RBRACE)) {
		if (cur_is(p, T_END)) {
			p->i++;
			continue;
		}
		if (str_eq(cur_word(p), "chain")) {
			p->i++;
			int e = table_chain(p, fam, table);
			if (e < 0)
				return e;
			continue;
		}
		/* sets, maps, flowtables, counters, flags, comments */
		skip_stmt(p);
	}
	if (!cur_is(p, T_RBRACE)) {
		issue(p, cur_line(p), "} が足りません", "missing }");
		return 0;
	}
	p->i++;
	return 0;
}

/* FAMILY? NAME after `table`, `add table`, `chain`...: family defaults to
 * ip. Returns false if no name. */
static bool family_name(struct nft_p *p, const char **fam, const char **name)
{
	const char *a = cur_word(p);
	if (!a)
		return false;
	p->i++;
	if (is_family(a) && cur_word(p)) {
		*fam = a;
		*name = cur_word(p);
		p->i++;
	} else {
		*fam = "ip";
		*name = a;
	}
	return true;
}

static int stmt_table(struct nft_p *p)
{
	const char *fam, *name;
	unsigned line = cur_line(p);
	if (!family_name(p, &fam, &name)) {
		issue(p, line, "table の名前がありません", "table without a name");
		skip_stmt(p);
		return 0;
	}
	if (!cur_is(p, T_LBRACE)) {
		skip_stmt(p);
		return 0;
	}
	p->i++;
	return table_body(p, fam, name);
}

/* `add chain FAM TABLE NAME { ... }` and `add rule FAM TABLE CHAIN ...`. */
static int stmt_add(struct nft_p *p)
{
	const char *what = cur_word(p), *fam, *table, *name;
	unsigned line = cur_line(p);
	p->i++;
	if (str_eq(what, "table"))
		return stmt_table(p);
	if (!(str_eq(what, "chain") || str_eq(what, "rule")) || !family_name(p, &fam, &table) ||
	    !(name = cur_word(p))) {
		if (!str_eq(what, "set") && !str_eq(what, "element") && !str_eq(what, "map"))
			issue(p, line, "解釈できない add 文です", "add statement not understood");
		skip_stmt(p);
		return 0;
	}
	p->i++;
	struct fw_chain *c = chain_get(p->rs, fam, table, name);
	if (!c)
		return -ENOMEM;
	size_t a, b;
	if (str_eq(what, "chain")) {
		if (!cur_is(p, T_LBRACE)) {
			skip_stmt(p);
			return 0;
		}
		p->i++;
		return chain_body(p, c);
	}
	stmt_span(p, &a, &b);
	return chain_rule(p, c, a, b);
}

/* `define NAME = VALUE`: the value's text is kept and lexed again where
 * it is used. */
static int stmt_define(struct nft_p *p)
{
	const char *name = cur_word(p);
	size_t a, b;
	if (!name) {
		skip_stmt(p);
		return 0;
	}
	p->i++;
	char nm[256];
	snprintf(nm, sizeof(nm), "%.*s", (int)strcspn(name, "="), name);
	stmt_span(p, &a, &b);
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_LINE);
	for (size_t i = a; i < b; i++) {
		const struct tok *t = &p->t.v[i];
		const char *s = t->k == T_WORD	   ? t->s
				: t->k == T_LBRACE ? "{"
				: t->k == T_RBRACE ? "}"
				: t->k == T_COMMA  ? ","
						   : " ";
		if (i == a && strcmp(s, "=") == 0)
			continue;
		strbuf_puts(&sb, s);
		strbuf_puts(&sb, " ");
	}
	_cleanup_free_ char *val = strbuf_steal(&sb);
	if (strv_add(&p->rs->def_names, nm, strlen(nm)) < 0 ||
	    strv_add(&p->rs->def_values, val, strlen(val)) < 0)
		return -ENOMEM;
	return 0;
}

static int stmt_include(struct nft_p *p)
{
	const char *pat = cur_word(p);
	unsigned line = cur_line(p);
	if (!pat) {
		issue(p, line, "include の対象がありません", "include without a file");
		skip_stmt(p);
		return 0;
	}
	_cleanup_free_ char *copy = strdup(pat);
	skip_stmt(p);
	if (!copy)
		return -ENOMEM;
	if (p->include)
		p->include(p->rs, p->file, copy, p->userdata);
	return 0;
}

static int top_stmt(struct nft_p *p)
{
	const char *w = cur_word(p);
	unsigned line = cur_line(p);
	if (!w) {
		issue(p, line, "解釈できない文です", "statement not understood");
		p->i++;
		skip_stmt(p);
		return 0;
	}
	p->i++;
	if (strcmp(w, "include") == 0)
		return stmt_include(p);
	if (strcmp(w, "define") == 0 || strcmp(w, "redefine") == 0)
		return stmt_define(p);
	if (strcmp(w, "table") == 0)
		return stmt_table(p);
	if (strcmp(w, "add") == 0 || strcmp(w, "create") == 0 || strcmp(w, "insert") == 0)
		return stmt_add(p);
	if (strcmp(w, "flush") == 0 && str_eq(cur_word(p), "ruleset"))
		ruleset_clear(p->rs);
	else if (strcmp(w, "flush") != 0 && strcmp(w, "delete") != 0 && strcmp(w, "destroy") != 0 &&
		 strcmp(w, "undefine") != 0 && w[0] != '#')
		issue(p, line, "解釈できない文です", "statement not understood");
	skip_stmt(p);
	return 0;
}

int nft_parse(struct fw_ruleset *rs, const char *file, const char *buf, size_t len,
	      nft_include_fn include, void *userdata)
{
	struct nft_p p = {.rs = rs, .include = include, .userdata = userdata};
	if (!(p.file = fw_ruleset_file(rs, file)))
		return -ENOMEM;
	int e = nft_lex(buf, len, &p.t);
	if (e == -E2BIG) {
		issue(&p, 0, "字句が多すぎるため途中までしか読みません",
		      "too many tokens; only the first part was read");
		e = 0;
	}
	while (e == 0 && p.i < p.t.n) {
		if (cur_is(&p, T_END)) {
			p.i++;
		} else if (cur_is(&p, T_RBRACE)) {
			issue(&p, cur_line(&p), "余分な } があります", "stray }");
			p.i++;
		} else {
			e = top_stmt(&p);
		}
	}
	toks_free(&p.t);
	return e;
}

/* ---- nft -j list ruleset ------------------------------------------- */

/* A JSON match value as text: numbers, strings, ranges, prefixes, sets. */
static int jvalue(const json_t *v, struct strv *out)
{
	char tmp[256];
	size_t i;
	json_t *e;
	if (json_is_string(v))
		return add_split(out, json_string_value(v), "");
	if (json_is_integer(v)) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(v));
		return strv_add(out, tmp, strlen(tmp));
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (jvalue(e, out) < 0)
				return -ENOMEM;
		return 0;
	}
	if (json_object_get(v, "set"))
		return jvalue(json_object_get(v, "set"), out);
	const json_t *rg = json_object_get(v, "range"), *pf = json_object_get(v, "prefix");
	if (json_array_size(rg) == 2) {
		struct strv a = {0};
		int r = jvalue(json_array_get(rg, 0), &a) | jvalue(json_array_get(rg, 1), &a);
		if (r == 0 && a.n == 2) {
			snprintf(tmp, sizeof(tmp), "%s-%s", a.v[0], a.v[1]);
			r = strv_add(out, tmp, strlen(tmp));
		}
		strv_reset(&a);
		return r;
	}
	if (pf) {
		snprintf(tmp, sizeof(tmp), "%s/%lld",
			 json_string_value(json_object_get(pf, "addr")) ?: "?",
			 (long long)json_integer_value(json_object_get(pf, "len")));
		return strv_add(out, tmp, strlen(tmp));
	}
	return strv_add(out, "?", 1);
}

static int jmatch(const json_t *m, struct fw_rule *r)
{
	const json_t *left = json_object_get(m, "left"), *right = json_object_get(m, "right");
	const char *op = json_string_value(json_object_get(m, "op")) ?: "==";
	bool neg = strcmp(op, "!=") == 0, eq = neg || strcmp(op, "==") == 0 || !strcmp(op, "in");
	const json_t *pl = json_object_get(left, "payload"), *meta = json_object_get(left, "meta"),
		     *ct = json_object_get(left, "ct");
	const char *proto = json_string_value(json_object_get(pl, "protocol"));
	const char *field = json_string_value(json_object_get(pl, "field"));
	const char *key = json_string_value(json_object_get(meta ? meta : ct, "key"));
	struct strv vals = {0};
	int e = jvalue(right, &vals);
	if (e == 0 && eq && str_eq(field, "saddr") && (str_eq(proto, "ip") || str_eq(proto, "ip6")))
		for (size_t i = 0; e == 0 && i < vals.n; i++)
			e = add_split(&r->sources, vals.v[i], neg ? "!" : "");
	else if (e == 0 && eq && !neg && str_eq(field, "dport") && proto)
		e = set_str(&r->proto, proto) | strv_copy(&r->ports, &vals);
	else if (e == 0 && eq && !neg && meta && (str_eq(key, "iif") || str_eq(key, "iifname")) &&
		 vals.n == 1)
		e = set_str(&r->iface, vals.v[0]);
	else if (e == 0 && eq && !neg && vals.n == 1 &&
		 ((meta && str_eq(key, "l4proto")) || str_eq(field, "protocol") ||
		  str_eq(field, "nexthdr")))
		e = set_str(&r->proto, vals.v[0]);
	else if (e == 0 && ct && str_eq(key, "state") && eq && !neg) {
		bool est = vals.n > 0;
		for (size_t i = 0; i < vals.n; i++)
			est &= str_eq(vals.v[i], "established") || str_eq(vals.v[i], "related");
		if (est)
			r->established = true;
		else if (!(vals.n == 1 && str_eq(vals.v[0], "new")))
			r->other = true;
	} else if (!(meta && str_eq(key, "nfproto")))
		r->other = true;
	strv_reset(&vals);
	return e ? -ENOMEM : 0;
}

static const char *jstr(const json_t *o, const char *key);

static int jexpr(const json_t *x, struct fw_rule *r)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)x, k, v) {
		if (strcmp(k, "match") == 0 && jmatch(v, r) < 0)
			return -ENOMEM;
		else if (strcmp(k, "accept") == 0)
			r->verdict = FW_ACCEPT;
		else if (strcmp(k, "drop") == 0 || strcmp(k, "reject") == 0)
			r->verdict = FW_DROP;
		else if (strcmp(k, "return") == 0)
			r->verdict = FW_RETURN;
		else if (strcmp(k, "jump") == 0 || strcmp(k, "goto") == 0) {
			const char *t = json_string_value(json_object_get(v, "target"));
			r->verdict = k[0] == 'j' ? FW_JUMP : FW_GOTO;
			if (t && set_str(&r->target, t) < 0)
				return -ENOMEM;
		} else if (strcmp(k, "xt") == 0) {
			/* iptables-nft's compatibility matches are opaque in JSON;
			 * only a comment is known to match everything. */
			r->other |= !str_eq(jstr(v, "name"), "comment");
		} else if (strcmp(k, "counter") && strcmp(k, "log") && strcmp(k, "limit") &&
			   strcmp(k, "comment") && strcmp(k, "match"))
			r->other = true;
	}
	return 0;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int jchain(struct fw_ruleset *rs, const json_t *o)
{
	const char *fam = jstr(o, "family"), *tab = jstr(o, "table"), *name = jstr(o, "name");
	if (!fam || !tab || !name)
		return 0;
	struct fw_chain *c = chain_get(rs, fam, tab, name);
	if (!c)
		return -ENOMEM;
	if (jstr(o, "hook") && set_str(&c->hook, jstr(o, "hook")) < 0)
		return -ENOMEM;
	if (jstr(o, "policy") && set_str(&c->policy, jstr(o, "policy")) < 0)
		return -ENOMEM;
	return 0;
}

static int jrule(struct fw_ruleset *rs, const char *file, const json_t *o, unsigned idx)
{
	const char *fam = jstr(o, "family"), *tab = jstr(o, "table"), *ch = jstr(o, "chain");
	const json_t *ex = json_object_get(o, "expr");
	size_t i;
	json_t *x;
	if (!fam || !tab || !ch)
		return 0;
	struct fw_chain *c = chain_get(rs, fam, tab, ch);
	if (!c)
		return -ENOMEM;
	struct fw_rule r = {.file = file, .line = idx};
	json_array_foreach(ex, i, x)
		if (jexpr(x, &r) < 0) {
			rule_free(&r);
			return -ENOMEM;
		}
	int e = chain_add_rule(rs, c, &r);
	return e == -E2BIG ? 0 : e;
}

int nft_json_parse(struct fw_ruleset *rs, const char *file, const char *buf, size_t len)
{
	json_error_t err;
	json_auto_t *j = json_loadb(buf, len, 0, &err);
	const json_t *arr = json_object_get(j, "nftables");
	const char *f = fw_ruleset_file(rs, file);
	size_t i;
	json_t *o;
	if (!f)
		return -ENOMEM;
	if (!json_is_array(arr))
		return -EINVAL;
	json_array_foreach(arr, i, o) {
		int e = 0;
		if (json_object_get(o, "chain"))
			e = jchain(rs, json_object_get(o, "chain"));
		else if (json_object_get(o, "rule"))
			e = jrule(rs, f, json_object_get(o, "rule"), (unsigned)i);
		if (e < 0)
			return e;
	}
	return 0;
}

/* ---- iptables-save -------------------------------------------------- */

/* Split a line into words; "quoted strings" are one word. */
static int ipt_words(const char *s, size_t len, struct strv *out)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			break;
		size_t j = i;
		if (s[i] == '"') {
			for (j = i + 1; j < len && s[j] != '"'; j++)
				;
			if (strv_add(out, s + i + 1, j - i - 1) < 0)
				return -ENOMEM;
			i = j + 1;
			continue;
		}
		while (j < len && s[j] != ' ' && s[j] != '\t')
			j++;
		if (strv_add(out, s + i, j - i) < 0)
			return -ENOMEM;
		i = j;
	}
	return 0;
}

static bool ipt_opt(const char *w, const char *s, const char *l)
{
	return str_eq(w, s) || str_eq(w, l);
}

static int ipt_ports(struct fw_rule *r, const char *v)
{
	_cleanup_free_ char *c = strdup(v);
	if (!c)
		return -ENOMEM;
	for (char *q = c; *q; q++)
		if (*q == ':')
			*q = '-';
	return add_split(&r->ports, c, "");
}

static void ipt_target(struct fw_rule *r, const char *t, bool is_goto)
{
	if (str_eq(t, "ACCEPT"))
		r->verdict = FW_ACCEPT;
	else if (str_eq(t, "DROP") || str_eq(t, "REJECT"))
		r->verdict = FW_DROP;
	else if (str_eq(t, "RETURN"))
		r->verdict = FW_RETURN;
	else if (str_eq(t, "LOG") || str_eq(t, "NFLOG") || str_eq(t, "MARK"))
		r->verdict = FW_NONE;
	else if (t) {
		r->verdict = is_goto ? FW_GOTO : FW_JUMP;
		free(r->target);
		r->target = strdup(t);
	}
}

/* One option of a -A line at w[*i]; *neg says a ! came before it. */
static int ipt_option(struct fw_rule *r, struct strv *w, size_t *i, bool neg)
{
	const char *o = w->v[*i], *v = *i + 1 < w->n ? w->v[*i + 1] : NULL;
	int e = 0;
	if (!v)
		return r->other = true, 0;
	(*i)++;
	if (ipt_opt(o, "-s", "--source"))
		e = add_split(&r->sources, v, neg ? "!" : "");
	else if (ipt_opt(o, "-p", "--protocol") && !neg)
		e = set_str(&r->proto, v);
	else if ((ipt_opt(o, "--dport", "--destination-port") ||
		  ipt_opt(o, "--dports", "--destination-ports")) &&
		 !neg)
		e = ipt_ports(r, v);
	else if (ipt_opt(o, "-i", "--in-interface") && !neg)
		e = set_str(&r->iface, v);
	else if (ipt_opt(o, "--state", "--ctstate") && !neg) {
		bool est = !strstr(v, "NEW") && !strstr(v, "INVALID") && !strstr(v, "UNTRACKED");
		if (est)
			r->established = true;
		else if (strcmp(v, "NEW") != 0)
			r->other = true;
	} else if (ipt_opt(o, "-j", "--jump") || ipt_opt(o, "-g", "--goto"))
		ipt_target(r, v, ipt_opt(o, "-g", "--goto"));
	else if (ipt_opt(o, "-m", "--match") || str_eq(o, "--comment") ||
		 str_eq(o, "--log-prefix") || str_eq(o, "--reject-with") ||
		 str_eq(o, "--icmp-type") || str_eq(o, "--log-level"))
		; /* neutral, value consumed */
	else {
		r->other = true;
		if (v[0] == '-')
			(*i)--; /* a flag without a value */
	}
	return e;
}

static int ipt_rule(struct fw_ruleset *rs, struct fw_chain *c, const char *file, unsigned line,
		    struct strv *w)
{
	struct fw_rule r = {.file = file, .line = line};
	bool neg = false;
	int e = 0;
	for (size_t i = 2; i < w->n && e == 0; i++) {
		if (str_eq(w->v[i], "!")) {
			neg = true;
			continue;
		}
		e = ipt_option(&r, w, &i, neg);
		neg = false;
	}
	if (e < 0) {
		rule_free(&r);
		return e;
	}
	e = chain_add_rule(rs, c, &r);
	return e == -E2BIG ? 0 : e;
}

static const char *ipt_hook(const char *chain)
{
	if (str_eq(chain, "INPUT"))
		return "input";
	if (str_eq(chain, "FORWARD"))
		return "forward";
	if (str_eq(chain, "OUTPUT"))
		return "output";
	return NULL;
}

/* :CHAIN POLICY [p:b] */
static int ipt_chain_decl(struct fw_ruleset *rs, const char *fam, struct strv *w)
{
	struct fw_chain *c = chain_get(rs, fam, "filter", w->v[0] + 1);
	const char *hook = ipt_hook(w->v[0] + 1);
	if (!c)
		return -ENOMEM;
	if (hook && set_str(&c->hook, hook) < 0)
		return -ENOMEM;
	if (w->n > 1 && strcmp(w->v[1], "-") != 0) {
		char pol[16];
		snprintf(pol, sizeof(pol), "%s", w->v[1]);
		for (char *q = pol; *q; q++)
			*q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
		return set_str(&c->policy, pol);
	}
	return 0;
}

static int ipt_line(struct fw_ruleset *rs, const char *file, const char *fam, const struct line *l,
		    bool *in_filter)
{
	struct strv w = {0};
	int e = ipt_words(l->s, l->len, &w);
	if (e < 0 || w.n == 0 || w.v[0][0] == '#') {
		strv_reset(&w);
		return e;
	}
	if (w.v[0][0] == '*')
		*in_filter = strcmp(w.v[0], "*filter") == 0;
	else if (!*in_filter || strcmp(w.v[0], "COMMIT") == 0)
		;
	else if (w.v[0][0] == ':' && w.v[0][1])
		e = ipt_chain_decl(rs, fam, &w);
	else if ((str_eq(w.v[0], "-A") || str_eq(w.v[0], "-I")) && w.n >= 2) {
		struct fw_chain *c = chain_get(rs, fam, "filter", w.v[1]);
		e = c ? ipt_rule(rs, c, file, l->lineno, &w) : -ENOMEM;
	} else
		e = fw_issue_add(rs, file, l->lineno, "解釈できない行です", "line not understood");
	strv_reset(&w);
	return e;
}

int ipt_parse(struct fw_ruleset *rs, const char *file, const char *fam, const char *buf, size_t len)
{
	const char *f = fw_ruleset_file(rs, file);
	struct line_iter it;
	struct line l;
	bool in_filter = false;
	if (!f)
		return -ENOMEM;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		if (l.len > LIMIT_LINE) {
			fw_issue_add(
			    rs, f, l.lineno,
			    "行が上限 (65536 バイト、LIMIT_LINE) より長いため読んでいません",
			    "line longer than 65536 bytes (LIMIT_LINE): not read");
			continue;
		}
		int e = ipt_line(rs, f, fam, &l, &in_filter);
		if (e < 0)
			return e;
	}
	return 0;
}

/* ---- analysis -------------------------------------------------------- */

static bool rule_unconditional(const struct fw_rule *r)
{
	return !r->proto && r->ports.n == 0 && r->sources.n == 0 && !r->iface && !r->established &&
	       !r->other;
}

/* Whether every element of a ports or sources array is a value the model
 * understands (a number, range, service name, address or prefix, maybe
 * negated; for sources also a named set: whatever it holds, it restricts
 * the sources). A named set of ports, an undefined $variable or garbage
 * is not, and the attribute becomes unknown (null) rather than a value no
 * check would match: the record stays, that attribute unknown. */
static bool all_literal(const json_t *a, bool set_ok)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		if (s && *s == '!')
			s++;
		if (s && *s == '@' && set_ok)
			s++;
		if (!s || !*s || *s == '$' || *s == '@')
			return false;
		for (const char *p = s; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr(".:/_-", *p))
				return false;
	}
	return true;
}

/* One accept: the rule's matches, completed by those of the rule that
 * jumped to its chain (outer, may be NULL). */
static int accept_json(json_t *accepts, const char *backend, const struct fw_chain *base,
		       const struct fw_rule *r, const struct fw_rule *outer)
{
	char chain[512];
	const char *proto = r->proto ?: outer ? outer->proto : NULL;
	const char *iface = r->iface ?: outer ? outer->iface : NULL;
	snprintf(chain, sizeof(chain), "%s %s %s", base->family, base->table, base->name);
	json_t *o = json_pack("{s:s, s:s, s:o, s:o*, s:o*, s:o, s:o, s:o}", "backend", backend,
			      "chain", chain, "proto", json_string(proto ?: "any"), "ports",
			      fw_strv_json(&r->ports, outer ? &outer->ports : NULL), "sources",
			      fw_strv_json(&r->sources, outer ? &outer->sources : NULL),
			      "interface", iface ? json_str(iface) : json_null(), "file",
			      json_str(r->file), "line", json_integer(r->line));
	if (!o)
		return -ENOMEM;
	if (!all_literal(json_object_get(o, "ports"), false))
		json_object_set_new(o, "ports", json_null());
	if (!all_literal(json_object_get(o, "sources"), true))
		json_object_set_new(o, "sources", json_null());
	const json_t *src = json_object_get(o, "sources");
	json_object_set_new(o, "any_source",
			    json_is_null(src) ? json_null()
					      : json_boolean(json_array_size(src) == 0));
	json_object_set_new(o, "other_conditions",
			    json_boolean(r->other || (outer && outer->other)));
	return json_array_append_new(accepts, o) < 0 ? -ENOMEM : 0;
}

static const struct fw_chain *chain_find(const struct fw_ruleset *rs, const struct fw_chain *in,
					 const char *name)
{
	for (size_t i = 0; name && i < rs->nchains; i++) {
		const struct fw_chain *c = &rs->chains[i];
		if (str_eq(c->family, in->family) && str_eq(c->table, in->table) &&
		    str_eq(c->name, name))
			return c;
	}
	return NULL;
}

/* The accepts reachable from chain c (jumps followed to a depth). *budget
 * bounds the rules visited in all: chains jumping several times to chains
 * that do the same would otherwise cost (jumps per chain)^depth. */
static int walk(const struct fw_ruleset *rs, const char *backend, const struct fw_chain *base,
		const struct fw_chain *c, const struct fw_rule *outer, json_t *accepts,
		unsigned depth, size_t *budget)
{
	for (size_t i = 0; i < c->nrules; i++) {
		const struct fw_rule *r = &c->rules[i];
		int e = 0;
		if (*budget == 0)
			return 0;
		(*budget)--;
		if (r->verdict == FW_ACCEPT && !r->established)
			e = accept_json(accepts, backend, base, r, outer);
		else if ((r->verdict == FW_JUMP || r->verdict == FW_GOTO) &&
			 depth < LIMIT_FW_JUMP_DEPTH) {
			const struct fw_chain *t = chain_find(rs, c, r->target);
			if (t && t != c)
				e = walk(rs, backend, base, t, r, accepts, depth + 1, budget);
		}
		if (e < 0)
			return e;
		if (rule_unconditional(r) && (r->verdict == FW_DROP || r->verdict == FW_ACCEPT))
			break; /* nothing after it is reached */
	}
	return 0;
}

/* Whether base chain c drops what it does not accept. */
static bool chain_denies(const struct fw_chain *c)
{
	for (size_t i = 0; i < c->nrules; i++) {
		const struct fw_rule *r = &c->rules[i];
		if (!rule_unconditional(r))
			continue;
		if (r->verdict == FW_ACCEPT)
			return false;
		if (r->verdict == FW_DROP)
			return true;
	}
	return str_eq(c->policy, "drop") || str_eq(c->policy, "reject");
}

int fw_inputs_json(const struct fw_ruleset *rs, const char *backend, json_t *accepts,
		   struct fw_inputs *ret)
{
	*ret = (struct fw_inputs){0};
	const char *first = NULL;
	/* Rule visits: a real ruleset visits each rule a few times at most
	 * (a chain jumped to from several places), so twice the rules plus a
	 * margin keeps hostile fan-outs linear in the input. */
	size_t budget = rs->total_rules * 2 + 1000;
	for (size_t i = 0; i < rs->nchains; i++) {
		const struct fw_chain *c = &rs->chains[i];
		bool v4 = str_eq(c->family, "ip") || str_eq(c->family, "inet");
		bool v6 = str_eq(c->family, "ip6") || str_eq(c->family, "inet");
		if (!str_eq(c->hook, "input") || !(v4 || v6))
			continue;
		ret->inputs++;
		if (!first)
			first = c->policy ?: "accept";
		if (chain_denies(c)) {
			if (!ret->policy)
				ret->policy = c->policy ?: "accept";
			ret->deny4 |= v4;
			ret->deny6 |= v6;
		}
		int e = walk(rs, backend, c, c, NULL, accepts, 0, &budget);
		if (e < 0)
			return e;
	}
	if (!ret->policy)
		ret->policy = first;
	return 0;
}

/* ---- KEY=value, firewalld zones, TCP wrappers ----------------------- */

char *kv_get(const char *buf, size_t len, const char *key)
{
	struct line_iter it;
	struct line l;
	char *val = NULL;
	size_t kl = strlen(key);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = l.len;
		str_trim(&s, &n);
		if (n <= kl || memcmp(s, key, kl) != 0 || s[kl] != '=')
			continue;
		s += kl + 1;
		n -= kl + 1;
		str_trim(&s, &n);
		if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
			s++;
			n -= 2;
		}
		free(val);
		val = xstrndup(s, n);
	}
	return val;
}

/* firewalld reads zone files with a SAX parser (Python's expat) and
 * acts on element names wherever they occur, except inside <rule> (rich
 * rules, conditional: not counted here). So do we, with expat itself:
 * attribute values come out with entities and character references
 * resolved and blanks around '=' allowed, as XML defines them. */
struct zone_sax {
	struct fwd_zone *z;
	unsigned in_rule; /* depth of <rule> elements */
	bool seen, nomem;
};

static int zone_elem(struct fwd_zone *z, const char *el, const char **atts, bool *seen)
{
	const char *a;
	if (strcmp(el, "zone") == 0) {
		*seen = true;
		free(z->target);
		a = xml_attr(atts, "target");
		z->target = a ? strdup(a) : NULL;
		return a && !z->target ? -ENOMEM : 0;
	}
	if (strcmp(el, "service") == 0 && (a = xml_attr(atts, "name")))
		return strv_add(&z->services, a, strlen(a));
	if (strcmp(el, "port") == 0 && (a = xml_attr(atts, "port"))) {
		char tmp[256];
		const char *b = xml_attr(atts, "protocol");
		snprintf(tmp, sizeof(tmp), "%s/%s", a, b ? b : "?");
		return strv_add(&z->ports, tmp, strlen(tmp));
	}
	if (strcmp(el, "source") == 0 && (a = xml_attr(atts, "address")))
		return strv_add(&z->sources, a, strlen(a));
	if (strcmp(el, "interface") == 0 && (a = xml_attr(atts, "name")))
		return strv_add(&z->interfaces, a, strlen(a));
	return 0;
}

static void XMLCALL zone_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	struct zone_sax *x = ud;
	if (strcmp(el, "rule") == 0) {
		x->in_rule++;
		return;
	}
	if (!x->in_rule && zone_elem(x->z, el, atts, &x->seen) < 0)
		x->nomem = true;
}

static void XMLCALL zone_end(void *ud, const XML_Char *el)
{
	struct zone_sax *x = ud;
	if (strcmp(el, "rule") == 0 && x->in_rule > 0)
		x->in_rule--;
}

int fwd_zone_parse(const char *buf, size_t len, struct fwd_zone *ret)
{
	struct zone_sax x = {.z = ret};
	*ret = (struct fwd_zone){0};
	int r = xml_sax_parse(buf, len, zone_start, zone_end, &x);
	if (r == -EFBIG)
		return r;
	/* firewalld refuses a zone file that is not well-formed XML. On any
	 * error what was gathered is freed here: the caller frees only a zone
	 * it got (found by fuzz_firewall as a leak). */
	r = x.nomem || r == -ENOMEM ? -ENOMEM : r == 0 && x.seen ? 0 : -EINVAL;
	if (r < 0)
		fwd_zone_free(ret);
	return r;
}

void fwd_zone_free(struct fwd_zone *z)
{
	free(z->target);
	strv_reset(&z->services);
	strv_reset(&z->ports);
	strv_reset(&z->sources);
	strv_reset(&z->interfaces);
	*z = (struct fwd_zone){0};
}

/* Whether a hosts_access list (comma/space separated) holds ALL without
 * EXCEPT. */
static bool list_is_all(const char *s, size_t n)
{
	bool all = false;
	for (size_t i = 0; i < n;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
			i++;
		size_t j = i;
		while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != ',')
			j++;
		if (j - i == 6 && memcmp(s + i, "EXCEPT", 6) == 0)
			return false;
		if (j - i == 3 && memcmp(s + i, "ALL", 3) == 0)
			all = true;
		i = j;
	}
	return all;
}

/* One logical entry daemons : clients [: options]. */
static void tcpw_entry(const char *s, size_t n, bool is_deny, unsigned line,
		       struct tcpw_summary *ret)
{
	const char *c1 = memchr(s, ':', n);
	if (!c1)
		return;
	const char *cl = c1 + 1, *c2 = memchr(cl, ':', (size_t)(s + n - cl));
	size_t cln = c2 ? (size_t)(c2 - cl) : (size_t)(s + n - cl);
	ret->entries++;
	if (!list_is_all(s, (size_t)(c1 - s)) || !list_is_all(cl, cln))
		return;
	bool deny = is_deny;
	if (c2) {
		const char *o = c2 + 1;
		size_t on = (size_t)(s + n - o);
		str_trim(&o, &on);
		if (on >= 4 && memcmp(o + on - 4, "DENY", 4) == 0)
			deny = true;
		if (on >= 5 && memcmp(o + on - 5, "ALLOW", 5) == 0)
			deny = false;
	}
	if (!ret->first_all_line)
		ret->first_all_line = line;
	*(deny ? &ret->all_all_deny : &ret->all_all_allow) = true;
}

void tcpw_parse(const char *buf, size_t len, bool is_deny, struct tcpw_summary *ret)
{
	struct line_iter it;
	struct line l;
	char joined[LIMIT_TCPW_ENTRY];
	size_t jn = 0;
	unsigned start = 0;
	*ret = (struct tcpw_summary){0};
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = l.len;
		str_trim(&s, &n);
		if (jn == 0 && (n == 0 || s[0] == '#'))
			continue;
		if (jn == 0)
			start = l.lineno;
		bool cont = n > 0 && s[n - 1] == '\\';
		size_t take = cont ? n - 1 : n;
		if (jn + take + 1 < sizeof(joined)) {
			memcpy(joined + jn, s, take);
			jn += take;
			joined[jn++] = ' ';
		}
		if (cont)
			continue;
		tcpw_entry(joined, jn, is_deny, start, ret);
		jn = 0;
	}
	if (jn)
		tcpw_entry(joined, jn, is_deny, start, ret);
}
