/* fleet.c - `tenken fleet` (fleet.h): a fixed pool of workers, each
 * driving one host through the system's OpenSSH client, in one poll loop.
 *
 * Per host: an ssh master (-M -N, ControlPath in the collector's private
 * 0700 directory) makes the one connection and handshake; every further
 * step is a session multiplexed over it (-S). A scan is one session: the
 * remote script runs the host's tenken when it is this version, else asks
 * for this binary (gzip-compressed once here, fed on the session's stdin
 * only when asked), which lands in a private remote directory, is sha256
 * checked, executed with sudo -n when not root, and removed. With
 * --collect: a probe (uid), a listing, and one fetch per new report. The report goes straight from
 * ssh's stdout into a temporary file in DIR, is validated, and only then renamed into place.
 *
 * No shell runs on the collector: argv is built here and given to execv.
 * Children run in their own process groups (a terminal's Ctrl-C reaches
 * only the collector, which then cleans up over the masters) and die with
 * the collector (PR_SET_PDEATHSIG). Memory: the pool is fixed, the hosts
 * file is read a line at a time; the only per-host memory is the set of
 * output names (to refuse two hosts writing the same file), about 100
 * bytes a host. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <openssl/evp.h>
#include <zlib.h>
#include "fleet/fleet.h"
#include "fleet/hosts.h"
#include "fleet/remote.h"
#include "lib/limits.h"
#include "lib/util.h"

#define DEFAULT_PARALLEL 16
#define MAX_PARALLEL	 256
#define DEFAULT_TIMEOUT	 300
/* ssh's ConnectTimeout covers the TCP connection and sshd's banner: a host
 * whose sshd accepts but never speaks (hung, stopped, overloaded past any
 * use) is given up after this many seconds instead of the whole --timeout,
 * and recorded as "timeout". Ansible's default connection timeout is the
 * same 10 s. */
#define CONNECT_TIMEOUT	   10
#define CLEANUP_MS	   15000	 /* a remote rm over a live master takes milliseconds */
#define ERR_MAX		   8192		 /* ssh's messages come first and are short */
#define OUT_MAX		   65536	 /* probe answer or report listing */
#define FETCH_MAX	   64		 /* reports pulled per host per --collect */
#define REPORT_FSIZE_LIMIT (512ul << 20) /* a report past this is refused */
#define TICK_MS		   100
#define CONNECT_TICK_MS	   10	/* a master's socket appears without any output: look often */
#define LET_GO_MS	   2000 /* a finished master has this long to exit on SIGTERM */

enum phase { P_FREE, P_CONNECT, P_PROBE, P_RUN, P_LIST, P_FETCH, P_CLEANUP };

struct ebuf {
	char *s;
	size_t n, cap;
};

struct slot {
	enum phase phase;
	struct host_entry h;
	char safe[HOST_NAME_MAX_LEN + 1];
	char ctl[PATH_MAX];
	pid_t master, child;
	bool master_done, child_done, ran;
	int child_status, master_status;
	int merr, cerr, cout; /* read ends, -1 when closed */
	int in_w;	      /* the run's stdin (write end), -1 when closed */
	int feed;	      /* the binary being sent on in_w, -1 when none */
	off_t feed_off;
	bool asked; /* the host asked for the binary */
	struct ebuf merr_b, cerr_b, cout_b;
	int64_t deadline, cleanup_deadline;
	char tmp[PATH_MAX]; /* a file being received, "" when none */
	struct probe_info pi;
	const char *reason; /* NULL while the host may still give a report */
	char detail[512];
	int exit_status; /* the remote command's, -1 when none */
	bool answers_failed;
	char file[PATH_MAX]; /* the outcome's file, relative to DIR */
	char names[FETCH_MAX][40];
	unsigned nnames, next_name;
};

struct fleet {
	const struct fleet_opts *o;
	bool ja;
	long parallel, timeout;
	struct slot *slots;
	char tmpdir[PATH_MAX], sha[65], arch[65], token[17];
	char gz[PATH_MAX]; /* this binary, gzip-compressed once; "" when not made */
	const char *ssh, *ssh_config;
	FILE *hosts;
	struct hosts_parser hp;
	struct hset *seen;
	bool eof, stopping;
	unsigned total, done, failed, seq;
	unsigned tally_report, tally_report_failed;
	FILE *run; /* fleet.json being written */
	char run_tmp[PATH_MAX];
	FILE *errors; /* "host\treason\tdetail" lines for the table */
	int sigfd;
	struct dying {
		pid_t pid;
		int64_t kill_at;
	} * dying; /* masters told to exit, not yet reaped */
	size_t ndying;
	int64_t t0, last_progress;
	bool progress;
	char started_at[21];
	unsigned reason_count[16];
};

/* ---- messages ---- */

__attribute__((format(printf, 2, 4), format(printf, 3, 4))) static void
say(const struct fleet *F, const char *ja, const char *en, ...)
{
	va_list ap;
	va_start(ap, en);
	if (F->progress)
		fputs("\r\033[K", stderr);
	fputs("tenken fleet: ", stderr);
	vfprintf(stderr, F->ja ? ja : en, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- the set of output names (duplicate hosts) ---- */

struct hset {
	char **name;
	unsigned *line;
	size_t n, cap;
};

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void hset_free(struct hset *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		free(t->name[i]);
	free(t->name);
	free(t->line);
	free(t);
}

/* The line name was first seen on, or 0 (then it is added with line). */
static int hset_add(struct hset *t, const char *name, unsigned line, unsigned *ret_first)
{
	if (2 * (t->n + 1) > t->cap) {
		struct hset g = {.cap = t->cap ? 2 * t->cap : 256};
		g.name = calloc(g.cap, sizeof(char *));
		g.line = calloc(g.cap, sizeof(unsigned));
		if (!g.name || !g.line) {
			free(g.name);
			free(g.line);
			return -ENOMEM;
		}
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->name[i])
				continue;
			size_t j = fnv(t->name[i]) & (g.cap - 1);
			while (g.name[j])
				j = (j + 1) & (g.cap - 1);
			g.name[j] = t->name[i];
			g.line[j] = t->line[i];
		}
		free(t->name);
		free(t->line);
		g.n = t->n;
		*t = g;
	}
	size_t j = fnv(name) & (t->cap - 1);
	for (; t->name[j]; j = (j + 1) & (t->cap - 1))
		if (strcmp(t->name[j], name) == 0) {
			*ret_first = t->line[j];
			return 0;
		}
	if (!(t->name[j] = strdup(name)))
		return -ENOMEM;
	t->line[j] = line;
	t->n++;
	*ret_first = 0;
	return 0;
}

/* ---- the hosts file, a line at a time ---- */

/* The next host: 1 (*h filled), 0 at the end, <0 on a bad line (*err). */
static int next_host(FILE *f, struct hosts_parser *p, struct host_entry *h, struct hosts_error *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;
	while (r == 0 && (n = getline(&line, &cap, f)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if ((size_t)n > LIMIT_LINE) {
			memset(err, 0, sizeof(*err));
			err->line = ++p->lineno;
			err->column = LIMIT_LINE;
			snprintf(err->en, sizeof(err->en), "line longer than %u bytes", LIMIT_LINE);
			snprintf(err->ja, sizeof(err->ja), "行が %u バイトを超えています",
				 LIMIT_LINE);
			r = -EINVAL;
			break;
		}
		r = hosts_parse_line(p, line, (size_t)n, h, err);
	}
	free(line);
	return r;
}

/* Read the whole file once before contacting anyone: a bad line is exit 2
 * with nothing started. Two hosts writing the same output file are an
 * error in a plain list; in an Ansible inventory a host listed in several
 * groups is one host (the later lines are skipped). */
static int check_hosts(struct fleet *F)
{
	struct hosts_parser p;
	struct host_entry h;
	struct hosts_error err;
	int r;
	hosts_parser_init(&p);
	while ((r = next_host(F->hosts, &p, &h, &err)) == 1) {
		char safe[HOST_NAME_MAX_LEN + 1];
		unsigned first;
		host_safe_name(h.name, safe, sizeof(safe));
		if (hset_add(F->seen, safe, h.lineno, &first) < 0)
			return -ENOMEM;
		if (first && !p.ini) {
			fprintf(stderr, "%s:%u:1: %s\n", F->o->hosts, h.lineno,
				F->ja ? "同じホスト（同じ出力ファイル）が前の行にもあります"
				      : "this host (the same output file) is already listed");
			fprintf(stderr, "%s:%u:1: %s\n", F->o->hosts, first,
				F->ja ? "最初の記載" : "first listed here");
			return -EINVAL;
		}
		if (!first)
			F->total++;
	}
	if (r < 0) {
		fprintf(stderr, "%s:%u:%u: %s\n", F->o->hosts, err.line, err.column,
			F->ja ? err.ja : err.en);
		return r;
	}
	if (ferror(F->hosts))
		return -EIO;
	rewind(F->hosts);
	return 0;
}

/* ---- files in DIR ---- */

static int write_atomic(const char *path, const char *data, size_t len)
{
	_cleanup_free_ char *tmp = NULL;
	const char *slash = strrchr(path, '/');
	if (asprintf(&tmp, "%.*s.%s.tmp.XXXXXX", (int)(slash ? slash - path + 1 : 0), path,
		     slash ? slash + 1 : path) < 0)
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

/* A file is a report when it parses as JSON, says "tenken-report" and has
 * a summary; *failed says whether a check failed. */
static bool report_valid(const char *path, bool *failed)
{
	json_error_t e;
	json_auto_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	const char *fmt = json_string_value(json_object_get(j, "format"));
	json_t *fail = json_object_get(json_object_get(j, "summary"), "fail");
	if (!fmt || strcmp(fmt, "tenken-report") != 0 || !json_is_integer(fail))
		return false;
	*failed = json_integer_value(fail) > 0;
	return true;
}

static void out_path(const struct fleet *F, const char *safe, const char *ext, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s%s", F->o->out, safe, ext);
}

/* A new temporary file in dir for a report being received. */
static int open_tmp(const char *dir, const char *name, char *ret, size_t n)
{
	if ((size_t)snprintf(ret, n, "%s/.%s.tmp.XXXXXX", dir, name) >= n)
		return -ENAMETOOLONG;
	int fd = mkostemp(ret, O_CLOEXEC);
	if (fd < 0) {
		ret[0] = '\0';
		return -errno;
	}
	fchmod(fd, 0600);
	return fd;
}

static void run_entry(struct fleet *F, const char *host, const char *outcome, const char *file,
		      const char *reason, json_t *failed)
{
	json_auto_t *e = json_pack(
	    "{s:o,s:s,s:s,s:o,s:o}", "host", json_str(host), "outcome", outcome, "file", file,
	    "reason", reason ? json_string(reason) : json_null(), "answers_failed", failed);
	if (e) {
		fputs(F->done ? ",\n" : "\n", F->run);
		json_dumpf(e, F->run, JSON_COMPACT);
	}
}

static void record_error(struct fleet *F, const char *host, const char *safe, const char *reason,
			 const char *detail, int exit_status)
{
	const char *ja, *en;
	char at[21], path[PATH_MAX];
	reason_text(reason, &ja, &en);
	time_rfc3339(time(NULL), at);
	_cleanup_free_ char *mja = NULL, *men = NULL;
	if (asprintf(&mja, "%s%s%s", ja, *detail ? ": " : "", detail) < 0 ||
	    asprintf(&men, "%s%s%s", en, *detail ? ": " : "", detail) < 0)
		return;
	json_auto_t *rec =
	    json_pack("{s:s,s:i,s:o,s:s,s:{s:o,s:o},s:s,s:o}", "format", "tenken-fleet-error",
		      "format_version", 1, "host", json_str(host), "reason", reason, "message",
		      "ja", json_str(mja), "en", json_str(men), "at", at, "exit_status",
		      exit_status >= 0 ? json_integer(exit_status) : json_null());
	_cleanup_free_ char *text = rec ? json_dumps(rec, JSON_INDENT(2)) : NULL;
	_cleanup_free_ char *out = NULL;
	out_path(F, safe, ".error.json", path, sizeof(path));
	if (!text || asprintf(&out, "%s\n", text) < 0 || write_atomic(path, out, strlen(out)) < 0)
		say(F, "%s に書き込めません", "cannot write %s", path);
	if (!F->o->collect) {
		out_path(F, safe, ".json", path, sizeof(path));
		unlink(path); /* one outcome per host: the report of an earlier run goes */
	}
	char file[PATH_MAX];
	snprintf(file, sizeof(file), "%s.error.json", safe);
	run_entry(F, host, "error", file, reason, json_null());
	fprintf(F->errors, "%s\t%s\t%s\n", host, reason, detail);
	F->failed++;
	static const char *const order[] = {
	    "unreachable",   "host_key_unknown", "host_key_changed", "auth_failed",
	    "sudo_password", "timeout",		 "binary_refused",   "arch_unsupported",
	    "not_json",	     "scan_failed",	 "interrupted"};
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (strcmp(order[i], reason) == 0)
			F->reason_count[i]++;
}

static void record_report(struct fleet *F, const char *host, const char *safe, const char *file,
			  bool failed)
{
	char path[PATH_MAX];
	out_path(F, safe, ".error.json", path, sizeof(path));
	unlink(path);
	run_entry(F, host, "report", file, NULL, json_boolean(failed));
	F->tally_report++;
	F->tally_report_failed += failed;
}

/* ---- processes ---- */

static void ebuf_read(int *fd, struct ebuf *b)
{
	char scratch[4096];
	for (;;) {
		char *dst = b->n < b->cap ? b->s + b->n : scratch;
		size_t room = b->n < b->cap ? b->cap - b->n : sizeof(scratch);
		ssize_t n = read(*fd, dst, room);
		if (n > 0) {
			if (dst != scratch)
				b->n += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno != EAGAIN) {
			close(*fd);
			*fd = -1;
		}
		return;
	}
}

static int pipe_nb(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/* fork + execv of ssh with argv; stdin from in_fd (-1: /dev/null), stdout
 * to out_fd or, when out_fd is -1 and ret_out is given, a pipe; stderr to a
 * pipe. The child leads its own process group and may write files of at
 * most REPORT_FSIZE_LIMIT. Returns the pid or -errno. */
static pid_t spawn(const char *prog, char **argv, int in_fd, int out_fd, int *ret_err, int *ret_out)
{
	int ep[2], op[2] = {-1, -1};
	if (pipe_nb(ep) < 0)
		return -errno;
	if (out_fd < 0 && ret_out && pipe_nb(op) < 0) {
		close(ep[0]);
		close(ep[1]);
		return -errno;
	}
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int nul = open("/dev/null", O_RDWR);
		dup2(in_fd >= 0 ? in_fd : nul, 0);
		dup2(out_fd >= 0 ? out_fd : op[1] >= 0 ? op[1] : nul, 1);
		dup2(ep[1], 2);
		/* The master writes a multiplexed session's output: both carry it. */
		struct rlimit rl = {REPORT_FSIZE_LIMIT, REPORT_FSIZE_LIMIT};
		setrlimit(RLIMIT_FSIZE, &rl);
		closefrom(3);
		execv(prog, argv);
		dprintf(2, "tenken fleet: %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	int saved = errno;
	close(ep[1]);
	if (op[1] >= 0)
		close(op[1]);
	if (pid < 0) {
		close(ep[0]);
		if (op[0] >= 0)
			close(op[0]);
		return -saved;
	}
	setpgid(pid, pid);
	*ret_err = ep[0];
	if (ret_out)
		*ret_out = op[0];
	return pid;
}

/* Stop a process group and reap its leader (SIGTERM, then SIGKILL). */
static void stop(pid_t pid, bool *done)
{
	if (pid <= 0 || *done)
		return;
	kill(-pid, SIGTERM);
	for (int i = 0; i < 20; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			*done = true;
			return;
		}
		usleep(10000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
	*done = true;
}

/* Let a finished host's master go without waiting for it (the loop goes
 * on with the other hosts): SIGTERM now, SIGKILL after LET_GO_MS, reaped by
 * reap(). When the list is full, wait as stop() does. */
static void let_go(struct fleet *F, pid_t pid, bool *done)
{
	if (pid <= 0 || *done)
		return;
	if (!F->dying || F->ndying >= 2 * (size_t)F->parallel)
		return stop(pid, done);
	kill(-pid, SIGTERM);
	F->dying[F->ndying++] = (struct dying){pid, mono_ms() + LET_GO_MS};
	*done = true;
}

/* At the end: every master let go is gone before its directory is. */
static void bury(struct fleet *F)
{
	for (size_t i = 0; i < F->ndying; i++) {
		bool done = false;
		stop(F->dying[i].pid, &done);
	}
	F->ndying = 0;
}

/* The ssh argv: our options, the host's user and port, "--", the target,
 * then the remote command (NULL for the master). */
static pid_t ssh_spawn(struct fleet *F, struct slot *s, bool master, const char *cmd, int in_fd,
		       int out_fd, bool want_out)
{
	char ctl[PATH_MAX + 16], port[12], timeout[48];
	char *argv[40];
	int n = 0;
	snprintf(ctl, sizeof(ctl), "ControlPath=%s", s->ctl);
	snprintf(timeout, sizeof(timeout), "ConnectTimeout=%ld",
		 F->timeout < CONNECT_TIMEOUT ? F->timeout : CONNECT_TIMEOUT);
	argv[n++] = "ssh";
	if (F->ssh_config) {
		argv[n++] = "-F";
		argv[n++] = (char *)F->ssh_config;
	}
	char *common[] = {
	    "-o", "BatchMode=yes",	   "-o", ctl,	  "-o", "ServerAliveInterval=15",
	    "-o", "ServerAliveCountMax=4", "-o", timeout, "-T"};
	for (size_t i = 0; i < ARRAY_SIZE(common); i++)
		argv[n++] = common[i];
	argv[n++] = "-o";
	argv[n++] = master ? "ControlMaster=yes" : "ControlMaster=no";
	argv[n++] = "-o";
	argv[n++] = "ControlPersist=no";
	if (master)
		argv[n++] = "-N";
	if (s->h.user[0]) {
		argv[n++] = "-l";
		argv[n++] = s->h.user;
	}
	if (s->h.port) {
		snprintf(port, sizeof(port), "%u", s->h.port);
		argv[n++] = "-p";
		argv[n++] = port;
	}
	argv[n++] = "--";
	argv[n++] = s->h.target;
	if (cmd)
		argv[n++] = (char *)cmd;
	argv[n] = NULL;
	int *err = master ? &s->merr : &s->cerr;
	struct ebuf *eb = master ? &s->merr_b : &s->cerr_b;
	eb->n = 0;
	s->cout_b.n = 0;
	pid_t pid = spawn(F->ssh, argv, in_fd, out_fd, err, want_out ? &s->cout : NULL);
	if (pid > 0 && !master) {
		s->child = pid;
		s->child_done = false;
	}
	return pid;
}

/* ---- one host's steps ---- */

static void finish(struct fleet *F, struct slot *s);

static void fail(struct fleet *F, struct slot *s, const char *reason, const char *detail)
{
	s->reason = reason;
	if (detail != s->detail)
		snprintf(s->detail, sizeof(s->detail), "%s", detail);
	finish(F, s);
}

static void fail_session(struct fleet *F, struct slot *s, int status, const struct ebuf *err)
{
	s->exit_status = status;
	const char *reason = classify_failure(status, err->s, err->n, s->detail, sizeof(s->detail));
	fail(F, s, reason, s->detail);
}

static int session(struct fleet *F, struct slot *s, enum phase ph, const char *cmd, int in_fd,
		   int out_fd)
{
	pid_t pid = ssh_spawn(F, s, false, cmd, in_fd, out_fd, out_fd < 0);
	if (pid < 0) {
		fail(F, s, "scan_failed", strerror((int)-pid));
		return (int)pid;
	}
	s->phase = ph;
	return 0;
}

static void start_probe(struct fleet *F, struct slot *s)
{
	struct strbuf sb;
	strbuf_init(&sb, 1 << 16);
	if (remote_probe_cmd(&sb) == 0)
		session(F, s, P_PROBE, sb.s, -1, -1);
	strbuf_free(&sb);
}

/* The scan in one session: the host decides whether its own tenken runs
 * or asks for this binary (check_ask), which is then fed from the loop. */
static void start_run(struct fleet *F, struct slot *s)
{
	size_t n = 0;
	for (char *const *a = F->o->scan_args; a && *a; a++)
		n++;
	_cleanup_free_ char **args = calloc(n + 5, sizeof(char *));
	if (!args)
		return fail(F, s, "scan_failed", strerror(ENOMEM));
	for (size_t i = 0; i < n; i++)
		args[i] = F->o->scan_args[i];
	if (s->h.profile[0]) {
		args[n++] = "--profile";
		args[n++] = s->h.profile;
	}
	if (s->h.baseline[0]) {
		args[n++] = "--baseline";
		args[n++] = s->h.baseline;
	}
	char dir[PATH_MAX], platform[80];
	snprintf(dir, sizeof(dir), "%s", F->o->out);
	snprintf(platform, sizeof(platform), "Linux %s", F->arch);
	int out = open_tmp(dir, s->safe, s->tmp, sizeof(s->tmp));
	if (out < 0)
		return fail(F, s, "scan_failed", strerror(-out));
	int in[2];
	if (pipe2(in, O_CLOEXEC) < 0) {
		close(out);
		return fail(F, s, "scan_failed", strerror(errno));
	}
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	if (remote_run_cmd(&sb, F->sha, F->token, "tenken " TENKEN_VERSION, platform, F->gz[0],
			   args) < 0)
		fail(F, s, "scan_failed", "command line too long");
	else if (session(F, s, P_RUN, sb.s, in[0], out) == 0) {
		s->ran = true; /* the host may make its directory: clean up after an abort */
		s->in_w = in[1];
		in[1] = -1;
	}
	strbuf_free(&sb);
	close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	close(out);
}

static void close_fd(int *fd);

/* Write what the pipe takes of the binary; at its end, close the pipe (the
 * host's copy sees end of file). A write error means ssh is gone: its exit
 * status tells the rest. */
static void feed(struct slot *s)
{
	char chunk[1 << 16];
	for (;;) {
		ssize_t n = pread(s->feed, chunk, sizeof(chunk), s->feed_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ssize_t w = write(s->in_w, chunk, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		if (w < 0)
			break;
		s->feed_off += w;
	}
	close_fd(&s->feed);
	close_fd(&s->in_w);
}

/* Did the host ask for the binary (a line FLEET_ASK_* on stderr)? Then
 * take the line out of what the host said, and start sending. */
static void check_ask(struct fleet *F, struct slot *s)
{
	static const char gz[] = FLEET_ASK_GZIP "\n", plain[] = FLEET_ASK_PLAIN "\n";
	struct ebuf *b = &s->cerr_b;
	if (s->asked || s->in_w < 0)
		return;
	bool want_gz = true;
	char *m = memmem(b->s, b->n, gz, sizeof(gz) - 1);
	size_t len = sizeof(gz) - 1;
	if (!m) {
		want_gz = false;
		m = memmem(b->s, b->n, plain, sizeof(plain) - 1);
		len = sizeof(plain) - 1;
	}
	if (!m)
		return;
	memmove(m, m + len, (size_t)(b->s + b->n - (m + len)));
	b->n -= len;
	s->asked = true;
	s->feed = open(want_gz && F->gz[0] ? F->gz : "/proc/self/exe", O_RDONLY | O_CLOEXEC);
	s->feed_off = 0;
	if (s->feed < 0)
		close_fd(&s->in_w); /* the host's copy ends short: its sha256 check refuses it */
	else
		feed(s);
}

static void start_list(struct fleet *F, struct slot *s);

/* --collect: the probe says whether the listing needs sudo -n. */
static void after_probe(struct fleet *F, struct slot *s)
{
	probe_info_parse(s->cout_b.s, s->cout_b.n, &s->pi);
	if (!s->pi.complete)
		return fail(F, s, "not_json",
			    F->ja ? "事前確認への応答が読めません"
				  : "the probe's answer is unreadable");
	start_list(F, s);
}

static void after_run(struct fleet *F, struct slot *s)
{
	int st = s->child_status;
	char final[PATH_MAX];
	bool failed = false;
	if (st == FLEET_RC_NOSHA) {
		s->exit_status = st;
		return fail(F, s, "binary_refused",
			    F->ja ? "ホストに sha256sum がありません" : "no sha256sum on the host");
	}
	if (st != 0 && st != 1)
		return fail_session(F, s, st, &s->cerr_b);
	if (memmem(s->cerr_b.s, s->cerr_b.n, "a password is required", 22))
		return fail_session(F, s, st, &s->cerr_b);
	if (!report_valid(s->tmp, &failed)) {
		s->exit_status = st;
		return fail(F, s, "not_json", "");
	}
	out_path(F, s->safe, ".json", final, sizeof(final));
	if (rename(s->tmp, final) < 0)
		return fail(F, s, "scan_failed", strerror(errno));
	s->tmp[0] = '\0';
	s->answers_failed = failed;
	snprintf(s->file, sizeof(s->file), "%s.json", s->safe);
	finish(F, s);
}

/* ---- --collect ---- */

static void host_dir(const struct fleet *F, const struct slot *s, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", F->o->out, s->safe);
}

/* The newest report already collected for s ("" when none). */
static void newest_collected(const struct fleet *F, const struct slot *s, char *ret, size_t n)
{
	char dir[PATH_MAX];
	host_dir(F, s, dir, sizeof(dir));
	ret[0] = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (report_name_ok(e->d_name, len) && len < n &&
		    !str_startswith(e->d_name + len - 4, ".sig") && strcmp(e->d_name, ret) > 0)
			memcpy(ret, e->d_name, len + 1);
	}
	closedir(d);
}

static void start_list(struct fleet *F, struct slot *s)
{
	struct strbuf sb;
	strbuf_init(&sb, 1 << 16);
	if (remote_list_cmd(&sb, s->pi.uid != 0) == 0)
		session(F, s, P_LIST, sb.s, -1, -1);
	strbuf_free(&sb);
}

static void fetch_next(struct fleet *F, struct slot *s);

/* The reports newer than the newest collected, oldest first, at most
 * FETCH_MAX (the rest come with the next collection). */
static void after_list(struct fleet *F, struct slot *s)
{
	char newest[64], dir[PATH_MAX];
	struct line_iter it;
	struct line l;
	if (s->child_status == FLEET_RC_NOREPORTS)
		return fail(F, s, "scan_failed",
			    F->ja ? "ホストに定期検査のレポートがありません"
				  : "no scheduled report on the host");
	if (s->child_status != 0)
		return fail_session(F, s, s->child_status, &s->cerr_b);
	newest_collected(F, s, newest, sizeof(newest));
	s->nnames = s->next_name = 0;
	line_iter_init(&it, s->cout_b.s, s->cout_b.n);
	while (line_iter_next(&it, &l) && s->nnames < FETCH_MAX) {
		char name[40];
		if (!report_name_ok(l.s, l.len))
			continue;
		memcpy(name, l.s, l.len);
		name[l.len] = '\0';
		if (strncmp(name, newest, strlen("tenken-YYYYmmddTHHMMSSZ")) > 0 || !newest[0])
			memcpy(s->names[s->nnames++], name, l.len + 1);
	}
	host_dir(F, s, dir, sizeof(dir));
	if (s->nnames && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return fail(F, s, "scan_failed", strerror(errno));
	if (newest[0])
		snprintf(s->file, sizeof(s->file), "%s/%s", s->safe, newest);
	fetch_next(F, s);
}

static void fetch_next(struct fleet *F, struct slot *s)
{
	char dir[PATH_MAX];
	if (s->next_name >= s->nnames) {
		if (!s->file[0])
			return fail(F, s, "scan_failed",
				    F->ja ? "ホストに定期検査のレポートがありません"
					  : "no scheduled report on the host");
		return finish(F, s);
	}
	host_dir(F, s, dir, sizeof(dir));
	int out = open_tmp(dir, s->names[s->next_name], s->tmp, sizeof(s->tmp));
	if (out < 0)
		return fail(F, s, "scan_failed", strerror(-out));
	struct strbuf sb;
	strbuf_init(&sb, 1 << 16);
	if (remote_fetch_cmd(&sb, s->pi.uid != 0, s->names[s->next_name]) == 0)
		session(F, s, P_FETCH, sb.s, -1, out);
	strbuf_free(&sb);
	close(out);
}

static void after_fetch(struct fleet *F, struct slot *s)
{
	const char *name = s->names[s->next_name];
	char final[PATH_MAX];
	bool failed = false;
	struct stat st;
	if (s->child_status != 0)
		return fail_session(F, s, s->child_status, &s->cerr_b);
	bool sig = str_startswith(name + strlen(name) - 4, ".sig");
	if (sig ? stat(s->tmp, &st) < 0 || st.st_size == 0 : !report_valid(s->tmp, &failed)) {
		snprintf(s->detail, sizeof(s->detail), "%s", name);
		return fail(F, s, "not_json", s->detail);
	}
	snprintf(final, sizeof(final), "%s/%s/%s", F->o->out, s->safe, name);
	if (rename(s->tmp, final) < 0)
		return fail(F, s, "scan_failed", strerror(errno));
	s->tmp[0] = '\0';
	if (!sig) {
		snprintf(s->file, sizeof(s->file), "%s/%s", s->safe, name);
		s->answers_failed = failed;
	}
	s->next_name++;
	fetch_next(F, s);
}

/* The answers_failed of the newest collected report, read back. */
static bool collected_failed(const struct fleet *F, const struct slot *s)
{
	char path[PATH_MAX];
	bool failed = false;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", F->o->out, s->file) >= sizeof(path))
		return false;
	return report_valid(path, &failed) && failed;
}

/* ---- the slot's life ---- */

static void slot_reset(struct slot *s)
{
	struct ebuf a = s->merr_b, b = s->cerr_b, c = s->cout_b;
	memset(s, 0, sizeof(*s));
	s->merr_b = a;
	s->cerr_b = b;
	s->cout_b = c;
	s->merr = s->cerr = s->cout = s->in_w = s->feed = -1;
	s->exit_status = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void finish(struct fleet *F, struct slot *s)
{
	stop(s->child, &s->child_done);
	let_go(F, s->master, &s->master_done);
	close_fd(&s->merr);
	close_fd(&s->cerr);
	close_fd(&s->cout);
	close_fd(&s->in_w);
	close_fd(&s->feed);
	if (s->tmp[0])
		unlink(s->tmp);
	unlink(s->ctl);
	if (s->reason)
		record_error(F, s->h.name, s->safe, s->reason, s->detail, s->exit_status);
	else
		record_report(F, s->h.name, s->safe, s->file,
			      F->o->collect ? collected_failed(F, s) : s->answers_failed);
	F->done++;
	slot_reset(s);
}

/* Stop what the host is doing for reason (timeout, interrupted); remove
 * the remote temporary directory over the master if a run had begun. */
static void abort_slot(struct fleet *F, struct slot *s, const char *reason)
{
	struct strbuf sb;
	struct stat st;
	if (s->phase == P_CLEANUP)
		return;
	s->reason = reason;
	s->detail[0] = '\0';
	stop(s->child, &s->child_done);
	close_fd(&s->cerr);
	close_fd(&s->cout);
	close_fd(&s->in_w);
	close_fd(&s->feed);
	if (!s->ran || s->master_done || stat(s->ctl, &st) < 0)
		return finish(F, s);
	strbuf_init(&sb, 1 << 16);
	if (remote_cleanup_cmd(&sb, F->token) == 0 &&
	    ssh_spawn(F, s, false, sb.s, -1, -1, false) > 0) {
		s->phase = P_CLEANUP;
		s->cleanup_deadline = mono_ms() + CLEANUP_MS;
	} else {
		finish(F, s);
	}
	strbuf_free(&sb);
}

static void start_host(struct fleet *F, struct slot *s, const struct host_entry *h)
{
	slot_reset(s);
	s->h = *h;
	host_safe_name(h->name, s->safe, sizeof(s->safe));
	if ((size_t)snprintf(s->ctl, sizeof(s->ctl), "%s/c%u", F->tmpdir, F->seq++) >=
	    sizeof(s->ctl))
		return fail(F, s, "scan_failed", "path too long");
	s->deadline = mono_ms() + F->timeout * 1000;
	pid_t pid = ssh_spawn(F, s, true, NULL, -1, -1, false);
	if (pid < 0) {
		s->master_done = true;
		return fail(F, s, "scan_failed", strerror((int)-pid));
	}
	s->master = pid;
	s->phase = P_CONNECT;
}

static bool socket_ready(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* Move s on after whatever happened (a child ended, time passed). */
static void advance(struct fleet *F, struct slot *s)
{
	if (s->phase == P_CONNECT) {
		if (s->master_done)
			return fail_session(F, s, 255, &s->merr_b); /* ssh itself failed */
		if (socket_ready(s->ctl))
			return F->o->collect ? start_probe(F, s) : start_run(F, s);
	} else if (s->phase == P_CLEANUP) {
		if (s->child_done || mono_ms() > s->cleanup_deadline)
			return finish(F, s);
		return;
	}
	if (s->phase == P_RUN)
		check_ask(F, s);
	if (s->phase != P_FREE && s->phase != P_CONNECT && s->child_done && s->cerr < 0 &&
	    s->cout < 0) {
		switch (s->phase) {
		case P_PROBE:
			if (s->child_status != 0)
				return fail_session(F, s, s->child_status, &s->cerr_b);
			return after_probe(F, s);
		case P_RUN:
			return after_run(F, s);
		case P_LIST:
			return after_list(F, s);
		case P_FETCH:
			return after_fetch(F, s);
		default:
			break;
		}
	}
	if (s->phase != P_FREE && mono_ms() >= s->deadline)
		abort_slot(F, s, "timeout");
}

static int decode_status(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void reap(struct fleet *F)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (size_t i = 0; i < F->ndying; i++)
			if (F->dying[i].pid == pid) {
				F->dying[i] = F->dying[--F->ndying];
				break;
			}
		for (long i = 0; i < F->parallel; i++) {
			struct slot *s = &F->slots[i];
			if (s->phase == P_FREE)
				continue;
			if (pid == s->child && !s->child_done) {
				s->child_done = true;
				s->child_status = decode_status(st);
				/* what it wrote before exiting is in the pipes */
				if (s->cerr >= 0)
					ebuf_read(&s->cerr, &s->cerr_b);
				if (s->cout >= 0)
					ebuf_read(&s->cout, &s->cout_b);
			} else if (pid == s->master && !s->master_done) {
				s->master_done = true;
				s->master_status = decode_status(st);
				if (s->merr >= 0)
					ebuf_read(&s->merr, &s->merr_b);
			}
		}
	}
}

/* ---- the loop ---- */

static void fill(struct fleet *F)
{
	for (long i = 0; i < F->parallel && !F->eof && !F->stopping; i++) {
		struct slot *s = &F->slots[i];
		while (s->phase == P_FREE && !F->eof) {
			struct host_entry h;
			struct hosts_error err;
			char safe[HOST_NAME_MAX_LEN + 1], path[PATH_MAX];
			unsigned first;
			bool failed;
			if (next_host(F->hosts, &F->hp, &h, &err) != 1) {
				F->eof = true;
				break;
			}
			host_safe_name(h.name, safe, sizeof(safe));
			if (hset_add(F->seen, safe, h.lineno, &first) < 0 || first)
				continue; /* listed again in another group */
			out_path(F, safe, ".json", path, sizeof(path));
			if (F->o->resume && report_valid(path, &failed)) {
				char file[PATH_MAX];
				snprintf(file, sizeof(file), "%s.json", safe);
				record_report(F, h.name, safe, file, failed);
				F->done++;
				continue;
			}
			start_host(F, s, &h);
		}
	}
}

/* After SIGINT/SIGTERM: no new host; hosts at work stop and clean up;
 * every host not yet done gets an "interrupted" record. */
static void interrupt(struct fleet *F, bool again)
{
	for (long i = 0; i < F->parallel; i++) {
		struct slot *s = &F->slots[i];
		if (s->phase == P_CLEANUP && again)
			s->cleanup_deadline = 0;
		else if (s->phase != P_FREE && s->phase != P_CLEANUP)
			abort_slot(F, s, "interrupted");
	}
	F->stopping = true;
}

static void interrupt_rest(struct fleet *F)
{
	struct host_entry h;
	struct hosts_error err;
	while (!F->eof && next_host(F->hosts, &F->hp, &h, &err) == 1) {
		char safe[HOST_NAME_MAX_LEN + 1];
		unsigned first;
		host_safe_name(h.name, safe, sizeof(safe));
		if (hset_add(F->seen, safe, h.lineno, &first) < 0 || first)
			continue;
		/* never contacted: a report of an earlier run stays the host's outcome */
		char path[PATH_MAX], file[PATH_MAX];
		bool failed;
		out_path(F, safe, ".json", path, sizeof(path));
		snprintf(file, sizeof(file), "%s.json", safe);
		if (!F->o->collect && report_valid(path, &failed))
			record_report(F, h.name, safe, file, failed);
		else
			record_error(F, h.name, safe, "interrupted", "", -1);
		F->done++;
	}
}

static void show_progress(struct fleet *F, bool force)
{
	int64_t now = mono_ms();
	if (!F->progress || (!force && now - F->last_progress < 500))
		return;
	F->last_progress = now;
	unsigned running = 0;
	for (long i = 0; i < F->parallel; i++)
		running += F->slots[i].phase != P_FREE;
	fprintf(stderr,
		F->ja ? "\r\033[Ktenken fleet: 完了 %u/%u  失敗 %u  実行中 %u  経過 %llds"
		      : "\r\033[Ktenken fleet: done %u/%u  failed %u  running %u  elapsed %llds",
		F->done, F->total, F->failed, running, (long long)((now - F->t0) / 1000));
}

static void handle_signals(struct fleet *F)
{
	struct signalfd_siginfo si;
	while (read(F->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		if (!F->stopping)
			say(F, "中断します: 実行中のホストを片付けています",
			    "interrupted: cleaning up the hosts at work");
		interrupt(F, F->stopping);
	}
}

static void loop(struct fleet *F)
{
	size_t cap = 1 + 4 * (size_t)F->parallel;
	_cleanup_free_ struct pollfd *pf = calloc(cap, sizeof(*pf));
	_cleanup_free_ int **who = calloc(cap, sizeof(int *));
	_cleanup_free_ struct ebuf **buf = calloc(cap, sizeof(*buf));
	_cleanup_free_ struct slot **feeding = calloc(cap, sizeof(*feeding));
	if (!pf || !who || !buf || !feeding)
		return;
	for (;;) {
		fill(F);
		unsigned busy = 0;
		size_t n = 1;
		int tick = TICK_MS;
		pf[0] = (struct pollfd){.fd = F->sigfd, .events = POLLIN};
		for (long i = 0; i < F->parallel; i++) {
			struct slot *s = &F->slots[i];
			if (s->phase == P_FREE)
				continue;
			busy++;
			if (s->phase == P_CONNECT)
				tick = CONNECT_TICK_MS;
			int *fds[] = {&s->merr, &s->cerr, &s->cout};
			struct ebuf *bs[] = {&s->merr_b, &s->cerr_b, &s->cout_b};
			for (int k = 0; k < 3; k++)
				if (*fds[k] >= 0) {
					who[n] = fds[k];
					buf[n] = bs[k];
					feeding[n] = NULL;
					pf[n++] = (struct pollfd){.fd = *fds[k], .events = POLLIN};
				}
			if (s->in_w >= 0 && s->feed >= 0) {
				who[n] = &s->in_w;
				buf[n] = NULL;
				feeding[n] = s;
				pf[n++] = (struct pollfd){.fd = s->in_w, .events = POLLOUT};
			}
		}
		if (busy == 0 && (F->eof || F->stopping))
			break;
		int r = poll(pf, n, tick);
		if (r < 0 && errno != EINTR)
			break;
		for (size_t k = 1; r > 0 && k < n; k++)
			if (pf[k].revents && *who[k] == pf[k].fd) {
				if (feeding[k])
					feed(feeding[k]);
				else
					ebuf_read(who[k], buf[k]);
			}
		if (r > 0 && pf[0].revents)
			handle_signals(F);
		reap(F);
		int64_t now = mono_ms();
		for (size_t i = 0; i < F->ndying; i++)
			if (F->dying[i].kill_at <= now) {
				kill(-F->dying[i].pid, SIGKILL);
				F->dying[i].kill_at = INT64_MAX;
			}
		for (long i = 0; i < F->parallel; i++)
			if (F->slots[i].phase != P_FREE)
				advance(F, &F->slots[i]);
		show_progress(F, false);
	}
}

/* ---- setup and the end ---- */

static int sha256_self(char out[65])
{
	unsigned char md[32], chunk[1 << 16];
	unsigned mdlen = 0;
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return -ENOMEM;
	}
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		EVP_DigestUpdate(ctx, chunk, (size_t)n);
	int r = n < 0 ? -errno : 0;
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return r;
}

/* Compress this binary once into the private directory: each host then
 * receives half the bytes. On failure the plain binary is sent. */
static void make_gz(struct fleet *F)
{
	unsigned char chunk[1 << 16];
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s/tenken.gz", F->tmpdir) >= sizeof(path))
		return;
	_cleanup_close_ int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	gzFile g = fd >= 0 ? gzdopen(fd, "wb6") : NULL;
	if (in < 0 || !g) {
		if (fd >= 0 && !g)
			close(fd);
		unlink(path);
		return;
	}
	ssize_t n;
	bool ok = true;
	while (ok && (n = read(in, chunk, sizeof(chunk))) > 0)
		ok = gzwrite(g, chunk, (unsigned)n) == (int)n;
	if (gzclose(g) != Z_OK || !ok || n < 0) {
		unlink(path);
		return;
	}
	snprintf(F->gz, sizeof(F->gz), "%s", path);
}

static int setup(struct fleet *F)
{
	struct utsname u;
	unsigned char rnd[8];
	const char *t = getenv("TMPDIR");
	if (!t || !*t || strlen(t) > 60)
		t = "/tmp"; /* control sockets need a short path */
	snprintf(F->tmpdir, sizeof(F->tmpdir), "%s/tenken-fleet.XXXXXX", t);
	if (!mkdtemp(F->tmpdir))
		return -errno;
	chmod(F->tmpdir, 0700);
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -EIO;
	for (int i = 0; i < 8; i++)
		snprintf(F->token + 2 * i, 3, "%02x", rnd[i]);
	uname(&u);
	snprintf(F->arch, sizeof(F->arch), "%s", u.machine);
	if (!F->o->collect && sha256_self(F->sha) < 0)
		return -EIO;
	if (!F->o->collect)
		make_gz(F);
	F->ssh =
	    getenv("TENKEN_SSH") && *getenv("TENKEN_SSH") ? getenv("TENKEN_SSH") : "/usr/bin/ssh";
	if (access(F->ssh, X_OK) < 0) {
		say(F, "ssh クライアントがありません: %s", "no ssh client: %s", F->ssh);
		errno = ENOENT;
		return -ENOENT;
	}
	F->ssh_config = getenv("TENKEN_SSH_CONFIG") && *getenv("TENKEN_SSH_CONFIG")
			    ? getenv("TENKEN_SSH_CONFIG")
			    : NULL;
	snprintf(F->run_tmp, sizeof(F->run_tmp), "%s/.fleet.json.tmp.XXXXXX", F->o->out);
	int fd = mkostemp(F->run_tmp, O_CLOEXEC);
	if (fd < 0 || !(F->run = fdopen(fd, "w")))
		return -errno;
	fchmod(fd, 0600);
	if (!(F->errors = tmpfile()))
		return -errno;
	time_rfc3339(time(NULL), F->started_at);
	fprintf(F->run,
		"{\"format\": \"tenken-fleet-run\", \"format_version\": 1, \"started_at\": \"%s\", "
		"\"hosts\": [",
		F->started_at);
	F->slots = calloc((size_t)F->parallel, sizeof(struct slot));
	F->dying = calloc(2 * (size_t)F->parallel, sizeof(*F->dying));
	if (!F->slots || !F->dying)
		return -ENOMEM;
	for (long i = 0; i < F->parallel; i++) {
		struct slot *s = &F->slots[i];
		s->merr_b = (struct ebuf){malloc(ERR_MAX), 0, ERR_MAX};
		s->cerr_b = (struct ebuf){malloc(ERR_MAX), 0, ERR_MAX};
		s->cout_b = (struct ebuf){malloc(OUT_MAX), 0, OUT_MAX};
		if (!s->merr_b.s || !s->cerr_b.s || !s->cout_b.s)
			return -ENOMEM;
		slot_reset(s);
	}
	return 0;
}

static int finish_run(struct fleet *F)
{
	char at[21], path[PATH_MAX];
	time_rfc3339(time(NULL), at);
	fprintf(F->run, "\n], \"finished_at\": \"%s\"}\n", at);
	int r = fflush(F->run) == 0 && fsync(fileno(F->run)) == 0 ? 0 : -errno;
	fclose(F->run);
	F->run = NULL;
	snprintf(path, sizeof(path), "%s/fleet.json", F->o->out);
	if (r == 0 && rename(F->run_tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(F->run_tmp);
	return r;
}

static void print_table(struct fleet *F)
{
	static const struct {
		const char *reason, *ja, *en;
	} rows[] = {
	    {"unreachable", "接続できない", "unreachable"},
	    {"host_key_unknown", "ホスト鍵が未登録", "host key unknown"},
	    {"host_key_changed", "ホスト鍵が変わった", "host key changed"},
	    {"auth_failed", "認証失敗", "authentication failed"},
	    {"sudo_password", "sudo がパスワードを要求", "sudo needs a password"},
	    {"timeout", "時間切れ", "timeout"},
	    {"binary_refused", "バイナリを実行できない", "binary refused"},
	    {"arch_unsupported", "アーキテクチャ非対応", "architecture unsupported"},
	    {"not_json", "JSON レポートでない", "not a JSON report"},
	    {"scan_failed", "検査失敗", "scan failed"},
	    {"interrupted", "中断", "interrupted"},
	};
	bool ja = F->ja;
	printf(ja ? "tenken fleet: %u ホスト、%lld 秒\n" : "tenken fleet: %u hosts, %lld s\n",
	       F->done, (long long)((mono_ms() - F->t0) / 1000));
	printf("  %-36s %6u\n", ja ? "レポートあり（不合格なし）" : "report, no failed check",
	       F->tally_report - F->tally_report_failed);
	printf("  %-36s %6u\n", ja ? "レポートあり（不合格あり）" : "report, some check failed",
	       F->tally_report_failed);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		if (F->reason_count[i])
			printf("  %-36s %6u\n", ja ? rows[i].ja : rows[i].en, F->reason_count[i]);
	if (!F->failed)
		return;
	printf(ja ? "レポートのないホスト:\n" : "hosts without a report:\n");
	rewind(F->errors);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, F->errors)) > 0) {
		char *host = line, *reason = strchr(line, '\t');
		if (!reason)
			continue;
		*reason++ = '\0';
		char *detail = strchr(reason, '\t');
		if (detail)
			*detail++ = '\0';
		printf("  %-24s %-18s %s", host, reason, detail ? detail : "\n");
	}
	free(line);
}

static int check_opts(struct fleet *F)
{
	const struct fleet_opts *o = F->o;
	struct stat st;
	F->parallel = o->parallel ? o->parallel : DEFAULT_PARALLEL;
	F->timeout = o->timeout ? o->timeout : DEFAULT_TIMEOUT;
	if (F->parallel < 1 || F->parallel > MAX_PARALLEL) {
		say(F, "--parallel は 1〜%d です", "--parallel is 1 to %d", MAX_PARALLEL);
		return -EINVAL;
	}
	if (!o->hosts || !o->out) {
		say(F, "--hosts FILE と --out DIR が必要です",
		    "--hosts FILE and --out DIR are needed");
		return -EINVAL;
	}
	if (o->collect && o->resume) {
		say(F, "--resume は --collect と一緒には使えません",
		    "--resume does not apply with --collect");
		return -EINVAL;
	}
	for (char *const *a = o->scan_args; a && *a; a++)
		if (str_startswith(*a, "--output") || str_startswith(*a, "--format") ||
		    o->collect) {
			say(F, "検査オプション '%s' は fleet では使えません",
			    "scan option '%s' does not apply to fleet", *a);
			return -EINVAL;
		}
	if (mkdir(o->out, 0700) < 0 && errno != EEXIST) {
		say(F, "%s: %s", "%s: %s", o->out, strerror(errno));
		return -errno;
	}
	if (stat(o->out, &st) < 0 || !S_ISDIR(st.st_mode)) {
		say(F, "%s はディレクトリではありません", "%s is not a directory", o->out);
		return -ENOTDIR;
	}
	F->hosts = fopen(o->hosts, "re");
	if (!F->hosts) {
		say(F, "%s: %s", "%s: %s", o->hosts, strerror(errno));
		return -errno;
	}
	return 0;
}

static void teardown(struct fleet *F, sigset_t *old)
{
	for (long i = 0; F->slots && i < F->parallel; i++) {
		free(F->slots[i].merr_b.s);
		free(F->slots[i].cerr_b.s);
		free(F->slots[i].cout_b.s);
	}
	free(F->slots);
	bury(F);
	free(F->dying);
	if (F->run) {
		fclose(F->run);
		unlink(F->run_tmp);
	}
	if (F->errors)
		fclose(F->errors);
	if (F->hosts)
		fclose(F->hosts);
	if (F->gz[0])
		unlink(F->gz);
	if (F->tmpdir[0])
		rmdir(F->tmpdir); /* the masters removed their sockets, finish() the rest */
	if (F->sigfd >= 0)
		close(F->sigfd);
	hset_free(F->seen);
	sigprocmask(SIG_SETMASK, old, NULL);
}

int fleet_main(const struct fleet_opts *o)
{
	struct fleet F = {.o = o, .ja = o->lang && strcmp(o->lang, "ja") == 0, .sigfd = -1};
	sigset_t mask, old;
	int st = 2;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	signal(SIGPIPE, SIG_IGN);
	F.seen = calloc(1, sizeof(*F.seen));
	if (!F.seen || check_opts(&F) < 0 || check_hosts(&F) < 0)
		goto out;
	if (F.total == 0) {
		say(&F, "%s にホストがありません", "no host in %s", o->hosts);
		goto out;
	}
	hset_free(F.seen);
	F.seen = calloc(1, sizeof(*F.seen));
	hosts_parser_init(&F.hp);
	F.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (!F.seen || F.sigfd < 0 || setup(&F) < 0) {
		if (errno == ENOENT)
			goto out; /* setup said which */
		say(&F, "準備に失敗しました: %s", "cannot start: %s", strerror(errno));
		goto out;
	}
	F.t0 = mono_ms();
	F.progress = isatty(2);
	loop(&F);
	if (F.stopping)
		interrupt_rest(&F);
	show_progress(&F, true);
	if (F.progress)
		fputs("\n", stderr);
	if (finish_run(&F) < 0)
		say(&F, "fleet.json を書けません", "cannot write fleet.json");
	print_table(&F);
	st = F.stopping		     ? FLEET_EXIT_INTERRUPTED
	     : F.failed		     ? FLEET_EXIT_NO_REPORT
	     : F.tally_report_failed ? 1
				     : 0;
out:
	teardown(&F, &old);
	return st;
}
