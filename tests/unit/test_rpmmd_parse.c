/* test_rpmmd_parse.c - rpm-md readers: repomd.xml, primary (XML in chunks,
 * obsoletes, epochs), updateinfo (types, severities, CVEs, modules), ini
 * files as dnf reads them, $variable substitution, dependency ranges, and
 * hostile input (DTD and entities refused, truncation, wrong roots). The
 * end-to-end comparison with dnf itself is tests/e2e/rpmmd.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/parse/rpmmd_parse.h"

static const char repomd[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			     "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\" "
			     "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n"
			     "  <revision>1700000000</revision>\n"
			     "  <data type=\"primary\">\n"
			     "    <checksum type=\"sha256\">ABCDEF</checksum>\n"
			     "    <open-checksum type=\"sha256\">0123</open-checksum>\n"
			     "    <location href=\"repodata/abcdef-primary.xml.gz\"/>\n"
			     "    <timestamp>1700000100</timestamp>\n"
			     "    <size>1234</size>\n"
			     "  </data>\n"
			     "  <data type=\"updateinfo\">\n"
			     "    <checksum type=\"sha1\">99</checksum>\n"
			     "    <location href=\"repodata/u.xml.xz\"/>\n"
			     "    <timestamp>1700000200.5</timestamp>\n"
			     "  </data>\n"
			     "</repomd>\n";

static void test_repomd(void **state)
{
	struct rpmmd_repomd md;
	const char *why = NULL;
	assert_int_equal(rpmmd_repomd_parse(repomd, strlen(repomd), &md, &why), 0);
	assert_int_equal(md.n, 2);
	const struct rpmmd_data *p = rpmmd_repomd_get(&md, "primary");
	assert_non_null(p);
	assert_string_equal(p->href, "repodata/abcdef-primary.xml.gz");
	assert_string_equal(p->checksum_type, "sha256");
	assert_string_equal(p->checksum, "abcdef"); /* lowercased */
	assert_string_equal(p->open_checksum, "0123");
	assert_int_equal(p->timestamp, 1700000100);
	assert_int_equal(p->size, 1234);
	assert_null(rpmmd_repomd_get(&md, "modules"));
	assert_int_equal(rpmmd_repomd_time(&md), 1700000200);
	rpmmd_repomd_free(&md);
}

static void test_repomd_hostile(void **state)
{
	static const char *const bad[] = {
	    "",
	    "<repomd><data type=\"primary\">",
	    "<metadata/>",
	    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\">]><repomd>&a;</repomd>",
	    "<repomd>\x01</repomd>",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rpmmd_repomd md;
		const char *why = NULL;
		assert_int_equal(rpmmd_repomd_parse(bad[i], strlen(bad[i]), &md, &why), -EBADMSG);
		assert_non_null(why);
		assert_int_equal(md.n, 0);
	}
}

static const char primary[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
    "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"3\">\n"
    "<package type=\"rpm\"><name>foo</name><arch>x86_64</arch>"
    "<version epoch=\"0\" ver=\"1.1\" rel=\"1.el9\"/><time file=\"1690000000\" build=\"1\"/>"
    "<location href=\"Packages/foo-1.1-1.el9.x86_64.rpm\"/><format>"
    "<rpm:provides><rpm:entry name=\"foo\" flags=\"EQ\" epoch=\"0\" ver=\"1.1\" "
    "rel=\"1.el9\"/></rpm:provides>"
    "<rpm:obsoletes><rpm:entry name=\"oldfoo\" flags=\"LT\" epoch=\"0\" ver=\"2\"/>"
    "<rpm:entry name=\"gone\"/></rpm:obsoletes></format></package>\n"
    "<package type=\"rpm\"><name>bar</name><arch>noarch</arch>"
    "<version ver=\"2\" rel=\"3\"/></package>\n"
    "<package type=\"srpm\"><name>skipped</name><arch>src</arch>"
    "<version ver=\"1\" rel=\"1\"/></package>\n"
    "</metadata>\n";

struct seen {
	char names[8][32];
	size_t n, obs;
	long long tfile[8];
	char epoch[8][8];
};

static int on_pkg(void *userdata, const struct rpmmd_pkg *p)
{
	struct seen *s = userdata;
	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s.%s-%s-%s", p->name, p->arch,
			 p->ver, p->rel);
		snprintf(s->epoch[s->n], sizeof(s->epoch[0]), "%s", p->epoch);
		s->tfile[s->n] = p->time_file;
	}
	s->n++;
	s->obs += p->nobsoletes;
	if (strcmp(p->name, "foo") == 0) {
		assert_int_equal(p->nobsoletes, 2);
		assert_string_equal(p->obsoletes[0].name, "oldfoo");
		assert_int_equal(p->obsoletes[0].flags, RPMMD_LT);
		assert_null(p->obsoletes[0].rel);
		assert_true(rpmmd_dep_matches(&p->obsoletes[0], "0", "1.9", "7"));
		assert_false(rpmmd_dep_matches(&p->obsoletes[0], "0", "2", "7"));
		assert_false(rpmmd_dep_matches(&p->obsoletes[0], "1", "1.0", "1"));
		assert_int_equal(p->obsoletes[1].flags, RPMMD_ANY);
		assert_true(rpmmd_dep_matches(&p->obsoletes[1], "3", "9", "9"));
	}
	return 0;
}

static void test_primary(void **state)
{
	/* fed in every split of two chunks: streaming gives the same records */
	for (size_t cut = 0; cut <= strlen(primary); cut += 37) {
		struct seen s = {0};
		struct rpmmd_primary *p;
		const char *why = NULL;
		assert_int_equal(rpmmd_primary_new(on_pkg, &s, &p), 0);
		assert_int_equal(rpmmd_primary_feed(p, primary, cut, false, &why), 0);
		assert_int_equal(
		    rpmmd_primary_feed(p, primary + cut, strlen(primary) - cut, true, &why), 0);
		assert_int_equal(rpmmd_primary_count(p), 2);
		rpmmd_primary_free(p);
		assert_int_equal(s.n, 2);
		assert_string_equal(s.names[0], "foo.x86_64-1.1-1.el9");
		assert_string_equal(s.names[1], "bar.noarch-2-3");
		assert_string_equal(s.epoch[1], "0"); /* absent epoch */
		assert_int_equal(s.tfile[0], 1690000000);
		assert_int_equal(s.tfile[1], -1);
		assert_int_equal(s.obs, 2);
	}
}

static void test_primary_truncated(void **state)
{
	for (size_t cut = 0; cut < strlen(primary) - 2; cut += 11) {
		struct seen s = {0};
		const char *why = NULL;
		assert_int_equal(rpmmd_primary_parse(primary, cut, on_pkg, &s, &why), -EBADMSG);
		assert_non_null(why);
	}
}

static const char updateinfo[] =
    "<?xml version=\"1.0\"?>\n<updates>\n"
    "<update from=\"x\" status=\"final\" type=\"security\" version=\"2\">"
    "<id>RHSA-2026:1</id><title>foo</title><severity>Important</severity>"
    "<issued date=\"2026-01-01\"/><references>"
    "<reference href=\"h\" id=\"CVE-2026-1\" type=\"cve\"/>"
    "<reference href=\"h\" id=\"CVE-2026-1\" type=\"cve\"/>"
    "<reference href=\"h\" id=\"42\" type=\"bugzilla\"/>"
    "<reference href=\"h\" id=\"CVE-2026-2\" type=\"cve\"/></references>"
    "<pkglist><collection short=\"a\"><name>a</name>"
    "<module name=\"nodejs\" stream=\"18\" version=\"1\" context=\"c\" arch=\"x86_64\"/>"
    "<package name=\"nodejs\" version=\"18.2\" release=\"1\" epoch=\"1\" arch=\"x86_64\">"
    "<filename>n.rpm</filename></package></collection>"
    "<collection short=\"b\"><package name=\"foo\" version=\"1.1\" release=\"1\" "
    "arch=\"noarch\"/></collection></pkglist></update>\n"
    "<update type=\"bugfix\"><id>FIX-1</id><pkglist><collection>"
    "<package name=\"bar\" version=\"2\" release=\"1\" epoch=\"0\" arch=\"i686\"/>"
    "</collection></pkglist></update>\n"
    "<update type=\"security\"><title>no id: skipped</title></update>\n"
    "</updates>\n";

struct advs {
	size_t n;
};

static int on_adv(void *userdata, const struct rpmmd_advisory *a)
{
	struct advs *s = userdata;
	if (s->n == 0) {
		assert_string_equal(a->id, "RHSA-2026:1");
		assert_string_equal(a->type, "security");
		assert_string_equal(a->severity, "Important");
		assert_string_equal(a->issued, "2026-01-01");
		assert_int_equal(a->ncves, 2); /* the repeat is dropped, bugzilla ignored */
		assert_string_equal(a->cves[1], "CVE-2026-2");
		assert_int_equal(a->npkgs, 2);
		assert_string_equal(a->pkgs[0].module, "nodejs:18");
		assert_string_equal(a->pkgs[0].epoch, "1");
		assert_null(a->pkgs[1].module);
		assert_string_equal(a->pkgs[1].epoch, "0");
	} else {
		assert_string_equal(a->id, "FIX-1");
		assert_null(a->severity);
		assert_int_equal(a->ncves, 0);
		assert_string_equal(a->pkgs[0].arch, "i686");
	}
	s->n++;
	return 0;
}

static void test_updateinfo(void **state)
{
	struct advs s = {0};
	const char *why = NULL;
	assert_int_equal(rpmmd_updateinfo_parse(updateinfo, strlen(updateinfo), on_adv, &s, &why),
			 0);
	assert_int_equal(s.n, 2);
	s.n = 0;
	assert_int_equal(rpmmd_updateinfo_parse("<updates><update>", 17, on_adv, &s, &why),
			 -EBADMSG);
	assert_int_equal(rpmmd_updateinfo_parse("<repomd/>", 9, on_adv, &s, &why), -EBADMSG);
}

static void test_ini(void **state)
{
	static const char f[] = "# comment\n"
				"[main]\n"
				"gpgcheck = 1\n"
				"exclude=kernel*\n"
				"\n"
				"[baseos]\n"
				"name=BaseOS $releasever\n"
				"BaseURL = http://a/$basearch/\n"
				"   http://b/${basearch}/\n"
				"; another comment\n"
				"enabled: 0\n"
				"enabled=1\n"
				"junk line\n";
	struct rpmmd_ini ini;
	assert_int_equal(rpmmd_ini_parse(f, strlen(f), &ini), 0);
	assert_int_equal(ini.n, 2);
	assert_string_equal(ini.s[0].name, "main");
	assert_string_equal(rpmmd_ini_get(&ini.s[0], "exclude"), "kernel*");
	assert_string_equal(ini.s[1].name, "baseos");
	assert_int_equal(ini.s[1].line, 6);
	const char *bu = rpmmd_ini_get(&ini.s[1], "baseurl");
	assert_string_equal(bu, "http://a/$basearch/\nhttp://b/${basearch}/");
	assert_int_equal(rpmmd_bool(rpmmd_ini_get(&ini.s[1], "enabled")), 1);
	assert_int_equal(ini.bad_lines, 1);
	assert_int_equal(ini.first_bad, 13);
	static const char *const vars[] = {"basearch", "x86_64", "releasever", "9", NULL};
	char *s = rpmmd_subst(bu, vars);
	assert_string_equal(s, "http://a/x86_64/\nhttp://b/x86_64/");
	free(s);
	s = rpmmd_subst("$releasever-$unknown-${basearch-$", vars);
	assert_string_equal(s, "9-$unknown-${basearch-$");
	free(s);
	rpmmd_ini_free(&ini);
	assert_int_equal(rpmmd_bool("Off"), 0);
	assert_int_equal(rpmmd_bool("maybe"), -1);
}

static void test_evr(void **state)
{
	assert_true(rpmmd_evr_cmp("1", "1.0", "1", "0", "9.9", "9") > 0);
	assert_true(rpmmd_evr_cmp(NULL, "1.0", "1", "0", "1.0", "1") == 0);
	assert_true(rpmmd_evr_cmp("0", "1.0", "1", "0", "1.0", NULL) == 0);
	assert_true(rpmmd_evr_cmp("0", "1.0~rc1", "1", "0", "1.0", "1") < 0);
	struct rpmmd_dep d = {"x", RPMMD_GE, NULL, "2.0", "3"};
	assert_true(rpmmd_dep_matches(&d, "0", "2.0", "3"));
	assert_false(rpmmd_dep_matches(&d, "0", "2.0", "2"));
	d.flags = RPMMD_EQ;
	d.rel = NULL;
	assert_true(rpmmd_dep_matches(&d, "0", "2.0", "99"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_repomd),     cmocka_unit_test(test_repomd_hostile),
	    cmocka_unit_test(test_primary),    cmocka_unit_test(test_primary_truncated),
	    cmocka_unit_test(test_updateinfo), cmocka_unit_test(test_ini),
	    cmocka_unit_test(test_evr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
