/* test_auth.c - the auth probe over the fixture roots tests/fixtures/auth-*
 * (Debian's stock PAM, pwquality minlen 8 with pwhistory, minlen 14 with
 * pam_unix remember and pam_google_authenticator) and over scratch roots:
 * no /etc/pam.d at all, faillock with faillock.conf, pam_tally2, pam_sss
 * with smart cards, an optional second factor, a missing include, login
 * defs copied from the accounts probe's collection, a secret in a
 * module argument that must never reach the inventory, and Linux-PAM's
 * vendor directory (/usr/lib/pam.d: a name /etc/pam.d lacks is read
 * there, /etc/pam.d's file wins, a loop through both is said), and
 * /etc/pam.conf when neither directory exists. */
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

/* Run with login_defs as the accounts probe would have left it (NULL: the
 * accounts probe did not run). */
static void troot_run(struct troot *t, json_t *login_defs)
{
	json_t *inv = json_object();
	if (login_defs)
		json_object_set_new(inv, "login_defs", login_defs);
	probe_run(&t->run, t->s.dir, FSROOT_AUTO, 1795305600, inv, probe_auth_run);
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

static const json_t *fact(struct troot *t, const char *key)
{
	return json_object_get(json_object_get(t->run.ctx.inventory, "auth"), key);
}

static long ifact(struct troot *t, const char *key)
{
	const json_t *v = fact(t, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return (long)json_integer_value(v);
}

static void check_schema(struct troot *t)
{
	for (const struct collection *c = auth_collections; c->name; c++) {
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

static void test_fixtures(void **state)
{
	static const struct {
		const char *fixture;
		long minlen, remember, minclass;
		bool second;
	} cases[] = {
	    {"auth-default", 6, 0, 0, false},
	    {"auth-pwq8", 8, 5, 3, false},
	    {"auth-pwq14-2fa", 14, 12, 0, true},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct troot t;
		troot_init(&t, cases[i].fixture);
		troot_run(&t, json_pack("{s:i}", "pass_max_days", 99999));
		assert_int_equal(t.run.ret, 0);
		check_schema(&t);
		assert_false(t.run.ctx.partial);
		if (ifact(&t, "minlen_effective") != cases[i].minlen ||
		    ifact(&t, "remember") != cases[i].remember ||
		    ifact(&t, "minclass") != cases[i].minclass ||
		    json_is_true(fact(&t, "second_factor_required")) != cases[i].second)
			fail_msg("%s: %s", cases[i].fixture,
				 json_dumps(json_object_get(t.run.ctx.inventory, "auth"), 0));
		assert_int_equal(ifact(&t, "pass_max_days"), 99999);
		troot_done(&t);
	}
}

/* The secret= argument of pam_google_authenticator keeps its name only. */
static void test_no_secret(void **state)
{
	struct troot t;
	troot_init(&t, "auth-pwq14-2fa");
	write_file(&t, "/etc/pam.d/login",
		   "auth required pam_radius_auth.so secret=TopSecret123 password=Hunter2\n");
	troot_run(&t, NULL);
	_cleanup_free_ char *dump = json_dumps(t.run.ctx.inventory, 0);
	assert_null(strstr(dump, "TopSecret123"));
	assert_null(strstr(dump, "Hunter2"));
	assert_null(strstr(dump, "/var/lib/ga"));
	assert_true(json_is_null(fact(&t, "pass_max_days"))); /* accounts did not run */
	troot_done(&t);
}

/* No /etc/pam.d: every fact unknown, probe partial. */
static void test_no_pam(void **state)
{
	struct troot t;
	troot_init(&t, NULL);
	troot_run(&t, NULL);
	assert_int_equal(t.run.ret, 0);
	check_schema(&t);
	assert_true(t.run.ctx.partial);
	assert_true(json_is_null(fact(&t, "minlen_effective")));
	assert_true(json_is_null(fact(&t, "second_factor_required")));
	assert_true(json_is_null(fact(&t, "remember")));
	troot_done(&t);
}

/* Lockout and second factors in their various spellings. */
static void test_login_modules(void **state)
{
	static const struct {
		const char *common_auth, *faillock_conf, *lockout, *mod;
		long deny;
		bool required;
	} cases[] = {
	    {"auth required pam_faillock.so preauth\nauth required pam_unix.so\n", "deny = 5\n",
	     "pam_faillock", NULL, 5, false},
	    {"auth required pam_faillock.so preauth deny=4\n", "deny = 5\n", "pam_faillock", NULL,
	     4, false},
	    {"auth required pam_faillock.so preauth\n", NULL, "pam_faillock", NULL, 3, false},
	    {"auth required pam_tally2.so deny=6 onerr=fail\n", NULL, "pam_tally2", NULL, 6, false},
	    {"auth [success=done default=die] /lib/security/pam_sss.so require_cert_auth\n", NULL,
	     "none", "pam_sss", 0, true},
	    {"auth sufficient pam_sss.so\n", NULL, "none", NULL, 0, false},
	    {"auth optional pam_u2f.so cue\n", NULL, "none", "pam_u2f", 0, false},
	    {"-auth required pam_oath.so usersfile=/etc/users.oath\n", NULL, "none", "pam_oath", 0,
	     true},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct troot t;
		troot_init(&t, "auth-default");
		write_file(&t, "/etc/pam.d/common-auth", cases[i].common_auth);
		if (cases[i].faillock_conf)
			write_file(&t, "/etc/security/faillock.conf", cases[i].faillock_conf);
		troot_run(&t, NULL);
		const json_t *mods = fact(&t, "second_factor_modules");
		if (strcmp(json_string_value(fact(&t, "lockout_module")), cases[i].lockout) != 0 ||
		    ifact(&t, "faillock_deny") != cases[i].deny ||
		    json_is_true(fact(&t, "second_factor_required")) != cases[i].required ||
		    (cases[i].mod
			 ? !json_string_value(json_array_get(mods, 0)) ||
			       strcmp(json_string_value(json_array_get(mods, 0)), cases[i].mod)
			 : json_array_size(mods) != 0))
			fail_msg("case %zu: %s", i,
				 json_dumps(json_object_get(t.run.ctx.inventory, "auth"), 0));
		troot_done(&t);
	}
}

/* A missing include makes the password facts unknown, not a pass. */
static void test_missing_include(void **state)
{
	struct troot t;
	troot_init(&t, "auth-default");
	write_file(&t, "/etc/pam.d/common-password",
		   "password requisite pam_pwquality.so minlen=20\n@include vendor-password\n");
	troot_run(&t, NULL);
	assert_true(t.run.ctx.partial);
	assert_true(json_is_false(fact(&t, "password_stack_complete")));
	assert_true(json_is_null(fact(&t, "minlen_effective")));
	troot_done(&t);
}

/* The pwquality.conf.d files are read before pwquality.conf, and a line
 * argument beats both; a FIFO as pwquality.conf is refused. */
static void test_pwquality_order(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, "auth-pwq8");
	write_file(&t, "/etc/security/pwquality.conf.d/90-site.conf",
		   "minlen = 15\nminclass = 4\n");
	troot_run(&t, NULL);
	assert_int_equal(ifact(&t, "minlen_effective"), 8); /* pwquality.conf wins */
	assert_int_equal(ifact(&t, "minclass"), 3);
	troot_done(&t);
	troot_init(&t, "auth-pwq8");
	snprintf(p, sizeof(p), "%s/etc/security/pwquality.conf", t.s.dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	troot_run(&t, NULL);
	assert_int_equal(ifact(&t, "minlen_effective"), 8); /* libpwquality's default */
	assert_true(t.run.ctx.partial);
	troot_done(&t);
}

/* The pam_stacks entry of service name, NULL if none. */
static const json_t *stack_entry(struct troot *t, const char *name)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(t->run.ctx.inventory, "pam_stacks"), i, e) {
		if (strcmp(json_string_value(json_object_get(e, "service")), name) == 0)
			return e;
	}
	return NULL;
}

static const char *stack_file(struct troot *t, const char *name)
{
	return json_string_value(json_object_get(stack_entry(t, name), "file"));
}

/* A name /etc/pam.d lacks is read from /usr/lib/pam.d, as an include and
 * as a service of its own; /etc/pam.d's file hides the vendor's; a loop
 * through the two directories is refused and named by file and line. */
static void test_vendor_dir(void **state)
{
	struct troot t;
	troot_init(&t, "auth-default");
	write_file(&t, "/etc/pam.d/common-password",
		   "password requisite pam_pwquality.so minlen=20\n@include vendor-password\n");
	write_file(&t, "/usr/lib/pam.d/vendor-password", "password required pam_unix.so\n");
	write_file(&t, "/usr/lib/pam.d/common-password", "password required pam_permit.so\n");
	write_file(&t, "/etc/pam.d/loop-a", "@include loop-b\n");
	write_file(&t, "/usr/lib/pam.d/loop-b", "# b\nauth include loop-a\n");
	troot_run(&t, NULL);
	assert_true(json_is_true(fact(&t, "password_stack_complete")));
	assert_int_equal(ifact(&t, "minlen_effective"), 20);
	assert_string_equal(stack_file(&t, "vendor-password"), "/usr/lib/pam.d/vendor-password");
	assert_string_equal(stack_file(&t, "common-password"), "/etc/pam.d/common-password");
	assert_string_equal(stack_file(&t, "loop-b"), "/usr/lib/pam.d/loop-b");
	assert_true(json_is_false(json_object_get(stack_entry(&t, "loop-a"), "complete")));
	char *msgs = json_dumps(t.run.ctx.messages, JSON_COMPACT);
	assert_non_null(strstr(msgs, "/usr/lib/pam.d/loop-b:2: include loop through loop-a"));
	assert_null(strstr(msgs, "pam_permit"));
	free(msgs);
	troot_done(&t);
}

/* Neither /etc/pam.d nor /usr/lib/pam.d: Linux-PAM reads /etc/pam.conf
 * (service names without case); an include there names a file of the
 * absent directories, so the stack holding it is incomplete. With a
 * /usr/lib/pam.d, pam.conf is not read. */
static void test_pam_conf(void **state)
{
	struct troot t;
	troot_init(&t, NULL);
	write_file(&t, "/etc/pam.conf",
		   "# service type control module\n"
		   "PASSWD password requisite pam_pwquality.so minlen=14\n"
		   "passwd password required pam_unix.so remember=5\n"
		   "login auth required pam_unix.so\n"
		   "login auth include common-auth\n"
		   "sshd bogus\n");
	troot_run(&t, NULL);
	assert_int_equal(ifact(&t, "pam_stacks_read"), 3);
	assert_string_equal(stack_file(&t, "passwd"), "/etc/pam.conf");
	assert_true(json_is_true(fact(&t, "password_stack_complete")));
	assert_int_equal(ifact(&t, "minlen_effective"), 14);
	assert_int_equal(ifact(&t, "remember"), 5);
	assert_true(json_is_false(json_object_get(stack_entry(&t, "login"), "complete")));
	char *msgs = json_dumps(t.run.ctx.messages, JSON_COMPACT);
	assert_non_null(strstr(msgs, "/etc/pam.conf:6"));
	assert_null(strstr(msgs, "/etc/pam.d:"));
	free(msgs);
	troot_done(&t);
	troot_init(&t, NULL);
	write_file(&t, "/etc/pam.conf", "passwd password requisite pam_pwquality.so minlen=14\n");
	write_file(&t, "/usr/lib/pam.d/other", "auth required pam_deny.so\n");
	troot_run(&t, NULL);
	assert_null(stack_entry(&t, "passwd"));
	assert_non_null(stack_entry(&t, "other"));
	troot_done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures),	    cmocka_unit_test(test_no_secret),
	    cmocka_unit_test(test_no_pam),	    cmocka_unit_test(test_login_modules),
	    cmocka_unit_test(test_missing_include), cmocka_unit_test(test_pwquality_order),
	    cmocka_unit_test(test_vendor_dir),	    cmocka_unit_test(test_pam_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
