/* debver.c - dpkg's version syntax and order (deb-version(7)), written
 * from the manual page and checked against `dpkg --compare-versions`.
 *
 * Order of two versions: epochs numerically, then the upstream parts, then
 * the revisions, each compared by alternating runs: a run of non-digits
 * compared character by character (letters before other characters, "~"
 * before everything including the end), then a run of digits compared as
 * a number of any length.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "probes/parse/debver.h"

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* A character's weight in a non-digit run. The end of the string weighs
 * 0, so only "~" (-1) sorts before it. Bytes are taken as signed chars,
 * as dpkg does on the platforms tenken runs on: this only matters for
 * versions dpkg warns about. */
static int weight(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	int c = (signed char)*p;
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	return c ? c + 256 : 0;
}

/* Compare one part (upstream or revision). */
static int part_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *ae = a + alen, *be = b + blen;
	while (a < ae || b < be) {
		while ((a < ae && !is_digit(*a)) || (b < be && !is_digit(*b))) {
			int wa = weight(a, ae), wb = weight(b, be);
			if (wa != wb)
				return wa - wb;
			a += a < ae;
			b += b < be;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		int first_diff = 0;
		for (; a < ae && b < be && is_digit(*a) && is_digit(*b); a++, b++)
			if (!first_diff)
				first_diff = *a - *b;
		if (a < ae && is_digit(*a))
			return 1;
		if (b < be && is_digit(*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

/* The epoch before the first colon (which must end the digits). */
static int parse_epoch(const char *s, const char *colon, unsigned long *ret)
{
	unsigned long v = 0;
	const char *p = s;
	bool minus = p < colon && *p == '-';
	if (p < colon && (*p == '+' || *p == '-'))
		p++; /* strtol's sign: dpkg accepts "+1" and "-0" */
	if (p == colon)
		return -EINVAL;
	for (; p < colon; p++) {
		if (!is_digit(*p))
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	if (minus && v != 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* 0 when every character of the span is a letter, digit or in allowed. */
static int check_chars(const char *s, size_t n, const char *allowed)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]) && !is_alpha(s[i]) && (!s[i] || !strchr(allowed, s[i])))
			return 1;
	return 0;
}

int debver_parse(const char *s, size_t len, struct debver *ret)
{
	const char *end = s + len;
	while (s < end && is_blank(*s))
		s++;
	while (end > s && is_blank(end[-1]))
		end--;
	if (s == end)
		return -EINVAL;
	for (const char *p = s; p < end; p++)
		if (is_blank(*p) || *p == '\0')
			return -EINVAL;

	struct debver v = {.epoch = 0, .revision = "", .revision_len = 0};
	const char *colon = memchr(s, ':', (size_t)(end - s));
	if (colon) {
		if (parse_epoch(s, colon, &v.epoch) < 0 || colon + 1 == end)
			return -EINVAL;
		s = colon + 1;
	}
	const char *hyphen = NULL;
	for (const char *p = s; p < end; p++)
		if (*p == '-')
			hyphen = p;
	v.upstream = s;
	v.upstream_len = (size_t)((hyphen ? hyphen : end) - s);
	if (hyphen) {
		if (hyphen + 1 == end)
			return -EINVAL;
		v.revision = hyphen + 1;
		v.revision_len = (size_t)(end - hyphen - 1);
	}
	if (v.upstream_len == 0)
		return -EINVAL;
	*ret = v;
	if (!is_digit(v.upstream[0]))
		return 1;
	if (check_chars(v.upstream, v.upstream_len, ".-+~:"))
		return 1;
	return check_chars(v.revision, v.revision_len, ".+~");
}

int debver_cmp_parsed(const struct debver *a, const struct debver *b)
{
	if (a->epoch != b->epoch)
		return a->epoch > b->epoch ? 1 : -1;
	int r = part_cmp(a->upstream, a->upstream_len, b->upstream, b->upstream_len);
	if (r)
		return r;
	return part_cmp(a->revision, a->revision_len, b->revision, b->revision_len);
}

static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);
	if (r)
		return r;
	return alen < blen ? -1 : alen > blen;
}

int debver_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	/* dpkg --compare-versions takes an empty string as "no version",
	 * which sorts before every version, even "~". */
	if (alen == 0 || blen == 0)
		return (alen != 0) - (blen != 0);
	struct debver va, vb;
	bool oka = debver_parse(a, alen, &va) >= 0;
	bool okb = debver_parse(b, blen, &vb) >= 0;
	if (oka && okb)
		return debver_cmp_parsed(&va, &vb);
	if (oka != okb)
		return oka ? -1 : 1;
	return bytes_cmp(a, alen, b, blen);
}

int debver_cmp_str(const char *a, const char *b)
{
	return debver_cmp(a, strlen(a), b, strlen(b));
}

bool debver_valid(const char *s, size_t len)
{
	struct debver v;
	return debver_parse(s, len, &v) == 0;
}
