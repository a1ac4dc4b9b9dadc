/* decompress.c - streaming, bounded gzip/xz/lz4/zstd/bzip2 decoders behind one
 * interface (see decompress.h for the contract).
 *
 * One loop drives every codec: fill the input window (from memory, or
 * from the fd 128 KiB at a time), hand it to the codec's step function,
 * count the output against the limit. A step reports how much input it
 * took and output it gave; a step that can do neither at the end of the
 * input means the data was truncated. Each codec's end-of-data rule:
 * gzip members, bzip2 streams, xz streams (LZMA_CONCATENATED), lz4 frames and zstd
 * frames may follow each other; at least one must be present, the last
 * must be complete, and bytes after it that are not another one are an
 * error.
 */
#include <errno.h>
#include <bzlib.h>
#include <stdint.h>
#include <string.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#include "probes/read/decompress.h"
#include "lib/limits.h"

#define INBUF_SIZE (128u << 10)

struct decomp {
	enum comp kind;
	int fd; /* borrowed; -1 when decoding memory */
	const uint8_t *in;
	size_t in_len, in_pos;
	uint8_t *inbuf; /* owned, fd mode only */
	size_t read_total, max_in;
	bool in_eof;
	size_t total, max_out;
	bool done;
	int err;
	bool frame_open; /* inside a member/frame that has not ended */
	unsigned frames; /* complete members/frames/streams seen */
	bool z_init, x_init, b_init;
	bz_stream b;
	z_stream z;
	lzma_stream x;
	LZ4F_dctx *l;
	ZSTD_DStream *zs;
};

/* ---- names ---- */

static const struct {
	enum comp c;
	const char *name, *suffix;
	bool supported;
} comps[] = {
    {COMP_NONE, "none", "", true},	 {COMP_GZIP, "gzip", ".gz", true},
    {COMP_XZ, "xz", ".xz", true},	 {COMP_LZ4, "lz4", ".lz4", true},
    {COMP_ZSTD, "zstd", ".zst", true},	 {COMP_BZIP2, "bzip2", ".bz2", true},
    {COMP_LZMA, "lzma", ".lzma", false},
};

enum comp comp_from_name(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 1; i < ARRAY_SIZE(comps); i++) {
		size_t sl = strlen(comps[i].suffix);
		if (n > sl && strcmp(name + n - sl, comps[i].suffix) == 0)
			return comps[i].c;
	}
	return COMP_NONE;
}

enum comp comp_sniff(const void *p, size_t n)
{
	const uint8_t *b = p;
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return COMP_GZIP;
	if (n >= 6 && memcmp(b,
			     "\xfd"
			     "7zXZ\0",
			     6) == 0)
		return COMP_XZ;
	if (n >= 4 && memcmp(b, "\x04\x22\x4d\x18", 4) == 0)
		return COMP_LZ4;
	if (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0)
		return COMP_ZSTD;
	if (n >= 3 && memcmp(b, "BZh", 3) == 0)
		return COMP_BZIP2;
	return COMP_NONE;
}

const char *comp_name(enum comp c)
{
	return (unsigned)c < ARRAY_SIZE(comps) ? comps[c].name : "unknown";
}

const char *comp_suffix(enum comp c)
{
	return (unsigned)c < ARRAY_SIZE(comps) ? comps[c].suffix : "";
}

bool comp_supported(enum comp c)
{
	return (unsigned)c < ARRAY_SIZE(comps) && comps[c].supported;
}

/* ---- codec steps ----
 * Each step decodes from in[0..avail) into out[0..cap), sets *used and
 * *made, and updates d->frame_open / d->frames / d->done. avail is 0 only
 * at the end of the input. */

static int step_none(struct decomp *d, const uint8_t *in, size_t avail, uint8_t *out, size_t cap,
		     size_t *used, size_t *made)
{
	size_t n = avail < cap ? avail : cap;
	memcpy(out, in, n);
	*used = *made = n;
	if (avail == 0)
		d->done = true;
	return 0;
}

/* Between gzip members: the next one must start with the magic. */
static int gzip_next_member(struct decomp *d, const uint8_t *in, size_t avail)
{
	if (avail == 0) {
		d->done = d->frames > 0;
		return d->done ? 0 : -EBADMSG;
	}
	if (in[0] != 0x1f)
		return -EBADMSG;
	if (inflateReset(&d->z) != Z_OK)
		return -EBADMSG;
	d->frame_open = true;
	return 0;
}

static int step_gzip(struct decomp *d, const uint8_t *in, size_t avail, uint8_t *out, size_t cap,
		     size_t *used, size_t *made)
{
	*used = *made = 0;
	if (!d->frame_open) {
		int r = gzip_next_member(d, in, avail);
		if (r < 0 || d->done)
			return r;
	}
	d->z.next_in = (Bytef *)(uintptr_t)in;
	d->z.avail_in = (uInt)(avail > UINT32_MAX ? UINT32_MAX : avail);
	d->z.next_out = out;
	d->z.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
	int r = inflate(&d->z, Z_NO_FLUSH);
	*used = (size_t)(d->z.next_in - in);
	*made = (size_t)(d->z.next_out - out);
	if (r == Z_STREAM_END) {
		d->frame_open = false;
		d->frames++;
		return 0;
	}
	if (r == Z_OK)
		return 0;
	if (r == Z_BUF_ERROR)
		return avail == 0 ? -EBADMSG : 0; /* truncated member */
	return r == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
}

static int step_xz(struct decomp *d, const uint8_t *in, size_t avail, uint8_t *out, size_t cap,
		   size_t *used, size_t *made)
{
	d->x.next_in = in;
	d->x.avail_in = avail;
	d->x.next_out = out;
	d->x.avail_out = cap;
	lzma_ret r = lzma_code(&d->x, avail == 0 ? LZMA_FINISH : LZMA_RUN);
	*used = (size_t)(d->x.next_in - in);
	*made = (size_t)(d->x.next_out - out);
	switch (r) {
	case LZMA_OK:
		return 0;
	case LZMA_STREAM_END:
		d->done = true;
		return 0;
	case LZMA_MEM_ERROR:
		return -ENOMEM;
	case LZMA_MEMLIMIT_ERROR:
		return -EFBIG;
	default:
		return -EBADMSG; /* format, options, data, buffer (truncated) */
	}
}

static int step_lz4(struct decomp *d, const uint8_t *in, size_t avail, uint8_t *out, size_t cap,
		    size_t *used, size_t *made)
{
	*used = *made = 0;
	if (avail == 0 && !d->frame_open) {
		d->done = d->frames > 0;
		return d->done ? 0 : -EBADMSG;
	}
	size_t dst = cap, src = avail;
	size_t r = LZ4F_decompress(d->l, out, &dst, in, &src, NULL);
	if (LZ4F_isError(r))
		return -EBADMSG;
	*used = src;
	*made = dst;
	d->frame_open = r != 0;
	if (r == 0)
		d->frames++;
	if (avail == 0 && dst == 0 && r != 0)
		return -EBADMSG; /* the input ended inside a frame */
	return 0;
}

static int step_zstd(struct decomp *d, const uint8_t *in, size_t avail, uint8_t *out, size_t cap,
		     size_t *used, size_t *made)
{
	*used = *made = 0;
	if (avail == 0 && !d->frame_open) {
		d->done = d->frames > 0;
		return d->done ? 0 : -EBADMSG;
	}
	ZSTD_inBuffer ib = {in, avail, 0};
	ZSTD_outBuffer ob = {out, cap, 0};
	size_t r = ZSTD_decompressStream(d->zs, &ob, &ib);
	if (ZSTD_isError(r)) {
		ZSTD_ErrorCode e = ZSTD_getErrorCode(r);
		if (e == ZSTD_error_memory_allocation)
			return -ENOMEM;
		return e == ZSTD_error_frameParameter_windowTooLarge ? -EFBIG : -EBADMSG;
	}
	*used = ib.pos;
	*made = ob.pos;
	d->frame_open = r != 0;
	if (r == 0)
		d->frames++;
	if (avail == 0 && ob.pos == 0 && r != 0)
		return -EBADMSG; /* the input ended inside a frame */
	return 0;
}

/* Between bzip2 streams: the next one must start with "BZh". */
static int bzip2_next_stream(struct decomp *d, const uint8_t *in, size_t avail)
{
	if (avail == 0) {
		d->done = d->frames > 0;
		return d->done ? 0 : -EBADMSG;
	}
	if (in[0] != 'B')
		return -EBADMSG;
	if (d->b_init)
		BZ2_bzDecompressEnd(&d->b);
	d->b_init = false;
	memset(&d->b, 0, sizeof(d->b));
	if (BZ2_bzDecompressInit(&d->b, 0, 0) != BZ_OK)
		return -ENOMEM;
	d->b_init = true;
	d->frame_open = true;
	return 0;
}

static int step_bzip2(struct decomp *d, const uint8_t *in, size_t avail, uint8_t *out, size_t cap,
		      size_t *used, size_t *made)
{
	*used = *made = 0;
	if (!d->frame_open) {
		int r = bzip2_next_stream(d, in, avail);
		if (r < 0 || d->done)
			return r;
	}
	d->b.next_in = (char *)(uintptr_t)in;
	d->b.avail_in = (unsigned)(avail > UINT32_MAX ? UINT32_MAX : avail);
	d->b.next_out = (char *)out;
	d->b.avail_out = (unsigned)(cap > UINT32_MAX ? UINT32_MAX : cap);
	int r = BZ2_bzDecompress(&d->b);
	*used = (size_t)((const uint8_t *)d->b.next_in - in);
	*made = (size_t)((uint8_t *)d->b.next_out - out);
	if (r == BZ_STREAM_END) {
		d->frame_open = false;
		d->frames++;
		return 0;
	}
	if (r == BZ_OK)
		return avail == 0 && *made == 0 ? -EBADMSG : 0; /* truncated stream */
	return r == BZ_MEM_ERROR ? -ENOMEM : -EBADMSG;
}

typedef int (*step_fn)(struct decomp *, const uint8_t *, size_t, uint8_t *, size_t, size_t *,
		       size_t *);

static step_fn step_for(enum comp c)
{
	switch (c) {
	case COMP_NONE:
		return step_none;
	case COMP_GZIP:
		return step_gzip;
	case COMP_XZ:
		return step_xz;
	case COMP_LZ4:
		return step_lz4;
	case COMP_ZSTD:
		return step_zstd;
	case COMP_BZIP2:
		return step_bzip2;
	default:
		return NULL;
	}
}

/* ---- setup ---- */

static int codec_init(struct decomp *d)
{
	switch (d->kind) {
	case COMP_NONE:
		return 0;
	case COMP_GZIP:
		/* 15 + 16: a gzip wrapper is required, as on disk. */
		if (inflateInit2(&d->z, 15 + 16) != Z_OK)
			return -ENOMEM;
		d->z_init = true;
		d->frame_open = true;
		return 0;
	case COMP_XZ:
		d->x = (lzma_stream)LZMA_STREAM_INIT;
		if (lzma_stream_decoder(&d->x, LIMIT_XZ_MEMORY, LZMA_CONCATENATED) != LZMA_OK)
			return -ENOMEM;
		d->x_init = true;
		return 0;
	case COMP_LZ4:
		if (LZ4F_isError(LZ4F_createDecompressionContext(&d->l, LZ4F_VERSION)))
			return -ENOMEM;
		return 0;
	case COMP_ZSTD:
		d->zs = ZSTD_createDStream();
		if (!d->zs)
			return -ENOMEM;
		/* 2^27 = 128 MiB window at most, zstd's own default cap. */
		ZSTD_DCtx_setParameter(d->zs, ZSTD_d_windowLogMax, 27);
		return 0;
	case COMP_BZIP2:
		if (BZ2_bzDecompressInit(&d->b, 0, 0) != BZ_OK)
			return -ENOMEM;
		d->b_init = true;
		d->frame_open = true;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int decomp_new(enum comp c, size_t max_out, struct decomp **ret)
{
	if (!step_for(c))
		return -EOPNOTSUPP;
	struct decomp *d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->kind = c;
	d->fd = -1;
	d->max_out = max_out;
	int r = codec_init(d);
	if (r < 0) {
		decomp_free(d);
		return r;
	}
	*ret = d;
	return 0;
}

int decomp_open_mem(enum comp c, const void *in, size_t len, size_t max_out, struct decomp **ret)
{
	struct decomp *d;
	int r = decomp_new(c, max_out, &d);
	if (r < 0)
		return r;
	d->in = in;
	d->in_len = len;
	d->in_eof = true;
	*ret = d;
	return 0;
}

int decomp_open_fd(enum comp c, int fd, size_t max_in, size_t max_out, struct decomp **ret)
{
	struct decomp *d;
	int r = decomp_new(c, max_out, &d);
	if (r < 0)
		return r;
	d->inbuf = malloc(INBUF_SIZE);
	if (!d->inbuf) {
		decomp_free(d);
		return -ENOMEM;
	}
	d->fd = fd;
	d->max_in = max_in;
	d->in = d->inbuf;
	*ret = d;
	return 0;
}

void decomp_free(struct decomp *d)
{
	if (!d)
		return;
	if (d->z_init)
		inflateEnd(&d->z);
	if (d->x_init)
		lzma_end(&d->x);
	if (d->b_init)
		BZ2_bzDecompressEnd(&d->b);
	if (d->l)
		LZ4F_freeDecompressionContext(d->l);
	ZSTD_freeDStream(d->zs);
	free(d->inbuf);
	free(d);
}

/* ---- the loop ---- */

/* Make the input window non-empty unless the input has ended. */
static int fill(struct decomp *d)
{
	if (d->in_pos < d->in_len || d->in_eof)
		return 0;
	ssize_t n;
	do
		n = read(d->fd, d->inbuf, INBUF_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno ? -errno : -EIO;
	d->in_pos = 0;
	d->in_len = (size_t)n;
	d->in_eof = n == 0;
	d->read_total += (size_t)n;
	return d->read_total > d->max_in ? -EFBIG : 0;
}

static int fail(struct decomp *d, int err)
{
	d->err = err;
	return err;
}

int decomp_read(struct decomp *d, void *out, size_t cap, size_t *ret_n)
{
	if (d->err)
		return d->err;
	step_fn step = step_for(d->kind);
	size_t made = 0;
	unsigned stuck = 0;
	while (made == 0 && !d->done && cap > 0) {
		int r = fill(d);
		if (r < 0)
			return fail(d, r);
		size_t avail = d->in_len - d->in_pos, used = 0;
		r = step(d, d->in + d->in_pos, avail, out, cap, &used, &made);
		if (r < 0)
			return fail(d, r);
		d->in_pos += used;
		/* A codec that neither takes nor gives twice running is stuck on
		 * input it will never accept. */
		stuck = (used == 0 && made == 0 && !d->done) ? stuck + 1 : 0;
		if (stuck > 2)
			return fail(d, -EBADMSG);
	}
	d->total += made;
	if (d->total > d->max_out)
		return fail(d, -EFBIG);
	*ret_n = made;
	return 0;
}

size_t decomp_total(const struct decomp *d)
{
	return d->total;
}

/* ---- whole buffers ---- */

static int read_all(struct decomp *d, size_t max_out, struct buf *ret)
{
	size_t cap = 64u << 10, len = 0;
	_cleanup_free_ char *data = malloc(cap + 1);
	if (!data)
		return -ENOMEM;
	for (;;) {
		if (cap - len < (16u << 10)) {
			size_t ncap = cap * 2 > max_out + 1 ? max_out + 1 : cap * 2;
			if (ncap <= cap)
				ncap = cap + (16u << 10); /* past the limit: read fails */
			char *p = realloc(data, ncap + 1);
			if (!p)
				return -ENOMEM;
			data = p;
			cap = ncap;
		}
		size_t n;
		int r = decomp_read(d, data + len, cap - len, &n);
		if (r < 0)
			return r;
		if (n == 0)
			break;
		len += n;
	}
	data[len] = '\0';
	ret->data = TAKE_PTR(data);
	ret->len = len;
	return 0;
}

int decompress_mem(enum comp c, const void *in, size_t len, size_t max_out, struct buf *ret)
{
	_cleanup_decomp_ struct decomp *d = NULL;
	int r = decomp_open_mem(c, in, len, max_out, &d);
	if (r < 0)
		return r;
	return read_all(d, max_out, ret);
}

int decompress_fd(enum comp c, int fd, size_t max_in, size_t max_out, struct buf *ret)
{
	_cleanup_decomp_ struct decomp *d = NULL;
	int r = decomp_open_fd(c, fd, max_in, max_out, &d);
	if (r < 0)
		return r;
	return read_all(d, max_out, ret);
}
