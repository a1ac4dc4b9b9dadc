/* autostart.c - the "autostart" and "remote_access" probes' collections:
 * what starts by itself besides services (cron jobs, enabled systemd
 * timers, XDG autostart entries of desktop sessions) for 2(9), and which
 * remote-access, remote-desktop and VPN software is present, enabled or
 * running: the host's part of the 2(2) evidence of which machines a
 * vendor can reach.
 *
 * It runs after packages, processes and services and reads their
 * collections; a collection that is missing makes the facts drawn from it
 * null. Commands are stored with secret-looking arguments masked.
 */
#include <ctype.h>
#include <stdio.h>
#include <sys/stat.h>
#include "probes/parse/accounts_parse.h"
#include "probes/parse/cron_parse.h"
#include "lib/limits.h"
#include "probes/probe.h"
#include "probes/parse/proc_parse.h"
#include "probes/parse/unit_parse.h"

static const struct column autostart_columns[] = {
    {"kind", COL_STRING,
     "cron, anacron, timer, xdg, or user-unit (a systemd user unit every session of its user "
     "starts: enabled globally or in ~/.config/systemd/user)"},
    {"path", COL_STRING, "the file (crontab, anacrontab, timer or user unit, .desktop file)"},
    {"line", COL_INT, "line in the crontab, null for other kinds"},
    {"schedule", COL_STRING,
     "cron time fields or @keyword; anacron's period and delay; the timer's On*= triggers; "
     "\"login\" for xdg; the target whose wants/requires link starts a user unit"},
    {"command", COL_STRING, "command (secrets masked); for a timer the service's ExecStart"},
    {"user", COL_STRING,
     "user it runs as (crontab user field, spool owner); \"*\" for system-wide xdg entries"},
    {"enabled", COL_BOOL,
     "false for xdg entries with Hidden=true or X-GNOME-Autostart-enabled=false"},
    {NULL, 0, NULL},
};

static const struct column remote_columns[] = {
    {"name", COL_STRING, "tool: sshd, xrdp, x11vnc, teamviewer, anydesk, openvpn, wireguard, ..."},
    {"kind", COL_STRING, "ssh, remote-desktop, vnc, vpn or vendor-tool"},
    {"installed", COL_BOOL,
     "a package of it is installed or one of its binaries exists; null when there is no package "
     "database and only its unit or process was seen"},
    {"package", COL_STRING, "the installed package, null if none"},
    {"binary", COL_STRING, "a well-known binary of it that exists, null if none"},
    {"service", COL_STRING, "its systemd unit found, null if none"},
    {"enabled", COL_BOOL, "that unit (or an instance) is enabled; null without services facts"},
    {"running", COL_BOOL, "a process of it runs; null without a process table"},
    {"pids", COL_ARRAY, "those processes"},
    {NULL, 0, NULL},
};

const struct collection autostart_collections[] = {
    {"autostart", false, autostart_columns},
    {"remote_access", false, remote_columns},
    {NULL, false, NULL},
};

/* ---- cron ---- */

static json_t *entry(const char *kind, const char *path, json_t *line, json_t *schedule,
		     json_t *command, json_t *user, bool enabled)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_set(o, "kind", json_string(kind));
	json_set(o, "path", json_str(path));
	json_set(o, "line", line);
	json_set(o, "schedule", schedule);
	json_set(o, "command", command);
	json_set(o, "user", user);
	json_set(o, "enabled", json_boolean(enabled));
	return o;
}

/* The next blank-separated word of [*p, end). */
static bool word(const char **p, const char *end, const char **ret, size_t *ret_n)
{
	while (*p < end && isblank((unsigned char)**p))
		(*p)++;
	*ret = *p;
	while (*p < end && !isblank((unsigned char)**p))
		(*p)++;
	*ret_n = (size_t)(*p - *ret);
	return *ret_n > 0;
}

/* The command as --full-cmdline asks (proc_parse.h: minimal by default). */
static json_t *masked(const char *s, size_t n, bool full)
{
	_cleanup_free_ char *m =
	    proc_cmdline_view(s, n, false, NULL, full ? CMDLINE_FULL : CMDLINE_MINIMAL);
	return m ? json_str(m) : json_null();
}

/* One crontab line: "SCHEDULE [USER] COMMAND" (user only in system
 * crontabs); environment assignments and comments give NULL. */
static json_t *cron_line(const char *path, const struct line *ln, const char *spool_user, bool full,
			 bool *bad)
{
	const char *s = ln->s, *end, *w;
	size_t n = ln->len, wn;
	str_trim(&s, &n);
	end = s + n;
	*bad = false;
	if (n == 0 || s[0] == '#' || memchr(s, '\0', n))
		return NULL;
	const char *eq = memchr(s, '=', n);
	size_t first = strcspn(s, " \t=");
	if (eq && s + first == eq && s[0] != '@' && s[0] != '*' && !isdigit((unsigned char)s[0]))
		return NULL; /* NAME=value */
	const char *p = s;
	int fields = s[0] == '@' ? 1 : 5;
	for (int i = 0; i < fields; i++)
		if (!word(&p, end, &w, &wn))
			return (*bad = true), NULL;
	json_t *sched = json_bytes(s, (size_t)(p - s));
	json_t *user = NULL;
	if (!spool_user) {
		if (!word(&p, end, &w, &wn)) {
			json_decref(sched);
			return (*bad = true), NULL;
		}
		user = json_bytes(w, wn);
	}
	while (p < end && isblank((unsigned char)*p))
		p++;
	if (p == end) {
		json_decref(sched);
		json_decref(user);
		return (*bad = true), NULL;
	}
	return entry("cron", path, json_integer(ln->lineno), sched,
		     masked(p, (size_t)(end - p), full), user ? user : json_str(spool_user), true);
}

static void read_crontab(struct probe_ctx *ctx, const char *path, const char *spool_user,
			 json_t *out)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, true);
		return;
	}
	struct line_iter it;
	struct line ln;
	unsigned nbad = 0;
	line_iter_init(&it, b.data, b.len);
	while (line_iter_next(&it, &ln)) {
		bool bad = false;
		json_t *o = ln.len > LIMIT_LINE
				? NULL
				: cron_line(path, &ln, spool_user, ctx->full_cmdline, &bad);
		if (o)
			json_array_append_new(out, o);
		else if ((bad || ln.len > LIMIT_LINE) && nbad++ < LIMIT_LINE_MESSAGES)
			probe_line_error(ctx, path, ln.lineno, "crontab の行として解釈できません",
					 "not a crontab line");
	}
}

/* cron skips files whose names hold anything but letters, digits, '_'
 * and '-' (run-parts rules: no dpkg backups, no editor files). */
static bool cron_name_ok(const char *n)
{
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && *n != '_' && *n != '-')
			return false;
	return true;
}

/* run-parts runs a regular file (or a link to one) that is executable. */
static bool run_parts_runs(struct probe_ctx *ctx, const char *path)
{
	struct stat st;
	int r = fsroot_stat(ctx->root, path, true, &st);
	if (r < 0 && r != -ENOENT)
		probe_file_error(ctx, path, r, true);
	return r == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

static void scan_cron_dir(struct probe_ctx *ctx, const char *dir, int mode, json_t *out)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(ctx->root, dir, &names, &n);
	if (r < 0) {
		if (r != -ENOENT)
			probe_file_error(ctx, dir, r, true);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *path = path_join(dir, names[i]);
		if (!path || !cron_name_ok(names[i]))
			continue;
		if (mode == 0)
			read_crontab(ctx, path, NULL, out); /* cron.d: system format */
		else if (mode == 1)
			read_crontab(ctx, path, names[i], out); /* spool: file name is the user */
		else if (run_parts_runs(ctx, path))
			json_array_append_new(out,
					      entry("cron", path, json_null(),
						    json_string(strrchr(dir, '.') + 1),
						    json_str(path), json_string("root"), true));
	}
}

static void scan_cron(struct probe_ctx *ctx, json_t *out)
{
	static const char *const periodic[] = {"/etc/cron.hourly", "/etc/cron.daily",
					       "/etc/cron.weekly", "/etc/cron.monthly"};
	read_crontab(ctx, "/etc/crontab", NULL, out);
	scan_cron_dir(ctx, "/etc/cron.d", 0, out);
	scan_cron_dir(ctx, "/var/spool/cron/crontabs", 1, out);
	for (size_t i = 0; i < ARRAY_SIZE(periodic); i++)
		scan_cron_dir(ctx, periodic[i], 2, out);
}

/* ---- anacron ---- */

#define ANACRONTAB "/etc/anacrontab"

struct anacron_scan {
	struct probe_ctx *ctx;
	json_t *out;
};

static void anacron_job(const struct anacron_job *j, void *userdata)
{
	struct anacron_scan *as = userdata;
	_cleanup_free_ char *sched = NULL;
	if (asprintf(&sched, "%.*s %.*s", (int)j->period_len, j->period, (int)j->delay_len,
		     j->delay) < 0)
		return;
	json_array_append_new(as->out,
			      entry("anacron", ANACRONTAB, json_integer(j->line),
				    json_bytes(sched, strlen(sched)),
				    masked(j->command, j->command_len, as->ctx->full_cmdline),
				    json_string("root"), true));
}

static void anacron_bad(unsigned line, void *userdata)
{
	struct anacron_scan *as = userdata;
	probe_line_error(as->ctx, ANACRONTAB, line, "anacrontab の行として解釈できません",
			 "not an anacrontab line");
}

static void scan_anacron(struct probe_ctx *ctx, json_t *out)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, ANACRONTAB, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(ctx, ANACRONTAB, r, true);
		return;
	}
	struct anacron_scan as = {ctx, out};
	anacrontab_parse(b.data, b.len, anacron_job, anacron_bad, &as);
}

/* ---- systemd user units ---- */

/* systemd's search path for user units of every user (--global), after
 * the user's own ~/.config/systemd/user. */
static const char *const user_unit_dirs[] = {"/etc/systemd/user", "/usr/local/lib/systemd/user",
					     "/usr/lib/systemd/user", "/lib/systemd/user"};

/* The file of unit name (or of its template) in the search path, with
 * the user's own directory first when home_dir is not NULL (new). */
static char *user_unit_file(struct probe_ctx *ctx, const char *home_dir, const char *name)
{
	char tmpl[LIMIT_PATH];
	bool is_tmpl, is_inst;
	if (strlen(name) >= sizeof(tmpl) || !unit_name_split(name, &is_tmpl, &is_inst, tmpl))
		return NULL;
	for (int pass = 0; pass < 2; pass++) {
		const char *n = pass ? tmpl : name;
		if (pass && !is_inst)
			break;
		for (size_t d = home_dir ? 0 : 1; d <= ARRAY_SIZE(user_unit_dirs); d++) {
			const char *dir = d ? user_unit_dirs[d - 1] : home_dir;
			_cleanup_free_ char *p = path_join(dir, n);
			struct stat st;
			if (p && fsroot_stat(ctx->root, p, true, &st) == 0 && S_ISREG(st.st_mode))
				return TAKE_PTR(p);
		}
	}
	return NULL;
}

/* The ExecStart binary of a unit file, null if none or unreadable; for
 * a socket or a timer, that of the service it starts (depth: one hop). */
static json_t *user_unit_exec(struct probe_ctx *ctx, const char *home_dir, const char *path,
			      int depth)
{
	_cleanup_buf_ struct buf b = {0};
	struct unit_info u = {0};
	if (!path || fsroot_read(ctx->root, path, LIMIT_CONFIG_FILE, &b) < 0 ||
	    unit_parse(b.data, b.len, false, &u) < 0) {
		unit_info_free(&u);
		return json_null();
	}
	json_t *r = json_str(u.exec_start);
	const char *base = strrchr(path, '/') + 1, *dot = strrchr(base, '.');
	bool trigger = dot && (strcmp(dot, ".socket") == 0 || strcmp(dot, ".timer") == 0);
	if (!u.exec_start && trigger && !depth) {
		const char *named = u.socket_service ? u.socket_service : u.timer_unit;
		_cleanup_free_ char *svc = named ? strdup(named) : NULL;
		if (!named && asprintf(&svc, "%.*s.service", (int)(dot - base), base) < 0)
			svc = NULL;
		_cleanup_free_ char *file = svc ? user_unit_file(ctx, home_dir, svc) : NULL;
		json_decref(r);
		r = user_unit_exec(ctx, home_dir, file, depth + 1);
	}
	unit_info_free(&u);
	return r;
}

/* Masked for every user: /etc/systemd/user/NAME links to /dev/null. */
static bool user_unit_masked(struct probe_ctx *ctx, const char *name)
{
	_cleanup_free_ char *p = path_join("/etc/systemd/user", name);
	_cleanup_free_ char *target = NULL;
	return p && fsroot_readlink(ctx->root, p, &target) == 0 && strcmp(target, "/dev/null") == 0;
}

/* Every unit linked from a *.wants or *.requires directory of dir: the
 * units the user manager of user ("*": every user) starts with it. */
static void scan_user_wants(struct probe_ctx *ctx, const char *dir, const char *home_dir,
			    const char *user, json_t *out)
{
	_cleanup_strv_ char **subs = NULL;
	size_t n = 0;
	int r = fsroot_list(ctx->root, dir, &subs, &n);
	if (r < 0) {
		probe_file_error(ctx, dir, r, true);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *dot = strrchr(subs[i], '.');
		if (!dot || (strcmp(dot, ".wants") != 0 && strcmp(dot, ".requires") != 0))
			continue;
		_cleanup_free_ char *wdir = path_join(dir, subs[i]);
		_cleanup_free_ char *target = xstrndup(subs[i], (size_t)(dot - subs[i]));
		_cleanup_strv_ char **units = NULL;
		size_t nu = 0;
		if (!wdir || !target || fsroot_list(ctx->root, wdir, &units, &nu) < 0)
			continue;
		for (size_t k = 0; k < nu; k++) {
			if (user_unit_masked(ctx, units[k]))
				continue;
			_cleanup_free_ char *file = user_unit_file(ctx, home_dir, units[k]);
			_cleanup_free_ char *link = path_join(wdir, units[k]);
			json_array_append_new(out, entry("user-unit", file ? file : link,
							 json_null(), json_str(target),
							 user_unit_exec(ctx, home_dir, file, 0),
							 json_string(user), true));
		}
	}
}

/* Call fn(ctx, "HOME/sub", user, out) for every account whose home is an
 * absolute path other than "/" (from the scanned root's /etc/passwd). */
/* Whether the autostart list was already said to be incomplete. */
static bool homes_said(const struct probe_ctx *ctx)
{
	size_t i;
	json_t *c;
	json_array_foreach(ctx->incomplete, i, c) {
		if (strcmp(json_string_value(c), "autostart") == 0)
			return true;
	}
	return false;
}

typedef void (*home_dir_fn)(struct probe_ctx *ctx, const char *dir, const char *user, json_t *out);
static void for_each_home(struct probe_ctx *ctx, const char *sub, home_dir_fn fn, json_t *out)
{
	const struct buf *b = NULL;
	struct passwd_db pw = {0};
	struct parse_issues is = {0};
	int r = fsroot_read_shared(ctx->root, "/etc/passwd", LIMIT_ACCOUNT_DB, &b);
	if (r == -ENOENT)
		return; /* no account, so no home to start anything from */
	if (r < 0 || passwd_parse(b->data, b->len, &pw, &is) != 0) {
		/* Homes unknown: the users' own autostart entries could not be
		 * looked for, so the list is not known to be whole. Said once
		 * (this runs for units and for XDG entries). */
		if (!homes_said(ctx))
			probe_msg(
			    ctx,
			    "/etc/passwd を読めないため、利用者ごとの自動起動（%s "
			    "など）を確認できません",
			    "cannot read /etc/passwd, so the users' own autostart entries (%s and "
			    "others) could not be looked for",
			    sub);
		probe_incomplete(ctx, "autostart");
		parse_issues_free(&is);
		return;
	}
	{
		for (size_t i = 0; i < pw.n; i++) {
			const char *home = pw.v[i].home;
			_cleanup_free_ char *dir = NULL;
			if (!home || home[0] != '/' || strcmp(home, "/") == 0 ||
			    asprintf(&dir, "%s/%s", home, sub) < 0)
				continue;
			fn(ctx, dir, pw.v[i].name, out);
		}
		passwd_db_free(&pw);
	}
	parse_issues_free(&is);
}

/* A user's own units: the directory is also the unit path searched first. */
static void scan_home_units(struct probe_ctx *ctx, const char *dir, const char *user, json_t *out)
{
	scan_user_wants(ctx, dir, dir, user, out);
}

static void scan_user_units(struct probe_ctx *ctx, json_t *out)
{
	scan_user_wants(ctx, "/etc/systemd/user", NULL, "*", out);
	for_each_home(ctx, ".config/systemd/user", scan_home_units, out);
}

/* ---- timers ---- */

static json_t *find_by(json_t *arr, const char *key, const char *val)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *v = json_string_value(json_object_get(o, key));
		if (v && strcmp(v, val) == 0)
			return o;
	}
	return NULL;
}

/* The service a timer starts: the one whose enabled_by names it. */
static json_t *timer_target(json_t *services, const char *timer)
{
	char via[300];
	size_t i, k;
	json_t *o, *e;
	snprintf(via, sizeof(via), "timer:%s", timer);
	json_array_foreach(services, i, o) {
		json_array_foreach(json_object_get(o, "enabled_by"), k, e) {
			const char *s = json_string_value(e);
			if (s && strcmp(s, via) == 0)
				return o;
		}
	}
	return NULL;
}

static void scan_timers(json_t *services, json_t *out)
{
	size_t i, k;
	json_t *o, *e;
	json_array_foreach(services, i, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		if (!type || strcmp(type, "timer") != 0 ||
		    !json_is_true(json_object_get(o, "enabled")))
			continue;
		const char *unit = json_string_value(json_object_get(o, "unit"));
		struct strbuf sb;
		strbuf_init(&sb, LIMIT_LINE);
		json_array_foreach(json_object_get(o, "schedule"), k, e) {
			if (k && strbuf_puts(&sb, "; ") < 0)
				break;
			if (strbuf_puts(&sb, json_string_value(e) ? json_string_value(e) : "") < 0)
				break;
		}
		_cleanup_free_ char *sched = strbuf_steal(&sb);
		json_t *t = unit ? timer_target(services, unit) : NULL;
		json_t *cmd = json_object_get(t, "exec_start");
		json_array_append_new(
		    out, entry("timer", json_string_value(json_object_get(o, "unit_file")),
			       json_null(), json_str(sched), cmd ? json_incref(cmd) : json_null(),
			       json_null(), true));
	}
}

/* ---- XDG autostart ---- */

/* Exec=, Hidden=, X-GNOME-Autostart-enabled= of the [Desktop Entry]
 * group of a .desktop file. */
static json_t *desktop_entry(const char *path, const char *buf, size_t len, const char *user,
			     bool full)
{
	struct line_iter it;
	struct line ln;
	bool in_group = false, enabled = true;
	json_t *cmd = NULL;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		const char *s = ln.s;
		size_t n = ln.len;
		str_trim(&s, &n);
		if (n && s[0] == '[') {
			in_group = n == 15 && memcmp(s, "[Desktop Entry]", 15) == 0;
			continue;
		}
		const char *eq = in_group ? memchr(s, '=', n) : NULL;
		if (!eq)
			continue;
		const char *k = s, *v = eq + 1;
		size_t kn = (size_t)(eq - s), vn = n - kn - 1;
		str_trim(&k, &kn);
		str_trim(&v, &vn);
		bool is_true = vn == 4 && memcmp(v, "true", 4) == 0;
		bool is_false = vn == 5 && memcmp(v, "false", 5) == 0;
		if (kn == 4 && memcmp(k, "Exec", 4) == 0 && !cmd)
			cmd = masked(v, vn, full);
		else if (kn == 6 && memcmp(k, "Hidden", 6) == 0 && is_true)
			enabled = false;
		else if (kn == 25 && memcmp(k, "X-GNOME-Autostart-enabled", 25) == 0 && is_false)
			enabled = false;
	}
	return entry("xdg", path, json_null(), json_string("login"), cmd ? cmd : json_null(),
		     json_str(user), enabled);
}

static void scan_xdg_dir(struct probe_ctx *ctx, const char *dir, const char *user, json_t *out)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	if (fsroot_list(ctx->root, dir, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		_cleanup_free_ char *path = path_join(dir, names[i]);
		_cleanup_buf_ struct buf b = {0};
		if (!path || l < 9 || strcmp(names[i] + l - 8, ".desktop") != 0)
			continue;
		int r = fsroot_read(ctx->root, path, LIMIT_CONFIG_FILE, &b);
		if (r < 0) {
			probe_file_error(ctx, path, r, true);
			continue;
		}
		json_t *o = desktop_entry(path, b.data, b.len, user, ctx->full_cmdline);
		if (o)
			json_array_append_new(out, o);
	}
}

static void scan_xdg(struct probe_ctx *ctx, json_t *out)
{
	scan_xdg_dir(ctx, "/etc/xdg/autostart", "*", out);
	for_each_home(ctx, ".config/autostart", scan_xdg_dir, out);
}

/* ---- remote access inventory ---- */

struct tool {
	const char *name, *kind;
	const char *packages[5];
	const char *units[5]; /* templates as "NAME@.service" */
	const char *comms[3];
	const char *binaries[3];
};

static const struct tool tools[] = {
    {"sshd",
     "ssh",
     {"openssh-server"},
     {"ssh.service", "sshd.service", "ssh.socket"},
     {"sshd"},
     {"/usr/sbin/sshd"}},
    {"dropbear",
     "ssh",
     {"dropbear", "dropbear-bin"},
     {"dropbear.service"},
     {"dropbear"},
     {"/usr/sbin/dropbear"}},
    {"xrdp",
     "remote-desktop",
     {"xrdp"},
     {"xrdp.service", "xrdp-sesman.service"},
     {"xrdp", "xrdp-sesman"},
     {"/usr/sbin/xrdp"}},
    {"gnome-remote-desktop",
     "remote-desktop",
     {"gnome-remote-desktop"},
     {"gnome-remote-desktop.service"},
     {"gnome-remote-de"},
     {"/usr/libexec/gnome-remote-desktop-daemon"}},
    {"x11vnc", "vnc", {"x11vnc"}, {"x11vnc.service"}, {"x11vnc"}, {"/usr/bin/x11vnc"}},
    {"tigervnc",
     "vnc",
     {"tigervnc-standalone-server", "tigervnc-scraping-server"},
     {"vncserver@.service", "tigervncserver@.service"},
     {"Xtigervnc", "x0vncserver"},
     {"/usr/bin/Xtigervnc", "/usr/bin/x0vncserver"}},
    {"tightvnc",
     "vnc",
     {"tightvncserver"},
     {"tightvncserver.service"},
     {"Xtightvnc"},
     {"/usr/bin/Xtightvnc"}},
    {"realvnc",
     "vnc",
     {"realvnc-vnc-server"},
     {"vncserver-x11-serviced.service"},
     {"vncserver-x11-s", "vncserver-x11"},
     {"/usr/bin/vncserver-x11"}},
    {"vino",
     "vnc",
     {"vino"},
     {"vino-server.service"},
     {"vino-server"},
     {"/usr/lib/vino/vino-server"}},
    {"teamviewer",
     "vendor-tool",
     {"teamviewer", "teamviewer-host"},
     {"teamviewerd.service"},
     {"teamviewerd", "TeamViewer"},
     {"/opt/teamviewer/tv_bin/teamviewerd", "/usr/bin/teamviewer"}},
    {"anydesk", "vendor-tool", {"anydesk"}, {"anydesk.service"}, {"anydesk"}, {"/usr/bin/anydesk"}},
    {"rustdesk",
     "vendor-tool",
     {"rustdesk"},
     {"rustdesk.service"},
     {"rustdesk"},
     {"/usr/bin/rustdesk"}},
    {"openvpn",
     "vpn",
     {"openvpn"},
     {"openvpn.service", "openvpn@.service", "openvpn-client@.service", "openvpn-server@.service"},
     {"openvpn"},
     {"/usr/sbin/openvpn"}},
    {"wireguard",
     "vpn",
     {"wireguard-tools", "wireguard"},
     {"wg-quick@.service"},
     {NULL},
     {"/usr/bin/wg", "/usr/bin/wg-quick"}},
    {"strongswan",
     "vpn",
     {"strongswan", "strongswan-starter", "strongswan-charon", "charon-systemd"},
     {"strongswan.service", "strongswan-starter.service", "ipsec.service"},
     {"charon", "charon-systemd", "starter"},
     {"/usr/sbin/ipsec", "/usr/sbin/charon-systemd"}},
    {"libreswan", "vpn", {"libreswan"}, {"ipsec.service"}, {"pluto"}, {"/usr/libexec/ipsec/pluto"}},
};

static json_t *installed_package(json_t *pkgs, const struct tool *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(t->packages) && t->packages[i]; i++) {
		json_t *p = find_by(pkgs, "name", t->packages[i]);
		if (p && json_is_true(json_object_get(p, "installed")))
			return json_string(t->packages[i]);
	}
	return NULL;
}

static const char *existing_binary(struct probe_ctx *ctx, const struct tool *t)
{
	struct stat st;
	for (size_t i = 0; i < ARRAY_SIZE(t->binaries) && t->binaries[i]; i++)
		if (fsroot_stat(ctx->root, t->binaries[i], true, &st) == 0 && S_ISREG(st.st_mode))
			return t->binaries[i];
	return NULL;
}

/* The tool's units present in services (instances of a template count),
 * whether any is enabled, and their running pids. */
static void tool_units(json_t *services, const struct tool *t, json_t **unit, bool *enabled,
		       json_t *pids)
{
	size_t i;
	json_t *o;
	json_array_foreach(services, i, o) {
		const char *u = json_string_value(json_object_get(o, "unit"));
		const char *tm = json_string_value(json_object_get(o, "template"));
		for (size_t k = 0; u && k < ARRAY_SIZE(t->units) && t->units[k]; k++) {
			if (strcmp(u, t->units[k]) != 0 && !(tm && strcmp(tm, t->units[k]) == 0))
				continue;
			if (!*unit)
				*unit = json_string(u);
			*enabled = *enabled || json_is_true(json_object_get(o, "enabled"));
			json_array_extend(pids, json_object_get(o, "pids"));
		}
	}
}

static void tool_procs(json_t *procs, const struct tool *t, json_t *pids)
{
	size_t i;
	json_t *o;
	json_array_foreach(procs, i, o) {
		const char *c = json_string_value(json_object_get(o, "comm"));
		for (size_t k = 0; c && k < ARRAY_SIZE(t->comms) && t->comms[k]; k++)
			if (strcmp(c, t->comms[k]) == 0)
				json_array_append(pids, json_object_get(o, "pid"));
	}
}

/* Distinct pids, sorted. */
static void pids_settle(json_t *pids)
{
	json_array_sort_by(pids, NULL);
	for (size_t i = 1; i < json_array_size(pids);) {
		if (json_equal(json_array_get(pids, i - 1), json_array_get(pids, i)))
			json_array_remove(pids, i);
		else
			i++;
	}
}

static json_t *tool_json(struct probe_ctx *ctx, const struct tool *t)
{
	json_t *pkgs = json_object_get(ctx->inventory, "packages");
	json_t *svcs = json_object_get(ctx->inventory, "services");
	json_t *procs = json_object_get(ctx->inventory, "processes");
	json_t *pkg = installed_package(pkgs, t), *unit = NULL;
	const char *bin = existing_binary(ctx, t);
	json_t *pids = json_array();
	bool enabled = false;
	tool_units(svcs, t, &unit, &enabled, pids);
	tool_procs(procs, t, pids);
	pids_settle(pids);
	bool known_pkgs = json_is_array(pkgs), running = json_array_size(pids) > 0;
	json_t *installed = pkg || bin ? json_true() : known_pkgs ? json_false() : json_null();
	/* Nothing points at it (no package, binary, unit or process): not
	 * listed. Without a package database that is the best evidence there
	 * is, and the probe says so once (see probe_autostart_run). */
	if (!json_is_true(installed) && !unit && !running) {
		json_decref(pids);
		return NULL; /* absent: nothing to list */
	}
	json_t *o = json_object();
	json_set(o, "name", json_string(t->name));
	json_set(o, "kind", json_string(t->kind));
	json_set(o, "installed", installed);
	json_set(o, "package", pkg ? pkg : json_null());
	json_set(o, "binary", bin ? json_string(bin) : json_null());
	json_set(o, "service", unit ? unit : json_null());
	json_set(o, "enabled", json_is_array(svcs) ? json_boolean(enabled) : json_null());
	json_set(o, "running", json_is_array(procs) ? json_boolean(running) : json_null());
	json_set(o, "pids", pids);
	return o;
}

int probe_autostart_run(struct probe_ctx *ctx)
{
	json_t *services = json_object_get(ctx->inventory, "services");
	json_t *au = json_array(), *ra = json_array();
	if (!au || !ra) {
		json_decref(au);
		json_decref(ra);
		return -ENOMEM;
	}
	scan_cron(ctx, au);
	scan_anacron(ctx, au);
	scan_user_units(ctx, au);
	if (json_is_array(services))
		scan_timers(services, au);
	else
		probe_msg_text(ctx, "services の情報がないため systemd タイマーは確認していません",
			       "no services facts: systemd timers were not checked");
	scan_xdg(ctx, au);
	if (!json_is_array(json_object_get(ctx->inventory, "packages")))
		probe_msg_text(
		    ctx,
		    "パッケージ情報がないため、リモートアクセス用ソフトウェアは既知の実行"
		    "ファイル・ユニット・プロセスだけで判定しました",
		    "no package facts: remote-access software was detected by well-known "
		    "binaries, units and processes only");
	for (size_t i = 0; i < ARRAY_SIZE(tools); i++) {
		json_t *o = tool_json(ctx, &tools[i]);
		if (o)
			json_array_append_new(ra, o);
	}
	json_array_sort_by(au, "path");
	json_array_sort_by(ra, "name");
	json_set(ctx->inventory, "autostart", au);
	return json_set(ctx->inventory, "remote_access", ra);
}
