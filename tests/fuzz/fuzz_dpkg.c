/* fuzz_dpkg.c - libFuzzer target: dpkg's status file and its diversions
 * file on hostile bytes. */
#include <stdint.h>
#include "probes/dpkg_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(const struct dpkg_diversion *d, void *userdata)
{
	(void)d;
	(*(size_t *)userdata)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct dpkg_status st;
	size_t n = 0;
	if (dpkg_status_parse(buf, size, &st, NULL, NULL) == 0)
		dpkg_status_free(&st);
	dpkg_diversions_parse(buf, size, count, NULL, &n);
	return 0;
}
