/* skim.h - the top-level members of a report without building the parts
 * the store does not keep. jansson builds a tree of every value; a
 * report's "inventory" (packages, accounts, units...) is most of its bytes
 * and none of the store's columns. skim_object checks the whole text
 * (strings, escapes, UTF-8, numbers, nesting, duplicate keys) and tells
 * where each top-level member's value is, so only the members wanted are
 * handed to jansson.
 *
 * It never accepts what jansson (json_loadb with JSON_REJECT_DUPLICATES)
 * refuses: it is stricter where checking would be costly (a key with an
 * escape, a very long number, nesting deeper than SKIM_MAX_DEPTH) and the
 * caller then parses the whole text with jansson, which also says where a
 * corrupt file goes wrong.
 *
 * Ownership: nothing is kept; spans point into buf.
 */
#ifndef TENKEN_STORE_SKIM_H
#define TENKEN_STORE_SKIM_H

#include <stddef.h>

#define SKIM_MAX_DEPTH	 64
#define SKIM_MAX_MEMBERS 64

struct skim_member {
	const char *key; /* not NUL-terminated, no escapes */
	size_t key_len;
	size_t off, len; /* the value: buf[off, off+len) */
};

/* buf is one JSON object: its members in order into out (max of them),
 * and their number; -EINVAL if the text is not one, or not one skim can
 * vouch for; -E2BIG with more than max members; -ENOMEM. */
int skim_object(const char *buf, size_t len, struct skim_member *out, size_t max);

/* The elements of an array that skim_object has checked (buf[0, len) is
 * the array's text): from *pos (0 to start), 1 and the next element's
 * span, 0 after the last, -EINVAL, -ENOMEM. */
int skim_array_next(const char *buf, size_t len, size_t *pos, size_t *off, size_t *elen);

/* The same two for text skim_object has already checked (a member's or
 * element's value of it): spans only, found by following strings and
 * nesting, without checking the text again. */
int skim_object_checked(const char *buf, size_t len, struct skim_member *out, size_t max);
int skim_array_next_checked(const char *buf, size_t len, size_t *pos, size_t *off, size_t *elen);

#endif
