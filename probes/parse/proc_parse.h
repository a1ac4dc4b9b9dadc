/* proc_parse.h - pure parsers behind the processes probe: /proc/PID/stat,
 * the Uid line of /proc/PID/status, /proc/PID/cmdline (NUL-separated, with
 * secret-looking arguments masked), the exe link text and /proc/PID/cgroup
 * (the systemd unit a process belongs to). No I/O: buffers in, values out.
 *
 * Ownership: functions returning char * give the caller a new string.
 */
#ifndef TENKEN_PROC_PARSE_H
#define TENKEN_PROC_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* The replacement written in place of a masked secret. */
#define PROC_MASK "********"

/* /proc/PID/stat: "PID (COMM) STATE PPID ...". COMM may hold spaces and
 * parentheses, so it ends at the last ')'. Returns 0 with *ret_comm a new
 * string (its bytes as they are) and the one-letter state ('Z' zombie),
 * or -EINVAL for anything else. */
int proc_stat_parse(const char *buf, size_t len, long *ret_pid, char **ret_comm, char *ret_state,
		    long *ret_ppid);

/* The real uid from the "Uid:" line of /proc/PID/status; -ENOENT if there
 * is none, -EINVAL if it is not a number. */
int proc_status_uid(const char *buf, size_t len, long *ret_uid);

/* The command line from /proc/PID/cmdline: arguments separated by NUL
 * bytes (a trailing NUL ends the last one), joined with single spaces, with
 * the values of secret-looking arguments replaced by PROC_MASK (the full
 * view, see proc_mask_argv_full). An empty buffer (kernel threads, zombies) gives "".
 * Returns a new string or NULL on allocation failure. */
char *proc_cmdline_masked(const char *buf, size_t len);

/* Mask secrets in a shell-like command string (cron, desktop Exec=):
 * split on blanks, masked as proc_cmdline_masked does, joined again with
 * single spaces. New string or NULL. */
char *proc_command_masked(const char *s, size_t len);

/* Which view of a command line a scan shows (README "Command lines"). */
enum cmdline_view {
	CMDLINE_MINIMAL, /* the program and the flags; every value masked (default) */
	CMDLINE_FULL,	 /* values too, documented secret forms and tokens masked */
};

/* A command line in the given view: s split at NUL bytes (on_nul, a
 * /proc/PID/cmdline) or at blanks (a cron or Exec= command). comm (may be
 * NULL) is the process's name: an argv[0] that is neither it nor an
 * interpreter (rewritten with `exec -a`) is masked. New string or NULL. */
char *proc_cmdline_view(const char *s, size_t len, bool on_nul, const char *comm,
			enum cmdline_view view);

/* Whether argv[0] is a login shell's ("-bash": a '-' before the name,
 * which is comm or a shell/interpreter when comm is known). Such an
 * argv[0] is shown as it is, never taken for an option. */
bool proc_login_shell(const char *arg0, const char *comm);

/* In place, as the two views do (comm may be NULL). 0 or -ENOMEM. */
int proc_mask_argv_minimal(char **argv, size_t n, const char *comm);
int proc_mask_argv_full(char **argv, size_t n, const char *comm);

/* Mask an argument vector in place (each element a malloc'd string that
 * may be replaced): "--password=x", "--token x", "-p x" after a program
 * that takes -p for a password (mysql, mysqladmin, sshpass, ...),
 * "key=x" style assignments whose name contains pass, secret, token, key,
 * pwd or credential, and URLs with a password ("proto://user:pw@host").
 * Returns 0 or -ENOMEM. */
int proc_mask_argv(char **argv, size_t n);

/* The exe link text: strips a trailing " (deleted)" (the kernel's mark
 * for an unlinked executable) and says whether it was there. New string. */
char *proc_exe_clean(const char *target, bool *ret_deleted);

/* Whether a path is in a world-writable temporary location: /tmp,
 * /var/tmp, /dev/shm, /run/shm, or an anonymous memfd ("/memfd:..."). */
bool proc_path_in_temp(const char *path);

/* The systemd unit of a process from /proc/PID/cgroup: the unified line
 * "0::PATH" or the v1 "N:name=systemd:PATH". The unit is the first path
 * component that is not a slice (as sd_pid_get_unit says:
 * user@1000.service for a user's session manager, session-3.scope for a
 * login session). Returns 0 with a new string, -ENOENT if the process is
 * in no unit (the root cgroup, kernel threads), -EINVAL for garbage. */
int proc_cgroup_unit(const char *buf, size_t len, char **ret_unit);

/* Whether name is a valid systemd unit name with one of the suffixes
 * systemd knows (service, socket, scope, timer, ...). */
bool unit_name_valid(const char *name, size_t len);

#endif
