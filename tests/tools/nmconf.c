/* nmconf.c - test tool: NetworkManager's configuration under ROOT as
 * tenken merges it, printed like `NetworkManager --print-config` prints
 * the same groups ([main] plugins, [keyfile], then [connection] and the
 * other connection groups in NetworkManager's search order), so a test
 * can compare the two. With IFNAME, also the connection defaults
 * wifi.cloned-mac-address and wifi.mac-address-randomization for that
 * Wi-Fi device ("?" when undecidable, "-" when unset).
 * Exit 1 if a file could not be used, 2 on a usage error. */
#include <stdio.h>
#include <string.h>
#include "probes/read/nmconf_read.h"

static void problem(void *ud, const char *path, unsigned line, int err)
{
	fprintf(stderr, "%s:%u: %s\n", path, line, strerror(-err));
}

static void print_group(const struct nmconf_group *g, const char *only)
{
	bool head = false;
	for (size_t i = 0; i < g->n; i++) {
		if (only && strcmp(g->kv[i].key, only) != 0)
			continue;
		if (!head)
			printf("[%s]\n", g->name);
		head = true;
		printf("%s=%s\n", g->kv[i].key, g->kv[i].value);
	}
}

static void print_default(const struct nmconf *c, const char *prop, const char *ifname)
{
	const char *v = NULL, *g = NULL;
	int r = nmconf_connection_default(c, prop, ifname, &v, &g);
	printf("%s %s\n", prop, r < 0 ? "?" : r == 0 ? "-" : v);
}

int main(int argc, char **argv)
{
	struct fsroot *root = NULL;
	struct nmconf c = {0};
	if (argc < 2 || argc > 3 || fsroot_open(argv[1], FSROOT_AUTO, &root) < 0) {
		fprintf(stderr, "usage: nmconf ROOT [IFNAME]\n");
		return 2;
	}
	int r = nmconf_read(root, &c, problem, NULL);
	const struct nmconf_group *order[256];
	size_t n = nmconf_connection_order(&c, order, 256);
	/* [main] then [keyfile], as NetworkManager prints them whatever
	 * the order they appeared in (it has no meaning outside [connection*]) */
	for (size_t i = 0; i < c.n; i++)
		if (strcmp(c.g[i].name, "main") == 0)
			print_group(&c.g[i], "plugins");
	for (size_t i = 0; i < c.n; i++)
		if (strcmp(c.g[i].name, "keyfile") == 0)
			print_group(&c.g[i], NULL);
	for (size_t i = 0; i < c.n; i++)
		if (strcmp(c.g[i].name, "connection") == 0)
			print_group(&c.g[i], NULL);
	for (size_t i = 0; i < n; i++)
		if (strcmp(order[i]->name, "connection") != 0)
			print_group(order[i], NULL);
	if (argc == 3) {
		print_default(&c, "wifi.cloned-mac-address", argv[2]);
		print_default(&c, "wifi.mac-address-randomization", argv[2]);
	}
	nmconf_free(&c);
	fsroot_free(root);
	return r != 0;
}
