/* hosts.c - the hosts file parser (grammar in hosts.h). Pure: bytes in,
 * fixed-size entries out. Every name it returns ends up in an ssh argv, so
 * what it accepts is narrow: a host or user that could read as an option
 * ("-oProxyCommand=...") or hold a shell or path character is refused. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "fleet/hosts.h"
#include "lib/util.h"

void hosts_parser_init(struct hosts_parser *p)
{
	memset(p, 0, sizeof(*p));
}

__attribute__((format(printf, 3, 5), format(printf, 4, 5))) static int
bad(struct hosts_error *err, unsigned col, const char *ja, const char *en, ...)
{
	va_list ap, aq;
	va_start(ap, en);
	va_copy(aq, ap);
	vsnprintf(err->ja, sizeof(err->ja), ja, ap);
	vsnprintf(err->en, sizeof(err->en), en, aq);
	va_end(aq);
	va_end(ap);
	err->column = col;
	return -EINVAL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/* A host name, ssh_config alias or IPv4 address: [A-Za-z0-9._-], not
 * starting with '-'. An IPv6 address is given in brackets. */
static bool valid_host(const char *s, size_t n)
{
	if (n == 0 || n > HOST_NAME_MAX_LEN || s[0] == '-')
		return false;
	if (s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return false;
		for (size_t i = 1; i + 1 < n; i++)
			if (!name_char(s[i]) && s[i] != ':' && s[i] != '%')
				return false;
		return true;
	}
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]))
			return false;
	return true;
}

static bool valid_user(const char *s, size_t n)
{
	if (n == 0 || n > HOST_USER_MAX_LEN || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]))
			return false;
	return true;
}

static int parse_port(const char *s, size_t n, unsigned *ret)
{
	long v;
	if (n == 0 || n > 5 || parse_long_n(s, n, &v) < 0 || v < 1 || v > 65535)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* "[user@]host[:port]" or "[user@][v6]:port" at s (col is its column). */
static int parse_target(const char *s, size_t n, unsigned col, struct host_entry *h,
			struct hosts_error *err)
{
	const char *at = memchr(s, '@', n);
	if (at) {
		if (!valid_user(s, (size_t)(at - s)))
			return bad(err, col, "ユーザー名が不正です: '%.*s'",
				   "bad user name: '%.*s'", (int)(at - s), s);
		copy(h->user, sizeof(h->user), s, (size_t)(at - s));
		col += (unsigned)(at - s) + 1;
		n -= (size_t)(at - s) + 1;
		s = at + 1;
	}
	const char *hend = s + n, *colon = NULL;
	if (n > 0 && s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		if (rb && rb + 1 < s + n && rb[1] == ':')
			colon = rb + 1;
		hend = rb ? rb + 1 : s + n;
	} else {
		colon = memchr(s, ':', n);
		if (colon)
			hend = colon;
	}
	if (memchr(s, '[', n) && s[0] != '[')
		return bad(err, col, "ホストの範囲指定（web[01:50]）には対応していません",
			   "host ranges (web[01:50]) are not supported: list each host");
	if (!valid_host(s, (size_t)(hend - s)))
		return bad(err, col,
			   "ホスト名が不正です: '%.*s'（英数字と . _ - のみ、先頭は - 以外）",
			   "bad host name: '%.*s' (letters, digits, . _ -, not starting with -)",
			   (int)(hend - s), s);
	if (colon && parse_port(colon + 1, (size_t)(s + n - colon - 1), &h->port) < 0)
		return bad(err, col + (unsigned)(colon + 1 - s), "ポート番号が不正です（1〜65535）",
			   "bad port number (1-65535)");
	if (!colon && hend != s + n)
		return bad(err, col + (unsigned)(hend - s), "ホスト名の後に余分な文字があります",
			   "unexpected characters after the host name");
	copy(h->target, sizeof(h->target), s, (size_t)(hend - s));
	return 0;
}

/* A value, unquoted or in "..." / '...'; *end is set past it. */
static int parse_value(const char *s, const char *lim, const char **v, size_t *vn, const char **end)
{
	if (s < lim && (*s == '"' || *s == '\'')) {
		const char *q = memchr(s + 1, *s, (size_t)(lim - s - 1));
		if (!q)
			return -EINVAL;
		*v = s + 1;
		*vn = (size_t)(q - s - 1);
		*end = q + 1;
		return 0;
	}
	const char *e = s;
	while (e < lim && !is_blank(*e))
		e++;
	*v = s;
	*vn = (size_t)(e - s);
	*end = e;
	return 0;
}

static bool key_is(const char *k, size_t kn, const char *a, const char *b)
{
	return (kn == strlen(a) && memcmp(k, a, kn) == 0) ||
	       (b && kn == strlen(b) && memcmp(k, b, kn) == 0);
}

/* One key=value pair; col is the key's column. */
static int apply_var(struct hosts_parser *p, const char *k, size_t kn, const char *v, size_t vn,
		     unsigned col, struct host_entry *h, struct hosts_error *err)
{
	if (key_is(k, kn, "profile", NULL)) {
		if (!((vn == 6 && memcmp(v, "server", 6) == 0) ||
		      (vn == 8 && memcmp(v, "terminal", 8) == 0)))
			return bad(err, col, "profile は server か terminal です",
				   "profile is server or terminal");
		copy(h->profile, sizeof(h->profile), v, vn);
	} else if (key_is(k, kn, "baseline", NULL)) {
		if (vn == 0 || vn > HOST_PATH_MAX_LEN || memchr(v, '\0', vn))
			return bad(err, col, "baseline のパスが不正です", "bad baseline path");
		copy(h->baseline, sizeof(h->baseline), v, vn);
	} else if (key_is(k, kn, "ansible_host", "ansible_ssh_host")) {
		if (!valid_host(v, vn))
			return bad(err, col, "ansible_host が不正です: '%.*s'",
				   "bad ansible_host: '%.*s'", (int)vn, v);
		copy(h->target, sizeof(h->target), v, vn);
	} else if (key_is(k, kn, "ansible_port", "ansible_ssh_port")) {
		if (parse_port(v, vn, &h->port) < 0)
			return bad(err, col, "ansible_port が不正です（1〜65535）",
				   "bad ansible_port (1-65535)");
	} else if (key_is(k, kn, "ansible_user", "ansible_ssh_user")) {
		if (!valid_user(v, vn))
			return bad(err, col, "ansible_user が不正です", "bad ansible_user");
		copy(h->user, sizeof(h->user), v, vn);
	} else if (!p->ini && !(kn > 8 && memcmp(k, "ansible_", 8) == 0)) {
		return bad(err, col,
			   "不明なキー '%.*s'（profile, baseline, ansible_host, ansible_port, "
			   "ansible_user）",
			   "unknown key '%.*s' (profile, baseline, ansible_host, ansible_port, "
			   "ansible_user)",
			   (int)kn, k);
	}
	return 0;
}

/* The words after the host: key=value pairs, up to a " #" comment. */
static int parse_vars(struct hosts_parser *p, const char *line, const char *s, const char *lim,
		      struct host_entry *h, struct hosts_error *err)
{
	for (;;) {
		while (s < lim && is_blank(*s))
			s++;
		if (s >= lim || *s == '#' || *s == ';')
			return 0;
		unsigned col = (unsigned)(s - line) + 1;
		const char *eq = s;
		while (eq < lim && *eq != '=' && !is_blank(*eq))
			eq++;
		if (eq >= lim || *eq != '=' || eq == s)
			return bad(err, col, "key=value の形ではありません",
				   "expected key=value after the host");
		const char *v, *end;
		size_t vn;
		if (parse_value(eq + 1, lim, &v, &vn, &end) < 0)
			return bad(err, (unsigned)(eq + 1 - line) + 1, "引用符が閉じていません",
				   "unterminated quote");
		int r = apply_var(p, s, (size_t)(eq - s), v, vn, col, h, err);
		if (r < 0)
			return r;
		s = end;
	}
}

/* "[group]", "[group:vars]", "[group:children]". */
static int parse_section(struct hosts_parser *p, const char *line, const char *s, size_t n,
			 struct hosts_error *err)
{
	const char *rb = memchr(s, ']', n);
	if (!rb)
		return bad(err, (unsigned)(s - line) + 1, "']' がありません", "missing ']'");
	const char *name = s + 1, *colon = memchr(name, ':', (size_t)(rb - name));
	const char *nend = colon ? colon : rb;
	if (nend == name)
		return bad(err, (unsigned)(name - line) + 1, "グループ名がありません",
			   "empty group name");
	for (const char *c = name; c < nend; c++)
		if (!name_char(*c))
			return bad(err, (unsigned)(c - line) + 1, "グループ名が不正です",
				   "bad group name");
	p->skipping = false;
	if (colon) {
		size_t kn = (size_t)(rb - colon - 1);
		if (key_is(colon + 1, kn, "vars", "children"))
			p->skipping = true;
		else
			return bad(err, (unsigned)(colon - line) + 2,
				   "':vars' か ':children' のみ使えます",
				   "only ':vars' or ':children' may follow a group name");
	}
	for (const char *c = rb + 1; c < s + n; c++)
		if (!is_blank(*c))
			return bad(err, (unsigned)(c - line) + 1, "']' の後に余分な文字があります",
				   "unexpected characters after ']'");
	p->ini = true;
	return 0;
}

/* "[2001:db8::1]:22" is a host, "[web]" or "[web:vars]" a group header: a
 * group name holds at most one ':', an IPv6 address at least two. */
static bool bracketed_v6(const char *s, size_t n)
{
	const char *rb = memchr(s, ']', n);
	unsigned colons = 0;
	for (const char *c = s; rb && c < rb; c++)
		colons += *c == ':';
	return colons >= 2;
}

/* A line that only YAML would write: "all:", "---", "  hosts:". */
static bool looks_yaml(const char *s, size_t n)
{
	if (n >= 3 && memcmp(s, "---", 3) == 0)
		return true;
	return n > 1 && s[n - 1] == ':' && !memchr(s, ' ', n) && !memchr(s, '=', n);
}

int hosts_parse_line(struct hosts_parser *p, const char *line, size_t len, struct host_entry *ret,
		     struct hosts_error *err)
{
	const char *s = line, *lim = line + len;
	memset(err, 0, sizeof(*err));
	err->line = ++p->lineno;
	if (lim > s && lim[-1] == '\r')
		lim--;
	if (memchr(line, '\0', (size_t)(lim - line)))
		return bad(err, (unsigned)((const char *)memchr(line, '\0', len) - line) + 1,
			   "NUL バイトがあります", "NUL byte in the line");
	while (s < lim && is_blank(*s))
		s++;
	while (lim > s && is_blank(lim[-1]))
		lim--;
	if (s == lim || *s == '#' || *s == ';')
		return 0;
	if (!p->started && looks_yaml(s, (size_t)(lim - s)))
		return bad(err, (unsigned)(s - line) + 1,
			   "YAML のインベントリには対応していません（INI 形式かホスト一覧を指定）",
			   "YAML inventories are not supported: give an INI inventory or a "
			   "plain host list");
	p->started = true;
	if (*s == '[' && !bracketed_v6(s, (size_t)(lim - s)))
		return parse_section(p, line, s, (size_t)(lim - s), err);
	if (p->skipping)
		return 0;
	struct host_entry h;
	memset(&h, 0, sizeof(h));
	const char *w = s;
	while (w < lim && !is_blank(*w))
		w++;
	if ((size_t)(w - s) > HOST_NAME_MAX_LEN)
		return bad(err, (unsigned)(s - line) + 1, "ホスト名が長すぎます",
			   "host name too long");
	int r = parse_target(s, (size_t)(w - s), (unsigned)(s - line) + 1, &h, err);
	if (r == 0)
		r = parse_vars(p, line, w, lim, &h, err);
	if (r < 0)
		return r;
	copy(h.name, sizeof(h.name), s, (size_t)(w - s));
	h.lineno = p->lineno;
	*ret = h;
	return 1;
}

int hosts_parse(const char *buf, size_t len, int (*fn)(void *ud, const struct host_entry *h),
		void *ud, struct hosts_error *err)
{
	struct hosts_parser p;
	struct line_iter it;
	struct line l;
	struct host_entry h;
	hosts_parser_init(&p);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		int r = hosts_parse_line(&p, l.s, l.len, &h, err);
		if (r < 0)
			return r;
		if (r == 1 && (r = fn(ud, &h)) != 0)
			return r;
	}
	return 0;
}

void host_safe_name(const char *name, char *out, size_t n)
{
	size_t i = 0;
	for (; name[i] && i + 1 < n; i++) {
		char c = name[i];
		out[i] = (name_char(c) || c == '@') && !(i == 0 && c == '.') ? c : '_';
	}
	out[i] = '\0';
}
