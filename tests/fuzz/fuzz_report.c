/* fuzz_report.c - libFuzzer target: a report file given to `tenken
 * report` (any JSON that says "format": "tenken-report"), rendered in
 * every format and language, and captured as a baseline. */
#include <stdio.h>
#include "report/render.h"
#include "scanner/capture.h"
#include "engine/rules.h"
#include "tests/fuzz/fuzzlib.h"

static struct ruleset *rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *report = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!report)
		return 0;
	FILE *out = fopen("/dev/null", "w");
	if (!out)
		abort();
	for (int l = 0; l < 2; l++) {
		const char *lang = l ? "en" : "ja";
		render_text(report, lang, l, out);
		render_csv(report, lang, out);
		render_html(report, lang, out);
		render_sds(report, lang, out);
		render_sds_csv(report, lang, out);
	}
	fclose(out);
	struct diag d = {0};
	if (!rules && ruleset_load(NULL, "terminal", &rules, &d) != 0)
		rules = NULL;
	json_t *cap = NULL;
	char msg[256];
	if (rules && baseline_capture(report, rules, &cap, msg, sizeof(msg)) == 0)
		json_decref(cap);
	json_decref(report);
	return 0;
}
