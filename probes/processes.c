/* processes.c - the "processes" probe: every process in /proc, for 2(9)
 * (processes running from temporary or deleted executables) and as the
 * running state the services and listeners probes join against.
 *
 * For each /proc/PID it reads stat (comm, ppid), status (real uid), the exe
 * link (path, and the kernel's " (deleted)" mark), cmdline (secret-looking
 * arguments masked, see proc_parse.h) and cgroup (the systemd unit). User
 * names come from the scanned root's own /etc/passwd, never from NSS.
 *
 * Under --root a proc/ tree inside the root is read the same way (fixtures
 * hold one); a root without one, or with an empty one, has no running
 * state: the probe is not_applicable and rules over it say unknown.
 *
 * The table changes while it is read: a process that exits between two
 * reads (ENOENT or ESRCH on one of its files, and its /proc/PID gone on
 * the live host) is skipped silently. Any other file of a process that
 * cannot be read (missing from a root's proc/, unreadable, garbage) never
 * drops the process: the attributes it gives are null, and one message
 * per kind of file says for how many processes and why.
 */
#include <ctype.h>
#include <stdio.h>
#include "probes/parse/accounts_parse.h"
#include "lib/limits.h"
#include "probes/probe.h"
#include "probes/parse/proc_parse.h"

static const struct column process_columns[] = {
    {"pid", COL_INT, "process id"},
    {"ppid", COL_INT, "parent process id"},
    {"uid", COL_INT, "real user id (status Uid), null if unreadable"},
    {"user", COL_STRING, "user name from the root's /etc/passwd, null if the uid has none"},
    {"comm", COL_STRING, "command name (stat)"},
    {"exe", COL_STRING,
     "executable path from the exe link without \" (deleted)\"; null for kernel threads, zombies "
     "and when unreadable"},
    {"exe_deleted", COL_BOOL, "the executable was deleted or replaced while running"},
    {"exe_in_temp", COL_BOOL, "the executable is under /tmp, /var/tmp, /dev/shm or is a memfd"},
    {"kernel_thread", COL_BOOL, "a kernel thread (no executable, no command line)"},
    {"zombie", COL_BOOL, "exited, waiting for its parent (state Z): no executable any more"},
    {"cmdline", COL_STRING, "command line, arguments joined by spaces, secrets masked"},
    {"unit", COL_STRING, "systemd unit from /proc/PID/cgroup, null if none"},
    {"login_shell", COL_BOOL,
     "argv[0] is a login shell's (\"-bash\": login, sshd, su -l); null if cmdline is "
     "unreadable"},
    {NULL, 0, NULL},
};

const struct collection processes_collections[] = {
    {"processes", false, process_columns},
    {NULL, false, NULL},
};

/* The process is gone (or was never complete): skip it silently. */
static bool vanished(int r)
{
	return r == -ENOENT || r == -ESRCH;
}

/* The files of /proc/PID whose attributes can be unknown, counted for
 * one message per kind. */
enum pfile { PF_STAT, PF_STATUS, PF_CMDLINE, PF_EXE, PF_CGROUP, PF_COUNT };
static const char *const pfile_names[PF_COUNT] = {"stat", "status", "cmdline", "exe", "cgroup"};
static const char *const pfile_attrs[PF_COUNT] = {"ppid, comm, kernel_thread, zombie", "uid, user",
						  "cmdline", "exe, exe_deleted, exe_in_temp",
						  "unit"};

struct unread {
	unsigned n[PF_COUNT];
	int err[PF_COUNT];   /* the first error of each kind */
	unsigned exe_denied; /* exe links refused: no CAP_SYS_PTRACE, or not root */
};

/* A file of the process could not be read (r < 0). True when the process
 * is gone (live host, its directory vanished: skip it); otherwise the
 * attribute stays null and the file is counted. Under --root nothing
 * exits, so a missing file is a missing attribute. */
static bool unread_note(struct probe_ctx *ctx, const char *pid, struct unread *u, enum pfile f,
			int r)
{
	char dir[32];
	struct stat st;
	snprintf(dir, sizeof(dir), "/proc/%s", pid);
	if (vanished(r) && !ctx->offline && fsroot_stat(ctx->root, dir, false, &st) < 0)
		return true;
	if (u->n[f]++ == 0)
		u->err[f] = r;
	if (f == PF_EXE && (r == -EACCES || r == -EPERM))
		u->exe_denied++;
	return false;
}

static void unread_report(struct probe_ctx *ctx, const struct unread *u)
{
	for (int f = 0; f < PF_COUNT; f++) {
		if (u->n[f] == 0)
			continue;
		const char *ja, *en;
		probe_errno_text(u->err[f], &ja, &en);
		_cleanup_free_ char *mja = NULL, *men = NULL;
		if (asprintf(&mja,
			     "%u 件のプロセスで /proc/PID/%s を読み取れません（最初の原因: %s）。"
			     "%s は不明 (null) です",
			     u->n[f], pfile_names[f], ja, pfile_attrs[f]) < 0 ||
		    asprintf(&men,
			     "%u processes: /proc/PID/%s could not be read (first cause: %s); %s "
			     "unknown (null)",
			     u->n[f], pfile_names[f], en, pfile_attrs[f]) < 0)
			return;
		probe_msg_text(ctx, mja, men);
		probe_partial(ctx);
	}
}

static bool is_pid(const char *s)
{
	if (!*s || *s == '0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int read_pidfile(struct probe_ctx *ctx, const char *pid, const char *file, size_t max,
			struct buf *ret)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/%s", pid, file);
	return fsroot_read(ctx->root, path, max, ret);
}

/* exe, exe_deleted, exe_in_temp; -ENOENT/-ESRCH if the process is gone.
 * Kernel threads and zombies (kthread) have no executable. */
static int add_exe(struct probe_ctx *ctx, const char *pid, bool kthread, json_t *o)
{
	char path[64];
	_cleanup_free_ char *target = NULL, *exe = NULL;
	snprintf(path, sizeof(path), "/proc/%s/exe", pid);
	int r = kthread ? -ENOENT : fsroot_readlink(ctx->root, path, &target);
	bool del = false;
	if (r == 0)
		exe = proc_exe_clean(target, &del);
	json_set(o, "exe", exe ? json_str(exe) : json_null());
	/* A kernel thread has no executable: definitely not deleted or in /tmp. */
	json_set(o, "exe_deleted", exe ? json_boolean(del) : kthread ? json_false() : json_null());
	json_set(o, "exe_in_temp",
		 exe	   ? json_boolean(proc_path_in_temp(exe))
		 : kthread ? json_false()
			   : json_null());
	return kthread ? 0 : r;
}

static json_t *user_json(const struct passwd_db *pw, long uid)
{
	const struct passwd_entry *e = pw ? passwd_find_uid(pw, uid) : NULL;
	return e ? json_str(e->name) : json_null();
}

static int add_status(struct probe_ctx *ctx, const char *pid, const struct passwd_db *pw, json_t *o)
{
	_cleanup_buf_ struct buf b = {0};
	long uid;
	int r = read_pidfile(ctx, pid, "status", LIMIT_SMALL_FILE, &b);
	if (r == 0 && proc_status_uid(b.data, b.len, &uid) < 0)
		r = -EBADMSG;
	if (r < 0) {
		json_set(o, "uid", json_null());
		json_set(o, "user", json_null());
		return r;
	}
	json_set(o, "uid", json_integer(uid));
	json_set(o, "user", user_json(pw, uid));
	return 0;
}

static int add_cmdline(struct probe_ctx *ctx, const char *pid, const char *comm, json_t *o,
		       bool *ret_empty)
{
	_cleanup_buf_ struct buf b = {0};
	int r = read_pidfile(ctx, pid, "cmdline", LIMIT_PROC_CMDLINE, &b);
	_cleanup_free_ char *s =
	    r < 0 ? NULL
		  : proc_cmdline_view(b.data, b.len, true, comm,
				      ctx->full_cmdline ? CMDLINE_FULL : CMDLINE_MINIMAL);
	*ret_empty = r == 0 && b.len == 0;
	json_set(o, "cmdline", s ? json_str(s) : json_null());
	/* argv[0] is the buffer up to its first NUL */
	json_set(o, "login_shell",
		 r < 0 ? json_null()
		       : json_boolean(b.len && memchr(b.data, '\0', b.len) &&
				      proc_login_shell(b.data, comm)));
	return r < 0 ? r : 0;
}

static int add_unit(struct probe_ctx *ctx, const char *pid, json_t *o)
{
	_cleanup_buf_ struct buf b = {0};
	_cleanup_free_ char *unit = NULL;
	int r = read_pidfile(ctx, pid, "cgroup", LIMIT_SMALL_FILE, &b);
	if (r < 0) {
		json_set(o, "unit", json_null());
		return r;
	}
	r = proc_cgroup_unit(b.data, b.len, &unit);
	/* In no unit (the root cgroup, kernel threads) is a fact; garbage is not. */
	json_set(o, "unit", unit ? json_str(unit) : json_null());
	return r == -ENOENT ? 0 : r == -EINVAL ? -EBADMSG : r;
}

/* stat: pid, ppid, comm, state. Unreadable or garbage: the pid from the
 * directory name, the rest null. */
static int add_stat(struct probe_ctx *ctx, const char *pid, json_t *o, long *ret_ppid,
		    char *ret_state)
{
	_cleanup_buf_ struct buf b = {0};
	_cleanup_free_ char *comm = NULL;
	long p, ppid;
	int r = read_pidfile(ctx, pid, "stat", LIMIT_SMALL_FILE, &b);
	if (r == 0 && proc_stat_parse(b.data, b.len, &p, &comm, ret_state, &ppid) < 0)
		r = -EBADMSG;
	json_set(o, "pid", json_integer(r == 0 ? p : strtol(pid, NULL, 10)));
	json_set(o, "ppid", r == 0 ? json_integer(ppid) : json_null());
	json_set(o, "comm", r == 0 ? json_str(comm) : json_null());
	*ret_ppid = r == 0 ? ppid : -1;
	return r;
}

/* One process as a new object, or NULL when it exited while being read
 * (live host only). Files that cannot be read leave null attributes and
 * are counted in u. */
static json_t *process_json(struct probe_ctx *ctx, const char *pid, const struct passwd_db *pw,
			    struct unread *u)
{
	json_auto_t *o = json_object();
	bool empty = false;
	long ppid;
	char state = 0;
	int r = add_stat(ctx, pid, o, &ppid, &state);
	if (r < 0 && unread_note(ctx, pid, u, PF_STAT, r))
		return NULL;
	bool stat_ok = r == 0;
	r = add_status(ctx, pid, pw, o);
	if (r < 0 && unread_note(ctx, pid, u, PF_STATUS, r))
		return NULL;
	/* comm decides whether argv[0] is shown (exec -a renames it) */
	r = add_cmdline(ctx, pid, json_string_value(json_object_get(o, "comm")), o, &empty);
	if (r < 0 && unread_note(ctx, pid, u, PF_CMDLINE, r))
		return NULL;
	long p = json_integer_value(json_object_get(o, "pid"));
	bool kthread = stat_ok && empty && (p == 2 || ppid == 2);
	r = add_exe(ctx, pid, kthread || state == 'Z', o);
	if (r < 0 && unread_note(ctx, pid, u, PF_EXE, r))
		return NULL;
	r = add_unit(ctx, pid, o);
	if (r < 0 && unread_note(ctx, pid, u, PF_CGROUP, r))
		return NULL;
	json_set(o, "kernel_thread", stat_ok ? json_boolean(kthread) : json_null());
	json_set(o, "zombie", stat_ok ? json_boolean(state == 'Z') : json_null());
	return json_incref(o);
}

static void load_passwd(struct probe_ctx *ctx, struct passwd_db *pw, bool *ok)
{
	const struct buf *b = NULL;
	struct parse_issues is = {0};
	*ok = false;
	int r = fsroot_read_shared(ctx->root, "/etc/passwd", LIMIT_ACCOUNT_DB, &b);
	if (r < 0) {
		probe_file_error(ctx, "/etc/passwd", r, false);
		return;
	}
	*ok = passwd_parse(b->data, b->len, pw, &is) == 0;
	parse_issues_free(&is);
}

static int collect(struct probe_ctx *ctx, char **names, const struct passwd_db *pw, json_t *arr)
{
	struct unread u = {0};
	for (char **n = names; *n; n++) {
		if (!is_pid(*n))
			continue;
		json_t *o = process_json(ctx, *n, pw, &u);
		if (o && json_array_append_new(arr, o) < 0)
			return -ENOMEM;
	}
	unread_report(ctx, &u);
	/* Executables refused to this scan: the table may hide a process
	 * running from /tmp, so rules over it must not pass. */
	if (u.exe_denied && !probe_needs(ctx, VIS_PRIV))
		probe_incomplete(ctx, "processes");
	return 0;
}

int probe_processes_run(struct probe_ctx *ctx)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(ctx->root, "/proc", &names, &n);
	if (r == -ENOENT && ctx->offline)
		return PROBE_RET_NOT_APPLICABLE;
	if (r < 0) {
		probe_file_error(ctx, "/proc", r, false);
		return r;
	}
	struct passwd_db pw = {0};
	bool pw_ok;
	load_passwd(ctx, &pw, &pw_ok);
	json_t *arr = json_array();
	r = arr ? collect(ctx, names, pw_ok ? &pw : NULL, arr) : -ENOMEM;
	if (pw_ok)
		passwd_db_free(&pw);
	if (r == 0 && json_array_size(arr) == 0 && ctx->offline) {
		json_decref(arr);
		probe_msg_text(ctx, "ルートの proc/ にプロセスがありません（実行状態なし）",
			       "the root's proc/ holds no process (no running state)");
		return PROBE_RET_NOT_APPLICABLE;
	}
	if (r < 0) {
		json_decref(arr);
		return r;
	}
	json_array_sort_by(arr, "pid");
	return json_set(ctx->inventory, "processes", arr);
}
