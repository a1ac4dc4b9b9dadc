/* render.c - what the text, CSV and HTML renderers share: the bilingual
 * label table, safe display of hostile strings (control characters,
 * bidi overrides, invalid UTF-8), terminal display width, reading values
 * out of a report and ordering findings. */
#include <stdio.h>
#include <string.h>
#include "report/render.h"
#include "lib/util.h"

/* Every word a renderer prints, in both languages. */
static const struct {
	const char *key, *ja, *en;
} labels[] = {
    {"title", "点検結果", "Inspection report"},
    {"hostname", "ホスト名", "Host name"},
    {"os", "OS", "OS"},
    {"kernel", "カーネル", "Kernel"},
    {"arch", "アーキテクチャ", "Architecture"},
    {"machine_id", "マシン ID", "Machine ID"},
    {"hardware", "機種", "Hardware"},
    {"virtualization", "仮想化", "Virtualization"},
    {"addresses", "ネットワーク", "Network"},
    {"scanned_at", "実施日時", "Scanned at"},
    {"now", "判定基準日時", "Judged as of"},
    {"root", "対象ルート", "Scanned root"},
    {"mode", "方式", "Mode"},
    {"baseline", "ベースライン", "Baseline"},
    {"profile", "プロファイル", "Profile"},
    {"edition", "チェックリスト版", "Checklist edition"},
    {"tool", "ツール", "Tool"},
    {"checklist", "チェックリスト回答", "Checklist answers"},
    {"failures", "不適合 (「いいえ」の根拠)", "Failures (why an item is \"no\")"},
    {"unknowns", "判定できなかった確認 (不明) と理由", "Checks that could not be judged, and why"},
    {"passes", "適合した確認", "Passed checks"},
    {"probes", "情報収集の問題", "Collection problems"},
    {"probes_all", "情報収集", "Collection"},
    {"summary", "合計", "Summary"},
    {"fail", "不適合", "fail"},
    {"pass", "適合", "pass"},
    {"unknown", "不明", "unknown"},
    {"yes", "はい", "yes"},
    {"no", "いいえ", "no"},
    {"organisational", "組織的対応", "organisational"},
    {"high", "高", "high"},
    {"medium", "中", "medium"},
    {"low", "低", "low"},
    {"info", "情報", "info"},
    {"remediation", "対処", "Remediation"},
    {"evidence", "根拠", "Evidence"},
    {"subject", "対象", "Subject"},
    {"rule", "ルール", "Rule"},
    {"status", "結果", "Status"},
    {"severity", "重要度", "Severity"},
    {"message", "内容", "Message"},
    {"items", "チェック項目", "Checklist items"},
    {"item", "項目", "Item"},
    {"answer", "回答", "Answer"},
    {"item_title", "確認事項", "Requirement"},
    {"probe", "プローブ", "Probe"},
    {"duration", "所要時間", "Duration"},
    {"messages", "メッセージ", "Messages"},
    {"ok", "正常", "ok"},
    {"partial", "一部のみ", "partial"},
    {"error", "エラー", "error"},
    {"not_applicable", "対象外", "not applicable"},
    {"skipped", "省略", "skipped"},
    {"none", "なし", "none"},
    {"no_failures", "不適合はありません。", "No failures."},
    {"no_unknowns", "判定できなかった確認はありません。", "Every check could be judged."},
    {"no_problems", "情報収集の問題はありません。", "No collection problems."},
    {"other_items", "(チェック項目なし)", "(no checklist item)"},
    {"live", "稼働中のシステム", "live system"},
    {"offline", "オフライン (--root)", "offline (--root)"},
    {"scope", "対象機器", "Scope"},
    {"checked", "確認件数", "Subjects checked"},
};

const char *render_label(const char *key, const char *lang)
{
	bool ja = !lang || strcmp(lang, "ja") == 0;
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
		if (strcmp(labels[i].key, key) == 0)
			return ja ? labels[i].ja : labels[i].en;
	return key;
}

const char *render_answer(const char *answer, const char *lang)
{
	static const char *const answers[] = {"yes", "no", "unknown", "organisational"};
	for (size_t i = 0; answer && i < ARRAY_SIZE(answers); i++)
		if (strcmp(answer, answers[i]) == 0)
			return render_label(answer, lang);
	return answer ? answer : render_label("unknown", lang);
}

const char *render_i18n(const json_t *v, const char *lang)
{
	if (json_is_string(v))
		return json_string_value(v);
	bool ja = !lang || strcmp(lang, "ja") == 0;
	const char *first = json_string_value(json_object_get(v, ja ? "ja" : "en"));
	return first ? first : json_string_value(json_object_get(v, ja ? "en" : "ja"));
}

/* Shown as an escape instead of as itself: control characters (a
 * planted ESC sequence rewrites the terminal), and characters that
 * reorder or break the displayed text (Trojan Source). */
static bool cp_unsafe(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
	       c == 0x200f || c == 0x061c;
}

static char *sanitize(const char *s, bool keep_lines)
{
	if (!s)
		return strdup("");
	size_t n = strlen(s);
	const unsigned char *u = (const unsigned char *)s;
	struct strbuf sb;
	strbuf_init(&sb, n * 4 + 1);
	int r = strbuf_append(&sb, "", 0);
	for (size_t i = 0; i < n && r == 0;) {
		uint32_t c;
		size_t l = utf8_decode(u + i, n - i, &c);
		if (!l)
			r = strbuf_printf(&sb, "\\x%02x", u[i]);
		else if (keep_lines && (c == '\t' || c == '\r' || c == '\n'))
			r = strbuf_append(&sb, s + i, l);
		else if (c < 0x80 && cp_unsafe(c))
			r = strbuf_printf(&sb, "\\x%02x", (unsigned)c);
		else if (cp_unsafe(c))
			r = strbuf_printf(&sb, "\\u%04x", (unsigned)c);
		else
			r = strbuf_append(&sb, s + i, l);
		i += l ? l : 1;
	}
	if (r < 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

char *sanitize_text(const char *s)
{
	return sanitize(s, false);
}

char *sanitize_multiline(const char *s)
{
	return sanitize(s, true);
}

/* ---- values ---- */

/* A bilingual message {"ja": "...", "en": "..."}: shown in one language. */
static bool is_i18n(const json_t *v)
{
	return json_is_object(v) && json_object_size(v) == 2 &&
	       json_is_string(json_object_get(v, "ja")) && json_is_string(json_object_get(v, "en"));
}

static bool is_scalar(const json_t *v)
{
	return is_i18n(v) || (!json_is_array(v) && !json_is_object(v));
}

static char *join_scalars(const json_t *arr, const char *lang)
{
	struct strbuf sb;
	strbuf_init(&sb, 16u << 20);
	int r = strbuf_append(&sb, "", 0);
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		_cleanup_free_ char *t = render_value(e, lang);
		if (!t || r < 0)
			break;
		r = strbuf_printf(&sb, "%s%s", i ? ", " : "", t);
	}
	if (r < 0 || i < json_array_size(arr)) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

char *render_value(const json_t *v, const char *lang)
{
	if (!v || json_is_null(v))
		return strdup(render_label("unknown", lang));
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (is_i18n(v))
		return strdup(render_i18n(v, lang));
	if (json_is_array(v)) {
		bool flat = true;
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			flat = flat && is_scalar(e);
		if (json_array_size(v) == 0)
			return strdup(render_label("none", lang));
		if (flat)
			return join_scalars(v, lang);
	}
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* ---- ordering findings ---- */

int render_severity_rank(const char *sev)
{
	static const char *const order[] = {"high", "medium", "low", "info"};
	for (size_t i = 0; sev && i < ARRAY_SIZE(order); i++)
		if (strcmp(sev, order[i]) == 0)
			return (int)i;
	return (int)ARRAY_SIZE(order);
}

/* "2(4)" before "2(10)": digit runs compare as numbers. */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			char *ea, *eb;
			unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static const char *str_or_empty(const json_t *v)
{
	const char *s = json_string_value(v);
	return s ? s : "";
}

static int finding_cmp(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	const char *ia = str_or_empty(json_array_get(json_object_get(a, "checklist"), 0));
	const char *ib = str_or_empty(json_array_get(json_object_get(b, "checklist"), 0));
	if (!*ia != !*ib)
		return *ia ? -1 : 1; /* findings without an item last */
	int c = natural_cmp(ia, ib);
	if (c)
		return c;
	c = render_severity_rank(json_string_value(json_object_get(a, "severity"))) -
	    render_severity_rank(json_string_value(json_object_get(b, "severity")));
	if (c)
		return c;
	c = strcmp(str_or_empty(json_object_get(a, "subject")),
		   str_or_empty(json_object_get(b, "subject")));
	return c ? c
		 : strcmp(str_or_empty(json_object_get(a, "rule")),
			  str_or_empty(json_object_get(b, "rule")));
}

json_t *render_findings_sorted(const json_t *report, const char *status)
{
	const json_t *all = json_object_get(report, "findings");
	size_t n = json_array_size(all), k = 0;
	_cleanup_free_ json_t **v = calloc(n ? n : 1, sizeof(*v));
	json_t *out = json_array();
	if (!v || !out) {
		json_decref(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_array_get(all, i);
		if (strcmp(str_or_empty(json_object_get(f, "status")), status) == 0)
			v[k++] = f;
	}
	qsort(v, k, sizeof(*v), finding_cmp);
	for (size_t i = 0; i < k; i++)
		json_array_append(out, v[i]);
	return out;
}

char *render_checked(const json_t *f, const char *lang)
{
	const json_t *n = json_object_get(json_object_get(f, "evidence"), "checked");
	bool ja = !lang || strcmp(lang, "ja") == 0;
	char *s = NULL;

	if (!json_is_integer(n))
		return NULL;
	long long v = (long long)json_integer_value(n);
	if (ja ? asprintf(&s, "%lld 件を確認", v) < 0
	       : asprintf(&s, "%lld subject%s checked", v, v == 1 ? "" : "s") < 0)
		return NULL;
	return s;
}

char *render_privilege_notice(const json_t *report, const char *lang)
{
	const json_t *scan = json_object_get(report, "scan");
	const json_t *priv = json_object_get(scan, "privileged");
	long long n = (long long)json_integer_value(
	    json_object_get(json_object_get(report, "summary"), "unknown"));
	bool ja = !lang || strcmp(lang, "ja") == 0;
	char *s = NULL;

	if (!json_is_false(priv))
		return NULL;
	if (ja ? asprintf(&s, "root で実行してください: %lld 件の項目を判定できませんでした", n) < 0
	       : asprintf(&s, "run as root: %lld check%s could not be judged", n,
			  n == 1 ? "" : "s") < 0)
		return NULL;
	return s;
}

/* ---- groups of one rule's findings ---- */

static const char *rule_of(const json_t *f)
{
	return str_or_empty(json_object_get(f, "rule"));
}

json_t *render_group_rules(const json_t *list)
{
	json_t *rules = json_array(), *seen = json_object();
	size_t i;
	json_t *f;
	if (!rules || !seen) {
		json_decref(rules);
		json_decref(seen);
		return NULL;
	}
	json_array_foreach(list, i, f) {
		if (json_object_get(seen, rule_of(f)))
			continue;
		json_object_set_new(seen, rule_of(f), json_true());
		json_array_append_new(rules, json_string(rule_of(f)));
	}
	json_decref(seen);
	return rules;
}

json_t *render_group_members(const json_t *list, const char *rule)
{
	json_t *g = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
		if (g && strcmp(rule_of(f), rule ? rule : "") == 0)
			json_array_append(g, f);
	return g;
}

bool render_group_same(const json_t *group, const char *key)
{
	const json_t *first = json_object_get(json_array_get(group, 0), key);
	size_t i;
	json_t *f;
	json_array_foreach(group, i, f) {
		const json_t *v = json_object_get(f, key);
		if (!first != !v || (v && !json_equal(first, v)))
			return false;
	}
	return true;
}

bool render_group_same_evidence(const json_t *group, const char *key)
{
	const json_t *first =
	    json_object_get(json_object_get(json_array_get(group, 0), "evidence"), key);
	size_t i;
	json_t *f;
	json_array_foreach(group, i, f) {
		const json_t *v = json_object_get(json_object_get(f, "evidence"), key);
		if (!first != !v || (v && !json_equal(first, v)))
			return false;
	}
	return true;
}

json_t *render_group_columns(const json_t *group)
{
	json_t *cols = json_array(), *seen = json_object();
	size_t i;
	json_t *f, *v;
	const char *k;
	if (!cols || !seen) {
		json_decref(cols);
		json_decref(seen);
		return NULL;
	}
	json_array_foreach(group, i, f)
		json_object_foreach(json_object_get(f, "evidence"), k, v) {
			if (json_object_get(seen, k))
				continue;
			json_object_set_new(seen, k, json_true());
			json_array_append_new(cols, json_string(k));
		}
	json_decref(seen);
	return cols;
}

void html_escape_to(FILE *out, const char *clean)
{
	for (const char *p = clean; *p;) {
		size_t run = strcspn(p, "&<>\"'");
		fwrite(p, 1, run, out);
		p += run;
		const char *e = *p == '&'    ? "&amp;"
				: *p == '<'  ? "&lt;"
				: *p == '>'  ? "&gt;"
				: *p == '"'  ? "&quot;"
				: *p == '\'' ? "&#39;"
					     : NULL;
		if (!e)
			break;
		fputs(e, out);
		p++;
	}
}
