/* test_rules.c - the rule engine, pure: inventory in, findings out.
 * Every operator both ways, three-valued combinators, unknown facts,
 * missing collections, requires, templates, sorting, overrides, checklist
 * editions, and every shipped rule failing on a bad host and passing on a
 * good one. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/probe.h"
#include "engine/rules.h"

/* The registry refers to probes weakly, so a unit test gets only the
 * probes it names: name the system probe to have its "system" collection. */
int (*const test_links_system_probe)(struct probe_ctx *) = probe_system_run;

static const char probes_ok[] = "[{\"name\": \"system\", \"status\": \"ok\", \"messages\": []},"
				" {\"name\": \"accounts\", \"status\": \"ok\", \"messages\": []}]";

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (!j)
		fail_msg("bad test JSON (%s) at %d: %s", e.text, e.column, text);
	return j;
}

static struct ruleset *load(const char *baseline, const char *profile)
{
	struct ruleset *rs = NULL;
	struct diag d;
	int r = ruleset_load_mem("test.json", baseline, baseline ? strlen(baseline) : 0, profile,
				 &rs, &d);

	if (r < 0)
		fail_msg("%s:%u:%u: %s\n%s", d.file, d.line, d.column, d.msg, baseline);
	return rs;
}

/* Findings of the rules whose id starts with "t." (the test's own). */
static json_t *eval_full(const char *baseline, const char *inventory, const char *probes,
			 const char *edition)
{
	struct ruleset *rs = load(baseline, NULL);
	json_auto_t *inv = parse(inventory), *pr = parse(probes ? probes : probes_ok);
	json_auto_t *all = NULL;
	json_t *out = json_array(), *f;
	size_t i;

	assert_int_equal(rules_eval(rs, inv, pr, edition, &all), 0);
	json_array_foreach(all, i, f)
		if (strncmp(json_string_value(json_object_get(f, "rule")), "t.", 2) == 0)
			json_array_append(out, f);
	ruleset_free(rs);
	return out;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	assert_true(vasprintf(&s, f, ap) >= 0);
	va_end(ap);
	return s;
}

/* The field that names an element of coll in subjects and messages. */
static const char *key_field(const char *coll)
{
	if (strcmp(coll, "files") == 0)
		return "path";
	return strcmp(coll, "sudoers") == 0 ? "file" : "name";
}

/* A baseline with one test rule "t.r" over coll. */
static char *one_rule(const char *params, const char *coll, const char *where, const char *assert,
		      const char *extra)
{
	const char *k = key_field(coll);

	return fmt("{\"params\": %s, \"rules\": [{\"id\": \"t.r\","
		   " \"title\": {\"ja\": \"テスト\", \"en\": \"test\"},"
		   " \"checklist\": {\"r6\": [\"2(5)\"], \"r7\": [\"2-⑤\"]},"
		   " \"each\": \"%s\", %s%s%s%s \"assert\": %s,"
		   " \"subject\": \"x:{%s}\", \"message\": {\"ja\": \"{%s} 失敗\", \"en\": \"{%s} "
		   "failed\"}%s}]}",
		   params ? params : "{}", coll, where ? "\"where\": " : "", where ? where : "",
		   where ? "," : "",
		   extra && strstr(extra, "when_empty") ? "" : " \"when_empty\": \"pass\",", assert,
		   k, k, k, extra ? extra : "");
}

/* The one status a single-element evaluation gives. */
static const char *status_of(const json_t *findings)
{
	if (json_array_size(findings) != 1)
		return "?";
	return json_string_value(json_object_get(json_array_get(findings, 0), "status"));
}

struct op_case {
	const char *coll;
	const char *assert;
	const char *elem;
	const char *want; /* pass | fail | unknown */
	const char *params;
};

static const struct op_case op_cases[] = {
    /* eq / ne: JSON equality, numbers numerically */
    {"accounts", "{\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}", "{\"uid\": 0}", "pass", NULL},
    {"accounts", "{\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}", "{\"uid\": 0.0}", "pass",
     NULL},
    {"accounts", "{\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}", "{\"uid\": 1}", "fail", NULL},
    {"accounts", "{\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}", "{\"uid\": null}", "unknown",
     NULL},
    {"accounts", "{\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}", "{}", "unknown", NULL},
    {"accounts", "{\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}", "{\"uid\": \"0\"}", "fail",
     NULL},
    {"accounts", "{\"path\": \"name\", \"op\": \"eq\", \"value\": \"root\"}",
     "{\"name\": \"Root\"}", "fail", NULL},
    {"accounts", "{\"path\": \"interactive\", \"op\": \"eq\", \"value\": true}",
     "{\"interactive\": true}", "pass", NULL},
    {"accounts", "{\"path\": \"interactive\", \"op\": \"eq\", \"value\": true}",
     "{\"interactive\": false}", "fail", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"eq\", \"value\": [\"a\", \"b\"]}",
     "{\"groups\": [\"a\", \"b\"]}", "pass", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"eq\", \"value\": [\"a\", \"b\"]}",
     "{\"groups\": [\"b\", \"a\"]}", "fail", NULL},
    {"accounts", "{\"path\": \"password_state\", \"op\": \"ne\", \"value\": \"empty\"}",
     "{\"password_state\": \"set\"}", "pass", NULL},
    {"accounts", "{\"path\": \"password_state\", \"op\": \"ne\", \"value\": \"empty\"}",
     "{\"password_state\": \"empty\"}", "fail", NULL},
    {"accounts", "{\"path\": \"password_state\", \"op\": \"ne\", \"value\": \"empty\"}",
     "{\"password_state\": null}", "unknown", NULL},
    /* numeric order */
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"le\", \"value\": 90}",
     "{\"days_since_login\": 90}", "pass", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"le\", \"value\": 90}",
     "{\"days_since_login\": 91}", "fail", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"lt\", \"value\": 90}",
     "{\"days_since_login\": 89}", "pass", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"lt\", \"value\": 90}",
     "{\"days_since_login\": 90}", "fail", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"gt\", \"value\": 90}",
     "{\"days_since_login\": 91}", "pass", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"gt\", \"value\": 90}",
     "{\"days_since_login\": 90}", "fail", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"ge\", \"value\": 90}",
     "{\"days_since_login\": 90}", "pass", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"ge\", \"value\": 90}",
     "{\"days_since_login\": 89}", "fail", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"ge\", \"value\": 1.5}",
     "{\"days_since_login\": 2}", "pass", NULL},
    {"accounts", "{\"path\": \"days_since_login\", \"op\": \"le\", \"value\": 90}",
     "{\"days_since_login\": null}", "unknown", NULL},
    {"accounts",
     "{\"path\": \"days_since_login\", \"op\": \"le\", \"value\": {\"param\": "
     "\"max_inactive_days\"}}",
     "{\"days_since_login\": 90}", "pass", NULL},
    {"accounts",
     "{\"path\": \"days_since_login\", \"op\": \"le\", \"value\": {\"param\": "
     "\"max_inactive_days\"}}",
     "{\"days_since_login\": 90}", "fail", "{\"max_inactive_days\": 30}"},
    /* times compare as times, whatever their offset */
    {"accounts", "{\"path\": \"last_login\", \"op\": \"lt\", \"value\": \"2026-01-01T00:00:00Z\"}",
     "{\"last_login\": \"2025-12-31T23:59:59Z\"}", "pass", NULL},
    {"accounts", "{\"path\": \"last_login\", \"op\": \"lt\", \"value\": \"2026-01-01T00:00:00Z\"}",
     "{\"last_login\": \"2026-01-01T09:00:00+09:00\"}", "fail", NULL},
    {"accounts", "{\"path\": \"last_login\", \"op\": \"le\", \"value\": \"2026-01-01T00:00:00Z\"}",
     "{\"last_login\": \"2026-01-01T09:00:00+09:00\"}", "pass", NULL},
    {"accounts", "{\"path\": \"last_login\", \"op\": \"gt\", \"value\": \"2026-01-01\"}",
     "{\"last_login\": \"2026-01-01T00:00:01Z\"}", "pass", NULL},
    {"accounts", "{\"path\": \"last_login\", \"op\": \"lt\", \"value\": \"2026-01-01T00:00:00Z\"}",
     "{\"last_login\": \"yesterday\"}", "unknown", NULL},
    /* in / not_in: strings against any glob; lists element by element */
    {"accounts", "{\"path\": \"name\", \"op\": \"in\", \"value\": [\"root\", \"adm*\"]}",
     "{\"name\": \"admin\"}", "pass", NULL},
    {"accounts", "{\"path\": \"name\", \"op\": \"in\", \"value\": [\"root\", \"adm*\"]}",
     "{\"name\": \"bob\"}", "fail", NULL},
    {"accounts", "{\"path\": \"name\", \"op\": \"in\", \"value\": []}", "{\"name\": \"bob\"}",
     "fail", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"in\", \"value\": [\"users\", \"sta?f\"]}",
     "{\"groups\": [\"users\", \"staff\"]}", "pass", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"in\", \"value\": [\"users\", \"sta?f\"]}",
     "{\"groups\": [\"users\", \"wheel\"]}", "fail", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"in\", \"value\": [\"users\"]}",
     "{\"groups\": []}", "pass", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"in\", \"value\": [\"users\"]}",
     "{\"groups\": null}", "unknown", NULL},
    {"accounts", "{\"path\": \"name\", \"op\": \"not_in\", \"value\": [\"bob*\"]}",
     "{\"name\": \"alice\"}", "pass", NULL},
    {"accounts", "{\"path\": \"name\", \"op\": \"not_in\", \"value\": [\"bob*\"]}",
     "{\"name\": \"bobby\"}", "fail", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"not_in\", \"value\": [\"sudo\", \"wheel\"]}",
     "{\"groups\": [\"users\"]}", "pass", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"not_in\", \"value\": [\"sudo\", \"wheel\"]}",
     "{\"groups\": [\"users\", \"wheel\"]}", "fail", NULL},
    {"accounts", "{\"path\": \"name\", \"op\": \"in\", \"value\": {\"param\": \"admin_accounts\"}}",
     "{\"name\": \"root\"}", "pass", NULL},
    {"accounts", "{\"path\": \"name\", \"op\": \"in\", \"value\": {\"param\": \"admin_accounts\"}}",
     "{\"name\": \"itadmin2\"}", "pass", "{\"admin_accounts\": [\"itadmin*\"]}"},
    {"accounts", "{\"path\": \"name\", \"op\": \"in\", \"value\": {\"param\": \"known_accounts\"}}",
     "{\"name\": \"root\"}", "unknown", NULL},
    /* contains */
    {"accounts", "{\"path\": \"groups\", \"op\": \"contains\", \"value\": \"sud?\"}",
     "{\"groups\": [\"users\", \"sudo\"]}", "pass", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"contains\", \"value\": \"sud?\"}",
     "{\"groups\": [\"users\"]}", "fail", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"contains\", \"value\": [\"wheel\", \"sudo\"]}",
     "{\"groups\": [\"sudo\"]}", "pass", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"contains\", \"value\": [\"wheel\", \"sudo\"]}",
     "{\"groups\": []}", "fail", NULL},
    {"accounts", "{\"path\": \"groups\", \"op\": \"contains\", \"value\": \"sudo\"}",
     "{\"groups\": null}", "unknown", NULL},
    /* glob: one pattern, no flags (so * also crosses "/") */
    {"accounts", "{\"path\": \"shell\", \"op\": \"glob\", \"value\": \"/bin/*sh\"}",
     "{\"shell\": \"/bin/bash\"}", "pass", NULL},
    {"accounts", "{\"path\": \"shell\", \"op\": \"glob\", \"value\": \"/bin/*sh\"}",
     "{\"shell\": \"/usr/sbin/nologin\"}", "fail", NULL},
    {"accounts", "{\"path\": \"shell\", \"op\": \"glob\", \"value\": \"/*sh\"}",
     "{\"shell\": \"/usr/bin/zsh\"}", "pass", NULL},
    {"accounts", "{\"path\": \"shell\", \"op\": \"glob\", \"value\": \"[!/]*\"}",
     "{\"shell\": \"/bin/sh\"}", "fail", NULL},
    /* regex: POSIX extended */
    {"accounts", "{\"path\": \"shell\", \"op\": \"regex\", \"value\": \"^/(usr/)?bin/(ba|z)sh$\"}",
     "{\"shell\": \"/usr/bin/zsh\"}", "pass", NULL},
    {"accounts", "{\"path\": \"shell\", \"op\": \"regex\", \"value\": \"^/(usr/)?bin/(ba|z)sh$\"}",
     "{\"shell\": \"/bin/sh\"}", "fail", NULL},
    {"accounts", "{\"path\": \"shell\", \"op\": \"regex\", \"value\": \"sh\"}", "{\"shell\": null}",
     "unknown", NULL},
    /* exists / absent: the key only; null is present */
    {"accounts", "{\"path\": \"last_login\", \"op\": \"exists\"}", "{\"last_login\": null}", "pass",
     NULL},
    {"accounts", "{\"path\": \"last_login\", \"op\": \"exists\"}", "{}", "fail", NULL},
    {"accounts", "{\"path\": \"last_login\", \"op\": \"absent\"}", "{}", "pass", NULL},
    {"accounts", "{\"path\": \"last_login\", \"op\": \"absent\"}", "{\"last_login\": null}", "fail",
     NULL},
    /* mode_le: no permission bit outside the allowed mode */
    {"files", "{\"path\": \"mode\", \"op\": \"mode_le\", \"value\": \"0640\"}",
     "{\"mode\": \"0640\"}", "pass", NULL},
    {"files", "{\"path\": \"mode\", \"op\": \"mode_le\", \"value\": \"0640\"}",
     "{\"mode\": \"0600\"}", "pass", NULL},
    {"files", "{\"path\": \"mode\", \"op\": \"mode_le\", \"value\": \"0640\"}",
     "{\"mode\": \"0000\"}", "pass", NULL},
    {"files", "{\"path\": \"mode\", \"op\": \"mode_le\", \"value\": \"0640\"}",
     "{\"mode\": \"0644\"}", "fail", NULL},
    {"files", "{\"path\": \"mode\", \"op\": \"mode_le\", \"value\": \"0640\"}",
     "{\"mode\": \"0500\"}", "fail", NULL},
    {"files", "{\"path\": \"mode\", \"op\": \"mode_le\", \"value\": \"0755\"}",
     "{\"mode\": \"4755\"}", "fail", NULL},
    {"files", "{\"path\": \"mode\", \"op\": \"mode_le\", \"value\": \"0640\"}", "{\"mode\": null}",
     "unknown", NULL},
    {"files", "{\"path\": \"mode\", \"op\": \"mode_le\", \"value\": \"0640\"}",
     "{\"mode\": \"rw-r-----\"}", "unknown", NULL},
    /* count: the length of a list */
    {"accounts", "{\"count\": \"groups\", \"op\": \"ge\", \"value\": 2}",
     "{\"groups\": [\"a\", \"b\"]}", "pass", NULL},
    {"accounts", "{\"count\": \"groups\", \"op\": \"ge\", \"value\": 2}", "{\"groups\": [\"a\"]}",
     "fail", NULL},
    {"accounts", "{\"count\": \"groups\", \"op\": \"eq\", \"value\": 0}", "{\"groups\": []}",
     "pass", NULL},
    {"accounts", "{\"count\": \"groups\", \"op\": \"eq\", \"value\": 0}", "{\"groups\": null}",
     "unknown", NULL},
    /* param: a condition on a parameter alone */
    {"accounts", "{\"param\": \"treat_locked_as_removed\", \"op\": \"eq\", \"value\": false}", "{}",
     "pass", NULL},
    {"accounts", "{\"param\": \"treat_locked_as_removed\", \"op\": \"eq\", \"value\": false}", "{}",
     "fail", "{\"treat_locked_as_removed\": true}"},
    {"accounts", "{\"param\": \"known_accounts\", \"op\": \"contains\", \"value\": \"root\"}", "{}",
     "unknown", NULL},
    {"accounts", "{\"param\": \"known_accounts\", \"op\": \"exists\"}", "{}", "fail", NULL},
    {"accounts", "{\"param\": \"known_accounts\", \"op\": \"exists\"}", "{}", "pass",
     "{\"known_accounts\": []}"},
    {"accounts", "{\"param\": \"admin_groups\", \"op\": \"contains\", \"value\": \"wheel\"}", "{}",
     "pass", NULL},
};

static void test_operators(void **state)
{
	size_t failures = 0;

	for (size_t i = 0; i < sizeof(op_cases) / sizeof(op_cases[0]); i++) {
		const struct op_case *c = &op_cases[i];
		char *b = one_rule(c->params, c->coll, NULL, c->assert, NULL);
		char *inv = fmt("{\"%s\": [%s]}", c->coll, c->elem);
		json_t *f = eval_full(b, inv, NULL, "r6");
		if (strcmp(status_of(f), c->want) != 0) {
			char *s = json_dumps(f, JSON_COMPACT);
			print_error("case %zu: %s on %s: want %s, got %s\n", i, c->assert, c->elem,
				    c->want, s);
			free(s);
			failures++;
		}
		json_decref(f);
		free(b);
		free(inv);
	}
	assert_int_equal(failures, 0);
}

/* T, F and U leaves: interactive, system, locked hold true, false, null. */
#define T  "{\"path\": \"interactive\", \"op\": \"eq\", \"value\": true}"
#define F  "{\"path\": \"system\", \"op\": \"eq\", \"value\": true}"
#define U  "{\"path\": \"locked\", \"op\": \"eq\", \"value\": true}"
#define U2 "{\"path\": \"expired\", \"op\": \"eq\", \"value\": true}"

static const struct {
	const char *cond;
	const char *want;
	const char *unknown; /* the unknown_fields expected, as JSON */
} tri_cases[] = {
    {"{\"all\": [" T ", " T "]}", "pass", NULL},
    {"{\"all\": [" T ", " U "]}", "unknown", "[\"locked\"]"},
    {"{\"all\": [" U ", " F "]}", "fail", NULL},
    {"{\"all\": [" F ", " U "]}", "fail", NULL},
    {"{\"any\": [" F ", " T "]}", "pass", NULL},
    {"{\"any\": [" U ", " T "]}", "pass", NULL},
    {"{\"any\": [" F ", " U "]}", "unknown", "[\"locked\"]"},
    {"{\"any\": [" F ", " F "]}", "fail", NULL},
    {"{\"none\": [" F ", " F "]}", "pass", NULL},
    {"{\"none\": [" F ", " U "]}", "unknown", "[\"locked\"]"},
    {"{\"none\": [" U ", " T "]}", "fail", NULL},
    {"{\"not\": " T "}", "fail", NULL},
    {"{\"not\": " F "}", "pass", NULL},
    {"{\"not\": " U "}", "unknown", "[\"locked\"]"},
    /* only the unknowns that decided the result are named */
    {"{\"all\": [" U ", {\"any\": [" T ", " U2 "]}]}", "unknown", "[\"locked\"]"},
    {"{\"all\": [" U ", {\"any\": [" F ", " U2 "]}]}", "unknown", "[\"locked\", \"expired\"]"},
    {"{\"any\": [{\"all\": [" F ", " U2 "]}, " U "]}", "unknown", "[\"locked\"]"},
    {"{\"all\": [" U ", " U "]}", "unknown", "[\"locked\"]"},
};

static void test_three_valued(void **state)
{
	static const char inv[] = "{\"accounts\": [{\"name\": \"a\", \"interactive\": true, "
				  "\"system\": false, \"locked\": null, \"expired\": null}]}";

	for (size_t i = 0; i < sizeof(tri_cases) / sizeof(tri_cases[0]); i++) {
		char *b = one_rule(NULL, "accounts", NULL, tri_cases[i].cond, NULL);
		json_auto_t *f = eval_full(b, inv, NULL, "r6");
		if (strcmp(status_of(f), tri_cases[i].want) != 0)
			fail_msg("case %zu: %s: want %s, got %s", i, tri_cases[i].cond,
				 tri_cases[i].want, status_of(f));
		if (tri_cases[i].unknown) {
			json_auto_t *want = parse(tri_cases[i].unknown);
			const json_t *got = json_object_get(
			    json_object_get(json_array_get(f, 0), "evidence"), "unknown_fields");
			if (!json_equal(want, (json_t *)got))
				fail_msg("case %zu: unknown_fields %s", i, json_dumps(got, 0));
		}
		free(b);
	}
}

static const json_t *finding(const json_t *findings, const char *subject)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f)
		if (strcmp(json_string_value(json_object_get(f, "subject")), subject) == 0)
			return f;
	return NULL;
}

static const char *str_at(const json_t *obj, const char *a, const char *b)
{
	const json_t *v = json_object_get(obj, a);

	return json_string_value(b ? json_object_get(v, b) : v);
}

/* where FALSE skips, where UNKNOWN is an unknown finding naming the
 * field, and the pass counts only what where selected. */
static void test_where(void **state)
{
	char *b = one_rule(NULL, "accounts",
			   "{\"path\": \"interactive\", \"op\": \"eq\", \"value\": true}",
			   "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}", NULL);
	json_auto_t *f =
	    eval_full(b,
		      "{\"accounts\": [{\"name\": \"daemon\", \"interactive\": false, \"uid\": 1},"
		      " {\"name\": \"ghost\", \"interactive\": null, \"uid\": 1001},"
		      " {\"name\": \"taro\", \"interactive\": true, \"uid\": 1000}]}",
		      NULL, "r6");
	const json_t *g = finding(f, "x:ghost");

	assert_int_equal(json_array_size(f), 1);
	assert_string_equal(str_at(g, "status", NULL), "unknown");
	assert_string_equal(
	    str_at(g, "message", "en"),
	    "x:ghost: 1 fact needed for the check could not be read, so \"test\" was "
	    "not checked (see the evidence)");
	assert_string_equal(
	    str_at(g, "message", "ja"),
	    "x:ghost: 判定に必要な情報 1 件を読み取れなかったため、「テスト」を確認できませ"
	    "んでした（根拠を参照）");
	json_auto_t *want =
	    parse("{\"interactive\": null, \"uid\": 1001, \"unknown_fields\": [\"interactive\"]}");
	assert_true(json_equal(want, json_object_get(g, "evidence")));
	free(b);

	/* all selected pass: one pass finding with the count */
	b = one_rule(NULL, "accounts",
		     "{\"path\": \"interactive\", \"op\": \"eq\", \"value\": true}",
		     "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}", NULL);
	json_auto_t *p =
	    eval_full(b,
		      "{\"accounts\": [{\"name\": \"daemon\", \"interactive\": false, \"uid\": 1},"
		      " {\"name\": \"taro\", \"interactive\": true, \"uid\": 1000},"
		      " {\"name\": \"hanako\", \"interactive\": true, \"uid\": 1001}]}",
		      NULL, "r6");
	assert_int_equal(json_array_size(p), 1);
	const json_t *pf = json_array_get(p, 0);
	assert_string_equal(str_at(pf, "status", NULL), "pass");
	assert_string_equal(str_at(pf, "subject", NULL), "host");
	assert_string_equal(str_at(pf, "message", "ja"), "テスト");
	assert_string_equal(str_at(pf, "message", "en"), "test");
	json_auto_t *checked = parse("{\"checked\": 2}");
	assert_true(json_equal(checked, json_object_get(pf, "evidence")));
	free(b);

	/* an empty collection with "when_empty": "pass" passes with nothing checked */
	b = one_rule(NULL, "accounts", NULL, "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}",
		     NULL);
	json_auto_t *e = eval_full(b, "{\"accounts\": []}", NULL, "r6");
	assert_string_equal(status_of(e), "pass");
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(json_array_get(e, 0), "evidence"), "checked")),
			 0);
	free(b);
}

/* A missing or null collection is one unknown finding naming the probe
 * and its status. */
static void test_missing_collection(void **state)
{
	char *b = one_rule(NULL, "sudoers", NULL,
			   "{\"path\": \"nopasswd\", \"op\": \"eq\", \"value\": false}", NULL);
	static const char probes[] =
	    "[{\"name\": \"accounts\", \"status\": \"partial\", \"messages\": "
	    "[{\"ja\": \"/etc/sudoers を読めません\", \"en\": \"cannot read /etc/sudoers\"}]}]";
	static const char *const inventories[] = {"{\"accounts\": []}", "{\"sudoers\": null}",
						  "{\"sudoers\": {}}"};

	for (size_t i = 0; i < 3; i++) {
		json_auto_t *f = eval_full(b, inventories[i], probes, "r6");
		const json_t *u = json_array_get(f, 0);
		assert_int_equal(json_array_size(f), 1);
		assert_string_equal(str_at(u, "status", NULL), "unknown");
		assert_string_equal(str_at(u, "subject", NULL), "host");
		const json_t *ev = json_object_get(u, "evidence");
		assert_string_equal(str_at(ev, "probe", NULL), "accounts");
		assert_string_equal(str_at(ev, "probe_status", NULL), "partial");
		assert_string_equal(str_at(ev, "collection", NULL), "sudoers");
		assert_int_equal(json_array_size(json_object_get(ev, "probe_messages")), 1);
		assert_string_equal(
		    str_at(u, "message", "en"),
		    "\"test\" could not be checked: the accounts probe gave no facts "
		    "for it (cannot read /etc/sudoers)");
		assert_non_null(strstr(str_at(u, "message", "ja"), "/etc/sudoers を読めません"));
	}
	/* the probe did not run at all (--only) */
	json_auto_t *f = eval_full(b, "{}", "[]", "r6");
	assert_string_equal(
	    str_at(json_object_get(json_array_get(f, 0), "evidence"), "probe_status", NULL),
	    "not_run");
	free(b);

	/* a single collection ("system") */
	b = fmt("{\"rules\": [{\"id\": \"t.s\", \"title\": {\"ja\": \"t\", \"en\": \"t\"},"
		" \"checklist\": {\"r6\": [\"2(4)\"]}, \"each\": \"system\","
		" \"assert\": {\"path\": \"hostname\", \"op\": \"glob\", \"value\": \"srv-*\"},"
		" \"subject\": \"host\", \"message\": {\"ja\": \"{hostname}\", \"en\": "
		"\"{hostname}\"}}]}");
	json_auto_t *s1 = eval_full(b, "{\"system\": {\"hostname\": \"srv-01\"}}", NULL, "r6");
	json_auto_t *s2 = eval_full(b, "{\"system\": {\"hostname\": \"pc-01\"}}", NULL, "r6");
	json_auto_t *s3 = eval_full(b, "{\"system\": null}", NULL, "r6");
	json_auto_t *s4 = eval_full(b, "{\"system\": [{\"hostname\": \"srv-01\"}]}", NULL, "r6");
	assert_string_equal(status_of(s1), "pass");
	assert_string_equal(status_of(s2), "fail");
	assert_string_equal(str_at(json_array_get(s2, 0), "message", "en"), "pc-01");
	assert_string_equal(status_of(s3), "unknown");
	assert_string_equal(status_of(s4), "unknown");
	free(b);
}

/* "when_empty": an empty or all-filtered set gives the rule's own answer,
 * with "checked": 0 and its "empty_message" (or a default one). */
static void test_when_empty(void **state)
{
	static const char *const whats[] = {"pass", "unknown", "fail"};
	static const char where[] = "{\"path\": \"interactive\", \"op\": \"eq\", \"value\": true}";
	static const char assert_[] = "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}";
	static const char *const invs[] = {
	    "{\"accounts\": []}",
	    "{\"accounts\": [{\"name\": \"daemon\", \"interactive\": false, \"uid\": 1}]}"};

	for (size_t w = 0; w < 3; w++) {
		for (size_t m = 0; m < 2; m++) {
			char *extra =
			    fmt(", \"when_empty\": \"%s\"%s", whats[w],
				m ? ", \"empty_message\": {\"ja\": \"空 {param:max_inactive_"
				    "days}\", \"en\": \"empty {param:max_inactive_days}\"}"
				  : "");
			char *b = one_rule("{\"max_inactive_days\": 45}", "accounts", where,
					   assert_, extra);
			for (size_t i = 0; i < 2; i++) {
				json_auto_t *f = eval_full(b, invs[i], NULL, "r6");
				const json_t *x = json_array_get(f, 0);
				assert_string_equal(status_of(f), whats[w]);
				assert_string_equal(str_at(x, "subject", NULL), "host");
				json_auto_t *want = parse("{\"checked\": 0}");
				assert_true(json_equal(want, json_object_get(x, "evidence")));
				if (m) {
					assert_string_equal(str_at(x, "message", "en"), "empty 45");
					assert_string_equal(str_at(x, "message", "ja"), "空 45");
				} else if (w == 0) {
					assert_string_equal(str_at(x, "message", "en"), "test");
				} else {
					assert_non_null(
					    strstr(str_at(x, "message", "en"), "\"test\""));
					assert_non_null(
					    strstr(str_at(x, "message", "ja"), "「テスト」"));
				}
			}
			free(b);
			free(extra);
		}
	}

	/* a single collection whose "where" filters the object out */
	char *b =
	    fmt("{\"rules\": [{\"id\": \"t.s\", \"title\": {\"ja\": \"t\", \"en\": \"t\"},"
		" \"checklist\": {\"r6\": [\"2(4)\"]}, \"each\": \"system\","
		" \"when_empty\": \"fail\","
		" \"where\": {\"path\": \"hostname\", \"op\": \"glob\", \"value\": \"srv-*\"},"
		" \"assert\": {\"path\": \"hostname\", \"op\": \"ne\", \"value\": \"srv-x\"},"
		" \"subject\": \"host\", \"message\": {\"ja\": \"m\", \"en\": \"m\"}}]}");
	json_auto_t *s1 = eval_full(b, "{\"system\": {\"hostname\": \"pc-01\"}}", NULL, "r6");
	json_auto_t *s2 = eval_full(b, "{\"system\": {\"hostname\": \"srv-01\"}}", NULL, "r6");
	assert_string_equal(status_of(s1), "fail");
	assert_string_equal(status_of(s2), "pass");
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(json_array_get(s2, 0), "evidence"), "checked")),
			 1);
	free(b);
}

/* The loader wants "when_empty" on every rule over a list, and on a rule
 * over one object that "where" can filter out; a bad value or an empty
 * message naming a field is refused, each with its position. */
static void test_when_empty_loader(void **state)
{
	static const struct {
		const char *text, *want, *at; /* at: the token the error points to */
	} cases[] = {
	    {"{\"rules\": [\n{\"id\": \"t.a\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, "
	     "\"checklist\": {\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"assert\": {\"path\": "
	     "\"uid\", \"op\": \"ge\", \"value\": 0}, \"subject\": \"account:{name}\", "
	     "\"message\": {\"ja\": \"m\", \"en\": \"m\"}}]}",
	     "needs \"when_empty\"", "{\"id\""},
	    {"{\"rules\": [{\"id\": \"t.a\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, "
	     "\"checklist\": {\"r6\": [\"2(5)\"]}, \"each\": \"system\", \"where\": {\"path\": "
	     "\"hostname\", \"op\": \"eq\", \"value\": \"a\"}, \"assert\": {\"path\": "
	     "\"hostname\", \"op\": \"eq\", \"value\": \"a\"}, \"subject\": \"host\", "
	     "\"message\": {\"ja\": \"m\", \"en\": \"m\"}}]}",
	     "needs \"when_empty\"", "{\"id\""},
	    {"{\"rules\": [{\"id\": \"t.a\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, "
	     "\"checklist\": {\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"when_empty\": "
	     "\"skip\", \"assert\": {\"path\": \"uid\", \"op\": \"ge\", \"value\": 0}, "
	     "\"subject\": \"account:{name}\", \"message\": {\"ja\": \"m\", \"en\": \"m\"}}]}",
	     "\"when_empty\" must be", "\"skip\""},
	    {"{\"rules\": [{\"id\": \"t.a\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, "
	     "\"checklist\": {\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"when_empty\": "
	     "\"pass\", \"empty_message\": {\"ja\": \"{name}\", \"en\": \"x\"}, \"assert\": "
	     "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 0}, \"subject\": "
	     "\"account:{name}\", \"message\": {\"ja\": \"m\", \"en\": \"m\"}}]}",
	     "may only use {param:NAME}", "\"{name}\""},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ruleset *rs = NULL;
		struct diag d;
		int r =
		    ruleset_load_mem("w.json", cases[i].text, strlen(cases[i].text), NULL, &rs, &d);
		const char *at = strstr(cases[i].text, cases[i].at), *bol = cases[i].text;
		unsigned line = 1;
		for (const char *p = cases[i].text; p < at; p++)
			if (*p == '\n') {
				line++;
				bol = p + 1;
			}
		assert_int_equal(r, -EINVAL);
		if (!strstr(d.msg, cases[i].want) || d.line != line ||
		    d.column != (unsigned)(at - bol + 1))
			fail_msg("case %zu: %u:%u: %s", i, d.line, d.column, d.msg);
	}
	/* one object without "where": nothing can filter it out */
	char *b = fmt("{\"rules\": [{\"id\": \"t.s\", \"title\": {\"ja\": \"t\", \"en\": \"t\"},"
		      " \"checklist\": {\"r6\": [\"2(4)\"]}, \"each\": \"system\","
		      " \"assert\": {\"path\": \"hostname\", \"op\": \"ne\", \"value\": \"x\"},"
		      " \"subject\": \"host\", \"message\": {\"ja\": \"m\", \"en\": \"m\"}}]}");
	ruleset_free(load(b, NULL));
	free(b);
}

/* A parameter switch in "where" that is off turns the rule off: no
 * finding at all, not a pass that checked nothing. */
static void test_switch_off(void **state)
{
	static const char inv[] = "{\"accounts\": [{\"name\": \"a\", \"uid\": 1}]}";
	static const char sw[] = "{\"all\": [{\"param\": \"require_remote_logging\", \"op\": "
				 "\"eq\", \"value\": true}, {\"path\": \"uid\", \"op\": \"ge\", "
				 "\"value\": 0}]}";
	char *off = one_rule("{\"require_remote_logging\": false}", "accounts", sw,
			     "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}", NULL);
	char *on = one_rule("{\"require_remote_logging\": true}", "accounts", sw,
			    "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}", NULL);
	json_auto_t *f_off = eval_full(off, inv, NULL, "r6");
	json_auto_t *f_on = eval_full(on, inv, NULL, "r6");

	assert_int_equal(json_array_size(f_off), 0);
	assert_string_equal(status_of(f_on), "fail");
	free(off);
	free(on);
}

/* CONTRACTS.md 1: a collection its probe marks "incomplete" never passes;
 * failures found still fail; an empty set is unknown whatever when_empty. */
static void test_incomplete(void **state)
{
	static const char probes[] =
	    "[{\"name\": \"accounts\", \"status\": \"partial\", \"incomplete\": [\"accounts\"],"
	    " \"messages\": [{\"ja\": \"hidepid のため一部しか見えません\","
	    " \"en\": \"hidepid hides some entries\"}]}]";
	static const char other[] = "[{\"name\": \"accounts\", \"status\": \"partial\","
				    " \"incomplete\": [\"groups\"], \"messages\": []}]";
	char *b =
	    one_rule(NULL, "accounts", NULL, "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}",
		     ", \"when_empty\": \"pass\"");
	json_auto_t *good =
	    eval_full(b, "{\"accounts\": [{\"name\": \"a\", \"uid\": 1000}]}", probes, "r6");
	json_auto_t *bad =
	    eval_full(b, "{\"accounts\": [{\"name\": \"a\", \"uid\": 1}]}", probes, "r6");
	json_auto_t *empty = eval_full(b, "{\"accounts\": []}", probes, "r6");
	json_auto_t *elsewhere =
	    eval_full(b, "{\"accounts\": [{\"name\": \"a\", \"uid\": 1000}]}", other, "r6");
	const json_t *u = json_array_get(good, 0);

	assert_string_equal(status_of(good), "unknown");
	assert_string_equal(str_at(u, "subject", NULL), "host");
	assert_non_null(strstr(str_at(u, "message", "en"), "hidepid hides some entries"));
	assert_non_null(strstr(str_at(u, "message", "ja"), "hidepid のため一部しか見えません"));
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(u, "evidence"), "checked")), 1);
	assert_int_equal(
	    json_array_size(json_object_get(json_object_get(u, "evidence"), "probe_messages")), 1);
	assert_string_equal(status_of(bad), "fail");
	assert_string_equal(status_of(empty), "unknown");
	assert_string_equal(status_of(elsewhere), "pass");
	free(b);
}

static void test_requires(void **state)
{
	static const char inv[] = "{\"accounts\": [{\"name\": \"taro\", \"interactive\": true}]}";
	char *b = one_rule(
	    NULL, "accounts", NULL,
	    "{\"path\": \"name\", \"op\": \"in\", \"value\": {\"param\": \"known_accounts\"}}",
	    ", \"requires\": [\"known_accounts\"]");
	json_auto_t *none = eval_full(b, inv, NULL, "r6");
	assert_int_equal(json_array_size(none), 0);
	free(b);

	b = one_rule(
	    "{\"known_accounts\": [\"root\"]}", "accounts", NULL,
	    "{\"path\": \"name\", \"op\": \"in\", \"value\": {\"param\": \"known_accounts\"}}",
	    ", \"requires\": [\"known_accounts\"]");
	json_auto_t *fail = eval_full(b, inv, NULL, "r6");
	assert_string_equal(status_of(fail), "fail");
	free(b);

	/* and not even for a missing collection */
	b = one_rule(
	    NULL, "accounts", NULL,
	    "{\"path\": \"name\", \"op\": \"in\", \"value\": {\"param\": \"known_accounts\"}}",
	    ", \"requires\": [\"known_accounts\"]");
	json_auto_t *missing = eval_full(b, "{}", NULL, "r6");
	assert_int_equal(json_array_size(missing), 0);
	free(b);
}

static void test_templates(void **state)
{
	char *b =
	    fmt("{\"params\": {\"max_inactive_days\": 45}, \"rules\": [{\"id\": \"t.t\","
		" \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": {\"r6\": [\"2(5)\"]},"
		" \"each\": \"accounts\", \"when_empty\": \"pass\","
		" \"assert\": {\"path\": \"uid\", \"op\": \"lt\", \"value\": 0},"
		" \"subject\": \"account:{name}\","
		" \"message\": {\"ja\": "
		"\"{name}/{uid}/{groups}/{last_login}/{home}/{interactive}/"
		"{param:max_inactive_days}/{{x}\","
		" \"en\": "
		"\"{name}/{uid}/{groups}/{last_login}/{home}/{interactive}/{param:known_accounts}/"
		"{{}\"}}]}");
	json_auto_t *f = eval_full(
	    b,
	    "{\"accounts\": [{\"name\": \"taro\", \"uid\": 1000, \"groups\": [\"users\", \"sudo\"],"
	    " \"last_login\": null, \"interactive\": true}]}",
	    NULL, "r6");
	const json_t *x = json_array_get(f, 0);
	assert_string_equal(str_at(x, "subject", NULL), "account:taro");
	assert_string_equal(str_at(x, "message", "ja"),
			    "taro/1000/users, sudo/不明/不明/true/45/{x}");
	assert_string_equal(str_at(x, "message", "en"),
			    "taro/1000/users, sudo/unknown/unknown/true/unknown/{}");
	free(b);

	/* a hostile value is cut, not copied whole, and stays valid UTF-8 */
	b = one_rule(NULL, "accounts", NULL, "{\"path\": \"uid\", \"op\": \"lt\", \"value\": 0}",
		     NULL);
	size_t n = 100000;
	char *name = malloc(n * 3 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(name + 3 * i, "\xe5\x90\x8d", 3); /* 名 */
	name[n * 3] = '\0';
	char *inv = fmt("{\"accounts\": [{\"name\": \"%s\", \"uid\": 5}]}", name);
	json_auto_t *g = eval_full(b, inv, NULL, "r6");
	const char *subject = str_at(json_array_get(g, 0), "subject", NULL);
	assert_true(strlen(subject) < 9000);
	assert_string_equal(subject + strlen(subject) - 3, "...");
	assert_int_equal((strlen(subject) - 5) % 3, 0); /* "x:" + whole characters + "..." */
	free(name);
	free(inv);
	free(b);
}

static void test_sorting_and_fields(void **state)
{
	char *b =
	    fmt("{\"severity\": {\"t.b\": \"low\"}, \"rules\": ["
		"{\"id\": \"t.b\", \"title\": {\"ja\": \"b\", \"en\": \"b\"}, \"checklist\": "
		"{\"r6\": [\"2(4)\"]},"
		" \"severity\": \"high\", \"each\": \"accounts\", \"when_empty\": \"pass\","
		" \"assert\": {\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000},"
		" \"subject\": \"account:{name}\", \"message\": {\"ja\": \"b\", \"en\": \"b\"},"
		" \"remediation\": {\"ja\": \"直す\", \"en\": \"fix\"}},"
		"{\"id\": \"t.a\", \"title\": {\"ja\": \"a\", \"en\": \"a\"}, \"checklist\": "
		"{\"r6\": [\"2(5)\"]},"
		" \"each\": \"accounts\", \"when_empty\": \"pass\","
		" \"assert\": {\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000},"
		" \"evidence\": [\"shell\"],"
		" \"subject\": \"account:{name}\", \"message\": {\"ja\": \"a\", \"en\": \"a\"}}]}");
	json_auto_t *f =
	    eval_full(b,
		      "{\"accounts\": [{\"name\": \"zed\", \"uid\": 5, \"shell\": \"/bin/sh\"},"
		      " {\"name\": \"amy\", \"uid\": 7, \"shell\": \"/bin/zsh\"},"
		      " {\"name\": \"mid\", \"uid\": null, \"shell\": null}]}",
		      NULL, "r6");
	static const char *const order[][3] = {
	    {"t.a", "account:amy", "fail"},    {"t.a", "account:mid", "unknown"},
	    {"t.a", "account:zed", "fail"},    {"t.b", "account:amy", "fail"},
	    {"t.b", "account:mid", "unknown"}, {"t.b", "account:zed", "fail"},
	};
	assert_int_equal(json_array_size(f), 6);
	for (size_t i = 0; i < 6; i++) {
		const json_t *x = json_array_get(f, i);
		assert_string_equal(str_at(x, "rule", NULL), order[i][0]);
		assert_string_equal(str_at(x, "subject", NULL), order[i][1]);
		assert_string_equal(str_at(x, "status", NULL), order[i][2]);
	}
	/* severity overridden by the baseline; remediation only where given */
	assert_string_equal(str_at(json_array_get(f, 3), "severity", NULL), "low");
	assert_string_equal(str_at(json_array_get(f, 0), "severity", NULL), "medium");
	assert_string_equal(str_at(json_array_get(f, 3), "remediation", "ja"), "直す");
	assert_null(json_object_get(json_array_get(f, 0), "remediation"));
	/* explicit evidence replaces the default (the fields read) */
	json_auto_t *ea = parse("{\"shell\": \"/bin/zsh\"}");
	json_auto_t *eb = parse("{\"uid\": 7}");
	assert_true(json_equal(ea, json_object_get(json_array_get(f, 0), "evidence")));
	assert_true(json_equal(eb, json_object_get(json_array_get(f, 3), "evidence")));
	/* the finding has exactly the report's keys */
	static const char *const keys[] = {"rule",    "checklist", "status",   "severity",
					   "subject", "message",   "evidence", "remediation"};
	const json_t *x = json_array_get(f, 3);
	assert_int_equal(json_object_size(x), 8);
	for (size_t i = 0; i < 8; i++)
		assert_non_null(json_object_get(x, keys[i]));
	free(b);
}

/* Parameters the rule used show in the evidence (scalars only). */
static void test_params_in_evidence(void **state)
{
	char *b = one_rule("{\"max_inactive_days\": 30}", "accounts", NULL,
			   "{\"path\": \"days_since_login\", \"op\": \"le\", \"value\": "
			   "{\"param\": \"max_inactive_days\"}}",
			   NULL);
	json_auto_t *f = eval_full(
	    b, "{\"accounts\": [{\"name\": \"a\", \"days_since_login\": 31}]}", NULL, "r6");
	json_auto_t *want =
	    parse("{\"days_since_login\": 31, \"params\": {\"max_inactive_days\": 30}}");
	assert_true(json_equal(want, json_object_get(json_array_get(f, 0), "evidence")));
	free(b);
}

static void test_editions(void **state)
{
	char *b = one_rule(NULL, "accounts", NULL,
			   "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}", NULL);
	char *only_r6 =
	    fmt("{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"},"
		" \"checklist\": {\"r6\": [\"2(4)\", \"2(5)\"]}, \"each\": \"accounts\","
		" \"when_empty\": \"pass\","
		" \"assert\": {\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000},"
		" \"subject\": \"x:y\", \"message\": {\"ja\": \"m\", \"en\": \"m\"}}]}");
	static const char inv[] = "{\"accounts\": [{\"name\": \"a\", \"uid\": 1}]}";
	json_auto_t *r6 = eval_full(b, inv, NULL, "r6");
	json_auto_t *r7 = eval_full(b, inv, NULL, "r7");
	json_auto_t *o6 = eval_full(only_r6, inv, NULL, "r6");
	json_auto_t *o7 = eval_full(only_r6, inv, NULL, "r7");
	json_auto_t *w6 = parse("[\"2(5)\"]"), *w7 = parse("[\"2-⑤\"]");
	json_auto_t *both = parse("[\"2(4)\", \"2(5)\"]"), *none = parse("[]");

	assert_true(json_equal(w6, json_object_get(json_array_get(r6, 0), "checklist")));
	assert_true(json_equal(w7, json_object_get(json_array_get(r7, 0), "checklist")));
	assert_true(json_equal(both, json_object_get(json_array_get(o6, 0), "checklist")));
	/* a rule with no item in the edition is left out (RULES.md, "Editions") */
	assert_int_equal(json_array_size(o7), 0);
	(void)none;
	free(b);
	free(only_r6);
}

static void test_disable_enable(void **state)
{
	static const char inv[] = "{\"accounts\": [{\"name\": \"a\", \"uid\": 1}]}";
	char *b = one_rule(NULL, "accounts", NULL,
			   "{\"path\": \"uid\", \"op\": \"ge\", \"value\": 1000}", NULL);
	/* splice "disable" in front of "params" */
	char *dis = fmt("{\"disable\": [\"t.r\", \"accounts.inactive\"], %s", b + 1);
	char *en = fmt("{\"enable\": [\"t.r\"], %s", b + 1);
	json_auto_t *f1 = eval_full(dis, inv, NULL, "r6");
	json_auto_t *f2 = eval_full(en, inv, NULL, "r6");
	assert_int_equal(json_array_size(f1), 0);
	assert_string_equal(status_of(f2), "fail");
	struct ruleset *rs = load(dis, NULL);
	for (size_t i = 0; i < rs->nprogs; i++)
		assert_string_not_equal(json_string_value(json_object_get(rs->progs[i].rule, "id")),
					"accounts.inactive");
	ruleset_free(rs);
	free(b);
	free(dis);
	free(en);
}

/* Inventory of the wrong shape (a probe bug or a hand-edited report):
 * never a crash, never a pass. */
static void test_hostile_inventory(void **state)
{
	char *b = one_rule(NULL, "accounts", NULL,
			   "{\"all\": [{\"path\": \"uid\", \"op\": \"le\", \"value\": 10},"
			   " {\"path\": \"groups\", \"op\": \"in\", \"value\": [\"*\"]},"
			   " {\"path\": \"shell\", \"op\": \"regex\", \"value\": \"sh\"}]}",
			   NULL);
	json_auto_t *f =
	    eval_full(b,
		      "{\"accounts\": [1, \"x\", null, [], {\"name\": \"a\", \"uid\": \"0\","
		      " \"groups\": [1], \"shell\": \"/bin/sh\"}, {\"name\": \"b\", \"uid\": 1,"
		      " \"groups\": {}, \"shell\": 3}]}",
		      NULL, "r6");
	size_t i;
	json_t *x;

	assert_int_equal(json_array_size(f), 6);
	json_array_foreach(f, i, x)
		assert_string_equal(str_at(x, "status", NULL), "unknown");
	free(b);
}

/* ---- the shipped rules ---- */

/* An account with every field the rules read, healthy, then overrides. */
static json_t *account(const char *name, int uid, const char *overrides)
{
	json_t *a =
	    json_pack("{s:s, s:i, s:i, s:s, s:s, s:b, s:b, s:b, s:s, s:b, s:b, s:n, s:s, s:i, s:i,"
		      " s:b, s:[s], s:s, s:s, s:s, s:b, s:i, s:s, s:b, s:i, s:i, s:b, s:b}",
		      "name", name, "uid", uid, "gid", uid, "shell", "/bin/bash", "home", "/home/x",
		      "interactive", 1, "system", uid < 1000, "shadow_entry", 1, "password_state",
		      "set", "locked", 0, "expired", 0, "account_expires", "password_changed",
		      "2025-10-01T00:00:00Z", "account_age_days", 120, "days_since_password_change",
		      120, "can_login", 1, "groups", "users", "last_login", "2026-01-20T09:00:00Z",
		      "last_login_source", "wtmp", "last_login_from", "10.0.0.5", "ever_logged_in",
		      1, "days_since_login", 10, "primary_group", "users", "home_exists", 1,
		      "authorized_keys", 0, "sudo_rules", 0, "sudo_all", 0, "sudo_nopasswd", 0);
	json_auto_t *o = parse(overrides ? overrides : "{}");

	json_object_update(a, o);
	return a;
}

static json_t *file(const char *path, const char *mode, int uid)
{
	return json_pack("{s:s, s:b, s:s, s:s, s:i, s:i, s:s, s:s}", "path", path, "exists", 1,
			 "type", "file", "mode", mode, "uid", uid, "gid", 0, "owner",
			 uid == 0 ? "root" : "taro", "group", "root");
}

static json_t *sudo_entry(int line, const char *principal, bool all, bool nopasswd)
{
	return json_pack("{s:s, s:i, s:[s], s:[s], s:[s], s:[s], s:b, s:b, s:b}", "file",
			 "/etc/sudoers", "line", line, "principals", principal, "hosts", "ALL",
			 "runas", "ALL", "commands", all ? "ALL" : "/usr/bin/systemctl",
			 "all_commands", all, "nopasswd", nopasswd, "negated", 0);
}

static json_t *group(const char *name, int gid, bool password)
{
	return json_pack("{s:s, s:i, s:[], s:[], s:b}", "name", name, "gid", gid, "members",
			 "administrators", "has_password", password);
}

static json_t *bad_host(void)
{
	json_t *inv = json_object(), *acc = json_array(), *files = json_array();
	json_t *sudo = json_array(), *groups = json_array();

	json_array_append_new(acc,
			      account("root", 0, "{\"groups\": [\"root\"], \"sudo_all\": true}"));
	json_array_append_new(acc, account("toor", 0, "{\"groups\": [\"root\"]}"));
	json_array_append_new(acc, account("empty", 1001, "{\"password_state\": \"empty\"}"));
	json_array_append_new(
	    acc, account("taro", 1002,
			 "{\"days_since_login\": 200, \"last_login\": \"2025-07-15T00:00:00Z\"}"));
	json_array_append_new(
	    acc, account("hanako", 1003,
			 "{\"ever_logged_in\": false, \"days_since_login\": null, \"last_login\": "
			 "null, \"last_login_source\": \"none\", \"account_age_days\": 400}"));
	json_array_append_new(
	    acc, account("jiro", 1004,
			 "{\"locked\": true, \"can_login\": false, \"password_state\": \"locked\", "
			 "\"days_since_login\": 500}"));
	json_array_append_new(acc, account("postgres", 110,
					   "{\"interactive\": true, \"can_login\": false, "
					   "\"password_state\": \"disabled\", \"locked\": true}"));
	json_array_append_new(
	    acc,
	    account("helper", 1005, "{\"groups\": [\"users\", \"sudo\"], \"sudo_all\": true}"));
	json_object_set_new(inv, "accounts", acc);
	json_array_append_new(files, file("/etc/shadow", "0644", 0));
	json_array_append_new(files, file("/etc/gshadow", "0640", 1000));
	json_array_append_new(files, file("/etc/sudoers", "0640", 0));
	json_array_append_new(files, file("/etc/sudoers.d/local", "0440", 1000));
	json_array_append_new(files, file("/etc/passwd", "0666", 0));
	json_array_append_new(files, file("/etc/group", "0644", 0));
	json_object_set_new(inv, "files", files);
	json_array_append_new(sudo, sudo_entry(20, "root", true, false));
	json_array_append_new(sudo, sudo_entry(21, "taro", false, true));
	json_array_append_new(sudo, sudo_entry(22, "helper", true, false));
	json_object_set_new(inv, "sudoers", sudo);
	json_array_append_new(groups, group("root", 0, false));
	json_array_append_new(groups, group("staff", 50, true));
	json_object_set_new(inv, "groups", groups);
	return inv;
}

static json_t *good_host(void)
{
	json_t *inv = json_object(), *acc = json_array(), *files = json_array();
	json_t *sudo = json_array(), *groups = json_array();

	json_array_append_new(acc,
			      account("root", 0, "{\"groups\": [\"root\"], \"sudo_all\": true}"));
	json_array_append_new(
	    acc,
	    account(
		"daemon", 1,
		"{\"interactive\": false, \"shell\": \"/usr/sbin/nologin\", \"can_login\": false, "
		"\"groups\": [\"daemon\"], \"password_state\": \"disabled\", \"locked\": true}"));
	json_array_append_new(acc, account("taro", 1000, NULL));
	json_array_append_new(acc, account("newbie", 1001,
					   "{\"ever_logged_in\": false, \"days_since_login\": "
					   "null, \"last_login\": null, \"account_age_days\": 3}"));
	json_array_append_new(acc,
			      account("left", 1002,
				      "{\"locked\": true, \"can_login\": false, "
				      "\"password_state\": \"locked\", \"days_since_login\": 20}"));
	json_object_set_new(inv, "accounts", acc);
	json_array_append_new(files, file("/etc/shadow", "0640", 0));
	json_array_append_new(files, file("/etc/gshadow", "0640", 0));
	json_array_append_new(files, file("/etc/sudoers", "0440", 0));
	json_array_append_new(files, file("/etc/sudoers.d/README", "0440", 0));
	json_array_append_new(files, file("/etc/passwd", "0644", 0));
	json_array_append_new(files, file("/etc/group", "0644", 0));
	json_object_set_new(inv, "files", files);
	json_array_append_new(sudo, sudo_entry(20, "root", true, false));
	json_array_append_new(sudo, sudo_entry(21, "%sudo", true, false));
	json_object_set_new(inv, "sudoers", sudo);
	json_array_append_new(groups, group("root", 0, false));
	json_array_append_new(groups, group("users", 100, false));
	json_object_set_new(inv, "groups", groups);
	return inv;
}

static size_t count_status(const json_t *findings, const char *rule, const char *status)
{
	size_t i, n = 0;
	json_t *f;

	json_array_foreach(findings, i, f)
		n += strcmp(str_at(f, "rule", NULL), rule) == 0 &&
		     strcmp(str_at(f, "status", NULL), status) == 0;
	return n;
}

static void test_shipped_rules(void **state)
{
	static const char *const profiles[] = {"server", "terminal"};
	static const char baseline[] =
	    "{\"params\": {\"known_accounts\": [\"root\", \"taro\", \"newbie\", \"left\"],"
	    " \"known_admins\": [\"root\"]}}";
	json_auto_t *bad = bad_host(), *good = good_host(), *probes = parse(probes_ok);

	for (size_t p = 0; p < 2; p++) {
		struct ruleset *rs = load(baseline, profiles[p]);
		json_auto_t *fb = NULL, *fg = NULL;
		assert_int_equal(rules_eval(rs, bad, probes, "r6", &fb), 0);
		assert_int_equal(rules_eval(rs, good, probes, "r7", &fg), 0);
		assert_true(rs->nprogs >= 15);
		for (size_t i = 0; i < rs->nprogs; i++) {
			const char *id =
			    json_string_value(json_object_get(rs->progs[i].rule, "id"));
			/* This test owns the accounts library; other areas test theirs. */
			if (strncmp(id, "accounts.", 9) && strncmp(id, "files.", 6) &&
			    strncmp(id, "groups.", 7))
				continue;
			if (count_status(fb, id, "fail") == 0)
				fail_msg("%s: %s does not fail on the bad host\n%s", profiles[p],
					 id, json_dumps(fb, JSON_INDENT(1)));
			if (count_status(fb, id, "unknown") != 0)
				fail_msg("%s: %s is unknown on the bad host", profiles[p], id);
			if (count_status(fg, id, "pass") != 1 || count_status(fg, id, "fail") ||
			    count_status(fg, id, "unknown"))
				fail_msg("%s: %s does not pass on the good host\n%s", profiles[p],
					 id, json_dumps(fg, JSON_INDENT(1)));
		}
		ruleset_free(rs);
	}
}

/* ---- every shipped rule reads right (issue 9, item 7) ---- */

enum fill { FILL_MISSING, FILL_NULL, FILL_EMPTY, FILL_ONE, FILL_MANY };

/* A value of column type t for the fill. */
static json_t *fill_value(enum col_type t, enum fill f)
{
	static const char *const many[] = {"alpha", "beta", "gamma"};

	if (f == FILL_NULL)
		return json_null();
	switch (t) {
	case COL_INT:
		return json_integer(f == FILL_EMPTY ? 0 : f == FILL_ONE ? 1 : 12345);
	case COL_BOOL:
		return json_boolean(f != FILL_EMPTY);
	case COL_TIME:
		return json_string("2026-01-01T00:00:00Z");
	case COL_MODE:
		return json_string(f == FILL_EMPTY ? "0000" : "0644");
	case COL_ARRAY: {
		json_t *a = json_array();
		for (int i = 0; i < (f == FILL_EMPTY ? 0 : f == FILL_ONE ? 1 : 3); i++)
			json_array_append_new(a, json_string(many[i]));
		return a;
	}
	case COL_OBJECT:
		return json_object();
	default:
		return json_string(f == FILL_EMPTY ? "" : f == FILL_ONE ? "x" : "alpha beta");
	}
}

/* Every {a.b} placeholder of an object column gets a value too. */
static void fill_subpaths(json_t *elem, const char *tpl, enum fill f)
{
	for (const char *p = tpl ? strchr(tpl, '{') : NULL; p; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}'), *dot = strchr(p, '.');
		if (!close || !dot || dot > close || p[1] == '{')
			continue;
		char *col = strndup(p + 1, (size_t)(dot - p - 1));
		char *sub = strndup(dot + 1, (size_t)(close - dot - 1));
		json_t *o = json_object_get(elem, col);
		if (json_is_object(o))
			json_object_set_new(o, sub, fill_value(COL_STRING, f));
		free(col);
		free(sub);
	}
}

static json_t *fill_elem(const struct collection *coll, const json_t *rule, enum fill f)
{
	json_t *e = json_object();

	if (f == FILL_MISSING)
		return e;
	for (const struct column *c = coll->columns; c->name; c++)
		json_object_set_new(e, c->name, fill_value(c->type, f));
	fill_subpaths(e, json_string_value(json_object_get(rule, "subject")), f);
	fill_subpaths(e, json_string_value(json_object_get(json_object_get(rule, "message"), "ja")),
		      f);
	fill_subpaths(e, json_string_value(json_object_get(json_object_get(rule, "message"), "en")),
		      f);
	return e;
}

/* Is name one of the inventory's field names (with an underscore, so it
 * cannot be an ordinary word)? */
static const char *internal_name_in(const char *text)
{
	static const char *const statuses[] = {"not_applicable", "not_run", NULL};
	/* Column names that are also the real names a reader knows. */
	static const char *const real[] = {"authorized_keys", NULL};

	for (const char *const *s = statuses; *s; s++)
		if (strstr(text, *s))
			return *s;
	for (size_t i = 0; i < probe_count; i++) {
		for (const struct collection *c = probe_table[i].collections; c && c->name; c++) {
			for (const struct column *col = c->columns; col->name; col++) {
				bool known = false;
				for (const char *const *r = real; *r; r++)
					known = known || strcmp(*r, col->name) == 0;
				const char *hit = strchr(col->name, '_') && !known
						      ? strstr(text, col->name)
						      : NULL;
				size_t n = strlen(col->name);
				if (hit &&
				    (hit == text ||
				     !(hit[-1] == '_' || isalnum((unsigned char)hit[-1]))) &&
				    !(hit[n] == '_' || isalnum((unsigned char)hit[n])))
					return col->name;
			}
		}
	}
	return NULL;
}

/* What must never be in a rendered text: a placeholder left, empty
 * brackets, a colon with nothing after it, an internal field name. */
static void assert_reads_right(const char *id, const char *what, const char *text)
{
	static const char *const holes[] = {"()",  "( )",  "（）", "[]", "[ ]", "「」", " )", "( ,",
					    ", )", "（、", "、）", ":)", ": ,", "：）", NULL};
	size_t n = strlen(text);
	const char *name = internal_name_in(text);

	if (strchr(text, '{'))
		fail_msg("%s %s: a placeholder is left: %s", id, what, text);
	for (const char *const *h = holes; *h; h++)
		if (strstr(text, *h))
			fail_msg("%s %s: \"%s\" in: %s", id, what, *h, text);
	if (n == 0 || (n >= 1 && text[n - 1] == ':') || (n >= 2 && strcmp(text + n - 2, ": ") == 0))
		fail_msg("%s %s: dangling colon or empty: \"%s\"", id, what, text);
	if (name)
		fail_msg("%s %s: internal field name %s in: %s", id, what, name, text);
}

static void test_every_rule_reads_right(void **state)
{
	static const char *const profiles[] = {"server", "terminal"};
	static const char *const langs[] = {"ja", "en"};
	size_t rendered = 0;

	for (size_t pr = 0; pr < 2; pr++) {
		struct ruleset *rs = load(NULL, profiles[pr]);
		for (size_t i = 0; i < rs->nprogs; i++) {
			const json_t *rule = rs->progs[i].rule;
			const char *id = json_string_value(json_object_get(rule, "id"));
			const struct collection *coll =
			    collection_find(rs->progs[i].collection, NULL);
			assert_non_null(coll);
			const char *subj = json_string_value(json_object_get(rule, "subject"));
			assert_true(strcmp(subj, "host") == 0 || strchr(subj, ':'));
			for (int f = FILL_MISSING; f <= FILL_MANY; f++) {
				json_auto_t *e = fill_elem(coll, rule, (enum fill)f);
				char *s = rule_render(subj, e, rs->params, false);
				assert_reads_right(id, "subject", s);
				/* KIND:NAME with a NAME */
				assert_true(strcmp(s, "host") == 0 ||
					    (strchr(s, ':') && strchr(s, ':')[1]));
				free(s);
				for (size_t l = 0; l < 2; l++) {
					bool ja = l == 0;
					static const char *const keys[] = {
					    "message", "title", "remediation", "empty_message"};
					for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
						const char *tpl = json_string_value(json_object_get(
						    json_object_get(rule, keys[k]), langs[l]));
						if (!tpl)
							continue;
						char *t =
						    k == 0 ? rule_render(tpl, e, rs->params, ja)
						    : k == 3
							? rule_render(tpl, NULL, rs->params, ja)
							: strdup(tpl);
						assert_reads_right(id, keys[k], t);
						free(t);
						rendered++;
					}
				}
			}
		}
		ruleset_free(rs);
	}
	assert_true(rendered > 1000);
}

/* Shipped rules whose empty-set meaning or switch issue 9 decided, each
 * passing having checked something, failing, and answering an empty set
 * as RULES.md says. */
static void test_shipped_empty_sets(void **state)
{
	static const char baseline[] =
	    "{\"params\": {\"require_8021x\": true, \"mac_allowlist_in_use\": true}}";
	static const struct {
		const char *rule, *inventory, *want;
		long checked; /* -1: not a host-level finding */
	} cases[] = {
	    {"wireless.psk_not_allowed",
	     "{\"wifi_networks\": [{\"name\": \"s\", \"ssid\": \"s\", \"security\": \"wpa-eap\","
	     " \"mode\": \"client\", \"mac_randomization\": \"default\"}]}",
	     "pass", 1},
	    {"wireless.psk_not_allowed",
	     "{\"wifi_networks\": [{\"name\": \"w\", \"ssid\": \"w\", \"security\": \"wpa-psk\","
	     " \"mode\": \"client\", \"mac_randomization\": \"default\"}]}",
	     "fail", -1},
	    {"wireless.psk_not_allowed", "{\"wifi_networks\": []}", "pass", 0},
	    {"wireless.mac_randomization",
	     "{\"wifi_networks\": [{\"name\": \"s\", \"ssid\": \"s\", \"security\": \"wpa-eap\","
	     " \"mode\": \"client\", \"mac_randomization\": \"permanent\"}]}",
	     "pass", 1},
	    {"wireless.mac_randomization",
	     "{\"wifi_networks\": [{\"name\": \"s\", \"ssid\": \"s\", \"security\": \"wpa-eap\","
	     " \"mode\": \"client\", \"mac_randomization\": \"random\"}]}",
	     "fail", -1},
	    {"patches.kernel_current",
	     "{\"kernel\": {\"running\": \"6.1.0-28-amd64\", \"installed\": [\"6.1.0-28-amd64\"],"
	     " \"running_is_newest\": true}}",
	     "pass", 1},
	    {"patches.kernel_current",
	     "{\"kernel\": {\"running\": \"6.1.0-26-amd64\", \"installed\": [\"6.1.0-28-amd64\"],"
	     " \"newest_installed\": \"6.1.0-28-amd64\", \"running_is_newest\": false}}",
	     "fail", -1},
	    {"patches.kernel_current",
	     "{\"kernel\": {\"running\": \"6.1.0-28-amd64\", \"installed\": [],"
	     " \"running_is_newest\": null}}",
	     "unknown", 0},
	    {"patches.security_update", "{\"updates\": []}", "pass", 0},
	    {"patches.security_update",
	     "{\"updates\": [{\"name\": \"openssl\", \"security\": true}]}", "fail", -1},
	    {"executables.hardening", "{\"executables\": []}", "unknown", 0},
	    {"processes.temp_exe", "{\"processes\": []}", "unknown", 0},
	    {"logging.retention", "{\"log_files\": []}", "pass", 0},
	    {"logging.file_mode", "{\"log_files\": []}", "unknown", 0},
	    {"logging.auth_log_written",
	     "{\"logging\": {\"auth_log_files\": [], \"journald_persistent\": false,"
	     " \"auth_log_present\": false}}",
	     "fail", -1},
	    {"logging.auth_log_written",
	     "{\"logging\": {\"auth_log_files\": [], \"journald_persistent\": true}}", "pass", 0},
	    {"files.shadow_mode", "{\"files\": []}", "unknown", 0},
	};
	struct ruleset *rs = load(baseline, "server");
	json_auto_t *probes = parse(probes_ok);

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		json_auto_t *inv = parse(cases[i].inventory), *all = NULL;
		json_t *f, *hit = NULL;
		size_t j;
		assert_int_equal(rules_eval(rs, inv, probes, "r6", &all), 0);
		json_array_foreach(all, j, f)
			if (strcmp(str_at(f, "rule", NULL), cases[i].rule) == 0)
				hit = hit ? hit : f;
		if (!hit || strcmp(str_at(hit, "status", NULL), cases[i].want) != 0)
			fail_msg("case %zu %s: want %s, got %s", i, cases[i].rule, cases[i].want,
				 hit ? json_dumps(hit, 0) : "nothing");
		if (cases[i].checked >= 0)
			assert_int_equal(json_integer_value(json_object_get(
					     json_object_get(hit, "evidence"), "checked")),
					 cases[i].checked);
	}
	ruleset_free(rs);
}

/* What the shipped rules say about the bad host, exactly. */
static void test_shipped_findings(void **state)
{
	static const char baseline[] = "{\"params\": {\"known_accounts\": [\"root\", \"taro\"], "
				       "\"known_admins\": [\"root\"]}}";
	static const char *const want[][2] = {
	    {"accounts.admin_not_allowed", "account:helper"},
	    {"accounts.admin_not_allowed", "account:toor"},
	    {"accounts.admin_not_in_baseline", "account:helper"},
	    {"accounts.admin_not_in_baseline", "account:toor"},
	    {"accounts.empty_password", "account:empty"},
	    {"accounts.inactive", "account:taro"},
	    {"accounts.locked_not_removed", "account:jiro"},
	    {"accounts.never_used", "account:hanako"},
	    {"accounts.not_in_baseline", "account:empty"},
	    {"accounts.not_in_baseline", "account:hanako"},
	    {"accounts.not_in_baseline", "account:helper"},
	    {"accounts.not_in_baseline", "account:jiro"},
	    {"accounts.not_in_baseline", "account:postgres"},
	    {"accounts.not_in_baseline", "account:toor"},
	    {"accounts.sudo_all_not_allowed", "file:/etc/sudoers:22"},
	    {"accounts.sudo_nopasswd", "file:/etc/sudoers:21"},
	    {"accounts.system_login_shell", "account:postgres"},
	    {"accounts.system_login_shell", "account:toor"},
	    {"accounts.uid0_not_root", "account:toor"},
	    {"files.passwd_mode", "file:/etc/passwd"},
	    {"files.shadow_mode", "file:/etc/gshadow"},
	    {"files.shadow_mode", "file:/etc/shadow"},
	    {"files.sudoers_mode", "file:/etc/sudoers"},
	    {"files.sudoers_mode", "file:/etc/sudoers.d/local"},
	    {"groups.password_set", "group:staff"},
	};
	struct ruleset *rs = load(baseline, "server");
	json_auto_t *bad = bad_host(), *probes = parse(probes_ok), *f = NULL;
	size_t i, n = 0;
	json_t *x;

	assert_int_equal(rules_eval(rs, bad, probes, "r6", &f), 0);
	json_array_foreach(f, i, x) {
		if (strcmp(str_at(x, "status", NULL), "fail") != 0)
			continue;
		if (n >= sizeof(want) / sizeof(want[0]) ||
		    strcmp(str_at(x, "rule", NULL), want[n][0]) ||
		    strcmp(str_at(x, "subject", NULL), want[n][1]))
			fail_msg("fail #%zu: got %s %s", n, str_at(x, "rule", NULL),
				 str_at(x, "subject", NULL));
		n++;
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	/* one message in full, both languages */
	json_array_foreach(f, i, x) {
		if (strcmp(str_at(x, "rule", NULL), "accounts.inactive") != 0 ||
		    strcmp(str_at(x, "status", NULL), "fail") != 0)
			continue;
		assert_string_equal(str_at(x, "message", "ja"),
				    "taro は 200 日間ログインしていません（最終ログイン: "
				    "2025-07-15T00:00:00Z、基準: 90 日）");
		assert_string_equal(str_at(x, "message", "en"),
				    "taro has not logged in for 200 days (last login "
				    "2025-07-15T00:00:00Z, limit 90 days)");
		json_auto_t *ev = parse(
		    "{\"name\": \"taro\", \"uid\": 1002, \"groups\": [\"users\"],"
		    " \"last_login\": \"2025-07-15T00:00:00Z\", \"last_login_source\": \"wtmp\","
		    " \"last_login_from\": \"10.0.0.5\", \"days_since_login\": 200,"
		    " \"params\": {\"max_inactive_days\": 90}}");
		assert_true(json_equal(ev, json_object_get(x, "evidence")));
		assert_non_null(str_at(x, "remediation", "ja"));
	}
	ruleset_free(rs);
}

/* Not root: shadow and sudoers unreadable (null). Rules that need them
 * say unknown, never pass. */
static void test_shipped_unreadable(void **state)
{
	struct ruleset *rs = load(NULL, "server");
	json_auto_t *inv = good_host(), *probes = parse(probes_ok), *f = NULL;
	json_t *acc = json_object_get(inv, "accounts"), *a;
	size_t i;

	json_array_foreach(acc, i, a) {
		json_object_set_new(a, "password_state", json_null());
		json_object_set_new(a, "locked", json_null());
		json_object_set_new(a, "can_login", json_null());
		json_object_set_new(a, "sudo_all", json_null());
	}
	json_object_set_new(inv, "sudoers", json_null());
	assert_int_equal(rules_eval(rs, inv, probes, "r6", &f), 0);
	static const char *const unknown[] = {"accounts.empty_password", "accounts.inactive",
					      "accounts.never_used", "accounts.sudo_nopasswd",
					      "accounts.sudo_all_not_allowed"};
	for (size_t k = 0; k < sizeof(unknown) / sizeof(unknown[0]); k++) {
		if (count_status(f, unknown[k], "unknown") == 0 ||
		    count_status(f, unknown[k], "pass"))
			fail_msg("%s is not unknown", unknown[k]);
	}
	/* known_* are null in the profile: those rules say nothing */
	assert_int_equal(count_status(f, "accounts.not_in_baseline", "pass") +
			     count_status(f, "accounts.not_in_baseline", "fail") +
			     count_status(f, "accounts.not_in_baseline", "unknown"),
			 0);
	ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_operators),
	    cmocka_unit_test(test_three_valued),
	    cmocka_unit_test(test_where),
	    cmocka_unit_test(test_missing_collection),
	    cmocka_unit_test(test_requires),
	    cmocka_unit_test(test_when_empty),
	    cmocka_unit_test(test_when_empty_loader),
	    cmocka_unit_test(test_switch_off),
	    cmocka_unit_test(test_incomplete),
	    cmocka_unit_test(test_templates),
	    cmocka_unit_test(test_sorting_and_fields),
	    cmocka_unit_test(test_params_in_evidence),
	    cmocka_unit_test(test_editions),
	    cmocka_unit_test(test_disable_enable),
	    cmocka_unit_test(test_hostile_inventory),
	    cmocka_unit_test(test_shipped_rules),
	    cmocka_unit_test(test_every_rule_reads_right),
	    cmocka_unit_test(test_shipped_empty_sets),
	    cmocka_unit_test(test_shipped_findings),
	    cmocka_unit_test(test_shipped_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
