/* eol.h - the "eol" probe (checklist 2(7)): which OS release the root
 * holds and when its security support ends, from the end-of-life table
 * baselines/eol.json (compiled into the binary). Facts only; the rule
 * patches.os_supported judges them. */
#ifndef TENKEN_EOL_H
#define TENKEN_EOL_H

#include "probes/probe.h"

extern const struct collection eol_collections[];
int probe_eol_run(struct probe_ctx *ctx);

#endif
