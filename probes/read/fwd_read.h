/* fwd_read.h - firewalld's configuration as firewalld assembles it: a
 * zone or service defined in /etc/firewalld overrides the one of the same
 * name shipped in /usr/lib/firewalld, and a name defined only there is
 * the stock definition. Every read goes through fsroot.
 *
 * Ownership: strings and structs returned are the caller's.
 */
#ifndef TENKEN_FWD_READ_H
#define TENKEN_FWD_READ_H

#include "probes/parse/fwservice_parse.h"
#include "probes/parse/nft_parse.h"
#include "probes/read/fsroot.h"

/* Zone NAME: 0 (*z filled), -ENOENT (defined nowhere), -EINVAL (the
 * file that applies is not a zone, or NAME is not a file name), another
 * -errno (that file is unreadable: the shipped one is NOT used instead).
 * *ret_path (new string) names the file that applies whenever one exists. */
int fwd_zone_load(struct fsroot *root, const char *name, struct fwd_zone *z, char **ret_path);

/* Service NAME, same answers as fwd_zone_load. */
int fwd_service_load(struct fsroot *root, const char *name, struct fwd_service *s, char **ret_path);

/* Every zone name of both directories, sorted, each once. 0 or -errno
 * (a directory that exists but cannot be listed). */
int fwd_zone_names(struct fsroot *root, struct strv *ret);

/* The ports ("23/tcp") service NAME opens, with those of the services it
 * includes (each service once, LIMIT_INCLUDE_DEPTH deep). Names that
 * could not be loaded go to *bad ("NAME: reason"). 0 or -ENOMEM. */
int fwd_service_ports(struct fsroot *root, const char *name, struct strv *ports, struct strv *bad);

#endif
