/* util.h - small helpers shared by every module: cleanup attributes, a
 * bounded string buffer, time in RFC 3339, and JSON strings that survive
 * bytes which are not UTF-8.
 *
 * Ownership: functions named *_new or returning char * give the caller a
 * new allocation; free it with free() (or the matching _free). Functions
 * taking const pointers borrow them.
 */
#ifndef TENKEN_UTIL_H
#define TENKEN_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p)
{
	free(*(void **)p);
}
static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

#define _cleanup_(f)	__attribute__((cleanup(f)))
#define _cleanup_free_	_cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
/* For JSON values use jansson's own json_auto_t. */

/* Hand ownership out of a cleanup-scoped variable. */
#define TAKE_PTR(p)                                                                                \
	({                                                                                         \
		__typeof__(p) _tp = (p);                                                           \
		(p) = NULL;                                                                        \
		_tp;                                                                               \
	})
#define TAKE_FD(fd)                                                                                \
	({                                                                                         \
		int _tf = (fd);                                                                    \
		(fd) = -1;                                                                         \
		_tf;                                                                               \
	})

/* A byte buffer holding a file's contents; data is always NUL-terminated
 * one byte past len so text parsers may use string functions, but data may
 * also contain NUL bytes inside len. */
struct buf {
	char *data;
	size_t len;
};
void buf_free(struct buf *b);
static inline void buf_freep(struct buf *b)
{
	buf_free(b);
}
#define _cleanup_buf_ _cleanup_(buf_freep)

/* Growable string with a hard maximum: appends past max fail with -E2BIG
 * and leave the string as it was. */
struct strbuf {
	char *s;
	size_t len, cap, max;
};
void strbuf_init(struct strbuf *sb, size_t max);
int strbuf_append(struct strbuf *sb, const char *s, size_t n);
int strbuf_puts(struct strbuf *sb, const char *s);
int strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (new reference) and resets sb. Never NULL after init. */
char *strbuf_steal(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

/* Line iteration over a buffer: accepts LF and CRLF, a missing final
 * newline, and NUL bytes inside a line (the line is cut at them for C
 * string use but reported via has_nul). lineno starts at 1. */
struct line_iter {
	const char *p, *end;
	unsigned lineno;
};
struct line {
	const char *s; /* not NUL-terminated */
	size_t len;    /* without the newline or CR */
	unsigned lineno;
};
void line_iter_init(struct line_iter *it, const char *buf, size_t len);
bool line_iter_next(struct line_iter *it, struct line *ret);

/* String vectors: NULL-terminated arrays of new strings, the one shape
 * every module uses for lists of names (fsroot_list, fsroot_glob, argv
 * splits, include chains). n counts the strings; a vector may be NULL
 * while empty. strv_free takes NULL. */
void strv_free(char **v);
static inline void strv_freep(char ***v)
{
	strv_free(*v);
}
#define _cleanup_strv_ _cleanup_(strv_freep)
/* Append s (stolen: freed on failure; NULL means its allocation failed)
 * at index *n, keeping the NULL terminator: 0 or -ENOMEM, *v unchanged on
 * failure. Capacity grows geometrically; any vector from malloc works. */
int strv_consume(char ***v, size_t *n, char *s);
/* Append a copy of s[0..len). */
int strv_push_n(char ***v, size_t *n, const char *s, size_t len);
/* Free the strings and the array, and set *v to NULL and *n to 0. */
void strv_clear(char ***v, size_t *n);
/* The number of strings (0 for NULL). */
size_t strv_length(char *const *v);
/* qsort/bsearch comparator of two char * elements, bytewise (strcmp). */
int strv_cmp(const void *a, const void *b);
/* Sort n strings bytewise in place (n may be 0 with v NULL). */
void strv_sort(char **v, size_t n);
/* A vector with its count, for structs that keep lists (v is
 * NULL-terminated, NULL while empty). */
struct strv {
	char **v;
	size_t n;
};
/* Append a copy of s[0..len) / free everything and empty it. */
static inline int strv_add(struct strv *sv, const char *s, size_t len)
{
	return strv_push_n(&sv->v, &sv->n, s, len);
}
static inline void strv_reset(struct strv *sv)
{
	strv_clear(&sv->v, &sv->n);
}
/* A JSON array of the strings (json_str: bytes that are not UTF-8 are
 * escaped). New reference; NULL only on allocation failure. */
json_t *strv_json(char *const *v);

/* Paths: spellings only, no filesystem access (the confined layer,
 * probes/read/fsroot.h, decides what a path names). */
/* Join a directory and a name into a new path ("/etc" + "x" -> "/etc/x";
 * trailing slashes of dir are dropped). NULL on allocation failure. */
char *path_join(const char *dir, const char *name);
/* Lexically clean an absolute path in place: "//" and "." removed, ".."
 * drops the previous component (never above "/"). Only a spelling: when
 * symlinks are involved the kernel's answer may differ, so callers that
 * read through the cleaned path check it names the same file
 * (fsroot_same_file). */
void path_clean(char *path);
/* The last component of path (borrowed from path: after the last '/'). */
const char *path_basename(const char *path);

/* Trim ASCII whitespace from both ends of [s, s+len). */
void str_trim(const char **s, size_t *len);
char *xstrndup(const char *s, size_t n);

/* Room for one more element in a growing array: when n has reached *cap,
 * *v (of elements of size bytes) is reallocated to twice its capacity
 * (first when empty). 0, or -ENOMEM with *v and *cap unchanged. Usage:
 * array_grow((void **)&f->v, &f->cap, f->n, sizeof(*f->v), 16). */
int array_grow(void **v, size_t *cap, size_t n, size_t size, size_t first);
bool str_startswith(const char *s, const char *prefix);
/* Parse a whole decimal integer; -EINVAL on junk, -ERANGE on overflow. */
int parse_long(const char *s, long *ret);
int parse_long_n(const char *s, size_t n, long *ret);

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void time_rfc3339(time_t t, char out[static 21]);
/* Parse RFC 3339 ("2026-03-01T08:12:00Z", "+09:00" offsets, fraction
 * ignored, or a bare date "2026-03-01" meaning midnight UTC). */
int time_parse_rfc3339(const char *s, time_t *ret);
/* Whole days from `from` to `to` (floor); negative if to < from. */
long days_between(time_t from, time_t to);
/* Monotonic milliseconds, for durations. */
int64_t mono_ms(void);

/* JSON string from arbitrary bytes: valid UTF-8 is kept, every invalid
 * byte becomes the text "\xNN", and NUL bytes become "\x00". Never NULL
 * except on allocation failure. New reference. */
json_t *json_bytes(const char *s, size_t n);
static inline json_t *json_str(const char *s)
{
	return s ? json_bytes(s, strlen(s)) : json_null();
}
/* Set key to value (stolen), ignoring NULL value allocation failures is
 * not allowed: returns -ENOMEM. */
int json_set(json_t *obj, const char *key, json_t *value);
/* Sort an array of strings bytewise in place, dropping repeats when unique
 * (non-strings sort as ""): 0 or -ENOMEM. */
int json_str_array_sort(json_t *arr, bool unique);
/* The same into a new array (new reference; NULL on allocation failure). */
json_t *json_str_array_sorted(const json_t *arr, bool unique);
/* Octal mode string "0640" (new reference). */
json_t *json_mode(unsigned mode);
/* Sort a JSON array of objects by the string/integer value at key, then by
 * the whole serialised object for a total, deterministic order. With key
 * NULL, sort an array of strings or integers by the values themselves. */
void json_array_sort_by(json_t *arr, const char *key);

#endif
