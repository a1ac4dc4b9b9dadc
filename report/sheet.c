/* sheet.c - the checklist sheet of one host in the MHLW layout (sheet.h).
 *
 * The form (医療機関確認用) has, per item, three 確認結果 columns: はい・いいえ
 * circled, the date of the check, and for いいえ the 目標日 by which it
 * will be fixed. tenken fills a column per scan: yes circles はい, no
 * circles いいえ and leaves the 目標日 to write in; an organisational item
 * (nothing on a host answers it) and an unknown one (tenken could not
 * judge it: unknown is not pass) circle nothing, so the hospital decides.
 * Items and titles come from the catalog of the report's edition, so the
 * sheet lists every item of the form, also those no rule answers.
 *
 * The cells carry data-item, data-check and data-answer so a test (or a
 * reader's script) can check the printed sheet against the JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "report/sheet.h"
#include "report/diff.h"
#include "report/render.h"
#include "lib/embedded.h"
#include "lib/util.h"

/* Japan Standard Time, the date the hospital writes on the form. */
#define JST_OFFSET (9 * 3600)

static const struct {
	const char *key, *ja, *en;
} words[] = {
    {"title", "医療機関におけるサイバーセキュリティ対策チェックリスト",
     "Cybersecurity checklist for medical institutions"},
    {"form", "医療機関確認用", "Medical institution form"},
    {"institution", "医療機関名", "Institution"},
    {"host", "対象機器", "Device"},
    {"checks", "確認に用いた点検", "Scans used"},
    {"item", "チェック項目", "Checklist item"},
    {"result", "確認結果 (日付)", "Result (date)"},
    {"remarks", "備考", "Remarks"},
    {"check1", "1回目", "1st check"},
    {"check2", "2回目", "2nd check"},
    {"check3", "3回目", "3rd check"},
    {"yes", "はい", "Yes"},
    {"no", "いいえ", "No"},
    {"target", "目標日", "Target date"},
    {"unknown_cell", "tenken: 判定不能", "tenken: not judged"},
    {"unknown_note", "tenken では判定できなかった確認があります: 院内で確認して○をつける",
     "tenken could not judge some checks: check within the hospital and circle"},
    {"org_note", "組織的対応: 院内で確認して○をつける",
     "Organisational: check within the hospital and circle"},
    {"not_in_report", "この点検の対象外", "not in this scan"},
    {"note1",
     "○は tenken の判定です。いいえ の場合は対応の目標日を記入してください。"
     "組織的な項目と tenken が判定できなかった項目には○がありません。院内で確認し、"
     "はい・いいえ に○をつけて日付を記入してください。",
     "A circle is tenken's verdict. For No, write the target date of the fix. "
     "Organisational items and items tenken could not judge have no circle: check them "
     "within the hospital, circle Yes or No and write the date."},
    {"note2", "日付は日本時間 (JST) の点検日です。", "Dates are scan dates in Japan time (JST)."},
    {"csv_item", "項目", "Item"},
    {"csv_section", "区分", "Section"},
    {"csv_date", "日付", "date"},
};

static const char *W(const char *key, const char *lang)
{
	bool ja = !lang || strcmp(lang, "ja") == 0;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(words[i].key, key) == 0)
			return ja ? words[i].ja : words[i].en;
	return key;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The catalog's edition object, or NULL. new reference. */
static json_t *catalog_edition(const char *edition)
{
	const struct embedded_file *ef = embedded_find("checklist.json");
	if (!ef || !edition)
		return NULL;
	json_auto_t *cat = json_loadb(ef->data, ef->len, 0, NULL);
	json_t *ed = json_object_get(json_object_get(cat, "editions"), edition);
	return ed ? json_incref(ed) : NULL;
}

int sheet_check(json_t *const *reports, size_t n, const char **ret_ja, const char **ret_en)
{
	*ret_ja = "レポートがありません";
	*ret_en = "no report";
	if (n == 0)
		return -EINVAL;
	if (n > SHEET_CHECKS) {
		*ret_ja =
		    "チェックリストの確認欄は 3 回分です: レポートは 3 つまで指定してください";
		*ret_en = "the checklist has three check columns: give at most three reports";
		return -EINVAL;
	}
	const char *mid = report_machine_id(reports[0]);
	const char *ed = jstr(reports[0], "checklist_edition");
	for (size_t i = 0; i < n; i++) {
		const char *m = report_machine_id(reports[i]);
		const char *e = jstr(reports[i], "checklist_edition");
		/* One scan needs no id; several must name the same machine. */
		if (n > 1 && (!m || !mid || strcmp(m, mid) != 0)) {
			*ret_ja =
			    "1 台のホストのレポートだけを指定してください（machine-id が異なるか、"
			    "ありません）";
			*ret_en =
			    "give the reports of one host only (machine-id differs or is missing)";
			return -EINVAL;
		}
		if (!e || !ed || strcmp(e, ed) != 0) {
			*ret_ja = "チェックリストの版が異なるレポートは 1 枚にできません";
			*ret_en = "reports of different checklist editions cannot share one sheet";
			return -EINVAL;
		}
	}
	json_auto_t *cat = catalog_edition(ed);
	if (!cat) {
		*ret_ja = "レポートのチェックリストの版をこの tenken は知りません";
		*ret_en = "this tenken does not know the report's checklist edition";
		return -EINVAL;
	}
	return 0;
}

/* ---- the checks ---- */

struct check {
	const json_t *report;
	char date[48]; /* "2026/11/22" in JST, "" if the report has no time */
};

static int check_cmp(const void *pa, const void *pb)
{
	const struct check *a = pa, *b = pb;
	const char *x = report_scanned_at(a->report), *y = report_scanned_at(b->report);
	time_t tx = 0, ty = 0;
	if (x)
		time_parse_rfc3339(x, &tx);
	if (y)
		time_parse_rfc3339(y, &ty);
	return tx < ty ? -1 : tx > ty;
}

/* The checks, oldest first, with their JST dates. */
static void checks_of(json_t *const *reports, size_t n, struct check *c)
{
	for (size_t i = 0; i < n; i++) {
		const char *at = report_scanned_at(reports[i]);
		time_t t;
		struct tm tm;
		c[i] = (struct check){.report = reports[i]};
		if (at && time_parse_rfc3339(at, &t) == 0) {
			t += JST_OFFSET;
			if (gmtime_r(&t, &tm))
				snprintf(c[i].date, sizeof(c[i].date), "%04d/%02d/%02d",
					 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		}
	}
	qsort(c, n, sizeof(*c), check_cmp);
}

/* The report's checklist entry for item, or NULL. Borrowed. */
static const json_t *answer_entry(const json_t *report, const char *item)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(report, "checklist"), i, it)
		if (jstr(it, "item") && item && strcmp(jstr(it, "item"), item) == 0)
			return it;
	return NULL;
}

/* "yes", "no", "unknown", "organisational", or "" when the report does
 * not list the item (or the column has no scan). */
static const char *answer_of(const struct check *c, const char *item)
{
	const char *a = c ? jstr(answer_entry(c->report, item), "answer") : NULL;
	static const char *const known[] = {"yes", "no", "unknown", "organisational"};
	for (size_t i = 0; a && i < ARRAY_SIZE(known); i++)
		if (strcmp(a, known[i]) == 0)
			return known[i];
	return "";
}

/* ---- HTML ---- */

static const char sheet_css[] =
    "body{font-family:\"Noto Sans CJK JP\",\"Noto Sans JP\",\"Hiragino Sans\",\"Yu Gothic\","
    "Meiryo,sans-serif;margin:1.5em;color:#000;font-size:10.5pt;line-height:1.4}\n"
    "h1{font-size:14pt;margin:0 0 .2em;text-align:center}p.form{text-align:right;margin:0;"
    "font-weight:bold}\n"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #000;padding:3px 5px;"
    "vertical-align:top}th{background:#eee;font-weight:normal}\n"
    "table.meta{margin:.5em 0 .8em}table.meta th{width:9em;text-align:left}"
    "td.blank{height:1.6em}\n"
    "tr.section td{background:#f4f4f4;font-weight:bold}td.id{white-space:nowrap;width:3.2em}"
    "td.check{width:7.2em;text-align:center;white-space:nowrap}td.remarks{width:10em;"
    "font-size:8.5pt}\n"
    ".choice{display:inline-block;padding:0 .3em;border:1.5px solid transparent;"
    "border-radius:1em}.choice.circled{border-color:#000;font-weight:bold}\n"
    ".date,.target{font-size:8.5pt}.note{font-size:8pt;color:#444;white-space:normal}\n"
    "ul.notes{font-size:8.5pt;padding-left:1.2em}\n"
    "@page{size:A4;margin:12mm}\n"
    "@media print{body{margin:0;font-size:9.5pt}tr{break-inside:avoid}"
    "thead{display:table-header-group}*{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}\n";

struct sout {
	FILE *out;
	const char *lang;
	int err;
};

static void esc(struct sout *s, const char *text)
{
	_cleanup_free_ char *clean = sanitize_text(text ? text : "");
	if (!clean) {
		s->err = -ENOMEM;
		return;
	}
	html_escape_to(s->out, clean);
}

/* One 確認結果 cell: はい・いいえ with the verdict circled, the date, and
 * a 目標日 to fill in for いいえ. */
static void check_cell(struct sout *s, const struct check *c, int k, const char *item)
{
	const char *a = answer_of(c, item);
	bool yes = strcmp(a, "yes") == 0, no = strcmp(a, "no") == 0;
	bool judged = yes || no;
	fputs("<td class=\"check\" data-item=\"", s->out);
	esc(s, item);
	fprintf(s->out, "\" data-check=\"%d\" data-answer=\"%s\">", k + 1, a);
	fprintf(s->out,
		"<span class=\"choice%s\">%s</span>・<span class=\"choice%s\">%s</span><br>",
		yes ? " circled" : "", W("yes", s->lang), no ? " circled" : "", W("no", s->lang));
	if (judged && c->date[0])
		fprintf(s->out, "<span class=\"date\">(%s)</span>", c->date);
	else
		fputs("<span class=\"date\">(&emsp;/&emsp;/&emsp;)</span>", s->out);
	/* いいえ, or a column the hospital fills in, gets the target-date field. */
	if (no || !judged)
		fprintf(s->out, "<br><span class=\"target\">%s (&emsp;/&emsp;/&emsp;)</span>",
			W("target", s->lang));
	if (strcmp(a, "unknown") == 0)
		fprintf(s->out, "<br><span class=\"note\">%s</span>", W("unknown_cell", s->lang));
	else if (c && !*a)
		fprintf(s->out, "<br><span class=\"note\">%s</span>", W("not_in_report", s->lang));
	fputs("</td>", s->out);
}

static void remarks_cell(struct sout *s, const struct check *latest, const char *item)
{
	const json_t *e = answer_entry(latest->report, item);
	const char *a = jstr(e, "answer");
	fputs("<td class=\"remarks\">", s->out);
	if (a && strcmp(a, "organisational") == 0) {
		esc(s, W("org_note", s->lang));
	} else if (e) {
		char buf[160];
		snprintf(buf, sizeof(buf),
			 strcmp(s->lang, "ja") == 0
			     ? "tenken (最新): 不適合 %lld / 適合 %lld / 不明 %lld"
			     : "tenken (latest): fail %lld / pass %lld / unknown %lld",
			 (long long)json_integer_value(json_object_get(e, "fail")),
			 (long long)json_integer_value(json_object_get(e, "pass")),
			 (long long)json_integer_value(json_object_get(e, "unknown")));
		esc(s, buf);
		if (a && strcmp(a, "unknown") == 0) {
			fputs("<br>", s->out);
			esc(s, W("unknown_note", s->lang));
		}
	}
	fputs("</td>", s->out);
}

static void meta(struct sout *s, const struct check *c, size_t n, const json_t *ed)
{
	const json_t *latest = c[n - 1].report;
	const json_t *host = json_object_get(latest, "host");
	fputs("<table class=\"meta\">\n<tr><th>", s->out);
	esc(s, W("institution", s->lang));
	fputs("</th><td class=\"blank\"></td></tr>\n<tr><th>", s->out);
	esc(s, W("host", s->lang));
	fputs("</th><td>", s->out);
	esc(s, jstr(host, "hostname"));
	fputs(" (machine-id ", s->out);
	esc(s, jstr(host, "machine_id"));
	fputs(") ", s->out);
	esc(s, jstr(json_object_get(host, "os"), "pretty_name"));
	fputs("</td></tr>\n<tr><th>", s->out);
	esc(s, W("checks", s->lang));
	fputs("</th><td>", s->out);
	for (size_t i = 0; i < n; i++) {
		char key[32];
		snprintf(key, sizeof(key), "check%zu", i + 1);
		fputs(i ? "; " : "", s->out);
		esc(s, W(key, s->lang));
		fputs(": ", s->out);
		esc(s, c[i].date);
		fputs(" (", s->out);
		esc(s, report_scanned_at(c[i].report));
		fputs(")", s->out);
	}
	fputs(" &middot; tenken ", s->out);
	esc(s, jstr(json_object_get(latest, "tool"), "version"));
	fputs(" &middot; ", s->out);
	esc(s, render_i18n(json_object_get(ed, "title"), s->lang));
	fputs("</td></tr>\n</table>\n", s->out);
}

static void items_table(struct sout *s, const struct check *c, size_t n, const json_t *ed)
{
	const json_t *sections = json_object_get(ed, "sections");
	const char *section = NULL;
	size_t i;
	json_t *it;
	fprintf(s->out,
		"<table class=\"sheet\">\n<thead><tr><th rowspan=\"2\" colspan=\"2\">%s</th>"
		"<th colspan=\"3\">%s</th><th rowspan=\"2\">%s</th></tr>\n<tr><th>%s</th>"
		"<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
		W("item", s->lang), W("result", s->lang), W("remarks", s->lang),
		W("check1", s->lang), W("check2", s->lang), W("check3", s->lang));
	json_array_foreach(json_object_get(ed, "items"), i, it) {
		const char *item = jstr(it, "item"), *sec = jstr(it, "section");
		if (sec && (!section || strcmp(sec, section) != 0)) {
			section = sec;
			fputs("<tr class=\"section\"><td colspan=\"6\">", s->out);
			esc(s, sec);
			fputs(" ", s->out);
			esc(s, render_i18n(json_object_get(sections, sec), s->lang));
			fputs("</td></tr>\n", s->out);
		}
		fputs("<tr><td class=\"id\">", s->out);
		esc(s, item);
		fputs("</td><td>", s->out);
		esc(s, render_i18n(json_object_get(it, "title"), s->lang));
		fputs("</td>", s->out);
		for (int k = 0; k < SHEET_CHECKS; k++)
			check_cell(s, (size_t)k < n ? &c[k] : NULL, k, item);
		remarks_cell(s, &c[n - 1], item);
		fputs("</tr>\n", s->out);
	}
	fputs("</tbody></table>\n", s->out);
}

int render_sheet(json_t *const *reports, size_t n, const char *lang, FILE *out)
{
	struct sout s = {.out = out, .lang = lang ? lang : "ja"};
	struct check c[SHEET_CHECKS];
	const char *ja, *en;
	if (sheet_check(reports, n, &ja, &en) < 0)
		return -EINVAL;
	checks_of(reports, n, c);
	json_auto_t *ed = catalog_edition(jstr(c[n - 1].report, "checklist_edition"));
	if (!ed)
		return -EINVAL;
	fprintf(out,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'\">\n<title>%s: ",
		strcmp(s.lang, "ja") == 0 ? "ja" : "en", W("title", s.lang));
	esc(&s, jstr(json_object_get(c[n - 1].report, "host"), "hostname"));
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<p class=\"form\">%s</p>\n",
		sheet_css, W("form", s.lang));
	fprintf(out, "<h1>%s (", W("title", s.lang));
	esc(&s, render_i18n(json_object_get(ed, "title"), s.lang));
	fputs(")</h1>\n", out);
	meta(&s, c, n, ed);
	items_table(&s, c, n, ed);
	fprintf(out, "<ul class=\"notes\"><li>%s</li><li>%s</li></ul>\n</body>\n</html>\n",
		W("note1", s.lang), W("note2", s.lang));
	if (s.err < 0)
		return s.err;
	return fflush(out) != 0 || ferror(out) ? -EIO : 0;
}

/* ---- CSV ---- */

/* One RFC 4180 field, quoted, a formula start defused (the titles are
 * the catalog's, but stay careful), then sep. */
static int csv_field(FILE *out, const char *text, const char *sep)
{
	_cleanup_free_ char *clean = sanitize_multiline(text ? text : "");
	if (!clean)
		return -ENOMEM;
	fputc('"', out);
	if (clean[0] && strchr("=+-@\t\r", clean[0]))
		fputc('\'', out);
	for (const char *p = clean; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
	fputs(sep, out);
	return 0;
}

static const char *csv_answer(const char *a, const char *lang)
{
	bool judged = strcmp(a, "yes") == 0 || strcmp(a, "no") == 0;
	return judged || strcmp(a, "unknown") == 0 ? render_answer(a, lang) : "";
}

static int csv_header(FILE *out, const char *lang)
{
	int r = csv_field(out, W("csv_item", lang), ",");
	r = r ? r : csv_field(out, W("csv_section", lang), ",");
	r = r ? r : csv_field(out, W("item", lang), ",");
	for (int k = 0; k < SHEET_CHECKS && !r; k++) {
		char key[32], buf[96];
		snprintf(key, sizeof(key), "check%d", k + 1);
		r = csv_field(out, W(key, lang), ",");
		snprintf(buf, sizeof(buf), "%s %s", W(key, lang), W("csv_date", lang));
		r = r ? r : csv_field(out, buf, ",");
		snprintf(buf, sizeof(buf), "%s %s", W(key, lang), W("target", lang));
		r = r ? r : csv_field(out, buf, ",");
	}
	return r ? r : csv_field(out, W("remarks", lang), "\r\n");
}

int render_sheet_csv(json_t *const *reports, size_t n, const char *lang, FILE *out)
{
	struct check c[SHEET_CHECKS];
	const char *ja, *en;
	lang = lang ? lang : "ja";
	if (sheet_check(reports, n, &ja, &en) < 0)
		return -EINVAL;
	checks_of(reports, n, c);
	json_auto_t *ed = catalog_edition(jstr(c[n - 1].report, "checklist_edition"));
	if (!ed)
		return -EINVAL;
	const json_t *sections = json_object_get(ed, "sections");
	fputs("\xef\xbb\xbf", out);
	int r = csv_header(out, lang);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(ed, "items"), i, it) {
		const char *item = jstr(it, "item");
		if (r)
			break;
		r = csv_field(out, item, ",");
		r = r ? r
		      : csv_field(out,
				  render_i18n(json_object_get(sections, jstr(it, "section")), lang),
				  ",");
		r = r ? r : csv_field(out, render_i18n(json_object_get(it, "title"), lang), ",");
		for (int k = 0; k < SHEET_CHECKS && !r; k++) {
			const struct check *ck = (size_t)k < n ? &c[k] : NULL;
			const char *a = answer_of(ck, item);
			bool judged = strcmp(a, "yes") == 0 || strcmp(a, "no") == 0;
			r = csv_field(out, csv_answer(a, lang), ",");
			r = r ? r : csv_field(out, judged ? ck->date : "", ",");
			r = r ? r : csv_field(out, "", ",");
		}
		const char *a = answer_of(&c[n - 1], item);
		r = r ? r
		      : csv_field(out,
				  strcmp(a, "organisational") == 0 ? W("org_note", lang)
				  : strcmp(a, "unknown") == 0	   ? W("unknown_note", lang)
								   : "",
				  "\r\n");
	}
	if (r)
		return r;
	return fflush(out) != 0 || ferror(out) ? -EIO : 0;
}
