/* fleet.c - the fleet summary as JSON, CSV (one view per file, for
 * spreadsheets: UTF-8 with a BOM, CRLF, formulas defused as in csv.c) and
 * text; the HTML page is fleet_html.c. */
#include <stdio.h>
#include <string.h>
#include "report/fleet.h"
#include "report/render.h"
#include "lib/util.h"

static const struct {
	const char *key, *ja, *en;
} words[] = {
    {"fleet_title", "点検結果の一覧（全ホスト）", "Fleet inspection summary"},
    {"generated_at", "作成日時", "Generated at"},
    {"matrix", "回答の一覧（ホスト × チェック項目）", "Answers (hosts × checklist items)"},
    {"counts", "項目ごとの集計", "Counts per item"},
    {"host", "ホスト", "Host"},
    {"hosts", "ホスト数", "Hosts"},
    {"stale", "古い報告", "stale"},
    {"top", "多くのホストで不適合のルール", "Rules failing on the most hosts"},
    {"hosts_failing", "不適合のホスト数", "Hosts failing"},
    {"ledger", "2(1) 機器台帳", "2(1) equipment ledger"},
    {"os_version", "OS バージョン", "OS version"},
    {"ip", "IP アドレス", "IP addresses"},
    {"mac", "MAC アドレス", "MAC addresses"},
    {"vendor", "製造元", "Vendor"},
    {"model", "機種", "Model"},
    {"last_scan", "最終点検 (JST)", "Last scan (JST)"},
    {"trends", "月ごとの回答", "Answers per month"},
    {"month", "月 (JST)", "Month (JST)"},
    {"changes", "前回の点検からの変化", "Changes since the previous scan"},
    {"change", "変化", "Change"},
    {"new", "新たな不適合", "new failure"},
    {"fixed", "解消した不適合", "fixed"},
    {"previous", "前回 (JST)", "Previous (JST)"},
    {"no_previous", "前回の報告はありません", "no previous report"},
    {"no_change", "不適合に変化はありません", "no change in failures"},
    {"rejected", "取り込まなかったファイル", "Files not taken in"},
    {"errors", "報告がなかったホスト", "Hosts that gave no report"},
    {"file", "ファイル", "File"},
    {"reason", "理由", "Reason"},
    {"none_rejected", "ありません", "none"},
    {"per_host", "ホストごとの結果", "Per host"},
    {"scanned_at_jst", "点検日時 (JST)", "Scanned at (JST)"},
    {"history", "点検ごとの回答", "Answers at each scan"},
    {"inv_accounts", "アカウント", "Accounts"},
    {"inv_admins", "管理者", "Administrators"},
    {"inv_services_enabled", "有効なサービス", "Enabled services"},
    {"inv_listeners", "待ち受けポート", "Listening ports"},
    {"inv_usb_devices", "USB 機器", "USB devices"},
    {"inv_wireless", "無線 LAN の接続設定", "Wireless networks"},
    {"inv_packages", "パッケージ", "Packages"},
    {"inv_added", "追加", "added"},
    {"inv_removed", "削除", "removed"},
    {"inv_changed", "版の変更", "version changed"},
    {"inv_not_recorded", "記録なし（変化は不明）", "not recorded (changes unknown)"},
    {"inv_no_change", "構成に変化はありません", "no change in the inventory"},
};

const char *fleet_label(const char *key, const char *lang)
{
	bool ja = !lang || strcmp(lang, "ja") == 0;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(words[i].key, key) == 0)
			return ja ? words[i].ja : words[i].en;
	return render_label(key, lang);
}

void fleet_jst(const char *rfc3339, char out[static 20])
{
	time_t t;
	struct tm tm;
	out[0] = '\0';
	/* Asia/Tokyo: UTC+9 without daylight saving since 1951 (tzdata). */
	if (!rfc3339 || time_parse_rfc3339(rfc3339, &t) < 0)
		return;
	t += 9 * 3600;
	if (gmtime_r(&t, &tm))
		strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

bool fleet_needs_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p >= 0x20 && *p < 0x7f) {
			p++;
			continue;
		}
		if (*p < 0xe3 || *p > 0xe9 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return true;
		p += 3;
	}
	return false;
}

bool fleet_view_known(const char *view)
{
	static const char *const views[] = {"matrix", "top",	 "ledger",
					    "trends", "changes", "history"};
	for (size_t i = 0; view && i < ARRAY_SIZE(views); i++)
		if (strcmp(view, views[i]) == 0)
			return true;
	return !view;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* "name:arch version" of a package change entry (new string). */
static char *package_text(const json_t *p, const char *v1, const char *v2)
{
	const char *arch = jstr(p, "architecture");
	char *s = NULL;
	if (asprintf(&s, "%s%s%s %s%s%s", jstr(p, "name") ? jstr(p, "name") : "", arch ? ":" : "",
		     arch ? arch : "", v1 ? v1 : "?", v2 ? " -> " : "", v2 ? v2 : "") < 0)
		return NULL;
	return s;
}

int fleet_inventory_each(const json_t *changes, const char *lang, fleet_inventory_fn fn, void *arg)
{
	static const char *const kinds[] = {"accounts",	 "admins",	"services_enabled",
					    "listeners", "usb_devices", "wireless",
					    "packages"};
	static const char *const moves[] = {"added", "removed", "changed"};
	const json_t *inv = json_object_get(changes, "inventory");
	int n = 0, r = 0;
	for (size_t k = 0; k < ARRAY_SIZE(kinds) && r == 0; k++) {
		char key[40];
		snprintf(key, sizeof(key), "inv_%s", kinds[k]);
		const char *kind = fleet_label(key, lang);
		const json_t *c = json_object_get(inv, kinds[k]);
		if (!c) {
			n++;
			r = fn(kind, fleet_label("inv_not_recorded", lang), "", arg);
			continue;
		}
		for (size_t m = 0; m < ARRAY_SIZE(moves) && r == 0; m++) {
			snprintf(key, sizeof(key), "inv_%s", moves[m]);
			size_t i;
			json_t *e;
			json_array_foreach(json_object_get(c, moves[m]), i, e) {
				_cleanup_free_ char *t =
				    json_is_string(e) ? NULL
				    : m == 2 ? package_text(e, jstr(e, "old"), jstr(e, "new"))
					     : package_text(e, jstr(e, "version"), NULL);
				n++;
				if ((r = fn(kind, fleet_label(key, lang),
					    json_is_string(e) ? json_string_value(e)
					    : t		      ? t
							      : "",
					    arg)) < 0)
					break;
			}
		}
	}
	return r < 0 ? r : n;
}

/* ---- CSV ---- */

/* A spreadsheet opening the CSV takes a field of digits, signs, dots,
 * slashes, colons and an exponent for a number or a date: host 0012
 * becomes 12, a machine id of 32 digits loses its last digits, OS version
 * 20.10 becomes 20.1 (LibreOffice Calc did so in tests/e2e/calc.sh). */
static bool reads_as_number(const char *s)
{
	bool digit = false;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (!strchr("+-.,:/ eE%", *s))
			return false;
	}
	return digit;
}

/* One field (RFC 4180; a leading = + - @ TAB CR gets an apostrophe), then
 * "," or CRLF when last. A text field that would be read as a number is
 * written as the constant formula ="TEXT" (Excel and Calc then show the
 * text as it is; TEXT holds no quote, reads_as_number allows none). */
static int field(FILE *out, const char *s, bool text, bool last)
{
	_cleanup_free_ char *copy = NULL;
	const char *clean = s ? s : "";
	if (fleet_needs_sanitize(clean) && !(clean = copy = sanitize_multiline(clean)))
		return -ENOMEM;
	if (text && reads_as_number(clean)) {
		fprintf(out, "\"=\"\"%s\"\"\"%s", clean, last ? "\r\n" : ",");
		return 0;
	}
	bool formula = clean[0] && strchr("=+-@\t\r", clean[0]);
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
	fputs(last ? "\r\n" : ",", out);
	return 0;
}

/* A row of n fields; bit i of data set: column i is a date or a count,
 * for the spreadsheet to read as one. The others are text. */
static int row_data(FILE *out, const char *const *f, size_t n, unsigned data)
{
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++)
		r = field(out, f[i], !(data & (1u << i)), i + 1 == n);
	return r;
}

static int row(FILE *out, const char *const *f, size_t n)
{
	return row_data(out, f, n, 0);
}

static int header(FILE *out, const char *lang, const char *const *keys, size_t n)
{
	const char *f[16];
	for (size_t i = 0; i < n && i < ARRAY_SIZE(f); i++)
		f[i] = fleet_label(keys[i], lang);
	return row(out, f, n);
}

static const char *num(char buf[static 24], const json_t *v)
{
	snprintf(buf, 24, "%lld", (long long)json_integer_value(v));
	return buf;
}

static const char *answer_word(const char *answer, const char *lang)
{
	return answer ? render_answer(answer, lang) : "";
}

/* One row per host and item: host, machine id, newest scan (JST),
 * stale, item, answer. */
struct walk {
	const json_t *sum;
	const char *lang;
	FILE *out;
};

static int csv_matrix_host(const json_t *h, size_t idx, void *arg)
{
	const struct walk *w = arg;
	const char *lang = w->lang;
	FILE *out = w->out;
	int r = 0;
	size_t j;
	json_t *it;
	{
		char when[20];
		fleet_jst(jstr(h, "scanned_at"), when);
		bool stale = json_is_true(json_object_get(h, "stale"));
		json_array_foreach(json_object_get(w->sum, "items"), j, it) {
			const char *item = jstr(it, "item");
			const char *a = jstr(json_object_get(h, "answers"), item);
			if (!a || r < 0)
				continue;
			const char *f[] = {jstr(h, "hostname"),
					   jstr(h, "machine_id"),
					   when,
					   stale ? fleet_label("stale", lang) : "",
					   item,
					   answer_word(a, lang)};
			r = row_data(out, f, ARRAY_SIZE(f), 1u << 2);
		}
	}
	return r;
}

static int csv_matrix(const json_t *sum, struct fleet_hosts *src, const char *lang, FILE *out)
{
	static const char *const keys[] = {"hostname", "machine_id", "scanned_at_jst",
					   "stale",    "item",	     "answer"};
	struct walk w = {sum, lang, out};
	int r = header(out, lang, keys, ARRAY_SIZE(keys));
	return r < 0 ? r : fleet_each_host(src, csv_matrix_host, &w);
}

static int csv_top(const json_t *sum, const char *lang, FILE *out)
{
	static const char *const keys[] = {"rule", "severity", "hosts_failing", "host",
					   "remediation"};
	int r = header(out, lang, keys, ARRAY_SIZE(keys));
	size_t i, j;
	json_t *t, *h;
	json_array_foreach(json_object_get(sum, "top_problems"), i, t) {
		struct strbuf sb;
		strbuf_init(&sb, 1u << 24);
		json_array_foreach(json_object_get(t, "hosts"), j, h)
			strbuf_printf(&sb, "%s%s", j ? " " : "", jstr(h, "hostname"));
		char n[24];
		const char *f[] = {jstr(t, "rule"), render_label(jstr(t, "severity"), lang),
				   num(n, json_object_get(t, "hosts_failing")), sb.s,
				   render_i18n(json_object_get(t, "remediation"), lang)};
		if (r == 0)
			r = row_data(out, f, ARRAY_SIZE(f), 1u << 2);
		strbuf_free(&sb);
	}
	return r;
}

/* The 2(1) ledger: one row per host, what an equipment ledger asks. */
static int csv_ledger_host(const json_t *h, size_t idx, void *arg)
{
	const struct walk *w = arg;
	const char *lang = w->lang;
	int r = 0;
	{
		const json_t *l = json_object_get(h, "ledger");
		char when[20];
		fleet_jst(jstr(h, "scanned_at"), when);
		const char *f[] = {
		    jstr(h, "hostname"),
		    jstr(h, "machine_id"),
		    jstr(l, "os"),
		    jstr(l, "os_version"),
		    jstr(l, "kernel"),
		    jstr(l, "arch"),
		    jstr(l, "addresses"),
		    jstr(l, "macs"),
		    jstr(l, "hw_vendor"),
		    jstr(l, "hw_model"),
		    when,
		    json_is_true(json_object_get(h, "stale")) ? fleet_label("stale", lang) : ""};
		r = row_data(w->out, f, ARRAY_SIZE(f), 1u << 10);
	}
	return r;
}

static int csv_ledger(const json_t *sum, struct fleet_hosts *src, const char *lang, FILE *out)
{
	static const char *const keys[] = {"hostname", "machine_id", "os",	  "os_version",
					   "kernel",   "arch",	     "ip",	  "mac",
					   "vendor",   "model",	     "last_scan", "stale"};
	struct walk w = {sum, lang, out};
	int r = header(out, lang, keys, ARRAY_SIZE(keys));
	return r < 0 ? r : fleet_each_host(src, csv_ledger_host, &w);
}

static int csv_trends(const json_t *sum, const char *lang, FILE *out)
{
	static const char *const keys[] = {"month",   "item",		"yes",	 "no",
					   "unknown", "organisational", "stale", "hosts"};
	int r = header(out, lang, keys, ARRAY_SIZE(keys));
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(sum, "trends"), i, t) {
		char a[24], b[24], c[24], d[24], e[24], g[24];
		const char *f[] = {jstr(t, "month"),
				   jstr(t, "item"),
				   num(a, json_object_get(t, "yes")),
				   num(b, json_object_get(t, "no")),
				   num(c, json_object_get(t, "unknown")),
				   num(d, json_object_get(t, "organisational")),
				   num(g, json_object_get(t, "stale")),
				   num(e, json_object_get(t, "hosts"))};
		if (r == 0)
			r = row_data(out, f, ARRAY_SIZE(f), 0xfcu);
	}
	return r;
}

struct inv_row {
	const json_t *h;
	const char *prev, *now;
	FILE *out;
};

/* An inventory change as a changes row: the change column says the kind
 * and the move ("Accounts: added"), the subject column the key. */
static int csv_inventory_row(const char *kind, const char *move, const char *what, void *arg)
{
	const struct inv_row *ir = arg;
	_cleanup_free_ char *change = NULL;
	if (asprintf(&change, "%s: %s", kind, move) < 0)
		return -ENOMEM;
	const char *f[] = {jstr(ir->h, "hostname"), ir->prev, ir->now, change, "", what};
	return row_data(ir->out, f, ARRAY_SIZE(f), 0x6u);
}

static int csv_changes_host(const json_t *h, size_t idx, void *arg)
{
	static const char *const kinds[] = {"new", "fixed"};
	const struct walk *w = arg;
	const char *lang = w->lang;
	FILE *out = w->out;
	int r = 0;
	size_t j;
	json_t *c;
	{
		const json_t *ch = json_object_get(h, "changes");
		char prev[20], now[20];
		fleet_jst(jstr(ch, "previous_scanned_at"), prev);
		fleet_jst(jstr(h, "scanned_at"), now);
		for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
			json_array_foreach(json_object_get(ch, kinds[k]), j, c) {
				const char *f[] = {jstr(h, "hostname"),
						   prev,
						   now,
						   fleet_label(kinds[k], lang),
						   jstr(c, "rule"),
						   jstr(c, "subject")};
				if (r == 0)
					r = row_data(out, f, ARRAY_SIZE(f), 0x6u);
			}
		if (r == 0 && ch) {
			struct inv_row ir = {h, prev, now, out};
			int k = fleet_inventory_each(ch, lang, csv_inventory_row, &ir);
			r = k < 0 ? k : 0;
		}
	}
	return r;
}

static int csv_changes(const json_t *sum, struct fleet_hosts *src, const char *lang, FILE *out)
{
	static const char *const keys[] = {"hostname", "previous", "scanned_at_jst",
					   "change",   "rule",	   "subject"};
	struct walk w = {sum, lang, out};
	int r = header(out, lang, keys, ARRAY_SIZE(keys));
	return r < 0 ? r : fleet_each_host(src, csv_changes_host, &w);
}

/* Every scan of every host: one row per host, scan and item. */
static int csv_history_host(const json_t *h, size_t idx, void *arg)
{
	const struct walk *w = arg;
	int r = 0;
	size_t i;
	json_t *scan;
	json_array_foreach(json_object_get(h, "history"), i, scan) {
		char when[20];
		const char *item;
		json_t *a;
		fleet_jst(jstr(scan, "scanned_at"), when);
		json_object_foreach(json_object_get(scan, "answers"), item, a) {
			const char *f[] = {jstr(h, "hostname"), jstr(h, "machine_id"), when, item,
					   answer_word(json_string_value(a), w->lang)};
			if (r == 0)
				r = row_data(w->out, f, ARRAY_SIZE(f), 1u << 2);
		}
	}
	return r;
}

static int csv_history(const json_t *sum, struct fleet_hosts *src, const char *lang, FILE *out)
{
	static const char *const keys[] = {"hostname", "machine_id", "scanned_at_jst", "item",
					   "answer"};
	struct walk w = {sum, lang, out};
	int r = header(out, lang, keys, ARRAY_SIZE(keys));
	return r < 0 ? r : fleet_each_host(src, csv_history_host, &w);
}

static int render_csv_view(const json_t *sum, struct fleet_hosts *src, const char *view,
			   const char *lang, FILE *out)
{
	fputs("\xEF\xBB\xBF", out);
	if (!view || strcmp(view, "matrix") == 0)
		return csv_matrix(sum, src, lang, out);
	if (strcmp(view, "top") == 0)
		return csv_top(sum, lang, out);
	if (strcmp(view, "ledger") == 0)
		return csv_ledger(sum, src, lang, out);
	if (strcmp(view, "trends") == 0)
		return csv_trends(sum, lang, out);
	if (strcmp(view, "history") == 0)
		return csv_history(sum, src, lang, out);
	return csv_changes(sum, src, lang, out);
}

/* ---- text ---- */

static int text_host(const json_t *h, size_t idx, void *arg)
{
	const struct walk *w = arg;
	const char *lang = w->lang;
	FILE *out = w->out;
	size_t j;
	json_t *it;
	{
		_cleanup_free_ char *name = sanitize_text(jstr(h, "hostname"));
		char when[20];
		fleet_jst(jstr(h, "scanned_at"), when);
		fprintf(out, "  %s  %s%s%s\n", name ? name : "", when,
			json_is_true(json_object_get(h, "stale")) ? "  " : "",
			json_is_true(json_object_get(h, "stale")) ? fleet_label("stale", lang)
								  : "");
		json_array_foreach(json_object_get(w->sum, "items"), j, it) {
			const char *a = jstr(json_object_get(h, "answers"), jstr(it, "item"));
			_cleanup_free_ char *item = a ? sanitize_text(jstr(it, "item")) : NULL;
			if (item)
				fprintf(out, "    %-6s %s\n", item, render_answer(a, lang));
		}
	}
	return ferror(out) ? -EIO : 0;
}

static int render_text_fleet(const json_t *sum, struct fleet_hosts *src, const char *lang,
			     FILE *out)
{
	size_t i;
	json_t *it, *h;
	_cleanup_free_ char *gen = sanitize_text(jstr(sum, "generated_at"));
	fprintf(out, "%s (%s %s)\n\n%s\n", fleet_label("fleet_title", lang),
		fleet_label("generated_at", lang), gen ? gen : "", fleet_label("counts", lang));
	json_array_foreach(json_object_get(sum, "items"), i, it) {
		_cleanup_free_ char *item = sanitize_text(jstr(it, "item"));
		fprintf(out, "  %-6s %s %lld  %s %lld  %s %lld  %s %lld  %s %lld\n",
			item ? item : "", render_label("yes", lang),
			(long long)json_integer_value(json_object_get(it, "yes")),
			render_label("no", lang),
			(long long)json_integer_value(json_object_get(it, "no")),
			render_label("unknown", lang),
			(long long)json_integer_value(json_object_get(it, "unknown")),
			render_label("organisational", lang),
			(long long)json_integer_value(json_object_get(it, "organisational")),
			fleet_label("stale", lang),
			(long long)json_integer_value(json_object_get(it, "stale")));
	}
	fprintf(out, "\n%s\n", fleet_label("matrix", lang));
	struct walk w = {sum, lang, out};
	int r = fleet_each_host(src, text_host, &w);
	if (r < 0)
		return r;
	json_array_foreach(json_object_get(sum, "rejected"), i, h) {
		_cleanup_free_ char *f = sanitize_text(jstr(h, "file"));
		_cleanup_free_ char *m =
		    sanitize_text(render_i18n(json_object_get(h, "message"), lang));
		fprintf(out, "%s%s: %s\n", i ? "" : "\n", f ? f : "", m ? m : "");
	}
	return ferror(out) ? -EIO : 0;
}

int fleet_each_host(struct fleet_hosts *hosts, int (*fn)(const json_t *host, size_t idx, void *arg),
		    void *arg)
{
	int r = hosts->rewind(hosts->ctx);
	json_t *h = NULL;
	for (size_t i = 0; r == 0 && (r = hosts->next(hosts->ctx, &h)) > 0; i++) {
		r = fn(h, i, arg);
		json_decref(h);
	}
	return r;
}

/* The summary as json_dumpf(JSON_INDENT(2)) writes it, byte for byte,
 * with each host dumped on its own and indented to its depth: the head is
 * split where its empty "hosts" array is (a key at depth 1 begins a line
 * with two spaces; a string value cannot hold a raw newline). */
struct json_walk {
	FILE *out;
	size_t n;
};

static int json_host(const json_t *host, size_t idx, void *arg)
{
	struct json_walk *w = arg;
	char *d = json_dumps(host, JSON_INDENT(2));
	if (!d)
		return -ENOMEM;
	fputs(idx ? ",\n    " : "\n    ", w->out);
	for (const char *p = d, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			fputs(p, w->out);
			break;
		}
		fwrite(p, 1, (size_t)(nl - p) + 1, w->out);
		fputs("    ", w->out);
	}
	free(d);
	w->n++;
	return ferror(w->out) ? -EIO : 0;
}

static int json_stream(const json_t *head, struct fleet_hosts *src, FILE *out)
{
	static const char mark[] = "\n  \"hosts\": []";
	_cleanup_free_ char *d = json_dumps(head, JSON_INDENT(2));
	if (!d)
		return -ENOMEM;
	char *at = strstr(d, mark);
	if (!at)
		return -EINVAL;
	fwrite(d, 1, (size_t)(at - d), out);
	fputs("\n  \"hosts\": [", out);
	struct json_walk w = {out, 0};
	int r = fleet_each_host(src, json_host, &w);
	if (r < 0)
		return r;
	fputs(w.n ? "\n  ]" : "]", out);
	fputs(at + sizeof(mark) - 1, out);
	return fputc('\n', out) == EOF || ferror(out) ? -EIO : 0;
}

int render_fleet_hosts(const json_t *head, struct fleet_hosts *hosts, const char *format,
		       const char *view, const char *lang, FILE *out)
{
	if (strcmp(format, "json") == 0)
		return json_stream(head, hosts, out);
	if (strcmp(format, "csv") == 0)
		return render_csv_view(head, hosts, view, lang, out);
	if (strcmp(format, "html") == 0)
		return render_fleet_html(head, hosts, lang, out);
	if (strcmp(format, "text") == 0)
		return render_text_fleet(head, hosts, lang, out);
	return -EINVAL;
}

/* A summary's own hosts array as a source. */
struct array_src {
	const json_t *arr;
	size_t i;
};

static int array_next(void *ctx, json_t **host)
{
	struct array_src *a = ctx;
	if (a->i >= json_array_size(a->arr))
		return 0;
	*host = json_incref(json_array_get(a->arr, a->i++));
	return 1;
}

static int array_rewind(void *ctx)
{
	((struct array_src *)ctx)->i = 0;
	return 0;
}

int render_fleet(const json_t *summary, const char *format, const char *view, const char *lang,
		 FILE *out)
{
	if (strcmp(format, "json") == 0)
		return render_json(summary, lang, false, out);
	struct array_src a = {json_object_get(summary, "hosts"), 0};
	struct fleet_hosts src = {array_next, array_rewind, &a};
	return render_fleet_hosts(summary, &src, format, view, lang, out);
}
