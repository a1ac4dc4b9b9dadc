/* test_decompress.c - the bounded decoders: files made by the real gzip,
 * xz, lz4, zstd and bzip2 tools (tests/fixtures/unit-packages/compress, see
 * make.sh there), concatenated members and frames, every truncation of
 * every codec, trailing garbage, byte flips (no crash; run under ASan by
 * `make check`), decompression bombs and an xz header asking for 1.5 GiB
 * of memory. Runs from the repository root, as tests/run.sh does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "probes/read/decompress.h"
#include "lib/limits.h"
#include "lib/util.h"

#define DIR "tests/fixtures/unit-packages/compress/"

static struct buf slurp(const char *path)
{
	struct buf b = {0};
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		b.data = realloc(b.data, b.len + n + 1);
		assert_non_null(b.data);
		memcpy(b.data + b.len, chunk, n);
		b.len += n;
	}
	fclose(f);
	if (!b.data)
		b.data = calloc(1, 1);
	b.data[b.len] = '\0';
	return b;
}

/* ---- names and magic ---- */

static void test_names(void **state)
{
	static const struct {
		const char *name;
		enum comp c;
	} cases[] = {
	    {"x_Packages", COMP_NONE},
	    {"x_Packages.gz", COMP_GZIP},
	    {"x_Packages.xz", COMP_XZ},
	    {"x_Packages.lz4", COMP_LZ4},
	    {"x_Packages.zst", COMP_ZSTD},
	    {"x_Packages.bz2", COMP_BZIP2},
	    {"x.lzma", COMP_LZMA},
	    {".gz", COMP_NONE}, /* nothing before the suffix */
	    {"history.log.1", COMP_NONE},
	    {"history.log.12.gz", COMP_GZIP},
	    {"gz", COMP_NONE},
	    {"x.GZ", COMP_NONE},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(comp_from_name(cases[i].name), cases[i].c);
	assert_string_equal(comp_suffix(COMP_ZSTD), ".zst");
	assert_string_equal(comp_name(COMP_LZ4), "lz4");
	assert_true(comp_supported(COMP_BZIP2));
	assert_true(comp_supported(COMP_XZ));
}

static void test_sniff(void **state)
{
	static const char *const files[] = {"sample.txt.gz",  "sample.txt.xz",	"sample.txt.lz4",
					    "sample.txt.zst", "sample.txt.bz2", "sample.txt"};
	static const enum comp want[] = {COMP_GZIP, COMP_XZ,	COMP_LZ4,
					 COMP_ZSTD, COMP_BZIP2, COMP_NONE};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[256];
		snprintf(path, sizeof(path), DIR "%s", files[i]);
		_cleanup_buf_ struct buf b = slurp(path);
		assert_int_equal(comp_sniff(b.data, b.len), want[i]);
	}
	assert_int_equal(comp_sniff("\x1f", 1), COMP_NONE);
	assert_int_equal(comp_sniff("", 0), COMP_NONE);
}

/* ---- files made by the real tools ---- */

static void check_file(const char *name, enum comp c, bool via_fd)
{
	char path[256];
	snprintf(path, sizeof(path), DIR "%s", name);
	_cleanup_buf_ struct buf want = slurp(DIR "sample.txt");
	_cleanup_buf_ struct buf got = {0};
	int r;
	if (via_fd) {
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(fd >= 0);
		r = decompress_fd(c, fd, LIMIT_COMPRESSED, LIMIT_DECOMPRESSED, &got);
	} else {
		_cleanup_buf_ struct buf in = slurp(path);
		r = decompress_mem(c, in.data, in.len, LIMIT_DECOMPRESSED, &got);
	}
	print_message("%s (%s): %d\n", name, via_fd ? "fd" : "memory", r);
	assert_int_equal(r, 0);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	assert_int_equal(got.data[got.len], '\0');
}

static void test_real_tools(void **state)
{
	static const char *const names[] = {"sample.txt",     "sample.txt.gz",	"sample.txt.xz",
					    "sample.txt.lz4", "sample.txt.zst", "concat.txt.gz",
					    "concat.txt.xz",  "concat.txt.lz4", "concat.txt.zst",
					    "sample.txt.bz2", "concat.txt.bz2"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		check_file(names[i], comp_from_name(names[i]), false);
		check_file(names[i], comp_from_name(names[i]), true);
	}
}

/* bzip2 (rpm-md's sqlite.bz2): every strict prefix of a stream made by the
 * real tool is an error, and so are bytes after it that are not a stream. */
static void test_bzip2_truncation(void **state)
{
	_cleanup_buf_ struct buf in = slurp(DIR "sample.txt.bz2");
	for (size_t cut = 0; cut < in.len; cut += 7) {
		struct buf out = {0};
		assert_int_equal(decompress_mem(COMP_BZIP2, in.data, cut, 1 << 20, &out), -EBADMSG);
		assert_null(out.data);
	}
	in.data = realloc(in.data, in.len + 8);
	assert_non_null(in.data);
	memcpy(in.data + in.len, "garbage!", 8);
	struct buf out = {0};
	assert_int_equal(decompress_mem(COMP_BZIP2, in.data, in.len + 8, 1 << 20, &out), -EBADMSG);
}

/* ---- encoders in-process, for sizes and corruption ---- */

static struct buf encode(enum comp c, const char *in, size_t len)
{
	struct buf b = {0};
	size_t cap = len * 2 + 1024;
	b.data = malloc(cap);
	assert_non_null(b.data);
	switch (c) {
	case COMP_NONE:
		memcpy(b.data, in, len);
		b.len = len;
		break;
	case COMP_GZIP: {
		z_stream z = {0};
		assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
				 Z_OK);
		z.next_in = (Bytef *)(uintptr_t)in;
		z.avail_in = (uInt)len;
		z.next_out = (Bytef *)b.data;
		z.avail_out = (uInt)cap;
		assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
		b.len = z.total_out;
		deflateEnd(&z);
		break;
	}
	case COMP_XZ:
		assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL,
							 (const uint8_t *)in, len,
							 (uint8_t *)b.data, &b.len, cap),
				 LZMA_OK);
		break;
	case COMP_LZ4:
		b.len = LZ4F_compressFrame(b.data, cap, in, len, NULL);
		assert_false(LZ4F_isError(b.len));
		break;
	case COMP_ZSTD:
		b.len = ZSTD_compress(b.data, cap, in, len, 3);
		assert_false(ZSTD_isError(b.len));
		break;
	default:
		fail();
	}
	return b;
}

static const enum comp codecs[] = {COMP_GZIP, COMP_XZ, COMP_LZ4, COMP_ZSTD};

static char *pattern(size_t len)
{
	char *p = malloc(len + 1);
	assert_non_null(p);
	uint32_t x = 12345;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		/* Text-like: compressible but not trivially so. */
		p[i] = (char)("Package: version\n "[(x >> 16) % 18]);
	}
	return p;
}

/* Sizes around the 128 KiB read buffer and the codecs' block sizes, read
 * back through a pipe-less fd (a temporary file) in small and odd chunks. */
static void test_sizes_and_chunks(void **state)
{
	static const size_t sizes[] = {0, 1, 4095, 131072, 131073, 1000003};
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		_cleanup_free_ char *p = pattern(sizes[s]);
		for (size_t k = 0; k < ARRAY_SIZE(codecs); k++) {
			_cleanup_buf_ struct buf enc = encode(codecs[k], p, sizes[s]);
			FILE *f = tmpfile();
			assert_non_null(f);
			assert_int_equal(fwrite(enc.data, 1, enc.len, f), enc.len);
			fflush(f);
			rewind(f);
			_cleanup_decomp_ struct decomp *d = NULL;
			assert_int_equal(decomp_open_fd(codecs[k], fileno(f), LIMIT_COMPRESSED,
							LIMIT_DECOMPRESSED, &d),
					 0);
			size_t off = 0, n;
			char chunk[777];
			while (decomp_read(d, chunk, sizeof(chunk), &n) == 0 && n > 0) {
				assert_true(off + n <= sizes[s]);
				assert_memory_equal(chunk, p + off, n);
				off += n;
			}
			print_message("%s %zu -> %zu\n", comp_name(codecs[k]), sizes[s], off);
			assert_int_equal(off, sizes[s]);
			assert_int_equal(decomp_total(d), sizes[s]);
			fclose(f);
		}
	}
}

/* Every strict prefix of a single member/frame/stream is an error, never a
 * success with less data, and never a crash. */
static void test_truncation(void **state)
{
	_cleanup_free_ char *p = pattern(3000);
	for (size_t k = 0; k < ARRAY_SIZE(codecs); k++) {
		_cleanup_buf_ struct buf enc = encode(codecs[k], p, 3000);
		for (size_t cut = 0; cut < enc.len; cut++) {
			struct buf out = {0};
			int r = decompress_mem(codecs[k], enc.data, cut, 1 << 20, &out);
			if (r != -EBADMSG)
				print_message("%s cut at %zu of %zu: %d\n", comp_name(codecs[k]),
					      cut, enc.len, r);
			assert_int_equal(r, -EBADMSG);
			assert_null(out.data);
		}
	}
}

static void test_trailing_garbage(void **state)
{
	_cleanup_free_ char *p = pattern(500);
	for (size_t k = 0; k < ARRAY_SIZE(codecs); k++) {
		_cleanup_buf_ struct buf enc = encode(codecs[k], p, 500);
		enc.data = realloc(enc.data, enc.len + 16);
		memcpy(enc.data + enc.len, "garbage garbage!", 16);
		struct buf out = {0};
		assert_int_equal(decompress_mem(codecs[k], enc.data, enc.len + 16, 1 << 20, &out),
				 -EBADMSG);
	}
}

/* The wrong decoder for the data is an error, not garbage output. */
static void test_wrong_codec(void **state)
{
	_cleanup_free_ char *p = pattern(500);
	for (size_t k = 0; k < ARRAY_SIZE(codecs); k++) {
		_cleanup_buf_ struct buf enc = encode(codecs[k], p, 500);
		for (size_t j = 0; j < ARRAY_SIZE(codecs); j++) {
			if (j == k)
				continue;
			struct buf out = {0};
			assert_int_equal(
			    decompress_mem(codecs[j], enc.data, enc.len, 1 << 20, &out), -EBADMSG);
		}
	}
}

/* Flip each byte in turn: the decoder may fail or (where a format has no
 * checksum over that byte) produce something, but must stay in bounds. */
static void test_flips(void **state)
{
	_cleanup_free_ char *p = pattern(2000);
	for (size_t k = 0; k < ARRAY_SIZE(codecs); k++) {
		_cleanup_buf_ struct buf enc = encode(codecs[k], p, 2000);
		unsigned failed = 0;
		for (size_t i = 0; i < enc.len; i++) {
			enc.data[i] ^= 0x5a;
			struct buf out = {0};
			int r = decompress_mem(codecs[k], enc.data, enc.len, 4096, &out);
			if (r < 0) {
				failed++;
				assert_null(out.data);
			} else {
				assert_true(out.len <= 4096);
			}
			buf_free(&out);
			enc.data[i] ^= 0x5a;
		}
		print_message("%s: %u of %zu flips refused\n", comp_name(codecs[k]), failed,
			      enc.len);
		assert_true(failed > 0);
	}
}

/* 64 MiB of zeros in 10 KiB stops at the limit, with -EFBIG. */
static void test_bomb(void **state)
{
	_cleanup_close_ int fd = open(DIR "bomb.xz", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct buf out = {0};
	assert_int_equal(decompress_fd(COMP_XZ, fd, LIMIT_COMPRESSED, 1 << 20, &out), -EFBIG);
	assert_null(out.data);
	/* And the limit is inclusive: exactly max_out bytes is fine. */
	_cleanup_free_ char *p = pattern(1000);
	for (size_t k = 0; k < ARRAY_SIZE(codecs); k++) {
		_cleanup_buf_ struct buf enc = encode(codecs[k], p, 1000);
		_cleanup_buf_ struct buf ok = {0};
		assert_int_equal(decompress_mem(codecs[k], enc.data, enc.len, 1000, &ok), 0);
		struct buf over = {0};
		assert_int_equal(decompress_mem(codecs[k], enc.data, enc.len, 999, &over), -EFBIG);
	}
	/* The input limit on an fd. */
	_cleanup_close_ int fd2 = open(DIR "sample.txt.gz", O_RDONLY | O_CLOEXEC);
	assert_int_equal(decompress_fd(COMP_GZIP, fd2, 100, 1 << 20, &out), -EFBIG);
}

static void test_xz_memory(void **state)
{
	_cleanup_buf_ struct buf in = slurp(DIR "bigdict.xz");
	struct buf out = {0};
	assert_int_equal(decompress_mem(COMP_XZ, in.data, in.len, 1 << 20, &out), -EFBIG);
}

/* After an error the decoder keeps returning it. */
static void test_sticky_error(void **state)
{
	_cleanup_decomp_ struct decomp *d = NULL;
	assert_int_equal(decomp_open_mem(COMP_GZIP, "not gzip at all", 15, 1 << 20, &d), 0);
	char out[64];
	size_t n;
	assert_int_equal(decomp_read(d, out, sizeof(out), &n), -EBADMSG);
	assert_int_equal(decomp_read(d, out, sizeof(out), &n), -EBADMSG);
}

/* An empty file is a valid "none" list, and an error for every codec. */
static void test_empty(void **state)
{
	_cleanup_buf_ struct buf out = {0};
	assert_int_equal(decompress_mem(COMP_NONE, "", 0, 10, &out), 0);
	assert_int_equal(out.len, 0);
	for (size_t k = 0; k < ARRAY_SIZE(codecs); k++) {
		struct buf o = {0};
		assert_int_equal(decompress_mem(codecs[k], "", 0, 10, &o), -EBADMSG);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_sniff),
	    cmocka_unit_test(test_real_tools),
	    cmocka_unit_test(test_bzip2_truncation),
	    cmocka_unit_test(test_sizes_and_chunks),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_trailing_garbage),
	    cmocka_unit_test(test_wrong_codec),
	    cmocka_unit_test(test_flips),
	    cmocka_unit_test(test_bomb),
	    cmocka_unit_test(test_xz_memory),
	    cmocka_unit_test(test_sticky_error),
	    cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
