/* fuzz_skim.c - libFuzzer target: hostile bytes through skim_object
 * (store/skim.c), with jansson as the oracle: whatever skim vouches for,
 * json_loadb with JSON_REJECT_DUPLICATES must accept too, with the same
 * top-level keys; and every array member walks to its end. Built and run
 * by `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "report/diff.h"
#include "store/skim.h"
#include "store/store_int.h"

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
		const char *v = (const char *)data + m[i].off;
		if (v[0] == '[') {
			size_t pos = 0, off, el, count = 0, pos2 = 0, off2, el2;
			int r, r2;
			/* the walker for checked text finds the same elements */
			while ((r = skim_array_next(v, m[i].len, &pos, &off, &el)) > 0) {
				r2 = skim_array_next_checked(v, m[i].len, &pos2, &off2, &el2);
				if (r2 != 1 || off2 != off || el2 != el)
					abort();
				count++;
			}
			if (r < 0 || count != json_array_size(want) ||
			    skim_array_next_checked(v, m[i].len, &pos2, &off2, &el2) != 0)
				abort();
			/* and the ingest's package keys are diff's */
			json_t *inv = json_pack("{s:{s:O}}", "inventory", "packages", want);
			json_t *dk = diff_inventory_keys(inv), *pk = NULL;
			if (store_package_keys(v, m[i].len, &pk) < 0 ||
			    !json_equal(pk, json_object_get(dk, "packages")))
				abort();
			json_decref(pk);
			json_decref(dk);
			json_decref(inv);
		} else if (v[0] == '{') {
			struct skim_member a[SKIM_MAX_MEMBERS], b[SKIM_MAX_MEMBERS];
			int k = skim_object(v, m[i].len, a, SKIM_MAX_MEMBERS);
			if (k >= 0 && skim_object_checked(v, m[i].len, b, SKIM_MAX_MEMBERS) != k)
				abort();
			for (int j = 0; j < k; j++)
				if (a[j].off != b[j].off || a[j].len != b[j].len ||
				    a[j].key_len != b[j].key_len)
					abort();
		}
	}
	json_decref(doc);
	return 0;
}
