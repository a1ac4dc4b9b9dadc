/* sshwire.c - the SSH wire encoding and base64 (see sshwire.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include "evidence/sshwire.h"

/* No SSH key, signature or armoured file tenken handles comes near it. */
#define WBUF_MAX (1u << 20)

int sshr_raw(struct sshr *r, size_t n, struct sshr *ret)
{
	if (r->len < n)
		return -EBADMSG;
	*ret = (struct sshr){r->p, n};
	r->p += n;
	r->len -= n;
	return 0;
}

int sshr_u32(struct sshr *r, uint32_t *ret)
{
	struct sshr s;
	if (sshr_raw(r, 4, &s) < 0)
		return -EBADMSG;
	*ret = (uint32_t)s.p[0] << 24 | (uint32_t)s.p[1] << 16 | (uint32_t)s.p[2] << 8 | s.p[3];
	return 0;
}

int sshr_string(struct sshr *r, struct sshr *ret)
{
	struct sshr save = *r;
	uint32_t n;
	if (sshr_u32(r, &n) < 0 || sshr_raw(r, n, ret) < 0) {
		*r = save;
		return -EBADMSG;
	}
	return 0;
}

bool sshr_eq(struct sshr a, const char *s)
{
	size_t n = strlen(s);
	return a.len == n && memcmp(a.p, s, n) == 0;
}

int sshr_expect(struct sshr *r, const char *s)
{
	struct sshr v;
	if (sshr_string(r, &v) < 0 || !sshr_eq(v, s))
		return -EBADMSG;
	return 0;
}

int sshr_mpint(struct sshr *r, struct sshr *ret)
{
	struct sshr v;
	if (sshr_string(r, &v) < 0)
		return -EBADMSG;
	if (v.len > 0 && (v.p[0] & 0x80))
		return -EBADMSG; /* negative */
	if (v.len > 1 && v.p[0] == 0 && !(v.p[1] & 0x80))
		return -EBADMSG; /* a leading zero byte it did not need */
	if (v.len > 0 && v.p[0] == 0) {
		v.p++;
		v.len--;
	}
	*ret = v;
	return 0;
}

void wbuf_free(struct wbuf *b)
{
	if (b->p)
		OPENSSL_cleanse(b->p, b->cap);
	free(b->p);
	*b = (struct wbuf){0};
}

int wbuf_put(struct wbuf *b, const void *s, size_t n)
{
	if (b->err)
		return b->err;
	if (n > WBUF_MAX || b->len + n > WBUF_MAX)
		return b->err = -E2BIG;
	if (b->len + n > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc < b->len + n)
			nc *= 2;
		/* Not realloc: the old block may hold key bytes to wipe. */
		uint8_t *np = malloc(nc);
		if (!np)
			return b->err = -ENOMEM;
		if (b->len)
			memcpy(np, b->p, b->len);
		if (b->p)
			OPENSSL_cleanse(b->p, b->cap);
		free(b->p);
		b->p = np;
		b->cap = nc;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

int wbuf_u32(struct wbuf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	return wbuf_put(b, x, 4);
}

int wbuf_string(struct wbuf *b, const void *s, size_t n)
{
	if (n > UINT32_MAX)
		return b->err = -E2BIG;
	wbuf_u32(b, (uint32_t)n);
	return wbuf_put(b, s, n);
}

int wbuf_cstring(struct wbuf *b, const char *s)
{
	return wbuf_string(b, s, strlen(s));
}

int wbuf_mpint(struct wbuf *b, const uint8_t *mag, size_t n)
{
	while (n > 0 && mag[0] == 0) {
		mag++;
		n--;
	}
	bool pad = n > 0 && (mag[0] & 0x80);
	wbuf_u32(b, (uint32_t)(n + pad));
	if (pad)
		wbuf_put(b, "", 1);
	return wbuf_put(b, mag, n);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *b64_encode(const uint8_t *in, size_t n, bool pad)
{
	char *out = malloc(n / 3 * 4 + 5);
	size_t o = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t left = n - i;
		if (left > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		if (left > 1)
			out[o++] = b64[v >> 6 & 63];
		else if (pad)
			out[o++] = '=';
		if (left > 2)
			out[o++] = b64[v & 63];
		else if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

/* Decode the alphabet characters of in (no whitespace, no '='), n of them. */
static int b64_body(const char *in, size_t n, uint8_t *out, size_t *ret_len)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	if (n % 4 == 1)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		int v = b64_value(in[i]);
		if (v < 0)
			return -EBADMSG;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (acc & ((1u << bits) - 1))
		return -EBADMSG; /* bits after the last byte must be zero */
	*ret_len = o;
	return 0;
}

int b64_decode(const char *in, size_t n, uint8_t **ret, size_t *ret_len)
{
	char *clean = malloc(n + 1);
	uint8_t *out = malloc(n / 4 * 3 + 3);
	size_t m = 0, pad = 0;
	int r = clean && out ? 0 : -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		char c = in[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '=')
			pad++;
		else if (pad)
			r = -EBADMSG; /* data after padding */
		else
			clean[m++] = c;
	}
	if (r == 0 && (pad > 2 || (pad && (m + pad) % 4 != 0)))
		r = -EBADMSG;
	if (r == 0)
		r = b64_body(clean, m, out, ret_len);
	free(clean);
	if (r < 0) {
		free(out);
		return r;
	}
	*ret = out;
	return 0;
}
