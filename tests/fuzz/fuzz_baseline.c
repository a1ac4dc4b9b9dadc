/* fuzz_baseline.c - libFuzzer target: a user's baseline file, from the
 * JSON syntax through every semantic check; every refusal must carry a
 * position. */
#include <stdint.h>
#include <stdlib.h>
#include "engine/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset *rs = NULL;
	struct diag d = {0};
	if (ruleset_load_mem("fuzz.json", (const char *)data, size, NULL, &rs, &d) == 0)
		ruleset_free(rs);
	else if (d.line == 0 && d.msg[0] == '\0')
		abort(); /* a refusal without a reason */
	return 0;
}
