/* modprobe_parse.c - modprobe.d(5) parsing and kmod's file order (pure). */
#include <fnmatch.h>
#include <string.h>
#include "lib/limits.h"
#include "probes/parse/modprobe_parse.h"
#include "probes/parse/ini.h"
#include "lib/util.h"

void modprobe_conf_free(struct modprobe_conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].module);
		free(c->v[i].arg);
		free(c->v[i].file);
	}
	for (size_t i = 0; i < c->n_issues; i++)
		free(c->issues[i].file);
	free(c->v);
	free(c->issues);
	memset(c, 0, sizeof(*c));
}

char *modprobe_normalize(const char *s)
{
	char *r = strdup(s);
	if (!r)
		return NULL;
	for (char *p = r; *p; p++)
		if (*p == '-')
			*p = '_';
	return r;
}

static int add_issue(struct modprobe_conf *c, const char *file, unsigned line, const char *ja,
		     const char *en)
{
	if (c->n_issues == c->cap_issues) {
		size_t cap = c->cap_issues ? c->cap_issues * 2 : 8;
		void *p = realloc(c->issues, cap * sizeof(*c->issues));
		if (!p)
			return -ENOMEM;
		c->issues = p;
		c->cap_issues = cap;
	}
	struct modprobe_issue *is = &c->issues[c->n_issues];
	is->file = strdup(file);
	if (!is->file)
		return -ENOMEM;
	is->line = line;
	is->ja = ja;
	is->en = en;
	c->n_issues++;
	return 0;
}

static int add_directive(struct modprobe_conf *c, enum modprobe_kind kind, const char *module,
			 const char *arg, const char *file, unsigned line)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		void *p = realloc(c->v, cap * sizeof(*c->v));
		if (!p)
			return -ENOMEM;
		c->v = p;
		c->cap = cap;
	}
	struct modprobe_directive *d = &c->v[c->n];
	d->kind = kind;
	d->line = line;
	d->module = kind == MP_ALIAS ? strdup(module) : modprobe_normalize(module);
	d->arg = arg ? strdup(arg) : NULL;
	d->file = strdup(file);
	if (!d->module || (arg && !d->arg) || !d->file) {
		free(d->module);
		free(d->arg);
		free(d->file);
		return -ENOMEM;
	}
	c->n++;
	return 0;
}

static const struct {
	const char *word;
	enum modprobe_kind kind;
	bool needs_arg;
} keywords[] = {
    {"blacklist", MP_BLACKLIST, false}, {"install", MP_INSTALL, true},
    {"remove", MP_REMOVE, true},	{"alias", MP_ALIAS, true},
    {"options", MP_OPTIONS, false},	{"softdep", MP_SOFTDEP, true},
};

/* Split off the next whitespace-separated word of *s (modified in place). */
static char *next_word(char **s)
{
	char *p = *s + strspn(*s, " \t");
	if (!*p)
		return NULL;
	char *e = p + strcspn(p, " \t");
	*s = *e ? e + 1 : e;
	*e = '\0';
	return p;
}

/* One logical line (continuations joined, NUL-terminated, modifiable). */
static int parse_logical(struct modprobe_conf *c, const char *file, unsigned lineno, char *s,
			 unsigned *n_issues)
{
	char *kw = next_word(&s);
	if (!kw || kw[0] == '#')
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++) {
		if (strcmp(kw, keywords[i].word) != 0)
			continue;
		char *mod = next_word(&s);
		const char *rest = s + strspn(s, " \t");
		if (!mod || (keywords[i].needs_arg && !*rest))
			break;
		return add_directive(c, keywords[i].kind, mod, *rest ? rest : NULL, file, lineno);
	}
	if (strcmp(kw, "include") == 0 || strcmp(kw, "config") == 0)
		return 0; /* module-init-tools keywords kmod ignores */
	if ((*n_issues)++ >= LIMIT_LINE_MESSAGES)
		return 0;
	return add_issue(c, file, lineno, "解釈できない行です（kmod は無視します）",
			 "unrecognised line (kmod ignores it)");
}

int modprobe_parse(struct modprobe_conf *c, const char *file, const char *buf, size_t len)
{
	struct line_iter it;
	struct line ln;
	struct strbuf sb;
	unsigned start = 0, n_issues = 0;
	int r = 0;

	strbuf_init(&sb, LIMIT_LINE);
	line_iter_init(&it, buf, len);
	while (r >= 0 && line_iter_next(&it, &ln)) {
		bool cont = ln.len > 0 && ln.s[ln.len - 1] == '\\';
		size_t n = cont ? ln.len - 1 : ln.len;
		if (sb.len == 0)
			start = ln.lineno;
		if (strbuf_append(&sb, ln.s, strnlen(ln.s, n)) < 0 ||
		    (cont && strbuf_append(&sb, " ", 1) < 0)) {
			if (n_issues++ < LIMIT_LINE_MESSAGES)
				r = add_issue(c, file, start, "行が長すぎます",
					      "line too long (skipped)");
			strbuf_free(&sb);
			strbuf_init(&sb, LIMIT_LINE);
			continue;
		}
		if (cont)
			continue;
		_cleanup_free_ char *s = strbuf_steal(&sb);
		r = parse_logical(c, file, start, s, &n_issues);
	}
	if (r >= 0 && sb.len > 0) {
		_cleanup_free_ char *s = strbuf_steal(&sb);
		r = parse_logical(c, file, start, s, &n_issues);
	}
	strbuf_free(&sb);
	return r;
}

/* kmod (libkmod-config.c) reads NAME.conf and NAME.alias files, never
 * hidden ones (".x.conf"); `modprobe -c` shows it. */
static bool kmod_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".conf") == 0) ||
				  (n > 6 && strcmp(name + n - 6, ".alias") == 0));
}

/* kmod merges its directories as systemd merges drop-ins (a name in a
 * higher-priority directory hides the same name lower down; all names
 * read in strcmp order whatever their directory), so the shared orderer
 * does it, with kmod's names, the dirs reversed to its lowest-first
 * order (the lists are borrowed, not copied). */
int modprobe_order(const char *const *dirs, char **const *names, size_t n_dirs, char ***ret,
		   size_t *ret_n)
{
	_cleanup_free_ const char **rdirs = calloc(n_dirs + 1, sizeof(*rdirs));
	_cleanup_free_ char ***rnames = calloc(n_dirs + 1, sizeof(*rnames));
	char **v = NULL;
	if (!rdirs || !rnames)
		return -ENOMEM;
	for (size_t d = 0; d < n_dirs; d++) {
		rdirs[d] = dirs[n_dirs - 1 - d];
		rnames[d] = names[n_dirs - 1 - d];
	}
	int r = dropins_order_names(NULL, rdirs, rnames, n_dirs, kmod_name, &v);
	if (r < 0)
		return r;
	*ret = v;
	*ret_n = strv_length(v);
	return 0;
}

bool modprobe_cmd_disables(const char *cmd)
{
	static const char *const noops[] = {
	    "/bin/true", "/bin/false", "/usr/bin/true", "/usr/bin/false", "true",
	    "false",	 ":",	       "exit"};
	size_t n = strcspn(cmd, " \t;#");
	for (size_t i = 0; i < ARRAY_SIZE(noops); i++)
		if (strlen(noops[i]) == n && strncmp(cmd, noops[i], n) == 0)
			return true;
	return false;
}

void modprobe_policy_of(const struct modprobe_conf *c, const char *module,
			struct modprobe_policy *ret)
{
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < c->n; i++) {
		const struct modprobe_directive *d = &c->v[i];
		if (fnmatch(d->module, module, 0) != 0)
			continue;
		if (d->kind == MP_BLACKLIST && !ret->blacklisted) {
			ret->blacklisted = true;
			ret->blacklist_file = d->file;
		} else if (d->kind == MP_INSTALL && !ret->install_cmd) {
			ret->install_cmd = d->arg;
			ret->install_file = d->file;
			ret->install_disables = modprobe_cmd_disables(d->arg);
		}
	}
}

/* Whether a word (a module name or a .ko path) names module. */
static bool word_names(const char *w, size_t n, const char *module)
{
	const char *slash = memrchr(w, '/', n);
	if (slash) {
		n -= (size_t)(slash + 1 - w);
		w = slash + 1;
	}
	const char *dot = memchr(w, '.', n);
	if (dot)
		n = (size_t)(dot - w);
	if (n != strlen(module))
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = w[i] == '-' ? '_' : w[i], b = module[i] == '-' ? '_' : module[i];
		if (a != b)
			return false;
	}
	return true;
}

bool modprobe_list_has(const char *buf, size_t len, const char *module)
{
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		size_t n = strnlen(ln.s, ln.len);
		size_t w = 0;
		while (w < n && ln.s[w] != ' ' && ln.s[w] != '\t')
			w++;
		if (w > 0 && word_names(ln.s, w, module))
			return true;
	}
	return false;
}
