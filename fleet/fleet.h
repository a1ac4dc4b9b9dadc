/* fleet.h - `tenken fleet`: scan (or, with --collect, pull the scheduled
 * reports of) every host of a hosts file over the system's own ssh client,
 * writing one outcome per host into an output directory (CONTRACTS.md,
 * "Fleet output directory").
 *
 * Exit status: 0 every host answered and no check failed; 1 every host
 * answered and some check failed; 2 usage or a bad hosts file (nothing was
 * contacted); 3 some host gave no report (its DIR/<host>.error.json says
 * why); 130 interrupted (SIGINT/SIGTERM). */
#ifndef TENKEN_FLEET_H
#define TENKEN_FLEET_H

#include <stdbool.h>

#define FLEET_EXIT_NO_REPORT   3
#define FLEET_EXIT_INTERRUPTED 130

struct fleet_opts {
	const char *hosts, *out; /* borrowed */
	long parallel, timeout;	 /* 0: the defaults */
	bool collect, resume;
	char *const *scan_args; /* after "--", NULL-terminated; borrowed */
	const char *lang;	/* messages: "ja" or "en" */
};

/* Runs the whole fleet; prints its own messages on stderr and the summary
 * table on stdout; returns the exit status above. */
int fleet_main(const struct fleet_opts *o);

#endif
