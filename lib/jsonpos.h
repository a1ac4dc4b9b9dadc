/* jsonpos.h - where a value sits in a JSON text. jansson tells the line
 * and column of a syntax error, but once a document has parsed it keeps
 * no positions; the rule loader still has to say "file:line:column" for
 * an unknown operator or field. This is a small, independent tokenizer
 * that walks the text to the value named by a JSON Pointer (RFC 6901).
 *
 * Ownership: nothing is allocated; buf is borrowed.
 */
#ifndef TENKEN_JSONPOS_H
#define TENKEN_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

struct jsonpos {
	unsigned line;	 /* 1-based */
	unsigned column; /* 1-based, counted in bytes */
};

/* Find where the value at pointer ("" = the whole document,
 * "/rules/3/assert/op") starts in buf[0..len). With want_key and a last
 * token naming an object member, the position of that member's key (its
 * opening quote) instead. Of duplicate keys the first one counts.
 * Returns 0 and fills *ret; -ENOENT if the pointer names nothing;
 * -EINVAL if the text is not valid JSON up to that value or the pointer
 * is malformed. Never reads outside buf. */
int jsonpos_find(const char *buf, size_t len, const char *pointer, bool want_key,
		 struct jsonpos *ret);

/* Line and column of byte offset off in buf (off is clamped to len). */
struct jsonpos jsonpos_of_offset(const char *buf, size_t len, size_t off);

/* Append to out (size n, always NUL-terminated) the pointer token for key,
 * escaped as RFC 6901 says ("~" -> "~0", "/" -> "~1"), preceded by "/".
 * Returns 0, or -ENAMETOOLONG if it did not fit (out is then unchanged). */
int jsonpos_append(char *out, size_t n, const char *key);
/* The same for an array index. */
int jsonpos_append_index(char *out, size_t n, size_t index);

#endif
