/* test_catalog.c - the checklist catalog (baselines/checklist.json) as the
 * binary embeds it: it parses, every item of each edition is complete and
 * unique, R6 numbers 1(1), 2(1)..2(9), 3(1)..3(3), R7 numbers 2-①..2-⑬, and
 * every host-checkable R6 item has one R7 counterpart. The same checker runs
 * over deliberately broken catalogs to show it catches what it claims to. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "lib/embedded.h"
#include "lib/util.h"

static const char *const scopes[] = {"server", "terminal", "network"};
static const char *const wordings[] = {"printed",      "partial", "secondary",
				       "carried_over", "summary", "unverified"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* "2(4)": section 1-3, then a number 1..99 without a leading zero. */
static bool r6_id_ok(const char *s)
{
	if (!s || s[0] < '1' || s[0] > '3' || s[1] != '(' || s[2] < '1' || s[2] > '9')
		return false;
	size_t i = 3;
	if (s[i] >= '0' && s[i] <= '9')
		i++;
	return s[i] == ')' && s[i + 1] == '\0';
}

/* "2-⑬": section 1-3, '-', one circled number U+2460..U+2473 (UTF-8
 * E2 91 A0..B3). Returns the number 1..20, or 0 if malformed. */
static int r7_id_number(const char *s)
{
	if (!s || s[0] < '1' || s[0] > '3' || s[1] != '-')
		return 0;
	const unsigned char *u = (const unsigned char *)s + 2;
	if (u[0] != 0xE2 || u[1] != 0x91 || u[2] < 0xA0 || u[2] > 0xB3 || u[3] != '\0')
		return 0;
	return u[2] - 0xA0 + 1;
}

static bool id_ok(const char *edition, const char *id)
{
	return strcmp(edition, "r6") == 0 ? r6_id_ok(id) : r7_id_number(id) > 0;
}

static bool nonempty_str(const json_t *v)
{
	return json_is_string(v) && json_string_length(v) > 0;
}

static bool bilingual(const json_t *o)
{
	return json_is_object(o) && nonempty_str(json_object_get(o, "ja")) &&
	       nonempty_str(json_object_get(o, "en"));
}

static int reject(char *why, size_t n, const char *what, const char *id)
{
	snprintf(why, n, "%s: %s", id ? id : "?", what);
	return -EINVAL;
}

/* Every scope value known, none twice. */
static bool scope_ok(const json_t *scope)
{
	size_t i, j;
	json_t *v, *w;
	if (!json_is_array(scope))
		return false;
	json_array_foreach(scope, i, v) {
		if (!in_list(json_string_value(v), scopes, ARRAY_SIZE(scopes)))
			return false;
		json_array_foreach(scope, j, w)
			if (j < i && json_equal(v, w))
				return false;
	}
	return true;
}

static bool references_ok(const json_t *refs)
{
	size_t i;
	json_t *v;
	if (!json_is_array(refs))
		return false;
	json_array_foreach(refs, i, v)
		if (!nonempty_str(v))
			return false;
	return true;
}

static int check_item(const char *edition, const json_t *it, char *why, size_t n)
{
	const char *id = json_string_value(json_object_get(it, "item"));
	const char *sec = json_string_value(json_object_get(it, "section"));
	const json_t *eq = json_object_get(it, "r6_equivalent");
	if (!id_ok(edition, id))
		return reject(why, n, "malformed item id", id);
	if (!sec || sec[0] != id[0] || sec[1] != '\0')
		return reject(why, n, "section does not match the id", id);
	if (!bilingual(json_object_get(it, "title")))
		return reject(why, n, "title needs non-empty ja and en", id);
	if (!scope_ok(json_object_get(it, "scope")))
		return reject(why, n, "scope must be unique values of server/terminal/network", id);
	if (!json_is_boolean(json_object_get(it, "host_checkable")))
		return reject(why, n, "host_checkable must be a boolean", id);
	if (!references_ok(json_object_get(it, "references")))
		return reject(why, n, "references must be non-empty strings", id);
	if (!in_list(json_string_value(json_object_get(it, "wording")), wordings,
		     ARRAY_SIZE(wordings)))
		return reject(why, n, "unknown wording status", id);
	if (eq && (strcmp(edition, "r7") != 0 || !r6_id_ok(json_string_value(eq))))
		return reject(why, n, "r6_equivalent only on r7 items, naming an r6 id", id);
	return 0;
}

static const json_t *find_item(const json_t *items, const char *id)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *s = json_string_value(json_object_get(it, "item"));
		if (s && strcmp(s, id) == 0)
			return it;
	}
	return NULL;
}

static bool date_ok(const char *s)
{
	int y, m, d;
	char rest;
	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &rest) == 3 &&
	       m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int check_edition(const char *edition, const json_t *ed, char *why, size_t n)
{
	const json_t *items = json_object_get(ed, "items");
	size_t i, j;
	json_t *it, *other;
	if (!bilingual(json_object_get(ed, "title")))
		return reject(why, n, "edition title needs ja and en", edition);
	if (!date_ok(json_string_value(json_object_get(ed, "published"))))
		return reject(why, n, "published must be YYYY-MM-DD", edition);
	if (!json_is_array(items) || json_array_size(items) == 0)
		return reject(why, n, "items must be a non-empty array", edition);
	json_array_foreach(items, i, it) {
		int r = check_item(edition, it, why, n);
		if (r < 0)
			return r;
		json_array_foreach(items, j, other)
			if (j < i &&
			    json_equal(json_object_get(it, "item"), json_object_get(other, "item")))
				return reject(why, n, "duplicate item id",
					      json_string_value(json_object_get(it, "item")));
	}
	return 0;
}

/* Each r6_equivalent names an existing R6 item, no R6 item is claimed
 * twice, and both editions agree on whether a host can show evidence. */
static int check_equivalents(const json_t *r6, const json_t *r7, char *why, size_t n)
{
	const json_t *items6 = json_object_get(r6, "items");
	const json_t *items7 = json_object_get(r7, "items");
	size_t i, j;
	json_t *it, *other;
	json_array_foreach(items7, i, it) {
		const json_t *eq = json_object_get(it, "r6_equivalent");
		const char *id = json_string_value(json_object_get(it, "item"));
		if (!eq)
			continue;
		const json_t *old = find_item(items6, json_string_value(eq));
		if (!old)
			return reject(why, n, "r6_equivalent names no r6 item", id);
		if (!json_equal(json_object_get(old, "host_checkable"),
				json_object_get(it, "host_checkable")))
			return reject(why, n, "host_checkable differs from its r6 item", id);
		json_array_foreach(items7, j, other)
			if (j < i && json_equal(eq, json_object_get(other, "r6_equivalent")))
				return reject(why, n, "two r7 items claim one r6 item", id);
	}
	return 0;
}

/* 0 if the catalog is well-formed; else -EINVAL and a reason in why. */
static int check_catalog(const json_t *cat, char *why, size_t n)
{
	const json_t *eds = json_object_get(cat, "editions");
	const char *names[] = {"r6", "r7"};
	if (!json_is_object(cat) || !bilingual(json_object_get(cat, "source")))
		return reject(why, n, "source needs ja and en", "catalog");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const json_t *ed = json_object_get(eds, names[i]);
		if (!json_is_object(ed))
			return reject(why, n, "edition missing", names[i]);
		int r = check_edition(names[i], ed, why, n);
		if (r < 0)
			return r;
	}
	return check_equivalents(json_object_get(eds, "r6"), json_object_get(eds, "r7"), why, n);
}

static json_t *load_embedded(void)
{
	const struct embedded_file *f = embedded_find("checklist.json");
	assert_non_null(f);
	json_error_t err;
	json_t *cat = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &err);
	if (!cat)
		fail_msg("checklist.json:%d:%d: %s", err.line, err.column, err.text);
	return cat;
}

static const json_t *items_of(const json_t *cat, const char *edition)
{
	return json_object_get(json_object_get(json_object_get(cat, "editions"), edition), "items");
}

static void test_embedded_catalog_is_valid(void **state)
{
	json_auto_t *cat = load_embedded();
	char why[256] = "";
	int r = check_catalog(cat, why, sizeof(why));
	if (r < 0)
		fail_msg("checklist.json: %s", why);
}

static void test_r6_has_every_item(void **state)
{
	static const char *const want[] = {"1(1)", "2(1)", "2(2)", "2(3)", "2(4)", "2(5)", "2(6)",
					   "2(7)", "2(8)", "2(9)", "3(1)", "3(2)", "3(3)"};
	json_auto_t *cat = load_embedded();
	const json_t *items = items_of(cat, "r6");
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!find_item(items, want[i]))
			fail_msg("r6 lacks %s", want[i]);
	assert_int_equal(json_array_size(items), ARRAY_SIZE(want));
}

/* Section 2 of R7 is exactly 2-① … 2-⑬ in order; sections 1 and 3
 * start at ① and have no gaps. */
static void test_r7_numbering_is_contiguous(void **state)
{
	json_auto_t *cat = load_embedded();
	const json_t *items = items_of(cat, "r7");
	int next[4] = {0, 1, 1, 1};
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *id = json_string_value(json_object_get(it, "item"));
		int num = r7_id_number(id);
		assert_true(num > 0);
		int sec = id[0] - '0';
		if (num != next[sec])
			fail_msg("r7 %s out of order: expected number %d", id, next[sec]);
		next[sec]++;
	}
	assert_int_equal(next[1] - 1, 2);
	assert_int_equal(next[2] - 1, 13);
	assert_int_equal(next[3] - 1, 3);
}

static void test_r6_host_items_have_r7_counterpart(void **state)
{
	json_auto_t *cat = load_embedded();
	const json_t *items7 = items_of(cat, "r7");
	static const char *const r6ids[] = {"2(4)", "2(5)", "2(6)", "2(7)", "2(8)", "2(9)"};
	for (size_t k = 0; k < ARRAY_SIZE(r6ids); k++) {
		int found = 0;
		size_t i;
		json_t *it;
		json_array_foreach(items7, i, it) {
			const char *eq = json_string_value(json_object_get(it, "r6_equivalent"));
			found += eq && strcmp(eq, r6ids[k]) == 0;
		}
		if (found != 1)
			fail_msg("r6 %s has %d r7 counterparts, want 1", r6ids[k], found);
	}
}

/* Counterparts confirmed in the R7 draft manual (see CHECKLIST-CATALOG.md);
 * inferred positions are deliberately not pinned here. */
static void test_confirmed_counterparts(void **state)
{
	static const struct {
		const char *r7, *r6;
	} pairs[] = {
	    {"1-①", "1(1)"}, {"2-①", "2(1)"}, {"2-②", "2(2)"}, {"2-③", "2(3)"},
	    {"2-⑥", "2(7)"}, {"2-⑫", "2(9)"}, {"2-⑬", "2(8)"}, {"3-②", "3(2)"},
	};
	json_auto_t *cat = load_embedded();
	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
		const json_t *it = find_item(items_of(cat, "r7"), pairs[i].r7);
		assert_non_null(it);
		assert_string_equal(json_string_value(json_object_get(it, "r6_equivalent")),
				    pairs[i].r6);
		assert_true(json_is_true(json_object_get(it, "id_confirmed")));
	}
}

/* CHECKLIST.md: 2(1), 2(2) and 2(4)..2(9) have host evidence; the
 * organisational items do not, and carry no device scope. */
static void test_host_checkable_and_scope(void **state)
{
	static const struct {
		const char *id;
		bool host;
		size_t nscope;
	} want[] = {
	    {"1(1)", false, 0}, {"2(1)", true, 3}, {"2(2)", true, 3},  {"2(3)", false, 3},
	    {"2(4)", true, 2},	{"2(5)", true, 2}, {"2(6)", true, 1},  {"2(7)", true, 3},
	    {"2(8)", true, 1},	{"2(9)", true, 2}, {"3(1)", false, 0}, {"3(2)", false, 0},
	    {"3(3)", false, 0},
	};
	json_auto_t *cat = load_embedded();
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const json_t *it = find_item(items_of(cat, "r6"), want[i].id);
		assert_non_null(it);
		if (json_is_true(json_object_get(it, "host_checkable")) != want[i].host)
			fail_msg("r6 %s host_checkable should be %d", want[i].id, want[i].host);
		assert_int_equal(json_array_size(json_object_get(it, "scope")), want[i].nscope);
	}
}

static void test_id_syntax(void **state)
{
	static const struct {
		const char *id;
		bool r6, r7;
	} cases[] = {
	    {"2(4)", true, false},
	    {"3(3)", true, false},
	    {"2(10)", true, false},
	    {"2(0)", false, false},
	    {"2(04)", false, false},
	    {"2()", false, false},
	    {"2(4", false, false},
	    {"2(4))", false, false},
	    {"4(1)", false, false},
	    {"2-①", false, true},
	    {"2-⑬", false, true},
	    {"1-⑳", false, true},
	    {"2-", false, false},
	    {"2-13", false, false},
	    {"2-①x", false, false},
	    {"2-\xe2\x91", false, false},
	    {"2-\xe2\x91\xb4", false, false},
	    {"4-①", false, false},
	    {"", false, false},
	    {"2(4)\n", false, false},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (r6_id_ok(cases[i].id) != cases[i].r6 ||
		    (r7_id_number(cases[i].id) > 0) != cases[i].r7)
			fail_msg("case %zu (%s): want r6=%d r7=%d", i, cases[i].id, cases[i].r6,
				 cases[i].r7);
	}
	assert_false(r6_id_ok(NULL));
	assert_int_equal(r7_id_number(NULL), 0);
	assert_int_equal(r7_id_number("2-⑬"), 13);
}

#define ITEM(id, sec, extra)                                                                       \
	"{\"item\":\"" id "\",\"section\":\"" sec "\",\"title\":{\"ja\":\"題\",\"en\":\"t\"},"    \
	"\"host_checkable\":true,\"wording\":\"printed\",\"references\":[\"r\"]" extra "}"
#define SCOPE ",\"scope\":[\"server\"]"
#define OK6   ITEM("2(4)", "2", SCOPE)
#define OK7   ITEM("2-④", "2", SCOPE ",\"r6_equivalent\":\"2(4)\"")

static json_t *build(const char *r6items, const char *r7items)
{
	char text[4096];
	snprintf(text, sizeof(text),
		 "{\"source\":{\"ja\":\"出典\",\"en\":\"src\"},\"editions\":{"
		 "\"r6\":{\"title\":{\"ja\":\"a\",\"en\":\"a\"},\"published\":\"2024-05-13\","
		 "\"items\":[%s]},"
		 "\"r7\":{\"title\":{\"ja\":\"b\",\"en\":\"b\"},\"published\":\"2025-05-16\","
		 "\"items\":[%s]}}}",
		 r6items, r7items);
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	return j;
}

/* The checker is only worth something if it rejects each defect. */
static void test_broken_catalogs_rejected(void **state)
{
	static const struct {
		const char *what, *r6, *r7;
	} bad[] = {
	    {"duplicate r6 id", OK6 "," OK6, OK7},
	    {"duplicate r7 id", OK6, OK7 "," ITEM("2-④", "2", SCOPE)},
	    {"unknown scope", ITEM("2(4)", "2", ",\"scope\":[\"router\"]"), OK7},
	    {"scope twice", ITEM("2(4)", "2", ",\"scope\":[\"server\",\"server\"]"), OK7},
	    {"scope missing", ITEM("2(4)", "2", ""), OK7},
	    {"r7 id in r6", ITEM("2-④", "2", SCOPE), OK7},
	    {"r6 id in r7", OK6, ITEM("2(4)", "2", SCOPE)},
	    {"section mismatch", ITEM("2(4)", "3", SCOPE), OK7},
	    {"equivalent to nothing", OK6, ITEM("2-④", "2", SCOPE ",\"r6_equivalent\":\"2(9)\"")},
	    {"equivalent claimed twice", OK6,
	     OK7 "," ITEM("2-⑤", "2", SCOPE ",\"r6_equivalent\":\"2(4)\"")},
	    {"equivalent on r6", ITEM("2(4)", "2", SCOPE ",\"r6_equivalent\":\"2(4)\""), OK7},
	    {"empty items", "", OK7},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		json_auto_t *cat = build(bad[i].r6, bad[i].r7);
		char why[256] = "";
		if (check_catalog(cat, why, sizeof(why)) != -EINVAL)
			fail_msg("accepted a catalog with: %s", bad[i].what);
	}
	json_auto_t *good = build(OK6, OK7);
	char why[256] = "";
	if (check_catalog(good, why, sizeof(why)) != 0)
		fail_msg("rejected the minimal good catalog: %s", why);
}

/* Field-level defects on an otherwise good R6 item 2(4). */
#define BODY(title, hc, wording, refs)                                                             \
	"{\"item\":\"2(4)\",\"section\":\"2\",\"title\":" title ",\"scope\":[],"                   \
	"\"host_checkable\":" hc ",\"wording\":\"" wording "\",\"references\":" refs "}"
#define TITLE "{\"ja\":\"題\",\"en\":\"t\"}"

static void test_broken_items_rejected(void **state)
{
	static const char *const bad[] = {
	    BODY("{\"ja\":\"題\"}", "true", "printed", "[]"),
	    BODY("{\"ja\":\"\",\"en\":\"t\"}", "true", "printed", "[]"),
	    BODY("\"t\"", "true", "printed", "[]"),
	    BODY(TITLE, "\"yes\"", "printed", "[]"),
	    BODY(TITLE, "true", "guessed", "[]"),
	    BODY(TITLE, "true", "printed", "[\"\"]"),
	    BODY(TITLE, "true", "printed", "\"r\""),
	    "{\"item\":2,\"section\":\"2\",\"title\":" TITLE ",\"scope\":[],"
	    "\"host_checkable\":true,\"wording\":\"printed\",\"references\":[]}",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		json_auto_t *cat = build(bad[i], OK7);
		char why[256] = "";
		if (check_catalog(cat, why, sizeof(why)) != -EINVAL)
			fail_msg("accepted bad item %zu", i);
	}
	json_auto_t *good = build(BODY(TITLE, "true", "printed", "[]"), OK7);
	char why[256] = "";
	assert_int_equal(check_catalog(good, why, sizeof(why)), 0);
	json_auto_t *notobj = json_loads("[]", 0, NULL);
	assert_int_equal(check_catalog(notobj, why, sizeof(why)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_embedded_catalog_is_valid),
	    cmocka_unit_test(test_r6_has_every_item),
	    cmocka_unit_test(test_r7_numbering_is_contiguous),
	    cmocka_unit_test(test_r6_host_items_have_r7_counterpart),
	    cmocka_unit_test(test_confirmed_counterparts),
	    cmocka_unit_test(test_host_checkable_and_scope),
	    cmocka_unit_test(test_id_syntax),
	    cmocka_unit_test(test_broken_catalogs_rejected),
	    cmocka_unit_test(test_broken_items_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
