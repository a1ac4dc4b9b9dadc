/* accounts.c - the "accounts" probe (checklist 2(4) and 2(5)): who can
 * log in, with what, since when, with which privileges.
 *
 * Reads /etc/passwd, shadow, group, gshadow, login.defs,
 * /etc/default/useradd and each account's authorized_keys through
 * ctx->root, and hands off to the sudoers reader (probes/read/sudoers.h) and
 * the last-login reader (probes/read/logins.h). Parsing lives in
 * accounts_parse.c; this file does the I/O, joins the databases and
 * writes the facts (columns in accounts_schema.c). Password hashes and
 * key material are never copied into the inventory: the parsers reduce
 * them to a state and a count.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "probes/parse/accounts_parse.h"
#include "lib/limits.h"
#include "probes/read/logins.h"
#include "probes/probe.h"
#include "probes/read/sudoers.h"

#define PATH_PASSWD	"/etc/passwd"
#define PATH_SHADOW	"/etc/shadow"
#define PATH_GROUP	"/etc/group"
#define PATH_GSHADOW	"/etc/gshadow"
#define PATH_LOGIN_DEFS "/etc/login.defs"
#define PATH_LOGIN_DEFS_USR                                                                        \
	"/usr/etc/login.defs" /* libeconf vendor default                                           \
			       */
#define PATH_USERADD "/etc/default/useradd"

/* The group indexes of one account (primary first), into st->gr.v. */
struct acct_groups {
	size_t *v;
	size_t n;
};

struct acct_state {
	struct probe_ctx *ctx;
	struct passwd_db pw;
	struct shadow_db sh;
	struct group_db gr, gs;
	bool have_shadow, have_group, have_gshadow;
	long uid_min, uid_max;
	struct acct_groups *groups;    /* one per pw entry */
	struct acct_groups *primaries; /* one per group: accounts whose primary group it is */
	json_t *accounts;	       /* objects in pw order until sorted */
	json_t *files;
};

static void acct_state_free(struct acct_state *st)
{
	for (size_t i = 0; st->groups && i < st->pw.n; i++)
		free(st->groups[i].v);
	for (size_t k = 0; st->primaries && k < st->gr.n; k++)
		free(st->primaries[k].v);
	free(st->groups);
	free(st->primaries);
	passwd_db_free(&st->pw);
	shadow_db_free(&st->sh);
	group_db_free(&st->gr);
	group_db_free(&st->gs);
	json_decref(st->accounts);
	json_decref(st->files);
}

/* ---- reading and reporting ----------------------------------------- */

static void report_issues(struct probe_ctx *ctx, const char *path, const struct parse_issues *is)
{
	size_t shown = is->n < LIMIT_LINE_MESSAGES ? is->n : LIMIT_LINE_MESSAGES;
	for (size_t i = 0; i < shown; i++) {
		if (is->v[i].line)
			probe_line_error(ctx, path, is->v[i].line, is->v[i].ja, is->v[i].en);
		else
			probe_msg(ctx, "%s: %s", "%s: %s", path, is->v[i].ja, is->v[i].en);
	}
	if (is->n > shown)
		probe_msg(ctx, "%s: ほかに %zu 件の問題があります", "%s: %zu more problems", path,
			  is->n - shown);
}

/* Read path into b; on failure report it (missing is an error too: every
 * file read here exists on a shadow-utils system). */
static int read_file(struct probe_ctx *ctx, const char *path, size_t max, struct buf *b)
{
	int r = fsroot_read(ctx->root, path, max, b);
	if (r < 0)
		probe_file_error(ctx, path, r, false);
	return r;
}

/* passwd is read once per scan and shared (fsroot_read_shared): other
 * probes resolve owners and homes from the same bytes. */
static int load_passwd(struct acct_state *st)
{
	const struct buf *b = NULL;
	struct parse_issues is = {0};
	int r = fsroot_read_shared(st->ctx->root, PATH_PASSWD, LIMIT_ACCOUNT_DB, &b);
	if (r < 0) {
		probe_file_error(st->ctx, PATH_PASSWD, r, false);
		return r;
	}
	r = passwd_parse(b->data, b->len, &st->pw, &is);
	if (r == 0)
		report_issues(st->ctx, PATH_PASSWD, &is);
	if (r == 0 && is.n)
		probe_incomplete(st->ctx, "accounts"); /* a skipped line is an account unseen */
	parse_issues_free(&is);
	return r;
}

static int load_shadow(struct acct_state *st)
{
	_cleanup_buf_ struct buf b = {0};
	struct parse_issues is = {0};
	if (read_file(st->ctx, PATH_SHADOW, LIMIT_ACCOUNT_DB, &b) < 0)
		return 0;
	int r = shadow_parse(b.data, b.len, &st->sh, &is);
	if (r == 0) {
		st->have_shadow = true;
		report_issues(st->ctx, PATH_SHADOW, &is);
		if (is.n)
			probe_incomplete(st->ctx, "accounts");
	}
	parse_issues_free(&is);
	return r;
}

/* group is shared like passwd; gshadow, like shadow, is read, reduced to
 * facts and freed at once. */
static int load_groups(struct acct_state *st, const char *path, bool is_gshadow)
{
	_cleanup_buf_ struct buf own = {0};
	const struct buf *b = &own;
	struct parse_issues is = {0};
	int e = is_gshadow ? fsroot_read(st->ctx->root, path, LIMIT_ACCOUNT_DB, &own)
			   : fsroot_read_shared(st->ctx->root, path, LIMIT_ACCOUNT_DB, &b);
	if (e < 0) {
		probe_file_error(st->ctx, path, e, false);
		return 0;
	}
	int r = group_parse(b->data, b->len, is_gshadow, is_gshadow ? &st->gs : &st->gr, &is);
	if (r == 0) {
		*(is_gshadow ? &st->have_gshadow : &st->have_group) = true;
		report_issues(st->ctx, path, &is);
		/* A skipped group line hides its members: every account's
		 * groups (and so who is an administrator) may be short. */
		if (is.n) {
			probe_incomplete(st->ctx, "accounts");
			probe_incomplete(st->ctx, "groups");
		}
	}
	parse_issues_free(&is);
	return r;
}

/* login.defs (or the vendor copy libeconf-based shadow reads when /etc has
 * none) and /etc/default/useradd into the "login_defs" object. */
static int load_login_defs(struct acct_state *st)
{
	struct probe_ctx *ctx = st->ctx;
	_cleanup_buf_ struct buf defs = {0}, ua = {0};
	struct parse_issues di = {0}, ui = {0};
	const char *defs_path = PATH_LOGIN_DEFS;
	int r = fsroot_read(ctx->root, defs_path, LIMIT_CONFIG_FILE, &defs);
	if (r == -ENOENT &&
	    fsroot_read(ctx->root, PATH_LOGIN_DEFS_USR, LIMIT_CONFIG_FILE, &defs) == 0) {
		defs_path = PATH_LOGIN_DEFS_USR;
		r = 0;
	}
	if (r < 0)
		probe_file_error(ctx, PATH_LOGIN_DEFS, r, false);
	int ur = fsroot_read(ctx->root, PATH_USERADD, LIMIT_CONFIG_FILE, &ua);
	if (ur < 0)
		probe_file_error(ctx, PATH_USERADD, ur, true); /* missing: useradd's defaults */
	json_t *j = login_defs_json(r == 0 ? defs.data : NULL, defs.len, ur == 0 ? ua.data : NULL,
				    ua.len, ur == -ENOENT, &di, &ui);
	report_issues(ctx, defs_path, &di);
	report_issues(ctx, PATH_USERADD, &ui);
	parse_issues_free(&di);
	parse_issues_free(&ui);
	st->uid_min = login_defs_uid_min(j);
	st->uid_max = login_defs_uid_max(j);
	return json_set(ctx->inventory, "login_defs", j);
}

/* ---- files ------------------------------------------------------------ */

static const char *file_type(mode_t m)
{
	if (S_ISREG(m))
		return "file";
	if (S_ISDIR(m))
		return "directory";
	if (S_ISLNK(m))
		return "symlink";
	return "other";
}

static int stat_fields(json_t *o, const struct stat *s)
{
	if (!s)
		return json_set(o, "mode", json_null()) | json_set(o, "uid", json_null()) |
		       json_set(o, "gid", json_null());
	return json_set(o, "mode", json_mode(s->st_mode)) |
	       json_set(o, "uid", json_integer(s->st_uid)) |
	       json_set(o, "gid", json_integer(s->st_gid));
}

/* The "files" fact for path: lstat first; a symlink is recorded as such
 * with the mode and owner of what it points to inside the root. */
static json_t *file_fact(struct probe_ctx *ctx, const char *path)
{
	json_auto_t *o = json_object();
	struct stat ls, ts;
	int r = fsroot_stat(ctx->root, path, false, &ls);
	if (!o || json_set(o, "path", json_string(path)) < 0)
		return NULL;
	if (r < 0 && r != -ENOENT)
		probe_file_error(ctx, path, r, false);
	int e = json_set(o, "exists",
			 r == 0		? json_true()
			 : r == -ENOENT ? json_false()
					: json_null());
	e |= json_set(o, "type", r == 0 ? json_string(file_type(ls.st_mode)) : json_null());
	if (r == 0 && S_ISLNK(ls.st_mode))
		r = fsroot_stat(ctx->root, path, true, &ts);
	else
		ts = ls;
	e |= stat_fields(o, r == 0 ? &ts : NULL);
	e |= json_set(o, "owner", json_null()) | json_set(o, "group", json_null());
	return e < 0 ? NULL : json_incref(o);
}

static int add_file_facts(struct acct_state *st)
{
	static const char *const paths[] = {PATH_PASSWD, PATH_GROUP, PATH_SHADOW, PATH_GSHADOW,
					    PATH_LOGIN_DEFS};
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		if (json_array_append_new(st->files, file_fact(st->ctx, paths[i])) < 0)
			return -ENOMEM;
	return 0;
}

/* Owner and group names for every file fact (ours and the sudoers
 * reader's), from the root's own databases. */
static int name_file_owners(struct acct_state *st)
{
	size_t i;
	json_t *f;
	json_array_foreach(st->files, i, f) {
		json_t *uid = json_object_get(f, "uid"), *gid = json_object_get(f, "gid");
		const struct passwd_entry *p =
		    json_is_integer(uid) ? passwd_find_uid(&st->pw, json_integer_value(uid)) : NULL;
		const struct group_entry *g = json_is_integer(gid) && st->have_group
						  ? group_find_gid(&st->gr, json_integer_value(gid))
						  : NULL;
		if (json_set(f, "owner", p ? json_str(p->name) : json_null()) < 0 ||
		    json_set(f, "group", g ? json_str(g->name) : json_null()) < 0)
			return -ENOMEM;
	}
	json_array_sort_by(st->files, "path");
	return 0;
}

/* ---- group memberships ------------------------------------------------ */

/* Append v to g; with dedup, only if it is not there yet (an account's
 * own group list is short; a group's primary members are unique). */
static int idx_push(struct acct_groups *g, size_t v, bool dedup)
{
	for (size_t i = 0; dedup && i < g->n; i++)
		if (g->v[i] == v)
			return 0;
	if ((g->n & (g->n - 1)) == 0) { /* 0, 1, 2, 4...: grow to double */
		size_t *nv = reallocarray(g->v, g->n ? g->n * 2 : 1, sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		g->v = nv;
	}
	g->v[g->n++] = v;
	return 0;
}

/* Each account's groups: its primary group (the first with its gid, as
 * getgrgid answers) and every group that lists it as a member; and each
 * group's primary members. */
static int build_memberships(struct acct_state *st)
{
	st->groups = calloc(st->pw.n ? st->pw.n : 1, sizeof(*st->groups));
	st->primaries = calloc(st->gr.n ? st->gr.n : 1, sizeof(*st->primaries));
	if (!st->groups || !st->primaries)
		return -ENOMEM;
	for (size_t i = 0; st->have_group && i < st->pw.n; i++) {
		const struct group_entry *g = group_find_gid(&st->gr, st->pw.v[i].gid);
		if (!g)
			continue;
		size_t k = (size_t)(g - st->gr.v);
		if (idx_push(&st->groups[i], k, true) < 0 ||
		    idx_push(&st->primaries[k], i, false) < 0)
			return -ENOMEM;
	}
	for (size_t k = 0; st->have_group && k < st->gr.n; k++) {
		const struct namelist *m = &st->gr.v[k].members;
		for (size_t j = 0; j < m->n; j++) {
			const struct passwd_entry *p = passwd_find(&st->pw, m->v[j]);
			if (p && idx_push(&st->groups[p - st->pw.v], k, true) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, unique JSON array of the strings in v (borrowed). */
static json_t *sorted_names(const char **v, size_t n)
{
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i - 1], v[i]) == 0)
			continue;
		if (json_array_append_new(arr, json_str(v[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *account_group_names(const struct acct_state *st, size_t i)
{
	if (!st->have_group)
		return json_null();
	const struct acct_groups *g = &st->groups[i];
	_cleanup_free_ const char **v = calloc(g->n ? g->n : 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t k = 0; k < g->n; k++)
		v[k] = st->gr.v[g->v[k]].name;
	return sorted_names(v, g->n);
}

static bool account_in_gid(const struct acct_state *st, size_t i, long gid)
{
	if (st->pw.v[i].gid == gid)
		return true;
	for (size_t k = 0; st->have_group && k < st->groups[i].n; k++)
		if (st->gr.v[st->groups[i].v[k]].gid == gid)
			return true;
	return false;
}

static bool account_in_group(const struct acct_state *st, size_t i, const char *name)
{
	for (size_t k = 0; st->have_group && k < st->groups[i].n; k++)
		if (strcmp(st->gr.v[st->groups[i].v[k]].name, name) == 0)
			return true;
	return false;
}

/* ---- account facts -------------------------------------------------- */

static json_t *tri_json(enum tri t)
{
	return t == TRI_UNKNOWN ? json_null() : json_boolean(t == TRI_TRUE);
}

static enum tri tri_not(enum tri t)
{
	return t == TRI_UNKNOWN ? TRI_UNKNOWN : t == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
}

static json_t *time_json(time_t t)
{
	char s[21];
	time_rfc3339(t, s);
	return json_string(s);
}

/* The password that decides: passwd's own field unless it is "x", then
 * shadow's; "x" with no shadow line can match nothing. */
static enum pw_state account_pw(const struct acct_state *st, const struct passwd_entry *p,
				const struct shadow_entry *s)
{
	if (p->pw != PW_SHADOW)
		return p->pw;
	if (!st->have_shadow)
		return PW_UNKNOWN;
	return s ? s->pw : PW_DISABLED;
}

static int set_password_state(json_t *o, enum pw_state pw)
{
	const char *name = pw_state_name(pw);
	enum tri locked = pw == PW_UNKNOWN			 ? TRI_UNKNOWN
			  : pw == PW_LOCKED || pw == PW_DISABLED ? TRI_TRUE
								 : TRI_FALSE;
	return json_set(o, "password_state", name ? json_string(name) : json_null()) |
	       json_set(o, "locked", tri_json(locked));
}

/* The shadow-derived facts: all null when shadow is unreadable; no aging
 * and no expiry when the account has no shadow line. */
static int set_shadow_facts(const struct acct_state *st, json_t *o, const struct shadow_entry *s,
			    struct shadow_facts *f)
{
	static const struct shadow_entry none = {.lastchg = SHADOW_NONE,
						 .max = SHADOW_NONE,
						 .inactive = SHADOW_NONE,
						 .expire = SHADOW_NONE};
	bool known = st->have_shadow;
	shadow_judge(s ? s : &none, st->ctx->now, f);
	if (!known)
		*f = (struct shadow_facts){.must_change = TRI_UNKNOWN,
					   .password_expired = TRI_UNKNOWN,
					   .inactive_locked = TRI_UNKNOWN,
					   .expired = TRI_UNKNOWN};
	long max = s && s->max >= 0 ? s->max : -1, inact = s && s->inactive >= 0 ? s->inactive : -1;
	int e = json_set(o, "shadow_entry", known ? json_boolean(s != NULL) : json_null());
	e |= json_set(o, "expired", tri_json(f->expired));
	e |= json_set(o, "account_expires", f->has_expires ? time_json(f->expires) : json_null());
	e |= json_set(o, "password_changed", f->has_changed ? time_json(f->changed) : json_null());
	e |= json_set(o, "days_since_password_change",
		      f->has_changed ? json_integer(f->days_since_change) : json_null());
	e |= json_set(o, "password_max_days", max >= 0 ? json_integer(max) : json_null());
	e |= json_set(o, "password_inactive_days", inact >= 0 ? json_integer(inact) : json_null());
	e |= json_set(o, "password_must_change", tri_json(f->must_change));
	e |= json_set(o, "password_expired", tri_json(f->password_expired));
	e |= json_set(o, "inactive_locked", tri_json(f->inactive_locked));
	e |= json_set(o, "account_age_days",
		      f->has_changed ? json_integer(f->days_since_change) : json_null());
	return e;
}

/* Whether the home directory exists: TRI_UNKNOWN if it cannot be told. */
static enum tri home_exists(struct probe_ctx *ctx, const char *home)
{
	struct stat s;
	if (home[0] != '/')
		return TRI_FALSE;
	int r = fsroot_stat(ctx->root, home, true, &s);
	if (r == 0)
		return S_ISDIR(s.st_mode) ? TRI_TRUE : TRI_FALSE;
	if (r == -ENOENT || r == -ENOTDIR)
		return TRI_FALSE;
	probe_file_error(ctx, home, r, false);
	return TRI_UNKNOWN;
}

/* Count the keys in ~/.ssh/authorized_keys{,2}; -1 if a file exists but
 * cannot be read. Found paths are appended to files. */
static long count_keys(struct probe_ctx *ctx, const char *home, json_t *files)
{
	static const char *const names[] = {".ssh/authorized_keys", ".ssh/authorized_keys2"};
	long total = 0;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		_cleanup_free_ char *path = path_join(home, names[i]);
		_cleanup_buf_ struct buf b = {0};
		if (!path)
			return -ENOMEM;
		int r = fsroot_read(ctx->root, path, LIMIT_AUTHORIZED_KEYS, &b);
		if (r == -ENOENT || r == -ENOTDIR)
			continue;
		if (r < 0) {
			probe_file_error(ctx, path, r, false);
			total = -1;
			continue;
		}
		if (json_array_append_new(files, json_str(path)) < 0)
			return -ENOMEM;
		if (total >= 0)
			total += (long)authorized_keys_count(b.data, b.len);
	}
	return total;
}

static int set_home_facts(struct probe_ctx *ctx, json_t *o, const char *home, enum tri *ret_keys)
{
	enum tri exists = home_exists(ctx, home);
	json_auto_t *files = json_array();
	long keys = 0;
	if (!files)
		return -ENOMEM;
	if (exists == TRI_UNKNOWN)
		keys = -1;
	else if (exists == TRI_TRUE)
		keys = count_keys(ctx, home, files);
	if (keys == -ENOMEM)
		return -ENOMEM;
	*ret_keys = keys < 0 ? TRI_UNKNOWN : keys > 0 ? TRI_TRUE : TRI_FALSE;
	return json_set(o, "home_exists", tri_json(exists)) |
	       json_set(o, "authorized_keys", keys >= 0 ? json_integer(keys) : json_null()) |
	       json_set(o, "authorized_keys_files", keys >= 0 ? json_incref(files) : json_null());
}

/* Three-valued AND / OR over facts that may be unknown. */
static enum tri tri_and(enum tri a, enum tri b)
{
	if (a == TRI_FALSE || b == TRI_FALSE)
		return TRI_FALSE;
	return a == TRI_UNKNOWN || b == TRI_UNKNOWN ? TRI_UNKNOWN : TRI_TRUE;
}

static enum tri tri_or(enum tri a, enum tri b)
{
	return tri_not(tri_and(tri_not(a), tri_not(b)));
}

/* can_login: an interactive shell, an account pam_unix accepts (not
 * expired, not locked by inactivity), and a way in: a usable password or
 * an SSH key. */
static enum tri can_login(bool interactive, enum pw_state pw, const struct shadow_facts *f,
			  enum tri has_keys)
{
	enum tri pw_ok = pw == PW_UNKNOWN		  ? TRI_UNKNOWN
			 : pw == PW_SET || pw == PW_EMPTY ? TRI_TRUE
							  : TRI_FALSE;
	enum tri r = interactive ? TRI_TRUE : TRI_FALSE;
	r = tri_and(r, tri_not(f->expired));
	r = tri_and(r, tri_not(f->inactive_locked));
	return tri_and(r, tri_or(pw_ok, has_keys));
}

static int set_identity(const struct acct_state *st, json_t *o, size_t i)
{
	const struct passwd_entry *p = &st->pw.v[i];
	const struct group_entry *g = st->have_group ? group_find_gid(&st->gr, p->gid) : NULL;
	int e = json_set(o, "name", json_str(p->name));
	e |= json_set(o, "uid", json_integer(p->uid));
	e |= json_set(o, "gid", json_integer(p->gid));
	e |= json_set(o, "primary_group", g ? json_str(g->name) : json_null());
	e |= json_set(o, "gecos", json_str(p->gecos));
	e |= json_set(o, "home", json_str(p->home));
	e |= json_set(o, "shell", json_str(p->shell));
	e |= json_set(o, "interactive", json_boolean(shell_is_interactive(p->shell)));
	e |= json_set(o, "system", json_boolean(p->uid < st->uid_min || p->uid > st->uid_max));
	e |= json_set(o, "groups", account_group_names(st, i));
	return e;
}

static json_t *account_fact(struct acct_state *st, size_t i)
{
	const struct passwd_entry *p = &st->pw.v[i];
	const struct shadow_entry *s = st->have_shadow ? shadow_find(&st->sh, p->name) : NULL;
	enum pw_state pw = account_pw(st, p, s);
	struct shadow_facts f;
	enum tri keys = TRI_UNKNOWN;
	json_auto_t *o = json_object();
	if (!o)
		return NULL;
	int e = set_identity(st, o, i);
	e |= set_password_state(o, pw);
	e |= set_shadow_facts(st, o, s, &f);
	e |= set_home_facts(st->ctx, o, p->home, &keys);
	e |= json_set(o, "can_login",
		      tri_json(can_login(shell_is_interactive(p->shell), pw, &f, keys)));
	return e < 0 ? NULL : json_incref(o);
}

static int build_accounts(struct acct_state *st)
{
	for (size_t i = 0; i < st->pw.n; i++)
		if (json_array_append_new(st->accounts, account_fact(st, i)) < 0)
			return -ENOMEM;
	return 0;
}

/* ---- last logins ------------------------------------------------------ */

static void logins_freep(struct login_table **t)
{
	logins_free(*t);
}

/* ever_logged_in when no source holds a login for the account: false if a
 * complete source (lastlog, lastlog2) answered; with only wtmp-like
 * sources, false only for an account created after their horizon. */
static enum tri never_seen(const struct login_table *t, json_t *o)
{
	if (!logins_any_source(t))
		return TRI_UNKNOWN;
	time_t horizon = logins_horizon(t);
	if (horizon == 0)
		return TRI_FALSE;
	json_t *changed = json_object_get(o, "password_changed");
	time_t created;
	if (!json_is_string(changed) ||
	    time_parse_rfc3339(json_string_value(changed), &created) < 0)
		return TRI_UNKNOWN;
	return created >= horizon ? TRI_FALSE : TRI_UNKNOWN;
}

static int set_login(const struct acct_state *st, const struct login_table *t, json_t *o, size_t i)
{
	const struct passwd_entry *p = &st->pw.v[i];
	struct login_info li;
	if (logins_lookup(t, p->name, p->uid, &li) > 0) {
		return json_set(o, "last_login", time_json(li.when)) |
		       json_set(o, "last_login_source", json_string(li.source)) |
		       json_set(o, "last_login_from", json_str(li.from)) |
		       json_set(o, "ever_logged_in", json_true()) |
		       json_set(o, "days_since_login",
				json_integer(days_between(li.when, st->ctx->now)));
	}
	enum tri ever = never_seen(t, o);
	return json_set(o, "last_login", json_null()) |
	       json_set(o, "last_login_source",
			ever == TRI_FALSE ? json_string("none") : json_null()) |
	       json_set(o, "last_login_from", json_null()) |
	       json_set(o, "ever_logged_in", tri_json(ever)) |
	       json_set(o, "days_since_login", json_null());
}

static int add_logins(struct acct_state *st)
{
	_cleanup_(logins_freep) struct login_table *t = NULL;
	int r = logins_collect(st->ctx, st->accounts, &t);
	if (r < 0)
		return r;
	for (size_t i = 0; i < st->pw.n; i++)
		if (set_login(st, t, json_array_get(st->accounts, i), i) < 0)
			return -ENOMEM;
	return 0;
}

/* ---- sudo ------------------------------------------------------------- */

static bool id_matches(const char *s, long id)
{
	long v;
	return parse_long(s, &v) == 0 && v == id;
}

/* One sudoers user-list item, without its '!'s, against an account. */
static bool principal_matches(const struct acct_state *st, size_t i, const char *p)
{
	if (strcmp(p, "ALL") == 0)
		return true;
	if (p[0] == '#')
		return id_matches(p + 1, st->pw.v[i].uid);
	if (p[0] == '%' && p[1] == '#') {
		long gid;
		return parse_long(p + 2, &gid) == 0 && account_in_gid(st, i, gid);
	}
	if (p[0] == '%')
		return p[1] != ':' && account_in_group(st, i, p + 1);
	if (p[0] == '+')
		return false; /* netgroups are not resolved offline */
	return strcmp(p, st->pw.v[i].name) == 0;
}

/* Whether a rule's user list takes in the account: some item names it
 * and no negated item ("ALL, !bob") does. sudo lets the last matching
 * item decide, but the entries' principals are sorted, so the order is
 * gone; negation winning gives sudo's answer for every list where the
 * exclusions come after what they exclude from, which is how they are
 * written. */
static bool entry_applies(const struct acct_state *st, size_t i, const json_t *entry)
{
	const json_t *principals = json_object_get(entry, "principals");
	bool match = false;
	size_t k;
	json_t *v;
	json_array_foreach(principals, k, v) {
		const char *p = json_string_value(v);
		bool negated = false;
		if (!p)
			continue;
		for (; *p == '!'; p++)
			negated = !negated;
		if (!principal_matches(st, i, p))
			continue;
		if (negated)
			return false;
		match = true;
	}
	return match;
}

/* Whether the entry lets account i run a command without a password:
 * its nopasswd_users when the sudoers reader could name them. */
static enum tri entry_nopasswd(const struct acct_state *st, size_t i, const json_t *entry)
{
	const json_t *users = json_object_get(entry, "nopasswd_users");
	const json_t *any = json_object_get(entry, "nopasswd");
	size_t k;
	json_t *v;
	json_array_foreach(users, k, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), st->pw.v[i].name))
			return TRI_TRUE;
	if (json_is_null(any))
		return TRI_UNKNOWN;
	return json_is_true(any) && !users ? TRI_TRUE : TRI_FALSE;
}

static int set_sudo(const struct acct_state *st, json_t *o, size_t i, const json_t *entries)
{
	size_t k, rules = 0;
	bool all = false, nopasswd = false, unknown = false;
	json_t *e;
	if (!entries)
		return json_set(o, "sudo_rules", json_null()) |
		       json_set(o, "sudo_all", json_null()) |
		       json_set(o, "sudo_nopasswd", json_null());
	json_array_foreach(entries, k, e) {
		if (!entry_applies(st, i, e))
			continue;
		rules++;
		all |= json_is_true(json_object_get(e, "all_commands"));
		enum tri np = entry_nopasswd(st, i, e);
		nopasswd |= np == TRI_TRUE;
		unknown |= np == TRI_UNKNOWN;
	}
	return json_set(o, "sudo_rules", json_integer((json_int_t)rules)) |
	       json_set(o, "sudo_all", json_boolean(all)) |
	       json_set(o, "sudo_nopasswd",
			nopasswd  ? json_true()
			: unknown ? json_null()
				  : json_false());
}

static const char *sudo_account_name(void *ud, size_t i)
{
	const struct acct_state *st = ud;
	return st->pw.v[i].name;
}

static bool sudo_account_matches(void *ud, size_t i, const char *item)
{
	return principal_matches(ud, i, item);
}

static int add_sudo(struct acct_state *st)
{
	json_auto_t *entries = NULL;
	struct sudoers_accounts acc = {st->pw.n, sudo_account_name, sudo_account_matches, st};
	int r = sudoers_collect(st->ctx, st->files, &acc, &entries);
	if (r < 0)
		return r;
	for (size_t i = 0; i < st->pw.n; i++)
		if (set_sudo(st, json_array_get(st->accounts, i), i, entries) < 0)
			return -ENOMEM;
	return json_set(st->ctx->inventory, "sudoers",
			entries ? json_incref(entries) : json_null());
}

/* ---- the groups collection ------------------------------------------ */

/* Group members: the group's own list plus the accounts whose primary
 * group it is. */
static json_t *group_members(const struct acct_state *st, size_t k)
{
	const struct namelist *m = &st->gr.v[k].members;
	const struct acct_groups *prim = &st->primaries[k];
	size_t n = 0;
	_cleanup_free_ const char **v = calloc(m->n + prim->n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t j = 0; j < m->n; j++)
		v[n++] = m->v[j];
	for (size_t j = 0; j < prim->n; j++)
		v[n++] = st->pw.v[prim->v[j]].name;
	return sorted_names(v, n);
}

static json_t *admin_names(const struct group_entry *gs)
{
	if (!gs)
		return json_array();
	_cleanup_free_ const char **v = calloc(gs->admins.n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t j = 0; j < gs->admins.n; j++)
		v[j] = gs->admins.v[j];
	return sorted_names(v, gs->admins.n);
}

static json_t *group_fact(const struct acct_state *st, size_t k)
{
	const struct group_entry *g = &st->gr.v[k];
	const struct group_entry *gs = st->have_gshadow ? group_find(&st->gs, g->name) : NULL;
	json_t *admins = json_null();
	enum tri has_pw = TRI_UNKNOWN;
	if (st->have_gshadow)
		admins = admin_names(gs);
	if (g->pw != PW_SHADOW)
		has_pw = g->pw == PW_SET ? TRI_TRUE : TRI_FALSE;
	else if (st->have_gshadow)
		has_pw = gs && gs->pw == PW_SET ? TRI_TRUE : TRI_FALSE;
	json_auto_t *o = json_object();
	if (!o)
		return NULL;
	int e = json_set(o, "name", json_str(g->name)) | json_set(o, "gid", json_integer(g->gid));
	e |= json_set(o, "members", group_members(st, k));
	e |= json_set(o, "administrators", admins);
	e |= json_set(o, "has_password", tri_json(has_pw));
	return e < 0 ? NULL : json_incref(o);
}

static int add_groups(struct acct_state *st)
{
	if (!st->have_group)
		return json_set(st->ctx->inventory, "groups", json_null());
	json_auto_t *arr = json_array();
	if (!arr)
		return -ENOMEM;
	for (size_t k = 0; k < st->gr.n; k++)
		if (json_array_append_new(arr, group_fact(st, k)) < 0)
			return -ENOMEM;
	json_array_sort_by(arr, "name");
	return json_set(st->ctx->inventory, "groups", json_incref(arr));
}

/* ---- the probe -------------------------------------------------------- */

static int load_all(struct acct_state *st)
{
	int r = load_passwd(st);
	if (r < 0)
		return r;
	if (load_shadow(st) < 0 || load_groups(st, PATH_GROUP, false) < 0 ||
	    load_groups(st, PATH_GSHADOW, true) < 0 || load_login_defs(st) < 0)
		return -ENOMEM;
	return build_memberships(st);
}

/* The probe (declared in probe.h). Adds accounts, groups, sudoers, files,
 * login_defs and login_sources to ctx->inventory (new references it
 * owns). Returns -errno, with nothing added, only when /etc/passwd cannot
 * be read or memory runs out; every other unreadable file is a message,
 * null facts, and ctx->partial. */
int probe_accounts_run(struct probe_ctx *ctx)
{
	_cleanup_(acct_state_free) struct acct_state st = {
	    .ctx = ctx, .uid_min = 1000, .uid_max = 60000};
	st.accounts = json_array();
	st.files = json_array();
	if (!st.accounts || !st.files)
		return -ENOMEM;
	int r = load_all(&st);
	if (r < 0)
		return r;
	if (add_file_facts(&st) < 0 || build_accounts(&st) < 0)
		return -ENOMEM;
	r = add_logins(&st);
	if (r >= 0)
		r = add_sudo(&st);
	if (r >= 0)
		r = add_groups(&st);
	if (r >= 0)
		r = name_file_owners(&st);
	if (r < 0)
		return r;
	json_array_sort_by(st.accounts, "name");
	if (json_set(ctx->inventory, "accounts", json_incref(st.accounts)) < 0 ||
	    json_set(ctx->inventory, "files", json_incref(st.files)) < 0)
		return -ENOMEM;
	return 0;
}
