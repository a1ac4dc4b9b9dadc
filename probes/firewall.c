/* firewall.c - the "firewall" probe (checklist 2(8)): is a host firewall
 * active, does it drop inbound traffic by default, which ports does it
 * open to whom; and the TCP wrappers files.
 *
 * Backends: nftables (/etc/nftables.conf with its includes), iptables
 * (iptables-persistent rules.v4/rules.v6), ufw (ufw.conf, /etc/default/ufw,
 * user.rules) and firewalld (firewalld.conf and zone XML). Which one is
 * active at boot comes from the systemd "wants" symlinks under
 * /etc/systemd/system. On a live host the running ruleset is read with
 * `/usr/sbin/nft -j list ruleset`, and when that shows no table while
 * /proc/net/ip{,6}_tables_names lists legacy tables, with
 * `/usr/sbin/ip{,6}tables-legacy-save` (the only programs this probe runs:
 * no shell, stdin closed, bounded output, killed after a timeout); it then
 * decides, since it is what the kernel enforces. Under --root nothing runs
 * and the persistent configuration decides.
 *
 * Parsing is in nft_parse.c; this file does the I/O and writes the facts.
 */
#include <ctype.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "lib/limits.h"
#include "probes/parse/nft_parse.h"
#include "probes/probe.h"
#include "probes/read/confwalk.h"
#include "probes/read/fwd_read.h"

#define NFT_BIN "/usr/sbin/nft"
/* Rules loaded with the legacy (x_tables) interface are invisible to nft;
 * these print them, and the tables the kernel holds are listed in /proc. */
#define IPT_LEGACY_SAVE	 "/usr/sbin/iptables-legacy-save"
#define IP6T_LEGACY_SAVE "/usr/sbin/ip6tables-legacy-save"

struct fw_state {
	struct probe_ctx *ctx;
	json_t *accepts;       /* firewall_rules */
	json_t *fw;	       /* the "firewall" object */
	struct confwalk *w;    /* nftables files and their includes */
	struct fw_ruleset *rs; /* the ruleset being read through w */
	int top_r;	       /* nft_parse's answer for the file read at the top */
	const char *tool;      /* what showed the running ruleset (static) */
	bool zone_unknown;     /* firewalld's default zone could not be read */
	bool zones_short;      /* a zone file could not be read: its accepts are unknown */
};

static void report_issues(struct probe_ctx *ctx, const struct fw_ruleset *rs)
{
	size_t shown = rs->nissues < LIMIT_LINE_MESSAGES ? rs->nissues : LIMIT_LINE_MESSAGES;
	for (size_t i = 0; i < shown; i++)
		probe_line_error(ctx, rs->issues[i].file, rs->issues[i].line, rs->issues[i].ja,
				 rs->issues[i].en);
	if (rs->nissues > shown)
		probe_msg(ctx, "ほかに %zu 件の問題があります", "%zu more problems",
			  rs->nissues - shown);
}

/* ---- services --------------------------------------------------------- */

/* 1 if systemd starts NAME.service at boot (a wants symlink and no mask),
 * 0 if not, -errno if /etc/systemd/system cannot be listed. */
static int unit_enabled(struct probe_ctx *ctx, const char *name)
{
	char pat[256], unit[256];
	_cleanup_strv_ char **m = NULL;
	_cleanup_free_ char *target = NULL;
	size_t n = 0;
	snprintf(unit, sizeof(unit), "/etc/systemd/system/%s.service", name);
	int r = fsroot_readlink(ctx->root, unit, &target);
	if (r == 0 && strcmp(target, "/dev/null") == 0)
		return 0; /* masked */
	/* Not a symlink (EINVAL) or absent is "not masked"; a loop or a
	 * denied /etc is not known. */
	if (r < 0 && r != -EINVAL && r != -ENOENT)
		return r;
	/* The glob skips what it cannot read: check the directory it starts
	 * from, so an unreadable /etc is not taken for "nothing enabled". */
	r = probe_exists(ctx, "/etc/systemd/system", true);
	if (r <= 0)
		return r;
	snprintf(pat, sizeof(pat), "/etc/systemd/system/*.wants/%s.service", name);
	r = fsroot_glob(ctx->root, pat, &m, &n);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : n > 0;
}

/* ---- nftables persistent config with includes ------------------------- */

/* An include of the file being parsed: relative to its directory, then
 * to /etc; a literal path is read as it is, a glob in sorted order. */
static int nft_include(struct fw_ruleset *rs, const char *from, const char *pat, void *ud)
{
	struct fw_state *st = ud;
	int n = confwalk_include(st->w, NULL, pat, NULL, 0);
	return n < 0 ? n : 0;
}

/* Parse one nftables file (and, through the callback, its includes). */
static void nft_file(struct confwalk *w, const char *path, const char *buf, size_t len, void *ud)
{
	struct fw_state *st = ud;
	const char *interned = fw_ruleset_file(st->rs, path);
	int r = interned ? nft_parse(st->rs, interned, buf, len, nft_include, st) : -ENOMEM;
	if (confwalk_depth(w) == 1)
		st->top_r = r;
}

static void nft_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	struct fw_state *st = ud;
	switch (ev->kind) {
	case CONFWALK_LOOP:
	case CONFWALK_DEPTH:
	case CONFWALK_TOO_MANY:
		probe_msg(st->ctx, "%s: include がループしているか深すぎるため読みません",
			  "%s: include loop or nesting too deep; not read", ev->path);
		probe_partial(st->ctx);
		break;
	case CONFWALK_UNREADABLE:
		if (ev->from) /* the file at the top: do_nftables says it */
			probe_file_error(st->ctx, ev->path, ev->err, false);
		break;
	case CONFWALK_NO_MATCH:
		probe_msg(st->ctx, "%s: include \"%s\" のファイルがありません",
			  "%s: include \"%s\": no such file", ev->from, ev->path);
		probe_partial(st->ctx);
		break;
	}
}

/* Read and parse /etc/nftables.conf (or path) and its includes into rs.
 * Returns 0 or -errno of the read or the parse. */
static int nft_read(struct fw_state *st, struct fw_ruleset *rs, const char *path)
{
	st->rs = rs;
	st->top_r = 0;
	int r = confwalk_read(st->w, path, false);
	return r < 0 ? r : st->top_r;
}

/* ---- running ruleset ---------------------------------------------------- */

static void child_exec(int out, const char *bin, char *const argv[])
{
	char *const envp[] = {"LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nul < 0 || dup2(nul, 0) < 0 || dup2(out, 1) < 0 || dup2(nul, 2) < 0)
		_exit(127);
	execve(bin, argv, envp);
	_exit(127);
}

/* Read the child's output until EOF, the limit, or the deadline. */
static int read_bounded(int fd, struct strbuf *sb, int64_t deadline)
{
	char chunk[65536];
	for (;;) {
		int64_t left = deadline - mono_ms();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left <= 0)
			return -ETIMEDOUT;
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -ETIMEDOUT;
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		if (strbuf_append(sb, chunk, (size_t)n) < 0)
			return -EFBIG;
	}
}

/* Run the fixed tool bin with argv; 0 and its output in ret, or -errno. */
static int run_tool(const char *bin, char *const argv[], struct strbuf *ret)
{
	int fds[2], status = 0;
	if (access(bin, X_OK) < 0)
		return -errno;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(fds[0]);
		close(fds[1]);
		return e;
	}
	if (pid == 0)
		child_exec(fds[1], bin, argv);
	close(fds[1]);
	int r = read_bounded(fds[0], ret, mono_ms() + LIMIT_CMD_TIMEOUT_MS);
	close(fds[0]);
	if (r < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		r = -EPERM;
	return r;
}

static int run_nft(struct strbuf *ret)
{
	char *const argv[] = {"nft", "-j", "list", "ruleset", NULL};
	return run_tool(NFT_BIN, argv, ret);
}

/* Whether the kernel holds legacy tables of a family: 1 yes, 0 no, -errno
 * when /proc does not say. */
static int legacy_tables(struct fw_state *st, const char *names)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(st->ctx->root, names, LIMIT_SMALL_FILE, &b);
	if (r == -ENOENT)
		return 0; /* x_tables not loaded: no legacy rule can exist */
	if (r < 0)
		return r;
	for (size_t i = 0; i < b.len; i++)
		if (!isspace((unsigned char)b.data[i]))
			return 1;
	return 0;
}

/* The legacy rules of one family into rs: 0 read or none, -errno. */
static int legacy_family(struct fw_state *st, struct fw_ruleset *rs, const char *names,
			 const char *bin, const char *fam)
{
	int r = legacy_tables(st, names);
	if (r <= 0)
		return r;
	char *const argv[] = {(char *)bin, NULL};
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_CMD_OUTPUT);
	r = run_tool(bin, argv, &sb);
	_cleanup_free_ char *out = strbuf_steal(&sb);
	if (r == 0)
		r = ipt_parse(rs, fw_ruleset_file(rs, strrchr(bin, '/') + 1), fam, out,
			      strlen(out));
	if (r < 0)
		probe_msg(st->ctx, "iptables (legacy) のルールを読めません（%s: %s）",
			  "the iptables (legacy) rules could not be read (%s: %s)", bin,
			  strerror(-r));
	return r < 0 ? r : 0;
}

/* The running ruleset into rs: 1 read, 0 not available (reported). When
 * nft shows no table at all, the rules may have been loaded through the
 * legacy interface, which nft cannot see: they are read with
 * iptables-legacy-save where the kernel lists legacy tables, and the
 * ruleset is not available (unknown, never "no firewall") if they
 * cannot be. */
static int running_ruleset(struct fw_state *st, struct fw_ruleset *rs)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_CMD_OUTPUT);
	int r = run_nft(&sb);
	_cleanup_free_ char *out = strbuf_steal(&sb);
	if (r == 0)
		r = nft_json_parse(rs, "nft -j list ruleset", out, strlen(out));
	if (r != 0) {
		probe_msg(st->ctx, "動作中のルールセットを読めません（%s: %s）",
			  "the running ruleset could not be read (%s: %s)", NFT_BIN, strerror(-r));
		return 0;
	}
	st->tool = "nft";
	if (rs->nchains)
		return 1;
	int r4 = legacy_family(st, rs, "/proc/net/ip_tables_names", IPT_LEGACY_SAVE, "ip");
	int r6 = legacy_family(st, rs, "/proc/net/ip6_tables_names", IP6T_LEGACY_SAVE, "ip6");
	if (r4 < 0 || r6 < 0) {
		st->tool = NULL;
		return 0;
	}
	if (rs->nchains)
		st->tool = "iptables-legacy-save";
	return 1;
}

/* ---- backends ---------------------------------------------------------- */

/* A backend's verdict: deny is -1 unknown, 0 no, 1 yes. */
struct fw_result {
	int deny;
	const char *policy; /* static or borrowed until the state ends */
	char policy_buf[32];
	bool configured; /* its configuration exists */
};

/* Facts from a parsed ruleset; IPv6 counts only if want6. */
static int ruleset_result(struct fw_state *st, const struct fw_ruleset *rs, const char *backend,
			  bool want6, struct fw_result *res)
{
	struct fw_inputs in;
	int r = fw_inputs_json(rs, backend, st->accepts, &in);
	if (r < 0)
		return r;
	res->deny = in.inputs > 0 && in.deny4 && (!want6 || in.deny6);
	snprintf(res->policy_buf, sizeof(res->policy_buf), "%s", in.policy ?: "none");
	res->policy = res->policy_buf;
	return 0;
}

static int do_nftables(struct fw_state *st, struct fw_result *res)
{
	static const char *const paths[] = {"/etc/nftables.conf", "/etc/sysconfig/nftables.conf"};
	struct fw_ruleset rs = {0};
	int r = -ENOENT;
	for (size_t i = 0; i < ARRAY_SIZE(paths) && r == -ENOENT; i++)
		r = nft_read(st, &rs, paths[i]);
	res->configured = r != -ENOENT;
	if (r == -ENOENT || r == -ENOMEM) {
		res->deny = 0;
		res->policy = "none";
	} else if (r < 0) {
		probe_file_error(st->ctx, paths[0], r, false);
		res->deny = -1;
	} else {
		r = ruleset_result(st, &rs, "nftables", true, res);
	}
	report_issues(st->ctx, &rs);
	fw_ruleset_free(&rs);
	return r == -ENOMEM ? r : 0;
}

/* Read an iptables-save file into rs: 1 read, 0 missing, -errno. */
static int ipt_file(struct fw_state *st, struct fw_ruleset *rs, const char *path, const char *fam)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(st->ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		probe_file_error(st->ctx, path, r, false);
		return r;
	}
	r = ipt_parse(rs, path, fam, b.data, b.len);
	return r < 0 ? r : 1;
}

static int do_iptables(struct fw_state *st, struct fw_result *res)
{
	struct fw_ruleset rs = {0};
	int r4 = ipt_file(st, &rs, "/etc/iptables/rules.v4", "ip");
	if (r4 == 0)
		r4 = ipt_file(st, &rs, "/etc/sysconfig/iptables", "ip");
	int r6 = ipt_file(st, &rs, "/etc/iptables/rules.v6", "ip6");
	if (r6 == 0)
		r6 = ipt_file(st, &rs, "/etc/sysconfig/ip6tables", "ip6");
	int r = 0;
	res->configured = r4 > 0 || r6 > 0;
	if (r4 < 0 || r6 < 0)
		res->deny = -1;
	else
		r = ruleset_result(st, &rs, "iptables", r6 > 0, res);
	if (!res->configured && res->deny == 0)
		res->policy = "none";
	report_issues(st->ctx, &rs);
	fw_ruleset_free(&rs);
	return r;
}

/* A KEY=value setting of a small config: 1 found, 0 not, -errno. */
static int conf_get(struct fw_state *st, const char *path, const char *key, char **ret)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(st->ctx->root, path, LIMIT_CONFIG_FILE, &b);
	*ret = NULL;
	if (r < 0) {
		probe_file_error(st->ctx, path, r, true);
		return r == -ENOENT ? 0 : r;
	}
	*ret = kv_get(b.data, b.len, key);
	return *ret != NULL;
}

static bool ucase_eq(const char *a, const char *b)
{
	return a && strcasecmp(a, b) == 0;
}

/* ufw: 1 enabled in ufw.conf, 0 not, -errno unknown. */
static int ufw_enabled(struct fw_state *st)
{
	_cleanup_free_ char *en = NULL;
	int r = conf_get(st, "/etc/ufw/ufw.conf", "ENABLED", &en);
	return r < 0 ? r : ucase_eq(en, "yes");
}

static int do_ufw(struct fw_state *st, struct fw_result *res)
{
	_cleanup_free_ char *pol = NULL;
	struct fw_ruleset rs = {0};
	int r = conf_get(st, "/etc/default/ufw", "DEFAULT_INPUT_POLICY", &pol);
	res->configured = true;
	res->deny = r < 0 ? -1 : ucase_eq(pol, "DROP") || ucase_eq(pol, "REJECT");
	snprintf(res->policy_buf, sizeof(res->policy_buf), "%s", pol ? pol : "unknown");
	for (char *q = res->policy_buf; *q; q++)
		*q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
	res->policy = r < 0 ? NULL : res->policy_buf;
	int a = ipt_file(st, &rs, "/etc/ufw/user.rules", "ip");
	int b = ipt_file(st, &rs, "/etc/ufw/user6.rules", "ip6");
	static const char *const user[] = {"ufw-user-input", "ufw6-user-input"};
	for (size_t i = 0; i < rs.nchains; i++) {
		struct fw_chain *c = &rs.chains[i];
		if (strcmp(c->name, user[0]) == 0 || strcmp(c->name, user[1]) == 0) {
			free(c->hook);
			c->hook = strdup("input");
		}
	}
	struct fw_inputs in;
	r = (a < 0 || b < 0) ? 0 : fw_inputs_json(&rs, "ufw", st->accepts, &in);
	report_issues(st->ctx, &rs);
	fw_ruleset_free(&rs);
	return r;
}

/* A port, port range, service name or address as a zone can hold; any
 * other bytes make the attribute unknown, not a value no check matches. */
static bool zone_literal(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".:/_-", *s))
			return false;
	return true;
}

static int zone_accept(struct fw_state *st, const char *zone, const char *file,
		       const struct fwd_zone *z, const char *proto, const char *port)
{
	char chain[300];
	bool src_ok = true;
	snprintf(chain, sizeof(chain), "zone %s", zone);
	json_t *src = json_array();
	for (size_t i = 0; src && i < z->sources.n; i++) {
		src_ok &= zone_literal(z->sources.v[i]);
		json_array_append_new(src, json_str(z->sources.v[i]));
	}
	/* With the default zone unknown, a zone without sources may or may
	 * not be the one every other address falls into. */
	json_t *any = !src_ok || (st->zone_unknown && z->sources.n == 0)
			  ? json_null()
			  : json_boolean(z->sources.n == 0);
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o*, s:o, s:b, s:o, s:o, s:i}", "backend",
			      "firewalld", "chain", chain, "proto", json_str(proto), "ports",
			      zone_literal(port) ? json_pack("[o]", json_str(port)) : json_null(),
			      "sources", src_ok ? src : (json_decref(src), json_null()),
			      "any_source", any, "other_conditions", 0, "interface",
			      z->interfaces.n == 1 ? json_str(z->interfaces.v[0]) : json_null(),
			      "file", json_str(file), "line", 0);
	return o && json_array_append_new(st->accepts, o) == 0 ? 0 : -ENOMEM;
}

/* The ports a zone's service opens, as accepts beside the service itself
 * (so a rule on tcp/23 sees a custom service that opens it). */
static int service_accepts(struct fw_state *st, const char *zone, const char *file,
			   const struct fwd_zone *z, const char *svc)
{
	struct strv ports = {0}, bad = {0};
	int r = fwd_service_ports(st->ctx->root, svc, &ports, &bad);
	for (size_t i = 0; i < bad.n; i++)
		probe_msg(st->ctx, "ゾーン %s のサービス %s を解決できません",
			  "zone %s: cannot resolve service %s", zone, bad.v[i]);
	if (bad.n)
		probe_partial(st->ctx);
	for (size_t i = 0; r == 0 && i < ports.n; i++) {
		char *slash = strrchr(ports.v[i], '/');
		*slash = '\0'; /* the parser writes PORT/PROTO */
		r = zone_accept(st, zone, file, z, slash + 1, ports.v[i]);
	}
	strv_reset(&ports);
	strv_reset(&bad);
	return r;
}

/* The zone's services (each also as the ports it opens) and ports. */
static int zone_accepts(struct fw_state *st, const char *zone, const char *file,
			const struct fwd_zone *z)
{
	int r = 0;
	for (size_t i = 0; r == 0 && i < z->services.n; i++) {
		r = zone_accept(st, zone, file, z, "service", z->services.v[i]);
		if (r == 0)
			r = service_accepts(st, zone, file, z, z->services.v[i]);
	}
	for (size_t i = 0; r == 0 && i < z->ports.n; i++) {
		char port[256];
		snprintf(port, sizeof(port), "%s", z->ports.v[i]);
		char *slash = strchr(port, '/');
		if (slash)
			*slash++ = '\0';
		r = zone_accept(st, zone, file, z, slash ? slash : "any", port);
	}
	return r;
}

/* Load zone name as firewalld does (an /etc copy overrides the shipped
 * one, which applies when /etc has none): 0, or -errno with a message. */
static int zone_load(struct fw_state *st, const char *name, struct fwd_zone *z, char **ret_path)
{
	int r = fwd_zone_load(st->ctx->root, name, z, ret_path);
	if (r == -EINVAL) {
		probe_msg(st->ctx, "%s: firewalld のゾーン定義として読めません",
			  "%s: not a firewalld zone", *ret_path ? *ret_path : name);
		probe_partial(st->ctx);
	} else if (r == -ENOENT) {
		probe_msg(st->ctx, "firewalld のゾーン %s が /etc にも /usr/lib にもありません",
			  "firewalld zone %s is defined neither in /etc nor in /usr/lib", name);
		probe_partial(st->ctx);
	} else if (r < 0 && r != -ENOMEM) {
		probe_file_error(st->ctx, *ret_path ? *ret_path : name, r, false);
	}
	if (r < 0 && r != -ENOMEM) { /* what that zone accepts is not known */
		st->zones_short = true;
		probe_incomplete(st->ctx, "firewall_rules");
	}
	if (r < 0) {
		free(*ret_path);
		*ret_path = NULL;
	}
	return r;
}

/* Zones other than the default one that bind sources also accept, from
 * /etc and the stock ones alike; with the default zone unknown (def
 * NULL), every zone is listed, those without sources with any_source
 * unknown. */
static int other_zones(struct fw_state *st, const char *def)
{
	struct strv names;
	int r = fwd_zone_names(st->ctx->root, &names);
	if (r < 0)
		probe_file_error(st->ctx, "/etc/firewalld/zones", r, false);
	for (size_t i = 0; r == 0 && i < names.n; i++) {
		_cleanup_free_ char *path = NULL;
		struct fwd_zone z;
		if ((def && strcmp(names.v[i], def) == 0) ||
		    zone_load(st, names.v[i], &z, &path) < 0)
			continue;
		r = z.sources.n > 0 || !def ? zone_accepts(st, names.v[i], path, &z) : 0;
		fwd_zone_free(&z);
	}
	strv_reset(&names);
	return r == -ENOMEM ? r : 0;
}

static int do_firewalld(struct fw_state *st, struct fw_result *res)
{
	_cleanup_free_ char *def = NULL, *path = NULL;
	struct fwd_zone z = {0};
	int r = conf_get(st, "/etc/firewalld/firewalld.conf", "DefaultZone", &def);
	res->configured = true;
	if (r < 0) { /* the zones' rules stay listed: which one is the default is unknown */
		res->deny = -1;
		st->zone_unknown = true;
		return other_zones(st, NULL);
	}
	const char *zone = def && def[0] ? def : "public";
	r = zone_load(st, zone, &z, &path);
	if (r < 0) { /* the other zones' rules stay listed */
		res->deny = -1;
		return r == -ENOMEM ? r : other_zones(st, zone);
	}
	const char *t = z.target ? z.target : "default";
	res->deny = strcmp(t, "ACCEPT") != 0;
	snprintf(res->policy_buf, sizeof(res->policy_buf), "%s", t);
	res->policy = res->policy_buf;
	r = zone_accepts(st, zone, path, &z);
	fwd_zone_free(&z);
	json_object_set_new(st->fw, "firewalld_default_zone", json_str(zone));
	return r < 0 ? r : other_zones(st, zone);
}

/* ---- TCP wrappers ------------------------------------------------------ */

static json_t *tri_json(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

static int tcp_wrappers(struct probe_ctx *ctx)
{
	static const char *const paths[] = {"/etc/hosts.allow", "/etc/hosts.deny"};
	struct tcpw_summary s[2] = {0};
	int ok[2];
	for (size_t i = 0; i < 2; i++) {
		_cleanup_buf_ struct buf b = {0};
		int r = fsroot_read(ctx->root, paths[i], LIMIT_CONFIG_FILE, &b);
		if (r < 0 && r != -ENOENT)
			probe_file_error(ctx, paths[i], r, false);
		ok[i] = r == 0 || r == -ENOENT;
		if (r == 0)
			tcpw_parse(b.data, b.len, i == 1, &s[i]);
	}
	int allow_all = ok[0] ? s[0].all_all_allow : -1;
	int deny_all = !ok[0] || !ok[1] ? -1 : s[0].all_all_deny || s[1].all_all_deny;
	if (allow_all == 0 && (s[0].all_all_deny))
		deny_all = 1; /* ALL: ALL: DENY in hosts.allow decides alone */
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:o}", "allow_all", tri_json(allow_all), "deny_all",
	    tri_json(deny_all), "entries",
	    ok[0] && ok[1] ? json_integer(s[0].entries + s[1].entries) : json_null(),
	    "allow_all_line", s[0].all_all_allow ? json_integer(s[0].first_all_line) : json_null());
	return json_set(ctx->inventory, "tcp_wrappers", o);
}

/* ---- the probe -------------------------------------------------------- */

static const char *const units[] = {"firewalld", "ufw", "netfilter-persistent", "iptables",
				    "nftables"};

/* Which backend systemd starts at boot: NULL if it cannot be told. */
static const char *pick_backend(struct fw_state *st, json_t *enabled)
{
	int en[ARRAY_SIZE(units)];
	bool unknown = false;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		en[i] = unit_enabled(st->ctx, units[i]);
		if (en[i] > 0)
			json_array_append_new(enabled, json_string(units[i]));
		unknown |= en[i] < 0;
	}
	if (unknown) {
		probe_msg(st->ctx, "/etc/systemd/system を読めないため有効なサービスが分かりません",
			  "/etc/systemd/system could not be read: enabled services unknown");
		probe_partial(st->ctx);
		return NULL;
	}
	if (en[0] > 0)
		return "firewalld";
	int ufw = en[1] > 0 ? ufw_enabled(st) : 0;
	if (ufw < 0)
		return NULL;
	if (ufw > 0)
		return "ufw";
	if (en[2] > 0 || en[3] > 0)
		return "iptables";
	return en[4] > 0 ? "nftables" : "none";
}

static int run_backend(struct fw_state *st, const char *be, struct fw_result *res)
{
	if (strcmp(be, "firewalld") == 0)
		return do_firewalld(st, res);
	if (strcmp(be, "ufw") == 0)
		return do_ufw(st, res);
	if (strcmp(be, "iptables") == 0)
		return do_iptables(st, res);
	if (strcmp(be, "nftables") == 0)
		return do_nftables(st, res);
	res->deny = 0;
	res->policy = "none";
	return 0;
}

/* "tcp/22" for every accept open to any source on any interface; only
 * those of backend `only` when it is not NULL. NULL (unknown) when such
 * an accept has ports or sources that could not be read as values (a
 * named set, an undefined variable, garbage): what it opens is not known. */
static json_t *open_to_any(const json_t *accepts, const char *only)
{
	json_t *out = json_array(), *a;
	size_t i;
	json_array_foreach(accepts, i, a) {
		const char *be = json_string_value(json_object_get(a, "backend"));
		if ((only && (!be || strcmp(be, only) != 0)) ||
		    !json_is_null(json_object_get(a, "interface")) ||
		    json_is_true(json_object_get(a, "other_conditions")))
			continue;
		if (json_is_null(json_object_get(a, "any_source")) ||
		    (json_is_true(json_object_get(a, "any_source")) &&
		     json_is_null(json_object_get(a, "ports")))) {
			json_decref(out);
			return NULL;
		}
		if (!json_is_true(json_object_get(a, "any_source")) ||
		    !json_is_null(json_object_get(a, "interface")) ||
		    json_is_true(json_object_get(a, "other_conditions")))
			continue;
		const json_t *ports = json_object_get(a, "ports");
		const char *proto = json_string_value(json_object_get(a, "proto"));
		char s[300];
		size_t k;
		json_t *p;
		if (json_array_size(ports) == 0) {
			snprintf(s, sizeof(s), "%s/all", proto ? proto : "any");
			json_array_append_new(out, json_string(s));
		}
		json_array_foreach(ports, k, p) {
			snprintf(s, sizeof(s), "%s/%s", proto ? proto : "any",
				 json_string_value(p));
			json_array_append_new(out, json_str(s));
		}
	}
	return out;
}

/* The running ruleset decides on a live host when it can be read. */
static int live_result(struct fw_state *st, struct fw_result *res, bool *ret_read)
{
	struct fw_ruleset rs = {0};
	*ret_read = running_ruleset(st, &rs) == 1;
	int r = *ret_read ? ruleset_result(st, &rs, "running", true, res) : 0;
	fw_ruleset_free(&rs);
	return r;
}

static int firewall_facts(struct fw_state *st)
{
	json_t *fw = st->fw;
	json_auto_t *enabled = json_array();
	struct fw_result res = {.deny = -1}, live = {.deny = -1};
	bool live_read = false;
	const char *be = pick_backend(st, enabled);
	int r = be ? run_backend(st, be, &res) : 0;
	if (r == 0 && !st->ctx->offline)
		r = live_result(st, &live, &live_read);
	if (r < 0)
		return r;
	const struct fw_result *use = live_read ? &live : &res;
	json_auto_t *open = st->zones_short && !live_read
				? NULL
				: open_to_any(st->accepts, live_read ? "running" : NULL);
	int e = json_set(fw, "active_backend", be ? json_string(be) : json_null());
	e |= json_set(fw, "enabled_services", json_str_array_sorted(enabled, true));
	e |= json_set(fw, "inbound_default_deny", tri_json(use->deny));
	e |= json_set(fw, "persistent_default_deny", tri_json(res.deny));
	e |= json_set(fw, "input_policy", use->policy ? json_str(use->policy) : json_null());
	e |= json_set(fw, "source",
		      json_string(live_read ? "running ruleset" : "persistent config"));
	e |= json_set(fw, "running_ruleset_read",
		      st->ctx->offline ? json_null() : json_boolean(live_read));
	e |= json_set(fw, "running_ruleset_tool",
		      live_read && st->tool ? json_string(st->tool) : json_null());
	e |= json_set(fw, "accepts", json_integer((json_int_t)json_array_size(st->accepts)));
	e |= json_set(fw, "open_to_any_source",
		      open ? json_str_array_sorted(open, true) : json_null());
	if (!open && st->zones_short && !live_read)
		probe_msg(st->ctx,
			  "firewalld のゾーン定義を読めないものがあるため、"
			  "どこからでも開いているポートは不明です",
			  "a firewalld zone could not be read, so what is open to any source is "
			  "unknown");
	else if (!open)
		probe_msg(st->ctx,
			  "入力を許可する規則のポートか送信元を値として読めないため、"
			  "どこからでも開いているポートは不明です (firewall_rules の null)",
			  "an accept rule has ports or sources that could not be read as values, "
			  "so what is open to any source is unknown (null in firewall_rules)");
	if (!json_object_get(fw, "firewalld_default_zone"))
		e |= json_set(fw, "firewalld_default_zone", json_null());
	return e < 0 ? -ENOMEM : 0;
}

int probe_firewall_run(struct probe_ctx *ctx)
{
	struct fw_state st = {.ctx = ctx, .accepts = json_array(), .fw = json_object()};
	const struct confwalk_opts wo = {
	    .fallback = "/etc",
	    .max_chain = LIMIT_INCLUDE_DEPTH,
	    .max_files = LIMIT_FW_INCLUDE_FILES,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_INODE,
	    .literal_stat = true,
	    .on_file = nft_file,
	    .on_problem = nft_problem,
	    .ud = &st,
	};
	_cleanup_confwalk_ struct confwalk *w = st.w = confwalk_new(ctx->root, &wo);
	int r = st.accepts && st.fw && w ? firewall_facts(&st) : -ENOMEM;
	if (r == 0) {
		json_array_sort_by(st.accepts, "line"); /* few ties: cheap on big rulesets */
		r = json_set(ctx->inventory, "firewall", json_incref(st.fw));
		r |= json_set(ctx->inventory, "firewall_rules", json_incref(st.accepts));
	}
	json_decref(st.fw);
	json_decref(st.accepts);
	if (r == 0)
		r = tcp_wrappers(ctx);
	return r < 0 ? r : 0;
}

static const struct column firewall_columns[] = {
    {"active_backend", COL_STRING,
     "firewall systemd starts at boot: firewalld | ufw | iptables | nftables | none; null if "
     "unknown"},
    {"enabled_services", COL_ARRAY,
     "of firewalld, ufw, netfilter-persistent, iptables, nftables: those enabled (wants links)"},
    {"inbound_default_deny", COL_BOOL,
     "inbound IPv4 and IPv6 not explicitly accepted are dropped (decided by `source`)"},
    {"persistent_default_deny", COL_BOOL, "the same judged from the persistent configuration"},
    {"input_policy", COL_STRING,
     "policy of the deciding input chain (drop, accept; ufw/firewalld: their default)"},
    {"source", COL_STRING, "persistent config | running ruleset: what decided"},
    {"running_ruleset_read", COL_BOOL,
     "nft -j list ruleset was read (live only; null under --root)"},
    {"running_ruleset_tool", COL_STRING,
     "what showed the running ruleset: nft, or iptables-legacy-save when nft shows no table "
     "and the kernel holds legacy tables; null when not read"},
    {"accepts", COL_INT, "number of accept rules reachable from input chains"},
    {"open_to_any_source", COL_ARRAY,
     "proto/port open to any source on any interface, no other condition (per `source`)"},
    {"firewalld_default_zone", COL_STRING, "firewalld DefaultZone, null if not firewalld"},
    {NULL, 0, NULL},
};

static const struct column firewall_rule_columns[] = {
    {"backend", COL_STRING, "nftables | iptables | ufw | firewalld | running"},
    {"chain", COL_STRING, "family table chain of the input chain (firewalld: zone NAME)"},
    {"proto", COL_STRING,
     "tcp, udp, icmp... ; any; firewalld: service (its ports follow as tcp/udp accepts)"},
    {"ports", COL_ARRAY, "destination ports or service names; empty: all"},
    {"sources", COL_ARRAY, "source addresses (!X: except X); empty: any"},
    {"any_source", COL_BOOL, "no source restriction"},
    {"other_conditions", COL_BOOL,
     "the rule also matches on something not modelled here (marks, addresses, limits...)"},
    {"interface", COL_STRING, "input interface, null if any"},
    {"file", COL_STRING, "file holding the rule (or the command for the running ruleset)"},
    {"line", COL_INT, "line in the file (rule index for the running ruleset; 0 for zones)"},
    {NULL, 0, NULL},
};

static const struct column tcp_wrappers_columns[] = {
    {"allow_all", COL_BOOL, "hosts.allow has ALL : ALL granting every client every service"},
    {"deny_all", COL_BOOL, "ALL : ALL is denied (hosts.deny, or hosts.allow with DENY)"},
    {"entries", COL_INT, "entries in hosts.allow and hosts.deny"},
    {"allow_all_line", COL_INT, "line of the ALL : ALL entry in hosts.allow"},
    {NULL, 0, NULL},
};

const struct collection firewall_collections[] = {
    {"firewall", true, firewall_columns},
    {"firewall_rules", false, firewall_rule_columns},
    {"tcp_wrappers", true, tcp_wrappers_columns},
    {NULL, false, NULL},
};
