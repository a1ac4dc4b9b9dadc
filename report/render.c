/* render.c - what the text, CSV and HTML renderers share: the bilingual
 * label table, safe display of hostile strings (control characters,
 * bidi overrides, invalid UTF-8), terminal display width, reading values
 * out of a report and ordering findings. */
#include <stdio.h>
#include <string.h>
#include "report/render.h"
#include "scanner/util.h"

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

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s (1-4) and its code point, or 0
 * if the bytes there are not one (overlong, surrogate, > U+10FFFF, cut). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len = s[0] >= 0xc2 && s[0] <= 0xdf   ? 2
		     : s[0] >= 0xe0 && s[0] <= 0xef ? 3
		     : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
						    : 0;
	if (len == 0 || len > n)
		return 0;
	uint32_t c = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

struct cp_range {
	uint32_t lo, hi;
};

static bool in_ranges(uint32_t c, const struct cp_range *r, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c < r[mid].lo)
			hi = mid;
		else if (c > r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* East Asian Width W and F (Unicode 14, from EastAsianWidth.txt with
 * unassigned code points bridged), plus the rest of planes 2 and 3. */
static const struct cp_range wide[] = {
    {0x1100, 0x115F},	{0x231A, 0x231B},   {0x2329, 0x232A},	{0x23E9, 0x23EC},
    {0x23F0, 0x23F0},	{0x23F3, 0x23F3},   {0x25FD, 0x25FE},	{0x2614, 0x2615},
    {0x2648, 0x2653},	{0x267F, 0x267F},   {0x2693, 0x2693},	{0x26A1, 0x26A1},
    {0x26AA, 0x26AB},	{0x26BD, 0x26BE},   {0x26C4, 0x26C5},	{0x26CE, 0x26CE},
    {0x26D4, 0x26D4},	{0x26EA, 0x26EA},   {0x26F2, 0x26F3},	{0x26F5, 0x26F5},
    {0x26FA, 0x26FA},	{0x26FD, 0x26FD},   {0x2705, 0x2705},	{0x270A, 0x270B},
    {0x2728, 0x2728},	{0x274C, 0x274C},   {0x274E, 0x274E},	{0x2753, 0x2755},
    {0x2757, 0x2757},	{0x2795, 0x2797},   {0x27B0, 0x27B0},	{0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},	{0x2B50, 0x2B50},   {0x2B55, 0x2B55},	{0x2E80, 0x303E},
    {0x3041, 0x3247},	{0x3250, 0x4DBF},   {0x4E00, 0xA4C6},	{0xA960, 0xA97C},
    {0xAC00, 0xD7A3},	{0xF900, 0xFAD9},   {0xFE10, 0xFE19},	{0xFE30, 0xFE6B},
    {0xFF01, 0xFF60},	{0xFFE0, 0xFFE6},   {0x16FE0, 0x1B2FB}, {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F320},
    {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA},
    {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E},
    {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E},
    {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4},
    {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2},
    {0x1F6D5, 0x1F6DF}, {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7F0},
    {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAF6},
    {0x20000, 0x3FFFD},
};

/* Characters that take no column: the common combining marks (including
 * the kana voicing marks), Hangul medial/final jamo, zero-width and
 * formatting characters, variation selectors. */
static const struct cp_range zero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x1160, 0x11FF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x206F}, {0x20D0, 0x20FF}, {0x302A, 0x302D},
    {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0000, 0xE0FFF},
};

static size_t cp_width(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return 0;
	if (in_ranges(c, zero, ARRAY_SIZE(zero)))
		return 0;
	return in_ranges(c, wide, ARRAY_SIZE(wide)) ? 2 : 1;
}

size_t utf8_width(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t l = utf8_decode(u + i, n - i, &c);
		w += l ? cp_width(c) : 1;
		i += l ? l : 1;
	}
	return w;
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
