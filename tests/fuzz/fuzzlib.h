/* fuzzlib.h - what the libFuzzer targets share: the input as the
 * confined reader hands it to a parser (a private, NUL-terminated copy:
 * fsroot_read_file terminates every buffer), and callbacks that accept
 * and drop what a parser reports. Header-only, one per target. */
#ifndef TENKEN_FUZZLIB_H
#define TENKEN_FUZZLIB_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input (free()), as fsroot_read_file gives. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = malloc(size + 1);
	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	p[size] = '\0';
	return p;
}

/* The first byte picks a variant; the rest is the text. */
static inline unsigned fuzz_pick(const uint8_t **data, size_t *size, unsigned n)
{
	if (!*size)
		return 0;
	unsigned v = (*data)[0] % n;
	(*data)++;
	(*size)--;
	return v;
}

static inline void fuzz_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	(void)ud, (void)line;
	if (!ja || !en)
		abort(); /* every message exists in both languages */
}

#endif
