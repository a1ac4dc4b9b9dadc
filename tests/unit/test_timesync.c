/* test_timesync.c - whole runs of the time probe over the fixture roots:
 * chrony with sourcedir (logging-good), nothing installed (time-none),
 * timesyncd installed but not enabled with its fallback disabled
 * (time-disabled), timesyncd enabled on compiled-in fallbacks
 * (time-timesyncd), binary garbage in chrony.conf (logging-hostile), a
 * masked unit and an include loop made at test time. Run from the
 * repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "probes/read/fsroot.h"
#include "probes/probe.h"

struct run {
	struct fsroot *root;
	struct probe_ctx ctx;
	const json_t *ts;
};

static void run_probe(struct run *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(fsroot_open(dir, FSROOT_WALK_ONLY, &r->root), 0);
	r->ctx.root = r->root;
	r->ctx.offline = true;
	r->ctx.now = 1795305600;
	r->ctx.inventory = json_object();
	r->ctx.host = json_object();
	r->ctx.messages = json_array();
	assert_int_equal(probe_time_run(&r->ctx), 0);
	r->ts = json_object_get(r->ctx.inventory, "time_sync");
	assert_non_null(r->ts);
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)r->ts, key, v) {
		if (!column_find(&time_collections[0], key))
			fail_msg("undeclared key %s", key);
	}
	for (const struct column *c = time_collections[0].columns; c->name; c++)
		if (!json_object_get(r->ts, c->name))
			fail_msg("column %s missing", c->name);
}

static void run_free(struct run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

static const char *s(const struct run *r, const char *key)
{
	return json_string_value(json_object_get(r->ts, key));
}

static bool t(const struct run *r, const char *key)
{
	return json_is_true(json_object_get(r->ts, key));
}

static void test_chrony(void **state)
{
	struct run r;
	(void)state;
	run_probe(&r, "tests/fixtures/logging-good");
	assert_string_equal(s(&r, "implementation"), "chrony");
	assert_true(t(&r, "configured"));
	assert_true(t(&r, "enabled"));
	assert_true(json_is_null(json_object_get(r.ts, "running"))); /* offline */
	assert_string_equal(s(&r, "unit"), "chrony.service");
	const json_t *sv = json_object_get(r.ts, "servers");
	assert_int_equal(json_array_size(sv), 2);
	assert_string_equal(json_string_value(json_array_get(sv, 0)), "10.0.0.123");
	assert_string_equal(json_string_value(json_array_get(sv, 1)), "ntp.hospital.local");
	const json_t *src = json_object_get(r.ts, "sources");
	assert_string_equal(json_string_value(json_array_get(src, 0)), "/etc/chrony/chrony.conf:2");
	assert_string_equal(json_string_value(json_array_get(src, 1)),
			    "/etc/chrony/sources.d/local.sources:1");
	run_free(&r);
}

static void test_none_and_timesyncd(void **state)
{
	struct run r;
	(void)state;
	run_probe(&r, "tests/fixtures/time-none");
	assert_string_equal(s(&r, "implementation"), "none");
	assert_false(t(&r, "configured"));
	assert_false(t(&r, "enabled"));
	assert_int_equal(json_array_size(json_object_get(r.ts, "installed")), 0);
	run_free(&r);

	run_probe(&r, "tests/fixtures/time-disabled");
	assert_string_equal(s(&r, "implementation"), "timesyncd");
	assert_false(t(&r, "enabled"));
	assert_true(t(&r, "configured"));
	assert_false(t(&r, "fallback_builtin")); /* FallbackNTP= in the drop-in */
	assert_int_equal(json_array_size(json_object_get(r.ts, "servers")), 2);
	run_free(&r);

	run_probe(&r, "tests/fixtures/time-timesyncd");
	assert_string_equal(s(&r, "implementation"), "timesyncd");
	assert_true(t(&r, "enabled"));
	assert_true(t(&r, "configured"));
	assert_true(t(&r, "fallback_builtin"));
	assert_int_equal(json_array_size(json_object_get(r.ts, "servers")), 0);
	run_free(&r);
}

static void test_hostile(void **state)
{
	struct run r;
	(void)state;
	run_probe(&r, "tests/fixtures/logging-hostile");
	/* The one sane line after 8 KiB of garbage still counts. */
	assert_string_equal(s(&r, "implementation"), "chrony");
	assert_string_equal(json_string_value(json_array_get(json_object_get(r.ts, "servers"), 0)),
			    "10.0.0.5");
	assert_true(json_array_size(r.ctx.messages) > 0);
	assert_true(json_array_size(r.ctx.messages) <= 21);
	run_free(&r);
}

static void put(const char *dir, const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_masked_and_loop(void **state)
{
	char dir[] = "/tmp/tenken-time-XXXXXX", p[512];
	struct run r;
	(void)state;
	assert_non_null(mkdtemp(dir));
	static const char *const dirs[] = {"/usr",
					   "/usr/sbin",
					   "/etc",
					   "/etc/chrony",
					   "/etc/systemd",
					   "/etc/systemd/system",
					   "/etc/systemd/system/multi-user.target.wants"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", dir, dirs[i]);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	put(dir, "usr/sbin/chronyd", "");
	put(dir, "etc/chrony/chrony.conf", "include /etc/chrony/chrony.conf\nserver a.example\n");
	snprintf(p, sizeof(p), "%s/etc/systemd/system/multi-user.target.wants/chrony.service", dir);
	assert_int_equal(symlink("/lib/systemd/system/chrony.service", p), 0);
	snprintf(p, sizeof(p), "%s/etc/systemd/system/chrony.service", dir);
	assert_int_equal(symlink("/dev/null", p), 0);
	run_probe(&r, dir);
	assert_string_equal(s(&r, "implementation"), "chrony");
	assert_false(t(&r, "enabled")); /* masked */
	assert_true(t(&r, "configured"));
	assert_true(json_array_size(r.ctx.messages) >= 1); /* the loop */
	run_free(&r);
	/* timesyncd with only FallbackNTP= set: those are its servers. */
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/etc/chrony/chrony.conf", dir);
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/usr/sbin/chronyd", dir);
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/lib", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/lib/systemd", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	put(dir, "lib/systemd/systemd-timesyncd", "");
	put(dir, "etc/systemd/timesyncd.conf", "[Time]\nFallbackNTP=fb1.example fb2.example\n");
	run_probe(&r, dir);
	assert_string_equal(s(&r, "implementation"), "timesyncd");
	assert_false(t(&r, "fallback_builtin"));
	assert_true(t(&r, "configured"));
	assert_false(t(&r, "enabled"));
	assert_int_equal(json_array_size(json_object_get(r.ts, "servers")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r.ts, "sources"), 0)),
			    "/etc/systemd/timesyncd.conf:2");
	run_free(&r);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chrony),
	    cmocka_unit_test(test_none_and_timesyncd),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_masked_and_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
