/* main.c - the command line (DESIGN.md, "Command line"): parses options,
 * runs the scan, renders, and writes output atomically. Only this file
 * prints to stderr and exits. Exit status: 0 no failed finding, 1 at
 * least one, 2 usage, baseline or I/O error. */
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "probes/probe.h"
#include "report/render.h"
#include "report/diff.h"
#include "report/sheet.h"
#include "lib/jsonpos.h"
#include "lib/limits.h"
#include "lib/readfile.h"
#include "engine/cap.h"
#include "scanner/capture.h"
#include "engine/rules.h"
#include "scanner/scan.h"
#include "scanner/cache.h"
#include "store/cli.h"
#include "lib/util.h"
#include "evidence/provenance.h"
#include "evidence/sign.h"
#include "evidence/verify.h"
#include "fleet/dated.h"
#include "fleet/fleet.h"

#define EXIT_USAGE 2

/* The options, as getopt_long values (from 256, clear of the short
 * options and of getopt's '?' and ':'); each command accepts a set of
 * them, a bit each (OPT_BIT) in struct command.opts. */
enum {
	O_ROOT = 256,
	O_PROFILE,
	O_BASELINE,
	O_FORMAT,
	O_OUTPUT,
	O_NOW,
	O_ONLY,
	O_LANG,
	O_EDITION,
	O_PROBES,
	O_FULL_CMDLINE,
	O_MAX_FINDINGS,
	O_SIGN,
	O_SIGNATURE,
	O_PUBKEY,
	O_ALLOWED_SIGNERS,
	O_KNOWN_HOSTS,
	O_CA,
	O_IDENTITY,
	O_SIGN_CERT,
	O_DB,
	O_STALE_DAYS,
	O_ITEM,
	O_VIEW,
	O_HOST,
	O_REQUIRE_SIG,
	O_KEEP_JSON,
	O_HOSTS,
	O_OUT,
	O_PARALLEL,
	O_COLLECT,
	O_RESUME,
	O_TIMEOUT,
	O_OUTPUT_DIR,
	O_KEEP,
	O_CACHE_DIR,
	O_END /* not an option */
};
#define OPT_BIT(id) (UINT64_C(1) << ((id)-256))
_Static_assert(O_END - 256 <= 64, "struct command.opts holds 64 options");

struct opts {
	const char *root, *profile, *baseline, *format, *output, *lang, *edition, *only;
	time_t now;
	bool have_root, have_now, probes;
	bool full_cmdline;		      /* --full-cmdline */
	long max_per_rule;		      /* --max-findings-per-rule, 0: no cap */
	const char *sign, *sign_cert;	      /* --sign KEY|host-key, --sign-cert CERT */
	const char *signature;		      /* verify --signature */
	struct verify_opts trust;	      /* verify --pubkey ... --identity */
	char **argv;			      /* the command line, for the report's provenance */
	struct store_cli fleet;		      /* report over many reports or a store */
	const char *hosts, *out, *output_dir; /* fleet --hosts, --out; scan --output-dir */
	long parallel, timeout, keep;	      /* fleet --parallel, --timeout; scan --keep */
	bool collect, resume;
	char **scan_args;      /* fleet: the words after "--" */
	const char *cache_dir; /* scan --cache-dir */
};

struct command {
	const char *name;	/* "scan", "baseline init" */
	uint64_t opts;		/* OPT_BIT of the O_* it accepts */
	int min_args, max_args; /* operands after the options; -1: any number */
	const char *synopsis;	/* the options and operands, for usage */
	const char *ja, *en;	/* what it does, one line */
};

/* The language of messages: --lang if given on the command line, else the
 * locale. Set once in main before anything is parsed. */
static const char *msg_lang = "en";

static const char *default_lang(void)
{
	const char *l = getenv("LC_ALL");
	if (!l || !*l)
		l = getenv("LC_MESSAGES");
	if (!l || !*l)
		l = getenv("LANG");
	return l && strncmp(l, "ja", 2) == 0 ? "ja" : "en";
}

/* Print "tenken: " and the message in the message language; returns the
 * usage exit status. Both formats take the same arguments in the same
 * order. */
__attribute__((format(printf, 1, 3), format(printf, 2, 3))) static int
fail_usage(const char *ja, const char *en, ...)
{
	va_list ap;
	va_start(ap, en);
	fputs("tenken: ", stderr);
	vfprintf(stderr, strcmp(msg_lang, "ja") == 0 ? ja : en, ap);
	va_end(ap);
	fputs("\n", stderr);
	return EXIT_USAGE;
}

static const struct command commands[] = {
    {"scan",
     OPT_BIT(O_ROOT) | OPT_BIT(O_PROFILE) | OPT_BIT(O_BASELINE) | OPT_BIT(O_FORMAT) |
	 OPT_BIT(O_OUTPUT) | OPT_BIT(O_NOW) | OPT_BIT(O_ONLY) | OPT_BIT(O_LANG) |
	 OPT_BIT(O_EDITION) | OPT_BIT(O_FULL_CMDLINE) | OPT_BIT(O_MAX_FINDINGS) | OPT_BIT(O_SIGN) |
	 OPT_BIT(O_SIGN_CERT) | OPT_BIT(O_OUTPUT_DIR) | OPT_BIT(O_KEEP) | OPT_BIT(O_CACHE_DIR),
     0, 0,
     "[--root DIR] [--profile server|terminal] [--baseline FILE]\n"
     "    [--format json|text|html|csv|sds|sds-csv|sheet|sheet-csv] [--output FILE]\n"
     "    [--now TIME] [--only PROBE,...] [--lang ja|en] [--checklist r6|r7]\n"
     "    [--max-findings-per-rule N] [--full-cmdline] [--output-dir DIR [--keep N]]\n"
     "    [--sign KEY|host-key [--sign-cert CERT]]  (with --format json --output FILE)\n"
     "    [--cache-dir DIR]",
     "このホスト（または --root のディレクトリ）を検査し、チェックリストの回答と根拠を出力する",
     "inspect this host (or the tree at --root) and report the checklist answers with evidence"},
    {"inventory",
     OPT_BIT(O_ROOT) | OPT_BIT(O_FORMAT) | OPT_BIT(O_OUTPUT) | OPT_BIT(O_NOW) | OPT_BIT(O_ONLY) |
	 OPT_BIT(O_FULL_CMDLINE),
     0, 0, "[--root DIR] [--only PROBE,...] [--output FILE] [--now TIME] [--full-cmdline]",
     "判定せずに事実だけを JSON で出力する（2(1) 台帳）",
     "facts only, as JSON, without judging them (the 2(1) ledger)"},
    {"baseline init",
     OPT_BIT(O_ROOT) | OPT_BIT(O_PROFILE) | OPT_BIT(O_OUTPUT) | OPT_BIT(O_NOW) | OPT_BIT(O_ONLY), 0,
     0, "[--root DIR] [--profile server|terminal] [--output FILE] [--now TIME]",
     "このホストを基準（ベースライン）として書き出す", "capture this host as a baseline"},
    {"baseline check", 0, 1, 1, "FILE", "ベースラインを検証し、誤りをファイル:行:列で示す",
     "validate a baseline; errors as file:line:column"},
    {"rules",
     OPT_BIT(O_PROFILE) | OPT_BIT(O_BASELINE) | OPT_BIT(O_LANG) | OPT_BIT(O_EDITION) |
	 OPT_BIT(O_PROBES),
     0, 0,
     "[--profile server|terminal] [--baseline FILE] [--checklist r6|r7] [--lang ja|en]\n"
     "    [--probes]",
     "ルールとチェックリスト項目の一覧（--probes: プローブの一覧）",
     "list the rules and their checklist items (--probes: the probes)"},
    {"report",
     OPT_BIT(O_FORMAT) | OPT_BIT(O_LANG) | OPT_BIT(O_OUTPUT) | OPT_BIT(O_NOW) | OPT_BIT(O_DB) |
	 OPT_BIT(O_STALE_DAYS) | OPT_BIT(O_ITEM) | OPT_BIT(O_VIEW) | OPT_BIT(O_HOST) |
	 OPT_BIT(O_PROFILE) | OPT_BIT(O_REQUIRE_SIG) | OPT_BIT(O_KEEP_JSON) | OPT_BIT(O_SIGNATURE) |
	 OPT_BIT(O_PUBKEY) | OPT_BIT(O_ALLOWED_SIGNERS) | OPT_BIT(O_KNOWN_HOSTS) | OPT_BIT(O_CA) |
	 OPT_BIT(O_IDENTITY),
     0, -1,
     "[--format text|html|csv|json|sds|sds-csv|sheet|sheet-csv] [--lang ja|en]\n"
     "    [--output FILE] [--db FILE] [--view matrix|top|ledger|trends|changes|history]\n"
     "    [--item ITEM[:ANSWER]] [--host NAME] [--profile server|terminal]\n"
     "    [--stale-days N] [--now TIME]\n"
     "    [--require-signature] [--keep-json none|zlib|zstd]\n"
     "    [--signature SIG] [--pubkey KEY | --allowed-signers FILE | --known-hosts FILE\n"
     "    | --ca CERT] [--identity ID] [ingest] FILE|DIR...\n"
     "    (sheet, sheet-csv: the checklist sheet of one host from up to three FILEs)",
     "保存した JSON レポートを別の形式で出力する。複数のレポート、ディレクトリ、--db では"
     "全ホストの一覧（履歴ストア）",
     "render a saved JSON report in another format; many reports, a directory or --db: the "
     "fleet summary (history store)"},
    {"diff", OPT_BIT(O_FORMAT) | OPT_BIT(O_LANG) | OPT_BIT(O_OUTPUT), 2, 2,
     "[--format text|json|html] [--lang ja|en] [--output FILE] OLD.json NEW.json",
     "同じホストの 2 回の点検結果を比べ、変化を示す（終了ステータス: 0 変化なし、1 変化あり）",
     "what changed on one host between two scans (exit status: 0 no change, 1 changes)"},
    {"verify",
     OPT_BIT(O_SIGNATURE) | OPT_BIT(O_PUBKEY) | OPT_BIT(O_ALLOWED_SIGNERS) |
	 OPT_BIT(O_KNOWN_HOSTS) | OPT_BIT(O_CA) | OPT_BIT(O_IDENTITY) | OPT_BIT(O_LANG),
     1, 1,
     "FILE --signature SIG (--pubkey KEY | --allowed-signers FILE [--identity ID]\n"
     "    | --known-hosts FILE [--identity HOST] | --ca CERT [--identity NAME]) [--lang ja|en]",
     "署名したレポートを検証し、誰が何をいつ署名したかを示す（0 有効、1 無効、2 エラー）",
     "check a signed report and show who signed what, when (0 valid, 1 invalid, 2 error)"},
    {"fleet",
     OPT_BIT(O_HOSTS) | OPT_BIT(O_OUT) | OPT_BIT(O_PARALLEL) | OPT_BIT(O_COLLECT) |
	 OPT_BIT(O_RESUME) | OPT_BIT(O_TIMEOUT) | OPT_BIT(O_LANG),
     0, 0,
     "--hosts FILE --out DIR [--parallel N] [--timeout SECONDS] [--resume]\n"
     "    [--collect] [--lang ja|en] [-- SCAN-OPTIONS...]",
     "SSH で多数のホストを検査し（--collect: 定期検査のレポートを回収し）、"
     "ホストごとの結果を DIR に書く（終了ステータス 3: レポートのないホストあり）",
     "scan many hosts over SSH (--collect: pull their scheduled reports), one outcome per "
     "host in DIR (exit status 3: some host gave no report)"},
};

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage_one(const struct command *c, FILE *out)
{
	bool ja = strcmp(msg_lang, "ja") == 0;
	fprintf(out, "%s tenken %s %s\n    %s\n", ja ? "使い方:" : "usage:", c->name, c->synopsis,
		ja ? c->ja : c->en);
}

static void usage(FILE *out)
{
	bool ja = strcmp(msg_lang, "ja") == 0;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		usage_one(&commands[i], out);
	fputs(ja ? "tenken --version\n"
		   "tenken help [COMMAND]    コマンドごとの説明（tenken COMMAND --help と同じ）\n"
		   "終了ステータス: 0 不合格の所見なし、1 不合格の所見あり、2 エラー\n"
		 : "tenken --version\n"
		   "tenken help [COMMAND]    one command's usage (the same as tenken COMMAND "
		   "--help)\n"
		   "Exit status: 0 no failed finding, 1 at least one failed finding, 2 error.\n",
	      out);
}

static bool one_of(const char *v, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(v, *allowed) == 0)
			return true;
	return false;
}

static const struct option longopts[] = {
    {"root", required_argument, NULL, O_ROOT},
    {"profile", required_argument, NULL, O_PROFILE},
    {"baseline", required_argument, NULL, O_BASELINE},
    {"format", required_argument, NULL, O_FORMAT},
    {"output", required_argument, NULL, O_OUTPUT},
    {"now", required_argument, NULL, O_NOW},
    {"only", required_argument, NULL, O_ONLY},
    {"lang", required_argument, NULL, O_LANG},
    {"checklist", required_argument, NULL, O_EDITION},
    {"probes", no_argument, NULL, O_PROBES},
    {"full-cmdline", no_argument, NULL, O_FULL_CMDLINE},
    {"max-findings-per-rule", required_argument, NULL, O_MAX_FINDINGS},
    {"sign", required_argument, NULL, O_SIGN},
    {"sign-cert", required_argument, NULL, O_SIGN_CERT},
    {"signature", required_argument, NULL, O_SIGNATURE},
    {"pubkey", required_argument, NULL, O_PUBKEY},
    {"allowed-signers", required_argument, NULL, O_ALLOWED_SIGNERS},
    {"known-hosts", required_argument, NULL, O_KNOWN_HOSTS},
    {"ca", required_argument, NULL, O_CA},
    {"identity", required_argument, NULL, O_IDENTITY},
    {"db", required_argument, NULL, O_DB},
    {"stale-days", required_argument, NULL, O_STALE_DAYS},
    {"item", required_argument, NULL, O_ITEM},
    {"view", required_argument, NULL, O_VIEW},
    {"host", required_argument, NULL, O_HOST},
    {"require-signature", no_argument, NULL, O_REQUIRE_SIG},
    {"keep-json", required_argument, NULL, O_KEEP_JSON},
    {"hosts", required_argument, NULL, O_HOSTS},
    {"out", required_argument, NULL, O_OUT},
    {"parallel", required_argument, NULL, O_PARALLEL},
    {"collect", no_argument, NULL, O_COLLECT},
    {"resume", no_argument, NULL, O_RESUME},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"output-dir", required_argument, NULL, O_OUTPUT_DIR},
    {"keep", required_argument, NULL, O_KEEP},
    {"cache-dir", required_argument, NULL, O_CACHE_DIR},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

static const char *opt_name(int c)
{
	for (const struct option *lo = longopts; lo->name; lo++)
		if (lo->val == c)
			return lo->name;
	return "?";
}

/* Store one option's value; returns 0 or an exit status. */
static int set_opt(struct opts *o, int c, char *arg)
{
	switch (c) {
	case O_CACHE_DIR:
		o->cache_dir = arg;
		break;
	case O_ROOT:
		o->root = arg;
		o->have_root = true;
		break;
	case O_PROFILE:
		o->profile = arg;
		break;
	case O_BASELINE:
		o->baseline = arg;
		break;
	case O_FORMAT:
		o->format = arg;
		break;
	case O_OUTPUT:
		o->output = arg;
		break;
	case O_ONLY:
		o->only = arg;
		break;
	case O_LANG:
		o->lang = arg;
		break;
	case O_EDITION:
		o->edition = arg;
		break;
	case O_PROBES:
		o->probes = true;
		break;
	case O_FULL_CMDLINE:
		o->full_cmdline = true;
		fail_usage(
		    "警告: --full-cmdline はコマンドラインの値をレポートに含めます。既知の"
		    "秘密の形式は伏せますが、それ以外の形式の秘密は表示されることがあります。"
		    "レポートは関係者以外に見せないでください",
		    "warning: --full-cmdline shows command-line values in the report; known "
		    "secret forms are masked, but a secret in another form may show. Keep the "
		    "report private");
		break;
	case O_MAX_FINDINGS:
		if (parse_long(arg, &o->max_per_rule) < 0 || o->max_per_rule < 1)
			return fail_usage("--max-findings-per-rule: 正の整数ではありません: '%s'",
					  "--max-findings-per-rule: not a positive number: '%s'",
					  arg);
		break;
	case O_SIGN:
		o->sign = arg;
		break;
	case O_SIGN_CERT:
		o->sign_cert = arg;
		break;
	case O_SIGNATURE:
		o->signature = arg;
		break;
	case O_PUBKEY:
		o->trust.pubkey = arg;
		break;
	case O_ALLOWED_SIGNERS:
		o->trust.allowed_signers = arg;
		break;
	case O_KNOWN_HOSTS:
		o->trust.known_hosts = arg;
		break;
	case O_CA:
		o->trust.ca = arg;
		break;
	case O_IDENTITY:
		o->trust.identity = arg;
		break;
	case O_DB:
		o->fleet.db = arg;
		break;
	case O_ITEM:
		o->fleet.item = arg;
		break;
	case O_VIEW:
		o->fleet.view = arg;
		break;
	case O_HOST:
		o->fleet.host = arg;
		break;
	case O_REQUIRE_SIG:
		o->fleet.require_signature = true;
		break;
	case O_KEEP_JSON:
		o->fleet.keep_json = arg;
		break;
	case O_STALE_DAYS:
		if (parse_long(arg, &o->fleet.stale_days) < 0 || o->fleet.stale_days < 0)
			return fail_usage("--stale-days: 0 以上の整数ではありません: '%s'",
					  "--stale-days: not a number of days: '%s'", arg);
		break;
	case O_HOSTS:
		o->hosts = arg;
		break;
	case O_OUT:
		o->out = arg;
		break;
	case O_OUTPUT_DIR:
		o->output_dir = arg;
		break;
	case O_COLLECT:
		o->collect = true;
		break;
	case O_RESUME:
		o->resume = true;
		break;
	case O_PARALLEL:
	case O_TIMEOUT:
	case O_KEEP: {
		long *v = c == O_PARALLEL ? &o->parallel : c == O_TIMEOUT ? &o->timeout : &o->keep;
		long max = c == O_PARALLEL ? 256 : c == O_TIMEOUT ? 86400 : 100000;
		if (parse_long(arg, v) < 0 || *v < 1 || *v > max)
			return fail_usage("--%s: 1〜%ld の整数ではありません: '%s'",
					  "--%s: not a number from 1 to %ld: '%s'", opt_name(c),
					  max, arg);
		break;
	}
	case O_NOW:
		if (time_parse_rfc3339(arg, &o->now) < 0)
			return fail_usage("--now: RFC 3339 の時刻ではありません: '%s'"
					  "（例: 2026-11-22T09:00:00+09:00）",
					  "--now: not an RFC 3339 time: '%s' "
					  "(example: 2026-11-22T09:00:00+09:00)",
					  arg);
		o->have_now = true;
		break;
	}
	return 0;
}

static int check_values(const struct opts *o)
{
	static const char *const langs[] = {"ja", "en", NULL};
	static const char *const editions[] = {"r6", "r7", NULL};
	static const char *const profiles[] = {"server", "terminal", NULL};

	if (o->format && !renderer_find(o->format)) {
		char names[128] = "";
		for (const struct renderer *r = renderers; r->name; r++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 r == renderers ? "" : ", ", r->name);
		return fail_usage("--format: 不明な形式 '%s'（%s）",
				  "--format: unknown format '%s' (%s)", o->format, names);
	}
	if (o->lang && !one_of(o->lang, langs))
		return fail_usage("--lang: 不明な言語 '%s'（ja, en）",
				  "--lang: unknown language '%s' (ja, en)", o->lang);
	if (o->edition && !one_of(o->edition, editions))
		return fail_usage("--checklist: 不明な版 '%s'（r6, r7）",
				  "--checklist: unknown edition '%s' (r6, r7)", o->edition);
	if (o->profile && !one_of(o->profile, profiles))
		return fail_usage("--profile: 不明なプロファイル '%s'（server, terminal）",
				  "--profile: unknown profile '%s' (server, terminal)", o->profile);
	return 0;
}

/* Parse the options of command c anywhere among argv[1..] (before or
 * after the operands; "--" ends them). On return argv[*ret_first..argc-1]
 * are the operands. Returns 0, or an exit status (-1 for --help, which has
 * printed the command's usage). */
static int parse_opts(const struct command *c, int argc, char **argv, struct opts *o,
		      int *ret_first)
{
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			usage_one(c, stdout);
			return -1;
		}
		if (ch == '?' || ch == ':')
			return fail_usage(
			    "'%s' は不明なオプションか、値がありません（tenken %s --help）",
			    "unknown or incomplete option '%s' (see tenken %s --help)",
			    argv[optind - 1], c->name);
		if (ch < 256 || ch >= O_END || !(c->opts & OPT_BIT(ch)))
			return fail_usage("--%s は tenken %s では使えません（tenken %s --help）",
					  "--%s does not apply to tenken %s (see tenken %s --help)",
					  opt_name(ch), c->name, c->name);
		int st = set_opt(o, ch, optarg);
		if (st)
			return st;
	}
	int n = argc - optind;
	if (n < c->min_args || (c->max_args >= 0 && n > c->max_args)) {
		if (n > 0 && c->max_args == 0)
			return fail_usage("余分な引数 '%s'（tenken %s --help）",
					  "unexpected argument '%s' (see tenken %s --help)",
					  argv[optind], c->name);
		return fail_usage("引数の数が違います: tenken %s %s",
				  "wrong number of arguments: tenken %s %s", c->name, c->synopsis);
	}
	*ret_first = optind;
	return check_values(o);
}

/* Split --only into a NULL-terminated list, checking each name. */
static int parse_only(const char *only, char ***ret)
{
	*ret = NULL;
	if (!only)
		return 0;
	size_t n = 1;
	for (const char *p = only; *p; p++)
		n += *p == ',';
	char **v = calloc(n + 1, sizeof(char *));
	char *copy = strdup(only);
	if (!v || !copy) {
		free(v);
		free(copy);
		return fail_usage("メモリ不足", "out of memory");
	}
	size_t i = 0;
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!probe_find(t)) {
			int st =
			    fail_usage("--only: 不明なプローブ '%s'（一覧: tenken rules --probes）",
				       "--only: unknown probe '%s' (see tenken rules --probes)", t);
			strv_free(v);
			free(copy);
			return st;
		}
		v[i++] = strdup(t);
	}
	free(copy);
	*ret = v;
	return 0;
}

/* Where a command's output goes: stdout, a device or FIFO written in
 * place (renaming a file over /dev/null would replace the node), or a
 * regular file written through a temporary file in the same directory
 * that is renamed into place only when everything was written. The
 * output is streamed: a 200 MB report is never held in memory twice. */
struct output {
	FILE *f;
	const char *path;
	char *tmp; /* NULL unless writing through a temporary file */
};

static int output_open(const char *path, struct output *out)
{
	*out = (struct output){.path = path};
	if (!path || strcmp(path, "-") == 0) {
		out->f = stdout;
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return -errno;
		out->f = fdopen(fd, "w");
		if (!out->f)
			return -errno;
		fd = -1;
		return 0;
	}
	if (asprintf(&out->tmp, "%s.tmp.XXXXXX", path) < 0) {
		out->tmp = NULL;
		return -ENOMEM;
	}
	int fd = mkostemp(out->tmp, O_CLOEXEC);
	if (fd < 0 || fchmod(fd, 0600) < 0 || !(out->f = fdopen(fd, "w"))) {
		int r = -errno;
		if (fd >= 0) {
			close(fd);
			unlink(out->tmp);
		}
		free(out->tmp);
		out->tmp = NULL;
		return r;
	}
	return 0;
}

/* Finish the output: on r == 0 flush, fsync and rename into place; on
 * any failure remove the temporary file so nothing half-written stays. */
static int output_close(struct output *out, int r)
{
	if (!out->f)
		return r;
	if (fflush(out->f) != 0 && r == 0)
		r = -errno;
	if (out->f == stdout) {
		if (ferror(stdout) && r == 0)
			r = -EIO;
		return r;
	}
	if (r == 0 && out->tmp && fsync(fileno(out->f)) < 0)
		r = -errno;
	if (fclose(out->f) != 0 && r == 0)
		r = -errno;
	if (out->tmp) {
		if (r == 0 && rename(out->tmp, out->path) < 0)
			r = -errno;
		if (r < 0)
			unlink(out->tmp);
		free(out->tmp);
	}
	return r;
}

/* Write data to path atomically, or to stdout when path is NULL or "-". */
static int write_output(const char *path, const char *data, size_t len)
{
	struct output out;
	int r = output_open(path, &out);
	if (r < 0)
		return r;
	if (fwrite(data, 1, len, out.f) != len)
		r = -EIO;
	return output_close(&out, r);
}

/* Sign the rendered report and write OUTPUT.sig beside it: both are
 * made in memory first, then written each atomically, the report first. */
static int write_signed(const struct opts *o, const struct evidence_signer *signer,
			const char *data, size_t len)
{
	struct evidence_msg m;
	_cleanup_free_ char *sig = NULL, *sigpath = NULL;
	size_t siglen = 0;
	if (evidence_sign(signer, data, len, &sig, &siglen, &m) < 0)
		return fail_usage("%s", "%s", strcmp(msg_lang, "ja") ? m.en : m.ja), -EIO;
	if (asprintf(&sigpath, "%s.sig", o->output) < 0)
		return -ENOMEM;
	int r = write_output(o->output, data, len);
	if (r == 0 && (r = write_output(sigpath, sig, siglen)) < 0)
		fail_usage("%s に書き込めません: %s", "cannot write %s: %s", sigpath, strerror(-r));
	return r;
}

/* Render a report that is to be signed into memory (the signature is over
 * exactly those bytes), then write it and its signature. */
static int render_signed(const json_t *report, const struct renderer *rd, const char *lang,
			 const struct opts *o, const struct evidence_signer *signer)
{
	char *data = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&data, &len);
	if (!mem)
		return -ENOMEM;
	int r = rd->render(report, lang, false, mem);
	if (fclose(mem) != 0 && r == 0)
		r = -EIO;
	if (r == 0)
		r = write_signed(o, signer, data, len);
	free(data);
	return r;
}

/* Render the report in format straight into its output (streamed), or,
 * when signer is not NULL, through memory and signed. */
static int emit_signed(const json_t *report, const struct opts *o,
		       const struct evidence_signer *signer)
{
	const char *fmt = o->format ? o->format : (!o->output && isatty(1)) ? "text" : "json";
	const struct renderer *rd = renderer_find(fmt);
	const char *lang = o->lang ? o->lang : default_lang();
	bool color = !o->output && isatty(1) && !getenv("NO_COLOR");
	struct output out;
	int r = -EINVAL;
	if (rd && signer) {
		r = render_signed(report, rd, lang, o, signer);
	} else if (rd && (r = output_open(o->output, &out)) == 0) {
		r = rd->render(report, lang, color, out.f);
		if (r == 0 && ferror(out.f))
			r = -EIO;
		r = output_close(&out, r);
	}
	if (r < 0)
		fail_usage("%s に書き込めません: %s", "cannot write %s: %s",
			   o->output ? o->output : "output", strerror(-r));
	return r;
}

static int emit(const json_t *report, const struct opts *o)
{
	return emit_signed(report, o, NULL);
}

static void print_diag(const struct diag *d)
{
	if (d->line)
		fprintf(stderr, "%s:%u:%u: %s\n", d->file, d->line, d->column, d->msg);
	else
		fprintf(stderr, "%s: %s\n", d->file, d->msg);
}

static int load_rules(const struct opts *o, struct ruleset **rs)
{
	struct diag d = {0};
	if (ruleset_load(o->baseline, o->profile, rs, &d) < 0) {
		print_diag(&d);
		return EXIT_USAGE;
	}
	return 0;
}

static int collect(const struct opts *o, const struct ruleset *rs, json_t **report, int64_t *t0)
{
	_cleanup_strv_ char **only = NULL;
	int st = parse_only(o->only, &only);
	if (st)
		return st;
	struct scan_opts so = {.root = o->have_root ? o->root : "/",
			       .offline = o->have_root,
			       .now = o->have_now ? o->now : time(NULL),
			       .only = only,
			       .full_cmdline = o->full_cmdline,
			       .params = rs ? rs->params : NULL,
			       .edition = o->edition ? o->edition : "r6"};
	struct cache_msg m, warn;
	*t0 = mono_ms();
	if (o->cache_dir) {
		bool ja = strcmp(msg_lang, "ja") == 0;
		if (cache_open(o->cache_dir, so.root, &so.cache, &m, &warn) < 0)
			return fail_usage("%s", "%s", ja ? m.ja : m.en);
		if (warn.en[0])
			fail_usage("%s", "%s", ja ? warn.ja : warn.en);
	}
	int r = scan_collect(&so, report);
	if (r == 0 && so.cache && cache_save(so.cache, &m) < 0)
		fail_usage("%s", "%s", strcmp(msg_lang, "ja") == 0 ? m.ja : m.en);
	if (so.cache && getenv("TENKEN_CACHE_STATS")) {
		unsigned hit, miss, stored;
		cache_counts(so.cache, &hit, &miss, &stored);
		fail_usage("キャッシュ: 利用 %u、不一致 %u、保存 %u",
			   "cache: %u served, %u missed, %u stored", hit, miss, stored);
	}
	cache_free(so.cache);
	if (r < 0) {
		return fail_usage("--root %s: %s", "--root %s: %s", so.root, strerror(-r));
	}
	return 0;
}

/* --sign: only a JSON report written to a file is signed; the key is
 * loaded before the scan, so a bad key costs no scan. */
static int load_signer(const struct opts *o, struct evidence_signer **ret)
{
	struct evidence_msg m;
	*ret = NULL;
	if (o->sign_cert && !o->sign)
		return fail_usage("--sign-cert には --sign KEY が必要です",
				  "--sign-cert needs --sign KEY");
	if (!o->sign)
		return 0;
	if (!o->output || strcmp(o->output, "-") == 0 || !o->format ||
	    strcmp(o->format, "json") != 0)
		return fail_usage(
		    "--sign には --format json と --output FILE が必要です"
		    "（署名は FILE.sig に書きます）",
		    "--sign needs --format json and --output FILE (the signature goes "
		    "to FILE.sig)");
	if (strcmp(o->sign, "host-key") == 0 && o->have_root)
		return fail_usage(
		    "--sign host-key はこのホストの検査だけに使えます（--root では "
		    "--sign KEY を使ってください）",
		    "--sign host-key signs this host's own scan only (with --root, use "
		    "--sign KEY)");
	if (evidence_signer_load(o->sign, o->sign_cert, ret, &m) < 0)
		return fail_usage("%s", "%s", strcmp(msg_lang, "ja") ? m.en : m.ja);
	return 0;
}

static int cmd_scan(const struct opts *o)
{
	struct ruleset *rs = NULL;
	json_auto_t *report = NULL;
	struct evidence_signer *signer = NULL;
	int64_t t0;
	int st = load_signer(o, &signer);
	if (st)
		return st;
	st = load_rules(o, &rs);
	if (st == 0)
		st = collect(o, rs, &report, &t0);
	if (st) {
		ruleset_free(rs);
		evidence_signer_free(signer);
		return st;
	}
	const char *edition = o->edition ? o->edition : "r6";
	int r = scan_judge(report, rs, edition);
	if (r == 0)
		r = scan_provenance(report, rs, o->baseline != NULL, o->argv);
	ruleset_free(rs);
	if (r == 0 && o->max_per_rule > 0)
		r = findings_cap(report, (size_t)o->max_per_rule);
	if (r < 0) {
		evidence_signer_free(signer);
		return fail_usage("ルールの評価に失敗しました: %s", "evaluating rules: %s",
				  strerror(-r));
	}
	scan_finish(report, t0);
	r = emit_signed(report, o, signer);
	evidence_signer_free(signer);
	if (r < 0)
		return EXIT_USAGE;
	if (o->output_dir) {
		int pr = dated_prune(o->output_dir, o->keep ? o->keep : DATED_KEEP_DEFAULT);
		if (pr < 0)
			fail_usage("%s: 古いレポートを削除できません: %s",
				   "%s: cannot remove old reports: %s", o->output_dir,
				   strerror(-pr));
	}
	return report_fail_count(report) > 0 ? 1 : 0;
}

/* --output-dir DIR: the report goes to DIR/tenken-YYYYmmddTHHMMSSZ.json
 * (JSON), for the systemd timer and `tenken fleet --collect`. */
static int dated_output(struct opts *o, char *path, size_t n)
{
	if (o->keep && !o->output_dir)
		return fail_usage("--keep は --output-dir と一緒に使います",
				  "--keep goes with --output-dir");
	if (!o->output_dir)
		return 0;
	if (o->output)
		return fail_usage("--output と --output-dir は同時に使えません",
				  "--output and --output-dir exclude each other");
	if (o->format && strcmp(o->format, "json") != 0)
		return fail_usage("--output-dir には JSON だけを書きます（--format json）",
				  "--output-dir holds JSON reports only (--format json)");
	int r = dated_dir_prepare(o->output_dir);
	if (r == 0)
		r = dated_report_path(o->output_dir, time(NULL), path, n);
	if (r < 0)
		return fail_usage("%s: %s", "%s: %s", o->output_dir, strerror(-r));
	o->output = path;
	o->format = "json";
	return 0;
}

static int cmd_inventory(struct opts *o)
{
	json_auto_t *report = NULL;
	int64_t t0;
	int st = collect(o, NULL, &report, &t0);
	if (st)
		return st;
	scan_finish(report, t0);
	json_object_set_new(report, "format", json_string("tenken-inventory"));
	if (!o->format)
		o->format = "json";
	if (strcmp(o->format, "json") != 0)
		return fail_usage("inventory: 使える形式は --format json だけです（'%s' は不可）",
				  "inventory: only --format json is available, not '%s'",
				  o->format);
	return emit(report, o) < 0 ? EXIT_USAGE : 0;
}

static int cmd_baseline_check(const char *path)
{
	struct diag d = {0};
	if (ruleset_check_file(path, &d) < 0) {
		print_diag(&d);
		return EXIT_USAGE;
	}
	printf("%s: ok\n", path);
	return 0;
}

static int cmd_baseline_init(const struct opts *o)
{
	struct ruleset *rs = NULL;
	json_auto_t *report = NULL, *baseline = NULL;
	int64_t t0;
	int st = load_rules(o, &rs);
	if (st == 0)
		st = collect(o, rs, &report, &t0);
	char err[512] = "out of memory";
	if (st == 0 && baseline_capture(report, rs, &baseline, err, sizeof(err)) < 0)
		st = fail_usage("baseline init: %s", "baseline init: %s", err);
	ruleset_free(rs);
	if (st)
		return st;
	_cleanup_free_ char *text = json_dumps(baseline, JSON_INDENT(2));
	_cleanup_free_ char *out = NULL;
	if (!text || asprintf(&out, "%s\n", text) < 0)
		return EXIT_USAGE;
	return write_output(o->output, out, strlen(out)) < 0 ? EXIT_USAGE : 0;
}

/* `tenken rules --probes`: each probe, whether it reads an offline root,
 * and the inventory collections it fills. */
static void print_probes(const char *lang)
{
	bool ja = strcmp(lang, "ja") == 0;
	for (size_t i = 0; i < probe_count; i++) {
		const struct probe *p = &probe_table[i];
		printf("%-12s %-8s", p->name,
		       p->offline_ok ? "--root" : (ja ? "実機のみ" : "live"));
		for (const struct collection *c = p->collections; c && c->name; c++)
			printf("%s%s", c == p->collections ? " " : ",", c->name);
		printf("\n             %s\n", ja && p->doc_ja ? p->doc_ja : p->doc);
	}
}

static int cmd_rules(const struct opts *o)
{
	const char *lang = o->lang ? o->lang : default_lang();
	if (o->probes) {
		print_probes(lang);
		return 0;
	}
	struct ruleset *rs = NULL;
	int st = load_rules(o, &rs);
	if (st)
		return st;
	ruleset_print(rs, o->edition ? o->edition : "r6", lang, stdout);
	ruleset_free(rs);
	return 0;
}

static int load_saved_report(const char *path, json_t **ret);
static int read_json_file(const char *path, char **buf, size_t *len, json_t **ret);

static bool is_sheet(const char *fmt)
{
	return fmt && (strcmp(fmt, "sheet") == 0 || strcmp(fmt, "sheet-csv") == 0);
}

/* tenken report --format sheet|sheet-csv A.json [B.json [C.json]]: the
 * checklist sheet of one host, the scans as its 1st to 3rd checks. */
static int cmd_sheet(char **paths, int n, const struct opts *o)
{
	json_t *reports[SHEET_CHECKS] = {NULL};
	const char *lang = o->lang ? o->lang : default_lang();
	const char *ja, *en;
	int st = 0;
	if (n > SHEET_CHECKS)
		return fail_usage("--format %s: レポートは %d つまでです（1回目〜3回目）",
				  "--format %s: at most %d reports (the 1st to 3rd checks)",
				  o->format, SHEET_CHECKS);
	for (int i = 0; i < n && st == 0; i++)
		st = load_saved_report(paths[i], &reports[i]);
	if (st == 0 && sheet_check(reports, (size_t)n, &ja, &en) < 0)
		st = fail_usage("--format %s: %s", "--format %s: %s", o->format,
				strcmp(msg_lang, "ja") == 0 ? ja : en);
	char *data = NULL;
	size_t len = 0;
	FILE *mem = st == 0 ? open_memstream(&data, &len) : NULL;
	int r = -ENOMEM;
	if (mem) {
		r = strcmp(o->format, "sheet") == 0
			? render_sheet(reports, (size_t)n, lang, mem)
			: render_sheet_csv(reports, (size_t)n, lang, mem);
		if (fclose(mem) != 0 && r == 0)
			r = -EIO;
		if (r == 0)
			r = write_output(o->output, data, len);
		if (r < 0)
			st = fail_usage("%s に書き込めません: %s", "cannot write %s: %s",
					o->output ? o->output : "output", strerror(-r));
	}
	free(data);
	for (int i = 0; i < n; i++)
		json_decref(reports[i]);
	return st;
}

/* How many of --pubkey, --allowed-signers, --known-hosts, --ca were given. */
static int trust_count(const struct verify_opts *t)
{
	return !!t->pubkey + !!t->allowed_signers + !!t->known_hosts + !!t->ca;
}

/* report FILE --signature SIG --pubkey ...: the signature checked as
 * tenken verify checks it, and its result put beside the report for the
 * renderers that show it (the MDS/SDS view); a JSON rendering stays the
 * report as it was signed. */
static int attach_verification(json_t *report, const char *path, const struct opts *o)
{
	if (!o->signature || trust_count(&o->trust) != 1)
		return fail_usage("--signature SIG と、--pubkey, --allowed-signers, --known-hosts, "
				  "--ca のどれか一つを指定してください",
				  "give --signature SIG and one of --pubkey, --allowed-signers, "
				  "--known-hosts, --ca");
	struct verify_result res;
	int r = evidence_verify_file(path, o->signature, &o->trust, &res);
	if (r < 0)
		return fail_usage("%s: %s", "%s: %s", o->signature,
				  strcmp(msg_lang, "ja") == 0 && res.why_ja[0] ? res.why_ja
				  : res.why_en[0]			       ? res.why_en
									       : strerror(-r));
	char bad[256] = "";
	bool consistent = evidence_check_consistency(report, bad, sizeof(bad)) == 0;
	if (o->format && strcmp(o->format, "json") == 0)
		return 0;
	const char *why = !res.valid ? res.why_en : !consistent ? bad : NULL;
	json_object_set_new(report, "verification",
			    json_pack("{s:s, s:s, s:s, s:s, s:s?}", "status",
				      res.valid && consistent ? "valid" : "invalid", "signer",
				      res.signer, "method", res.method, "key", res.key, "why",
				      why));
	return 0;
}

static int cmd_report(char **paths, int n, const struct opts *o)
{
	if (is_sheet(o->format))
		return cmd_sheet(paths, n, o);
	if (n != 1)
		return fail_usage(
		    "report: レポートは 1 つだけ指定してください（--format sheet は 3 つまで）",
		    "report: give one report (--format sheet takes up to three)");
	const char *path = paths[0];
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	json_auto_t *report = NULL;
	int rst = read_json_file(path, &buf, &len, &report);
	if (rst)
		return rst;
	const char *fmt = json_string_value(json_object_get(report, "format"));
	if (!fmt || strcmp(fmt, "tenken-report") != 0)
		return fail_usage("%s: tenken のレポートではありません（\"format\" が "
				  "\"tenken-report\" ではない）",
				  "%s: not a tenken report (\"format\" is not \"tenken-report\")",
				  path);
	if (o->signature || trust_count(&o->trust)) {
		int st = attach_verification(report, path, o);
		if (st)
			return st;
	}
	return emit(report, o) < 0 ? EXIT_USAGE : 0;
}

static int cmd_verify(const char *path, const struct opts *o)
{
	if (!o->signature)
		return fail_usage("verify: --signature SIG が必要です",
				  "verify: --signature SIG is required");
	return evidence_cmd_verify(path, o->signature, &o->trust, o->lang ? o->lang : msg_lang);
}

/* A saved report's bytes (*buf, LIMIT_REPORT_FILE at most: a FIFO or a
 * device is refused, not read) and its JSON (*ret, new reference). 0, or
 * the usage exit status once the problem is told as FILE[:LINE:COLUMN]. */
static int read_json_file(const char *path, char **buf, size_t *len, json_t **ret)
{
	json_error_t err;
	int r = readfile(path, LIMIT_REPORT_FILE, buf, len);
	if (r < 0) {
		char ja[LIMIT_PATH + 128], en[LIMIT_PATH + 128];
		readfile_error(path, r, LIMIT_REPORT_FILE, ja, sizeof(ja), en, sizeof(en));
		return fail_usage("%s", "%s", strcmp(msg_lang, "ja") == 0 ? ja : en);
	}
	*ret = json_loadb(*buf, *len, JSON_REJECT_DUPLICATES, &err);
	if (!*ret) {
		fprintf(stderr, "%s:%d:%d: %s\n", path, err.line, err.column, err.text);
		return EXIT_USAGE;
	}
	return 0;
}

/* Load a saved tenken report for diff and sheet. Every problem is told as
 * FILE:LINE:COLUMN (JSON syntax from jansson, a wrong shape through
 * jsonpos) and returns the usage exit status. */
static int load_saved_report(const char *path, json_t **ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	json_t *rep;
	int st = read_json_file(path, &buf, &len, &rep);
	if (st)
		return st;
	const char *ptr, *ja, *en;
	if (report_check_shape(rep, &ptr, &ja, &en) < 0) {
		struct jsonpos pos = {1, 1};
		jsonpos_find(buf, len, ptr, false, &pos);
		fprintf(stderr, "%s:%u:%u: %s%s%s\n", path, pos.line, pos.column,
			strcmp(msg_lang, "ja") == 0 ? ja : en, *ptr ? " " : "", ptr);
		json_decref(rep);
		return EXIT_USAGE;
	}
	*ret = rep;
	return 0;
}

/* tenken diff OLD NEW: exit 0 when the scans agree, 1 when something
 * changed, 2 on bad input. Reports of two different machines (machine-id
 * differs, or either lacks one) are refused: a diff across hosts would
 * read as drift that never happened. */
static int cmd_diff(char **args, const struct opts *o)
{
	static const char *const formats[] = {"text", "json", "html", NULL};
	json_auto_t *a = NULL, *b = NULL;
	const char *fmt = o->format ? o->format : (!o->output && isatty(1)) ? "text" : "json";
	const char *lang = o->lang ? o->lang : default_lang();
	if (!one_of(fmt, formats))
		return fail_usage("diff: 使える形式は text, json, html です（'%s' は不可）",
				  "diff: the formats are text, json and html, not '%s'", fmt);
	int st = load_saved_report(args[0], &a);
	if (st == 0)
		st = load_saved_report(args[1], &b);
	if (st)
		return st;
	const char *ma = report_machine_id(a), *mb = report_machine_id(b);
	if (!ma || !mb || strcmp(ma, mb) != 0)
		return fail_usage(
		    "diff: %s と %s は別のホストのレポートです（machine-id: %s / %s）",
		    "diff: %s and %s are reports of different hosts (machine-id: %s "
		    "/ %s)",
		    args[0], args[1], ma ? ma : "-", mb ? mb : "-");
	json_auto_t *d = diff_reports(a, b);
	char *data = NULL;
	size_t len = 0;
	FILE *mem = d ? open_memstream(&data, &len) : NULL;
	if (!mem)
		return fail_usage("メモリ不足", "out of memory");
	int r = strcmp(fmt, "json") == 0   ? render_json(d, lang, false, mem)
		: strcmp(fmt, "html") == 0 ? render_diff_html(d, lang, mem)
					   : render_diff_text(d, lang, mem);
	if (fclose(mem) != 0 && r == 0)
		r = -EIO;
	if (r == 0)
		r = write_output(o->output, data, len);
	free(data);
	if (r < 0)
		return fail_usage("%s に書き込めません: %s", "cannot write %s: %s",
				  o->output ? o->output : "output", strerror(-r));
	return diff_count(d) > 0 ? 1 : 0;
}

/* Many reports, a directory or a store: the fleet summary (store/cli.c).
 * One report file and no store option: that report, as before. */
static bool fleet_mode(const struct opts *o, char **args, int nargs)
{
	struct stat st;
	if (o->fleet.db || o->fleet.view || o->fleet.item || o->fleet.host || o->profile ||
	    o->fleet.require_signature || o->fleet.keep_json || o->fleet.stale_days >= 0 ||
	    nargs != 1)
		return true;
	return stat(args[0], &st) == 0 && S_ISDIR(st.st_mode);
}

/* The history store's signature check: tenken verify's, with the report
 * command's trust option, then the report's own consistency. 0 with why
 * empty: valid; 0 with why set: refused; <0: the inputs could not be read. */
static int fleet_verify(const char *report, const char *sig, void *ctx, char *why, size_t n)
{
	const struct verify_opts *trust = ctx;
	struct verify_result res;
	int r = evidence_verify_file(report, sig, trust, &res);
	if (r < 0) {
		snprintf(why, n, "%s", res.why_en[0] ? res.why_en : strerror(-r));
		return r;
	}
	if (!res.valid) {
		snprintf(why, n, "%s", res.why_en);
		return 0;
	}
	json_error_t err;
	json_auto_t *doc = json_load_file(report, JSON_REJECT_DUPLICATES, &err);
	char bad[256] = "";
	if (!doc || evidence_check_consistency(doc, bad, sizeof(bad)) != 0)
		snprintf(why, n, "signed by %s, but the report is not consistent: %s", res.signer,
			 doc ? bad : err.text);
	else if (n)
		why[0] = '\0';
	return 0;
}

/* The fleet views are written straight into --output (a temporary file
 * renamed into place when the whole view was written) or stdout. */
struct fleet_sink {
	const char *path;
	struct output out;
};

static int fleet_sink_open(void *ctx, FILE **ret)
{
	struct fleet_sink *fs = ctx;
	int r = output_open(fs->path, &fs->out);
	if (r == 0)
		*ret = fs->out.f;
	return r;
}

static int fleet_sink_close(void *ctx, int r)
{
	struct fleet_sink *fs = ctx;
	return output_close(&fs->out, r);
}

static int cmd_fleet_report(struct opts *o, char **args, int nargs)
{
	if (o->fleet.require_signature) {
		if (trust_count(&o->trust) != 1)
			return fail_usage("--require-signature には --pubkey, --allowed-signers, "
					  "--known-hosts, --ca のどれか一つが必要です",
					  "--require-signature needs one of --pubkey, "
					  "--allowed-signers, --known-hosts, --ca");
		o->fleet.verify = fleet_verify;
		o->fleet.verify_ctx = &o->trust;
	} else if (o->signature || trust_count(&o->trust)) {
		return fail_usage(
		    "多数のレポートの署名は --require-signature で検証します",
		    "signatures of many reports are checked with --require-signature");
	}
	if (nargs == 0 && !o->fleet.db)
		return fail_usage(
		    "report: レポートのファイルかディレクトリ、または --db を指定してください",
		    "report: name report files or directories, or --db");
	o->fleet.format = o->format ? o->format : (!o->output && isatty(1)) ? "text" : "json";
	if (strncmp(o->fleet.format, "sds", 3) == 0)
		return fail_usage("--format %s は 1 台のレポートにだけ使えます",
				  "--format %s applies to a single report only", o->fleet.format);
	o->fleet.lang = o->lang ? o->lang : default_lang();
	o->fleet.profile = o->profile;
	o->fleet.now = o->have_now ? o->now : time(NULL);
	o->fleet.msg_lang = msg_lang;
	struct fleet_sink fs = {.path = o->output};
	struct store_sink sink = {fleet_sink_open, fleet_sink_close, &fs};
	return store_command(&o->fleet, args, nargs, &sink);
}

static int cmd_fleet(const struct opts *o)
{
	struct fleet_opts fo = {.hosts = o->hosts,
				.out = o->out,
				.parallel = o->parallel,
				.timeout = o->timeout,
				.collect = o->collect,
				.resume = o->resume,
				.scan_args = o->scan_args,
				.lang = o->lang ? o->lang : msg_lang};
	if (!o->hosts || !o->out)
		return fail_usage("fleet: --hosts FILE と --out DIR が必要です",
				  "fleet: --hosts FILE and --out DIR are needed");
	return fleet_main(&fo);
}

static int run(const struct command *c, struct opts *o, char **args, int nargs)
{
	if (strcmp(c->name, "scan") == 0) {
		char path[4096];
		int st = dated_output(o, path, sizeof(path));
		return st ? st : cmd_scan(o);
	}
	if (strcmp(c->name, "inventory") == 0)
		return cmd_inventory(o);
	if (strcmp(c->name, "baseline init") == 0)
		return cmd_baseline_init(o);
	if (strcmp(c->name, "baseline check") == 0)
		return cmd_baseline_check(args[0]);
	if (strcmp(c->name, "rules") == 0)
		return cmd_rules(o);
	if (strcmp(c->name, "verify") == 0)
		return cmd_verify(args[0], o);
	if (strcmp(c->name, "diff") == 0)
		return cmd_diff(args, o);
	if (strcmp(c->name, "fleet") == 0)
		return cmd_fleet(o);
	if (!is_sheet(o->format) && fleet_mode(o, args, nargs))
		return cmd_fleet_report(o, args, nargs);
	return cmd_report(args, nargs, o);
}

/* --lang decides the language of every message, even of an error in an
 * option before it: look for it before parsing. */
static void pick_msg_lang(int argc, char **argv)
{
	msg_lang = default_lang();
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = NULL;
		if (strncmp(argv[i], "--lang=", 7) == 0)
			v = argv[i] + 7;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			v = argv[i + 1];
		if (v && (strcmp(v, "ja") == 0 || strcmp(v, "en") == 0))
			msg_lang = v;
	}
}

/* The command named by argv[1] (and argv[2] for "baseline"); *ret_skip is
 * how many words named it. NULL with a message printed if there is none. */
static const struct command *find_command(int argc, char **argv, int *ret_skip)
{
	const struct command *c;
	char name[64];

	*ret_skip = 1;
	if (strcmp(argv[1], "baseline") != 0) {
		c = command_find(argv[1]);
		if (!c)
			fail_usage("不明なコマンド '%s'（scan, inventory, baseline, rules, report, "
				   "verify, diff, fleet, help）",
				   "unknown command '%s' (scan, inventory, baseline, rules, "
				   "report, verify, diff, fleet, "
				   "help)",
				   argv[1]);
		return c;
	}
	if (argc < 3 || argv[2][0] == '-') {
		if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
			usage_one(command_find("baseline init"), stdout);
			usage_one(command_find("baseline check"), stdout);
			return NULL;
		}
		fail_usage("baseline: 'init' か 'check FILE' を指定してください",
			   "baseline: expected 'init' or 'check FILE'");
		return NULL;
	}
	snprintf(name, sizeof(name), "baseline %s", argv[2]);
	*ret_skip = 2;
	c = command_find(name);
	if (!c)
		fail_usage("baseline: 不明な操作 '%s'（init, check）",
			   "baseline: unknown action '%s' (init, check)", argv[2]);
	return c;
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 3) {
		usage(stdout);
		return 0;
	}
	char name[64];
	snprintf(name, sizeof(name), "%s%s%s", argv[2], argc > 3 ? " " : "",
		 argc > 3 ? argv[3] : "");
	const struct command *c = command_find(name);
	if (!c && strcmp(argv[2], "baseline") == 0) {
		usage_one(command_find("baseline init"), stdout);
		usage_one(command_find("baseline check"), stdout);
		return 0;
	}
	if (!c)
		return fail_usage("不明なコマンド '%s'（tenken help）",
				  "unknown command '%s' (see tenken help)", name);
	usage_one(c, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {.fleet.stale_days = -1};
	int skip, first = 1;

	pick_msg_lang(argc, argv);
	o.argv = argv;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("tenken %s\n", TENKEN_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0)
		return cmd_help(argc, argv);
	const struct command *c = find_command(argc, argv, &skip);
	if (!c)
		return argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)
			   ? 0
			   : EXIT_USAGE;
	int nargs = argc - skip;
	if (strcmp(c->name, "fleet") == 0) {
		/* the words after "--" are the hosts' scan options, not ours */
		for (int i = skip + 1; i < argc; i++)
			if (strcmp(argv[i], "--") == 0) {
				o.scan_args = argv + i + 1;
				nargs = i - skip;
				argv[i] = NULL;
				break;
			}
	}
	int st = parse_opts(c, nargs, argv + skip, &o, &first);
	if (st)
		return st < 0 ? 0 : st;
	return run(c, &o, argv + skip + first, argc - skip - first);
}
