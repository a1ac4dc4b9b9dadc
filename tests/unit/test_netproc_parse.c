/* test_netproc_parse.c - /proc/net socket table lines and socket link
 * texts: addresses in the kernel's byte order (checked against what
 * inet_pton gives on this machine), IPv4-mapped IPv6, listening states,
 * header lines and garbage. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "probes/parse/netproc_parse.h"

/* The hex the kernel prints for an IPv4 address on this machine. */
static void hex4(const char *ip, char out[9])
{
	uint32_t v;
	assert_int_equal(inet_pton(AF_INET, ip, &v), 1);
	snprintf(out, 9, "%08X", v);
}

static void hex6(const char *ip, char out[33])
{
	uint32_t w[4];
	assert_int_equal(inet_pton(AF_INET6, ip, w), 1);
	snprintf(out, 33, "%08X%08X%08X%08X", w[0], w[1], w[2], w[3]);
}

static void test_ipv4_lines(void **state)
{
	static const struct {
		const char *local;
		unsigned port;
		const char *st;
		bool any, listen;
	} cases[] = {
	    {"0.0.0.0", 22, "0A", true, true},	      {"127.0.0.1", 25, "0A", false, true},
	    {"192.168.1.10", 443, "0A", false, true}, {"10.0.2.15", 54321, "01", false, false},
	    {"0.0.0.0", 65535, "06", true, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char h[9], line[256];
		struct netsock ns;
		hex4(cases[i].local, h);
		snprintf(line, sizeof(line),
			 "   %zu: %s:%04X 00000000:0000 %s 00000000:00000000 00:00000000 00000000  "
			 "1000        0 %zu 1 0000000000000000 100 0 0 10 0",
			 i, h, cases[i].port, cases[i].st, 1000 + i);
		assert_int_equal(netproc_parse_line(line, strlen(line), false, &ns), 0);
		assert_string_equal(ns.local, cases[i].local);
		assert_int_equal(ns.local_port, cases[i].port);
		assert_int_equal(ns.any_address, cases[i].any);
		assert_int_equal(ns.inode, 1000 + i);
		assert_int_equal(ns.uid, 1000);
		assert_int_equal(netproc_listening(&ns, false), cases[i].listen);
	}
}

static void test_ipv6_lines(void **state)
{
	static const struct {
		const char *local, *shown;
		bool any;
	} cases[] = {
	    {"::", "::", true},
	    {"::1", "::1", false},
	    {"fe80::1", "fe80::1", false},
	    {"::ffff:192.0.2.7", "192.0.2.7", false},
	    {"2001:db8::53", "2001:db8::53", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char h[33], z[33], line[300];
		struct netsock ns;
		hex6(cases[i].local, h);
		hex6("::", z);
		snprintf(
		    line, sizeof(line),
		    "  0: %s:0035 %s:0000 07 00000000:00000000 00:00000000 00000000   101 0 777 2 "
		    "0000000000000000 0",
		    h, z);
		assert_int_equal(netproc_parse_line(line, strlen(line), true, &ns), 0);
		assert_string_equal(ns.local, cases[i].shown);
		assert_int_equal(ns.local_port, 53);
		assert_int_equal(ns.any_address, cases[i].any);
		assert_true(netproc_listening(&ns, true)); /* UDP unconnected */
		assert_false(netproc_listening(&ns, false));
	}
}

static void test_refused(void **state)
{
	static const struct {
		const char *line;
		bool v6;
		int ret;
	} cases[] = {
	    {"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	     "timeout inode",
	     false, -ENOENT},
	    {"", false, -EINVAL},
	    {"garbage", false, -EINVAL},
	    /* an IPv6 address in the IPv4 table */
	    {"0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A "
	     "0:0 0:0 0 0 0 1",
	     false, -EINVAL},
	    {"0: 0000000G:0016 00000000:0000 0A 0:0 0:0 0 0 0 1", false, -EINVAL},
	    {"0: 00000000:016 00000000:0000 0A 0:0 0:0 0 0 0 1", false, -EINVAL},
	    {"0: 00000000:0016 00000000:0000 0A 0:0 0:0 0 -5 0 1", false, -EINVAL},
	    {"0: 00000000:0016 00000000:0000 0A 0:0 0:0 0 0 0 x", false, -EINVAL},
	    {"0: 00000000:0016 00000000:0000 ZZ 0:0 0:0 0 0 0 1", false, -EINVAL},
	    {"0 00000000:0016 00000000:0000 0A 0:0 0:0 0 0 0 1", false, -EINVAL},
	    {"0: 00000000:0016 00000000:0000 0A 0:0 0:0 0 0 0", false, -EINVAL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netsock ns;
		assert_int_equal(
		    netproc_parse_line(cases[i].line, strlen(cases[i].line), cases[i].v6, &ns),
		    cases[i].ret);
	}
	/* A line cut by a NUL byte is garbage, not a crash. */
	static const char nul[] = "0: 00000000:0016\0 00000000:0000 0A 0:0 0:0 0 0 0 1";
	struct netsock ns;
	assert_int_equal(netproc_parse_line(nul, sizeof(nul) - 1, false, &ns), -EINVAL);
}

static void test_socket_inode(void **state)
{
	static const struct {
		const char *in;
		int ret;
		unsigned long inode;
	} cases[] = {
	    {"socket:[12345]", 0, 12345}, {"socket:[0]", 0, 0},
	    {"pipe:[12345]", -EINVAL, 0}, {"socket:[]", -EINVAL, 0},
	    {"socket:[12a]", -EINVAL, 0}, {"socket:[1", -EINVAL, 0},
	    {"/dev/null", -EINVAL, 0},	  {"anon_inode:[eventfd]", -EINVAL, 0},
	    {"socket:[-1]", -EINVAL, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long v = 99;
		assert_int_equal(netproc_socket_inode(cases[i].in, &v), cases[i].ret);
		if (cases[i].ret == 0)
			assert_int_equal(v, cases[i].inode);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipv4_lines),
	    cmocka_unit_test(test_ipv6_lines),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_socket_inode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
