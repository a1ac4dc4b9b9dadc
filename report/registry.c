/* registry.c - the one table of output formats (--format). A new format
 * is a file in report/ with its render function, declared in render.h,
 * and one line here; the command line finds it by name. */
#include <errno.h>
#include <string.h>
#include "report/render.h"

static int csv(const json_t *report, const char *lang, bool color, FILE *out)
{
	return render_csv(report, lang, out);
}

static int html(const json_t *report, const char *lang, bool color, FILE *out)
{
	return render_html(report, lang, out);
}

static int sds(const json_t *report, const char *lang, bool color, FILE *out)
{
	return render_sds(report, lang, out);
}

static int sds_csv(const json_t *report, const char *lang, bool color, FILE *out)
{
	return render_sds_csv(report, lang, out);
}

int render_json(const json_t *report, const char *lang, bool color, FILE *out)
{
	if (json_dumpf(report, out, JSON_INDENT(2)) < 0 || fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}

const struct renderer renderers[] = {
    {"json", render_json}, {"text", render_text}, {"html", html}, {"csv", csv},
    {"sds", sds},	   {"sds-csv", sds_csv},  {NULL, NULL},
};

const struct renderer *renderer_find(const char *name)
{
	for (const struct renderer *r = renderers; name && r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}
