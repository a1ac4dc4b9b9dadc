/* fuzz_rpmmd.c - libFuzzer target: the rpm-md readers (repomd.xml, primary
 * in XML fed in two chunks and in SQLite form, updateinfo, modules.yaml,
 * .repo/ini files,
 * $variable substitution) on hostile bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/rpmmd_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_pkg(void *userdata, const struct rpmmd_pkg *p)
{
	size_t *n = userdata;
	*n += strlen(p->name) + strlen(p->arch) + strlen(p->epoch) + p->nobsoletes;
	for (size_t i = 0; i < p->nobsoletes; i++)
		*n += rpmmd_dep_matches(&p->obsoletes[i], p->epoch, p->ver, p->rel);
	return 0;
}

static int on_module(void *userdata, const struct rpmmd_module *m)
{
	size_t *n = userdata;
	char a[64], b[64], c[64], d[64], e[64];
	for (size_t i = 0; i < m->nartifacts; i++)
		*n += rpmmd_nevra_split(m->artifacts[i], a, b, c, d, e, sizeof(a));
	return 0;
}

static int on_adv(void *userdata, const struct rpmmd_advisory *a)
{
	size_t *n = userdata;
	*n += strlen(a->id) + a->ncves + a->npkgs;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *why = NULL;
	size_t n = 0;
	struct rpmmd_repomd md;
	if (rpmmd_repomd_parse(buf, size, &md, &why) == 0) {
		rpmmd_repomd_time(&md);
		rpmmd_repomd_get(&md, "primary");
		rpmmd_repomd_free(&md);
	}
	struct rpmmd_primary *p;
	if (rpmmd_primary_new(on_pkg, &n, &p) == 0) {
		size_t half = size / 2;
		if (rpmmd_primary_feed(p, buf, half, false, &why) == 0)
			rpmmd_primary_feed(p, buf + half, size - half, true, &why);
		rpmmd_primary_free(p);
	}
	rpmmd_updateinfo_parse(buf, size, on_adv, &n, &why);
	rpmmd_modules_parse(buf, size, on_module, &n);
	struct rpmmd_ini ini;
	if (rpmmd_ini_parse(buf, size, &ini) == 0) {
		for (size_t i = 0; i < ini.n; i++)
			rpmmd_ini_get(&ini.s[i], "baseurl");
		rpmmd_ini_free(&ini);
	}
	unsigned char *copy = malloc(size + 1);
	if (copy) {
		char err[160];
		memcpy(copy, data, size);
		rpmmd_primary_sqlite(copy, size, on_pkg, &n, err, sizeof(err));
		copy[size] = '\0';
		static const char *const vars[] = {"basearch", "x86_64", "releasever", "9", NULL};
		free(rpmmd_subst((const char *)copy, vars));
		free(copy);
	}
	return 0;
}
