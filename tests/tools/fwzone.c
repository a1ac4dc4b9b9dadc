/* fwzone.c - test tool: firewalld configuration as tenken reads it, in
 * the lines `firewall-offline-cmd --list-all` prints for the same fields
 * (target, interfaces, sources, services, ports), each list sorted, so a
 * test can compare the two.
 *
 *   fwzone ROOT /PATH/IN/ROOT.xml   one zone file
 *   fwzone ROOT --zones             every zone, /etc overriding /usr/lib
 *   fwzone ROOT --default           the default zone's name
 *   fwzone ROOT --service NAME      a service's own ports and its includes
 *
 * Exit 1 if a file is not one tenken can read, 2 on a usage or read error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/limits.h"
#include "probes/parse/nft_parse.h"
#include "probes/read/fsroot.h"
#include "probes/read/fwd_read.h"

static void print_list(const char *name, struct strv *v)
{
	if (v->n) /* qsort(NULL, 0) is undefined */
		qsort(v->v, v->n, sizeof(*v->v), strv_cmp);
	printf("%s:", name);
	for (size_t i = 0; i < v->n; i++)
		printf(" %s", v->v[i]);
	putchar('\n');
}

static void print_zone(struct fwd_zone *z, const char *indent)
{
	printf("%starget: %s\n", indent, z->target ? z->target : "default");
	struct {
		const char *name;
		struct strv *v;
	} f[] = {{"interfaces", &z->interfaces},
		 {"sources", &z->sources},
		 {"services", &z->services},
		 {"ports", &z->ports}};
	for (size_t i = 0; i < 4; i++) {
		fputs(indent, stdout);
		print_list(f[i].name, f[i].v);
	}
}

static int one_file(struct fsroot *root, const char *path)
{
	struct buf b = {0};
	struct fwd_zone z;
	if (fsroot_read(root, path, LIMIT_CONFIG_FILE, &b) < 0)
		return 2;
	int r = fwd_zone_parse(b.data, b.len, &z);
	buf_free(&b);
	if (r < 0)
		return 1;
	print_zone(&z, "");
	fwd_zone_free(&z);
	return 0;
}

static int all_zones(struct fsroot *root)
{
	struct strv names;
	int ret = 0;
	if (fwd_zone_names(root, &names) < 0)
		return 2;
	for (size_t i = 0; i < names.n; i++) {
		struct fwd_zone z;
		char *path = NULL;
		int r = fwd_zone_load(root, names.v[i], &z, &path);
		free(path);
		if (r < 0) {
			ret = r == -EINVAL ? 1 : 2;
			continue;
		}
		printf("%s\n", names.v[i]);
		print_zone(&z, "  ");
		fwd_zone_free(&z);
	}
	strv_reset(&names);
	return ret;
}

static int default_zone(struct fsroot *root)
{
	struct buf b = {0};
	int r = fsroot_read(root, "/etc/firewalld/firewalld.conf", LIMIT_CONFIG_FILE, &b);
	char *v = r == 0 ? kv_get(b.data, b.len, "DefaultZone") : NULL;
	printf("%s\n", v && *v ? v : "public");
	free(v);
	buf_free(&b);
	return r == 0 || r == -ENOENT ? 0 : 2;
}

static int service(struct fsroot *root, const char *name)
{
	struct fwd_service s;
	char *path = NULL;
	int r = fwd_service_load(root, name, &s, &path);
	free(path);
	if (r < 0)
		return r == -EINVAL ? 1 : 2;
	print_list("ports", &s.ports);
	print_list("includes", &s.includes);
	fwd_service_free(&s);
	return 0;
}

int main(int argc, char **argv)
{
	struct fsroot *root = NULL;
	if (argc < 3 || fsroot_open(argv[1], FSROOT_AUTO, &root) < 0) {
		fprintf(stderr, "usage: fwzone ROOT /PATH.xml | --zones | --default | "
				"--service NAME\n");
		return 2;
	}
	int r;
	if (strcmp(argv[2], "--zones") == 0)
		r = all_zones(root);
	else if (strcmp(argv[2], "--default") == 0)
		r = default_zone(root);
	else if (strcmp(argv[2], "--service") == 0 && argc == 4)
		r = service(root, argv[3]);
	else
		r = one_file(root, argv[2]);
	fsroot_free(root);
	return r;
}
