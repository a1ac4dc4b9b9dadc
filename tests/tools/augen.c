/* augen.c - test tool: print the audit.rules augenrules would write from
 * the *.rules files of a directory, as tenken assembles it, so a test can
 * compare it byte for byte with the file the real augenrules generated.
 * Usage: augen mawk|gawk DIR. Exit 2 on a usage or read error. */
#include <stdio.h>
#include <string.h>
#include "probes/read/fsroot.h"
#include "lib/limits.h"
#include "probes/parse/logging_parse.h"

int main(int argc, char **argv)
{
	struct fsroot *root = NULL;
	char **names = NULL;
	size_t n = 0, nf = 0, tl = 0;
	char *text = NULL;
	if (argc != 3 || (strcmp(argv[1], "mawk") && strcmp(argv[1], "gawk"))) {
		fprintf(stderr, "usage: augen mawk|gawk DIR\n");
		return 2;
	}
	if (fsroot_open(argv[2], FSROOT_AUTO, &root) < 0 || fsroot_list(root, "/", &names, &n) < 0)
		return 2;
	struct rules_file *f = calloc(n + 1, sizeof(*f));
	struct buf *b = calloc(n + 1, sizeof(*b));
	if (!f || !b)
		return 2;
	for (size_t i = 0; i < n; i++) {
		bool mangled;
		char path[LIMIT_PATH];
		if (!augen_name_selected(names[i], &mangled))
			continue;
		snprintf(path, sizeof(path), "/%s", names[i]);
		if (fsroot_read(root, path, LIMIT_CONFIG_FILE, &b[nf]) < 0)
			continue;
		f[nf] = (struct rules_file){names[i], b[nf].data, b[nf].len};
		nf++;
	}
	enum awk_dialect d = strcmp(argv[1], "gawk") == 0 ? AWK_S_BLANK : AWK_S_LETTER;
	if (augenrules_assemble(f, nf, d, &text, &tl) < 0)
		return 2;
	fwrite(text, 1, tl, stdout);
	free(text);
	for (size_t i = 0; i < nf; i++)
		buf_free(&b[i]);
	free(f);
	free(b);
	strv_free(names);
	fsroot_free(root);
	return 0;
}
