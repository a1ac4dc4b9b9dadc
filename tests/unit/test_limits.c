/* test_limits.c - issue 11 item 6, "every limit is a message": a file
 * refused for its size is reported with the limit's size and its name in
 * lib/limits.h, through fsroot's record of the refused read. Files over a
 * limit are sparse (truncate), so nothing big is written. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "lib/limits.h"
#include "probes/probe.h"
#include "probes/parse/logging_parse.h"
#include "probes/parse/timesync_parse.h"
#include "probes/read/fsroot.h"
#include "tests/unit/harness.h"

/* PATH inside the scratch root, size bytes of holes. */
static void sparse(const struct scratch *s, const char *path, off_t size)
{
	char p[256];
	scratch_write(s, path, "");
	snprintf(p, sizeof(p), "%s%s", s->dir, path);
	assert_int_equal(truncate(p, size), 0);
}

/* The one message of the run, in lang. */
static const char *msg(const struct probe_ctx *ctx, size_t i, const char *lang)
{
	json_t *m = json_array_get(ctx->messages, i);
	assert_non_null(m);
	return json_string_value(json_object_get(m, lang));
}

static bool has_message(const struct probe_ctx *ctx, const char *needle)
{
	size_t i;
	json_t *m;
	json_array_foreach(ctx->messages, i, m) {
		const char *en = json_string_value(json_object_get(m, "en"));
		if (en && strstr(en, needle))
			return true;
	}
	return false;
}

static int no_probe(struct probe_ctx *ctx)
{
	(void)ctx;
	return 0;
}

static void test_file_error_names_limit(void **state)
{
	(void)state;
	struct scratch s;
	scratch_init(&s, NULL);
	sparse(&s, "/etc/big.conf", (off_t)LIMIT_CONFIG_FILE + 1);
	sparse(&s, "/etc/small", 200);
	struct probe_run r;
	probe_run(&r, s.dir, FSROOT_WALK_ONLY, 0, NULL, no_probe);

	/* a constant: its size and its name */
	struct buf b = {0};
	assert_int_equal(fsroot_read(r.root, "/etc/big.conf", LIMIT_CONFIG_FILE, &b), -EFBIG);
	probe_file_error(&r.ctx, "/etc/big.conf", -EFBIG, false);
	assert_string_equal(msg(&r.ctx, 0, "en"),
			    "/etc/big.conf: larger than the 4 MiB limit (LIMIT_CONFIG_FILE in "
			    "lib/limits.h): the whole file was not read");
	assert_string_equal(msg(&r.ctx, 0, "ja"),
			    "/etc/big.conf: サイズが上限（4 MiB、lib/limits.h の "
			    "LIMIT_CONFIG_FILE）を超えているため、ファイル全体を読んでいません");
	assert_true(r.ctx.partial);

	/* a computed limit: its size only */
	size_t max = 100;
	assert_int_equal(fsroot_read(r.root, "/etc/small", max, &b), -EFBIG);
	probe_file_error(&r.ctx, "/etc/small", -EFBIG, false);
	assert_string_equal(msg(&r.ctx, 1, "en"), "/etc/small: larger than the 100 bytes limit "
						  "(lib/limits.h): the whole file was not read");
	assert_non_null(strstr(msg(&r.ctx, 1, "ja"), "100 バイト"));

	/* another path than the refused read's: the generic words, no number */
	probe_file_error(&r.ctx, "/etc/other", -EFBIG, false);
	assert_string_equal(msg(&r.ctx, 2, "en"), "/etc/other: larger than its size limit "
						  "(lib/limits.h): the whole file was not read");

	/* a shared read names its limit on every later refusal too */
	const struct buf *sb = NULL;
	assert_int_equal(fsroot_read_shared(r.root, "/etc/big.conf", LIMIT_SMALL_FILE, &sb),
			 -EFBIG);
	assert_int_equal(fsroot_read(r.root, "/etc/small", max, &b), -EFBIG);
	assert_int_equal(fsroot_read_shared(r.root, "/etc/big.conf", LIMIT_SMALL_FILE, &sb),
			 -EFBIG);
	probe_file_error(&r.ctx, "/etc/big.conf", -EFBIG, false);
	assert_true(has_message(&r.ctx, "/etc/big.conf: larger than the 64 KiB limit "
					"(LIMIT_SMALL_FILE in lib/limits.h)"));

	/* a caller that knows its limit */
	probe_file_error_limit(&r.ctx, "/x", -EFBIG, LIMIT_DPKG_STATUS, "LIMIT_DPKG_STATUS");
	assert_true(has_message(&r.ctx, "/x: larger than the 128 MiB limit (LIMIT_DPKG_STATUS "
					"in lib/limits.h): the whole file was not read"));
	/* other errors keep their words */
	probe_file_error_limit(&r.ctx, "/y", -EACCES, LIMIT_DPKG_STATUS, "LIMIT_DPKG_STATUS");
	assert_true(has_message(&r.ctx, "/y: permission denied"));
	probe_run_free(&r);
	scratch_done(&s);
}

/* A probe end to end: a passwd over LIMIT_ACCOUNT_DB. */
static void test_accounts_passwd_too_large(void **state)
{
	(void)state;
	struct scratch s;
	scratch_init(&s, NULL);
	sparse(&s, "/etc/passwd", (off_t)LIMIT_ACCOUNT_DB + 1);
	struct probe_run r;
	probe_run(&r, s.dir, FSROOT_AUTO, 0, NULL, probe_accounts_run);
	assert_true(r.ctx.partial);
	assert_true(has_message(&r.ctx, "/etc/passwd: larger than the 16 MiB limit "
					"(LIMIT_ACCOUNT_DB in lib/limits.h): the whole file was "
					"not read"));
	probe_run_free(&r);
	scratch_done(&s);
}

/* Append a line of n bytes of 'x' to PATH in the scratch root. */
static void long_line(const struct scratch *s, const char *path, int n)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "head -c %d /dev/zero | tr '\\0' x >>'%s%s' && echo >>'%s%s'", n,
		 s->dir, path, s->dir, path);
	assert_int_equal(system(cmd), 0);
}

/* A PAM line over LIMIT_LINE: named by file, line and limit, and the
 * password stack it belongs to is incomplete (the line may have been a
 * quality module), so its facts are not known. */
static void test_auth_pam_line_too_long(void **state)
{
	(void)state;
	struct scratch s;
	scratch_init(&s, "auth-default");
	scratch_write(&s, "/etc/pam.d/common-password",
		      "password requisite pam_pwquality.so retry=3\n"
		      "password [success=1 default=ignore] pam_unix.so obscure yescrypt\n"
		      "password requisite pam_deny.so\npassword required pam_permit.so\n");
	long_line(&s, "/etc/pam.d/common-password", 70000);
	struct probe_run r;
	probe_run(&r, s.dir, FSROOT_AUTO, 1795305600, NULL, probe_auth_run);
	assert_true(has_message(&r.ctx, "/etc/pam.d/common-password:5: line longer than 65536 "
					"bytes (LIMIT_LINE): not read; this file's stack is "
					"incomplete, so what depends on it is unknown"));
	json_t *auth = json_object_get(r.ctx.inventory, "auth");
	assert_true(json_is_false(json_object_get(auth, "password_stack_complete")));
	probe_run_free(&r);
	scratch_done(&s);
}

/* A sudoers line over LIMIT_LINE (sudo reads it whole): named by file,
 * line and limit; the sudoers and accounts collections are incomplete,
 * so no rule over sudo rights can pass on what was not read. */
static void test_sudoers_line_too_long(void **state)
{
	(void)state;
	struct scratch s;
	scratch_init(&s, NULL);
	scratch_write(&s, "/etc/passwd",
		      "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
	scratch_write(&s, "/etc/group", "root:x:0:\nalice:x:1000:\n");
	scratch_write(&s, "/etc/sudoers", "root ALL=(ALL:ALL) ALL\n");
	long_line(&s, "/etc/sudoers", 70000);
	struct fsroot *root;
	assert_int_equal(fsroot_open(s.dir, FSROOT_AUTO, &root), 0);
	struct probe_ctx ctx = {.root = root,
				.offline = true,
				.inventory = json_object(),
				.host = json_object(),
				.messages = json_array(),
				.incomplete = json_array()};
	assert_int_equal(probe_accounts_run(&ctx), 0);
	assert_true(has_message(&ctx, "/etc/sudoers:2: line longer than 65536 bytes (LIMIT_LINE): "
				      "not read; the sudo rights it may grant are unknown"));
	assert_true(ctx.partial);
	bool sudoers = false, accounts = false;
	size_t i;
	json_t *v;
	json_array_foreach(ctx.incomplete, i, v) {
		sudoers |= strcmp(json_string_value(v), "sudoers") == 0;
		accounts |= strcmp(json_string_value(v), "accounts") == 0;
	}
	assert_true(sudoers && accounts);
	json_decref(ctx.inventory);
	json_decref(ctx.host);
	json_decref(ctx.messages);
	json_decref(ctx.incomplete);
	fsroot_free(root);
	scratch_done(&s);
}

/* A USBGuard rule line over LIMIT_LINE: named; the rule set is not
 * known, so the rule count and whether storage is blocked are unknown. */
static void test_usbguard_line_too_long(void **state)
{
	(void)state;
	struct scratch s;
	scratch_init(&s, "usb-blocked");
	long_line(&s, "/etc/usbguard/rules.conf", 70000);
	struct probe_run r;
	probe_run(&r, s.dir, FSROOT_WALK_ONLY, 1767225600, NULL, probe_usb_run);
	assert_true(has_message(&r.ctx, "/etc/usbguard/rules.conf:"));
	assert_true(has_message(&r.ctx, ": line longer than 65536 bytes (LIMIT_LINE): this rule "
					"was not read; what USBGuard's rules decide is unknown"));
	assert_true(r.ctx.partial);
	json_t *st = json_object_get(r.ctx.inventory, "usb_storage");
	assert_true(json_is_null(json_object_get(st, "usbguard_rules")));
	probe_run_free(&r);
	scratch_done(&s);
}

struct bad_lines {
	unsigned line[4];
	char en[4][256];
	size_t n;
};

static void on_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	struct bad_lines *b = ud;
	assert_non_null(ja);
	if (b->n < 4) {
		b->line[b->n] = line;
		snprintf(b->en[b->n++], sizeof(b->en[0]), "%s", en);
	}
}

/* journald.conf: a Storage= line over LIMIT_LINE is not "not a key=value
 * line" but a line not read, and the configuration is marked so. */
static void test_journald_line_too_long(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 1u << 20);
	strbuf_puts(&sb, "[Journal]\nStorage=volatile");
	for (int i = 0; i < 70000; i++)
		strbuf_puts(&sb, " ");
	strbuf_puts(&sb, "x\nMaxRetentionSec=1week\n");
	struct journald_conf c = {.max_retention = -1, .max_file_sec = -1, .forward_to_syslog = -1};
	struct bad_lines b = {0};
	assert_int_equal(journald_parse(sb.s, sb.len, "/etc/systemd/journald.conf", &c, on_bad, &b),
			 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.line[0], 2);
	assert_string_equal(b.en[0], "line longer than 65536 bytes (LIMIT_LINE): not read; what it "
				     "may set is unknown");
	assert_true(c.line_unread);
	assert_null(c.storage);
	assert_int_equal(c.max_retention, 7 * 86400);
	journald_conf_free(&c);
	strbuf_free(&sb);
}

static void no_server(void *ud, unsigned line, const char *host)
{
	fail_msg("line %u: %s read from a line over the limit", line, host);
}

static void no_include(void *ud, unsigned line, const char *d, const char *arg)
{
	fail_msg("line %u: include read from a line over the limit", line);
}

/* chrony/ntp: a line over LIMIT_PATH + 64, and a source whose argument is
 * over LIMIT_PATH, are named with the limit and counted as not read. */
static void test_timesync_line_too_long(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 1u << 20);
	strbuf_puts(&sb, "# chrony.conf\nserver ");
	for (int i = 0; i < 5000; i++)
		strbuf_puts(&sb, "a");
	strbuf_puts(&sb, "\npool ");
	for (int i = 0; i < 4100; i++)
		strbuf_puts(&sb, "b");
	strbuf_puts(&sb, "\n");
	struct bad_lines b = {0};
	struct ts_cb cb = {no_server, no_include, on_bad, &b};
	assert_int_equal(ts_parse(sb.s, sb.len, TS_CHRONY, &cb), 2);
	assert_int_equal(b.n, 2);
	assert_int_equal(b.line[0], 2);
	assert_string_equal(b.en[0], "line longer than 4160 bytes (LIMIT_PATH + 64): not read; the "
				     "time sources configured are unknown");
	assert_int_equal(b.line[1], 3);
	assert_string_equal(b.en[1], "argument longer than 4095 bytes (LIMIT_PATH): line not read; "
				     "the time sources configured are unknown");
	strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_error_names_limit),
	    cmocka_unit_test(test_accounts_passwd_too_large),
	    cmocka_unit_test(test_auth_pam_line_too_long),
	    cmocka_unit_test(test_sudoers_line_too_long),
	    cmocka_unit_test(test_usbguard_line_too_long),
	    cmocka_unit_test(test_journald_line_too_long),
	    cmocka_unit_test(test_timesync_line_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
