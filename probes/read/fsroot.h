/* fsroot.h - the root-confined, read-only file access layer.
 *
 * Every file tenken reads from the scanned system goes through here.
 * Paths are absolute paths of the scanned system ("/etc/shadow") and are
 * resolved inside the root directory given to fsroot_open(): symlinks,
 * absolute or relative, and ".." never leave it (openat2 RESOLVE_IN_ROOT
 * | RESOLVE_NO_MAGICLINKS where the kernel has it, otherwise a
 * component-by-component walk with O_NOFOLLOW that applies the same
 * rules). Nothing is ever opened for writing. Only regular files are read,
 * opened with O_NONBLOCK after an O_PATH check so a FIFO or device planted
 * as a config never blocks or triggers a driver.
 *
 * Errors are negative errno values:
 *   -ENOENT   missing           -EACCES  permission denied
 *   -ELOOP    symlink loop       -EFBIG   larger than the caller's limit
 *   -EINVAL   not a regular file (or a bad path argument)
 *   -ENOTDIR  a path component is not a directory
 */
#ifndef TENKEN_FSROOT_H
#define TENKEN_FSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "lib/util.h"

struct fsroot;

enum fsroot_mode {
	FSROOT_AUTO,	 /* openat2 if the kernel has it, else the walk */
	FSROOT_WALK_ONLY /* always the userspace walk (tests use this) */
};

/* Open dir as the root. Returns 0 and a new fsroot, or -errno. */
int fsroot_open(const char *dir, enum fsroot_mode mode, struct fsroot **ret);
void fsroot_free(struct fsroot *r);
/* The directory given at open (borrowed), e.g. "/" or "/mnt/image". */
const char *fsroot_dir(const struct fsroot *r);
bool fsroot_is_host(const struct fsroot *r); /* dir is "/" */

/* Read a whole regular file of at most max bytes into ret (new buffer,
 * NUL-terminated). -EFBIG if larger; then fsroot_efbig_limit() tells
 * the limit (issue 11: every limit is a message). The macro passes the
 * caller's spelling of max along, so a read with LIMIT_ACCOUNT_DB can be
 * reported as "larger than the 16 MiB limit (LIMIT_ACCOUNT_DB)". */
int fsroot_read_named(struct fsroot *r, const char *path, size_t max, const char *limit_name,
		      struct buf *ret);
#define fsroot_read(r, path, max, ret) fsroot_read_named((r), (path), (max), #max, (ret))
/* The same, for a file several probes read in one scan (/etc/passwd,
 * dpkg's status): the first call reads it, later calls with the same path
 * and max return the same bytes (or the same error) without reading
 * again, so the whole scan sees one version of the file. The buffer is
 * borrowed: r owns it until fsroot_free. */
int fsroot_read_shared_named(struct fsroot *r, const char *path, size_t max, const char *limit_name,
			     const struct buf **ret);
#define fsroot_read_shared(r, path, max, ret)                                                      \
	fsroot_read_shared_named((r), (path), (max), #max, (ret))
/* After a read of path returned -EFBIG (the last such read in this
 * root): true, with the limit it exceeded and that limit's name in
 * lib/limits.h (NULL if the caller passed a computed value). */
bool fsroot_efbig_limit(const struct fsroot *r, const char *path, size_t *ret_max,
			const char **ret_name);
/* Read at most max bytes from the end of a regular file (for logs that
 * grow); *ret_truncated says whether the head was skipped. */
int fsroot_read_tail(struct fsroot *r, const char *path, size_t max, struct buf *ret,
		     bool *ret_truncated);
/* Open a regular file read-only; the fd is the caller's (O_CLOEXEC). */
int fsroot_open_file(struct fsroot *r, const char *path, int *ret_fd, struct stat *ret_st);
/* stat a path inside the root. follow=false describes a final symlink
 * itself (lstat). */
int fsroot_stat(struct fsroot *r, const char *path, bool follow, struct stat *ret);
/* Read a symlink's target text without following it (new string). */
int fsroot_readlink(struct fsroot *r, const char *path, char **ret);
/* The names in a directory, sorted bytewise, without "." and "..", at
 * most LIMIT_DIR_ENTRIES. ret is a NULL-terminated array of new strings;
 * free with strv_free(). */
int fsroot_list(struct fsroot *r, const char *path, char ***ret, size_t *ret_n);
/* Expand a glob pattern (fnmatch rules per component, no brace or tilde
 * expansion) inside the root; matches sorted bytewise, as glob(3) does.
 * No match is 0 with an empty list. */
int fsroot_glob(struct fsroot *r, const char *pattern, char ***ret, size_t *ret_n);

/* strv_free, _cleanup_strv_, path_join and path_clean are in lib/util.h. */

/* Whether two paths inside the root name the same file (1), not (0), or
 * -errno if either cannot be resolved. */
int fsroot_same_file(struct fsroot *r, const char *a, const char *b);

#endif
