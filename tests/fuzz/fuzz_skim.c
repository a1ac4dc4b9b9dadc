/* fuzz_skim.c - libFuzzer target: hostile bytes through skim_object
 * (store/skim.c), with jansson as the oracle: whatever skim vouches for,
 * json_loadb with JSON_REJECT_DUPLICATES must accept too, with the same
 * top-level keys; and every array member walks to its end. Built and run
 * by `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "store/skim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct skim_member m[SKIM_MAX_MEMBERS];
	int n = skim_object((const char *)data, size, m, SKIM_MAX_MEMBERS);
	if (n < 0)
		return 0;
	json_error_t err;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!doc || json_object_size(doc) != (size_t)n)
		abort();
	for (int i = 0; i < n; i++) {
		char *key = strndup(m[i].key, m[i].key_len);
		json_t *want = key ? json_object_get(doc, key) : NULL;
		json_t *got =
		    json_loadb((const char *)data + m[i].off, m[i].len, JSON_DECODE_ANY, &err);
		if (key && (!want || !got || !json_equal(want, got)))
			abort();
		json_decref(got);
		free(key);
		if (data[m[i].off] == '[') {
			size_t pos = 0, off, el, count = 0;
			int r;
			while ((r = skim_array_next((const char *)data + m[i].off, m[i].len, &pos,
						    &off, &el)) > 0)
				count++;
			if (r < 0 || count != json_array_size(want))
				abort();
		}
	}
	json_decref(doc);
	return 0;
}
