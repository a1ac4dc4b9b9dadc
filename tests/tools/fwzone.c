/* fwzone.c - test tool: print a firewalld zone file as tenken reads it,
 * in the lines `firewall-offline-cmd --list-all --zone=Z` prints for the
 * same fields (target, interfaces, sources, services, ports), each list
 * sorted, so a test can compare the two. Exit 1 if the file is not a
 * zone tenken can read, 2 on a usage or read error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/read/fsroot.h"
#include "lib/limits.h"
#include "probes/parse/nft_parse.h"

static void print_list(const char *name, struct strv *v)
{
	if (v->n) /* qsort(NULL, 0) is undefined */
		qsort(v->v, v->n, sizeof(*v->v), strv_cmp);
	printf("%s:", name);
	for (size_t i = 0; i < v->n; i++)
		printf(" %s", v->v[i]);
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct fsroot *root = NULL;
	struct buf b = {0};
	struct fwd_zone z;
	if (argc != 3) {
		fprintf(stderr, "usage: fwzone ROOT /PATH/IN/ROOT.xml\n");
		return 2;
	}
	if (fsroot_open(argv[1], FSROOT_AUTO, &root) < 0 ||
	    fsroot_read(root, argv[2], LIMIT_CONFIG_FILE, &b) < 0)
		return 2;
	if (fwd_zone_parse(b.data, b.len, &z) < 0)
		return 1;
	printf("target: %s\n", z.target ? z.target : "default");
	print_list("interfaces", &z.interfaces);
	print_list("sources", &z.sources);
	print_list("services", &z.services);
	print_list("ports", &z.ports);
	fwd_zone_free(&z);
	buf_free(&b);
	fsroot_free(root);
	return 0;
}
