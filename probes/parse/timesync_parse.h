/* timesync_parse.h - pure parsers for the time probe: chrony.conf (and
 * its conf.d / sources files), ntp.conf (ntpd, ntpsec), openntpd's
 * ntpd.conf and systemd-timesyncd's timesyncd.conf. No I/O: includes
 * (chrony's include/confdir/sourcedir, ntp's includefile) are handed
 * back to the caller. Strings handed to callbacks are borrowed for the
 * call only.
 */
#ifndef TENKEN_TIMESYNC_PARSE_H
#define TENKEN_TIMESYNC_PARSE_H

#include <stdbool.h>
#include <stddef.h>

enum ts_format {
	TS_CHRONY,   /* server, pool, peer, refclock; include, confdir, sourcedir */
	TS_NTP,	     /* server, pool, peer; includefile */
	TS_OPENNTPD, /* server, servers, sensor */
};

struct ts_cb {
	/* A time source: the host (or refclock driver/sensor device). */
	void (*server)(void *ud, unsigned line, const char *host);
	/* directive is "include", "confdir", "sourcedir" or "includefile";
	 * arg is the rest of the line as written. */
	void (*include)(void *ud, unsigned line, const char *directive, const char *arg);
	void (*bad)(void *ud, unsigned line, const char *ja, const char *en);
	void *ud;
};

/* Parse one file of the given format. Keywords are case-insensitive as
 * chronyd and ntpd read them; '#', ';' (chrony) and '!' (chrony) start
 * comments. A source keyword without a host is reported. Returns the
 * number of lines not read for their length (reported to bad): the time
 * sources are then not known. */
int ts_parse(const char *buf, size_t len, enum ts_format fmt, const struct ts_cb *cb);

/* timesyncd.conf settings so far; later files override what they set.
 * ntp/fallback are space-separated lists as written; an empty assignment
 * resets the list (FallbackNTP= with nothing disables the compiled-in
 * fallback servers). */
struct timesyncd_conf {
	char *ntp, *fallback; /* NULL: not set */
	bool fallback_set;    /* FallbackNTP= appeared (even empty) */
	char *ntp_src, *fallback_src;
};
void timesyncd_conf_free(struct timesyncd_conf *c);
/* Apply one file ([Time] section only). Returns 0 or -ENOMEM. */
int timesyncd_parse(const char *buf, size_t len, const char *path, struct timesyncd_conf *c,
		    void (*bad)(void *ud, unsigned line, const char *ja, const char *en), void *ud);

#endif
