/* probe.c - what every probe shares: status names and bilingual messages. */
#include <stdio.h>
#include <string.h>
#include "lib/limits.h"
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
void probe_errno_text(int err, const char **ja, const char **en)
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
		*ja = "サイズが上限（lib/limits.h）を超えているため、ファイル全体を読んでいません";
		*en = "larger than its size limit (lib/limits.h): the whole file was not read";
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
	case EBADMSG:
		*ja = "形式が不正です";
		*en = "malformed content";
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

/* "16 MiB", "64 KiB" or "1000 bytes" ("バイト"). */
static void size_text(size_t n, bool ja, char *out, size_t out_len)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		snprintf(out, out_len, "%zu MiB", n >> 20);
	else if (n >= (1u << 10) && n % (1u << 10) == 0)
		snprintf(out, out_len, "%zu KiB", n >> 10);
	else
		snprintf(out, out_len, ja ? "%zu バイト" : "%zu bytes", n);
}

void probe_file_error_limit(struct probe_ctx *ctx, const char *path, int err, size_t limit,
			    const char *limit_name)
{
	if (err != -EFBIG) {
		probe_file_error(ctx, path, err, false);
		return;
	}
	char sja[32], sen[32];
	size_text(limit, true, sja, sizeof(sja));
	size_text(limit, false, sen, sizeof(sen));
	char nja[96] = "lib/limits.h", nen[96] = "lib/limits.h";
	if (limit_name) {
		snprintf(nja, sizeof(nja), "lib/limits.h の %s", limit_name);
		snprintf(nen, sizeof(nen), "%s in lib/limits.h", limit_name);
	}
	_cleanup_free_ char *mja = NULL, *men = NULL;
	if (asprintf(&mja,
		     "%s: サイズが上限（%s、%s）を超えているため、ファイル全体を読んでいません",
		     path, sja, nja) < 0 ||
	    asprintf(&men, "%s: larger than the %s limit (%s): the whole file was not read", path,
		     sen, nen) < 0)
		return;
	probe_msg_text(ctx, mja, men);
	probe_partial(ctx);
}

void probe_file_error(struct probe_ctx *ctx, const char *path, int err, bool missing_ok)
{
	if (err == -ENOENT && missing_ok)
		return;
	size_t limit;
	const char *limit_name;
	if (err == -EFBIG && ctx->root &&
	    fsroot_efbig_limit(ctx->root, path, &limit, &limit_name)) {
		probe_file_error_limit(ctx, path, err, limit, limit_name);
		return;
	}
	const char *ja, *en;
	probe_errno_text(err, &ja, &en);
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

int probe_exists(struct probe_ctx *ctx, const char *path, bool follow)
{
	struct probe_blind *b = &ctx->blind;
	struct stat st;
	int r = fsroot_stat(ctx->root, path, follow, &st);
	if (r == 0)
		return 1;
	if (r == -ENOENT)
		return 0;
	if (b->n++ == 0) {
		b->err = r;
		snprintf(b->first, sizeof(b->first), "%s", path);
	}
	probe_partial(ctx);
	return r;
}

void probe_blind_report(struct probe_ctx *ctx)
{
	const struct probe_blind *b = &ctx->blind;
	if (b->n == 0)
		return;
	const char *ja, *en;
	probe_errno_text(b->err, &ja, &en);
	_cleanup_free_ char *mja = NULL, *men = NULL;
	if (asprintf(&mja,
		     "%u 個のパスの有無を確認できません（最初: %s: %s）。不在とはみなしません",
		     b->n, b->first, ja) < 0 ||
	    asprintf(&men, "%u paths could not be checked (first: %s: %s); not taken as absent",
		     b->n, b->first, en) < 0)
		return;
	probe_msg_text(ctx, mja, men);
	probe_partial(ctx);
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

static void lack_msg(struct probe_ctx *ctx, unsigned bit)
{
	const struct visibility *v = ctx->vis;
	switch (bit) {
	case VIS_NET:
		if (v->net < 0)
			probe_msg_text(
			    ctx, "PID 1 と同じネットワーク名前空間か確認できません",
			    "could not check that this scan is in PID 1's network namespace");
		else
			probe_msg_text(
			    ctx,
			    "PID 1 と異なるネットワーク名前空間で実行されており、ホストのソケット・"
			    "インターフェース・ファイアウォールが見えません",
			    "running in another network namespace than PID 1: the host's "
			    "sockets, interfaces and firewall are not visible");
		break;
	case VIS_MNT:
		if (v->mnt < 0)
			probe_msg_text(ctx, "PID 1 と同じマウントが見えているか確認できません",
				       "could not check that this scan sees PID 1's mounts");
		else
			probe_msg(
			    ctx,
			    "PID 1 と異なるマウントが見えています（最初の相違: "
			    "%s）。ホストのファイル"
			    "の一部が見えていない可能性があります",
			    "this scan sees other mounts than PID 1 (first difference: %s): some "
			    "of the host's files may be hidden",
			    v->mnt_diff);
		break;
	case VIS_PROCS:
		probe_msg_text(
		    ctx,
		    "/proc が hidepid でマウントされ CAP_SYS_PTRACE がないため、他のユーザーの"
		    "プロセスが見えません",
		    "/proc is mounted with hidepid and CAP_SYS_PTRACE is missing: other "
		    "users' processes are hidden");
		break;
	case VIS_PRIV:
		probe_msg_text(
		    ctx,
		    v->root ? "CAP_SYS_PTRACE がないため、他のプロセスの実行ファイルやソケット"
			      "を読めないことがあります"
			    : "root で実行されていないため、他のユーザーのプロセスの実行ファイル"
			      "やソケットを読めません",
		    v->root ? "CAP_SYS_PTRACE is missing: other processes' executables and "
			      "sockets may be unreadable"
			    : "not running as root: other users' processes' executables and "
			      "sockets are unreadable");
		break;
	}
}

unsigned probe_needs(struct probe_ctx *ctx, unsigned what)
{
	unsigned lacking = ctx->vis ? ctx->vis->lacks & what : 0;
	for (unsigned bit = 1; bit <= VIS_PRIV; bit <<= 1) {
		if (!(lacking & bit))
			continue;
		lack_msg(ctx, bit);
		for (const struct collection *c = ctx->collections; c && c->name; c++)
			probe_incomplete(ctx, c->name);
	}
	return lacking;
}

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* Whether /proc/PID is a process of one of the daemons (1), not (0). */
static int pid_is(struct probe_ctx *ctx, const char *pid, const char *const *comms,
		  const char *const *exes)
{
	char path[64];
	_cleanup_buf_ struct buf b = {0};
	_cleanup_free_ char *exe = NULL;
	snprintf(path, sizeof(path), "/proc/%.20s/comm", pid);
	if (fsroot_read(ctx->root, path, LIMIT_SMALL_FILE, &b) < 0)
		return 0;
	if (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = 0;
	if (!in_list(comms, b.data))
		return 0;
	/* comm can be set by anyone; the exe link, when readable, decides. */
	snprintf(path, sizeof(path), "/proc/%.20s/exe", pid);
	if (fsroot_readlink(ctx->root, path, &exe) < 0)
		return 1;
	char *del = strstr(exe, " (deleted)");
	if (del && del[10] == 0)
		*del = 0;
	return in_list(exes, exe);
}

json_t *probe_running(struct probe_ctx *ctx, const char *const *comms, const char *const *exes)
{
	_cleanup_strv_ char **pids = NULL;
	size_t n = 0;
	if (ctx->offline || fsroot_list(ctx->root, "/proc", &pids, &n) < 0)
		return json_null();
	for (size_t i = 0; i < n; i++) {
		if (!pids[i][0] || pids[i][strspn(pids[i], "0123456789")] != 0)
			continue;
		if (pid_is(ctx, pids[i], comms, exes) > 0)
			return json_true();
	}
	return ctx->vis && (ctx->vis->lacks & VIS_PROCS) ? json_null() : json_false();
}

json_t *probe_basis(const struct probe_ctx *ctx)
{
	return json_string(ctx->offline ? "configuration" : "live");
}
