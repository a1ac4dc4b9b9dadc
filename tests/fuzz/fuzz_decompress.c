/* fuzz_decompress.c - libFuzzer target: gzip, xz, lz4 and zstd streams
 * (package lists, rotated logs) through the bounded decoder; output is
 * capped low so a bomb is cut, never decoded whole. */
#include "probes/read/decompress.h"
#include "lib/util.h"
#include "tests/fuzz/fuzzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum comp c = comp_sniff(data, size);
	const enum comp all[] = {c, COMP_GZIP, COMP_XZ, COMP_LZ4, COMP_ZSTD};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!comp_supported(all[i]))
			continue;
		struct buf out = {0};
		if (decompress_mem(all[i], data, size, 1u << 20, &out) == 0)
			buf_free(&out);
		/* The streaming reader, in small pieces. */
		struct decomp *d = NULL;
		if (decomp_open_mem(all[i], data, size, 1u << 20, &d) == 0) {
			char piece[4096];
			size_t n;
			while (decomp_read(d, piece, sizeof(piece), &n) == 0 && n > 0)
				;
			decomp_free(d);
		}
	}
	return 0;
}
