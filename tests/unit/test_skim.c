/* test_skim.c - skim_object (store/skim.c) against jansson, the parser it
 * stands in for: every text it vouches for jansson accepts with the same
 * members, and each text jansson refuses (or that skim leaves to jansson)
 * it refuses, nested as deep as the inventory of a report would be. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <jansson.h>
#include "store/skim.h"

static bool jansson_ok(const char *text)
{
	json_error_t err;
	json_t *doc = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, &err);
	json_decref(doc);
	return doc != NULL;
}

static void test_accepts(void **state)
{
	static const char *const ok[] = {
	    "{}",
	    " {\"a\": 1, \"b\": [true, false, null, -0.5e+10, \"x\\\"\\u00e9\\ud83d\\ude00\"]}\n",
	    "{\"format\":\"tenken-report\",\"inventory\":{\"p\":[{\"n\":\"日本語\",\"v\":{}}]}}",
	    "{\"a\":{\"x\":1,\"y\":{\"x\":2}},\"b\":{\"x\":3}}",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		struct skim_member m[SKIM_MAX_MEMBERS];
		int n = skim_object(ok[i], strlen(ok[i]), m, SKIM_MAX_MEMBERS);
		assert_true(jansson_ok(ok[i]));
		assert_true(n >= 0);
		json_error_t err;
		json_t *doc = json_loads(ok[i], 0, &err);
		assert_int_equal((size_t)n, json_object_size(doc));
		json_decref(doc);
	}
	struct skim_member m[4];
	const char *t = "{\"k\": [1, {\"a\": 2}] , \"z\":\"v\"}";
	assert_int_equal(skim_object(t, strlen(t), m, 4), 2);
	assert_int_equal(m[0].key_len, 1);
	assert_memory_equal(t + m[0].off, "[1, {\"a\": 2}]", m[0].len);
	assert_memory_equal(t + m[1].off, "\"v\"", m[1].len);
	size_t pos = 0, off, el;
	const char *a = t + m[0].off;
	assert_int_equal(skim_array_next(a, m[0].len, &pos, &off, &el), 1);
	assert_memory_equal(a + off, "1", el);
	assert_int_equal(skim_array_next(a, m[0].len, &pos, &off, &el), 1);
	assert_memory_equal(a + off, "{\"a\": 2}", el);
	assert_int_equal(skim_array_next(a, m[0].len, &pos, &off, &el), 0);
}

/* The _checked walkers find the same spans as the checking ones on text
 * skim_object accepted: strings with escaped quotes and backslashes,
 * brackets inside strings, nesting, every kind of scalar. */
static void test_checked_same_spans(void **state)
{
	static const char *const ok[] = {
	    "{\"a\": \"x\\\\\", \"b\" : [\"]}\\\"{\", {\"c\": [1, -2.5e3]}, true] ,\"d\":null}",
	    " {\"p\":[{\"name\":\"a\\\"b\",\"v\":\"1:2\"},{\"name\":\"\u00e9\"}], \"q\":{}, "
	    "\"r\":[]}\n",
	    "{\"x\":0,\"y\":false,\"z\":\"\"}",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		struct skim_member a[8], b[8];
		size_t len = strlen(ok[i]);
		int n = skim_object(ok[i], len, a, 8);
		assert_true(n > 0);
		assert_int_equal(skim_object_checked(ok[i], len, b, 8), n);
		for (int k = 0; k < n; k++) {
			assert_int_equal(a[k].off, b[k].off);
			assert_int_equal(a[k].len, b[k].len);
			assert_int_equal(a[k].key_len, b[k].key_len);
			const char *v = ok[i] + a[k].off;
			if (v[0] != '[')
				continue;
			size_t p1 = 0, p2 = 0, o1, o2, l1, l2;
			int r1, r2;
			do {
				r1 = skim_array_next(v, a[k].len, &p1, &o1, &l1);
				r2 = skim_array_next_checked(v, a[k].len, &p2, &o2, &l2);
				assert_int_equal(r1, r2);
				if (r1 > 0) {
					assert_int_equal(o1, o2);
					assert_int_equal(l1, l2);
				}
			} while (r1 > 0);
		}
	}
}

static void test_refuses(void **state)
{
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{\"a\":1,\"a\":2}",
	    "{\"i\":{\"p\":[{\"n\":1,\"v\":2,\"n\":3}]}}",
	    "{\"a\":\"\\ud800\"}",
	    "{\"a\":\"\\udc00x\"}",
	    "{\"a\":\"\\u0000\"}",
	    "{\"a\":\"\xc3\"}",
	    "{\"a\":\"\xed\xa0\x80\"}",
	    "{\"a\":\"tab\there\"}",
	    "{\"a\":01}",
	    "{\"a\":1.}",
	    "{\"a\":tru}",
	    "{\"a\":1,}",
	    "{\"a\":[1,]}",
	    "{\"a\":1} x",
	    "{\"a\":\"\\x\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct skim_member m[SKIM_MAX_MEMBERS];
		assert_false(jansson_ok(bad[i]) && bad[i][0] == '{');
		assert_true(skim_object(bad[i], strlen(bad[i]), m, SKIM_MAX_MEMBERS) < 0);
	}
	/* left to jansson: an escaped key, a long integer */
	static const char *const unsure[] = {"{\"\\u0061\":1}", "{\"a\":12345678901234567890123}"};
	for (size_t i = 0; i < sizeof(unsure) / sizeof(*unsure); i++) {
		struct skim_member m[SKIM_MAX_MEMBERS];
		assert_true(skim_object(unsure[i], strlen(unsure[i]), m, SKIM_MAX_MEMBERS) < 0);
	}
	struct skim_member m[1];
	assert_int_equal(skim_object("{\"a\":1,\"b\":2}", 13, m, 1), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepts),
	    cmocka_unit_test(test_refuses),
	    cmocka_unit_test(test_checked_same_spans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
