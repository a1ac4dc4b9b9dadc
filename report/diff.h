/* diff.h - what changed on one host between two scans (`tenken diff OLD
 * NEW`): checklist answers, failures that appeared or were fixed, other
 * findings whose status moved, and the inventory a reviewer watches
 * (accounts, administrators, enabled services, listeners, USB devices,
 * packages, wireless networks). The result is itself a JSON document
 * ("format": "tenken-diff", docs/schema/diff.schema.json), rendered as
 * text or HTML; like every renderer it reads only the reports it is given.
 *
 * Ownership: reports are borrowed; documents returned are new references.
 */
#ifndef TENKEN_DIFF_H
#define TENKEN_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/* Whether r has the shape diff and sheet rely on: "format" is
 * "tenken-report", "host" an object, "findings" and "checklist" arrays,
 * "inventory" an object. 0, or -EINVAL with *ret_pointer (a JSON Pointer
 * into r, "" for the whole document) and the reason in both languages. */
int report_check_shape(const json_t *r, const char **ret_pointer, const char **ret_ja,
		       const char **ret_en);

/* The host's machine id, or NULL when the report has none. Borrowed. */
const char *report_machine_id(const json_t *r);

/* When the scan ran: scan.started_at, else scan.now (fixtures and
 * normalised reports keep only "now"); NULL if neither. Borrowed. */
const char *report_scanned_at(const json_t *r);

/* The changes from old to new as a new "tenken-diff" document; NULL when
 * out of memory. Inventory collections missing from either report are
 * listed under "not_compared", never reported as emptied. */
json_t *diff_reports(const json_t *old_report, const json_t *new_report);

/* The inventory sets diff compares, for the history store to keep per
 * report: {"accounts": [key...], "admins", "services_enabled",
 * "listeners", "usb_devices", "wireless": the same keys as the diff's,
 * sorted; "packages": [[name, architecture, version]...] sorted by
 * name:architecture}. A kind whose collection the report lacks is
 * absent (not recorded, never empty). New reference; NULL when out of
 * memory. */
json_t *diff_inventory_keys(const json_t *report);

/* The identity diff gives a package entry ("name:architecture", "name"
 * without an architecture; the first entry of an identity counts), or
 * NULL when it does not count it (no name, "installed": false, out of
 * memory). New string. */
char *diff_package_key(const char *name, const char *arch, bool not_installed);

/* How many changes a diff document holds (0: the scans agree). */
size_t diff_count(const json_t *diff);

/* The diff as text (lang "ja" or "en") or as one self-contained HTML
 * document. 0 or -errno. */
int render_diff_text(const json_t *diff, const char *lang, FILE *out);
int render_diff_html(const json_t *diff, const char *lang, FILE *out);

#endif
