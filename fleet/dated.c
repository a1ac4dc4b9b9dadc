/* dated.c - dated reports and their retention (dated.h). The names sort
 * by time, so "newest" is the greatest name; only names of exactly the
 * dated form are counted or removed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fleet/dated.h"
#include "fleet/remote.h"
#include "lib/limits.h"
#include "lib/util.h"

int dated_report_path(const char *dir, time_t t, char *buf, size_t n)
{
	struct tm tm;
	char stamp[32];
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if ((size_t)snprintf(buf, n, "%s/tenken-%s.json", dir, stamp) >= n)
		return -ENAMETOOLONG;
	return 0;
}

int dated_dir_prepare(const char *dir)
{
	struct stat st;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (stat(dir, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dated_prune(const char *dir, long keep)
{
	DIR *d = opendir(dir);
	if (!d)
		return -errno;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int r = 0, removed = 0;
	for (struct dirent *e; (e = readdir(d)) && n < LIMIT_DIR_ENTRIES;) {
		size_t len = strlen(e->d_name);
		if (!report_name_ok(e->d_name, len) || str_startswith(e->d_name + len - 4, ".sig"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **g = realloc(names, cap * sizeof(char *));
			if (!g) {
				r = -ENOMEM;
				break;
			}
			names = g;
		}
		if (!(names[n] = strdup(e->d_name))) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (r == 0 && n > (size_t)keep) {
		qsort(names, n, sizeof(char *), cmp_name);
		for (size_t i = 0; i + (size_t)keep < n; i++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			if (unlink(path) == 0)
				removed++;
			snprintf(path, sizeof(path), "%s/%s.sig", dir, names[i]);
			unlink(path);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r < 0 ? r : removed;
}
