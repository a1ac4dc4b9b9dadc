/* test_nft_parse.c - the firewall parsers (probes/parse/nft_parse.c) over tables
 * of cases: nftables configuration text (policies, verdicts, sets,
 * defines, add-commands, jumps, flush, CRLF, continuations, garbage), the
 * JSON of `nft -j list ruleset`, iptables-save, firewalld zones,
 * KEY=value files and TCP wrappers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lib/limits.h"
#include "probes/parse/nft_parse.h"
#include "lib/util.h"

struct nft_case {
	const char *name, *text;
	size_t inputs;
	bool deny4, deny6;
	size_t accepts;
	const char *contains; /* in the compact, key-sorted dump of the accepts */
	bool issues;	      /* some issue expected */
};

static const struct nft_case nft_cases[] = {
    {"empty", "", 0, false, false, 0, NULL, false},
    {"debian default: no policy is accept",
     "flush ruleset\ntable inet filter {\n\tchain input {\n\t\ttype filter hook input priority "
     "filter;\n\t}\n}\n",
     1, false, false, 0, NULL, false},
    {"policy drop, ssh from the admin subnet",
     "table inet filter {\n chain input {\n  type filter hook input priority 0; policy drop;\n"
     "  ct state established,related accept\n  iif lo accept\n"
     "  ip saddr 192.168.10.0/24 tcp dport 22 accept\n }\n}\n",
     1, true, true, 2,
     "\"ports\": [\"22\"], \"proto\": \"tcp\", \"sources\": [\"192.168.10.0/24\"]", false},
    {"ip family only protects IPv4",
     "table ip f { chain i { type filter hook input priority 0; policy drop; } }", 1, true, false,
     0, NULL, false},
    {"family defaults to ip",
     "table f { chain i { type filter hook input priority 0; policy drop; } }", 1, true, false, 0,
     NULL, false},
    {"final reject makes an accept policy deny",
     "table inet f { chain i { type filter hook input priority 0; tcp dport 22 accept\n"
     " reject with icmpx type port-unreachable } }",
     1, true, true, 1, "\"any_source\": true", false},
    {"unconditional accept first opens a drop chain",
     "table inet f { chain i { type filter hook input priority 0; policy drop; accept; } }", 1,
     false, false, 1, "\"proto\": \"any\"", false},
    {"counter accept is still unconditional",
     "table inet f { chain i { type filter hook input priority 0; policy drop; counter accept } }",
     1, false, false, 1, NULL, false},
    {"flush ruleset forgets earlier tables",
     "table inet f { chain i { type filter hook input priority 0; policy drop; } }\nflush "
     "ruleset\n",
     0, false, false, 0, NULL, false},
    {"define with a set",
     "define ports = { 22, 443 }\ndefine adm = 10.1.0.0/16\ntable inet f { chain i { type filter "
     "hook input priority 0; policy drop\n ip saddr $adm tcp dport $ports accept } }",
     1, true, true, 1, "\"ports\": [\"22\", \"443\"]", false},
    {"add commands",
     "add table inet f\nadd chain inet f input { type filter hook input priority 0 ; policy drop "
     "; }\nadd rule inet f input udp dport 514 ip saddr 10.0.0.5 accept\n",
     1, true, true, 1, "\"proto\": \"udp\"", false},
    {"jump inherits the jumping rule's source",
     "table inet f {\n chain adm { tcp dport 22 accept }\n chain i { type filter hook input "
     "priority 0; policy drop; ip saddr 10.0.0.0/8 jump adm } }",
     1, true, true, 1, "\"sources\": [\"10.0.0.0/8\"]", false},
    {"jump loop ends",
     "table inet f { chain a { jump b; tcp dport 1 accept }\n chain b { jump a }\n chain i { type "
     "filter hook input priority 0; policy drop; jump a } }",
     1, true, true, LIMIT_FW_JUMP_DEPTH / 2, NULL, false},
    {"CRLF, continuation and a newline inside a set",
     "table inet f {\r\n chain i {\r\n  type filter hook input priority 0; policy drop;\r\n  tcp "
     "dport { 22,\\\r\n 80,\r\n 443 } accept\r\n }\r\n}\r\n",
     1, true, true, 1, "\"ports\": [\"22\", \"80\", \"443\"]", false},
    {"comments, also inside quotes",
     "# top\ntable inet f { # x\n chain i { type filter hook input priority 0; policy drop # y\n"
     " tcp dport 22 accept comment \"a # b\"\n } }",
     1, true, true, 1, "\"ports\": [\"22\"]", false},
    {"negated source",
     "table inet f { chain i { type filter hook input priority 0; policy drop; "
     "ip saddr != 10.0.0.0/8 tcp dport 22 accept } }",
     1, true, true, 1, "\"sources\": [\"!10.0.0.0/8\"]", false},
    {"interface",
     "table inet f { chain i { type filter hook input priority 0; policy drop; "
     "iifname \"eth1\" accept } }",
     1, true, true, 1, "\"interface\": \"eth1\"", false},
    {"an unknown match is not unconditional",
     "table inet f { chain i { type filter hook input priority 0; meta mark 0x1 drop } }", 1, false,
     false, 0, NULL, false},
    {"one denying inet chain of two",
     "table inet a { chain i { type filter hook input priority 0; } }\ntable inet b { chain i { "
     "type filter hook input priority 10; policy drop; } }",
     2, true, true, 0, NULL, false},
    {"undefined variable: reported, not an accept from anywhere",
     "table inet f { chain i { type filter hook input priority 0; policy drop; tcp dport $nope "
     "accept } }",
     1, true, true, 1, "\"other_conditions\": true", true},
    {"unclosed braces", "table inet f { chain i { type filter hook input priority 0; policy drop;",
     1, true, true, 0, NULL, true},
    {"stray braces and junk", "}\n}}} { ; , ,\nfoo bar baz\n", 0, false, false, 0, NULL, true},
    {"output and forward hooks are not input",
     "table inet f { chain o { type filter hook output priority 0; policy drop; }\n chain f { type "
     "filter hook forward priority 0; policy drop; } }",
     0, false, false, 0, NULL, false},
    {"sets and maps in a table are skipped",
     "table inet f { set adm { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2 } }\n chain i { "
     "type filter hook input priority 0; policy drop; ip saddr @adm tcp dport 22 accept } }",
     1, true, true, 1, "\"sources\": [\"@adm\"]", false},
    /* a named set of ports may hold any port: unknown, not a value no
     * check matches (and so not "open to nothing") */
    {"a named set of ports is unknown",
     "table inet f { chain i { type filter hook input priority 0; policy drop; tcp dport @p "
     "accept } }",
     1, true, true, 1, "\"ports\": null", false},
    {"garbage in a source is unknown",
     "table inet f { chain i { type filter hook input priority 0; policy drop; ip saddr "
     "10.0.0.1\\x01 accept } }",
     1, true, true, 1, "\"any_source\": null", false},
};

static void run_nft_case(const struct nft_case *c)
{
	struct fw_ruleset rs = {0};
	struct fw_inputs in;
	json_auto_t *acc = json_array();
	assert_int_equal(nft_parse(&rs, "/etc/nftables.conf", c->text, strlen(c->text), NULL, NULL),
			 0);
	assert_int_equal(fw_inputs_json(&rs, "nftables", acc, &in), 0);
	_cleanup_free_ char *dump = json_dumps(acc, JSON_SORT_KEYS);
	if (in.inputs != c->inputs || in.deny4 != c->deny4 || in.deny6 != c->deny6 ||
	    json_array_size(acc) != c->accepts || (c->contains && !strstr(dump, c->contains)) ||
	    (rs.nissues > 0) != c->issues)
		fail_msg("%s: inputs %zu deny %d/%d accepts %zu issues %zu: %s", c->name, in.inputs,
			 in.deny4, in.deny6, json_array_size(acc), rs.nissues, dump);
	fw_ruleset_free(&rs);
}

static void test_nft_cases(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(nft_cases); i++)
		run_nft_case(&nft_cases[i]);
}

/* Includes: the callback sees the pattern and parses a second buffer into
 * the same ruleset, where the including file's defines are visible. */
static int fake_include(struct fw_ruleset *rs, const char *from, const char *pat, void *ud)
{
	int *calls = ud;
	static const char inc[] = "table inet f { chain i { ip saddr $adm tcp dport 22 accept } }";
	(*calls)++;
	assert_string_equal(from, "/etc/nftables.conf");
	assert_string_equal(pat, "nftables.d/*.nft");
	return nft_parse(rs, "/etc/nftables.d/a.nft", inc, strlen(inc), NULL, NULL);
}

static void test_nft_include(void **state)
{
	static const char conf[] = "define adm = 10.9.0.0/16\ntable inet f { chain i { type filter "
				   "hook input priority 0; policy drop; } }\ninclude "
				   "\"nftables.d/*.nft\"\ninclude\n";
	struct fw_ruleset rs = {0};
	struct fw_inputs in;
	int calls = 0;
	json_auto_t *acc = json_array();
	assert_int_equal(
	    nft_parse(&rs, "/etc/nftables.conf", conf, strlen(conf), fake_include, &calls), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(rs.nissues, 1); /* the bare include */
	assert_int_equal(fw_inputs_json(&rs, "nftables", acc, &in), 0);
	assert_int_equal(json_array_size(acc), 1);
	json_t *a = json_array_get(acc, 0);
	assert_string_equal(json_string_value(json_object_get(a, "file")), "/etc/nftables.d/a.nft");
	assert_string_equal(json_string_value(json_array_get(json_object_get(a, "sources"), 0)),
			    "10.9.0.0/16");
	fw_ruleset_free(&rs);
}

/* Binary garbage, NUL bytes and a 1 MiB line never crash. */
static void test_nft_garbage(void **state)
{
	size_t n = 1u << 20;
	char *g = malloc(n);
	assert_non_null(g);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		g[i] = (char)(x >> 16);
	}
	struct fw_ruleset rs = {0};
	assert_int_equal(nft_parse(&rs, "/g", g, n, NULL, NULL), 0);
	fw_ruleset_free(&rs);
	memset(g, 'a', n); /* one 1 MiB word */
	assert_int_equal(nft_parse(&rs, "/g", g, n, NULL, NULL), 0);
	assert_true(rs.nissues >= 1);
	fw_ruleset_free(&rs);
	free(g);
}

/* Chains that each jump ten times to the next: 10^15 paths; the walk
 * budget stops it. */
static void test_nft_jump_fanout(void **state)
{
	struct strbuf sb;
	strbuf_init(&sb, 1u << 20);
	strbuf_puts(&sb, "table inet f {\n");
	for (int c = 0; c < 16; c++) {
		strbuf_printf(&sb, " chain c%d {\n  tcp dport %d accept\n", c, c);
		for (int j = 0; j < 10 && c < 15; j++)
			strbuf_printf(&sb, "  jump c%d\n", c + 1);
		strbuf_puts(&sb, " }\n");
	}
	strbuf_puts(&sb,
		    " chain i { type filter hook input priority 0; policy drop; jump c0 }\n}\n");
	_cleanup_free_ char *s = strbuf_steal(&sb);
	struct fw_ruleset rs = {0};
	struct fw_inputs in;
	json_auto_t *acc = json_array();
	int64_t t0 = mono_ms();
	assert_int_equal(nft_parse(&rs, "/fan", s, strlen(s), NULL, NULL), 0);
	assert_int_equal(fw_inputs_json(&rs, "nftables", acc, &in), 0);
	assert_true(json_array_size(acc) <= LIMIT_FW_RULES);
	assert_true(mono_ms() - t0 < 60000); /* a hang guard, not a timing test */
	fw_ruleset_free(&rs);
}

/* 10,000 rules parse and analyse quickly. */
static void test_nft_large(void **state)
{
	struct strbuf sb;
	strbuf_init(&sb, 16u << 20);
	strbuf_puts(
	    &sb, "table inet f {\n chain i {\n type filter hook input priority 0; policy drop;\n");
	for (int i = 0; i < 10000; i++)
		strbuf_printf(&sb, "  ip saddr 10.%d.%d.0/24 tcp dport %d accept\n", i / 256,
			      i % 256, 1024 + i);
	strbuf_puts(&sb, " }\n}\n");
	_cleanup_free_ char *s = strbuf_steal(&sb);
	struct fw_ruleset rs = {0};
	struct fw_inputs in;
	json_auto_t *acc = json_array();
	int64_t t0 = mono_ms();
	assert_int_equal(nft_parse(&rs, "/big", s, strlen(s), NULL, NULL), 0);
	assert_int_equal(fw_inputs_json(&rs, "nftables", acc, &in), 0);
	assert_int_equal(json_array_size(acc), 10000);
	assert_true(in.deny4 && in.deny6);
	assert_true(mono_ms() - t0 < 60000); /* a hang guard, not a timing test */
	fw_ruleset_free(&rs);
}

static void test_nft_json(void **state)
{
	static const char js[] =
	    "{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}},"
	    "{\"table\": {\"family\": \"inet\", \"name\": \"filter\", \"handle\": 1}},"
	    "{\"chain\": {\"family\": \"inet\", \"table\": \"filter\", \"name\": \"input\", "
	    "\"handle\": 1, \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": "
	    "\"drop\"}},"
	    "{\"chain\": {\"family\": \"inet\", \"table\": \"filter\", \"name\": \"ward\", "
	    "\"handle\": 2}},"
	    "{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	    "\"handle\": "
	    "3, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"ct\": {\"key\": \"state\"}}, "
	    "\"right\": {\"set\": [\"established\", \"related\"]}}}, {\"accept\": null}]}},"
	    "{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	    "\"handle\": "
	    "4, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": "
	    "\"ip\", "
	    "\"field\": \"saddr\"}}, \"right\": {\"prefix\": {\"addr\": \"192.168.10.0\", \"len\": "
	    "24}}}}, {\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", "
	    "\"field\": \"dport\"}}, \"right\": 22}}, {\"counter\": {\"packets\": 0, \"bytes\": "
	    "0}}, "
	    "{\"accept\": null}]}},"
	    "{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	    "\"handle\": "
	    "5, \"expr\": [{\"jump\": {\"target\": \"ward\"}}]}},"
	    "{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"ward\", "
	    "\"handle\": "
	    "6, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": "
	    "\"tcp\", "
	    "\"field\": \"dport\"}}, \"right\": {\"set\": [443, {\"range\": [8000, 8080]}]}}}, "
	    "{\"accept\": null}]}}]}";
	struct fw_ruleset rs = {0};
	struct fw_inputs in;
	json_auto_t *acc = json_array();
	assert_int_equal(nft_json_parse(&rs, "nft -j list ruleset", js, strlen(js)), 0);
	assert_int_equal(fw_inputs_json(&rs, "running", acc, &in), 0);
	assert_true(in.deny4 && in.deny6);
	assert_string_equal(in.policy, "drop");
	_cleanup_free_ char *dump = json_dumps(acc, JSON_SORT_KEYS);
	assert_int_equal(json_array_size(acc), 2);
	assert_non_null(strstr(dump, "\"sources\": [\"192.168.10.0/24\"]"));
	assert_non_null(strstr(dump, "\"ports\": [\"443\", \"8000-8080\"]"));
	fw_ruleset_free(&rs);
	assert_int_equal(nft_json_parse(&rs, "x", "not json", 8), -EINVAL);
	assert_int_equal(nft_json_parse(&rs, "x", "{\"nftables\": 3}", 15), -EINVAL);
	fw_ruleset_free(&rs);
}

static void test_ipt(void **state)
{
	static const char v4[] = "*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\nCOMMIT\n"
				 "*filter\r\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:ADM - [0:0]\n"
				 "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n"
				 "-A INPUT ! -s 10.0.0.0/8 -p tcp --dport 23 -j ACCEPT\n"
				 "-A INPUT -s 10.1.0.0/16 -j ADM\n"
				 "-A ADM -p tcp -m multiport --dports 22,5900:5910 -m comment "
				 "--comment \"vnc and ssh\" -j ACCEPT\n"
				 "garbage here\nCOMMIT\n";
	struct fw_ruleset rs = {0};
	struct fw_inputs in;
	json_auto_t *acc = json_array();
	assert_int_equal(ipt_parse(&rs, "/etc/iptables/rules.v4", "ip", v4, strlen(v4)), 0);
	assert_int_equal(rs.nissues, 1);
	assert_int_equal(fw_inputs_json(&rs, "iptables", acc, &in), 0);
	assert_int_equal(in.inputs, 1);
	assert_true(in.deny4);
	assert_false(in.deny6);
	_cleanup_free_ char *dump = json_dumps(acc, JSON_SORT_KEYS);
	assert_int_equal(json_array_size(acc), 2);
	assert_non_null(strstr(dump, "\"sources\": [\"!10.0.0.0/8\"]"));
	assert_non_null(strstr(dump, "\"ports\": [\"22\", \"5900-5910\"]"));
	assert_non_null(strstr(dump, "\"sources\": [\"10.1.0.0/16\"]"));
	fw_ruleset_free(&rs);
	/* a policy ACCEPT with a final unconditional DROP */
	static const char v6[] = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\nCOMMIT\n";
	json_auto_t *acc6 = json_array();
	assert_int_equal(ipt_parse(&rs, "/etc/iptables/rules.v6", "ip6", v6, strlen(v6)), 0);
	assert_int_equal(fw_inputs_json(&rs, "iptables", acc6, &in), 0);
	assert_true(in.deny6);
	fw_ruleset_free(&rs);
}

static void test_kv(void **state)
{
	static const char s[] =
	    "# c\nENABLED=no\r\n  ENABLED = x\nENABLED=\"yes\"\nOTHER='a b'\nEN=1";
	_cleanup_free_ char *a = kv_get(s, strlen(s), "ENABLED");
	_cleanup_free_ char *b = kv_get(s, strlen(s), "OTHER");
	_cleanup_free_ char *c = kv_get(s, strlen(s), "MISSING");
	assert_string_equal(a, "yes");
	assert_string_equal(b, "a b");
	assert_null(c);
}

static void test_zone(void **state)
{
	static const char z[] =
	    "<?xml version=\"1.0\"?>\n<zone target=\"DROP\">\n<service name=\"ssh\"/>\n<port "
	    "protocol=\"tcp\" port=\"8443\"/>\n<source address=\"10.0.0.0/8\"/>\n<rule "
	    "family=\"ipv4\"><service name=\"telnet\"/><accept/></rule>\n<interface "
	    "name='eth0'/></zone>";
	struct fwd_zone zone;
	assert_int_equal(fwd_zone_parse(z, strlen(z), &zone), 0);
	assert_string_equal(zone.target, "DROP");
	assert_int_equal(zone.services.n, 1); /* telnet is inside a rich rule */
	assert_string_equal(zone.services.v[0], "ssh");
	assert_string_equal(zone.ports.v[0], "8443/tcp");
	assert_string_equal(zone.sources.v[0], "10.0.0.0/8");
	assert_string_equal(zone.interfaces.v[0], "eth0");
	fwd_zone_free(&zone);
	assert_int_equal(fwd_zone_parse("<zone/>", 7, &zone), 0);
	assert_null(zone.target);
	fwd_zone_free(&zone);
	/* not well-formed: firewalld refuses it */
	assert_int_equal(fwd_zone_parse("<zone>", 6, &zone), -EINVAL);
	fwd_zone_free(&zone);
	/* blanks around '=', character references, CDATA-free text between */
	static const char ws[] = "<zone>\n  <service name = \"telnet\" />\n"
				 "  <service\n\tname='tel&#110;et2'/><port port=\"2&#51;\"\n"
				 "protocol = 'tcp'/></zone>\n";
	assert_int_equal(fwd_zone_parse(ws, sizeof(ws) - 1, &zone), 0);
	assert_int_equal(zone.services.n, 2);
	assert_string_equal(zone.services.v[0], "telnet");
	assert_string_equal(zone.services.v[1], "telnet2");
	assert_string_equal(zone.ports.v[0], "23/tcp");
	fwd_zone_free(&zone);
	assert_int_equal(fwd_zone_parse("garbage <zon", 12, &zone), -EINVAL);
	/* A zone whose elements were read before the XML turned out not
	 * well-formed: refused, and what was gathered is freed by the parser
	 * (the caller frees only a zone it got; found by fuzz_firewall, make
	 * check's LeakSanitizer is the oracle). */
	static const char cut[] = "<zone><service name=\"ssh\"/><source address=\"10.0.0.0/8\"/>"
				  "<port port=\"22\" protocol=\"tcp\"/>";
	assert_int_equal(fwd_zone_parse(cut, sizeof(cut) - 1, &zone), -EINVAL);
	assert_int_equal(zone.services.n, 0);
	/* Elements without a <zone>: refused, and nothing leaks (found by
	 * fuzz_firewall; make check's LeakSanitizer is the oracle). */
	static const char nozone[] = "<service name=\"ssh\"/><source address=\"10.0.0.0/8\"/>";
	assert_int_equal(fwd_zone_parse(nozone, strlen(nozone), &zone), -EINVAL);
	fwd_zone_free(&zone);
}

struct tcpw_case {
	const char *text;
	bool deny_file, allow_all, deny_all;
	unsigned entries;
};

static const struct tcpw_case tcpw_cases[] = {
    {"ALL: ALL\n", false, true, false, 1},
    {"ALL : ALL : DENY\n", false, false, true, 1},
    {"ALL: ALL: spawn /bin/echo %h : ALLOW\n", false, true, false, 1},
    {"ALL: ALL\n", true, false, true, 1},
    {"sshd: ALL\n", false, false, false, 1},
    {"ALL EXCEPT in.fingerd: ALL\n", false, false, false, 1},
    {"ALL: ALL EXCEPT 10.0.0.1\n", false, false, false, 1},
    {"# ALL: ALL\n\n   \nsshd, vsftpd: 192.168.1.\n", false, false, false, 1},
    {"ALL: \\\n  ALL\r\n", false, true, false, 1},
    {"no colon at all\n\x01\x02\x03", false, false, false, 0},
};

static void test_tcpw(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(tcpw_cases); i++) {
		const struct tcpw_case *c = &tcpw_cases[i];
		struct tcpw_summary s;
		tcpw_parse(c->text, strlen(c->text), c->deny_file, &s);
		if (s.all_all_allow != c->allow_all || s.all_all_deny != c->deny_all ||
		    s.entries != c->entries)
			fail_msg("case %zu: allow %d deny %d entries %u", i, s.all_all_allow,
				 s.all_all_deny, s.entries);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nft_cases),
	    cmocka_unit_test(test_nft_include),
	    cmocka_unit_test(test_nft_garbage),
	    cmocka_unit_test(test_nft_large),
	    cmocka_unit_test(test_nft_jump_fanout),
	    cmocka_unit_test(test_nft_json),
	    cmocka_unit_test(test_ipt),
	    cmocka_unit_test(test_kv),
	    cmocka_unit_test(test_zone),
	    cmocka_unit_test(test_tcpw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
