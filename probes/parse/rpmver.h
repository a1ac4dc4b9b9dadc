/* rpmver.h - version comparison as rpm does it: rpmvercmp() on one
 * version or release string, and epoch:version-release comparison as
 * rpm's rpmverCmp() (rpm >= 4.16) applies it to package EVRs.
 *
 * Pure functions over (pointer, length) spans: no I/O, no allocation.
 * A NUL byte inside a span ends it, as it ends rpm's C strings.
 */
#ifndef TENKEN_RPMVER_H
#define TENKEN_RPMVER_H

#include <stddef.h>

/* rpmvercmp(3): -1, 0 or 1 as a is older, equal or newer than b.
 * Segments of ASCII digits compare numerically, segments of ASCII letters
 * bytewise, a digit segment is newer than a letter one; any other byte
 * separates segments. '~' sorts before anything, even the end ("1.0~rc1"
 * < "1.0"); '^' sorts after the end but before anything else ("1.0" <
 * "1.0^git1" < "1.0.1"). */
int rpmvercmp_n(const char *a, size_t alen, const char *b, size_t blen);

/* One parsed EVR: spans inside the caller's string. A missing epoch or
 * release has e or r NULL. */
struct rpm_evr {
	const char *e, *v, *r;
	size_t elen, vlen, rlen;
};

/* Split "[E:]V[-R]" as rpm's rpmverParse() does: the epoch is the leading
 * digits before a ':' (an empty one means 0), the release follows the
 * last '-' after the epoch. */
void rpm_evr_parse(const char *s, size_t len, struct rpm_evr *ret);

/* rpmverCmp(): epoch (a missing one is 0) with rpmvercmp, then version,
 * then release; an EVR without a release is older than one with any
 * release. -1, 0 or 1. */
int rpm_evr_cmp(const struct rpm_evr *a, const struct rpm_evr *b);

/* rpm_evr_parse() on both strings, then rpm_evr_cmp(). */
int rpm_evr_cmp_str(const char *a, size_t alen, const char *b, size_t blen);

#endif
