/* test_firewall.c - the firewall probe over the fixture roots
 * tests/fixtures/firewall-* and over scratch roots built at test time for
 * what git cannot hold or what would bloat it: FIFOs planted as configs,
 * a 10,000-line nftables.conf, an include that loops through itself, a
 * root with nothing at all, and a masked service. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/probe.h"
#include "tests/unit/harness.h"
#include "lib/util.h"

/* A scratch root and the probe's run over it. */
struct troot {
	struct scratch s;
	struct probe_run run;
};

static void troot_init(struct troot *t, const char *fixture)
{
	memset(t, 0, sizeof(*t));
	scratch_init(&t->s, fixture);
}

static void troot_run(struct troot *t)
{
	probe_run(&t->run, t->s.dir, FSROOT_AUTO, 1795305600, NULL, probe_firewall_run);
}

static void troot_done(struct troot *t)
{
	probe_run_free(&t->run);
	scratch_done(&t->s);
}

static void write_file(struct troot *t, const char *path, const char *data)
{
	scratch_write(&t->s, path, data);
}

static const json_t *fw(struct troot *t, const char *key)
{
	return json_object_get(json_object_get(t->run.ctx.inventory, "firewall"), key);
}

static bool has_message(struct troot *t, const char *needle)
{
	size_t i;
	json_t *m;
	json_array_foreach(t->run.ctx.messages, i, m)
		if (strstr(json_string_value(json_object_get(m, "en")), needle))
			return true;
	return false;
}

/* Every column of every collection is present, and nothing undeclared. */
static void check_schema(struct troot *t)
{
	for (const struct collection *c = firewall_collections; c->name; c++) {
		json_t *v = json_object_get(t->run.ctx.inventory, c->name);
		assert_non_null(v);
		json_t *one = c->single ? v : json_array_get(v, 0);
		if (!one)
			continue;
		size_t ncols = 0;
		for (const struct column *col = c->columns; col->name; col++, ncols++)
			if (!json_object_get(one, col->name))
				fail_msg("%s.%s missing", c->name, col->name);
		assert_int_equal(json_object_size(one), ncols);
	}
}

static void test_nft_empty(void **state)
{
	struct troot t;
	troot_init(&t, "firewall-nft-empty");
	troot_run(&t);
	assert_int_equal(t.run.ret, 0);
	check_schema(&t);
	assert_string_equal(json_string_value(fw(&t, "active_backend")), "nftables");
	assert_true(json_is_false(fw(&t, "inbound_default_deny")));
	assert_string_equal(json_string_value(fw(&t, "input_policy")), "accept");
	assert_true(json_is_null(fw(&t, "running_ruleset_read")));
	assert_false(t.run.ctx.partial);
	troot_done(&t);
}

static void test_nft_ssh(void **state)
{
	struct troot t;
	troot_init(&t, "firewall-nft-ssh");
	troot_run(&t);
	check_schema(&t);
	assert_true(json_is_true(fw(&t, "inbound_default_deny")));
	assert_int_equal(json_integer_value(fw(&t, "accepts")), 5);
	const json_t *rules = json_object_get(t.run.ctx.inventory, "firewall_rules");
	_cleanup_free_ char *dump = json_dumps(rules, JSON_SORT_KEYS);
	assert_non_null(strstr(dump, "\"sources\": [\"192.168.10.0/24\"]"));
	assert_non_null(strstr(dump, "\"file\": \"/etc/nftables.d/ward.nft\""));
	const json_t *tw = json_object_get(t.run.ctx.inventory, "tcp_wrappers");
	assert_true(json_is_false(json_object_get(tw, "allow_all")));
	assert_true(json_is_true(json_object_get(tw, "deny_all")));
	troot_done(&t);
}

/* Each backend fixture picks its backend and verdict. */
static void test_backends(void **state)
{
	static const struct {
		const char *fixture, *backend;
		bool deny;
		int accepts;
	} cases[] = {
	    {"firewall-ufw-enabled", "ufw", true, 2},
	    {"firewall-ufw-disabled", "none", false, 0},
	    {"firewall-iptables", "iptables", true, 5},
	    /* https, ssh and cockpit each also as the port their service opens */
	    {"firewall-firewalld", "firewalld", true, 7},
	    {"firewall-firewalld-trusted", "firewalld", false, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct troot t;
		troot_init(&t, cases[i].fixture);
		troot_run(&t);
		check_schema(&t);
		if (strcmp(json_string_value(fw(&t, "active_backend")), cases[i].backend) != 0 ||
		    json_is_true(fw(&t, "inbound_default_deny")) != cases[i].deny ||
		    json_integer_value(fw(&t, "accepts")) != cases[i].accepts)
			fail_msg("%s: %s", cases[i].fixture,
				 json_dumps(json_object_get(t.run.ctx.inventory, "firewall"), 0));
		troot_done(&t);
	}
}

/* Nothing at all: no firewall (an explicit false), TCP wrappers absent. */
static void test_empty_root(void **state)
{
	struct troot t;
	troot_init(&t, NULL);
	troot_run(&t);
	assert_int_equal(t.run.ret, 0);
	check_schema(&t);
	assert_string_equal(json_string_value(fw(&t, "active_backend")), "none");
	assert_true(json_is_false(fw(&t, "inbound_default_deny")));
	const json_t *tw = json_object_get(t.run.ctx.inventory, "tcp_wrappers");
	assert_true(json_is_false(json_object_get(tw, "allow_all")));
	assert_int_equal(json_integer_value(json_object_get(tw, "entries")), 0);
	troot_done(&t);
}

/* A masked nftables.service (linked to /dev/null) is not enabled. */
static void test_masked(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, "firewall-nft-ssh");
	snprintf(p, sizeof(p), "%s/etc/systemd/system/nftables.service", t.s.dir);
	assert_int_equal(symlink("/dev/null", p), 0);
	troot_run(&t);
	assert_string_equal(json_string_value(fw(&t, "active_backend")), "none");
	assert_true(json_is_false(fw(&t, "inbound_default_deny")));
	troot_done(&t);
}

/* 10,000 lines, a self-include, FIFOs as nftables.conf's include and as
 * hosts.allow: partial, bounded time, nothing hangs. */
static void test_hostile(void **state)
{
	struct troot t;
	char p[256];
	struct strbuf sb;
	troot_init(&t, "firewall-nft-empty");
	strbuf_init(&sb, 8u << 20);
	strbuf_puts(&sb,
		    "include \"/etc/nftables.conf\"\ninclude \"fifo.nft\"\ntable inet filter {\n"
		    " chain input {\n  type filter hook input priority 0; policy drop;\n");
	for (int i = 0; i < 10000; i++)
		strbuf_printf(&sb, "  ip saddr 10.0.%d.%d tcp dport %d accept\n", i / 250, i % 250,
			      i % 60000 + 1);
	strbuf_puts(&sb, " }\n}\n");
	_cleanup_free_ char *conf = strbuf_steal(&sb);
	write_file(&t, "/etc/nftables.conf", conf);
	snprintf(p, sizeof(p), "%s/etc/fifo.nft", t.s.dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/etc/hosts.allow", t.s.dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	int64_t t0 = mono_ms();
	troot_run(&t);
	assert_true(mono_ms() - t0 < 60000); /* a hang guard, not a timing test */
	assert_int_equal(t.run.ret, 0);
	assert_true(t.run.ctx.partial);
	assert_true(has_message(&t, "include loop"));
	assert_true(has_message(&t, "not a regular file"));
	assert_true(json_is_true(fw(&t, "inbound_default_deny")));
	assert_int_equal(json_integer_value(fw(&t, "accepts")), 10000);
	const json_t *tw = json_object_get(t.run.ctx.inventory, "tcp_wrappers");
	assert_true(json_is_null(json_object_get(tw, "allow_all")));
	troot_done(&t);
}

/* An unreadable nftables.conf (a directory) makes the verdict unknown. */
static void test_unreadable(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, "firewall-nft-empty");
	snprintf(p, sizeof(p), "%s/etc/nftables.conf", t.s.dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	troot_run(&t);
	assert_true(json_is_null(fw(&t, "inbound_default_deny")));
	assert_true(t.run.ctx.partial);
	troot_done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nft_empty),  cmocka_unit_test(test_nft_ssh),
	    cmocka_unit_test(test_backends),   cmocka_unit_test(test_empty_root),
	    cmocka_unit_test(test_masked),     cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
