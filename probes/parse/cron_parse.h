/* cron_parse.h - pure parsers for the autostart probe's periodic jobs:
 * anacron's /etc/anacrontab (anacrontab(5)) and the file names run-parts
 * runs. Bytes in, records out; probes/autostart.c does the reading.
 */
#ifndef TENKEN_CRON_PARSE_H
#define TENKEN_CRON_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* One job line of an anacrontab: "period delay job-identifier command".
 * Strings borrow the input and are not NUL-terminated. */
struct anacron_job {
	const char *period, *delay, *id, *command;
	size_t period_len, delay_len, id_len, command_len;
	unsigned line;
};
typedef void (*anacron_job_fn)(const struct anacron_job *job, void *userdata);
/* Called for a line that is neither empty, a comment, an environment
 * assignment ("NAME=value") nor a job (anacron refuses such a file). */
typedef void (*anacron_bad_fn)(unsigned line, void *userdata);

/* Parse an anacrontab: period is a number of days or @daily, @weekly,
 * @monthly, @yearly (also @annually); delay a number of minutes; the
 * job identifier any word without "/"; the command the rest of the line.
 * CRLF, NUL bytes and a missing final newline are accepted. Returns the
 * number of jobs given to fn. */
size_t anacrontab_parse(const char *buf, size_t len, anacron_job_fn fn, anacron_bad_fn bad,
			void *userdata);

/* Whether run-parts (Debian's, without --lsbsysinit) runs a file of this
 * name: only ASCII letters, digits, "_" and "-". */
bool run_parts_name_ok(const char *name);

#endif
