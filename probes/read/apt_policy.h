/* apt_policy.h - apt's choice of candidate version (apt_preferences(5)),
 * as apt 2.x's pkgPolicy computes it. Pure: the indexes, pins and
 * versions are given; nothing is read here.
 *
 *  - every package index (a Packages list) gets a priority: 500, or 100
 *    for NotAutomatic + ButAutomaticUpgrades releases (backports), 1 for
 *    NotAutomatic alone, 100 for dpkg's status file; then the first
 *    generic pin ("Package: *") that matches the index replaces it, with
 *    APT::Default-Release first of all at 990;
 *  - a version's priority is the first package-specific pin matching it,
 *    else the highest priority of the indexes it is in (the status file
 *    counts only for the installed version);
 *  - the candidate is, among versions from the highest down, the first
 *    with a priority above every one before it, skipping versions older
 *    than the installed one unless their priority is 1000 or more, and
 *    versions whose priority is 0 or negative.
 */
#ifndef TENKEN_APT_POLICY_H
#define TENKEN_APT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include "probes/parse/apt_parse.h"

/* A package index: one Packages list, or dpkg's status file. */
struct apt_index {
	const struct apt_release *rel; /* borrowed; NULL for the status file */
	const char *site;	       /* host of the source's URI, "" for local */
	const char *component;	       /* "main"; "now" for the status file */
	const char *arch;	       /* the list's architecture */
	bool is_status;
	int priority; /* set by apt_index_priorities */
};

/* Set each index's priority. default_release (may be NULL) is
 * APT::Default-Release; *ret_default_ok says whether it named a release
 * some index has (apt refuses to run otherwise, and it is not applied). */
void apt_index_priorities(struct apt_index *ix, size_t n, const struct apt_pins *pins,
			  const char *default_release, bool *ret_default_ok);

/* One version of a package and the indexes holding it. */
struct apt_version {
	const char *ver;
	size_t len;
	const size_t *files; /* indexes into the apt_index array */
	size_t nfiles;
};

/* What a package is: its name, its architecture in apt's sense (an "all"
 * package belongs to the native architecture) and the native one. */
struct apt_pkg_id {
	const char *name;
	size_t name_len;
	const char *arch;
	const char *native;
};

/* The priority of version v of pkg: the first package-specific pin that
 * matches it, else from its indexes; installed says whether v is the
 * installed version (the status file counts only then). */
int apt_version_priority(const struct apt_pins *pins, const struct apt_pkg_id *pkg,
			 const struct apt_version *v, bool installed, const struct apt_index *ix);

/* The candidate among n versions sorted from the highest down, with their
 * priorities; installed is the index of the installed version or -1.
 * Returns the candidate's index, or -1 for none. */
long apt_candidate(const struct apt_version *vers, const int *prio, size_t n, long installed);

/* apt's ExpressionMatches: "/regex/" (extended, case-insensitive), else
 * a glob (fnmatch, case-insensitive; a plain word matches itself). */
bool apt_expr_match(const char *pattern, const char *s);

/* Whether a version from this index is a security update: its release's
 * suite or codename ends in "-security", or its label is Debian-Security
 * (Debian before 11 used "stable/updates" with that label). */
bool apt_index_is_security(const struct apt_index *ix);

#endif
