/* render.h - turning a JSON report into text (terminals, inspection
 * papers), CSV (spreadsheets) and HTML (one printable, self-contained
 * file). The JSON report (DESIGN.md) is the only input, so `tenken report`
 * can re-render any saved scan; a field missing from it prints as unknown
 * rather than failing.
 *
 * Every string of a report may come from a hostile file on the scanned
 * host (a gecos, a hostname): the renderers escape control characters,
 * HTML markup and spreadsheet formulas before they reach the reader.
 *
 * Ownership: the report is borrowed; out is the caller's stream.
 * lang is "ja" or "en" (anything else is English; NULL is Japanese).
 */
#ifndef TENKEN_RENDER_H
#define TENKEN_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "lib/utf8.h"

/* Text report: header, checklist answers first, failures by item and
 * severity, unknowns, probe problems, summary. color adds ANSI colours
 * (the caller decides: a terminal and NO_COLOR unset). 0 or -errno. */
int render_text(const json_t *report, const char *lang, bool color, FILE *out);

/* RFC 4180 CSV, UTF-8 (with a BOM for "ja", which spreadsheet programs
 * need to read Japanese), CRLF, a header row, one row per finding.
 * 0 or -errno. */
int render_csv(const json_t *report, const char *lang, FILE *out);

/* One HTML document: inline CSS, no script, no external resource, A4
 * print layout. 0 or -errno. */
int render_html(const json_t *report, const char *lang, FILE *out);

/* The MDS/SDS evidence view (report/sds_html.c, catalogue in
 * baselines/sds.json): each mapped question of the disclosure statement
 * with its answer and evidence, the provenance and signature status. HTML
 * as render_html makes it; CSV one row per question (BOM for "ja", CRLF).
 * 0 or -errno (-EINVAL if the shipped catalogue does not validate). */
int render_sds(const json_t *report, const char *lang, FILE *out);
int render_sds_csv(const json_t *report, const char *lang, FILE *out);

/* The report as JSON (the source of truth), two-space indented, with a
 * final newline. color is ignored. 0 or -errno. */
int render_json(const json_t *report, const char *lang, bool color, FILE *out);

/* One output format: the name --format takes and its renderer (color is
 * for the renderers that use it). report/registry.c holds the one table;
 * a new format is a renderer file and a line there. */
struct renderer {
	const char *name;
	int (*render)(const json_t *report, const char *lang, bool color, FILE *out);
};
extern const struct renderer renderers[]; /* terminated by {NULL} */
/* The renderer named name, or NULL. */
const struct renderer *renderer_find(const char *name);

/* ---- shared by the renderers (report/render.c), exported for tests ---- */

/* s with every control character (C0 incl. TAB/CR/LF, DEL, C1), bidi
 * override or isolate, line/paragraph separator and invalid UTF-8 byte
 * replaced by a visible escape ("\x1b", "\u202e"). New string, or NULL on
 * allocation failure. s NULL gives "". */
char *sanitize_text(const char *s);

/* The same, but TAB, CR and LF are kept (for CSV fields, where quoting
 * carries them). */
char *sanitize_multiline(const char *s);
/* Write already sanitized text to out with &, <, >, " and ' as HTML
 * entities (runs that need none are written at once). Every HTML
 * renderer escapes through this one function. */
void html_escape_to(FILE *out, const char *clean);

/* The label key in lang ("ja" or "en"); the key itself if unknown. */
const char *render_label(const char *key, const char *lang);

/* The text of a bilingual {"ja","en"} object in lang, falling back to the
 * other language; a plain string as is; NULL if neither. Borrowed. */
const char *render_i18n(const json_t *v, const char *lang);

/* A JSON value as display text: strings as is, numbers and booleans in
 * JSON form, null as the "unknown" label, {"ja","en"} messages in lang,
 * arrays of those joined with ", " ([] as the "none" label), anything
 * else as compact JSON. New string. */
char *render_value(const json_t *v, const char *lang);

/* "はい" / "yes" for a checklist answer ("yes", "no", "unknown",
 * "organisational"); the answer itself if unknown. */
const char *render_answer(const char *answer, const char *lang);

/* Findings of status (fail/pass/unknown), ordered by checklist item,
 * then severity (high first), then subject. New array of borrowed-then-
 * increfed findings. */
json_t *render_findings_sorted(const json_t *report, const char *status);

/* "3 件を確認" / "3 subjects checked" for a finding whose evidence has
 * "checked" (a host-level finding); NULL otherwise. New string. */
char *render_checked(const json_t *f, const char *lang);

/* The line every format puts first when the scan lacked privileges
 * (scan.privileged false): "root で実行してください: N 件の項目を判定できません
 * でした" / "run as root: N checks could not be judged", N the unknown
 * findings. NULL when the scan was privileged (or the report does not say).
 * New string. */
char *render_privilege_notice(const json_t *report, const char *lang);

/* Findings of one rule with one status are shown as one group (a table
 * of subjects, not one card each). The rules' names in list, in the
 * order they first appear; each name once. New array. */
json_t *render_group_rules(const json_t *list);

/* The findings of list whose rule is rule, in list order. New array. */
json_t *render_group_members(const json_t *list, const char *rule);

/* True when every finding of group has an equal value at key (all
 * absent counts as equal): a message or remediation said once. */
bool render_group_same(const json_t *group, const char *key);

/* The same for evidence[key]: a column equal on every row is said once
 * above the table instead. */
bool render_group_same_evidence(const json_t *group, const char *key);

/* The evidence keys of group's findings, in the order they first appear,
 * each once: the columns of the group's table. New array of strings. */
json_t *render_group_columns(const json_t *group);

/* Severity rank: high 0, medium 1, low 2, info 3, anything else 4. */
int render_severity_rank(const char *sev);

#endif
