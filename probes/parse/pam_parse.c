/* pam_parse.c - PAM service files and the pwquality/pwhistory/faillock
 * configuration files (see pam_parse.h). Pure: buffers in, structures out.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/limits.h"
#include "probes/parse/pam_parse.h"
#include "lib/util.h"

const char *const pwq_key_names[PWQ_NKEYS] = {"minlen",	 "minclass", "dcredit",		"ucredit",
					      "lcredit", "ocredit",  "enforce_for_root"};

static void line_free(struct pam_line *l)
{
	for (size_t i = 0; i < l->nargs; i++)
		free(l->args[i]);
	free(l->args);
	free(l->type);
	free(l->control);
	free(l->module);
}

void pam_file_free(struct pam_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		line_free(&f->v[i]);
	free(f->v);
	free(f->issues);
	*f = (struct pam_file){0};
}

static int issue(struct pam_file *f, unsigned line, const char *ja, const char *en)
{
	if (array_grow((void **)&f->issues, &f->icap, f->nissues, sizeof(*f->issues), 8) < 0)
		return -ENOMEM;
	f->issues[f->nissues++] = (struct pam_issue){line, ja, en};
	return 0;
}

/* Words of a logical line; a [ ... ] group is one word (brackets kept),
 * "\]" inside it is a literal ]. */
static int split_words(const char *s, size_t len, struct strv *w)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			break;
		size_t j = i;
		if (s[i] == '[') {
			while (j < len && !(s[j] == ']' && s[j - 1] != '\\'))
				j++;
			if (j < len)
				j++;
		} else {
			while (j < len && s[j] != ' ' && s[j] != '\t')
				j++;
		}
		if (strv_add(w, s + i, j - i) < 0)
			return -ENOMEM;
		i = j;
	}
	return 0;
}

/* A copy of arg that cannot leak a secret. */
static char *sanitize_arg(const char *a)
{
	static const char *const risky[] = {
	    "secret", "password=", "passwd=", "key=", "token", "pass="};
	for (size_t k = 0; k < ARRAY_SIZE(risky); k++) {
		if (!strcasestr(a, risky[k]))
			continue;
		const char *eq = strchr(a, '=');
		return eq ? xstrndup(a, (size_t)(eq - a)) : strdup(a);
	}
	return strdup(a);
}

static bool valid_type(const char *t)
{
	return !strcmp(t, "auth") || !strcmp(t, "account") || !strcmp(t, "password") ||
	       !strcmp(t, "session");
}

static int add_line(struct pam_file *f, struct pam_line *l)
{
	if (f->n >= LIMIT_PAM_MODULES)
		return -E2BIG;
	if (array_grow((void **)&f->v, &f->cap, f->n, sizeof(*f->v), 16) < 0)
		return -ENOMEM;
	f->v[f->n++] = *l;
	return 0;
}

/* One logical line's words into a pam_line. */
static int words_line(struct pam_file *f, unsigned lineno, struct strv *w)
{
	struct pam_line l = {.line = lineno};
	const char *t = w->v[0];
	if (strcmp(t, "@include") == 0) {
		if (w->n < 2)
			return issue(f, lineno, "@include の対象がありません",
				     "@include without a file");
		l.type = strdup("");
		l.control = strdup("include");
		l.module = strdup(w->v[1]);
		l.include = true;
	} else {
		l.dash = t[0] == '-';
		if (!valid_type(t + l.dash) || w->n < 3)
			return issue(f, lineno, "PAM の行として解釈できません", "not a PAM line");
		l.type = strdup(t + l.dash);
		l.control = strdup(w->v[1]);
		l.module = strdup(w->v[2]);
		l.include = !strcmp(w->v[1], "include") || !strcmp(w->v[1], "substack");
		l.args = calloc(w->n, sizeof(*l.args));
		for (size_t i = 3; l.args && i < w->n; i++)
			if ((l.args[l.nargs] = sanitize_arg(w->v[i])))
				l.nargs++;
	}
	int r =
	    l.type && l.control && l.module && (l.args || l.include) ? add_line(f, &l) : -ENOMEM;
	if (r < 0)
		line_free(&l);
	if (r == -E2BIG)
		return issue(f, lineno, "行が多すぎます", "too many lines");
	return r;
}

/* What a pass over the lines keeps: a service file's lines (service
 * NULL), pam.conf's lines of one service (its first word dropped), or the
 * names pam.conf gives (names not NULL). */
struct pass {
	struct pam_file *f;
	const char *service;
	struct strv *names;
};

static int words_of(const struct pass *p, unsigned lineno, struct strv *w)
{
	if (p->names) {
		for (char *c = w->v[0]; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		return strv_add(p->names, w->v[0], strlen(w->v[0]));
	}
	if (!p->service)
		return words_line(p->f, lineno, w);
	if (strcasecmp(w->v[0], p->service) != 0)
		return 0;
	if (w->n == 1)
		return issue(p->f, lineno, "PAM の行として解釈できません", "not a PAM line");
	struct strv rest = {w->v + 1, w->n - 1};
	return words_line(p->f, lineno, &rest);
}

static int logical_line(const struct pass *p, unsigned lineno, const char *s, size_t n)
{
	struct strv w = {0};
	str_trim(&s, &n);
	const char *hash = memchr(s, '#', n);
	if (hash)
		n = (size_t)(hash - s);
	int r = split_words(s, n, &w);
	if (r == 0 && w.n > 0)
		r = words_of(p, lineno, &w);
	strv_reset(&w);
	return r;
}

static int parse_lines(const char *buf, size_t len, const struct pass *p);

int pam_parse(const char *buf, size_t len, struct pam_file *ret)
{
	*ret = (struct pam_file){0};
	return parse_lines(buf, len, &(struct pass){.f = ret});
}

int pam_conf_parse(const char *buf, size_t len, const char *service, struct pam_file *ret)
{
	*ret = (struct pam_file){0};
	return parse_lines(buf, len, &(struct pass){.f = ret, .service = service});
}

int pam_conf_services(const char *buf, size_t len, char ***ret)
{
	struct pam_file f = {0};
	struct strv names = {0};
	int r = parse_lines(buf, len, &(struct pass){.f = &f, .names = &names});
	pam_file_free(&f);
	if (r < 0) {
		strv_reset(&names);
		return r;
	}
	strv_sort(names.v, names.n);
	size_t n = 0; /* drop repeats */
	for (size_t i = 0; i < names.n; i++) {
		if (n > 0 && strcmp(names.v[n - 1], names.v[i]) == 0)
			free(names.v[i]);
		else
			names.v[n++] = names.v[i];
	}
	if (names.v)
		names.v[n] = NULL;
	*ret = names.v;
	return (int)n;
}

/* The words for a logical line over LIMIT_LINE (the number spelt out
 * because issues hold static strings). */
_Static_assert(LIMIT_LINE == 65536u, "update the line-too-long words");
#define LONG_JA                                                                                                   \
	"行が上限（65536 バイト、LIMIT_LINE）より長いため、この行を読んでいません。" \
	"このファイルのスタックは不完全で、それに依存する項目は不明です"
#define LONG_EN                                                                                    \
	"line longer than 65536 bytes (LIMIT_LINE): not read; this file's stack is incomplete, "   \
	"so what depends on it is unknown"

static int parse_lines(const char *buf, size_t len, const struct pass *p)
{
	struct pam_file *ret = p->f;
	struct line_iter it;
	struct line l;
	struct strbuf sb;
	unsigned start = 0;
	bool skipping = false; /* the rest of an over-long logical line */
	int r = 0;
	strbuf_init(&sb, LIMIT_LINE);
	line_iter_init(&it, buf, len);
	while (r == 0 && line_iter_next(&it, &l)) {
		bool cont = l.len > 0 && l.s[l.len - 1] == '\\';
		if (skipping) {
			skipping = cont;
			continue;
		}
		if (sb.len == 0)
			start = l.lineno;
		if (strbuf_append(&sb, l.s, cont ? l.len - 1 : l.len) < 0 ||
		    strbuf_puts(&sb, " ") < 0) {
			r = issue(ret, start, LONG_JA, LONG_EN);
			ret->line_unread = true;
			sb.len = 0;
			skipping = cont;
			continue;
		}
		if (cont)
			continue;
		r = logical_line(p, start, sb.s, sb.len);
		sb.len = 0;
	}
	if (r == 0 && sb.len > 0)
		r = logical_line(p, start, sb.s, sb.len);
	strbuf_free(&sb);
	return r;
}

void pam_module_name(const char *module, char *out, size_t n)
{
	const char *b = strrchr(module, '/');
	b = b ? b + 1 : module;
	size_t len = strlen(b);
	if (len > 3 && strcmp(b + len - 3, ".so") == 0)
		len -= 3;
	snprintf(out, n, "%.*s", (int)len, b);
}

int pam_arg_long(char *const *args, size_t nargs, const char *name, long *ret)
{
	size_t nl = strlen(name);
	int found = 0;
	for (size_t i = 0; i < nargs; i++) {
		if (strncmp(args[i], name, nl) != 0 || args[i][nl] != '=')
			continue;
		if (parse_long(args[i] + nl + 1, ret) < 0)
			return -EINVAL;
		found = 1; /* the last one wins, as the modules parse them */
	}
	return found;
}

bool pam_arg_has(char *const *args, size_t nargs, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < nargs; i++)
		if (strncmp(args[i], name, nl) == 0 && (args[i][nl] == '\0' || args[i][nl] == '='))
			return true;
	return false;
}

void pwq_defaults(struct pwq *q)
{
	*q = (struct pwq){0};
	q->v[PWQ_MINLEN] = 8;
}

static int key_index(const char *s, size_t n)
{
	for (int k = 0; k < PWQ_NKEYS; k++)
		if (strlen(pwq_key_names[k]) == n && memcmp(s, pwq_key_names[k], n) == 0)
			return k;
	return -1;
}

/* "key = value" or "key" (a flag) of one line; -1 if malformed. */
static int conf_line(const char *s, size_t n, const char **k, size_t *kn, const char **v,
		     size_t *vn)
{
	str_trim(&s, &n);
	if (n == 0 || s[0] == '#')
		return 0;
	const char *eq = memchr(s, '=', n);
	*k = s;
	*kn = eq ? (size_t)(eq - s) : n;
	*v = eq ? eq + 1 : "";
	*vn = eq ? n - (size_t)(eq + 1 - s) : 0;
	str_trim(k, kn);
	str_trim(v, vn);
	return *kn > 0 ? 1 : -1;
}

unsigned pwq_conf_apply(struct pwq *q, const char *buf, size_t len)
{
	struct line_iter it;
	struct line l;
	unsigned bad = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *k, *v;
		size_t kn, vn;
		long val;
		int r = conf_line(l.s, l.len, &k, &kn, &v, &vn);
		int idx = r > 0 ? key_index(k, kn) : -1;
		if (r < 0)
			bad++;
		if (idx < 0)
			continue;
		if (idx == PWQ_ENFORCE_FOR_ROOT) {
			q->v[idx] = 1;
			q->set[idx] = true;
		} else if (parse_long_n(v, vn, &val) == 0) {
			q->v[idx] = val;
			q->set[idx] = true;
		} else {
			bad++;
		}
	}
	return bad;
}

void pwq_args_apply(struct pwq *q, char *const *args, size_t nargs)
{
	for (int k = 0; k < PWQ_NKEYS; k++) {
		long v;
		if (k == PWQ_ENFORCE_FOR_ROOT && pam_arg_has(args, nargs, pwq_key_names[k])) {
			q->v[k] = 1;
			q->set[k] = true;
		} else if (k != PWQ_ENFORCE_FOR_ROOT &&
			   pam_arg_long(args, nargs, pwq_key_names[k], &v) == 1) {
			q->v[k] = v;
			q->set[k] = true;
		}
	}
}

long pwq_min_length(const struct pwq *q)
{
	long m = q->v[PWQ_MINLEN];
	for (int k = PWQ_DCREDIT; k <= PWQ_OCREDIT; k++)
		if (q->v[k] > 0)
			m -= q->v[k];
	return m < 6 ? 6 : m;
}

int conf_long(const char *buf, size_t len, const char *key, long *ret)
{
	struct line_iter it;
	struct line l;
	int found = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *k, *v;
		size_t kn, vn;
		long val;
		if (conf_line(l.s, l.len, &k, &kn, &v, &vn) <= 0 || kn != strlen(key) ||
		    memcmp(k, key, kn) != 0 || parse_long_n(v, vn, &val) < 0)
			continue;
		*ret = val;
		found = 1;
	}
	return found;
}
