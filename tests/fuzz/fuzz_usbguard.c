/* fuzz_usbguard.c - libFuzzer target: USBGuard rule lines (parser,
 * printer, storage questions, the decision for a device) on hostile
 * bytes; a printed rule must parse again to the same text. The raw input
 * is also hashed as a device's descriptors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/usbguard_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *ifs[] = {"03:01:01", "08:06:50", "*:*:*", "08"};
static const struct ug_device dev = {"1234:5678", "KWS0001", "Name", "H", "P",
				     "1-4",	  "",	     ifs,    4,	  true};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char h[UG_HASH_LEN];
	const struct ug_hash_input in = {"n", "1d6b", "0002", NULL, data, size};
	(void)ug_device_hash(&in, h);
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		struct ug_rule r, again;
		if (ug_rule_parse(p, n, &r, NULL) == 0) {
			char *text = ug_rule_format(&r);
			(void)ug_rule_may_match_storage(&r);
			(void)ug_rule_matches_all_storage(&r);
			(void)ug_rule_applies(&r, &dev);
			if (text && ug_rule_parse(text, strlen(text), &again, NULL) == 0) {
				char *text2 = ug_rule_format(&again);
				if (text2 && strcmp(text, text2))
					abort();
				free(text2);
				ug_rule_free(&again);
			}
			free(text);
			ug_rule_free(&r);
		}
		p += n + 1;
	}
	return 0;
}
