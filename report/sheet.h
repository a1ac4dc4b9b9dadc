/* sheet.h - the checklist sheet of one host in the MHLW layout, for the
 * inspection binder: each item of the report's edition (from the
 * compiled-in baselines/checklist.json) with its 確認結果 for the 1回目,
 * 2回目 and 3回目 checks, each はい・いいえ with its date and, for いいえ, a
 * target date (目標日) to write in. The checks are the given scans, oldest
 * first (dates in JST); items tenken cannot judge on a host
 * (organisational) and items it could not judge (unknown) are left for
 * the hospital to circle.
 *
 * Ownership: the reports are borrowed; out is the caller's stream.
 */
#ifndef TENKEN_SHEET_H
#define TENKEN_SHEET_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/* The sheet holds at most this many checks (the form's three columns). */
#define SHEET_CHECKS 3

/* Whether reports[0..n) can make one sheet: 1 to SHEET_CHECKS reports of
 * one machine (machine_id) and one checklist edition the catalog knows.
 * 0, or -EINVAL with the reason in both languages in *ret_ja, *ret_en. */
int sheet_check(json_t *const *reports, size_t n, const char **ret_ja, const char **ret_en);

/* One HTML document (inline CSS, no script, A4 print layout). lang "ja"
 * or "en". 0 or -errno (-EINVAL when sheet_check refuses). */
int render_sheet(json_t *const *reports, size_t n, const char *lang, FILE *out);

/* The same as CSV: UTF-8 with a BOM, CRLF, one row per item; answers
 * はい/いいえ (yes/no in English), 不明 (unknown) where tenken could not
 * judge, empty where the hospital decides. 0 or -errno. */
int render_sheet_csv(json_t *const *reports, size_t n, const char *lang, FILE *out);

#endif
