/* decompress.h - bounded decoders for the compressions apt keeps its lists
 * in and logrotate leaves logs in: gzip (zlib), xz (liblzma), lz4 frames
 * (liblz4), zstd (libzstd) and bzip2 (libbz2: rpm-md metadata), plus
 * "none" so callers need one code path.
 *
 * Everything decoded is hostile: a decoder stops with an error at the
 * first corrupt or truncated byte, never crashes, and stops with -EFBIG
 * once the output passes the caller's limit (a decompression bomb costs
 * at most that much work). Concatenated members/frames/streams are
 * decoded one after the other, as the command-line tools do.
 *
 * Errors are negative errno values:
 *   -EBADMSG     corrupt, truncated, or trailing bytes that are not a frame
 *   -EFBIG       more output than max_out (or an xz stream needing more
 *                memory than LIMIT_XZ_MEMORY)
 *   -EOPNOTSUPP  a compression tenken does not decode (lzma-alone)
 *   -ENOMEM, -EIO (read error on the input fd, errno kept when known)
 */
#ifndef TENKEN_DECOMPRESS_H
#define TENKEN_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/util.h"

enum comp {
	COMP_NONE,
	COMP_GZIP,
	COMP_XZ,
	COMP_LZ4,
	COMP_ZSTD,
	COMP_BZIP2,
	COMP_LZMA, /* recognised, not decoded */
};

/* The compression a file name's suffix says (".gz", ".xz", ".lz4",
 * ".zst", ".bz2", ".lzma"); COMP_NONE for anything else. */
enum comp comp_from_name(const char *name);
/* The compression the first bytes say, COMP_NONE if no known magic. */
enum comp comp_sniff(const void *p, size_t n);
/* "none", "gzip", "xz", "lz4", "zstd", "bzip2", "lzma" (static). */
const char *comp_name(enum comp c);
/* The file name suffix with its dot ("" for none) (static). */
const char *comp_suffix(enum comp c);
bool comp_supported(enum comp c);

struct decomp;

/* A streaming decoder reading the compressed bytes from fd (borrowed,
 * read from its current offset to its end, at most max_in bytes). */
int decomp_open_fd(enum comp c, int fd, size_t max_in, size_t max_out, struct decomp **ret);
/* The same over bytes in memory (borrowed until decomp_free). */
int decomp_open_mem(enum comp c, const void *in, size_t len, size_t max_out, struct decomp **ret);
/* Decode up to cap bytes into out. *ret_n is 0 only at the end of the
 * data. After an error every later call returns the same error. */
int decomp_read(struct decomp *d, void *out, size_t cap, size_t *ret_n);
/* Bytes produced so far. */
size_t decomp_total(const struct decomp *d);
void decomp_free(struct decomp *d);
static inline void decomp_freep(struct decomp **d)
{
	decomp_free(*d);
}
#define _cleanup_decomp_ _cleanup_(decomp_freep)

/* Decode a whole buffer into ret (new, NUL-terminated). */
int decompress_mem(enum comp c, const void *in, size_t len, size_t max_out, struct buf *ret);
/* Decode everything fd holds into ret (new, NUL-terminated). */
int decompress_fd(enum comp c, int fd, size_t max_in, size_t max_out, struct buf *ret);

#endif
