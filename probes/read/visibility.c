/* visibility.c - what a live scan can see of its host (visibility.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/limits.h"
#include "probes/read/visibility.h"

/* Decode mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
			r += 3;
			continue;
		}
		*w++ = *r;
	}
	*w = 0;
}

/* Split one line into fields; 0 on success. */
static int parse_line(char *s, struct mount_entry *m)
{
	char *f[64];
	size_t n = 0, dash = 0;
	for (char *save = NULL, *t = strtok_r(s, " \t", &save); t && n < ARRAY_SIZE(f);
	     t = strtok_r(NULL, " \t", &save)) {
		if (!dash && n >= 6 && strcmp(t, "-") == 0)
			dash = n;
		f[n++] = t;
	}
	/* id parent maj:min root point opts [optional...] - fstype source superopts */
	if (dash < 6 || n < dash + 4 || !strchr(f[2], ':') || f[3][0] != '/' || f[4][0] != '/')
		return -EINVAL;
	unescape(f[3]);
	unescape(f[4]);
	*m = (struct mount_entry){f[2], f[3], f[4], f[dash + 1], f[dash + 3]};
	return 0;
}

unsigned mountinfo_parse(const char *buf, size_t len, mount_cb cb, void *ud)
{
	struct line_iter it;
	struct line ln;
	unsigned bad = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		if (ln.len == 0)
			continue;
		_cleanup_free_ char *s = xstrndup(ln.s, ln.len);
		struct mount_entry m;
		if (!s || parse_line(s, &m) < 0) {
			bad++;
			continue;
		}
		cb(ud, &m);
	}
	return bad;
}

bool proc_opts_hide(const char *superopts)
{
	_cleanup_free_ char *s = strdup(superopts ? superopts : "");
	for (char *save = NULL, *t = s ? strtok_r(s, ",", &save) : NULL; t;
	     t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "subset=pid") == 0)
			return true;
		if (str_startswith(t, "hidepid=") && strcmp(t + 8, "0") != 0 &&
		    strcmp(t + 8, "off") != 0)
			return true;
	}
	return false;
}

/* ---- the mount tables of this process and of PID 1 ---- */

struct table {
	char **v; /* "point\tmajmin\troot", sorted */
	size_t n, cap;
	char *proc_opts; /* superopts of the last /proc mount */
};

static void table_add(void *ud, const struct mount_entry *m)
{
	struct table *t = ud;
	if (strcmp(m->point, "/proc") == 0) {
		free(t->proc_opts);
		t->proc_opts = strdup(m->superopts);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **v = cap < LIMIT_DIR_ENTRIES ? realloc(t->v, cap * sizeof(*v)) : NULL;
		if (!v)
			return;
		t->v = v;
		t->cap = cap;
	}
	if (asprintf(&t->v[t->n], "%s\t%s\t%s", m->point, m->majmin, m->root) >= 0)
		t->n++;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->proc_opts);
}

static int table_read(struct fsroot *root, const char *path, struct table *t)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0)
		return r;
	mountinfo_parse(b.data, b.len, table_add, t);
	qsort(t->v, t->n, sizeof(*t->v), strv_cmp);
	return t->n ? 0 : -ENOENT;
}

static bool has(const struct table *t, const char *e)
{
	return bsearch(&e, t->v, t->n, sizeof(*t->v), strv_cmp) != NULL;
}

/* A mount of ours that PID 1 lacks is harmless when it binds a directory
 * onto itself (systemd's ReadWritePaths=, ProtectSystem= remounts): the
 * mount of PID 1 holding that point has the same device, and its root
 * joined with the rest of the path is this mount's root. */
static bool self_bind(const struct table *pid1, const char *e)
{
	_cleanup_free_ char *s = strdup(e);
	char *save = NULL, *point = s ? strtok_r(s, "\t", &save) : NULL;
	char *majmin = point ? strtok_r(NULL, "\t", &save) : NULL;
	char *root = majmin ? strtok_r(NULL, "\t", &save) : NULL;
	size_t best = 0;
	bool ok = false;
	if (!root)
		return false;
	for (size_t i = 0; i < pid1->n; i++) {
		char p[LIMIT_PATH], mm[64], rt[LIMIT_PATH], want[LIMIT_PATH * 2];
		if (sscanf(pid1->v[i], "%4095[^\t]\t%63[^\t]\t%4095[^\t]", p, mm, rt) != 3)
			continue;
		size_t pl = strcmp(p, "/") == 0 ? 0 : strlen(p);
		if (strncmp(point, p, pl) != 0 || (point[pl] != '/' && point[pl] != 0) ||
		    pl + 1 < best)
			continue;
		best = pl + 1;
		snprintf(want, sizeof(want), "%s%s", strcmp(rt, "/") == 0 ? "" : rt, point + pl);
		ok = strcmp(mm, majmin) == 0 && strcmp(want, root) == 0;
	}
	return ok;
}

/* 1 the same view, 0 not (first differing point in diff), -errno. */
static int same_mounts(struct fsroot *root, char *diff, size_t difflen, char **ret_proc_opts)
{
	struct table self = {0}, pid1 = {0};
	int r = table_read(root, "/proc/self/mountinfo", &self);
	if (r == 0)
		r = table_read(root, "/proc/1/mountinfo", &pid1);
	for (size_t i = 0; r == 0 && i < pid1.n; i++)
		if (!has(&self, pid1.v[i])) {
			snprintf(diff, difflen, "%.*s", (int)strcspn(pid1.v[i], "\t"), pid1.v[i]);
			r = 1;
		}
	for (size_t i = 0; r == 0 && i < self.n; i++)
		if (!has(&pid1, self.v[i]) && !self_bind(&pid1, self.v[i])) {
			snprintf(diff, difflen, "%.*s", (int)strcspn(self.v[i], "\t"), self.v[i]);
			r = 1;
		}
	*ret_proc_opts = self.proc_opts;
	self.proc_opts = NULL;
	table_free(&self);
	table_free(&pid1);
	return r < 0 ? r : r == 0;
}

/* ---- namespaces and privileges ---- */

/* Each network namespace has its own /proc/net entries: the inode of
 * net/dev tells two namespaces apart without ptrace access to PID 1 (its
 * ns/net link needs it). */
static int same_netns(struct fsroot *root)
{
	struct stat a, b;
	int r = fsroot_stat(root, "/proc/self/net/dev", true, &a);
	if (r == 0)
		r = fsroot_stat(root, "/proc/1/net/dev", true, &b);
	if (r < 0)
		return r;
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

static bool cap_effective(struct fsroot *root, unsigned cap)
{
	_cleanup_buf_ struct buf b = {0};
	if (fsroot_read(root, "/proc/self/status", LIMIT_SMALL_FILE, &b) < 0)
		return false;
	const char *p = strstr(b.data, "\nCapEff:");
	unsigned long long v;
	return p && sscanf(p + 8, "%llx", &v) == 1 && cap < 64 && (v >> cap & 1);
}

void visibility_read(struct fsroot *root, struct visibility *ret)
{
	struct visibility v = {0};
	_cleanup_free_ char *proc_opts = NULL;
	v.root = geteuid() == 0;
	v.ptrace = cap_effective(root, 19 /* CAP_SYS_PTRACE */);
	v.net = same_netns(root);
	v.mnt = same_mounts(root, v.mnt_diff, sizeof(v.mnt_diff), &proc_opts);
	v.hidepid = proc_opts && proc_opts_hide(proc_opts);
	v.lacks = (v.net == 1 ? 0 : VIS_NET) | (v.mnt == 1 ? 0 : VIS_MNT) |
		  (v.hidepid && !v.ptrace ? VIS_PROCS : 0) | (v.root && v.ptrace ? 0 : VIS_PRIV);
	*ret = v;
}
