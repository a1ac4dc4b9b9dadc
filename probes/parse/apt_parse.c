/* apt_parse.c - apt.conf, sources, preferences, Release files, list file
 * names and package logs (see apt_parse.h). Written from apt.conf(5),
 * sources.list(5), apt_preferences(5) and apt's own URItoFileName, and
 * checked against `apt-get indextargets` and `apt-cache policy`. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/apt_parse.h"
#include "lib/limits.h"
#include "lib/util.h"

/* ---- small helpers ---- */

static void report(deb822_bad_fn bad, void *ud, unsigned line, const char *ja, const char *en)
{
	if (bad)
		bad(ud, line, ja, en);
}

static char *lower_dup(const char *s, size_t n)
{
	char *r = xstrndup(s, n);
	for (char *p = r; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* ================= apt.conf ================= */

enum tok_kind { T_EOF, T_WORD, T_STR, T_LBRACE, T_RBRACE, T_SEMI, T_CLEAR, T_INCLUDE, T_BAD };
struct tok {
	enum tok_kind kind;
	const char *s;
	size_t len;
	unsigned line;
};
struct lexer {
	const char *p, *end;
	unsigned line;
	struct tok peeked;
	bool has_peek;
};

static bool starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* Skip blanks and comments: "//" and "#" to the end of the line (except
 * the #clear and #include directives), and C comments. */
static void lex_skip(struct lexer *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == '\n')
			lx->line++;
		if (isspace((unsigned char)c)) {
			lx->p++;
		} else if (starts(lx->p, lx->end, "/*")) {
			const char *e = lx->p + 2;
			while (e < lx->end && !starts(e, lx->end, "*/"))
				lx->line += *e++ == '\n';
			lx->p = e < lx->end ? e + 2 : lx->end;
		} else if (starts(lx->p, lx->end, "//") ||
			   (c == '#' && !starts(lx->p, lx->end, "#clear") &&
			    !starts(lx->p, lx->end, "#include"))) {
			const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
			lx->p = nl ? nl : lx->end;
		} else {
			return;
		}
	}
}

static struct tok lex_next(struct lexer *lx)
{
	if (lx->has_peek) {
		lx->has_peek = false;
		return lx->peeked;
	}
	lex_skip(lx);
	struct tok t = {T_EOF, lx->p, 0, lx->line};
	if (lx->p >= lx->end)
		return t;
	char c = *lx->p;
	if (c == '{' || c == '}' || c == ';') {
		t.kind = c == '{' ? T_LBRACE : c == '}' ? T_RBRACE : T_SEMI;
		t.len = 1;
		lx->p++;
		return t;
	}
	if (c == '"') {
		const char *q = lx->p + 1;
		while (q < lx->end && *q != '"' && *q != '\n')
			q++;
		if (q >= lx->end || *q != '"') {
			t.kind = T_BAD;
			lx->p = q;
			return t;
		}
		t.kind = T_STR;
		t.s = lx->p + 1;
		t.len = (size_t)(q - t.s);
		lx->p = q + 1;
		return t;
	}
	const char *q = lx->p;
	/* memchr, not strchr: strchr finds a NUL byte (the terminator), which
	 * then neither ended the input nor advanced it (an endless loop). */
	while (q < lx->end && !isspace((unsigned char)*q) && !memchr("{};\"", *q, 4))
		q++;
	t.kind = T_WORD;
	t.len = (size_t)(q - lx->p);
	if (starts(t.s, q, "#clear") && t.len == 6)
		t.kind = T_CLEAR;
	else if (starts(t.s, q, "#include") && t.len == 8)
		t.kind = T_INCLUDE;
	lx->p = q;
	return t;
}

static struct tok lex_peek(struct lexer *lx)
{
	if (!lx->has_peek) {
		lx->peeked = lex_next(lx);
		lx->has_peek = true;
	}
	return lx->peeked;
}

static int conf_add(struct apt_conf *c, char *key, const char *val, size_t vlen)
{
	if (!key || grow((void **)&c->v, &c->cap, c->n, sizeof(*c->v)) < 0) {
		free(key);
		return -ENOMEM;
	}
	char *v = xstrndup(val, vlen);
	if (!v) {
		free(key);
		return -ENOMEM;
	}
	c->v[c->n++] = (struct apt_conf_item){key, v};
	return 0;
}

static void conf_clear(struct apt_conf *c, const char *key)
{
	size_t kl = strlen(key), k = 0;
	for (size_t i = 0; i < c->n; i++) {
		const char *ik = c->v[i].key;
		bool hit =
		    strncmp(ik, key, kl) == 0 && (ik[kl] == '\0' || strncmp(ik + kl, "::", 2) == 0);
		if (hit) {
			free(c->v[i].key);
			free(c->v[i].value);
		} else {
			c->v[k++] = c->v[i];
		}
	}
	c->n = k;
}

/* prefix::name, lower case (new). */
static char *conf_key(const char *prefix, const char *name, size_t n)
{
	_cleanup_free_ char *low = lower_dup(name, n);
	char *k = NULL;
	if (!low)
		return NULL;
	if (!*prefix)
		return TAKE_PTR(low);
	if (asprintf(&k, "%s::%s", prefix, low) < 0)
		return NULL;
	return k;
}

#define CONF_DEPTH 64

struct conf_parser {
	struct apt_conf *conf;
	struct lexer lx;
	char *stack[CONF_DEPTH];
	size_t depth;
	const struct apt_conf_include *inc;
	deb822_bad_fn bad;
	void *ud;
};

static const char *conf_prefix(const struct conf_parser *cp)
{
	return cp->depth ? cp->stack[cp->depth - 1] : "";
}

static int conf_directive(struct conf_parser *cp, struct tok t)
{
	struct tok arg = lex_next(&cp->lx);
	if (lex_peek(&cp->lx).kind == T_SEMI)
		lex_next(&cp->lx);
	/* apt refuses the whole configuration then. */
	if (cp->depth) {
		report(cp->bad, cp->ud, t.line, "指令はブロックの外にしか書けません",
		       "directives can only be given at the top level");
		return -EBADMSG;
	}
	if (arg.kind != T_WORD && arg.kind != T_STR)
		return 0;
	if (t.kind == T_INCLUDE) {
		if (!cp->inc) {
			report(cp->bad, cp->ud, t.line, "#include は読みません",
			       "#include is not followed");
			return 0;
		}
		_cleanup_free_ char *path = xstrndup(arg.s, arg.len);
		if (!path)
			return -ENOMEM;
		/* A name ending in "/" is a directory of parts, as in apt. */
		bool dir = arg.len > 1 && arg.s[arg.len - 1] == '/';
		return cp->inc->fn(cp->inc->userdata, path, dir, t.line);
	}
	_cleanup_free_ char *key = conf_key(conf_prefix(cp), arg.s, arg.len);
	if (!key)
		return -ENOMEM;
	conf_clear(cp->conf, key);
	return 0;
}

/* "name {", "name value;" or a bare list item "value;". */
static int conf_statement(struct conf_parser *cp, struct tok t)
{
	struct tok n = lex_peek(&cp->lx);
	if (n.kind == T_LBRACE) {
		lex_next(&cp->lx);
		if (cp->depth == CONF_DEPTH) {
			report(cp->bad, cp->ud, t.line, "入れ子が深すぎます", "nesting too deep");
			return -EBADMSG;
		}
		char *k = conf_key(conf_prefix(cp), t.s, t.len);
		if (!k)
			return -ENOMEM;
		cp->stack[cp->depth++] = k;
		return 0;
	}
	if (n.kind == T_WORD || n.kind == T_STR) {
		lex_next(&cp->lx);
		if (lex_peek(&cp->lx).kind == T_SEMI)
			lex_next(&cp->lx);
		return conf_add(cp->conf, conf_key(conf_prefix(cp), t.s, t.len), n.s, n.len);
	}
	/* A value alone: an item of the enclosing list. */
	if (n.kind == T_SEMI)
		lex_next(&cp->lx);
	char *k = NULL;
	if (asprintf(&k, "%s::", conf_prefix(cp)) < 0)
		return -ENOMEM;
	return conf_add(cp->conf, k, t.s, t.len);
}

static int conf_step(struct conf_parser *cp, struct tok t)
{
	switch (t.kind) {
	case T_SEMI:
		return 0;
	case T_RBRACE:
		if (!cp->depth) {
			report(cp->bad, cp->ud, t.line, "対応しない }", "unbalanced }");
			return 0;
		}
		free(cp->stack[--cp->depth]);
		return 0;
	case T_CLEAR:
	case T_INCLUDE:
		return conf_directive(cp, t);
	case T_WORD:
	case T_STR:
		return conf_statement(cp, t);
	default:
		report(cp->bad, cp->ud, t.line, "閉じていない引用符", "unterminated quote");
		return -EBADMSG;
	}
}

int apt_conf_parse(struct apt_conf *conf, const char *buf, size_t len, deb822_bad_fn bad,
		   void *userdata)
{
	return apt_conf_parse_with(conf, buf, len, NULL, bad, userdata);
}

int apt_conf_parse_with(struct apt_conf *conf, const char *buf, size_t len,
			const struct apt_conf_include *inc, deb822_bad_fn bad, void *userdata)
{
	struct conf_parser cp = {.conf = conf,
				 .lx = {buf, buf + len, 1, {0}, false},
				 .inc = inc,
				 .bad = bad,
				 .ud = userdata};
	int r = 0;
	for (;;) {
		struct tok t = lex_next(&cp.lx);
		if (t.kind == T_EOF)
			break;
		r = conf_step(&cp, t);
		if (r < 0)
			break;
	}
	if (r == 0 && cp.depth)
		report(bad, userdata, cp.lx.line, "閉じていない {", "unclosed {");
	while (cp.depth)
		free(cp.stack[--cp.depth]);
	/* A syntax error ends this file, as in apt; what was read stays. */
	return r == -ENOMEM ? r : 0;
}

const char *apt_conf_get(const struct apt_conf *conf, const char *key)
{
	for (size_t i = conf->n; i-- > 0;)
		if (strcasecmp(conf->v[i].key, key) == 0)
			return conf->v[i].value;
	return NULL;
}

size_t apt_conf_list(const struct apt_conf *conf, const char *key,
		     void (*fn)(const char *value, void *userdata), void *userdata)
{
	size_t kl = strlen(key), n = 0;
	for (size_t i = 0; i < conf->n; i++) {
		const char *k = conf->v[i].key;
		if (strncasecmp(k, key, kl) != 0 || strcmp(k + kl, "::") != 0)
			continue;
		if (fn)
			fn(conf->v[i].value, userdata);
		n++;
	}
	return n;
}

int apt_conf_bool(const struct apt_conf *conf, const char *key, int def)
{
	static const char *const yes[] = {"yes", "true", "with", "on", "enable"};
	static const char *const no[] = {"no", "false", "without", "off", "disable"};
	const char *v = apt_conf_get(conf, key);
	if (!v)
		return def;
	if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
		return v[0] == '1';
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return def;
}

int apt_conf_set(struct apt_conf *conf, const char *key, const char *value)
{
	return conf_add(conf, lower_dup(key, strlen(key)), value, strlen(value));
}

int apt_conf_defaults(struct apt_conf *conf)
{
	/* apt's pkgInitConfig, in its order (the values apt 2.6 sets). */
	static const char *const defs[][2] = {
	    {"dir", "/"},
	    {"dir::state", "var/lib/apt/"},
	    {"dir::state::lists", "lists/"},
	    {"dir::cache", "var/cache/apt/"},
	    {"dir::etc", "etc/apt/"},
	    {"dir::etc::sourcelist", "sources.list"},
	    {"dir::etc::sourceparts", "sources.list.d"},
	    {"dir::etc::main", "apt.conf"},
	    {"dir::etc::parts", "apt.conf.d"},
	    {"dir::etc::preferences", "preferences"},
	    {"dir::etc::preferencesparts", "preferences.d"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		if (apt_conf_get(conf, defs[i][0]))
			continue;
		int r = conf_add(conf, strdup(defs[i][0]), defs[i][1], strlen(defs[i][1]));
		if (r < 0)
			return r;
	}
	return 0;
}

/* The key naming the parent node of key ("dir::etc" of
 * "dir::etc::sourcelist"), NULL at the top (new). */
static char *parent_key(const char *key)
{
	const char *last = NULL;
	for (const char *p = strstr(key, "::"); p; p = strstr(p + 2, "::"))
		last = p;
	return last ? xstrndup(key, (size_t)(last - key)) : NULL;
}

/* Whether apt stops prefixing parents to val: absolute, or relative to
 * the working or home directory. */
static bool find_done(const char *val)
{
	return val[0] == '/' || strncmp(val, "~/", 2) == 0 || strncmp(val, "./", 2) == 0 ||
	       strncmp(val, "../", 3) == 0;
}

char *apt_conf_find_file(const struct apt_conf *conf, const char *key)
{
	const char *v = apt_conf_get(conf, key);
	char *val = strdup(v ? v : "");
	char *k = val && *val ? strdup(key) : NULL;
	while (k && !find_done(val)) {
		char *pk = parent_key(k);
		free(k);
		k = pk;
		const char *pv = k ? apt_conf_get(conf, k) : NULL;
		if (!pv || !*pv)
			continue; /* an empty parent adds nothing, as in apt */
		char *nv = NULL;
		if (asprintf(&nv, "%s%s%s", pv, pv[strlen(pv) - 1] == '/' ? "" : "/", val) < 0)
			nv = NULL;
		free(val);
		val = nv;
		if (!val)
			break;
	}
	free(k);
	if (val && strncmp(val, "/dev/null", 9) == 0)
		val[9] = '\0';
	return val;
}

char *apt_conf_find_dir(const struct apt_conf *conf, const char *key)
{
	char *f = apt_conf_find_file(conf, key);
	size_t n = f ? strlen(f) : 0;
	if (!f || (n && f[n - 1] == '/') || (n >= 9 && strcmp(f + n - 9, "/dev/null") == 0))
		return f;
	char *d = NULL;
	if (asprintf(&d, "%s/", f) < 0)
		d = NULL;
	free(f);
	return d;
}

void apt_conf_free(struct apt_conf *conf)
{
	if (!conf)
		return;
	for (size_t i = 0; i < conf->n; i++) {
		free(conf->v[i].key);
		free(conf->v[i].value);
	}
	free(conf->v);
	conf->v = NULL;
	conf->n = conf->cap = 0;
}

/* ================= sources ================= */

static void source_free(struct apt_source *s)
{
	free(s->file);
	free(s->uri);
	free(s->suite);
	strv_free(s->components);
	strv_free(s->archs);
	strv_free(s->archs_add);
	strv_free(s->archs_remove);
}

void apt_sources_free(struct apt_sources *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		source_free(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* s with "$(ARCH)" replaced by arch (new). */
static char *subst_arch(const char *s, size_t n, const char *arch)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_LINE);
	const char *end = s + n;
	while (s < end) {
		const char *m = memmem(s, (size_t)(end - s), "$(ARCH)", 7);
		size_t chunk = m ? (size_t)(m - s) : (size_t)(end - s);
		if (strbuf_append(&sb, s, chunk) < 0 || (m && strbuf_puts(&sb, arch) < 0)) {
			strbuf_free(&sb);
			return NULL;
		}
		s += chunk + (m ? 7 : 0);
	}
	return strbuf_steal(&sb);
}

/* The URI as apt keeps it: with a final "/". */
static char *uri_dup(const char *s, size_t n)
{
	char *u = malloc(n + 2);
	if (!u)
		return NULL;
	memcpy(u, s, n);
	if (n == 0 || s[n - 1] != '/')
		u[n++] = '/';
	u[n] = '\0';
	return u;
}

/* Split a list value on blanks and commas into *v. */
static int split_into(char ***v, const char *s, size_t n)
{
	const char *end = s + n;
	size_t nv = strv_length(*v);
	while (s < end) {
		while (s < end && (isspace((unsigned char)*s) || *s == ','))
			s++;
		const char *w = s;
		while (s < end && !isspace((unsigned char)*s) && *s != ',')
			s++;
		if (s > w && strv_push_n(v, &nv, w, (size_t)(s - w)) < 0)
			return -ENOMEM;
	}
	if (!*v) /* given but empty: an empty list, not "not given" */
		*v = calloc(1, sizeof(char *));
	return *v ? 0 : -ENOMEM;
}

static bool yes_word(const char *s, size_t n)
{
	struct span v = {s, n};
	return span_eq_nocase(v, "yes") || span_eq_nocase(v, "true") || span_eq_nocase(v, "1");
}

/* One "key=value" (or key+=, key-=) of a one-line entry's [options]. */
static int list_option(struct apt_source *src, const char *o, size_t n)
{
	const char *eq = memchr(o, '=', n);
	if (!eq || eq == o)
		return -EBADMSG;
	size_t kl = (size_t)(eq - o);
	char op = o[kl - 1] == '+' || o[kl - 1] == '-' ? o[kl - 1] : 0;
	struct span key = {o, op ? kl - 1 : kl};
	const char *val = eq + 1;
	size_t vl = (size_t)(o + n - val);
	if (span_eq(key, "arch"))
		return split_into(op == '+'   ? &src->archs_add
				  : op == '-' ? &src->archs_remove
					      : &src->archs,
				  val, vl);
	if (span_eq(key, "trusted"))
		src->trusted = yes_word(val, vl);
	else if (span_eq(key, "signed-by"))
		src->signed_by = vl > 0;
	return 0;
}

/* The [ ... ] block of a one-line entry, p just after "[". */
static int list_options(struct apt_source *src, const char **p, const char *end)
{
	for (;;) {
		while (*p < end && isspace((unsigned char)**p))
			(*p)++;
		if (*p >= end)
			return -EBADMSG;
		if (**p == ']') {
			(*p)++;
			return 0;
		}
		const char *o = *p;
		while (*p < end && !isspace((unsigned char)**p) && **p != ']')
			(*p)++;
		int r = list_option(src, o, (size_t)(*p - o));
		if (r < 0)
			return r;
	}
}

static bool next_word(const char **p, const char *end, struct span *w)
{
	while (*p < end && isspace((unsigned char)**p))
		(*p)++;
	const char *s = *p;
	while (*p < end && !isspace((unsigned char)**p))
		(*p)++;
	*w = (struct span){s, (size_t)(*p - s)};
	return *p > s;
}

static int push_source(struct apt_sources *out, struct apt_source *src)
{
	if (out->n >= LIMIT_APT_SOURCES ||
	    grow((void **)&out->v, &out->cap, out->n, sizeof(*out->v)) < 0) {
		source_free(src);
		return out->n >= LIMIT_APT_SOURCES ? -E2BIG : -ENOMEM;
	}
	out->v[out->n++] = *src;
	return 0;
}

/* uri, suite and components of a one-line entry. */
static int list_rest(struct apt_source *src, const char *p, const char *end, const char *arch)
{
	struct span uri, suite, comp;
	if (!next_word(&p, end, &uri) || !next_word(&p, end, &suite))
		return -EBADMSG;
	src->uri = uri_dup(uri.s, uri.len);
	src->suite = subst_arch(suite.s, suite.len, arch);
	if (!src->uri || !src->suite)
		return -ENOMEM;
	size_t ncomp = strv_length(src->components);
	while (next_word(&p, end, &comp))
		if (strv_push_n(&src->components, &ncomp, comp.s, comp.len) < 0)
			return -ENOMEM;
	bool flat = suite.s[suite.len - 1] == '/';
	if (flat != !src->components)
		return -EBADMSG; /* a flat suite takes no components; others need one */
	if (!src->components && !(src->components = calloc(1, sizeof(char *))))
		return -ENOMEM;
	return 0;
}

static int list_line(struct apt_sources *out, const char *file, struct line *ln, const char *arch)
{
	const char *p = ln->s, *end = ln->s + ln->len;
	const char *hash = memchr(p, '#', ln->len);
	if (hash)
		end = hash;
	struct span type;
	if (!next_word(&p, end, &type))
		return 0;
	struct apt_source src = {.line = ln->lineno, .enabled = true};
	if (!span_eq(type, "deb") && !span_eq(type, "deb-src"))
		return -EBADMSG;
	src.src = span_eq(type, "deb-src");
	while (p < end && isspace((unsigned char)*p))
		p++;
	int r = 0;
	if (p < end && *p == '[') {
		p++;
		r = list_options(&src, &p, end);
	}
	if (r == 0)
		r = list_rest(&src, p, end, arch);
	if (r == 0 && !(src.file = strdup(file)))
		r = -ENOMEM;
	if (r < 0) {
		source_free(&src);
		return r;
	}
	return push_source(out, &src);
}

int apt_sources_parse_list(struct apt_sources *out, const char *file, const char *buf, size_t len,
			   const char *native_arch, deb822_bad_fn bad, void *userdata)
{
	struct line_iter it;
	struct line ln;
	int ret = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		int r = list_line(out, file, &ln, native_arch);
		if (r == -ENOMEM || r == -E2BIG)
			return r;
		if (r < 0) {
			report(bad, userdata, ln.lineno,
			       "sources.list の書式に合わない行 (apt は動作しません)",
			       "malformed sources.list entry (apt refuses to run)");
			ret = -EBADMSG;
		}
	}
	return ret;
}

/* ---- deb822 .sources ---- */

enum {
	S_TYPES,
	S_URIS,
	S_SUITES,
	S_COMPONENTS,
	S_ARCHS,
	S_ARCHS_ADD,
	S_ARCHS_REMOVE,
	S_ENABLED,
	S_SIGNED_BY,
	S_TRUSTED,
	S_COUNT
};
static const char *const source_fields[S_COUNT] = {"Types",
						   "URIs",
						   "Suites",
						   "Components",
						   "Architectures",
						   "Architectures-Add",
						   "Architectures-Remove",
						   "Enabled",
						   "Signed-By",
						   "Trusted"};

/* One entry of a stanza: a copy of the stanza's options for one type,
 * URI and suite. */
static int stanza_entry(struct apt_sources *out, const char *file, unsigned line,
			const struct span *f, struct span type, struct span uri, struct span suite,
			const char *arch)
{
	struct apt_source src = {.line = line, .deb822 = true, .src = span_eq(type, "deb-src")};
	src.enabled = !f[S_ENABLED].s || yes_word(f[S_ENABLED].s, f[S_ENABLED].len);
	src.trusted = f[S_TRUSTED].s && yes_word(f[S_TRUSTED].s, f[S_TRUSTED].len);
	src.signed_by = f[S_SIGNED_BY].s && f[S_SIGNED_BY].len > 0;
	src.file = strdup(file);
	src.uri = uri_dup(uri.s, uri.len);
	src.suite = subst_arch(suite.s, suite.len, arch);
	int r = src.file && src.uri && src.suite ? 0 : -ENOMEM;
	if (r == 0)
		r = split_into(&src.components, f[S_COMPONENTS].s ? f[S_COMPONENTS].s : "",
			       f[S_COMPONENTS].len);
	if (r == 0 && f[S_ARCHS].s)
		r = split_into(&src.archs, f[S_ARCHS].s, f[S_ARCHS].len);
	if (r == 0 && f[S_ARCHS_ADD].s)
		r = split_into(&src.archs_add, f[S_ARCHS_ADD].s, f[S_ARCHS_ADD].len);
	if (r == 0 && f[S_ARCHS_REMOVE].s)
		r = split_into(&src.archs_remove, f[S_ARCHS_REMOVE].s, f[S_ARCHS_REMOVE].len);
	if (r == 0 && (suite.s[suite.len - 1] == '/') != !src.components[0])
		r = -EBADMSG;
	if (r < 0) {
		source_free(&src);
		return r;
	}
	return push_source(out, &src);
}

static int stanza_entries(struct apt_sources *out, const char *file, unsigned line,
			  const struct span *f, const char *arch)
{
	struct span types = f[S_TYPES], type;
	while (span_next_word(&types, &type)) {
		if (!span_eq(type, "deb") && !span_eq(type, "deb-src"))
			return -EBADMSG;
		struct span uris = f[S_URIS], uri;
		while (span_next_word(&uris, &uri)) {
			struct span suites = f[S_SUITES], suite;
			while (span_next_word(&suites, &suite)) {
				int r = stanza_entry(out, file, line, f, type, uri, suite, arch);
				if (r < 0)
					return r;
			}
		}
	}
	return 0;
}

int apt_sources_parse_deb822(struct apt_sources *out, const char *file, const char *buf, size_t len,
			     const char *native_arch, deb822_bad_fn bad, void *userdata)
{
	struct deb822_iter it;
	struct deb822_para para;
	int ret = 0;
	deb822_iter_init(&it, buf, len);
	while (deb822_next(&it, &para)) {
		struct span f[S_COUNT];
		if (deb822_get(&para, true, source_fields, f, S_COUNT) == 0)
			continue; /* only comments */
		int r = -EBADMSG;
		if (f[S_TYPES].s && f[S_URIS].s && f[S_SUITES].s)
			r = stanza_entries(out, file, para.lineno, f, native_arch);
		if (r == -ENOMEM || r == -E2BIG)
			return r;
		if (r < 0) {
			report(bad, userdata, para.lineno,
			       ".sources の書式に合わない記述 (apt は動作しません)",
			       "malformed .sources stanza (apt refuses to run)");
			ret = -EBADMSG;
		}
	}
	return ret;
}

bool apt_part_name_ok(const char *name, const char *ext, bool no_ext_ok)
{
	static const char ok[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.";
	if (!*name || strspn(name, ok) != strlen(name))
		return false;
	const char *dot = strrchr(name, '.');
	if (!dot)
		return no_ext_ok;
	return strcmp(dot + 1, ext) == 0;
}

/* ================= URIs ================= */

/* The parts of a URI as apt's URI class splits them. */
struct uri_parts {
	const char *host, *path;
	size_t host_len, path_len;
	long port;
};

/* As apt's URI class: the scheme ends at the first colon; the host runs
 * from after it (and after "//" if present) to the first "/" outside
 * square brackets, so "cdrom:[Debian 12]/" has a host and "file:/srv"
 * has none; user:password@ and the brackets are dropped, a final :port
 * kept apart. */
static void uri_split(const char *u, struct uri_parts *ret)
{
	const char *end = u + strlen(u), *colon = strchr(u, ':');
	const char *auth = colon ? colon + 1 : u;
	*ret = (struct uri_parts){0};
	if (colon && starts(auth, end, "//"))
		auth += 2;
	const char *slash = auth;
	for (bool br = false; slash < end && (*slash != '/' || br); slash++)
		br = *slash == '[' ? true : *slash == ']' ? false : br;
	ret->path = slash;
	ret->path_len = (size_t)(end - slash);
	const char *at = NULL;
	for (const char *q = auth; q < slash; q++)
		if (*q == '@')
			at = q;
	const char *h = at ? at + 1 : auth, *he = slash;
	const char *rb = h < he && *h == '[' ? memchr(h, ']', (size_t)(he - h)) : NULL;
	const char *pc = NULL;
	for (const char *q = rb ? rb : h; q < he; q++)
		if (*q == ':')
			pc = q;
	if (pc) {
		ret->port = strtol(pc + 1, NULL, 10);
		he = pc;
	}
	if (rb) {
		h++;
		he = rb;
	}
	ret->host = h;
	ret->host_len = (size_t)(he - h);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* apt reads URIs %-decoded, then quotes them again for file names. */
static int dequote_append(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			c = (char)(hexval((unsigned char)s[i + 1]) * 16 +
				   hexval((unsigned char)s[i + 2]));
			i += 2;
		}
		if (strbuf_append(sb, &c, 1) < 0)
			return -ENOMEM;
	}
	return 0;
}

char *apt_uri_to_filename(const char *uri)
{
	struct uri_parts up;
	uri_split(uri, &up);
	struct strbuf plain, out;
	strbuf_init(&plain, LIMIT_PATH * 2);
	strbuf_init(&out, LIMIT_PATH * 6);
	int r = dequote_append(&plain, up.host ? up.host : "", up.host_len);
	if (r == 0 && up.port && up.host_len)
		r = strbuf_printf(&plain, ":%ld", up.port);
	if (r == 0 && up.path_len && up.path[0] != '/')
		r = strbuf_puts(&plain, "/");
	if (r == 0)
		r = dequote_append(&plain, up.path ? up.path : "", up.path_len);
	for (size_t i = 0; r == 0 && i < plain.len; i++) {
		unsigned char c = (unsigned char)plain.s[i];
		if (c == '/')
			r = strbuf_puts(&out, "_");
		else if (c <= 0x20 || c >= 0x7f || strchr("\\|{}[]<>\"^~_=!@#$%&*", c))
			r = strbuf_printf(&out, "%%%02x", c);
		else
			r = strbuf_append(&out, (const char *)&c, 1);
	}
	strbuf_free(&plain);
	if (r < 0) {
		strbuf_free(&out);
		return NULL;
	}
	return strbuf_steal(&out);
}

char *apt_uri_site(const char *uri)
{
	struct uri_parts up;
	uri_split(uri, &up);
	return xstrndup(up.host ? up.host : "", up.host_len);
}

/* ================= preferences ================= */

static void pin_free(struct apt_pin *p)
{
	free(p->file);
	free(p->package);
	free(p->data);
}

void apt_pins_free(struct apt_pins *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		pin_free(&p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

static int push_pin(struct apt_pins *out, const struct apt_pin *tmpl, struct span name)
{
	if (out->n >= LIMIT_APT_PINS)
		return -E2BIG;
	if (grow((void **)&out->v, &out->cap, out->n, sizeof(*out->v)) < 0)
		return -ENOMEM;
	struct apt_pin p = *tmpl;
	p.file = strdup(tmpl->file);
	p.data = strdup(tmpl->data);
	p.package = span_eq(name, "*") ? NULL : xstrndup(name.s, name.len);
	if (!p.file || !p.data || (!span_eq(name, "*") && !p.package)) {
		pin_free(&p);
		return -ENOMEM;
	}
	out->v[out->n++] = p;
	return 0;
}

/* The Pin: value: its type word and the rest. -EINVAL for an unknown type
 * (apt warns and skips the stanza). */
static int pin_type(struct span pin, bool generic, enum apt_pin_type *type, struct span *data)
{
	struct span rest = pin, w;
	if (!span_next_word(&rest, &w))
		return -EINVAL;
	if (span_eq_nocase(w, "version") && !generic)
		*type = APT_PIN_VERSION;
	else if (span_eq_nocase(w, "release"))
		*type = APT_PIN_RELEASE;
	else if (span_eq_nocase(w, "origin"))
		*type = APT_PIN_ORIGIN;
	else
		return -EINVAL;
	while (rest.len && isspace((unsigned char)rest.s[0])) {
		rest.s++;
		rest.len--;
	}
	*data = rest;
	return 0;
}

enum { P_PACKAGE, P_PIN, P_PRIORITY, P_COUNT };
static const char *const pin_fields[P_COUNT] = {"Package", "Pin", "Pin-Priority"};

static int pref_stanza(struct apt_pins *out, const char *file, const struct deb822_para *para,
		       deb822_bad_fn bad, void *ud)
{
	struct span f[P_COUNT];
	if (deb822_get(para, true, pin_fields, f, P_COUNT) == 0)
		return 0;
	if (!f[P_PACKAGE].s || !f[P_PACKAGE].len)
		return -EBADMSG;
	if (!f[P_PIN].s)
		return 0;
	struct apt_pin tmpl = {.file = (char *)file, .line = para->lineno};
	struct span data;
	if (pin_type(f[P_PIN], span_eq(f[P_PACKAGE], "*"), &tmpl.type, &data) < 0) {
		report(bad, ud, para->lineno, "Pin の種類が分かりません (無視します)",
		       "pin type not understood (ignored, as apt does)");
		return 0;
	}
	long prio;
	struct span ps = f[P_PRIORITY];
	if (!ps.s || parse_long_n(ps.s, ps.len, &prio) < 0 || prio == 0 || prio < -32768 ||
	    prio > 32767)
		return -EBADMSG;
	tmpl.priority = (int)prio;
	_cleanup_free_ char *d = xstrndup(data.s, data.len);
	if (!d)
		return -ENOMEM;
	tmpl.data = d;
	struct span names = f[P_PACKAGE], name;
	while (span_next_word(&names, &name)) {
		int r = push_pin(out, &tmpl, name);
		if (r < 0)
			return r;
	}
	return 0;
}

int apt_prefs_parse(struct apt_pins *out, const char *file, const char *buf, size_t len,
		    deb822_bad_fn bad, void *userdata)
{
	struct deb822_iter it;
	struct deb822_para para;
	deb822_iter_init(&it, buf, len);
	while (deb822_next(&it, &para)) {
		int r = pref_stanza(out, file, &para, bad, userdata);
		if (r == -EBADMSG) {
			report(bad, userdata, para.lineno,
			       "Package がないか Pin-Priority が 0 か範囲外です (apt "
			       "はこのファイルで止まります)",
			       "no Package, or Pin-Priority zero or out of range (apt stops at "
			       "this file)");
			return r;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* ================= Release ================= */

void apt_release_free(struct apt_release *r)
{
	if (!r)
		return;
	free(r->origin);
	free(r->label);
	free(r->suite);
	free(r->codename);
	free(r->version);
	strv_free(r->archs);
	*r = (struct apt_release){0};
}

/* The signed text of a clear-signed message, dash-escaping undone (new,
 * into *ret); 0 when buf is not clear-signed. */
static int unarmour(const char *buf, size_t len, struct buf *ret)
{
	static const char begin[] = "-----BEGIN PGP SIGNED MESSAGE-----";
	if (len < sizeof(begin) - 1 || memcmp(buf, begin, sizeof(begin) - 1) != 0)
		return 0;
	struct line_iter it;
	struct line ln;
	struct strbuf sb;
	bool body = false;
	strbuf_init(&sb, LIMIT_RELEASE_FILE);
	line_iter_init(&it, buf, len);
	line_iter_next(&it, &ln);
	while (line_iter_next(&it, &ln)) {
		if (!body) {
			body = ln.len == 0; /* armour headers end at a blank line */
			continue;
		}
		if (ln.len >= 29 && memcmp(ln.s, "-----BEGIN PGP SIGNATURE-----", 29) == 0)
			break;
		size_t skip = ln.len >= 2 && ln.s[0] == '-' && ln.s[1] == ' ' ? 2 : 0;
		if (strbuf_append(&sb, ln.s + skip, ln.len - skip) < 0 ||
		    strbuf_puts(&sb, "\n") < 0) {
			strbuf_free(&sb);
			return -ENOMEM;
		}
	}
	ret->len = sb.len;
	ret->data = strbuf_steal(&sb);
	return ret->data ? 1 : -ENOMEM;
}

enum {
	R_ORIGIN,
	R_LABEL,
	R_SUITE,
	R_CODENAME,
	R_VERSION,
	R_DATE,
	R_VALID,
	R_NOTAUTO,
	R_BUTAUTO,
	R_ARCHS,
	R_COUNT
};
static const char *const release_fields[R_COUNT] = {
    "Origin",	    "Label",	    "Suite",
    "Codename",	    "Version",	    "Date",
    "Valid-Until",  "NotAutomatic", "ButAutomaticUpgrades",
    "Architectures"};

static int release_fill(const struct deb822_para *para, struct apt_release *r)
{
	struct span f[R_COUNT];
	deb822_get(para, false, release_fields, f, R_COUNT);
	char **strs[] = {&r->origin, &r->label, &r->suite, &r->codename, &r->version};
	for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
		if (f[i].s && !(*strs[i] = span_dup(f[i])))
			return -ENOMEM;
	r->has_date = f[R_DATE].s && apt_parse_date(f[R_DATE].s, f[R_DATE].len, &r->date) == 0;
	r->has_valid_until =
	    f[R_VALID].s && apt_parse_date(f[R_VALID].s, f[R_VALID].len, &r->valid_until) == 0;
	r->not_automatic = f[R_NOTAUTO].s && span_eq_nocase(f[R_NOTAUTO], "yes");
	r->but_automatic_upgrades = f[R_BUTAUTO].s && span_eq_nocase(f[R_BUTAUTO], "yes");
	if (f[R_ARCHS].s)
		return split_into(&r->archs, f[R_ARCHS].s, f[R_ARCHS].len);
	return 0;
}

int apt_release_parse(const char *buf, size_t len, struct apt_release *ret)
{
	_cleanup_buf_ struct buf plain = {0};
	struct apt_release r = {0};
	int a = unarmour(buf, len, &plain);
	if (a < 0)
		return a;
	if (a > 0) {
		buf = plain.data;
		len = plain.len;
		r.signed_inline = true;
	}
	struct deb822_iter it;
	struct deb822_para para;
	deb822_iter_init(&it, buf, len);
	if (!deb822_next(&it, &para))
		return -EBADMSG;
	int e = release_fill(&para, &r);
	if (e < 0) {
		apt_release_free(&r);
		return e;
	}
	*ret = r;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_index(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, months + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

/* Seconds east of UTC for a zone word: UTC, GMT, UT, Z, or +hhmm/-hhmm. */
static int zone_offset(const char *z, long *off)
{
	if (!*z || !strcasecmp(z, "UTC") || !strcasecmp(z, "GMT") || !strcasecmp(z, "UT") ||
	    !strcmp(z, "Z")) {
		*off = 0;
		return 0;
	}
	if ((z[0] != '+' && z[0] != '-') || strlen(z) != 5 || strspn(z + 1, "0123456789") != 4)
		return -EINVAL;
	long hh = (z[1] - '0') * 10 + (z[2] - '0'), mm = (z[3] - '0') * 10 + (z[4] - '0');
	*off = (z[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
	return 0;
}

int apt_parse_date(const char *s, size_t len, time_t *ret)
{
	char tmp[128], mon[8] = "", zone[16] = "";
	if (len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	const char *p = tmp;
	const char *comma = strchr(p, ',');
	if (comma)
		p = comma + 1;
	int d, y, h, mi, sec, n = 0;
	if (sscanf(p, " %d %3s %d %d:%d:%d %n", &d, mon, &y, &h, &mi, &sec, &n) != 6)
		return -EINVAL;
	if (sscanf(p + n, "%15s", zone) != 1)
		zone[0] = '\0';
	int m = month_index(mon);
	long off;
	if (!m || d < 1 || d > 31 || y < 1970 || y > 9999 || h > 23 || mi > 59 || sec > 60 ||
	    h < 0 || mi < 0 || sec < 0 || zone_offset(zone, &off) < 0)
		return -EINVAL;
	*ret = (time_t)(days_from_civil(y, m, d) * 86400L + h * 3600L + mi * 60L + sec - off);
	return 0;
}

/* ================= logs ================= */

/* "YYYY-MM-DD HH:MM:SS" (one or more blanks between date and time). */
static int log_time(const char *s, size_t len, long tz, time_t *ret)
{
	char tmp[64];
	int y, mo, d, h, mi, sec;
	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (sscanf(tmp, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6)
		return -EINVAL;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -EINVAL;
	*ret = (time_t)(days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + sec - tz);
	return 0;
}

static unsigned count_char(const char *s, size_t n, char c)
{
	unsigned k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

static bool line_key(const struct line *ln, const char *key, struct span *val)
{
	size_t kl = strlen(key);
	if (ln->len < kl || memcmp(ln->s, key, kl) != 0)
		return false;
	*val = (struct span){ln->s + kl, ln->len - kl};
	while (val->len && val->s[0] == ' ') {
		val->s++;
		val->len--;
	}
	return true;
}

size_t apt_history_parse(const char *buf, size_t len, long tz_offset, pkg_log_fn fn, void *userdata)
{
	struct line_iter it;
	struct line ln;
	struct pkg_log_event ev = {0};
	bool open = false;
	size_t runs = 0;
	struct span v;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		if (line_key(&ln, "Start-Date:", &v)) {
			open = log_time(v.s, v.len, tz_offset, &ev.when) == 0;
			ev.upgrades = ev.installs = ev.removals = 0;
			ev.unattended = false;
		} else if (!open) {
			continue;
		} else if (line_key(&ln, "Upgrade:", &v)) {
			ev.upgrades += count_char(v.s, v.len, '(');
		} else if (line_key(&ln, "Install:", &v) || line_key(&ln, "Reinstall:", &v)) {
			ev.installs += count_char(v.s, v.len, '(');
		} else if (line_key(&ln, "Remove:", &v) || line_key(&ln, "Purge:", &v)) {
			ev.removals += count_char(v.s, v.len, '(');
		} else if (line_key(&ln, "Commandline:", &v) ||
			   line_key(&ln, "Requested-By:", &v)) {
			ev.unattended |= memmem(v.s, v.len, "unattended-upgrade", 18) != NULL;
		} else if (line_key(&ln, "End-Date:", &v)) {
			fn(&ev, userdata);
			runs++;
			open = false;
		}
	}
	if (open) { /* a run still going, or cut by rotation */
		fn(&ev, userdata);
		runs++;
	}
	return runs;
}

size_t dpkg_log_parse(const char *buf, size_t len, long tz_offset, pkg_log_fn fn, void *userdata)
{
	struct line_iter it;
	struct line ln;
	size_t n = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		struct pkg_log_event ev = {0};
		if (ln.len < 21 || log_time(ln.s, 19, tz_offset, &ev.when) < 0)
			continue;
		struct span rest = {ln.s + 19, ln.len - 19}, action;
		if (!span_next_word(&rest, &action))
			continue;
		if (span_eq(action, "upgrade"))
			ev.upgrades = 1;
		else if (span_eq(action, "install"))
			ev.installs = 1;
		else if (span_eq(action, "remove") || span_eq(action, "purge"))
			ev.removals = 1;
		else
			continue;
		fn(&ev, userdata);
		n++;
	}
	return n;
}
