/* csv.c - one row per finding, for spreadsheets and ledgers.
 *
 * RFC 4180: CRLF line ends, fields holding a comma, quote, CR or LF are
 * quoted with inner quotes doubled. Japanese output starts with a UTF-8
 * BOM, without which common spreadsheet programs read the file as
 * Shift_JIS. A field starting with = + - @ TAB or CR would be taken as a
 * formula by a spreadsheet (a hostile gecos "=HYPERLINK(...)"), so it
 * gets a leading apostrophe. Other control characters, bidi overrides and
 * invalid UTF-8 are escaped as in the other renderers.
 */
#include <stdio.h>
#include <string.h>
#include "report/render.h"
#include "lib/util.h"

static bool needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

static bool formula_start(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

/* One field (s NULL is empty) followed by sep ("," or "\r\n"). */
static int csv_field(FILE *out, const char *s, const char *sep)
{
	_cleanup_free_ char *clean = sanitize_multiline(s);
	if (!clean)
		return -ENOMEM;
	bool quote = needs_quotes(clean) || formula_start(clean);
	if (quote)
		fputc('"', out);
	if (formula_start(clean))
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

static char *joined_items(const json_t *f)
{
	struct strbuf sb;
	strbuf_init(&sb, 1u << 20);
	int r = strbuf_append(&sb, "", 0);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(f, "checklist"), i, v) {
		if (json_is_string(v) && r == 0)
			r = strbuf_printf(&sb, "%s%s", sb.len ? " " : "", json_string_value(v));
	}
	if (r < 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

static int csv_row(FILE *out, const char *hostname, const json_t *f, const char *lang)
{
	_cleanup_free_ char *items = joined_items(f);
	const json_t *ev = json_object_get(f, "evidence");
	_cleanup_free_ char *evj = ev ? json_dumps(ev, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	const json_t *n = json_object_get(ev, "checked");
	char checked[32] = "";
	if (json_is_integer(n))
		snprintf(checked, sizeof(checked), "%lld", (long long)json_integer_value(n));
	const char *fields[] = {
	    hostname,
	    json_string_value(json_object_get(f, "rule")),
	    json_string_value(json_object_get(f, "status")),
	    json_string_value(json_object_get(f, "severity")),
	    json_string_value(json_object_get(f, "subject")),
	    items,
	    render_i18n(json_object_get(f, "message"), lang),
	    evj ? evj : "{}",
	    checked,
	};
	if (!items || (ev && !evj))
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		int r = csv_field(out, fields[i], i + 1 < ARRAY_SIZE(fields) ? "," : "\r\n");
		if (r < 0)
			return r;
	}
	return 0;
}

static int csv_header(FILE *out, const char *lang)
{
	static const char *const keys[] = {"hostname", "rule",	  "status",   "severity", "subject",
					   "items",    "message", "evidence", "checked"};
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		int r = csv_field(out, render_label(keys[i], lang),
				  i + 1 < ARRAY_SIZE(keys) ? "," : "\r\n");
		if (r < 0)
			return r;
	}
	return 0;
}

int render_csv(const json_t *report, const char *lang, FILE *out)
{
	if (!json_is_object(report))
		return -EINVAL;
	lang = lang ? lang : "ja";
	if (strcmp(lang, "ja") == 0)
		fputs("\xef\xbb\xbf", out);
	/* An unprivileged scan says so first, as a row of its own. */
	_cleanup_free_ char *notice = render_privilege_notice(report, lang);
	int r = notice ? csv_field(out, notice, "\r\n") : 0;
	if (r == 0)
		r = csv_header(out, lang);
	const char *host =
	    json_string_value(json_object_get(json_object_get(report, "host"), "hostname"));
	json_auto_t *rows = json_array();
	static const char *const order[] = {"fail", "unknown", "pass"};
	for (size_t k = 0; rows && k < ARRAY_SIZE(order); k++) {
		json_auto_t *part = render_findings_sorted(report, order[k]);
		if (!part || json_array_extend(rows, part) < 0)
			return -ENOMEM;
	}
	if (!rows)
		return -ENOMEM;
	size_t i;
	json_t *f;
	json_array_foreach(rows, i, f) {
		if (r == 0)
			r = csv_row(out, host, f, lang);
	}
	if (r < 0)
		return r;
	return fflush(out) != 0 || ferror(out) ? -EIO : 0;
}
