/* timesync.c - the "time" probe (checklist 2(6): logs need trustworthy,
 * synchronised time, guideline 6.0 システム運用編 17③).
 *
 * Finds which time synchronisation is installed (chrony,
 * systemd-timesyncd, ntpd/ntpsec, openntpd), which is enabled (systemd
 * unit symlinks in the .wants directories of /etc/systemd/system, read through
 * ctx->root; a unit masked to /dev/null is not enabled), its servers
 * from its configuration (with includes), and on the live host only
 * whether its daemon runs (/proc/PID/comm). Parsing is in
 * timesync_parse.c. Hosts without systemd (sysvinit rc.d links) are not
 * recognised as enabled: a limitation the doc string states.
 */
#include <stdio.h>

#include "lib/limits.h"
#include "probes/parse/logging_parse.h"
#include "probes/probe.h"
#include "probes/read/confwalk.h"
#include "probes/parse/timesync_parse.h"

static const struct column time_sync_columns[] = {
    {"implementation", COL_STRING,
     "the time synchronisation in use: chrony, timesyncd, ntpd, openntpd, or "
     "none"},
    {"installed", COL_ARRAY, "implementations whose daemon is installed, sorted"},
    {"configured", COL_BOOL,
     "the implementation has a time source (timesyncd: also its compiled-in "
     "fallback); null if "
     "its configuration could not be read"},
    {"enabled", COL_BOOL, "its systemd unit is enabled (a .wants symlink, not masked)"},
    {"running", COL_BOOL,
     "its daemon runs (/proc comm and exe; live host only: null under --root, or when hidepid "
     "hides processes)"},
    {"basis", COL_STRING,
     "live (running state was read) or configuration (under --root: from configuration only)"},
    {"servers", COL_ARRAY, "configured time sources (hosts, pools, refclocks), sorted"},
    {"sources", COL_ARRAY, "file:line of each time source setting, sorted"},
    {"fallback_builtin", COL_BOOL, "timesyncd relies on its compiled-in FallbackNTP servers"},
    {"unit", COL_STRING, "the enabled systemd unit, null if none"},
    {NULL, 0, NULL},
};

const struct collection time_collections[] = {
    {"time_sync", true, time_sync_columns},
    {NULL, false, NULL},
};

enum impl { I_CHRONY, I_TIMESYNCD, I_NTPD, I_OPENNTPD, I_COUNT };

static const struct impl_desc {
	const char *name;
	const char *bins[3];
	const char *units[4];
	const char *comm;
	const char *configs[3];
	enum ts_format fmt;
} impls[I_COUNT] = {
    [I_CHRONY] = {"chrony",
		  {"/usr/sbin/chronyd", NULL},
		  {"chrony.service", "chronyd.service", NULL},
		  "chronyd",
		  {"/etc/chrony/chrony.conf", "/etc/chrony.conf", NULL},
		  TS_CHRONY},
    [I_TIMESYNCD] = {"timesyncd",
		     {"/lib/systemd/systemd-timesyncd", "/usr/lib/systemd/systemd-timesyncd", NULL},
		     {"systemd-timesyncd.service", NULL},
		     "systemd-timesyn",
		     {NULL},
		     TS_NTP},
    [I_NTPD] = {"ntpd",
		{"/usr/sbin/ntpd", NULL},
		{"ntpsec.service", "ntp.service", "ntpd.service", NULL},
		"ntpd",
		{"/etc/ntpsec/ntp.conf", "/etc/ntp.conf", NULL},
		TS_NTP},
    [I_OPENNTPD] = {"openntpd",
		    {"/usr/sbin/openntpd", "/usr/sbin/ntpd", NULL},
		    {"openntpd.service", NULL},
		    "ntpd",
		    {"/etc/openntpd/ntpd.conf", NULL},
		    TS_OPENNTPD},
};

struct ts_read {
	struct probe_ctx *ctx;
	json_t *servers, *sources;
	const char *path; /* file being read */
	enum ts_format fmt;
	struct confwalk *w; /* chrony/ntpd/openntpd files and their includes */
	unsigned bad_lines; /* of the file being read */
	bool unreadable;    /* a configuration file could not be read */
};

/* 1 exists, 0 absent, -1 could not be told (counted in ctx->blind): an
 * unreadable /etc is not an empty one, so "not installed" and "not
 * enabled" become unknown. */
static int exists(struct probe_ctx *ctx, const char *path, bool follow)
{
	int r = probe_exists(ctx, path, follow);
	return r < 0 ? -1 : r;
}

/* The unit's enabling symlink (borrowed name), or NULL with *ret_unknown
 * when some link could not be checked. Masked wins. */
static const char *unit_enabled(struct probe_ctx *ctx, const struct impl_desc *d, bool *ret_unknown)
{
	static const char *const wants[] = {"multi-user.target.wants", "sysinit.target.wants",
					    "graphical.target.wants", "time-sync.target.wants"};
	char path[LIMIT_PATH];
	bool unknown = false;
	for (size_t u = 0; d->units[u]; u++) {
		_cleanup_free_ char *target = NULL;
		snprintf(path, sizeof(path), "/etc/systemd/system/%s", d->units[u]);
		if (fsroot_readlink(ctx->root, path, &target) == 0 &&
		    strcmp(target, "/dev/null") == 0)
			return NULL;
		for (size_t w = 0; w < ARRAY_SIZE(wants); w++) {
			snprintf(path, sizeof(path), "/etc/systemd/system/%s/%s", wants[w],
				 d->units[u]);
			int e = exists(ctx, path, false);
			if (e > 0)
				return d->units[u];
			unknown |= e < 0;
		}
	}
	*ret_unknown |= unknown;
	return NULL;
}

/* 1 installed, 0 not, -1 could not be told. */
static int installed(struct probe_ctx *ctx, enum impl i)
{
	const struct impl_desc *d = &impls[i];
	/* openntpd and ntpd both install /usr/sbin/ntpd: tell them apart by
	 * their configuration files. */
	int oconf = exists(ctx, "/etc/openntpd/ntpd.conf", true);
	if (i == I_OPENNTPD) {
		int b0 = exists(ctx, d->bins[0], true), b1 = exists(ctx, d->bins[1], true);
		if (oconf == 0 || (b0 == 0 && b1 == 0))
			return 0;
		return oconf > 0 && (b0 > 0 || b1 > 0) ? 1 : -1;
	}
	if (i == I_NTPD && oconf > 0 && exists(ctx, "/etc/ntp.conf", true) == 0 &&
	    exists(ctx, "/etc/ntpsec/ntp.conf", true) == 0)
		return 0;
	int r = 0;
	for (size_t b = 0; d->bins[b]; b++) {
		int e = exists(ctx, d->bins[b], true);
		if (e > 0)
			return 1;
		if (e < 0)
			r = -1;
	}
	return r;
}

static void add_src(struct ts_read *rd, unsigned line)
{
	char src[LIMIT_PATH + 16];
	snprintf(src, sizeof(src), "%s:%u", rd->path, line);
	json_array_append_new(rd->sources, json_str(src));
}

static void on_server(void *ud, unsigned line, const char *host)
{
	struct ts_read *rd = ud;
	json_array_append_new(rd->servers, json_str(host));
	add_src(rd, line);
}

static void on_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	struct ts_read *rd = ud;
	if (++rd->bad_lines == LIMIT_LINE_MESSAGES + 1)
		probe_msg(rd->ctx, "%s: ほかにも問題のある行があります", "%s: more problem lines",
			  rd->path);
	if (rd->bad_lines <= LIMIT_LINE_MESSAGES)
		probe_line_error(rd->ctx, rd->path, line, ja, en);
}

/* Each word of arg is a directory (confdir/sourcedir) or a glob. The
 * daemons have no loop detection: the depth is checked at the directive. */
static void on_include(void *ud, unsigned line, const char *directive, const char *arg)
{
	struct ts_read *rd = ud;
	char pattern[LIMIT_PATH];
	const char *suffix = strcmp(directive, "sourcedir") == 0 ? "/*.sources"
			     : strcmp(directive, "confdir") == 0 ? "/*.conf"
								 : "";
	if (confwalk_depth(rd->w) > LIMIT_INCLUDE_DEPTH) {
		probe_line_error(rd->ctx, rd->path, line, "インクルードが深すぎます (ループ?)",
				 "includes nested too deep (a loop?)");
		return;
	}
	for (const char *p = arg; *p;) {
		size_t n = strcspn(p, " \t");
		snprintf(pattern, sizeof(pattern), "%.*s%s", (int)n, p, suffix);
		p += n + strspn(p + n, " \t");
		if (pattern[0] != '/')
			continue;
		int r = confwalk_include(rd->w, "", pattern, NULL, line);
		if (r == 0 && !*suffix)
			probe_line_error(rd->ctx, rd->path, line, "インクルード先がありません",
					 "the included file does not exist");
	}
}

static void ts_file(struct confwalk *w, const char *path, const char *buf, size_t len, void *ud)
{
	struct ts_read *rd = ud;
	struct ts_cb cb = {on_server, on_include, on_bad, rd};
	unsigned saved = rd->bad_lines;
	const char *saved_path = rd->path;
	rd->path = path;
	rd->bad_lines = 0;
	if (ts_parse(buf, len, rd->fmt, &cb) > 0) /* a line not read may name a source */
		rd->unreadable = true;
	rd->bad_lines = saved;
	rd->path = saved_path;
}

static void ts_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	struct ts_read *rd = ud;
	if (ev->kind == CONFWALK_TOO_MANY && ev->nfiles == LIMIT_LOG_CONFIG_FILES + 1)
		probe_msg(rd->ctx, "読むファイルが多すぎます (%u 件まで)",
			  "too many configuration files (at most %u)", LIMIT_LOG_CONFIG_FILES);
	if (ev->kind == CONFWALK_UNREADABLE) {
		probe_file_error(rd->ctx, ev->path, ev->err, ev->missing_ok);
		rd->unreadable = rd->unreadable || ev->err != -ENOENT;
	}
	/* CONFWALK_NO_MATCH: on_include says it, for globs too, as before. */
}

static bool conf_exists(void *ud, const char *path)
{
	return exists(ud, path, true) != 0; /* could not be told: tried, and reported */
}

/* The main file (first of /etc, /run, /usr/local/lib, /usr/lib) and the
 * drop-ins of a systemd daemon, in systemd's order (new strv). */
static int systemd_conf_files(struct probe_ctx *ctx, const char *name, char ***ret)
{
	return confwalk_systemd_conf(ctx->root, name, conf_exists, ctx, ret);
}

/* timesyncd.conf and its drop-ins, in systemd's order. */
static void read_timesyncd(struct ts_read *rd, json_t *out)
{
	struct timesyncd_conf c = {0};
	_cleanup_strv_ char **files = NULL;
	if (systemd_conf_files(rd->ctx, "timesyncd.conf", &files) < 0)
		return;
	for (size_t i = 0; files && files[i]; i++) {
		_cleanup_buf_ struct buf b = {0};
		int r = fsroot_read(rd->ctx->root, files[i], LIMIT_CONFIG_FILE, &b);
		if (r < 0) {
			probe_file_error(rd->ctx, files[i], r, true);
			rd->unreadable = rd->unreadable || r != -ENOENT;
			continue;
		}
		rd->path = files[i];
		timesyncd_parse(b.data, b.len, files[i], &c, on_bad, rd);
	}
	/* NTP= and FallbackNTP= both name servers timesyncd may use. */
	const char *lists[] = {c.ntp, c.fallback};
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		_cleanup_free_ char *copy = lists[l] ? strdup(lists[l]) : NULL;
		char *save = NULL;
		for (char *t = copy ? strtok_r(copy, " \t", &save) : NULL; t;
		     t = strtok_r(NULL, " \t", &save))
			json_array_append_new(rd->servers, json_str(t));
	}
	if (c.ntp_src)
		json_array_append_new(rd->sources, json_str(c.ntp_src));
	if (c.fallback_src)
		json_array_append_new(rd->sources, json_str(c.fallback_src));
	json_set(out, "fallback_builtin", json_boolean(!c.fallback_set));
	timesyncd_conf_free(&c);
}

/* Whether the implementation's daemon runs: live host only. */
static json_t *is_running(struct probe_ctx *ctx, const struct impl_desc *d)
{
	const char *const comms[] = {d->comm, NULL};
	return probe_running(ctx, comms, d->bins);
}

static void read_impl(struct ts_read *rd, enum impl i, json_t *out)
{
	const struct impl_desc *d = &impls[i];
	rd->fmt = d->fmt;
	if (i == I_TIMESYNCD) {
		read_timesyncd(rd, out);
		return;
	}
	json_set(out, "fallback_builtin", json_false());
	for (size_t c = 0; d->configs[c]; c++) {
		if (!exists(rd->ctx, d->configs[c], false))
			continue;
		confwalk_read(rd->w, d->configs[c], false);
		return;
	}
	probe_msg(rd->ctx, "%s の設定ファイルがありません", "no configuration file for %s",
		  d->name);
}

/* Pick the first enabled implementation, else the first installed.
 * *ret_unknown: some installation or enabling link could not be checked,
 * so "none" and "not enabled" are not known. */
static int pick(struct probe_ctx *ctx, json_t *inst, const char **ret_unit, bool *ret_unknown)
{
	int first = -1;
	for (int i = 0; i < I_COUNT; i++) {
		int in = installed(ctx, (enum impl)i);
		*ret_unknown |= in < 0;
		if (in <= 0)
			continue;
		json_array_append_new(inst, json_string(impls[i].name));
		const char *u = unit_enabled(ctx, &impls[i], ret_unknown);
		if (u && !*ret_unit) {
			*ret_unit = u;
			first = i;
		}
		if (first < 0)
			first = i;
	}
	return first;
}

int probe_time_run(struct probe_ctx *ctx)
{
	json_auto_t *out = json_object();
	struct ts_read rd = {.ctx = ctx, .servers = json_array(), .sources = json_array()};
	const struct confwalk_opts wo = {
	    .max_chain = LIMIT_INCLUDE_DEPTH + 1,
	    .max_files = LIMIT_LOG_CONFIG_FILES,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_DEPTH,
	    .on_file = ts_file,
	    .on_problem = ts_problem,
	    .ud = &rd,
	};
	_cleanup_confwalk_ struct confwalk *w = rd.w = confwalk_new(ctx->root, &wo);
	json_t *inst = json_array();
	const char *unit = NULL;
	bool unknown = false;
	if (!out || !w || !rd.servers || !rd.sources || !inst)
		return -ENOMEM;
	json_set(out, "servers", rd.servers);
	json_set(out, "sources", rd.sources);
	json_set(out, "installed", inst);
	json_set(out, "basis", probe_basis(ctx));
	int i = pick(ctx, inst, &unit, &unknown);
	json_set(out, "unit", json_str(unit));
	json_set(out, "enabled", unit ? json_true() : unknown ? json_null() : json_false());
	if (i < 0) {
		json_set(out, "implementation", unknown ? json_null() : json_string("none"));
		json_set(out, "configured", unknown ? json_null() : json_false());
		json_set(out, "fallback_builtin", json_false());
		json_set(out, "running", ctx->offline ? json_null() : json_false());
		return json_set(ctx->inventory, "time_sync", json_incref(out));
	}
	read_impl(&rd, (enum impl)i, out);
	bool builtin = json_is_true(json_object_get(out, "fallback_builtin"));
	bool configured = json_array_size(rd.servers) > 0 || builtin;
	json_set(out, "implementation", json_string(impls[i].name));
	json_set(out, "configured",
		 rd.unreadable && !configured ? json_null() : json_boolean(configured));
	json_set(out, "running", is_running(ctx, &impls[i]));
	json_str_array_sort(rd.servers, true);
	json_str_array_sort(rd.sources, true);
	return json_set(ctx->inventory, "time_sync", json_incref(out));
}
