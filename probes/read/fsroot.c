/* fsroot.c - the root-confined, read-only file access layer (see fsroot.h).
 *
 * Two resolvers give the same answers: openat2(2) with RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS where the kernel has it, and a userspace walk that
 * opens one component at a time with O_NOFOLLOW, expands symlinks itself
 * (absolute targets restart at the root, ".." never climbs above it) and
 * counts them like the kernel does. Magic links (/proc/PID/fd/N) are plain
 * text to the walk and refused by openat2, so neither can jump out.
 *
 * Regular files are opened in two steps: an O_PATH open whose fstat must
 * say S_ISREG (so a FIFO, socket or device is never opened for reading),
 * then an O_RDONLY|O_NONBLOCK open of that very inode. Where /proc is
 * procfs the second open reopens the O_PATH descriptor through
 * /proc/self/fd/N, which names the object the descriptor holds and
 * resolves nothing in the scanned tree, so no second fstat is needed;
 * otherwise the path is resolved again and the second fstat must find
 * the same inode.
 *
 * System calls per whole-file read: openat2, fstat, reopen, one read
 * when the file's size is known and the read came back short with
 * exactly that many bytes (else reads until end of file), one
 * close_range for both descriptors when they are adjacent. Directories
 * are listed with getdents64 on the descriptor itself (no fdopendir,
 * whose fstat and two fcntl calls a listing does not need).
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include "probes/read/fsroot.h"
#include "lib/limits.h"

/* Deepest directory nesting the walk keeps open fds for. */
#define WALK_MAX_DEPTH 256

/* One file read by fsroot_read_shared: its bytes or its error. */
struct shared_file {
	char *path;
	size_t max;
	int err;
	struct buf b;
	struct shared_file *next;
};

struct fsroot {
	int rootfd;
	char *dir;
	bool use_openat2;
	bool reopen_proc; /* /proc/self/fd/N reopens an O_PATH descriptor */
	bool trace;	  /* TENKEN_DEBUG_READS: name every file opened on stderr */
	struct shared_file *shared;
	/* The last read refused for its size (-EFBIG): which path, at which
	 * limit and the limit's name in lib/limits.h (NULL if the caller
	 * passed a variable), so the probe's message can name them. */
	char *efbig_path;
	size_t efbig_max;
	const char *efbig_name;
};

static int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

int fsroot_open(const char *dir, enum fsroot_mode mode, struct fsroot **ret)
{
	struct fsroot *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->rootfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->rootfd < 0) {
		int e = -errno;
		free(r);
		return e;
	}
	r->dir = strdup(dir);
	if (!r->dir) {
		fsroot_free(r);
		return -ENOMEM;
	}
	if (mode == FSROOT_AUTO) {
		struct open_how how = {.flags = O_PATH | O_CLOEXEC,
				       .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
		int fd = sys_openat2(r->rootfd, ".", &how);
		if (fd >= 0) {
			close(fd);
			r->use_openat2 = true;
		}
	}
	struct statfs sf;
	r->reopen_proc = statfs("/proc/self/fd", &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
	/* make bench's raw-input floor reads the same files (bench/floor.c) */
	r->trace = getenv("TENKEN_DEBUG_READS") != NULL;
	*ret = r;
	return 0;
}

void fsroot_free(struct fsroot *r)
{
	if (!r)
		return;
	if (r->rootfd >= 0)
		close(r->rootfd);
	for (struct shared_file *f = r->shared, *next; f; f = next) {
		next = f->next;
		free(f->path);
		buf_free(&f->b);
		free(f);
	}
	free(r->dir);
	free(r->efbig_path);
	free(r);
}

const char *fsroot_dir(const struct fsroot *r)
{
	return r->dir;
}

bool fsroot_is_host(const struct fsroot *r)
{
	return strcmp(r->dir, "/") == 0;
}

/* The walk's state: a stack of directory fds from the root down, and the
 * path still to resolve. */
struct walk {
	int fds[WALK_MAX_DEPTH];
	int depth; /* fds[0] is a dup of the root */
	char todo[LIMIT_PATH * 2];
	int symlinks;
};

static void walk_reset(struct walk *w)
{
	while (w->depth > 1)
		close(w->fds[--w->depth]);
}

static void walk_close(struct walk *w)
{
	while (w->depth > 0)
		close(w->fds[--w->depth]);
}

/* Take the next component off w->todo into comp; false when none left. */
static bool next_comp(struct walk *w, char *comp, size_t size, bool *last)
{
	char *p = w->todo;
	while (*p == '/')
		p++;
	if (!*p)
		return false;
	size_t n = strcspn(p, "/");
	if (n >= size)
		n = size - 1; /* NAME_MAX is enforced by openat itself */
	memcpy(comp, p, n);
	comp[n] = '\0';
	p += strcspn(p, "/");
	while (*p == '/')
		p++;
	*last = *p == '\0';
	memmove(w->todo, p, strlen(p) + 1);
	return true;
}

/* Replace the current component (a symlink at dirfd/name) by its target. */
static int walk_expand(struct walk *w, int dirfd, const char *name)
{
	char target[LIMIT_PATH];
	if (++w->symlinks > LIMIT_SYMLINKS)
		return -ELOOP;
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(target) - 1)
		return -ENAMETOOLONG;
	target[n] = '\0';
	size_t rest = strlen(w->todo);
	if ((size_t)n + 1 + rest + 1 > sizeof(w->todo))
		return -ENAMETOOLONG;
	memmove(w->todo + n + 1, w->todo, rest + 1);
	memcpy(w->todo, target, (size_t)n);
	w->todo[n] = '/';
	if (target[0] == '/')
		walk_reset(w);
	return 0;
}

static int walk_descend(struct walk *w, const char *comp)
{
	if (w->depth >= WALK_MAX_DEPTH)
		return -ENAMETOOLONG;
	int fd = openat(w->fds[w->depth - 1], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w->fds[w->depth++] = fd;
	return 0;
}

/* Resolve all of w->todo; on success the final object is fds[depth-1]/name
 * (name "." for a directory reached by "." or ".." or the root). */
static int walk_run(struct walk *w, bool follow_last, char *name, size_t size)
{
	bool last = true;
	snprintf(name, size, ".");
	while (next_comp(w, name, size, &last)) {
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			if (name[1] == '.' && w->depth > 1)
				close(w->fds[--w->depth]);
			snprintf(name, size, ".");
			continue;
		}
		struct stat st;
		if (fstatat(w->fds[w->depth - 1], name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
			int r = walk_expand(w, w->fds[w->depth - 1], name);
			if (r < 0)
				return r;
			snprintf(name, size, ".");
			continue;
		}
		if (last)
			return 0;
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		int r = walk_descend(w, name);
		if (r < 0)
			return r;
		snprintf(name, size, ".");
	}
	return 0;
}

/* Open path inside the root with flags (O_PATH, O_RDONLY|O_NONBLOCK,
 * O_DIRECTORY...). follow: whether a final symlink is followed. */
static int resolve_fd(struct fsroot *r, const char *path, int flags, bool follow, int *ret_fd)
{
	if (!path || path[0] != '/' || strlen(path) >= LIMIT_PATH)
		return -EINVAL;
	flags |= O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
	if (r->use_openat2) {
		struct open_how how = {.flags = (uint64_t)flags,
				       .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
		int fd = sys_openat2(r->rootfd, path, &how);
		if (fd < 0)
			return errno == EAGAIN ? -EAGAIN : -errno;
		*ret_fd = fd;
		return 0;
	}
	struct walk *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fds[0] = fcntl(r->rootfd, F_DUPFD_CLOEXEC, 3);
	if (w->fds[0] < 0) {
		int e = -errno;
		free(w);
		return e;
	}
	w->depth = 1;
	snprintf(w->todo, sizeof(w->todo), "%s", path);
	char name[NAME_MAX + 2];
	int res = walk_run(w, follow, name, sizeof(name));
	if (res == 0) {
		int fd = openat(w->fds[w->depth - 1], name, flags | O_NOFOLLOW);
		res = fd < 0 ? -errno : 0;
		if (fd >= 0)
			*ret_fd = fd;
	}
	walk_close(w);
	free(w);
	return res;
}

int fsroot_stat(struct fsroot *r, const char *path, bool follow, struct stat *ret)
{
	_cleanup_close_ int fd = -1;
	int res = resolve_fd(r, path, O_PATH, follow, &fd);
	if (res < 0)
		return res;
	if (fstat(fd, ret) < 0)
		return -errno;
	return 0;
}

int fsroot_readlink(struct fsroot *r, const char *path, char **ret)
{
	_cleanup_close_ int fd = -1;
	int res = resolve_fd(r, path, O_PATH, false, &fd);
	if (res < 0)
		return res;
	char target[LIMIT_PATH];
	ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? -EINVAL : -errno; /* not a symlink */
	target[n] = '\0';
	*ret = strdup(target);
	return *ret ? 0 : -ENOMEM;
}

/* Open the regular file at path: *ret_pfd its O_PATH descriptor (kept
 * by the caller so both can be closed at once), *ret_fd the readable one,
 * *ret_st the file's stat. */
static int open_regular(struct fsroot *r, const char *path, int *ret_pfd, int *ret_fd,
			struct stat *ret_st)
{
	_cleanup_close_ int pfd = -1, fd = -1;
	struct stat pst, st;
	int res = resolve_fd(r, path, O_PATH, true, &pfd);
	if (res < 0)
		return res;
	if (fstat(pfd, &pst) < 0)
		return -errno;
	if (S_ISDIR(pst.st_mode))
		return -EISDIR;
	if (!S_ISREG(pst.st_mode))
		return -EINVAL;
	if (r->trace)
		fprintf(stderr, "tenken-read: %s\n", path);
	if (r->reopen_proc) {
		char self[64];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
		fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0) {
			*ret_st = pst;
			*ret_pfd = TAKE_FD(pfd);
			*ret_fd = TAKE_FD(fd);
			return 0;
		}
		if (errno != ENOENT && errno != ENXIO && errno != ELOOP)
			return -errno; /* the file's answer (EACCES...), as a path open gives */
				       /* /proc unmounted since: resolve the path again below */
	}
	res = resolve_fd(r, path, O_RDONLY | O_NONBLOCK | O_NOCTTY, true, &fd);
	if (res < 0)
		return res;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_ino != pst.st_ino || st.st_dev != pst.st_dev)
		return -EAGAIN; /* swapped while we looked: refuse rather than guess */
	*ret_st = st;
	*ret_pfd = TAKE_FD(pfd);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* Close both descriptors of open_regular, in one call when adjacent. */
static void close_pair(int pfd, int fd)
{
	int lo = pfd < fd ? pfd : fd, hi = pfd < fd ? fd : pfd;
	if (hi == lo + 1 && syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0u) == 0)
		return;
	close(pfd);
	close(fd);
}

int fsroot_open_file(struct fsroot *r, const char *path, int *ret_fd, struct stat *ret_st)
{
	int pfd, fd;
	struct stat st;
	int res = open_regular(r, path, &pfd, &fd, &st);
	if (res < 0)
		return res;
	close(pfd);
	*ret_fd = fd;
	if (ret_st)
		*ret_st = st;
	return 0;
}

/* Read from fd at offset until EOF or more than max bytes. hint is the
 * number of bytes fstat said are left: a read that asked for more and
 * brought exactly that many reached the end (files whose stat size is 0,
 * like procfs's, are read until a read returns 0). */
static int read_fd(int fd, off_t offset, size_t max, size_t hint, struct buf *ret)
{
	size_t cap = (hint && hint <= max ? hint : 4096) + 1;
	size_t len = 0;
	char *data = malloc(cap + 1);
	if (!data)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *nd = ncap > cap ? realloc(data, ncap + 1) : NULL;
			if (!nd) {
				free(data);
				return ncap > cap ? -ENOMEM : -EFBIG;
			}
			data = nd;
			cap = ncap;
		}
		ssize_t n = pread(fd, data + len, cap - len, offset + (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;
			free(data);
			return e;
		}
		if (n == 0)
			break;
		bool short_read = (size_t)n < cap - len;
		len += (size_t)n;
		if (len > max) {
			free(data);
			return -EFBIG;
		}
		if (short_read && hint && len == hint)
			break;
	}
	data[len] = '\0';
	ret->data = data;
	ret->len = len;
	return 0;
}

/* Remember that path was refused at max (res == -EFBIG). name is the
 * caller's spelling of max: kept only if it is a limits.h constant. */
static int note_efbig(struct fsroot *r, const char *path, size_t max, const char *name, int res)
{
	if (res != -EFBIG)
		return res;
	char *p = strdup(path);
	if (!p)
		return res;
	free(r->efbig_path);
	r->efbig_path = p;
	r->efbig_max = max;
	bool constant = name && strncmp(name, "LIMIT_", 6) == 0 &&
			name[strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] == '\0';
	r->efbig_name = constant ? name : NULL;
	return res;
}

bool fsroot_efbig_limit(const struct fsroot *r, const char *path, size_t *ret_max,
			const char **ret_name)
{
	if (!r || !r->efbig_path || !path || strcmp(r->efbig_path, path) != 0)
		return false;
	*ret_max = r->efbig_max;
	*ret_name = r->efbig_name;
	return true;
}

int fsroot_read_named(struct fsroot *r, const char *path, size_t max, const char *limit_name,
		      struct buf *ret)
{
	int pfd, fd;
	struct stat st;
	int res = open_regular(r, path, &pfd, &fd, &st);
	if (res < 0)
		return res;
	res = (uint64_t)st.st_size > max ? -EFBIG : read_fd(fd, 0, max, (size_t)st.st_size, ret);
	close_pair(pfd, fd);
	return note_efbig(r, path, max, limit_name, res);
}

int fsroot_read_shared_named(struct fsroot *r, const char *path, size_t max, const char *limit_name,
			     const struct buf **ret)
{
	struct shared_file *f = r->shared;
	while (f && (f->max != max || strcmp(f->path, path) != 0))
		f = f->next;
	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f || !(f->path = strdup(path))) {
			free(f);
			return -ENOMEM;
		}
		f->max = max;
		f->err = fsroot_read_named(r, path, max, limit_name, &f->b);
		if (f->err == -ENOMEM) { /* not the file's answer: let a later call retry */
			free(f->path);
			free(f);
			return -ENOMEM;
		}
		f->next = r->shared;
		r->shared = f;
	}
	if (f->err < 0) /* a later reader's message names the limit too */
		return note_efbig(r, path, max, limit_name, f->err);
	*ret = &f->b;
	return 0;
}

int fsroot_read_tail(struct fsroot *r, const char *path, size_t max, struct buf *ret,
		     bool *ret_truncated)
{
	int pfd, fd;
	struct stat st;
	int res = open_regular(r, path, &pfd, &fd, &st);
	if (res < 0)
		return res;
	off_t off = (uint64_t)st.st_size > max ? st.st_size - (off_t)max : 0;
	res = read_fd(fd, off, max, (size_t)(st.st_size - off), ret);
	if (res == -EFBIG) /* grew while we read: keep what fits */
		res = read_fd(fd, off, max * 2, max, ret);
	if (res == 0 && ret_truncated)
		*ret_truncated = off > 0;
	close_pair(pfd, fd);
	return res;
}

/* A listing's end: on error (res < 0) free v, else sort it bytewise and
 * hand it out. */
static int hand_out_sorted(int res, char **v, size_t n, char ***ret, size_t *ret_n)
{
	if (res < 0) {
		strv_free(v);
		return res;
	}
	strv_sort(v, n);
	*ret = v;
	if (ret_n)
		*ret_n = n;
	return 0;
}

/* getdents64's record (the kernel's struct linux_dirent64). */
struct dirent64_rec {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

int fsroot_list(struct fsroot *r, const char *path, char ***ret, size_t *ret_n)
{
	_cleanup_close_ int fd = -1;
	int res = resolve_fd(r, path, O_RDONLY | O_DIRECTORY, true, &fd);
	if (res < 0)
		return res;
	char **v = calloc(1, sizeof(char *));
	size_t n = 0;
	/* 32 KiB as glibc's readdir uses: most directories in one call */
	_Alignas(8) char dbuf[32768];
	while (v && res == 0) {
		long got = syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			res = -errno;
		if (got <= 0)
			break;
		for (long pos = 0; res == 0 && pos < got;) {
			const struct dirent64_rec *de = (const void *)(dbuf + pos);
			pos += de->reclen;
			if (strcmp(de->name, ".") == 0 || strcmp(de->name, "..") == 0)
				continue;
			res = n >= LIMIT_DIR_ENTRIES ? -E2BIG
						     : strv_consume(&v, &n, strdup(de->name));
		}
	}
	if (!v)
		res = -ENOMEM;
	return hand_out_sorted(res, v, n, ret, ret_n);
}

int fsroot_same_file(struct fsroot *r, const char *a, const char *b)
{
	struct stat sa, sb;
	int res = fsroot_stat(r, a, true, &sa);
	if (res == 0)
		res = fsroot_stat(r, b, true, &sb);
	if (res < 0)
		return res;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static bool has_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Expand pattern components from *comps on under base into v. */
static int glob_rec(struct fsroot *r, const char *base, char **comps, size_t nc, char ***v,
		    size_t *n, int depth)
{
	if (nc == 0) {
		struct stat st;
		if (fsroot_stat(r, base[0] ? base : "/", false, &st) < 0)
			return 0;
		return strv_consume(v, n, strdup(base[0] ? base : "/"));
	}
	if (depth > 64)
		return -ELOOP;
	if (!has_magic(comps[0])) {
		_cleanup_free_ char *p = path_join(base, comps[0]);
		return p ? glob_rec(r, p, comps + 1, nc - 1, v, n, depth + 1) : -ENOMEM;
	}
	_cleanup_strv_ char **names = NULL;
	if (fsroot_list(r, base[0] ? base : "/", &names, NULL) < 0)
		return 0; /* an unreadable directory matches nothing, as glob(3) */
	for (char **p = names; *p; p++) {
		if (fnmatch(comps[0], *p, FNM_PERIOD) != 0)
			continue;
		_cleanup_free_ char *child = path_join(base, *p);
		if (!child)
			return -ENOMEM;
		int res = glob_rec(r, child, comps + 1, nc - 1, v, n, depth + 1);
		if (res < 0)
			return res;
	}
	return 0;
}

int fsroot_glob(struct fsroot *r, const char *pattern, char ***ret, size_t *ret_n)
{
	if (!pattern || pattern[0] != '/' || strlen(pattern) >= LIMIT_PATH)
		return -EINVAL;
	_cleanup_free_ char *copy = strdup(pattern);
	char *comps[LIMIT_PATH / 2];
	size_t nc = 0;
	if (!copy)
		return -ENOMEM;
	for (char *save = NULL, *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save))
		comps[nc++] = c;
	char **v = calloc(1, sizeof(char *));
	size_t n = 0;
	if (!v)
		return -ENOMEM;
	int res = glob_rec(r, "", comps, nc, &v, &n, 0); /* before v and n are read */
	return hand_out_sorted(res, v, n, ret, ret_n);
}
