/* probe.c - what every probe shares: status names and bilingual messages. */
#include <stdio.h>
#include <string.h>
#include "probes/limits.h"
#include "probes/probe.h"

/* The E2BIG message names the limit in words. */
_Static_assert(LIMIT_DIR_ENTRIES == 100000u, "update the E2BIG message in errno_text");

const char *probe_status_name(enum probe_status s)
{
	static const char *const names[] = {"ok", "partial", "error", "not_applicable", "skipped"};
	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "error";
}

/* Both formats come from the probes' own source (never from scanned
 * data), so a non-literal format is safe here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static json_t *format_msg(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	json_t *j = json_str(s);
	free(s);
	return j;
}
#pragma GCC diagnostic pop

static void add_msg(struct probe_ctx *ctx, json_t *ja, json_t *en)
{
	json_t *m = json_object();
	if (!m || !ja || !en) {
		json_decref(m);
		json_decref(ja);
		json_decref(en);
		return;
	}
	json_object_set_new(m, "ja", ja);
	json_object_set_new(m, "en", en);
	json_array_append_new(ctx->messages, m);
}

void probe_msg(struct probe_ctx *ctx, const char *ja_fmt, const char *en_fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, en_fmt);
	va_copy(ap2, ap);
	json_t *ja = format_msg(ja_fmt, ap);
	json_t *en = format_msg(en_fmt, ap2);
	va_end(ap2);
	va_end(ap);
	add_msg(ctx, ja, en);
}

void probe_msg_text(struct probe_ctx *ctx, const char *ja, const char *en)
{
	add_msg(ctx, json_str(ja), json_str(en));
}

/* Japanese and English for the errors fsroot returns. */
static void errno_text(int err, const char **ja, const char **en)
{
	switch (-err) {
	case ENOENT:
		*ja = "ファイルがありません";
		*en = "not found";
		break;
	case EACCES:
	case EPERM:
		*ja = "読み取り権限がありません";
		*en = "permission denied";
		break;
	case EFBIG:
		*ja =
		    "サイズが上限（probes/limits.h）を超えているため、ファイル全体を読んでいません";
		*en = "larger than its size limit (probes/limits.h): the whole file was not read";
		break;
	case E2BIG:
		*ja = "項目数が上限（100,000 個）を超えているため、"
		      "ディレクトリの内容を読んでいません";
		*en = "more than 100,000 entries (the limit): none of the "
		      "directory's files was read";
		break;
	case EINVAL:
		*ja = "通常のファイルではありません";
		*en = "not a regular file";
		break;
	case EISDIR:
		*ja = "ディレクトリです";
		*en = "is a directory";
		break;
	case ELOOP:
		*ja = "シンボリックリンクが循環しています";
		*en = "symbolic link loop";
		break;
	case ENOTDIR:
		*ja = "パスの途中がディレクトリではありません";
		*en = "a path component is not a directory";
		break;
	case EAGAIN:
		*ja = "読み取り中にファイルが置き換えられました";
		*en = "file was replaced while being read";
		break;
	case ENAMETOOLONG:
		*ja = "パスが長すぎます";
		*en = "path too long";
		break;
	case ENOMEM:
		*ja = "メモリが不足しています";
		*en = "out of memory";
		break;
	default:
		*ja = "読み取りに失敗しました（内容は読んでいません）";
		*en = "read failed (its content was not read)";
		break;
	}
}

void probe_file_error(struct probe_ctx *ctx, const char *path, int err, bool missing_ok)
{
	if (err == -ENOENT && missing_ok)
		return;
	const char *ja, *en;
	errno_text(err, &ja, &en);
	_cleanup_free_ char *mja = NULL, *men = NULL;
	/* An errno without its own words still says which (never "read failed" alone). */
	bool known = strcmp(en, "read failed (its content was not read)") != 0;
	if (asprintf(&mja, known ? "%s: %s" : "%s: %s: %s", path, ja, strerror(-err)) < 0 ||
	    asprintf(&men, known ? "%s: %s" : "%s: %s: %s", path, en, strerror(-err)) < 0)
		return;
	probe_msg_text(ctx, mja, men);
	probe_partial(ctx);
}

void probe_line_error(struct probe_ctx *ctx, const char *path, unsigned line, const char *ja_what,
		      const char *en_what)
{
	_cleanup_free_ char *mja = NULL, *men = NULL;
	if (asprintf(&mja, "%s:%u: %s", path, line, ja_what) < 0 ||
	    asprintf(&men, "%s:%u: %s", path, line, en_what) < 0)
		return;
	probe_msg_text(ctx, mja, men);
}

void probe_incomplete(struct probe_ctx *ctx, const char *collection)
{
	size_t i;
	json_t *c;
	probe_partial(ctx);
	if (!ctx->incomplete)
		return;
	json_array_foreach(ctx->incomplete, i, c) {
		if (strcmp(json_string_value(c), collection) == 0)
			return;
	}
	json_array_append_new(ctx->incomplete, json_string(collection));
}
