/* embed.c - build tool: write a C file holding the named files of a
 * directory as NUL-terminated byte arrays (see lib/embedded.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int emit(FILE *out, const char *dir, const char *name, int idx)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(out, "static const char d%d[] = {", idx);
	int c;
	size_t n = 0;
	while ((c = getc(f)) != EOF)
		fprintf(out, "%s%d,", (n++ % 24) ? "" : "\n", c);
	fprintf(out, "0};\n");
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	printf("#include \"lib/embedded.h\"\n#include <string.h>\n");
	for (int i = 2; i < argc; i++)
		if (emit(stdout, argv[1], argv[i], i) < 0)
			return 1;
	printf("const struct embedded_file embedded_files[] = {\n");
	for (int i = 2; i < argc; i++)
		printf("\t{\"%s\", d%d, sizeof(d%d) - 1},\n", argv[i], i, i);
	printf("\t{0, 0, 0}};\nconst size_t embedded_count = %d;\n", argc - 2);
	printf("const struct embedded_file *embedded_find(const char *name)\n{\n"
	       "\tfor (size_t i = 0; i < embedded_count; i++)\n"
	       "\t\tif (strcmp(embedded_files[i].name, name) == 0)\n"
	       "\t\t\treturn &embedded_files[i];\n\treturn NULL;\n}\n");
	return 0;
}
