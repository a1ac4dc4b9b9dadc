/* inetd.h - programs served by a super-server (inetd, xinetd), added to
 * the services collection by the services probe (see inetd.c). */
#ifndef TENKEN_INETD_H
#define TENKEN_INETD_H

#include <jansson.h>
#include "probes/probe.h"

/* Append to arr (the services collection being built, whose super-server
 * units it reads) one record per program an installed super-server is
 * configured to serve. Returns 0 or -ENOMEM. */
int superserver_services(struct probe_ctx *ctx, json_t *arr);

#endif
