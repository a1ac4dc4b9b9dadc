/* proc_parse.c - pure parsers for /proc/PID files and the masking of
 * secrets in command lines (see proc_parse.h). Nothing here reads a file:
 * the processes probe hands in what it read, and the tests hand in tables
 * of cases. Every buffer may hold anything: NUL bytes, no newline, bytes
 * that are not UTF-8, a comm full of parentheses.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "probes/proc_parse.h"
#include "scanner/util.h"

int proc_stat_parse(const char *buf, size_t len, long *ret_pid, char **ret_comm, char *ret_state,
		    long *ret_ppid)
{
	const char *open = memchr(buf, '(', len);
	const char *close = NULL;
	for (const char *p = buf + len; p > buf; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!open || !close || close < open || open == buf || open[-1] != ' ')
		return -EINVAL;
	long pid, ppid;
	if (parse_long_n(buf, (size_t)(open - 1 - buf), &pid) < 0 || pid <= 0)
		return -EINVAL;
	/* After ')': " S PPID ..." */
	const char *p = close + 1, *end = buf + len;
	if (end - p < 4 || p[0] != ' ' || p[2] != ' ' || !isalpha((unsigned char)p[1]))
		return -EINVAL;
	char state = p[1];
	p += 3;
	size_t n = 0;
	while (p + n < end && p[n] != ' ' && p[n] != '\n')
		n++;
	if (parse_long_n(p, n, &ppid) < 0 || ppid < 0)
		return -EINVAL;
	char *comm = xstrndup(open + 1, (size_t)(close - open - 1));
	if (!comm)
		return -ENOMEM;
	*ret_pid = pid;
	*ret_ppid = ppid;
	*ret_comm = comm;
	*ret_state = state;
	return 0;
}

int proc_status_uid(const char *buf, size_t len, long *ret_uid)
{
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		if (ln.len < 4 || memcmp(ln.s, "Uid:", 4) != 0)
			continue;
		const char *s = ln.s + 4;
		size_t n = ln.len - 4;
		str_trim(&s, &n);
		size_t w = 0;
		while (w < n && s[w] != '\t' && s[w] != ' ')
			w++;
		long uid;
		if (parse_long_n(s, w, &uid) < 0 || uid < 0 || uid > 4294967295L)
			return -EINVAL;
		*ret_uid = uid;
		return 0;
	}
	return -ENOENT;
}

/* ---- masking ---- */

static bool name_is_secret(const char *s, size_t n)
{
	static const char *const words[] = {"pass", "secret", "token", "key", "pwd", "credential"};
	for (size_t w = 0; w < ARRAY_SIZE(words); w++) {
		size_t wl = strlen(words[w]);
		for (size_t i = 0; i + wl <= n; i++)
			if (strncasecmp(s + i, words[w], wl) == 0)
				return true;
	}
	return false;
}

/* Replace bytes [keep, upto) of arg by the mask (upto 0: to the end). */
static int mask_range(char **arg, size_t keep, size_t upto)
{
	size_t ml = strlen(PROC_MASK), al = strlen(*arg);
	size_t tail = upto ? al - upto : 0;
	char *m = malloc(keep + ml + tail + 1);
	if (!m)
		return -ENOMEM;
	memcpy(m, *arg, keep);
	memcpy(m + keep, PROC_MASK, ml);
	memcpy(m + keep + ml, *arg + al - tail, tail);
	m[keep + ml + tail] = '\0';
	free(*arg);
	*arg = m;
	return 0;
}

static int mask_from(char **arg, size_t keep)
{
	return mask_range(arg, keep, 0);
}

/* "NAME=VALUE" or "--NAME=VALUE" with a secret-looking NAME: the offset
 * of VALUE, else 0. NAME must look like an identifier so that paths and
 * expressions holding '=' are left alone. */
static size_t assignment_value(const char *a)
{
	const char *eq = strchr(a, '=');
	if (!eq || eq == a)
		return 0;
	const char *name = a;
	while (*name == '-')
		name++;
	if (name == eq)
		return 0;
	for (const char *p = name; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return 0;
	return name_is_secret(name, (size_t)(eq - name)) ? (size_t)(eq - a) + 1 : 0;
}

/* "scheme://user:password@host": the offsets of the password, else 0. */
static size_t url_password(const char *a, size_t *ret_end)
{
	const char *sep = strstr(a, "://");
	if (!sep)
		return 0;
	const char *auth = sep + 3;
	size_t hostpart = strcspn(auth, "/?#");
	const char *at = NULL;
	for (size_t i = 0; i < hostpart; i++)
		if (auth[i] == '@')
			at = auth + i;
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon || colon + 1 == at)
		return 0;
	*ret_end = (size_t)(at - a);
	return (size_t)(colon + 1 - a);
}

/* Programs whose short option takes a password: -p (mysql family,
 * sshpass), -a (redis-cli). */
static char program_pw_flag(const char *argv0)
{
	static const struct {
		const char *name;
		char flag;
	} progs[] = {{"mysql", 'p'},	{"mysqladmin", 'p'},   {"mysqldump", 'p'},
		     {"mariadb", 'p'},	{"mariadb-dump", 'p'}, {"sshpass", 'p'},
		     {"redis-cli", 'a'}};
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++)
		if (strcmp(base, progs[i].name) == 0)
			return progs[i].flag;
	return 0;
}

/* A flag without '=' whose next argument is its secret value:
 * "--password", "--api-token", X11-style "-passwd", or the program's
 * short password flag. */
static bool flag_takes_secret(const char *a, char pwflag)
{
	if (a[0] != '-' || strchr(a, '='))
		return false;
	const char *name = a[1] == '-' ? a + 2 : a + 1;
	if (strlen(name) > 1 && name_is_secret(name, strlen(name)))
		return true;
	return pwflag && a[1] == pwflag && a[2] == '\0';
}

int proc_mask_argv(char **argv, size_t n)
{
	char pwflag = n ? program_pw_flag(argv[0]) : 0;
	for (size_t i = 1; i < n; i++) {
		const char *a = argv[i];
		size_t end = 0, off = assignment_value(a);
		if (!off)
			off = url_password(a, &end);
		if (!off && pwflag && a[0] == '-' && a[1] == pwflag && a[2] != '\0')
			off = 2; /* mysql -pSECRET */
		if (off && a[off] != '\0' && mask_range(&argv[i], off, end) < 0)
			return -ENOMEM;
		if (!off && flag_takes_secret(a, pwflag) && i + 1 < n) {
			if (mask_from(&argv[++i], 0) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static void argv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int push(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		char **nv = realloc(*v, nc * sizeof(**v));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	char *a = xstrndup(s, len);
	if (!a)
		return -ENOMEM;
	(*v)[(*n)++] = a;
	return 0;
}

/* Split [s, s+len) at NUL bytes (empty arguments kept) or at runs of
 * blanks (on_nul false). ret is a new vector of new strings. */
static int split(const char *s, size_t len, bool on_nul, char ***ret, size_t *ret_n)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && (on_nul ? s[j] != '\0' : (s[j] != ' ' && s[j] != '\t')))
			j++;
		if ((on_nul || j > i) && push(&v, &n, &cap, s + i, j - i) < 0) {
			argv_free(v, n);
			return -ENOMEM;
		}
		i = j + 1;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

static char *masked_join(const char *s, size_t len, bool on_nul)
{
	char **v = NULL;
	size_t n = 0;
	if (on_nul && len && s[len - 1] == '\0')
		len--; /* the terminator of the last argument */
	if (split(s, len, on_nul, &v, &n) < 0)
		return NULL;
	struct strbuf sb;
	strbuf_init(&sb, (size_t)-1);
	int r = proc_mask_argv(v, n);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = strbuf_puts(&sb, i ? " " : "") < 0 ? -ENOMEM : strbuf_puts(&sb, v[i]);
	argv_free(v, n);
	if (r < 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

char *proc_cmdline_masked(const char *buf, size_t len)
{
	return masked_join(buf, len, true);
}

char *proc_command_masked(const char *s, size_t len)
{
	return masked_join(s, len, false);
}

/* ---- exe, temp, cgroup ---- */

char *proc_exe_clean(const char *target, bool *ret_deleted)
{
	static const char mark[] = " (deleted)";
	size_t n = strlen(target), ml = sizeof(mark) - 1;
	bool del = n > ml && memcmp(target + n - ml, mark, ml) == 0;
	*ret_deleted = del;
	return xstrndup(target, del ? n - ml : n);
}

bool proc_path_in_temp(const char *path)
{
	static const char *const dirs[] = {"/tmp", "/var/tmp", "/dev/shm", "/run/shm"};
	if (str_startswith(path, "/memfd:"))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		size_t dl = strlen(dirs[i]);
		if (strncmp(path, dirs[i], dl) == 0 && (path[dl] == '/' || path[dl] == '\0'))
			return true;
	}
	return false;
}

bool unit_name_valid(const char *name, size_t len)
{
	static const char *const suffixes[] = {".service", ".socket", ".scope", ".timer",
					       ".target",  ".path",   ".mount", ".automount",
					       ".swap",	   ".device", ".slice"};
	if (len == 0 || len > 255)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!isalnum(c) && !strchr(":_.\\@-", c))
			return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		size_t sl = strlen(suffixes[i]);
		if (len > sl && memcmp(name + len - sl, suffixes[i], sl) == 0)
			return true;
	}
	return false;
}

static int unit_in_path(const char *p, size_t n, char **ret_unit)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && p[i] == '/')
			i++;
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		size_t cl = j - i;
		bool slice = cl > 6 && memcmp(p + j - 6, ".slice", 6) == 0;
		if (cl && !slice) {
			if (!unit_name_valid(p + i, cl))
				return -ENOENT;
			*ret_unit = xstrndup(p + i, cl);
			return *ret_unit ? 0 : -ENOMEM;
		}
		i = j;
	}
	return -ENOENT;
}

int proc_cgroup_unit(const char *buf, size_t len, char **ret_unit)
{
	struct line_iter it;
	struct line ln;
	struct line v1 = {0}, v2 = {0};
	bool any = false;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		const char *c1 = memchr(ln.s, ':', ln.len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', ln.len - (size_t)(c1 + 1 - ln.s)) : NULL;
		if (!c2)
			continue;
		any = true;
		struct line path = {c2 + 1, ln.len - (size_t)(c2 + 1 - ln.s), ln.lineno};
		if (c1 - ln.s == 1 && ln.s[0] == '0' && c2 == c1 + 1)
			v2 = path;
		else if ((size_t)(c2 - c1 - 1) == 12 && memcmp(c1 + 1, "name=systemd", 12) == 0)
			v1 = path;
	}
	if (!any)
		return -EINVAL;
	struct line use = v2.s ? v2 : v1;
	if (!use.s)
		return -ENOENT;
	return unit_in_path(use.s, use.len, ret_unit);
}
