/* sshwire.h - the SSH wire encoding (RFC 4251 section 5: uint32, string,
 * mpint) and base64, as OpenSSH's key and signature files use them. Pure
 * functions over memory: no I/O, no allocation beyond the writer's
 * buffer. Every reader is bounded by the input's length, which is hostile.
 *
 * Ownership: readers return spans borrowed from the input; a wbuf owns its
 * bytes (wbuf_free wipes them, since signing puts private key fields
 * through it).
 */
#ifndef TENKEN_SSHWIRE_H
#define TENKEN_SSHWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A read cursor over borrowed bytes. */
struct sshr {
	const uint8_t *p;
	size_t len;
};

/* Each returns 0, or -EBADMSG when the input is too short. */
int sshr_u32(struct sshr *r, uint32_t *ret);
int sshr_string(struct sshr *r, struct sshr *ret); /* the string's bytes */
/* The next string equals s exactly: 0, or -EBADMSG. */
int sshr_expect(struct sshr *r, const char *s);
/* An mpint that must be positive or zero (no sign bit, no needless
 * leading zero byte): its magnitude, big-endian, without the 0 pad. */
int sshr_mpint(struct sshr *r, struct sshr *ret);
int sshr_raw(struct sshr *r, size_t n, struct sshr *ret);
bool sshr_eq(struct sshr a, const char *s);

/* A growable byte buffer with a hard maximum (every output here is small). */
struct wbuf {
	uint8_t *p;
	size_t len, cap;
	int err; /* the first error: later appends do nothing */
};
void wbuf_free(struct wbuf *b); /* wipes, then frees */
int wbuf_put(struct wbuf *b, const void *s, size_t n);
int wbuf_u32(struct wbuf *b, uint32_t v);
int wbuf_string(struct wbuf *b, const void *s, size_t n);
int wbuf_cstring(struct wbuf *b, const char *s);
/* A non-negative integer given as big-endian magnitude bytes. */
int wbuf_mpint(struct wbuf *b, const uint8_t *mag, size_t n);

/* Standard base64 (RFC 4648) with padding. New string or NULL. */
char *b64_encode(const uint8_t *in, size_t n, bool pad);
/* Decode, skipping ASCII whitespace; strict: wrong padding, a character
 * outside the alphabet, or non-zero bits after the last byte are
 * -EBADMSG. *ret is a new buffer (free it), *ret_len its length. */
int b64_decode(const char *in, size_t n, uint8_t **ret, size_t *ret_len);

#endif
