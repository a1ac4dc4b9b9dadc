/* test_logins.c - the last-login parsers (lastlog, wtmp, lastlog2.db,
 * wtmpdb) and the collector that merges them.
 *
 * Records built here use glibc's own struct lastlog and struct utmp, so
 * the parser's offsets are checked against the real layout; the fixture
 * files (tests/fixtures/unit-logins, made by make.sh) were written with
 * the same structs and read back by lastlog(8) and last(1): the values
 * expected below are the ones those tools print. Big and sparse files are
 * made at test time in a temporary root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <lastlog.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>
#include <sqlite3.h>
#include "lib/limits.h"
#include "probes/read/logins.h"
#include "probes/parse/logins_parse.h"

#define FIX "tests/fixtures/unit-logins"
#define NOW ((time_t)1710000000) /* 2024-03-09T16:00:00Z */

/* --- helpers --- */

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	char *p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*ret_len = (size_t)n;
	return p;
}

struct rec {
	char user[300], tty[300], host[300];
	size_t user_len, tty_len, host_len;
	time_t when;
};

struct recs {
	struct rec r[32];
	size_t n;
	size_t fail_at; /* return -ENOMEM on this call (1-based); 0 never */
	size_t calls;
};

static void copy_field(char *dst, const char *s, size_t n)
{
	assert_true(n < 300);
	if (n)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

static int collect_cb(const struct login_rec *lr, void *userdata)
{
	struct recs *rs = userdata;
	if (++rs->calls == rs->fail_at)
		return -ENOMEM;
	assert_true(rs->n < ARRAY_SIZE(rs->r));
	struct rec *r = &rs->r[rs->n++];
	r->user_len = lr->user_len;
	r->tty_len = lr->tty_len;
	r->host_len = lr->host_len;
	r->when = lr->when;
	copy_field(r->user, lr->user, lr->user_len);
	copy_field(r->tty, lr->tty, lr->tty_len);
	copy_field(r->host, lr->host, lr->host_len);
	return 0;
}

static const struct rec *find_rec(const struct recs *rs, const char *user)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].user, user) == 0)
			return &rs->r[i];
	return NULL;
}

static void put_str(char *field, size_t size, const char *s, size_t n)
{
	memset(field, 0, size);
	memcpy(field, s, n < size ? n : size);
}

static struct lastlog mk_lastlog(uint32_t t, const char *line, const char *host)
{
	struct lastlog ll;
	memset(&ll, 0, sizeof(ll));
	ll.ll_time = (int32_t)t;
	put_str(ll.ll_line, sizeof(ll.ll_line), line, strlen(line));
	put_str(ll.ll_host, sizeof(ll.ll_host), host, strlen(host));
	return ll;
}

static struct utmp mk_utmp(short type, const char *user, const char *line, const char *host,
			   uint32_t t)
{
	struct utmp ut;
	memset(&ut, 0, sizeof(ut));
	ut.ut_type = type;
	put_str(ut.ut_user, sizeof(ut.ut_user), user, strlen(user));
	put_str(ut.ut_line, sizeof(ut.ut_line), line, strlen(line));
	put_str(ut.ut_host, sizeof(ut.ut_host), host, strlen(host));
	ut.ut_tv.tv_sec = (int32_t)t;
	return ut;
}

/* --- lastlog records --- */

static void test_lastlog_record(void **state)
{
	static const char line32[] = "pts/ABCDEFGHIJKLMNOPQRSTUVWXYZ01";
	char host256[257];
	memset(host256, 'h', 256);
	host256[256] = '\0';
	const struct {
		uint32_t time;
		const char *line, *host;
		size_t len;
		int want;
		size_t tty_len, host_len;
	} cases[] = {
	    {1700000000, "pts/0", "192.0.2.1", 292, 1, 5, 9},
	    {1700000000, "tty1", "", 292, 1, 4, 0},
	    {0, "", "", 292, 0, 0, 0},		     /* all zero: never */
	    {0, "pts/0", "192.0.2.1", 292, 0, 0, 0}, /* time 0 with strings: never */
	    {1700000000, "pts/0", "x", 291, -EBADMSG, 0, 0},
	    {1700000000, "pts/0", "x", 0, -EBADMSG, 0, 0},
	    {1702000000, line32, host256, 292, 1, 32, 256}, /* fields full: no NUL */
	    {0xFFFFFFFFu, "tty1", "", 292, 1, 4, 0},	    /* after 2038: unsigned */
	    {1700000000, "pts/0", "x", 400, 1, 5, 1},	    /* extra bytes ignored */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char buf[400] = {0};
		struct lastlog ll = mk_lastlog(cases[i].time, cases[i].line, cases[i].host);
		memcpy(buf, &ll, sizeof(ll));
		struct login_rec r = {0};
		int got = lastlog_parse_record(buf, cases[i].len, &r);
		assert_int_equal(got, cases[i].want);
		if (got != 1)
			continue;
		assert_int_equal(r.when, (time_t)cases[i].time);
		assert_null(r.user);
		assert_int_equal(r.tty_len, cases[i].tty_len);
		assert_int_equal(r.host_len, cases[i].host_len);
		assert_memory_equal(r.tty, cases[i].line, r.tty_len);
		assert_memory_equal(r.host, cases[i].host, r.host_len);
	}
	(void)state;
}

/* A NUL inside a field ends the string there. */
static void test_lastlog_embedded_nul(void **state)
{
	struct lastlog ll = mk_lastlog(1700000000, "tty1", "");
	memcpy(ll.ll_host, "ab\0cd", 5);
	struct login_rec r;
	assert_int_equal(lastlog_parse_record((const char *)&ll, sizeof(ll), &r), 1);
	assert_int_equal(r.host_len, 2);
	(void)state;
}

/* The fixture written by glibc's struct and read by lastlog(8) -R. */
static void test_lastlog_fixture(void **state)
{
	size_t len;
	char *b = slurp(FIX "/root/var/log/lastlog", &len);
	assert_int_equal(len, 6 * LASTLOG_RECORD_SIZE);
	const struct {
		unsigned uid;
		int want;
		time_t when;
		const char *tty, *host;
	} cases[] = {
	    {0, 1, 1700000000, "pts/0", "192.0.2.1"},
	    {1, 0, 0, NULL, NULL},
	    {2, 1, 1700500000, "tty2", "bad\377host"},
	    {3, 1, 1701000000, "tty1", ""},
	    {4, 0, 0, NULL, NULL},
	    {5, 1, 1702000000, "pts/ABCDEFGHIJKLMNOPQRSTUVWXYZ01", NULL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct login_rec r;
		size_t off = cases[i].uid * LASTLOG_RECORD_SIZE;
		assert_int_equal(lastlog_parse_record(b + off, len - off, &r), cases[i].want);
		if (cases[i].want != 1)
			continue;
		assert_int_equal(r.when, cases[i].when);
		assert_int_equal(r.tty_len, strlen(cases[i].tty));
		assert_memory_equal(r.tty, cases[i].tty, r.tty_len);
		if (cases[i].host) {
			assert_int_equal(r.host_len, strlen(cases[i].host));
			assert_memory_equal(r.host, cases[i].host, r.host_len);
		} else {
			assert_int_equal(r.host_len, 256);
		}
	}
	free(b);
	(void)state;
}

/* --- wtmp --- */

/* The fixture as last(1) lists it: six logins, LOGIN_PROCESS and the
 * logout (DEAD_PROCESS) and boot records are not logins. */
static void test_wtmp_fixture(void **state)
{
	size_t len;
	char *b = slurp(FIX "/root/var/log/wtmp", &len);
	struct recs rs = {0};
	struct login_stats st;
	assert_int_equal(wtmp_parse(b, len, collect_cb, &rs, &st), 0);
	assert_int_equal(st.records, 9);
	assert_int_equal(st.logins, 6);
	assert_int_equal(rs.n, 6);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.trailing, 0);
	assert_int_equal(st.oldest, 1705000000); /* "wtmp begins" of last(1) */
	const struct {
		const char *user, *tty, *host;
		time_t when;
	} want[] = {
	    {"taro", "pts/1", "198.51.100.7", 1705000100},
	    {"jiro", "pts/2", "203.0.113.9", 1705001000},
	    {"root", "pts/0", "192.0.2.1", 1705002000},
	    {"bad\377user", "tty2", "", 1705003000},
	    {"abcdefghijklmnopqrstuvwxyz012345", "tty5", "", 1705004000},
	    {"jiro", "tty3", "", 1705005000},
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_string_equal(rs.r[i].user, want[i].user);
		assert_string_equal(rs.r[i].tty, want[i].tty);
		assert_string_equal(rs.r[i].host, want[i].host);
		assert_int_equal(rs.r[i].when, want[i].when);
	}
	assert_int_equal(rs.r[4].user_len, 32); /* a full field has no NUL */
	free(b);
	(void)state;
}

/* Sizes that are not a multiple of 384: the partial record is left out. */
static void test_wtmp_sizes(void **state)
{
	size_t len;
	char *b = slurp(FIX "/root/var/log/wtmp", &len);
	const struct {
		size_t len, records, logins, trailing;
	} cases[] = {
	    {0, 0, 0, 0},
	    {1, 0, 0, 1},
	    {383, 0, 0, 383},
	    {384, 1, 0, 0},
	    {2 * 384 + 10, 2, 1, 10},
	    {len - 100, 8, 5, 284},
	    {len, 9, 6, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct recs rs = {0};
		struct login_stats st;
		assert_int_equal(wtmp_parse(b, cases[i].len, collect_cb, &rs, &st), 0);
		assert_int_equal(st.records, cases[i].records);
		assert_int_equal(st.logins, cases[i].logins);
		assert_int_equal(rs.n, cases[i].logins);
		assert_int_equal(st.trailing, cases[i].trailing);
	}
	free(b);
	(void)state;
}

/* Garbage and odd records: what is skipped and what is not a login. */
static void test_wtmp_odd_records(void **state)
{
	struct utmp ut[8];
	ut[0] = mk_utmp(USER_PROCESS, "", "pts/0", "h", 1705000000);	 /* no user */
	ut[1] = mk_utmp(USER_PROCESS, "taro", "pts/0", "h", 0);		 /* no time */
	ut[2] = mk_utmp(42, "evil", "pts/0", "h", 1705000000);		 /* bad type */
	ut[3] = mk_utmp(-1, "evil", "pts/0", "h", 1705000000);		 /* bad type */
	memset(&ut[4], 0, sizeof(ut[4]));				 /* EMPTY */
	ut[5] = mk_utmp(LOGIN_PROCESS, "LOGIN", "tty1", "", 1704000000); /* not a login */
	ut[6] = mk_utmp(USER_PROCESS, "hanako", "pts/1", "", 0xFFFFFF00u);
	memset(&ut[7], 0xff, sizeof(ut[7])); /* garbage */
	struct recs rs = {0};
	struct login_stats st;
	assert_int_equal(wtmp_parse((const char *)ut, sizeof(ut), collect_cb, &rs, &st), 0);
	assert_int_equal(st.records, 8);
	assert_int_equal(st.skipped, 5);
	assert_int_equal(st.logins, 1);
	assert_string_equal(rs.r[0].user, "hanako");
	assert_int_equal(rs.r[0].when, (time_t)0xFFFFFF00u);
	assert_int_equal(st.oldest, 1704000000);

	/* All-zero records: nothing at all, no horizon. */
	char zeros[3 * 384] = {0};
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(wtmp_parse(zeros, sizeof(zeros), collect_cb, &rs, &st), 0);
	assert_int_equal(st.records, 3);
	assert_int_equal(st.logins + st.skipped, 0);
	assert_int_equal(st.oldest, 0);
	(void)state;
}

/* A callback's error stops the walk and comes back. */
static void test_wtmp_callback_error(void **state)
{
	size_t len;
	char *b = slurp(FIX "/root/var/log/wtmp", &len);
	struct recs rs = {.fail_at = 2};
	struct login_stats st;
	assert_int_equal(wtmp_parse(b, len, collect_cb, &rs, &st), -ENOMEM);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.calls, 2);
	free(b);
	(void)state;
}

/* --- SQLite --- */

static void test_lastlog2_fixture(void **state)
{
	size_t len;
	char *b = slurp(FIX "/root/var/lib/lastlog/lastlog2.db", &len);
	struct recs rs = {0};
	struct login_stats st;
	assert_int_equal(lastlog2_parse(b, len, collect_cb, &rs, &st), 0);
	assert_int_equal(st.records, 6);
	assert_int_equal(st.logins, 3);
	assert_int_equal(st.skipped, 2); /* NULL name, NULL time */
	assert_false(st.wal);
	assert_false(st.row_limit);
	assert_string_equal(st.error, "");
	const struct rec *r = find_rec(&rs, "hanako");
	assert_non_null(r);
	assert_int_equal(r->when, 1706000000);
	assert_string_equal(r->tty, "pts/3");
	assert_string_equal(r->host, "192.0.2.77");
	r = find_rec(&rs, "taro");
	assert_non_null(r);
	assert_int_equal(r->when, 1704000000);
	assert_int_equal(r->host_len, 0);
	r = find_rec(&rs, "carl\377"); /* not UTF-8: passed on as bytes */
	assert_non_null(r);
	assert_int_equal(r->host_len, 0);     /* RemoteHost NULL */
	assert_null(find_rec(&rs, "daemon")); /* Time 0: never */
	free(b);
	(void)state;
}

static void test_wtmpdb_fixture(void **state)
{
	size_t len;
	char *b = slurp(FIX "/root/var/lib/wtmpdb/wtmp.db", &len);
	struct recs rs = {0};
	struct login_stats st;
	assert_int_equal(wtmpdb_parse(b, len, collect_cb, &rs, &st), 0);
	assert_int_equal(st.records, 4);
	assert_int_equal(st.logins, 3);
	assert_int_equal(st.oldest, 1695000000); /* the boot record */
	/* Newest first; Login is in microseconds. */
	assert_string_equal(rs.r[0].user, "root");
	assert_int_equal(rs.r[0].when, 1707100000);
	assert_string_equal(rs.r[0].tty, "tty1");
	assert_int_equal(rs.r[0].host_len, 0);
	assert_string_equal(rs.r[1].user, "shiro");
	assert_int_equal(rs.r[1].when, 1707000000);
	assert_string_equal(rs.r[1].host, "2001:db8::5");
	assert_string_equal(rs.r[2].user, "hanako");
	assert_int_equal(rs.r[2].when, 1705500000);
	free(b);
	(void)state;
}

typedef int (*parser_fn)(const char *, size_t, login_rec_fn, void *, struct login_stats *);

/* Broken and foreign databases are errors with a reason, never a crash. */
static void test_sqlite_errors(void **state)
{
	size_t l2len, wlen;
	char *l2 = slurp(FIX "/root/var/lib/lastlog/lastlog2.db", &l2len);
	char *w = slurp(FIX "/root/var/lib/wtmpdb/wtmp.db", &wlen);
	char garbage[4096];
	memset(garbage, 0x5a, sizeof(garbage));
	memcpy(garbage, "SQLite format 3", 16); /* a header and nothing behind it */
	char *badpage = malloc(l2len);
	memcpy(badpage, l2, l2len);
	badpage[512] = (char)0xff; /* page 2's b-tree page type */
	const struct {
		const char *what;
		parser_fn parse;
		const char *buf;
		size_t len;
		int want;
		const char *error;
	} cases[] = {
	    {"empty", lastlog2_parse, "", 0, -EBADMSG, "not a SQLite"},
	    {"text", lastlog2_parse, "hello world\n", 12, -EBADMSG, "not a SQLite"},
	    {"header only", lastlog2_parse, garbage, 100, -EBADMSG, ""},
	    {"garbage pages", lastlog2_parse, garbage, sizeof(garbage), -EBADMSG, ""},
	    {"cut at page 1", lastlog2_parse, l2, 512, -EBADMSG, ""},
	    {"cut mid-page", lastlog2_parse, l2, 700, -EBADMSG, ""},
	    {"bad page type", lastlog2_parse, badpage, l2len, -EBADMSG, "malformed"},
	    {"wtmpdb as lastlog2", lastlog2_parse, w, wlen, -ENOENT, "no such table: Lastlog2"},
	    {"lastlog2 as wtmpdb", wtmpdb_parse, l2, l2len, -ENOENT, "no such table: wtmp"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct recs rs = {0};
		struct login_stats st;
		int got = cases[i].parse(cases[i].buf, cases[i].len, collect_cb, &rs, &st);
		if (got != cases[i].want)
			fail_msg("%s: got %d (%s), want %d", cases[i].what, got, st.error,
				 cases[i].want);
		assert_true(st.error[0] != '\0');
		assert_non_null(strstr(st.error, cases[i].error));
		assert_int_equal(rs.n, 0);
	}
	free(badpage);
	free(l2);
	free(w);
	(void)state;
}

/* Wrong schemas: an old table name, a missing column, a view planted under
 * the table's name (views are refused, never run). */
static void test_sqlite_schema(void **state)
{
	const struct {
		const char *file, *error;
	} cases[] = {
	    {FIX "/lastlog2-oldname.db", "no such table: Lastlog2"},
	    {FIX "/lastlog2-nocolumn.db", "no such column: RemoteHost"},
	    {FIX "/lastlog2-view.db", "view"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len;
		char *b = slurp(cases[i].file, &len);
		struct recs rs = {0};
		struct login_stats st;
		assert_int_equal(lastlog2_parse(b, len, collect_cb, &rs, &st), -ENOENT);
		if (!strstr(st.error, cases[i].error))
			fail_msg("%s: error '%s'", cases[i].file, st.error);
		assert_int_equal(rs.n, 0);
		free(b);
	}
	(void)state;
}

/* A WAL-mode header is patched in a private copy, never in the input. */
static void test_sqlite_wal(void **state)
{
	size_t len;
	char *b = slurp(FIX "/lastlog2-wal.db", &len);
	assert_int_equal(b[18], 2);
	assert_int_equal(b[19], 2);
	struct recs rs = {0};
	struct login_stats st;
	assert_int_equal(lastlog2_parse(b, len, collect_cb, &rs, &st), 0);
	assert_true(st.wal);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].user, "waluser");
	assert_int_equal(rs.r[0].when, 1708000000);
	assert_int_equal(b[18], 2);
	assert_int_equal(b[19], 2);
	free(b);
	(void)state;
}

static int count_cb(const struct login_rec *lr, void *userdata)
{
	size_t *n = userdata;
	(*n)++;
	return 0;
}

/* More rows than LIMIT_SQLITE_ROWS: the newest are read, the oldest left
 * out, and the horizon is the oldest row read. */
static void test_sqlite_row_limit(void **state)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, "
		 "Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);"
		 "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %u) "
		 "INSERT INTO wtmp(Type, User, Login, TTY) "
		 "SELECT 3, 'u' || (x %% 50), x * 1000000, 'pts/0' FROM c;",
		 LIMIT_SQLITE_ROWS + 3);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_int64 len = 0;
	unsigned char *image = sqlite3_serialize(db, "main", &len, 0);
	assert_non_null(image);
	sqlite3_close(db);

	size_t n = 0;
	struct login_stats st;
	assert_int_equal(wtmpdb_parse((const char *)image, (size_t)len, count_cb, &n, &st), 0);
	assert_true(st.row_limit);
	assert_int_equal(st.records, LIMIT_SQLITE_ROWS);
	assert_int_equal(n, LIMIT_SQLITE_ROWS);
	assert_int_equal(st.oldest, 4);
	sqlite3_free(image);
	(void)state;
}

/* --- the collector --- */

struct croot {
	char dir[64];
	struct fsroot *r;
	struct probe_ctx ctx;
	json_t *accounts;
};

static void croot_init(struct croot *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->dir, sizeof(c->dir), "/tmp/tenken-logins-XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	assert_int_equal(fsroot_open(c->dir, FSROOT_AUTO, &c->r), 0);
	c->ctx = (struct probe_ctx){
	    .root = c->r,
	    .offline = true,
	    .now = NOW,
	    .inventory = json_object(),
	    .messages = json_array(),
	};
	c->accounts = json_array();
}

static void croot_done(struct croot *c)
{
	char cmd[128];
	fsroot_free(c->r);
	json_decref(c->ctx.inventory);
	json_decref(c->ctx.messages);
	json_decref(c->accounts);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->dir);
	assert_int_equal(system(cmd), 0);
}

static void add_account(struct croot *c, const char *name, long uid)
{
	json_t *a = json_pack("{s:s, s:I}", "name", name, "uid", (json_int_t)uid);
	assert_non_null(a);
	assert_int_equal(json_array_append_new(c->accounts, a), 0);
}

/* Create the parents of path inside the root; return the host path. */
static void host_path(struct croot *c, const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s%s", c->dir, path);
	for (char *p = out + strlen(c->dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(out, 0755);
		*p = '/';
	}
}

static void put_file(struct croot *c, const char *path, const void *data, size_t len)
{
	char p[512];
	host_path(c, path, p, sizeof(p));
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void copy_fixture(struct croot *c, const char *fixture, const char *path)
{
	size_t len;
	char *b = slurp(fixture, &len);
	put_file(c, path, b, len);
	free(b);
}

static int open_in_root(struct croot *c, const char *path)
{
	char p[512];
	host_path(c, path, p, sizeof(p));
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	return fd;
}

static const json_t *source_obj(struct croot *c, const char *path)
{
	const json_t *arr = json_object_get(c->ctx.inventory, "login_sources");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *o = json_array_get(arr, i);
		if (strcmp(json_string_value(json_object_get(o, "path")), path) == 0)
			return o;
	}
	fail_msg("no login_sources entry for %s", path);
	return NULL;
}

static void assert_source(struct croot *c, const char *path, const char *status, json_int_t records,
			  const char *oldest)
{
	const json_t *o = source_obj(c, path);
	assert_string_equal(json_string_value(json_object_get(o, "status")), status);
	const json_t *rec = json_object_get(o, "records");
	if (records < 0)
		assert_true(json_is_null(rec));
	else
		assert_int_equal(json_integer_value(rec), records);
	const json_t *old = json_object_get(o, "oldest");
	if (oldest)
		assert_string_equal(json_string_value(old), oldest);
	else
		assert_true(json_is_null(old));
}

static bool has_msg(struct croot *c, const char *needle)
{
	for (size_t i = 0; i < json_array_size(c->ctx.messages); i++) {
		const json_t *m = json_array_get(c->ctx.messages, i);
		const char *en = json_string_value(json_object_get(m, "en"));
		const char *ja = json_string_value(json_object_get(m, "ja"));
		if (en && ja && strstr(en, needle) && ja[0])
			return true;
	}
	return false;
}

/* login_sources: one object per source, sorted by source, holding only
 * the columns accounts_schema.c declares. */
static void assert_sources_well_formed(struct croot *c)
{
	const json_t *arr = json_object_get(c->ctx.inventory, "login_sources");
	assert_int_equal(json_array_size(arr), 5);
	const char *prev = "";
	const struct collection *col = collection_find("login_sources", NULL);
	assert_non_null(col);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *o = json_array_get(arr, i);
		const char *src = json_string_value(json_object_get(o, "source"));
		assert_true(strcmp(prev, src) <= 0);
		prev = src;
		for (void *it = json_object_iter((json_t *)o); it;
		     it = json_object_iter_next((json_t *)o, it))
			assert_non_null(column_find(col, json_object_iter_key(it)));
		assert_int_equal(json_object_size(o), 5);
	}
}

static void copy_fixture_root(struct croot *c)
{
	static const char *const files[] = {
	    "/var/log/lastlog",	       "/var/log/wtmp",
	    "/var/log/wtmp.1",	       "/var/lib/lastlog/lastlog2.db",
	    "/var/lib/wtmpdb/wtmp.db",
	};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char src[256];
		snprintf(src, sizeof(src), FIX "/root%s", files[i]);
		copy_fixture(c, src, files[i]);
	}
}

/* Every source of the fixture root, merged: each account gets its newest
 * login and the source it came from. */
static void test_collect_fixture(void **state)
{
	struct croot c;
	croot_init(&c);
	copy_fixture_root(&c);
	static const struct {
		const char *name;
		long uid;
		int found;
		time_t when;
		const char *source, *from;
	} cases[] = {
	    {"root", 0, 1, 1707100000, "wtmpdb", "tty1"}, /* lastlog < wtmp < wtmpdb */
	    {"daemon", 1, 0, 0, NULL, NULL},		  /* lastlog2 Time 0 = never */
	    {"bin", 2, 1, 1700500000, "lastlog", "bad\377host"},
	    {"taro", 3, 1, 1705000100, "wtmp", "198.51.100.7"},	    /* beats lastlog2, wtmp.1 */
	    {"hanako", 4, 1, 1706000000, "lastlog2", "192.0.2.77"}, /* beats wtmpdb */
	    {"jiro", 1000, 1, 1705005000, "wtmp", "tty3"},	    /* no host: the tty */
	    {"saburo", 1001, 1, 1690000100, "wtmp", "192.0.2.50"},  /* wtmp.1 only */
	    {"shiro", 1002, 1, 1707000000, "wtmpdb", "2001:db8::5"},
	    {"nobody", 65534, 0, 0, NULL, NULL},
	    {"bad\377user", -1, 1, 1705003000, "wtmp", "tty2"},	 /* raw bytes */
	    {"bad\\xffuser", -1, 1, 1705003000, "wtmp", "tty2"}, /* as json_bytes writes it */
	    {"ghost", -1, 0, 0, NULL, NULL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (cases[i].uid >= 0)
			add_account(&c, cases[i].name, cases[i].uid);
	add_account(&c, "suzuki", 5);

	struct login_table *t = NULL;
	assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct login_info li = {0};
		int got = logins_lookup(t, cases[i].name, cases[i].uid, &li);
		if (got != cases[i].found)
			fail_msg("%s: lookup %d, want %d", cases[i].name, got, cases[i].found);
		if (!got)
			continue;
		assert_int_equal(li.when, cases[i].when);
		assert_string_equal(li.source, cases[i].source);
		assert_string_equal(li.from, cases[i].from);
	}
	/* suzuki: a 32-byte tty and a 256-byte host without NULs. */
	struct login_info li;
	assert_int_equal(logins_lookup(t, "suzuki", 5, &li), 1);
	assert_int_equal(li.when, 1702000000);
	assert_int_equal(strlen(li.from), 256);
	/* By uid alone (lastlog only), and neither. */
	assert_int_equal(logins_lookup(t, NULL, 3, &li), 1);
	assert_int_equal(li.when, 1701000000);
	assert_int_equal(logins_lookup(t, NULL, -1, &li), 0);

	assert_true(logins_any_source(t));
	assert_int_equal(logins_horizon(t), 0); /* lastlog and lastlog2 are complete */
	assert_source(&c, "/var/log/lastlog", "ok", 4, NULL);
	assert_source(&c, "/var/log/wtmp", "ok", 6, "2024-01-11T19:06:40Z");
	assert_source(&c, "/var/log/wtmp.1", "ok", 2, "2023-07-22T04:26:40Z");
	assert_source(&c, "/var/lib/lastlog/lastlog2.db", "ok", 3, NULL);
	assert_source(&c, "/var/lib/wtmpdb/wtmp.db", "ok", 3, "2023-09-18T01:20:00Z");
	assert_int_equal(json_array_size(c.ctx.messages), 0);
	assert_false(c.ctx.partial);

	assert_sources_well_formed(&c);
	logins_free(t);
	croot_done(&c);
	(void)state;
}

/* Nothing there: every source missing, no message, nothing known. */
static void test_collect_empty_root(void **state)
{
	struct croot c;
	croot_init(&c);
	add_account(&c, "root", 0);
	struct login_table *t = NULL;
	assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
	struct login_info li;
	assert_int_equal(logins_lookup(t, "root", 0, &li), 0);
	assert_false(logins_any_source(t));
	assert_source(&c, "/var/log/lastlog", "missing", 0, NULL);
	assert_source(&c, "/var/log/wtmp", "missing", 0, NULL);
	assert_source(&c, "/var/log/wtmp.1", "missing", 0, NULL);
	assert_source(&c, "/var/lib/lastlog/lastlog2.db", "missing", 0, NULL);
	assert_source(&c, "/var/lib/wtmpdb/wtmp.db", "missing", 0, NULL);
	assert_sources_well_formed(&c);
	assert_int_equal(json_array_size(c.ctx.messages), 0);
	assert_false(c.ctx.partial);
	logins_free(t);
	croot_done(&c);
	(void)state;
}

/* Only sources with a horizon: absence proves no login since the oldest
 * record they cover; wtmp.1 extends wtmp only when wtmp was read whole. */
static void test_collect_horizon(void **state)
{
	static const struct {
		bool wtmp, wtmp1, wtmpdb, lastlog2;
		time_t horizon;
	} cases[] = {
	    {true, false, false, false, 1705000000},
	    {true, true, false, false, 1690000000},
	    {false, false, true, false, 1695000000},
	    {true, false, true, false, 1695000000},
	    {true, true, true, false, 1690000000},
	    {false, true, false, false, NOW}, /* wtmp.1 without wtmp: a gap until now */
	    {true, true, true, true, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct croot c;
		croot_init(&c);
		if (cases[i].wtmp)
			copy_fixture(&c, FIX "/root/var/log/wtmp", "/var/log/wtmp");
		if (cases[i].wtmp1)
			copy_fixture(&c, FIX "/root/var/log/wtmp.1", "/var/log/wtmp.1");
		if (cases[i].wtmpdb)
			copy_fixture(&c, FIX "/root/var/lib/wtmpdb/wtmp.db",
				     "/var/lib/wtmpdb/wtmp.db");
		if (cases[i].lastlog2)
			copy_fixture(&c, FIX "/root/var/lib/lastlog/lastlog2.db",
				     "/var/lib/lastlog/lastlog2.db");
		struct login_table *t = NULL;
		assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
		assert_true(logins_any_source(t));
		if (logins_horizon(t) != cases[i].horizon)
			fail_msg("case %zu: horizon %lld, want %lld", i,
				 (long long)logins_horizon(t), (long long)cases[i].horizon);
		logins_free(t);
		croot_done(&c);
	}
	(void)state;
}

/* Rotations as logrotate names them: numbered (compressed or not) and
 * dateext. A rotation extends the horizon only when every newer file was
 * read whole and the numbers follow each other (a missing wtmp.1 is a
 * gap); names that are not rotations are left alone. */
static void test_collect_rotations(void **state)
{
	static const struct {
		const char *names[3]; /* where the fixture's wtmp.1 is put, gzipped if .gz */
		time_t horizon;
		size_t rows; /* wtmp rows in login_sources */
	} cases[] = {
	    {{"/var/log/wtmp.1.gz"}, 1690000000, 2},
	    {{"/var/log/wtmp.2.gz"}, 1705000000, 2}, /* wtmp.1 missing: a gap */
	    {{"/var/log/wtmp-20230801.gz"}, 1690000000, 2},
	    {{"/var/log/wtmp.1", "/var/log/wtmp.2.gz"}, 1690000000, 3},
	    {{"/var/log/wtmp.old", "/var/log/wtmp.1.gz.bak", "/var/log/wtmpx.1"}, 1705000000, 2},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct croot c;
		croot_init(&c);
		add_account(&c, "saburo", 1001);
		copy_fixture(&c, FIX "/root/var/log/wtmp", "/var/log/wtmp");
		for (size_t k = 0; k < 3 && cases[i].names[k]; k++) {
			const char *n = cases[i].names[k];
			size_t l = strlen(n);
			bool gz = l > 3 && strcmp(n + l - 3, ".gz") == 0;
			char plain[256], cmd[600];
			snprintf(plain, sizeof(plain), "%.*s", (int)(gz ? l - 3 : l), n);
			copy_fixture(&c, FIX "/root/var/log/wtmp.1", plain);
			snprintf(cmd, sizeof(cmd), "gzip -n '%s%s'", c.dir, plain);
			if (gz)
				assert_int_equal(system(cmd), 0);
		}
		struct login_table *t = NULL;
		assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
		if (logins_horizon(t) != cases[i].horizon)
			fail_msg("case %zu: horizon %lld, want %lld", i,
				 (long long)logins_horizon(t), (long long)cases[i].horizon);
		size_t rows = 0;
		const json_t *arr = json_object_get(c.ctx.inventory, "login_sources");
		for (size_t k = 0; k < json_array_size(arr); k++)
			rows += strcmp(json_string_value(
					   json_object_get(json_array_get(arr, k), "source")),
				       "wtmp") == 0;
		assert_int_equal(rows, cases[i].rows);
		/* saburo logged in only in the rotated file */
		struct login_info li;
		bool rotated = strstr(cases[i].names[0], "wtmp.1") ||
			       strstr(cases[i].names[0], "wtmp.2") ||
			       strstr(cases[i].names[0], "wtmp-");
		bool really = rotated && !strstr(cases[i].names[0], ".old");
		assert_int_equal(logins_lookup(t, "saburo", 1001, &li), really ? 1 : 0);
		logins_free(t);
		croot_done(&c);
	}
	(void)state;
}

/* An empty wtmp answers: nobody logged in since it was created or emptied
 * (its mtime, where last(1) says "wtmp begins"); a future mtime is not
 * trusted past now. */
static void test_collect_empty_wtmp(void **state)
{
	const struct {
		time_t mtime, horizon;
	} cases[] = {
	    {1700000000, 1700000000},
	    {NOW + 86400, NOW},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct croot c;
		croot_init(&c);
		put_file(&c, "/var/log/wtmp", "", 0);
		char p[512];
		host_path(&c, "/var/log/wtmp", p, sizeof(p));
		struct timespec ts[2] = {{cases[i].mtime, 0}, {cases[i].mtime, 0}};
		assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
		struct login_table *t = NULL;
		assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
		assert_true(logins_any_source(t));
		assert_int_equal(logins_horizon(t), cases[i].horizon);
		assert_source(&c, "/var/log/wtmp", "ok", 0, NULL);
		logins_free(t);
		croot_done(&c);
	}
	(void)state;
}

/* A wtmp past LIMIT_WTMP: only its newest part is read, from a record
 * boundary counted from the start of the file (the file also ends with
 * a partial record), and wtmp.1 no longer extends the horizon. */
static void test_collect_wtmp_tail(void **state)
{
	struct croot c;
	croot_init(&c);
	copy_fixture(&c, FIX "/root/var/log/wtmp.1", "/var/log/wtmp.1");
	off_t nrec = LIMIT_WTMP / UTMP_RECORD_SIZE + 10;
	int fd = open_in_root(&c, "/var/log/wtmp");
	assert_int_equal(ftruncate(fd, nrec * UTMP_RECORD_SIZE + 100), 0);
	struct utmp early = mk_utmp(USER_PROCESS, "early", "pts/0", "", 1600000000);
	struct utmp late = mk_utmp(USER_PROCESS, "late", "pts/1", "192.0.2.5", 1705000000);
	struct utmp last = mk_utmp(USER_PROCESS, "last", "pts/2", "", 1705000500);
	assert_int_equal(pwrite(fd, &early, sizeof(early), 0), sizeof(early));
	assert_int_equal(pwrite(fd, &late, sizeof(late), 20 * UTMP_RECORD_SIZE), sizeof(late));
	assert_int_equal(pwrite(fd, &last, sizeof(last), (nrec - 1) * UTMP_RECORD_SIZE),
			 sizeof(last));
	close(fd);

	struct login_table *t = NULL;
	assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
	struct login_info li;
	assert_int_equal(logins_lookup(t, "early", -1, &li), 0); /* in the skipped head */
	assert_int_equal(logins_lookup(t, "late", -1, &li), 1);
	assert_string_equal(li.from, "192.0.2.5");
	assert_int_equal(logins_lookup(t, "last", -1, &li), 1); /* record-aligned */
	assert_int_equal(li.when, 1705000500);
	assert_int_equal(logins_lookup(t, "saburo", -1, &li), 1); /* wtmp.1 still read */
	assert_int_equal(logins_horizon(t), 1705000000);	  /* but no gap bridged */
	assert_source(&c, "/var/log/wtmp", "truncated", 2, "2024-01-11T19:06:40Z");
	assert_true(has_msg(&c, "only the newest part was read"));
	assert_true(has_msg(&c, "the last 100 bytes are a partial record"));
	assert_false(c.ctx.partial);
	logins_free(t);
	croot_done(&c);
	(void)state;
}

/* lastlog is sparse and indexed by UID: only the accounts' records are
 * read, even at the UID limit (a 29 GB file of holes). */
static void test_collect_sparse_lastlog(void **state)
{
	struct croot c;
	croot_init(&c);
	int fd = open_in_root(&c, "/var/log/lastlog");
	struct lastlog a = mk_lastlog(1701000000, "pts/7", "192.0.2.60");
	struct lastlog b = mk_lastlog(1702000000, "tty3", "");
	off_t top = (off_t)LIMIT_LASTLOG_UID * LASTLOG_RECORD_SIZE;
	assert_int_equal(pwrite(fd, &a, sizeof(a), 60000 * (off_t)sizeof(a)), sizeof(a));
	assert_int_equal(pwrite(fd, &b, sizeof(b), top), sizeof(b));
	close(fd);
	add_account(&c, "high", 60000);
	add_account(&c, "top", LIMIT_LASTLOG_UID);
	add_account(&c, "hole", 1000);
	add_account(&c, "past", LIMIT_LASTLOG_UID + 1L);
	add_account(&c, "past2", LIMIT_LASTLOG_UID + 2L);

	int64_t t0 = mono_ms();
	struct login_table *t = NULL;
	assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
	assert_true(mono_ms() - t0 < 60000); /* a hang guard, not a timing test */
	struct login_info li;
	assert_int_equal(logins_lookup(t, "high", 60000, &li), 1);
	assert_int_equal(li.when, 1701000000);
	assert_string_equal(li.source, "lastlog");
	assert_string_equal(li.from, "192.0.2.60");
	assert_int_equal(logins_lookup(t, "top", LIMIT_LASTLOG_UID, &li), 1);
	assert_string_equal(li.from, "tty3");
	assert_int_equal(logins_lookup(t, "hole", 1000, &li), 0);
	assert_int_equal(logins_lookup(t, "past", LIMIT_LASTLOG_UID + 1L, &li), 0);
	assert_source(&c, "/var/log/lastlog", "ok", 2, NULL);
	assert_int_equal(json_array_size(c.ctx.messages), 1); /* said once for two UIDs */
	assert_true(has_msg(&c, "is above the limit"));
	assert_int_equal(logins_horizon(t), 0);
	logins_free(t);
	croot_done(&c);
	(void)state;
}

/* A lastlog that ends inside a record: said once, the rest is read. */
static void test_collect_lastlog_truncated(void **state)
{
	struct croot c;
	croot_init(&c);
	struct lastlog ll[3];
	ll[0] = mk_lastlog(1700000000, "pts/0", "192.0.2.1");
	ll[1] = mk_lastlog(1700000100, "pts/1", "");
	ll[2] = mk_lastlog(1700000200, "pts/2", "");
	put_file(&c, "/var/log/lastlog", ll, 2 * sizeof(ll[0]) + 100);
	add_account(&c, "root", 0);
	add_account(&c, "one", 1);
	add_account(&c, "two", 2);
	add_account(&c, "alias", 2);
	struct login_table *t = NULL;
	assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
	struct login_info li;
	assert_int_equal(logins_lookup(t, "root", 0, &li), 1);
	assert_int_equal(logins_lookup(t, "one", 1, &li), 1);
	assert_int_equal(logins_lookup(t, "two", 2, &li), 0);
	assert_source(&c, "/var/log/lastlog", "truncated", 2, NULL);
	assert_int_equal(json_array_size(c.ctx.messages), 1);
	assert_true(has_msg(&c, "the record of UID 2 is truncated"));
	logins_free(t);
	croot_done(&c);
	(void)state;
}

/* Broken sources are errors with a message and make the probe partial;
 * the others are still read. */
static void test_collect_broken_sources(void **state)
{
	struct croot c;
	croot_init(&c);
	copy_fixture(&c, FIX "/root/var/log/wtmp", "/var/log/wtmp");
	put_file(&c, "/var/lib/lastlog/lastlog2.db", "not a database\n", 15);
	copy_fixture(&c, FIX "/lastlog2-oldname.db", "/var/lib/wtmpdb/wtmp.db");
	char p[512];
	host_path(&c, "/var/log/lastlog", p, sizeof(p));
	assert_int_equal(mkfifo(p, 0644), 0);		  /* must not block */
	host_path(&c, "/var/log/wtmp.1/x", p, sizeof(p)); /* a directory */

	struct login_table *t = NULL;
	assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
	struct login_info li;
	assert_int_equal(logins_lookup(t, "jiro", 1000, &li), 1);
	assert_source(&c, "/var/log/lastlog", "error", -1, NULL);
	assert_source(&c, "/var/log/wtmp.1", "error", -1, NULL);
	assert_source(&c, "/var/lib/lastlog/lastlog2.db", "error", -1, NULL);
	assert_source(&c, "/var/lib/wtmpdb/wtmp.db", "error", -1, NULL);
	assert_source(&c, "/var/log/wtmp", "ok", 6, "2024-01-11T19:06:40Z");
	assert_true(has_msg(&c, "/var/lib/lastlog/lastlog2.db: cannot be read as a SQLite"));
	assert_true(
	    has_msg(&c, "/var/lib/wtmpdb/wtmp.db: the expected table or column is missing"));
	assert_true(has_msg(&c, "/var/log/lastlog: "));
	assert_true(has_msg(&c, "/var/log/wtmp.1: "));
	assert_true(c.ctx.partial);
	assert_sources_well_formed(&c);
	assert_int_equal(logins_horizon(t), 1705000000);
	logins_free(t);
	croot_done(&c);
	(void)state;
}

/* A database over LIMIT_SQLITE_DB is not read at all. */
static void test_collect_db_too_big(void **state)
{
	struct croot c;
	croot_init(&c);
	int fd = open_in_root(&c, "/var/lib/wtmpdb/wtmp.db");
	assert_int_equal(ftruncate(fd, (off_t)LIMIT_SQLITE_DB + 1), 0);
	close(fd);
	struct login_table *t = NULL;
	assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
	assert_source(&c, "/var/lib/wtmpdb/wtmp.db", "error", -1, NULL);
	assert_true(has_msg(&c, "larger than"));
	assert_false(logins_any_source(t));
	logins_free(t);
	croot_done(&c);
	(void)state;
}

/* WAL mode: read; a -wal file with content is said to hold newer rows. */
static void test_collect_wal(void **state)
{
	for (int with_wal = 0; with_wal <= 1; with_wal++) {
		struct croot c;
		croot_init(&c);
		copy_fixture(&c, FIX "/lastlog2-wal.db", "/var/lib/lastlog/lastlog2.db");
		if (with_wal)
			put_file(&c, "/var/lib/lastlog/lastlog2.db-wal", "x", 1);
		struct login_table *t = NULL;
		assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
		struct login_info li;
		assert_int_equal(logins_lookup(t, "waluser", -1, &li), 1);
		assert_string_equal(li.source, "lastlog2");
		assert_source(&c, "/var/lib/lastlog/lastlog2.db", with_wal ? "truncated" : "ok", 1,
			      NULL);
		assert_int_equal(json_array_size(c.ctx.messages), (size_t)with_wal);
		if (with_wal)
			assert_true(
			    has_msg(&c, "newer records in /var/lib/lastlog/lastlog2.db-wal"));
		logins_free(t);
		croot_done(&c);
	}
	(void)state;
}

/* Equal times: the source order lastlog2, lastlog, wtmpdb, wtmp decides,
 * not the order of reading. */
static void test_collect_ties(void **state)
{
	struct croot c;
	croot_init(&c);
	struct lastlog ll = mk_lastlog(1705000100, "pts/1", "lastlog-host");
	put_file(&c, "/var/log/lastlog", &ll, sizeof(ll));
	struct utmp ut = mk_utmp(USER_PROCESS, "root", "pts/1", "wtmp-host", 1705000100);
	put_file(&c, "/var/log/wtmp", &ut, sizeof(ut));
	add_account(&c, "root", 0);
	struct login_table *t = NULL;
	assert_int_equal(logins_collect(&c.ctx, c.accounts, &t), 0);
	struct login_info li;
	assert_int_equal(logins_lookup(t, "root", 0, &li), 1);
	assert_string_equal(li.source, "lastlog");
	assert_string_equal(li.from, "lastlog-host");
	assert_int_equal(logins_lookup(t, "root", -1, &li), 1); /* without the uid */
	assert_string_equal(li.source, "wtmp");
	logins_free(t);
	croot_done(&c);
	(void)state;
}

static void test_null_table(void **state)
{
	struct login_info li;
	assert_int_equal(logins_lookup(NULL, "root", 0, &li), 0);
	assert_false(logins_any_source(NULL));
	assert_int_equal(logins_horizon(NULL), 0);
	logins_free(NULL);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lastlog_record),
	    cmocka_unit_test(test_lastlog_embedded_nul),
	    cmocka_unit_test(test_lastlog_fixture),
	    cmocka_unit_test(test_wtmp_fixture),
	    cmocka_unit_test(test_wtmp_sizes),
	    cmocka_unit_test(test_wtmp_odd_records),
	    cmocka_unit_test(test_wtmp_callback_error),
	    cmocka_unit_test(test_lastlog2_fixture),
	    cmocka_unit_test(test_wtmpdb_fixture),
	    cmocka_unit_test(test_sqlite_errors),
	    cmocka_unit_test(test_sqlite_schema),
	    cmocka_unit_test(test_sqlite_wal),
	    cmocka_unit_test(test_sqlite_row_limit),
	    cmocka_unit_test(test_collect_fixture),
	    cmocka_unit_test(test_collect_empty_root),
	    cmocka_unit_test(test_collect_horizon),
	    cmocka_unit_test(test_collect_empty_wtmp),
	    cmocka_unit_test(test_collect_wtmp_tail),
	    cmocka_unit_test(test_collect_sparse_lastlog),
	    cmocka_unit_test(test_collect_lastlog_truncated),
	    cmocka_unit_test(test_collect_broken_sources),
	    cmocka_unit_test(test_collect_db_too_big),
	    cmocka_unit_test(test_collect_wal),
	    cmocka_unit_test(test_collect_ties),
	    cmocka_unit_test(test_null_table),
	    cmocka_unit_test(test_collect_rotations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
