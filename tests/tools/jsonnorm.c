/* jsonnorm.c - test tool: print a tenken report without what changes
 * from run to run (scan timestamps and durations, whether the tests ran
 * privileged, the binary's hash in provenance), with sorted keys, so
 * two scans of one state compare byte for byte; or, with --findings, one
 * line per finding: "STATUS RULE SUBJECT ITEM..." for grep-style tests.
 * Exit 2 if the input is not valid JSON (which is itself a test). */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

static void strip_volatile(json_t *report)
{
	json_t *scan = json_object_get(report, "scan");
	json_object_del(scan, "started_at");
	json_object_del(scan, "finished_at");
	json_object_del(scan, "duration_ms");
	/* Who ran the tests (root or not), not what the fixture holds. */
	json_object_del(scan, "privileged");
	json_object_del(scan, "missing_privileges");
	json_object_del(report, "notice");
	/* The binary's own hash changes with every build, and where it sits
	 * (build/, build/asan/) is argv[0]. */
	json_t *prov = json_object_get(report, "provenance");
	json_object_del(json_object_get(prov, "tool"), "binary_sha256");
	json_array_set_new(json_object_get(prov, "command_line"), 0, json_string("tenken"));
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(scan, "probes"), i, p)
		json_object_del(p, "duration_ms");
}

static void print_findings(const json_t *report)
{
	size_t i, j;
	json_t *f, *it;
	json_array_foreach(json_object_get(report, "findings"), i, f) {
		printf("%s %s %s", json_string_value(json_object_get(f, "status")),
		       json_string_value(json_object_get(f, "rule")),
		       json_string_value(json_object_get(f, "subject")));
		json_array_foreach(json_object_get(f, "checklist"), j, it)
			printf(" %s", json_string_value(it));
		putchar('\n');
	}
	json_array_foreach(json_object_get(report, "checklist"), i, f)
		printf("item %s %s\n", json_string_value(json_object_get(f, "item")),
		       json_string_value(json_object_get(f, "answer")));
	json_array_foreach(json_object_get(json_object_get(report, "scan"), "probes"), i, f)
		printf("probe %s %s\n", json_string_value(json_object_get(f, "name")),
		       json_string_value(json_object_get(f, "status")));
}

int main(int argc, char **argv)
{
	int findings = argc == 3 && strcmp(argv[1], "--findings") == 0;
	if (argc != 2 + findings) {
		fputs("usage: jsonnorm [--findings] FILE\n", stderr);
		return 2;
	}
	json_error_t err;
	json_t *j = json_load_file(argv[1 + findings], JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		fprintf(stderr, "%s:%d:%d: %s\n", argv[1 + findings], err.line, err.column,
			err.text);
		return 2;
	}
	if (findings) {
		print_findings(j);
	} else {
		strip_volatile(j);
		json_dumpf(j, stdout, JSON_INDENT(1) | JSON_SORT_KEYS);
		putchar('\n');
	}
	json_decref(j);
	return 0;
}
