/* readfile.c - a user-named file read whole with a size cap (see
 * readfile.h). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "lib/readfile.h"
#include "lib/util.h"

/* Free buf after wiping its cap bytes (explicit_bzero is not optimised
 * away). */
static void wipe_free(char *buf, size_t cap)
{
	if (buf)
		explicit_bzero(buf, cap);
	free(buf);
}

/* Grow buf to hold more than *cap bytes, never past max + 1 (one byte past
 * the cap tells a file that grew beyond it). */
static int grow(char **buf, size_t *cap, size_t max)
{
	size_t ncap = *cap < (SIZE_MAX - 1) / 2 ? *cap * 2 : SIZE_MAX - 1;
	if (ncap > max + 1)
		ncap = max + 1;
	char *nb = malloc(ncap + 1);
	if (!nb)
		return -ENOMEM;
	memcpy(nb, *buf, *cap);
	wipe_free(*buf, *cap);
	*buf = nb;
	*cap = ncap;
	return 0;
}

int readfile_fd(int fd, size_t max, char **ret, size_t *ret_len)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size < 0 || (uint64_t)st.st_size > max)
		return -EFBIG;
	/* cap: bytes the buffer holds before its terminating NUL. */
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap && (cap > max || grow(&buf, &cap, max) < 0)) {
			int e = cap > max ? -EFBIG : -ENOMEM;
			wipe_free(buf, cap);
			return e;
		}
		ssize_t k = read(fd, buf + len, cap - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = -errno;
			wipe_free(buf, cap);
			return e;
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	if (len > max) {
		wipe_free(buf, cap);
		return -EFBIG;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

int readfile(const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	return readfile_fd(fd, max, ret, ret_len);
}

void readfile_error(const char *path, int err, size_t max, char *ja, size_t ja_len, char *en,
		    size_t en_len)
{
	bool mib = max >= (1u << 20) && max % (1u << 20) == 0;
	size_t n = mib ? max >> 20 : max;
	if (err == -EFBIG) {
		snprintf(ja, ja_len, "%s を読めません: 上限 %zu %s を超えています", path, n,
			 mib ? "MiB" : "バイト");
		snprintf(en, en_len, "cannot read %s: larger than the limit of %zu %s", path, n,
			 mib ? "MiB" : "bytes");
	} else if (err == -EINVAL) {
		snprintf(ja, ja_len, "%s を読めません: 通常のファイルではありません", path);
		snprintf(en, en_len, "cannot read %s: not a regular file", path);
	} else {
		snprintf(ja, ja_len, "%s を読めません: %s", path, strerror(-err));
		snprintf(en, en_len, "cannot read %s: %s", path, strerror(-err));
	}
}
