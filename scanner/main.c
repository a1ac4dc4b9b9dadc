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
#include "scanner/cap.h"
#include "scanner/capture.h"
#include "scanner/rules.h"
#include "scanner/scan.h"
#include "scanner/util.h"

#define EXIT_USAGE 2

struct opts {
	const char *root, *profile, *baseline, *format, *output, *lang, *edition, *only;
	time_t now;
	bool have_root, have_now;
	bool full_cmdline; /* --full-cmdline */
	long max_per_rule; /* --max-findings-per-rule, 0: no cap */
};

static void usage(FILE *out)
{
	fputs(
	    "usage: tenken scan      [--root DIR] [--profile server|terminal] [--baseline FILE]\n"
	    "                        [--format json|text|html|csv] [--output FILE] [--now TIME]\n"
	    "                        [--only PROBE,...] [--lang ja|en] [--checklist r6|r7]\n"
	    "                        [--max-findings-per-rule N] [--full-cmdline]\n"
	    "       tenken inventory [--root DIR] [--only PROBE,...] [--output FILE] [--now TIME]\n"
	    "       tenken baseline init  [--root DIR] [--profile P] [--output FILE]\n"
	    "       tenken baseline check FILE\n"
	    "       tenken rules [--profile P] [--baseline FILE] [--checklist r6|r7] [--lang "
	    "ja|en]\n"
	    "       tenken report [--format text|html|csv|json] [--lang ja|en] [--output FILE] "
	    "FILE\n"
	    "       tenken --version\n"
	    "Exit status: 0 no failed finding, 1 at least one failed finding, 2 error.\n",
	    out);
}

__attribute__((format(printf, 1, 2))) static int fail_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tenken: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return EXIT_USAGE;
}

static bool one_of(const char *v, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(v, *allowed) == 0)
			return true;
	return false;
}

static const char *default_lang(void)
{
	const char *l = getenv("LC_ALL");
	if (!l || !*l)
		l = getenv("LANG");
	return l && strncmp(l, "ja", 2) == 0 ? "ja" : "en";
}

/* Parses options after the subcommand; returns 0 or an exit status. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"profile", required_argument, NULL, 'p'},
	    {"baseline", required_argument, NULL, 'b'},
	    {"format", required_argument, NULL, 'f'},
	    {"output", required_argument, NULL, 'o'},
	    {"now", required_argument, NULL, 'n'},
	    {"only", required_argument, NULL, 'O'},
	    {"lang", required_argument, NULL, 'l'},
	    {"checklist", required_argument, NULL, 'c'},
	    {"full-cmdline", no_argument, NULL, 'F'},
	    {"max-findings-per-rule", required_argument, NULL, 'M'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	static const char *const formats[] = {"json", "text", "html", "csv", NULL};
	static const char *const langs[] = {"ja", "en", NULL};
	static const char *const editions[] = {"r6", "r7", NULL};
	static const char *const profiles[] = {"server", "terminal", NULL};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->root = optarg;
			o->have_root = true;
			break;
		case 'p':
			o->profile = optarg;
			break;
		case 'b':
			o->baseline = optarg;
			break;
		case 'f':
			o->format = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'O':
			o->only = optarg;
			break;
		case 'l':
			o->lang = optarg;
			break;
		case 'c':
			o->edition = optarg;
			break;
		case 'F':
			o->full_cmdline = true;
			fputs("tenken: warning: --full-cmdline shows command-line values in the "
			      "report; known secret forms are masked, but a secret in another form "
			      "may show. Keep the report private.\n",
			      stderr);
			break;
		case 'M':
			if (parse_long(optarg, &o->max_per_rule) < 0 || o->max_per_rule < 1)
				return fail_usage("--max-findings-per-rule: not a positive number: "
						  "'%s'",
						  optarg);
			break;
		case 'n':
			if (time_parse_rfc3339(optarg, &o->now) < 0)
				return fail_usage("--now: not an RFC 3339 time: '%s' "
						  "(example: 2026-11-22T09:00:00+09:00)",
						  optarg);
			o->have_now = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return fail_usage("unknown or incomplete option '%s' (see tenken --help)",
					  argv[optind - 1]);
		}
	}
	if (o->format && !one_of(o->format, formats))
		return fail_usage("--format: unknown format '%s' (json, text, html, csv)",
				  o->format);
	if (o->lang && !one_of(o->lang, langs))
		return fail_usage("--lang: unknown language '%s' (ja, en)", o->lang);
	if (o->edition && !one_of(o->edition, editions))
		return fail_usage("--checklist: unknown edition '%s' (r6, r7)", o->edition);
	if (o->profile && !one_of(o->profile, profiles))
		return fail_usage("--profile: unknown profile '%s' (server, terminal)", o->profile);
	return 0;
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
		return fail_usage("%s", "out of memory");
	}
	size_t i = 0;
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!probe_find(t)) {
			int st =
			    fail_usage("--only: unknown probe '%s' (see tenken rules --probes)", t);
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
	const char *lang = o->lang ? o->lang : default_lang();
	char *data = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&data, &len);
	if (!mem)
		return -ENOMEM;
	int r = 0;
	if (strcmp(fmt, "json") == 0)
		r = json_dumpf(report, mem, JSON_INDENT(2)) < 0 ? -EIO : 0;
	else if (strcmp(fmt, "text") == 0)
		r = render_text(report, lang, !o->output && isatty(1) && !getenv("NO_COLOR"), mem);
	else if (strcmp(fmt, "csv") == 0)
		r = render_csv(report, lang, mem);
	else
		r = render_html(report, lang, mem);
	if (r == 0 && strcmp(fmt, "json") == 0)
		fputc('\n', mem);
	if (fclose(mem) != 0 && r == 0)
		r = -EIO;
	if (r == 0)
		r = write_output(o->output, data, len);
	free(data);
	if (r < 0)
		fprintf(stderr, "tenken: cannot write %s: %s\n", o->output ? o->output : "output",
			strerror(-r));
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
		fprintf(stderr, "tenken: --root %s: %s\n", so.root, strerror(-r));
		return EXIT_USAGE;
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
		fprintf(stderr, "tenken: evaluating rules: %s\n", strerror(-r));
		return EXIT_USAGE;
	}
	scan_finish(report, t0);
	if (emit(report, o) < 0)
		return EXIT_USAGE;
	return report_fail_count(report) > 0 ? 1 : 0;
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
		return fail_usage("inventory: only --format json is available, not '%s'",
				  o->format);
	return emit(report, o) < 0 ? EXIT_USAGE : 0;
}

static int cmd_baseline(int argc, char **argv, struct opts *o)
{
	if (argc < 2)
		return fail_usage("%s", "baseline: expected 'init' or 'check FILE'");
	if (strcmp(argv[1], "check") == 0) {
		if (argc != 3)
			return fail_usage("%s", "baseline check: expected one FILE");
		struct diag d = {0};
		if (ruleset_check_file(argv[2], &d) < 0) {
			print_diag(&d);
			return EXIT_USAGE;
		}
		printf("%s: ok\n", argv[2]);
		return 0;
	}
	if (strcmp(argv[1], "init") != 0)
		return fail_usage("baseline: unknown action '%s' (init, check)", argv[1]);
	int st = parse_opts(argc - 1, argv + 1, o);
	if (st)
		return st;
	struct ruleset *rs = NULL;
	json_auto_t *report = NULL, *baseline = NULL;
	int64_t t0;
	st = load_rules(o, &rs);
	if (st == 0)
		st = collect(o, &report, &t0);
	char err[512] = "out of memory";
	if (st == 0 && baseline_capture(report, rs, &baseline, err, sizeof(err)) < 0) {
		fprintf(stderr, "tenken: baseline init: %s\n", err);
		st = EXIT_USAGE;
	}
	ruleset_free(rs);
	if (st)
		return st;
	_cleanup_free_ char *text = json_dumps(baseline, JSON_INDENT(2));
	_cleanup_free_ char *out = NULL;
	if (!text || asprintf(&out, "%s\n", text) < 0)
		return EXIT_USAGE;
	return write_output(o->output, out, strlen(out)) < 0 ? EXIT_USAGE : 0;
}

static int cmd_rules(const struct opts *o)
{
	struct ruleset *rs = NULL;
	int st = load_rules(o, &rs);
	if (st)
		return st;
	ruleset_print(rs, o->edition ? o->edition : "r6", o->lang ? o->lang : default_lang(),
		      stdout);
	ruleset_free(rs);
	return 0;
}

static int cmd_report(int argc, char **argv, struct opts *o)
{
	if (optind != argc - 1)
		return fail_usage("%s", "report: expected one report FILE");
	json_error_t err;
	json_auto_t *report = json_load_file(argv[optind], JSON_REJECT_DUPLICATES, &err);
	if (!report) {
		fprintf(stderr, "%s:%d:%d: %s\n", argv[optind], err.line, err.column, err.text);
		return EXIT_USAGE;
	}
	const char *fmt = json_string_value(json_object_get(report, "format"));
	if (!fmt || strcmp(fmt, "tenken-report") != 0)
		return fail_usage("%s: not a tenken report (\"format\" is not \"tenken-report\")",
				  argv[optind]);
	return emit(report, o) < 0 ? EXIT_USAGE : 0;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0) {
		printf("tenken %s\n", TENKEN_VERSION);
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "baseline") == 0)
		return cmd_baseline(argc - 1, argv + 1, &o);
	int st = parse_opts(argc - 1, argv + 1, &o);
	if (st)
		return st;
	int rest = argc - 1 - optind;
	if (strcmp(cmd, "report") == 0)
		return cmd_report(argc - 1, argv + 1, &o);
	if (rest > 0)
		return fail_usage("unexpected argument '%s'", argv[1 + optind]);
	if (strcmp(cmd, "scan") == 0)
		return cmd_scan(&o);
	if (strcmp(cmd, "inventory") == 0)
		return cmd_inventory(&o);
	if (strcmp(cmd, "rules") == 0)
		return cmd_rules(&o);
	return fail_usage("unknown command '%s' (scan, inventory, baseline, rules, report)", cmd);
}
