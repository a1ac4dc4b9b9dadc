/* packages.h - the two probes of checklist 2(7) on the Debian family:
 * "packages" (probes/packages.c: dpkg's inventory and the kernel) and
 * "updates" (probes/updates.c: pending updates computed as apt does,
 * the age of apt's lists, update history and automatic updates). */
#ifndef TENKEN_PACKAGES_H
#define TENKEN_PACKAGES_H

#include "probes/parse/apt_parse.h"
#include "probes/probe.h"

extern const struct collection packages_collections[];
int probe_packages_run(struct probe_ctx *ctx);
extern const struct collection updates_collections[];
int probe_updates_run(struct probe_ctx *ctx);
/* apt's configuration as the updates probe reads it from the root:
 * defaults, Dir::Etc::parts, then Dir::Etc::main, #include followed
 * (into *ret, new; free with apt_conf_free). Returns 0 or -ENOMEM. */
int updates_apt_conf(struct probe_ctx *ctx, struct apt_conf *ret);

#endif
