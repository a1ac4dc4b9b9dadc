/* test_usbguard_parse.c - USBGuard rule lines: accepted or refused as
 * usbguard-rule-parser 1.1.2 does, printed as it prints them, and what
 * each rule can do to a mass-storage device. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "probes/parse/usbguard_parse.h"

struct ucase {
	const char *in;
	const char *out; /* NULL: refused; "" blank or comment */
	bool may_storage, all_storage;
};

static const struct ucase cases[] = {
    {"allow", "allow", true, true},
    {"block", "block", true, true},
    {"# comment", "", false, false},
    {"", "", false, false},
    {"  allow", NULL, false, false},
    {"allow ", NULL, false, false},
    {"allow id 1234:5678 # c", "allow id 1234:5678", true, false},
    {"allow id 1234:5678#c", "allow id 1234:5678", true, false},
    {"allow id *:5678", NULL, false, false},
    {"allow id 1234:*", "allow id 1234:*", true, false},
    {"allow id 1:2", NULL, false, false},
    {"allow with-interface { 08:*:* }", "allow with-interface 08:*:*", true, false},
    {"allow with-interface 03:*:*", "allow with-interface 03:*:*", false, false},
    {"allow with-interface 08:*:50", NULL, false, false},
    {"allow with-interface 08:06:*", "allow with-interface 08:06:*", true, false},
    {"allow with-interface one-of { 03:*:* }", "allow with-interface one-of { 03:*:* }", true,
     false},
    {"allow with-interface none-of { 08:*:* }", "allow with-interface none-of { 08:*:* }", false,
     false},
    {"allow with-interface none-of { 08:06:50 }", "allow with-interface none-of { 08:06:50 }", true,
     false},
    {"allow with-interface { 03:01:01 03:00:00 }", "allow with-interface { 03:01:01 03:00:00 }",
     false, false},
    {"block with-interface one-of {08:*:*}", "block with-interface one-of { 08:*:* }", true, true},
    {"reject with-interface all-of { 08:*:* }", "reject with-interface all-of { 08:*:* }", true,
     true},
    {"block with-interface 08:*:*", "block with-interface 08:*:*", true, false},
    {"block id 1234:5678 with-interface one-of { 08:*:* }",
     "block id 1234:5678 with-interface one-of { 08:*:* }", true, false},
    {"allow if false", "allow if false", false, false},
    {"allow if !true", "allow if !true", false, false},
    {"block if true", "block if true", true, true},
    {"allow if one-of { localtime(08:00-17:00) true }",
     "allow if one-of { localtime(08:00-17:00) true }", true, false},
    {"allow if bogus", NULL, false, false},
    {"allow name \"a\\x41\\\"b\\\\\"", "allow name \"aA\\\"b\\\\\"", true, false},
    {"allow name \"\xe6\x97\xa5\"", "allow name \"\\xe6\\x97\\xa5\"", true, false},
    {"allow name \"a\\tb\"", NULL, false, false},
    {"allow serial \"\"", "allow serial \"\"", true, false},
    {"allow hash \"x\" hash \"y\"", NULL, false, false},
    {"allow id{ 1234:5678 }", NULL, false, false},
    {"allow serial {}", NULL, false, false},
    {"allow label \"x\" id 0001:0002", "allow id 0001:0002 label \"x\"", true, false},
    {"ALLOW", NULL, false, false},
    {"allow id 1234:5678\r", NULL, false, false},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct ucase *c = &cases[i];
		struct ug_rule r;
		const char *why = NULL;
		int e = ug_rule_parse(c->in, strlen(c->in), &r, &why);
		if (!c->out) {
			if (e != -EINVAL || !why)
				fail_msg("%s: accepted, usbguard refuses it", c->in);
			continue;
		}
		if (!*c->out) {
			if (e != 1)
				fail_msg("%s: not a blank line (%d)", c->in, e);
			continue;
		}
		if (e != 0)
			fail_msg("%s: refused (%s)", c->in, why ? why : "?");
		char *text = ug_rule_format(&r);
		if (!text || strcmp(text, c->out))
			fail_msg("%s: printed %s, want %s", c->in, text ? text : "(null)", c->out);
		if (ug_rule_may_match_storage(&r) != c->may_storage ||
		    ug_rule_matches_all_storage(&r) != c->all_storage)
			fail_msg("%s: storage may %d all %d", c->in, ug_rule_may_match_storage(&r),
				 ug_rule_matches_all_storage(&r));
		free(text);
		ug_rule_free(&r);
	}
}

/* The root hub of tests/fixtures/usbguard/composite.umockdev: the hashes
 * `usbguard generate-policy` 1.1.2 wrote for it (bcdDevice 0x0001 is
 * zeroed before hashing: a Linux root hub's is the kernel version). */
static void test_device_hash(void **state)
{
	static const unsigned char desc[] = {0x12, 0x01, 0x00, 0x02, 0x09, 0x00, 0x01, 0x40, 0x6b,
					     0x1d, 0x02, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
					     0x09, 0x02, 0x12, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
					     0x09, 0x04, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00};
	struct ug_hash_input in = {"xHCI Host Controller", "1d6b", "0002",
				   "0000:00:14.0",	   desc,   sizeof(desc)};
	char h[UG_HASH_LEN];
	assert_int_equal(ug_device_hash(&in, h), 0);
	assert_string_equal(h, "sanHHOAbKuaTL7/KogP2XEVwHBk97wTCpwPMvp372SQ=");
	assert_int_equal(ug_string_hash("/devices/pci0000:00/0000:00:14.0", h), 0);
	assert_string_equal(h, "rV9bfLq7c2eA4tYjVjwO4bxhm+y6GgZpl9J60L0fBkY=");
	in.vendor_id = "1d6c"; /* not a root hub: bcdDevice counts */
	assert_int_equal(ug_device_hash(&in, h), 0);
	assert_string_not_equal(h, "sanHHOAbKuaTL7/KogP2XEVwHBk97wTCpwPMvp372SQ=");
}

/* ug_rule_applies: set operators, wildcards, hashes, conditions. */
static int applies(const char *rule, const struct ug_device *d)
{
	struct ug_rule r;
	const char *why = NULL;
	assert_int_equal(ug_rule_parse(rule, strlen(rule), &r, &why), 0);
	int a = ug_rule_applies(&r, d);
	ug_rule_free(&r);
	return a;
}

static void test_applies(void **state)
{
	char *ifs[] = {"03:01:01", "08:06:50"};
	struct ug_device d = {
	    "1234:5678", "KWS0001", "Keyboard With Storage", "H1", "P1", "1-4", "", ifs, 2, true};
	assert_int_equal(applies("allow", &d), 1);
	assert_int_equal(applies("allow id 1234:*", &d), 1);
	assert_int_equal(applies("allow id 1234:5679", &d), 0);
	assert_int_equal(applies("allow hash \"H1\" parent-hash \"P1\"", &d), 1);
	assert_int_equal(applies("allow hash \"H2\"", &d), 0);
	assert_int_equal(applies("allow hash one-of { \"H2\" \"H1\" }", &d), 1);
	assert_int_equal(applies("allow parent-hash none-of { \"P1\" }", &d), 0);
	assert_int_equal(applies("allow with-interface 08:*:*", &d), 0); /* equals: 2 vs 1 */
	assert_int_equal(applies("allow with-interface { 08:*:* 03:*:* }", &d), 1);
	assert_int_equal(applies("allow with-interface equals-ordered { 08:*:* 03:*:* }", &d), 0);
	assert_int_equal(applies("allow with-interface one-of { 08:06:* }", &d), 1);
	assert_int_equal(applies("allow with-interface all-of { 08:06:50 03:00:00 }", &d), 0);
	assert_int_equal(applies("allow with-interface match-all { 08:*:* 03:*:* 09:*:* }", &d), 1);
	assert_int_equal(applies("allow with-interface match-all { 08:*:* }", &d), 0);
	assert_int_equal(applies("allow via-port \"1-4\" with-connect-type \"\"", &d), 1);
	assert_int_equal(applies("allow if !true", &d), 0);
	assert_int_equal(applies("allow if localtime(00:00-23:59)", &d), -1);
	assert_int_equal(applies("allow id 1234:5679 if localtime(00:00-23:59)", &d), 0);
	d.hash = NULL; /* descriptors unreadable */
	assert_int_equal(applies("allow hash \"H1\"", &d), -1);
	assert_int_equal(applies("allow id 9999:*", &d), 0);
	d.ifaces_known = false;
	assert_int_equal(applies("allow with-interface 03:*:*", &d), -1);
}

/* A line over LIMIT_LINE is not parsed (usbguard reads it, tenken does
 * not know what it says): -E2BIG, naming the limit. One byte less is a
 * rule. */
static void test_long_line(void **state)
{
	(void)state;
	size_t n = 65536 - 13;
	char *in = malloc(65536 + 2);
	assert_non_null(in);
	memcpy(in, "allow name \"", 12);
	memset(in + 12, 'a', n);
	memcpy(in + 12 + n, "\"", 2); /* 65536 bytes */
	struct ug_rule r;
	const char *why = NULL;
	assert_int_equal(ug_rule_parse(in, strlen(in), &r, &why), 0);
	ug_rule_free(&r);
	memcpy(in + 12 + n, "a\"", 3); /* 65537 */
	assert_int_equal(ug_rule_parse(in, strlen(in), &r, &why), -E2BIG);
	assert_string_equal(why, "line longer than 65536 bytes (LIMIT_LINE)");
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_device_hash),
	    cmocka_unit_test(test_applies),
	    cmocka_unit_test(test_long_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
