/* ini.c - systemd-style configuration lines and drop-in order (see ini.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
	if (eq && o->max_line && n > o->max_line && cb->too_long) {
		cb->too_long(cb->ud, lineno);
		return 0;
	}
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
	const struct ini_opts *o;
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

/* Over max_line: in any section, as it may be one the line opens. */
static void one_section_too_long(void *ud, unsigned line)
{
	struct one_section *os = ud;
	char ja[256], en[256];
	const char *name = os->o->max_line_name ? os->o->max_line_name : "lib/limits.h";
	snprintf(ja, sizeof(ja),
		 "行が上限（%zu バイト、%s）より長いため、この行を読んでいません。"
		 "この行が設定しうる値は不明です",
		 os->o->max_line, name);
	snprintf(en, sizeof(en),
		 "line longer than %zu bytes (%s): not read; what it may set is unknown",
		 os->o->max_line, name);
	os->cb->bad(os->cb->bad_ud, line, ja, en);
	if (os->cb->too_long)
		os->cb->too_long(os->cb->bad_ud, line);
}

int ini_parse_section(const char *buf, size_t len, const struct ini_opts *o,
		      const struct ini_section_cb *cb)
{
	struct one_section os = {cb, o, false};
	struct ini_cb icb = {one_section_name, one_section_kv, one_section_bad, &os,
			     one_section_too_long};
	return ini_parse(buf, len, o, &icb);
}

/* ---- systemd drop-ins ---- */

static bool is_conf_name(const char *s)
{
	size_t n = strlen(s);
	return n > 5 && strcmp(s + n - 5, ".conf") == 0;
}

/* One drop-in candidate: a file name and the directory (index) holding it. */
struct dropin_ent {
	const char *name;
	size_t dir;
};

/* By file name, then the highest-priority directory first. */
static int cmp_dropin_ent(const void *a, const void *b)
{
	const struct dropin_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->dir < y->dir) - (x->dir > y->dir);
}

/* Every "*.conf" name of every directory (borrowed), sorted. Sorting
 * keeps this O(n log n) even for directories full of planted files. */
static int dropin_ents(char **const *names, size_t ndirs, bool (*want)(const char *name),
		       struct dropin_ent **ret, size_t *ret_n)
{
	size_t total = 0, n = 0;
	for (size_t d = 0; d < ndirs; d++)
		total += strv_length(names[d]);
	struct dropin_ent *v = calloc(total + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t d = 0; d < ndirs; d++)
		for (size_t i = 0; names[d] && names[d][i]; i++)
			if (want(names[d][i]))
				v[n++] = (struct dropin_ent){names[d][i], d};
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_dropin_ent);
	*ret = v;
	*ret_n = n;
	return 0;
}

int dropins_order(const char *main, const char *const *dirs, char **const *names, size_t ndirs,
		  char ***ret)
{
	return dropins_order_names(main, dirs, names, ndirs, is_conf_name, ret);
}

int dropins_order_names(const char *main, const char *const *dirs, char **const *names,
			size_t ndirs, bool (*want)(const char *name), char ***ret)
{
	_cleanup_free_ struct dropin_ent *e = NULL;
	char **v = NULL;
	size_t n = 0, ne = 0;
	int r = dropin_ents(names, ndirs, want, &e, &ne);
	if (r == 0 && main)
		r = strv_consume(&v, &n, strdup(main));
	for (size_t i = 0; r == 0 && i < ne; i++) {
		if (i && strcmp(e[i - 1].name, e[i].name) == 0)
			continue; /* hidden by the same name in a higher-priority directory */
		r = strv_consume(&v, &n, path_join(dirs[e[i].dir], e[i].name));
	}
	if (r < 0) {
		strv_free(v);
		return r;
	}
	if (!v)
		v = calloc(1, sizeof(*v));
	*ret = v;
	return v ? 0 : -ENOMEM;
}
