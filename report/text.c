/* text.c - the plain-text report, for terminals and for pasting into the
 * inspection papers: the host, then the checklist answers first, then the
 * failures behind each "no" (by item, high severity first), the unknowns
 * with their reasons, the probes that had problems, and the summary.
 *
 * Columns are aligned by display width (Japanese takes two columns), and
 * every string from the report is sanitised first: a hostname or gecos
 * holding an escape sequence is shown, never obeyed.
 */
#include <stdio.h>
#include <string.h>
#include "report/render.h"
#include "lib/util.h"

/* Width of the title column of the checklist table; longer titles wrap
 * onto continuation lines, so the counts stay in one column and the line
 * fits about 100 columns. */
#define TITLE_COLUMNS 44

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

struct tout {
	FILE *out;
	const char *lang;
	bool color;
	int err; /* first allocation failure */
};

static const char *L(const struct tout *t, const char *key)
{
	return render_label(key, t->lang);
}

static void sgr(struct tout *t, const char *code)
{
	if (t->color && code)
		fprintf(t->out, "\033[%sm", code);
}

static void sgr_reset(struct tout *t, const char *code)
{
	if (t->color && code)
		fputs("\033[0m", t->out);
}

/* Report text (untrusted), sanitised, in colour code (may be NULL),
 * padded with spaces to width columns. */
static void put(struct tout *t, const char *s, const char *code, size_t width)
{
	_cleanup_free_ char *clean = sanitize_text(s);
	if (!clean) {
		t->err = -ENOMEM;
		return;
	}
	sgr(t, code);
	fputs(clean, t->out);
	sgr_reset(t, code);
	for (size_t w = utf8_width(clean, strlen(clean)); w < width; w++)
		fputc(' ', t->out);
}

static size_t text_width(const char *s)
{
	_cleanup_free_ char *clean = sanitize_text(s);
	return clean ? utf8_width(clean, strlen(clean)) : 0;
}

static void heading(struct tout *t, const char *key)
{
	fputc('\n', t->out);
	put(t, L(t, key), "1", 0);
	fputc('\n', t->out);
}

static const char *answer_color(const char *answer)
{
	static const struct {
		const char *answer, *code;
	} colors[] = {{"yes", "32"}, {"no", "1;31"}, {"unknown", "33"}, {"organisational", "36"}};
	for (size_t i = 0; answer && i < ARRAY_SIZE(colors); i++)
		if (strcmp(answer, colors[i].answer) == 0)
			return colors[i].code;
	return NULL;
}

static const char *severity_color(const char *sev)
{
	static const char *const codes[] = {"1;31", "33", NULL, "2", NULL};
	return codes[render_severity_rank(sev)];
}

static const char *jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* ---- header ---- */

/* "eth0 02:fc:00:00:00:01 192.0.2.2, fd00::2" for one address entry. */
static char *address_line(const json_t *a, const char *lang)
{
	_cleanup_free_ char *v4 = render_value(json_object_get(a, "ipv4"), lang);
	_cleanup_free_ char *v6 = render_value(json_object_get(a, "ipv6"), lang);
	const char *ifn = jstr(a, "interface"), *mac = jstr(a, "mac");
	char *s = NULL;
	if (!v4 || !v6 ||
	    asprintf(&s, "%s%s%s  IPv4: %s  IPv6: %s", ifn ? ifn : render_label("unknown", lang),
		     mac ? "  " : "", mac ? mac : "", v4, v6) < 0)
		return NULL;
	return s;
}

static void kv(struct tout *t, const char *key, const char *value, size_t w)
{
	fputs("  ", t->out);
	put(t, L(t, key), NULL, w + 2);
	put(t, value ? value : L(t, "unknown"), NULL, 0);
	fputc('\n', t->out);
}

static void header_addresses(struct tout *t, const json_t *host, size_t w)
{
	const json_t *addrs = json_object_get(host, "addresses");
	if (!json_is_array(addrs) || json_array_size(addrs) == 0) {
		kv(t, "addresses", json_is_array(addrs) ? L(t, "none") : NULL, w);
		return;
	}
	size_t i;
	json_t *a;
	json_array_foreach(addrs, i, a) {
		_cleanup_free_ char *line = address_line(a, t->lang);
		if (!line) {
			t->err = -ENOMEM;
			return;
		}
		kv(t, i == 0 ? "addresses" : "", line, w);
	}
}

static char *joined2(const char *a, const char *sep, const char *b)
{
	char *s = NULL;
	if (!a && !b)
		return NULL;
	if (asprintf(&s, "%s%s%s", a ? a : "", a && b ? sep : "", b ? b : "") < 0)
		return NULL;
	return s;
}

/* "ward3 (プロファイル: terminal)"; NULL when the report has none. */
static char *baseline_text(struct tout *t, const json_t *bl)
{
	const char *name = jstr(bl, "name"), *profile = jstr(bl, "profile");
	char *s = NULL;
	if (!name && !profile)
		return NULL;
	if (asprintf(&s, "%s (%s: %s)", name ? name : "-", L(t, "profile"),
		     profile ? profile : "-") < 0)
		return NULL;
	return s;
}

static void header(struct tout *t, const json_t *report)
{
	static const char *const keys[] = {"hostname", "os",	    "kernel",	  "arch",
					   "hardware", "addresses", "scanned_at", "now",
					   "root",     "baseline",  "edition",	  "tool"};
	const json_t *host = json_object_get(report, "host"),
		     *scan = json_object_get(report, "scan");
	const json_t *hw = json_object_get(host, "hardware"),
		     *bl = json_object_get(report, "baseline");
	const json_t *tool = json_object_get(report, "tool");
	size_t w = 0;
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		w = max_size(w, utf8_width(L(t, keys[i]), strlen(L(t, keys[i]))));
	_cleanup_free_ char *hwtext =
	    joined2(jstr(hw, "sys_vendor"), " ", jstr(hw, "product_name"));
	_cleanup_free_ char *root = joined2(
	    jstr(scan, "root"), "  ", L(t, jstr(scan, "mode") ? jstr(scan, "mode") : "unknown"));
	_cleanup_free_ char *base = baseline_text(t, bl);
	_cleanup_free_ char *tl = joined2(jstr(tool, "name"), " ", jstr(tool, "version"));
	put(t, "tenken", "1", 0);
	fprintf(t->out, "  %s\n", L(t, "title"));
	kv(t, "hostname", jstr(host, "hostname"), w);
	kv(t, "os", jstr(json_object_get(host, "os"), "pretty_name"), w);
	kv(t, "kernel", jstr(host, "kernel"), w);
	kv(t, "arch", jstr(host, "arch"), w);
	kv(t, "hardware", hwtext, w);
	header_addresses(t, host, w);
	kv(t, "scanned_at", jstr(scan, "started_at"), w);
	kv(t, "now", jstr(scan, "now"), w);
	kv(t, "root", root, w);
	kv(t, "baseline", base, w);
	kv(t, "edition", jstr(report, "checklist_edition"), w);
	kv(t, "tool", tl, w);
}

/* ---- checklist answers ---- */

static void counts(struct tout *t, const json_t *o)
{
	fprintf(t->out, "%s %lld / %s %lld / %s %lld", L(t, "fail"),
		(long long)json_integer_value(json_object_get(o, "fail")), L(t, "pass"),
		(long long)json_integer_value(json_object_get(o, "pass")), L(t, "unknown"),
		(long long)json_integer_value(json_object_get(o, "unknown")));
}

/* Bytes of a UTF-8 sequence from its lead byte (the text is sanitised,
 * so it is valid UTF-8). */
static size_t seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
}

/* Bytes of the longest prefix of s fitting in width columns, broken
 * after a space when there is one (English), else between characters
 * (Japanese has no spaces). At least one character. */
static size_t fit_prefix(const char *s, size_t width)
{
	size_t i = 0, w = 0, space = 0;
	while (s[i]) {
		size_t l = seq_len((unsigned char)s[i]);
		size_t cw = utf8_width(s + i, l);
		if (w + cw > width && i > 0)
			break;
		w += cw;
		i += l;
		if (s[i - l] == ' ')
			space = i;
	}
	return s[i] && space ? space : i;
}

/* Japanese line breaking (kinsoku): these never start a line. When one
 * follows a chunk it joins the chunk if it fits, else the chunk's last
 * character moves down with it. */
static size_t kinsoku(const char *s, size_t n, size_t width)
{
	static const char *const no_start[] = {"。", "、", "，", "．", "）", "」", "』", "】", "ー",
					       "っ", "ゃ", "ゅ", "ょ", "ッ", "ャ", "ュ", "ョ", "ァ",
					       "ィ", "ゥ", "ェ", "ォ", ")",  ".",  ","};
	for (size_t i = 0; s[n] && i < ARRAY_SIZE(no_start); i++) {
		size_t l = strlen(no_start[i]);
		if (strncmp(s + n, no_start[i], l) != 0)
			continue;
		if (utf8_width(s, n + l) <= width)
			return n + l;
		size_t k = n;
		while (k > 0 && ((unsigned char)s[k - 1] & 0xc0) == 0x80)
			k--;
		return k > 1 ? k - 1 : n;
	}
	return n;
}

/* Length without trailing spaces (where an English line was broken). */
static size_t rtrim_len(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n;
}

/* The title in a column width w wide that starts at column col: the
 * first line is padded and followed by the counts, the rest wrap. */
static void title_and_counts(struct tout *t, const char *title, size_t col, size_t w,
			     const json_t *it)
{
	_cleanup_free_ char *clean = sanitize_text(title);
	if (!clean) {
		t->err = -ENOMEM;
		return;
	}
	const char *p = clean;
	size_t n = kinsoku(p, fit_prefix(p, w), w);
	fwrite(p, 1, rtrim_len(p, n), t->out);
	for (size_t x = utf8_width(p, rtrim_len(p, n)); x < w + 2; x++)
		fputc(' ', t->out);
	counts(t, it);
	fputc('\n', t->out);
	for (p += n; *p; p += n) {
		p += strspn(p, " ");
		n = kinsoku(p, fit_prefix(p, w), w);
		fprintf(t->out, "%*s%.*s\n", (int)col, "", (int)rtrim_len(p, n), p);
	}
}

static void checklist(struct tout *t, const json_t *report)
{
	const json_t *items = json_object_get(report, "checklist");
	size_t wi = 0, wa = 0, wt = 0, i;
	json_t *it;
	json_array_foreach(items, i, it) {
		wi = max_size(wi, text_width(jstr(it, "item")));
		wa = max_size(wa, text_width(render_answer(jstr(it, "answer"), t->lang)));
		wt = max_size(wt, text_width(render_i18n(json_object_get(it, "title"), t->lang)));
	}
	wt = wt > TITLE_COLUMNS ? TITLE_COLUMNS : wt;
	heading(t, "checklist");
	json_array_foreach(items, i, it) {
		const char *answer = jstr(it, "answer");
		fputs("  ", t->out);
		put(t, jstr(it, "item"), NULL, wi);
		fputs("  ", t->out);
		put(t, render_answer(answer, t->lang), answer_color(answer), wa);
		fputs("  ", t->out);
		title_and_counts(t, render_i18n(json_object_get(it, "title"), t->lang),
				 2 + wi + 2 + wa + 2, wt, it);
	}
}

/* ---- findings ---- */

static void evidence(struct tout *t, const json_t *ev)
{
	if (!ev || (json_is_object(ev) && json_object_size(ev) == 0))
		return;
	fprintf(t->out, "      %s:", L(t, "evidence"));
	if (!json_is_object(ev)) {
		_cleanup_free_ char *v = render_value(ev, t->lang);
		fputc(' ', t->out);
		put(t, v, NULL, 0);
		fputc('\n', t->out);
		return;
	}
	fputc('\n', t->out);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)ev, k, v) {
		_cleanup_free_ char *text = render_value(v, t->lang);
		fputs("        ", t->out);
		put(t, k, NULL, 0);
		fputs(": ", t->out);
		put(t, text, NULL, 0);
		fputc('\n', t->out);
	}
}

static void finding(struct tout *t, const json_t *f, bool full)
{
	const char *sev = jstr(f, "severity");
	const char *rem = render_i18n(json_object_get(f, "remediation"), t->lang);
	fputs("    [", t->out);
	put(t, render_label(sev ? sev : "unknown", t->lang), severity_color(sev), 0);
	fputs("] ", t->out);
	put(t, jstr(f, "subject"), "1", 0);
	fputs("  (", t->out);
	put(t, jstr(f, "rule"), NULL, 0);
	fputs(")\n      ", t->out);
	put(t, render_i18n(json_object_get(f, "message"), t->lang), NULL, 0);
	fputc('\n', t->out);
	_cleanup_free_ char *checked = render_checked(f, t->lang);
	if (checked) {
		fprintf(t->out, "      (%s)\n", checked);
	}
	if (!full)
		return;
	evidence(t, json_object_get(f, "evidence"));
	if (rem) {
		fprintf(t->out, "      %s: ", L(t, "remediation"));
		put(t, rem, NULL, 0);
		fputc('\n', t->out);
	}
}

static bool has_item(const json_t *f, const char *item)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(f, "checklist"), i, v)
		if (item && json_string_value(v) && strcmp(json_string_value(v), item) == 0)
			return true;
	return false;
}

/* True if f names an item of the report's checklist section. */
static bool in_checklist(const json_t *f, const json_t *items)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		if (has_item(f, jstr(it, "item")))
			return true;
	return false;
}

/* ---- groups: one rule's many findings as one table ---- */

/* The cells of one row of a group's table: subject, message (when the
 * messages differ), then each evidence column (with full). New array of
 * sanitised strings. */
static json_t *group_row(struct tout *t, const json_t *f, bool message, const json_t *cols)
{
	json_t *row = json_array();
	size_t i;
	json_t *c;
	json_array_append_new(row, json_string(jstr(f, "subject") ? jstr(f, "subject") : ""));
	if (message)
		json_array_append_new(
		    row, json_string(render_i18n(json_object_get(f, "message"), t->lang)
					 ? render_i18n(json_object_get(f, "message"), t->lang)
					 : ""));
	json_array_foreach(cols, i, c) {
		const json_t *v =
		    json_object_get(json_object_get(f, "evidence"), json_string_value(c));
		_cleanup_free_ char *text = v ? render_value(v, t->lang) : strdup("");
		if (!text) {
			t->err = -ENOMEM;
			break;
		}
		json_array_append_new(row, json_string(text));
	}
	return row;
}

/* Rows (arrays of cells) printed as columns aligned by display width. */
static void table(struct tout *t, const json_t *rows)
{
	size_t ncol = json_array_size(json_array_get(rows, 0)), i, j;
	_cleanup_free_ size_t *w = calloc(ncol ? ncol : 1, sizeof(*w));
	json_t *row, *c;
	if (!w) {
		t->err = -ENOMEM;
		return;
	}
	json_array_foreach(rows, i, row)
		json_array_foreach(row, j, c)
			if (j < ncol)
				w[j] = max_size(w[j], text_width(json_string_value(c)));
	json_array_foreach(rows, i, row) {
		fputs("      ", t->out);
		json_array_foreach(row, j, c) {
			fputs(j ? "  " : "", t->out);
			put(t, json_string_value(c), i == 0 ? "1" : NULL, j + 1 < ncol ? w[j] : 0);
		}
		fputc('\n', t->out);
	}
}

/* Two or more findings of one rule (one status): severity, rule and
 * count once, the message and remediation once when they are the same
 * for all, then a table of the subjects with their evidence. */
static void finding_group(struct tout *t, const json_t *g, bool full)
{
	const json_t *f = json_array_get(g, 0);
	const char *sev = jstr(f, "severity");
	bool msg_once = render_group_same(g, "message");
	bool rem_once = render_group_same(g, "remediation");
	json_auto_t *cols = full ? render_group_columns(g) : json_array();
	json_auto_t *rows = json_array();
	size_t i;
	json_t *m, *c;
	if (!cols || !rows) {
		t->err = -ENOMEM;
		return;
	}
	fputs("    [", t->out);
	put(t, render_label(sev ? sev : "unknown", t->lang), severity_color(sev), 0);
	fputs("] ", t->out);
	put(t, jstr(f, "rule"), "1", 0);
	fprintf(t->out, strcmp(t->lang, "ja") == 0 ? "  (%zu 件)\n" : "  (%zu subjects)\n",
		json_array_size(g));
	if (msg_once) {
		fputs("      ", t->out);
		put(t, render_i18n(json_object_get(f, "message"), t->lang), NULL, 0);
		fputc('\n', t->out);
	}
	const char *rem = render_i18n(json_object_get(f, "remediation"), t->lang);
	if (full && rem_once && rem) {
		fprintf(t->out, "      %s: ", L(t, "remediation"));
		put(t, rem, NULL, 0);
		fputc('\n', t->out);
	}
	/* Evidence equal on every row is said once, above the table. */
	json_auto_t *varying = json_array();
	bool common = false;
	json_array_foreach(cols, i, c) {
		if (!render_group_same_evidence(g, json_string_value(c))) {
			json_array_append(varying, c);
			continue;
		}
		_cleanup_free_ char *v = render_value(
		    json_object_get(json_object_get(f, "evidence"), json_string_value(c)), t->lang);
		if (!common)
			fprintf(t->out, "      %s:\n", L(t, "evidence"));
		common = true;
		fputs("        ", t->out);
		put(t, json_string_value(c), NULL, 0);
		fputs(": ", t->out);
		put(t, v, NULL, 0);
		fputc('\n', t->out);
	}
	json_decref(cols);
	cols = json_incref(varying);
	json_t *head = json_array();
	json_array_append_new(head, json_string(L(t, "subject")));
	if (!msg_once)
		json_array_append_new(head, json_string(L(t, "message")));
	json_array_foreach(cols, i, c)
		json_array_append(head, c);
	json_array_append_new(rows, head);
	json_array_foreach(g, i, m)
		json_array_append_new(rows, group_row(t, m, !msg_once, cols));
	table(t, rows);
	json_array_foreach(g, i, m) {
		const char *r = render_i18n(json_object_get(m, "remediation"), t->lang);
		if (!full || rem_once || !r)
			continue;
		fputs("      ", t->out);
		put(t, jstr(m, "subject"), NULL, 0);
		fprintf(t->out, " %s: ", L(t, "remediation"));
		put(t, r, NULL, 0);
		fputc('\n', t->out);
	}
}

/* The findings of list, one rule's findings together: one alone as a
 * card, several as a group. */
static void grouped(struct tout *t, const json_t *list, bool full)
{
	json_auto_t *rules = render_group_rules(list);
	size_t i;
	json_t *r;
	if (!rules) {
		t->err = -ENOMEM;
		return;
	}
	json_array_foreach(rules, i, r) {
		json_auto_t *g = render_group_members(list, json_string_value(r));
		if (!g) {
			t->err = -ENOMEM;
			return;
		}
		if (json_array_size(g) == 1)
			finding(t, json_array_get(g, 0), full);
		else
			finding_group(t, g, full);
	}
}

/* One item's group: its heading, then its findings (already ordered by
 * severity), one rule's together. A finding answering two items is shown
 * under both, as each item is answered on its own line of the inspection
 * paper. */
static void item_group(struct tout *t, const json_t *it, const json_t *list, bool full)
{
	const char *item = jstr(it, "item");
	json_auto_t *mine = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
		if (has_item(f, item))
			json_array_append(mine, f);
	if (json_array_size(mine) == 0)
		return;
	fputs("  [", t->out);
	put(t, item, "1", 0);
	fputs("] ", t->out);
	put(t, render_i18n(json_object_get(it, "title"), t->lang), NULL, 0);
	fputc('\n', t->out);
	grouped(t, mine, full);
}

static void other_group(struct tout *t, const json_t *items, const json_t *list, bool full)
{
	json_auto_t *mine = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
		if (!in_checklist(f, items))
			json_array_append(mine, f);
	if (json_array_size(mine) == 0)
		return;
	fprintf(t->out, "  %s\n", L(t, "other_items"));
	grouped(t, mine, full);
}

/* Failures (full: evidence and remediation) or unknowns (their message
 * is the reason). */
static void findings(struct tout *t, const json_t *report, const char *status)
{
	bool fail = strcmp(status, "fail") == 0;
	json_auto_t *list = render_findings_sorted(report, status);
	if (!list) {
		t->err = -ENOMEM;
		return;
	}
	heading(t, fail ? "failures" : "unknowns");
	if (json_array_size(list) == 0) {
		fprintf(t->out, "  %s\n", L(t, fail ? "no_failures" : "no_unknowns"));
		return;
	}
	const json_t *items = json_object_get(report, "checklist");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		item_group(t, it, list, fail);
	other_group(t, items, list, fail);
}

/* Passed checks, one line each with how many subjects they looked at:
 * a pass that checked nothing must be visible as such. */
static void passes(struct tout *t, const json_t *report)
{
	json_auto_t *list = render_findings_sorted(report, "pass");
	size_t i, j;
	json_t *f, *v;

	if (!list) {
		t->err = -ENOMEM;
		return;
	}
	heading(t, "passes");
	json_array_foreach(list, i, f) {
		_cleanup_free_ char *checked = render_checked(f, t->lang);
		fputs("  [", t->out);
		json_array_foreach(json_object_get(f, "checklist"), j, v) {
			fputs(j ? " " : "", t->out);
			put(t, json_string_value(v), NULL, 0);
		}
		fputs("] ", t->out);
		put(t, render_i18n(json_object_get(f, "message"), t->lang), NULL, 0);
		fputs("  (", t->out);
		put(t, jstr(f, "rule"), NULL, 0);
		if (checked) {
			fputs("; ", t->out);
			put(t, checked, NULL, 0);
		}
		fputs(")\n", t->out);
	}
}

/* ---- probes and summary ---- */

static void probes(struct tout *t, const json_t *report)
{
	const json_t *list = json_object_get(json_object_get(report, "scan"), "probes");
	size_t i, j, shown = 0;
	json_t *p, *m;
	heading(t, "probes");
	json_array_foreach(list, i, p) {
		const char *st = jstr(p, "status");
		if (st && strcmp(st, "ok") == 0)
			continue;
		fputs("  ", t->out);
		put(t, jstr(p, "name"), "1", 0);
		fputs(": ", t->out);
		put(t, L(t, st ? st : "unknown"), "33", 0);
		fputc('\n', t->out);
		json_array_foreach(json_object_get(p, "messages"), j, m) {
			fputs("    ", t->out);
			put(t, render_i18n(m, t->lang), NULL, 0);
			fputc('\n', t->out);
		}
		shown++;
	}
	if (!shown)
		fprintf(t->out, "  %s\n", L(t, "no_problems"));
}

static void summary(struct tout *t, const json_t *report)
{
	fputc('\n', t->out);
	sgr(t, "1");
	fprintf(t->out, "%s: ", L(t, "summary"));
	counts(t, json_object_get(report, "summary"));
	sgr_reset(t, "1");
	fputc('\n', t->out);
}

int render_text(const json_t *report, const char *lang, bool color, FILE *out)
{
	struct tout t = {.out = out, .lang = lang ? lang : "ja", .color = color};
	if (!json_is_object(report))
		return -EINVAL;
	_cleanup_free_ char *notice = render_privilege_notice(report, t.lang);
	if (notice) {
		put(&t, notice, "1;33", 0);
		fputs("\n\n", out);
	}
	header(&t, report);
	checklist(&t, report);
	findings(&t, report, "fail");
	findings(&t, report, "unknown");
	passes(&t, report);
	probes(&t, report);
	summary(&t, report);
	if (t.err < 0)
		return t.err;
	return fflush(out) != 0 || ferror(out) ? -EIO : 0;
}
