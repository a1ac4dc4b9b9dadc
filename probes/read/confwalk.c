/* confwalk.c - the include walker (see confwalk.h for each daemon's rules
 * and the options that express them). */
#include <stdio.h>
#include <sys/stat.h>

#include "lib/limits.h"
#include "probes/parse/ini.h"
#include "probes/read/confwalk.h"

struct chain_link {
	const char *path; /* borrowed from the caller of confwalk_read */
	dev_t dev;
	ino_t ino;
};

struct confwalk {
	struct fsroot *root;
	struct confwalk_opts o;
	struct chain_link *chain; /* o.max_chain + 1 slots */
	unsigned depth, nfiles;
	size_t bytes;  /* read in the walk, against o.max_bytes */
	unsigned line; /* of the include being followed, for events */
};

struct confwalk *confwalk_new(struct fsroot *root, const struct confwalk_opts *o)
{
	struct confwalk *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->root = root;
	w->o = *o;
	w->chain = calloc((size_t)o->max_chain + 1, sizeof(*w->chain));
	if (!w->chain) {
		free(w);
		return NULL;
	}
	return w;
}

void confwalk_free(struct confwalk *w)
{
	if (!w)
		return;
	free(w->chain);
	free(w);
}

const char *confwalk_path(const struct confwalk *w)
{
	return w->depth ? w->chain[w->depth - 1].path : NULL;
}

unsigned confwalk_depth(const struct confwalk *w)
{
	return w->depth;
}

static void event_ev(struct confwalk *w, struct confwalk_event ev)
{
	ev.from = confwalk_path(w);
	ev.line = w->depth ? w->line : 0;
	ev.depth = w->depth;
	ev.nfiles = w->nfiles;
	w->o.on_problem(w, &ev, w->o.ud);
}

static void event(struct confwalk *w, enum confwalk_problem kind, const char *path, int err,
		  bool missing_ok)
{
	event_ev(w, (struct confwalk_event){
			.kind = kind, .path = path, .err = err, .missing_ok = missing_ok});
}

/* Whether path (with st when the guard needs it) is already on the chain. */
static bool on_chain(const struct confwalk *w, const char *path, const struct stat *st)
{
	for (unsigned i = 0; i < w->depth; i++) {
		const struct chain_link *l = &w->chain[i];
		if (w->o.guard == CONFWALK_GUARD_PATH && strcmp(l->path, path) == 0)
			return true;
		if (w->o.guard == CONFWALK_GUARD_INODE && st && l->dev == st->st_dev &&
		    l->ino == st->st_ino)
			return true;
	}
	return false;
}

/* The loop and depth guards for path; st is filled when the guard is
 * INODE and path can be stat()ed (*have_st). 0, or -ELOOP after the
 * event. */
static int guard(struct confwalk *w, const char *path, bool missing_ok, struct stat *st,
		 bool *have_st)
{
	*have_st = w->o.guard == CONFWALK_GUARD_INODE && fsroot_stat(w->root, path, true, st) == 0;
	if (on_chain(w, path, *have_st ? st : NULL)) {
		event(w, CONFWALK_LOOP, path, -ELOOP, missing_ok);
		return -ELOOP;
	}
	if (w->depth >= w->o.max_chain) {
		event(w, CONFWALK_DEPTH, path, -ELOOP, missing_ok);
		return -ELOOP;
	}
	return 0;
}

static void push(struct confwalk *w, const char *path, const struct stat *st)
{
	w->chain[w->depth++] = (struct chain_link){path, st ? st->st_dev : 0, st ? st->st_ino : 0};
}

int confwalk_enter(struct confwalk *w, const char *path, unsigned line)
{
	struct stat st;
	bool have_st;
	if (w->depth)
		w->line = line;
	int r = guard(w, path, false, &st, &have_st);
	if (r == 0)
		push(w, path, have_st ? &st : NULL);
	return r;
}

void confwalk_leave(struct confwalk *w)
{
	if (w->depth)
		w->depth--;
}

/* The guards, the file-count and byte limits, then the read of path into
 * b: 0, or -errno after the event. *st is what the guard stat()ed. */
static int take(struct confwalk *w, const char *path, bool missing_ok, struct buf *b,
		struct stat *st, bool *have_st)
{
	int r = guard(w, path, missing_ok, st, have_st);
	if (r < 0)
		return r;
	if (w->nfiles >= w->o.max_files || (w->o.max_bytes && w->bytes >= w->o.max_bytes)) {
		w->nfiles++;
		event(w, CONFWALK_TOO_MANY, path, -E2BIG, missing_ok);
		return -E2BIG;
	}
	w->nfiles++;
	r = fsroot_read(w->root, path, w->o.max_size, b);
	if (r < 0) {
		event(w, CONFWALK_UNREADABLE, path, r, missing_ok);
		return r;
	}
	w->bytes += b->len;
	return 0;
}

int confwalk_read(struct confwalk *w, const char *path, bool missing_ok)
{
	struct stat st;
	bool have_st;
	_cleanup_buf_ struct buf b = {0};
	int r = take(w, path, missing_ok, &b, &st, &have_st);
	if (r < 0)
		return r;
	push(w, path, have_st ? &st : NULL);
	unsigned saved_line = w->line;
	w->o.on_file(w, path, b.data, b.len, w->o.ud);
	w->line = saved_line;
	w->depth--;
	return 0;
}

int confwalk_load(struct confwalk *w, const char *path, unsigned line, bool missing_ok,
		  struct buf *ret)
{
	struct stat st;
	bool have_st;
	if (w->depth)
		w->line = line;
	int r = take(w, path, missing_ok, ret, &st, &have_st);
	if (r < 0)
		return r;
	push(w, path, have_st ? &st : NULL);
	return 0;
}

int confwalk_glob(struct confwalk *w, const char *pattern, char ***ret)
{
	size_t n;
	return fsroot_glob(w->root, pattern, ret, &n);
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool is_dir(struct confwalk *w, const char *path)
{
	struct stat st;
	return fsroot_stat(w->root, path, true, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The matches of one spelled-out pattern, read in order; the count. */
static int expand(struct confwalk *w, const char *pattern)
{
	_cleanup_free_ char *pat = strdup(pattern);
	_cleanup_strv_ char **v = NULL;
	size_t n = 0;
	if (!pat)
		return -ENOMEM;
	if (w->o.literal_stat && !has_glob(pat)) {
		struct stat st;
		path_clean(pat);
		if (fsroot_stat(w->root, pat, true, &st) < 0)
			return 0;
		confwalk_read(w, pat, false);
		return 1;
	}
	bool dir = w->o.dir_all && is_dir(w, pat);
	if (dir) {
		_cleanup_free_ char *all = path_join(pat, "*");
		if (!all)
			return -ENOMEM;
		free(pat);
		pat = TAKE_PTR(all);
	}
	if (w->o.literal_stat)
		path_clean(pat);
	int r = fsroot_glob(w->root, pat, &v, &n);
	if (r == -ENOMEM)
		return r;
	if (r < 0 || n == 0)
		return dir ? -EISDIR : 0;
	for (size_t i = 0; i < n; i++) {
		if (dir && w->o.skip && w->o.skip(path_basename(v[i])))
			continue;
		if (w->o.dir_all && is_dir(w, v[i]))
			continue;
		confwalk_read(w, v[i], false);
	}
	return (int)n;
}

/* The directory of the current file ("/etc/nftables.conf" -> "/etc"). */
static char *current_dir(const struct confwalk *w)
{
	const char *cur = confwalk_path(w);
	char *dir = strdup(cur ? cur : "/");
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	return dir;
}

int confwalk_include(struct confwalk *w, const char *base, const char *target, const char *suffix,
		     unsigned line)
{
	char pattern[LIMIT_PATH];
	bool rel = target[0] != '/';
	_cleanup_free_ char *here = base ? NULL : current_dir(w);
	const char *dir = base ? base : here;
	if (!dir)
		return -ENOMEM;
	w->line = line;
	/* "" and "/" are the root: no doubled slash (fsroot_glob takes either). */
	bool root = !dir[0] || strcmp(dir, "/") == 0;
	snprintf(pattern, sizeof(pattern), "%s%s%s%s", rel && !root ? dir : "", rel ? "/" : "",
		 target, suffix ? suffix : "");
	int n = expand(w, pattern);
	if (n == 0 && rel && !base && w->o.fallback && strcmp(dir, w->o.fallback) != 0) {
		snprintf(pattern, sizeof(pattern), "%s/%s%s", w->o.fallback, target,
			 suffix ? suffix : "");
		n = expand(w, pattern);
	}
	if (n == -ENOMEM)
		return n;
	if (n == 0 && !has_glob(target) && !(suffix && *suffix)) {
		w->line = line;
		event(w, CONFWALK_NO_MATCH, target, -ENOENT, false);
	}
	return n < 0 ? 0 : n;
}

int confwalk_systemd_conf(struct fsroot *root, const char *name,
			  bool (*exists)(void *ud, const char *path), void *ud, char ***ret)
{
	static const char *const bases[] = {"/usr/lib/systemd", "/usr/local/lib/systemd",
					    "/run/systemd", "/etc/systemd"};
	char mainpath[LIMIT_PATH], dirs[4][LIMIT_PATH];
	const char *dirp[4], *mainp = NULL;
	char **names[4] = {NULL};
	for (size_t d = 0; d < 4; d++) {
		size_t n;
		snprintf(dirs[d], sizeof(dirs[d]), "%s/%s.d", bases[d], name);
		dirp[d] = dirs[d];
		if (fsroot_list(root, dirs[d], &names[d], &n) < 0)
			names[d] = NULL;
	}
	for (size_t d = 4; d-- > 0 && !mainp;) {
		snprintf(mainpath, sizeof(mainpath), "%s/%s", bases[d], name);
		if (exists(ud, mainpath))
			mainp = mainpath;
	}
	int r = dropins_order(mainp, dirp, names, 4, ret);
	for (size_t d = 0; d < 4; d++)
		strv_free(names[d]);
	return r;
}

/* target after opts.expand, relative to base (NULL: the current file's
 * directory) as in confwalk_include, into out. -errno for the event. */
static int resolve(struct confwalk *w, const char *base, const char *target,
		   char out[static LIMIT_PATH])
{
	_cleanup_free_ char *expanded = NULL;
	if (w->o.expand) {
		int r = w->o.expand(w, target, &expanded, w->o.ud);
		if (r < 0)
			return r;
		target = expanded;
	}
	if (!*target)
		return -EINVAL;
	_cleanup_free_ char *here = base ? NULL : current_dir(w);
	const char *dir = base ? base : here;
	if (!dir)
		return -ENOMEM;
	bool rel = target[0] != '/', root = !dir[0] || strcmp(dir, "/") == 0;
	int n =
	    snprintf(out, LIMIT_PATH, "%s%s%s", rel && !root ? dir : "", rel ? "/" : "", target);
	return n < 0 || (size_t)n >= LIMIT_PATH ? -ENAMETOOLONG : 0;
}

/* "/etc/sudoers.d/../sudoers" is told as "/etc/sudoers" when both name
 * the same file (a symlinked directory makes ".." differ). */
static void clean_if_same(struct confwalk *w, char *path)
{
	char clean[LIMIT_PATH];
	snprintf(clean, sizeof(clean), "%s", path);
	path_clean(clean);
	if (strcmp(clean, path) != 0 && fsroot_same_file(w->root, clean, path) == 1)
		memcpy(path, clean, strlen(clean) + 1);
}

/* The regular files of dir in bytewise order, minus skipped names. */
static int read_dir(struct confwalk *w, const char *dir)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(w->root, dir, &names, &n), count = 0;
	if (r == -ENOMEM || (r == -ENOENT && !w->o.dir_required))
		return r == -ENOENT ? 0 : r;
	if (r < 0) {
		event_ev(w, (struct confwalk_event){
				.kind = CONFWALK_UNREADABLE, .path = dir, .err = r, .dir = true});
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (w->o.skip && w->o.skip(names[i]))
			continue;
		_cleanup_free_ char *path = path_join(dir, names[i]);
		struct stat st;
		if (!path)
			return -ENOMEM;
		r = fsroot_stat(w->root, path, true, &st);
		if (r < 0 && r != -ENOENT)
			event(w, CONFWALK_UNREADABLE, path, r, false);
		if (r < 0 || !S_ISREG(st.st_mode))
			continue;
		confwalk_read(w, path, false);
		count++;
	}
	return count;
}

int confwalk_include_path(struct confwalk *w, const char *base, const char *target, bool dir,
			  unsigned line)
{
	char path[LIMIT_PATH];
	w->line = line;
	int r = resolve(w, base, target, path);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		event_ev(w, (struct confwalk_event){.kind = CONFWALK_UNREADABLE,
						    .path = target,
						    .err = r,
						    .target = true,
						    .dir = dir});
		return 0;
	}
	clean_if_same(w, path);
	if (w->depth >= w->o.max_chain) {
		event(w, CONFWALK_DEPTH, path, -ELOOP, false);
		return 0;
	}
	if (dir)
		return read_dir(w, path);
	confwalk_read(w, path, false);
	return 1;
}
