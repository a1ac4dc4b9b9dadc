/* fuzz_fwzone.c - libFuzzer target: firewalld zone and service files
 * through expat. */
#include <stdint.h>
#include "probes/parse/fwservice_parse.h"
#include "probes/parse/nft_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwd_zone z;
	struct fwd_service s;
	(void)fwd_zone_parse((const char *)data, size, &z);
	fwd_zone_free(&z);
	(void)fwd_service_parse((const char *)data, size, &s);
	fwd_service_free(&s);
	return 0;
}
