/* eol_parse.h - pure helpers of the eol probe (probes/eol.c): the OS
 * identity from /etc/redhat-release and /etc/debian_version, and the
 * lookup of an identity in the end-of-life table (baselines/eol.json,
 * described in baselines/EOL.md). No I/O.
 */
#ifndef TENKEN_EOL_PARSE_H
#define TENKEN_EOL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <jansson.h>

/* An OS identity as os-release(5) spells it: ID and VERSION_ID. */
struct os_ident {
	char id[32];
	char version[32];
};

/* /etc/redhat-release ("Red Hat Enterprise Linux release 9.3 (Plow)",
 * "CentOS Stream release 9", "Rocky Linux release 8.9 (Green Obsidian)",
 * "AlmaLinux release 9.4 (Seafoam Ocelot)", "CentOS Linux release
 * 7.9.2009 (Core)"): the first line. 0, or -ENODATA when the product or
 * the version is not recognised. */
int redhat_release_parse(const char *buf, size_t len, struct os_ident *ret);

/* /etc/debian_version: "12.7" (stable point release) -> debian 12.7;
 * "bookworm/sid" (testing, unstable) has no version: -ENODATA. */
int debian_version_parse(const char *buf, size_t len, struct os_ident *ret);

/* The table key of an os-release identity: ID, except that CentOS
 * Stream (ID=centos, NAME "CentOS Stream") is "centos-stream". name may
 * be NULL. Returns a static string or id itself. */
const char *eol_distribution_key(const char *id, const char *name);

/* One release of the table, borrowed from it. */
struct eol_entry {
	const char *distribution;		 /* table key */
	const char *name;			 /* "Debian" */
	const char *version;			 /* "12" */
	const char *codename;			 /* may be NULL */
	const char *standard_end, *extended_end; /* "YYYY-MM-DD" */
	const char *extended_kind;		 /* NULL: no extended phase */
	const char *source, *checked, *precision;
	bool estimated;
	time_t standard_t, extended_t; /* midnight UTC of those days */
};

/* Look (key, version_id) up in the parsed table: distributions[key].match
 * says whether VERSION_ID must equal the release's version ("exact",
 * Ubuntu "22.04", SLES "15.5") or only its part before the first '.'
 * ("major", RHEL "9.3" -> "9"). Returns 0, -ENOENT if not in the table,
 * -EBADMSG if the matching entry is malformed (bad dates, missing
 * fields, extended before standard). */
int eol_lookup(const json_t *table, const char *key, const char *version_id, struct eol_entry *ret);

/* Whole days from the UTC day of now to the UTC day of end: 0 on the
 * last day of support, negative after it. */
long eol_days_until(time_t now, time_t end);

#endif
