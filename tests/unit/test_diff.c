/* test_diff.c - report/diff.c over hand-written reports: findings matched
 * by rule and subject and classed (new, fixed, status changed, a host
 * pass implied by its failures), keyed inventory sets, package versions,
 * collections missing from one side; the report shape check; and the
 * grouping of one rule's findings in the text and HTML reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "report/diff.h"
#include "report/render.h"
#include "report/sheet.h"

static json_t *parse(const char *s)
{
	json_error_t e;
	json_t *r = json_loads(s, 0, &e);
	if (!r)
		fail_msg("%s at %d: %s", e.text, e.position, s);
	return r;
}

#define HEAD                                                                                       \
	"{\"format\":\"tenken-report\",\"format_version\":1,"                                      \
	"\"scan\":{\"now\":\"2026-11-22T00:00:00Z\"},\"checklist_edition\":\"r6\","                \
	"\"host\":{\"hostname\":\"h\",\"machine_id\":\"m1\"},"

static const char old_json[] = HEAD
    "\"inventory\":{\"accounts\":[{\"name\":\"root\",\"uid\":0,\"groups\":[\"root\"]},"
    "{\"name\":\"taro\",\"uid\":1000,\"groups\":[\"users\"]},"
    "{\"name\":\"hana\",\"uid\":1001,\"groups\":[\"wheel\"]}],"
    "\"packages\":[{\"name\":\"openssl\",\"architecture\":\"amd64\",\"version\":\"3.0.11-1\"},"
    "{\"name\":\"telnet\",\"architecture\":\"amd64\",\"version\":\"0.17-44\"}],"
    "\"services\":[{\"unit\":\"ssh.service\",\"enabled\":true},"
    "{\"unit\":\"cups.service\",\"enabled\":false}],"
    "\"listeners\":[{\"proto_port\":\"tcp/22\",\"address\":\"0.0.0.0\",\"process\":\"sshd\"}],"
    "\"usb_devices\":[],\"wifi_networks\":[]},"
    "\"findings\":["
    "{\"rule\":\"a.inactive\",\"subject\":\"account:taro\",\"status\":\"fail\","
    "\"severity\":\"medium\",\"checklist\":[\"2(5)\"],\"message\":{\"ja\":\"j\",\"en\":\"e\"}},"
    "{\"rule\":\"s.forbidden\",\"subject\":\"host\",\"status\":\"pass\",\"severity\":\"high\","
    "\"checklist\":[\"2(9)\"]},"
    "{\"rule\":\"l.auditd\",\"subject\":\"log:auditd\",\"status\":\"pass\",\"severity\":\"low\"},"
    "{\"rule\":\"l.journal\",\"subject\":\"log:journal\",\"status\":\"fail\",\"severity\":\"low\"},"
    "{\"rule\":\"x.many\",\"subject\":\"host\",\"status\":\"fail\",\"omitted\":true}],"
    "\"checklist\":[{\"item\":\"2(5)\",\"answer\":\"no\"},{\"item\":\"2(9)\",\"answer\":\"yes\"}]}";

static const char new_json[] = HEAD
    "\"inventory\":{\"accounts\":[{\"name\":\"root\",\"uid\":0,\"groups\":[\"root\"]},"
    "{\"name\":\"hana\",\"uid\":1001,\"groups\":[\"wheel\"]},"
    "{\"name\":\"jiro\",\"uid\":1002,\"groups\":[\"sudo\",\"users\"]}],"
    "\"packages\":[{\"name\":\"openssl\",\"architecture\":\"amd64\",\"version\":\"3.0.13-1\"},"
    "{\"name\":\"vim\",\"architecture\":\"amd64\",\"version\":\"9.0\"}],"
    "\"services\":[{\"unit\":\"ssh.service\",\"enabled\":true},"
    "{\"unit\":\"cups.service\",\"enabled\":true}],"
    "\"listeners\":[{\"proto_port\":\"tcp/22\",\"address\":\"0.0.0.0\",\"process\":\"sshd2\"},"
    "{\"proto_port\":\"tcp/631\",\"address\":\"0.0.0.0\",\"process\":\"cupsd\"}],"
    "\"usb_devices\":[]},"
    "\"findings\":["
    "{\"rule\":\"a.inactive\",\"subject\":\"host\",\"status\":\"pass\",\"severity\":\"medium\"},"
    "{\"rule\":\"s.forbidden\",\"subject\":\"service:cups.service\",\"status\":\"fail\","
    "\"severity\":\"high\",\"checklist\":[\"2(9)\"],\"message\":{\"ja\":\"j\",\"en\":\"e\"}},"
    "{\"rule\":\"l.auditd\",\"subject\":\"log:auditd\",\"status\":\"unknown\",\"severity\":\"low\"}"
    ","
    "{\"rule\":\"l.journal\",\"subject\":\"log:journal\",\"status\":\"unknown\",\"severity\":"
    "\"low\"},"
    "{\"rule\":\"x.many\",\"subject\":\"host\",\"status\":\"fail\",\"omitted\":true}],"
    "\"checklist\":[{\"item\":\"2(5)\",\"answer\":\"yes\"},{\"item\":\"2(9)\",\"answer\":\"no\"}]}";

/* "rule subject old>new" of each entry of a findings class, joined by ";". */
static void expect_findings(const json_t *d, const char *cls, const char *want)
{
	char got[512] = "";
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(json_object_get(d, "findings"), cls), i, f) {
		const char *o = json_string_value(json_object_get(f, "old"));
		const char *n = json_string_value(json_object_get(f, "new"));
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s %s %s>%s",
			 i ? ";" : "", json_string_value(json_object_get(f, "rule")),
			 json_string_value(json_object_get(f, "subject")), o ? o : "-",
			 n ? n : "-");
	}
	assert_string_equal(got, want);
}

static void expect_keys(const json_t *d, const char *set, const char *kind, const char *want)
{
	char got[512] = "";
	size_t i;
	json_t *e;
	json_array_foreach(
	    json_object_get(json_object_get(json_object_get(d, "inventory"), set), kind), i, e) {
		const char *k = json_string_value(json_object_get(e, "key"));
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? "," : "",
			 k ? k : json_string_value(json_object_get(e, "name")));
	}
	assert_string_equal(got, want);
}

static void test_findings_and_checklist(void **state)
{
	json_t *a = parse(old_json), *b = parse(new_json);
	json_t *d = diff_reports(a, b);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "format")), "tenken-diff");
	assert_true(json_is_true(json_object_get(d, "same_host")));
	/* A host pass going away as failures come is implied, not listed;
	 * the omitted finding is not matched. */
	expect_findings(d, "new_failures", "s.forbidden service:cups.service ->fail");
	expect_findings(d, "fixed", "a.inactive account:taro fail>-");
	/* fail -> unknown is not fixed: unknown is never a pass. */
	expect_findings(d, "status_changed",
			"l.auditd log:auditd pass>unknown;"
			"l.journal log:journal fail>unknown");
	const json_t *cl = json_object_get(d, "checklist");
	assert_int_equal(json_array_size(cl), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(cl, 1), "old")),
			    "yes");
	assert_string_equal(json_string_value(json_object_get(json_array_get(cl, 1), "new")), "no");
	json_decref(d);
	/* The reverse: the new failure is fixed, the fixed one new. */
	d = diff_reports(b, a);
	expect_findings(d, "new_failures",
			"a.inactive account:taro ->fail;l.journal log:journal unknown>fail");
	expect_findings(d, "fixed", "s.forbidden service:cups.service fail>-");
	json_decref(d);
	/* A report against itself: nothing. */
	d = diff_reports(a, a);
	assert_int_equal(diff_count(d), 0);
	assert_int_equal(json_integer_value(json_object_get(d, "changes")), 0);
	json_decref(d);
	json_decref(a);
	json_decref(b);
}

static void test_inventory(void **state)
{
	json_t *a = parse(old_json), *b = parse(new_json);
	json_t *d = diff_reports(a, b);
	expect_keys(d, "accounts", "added", "jiro");
	expect_keys(d, "accounts", "removed", "taro");
	/* hana stays an administrator (wheel); jiro is new (sudo). */
	expect_keys(d, "admins", "added", "jiro");
	expect_keys(d, "admins", "removed", "");
	expect_keys(d, "services_enabled", "added", "cups.service");
	/* Keyed by protocol, port and address: a renamed process is not new. */
	expect_keys(d, "listeners", "added", "tcp/631 0.0.0.0");
	expect_keys(d, "listeners", "removed", "");
	expect_keys(d, "packages", "added", "vim");
	expect_keys(d, "packages", "removed", "telnet");
	const json_t *ch = json_object_get(
	    json_object_get(json_object_get(d, "inventory"), "packages"), "changed");
	assert_int_equal(json_array_size(ch), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ch, 0), "old")),
			    "3.0.11-1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ch, 0), "new")),
			    "3.0.13-1");
	/* The newer report has no wifi_networks: not compared, not "removed". */
	const json_t *nc = json_object_get(d, "not_compared");
	assert_int_equal(json_array_size(nc), 1);
	assert_string_equal(json_string_value(json_array_get(nc, 0)), "wireless");
	assert_null(json_object_get(json_object_get(d, "inventory"), "wireless"));
	/* 2 answers, 1 new, 1 fixed, 2 status, 2+2 accounts/admins... */
	assert_int_equal(diff_count(d), 2 + 1 + 1 + 2 + 2 + 1 + 1 + 1 + 3);
	json_decref(d);
	json_decref(a);
	json_decref(b);
}

static char *render_to_string(int (*fn)(const json_t *, const char *, FILE *), const json_t *d,
			      const char *lang)
{
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	assert_non_null(f);
	assert_int_equal(fn(d, lang, f), 0);
	fclose(f);
	return data;
}

/* A name longer than any real one (a hostile root's) is compared and
 * shown capped, the same in tenken diff and in the store's sets. */
static void test_long_key_capped(void **state)
{
	(void)state;
	json_t *a = parse(old_json), *b = parse(new_json);
	char name[701];
	memset(name, 'x', 700);
	name[700] = '\0';
	json_array_append_new(json_object_get(json_object_get(b, "inventory"), "accounts"),
			      json_pack("{s:s,s:i}", "name", name, "uid", 4242));
	json_t *d = diff_reports(a, b);
	const json_t *added =
	    json_object_get(json_object_get(json_object_get(d, "inventory"), "accounts"), "added");
	const char *shown = NULL;
	size_t i;
	json_t *e;
	json_array_foreach(added, i, e) {
		const char *k = json_string_value(json_object_get(e, "key"));
		if (k && strncmp(k, name, 64) == 0)
			shown = k;
	}
	assert_non_null(shown);
	assert_true(strlen(shown) < 200);
	assert_non_null(strstr(shown, "(700 bytes, sha256 "));
	json_t *keys = diff_inventory_keys(b);
	bool found = false;
	json_array_foreach(json_object_get(keys, "accounts"), i, e)
		found |= strcmp(json_string_value(e), shown) == 0;
	assert_true(found);
	json_decref(keys);
	json_decref(d);
	json_decref(a);
	json_decref(b);
}

static void test_render_diff(void **state)
{
	json_t *a = parse(old_json), *b = parse(new_json);
	/* A hostile package name is shown escaped, never obeyed. */
	json_object_set_new(
	    json_array_get(json_object_get(json_object_get(b, "inventory"), "packages"), 1), "name",
	    json_string("<script>\x1b[2J"));
	json_t *d = diff_reports(a, b);
	char *t = render_to_string(render_diff_text, d, "en");
	assert_non_null(strstr(t, "    ~ openssl:amd64 3.0.11-1 -> 3.0.13-1  (version changed)\n"));
	assert_non_null(strstr(t, "    - taro (uid 1000)  (removed)\n"));
	assert_non_null(strstr(t, "Not compared (missing from one of the reports): wireless"));
	assert_non_null(strstr(t, "<script>\\x1b[2J"));
	assert_null(strchr(t, 0x1b));
	free(t);
	t = render_to_string(render_diff_text, d, "ja");
	assert_non_null(strstr(t, "解消した不適合 (1)\n"));
	assert_non_null(strstr(t, "  2(9)  はい -> いいえ"));
	free(t);
	char *h = render_to_string(render_diff_html, d, "en");
	assert_non_null(strstr(h, "&lt;script&gt;\\x1b[2J"));
	assert_null(strstr(h, "<script"));
	assert_non_null(strstr(h, "<li class=\"removed\">- taro"));
	free(h);
	json_decref(d);
	json_decref(a);
	json_decref(b);
}

static void test_shape(void **state)
{
	static const struct {
		const char *json, *pointer;
		int r;
	} cases[] = {
	    {"{\"format\":\"tenken-report\",\"host\":{},\"findings\":[],\"checklist\":[],"
	     "\"inventory\":{}}",
	     NULL, 0},
	    {"{\"format\":\"tenken-inventory\"}", "/format", -EINVAL},
	    {"{\"host\":{}}", "", -EINVAL},
	    {"[]", "", -EINVAL},
	    {"{\"format\":\"tenken-report\",\"host\":{},\"findings\":{}}", "/findings", -EINVAL},
	    {"{\"format\":\"tenken-report\",\"host\":{},\"findings\":[]}", "", -EINVAL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *r = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
		const char *p = NULL, *ja = NULL, *en = NULL;
		assert_non_null(r);
		assert_int_equal(report_check_shape(r, &p, &ja, &en), cases[i].r);
		if (cases[i].pointer) {
			assert_string_equal(p, cases[i].pointer);
			assert_non_null(ja);
			assert_non_null(en);
		}
		json_decref(r);
	}
	json_t *r = parse("{\"scan\":{\"started_at\":\"A\",\"now\":\"B\"}}");
	assert_string_equal(report_scanned_at(r), "A");
	json_decref(r);
	r = parse("{\"scan\":{\"now\":\"B\"}}");
	assert_string_equal(report_scanned_at(r), "B");
	assert_null(report_machine_id(r));
	json_decref(r);
}

/* Three findings of one rule render as one group: the rule once, the
 * remediation once, evidence common to all once, a table of subjects. */
static const char group_json[] =
    "{\"format\":\"tenken-report\",\"host\":{\"hostname\":\"h\"},\"scan\":{},\"inventory\":{},"
    "\"checklist\":[{\"item\":\"2(7)\",\"answer\":\"no\",\"title\":{\"ja\":\"パッチ\",\"en\":"
    "\"Patches\"},\"fail\":3,\"pass\":0,\"unknown\":0}],\"summary\":{\"fail\":4},\"findings\":["
    "{\"rule\":\"p.update\",\"checklist\":[\"2(7)\"],\"status\":\"fail\",\"severity\":\"high\","
    "\"subject\":\"package:b\",\"message\":{\"ja\":\"b を更新\",\"en\":\"update b\"},"
    "\"evidence\":{\"name\":\"b\",\"suite\":\"security\"},"
    "\"remediation\":{\"ja\":\"更新する\",\"en\":\"upgrade it\"}},"
    "{\"rule\":\"p.update\",\"checklist\":[\"2(7)\"],\"status\":\"fail\",\"severity\":\"high\","
    "\"subject\":\"package:a\",\"message\":{\"ja\":\"a を更新\",\"en\":\"update a\"},"
    "\"evidence\":{\"name\":\"a\",\"suite\":\"security\"},"
    "\"remediation\":{\"ja\":\"更新する\",\"en\":\"upgrade it\"}},"
    "{\"rule\":\"p.update\",\"checklist\":[\"2(7)\"],\"status\":\"fail\",\"severity\":\"high\","
    "\"subject\":\"package:<c>\",\"message\":{\"ja\":\"c を更新\",\"en\":\"update c\"},"
    "\"evidence\":{\"name\":\"<c>\",\"suite\":\"security\"},"
    "\"remediation\":{\"ja\":\"更新する\",\"en\":\"upgrade it\"}},"
    "{\"rule\":\"p.lists\",\"checklist\":[\"2(7)\"],\"status\":\"fail\",\"severity\":\"medium\","
    "\"subject\":\"host\",\"message\":{\"ja\":\"一覧が古い\",\"en\":\"lists are old\"},"
    "\"evidence\":{\"age\":40}}]}";

static void test_grouped_findings(void **state)
{
	json_t *r = parse(group_json);
	char *t = NULL, *h = NULL;
	size_t tl = 0, hl = 0;
	FILE *f = open_memstream(&t, &tl);
	assert_int_equal(render_text(r, "en", false, f), 0);
	fclose(f);
	f = open_memstream(&h, &hl);
	assert_int_equal(render_html(r, "en", f), 0);
	fclose(f);
	/* Text: one block, subjects ordered, columns aligned. */
	const char *g = strstr(t, "    [high] p.update  (3 subjects)\n"
				  "      Remediation: upgrade it\n"
				  "      Evidence:\n"
				  "        suite: security\n"
				  "      Subject      Message   name\n"
				  "      package:<c>  update c  <c>\n"
				  "      package:a    update a  a\n"
				  "      package:b    update b  b\n");
	if (!g)
		fail_msg("no group block in:\n%s", t);
	/* The lone finding of another rule stays a card. */
	assert_non_null(strstr(t, "    [medium] host  (p.lists)\n      lists are old\n"));
	if (strstr(strstr(g, "upgrade it") + 1, "upgrade it"))
		fail_msg("remediation twice:\n%s", t);
	/* HTML: one block with a table; the remediation once. */
	const char *hg = strstr(h, "<div class=\"finding group sev-high\">");
	assert_non_null(hg);
	assert_non_null(strstr(hg, "p.update <span class=\"rule\">2(7) / 3 subjects</span>"));
	assert_non_null(strstr(hg, "<th>Subject</th><th>Message</th><th>name</th>"));
	assert_non_null(
	    strstr(hg, "<td>package:&lt;c&gt;</td><td>update c</td><td>&lt;c&gt;</td>"));
	assert_non_null(strstr(hg, "<dt>suite</dt><dd>security</dd>"));
	const char *rem = strstr(hg, "upgrade it");
	assert_non_null(rem);
	assert_null(strstr(rem + 1, "upgrade it"));
	free(t);
	free(h);
	json_decref(r);
}

/* A report for the sheet: hostile hostname, a time, answers. */
static json_t *sheet_report(const char *at, const char *a24, const char *edition)
{
	json_t *r =
	    json_pack("{s:s,s:{s:s,s:s},s:{s:s},s:s,s:[{s:s,s:s,s:i,s:i,s:i},{s:s,s:s}],s:[],s:{}}",
		      "format", "tenken-report", "host", "hostname", "<b>pc\x1b[2J", "machine_id",
		      "m1", "scan", "started_at", at, "checklist_edition", edition, "checklist",
		      "item", "2(4)", "answer", a24, "fail", 1, "pass", 0, "unknown", 0, "item",
		      "1(1)", "answer", "organisational", "findings", "inventory");
	assert_non_null(r);
	return r;
}

static void test_sheet(void **state)
{
	/* Given newest first; 15:00Z is the next day in Japan. */
	json_t *r[4] = {sheet_report("2026-11-20T15:00:00Z", "yes", "r6"),
			sheet_report("2026-11-01T00:00:00Z", "no", "r6"),
			sheet_report("2026-11-10T14:59:59Z", "unknown", "r6"),
			sheet_report("2026-11-11T00:00:00Z", "no", "r6")};
	char *h = NULL, *c = NULL;
	size_t hl = 0, cl = 0;
	FILE *f = open_memstream(&h, &hl);
	assert_int_equal(render_sheet(r, 3, "ja", f), 0);
	fclose(f);
	f = open_memstream(&c, &cl);
	assert_int_equal(render_sheet_csv(r, 3, "ja", f), 0);
	fclose(f);
	assert_null(strstr(h, "<b>pc"));
	assert_non_null(strstr(h, "&lt;b&gt;pc\\x1b[2J"));
	/* Oldest first: no (11/01), unknown (11/10 JST), yes (11/21 JST). */
	const char *c1 = strstr(h, "data-item=\"2(4)\" data-check=\"1\" data-answer=\"no\"");
	const char *c2 = strstr(h, "data-item=\"2(4)\" data-check=\"2\" data-answer=\"unknown\"");
	const char *c3 = strstr(h, "data-item=\"2(4)\" data-check=\"3\" data-answer=\"yes\"");
	assert_true(c1 && c2 && c3 && c1 < c2 && c2 < c3);
	assert_non_null(strstr(c1, "<span class=\"choice circled\">いいえ</span><br>"
				   "<span class=\"date\">(2026/11/01)</span><br>"
				   "<span class=\"target\">目標日"));
	assert_non_null(strstr(c3, "<span class=\"choice circled\">はい</span>"));
	assert_non_null(strstr(c3, "(2026/11/21)"));
	/* Unknown and organisational: nothing circled. */
	const char *circ = strstr(c2, "circled");
	assert_true(!circ || circ > strstr(c2, "</td>"));
	assert_non_null(
	    strstr(h, "data-item=\"1(1)\" data-check=\"1\" data-answer=\"organisational\""));
	/* Every item of the r6 catalog, also those the report lacks. */
	assert_non_null(strstr(h, "data-item=\"3(3)\" data-check=\"3\" data-answer=\"\""));
	/* CSV: BOM, CRLF, the answers in order with their dates. */
	assert_true(strncmp(c, "\xef\xbb\xbf\"項目\"", 9) == 0);
	assert_non_null(strstr(c, "\"2(4)\",\"医療情報システムの管理・運用\","));
	assert_non_null(strstr(c, "\"いいえ\",\"2026/11/01\",\"\",\"不明\",\"\",\"\",\"はい\","
				  "\"2026/11/21\",\"\","));
	assert_non_null(strstr(c, "\r\n\"3(3)\","));
	free(h);
	free(c);
	/* Refused: four checks, two machines, two editions, an unknown one. */
	const char *ja, *en;
	assert_int_equal(sheet_check(r, 4, &ja, &en), -EINVAL);
	json_object_set_new(json_object_get(r[1], "host"), "machine_id", json_string("m2"));
	assert_int_equal(sheet_check(r, 2, &ja, &en), -EINVAL);
	assert_int_equal(sheet_check(r + 1, 1, &ja, &en), 0);
	json_t *r7 = sheet_report("2026-11-01T00:00:00Z", "no", "r7");
	json_t *pair[2] = {r[0], r7};
	assert_int_equal(sheet_check(pair, 2, &ja, &en), -EINVAL);
	json_object_set_new(r7, "checklist_edition", json_string("r99"));
	assert_int_equal(sheet_check(&r7, 1, &ja, &en), -EINVAL);
	f = fopen("/dev/null", "w");
	assert_int_equal(render_sheet(&r7, 1, "en", f), -EINVAL);
	fclose(f);
	json_decref(r7);
	for (int i = 0; i < 4; i++)
		json_decref(r[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_findings_and_checklist),
	    cmocka_unit_test(test_inventory),
	    cmocka_unit_test(test_long_key_capped),
	    cmocka_unit_test(test_render_diff),
	    cmocka_unit_test(test_shape),
	    cmocka_unit_test(test_grouped_findings),
	    cmocka_unit_test(test_sheet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
