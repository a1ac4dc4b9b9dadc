/* nmconf_read.h - NetworkManager's configuration files read from a root
 * in NetworkManager's order (NetworkManager.conf(5)): every *.conf of
 * /usr/lib/NetworkManager/conf.d not shadowed by a file of the same name
 * in /run/NetworkManager/conf.d or /etc/NetworkManager/conf.d, then those
 * of /run not shadowed by /etc, each directory in ASCII order, then
 * /etc/NetworkManager/NetworkManager.conf, then /etc/NetworkManager/conf.d.
 * Not read: NetworkManager-intern.conf (NetworkManager's own state, in
 * /var/lib) and the deprecated nm-system-settings.conf.
 */
#ifndef TENKEN_NMCONF_READ_H
#define TENKEN_NMCONF_READ_H

#include "probes/parse/nmconf_parse.h"
#include "probes/read/fsroot.h"

/* A file NetworkManager could not use: err is -errno (unreadable) or
 * -EINVAL with the line GKeyFile refuses. */
typedef void (*nmconf_problem_fn)(void *ud, const char *path, unsigned line, int err);

/* Merge every file into *c (empty at the start). 0 when all were read,
 * 1 when one could not be (NetworkManager would not start with it, or
 * tenken cannot know what it holds: the merged view is then incomplete),
 * -ENOMEM. */
int nmconf_read(struct fsroot *root, struct nmconf *c, nmconf_problem_fn problem, void *ud);

#endif
