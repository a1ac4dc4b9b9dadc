/* trust.c - allowed_signers and known_hosts (see trust.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "evidence/sshkey.h"
#include "evidence/trust.h"
#include "lib/util.h"

/* * and ? over the whole of s, as OpenSSH's match_pattern. */
static bool glob(const char *s, const char *p, const char *pe)
{
	for (; p < pe; p++, s++) {
		if (*p == '*') {
			for (;; s++) {
				if (glob(s, p + 1, pe))
					return true;
				if (!*s)
					return false;
			}
		}
		if (!*s || (*p != '?' && *p != *s))
			return false;
	}
	return !*s;
}

bool trust_match_list(const char *s, const char *list, size_t len)
{
	bool yes = false;
	const char *p = list, *end = list + len;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *pe = c ? c : end;
		bool neg = *p == '!';
		if (glob(s, p + neg, pe)) {
			if (neg)
				return false;
			yes = true;
		}
		p = pe + 1;
	}
	return yes;
}

/* The next word of [*p, end): spaces skipped; a double-quoted part may
 * hold spaces (allowed_signers principals and options). */
static bool word(const char **p, const char *end, const char **ws, size_t *wl)
{
	const char *s = *p;
	bool q = false;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*ws = s;
	while (s < end && (q || (*s != ' ' && *s != '\t'))) {
		if (*s == '"')
			q = !q;
		s++;
	}
	*wl = (size_t)(s - *ws);
	*p = s;
	return *wl > 0 && !q;
}

/* The key on [p, end): "TYPE BASE64" equal to blob. -EBADMSG if not a key. */
static int key_is(const char *p, const char *end, const uint8_t *blob, size_t n)
{
	_cleanup_free_ uint8_t *b = NULL;
	size_t bl, used;
	int r = sshkey_parse_words(p, (size_t)(end - p), &b, &bl, &used);
	if (r < 0)
		return r;
	return bl == n && memcmp(b, blob, n) == 0;
}

/* Value of option name="..." in an allowed_signers option list; new
 * string or NULL. */
static char *option(const char *opts, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const char *p = opts, *end = opts + len;
	while (p < end) {
		const char *s = p;
		bool q = false;
		while (p < end && (q || *p != ',')) {
			if (*p == '"')
				q = !q;
			p++;
		}
		if ((size_t)(p - s) > nl + 1 && strncasecmp(s, name, nl) == 0 && s[nl] == '=') {
			const char *v = s + nl + 1, *ve = p;
			if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
				v++;
				ve--;
			}
			return xstrndup(v, (size_t)(ve - v));
		}
		p++;
	}
	return NULL;
}

static bool has_flag(const char *opts, size_t len, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = opts, *end = opts + len; p < end;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *e = c ? c : end;
		if ((size_t)(e - p) == nl && strncasecmp(p, name, nl) == 0)
			return true;
		p = e + 1;
	}
	return false;
}

/* valid-after / valid-before: YYYYMMDD[HHMM[SS]][Z] (local time without Z). */
static int parse_stamp(const char *s, time_t *ret)
{
	struct tm tm = {0};
	size_t n = strlen(s);
	bool utc = n > 0 && (s[n - 1] == 'Z' || s[n - 1] == 'z');
	n -= utc;
	if (n != 8 && n != 12 && n != 14)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
	int v[6] = {0};
	sscanf(s, "%4d%2d%2d", &v[0], &v[1], &v[2]);
	if (n >= 12)
		sscanf(s + 8, "%2d%2d", &v[3], &v[4]);
	if (n == 14)
		sscanf(s + 12, "%2d", &v[5]);
	tm = (struct tm){.tm_year = v[0] - 1900,
			 .tm_mon = v[1] - 1,
			 .tm_mday = v[2],
			 .tm_hour = v[3],
			 .tm_min = v[4],
			 .tm_sec = v[5],
			 .tm_isdst = -1};
	*ret = utc ? timegm(&tm) : mktime(&tm);
	return 0;
}

/* One allowed_signers line: principals [options] key. */
static enum trust_answer signer_line(const char *p, const char *end, const uint8_t *blob, size_t n,
				     const char *identity, const char *ns, time_t now,
				     char *principal, size_t psize)
{
	const char *pr, *op;
	size_t prl, opl;
	if (!word(&p, end, &pr, &prl))
		return TRUST_NO;
	if (prl >= 2 && pr[0] == '"' && pr[prl - 1] == '"') {
		pr++;
		prl -= 2;
	}
	int k = key_is(p, end, blob, n);
	op = p;
	opl = 0;
	if (k == -EBADMSG) { /* options first */
		if (!word(&p, end, &op, &opl))
			return TRUST_NO;
		k = key_is(p, end, blob, n);
	}
	if (k != 1 || has_flag(op, opl, "cert-authority"))
		return TRUST_NO;
	_cleanup_free_ char *nss = option(op, opl, "namespaces");
	if (nss && !trust_match_list(ns, nss, strlen(nss)))
		return TRUST_NO;
	if (identity && !trust_match_list(identity, pr, prl))
		return TRUST_NO;
	_cleanup_free_ char *va = option(op, opl, "valid-after");
	_cleanup_free_ char *vb = option(op, opl, "valid-before");
	time_t t;
	if ((va && (parse_stamp(va, &t) < 0 || now < t)) ||
	    (vb && (parse_stamp(vb, &t) < 0 || now > t)))
		return TRUST_EXPIRED;
	snprintf(principal, psize, "%s", identity ? identity : "");
	if (!identity)
		snprintf(principal, psize, "%.*s", (int)prl, pr);
	return TRUST_YES;
}

enum trust_answer trust_allowed_signers(const char *buf, size_t len, const uint8_t *blob, size_t n,
					const char *identity, const char *ns, time_t now,
					char *principal, size_t psize, unsigned *ret_line)
{
	struct line_iter it;
	struct line l;
	enum trust_answer best = TRUST_NO;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t sl = l.len;
		str_trim(&s, &sl);
		if (sl == 0 || s[0] == '#')
			continue;
		enum trust_answer a =
		    signer_line(s, s + sl, blob, n, identity, ns, now, principal, psize);
		if (a == TRUST_YES) {
			*ret_line = l.lineno;
			return a;
		}
		if (a == TRUST_EXPIRED)
			best = a;
	}
	return best;
}

/* |1|SALT|HASH: HMAC-SHA1(salt, host) == hash. */
static bool hashed_match(const char *h, size_t hl, const char *host)
{
	const char *bar = hl > 3 ? memchr(h + 3, '|', hl - 3) : NULL;
	_cleanup_free_ uint8_t *salt = NULL, *want = NULL;
	size_t sl, wl;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned ml = 0;
	if (!bar || b64_decode(h + 3, (size_t)(bar - h - 3), &salt, &sl) < 0 ||
	    b64_decode(bar + 1, hl - (size_t)(bar + 1 - h), &want, &wl) < 0 || wl != 20)
		return false;
	if (!HMAC(EVP_sha1(), salt, (int)sl, (const unsigned char *)host, strlen(host), md, &ml))
		return false;
	return ml == 20 && memcmp(md, want, 20) == 0;
}

enum trust_answer trust_known_hosts(const char *buf, size_t len, const uint8_t *blob, size_t n,
				    const char *host, unsigned *ret_line)
{
	struct line_iter it;
	struct line l;
	enum trust_answer ans = TRUST_NO;
	_cleanup_free_ char *lower = strdup(host);
	if (!lower)
		return TRUST_NO;
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *p = l.s, *end = l.s + l.len, *w, *names;
		size_t wl, nl;
		if (!word(&p, end, &w, &wl) || w[0] == '#')
			continue;
		bool revoked = false;
		if (w[0] == '@') {
			if (wl == 8 && !memcmp(w, "@revoked", 8))
				revoked = true;
			else
				continue; /* @cert-authority, or unknown */
			if (!word(&p, end, &w, &wl))
				continue;
		}
		names = w;
		nl = wl;
		if (key_is(p, end, blob, n) != 1)
			continue;
		if (revoked)
			return TRUST_REVOKED; /* wherever it stands, for any host */
		bool m = nl > 3 && !memcmp(names, "|1|", 3) ? hashed_match(names, nl, lower)
							    : trust_match_list(lower, names, nl);
		if (m && ans == TRUST_NO) {
			ans = TRUST_YES;
			*ret_line = l.lineno;
		}
	}
	return ans;
}
