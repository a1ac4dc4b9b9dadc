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
 * reads (ENOENT or ESRCH on any of its files) is skipped silently; one
 * whose files cannot be read for another reason is kept with nulls.
 */
#include <ctype.h>
#include <stdio.h>
#include "probes/accounts_parse.h"
#include "probes/limits.h"
#include "probes/probe.h"
#include "probes/proc_parse.h"

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
	if (r < 0 && !kthread && vanished(r))
		return r;
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
	return 0;
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
	if (vanished(r))
		return r;
	if (r < 0 || proc_status_uid(b.data, b.len, &uid) < 0) {
		json_set(o, "uid", json_null());
		json_set(o, "user", json_null());
		return 0;
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
	if (vanished(r))
		return r;
	_cleanup_free_ char *s =
	    r < 0 ? NULL
		  : proc_cmdline_view(b.data, b.len, true, comm,
				      ctx->full_cmdline ? CMDLINE_FULL : CMDLINE_MINIMAL);
	*ret_empty = r == 0 && b.len == 0;
	json_set(o, "cmdline", s ? json_str(s) : json_null());
	return 0;
}

static int add_unit(struct probe_ctx *ctx, const char *pid, json_t *o)
{
	_cleanup_buf_ struct buf b = {0};
	_cleanup_free_ char *unit = NULL;
	int r = read_pidfile(ctx, pid, "cgroup", LIMIT_SMALL_FILE, &b);
	if (vanished(r))
		return r;
	if (r == 0)
		r = proc_cgroup_unit(b.data, b.len, &unit);
	/* In no unit (the root cgroup, kernel threads) is a fact; garbage is not. */
	json_set(o, "unit", unit ? json_str(unit) : json_null());
	return 0;
}

/* One process as a new object, or NULL with *ret_err: -ENOENT when it
 * vanished (skip it), -EINVAL when its stat was unreadable garbage. */
static json_t *process_json(struct probe_ctx *ctx, const char *pid, const struct passwd_db *pw,
			    int *ret_err)
{
	_cleanup_buf_ struct buf b = {0};
	_cleanup_free_ char *comm = NULL;
	long p, ppid;
	char state = 0;
	int r = read_pidfile(ctx, pid, "stat", LIMIT_SMALL_FILE, &b);
	if (r == 0)
		r = proc_stat_parse(b.data, b.len, &p, &comm, &state, &ppid);
	if (r < 0) {
		*ret_err = vanished(r) ? -ENOENT : r;
		return NULL;
	}
	json_auto_t *o = json_object();
	bool empty = false;
	json_set(o, "pid", json_integer(p));
	json_set(o, "ppid", json_integer(ppid));
	json_set(o, "comm", json_str(comm));
	r = add_status(ctx, pid, pw, o);
	if (r == 0)
		r = add_cmdline(ctx, pid, comm, o, &empty);
	bool kthread = empty && (p == 2 || ppid == 2);
	if (r == 0)
		r = add_exe(ctx, pid, kthread || state == 'Z', o);
	if (r == 0)
		r = add_unit(ctx, pid, o);
	json_set(o, "kernel_thread", json_boolean(kthread));
	json_set(o, "zombie", json_boolean(state == 'Z'));
	*ret_err = r < 0 ? -ENOENT : 0;
	return r < 0 ? NULL : json_incref(o);
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
	unsigned bad = 0;
	for (char **n = names; *n; n++) {
		if (!is_pid(*n))
			continue;
		int err = 0;
		json_t *o = process_json(ctx, *n, pw, &err);
		if (o && json_array_append_new(arr, o) < 0)
			return -ENOMEM;
		if (!o && err != -ENOENT && bad++ < LIMIT_LINE_MESSAGES)
			probe_msg(ctx, "/proc/%s/stat を読み取れません（%s）",
				  "/proc/%s/stat could not be read (%s)", *n, strerror(-err));
		if (!o && err != -ENOENT)
			probe_partial(ctx);
	}
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
