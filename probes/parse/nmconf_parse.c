/* nmconf_parse.c - NetworkManager.conf merged as NetworkManager merges it
 * (see the header). */
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "lib/limits.h"
#include "lib/util.h"
#include "probes/parse/nmconf_parse.h"

static void group_free(struct nmconf_group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->kv[i].key);
		free(g->kv[i].value);
	}
	free(g->kv);
	free(g->name);
}

void nmconf_free(struct nmconf *c)
{
	for (size_t i = 0; c && i < c->n; i++)
		group_free(&c->g[i]);
	if (c)
		free(c->g);
	if (c)
		*c = (struct nmconf){0};
}

static struct nmconf_group *find_group(const struct nmconf *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->g[i].name, name) == 0)
			return &c->g[i];
	return NULL;
}

static struct nmconf_group *add_group(struct nmconf *c, const char *name, size_t n)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		void *p = realloc(c->g, cap * sizeof(*c->g));
		if (!p)
			return NULL;
		c->g = p;
		c->cap = cap;
	}
	struct nmconf_group *g = &c->g[c->n];
	*g = (struct nmconf_group){.name = xstrndup(name, n)};
	if (!g->name)
		return NULL;
	c->n++;
	return g;
}

static struct nmconf_kv *find_kv(const struct nmconf_group *g, const char *key)
{
	for (size_t i = 0; g && i < g->n; i++)
		if (strcmp(g->kv[i].key, key) == 0)
			return &g->kv[i];
	return NULL;
}

/* Set key=value (a copy; value NULL removes the key). 0 or -ENOMEM. */
static int set_kv(struct nmconf_group *g, const char *key, const char *value)
{
	struct nmconf_kv *kv = find_kv(g, key);
	if (!value) {
		if (kv) {
			free(kv->key);
			free(kv->value);
			*kv = g->kv[--g->n];
		}
		return 0;
	}
	char *v = strdup(value);
	if (!v)
		return -ENOMEM;
	if (kv) {
		free(kv->value);
		kv->value = v;
		return 0;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 8;
		void *p = realloc(g->kv, cap * sizeof(*g->kv));
		if (!p) {
			free(v);
			return -ENOMEM;
		}
		g->kv = p;
		g->cap = cap;
	}
	g->kv[g->n] = (struct nmconf_kv){strdup(key), v};
	return g->kv[g->n++].key ? 0 : -ENOMEM;
}

/* ---- one file as GKeyFile reads it ------------------------------------ */

/* A GKeyFile line: 0 (comment or blank), 1 group (*s, *n: its name), 2
 * key=value (*s,*n key; *v,*vn value), -EINVAL. */
static int gkf_line(const char *line, size_t len, const char **s, size_t *n, const char **v,
		    size_t *vn)
{
	const char *p = line;
	size_t k = len;
	while (k && (*p == ' ' || *p == '\t'))
		p++, k--;
	if (k == 0 || *p == '#')
		return 0;
	while (k && (p[k - 1] == ' ' || p[k - 1] == '\t' || p[k - 1] == '\r'))
		k--;
	if (*p == '[') {
		if (p[k - 1] != ']' || k < 3 || memchr(p + 1, ']', k - 2) ||
		    memchr(p + 1, '[', k - 2))
			return -EINVAL;
		*s = p + 1;
		*n = k - 2;
		return 1;
	}
	const char *eq = memchr(p, '=', k);
	if (!eq || eq == p)
		return -EINVAL;
	*s = p;
	*n = (size_t)(eq - p);
	while (*n && (p[*n - 1] == ' ' || p[*n - 1] == '\t'))
		(*n)--;
	*v = eq + 1;
	*vn = k - (size_t)(eq - p) - 1;
	while (*vn && (**v == ' ' || **v == '\t'))
		(*v)++, (*vn)--;
	return *n ? 2 : -EINVAL;
}

/* Read buf into f (groups in file order, a repeated group or key merged
 * as GKeyFile does). 0, -EINVAL (*ret_line), -ENOMEM. */
static int read_file(struct nmconf *f, const char *buf, size_t len, unsigned *ret_line)
{
	struct line_iter it;
	struct line ln;
	struct nmconf_group *cur = NULL;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		const char *s = NULL, *v = NULL;
		size_t n = 0, vn = 0;
		int t = strnlen(ln.s, ln.len) < ln.len ? -EINVAL
						       : gkf_line(ln.s, ln.len, &s, &n, &v, &vn);
		if (t < 0 || (t == 2 && !cur)) {
			*ret_line = ln.lineno;
			return -EINVAL;
		}
		if (t == 1) {
			_cleanup_free_ char *name = xstrndup(s, n);
			cur = name ? find_group(f, name) : NULL;
			if (!cur && !(cur = add_group(f, s, n)))
				return -ENOMEM;
		} else if (t == 2) {
			_cleanup_free_ char *k = xstrndup(s, n), *val = xstrndup(v, vn);
			if (!k || !val || set_kv(cur, k, val) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* ---- merging ------------------------------------------------------------ */

static bool is_connection(const char *group)
{
	return str_startswith(group, "connection");
}

static bool is_string_list(const char *group, const char *key)
{
	return (!strcmp(group, "main") && (!strcmp(key, "plugins") || !strcmp(key, "debug"))) ||
	       (!strcmp(group, "logging") && !strcmp(key, "domains"));
}

static bool is_device_spec(const char *group, const char *key)
{
	return (!strcmp(group, "main") &&
		(!strcmp(key, "no-auto-default") || !strcmp(key, "ignore-carrier") ||
		 !strcmp(key, "assume-ipv6ll-only"))) ||
	       (!strcmp(group, "keyfile") && !strcmp(key, "unmanaged-devices")) ||
	       (is_connection(group) && !strcmp(key, "match-device"));
}

/* Split a list: string lists on ',', device specs on ',' and ';' with
 * blanks trimmed. Empty items dropped. */
static int split_list(const char *v, bool spec, struct strv *out)
{
	const char *seps = spec ? ",;" : ",";
	for (const char *p = v; p && *p;) {
		size_t k = strcspn(p, seps);
		const char *s = p;
		size_t n = k;
		if (spec)
			str_trim(&s, &n);
		if (n && strv_add(out, s, n) < 0)
			return -ENOMEM;
		p += k + (p[k] != '\0');
	}
	return 0;
}

static char *join(char *const *v, size_t n)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_CONFIG_FILE);
	for (size_t i = 0; i < n; i++) {
		strbuf_puts(&sb, i ? "," : "");
		strbuf_puts(&sb, v[i]);
	}
	return strbuf_steal(&sb);
}

static bool in_list(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

/* key+= / key-= on a list-valued key of g, from the new file's value. */
static int merge_list(struct nmconf_group *g, const char *base, char op, const char *val)
{
	bool spec = is_device_spec(g->name, base);
	struct strv old = {0}, add = {0}, res = {0};
	struct nmconf_kv *kv = find_kv(g, base);
	int r = split_list(kv ? kv->value : NULL, spec, &old);
	if (r == 0)
		r = split_list(val, spec, &add);
	for (size_t i = 0; r == 0 && i < old.n; i++)
		if (op != '-' || !in_list(&add, old.v[i]))
			r = strv_add(&res, old.v[i], strlen(old.v[i]));
	for (size_t i = 0; r == 0 && op == '+' && i < add.n; i++)
		if (!in_list(&old, add.v[i]))
			r = strv_add(&res, add.v[i], strlen(add.v[i]));
	char *joined = NULL;
	if (r == 0 && res.n)
		joined = join(res.v, res.n);
	if (r == 0 && res.n && !joined)
		r = -ENOMEM;
	if (r == 0)
		r = set_kv(g, base, joined ? joined : ""); /* emptied: "" (1.42 prints key=) */
	free(joined);
	strv_reset(&old);
	strv_reset(&add);
	strv_reset(&res);
	return r;
}

static int merge_key(struct nmconf_group *g, const char *key, const char *val)
{
	size_t k = strlen(key);
	char last = key[k - 1];
	if (k > 1 && (last == '+' || last == '-')) {
		_cleanup_free_ char *base = xstrndup(key, k - 1);
		if (!base)
			return -ENOMEM;
		if (!is_string_list(g->name, base) && !is_device_spec(g->name, base))
			return 0; /* NetworkManager drops the key */
		return merge_list(g, base, last, val);
	}
	return set_kv(g, key, val);
}

static int merge_group(struct nmconf *c, const struct nmconf_group *fg)
{
	if (str_startswith(fg->name, ".intern"))
		return 0; /* set only by NetworkManager itself */
	struct nmconf_group *g = find_group(c, fg->name);
	if (!g && !(g = add_group(c, fg->name, strlen(fg->name))))
		return -ENOMEM;
	for (size_t i = 0; i < fg->n; i++) {
		int r = merge_key(g, fg->kv[i].key, fg->kv[i].value);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The file's groups in the order NetworkManager merges them: other groups
 * as written, then [connection], then the other connection groups
 * bottom-up. */
static size_t merge_order(const struct nmconf *f, const struct nmconf_group **v)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (!is_connection(f->g[i].name))
			v[n++] = &f->g[i];
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->g[i].name, "connection"))
			v[n++] = &f->g[i];
	for (size_t i = f->n; i-- > 0;)
		if (is_connection(f->g[i].name) && strcmp(f->g[i].name, "connection"))
			v[n++] = &f->g[i];
	return n;
}

int nmconf_merge(struct nmconf *c, const char *buf, size_t len, unsigned *ret_line)
{
	struct nmconf f = {0};
	int r = read_file(&f, buf, len, ret_line);
	const struct nmconf_group **order = r == 0 && f.n ? calloc(f.n, sizeof(*order)) : NULL;
	if (r == 0 && f.n && !order)
		r = -ENOMEM;
	size_t n = r == 0 && f.n ? merge_order(&f, order) : 0;
	for (size_t i = 0; r == 0 && i < n; i++)
		r = merge_group(c, order[i]);
	free(order);
	nmconf_free(&f);
	return r;
}

const char *nmconf_get(const struct nmconf *c, const char *group, const char *key)
{
	const struct nmconf_kv *kv = find_kv(find_group(c, group), key);
	return kv ? kv->value : NULL;
}

/* ---- device specs and connection defaults ------------------------------ */

static bool looks_like_mac(const char *s)
{
	size_t n = strlen(s);
	return n >= 11 && strspn(s, "0123456789abcdefABCDEF:-") == n && strchr(s, ':');
}

/* One positive spec against a Wi-Fi device: 1, 0, -1 (unknown). */
static int match_one(const char *spec, const char *ifname)
{
	if (!strcmp(spec, "*"))
		return 1;
	if (str_startswith(spec, "type:"))
		return !strcmp(spec + 5, "wifi");
	if (str_startswith(spec, "interface-name:")) {
		const char *pat = spec + 15;
		if (!ifname)
			return -1;
		if (*pat == '=')
			return !strcmp(pat + 1, ifname);
		pat += *pat == '~';
		return fnmatch(pat, ifname, 0) == 0;
	}
	if (strchr(spec, ':') && !looks_like_mac(spec))
		return -1; /* mac:, driver:, s390-subchannels:, dhcp-plugin: */
	if (looks_like_mac(spec))
		return -1;
	return ifname ? !strcmp(spec, ifname) : -1;
}

static int tri_or(int a, int b)
{
	return a == 1 || b == 1 ? 1 : a == -1 || b == -1 ? -1 : 0;
}

int nmconf_match_device(const char *spec, const char *ifname)
{
	struct strv v = {0};
	int pos = 0, neg = 0;
	bool has_pos = false;
	if (split_list(spec, true, &v) < 0)
		return -1;
	for (size_t i = 0; i < v.n; i++) {
		if (str_startswith(v.v[i], "except:")) {
			neg = tri_or(neg, match_one(v.v[i] + 7, ifname));
		} else {
			has_pos = true;
			pos = tri_or(pos, match_one(v.v[i], ifname));
		}
	}
	size_t n = v.n;
	strv_reset(&v);
	if (n == 0)
		return 0; /* an empty list matches no device */
	int base = has_pos ? pos : 1;
	if (neg == 1)
		return 0;
	return neg == -1 ? (base == 0 ? 0 : -1) : base;
}

size_t nmconf_connection_order(const struct nmconf *c, const struct nmconf_group **v, size_t max)
{
	size_t n = 0;
	for (size_t i = c->n; i-- > 0 && n < max;)
		if (is_connection(c->g[i].name))
			v[n++] = &c->g[i];
	return n;
}

static bool truthy(const char *v)
{
	return v && (!strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
		     !strcasecmp(v, "on"));
}

int nmconf_connection_default(const struct nmconf *c, const char *prop, const char *ifname,
			      const char **ret, const char **ret_group)
{
	for (size_t i = c->n; i-- > 0;) {
		const struct nmconf_group *g = &c->g[i];
		if (!is_connection(g->name))
			continue;
		const struct nmconf_kv *md = find_kv(g, "match-device");
		int m = md ? nmconf_match_device(md->value, ifname) : 1;
		if (m < 0)
			return -1;
		if (m == 0)
			continue;
		const struct nmconf_kv *kv = find_kv(g, prop);
		if (kv) {
			*ret = kv->value;
			*ret_group = g->name;
			return 1;
		}
		const struct nmconf_kv *stop = find_kv(g, "stop-match");
		if (stop && truthy(stop->value))
			return 0;
	}
	return 0;
}
