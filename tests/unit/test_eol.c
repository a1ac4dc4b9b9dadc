/* test_eol.c - the end-of-life table and its lookup: every release in
 * baselines/eol.json is well formed (dates, order, a distribution entry,
 * a source, no duplicates), lookups by os-release identity (exact and
 * major matching, CentOS Stream), the redhat-release and debian_version
 * fallbacks (tables of real first lines and garbage), day counting at
 * the boundaries, malformed tables; then the eol probe on the eol-*
 * fixture roots and the hostile root, and the packages probe on an rpm
 * root (columns as declared, EVR, source, kernel). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "probes/eol.h"
#include "probes/parse/eol_parse.h"
#include "probes/packages.h"
#include "lib/util.h"

#define TABLE "baselines/eol.json"

static json_t *load(void)
{
	json_error_t err;
	json_t *t = json_load_file(TABLE, 0, &err);
	if (!t)
		fail_msg("%s:%d: %s", TABLE, err.line, err.text);
	return t;
}

static void test_table_sane(void **state)
{
	(void)state;
	json_t *t = load();
	const json_t *rel;
	size_t i, n = 0;
	json_array_foreach(json_object_get(t, "releases"), i, rel) {
		const char *os = json_string_value(json_object_get(rel, "os"));
		const char *v = json_string_value(json_object_get(rel, "version"));
		assert_non_null(os);
		assert_non_null(v);
		struct eol_entry e;
		if (eol_lookup(t, os, v, &e) != 0)
			fail_msg("%s %s does not look itself up", os, v);
		if (strcmp(e.version, v) != 0)
			fail_msg("%s %s is shadowed by %s", os, v, e.version);
		assert_true(e.extended_t >= e.standard_t);
		assert_non_null(e.source);
		assert_true(strncmp(e.source, "https://", 8) == 0);
		assert_non_null(e.checked);
		n++;
	}
	assert_true(n >= 30);
	/* Every distribution the issue names is covered. */
	static const char *const need[] = {"debian",	"ubuntu", "rhel", "centos",
					   "almalinux", "rocky",  "sles", "amzn"};
	for (size_t k = 0; k < ARRAY_SIZE(need); k++)
		assert_non_null(json_object_get(json_object_get(t, "distributions"), need[k]));
	json_decref(t);
}

struct look_case {
	const char *key, *version;
	int want;
	const char *standard, *extended;
	bool has_extended;
};

static const struct look_case look_cases[] = {
    {"debian", "10", 0, "2022-09-10", "2024-06-30", true},
    {"debian", "12", 0, "2026-06-10", "2028-06-30", true},
    {"debian", "12.7", 0, "2026-06-10", "2028-06-30", true}, /* debian_version */
    {"debian", "1", -ENOENT, NULL, NULL, false},
    {"debian", "", -ENOENT, NULL, NULL, false},
    {"ubuntu", "22.04", 0, "2027-06-30", "2032-04-30", true},
    {"ubuntu", "22", -ENOENT, NULL, NULL, false}, /* exact match only */
    {"ubuntu", "22.10", -ENOENT, NULL, NULL, false},
    {"rhel", "9.3", 0, "2032-05-31", "2035-05-31", true},
    {"rhel", "7.9", 0, "2024-06-30", "2028-06-30", true},
    {"rhel", "90", -ENOENT, NULL, NULL, false},
    {"centos", "7", 0, "2024-06-30", "2024-06-30", false},
    {"centos-stream", "9", 0, "2027-05-31", "2027-05-31", false},
    {"almalinux", "9.4", 0, "2032-05-31", "2032-05-31", false},
    {"rocky", "8.9", 0, "2029-05-31", "2029-05-31", false},
    {"sles", "15.5", 0, "2024-12-31", "2027-12-31", true},
    {"sles", "15", -ENOENT, NULL, NULL, false},
    {"amzn", "2", 0, "2026-06-30", "2026-06-30", false},
    {"amzn", "2023", 0, "2027-06-30", "2029-06-30", true},
    {"hospitalos", "1.0", -ENOENT, NULL, NULL, false},
    {"releases", "1", -ENOENT, NULL, NULL, false},
};

static void test_lookup(void **state)
{
	(void)state;
	json_t *t = load();
	for (size_t i = 0; i < ARRAY_SIZE(look_cases); i++) {
		const struct look_case *c = &look_cases[i];
		struct eol_entry e;
		int r = eol_lookup(t, c->key, c->version, &e);
		if (r != c->want)
			fail_msg("%s %s: %d, want %d", c->key, c->version, r, c->want);
		if (r)
			continue;
		assert_string_equal(e.standard_end, c->standard);
		assert_string_equal(e.extended_end, c->extended);
		assert_int_equal(e.extended_kind != NULL, c->has_extended);
	}
	struct eol_entry e;
	assert_int_equal(eol_lookup(t, NULL, "1", &e), -ENOENT);
	assert_int_equal(eol_lookup(t, "debian", NULL, &e), -ENOENT);
	json_decref(t);
}

static void test_bad_tables(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    /* extended before standard */
	    "{\"distributions\":{\"x\":{\"name\":\"X\",\"match\":\"exact\",\"source\":\"s\"}},"
	    "\"releases\":[{\"os\":\"x\",\"version\":\"1\",\"standard_end\":\"2030-01-01\","
	    "\"extended_end\":\"2029-01-01\"}]}",
	    /* not a date */
	    "{\"distributions\":{\"x\":{\"name\":\"X\",\"match\":\"exact\",\"source\":\"s\"}},"
	    "\"releases\":[{\"os\":\"x\",\"version\":\"1\",\"standard_end\":\"soon\","
	    "\"extended_end\":\"2029-01-01\"}]}",
	    /* number instead of string, no source */
	    "{\"distributions\":{\"x\":{\"name\":\"X\",\"match\":\"exact\"}},"
	    "\"releases\":[{\"os\":\"x\",\"version\":\"1\",\"standard_end\":\"2030-01-01\","
	    "\"extended_end\":20300101}]}",
	    "{\"distributions\":{\"x\":{\"name\":\"X\",\"match\":\"exact\",\"source\":\"s\"}},"
	    "\"releases\":[{\"os\":\"x\",\"version\":\"1\",\"standard_end\":\"2030-13-45\","
	    "\"extended_end\":\"2030-01-01\"}]}",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		json_t *t = json_loads(bad[i], 0, NULL);
		assert_non_null(t);
		struct eol_entry e;
		if (eol_lookup(t, "x", "1", &e) != -EBADMSG)
			fail_msg("bad table %zu accepted", i);
		json_decref(t);
	}
	/* Structure of the wrong types: not found, no crash. */
	json_t *t = json_loads("{\"distributions\":[],\"releases\":{}}", 0, NULL);
	struct eol_entry e;
	assert_int_equal(eol_lookup(t, "x", "1", &e), -ENOENT);
	json_decref(t);
}

struct ident_case {
	const char *text;
	int want;
	const char *id, *version;
};

static const struct ident_case redhat_cases[] = {
    {"Red Hat Enterprise Linux release 9.3 (Plow)\n", 0, "rhel", "9.3"},
    {"Red Hat Enterprise Linux Server release 7.9 (Maipo)\n", 0, "rhel", "7.9"},
    {"CentOS Linux release 7.9.2009 (Core)\n", 0, "centos", "7.9.2009"},
    {"CentOS release 6.10 (Final)\r\n", 0, "centos", "6.10"},
    {"CentOS Stream release 9\n", 0, "centos-stream", "9"},
    {"AlmaLinux release 9.4 (Seafoam Ocelot)", 0, "almalinux", "9.4"},
    {"Rocky Linux release 8.9 (Green Obsidian)\n", 0, "rocky", "8.9"},
    {"Fedora release 40 (Forty)\n", -ENODATA, NULL, NULL},
    {"Red Hat Enterprise Linux release (Plow)\n", -ENODATA, NULL, NULL},
    {"Red Hat Enterprise Linux release .9\n", -ENODATA, NULL, NULL},
    {"\nRed Hat Enterprise Linux release 9.3\n", -ENODATA, NULL, NULL},
    {"", -ENODATA, NULL, NULL},
    {"Red Hat Enterprise Linux release 99999999999999999999999999999999999\n", -ENODATA, NULL,
     NULL},
};

static const struct ident_case debian_cases[] = {
    {"12.7\n", 0, "debian", "12.7"},
    {"10.13", 0, "debian", "10.13"},
    {"  11.11  \r\n", 0, "debian", "11.11"},
    {"trixie/sid\n", -ENODATA, NULL, NULL},
    {"12.7 extra\n", -ENODATA, NULL, NULL},
    {"\n", -ENODATA, NULL, NULL},
    {"", -ENODATA, NULL, NULL},
};

static void check_idents(const struct ident_case *c, size_t n,
			 int (*parse)(const char *, size_t, struct os_ident *))
{
	for (size_t i = 0; i < n; i++) {
		struct os_ident id;
		int r = parse(c[i].text, strlen(c[i].text), &id);
		if (r != c[i].want)
			fail_msg("'%s': %d, want %d", c[i].text, r, c[i].want);
		if (r == 0) {
			assert_string_equal(id.id, c[i].id);
			assert_string_equal(id.version, c[i].version);
		}
	}
}

static void test_identity_files(void **state)
{
	(void)state;
	check_idents(redhat_cases, ARRAY_SIZE(redhat_cases), redhat_release_parse);
	check_idents(debian_cases, ARRAY_SIZE(debian_cases), debian_version_parse);
	/* A NUL inside: the line ends there for the parser's length. */
	struct os_ident id;
	assert_int_equal(debian_version_parse("12.7\0junk", 9, &id), -ENODATA);
	assert_string_equal(eol_distribution_key("centos", "CentOS Stream"), "centos-stream");
	assert_string_equal(eol_distribution_key("centos", "CentOS Linux"), "centos");
	assert_string_equal(eol_distribution_key("debian", NULL), "debian");
}

static void test_days(void **state)
{
	(void)state;
	time_t end;
	assert_int_equal(time_parse_rfc3339("2026-06-10", &end), 0);
	time_t t;
	assert_int_equal(time_parse_rfc3339("2026-06-10T23:59:59Z", &t), 0);
	assert_int_equal(eol_days_until(t, end), 0); /* the last day still counts */
	assert_int_equal(time_parse_rfc3339("2026-06-11T00:00:00Z", &t), 0);
	assert_int_equal(eol_days_until(t, end), -1);
	assert_int_equal(time_parse_rfc3339("2026-06-09T00:00:01Z", &t), 0);
	assert_int_equal(eol_days_until(t, end), 1);
	assert_int_equal(time_parse_rfc3339("2026-11-22T00:00:00Z", &t), 0);
	assert_int_equal(eol_days_until(t, end), -165);
	assert_int_equal(eol_days_until(-1, 0), 1); /* before 1970 */
}

/* ---- the probes on fixture roots ---- */

struct run {
	struct fsroot *root;
	struct probe_ctx ctx;
	int ret;
};

static void run_probe(struct run *r, const char *dir, int (*probe)(struct probe_ctx *))
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(fsroot_open(dir, FSROOT_AUTO, &r->root), 0);
	time_t now;
	assert_int_equal(time_parse_rfc3339("2026-11-22T00:00:00Z", &now), 0);
	r->ctx = (struct probe_ctx){.root = r->root,
				    .offline = true,
				    .now = now,
				    .inventory = json_object(),
				    .host = json_object(),
				    .messages = json_array()};
	r->ret = probe(&r->ctx);
}

static void run_free(struct run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

/* Every key written is a declared column and every column is written. */
static void check_columns(const struct collection *c, json_t *inventory)
{
	for (; c->name; c++) {
		json_t *v = json_object_get(inventory, c->name);
		assert_non_null(v);
		json_t *elems = c->single ? json_pack("[O]", v) : json_incref(v);
		size_t i, ncol;
		json_t *e;
		json_array_foreach(elems, i, e) {
			const struct column *col = c->columns;
			for (ncol = 0; col->name; col++, ncol++)
				if (!json_object_get(e, col->name))
					fail_msg("%s: missing %s", c->name, col->name);
			assert_int_equal(json_object_size(e), ncol);
		}
		json_decref(elems);
	}
}

static json_t *support(struct run *r)
{
	return json_object_get(r->ctx.inventory, "os_support");
}

static void test_probe_roots(void **state)
{
	(void)state;
	struct run r;
	run_probe(&r, "tests/fixtures/eol-debian10", probe_eol_run);
	assert_int_equal(r.ret, 0);
	check_columns(eol_collections, r.ctx.inventory);
	assert_true(json_is_true(json_object_get(support(&r), "eol_known")));
	assert_int_equal(json_integer_value(json_object_get(support(&r), "days_until_eol")), -1534);
	assert_int_equal(
	    json_integer_value(json_object_get(support(&r), "days_until_extended_eol")), -875);
	run_free(&r);
	/* No os-release: redhat-release. */
	run_probe(&r, "tests/fixtures/eol-centos7-rpm", probe_eol_run);
	assert_string_equal(json_string_value(json_object_get(support(&r), "os_id")), "centos");
	assert_string_equal(json_string_value(json_object_get(support(&r), "identity_source")),
			    "/etc/redhat-release");
	assert_string_equal(json_string_value(json_object_get(support(&r), "extended_support")),
			    "none");
	run_free(&r);
	/* Unknown: every date null, a message says why. */
	run_probe(&r, "tests/fixtures/eol-unknown", probe_eol_run);
	check_columns(eol_collections, r.ctx.inventory);
	assert_true(json_is_false(json_object_get(support(&r), "eol_known")));
	assert_true(json_is_null(json_object_get(support(&r), "days_until_eol")));
	assert_true(json_is_null(json_object_get(support(&r), "days_until_extended_eol")));
	assert_int_equal(json_array_size(r.ctx.messages), 1);
	run_free(&r);
	/* The hostile root (FIFOs, garbage): no hang, columns intact. */
	run_probe(&r, "tests/fixtures/hostile", probe_eol_run);
	check_columns(eol_collections, r.ctx.inventory);
	run_free(&r);
}

/* The packages probe on an rpm root: the same columns as on dpkg. */
static void test_rpm_packages_probe(void **state)
{
	(void)state;
	struct run r;
	run_probe(&r, "tests/fixtures/eol-centos7-rpm", probe_packages_run);
	assert_int_equal(r.ret, 0);
	check_columns(packages_collections, r.ctx.inventory);
	json_t *pkgs = json_object_get(r.ctx.inventory, "packages");
	assert_int_equal(json_array_size(pkgs), 8);
	json_t *beta = json_array_get(pkgs, 1);
	assert_string_equal(json_string_value(json_object_get(beta, "name")), "beta");
	assert_string_equal(json_string_value(json_object_get(beta, "version")), "2:3.4~rc1-5.el9");
	assert_string_equal(json_string_value(json_object_get(beta, "source_version")),
			    "3.4~rc1-5.el9");
	assert_string_equal(json_string_value(json_object_get(beta, "manager")), "rpm");
	json_t *k = json_object_get(r.ctx.inventory, "kernel");
	assert_string_equal(json_string_value(json_object_get(k, "newest_installed")),
			    "5.14.0-427.13.1.el9_4.x86_64");
	assert_true(json_is_null(json_object_get(k, "running_is_newest"))); /* no osrelease */
	assert_int_equal(json_array_size(r.ctx.messages), 0);
	run_free(&r);
	/* A root with neither database: not applicable. */
	run_probe(&r, "tests/fixtures/eol-debian10", probe_packages_run);
	assert_int_equal(r.ret, PROBE_RET_NOT_APPLICABLE);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_sane),
	    cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_bad_tables),
	    cmocka_unit_test(test_identity_files),
	    cmocka_unit_test(test_days),
	    cmocka_unit_test(test_probe_roots),
	    cmocka_unit_test(test_rpm_packages_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
