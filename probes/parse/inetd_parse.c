/* inetd_parse.c - inetd.conf, /etc/services and xinetd.conf (contracts in
 * inetd_parse.h). No I/O here. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "probes/parse/inetd_parse.h"
#include "lib/limits.h"
#include "lib/util.h"

/* Split s in place on blanks into at most max fields. */
static size_t split_fields(char *s, char **f, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(s, " \t", &save); t && n < max; t = strtok_r(NULL, " \t", &save))
		f[n++] = t;
	return n;
}

/* The program tcpd runs is its argv[0]: the first argument after it. */
static const char *served_program(char **f, size_t n)
{
	const char *server = f[5];
	size_t sl = strlen(server);
	if (n > 6 && sl >= 5 && strcmp(server + sl - 5, "/tcpd") == 0 && f[6][0] == '/')
		return f[6];
	return server;
}

static int inetd_line(char *s, bool enabled, unsigned line, inetd_entry_fn fn, void *ud,
		      unsigned *bad, unsigned *first_bad)
{
	char *f[16];
	size_t n = split_fields(s, f, ARRAY_SIZE(f));
	if (n < 6) {
		if ((*bad)++ == 0)
			*first_bad = line;
		return 0;
	}
	struct inetd_entry e = {.service = f[0],
				.socket_type = f[1],
				.protocol = f[2],
				.wait = f[3],
				.user = f[4],
				.server = f[5],
				.enabled = enabled,
				.line = line};
	/* [address:]service; an IPv6 address may hold ':' itself */
	char *colon = strrchr(f[0], ':');
	if (colon) {
		*colon = '\0';
		e.address = f[0];
		e.service = colon + 1;
	}
	e.internal = strcmp(f[5], "internal") == 0;
	e.program = served_program(f, n);
	return fn(ud, &e);
}

int inetd_conf_parse(const char *buf, size_t len, inetd_entry_fn fn, void *ud, unsigned *ret_bad,
		     unsigned *ret_first_bad)
{
	static const char off[] = "#<off>#";
	struct line_iter it;
	struct line l;
	char tmp[LIMIT_LINE];
	*ret_bad = 0;
	*ret_first_bad = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = strnlen(l.s, l.len);
		bool enabled = true;
		str_trim(&s, &n);
		if (n >= sizeof(off) - 1 && memcmp(s, off, sizeof(off) - 1) == 0) {
			enabled = false;
			s += sizeof(off) - 1;
			n -= sizeof(off) - 1;
			str_trim(&s, &n);
		} else if (n == 0 || s[0] == '#') {
			continue;
		}
		if (n == 0 || n >= sizeof(tmp))
			continue;
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		int r = inetd_line(tmp, enabled, l.lineno, fn, ud, ret_bad, ret_first_bad);
		if (r < 0)
			return r;
	}
	return 0;
}

int services_port(const char *buf, size_t len, const char *name, const char *proto)
{
	long v;
	char base[8];
	snprintf(base, sizeof(base), "%.3s", proto);
	if (parse_long(name, &v) == 0)
		return v > 0 && v < 65536 ? (int)v : -1;
	struct line_iter it;
	struct line l;
	char tmp[1024];
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		size_t n = strnlen(l.s, l.len);
		const char *hash = memchr(l.s, '#', n);
		if (hash)
			n = (size_t)(hash - l.s);
		if (n == 0 || n >= sizeof(tmp))
			continue;
		memcpy(tmp, l.s, n);
		tmp[n] = '\0';
		char *f[32];
		size_t nf = split_fields(tmp, f, ARRAY_SIZE(f));
		char *slash = nf >= 2 ? strchr(f[1], '/') : NULL;
		if (!slash || strcmp(slash + 1, base) != 0)
			continue;
		*slash = '\0';
		bool match = strcmp(f[0], name) == 0;
		for (size_t i = 2; !match && i < nf; i++)
			match = strcmp(f[i], name) == 0; /* aliases */
		if (match && parse_long(f[1], &v) == 0 && v > 0 && v < 65536)
			return (int)v;
	}
	return -1;
}

/* ---- xinetd ---- */

static void xs_free(struct xinetd_service *s)
{
	free(s->name);
	free(s->id);
	free(s->protocol);
	free(s->socket_type);
	free(s->port);
	free(s->server);
	free(s->bind);
	free(s->type);
	free(s->file);
}

void xinetd_conf_free(struct xinetd_conf *c)
{
	for (size_t i = 0; i < c->n; i++)
		xs_free(&c->v[i]);
	free(c->v);
	strv_clear(&c->enabled, &c->n_enabled);
	strv_clear(&c->disabled, &c->n_disabled);
	memset(c, 0, sizeof(*c));
}

static bool in_list(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

bool xinetd_service_enabled(const struct xinetd_conf *c, const struct xinetd_service *s)
{
	const char *id = s->id ? s->id : s->name;
	if (s->disable || in_list(c->disabled, c->n_disabled, id))
		return false;
	return !c->has_enabled || in_list(c->enabled, c->n_enabled, id);
}

bool xinetd_includedir_name(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && !strchr(name, '.') && name[n - 1] != '~';
}

/* defaults' enabled/disabled lists: "=" replaces, "+=" adds, "-=" removes. */
static int list_op(char ***v, size_t *n, const char *op, char **vals, size_t nv)
{
	if (strcmp(op, "=") == 0)
		strv_clear(v, n);
	for (size_t i = 0; i < nv; i++) {
		if (strcmp(op, "-=") == 0) {
			for (size_t k = 0; k < *n; k++) {
				if (strcmp((*v)[k], vals[i]) == 0) {
					free((*v)[k]);
					(*v)[k] = (*v)[--*n];
					break;
				}
			}
			continue;
		}
		if (*n >= LIMIT_UNITS)
			return 0;
		char **nv2 = realloc(*v, (*n + 1) * sizeof(**v));
		if (!nv2)
			return -ENOMEM;
		*v = nv2;
		if (!((*v)[*n] = strdup(vals[i])))
			return -ENOMEM;
		(*n)++;
	}
	return 0;
}

static int set_attr(char **dst, char **vals, size_t nv)
{
	free(*dst);
	*dst = nv ? strdup(vals[0]) : NULL;
	return nv && !*dst ? -ENOMEM : 0;
}

static int service_attr(struct xinetd_service *s, const char *k, char **vals, size_t nv)
{
	static const struct {
		const char *key;
		size_t off;
	} attrs[] = {
	    {"id", offsetof(struct xinetd_service, id)},
	    {"protocol", offsetof(struct xinetd_service, protocol)},
	    {"socket_type", offsetof(struct xinetd_service, socket_type)},
	    {"port", offsetof(struct xinetd_service, port)},
	    {"server", offsetof(struct xinetd_service, server)},
	    {"bind", offsetof(struct xinetd_service, bind)},
	    {"interface", offsetof(struct xinetd_service, bind)},
	    {"type", offsetof(struct xinetd_service, type)},
	};
	if (strcmp(k, "disable") == 0) {
		s->disable = nv > 0 && strcmp(vals[0], "yes") == 0;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(attrs); i++)
		if (strcmp(k, attrs[i].key) == 0)
			return set_attr((char **)((char *)s + attrs[i].off), vals, nv);
	return 0;
}

enum xstate { X_TOP, X_WANT_BRACE, X_IN };

struct xparse {
	struct xinetd_conf *c;
	struct xinetd_service *cur; /* NULL inside defaults */
	enum xstate st;
	bool in_defaults;
};

static void xbad(struct xinetd_conf *c, unsigned line)
{
	if (c->bad_lines++ == 0)
		c->first_bad_line = line;
}

static int new_service(struct xparse *x, const char *name, const char *file, unsigned line)
{
	struct xinetd_conf *c = x->c;
	if (c->n >= LIMIT_UNITS)
		return -E2BIG;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		struct xinetd_service *nv = realloc(c->v, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		c->v = nv;
		c->cap = nc;
	}
	struct xinetd_service *s = &c->v[c->n];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->file = strdup(file);
	s->line = line;
	if (!s->name || !s->file) {
		xs_free(s);
		return -ENOMEM;
	}
	c->n++;
	x->cur = s;
	return 0;
}

/* A line inside { }: ATTR OP VALUE... */
static int attr_line(struct xparse *x, char **f, size_t n, unsigned line)
{
	if (n < 2 || (strcmp(f[1], "=") && strcmp(f[1], "+=") && strcmp(f[1], "-="))) {
		xbad(x->c, line);
		return 0;
	}
	if (x->in_defaults) {
		if (strcmp(f[0], "enabled") == 0) {
			x->c->has_enabled = true;
			return list_op(&x->c->enabled, &x->c->n_enabled, f[1], f + 2, n - 2);
		}
		if (strcmp(f[0], "disabled") == 0)
			return list_op(&x->c->disabled, &x->c->n_disabled, f[1], f + 2, n - 2);
		return 0;
	}
	return service_attr(x->cur, f[0], f + 2, n - 2);
}

static int top_line(struct xparse *x, char **f, size_t n, const char *file, unsigned line,
		    xinetd_include_fn include, void *ud)
{
	if (strcmp(f[0], "defaults") == 0 && n <= 2) {
		x->in_defaults = true;
		x->cur = NULL;
		x->st = n == 2 && strcmp(f[1], "{") == 0 ? X_IN : X_WANT_BRACE;
		return 0;
	}
	if (strcmp(f[0], "service") == 0 && n >= 2) {
		x->in_defaults = false;
		x->st = n == 3 && strcmp(f[2], "{") == 0 ? X_IN : X_WANT_BRACE;
		return new_service(x, f[1], file, line);
	}
	if ((strcmp(f[0], "includedir") == 0 || strcmp(f[0], "includefile") == 0) && n == 2) {
		if (include)
			include(ud, f[0], f[1], line);
		return 0;
	}
	xbad(x->c, line);
	return 0;
}

int xinetd_conf_parse(const char *buf, size_t len, const char *file, struct xinetd_conf *c,
		      xinetd_include_fn include, void *ud)
{
	struct xparse x = {.c = c, .st = X_TOP};
	struct line_iter it;
	struct line l;
	char tmp[LIMIT_LINE];
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		size_t n = strnlen(l.s, l.len);
		const char *hash = memchr(l.s, '#', n);
		char *f[256];
		int r = 0;
		if (hash)
			n = (size_t)(hash - l.s);
		if (n >= sizeof(tmp))
			n = 0;
		memcpy(tmp, l.s, n);
		tmp[n] = '\0';
		size_t nf = split_fields(tmp, f, ARRAY_SIZE(f));
		if (nf == 0)
			continue;
		if (x.st == X_WANT_BRACE) {
			x.st = strcmp(f[0], "{") == 0 ? X_IN : X_TOP;
			if (x.st == X_TOP) {
				xbad(c, l.lineno);
				if (x.cur)
					x.cur->disable = true; /* xinetd drops a broken entry */
			}
			continue;
		}
		if (x.st == X_IN && strcmp(f[0], "}") == 0) {
			x.st = X_TOP;
			x.cur = NULL;
			x.in_defaults = false;
			continue;
		}
		r = x.st == X_IN ? attr_line(&x, f, nf, l.lineno)
				 : top_line(&x, f, nf, file, l.lineno, include, ud);
		if (r == -E2BIG)
			break;
		if (r < 0)
			return r;
	}
	if (x.st != X_TOP && x.cur)
		x.cur->disable = true; /* no closing brace: xinetd drops it */
	return 0;
}
