/* logins.c - the last-login collector behind logins.h: reads lastlog,
 * wtmp and its rotations as logrotate leaves them (wtmp.1, wtmp.2.gz,
 * wtmp-20261101.xz...: compressed ones are decoded in memory),
 * lastlog2.db and wtmpdb through the fsroot layer, keeps
 * each account's newest login, and describes every source in the
 * "login_sources" collection. The formats are decoded by logins_parse.c.
 *
 * Sources are of two kinds. lastlog and lastlog2 keep one record per
 * account forever ("complete": absent means never). wtmp and wtmpdb keep
 * every login since they were started or rotated: their oldest record is
 * a horizon, before which nothing can be seen.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/read/decompress.h"
#include "lib/limits.h"
#include "probes/read/logins.h"
#include "probes/parse/logins_parse.h"

#define PATH_LASTLOG  "/var/log/lastlog"
#define PATH_WTMP     "/var/log/wtmp"
#define PATH_WTMP1    "/var/log/wtmp.1"
#define DIR_LOG	      "/var/log"
#define PATH_LASTLOG2 "/var/lib/lastlog/lastlog2.db"
#define PATH_WTMPDB   "/var/lib/wtmpdb/wtmp.db"

/* Equal times: the source listed first wins, so a report does not depend
 * on the order the files were read in. */
static const char *const source_rank[] = {"lastlog2", "lastlog", "wtmpdb", "wtmp"};

struct login_entry {
	time_t when;
	const char *source; /* static */
	char *from;	    /* new, may be NULL */
};

struct uid_login {
	long uid;
	struct login_entry e;
};

struct login_table {
	json_t *index; /* user name (as json_bytes escapes it) -> index into names */
	struct login_entry *names;
	size_t n_names, cap_names;
	struct uid_login *uids; /* lastlog, sorted by uid once collected */
	size_t n_uids, cap_uids;
	bool any;
	time_t horizon;
};

/* A source's status: error and missing did not answer; ok and truncated
 * (read in part) did. */
enum src_status { SRC_ERROR, SRC_MISSING, SRC_OK, SRC_TRUNCATED };
static const char *const src_status_name[] = {"error", "missing", "ok", "truncated"};

/* One row of login_sources while it is being read. */
struct source {
	const char *source, *path;
	enum src_status status;
	size_t records;
	time_t oldest; /* 0: none */
	bool complete; /* absence means never (lastlog, lastlog2) */
	time_t horizon;
};

static bool answered(const struct source *s)
{
	return s->status == SRC_OK || s->status == SRC_TRUNCATED;
}

struct collect {
	struct probe_ctx *ctx;
	struct login_table *t;
	const char *source; /* the source being read (static) */
};

static int rank(const char *source)
{
	for (size_t i = 0; i < ARRAY_SIZE(source_rank); i++)
		if (strcmp(source_rank[i], source) == 0)
			return (int)i;
	return (int)ARRAY_SIZE(source_rank);
}

static bool newer(time_t when, const char *source, const struct login_entry *than)
{
	if (when != than->when)
		return when > than->when;
	return rank(source) < rank(than->source);
}

/* "from" is the remote host if there is one, else the tty (each cut at a
 * NUL: SQLite text may hold one). */
static int entry_set(struct login_entry *e, const struct login_rec *r, const char *source)
{
	size_t hn = r->host ? strnlen(r->host, r->host_len) : 0;
	size_t tn = r->tty ? strnlen(r->tty, r->tty_len) : 0;
	char *from = NULL;

	if ((hn || tn) && !(from = xstrndup(hn ? r->host : r->tty, hn ? hn : tn)))
		return -ENOMEM;
	free(e->from);
	*e = (struct login_entry){r->when, source, from};
	return 0;
}

/* Note a login of a named user, keeping the newest. */
static int note_named(struct login_table *t, const struct login_rec *r, const char *source)
{
	json_auto_t *key = json_bytes(r->user, r->user_len);
	if (!key)
		return -ENOMEM;
	json_t *idx = json_object_get(t->index, json_string_value(key));
	if (idx) {
		struct login_entry *e = &t->names[json_integer_value(idx)];
		return newer(r->when, source, e) ? entry_set(e, r, source) : 0;
	}
	if (array_grow((void **)&t->names, &t->cap_names, t->n_names, sizeof(*t->names), 16) < 0)
		return -ENOMEM;
	struct login_entry *e = &t->names[t->n_names];
	*e = (struct login_entry){0};
	if (entry_set(e, r, source) < 0)
		return -ENOMEM;
	if (json_object_set_new(t->index, json_string_value(key),
				json_integer((json_int_t)t->n_names)) < 0) {
		free(e->from);
		return -ENOMEM;
	}
	t->n_names++;
	return 0;
}

static int note_named_cb(const struct login_rec *r, void *userdata)
{
	struct collect *c = userdata;
	return note_named(c->t, r, c->source);
}

static int note_uid(struct login_table *t, long uid, const struct login_rec *r)
{
	if (array_grow((void **)&t->uids, &t->cap_uids, t->n_uids, sizeof(*t->uids), 16) < 0)
		return -ENOMEM;
	struct uid_login *u = &t->uids[t->n_uids];
	*u = (struct uid_login){.uid = uid};
	if (entry_set(&u->e, r, "lastlog") < 0)
		return -ENOMEM;
	t->n_uids++;
	return 0;
}

static int cmp_uid(const void *a, const void *b)
{
	const struct uid_login *x = a, *y = b;
	return (x->uid > y->uid) - (x->uid < y->uid);
}

/* --- sources --- */

/* A file that could not be opened or read: missing is no message (a
 * distribution uses only some sources), anything else is. */
static void source_failed(struct collect *c, struct source *s, int err)
{
	s->status = err == -ENOENT ? SRC_MISSING : SRC_ERROR;
	probe_file_error(c->ctx, s->path, err, true);
}

static int pread_full(int fd, char *p, size_t n, off_t off, size_t *ret)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, p + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*ret = got;
	return 0;
}

struct lastlog_state {
	int fd;
	off_t size;
	bool said_short, said_uid;
};

/* One account's lastlog record at uid * 292: never read past what the
 * accounts need, however large the (sparse) file is. */
static int lastlog_account(struct collect *c, struct source *s, struct lastlog_state *ls,
			   const json_t *acct)
{
	json_t *juid = json_object_get(acct, "uid");
	if (!json_is_integer(juid) || json_integer_value(juid) < 0)
		return 0;
	long uid = (long)json_integer_value(juid);
	if ((unsigned long)uid > LIMIT_LASTLOG_UID) {
		if (!ls->said_uid)
			probe_msg(c->ctx, "%s: UID %ld は上限 %u を超えるため読みません",
				  "%s: UID %ld is above the limit %u and was not read", s->path,
				  uid, LIMIT_LASTLOG_UID);
		ls->said_uid = true;
		return 0;
	}
	off_t off = (off_t)uid * LASTLOG_RECORD_SIZE;
	if (off >= ls->size)
		return 0; /* past the end: never logged in */

	char rec[LASTLOG_RECORD_SIZE];
	size_t got = 0;
	int r = pread_full(ls->fd, rec, sizeof(rec), off, &got);
	if (r < 0)
		return r;
	struct login_rec lr;
	r = lastlog_parse_record(rec, got, &lr);
	if (r == -EBADMSG) {
		if (!ls->said_short)
			probe_msg(c->ctx, "%s: UID %ld のレコードが途中で切れています",
				  "%s: the record of UID %ld is truncated", s->path, uid);
		ls->said_short = true;
		s->status = SRC_TRUNCATED;
		return 0;
	}
	if (r <= 0)
		return 0;
	s->records++;
	return note_uid(c->t, uid, &lr);
}

static int read_lastlog(struct collect *c, struct source *s, const json_t *accounts)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r = fsroot_open_file(c->ctx->root, s->path, &fd, &st);
	if (r < 0) {
		source_failed(c, s, r);
		return 0;
	}
	struct lastlog_state ls = {.fd = fd, .size = st.st_size};

	s->status = SRC_OK;
	r = 0;
	for (size_t i = 0; i < json_array_size(accounts) && r >= 0; i++)
		r = lastlog_account(c, s, &ls, json_array_get(accounts, i));
	/* Sorted for logins_lookup even if a read failed half-way: the
	 * records read before are real. */
	if (c->t->n_uids)
		qsort(c->t->uids, c->t->n_uids, sizeof(*c->t->uids), cmp_uid);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		source_failed(c, s, r);
	return 0;
}

/* A utmp file streamed in chunks of whole records: memory stays at one
 * chunk whatever the file's size. Uncompressed files past LIMIT_WTMP are
 * read from their newest part (the tail, from a record boundary counted
 * from the start of the file); compressed rotations are decoded as a
 * stream up to LIMIT_WTMP and say so when they hold more. */
#define WTMP_CHUNK (UTMP_RECORD_SIZE * 2048u)

struct utmp_stream {
	int fd;
	off_t off, end; /* uncompressed: the byte range still to read */
	struct decomp *d;
	bool truncated;
};

static int utmp_stream_read(struct utmp_stream *us, char *p, size_t cap, size_t *ret)
{
	if (us->d) {
		int r = decomp_read(us->d, p, cap, ret);
		if (r == -EFBIG) {
			us->truncated = true;
			*ret = 0;
			return 0;
		}
		return r;
	}
	size_t want = (size_t)(us->end - us->off) < cap ? (size_t)(us->end - us->off) : cap;
	int r = pread_full(us->fd, p, want, us->off, ret);
	if (r == 0)
		us->off += (off_t)*ret;
	return r;
}

static void stats_add(struct login_stats *sum, const struct login_stats *st)
{
	sum->records += st->records;
	sum->logins += st->logins;
	sum->skipped += st->skipped;
	if (st->oldest && (!sum->oldest || st->oldest < sum->oldest))
		sum->oldest = st->oldest;
}

/* Parse the utmp file at path chunk by chunk; a partial record at the
 * end of the whole stream is counted in ret_stats->trailing. */
static int parse_utmp_file(struct collect *c, const char *path, struct login_stats *ret_stats,
			   bool *ret_truncated, time_t *ret_mtime)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r = fsroot_open_file(c->ctx->root, path, &fd, &st);
	if (r < 0)
		return r;
	struct utmp_stream us = {.fd = fd, .end = st.st_size};
	enum comp comp = comp_from_name(path);
	if (comp != COMP_NONE) {
		r = decomp_open_fd(comp, fd, LIMIT_WTMP, LIMIT_WTMP, &us.d);
		if (r < 0)
			return r;
	} else if (st.st_size > (off_t)LIMIT_WTMP) {
		us.off = st.st_size - (off_t)LIMIT_WTMP;
		us.off = (us.off + UTMP_RECORD_SIZE - 1) / UTMP_RECORD_SIZE * UTMP_RECORD_SIZE;
		us.truncated = true;
	}
	_cleanup_free_ char *buf = malloc(WTMP_CHUNK);
	if (!buf) {
		decomp_free(us.d);
		return -ENOMEM;
	}
	*ret_stats = (struct login_stats){0};
	size_t have = 0; /* bytes in buf: a partial record carried over, then new data */
	for (;;) {
		size_t n = 0;
		r = utmp_stream_read(&us, buf + have, WTMP_CHUNK - have, &n);
		if (r < 0 || n == 0)
			break;
		have += n;
		size_t whole = have / UTMP_RECORD_SIZE * UTMP_RECORD_SIZE;
		struct login_stats cs;
		r = wtmp_parse(buf, whole, note_named_cb, c, &cs);
		if (r < 0)
			break;
		stats_add(ret_stats, &cs);
		memmove(buf, buf + whole, have - whole);
		have -= whole;
	}
	decomp_free(us.d);
	if (r < 0)
		return r;
	ret_stats->trailing = have;
	*ret_truncated = us.truncated;
	*ret_mtime = st.st_mtime;
	return 0;
}

static void wtmp_messages(struct collect *c, const struct source *s, const struct login_stats *st,
			  bool truncated)
{
	if (truncated && comp_from_name(s->path) != COMP_NONE)
		probe_msg(c->ctx,
			  "%s: 展開後の大きさが上限 %u MiB を超えるため先頭の部分だけを読みました",
			  "%s: larger than %u MiB once decompressed; only its first part was read",
			  s->path, LIMIT_WTMP >> 20);
	else if (truncated)
		probe_msg(c->ctx, "%s: 上限 %u MiB を超えるため新しい部分だけを読みました",
			  "%s: larger than %u MiB; only the newest part was read", s->path,
			  LIMIT_WTMP >> 20);
	if (st->trailing)
		probe_msg(c->ctx, "%s: 末尾の %zu バイトは不完全なレコードのため無視しました",
			  "%s: the last %zu bytes are a partial record and were ignored", s->path,
			  st->trailing);
	if (st->skipped)
		probe_msg(c->ctx, "%s: 不正なレコード %zu 件を無視しました",
			  "%s: %zu invalid records were ignored", s->path, st->skipped);
}

static int read_wtmp(struct collect *c, struct source *s)
{
	bool truncated = false;
	time_t mtime = 0;
	struct login_stats st = {0};

	c->source = s->source;
	int r = parse_utmp_file(c, s->path, &st, &truncated, &mtime);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		source_failed(c, s, r);
		return 0;
	}
	s->status = truncated ? SRC_TRUNCATED : SRC_OK;
	s->records = st.logins;
	s->oldest = st.oldest;
	/* No record: nobody logged in since the file was created or emptied
	 * (its mtime, which is where last(1) says "wtmp begins"). */
	s->horizon = st.oldest;
	if (!s->horizon)
		s->horizon = mtime > 0 && mtime < c->ctx->now ? mtime : c->ctx->now;
	wtmp_messages(c, s, &st, truncated);
	return 0;
}

static void db_failed(struct collect *c, struct source *s, int err, const struct login_stats *st)
{
	if (err == -ENOENT)
		probe_msg(c->ctx, "%s: 想定したテーブルまたは列がありません (%s)",
			  "%s: the expected table or column is missing (%s)", s->path, st->error);
	else if (err == -ETIMEDOUT)
		probe_msg(c->ctx, "%s: 問い合わせが処理量の上限を超えたため中断しました",
			  "%s: the query exceeded its work limit and was stopped", s->path);
	else
		probe_msg(c->ctx, "%s: SQLite データベースとして読めません (%s)",
			  "%s: cannot be read as a SQLite database (%s)", s->path, st->error);
	s->status = SRC_ERROR;
	probe_partial(c->ctx);
}

/* A WAL-mode database keeps its newest pages in PATH-wal until a
 * checkpoint; only the main file is read. */
static void check_wal(struct collect *c, struct source *s)
{
	_cleanup_free_ char *wal = NULL;
	struct stat st;

	if (asprintf(&wal, "%s-wal", s->path) < 0)
		return;
	if (fsroot_stat(c->ctx->root, wal, true, &st) < 0 || st.st_size == 0)
		return;
	s->status = SRC_TRUNCATED;
	probe_msg(c->ctx, "%s: WAL モードのため %s にある新しいレコードは読んでいません",
		  "%s: the database is in WAL mode; newer records in %s were not read", s->path,
		  wal);
}

typedef int (*db_parser)(const char *buf, size_t len, login_rec_fn fn, void *userdata,
			 struct login_stats *ret_stats);

static int read_db(struct collect *c, struct source *s, db_parser parse)
{
	_cleanup_buf_ struct buf b = {0};
	struct login_stats st;

	int r = fsroot_read(c->ctx->root, s->path, LIMIT_SQLITE_DB, &b);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		source_failed(c, s, r);
		return 0;
	}
	c->source = s->source;
	r = parse(b.data, b.len, note_named_cb, c, &st);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		db_failed(c, s, r, &st);
		return 0;
	}
	s->status = SRC_OK;
	s->records = st.logins;
	s->oldest = s->complete ? 0 : st.oldest;
	s->horizon = st.oldest ? st.oldest : c->ctx->now;
	if (st.row_limit) {
		s->status = SRC_TRUNCATED;
		probe_msg(c->ctx, "%s: 上限の %u 行まで読みました",
			  "%s: read up to the limit of %u rows", s->path, LIMIT_SQLITE_ROWS);
	}
	if (st.wal)
		check_wal(c, s);
	return 0;
}

/* --- the table --- */

/* The fixed sources, then wtmp's rotations newest first. */
enum { IDX_LASTLOG, IDX_WTMP, IDX_LASTLOG2, IDX_WTMPDB, IDX_ROT };
#define SOURCES_MAX (IDX_ROT + LIMIT_WTMP_ROTATIONS)

/* A rotation of wtmp as logrotate names it: "wtmp.N" (N >= 1) or
 * "wtmp-DATE" (dateext: digits, as logrotate's default %Y%m%d), either
 * with a compression suffix. *ret_num is N, or 0 for a dated name with
 * *ret_date its digits as a number. */
static bool wtmp_rotation(const char *name, unsigned long *ret_num, unsigned long long *ret_date)
{
	const char *p = name + 4, *end;
	if (strncmp(name, "wtmp", 4) != 0 || (*p != '.' && *p != '-') ||
	    !isdigit((unsigned char)p[1]))
		return false;
	errno = 0;
	unsigned long long v = strtoull(p + 1, (char **)&end, 10);
	if (errno || end - p > 16 || (*p == '.' && v == 0))
		return false;
	enum comp cz = comp_from_name(name);
	if (*end && (cz == COMP_NONE || strcmp(end, comp_suffix(cz)) != 0))
		return false;
	*ret_num = *p == '.' ? (unsigned long)v : 0;
	*ret_date = *p == '-' ? v : 0;
	return true;
}

struct rotation {
	char *path;
	unsigned long num;
	unsigned long long date;
};

/* Numbered rotations first, .1 (the newest) before .2; then dated ones,
 * newest first. */
static int rotation_cmp(const void *a, const void *b)
{
	const struct rotation *x = a, *y = b;
	if (!x->num != !y->num)
		return x->num ? -1 : 1;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* The rotations of wtmp in /var/log, newest first (at most
 * LIMIT_WTMP_ROTATIONS, the newest kept). Without any, wtmp.1 is listed,
 * so a report says it is missing. */
static size_t find_rotations(struct collect *c, struct rotation *rot)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0, k = 0;
	bool dropped = false;
	if (fsroot_list(c->ctx->root, DIR_LOG, &names, &n) < 0)
		n = 0; /* each file then reads as missing or unreadable itself */
	struct rotation all[LIMIT_WTMP_ROTATIONS * 2];
	for (size_t i = 0; i < n; i++) {
		struct rotation r = {0};
		if (!wtmp_rotation(names[i], &r.num, &r.date))
			continue;
		if (k == ARRAY_SIZE(all)) {
			dropped = true;
			continue;
		}
		r.path = path_join(DIR_LOG, names[i]);
		if (r.path)
			all[k++] = r;
	}
	qsort(all, k, sizeof(*all), rotation_cmp);
	size_t out = 0;
	if (!k && (rot[out].path = strdup(PATH_WTMP1)))
		rot[out++].num = 1;
	for (size_t i = 0; i < k; i++) {
		if (out < LIMIT_WTMP_ROTATIONS)
			rot[out++] = all[i];
		else {
			free(all[i].path);
			dropped = true;
		}
	}
	if (dropped)
		probe_msg(c->ctx,
			  "%s: wtmp のローテーションが多すぎるため新しい %u 個だけを読みました",
			  "%s: too many rotations of wtmp; only the newest %u were read", DIR_LOG,
			  LIMIT_WTMP_ROTATIONS);
	return out;
}

/* What "absent from every source" proves: nothing if a complete source
 * answered (horizon 0: absent means never), else no login since the
 * oldest time the answering sources cover. A rotation extends wtmp back
 * only if wtmp and every newer rotation were read whole and their numbers
 * follow each other: otherwise there is a gap between them. */
static void finish(struct login_table *t, struct source *src, size_t n, const struct rotation *rot,
		   time_t now)
{
	bool whole = src[IDX_WTMP].status == SRC_OK;
	for (size_t i = IDX_ROT; i < n; i++) {
		const struct rotation *r = &rot[i - IDX_ROT];
		if (r->num && r->num != (i == IDX_ROT ? 1 : rot[i - IDX_ROT - 1].num + 1))
			whole = false;
		if (answered(&src[i]) && !whole)
			src[i].horizon = now;
		whole = whole && src[i].status == SRC_OK;
	}
	t->horizon = 0;
	bool complete = false, first = true;
	for (size_t i = 0; i < n; i++) {
		if (!answered(&src[i]))
			continue;
		t->any = true;
		complete = complete || src[i].complete;
		if (first || src[i].horizon < t->horizon)
			t->horizon = src[i].horizon;
		first = false;
	}
	if (complete)
		t->horizon = 0;
}

/* Unknown if the file could not be read; a missing file holds none. */
static json_t *records_json(const struct source *s)
{
	return s->status == SRC_ERROR ? json_null() : json_integer((json_int_t)s->records);
}

static json_t *source_json(const struct source *s)
{
	json_auto_t *o = json_object();
	char ts[21];

	if (!o)
		return NULL;
	if (s->oldest)
		time_rfc3339(s->oldest, ts);
	/* json_set takes each value, even when it fails. */
	if (json_set(o, "source", json_string(s->source)) < 0 ||
	    json_set(o, "path", json_string(s->path)) < 0 ||
	    json_set(o, "status", json_string(src_status_name[s->status])) < 0 ||
	    json_set(o, "records", records_json(s)) < 0 ||
	    json_set(o, "oldest", s->oldest ? json_string(ts) : json_null()) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static int add_sources(struct probe_ctx *ctx, const struct source *src, size_t n)
{
	json_auto_t *arr = json_array();
	if (!arr)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(arr, source_json(&src[i])) < 0)
			return -ENOMEM;
	json_array_sort_by(arr, "source");
	if (json_object_set_new(ctx->inventory, "login_sources", TAKE_PTR(arr)) < 0)
		return -ENOMEM;
	return 0;
}

static void logins_freep(struct login_table **t)
{
	logins_free(*t);
}

int logins_collect(struct probe_ctx *ctx, const json_t *accounts, struct login_table **ret)
{
	_cleanup_(logins_freep) struct login_table *t = calloc(1, sizeof(*t));
	if (!t || !(t->index = json_object()))
		return -ENOMEM;
	struct source src[SOURCES_MAX] = {
	    [IDX_LASTLOG] = {"lastlog", PATH_LASTLOG, SRC_ERROR, .complete = true},
	    [IDX_WTMP] = {"wtmp", PATH_WTMP, SRC_ERROR},
	    [IDX_LASTLOG2] = {"lastlog2", PATH_LASTLOG2, SRC_ERROR, .complete = true},
	    [IDX_WTMPDB] = {"wtmpdb", PATH_WTMPDB, SRC_ERROR},
	};
	struct rotation rot[LIMIT_WTMP_ROTATIONS] = {{0}};
	struct collect c = {ctx, t, NULL};
	size_t n = IDX_ROT + find_rotations(&c, rot);
	for (size_t i = IDX_ROT; i < n; i++)
		src[i] = (struct source){.source = "wtmp", .path = rot[i - IDX_ROT].path};

	int r = read_lastlog(&c, &src[IDX_LASTLOG], accounts);
	if (r >= 0)
		r = read_wtmp(&c, &src[IDX_WTMP]);
	for (size_t i = IDX_ROT; i < n && r >= 0; i++)
		r = read_wtmp(&c, &src[i]);
	if (r >= 0)
		r = read_db(&c, &src[IDX_LASTLOG2], lastlog2_parse);
	if (r >= 0)
		r = read_db(&c, &src[IDX_WTMPDB], wtmpdb_parse);
	if (r >= 0) {
		finish(t, src, n, rot, ctx->now);
		r = add_sources(ctx, src, n);
	}
	for (size_t i = 0; i < n - IDX_ROT; i++)
		free(rot[i].path);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(t);
	return 0;
}

void logins_free(struct login_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_names; i++)
		free(t->names[i].from);
	for (size_t i = 0; i < t->n_uids; i++)
		free(t->uids[i].e.from);
	free(t->names);
	free(t->uids);
	json_decref(t->index);
	free(t);
}

static const struct login_entry *find_uid(const struct login_table *t, long uid)
{
	if (uid < 0 || t->n_uids == 0)
		return NULL;
	struct uid_login key = {.uid = uid};
	const struct uid_login *u = bsearch(&key, t->uids, t->n_uids, sizeof(*t->uids), cmp_uid);
	return u ? &u->e : NULL;
}

/* Names are keyed as json_bytes escapes them, so a raw name from passwd
 * and the escaped one in the accounts JSON find the same entry. */
static int find_name(const struct login_table *t, const char *name, const struct login_entry **ret)
{
	json_t *idx = json_object_get(t->index, name);
	if (!idx) {
		json_auto_t *esc = json_bytes(name, strlen(name));
		if (!esc)
			return -ENOMEM;
		if (strcmp(json_string_value(esc), name) != 0)
			idx = json_object_get(t->index, json_string_value(esc));
	}
	*ret = idx ? &t->names[json_integer_value(idx)] : NULL;
	return 0;
}

int logins_lookup(const struct login_table *t, const char *name, long uid, struct login_info *ret)
{
	const struct login_entry *best = NULL, *e = NULL;

	if (!t)
		return 0;
	best = find_uid(t, uid);
	if (name) {
		int r = find_name(t, name, &e);
		if (r < 0)
			return r;
	}
	if (e && (!best || newer(e->when, e->source, best)))
		best = e;
	if (!best)
		return 0;
	*ret = (struct login_info){best->when, best->source, best->from};
	return 1;
}

bool logins_any_source(const struct login_table *t)
{
	return t && t->any;
}

time_t logins_horizon(const struct login_table *t)
{
	return t ? t->horizon : 0;
}
