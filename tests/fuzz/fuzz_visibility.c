/* fuzz_visibility.c - libFuzzer target: the mountinfo parser and the
 * /proc mount options check on hostile bytes. */
#include <stdint.h>
#include "probes/read/visibility.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *ud, const struct mount_entry *m)
{
	(*(size_t *)ud) += proc_opts_hide(m->superopts) + (m->point[0] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	mountinfo_parse((const char *)data, size, count, &n);
	return 0;
}
