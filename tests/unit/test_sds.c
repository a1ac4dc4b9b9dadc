/* test_sds.c - the MDS/SDS catalogue and answers: the shipped catalogue
 * validates against the shipped rules and every question has its seed
 * reference; a mapping to a rule that does not exist (and other damage) is
 * refused with file:line:column; the answer of a question follows from
 * hand-made reports (no > not applicable > unknown > yes, absent rules
 * unknown, capped findings counted); the renderers escape hostile strings
 * and show provenance and signature status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/render.h"
#include "report/sds.h"

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);
	if (!v)
		fail_msg("bad test JSON at %d:%d: %s", e.line, e.column, e.text);
	return v;
}

static void test_shipped_catalog(void **state)
{
	char err[512] = "";
	json_auto_t *cat = sds_catalog_shipped(err, sizeof(err));
	if (!cat)
		fail_msg("shipped catalogue refused: %s", err);
	json_auto_t *known = sds_known_rules();
	assert_non_null(known);
	assert_true(json_object_size(known) > 50);
	const char *name;
	json_t *ed;
	json_object_foreach(json_object_get(cat, "editions"), name, ed) {
		size_t i, mapped = 0, refused = 0;
		json_t *q;
		json_array_foreach(json_object_get(ed, "questions"), i, q) {
			const char *seed = json_string_value(json_object_get(q, "seed"));
			assert_non_null(seed);
			assert_true(strlen(seed) > 0);
			assert_non_null(json_object_get(json_object_get(q, "text"), "ja"));
			assert_non_null(json_object_get(json_object_get(q, "text"), "en"));
			if (json_array_size(json_object_get(q, "rules")))
				mapped++;
			else
				refused++;
		}
		/* the questions the issue names are mapped: auth, passwords, roles,
		 * logs, time, malware, wireless, maintenance accounts, remote */
		assert_true(mapped >= 14);
		assert_true(refused > 0);
	}
	assert_non_null(sds_edition(cat, NULL));
	assert_null(sds_edition(cat, "no-such-edition"));
}

/* A minimal valid catalogue with one question; fmt's %s is the question's
 * extra members or replaced rules. */
static const char *const base_cat =
    "{\"source\": {\"ja\": \"s\", \"en\": \"s\"},\n"
    " \"default_edition\": \"e\",\n"
    " \"editions\": {\"e\": {\n"
    "  \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"form\": {\"ja\": \"f\", \"en\": \"f\"},\n"
    "  \"seed_document\": \"seed\",\n"
    "  \"sections\": {\"6.5\": {\"ja\": \"技術\", \"en\": \"tech\"}},\n"
    "  \"not_in_catalogue\": [],\n"
    "  \"questions\": [\n"
    "   {\"id\": \"18\", \"section\": \"6.5\", \"references\": [\"6.5.C9\"],\n"
    "    \"text\": {\"ja\": \"時刻\", \"en\": \"time\"}, \"why\": {\"ja\": \"w\", \"en\": \"w\"},\n"
    "    %s}]}}}\n";

static json_t *load_with(const char *member, char *err, size_t n)
{
	char text[4096];
	snprintf(text, sizeof(text), base_cat, member);
	json_auto_t *known = sds_known_rules();
	assert_non_null(known);
	return sds_catalog_load(text, strlen(text), "t.json", known, err, n);
}

static void expect_refused(const char *member, const char *why)
{
	char err[512] = "";
	json_t *cat = load_with(member, err, sizeof(err));
	if (cat)
		fail_msg("accepted: %s", member);
	if (!strstr(err, why))
		fail_msg("message \"%s\" lacks \"%s\"", err, why);
	assert_true(strncmp(err, "t.json:", 7) == 0);
}

static void test_loader_refuses(void **state)
{
	char err[512] = "";
	json_t *ok =
	    load_with("\"seed\": \"p4\", \"rules\": [\"time.sync_configured\"]", err, sizeof(err));
	if (!ok)
		fail_msg("valid catalogue refused: %s", err);
	json_decref(ok);

	/* the unknown rule id, with its line and column */
	expect_refused("\"seed\": \"p4\", \"rules\": [\"time.no_such_rule\"]",
		       "no rule has the id \"time.no_such_rule\"");
	load_with("\"seed\": \"p4\", \"rules\": [\"time.no_such_rule\"]", err, sizeof(err));
	assert_string_equal(err, "t.json:11:29: no rule has the id \"time.no_such_rule\"");
	/* every question has its seed reference */
	expect_refused("\"rules\": [\"time.sync_configured\"]", "\"seed\" is missing");
	expect_refused("\"seed\": \"\", \"rules\": []", "non-empty string");
	expect_refused("\"seed\": \"p4\", \"rules\": [], \"colour\": 1",
		       "unknown member \"colour\"");
	expect_refused("\"seed\": \"p4\", \"rules\": [], \"heading\": \"yes\"", "true or false");
	expect_refused("\"seed\": \"p4\", \"rules\": [\"time.sync_configured\"], \"heading\": true",
		       "a heading has no answer");
	expect_refused("\"seed\": \"p4\", \"rules\": [], \"not_applicable_when\": "
		       "{\"empty\": [\"wifi_networks\"], \"why\": {\"ja\": \"x\", \"en\": \"x\"}}",
		       "needs rules");
	expect_refused("\"seed\": \"p4\", \"rules\": [\"time.sync_configured\"], "
		       "\"not_applicable_when\": {\"empty\": [\"../etc\"], "
		       "\"why\": {\"ja\": \"x\", \"en\": \"x\"}}",
		       "not an inventory path");
	expect_refused("\"seed\": \"p4\", \"rules\": [\"time.sync_configured\"], "
		       "\"not_applicable_when\": {\"empty\": [\"wifi_networks\"], "
		       "\"why\": {\"ja\": \"x\"}}",
		       "\"en\" is missing");
	expect_refused("\"seed\": \"p4\", \"rules\": [1]", "non-empty string");
	expect_refused("\"seed\": \"p4\", \"rules\": [], \"choice\": \"maybe\"", "\"choice\"");

	/* a duplicate question, a missing section, broken JSON */
	const char *dup = "{\"source\": {\"ja\": \"s\", \"en\": \"s\"}, \"default_edition\": \"e\","
			  "\"editions\": {\"e\": {\"title\": {\"ja\": \"t\", \"en\": \"t\"},"
			  "\"form\": {\"ja\": \"f\", \"en\": \"f\"}, \"seed_document\": \"d\","
			  "\"sections\": {\"6.5\": {\"ja\": \"a\", \"en\": \"a\"}},"
			  "\"not_in_catalogue\": [{\"section\": \"6.9\", \"questions\": \"51\","
			  "\"seed\": \"p7\", \"why\": {\"ja\": \"a\", \"en\": \"a\"}}],"
			  "\"questions\": [{\"id\": \"18\", \"section\": \"6.5\", \"references\": "
			  "[\"r\"], \"seed\": \"p\", \"text\": {\"ja\": \"a\", \"en\": \"a\"}, "
			  "\"why\": {\"ja\": \"a\", \"en\": \"a\"}, \"rules\": []}]}}}";
	json_auto_t *known = sds_known_rules();
	assert_null(sds_catalog_load(dup, strlen(dup), "d.json", known, err, sizeof(err)));
	assert_non_null(strstr(err, "no such section"));
	assert_null(sds_catalog_load("{\"source\": ", 11, "b.json", known, err, sizeof(err)));
	assert_true(strncmp(err, "b.json:1:", 9) == 0);
	/* without a rule list, nothing is accepted */
	assert_null(sds_catalog_load(dup, strlen(dup), "d.json", NULL, err, sizeof(err)));
}

/* ---- answers ---- */

static const char *const question_ab = "{\"id\": \"q\", \"rules\": [\"r.a\", \"r.b\"]}";

static json_t *report_with(const char *findings)
{
	char text[8192];
	snprintf(text, sizeof(text),
		 "{\"format\": \"tenken-report\", \"inventory\": {}, \"findings\": [%s]}",
		 findings);
	return parse(text);
}

#define PASS(r, n)                                                                                 \
	"{\"rule\": \"" r "\", \"status\": \"pass\", \"subject\": \"host\", "                      \
	"\"evidence\": {\"checked\": " #n "}}"
#define FAIL(r, s) "{\"rule\": \"" r "\", \"status\": \"fail\", \"subject\": \"" s "\"}"
#define UNKNOWN(r)                                                                                 \
	"{\"rule\": \"" r "\", \"status\": \"unknown\", \"subject\": \"host\", "                   \
	"\"evidence\": {\"checked\": 0}}"

static enum sds_answer answer_of(const char *question, const char *findings, struct sds_eval *ev)
{
	json_auto_t *q = parse(question);
	json_auto_t *rep = report_with(findings);
	sds_evaluate(q, rep, ev);
	/* ev's subjects pointed into rep, freed here: callers use counts only */
	return ev->answer;
}

static void test_answers(void **state)
{
	struct sds_eval ev;
	assert_int_equal(answer_of(question_ab, PASS("r.a", 3) "," PASS("r.b", 0), &ev), SDS_YES);
	assert_int_equal(ev.nrules, 2);
	assert_int_equal(ev.rules[0].checked, 3);
	assert_int_equal(ev.rules[1].checked, 0);
	assert_true(ev.rules[0].present && ev.rules[1].present);

	assert_int_equal(
	    answer_of(question_ab,
		      PASS("r.a", 3) "," FAIL("r.b", "account:bob") "," FAIL("r.b", "account:eve"),
		      &ev),
	    SDS_NO);
	assert_int_equal(ev.rules[1].fail, 2);
	assert_int_equal(ev.rules[1].nsubjects, 2);

	/* unknown never becomes yes; a failure wins over unknown */
	assert_int_equal(answer_of(question_ab, PASS("r.a", 3) "," UNKNOWN("r.b"), &ev),
			 SDS_UNKNOWN);
	assert_int_equal(answer_of(question_ab, UNKNOWN("r.a") "," FAIL("r.b", "x:y"), &ev),
			 SDS_NO);
	/* a rule absent from the report checked nothing */
	assert_int_equal(answer_of(question_ab, PASS("r.a", 3), &ev), SDS_UNKNOWN);
	assert_false(ev.rules[1].present);
	assert_int_equal(answer_of(question_ab, "", &ev), SDS_UNKNOWN);
	/* other rules' findings are not this question's evidence */
	assert_int_equal(answer_of(question_ab, PASS("r.a", 1) "," PASS("r.c", 1), &ev),
			 SDS_UNKNOWN);
	/* a status this version does not know is not evidence */
	assert_int_equal(answer_of(question_ab,
				   PASS("r.a", 1) ",{\"rule\": \"r.b\", \"status\": \"maybe\"}",
				   &ev),
			 SDS_UNKNOWN);
	assert_int_equal(ev.rules[1].unknown, 1);
	/* a finding without status: unknown */
	assert_int_equal(answer_of(question_ab, PASS("r.a", 1) ",{\"rule\": \"r.b\"}", &ev),
			 SDS_UNKNOWN);

	/* no rule: not evidenced; a heading has no answer */
	assert_int_equal(answer_of("{\"id\": \"16\", \"rules\": []}", PASS("r.a", 1), &ev),
			 SDS_NOT_EVIDENCED);
	assert_int_equal(answer_of("{\"id\": \"17.1\", \"rules\": [], \"heading\": true}", "", &ev),
			 SDS_HEADING);
	assert_int_equal(answer_of("{\"id\": \"q\"}", "", &ev), SDS_NOT_EVIDENCED);
}

static void test_capped_findings(void **state)
{
	struct sds_eval ev;
	char findings[4096];
	size_t n = 0;
	for (int i = 0; i < 12; i++)
		n += snprintf(findings + n, sizeof(findings) - n,
			      "%s{\"rule\": \"r.a\", \"status\": \"fail\", \"subject\": "
			      "\"account:u%d\"}",
			      i ? "," : "", i);
	snprintf(findings + n, sizeof(findings) - n, "%s",
		 ",{\"rule\": \"r.a\", \"status\": \"fail\", \"subject\": \"omitted\", "
		 "\"omitted\": true, \"evidence\": {\"omitted_count\": 30, \"listed\": 12}}");
	json_auto_t *q = parse("{\"id\": \"q\", \"rules\": [\"r.a\"]}");
	json_auto_t *rep = report_with(findings);
	sds_evaluate(q, rep, &ev);
	assert_int_equal(ev.answer, SDS_NO);
	assert_int_equal(ev.rules[0].fail, 42);
	assert_int_equal(ev.rules[0].nsubjects, SDS_MAX_SUBJECTS);
	assert_string_equal(ev.rules[0].subjects[0], "account:u0");
}

static const char *const question_wifi =
    "{\"id\": \"22\", \"rules\": [\"wireless.insecure_network\"], \"not_applicable_when\": "
    "{\"empty\": [\"wireless/interfaces\", \"wifi_networks\"], \"why\": {\"ja\": \"x\", \"en\": "
    "\"x\"}}}";

static enum sds_answer wifi(const char *inventory, const char *probes, const char *findings)
{
	char text[4096];
	struct sds_eval ev;
	snprintf(text, sizeof(text),
		 "{\"inventory\": %s, \"scan\": {\"probes\": %s}, \"findings\": [%s]}", inventory,
		 probes, findings);
	json_auto_t *q = parse(question_wifi);
	json_auto_t *rep = parse(text);
	sds_evaluate(q, rep, &ev);
	return ev.answer;
}

static void test_not_applicable(void **state)
{
	const char *none = "{\"wireless\": {\"interfaces\": []}, \"wifi_networks\": []}";
	const char *pass = PASS("wireless.insecure_network", 0);
	assert_int_equal(wifi(none, "[]", pass), SDS_NOT_APPLICABLE);
	/* the condition is about facts, not about the rule being unknown */
	assert_int_equal(wifi(none, "[]", UNKNOWN("wireless.insecure_network")),
			 SDS_NOT_APPLICABLE);
	/* a failure is never hidden behind not applicable */
	assert_int_equal(wifi(none, "[]", FAIL("wireless.insecure_network", "wifi:x")), SDS_NO);
	/* an interface, or a saved network: the question applies */
	assert_int_equal(wifi("{\"wireless\": {\"interfaces\": [{\"name\": \"wlan0\"}]}, "
			      "\"wifi_networks\": []}",
			      "[]", pass),
			 SDS_YES);
	assert_int_equal(
	    wifi("{\"wireless\": {\"interfaces\": []}, \"wifi_networks\": [{}]}", "[]", pass),
	    SDS_YES);
	/* a fact that could not be read (null, missing) shows nothing */
	assert_int_equal(
	    wifi("{\"wireless\": {\"interfaces\": null}, \"wifi_networks\": []}", "[]", pass),
	    SDS_YES);
	assert_int_equal(
	    wifi("{\"wifi_networks\": []}", "[]", UNKNOWN("wireless.insecure_network")),
	    SDS_UNKNOWN);
	/* a collection its probe filled only in part shows nothing either */
	assert_int_equal(wifi(none,
			      "[{\"name\": \"wireless\", \"incomplete\": [\"wifi_networks\"]}]",
			      UNKNOWN("wireless.insecure_network")),
			 SDS_UNKNOWN);
}

/* ---- rendering ---- */

static char *render(int (*fn)(const json_t *, const char *, FILE *), const json_t *rep,
		    const char *lang)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(fn(rep, lang, f), 0);
	fclose(f);
	return buf;
}

static const char *const hostile_report =
    "{\"format\": \"tenken-report\", \"host\": {\"hostname\": \"<script>alert(1)</script>\", "
    "\"machine_id\": \"0b1d\"}, \"scan\": {\"now\": \"2026-11-22T00:00:00Z\", \"mode\": "
    "\"offline\"},"
    "\"inventory\": {\"wireless\": {\"interfaces\": []}, \"wifi_networks\": []},"
    "\"findings\": ["
    "{\"rule\": \"time.sync_configured\", \"status\": \"pass\", \"subject\": \"host\", "
    "\"evidence\": {\"checked\": 1}},"
    "{\"rule\": \"wireless.insecure_network\", \"status\": \"pass\", \"subject\": \"host\", "
    "\"evidence\": {\"checked\": 0}},"
    "{\"rule\": \"logging.file_mode\", \"status\": \"fail\", \"subject\": "
    "\"=HYPERLINK(\\\"x\\\")\"}"
    "], %s}";

static json_t *hostile(const char *extra)
{
	char text[4096];
	snprintf(text, sizeof(text), hostile_report, extra);
	return parse(text);
}

static void test_render_html(void **state)
{
	json_auto_t *rep = hostile("\"summary\": {}");
	char *ja = render(render_sds, rep, "ja"), *en = render(render_sds, rep, "en");
	assert_null(strstr(ja, "<script>"));
	assert_non_null(strstr(ja, "&lt;script&gt;"));
	/* 18 time: はい; 17.3.2 log modes: いいえ with the subject; 22: 対象外 */
	assert_non_null(strstr(ja, "「時刻情報の正確性を担保する仕組みがあるか？」"));
	assert_non_null(strstr(ja, "class=\"ans ans-yes\">はい<"));
	assert_non_null(strstr(ja, "class=\"ans ans-no\">いいえ<"));
	assert_non_null(strstr(ja, "class=\"ans ans-not_applicable\">対象外<"));
	assert_non_null(strstr(ja, "この検査では確認できません"));
	assert_non_null(strstr(ja, "署名未検証"));
	assert_non_null(strstr(ja, "来歴 (provenance) がありません"));
	assert_non_null(strstr(ja, "@page{size:A4"));
	assert_null(strstr(ja, "src=\"http"));
	assert_non_null(strstr(en, "Is there a mechanism ensuring accurate time information?"));
	assert_non_null(strstr(en, "「時刻情報の正確性を担保する仕組みがあるか？」"));
	assert_non_null(strstr(en, "signature not verified"));
	assert_non_null(strstr(en, "Yes (はい)"));
	free(ja);
	free(en);

	json_auto_t *signed_rep = hostile(
	    "\"verification\": {\"status\": \"invalid\", \"signer\": \"ops<b>\", \"method\": "
	    "\"sshsig\"},"
	    "\"provenance\": {\"tool\": {\"name\": \"tenken\", \"version\": \"0.1.0\", "
	    "\"binary_sha256\": \"abc123\"}, \"ruleset_sha256\": \"def456\", \"baseline_sha256\": "
	    "null,"
	    "\"command_line\": [\"tenken\", \"scan\", \"--root\", \"/x\"], \"judged_at\": "
	    "\"2026-11-22T00:00:00Z\","
	    "\"root\": \"/x\", \"mode\": \"offline\", \"host\": {\"machine_id\": \"0b1d\", "
	    "\"hostname\": \"h\","
	    "\"ssh_host_keys\": [{\"type\": \"ssh-ed25519\", \"fingerprint\": \"SHA256:zz\"}]}}");
	ja = render(render_sds, signed_rep, "ja");
	en = render(render_sds, signed_rep, "en");
	assert_non_null(strstr(ja, "署名が一致しません"));
	assert_non_null(strstr(ja, "ops&lt;b&gt;"));
	assert_non_null(strstr(ja, "abc123"));
	assert_non_null(strstr(ja, "def456"));
	assert_non_null(strstr(ja, "tenken scan --root /x"));
	assert_non_null(strstr(ja, "SHA256:zz"));
	assert_non_null(strstr(en, "signature INVALID"));
	assert_non_null(strstr(ja, "class=\"notice\">署名が一致しません。"));
	assert_null(strstr(ja, "マシン ID が報告書のホストと一致しません"));
	assert_null(strstr(ja, "判定日時が報告書の判定基準日時と一致しません"));
	assert_non_null(strstr(en, "sshsig"));
	free(ja);
	free(en);

	/* a provenance naming another host and time is flagged */
	json_auto_t *other = hostile("\"provenance\": {\"judged_at\": \"2020-01-01T00:00:00Z\", "
				     "\"host\": {\"machine_id\": \"ffff\"}}");
	ja = render(render_sds, other, "ja");
	assert_non_null(strstr(ja, "マシン ID が報告書のホストと一致しません"));
	assert_non_null(strstr(ja, "判定日時が報告書の判定基準日時と一致しません"));
	assert_null(strstr(ja, "class=\"notice\">署名が一致しません"));
	free(ja);
}

static void test_render_csv(void **state)
{
	json_auto_t *rep = hostile("\"verification\": {\"status\": \"valid\"}");
	char *ja = render(render_sds_csv, rep, "ja"), *en = render(render_sds_csv, rep, "en");
	assert_true(strncmp(ja, "\xEF\xBB\xBFquestion,section,", 20) == 0);
	assert_true(strncmp(en, "question,section,", 17) == 0);
	assert_non_null(strstr(en, "\r\n18,6.5,"));
	assert_non_null(
	    strstr(en, ",yes,Yes (はい),time.sync_configured fail=0 pass=1 unknown=0 checked=1,"));
	assert_non_null(strstr(en, ",no,No (いいえ),"));
	assert_non_null(strstr(en, ",not_applicable,"));
	assert_non_null(strstr(en, ",not_evidenced,"));
	assert_non_null(strstr(en, ",valid\r\n"));
	/* a subject shaped like a formula stays text (inside the quoted field) */
	assert_null(strstr(en, ",=HYPERLINK"));
	assert_null(strstr(en, ",\"=HYPERLINK"));
	/* the heading 17.1 has no row */
	assert_null(strstr(en, "\r\n17.1,"));
	free(ja);
	free(en);
}

static void test_malformed(void **state)
{
	FILE *f = fopen("/dev/null", "w");
	json_auto_t *arr = json_array();
	json_auto_t *odd = parse("{\"findings\": {\"x\": 1}, \"inventory\": [], \"host\": 3, "
				 "\"provenance\": [], \"verification\": \"valid\"}");
	assert_non_null(f);
	assert_int_equal(render_sds(arr, "ja", f), -EINVAL);
	assert_int_equal(render_sds(odd, "ja", f), 0);
	assert_int_equal(render_sds_csv(odd, "en", f), 0);
	assert_int_equal(render_sds(odd, NULL, f), 0);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_catalog), cmocka_unit_test(test_loader_refuses),
	    cmocka_unit_test(test_answers),	    cmocka_unit_test(test_capped_findings),
	    cmocka_unit_test(test_not_applicable),  cmocka_unit_test(test_render_html),
	    cmocka_unit_test(test_render_csv),	    cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
