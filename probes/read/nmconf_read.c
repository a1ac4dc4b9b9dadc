/* nmconf_read.c - NetworkManager's configuration files in its order (see
 * the header). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/limits.h"
#include "probes/read/nmconf_read.h"

static const char *const dirs[] = {"/usr/lib/NetworkManager/conf.d", "/run/NetworkManager/conf.d",
				   "/etc/NetworkManager/conf.d"};

/* The *.conf names of dir, sorted (a missing directory has none). */
static int conf_names(struct fsroot *root, const char *dir, char ***ret, size_t *n)
{
	int r = fsroot_list(root, dir, ret, n);
	if (r == -ENOENT) {
		*ret = NULL;
		*n = 0;
		return 0;
	}
	if (r < 0)
		return r;
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		size_t len = strlen((*ret)[i]);
		if (len > 5 && strcmp((*ret)[i] + len - 5, ".conf") == 0)
			(*ret)[k++] = (*ret)[i];
		else
			free((*ret)[i]);
	}
	if (*ret)
		(*ret)[k] = NULL;
	*n = k;
	strv_sort(*ret, k);
	return 0;
}

static bool listed(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static int merge_path(struct fsroot *root, struct nmconf *c, const char *path,
		      nmconf_problem_fn problem, void *ud)
{
	_cleanup_buf_ struct buf b = {0};
	unsigned line = 0;
	int r = fsroot_read(root, path, LIMIT_CONFIG_FILE, &b);
	if (r == 0)
		r = nmconf_merge(c, b.data, b.len, &line);
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT)
		return 0; /* no NetworkManager.conf: NetworkManager's defaults */
	if (r < 0)
		problem(ud, path, line, r);
	return r < 0 ? 1 : 0;
}

int nmconf_read(struct fsroot *root, struct nmconf *c, nmconf_problem_fn problem, void *ud)
{
	char **names[3] = {NULL, NULL, NULL};
	size_t n[3] = {0, 0, 0};
	int bad = 0, r = 0;
	for (size_t d = 0; d < 3; d++) {
		int e = conf_names(root, dirs[d], &names[d], &n[d]);
		if (e < 0) {
			problem(ud, dirs[d], 0, e);
			bad = 1;
		}
	}
	for (size_t d = 0; r >= 0 && d < 3; d++) {
		if (d == 2)
			r = merge_path(root, c, "/etc/NetworkManager/NetworkManager.conf", problem,
				       ud);
		for (size_t i = 0; r >= 0 && i < n[d]; i++) {
			bool shadowed = false;
			for (size_t h = d + 1; h < 3; h++)
				shadowed |= listed(names[h], n[h], names[d][i]);
			if (shadowed)
				continue;
			_cleanup_free_ char *p = path_join(dirs[d], names[d][i]);
			r = p ? merge_path(root, c, p, problem, ud) : -ENOMEM;
			bad |= r == 1;
		}
		bad |= r == 1;
	}
	for (size_t d = 0; d < 3; d++)
		strv_free(names[d]);
	return r < 0 ? r : bad;
}
