/* skim.c - see skim.h. A recursive-descent checker of RFC 8259 JSON that
 * builds nothing: every string is checked for control characters, escape
 * syntax, paired surrogates, no \u0000 (jansson refuses it) and valid
 * UTF-8; keys of every object are compared for duplicates. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "store/skim.h"
#include "lib/utf8.h"

struct span {
	const unsigned char *p;
	size_t n;
};

struct sk {
	const unsigned char *b;
	size_t n, i;
	struct span *keys; /* every open object's keys, innermost last */
	size_t nkeys, cap;
};

static void ws(struct sk *s)
{
	while (s->i < s->n && (s->b[s->i] == ' ' || s->b[s->i] == '\n' || s->b[s->i] == '\r' ||
			       s->b[s->i] == '\t'))
		s->i++;
}

static int hex4(struct sk *s, uint32_t *ret)
{
	uint32_t v = 0;
	if (s->n - s->i < 4)
		return -EINVAL;
	for (int k = 0; k < 4; k++) {
		unsigned char c = s->b[s->i++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (uint32_t)((c | 0x20) - 'a' + 10);
		else
			return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* A string at s->i (its opening quote); *escaped if it has an escape. */
static int string(struct sk *s, bool *escaped)
{
	s->i++;
	for (;;) {
		while (s->i < s->n && s->b[s->i] >= 0x20 && s->b[s->i] < 0x80 &&
		       s->b[s->i] != '"' && s->b[s->i] != '\\')
			s->i++;
		if (s->i >= s->n)
			return -EINVAL;
		unsigned char c = s->b[s->i];
		if (c == '"') {
			s->i++;
			return 0;
		}
		if (c < 0x20)
			return -EINVAL;
		if (c >= 0x80) {
			uint32_t cp;
			size_t k = utf8_decode(s->b + s->i, s->n - s->i, &cp);
			if (k == 0)
				return -EINVAL;
			s->i += k;
			continue;
		}
		*escaped = true;
		if (++s->i >= s->n)
			return -EINVAL;
		c = s->b[s->i++];
		if (strchr("\"\\/bfnrt", c) && c)
			continue;
		uint32_t cp, lo;
		if (c != 'u' || hex4(s, &cp) < 0 || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
			return -EINVAL;
		if (cp >= 0xD800 && cp <= 0xDBFF &&
		    (s->n - s->i < 2 || s->b[s->i] != '\\' || s->b[s->i + 1] != 'u' ||
		     (s->i += 2, hex4(s, &lo) < 0) || lo < 0xDC00 || lo > 0xDFFF))
			return -EINVAL;
	}
}

static bool digit(const struct sk *s)
{
	return s->i < s->n && s->b[s->i] >= '0' && s->b[s->i] <= '9';
}

/* A number; long ones are left to jansson (it refuses an integer that
 * overflows and a real that does). */
static int number(struct sk *s)
{
	size_t start = s->i;
	if (s->b[s->i] == '-')
		s->i++;
	if (!digit(s))
		return -EINVAL;
	if (s->b[s->i] == '0') {
		s->i++;
		if (digit(s))
			return -EINVAL;
	}
	while (digit(s))
		s->i++;
	if (s->i < s->n && s->b[s->i] == '.') {
		s->i++;
		if (!digit(s))
			return -EINVAL;
		while (digit(s))
			s->i++;
	}
	if (s->i < s->n && (s->b[s->i] | 0x20) == 'e') {
		s->i++;
		if (s->i < s->n && (s->b[s->i] == '+' || s->b[s->i] == '-'))
			s->i++;
		size_t e = s->i;
		while (digit(s))
			s->i++;
		if (s->i == e || s->i - e > 2)
			return -EINVAL;
	}
	return s->i - start > 18 ? -EINVAL : 0;
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return memcmp(x->p, y->p, x->n);
}

static int value(struct sk *s, unsigned depth);

/* An object at s->i; top (may be NULL) receives its members. */
static int object(struct sk *s, unsigned depth, struct skim_member *top, size_t max, size_t *ntop)
{
	size_t base = s->nkeys;
	s->i++;
	ws(s);
	if (s->i < s->n && s->b[s->i] == '}') {
		s->i++;
		return 0;
	}
	for (;;) {
		if (s->i >= s->n || s->b[s->i] != '"')
			return -EINVAL;
		size_t k = s->i;
		bool esc = false;
		if (string(s, &esc) < 0 || esc)
			return -EINVAL;
		size_t klen = s->i - k - 2;
		if (s->nkeys == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			struct span *nk =
			    cap < ((size_t)1 << 24) ? realloc(s->keys, cap * sizeof(*nk)) : NULL;
			if (!nk)
				return -ENOMEM;
			s->keys = nk;
			s->cap = cap;
		}
		s->keys[s->nkeys++] = (struct span){s->b + k + 1, klen};
		ws(s);
		if (s->i >= s->n || s->b[s->i] != ':')
			return -EINVAL;
		s->i++;
		ws(s);
		size_t v = s->i;
		int r = value(s, depth + 1);
		if (r < 0)
			return r;
		if (top) {
			if (*ntop == max)
				return -E2BIG;
			top[(*ntop)++] =
			    (struct skim_member){(const char *)s->b + k + 1, klen, v, s->i - v};
		}
		ws(s);
		if (s->i < s->n && s->b[s->i] == ',') {
			s->i++;
			ws(s);
			continue;
		}
		if (s->i >= s->n || s->b[s->i] != '}')
			return -EINVAL;
		s->i++;
		break;
	}
	size_t nk = s->nkeys - base;
	if (nk > 1) {
		qsort(s->keys + base, nk, sizeof(*s->keys), cmp_span);
		for (size_t j = base + 1; j < s->nkeys; j++)
			if (cmp_span(&s->keys[j - 1], &s->keys[j]) == 0)
				return -EINVAL;
	}
	s->nkeys = base;
	return 0;
}

static int literal(struct sk *s, const char *word)
{
	size_t l = strlen(word);
	if (s->n - s->i < l || memcmp(s->b + s->i, word, l) != 0)
		return -EINVAL;
	s->i += l;
	return 0;
}

static int value(struct sk *s, unsigned depth)
{
	if (depth > SKIM_MAX_DEPTH || s->i >= s->n)
		return -EINVAL;
	bool esc = false;
	switch (s->b[s->i]) {
	case '{':
		return object(s, depth, NULL, 0, NULL);
	case '[':
		s->i++;
		ws(s);
		if (s->i < s->n && s->b[s->i] == ']') {
			s->i++;
			return 0;
		}
		for (;;) {
			int r = value(s, depth + 1);
			if (r < 0)
				return r;
			ws(s);
			if (s->i < s->n && s->b[s->i] == ',') {
				s->i++;
				ws(s);
				continue;
			}
			if (s->i >= s->n || s->b[s->i] != ']')
				return -EINVAL;
			s->i++;
			return 0;
		}
	case '"':
		return string(s, &esc);
	case 't':
		return literal(s, "true");
	case 'f':
		return literal(s, "false");
	case 'n':
		return literal(s, "null");
	default:
		return number(s);
	}
}

int skim_object(const char *buf, size_t len, struct skim_member *out, size_t max)
{
	struct sk s = {(const unsigned char *)buf, len, 0, NULL, 0, 0};
	size_t n = 0;
	ws(&s);
	int r = s.i < s.n && s.b[s.i] == '{' ? object(&s, 1, out, max, &n) : -EINVAL;
	if (r == 0) {
		ws(&s);
		if (s.i != s.n)
			r = -EINVAL;
	}
	free(s.keys);
	return r < 0 ? r : (int)n;
}

int skim_array_next(const char *buf, size_t len, size_t *pos, size_t *off, size_t *elen)
{
	struct sk s = {(const unsigned char *)buf, len, *pos, NULL, 0, 0};
	ws(&s);
	if (s.i >= s.n)
		return -EINVAL;
	if (*pos == 0) {
		if (s.b[s.i] != '[')
			return -EINVAL;
		s.i++;
		ws(&s);
		if (s.i < s.n && s.b[s.i] == ']')
			return 0;
	} else if (s.b[s.i] == ',') {
		s.i++;
		ws(&s);
	} else {
		return s.b[s.i] == ']' ? 0 : -EINVAL;
	}
	size_t v = s.i;
	int r = value(&s, 1);
	free(s.keys);
	if (r < 0)
		return r;
	*off = v;
	*elen = s.i - v;
	*pos = s.i;
	return 1;
}

/* ---- text skim_object has checked ---- */

static size_t skip_ws(const char *b, size_t n, size_t i)
{
	while (i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'))
		i++;
	return i;
}

/* The end of the string at b[i] (its opening quote). */
static size_t skip_string(const char *b, size_t n, size_t i)
{
	for (i++; i < n;) {
		const char *q = memchr(b + i, '"', n - i);
		if (!q)
			return n;
		size_t e = (size_t)(q - b), bs = 0;
		while (e - bs > i && b[e - bs - 1] == '\\')
			bs++;
		if (bs % 2 == 0)
			return e + 1;
		i = e + 1;
	}
	return n;
}

/* The end of the value at b[i]: strings and nesting only, no checks. */
static size_t skip_value(const char *b, size_t n, size_t i)
{
	static const unsigned char stop[256] = {
	    ['"'] = 1, ['{'] = 2, ['['] = 2, ['}'] = 3, [']'] = 3};
	static const unsigned char end[256] = {
	    [','] = 1, ['}'] = 1, [']'] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1};
	if (i >= n)
		return n;
	if (b[i] == '"')
		return skip_string(b, n, i);
	if (b[i] != '{' && b[i] != '[') {
		while (i < n && !end[(unsigned char)b[i]])
			i++;
		return i;
	}
	size_t depth = 0;
	while (i < n) {
		unsigned char k = stop[(unsigned char)b[i]];
		if (!k) {
			i++;
			continue;
		}
		if (k == 1) {
			i = skip_string(b, n, i);
			continue;
		}
		if (k == 2)
			depth++;
		else if (--depth == 0)
			return i + 1;
		i++;
	}
	return n;
}

int skim_object_checked(const char *buf, size_t len, struct skim_member *out, size_t max)
{
	size_t i = skip_ws(buf, len, 0), n = 0;
	if (i >= len || buf[i] != '{')
		return -EINVAL;
	i = skip_ws(buf, len, i + 1);
	while (i < len && buf[i] == '"') {
		size_t k = i;
		i = skip_string(buf, len, i);
		size_t klen = i - k - 2;
		i = skip_ws(buf, len, i);
		if (i >= len || buf[i] != ':')
			return -EINVAL;
		i = skip_ws(buf, len, i + 1);
		size_t v = i;
		i = skip_value(buf, len, i);
		if (n == max)
			return -E2BIG;
		out[n++] = (struct skim_member){buf + k + 1, klen, v, i - v};
		i = skip_ws(buf, len, i);
		if (i < len && buf[i] == ',')
			i = skip_ws(buf, len, i + 1);
	}
	return i < len && buf[i] == '}' ? (int)n : -EINVAL;
}

int skim_array_next_checked(const char *buf, size_t len, size_t *pos, size_t *off, size_t *elen)
{
	size_t i = skip_ws(buf, len, *pos);
	if (i >= len)
		return -EINVAL;
	if (*pos == 0) {
		if (buf[i] != '[')
			return -EINVAL;
		i = skip_ws(buf, len, i + 1);
		if (i < len && buf[i] == ']')
			return 0;
	} else if (buf[i] == ',') {
		i = skip_ws(buf, len, i + 1);
	} else {
		return buf[i] == ']' ? 0 : -EINVAL;
	}
	if (i >= len)
		return -EINVAL;
	*off = i;
	*pos = skip_value(buf, len, i);
	*elen = *pos - i;
	return 1;
}
