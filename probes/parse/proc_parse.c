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
#include "probes/parse/proc_parse.h"
#include "lib/util.h"

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

/* ---- masking ----
 *
 * Two views of a command line (README "Command lines"):
 *  - minimal (the default): the program and the flags, never a value.
 *    Absolute and relative paths stay (rules look for programs run from
 *    /tmp), shell operators stay; every other argument, and the value of
 *    every "--flag=value", becomes PROC_MASK.
 *  - full (opt-in, --full-cmdline): the values too, with every documented
 *    secret form masked (proc_mask_argv) and anything that looks like a
 *    credential.
 * In both, argv[0] is shown only when it is a plain program name or path
 * that matches the process (its comm) or a known interpreter: `exec -a`
 * can put anything there. */

static bool name_is_secret(const char *s, size_t n)
{
	static const char *const words[] = {"pass",	  "secret", "token",  "key",   "pwd",
					    "credential", "auth",   "cookie", "bearer"};
	for (size_t w = 0; w < ARRAY_SIZE(words); w++) {
		size_t wl = strlen(words[w]);
		for (size_t i = 0; i + wl <= n; i++)
			if (strncasecmp(s + i, words[w], wl) == 0)
				return true;
	}
	return false;
}

/* One piece of a word that looks like a generated credential: 16 or more
 * letters and digits (with _ + - allowed), mixing both, and either mixing
 * case or 24 long (hex and base32 tokens). "x86_64-linux-gnu" is not. */
static bool piece_is_token(const char *s, size_t n)
{
	if (n < 16)
		return false;
	bool digit = false, lower = false, upper = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		digit |= isdigit(c) != 0;
		lower |= islower(c) != 0;
		upper |= isupper(c) != 0;
	}
	return digit && (lower || upper) && ((lower && upper) || n >= 24);
}

/* Whether any piece of s (split at the separators of paths, URLs,
 * assignments and lists) looks like a credential. */
static bool has_token(const char *s)
{
	size_t i = 0, n = strlen(s);
	while (i < n) {
		size_t j = i;
		while (j < n && (isalnum((unsigned char)s[j]) || strchr("_+-", s[j])))
			j++;
		if (piece_is_token(s + i, j - i))
			return true;
		i = j + 1;
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

/* "scheme://user:password@host" or "scheme://TOKEN@host": the offsets of
 * the password (or of the whole user part when it has no ':'), else 0. */
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
	if (!at || at == auth)
		return 0;
	const char *colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon && colon + 1 == at)
		return 0;
	*ret_end = (size_t)(at - a);
	return (size_t)((colon ? colon + 1 : auth) - a);
}

/* Programs whose short option takes a password: -p (mysql family,
 * sshpass), -a (redis-cli), -w (OpenLDAP clients), -k (openssl enc). */
static char program_pw_flag(const char *argv0)
{
	static const struct {
		const char *name;
		char flag;
	} progs[] = {{"mysql", 'p'},	  {"mysqladmin", 'p'},	 {"mysqldump", 'p'},
		     {"mariadb", 'p'},	  {"mariadb-dump", 'p'}, {"sshpass", 'p'},
		     {"redis-cli", 'a'},  {"ldapsearch", 'w'},	 {"ldapmodify", 'w'},
		     {"ldapadd", 'w'},	  {"ldapdelete", 'w'},	 {"ldappasswd", 'w'},
		     {"ldapwhoami", 'w'}, {"ldapcompare", 'w'},	 {"ldapmodrdn", 'w'},
		     {"ldapexop", 'w'},	  {"openssl", 'k'}};
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++)
		if (strcmp(base, progs[i].name) == 0)
			return progs[i].flag;
	return 0;
}

/* A flag without '=' whose next argument is its secret value:
 * "--password", "--api-token", X11-style "-passwd", openssl's "-pass",
 * or the program's short password flag. */
static bool flag_takes_secret(const char *a, char pwflag)
{
	if (a[0] != '-' || strchr(a, '='))
		return false;
	const char *name = a[1] == '-' ? a + 2 : a + 1;
	if (strlen(name) > 1 && name_is_secret(name, strlen(name)))
		return true;
	return pwflag && a[1] == pwflag && a[2] == '\0';
}

/* A flag whose value is "user:password" or "user%password" (curl -u,
 * smbclient -U, wget --user): 1 for the next argument, 2 for an
 * attached value ("-uuser:pw"), 0 for neither. */
static int user_flag(const char *a)
{
	if (!strcmp(a, "-u") || !strcmp(a, "-U") || !strcmp(a, "--user") ||
	    !strcmp(a, "--username") || !strcmp(a, "--proxy-user"))
		return 1;
	return a[0] == '-' && (a[1] == 'u' || a[1] == 'U') && a[2] != '\0' ? 2 : 0;
}

/* Mask what follows the first ':' or '%' of a user value. */
static int mask_user_value(char **arg, size_t from)
{
	size_t k = strcspn(*arg + from, ":%");
	if ((*arg)[from + k] == '\0' || (*arg)[from + k + 1] == '\0')
		return 0;
	return mask_from(arg, from + k + 1);
}

/* "NAME=VALUE" pieces inside one argument (mount -o rw,password=x,
 * psql 'host=h password=p', a URL's ?token=x): each secret VALUE masked
 * up to the next separator. */
static int mask_embedded(char **arg)
{
	for (size_t i = 0; (*arg)[i]; i++) {
		char *a = *arg;
		if (a[i] != '=' || i == 0)
			continue;
		size_t b = i;
		while (b > 0 && (isalnum((unsigned char)a[b - 1]) || strchr("_-.", a[b - 1])))
			b--;
		if (b == i || (b > 0 && !strchr(",; &?'\"", a[b - 1])) ||
		    !name_is_secret(a + b, i - b))
			continue;
		size_t e = i + 1 + strcspn(a + i + 1, ",; &?'\"");
		if (e == i + 1 || strncmp(a + i + 1, PROC_MASK, strlen(PROC_MASK)) == 0)
			continue;
		if (mask_range(arg, i + 1, e) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* An HTTP header or similar "Name: value" whose name is secret-looking
 * ("Authorization: Bearer x", "X-Api-Key: x", "Cookie: a=b"): the offset
 * after the colon, else 0. Leading quotes (a cron line split at blanks)
 * are skipped. */
static size_t header_value(const char *a)
{
	size_t q = strspn(a, "'\"");
	const char *colon = strchr(a + q, ':');
	if (!colon || colon == a + q)
		return 0;
	for (const char *p = a + q; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	return name_is_secret(a + q, (size_t)(colon - a - q)) ? (size_t)(colon - a) + 1 : 0;
}

static const char *base_name(const char *p)
{
	const char *b = strrchr(p, '/');
	return b ? b + 1 : p;
}

static bool path_chars(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("/._+-,~@", *s))
			return false;
	return true;
}

/* Interpreters run a script: argv[0] names them while comm names the
 * script. */
static bool is_interpreter(const char *base)
{
	static const char *const names[] = {"sh",     "bash", "dash",  "zsh",  "ksh",	 "busybox",
					    "python", "perl", "ruby",  "node", "nodejs", "php",
					    "java",   "lua",  "tclsh", "env"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		size_t n = strlen(names[i]);
		if (strncmp(base, names[i], n) == 0 &&
		    (base[n] == '\0' || isdigit((unsigned char)base[n])))
			return true;
	}
	return false;
}

/* A login shell: login(1), sshd and su -l start the shell with argv[0]
 * "-" and its name ("-bash", "-sh"); the dash is no option. The name
 * without it, else NULL. */
static const char *login_shell_name(const char *arg0)
{
	return arg0[0] == '-' && arg0[1] != '\0' && arg0[1] != '-' && !strchr(arg0, '/') ? arg0 + 1
											 : NULL;
}

bool proc_login_shell(const char *arg0, const char *comm)
{
	const char *name = login_shell_name(arg0);
	return name && (!comm || !*comm || strcmp(name, comm) == 0 || is_interpreter(name));
}

/* Whether argv[0] may be shown: a plain name or path, no credential, and
 * (when comm is known) the process's own name or an interpreter. comm is
 * at most 15 bytes (TASK_COMM_LEN), so a 15-byte comm is a prefix. A
 * login shell's "-bash" is judged as "bash". */
static bool program_ok(const char *arg, const char *comm)
{
	/* A daemon's title "sshd:", "postgres:" keeps its name. */
	size_t n = strlen(arg);
	_cleanup_free_ char *a = xstrndup(arg, n && arg[n - 1] == ':' ? n - 1 : n);
	if (!a || !*a || !path_chars(a) || has_token(a) || strchr(a, '@'))
		return false;
	if (!comm || !*comm)
		return true;
	const char *login = login_shell_name(a);
	const char *base = login ? login : base_name(a);
	size_t cl = strlen(comm);
	if (strcmp(base, comm) == 0 || (cl >= 15 && strncmp(base, comm, cl) == 0))
		return true;
	return is_interpreter(base);
}

static bool is_shell_op(const char *a)
{
	return *a && strspn(a, "<>&|;0123456789()") == strlen(a) && strpbrk(a, "<>&|;()");
}

/* A path argument kept in the minimal view: "/x", "./x", "../x", "~/x",
 * or a redirection to one (">/dev/null"), maybe quoted, with nothing but
 * path characters and no credential in it. */
static bool keep_path(const char *a)
{
	a += strspn(a, "<>&12");
	a += strspn(a, "'\"");
	if (!(a[0] == '/' || strncmp(a, "./", 2) == 0 || strncmp(a, "../", 3) == 0 ||
	      strncmp(a, "~/", 2) == 0))
		return false;
	size_t n = strlen(a);
	while (n && (a[n - 1] == '\'' || a[n - 1] == '"' || a[n - 1] == ';'))
		n--;
	_cleanup_free_ char *p = xstrndup(a, n);
	return p && path_chars(p) && !has_token(p) && !strchr(p, '@');
}

/* A flag in the minimal view: its name stays, its value (after '=', or
 * glued to a short option) is masked. */
static int minimal_flag(char **arg, char pwflag)
{
	const char *a = *arg;
	const char *eq = strchr(a, '=');
	size_t name_len = eq ? (size_t)(eq - a) : strlen(a);
	_cleanup_free_ char *name = xstrndup(a, name_len);
	if (!name)
		return -ENOMEM;
	if (!path_chars(name) || has_token(name) || strchr(name, '@'))
		return mask_from(arg, 0);
	if (eq)
		return eq[1] ? mask_from(arg, name_len + 1) : 0;
	if (a[1] == '-' || name_len <= 2)
		return 0;
	/* "-la", "-rfbport", X11-style "-passwd": kept when all lower case
	 * letters, digits and '-' and not a password flag with its value
	 * glued on ("-pSECRET"); anything else keeps its first letter. */
	bool plain = true;
	for (const char *p = a + 1; *p; p++)
		plain &= islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-';
	if (name_len == 3 && isalpha((unsigned char)a[1]) && isalpha((unsigned char)a[2]))
		plain = true; /* "-sS" */
	if (plain && !(pwflag && a[1] == pwflag) && a[1] != 'u')
		return 0;
	return mask_from(arg, 2);
}

static int mask_program(char **argv, size_t n, const char *comm)
{
	if (n && !program_ok(argv[0], comm))
		return mask_from(&argv[0], 0);
	return 0;
}

/* The program's short password flag: from argv[0], from comm, or from
 * the script an interpreter runs ("/bin/sh /usr/local/bin/mysql -p x"). */
static char pw_flag_of(char *const *argv, size_t n, const char *comm)
{
	char f = n ? program_pw_flag(argv[0]) : 0;
	if (!f && comm)
		f = program_pw_flag(comm);
	if (f || n < 2 || !is_interpreter(base_name(argv[0])))
		return f;
	for (size_t i = 1; i < n; i++)
		if (argv[i][0] != '-')
			return program_pw_flag(argv[i]);
	return 0;
}

int proc_mask_argv_minimal(char **argv, size_t n, const char *comm)
{
	char pwflag = pw_flag_of(argv, n, comm);
	if (mask_program(argv, n, comm) < 0)
		return -ENOMEM;
	for (size_t i = 1; i < n; i++) {
		const char *a = argv[i];
		int r = 0;
		/* After "&&", "|", ";" (a cron or Exec= line) comes a program. */
		bool after_op = is_shell_op(argv[i - 1]) && !strpbrk(argv[i - 1], "<>");
		if (!*a || is_shell_op(a) || keep_path(a) || strcmp(a, "--") == 0 ||
		    (after_op && program_ok(a, NULL)))
			continue;
		if (a[0] == '-' && a[1] != '\0')
			r = minimal_flag(&argv[i], pwflag);
		else
			r = mask_from(&argv[i], 0);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The next few words after a header name split off by blanks ("-H
 * 'Authorization: Bearer x'" in a cron line): masked up to the word that
 * closes the quote, at most 3. */
static int mask_header_words(char **argv, size_t n, size_t *i)
{
	for (size_t k = 0; k < 3 && *i + 1 < n; k++) {
		char *w = argv[++*i];
		size_t wl = strlen(w);
		bool closes = wl && (w[wl - 1] == '\'' || w[wl - 1] == '"');
		if (mask_from(&argv[*i], 0) < 0)
			return -ENOMEM;
		if (closes)
			break;
	}
	return 0;
}

static int mask_one(char **argv, size_t n, size_t *i, char pwflag)
{
	const char *a = argv[*i];
	size_t end = 0, off = assignment_value(a);
	int uf = user_flag(a);
	if (has_token(a))
		return mask_from(&argv[*i], 0);
	if (!off)
		off = url_password(a, &end);
	if (!off && pwflag && a[0] == '-' && a[1] == pwflag && a[2] != '\0')
		off = 2; /* mysql -pSECRET */
	if (!off && (off = header_value(a)) != 0) {
		if (a[off] == '\0')
			return mask_header_words(argv, n, i);
	}
	if (off && a[off] != '\0')
		return mask_range(&argv[*i], off, end);
	if (uf == 2)
		return mask_user_value(&argv[*i], 2);
	if (uf == 1 && *i + 1 < n) {
		++*i;
		return has_token(argv[*i]) ? mask_from(&argv[*i], 0)
					   : mask_user_value(&argv[*i], 0);
	}
	if (flag_takes_secret(a, pwflag) && *i + 1 < n)
		return mask_from(&argv[++*i], 0);
	return mask_embedded(&argv[*i]);
}

int proc_mask_argv(char **argv, size_t n)
{
	return proc_mask_argv_full(argv, n, NULL);
}

int proc_mask_argv_full(char **argv, size_t n, const char *comm)
{
	char pwflag = pw_flag_of(argv, n, comm);
	size_t i = 1;
	if (n && !program_ok(argv[0], comm)) {
		/* `exec -a "-p secret" mysql`: the words of argv[0] were split, and
		 * the first may be a flag whose value follows it. */
		size_t k = 0;
		if (mask_one(argv, n, &k, pwflag) < 0 || mask_from(&argv[0], 0) < 0)
			return -ENOMEM;
		i = k + 1;
	}
	for (; i < n; i++)
		if (mask_one(argv, n, &i, pwflag) < 0)
			return -ENOMEM;
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

/* argv[0] rewritten with blanks (`exec -a "prog --password x"`, or
 * "sshd: user [priv]"): split it into words so that each is judged.
 * *ret_words: how many words argv[0] gave (1 when not split). */
static int split_argv0(char ***v, size_t *n, size_t *ret_words)
{
	*ret_words = *n ? 1 : 0;
	if (!*n || !strpbrk((*v)[0], " \t"))
		return 0;
	char **w = NULL;
	size_t wn = 0;
	if (split((*v)[0], strlen((*v)[0]), false, &w, &wn) < 0)
		return -ENOMEM;
	char **nv = realloc(w, (wn + *n - 1 + 1) * sizeof(*nv));
	if (!nv) {
		argv_free(w, wn);
		return -ENOMEM;
	}
	memcpy(nv + wn, *v + 1, (*n - 1) * sizeof(*nv));
	free((*v)[0]);
	free(*v);
	*v = nv;
	*n = wn + *n - 1;
	*ret_words = wn;
	return 0;
}

char *proc_cmdline_view(const char *s, size_t len, bool on_nul, const char *comm,
			enum cmdline_view view)
{
	char **v = NULL;
	size_t n = 0;
	if (on_nul && len && s[len - 1] == '\0')
		len--; /* the terminator of the last argument */
	if (split(s, len, on_nul, &v, &n) < 0)
		return NULL;
	size_t words = 0;
	int r = split_argv0(&v, &n, &words);
	/* An argv[0] that is not the program (exec -a) is the writer's free
	 * text: none of its words is shown, in either view ("-p secret"). */
	if (r == 0 && words > 1 && !program_ok(v[0], comm))
		for (size_t i = 0; r == 0 && i < words; i++)
			r = mask_from(&v[i], 0);
	struct strbuf sb;
	strbuf_init(&sb, (size_t)-1);
	if (r == 0)
		r = view == CMDLINE_FULL ? proc_mask_argv_full(v, n, comm)
					 : proc_mask_argv_minimal(v, n, comm);
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
	return proc_cmdline_view(buf, len, true, NULL, CMDLINE_FULL);
}

char *proc_command_masked(const char *s, size_t len)
{
	return proc_cmdline_view(s, len, false, NULL, CMDLINE_FULL);
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
		if (!isalnum(c) && !memchr(":_.\\@-", c, 6)) /* a NUL is no unit character */
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
