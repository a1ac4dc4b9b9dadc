/* scan.c - runs the probes in registry order and assembles the report:
 * probes collect, rules judge, the checklist section answers each item of
 * the chosen edition from the findings (see DESIGN.md, "The JSON report"). */
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "probes/read/fsroot.h"
#include "report/render.h"
#include "probes/probe.h"
#include "lib/embedded.h"
#include "scanner/scan.h"
#include "scanner/cache.h"
#include "evidence/provenance.h"

static bool named(const struct scan_opts *o, const char *name)
{
	if (!o->only)
		return true;
	for (char **p = o->only; *p; p++)
		if (strcmp(*p, name) == 0)
			return true;
	return false;
}

/* Which probes run: those --only names, and what they need (a probe reads
 * the collections of the probes its registry entry names in needs, which
 * stand earlier in the table, so one pass from the end covers needs of
 * needs). want has probe_count entries. */
static void select_probes(const struct scan_opts *o, bool *want)
{
	for (size_t i = 0; i < probe_count; i++)
		want[i] = named(o, probe_table[i].name);
	for (size_t i = probe_count; i-- > 0;) {
		if (!want[i])
			continue;
		for (const char *const *n = probe_table[i].needs; n && *n; n++)
			for (size_t j = 0; j < i; j++)
				if (strcmp(probe_table[j].name, *n) == 0)
					want[j] = true;
	}
}

static json_t *run_probe(const struct probe *p, bool want, const struct scan_opts *o,
			 struct fsroot *root, const struct visibility *vis, json_t *inventory,
			 json_t *host)
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
				.vis = vis,
				.collections = p->collections,
				.incomplete = incomplete,
				.params = o->params,
				.cache = o->cache};
	enum probe_status st;
	int64_t t0 = mono_ms();
	if (!want) {
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
		probe_blind_report(&ctx);
		/* Every file any probe reads is seen through the mount table. */
		if (r == 0)
			probe_needs(&ctx, VIS_MNT | probe_sight(p));
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

/* What the scanning process lacks to read everything a root-owned host
 * holds (/etc/shadow, other users' /proc/PID/fd and exe): "root" when its
 * effective uid is not 0, and the capabilities missing from its effective
 * set. An empty list: the scan is privileged. New array. */
static json_t *missing_privileges(void)
{
	static const struct {
		int cap;
		const char *name;
	} caps[] = {{CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE"},
		    {CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH"},
		    {CAP_SYS_PTRACE, "CAP_SYS_PTRACE"}};
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {{0}};
	json_t *out = json_array();
	bool known = syscall(SYS_capget, &hdr, data) == 0;

	if (geteuid() != 0)
		json_array_append_new(out, json_string("root"));
	for (size_t i = 0; i < ARRAY_SIZE(caps); i++)
		if (!known || !(data[caps[i].cap / 32].effective & (1u << (caps[i].cap % 32))))
			json_array_append_new(out, json_string(caps[i].name));
	return out;
}

static json_t *tool_info(void)
{
	return json_pack("{s:s, s:s}", "name", "tenken", "version", TENKEN_VERSION);
}

/* The cache's inputs are looked up through the confined layer. */
static int cache_stat(void *ud, const char *path, struct stat *st)
{
	return fsroot_stat(ud, path, true, st);
}

int scan_collect(const struct scan_opts *o, json_t **ret_report)
{
	struct fsroot *root = NULL;
	int r = fsroot_open(o->root, FSROOT_AUTO, &root);
	if (r < 0)
		return r;
	if (o->cache)
		cache_bind(o->cache, cache_stat, root);
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
	json_t *missing = missing_privileges();
	json_object_set_new(scan, "privileged", json_boolean(json_array_size(missing) == 0));
	if (json_array_size(missing) > 0)
		json_object_set_new(scan, "missing_privileges", missing);
	else
		json_decref(missing);
	json_object_set_new(scan, "cmdline_view",
			    json_string(o->full_cmdline ? "full" : "minimal"));
	json_object_set_new(scan, "probes", probes);
	json_object_set_new(report, "scan", scan);
	json_object_set_new(report, "host", host);
	json_object_set_new(report, "inventory", inventory);
	_cleanup_free_ bool *want = calloc(probe_count, sizeof(*want));
	if (!want) {
		fsroot_free(root);
		json_decref(report);
		return -ENOMEM;
	}
	select_probes(o, want);
	/* What a live scan can see of its host; under --root there is no
	 * host to compare with. */
	struct visibility vis;
	if (!o->offline)
		visibility_read(root, &vis);
	for (size_t i = 0; i < probe_count; i++)
		json_array_append_new(probes, run_probe(&probe_table[i], want[i], o, root,
							o->offline ? NULL : &vis, inventory, host));
	if (o->cache)
		cache_bind(o->cache, NULL, NULL);
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

/* An unprivileged scan puts one line first in the JSON report too:
 * {"notice": {"ja", "en"}} before every other key (the renderers print the
 * same line first, report/render.c). */
static int notice_first(json_t *report)
{
	_cleanup_free_ char *ja = render_privilege_notice(report, "ja");
	_cleanup_free_ char *en = render_privilege_notice(report, "en");
	json_auto_t *rest = NULL;
	const char *k;
	json_t *v;

	if (!ja || !en)
		return 0;
	rest = json_copy(report);
	if (!rest)
		return -ENOMEM;
	json_object_clear(report);
	json_object_set_new(report, "notice", json_pack("{s:s, s:s}", "ja", ja, "en", en));
	json_object_foreach(rest, k, v)
		json_object_set(report, k, v);
	return 0;
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
	return notice_first(report);
}

int scan_provenance(json_t *report, const struct ruleset *rs, bool baseline_given,
		    char *const *argv)
{
	json_t *p = provenance_new(report, rs, baseline_given, argv);
	return p ? json_set(report, "provenance", p) : -ENOMEM;
}

long report_fail_count(const json_t *report)
{
	return (long)json_integer_value(
	    json_object_get(json_object_get(report, "summary"), "fail"));
}
