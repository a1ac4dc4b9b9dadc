/* html.c - the report as one self-contained HTML file: inline CSS, no
 * script, no external resource (hospital networks are closed, and a
 * report must open the same everywhere), a Content-Security-Policy that
 * forbids loading anything, and an A4 print layout. The checklist table
 * comes first, then failures with their evidence, unknowns, passed
 * checks, the probes and the summary. Every string from the report is
 * sanitised (control characters) and HTML-escaped.
 */
#include <stdio.h>
#include <string.h>
#include "report/render.h"
#include "lib/util.h"

static const char css[] =
    "body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",Meiryo,sans-serif;"
    "margin:2em;color:#222;line-height:1.5}\n"
    "h1{font-size:1.5em;border-bottom:2px solid #333}h2{font-size:1.2em;margin-top:1.6em;"
    "border-bottom:1px solid #999}h3{font-size:1em;margin:.2em 0}\n"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;"
    "padding:.25em .5em;text-align:left;vertical-align:top}th{background:#eee}\n"
    "table.meta th{width:12em}td.num{text-align:right}.num,.ans{white-space:nowrap}\n"
    ".ans-yes{background:#d8f0d8;color:#135f13;font-weight:bold}"
    ".ans-no{background:#f8d4d4;color:#9b1111;font-weight:bold}"
    ".ans-unknown{background:#fbefc4;color:#6b5200;font-weight:bold}"
    ".ans-organisational{background:#dbe8f6;color:#1d4f86;font-weight:bold}\n"
    ".finding{border:1px solid #bbb;border-left:6px solid #999;padding:.4em .8em;"
    "margin:.6em 0}\n"
    ".sev-high{border-left-color:#c62828}.sev-medium{border-left-color:#ef8f00}"
    ".sev-low{border-left-color:#1e88e5}.sev-info{border-left-color:#9e9e9e}\n"
    ".sev{display:inline-block;min-width:3em;font-weight:bold}.rule{color:#555;"
    "font-size:.9em}\n"
    "table.subjects{font-size:.9em}table.subjects td{overflow-wrap:anywhere}\n"
    "dl.evidence{margin:.3em 0;display:grid;grid-template-columns:max-content auto;"
    "gap:0 1em}dl.evidence dt{font-family:monospace;color:#555}dl.evidence dd{margin:0;"
    "word-break:break-all}\n"
    ".st-ok{color:#135f13}.st-partial,.st-skipped,.st-not_applicable{color:#6b5200}"
    ".st-error{color:#9b1111;font-weight:bold}\n"
    "footer{margin-top:2em;font-size:.85em;color:#555}\n"
    "@page{size:A4;margin:15mm}\n"
    "@media print{body{margin:0;font-size:10pt}.finding,tr{break-inside:avoid}"
    "thead{display:table-header-group}*{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}\n";

struct hout {
	FILE *out;
	const char *lang;
	int err;
};

static const char *L(const struct hout *h, const char *key)
{
	return render_label(key, h->lang);
}

static const char *jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Untrusted text, sanitised and escaped. NULL prints the unknown label. */
static void esc(struct hout *h, const char *s)
{
	_cleanup_free_ char *clean = sanitize_text(s ? s : L(h, "unknown"));
	if (!clean) {
		h->err = -ENOMEM;
		return;
	}
	html_escape_to(h->out, clean);
}

/* A class name built from report data: only [a-z_], else "other". */
static const char *css_word(const char *s)
{
	if (!s || !*s || strspn(s, "abcdefghijklmnopqrstuvwxyz_") != strlen(s))
		return "other";
	return s;
}

/* <tag class="...">text</tag> */
static void cell(struct hout *h, const char *tag, const char *cls, const char *text)
{
	fprintf(h->out, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	esc(h, text);
	fprintf(h->out, "</%s>", tag);
}

static void value_cell(struct hout *h, const char *tag, const json_t *v)
{
	_cleanup_free_ char *text = render_value(v, h->lang);
	if (!text)
		h->err = -ENOMEM;
	cell(h, tag, NULL, text ? text : "");
}

/* ---- header ---- */

static void meta_row(struct hout *h, const char *key, const char *value)
{
	fputs("<tr>", h->out);
	cell(h, "th", NULL, L(h, key));
	cell(h, "td", NULL, value);
	fputs("</tr>\n", h->out);
}

static void addresses_row(struct hout *h, const json_t *host)
{
	const json_t *addrs = json_object_get(host, "addresses");
	size_t i;
	json_t *a;
	fputs("<tr>", h->out);
	cell(h, "th", NULL, L(h, "addresses"));
	fputs("<td>", h->out);
	if (json_is_array(addrs) && json_array_size(addrs) == 0)
		esc(h, L(h, "none"));
	json_array_foreach(addrs, i, a) {
		_cleanup_free_ char *v4 = render_value(json_object_get(a, "ipv4"), h->lang);
		_cleanup_free_ char *v6 = render_value(json_object_get(a, "ipv6"), h->lang);
		fputs(i ? "<br>" : "", h->out);
		esc(h, jstr(a, "interface"));
		fputs(" ", h->out);
		esc(h, jstr(a, "mac") ? jstr(a, "mac") : "-");
		fputs(" IPv4: ", h->out);
		esc(h, v4);
		fputs(" IPv6: ", h->out);
		esc(h, v6);
	}
	fputs("</td></tr>\n", h->out);
}

static void host_table(struct hout *h, const json_t *report)
{
	const json_t *host = json_object_get(report, "host"),
		     *scan = json_object_get(report, "scan");
	const json_t *hw = json_object_get(host, "hardware"),
		     *bl = json_object_get(report, "baseline");
	_cleanup_free_ char *hwtext = NULL, *base = NULL, *tool = NULL;
	if (asprintf(&hwtext, "%s %s", jstr(hw, "sys_vendor") ? jstr(hw, "sys_vendor") : "",
		     jstr(hw, "product_name") ? jstr(hw, "product_name") : "") < 0 ||
	    asprintf(&base, "%s (%s %s)", jstr(bl, "name") ? jstr(bl, "name") : "-",
		     L(h, "profile"), jstr(bl, "profile") ? jstr(bl, "profile") : "-") < 0 ||
	    asprintf(&tool, "tenken %s",
		     jstr(json_object_get(report, "tool"), "version")
			 ? jstr(json_object_get(report, "tool"), "version")
			 : "") < 0) {
		h->err = -ENOMEM;
		return;
	}
	fputs("<table class=\"meta\">\n", h->out);
	meta_row(h, "hostname", jstr(host, "hostname"));
	meta_row(h, "os", jstr(json_object_get(host, "os"), "pretty_name"));
	meta_row(h, "kernel", jstr(host, "kernel"));
	meta_row(h, "arch", jstr(host, "arch"));
	meta_row(h, "machine_id", jstr(host, "machine_id"));
	meta_row(h, "hardware", hwtext);
	meta_row(h, "virtualization", jstr(host, "virtualization"));
	addresses_row(h, host);
	meta_row(h, "scanned_at", jstr(scan, "started_at"));
	meta_row(h, "now", jstr(scan, "now"));
	meta_row(h, "root", jstr(scan, "root"));
	meta_row(h, "mode", L(h, jstr(scan, "mode") ? jstr(scan, "mode") : "unknown"));
	meta_row(h, "baseline", base);
	meta_row(h, "edition", jstr(report, "checklist_edition"));
	meta_row(h, "tool", tool);
	fputs("</table>\n", h->out);
}

/* ---- checklist ---- */

static void count_cell(struct hout *h, const json_t *o, const char *key)
{
	fprintf(h->out, "<td class=\"num\">%lld</td>",
		(long long)json_integer_value(json_object_get(o, key)));
}

static void checklist(struct hout *h, const json_t *report)
{
	static const char *const cols[] = {"item", "answer", "item_title",
					   "fail", "pass",   "unknown"};
	fprintf(h->out, "<section id=\"checklist\"><h2>%s</h2>\n<table><thead><tr>",
		L(h, "checklist"));
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		cell(h, "th", i >= 3 ? "num" : NULL, L(h, cols[i]));
	fputs("</tr></thead><tbody>\n", h->out);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(report, "checklist"), i, it) {
		const char *answer = jstr(it, "answer");
		char cls[48];
		snprintf(cls, sizeof(cls), "ans ans-%s", css_word(answer));
		fputs("<tr>", h->out);
		cell(h, "td", NULL, jstr(it, "item"));
		cell(h, "td", cls, render_answer(answer, h->lang));
		cell(h, "td", NULL, render_i18n(json_object_get(it, "title"), h->lang));
		count_cell(h, it, "fail");
		count_cell(h, it, "pass");
		count_cell(h, it, "unknown");
		fputs("</tr>\n", h->out);
	}
	fputs("</tbody></table></section>\n", h->out);
}

/* ---- findings ---- */

static void evidence(struct hout *h, const json_t *ev)
{
	if (!json_is_object(ev) || json_object_size(ev) == 0)
		return;
	fprintf(h->out, "<dl class=\"evidence\" title=\"%s\">", L(h, "evidence"));
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)ev, k, v) {
		cell(h, "dt", NULL, k);
		value_cell(h, "dd", v);
	}
	fputs("</dl>\n", h->out);
}

static void items_text(struct hout *h, const json_t *f)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(f, "checklist"), i, v) {
		fputs(i ? " " : "", h->out);
		esc(h, json_string_value(v) ? json_string_value(v) : "?");
	}
}

static void finding(struct hout *h, const json_t *f)
{
	const char *sev = jstr(f, "severity");
	const char *rem = render_i18n(json_object_get(f, "remediation"), h->lang);
	fprintf(h->out, "<div class=\"finding sev-%s\"><h3><span class=\"sev\">", css_word(sev));
	esc(h, render_label(sev ? sev : "unknown", h->lang));
	fputs("</span> ", h->out);
	esc(h, jstr(f, "subject"));
	fputs(" <span class=\"rule\">", h->out);
	items_text(h, f);
	fputs(" / ", h->out);
	esc(h, jstr(f, "rule"));
	fputs("</span></h3>\n<p>", h->out);
	esc(h, render_i18n(json_object_get(f, "message"), h->lang));
	_cleanup_free_ char *checked = render_checked(f, h->lang);
	if (checked) {
		fputs(" (", h->out);
		esc(h, checked);
		fputs(")", h->out);
	}
	fputs("</p>\n", h->out);
	evidence(h, json_object_get(f, "evidence"));
	if (rem) {
		fprintf(h->out, "<p class=\"remediation\"><b>%s:</b> ", L(h, "remediation"));
		esc(h, rem);
		fputs("</p>\n", h->out);
	}
	fputs("</div>\n", h->out);
}

/* A table of a group's subjects: subject, message (when the messages
 * differ), remediation (when those differ), then each evidence column
 * whose value is not the same on every row. */
static void group_table(struct hout *h, const json_t *g, bool msg, bool rem, const json_t *cols)
{
	size_t i, j;
	json_t *f, *c;
	fputs("<table class=\"subjects\"><thead><tr>", h->out);
	cell(h, "th", NULL, L(h, "subject"));
	if (msg)
		cell(h, "th", NULL, L(h, "message"));
	if (rem)
		cell(h, "th", NULL, L(h, "remediation"));
	json_array_foreach(cols, i, c)
		cell(h, "th", NULL, json_string_value(c));
	fputs("</tr></thead><tbody>\n", h->out);
	json_array_foreach(g, i, f) {
		fputs("<tr>", h->out);
		cell(h, "td", NULL, jstr(f, "subject"));
		if (msg)
			cell(h, "td", NULL, render_i18n(json_object_get(f, "message"), h->lang));
		if (rem)
			cell(h, "td", NULL,
			     render_i18n(json_object_get(f, "remediation"), h->lang)
				 ? render_i18n(json_object_get(f, "remediation"), h->lang)
				 : "");
		json_array_foreach(cols, j, c) {
			const json_t *v =
			    json_object_get(json_object_get(f, "evidence"), json_string_value(c));
			if (v)
				value_cell(h, "td", v);
			else
				fputs("<td></td>", h->out);
		}
		fputs("</tr>\n", h->out);
	}
	fputs("</tbody></table>\n", h->out);
}

/* Two or more findings of one rule with one status: one block with the
 * rule, severity and count, the message and remediation once when they
 * are the same for all, the evidence common to all, and a table of the
 * subjects (132 pending updates are one table, not 132 cards). */
static void finding_group(struct hout *h, const json_t *g)
{
	const json_t *f = json_array_get(g, 0);
	const char *sev = jstr(f, "severity");
	bool msg_once = render_group_same(g, "message");
	bool rem_once = render_group_same(g, "remediation");
	json_auto_t *cols = render_group_columns(g), *varying = json_array(),
		    *common = json_object();
	size_t i;
	json_t *c;
	if (!cols || !varying || !common) {
		h->err = -ENOMEM;
		return;
	}
	json_array_foreach(cols, i, c) {
		const char *k = json_string_value(c);
		if (render_group_same_evidence(g, k))
			json_object_set(common, k,
					json_object_get(json_object_get(f, "evidence"), k));
		else
			json_array_append(varying, c);
	}
	fprintf(h->out, "<div class=\"finding group sev-%s\"><h3><span class=\"sev\">",
		css_word(sev));
	esc(h, render_label(sev ? sev : "unknown", h->lang));
	fputs("</span> ", h->out);
	esc(h, jstr(f, "rule"));
	fputs(" <span class=\"rule\">", h->out);
	items_text(h, f);
	fprintf(h->out, strcmp(h->lang, "ja") == 0 ? " / %zu 件" : " / %zu subjects",
		json_array_size(g));
	fputs("</span></h3>\n", h->out);
	if (msg_once) {
		fputs("<p>", h->out);
		esc(h, render_i18n(json_object_get(f, "message"), h->lang));
		fputs("</p>\n", h->out);
	}
	evidence(h, common);
	const char *rem = render_i18n(json_object_get(f, "remediation"), h->lang);
	if (rem_once && rem) {
		fprintf(h->out, "<p class=\"remediation\"><b>%s:</b> ", L(h, "remediation"));
		esc(h, rem);
		fputs("</p>\n", h->out);
	}
	group_table(h, g, !msg_once, !rem_once, varying);
	fputs("</div>\n", h->out);
}

static void finding_section(struct hout *h, const json_t *report, const char *status)
{
	bool fail = strcmp(status, "fail") == 0;
	json_auto_t *list = render_findings_sorted(report, status);
	if (!list) {
		h->err = -ENOMEM;
		return;
	}
	fprintf(h->out, "<section id=\"%s\"><h2>%s</h2>\n", status,
		L(h, fail ? "failures" : "unknowns"));
	if (json_array_size(list) == 0)
		fprintf(h->out, "<p>%s</p>\n", L(h, fail ? "no_failures" : "no_unknowns"));
	json_auto_t *rules = render_group_rules(list);
	size_t i;
	json_t *r;
	if (!rules)
		h->err = -ENOMEM;
	json_array_foreach(rules, i, r) {
		json_auto_t *g = render_group_members(list, json_string_value(r));
		if (!g) {
			h->err = -ENOMEM;
			break;
		}
		if (json_array_size(g) == 1)
			finding(h, json_array_get(g, 0));
		else
			finding_group(h, g);
	}
	fputs("</section>\n", h->out);
}

/* Passed checks in one compact table: what was checked, not only what
 * failed. */
static void passes(struct hout *h, const json_t *report)
{
	static const char *const cols[] = {"items", "rule", "subject", "message", "checked"};
	json_auto_t *list = render_findings_sorted(report, "pass");
	if (!list) {
		h->err = -ENOMEM;
		return;
	}
	fprintf(h->out, "<section id=\"pass\"><h2>%s</h2>\n<table><thead><tr>", L(h, "passes"));
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		cell(h, "th", NULL, L(h, cols[i]));
	fputs("</tr></thead><tbody>\n", h->out);
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f) {
		fputs("<tr><td>", h->out);
		items_text(h, f);
		fputs("</td>", h->out);
		cell(h, "td", NULL, jstr(f, "rule"));
		cell(h, "td", NULL, jstr(f, "subject"));
		cell(h, "td", NULL, render_i18n(json_object_get(f, "message"), h->lang));
		_cleanup_free_ char *checked = render_checked(f, h->lang);
		cell(h, "td", NULL, checked ? checked : "");
		fputs("</tr>\n", h->out);
	}
	fputs("</tbody></table></section>\n", h->out);
}

/* ---- probes, summary ---- */

static void probe_row(struct hout *h, const json_t *p)
{
	const char *st = jstr(p, "status");
	char cls[48];
	size_t i;
	json_t *m;
	snprintf(cls, sizeof(cls), "st-%s", css_word(st));
	fputs("<tr>", h->out);
	cell(h, "td", NULL, jstr(p, "name"));
	cell(h, "td", cls, L(h, st ? st : "unknown"));
	fprintf(h->out, "<td class=\"num\">%lld ms</td><td>",
		(long long)json_integer_value(json_object_get(p, "duration_ms")));
	json_array_foreach(json_object_get(p, "messages"), i, m) {
		fputs(i ? "<br>" : "", h->out);
		esc(h, render_i18n(m, h->lang));
	}
	fputs("</td></tr>\n", h->out);
}

static void probes(struct hout *h, const json_t *report)
{
	static const char *const cols[] = {"probe", "status", "duration", "messages"};
	fprintf(h->out, "<section id=\"probes\"><h2>%s</h2>\n<table><thead><tr>",
		L(h, "probes_all"));
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		cell(h, "th", NULL, L(h, cols[i]));
	fputs("</tr></thead><tbody>\n", h->out);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(json_object_get(report, "scan"), "probes"), i, p)
		probe_row(h, p);
	fputs("</tbody></table></section>\n", h->out);
}

static void summary(struct hout *h, const json_t *report)
{
	static const char *const keys[] = {"fail", "pass", "unknown"};
	const json_t *s = json_object_get(report, "summary");
	fprintf(h->out, "<section id=\"summary\"><h2>%s</h2>\n<table><thead><tr>", L(h, "summary"));
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		cell(h, "th", NULL, L(h, keys[i]));
	fputs("</tr></thead><tbody><tr>", h->out);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		count_cell(h, s, keys[i]);
	fputs("</tr></tbody></table></section>\n", h->out);
}

static void head(struct hout *h, const json_t *report)
{
	fprintf(h->out,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>tenken %s: ",
		strcmp(h->lang, "ja") == 0 ? "ja" : "en", L(h, "title"));
	esc(h, jstr(json_object_get(report, "host"), "hostname"));
	fprintf(h->out,
		"</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><h1>tenken %s: ", css,
		L(h, "title"));
	esc(h, jstr(json_object_get(report, "host"), "hostname"));
	fputs("</h1>\n", h->out);
	_cleanup_free_ char *notice = render_privilege_notice(report, h->lang);
	if (notice) {
		fputs("<p class=\"notice\"><strong>", h->out);
		esc(h, notice);
		fputs("</strong></p>\n", h->out);
	}
	host_table(h, report);
	fputs("</header>\n<main>\n", h->out);
}

int render_html(const json_t *report, const char *lang, FILE *out)
{
	struct hout h = {.out = out, .lang = lang ? lang : "ja"};
	if (!json_is_object(report))
		return -EINVAL;
	head(&h, report);
	checklist(&h, report);
	finding_section(&h, report, "fail");
	finding_section(&h, report, "unknown");
	passes(&h, report);
	probes(&h, report);
	summary(&h, report);
	fputs("</main>\n<footer>", out);
	fputs("tenken ", out);
	esc(&h, jstr(json_object_get(report, "tool"), "version"));
	fputs(" &middot; ", out);
	esc(&h, jstr(json_object_get(report, "scan"), "finished_at"));
	fputs("</footer>\n</body>\n</html>\n", out);
	if (h.err < 0)
		return h.err;
	return fflush(out) != 0 || ferror(out) ? -EIO : 0;
}
