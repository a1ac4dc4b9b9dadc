/* fuzz_fwzone.c - libFuzzer target: firewalld zone files through expat. */
#include <stdint.h>
#include "probes/parse/nft_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwd_zone z;
	(void)fwd_zone_parse((const char *)data, size, &z);
	fwd_zone_free(&z);
	return 0;
}
