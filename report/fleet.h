/* fleet.h - rendering the fleet summary (store/views.c makes it; DESIGN.md
 * "Fleet summary"): the matrix of hosts and checklist items, the rules
 * failing on the most hosts, the 2(1) ledger, answers per month and what
 * changed since each host's previous scan.
 *
 * The summary JSON is the only input, as for the single-host renderers;
 * every string in it may come from a hostile report and is escaped.
 * Dates are shown in Japan Standard Time.
 *
 * Ownership: the summary is borrowed; out is the caller's stream.
 */
#ifndef TENKEN_FLEET_H
#define TENKEN_FLEET_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

/* The views --view names; NULL is "matrix". */
bool fleet_view_known(const char *view);

/* format: json (the summary), csv (one view: matrix rows per host and
 * item, top, ledger, trends, changes; UTF-8 with BOM, CRLF), html (every
 * view on one self-contained page), text (counts and the matrix).
 * 0 or -errno (-EINVAL for an unknown format). */
int render_fleet(const json_t *summary, const char *format, const char *view, const char *lang,
		 FILE *out);

/* The hosts of a summary one at a time, for a fleet too large to hold:
 * next gives 1 and a new reference, 0 after the last, or -errno; rewind
 * starts again (the HTML page walks the hosts three times). */
struct fleet_hosts {
	int (*next)(void *ctx, json_t **host);
	int (*rewind)(void *ctx);
	void *ctx;
};
/* render_fleet with head's "hosts" (an empty array) given by hosts. */
int render_fleet_hosts(const json_t *head, struct fleet_hosts *hosts, const char *format,
		       const char *view, const char *lang, FILE *out);
int render_fleet_html(const json_t *head, struct fleet_hosts *hosts, const char *lang, FILE *out);

/* ---- shared by fleet.c and fleet_html.c ---- */

/* The fleet word key in lang (falls back to render_label). */
const char *fleet_label(const char *key, const char *lang);
/* s needs sanitize_text: false when it is only printable ASCII and
 * well-formed CJK and kana (U+3000..U+9FFF, where no control, bidi or
 * separator character lives), the common case that then costs no copy. */
bool fleet_needs_sanitize(const char *s);
/* Call fn for every host, in order (the index counts from 0); stops at
 * the first error of fn or of the source. */
int fleet_each_host(struct fleet_hosts *hosts, int (*fn)(const json_t *host, size_t idx, void *arg),
		    void *arg);
/* Every inventory change of a host's "changes" (store/views.c), kind
 * by kind in a fixed order: fn(kind, move, what, arg) with the kind and
 * the move ("added", "removed", "version changed", or "not recorded",
 * what then "") in lang, and the key (packages: "name:arch version" or
 * "name:arch old -> new"). The number of calls, or fn's first error. */
typedef int (*fleet_inventory_fn)(const char *kind, const char *move, const char *what, void *arg);
int fleet_inventory_each(const json_t *changes, const char *lang, fleet_inventory_fn fn, void *arg);
/* "2026-11-22 09:00:00" in JST for an RFC 3339 time; "" if it does not
 * parse. out holds at least 20 bytes. */
void fleet_jst(const char *rfc3339, char out[static 20]);

#endif
