/* fuzz_diff.c - libFuzzer target: saved reports given to `tenken diff`
 * and `tenken report --format sheet` (any JSON). The input is one report,
 * or an array of up to three; the reports are checked for shape, diffed
 * against each other, against themselves and against an empty report
 * (everything added, everything removed), and the diffs and the checklist
 * sheet rendered in both languages. */
#include <stdio.h>
#include "report/diff.h"
#include "report/sheet.h"
#include "tests/fuzz/fuzzlib.h"

static void diff_and_render(const json_t *a, const json_t *b, FILE *out)
{
	json_t *d = diff_reports(a, b);
	if (!d)
		return;
	diff_count(d);
	for (int l = 0; l < 2; l++) {
		render_diff_text(d, l ? "en" : "ja", out);
		render_diff_html(d, l ? "en" : "ja", out);
	}
	json_decref(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	json_t *reports[SHEET_CHECKS] = {NULL};
	size_t n = 0;
	if (!doc)
		return 0;
	if (json_is_array(doc))
		for (size_t i = 0; i < json_array_size(doc) && n < SHEET_CHECKS; i++)
			reports[n++] = json_array_get(doc, i);
	else
		reports[n++] = doc;
	FILE *out = fopen("/dev/null", "w");
	if (!out)
		abort();
	json_t *empty = json_pack("{s:s,s:{},s:[],s:[],s:{}}", "format", "tenken-report", "host",
				  "findings", "checklist", "inventory");
	for (size_t i = 0; i < n; i++) {
		const char *p, *ja, *en;
		report_check_shape(reports[i], &p, &ja, &en);
		report_machine_id(reports[i]);
		report_scanned_at(reports[i]);
		diff_and_render(reports[i], reports[(i + 1) % n], out);
		diff_and_render(reports[i], empty, out);
		diff_and_render(empty, reports[i], out);
	}
	for (int l = 0; l < 2; l++) {
		render_sheet(reports, n, l ? "en" : "ja", out);
		render_sheet_csv(reports, n, l ? "en" : "ja", out);
	}
	json_decref(empty);
	fclose(out);
	json_decref(doc);
	return 0;
}
