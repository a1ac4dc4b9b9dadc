/* test_system.c - the system probe: its pure parsers as tables of cases
 * (both what must be read and what must be refused), then whole runs over
 * tests/fixtures/unit-system, over an empty root and over a hostile one
 * made at test time. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "probes/read/fsroot.h"
#include "probes/probe.h"
#include "probes/parse/system_parse.h"

#define FIX "tests/fixtures/unit-system"

static void count_bad(void *userdata, unsigned line, const char *ja, const char *en)
{
	(*(unsigned *)userdata)++;
	assert_non_null(ja);
	assert_non_null(en);
}

/* ---- os-release ---- */

static void test_os_release_unquote(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL: must be refused */
	} cases[] = {
	    {"debian", "debian"},
	    {"\"Debian GNU/Linux 12 (bookworm)\"", "Debian GNU/Linux 12 (bookworm)"},
	    {"'single $quoted \\n'", "single $quoted \\n"},
	    {"\"a \\\"b\\\" \\$c \\\\d \\`e\\`\"", "a \"b\" $c \\d `e`"},
	    {"\"keep \\n backslash\"", "keep \\n backslash"},
	    {"unquoted\\ space", "unquoted space"},
	    {"con\"cat\"'en'ated", "concatenated"},
	    {"trailing   ", "trailing"},
	    {"\"inner  \"  ", "inner  "},
	    {"two words", "two words"},
	    {"", ""},
	    {"\"\"", ""},
	    {"\"日本語 UTF-8\"", "日本語 UTF-8"},
	    {"\"unterminated", NULL},
	    {"'unterminated", NULL},
	    {"ends\\", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		size_t len = 0;
		int r = os_release_unquote(cases[i].in, strlen(cases[i].in), &out, &len);
		if (!cases[i].out) {
			assert_int_equal(r, -EINVAL);
			continue;
		}
		assert_int_equal(r, 0);
		assert_string_equal(out, cases[i].out);
		assert_int_equal(len, strlen(cases[i].out));
		free(out);
	}
}

static void test_os_release_parse(void **state)
{
	static const char text[] = "# comment line\r\n"
				   "   # indented comment\n"
				   "\n"
				   "NAME=\"Debian GNU/Linux\"\r\n"
				   "ID=debian\n"
				   "ID=later_wins\n"
				   "  VERSION_ID = \"12\"\n"
				   "not an assignment\n"
				   "9BAD=x\n"
				   "BAD-KEY=x\n"
				   "PRETTY_NAME=\"unterminated\n"
				   "EMPTY=\n"
				   "BYTES=\"caf\xe9\"\n"
				   "LAST='no final newline'";
	unsigned bad = 0;
	json_t *kv = NULL;
	assert_int_equal(os_release_parse(text, sizeof(text) - 1, count_bad, &bad, &kv), 0);
	assert_string_equal(json_string_value(json_object_get(kv, "NAME")), "Debian GNU/Linux");
	assert_string_equal(json_string_value(json_object_get(kv, "ID")), "later_wins");
	assert_string_equal(json_string_value(json_object_get(kv, "VERSION_ID")), "12");
	assert_string_equal(json_string_value(json_object_get(kv, "EMPTY")), "");
	assert_string_equal(json_string_value(json_object_get(kv, "LAST")), "no final newline");
	/* Not UTF-8: escaped, never dropped, never invalid JSON. */
	assert_string_equal(json_string_value(json_object_get(kv, "BYTES")), "caf\\xe9");
	assert_null(json_object_get(kv, "PRETTY_NAME"));
	assert_null(json_object_get(kv, "9BAD"));
	assert_int_equal(bad, 4);
	assert_int_equal(json_object_size(kv), 6);
	json_decref(kv);

	/* A NUL byte inside a value and an empty file. */
	static const char nul[] = "ID=a\0b\n";
	assert_int_equal(os_release_parse(nul, sizeof(nul) - 1, NULL, NULL, &kv), 0);
	assert_string_equal(json_string_value(json_object_get(kv, "ID")), "a\\x00b");
	json_decref(kv);
	assert_int_equal(os_release_parse("", 0, NULL, NULL, &kv), 0);
	assert_int_equal(json_object_size(kv), 0);
	json_decref(kv);
}

/* ---- machine-id, hostname, first lines ---- */

static void test_machine_id(void **state)
{
	static const struct {
		const char *in;
		int ret;
	} cases[] = {
	    {"0123456789abcdef0123456789abcdef\n", 0},
	    {"0123456789abcdef0123456789abcdef", 0},
	    {"0123456789abcdef0123456789abcdef\r\n", 0},
	    {"", -ENODATA},
	    {"\n", -ENODATA},
	    {"uninitialized\n", -ENODATA},
	    {"0123456789ABCDEF0123456789ABCDEF\n", -EINVAL},
	    {"0123456789abcdef0123456789abcde\n", -EINVAL},
	    {"0123456789abcdef0123456789abcdef0\n", -EINVAL},
	    {"0123456789abcdef0123456789abcdeg\n", -EINVAL},
	    {"01234567-89ab-cdef-0123-456789abcdef\n", -EINVAL},
	    {"\x1b]0;owned\x07\n", -EINVAL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[33] = "";
		int r = machine_id_parse(cases[i].in, strlen(cases[i].in), out);
		assert_int_equal(r, cases[i].ret);
		if (r == 0)
			assert_string_equal(out, "0123456789abcdef0123456789abcdef");
	}
}

static void test_hostname(void **state)
{
	static const struct {
		const char *in;
		bool valid;
	} cases[] = {
	    {"ward3-pc01", true},
	    {"srv.hospital.example.jp", true},
	    {"a", true},
	    {"", false},
	    {"-", true}, /* hostname(7) only restricts characters and lengths */
	    {"has space", false},
	    {"under_score", false},
	    {"dot..dot", false},
	    {".lead", false},
	    {"trail.", false},
	    {"\x1b[31mred", false},
	    {"病院", false},
	    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true},
	    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(hostname_is_valid(cases[i].in, strlen(cases[i].in)),
				 cases[i].valid);

	const char *s;
	size_t n;
	static const char file[] = "# comment\r\n\r\n  ward3-pc01  \r\nsecond\n";
	assert_int_equal(first_value_line(file, sizeof(file) - 1, true, &s, &n), 0);
	assert_int_equal(n, 10);
	assert_memory_equal(s, "ward3-pc01", 10);
	assert_int_equal(first_value_line(file, sizeof(file) - 1, false, &s, &n), 0);
	assert_memory_equal(s, "# comment", 9);
	assert_int_equal(first_value_line("# only\n\n", 8, true, &s, &n), -ENODATA);
	assert_int_equal(first_value_line("", 0, true, &s, &n), -ENODATA);
}

/* ---- /proc/net ---- */

static json_t *read_fixture_json(const char *rel,
				 int (*parse)(const char *, size_t, parse_bad_fn, void *,
					      json_t **),
				 unsigned *bad)
{
	char path[256];
	snprintf(path, sizeof(path), FIX "/%s", rel);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	json_t *ret = NULL;
	assert_int_equal(parse(buf, n, count_bad, bad, &ret), 0);
	return ret;
}

static void assert_strings(const json_t *arr, const char *const *want, size_t n)
{
	assert_non_null(arr);
	assert_int_equal(json_array_size(arr), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_array_get(arr, i)), want[i]);
}

static void test_fib_trie(void **state)
{
	unsigned bad = 0;
	json_t *a = read_fixture_json("proc/net/fib_trie", fib_trie_local_addrs, &bad);
	/* Main and Local repeat the addresses; 127/8, broadcast and the
	 * /8 and /24 route entries are not local addresses. Sorted numerically. */
	static const char *const want[] = {"10.1.2.3", "192.0.2.10", "198.51.100.7"};
	assert_strings(a, want, 3);
	assert_int_equal(bad, 0);
	json_decref(a);

	/* Hostile: a LOCAL line with no leaf above it, after a node line, a
	 * bad address, a /32 BROADCAST, a final line without newline. */
	static const char hostile[] = "Main:\n"
				      "  /32 host LOCAL\n"
				      "  +-- 10.0.0.0/8 2 0 2\n"
				      "     /32 host LOCAL\n"
				      "     |-- 999.1.1.1\n"
				      "        /32 host LOCAL\n"
				      "     |-- 10.9.9.9\n"
				      "        /32 link BROADCAST\n"
				      "     |-- 10.2.3.4\r\n"
				      "        /32 host LOCAL\r\n"
				      "     |-- 10.0.0.1\n"
				      "        /24 link UNICAST\n"
				      "        /32 host LOCAL";
	bad = 0;
	assert_int_equal(fib_trie_local_addrs(hostile, sizeof(hostile) - 1, count_bad, &bad, &a),
			 0);
	static const char *const want2[] = {"10.0.0.1", "10.2.3.4"};
	assert_strings(a, want2, 2);
	assert_int_equal(bad, 1);
	json_decref(a);

	assert_int_equal(fib_trie_local_addrs("\0\0\0", 3, NULL, NULL, &a), 0);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
}

static void test_route(void **state)
{
	char buf[4096];
	FILE *f = fopen(FIX "/proc/net/route", "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct route4 *rt = NULL;
	size_t nrt = 0;
	unsigned bad = 0;
	assert_int_equal(proc_route_parse(buf, n, count_bad, &bad, &rt, &nrt), 0);
	assert_int_equal(nrt, 3);
	assert_int_equal(bad, 0);
	assert_string_equal(rt[1].iface, "eth0");
	assert_int_equal(rt[1].dest, 0xc0000200);
	assert_int_equal(rt[1].mask, 0xffffff00);
	static const struct {
		const char *addr, *iface; /* iface NULL: no connected route */
	} cases[] = {
	    {"192.0.2.10", "eth0"}, {"10.1.2.3", "wlan0"},    {"10.1.255.255", "wlan0"},
	    {"198.51.100.7", NULL}, /* only the default route (via a gateway) */
	    {"10.2.0.1", NULL},	    {"not-an-address", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = route4_iface_for(rt, nrt, cases[i].addr);
		if (cases[i].iface)
			assert_string_equal(got, cases[i].iface);
		else
			assert_null(got);
	}
	free(rt);

	/* Longest prefix wins; garbage lines are reported and skipped. */
	static const char two[] = "Iface Destination Gateway Flags RefCnt Use Metric Mask\n"
				  "big 0000000A 00000000 0001 0 0 0 000000FF\n"
				  "small 0001000A 00000000 0001 0 0 0 00FFFFFF\n"
				  "down 0001000A 00000000 0000 0 0 0 FFFFFFFF\n"
				  "garbage\n"
				  "bad zzzzzzzz 00000000 0001 0 0 0 00FFFFFF\n";
	bad = 0;
	assert_int_equal(proc_route_parse(two, sizeof(two) - 1, count_bad, &bad, &rt, &nrt), 0);
	assert_int_equal(nrt, 3);
	assert_int_equal(bad, 2);
	assert_string_equal(route4_iface_for(rt, nrt, "10.0.1.5"), "small");
	assert_string_equal(route4_iface_for(rt, nrt, "10.0.2.5"), "big");
	free(rt);
}

static void test_if_inet6(void **state)
{
	unsigned bad = 0;
	json_t *o = read_fixture_json("proc/net/if_inet6", if_inet6_parse, &bad);
	static const char *const eth0[] = {"2001:db8::10", "fe80::5054:ff:feab:cdef"};
	static const char *const lo[] = {"::1"};
	static const char *const tun0[] = {"fd00::42"};
	assert_strings(json_object_get(o, "eth0"), eth0, 2);
	assert_strings(json_object_get(o, "lo"), lo, 1);
	assert_strings(json_object_get(o, "tun0"), tun0, 1);
	assert_int_equal(json_object_size(o), 3);
	assert_int_equal(bad, 0);
	json_decref(o);

	static const char hostile[] =
	    "zz000000000000000000000000000001 01 80 10 80 lo\n"
	    "0000000000000000000000000000001 01 80 10 80 short\n"
	    "00000000000000000000000000000001 01 80 10 80\n"
	    "00000000000000000000000000000001 01 80 10 80 ../etc\n"
	    "00000000000000000000000000000001 01 80 10 80 waytoolonginterfacename\n"
	    "00000000000000000000ffffc0000201 01 80 10 80 ok0\n"
	    "00000000000000000000ffffc0000201 01 80 10 80 ok0";
	bad = 0;
	assert_int_equal(if_inet6_parse(hostile, sizeof(hostile) - 1, count_bad, &bad, &o), 0);
	static const char *const ok0[] = {"::ffff:192.0.2.1"}; /* deduplicated */
	assert_strings(json_object_get(o, "ok0"), ok0, 1);
	assert_int_equal(json_object_size(o), 1);
	assert_int_equal(bad, 5);
	json_decref(o);
}

static void test_proc_net_dev(void **state)
{
	unsigned bad = 0;
	json_t *a = read_fixture_json("proc/net/dev", proc_net_dev_parse, &bad);
	static const char *const want[] = {"eth0", "lo", "wlan0"};
	assert_strings(a, want, 3);
	assert_int_equal(bad, 0);
	json_decref(a);
	static const char hostile[] = "h1\nh2\n  no colon here\n ../x: 1 2\n ok: 1\n";
	assert_int_equal(proc_net_dev_parse(hostile, sizeof(hostile) - 1, count_bad, &bad, &a), 0);
	static const char *const want2[] = {"ok"};
	assert_strings(a, want2, 1);
	assert_int_equal(bad, 2);
	json_decref(a);
}

static void test_mac(void **state)
{
	static const struct {
		const char *in, *out;
		int ret;
	} cases[] = {
	    {"52:54:00:AB:CD:EF\n", "52:54:00:ab:cd:ef", 0},
	    {"  a4:5e:60:01:02:03\r\n", "a4:5e:60:01:02:03", 0},
	    {"00:00:00:00:00:00", "00:00:00:00:00:00", 0},
	    {"00:00:00:00", "00:00:00:00", 0}, /* ipip tunnels have 4 */
	    {"\n", NULL, -ENODATA},
	    {"", NULL, -ENODATA},
	    {"52-54-00-ab-cd-ef", NULL, -EINVAL},
	    {"52:54:00:ab:cd:e", NULL, -EINVAL},
	    {"52:54:00:ab:cd:eg", NULL, -EINVAL},
	    {"\x1b[2J", NULL, -EINVAL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		int r = mac_parse(cases[i].in, strlen(cases[i].in), &out);
		assert_int_equal(r, cases[i].ret);
		if (r == 0)
			assert_string_equal(out, cases[i].out);
		free(out);
	}
}

/* ---- DMI, containers, architecture ---- */

static void test_dmi_and_container(void **state)
{
	assert_string_equal(chassis_type_name(3), "Desktop");
	assert_string_equal(chassis_type_name(23), "Rack Mount Chassis");
	assert_string_equal(chassis_type_name(36), "Stick PC");
	assert_null(chassis_type_name(0));
	assert_null(chassis_type_name(37));
	assert_null(chassis_type_name(-1));

	static const struct {
		const char *vendor, *product, *virt; /* virt NULL: physical */
	} cases[] = {
	    {"QEMU", "Standard PC (Q35 + ICH9, 2009)", "qemu"},
	    {"Red Hat", "KVM", "kvm"},
	    {"VMware, Inc.", "VMware Virtual Platform", "vmware"},
	    {"innotek GmbH", "VirtualBox", "oracle"},
	    {"Microsoft Corporation", "Virtual Machine", "microsoft"},
	    {"Microsoft Corporation", "Surface Laptop 5", NULL},
	    {"Amazon EC2", "m5.large", "amazon"},
	    {"Xen", "HVM domU", "xen"},
	    {"Dell Inc.", "PowerEdge R740", NULL},
	    {"FUJITSU", "ESPRIMO D7010", NULL},
	    {NULL, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *v = dmi_virtualization(cases[i].vendor, cases[i].product);
		if (cases[i].virt)
			assert_string_equal(v, cases[i].virt);
		else
			assert_null(v);
	}

	static const char env[] = "HOME=/\0container=podman\0TERM=linux";
	const char *s;
	size_t n;
	assert_int_equal(environ_container(env, sizeof(env) - 1, &s, &n), 0);
	assert_int_equal(n, 6);
	assert_memory_equal(s, "podman", 6);
	static const char noenv[] = "HOME=/\0container\0xcontainer=lxc";
	assert_int_equal(environ_container(noenv, sizeof(noenv) - 1, &s, &n), -ENODATA);
	assert_int_equal(environ_container("container=", 10, &s, &n), -ENODATA);
}

static void test_elf_arch(void **state)
{
	static const struct {
		unsigned char cls, data;
		uint16_t machine;
		const char *arch;
	} cases[] = {
	    {2, 1, 62, "x86_64"}, {1, 1, 3, "i686"},	  {2, 1, 183, "aarch64"},
	    {1, 1, 40, "arm"},	  {2, 1, 21, "ppc64le"},  {2, 2, 21, "ppc64"},
	    {2, 2, 22, "s390x"},  {2, 1, 243, "riscv64"}, {2, 1, 258, "loongarch64"},
	    {2, 1, 0x1234, NULL}, {3, 1, 62, NULL},	  {2, 3, 62, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char h[64] = {0x7f, 'E', 'L', 'F', cases[i].cls, cases[i].data, 1};
		bool le = cases[i].data == 1;
		h[18] = (unsigned char)(le ? cases[i].machine : cases[i].machine >> 8);
		h[19] = (unsigned char)(le ? cases[i].machine >> 8 : cases[i].machine);
		const char *a = elf_arch(h, sizeof(h));
		if (cases[i].arch)
			assert_string_equal(a, cases[i].arch);
		else
			assert_null(a);
	}
	unsigned char notelf[64] = "#!/bin/sh\n";
	assert_null(elf_arch(notelf, sizeof(notelf)));
	unsigned char cut[10] = {0x7f, 'E', 'L', 'F', 2, 1};
	assert_null(elf_arch(cut, sizeof(cut)));

	assert_string_equal(dpkg_arch_to_uname("amd64", 5), "x86_64");
	assert_string_equal(dpkg_arch_to_uname("arm64", 5), "aarch64");
	assert_null(dpkg_arch_to_uname("amd6", 4));
	assert_null(dpkg_arch_to_uname("amd64x", 6));
}

/* ---- whole probe runs ---- */

struct run {
	struct fsroot *root;
	struct probe_ctx ctx;
};

static void run_probe(struct run *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(fsroot_open(dir, FSROOT_WALK_ONLY, &r->root), 0);
	r->ctx.root = r->root;
	r->ctx.offline = true;
	r->ctx.now = 1767225600; /* 2026-01-01 */
	r->ctx.inventory = json_object();
	r->ctx.host = json_object();
	r->ctx.messages = json_array();
	assert_int_equal(probe_system_run(&r->ctx), 0);
}

static void run_free(struct run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

static const char *hs(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const json_t *entry_for(const json_t *addrs, const char *ifname)
{
	size_t i;
	json_t *a;
	json_array_foreach(addrs, i, a) {
		const json_t *n = json_object_get(a, "interface");
		if (ifname ? json_is_string(n) && strcmp(json_string_value(n), ifname) == 0
			   : json_is_null(n))
			return a;
	}
	return NULL;
}

/* The flat collection holds exactly the declared columns. */
static void assert_matches_schema(const json_t *sys)
{
	const struct column *cols = system_collections[0].columns;
	size_t n = 0;
	assert_string_equal(system_collections[0].name, "system");
	assert_true(system_collections[0].single);
	for (; cols[n].name; n++) {
		const json_t *v = json_object_get(sys, cols[n].name);
		assert_non_null(v);
		if (json_is_null(v))
			continue;
		switch (cols[n].type) {
		case COL_STRING:
			assert_true(json_is_string(v));
			break;
		case COL_INT:
			assert_true(json_is_integer(v));
			break;
		case COL_ARRAY:
			assert_true(json_is_array(v));
			break;
		default:
			fail_msg("unexpected column type for %s", cols[n].name);
		}
	}
	assert_int_equal(json_object_size(sys), n);
}

static void test_probe_fixture(void **state)
{
	struct run r;
	run_probe(&r, FIX);
	const json_t *h = r.ctx.host, *os = json_object_get(h, "os");
	assert_string_equal(hs(h, "hostname"), "ward3-pc01"); /* not the kernel's name */
	assert_string_equal(hs(h, "machine_id"), "0123456789abcdef0123456789abcdef");
	assert_string_equal(hs(os, "id"), "ubuntu");
	assert_string_equal(hs(os, "version_id"), "22.04");
	assert_string_equal(hs(os, "pretty_name"), "Ubuntu 22.04.4 LTS");
	assert_string_equal(hs(os, "version_codename"), "jammy");
	assert_string_equal(hs(os, "name"), "Ubuntu");
	static const char *const like[] = {"debian"};
	assert_strings(json_object_get(os, "id_like"), like, 1);
	assert_string_equal(hs(h, "kernel"), "5.15.0-105-generic");
	/* From the root's /bin/sh ELF header, before dpkg's arch list and
	 * never from the scanning host. */
	assert_string_equal(hs(h, "arch"), "aarch64");
	assert_string_equal(hs(h, "virtualization"), "qemu");

	const json_t *hw = json_object_get(h, "hardware");
	assert_string_equal(hs(hw, "sys_vendor"), "QEMU");
	assert_string_equal(hs(hw, "product_name"), "Standard PC (Q35 + ICH9, 2009)");
	assert_string_equal(hs(hw, "board_vendor"), "");
	assert_string_equal(hs(hw, "chassis_type"), "Other");
	assert_string_equal(hs(hw, "bios_date"), "04/01/2014");
	assert_null(json_object_get(hw, "product_serial"));
	assert_null(json_object_get(hw, "product_uuid"));

	const json_t *addrs = json_object_get(h, "addresses");
	assert_int_equal(json_array_size(addrs), 4); /* eth0, wlan0, tun0, one unplaced */
	assert_null(entry_for(addrs, "lo"));
	const json_t *eth0 = entry_for(addrs, "eth0"), *wlan0 = entry_for(addrs, "wlan0");
	const json_t *tun0 = entry_for(addrs, "tun0"), *unplaced = entry_for(addrs, NULL);
	assert_string_equal(hs(eth0, "mac"), "52:54:00:ab:cd:ef");
	static const char *const e4[] = {"192.0.2.10"};
	static const char *const e6[] = {"2001:db8::10", "fe80::5054:ff:feab:cdef"};
	assert_strings(json_object_get(eth0, "ipv4"), e4, 1);
	assert_strings(json_object_get(eth0, "ipv6"), e6, 2);
	static const char *const w4[] = {"10.1.2.3"};
	assert_string_equal(hs(wlan0, "mac"), "a4:5e:60:01:02:03");
	assert_strings(json_object_get(wlan0, "ipv4"), w4, 1);
	assert_int_equal(json_array_size(json_object_get(wlan0, "ipv6")), 0);
	assert_true(json_is_null(json_object_get(tun0, "mac")));
	static const char *const t6[] = {"fd00::42"};
	assert_strings(json_object_get(tun0, "ipv6"), t6, 1);
	static const char *const u4[] = {"198.51.100.7"};
	assert_non_null(unplaced);
	assert_strings(json_object_get(unplaced, "ipv4"), u4, 1);

	const json_t *sys = json_object_get(r.ctx.inventory, "system");
	assert_matches_schema(sys);
	assert_string_equal(hs(sys, "os_id"), "ubuntu");
	assert_string_equal(hs(sys, "hw_vendor"), "QEMU");
	assert_int_equal(json_integer_value(json_object_get(sys, "interfaces")), 2);
	static const char *const names[] = {"eth0", "wlan0"};
	assert_strings(json_object_get(sys, "interface_names"), names, 2);

	assert_false(r.ctx.partial);
	/* DMI serials and UUIDs are never read, so never leak. */
	char *all = json_dumps(h, 0), *msgs = json_dumps(r.ctx.messages, 0);
	assert_null(strstr(all, "SERIAL-MUST-NOT-LEAK"));
	assert_null(strstr(all, "SECRETUUID"));
	assert_null(strstr(msgs, "SERIAL-MUST-NOT-LEAK"));
	free(all);
	free(msgs);
	run_free(&r);
}

/* ---- empty and hostile roots ---- */

static void put_file(const char *dir, const char *name, const char *content, size_t len)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, len, f), len);
	fclose(f);
}

#define PUT(dir, name, lit) put_file(dir, name, lit, sizeof(lit) - 1)

static void mkdirs(const char *dir, const char *const *names, size_t n)
{
	char p[512];
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		assert_int_equal(mkdir(p, 0755), 0);
	}
}

static void rm_rf(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_probe_empty_root(void **state)
{
	char dir[] = "/tmp/tenken-system-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct run r;
	run_probe(&r, dir);
	const json_t *h = r.ctx.host;
	/* Unknown is null, never a guess and never the scanning host's. */
	assert_true(json_is_null(json_object_get(h, "hostname")));
	assert_true(json_is_null(json_object_get(h, "machine_id")));
	assert_true(json_is_null(json_object_get(h, "kernel")));
	assert_true(json_is_null(json_object_get(h, "arch")));
	assert_true(json_is_null(json_object_get(h, "virtualization")));
	assert_true(json_is_null(json_object_get(json_object_get(h, "os"), "id")));
	assert_true(json_is_null(json_object_get(json_object_get(h, "os"), "id_like")));
	assert_int_equal(json_array_size(json_object_get(h, "addresses")), 0);
	const json_t *sys = json_object_get(r.ctx.inventory, "system");
	assert_matches_schema(sys);
	assert_true(json_is_null(json_object_get(sys, "interfaces")));
	assert_true(r.ctx.partial);
	assert_true(json_array_size(r.ctx.messages) >= 5);
	run_free(&r);
	rm_rf(dir);
}

static void test_probe_hostile_root(void **state)
{
	char dir[] = "/tmp/tenken-system-XXXXXX";
	assert_non_null(mkdtemp(dir));
	static const char *const dirs[] = {
	    "etc",	   "proc", "proc/sys", "proc/sys/kernel", "proc/net",	  "run",
	    "run/systemd", "var",  "var/lib",  "var/lib/dpkg",	  "var/lib/dbus", "bin"};
	mkdirs(dir, dirs, sizeof(dirs) / sizeof(dirs[0]));
	PUT(dir, "etc/hostname", "\x1b]0;pwned\x07host\n");
	PUT(dir, "etc/machine-id", "not-an-id\n");
	PUT(dir, "etc/os-release", "ID=\"unterminated\nID=ok\nPRETTY_NAME=a\0b\n");
	PUT(dir, "proc/sys/kernel/osrelease", "\n\n");
	PUT(dir, "proc/sys/kernel/hostname", "kernelname\n");
	PUT(dir, "proc/net/fib_trie", "garbage\n|-- 1.2.3\n");
	PUT(dir, "run/systemd/container", "lxc\n");
	PUT(dir, "var/lib/dpkg/arch", "amd64\ni386\n"); /* which one is native? */
	PUT(dir, "bin/sh",
	    "\x7f"
	    "ELF"); /* a truncated header */
	char fifo[512];
	snprintf(fifo, sizeof(fifo), "%s/var/lib/dbus/machine-id", dir);
	assert_int_equal(mkfifo(fifo, 0644), 0); /* the fallback: must not hang */

	struct run r;
	run_probe(&r, dir);
	const json_t *h = r.ctx.host;
	/* Stored as read (the renderers neutralise it), with a message. */
	assert_string_equal(hs(h, "hostname"), "\x1b]0;pwned\x07host");
	assert_true(json_is_null(json_object_get(h, "machine_id")));
	assert_string_equal(hs(json_object_get(h, "os"), "id"), "ok");
	assert_string_equal(hs(json_object_get(h, "os"), "pretty_name"), "a\\x00b");
	assert_true(json_is_null(json_object_get(h, "kernel")));
	assert_true(json_is_null(json_object_get(h, "arch")));
	assert_string_equal(hs(h, "virtualization"), "lxc");
	char *msgs = json_dumps(r.ctx.messages, 0);
	assert_non_null(strstr(msgs, "/etc/machine-id"));
	assert_null(strstr(msgs, "not-an-id"));
	assert_non_null(strstr(msgs, "/etc/hostname"));
	assert_non_null(strstr(msgs, "/etc/os-release:1"));
	assert_non_null(strstr(msgs, "/proc/sys/kernel/osrelease"));
	free(msgs);
	assert_true(r.ctx.partial);
	run_free(&r);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_os_release_unquote),
	    cmocka_unit_test(test_os_release_parse),
	    cmocka_unit_test(test_machine_id),
	    cmocka_unit_test(test_hostname),
	    cmocka_unit_test(test_fib_trie),
	    cmocka_unit_test(test_route),
	    cmocka_unit_test(test_if_inet6),
	    cmocka_unit_test(test_proc_net_dev),
	    cmocka_unit_test(test_mac),
	    cmocka_unit_test(test_dmi_and_container),
	    cmocka_unit_test(test_elf_arch),
	    cmocka_unit_test(test_probe_fixture),
	    cmocka_unit_test(test_probe_empty_root),
	    cmocka_unit_test(test_probe_hostile_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
