/* test_render.c - the text, CSV and HTML renderers over a hand-written
 * report, in both languages: the order of sections, the exact Japanese
 * labels, evidence, alignment by display width, and the neutralising of
 * hostile strings (terminal escapes, <script>, spreadsheet formulas). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "report/render.h"

/* A report as scan.c writes it; the hostile strings stand for what a
 * scanned host can plant (hostname, gecos, file names). */
static const char report_json[] =
    "{\"format\":\"tenken-report\",\"format_version\":1,"
    "\"tool\":{\"name\":\"tenken\",\"version\":\"0.1.0\"},"
    "\"scan\":{\"started_at\":\"2026-03-01T08:00:00Z\",\"finished_at\":\"2026-03-01T08:00:01Z\","
    "\"duration_ms\":41,\"now\":\"2026-03-01T08:00:00Z\",\"root\":\"/\",\"mode\":\"live\","
    "\"probes\":[{\"name\":\"system\",\"status\":\"ok\",\"duration_ms\":1,\"messages\":[]},"
    "{\"name\":\"accounts\",\"status\":\"partial\",\"duration_ms\":2,\"messages\":["
    "{\"ja\":\"/etc/shadow: 読み取り権限がありません\",\"en\":\"/etc/shadow: permission "
    "denied\"}]}]},"
    "\"host\":{\"hostname\":\"ward3-pc01<script>alert(1)</script>\\u001b]0;owned\\u0007\","
    "\"machine_id\":\"0123456789abcdef0123456789abcdef\","
    "\"os\":{\"id\":\"debian\",\"version_id\":\"12\","
    "\"pretty_name\":\"Debian GNU/Linux 12 (bookworm)\"},\"kernel\":\"6.1.0-18-amd64\","
    "\"arch\":\"x86_64\",\"addresses\":[{\"interface\":\"eth0\",\"mac\":\"52:54:00:ab:cd:ef\","
    "\"ipv4\":[\"192.0.2.10\"],\"ipv6\":[\"2001:db8::10\"]}],"
    "\"hardware\":{\"sys_vendor\":\"FUJITSU\",\"product_name\":\"ESPRIMO D7010\"}},"
    "\"baseline\":{\"name\":\"ward3\",\"profile\":\"terminal\",\"sha256\":\"ab\"},"
    "\"checklist_edition\":\"r6\",\"inventory\":{},"
    "\"findings\":["
    "{\"rule\":\"accounts.inactive\",\"checklist\":[\"2(5)\"],\"status\":\"fail\","
    "\"severity\":\"medium\",\"subject\":\"account:taro\","
    "\"message\":{\"ja\":\"taro は 266 日間ログインしていません\","
    "\"en\":\"taro has not logged in for 266 days\"},"
    "\"evidence\":{\"last_login\":\"2025-06-08T08:12:00Z\",\"inactive_days\":266,"
    "\"groups\":[\"sudo\",\"users\"]},"
    "\"remediation\":{\"ja\":\"不要なら削除する\",\"en\":\"delete it if unused\"}},"
    "{\"rule\":\"accounts.uid0\",\"checklist\":[\"2(4)\",\"2(5)\"],\"status\":\"fail\","
    "\"severity\":\"high\",\"subject\":\"account:=HYPERLINK(\\\"http://x\\\")\","
    "\"message\":{\"ja\":\"UID 0 のアカウント \\\"evil\\\", 管理者\\n\\u009b2J\\u202etxt\","
    "\"en\":\"account \\\"evil\\\", with UID 0\\n\\u009b2J\\u202etxt\"},"
    "\"evidence\":{\"uid\":0,\"gecos\":\"<img src=x>\\u001b[2J\"},"
    "\"remediation\":{\"ja\":\"UID を変更する\",\"en\":\"change the UID\"}},"
    "{\"rule\":\"logging.auditd\",\"checklist\":[\"2(6)\"],\"status\":\"unknown\","
    "\"severity\":\"medium\",\"subject\":\"log:auditd\","
    "\"message\":{\"ja\":\"auditd の状態を読み取れません (権限不足)\","
    "\"en\":\"auditd state could not be read (permission denied)\"},\"evidence\":{}},"
    "{\"rule\":\"accounts.empty_password\",\"checklist\":[\"2(5)\"],\"status\":\"pass\","
    "\"severity\":\"high\",\"subject\":\"host\",\"message\":{\"ja\":\"空のパスワードはありません\","
    "\"en\":\"no empty passwords\"},\"evidence\":{}},"
    "{\"rule\":\"+misc.negative\",\"checklist\":[],\"status\":\"fail\",\"severity\":\"low\","
    "\"subject\":\"-1+2\",\"message\":{\"ja\":\"=SUM(A1)\",\"en\":\"@SUM(A1)\"},\"evidence\":{}}"
    "],"
    "\"checklist\":["
    "{\"item\":\"2(4)\",\"answer\":\"no\",\"title\":{\"ja\":"
    "\"利用者の職種・担当業務別の情報区分毎のアクセス利用権限を設定している\","
    "\"en\":\"Access rights are set per job role and information "
    "class\"},\"fail\":1,\"pass\":3,\"unknown\":0},"
    "{\"item\":\"2(5)\",\"answer\":\"no\",\"title\":{\"ja\":\"不要なアカウントを削除している\","
    "\"en\":\"Unneeded accounts are deleted\"},\"fail\":2,\"pass\":5,\"unknown\":0},"
    "{\"item\":\"2(6)\",\"answer\":\"unknown\",\"title\":{\"ja\":\"アクセスログを管理している\","
    "\"en\":\"Access logs are managed\"},\"fail\":0,\"pass\":0,\"unknown\":1},"
    "{\"item\":\"2(8)\",\"answer\":\"organisational\",\"title\":{\"ja\":"
    "\"接続元制限を実施している\","
    "\"en\":\"Connection sources are restricted\"},\"fail\":0,\"pass\":0,\"unknown\":0},"
    "{\"item\":\"2(9)\",\"answer\":\"yes\",\"title\":{\"ja\":\"不要なサービスを停止している\","
    "\"en\":\"Unneeded services are stopped\"},\"fail\":0,\"pass\":4,\"unknown\":0}"
    "],"
    "\"summary\":{\"fail\":3,\"pass\":12,\"unknown\":1}}";

static json_t *load_report(void)
{
	json_error_t e;
	json_t *r = json_loads(report_json, 0, &e);
	if (!r)
		fail_msg("report_json: %s at %d", e.text, e.position);
	return r;
}

/* Render into a string (new). */
static char *render(int which, const char *lang, bool color, int *ret)
{
	json_t *rep = load_report();
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	assert_non_null(f);
	*ret = which == 0   ? render_text(rep, lang, color, f)
	       : which == 1 ? render_csv(rep, lang, f)
			    : render_html(rep, lang, f);
	fclose(f);
	json_decref(rep);
	return data;
}

/* No byte that a terminal would act on: C0 except LF, DEL, C1 (as
 * UTF-8 C2 80..9F), and no bidi override U+202E. ESC is allowed only as
 * the start of an SGR colour sequence when allow_sgr. */
static void assert_inert(const char *s, bool allow_sgr)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; u[i]; i++) {
		if (u[i] == 0x1b && allow_sgr) {
			size_t j = i + 1;
			assert_int_equal(u[j], '[');
			for (j++; (u[j] >= '0' && u[j] <= '9') || u[j] == ';'; j++)
				;
			assert_int_equal(u[j], 'm');
			continue;
		}
		if (u[i] < 0x20 && u[i] != '\n' && !(u[i] == '\r' && u[i + 1] == '\n'))
			fail_msg("control byte 0x%02x at %zu", u[i], i);
		assert_int_not_equal(u[i], 0x7f);
		if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			fail_msg("C1 control at %zu", i);
		if (u[i] == 0xe2 && u[i + 1] == 0x80 && u[i + 2] == 0xae)
			fail_msg("U+202E at %zu", i);
	}
}

static const char *after(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	if (!p)
		fail_msg("missing: %s", needle);
	return p;
}

/* ---- shared helpers ---- */

static void test_display_width(void **state)
{
	static const struct {
		const char *s;
		size_t width;
	} cases[] = {
	    {"", 0},
	    {"abc", 3},
	    {"日本語", 6},
	    {"2(5)  いいえ", 12},
	    {"不要なアカウントを削除している", 30},
	    {"ｱｲｳ", 3},		   /* halfwidth katakana */
	    {"ＡＢ", 4},	   /* fullwidth latin */
	    {"\xe3\x80\x80", 2},   /* ideographic space */
	    {"か\xe3\x82\x99", 2}, /* か + combining voiced mark */
	    {"e\xcc\x81", 1},	   /* e + combining acute */
	    {"é", 1},
	    {"\xf0\x9f\x98\x80", 2}, /* emoji */
	    {"\xf0\xa0\x80\x8b", 2}, /* CJK extension B */
	    {"①", 1},		     /* East Asian Ambiguous: narrow */
	    {"\xff", 1},	     /* invalid byte */
	    {"\xe6\x97", 2},	     /* truncated sequence: two bytes */
	    {"a\xe2\x80\x8b"
	     "b",
	     2}, /* zero-width space */
	    {"fail 2 / 不適合 2", 17},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t w = utf8_width(cases[i].s, strlen(cases[i].s));
		if (w != cases[i].width)
			fail_msg("width of case %zu: %zu, want %zu", i, w, cases[i].width);
	}
}

static void test_sanitize(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain", "plain"},
	    {"日本語", "日本語"},
	    {"\x1b[31mred", "\\x1b[31mred"},
	    {"a\tb\r\nc", "a\\x09b\\x0d\\x0ac"},
	    {"del\x7f", "del\\x7f"},
	    {"c1\xc2\x9b"
	     "2J",
	     "c1\\u009b2J"},
	    {"bidi\xe2\x80\xae"
	     "txt",
	     "bidi\\u202etxt"},
	    {"isolate\xe2\x81\xa6", "isolate\\u2066"},
	    {"bad\xff\xfe", "bad\\xff\\xfe"},
	    {"over\xc0\xaf", "over\\xc0\\xaf"},		 /* overlong '/' */
	    {"surr\xed\xa0\x80", "surr\\xed\\xa0\\x80"}, /* UTF-16 surrogate */
	    {"back\\slash", "back\\slash"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = sanitize_text(cases[i].in);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
	char *s = sanitize_text(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_labels_and_values(void **state)
{
	assert_string_equal(render_answer("yes", "ja"), "はい");
	assert_string_equal(render_answer("no", "ja"), "いいえ");
	assert_string_equal(render_answer("unknown", "ja"), "不明");
	assert_string_equal(render_answer("organisational", "ja"), "組織的対応");
	assert_string_equal(render_answer("yes", "en"), "yes");
	assert_string_equal(render_answer("no", "en"), "no");
	assert_string_equal(render_answer("organisational", "en"), "organisational");
	assert_string_equal(render_answer("bogus", "ja"), "bogus");
	assert_string_equal(render_label("fail", "ja"), "不適合");
	assert_string_equal(render_label("no-such-key", "ja"), "no-such-key");

	json_t *m = json_pack("{s:s,s:s}", "ja", "日本語", "en", "English");
	assert_string_equal(render_i18n(m, "ja"), "日本語");
	assert_string_equal(render_i18n(m, "en"), "English");
	json_object_del(m, "en");
	assert_string_equal(render_i18n(m, "en"), "日本語"); /* falls back */
	json_decref(m);

	static const struct {
		const char *json, *text_ja;
	} cases[] = {
	    {"\"s\"", "s"},
	    {"42", "42"},
	    {"true", "true"},
	    {"null", "不明"},
	    {"[]", "なし"},
	    {"[\"a\",1,null]", "a, 1, 不明"},
	    {"{\"k\":1}", "{\"k\":1}"},
	    {"[[1]]", "[[1]]"},
	    {"[{\"ja\":\"日本語\",\"en\":\"English\"},\"x\"]", "日本語, x"},
	    {"{\"ja\":\"a\",\"en\":\"b\",\"x\":1}", "{\"ja\":\"a\",\"en\":\"b\",\"x\":1}"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
		char *t = render_value(v, "ja");
		assert_string_equal(t, cases[i].text_ja);
		free(t);
		json_decref(v);
	}
}

/* ---- text ---- */

/* The display column where needle starts on the line that holds it. */
static size_t column_of(const char *text, const char *needle)
{
	const char *p = after(text, needle), *bol = p;
	while (bol > text && bol[-1] != '\n')
		bol--;
	return utf8_width(bol, (size_t)(p - bol));
}

static void test_text_ja(void **state)
{
	int r;
	char *t = render(0, "ja", false, &r);
	assert_int_equal(r, 0);
	assert_inert(t, false);
	/* Answers first, then failures, unknowns, probes, summary. */
	const char *answers = after(t, "チェックリスト回答");
	const char *fails = after(t, "不適合 (「いいえ」の根拠)");
	const char *unknowns = after(t, "判定できなかった確認 (不明) と理由");
	const char *probes = after(t, "情報収集の問題");
	const char *summary = after(t, "合計: 不適合 3 / 適合 12 / 不明 1");
	assert_true(answers < fails && fails < unknowns && unknowns < probes && probes < summary);
	/* The checklist line: item, answer, title, counts. */
	after(t, "  2(5)  いいえ      不要なアカウントを削除している");
	after(t, "不適合 2 / 適合 5 / 不明 0\n");
	after(t, "  2(9)  はい        不要なサービスを停止している");
	after(t, "  2(6)  不明        アクセスログを管理している");
	after(t, "  2(8)  組織的対応  接続元制限を実施している");
	/* Columns line up by display width, not bytes. */
	size_t c5 = column_of(answers, "不適合 2 / 適合 5"),
	       c9 = column_of(answers, "不適合 0 / 適合 4");
	size_t c6 = column_of(answers, "不適合 0 / 適合 0 / 不明 1");
	assert_int_equal(c5, c9);
	assert_int_equal(c5, c6);
	/* A title wider than the column wraps under itself. */
	after(answers, "利用者の職種・担当業務別の情報区分毎のアクセ  不適合 1 / 適合 3 / 不明 0\n"
		       "                    ス利用権限を設定している\n");
	assert_int_equal(column_of(answers, "不適合 1 / 適合 3"), c5);
	/* Failures by item, high severity first; a finding answering two
	 * items shows under both. */
	const char *g5 = after(fails, "[2(5)] 不要なアカウントを削除している");
	const char *high = after(g5, "[高] account:=HYPERLINK");
	const char *med = after(g5, "[中] account:taro  (accounts.inactive)");
	assert_true(high < med);
	after(fails, "[2(4)] 利用者の職種");
	after(med, "taro は 266 日間ログインしていません");
	after(med, "根拠:\n        last_login: 2025-06-08T08:12:00Z\n        inactive_days: 266\n"
		   "        groups: sudo, users\n");
	after(med, "対処: 不要なら削除する");
	after(fails, "(チェック項目なし)");
	/* Hostile text is shown escaped, never obeyed. */
	after(t, "\\x1b]0;owned\\x07");
	after(t, "\\x0a\\u009b2J\\u202etxt");
	after(t, "gecos: <img src=x>\\x1b[2J");
	/* Unknowns carry their reason; only probes that are not ok. */
	after(unknowns, "log:auditd");
	after(unknowns, "auditd の状態を読み取れません (権限不足)");
	after(probes, "accounts: 一部のみ\n    /etc/shadow: 読み取り権限がありません");
	assert_null(strstr(probes, "system:"));
	/* Header. */
	after(t, "ホスト名");
	after(t, "Debian GNU/Linux 12 (bookworm)");
	after(t, "eth0  52:54:00:ab:cd:ef  IPv4: 192.0.2.10  IPv6: 2001:db8::10");
	after(t, "ward3 (プロファイル: terminal)");
	free(t);
}

static void test_text_en_color(void **state)
{
	int r;
	char *t = render(0, "en", true, &r);
	assert_int_equal(r, 0);
	assert_inert(t, true);
	after(t, "Checklist answers");
	after(t, "2(5)  \033[1;31mno\033[0m");
	after(t, "2(9)  \033[32myes\033[0m");
	after(t, "fail 2 / pass 5 / unknown 0");
	after(t, "taro has not logged in for 266 days");
	after(t, "Remediation: delete it if unused");
	after(t, "\033[1maccounts\033[0m: \033[33mpartial\033[0m");
	after(t, "Summary: fail 3 / pass 12 / unknown 1");
	assert_null(strstr(t, "いいえ"));
	free(t);
	/* Without colour there is no ESC at all. */
	t = render(0, "en", false, &r);
	assert_null(strchr(t, 0x1b));
	free(t);
}

static void test_text_wrap(void **state)
{
	/* 22 wide characters fill the 44-column title; the "。" after them
	 * must not start a line, so "る" moves down with it. English breaks
	 * at spaces and leaves no trailing blank. */
	json_t *rep = json_loads(
	    "{\"checklist\":[{\"item\":\"2(1)\",\"answer\":\"yes\",\"fail\":0,\"pass\":1,"
	    "\"unknown\":0,\"title\":{\"ja\":\"サーバ端末機器の台帳管理を確実に毎年行っている。\","
	    "\"en\":\"A ledger of servers, terminal PCs and network equipment is kept up to "
	    "date.\"}}]}",
	    0, NULL);
	assert_non_null(rep);
	for (int en = 0; en < 2; en++) {
		char *data = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&data, &len);
		assert_int_equal(render_text(rep, en ? "en" : "ja", false, f), 0);
		fclose(f);
		if (!en) {
			after(data, "  2(1)  はい  サーバ端末機器の台帳管理を確実に毎年行ってい  "
				    "不適合 0 / 適合 1 / 不明 0\n              る。\n");
			assert_null(strstr(data, "\n              。"));
		} else {
			after(data,
			      "  2(1)  yes  A ledger of servers, terminal PCs and         "
			      "fail 0 / pass 1 / unknown 0\n             network equipment is kept "
			      "up to date.\n");
			assert_null(strstr(data, " \n"));
		}
		free(data);
	}
	json_decref(rep);
}

/* ---- CSV ---- */

/* A small RFC 4180 reader: the fields of record n (0 = header) as a new
 * NULL-terminated array, or NULL past the end. */
static char **csv_record(const char *s, size_t n)
{
	static char *fields[16];
	static char store[8192];
	size_t rec = 0, nf = 0, o = 0;
	bool q = false;
	fields[0] = store;
	for (const char *p = s;; p++) {
		if (!*p) {
			return NULL;
		} else if (q && *p == '"' && p[1] == '"') {
			if (rec == n)
				store[o++] = '"';
			p++;
		} else if (*p == '"') {
			q = !q;
		} else if (!q && (*p == ',' || (*p == '\r' && p[1] == '\n'))) {
			if (rec == n) {
				store[o++] = '\0';
				fields[++nf] = store + o;
			}
			if (*p == '\r') {
				p++;
				if (rec++ == n) {
					fields[nf] = NULL;
					return fields;
				}
			}
		} else if (rec == n) {
			store[o++] = *p;
		}
	}
}

static void test_csv(void **state)
{
	int r;
	char *c = render(1, "ja", false, &r);
	assert_int_equal(r, 0);
	assert_memory_equal(c, "\xef\xbb\xbf", 3); /* BOM for Japanese spreadsheets */
	char **f = csv_record(c + 3, 0);
	static const char *const header[] = {"ホスト名",     "ルール", "結果", "重要度",  "対象",
					     "チェック項目", "内容",   "根拠", "確認件数"};
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(f[i], header[i]);
	assert_null(f[9]);
	/* Failures first (by item, then severity), then unknown, then pass. */
	f = csv_record(c + 3, 1);
	assert_string_equal(f[1], "accounts.uid0");
	assert_string_equal(f[2], "fail");
	assert_string_equal(f[3], "high");
	/* Not at the start of the field: not a formula, left alone. */
	assert_string_equal(f[4], "account:=HYPERLINK(\"http://x\")");
	assert_string_equal(f[5], "2(4) 2(5)");
	/* Quote, comma and LF are carried by quoting; C1 and bidi escaped. */
	assert_string_equal(f[6], "UID 0 のアカウント \"evil\", 管理者\n\\u009b2J\\u202etxt");
	assert_string_equal(f[7], "{\"uid\":0,\"gecos\":\"<img src=x>\\u001B[2J\"}");
	/* The hostname itself holds an ESC and a BEL: escaped, as text. */
	assert_non_null(strstr(f[0], "\\x1b]0;owned\\x07"));
	f = csv_record(c + 3, 2);
	assert_string_equal(f[4], "account:taro");
	assert_string_equal(f[6], "taro は 266 日間ログインしていません");
	assert_string_equal(f[7], "{\"last_login\":\"2025-06-08T08:12:00Z\",\"inactive_days\":266,"
				  "\"groups\":[\"sudo\",\"users\"]}");
	f = csv_record(c + 3, 3); /* formulas neutralised */
	assert_string_equal(f[1], "'+misc.negative");
	assert_string_equal(f[4], "'-1+2");
	assert_string_equal(f[5], "");
	assert_string_equal(f[6], "'=SUM(A1)");
	f = csv_record(c + 3, 4);
	assert_string_equal(f[2], "unknown");
	f = csv_record(c + 3, 5);
	assert_string_equal(f[2], "pass");
	assert_null(csv_record(c + 3, 6));
	/* Raw bytes: quoted fields, doubled quotes, CRLF record ends. */
	assert_non_null(strstr(c, ",\"account:=HYPERLINK(\"\"http://x\"\")\","));
	assert_non_null(strstr(c, ",\"'-1+2\","));
	assert_non_null(strstr(c, "\"\"]}\",\r\n")); /* then an empty count */
	free(c);

	c = render(1, "en", false, &r);
	assert_int_equal(r, 0);
	static const char en_header[] = "Host name,Rule,Status,Severity,Subject,Checklist items,"
					"Message,Evidence,Subjects checked\r\n";
	assert_memory_equal(c, en_header, sizeof(en_header) - 1); /* and no BOM */
	free(c);
}

/* ---- HTML ---- */

static void test_html(void **state)
{
	int r;
	char *h = render(2, "ja", false, &r);
	assert_int_equal(r, 0);
	assert_inert(h, false);
	assert_true(strncmp(h, "<!DOCTYPE html>\n<html lang=\"ja\">", 32) == 0);
	after(h, "<meta charset=\"utf-8\">");
	after(h, "default-src 'none'");
	/* Self-contained: no script, no external resource. */
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<img"));
	assert_null(strstr(h, "<link"));
	assert_null(strstr(h, "src=\""));
	assert_null(strstr(h, "href"));
	assert_null(strstr(h, "url("));
	after(h, "ward3-pc01&lt;script&gt;alert(1)&lt;/script&gt;\\x1b]0;owned\\x07");
	after(h, "&lt;img src=x&gt;\\x1b[2J");
	after(h, "account:=HYPERLINK(&quot;http://x&quot;)");
	/* Checklist table first, coloured answers, then the sections. */
	const char *cl = after(h, "<section id=\"checklist\"><h2>チェックリスト回答</h2>");
	const char *fl = after(h, "<section id=\"fail\">");
	const char *un = after(h, "<section id=\"unknown\">");
	const char *ps = after(h, "<section id=\"pass\">");
	const char *pr = after(h, "<section id=\"probes\">");
	const char *sm = after(h, "<section id=\"summary\">");
	assert_true(cl < fl && fl < un && un < ps && ps < pr && pr < sm);
	after(cl, "<td>2(5)</td><td class=\"ans "
		  "ans-no\">いいえ</td><td>不要なアカウントを削除している</td>"
		  "<td class=\"num\">2</td><td class=\"num\">5</td><td class=\"num\">0</td>");
	after(cl, "<td class=\"ans ans-yes\">はい</td>");
	after(cl, "<td class=\"ans ans-unknown\">不明</td>");
	after(cl, "<td class=\"ans ans-organisational\">組織的対応</td>");
	/* Findings with evidence; high before medium. */
	const char *hi = after(fl, "<div class=\"finding sev-high\">");
	const char *me = after(fl, "<div class=\"finding sev-medium\">");
	assert_true(hi < me);
	after(me, "<dt>last_login</dt><dd>2025-06-08T08:12:00Z</dd>");
	after(me, "<dt>groups</dt><dd>sudo, users</dd>");
	after(me, "<b>対処:</b> 不要なら削除する");
	after(un, "auditd の状態を読み取れません");
	after(pr, "<td>accounts</td><td class=\"st-partial\">一部のみ</td>");
	after(pr, "/etc/shadow: 読み取り権限がありません");
	after(h, "@page{size:A4");
	after(h, "@media print");
	free(h);

	h = render(2, "en", false, &r);
	assert_int_equal(r, 0);
	after(h, "<html lang=\"en\">");
	after(h, "<td class=\"ans ans-no\">no</td>");
	after(h, "Remediation:</b> delete it if unused");
	assert_null(strstr(h, "いいえ"));
	free(h);
}

/* ---- robustness ---- */

static int render_doc(int which, const char *json, FILE *out)
{
	json_t *rep = json_loads(json, JSON_DECODE_ANY, NULL);
	assert_non_null(rep);
	int r = which == 0   ? render_text(rep, "ja", true, out)
		: which == 1 ? render_csv(rep, "ja", out)
			     : render_html(rep, "ja", out);
	json_decref(rep);
	return r;
}

static void test_malformed_reports(void **state)
{
	/* Missing sections and wrong types render as unknown, never crash. */
	static const char *const docs[] = {
	    "{}",
	    "{\"findings\":\"x\",\"checklist\":5,\"scan\":[],\"host\":null,\"summary\":\"s\"}",
	    "{\"findings\":[1,null,{\"status\":\"fail\",\"checklist\":[1,{}],\"evidence\":[1]}],"
	    "\"checklist\":[{\"item\":7,\"answer\":{}},{}],"
	    "\"scan\":{\"probes\":[{\"messages\":[5,{\"xx\":1}]},\"p\"]},"
	    "\"host\":{\"addresses\":[{\"ipv4\":null},3],\"os\":\"linux\"}}",
	};
	for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
		for (int which = 0; which < 3; which++) {
			char *data = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&data, &len);
			assert_int_equal(render_doc(which, docs[d], f), 0);
			fclose(f);
			assert_true(len > 0);
			free(data);
		}
	}
	for (int which = 0; which < 3; which++) {
		FILE *f = fopen("/dev/null", "w");
		assert_int_equal(render_doc(which, "[]", f), -EINVAL);
		fclose(f);
	}
}

static void test_write_error(void **state)
{
	/* /dev/full fails every write: the renderer must say so. */
	for (int which = 0; which < 3; which++) {
		FILE *f = fopen("/dev/full", "w");
		if (!f)
			skip();
		json_t *rep = load_report();
		int r = which == 0   ? render_text(rep, "ja", false, f)
			: which == 1 ? render_csv(rep, "ja", f)
				     : render_html(rep, "ja", f);
		assert_int_equal(r, -EIO);
		fclose(f);
		json_decref(rep);
	}
}

/* ---- subjects checked, and the not-root line (issue 9) ---- */

static char *render_rep(json_t *rep, int which, const char *lang)
{
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	assert_non_null(f);
	int r = which == 0   ? render_text(rep, lang, false, f)
		: which == 1 ? render_csv(rep, lang, f)
			     : render_html(rep, lang, f);
	fclose(f);
	assert_int_equal(r, 0);
	return data;
}

static void test_checked_and_notice(void **state)
{
	json_t *rep = load_report();
	json_t *pass = NULL, *f;
	size_t i;

	json_array_foreach(json_object_get(rep, "findings"), i, f)
		if (strcmp(json_string_value(json_object_get(f, "status")), "pass") == 0)
			pass = f;
	assert_non_null(pass);
	json_object_set_new(pass, "evidence", json_pack("{s:i}", "checked", 3));
	static const char *const want[3][2] = {
	    {"(accounts.empty_password; 3 件を確認)",
	     "(accounts.empty_password; 3 subjects checked)"},
	    {",3\r\n", ",3\r\n"},
	    {"<td>3 件を確認</td>", "<td>3 subjects checked</td>"}};
	for (int w = 0; w < 3; w++) {
		for (int l = 0; l < 2; l++) {
			char *out = render_rep(rep, w, l ? "en" : "ja");
			if (!strstr(out, want[w][l]))
				fail_msg("format %d %s: no \"%s\" in:\n%s", w, l ? "en" : "ja",
					 want[w][l], out);
			assert_null(strstr(out, "root で実行"));
			assert_null(strstr(out, "run as root"));
			free(out);
		}
	}
	/* Not privileged: one line first, in the report's language. */
	json_object_set_new(json_object_get(rep, "scan"), "privileged", json_false());
	for (int w = 0; w < 3; w++) {
		char *ja = render_rep(rep, w, "ja"), *en = render_rep(rep, w, "en");
		const char *lja = "root で実行してください: 1 件の項目を判定できませんでした";
		const char *len = "run as root: 1 check could not be judged";
		if (w == 0) {
			assert_true(strncmp(ja, lja, strlen(lja)) == 0);
			assert_true(strncmp(en, len, strlen(len)) == 0);
		} else if (w == 1) {
			assert_true(strncmp(ja + 3, lja, strlen(lja)) == 0); /* after the BOM */
			assert_true(strncmp(en, len, strlen(len)) == 0);
		} else {
			assert_non_null(strstr(ja, lja));
			assert_true(strstr(en, len) < strstr(en, "<main>"));
		}
		free(ja);
		free(en);
	}
	json_decref(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_display_width),
	    cmocka_unit_test(test_sanitize),
	    cmocka_unit_test(test_labels_and_values),
	    cmocka_unit_test(test_text_ja),
	    cmocka_unit_test(test_text_en_color),
	    cmocka_unit_test(test_text_wrap),
	    cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_malformed_reports),
	    cmocka_unit_test(test_write_error),
	    cmocka_unit_test(test_checked_and_notice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
