/* scan.c - runs the probes in registry order and assembles the report:
 * probes collect, rules judge, the checklist section answers each item of
 * the chosen edition from the findings (see DESIGN.md, "The JSON report"). */
#include <stdio.h>
#include <string.h>
#include "probes/fsroot.h"
#include "probes/probe.h"
#include "scanner/embedded.h"
#include "scanner/scan.h"

static bool selected(const struct scan_opts *o, const char *name)
{
	if (!o->only)
		return true;
	for (char **p = o->only; *p; p++)
		if (strcmp(*p, name) == 0)
			return true;
	return false;
}

static json_t *run_probe(const struct probe *p, const struct scan_opts *o, struct fsroot *root,
			 json_t *inventory, json_t *host)
{
	json_t *messages = json_array();
	json_auto_t *incomplete = json_array();
	struct probe_ctx ctx = {.root = root,
				.offline = o->offline,
				.full_cmdline = o->full_cmdline,
				.now = o->now,
				.inventory = inventory,
				.host = host,
				.messages = messages,
				.incomplete = incomplete};
	enum probe_status st;
	int64_t t0 = mono_ms();
	if (!selected(o, p->name)) {
		st = PROBE_SKIPPED;
	} else if (o->offline && !p->offline_ok) {
		st = PROBE_NOT_APPLICABLE;
		probe_msg_text(&ctx, "--root 指定時はこのプローブは実行できません",
			       "this probe cannot run on an offline root (--root)");
	} else if (!p->run) {
		st = PROBE_ERROR;
		probe_msg_text(&ctx, "このビルドには含まれていません",
			       "not built into this binary");
	} else {
		int r = p->run(&ctx);
		st = r < 0			     ? PROBE_ERROR
		     : r == PROBE_RET_NOT_APPLICABLE ? PROBE_NOT_APPLICABLE
		     : ctx.partial		     ? PROBE_PARTIAL
						     : PROBE_OK;
		if (r < 0 && json_array_size(messages) == 0)
			probe_msg(&ctx, "失敗しました (%s)", "failed (%s)", strerror(-r),
				  strerror(-r));
	}
	json_t *res =
	    json_pack("{s:s, s:s, s:I, s:o}", "name", p->name, "status", probe_status_name(st),
		      "duration_ms", (json_int_t)(mono_ms() - t0), "messages", messages);
	if (res && json_array_size(incomplete) > 0) {
		json_str_array_sort(incomplete, true);
		json_object_set(res, "incomplete", incomplete);
	}
	return res;
}

static json_t *tool_info(void)
{
	return json_pack("{s:s, s:s}", "name", "tenken", "version", TENKEN_VERSION);
}

int scan_collect(const struct scan_opts *o, json_t **ret_report)
{
	struct fsroot *root = NULL;
	int r = fsroot_open(o->root, FSROOT_AUTO, &root);
	if (r < 0)
		return r;
	char started[21], now[21];
	time_rfc3339(time(NULL), started);
	time_rfc3339(o->now, now);
	json_t *report = json_object();
	json_t *inventory = json_object(), *host = json_object(), *probes = json_array();
	json_object_set_new(report, "format", json_string("tenken-report"));
	json_object_set_new(report, "format_version", json_integer(1));
	json_object_set_new(report, "tool", tool_info());
	json_t *scan = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "started_at", started,
				 "finished_at", started, "duration_ms", (json_int_t)0, "now", now,
				 "root", o->root, "mode", o->offline ? "offline" : "live");
	json_object_set_new(scan, "cmdline_view",
			    json_string(o->full_cmdline ? "full" : "minimal"));
	json_object_set_new(scan, "probes", probes);
	json_object_set_new(report, "scan", scan);
	json_object_set_new(report, "host", host);
	json_object_set_new(report, "inventory", inventory);
	for (size_t i = 0; i < probe_count; i++)
		json_array_append_new(probes, run_probe(&probe_table[i], o, root, inventory, host));
	fsroot_free(root);
	*ret_report = report;
	return 0;
}

void scan_finish(json_t *report, int64_t start_ms)
{
	json_t *scan = json_object_get(report, "scan");
	char fin[21];
	time_rfc3339(time(NULL), fin);
	json_object_set_new(scan, "finished_at", json_string(fin));
	json_object_set_new(scan, "duration_ms", json_integer(mono_ms() - start_ms));
}

/* Items of the edition that at least one rule of the set answers. */
static bool item_has_rule(const struct ruleset *rs, const char *edition, const char *item,
			  json_t *rule_ids)
{
	size_t i;
	json_t *rule;
	bool any = false;
	json_array_foreach(rs->rules, i, rule) {
		json_t *items = json_object_get(json_object_get(rule, "checklist"), edition);
		size_t j;
		json_t *it;
		json_array_foreach(items, j, it) {
			if (json_is_string(it) && strcmp(json_string_value(it), item) == 0) {
				json_array_append(rule_ids, json_object_get(rule, "id"));
				any = true;
			}
		}
	}
	return any;
}

static void count_findings(const json_t *findings, const char *item, long *fail, long *pass,
			   long *unknown)
{
	size_t i, j;
	json_t *f, *it;
	json_array_foreach(findings, i, f) {
		json_array_foreach(json_object_get(f, "checklist"), j, it) {
			if (!json_is_string(it) || strcmp(json_string_value(it), item) != 0)
				continue;
			const char *st = json_string_value(json_object_get(f, "status"));
			if (!st)
				continue;
			if (strcmp(st, "fail") == 0)
				(*fail)++;
			else if (strcmp(st, "pass") == 0)
				(*pass)++;
			else
				(*unknown)++;
		}
	}
}

/* One entry of the report's checklist section. An item no rule answers
 * is "organisational": the hospital answers it, not the host. An item
 * whose rules produced nothing at all (all skipped) is unknown, since
 * nothing was checked. */
static json_t *answer_item(const json_t *cat_item, const struct ruleset *rs, const char *edition,
			   const json_t *findings)
{
	const char *item = json_string_value(json_object_get(cat_item, "item"));
	json_t *rule_ids = json_array();
	long fail = 0, pass = 0, unknown = 0;
	const char *answer = "organisational";
	if (item && item_has_rule(rs, edition, item, rule_ids)) {
		count_findings(findings, item, &fail, &pass, &unknown);
		answer = fail ? "no" : unknown ? "unknown" : pass ? "yes" : "unknown";
	}
	json_t *e =
	    json_pack("{s:s?, s:s, s:O?, s:I, s:I, s:I, s:o}", "item", item, "answer", answer,
		      "title", json_object_get(cat_item, "title"), "fail", (json_int_t)fail, "pass",
		      (json_int_t)pass, "unknown", (json_int_t)unknown, "rules", rule_ids);
	const char *extra[] = {"scope", "references"};
	for (size_t i = 0; e && i < ARRAY_SIZE(extra); i++) {
		json_t *v = json_object_get(cat_item, extra[i]);
		if (v)
			json_object_set(e, extra[i], v);
	}
	return e;
}

static json_t *checklist_section(const struct ruleset *rs, const char *edition,
				 const json_t *findings)
{
	json_t *out = json_array();
	const struct embedded_file *cat = embedded_find("checklist.json");
	json_auto_t *catalog = cat ? json_loadb(cat->data, cat->len, 0, NULL) : NULL;
	json_t *items = json_object_get(
	    json_object_get(json_object_get(catalog, "editions"), edition), "items");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		json_array_append_new(out, answer_item(it, rs, edition, findings));
	return out;
}

static json_t *summary(const json_t *findings)
{
	long n[3] = {0, 0, 0};
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f) {
		const char *st = json_string_value(json_object_get(f, "status"));
		n[st && !strcmp(st, "fail") ? 0 : st && !strcmp(st, "pass") ? 1 : 2]++;
	}
	return json_pack("{s:I, s:I, s:I}", "fail", (json_int_t)n[0], "pass", (json_int_t)n[1],
			 "unknown", (json_int_t)n[2]);
}

int scan_judge(json_t *report, const struct ruleset *rs, const char *edition)
{
	json_t *findings = NULL;
	json_t *probes = json_object_get(json_object_get(report, "scan"), "probes");
	int r = rules_eval(rs, json_object_get(report, "inventory"), probes, edition, &findings);
	if (r < 0)
		return r;
	/* Keep DESIGN.md's key order: baseline and edition before inventory. */
	json_t *inventory = json_incref(json_object_get(report, "inventory"));
	json_object_del(report, "inventory");
	json_object_set(report, "baseline", rs->baseline_info);
	json_object_set_new(report, "checklist_edition", json_string(edition));
	json_object_set_new(report, "inventory", inventory);
	json_object_set_new(report, "findings", findings);
	json_object_set_new(report, "checklist", checklist_section(rs, edition, findings));
	json_object_set_new(report, "summary", summary(findings));
	return 0;
}

long report_fail_count(const json_t *report)
{
	return (long)json_integer_value(
	    json_object_get(json_object_get(report, "summary"), "fail"));
}
