/* main.c - the command line (DESIGN.md, "Command line"): parses options,
 * runs the scan, renders, and writes output atomically. Only this file
 * prints to stderr and exits. Exit status: 0 no failed finding, 1 at
 * least one, 2 usage, baseline or I/O error. */
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "probes/probe.h"
#include "report/render.h"
#include "engine/cap.h"
#include "scanner/capture.h"
#include "engine/rules.h"
#include "scanner/scan.h"
#include "lib/util.h"
#include "fleet/dated.h"
#include "fleet/fleet.h"

#define EXIT_USAGE 2

/* The options; each command accepts a subset (struct command.opts). */
enum {
	O_ROOT = 1u << 0,
	O_PROFILE = 1u << 1,
	O_BASELINE = 1u << 2,
	O_FORMAT = 1u << 3,
	O_OUTPUT = 1u << 4,
	O_NOW = 1u << 5,
	O_ONLY = 1u << 6,
	O_LANG = 1u << 7,
	O_EDITION = 1u << 8,
	O_PROBES = 1u << 9,
	O_FULL_CMDLINE = 1u << 10,
	O_MAX_FINDINGS = 1u << 11,
	O_HOSTS = 1u << 18,
	O_OUT = 1u << 19,
	O_PARALLEL = 1u << 20,
	O_COLLECT = 1u << 21,
	O_RESUME = 1u << 22,
	O_TIMEOUT = 1u << 23,
	O_OUTPUT_DIR = 1u << 30,
	O_KEEP = 1u << 31,
};

struct opts {
	const char *root, *profile, *baseline, *format, *output, *lang, *edition, *only;
	time_t now;
	bool have_root, have_now, probes;
	bool full_cmdline;		      /* --full-cmdline */
	long max_per_rule;		      /* --max-findings-per-rule, 0: no cap */
	const char *hosts, *out, *output_dir; /* fleet --hosts, --out; scan --output-dir */
	long parallel, timeout, keep;	      /* fleet --parallel, --timeout; scan --keep */
	bool collect, resume;
	char **scan_args; /* fleet: the words after "--" */
};

struct command {
	const char *name;	/* "scan", "baseline init" */
	unsigned opts;		/* the O_* it accepts */
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
     O_ROOT | O_PROFILE | O_BASELINE | O_FORMAT | O_OUTPUT | O_NOW | O_ONLY | O_LANG | O_EDITION |
	 O_FULL_CMDLINE | O_MAX_FINDINGS | O_OUTPUT_DIR | O_KEEP,
     0, 0,
     "[--root DIR] [--profile server|terminal] [--baseline FILE]\n"
     "    [--format json|text|html|csv] [--output FILE] [--now TIME]\n"
     "    [--only PROBE,...] [--lang ja|en] [--checklist r6|r7]\n"
     "    [--max-findings-per-rule N] [--full-cmdline] [--output-dir DIR [--keep N]]",
     "このホスト（または --root のディレクトリ）を検査し、チェックリストの回答と根拠を出力する",
     "inspect this host (or the tree at --root) and report the checklist answers with evidence"},
    {"inventory", O_ROOT | O_FORMAT | O_OUTPUT | O_NOW | O_ONLY | O_FULL_CMDLINE, 0, 0,
     "[--root DIR] [--only PROBE,...] [--output FILE] [--now TIME] [--full-cmdline]",
     "判定せずに事実だけを JSON で出力する（2(1) 台帳）",
     "facts only, as JSON, without judging them (the 2(1) ledger)"},
    {"baseline init", O_ROOT | O_PROFILE | O_OUTPUT | O_NOW | O_ONLY, 0, 0,
     "[--root DIR] [--profile server|terminal] [--output FILE] [--now TIME]",
     "このホストを基準（ベースライン）として書き出す", "capture this host as a baseline"},
    {"baseline check", 0, 1, 1, "FILE", "ベースラインを検証し、誤りをファイル:行:列で示す",
     "validate a baseline; errors as file:line:column"},
    {"rules", O_PROFILE | O_BASELINE | O_LANG | O_EDITION | O_PROBES, 0, 0,
     "[--profile server|terminal] [--baseline FILE] [--checklist r6|r7] [--lang ja|en]\n"
     "    [--probes]",
     "ルールとチェックリスト項目の一覧（--probes: プローブの一覧）",
     "list the rules and their checklist items (--probes: the probes)"},
    {"report", O_FORMAT | O_LANG | O_OUTPUT, 1, 1,
     "[--format text|html|csv|json] [--lang ja|en] [--output FILE] FILE",
     "保存した JSON レポートを別の形式で出力する", "render a saved JSON report in another format"},
    {"fleet", O_HOSTS | O_OUT | O_PARALLEL | O_COLLECT | O_RESUME | O_TIMEOUT | O_LANG, 0, 0,
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
    {"hosts", required_argument, NULL, O_HOSTS},
    {"out", required_argument, NULL, O_OUT},
    {"parallel", required_argument, NULL, O_PARALLEL},
    {"collect", no_argument, NULL, O_COLLECT},
    {"resume", no_argument, NULL, O_RESUME},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"output-dir", required_argument, NULL, O_OUTPUT_DIR},
    {"keep", required_argument, NULL, O_KEEP},
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
		if (!(c->opts & (unsigned)ch))
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

/* A device, FIFO or terminal given as --output (/dev/null, /dev/stdout):
 * written in place, since renaming a file over it would replace the node. */
static int write_special(const char *path, const char *data, size_t len)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			off += (size_t)n;
	}
	return 0;
}

/* Write data to path atomically (temporary file in the same directory,
 * fsync, rename), or to stdout when path is NULL or "-". */
static int write_output(const char *path, const char *data, size_t len)
{
	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
			return -EIO;
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_special(path, data, len);
	_cleanup_free_ char *tmp = NULL;
	if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0)
		return -ENOMEM;
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = 0;
	for (size_t off = 0; off < len && r == 0;) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno != EINTR)
			r = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (r == 0 && (fchmod(fd, 0600) < 0 || fsync(fd) < 0))
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

/* Render the report in format into a memory buffer, then write it. */
static int emit(const json_t *report, const struct opts *o)
{
	const char *fmt = o->format ? o->format : (!o->output && isatty(1)) ? "text" : "json";
	const struct renderer *rd = renderer_find(fmt);
	const char *lang = o->lang ? o->lang : default_lang();
	bool color = !o->output && isatty(1) && !getenv("NO_COLOR");
	char *data = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&data, &len);
	if (!mem)
		return -ENOMEM;
	int r = rd ? rd->render(report, lang, color, mem) : -EINVAL;
	if (fclose(mem) != 0 && r == 0)
		r = -EIO;
	if (r == 0)
		r = write_output(o->output, data, len);
	free(data);
	if (r < 0)
		fail_usage("%s に書き込めません: %s", "cannot write %s: %s",
			   o->output ? o->output : "output", strerror(-r));
	return r;
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

static int collect(const struct opts *o, json_t **report, int64_t *t0)
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
			       .edition = o->edition ? o->edition : "r6"};
	*t0 = mono_ms();
	int r = scan_collect(&so, report);
	if (r < 0) {
		return fail_usage("--root %s: %s", "--root %s: %s", so.root, strerror(-r));
	}
	return 0;
}

static int cmd_scan(const struct opts *o)
{
	struct ruleset *rs = NULL;
	json_auto_t *report = NULL;
	int64_t t0;
	int st = load_rules(o, &rs);
	if (st == 0)
		st = collect(o, &report, &t0);
	if (st) {
		ruleset_free(rs);
		return st;
	}
	const char *edition = o->edition ? o->edition : "r6";
	int r = scan_judge(report, rs, edition);
	ruleset_free(rs);
	if (r == 0 && o->max_per_rule > 0)
		r = findings_cap(report, (size_t)o->max_per_rule);
	if (r < 0) {
		return fail_usage("ルールの評価に失敗しました: %s", "evaluating rules: %s",
				  strerror(-r));
	}
	scan_finish(report, t0);
	if (emit(report, o) < 0)
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
	int st = collect(o, &report, &t0);
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
		st = collect(o, &report, &t0);
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

static int cmd_report(const char *path, const struct opts *o)
{
	json_error_t err;
	json_auto_t *report = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!report) {
		fprintf(stderr, "%s:%d:%d: %s\n", path, err.line, err.column, err.text);
		return EXIT_USAGE;
	}
	const char *fmt = json_string_value(json_object_get(report, "format"));
	if (!fmt || strcmp(fmt, "tenken-report") != 0)
		return fail_usage("%s: tenken のレポートではありません（\"format\" が "
				  "\"tenken-report\" ではない）",
				  "%s: not a tenken report (\"format\" is not \"tenken-report\")",
				  path);
	return emit(report, o) < 0 ? EXIT_USAGE : 0;
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

static int run(const struct command *c, struct opts *o, char **args)
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
	if (strcmp(c->name, "fleet") == 0)
		return cmd_fleet(o);
	return cmd_report(args[0], o);
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
			fail_usage(
			    "不明なコマンド '%s'（scan, inventory, baseline, rules, report, fleet, "
			    "help）",
			    "unknown command '%s' (scan, inventory, baseline, rules, report, "
			    "fleet, help)",
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
	struct opts o = {0};
	int skip, first = 1;

	pick_msg_lang(argc, argv);
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
	return run(c, &o, argv + skip + first);
}
