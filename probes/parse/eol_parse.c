/* eol_parse.c - OS identity fallbacks and the end-of-life table lookup.
 * See eol_parse.h. The table is data the scanner ships, but it is still
 * checked field by field: a malformed entry is an error, never a date.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "probes/parse/eol_parse.h"
#include "lib/util.h"

/* Length of the first line of [buf, buf+len) (without CR/LF); a NUL is
 * part of the line, so garbage after one is not hidden. */
static size_t first_line(const char *buf, size_t len)
{
	size_t n = 0;
	while (n < len && buf[n] != '\n' && buf[n] != '\r')
		n++;
	return n;
}

static void set_ident(struct os_ident *ret, const char *id, const char *v, size_t vlen)
{
	snprintf(ret->id, sizeof(ret->id), "%s", id);
	snprintf(ret->version, sizeof(ret->version), "%.*s", (int)vlen, v);
}

/* The version after " release ": digits and dots. */
static int release_version(const char *s, size_t n, const char **ret, size_t *ret_len)
{
	static const char word[] = " release ";
	const char *p = memmem(s, n, word, sizeof(word) - 1);
	if (!p)
		return -ENODATA;
	p += sizeof(word) - 1;
	size_t k = 0, rest = n - (size_t)(p - s);
	while (k < rest && ((p[k] >= '0' && p[k] <= '9') || p[k] == '.'))
		k++;
	if (k == 0 || p[0] == '.' || k >= 32)
		return -ENODATA;
	*ret = p;
	*ret_len = k;
	return 0;
}

int redhat_release_parse(const char *buf, size_t len, struct os_ident *ret)
{
	static const struct {
		const char *prefix, *id;
	} products[] = {
	    {"Red Hat Enterprise Linux", "rhel"}, {"CentOS Stream", "centos-stream"},
	    {"CentOS Linux", "centos"},		  {"CentOS release", "centos"},
	    {"AlmaLinux", "almalinux"},		  {"Rocky Linux", "rocky"},
	};
	size_t n = first_line(buf, len);
	const char *v;
	size_t vlen;
	*ret = (struct os_ident){0};
	if (release_version(buf, n, &v, &vlen) < 0)
		return -ENODATA;
	for (size_t i = 0; i < ARRAY_SIZE(products); i++) {
		size_t pl = strlen(products[i].prefix);
		if (n >= pl && memcmp(buf, products[i].prefix, pl) == 0) {
			set_ident(ret, products[i].id, v, vlen);
			return 0;
		}
	}
	return -ENODATA;
}

int debian_version_parse(const char *buf, size_t len, struct os_ident *ret)
{
	const char *s = buf;
	size_t n = first_line(buf, len);
	str_trim(&s, &n);
	*ret = (struct os_ident){0};
	if (n == 0 || n >= 32 || s[0] < '0' || s[0] > '9')
		return -ENODATA;
	for (size_t i = 0; i < n; i++)
		if ((s[i] < '0' || s[i] > '9') && s[i] != '.')
			return -ENODATA;
	set_ident(ret, "debian", s, n);
	return 0;
}

const char *eol_distribution_key(const char *id, const char *name)
{
	if (id && strcmp(id, "centos") == 0 && name && strstr(name, "Stream"))
		return "centos-stream";
	return id;
}

static const char *str_field(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A "YYYY-MM-DD" date to midnight UTC. */
static int parse_day(const char *s, time_t *ret)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -EBADMSG;
	return time_parse_rfc3339(s, ret) < 0 ? -EBADMSG : 0;
}

static bool version_matches(const char *want, const char *have, bool major)
{
	if (!major)
		return strcmp(want, have) == 0;
	size_t n = strcspn(have, ".");
	return strlen(want) == n && memcmp(want, have, n) == 0;
}

static int fill_entry(const json_t *dist, const json_t *rel, struct eol_entry *e)
{
	e->name = str_field(dist, "name");
	e->source = str_field(dist, "source");
	e->extended_kind = str_field(dist, "extended_kind");
	e->codename = str_field(rel, "codename");
	e->standard_end = str_field(rel, "standard_end");
	e->extended_end = str_field(rel, "extended_end");
	e->precision = str_field(rel, "precision") ? str_field(rel, "precision") : "day";
	e->estimated = json_is_true(json_object_get(rel, "estimated"));
	if (!e->name || !e->source || parse_day(e->standard_end, &e->standard_t) < 0 ||
	    parse_day(e->extended_end, &e->extended_t) < 0 || e->extended_t < e->standard_t)
		return -EBADMSG;
	if (e->extended_t == e->standard_t)
		e->extended_kind = NULL; /* no extended phase for this release */
	return 0;
}

int eol_lookup(const json_t *table, const char *key, const char *version_id, struct eol_entry *ret)
{
	*ret = (struct eol_entry){0};
	if (!key || !version_id)
		return -ENOENT;
	const json_t *dist = json_object_get(json_object_get(table, "distributions"), key);
	const char *match = str_field(dist, "match");
	if (!dist || !match)
		return -ENOENT;
	bool major = strcmp(match, "major") == 0;
	const json_t *rel;
	size_t i;
	json_array_foreach(json_object_get(table, "releases"), i, rel) {
		const char *os = str_field(rel, "os"), *v = str_field(rel, "version");
		if (!os || !v || strcmp(os, key) != 0 || !version_matches(v, version_id, major))
			continue;
		ret->distribution = os;
		ret->version = v;
		ret->checked = str_field(table, "checked");
		return fill_entry(dist, rel, ret);
	}
	return -ENOENT;
}

long eol_days_until(time_t now, time_t end)
{
	long long a = (long long)now, b = (long long)end;
	long long da = a >= 0 ? a / 86400 : -((-a + 86399) / 86400);
	long long db = b >= 0 ? b / 86400 : -((-b + 86399) / 86400);
	return (long)(db - da);
}
