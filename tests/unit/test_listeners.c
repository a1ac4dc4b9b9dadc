/* test_listeners.c - the listeners probe over the services-bad fixture
 * (IPv4, IPv6, UDP, loopback, an established connection that is not a
 * listener, a garbage line, owners through fd links, unit and process
 * from "processes"), over hostile roots made at test time, and live:
 * sockets this test opens must be found with this test's pid. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "probes/read/fsroot.h"
#include "probes/probe.h"

struct run {
	struct fsroot *root;
	struct probe_ctx ctx;
	int ret;
};

static void run_probe(struct run *r, const char *dir, bool offline)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(fsroot_open(dir, FSROOT_WALK_ONLY, &r->root), 0);
	r->ctx.root = r->root;
	r->ctx.offline = offline;
	r->ctx.inventory = json_object();
	r->ctx.host = json_object();
	r->ctx.messages = json_array();
	int pr = probe_processes_run(&r->ctx);
	assert_true(pr == 0 || pr == PROBE_RET_NOT_APPLICABLE);
	r->ret = probe_listeners_run(&r->ctx);
}

static void run_free(struct run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

static json_t *find(struct run *r, const char *proto, const char *family, json_int_t port)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(r->ctx.inventory, "listeners"), i, o) {
		if (strcmp(json_string_value(json_object_get(o, "proto")), proto) == 0 &&
		    strcmp(json_string_value(json_object_get(o, "family")), family) == 0 &&
		    json_integer_value(json_object_get(o, "port")) == port)
			return o;
	}
	return NULL;
}

static const char *hs(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_fixture(void **state)
{
	struct run r;
	run_probe(&r, "tests/fixtures/services-bad", true);
	assert_int_equal(r.ret, 0);
	assert_true(r.ctx.partial); /* the garbage line */
	json_t *ls = json_object_get(r.ctx.inventory, "listeners");
	assert_int_equal(json_array_size(ls), 8); /* not the established connection */
	json_t *t23 = find(&r, "tcp", "ipv4", 23);
	assert_string_equal(hs(t23, "address"), "0.0.0.0");
	assert_true(json_is_true(json_object_get(t23, "all_addresses")));
	assert_int_equal(json_integer_value(json_object_get(t23, "pid")), 1);
	assert_string_equal(hs(t23, "process"), "systemd");
	assert_string_equal(hs(t23, "proto_port"), "tcp/23");
	json_t *v6 = find(&r, "tcp", "ipv6", 22);
	assert_string_equal(hs(v6, "address"), "::");
	assert_string_equal(hs(v6, "unit"), "ssh.service");
	json_t *smtp = find(&r, "tcp", "ipv4", 25);
	assert_true(json_is_true(json_object_get(smtp, "loopback")));
	assert_true(json_is_null(json_object_get(smtp, "pid")));
	json_t *vnc = find(&r, "tcp", "ipv4", 5900);
	assert_string_equal(hs(vnc, "process"), "x11vnc");
	assert_int_equal(json_integer_value(json_object_get(vnc, "uid")), 1000);
	assert_non_null(find(&r, "udp", "ipv4", 68));
	assert_null(find(&r, "tcp", "ipv4", 54321));
	run_free(&r);
}

static void test_hostile(void **state)
{
	char dir[] = "/tmp/tenken-lst-XXXXXX", p[300], cmd[400];
	assert_non_null(mkdtemp(dir));
	struct run r;
	run_probe(&r, dir, true); /* no proc/net */
	assert_int_equal(r.ret, PROBE_RET_NOT_APPLICABLE);
	run_free(&r);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/proc/net %s/proc/7/fd", dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/proc/net/tcp", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/proc/net/udp", dir);
	FILE *f = fopen(p, "w");
	fputs("0: 00000000:0035 00000000:0000 07 0:0 0:0 0 0 0 555\n\0\xff\n", f);
	fclose(f);
	/* an fd link loop and an fd that names the socket */
	snprintf(p, sizeof(p), "%s/proc/7/fd/1", dir);
	assert_int_equal(symlink("1", p), 0);
	snprintf(p, sizeof(p), "%s/proc/7/fd/2", dir);
	assert_int_equal(symlink("socket:[555]", p), 0);
	run_probe(&r, dir, true);
	assert_int_equal(r.ret, 0);
	assert_true(r.ctx.partial); /* the FIFO */
	json_t *u = find(&r, "udp", "ipv4", 53);
	assert_non_null(u);
	assert_int_equal(json_integer_value(json_object_get(u, "pid")), 7);
	assert_true(json_is_null(json_object_get(u, "process"))); /* 7 has no stat */
	run_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_live(void **state)
{
	int t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT};
	socklen_t al = sizeof(a), al6 = sizeof(a6);
	assert_int_equal(bind(t, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(t, 1), 0);
	assert_int_equal(getsockname(t, (struct sockaddr *)&a, &al), 0);
	bool v6 = u >= 0 && bind(u, (struct sockaddr *)&a6, sizeof(a6)) == 0 &&
		  getsockname(u, (struct sockaddr *)&a6, &al6) == 0;
	struct run r;
	run_probe(&r, "/", false);
	assert_int_equal(r.ret, 0);
	json_t *o = find(&r, "tcp", "ipv4", ntohs(a.sin_port));
	assert_non_null(o);
	assert_string_equal(hs(o, "address"), "127.0.0.1");
	assert_int_equal(json_integer_value(json_object_get(o, "pid")), getpid());
	assert_string_equal(hs(o, "process"), "test_listeners");
	if (v6) {
		o = find(&r, "udp", "ipv6", ntohs(a6.sin6_port));
		assert_non_null(o);
		assert_true(json_is_true(json_object_get(o, "all_addresses")));
		assert_int_equal(json_integer_value(json_object_get(o, "pid")), getpid());
	}
	run_free(&r);
	close(t);
	if (u >= 0)
		close(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
