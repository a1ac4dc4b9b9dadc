/* debver.h - Debian package versions, parsed and ordered exactly as dpkg
 * does (deb-version(7): [epoch:]upstream[-revision], with "~" sorting
 * before everything, even the end of the string).
 *
 * Pure functions over (pointer, length) strings that need not be
 * NUL-terminated; nothing is allocated. tests/e2e/packages.sh checks the
 * order against `dpkg --compare-versions` over thousands of real pairs.
 */
#ifndef TENKEN_DEBVER_H
#define TENKEN_DEBVER_H

#include <stdbool.h>
#include <stddef.h>

/* A version split in place: the spans borrow the caller's string. */
struct debver {
	unsigned long epoch; /* 0 when absent; at most INT_MAX, as dpkg */
	const char *upstream;
	size_t upstream_len;
	const char *revision; /* "" (len 0) when there is no hyphen */
	size_t revision_len;
};

/* Parse s[0..len) as dpkg's parseversion() does. Returns 0 for a valid
 * version; 1 when dpkg would only warn (upstream not starting with a
 * digit, a character outside the allowed sets) and still compares it, *ret
 * filled; -EINVAL for what dpkg rejects (empty, embedded blanks, bad or
 * negative or too big epoch, empty upstream or revision), *ret untouched.
 * Leading and trailing blanks (space, tab) are ignored, as dpkg does. */
int debver_parse(const char *s, size_t len, struct debver *ret);

/* Order two parsed versions: <0, 0 or >0. */
int debver_cmp_parsed(const struct debver *a, const struct debver *b);

/* Order two version strings as `dpkg --compare-versions` does, including
 * its reading of an empty string as "no version" (before every version).
 * A string dpkg would reject (it exits with an error) is ordered after
 * every valid one and bytewise among its kind, so sorting never fails;
 * check debver_parse() first where that matters. */
int debver_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* The same with NUL-terminated strings. */
int debver_cmp_str(const char *a, const char *b);

/* True when s[0..len) is a version dpkg accepts without a warning. */
bool debver_valid(const char *s, size_t len);

#endif
