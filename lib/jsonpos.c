/* jsonpos.c - find the line and column of a value named by a JSON Pointer
 * in a JSON text, so the rule loader can point at the offending value.
 *
 * The tokenizer is deliberately small and lenient: the loader only asks
 * about texts jansson has already accepted, but it must still never read
 * past the buffer or loop on any input (it is fuzzed with garbage).
 * Containers are skipped with a counter, not recursion; recursion follows
 * only the pointer's tokens, which the loader writes itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/jsonpos.h"

/* Longest key or pointer token compared; longer keys never match. */
#define JSONPOS_KEY_MAX 512

struct scan {
	const char *buf;
	size_t len, pos;
};

static void skip_ws(struct scan *s)
{
	while (s->pos < s->len) {
		char c = s->buf[s->pos];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return;
		s->pos++;
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read the 4 hex digits after "\u" at s->pos; -1 if malformed. */
static long read_u4(struct scan *s)
{
	long v = 0;

	if (s->len - s->pos < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = hexval(s->buf[s->pos + i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	s->pos += 4;
	return v;
}

struct keybuf {
	char s[JSONPOS_KEY_MAX];
	size_t len;
	bool fits; /* false once something could not be stored */
};

static void key_put(struct keybuf *k, const char *p, size_t n)
{
	if (!k->fits || n >= sizeof(k->s) - k->len) {
		k->fits = false;
		return;
	}
	memcpy(k->s + k->len, p, n);
	k->len += n;
	k->s[k->len] = '\0';
}

static void key_put_cp(struct keybuf *k, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp == 0) { /* a NUL inside a key never equals a pointer token */
		k->fits = false;
		return;
	}
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	key_put(k, u, n);
}

/* A \uXXXX escape (s->pos just past the 'u'), joining surrogate pairs. */
static int read_unicode_escape(struct scan *s, struct keybuf *k)
{
	long hi = read_u4(s);

	if (hi < 0)
		return -EINVAL;
	if (hi >= 0xd800 && hi < 0xdc00 && s->len - s->pos >= 6 && s->buf[s->pos] == '\\' &&
	    s->buf[s->pos + 1] == 'u') {
		s->pos += 2;
		long lo = read_u4(s);
		if (lo < 0xdc00 || lo > 0xdfff)
			return -EINVAL;
		key_put_cp(k, 0x10000 + (((unsigned long)hi - 0xd800) << 10) +
				  ((unsigned long)lo - 0xdc00));
		return 0;
	}
	key_put_cp(k, (unsigned long)hi);
	return 0;
}

static int read_escape(struct scan *s, struct keybuf *k)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	char c;
	const char *p;

	if (s->pos >= s->len)
		return -EINVAL;
	c = s->buf[s->pos++];
	if (c == 'u')
		return read_unicode_escape(s, k);
	p = c ? strchr(from, c) : NULL;
	if (!p)
		return -EINVAL;
	key_put(k, &to[p - from], 1);
	return 0;
}

/* Read the string at s->pos (which is a '"'), decoding it into k when k
 * is not NULL. */
static int read_string(struct scan *s, struct keybuf *k)
{
	struct keybuf dummy;

	if (!k)
		k = &dummy;
	k->len = 0;
	k->s[0] = '\0';
	k->fits = true;
	s->pos++;
	while (s->pos < s->len) {
		unsigned char c = (unsigned char)s->buf[s->pos];
		if (c == '"') {
			s->pos++;
			return 0;
		}
		if (c < 0x20)
			return -EINVAL;
		s->pos++;
		if (c == '\\') {
			int r = read_escape(s, k);
			if (r < 0)
				return r;
			continue;
		}
		key_put(k, (const char *)&c, 1);
	}
	return -EINVAL;
}

static bool is_scalar_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '-' || c == '.';
}

/* Skip one whole value, containers included, without recursion. */
static int skip_value(struct scan *s)
{
	size_t depth = 0;

	for (;;) {
		skip_ws(s);
		if (s->pos >= s->len)
			return -EINVAL;
		char c = s->buf[s->pos];
		if (c == '"') {
			int r = read_string(s, NULL);
			if (r < 0)
				return r;
		} else if (c == '{' || c == '[') {
			depth++;
			s->pos++;
			continue;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return -EINVAL;
			depth--;
			s->pos++;
		} else if ((c == ',' || c == ':') && depth > 0) {
			s->pos++;
			continue;
		} else {
			size_t start = s->pos;
			while (s->pos < s->len && is_scalar_char(s->buf[s->pos]))
				s->pos++;
			if (s->pos == start)
				return -EINVAL;
		}
		if (depth == 0)
			return 0;
	}
}

/* After a member or element: step over "," or stop at the closer. Returns
 * 1 at the closer, 0 after a comma. */
static int next_item(struct scan *s, char closer)
{
	skip_ws(s);
	if (s->pos >= s->len)
		return -EINVAL;
	if (s->buf[s->pos] == closer)
		return 1;
	if (s->buf[s->pos] != ',')
		return -EINVAL;
	s->pos++;
	return 0;
}

static int find(struct scan *s, const char *ptr, bool want_key, size_t *ret_off);

static int find_member(struct scan *s, const char *key, const char *rest, bool want_key,
		       size_t *ret_off)
{
	struct keybuf k;
	int r;

	s->pos++; /* '{' */
	skip_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == '}')
		return -ENOENT;
	for (;;) {
		skip_ws(s);
		if (s->pos >= s->len || s->buf[s->pos] != '"')
			return -EINVAL;
		size_t key_off = s->pos;
		r = read_string(s, &k);
		if (r < 0)
			return r;
		skip_ws(s);
		if (s->pos >= s->len || s->buf[s->pos] != ':')
			return -EINVAL;
		s->pos++;
		if (k.fits && strcmp(k.s, key) == 0) {
			if (*rest == '\0' && want_key) {
				*ret_off = key_off;
				return 0;
			}
			return find(s, rest, want_key, ret_off);
		}
		r = skip_value(s);
		if (r < 0)
			return r;
		r = next_item(s, '}');
		if (r != 0)
			return r < 0 ? r : -ENOENT;
	}
}

/* RFC 6901 array index: "0" or digits without a leading zero. */
static int parse_index(const char *tok, size_t *ret)
{
	size_t v = 0;

	if (!*tok || (tok[0] == '0' && tok[1]))
		return -ENOENT;
	for (const char *p = tok; *p; p++) {
		if (*p < '0' || *p > '9' || v > (SIZE_MAX - 9) / 10)
			return -ENOENT;
		v = v * 10 + (size_t)(*p - '0');
	}
	*ret = v;
	return 0;
}

static int find_element(struct scan *s, const char *tok, const char *rest, bool want_key,
			size_t *ret_off)
{
	size_t want, i = 0;
	int r = parse_index(tok, &want);

	if (r < 0)
		return r;
	s->pos++; /* '[' */
	skip_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == ']')
		return -ENOENT;
	for (;; i++) {
		if (i == want)
			return find(s, rest, want_key, ret_off);
		r = skip_value(s);
		if (r < 0)
			return r;
		r = next_item(s, ']');
		if (r != 0)
			return r < 0 ? r : -ENOENT;
	}
}

/* Decode the pointer token at tok (up to '/' or the end) into out. */
static int decode_token(const char *tok, size_t n, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = tok[i];
		if (c == '~') {
			if (i + 1 >= n || (tok[i + 1] != '0' && tok[i + 1] != '1'))
				return -EINVAL;
			c = tok[++i] == '0' ? '~' : '/';
		}
		if (o + 1 >= outsz)
			return -ENOENT;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

static int find(struct scan *s, const char *ptr, bool want_key, size_t *ret_off)
{
	char tok[JSONPOS_KEY_MAX];
	const char *end;
	int r;

	skip_ws(s);
	if (s->pos >= s->len)
		return -EINVAL;
	if (*ptr == '\0') {
		*ret_off = s->pos;
		return 0;
	}
	if (*ptr != '/')
		return -EINVAL;
	end = strchrnul(ptr + 1, '/');
	r = decode_token(ptr + 1, (size_t)(end - ptr - 1), tok, sizeof(tok));
	if (r < 0)
		return r;
	if (s->buf[s->pos] == '{')
		return find_member(s, tok, end, want_key, ret_off);
	if (s->buf[s->pos] == '[')
		return find_element(s, tok, end, want_key, ret_off);
	return -ENOENT;
}

struct jsonpos jsonpos_of_offset(const char *buf, size_t len, size_t off)
{
	struct jsonpos p = {1, 1};
	size_t line_start = 0;

	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			p.line++;
			line_start = i + 1;
		}
	}
	p.column = (unsigned)(off - line_start + 1);
	return p;
}

int jsonpos_find(const char *buf, size_t len, const char *pointer, bool want_key,
		 struct jsonpos *ret)
{
	struct scan s = {.buf = buf, .len = len, .pos = 0};
	size_t off = 0;
	int r;

	if (!buf || !pointer)
		return -EINVAL;
	/* A UTF-8 byte order mark is not JSON, but editors write it. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		s.pos = 3;
	r = find(&s, pointer, want_key, &off);
	if (r < 0)
		return r;
	*ret = jsonpos_of_offset(buf, len, off);
	return 0;
}

int jsonpos_append(char *out, size_t n, const char *key)
{
	size_t len = strnlen(out, n), o;

	if (len >= n)
		return -ENAMETOOLONG;
	o = len;
	if (o + 1 >= n)
		return -ENAMETOOLONG;
	out[o++] = '/';
	for (const char *p = key; *p; p++) {
		size_t need = (*p == '~' || *p == '/') ? 2 : 1;
		if (o + need >= n) {
			out[len] = '\0';
			return -ENAMETOOLONG;
		}
		if (need == 2) {
			out[o++] = '~';
			out[o++] = *p == '~' ? '0' : '1';
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
	return 0;
}

int jsonpos_append_index(char *out, size_t n, size_t index)
{
	char num[24];

	snprintf(num, sizeof(num), "%zu", index);
	return jsonpos_append(out, n, num);
}
