/* ini.c - systemd-style configuration lines and drop-in order (see ini.h). */
#include <string.h>

#include "lib/util.h"
#include "probes/parse/ini.h"

/* One logical line (continuations joined, or one physical line). */
static int logical_line(const struct ini_opts *o, const struct ini_cb *cb, const char *s, size_t n,
			unsigned lineno)
{
	const char *t = s;
	if (!o->nul_bad)
		n = strnlen(s, n);
	str_trim(&t, &n);
	if (n == 0 || t[0] == '#' || t[0] == ';')
		return 0;
	if (t[0] == '[') {
		bool closed = t[n - 1] == ']' && n >= 2;
		if (!closed && o->unclosed_bad) {
			cb->bad(cb->ud, lineno);
			return 0;
		}
		_cleanup_free_ char *name = closed ? xstrndup(t + 1, n - 2) : strdup("");
		if (!name)
			return -ENOMEM;
		/* A name with a NUL is no section anybody knows. */
		if (closed && strlen(name) != n - 2)
			name[0] = '\0';
		return cb->section ? cb->section(cb->ud, name, lineno) : 0;
	}
	const char *eq = memchr(t, '=', n);
	if (!eq || (o->empty_key_bad && eq == t) || (o->nul_bad && memchr(t, '\0', n)) ||
	    (o->max_line && n > o->max_line)) {
		cb->bad(cb->ud, lineno);
		return 0;
	}
	size_t kn = (size_t)(eq - t), vn = n - kn - 1;
	const char *v = eq + 1;
	str_trim(&t, &kn);
	str_trim(&v, &vn);
	_cleanup_free_ char *key = xstrndup(t, kn), *val = xstrndup(v, vn);
	if (!key || !val)
		return -ENOMEM;
	return cb->kv(cb->ud, key, val, vn, lineno);
}

int ini_parse(const char *buf, size_t len, const struct ini_opts *o, const struct ini_cb *cb)
{
	struct line_iter it;
	struct line ln;
	struct strbuf acc;
	unsigned start = 0;
	int r = 0;
	if (!o->continuation) {
		line_iter_init(&it, buf, len);
		while (r == 0 && line_iter_next(&it, &ln))
			r = logical_line(o, cb, ln.s, ln.len, ln.lineno);
		return r;
	}
	strbuf_init(&acc, len + 1);
	line_iter_init(&it, buf, len);
	while (r == 0 && line_iter_next(&it, &ln)) {
		const char *t = ln.s;
		size_t n = ln.len;
		bool cont = n && t[n - 1] == '\\';
		bool comment = acc.len == 0 && n && (t[0] == '#' || t[0] == ';');
		if (acc.len == 0)
			start = ln.lineno;
		if (comment)
			continue; /* a comment's trailing backslash continues nothing */
		r = strbuf_append(&acc, t, cont ? n - 1 : n);
		if (r == 0 && cont)
			r = strbuf_append(&acc, " ", 1);
		if (r == 0 && !cont && acc.len) {
			r = logical_line(o, cb, acc.s, acc.len, start);
			acc.len = 0;
		}
	}
	if (r == 0 && acc.len)
		r = logical_line(o, cb, acc.s, acc.len, start);
	strbuf_free(&acc);
	return r;
}

/* ---- one section ---- */

struct one_section {
	const struct ini_section_cb *cb;
	bool in;
};

static int one_section_name(void *ud, const char *name, unsigned line)
{
	struct one_section *os = ud;
	os->in = strcmp(name, os->cb->section) == 0;
	return 0;
}

static int one_section_kv(void *ud, const char *key, const char *value, size_t vlen, unsigned line)
{
	struct one_section *os = ud;
	return os->in ? os->cb->kv(os->cb->kv_ud, key, value, vlen, line) : 0;
}

static void one_section_bad(void *ud, unsigned line)
{
	struct one_section *os = ud;
	os->cb->bad(os->cb->bad_ud, line, "「キー=値」の形ではありません", "not a key=value line");
}

int ini_parse_section(const char *buf, size_t len, const struct ini_opts *o,
		      const struct ini_section_cb *cb)
{
	struct one_section os = {cb, false};
	struct ini_cb icb = {one_section_name, one_section_kv, one_section_bad, &os};
	return ini_parse(buf, len, o, &icb);
}

/* ---- systemd drop-ins ---- */

static bool is_conf_name(const char *s)
{
	size_t n = strlen(s);
	return n > 5 && strcmp(s + n - 5, ".conf") == 0;
}

/* The highest-priority directory holding name, or -1. */
static int dropin_owner(const char *name, char **const *names, size_t ndirs)
{
	for (size_t d = ndirs; d-- > 0;)
		for (size_t i = 0; names[d] && names[d][i]; i++)
			if (strcmp(names[d][i], name) == 0)
				return (int)d;
	return -1;
}

/* Whether name appears in a directory before d or earlier in d's list:
 * then it was already emitted. */
static bool dropin_seen(const char *name, char **const *names, size_t d, size_t i)
{
	for (size_t e = 0; e <= d; e++)
		for (size_t k = 0; names[e] && names[e][k] && (e < d || k < i); k++)
			if (strcmp(names[e][k], name) == 0)
				return true;
	return false;
}

static int cmp_base(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/'), strrchr(*(char *const *)b, '/'));
}

int dropins_order(const char *main, const char *const *dirs, char **const *names, size_t ndirs,
		  char ***ret)
{
	char **v = NULL, **picked = NULL;
	size_t n = 0, np = 0;
	int r = main ? strv_consume(&v, &n, strdup(main)) : 0;
	for (size_t d = 0; r == 0 && d < ndirs; d++)
		for (size_t i = 0; r == 0 && names[d] && names[d][i]; i++) {
			const char *nm = names[d][i];
			if (!is_conf_name(nm) || dropin_seen(nm, names, d, i))
				continue;
			int o = dropin_owner(nm, names, ndirs);
			r = strv_consume(&picked, &np, path_join(dirs[o], nm));
		}
	/* Sort by file name, whatever directory each came from. */
	if (r == 0 && np)
		qsort(picked, np, sizeof(*picked), cmp_base);
	for (size_t i = 0; r == 0 && i < np; i++) {
		r = strv_consume(&v, &n, picked[i]);
		picked[i] = NULL;
	}
	for (size_t i = 0; i < np; i++)
		free(picked[i]);
	free(picked);
	if (r < 0) {
		strv_free(v);
		return r;
	}
	if (!v)
		v = calloc(1, sizeof(*v));
	*ret = v;
	return v ? 0 : -ENOMEM;
}
