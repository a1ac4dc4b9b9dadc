/* inetd.c - programs started by a super-server, for the services probe:
 * each entry of inetd.conf (inetutils-inetd, openbsd-inetd, xinetd in
 * -inetd_compat mode) and each xinetd service becomes a record of the
 * "services" collection with its port and its super-server, so the
 * forbidden-service and listener rules see telnet enabled by update-inetd.
 *
 * Which files each daemon reads, as Debian ships them:
 *  - inetutils-inetd (SysV script inetutils-inetd): /etc/inetd.conf and
 *    every file of /etc/inetd.d;
 *  - openbsd-inetd (inetd.service, or its SysV script openbsd-inetd):
 *    /etc/inetd.conf;
 *  - xinetd (SysV script xinetd): /etc/xinetd.conf with its includedir and
 *    includefile lines, and /etc/inetd.conf when /etc/default/xinetd sets
 *    INETD_COMPAT=Yes (the script then passes -inetd_compat).
 * A served program is enabled when its entry is and its super-server is
 * enabled; running when the super-server runs (null without a process
 * table). Parsing lives in inetd_parse.c.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "probes/read/inetd.h"
#include "probes/read/confwalk.h"
#include "probes/parse/inetd_parse.h"
#include "lib/limits.h"
#include "probes/parse/nft_parse.h"

struct superserver {
	const char *kind;	  /* inetutils-inetd, openbsd-inetd, xinetd */
	const char *const *units; /* its unit names, first found wins */
	const char *binary;
};

static const char *const inetutils_units[] = {"inetutils-inetd.service", NULL};
static const char *const openbsd_units[] = {"inetd.service", "openbsd-inetd.service", NULL};
static const char *const xinetd_units[] = {"xinetd.service", NULL};
static const struct superserver servers[] = {
    {"inetutils-inetd", inetutils_units, "/usr/sbin/inetutils-inetd"},
    {"openbsd-inetd", openbsd_units, "/usr/sbin/inetd"},
    {"xinetd", xinetd_units, "/usr/sbin/xinetd"},
};

struct ss_ctx {
	struct probe_ctx *ctx;
	json_t *arr; /* the services collection (borrowed) */
	const struct superserver *ss;
	json_t *unit; /* the super-server's record (borrowed) */
	const char *file;
	const struct buf *services_db; /* /etc/services, NULL if unreadable */
	const struct xinetd_conf *xc;  /* xinetd -inetd_compat: its defaults apply */
};

static json_t *find_unit(json_t *arr, const char *name)
{
	size_t i;
	json_t *u;
	json_array_foreach(arr, i, u) {
		const char *n = json_string_value(json_object_get(u, "unit"));
		if (n && strcmp(n, name) == 0)
			return u;
	}
	return NULL;
}

static json_t *tri(json_t *v, bool entry_on)
{
	if (!json_is_boolean(v))
		return json_null();
	return json_boolean(entry_on && json_is_true(v));
}

/* One served program as a services record. */
static int add_served(struct ss_ctx *s, const char *name, const char *proto, const char *address,
		      const char *program, bool entry_on, unsigned line, const char *port_attr)
{
	char via[LIMIT_PATH + 64], pp[64];
	const char *sunit = json_string_value(json_object_get(s->unit, "unit"));
	int port = -1;
	if (port_attr)
		port = services_port("", 0, port_attr, proto ? proto : "tcp");
	else if (s->services_db && proto)
		port = services_port(s->services_db->data, s->services_db->len, name, proto);
	snprintf(via, sizeof(via), "%s:%s:%u", sunit, s->file, line);
	snprintf(pp, sizeof(pp), "%.3s/%d", proto ? proto : "?", port);
	bool on = entry_on && json_is_true(json_object_get(s->unit, "enabled"));
	json_t *running = tri(json_object_get(s->unit, "running"), entry_on);
	struct stat st;
	bool absent = program && program[0] == '/' &&
		      fsroot_stat(s->ctx->root, program, true, &st) == -ENOENT;
	char why[LIMIT_PATH + 32];
	snprintf(why, sizeof(why), "server program absent: %s", program ? program : "");
	json_t *o = json_pack(
	    "{s:o, s:s, s:o, s:s, s:b, s:b, s:o, s:o, s:b, s:[], s:n, s:o, s:n, s:s, s:[], s:b, "
	    "s:o, s:s, s:o, s:o, s:o, s:o}",
	    "unit", json_str(name), "type", "inetd", "unit_file", json_str(s->file), "state",
	    entry_on ? "enabled" : "disabled", "enabled", on, "active", on || json_is_true(running),
	    "enabled_by", on ? json_pack("[o]", json_str(via)) : json_array(), "exec_start",
	    program ? json_str(program) : json_null(), "exec_start_dropin", 0, "dropins",
	    "template", "running", running, "pids", "source", s->ss->kind, "schedule", "runnable",
	    !absent, "not_runnable_reason", absent ? json_str(why) : json_null(), "super_server",
	    sunit, "port", port > 0 ? json_integer(port) : json_null(), "protocol",
	    proto ? json_str(proto) : json_null(), "proto_port",
	    port > 0 ? json_str(pp) : json_null(), "address",
	    address ? json_str(address) : json_null());
	if (!o || json_array_append_new(s->arr, o) < 0)
		return -ENOMEM;
	return 0;
}

/* ---- inetd.conf ---- */

static int on_inetd_entry(void *ud, const struct inetd_entry *e)
{
	struct ss_ctx *s = ud;
	char proto[8];
	/* tcp6, tcp4, tcp46 and rpc/tcp listen on tcp */
	const char *p = strncmp(e->protocol, "rpc/", 4) == 0 ? e->protocol + 4 : e->protocol;
	bool on = e->enabled;
	snprintf(proto, sizeof(proto), "%.3s", p);
	if (s->xc) { /* xinetd's defaults enabled/disabled lists name it by its service */
		struct xinetd_service as = {.name = (char *)e->service};
		on = on && xinetd_service_enabled(s->xc, &as);
	}
	return add_served(s, e->service, proto, e->address, e->internal ? NULL : e->program, on,
			  e->line, NULL);
}

static void read_inetd_file(struct ss_ctx *s, const char *path, bool missing_ok)
{
	_cleanup_buf_ struct buf b = {0};
	unsigned bad = 0, first = 0;
	int r = fsroot_read(s->ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(s->ctx, path, r, missing_ok);
		return;
	}
	s->file = path;
	if (inetd_conf_parse(b.data, b.len, on_inetd_entry, s, &bad, &first) < 0)
		probe_msg(s->ctx, "%s: メモリが不足しました", "%s: out of memory", path);
	if (bad)
		probe_line_error(s->ctx, path, first, "inetd.conf の項目として読めません",
				 "not an inetd.conf entry");
}

static void read_inetd_d(struct ss_ctx *s)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(s->ctx->root, "/etc/inetd.d", &names, &n);
	if (r < 0) {
		probe_file_error(s->ctx, "/etc/inetd.d", r, true);
		return;
	}
	for (size_t i = 0; i < n && i < LIMIT_LOG_CONFIG_FILES; i++) {
		_cleanup_free_ char *p = path_join("/etc/inetd.d", names[i]);
		if (p && names[i][0] != '.')
			read_inetd_file(s, p, false);
	}
}

/* ---- xinetd ---- */

/* What the walk over xinetd.conf and its includes fills. */
struct xwalk {
	struct ss_ctx *s;
	struct xinetd_conf *c;
	struct confwalk *w;
};

/* xinetd's includefile and includedir name one file or one directory
 * (never a glob); a relative one is taken from xinetd's working
 * directory, "/". */
static void on_xinetd_include(void *ud, const char *kind, const char *path, unsigned line)
{
	struct xwalk *x = ud;
	if (confwalk_include_path(x->w, "", path, strcmp(kind, "includedir") == 0, line) < 0)
		probe_msg(x->s->ctx, "%s: メモリが不足しました", "%s: out of memory", path);
}

static void xinetd_file(struct confwalk *w, const char *path, const char *buf, size_t len, void *ud)
{
	struct xwalk *x = ud;
	struct xinetd_conf *c = x->c;
	unsigned bad0 = c->bad_lines;
	(void)w;
	if (xinetd_conf_parse(buf, len, path, c, on_xinetd_include, x) < 0)
		probe_msg(x->s->ctx, "%s: メモリが不足しました", "%s: out of memory", path);
	if (c->bad_lines > bad0)
		probe_line_error(x->s->ctx, path, c->first_bad_line,
				 "xinetd の設定として読めません",
				 "not an xinetd configuration line");
	c->bad_lines = bad0;
}

/* An includedir reads neither names with a '.' nor names ending in '~'. */
static bool xinetd_skip(const char *name)
{
	return !xinetd_includedir_name(name);
}

static void xinetd_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	struct xwalk *x = ud;
	struct probe_ctx *ctx = x->s->ctx;
	(void)w;
	switch (ev->kind) {
	case CONFWALK_LOOP:
		probe_msg(ctx, "%s:%u: %s はインクルードのループです (読みません)",
			  "%s:%u: %s is an include loop (not read)", ev->from, ev->line, ev->path);
		probe_partial(ctx);
		break;
	case CONFWALK_DEPTH:
	case CONFWALK_TOO_MANY:
		probe_msg(ctx, "%s: インクルードが深すぎるか多すぎます (読みません)",
			  "%s: includes nested too deep or too many (not read)", ev->path);
		probe_partial(ctx);
		break;
	case CONFWALK_UNREADABLE:
	case CONFWALK_NO_MATCH:
		probe_file_error(ctx, ev->path, ev->err, ev->missing_ok);
		break;
	}
}

static void xinetd_records(struct ss_ctx *s)
{
	struct xinetd_conf c = {0};
	struct xwalk xw = {.s = s, .c = &c};
	const struct confwalk_opts wo = {
	    .max_chain = LIMIT_INCLUDE_DEPTH + 1,
	    .max_files = LIMIT_LOG_CONFIG_FILES,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_INODE,
	    .skip = xinetd_skip,
	    .dir_required = true,
	    .on_file = xinetd_file,
	    .on_problem = xinetd_problem,
	    .ud = &xw,
	};
	xw.w = confwalk_new(s->ctx->root, &wo);
	if (!xw.w) {
		probe_msg(s->ctx, "%s: メモリが不足しました", "%s: out of memory",
			  "/etc/xinetd.conf");
		return;
	}
	confwalk_read(xw.w, "/etc/xinetd.conf", false);
	confwalk_free(xw.w);
	for (size_t i = 0; i < c.n; i++) {
		const struct xinetd_service *x = &c.v[i];
		const char *proto = x->protocol;
		if (!proto && x->socket_type)
			proto = strcmp(x->socket_type, "dgram") == 0 ? "udp" : "tcp";
		bool internal = x->type && strstr(x->type, "INTERNAL");
		bool valid = x->socket_type && (x->server || internal);
		s->file = x->file;
		if (add_served(s, x->name, proto, x->bind, internal ? NULL : x->server,
			       valid && xinetd_service_enabled(&c, x), x->line, x->port) < 0)
			break;
	}
	/* Debian's init script adds -inetd_compat when INETD_COMPAT=Yes */
	_cleanup_buf_ struct buf d = {0};
	_cleanup_free_ char *compat = NULL;
	if (fsroot_read(s->ctx->root, "/etc/default/xinetd", LIMIT_CONFIG_FILE, &d) == 0)
		compat = kv_get(d.data, d.len, "INETD_COMPAT");
	if (compat && (compat[0] == 'Y' || compat[0] == 'y')) {
		s->xc = &c;
		read_inetd_file(s, "/etc/inetd.conf", true);
		s->xc = NULL;
	}
	xinetd_conf_free(&c);
}

int superserver_services(struct probe_ctx *ctx, json_t *arr)
{
	const struct buf *db = NULL;
	int r = fsroot_read_shared(ctx->root, "/etc/services", LIMIT_CONFIG_FILE, &db);
	for (size_t i = 0; i < ARRAY_SIZE(servers); i++) {
		struct ss_ctx s = {.ctx = ctx, .arr = arr, .ss = &servers[i]};
		struct stat st;
		for (const char *const *u = servers[i].units; *u && !s.unit; u++)
			s.unit = find_unit(arr, *u);
		if (!s.unit || fsroot_stat(ctx->root, servers[i].binary, true, &st) < 0)
			continue;    /* not installed: nothing it would serve */
		json_incref(s.unit); /* appends below may move the array's storage */
		if (r < 0)
			probe_file_error(ctx, "/etc/services", r, false);
		s.services_db = r == 0 ? db : NULL;
		if (strcmp(servers[i].kind, "xinetd") == 0) {
			xinetd_records(&s);
		} else {
			read_inetd_file(&s, "/etc/inetd.conf", true);
			if (strcmp(servers[i].kind, "inetutils-inetd") == 0)
				read_inetd_d(&s);
		}
		json_decref(s.unit);
	}
	return 0;
}
