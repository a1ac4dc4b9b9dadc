/* fleet_html.c - the fleet summary as one self-contained HTML page: no
 * script, no external resource, print CSS. The matrix links each host to
 * its section; each item has an inline SVG bar of its answers. Every
 * matrix cell carries data-host, data-item and data-answer, so a test (or
 * a spreadsheet import) reads the same answers as the JSON. */
#include <stdio.h>
#include <string.h>
#include "report/fleet.h"
#include "report/render.h"
#include "lib/util.h"

static const char css[] =
    "body{font-family:sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #bbb;padding:.2em .4em;font-size:.85em;vertical-align:top}"
    "th{background:#eee;text-align:left;white-space:nowrap}.a-yes{background:#d8f0d8}.a-no{"
    "background:#f6d0d0}"
    ".a-unknown{background:#eee}.a-organisational{background:#dde8f6}"
    "tr.stale td,tr.stale th{background:#fff3c4}.stale-tag{color:#8a6d00;font-weight:bold}"
    "section.host{border-top:2px solid #888;margin-top:1em}"
    "svg{vertical-align:middle}"
    /* an answer, a host name or a date broken over lines made the matrix
     * rows five lines tall: they stay whole, and a wide matrix scrolls */
    ".wide{overflow-x:auto}#matrix td,#matrix th{white-space:nowrap}"
    "#matrix td{font-size:.75em}"
    "@media print{body{margin:0}.wide{overflow:visible}section.host{break-inside:avoid}"
    "thead{display:table-header-group}*{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}\n";

struct h {
	FILE *out;
	const char *lang;
	int err;
	const json_t *items; /* the summary's, for the per-host walk */
	/* the rows of the matrix, the ledger and the host sections, written
	 * in one walk over the hosts, then placed in the page */
	char *part[3];
	size_t len[3];
	FILE **walk;
};

static const char *W(const struct h *h, const char *key)
{
	return fleet_label(key, h->lang);
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void esc(struct h *h, const char *s)
{
	_cleanup_free_ char *copy = NULL;
	const char *clean = s ? s : "";
	if (fleet_needs_sanitize(clean) && !(clean = copy = sanitize_text(clean))) {
		h->err = -ENOMEM;
		return;
	}
	html_escape_to(h->out, clean);
}

static void cell(struct h *h, const char *tag, const char *text)
{
	fprintf(h->out, "<%s>", tag);
	esc(h, text);
	fprintf(h->out, "</%s>", tag);
}

static const char *answer_class(const char *a)
{
	static const char *const known[] = {"yes", "no", "unknown", "organisational"};
	for (size_t i = 0; a && i < ARRAY_SIZE(known); i++)
		if (strcmp(a, known[i]) == 0)
			return known[i];
	return "unknown";
}

static long long ival(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* A stacked bar of an item's counts, 200 px for every host. */
static void bar(struct h *h, const json_t *it)
{
	static const struct {
		const char *key, *color;
	} parts[] = {{"yes", "#4a4"},
		     {"no", "#c33"},
		     {"unknown", "#999"},
		     {"organisational", "#58c"},
		     {"stale", "#db0"}};
	long long total = 0;
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
		total += ival(it, parts[i].key);
	fputs("<svg width=\"200\" height=\"12\" role=\"img\">", h->out);
	double x = 0;
	for (size_t i = 0; total > 0 && i < ARRAY_SIZE(parts); i++) {
		double w = 200.0 * (double)ival(it, parts[i].key) / (double)total;
		if (w > 0)
			fprintf(h->out,
				"<rect x=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>", x, w,
				parts[i].color);
		x += w;
	}
	fputs("</svg>", h->out);
}

static void counts(struct h *h, const json_t *sum)
{
	static const char *const keys[] = {"yes", "no", "unknown", "organisational", "stale"};
	size_t i;
	json_t *it;
	fprintf(h->out, "<h2>%s</h2><p>", W(h, "counts"));
	char note[256];
	bool ja = !h->lang || strcmp(h->lang, "ja") == 0;
	snprintf(note, sizeof(note),
		 ja ? "最新の報告が %ld 日より古いホストは「古い報告」とし、はいに数えません"
		    : "A host whose newest report is older than %ld days is stale and never "
		      "counted as yes",
		 (long)ival(sum, "stale_days"));
	esc(h, note);
	fputs("</p><table id=\"counts\"><thead><tr>", h->out);
	cell(h, "th", W(h, "item"));
	cell(h, "th", W(h, "item_title"));
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
		cell(h, "th", W(h, keys[k]));
	fputs("<th></th></tr></thead><tbody>\n", h->out);
	json_array_foreach(json_object_get(sum, "items"), i, it) {
		fputs("<tr>", h->out);
		cell(h, "th", jstr(it, "item"));
		cell(h, "td", render_i18n(json_object_get(it, "title"), h->lang));
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			fputs("<td data-item=\"", h->out);
			esc(h, jstr(it, "item"));
			fprintf(h->out, "\" data-count=\"%s\">%lld</td>", keys[k],
				ival(it, keys[k]));
		}
		fputs("<td>", h->out);
		bar(h, it);
		fputs("</td></tr>\n", h->out);
	}
	fputs("</tbody></table>\n", h->out);
}

static void matrix_row(struct h *h, const json_t *items, size_t idx, const json_t *host)
{
	bool stale = json_is_true(json_object_get(host, "stale"));
	char when[20];
	fleet_jst(jstr(host, "scanned_at"), when);
	fprintf(h->out, "<tr%s><th><a href=\"#h%zu\">", stale ? " class=\"stale\"" : "", idx);
	esc(h, jstr(host, "hostname"));
	fputs("</a></th><td>", h->out);
	esc(h, when);
	if (stale) {
		fputs(" <span class=\"stale-tag\">", h->out);
		esc(h, W(h, "stale"));
		fputs("</span>", h->out);
	}
	fputs("</td>", h->out);
	size_t j;
	json_t *it;
	json_array_foreach(items, j, it) {
		const char *a = jstr(json_object_get(host, "answers"), jstr(it, "item"));
		if (!a) {
			fputs("<td></td>", h->out);
			continue;
		}
		fprintf(h->out, "<td class=\"a-%s\" data-host=\"", answer_class(a));
		esc(h, jstr(host, "hostname"));
		fputs("\" data-item=\"", h->out);
		esc(h, jstr(it, "item"));
		fputs("\" data-answer=\"", h->out);
		esc(h, a);
		fputs("\">", h->out);
		esc(h, render_answer(a, h->lang));
		fputs("</td>", h->out);
	}
	fputs("</tr>\n", h->out);
}

static int matrix_host(const json_t *host, size_t idx, void *arg)
{
	struct h *h = arg;
	matrix_row(h, h->items, idx, host);
	return ferror(h->out) ? -EIO : 0;
}

/* The matrix's head; its rows are written as the hosts are walked. */
static void matrix_head(struct h *h, const json_t *sum)
{
	const json_t *items = json_object_get(sum, "items");
	size_t i;
	json_t *it;
	fprintf(h->out, "<h2>%s</h2><div class=\"wide\"><table id=\"matrix\"><thead><tr>",
		W(h, "matrix"));
	cell(h, "th", W(h, "hostname"));
	cell(h, "th", W(h, "last_scan"));
	json_array_foreach(items, i, it) {
		fputs("<th title=\"", h->out);
		esc(h, render_i18n(json_object_get(it, "title"), h->lang));
		fputs("\">", h->out);
		esc(h, jstr(it, "item"));
		fputs("</th>", h->out);
	}
	fputs("</tr></thead><tbody>\n", h->out);
}

/* The hosts failing a rule: the first 50 named, then how many more. */
static void host_list(struct h *h, const json_t *hosts)
{
	size_t i, n = json_array_size(hosts);
	json_t *x;
	json_array_foreach(hosts, i, x) {
		if (i == 50) {
			char more[64];
			bool ja = !h->lang || strcmp(h->lang, "ja") == 0;
			snprintf(more, sizeof(more), ja ? "ほか %zu 台" : "and %zu more", n - 50);
			fputs(" ", h->out);
			esc(h, more);
			break;
		}
		fputs(i ? ", " : "", h->out);
		esc(h, jstr(x, "hostname"));
	}
}

static void top(struct h *h, const json_t *sum)
{
	size_t i;
	json_t *t;
	fprintf(h->out, "<h2>%s</h2><table id=\"top\"><thead><tr>", W(h, "top"));
	cell(h, "th", W(h, "rule"));
	cell(h, "th", W(h, "severity"));
	cell(h, "th", W(h, "hosts_failing"));
	cell(h, "th", W(h, "host"));
	cell(h, "th", W(h, "remediation"));
	fputs("</tr></thead><tbody>\n", h->out);
	json_array_foreach(json_object_get(sum, "top_problems"), i, t) {
		fputs("<tr>", h->out);
		cell(h, "td", jstr(t, "rule"));
		cell(h, "td",
		     render_label(jstr(t, "severity") ? jstr(t, "severity") : "", h->lang));
		fprintf(h->out, "<td>%lld</td><td>", ival(t, "hosts_failing"));
		host_list(h, json_object_get(t, "hosts"));
		fputs("</td>", h->out);
		cell(h, "td", render_i18n(json_object_get(t, "remediation"), h->lang));
		fputs("</tr>\n", h->out);
	}
	fputs("</tbody></table>\n", h->out);
}

static int ledger_host(const json_t *host, size_t idx, void *arg)
{
	static const char *const keys[] = {"os",	"os_version", "kernel",	   "arch",
					   "addresses", "macs",	      "hw_vendor", "hw_model"};
	struct h *h = arg;
	{
		const json_t *l = json_object_get(host, "ledger");
		char when[20];
		fleet_jst(jstr(host, "scanned_at"), when);
		fputs("<tr>", h->out);
		cell(h, "th", jstr(host, "hostname"));
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			cell(h, "td", jstr(l, keys[k]) ? jstr(l, keys[k]) : W(h, "unknown"));
		cell(h, "td", when);
		fputs("</tr>\n", h->out);
	}
	return ferror(h->out) ? -EIO : 0;
}

static void ledger(struct h *h)
{
	static const char *const heads[] = {"os", "os_version", "kernel", "arch",
					    "ip", "mac",	"vendor", "model"};
	fprintf(h->out, "<h2>%s</h2><table id=\"ledger\"><thead><tr>", W(h, "ledger"));
	cell(h, "th", W(h, "hostname"));
	for (size_t k = 0; k < ARRAY_SIZE(heads); k++)
		cell(h, "th", W(h, heads[k]));
	cell(h, "th", W(h, "last_scan"));
	fputs("</tr></thead><tbody>\n", h->out);
	fwrite(h->part[1], 1, h->len[1], h->out);
	fputs("</tbody></table>\n", h->out);
}

static void trends(struct h *h, const json_t *sum)
{
	static const char *const keys[] = {"yes",   "no",   "unknown", "organisational",
					   "stale", "hosts"};
	size_t i;
	json_t *t;
	fprintf(h->out, "<h2>%s</h2><table id=\"trends\"><thead><tr>", W(h, "trends"));
	cell(h, "th", W(h, "month"));
	cell(h, "th", W(h, "item"));
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
		cell(h, "th", W(h, keys[k]));
	fputs("<th></th></tr></thead><tbody>\n", h->out);
	json_array_foreach(json_object_get(sum, "trends"), i, t) {
		fputs("<tr>", h->out);
		cell(h, "td", jstr(t, "month"));
		cell(h, "td", jstr(t, "item"));
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			fprintf(h->out, "<td>%lld</td>", ival(t, keys[k]));
		fputs("<td>", h->out);
		bar(h, t);
		fputs("</td></tr>\n", h->out);
	}
	fputs("</tbody></table>\n", h->out);
}

static void files(struct h *h, const json_t *sum, const char *key, const char *title)
{
	size_t i;
	json_t *x;
	fprintf(h->out, "<h2>%s</h2>", W(h, title));
	if (json_array_size(json_object_get(sum, key)) == 0) {
		fprintf(h->out, "<p>%s</p>\n", W(h, "none_rejected"));
		return;
	}
	fprintf(h->out, "<table id=\"%s\"><thead><tr>", key);
	cell(h, "th", W(h, "file"));
	if (strcmp(key, "errors") == 0)
		cell(h, "th", W(h, "host"));
	cell(h, "th", W(h, "reason"));
	fputs("</tr></thead><tbody>\n", h->out);
	json_array_foreach(json_object_get(sum, key), i, x) {
		fputs("<tr>", h->out);
		cell(h, "td", jstr(x, "file"));
		if (strcmp(key, "errors") == 0)
			cell(h, "td", jstr(x, "host"));
		const char *m = render_i18n(json_object_get(x, "message"), h->lang);
		cell(h, "td", m ? m : jstr(x, "reason"));
		fputs("</tr>\n", h->out);
	}
	fputs("</tbody></table>\n", h->out);
}

static void change_list(struct h *h, const json_t *c, const char *kind)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(c, kind), i, x) {
		fputs("<li>", h->out);
		esc(h, W(h, kind));
		fputs(": ", h->out);
		esc(h, jstr(x, "rule"));
		fputs(" ", h->out);
		esc(h, jstr(x, "subject"));
		fputs("</li>", h->out);
	}
}

/* One inventory change of a host: "Accounts added: bob". */
static int inventory_item(const char *kind, const char *move, const char *what, void *arg)
{
	struct h *h = arg;
	fputs("<li>", h->out);
	esc(h, kind);
	fputs(" ", h->out);
	esc(h, move);
	if (*what) {
		fputs(": ", h->out);
		esc(h, what);
	}
	fputs("</li>", h->out);
	return 0;
}

/* With --view history: the host's answers at every scan, an item a row,
 * a scan a column (JST dates). */
static void history(struct h *h, const json_t *host)
{
	const json_t *hist = json_object_get(host, "history");
	const json_t *last = json_array_get(hist, json_array_size(hist) - 1);
	size_t i;
	json_t *scan, *a;
	const char *item;
	if (!last)
		return;
	fprintf(h->out, "<h4>%s</h4><table class=\"history\"><thead><tr>", W(h, "history"));
	cell(h, "th", W(h, "item"));
	json_array_foreach(hist, i, scan) {
		char when[20];
		fleet_jst(jstr(scan, "scanned_at"), when);
		cell(h, "th", when);
	}
	fputs("</tr></thead><tbody>", h->out);
	json_object_foreach(json_object_get(last, "answers"), item, a) {
		fputs("<tr>", h->out);
		cell(h, "td", item);
		json_array_foreach(hist, i, scan) {
			const char *v = jstr(json_object_get(scan, "answers"), item);
			cell(h, "td", v ? render_answer(v, h->lang) : "");
		}
		fputs("</tr>", h->out);
	}
	fputs("</tbody></table>", h->out);
}

static void host_section(struct h *h, const json_t *items, size_t idx, const json_t *host)
{
	char when[20], prev[20];
	const json_t *c = json_object_get(host, "changes");
	fleet_jst(jstr(host, "scanned_at"), when);
	fprintf(h->out, "<section class=\"host\" id=\"h%zu\"><h3>", idx);
	esc(h, jstr(host, "hostname"));
	fputs("</h3><table><tr>", h->out);
	cell(h, "th", W(h, "machine_id"));
	cell(h, "td", jstr(host, "machine_id") ? jstr(host, "machine_id") : W(h, "unknown"));
	fputs("</tr><tr>", h->out);
	cell(h, "th", W(h, "scanned_at_jst"));
	cell(h, "td", when);
	fputs("</tr><tr>", h->out);
	cell(h, "th", W(h, "file"));
	cell(h, "td", jstr(host, "file"));
	fputs("</tr><tr>", h->out);
	cell(h, "th", W(h, "summary"));
	fprintf(h->out, "<td>%s %lld / %s %lld / %s %lld</td></tr></table><ul>", W(h, "fail"),
		ival(json_object_get(host, "summary"), "fail"), W(h, "pass"),
		ival(json_object_get(host, "summary"), "pass"), W(h, "unknown"),
		ival(json_object_get(host, "summary"), "unknown"));
	size_t j;
	json_t *it;
	json_array_foreach(items, j, it) {
		const char *a = jstr(json_object_get(host, "answers"), jstr(it, "item"));
		if (!a)
			continue;
		fputs("<li>", h->out);
		esc(h, jstr(it, "item"));
		fputs(" ", h->out);
		esc(h, render_answer(a, h->lang));
		fputs("</li>", h->out);
	}
	fputs("</ul>", h->out);
	history(h, host);
	fprintf(h->out, "<h4>%s</h4><ul>", W(h, "changes"));
	if (!c) {
		fprintf(h->out, "<li>%s</li>", W(h, "no_previous"));
	} else {
		fleet_jst(jstr(c, "previous_scanned_at"), prev);
		fprintf(h->out, "<li>%s: ", W(h, "previous"));
		esc(h, prev);
		fputs("</li>", h->out);
		change_list(h, c, "new");
		change_list(h, c, "fixed");
		if (!json_array_size(json_object_get(c, "new")) &&
		    !json_array_size(json_object_get(c, "fixed")))
			fprintf(h->out, "<li>%s</li>", W(h, "no_change"));
		if (fleet_inventory_each(c, h->lang, inventory_item, h) == 0)
			fprintf(h->out, "<li>%s</li>", W(h, "inv_no_change"));
	}
	fputs("</ul></section>\n", h->out);
}

static int section_host(const json_t *host, size_t idx, void *arg)
{
	struct h *h = arg;
	host_section(h, h->items, idx, host);
	return ferror(h->out) ? -EIO : 0;
}

/* A host's matrix row, ledger row and section, each to its part. */
static int all_host(const json_t *host, size_t idx, void *arg)
{
	struct h *h = arg;
	FILE *out = h->out, **f = h->walk;
	int r = 0;
	h->out = f[0];
	r = matrix_host(host, idx, h);
	h->out = f[1];
	if (r == 0)
		r = ledger_host(host, idx, h);
	h->out = f[2];
	if (r == 0)
		r = section_host(host, idx, h);
	h->out = out;
	return r;
}

/* One walk over the hosts: the matrix rows go straight to the page (the
 * matrix is the first part that needs the hosts), the ledger rows and the
 * host sections, which come after parts made from the summary's head,
 * into memory until then. */
static int walk(struct h *h, struct fleet_hosts *src)
{
	FILE *f[3] = {h->out, NULL, NULL};
	int r = 0;
	for (size_t i = 1; i < 3 && r == 0; i++)
		if (!(f[i] = open_memstream(&h->part[i], &h->len[i])))
			r = -ENOMEM;
	h->walk = f;
	if (r == 0)
		r = fleet_each_host(src, all_host, h);
	h->walk = NULL;
	for (size_t i = 1; i < 3; i++)
		if (f[i] && fclose(f[i]) != 0 && r == 0)
			r = -EIO;
	return r;
}

int render_fleet_html(const json_t *sum, struct fleet_hosts *src, const char *lang, FILE *out)
{
	struct h h = {.out = out, .lang = lang, .items = json_object_get(sum, "items")};
	char gen[20];
	fleet_jst(jstr(sum, "generated_at"), gen);
	fprintf(out,
		"<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		"<title>%s</title><style>%s</style></head><body>\n<h1>%s</h1><p>%s: ",
		strcmp(lang ? lang : "ja", "en") == 0 ? "en" : "ja", W(&h, "fleet_title"), css,
		W(&h, "fleet_title"), W(&h, "generated_at"));
	esc(&h, gen);
	fputs(" JST</p>\n", out);
	counts(&h, sum);
	matrix_head(&h, sum);
	int walked = walk(&h, src);
	fputs("</tbody></table></div>\n", out);
	top(&h, sum);
	ledger(&h);
	trends(&h, sum);
	files(&h, sum, "errors", "errors");
	files(&h, sum, "rejected", "rejected");
	fprintf(out, "<h2>%s</h2>\n", W(&h, "per_host"));
	fwrite(h.part[2], 1, h.len[2], out);
	for (size_t i = 0; i < 3; i++)
		free(h.part[i]);
	if (walked < 0 && h.err == 0)
		h.err = walked;
	fputs("</body></html>\n", out);
	if (h.err == 0 && ferror(out))
		h.err = -EIO;
	return h.err;
}
