/* test_cap.c - the per-rule cap on listed findings
 * (--max-findings-per-rule): the first N of each rule and status stay in
 * order, one finding per cut group counts the rest, passes stay, and the
 * summary is not touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "engine/cap.h"

static json_t *finding(const char *rule, const char *status, int i)
{
	char subject[32];
	snprintf(subject, sizeof(subject), "account:u%d", i);
	return json_pack("{s:s, s:s, s:s, s:[s], s:s}", "rule", rule, "status", status, "subject",
			 subject, "checklist", "2(5)", "severity", "medium");
}

static void test_cap(void **state)
{
	json_t *findings = json_array();
	for (int i = 0; i < 5; i++)
		json_array_append_new(findings, finding("a", "fail", i));
	json_array_append_new(findings, finding("a", "unknown", 10));
	json_array_append_new(findings, finding("a", "unknown", 11));
	for (int i = 0; i < 3; i++)
		json_array_append_new(findings, finding("b", "fail", 20 + i));
	json_array_append_new(findings, finding("c", "pass", 30));
	json_t *report = json_pack("{s:o, s:{s:i, s:i, s:i}}", "findings", findings, "summary",
				   "fail", 8, "pass", 1, "unknown", 2);
	assert_int_equal(findings_cap(report, 2), 0);
	json_t *f = json_object_get(report, "findings");
	/* a fail x2, a unknown x2, b fail x2, c pass, then a and b omitted */
	assert_int_equal(json_array_size(f), 9);
	assert_string_equal(json_string_value(json_object_get(json_array_get(f, 1), "subject")),
			    "account:u1");
	json_t *om = json_array_get(f, 7);
	assert_true(json_is_true(json_object_get(om, "omitted")));
	assert_string_equal(json_string_value(json_object_get(om, "rule")), "a");
	assert_string_equal(json_string_value(json_object_get(om, "status")), "fail");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(om, "evidence"), "omitted_count")),
	    3);
	assert_non_null(json_object_get(json_object_get(om, "message"), "ja"));
	assert_non_null(strstr(
	    json_string_value(json_object_get(json_object_get(om, "message"), "en")), "3 more"));
	om = json_array_get(f, 8);
	assert_string_equal(json_string_value(json_object_get(om, "rule")), "b");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(om, "evidence"), "omitted_count")),
	    1);
	/* The summary keeps the exact counts. */
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(report, "summary"), "fail")), 8);
	/* A cap above every group changes nothing. */
	json_t *before = json_deep_copy(json_object_get(report, "findings"));
	assert_int_equal(findings_cap(report, 100), 0);
	assert_true(json_equal(before, json_object_get(report, "findings")));
	json_decref(before);
	json_decref(report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_cap)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
