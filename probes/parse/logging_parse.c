/* logging_parse.c - pure parsers behind the logging probe: journald.conf,
 * rsyslog, syslog-ng, logrotate and auditd (contracts in
 * logging_parse.h). No I/O here: includes go back to the caller.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <strings.h>

#include "lib/limits.h"
#include "probes/parse/logging_parse.h"
#include "lib/util.h"

/* ---- shared helpers ---- */

int lp_bool(const char *s)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "t", "on"};
	static const char *const no[] = {"0", "no", "n", "false", "f", "off"};
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -EINVAL;
}

static long long unit_seconds(const char *u, size_t n)
{
	static const struct {
		const char *name;
		long long sec;
	} units[] = {
	    {"", 1},
	    {"s", 1},
	    {"sec", 1},
	    {"second", 1},
	    {"seconds", 1},
	    {"m", 60},
	    {"min", 60},
	    {"minute", 60},
	    {"minutes", 60},
	    {"h", 3600},
	    {"hr", 3600},
	    {"hour", 3600},
	    {"hours", 3600},
	    {"d", 86400},
	    {"day", 86400},
	    {"days", 86400},
	    {"w", 604800},
	    {"week", 604800},
	    {"weeks", 604800},
	    {"M", 2629800},
	    {"month", 2629800},
	    {"months", 2629800},
	    {"y", 31557600},
	    {"year", 31557600},
	    {"years", 31557600},
	    {"ms", 0},
	    {"msec", 0},
	    {"us", 0},
	    {"usec", 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (strlen(units[i].name) == n && strncmp(units[i].name, u, n) == 0)
			return units[i].sec;
	return -1;
}

int lp_timespan(const char *s, long long *ret)
{
	long long total = 0;
	bool any = false;
	while (*s) {
		s += strspn(s, " \t");
		if (!*s)
			break;
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		long long v = 0;
		for (; isdigit((unsigned char)*s); s++) {
			if (v > 1000000000000LL)
				return -ERANGE;
			v = v * 10 + (*s - '0');
		}
		s += strspn(s, " \t");
		size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzM");
		long long mul = unit_seconds(s, n);
		if (mul < 0)
			return -EINVAL;
		s += n;
		total += v * mul;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*ret = total;
	return 0;
}

/* Copy [s, s+n) without NUL bytes into a new string. */
static char *dup_span(const char *s, size_t n)
{
	return xstrndup(s, strnlen(s, n));
}

static char *src_of(const char *path, unsigned line)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_PATH + 32);
	if (strbuf_printf(&sb, "%s:%u", path, line) < 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

/* ---- journald.conf ---- */

void journald_conf_free(struct journald_conf *c)
{
	free(c->storage);
	free(c->system_max_use);
	free(c->system_keep_free);
	free(c->storage_src);
	free(c->retention_src);
	memset(c, 0, sizeof(*c));
	c->max_retention = -1;
	c->max_file_sec = -1;
	c->forward_to_syslog = -1;
}

static int set_str(char **dst, const char *v)
{
	char *n = NULL;
	if (*v && !(n = strdup(v)))
		return -ENOMEM;
	free(*dst);
	*dst = n;
	return 0;
}

static int journald_storage(struct journald_conf *c, const char *v, const char *path, unsigned line,
			    lp_bad_fn bad, void *ud)
{
	static const char *const ok[] = {"volatile", "persistent", "auto", "none"};
	bool known = !*v;
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		known = known || strcmp(v, ok[i]) == 0;
	if (!known) {
		/* journald ignores a bad value and keeps the previous one. */
		bad(ud, line, "Storage= の値が不正です (無視されます)",
		    "invalid Storage= value (journald ignores it)");
		return 0;
	}
	free(c->storage_src);
	c->storage_src = *v ? src_of(path, line) : NULL;
	return set_str(&c->storage, v);
}

static int journald_kv(struct journald_conf *c, const char *k, const char *v, const char *path,
		       unsigned line, lp_bad_fn bad, void *ud)
{
	if (strcmp(k, "Storage") == 0)
		return journald_storage(c, v, path, line, bad, ud);
	if (strcmp(k, "SystemMaxUse") == 0)
		return set_str(&c->system_max_use, v);
	if (strcmp(k, "SystemKeepFree") == 0)
		return set_str(&c->system_keep_free, v);
	if (strcmp(k, "MaxFileSec") == 0) {
		long long sec = -1;
		if (*v && lp_timespan(v, &sec) < 0)
			bad(ud, line, "MaxFileSec= の値が不正です", "invalid MaxFileSec= value");
		else
			c->max_file_sec = sec;
		return 0;
	}
	if (strcmp(k, "ForwardToSyslog") == 0) {
		int b = *v ? lp_bool(v) : -1;
		if (*v && b < 0)
			bad(ud, line, "ForwardToSyslog= の値が不正です",
			    "invalid ForwardToSyslog= value");
		else
			c->forward_to_syslog = b;
		return 0;
	}
	if (strcmp(k, "MaxRetentionSec") != 0)
		return 0;
	long long sec = -1;
	if (*v && lp_timespan(v, &sec) < 0) {
		bad(ud, line, "MaxRetentionSec= の値が不正です", "invalid MaxRetentionSec= value");
		return 0;
	}
	c->max_retention = sec;
	free(c->retention_src);
	c->retention_src = *v ? src_of(path, line) : NULL;
	return 0;
}

struct journald_read {
	struct journald_conf *c;
	const char *path;
	lp_bad_fn bad;
	void *ud;
};

static int journald_key(void *ud, const char *key, const char *val, size_t vlen, unsigned line)
{
	struct journald_read *jr = ud;
	return journald_kv(jr->c, key, val, jr->path, line, jr->bad, jr->ud) < 0 ? -ENOMEM : 0;
}

/* A line not read may have set anything: the caller makes the facts over
 * the configuration unknown. */
static void journald_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	struct journald_read *jr = ud;
	jr->bad(jr->ud, line, ja, en);
}

static void journald_too_long(void *ud, unsigned line)
{
	struct journald_read *jr = ud;
	jr->c->line_unread = true;
}

int journald_parse(const char *buf, size_t len, const char *path, struct journald_conf *c,
		   lp_bad_fn bad, void *ud)
{
	static const struct ini_opts o = {.max_line = LIMIT_LINE, .max_line_name = "LIMIT_LINE"};
	struct journald_read jr = {c, path, bad, ud};
	struct ini_section_cb cb = {"Journal",	  journald_key, &jr,
				    journald_bad, &jr,		journald_too_long};
	return ini_parse_section(buf, len, &o, &cb) < 0 ? -ENOMEM : 0;
}

int journald_parse_size(const char *s, unsigned long long *ret)
{
	static const char units[] = "KMGTPE";
	char *end = NULL;
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s)
		return -EINVAL;
	while (*end == ' ')
		end++;
	const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
	if (*end && (!u || (end[1] && !(toupper((unsigned char)end[1]) == 'B' && !end[2]))))
		return -EINVAL;
	for (const char *p = units; u && p <= u; p++)
		v *= 1024.0;
	if (v >= 18446744073709551615.0)
		return -EINVAL;
	*ret = (unsigned long long)v;
	return 0;
}

static unsigned long long le64_at(const unsigned char *p)
{
	unsigned long long v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int journal_header_parse(const void *buf, size_t len, struct journal_header *ret)
{
	const unsigned char *b = buf;
	if (len < JOURNAL_HEADER_MIN || memcmp(b, "LPKSHHRH", 8) != 0)
		return -EBADMSG;
	struct journal_header h = {
	    .state = b[16],
	    .header_size = le64_at(b + 88),
	    .arena_size = le64_at(b + 96),
	    .n_entries = le64_at(b + 152),
	    .head_realtime = le64_at(b + 184),
	    .tail_realtime = le64_at(b + 192),
	};
	if (h.header_size < JOURNAL_HEADER_MIN || h.head_realtime > h.tail_realtime)
		return -EBADMSG;
	*ret = h;
	return 0;
}

/* ---- rsyslog ---- */

static bool facility_is_auth(const char *f, size_t n)
{
	return (n == 4 && strncasecmp(f, "auth", 4) == 0) ||
	       (n == 8 && strncasecmp(f, "authpriv", 8) == 0) ||
	       (n == 8 && strncasecmp(f, "security", 8) == 0) || (n == 1 && *f == '*');
}

/* Whether a priority picks info messages, where logins and sudo log
 * ("*", "debug", "info", "=info"; "!" negations and higher levels do
 * not). */
static bool pri_covers_info(const char *p, size_t n)
{
	if (n && *p == '=') {
		p++;
		n--;
	}
	return (n == 1 && *p == '*') || (n == 5 && strncasecmp(p, "debug", 5) == 0) ||
	       (n == 4 && strncasecmp(p, "info", 4) == 0);
}

bool rsyslog_selector_auth(const char *sel)
{
	bool auth = false;
	/* Parts apply left to right; a later "auth.none" undoes an earlier "*.*". */
	for (const char *p = sel; *p;) {
		size_t n = strcspn(p, ";");
		const char *dot = memrchr(p, '.', n);
		if (dot) {
			const char *pri = dot + 1;
			size_t pn = n - (size_t)(pri - p);
			bool none = (pn == 4 && strncasecmp(pri, "none", 4) == 0) ||
				    !pri_covers_info(pri, pn);
			for (const char *f = p; f < dot;) {
				size_t fn = strcspn(f, ",");
				if (f + fn > dot)
					fn = (size_t)(dot - f);
				if (facility_is_auth(f, fn))
					auth = !none;
				f += fn + (f + fn < dot);
			}
		}
		p += n + (p[n] == ';');
	}
	return auth;
}

/* The value of name="value" (or name='value') in s, copied into out. */
static bool param_get(const char *s, const char *name, char *out, size_t outsz)
{
	size_t nl = strlen(name);
	for (const char *p = s; (p = strcasestr(p, name)); p += nl) {
		if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '.'))
			continue;
		const char *q = p + nl;
		q += strspn(q, " \t");
		if (*q != '=')
			continue;
		q++;
		q += strspn(q, " \t");
		char quote = *q;
		if (quote != '"' && quote != '\'')
			continue;
		const char *end = strchr(q + 1, quote);
		if (!end)
			return false;
		size_t n = (size_t)(end - q - 1);
		if (n >= outsz)
			n = outsz - 1;
		memcpy(out, q + 1, n);
		out[n] = 0;
		return true;
	}
	return false;
}

/* Classify an action text; target points into tbuf or into a. */
static enum syslog_target_kind classify_action(const char *a, char *tbuf, size_t tsz)
{
	char type[64];
	tbuf[0] = 0;
	if (strncasecmp(a, "action", 6) == 0 && a[6 + strspn(a + 6, " \t")] == '(') {
		if (!param_get(a, "type", type, sizeof(type)))
			return ST_OTHER;
		if (strcasecmp(type, "omfwd") == 0 || strcasecmp(type, "omrelp") == 0) {
			param_get(a, "target", tbuf, tsz);
			return ST_REMOTE;
		}
		if (strcasecmp(type, "omfile") == 0 && param_get(a, "file", tbuf, tsz))
			return ST_FILE;
		return ST_OTHER;
	}
	if (*a == '~' || strncasecmp(a, "stop", 4) == 0)
		return ST_DISCARD;
	if (*a == '@') {
		a += a[1] == '@' ? 2 : 1;
		if (*a == '(') /* @(o,z9)host options */
			a = strchr(a, ')') ? strchr(a, ')') + 1 : a;
		snprintf(tbuf, tsz, "%.*s", (int)strcspn(a, " \t;"), a);
		return ST_REMOTE;
	}
	if (*a == '-')
		a++;
	if (strncmp(a, ":omfile:", 8) == 0)
		a += 8;
	if (*a == '/') {
		snprintf(tbuf, tsz, "%.*s", (int)strcspn(a, " \t;"), a);
		return ST_FILE;
	}
	return ST_OTHER;
}

struct rs_state {
	const struct syslog_cb *cb;
	char last_sel[512]; /* for "&" continuation lines */
	bool last_auth;
	char block_sel[512]; /* if ... then { ... } */
	bool block_auth;
	int block_depth;
};

static void rs_emit(struct rs_state *st, unsigned line, const char *sel, bool auth,
		    const char *action)
{
	char target[LIMIT_PATH];
	struct syslog_action a = {line, sel, auth, 0, target};
	a.kind = classify_action(action, target, sizeof(target));
	st->cb->action(st->cb->ud, &a);
	snprintf(st->last_sel, sizeof(st->last_sel), "%s", sel);
	st->last_auth = auth;
}

static void rs_include(struct rs_state *st, unsigned line, const char *s)
{
	char file[LIMIT_PATH], mode[32];
	if (param_get(s, "file", file, sizeof(file))) {
		bool opt =
		    param_get(s, "mode", mode, sizeof(mode)) && strcmp(mode, "optional") == 0;
		st->cb->include(st->cb->ud, line, file, opt);
		return;
	}
	st->cb->bad(st->cb->ud, line, "include() に file= がありません", "include() without file=");
}

/* "if EXPR then ACTION" or "if EXPR then {". */
static void rs_if(struct rs_state *st, unsigned line, const char *s)
{
	const char *then = strstr(s, " then");
	if (!then) {
		st->cb->bad(st->cb->ud, line, "if に then がありません", "if without then");
		return;
	}
	char sel[512];
	snprintf(sel, sizeof(sel), "%.*s", (int)(then - s), s);
	bool auth = strcasestr(sel, "auth") || strcasestr(sel, "sshd") || strcasestr(sel, "sudo");
	const char *a = then + 5;
	a += strspn(a, " \t");
	if (*a == '{') {
		snprintf(st->block_sel, sizeof(st->block_sel), "%s", sel);
		st->block_auth = auth;
		st->block_depth = 1;
		a++;
		a += strspn(a, " \t");
	}
	if (*a && *a != '}')
		rs_emit(st, line, sel, auth, a);
}

static void rs_statement(struct rs_state *st, unsigned line, const char *s)
{
	static const char *const ignored[] = {
	    "module",	    "input", "global", "template", "main_queue", "ruleset", "parser",
	    "lookup_table", "set ",  "unset ", "call ",	   "timezone",	 "license"};
	if (strncasecmp(s, "$IncludeConfig", 14) == 0) {
		const char *p = s + 14 + strspn(s + 14, " \t");
		st->cb->include(st->cb->ud, line, p, false);
		return;
	}
	if (*s == '$')
		return; /* other legacy directives */
	if (strncasecmp(s, "include", 7) == 0 && s[7 + strspn(s + 7, " \t")] == '(')
		return rs_include(st, line, s);
	if (strncmp(s, "if ", 3) == 0 || strncmp(s, "if(", 3) == 0)
		return rs_if(st, line, s + 2);
	for (size_t i = 0; i < ARRAY_SIZE(ignored); i++)
		if (strncasecmp(s, ignored[i], strlen(ignored[i])) == 0)
			return;
	if (*s == '}') {
		st->block_depth = 0;
		return;
	}
	if (*s == '&')
		return rs_emit(st, line, st->last_sel, st->last_auth, s + 1 + strspn(s + 1, " \t"));
	if (st->block_depth > 0 && (strncasecmp(s, "action", 6) == 0 || *s == '/' || *s == '-' ||
				    *s == '@' || strncasecmp(s, "stop", 4) == 0))
		return rs_emit(st, line, st->block_sel, st->block_auth, s);
	if (*s == ':') {
		/* Property filter: :prop, op, "value" ACTION. */
		const char *q1 = strchr(s, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
		if (!q2)
			goto bad;
		char sel[512];
		snprintf(sel, sizeof(sel), "%.*s", (int)(q2 + 1 - s), s);
		bool auth = strcasestr(sel, "sshd") || strcasestr(sel, "sudo") ||
			    strcasestr(sel, "auth") || strcasestr(sel, "login");
		const char *a = q2 + 1 + strspn(q2 + 1, " \t");
		return rs_emit(st, line, sel, auth, a);
	}
	size_t sn = strcspn(s, " \t");
	const char *a = s + sn + strspn(s + sn, " \t");
	if (!*a || !memchr(s, '.', sn))
		goto bad;
	char sel[512];
	snprintf(sel, sizeof(sel), "%.*s", (int)sn, s);
	rs_emit(st, line, sel, rsyslog_selector_auth(sel), a);
	return;
bad:
	st->cb->bad(st->cb->ud, line, "解釈できない行です", "line not understood");
}

/* Paren depth change of a line, outside quotes; *cut is where a #
 * comment starts (or the end). */
static int paren_delta(const char *s, size_t n, size_t *cut)
{
	int d = 0;
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
			continue;
		}
		if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '#') {
			*cut = i;
			return d;
		} else if (s[i] == '(')
			d++;
		else if (s[i] == ')')
			d--;
	}
	*cut = n;
	return d;
}

int rsyslog_parse(const char *buf, size_t len, const struct syslog_cb *cb)
{
	struct rs_state st = {.cb = cb};
	struct line_iter it;
	struct line l;
	struct strbuf stmt;
	unsigned start = 0;
	int depth = 0;
	strbuf_init(&stmt, LIMIT_LINE);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		size_t n = strnlen(l.s, l.len), cut;
		const char *s = l.s;
		depth += paren_delta(s, n, &cut);
		n = cut;
		str_trim(&s, &n);
		if (stmt.len == 0)
			start = l.lineno;
		if (n && (stmt.len ? strbuf_puts(&stmt, " ") : 0) == 0 &&
		    strbuf_append(&stmt, s, n) < 0) {
			cb->bad(cb->ud, start,
				"文が上限 (65536 バイト、LIMIT_LINE) より長いため読んでいません",
				"statement longer than 65536 bytes (LIMIT_LINE): not read");
			strbuf_free(&stmt);
			strbuf_init(&stmt, LIMIT_LINE);
			depth = 0;
			continue;
		}
		if (depth > 0)
			continue;
		depth = 0;
		if (stmt.len)
			rs_statement(&st, start, stmt.s);
		stmt.len = 0;
		if (stmt.s)
			stmt.s[0] = 0;
	}
	if (stmt.len) {
		cb->bad(cb->ud, start, "括弧が閉じていません", "unclosed parenthesis");
		rs_statement(&st, start, stmt.s);
	}
	strbuf_free(&stmt);
	return 0;
}

/* ---- syslog-ng ---- */

struct ng_obj {
	char kind; /* 's' source, 'd' destination, 'f' filter */
	char name[128];
	int flag; /* s: local; f: 1 auth, 0 excludes auth, 2 no facility test */
	enum syslog_target_kind dkind;
	char target[LIMIT_PATH];
	unsigned line;
};

struct ng_state {
	const struct syslog_cb *cb;
	struct ng_obj *objs;
	size_t n, cap;
	const char *lpos; /* line counting: position reached, its line */
	unsigned lno;
};

/* Copy buf without # comments (outside quotes) into a new string. */
static char *ng_strip(const char *buf, size_t len)
{
	char *out = malloc(len + 1), q = 0;
	size_t o = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i] ? buf[i] : ' ';
		if (!q && c == '#') {
			while (i < len && buf[i] != '\n')
				i++;
			c = '\n';
		} else if (q && c == q)
			q = 0;
		else if (!q && (c == '"' || c == '\''))
			q = c;
		out[o++] = c;
	}
	out[o] = 0;
	return out;
}

/* The first quoted string after "word(" in body, into out. */
static bool ng_arg(const char *body, const char *word, char *out, size_t outsz)
{
	size_t wl = strlen(word);
	for (const char *p = body; (p = strstr(p, word)); p += wl) {
		if (p > body && (isalnum((unsigned char)p[-1]) || p[-1] == '-' || p[-1] == '_'))
			continue;
		const char *q = p + wl + strspn(p + wl, " \t\r\n");
		if (*q != '(')
			continue;
		q += 1 + strspn(q + 1, " \t\r\n");
		size_t n;
		if (*q == '"' || *q == '\'') {
			const char *e = strchr(q + 1, *q);
			if (!e)
				return false;
			q++;
			n = (size_t)(e - q);
		} else {
			n = strcspn(q, " \t\r\n);");
		}
		snprintf(out, outsz, "%.*s", (int)n, q);
		return true;
	}
	return false;
}

static void ng_object(struct ng_obj *o, const char *body)
{
	static const char *const remote[] = {"network", "tcp", "udp", "tcp6", "udp6", "syslog"};
	char path[LIMIT_PATH];
	if (o->kind == 's') {
		o->flag = strstr(body, "system(") || strstr(body, "systemd-journal(") ||
			  (ng_arg(body, "unix-dgram", path, sizeof(path)) &&
			   strcmp(path, "/dev/log") == 0) ||
			  (ng_arg(body, "unix-stream", path, sizeof(path)) &&
			   strcmp(path, "/dev/log") == 0);
		return;
	}
	if (o->kind == 'f') {
		bool auth = strstr(body, "auth") != NULL, fac = strstr(body, "facility(") != NULL;
		o->flag = !fac ? 2 : (auth && !strstr(body, "not")) ? 1 : 0;
		return;
	}
	o->dkind = ST_OTHER;
	if (ng_arg(body, "file", o->target, sizeof(o->target))) {
		o->dkind = strchr(o->target, '$') ? ST_OTHER : ST_FILE;
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(remote); i++)
		if (ng_arg(body, remote[i], o->target, sizeof(o->target))) {
			o->dkind = ST_REMOTE;
			return;
		}
}

static const struct ng_obj *ng_find(const struct ng_state *st, char kind, const char *name)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->objs[i].kind == kind && strcmp(st->objs[i].name, name) == 0)
			return &st->objs[i];
	return NULL;
}

/* Walk "word(NAME)" references of one kind in a log body. */
static size_t ng_refs(const char *body, const char *word, char names[][128], size_t max)
{
	size_t n = 0, wl = strlen(word);
	for (const char *p = body; n < max && (p = strstr(p, word)); p += wl) {
		if (p > body && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '-'))
			continue;
		const char *q = p + wl + strspn(p + wl, " \t\r\n");
		if (*q != '(')
			continue;
		q += 1 + strspn(q + 1, " \t\r\n");
		size_t k = strcspn(q, " \t\r\n)");
		snprintf(names[n++], 128, "%.*s", (int)k, q);
	}
	return n;
}

static void ng_log(struct ng_state *st, unsigned line, const char *body)
{
	char names[64][128], sel[32];
	bool local = false, auth = true;
	size_t n = ng_refs(body, "source", names, 64);
	for (size_t i = 0; i < n; i++) {
		const struct ng_obj *o = ng_find(st, 's', names[i]);
		local = local || (o && o->flag);
	}
	n = ng_refs(body, "filter", names, 64);
	for (size_t i = 0; i < n; i++) {
		const struct ng_obj *o = ng_find(st, 'f', names[i]);
		auth = auth && (!o || o->flag != 0);
	}
	if (!local)
		return;
	snprintf(sel, sizeof(sel), "log@%u", line);
	n = ng_refs(body, "destination", names, 64);
	for (size_t i = 0; i < n; i++) {
		const struct ng_obj *o = ng_find(st, 'd', names[i]);
		if (!o) {
			st->cb->bad(st->cb->ud, line, "定義されていない destination です",
				    "undefined destination");
			continue;
		}
		struct syslog_action a = {line, sel, auth, o->dkind, o->target};
		st->cb->action(st->cb->ud, &a);
	}
}

/* The line number of p; statements come in order, so counting resumes
 * where the previous call stopped (linear over the whole file). */
static unsigned line_at(struct ng_state *st, const char *p)
{
	for (; st->lpos < p; st->lpos++)
		st->lno += *st->lpos == '\n';
	return st->lno;
}

/* The '}' matching the '{' at open (quotes respected), or the end. */
static const char *ng_block_end(const char *open)
{
	int depth = 0;
	const char *e = open;
	for (char quote = 0; *e; e++) {
		if (quote) {
			quote = *e == quote ? 0 : quote;
			continue;
		}
		if (*e == '"' || *e == '\'')
			quote = *e;
		depth += (*e == '{') - (*e == '}');
		if (depth == 0)
			break;
	}
	return e;
}

static void ng_add(struct ng_state *st, char kind, const char *name, size_t nn, unsigned line,
		   const char *body)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		struct ng_obj *v = realloc(st->objs, cap * sizeof(*v));
		if (!v)
			return;
		st->objs = v;
		st->cap = cap;
	}
	struct ng_obj *o = &st->objs[st->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->line = line;
	memcpy(o->name, name, nn);
	ng_object(o, body);
}

/* "@include "file"" and other @ lines; returns the end of the line. */
static const char *ng_at_line(struct ng_state *st, unsigned line, const char *p)
{
	char inc[LIMIT_PATH];
	const char *q = strchr(p, '"');
	const char *eol = p + strcspn(p, "\n");
	if (strncmp(p, "@include", 8) == 0 && q && q < eol) {
		snprintf(inc, sizeof(inc), "%.*s", (int)strcspn(q + 1, "\"\n"), q + 1);
		st->cb->include(st->cb->ud, line, inc, false);
	}
	return eol;
}

/* One top-level statement starting at p; returns where the next one starts. */
static const char *ng_statement(struct ng_state *st, const char *p)
{
	unsigned line = line_at(st, p);
	if (*p == '@')
		return ng_at_line(st, line, p);
	size_t kw = strcspn(p, " \t\r\n{");
	const char *name = p + kw + strspn(p + kw, " \t\r\n");
	size_t nn = *name == '{' ? 0 : strcspn(name, " \t\r\n{");
	const char *open = strchr(name, '{');
	if (!open)
		return p + strlen(p);
	const char *e = ng_block_end(open);
	if (!*e) {
		st->cb->bad(st->cb->ud, line, "{ が閉じていません", "unclosed {");
		return e;
	}
	_cleanup_free_ char *body = xstrndup(open + 1, (size_t)(e - open - 1));
	if (!body)
		return e;
	char kind = strncmp(p, "source", 6) == 0	   ? 's'
		    : strncmp(p, "destination", 11) == 0   ? 'd'
		    : strncmp(p, "filter", 6) == 0	   ? 'f'
		    : strncmp(p, "log", 3) == 0 && kw == 3 ? 'l'
							   : 0;
	if (kind == 'l')
		ng_log(st, line, body);
	else if (kind && nn && nn < 128)
		ng_add(st, kind, name, nn, line, body);
	return e + 1;
}

int syslogng_parse(const char *buf, size_t len, const struct syslog_cb *cb)
{
	_cleanup_free_ char *text = ng_strip(buf, len);
	struct ng_state st = {.cb = cb, .lpos = text, .lno = 1};
	if (!text)
		return -ENOMEM;
	for (const char *p = text; *p;) {
		p += strspn(p, " \t\r\n;}");
		if (*p)
			p = ng_statement(&st, p);
	}
	free(st.objs);
	return 0;
}

/* ---- logrotate ---- */

/* NUL or control characters other than tab: not a text config line. */
static bool line_is_binary(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return true;
	return false;
}

void lr_state_init(struct lr_state *st)
{
	memset(st, 0, sizeof(*st));
	st->global.rotate = 0;
	st->global.maxage = -1;
}

static void lr_block_free(struct lr_block *b)
{
	for (size_t i = 0; i < b->npatterns; i++)
		free(b->patterns[i]);
	free(b->patterns);
	free(b->source);
}

void lr_state_free(struct lr_state *st)
{
	for (size_t i = 0; i < st->nblocks; i++)
		lr_block_free(&st->blocks[i]);
	free(st->blocks);
	lr_state_init(st);
}

struct lr_parse {
	struct lr_state *st;
	const char *path;
	struct lr_block cur; /* block being read (npatterns > 0 while open) */
	bool in_block, in_script;
	bool cur_bad; /* the block being read has an error: logrotate drops it */
	lp_bad_fn bad;
	void *ud;
};

static int lr_add_pattern(struct lr_block *b, const char *s, size_t n)
{
	if (s[0] == '"' && n >= 2 && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	char **v = realloc(b->patterns, (b->npatterns + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	b->patterns = v;
	if (!(v[b->npatterns] = dup_span(s, n)))
		return -ENOMEM;
	b->npatterns++;
	return 0;
}

/* A directive of the block being read, or of the globals. */
static void lr_directive(struct lr_parse *p, const char *w, const char *arg, unsigned line)
{
	static const struct {
		const char *name;
		enum lr_period period;
	} periods[] = {{"hourly", LR_HOURLY},	{"daily", LR_DAILY},   {"weekly", LR_WEEKLY},
		       {"monthly", LR_MONTHLY}, {"yearly", LR_YEARLY}, {"size", LR_SIZE}};
	struct lr_opts *o = p->in_block ? &p->cur.opts : &p->st->global;
	for (size_t i = 0; i < ARRAY_SIZE(periods); i++)
		if (strcmp(w, periods[i].name) == 0) {
			o->period = periods[i].period;
			o->period_line = line;
			return;
		}
	long v;
	if (strcmp(w, "rotate") == 0 || strcmp(w, "maxage") == 0) {
		if (parse_long(arg, &v) < 0 || v < -1 || v > 1000000) {
			/* logrotate skips the whole entry ("found error ...,
			 * skipping"), so the file is then not rotated at all. */
			p->bad(p->ud, line, "数値が不正です (logrotate はこのエントリを無視します)",
			       "invalid number (logrotate skips this entry)");
			p->cur_bad = p->cur_bad || p->in_block;
			return;
		}
		if (w[0] == 'r') {
			o->rotate = v;
			o->rotate_line = line;
		} else {
			o->maxage = v;
		}
	}
}

static int lr_open_block(struct lr_parse *p, unsigned line)
{
	if (p->cur.npatterns == 0) {
		p->bad(p->ud, line, "ファイル名のない { です", "{ without a file name");
	}
	p->cur.opts = p->st->global;
	p->cur.source = src_of(p->path, line);
	p->in_block = true;
	return p->cur.source ? 0 : -ENOMEM;
}

static int lr_close_block(struct lr_parse *p)
{
	if (p->cur_bad) {
		lr_block_free(&p->cur);
		memset(&p->cur, 0, sizeof(p->cur));
		p->in_block = p->cur_bad = false;
		return 0;
	}
	struct lr_block *v = realloc(p->st->blocks, (p->st->nblocks + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->st->blocks = v;
	v[p->st->nblocks++] = p->cur;
	memset(&p->cur, 0, sizeof(p->cur));
	p->in_block = false;
	return 0;
}

static int lr_line(struct lr_parse *p, char *s, size_t n, unsigned line,
		   void (*include)(void *ud, unsigned line, const char *target));

/* File names, maybe ending in "{" and even a first directive. */
static int lr_names(struct lr_parse *p, char *s, size_t n, unsigned line,
		    void (*include)(void *ud, unsigned line, const char *target))
{
	for (size_t i = 0; i < n;) {
		if (s[i] == '{') {
			if (lr_open_block(p, line) < 0)
				return -ENOMEM;
			char *rest = s + i + 1;
			size_t rn = n - i - 1;
			rest += strspn(rest, " \t");
			rn = strlen(rest);
			return rn ? lr_line(p, rest, rn, line, include) : 0;
		}
		size_t k = s[i] == '"' ? strcspn(s + i + 1, "\"") + 2 : strcspn(s + i, " \t{");
		if (k > n - i)
			k = n - i;
		if (lr_add_pattern(&p->cur, s + i, k) < 0)
			return -ENOMEM;
		i += k;
		i += strspn(s + i, " \t");
	}
	return 0;
}

static int lr_line(struct lr_parse *p, char *s, size_t n, unsigned line,
		   void (*include)(void *ud, unsigned line, const char *target))
{
	char w[32], arg[LIMIT_PATH];
	if (p->in_script) {
		p->in_script = !(n >= 9 && strncmp(s, "endscript", 9) == 0);
		return 0;
	}
	if (*s == '}')
		return p->in_block ? lr_close_block(p) : 0;
	if (!p->in_block && (*s == '/' || *s == '"' || *s == '{' || s[n - 1] == '{'))
		return lr_names(p, s, n, line, include);
	snprintf(w, sizeof(w), "%.*s", (int)strcspn(s, " \t="), s);
	const char *a = s + strlen(w);
	a += strspn(a, " \t=");
	snprintf(arg, sizeof(arg), "%.*s", (int)(n - (size_t)(a - s)), a);
	if (strcmp(w, "include") == 0) {
		include(p->ud, line, arg);
		return 0;
	}
	if (strcmp(w, "postrotate") == 0 || strcmp(w, "prerotate") == 0 ||
	    strcmp(w, "firstaction") == 0 || strcmp(w, "lastaction") == 0 ||
	    strcmp(w, "preremove") == 0) {
		p->in_script = true;
		return 0;
	}
	lr_directive(p, w, arg, line);
	return 0;
}

int logrotate_parse(const char *buf, size_t len, const char *path, struct lr_state *st,
		    void (*include)(void *ud, unsigned line, const char *target), lp_bad_fn bad,
		    void *ud)
{
	struct lr_parse p = {.st = st, .path = path, .bad = bad, .ud = ud};
	struct line_iter it;
	struct line l;
	int r = 0;
	st->files++;
	line_iter_init(&it, buf, len);
	while (r == 0 && line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = strnlen(l.s, l.len);
		str_trim(&s, &n);
		if (n == 0 || *s == '#')
			continue;
		if (n > LIMIT_PATH) {
			bad(ud, l.lineno,
			    "行が上限 (4096 バイト、LIMIT_PATH) より長いため読んでいません",
			    "line longer than 4096 bytes (LIMIT_PATH): not read");
			continue;
		}
		if (line_is_binary(l.s, l.len)) {
			bad(ud, l.lineno, "制御文字やバイナリを含む行です (無視します)",
			    "line holds control characters or binary data (ignored)");
			continue;
		}
		char tmp[LIMIT_PATH + 1];
		memcpy(tmp, s, n);
		tmp[n] = 0;
		r = lr_line(&p, tmp, n, l.lineno, include);
	}
	if (r == 0 && (p.in_block || p.cur.npatterns)) {
		bad(ud, l.lineno, "} が閉じていません", "block not closed with }");
		r = p.in_block ? lr_close_block(&p) : 0;
	}
	lr_block_free(&p.cur);
	return r;
}

const struct lr_block *lr_find(const struct lr_state *st, const char *path)
{
	for (size_t i = 0; i < st->nblocks; i++)
		for (size_t k = 0; k < st->blocks[i].npatterns; k++)
			if (fnmatch(st->blocks[i].patterns[k], path, FNM_PATHNAME) == 0)
				return &st->blocks[i];
	return NULL;
}

long lr_retention_days(const struct lr_opts *o, bool *unlimited)
{
	static const long days[] = {
	    [LR_DAILY] = 1, [LR_WEEKLY] = 7, [LR_MONTHLY] = 30, [LR_YEARLY] = 365};
	*unlimited = false;
	if (o->rotate == 0)
		return 0;
	if (o->rotate < 0) {
		*unlimited = o->maxage < 0;
		return o->maxage;
	}
	if (o->period == LR_NONE || o->period == LR_SIZE)
		return -1;
	long d = o->period == LR_HOURLY ? o->rotate / 24 : o->rotate * days[o->period];
	if (o->maxage >= 0 && o->maxage < d)
		d = o->maxage;
	return d;
}

/* ---- auditd ---- */

static bool path_in(const char *p, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(set[i]);
		if (strncmp(p, set[i], l) == 0 && (p[l] == 0 || p[l] == '/'))
			return true;
	}
	return false;
}

enum {
	AUDIT_W_LOGINS = 1,
	AUDIT_W_SUDO = 2,
	AUDIT_W_PASSWD = 4,
	AUDIT_W_SHADOW = 8,
	AUDIT_W_GROUP = 16,
};

static unsigned audit_watch(const char *path, const char *perm, bool exec_rule)
{
	static const char *const logins[] = {
	    "/var/log/faillog",	 "/var/log/lastlog", "/var/log/tallylog",
	    "/var/run/faillock", "/run/faillock",    "/var/log/wtmp",
	    "/var/log/btmp",	 "/var/run/utmp",    "/run/utmp"};
	static const char *const sudoers[] = {"/etc/sudoers", "/etc/sudoers.d"};
	static const char *const sudo_bin[] = {"/usr/bin/sudo", "/bin/sudo", "/usr/bin/su",
					       "/bin/su"};
	bool write = !perm || strpbrk(perm, "wa"), exec = exec_rule || !perm || strchr(perm, 'x');
	unsigned w = 0;
	if (path_in(path, logins, ARRAY_SIZE(logins)))
		w |= AUDIT_W_LOGINS;
	if (write && path_in(path, sudoers, ARRAY_SIZE(sudoers)))
		w |= AUDIT_W_SUDO;
	if (exec && path_in(path, sudo_bin, ARRAY_SIZE(sudo_bin)))
		w |= AUDIT_W_SUDO;
	if (write && strcmp(path, "/etc/passwd") == 0)
		w |= AUDIT_W_PASSWD;
	if (write && strcmp(path, "/etc/shadow") == 0)
		w |= AUDIT_W_SHADOW;
	if (write && strcmp(path, "/etc/group") == 0)
		w |= AUDIT_W_GROUP;
	return w;
}

/* -a rule: -F path=/dir=/exe=/perm=, -S execve, -C euid!=uid / -F euid=0. */
static unsigned audit_syscall_rule(char **tok, size_t n)
{
	const char *path = NULL, *perm = NULL;
	bool execve = false, elevated = false;
	unsigned w = 0;
	if (n > 1 && strncmp(tok[1], "never", 5) == 0)
		return 0;
	for (size_t i = 1; i + 1 < n; i++) {
		const char *v = tok[i + 1];
		if (strcmp(tok[i], "-S") == 0 && strstr(v, "execve"))
			execve = true;
		if (strcmp(tok[i], "-C") == 0 && strcmp(v, "euid!=uid") == 0)
			elevated = true;
		if (strcmp(tok[i], "-F") != 0)
			continue;
		if (str_startswith(v, "path=") || str_startswith(v, "dir="))
			path = strchr(v, '=') + 1;
		else if (str_startswith(v, "exe="))
			w |= audit_watch(v + 4, NULL, true);
		else if (str_startswith(v, "perm="))
			perm = v + 5;
		else if (strcmp(v, "euid=0") == 0)
			elevated = true;
	}
	if (path)
		w |= audit_watch(path, perm, execve);
	if (execve && elevated)
		w |= AUDIT_W_SUDO;
	return w;
}

/* The key of a rule: -k KEY or -F key=KEY (the last one). */
static const char *audit_key(char **tok, size_t n)
{
	const char *k = NULL;
	for (size_t i = 1; i + 1 < n; i++) {
		if (strcmp(tok[i], "-k") == 0)
			k = tok[i + 1];
		else if (strcmp(tok[i], "-F") == 0 && str_startswith(tok[i + 1], "key="))
			k = tok[i + 1] + 4;
	}
	return k;
}

void audit_rules_free(struct audit_rules *r)
{
	for (size_t i = 0; r->v && i < r->nrules; i++) {
		free(r->v[i].key);
		free(r->v[i].canon);
	}
	free(r->v);
	r->v = NULL;
	r->nrules = 0;
	r->cap = 0;
}

static void audit_push(struct audit_rules *r, const char *key, unsigned what, char *canon)
{
	if (r->nrules == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		struct audit_rule *nv = realloc(r->v, nc * sizeof(*nv));
		if (!nv) {
			free(canon);
			return; /* counted as not seen: never a watch that is not there */
		}
		r->v = nv;
		r->cap = nc;
	}
	r->v[r->nrules].key = key ? strdup(key) : NULL;
	r->v[r->nrules].what = (unsigned char)what;
	r->v[r->nrules].canon = canon;
	r->nrules++;
}

/* -D: every rule, or with a key only the rules carrying it. */
static void audit_delete(struct audit_rules *r, const char *key)
{
	size_t w = 0;
	for (size_t i = 0; i < r->nrules; i++) {
		if (!key || (r->v[i].key && strcmp(r->v[i].key, key) == 0)) {
			free(r->v[i].key);
			free(r->v[i].canon);
			continue;
		}
		r->v[w++] = r->v[i];
	}
	r->nrules = (unsigned)w;
}

static void audit_summarise(struct audit_rules *r)
{
	unsigned w = 0;
	for (size_t i = 0; i < r->nrules; i++)
		w |= r->v[i].what;
	r->logins = w & AUDIT_W_LOGINS;
	r->sudo = w & AUDIT_W_SUDO;
	r->passwd = w & AUDIT_W_PASSWD;
	r->shadow = w & AUDIT_W_SHADOW;
	r->group = w & AUDIT_W_GROUP;
	r->accounts = r->passwd && r->shadow && r->group;
}

/* ---- what auditctl's option parser refuses ---- */

static bool in_list(const char *s, size_t n, const char *const *v, size_t nv)
{
	for (size_t i = 0; i < nv; i++)
		if (strlen(v[i]) == n && strncmp(s, v[i], n) == 0)
			return true;
	return false;
}

/* "LIST,ACTION" in either order. */
static bool list_action_ok(const char *v)
{
	static const char *const lists[] = {"task",    "exit",	     "user",
					    "exclude", "filesystem", "io_uring"};
	static const char *const actions[] = {"never", "always"};
	const char *c = strchr(v, ',');
	if (!c || strchr(c + 1, ','))
		return false;
	size_t a = (size_t)(c - v), b = strlen(c + 1);
	return (in_list(v, a, lists, ARRAY_SIZE(lists)) &&
		in_list(c + 1, b, actions, ARRAY_SIZE(actions))) ||
	       (in_list(v, a, actions, ARRAY_SIZE(actions)) &&
		in_list(c + 1, b, lists, ARRAY_SIZE(lists)));
}

static bool perm_ok(const char *p)
{
	return strlen(p) <= 4 && strspn(p, "rwxa") == strlen(p);
}

static bool numeric(const char *v)
{
	long n;
	return parse_long(v, &n) == 0 && n >= 0;
}

/* -F NAME OP VALUE: the field names libaudit knows (auditctl(8)). */
static bool field_ok(const char *f, bool *ret_arch, const char **ret_name, size_t *ret_nl)
{
	static const char *const names[] = {"a0",	   "a1",
					    "a2",	   "a3",
					    "arch",	   "auid",
					    "devmajor",	   "devminor",
					    "dir",	   "egid",
					    "euid",	   "exe",
					    "exit",	   "fsgid",
					    "fstype",	   "fsuid",
					    "filetype",	   "gid",
					    "inode",	   "key",
					    "msgtype",	   "obj_uid",
					    "obj_gid",	   "obj_user",
					    "obj_role",	   "obj_type",
					    "obj_lev_low", "obj_lev_high",
					    "path",	   "perm",
					    "pers",	   "pid",
					    "ppid",	   "saddr_fam",
					    "sessionid",   "sgid",
					    "subj_user",   "subj_role",
					    "subj_type",   "subj_sen",
					    "subj_clr",	   "success",
					    "suid",	   "uid",
					    "loginuid",	   "field_compare",
					    "fsid"};
	size_t nl = strcspn(f, "=!<>&");
	*ret_name = f;
	*ret_nl = nl;
	*ret_arch = nl == 4 && strncmp(f, "arch", 4) == 0;
	if (!in_list(f, nl, names, ARRAY_SIZE(names)))
		return false;
	const char *op = f + nl;
	static const char *const ops[] = {"!=", "<=", ">=", "&=", "=", "<", ">", "&"};
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		size_t ol = strlen(ops[i]);
		if (strncmp(op, ops[i], ol) == 0)
			return op[ol] != '\0';
	}
	return false;
}

#define REJECT(ja, en)                                                                             \
	do {                                                                                       \
		*ret_ja = ja;                                                                      \
		*ret_en = en;                                                                      \
		return -EINVAL;                                                                    \
	} while (0)

/* One -F argument: the field, its operator and a value auditctl accepts. */
static int check_field(const char *v, bool syscall_seen, bool *ret_path, const char **ret_ja,
		       const char **ret_en)
{
	bool arch;
	const char *name;
	size_t nl;
	if (!field_ok(v, &arch, &name, &nl))
		REJECT("-F のフィールド名か演算子が不正です", "-F: unknown field or no operator");
	const char *val = name + nl + strspn(name + nl, "=!<>&");
	if (arch) {
		static const char *const arches[] = {
		    "b32",     "b64",	  "x86_64", "i386",    "i486",	  "i586",
		    "i686",    "aarch64", "armeb",  "arm",     "ppc",	  "ppc64",
		    "ppc64le", "s390",	  "s390x",  "riscv64", "riscv32", "loongarch64"};
		if (syscall_seen)
			REJECT("arch= は -S より前に書く必要があります", "arch must be before -S");
		if (!in_list(val, strlen(val), arches, ARRAY_SIZE(arches)))
			REJECT("arch= の値が不明です", "unknown arch");
	}
	if (nl == 4 && strncmp(name, "perm", 4) == 0 && !perm_ok(val))
		REJECT("perm= に使えるのは rwxa だけです", "perm= may only hold rwxa");
	if (nl == 7 && strncmp(name, "success", 7) == 0 && !numeric(val))
		REJECT("success= の値は数値です", "success= must be a number");
	if ((nl == 4 && strncmp(name, "path", 4) == 0) || (nl == 3 && strncmp(name, "dir", 3) == 0))
		*ret_path = true;
	return 0;
}

int audit_rule_check(char **tok, size_t n, const char **ret_ja, const char **ret_en)
{
	static const char *const noarg[] = {"-c",	    "-D",
					    "-h",	    "-i",
					    "-l",	    "-s",
					    "-v",	    "--loginuid-immutable",
					    "--reset-lost", "--reset_backlog_wait_time_actual"};
	static const char *const witharg[] = {"-a",
					      "-A",
					      "-b",
					      "-C",
					      "-d",
					      "-e",
					      "-f",
					      "-F",
					      "-k",
					      "-m",
					      "-p",
					      "-q",
					      "-r",
					      "-R",
					      "-S",
					      "-t",
					      "-w",
					      "-W",
					      "--backlog_wait_time",
					      "--signal"};
	bool watch = false, syscall = false, path = false, rule = false;
	size_t keylen = 0;
	if (n == 0 || tok[0][0] != '-')
		return 0; /* getopt finds no option: auditctl does nothing */
	for (size_t i = 0; i < n; i++) {
		const char *o = tok[i];
		if (o[0] != '-' || o[1] == '\0')
			REJECT("オプションのない引数があります", "an argument without an option");
		if (in_list(o, strlen(o), noarg, ARRAY_SIZE(noarg)))
			continue;
		if (!in_list(o, strlen(o), witharg, ARRAY_SIZE(witharg)))
			REJECT("auditctl にないオプションです", "not an auditctl option");
		if (i + 1 >= n)
			REJECT("オプションの値がありません", "an option without its value");
		const char *v = tok[++i];
		switch (o[1]) {
		case 'w':
		case 'W':
			if (v[0] != '/')
				REJECT("監視するパスは / で始まる必要があります",
				       "the watched path must start with /");
			watch = true;
			break;
		case 'p':
			if (!watch && !path)
				REJECT("-p の前に監視 (-w) がありません",
				       "-p needs a watch before it");
			if (!perm_ok(v))
				REJECT("-p に使えるのは rwxa だけです", "-p may only hold rwxa");
			break;
		case 'a':
		case 'A':
		case 'd':
			if (!list_action_ok(v))
				REJECT("リストと動作 (例: always,exit) が不正です",
				       "bad list,action (for example always,exit)");
			rule = true;
			break;
		case 'S':
			syscall = true;
			break;
		case 'F': {
			int r = check_field(v, syscall, &path, ret_ja, ret_en);
			if (r < 0)
				return r;
			if (strncmp(v, "key=", 4) == 0)
				keylen += strlen(v + 4) + 1;
			break;
		}
		case 'k':
			/* "-D -k KEY" deletes the rules with that key (auditctl(8));
			 * Debian 12's auditctl 3.0.9 reports an error on it, see
			 * tests/e2e/auditctl.sh */
			if (!watch && !rule && !syscall && strcmp(tok[0], "-D") != 0)
				REJECT("-k の前に監視か規則がありません",
				       "-k needs a watch or rule before it");
			keylen += strlen(v) + 1;
			break;
		case 'e':
		case 'f':
			if (strcmp(v, "0") && strcmp(v, "1") && strcmp(v, "2"))
				REJECT("値は 0、1、2 のいずれかです",
				       "the value must be 0, 1 or 2");
			break;
		case 'b':
		case 'r':
			if (!numeric(v))
				REJECT("値は数値です", "the value must be a number");
			break;
		case '-':
			if (strcmp(o, "--backlog_wait_time") == 0 && !numeric(v))
				REJECT("値は数値です", "the value must be a number");
			break;
		}
	}
	if (keylen > 256 + 1) /* AUDIT_MAX_KEY_LEN, keys joined by a separator */
		REJECT("キーが長すぎます", "the key is too long");
	return 0;
}
#undef REJECT

/* A rule as the kernel compares it when one is added again (EEXIST):
 * -w PATH with its permissions as a set (none: all four) and keys; -a and
 * -A alike, list,action in one order, the other words as written (so a
 * reordered duplicate is not caught: it then counts as loaded). New
 * string or NULL. */
static char *rule_canon(char **tok, size_t n)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_LINE);
	bool w = strcmp(tok[0], "-w") == 0;
	int r = strbuf_puts(&sb, w ? "w" : "a");
	for (size_t i = 1; r >= 0 && i < n; i++) {
		const char *t = tok[i];
		char perm[5] = "", la[64];
		if (w && strcmp(t, "-p") == 0 && i + 1 < n) {
			const char *p = tok[++i];
			size_t k = 0;
			for (const char *c = "rwxa"; *c; c++)
				if (strchr(p, *c) || !*p)
					perm[k++] = *c;
			perm[k] = 0;
			r = strbuf_puts(&sb, " -p ");
			if (r >= 0)
				r = strbuf_puts(&sb, perm);
			continue;
		}
		const char *c = strchr(t, ',');
		if (!w && i == 1 && c && strlen(t) < sizeof(la) &&
		    (str_startswith(t, "never,") || str_startswith(t, "always,"))) {
			/* "always,exit" is "exit,always" */
			snprintf(la, sizeof(la), "%s,%.*s", c + 1, (int)(c - t), t);
			t = la;
		}
		r = strbuf_puts(&sb, " ");
		if (r >= 0)
			r = strbuf_puts(&sb, t);
	}
	if (w && r >= 0 && (!sb.s || !strstr(sb.s, " -p ")))
		r = strbuf_puts(&sb, " -p rwxa");
	if (r < 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

static bool rule_loaded(const struct audit_rules *r, const char *canon)
{
	for (size_t i = 0; canon && i < r->nrules; i++)
		if (r->v[i].canon && strcmp(r->v[i].canon, canon) == 0)
			return true;
	return false;
}

/* A line auditctl refuses: reported, and the load stops there unless -c
 * or -i came before. */
static void audit_reject(struct audit_rules *r, unsigned line, bool adds, const char *ja,
			 const char *en, lp_bad_fn bad, void *ud)
{
	char mja[512], men[512];
	r->rejected++;
	r->not_loaded += adds;
	snprintf(mja, sizeof(mja), "auditctl はこの行を受け付けません（%s）%s", ja,
		 r->cont ? "" : "。ここで読み込みが止まり、以降の規則は読み込まれません");
	snprintf(men, sizeof(men), "auditctl rejects this line (%s)%s", en,
		 r->cont ? "" : "; loading stops here, later rules are not loaded");
	bad(ud, line, mja, men);
	if (!r->cont)
		r->stop_line = line;
}

static void audit_line(struct audit_rules *r, char *s, unsigned line, lp_bad_fn bad, void *ud)
{
	char *tok[64], *save = NULL;
	size_t n = 0;
	const char *ja = NULL, *en = NULL;
	for (char *t = strtok_r(s, " \t", &save); t && n < ARRAY_SIZE(tok);
	     t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n == 0)
		return;
	bool adds =
	    strcmp(tok[0], "-w") == 0 || strcmp(tok[0], "-a") == 0 || strcmp(tok[0], "-A") == 0;
	if (r->stop_line) { /* the load stopped before this line */
		r->not_loaded += adds;
		return;
	}
	_cleanup_free_ char *canon = adds ? rule_canon(tok, n) : NULL;
	if (tok[0][0] == '-' && audit_rule_check(tok, n, &ja, &en) < 0) {
	} else if (adds && rule_loaded(r, canon)) {
		ja = "同じ規則が既に読み込まれています (EEXIST)";
		en = "the same rule is already loaded (EEXIST)";
	} else if (r->locked && tok[0][0] == '-' && strcmp(tok[0], "-l") != 0 &&
		   strcmp(tok[0], "-s") != 0 && strcmp(tok[0], "-c") != 0 &&
		   strcmp(tok[0], "-i") != 0) {
		ja = "-e 2 で固定された後の変更は拒否されます";
		en = "refused after -e 2 locked the rules";
	}
	if (en) {
		audit_reject(r, line, adds, ja, en, bad, ud);
		return;
	}
	if (strcmp(tok[0], "-c") == 0 || strcmp(tok[0], "-i") == 0) {
		r->cont = true;
		return;
	}
	if (strcmp(tok[0], "-D") == 0) {
		audit_delete(r, audit_key(tok, n));
		return;
	}
	if (strcmp(tok[0], "-e") == 0 && n > 1) {
		long v;
		if (parse_long(tok[1], &v) == 0 && v >= 0 && v <= 2)
			r->enabled = (int)v;
		r->locked = r->enabled == 2;
		return;
	}
	if (strcmp(tok[0], "-w") == 0 && n > 1) {
		const char *perm = NULL;
		for (size_t i = 2; i + 1 < n; i++)
			if (strcmp(tok[i], "-p") == 0)
				perm = tok[i + 1];
		audit_push(r, audit_key(tok, n), audit_watch(tok[1], perm, false), canon);
		canon = NULL;
		return;
	}
	if (strcmp(tok[0], "-a") == 0 || strcmp(tok[0], "-A") == 0) {
		audit_push(r, audit_key(tok, n), audit_syscall_rule(tok, n), canon);
		canon = NULL;
		return;
	}
	if (tok[0][0] != '-')
		bad(ud, line, "auditctl の規則ではありません (auditctl は何もしません)",
		    "not an auditctl rule (auditctl does nothing with it)");
}

void audit_rules_parse(const char *buf, size_t len, struct audit_rules *r, lp_bad_fn bad, void *ud)
{
	struct line_iter it;
	struct line l;
	char tmp[6144]; /* auditctl's LINE_SIZE: it reads a longer line in pieces */
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = strnlen(l.s, l.len);
		str_trim(&s, &n);
		if (n == 0 || *s == '#')
			continue;
		if (n >=
		    sizeof(tmp)) { /* judged as auditctl refusing it: fewer rules, never more */
			if (!r->stop_line)
				audit_reject(
				    r, l.lineno, true,
				    "6143 バイトより長い行は auditctl が分割して読むため、"
				    "tenken はこの行を読んでいません",
				    "longer than 6143 bytes, which auditctl reads in pieces: "
				    "tenken did not read this line",
				    bad, ud);
			else
				r->not_loaded++;
			continue;
		}
		memcpy(tmp, s, n);
		tmp[n] = 0;
		audit_line(r, tmp, l.lineno, bad, ud);
	}
	audit_summarise(r);
}

/* ---- augenrules ---- */

/* filevercmp's weight of the byte at pos: digits and the end 0, letters
 * themselves, '~' before everything, other bytes after every letter. */
static int ver_order(const char *s, size_t pos, size_t len)
{
	unsigned char c = pos < len ? (unsigned char)s[pos] : 0;
	if (pos == len || isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	return c == '~' ? -1 : (int)c + 256;
}

/* The Debian version comparison filevercmp applies to file names:
 * alternating non-digit runs (by ver_order) and digit runs (by value). */
static int ver_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0, j = 0;
	while (i < al || j < bl) {
		int diff = 0;
		while ((i < al && !isdigit((unsigned char)a[i])) ||
		       (j < bl && !isdigit((unsigned char)b[j]))) {
			int x = ver_order(a, i, al), y = ver_order(b, j, bl);
			if (x != y)
				return x - y;
			i++;
			j++;
		}
		while (i < al && a[i] == '0')
			i++;
		while (j < bl && b[j] == '0')
			j++;
		for (; i < al && j < bl && isdigit((unsigned char)a[i]) &&
		       isdigit((unsigned char)b[j]);
		     i++, j++)
			if (!diff)
				diff = a[i] - b[j];
		if (i < al && isdigit((unsigned char)a[i]))
			return 1;
		if (j < bl && isdigit((unsigned char)b[j]))
			return -1;
		if (diff)
			return diff;
	}
	return 0;
}

/* Length of s without its longest suffix matching
 * (\.[A-Za-z~][A-Za-z0-9~]*)*$, never the whole name. */
static size_t ver_prefix_len(const char *s, size_t len)
{
	size_t cut = len; /* start of the chain of suffix parts, len for none */
	for (size_t i = 1; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool part_start = c == '.' && i + 1 < len &&
				  (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '~');
		if (part_start) {
			if (cut == len)
				cut = i;
			i++; /* the part's first character, checked above */
		} else if (cut != len && !(isalnum(c) || c == '~')) {
			cut = len;
		}
	}
	return cut;
}

int augen_name_cmp(const char *a, const char *b)
{
	size_t al = strlen(a), bl = strlen(b);
	size_t ap = ver_prefix_len(a, al), bp = ver_prefix_len(b, bl);
	int c = ver_cmp(a, ap, b, bp);
	if (c == 0 && !(ap == al && bp == bl))
		c = ver_cmp(a, al, b, bl);
	return c ? c : strcmp(a, b);
}

bool augen_name_selected(const char *name, bool *ret_mangled)
{
	size_t n = strlen(name);
	*ret_mangled = false;
	if (name[0] == '.' || n < 6 || strcmp(name + n - 6, ".rules") != 0)
		return false;
	/* $(ls | grep) is split on blanks and newlines, then globbed */
	if (strpbrk(name, " \t\n*?[")) {
		*ret_mangled = true;
		return false;
	}
	return true;
}

static int cmp_rules_file(const void *a, const void *b)
{
	return augen_name_cmp(((const struct rules_file *)a)->name,
			      ((const struct rules_file *)b)->name);
}

/* ^\s*X with the dialect's \s; X may end in "\s*$" (bare -D). */
static bool awk_starts(const char *s, size_t n, enum awk_dialect d, const char *x, bool whole)
{
	size_t i = 0, xl = strlen(x);
	while (i < n && (d == AWK_S_BLANK ? isspace((unsigned char)s[i]) : s[i] == 's'))
		i++;
	if (n - i < xl || memcmp(s + i, x, xl) != 0)
		return false;
	if (!whole)
		return true;
	for (i += xl; i < n; i++)
		if (d == AWK_S_BLANK ? !isspace((unsigned char)s[i]) : s[i] != 's')
			return false;
	return true;
}

struct augen_line {
	const char *s;
	size_t n;
};

/* One awk record of the concatenation: keep, or remember as -e/-D/-b/-f. */
static void augen_record(struct augen_line *last, struct augen_line l, enum awk_dialect d,
			 bool *keep)
{
	static const struct {
		const char *x;
		bool whole;
	} special[] = {{"-e", false}, {"-D", true}, {"-f", false}, {"-b", false}};
	*keep = false;
	if (l.n == 0 || awk_starts(l.s, l.n, d, "#", false))
		return;
	for (size_t k = 0; k < ARRAY_SIZE(special); k++) {
		if (awk_starts(l.s, l.n, d, special[k].x, special[k].whole)) {
			last[k] = l;
			return;
		}
	}
	*keep = true;
}

static int augen_put(struct strbuf *sb, struct augen_line l)
{
	int r = strbuf_append(sb, l.s ? l.s : "", l.n);
	return r < 0 ? r : strbuf_append(sb, "\n", 1);
}

/* awk's records of the concatenated files: split on '\n' only. */
static int augen_lines(struct rules_file *f, size_t n, struct strbuf *cat)
{
	for (size_t i = 0; i < n; i++) {
		int r = strbuf_append(cat, f[i].buf, f[i].len);
		if (r < 0)
			return r;
	}
	return 0;
}

int augenrules_assemble(struct rules_file *files, size_t n, enum awk_dialect d, char **ret,
			size_t *ret_len)
{
	struct strbuf cat, out;
	struct augen_line last[4] = {{0}}; /* -e, -D, -f, -b */
	int r;
	if (n > 1)
		qsort(files, n, sizeof(*files), cmp_rules_file);
	strbuf_init(&cat, SIZE_MAX / 2);
	strbuf_init(&out, SIZE_MAX / 2);
	r = augen_lines(files, n, &cat);
	if (r == 0)
		r = strbuf_puts(&out, "## This file is automatically generated from "
				      "/etc/audit/rules.d\n");
	/* two passes over the records: the specials first, since they lead */
	for (int pass = 0; r == 0 && pass < 2; pass++) {
		if (pass == 1)
			for (size_t k = 1; r == 0 && k < 4; k++)
				r = augen_put(&out, last[k == 1 ? 1 : k == 2 ? 3 : 2]);
		const char *p = cat.s ? cat.s : "", *end = p + cat.len;
		while (r == 0 && p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			struct augen_line l = {p, (size_t)((nl ? nl : end) - p)};
			bool keep;
			augen_record(last, l, d, &keep);
			if (pass == 1 && keep)
				r = augen_put(&out, l);
			p = nl ? nl + 1 : end;
		}
	}
	if (r == 0)
		r = augen_put(&out, last[0]);
	strbuf_free(&cat);
	if (r < 0) {
		strbuf_free(&out);
		return -ENOMEM;
	}
	*ret_len = out.len;
	*ret = strbuf_steal(&out);
	return 0;
}

int auditd_conf_get(const char *buf, size_t len, const char *key, char **ret)
{
	struct line_iter it;
	struct line l;
	char *found = NULL;
	size_t kl = strlen(key);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = strnlen(l.s, l.len);
		str_trim(&s, &n);
		if (n <= kl || strncmp(s, key, kl) != 0)
			continue;
		const char *v = s + kl;
		size_t vn = n - kl;
		str_trim(&v, &vn);
		if (vn == 0 || *v != '=')
			continue;
		v++;
		vn--;
		str_trim(&v, &vn);
		free(found);
		if (!(found = dup_span(v, vn)))
			return -ENOMEM;
	}
	if (!found)
		return -ENOENT;
	*ret = found;
	return 0;
}
