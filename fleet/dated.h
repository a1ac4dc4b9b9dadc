/* dated.h - the directory of dated reports the systemd timer fills on each
 * host (`tenken scan --output-dir DIR --keep N`) and `tenken fleet
 * --collect` pulls from: DIR/tenken-YYYYmmddTHHMMSSZ.json (+ .sig), the
 * newest N kept (CONTRACTS.md). */
#ifndef TENKEN_FLEET_DATED_H
#define TENKEN_FLEET_DATED_H

#include <stddef.h>
#include <time.h>

#define DATED_KEEP_DEFAULT 30

/* "DIR/tenken-YYYYmmddTHHMMSSZ.json" for time t into buf: 0 or
 * -ENAMETOOLONG. */
int dated_report_path(const char *dir, time_t t, char *buf, size_t n);

/* Create dir (mode 0700) if it does not exist: 0 or -errno. */
int dated_dir_prepare(const char *dir);

/* Remove all but the newest keep reports in dir, each with its .sig;
 * files that are not dated reports are never touched. Returns how many
 * reports were removed, or -errno. */
int dated_prune(const char *dir, long keep);

#endif
