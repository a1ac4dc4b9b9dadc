/* test_accounts_parse.c - the pure parsers behind the accounts probe:
 * passwd, shadow (states and dates), group, gshadow, login.defs,
 * /etc/default/useradd, authorized_keys and shells, over tables of
 * normal and hostile inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "probes/parse/accounts_parse.h"
#include "lib/limits.h"
#include "lib/util.h"

/* 2026-03-01T12:00:00Z: day 20513 since the epoch. */
#define NOW   ((time_t)1772323200 + 12 * 3600)
#define TODAY 20513L

static const char hash6[] = "$6$rounds=5000$saltsalt$Q0bQmEj5bKe8xU3cYbqF2sHnLw1rT0vA9zP";

/* ---- passwd --------------------------------------------------------- */

struct pw_case {
	const char *what;
	const char *in;
	size_t len; /* 0: strlen(in) */
	size_t want_n;
	size_t want_issues;
	unsigned issue_line; /* line of the first issue */
	const char *first;   /* name of the first entry */
};

static const struct pw_case pw_cases[] = {
    {"normal", "root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000:Bob,,,:/home/bob:/bin/sh\n", 0, 2,
     0, 0, "root"},
    {"crlf", "root:x:0:0:root:/root:/bin/bash\r\nbob:x:1000:1000::/home/bob:/bin/sh\r\n", 0, 2, 0,
     0, "root"},
    {"no final newline", "root:x:0:0:root:/root:/bin/bash\nbob:x:1:1::/:", 0, 2, 0, 0, "root"},
    {"comments and blanks", "# comment\n\n   \n  # indented\nroot:x:0:0::/root:/bin/sh\n", 0, 1, 0,
     0, "root"},
    {"leading blanks skipped as glibc does", "  \troot:x:0:0::/root:/bin/sh\n", 0, 1, 0, 0, "root"},
    {"too few fields", "root:x:0:0::/root\nbob:x:1:1::/:/bin/sh\n", 0, 1, 1, 1, "bob"},
    {"too many fields", "root:x:0:0::/root:/bin/sh:extra\nbob:x:1:1::/:/bin/sh\n", 0, 1, 1, 1,
     "bob"},
    {"non-numeric uid", "a:x:zero:0::/:/bin/sh\nb:x:1:1::/:\n", 0, 1, 1, 1, "b"},
    {"negative uid", "a:x:-1:0::/:/bin/sh\n", 0, 0, 1, 1, NULL},
    {"signed uid", "a:x:+5:0::/:/bin/sh\n", 0, 0, 1, 1, NULL},
    {"uid (uid_t)-1", "a:x:4294967295:0::/:/bin/sh\n", 0, 0, 1, 1, NULL},
    {"huge uid", "a:x:99999999999999999999999:0::/:/bin/sh\n", 0, 0, 1, 1, NULL},
    {"largest uid", "a:x:4294967294:0::/:/bin/sh\n", 0, 1, 0, 0, "a"},
    {"empty uid", "a:x::0::/:/bin/sh\n", 0, 0, 1, 1, NULL},
    {"bad gid", "a:x:5:g::/:/bin/sh\n", 0, 0, 1, 1, NULL},
    {"empty name", ":x:5:5::/:/bin/sh\n", 0, 0, 1, 1, NULL},
    {"duplicate keeps the first", "bob:x:1000:1000::/a:/bin/sh\nbob:x:0:0::/b:/bin/sh\n", 0, 1, 1,
     2, "bob"},
    {"nis compat", "+::::::\n-evil::::::\n+@netgroup::::::\nok:x:1:1::/:\n", 0, 1, 3, 1, "ok"},
    {"nul byte", "ro\0ot:x:0:0::/:/bin/sh\nbob:x:1:1::/:\n", 37, 1, 1, 1, "bob"},
    {"invalid utf-8 kept", "b\xff\xfeo:x:7:7::/:/bin/sh\n", 0, 1, 0, 0, "b\xff\xfeo"},
    {"empty input", "", 0, 0, 0, 0, NULL},
    {"only newlines", "\n\n\r\n", 0, 0, 0, 0, NULL},
};

static void test_passwd_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(pw_cases); i++) {
		const struct pw_case *c = &pw_cases[i];
		struct passwd_db db;
		struct parse_issues is = {0};
		size_t len = c->len ? c->len : strlen(c->in);
		print_message("passwd: %s\n", c->what);
		assert_int_equal(passwd_parse(c->in, len, &db, &is), 0);
		assert_int_equal(db.n, c->want_n);
		assert_int_equal(is.n, c->want_issues);
		if (c->want_issues)
			assert_int_equal(is.v[0].line, c->issue_line);
		if (c->first)
			assert_string_equal(db.v[0].name, c->first);
		for (size_t k = 0; k < is.n; k++) {
			assert_non_null(is.v[k].ja);
			assert_non_null(is.v[k].en);
		}
		passwd_db_free(&db);
		parse_issues_free(&is);
	}
}

static void test_passwd_fields(void **state)
{
	const char *in = "root:x:0:0:root:/root:/bin/bash\r\n"
			 "bob::1000:100:Bob B,,,:/home/bob:\n"
			 "bob:x:0:0::/x:/bin/sh\n"
			 "alias:x:0:5::/:/bin/sh";
	struct passwd_db db;
	struct parse_issues is = {0};
	assert_int_equal(passwd_parse(in, strlen(in), &db, &is), 0);
	assert_int_equal(db.n, 3);
	const struct passwd_entry *bob = passwd_find(&db, "bob");
	assert_non_null(bob);
	assert_int_equal(bob->uid, 1000);
	assert_int_equal(bob->gid, 100);
	assert_string_equal(bob->gecos, "Bob B,,,");
	assert_string_equal(bob->home, "/home/bob");
	assert_string_equal(bob->shell, "");
	assert_int_equal(bob->pw, PW_EMPTY);
	assert_int_equal(bob->line, 2);
	const struct passwd_entry *root = passwd_find(&db, "root");
	assert_int_equal(root->pw, PW_SHADOW);
	assert_string_equal(root->shell, "/bin/bash");
	assert_null(passwd_find(&db, "nobody"));
	assert_null(passwd_find(&db, ""));
	/* uid 0 twice: the owner name is the first in file order */
	assert_string_equal(passwd_find_uid(&db, 0)->name, "root");
	assert_null(passwd_find_uid(&db, 42));
	assert_int_equal(is.n, 1);
	assert_int_equal(is.v[0].line, 3);
	passwd_db_free(&db);
	parse_issues_free(&is);
}

static void test_passwd_long_line(void **state)
{
	size_t big = 1u << 20;
	char *in = malloc(big + 64);
	assert_non_null(in);
	memset(in, 'a', big);
	memcpy(in + 10, ":x:1:1::/:", 10);
	int n = snprintf(in + big, 64, "\nbob:x:2:2::/:/bin/sh\n");
	struct passwd_db db;
	struct parse_issues is = {0};
	/* A 1 MiB line is read whole (as glibc does): an account with a
	 * 1 MiB shell is an account, not a line to drop. */
	assert_int_equal(passwd_parse(in, big + (size_t)n, &db, &is), 0);
	assert_int_equal(db.n, 2);
	assert_string_equal(db.v[0].name, "aaaaaaaaaa");
	assert_int_equal(db.v[0].uid, 1);
	assert_int_equal(strlen(db.v[0].shell), big - 20);
	assert_string_equal(db.v[1].name, "bob");
	assert_int_equal(db.v[1].line, 2);
	assert_int_equal(is.n, 0);
	passwd_db_free(&db);
	parse_issues_free(&is);
	free(in);
}

static void test_passwd_many_and_escaping(void **state)
{
	/* 20,000 accounts with a duplicate of every 1,000th: lookups are
	 * indexed, duplicates found in one pass. */
	struct strbuf sb;
	strbuf_init(&sb, 4u << 20);
	for (int i = 0; i < 20000; i++)
		assert_int_equal(strbuf_printf(&sb, "u%d:x:%d:%d::/home/u%d:/bin/sh\n", i, i, i, i),
				 0);
	for (int i = 0; i < 20000; i += 1000)
		assert_int_equal(strbuf_printf(&sb, "u%d:x:1:1::/:/bin/sh\n", i), 0);
	assert_int_equal(strbuf_puts(&sb, "\xc3\x28:x:9:9::/:\n"), 0);
	struct passwd_db db;
	struct parse_issues is = {0};
	assert_int_equal(passwd_parse(sb.s, sb.len, &db, &is), 0);
	assert_int_equal(db.n, 20001);
	assert_int_equal(is.n, 20);
	assert_int_equal(passwd_find(&db, "u19000")->uid, 19000);
	const struct passwd_entry *odd = passwd_find(&db, "\xc3\x28");
	assert_non_null(odd);
	json_auto_t *j = json_bytes(odd->name, strlen(odd->name));
	assert_string_equal(json_string_value(j), "\\xc3(");
	passwd_db_free(&db);
	parse_issues_free(&is);
	strbuf_free(&sb);
}

/* ---- password states ------------------------------------------------ */

static void test_pw_classify(void **state)
{
	static const struct {
		const char *in;
		bool marker;
		enum pw_state want;
	} cases[] = {
	    {"", false, PW_EMPTY},
	    {"", true, PW_EMPTY},
	    {"x", true, PW_SHADOW},
	    {"x", false, PW_DISABLED},
	    {"*", false, PW_DISABLED},
	    {"!", false, PW_DISABLED},
	    {"!!", false, PW_DISABLED},
	    {"!*", false, PW_DISABLED},
	    {"*LK*", false, PW_DISABLED},
	    {"NP", false, PW_DISABLED},
	    {"$6$rounds=5000$saltsalt$Q0bQmEj5bKe8xU3cYbqF2sHnLw1rT0vA9zP", false, PW_SET},
	    {"$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7", false,
	     PW_SET},
	    {"abJnggxhB/yWI", false, PW_SET}, /* traditional DES */
	    {"!$6$saltsalt$Q0bQmEj5bKe8xU3cYbqF2sHnLw1rT0vA9zP", false, PW_LOCKED},
	    {"!abJnggxhB/yWI", false, PW_LOCKED},
	    {"!!$6$saltsalt$Q0bQmEj5bKe8xU3cYbqF2sHnLw1rT0vA9zP", false, PW_LOCKED},
	    {"$6$has space in it$xxxxxxxx", false, PW_DISABLED},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("pw_classify: '%s'\n", cases[i].in);
		assert_int_equal(pw_classify(cases[i].in, strlen(cases[i].in), cases[i].marker),
				 cases[i].want);
	}
	assert_string_equal(pw_state_name(PW_SET), "set");
	assert_string_equal(pw_state_name(PW_EMPTY), "empty");
	assert_string_equal(pw_state_name(PW_LOCKED), "locked");
	assert_string_equal(pw_state_name(PW_DISABLED), "disabled");
	assert_null(pw_state_name(PW_SHADOW));
	assert_null(pw_state_name(PW_UNKNOWN));
}

/* ---- shadow ---------------------------------------------------------- */

static void test_shadow_parse(void **state)
{
	char in[1024];
	snprintf(in, sizeof(in),
		 "root:%s:20000:0:99999:7:::\r\n"
		 "daemon:*:19000:0:99999:7:::\n"
		 "short:x:1\n"
		 "bad:!:abc:0:99999:7::-5:\n"
		 "none::::::::\n"
		 "neg:*:-1:-1:-1:-1:-1:-1:\n"
		 "root:!:1:1:1:1:1:1:\n"
		 "big:*:99999999999:0:99999:7::2932897:",
		 hash6);
	struct shadow_db db;
	struct parse_issues is = {0};
	assert_int_equal(shadow_parse(in, strlen(in), &db, &is), 0);
	assert_int_equal(db.n, 6);
	const struct shadow_entry *root = shadow_find(&db, "root");
	assert_int_equal(root->pw, PW_SET);
	assert_int_equal(root->lastchg, 20000);
	assert_int_equal(root->min, 0);
	assert_int_equal(root->max, 99999);
	assert_int_equal(root->warn, 7);
	assert_int_equal(root->inactive, SHADOW_NONE);
	assert_int_equal(root->expire, SHADOW_NONE);
	const struct shadow_entry *bad = shadow_find(&db, "bad");
	assert_int_equal(bad->pw, PW_DISABLED);
	assert_int_equal(bad->lastchg, SHADOW_BAD);
	assert_int_equal(bad->expire, SHADOW_BAD);
	const struct shadow_entry *none = shadow_find(&db, "none");
	assert_int_equal(none->pw, PW_EMPTY);
	assert_int_equal(none->lastchg, SHADOW_NONE);
	assert_int_equal(none->max, SHADOW_NONE);
	const struct shadow_entry *neg = shadow_find(&db, "neg");
	assert_int_equal(neg->lastchg, SHADOW_NONE);
	assert_int_equal(neg->expire, SHADOW_NONE);
	const struct shadow_entry *big = shadow_find(&db, "big");
	assert_int_equal(big->lastchg, SHADOW_BAD);
	assert_int_equal(big->expire, SHADOW_BAD);
	assert_null(shadow_find(&db, "short"));
	/* issues: line 3 fields, line 4 bad numbers, line 7 duplicate, line 8 bad */
	assert_int_equal(is.n, 4);
	assert_int_equal(is.v[0].line, 3);
	assert_int_equal(is.v[1].line, 4);
	assert_int_equal(is.v[2].line, 7);
	assert_int_equal(is.v[3].line, 8);
	shadow_db_free(&db);
	parse_issues_free(&is);
}

struct judge_case {
	const char *what;
	long lastchg, max, inactive, expire;
	enum tri must_change, pw_expired, inactive_locked, expired;
	long days_since; /* -1: has_changed false */
};

#define N SHADOW_NONE
#define B SHADOW_BAD
#define U TRI_UNKNOWN
#define T TRI_TRUE
#define F TRI_FALSE
static const struct judge_case judge_cases[] = {
    {"lastchg 0: must change", 0, 99999, N, N, T, T, F, F, -1},
    {"lastchg empty: aging off", N, 90, 7, N, F, F, F, F, -1},
    {"fresh, 99999 max", TODAY - 10, 99999, N, N, F, F, F, F, 10},
    {"max 99999 from 1970 is not reached", 1, 99999, N, N, F, F, F, F, TODAY - 1},
    {"older than max", TODAY - 100, 90, N, N, F, T, F, F, 100},
    {"exactly max days is still valid", TODAY - 90, 90, N, N, F, F, F, F, 90},
    {"expired, within inactivity", TODAY - 100, 90, 30, N, F, T, F, F, 100},
    {"expired past inactivity", TODAY - 100, 90, 5, N, F, T, T, F, 100},
    {"no max: no expiry", TODAY - 5000, N, 5, N, F, F, F, F, 5000},
    {"changed in the future", TODAY + 3, 90, N, N, F, F, F, F, -3},
    {"account expired yesterday", TODAY - 1, N, N, TODAY - 1, F, F, F, T, 1},
    {"account expires today", TODAY - 1, N, N, TODAY, F, F, F, T, 1},
    {"account expires tomorrow", TODAY - 1, N, N, TODAY + 1, F, F, F, F, 1},
    {"expire 0 is 1970-01-01 to pam_unix", TODAY - 1, N, N, 0, F, F, F, T, 1},
    {"bad lastchg", B, 90, 5, N, U, U, U, F, -1},
    {"bad max", TODAY - 1, B, 5, N, F, U, U, F, 1},
    {"bad inactive", TODAY - 1, 90, B, N, F, F, U, F, 1},
    {"bad expire", TODAY - 1, N, N, B, F, F, F, U, 1},
};
#undef N
#undef B
#undef U
#undef T
#undef F

static void test_shadow_judge(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(judge_cases); i++) {
		const struct judge_case *c = &judge_cases[i];
		struct shadow_entry e = {.name = "x",
					 .pw = PW_SET,
					 .lastchg = c->lastchg,
					 .min = SHADOW_NONE,
					 .max = c->max,
					 .warn = SHADOW_NONE,
					 .inactive = c->inactive,
					 .expire = c->expire};
		struct shadow_facts f;
		print_message("judge: %s\n", c->what);
		shadow_judge(&e, NOW, &f);
		assert_int_equal(f.must_change, c->must_change);
		assert_int_equal(f.password_expired, c->pw_expired);
		assert_int_equal(f.inactive_locked, c->inactive_locked);
		assert_int_equal(f.expired, c->expired);
		assert_int_equal(f.has_changed, c->days_since != -1);
		if (c->days_since != -1) {
			assert_int_equal(f.days_since_change, c->days_since);
			assert_int_equal(f.changed, (time_t)c->lastchg * 86400);
		}
		assert_int_equal(f.has_expires, c->expire >= 0);
		if (c->expire >= 0)
			assert_int_equal(f.expires, (time_t)c->expire * 86400);
	}
}

/* ---- group and gshadow ---------------------------------------------- */

static void test_group_parse(void **state)
{
	const char *in = "root:x:0:\n"
			 "sudo:x:27:alice,bob,\r\n"
			 "empty:x:100:,,\n"
			 "pw:$6$saltsalt$Q0bQmEj5bKe8xU3cYbqF2sHnLw1rT0vA9zP:101:carol\n"
			 "dupgid:x:27:dave\n"
			 "sudo:x:999:mallory\n"
			 "bad:x:g:\n"
			 "few:x:5\n"
			 "+:::\n"
			 "last:x:102:a,b";
	struct group_db db;
	struct parse_issues is = {0};
	assert_int_equal(group_parse(in, strlen(in), false, &db, &is), 0);
	assert_int_equal(db.n, 6);
	const struct group_entry *sudo = group_find(&db, "sudo");
	assert_int_equal(sudo->gid, 27);
	assert_int_equal(sudo->members.n, 2);
	assert_string_equal(sudo->members.v[0], "alice");
	assert_string_equal(sudo->members.v[1], "bob");
	assert_true(namelist_has(&sudo->members, "bob"));
	assert_false(namelist_has(&sudo->members, "mallory"));
	assert_int_equal(sudo->pw, PW_SHADOW);
	assert_int_equal(group_find(&db, "empty")->members.n, 0);
	assert_int_equal(group_find(&db, "pw")->pw, PW_SET);
	assert_string_equal(group_find_gid(&db, 27)->name, "sudo");
	assert_null(group_find_gid(&db, 999));
	assert_int_equal(group_find(&db, "last")->members.n, 2);
	/* duplicate sudo (6), bad gid (7), few fields (8), nis (9) */
	assert_int_equal(is.n, 4);
	assert_int_equal(is.v[0].line, 6);
	assert_int_equal(is.v[3].line, 9);
	group_db_free(&db);
	parse_issues_free(&is);
}

/* A group line over 64 KiB (10,000 members) was skipped as "too long",
 * so its members vanished and an admin group looked empty. glibc reads
 * lines of any length; so does group_parse now (the file is bounded). */
static void test_group_long_line(void **state)
{
	struct strbuf sb;
	strbuf_init(&sb, 1u << 20);
	assert_int_equal(strbuf_puts(&sb, "sudo:x:27:"), 0);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(strbuf_printf(&sb, "%suser%05d", i ? "," : "", i), 0);
	assert_int_equal(strbuf_puts(&sb, ",mallory\nother:x:28:\n"), 0);
	assert_true(sb.len > 65536);
	struct group_db db;
	struct parse_issues is = {0};
	assert_int_equal(group_parse(sb.s, sb.len, false, &db, &is), 0);
	assert_int_equal(is.n, 0);
	assert_int_equal(db.n, 2);
	const struct group_entry *sudo = group_find(&db, "sudo");
	assert_non_null(sudo);
	assert_int_equal(sudo->members.n, 10001);
	assert_true(namelist_has(&sudo->members, "mallory"));
	group_db_free(&db);
	parse_issues_free(&is);
	strbuf_free(&sb);
}

static void test_gshadow_parse(void **state)
{
	const char *in = "sudo:!::alice,bob\n"
			 "adm:$6$saltsalt$Q0bQmEj5bKe8xU3cYbqF2sHnLw1rT0vA9zP:root,carol:syslog\n"
			 "nopw:::\n"
			 "x:x::\n"
			 "broken:!:\n";
	struct group_db db;
	struct parse_issues is = {0};
	assert_int_equal(group_parse(in, strlen(in), true, &db, &is), 0);
	assert_int_equal(db.n, 4);
	const struct group_entry *adm = group_find(&db, "adm");
	assert_int_equal(adm->pw, PW_SET);
	assert_int_equal(adm->admins.n, 2);
	assert_string_equal(adm->admins.v[1], "carol");
	assert_int_equal(adm->members.n, 1);
	assert_int_equal(group_find(&db, "sudo")->pw, PW_DISABLED);
	assert_int_equal(group_find(&db, "nopw")->pw, PW_EMPTY);
	/* "x" is not special in gshadow: no hash can equal it */
	assert_int_equal(group_find(&db, "x")->pw, PW_DISABLED);
	assert_int_equal(is.n, 1);
	assert_int_equal(is.v[0].line, 5);
	group_db_free(&db);
	parse_issues_free(&is);
}

/* ---- login.defs and useradd ----------------------------------------- */

struct defs_case {
	const char *in, *key, *want; /* want NULL: absent */
};

static const struct defs_case defs_cases[] = {
    {"UID_MIN 1000\n", "UID_MIN", "1000"},
    {"UID_MIN\t\t\t 1000\n", "UID_MIN", "1000"},
    {"ENCRYPT_METHOD \"SHA512\"\n", "ENCRYPT_METHOD", "SHA512"},
    {"ENCRYPT_METHOD \"SHA512\n", "ENCRYPT_METHOD", "SHA512"},
    {"ENV_PATH \"PATH=/bin:/usr/bin\" # x\n", "ENV_PATH", "PATH=/bin:/usr/bin"},
    {"X  a b c  \n", "X", "a b c"},
    {"UID_MIN 500\nUID_MIN 1500\n", "UID_MIN", "1500"},
    {"UID_MIN 500\n#UID_MIN 1500\n", "UID_MIN", "500"},
    {"uid_min 5\n", "UID_MIN", NULL},
    {"UID_MIN\n", "UID_MIN", NULL},
    {"UID_MINX 5\n", "UID_MIN", NULL},
    {"  UID_MIN 42\r\n", "UID_MIN", "42"},
    {"UMASK 027 # group readable\n", "UMASK", "027 # group readable"},
    {"A 1\0ignored\nB 2", "B", "2"},
    {"", "UID_MIN", NULL},
};

static void test_login_defs_get(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(defs_cases); i++) {
		const struct defs_case *c = &defs_cases[i];
		size_t len = strlen(c->in);
		if (strcmp(c->key, "B") == 0)
			len = 15;
		char *v = NULL;
		print_message("login.defs: case %zu (%s)\n", i, c->key);
		int r = login_defs_get(c->in, len, c->key, &v, NULL);
		assert_int_equal(r, c->want ? 1 : 0);
		if (c->want)
			assert_string_equal(v, c->want);
		free(v);
	}
}

static void test_defs_number(void **state)
{
	long v;
	assert_int_equal(defs_number("1000", &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(defs_number("022", &v), 0);
	assert_int_equal(v, 022);
	assert_int_equal(defs_number("0x10", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(defs_number("-1", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(defs_number("12abc", &v), -EINVAL);
	assert_int_equal(defs_number("", &v), -EINVAL);
	assert_int_equal(defs_number(" 5", &v), -EINVAL);
	assert_int_equal(defs_number("99999999999999999999999", &v), -ERANGE);
}

static void test_login_defs_json(void **state)
{
	const char *defs = "UID_MIN 500\n"
			   "UID_MIN\t\"2000\"\n"
			   "PASS_MAX_DAYS 99999\r\n"
			   "PASS_MIN_DAYS junk\n"
			   "UMASK 027\n"
			   "ENCRYPT_METHOD \"YESCRYPT\"\n";
	const char *useradd = "SHELL=/bin/sh\nINACTIVE=30\nINACTIVE=45\nEXPIRE=\nSHELL=/bin/bash";
	struct parse_issues di = {0}, ui = {0};
	json_auto_t *j =
	    login_defs_json(defs, strlen(defs), useradd, strlen(useradd), false, &di, &ui);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "uid_min")), 2000);
	assert_int_equal(json_integer_value(json_object_get(j, "sys_uid_max")), 1999);
	assert_int_equal(json_integer_value(json_object_get(j, "uid_max")), 60000);
	assert_int_equal(json_integer_value(json_object_get(j, "pass_max_days")), 99999);
	assert_int_equal(json_integer_value(json_object_get(j, "pass_min_days")), -1);
	assert_int_equal(json_integer_value(json_object_get(j, "pass_warn_age")), -1);
	assert_true(json_is_null(json_object_get(j, "pass_min_len")));
	assert_string_equal(json_string_value(json_object_get(j, "umask")), "0027");
	assert_string_equal(json_string_value(json_object_get(j, "encrypt_method")), "YESCRYPT");
	assert_int_equal(json_integer_value(json_object_get(j, "useradd_inactive")), 45);
	assert_string_equal(json_string_value(json_object_get(j, "useradd_expire")), "");
	assert_string_equal(json_string_value(json_object_get(j, "useradd_shell")), "/bin/bash");
	json_t *defined = json_object_get(j, "defined");
	assert_int_equal(json_array_size(defined), 5);
	assert_string_equal(json_string_value(json_array_get(defined, 0)), "ENCRYPT_METHOD");
	assert_int_equal(di.n, 1); /* PASS_MIN_DAYS junk */
	assert_int_equal(di.v[0].line, 4);
	assert_int_equal(ui.n, 0);
	assert_int_equal(login_defs_uid_min(j), 2000);
	parse_issues_free(&di);
	parse_issues_free(&ui);
}

static void test_login_defs_defaults_and_unknown(void **state)
{
	struct parse_issues di = {0}, ui = {0};
	/* readable but empty files: shadow-utils' defaults */
	json_auto_t *d = login_defs_json("", 0, NULL, 0, true, &di, &ui);
	assert_int_equal(json_integer_value(json_object_get(d, "uid_min")), 1000);
	assert_int_equal(json_integer_value(json_object_get(d, "sys_uid_max")), 999);
	assert_string_equal(json_string_value(json_object_get(d, "umask")), "0022");
	assert_true(json_is_null(json_object_get(d, "encrypt_method")));
	assert_int_equal(json_integer_value(json_object_get(d, "useradd_inactive")), -1);
	assert_string_equal(json_string_value(json_object_get(d, "useradd_expire")), "");
	assert_true(json_is_null(json_object_get(d, "useradd_shell")));
	assert_int_equal(json_array_size(json_object_get(d, "defined")), 0);
	/* unreadable: every fact unknown; system accounts still judged by 1000 */
	json_auto_t *u = login_defs_json(NULL, 0, NULL, 0, false, &di, &ui);
	const char *key;
	json_t *v;
	size_t n = 0;
	json_object_foreach(u, key, v) {
		assert_true(json_is_null(v));
		n++;
	}
	assert_int_equal(n, 13);
	assert_int_equal(login_defs_uid_min(u), 1000);
	/* a bad INACTIVE is reported and useradd's -1 applies */
	const char *bad = "INACTIVE=soon\nINACTIVE =5\n";
	json_auto_t *b = login_defs_json(NULL, 0, bad, strlen(bad), false, &di, &ui);
	assert_int_equal(json_integer_value(json_object_get(b, "useradd_inactive")), -1);
	assert_int_equal(ui.n, 1);
	assert_int_equal(ui.v[0].line, 1);
	assert_int_equal(di.n, 0);
	parse_issues_free(&di);
	parse_issues_free(&ui);
}

/* ---- authorized_keys ------------------------------------------------ */

struct keys_case {
	const char *what, *in;
	size_t len;
	size_t want;
};

static const struct keys_case keys_cases[] = {
    {"one key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB bob@host\n", 0, 1},
    {"no comment, no newline", "ssh-rsa AAAAB3NzaC1yc2E", 0, 1},
    {"comment and blanks", "# ssh-rsa AAAA old key\n\n   \n\t# x\n", 0, 0},
    {"options", "no-pty,no-port-forwarding ssh-ed25519 AAAA c\n", 0, 1},
    {"quoted options with blanks",
     "from=\"10.0.0.1,192.168.0.0/24\",command=\"echo hi there\" ecdsa-sha2-nistp256 AAAA\n", 0, 1},
    {"escaped quote in options", "command=\"echo \\\"a b\\\" c\" ssh-ed25519 AAAA\n", 0, 1},
    {"key type without data", "ssh-rsa\nssh-rsa   \n", 0, 0},
    {"garbage", "hello world\nAAAAB3NzaC1yc2E\n", 0, 0},
    {"options but no key type", "no-pty AAAAB3NzaC1yc2E\n", 0, 0},
    {"certificate", "ssh-ed25519-cert-v01@openssh.com AAAA\n", 0, 1},
    {"security key", "sk-ssh-ed25519@openssh.com AAAA\n", 0, 1},
    {"leading blanks", "   \tssh-ed25519 AAAA\n", 0, 1},
    {"crlf", "ssh-ed25519 AAAA a\r\nssh-rsa BBBB b\r\n", 0, 2},
    {"nul cuts a line", "ssh-ed25519\0 AAAA\nssh-rsa BBBB\n", 31, 1},
    {"three keys among noise",
     "ssh-ed25519 A a\n#c\nrestrict ssh-rsa B\nbroken\nssh-dss C\n\"unterminated ssh-rsa X\n", 0,
     3},
    {"empty", "", 0, 0},
};

static void test_authorized_keys(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys_cases); i++) {
		const struct keys_case *c = &keys_cases[i];
		print_message("authorized_keys: %s\n", c->what);
		assert_int_equal(authorized_keys_count(c->in, c->len ? c->len : strlen(c->in)),
				 c->want);
	}
}

static void test_authorized_keys_big(void **state)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_AUTHORIZED_KEYS);
	while (strbuf_puts(&sb, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB x\n") == 0)
		;
	size_t lines = sb.len / strlen("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB x\n");
	assert_int_equal(authorized_keys_count(sb.s, sb.len), lines);
	strbuf_free(&sb);
}

/* ---- shells ----------------------------------------------------------- */

static void test_shells(void **state)
{
	static const struct {
		const char *shell;
		bool want;
	} cases[] = {
	    {"/bin/bash", true},
	    {"/bin/sh", true},
	    {"/usr/bin/zsh", true},
	    {"", true}, /* passwd(5): empty means /bin/sh */
	    {"/usr/sbin/nologin", false},
	    {"/sbin/nologin", false},
	    {"/usr/bin/nologin", false},
	    {"/bin/false", false},
	    {"/usr/bin/false", false},
	    {"/bin/sync", false},
	    {"/sbin/shutdown", false},
	    {"/sbin/halt", false},
	    {"/opt/x/bin/nologin", false},
	    {"/usr/local/bin/false", false},
	    {"nologin", false},
	    {"/bin/nologin.sh", true},
	    {"/bin/falsey", true},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("shell: '%s'\n", cases[i].shell);
		assert_int_equal(shell_is_interactive(cases[i].shell), cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_passwd_table),
	    cmocka_unit_test(test_passwd_fields),
	    cmocka_unit_test(test_passwd_long_line),
	    cmocka_unit_test(test_passwd_many_and_escaping),
	    cmocka_unit_test(test_pw_classify),
	    cmocka_unit_test(test_shadow_parse),
	    cmocka_unit_test(test_shadow_judge),
	    cmocka_unit_test(test_group_parse),
	    cmocka_unit_test(test_group_long_line),
	    cmocka_unit_test(test_gshadow_parse),
	    cmocka_unit_test(test_login_defs_get),
	    cmocka_unit_test(test_defs_number),
	    cmocka_unit_test(test_login_defs_json),
	    cmocka_unit_test(test_login_defs_defaults_and_unknown),
	    cmocka_unit_test(test_authorized_keys),
	    cmocka_unit_test(test_authorized_keys_big),
	    cmocka_unit_test(test_shells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
