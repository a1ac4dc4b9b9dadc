/* test_registry.c - the probe table: names unique, descriptions in both
 * languages, and every probe's needs stand before it (the runner relies
 * on that order, and --only runs them). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>
#include "probes/probe.h"

static long index_of(const char *name)
{
	for (size_t i = 0; i < probe_count; i++)
		if (strcmp(probe_table[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void test_names_unique_and_documented(void **state)
{
	for (size_t i = 0; i < probe_count; i++) {
		const struct probe *p = &probe_table[i];
		assert_non_null(p->name);
		assert_int_equal(index_of(p->name), (long)i);
		assert_true(p->doc && *p->doc);
		assert_true(p->doc_ja && *p->doc_ja);
		assert_ptr_equal(probe_find(p->name), p);
	}
}

static void test_needs_stand_before(void **state)
{
	size_t with_needs = 0;
	for (size_t i = 0; i < probe_count; i++) {
		for (const char *const *n = probe_table[i].needs; n && *n; n++) {
			long j = index_of(*n);
			if (j < 0 || (size_t)j >= i)
				fail_msg("probe %s needs %s, which %s", probe_table[i].name, *n,
					 j < 0 ? "does not exist" : "does not run before it");
			with_needs++;
		}
	}
	/* auth, autostart, executables, listeners and services read other
	 * probes' collections: the table must say so. */
	assert_true(with_needs >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_unique_and_documented),
	    cmocka_unit_test(test_needs_stand_before),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
