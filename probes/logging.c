/* logging.c - the "logging" probe (checklist 2(6), guideline 6.0
 * システム運用編 17: what is logged, kept for how long, protected how).
 *
 * Reads through ctx->root: journald.conf and its drop-ins (systemd's
 * precedence), rsyslog or syslog-ng configuration with includes (where
 * auth/authpriv messages go, remote forwarding), logrotate.conf with
 * logrotate.d (retention per log file), auditd.conf and the audit rules
 * (rules.d assembled as augenrules does, else audit.rules), and stats the
 * log files found (auth log, syslog, wtmp/btmp/lastlog, audit log).
 * Parsing lives in logging_parse.c. Nothing is executed; "enabled"
 * comes from systemd's .wants symlinks under /etc/systemd/system.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "probes/parse/accounts_parse.h"
#include "lib/limits.h"
#include "probes/parse/logging_parse.h"
#include "probes/probe.h"
#include "probes/read/confwalk.h"

static const struct column logging_columns[] = {
    {"journald_storage", COL_STRING,
     "effective journal storage: persistent, volatile or none (auto resolved "
     "by "
     "/var/log/journal); null if a journald.conf could not be read"},
    {"journald_installed", COL_BOOL, "systemd-journald exists (else journald_storage is none)"},
    {"journald_storage_setting", COL_STRING, "Storage= as configured (\"auto\" when unset)"},
    {"journald_storage_source", COL_STRING, "file:line of Storage=, \"default\" when unset"},
    {"journald_persistent", COL_BOOL, "the journal is kept on disk across reboots"},
    {"journald_max_retention_sec", COL_INT, "MaxRetentionSec= in seconds, 0 = no time limit"},
    {"journald_retention_days", COL_INT, "MaxRetentionSec= in whole days, 0 = no time limit"},
    {"journald_system_max_use", COL_STRING, "SystemMaxUse= as written, \"default\" when unset"},
    {"journald_system_keep_free", COL_STRING, "SystemKeepFree= as written, \"default\" when unset"},
    {"journald_max_file_sec", COL_INT, "MaxFileSec= in seconds (default one month), 0 = none"},
    {"journald_files", COL_INT,
     "journal files in /var/log/journal/MACHINE-ID/; null if unreadable"},
    {"journald_disk_usage_bytes", COL_INT,
     "their allocated size (journalctl --disk-usage); null if some could not be read"},
    {"journald_span_days", COL_INT,
     "days from the oldest entry to the newest (journal file headers); null if unknown"},
    {"journald_max_use_bytes", COL_INT,
     "size the journal may grow to: SystemMaxUse= (default 10% of its file system, at most "
     "4 GiB), less what SystemKeepFree= keeps free; null if unknown"},
    {"journald_size_known", COL_BOOL,
     "the journal on disk covers at least a day, so its size tells how many days fit"},
    {"journald_size_retention_days", COL_INT,
     "days the size limit keeps at the journal's own rate (max_use x span / usage), capped by "
     "MaxRetentionSec=; null unless journald_size_known"},
    {"journald_forward_to_syslog", COL_BOOL,
     "ForwardToSyslog=; null when unset (the default differs between "
     "distributions)"},
    {"rsyslog_installed", COL_BOOL, "/usr/sbin/rsyslogd exists"},
    {"rsyslog_enabled", COL_BOOL, "rsyslog.service is enabled"},
    {"syslog_ng_installed", COL_BOOL, "/usr/sbin/syslog-ng exists"},
    {"syslog_ng_enabled", COL_BOOL, "syslog-ng.service is enabled"},
    {"syslog_daemon", COL_STRING, "installed and enabled syslog daemon: rsyslog, syslog-ng, none"},
    {"syslog_auth_destinations", COL_ARRAY,
     "where the enabled syslog daemon sends auth/authpriv messages: file paths "
     "and @host for "
     "remote (rsyslog and syslog-ng)"},
    {"auth_log_files", COL_ARRAY, "the local files among syslog_auth_destinations"},
    {"syslog_remote_forwarding", COL_BOOL, "the enabled syslog daemon forwards to a remote host"},
    {"syslog_remote_targets", COL_ARRAY, "remote hosts it forwards to"},
    {"auditd_installed", COL_BOOL, "auditd is installed (/sbin/auditd or /usr/sbin/auditd)"},
    {"auditd_enabled", COL_BOOL, "auditd.service is enabled"},
    {"audit_rules_source", COL_STRING,
     "where the rules were read: /etc/audit/rules.d or /etc/audit/audit.rules, "
     "\"none\""},
    {"audit_rules", COL_INT,
     "watch (-w) and syscall (-a) rules auditctl -R loads (after -D deletions)"},
    {"audit_rules_not_loaded", COL_INT,
     "-w/-a rules auditctl -R would not load: rejected (bad syntax, already loaded, after -e 2) "
     "or after the line where the load stops; null if the rules could not be read"},
    {"audit_load_stops_at", COL_STRING,
     "file:line where auditctl -R stops (a rejected line with no -c or -i before it), null if "
     "it loads to the end or the rules could not be read"},
    {"audit_immutable", COL_BOOL, "the rules end with -e 2 (locked until reboot)"},
    {"audit_watches_logins", COL_BOOL, "faillog, lastlog, faillock, wtmp, btmp or utmp is watched"},
    {"audit_watches_sudo", COL_BOOL, "sudoers changes or sudo/su executions are watched"},
    {"audit_watches_accounts", COL_BOOL, "writes to /etc/passwd, /etc/shadow and /etc/group"},
    {"auditd_log_file", COL_STRING, "auditd.conf log_file (default /var/log/audit/audit.log)"},
    {"basis", COL_STRING,
     "live (whether daemons run was read) or configuration (under --root: configuration only)"},
    {"journald_running", COL_BOOL,
     "systemd-journald runs (/proc comm and exe); null under --root or when hidepid hides it"},
    {"syslog_running", COL_BOOL,
     "the enabled syslog daemon (syslog_daemon) runs; false if none; null under --root"},
    {"auditd_running", COL_BOOL, "auditd runs; null under --root or when hidepid hides it"},
    {"auth_log_path", COL_STRING, "the local auth log (first of auth_log_files), null if none"},
    {"auth_log_present", COL_BOOL, "the auth log file exists"},
    {"auth_log_age_days", COL_INT, "days since the auth log was last written"},
    {"wtmp_retention_days", COL_INT, "days of wtmp logrotate keeps (rotate x period, maxage)"},
    {"wtmp_retention_unlimited", COL_BOOL, "wtmp is never deleted (no logrotate entry, rotate -1)"},
    {NULL, 0, NULL},
};

static const struct column log_files_columns[] = {
    {"path", COL_STRING, "the log file"},
    {"role", COL_STRING, "auth, syslog (catch-all *.*), other, wtmp, btmp, lastlog or audit"},
    {"source", COL_STRING, "file:line that names it (syslog, auditd.conf), or \"builtin\""},
    {"exists", COL_BOOL, "the file exists"},
    {"mode", COL_MODE, "its permission bits"},
    {"uid", COL_INT, "owner uid"},
    {"gid", COL_INT, "group gid"},
    {"owner", COL_STRING, "owner name from the root's /etc/passwd, null if none"},
    {"group", COL_STRING, "group name from the root's /etc/group, null if none"},
    {"size", COL_INT, "size in bytes"},
    {"mtime", COL_TIME, "last write"},
    {"days_since_write", COL_INT, "whole days from mtime to now"},
    {"retention_days", COL_INT,
     "days of rotated logs logrotate keeps: rotate x period (month 30 days), "
     "capped by maxage; "
     "null if rotation is by size only or logrotate's configuration could not "
     "be read"},
    {"retention_unlimited", COL_BOOL, "never deleted: no logrotate entry, or rotate -1"},
    {"rotate_source", COL_STRING, "file:line of the logrotate entry, \"none\" if none"},
    {NULL, 0, NULL},
};

const struct collection logging_collections[] = {
    {"logging", true, logging_columns},
    {"log_files", false, log_files_columns},
    {NULL, false, NULL},
};

/* ---- reading files with includes ---- */

struct lg;
typedef void (*parse_fn)(struct lg *g, const char *path, const char *buf, size_t len);

struct lg {
	struct probe_ctx *ctx;
	json_t *out, *files; /* the logging object, the log_files array */
	struct confwalk *w;  /* every configuration file of the probe, includes followed */
	const char *cur;     /* the file whose lines are being read, for messages */
	unsigned bad_lines;
	bool optional; /* the include being followed may match nothing (rsyslog) */
	parse_fn parse;
	bool unreadable; /* a configuration file of the current kind */
	struct lr_state lr;
	struct journald_conf jc;
	struct audit_rules ar;
	const char *ar_path; /* the file auditctl -R reads, for audit_load_stops_at */
	/* syslog results */
	json_t *auth_dest, *remote, *dests; /* dests: objects {path, role, source} */
	bool remote_fwd;
	bool dests_full;      /* LIMIT_LOG_FILES reached */
	const char *inc_base; /* relative includes: rsyslog "", syslog-ng /etc/syslog-ng */
};

static const char *cur_path(const struct lg *g)
{
	return g->cur ? g->cur : "?";
}

static void on_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	struct lg *g = ud;
	if (++g->bad_lines <= LIMIT_LINE_MESSAGES)
		probe_line_error(g->ctx, cur_path(g), line, ja, en);
}

/* 1 exists, 0 absent (ENOENT on a path that resolved), -1 could not be
 * told (a symlink loop, a FIFO for a directory, EACCES, ...): the path and
 * the error are reported, the probe is partial, and the fact depending on
 * it becomes null: an unreadable path is not an absent one. */
static int exists(struct probe_ctx *ctx, const char *path, bool follow)
{
	int r = probe_exists(ctx, path, follow);
	if (r >= 0)
		return r;
	probe_file_error(ctx, path, r, false);
	return -1;
}

/* A tri-state fact: true, false or null (-1). */
static json_t *json_tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v > 0);
}

/* Either of two paths exists: 1 if one does, 0 if both are absent, -1 if
 * none exists and one could not be told. */
static int exists_any(struct probe_ctx *ctx, const char *a, const char *b)
{
	int ea = exists(ctx, a, true);
	if (ea > 0)
		return 1;
	int eb = exists(ctx, b, true);
	return eb > 0 ? 1 : ea < 0 || eb < 0 ? -1 : 0;
}

/* One configuration file read (confwalk's on_file): its problem lines
 * are counted apart from those of the file including it. */
static void lg_file(struct confwalk *w, const char *path, const char *buf, size_t len, void *ud)
{
	struct lg *g = ud;
	unsigned saved_bad = g->bad_lines;
	const char *saved_cur = g->cur;
	g->bad_lines = 0;
	g->cur = path;
	g->parse(g, path, buf, len);
	g->cur = saved_cur;
	if (g->bad_lines > LIMIT_LINE_MESSAGES)
		probe_msg(g->ctx, "%s: ほかに %u 行の問題があります", "%s: %u more problem lines",
			  path, g->bad_lines - LIMIT_LINE_MESSAGES);
	g->bad_lines = saved_bad;
}

static void lg_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	struct lg *g = ud;
	switch (ev->kind) {
	case CONFWALK_LOOP:
		probe_msg(g->ctx, "%s: インクルードがループしています (読みません)",
			  "%s: include loop (not read)", ev->path);
		probe_partial(g->ctx);
		break;
	case CONFWALK_DEPTH:
		probe_msg(g->ctx,
			  "%s: インクルードの入れ子が上限 (%d 段、LIMIT_INCLUDE_DEPTH) "
			  "を超えるため、このファイルとその先は読んでいません",
			  "%s: includes nested deeper than %d (LIMIT_INCLUDE_DEPTH): this file and "
			  "what it includes were not read",
			  ev->path, LIMIT_INCLUDE_DEPTH);
		probe_partial(g->ctx);
		g->unreadable = true; /* what it would have said is not known */
		break;
	case CONFWALK_TOO_MANY:
		if (ev->nfiles == LIMIT_LOG_CONFIG_FILES + 1)
			probe_msg(g->ctx,
				  "%s: 設定ファイルの数が上限 (%u 件、LIMIT_LOG_CONFIG_FILES) "
				  "を超えたため、このファイルから先は読んでいません",
				  "%s: more than %u configuration files (LIMIT_LOG_CONFIG_FILES): "
				  "this file and every later one were not read",
				  ev->path, LIMIT_LOG_CONFIG_FILES);
		probe_partial(g->ctx);
		g->unreadable = true;
		break;
	case CONFWALK_UNREADABLE:
		if (ev->err == -EFBIG)
			probe_msg(
			    g->ctx,
			    "%s: サイズが上限 (%u MiB、LIMIT_CONFIG_FILE) "
			    "を超えるため、ファイル全体を読んでいません",
			    "%s: larger than %u MiB (LIMIT_CONFIG_FILE): the whole file was not "
			    "read",
			    ev->path, LIMIT_CONFIG_FILE >> 20);
		else
			probe_file_error(g->ctx, ev->path, ev->err, ev->missing_ok);
		if (ev->err == -EFBIG)
			probe_partial(g->ctx);
		g->unreadable = g->unreadable || ev->err != -ENOENT;
		break;
	case CONFWALK_NO_MATCH:
		if (!g->optional)
			probe_line_error(g->ctx, cur_path(g), ev->line,
					 "インクルード先がありません",
					 "the included file does not exist");
		break;
	}
}

/* Read and parse one file, guarding against loops and fan-out. */
static void read_one(struct lg *g, const char *path, bool missing_ok)
{
	confwalk_read(g->w, path, missing_ok);
}

static bool skip_name(const char *name)
{
	static const char *const taboo[] = {".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-tmp",
					    ".ucf-old",	 ".ucf-dist",  ".ucf-new",  ".bak",
					    ".disabled", ".rpmsave",   ".rpmnew",   "~"};
	size_t n = strlen(name);
	if (name[0] == '.')
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(taboo); i++) {
		size_t t = strlen(taboo[i]);
		if (n >= t && strcmp(name + n - t, taboo[i]) == 0)
			return true;
	}
	return false;
}

/* An include target: a glob, or a directory (all its files but editor
 * and package leftovers). Relative targets are taken relative to base. */
static void include_target(struct lg *g, unsigned line, const char *target, bool optional,
			   const char *base)
{
	g->optional = optional;
	if (confwalk_include(g->w, base, target, NULL, line) == -ENOMEM)
		probe_partial(g->ctx);
}

/* ---- journald ---- */

static void parse_journald(struct lg *g, const char *path, const char *buf, size_t len)
{
	journald_parse(buf, len, path, &g->jc, on_bad, g);
}

static bool conf_exists(void *ud, const char *path)
{
	return exists(ud, path, true) != 0; /* could not be told: tried, and reported */
}

/* journald.conf's main file and drop-ins, in systemd's order (new strv). */
static int journald_files(struct probe_ctx *ctx, char ***ret)
{
	return confwalk_systemd_conf(ctx->root, "journald.conf", conf_exists, ctx, ret);
}

/* ---- the journal's own size ---- */

#define JOURNAL_DIR	    "/var/log/journal"
#define JOURNAL_DEFAULT_CAP (4ULL << 30) /* journald caps its 10%/15% defaults at 4 GiB */
#define USEC_PER_DAY	    86400000000ULL

struct journal_usage {
	unsigned files;
	bool unreadable, have_fs;
	unsigned long long bytes, head, tail; /* head/tail: microseconds, 0 unknown */
	unsigned long long fs_size, fs_avail;
};

static bool journal_file_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 8 && strcmp(n + l - 8, ".journal") == 0) ||
	       (l > 9 && strcmp(n + l - 9, ".journal~") == 0);
}

/* One journal file: its allocated size and its header's time span. */
static void journal_file(struct lg *g, const char *path, struct journal_usage *ju)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	unsigned char hdr[JOURNAL_HEADER_MIN];
	struct journal_header h;
	struct statvfs vfs;
	int r = fsroot_open_file(g->ctx->root, path, &fd, &st);
	ssize_t n = r < 0 ? -1 : pread(fd, hdr, sizeof(hdr), 0);
	if (r < 0 || n < 0) {
		probe_file_error(g->ctx, path, r < 0 ? r : -errno, false);
		ju->unreadable = true;
		return;
	}
	ju->files++;
	ju->bytes += (unsigned long long)st.st_blocks * 512;
	if (!ju->have_fs && fstatvfs(fd, &vfs) == 0) {
		ju->fs_size = (unsigned long long)vfs.f_blocks * vfs.f_frsize;
		ju->fs_avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
		ju->have_fs = true;
	}
	/* A file being written or corrupt (.journal~) may say nothing. */
	if (journal_header_parse(hdr, (size_t)n, &h) < 0 || !h.n_entries || !h.head_realtime)
		return;
	if (!ju->head || h.head_realtime < ju->head)
		ju->head = h.head_realtime;
	if (h.tail_realtime > ju->tail)
		ju->tail = h.tail_realtime;
}

static void journal_usage(struct lg *g, struct journal_usage *ju)
{
	_cleanup_strv_ char **ids = NULL;
	size_t nid = 0;
	int r = fsroot_list(g->ctx->root, JOURNAL_DIR, &ids, &nid);
	if (r < 0) {
		probe_file_error(g->ctx, JOURNAL_DIR, r, true);
		ju->unreadable = r != -ENOENT;
		return;
	}
	for (size_t i = 0; i < nid; i++) {
		_cleanup_free_ char *dir = path_join(JOURNAL_DIR, ids[i]);
		_cleanup_strv_ char **names = NULL;
		size_t n = 0;
		if (!dir || strlen(ids[i]) != 32)
			continue;
		int lr = fsroot_list(g->ctx->root, dir, &names, &n);
		if (lr < 0 && lr != -ENOTDIR) { /* a plain file with that name is no journal */
			probe_file_error(g->ctx, dir, lr, false);
			ju->unreadable = true;
			continue;
		}
		if (n > LIMIT_LOG_FILES) { /* a part of the journal would understate its size */
			probe_msg(
			    g->ctx,
			    "%s: ファイル数が上限 (%u 件、LIMIT_LOG_FILES) を超えるため、"
			    "ジャーナルの大きさを数えていません",
			    "%s: more than %u files (LIMIT_LOG_FILES): the journal's size was not "
			    "counted",
			    dir, LIMIT_LOG_FILES);
			ju->unreadable = true;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			_cleanup_free_ char *p = path_join(dir, names[k]);
			if (p && journal_file_name(names[k]))
				journal_file(g, p, ju);
		}
	}
}

/* The size journald lets the journal take: SystemMaxUse= (default 10%
 * of the file system, at most 4 GiB), and no more than leaves
 * SystemKeepFree= (default 15%, at most 4 GiB) free. 0 if unknown. */
static unsigned long long journal_max_use(struct lg *g, const struct journal_usage *ju)
{
	unsigned long long max = 0, keep = 0;
	if (g->jc.system_max_use ? journald_parse_size(g->jc.system_max_use, &max) < 0
				 : !ju->have_fs)
		return 0;
	if (!g->jc.system_max_use)
		max =
		    ju->fs_size / 10 < JOURNAL_DEFAULT_CAP ? ju->fs_size / 10 : JOURNAL_DEFAULT_CAP;
	if (g->jc.system_keep_free ? journald_parse_size(g->jc.system_keep_free, &keep) < 0
				   : !ju->have_fs)
		return max;
	if (!g->jc.system_keep_free)
		keep = ju->fs_size * 15 / 100 < JOURNAL_DEFAULT_CAP ? ju->fs_size * 15 / 100
								    : JOURNAL_DEFAULT_CAP;
	if (ju->have_fs && ju->bytes + ju->fs_avail > keep && ju->bytes + ju->fs_avail - keep < max)
		max = ju->bytes + ju->fs_avail - keep;
	return max;
}

/* Days the size limit keeps at the rate the journal on disk was written,
 * where it covers at least a day (else its size tells nothing yet). */
static void journal_size_facts(struct lg *g, bool persistent)
{
	struct journal_usage ju = {0};
	json_t *o = g->out;
	if (persistent)
		journal_usage(g, &ju);
	bool counted = persistent && !ju.unreadable;
	unsigned long long span = ju.tail > ju.head ? ju.tail - ju.head : 0;
	unsigned long long max = counted ? journal_max_use(g, &ju) : 0;
	bool known = counted && ju.bytes && span >= USEC_PER_DAY && max;
	json_set(o, "journald_files", counted ? json_integer(ju.files) : json_null());
	json_set(o, "journald_disk_usage_bytes",
		 counted ? json_integer((json_int_t)ju.bytes) : json_null());
	json_set(o, "journald_span_days",
		 counted && ju.head ? json_integer((json_int_t)(span / USEC_PER_DAY))
				    : json_null());
	json_set(o, "journald_max_use_bytes", max ? json_integer((json_int_t)max) : json_null());
	json_set(o, "journald_size_known", json_boolean(known));
	if (!known) {
		json_set(o, "journald_size_retention_days", json_null());
		return;
	}
	double days = (double)max * (double)span / (double)ju.bytes / (double)USEC_PER_DAY;
	long long ret = g->jc.max_retention > 0 ? g->jc.max_retention / 86400 : -1;
	if (ret >= 0 && (double)ret < days)
		days = (double)ret;
	json_set(o, "journald_size_retention_days", json_integer((json_int_t)days));
}

static void journald_facts(struct lg *g)
{
	_cleanup_strv_ char **files = NULL;
	struct stat st;
	json_t *o = g->out;
	journald_conf_free(&g->jc);
	g->parse = parse_journald;
	g->unreadable = false;
	if (journald_files(g->ctx, &files) < 0)
		return;
	for (size_t i = 0; files[i]; i++)
		read_one(g, files[i], true);
	if (g->jc.line_unread) /* it may have set Storage= */
		g->unreadable = true;
	const char *set = g->jc.storage ? g->jc.storage : "auto";
	const char *eff = set;
	int inst = exists_any(g->ctx, "/lib/systemd/systemd-journald",
			      "/usr/lib/systemd/systemd-journald");
	json_set(o, "journald_installed", json_tri(inst));
	if (inst < 0) /* installed or not, the storage is not known */
		g->unreadable = true;
	if (inst == 0) /* no journal at all, whatever the configuration says */
		eff = "none";
	else if (strcmp(set, "auto") == 0) {
		int r = fsroot_stat(g->ctx->root, "/var/log/journal", true, &st);
		eff = r == 0 && S_ISDIR(st.st_mode) ? "persistent" : "volatile";
		if (r < 0 && r != -ENOENT) { /* auto: the directory decides, unread */
			probe_file_error(g->ctx, "/var/log/journal", r, false);
			g->unreadable = true;
		}
	}
	json_set(o, "journald_storage_setting", json_string(set));
	json_set(o, "journald_storage_source",
		 json_string(g->jc.storage_src ? g->jc.storage_src : "default"));
	json_set(o, "journald_storage", g->unreadable ? json_null() : json_string(eff));
	json_set(o, "journald_persistent",
		 g->unreadable ? json_null() : json_boolean(strcmp(eff, "persistent") == 0));
	long long sec = g->jc.max_retention < 0 ? 0 : g->jc.max_retention;
	json_set(o, "journald_max_retention_sec", json_integer(sec));
	json_set(o, "journald_retention_days", json_integer(sec / 86400));
	json_set(o, "journald_system_max_use",
		 json_string(g->jc.system_max_use ? g->jc.system_max_use : "default"));
	json_set(o, "journald_forward_to_syslog",
		 g->jc.forward_to_syslog < 0 ? json_null() : json_boolean(g->jc.forward_to_syslog));
	json_set(o, "journald_system_keep_free",
		 json_string(g->jc.system_keep_free ? g->jc.system_keep_free : "default"));
	json_set(o, "journald_max_file_sec",
		 json_integer(g->jc.max_file_sec < 0 ? 30LL * 86400 : g->jc.max_file_sec));
	journal_size_facts(g, !g->unreadable && strcmp(eff, "persistent") == 0);
	journald_conf_free(&g->jc);
}

/* ---- systemd units ---- */

/* 1 enabled, 0 not (masked, or no enabling link), -1 could not be told
 * (an enabling link or the mask could not be checked; reported). */
static int unit_enabled(struct probe_ctx *ctx, const char *unit)
{
	static const char *const wants[] = {"multi-user.target.wants", "sysinit.target.wants",
					    "graphical.target.wants"};
	char path[LIMIT_PATH];
	_cleanup_free_ char *target = NULL;
	int ret = 0;
	snprintf(path, sizeof(path), "/etc/systemd/system/%s", unit);
	int r = fsroot_readlink(ctx->root, path, &target);
	if (r == 0 && strcmp(target, "/dev/null") == 0)
		return 0;
	if (r < 0 && r != -ENOENT && r != -EINVAL) { /* EINVAL: a unit file, not a link */
		probe_file_error(ctx, path, r, false);
		ret = -1; /* masked or not is not known */
	}
	for (size_t w = 0; w < ARRAY_SIZE(wants); w++) {
		snprintf(path, sizeof(path), "/etc/systemd/system/%s/%s", wants[w], unit);
		int e = exists(ctx, path, false);
		if (e > 0)
			return ret < 0 ? -1 : 1;
		if (e < 0)
			ret = -1;
	}
	return ret;
}

/* Enabled when installed: 0 if not installed, -1 if either is unknown. */
static int enabled_if(struct probe_ctx *ctx, int installed, const char *unit)
{
	if (installed == 0)
		return 0;
	int e = unit_enabled(ctx, unit);
	return installed < 0 && e != 0 ? -1 : e;
}

/* ---- syslog ---- */

static void add_dest(struct lg *g, const char *path, const char *role, unsigned line)
{
	char src[LIMIT_PATH + 16];
	size_t i;
	json_t *d;
	json_array_foreach(g->dests, i, d) {
		if (strcmp(json_string_value(json_object_get(d, "path")), path) != 0)
			continue;
		if (strcmp(role, "auth") == 0 ||
		    (strcmp(role, "syslog") == 0 &&
		     strcmp(json_string_value(json_object_get(d, "role")), "other") == 0))
			json_set(d, "role", json_string(role));
		return;
	}
	if (json_array_size(g->dests) >= LIMIT_LOG_FILES) {
		if (!g->dests_full)
			probe_msg(
			    g->ctx,
			    "%s:%u: ログファイルの数が上限 (%u 件、LIMIT_LOG_FILES) "
			    "を超えたため、%s から先は一覧にありません",
			    "%s:%u: more than %u log files (LIMIT_LOG_FILES): %s and every later "
			    "one are not listed",
			    cur_path(g), line, LIMIT_LOG_FILES, path);
		g->dests_full = true;
		probe_incomplete(g->ctx, "log_files");
		return;
	}
	snprintf(src, sizeof(src), "%s:%u", cur_path(g), line);
	json_t *o =
	    json_pack("{s:o, s:s, s:s}", "path", json_str(path), "role", role, "source", src);
	if (o)
		json_array_append_new(g->dests, o);
}

/* A log file not named by the syslog configuration. */
static void add_builtin(struct lg *g, const char *path, const char *role, const char *source)
{
	json_t *o =
	    json_pack("{s:o, s:s, s:s}", "path", json_str(path), "role", role, "source", source);
	if (o)
		json_array_append_new(g->dests, o);
}

static void on_action(void *ud, const struct syslog_action *a)
{
	struct lg *g = ud;
	char t[LIMIT_PATH + 2];
	if (a->kind == ST_REMOTE) {
		g->remote_fwd = true;
		json_array_append_new(g->remote, json_str(a->target));
	}
	if (a->kind == ST_FILE && a->target[0] == '/')
		add_dest(g, a->target,
			 a->auth			     ? "auth"
			 : str_startswith(a->selector, "*.") ? "syslog"
							     : "other",
			 a->line);
	if (!a->auth || (a->kind != ST_FILE && a->kind != ST_REMOTE))
		return;
	snprintf(t, sizeof(t), "%s%s", a->kind == ST_REMOTE ? "@" : "", a->target);
	json_array_append_new(g->auth_dest, json_str(t));
}

static void on_syslog_include(void *ud, unsigned line, const char *pattern, bool optional)
{
	struct lg *g = ud;
	include_target(g, line, pattern, optional, g->inc_base);
}

static void parse_rsyslog(struct lg *g, const char *path, const char *buf, size_t len)
{
	struct syslog_cb cb = {on_action, on_syslog_include, on_bad, g};
	(void)path;
	rsyslog_parse(buf, len, &cb);
}

static void parse_syslogng(struct lg *g, const char *path, const char *buf, size_t len)
{
	struct syslog_cb cb = {on_action, on_syslog_include, on_bad, g};
	(void)path;
	syslogng_parse(buf, len, &cb);
}

static void syslog_facts(struct lg *g)
{
	json_t *o = g->out;
	int rs = exists(g->ctx, "/usr/sbin/rsyslogd", true);
	int ng = exists(g->ctx, "/usr/sbin/syslog-ng", true);
	int rs_on = enabled_if(g->ctx, rs, "rsyslog.service");
	int ng_on = enabled_if(g->ctx, ng, "syslog-ng.service");
	json_set(o, "rsyslog_installed", json_tri(rs));
	json_set(o, "rsyslog_enabled", json_tri(rs_on));
	json_set(o, "syslog_ng_installed", json_tri(ng));
	json_set(o, "syslog_ng_enabled", json_tri(ng_on));
	/* rsyslog wins when both are enabled; an unknown one before a known
	 * one leaves the daemon unknown. */
	const char *daemon = rs_on > 0	 ? "rsyslog"
			     : rs_on < 0 ? NULL
			     : ng_on > 0 ? "syslog-ng"
			     : ng_on < 0 ? NULL
					 : "none";
	json_set(o, "syslog_daemon", json_str(daemon));
	g->unreadable = !daemon; /* whose destinations is not known */
	if (rs_on > 0) {
		g->parse = parse_rsyslog;
		g->inc_base = "";
		read_one(g, "/etc/rsyslog.conf", false);
	}
	if (ng_on > 0) {
		g->parse = parse_syslogng;
		g->inc_base = "/etc/syslog-ng";
		read_one(g, "/etc/syslog-ng/syslog-ng.conf", false);
	}
	bool unk = g->unreadable;
	if (unk) /* the syslog files it names are not all listed */
		probe_incomplete(g->ctx, "log_files");
	json_t *files = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(g->dests, i, d)
		if (strcmp(json_string_value(json_object_get(d, "role")), "auth") == 0)
			json_array_append(files, json_object_get(d, "path"));
	json_str_array_sort(files, true);
	json_str_array_sort(g->auth_dest, true);
	json_str_array_sort(g->remote, true);
	json_set(o, "auth_log_files", unk ? json_null() : json_incref(files));
	json_set(o, "syslog_auth_destinations", unk ? json_null() : json_incref(g->auth_dest));
	json_set(o, "syslog_remote_targets", unk ? json_null() : json_incref(g->remote));
	json_set(o, "syslog_remote_forwarding", unk ? json_null() : json_boolean(g->remote_fwd));
	const char *auth = NULL;
	json_array_foreach(files, i, d)
		if (!auth || strcmp(json_string_value(d), "/var/log/auth.log") == 0 ||
		    strcmp(json_string_value(d), "/var/log/secure") == 0)
			auth = json_string_value(d);
	json_set(o, "auth_log_path", unk ? json_null() : json_str(auth));
	json_decref(files);
}

/* ---- logrotate ---- */

static void on_lr_include(void *ud, unsigned line, const char *target)
{
	include_target(ud, line, target, false, "/etc");
}

static void parse_logrotate(struct lg *g, const char *path, const char *buf, size_t len)
{
	logrotate_parse(buf, len, path, &g->lr, on_lr_include, on_bad, g);
}

static void logrotate_read(struct lg *g)
{
	lr_state_init(&g->lr);
	g->parse = parse_logrotate;
	g->unreadable = false;
	read_one(g, "/etc/logrotate.conf", true);
	if (!g->unreadable && exists(g->ctx, "/etc/logrotate.conf", true) == 0)
		probe_msg(g->ctx, "/etc/logrotate.conf がありません (ログは削除されません)",
			  "/etc/logrotate.conf is missing (logs are never deleted)");
}

/* retention_days, retention_unlimited and rotate_source of one path. */
static void retention_of(struct lg *g, const char *path, json_t *o, const char *prefix)
{
	char k1[64], k2[64];
	snprintf(k1, sizeof(k1), "%sretention_days", prefix);
	snprintf(k2, sizeof(k2), "%sretention_unlimited", prefix);
	if (g->unreadable) {
		json_set(o, k1, json_null());
		json_set(o, k2, json_null());
		if (!*prefix)
			json_set(o, "rotate_source", json_null());
		return;
	}
	const struct lr_block *b = lr_find(&g->lr, path);
	bool unlimited = true;
	long days = b ? lr_retention_days(&b->opts, &unlimited) : -1;
	json_set(o, k1, days < 0 ? json_null() : json_integer(days));
	json_set(o, k2, json_boolean(unlimited));
	if (!*prefix)
		json_set(o, "rotate_source", json_string(b ? b->source : "none"));
}

/* ---- auditd ---- */

static void parse_audit(struct lg *g, const char *path, const char *buf, size_t len)
{
	(void)path;
	audit_rules_parse(buf, len, &g->ar, on_bad, g);
}

/* Which awk augenrules runs: the first in systemd's PATH, by identity with
 * the known implementations (their \s differs, see augenrules_assemble). */
static int augen_awk(struct probe_ctx *ctx, enum awk_dialect *ret)
{
	static const char *const path[] = {"/usr/local/sbin/awk", "/usr/local/bin/awk",
					   "/usr/sbin/awk",	  "/usr/bin/awk",
					   "/sbin/awk",		  "/bin/awk"};
	static const struct {
		const char *impl;
		enum awk_dialect d;
	} known[] = {{"/usr/bin/mawk", AWK_S_LETTER},
		     {"/usr/bin/gawk", AWK_S_BLANK},
		     {"/usr/bin/original-awk", AWK_S_LETTER},
		     {"/bin/busybox", AWK_S_BLANK},
		     {"/usr/bin/busybox", AWK_S_BLANK}};
	struct stat st;
	for (size_t i = 0; i < ARRAY_SIZE(path); i++) {
		if (fsroot_stat(ctx->root, path[i], true, &st) < 0)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(known); k++) {
			if (fsroot_same_file(ctx->root, path[i], known[k].impl) == 1) {
				*ret = known[k].d;
				return 0;
			}
		}
		return -ENOENT; /* an awk we do not know */
	}
	return -ENOENT;
}

static void ignore_bad(void *ud, unsigned line, const char *ja, const char *en)
{
}

/* Malformed lines are reported by file and line of rules.d, not of the
 * assembled text. */
static void lint_rules_file(struct lg *g, const char *path, const struct rules_file *f)
{
	struct audit_rules scratch = {.enabled = -1, .cont = true}; /* the stop: in the whole */
	unsigned saved_bad = g->bad_lines;
	const char *saved_cur = g->cur;
	g->bad_lines = 0;
	g->cur = path;
	audit_rules_parse(f->buf, f->len, &scratch, on_bad, g);
	g->cur = saved_cur;
	g->bad_lines = saved_bad;
	audit_rules_free(&scratch);
}

static void augen_files_free(struct rules_file *f, struct buf *bufs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_free(&bufs[i]);
	free(f);
	free(bufs);
}

/* Read the files of rules.d augenrules would cat; false if one that it
 * would read could not be read here. */
static bool augen_read(struct lg *g, char **names, size_t n, struct rules_file *f, struct buf *bufs,
		       size_t *nf)
{
	bool ok = true;
	for (size_t i = 0; i < n && *nf < LIMIT_LOG_CONFIG_FILES; i++) {
		bool mangled;
		_cleanup_free_ char *p = path_join("/etc/audit/rules.d", names[i]);
		struct stat st;
		if (!augen_name_selected(names[i], &mangled)) {
			if (mangled)
				probe_msg(
				    g->ctx, "%s: 名前に空白などを含むため augenrules は読みません",
				    "%s: augenrules does not read it (blank or glob character "
				    "in the name)",
				    names[i]);
			continue;
		}
		if (!p || (fsroot_stat(g->ctx->root, p, true, &st) == 0 && S_ISDIR(st.st_mode)))
			continue; /* cat of a directory adds nothing */
		int r = fsroot_read(g->ctx->root, p, LIMIT_CONFIG_FILE, &bufs[*nf]);
		if (r < 0) {
			probe_file_error(g->ctx, p, r, false);
			ok = false;
			continue;
		}
		f[*nf] = (struct rules_file){names[i], bufs[*nf].data, bufs[*nf].len};
		lint_rules_file(g, p, &f[*nf]);
		(*nf)++;
	}
	return ok;
}

/* The rules auditd loads on Debian: auditd.service runs augenrules
 * --load, which builds audit.rules from rules.d whenever that directory
 * exists (an empty one gives no rules), and loads the existing
 * audit.rules when it does not. */
static bool audit_rules_from_dir(struct lg *g)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0, nf = 0;
	int r = fsroot_list(g->ctx->root, "/etc/audit/rules.d", &names, &n);
	if (r < 0) {
		probe_file_error(g->ctx, "/etc/audit/rules.d", r, false);
		return false;
	}
	struct rules_file *f = calloc(n + 1, sizeof(*f));
	struct buf *bufs = calloc(n + 1, sizeof(*bufs));
	enum awk_dialect d = AWK_S_LETTER;
	_cleanup_free_ char *text = NULL, *alt = NULL;
	size_t tl = 0, al = 0;
	bool ok = f && bufs && augen_read(g, names, n, f, bufs, &nf);
	if (f && bufs && augen_awk(g->ctx, &d) < 0) {
		/* unknown awk: only a verdict both dialects agree on stands */
		ok = ok && augenrules_assemble(f, nf, AWK_S_BLANK, &alt, &al) == 0 &&
		     augenrules_assemble(f, nf, AWK_S_LETTER, &text, &tl) == 0;
		if (ok && (al != tl || memcmp(alt, text, tl) != 0)) {
			probe_msg(g->ctx,
				  "augenrules が使う awk を特定できず、awk によって規則の組み立てが"
				  "異なります",
				  "the awk augenrules runs is not known, and the rules it "
				  "assembles differ between awk implementations");
			ok = false;
		}
	} else if (ok) {
		ok = augenrules_assemble(f, nf, d, &text, &tl) == 0;
	}
	if (ok) { /* its lines were reported by file above; where the whole stops is said below */
		audit_rules_parse(text, tl, &g->ar, ignore_bad, NULL);
		g->ar_path = "/etc/audit/audit.rules (augenrules)";
	}
	if (f && bufs)
		augen_files_free(f, bufs, nf);
	else {
		free(f);
		free(bufs);
	}
	return ok;
}

static bool audit_rules_read(struct lg *g, json_t *o)
{
	struct stat st;
	audit_rules_free(&g->ar);
	memset(&g->ar, 0, sizeof(g->ar));
	g->ar.enabled = -1;
	g->parse = parse_audit;
	g->unreadable = false;
	int r = fsroot_stat(g->ctx->root, "/etc/audit/rules.d", true, &st);
	if (r == 0 && S_ISDIR(st.st_mode)) {
		json_set(o, "audit_rules_source", json_string("/etc/audit/rules.d"));
		return audit_rules_from_dir(g);
	}
	if (r < 0 && r != -ENOENT && r != -ENOTDIR) {
		probe_file_error(g->ctx, "/etc/audit/rules.d", r, false);
		json_set(o, "audit_rules_source", json_null());
		return false;
	}
	int e = exists(g->ctx, "/etc/audit/audit.rules", true);
	if (e > 0) {
		json_set(o, "audit_rules_source", json_string("/etc/audit/audit.rules"));
		read_one(g, "/etc/audit/audit.rules", false);
		g->ar_path = "/etc/audit/audit.rules";
	} else {
		json_set(o, "audit_rules_source", e < 0 ? json_null() : json_string("none"));
		g->unreadable = e < 0;
	}
	return !g->unreadable;
}

static void audit_facts(struct lg *g)
{
	json_t *o = g->out;
	int inst = exists_any(g->ctx, "/sbin/auditd", "/usr/sbin/auditd");
	json_set(o, "auditd_installed", json_tri(inst));
	json_set(o, "auditd_enabled", json_tri(enabled_if(g->ctx, inst, "auditd.service")));
	_cleanup_buf_ struct buf b = {0};
	_cleanup_free_ char *logf = NULL;
	int r = fsroot_read(g->ctx->root, "/etc/audit/auditd.conf", LIMIT_CONFIG_FILE, &b);
	if (r < 0 && (inst != 0 || r != -ENOENT))
		probe_file_error(g->ctx, "/etc/audit/auditd.conf", r, false);
	if (r == 0 && auditd_conf_get(b.data, b.len, "log_file", &logf) < 0)
		logf = NULL;
	/* An unreadable auditd.conf may name any log file: not the default. */
	json_set(o, "auditd_log_file",
		 r < 0 && r != -ENOENT ? json_null()
				       : json_string(logf ? logf : "/var/log/audit/audit.log"));
	bool ok = audit_rules_read(g, o);
	json_set(o, "audit_rules", ok ? json_integer(g->ar.nrules) : json_null());
	json_set(o, "audit_rules_not_loaded", ok ? json_integer(g->ar.not_loaded) : json_null());
	char at[LIMIT_PATH + 16];
	snprintf(at, sizeof(at), "%s:%u", g->ar_path ? g->ar_path : "?", g->ar.stop_line);
	json_set(o, "audit_load_stops_at", ok && g->ar.stop_line ? json_string(at) : json_null());
	if (ok && g->ar.stop_line)
		probe_msg(g->ctx,
			  "%s: auditctl -R は %u 行目で止まります。%u 個の規則が読み込まれません",
			  "%s: auditctl -R stops at line %u; %u rules are not loaded",
			  g->ar_path ? g->ar_path : "?", g->ar.stop_line, g->ar.not_loaded);
	json_set(o, "audit_immutable", ok ? json_boolean(g->ar.enabled == 2) : json_null());
	json_set(o, "audit_watches_logins", ok ? json_boolean(g->ar.logins) : json_null());
	json_set(o, "audit_watches_sudo", ok ? json_boolean(g->ar.sudo) : json_null());
	json_set(o, "audit_watches_accounts", ok ? json_boolean(g->ar.accounts) : json_null());
	if (inst > 0 && (r == 0 || r == -ENOENT)) {
		const char *p = logf ? logf : "/var/log/audit/audit.log";
		if (p[0] == '/')
			add_builtin(g, p, "audit", r == 0 ? "/etc/audit/auditd.conf" : "builtin");
	}
}

/* ---- log files ---- */

struct names {
	struct passwd_db pw;
	struct group_db gr;
	bool have_pw, have_gr;
};

static void names_load(struct probe_ctx *ctx, struct names *nm)
{
	const struct buf *b = NULL, *c = NULL;
	struct parse_issues is = {0};
	memset(nm, 0, sizeof(*nm));
	if (fsroot_read_shared(ctx->root, "/etc/passwd", LIMIT_ACCOUNT_DB, &b) == 0)
		nm->have_pw = passwd_parse(b->data, b->len, &nm->pw, &is) == 0;
	parse_issues_free(&is);
	if (fsroot_read_shared(ctx->root, "/etc/group", LIMIT_ACCOUNT_DB, &c) == 0)
		nm->have_gr = group_parse(c->data, c->len, false, &nm->gr, &is) == 0;
	parse_issues_free(&is);
}

static void names_free(struct names *nm)
{
	passwd_db_free(&nm->pw);
	group_db_free(&nm->gr);
}

static void file_stat(struct lg *g, const struct names *nm, json_t *d)
{
	const char *path = json_string_value(json_object_get(d, "path"));
	struct stat st;
	char ts[21];
	int r = fsroot_stat(g->ctx->root, path, true, &st);
	json_set(d, "exists", r == -ENOENT ? json_false() : r == 0 ? json_true() : json_null());
	retention_of(g, path, d, "");
	if (strcmp(json_string_value(json_object_get(d, "role")), "audit") == 0) {
		/* auditd rotates its own log by size (num_logs): days unknown. */
		json_set(d, "retention_days", json_null());
		json_set(d, "retention_unlimited", json_false());
		json_set(d, "rotate_source", json_string("auditd.conf"));
	}
	if (r < 0) {
		if (r != -ENOENT)
			probe_file_error(g->ctx, path, r, true);
		static const char *const keys[] = {"mode",  "uid",  "gid",   "owner",
						   "group", "size", "mtime", "days_since_write"};
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			json_set(d, keys[i], json_null());
		return;
	}
	const struct passwd_entry *pw = nm->have_pw ? passwd_find_uid(&nm->pw, st.st_uid) : NULL;
	const struct group_entry *gr = nm->have_gr ? group_find_gid(&nm->gr, st.st_gid) : NULL;
	time_rfc3339(st.st_mtime, ts);
	json_set(d, "mode", json_mode(st.st_mode & 07777));
	json_set(d, "uid", json_integer(st.st_uid));
	json_set(d, "gid", json_integer(st.st_gid));
	json_set(d, "owner", pw ? json_str(pw->name) : json_null());
	json_set(d, "group", gr ? json_str(gr->name) : json_null());
	json_set(d, "size", json_integer(st.st_size));
	json_set(d, "mtime", json_string(ts));
	json_set(d, "days_since_write", json_integer(days_between(st.st_mtime, g->ctx->now)));
}

static void files_facts(struct lg *g)
{
	struct names nm;
	size_t i;
	json_t *d, *o = g->out;
	const char *auth = json_string_value(json_object_get(o, "auth_log_path"));
	names_load(g->ctx, &nm);
	json_array_foreach(g->dests, i, d)
		file_stat(g, &nm, d);
	names_free(&nm);
	json_set(o, "auth_log_present", json_false());
	json_set(o, "auth_log_age_days", json_null());
	if (!json_object_get(o, "auth_log_files") ||
	    json_is_null(json_object_get(o, "auth_log_files")))
		json_set(o, "auth_log_present", json_null());
	json_array_foreach(g->dests, i, d) {
		if (!auth || strcmp(json_string_value(json_object_get(d, "path")), auth) != 0)
			continue;
		json_set(o, "auth_log_present", json_incref(json_object_get(d, "exists")));
		json_set(o, "auth_log_age_days",
			 json_incref(json_object_get(d, "days_since_write")));
	}
	retention_of(g, "/var/log/wtmp", o, "wtmp_");
	json_array_sort_by(g->dests, "path");
}

/* ---- which daemons run (live host; CONTRACTS.md item 4) ---- */

static void running_facts(struct lg *g)
{
	static const char *const jd_comm[] = {"systemd-journal", NULL};
	static const char *const jd_exe[] = {"/lib/systemd/systemd-journald",
					     "/usr/lib/systemd/systemd-journald", NULL};
	static const char *const rs_comm[] = {"rsyslogd", NULL};
	static const char *const rs_exe[] = {"/usr/sbin/rsyslogd", NULL};
	static const char *const ng_comm[] = {"syslog-ng", NULL};
	static const char *const ng_exe[] = {"/usr/sbin/syslog-ng", NULL};
	static const char *const au_comm[] = {"auditd", NULL};
	static const char *const au_exe[] = {"/sbin/auditd", "/usr/sbin/auditd", NULL};
	json_t *o = g->out;
	const char *sd = json_string_value(json_object_get(o, "syslog_daemon"));
	json_set(o, "basis", probe_basis(g->ctx));
	json_set(o, "journald_running", probe_running(g->ctx, jd_comm, jd_exe));
	json_set(o, "auditd_running", probe_running(g->ctx, au_comm, au_exe));
	if (sd && strcmp(sd, "rsyslog") == 0)
		json_set(o, "syslog_running", probe_running(g->ctx, rs_comm, rs_exe));
	else if (sd && strcmp(sd, "syslog-ng") == 0)
		json_set(o, "syslog_running", probe_running(g->ctx, ng_comm, ng_exe));
	else
		json_set(o, "syslog_running", g->ctx->offline ? json_null() : json_false());
}

int probe_logging_run(struct probe_ctx *ctx)
{
	json_auto_t *out = json_object();
	struct lg g = {.ctx = ctx, .out = out};
	const struct confwalk_opts wo = {
	    .max_chain = LIMIT_INCLUDE_DEPTH + 1,
	    .max_files = LIMIT_LOG_CONFIG_FILES,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_INODE,
	    .dir_all = true,
	    .skip = skip_name,
	    .on_file = lg_file,
	    .on_problem = lg_problem,
	    .ud = &g,
	};
	_cleanup_confwalk_ struct confwalk *w = g.w = confwalk_new(ctx->root, &wo);
	g.auth_dest = json_array();
	g.remote = json_array();
	g.dests = json_array();
	g.jc.max_retention = -1;
	g.jc.forward_to_syslog = -1;
	int r = -ENOMEM;
	if (!out || !w || !g.auth_dest || !g.remote || !g.dests)
		goto done;
	journald_facts(&g);
	syslog_facts(&g);
	audit_facts(&g);
	add_builtin(&g, "/var/log/wtmp", "wtmp", "builtin");
	add_builtin(&g, "/var/log/btmp", "btmp", "builtin");
	add_builtin(&g, "/var/log/lastlog", "lastlog", "builtin");
	logrotate_read(&g);
	files_facts(&g);
	running_facts(&g);
	r = json_set(ctx->inventory, "logging", json_incref(out));
	if (r == 0)
		r = json_set(ctx->inventory, "log_files", json_incref(g.dests));
done:
	lr_state_free(&g.lr);
	audit_rules_free(&g.ar);
	json_decref(g.auth_dest);
	json_decref(g.remote);
	json_decref(g.dests);
	return r;
}
