/* apt_policy.c - apt's pin priorities and candidate choice (see
 * apt_policy.h), written from apt_preferences(5) and apt's policy and
 * version-match code, and checked against `apt list --upgradable` and
 * `apt-cache policy` on fixture roots and on the live host. */
#include <ctype.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "probes/read/apt_policy.h"
#include "probes/parse/debver.h"
#include "lib/util.h"

bool apt_expr_match(const char *pattern, const char *s)
{
	if (!pattern || !s)
		return false;
	size_t n = strlen(pattern);
	if (n >= 2 && pattern[0] == '/' && pattern[n - 1] == '/') {
		_cleanup_free_ char *re = xstrndup(pattern + 1, n - 2);
		regex_t preg;
		if (!re || regcomp(&preg, re, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
			return false;
		bool hit = regexec(&preg, s, 0, NULL, 0) == 0;
		regfree(&preg);
		return hit;
	}
	return fnmatch(pattern, s, FNM_CASEFOLD) == 0;
}

/* apt's MatchVer: equal ignoring case, or a prefix when prefix is set. */
static bool match_ver(const char *have, const char *want, bool prefix)
{
	if (!have)
		return false;
	size_t hl = strlen(have), wl = strlen(want);
	if ((hl != wl && !prefix) || hl < wl)
		return false;
	return strncasecmp(have, want, wl) == 0;
}

/* ---- "Pin: release ..." ---- */

struct rel_match {
	bool all, ver_prefix;
	char *f[8]; /* v o a n l c b, and a bare release name */
};
enum { RM_VER, RM_ORIGIN, RM_ARCHIVE, RM_CODENAME, RM_LABEL, RM_COMP, RM_ARCH, RM_RELEASE };

static void rel_match_free(struct rel_match *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(m->f); i++)
		free(m->f[i]);
}

static void rel_fragment(struct rel_match *m, const char *s, size_t n)
{
	static const char keys[] = "voanlcb";
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n < 3 || s[1] != '=')
		return;
	const char *k = strchr(keys, tolower((unsigned char)s[0]));
	if (!k || !*k)
		return;
	size_t i = (size_t)(k - keys);
	free(m->f[i]);
	m->f[i] = xstrndup(s + 2, n - 2);
}

static void rel_match_parse(const char *data, struct rel_match *m)
{
	*m = (struct rel_match){0};
	if (strcmp(data, "*") == 0) {
		m->all = true;
		return;
	}
	if (!strchr(data, '=')) {
		/* A bare word: a version if it starts with a digit, else a
		 * suite or codename. */
		m->f[isdigit((unsigned char)data[0]) ? RM_VER : RM_RELEASE] = strdup(data);
	} else {
		for (const char *p = data; *p;) {
			size_t n = strcspn(p, ",");
			rel_fragment(m, p, n);
			p += n + (p[n] == ',');
		}
	}
	char *v = m->f[RM_VER];
	if (v && *v && v[strlen(v) - 1] == '*') {
		v[strlen(v) - 1] = '\0';
		m->ver_prefix = true;
	}
}

static bool opt_match(const char *pattern, const char *s)
{
	return !pattern || apt_expr_match(pattern, s);
}

/* The release-level part of a release pin against an index's release. */
static bool rel_fields_match(const struct rel_match *m, const struct apt_release *r)
{
	if (m->f[RM_VER] && !match_ver(r->version, m->f[RM_VER], m->ver_prefix) &&
	    !apt_expr_match(m->f[RM_VER], r->version))
		return false;
	if (!opt_match(m->f[RM_ORIGIN], r->origin) || !opt_match(m->f[RM_ARCHIVE], r->suite) ||
	    !opt_match(m->f[RM_CODENAME], r->codename) || !opt_match(m->f[RM_LABEL], r->label))
		return false;
	if (m->f[RM_RELEASE] && !apt_expr_match(m->f[RM_RELEASE], r->suite) &&
	    !apt_expr_match(m->f[RM_RELEASE], r->codename))
		return false;
	return true;
}

static bool rel_any_field(const struct rel_match *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(m->f); i++)
		if (m->f[i])
			return true;
	return false;
}

static bool rel_index_match(const struct rel_match *m, const struct apt_index *ix)
{
	if (ix->is_status || !ix->rel) {
		/* Only archive "now" (kept as the component) can name it. */
		const char *now = ix->is_status ? "now" : "";
		if (m->f[RM_ARCHIVE] && !apt_expr_match(m->f[RM_ARCHIVE], now))
			return false;
		if (m->f[RM_RELEASE] && !apt_expr_match(m->f[RM_RELEASE], now))
			return false;
		if (m->f[RM_ORIGIN] || m->f[RM_LABEL] || m->f[RM_VER] || m->f[RM_CODENAME])
			return false;
	} else if (!m->all && (!rel_any_field(m) || !rel_fields_match(m, ix->rel))) {
		return false;
	}
	if (m->all)
		return true;
	if (m->f[RM_COMP] && !apt_expr_match(m->f[RM_COMP], ix->component))
		return false;
	return !m->f[RM_ARCH] || apt_expr_match(m->f[RM_ARCH], ix->arch);
}

/* Whether a release or origin pin's data matches an index. */
static bool pin_index_match(enum apt_pin_type type, const char *data, const struct apt_index *ix)
{
	if (type == APT_PIN_ORIGIN) {
		if (ix->is_status || !ix->rel)
			return false;
		size_t n = strlen(data);
		_cleanup_free_ char *site = n >= 2 && data[0] == '"' && data[n - 1] == '"'
						? xstrndup(data + 1, n - 2)
						: strdup(data);
		return site && apt_expr_match(site, ix->site ? ix->site : "");
	}
	if (type != APT_PIN_RELEASE)
		return false;
	struct rel_match m;
	rel_match_parse(data, &m);
	bool hit = rel_index_match(&m, ix);
	rel_match_free(&m);
	return hit;
}

/* ---- index priorities ---- */

static bool default_release_known(const struct apt_index *ix, size_t n, const char *rel)
{
	if (strlen(rel) > 2 && rel[1] == '=')
		return true;
	for (size_t i = 0; i < n; i++) {
		const struct apt_release *r = ix[i].rel;
		if (ix[i].is_status) {
			if (apt_expr_match(rel, "now"))
				return true;
			continue;
		}
		if (r && (apt_expr_match(rel, r->suite) || apt_expr_match(rel, r->codename) ||
			  apt_expr_match(rel, r->version)))
			return true;
	}
	return false;
}

static int base_priority(const struct apt_index *ix)
{
	if (ix->is_status)
		return 100;
	if (ix->rel && ix->rel->but_automatic_upgrades)
		return 100;
	if (ix->rel && ix->rel->not_automatic)
		return 1;
	return 500;
}

void apt_index_priorities(struct apt_index *ix, size_t n, const struct apt_pins *pins,
			  const char *default_release, bool *ret_default_ok)
{
	bool def_ok =
	    default_release && *default_release && default_release_known(ix, n, default_release);
	for (size_t i = 0; i < n; i++) {
		ix[i].priority = base_priority(&ix[i]);
		/* The first generic pin that matches fixes the priority. */
		if (def_ok && pin_index_match(APT_PIN_RELEASE, default_release, &ix[i])) {
			ix[i].priority = 990;
			continue;
		}
		for (size_t k = 0; pins && k < pins->n; k++) {
			const struct apt_pin *p = &pins->v[k];
			if (p->package || !pin_index_match(p->type, p->data, &ix[i]))
				continue;
			ix[i].priority = p->priority;
			break;
		}
	}
	if (ret_default_ok)
		*ret_default_ok = def_ok || !default_release || !*default_release;
}

/* ---- package pins ---- */

/* Whether a pin's Package entry names pkg ("name", "name:arch", a glob or
 * a /regex/; without an architecture it means the native one). */
static bool pin_names(const char *spec, const struct apt_pkg_id *pkg)
{
	_cleanup_free_ char *name = strdup(spec);
	if (!name)
		return false;
	const char *arch = NULL;
	char *colon = strrchr(name, ':');
	if (colon && !(name[0] == '/' && colon > name && colon[-1] == '/' && colon[1] == '\0')) {
		*colon = '\0';
		arch = colon + 1;
	}
	_cleanup_free_ char *pname = xstrndup(pkg->name, pkg->name_len);
	if (!pname)
		return false;
	size_t n = strlen(name);
	bool pattern = (n >= 2 && name[0] == '/' && name[n - 1] == '/') || strpbrk(name, "*[?");
	if (pattern ? (strcmp(name, pname) == 0 || !apt_expr_match(name, pname))
		    : strcmp(name, pname) != 0)
		return false;
	if (!arch || !*arch)
		arch = pkg->native;
	return strcmp(arch, "any") == 0 || strcmp(arch, pkg->arch) == 0;
}

static bool pin_version_match(const struct apt_pin *p, const struct apt_version *v,
			      const struct apt_index *ix)
{
	if (p->type == APT_PIN_VERSION) {
		_cleanup_free_ char *ver = xstrndup(v->ver, v->len);
		_cleanup_free_ char *want = strdup(p->data);
		if (!ver || !want)
			return false;
		size_t wl = strlen(want);
		bool prefix = wl && want[wl - 1] == '*';
		if (prefix)
			want[wl - 1] = '\0';
		return match_ver(ver, want, prefix) || apt_expr_match(p->data, ver);
	}
	for (size_t i = 0; i < v->nfiles; i++)
		if (pin_index_match(p->type, p->data, &ix[v->files[i]]))
			return true;
	return false;
}

int apt_version_priority(const struct apt_pins *pins, const struct apt_pkg_id *pkg,
			 const struct apt_version *v, bool installed, const struct apt_index *ix)
{
	for (size_t k = 0; pins && k < pins->n; k++) {
		const struct apt_pin *p = &pins->v[k];
		if (p->package && pin_names(p->package, pkg) && pin_version_match(p, v, ix))
			return p->priority;
	}
	bool any = false;
	int best = 0;
	for (size_t i = 0; i < v->nfiles; i++) {
		const struct apt_index *f = &ix[v->files[i]];
		int pr = f->is_status && !installed ? -1 : f->priority;
		if (!any || pr > best)
			best = pr;
		any = true;
	}
	return any ? best : 0;
}

long apt_candidate(const struct apt_version *vers, const int *prio, size_t n, long installed)
{
	long cand = -1;
	int cand_prio = -1;
	for (size_t i = 0; i < n; i++) {
		if (prio[i] == 0 || prio[i] <= cand_prio)
			continue;
		if (installed >= 0 && prio[i] < 1000 &&
		    debver_cmp(vers[i].ver, vers[i].len, vers[installed].ver, vers[installed].len) <
			0)
			continue;
		cand_prio = prio[i];
		cand = (long)i;
	}
	return cand;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool apt_index_is_security(const struct apt_index *ix)
{
	const struct apt_release *r = ix->rel;
	if (ix->is_status || !r)
		return false;
	return ends_with(r->suite, "-security") || ends_with(r->codename, "-security") ||
	       (r->label && strcmp(r->label, "Debian-Security") == 0);
}
