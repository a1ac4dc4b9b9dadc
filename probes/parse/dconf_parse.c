/* dconf_parse.c - dconf profile, keyfile and locks parsing (see
 * dconf_parse.h). dconf compiles /etc/dconf/db/NAME.d/ keyfiles in file
 * name order, later files overriding earlier ones, and a key listed in
 * NAME.d/locks/ cannot be changed by the user. */
#include <string.h>
#include "probes/parse/dconf_parse.h"
#include "lib/util.h"

static void trimmed(const struct line *l, const char **s, size_t *n)
{
	*s = l->s;
	*n = strnlen(l->s, l->len);
	str_trim(s, n);
}

int dconf_profile_system_dbs(const char *buf, size_t len, char ***ret)
{
	char **v = calloc(1, sizeof(char *));
	size_t n = 0;
	struct line_iter it;
	struct line l;
	if (!v)
		return -ENOMEM;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s;
		size_t k;
		trimmed(&l, &s, &k);
		if (k <= 10 || strncmp(s, "system-db:", 10) != 0)
			continue;
		s += 10;
		k -= 10;
		if (memchr(s, '/', k) || s[0] == '.')
			continue;
		char **nv = realloc(v, (n + 2) * sizeof(char *));
		if (!nv || !(nv[n] = xstrndup(s, k))) {
			strv_free(nv ? nv : v);
			return -ENOMEM;
		}
		v = nv;
		v[++n] = NULL;
	}
	*ret = v;
	return 0;
}

/* Whether the line [s, s+n) is the header of section. */
static bool is_section(const char *s, size_t n, const char *section)
{
	size_t sl = strlen(section);
	return n == sl + 2 && s[0] == '[' && s[n - 1] == ']' && memcmp(s + 1, section, sl) == 0;
}

int dconf_keyfile_get(const char *buf, size_t len, const char *section, const char *key, char **ret)
{
	struct line_iter it;
	struct line l;
	bool in = false;
	size_t kl = strlen(key);
	char *val = NULL;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s;
		size_t n;
		trimmed(&l, &s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		if (s[0] == '[') {
			in = is_section(s, n, section);
			continue;
		}
		const char *eq = memchr(s, '=', n);
		if (!in || !eq)
			continue;
		const char *k = s, *v = eq + 1;
		size_t klen = (size_t)(eq - s), vlen = n - klen - 1;
		str_trim(&k, &klen);
		str_trim(&v, &vlen);
		if (klen != kl || memcmp(k, key, kl) != 0)
			continue;
		free(val);
		if (!(val = xstrndup(v, vlen)))
			return -ENOMEM;
	}
	*ret = val;
	return val != NULL;
}

bool dconf_locks_has(const char *buf, size_t len, const char *keypath)
{
	struct line_iter it;
	struct line l;
	size_t kl = strlen(keypath);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s;
		size_t n;
		trimmed(&l, &s, &n);
		if (n == kl && memcmp(s, keypath, kl) == 0)
			return true;
	}
	return false;
}
