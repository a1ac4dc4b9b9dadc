/* unit_parse.c - systemd unit files and drop-ins (see unit_parse.h). The
 * input is any bytes: CRLF, NUL bytes, no final newline, endless
 * continuation lines; nothing here allocates more than the input's size
 * a few times over.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "probes/parse/ini.h"
#include "probes/parse/unit_parse.h"
#include "lib/util.h"

/* Blank-separated words appended; an empty value resets the list. */
static int strlist_assign(struct strv *l, const char *s, size_t n)
{
	if (n == 0) {
		strv_reset(l);
		return 0;
	}
	for (size_t i = 0; i < n;) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		size_t j = i;
		while (j < n && !isspace((unsigned char)s[j]))
			j++;
		if (j > i && strv_add(l, s + i, j - i) < 0)
			return -ENOMEM;
		i = j;
	}
	return 0;
}

void unit_info_free(struct unit_info *u)
{
	strv_reset(&u->wanted_by);
	strv_reset(&u->required_by);
	strv_reset(&u->alias);
	strv_reset(&u->also);
	strv_reset(&u->timer_on);
	strv_reset(&u->conditions);
	free(u->default_instance);
	free(u->exec_start);
	free(u->socket_service);
	strv_reset(&u->listens);
	free(u->timer_unit);
	free(u->service_type);
	memset(u, 0, sizeof(*u));
}

char *unit_exec_binary(const char *value, size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)value[i]))
		i++;
	while (i < len && value[i] && memchr("@-:+!", value[i], 5))
		i++;
	if (i >= len)
		return NULL;
	char q = value[i] == '"' || value[i] == '\'' ? value[i] : 0;
	size_t start = q ? i + 1 : i, j = start;
	while (j < len && (q ? value[j] != q : !isspace((unsigned char)value[j])))
		j++;
	return j > start ? xstrndup(value + start, j - start) : NULL;
}

static int set_str(char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = n ? xstrndup(s, n) : NULL;
	return n && !*dst ? -ENOMEM : 0;
}

static bool parse_bool(const char *s, size_t n)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "t", "on"};
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (n == strlen(yes[i]) && strncasecmp(s, yes[i], n) == 0)
			return true;
	return false;
}

enum section { SEC_OTHER, SEC_UNIT, SEC_INSTALL, SEC_SERVICE, SEC_SOCKET, SEC_TIMER };

/* The Install section's keys. */
static int install_key(struct unit_info *u, const char *k, const char *v, size_t vn)
{
	u->has_install = true;
	if (strcmp(k, "WantedBy") == 0)
		return strlist_assign(&u->wanted_by, v, vn);
	if (strcmp(k, "RequiredBy") == 0 || strcmp(k, "UpheldBy") == 0)
		return strlist_assign(&u->required_by, v, vn);
	if (strcmp(k, "Alias") == 0)
		return strlist_assign(&u->alias, v, vn);
	if (strcmp(k, "Also") == 0)
		return strlist_assign(&u->also, v, vn);
	if (strcmp(k, "DefaultInstance") == 0)
		return set_str(&u->default_instance, v, vn);
	return 0;
}

/* ExecStart: the first assignment since the last reset gives the binary. */
static int exec_start(struct unit_info *u, bool dropin, bool *seen, const char *v, size_t vn)
{
	if (dropin)
		u->exec_start_dropin = true;
	if (vn == 0) {
		free(u->exec_start);
		u->exec_start = NULL;
		*seen = false;
		return 0;
	}
	if (*seen || u->exec_start)
		return 0; /* a further command line of a oneshot service */
	*seen = true;
	u->exec_start = unit_exec_binary(v, vn);
	return 0;
}

/* Append "Key=Value" to l; an empty value resets the list, as systemd
 * does for triggers (OnCalendar=, OnBootSec=, ...) and for conditions
 * (Condition*=, Assert*=: an empty value of any of them resets all). */
static int push_key_value(struct strv *l, const char *k, const char *v, size_t vn)
{
	if (vn == 0) {
		strv_reset(l);
		return 0;
	}
	size_t kn = strlen(k);
	_cleanup_free_ char *kv = malloc(kn + vn + 2);
	if (!kv)
		return -ENOMEM;
	memcpy(kv, k, kn);
	kv[kn] = '=';
	memcpy(kv + kn + 1, v, vn);
	return strv_add(l, kv, kn + vn + 1);
}

static int timer_on(struct unit_info *u, const char *k, const char *v, size_t vn)
{
	return push_key_value(&u->timer_on, k, v, vn);
}

static int condition(struct unit_info *u, const char *k, const char *v, size_t vn)
{
	return push_key_value(&u->conditions, k, v, vn);
}

/* Every Listen*= of systemd.socket(5), kept with its kind; an empty
 * assignment of any of them removes every listener before it, as systemd
 * does (a drop-in's "ListenStream=" then new lines replace the ports). */
static int socket_listen(struct unit_info *u, const char *k, const char *v, size_t vn)
{
	static const char *const kinds[] = {
	    "ListenStream",  "ListenDatagram", "ListenSequentialPacket", "ListenFIFO",
	    "ListenSpecial", "ListenNetlink",  "ListenMessageQueue",	 "ListenUSBFunction"};
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(k, kinds[i]) == 0)
			return push_key_value(&u->listens, k, v, vn);
	return 0;
}

struct pstate {
	struct unit_info *u;
	bool dropin, exec_seen;
	enum section sec;
};

static int key_value(struct pstate *ps, const char *k, const char *v, size_t vn)
{
	struct unit_info *u = ps->u;
	switch (ps->sec) {
	case SEC_UNIT:
		if (strncmp(k, "Condition", 9) == 0 || strncmp(k, "Assert", 6) == 0)
			return condition(u, k, v, vn);
		return 0;
	case SEC_INSTALL:
		return install_key(u, k, v, vn);
	case SEC_SERVICE:
		if (strcmp(k, "Type") == 0)
			return set_str(&u->service_type, v, vn);
		return strcmp(k, "ExecStart") == 0
			   ? exec_start(u, ps->dropin, &ps->exec_seen, v, vn)
			   : 0;
	case SEC_SOCKET:
		if (strcmp(k, "Accept") == 0)
			u->socket_accept = parse_bool(v, vn);
		if (strncmp(k, "Listen", 6) == 0)
			return socket_listen(u, k, v, vn);
		return strcmp(k, "Service") == 0 ? set_str(&u->socket_service, v, vn) : 0;
	case SEC_TIMER:
		if (strncmp(k, "On", 2) == 0)
			return timer_on(u, k, v, vn);
		return strcmp(k, "Unit") == 0 ? set_str(&u->timer_unit, v, vn) : 0;
	default:
		return 0;
	}
}

static enum section section_of(const char *s, size_t n)
{
	static const struct {
		const char *name;
		enum section sec;
	} secs[] = {{"Unit", SEC_UNIT},
		    {"Install", SEC_INSTALL},
		    {"Service", SEC_SERVICE},
		    {"Socket", SEC_SOCKET},
		    {"Timer", SEC_TIMER}};
	for (size_t i = 0; i < ARRAY_SIZE(secs); i++)
		if (n == strlen(secs[i].name) && memcmp(s, secs[i].name, n) == 0)
			return secs[i].sec;
	return SEC_OTHER;
}

static void bad_line(void *ud, unsigned lineno)
{
	struct pstate *ps = ud;
	if (ps->u->bad_lines++ == 0)
		ps->u->first_bad_line = lineno;
}

static int unit_section(void *ud, const char *name, unsigned line)
{
	struct pstate *ps = ud;
	ps->sec = section_of(name, strlen(name));
	return 0;
}

static int unit_key(void *ud, const char *key, const char *val, size_t vlen, unsigned line)
{
	return key_value(ud, key, val, vlen);
}

int unit_parse(const char *buf, size_t len, bool dropin, struct unit_info *u)
{
	static const struct ini_opts o = {
	    .continuation = true, .nul_bad = true, .unclosed_bad = true, .empty_key_bad = true};
	struct pstate ps = {.u = u, .dropin = dropin, .sec = SEC_OTHER};
	struct ini_cb cb = {unit_section, unit_key, bad_line, &ps, NULL};
	return ini_parse(buf, len, &o, &cb) < 0 ? -ENOMEM : 0;
}

bool unit_name_split(const char *name, bool *ret_template, bool *ret_instance, char *tmpl)
{
	const char *dot = strrchr(name, '.');
	const char *at = strchr(name, '@');
	if (!dot || dot == name)
		return false;
	bool has_at = at && at < dot;
	*ret_template = has_at && at + 1 == dot;
	*ret_instance = has_at && at + 1 < dot;
	if (tmpl && *ret_instance) {
		size_t pre = (size_t)(at + 1 - name);
		memcpy(tmpl, name, pre);
		memcpy(tmpl + pre, dot, strlen(dot) + 1); /* fits: shorter than name */
	}
	return true;
}

/* "foo-bar" -> "foo-", "foo-bar-" -> "foo-" (a trailing dash is chopped
 * once first), as systemd's unit_file_find_dirs steps up; false when
 * there is no shorter prefix ("foo", "foo-", "-foo"). p is rewritten. */
static bool prefix_step(char *p)
{
	bool chopped = false;
	for (;;) {
		char *dash = strrchr(p, '-');
		if (!dash || dash == p)
			return false;
		if (dash[1] != '\0' || chopped) {
			dash[1] = '\0';
			return true;
		}
		*dash = '\0';
		chopped = true;
	}
}

/* systemd's unit_file_find_dirs for one unit directory, depth-bounded by
 * the name's length: NAME.d, then (instance) the template's, then the
 * next shorter dash prefix's with the same instance. */
static int dropin_dirnames(const char *name, struct strv *ret, unsigned depth)
{
	bool tmpl, inst;
	const char *dot = strrchr(name, '.'), *at = strchr(name, '@');
	if (depth > 64 || !unit_name_split(name, &tmpl, &inst, NULL))
		return 0;
	_cleanup_free_ char *d = NULL, *t = malloc(strlen(name) + 1);
	if (!t || asprintf(&d, "%s.d", name) < 0 || strv_add(ret, d, strlen(d)) < 0)
		return -ENOMEM;
	if (inst && unit_name_split(name, &tmpl, &inst, t) &&
	    dropin_dirnames(t, ret, depth + 1) < 0)
		return -ENOMEM;
	size_t pre = at && at < dot ? (size_t)(at - name) : (size_t)(dot - name);
	memcpy(t, name, pre);
	t[pre] = '\0';
	if (!prefix_step(t))
		return 0;
	_cleanup_free_ char *built = NULL;
	if (asprintf(&built, "%s%s%.*s%s", t, inst ? "@" : "", inst ? (int)(dot - at - 1) : 0,
		     inst ? at + 1 : "", dot) < 0)
		return -ENOMEM;
	return dropin_dirnames(built, ret, depth + 1);
}

int unit_dropin_dirnames(const char *name, struct strv *ret)
{
	return dropin_dirnames(name, ret, 0);
}
