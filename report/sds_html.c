/* sds_html.c - the MDS/SDS evidence view (--format sds, --format
 * sds-csv): each question of the disclosure statement the catalogue maps,
 * in the form's numbering and words, with はい/いいえ/対象外/不明 and the
 * evidence behind it, then the questions no scan can evidence, the scan's
 * provenance and the signature status. A vendor attaches it to the form.
 *
 * HTML as report/html.c makes it: one file, inline CSS, no script, no
 * external resource, a Content-Security-Policy forbidding any load, A4
 * print CSS. Every string from the report is sanitised and escaped; the
 * catalogue's strings are ours but go through the same path.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "report/render.h"
#include "report/sds.h"
#include "lib/util.h"

static const char css[] =
    "body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",Meiryo,sans-serif;"
    "margin:2em;color:#222;line-height:1.45}\n"
    "h1{font-size:1.4em;border-bottom:2px solid #333;margin-bottom:.2em}"
    "h2{font-size:1.15em;margin-top:1.4em;border-bottom:1px solid #999}\n"
    "p.form{margin:.2em 0 1em;color:#444}\n"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;"
    "padding:.25em .45em;text-align:left;vertical-align:top}th{background:#eee}\n"
    "table.meta th{width:13em}td.no{white-space:nowrap;width:4.5em}td.ans{width:7.5em;"
    "text-align:center;font-weight:bold}\n"
    ".q-ja{font-weight:bold}.q-en{color:#444;font-size:.92em}.ref{color:#555;"
    "font-size:.85em;white-space:nowrap}\n"
    "tr.heading td{background:#f4f4f4}tr.bullet td.q{padding-left:1.6em}\n"
    ".ans-yes{background:#d8f0d8;color:#135f13}.ans-no{background:#f8d4d4;color:#9b1111}"
    ".ans-unknown{background:#fbefc4;color:#6b5200}.ans-not_applicable{background:#e6e6e6;"
    "color:#333}.ans-not_evidenced{background:#fff;color:#555;font-weight:normal;"
    "font-size:.85em}\n"
    "ul.ev{margin:0;padding-left:1.1em}ul.ev li{margin:.1em 0}code{font-size:.88em}\n"
    ".why{color:#555;font-size:.85em;margin-top:.25em}.subj{word-break:break-all}\n"
    ".sig-valid{color:#135f13;font-weight:bold}.sig-invalid{color:#9b1111;font-weight:bold}"
    ".sig-other{color:#6b5200;font-weight:bold}\n"
    ".notice{border:2px solid #9b1111;padding:.4em .8em;font-weight:bold}\n"
    "footer{margin-top:2em;font-size:.82em;color:#555}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{body{margin:0;font-size:9pt}tr{break-inside:avoid}"
    "thead{display:table-header-group}h2{break-after:avoid}*{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}\n";

struct sout {
	FILE *out;
	const char *lang;
	bool ja;
	int err;
};

static const char *T(const struct sout *s, const char *ja, const char *en)
{
	return s->ja ? ja : en;
}

static const char *jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static const char *i18n(const struct sout *s, const json_t *obj, const char *key)
{
	return render_i18n(json_object_get(obj, key), s->lang);
}

/* Untrusted text, sanitised and HTML-escaped; NULL prints "-". */
static void esc(struct sout *s, const char *text)
{
	_cleanup_free_ char *clean = sanitize_text(text ? text : "-");
	if (!clean) {
		s->err = -ENOMEM;
		return;
	}
	html_escape_to(s->out, clean);
}

static void row(struct sout *s, const char *label, const char *value)
{
	fputs("<tr><th>", s->out);
	esc(s, label);
	fputs("</th><td>", s->out);
	esc(s, value);
	fputs("</td></tr>\n", s->out);
}

/* The label of an answer. English keeps the form's Japanese word, since
 * the form is Japanese. */
static const char *answer_label(const struct sout *s, enum sds_answer a)
{
	switch (a) {
	case SDS_YES:
		return T(s, "はい", "Yes (はい)");
	case SDS_NO:
		return T(s, "いいえ", "No (いいえ)");
	case SDS_NOT_APPLICABLE:
		return T(s, "対象外", "Not applicable (対象外)");
	case SDS_NOT_EVIDENCED:
		return T(s, "この検査では確認できません",
			 "Not evidenced by this scan (この検査では確認できません)");
	case SDS_HEADING:
		return "";
	default:
		return T(s, "不明", "Unknown (不明)");
	}
}

/* ---- the header: host, signature, provenance ---- */

static void notice(struct sout *s, const char *ja, const char *en)
{
	fputs("<p class=\"notice\">", s->out);
	esc(s, T(s, ja, en));
	fputs("</p>\n", s->out);
}

/* What makes the whole sheet untrustworthy comes first: a signature that
 * does not match, a provenance that names another host or time. */
static void warnings(struct sout *s, const json_t *report)
{
	const json_t *p = json_object_get(report, "provenance");
	const char *st = jstr(json_object_get(report, "verification"), "status");
	const char *pid = jstr(json_object_get(p, "host"), "machine_id"),
		   *rid = jstr(json_object_get(report, "host"), "machine_id");
	const char *pat = jstr(p, "judged_at"), *now = jstr(json_object_get(report, "scan"), "now");
	if (st && strcmp(st, "invalid") == 0)
		notice(s, "署名が一致しません。この資料を根拠として使わないでください。",
		       "The signature does not match: do not use this sheet as evidence.");
	if (pid && rid && strcmp(pid, rid) != 0)
		notice(s, "来歴のマシン ID が報告書のホストと一致しません。",
		       "The provenance names another machine ID than the report's host.");
	if (pat && now && strcmp(pat, now) != 0)
		notice(s, "来歴の判定日時が報告書の判定基準日時と一致しません。",
		       "The provenance's judged_at differs from the report's scan time.");
}

static void host_table(struct sout *s, const json_t *report, const json_t *edition)
{
	const json_t *host = json_object_get(report, "host"),
		     *scan = json_object_get(report, "scan"),
		     *bl = json_object_get(report, "baseline");
	_cleanup_free_ char *base = NULL, *tool = NULL;
	if (asprintf(&base, "%s (%s %s)%s%s", jstr(bl, "name") ? jstr(bl, "name") : "-",
		     T(s, "プロファイル", "profile"),
		     jstr(bl, "profile") ? jstr(bl, "profile") : "-",
		     jstr(bl, "sha256") ? " sha256:" : "",
		     jstr(bl, "sha256") ? jstr(bl, "sha256") : "") < 0 ||
	    asprintf(&tool, "tenken %s",
		     jstr(json_object_get(report, "tool"), "version")
			 ? jstr(json_object_get(report, "tool"), "version")
			 : "?") < 0) {
		s->err = -ENOMEM;
		return;
	}
	fputs("<table class=\"meta\">\n", s->out);
	row(s, T(s, "ホスト名", "Host name"), jstr(host, "hostname"));
	row(s, T(s, "マシン ID", "Machine ID"), jstr(host, "machine_id"));
	row(s, "OS", jstr(json_object_get(host, "os"), "pretty_name"));
	row(s, T(s, "実施日時", "Scanned at"), jstr(scan, "started_at"));
	row(s, T(s, "判定基準日時", "Judged as of"), jstr(scan, "now"));
	row(s, T(s, "方式", "Mode"), jstr(scan, "mode"));
	row(s, T(s, "対象ルート", "Scanned root"), jstr(scan, "root"));
	row(s, T(s, "ベースライン", "Baseline"), base);
	row(s, T(s, "チェックリスト版", "Checklist edition"), jstr(report, "checklist_edition"));
	row(s, T(s, "開示書の版", "Disclosure statement edition"), i18n(s, edition, "title"));
	row(s, T(s, "ツール", "Tool"), tool);
	fputs("</table>\n", s->out);
}

static void signature(struct sout *s, const json_t *report)
{
	const json_t *v = json_object_get(report, "verification");
	const char *st = jstr(v, "status");
	fprintf(s->out, "<section id=\"signature\"><h2>%s</h2>\n<p>",
		T(s, "署名の検証", "Signature"));
	if (!st) {
		fprintf(s->out, "<span class=\"sig-other\">%s</span>",
			T(s, "署名未検証 — <code>tenken verify</code> で検証してください",
			  "signature not verified — verify with <code>tenken verify</code>"));
	} else {
		const char *cls = strcmp(st, "valid") == 0     ? "sig-valid"
				  : strcmp(st, "invalid") == 0 ? "sig-invalid"
							       : "sig-other";
		const char *text =
		    strcmp(st, "valid") == 0 ? T(s, "署名は有効", "signature valid")
		    : strcmp(st, "invalid") == 0
			? T(s,
			    "署名が一致しません: "
			    "この報告書は改変されたか、別の鍵で署名されています",
			    "signature INVALID: this report was altered or signed by another key")
		    : strcmp(st, "unsigned") == 0 ? T(s, "署名なし", "unsigned")
						  : T(s, "署名未検証", "signature not checked");
		fprintf(s->out, "<span class=\"%s\">", cls);
		esc(s, text);
		fputs("</span>", s->out);
		if (jstr(v, "method") || jstr(v, "signer")) {
			fputs(" (", s->out);
			esc(s, jstr(v, "method"));
			fprintf(s->out, "; %s ", T(s, "署名者", "signer"));
			esc(s, jstr(v, "signer"));
			fputs(")", s->out);
		}
	}
	fputs("</p></section>\n", s->out);
}

static void joined(struct sout *s, const json_t *arr, const char *sep)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		fputs(i ? sep : "", s->out);
		esc(s, json_string_value(v) ? json_string_value(v) : "?");
	}
}

static void provenance(struct sout *s, const json_t *report)
{
	const json_t *p = json_object_get(report, "provenance");
	fprintf(s->out, "<section id=\"provenance\"><h2>%s</h2>\n",
		T(s, "検査の来歴", "Provenance of the scan"));
	if (!json_is_object(p)) {
		fprintf(s->out, "<p>%s</p></section>\n",
			T(s, "この報告書には来歴 (provenance) がありません。",
			  "This report carries no provenance."));
		return;
	}
	const json_t *tool = json_object_get(p, "tool"), *host = json_object_get(p, "host");
	fputs("<table class=\"meta\">\n", s->out);
	row(s, T(s, "ツール", "Tool"), jstr(tool, "name"));
	row(s, T(s, "版", "Version"), jstr(tool, "version"));
	row(s, T(s, "実行ファイルの SHA-256", "Binary SHA-256"), jstr(tool, "binary_sha256"));
	row(s, T(s, "ルール集合の SHA-256", "Rule set SHA-256"), jstr(p, "ruleset_sha256"));
	row(s, T(s, "ベースラインの SHA-256", "Baseline SHA-256"),
	    jstr(p, "baseline_sha256") ? jstr(p, "baseline_sha256") : T(s, "なし", "none"));
	fprintf(s->out, "<tr><th>%s</th><td><code>", T(s, "コマンドライン", "Command line"));
	joined(s, json_object_get(p, "command_line"), " ");
	fputs("</code></td></tr>\n", s->out);
	row(s, T(s, "判定日時", "Judged at"), jstr(p, "judged_at"));
	row(s, T(s, "対象ルート", "Root"), jstr(p, "root"));
	row(s, T(s, "方式", "Mode"), jstr(p, "mode"));
	row(s, T(s, "ホスト名", "Host name"), jstr(host, "hostname"));
	row(s, T(s, "マシン ID", "Machine ID"), jstr(host, "machine_id"));
	fprintf(s->out, "<tr><th>%s</th><td>", T(s, "SSH ホスト鍵", "SSH host keys"));
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(host, "ssh_host_keys"), i, k) {
		fputs(i ? "<br>" : "", s->out);
		esc(s, jstr(k, "type"));
		fputs(" <code>", s->out);
		esc(s, jstr(k, "fingerprint"));
		fputs("</code>", s->out);
	}
	fputs("</td></tr>\n</table></section>\n", s->out);
}

/* ---- the answers ---- */

static void rule_line(struct sout *s, const struct sds_rule_eval *re, const json_t *titles)
{
	fputs("<li><code>", s->out);
	esc(s, re->rule);
	fputs("</code> ", s->out);
	esc(s, render_i18n(json_object_get(titles, re->rule), s->lang));
	fputs(": ", s->out);
	if (!re->present) {
		esc(s, T(s,
			 "この報告書に結果がありません "
			 "(ルールが無効か、報告書のチェックリスト版に項目がない)",
			 "no result in this report (the rule is off, or has no item in the "
			 "report's checklist edition)"));
		fputs("</li>\n", s->out);
		return;
	}
	fprintf(s->out,
		s->ja ? "不合格 %lld・合格 %lld・不明 %lld" : "fail %lld, pass %lld, unknown %lld",
		re->fail, re->pass, re->unknown);
	if (re->checked >= 0)
		fprintf(s->out, s->ja ? "・%lld 件を確認" : ", %lld checked", re->checked);
	if (re->nsubjects) {
		fprintf(s->out, "<br><span class=\"subj\">%s: ", T(s, "不合格の対象", "failing"));
		for (size_t i = 0; i < re->nsubjects; i++) {
			fputs(i ? ", " : "", s->out);
			esc(s, re->subjects[i]);
		}
		if (re->fail > (long long)re->nsubjects)
			fprintf(s->out, s->ja ? " ほか %lld 件" : " and %lld more",
				re->fail - (long long)re->nsubjects);
		fputs("</span>", s->out);
	}
	fputs("</li>\n", s->out);
}

static void refs(struct sout *s, const json_t *q)
{
	fputs(" <span class=\"ref\">(", s->out);
	joined(s, json_object_get(q, "references"), "、");
	fputs(")</span>", s->out);
}

static void question_row(struct sout *s, const json_t *q, const struct sds_eval *ev,
			 const json_t *titles)
{
	bool heading = ev->answer == SDS_HEADING;
	const char *a = sds_answer_name(ev->answer);
	fprintf(s->out, "<tr class=\"%s\"><td class=\"no\">",
		heading					     ? "heading"
		: json_is_true(json_object_get(q, "bullet")) ? "bullet"
							     : "q");
	if (!json_is_true(json_object_get(q, "bullet")))
		esc(s, jstr(q, "id"));
	fputs("</td><td class=\"q\"><div class=\"q-ja\">「", s->out);
	esc(s, jstr(json_object_get(q, "text"), "ja"));
	fputs("」", s->out);
	refs(s, q);
	fputs("</div>", s->out);
	if (!s->ja) {
		fputs("<div class=\"q-en\">", s->out);
		esc(s, jstr(json_object_get(q, "text"), "en"));
		fputs("</div>", s->out);
	}
	fprintf(s->out, "</td><td class=\"ans ans-%s\">", a);
	esc(s, answer_label(s, ev->answer));
	if (jstr(q, "choice") && ev->answer == SDS_NOT_EVIDENCED)
		fprintf(s->out, "<br>%s", T(s, "(該当/非該当)", "(applicable / not applicable)"));
	fputs("</td><td>", s->out);
	if (ev->nrules) {
		fputs("<ul class=\"ev\">\n", s->out);
		for (size_t i = 0; i < ev->nrules; i++)
			rule_line(s, &ev->rules[i], titles);
		fputs("</ul>", s->out);
	}
	if (ev->answer == SDS_NOT_APPLICABLE) {
		fprintf(s->out,
			"<div class=\"why\">%s: ", T(s, "対象外の理由", "Not applicable because"));
		esc(s, i18n(s, json_object_get(q, "not_applicable_when"), "why"));
		fputs("</div>", s->out);
	}
	fputs("<div class=\"why\">", s->out);
	esc(s, i18n(s, q, "why"));
	fputs("</div></td></tr>\n", s->out);
}

static void section_start(struct sout *s, const json_t *edition, const char *sec)
{
	fputs("<h2>", s->out);
	esc(s, sec);
	fputs(" ", s->out);
	esc(s, i18n(s, json_object_get(edition, "sections"), sec));
	fprintf(s->out,
		"</h2>\n<table><thead><tr><th>No.</th><th>%s</th><th>%s</th><th>%s</th>"
		"</tr></thead><tbody>\n",
		T(s, "質問", "Question"), T(s, "回答", "Answer"),
		T(s, "根拠 (ルール、結果、確認件数、不合格の対象)",
		  "Evidence (rules, results, subjects checked, failing subjects)"));
}

/* The questions, grouped under their sections in catalogue order; counts
 * answers into tally (indexed by enum sds_answer). */
static void answers(struct sout *s, const json_t *report, const json_t *edition,
		    const json_t *titles, size_t tally[])
{
	const char *open = NULL;
	size_t i;
	json_t *q;
	fputs("<section id=\"answers\">\n", s->out);
	json_array_foreach(json_object_get(edition, "questions"), i, q) {
		struct sds_eval ev;
		const char *sec = jstr(q, "section");
		sds_evaluate(q, report, &ev);
		tally[ev.answer]++;
		if (!open || strcmp(open, sec) != 0) {
			if (open)
				fputs("</tbody></table>\n", s->out);
			section_start(s, edition, sec);
			open = sec;
		}
		question_row(s, q, &ev, titles);
	}
	if (open)
		fputs("</tbody></table>\n", s->out);
	fputs("</section>\n", s->out);
}

static void out_of_scope(struct sout *s, const json_t *edition)
{
	size_t i;
	json_t *o;
	fprintf(s->out,
		"<section id=\"not-in-catalogue\"><h2>%s</h2>\n<p>%s</p>\n<table><thead><tr>"
		"<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
		T(s, "この検査では確認できない質問", "Questions this scan cannot evidence"),
		T(s, "次の質問はこの検査では確認できません。回答は事業者が記入します。",
		  "This scan cannot evidence the following questions; the provider answers them."),
		T(s, "区分", "Section"), T(s, "質問番号", "Questions"), T(s, "理由", "Why"));
	json_array_foreach(json_object_get(edition, "not_in_catalogue"), i, o) {
		const char *sec = jstr(o, "section");
		fputs("<tr><td>", s->out);
		esc(s, sec);
		fputs(" ", s->out);
		esc(s, i18n(s, json_object_get(edition, "sections"), sec));
		fputs("</td><td>", s->out);
		esc(s, jstr(o, "questions"));
		fputs("</td><td>", s->out);
		esc(s, i18n(s, o, "why"));
		fputs("</td></tr>\n", s->out);
	}
	fputs("</tbody></table></section>\n", s->out);
}

static void summary(struct sout *s, const size_t tally[])
{
	static const enum sds_answer order[] = {SDS_YES, SDS_NO, SDS_UNKNOWN, SDS_NOT_APPLICABLE,
						SDS_NOT_EVIDENCED};
	fprintf(s->out, "<section id=\"summary\"><h2>%s</h2>\n<table><tbody><tr>",
		T(s, "回答の集計", "Answers"));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		fprintf(s->out, "<td class=\"ans ans-%s\">", sds_answer_name(order[i]));
		esc(s, answer_label(s, order[i]));
		fprintf(s->out, ": %zu</td>", tally[order[i]]);
	}
	fprintf(
	    s->out, "</tr></tbody></table>\n<p>%s</p></section>\n",
	    T(s,
	      "いいえ: 対応するルールのどれかが不合格。不明: "
	      "どれかが判定できないか、報告書に結果がない "
	      "(確認していないものは「はい」にしません)。対象外: "
	      "質問の前提がないことを報告書の事実が示す。"
	      "はい: 対応するルールがすべて合格。",
	      "No: a mapped rule failed. Unknown: a mapped rule could not be judged or has no "
	      "result "
	      "in the report (nothing checked is never yes). Not applicable: the report's facts "
	      "show the question's premise is absent. Yes: every mapped rule passed."));
}

static void footer(struct sout *s, const json_t *catalog, const json_t *edition)
{
	fputs("<footer><p>", s->out);
	esc(s, i18n(s, catalog, "source"));
	fputs("</p><p>", s->out);
	esc(s, T(s,
		 "この資料はホストの検査結果から作られた開示書の技術的な質問の根拠です。"
		 "開示書の回答は記入した製造業者/サービス事業者の責任で記入してください。",
		 "This sheet is evidence, from a scan of the host, for the technical questions of "
		 "the disclosure statement. The manufacturer or service provider who fills in the "
		 "form remains responsible for its answers."));
	fputs("</p></footer>\n", s->out);
}

static int load(const json_t *report, json_t **ret_cat, json_t **ret_titles)
{
	/* The shipped catalogue is validated by tests/unit/test_sds.c; if it
	 * still does not load, the renderer fails rather than answer from a
	 * map it cannot trust (renderers do not print: the caller reports). */
	char err[512];
	json_t *cat = sds_catalog_shipped(err, sizeof(err));
	if (!cat)
		return -EINVAL;
	json_t *titles = sds_known_rules();
	if (!titles) {
		json_decref(cat);
		return -ENOMEM;
	}
	*ret_cat = cat;
	*ret_titles = titles;
	return 0;
}

int render_sds(const json_t *report, const char *lang, FILE *out)
{
	struct sout s = {.out = out, .lang = lang ? lang : "ja"};
	json_auto_t *cat = NULL, *titles = NULL;
	size_t tally[SDS_HEADING + 1] = {0};
	s.ja = strcmp(s.lang, "en") != 0;
	if (!json_is_object(report))
		return -EINVAL;
	int r = load(report, &cat, &titles);
	if (r < 0)
		return r;
	const json_t *ed = sds_edition(cat, NULL);
	const char *title =
	    T(&s, "医療情報セキュリティ開示書 (MDS/SDS) 技術的質問の検査根拠",
	      "Scan evidence for the technical questions of the MDS/SDS disclosure statement");
	fprintf(out,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>%s: ",
		s.ja ? "ja" : "en", title);
	esc(&s, jstr(json_object_get(report, "host"), "hostname"));
	fprintf(out,
		"</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>%s</h1>\n<p class=\"form\">",
		css, title);
	esc(&s, i18n(&s, ed, "form"));
	fputs("</p>\n", out);
	_cleanup_free_ char *notice = render_privilege_notice(report, s.lang);
	if (notice) {
		fputs("<p class=\"notice\">", out);
		esc(&s, notice);
		fputs("</p>\n", out);
	}
	warnings(&s, report);
	host_table(&s, report, ed);
	signature(&s, report);
	provenance(&s, report);
	/* The answers are written to a buffer first so the summary, which
	 * counts them, can come before them. */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return -ENOMEM;
	struct sout a = s;
	a.out = mem;
	answers(&a, report, ed, titles, tally);
	out_of_scope(&a, ed);
	if (fclose(mem) != 0 && a.err == 0)
		a.err = -EIO;
	summary(&s, tally);
	if (buf)
		fwrite(buf, 1, len, out);
	free(buf);
	footer(&s, cat, ed);
	fputs("</body>\n</html>\n", out);
	if (a.err)
		return a.err;
	return s.err ? s.err : ferror(out) ? -EIO : 0;
}

/* ---- CSV ---- */

static bool formula_start(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

/* One RFC 4180 field (NULL is empty) and sep; formulas defused. */
static int csv_field(FILE *out, const char *text, const char *sep)
{
	_cleanup_free_ char *clean = sanitize_multiline(text ? text : "");
	if (!clean)
		return -ENOMEM;
	bool formula = formula_start(clean);
	bool quote = formula || strpbrk(clean, ",\"\r\n");
	if (quote)
		fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (const char *p = clean; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
	fputs(sep, out);
	return 0;
}

/* "rule fail/pass/unknown/checked; ..." and the failing subjects. */
static int evidence_text(const struct sds_eval *ev, char **ret_rules, char **ret_subjects)
{
	struct strbuf r, f;
	int e = 0;
	strbuf_init(&r, 1u << 16);
	strbuf_init(&f, 1u << 16);
	e |= strbuf_append(&r, "", 0) | strbuf_append(&f, "", 0);
	for (size_t i = 0; i < ev->nrules; i++) {
		const struct sds_rule_eval *re = &ev->rules[i];
		if (!re->present)
			e |= strbuf_printf(&r, "%s%s absent", i ? "; " : "", re->rule);
		else
			e |= strbuf_printf(&r, "%s%s fail=%lld pass=%lld unknown=%lld checked=%lld",
					   i ? "; " : "", re->rule, re->fail, re->pass, re->unknown,
					   re->checked);
		for (size_t k = 0; k < re->nsubjects; k++)
			e |= strbuf_printf(&f, "%s%s", f.len ? " " : "", re->subjects[k]);
		if (re->fail > (long long)re->nsubjects)
			e |= strbuf_printf(&f, "%s(+%lld)", f.len ? " " : "",
					   re->fail - (long long)re->nsubjects);
	}
	if (e) {
		strbuf_free(&r);
		strbuf_free(&f);
		return -ENOMEM;
	}
	*ret_rules = strbuf_steal(&r);
	*ret_subjects = strbuf_steal(&f);
	return 0;
}

static int csv_row(struct sout *s, const json_t *report, const json_t *q, const char *sig)
{
	struct sds_eval ev;
	_cleanup_free_ char *rules = NULL, *subjects = NULL, *refs_text = NULL;
	struct strbuf rb;
	size_t i;
	json_t *v;
	sds_evaluate(q, report, &ev);
	if (ev.answer == SDS_HEADING)
		return 0;
	strbuf_init(&rb, 4096);
	int e = strbuf_append(&rb, "", 0);
	json_array_foreach(json_object_get(q, "references"), i, v)
		e |= strbuf_printf(&rb, "%s%s", i ? " " : "", json_string_value(v));
	refs_text = e ? NULL : strbuf_steal(&rb);
	if (e)
		strbuf_free(&rb);
	if (!refs_text || evidence_text(&ev, &rules, &subjects) < 0)
		return -ENOMEM;
	const char *na = ev.answer == SDS_NOT_APPLICABLE
			     ? i18n(s, json_object_get(q, "not_applicable_when"), "why")
			     : NULL;
	const char *fields[] = {
	    jstr(q, "id"),
	    jstr(q, "section"),
	    jstr(json_object_get(q, "text"), "ja"),
	    jstr(json_object_get(q, "text"), "en"),
	    refs_text,
	    sds_answer_name(ev.answer),
	    answer_label(s, ev.answer),
	    rules,
	    subjects,
	    na ? na : i18n(s, q, "why"),
	    jstr(json_object_get(report, "host"), "hostname"),
	    jstr(json_object_get(report, "host"), "machine_id"),
	    jstr(json_object_get(report, "scan"), "now"),
	    sig,
	};
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (csv_field(s->out, fields[i], i + 1 < ARRAY_SIZE(fields) ? "," : "\r\n") < 0)
			return -ENOMEM;
	return 0;
}

int render_sds_csv(const json_t *report, const char *lang, FILE *out)
{
	static const char *const head[] = {
	    "question", "section",	"question_ja", "question_en",	   "references",
	    "answer",	"answer_label", "rules",       "failing_subjects", "note",
	    "hostname", "machine_id",	"judged_at",   "signature"};
	struct sout s = {.out = out, .lang = lang ? lang : "ja"};
	json_auto_t *cat = NULL, *titles = NULL;
	size_t i;
	json_t *q;
	s.ja = strcmp(s.lang, "en") != 0;
	if (!json_is_object(report))
		return -EINVAL;
	int r = load(report, &cat, &titles);
	if (r < 0)
		return r;
	const char *sig = jstr(json_object_get(report, "verification"), "status");
	if (s.ja)
		fputs("\xEF\xBB\xBF", out);
	for (i = 0; i < ARRAY_SIZE(head); i++)
		csv_field(out, head[i], i + 1 < ARRAY_SIZE(head) ? "," : "\r\n");
	json_array_foreach(json_object_get(sds_edition(cat, NULL), "questions"), i, q) {
		r = csv_row(&s, report, q, sig ? sig : "not_verified");
		if (r < 0)
			return r;
	}
	return ferror(out) ? -EIO : 0;
}
