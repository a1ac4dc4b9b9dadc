/* fuzz_elf.c - libFuzzer target: the ELF reader (elf_analyze with and
 * without a libc list, and elf_libc_load) on hostile bytes. libelf may
 * convert headers in place, so each call gets its own writable copy. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probes/read/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *copy_of(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);
	if (p && size)
		memcpy(p, data, size);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_libc *libc = NULL;
	struct elf_info info;
	char *a = copy_of(data, size), *b = copy_of(data, size), *c = copy_of(data, size);
	if (a && b && c) {
		if (elf_libc_load(a, size, &libc) < 0)
			libc = NULL;
		if (elf_analyze(b, size, libc, &info) == 0)
			elf_info_free(&info);
		if (elf_analyze(c, size, NULL, &info) == 0)
			elf_info_free(&info);
	}
	elf_libc_free(libc);
	free(a);
	free(b);
	free(c);
	return 0;
}
