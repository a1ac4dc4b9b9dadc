/* test_pkgkeys.c - store_package_keys (store/ingest.c), the ingest's way
 * to the package keys without a jansson object per package, against
 * diff_inventory_keys (report/diff.c), whose definition it must keep:
 * duplicates (the first counts), "installed": false, no architecture,
 * names and versions that are not strings, escapes, elements that are
 * not objects. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <jansson.h>
#include "report/diff.h"
#include "store/skim.h"
#include "store/store_int.h"

static void test_same_as_diff(void **state)
{
	static const char *const arrays[] = {
	    "[]",
	    "[{\"name\":\"b\",\"architecture\":\"amd64\",\"version\":\"1\"},"
	    "{\"name\":\"a\",\"architecture\":\"all\",\"version\":\"2\",\"installed\":true}]",
	    "[{\"name\":\"a\",\"version\":\"1\"},{\"name\":\"a\",\"version\":\"2\"},"
	    "{\"name\":\"a\",\"architecture\":\"i386\",\"version\":\"3\"}]",
	    "[{\"name\":\"gone\",\"installed\":false,\"version\":\"1\"},{\"name\":1},{\"version\":"
	    "\"x\"},"
	    "{\"name\":\"n\",\"architecture\":null,\"version\":7}]",
	    "[1, \"s\", null, [], "
	    "{\"name\":\"q\\\"\\u00e9\\\\\",\"architecture\":\"a\\/b\",\"version\":\"1:2~\\n\"}]",
	    "[{\"name\":\"libc6\",\"architecture\":\"amd64\",\"version\":\"2.36\",\"installed\":"
	    "\"false\"},"
	    "{\"name\":\"libc6:amd64\",\"version\":\"9\"},{\"name\":\"libc6\",\"architecture\":"
	    "\"amd64\","
	    "\"version\":\"0\",\"extra\":{\"name\":\"x\"}}]",
	};
	for (size_t i = 0; i < sizeof(arrays) / sizeof(*arrays); i++) {
		char doc[1024];
		snprintf(doc, sizeof(doc), "{\"inventory\":{\"packages\":%s}}", arrays[i]);
		struct skim_member m[4];
		assert_int_equal(skim_object(doc, strlen(doc), m, 4), 1);
		json_t *report = json_loads(doc, 0, NULL), *got = NULL;
		assert_non_null(report);
		json_t *want = diff_inventory_keys(report);
		assert_int_equal(store_package_keys(arrays[i], strlen(arrays[i]), &got), 0);
		if (!json_equal(json_object_get(want, "packages"), got)) {
			char *a = json_dumps(json_object_get(want, "packages"), 0);
			char *b = json_dumps(got, 0);
			print_error("case %zu: diff %s, store %s\n", i, a, b);
			free(a);
			free(b);
			fail();
		}
		json_decref(got);
		json_decref(want);
		json_decref(report);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_same_as_diff)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
