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

static void event(struct confwalk *w, enum confwalk_problem kind, const char *path, int err,
		  bool missing_ok)
{
	struct confwalk_event ev = {
	    kind,      path, confwalk_path(w), w->depth ? w->line : 0, w->depth,
	    w->nfiles, err,  missing_ok};
	w->o.on_problem(w, &ev, w->o.ud);
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

int confwalk_read(struct confwalk *w, const char *path, bool missing_ok)
{
	struct stat st;
	bool have_st =
	    w->o.guard == CONFWALK_GUARD_INODE && fsroot_stat(w->root, path, true, &st) == 0;
	if (on_chain(w, path, have_st ? &st : NULL)) {
		event(w, CONFWALK_LOOP, path, -ELOOP, missing_ok);
		return -ELOOP;
	}
	if (w->depth >= w->o.max_chain) {
		event(w, CONFWALK_DEPTH, path, -ELOOP, missing_ok);
		return -ELOOP;
	}
	if (w->nfiles >= w->o.max_files) {
		w->nfiles++;
		event(w, CONFWALK_TOO_MANY, path, -E2BIG, missing_ok);
		return -E2BIG;
	}
	w->nfiles++;
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(w->root, path, w->o.max_size, &b);
	if (r < 0) {
		event(w, CONFWALK_UNREADABLE, path, r, missing_ok);
		return r;
	}
	w->chain[w->depth++] =
	    (struct chain_link){path, have_st ? st.st_dev : 0, have_st ? st.st_ino : 0};
	unsigned saved_line = w->line;
	w->o.on_file(w, path, b.data, b.len, w->o.ud);
	w->line = saved_line;
	w->depth--;
	return 0;
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
