/* dpkg_parse.c - deb822 paragraphs and fields, and dpkg's status file (see
 * dpkg_parse.h). Written from deb822(5), dpkg(1) and dpkg-query(1); the
 * status reading is checked against `dpkg-query -W` by the tests. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/dpkg_parse.h"

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool span_eq(struct span a, const char *lit)
{
	size_t n = strlen(lit);
	return a.s && a.len == n && memcmp(a.s, lit, n) == 0;
}

bool span_eq_nocase(struct span a, const char *lit)
{
	size_t n = strlen(lit);
	if (!a.s || a.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a.s[i]) != lower((unsigned char)lit[i]))
			return false;
	return true;
}

char *span_dup(struct span a)
{
	if (!a.s)
		return NULL;
	char *s = malloc(a.len + 1);
	if (!s)
		return NULL;
	memcpy(s, a.s, a.len);
	s[a.len] = '\0';
	return s;
}

/* ---- paragraphs ---- */

static bool is_blank_line(const char *p, const char *end)
{
	return p == end || *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'));
}

/* The end of the line starting at p: its '\n', or end. */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

int deb822_split(const char *p, size_t n, bool at_eof, size_t *ret_start, size_t *ret_len,
		 size_t *ret_consumed, unsigned *ret_lines)
{
	const char *end = p + n, *q = p;
	unsigned lines = 0;
	/* Skip blank lines before the paragraph. */
	while (q < end && is_blank_line(q, end)) {
		const char *e = line_end(q, end);
		if (e == end)
			break;
		q = e + 1;
		lines++;
	}
	if (q == end || is_blank_line(q, end)) {
		*ret_consumed = at_eof ? n : (size_t)(q - p);
		*ret_lines = lines;
		return 0;
	}
	const char *start = q;
	for (;;) {
		const char *e = line_end(q, end);
		if (e == end) {
			if (!at_eof)
				return 0;
			*ret_start = (size_t)(start - p);
			*ret_len = (size_t)(end - start);
			*ret_consumed = n;
			*ret_lines = lines;
			return 1;
		}
		lines++;
		q = e + 1;
		if (is_blank_line(q, end) && (q < end || at_eof)) {
			/* Include the blank line itself in what is consumed. */
			const char *b = q < end ? line_end(q, end) : end;
			if (b == end && !at_eof)
				return 0;
			*ret_start = (size_t)(start - p);
			*ret_len = (size_t)(e - start);
			*ret_consumed = b < end ? (size_t)(b + 1 - p) : n;
			*ret_lines = lines + (b < end);
			return 1;
		}
	}
}

void deb822_iter_init(struct deb822_iter *it, const char *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->lineno = 1;
}

bool deb822_next(struct deb822_iter *it, struct deb822_para *ret)
{
	size_t start, len, consumed;
	unsigned lines;
	int r =
	    deb822_split(it->p, (size_t)(it->end - it->p), true, &start, &len, &consumed, &lines);
	if (r <= 0) {
		it->p = it->end;
		return false;
	}
	/* Lines skipped before the paragraph: count them for its number. */
	unsigned before = 0;
	for (const char *q = it->p; q < it->p + start; q++)
		before += *q == '\n';
	ret->s = it->p + start;
	ret->len = len;
	ret->lineno = it->lineno + before;
	it->lineno += lines;
	it->p += consumed;
	return true;
}

/* ---- fields ---- */

void deb822_fields_init(struct deb822_fiter *it, const struct deb822_para *para, bool comments)
{
	it->p = para->s;
	it->end = para->s + para->len;
	it->lineno = para->lineno;
	it->comments = comments;
}

static void trim(struct span *v)
{
	while (v->len && (v->s[0] == ' ' || v->s[0] == '\t')) {
		v->s++;
		v->len--;
	}
	while (v->len && (v->s[v->len - 1] == ' ' || v->s[v->len - 1] == '\t' ||
			  v->s[v->len - 1] == '\r' || v->s[v->len - 1] == '\n'))
		v->len--;
}

/* Move past continuation (and, with comments, comment) lines after a
 * field's first line; returns the end of the value. */
static const char *skip_continuations(struct deb822_fiter *it, const char *vend)
{
	while (it->p < it->end) {
		char c = *it->p;
		bool comment = it->comments && c == '#';
		if (c != ' ' && c != '\t' && !comment)
			break;
		const char *e = line_end(it->p, it->end);
		if (!comment)
			vend = e;
		it->p = e < it->end ? e + 1 : e;
		it->lineno++;
	}
	return vend;
}

int deb822_next_field(struct deb822_fiter *it, struct deb822_field *ret)
{
	while (it->p < it->end) {
		const char *line = it->p, *e = line_end(line, it->end);
		unsigned lineno = it->lineno;
		it->p = e < it->end ? e + 1 : e;
		it->lineno++;
		if (it->comments && *line == '#')
			continue;
		const char *colon = memchr(line, ':', (size_t)(e - line));
		if (*line == ' ' || *line == '\t' || !colon || colon == line) {
			/* Not a field: a stray continuation at the start, or junk. */
			ret->lineno = lineno;
			skip_continuations(it, e);
			return -EBADMSG;
		}
		ret->name = (struct span){line, (size_t)(colon - line)};
		const char *vend = skip_continuations(it, e);
		ret->value = (struct span){colon + 1, (size_t)(vend - colon - 1)};
		trim(&ret->value);
		ret->lineno = lineno;
		return 1;
	}
	return 0;
}

size_t deb822_get(const struct deb822_para *para, bool comments, const char *const names[],
		  struct span out[], size_t n)
{
	struct deb822_fiter it;
	struct deb822_field f;
	size_t found = 0;
	int r;
	for (size_t i = 0; i < n; i++)
		out[i] = (struct span){NULL, 0};
	deb822_fields_init(&it, para, comments);
	while (found < n && (r = deb822_next_field(&it, &f)) != 0) {
		if (r < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (out[i].s || !span_eq_nocase(f.name, names[i]))
				continue;
			out[i] = f.value;
			if (!out[i].s)
				out[i].s = f.name.s + f.name.len; /* present but empty */
			found++;
			break;
		}
	}
	return found;
}

bool span_next_word(struct span *rest, struct span *word)
{
	if (!rest->s) /* before the addition: NULL + 0 is undefined in C */
		return false;
	const char *p = rest->s, *end = rest->s + rest->len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	const char *w = p;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
		p++;
	rest->s = p;
	rest->len = (size_t)(end - p);
	*word = (struct span){w, (size_t)(p - w)};
	return p > w;
}

/* ---- status ---- */

static const char *const state_names[] = {
    "not-installed",   "config-files",	   "half-installed",   "unpacked",
    "half-configured", "triggers-awaited", "triggers-pending", "installed",
};
static const char *const want_names[] = {"unknown", "install", "hold", "deinstall", "purge"};

const char *dpkg_state_name(enum dpkg_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s]
									  : "unknown";
}

const char *dpkg_want_name(enum dpkg_want w)
{
	return (unsigned)w < sizeof(want_names) / sizeof(want_names[0]) ? want_names[w] : "unknown";
}

bool dpkg_state_present(enum dpkg_state s)
{
	return s >= DPKG_HALF_INSTALLED && s <= DPKG_INSTALLED;
}

bool dpkg_state_installed(enum dpkg_state s)
{
	return s == DPKG_INSTALLED || s == DPKG_TRIGGERS_AWAITED || s == DPKG_TRIGGERS_PENDING;
}

static int word_index(struct span w, const char *const names[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (span_eq(w, names[i]))
			return (int)i;
	return -1;
}

/* "want eflag status"; -EINVAL when it is not three known words. */
static int parse_status(struct span v, struct dpkg_pkg *p)
{
	static const char *const eflags[] = {"ok", "reinstreq", "hold", "hold-reinstreq"};
	struct span w[4];
	size_t n = 0;
	while (n < 4 && span_next_word(&v, &w[n]))
		n++;
	if (n != 3)
		return -EINVAL;
	int want = word_index(w[0], want_names, 5);
	int eflag = word_index(w[1], eflags, 4);
	int state = word_index(w[2], state_names, 8);
	if (want < 0 || eflag < 0 || state < 0)
		return -EINVAL;
	p->want = (enum dpkg_want)want;
	p->reinstreq = eflag == 1 || eflag == 3;
	p->state = (enum dpkg_state)state;
	return 0;
}

void dpkg_parse_source(struct span value, struct span *name, struct span *version)
{
	struct span rest = value, w;
	*name = (struct span){NULL, 0};
	*version = (struct span){NULL, 0};
	if (!span_next_word(&rest, &w))
		return;
	*name = w;
	const char *open = memchr(rest.s, '(', rest.len);
	if (!open)
		return;
	const char *close = memchr(open, ')', (size_t)(rest.s + rest.len - open));
	if (!close)
		return;
	struct span v = {open + 1, (size_t)(close - open - 1)};
	trim(&v);
	if (v.len)
		*version = v;
}

static int push(struct dpkg_status *st, const struct dpkg_pkg *p)
{
	if (st->n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 256;
		struct dpkg_pkg *v = realloc(st->v, ncap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		st->v = v;
		st->cap = ncap;
	}
	st->v[st->n++] = *p;
	return 0;
}

static int span_cmp(struct span a, struct span b)
{
	int r = memcmp(a.s ? a.s : "", b.s ? b.s : "", a.len < b.len ? a.len : b.len);
	return r ? r : (a.len > b.len) - (a.len < b.len);
}

static int pkg_cmp(const void *x, const void *y)
{
	const struct dpkg_pkg *a = *(const struct dpkg_pkg *const *)x;
	const struct dpkg_pkg *b = *(const struct dpkg_pkg *const *)y;
	int r = span_cmp(a->name, b->name);
	if (r)
		return r;
	r = span_cmp(a->arch, b->arch);
	return r ? r : (a->lineno > b->lineno) - (a->lineno < b->lineno);
}

/* Drop later duplicates of name:arch, keeping the file order. */
static int drop_duplicates(struct dpkg_status *st, deb822_bad_fn bad, void *userdata)
{
	if (st->n < 2)
		return 0;
	struct dpkg_pkg **idx = malloc(st->n * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	for (size_t i = 0; i < st->n; i++)
		idx[i] = &st->v[i];
	qsort(idx, st->n, sizeof(*idx), pkg_cmp);
	/* Compare with the first of each run (kept intact): a third copy must
	 * not be compared with a second one already marked for removal. */
	size_t first = 0;
	for (size_t i = 1; i < st->n; i++) {
		if (span_cmp(idx[i]->name, idx[first]->name) ||
		    span_cmp(idx[i]->arch, idx[first]->arch)) {
			first = i;
			continue;
		}
		if (bad)
			bad(userdata, idx[i]->lineno,
			    "同じパッケージの重複した記述 (最初のものを使います)",
			    "duplicate stanza for the same package (the first is used)");
		idx[i]->name.s = NULL; /* marked for removal */
	}
	free(idx);
	size_t k = 0;
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].name.s)
			st->v[k++] = st->v[i];
	st->n = k;
	return 0;
}

enum { F_PACKAGE, F_STATUS, F_VERSION, F_ARCH, F_SOURCE, F_MULTIARCH, F_COUNT };
static const char *const status_fields[F_COUNT] = {"Package",	   "Status", "Version",
						   "Architecture", "Source", "Multi-Arch"};

static int status_stanza(struct dpkg_status *st, const struct deb822_para *para, deb822_bad_fn bad,
			 void *userdata)
{
	struct span f[F_COUNT];
	deb822_get(para, false, status_fields, f, F_COUNT);
	struct dpkg_pkg p = {.lineno = para->lineno};
	if (!f[F_PACKAGE].s || !f[F_PACKAGE].len) {
		if (bad)
			bad(userdata, para->lineno, "Package フィールドのない記述",
			    "stanza without Package");
		return 0;
	}
	if (!f[F_STATUS].s || parse_status(f[F_STATUS], &p) < 0) {
		if (bad)
			bad(userdata, para->lineno, "Status フィールドがないか読めません",
			    "Status field missing or not understood");
		return 0;
	}
	p.name = f[F_PACKAGE];
	p.version = f[F_VERSION];
	p.arch = f[F_ARCH];
	p.multi_arch = f[F_MULTIARCH];
	if (f[F_SOURCE].s)
		dpkg_parse_source(f[F_SOURCE], &p.source, &p.source_version);
	if (span_eq(p.name, "dpkg") && dpkg_state_present(p.state) && p.arch.s)
		st->native_arch = p.arch;
	return push(st, &p);
}

int dpkg_status_parse(const char *buf, size_t len, struct dpkg_status *ret, deb822_bad_fn bad,
		      void *userdata)
{
	struct dpkg_status st = {0};
	struct deb822_iter it;
	struct deb822_para para;
	deb822_iter_init(&it, buf, len);
	while (deb822_next(&it, &para)) {
		int r = status_stanza(&st, &para, bad, userdata);
		if (r < 0) {
			dpkg_status_free(&st);
			return r;
		}
	}
	int r = drop_duplicates(&st, bad, userdata);
	if (r < 0) {
		dpkg_status_free(&st);
		return r;
	}
	*ret = st;
	return 0;
}

void dpkg_status_free(struct dpkg_status *st)
{
	if (!st)
		return;
	free(st->v);
	st->v = NULL;
	st->n = st->cap = 0;
}

/* ---- diversions ---- */

/* The next line of [*p, end) without its "\n"; false at the end. */
static bool next_line(const char **p, const char *end, struct span *ret)
{
	if (*p >= end)
		return false;
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *e = nl ? nl : end;
	*ret = (struct span){*p, (size_t)(e - *p)};
	*p = nl ? nl + 1 : end;
	return true;
}

static bool diversion_ok(const struct dpkg_diversion *d)
{
	return d->from.len && d->from.s[0] == '/' && d->to.len && d->to.s[0] == '/' &&
	       d->package.len && !memchr(d->from.s, '\0', d->from.len) &&
	       !memchr(d->to.s, '\0', d->to.len);
}

size_t dpkg_diversions_parse(const char *buf, size_t len, dpkg_diversion_fn fn, deb822_bad_fn bad,
			     void *userdata)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 1;
	size_t n = 0;
	struct dpkg_diversion d;
	while (next_line(&p, end, &d.from)) {
		d.lineno = line;
		line += 3;
		if (!next_line(&p, end, &d.to) || !next_line(&p, end, &d.package)) {
			if (bad)
				bad(userdata, d.lineno, "転用の記録が途中で終わっています",
				    "incomplete diversion record");
			break;
		}
		if (!diversion_ok(&d)) {
			if (bad)
				bad(userdata, d.lineno, "転用の記録が不正です",
				    "malformed diversion record");
			continue;
		}
		fn(&d, userdata);
		n++;
	}
	return n;
}
