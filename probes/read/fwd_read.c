/* fwd_read.c - firewalld zones and services with /etc overriding
 * /usr/lib (see the header). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/limits.h"
#include "probes/read/fwd_read.h"

static const char *const etc_dir = "/etc/firewalld", *const lib_dir = "/usr/lib/firewalld";

static bool good_name(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/') && strlen(name) < 200;
}

/* Read KIND/NAME.xml from /etc, else from /usr/lib: 0 (*b, *ret_path),
 * -ENOENT if neither has it, another -errno for the one that applies. */
static int read_def(struct fsroot *root, const char *kind, const char *name, struct buf *b,
		    char **ret_path)
{
	const char *const dirs[] = {etc_dir, lib_dir};
	if (!good_name(name))
		return -EINVAL;
	for (size_t i = 0; i < 2; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s/%s.xml", dirs[i], kind, name);
		int r = fsroot_read(root, path, LIMIT_CONFIG_FILE, b);
		if (r == -ENOENT)
			continue;
		*ret_path = strdup(path);
		if (!*ret_path) {
			buf_free(b);
			return -ENOMEM;
		}
		return r;
	}
	return -ENOENT;
}

int fwd_zone_load(struct fsroot *root, const char *name, struct fwd_zone *z, char **ret_path)
{
	_cleanup_buf_ struct buf b = {0};
	*ret_path = NULL;
	*z = (struct fwd_zone){0};
	int r = read_def(root, "zones", name, &b, ret_path);
	return r < 0 ? r : fwd_zone_parse(b.data, b.len, z);
}

int fwd_service_load(struct fsroot *root, const char *name, struct fwd_service *s, char **ret_path)
{
	_cleanup_buf_ struct buf b = {0};
	*ret_path = NULL;
	*s = (struct fwd_service){0};
	int r = read_def(root, "services", name, &b, ret_path);
	return r < 0 ? r : fwd_service_parse(b.data, b.len, s);
}

static bool strv_has(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

static int add_names(struct fsroot *root, const char *dir, struct strv *ret)
{
	_cleanup_strv_ char **m = NULL;
	size_t n = 0;
	int r = fsroot_list(root, dir, &m, &n);
	if (r == -ENOENT)
		return 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t k = strlen(m[i]);
		if (k <= 4 || strcmp(m[i] + k - 4, ".xml") != 0 || m[i][0] == '.')
			continue;
		m[i][k - 4] = '\0';
		if (!strv_has(ret, m[i]))
			r = strv_add(ret, m[i], k - 4);
	}
	return r;
}

int fwd_zone_names(struct fsroot *root, struct strv *ret)
{
	*ret = (struct strv){0};
	int r = add_names(root, "/etc/firewalld/zones", ret);
	if (r == 0)
		r = add_names(root, "/usr/lib/firewalld/zones", ret);
	if (r < 0)
		strv_reset(ret);
	else
		strv_sort(ret->v, ret->n);
	return r;
}

static int note_bad(struct strv *bad, const char *name, int err)
{
	char tmp[300];
	snprintf(tmp, sizeof(tmp), "%s: %s", name,
		 err == -EINVAL ? "not a firewalld service" : strerror(-err));
	return strv_add(bad, tmp, strlen(tmp));
}

/* Depth-first over includes; seen holds the services already walked. */
static int walk_service(struct fsroot *root, const char *name, unsigned depth, struct strv *seen,
			struct strv *ports, struct strv *bad)
{
	if (strv_has(seen, name) || depth > LIMIT_INCLUDE_DEPTH)
		return 0;
	int r = strv_add(seen, name, strlen(name));
	struct fwd_service s;
	_cleanup_free_ char *path = NULL;
	int lr = r < 0 ? r : fwd_service_load(root, name, &s, &path);
	if (lr < 0)
		return lr == -ENOMEM ? lr : note_bad(bad, name, lr);
	for (size_t i = 0; r == 0 && i < s.ports.n; i++)
		if (!strv_has(ports, s.ports.v[i]))
			r = strv_add(ports, s.ports.v[i], strlen(s.ports.v[i]));
	for (size_t i = 0; r == 0 && i < s.includes.n; i++)
		r = walk_service(root, s.includes.v[i], depth + 1, seen, ports, bad);
	fwd_service_free(&s);
	return r;
}

int fwd_service_ports(struct fsroot *root, const char *name, struct strv *ports, struct strv *bad)
{
	struct strv seen = {0};
	int r = walk_service(root, name, 0, &seen, ports, bad);
	strv_reset(&seen);
	return r;
}
