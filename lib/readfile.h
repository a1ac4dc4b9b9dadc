/* readfile.h - one reader for a file the invoking user names (a saved
 * report, a signature, a key), read whole into memory with a size cap.
 *
 * These files live on the scanning machine, not in a scanned root, so they
 * are not read through the confined layer (probes/read/fsroot.h); they are
 * still hostile input: only a regular file is read, never past max bytes,
 * and a FIFO planted in their place does not block the reader.
 *
 * Ownership: *ret is a new NUL-terminated buffer (free()), written only on
 * success. On failure the partial buffer is wiped before it is freed (the
 * file may be a private key).
 */
#ifndef TENKEN_READFILE_H
#define TENKEN_READFILE_H

#include <stddef.h>

/* The file open as fd, whole. Returns 0, -EINVAL if it is not a regular
 * file, -EFBIG if it holds (or grows while read to) more than max bytes,
 * -ENOMEM, or the -errno of fstat/read. fd stays open. */
int readfile_fd(int fd, size_t max, char **ret, size_t *ret_len);

/* The same for path, opened without blocking and without a controlling
 * terminal; -errno of open as well. */
int readfile(const char *path, size_t max, char **ret, size_t *ret_len);

/* Why a readfile call (err < 0) failed, in Japanese and English, naming
 * path and, for -EFBIG, the cap: "cannot read PATH: larger than the limit
 * of 1024 MiB". Truncated to the buffers' sizes. */
void readfile_error(const char *path, int err, size_t max, char *ja, size_t ja_len, char *en,
		    size_t en_len);

#endif
