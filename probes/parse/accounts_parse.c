/* accounts_parse.c - pure parsers for the account databases (passwd,
 * shadow, group, gshadow), login.defs, /etc/default/useradd and
 * authorized_keys. No I/O: bytes in, structs out, problems as issues.
 *
 * The readers follow what the system itself does with the same bytes:
 * glibc's files backend for the databases (leading blanks and '#' lines
 * skipped, the first of two same-named entries wins), shadow-utils'
 * getdef for login.defs (last occurrence wins), useradd's get_defaults,
 * and pam_unix's account check for the shadow dates. Where the system
 * would be lenient with a broken line (glibc folds extra fields into the
 * shell), we report the line and skip it instead: a scanner must say
 * what is odd rather than guess.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/parse/accounts_parse.h"
#include "lib/limits.h"
#include "lib/util.h"

/* 9999-12-31 in days since the epoch: the last date RFC 3339 can carry. */
#define MAX_DAY 2932896L
/* uid_t is 32 bits and (uid_t)-1 means "no id" to the kernel. */
#define MAX_ID 4294967294L

struct span {
	const char *s;
	size_t n;
};

/* ---- issues --------------------------------------------------------- */

static int issue_add(struct parse_issues *is, unsigned line, const char *ja, const char *en)
{
	if (!is)
		return 0;
	if (is->n == is->cap) {
		size_t cap = is->cap ? is->cap * 2 : 8;
		struct parse_issue *v = reallocarray(is->v, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		is->v = v;
		is->cap = cap;
	}
	is->v[is->n++] = (struct parse_issue){line, ja, en};
	return 0;
}

void parse_issues_free(struct parse_issues *is)
{
	if (!is)
		return;
	free(is->v);
	*is = (struct parse_issues){0};
}

static int issue_cmp(const void *a, const void *b)
{
	const struct parse_issue *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

/* ---- small helpers -------------------------------------------------- */

/* Split [s, s+n) at sep into at most max spans; returns the number of
 * fields there are (which may exceed max). */
static size_t split(const char *s, size_t n, char sep, struct span *out, size_t max)
{
	size_t count = 0;
	const char *end = s + n;
	for (;;) {
		const char *p = memchr(s, sep, (size_t)(end - s));
		const char *stop = p ? p : end;
		if (count < max)
			out[count] = (struct span){s, (size_t)(stop - s)};
		count++;
		if (!p)
			return count;
		s = p + 1;
	}
}

/* A decimal id: digits only (no sign, no blanks), at most MAX_ID. */
static int parse_id(struct span f, long *ret)
{
	long v = 0;
	if (f.n == 0 || f.n > 10)
		return -EINVAL;
	for (size_t i = 0; i < f.n; i++) {
		if (f.s[i] < '0' || f.s[i] > '9')
			return -EINVAL;
		v = v * 10 + (f.s[i] - '0');
	}
	if (v > MAX_ID)
		return -ERANGE;
	*ret = v;
	return 0;
}

static char *span_dup(struct span f)
{
	return xstrndup(f.s, f.n);
}

static bool span_eq(struct span f, const char *s)
{
	return f.n == strlen(s) && memcmp(f.s, s, f.n) == 0;
}

/* What every database line goes through before its fields are split:
 * returns 1 if the line should be parsed (with leading blanks removed, as
 * glibc does), 0 to skip it, -ENOMEM. */
static int db_line_usable(struct line *l, struct parse_issues *is)
{
	while (l->len > 0 && (l->s[0] == ' ' || l->s[0] == '\t')) {
		l->s++;
		l->len--;
	}
	if (l->len == 0 || l->s[0] == '#')
		return 0;
	/* No line-length limit: glibc reads a line of any length (a group
	 * with thousands of members), and skipping it would make its
	 * members vanish. The whole file is bounded (LIMIT_ACCOUNT_DB). */
	if (memchr(l->s, '\0', l->len))
		return issue_add(is, l->lineno, "NUL バイトを含む行を読み飛ばしました",
				 "line contains a NUL byte, skipped");
	if (l->s[0] == '+' || l->s[0] == '-')
		return issue_add(is, l->lineno,
				 "NIS 互換エントリ（+/-）です。NIS のアカウントは調べていません",
				 "NIS compat entry (+/-): accounts from NIS are not inventoried");
	if (l->s[0] == ':')
		return issue_add(is, l->lineno, "名前が空のため、行を読み飛ばしました",
				 "empty name, line skipped");
	return 1;
}

static int fields_issue(struct parse_issues *is, unsigned line, size_t want)
{
	switch (want) {
	case 4:
		return issue_add(is, line,
				 "フィールド数が正しくないため（4 個必要）、行を読み飛ばしました",
				 "wrong number of fields (4 expected), line skipped");
	case 7:
		return issue_add(is, line,
				 "フィールド数が正しくないため（7 個必要）、行を読み飛ばしました",
				 "wrong number of fields (7 expected), line skipped");
	default:
		return issue_add(is, line,
				 "フィールド数が正しくないため（9 個必要）、行を読み飛ばしました",
				 "wrong number of fields (9 expected), line skipped");
	}
}

/* Grow a vector of entries of size stride by one zeroed slot. The
 * capacity is implicit: 8, then each power of two. Returns NULL on
 * allocation failure. */
static void *vec_push(void **v, size_t *n, size_t stride)
{
	bool full = *n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0);
	if (full) {
		size_t cap = *n ? *n * 2 : 8;
		void *nv = cap > SIZE_MAX / stride ? NULL : realloc(*v, cap * stride);
		if (!nv)
			return NULL;
		*v = nv;
	}
	char *slot = (char *)*v + (*n)++ * stride;
	memset(slot, 0, stride);
	return slot;
}

/* Feed every usable line of buf to fn. */
typedef int (*line_fn)(void *db, const struct line *l, bool flag, struct parse_issues *is);
static int parse_lines(const char *buf, size_t len, line_fn fn, void *db, bool flag,
		       struct parse_issues *is)
{
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		int r = db_line_usable(&l, is);
		if (r > 0)
			r = fn(db, &l, flag, is);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- generic database finishing: duplicates and lookup indexes ------- */

struct db_desc {
	size_t stride, name_off, id_off, line_off; /* id_off SIZE_MAX: no id index */
	void (*entry_free)(void *e);
};

struct idx_ctx {
	const struct db_desc *d;
	const char *base;
};

static const char *entry_name(const struct idx_ctx *c, size_t i)
{
	return *(char *const *)(c->base + i * c->d->stride + c->d->name_off);
}

static long entry_id(const struct idx_ctx *c, size_t i)
{
	return *(const long *)(c->base + i * c->d->stride + c->d->id_off);
}

static int cmp_pos(size_t a, size_t b)
{
	return (a > b) - (a < b);
}

static int cmp_by_name(const void *a, const void *b, void *ctx)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int r = strcmp(entry_name(ctx, x), entry_name(ctx, y));
	return r ? r : cmp_pos(x, y);
}

static int cmp_by_id(const void *a, const void *b, void *ctx)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long i = entry_id(ctx, x), j = entry_id(ctx, y);
	return i != j ? (i > j) - (i < j) : cmp_pos(x, y);
}

static size_t *index_build(struct idx_ctx *c, size_t n,
			   int (*cmp)(const void *, const void *, void *))
{
	size_t *idx = calloc(n ? n : 1, sizeof(*idx));
	if (!idx)
		return NULL;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp, c);
	return idx;
}

/* Drop every entry whose name an earlier entry already has, reporting
 * each. */
static int drop_duplicates(struct idx_ctx *c, char *base, size_t *n, const size_t *by_name,
			   struct parse_issues *is)
{
	const struct db_desc *d = c->d;
	bool *dup = calloc(*n ? *n : 1, sizeof(*dup));
	if (!dup)
		return -ENOMEM;
	for (size_t k = 1; k < *n; k++)
		dup[by_name[k]] =
		    strcmp(entry_name(c, by_name[k - 1]), entry_name(c, by_name[k])) == 0;
	size_t out = 0;
	int r = 0;
	for (size_t i = 0; i < *n; i++) {
		char *e = base + i * d->stride;
		if (!dup[i]) {
			memmove(base + out++ * d->stride, e, d->stride);
			continue;
		}
		if (r == 0)
			r = issue_add(is, *(unsigned *)(e + d->line_off),
				      "名前が重複しています（最初の定義が有効です）",
				      "duplicate name (the first entry is the one used)");
		d->entry_free(e);
	}
	*n = out;
	free(dup);
	return r;
}

static int db_finish(const struct db_desc *d, void *v, size_t *n, size_t **by_name, size_t **by_id,
		     struct parse_issues *is)
{
	struct idx_ctx c = {d, v};
	_cleanup_free_ size_t *first = index_build(&c, *n, cmp_by_name);
	if (!first)
		return -ENOMEM;
	int r = drop_duplicates(&c, v, n, first, is);
	if (r < 0)
		return r;
	*by_name = index_build(&c, *n, cmp_by_name);
	if (!*by_name)
		return -ENOMEM;
	if (d->id_off != SIZE_MAX) {
		*by_id = index_build(&c, *n, cmp_by_id);
		if (!*by_id)
			return -ENOMEM;
	}
	if (is && is->n > 1)
		qsort(is->v, is->n, sizeof(*is->v), issue_cmp);
	return 0;
}

/* Index of the first entry named name, or SIZE_MAX. */
static size_t index_find_name(const struct db_desc *d, const void *v, size_t n,
			      const size_t *by_name, const char *name)
{
	struct idx_ctx c = {d, v};
	size_t lo = 0, hi = n;
	if (!by_name || !name)
		return SIZE_MAX;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(entry_name(&c, by_name[mid]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(entry_name(&c, by_name[lo]), name) == 0)
		return by_name[lo];
	return SIZE_MAX;
}

/* Index of the first entry (in file order) with this id, or SIZE_MAX. */
static size_t index_find_id(const struct db_desc *d, const void *v, size_t n, const size_t *by_id,
			    long id)
{
	struct idx_ctx c = {d, v};
	size_t lo = 0, hi = n;
	if (!by_id)
		return SIZE_MAX;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (entry_id(&c, by_id[mid]) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && entry_id(&c, by_id[lo]) == id)
		return by_id[lo];
	return SIZE_MAX;
}

/* ---- password fields ------------------------------------------------- */

/* Every crypt(3) result is at least 13 characters (traditional DES) and
 * printable; anything else can never equal a hash, so it disables the
 * password ("NP", "LK", "x" in shadow, "*LK*"). */
static bool looks_like_hash(const char *s, size_t n)
{
	if (n < 13)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7f)
			return false;
	}
	return true;
}

enum pw_state pw_classify(const char *s, size_t n, bool shadow_marker)
{
	if (n == 0)
		return PW_EMPTY;
	if (shadow_marker && n == 1 && s[0] == 'x')
		return PW_SHADOW;
	if (s[0] == '!')
		return looks_like_hash(s + 1, n - 1) ? PW_LOCKED : PW_DISABLED;
	if (s[0] == '*')
		return PW_DISABLED;
	return looks_like_hash(s, n) ? PW_SET : PW_DISABLED;
}

const char *pw_state_name(enum pw_state st)
{
	switch (st) {
	case PW_SET:
		return "set";
	case PW_EMPTY:
		return "empty";
	case PW_LOCKED:
		return "locked";
	case PW_DISABLED:
		return "disabled";
	default:
		return NULL;
	}
}

/* ---- passwd ---------------------------------------------------------- */

static void passwd_entry_free(void *p)
{
	struct passwd_entry *e = p;
	free(e->name);
	free(e->gecos);
	free(e->home);
	free(e->shell);
}

static const struct db_desc passwd_desc = {
    sizeof(struct passwd_entry),
    offsetof(struct passwd_entry, name),
    offsetof(struct passwd_entry, uid),
    offsetof(struct passwd_entry, line),
    passwd_entry_free,
};

static int passwd_line(void *db_, const struct line *l, bool unused, struct parse_issues *is)
{
	struct passwd_db *db = db_;
	struct span f[7];
	long uid, gid;
	if (split(l->s, l->len, ':', f, 7) != 7)
		return fields_issue(is, l->lineno, 7);
	if (parse_id(f[2], &uid) < 0)
		return issue_add(is, l->lineno,
				 "UID が範囲内の数値ではないため、行を読み飛ばしました",
				 "UID is not a number in range, line skipped");
	if (parse_id(f[3], &gid) < 0)
		return issue_add(is, l->lineno,
				 "GID が範囲内の数値ではないため、行を読み飛ばしました",
				 "GID is not a number in range, line skipped");
	struct passwd_entry *e = vec_push((void **)&db->v, &db->n, sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = (struct passwd_entry){
	    .name = span_dup(f[0]),
	    .gecos = span_dup(f[4]),
	    .home = span_dup(f[5]),
	    .shell = span_dup(f[6]),
	    .uid = uid,
	    .gid = gid,
	    .pw = pw_classify(f[1].s, f[1].n, true),
	    .line = l->lineno,
	};
	if (!e->name || !e->gecos || !e->home || !e->shell)
		return -ENOMEM;
	return 0;
}

int passwd_parse(const char *buf, size_t len, struct passwd_db *ret, struct parse_issues *issues)
{
	*ret = (struct passwd_db){0};
	int r = parse_lines(buf, len, passwd_line, ret, false, issues);
	if (r == 0)
		r = db_finish(&passwd_desc, ret->v, &ret->n, &ret->by_name, &ret->by_id, issues);
	if (r < 0)
		passwd_db_free(ret);
	return r;
}

void passwd_db_free(struct passwd_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++)
		passwd_entry_free(&db->v[i]);
	free(db->v);
	free(db->by_name);
	free(db->by_id);
	*db = (struct passwd_db){0};
}

const struct passwd_entry *passwd_find(const struct passwd_db *db, const char *name)
{
	size_t i = index_find_name(&passwd_desc, db->v, db->n, db->by_name, name);
	return i == SIZE_MAX ? NULL : &db->v[i];
}

const struct passwd_entry *passwd_find_uid(const struct passwd_db *db, long uid)
{
	size_t i = index_find_id(&passwd_desc, db->v, db->n, db->by_id, uid);
	return i == SIZE_MAX ? NULL : &db->v[i];
}

/* ---- shadow ---------------------------------------------------------- */

static void shadow_entry_free(void *p)
{
	struct shadow_entry *e = p;
	free(e->name);
}

static const struct db_desc shadow_desc = {
    sizeof(struct shadow_entry),
    offsetof(struct shadow_entry, name),
    SIZE_MAX,
    offsetof(struct shadow_entry, line),
    shadow_entry_free,
};

/* A shadow number: empty or -1 is "none"; otherwise digits up to max. */
static long shadow_number(struct span f, long max, bool *bad)
{
	long v;
	if (f.n == 0 || span_eq(f, "-1"))
		return SHADOW_NONE;
	if (parse_id(f, &v) < 0 || v > max) {
		*bad = true;
		return SHADOW_BAD;
	}
	return v;
}

static int shadow_line(void *db_, const struct line *l, bool unused, struct parse_issues *is)
{
	struct shadow_db *db = db_;
	struct span f[9];
	bool bad = false;
	if (split(l->s, l->len, ':', f, 9) != 9)
		return fields_issue(is, l->lineno, 9);
	struct shadow_entry *e = vec_push((void **)&db->v, &db->n, sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = (struct shadow_entry){
	    .name = span_dup(f[0]),
	    .pw = pw_classify(f[1].s, f[1].n, false),
	    .lastchg = shadow_number(f[2], MAX_DAY, &bad),
	    .min = shadow_number(f[3], INT32_MAX, &bad),
	    .max = shadow_number(f[4], INT32_MAX, &bad),
	    .warn = shadow_number(f[5], INT32_MAX, &bad),
	    .inactive = shadow_number(f[6], INT32_MAX, &bad),
	    .expire = shadow_number(f[7], MAX_DAY, &bad),
	    .line = l->lineno,
	};
	if (!e->name)
		return -ENOMEM;
	if (bad)
		return issue_add(
		    is, l->lineno,
		    "日数のフィールドが範囲内の数値ではありません（その値は不明として扱いま"
		    "す）",
		    "a day-count field is not a number in range (treated as unknown)");
	return 0;
}

int shadow_parse(const char *buf, size_t len, struct shadow_db *ret, struct parse_issues *issues)
{
	*ret = (struct shadow_db){0};
	int r = parse_lines(buf, len, shadow_line, ret, false, issues);
	if (r == 0)
		r = db_finish(&shadow_desc, ret->v, &ret->n, &ret->by_name, &ret->by_id, issues);
	if (r < 0)
		shadow_db_free(ret);
	return r;
}

void shadow_db_free(struct shadow_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++)
		shadow_entry_free(&db->v[i]);
	free(db->v);
	free(db->by_name);
	free(db->by_id);
	*db = (struct shadow_db){0};
}

const struct shadow_entry *shadow_find(const struct shadow_db *db, const char *name)
{
	size_t i = index_find_name(&shadow_desc, db->v, db->n, db->by_name, name);
	return i == SIZE_MAX ? NULL : &db->v[i];
}

static enum tri tri_of(bool b)
{
	return b ? TRI_TRUE : TRI_FALSE;
}

/* Password age facts. pam_unix: lastchg 0 forces a change; a password
 * older than max days must be changed; older than max + inactive days the
 * account is refused. An empty lastchg turns aging off (shadow(5)). */
static void judge_password(const struct shadow_entry *e, long today, struct shadow_facts *f)
{
	if (e->lastchg == SHADOW_BAD) {
		f->must_change = f->password_expired = f->inactive_locked = TRI_UNKNOWN;
		return;
	}
	f->must_change = tri_of(e->lastchg == 0);
	f->password_expired = f->inactive_locked = TRI_FALSE;
	if (e->lastchg == 0) {
		f->password_expired = TRI_TRUE;
		return;
	}
	if (e->lastchg == SHADOW_NONE)
		return;
	f->has_changed = true;
	f->changed = (time_t)e->lastchg * 86400;
	f->days_since_change = today - e->lastchg;
	if (e->max == SHADOW_BAD)
		f->password_expired = TRI_UNKNOWN;
	else if (e->max >= 0)
		f->password_expired = tri_of(f->days_since_change > e->max);
	if (e->max == SHADOW_BAD || e->inactive == SHADOW_BAD)
		f->inactive_locked = TRI_UNKNOWN;
	else if (e->max >= 0 && e->inactive >= 0)
		f->inactive_locked = tri_of(f->days_since_change > e->max + e->inactive);
}

void shadow_judge(const struct shadow_entry *e, time_t now, struct shadow_facts *ret)
{
	long today = days_between(0, now);
	*ret = (struct shadow_facts){0};
	judge_password(e, today, ret);
	if (e->expire == SHADOW_BAD) {
		ret->expired = TRI_UNKNOWN;
		return;
	}
	ret->expired = TRI_FALSE;
	if (e->expire == SHADOW_NONE)
		return;
	/* pam_unix refuses from the expiry day on, and takes 0 literally
	 * (1970-01-01: expired), which shadow(5) warns about. */
	ret->has_expires = true;
	ret->expires = (time_t)e->expire * 86400;
	ret->expired = tri_of(today >= e->expire);
}

/* ---- group and gshadow ---------------------------------------------- */

static void namelist_free(struct namelist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct namelist){0};
}

static void group_entry_free(void *p)
{
	struct group_entry *e = p;
	free(e->name);
	namelist_free(&e->members);
	namelist_free(&e->admins);
}

static const struct db_desc group_desc = {
    sizeof(struct group_entry),
    offsetof(struct group_entry, name),
    offsetof(struct group_entry, gid),
    offsetof(struct group_entry, line),
    group_entry_free,
};

/* Comma-separated names; empty ones dropped. */
static int namelist_parse(struct span f, struct namelist *ret)
{
	const char *p = f.s, *end = f.s + f.n;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *stop = c ? c : end;
		if (stop > p) {
			char **v = reallocarray(ret->v, ret->n + 1, sizeof(*v));
			if (!v)
				return -ENOMEM;
			ret->v = v;
			v[ret->n] = xstrndup(p, (size_t)(stop - p));
			if (!v[ret->n])
				return -ENOMEM;
			ret->n++;
		}
		p = stop + 1;
	}
	return 0;
}

bool namelist_has(const struct namelist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return true;
	return false;
}

static int group_line(void *db_, const struct line *l, bool is_gshadow, struct parse_issues *is)
{
	struct group_db *db = db_;
	struct span f[4];
	long gid = -1;
	if (split(l->s, l->len, ':', f, 4) != 4)
		return fields_issue(is, l->lineno, 4);
	if (!is_gshadow && parse_id(f[2], &gid) < 0)
		return issue_add(is, l->lineno,
				 "GID が範囲内の数値ではないため、行を読み飛ばしました",
				 "GID is not a number in range, line skipped");
	struct group_entry *e = vec_push((void **)&db->v, &db->n, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->name = span_dup(f[0]);
	e->gid = gid;
	e->pw = pw_classify(f[1].s, f[1].n, !is_gshadow);
	e->line = l->lineno;
	if (!e->name || namelist_parse(f[3], &e->members) < 0)
		return -ENOMEM;
	if (is_gshadow && namelist_parse(f[2], &e->admins) < 0)
		return -ENOMEM;
	return 0;
}

int group_parse(const char *buf, size_t len, bool is_gshadow, struct group_db *ret,
		struct parse_issues *issues)
{
	*ret = (struct group_db){0};
	int r = parse_lines(buf, len, group_line, ret, is_gshadow, issues);
	if (r == 0)
		r = db_finish(&group_desc, ret->v, &ret->n, &ret->by_name, &ret->by_id, issues);
	if (r < 0)
		group_db_free(ret);
	return r;
}

void group_db_free(struct group_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++)
		group_entry_free(&db->v[i]);
	free(db->v);
	free(db->by_name);
	free(db->by_id);
	*db = (struct group_db){0};
}

const struct group_entry *group_find(const struct group_db *db, const char *name)
{
	size_t i = index_find_name(&group_desc, db->v, db->n, db->by_name, name);
	return i == SIZE_MAX ? NULL : &db->v[i];
}

const struct group_entry *group_find_gid(const struct group_db *db, long gid)
{
	size_t i = index_find_id(&group_desc, db->v, db->n, db->by_id, gid);
	return i == SIZE_MAX ? NULL : &db->v[i];
}

/* ---- login.defs and /etc/default/useradd ---------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One login.defs line as getdef splits it into key and value; 1 if the
 * line holds a definition. The line is cut at a NUL byte as fgets+strlen
 * would. */
static int defs_split(struct line l, struct span *key, struct span *value)
{
	const char *nul = memchr(l.s, '\0', l.len);
	if (nul)
		l.len = (size_t)(nul - l.s);
	str_trim(&l.s, &l.len);
	if (l.len == 0 || l.s[0] == '#')
		return 0;
	size_t k = 0;
	while (k < l.len && !is_blank(l.s[k]))
		k++;
	if (k == l.len)
		return 0; /* a key alone: getdef ignores it */
	*key = (struct span){l.s, k};
	size_t v = k;
	while (v < l.len && (is_blank(l.s[v]) || l.s[v] == '"'))
		v++;
	const char *q = memchr(l.s + v, '"', l.len - v);
	*value = (struct span){l.s + v, q ? (size_t)(q - (l.s + v)) : l.len - v};
	return 1;
}

static int last_value(struct span found, bool have, unsigned line, char **ret, unsigned *ret_line)
{
	if (!have)
		return 0;
	*ret = span_dup(found);
	if (!*ret)
		return -ENOMEM;
	if (ret_line)
		*ret_line = line;
	return 1;
}

int login_defs_get(const char *buf, size_t len, const char *key, char **ret, unsigned *ret_line)
{
	struct line_iter it;
	struct line l;
	struct span k, v, found = {0};
	unsigned at = 0;
	bool have = false;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		if (l.len > LIMIT_LINE || !defs_split(l, &k, &v) || !span_eq(k, key))
			continue;
		found = v;
		at = l.lineno;
		have = true;
	}
	return last_value(found, have, at, ret, ret_line);
}

int useradd_get(const char *buf, size_t len, const char *key, char **ret, unsigned *ret_line)
{
	struct line_iter it;
	struct line l;
	struct span found = {0};
	unsigned at = 0;
	bool have = false;
	size_t klen = strlen(key);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *nul = memchr(l.s, '\0', l.len);
		if (nul)
			l.len = (size_t)(nul - l.s);
		if (l.len > LIMIT_LINE || l.len <= klen || l.s[klen] != '=' ||
		    memcmp(l.s, key, klen) != 0)
			continue;
		found = (struct span){l.s + klen + 1, l.len - klen - 1};
		at = l.lineno;
		have = true;
	}
	return last_value(found, have, at, ret, ret_line);
}

int defs_number(const char *s, long *ret)
{
	char *end;
	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || *end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

/* A numeric login.defs key. Absent: def (JSON null if def_null). Set but
 * not a number: an issue and def, as getdef falls back to its default. */
struct num_key {
	const char *key, *field;
	long def;
	bool def_null, is_mode;
};

static json_t *num_json(long v, bool is_mode)
{
	if (is_mode)
		return v >= 0 && v <= 07777 ? json_mode((unsigned)v) : json_null();
	return json_integer(v);
}

static int defs_num(json_t *out, const char *buf, size_t len, const struct num_key *k,
		    struct parse_issues *is)
{
	_cleanup_free_ char *s = NULL;
	unsigned line = 0;
	long v = k->def;
	int r = login_defs_get(buf, len, k->key, &s, &line);
	if (r < 0)
		return r;
	if (r > 0 && defs_number(s, &v) < 0) {
		v = k->def;
		if (issue_add(is, line, "数値ではない値のため既定値を使います",
			      "value is not a number; the default applies") < 0)
			return -ENOMEM;
	}
	if (r == 0 && k->def_null)
		return json_set(out, k->field, json_null());
	return json_set(out, k->field, num_json(v, k->is_mode));
}

static int defs_str(json_t *out, const char *buf, size_t len, const char *key, const char *field)
{
	_cleanup_free_ char *s = NULL;
	int r = login_defs_get(buf, len, key, &s, NULL);
	if (r < 0)
		return r;
	return json_set(out, field, r > 0 ? json_str(s) : json_null());
}

/* The keys of login.defs that are present, sorted. */
static json_t *defs_defined(const char *buf, size_t len)
{
	static const char *const keys[] = {"ENCRYPT_METHOD", "PASS_MAX_DAYS", "PASS_MIN_DAYS",
					   "PASS_MIN_LEN",   "PASS_WARN_AGE", "SYS_UID_MAX",
					   "UID_MAX",	     "UID_MIN",	      "UMASK"};
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < ARRAY_SIZE(keys); i++) {
		_cleanup_free_ char *s = NULL;
		int r = login_defs_get(buf, len, keys[i], &s, NULL);
		if (r < 0 || (r > 0 && json_array_append_new(arr, json_string(keys[i])) < 0)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int login_defs_fill(json_t *out, const char *buf, size_t len, struct parse_issues *is)
{
	struct num_key keys[] = {
	    {"UID_MIN", "uid_min", 1000, false, false},
	    {"UID_MAX", "uid_max", 60000, false, false},
	    {"SYS_UID_MAX", "sys_uid_max", 999, false, false},
	    {"PASS_MAX_DAYS", "pass_max_days", -1, false, false},
	    {"PASS_MIN_DAYS", "pass_min_days", -1, false, false},
	    {"PASS_WARN_AGE", "pass_warn_age", -1, false, false},
	    {"PASS_MIN_LEN", "pass_min_len", 0, true, false},
	    {"UMASK", "umask", 022, false, true},
	};
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (i == 2) /* useradd: SYS_UID_MAX defaults to UID_MIN - 1 */
			keys[i].def = json_integer_value(json_object_get(out, "uid_min")) - 1;
		int r = defs_num(out, buf, len, &keys[i], is);
		if (r < 0)
			return r;
	}
	if (defs_str(out, buf, len, "ENCRYPT_METHOD", "encrypt_method") < 0)
		return -ENOMEM;
	return json_set(out, "defined", defs_defined(buf, len));
}

static int useradd_fill(json_t *out, const char *buf, size_t len, struct parse_issues *is)
{
	_cleanup_free_ char *inactive = NULL, *expire = NULL, *shell = NULL;
	unsigned line = 0;
	long v = -1;
	if (useradd_get(buf, len, "INACTIVE", &inactive, &line) < 0 ||
	    useradd_get(buf, len, "EXPIRE", &expire, NULL) < 0 ||
	    useradd_get(buf, len, "SHELL", &shell, NULL) < 0)
		return -ENOMEM;
	if (inactive && (defs_number(inactive, &v) < 0 || v < -1)) {
		v = -1;
		if (issue_add(is, line, "INACTIVE が数値ではないため -1 として扱います",
			      "INACTIVE is not a number; useradd uses -1") < 0)
			return -ENOMEM;
	}
	if (json_set(out, "useradd_inactive", json_integer(v)) < 0 ||
	    json_set(out, "useradd_expire", json_str(expire ? expire : "")) < 0)
		return -ENOMEM;
	return json_set(out, "useradd_shell", json_str(shell));
}

static const char *const login_defs_fields[] = {
    "uid_min",		"uid_max",	  "sys_uid_max",   "pass_max_days",  "pass_min_days",
    "pass_warn_age",	"pass_min_len",	  "umask",	   "encrypt_method", "defined",
    "useradd_inactive", "useradd_expire", "useradd_shell",
};

json_t *login_defs_json(const char *defs, size_t defs_len, const char *useradd, size_t useradd_len,
			bool useradd_missing, struct parse_issues *defs_issues,
			struct parse_issues *useradd_issues)
{
	json_auto_t *out = json_object();
	if (!out)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(login_defs_fields); i++)
		if (json_set(out, login_defs_fields[i], json_null()) < 0)
			return NULL;
	if (defs && login_defs_fill(out, defs, defs_len, defs_issues) < 0)
		return NULL;
	if ((useradd || useradd_missing) &&
	    useradd_fill(out, useradd ? useradd : "", useradd ? useradd_len : 0, useradd_issues) <
		0)
		return NULL;
	return json_incref(out);
}

long login_defs_uid_min(const json_t *login_defs)
{
	json_t *v = json_object_get(login_defs, "uid_min");
	return json_is_integer(v) ? (long)json_integer_value(v) : 1000;
}

long login_defs_uid_max(const json_t *login_defs)
{
	json_t *v = json_object_get(login_defs, "uid_max");
	return json_is_integer(v) ? (long)json_integer_value(v) : 60000;
}

/* ---- authorized_keys ------------------------------------------------ */

/* Key types sshd accepts (sshkey.c's table), certificates included. */
static const char *const key_types[] = {
    "ssh-ed25519",
    "ssh-ed25519-cert-v01@openssh.com",
    "sk-ssh-ed25519@openssh.com",
    "sk-ssh-ed25519-cert-v01@openssh.com",
    "ssh-rsa",
    "ssh-rsa-cert-v01@openssh.com",
    "rsa-sha2-256",
    "rsa-sha2-512",
    "rsa-sha2-256-cert-v01@openssh.com",
    "rsa-sha2-512-cert-v01@openssh.com",
    "ssh-dss",
    "ssh-dss-cert-v01@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ecdsa-sha2-nistp256-cert-v01@openssh.com",
    "ecdsa-sha2-nistp384-cert-v01@openssh.com",
    "ecdsa-sha2-nistp521-cert-v01@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
    "ssh-xmss@openssh.com",
    "ssh-xmss-cert-v01@openssh.com",
};

static bool is_key_type(struct span w)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_types); i++)
		if (span_eq(w, key_types[i]))
			return true;
	return false;
}

/* The word at p (up to a blank outside double quotes, as sshd skips an
 * options list: a backslash escapes a quote inside). */
static struct span next_word(const char **p, const char *end, bool quoting)
{
	bool quoted = false;
	while (*p < end && is_blank(**p))
		(*p)++;
	const char *s = *p;
	for (; *p < end && (quoted || !is_blank(**p)); (*p)++) {
		if (!quoting)
			continue;
		if (**p == '\\' && *p + 1 < end && (*p)[1] == '"')
			(*p)++;
		else if (**p == '"')
			quoted = !quoted;
	}
	return (struct span){s, (size_t)(*p - s)};
}

/* A key line: [options] keytype base64 [comment]. */
static bool key_line(struct line l)
{
	const char *nul = memchr(l.s, '\0', l.len);
	const char *p = l.s, *end = nul ? nul : l.s + l.len;
	struct span w = next_word(&p, end, true);
	if (w.n == 0 || w.s[0] == '#')
		return false;
	if (!is_key_type(w)) {
		p = w.s;
		next_word(&p, end, true); /* the options */
		w = next_word(&p, end, false);
		if (!is_key_type(w))
			return false;
	}
	return next_word(&p, end, false).n > 0;
}

size_t authorized_keys_count(const char *buf, size_t len)
{
	struct line_iter it;
	struct line l;
	size_t n = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l))
		n += key_line(l);
	return n;
}

/* ---- shells --------------------------------------------------------- */

bool shell_is_interactive(const char *shell)
{
	static const char *const no_login[] = {
	    "/usr/sbin/nologin", "/sbin/nologin",  "/bin/false", "/usr/bin/false",
	    "/bin/sync",	 "/sbin/shutdown", "/sbin/halt", "/usr/bin/nologin",
	};
	if (!shell || !*shell)
		return true; /* passwd(5): an empty shell is /bin/sh */
	for (size_t i = 0; i < ARRAY_SIZE(no_login); i++)
		if (strcmp(shell, no_login[i]) == 0)
			return false;
	const char *base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	return strcmp(base, "nologin") != 0 && strcmp(base, "false") != 0;
}
