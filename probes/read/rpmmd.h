/* rpmmd.h - pending updates and advisories on rpm hosts (dnf, yum,
 * zypper), computed from the repository metadata they keep on disk. Part
 * of the "updates" probe (probes/updates.c calls rpmmd_collect on a host
 * without dpkg status and with an rpm database).
 */
#ifndef TENKEN_RPMMD_H
#define TENKEN_RPMMD_H

#include "probes/probe.h"

extern const struct column rpm_repo_columns[];
extern const struct column rpm_advisory_columns[];

/* Reads the installed packages from the rpm database at dbpath (inside
 * the root), the package manager's configuration and metadata cache, and
 * sets the collections "updates", "rpm_repos", "rpm_advisories" and
 * "update_summary". 0 or -ENOMEM; unreadable files are messages. */
int rpmmd_collect(struct probe_ctx *ctx, const char *dbpath);

#endif
