/* utf8.h - UTF-8 decoding and display width, for every floor that lays
 * text out in columns (the text renderer, `tenken rules`). */
#ifndef TENKEN_LIB_UTF8_H
#define TENKEN_LIB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at s (1-4) and its code point, or 0
 * if the bytes there are not one (overlong, surrogate, > U+10FFFF, cut). */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Terminal columns taken by UTF-8 text [s, s+n): East Asian Wide and
 * Fullwidth characters count 2, combining marks and zero-width
 * characters 0, everything else 1 (Ambiguous counts 1, as in a non-CJK
 * locale). Independent of the process locale. */
size_t utf8_width(const char *s, size_t n);

#endif
