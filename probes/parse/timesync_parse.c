/* timesync_parse.c - pure parsers behind the time probe (contracts in
 * timesync_parse.h).
 */
#include <limits.h>
#include <stdio.h>
#include <strings.h>

#include "lib/limits.h"
#include "probes/parse/ini.h"
#include "probes/parse/timesync_parse.h"
#include "lib/util.h"

/* NUL or control characters other than tab: not a text config line. */
static bool line_is_binary(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return true;
	return false;
}

static bool is_source(enum ts_format fmt, const char *w)
{
	static const char *const chrony[] = {"server", "pool", "peer", "refclock"};
	static const char *const ntp[] = {"server", "pool", "peer"};
	static const char *const openntpd[] = {"server", "servers", "sensor"};
	const char *const *set = fmt == TS_CHRONY ? chrony : fmt == TS_NTP ? ntp : openntpd;
	size_t n = fmt == TS_CHRONY ? ARRAY_SIZE(chrony)
		   : fmt == TS_NTP  ? ARRAY_SIZE(ntp)
				    : ARRAY_SIZE(openntpd);
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(w, set[i]) == 0)
			return true;
	return false;
}

static bool is_include(enum ts_format fmt, const char *w)
{
	if (fmt == TS_CHRONY)
		return strcasecmp(w, "include") == 0 || strcasecmp(w, "confdir") == 0 ||
		       strcasecmp(w, "sourcedir") == 0;
	return fmt == TS_NTP && strcasecmp(w, "includefile") == 0;
}

/* Returns 1 if the line was not read (its argument over LIMIT_PATH). */
static int ts_line(const char *s, size_t n, unsigned line, enum ts_format fmt,
		   const struct ts_cb *cb)
{
	char w[32], arg[LIMIT_PATH];
	size_t wn = strcspn(s, " \t");
	if (wn >= sizeof(w))
		return 0; /* no keyword is this long */
	memcpy(w, s, wn);
	w[wn] = 0;
	const char *a = s + wn;
	size_t an = n - wn;
	str_trim(&a, &an);
	if (an >= sizeof(arg)) {
		cb->bad(
		    cb->ud, line,
		    "引数が上限（4095 バイト、LIMIT_PATH）より長いため、この行を読んでいません。"
		    "時刻源の設定は不明です",
		    "argument longer than 4095 bytes (LIMIT_PATH): line not read; the time "
		    "sources configured are unknown");
		return 1;
	}
	memcpy(arg, a, an);
	arg[an] = 0;
	if (is_include(fmt, w)) {
		cb->include(cb->ud, line, w, arg);
		return 0;
	}
	if (!is_source(fmt, w))
		return 0;
	if (an == 0) {
		cb->bad(cb->ud, line, "時刻源の指定にホストがありません",
			"a time source directive without a host");
		return 0;
	}
	if (fmt == TS_CHRONY && strcasecmp(w, "refclock") == 0) {
		/* "refclock PHC /dev/ptp0 ...": driver and device. */
		size_t k = strcspn(arg, " \t");
		k += strspn(arg + k, " \t");
		arg[k + strcspn(arg + k, " \t")] = 0;
	} else {
		arg[strcspn(arg, " \t")] = 0;
	}
	cb->server(cb->ud, line, arg);
	return 0;
}

_Static_assert(LIMIT_PATH == 4096u, "update the line-too-long words");

int ts_parse(const char *buf, size_t len, enum ts_format fmt, const struct ts_cb *cb)
{
	struct line_iter it;
	struct line l;
	size_t unread = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = strnlen(l.s, l.len);
		const char *cut = memchr(s, '#', n);
		if (cut)
			n = (size_t)(cut - s);
		str_trim(&s, &n);
		if (n == 0 || (fmt == TS_CHRONY && (*s == '!' || *s == ';' || *s == '%')))
			continue;
		if (line_is_binary(l.s, l.len)) {
			cb->bad(cb->ud, l.lineno, "制御文字やバイナリを含む行です (無視します)",
				"line holds control characters or binary data (ignored)");
			continue;
		}
		char tmp[LIMIT_PATH + 64];
		if (n >= sizeof(tmp)) {
			cb->bad(
			    cb->ud, l.lineno,
			    "行が上限 (4160 バイト、LIMIT_PATH + 64) より長いため読んでいません。"
			    "時刻源の設定は不明です",
			    "line longer than 4160 bytes (LIMIT_PATH + 64): not read; the time "
			    "sources configured are unknown");
			unread++;
			continue;
		}
		memcpy(tmp, s, n);
		tmp[n] = 0;
		unread += ts_line(tmp, n, l.lineno, fmt, cb);
	}
	return unread > INT_MAX ? INT_MAX : (int)unread;
}

void timesyncd_conf_free(struct timesyncd_conf *c)
{
	free(c->ntp);
	free(c->fallback);
	free(c->ntp_src);
	free(c->fallback_src);
	memset(c, 0, sizeof(*c));
}

static int src_set(char **dst, const char *path, unsigned line)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_PATH + 32);
	if (strbuf_printf(&sb, "%s:%u", path, line) < 0) {
		strbuf_free(&sb);
		return -ENOMEM;
	}
	free(*dst);
	*dst = strbuf_steal(&sb);
	return 0;
}

/* NTP= / FallbackNTP=: an empty value resets, others append (systemd
 * lists). */
static int ts_list(char **dst, const char *v, size_t vn)
{
	if (vn == 0) {
		free(*dst);
		*dst = NULL;
		return 0;
	}
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_CONFIG_FILE);
	if ((*dst && (strbuf_puts(&sb, *dst) < 0 || strbuf_puts(&sb, " ") < 0)) ||
	    strbuf_append(&sb, v, strnlen(v, vn)) < 0) {
		strbuf_free(&sb);
		return -ENOMEM;
	}
	free(*dst);
	*dst = strbuf_steal(&sb);
	return 0;
}

struct timesyncd_read {
	struct timesyncd_conf *c;
	const char *path;
};

static int timesyncd_key(void *ud, const char *key, const char *val, size_t vlen, unsigned line)
{
	struct timesyncd_read *tr = ud;
	struct timesyncd_conf *c = tr->c;
	int r = 0;
	if (strcmp(key, "NTP") == 0) {
		r = ts_list(&c->ntp, val, vlen);
		r = r < 0 ? r : src_set(&c->ntp_src, tr->path, line);
	} else if (strcmp(key, "FallbackNTP") == 0) {
		c->fallback_set = true;
		r = ts_list(&c->fallback, val, vlen);
		r = r < 0 ? r : src_set(&c->fallback_src, tr->path, line);
	}
	return r;
}

int timesyncd_parse(const char *buf, size_t len, const char *path, struct timesyncd_conf *c,
		    void (*bad)(void *ud, unsigned line, const char *ja, const char *en), void *ud)
{
	static const struct ini_opts o = {0};
	struct timesyncd_read tr = {c, path};
	struct ini_section_cb cb = {"Time", timesyncd_key, &tr, bad, ud, NULL};
	return ini_parse_section(buf, len, &o, &cb);
}
