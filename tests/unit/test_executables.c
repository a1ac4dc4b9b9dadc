/* test_executables.c - the executables probe: its pure helpers as tables
 * of cases, then whole runs over roots made at test time in $TMPDIR (a
 * /usr-merged root with dpkg lists and md5sums: a binary whose MD5
 * matches, a modified one, an unowned service binary in /opt, an exe in
 * /tmp, a deleted and a memfd exe, a FIFO planted as a service binary),
 * and the shipped executables.* rules over those runs: each fails on the
 * bad root and passes on the good one. Needs gcc for the ELF binaries
 * (skipped without it). On rpm hosts: the rpmdb of
 * tests/fixtures/executables-rpm checked against what rpm -V/-qf say, and
 * a damaged database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "probes/executables.h"
#include "probes/read/fsroot.h"
#include "probes/probe.h"
#include "engine/rules.h"

/* ---- pure helpers ---- */

static void test_canonical(void **state)
{
	static const struct {
		const char *in;
		unsigned merged;
		const char *out;
	} cases[] = {
	    {"/bin/ls", MERGED_BIN, "/usr/bin/ls"},
	    {"/bin/ls", 0, "/bin/ls"},
	    {"/sbin/init", MERGED_BIN, "/sbin/init"},
	    {"/sbin/init", MERGED_SBIN, "/usr/sbin/init"},
	    {"/lib/systemd/systemd", MERGED_LIB, "/usr/lib/systemd/systemd"},
	    {"/lib64/ld.so", MERGED_LIB64 | MERGED_LIB, "/usr/lib64/ld.so"},
	    {"/libexec/x", ~0u, "/libexec/x"},
	    {"/bin", ~0u, "/bin"},
	    {"/binx/y", ~0u, "/binx/y"},
	    {"/usr/bin/ls", ~0u, "/usr/bin/ls"},
	    {"bin/ls", ~0u, "bin/ls"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *out = exe_canonical_path(cases[i].in, strlen(cases[i].in), cases[i].merged);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void test_md5sums(void **state)
{
	static const char sums[] = "d41d8cd98f00b204e9800998ecf8427e  usr/bin/empty\r\n"
				   "garbage line\n"
				   "\n"
				   "0123456789ABCDEF0123456789abcdef  bin/old-spelling\n"
				   "nothex  usr/bin/badsum\n"
				   "0123456789abcdef0123456789abcdef */usr/bin/abs\n"
				   "ffffffffffffffffffffffffffffffff  usr/bin/last";
	static const struct {
		const char *path;
		unsigned merged;
		int r;
		const char *hex;
	} cases[] = {
	    {"/usr/bin/empty", 0, 1, "d41d8cd98f00b204e9800998ecf8427e"},
	    {"/usr/bin/old-spelling", MERGED_BIN, 1, "0123456789abcdef0123456789abcdef"},
	    {"/usr/bin/old-spelling", 0, 0, NULL},
	    {"/bin/old-spelling", 0, 1, "0123456789abcdef0123456789abcdef"},
	    {"/usr/bin/badsum", 0, -EBADMSG, NULL},
	    {"/usr/bin/abs", 0, 1, "0123456789abcdef0123456789abcdef"},
	    {"/usr/bin/last", 0, 1, "ffffffffffffffffffffffffffffffff"},
	    {"/usr/bin/missing", 0, 0, NULL},
	    {"/usr/bin/emp", 0, 0, NULL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char hex[33] = "";
		int r =
		    exe_md5sums_find(sums, sizeof(sums) - 1, cases[i].path, cases[i].merged, hex);
		assert_int_equal(r, cases[i].r);
		if (cases[i].hex)
			assert_string_equal(hex, cases[i].hex);
	}
	/* NUL bytes and no newline at all */
	static const char nul[] = "d41d8cd98f00b204e9800998ecf8427e  usr/bin/a\0b\n";
	char hex[33];
	assert_int_equal(exe_md5sums_find(nul, sizeof(nul) - 1, "/usr/bin/a", 0, hex), 0);
	assert_int_equal(exe_md5sums_find("", 0, "/usr/bin/a", 0, hex), 0);
}

static void test_names(void **state)
{
	char *s = exe_dpkg_package_name("libc6:amd64");
	assert_string_equal(s, "libc6");
	free(s);
	s = exe_dpkg_package_name("bash");
	assert_string_equal(s, "bash");
	free(s);
	static const struct {
		const char *elem, *dir, *out;
	} cases[] = {
	    {"$ORIGIN/../lib", "/opt/app/bin", "/opt/app/bin/../lib"},
	    {"${ORIGIN}/lib", "/opt", "/opt/lib"},
	    {"/usr/lib", "/x", "/usr/lib"},
	    {"a$ORIGIN$ORIGIN", "/d", "a/d/d"},
	    {"", "/d", ""},
	    {"$ORIGINAL", "/d", "/dAL"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		s = exe_expand_origin(cases[i].elem, cases[i].dir);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

/* ---- roots made at test time ---- */

static char tmp[256];
static bool have_gcc;

static void put_file(const char *root, const char *rel, const char *data, size_t len)
{
	char path[1024], cmd[1200];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void put_text(const char *root, const char *rel, const char *text)
{
	put_file(root, rel, text, strlen(text));
}

static void md5_of(const char *data, size_t len, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	assert_true(EVP_Digest(data, len, md, &n, EVP_md5(), NULL));
	for (unsigned i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* gcc -x c - -o ROOT/REL FLAGS..., source from a pipe. */
static void compile(const char *root, const char *rel, const char *flags)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p \"$(dirname '%s/%s')\" && printf 'int main(void){return 0;}\\n' | "
		 "gcc -x c - -o '%s/%s' %s 2>/dev/null",
		 root, rel, root, rel, flags);
	assert_int_equal(system(cmd), 0);
}

static char *slurp(const char *root, const char *rel, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *p = malloc(1 << 22);
	assert_non_null(p);
	*len = fread(p, 1, 1 << 22, f);
	fclose(f);
	return p;
}

/* dpkg info: PKG.list and PKG.md5sums naming rel with the file's MD5
 * (or a wrong one). */
static void own(const char *root, const char *pkg, const char *listed, const char *rel,
		bool right_md5)
{
	char list[512], sums[512], hex[33], name[256];
	size_t len;
	char *data = slurp(root, rel, &len);
	md5_of(data, len, hex);
	free(data);
	if (!right_md5)
		hex[0] = hex[0] == '0' ? '1' : '0';
	snprintf(list, sizeof(list), "/.\n/usr\n%s\n", listed);
	snprintf(sums, sizeof(sums), "%s  %s\r\n", hex, listed + 1);
	snprintf(name, sizeof(name), "var/lib/dpkg/info/%s.list", pkg);
	put_text(root, name, list);
	snprintf(name, sizeof(name), "var/lib/dpkg/info/%s.md5sums", pkg);
	put_text(root, name, sums);
}

static const char hardened[] = "-O2 -fPIE -pie -Wl,-z,relro,-z,now -fstack-protector-all";

static void make_bad_root(const char *root)
{
	char cmd[1400];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/usr/bin' '%s/tmp' && ln -s usr/bin '%s/bin'", root,
		 root, root);
	assert_int_equal(system(cmd), 0);
	compile(root, "usr/bin/good", hardened);
	own(root, "good:amd64", "/bin/good", "usr/bin/good", true); /* pre-merge spelling */
	compile(root, "usr/sbin/moddaemon", hardened);
	own(root, "moddaemon", "/usr/sbin/moddaemon", "usr/sbin/moddaemon", false);
	compile(root, "opt/vendor/agent", "-no-pie -fno-stack-protector -Wl,-z,norelro");
	compile(root, "opt/vendor/rpathd",
		"-O2 -fPIE -pie -Wl,-z,relro,-z,now -fstack-protector-all "
		"-Wl,--disable-new-dtags,-rpath,/tmp/lib");
	put_text(root, "tmp/x", "#!/bin/sh\n");
	put_text(root, "usr/lib/libc.so.6", "not an ELF libc\n");
	snprintf(cmd, sizeof(cmd), "mkfifo '%s/usr/bin/fifo'", root);
	assert_int_equal(system(cmd), 0);
}

static void make_good_root(const char *root)
{
	compile(root, "usr/sbin/gooddaemon", hardened);
	own(root, "gooddaemon", "/usr/sbin/gooddaemon", "usr/sbin/gooddaemon", true);
}

static const char bad_inventory[] =
    "{\"processes\": ["
    " {\"pid\": 10, \"exe\": \"/usr/bin/good\", \"exe_deleted\": false},"
    " {\"pid\": 11, \"exe\": \"/tmp/x\", \"exe_deleted\": false},"
    " {\"pid\": 12, \"exe\": \"/usr/bin/old (deleted)\", \"exe_deleted\": true},"
    " {\"pid\": 13, \"exe\": \"/memfd:payload (deleted)\", \"exe_deleted\": true},"
    " {\"pid\": 14, \"exe\": null},"
    " {\"pid\": 15, \"exe\": \"/opt/vendor/rpathd\", \"exe_deleted\": false}],"
    " \"services\": ["
    " {\"unit\": \"good.service\", \"exec_start\": \"/bin/good\", \"enabled\": true},"
    " {\"unit\": \"mod.service\", \"exec_start\": \"/usr/sbin/moddaemon\", \"enabled\": true},"
    " {\"unit\": \"agent.service\", \"exec_start\": \"/opt/vendor/agent\", \"enabled\": true},"
    " {\"unit\": \"tmp.service\", \"exec_start\": \"/tmp/x\", \"enabled\": true},"
    " {\"unit\": \"fifo.service\", \"exec_start\": \"/usr/bin/fifo\", \"enabled\": true},"
    " {\"unit\": \"off.service\", \"exec_start\": \"/usr/bin/off\", \"enabled\": false,"
    "  \"running\": false},"
    " {\"unit\": \"x.service\", \"exec_start\": \"relative\", \"enabled\": true}]}";

static const char good_inventory[] =
    "{\"processes\": [{\"pid\": 1, \"exe\": \"/usr/sbin/gooddaemon\"}],"
    " \"services\": [{\"unit\": \"g.service\", \"exec_start\": \"/usr/sbin/gooddaemon\","
    " \"state\": \"enabled\"}]}";

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmp, sizeof(tmp), "%s/test_executables.XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	have_gcc = system("gcc --version >/dev/null 2>&1") == 0;
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* Run the probe over root with inventory text; returns the inventory. */
static json_t *run_probe(const char *root, const char *inventory, int *ret, json_t **messages)
{
	struct fsroot *fr = NULL;
	json_error_t err;
	assert_int_equal(fsroot_open(root, FSROOT_AUTO, &fr), 0);
	json_t *inv = json_loads(inventory, 0, &err);
	assert_non_null(inv);
	struct probe_ctx ctx = {
	    .root = fr, .offline = true, .inventory = inv, .messages = json_array()};
	*ret = probe_executables_run(&ctx);
	*messages = ctx.messages;
	fsroot_free(fr);
	return inv;
}

static json_t *by_path(json_t *inv, const char *path)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(inv, "executables"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "path")), path) == 0)
			return e;
	fail_msg("no executable %s", path);
	return NULL;
}

static const char *str(json_t *e, const char *k)
{
	json_t *v = json_object_get(e, k);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static void assert_json(json_t *v, const char *want)
{
	_cleanup_free_ char *got = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	assert_string_equal(got, want);
}

static void assert_null_field(json_t *e, const char *k)
{
	json_t *v = json_object_get(e, k);
	assert_non_null(v); /* declared columns are always present */
	assert_true(json_is_null(v));
}

static void check_bad(json_t *inv)
{
	json_t *arr = json_object_get(inv, "executables");
	assert_int_equal(json_array_size(arr), 8); /* off.service and "relative" left out */
	json_t *e = by_path(inv, "/usr/bin/good");
	assert_string_equal(str(e, "package"), "good");
	assert_string_equal(str(e, "md5_status"), "ok");
	assert_true(json_is_false(json_object_get(e, "modified")));
	assert_true(json_is_true(json_object_get(e, "running")));
	assert_true(json_is_true(json_object_get(e, "service")));
	assert_json(json_object_get(e, "used_by"), "[\"pid:10\",\"service:good.service\"]");
	assert_string_equal(str(e, "relro"), "full");
	assert_true(json_is_true(json_object_get(e, "pie")));
	assert_null_field(e, "fortified"); /* the root's libc is no ELF */

	e = by_path(inv, "/usr/sbin/moddaemon");
	assert_string_equal(str(e, "md5_status"), "modified");
	assert_true(json_is_true(json_object_get(e, "modified")));

	e = by_path(inv, "/opt/vendor/agent");
	assert_true(json_is_false(json_object_get(e, "owned")));
	assert_null_field(e, "package");
	assert_string_equal(str(e, "md5_status"), "no_checksum");
	assert_true(json_is_false(json_object_get(e, "pie")));
	assert_string_equal(str(e, "relro"), "none");
	assert_string_equal(str(e, "elf_type"), "exec");

	e = by_path(inv, "/opt/vendor/rpathd");
	assert_true(json_is_true(json_object_get(e, "rpath_insecure")));
	assert_json(json_object_get(e, "rpath"), "[\"/tmp/lib\"]");

	e = by_path(inv, "/tmp/x");
	assert_true(json_is_true(json_object_get(e, "in_temp")));
	assert_true(json_is_false(json_object_get(e, "elf")));
	assert_null_field(e, "pie");

	e = by_path(inv, "/usr/bin/old");
	assert_true(json_is_true(json_object_get(e, "deleted")));
	assert_string_equal(str(e, "md5_status"), "unreadable");
	assert_null_field(e, "elf");

	e = by_path(inv, "/memfd:payload");
	assert_true(json_is_true(json_object_get(e, "memfd")));
	assert_null_field(e, "elf");

	e = by_path(inv, "/usr/bin/fifo");
	assert_string_equal(str(e, "md5_status"), "unreadable");
	assert_null_field(e, "elf");
}

/* Each executables.* rule: fails (and is never unknown) on the bad root,
 * passes once on the good one, for both profiles. */
static void check_rules(json_t *bad, json_t *good)
{
	static const char *const ids[] = {"executables.modified", "executables.unowned_service",
					  "executables.temp", "executables.hardening",
					  "executables.insecure_rpath"};
	json_error_t err;
	json_auto_t *probes = json_loads(
	    "[{\"name\": \"executables\", \"status\": \"ok\", \"messages\": []}]", 0, &err);
	struct ruleset *rs = NULL;
	struct diag d;
	assert_int_equal(ruleset_load_mem("t.json", NULL, 0, "server", &rs, &d), 0);
	json_auto_t *fb = NULL, *fg = NULL;
	assert_int_equal(rules_eval(rs, bad, probes, "r6", &fb), 0);
	assert_int_equal(rules_eval(rs, good, probes, "r7", &fg), 0);
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		size_t nfail = 0, npass = 0, nother = 0, k;
		json_t *f;
		json_array_foreach(fb, k, f) {
			const char *st = json_string_value(json_object_get(f, "status"));
			if (strcmp(json_string_value(json_object_get(f, "rule")), ids[i]) == 0)
				nfail += strcmp(st, "fail") == 0;
		}
		json_array_foreach(fg, k, f) {
			const char *st = json_string_value(json_object_get(f, "status"));
			if (strcmp(json_string_value(json_object_get(f, "rule")), ids[i]) != 0)
				continue;
			npass += strcmp(st, "pass") == 0;
			nother += strcmp(st, "pass") != 0;
		}
		if (nfail == 0)
			fail_msg("%s does not fail on the bad root\n%s", ids[i],
				 json_dumps(fb, JSON_INDENT(1)));
		if (npass != 1 || nother)
			fail_msg("%s does not pass on the good root\n%s", ids[i],
				 json_dumps(fg, JSON_INDENT(1)));
	}
	ruleset_free(rs);
}

static void test_roots(void **state)
{
	if (!have_gcc)
		skip();
	char bad[400], good[400];
	snprintf(bad, sizeof(bad), "%s/bad", tmp);
	snprintf(good, sizeof(good), "%s/good", tmp);
	make_bad_root(bad);
	make_good_root(good);
	int r;
	json_auto_t *mb = NULL, *mg = NULL;
	json_auto_t *ib = run_probe(bad, bad_inventory, &r, &mb);
	assert_int_equal(r, 0);
	check_bad(ib);
	json_auto_t *ig = run_probe(good, good_inventory, &r, &mg);
	assert_int_equal(r, 0);
	json_t *e = by_path(ig, "/usr/sbin/gooddaemon");
	assert_string_equal(str(e, "md5_status"), "ok");
	assert_true(json_is_false(json_object_get(e, "rpath_insecure")));
	check_rules(ib, ig);
}

static void test_not_applicable(void **state)
{
	int r;
	json_auto_t *m = NULL;
	json_auto_t *inv = run_probe(tmp, "{}", &r, &m);
	assert_int_equal(r, PROBE_RET_NOT_APPLICABLE);
	assert_null(json_object_get(inv, "executables"));
	/* collections present but empty: ok, nothing analysed */
	json_auto_t *m2 = NULL;
	json_auto_t *inv2 = run_probe(tmp, "{\"processes\": [], \"services\": null}", &r, &m2);
	assert_int_equal(r, 0);
	assert_int_equal(json_array_size(json_object_get(inv2, "executables")), 0);
	/* hostile collection contents: wrong types everywhere */
	json_auto_t *m3 = NULL;
	json_auto_t *inv3 =
	    run_probe(tmp,
		      "{\"processes\": [1, \"x\", {\"pid\": \"1\", \"exe\": \"/a\"},"
		      " {\"pid\": 2, \"exe\": 5}, {\"pid\": 3, \"exe\": \"\"},"
		      " {\"pid\": 4, \"exe\": \" (deleted)\"}],"
		      " \"services\": [{\"unit\": 1, \"exec_start\": \"/b\", \"enabled\": true}]}",
		      &r, &m3);
	assert_int_equal(r, 0);
	assert_int_equal(json_array_size(json_object_get(inv3, "executables")), 0);
}

/* ---- rpm hosts ---- */

static const char rpm_inventory[] =
    "{\"processes\": [{\"pid\": 7, \"exe\": \"/usr/bin/tenken-fixture-tool\"}],"
    " \"services\": ["
    " {\"unit\": \"tool.service\", \"exec_start\": \"/bin/tenken-fixture-tool\", \"enabled\": "
    "true},"
    " {\"unit\": \"t2.service\", \"exec_start\": \"/usr/bin/tenken-fixture-tool2\","
    "  \"enabled\": true},"
    " {\"unit\": \"c.service\", \"exec_start\": \"/usr/bin/tenken-fixture-conf\", \"enabled\": "
    "true},"
    " {\"unit\": \"g.service\", \"exec_start\": \"/usr/bin/tenken-fixture-ghost\", \"enabled\": "
    "true},"
    " {\"unit\": \"n.service\", \"exec_start\": \"/usr/local/bin/none\", \"enabled\": true}]}";

/* The rpmdb rpm 4.18 wrote for tests/fixtures/executables-rpm: what
 * `rpm -V --root` and `rpm -qf --root` say about the same files (tool
 * intact, tool2 "5", conf "5 c" but %config, ghost not verified). */
static void test_rpm_root(void **state)
{
	int r;
	json_t *m;
	json_t *inv = run_probe("tests/fixtures/executables-rpm", rpm_inventory, &r, &m);
	assert_int_equal(r, 0);
	_cleanup_free_ char *msgs = json_dumps(m, 0);
	assert_null(strstr(msgs, "rpm")); /* only "libc was not found" */
	json_t *e = by_path(inv, "/usr/bin/tenken-fixture-tool");
	assert_string_equal(str(e, "package"), "tenken-fixture-tool");
	assert_json(json_object_get(e, "owned"), "true");
	assert_string_equal(str(e, "md5_status"), "ok");
	assert_json(json_object_get(e, "modified"), "false");
	assert_json(json_object_get(e, "used_by"), "[\"pid:7\",\"service:tool.service\"]");
	e = by_path(inv, "/usr/bin/tenken-fixture-tool2");
	assert_string_equal(str(e, "md5_status"), "modified");
	assert_json(json_object_get(e, "modified"), "true");
	static const char *const unchecked[] = {"/usr/bin/tenken-fixture-conf",
						"/usr/bin/tenken-fixture-ghost"};
	for (size_t i = 0; i < 2; i++) {
		e = by_path(inv, unchecked[i]);
		assert_string_equal(str(e, "package"), "tenken-fixture-tool");
		assert_string_equal(str(e, "md5_status"), "no_checksum");
		assert_null_field(e, "modified");
	}
	e = by_path(inv, "/usr/local/bin/none");
	assert_json(json_object_get(e, "owned"), "false");
	assert_null_field(e, "package");
	assert_string_equal(str(e, "md5_status"), "unreadable");
	json_decref(inv);
	json_decref(m);
}

/* A damaged rpm database: reported, ownership unknown (null), no crash. */
static void test_rpm_damaged(void **state)
{
	char root[300];
	int r;
	json_t *m;
	snprintf(root, sizeof(root), "%s/rpmbad", tmp);
	put_text(root, "var/lib/rpm/rpmdb.sqlite", "SQLite format 3\0garbage");
	put_text(root, "var/lib/rpm/Packages", "not a database");
	put_text(root, "usr/bin/x", "#!/bin/sh\n");
	json_t *inv = run_probe(root,
				"{\"services\": [{\"unit\": \"x.service\", \"exec_start\": "
				"\"/usr/bin/x\", \"enabled\": true}]}",
				&r, &m);
	assert_int_equal(r, 0);
	json_t *e = by_path(inv, "/usr/bin/x");
	assert_null_field(e, "owned");
	assert_null_field(e, "package");
	assert_string_equal(str(e, "md5_status"), "no_checksum");
	_cleanup_free_ char *msgs = json_dumps(m, 0);
	assert_non_null(strstr(msgs, "cannot be read as an rpm database"));
	json_decref(inv);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical),	   cmocka_unit_test(test_md5sums),
	    cmocka_unit_test(test_names),	   cmocka_unit_test(test_roots),
	    cmocka_unit_test(test_not_applicable), cmocka_unit_test(test_rpm_root),
	    cmocka_unit_test(test_rpm_damaged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
