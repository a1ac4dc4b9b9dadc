/* cli.c - `tenken report` over many reports or a store: checks the view
 * options, ingests the operands, renders the fleet summary (cli.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "store/cli.h"
#include "report/fleet.h"
#include "lib/util.h"

#define EXIT_USAGE 2

struct msgs {
	const char *lang;
	size_t refused;
};

__attribute__((format(printf, 2, 4), format(printf, 3, 4))) static int
say(const struct msgs *m, const char *ja, const char *en, ...)
{
	va_list ap;
	va_start(ap, en);
	fputs("tenken: ", stderr);
	vfprintf(stderr, strcmp(m->lang, "ja") == 0 ? ja : en, ap);
	va_end(ap);
	fputs("\n", stderr);
	return EXIT_USAGE;
}

static void on_reject(const char *file, const char *ja, const char *en, void *ctx)
{
	struct msgs *m = ctx;
	const char *msg = strcmp(m->lang, "ja") == 0 ? ja : en;
	m->refused++;
	if (strncmp(msg, file, strlen(file)) == 0)
		fprintf(stderr, "tenken: %s\n", msg);
	else
		fprintf(stderr, "tenken: %s: %s\n", file, msg);
}

static bool is_answer(const char *a)
{
	static const char *const answers[] = {"yes", "no", "unknown", "organisational", "stale"};
	for (size_t i = 0; i < ARRAY_SIZE(answers); i++)
		if (strcmp(a, answers[i]) == 0)
			return true;
	return false;
}

/* --item ITEM, ITEM:ANSWER or :ANSWER into the view options; item_buf
 * holds the item. */
static int parse_item(const struct msgs *m, const char *arg, char *item_buf, size_t n,
		      struct store_view_opts *v)
{
	const char *colon = strrchr(arg, ':');
	if (colon && !is_answer(colon + 1))
		return say(
		    m,
		    "--item: 回答 '%s' は yes, no, unknown, organisational, stale の"
		    "いずれかです",
		    "--item: the answer '%s' is one of yes, no, unknown, organisational, stale",
		    colon + 1);
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	if (len >= n)
		return say(m, "--item: 長すぎます", "--item: too long");
	memcpy(item_buf, arg, len);
	item_buf[len] = '\0';
	v->item = len ? item_buf : NULL;
	v->answer = colon ? colon + 1 : NULL;
	return 0;
}

static int keep_of(const struct msgs *m, const char *s, enum store_keep *ret)
{
	if (!s || strcmp(s, "none") == 0)
		*ret = STORE_KEEP_NONE;
	else if (strcmp(s, "zlib") == 0)
		*ret = STORE_KEEP_ZLIB;
	else if (strcmp(s, "zstd") == 0)
		*ret = STORE_KEEP_ZSTD;
	else
		return say(m, "--keep-json: 不明な値 '%s'（none, zlib, zstd）",
			   "--keep-json: unknown value '%s' (none, zlib, zstd)", s);
	return 0;
}

static int ingest(const struct store_cli *c, struct store *s, struct msgs *m, char **args,
		  int nargs)
{
	struct store_opts so = {.now = c->now,
				.require_signature = c->require_signature,
				.verify = c->verify,
				.verify_ctx = c->verify_ctx};
	int st = keep_of(m, c->keep_json, &so.keep);
	if (st)
		return st;
	struct store_stats stats;
	char why[512] = "";
	int64_t t0 = mono_ms();
	int r = store_ingest(s, args, (size_t)nargs, &so, on_reject, m, &stats, why, sizeof(why));
	if (r < 0)
		return say(m, "取り込みに失敗しました（何も変更していません）: %s",
			   "ingest failed (nothing was changed): %s", why);
	double secs = (double)(mono_ms() - t0) / 1000.0;
	double mb = (double)stats.bytes_parsed / 1e6;
	say(m,
	    "追加 %zu、重複 %zu、既存 %zu、拒否 %zu、fleet エラー %zu、対象外 %zu; %.1f MB を "
	    "%.2f 秒で (%.1f MB/s)",
	    "added %zu, duplicate %zu, unchanged %zu, rejected %zu, fleet errors %zu, skipped %zu; "
	    "%.1f MB in %.2f s (%.1f MB/s)",
	    stats.added, stats.duplicate, stats.unchanged, stats.rejected, stats.errors,
	    stats.skipped, mb, secs, secs > 0 ? mb / secs : 0.0);
	return 0;
}

static int hosts_next(void *ctx, json_t **host)
{
	return store_hosts_next(ctx, host);
}

static int hosts_rewind(void *ctx)
{
	return store_hosts_rewind(ctx);
}

/* The views are streamed: the head of the summary is built, the hosts
 * are read from the store one at a time as the renderer writes them to
 * the output, so memory does not grow with the fleet. */
static int render(const struct store_view_opts *v, const struct store_cli *c, struct store *s,
		  struct msgs *m, const struct store_sink *sink)
{
	json_auto_t *head = NULL;
	struct store_hosts *it = NULL;
	char why[512] = "";
	FILE *f = NULL;
	if (store_summary_head(s, v, &head, why, sizeof(why)) < 0 ||
	    store_hosts_open(s, v, &it, why, sizeof(why)) < 0) {
		store_hosts_close(it);
		return say(m, "集計に失敗しました: %s", "summary failed: %s", why);
	}
	int r = sink->open(sink->ctx, &f);
	if (r < 0) {
		store_hosts_close(it);
		return say(m, "出力を開けません: %s", "cannot open the output: %s", strerror(-r));
	}
	struct fleet_hosts src = {hosts_next, hosts_rewind, it};
	errno = 0;
	r = render_fleet_hosts(head, &src, c->format ? c->format : "json", c->view, c->lang, f);
	/* A failed write leaves its errno (ENOSPC) and the stream's error flag. */
	int w = ferror(f) ? -(errno ? errno : EIO) : 0;
	if (r == 0)
		r = w;
	if (r == -EIO && store_hosts_error(it)[0])
		snprintf(why, sizeof(why), "%s", store_hosts_error(it));
	store_hosts_close(it);
	int closed = sink->close(sink->ctx, r);
	if (w == 0)
		w = closed;
	if (w < 0)
		return say(m, "出力を書き込めません: %s", "cannot write the output: %s",
			   strerror(-w));
	if (r < 0 && why[0])
		return say(m, "集計に失敗しました: %s", "summary failed: %s", why);
	if (r < 0)
		return say(m, "出力できません: %s", "cannot render: %s", strerror(-r));
	return 0;
}

static int check(const struct store_cli *c, const struct msgs *m, bool ingest_only)
{
	if (c->view && !fleet_view_known(c->view))
		return say(
		    m, "--view: 不明なビュー '%s'（matrix, top, ledger, trends, changes, history）",
		    "--view: unknown view '%s' (matrix, top, ledger, trends, changes, history)",
		    c->view);
	if (c->require_signature && !c->verify)
		return say(m,
			   "--require-signature: 署名の検証はこのビルドでは使えません"
			   "（verification not available）",
			   "--require-signature: verification not available in this build");
	if (ingest_only && !c->db)
		return say(m, "ingest には --db FILE が必要です",
			   "ingest needs --db FILE (the store to add to)");
	return 0;
}

/* What a CSV view or the text form leaves out: computing only what is
 * written keeps one-view exports of a large fleet quick. JSON and HTML
 * have every part. */
static unsigned skipped_parts(const struct store_cli *c)
{
	const unsigned all = STORE_SKIP_ANSWERS | STORE_SKIP_CHANGES | STORE_SKIP_TOP |
			     STORE_SKIP_TRENDS | STORE_SKIP_HISTORY;
	const char *view = c->view ? c->view : "matrix";
	/* Every scan's answers of every host only when asked for. */
	unsigned history = strcmp(view, "history") == 0 ? 0 : STORE_SKIP_HISTORY;
	if (c->format && strcmp(c->format, "text") == 0)
		return STORE_SKIP_CHANGES | STORE_SKIP_TOP | STORE_SKIP_TRENDS | history;
	if (!c->format || strcmp(c->format, "csv") != 0 || c->item)
		return history;
	if (strcmp(view, "history") == 0)
		return all & ~STORE_SKIP_HISTORY;
	if (strcmp(view, "matrix") == 0)
		return all & ~STORE_SKIP_ANSWERS;
	if (strcmp(view, "top") == 0)
		return all & ~STORE_SKIP_TOP;
	if (strcmp(view, "trends") == 0)
		return all & ~STORE_SKIP_TRENDS;
	if (strcmp(view, "changes") == 0)
		return all & ~STORE_SKIP_CHANGES;
	return all; /* ledger */
}

int store_command(const struct store_cli *c, char **args, int nargs, const struct store_sink *out)
{
	struct msgs m = {c->msg_lang ? c->msg_lang : "en", 0};
	bool ingest_only = nargs > 0 && strcmp(args[0], "ingest") == 0;
	char item[64];
	struct store_view_opts v = {.now = c->now,
				    .stale_days = c->stale_days < 0 ? 30 : c->stale_days,
				    .host = c->host,
				    .profile = c->profile,
				    .top = 20};
	v.skip = skipped_parts(c);
	int st = check(c, &m, ingest_only);
	if (st == 0 && c->item)
		st = parse_item(&m, c->item, item, sizeof(item), &v);
	if (st)
		return st;
	if (ingest_only && nargs < 2)
		return say(&m, "ingest: ファイルかディレクトリを指定してください",
			   "ingest: name the report files or directories");
	struct store *s = NULL;
	char why[512] = "";
	if (store_open(c->db, &s, why, sizeof(why)) < 0)
		return say(&m, "%s: ストアを開けません: %s", "%s: cannot open the store: %s",
			   c->db ? c->db : ":memory:", why);
	if (ingest_only) {
		args++;
		nargs--;
	}
	st = nargs > 0 ? ingest(c, s, &m, args, nargs) : 0;
	if (st == 0 && !ingest_only)
		st = render(&v, c, s, &m, out);
	store_close(s);
	if (st == 0 && m.refused > 0)
		st = 1;
	return st;
}
