/* services.c - the "services" probe: systemd units and SysV init scripts,
 * and whether each starts at boot, for 2(9) (unneeded services stopped)
 * and the 2(1) ledger.
 *
 * Enablement is computed from the files the way systemctl does, without
 * running it (under --root nothing runs):
 *  - unit files are looked up in /etc/systemd/system, /run/systemd/system,
 *    /run/systemd/generator, /usr/local/lib/systemd/system,
 *    /usr/lib/systemd/system, /lib/systemd/system and
 *    /run/systemd/generator.late, the first directory holding a name wins;
 *  - a name linked to /dev/null (or an empty file) is masked; a symlink to
 *    a unit of another name is an alias of it;
 *  - a unit starts at boot ("enabled" true) when a *.wants/, *.requires/
 *    or *.upholds/ directory of those directories holds its name or an
 *    alias of it; an instance name (getty@tty1.service) there enables
 *    that instance of its template (getty@.service);
 *  - its state is systemctl is-enabled's: only links under /etc and /run
 *    (and Alias= symlinks there, such as D-Bus names) make it "enabled",
 *    a unit pulled in by a /usr/lib .wants link is "static", an alias
 *    whose target is missing "bad", a SysV script "enabled" with an S
 *    link in rcS.d or rc5.d (Debian's systemd-sysv-install);
 *  - a service whose ExecStart binary is absent or whose path conditions
 *    (Condition*=/Assert*=) are false is not runnable, and says why;
 *  - an enabled socket or timer enables the service it activates
 *    (Service=/Unit=, else the same name; Accept=yes sockets the
 *    template NAME@.service), recorded as "socket:X" / "timer:X";
 *  - each unit directory is listed once (never a name tried in each);
 *    its X.wants and *.d subdirectories are taken from that listing;
 *  - drop-ins come from the directories systemd searches (NAME.d, the
 *    template's, dash prefixes such as foo-.service.d, each alias's, the
 *    type-level service.d) and are applied in file-name order across
 *    them, a name in a higher directory hiding the lower (ini.h's shared
 *    dropins_order), so a drop-in that replaces ExecStart is seen
 *    (exec_start_dropin); one symlinked to /dev/null applies nothing;
 *  - a socket's every Listen*= line is kept (listen) and each network
 *    port listed in proto_ports, so the port rules see them all;
 *  - SysV scripts in /etc/init.d without a native unit are listed as
 *    systemd's sysv generator would, enabled by S links in /etc/rc[2-5].d.
 * The running state (pids) comes from the "processes" collection (the
 * unit each process's cgroup names); without it running is null.
 * Programs inetd or xinetd start are added as records of type "inetd"
 * (see inetd.c).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include "probes/read/inetd.h"
#include "lib/limits.h"
#include "probes/probe.h"
#include "probes/parse/ini.h"
#include "probes/parse/proc_parse.h"
#include "probes/parse/unit_parse.h"

static const struct column service_columns[] = {
    {"unit", COL_STRING, "unit name (foo.service, foo.socket, foo.timer, foo.path, bar@x.service)"},
    {"type", COL_STRING,
     "service, socket, timer or path; inetd for a program a super-server starts"},
    {"unit_file", COL_STRING,
     "the file defining it (for an instance its template's; for SysV the init script)"},
    {"state", COL_STRING,
     "as systemctl is-enabled: enabled, disabled, static, masked, alias, indirect, generated"},
    {"enabled", COL_BOOL,
     "starts at boot or on demand: linked from a wants/requires dir, an enabled socket or timer, "
     "or a SysV S link; false when masked"},
    {"active", COL_BOOL,
     "enabled, or running; without a process table (offline root) the enabled state alone"},
    {"enabled_by", COL_ARRAY, "the wants/requires directories, socket:X, timer:X or rc links"},
    {"exec_start", COL_STRING, "binary of ExecStart after drop-ins, null if none"},
    {"exec_start_dropin", COL_BOOL, "a drop-in sets or clears ExecStart"},
    {"service_type", COL_STRING,
     "[Service] Type= after drop-ins (simple if unset with an ExecStart, oneshot without); "
     "null for other units and SysV scripts"},
    {"dropins", COL_ARRAY, "drop-in files applied"},
    {"template", COL_STRING, "the template of an instance, null otherwise"},
    {"running", COL_BOOL,
     "some process is in the unit's cgroup (for a template: in one of its instances); null "
     "without a process table"},
    {"pids", COL_ARRAY, "those processes (numbers), null without a process table"},
    {"source", COL_STRING, "systemd or sysv; inetutils-inetd, openbsd-inetd or xinetd"},
    {"schedule", COL_ARRAY, "a timer's triggers (\"OnCalendar=daily\"), [] for other units"},
    {"runnable", COL_BOOL,
     "false when the unit cannot start: its ExecStart binary is absent, or a path condition "
     "(ConditionPathExists=, ConditionFileNotEmpty=, ... and their Assert*=) is false; true "
     "when nothing checked says so (conditions with specifiers or on the running system are "
     "not judged); null for masked units and aliases"},
    {"super_server", COL_STRING,
     "for a program inetd or xinetd starts (type inetd): the super-server's unit; else null"},
    {"port", COL_INT,
     "the port it is served on (type inetd), or a socket unit's first network port (see "
     "proto_ports for all); null if unknown or none"},
    {"protocol", COL_STRING, "tcp or udp (type inetd, or a socket with a port), else null"},
    {"proto_port", COL_STRING, "\"tcp/23\" as listeners spell it (same cases), else null"},
    {"address", COL_STRING,
     "the address it is bound to (inetd \"addr:service\", xinetd bind), "
     "null for every address"},
    {"listen", COL_ARRAY,
     "a socket unit's Listen*= lines after drop-ins (\"ListenStream=0.0.0.0:23\"), [] for "
     "other units, null for type inetd"},
    {"proto_ports", COL_ARRAY,
     "every network port a socket unit listens on (\"tcp/23\", \"udp/69\", \"sctp/9\"), "
     "[] for none; for type inetd [proto_port], null if that is unknown"},
    {"not_runnable_reason", COL_STRING,
     "why runnable is false: \"ExecStart binary absent: PATH\" or the failing condition "
     "as written; null otherwise"},
    {NULL, 0, NULL},
};

const struct collection services_collections[] = {
    {"services", false, service_columns},
    {NULL, false, NULL},
};

static const struct {
	const char *dir;
	bool generated;
} unit_dirs[] = {
    {"/etc/systemd/system", false},	   {"/run/systemd/system", false},
    {"/run/systemd/generator", true},	   {"/usr/local/lib/systemd/system", false},
    {"/usr/lib/systemd/system", false},	   {"/lib/systemd/system", false},
    {"/run/systemd/generator.late", true},
};
#define NO_DIR INT_MAX /* an instance with no file of its own */

struct unit {
	char *name;
	int dir;	   /* index in unit_dirs, NO_DIR */
	char *alias_of;	   /* the unit a symlink of another name points at */
	char *link_target; /* symlink text of the entry */
	bool masked;
	bool sysv;
	bool sysv_is_enabled; /* an S link in rcS.d or rc5.d, what systemctl asks */
	bool dangling;	      /* an alias whose target is no unit */
	json_t *enabled_by;   /* array of strings */
	size_t activators;    /* of them, sockets and timers that start it */
	struct unit_info info;
	json_t *dropins;
	struct strv aliases; /* names of the symlinks in unit directories aliasing it */
};

struct units {
	struct unit *v;
	size_t n, cap;
};

/* A name in a wants directory, or an S link. */
struct link {
	char *name;
	char *via;
};
struct links {
	struct link *v;
	size_t n, cap;
};

/* The directories a unit directory holds that systemd looks into: drop-in
 * dirs (NAME.d, foo-.service.d, service.d) and X.wants/.requires/.upholds.
 * Each unit directory is listed once and these found there, so nothing
 * is looked up by trying names (systemd's unit path cache does the same).
 * Sorted by (name, dir): one name's entries across directories are
 * adjacent, the highest-precedence directory first. */
struct subdir {
	char *name;
	int dir;      /* index in unit_dirs */
	char **files; /* its listing (NULL-terminated), once listed */
	bool listed;
};
struct subdirs {
	struct subdir *v;
	size_t n, cap;
};

static const char *unit_type(const char *name)
{
	static const char *const types[] = {"service", "socket", "timer", "path"};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (strcmp(dot + 1, types[i]) == 0)
			return types[i];
	return NULL;
}

static void unit_free(struct unit *u)
{
	free(u->name);
	free(u->alias_of);
	free(u->link_target);
	json_decref(u->enabled_by);
	json_decref(u->dropins);
	strv_reset(&u->aliases);
	unit_info_free(&u->info);
}

static void units_free(struct units *us)
{
	for (size_t i = 0; i < us->n; i++)
		unit_free(&us->v[i]);
	free(us->v);
}

static void links_free(struct links *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->v[i].name);
		free(ls->v[i].via);
	}
	free(ls->v);
}

static struct unit *units_push(struct units *us, const char *name, int dir)
{
	if (us->n >= LIMIT_UNITS)
		return NULL;
	if (us->n == us->cap) {
		size_t nc = us->cap ? us->cap * 2 : 64;
		struct unit *nv = realloc(us->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		us->v = nv;
		us->cap = nc;
	}
	struct unit *u = &us->v[us->n];
	memset(u, 0, sizeof(*u));
	u->name = strdup(name);
	u->dir = dir;
	u->enabled_by = json_array();
	u->dropins = json_array();
	if (!u->name || !u->enabled_by || !u->dropins) {
		unit_free(u);
		return NULL;
	}
	us->n++;
	return u;
}

static int links_push(struct links *ls, const char *name, const char *via)
{
	if (ls->n >= LIMIT_UNITS)
		return -E2BIG;
	if (ls->n == ls->cap) {
		size_t nc = ls->cap ? ls->cap * 2 : 64;
		struct link *nv = realloc(ls->v, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		ls->v = nv;
		ls->cap = nc;
	}
	ls->v[ls->n].name = strdup(name);
	ls->v[ls->n].via = strdup(via);
	if (!ls->v[ls->n].name || !ls->v[ls->n].via) {
		free(ls->v[ls->n].name);
		free(ls->v[ls->n].via);
		return -ENOMEM;
	}
	ls->n++;
	return 0;
}

static int cmp_unit(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

/* Sort by name and keep, for each name, the entry of the highest
 * precedence directory. */
static void units_settle(struct units *us)
{
	if (us->n > 1)
		qsort(us->v, us->n, sizeof(*us->v), cmp_unit);
	size_t w = 0;
	for (size_t i = 0; i < us->n; i++) {
		if (w && strcmp(us->v[w - 1].name, us->v[i].name) == 0) {
			unit_free(&us->v[i]);
			continue;
		}
		us->v[w++] = us->v[i];
	}
	us->n = w;
}

static struct unit *units_find_n(struct units *us, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(us->v[mid].name, name);
		if (c == 0)
			return &us->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct unit *units_find(struct units *us, const char *name)
{
	return units_find_n(us, us->n, name);
}

/* The unit an enablement name stands for: itself, or what it aliases. */
static struct unit *units_resolve(struct units *us, const char *name)
{
	struct unit *u = units_find(us, name);
	for (int hops = 0; u && u->alias_of && hops < LIMIT_SYMLINKS; hops++) {
		struct unit *t = units_find(us, u->alias_of);
		if (!t)
			break;
		u = t;
	}
	return u;
}

/* ---- reading the unit directories ---- */

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Classify one directory entry: masked, alias, or a unit file. */
static int add_entry(struct probe_ctx *ctx, struct units *us, int dir, const char *name)
{
	_cleanup_free_ char *path = path_join(unit_dirs[dir].dir, name);
	struct stat st;
	if (!path)
		return -ENOMEM;
	if (fsroot_stat(ctx->root, path, false, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return 0;
	if (!S_ISLNK(st.st_mode) && !S_ISREG(st.st_mode)) {
		probe_file_error(ctx, path, -EINVAL,
				 false); /* a FIFO or device planted as a unit */
		return 0;
	}
	struct unit *u = units_push(us, name, dir);
	if (!u)
		return -ENOMEM;
	if (S_ISREG(st.st_mode)) {
		u->masked = st.st_size == 0;
		return 0;
	}
	if (fsroot_readlink(ctx->root, path, &u->link_target) < 0)
		return 0;
	const char *tb = base_name(u->link_target);
	u->masked = strcmp(u->link_target, "/dev/null") == 0;
	if (!u->masked && strcmp(tb, name) != 0 && unit_type(tb))
		u->alias_of = strdup(tb);
	return 0;
}

/* ---- the subdirectory table ---- */

static void subdirs_free(struct subdirs *sds)
{
	for (size_t i = 0; i < sds->n; i++) {
		free(sds->v[i].name);
		strv_free(sds->v[i].files);
	}
	free(sds->v);
}

static int subdirs_push(struct subdirs *sds, const char *name, int dir)
{
	if (sds->n >= LIMIT_UNITS)
		return -E2BIG;
	if (sds->n == sds->cap) {
		size_t nc = sds->cap ? sds->cap * 2 : 64;
		struct subdir *nv = realloc(sds->v, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		sds->v = nv;
		sds->cap = nc;
	}
	sds->v[sds->n] = (struct subdir){strdup(name), dir, NULL, false};
	return sds->v[sds->n++].name ? 0 : -ENOMEM;
}

static int cmp_subdir(const void *a, const void *b)
{
	const struct subdir *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

/* The entry for name in unit_dirs[dir], or NULL. */
static struct subdir *subdirs_find(struct subdirs *sds, const char *name, int dir)
{
	size_t lo = 0, hi = sds->n;
	while (lo < hi) { /* first entry >= (name, dir) */
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sds->v[mid].name, name);
		if (c < 0 || (c == 0 && sds->v[mid].dir < dir))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sds->n && sds->v[lo].dir == dir && strcmp(sds->v[lo].name, name) == 0
		   ? &sds->v[lo]
		   : NULL;
}

/* The file names in sd, listed on first use. An unreadable directory is
 * said once (it is not an empty one); a file of that name is nothing. */
static char **subdir_files(struct probe_ctx *ctx, struct subdir *sd)
{
	if (sd->listed)
		return sd->files;
	sd->listed = true;
	_cleanup_free_ char *path = path_join(unit_dirs[sd->dir].dir, sd->name);
	size_t n = 0;
	int r = path ? fsroot_list(ctx->root, path, &sd->files, &n) : -ENOMEM;
	if (r < 0 && r != -ENOENT && r != -ENOTDIR && path)
		probe_file_error(ctx, path, r, true);
	if (r < 0)
		sd->files = NULL;
	return sd->files;
}

static bool ends_with_any(const char *name, const char *const *ends, size_t n_ends)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < n_ends; i++) {
		size_t e = strlen(ends[i]);
		if (n > e && strcmp(name + n - e, ends[i]) == 0)
			return true;
	}
	return false;
}

static const char *const wants_ends[] = {".wants", ".requires", ".upholds"};

/* A subdirectory systemd looks into: NAME.d or X.wants, .requires,
 * .upholds (not hidden, as the glob these replace did not match). */
static bool is_subdir_name(const char *name)
{
	return name[0] != '.' && (ends_with_any(name, (const char *[]){".d"}, 1) ||
				  ends_with_any(name, wants_ends, ARRAY_SIZE(wants_ends)));
}

/* List one unit directory: its unit entries into us, its subdirectories
 * into sds. */
static int scan_unit_dir(struct probe_ctx *ctx, struct units *us, struct subdirs *sds, int dir,
			 bool *any)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(ctx->root, unit_dirs[dir].dir, &names, &n);
	if (r == -ENOENT || r == -ENOTDIR)
		return 0;
	if (r < 0) {
		probe_file_error(ctx, unit_dirs[dir].dir, r, true);
		return 0;
	}
	*any = true;
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (is_subdir_name(names[i]))
			r = subdirs_push(sds, names[i], dir);
		else if (unit_type(names[i]) && unit_name_valid(names[i], strlen(names[i])))
			r = add_entry(ctx, us, dir, names[i]);
	}
	return r;
}

/* Every name in the X.wants, X.requires and X.upholds directories. */
static int scan_wants(struct probe_ctx *ctx, struct subdirs *sds, struct links *ls)
{
	for (size_t w = 0; w < sds->n; w++) {
		struct subdir *sd = &sds->v[w];
		if (!ends_with_any(sd->name, wants_ends, ARRAY_SIZE(wants_ends)))
			continue;
		char **names = subdir_files(ctx, sd);
		_cleanup_free_ char *via = path_join(unit_dirs[sd->dir].dir, sd->name);
		if (!via)
			return -ENOMEM;
		for (size_t i = 0; names && names[i]; i++) {
			if (!unit_type(names[i]))
				continue;
			int r = links_push(ls, names[i], via);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Instances named in wants dirs that have no file of their own. */
static int add_instances(struct units *us, const struct links *ls)
{
	size_t n0 = us->n;
	for (size_t i = 0; i < ls->n; i++) {
		bool tmpl, inst;
		if (!unit_name_split(ls->v[i].name, &tmpl, &inst, NULL) || !inst)
			continue;
		if (units_find_n(us, n0, ls->v[i].name))
			continue; /* pushed twice: units_settle keeps one */
		if (!units_push(us, ls->v[i].name, NO_DIR))
			return -ENOMEM;
	}
	if (us->n != n0)
		units_settle(us);
	return 0;
}

static void apply_links(struct units *us, const struct links *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		struct unit *u = units_resolve(us, ls->v[i].name);
		if (u)
			json_array_append_new(u->enabled_by, json_str(ls->v[i].via));
	}
}

/* ---- unit files and drop-ins ---- */

/* A drop-in symlinked to /dev/null: it hides the drop-ins of its name in
 * lower directories and applies nothing. systemd lists it among the
 * unit's drop-ins and reads it as empty; an offline root may have no
 * /dev/null, and the host's is no regular file, so it is not read. */
static bool dropin_masked(struct probe_ctx *ctx, const char *path)
{
	_cleanup_free_ char *target = NULL;
	return fsroot_readlink(ctx->root, path, &target) == 0 && strcmp(target, "/dev/null") == 0;
}

static int read_unit_text(struct probe_ctx *ctx, const char *path, bool dropin, struct unit *u)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (dropin)
		json_array_append_new(u->dropins, json_str(path));
	if (r < 0 && dropin && dropin_masked(ctx, path))
		return 0;
	if (r < 0) {
		probe_file_error(ctx, path, r, false);
		return 0;
	}
	unsigned bad0 = u->info.bad_lines;
	r = unit_parse(b.data, b.len, dropin, &u->info);
	if (u->info.bad_lines > bad0)
		probe_line_error(ctx, path, u->info.first_bad_line, "解釈できない行です",
				 "line is not a section, comment or key=value");
	return r;
}

/* The drop-in directories of the names (systemd's unit_file_find_dirs
 * for each unit directory, highest precedence first), appended to ds. */
static int find_dropin_dirs(struct subdirs *sds, const struct strv *names, struct subdir ***ds,
			    size_t *n)
{
	for (size_t d = 0; d < ARRAY_SIZE(unit_dirs); d++)
		for (size_t i = 0; i < names->n; i++) {
			struct subdir *sd = subdirs_find(sds, names->v[i], (int)d);
			if (!sd)
				continue;
			struct subdir **nv = reallocarray(*ds, *n + 1, sizeof(**ds));
			if (!nv)
				return -ENOMEM;
			*ds = nv;
			(*ds)[(*n)++] = sd;
		}
	return 0;
}

/* Every drop-in directory of u in systemd's order (unit_file_find_dropin_paths):
 * those of its name, then of each alias, then the type-level "service.d". */
static int unit_dropin_dirs(struct subdirs *sds, const struct unit *u, struct subdir ***ret,
			    size_t *ret_n)
{
	struct strv names = {0};
	int r = unit_dropin_dirnames(u->name, &names);
	if (r == 0)
		r = find_dropin_dirs(sds, &names, ret, ret_n);
	for (size_t a = 0; r == 0 && a < u->aliases.n; a++) {
		strv_reset(&names);
		r = unit_dropin_dirnames(u->aliases.v[a], &names);
		if (r == 0)
			r = find_dropin_dirs(sds, &names, ret, ret_n);
	}
	strv_reset(&names);
	char type_d[16];
	snprintf(type_d, sizeof(type_d), "%s.d", unit_type(u->name));
	struct strv type = {(char *[]){type_d, NULL}, 1};
	return r == 0 ? find_dropin_dirs(sds, &type, ret, ret_n) : r;
}

/* The drop-ins of u, ordered by the shared orderer (ini.h dropins_order:
 * by file name across all directories, a name in a higher directory
 * hiding the lower ones), applied in turn. */
static int apply_dropins(struct probe_ctx *ctx, struct subdirs *sds, struct unit *u)
{
	_cleanup_free_ struct subdir **ds = NULL;
	size_t n = 0;
	int r = unit_dropin_dirs(sds, u, &ds, &n);
	if (r < 0 || n == 0)
		return r;
	_cleanup_free_ const char **dirs = calloc(n, sizeof(*dirs));
	_cleanup_free_ char ***files = calloc(n, sizeof(*files));
	_cleanup_strv_ char **paths = NULL;
	for (size_t i = 0; dirs && files && i < n; i++) { /* the orderer wants lowest first */
		struct subdir *sd = ds[n - 1 - i];
		files[i] = subdir_files(ctx, sd);
		dirs[i] = path_join(unit_dirs[sd->dir].dir, sd->name);
		r = dirs[i] ? r : -ENOMEM;
	}
	if (!dirs || !files)
		r = -ENOMEM;
	if (r == 0)
		r = dropins_order(NULL, dirs, files, n, &paths);
	for (size_t i = 0; r == 0 && paths[i]; i++) {
		if (i == LIMIT_UNIT_DROPINS) {
			probe_msg(ctx, "%s のドロップインが %u を超えたため残りを無視しました",
				  "%s has more than %u drop-ins: the rest were ignored", u->name,
				  LIMIT_UNIT_DROPINS);
			break;
		}
		r = read_unit_text(ctx, paths[i], true, u);
	}
	for (size_t i = 0; dirs && i < n; i++)
		free((char *)dirs[i]);
	return r;
}

/* The file that defines u: its own entry's, or its template's. */
static char *unit_file_path(struct units *us, const struct unit *u, char *tmpl_out)
{
	bool tmpl, inst;
	if (u->sysv)
		return u->link_target ? strdup(u->link_target) : NULL;
	if (u->dir != NO_DIR)
		return path_join(unit_dirs[u->dir].dir, u->name);
	if (!unit_name_split(u->name, &tmpl, &inst, tmpl_out) || !inst)
		return NULL;
	const struct unit *t = units_find(us, tmpl_out);
	return t && t->dir != NO_DIR && !t->masked ? path_join(unit_dirs[t->dir].dir, t->name)
						   : NULL;
}

static int load_unit(struct probe_ctx *ctx, struct units *us, struct subdirs *sds, struct unit *u)
{
	_cleanup_free_ char *tmpl = malloc(strlen(u->name) + 1);
	if (!tmpl)
		return -ENOMEM;
	tmpl[0] = '\0';
	_cleanup_free_ char *path = unit_file_path(us, u, tmpl);
	if (u->masked || u->alias_of || u->sysv || !path)
		return 0;
	int r = read_unit_text(ctx, path, false, u);
	return r < 0 ? r : apply_dropins(ctx, sds, u);
}

/* ---- activation, SysV, running state ---- */

/* Linked from a wants/requires directory (or a SysV S link). */
static bool has_own_links(const struct unit *u)
{
	return !u->masked && json_array_size(u->enabled_by) > u->activators;
}

/* Links systemctl counts for "enabled": those under the configuration
 * and runtime directories, and Alias= symlinks there. A .wants link
 * shipped under /usr/lib or /lib is a static dependency: the unit starts
 * (is_enabled), but systemctl calls it static. */
static bool via_config(const char *via)
{
	return str_startswith(via, "/etc/systemd/system/") ||
	       str_startswith(via, "/run/systemd/system/") || str_startswith(via, "alias:");
}

static bool has_config_links(const struct unit *u)
{
	size_t i;
	json_t *v;
	if (u->masked)
		return false;
	json_array_foreach(u->enabled_by, i, v) {
		const char *s = json_string_value(v);
		if (s && via_config(s))
			return true;
	}
	return false;
}

/* Starts at boot or on demand: its own links or an enabled socket/timer. */
static bool is_enabled(const struct unit *u)
{
	return !u->masked && json_array_size(u->enabled_by) > 0;
}

/* The service an enabled socket or timer starts. */
static char *activated_name(const struct unit *u, bool socket)
{
	const char *explicit = socket ? u->info.socket_service : u->info.timer_unit;
	if (explicit)
		return strdup(explicit);
	const char *dot = strrchr(u->name, '.');
	const char *at = strchr(u->name, '@');
	size_t stem = (size_t)(dot - u->name);
	char *s = NULL;
	if (socket && u->info.socket_accept && !(at && at < dot))
		return asprintf(&s, "%.*s@.service", (int)stem, u->name) < 0 ? NULL : s;
	return asprintf(&s, "%.*s.service", (int)stem, u->name) < 0 ? NULL : s;
}

static void apply_activation(struct units *us)
{
	for (size_t i = 0; i < us->n; i++) {
		struct unit *u = &us->v[i];
		const char *type = unit_type(u->name);
		bool socket = strcmp(type, "socket") == 0;
		if ((!socket && strcmp(type, "timer") != 0) || !has_own_links(u))
			continue;
		_cleanup_free_ char *target = activated_name(u, socket);
		struct unit *t = target ? units_resolve(us, target) : NULL;
		char via[300];
		snprintf(via, sizeof(via), "%s:%s", socket ? "socket" : "timer", u->name);
		if (t && t != u && json_array_append_new(t->enabled_by, json_string(via)) == 0)
			t->activators++;
	}
}

/* S links of /etc/rc2.d .. rc5.d (the multi-user runlevels, which
 * systemd's sysv generator starts) and of rcS.d, by script. */
static int scan_rc_links(struct probe_ctx *ctx, struct links *ls)
{
	for (const char *lvl = "2345S"; *lvl; lvl++) {
		char dir[16];
		_cleanup_strv_ char **names = NULL;
		size_t n = 0;
		snprintf(dir, sizeof(dir), "/etc/rc%c.d", *lvl);
		if (fsroot_list(ctx->root, dir, &names, &n) < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			const char *e = names[i];
			if (e[0] != 'S' || strlen(e) < 4 || !isdigit((unsigned char)e[1]) ||
			    !isdigit((unsigned char)e[2]))
				continue;
			_cleanup_free_ char *via = path_join(dir, e);
			_cleanup_free_ char *svc = NULL;
			if (!via || asprintf(&svc, "%s.service", e + 3) < 0)
				return -ENOMEM;
			int r = links_push(ls, svc, via);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Init scripts with no native unit of the same name. */
static int scan_sysv(struct probe_ctx *ctx, struct units *us, bool *any)
{
	static const char *const skip[] = {"README", "skeleton", "rc", "rcS", "functions"};
	_cleanup_strv_ char **names = NULL;
	size_t n = 0, n0 = us->n;
	if (fsroot_list(ctx->root, "/etc/init.d", &names, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *svc = NULL, *path = path_join("/etc/init.d", names[i]);
		struct stat st;
		bool skipped = names[i][0] == '.';
		for (size_t k = 0; k < ARRAY_SIZE(skip); k++)
			skipped = skipped || strcmp(names[i], skip[k]) == 0;
		if (!path || asprintf(&svc, "%s.service", names[i]) < 0)
			return -ENOMEM;
		if (skipped || !unit_name_valid(svc, strlen(svc)) || units_find_n(us, n0, svc) ||
		    fsroot_stat(ctx->root, path, true, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		struct unit *u = units_push(us, svc, NO_DIR);
		if (!u)
			return -ENOMEM;
		u->sysv = true;
		u->link_target = TAKE_PTR(path);
		*any = true;
	}
	if (us->n != n0)
		units_settle(us);
	return 0;
}

/* (unit, pid) of every process, and (template, pid) for instances. */
struct upid {
	const char *unit; /* borrowed from the inventory, or owned tmpl */
	char *owned;
	json_int_t pid;
};
struct upids {
	struct upid *v;
	size_t n;
	bool known;
};

static int cmp_upid(const void *a, const void *b)
{
	const struct upid *x = a, *y = b;
	int c = strcmp(x->unit, y->unit);
	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

static int upids_load(json_t *procs, struct upids *up)
{
	up->known = json_is_array(procs);
	up->v = calloc(2 * json_array_size(procs) + 1, sizeof(*up->v));
	if (!up->v)
		return -ENOMEM;
	size_t i;
	json_t *p;
	json_array_foreach(procs, i, p) {
		const char *unit = json_string_value(json_object_get(p, "unit"));
		json_int_t pid = json_integer_value(json_object_get(p, "pid"));
		bool tmpl, inst;
		if (!unit)
			continue;
		up->v[up->n++] = (struct upid){unit, NULL, pid};
		char *t = malloc(strlen(unit) + 1);
		if (!t)
			return -ENOMEM;
		if (unit_name_split(unit, &tmpl, &inst, t) && inst)
			up->v[up->n++] = (struct upid){t, t, pid};
		else
			free(t);
	}
	qsort(up->v, up->n, sizeof(*up->v), cmp_upid);
	return 0;
}

static void upids_free(struct upids *up)
{
	for (size_t i = 0; i < up->n; i++)
		free(up->v[i].owned);
	free(up->v);
}

static json_t *pids_of(const struct upids *up, const char *unit)
{
	if (!up->known)
		return json_null();
	json_t *a = json_array();
	size_t lo = 0, hi = up->n;
	while (lo < hi) { /* first entry >= unit */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(up->v[mid].unit, unit) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; a && i < up->n && strcmp(up->v[i].unit, unit) == 0; i++)
		json_array_append_new(a, json_integer(up->v[i].pid));
	return a;
}

/* ---- whether a unit can start ---- */

/* One path condition of systemd.unit(5) evaluated inside the root: 1
 * true, 0 false, -1 not judged here (specifiers, other kinds). */
static int path_condition(struct probe_ctx *ctx, const char *kind, const char *path)
{
	static const char *const kinds[] = {
	    "PathExists",   "PathExistsGlob",	"PathIsDirectory",  "PathIsSymbolicLink",
	    "FileNotEmpty", "FileIsExecutable", "DirectoryNotEmpty"};
	static const char *const runtime[] = {"/dev/", "/proc/", "/sys/", "/run/"};
	struct stat st;
	bool known = false;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		known = known || strcmp(kind, kinds[i]) == 0;
	if (!known || path[0] != '/' || strchr(path, '%'))
		return -1;
	/* the running system's state: an offline root does not hold it */
	for (size_t i = 0; ctx->offline && i < ARRAY_SIZE(runtime); i++)
		if (str_startswith(path, runtime[i]))
			return -1;
	if (strcmp(kind, "PathExistsGlob") == 0) {
		_cleanup_strv_ char **m = NULL;
		size_t n = 0;
		return fsroot_glob(ctx->root, path, &m, &n) == 0 ? n > 0 : -1;
	}
	bool lnk = strcmp(kind, "PathIsSymbolicLink") == 0;
	int r = fsroot_stat(ctx->root, path, !lnk, &st);
	if (r == -ENOENT || r == -ENOTDIR)
		return 0;
	if (r < 0)
		return -1; /* unreadable is not absent */
	if (strcmp(kind, "PathExists") == 0)
		return 1;
	if (strcmp(kind, "PathIsDirectory") == 0)
		return S_ISDIR(st.st_mode);
	if (lnk)
		return S_ISLNK(st.st_mode);
	if (strcmp(kind, "FileNotEmpty") == 0)
		return S_ISREG(st.st_mode) && st.st_size > 0;
	if (strcmp(kind, "FileIsExecutable") == 0)
		return S_ISREG(st.st_mode) && (st.st_mode & 0111);
	if (strcmp(kind, "DirectoryNotEmpty") == 0) {
		_cleanup_strv_ char **names = NULL;
		size_t n = 0;
		if (!S_ISDIR(st.st_mode))
			return 0;
		if (fsroot_list(ctx->root, path, &names, &n) < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (names[i][0] != '.')
				return 1;
		return 0;
	}
	return -1;
}

/* Conditions as systemd combines them: every plain one must hold, and
 * of the triggering ones ("|") at least one. Returns the first failing
 * condition (borrowed), or NULL. */
static const char *failing_condition(struct probe_ctx *ctx, const struct unit_info *in)
{
	bool any_trigger = false, trigger_ok = false;
	const char *first_trigger = NULL;
	for (size_t i = 0; i < in->conditions.n; i++) {
		const char *c = in->conditions.v[i];
		const char *eq = strchr(c, '='), *v = eq ? eq + 1 : "";
		const char *kind = str_startswith(c, "Condition") ? c + 9 : c + 6;
		char k[64];
		bool trigger = false, neg = false;
		if (!eq || (size_t)(eq - kind) >= sizeof(k))
			continue;
		snprintf(k, sizeof(k), "%.*s", (int)(eq - kind), kind);
		trigger = *v == '|' && str_startswith(c, "Condition");
		v += trigger;
		while (*v == ' ')
			v++;
		neg = *v == '!';
		v += neg;
		int r = path_condition(ctx, k, v);
		bool ok = r < 0 || (r == 1) != neg; /* not judged: may hold */
		if (trigger) {
			any_trigger = true;
			trigger_ok = trigger_ok || ok;
			first_trigger = first_trigger ? first_trigger : c;
		} else if (!ok) {
			return c;
		}
	}
	return any_trigger && !trigger_ok ? first_trigger : NULL;
}

static void runnable_json(struct probe_ctx *ctx, const struct unit *u, json_t *o)
{
	const char *exe = u->info.exec_start;
	struct stat st;
	char why[LIMIT_PATH + 64];
	why[0] = '\0';
	if (u->masked || u->alias_of) {
		json_set(o, "runnable", json_null());
		json_set(o, "not_runnable_reason", json_null());
		return;
	}
	if (!u->sysv && exe && exe[0] == '/' && !strchr(exe, '%')) {
		int r = fsroot_stat(ctx->root, exe, true, &st);
		if (r == -ENOENT || r == -ENOTDIR)
			snprintf(why, sizeof(why), "ExecStart binary absent: %s", exe);
	}
	const char *c = why[0] ? NULL : failing_condition(ctx, &u->info);
	if (c)
		snprintf(why, sizeof(why), "%s", c);
	json_set(o, "runnable", json_boolean(!why[0]));
	json_set(o, "not_runnable_reason", why[0] ? json_str(why) : json_null());
}

/* ---- the collection ---- */

/* inst: for a template, what instances_enabled() says. systemctl calls a
 * template whose DefaultInstance is enabled "enabled", one with other
 * instances enabled "indirect". */
static const char *unit_state(const struct unit *u, bool tmpl, int inst)
{
	const struct unit_info *in = &u->info;
	bool instance = false, t;
	if (u->masked)
		return "masked";
	if (u->alias_of)
		return u->dangling ? "bad" : "alias";
	if (u->sysv)
		return u->sysv_is_enabled ? "enabled" : "disabled";
	if (u->dir != NO_DIR && unit_dirs[u->dir].generated)
		return "generated";
	if (has_config_links(u))
		return "enabled";
	/* an instance linked only outside the configuration is static */
	if (unit_name_split(u->name, &t, &instance, NULL) && instance && has_own_links(u))
		return "static";
	if (in->wanted_by.n == 0 && in->required_by.n == 0 && in->alias.n == 0)
		return in->also.n ? "indirect" : "static";
	if (tmpl && inst)
		return inst == 2 ? "enabled" : "indirect";
	return "disabled";
}

/* Whether an instance of the template us->v[i] is enabled: 0 none, 1
 * some instance, 2 its DefaultInstance. Names sharing the prefix "name@"
 * are contiguous in the sorted table. */
static int instances_enabled(const struct units *us, size_t i)
{
	const struct unit *t = &us->v[i];
	const char *at = strchr(t->name, '@');
	size_t pre = at ? (size_t)(at - t->name) + 1 : 0;
	_cleanup_free_ char *def = NULL;
	if (pre && t->info.default_instance &&
	    asprintf(&def, "%.*s%s%s", (int)pre, t->name, t->info.default_instance, at + 1) < 0)
		def = NULL;
	int found = 0;
	size_t lo = i, hi = i + 1;
	while (pre && lo > 0 && strncmp(us->v[lo - 1].name, t->name, pre) == 0)
		lo--;
	while (pre && hi < us->n && strncmp(us->v[hi].name, t->name, pre) == 0)
		hi++;
	for (size_t j = lo; j < hi; j++) {
		if (j == i || !has_config_links(&us->v[j]))
			continue;
		found = def && strcmp(us->v[j].name, def) == 0 ? 2 : found ? found : 1;
	}
	return found;
}

/* One Listen*= line's network port: "ListenStream=23", "...=0.0.0.0:23",
 * "ListenDatagram=[::]:69"; 0 for paths (AF_UNIX), abstract sockets,
 * vsock:, netlink and the like. *proto and the address span are set. */
static long listen_port(const char *line, const char **proto, const char **addr, size_t *addr_n)
{
	static const struct {
		const char *key, *proto;
	} kinds[] = {{"ListenStream=", "tcp"},
		     {"ListenDatagram=", "udp"},
		     {"ListenSequentialPacket=", "sctp"}};
	const char *v = NULL;
	for (size_t i = 0; !v && i < ARRAY_SIZE(kinds); i++)
		if (str_startswith(line, kinds[i].key)) {
			v = line + strlen(kinds[i].key);
			*proto = kinds[i].proto;
		}
	const char *colon = v ? strrchr(v, ':') : NULL;
	long port;
	if (!v || v[0] == '/' || v[0] == '@' || str_startswith(v, "vsock:") ||
	    parse_long(colon ? colon + 1 : v, &port) < 0 || port <= 0 || port > 65535)
		return 0;
	*addr = v;
	*addr_n = colon ? (size_t)(colon - v) : 0;
	return port;
}

/* The first network port in port, protocol, proto_port and address (null
 * for every address), as before several were reported. */
static void first_port_json(json_t *o, const char *proto, long port, const char *addr,
			    size_t addr_n)
{
	char pp[32];
	snprintf(pp, sizeof(pp), "%s/%ld", proto, port);
	json_set(o, "port", json_integer(port));
	json_set(o, "protocol", json_string(proto));
	json_set(o, "proto_port", json_string(pp));
	if (addr_n == 0)
		return;
	_cleanup_free_ char *a = xstrndup(addr, addr_n);
	bool any = a && (strcmp(a, "0.0.0.0") == 0 || strcmp(a, "[::]") == 0);
	json_set(o, "address", any || !a ? json_null() : json_str(a));
}

static bool array_has_string(const json_t *a, const char *s)
{
	for (size_t i = 0; i < json_array_size(a); i++)
		if (strcmp(json_string_value(json_array_get(a, i)), s) == 0)
			return true;
	return false;
}

/* A socket's listeners: every Listen*= line, every network port once in
 * proto_ports (so the port rules see each), the first in port & co. */
static void socket_ports_json(const struct unit_info *in, json_t *o)
{
	json_t *pps = json_object_get(o, "proto_ports");
	for (size_t i = 0; i < in->listens.n; i++) {
		const char *proto = NULL, *addr = NULL;
		size_t addr_n = 0;
		long port = listen_port(in->listens.v[i], &proto, &addr, &addr_n);
		char pp[32];
		if (port == 0)
			continue;
		snprintf(pp, sizeof(pp), "%s/%ld", proto, port);
		if (json_array_size(pps) == 0)
			first_port_json(o, proto, port, addr, addr_n);
		if (!array_has_string(pps, pp))
			json_array_append_new(pps, json_string(pp));
	}
}

static json_t *unit_json(struct probe_ctx *ctx, struct units *us, size_t i, const struct upids *up)
{
	struct unit *u = &us->v[i];
	bool tmpl = false, inst = false;
	_cleanup_free_ char *tname = malloc(strlen(u->name) + 1);
	if (!tname || !unit_name_split(u->name, &tmpl, &inst, tname))
		return NULL;
	_cleanup_free_ char *file = unit_file_path(us, u, tname);
	const char *type = unit_type(u->name);
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_set(o, "unit", json_str(u->name));
	json_set(o, "type", json_string(type));
	json_set(o, "unit_file", file ? json_str(file) : json_null());
	json_set(o, "state", json_string(unit_state(u, tmpl, tmpl ? instances_enabled(us, i) : 0)));
	json_set(o, "enabled", json_boolean(is_enabled(u)));
	json_array_sort_by(u->enabled_by, NULL);
	json_set(o, "enabled_by", json_incref(u->enabled_by));
	bool svc = strcmp(type, "service") == 0;
	json_set(o, "exec_start",
		 u->sysv
		     ? json_str(u->link_target)
		     : (svc && u->info.exec_start ? json_str(u->info.exec_start) : json_null()));
	json_set(o, "exec_start_dropin", json_boolean(u->info.exec_start_dropin));
	/* systemd's default: simple with an ExecStart, oneshot without */
	json_set(o, "service_type",
		 svc && !u->sysv ? json_string(u->info.service_type ? u->info.service_type
					       : u->info.exec_start ? "simple"
								    : "oneshot")
				 : json_null());
	json_set(o, "dropins", json_incref(u->dropins));
	json_set(o, "template", inst ? json_str(tname) : json_null());
	json_t *pids = pids_of(up, u->name);
	json_set(o, "running",
		 json_is_array(pids) ? json_boolean(json_array_size(pids) > 0) : json_null());
	json_set(o, "pids", pids);
	json_set(o, "active",
		 json_boolean(is_enabled(u) || json_is_true(json_object_get(o, "running"))));
	json_set(o, "source", json_string(u->sysv ? "sysv" : "systemd"));
	json_t *sched = json_array();
	for (size_t k = 0; sched && k < u->info.timer_on.n; k++)
		json_array_append_new(sched, json_str(u->info.timer_on.v[k]));
	json_set(o, "schedule", sched ? sched : json_null());
	runnable_json(ctx, u, o);
	static const char *const inetd_only[] = {"super_server", "port", "protocol", "proto_port",
						 "address"};
	for (size_t k = 0; k < ARRAY_SIZE(inetd_only); k++)
		json_set(o, inetd_only[k], json_null());
	json_set(o, "listen", strv_json(u->info.listens.v));
	json_set(o, "proto_ports", json_array());
	if (strcmp(type, "socket") == 0)
		socket_ports_json(&u->info, o);
	return o;
}

/* rc2..5 links start the script; systemctl is-enabled (Debian's
 * systemd-sysv-install) asks for one in rcS.d or rc5.d. */
static void apply_rc_links(struct units *us, const struct links *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		struct unit *u = units_find(us, ls->v[i].name);
		const char *via = ls->v[i].via;
		if (!u || !u->sysv)
			continue;
		if (str_startswith(via, "/etc/rcS.d/") || str_startswith(via, "/etc/rc5.d/"))
			u->sysv_is_enabled = true;
		if (!str_startswith(via, "/etc/rcS.d/"))
			json_array_append_new(u->enabled_by, json_str(via));
	}
}

/* An Alias= of a unit symlinked in /etc or /run enables it, as systemctl
 * enable made it (a D-Bus name such as dbus-org.freedesktop.nm-dispatcher
 * starts NetworkManager-dispatcher on demand); an alias whose target is
 * no unit is "bad". */
static void apply_aliases(struct units *us)
{
	for (size_t i = 0; i < us->n; i++) {
		struct unit *a = &us->v[i];
		if (!a->alias_of)
			continue;
		struct unit *t = units_find(us, a->alias_of);
		a->dangling = !t || (t->dir == NO_DIR && !t->sysv);
		if (!t || a->dir > 1 || t->masked)
			continue; /* only /etc/systemd/system and /run/systemd/system */
		for (size_t k = 0; k < t->info.alias.n; k++) {
			if (strcmp(t->info.alias.v[k], a->name) != 0)
				continue;
			char via[300];
			snprintf(via, sizeof(via), "alias:%s", a->name);
			json_array_append_new(t->enabled_by, json_string(via));
			break;
		}
	}
}

/* Each alias symlink's name, recorded on the unit it names: systemd
 * looks for drop-ins under every name of a unit. */
static int collect_aliases(struct units *us)
{
	for (size_t i = 0; i < us->n; i++) {
		const struct unit *a = &us->v[i];
		struct unit *t = a->alias_of ? units_resolve(us, a->alias_of) : NULL;
		if (t && t != a && strv_add(&t->aliases, a->name, strlen(a->name)) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Unit entries and subdirectories of every unit directory (each listed
 * once), enablement links, SysV scripts. */
static int gather_names(struct probe_ctx *ctx, struct units *us, struct subdirs *sds, bool *any)
{
	struct links wants = {0}, rc = {0};
	int r = 0;
	for (size_t d = 0; r == 0 && d < ARRAY_SIZE(unit_dirs); d++)
		r = scan_unit_dir(ctx, us, sds, (int)d, any);
	if (r == 0) {
		units_settle(us);
		if (sds->n > 1)
			qsort(sds->v, sds->n, sizeof(*sds->v), cmp_subdir);
		r = scan_wants(ctx, sds, &wants);
	}
	if (r == 0)
		r = add_instances(us, &wants);
	if (r == 0)
		r = scan_sysv(ctx, us, any);
	if (r == 0)
		r = scan_rc_links(ctx, &rc);
	if (r == 0) {
		apply_links(us, &wants);
		apply_rc_links(us, &rc);
	}
	links_free(&wants);
	links_free(&rc);
	return r;
}

/* gather_names; then each unit file and its drop-ins. */
static int gather(struct probe_ctx *ctx, struct units *us, bool *any)
{
	struct subdirs sds = {0};
	int r = gather_names(ctx, us, &sds, any);
	if (r == 0)
		r = collect_aliases(us);
	for (size_t i = 0; r == 0 && i < us->n; i++)
		r = load_unit(ctx, us, &sds, &us->v[i]);
	if (r == 0) {
		apply_aliases(us);
		apply_activation(us);
	}
	subdirs_free(&sds);
	if (r == -E2BIG)
		probe_msg(ctx, "ユニットまたはリンクが %u を超えたため残りを無視しました",
			  "more than %u units or links: the rest were ignored", LIMIT_UNITS);
	return r == -E2BIG ? 0 : r;
}

/* A program inetd or xinetd serves has one port: proto_ports says it
 * the way socket units do, so one rule reads both (null: unknown). */
static int inetd_ports(json_t *arr)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		json_t *pp = json_object_get(o, "proto_port");
		if (strcmp(json_string_value(json_object_get(o, "type")), "inetd") != 0)
			continue;
		if (json_set(o, "listen", json_null()) < 0 ||
		    json_set(o, "proto_ports",
			     json_is_string(pp) ? json_pack("[O]", pp) : json_null()) < 0)
			return -ENOMEM;
	}
	return 0;
}

int probe_services_run(struct probe_ctx *ctx)
{
	struct units us = {0};
	struct upids up = {0};
	bool any = false;
	int r = gather(ctx, &us, &any);
	if (r == 0 && !any) {
		units_free(&us);
		return PROBE_RET_NOT_APPLICABLE; /* neither systemd nor SysV init */
	}
	if (r == 0)
		r = upids_load(json_object_get(ctx->inventory, "processes"), &up);
	json_t *arr = r == 0 ? json_array() : NULL;
	for (size_t i = 0; arr && i < us.n; i++) {
		json_t *o = unit_json(ctx, &us, i, &up);
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	upids_free(&up);
	units_free(&us);
	if (!arr)
		return r < 0 ? r : -ENOMEM;
	if (superserver_services(ctx, arr) < 0 || inetd_ports(arr) < 0) {
		json_decref(arr);
		return -ENOMEM;
	}
	json_array_sort_by(arr, "unit");
	return json_set(ctx->inventory, "services", arr);
}
