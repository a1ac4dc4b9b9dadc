/* listeners.c - the "listeners" probe: TCP sockets in LISTEN and unbound
 * or unconnected UDP sockets (what `ss -tuln` lists), with the process
 * that owns each, for 2(8) (listening on every address) and 2(9) (ports
 * nobody allowed).
 *
 * The socket tables are /proc/net/tcp, tcp6, udp and udp6 of the scanned
 * system (on a live host: of tenken's own network namespace, as ss reads
 * them; under --root: the root's proc/net). The owner is found as ss -p
 * finds it: every /proc/PID/fd/N link reading "socket:[INODE]". The
 * process name and unit come from the "processes" collection. A socket no
 * fd refers to (a kernel socket, or fds that could not be read) has pid
 * null.
 */
#include <ctype.h>
#include <stdio.h>
#include "lib/limits.h"
#include "probes/parse/netproc_parse.h"
#include "probes/probe.h"

static const struct column listener_columns[] = {
    {"proto", COL_STRING, "tcp or udp"},
    {"family", COL_STRING, "ipv4 or ipv6 (the table it came from)"},
    {"address", COL_STRING, "local address (an IPv4-mapped IPv6 address printed as IPv4)"},
    {"port", COL_INT, "local port"},
    {"proto_port", COL_STRING, "\"tcp/22\": the form allowed_ports and known_listeners use"},
    {"all_addresses", COL_BOOL, "bound to 0.0.0.0 or :: (reachable on every interface)"},
    {"loopback", COL_BOOL, "bound to 127.0.0.0/8 or ::1"},
    {"inode", COL_INT, "socket inode"},
    {"uid", COL_INT, "owner uid of the socket"},
    {"pid", COL_INT, "lowest pid holding the socket, null if none was found"},
    {"pids", COL_ARRAY, "every pid holding it (numbers)"},
    {"process", COL_STRING, "command name (comm) of that pid, null if unknown"},
    {"unit", COL_STRING, "systemd unit of that pid, null if none or unknown"},
    {NULL, 0, NULL},
};

const struct collection listeners_collections[] = {
    {"listeners", false, listener_columns},
    {NULL, false, NULL},
};

static const struct {
	const char *path, *proto;
	bool v6;
} tables[] = {
    {"/proc/net/tcp", "tcp", false},
    {"/proc/net/tcp6", "tcp", true},
    {"/proc/net/udp", "udp", false},
    {"/proc/net/udp6", "udp", true},
};

struct sock {
	struct netsock ns;
	const char *proto;
};
struct socks {
	struct sock *v;
	size_t n, cap;
};

struct owner {
	unsigned long inode;
	long pid;
};
struct owners {
	struct owner *v;
	size_t n, cap;
};

static int socks_push(struct socks *s, const struct netsock *ns, const char *proto)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		struct sock *nv = realloc(s->v, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n++] = (struct sock){*ns, proto};
	return 0;
}

/* Returns 1 when the table was read, 2 when it exists but could not be
 * read, 0 when it is missing, or -ENOMEM. */
static int read_table(struct probe_ctx *ctx, size_t t, struct socks *out)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, tables[t].path, LIMIT_PROC_NET, &b);
	if (r == -ENOENT)
		return 0; /* tcp6/udp6 are missing when IPv6 is disabled */
	if (r < 0) {
		probe_file_error(ctx, tables[t].path, r, false);
		return 2; /* there but unreadable: the probe is partial */
	}
	struct line_iter it;
	struct line ln;
	unsigned bad = 0;
	bool udp = strcmp(tables[t].proto, "udp") == 0;
	line_iter_init(&it, b.data, b.len);
	while (line_iter_next(&it, &ln)) {
		struct netsock ns;
		r = netproc_parse_line(ln.s, ln.len, tables[t].v6, &ns);
		if (r == -EINVAL && ln.len && bad++ < LIMIT_LINE_MESSAGES) {
			probe_line_error(ctx, tables[t].path, ln.lineno, "解釈できない行です",
					 "line is not a socket entry");
			probe_partial(ctx);
		}
		if (r == 0 && netproc_listening(&ns, udp) &&
		    socks_push(out, &ns, tables[t].proto) < 0)
			return -ENOMEM;
	}
	return 1;
}

static int cmp_owner(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int owners_push(struct owners *o, unsigned long inode, long pid)
{
	if (o->n == o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 64;
		struct owner *nv = realloc(o->v, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		o->v = nv;
		o->cap = nc;
	}
	o->v[o->n++] = (struct owner){inode, pid};
	return 0;
}

/* The socket fds of one process; a process that exits meanwhile or whose
 * fds cannot be read (not root) contributes nothing. */
static int scan_fds(struct probe_ctx *ctx, const char *pid, struct owners *o, unsigned *denied)
{
	char dir[48];
	_cleanup_strv_ char **fds = NULL;
	size_t n = 0;
	long p;
	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	int r = fsroot_list(ctx->root, dir, &fds, &n);
	if (r == -EACCES || r == -EPERM)
		(*denied)++;
	if (r < 0 || parse_long(pid, &p) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *path = path_join(dir, fds[i]), *target = NULL;
		unsigned long inode;
		if (!path)
			return -ENOMEM;
		if (fsroot_readlink(ctx->root, path, &target) < 0 ||
		    netproc_socket_inode(target, &inode) < 0)
			continue;
		if (owners_push(o, inode, p) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int scan_owners(struct probe_ctx *ctx, struct owners *o)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	unsigned denied = 0;
	if (fsroot_list(ctx->root, "/proc", &names, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)names[i][0]))
			continue;
		int r = scan_fds(ctx, names[i], o, &denied);
		if (r < 0)
			return r;
	}
	if (denied) {
		probe_msg(ctx,
			  "%u 個のプロセスのファイル記述子を読み取れません（所有プロセス不明）",
			  "the fds of %u processes could not be read (owners unknown)", denied);
		probe_partial(ctx);
	}
	if (o->n > 1)
		qsort(o->v, o->n, sizeof(*o->v), cmp_owner);
	return 0;
}

static json_t *find_process(json_t *procs, long pid)
{
	size_t lo = 0, hi = json_array_size(procs); /* sorted by pid */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		json_t *p = json_array_get(procs, mid);
		json_int_t v = json_integer_value(json_object_get(p, "pid"));
		if (v == pid)
			return p;
		if (v < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool is_loopback(const struct netsock *ns)
{
	return ns->v6 ? strcmp(ns->local, "::1") == 0 || str_startswith(ns->local, "127.")
		      : str_startswith(ns->local, "127.");
}

static void set_owner(json_t *o, const struct owners *ow, unsigned long inode, json_t *procs)
{
	json_t *pids = json_array();
	long first = -1;
	/* ow is sorted by (inode, pid): the socket's owners are one run,
	 * found by binary search, so the whole table costs O(n log m). */
	size_t lo = 0, hi = ow->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ow->v[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < ow->n && ow->v[i].inode == inode; i++) {
		if (i > lo && ow->v[i - 1].pid == ow->v[i].pid)
			continue;
		if (first < 0)
			first = ow->v[i].pid;
		json_array_append_new(pids, json_integer(ow->v[i].pid));
	}
	json_t *p = first >= 0 ? find_process(procs, first) : NULL;
	json_t *comm = json_object_get(p, "comm"), *unit = json_object_get(p, "unit");
	json_set(o, "pid", first >= 0 ? json_integer(first) : json_null());
	json_set(o, "pids", pids);
	json_set(o, "process", comm ? json_incref(comm) : json_null());
	json_set(o, "unit", unit ? json_incref(unit) : json_null());
}

static json_t *listener_json(const struct sock *s, const struct owners *ow, json_t *procs)
{
	char pp[32];
	json_t *o = json_object();
	if (!o)
		return NULL;
	snprintf(pp, sizeof(pp), "%s/%u", s->proto, s->ns.local_port);
	json_set(o, "proto", json_string(s->proto));
	json_set(o, "family", json_string(s->ns.v6 ? "ipv6" : "ipv4"));
	json_set(o, "address", json_string(s->ns.local));
	json_set(o, "port", json_integer(s->ns.local_port));
	json_set(o, "proto_port", json_string(pp));
	json_set(o, "all_addresses", json_boolean(s->ns.any_address));
	json_set(o, "loopback", json_boolean(is_loopback(&s->ns)));
	json_set(o, "inode", json_integer((json_int_t)s->ns.inode));
	json_set(o, "uid", json_integer(s->ns.uid));
	set_owner(o, ow, s->ns.inode, procs);
	return o;
}

static int emit(struct probe_ctx *ctx, const struct socks *ss, const struct owners *ow)
{
	json_t *procs = json_object_get(ctx->inventory, "processes");
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < ss->n; i++) {
		json_t *o = listener_json(&ss->v[i], ow, procs);
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return -ENOMEM;
		}
	}
	if (!arr)
		return -ENOMEM;
	json_array_sort_by(arr, "port");
	return json_set(ctx->inventory, "listeners", arr);
}

int probe_listeners_run(struct probe_ctx *ctx)
{
	struct socks ss = {0};
	struct owners ow = {0};
	int r = 0, found = 0;
	for (size_t t = 0; r >= 0 && t < ARRAY_SIZE(tables); t++) {
		r = read_table(ctx, t, &ss);
		found += r > 0;
	}
	if (r >= 0 && found == 0) {
		free(ss.v);
		if (ctx->offline)
			return PROBE_RET_NOT_APPLICABLE; /* the root holds no proc/net */
		probe_msg_text(ctx, "/proc/net のソケット表を読み取れません",
			       "no socket table in /proc/net could be read");
		return -ENOENT;
	}
	if (r >= 0)
		r = scan_owners(ctx, &ow);
	if (r >= 0)
		r = emit(ctx, &ss, &ow);
	free(ss.v);
	free(ow.v);
	return r < 0 ? r : 0;
}
