/* test_accounts.c - the accounts probe run over small roots: the fixture
 * tests/fixtures/unit-accounts/basic (every password state, expiry, keys,
 * groups, sudo grants, malformed lines) and copies of it changed at test
 * time for what git cannot hold or what one case needs (owners, symlinks,
 * a directory planted as shadow, login records). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <lastlog.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmp.h>

#include "lib/limits.h"
#include "probes/probe.h"
#include "lib/util.h"

#define FIX "tests/fixtures/unit-accounts/basic"
/* 2026-03-01T12:00:00Z: day 20513 since the epoch. */
#define NOW ((time_t)1772323200 + 12 * 3600)
#define DAY 86400L

struct troot {
	char dir[64];
	struct fsroot *r;
	struct probe_ctx ctx;
	int ret;
};

/* A scratch copy of the fixture (or an empty root) to change. */
static void troot_init(struct troot *t, bool copy)
{
	char cmd[256];
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/tenken-accounts-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	if (copy) {
		snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s/'", FIX, t->dir);
		assert_int_equal(system(cmd), 0);
	}
}

static void troot_run(struct troot *t, const char *dir)
{
	assert_int_equal(fsroot_open(dir ? dir : t->dir, FSROOT_AUTO, &t->r), 0);
	t->ctx = (struct probe_ctx){
	    .root = t->r,
	    .offline = true,
	    .now = NOW,
	    .inventory = json_object(),
	    .host = json_object(),
	    .messages = json_array(),
	};
	t->ret = probe_accounts_run(&t->ctx);
}

static void troot_done(struct troot *t)
{
	char cmd[128];
	fsroot_free(t->r);
	json_decref(t->ctx.inventory);
	json_decref(t->ctx.host);
	json_decref(t->ctx.messages);
	if (t->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
		assert_int_equal(system(cmd), 0);
	}
}

static void write_file(struct troot *t, const char *path, const char *data, size_t len)
{
	char p[256];
	snprintf(p, sizeof(p), "%s%s", t->dir, path);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void host_path(const struct troot *t, const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s%s", t->dir, path);
}

static json_t *find_by(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		if (strcmp(json_string_value(json_object_get(o, key)), value) == 0)
			return o;
	}
	fail_msg("no element with %s = %s", key, value);
	return NULL;
}

static json_t *account(struct troot *t, const char *name)
{
	return find_by(json_object_get(t->ctx.inventory, "accounts"), "name", name);
}

/* -1 null, 0 false, 1 true */
static void assert_tri(json_t *o, const char *key, int want)
{
	json_t *v = json_object_get(o, key);
	print_message("  %s\n", key);
	assert_non_null(v);
	if (want < 0)
		assert_true(json_is_null(v));
	else
		assert_true(json_is_boolean(v) && json_is_true(v) == (want == 1));
}

/* NULL: JSON null */
static void assert_str(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);
	print_message("  %s\n", key);
	assert_non_null(v);
	if (!want)
		assert_true(json_is_null(v));
	else
		assert_string_equal(json_string_value(v), want);
}

/* LONG_MIN: JSON null */
static void assert_int(json_t *o, const char *key, long want)
{
	json_t *v = json_object_get(o, key);
	print_message("  %s\n", key);
	assert_non_null(v);
	if (want == LONG_MIN)
		assert_true(json_is_null(v));
	else
		assert_int_equal(json_integer_value(v), want);
}

/* The strings of an array joined with ",", or "null". */
static void assert_list(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);
	struct strbuf sb;
	size_t i;
	json_t *s;
	print_message("  %s\n", key);
	if (json_is_null(v)) {
		assert_string_equal("null", want);
		return;
	}
	assert_true(json_is_array(v));
	strbuf_init(&sb, 4096);
	assert_int_equal(strbuf_puts(&sb, ""), 0);
	json_array_foreach(v, i, s) {
		assert_int_equal(strbuf_printf(&sb, "%s%s", i ? "," : "", json_string_value(s)), 0);
	}
	char *got = strbuf_steal(&sb);
	assert_string_equal(got, want);
	free(got);
}

static bool has_message(struct troot *t, const char *needle)
{
	size_t i;
	json_t *m;
	json_array_foreach(t->ctx.messages, i, m) {
		if (strstr(json_string_value(json_object_get(m, "en")), needle))
			return true;
	}
	return false;
}

/* ---- the fixture, account by account -------------------------------- */

#define N (-1)
struct acct_case {
	const char *name;
	long uid;
	int interactive, system;
	const char *password_state;
	int locked, expired, pw_expired, inactive_locked, can_login, home_exists;
	long keys;
	const char *groups;
	long sudo_rules;
	int sudo_all, sudo_nopasswd;
};

static const struct acct_case acct_cases[] = {
    {"alice", 1000, 1, 0, "set", 0, 0, 0, 0, 1, 1, 3, "adm,alice,sudo", 2, 1, 0},
    {"bob", 1001, 1, 0, "set", 0, 0, 1, 0, 1, 1, 0, "bob", 1, 0, 0},
    {"carol", 1002, 1, 0, "set", 0, 1, 0, 0, 0, 1, 0, "carol,sudo", 2, 1, 0},
    {"daemon", 1, 0, 1, "disabled", 1, 0, 0, 0, 0, 0, 0, "daemon", 1, 0, 0},
    {"dave", 1003, 1, 0, "locked", 1, 0, 0, 0, 0, 1, 0, "dave", 0, 0, 0},
    {"eve", 1004, 1, 0, "empty", 0, 0, 0, 0, 1, 1, 0, "eve", 3, 1, 1},
    {"frank", 1005, 1, 0, "disabled", 1, 0, 0, 0, 0, 0, 0, "frank", 1, 0, 0},
    {"gina", 1006, 1, 0, "set", 0, 0, 1, 1, 0, 1, 0, "users", 2, 0, 0},
    {"keyonly", 1007, 1, 0, "disabled", 1, 0, 0, 0, 1, 1, 1, "keyonly", 1, 0, 0},
    {"root", 0, 1, 1, "set", 0, 0, 0, 0, 1, 1, 0, "root", 2, 1, 0},
    {"svc", 998, 1, 1, "disabled", 1, 0, 0, 0, 0, 0, 0, "svc", 1, 0, 0},
};
#undef N

static void test_basic_accounts(void **state)
{
	struct troot t = {0};
	troot_run(&t, FIX);
	assert_int_equal(t.ret, 0);
	json_t *accounts = json_object_get(t.ctx.inventory, "accounts");
	assert_int_equal(json_array_size(accounts), ARRAY_SIZE(acct_cases));
	for (size_t i = 0; i < ARRAY_SIZE(acct_cases); i++) {
		const struct acct_case *c = &acct_cases[i];
		json_t *a = json_array_get(accounts, i); /* sorted by name */
		print_message("account %s\n", c->name);
		assert_str(a, "name", c->name);
		assert_int(a, "uid", c->uid);
		assert_tri(a, "interactive", c->interactive);
		assert_tri(a, "system", c->system);
		assert_str(a, "password_state", c->password_state);
		assert_tri(a, "locked", c->locked);
		assert_tri(a, "expired", c->expired);
		assert_tri(a, "password_expired", c->pw_expired);
		assert_tri(a, "inactive_locked", c->inactive_locked);
		assert_tri(a, "can_login", c->can_login);
		assert_tri(a, "home_exists", c->home_exists);
		assert_int(a, "authorized_keys", c->keys);
		assert_list(a, "groups", c->groups);
		assert_int(a, "sudo_rules", c->sudo_rules);
		assert_tri(a, "sudo_all", c->sudo_all);
		assert_tri(a, "sudo_nopasswd", c->sudo_nopasswd);
	}
	troot_done(&t);
}

static void test_basic_dates(void **state)
{
	struct troot t = {0};
	troot_run(&t, FIX);
	json_t *alice = account(&t, "alice");
	assert_str(alice, "password_changed", "2026-02-16T00:00:00Z"); /* day 20500 */
	assert_int(alice, "days_since_password_change", 13);
	assert_int(alice, "account_age_days", 13);
	assert_int(alice, "password_max_days", 99999);
	assert_int(alice, "password_inactive_days", LONG_MIN);
	assert_str(alice, "account_expires", NULL);
	assert_tri(alice, "shadow_entry", 1);
	assert_tri(alice, "password_must_change", 0);
	json_t *bob = account(&t, "bob"); /* lastchg 0 */
	assert_tri(bob, "password_must_change", 1);
	assert_str(bob, "password_changed", NULL);
	assert_int(bob, "days_since_password_change", LONG_MIN);
	assert_str(bob, "shell", "");
	json_t *carol = account(&t, "carol");
	assert_str(carol, "account_expires", "2025-11-08T00:00:00Z"); /* day 20400 */
	json_t *gina = account(&t, "gina");
	assert_int(gina, "password_max_days", 90);
	assert_int(gina, "password_inactive_days", 10);
	assert_int(gina, "days_since_password_change", 213);
	assert_str(gina, "primary_group", "users");
	json_t *frank = account(&t, "frank");
	assert_tri(frank, "shadow_entry", 0);
	assert_str(frank, "password_changed", NULL);
	assert_tri(frank, "expired", 0);
	/* no login source in this root: unknown, not "never" */
	assert_tri(alice, "ever_logged_in", -1);
	assert_str(alice, "last_login", NULL);
	assert_str(alice, "last_login_source", NULL);
	assert_int(alice, "days_since_login", LONG_MIN);
	assert_list(alice, "authorized_keys_files",
		    "/home/alice/.ssh/authorized_keys,/home/alice/.ssh/authorized_keys2");
	assert_list(account(&t, "bob"), "authorized_keys_files", "");
	troot_done(&t);
}

static void test_basic_messages(void **state)
{
	struct troot t = {0};
	troot_run(&t, FIX);
	assert_true(has_message(&t, "/etc/passwd:12: duplicate name"));
	assert_true(has_message(&t, "/etc/passwd:13: UID is not a number"));
	assert_true(has_message(&t, "/etc/passwd:14: NIS compat entry"));
	assert_true(has_message(&t, "/etc/group:14: duplicate name"));
	assert_false(has_message(&t, "/etc/shadow"));
	/* the duplicate "alice" (uid 0) did not replace the first */
	assert_int(account(&t, "alice"), "uid", 1000);
	troot_done(&t);
}

static void test_basic_groups(void **state)
{
	struct troot t = {0};
	troot_run(&t, FIX);
	json_t *groups = json_object_get(t.ctx.inventory, "groups");
	assert_int_equal(json_array_size(groups), 13);
	assert_string_equal(json_string_value(json_object_get(json_array_get(groups, 0), "name")),
			    "adm");
	json_t *adm = find_by(groups, "name", "adm");
	assert_list(adm, "members", "alice,ghost");
	assert_list(adm, "administrators", "");
	assert_tri(adm, "has_password", 1);
	json_t *sudo = find_by(groups, "name", "sudo");
	assert_int(sudo, "gid", 27);
	assert_list(sudo, "members", "alice,carol");
	assert_list(sudo, "administrators", "alice");
	assert_tri(sudo, "has_password", 0);
	assert_list(find_by(groups, "name", "users"), "members", "gina");
	assert_list(find_by(groups, "name", "alice"), "members", "alice");
	json_t *daemon = find_by(groups, "name", "daemon"); /* no gshadow line */
	assert_list(daemon, "administrators", "");
	assert_tri(daemon, "has_password", 0);
	troot_done(&t);
}

static void test_basic_login_defs(void **state)
{
	struct troot t = {0};
	troot_run(&t, FIX);
	json_t *d = json_object_get(t.ctx.inventory, "login_defs");
	assert_int(d, "uid_min", 1000); /* 500 first, 1000 last: last wins */
	assert_int(d, "sys_uid_max", 999);
	assert_int(d, "pass_max_days", 99999);
	assert_int(d, "pass_min_days", 0);
	assert_int(d, "pass_warn_age", 7);
	assert_int(d, "pass_min_len", LONG_MIN);
	assert_str(d, "umask", "0022");
	assert_str(d, "encrypt_method", "SHA512");
	assert_int(d, "useradd_inactive", 30);
	assert_str(d, "useradd_shell", "/bin/sh");
	assert_str(d, "useradd_expire", "");
	troot_done(&t);
}

/* Every collection the probe wrote holds exactly its declared columns. */
static void check_columns(json_t *obj, const struct collection *c)
{
	size_t n = 0;
	for (const struct column *col = c->columns; col->name; col++, n++) {
		print_message("  %s.%s\n", c->name, col->name);
		assert_non_null(json_object_get(obj, col->name));
	}
	assert_int_equal(json_object_size(obj), n);
}

static void test_schema(void **state)
{
	struct troot t = {0};
	troot_run(&t, FIX);
	for (const struct collection *c = accounts_collections; c->name; c++) {
		json_t *v = json_object_get(t.ctx.inventory, c->name);
		size_t i;
		json_t *o;
		print_message("collection %s\n", c->name);
		assert_non_null(v);
		if (c->single) {
			check_columns(v, c);
			continue;
		}
		if (json_is_null(v))
			continue;
		json_array_foreach(v, i, o)
			check_columns(o, c);
	}
	troot_done(&t);
}

/* The hashes in shadow and gshadow and the key material in
 * authorized_keys all carry a marker; none may reach the report. */
static void test_no_secrets(void **state)
{
	struct troot t = {0};
	troot_run(&t, FIX);
	char *inv = json_dumps(t.ctx.inventory, JSON_COMPACT);
	char *msgs = json_dumps(t.ctx.messages, JSON_COMPACT);
	assert_non_null(inv);
	assert_non_null(msgs);
	static const char *const secrets[] = {
	    "SECRETHASHMARKER",	    "fixturesalt",    "$6$", "$y$", "KEYMATERIALMARKER",
	    "AAAAC3NzaC1lZDI1NTE5", "AAAAB3NzaC1yc2E"};
	for (size_t i = 0; i < ARRAY_SIZE(secrets); i++) {
		print_message("secret %s\n", secrets[i]);
		assert_null(strstr(inv, secrets[i]));
		assert_null(strstr(msgs, secrets[i]));
	}
	assert_non_null(strstr(inv, "\"alice\"")); /* the dump is real */
	free(inv);
	free(msgs);
	troot_done(&t);
}

/* ---- changed copies ----------------------------------------------- */

static void test_files_owners_and_symlinks(void **state)
{
	struct troot t;
	char p[256], q[256];
	if (geteuid() != 0)
		skip();
	troot_init(&t, true);
	host_path(&t, "/etc/shadow", p, sizeof(p));
	assert_int_equal(chown(p, 0, 27), 0); /* group sudo */
	assert_int_equal(chmod(p, 0640), 0);
	host_path(&t, "/etc/passwd", p, sizeof(p));
	assert_int_equal(chown(p, 1000, 12345), 0); /* no such group */
	host_path(&t, "/etc/gshadow", p, sizeof(p));
	host_path(&t, "/etc/gshadow.real", q, sizeof(q));
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(chmod(q, 0600), 0);
	assert_int_equal(symlink("/../../etc/gshadow.real", p), 0);
	host_path(&t, "/etc/login.defs", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("nowhere", p), 0);
	troot_run(&t, NULL);
	json_t *files = json_object_get(t.ctx.inventory, "files");
	json_t *shadow = find_by(files, "path", "/etc/shadow");
	assert_tri(shadow, "exists", 1);
	assert_str(shadow, "type", "file");
	assert_str(shadow, "mode", "0640");
	assert_str(shadow, "owner", "root");
	assert_str(shadow, "group", "sudo");
	json_t *passwd = find_by(files, "path", "/etc/passwd");
	assert_str(passwd, "owner", "alice");
	assert_int(passwd, "gid", 12345);
	assert_str(passwd, "group", NULL);
	json_t *gshadow = find_by(files, "path", "/etc/gshadow");
	assert_str(gshadow, "type", "symlink");
	assert_str(gshadow, "mode", "0600"); /* the target's, inside the root */
	json_t *defs = find_by(files, "path", "/etc/login.defs");
	assert_tri(defs, "exists", 1);
	assert_str(defs, "type", "symlink");
	assert_str(defs, "mode", NULL);
	/* the gshadow symlink was read through; the dangling login.defs not */
	assert_list(find_by(json_object_get(t.ctx.inventory, "groups"), "name", "sudo"),
		    "administrators", "alice");
	assert_int(json_object_get(t.ctx.inventory, "login_defs"), "uid_min", LONG_MIN);
	/* files are sorted by path */
	const char *prev = "";
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f) {
		const char *path = json_string_value(json_object_get(f, "path"));
		assert_true(strcmp(prev, path) < 0);
		prev = path;
	}
	troot_done(&t);
}

static void check_shadow_unknown(struct troot *t)
{
	assert_int_equal(t->ret, 0);
	assert_true(t->ctx.partial);
	assert_true(has_message(t, "/etc/shadow"));
	json_t *alice = account(t, "alice");
	assert_str(alice, "password_state", NULL);
	assert_tri(alice, "locked", -1);
	assert_tri(alice, "shadow_entry", -1);
	assert_tri(alice, "expired", -1);
	assert_tri(alice, "password_expired", -1);
	assert_str(alice, "password_changed", NULL);
	assert_tri(alice, "can_login", -1); /* keys, but is the account expired? */
	assert_tri(account(t, "bob"), "can_login", -1);
	assert_tri(account(t, "daemon"), "can_login", 0); /* nologin decides */
	assert_tri(account(t, "carol"), "can_login", -1);
}

static void test_shadow_missing(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, true);
	host_path(&t, "/etc/shadow", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	troot_run(&t, NULL);
	check_shadow_unknown(&t);
	troot_done(&t);
}

static void test_shadow_not_a_file(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, true);
	host_path(&t, "/etc/shadow", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0600), 0); /* must not block the scan */
	troot_run(&t, NULL);
	check_shadow_unknown(&t);
	troot_done(&t);
}

static void test_group_missing(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, true);
	host_path(&t, "/etc/group", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	troot_run(&t, NULL);
	assert_int_equal(t.ret, 0);
	assert_true(t.ctx.partial);
	assert_true(json_is_null(json_object_get(t.ctx.inventory, "groups")));
	json_t *alice = account(&t, "alice");
	assert_list(alice, "groups", "null");
	assert_str(alice, "primary_group", NULL);
	/* %sudo cannot match without groups; "ALL, !dave" still does */
	assert_int(alice, "sudo_rules", 1);
	troot_done(&t);
}

static void test_passwd_missing(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, true);
	host_path(&t, "/etc/passwd", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	troot_run(&t, NULL);
	assert_int_equal(t.ret, -ENOENT);
	assert_null(json_object_get(t.ctx.inventory, "accounts"));
	assert_true(has_message(&t, "/etc/passwd"));
	troot_done(&t);
}

static void test_empty_root(void **state)
{
	struct troot t;
	troot_init(&t, false);
	troot_run(&t, NULL);
	assert_int_equal(t.ret, -ENOENT);
	troot_done(&t);
}

/* A hostile passwd: garbage, NUL bytes, a huge line; the probe reports a
 * bounded number of messages and keeps the good lines. */
static void test_hostile_passwd(void **state)
{
	struct troot t;
	struct strbuf sb;
	troot_init(&t, true);
	strbuf_init(&sb, 8u << 20);
	assert_int_equal(strbuf_puts(&sb, "root:x:0:0::/root:/bin/bash\n"), 0);
	for (int i = 0; i < 500; i++)
		assert_int_equal(strbuf_printf(&sb, "junk%d\n", i), 0);
	assert_int_equal(strbuf_append(&sb, "nul\0user:x:5:5::/:/bin/sh\n", 26), 0);
	for (int i = 0; i < 200000; i++)
		assert_int_equal(strbuf_puts(&sb, "A"), 0);
	assert_int_equal(strbuf_puts(&sb, "\n\xff\xfe:x:77:77::/nowhere:/bin/sh"), 0);
	write_file(&t, "/etc/passwd", sb.s, sb.len);
	strbuf_free(&sb);
	troot_run(&t, NULL);
	assert_int_equal(t.ret, 0);
	json_t *accounts = json_object_get(t.ctx.inventory, "accounts");
	assert_int_equal(json_array_size(accounts), 2);
	assert_int(find_by(accounts, "name", "\\xff\\xfe"), "uid", 77);
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(t.ctx.messages, i, m) {
		n += strncmp(json_string_value(json_object_get(m, "en")), "/etc/passwd", 11) == 0;
	}
	assert_int_equal(n, LIMIT_LINE_MESSAGES + 1);
	assert_true(has_message(&t, "/etc/passwd: 482 more problems"));
	troot_done(&t);
}

/* ---- last logins ---------------------------------------------------- */

static void make_dirs(struct troot *t, const char *path)
{
	char p[256];
	host_path(t, path, p, sizeof(p));
	for (char *c = p + strlen(t->dir) + 1; (c = strchr(c, '/')); c++) {
		*c = '\0';
		mkdir(p, 0755);
		*c = '/';
	}
	mkdir(p, 0755);
}

static void test_lastlog(void **state)
{
	struct troot t;
	struct lastlog ll = {.ll_time = (int32_t)(NOW - 10 * DAY)};
	char p[256];
	troot_init(&t, true);
	make_dirs(&t, "/var/log");
	strncpy(ll.ll_line, "pts/0", sizeof(ll.ll_line));
	strncpy(ll.ll_host, "192.0.2.7", sizeof(ll.ll_host));
	host_path(&t, "/var/log/lastlog", p, sizeof(p));
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &ll, sizeof(ll), 1000 * (off_t)sizeof(ll)), sizeof(ll));
	close(fd);
	troot_run(&t, NULL);
	json_t *alice = account(&t, "alice");
	assert_str(alice, "last_login", "2026-02-19T12:00:00Z");
	assert_str(alice, "last_login_source", "lastlog");
	assert_str(alice, "last_login_from", "192.0.2.7");
	assert_tri(alice, "ever_logged_in", 1);
	assert_int(alice, "days_since_login", 10);
	/* lastlog is complete: absent means never */
	json_t *bob = account(&t, "bob");
	assert_str(bob, "last_login", NULL);
	assert_str(bob, "last_login_source", "none");
	assert_tri(bob, "ever_logged_in", 0);
	assert_int(bob, "days_since_login", LONG_MIN);
	assert_non_null(json_object_get(t.ctx.inventory, "login_sources"));
	troot_done(&t);
}

static void utmp_record(int fd, short type, const char *user, const char *line, const char *host,
			time_t when)
{
	struct utmp u;
	memset(&u, 0, sizeof(u));
	u.ut_type = type;
	u.ut_pid = 100;
	strncpy(u.ut_user, user, sizeof(u.ut_user));
	strncpy(u.ut_line, line, sizeof(u.ut_line));
	strncpy(u.ut_host, host, sizeof(u.ut_host));
	u.ut_tv.tv_sec = (int32_t)when;
	assert_int_equal(write(fd, &u, sizeof(u)), sizeof(u));
}

/* Only wtmp, which starts at a horizon: an account missing from it never
 * logged in only if it was created after the horizon. */
static void test_wtmp_horizon(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, true);
	make_dirs(&t, "/var/log");
	host_path(&t, "/var/log/wtmp", p, sizeof(p));
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	utmp_record(fd, BOOT_TIME, "reboot", "~", "6.1.0", 19999 * DAY + 43200);
	utmp_record(fd, USER_PROCESS, "alice", "pts/1", "198.51.100.2", NOW - 2 * DAY);
	close(fd);
	troot_run(&t, NULL);
	json_t *alice = account(&t, "alice");
	assert_str(alice, "last_login_source", "wtmp");
	assert_str(alice, "last_login_from", "198.51.100.2");
	assert_int(alice, "days_since_login", 2);
	json_t *root = account(&t, "root"); /* created day 20000, after the horizon */
	assert_tri(root, "ever_logged_in", 0);
	assert_str(root, "last_login_source", "none");
	json_t *daemon = account(&t, "daemon"); /* day 19000: may have, before it */
	assert_tri(daemon, "ever_logged_in", -1);
	assert_str(daemon, "last_login_source", NULL);
	assert_tri(account(&t, "bob"), "ever_logged_in", -1); /* no creation date */
	troot_done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic_accounts),
	    cmocka_unit_test(test_basic_dates),
	    cmocka_unit_test(test_basic_messages),
	    cmocka_unit_test(test_basic_groups),
	    cmocka_unit_test(test_basic_login_defs),
	    cmocka_unit_test(test_schema),
	    cmocka_unit_test(test_no_secrets),
	    cmocka_unit_test(test_files_owners_and_symlinks),
	    cmocka_unit_test(test_shadow_missing),
	    cmocka_unit_test(test_shadow_not_a_file),
	    cmocka_unit_test(test_group_missing),
	    cmocka_unit_test(test_passwd_missing),
	    cmocka_unit_test(test_empty_root),
	    cmocka_unit_test(test_hostile_passwd),
	    cmocka_unit_test(test_lastlog),
	    cmocka_unit_test(test_wtmp_horizon),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
