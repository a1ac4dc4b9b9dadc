/* visibility.h - does this scan see the host it judges?
 *
 * A live scan can run with less sight than the host has: in another
 * network namespace than PID 1 (a sandboxed service unit), with a mount
 * table other than PID 1's (a private /tmp, a bind mount hiding a
 * directory), on a /proc mounted with hidepid, without CAP_SYS_PTRACE
 * (other users' /proc/PID/exe unreadable), or not as root. The runner
 * reads this once per live scan; probes say which kinds of sight their
 * collections need (probe_needs) and those collections are then listed
 * "incomplete" in the report, so rules over them never pass.
 *
 * mountinfo_parse is a pure parser of /proc/PID/mountinfo (untrusted
 * bytes under --root; fuzzed in tests/fuzz/fuzz_visibility.c).
 */
#ifndef TENKEN_VISIBILITY_H
#define TENKEN_VISIBILITY_H

#include <stdbool.h>
#include <stddef.h>
#include "probes/read/fsroot.h"

/* What a collection can need to see (bits for probe_needs). */
#define VIS_NET	  1u /* PID 1's network namespace */
#define VIS_MNT	  2u /* PID 1's mount table */
#define VIS_PROCS 4u /* every process in /proc (no hidepid hiding any) */
#define VIS_PRIV  8u /* root with CAP_SYS_PTRACE: every /proc/PID/exe and fd */

struct visibility {
	unsigned lacks;	    /* VIS_* bits this scan does not have (or cannot check) */
	int net;	    /* 1 PID 1's namespace, 0 another, -errno unknown */
	int mnt;	    /* 1 the same mount table as PID 1, 0 not, -errno unknown */
	bool hidepid;	    /* /proc is mounted with hidepid= or subset=pid */
	bool ptrace;	    /* CAP_SYS_PTRACE is effective */
	bool root;	    /* effective uid 0 */
	char mnt_diff[256]; /* the first mount point that differs */
};

/* One mount of a mountinfo file; strings borrowed, valid during the call. */
struct mount_entry {
	const char *majmin, *root, *point, *fstype, *superopts;
};
typedef void (*mount_cb)(void *ud, const struct mount_entry *m);
/* Calls cb for each well-formed line (octal escapes in root and point
 * decoded); returns the number of malformed lines skipped. */
unsigned mountinfo_parse(const char *buf, size_t len, mount_cb cb, void *ud);
/* Whether the /proc mount options hide processes (hidepid=1|2|invisible|
 * noaccess, subset=pid). */
bool proc_opts_hide(const char *superopts);

/* The visibility of a live scan of root ("/"). Never fails: what cannot
 * be checked is counted as lacking. */
void visibility_read(struct fsroot *root, struct visibility *ret);

#endif
