/* test_logging.c - whole runs of the logging probe over the fixture roots
 * tests/fixtures/logging-*: the facts each root plants, the output
 * against the declared columns, and the hostile root (include loops, a
 * missing include, a 10,000-line logrotate file, binary garbage) giving
 * messages, not crashes. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/read/fsroot.h"
#include "probes/probe.h"

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
	r->ctx.now = 1795305600; /* 2026-11-22 */
	r->ctx.inventory = json_object();
	r->ctx.host = json_object();
	r->ctx.messages = json_array();
	assert_int_equal(probe_logging_run(&r->ctx), 0);
}

static void run_free(struct run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

static const json_t *fact(const struct run *r, const char *key)
{
	const json_t *v = json_object_get(json_object_get(r->ctx.inventory, "logging"), key);
	if (!v)
		fail_msg("fact %s missing", key);
	return v;
}

static bool is_true(const struct run *r, const char *key)
{
	return json_is_true(fact(r, key));
}

static const json_t *log_file(const struct run *r, const char *path)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(r->ctx.inventory, "log_files"), i, f) {
		if (strcmp(json_string_value(json_object_get(f, "path")), path) == 0)
			return f;
	}
	fail_msg("no log_files entry for %s", path);
	return NULL;
}

/* Every key is a declared column and every column is present. */
static void check_schema(const json_t *obj, const struct collection *c)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		if (!column_find(c, key))
			fail_msg("%s: undeclared key %s", c->name, key);
	}
	for (const struct column *col = c->columns; col->name; col++)
		if (!json_object_get(obj, col->name))
			fail_msg("%s: column %s missing", c->name, col->name);
}

static void check_all_schema(const struct run *r)
{
	size_t i;
	json_t *f;
	check_schema(json_object_get(r->ctx.inventory, "logging"), &logging_collections[0]);
	json_array_foreach(json_object_get(r->ctx.inventory, "log_files"), i, f)
		check_schema(f, &logging_collections[1]);
}

static bool has_message(const struct run *r, const char *needle)
{
	size_t i;
	json_t *m;
	json_array_foreach(r->ctx.messages, i, m) {
		if (strstr(json_string_value(json_object_get(m, "en")), needle))
			return true;
	}
	return false;
}

static void test_good(void **state)
{
	struct run r;
	(void)state;
	run_probe(&r, "tests/fixtures/logging-good");
	check_all_schema(&r);
	assert_false(r.ctx.partial);
	/* /etc drop-in overrides the same-named /usr/lib one. */
	assert_string_equal(json_string_value(fact(&r, "journald_storage")), "persistent");
	assert_string_equal(json_string_value(fact(&r, "journald_storage_source")),
			    "/etc/systemd/journald.conf.d/50-vendor.conf:3");
	assert_int_equal(json_integer_value(fact(&r, "journald_retention_days")), 365);
	assert_string_equal(json_string_value(fact(&r, "syslog_daemon")), "rsyslog");
	assert_true(is_true(&r, "syslog_remote_forwarding"));
	assert_string_equal(json_string_value(json_array_get(fact(&r, "syslog_remote_targets"), 0)),
			    "loghost.hospital.local");
	assert_string_equal(json_string_value(fact(&r, "auth_log_path")), "/var/log/auth.log");
	assert_true(is_true(&r, "auditd_installed"));
	assert_true(is_true(&r, "auditd_enabled"));
	assert_true(is_true(&r, "audit_immutable"));
	assert_true(is_true(&r, "audit_watches_logins"));
	assert_true(is_true(&r, "audit_watches_sudo"));
	assert_true(is_true(&r, "audit_watches_accounts"));
	assert_int_equal(json_integer_value(fact(&r, "wtmp_retention_days")), 360);
	const json_t *auth = log_file(&r, "/var/log/auth.log");
	assert_string_equal(json_string_value(json_object_get(auth, "role")), "auth");
	assert_int_equal(json_integer_value(json_object_get(auth, "retention_days")), 182);
	assert_string_equal(json_string_value(json_object_get(auth, "rotate_source")),
			    "/etc/logrotate.d/rsyslog:4");
	assert_string_equal(json_string_value(json_object_get(auth, "owner")), "root");
	const json_t *sys = log_file(&r, "/var/log/syslog");
	assert_string_equal(json_string_value(json_object_get(sys, "role")), "syslog");
	const json_t *cron = log_file(&r, "/var/log/cron.log");
	assert_string_equal(json_string_value(json_object_get(cron, "role")), "other");
	run_free(&r);
}

static void test_volatile_and_week(void **state)
{
	struct run r;
	(void)state;
	run_probe(&r, "tests/fixtures/logging-volatile");
	check_all_schema(&r);
	assert_string_equal(json_string_value(fact(&r, "journald_storage")), "volatile");
	assert_false(is_true(&r, "journald_persistent"));
	assert_string_equal(json_string_value(fact(&r, "syslog_daemon")), "none");
	assert_int_equal(json_array_size(fact(&r, "auth_log_files")), 0);
	assert_true(json_is_null(fact(&r, "auth_log_path")));
	run_free(&r);

	run_probe(&r, "tests/fixtures/logging-week");
	const json_t *auth = log_file(&r, "/var/log/auth.log");
	assert_int_equal(json_integer_value(json_object_get(auth, "retention_days")), 7);
	assert_false(json_is_true(json_object_get(auth, "retention_unlimited")));
	run_free(&r);
}

static void test_empty_root(void **state)
{
	/* Nothing installed: explicit absence, not unknown. */
	struct run r;
	char dir[] = "/tmp/tenken-logging-XXXXXX";
	(void)state;
	assert_non_null(mkdtemp(dir));
	run_probe(&r, dir);
	check_all_schema(&r);
	assert_string_equal(json_string_value(fact(&r, "syslog_daemon")), "none");
	assert_false(is_true(&r, "auditd_installed"));
	assert_string_equal(json_string_value(fact(&r, "journald_storage")), "none");
	assert_true(is_true(&r, "wtmp_retention_unlimited"));
	run_free(&r);
	rmdir(dir);
}

static void test_hostile(void **state)
{
	struct run r;
	(void)state;
	run_probe(&r, "tests/fixtures/logging-hostile");
	check_all_schema(&r);
	assert_true(r.ctx.partial);
	assert_true(has_message(&r, "/etc/rsyslog.conf: include loop"));
	assert_true(has_message(&r, "/etc/rsyslog.d/a.conf: include loop"));
	assert_true(has_message(&r, "/etc/logrotate.conf: include loop"));
	assert_true(has_message(&r, "the included file does not exist"));
	assert_true(has_message(&r, "99-garbage.rules"));
	assert_true(has_message(&r, "more problem lines"));
	/* The sane lines still count. */
	assert_string_equal(json_string_value(fact(&r, "auth_log_path")), "/var/log/auth.log");
	assert_true(is_true(&r, "syslog_remote_forwarding"));
	assert_true(is_true(&r, "audit_watches_accounts"));
	/* The 10,000-line logrotate file was read whole: its blocks apply. */
	assert_true(json_array_size(r.ctx.messages) < 200);
	run_free(&r);
}

/* A copy of logging-good in a scratch directory, changed by a shell
 * command run inside it: each hostile case fails to read as root too (a
 * symbolic link loop, a FIFO where a directory or file should be). */
static void run_mutated(struct run *r, char *dir, const char *cmd)
{
	char sh[1024];
	assert_non_null(mkdtemp(dir));
	snprintf(sh, sizeof(sh), "cp -a tests/fixtures/logging-good/. '%s' && cd '%s' && %s", dir,
		 dir, cmd);
	assert_int_equal(system(sh), 0);
	run_probe(r, dir);
	check_all_schema(r);
}

static void rm_scratch(const char *dir)
{
	char sh[512];
	snprintf(sh, sizeof(sh), "rm -rf '%s'", dir);
	assert_int_equal(system(sh), 0);
}

static bool is_null(const struct run *r, const char *key)
{
	return json_is_null(fact(r, key));
}

/* Absent (ENOENT) drives a definite answer; could not read makes the
 * fact null with a message naming the file and the error. */
static void test_unreadable_not_absent(void **state)
{
	struct run r;
	(void)state;
	{
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(&r, dir, "rm etc/rsyslog.conf && ln -s rsyslog.conf etc/rsyslog.conf");
		assert_true(r.ctx.partial);
		assert_true(is_true(&r, "rsyslog_installed"));
		assert_true(is_true(&r, "rsyslog_enabled"));
		assert_string_equal(json_string_value(fact(&r, "syslog_daemon")), "rsyslog");
		assert_true(is_null(&r, "auth_log_files"));
		assert_true(is_null(&r, "syslog_remote_forwarding"));
		assert_true(is_null(&r, "auth_log_present"));
		assert_true(has_message(&r, "/etc/rsyslog.conf: symbolic link loop"));
		run_free(&r);
		rm_scratch(dir);
	}
	{
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(&r, dir,
			    "rm -r etc/systemd/system/multi-user.target.wants && "
			    "mkfifo etc/systemd/system/multi-user.target.wants");
		assert_true(is_true(&r, "rsyslog_installed"));
		assert_true(is_null(&r, "rsyslog_enabled"));
		assert_true(is_null(&r, "syslog_daemon"));
		assert_true(is_null(&r, "auth_log_files"));
		assert_true(is_true(&r, "auditd_installed"));
		assert_true(is_null(&r, "auditd_enabled"));
		assert_true(has_message(&r,
					"/etc/systemd/system/multi-user.target.wants/"
					"rsyslog.service: a path component is not a directory"));
		run_free(&r);
		rm_scratch(dir);
	}
	{
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(&r, dir, "rm -r etc/logrotate.d && ln -s logrotate.d etc/logrotate.d");
		assert_true(is_null(&r, "wtmp_retention_days"));
		assert_true(is_null(&r, "wtmp_retention_unlimited"));
		assert_true(json_is_null(
		    json_object_get(log_file(&r, "/var/log/auth.log"), "retention_days")));
		assert_true(json_is_null(
		    json_object_get(log_file(&r, "/var/log/auth.log"), "retention_unlimited")));
		assert_true(has_message(&r, "/etc/logrotate.d: symbolic link loop"));
		run_free(&r);
		rm_scratch(dir);
	}
	{
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(&r, dir,
			    "rm -r etc/audit/rules.d && ln -s audit.rules etc/audit/audit.rules && "
			    "rm etc/audit/auditd.conf && mkfifo etc/audit/auditd.conf && "
			    "rm sbin/auditd && ln -s ../sbin/auditd sbin/auditd");
		assert_true(is_null(&r, "auditd_installed"));
		assert_true(is_null(&r, "auditd_enabled"));
		assert_true(is_null(&r, "auditd_log_file"));
		assert_true(is_null(&r, "audit_rules_source"));
		assert_true(is_null(&r, "audit_rules"));
		assert_true(is_null(&r, "audit_watches_logins"));
		assert_true(has_message(&r, "/etc/audit/audit.rules: symbolic link loop"));
		assert_true(has_message(&r, "/etc/audit/auditd.conf: not a regular file"));
		assert_true(has_message(&r, "/sbin/auditd: symbolic link loop"));
		run_free(&r);
		rm_scratch(dir);
	}
	{
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(&r, dir,
			    "rm usr/lib/systemd/systemd-journald && "
			    "ln -s systemd-journald usr/lib/systemd/systemd-journald");
		assert_true(is_null(&r, "journald_installed"));
		assert_true(is_null(&r, "journald_storage"));
		assert_true(is_null(&r, "journald_persistent"));
		run_free(&r);
		rm_scratch(dir);
	}
	{
		/* The same evidence absent: definite answers. */
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(&r, dir,
			    "rm -r etc/audit sbin/auditd usr/sbin/rsyslogd "
			    "usr/lib/systemd/systemd-journald etc/logrotate.d");
		assert_false(is_true(&r, "auditd_installed"));
		assert_false(is_null(&r, "auditd_installed"));
		assert_false(is_null(&r, "auditd_enabled"));
		assert_string_equal(json_string_value(fact(&r, "audit_rules_source")), "none");
		assert_string_equal(json_string_value(fact(&r, "syslog_daemon")), "none");
		assert_string_equal(json_string_value(fact(&r, "journald_storage")), "none");
		assert_false(is_null(&r, "wtmp_retention_unlimited"));
		run_free(&r);
		rm_scratch(dir);
	}
}

/* Every limit is a message naming the file, the limit and what was not
 * read, and the facts depending on what was not read are unknown. */
static void test_limits_are_messages(void **state)
{
	struct run r;
	(void)state;
	{
		/* more configuration files than LIMIT_LOG_CONFIG_FILES */
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(&r, dir,
			    "i=0; while [ $i -lt 1100 ]; do echo '# x' >etc/rsyslog.d/$i.conf; "
			    "i=$((i+1)); done");
		assert_true(r.ctx.partial);
		assert_true(has_message(&r, "more than 1024 configuration files "
					    "(LIMIT_LOG_CONFIG_FILES): this file and every later "
					    "one were not read"));
		assert_true(is_null(&r, "auth_log_files")); /* what they said is not known */
		run_free(&r);
		rm_scratch(dir);
	}
	{
		/* includes deeper than LIMIT_INCLUDE_DEPTH, a file over
		 * LIMIT_CONFIG_FILE, lines over the line limits */
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(
		    &r, dir,
		    "echo '$IncludeConfig /etc/rsyslog.d/n1.conf' >etc/rsyslog.d/60-remote.conf"
		    " && i=1; while [ $i -lt 20 ]; do "
		    "echo \"\\$IncludeConfig /etc/rsyslog.d/n$((i+1)).conf\" "
		    ">etc/rsyslog.d/n$i.inc; i=$((i+1)); done; "
		    "for f in etc/rsyslog.d/n*.inc; do mv $f ${f%.inc}.conf; done; "
		    "head -c 5000000 /dev/zero | tr '\\0' '#' >etc/logrotate.d/big; "
		    "printf '/var/log/x {\\n  rotate 1 %05000d\\n}\\n' 0 >>etc/logrotate.d/wtmp; "
		    "printf -- '-w /etc/x -p wa -k %07000d\\n' 0 "
		    ">>etc/audit/rules.d/50-tenken.rules");
		assert_true(has_message(&r, "includes nested deeper than 16 (LIMIT_INCLUDE_DEPTH): "
					    "this file and what it includes were not read"));
		assert_true(has_message(&r, "/etc/logrotate.d/big: larger than 4 MiB "
					    "(LIMIT_CONFIG_FILE): the whole file was not read"));
		assert_true(has_message(&r, "line longer than 4096 bytes (LIMIT_PATH): not read"));
		assert_true(has_message(&r, "longer than 6143 bytes, which auditctl reads in "
					    "pieces: tenken did not read this line"));
		assert_true(is_null(&r, "auth_log_files"));
		assert_true(is_null(&r, "wtmp_retention_days"));
		run_free(&r);
		rm_scratch(dir);
	}
	{
		/* more log files than LIMIT_LOG_FILES */
		char dir[] = "/tmp/tenken-logging-XXXXXX";
		run_mutated(&r, dir,
			    "i=0; while [ $i -lt 300 ]; do echo \"local0.* /var/log/f$i\"; "
			    "i=$((i+1)); done >etc/rsyslog.d/70-many.conf");
		assert_true(r.ctx.partial);
		assert_true(has_message(&r, "more than 256 log files (LIMIT_LOG_FILES)"));
		run_free(&r);
		rm_scratch(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_volatile_and_week),
	    cmocka_unit_test(test_empty_root),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_unreadable_not_absent),
	    cmocka_unit_test(test_limits_are_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
