/* test_sshd_match.c - Match blocks evaluated for a connection as sshd's
 * match_cfg_line does: pattern lists with negation (match.c), address
 * lists with CIDR networks and wildcards (addrmatch.c), every attribute,
 * nested blocks from an Include inside a Match, groups, unknown answers,
 * and the per-class effective values (the applying blocks override the
 * global value; first value wins among them; lists replace). The cases
 * were checked with sshd -T -C of OpenSSH 9.2p1 where sshd can answer
 * them (tests/e2e/sshd-match.sh repeats that on every run). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "probes/parse/sshd_parse.h"
#include "lib/util.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- the pattern matchers ---- */

struct pat_case {
	const char *s, *list;
	bool dolower;
	int want;
};

static void test_pattern_list(void **state)
{
	static const struct pat_case cases[] = {
	    {"root", "root", false, 1},
	    {"root", "ro*", false, 1},
	    {"root", "r?ot", false, 1},
	    {"root", "r?t", false, 0},
	    {"root", "*", false, 1},
	    {"root", "!root,*", false, -1},
	    {"admin", "!root,*", false, 1},
	    {"root", "ROOT", false, 0},
	    {"root", "ROOT", true, 1},
	    {"", "", false, 0},
	    {"", "a,", false, 0},
	    {"a", "x,,a", false, 1},
	    {"root", "x,!", false, 0},
	    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*a*a*a*a*c", false, 0},
	    {"abcabd", "*ab?", false, 1},
	    {"abc", "**c", false, 1},
	    {"vendor", "vend*,!vendor", false, -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pat_case *c = &cases[i];
		int got = sshd_match_pattern_list(c->s, c->list, c->dolower);
		if (got != c->want)
			fail_msg("%s against %s: got %d, want %d", c->s, c->list, got, c->want);
	}
	/* A pattern of 1023 characters or more fails the whole list. */
	char longp[1100];
	memset(longp, '*', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(sshd_match_pattern_list("x", longp, false), 0);
	longp[1022] = '\0';
	assert_int_equal(sshd_match_pattern_list("x", longp, false), 1);
}

struct addr_case {
	const char *addr, *list;
	int want;
};

static void test_addr_list(void **state)
{
	static const struct addr_case cases[] = {
	    {"10.1.2.3", "10.0.0.0/8", 1},
	    {"10.1.2.3", "10.0.0.0/8,!10.1.0.0/16", -1},
	    {"10.2.0.1", "10.0.0.0/8,!10.1.0.0/16", 1},
	    {"11.0.0.1", "10.0.0.0/8", 0},
	    {"10.1.2.3", "10.1.2.*", 1},
	    {"10.1.2.3", "10.1.2.?", 1},
	    {"10.1.2.3", "10.1.2.3", 1},
	    {"10.1.2.3", "10.1.0.1/8", -2}, /* host bits set */
	    {"10.1.2.3", "10.0.0.0/33", -2},
	    {"10.1.2.3", "10.0.0.0/129", 0}, /* no CIDR: a pattern that does not match */
	    {"10.1.2.3", "10.0.0.0/8,,x", -2},
	    {"10.1.2.3", "!", -2},
	    {"2001:db8::5", "2001:db8::/32", 1},
	    {"2001:db8::5", "2001:DB8:0::5", 1},
	    {"2001:db8::5", "10.0.0.0/8", 0},
	    {"10.1.2.3", "::/0", 0},
	    {"10.1.2.3", "0.0.0.0/0", 1},
	    {"not-an-address", "*", 0}, /* sshd cannot parse it: no match */
	    {"10.1", "10.0.0.1", 1},	/* inet_aton's short form */
	    {"fe80::1%2", "fe80::/10", 0},
	    {"fe80::1", "fe80::/10", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct addr_case *c = &cases[i];
		int got = sshd_addr_match_list(c->addr, c->list);
		if (got != c->want)
			fail_msg("%s against %s: got %d, want %d", c->addr, c->list, got, c->want);
	}
	assert_int_equal(sshd_addr_match_list(NULL, "10.0.0.0/8,!192.168.0.0/16,*.x"), 0);
	assert_int_equal(sshd_addr_match_list(NULL, "10.0.0.1/8"), -2);
}

/* ---- blocks and classes ---- */

static int one_glob(void *ud, const char *pattern, char ***ret)
{
	char **v = calloc(2, sizeof(*v));
	assert_non_null(v);
	if (strcmp(pattern, "/etc/ssh/inc.conf") == 0)
		v[0] = strdup(pattern);
	*ret = v;
	return 0;
}

/* ud: {main, inc.conf}. */
static int two_read(void *ud, const char *path, char **ret, size_t *ret_len)
{
	const char *const *files = ud;
	const char *s = strcmp(path, "/etc/ssh/inc.conf") == 0 ? files[1] : files[0];
	if (!s)
		return -ENOENT;
	*ret = strdup(s);
	*ret_len = strlen(s);
	return 0;
}

static void load2(const char *main_text, const char *inc, struct sshd_config *c)
{
	const char *files[2] = {main_text, inc};
	struct sshd_io io = {one_glob, two_read, files};
	*c = (struct sshd_config){0};
	assert_int_equal(sshd_config_load(c, "/etc/ssh/sshd_config", &io), 0);
}

static char *const admin_groups[] = {"admin", "sudo", NULL};

static const struct sshd_conn admin = {"admin", "ws1.example.org", "10.1.2.3", "10.0.0.1", NULL,
				       22,	admin_groups};

static void test_block_applies(void **state)
{
	struct sshd_config c;
	load2("Match User admin Address 10.0.0.0/8\nX11Forwarding yes\n"
	      "Match Group sudo,!wheel\nX11Forwarding yes\n"
	      "Match Group !sudo,*\nX11Forwarding yes\n"
	      "Match LocalPort 2222\nX11Forwarding yes\n"
	      "Match Host *.EXAMPLE.org\nX11Forwarding yes\n"
	      "Match RDomain *\nX11Forwarding yes\n"
	      "Match LocalPort ssh\nX11Forwarding yes\n"
	      "Match LocalAddress 10.0.0.0/24 User nobody\nX11Forwarding yes\n"
	      "Match User admin\nInclude inc.conf\n"
	      "Match all\nX11Forwarding yes\n",
	      "Match Address 192.168.0.0/16\nX11Forwarding yes\n", &c);
	assert_int_equal(c.errors, 0);
	assert_int_equal(c.nb, 11);
	static const int want[] = {1, 1, 0, 0, 1, 0, -1, 0, 1, 0, 1};
	for (size_t i = 0; i < c.nb; i++)
		if (sshd_block_applies(&c, i, &admin) != want[i])
			fail_msg("block %zu (%s): got %d, want %d", i, c.b[i].criteria,
				 sshd_block_applies(&c, i, &admin), want[i]);
	/* Unknown groups, an absent address: unknown, never "does not apply";
	 * a false criterion still decides. */
	struct sshd_conn nog = admin;
	nog.groups = NULL;
	nog.addr = NULL;
	assert_int_equal(sshd_block_applies(&c, 1, &nog), -1);
	assert_int_equal(sshd_block_applies(&c, 0, &nog), -1);
	assert_int_equal(sshd_block_applies(&c, 7, &nog), 0);
	/* No connection at all (sshd -T without -C): only "Match all". */
	struct sshd_conn none = {.global = true};
	assert_int_equal(sshd_block_applies(&c, 0, &none), 0);
	assert_int_equal(sshd_block_applies(&c, 10, &none), 1);
	sshd_config_free(&c);
}

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v)  ? json_string_value(v)
	       : json_is_true(v)  ? "yes"
	       : json_is_false(v) ? "no"
	       : json_is_null(v)  ? "null"
				  : "?";
}

static void test_class_values(void **state)
{
	struct sshd_config c;
	load2("PasswordAuthentication no\nPermitRootLogin no\nAllowUsers a b\n"
	      "Match Address 10.0.0.0/8\n PermitRootLogin yes\n AllowUsers c\n"
	      "Match User admin\n PermitRootLogin forced-commands-only\n AllowUsers d\n"
	      " PasswordAuthentication yes\n"
	      "Match LocalPort 2222\n PermitEmptyPasswords yes\n"
	      "Match all\n X11Forwarding yes\n",
	      NULL, &c);
	json_t *o = sshd_class_json(&c, &admin, "9.2p1");
	assert_non_null(o);
	assert_string_equal(str(o, "permitrootlogin"), "yes"); /* first matching block wins */
	assert_string_equal(str(o, "passwordauthentication"), "yes");
	assert_string_equal(str(o, "permitemptypasswords"), "no");
	assert_string_equal(str(o, "x11forwarding"), "yes");
	json_t *au = json_object_get(o, "allowusers"); /* the blocks' list replaces the global */
	assert_int_equal(json_array_size(au), 2);
	assert_string_equal(json_string_value(json_array_get(au, 0)), "c");
	assert_string_equal(json_string_value(json_array_get(au, 1)), "d");
	assert_int_equal(json_array_size(json_object_get(o, "match_applied")), 2);
	assert_string_equal(str(json_object_get(o, "sources"), "permitrootlogin"),
			    "/etc/ssh/sshd_config:5");
	json_decref(o);

	/* No local port named: the LocalPort block is unknown, so only the
	 * value it sets is unknown. */
	struct sshd_conn nop = admin;
	nop.lport = 0;
	o = sshd_class_json(&c, &nop, "9.2p1");
	assert_string_equal(str(o, "permitemptypasswords"), "null");
	assert_string_equal(str(json_object_get(o, "sources"), "permitemptypasswords"), "null");
	assert_string_equal(str(o, "permitrootlogin"), "yes");
	assert_int_equal(json_array_size(json_object_get(o, "match_unknown")), 1);
	json_decref(o);

	/* The default class is sshd -T without -C. */
	struct sshd_conn none = {.global = true};
	o = sshd_class_json(&c, &none, "9.2p1");
	json_t *g = sshd_effective_json(&c, "9.2p1");
	static const char *const keys[] = {"permitrootlogin", "passwordauthentication",
					   "permitemptypasswords", "x11forwarding"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_string_equal(str(o, keys[i]), str(g, keys[i]));
	assert_true(json_equal(json_object_get(o, "allowusers"), json_object_get(g, "allowusers")));
	json_decref(g);
	json_decref(o);
	sshd_config_free(&c);
}

/* No host named: sshd names the client by its address unless UseDNS. */
static void test_host_from_addr(void **state)
{
	struct sshd_config c;
	struct sshd_conn cn = admin;
	cn.host = NULL;
	load2("Match Host 10.1.2.*\n PermitRootLogin yes\n", NULL, &c);
	json_t *o = sshd_class_json(&c, &cn, "9.2p1");
	assert_string_equal(str(o, "permitrootlogin"), "yes");
	json_decref(o);
	sshd_config_free(&c);
	load2("UseDNS yes\nMatch Host 10.1.2.*\n PermitRootLogin yes\n", NULL, &c);
	o = sshd_class_json(&c, &cn, "9.2p1");
	assert_string_equal(str(o, "permitrootlogin"), "null");
	json_decref(o);
	sshd_config_free(&c);
}

/* Values sshd refuses in a Match line are errors, and a block with bad
 * criteria (or inside one) is unknown. */
static void test_bad_criteria(void **state)
{
	struct sshd_config c;
	load2("Match Address 10.0.0.1/8\nInclude inc.conf\nMatch LocalPort 99999\n"
	      "Match LocalPort +22\n",
	      "Match User admin\nPermitRootLogin yes\n", &c);
	assert_int_equal(c.errors, 2);
	assert_int_equal(c.nb, 4);
	assert_int_equal(sshd_block_applies(&c, 0, &admin), -1);
	assert_int_equal(sshd_block_applies(&c, 1, &admin), -1);
	assert_int_equal(sshd_block_applies(&c, 2, &admin), -1);
	assert_int_equal(sshd_block_applies(&c, 3, &admin), 1);
	sshd_config_free(&c);
}

/* sshd refuses "AuthenticationMethods any" once a line active at load
 * (global, "Match all") has set the methods; a narrower block's do not. */
static void test_methods_any(void **state)
{
	static const struct {
		const char *text;
		unsigned errors;
	} cases[] = {
	    {"AuthenticationMethods publickey\nMatch User x\nAuthenticationMethods any\n", 1},
	    {"Match User x\nAuthenticationMethods any\n", 0},
	    {"AuthenticationMethods any\nAuthenticationMethods any\n", 1},
	    {"AuthenticationMethods any\nAuthenticationMethods publickey\n", 0},
	    {"Match all\nAuthenticationMethods publickey\nMatch User x\nAuthenticationMethods "
	     "any\n",
	     1},
	    {"Match User y\nAuthenticationMethods publickey\nMatch User x\nAuthenticationMethods "
	     "any\n",
	     0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sshd_config c;
		load2(cases[i].text, NULL, &c);
		if (c.errors != cases[i].errors)
			fail_msg("case %zu: %u errors, want %u", i, c.errors, cases[i].errors);
		sshd_config_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pattern_list),   cmocka_unit_test(test_addr_list),
	    cmocka_unit_test(test_block_applies),  cmocka_unit_test(test_class_values),
	    cmocka_unit_test(test_host_from_addr), cmocka_unit_test(test_bad_criteria),
	    cmocka_unit_test(test_methods_any),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
