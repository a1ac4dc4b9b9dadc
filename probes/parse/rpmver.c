/* rpmver.c - rpm's version comparison (rpmvercmp and EVR order),
 * written from the algorithm rpm documents in rpmvercmp(3) and
 * rpm's rpmio/rpmvercmp.c behaviour, and proven against librpmio's own
 * rpmvercmp() by tests/e2e/rpm.sh on thousands of generated pairs.
 */
#include <string.h>
#include "probes/parse/rpmver.h"

/* rpm's risdigit/risalpha: ASCII only, whatever the locale. */
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_sep(char c)
{
	return !is_digit(c) && !is_alpha(c) && c != '~' && c != '^';
}

struct cursor {
	const char *s, *end;
};

/* The current byte, or NUL at the end. */
static char cur(const struct cursor *c)
{
	return c->s < c->end ? *c->s : '\0';
}

static void skip_seps(struct cursor *c)
{
	while (cur(c) && is_sep(cur(c)))
		c->s++;
}

static size_t seg_len(const struct cursor *c, int (*cls)(char))
{
	const char *p = c->s;
	while (p < c->end && *p && cls(*p))
		p++;
	return (size_t)(p - c->s);
}

/* Compare one segment pair (one already starts with the class given by
 * its first byte). Returns the order, or 0 and advances both cursors. */
static int cmp_segment(struct cursor *one, struct cursor *two)
{
	int isnum = is_digit(cur(one));
	int (*cls)(char) = isnum ? is_digit : is_alpha;
	size_t l1 = seg_len(one, cls), l2 = seg_len(two, cls);

	if (l2 == 0) /* a digit segment is newer than a letter one */
		return isnum ? 1 : -1;
	const char *p1 = one->s, *p2 = two->s;
	one->s += l1;
	two->s += l2;
	if (isnum) {
		while (l1 && *p1 == '0')
			p1++, l1--;
		while (l2 && *p2 == '0')
			p2++, l2--;
		if (l1 != l2)
			return l1 > l2 ? 1 : -1;
	}
	int rc = memcmp(p1, p2, l1 < l2 ? l1 : l2);
	if (rc)
		return rc < 0 ? -1 : 1;
	return l1 == l2 ? 0 : (l1 < l2 ? -1 : 1);
}

/* The '~' and '^' rules. Returns 2 when neither applies. */
static int cmp_tilde_caret(struct cursor *one, struct cursor *two)
{
	char a = cur(one), b = cur(two);
	if (a == '~' || b == '~') {
		if (a != '~')
			return 1;
		if (b != '~')
			return -1;
	} else if (a == '^' || b == '^') {
		if (!a)
			return -1;
		if (!b)
			return 1;
		if (a != '^')
			return 1;
		if (b != '^')
			return -1;
	} else {
		return 2;
	}
	one->s++;
	two->s++;
	return 0;
}

static size_t c_len(const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);
	return nul ? (size_t)(nul - s) : n;
}

int rpmvercmp_n(const char *a, size_t alen, const char *b, size_t blen)
{
	alen = c_len(a, alen);
	blen = c_len(b, blen);
	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	struct cursor one = {a, a + alen}, two = {b, b + blen};
	while (cur(&one) || cur(&two)) {
		skip_seps(&one);
		skip_seps(&two);
		int rc = cmp_tilde_caret(&one, &two);
		if (rc == 0)
			continue;
		if (rc != 2)
			return rc;
		if (!cur(&one) || !cur(&two))
			break;
		rc = cmp_segment(&one, &two);
		if (rc)
			return rc;
	}
	if (!cur(&one) && !cur(&two))
		return 0;
	return cur(&one) ? 1 : -1;
}

void rpm_evr_parse(const char *s, size_t len, struct rpm_evr *ret)
{
	len = c_len(s, len);
	*ret = (struct rpm_evr){0};
	size_t i = 0;
	while (i < len && is_digit(s[i]))
		i++;
	const char *rest = s;
	size_t restlen = len;
	if (i < len && s[i] == ':') {
		ret->e = i ? s : "0";
		ret->elen = i ? i : 1;
		rest = s + i + 1;
		restlen = len - i - 1;
	}
	/* The release follows the last '-' after the epoch digits. */
	const char *dash = NULL;
	for (size_t k = i; k < len; k++)
		if (s[k] == '-')
			dash = s + k;
	ret->v = rest;
	ret->vlen = restlen;
	if (dash && dash >= rest) {
		ret->vlen = (size_t)(dash - rest);
		ret->r = dash + 1;
		ret->rlen = (size_t)(s + len - dash - 1);
	}
}

int rpm_evr_cmp(const struct rpm_evr *a, const struct rpm_evr *b)
{
	int rc = rpmvercmp_n(a->e ? a->e : "0", a->e ? a->elen : 1, b->e ? b->e : "0",
			     b->e ? b->elen : 1);
	if (rc)
		return rc;
	rc = rpmvercmp_n(a->v, a->vlen, b->v, b->vlen);
	if (rc)
		return rc;
	if (a->r && b->r)
		return rpmvercmp_n(a->r, a->rlen, b->r, b->rlen);
	return a->r ? 1 : (b->r ? -1 : 0); /* a missing release is older */
}

int rpm_evr_cmp_str(const char *a, size_t alen, const char *b, size_t blen)
{
	struct rpm_evr ea, eb;
	rpm_evr_parse(a, alen, &ea);
	rpm_evr_parse(b, blen, &eb);
	return rpm_evr_cmp(&ea, &eb);
}
