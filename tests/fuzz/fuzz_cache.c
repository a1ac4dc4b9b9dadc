/* fuzz_cache.c - libFuzzer target: the cache file of --cache-dir
 * (scanner/cache.c, cache_parse), which a scan reads back from a
 * directory that may have been tampered with. The first byte picks:
 *   0  the bytes as the file holds them (header, JSON body, blobs);
 *   1  the same with the header's SHA-256 and lengths made to match the
 *      body, so the JSON and the item checks behind the hash are reached
 *      (otherwise nearly every input stops at the hash).
 * On success every binary item's [offset, length] is read from the
 * bytes, as the loader does: an item pointing outside the file is a bug
 * ASan reports. Seeds: tests/fuzz/seeds/cache-*.cache, real cache files
 * (tests/e2e/cache.sh shows how one is made). */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include "scanner/cache.h"
#include "tests/fuzz/fuzzlib.h"

/* Parse data for root; on success touch every blob byte. */
static void parse(const char *data, size_t len, const char *root)
{
	json_t *items = NULL;
	size_t off = 0, blen = 0;
	if (cache_parse(data, len, root, &items, &off, &blen) < 0)
		return;
	if (off > len || blen > len - off)
		abort(); /* the blob area lies outside the file */
	const char *k;
	json_t *v;
	volatile unsigned char sum = 0;
	json_object_foreach(items, k, v) {
		json_t *b = json_object_get(json_object_get(v, "v"), "blob");
		if (!b)
			continue;
		size_t o = (size_t)json_integer_value(json_array_get(b, 0));
		size_t n = (size_t)json_integer_value(json_array_get(b, 1));
		for (size_t i = 0; i < n; i++)
			sum += (unsigned char)data[off + o + i];
	}
	json_decref(items);
}

/* data with its header rewritten to match its body (new buffer, *ret_len). */
static char *rehash(const char *data, size_t len, size_t *ret_len)
{
	const char *nl = memchr(data, '\n', len < 256 ? len : 256);
	const char *body = nl ? nl + 1 : data;
	size_t have = len - (size_t)(body - data);
	unsigned long long jlen = have;
	unsigned format;
	char hex[65];
	if (nl) { /* keep the header's JSON length when it fits */
		char head[257];
		snprintf(head, sizeof(head), "%.*s", (int)(nl - data), data);
		if (sscanf(head, "tenken-cache %u %64s %llu", &format, hex, &jlen) != 3 ||
		    jlen > have)
			jlen = have;
	}
	unsigned char d[32];
	unsigned dn = 0;
	if (!EVP_Digest(body, have, d, &dn, EVP_sha256(), NULL) || dn != 32)
		abort();
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	char head[160];
	int hn = snprintf(head, sizeof(head), "tenken-cache %u %s %llu %llu\n", CACHE_FORMAT, hex,
			  jlen, (unsigned long long)(have - jlen));
	char *out = malloc((size_t)hn + have + 1);
	if (!out)
		abort();
	memcpy(out, head, (size_t)hn);
	if (have)
		memcpy(out + hn, body, have);
	out[(size_t)hn + have] = '\0';
	*ret_len = (size_t)hn + have;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned v = fuzz_pick(&data, &size, 2);
	char *s = fuzz_copy(data, size);
	size_t len = size;
	if (v == 1) {
		char *t = rehash(s, size, &len);
		free(s);
		s = t;
	}
	/* the root the file names, so the item checks are reached */
	const char *nl = memchr(s, '\n', len < 256 ? len : 256);
	json_t *j =
	    nl ? json_loadb(nl + 1, len - (size_t)(nl + 1 - s), JSON_DISABLE_EOF_CHECK, NULL)
	       : NULL;
	const char *root = json_string_value(json_object_get(j, "root"));
	parse(s, len, root ? root : "/");
	json_decref(j);
	free(s);
	return 0;
}
