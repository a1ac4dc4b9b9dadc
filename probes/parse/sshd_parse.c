/* sshd_parse.c - sshd_config(5) read and evaluated the way OpenSSH 9.x's
 * sshd does (servconf.c process_server_config_line_depth, misc.c
 * argv_split/strdelim), checked against `sshd -T` of OpenSSH 9.2p1 by
 * tests/e2e/ssh.sh. Pure: files come through the caller's reader. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <strings.h>

#include "lib/limits.h"
#include "probes/parse/sshd_parse.h"
#include "lib/util.h"

#define SSHD_DIR "/etc/ssh"

/* ---- keywords -------------------------------------------------------- */

enum kw_kind {
	K_FLAG,	    /* yes | no, first wins */
	K_ROOT,	    /* PermitRootLogin's states */
	K_INT,	    /* non-negative integer, first wins */
	K_TIME,	    /* sshd time format (1m30s), first wins */
	K_LOGLEVEL, /* QUIET .. DEBUG3 */
	K_FACILITY, /* DAEMON USER AUTH AUTHPRIV LOCAL0-7 */
	K_STR,	    /* first argument, first wins */
	K_LIST,	    /* every argument of every line, accumulated */
	K_ARGS,	    /* every argument of the first line */
	K_PORT,	    /* accumulated port numbers */
	K_LISTEN,   /* accumulated addresses */
	K_FAMILY,   /* any | inet | inet6 */
	K_OTHER,    /* known, not evaluated: first line kept as text */
	K_IGNORED,  /* deprecated or unsupported: sshd logs and goes on */
	K_MATCH,
	K_INCLUDE,
};

struct keyword {
	const char *name;  /* lowercase, as sshd_config(5) spells it folded */
	const char *canon; /* alias target, or NULL */
	enum kw_kind kind;
	bool match;  /* allowed inside a Match block */
	bool report; /* a column of the "sshd" collection */
};

/* The keywords of OpenSSH 9.2p1 as Debian builds it (with its GSSAPI
 * key-exchange patch and DebianBanner); `sshd -T` prints the canonical
 * ones. Unknown words make sshd refuse to start. */
static const struct keyword keywords[] = {
    {"acceptenv", NULL, K_LIST, true, false},
    {"addressfamily", NULL, K_FAMILY, false, false},
    {"afstokenpassing", NULL, K_IGNORED, false, false},
    {"allowagentforwarding", NULL, K_OTHER, true, false},
    {"allowgroups", NULL, K_LIST, true, true},
    {"allowstreamlocalforwarding", NULL, K_OTHER, true, false},
    {"allowtcpforwarding", NULL, K_OTHER, true, false},
    {"allowusers", NULL, K_LIST, true, true},
    {"authenticationmethods", NULL, K_ARGS, true, true},
    {"authorizedkeyscommand", NULL, K_OTHER, true, false},
    {"authorizedkeyscommanduser", NULL, K_OTHER, true, false},
    {"authorizedkeysfile", NULL, K_ARGS, true, false},
    {"authorizedkeysfile2", NULL, K_IGNORED, false, false},
    {"authorizedprincipalscommand", NULL, K_OTHER, true, false},
    {"authorizedprincipalscommanduser", NULL, K_OTHER, true, false},
    {"authorizedprincipalsfile", NULL, K_OTHER, true, false},
    {"banner", NULL, K_OTHER, true, false},
    {"casignaturealgorithms", NULL, K_OTHER, true, false},
    {"challengeresponseauthentication", "kbdinteractiveauthentication", K_FLAG, true, true},
    {"channeltimeout", NULL, K_OTHER, true, false},
    {"checkmail", NULL, K_IGNORED, false, false},
    {"chrootdirectory", NULL, K_OTHER, true, false},
    {"ciphers", NULL, K_STR, false, true},
    {"clientalivecountmax", NULL, K_OTHER, true, false},
    {"clientaliveinterval", NULL, K_OTHER, true, false},
    {"compression", NULL, K_OTHER, false, false},
    {"debianbanner", NULL, K_OTHER, false, false},
    {"denygroups", NULL, K_LIST, true, true},
    {"denyusers", NULL, K_LIST, true, true},
    {"disableforwarding", NULL, K_OTHER, true, false},
    {"dsaauthentication", "pubkeyauthentication", K_FLAG, true, true},
    {"exposeauthinfo", NULL, K_OTHER, true, false},
    {"fingerprinthash", NULL, K_OTHER, false, false},
    {"forcecommand", NULL, K_OTHER, true, false},
    {"gatewayports", NULL, K_OTHER, true, false},
    {"gssapiauthentication", NULL, K_OTHER, true, false},
    {"gssapicleanupcreds", "gssapicleanupcredentials", K_OTHER, false, false},
    {"gssapicleanupcredentials", NULL, K_OTHER, false, false},
    {"gssapikexalgorithms", NULL, K_OTHER, false, false},
    {"gssapikeyexchange", NULL, K_OTHER, false, false},
    {"gssapistorecredentialsonrekey", NULL, K_OTHER, false, false},
    {"gssapistrictacceptorcheck", NULL, K_OTHER, false, false},
    {"gssapiusesessioncredcache", NULL, K_IGNORED, false, false},
    {"gssusesessionccache", NULL, K_IGNORED, false, false},
    {"hostbasedacceptedalgorithms", NULL, K_OTHER, true, false},
    {"hostbasedacceptedkeytypes", "hostbasedacceptedalgorithms", K_OTHER, true, false},
    {"hostbasedauthentication", NULL, K_OTHER, true, false},
    {"hostbasedusesnamefrompacketonly", NULL, K_OTHER, true, false},
    {"hostcertificate", NULL, K_LIST, false, false},
    {"hostdsakey", "hostkey", K_LIST, false, false},
    {"hostkey", NULL, K_LIST, false, false},
    {"hostkeyagent", NULL, K_OTHER, false, false},
    {"hostkeyalgorithms", NULL, K_OTHER, false, false},
    {"ignorerhosts", NULL, K_OTHER, true, false},
    {"ignoreuserknownhosts", NULL, K_OTHER, true, false},
    {"include", NULL, K_INCLUDE, true, false},
    {"ipqos", NULL, K_OTHER, true, false},
    {"kbdinteractiveauthentication", NULL, K_FLAG, true, true},
    {"keepalive", "tcpkeepalive", K_OTHER, false, false},
    {"kerberosauthentication", NULL, K_OTHER, true, false},
    {"kerberosgetafstoken", NULL, K_IGNORED, false, false},
    {"kerberosorlocalpasswd", NULL, K_OTHER, false, false},
    {"kerberostgtpassing", NULL, K_IGNORED, false, false},
    {"kerberosticketcleanup", NULL, K_OTHER, false, false},
    {"keyregenerationinterval", NULL, K_IGNORED, false, false},
    {"kexalgorithms", NULL, K_STR, false, true},
    {"listenaddress", NULL, K_LISTEN, false, true},
    {"logingracetime", NULL, K_TIME, false, true},
    {"loglevel", NULL, K_LOGLEVEL, true, true},
    {"logverbose", NULL, K_OTHER, true, false},
    {"macs", NULL, K_STR, false, true},
    {"match", NULL, K_MATCH, true, false},
    {"maxauthtries", NULL, K_INT, true, true},
    {"maxsessions", NULL, K_OTHER, true, false},
    {"maxstartups", NULL, K_OTHER, false, false},
    {"modulifile", NULL, K_OTHER, false, false},
    {"pamauthenticationviakbdint", NULL, K_IGNORED, false, false},
    {"passwordauthentication", NULL, K_FLAG, true, true},
    {"permitblacklistedkeys", NULL, K_IGNORED, false, false},
    {"permitemptypasswords", NULL, K_FLAG, true, true},
    {"permitlisten", NULL, K_OTHER, true, false},
    {"permitopen", NULL, K_OTHER, true, false},
    {"permitrootlogin", NULL, K_ROOT, true, true},
    {"permittty", NULL, K_OTHER, true, false},
    {"permittunnel", NULL, K_OTHER, true, false},
    {"permituserenvironment", NULL, K_OTHER, false, false},
    {"permituserrc", NULL, K_OTHER, true, false},
    {"persourcemaxstartups", NULL, K_OTHER, false, false},
    {"persourcenetblocksize", NULL, K_OTHER, false, false},
    {"pidfile", NULL, K_OTHER, false, false},
    {"port", NULL, K_PORT, false, true},
    {"printlastlog", NULL, K_OTHER, false, false},
    {"printmotd", NULL, K_OTHER, false, false},
    {"protocol", NULL, K_IGNORED, false, false},
    {"pubkeyacceptedalgorithms", NULL, K_OTHER, true, false},
    {"pubkeyacceptedkeytypes", "pubkeyacceptedalgorithms", K_OTHER, true, false},
    {"pubkeyauthentication", NULL, K_FLAG, true, true},
    {"pubkeyauthoptions", NULL, K_OTHER, true, false},
    {"rdomain", NULL, K_OTHER, true, false},
    {"rekeylimit", NULL, K_OTHER, true, false},
    {"requiredrsasize", NULL, K_OTHER, true, false},
    {"reversemappingcheck", NULL, K_IGNORED, false, false},
    {"revokedkeys", NULL, K_OTHER, true, false},
    {"rhostsauthentication", NULL, K_IGNORED, false, false},
    {"rhostsrsaauthentication", NULL, K_IGNORED, false, false},
    {"rsaauthentication", NULL, K_IGNORED, false, false},
    {"securitykeyprovider", NULL, K_OTHER, false, false},
    {"serverkeybits", NULL, K_IGNORED, false, false},
    {"setenv", NULL, K_OTHER, true, false},
    {"skeyauthentication", "kbdinteractiveauthentication", K_FLAG, true, true},
    {"streamlocalbindmask", NULL, K_OTHER, true, false},
    {"streamlocalbindunlink", NULL, K_OTHER, true, false},
    {"strictmodes", NULL, K_OTHER, false, false},
    {"subsystem", NULL, K_OTHER, false, false},
    {"syslogfacility", NULL, K_FACILITY, false, true},
    {"tcpkeepalive", NULL, K_OTHER, false, false},
    {"trustedusercakeys", NULL, K_OTHER, true, false},
    {"unusedconnectiontimeout", NULL, K_OTHER, true, false},
    {"usedns", NULL, K_OTHER, false, false},
    {"uselogin", NULL, K_IGNORED, false, false},
    {"usepam", NULL, K_FLAG, false, true},
    {"useprivilegeseparation", NULL, K_IGNORED, false, false},
    {"verifyreversemapping", NULL, K_IGNORED, false, false},
    {"versionaddendum", NULL, K_OTHER, false, false},
    {"x11displayoffset", NULL, K_OTHER, true, false},
    {"x11forwarding", NULL, K_FLAG, true, true},
    {"x11uselocalhost", NULL, K_OTHER, true, false},
    {"xauthlocation", NULL, K_OTHER, false, false},
};

static const struct keyword *kw_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
		if (strcasecmp(keywords[i].name, name) == 0)
			return &keywords[i];
	return NULL;
}

/* The entry of a canonical name (aliases point here). */
static const struct keyword *kw_canon(const struct keyword *k)
{
	return k->canon ? kw_find(k->canon) : k;
}

/* ---- tokenizer --------------------------------------------------------- */

/* One word starting at s[*i] into a new string (argv_split's inner loop). */
static int split_word(const char *s, size_t len, size_t *i, char **ret)
{
	_cleanup_free_ char *w = malloc(len - *i + 1);
	size_t j = 0;
	char quote = 0;
	if (!w)
		return -ENOMEM;
	for (; *i < len; (*i)++) {
		char ch = s[*i];
		if (ch == '\\' && *i + 1 < len &&
		    (s[*i + 1] == '\'' || s[*i + 1] == '"' || s[*i + 1] == '\\' ||
		     (!quote && s[*i + 1] == ' ')))
			w[j++] = s[++(*i)];
		else if (!quote && (ch == ' ' || ch == '\t'))
			break;
		else if (!quote && (ch == '"' || ch == '\''))
			quote = ch;
		else if (quote && ch == quote)
			quote = 0;
		else
			w[j++] = ch;
	}
	if (quote)
		return -EINVAL;
	w[j] = '\0';
	*ret = TAKE_PTR(w);
	return 0;
}

int sshd_argv_split(const char *s, size_t len, char ***ret, size_t max)
{
	char **v = calloc(1, sizeof(*v));
	size_t n = 0;
	int r = 0;
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < len && r == 0; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (s[i] == '#')
			break;
		char **nv = n < max ? reallocarray(v, n + 2, sizeof(*v)) : NULL;
		if (!nv) {
			r = n < max ? -ENOMEM : -E2BIG;
			break;
		}
		v = nv;
		v[n + 1] = NULL;
		r = split_word(s, len, &i, &v[n]);
		if (r == 0)
			n++;
		else
			v[n] = NULL;
	}
	if (r < 0) {
		strv_free(v);
		return r;
	}
	*ret = v;
	return (int)n;
}

/* ---- the loaded configuration ---------------------------------------- */

void sshd_config_free(struct sshd_config *c)
{
	for (size_t i = 0; i < c->nd; i++) {
		free(c->d[i].keyword);
		strv_free(c->d[i].argv);
		free(c->d[i].file);
	}
	for (size_t i = 0; i < c->nb; i++) {
		free(c->b[i].criteria);
		strv_free(c->b[i].argv);
		free(c->b[i].file);
	}
	for (size_t i = 0; i < c->nis; i++) {
		free(c->is[i].file);
		free(c->is[i].ja);
		free(c->is[i].en);
	}
	free(c->d);
	free(c->b);
	free(c->is);
	*c = (struct sshd_config){0};
}

/* Make room for one more element of size sz in *v (n used, *cap allocated). */
static int grow(void **v, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 16;
	void *nv = reallocarray(*v, nc, sz);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = nc;
	return 0;
}

/* "text: arg" (or text alone), a new string. */
static char *with_arg(const char *text, const char *arg)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_LINE + 1024);
	if (strbuf_puts(&sb, text) < 0 || (arg && strbuf_printf(&sb, ": %.200s", arg) < 0)) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

/* Record an issue in both languages, each followed by ": arg" if any. */
static int issue(struct sshd_config *c, const char *file, unsigned line, bool fatal, const char *ja,
		 const char *en, const char *arg)
{
	if (grow((void **)&c->is, c->nis, &c->capis, sizeof(*c->is)) < 0)
		return -ENOMEM;
	struct sshd_issue is = {strdup(file), line, with_arg(ja, arg), with_arg(en, arg), fatal};
	if (!is.file || !is.ja || !is.en) {
		free(is.file);
		free(is.ja);
		free(is.en);
		return -ENOMEM;
	}
	c->is[c->nis++] = is;
	c->errors += fatal;
	return 0;
}

/* ---- values ------------------------------------------------------------ */

/* sshd's convtime(): "90", "1m30s", "2h"; -1 if malformed. */
static long convtime(const char *s)
{
	long total = 0;
	if (!*s)
		return -1;
	while (*s) {
		long mult = 1, secs = 0;
		if (!isdigit((unsigned char)*s))
			return -1;
		for (; isdigit((unsigned char)*s); s++) {
			secs = secs * 10 + (*s - '0');
			if (secs > 0x7fffffffL)
				return -1;
		}
		switch (*s) {
		case '\0':
			break;
		case 's':
		case 'S':
			s++;
			break;
		case 'm':
		case 'M':
			mult = 60;
			s++;
			break;
		case 'h':
		case 'H':
			mult = 3600;
			s++;
			break;
		case 'd':
		case 'D':
			mult = 86400;
			s++;
			break;
		case 'w':
		case 'W':
			mult = 604800;
			s++;
			break;
		default:
			return -1;
		}
		if (secs > 0x7fffffffL / mult || total > 0x7fffffffL - secs * mult)
			return -1;
		total += secs * mult;
	}
	return total;
}

/* The canonical name of s in names (case-insensitive), or NULL. Pairs:
 * spelling, canonical. */
static const char *lookup(const char *const (*names)[2], size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(names[i][0], s) == 0)
			return names[i][1];
	return NULL;
}

static const char *const root_states[][2] = {
    {"yes", "yes"},
    {"no", "no"},
    {"prohibit-password", "prohibit-password"},
    {"without-password", "prohibit-password"},
    {"forced-commands-only", "forced-commands-only"},
};
static const char *const log_levels[][2] = {
    {"quiet", "QUIET"},	 {"fatal", "FATAL"},	 {"error", "ERROR"},
    {"info", "INFO"},	 {"verbose", "VERBOSE"}, {"debug", "DEBUG"},
    {"debug1", "DEBUG"}, {"debug2", "DEBUG2"},	 {"debug3", "DEBUG3"},
};
static const char *const facilities[][2] = {
    {"daemon", "DAEMON"}, {"user", "USER"},	{"auth", "AUTH"},     {"authpriv", "AUTHPRIV"},
    {"local0", "LOCAL0"}, {"local1", "LOCAL1"}, {"local2", "LOCAL2"}, {"local3", "LOCAL3"},
    {"local4", "LOCAL4"}, {"local5", "LOCAL5"}, {"local6", "LOCAL6"}, {"local7", "LOCAL7"},
};
static const char *const families[][2] = {{"any", "any"}, {"inet", "inet"}, {"inet6", "inet6"}};

static long port_number(const char *s)
{
	long v;
	if (!isdigit((unsigned char)*s) || parse_long(s, &v) < 0 || v < 1 || v > 65535)
		return -1;
	return v;
}

/* A ListenAddress argument into host and port (0: every Port); false if
 * sshd refuses it. host is a new string. */
static bool listen_split(const char *arg, char **ret_host, long *ret_port)
{
	const char *colon = strchr(arg, ':');
	const char *h = arg, *he, *p = NULL;
	*ret_port = 0;
	if (!strchr(arg, '[') && colon && strchr(colon + 1, ':')) {
		he = arg + strlen(arg); /* a bare IPv6 address */
	} else if (arg[0] == '[') {
		h = arg + 1;
		he = strchr(h, ']');
		if (!he || (he[1] && he[1] != ':'))
			return false;
		p = he[1] == ':' ? he + 2 : NULL;
	} else {
		he = colon ? colon : arg + strlen(arg);
		p = colon ? colon + 1 : NULL;
	}
	if (he == h || (p && (*ret_port = port_number(p)) < 0))
		return false;
	*ret_host = xstrndup(h, (size_t)(he - h));
	return *ret_host != NULL;
}

/* The array-valued and textual keywords' value (see kw_value). */
static json_t *list_value(const struct keyword *k, char *const *argv, size_t argc,
			  const char **ret_err)
{
	json_auto_t *a = json_array();
	if (!a)
		return NULL;
	if (k->kind == K_LISTEN) {
		_cleanup_free_ char *host = NULL;
		long port;
		*ret_err = "bad address:port usage";
		if (!listen_split(argv[0], &host, &port) ||
		    (argc > 1 && (argc != 3 || strcmp(argv[1], "rdomain") != 0)))
			return NULL;
		if (json_array_append_new(a, json_str(host)) < 0 ||
		    json_array_append_new(a, json_integer(port)) < 0)
			return NULL;
		return json_incref(a);
	}
	if (k->kind == K_OTHER) {
		struct strbuf sb;
		strbuf_init(&sb, (size_t)-1);
		for (size_t i = 0; i < argc; i++)
			if ((i && strbuf_puts(&sb, " ") < 0) || strbuf_puts(&sb, argv[i]) < 0) {
				strbuf_free(&sb);
				return NULL;
			}
		_cleanup_free_ char *t = strbuf_steal(&sb);
		return json_str(t);
	}
	*ret_err = "\"any\" must appear alone in AuthenticationMethods";
	for (size_t i = 0; i < argc; i++) {
		if (k->kind == K_ARGS && argc > 1 && strcmp(argv[i], "any") == 0)
			return NULL;
		if (json_array_append_new(a, json_str(argv[i])) < 0)
			return NULL;
	}
	return json_incref(a);
}

/* The value of one directive as a JSON value, or NULL with *ret_err set
 * (English, static) if sshd would refuse it. Lists are arrays. */
static json_t *kw_value(const struct keyword *k, char *const *argv, size_t argc,
			const char **ret_err)
{
	const char *s = NULL;
	long v;
	*ret_err = "unsupported option";
	switch (k->kind) {
	case K_FLAG:
		if (strcasecmp(argv[0], "yes") == 0 || strcasecmp(argv[0], "no") == 0)
			return json_boolean(strcasecmp(argv[0], "yes") == 0);
		return NULL;
	case K_ROOT:
		s = lookup(root_states, ARRAY_SIZE(root_states), argv[0]);
		break;
	case K_LOGLEVEL:
		s = lookup(log_levels, ARRAY_SIZE(log_levels), argv[0]);
		break;
	case K_FACILITY:
		s = lookup(facilities, ARRAY_SIZE(facilities), argv[0]);
		break;
	case K_FAMILY:
		s = lookup(families, ARRAY_SIZE(families), argv[0]);
		break;
	case K_INT:
		*ret_err = "integer value expected";
		if (!isdigit((unsigned char)argv[0][0]) || parse_long(argv[0], &v) < 0 ||
		    v > 0x7fffffffL)
			return NULL;
		return json_integer(v);
	case K_TIME:
		*ret_err = "invalid time value";
		v = convtime(argv[0]);
		return v < 0 ? NULL : json_integer(v);
	case K_PORT:
		*ret_err = "Badly formatted port number";
		v = port_number(argv[0]);
		return v < 0 ? NULL : json_integer(v);
	case K_STR:
		return json_str(argv[0]);
	default:
		return list_value(k, argv, argc, ret_err);
	}
	return s ? json_string(s) : NULL;
}

/* ---- loading: lines, Match, Include --------------------------------- */

struct loader {
	struct sshd_config *c;
	const struct sshd_io *io;
	bool stopped;	  /* a limit was hit: nothing more is read */
	bool methods_set; /* a line active at load set AuthenticationMethods */
};

static bool single_valued(enum kw_kind k)
{
	return k <= K_STR || k == K_PORT || k == K_FAMILY;
}

static int add_directive(struct loader *ld, const struct keyword *k, char ***argv, size_t argc,
			 const char *file, unsigned line, int block)
{
	struct sshd_config *c = ld->c;
	if (c->nd >= LIMIT_SSHD_DIRECTIVES) {
		ld->stopped = true;
		return issue(c, file, line, true, "設定行が多すぎるため以降を読みません",
			     "too many configuration lines; the rest is not read", NULL);
	}
	if (grow((void **)&c->d, c->nd, &c->capd, sizeof(*c->d)) < 0)
		return -ENOMEM;
	struct sshd_directive d = {
	    strdup(kw_canon(k)->name), *argv, argc, strdup(file), line, block};
	*argv = NULL;
	c->d[c->nd++] = d;
	return d.keyword && d.file ? 0 : -ENOMEM;
}

/* Join argv with single spaces (new string). */
static char *join(char *const *argv, size_t argc)
{
	struct strbuf sb;
	strbuf_init(&sb, (size_t)-1);
	for (size_t i = 0; i < argc; i++)
		if ((i && strbuf_puts(&sb, " ") < 0) || strbuf_puts(&sb, argv[i]) < 0) {
			strbuf_free(&sb);
			return NULL;
		}
	return strbuf_steal(&sb);
}

/* A LocalPort argument as a2port reads a number: 0..65535, -1 if it is
 * no number (sshd would then look it up in the services database), -2 if
 * it is a number out of range. */
static long local_port(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end != '\0')
		return strspn(s, "0123456789+- \t") == strlen(s) ? -2 : -1;
	return errno || v < 0 || v > 65535 ? -2 : (long)v;
}

/* The value of one Match attribute, checked as sshd checks it when it
 * loads the file; NULL if fine. */
static const char *match_value_error(const char *attr, const char *arg)
{
	if ((!strcasecmp(attr, "address") || !strcasecmp(attr, "localaddress")) &&
	    sshd_addr_match_list(NULL, arg) != 0)
		return "Invalid Match address argument";
	if (!strcasecmp(attr, "localport") && local_port(arg) == -2)
		return "Invalid LocalPort on Match line";
	return NULL;
}

/* sshd's match_cfg_line() syntax check: "all" alone, or attribute-value
 * pairs of known attributes with valid values. */
static const char *match_syntax(char *const *argv, size_t argc)
{
	static const char *const attrs[] = {"user",	 "group",   "host",   "localaddress",
					    "localport", "rdomain", "address"};
	if (argc == 0)
		return "Missing Match criteria";
	if (strcasecmp(argv[0], "all") == 0)
		return argc == 1 ? NULL : "'all' cannot be combined with other Match attributes";
	for (size_t i = 0; i < argc; i += 2) {
		bool known = false;
		for (size_t a = 0; a < ARRAY_SIZE(attrs); a++)
			known |= strcasecmp(argv[i], attrs[a]) == 0;
		if (!known)
			return "Unsupported Match attribute";
		if (i + 1 >= argc)
			return "Missing Match criteria";
		const char *err = match_value_error(argv[i], argv[i + 1]);
		if (err)
			return err;
	}
	return NULL;
}

/* Append the strings of add to *v (n used). */
static int strv_extend(char ***v, size_t *n, char *const *add, size_t nadd)
{
	for (size_t i = 0; i < nadd; i++)
		if (strv_push_n(v, n, add[i], strlen(add[i])) < 0)
			return -ENOMEM;
	return 0;
}

/* The block's own criteria after its parent's (a narrower parent's
 * criteria are ANDed in front; "Match all" adds none). */
static int block_criteria(struct sshd_block *b, const struct sshd_block *p, char *const *argv,
			  size_t argc, bool all)
{
	bool narrow = p && !p->all;
	_cleanup_free_ char *own = join(argv, argc);
	if (!own)
		return -ENOMEM;
	if (!narrow)
		b->criteria = TAKE_PTR(own);
	else if (all)
		b->criteria = strdup(p->criteria);
	else if (asprintf(&b->criteria, "%s %s", p->criteria, own) < 0)
		b->criteria = NULL;
	b->argv = calloc(1, sizeof(*b->argv));
	if (!b->criteria || !b->argv)
		return -ENOMEM;
	if (narrow && strv_extend(&b->argv, &b->argc, p->argv, p->argc) < 0)
		return -ENOMEM;
	return all ? 0 : strv_extend(&b->argv, &b->argc, argv, argc);
}

/* A Match line opens block *cur; an enclosing block (from an Include
 * inside a Match) narrows it: its criteria are ANDed in front. */
static int open_block(struct loader *ld, char *const *argv, size_t argc, const char *file,
		      unsigned line, int parent, int *cur)
{
	struct sshd_config *c = ld->c;
	const char *err = match_syntax(argv, argc);
	if (err && issue(c, file, line, true, "Match の条件が不正です", err, NULL) < 0)
		return -ENOMEM;
	bool all = !err && strcasecmp(argv[0], "all") == 0;
	if (grow((void **)&c->b, c->nb, &c->capb, sizeof(*c->b)) < 0)
		return -ENOMEM;
	const struct sshd_block *p = parent >= 0 ? &c->b[parent] : NULL;
	struct sshd_block *b = &c->b[c->nb];
	*b = (struct sshd_block){.file = strdup(file), .line = line};
	b->all = all && !(p && !p->all);
	b->bad = err || (p && p->bad);
	*cur = (int)c->nb++;
	if (block_criteria(b, p, argv, argc, all) < 0 || !b->file)
		return -ENOMEM;
	return 0;
}

static int load_file(struct loader *ld, const char *path, unsigned depth, int parent);

/* Include: each argument a glob, relative to /etc/ssh, matches in
 * lexical order, read in the context of the current Match block. */
static int include(struct loader *ld, char *const *argv, size_t argc, const char *file,
		   unsigned line, unsigned depth, int cur)
{
	for (size_t i = 0; i < argc && !ld->stopped; i++) {
		_cleanup_free_ char *pat = NULL;
		_cleanup_strv_ char **m = NULL;
		if (argv[i][0] == '~')
			continue; /* sshd globs without GLOB_TILDE: matches nothing */
		pat = argv[i][0] == '/' ? strdup(argv[i]) : path_join(SSHD_DIR, argv[i]);
		if (!pat)
			return -ENOMEM;
		if (depth + 1 > LIMIT_INCLUDE_DEPTH)
			return issue(ld->c, file, line, true, "Include の入れ子が深すぎます",
				     "Too many recursive configuration includes", pat);
		int r = ld->io->glob(ld->io->ud, pat, &m);
		if (r == -ENOMEM)
			return r;
		if (r < 0 && issue(ld->c, file, line, true, "Include のパターンを展開できません",
				   "Include pattern could not be expanded", pat) < 0)
			return -ENOMEM;
		if (r >= 0 && !m[0] && !strpbrk(pat, "*?[") &&
		    issue(ld->c, file, line, false,
			  "Include に一致するファイルがありません（sshd は無視します）",
			  "Include matches no file (sshd ignores it)", pat) < 0)
			return -ENOMEM;
		for (size_t k = 0; r >= 0 && m[k] && !ld->stopped; k++)
			if (load_file(ld, m[k], depth + 1, cur) == -ENOMEM)
				return -ENOMEM;
	}
	return 0;
}

/* The keyword of a line (strdelim: up to a blank or '='), the rest after
 * blanks and at most one '='. */
static void split_keyword(const char *s, size_t n, size_t *ret_kwlen, const char **ret_rest)
{
	size_t i = 0;
	while (i < n && !strchr(" \t=", s[i]))
		i++;
	*ret_kwlen = i;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] == '=')
		i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*ret_rest = s + i;
}

/* AuthenticationMethods: sshd refuses "any" once a line it applies
 * while loading (global, or in "Match all") has set the methods, even
 * to "any" (servconf.c checks the count already set). */
static int methods_line(struct loader *ld, const struct keyword *k, char ***argv, size_t argc,
			const char *file, unsigned line, int cur)
{
	bool any = false;
	for (size_t i = 0; i < argc; i++)
		any |= strcmp((*argv)[i], "any") == 0;
	if (any && ld->methods_set)
		return issue(ld->c, file, line, true, "設定値が不正です",
			     "\"any\" must appear alone in AuthenticationMethods", k->name);
	ld->methods_set |= cur < 0 || ld->c->b[cur].all;
	return add_directive(ld, k, argv, argc, file, line, cur);
}

/* A directive line once its keyword is known. */
static int keyword_line(struct loader *ld, const struct keyword *k, char ***argv, size_t argc,
			const char *file, unsigned line, int cur)
{
	struct sshd_config *c = ld->c;
	const char *err = NULL;
	if (k->kind == K_IGNORED)
		return issue(c, file, line, false, "廃止またはサポート外の設定のため無視されます",
			     "deprecated or unsupported option, ignored", k->name);
	if (cur >= 0 && !c->b[cur].all && !k->match)
		return issue(c, file, line, true, "この設定は Match ブロック内では使えません",
			     "Directive is not allowed within a Match block", k->name);
	if (single_valued(k->kind) && argc != 1)
		return issue(c, file, line, true, "行末に余分な引数があります",
			     "extra arguments at end of line", k->name);
	json_t *v = kw_value(k, *argv, argc, &err);
	if (!v)
		return issue(c, file, line, true, "設定値が不正です", err, k->name);
	json_decref(v);
	if (k->kind == K_ARGS && strcmp(k->name, "authenticationmethods") == 0)
		return methods_line(ld, k, argv, argc, file, line, cur);
	return add_directive(ld, k, argv, argc, file, line, cur);
}

/* One line of a file; *cur is the Match block lines belong to. */
static int process_line(struct loader *ld, const struct line *l, const char *file, unsigned depth,
			int parent, int *cur)
{
	const char *s = l->s, *rest;
	size_t n = l->len, kwlen;
	const char *nul = memchr(s, '\0', n);
	if (nul) {
		n = (size_t)(nul - s); /* sshd reads lines as C strings */
		if (issue(ld->c, file, l->lineno, false, "NUL バイト以降は無視されます",
			  "the line is cut at a NUL byte", NULL) < 0)
			return -ENOMEM;
	}
	while (n > 0 && strchr(" \t\r\n\f", s[n - 1]))
		n--;
	while (n > 0 && strchr(" \t\r\n\f", s[0]))
		s++, n--;
	if (n == 0 || s[0] == '#')
		return 0;
	split_keyword(s, n, &kwlen, &rest);
	_cleanup_free_ char *kw = xstrndup(s, kwlen);
	char **argv = NULL;
	if (!kw)
		return -ENOMEM;
	if (rest == s + n)
		return issue(ld->c, file, l->lineno, true, "キーワードの後に値がありません",
			     "no argument after keyword", kw);
	int argc = sshd_argv_split(rest, (size_t)(s + n - rest), &argv, LIMIT_SSHD_ARGS);
	if (argc == -ENOMEM)
		return argc;
	if (argc < 0)
		return issue(ld->c, file, l->lineno, true, "引用符が閉じていないか引数が多すぎます",
			     "invalid quotes or too many arguments", kw);
	const struct keyword *k = kw_find(kw);
	int r;
	if (!k)
		r = issue(ld->c, file, l->lineno, true, "不明な設定項目です",
			  "Bad configuration option", kw);
	else if (k->kind == K_MATCH)
		r = open_block(ld, argv, (size_t)argc, file, l->lineno, parent, cur);
	else if (k->kind == K_INCLUDE)
		r = include(ld, argv, (size_t)argc, file, l->lineno, depth, *cur);
	else
		r = keyword_line(ld, k, &argv, (size_t)argc, file, l->lineno, *cur);
	strv_free(argv);
	return r;
}

/* The lines of a file read, and what it includes. */
static int load_lines(struct loader *ld, const char *path, const char *buf, size_t len,
		      unsigned depth, int parent)
{
	if (++ld->c->files > LIMIT_SSHD_FILES) {
		ld->stopped = true;
		return issue(ld->c, path, 0, true, "読み込むファイルが多すぎるため以降を読みません",
			     "too many included files; the rest is not read", NULL);
	}
	struct line_iter it;
	struct line l;
	int cur = parent;
	line_iter_init(&it, buf, len);
	while (!ld->stopped && line_iter_next(&it, &l))
		if (process_line(ld, &l, path, depth, parent, &cur) == -ENOMEM)
			return -ENOMEM;
	return 0;
}

static int load_file(struct loader *ld, const char *path, unsigned depth, int parent)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = ld->io->read(ld->io->ud, path, &buf, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0 && depth == 0)
		return r;
	if (r == -EINVAL)
		return issue(ld->c, path, 0, true, "通常のファイルではないため読み込めません",
			     "could not be read: not a regular file", NULL);
	if (r < 0)
		return issue(ld->c, path, 0, true, "読み込めません", "could not be read",
			     strerror(-r));
	r = load_lines(ld, path, buf, len, depth, parent);
	if (ld->io->done)
		ld->io->done(ld->io->ud, path);
	return r;
}

int sshd_config_load(struct sshd_config *c, const char *path, const struct sshd_io *io)
{
	struct loader ld = {c, io, false, false};
	return load_file(&ld, path, 0, -1);
}

/* ---- evaluation -------------------------------------------------------- */

static bool accumulates(enum kw_kind k)
{
	return k == K_LIST || k == K_PORT || k == K_LISTEN;
}

/* Which lines a fold takes: the global ones or not, and of the other
 * blocks ("Match all" blocks always count) those on says: per block 1
 * applies, 0 not, -1 unknown. on NULL: none. */
struct scope {
	bool global;
	const signed char *on;
};

static int line_on(const struct sshd_config *c, const struct scope *sc, int b)
{
	if (b < 0)
		return sc->global;
	if (c->b[b].all)
		return 1;
	return sc->on ? sc->on[b] : 0;
}

/* Add v (stolen) to the accumulation *acc (created on first use). */
static int accumulate(const struct keyword *k, json_t **acc, json_t *v)
{
	int r = -ENOMEM;
	if (!*acc)
		*acc = json_array();
	if (*acc)
		r = k->kind == K_LIST ? json_array_extend(*acc, v) : json_array_append(*acc, v);
	json_decref(v);
	return r < 0 ? -ENOMEM : 0;
}

/* Fold the lines for k that sc takes into a value: the first line's, or
 * every line's for accumulating keywords. NULL if no line set it, or if
 * a line of a block whose answer is unknown could have (*ret_unknown). */
static json_t *fold_in(const struct sshd_config *c, const struct keyword *k, const struct scope *sc,
		       const struct sshd_directive **ret_src, bool *ret_unknown)
{
	json_auto_t *acc = NULL;
	const char *err;
	for (size_t i = 0; i < c->nd; i++) {
		const struct sshd_directive *d = &c->d[i];
		if (strcmp(d->keyword, k->name) != 0)
			continue;
		int on = line_on(c, sc, d->block);
		if (on < 0)
			*ret_unknown = true;
		if (on < 0)
			return NULL;
		if (on == 0)
			continue;
		json_t *v = kw_value(k, d->argv, d->argc, &err);
		if (!v)
			return NULL;
		if (!acc)
			*ret_src = d;
		if (!accumulates(k->kind))
			return v;
		if (accumulate(k, &acc, v) < 0)
			return NULL;
	}
	return acc ? json_incref(acc) : NULL;
}

/* Fold the directives for k: in_match false takes the global lines and
 * "Match all" blocks, true the "Match all" blocks only. */
static json_t *fold(const struct sshd_config *c, const struct keyword *k, bool in_match,
		    const struct sshd_directive **ret_src)
{
	struct scope sc = {!in_match, NULL};
	bool unknown = false;
	return fold_in(c, k, &sc, ret_src, &unknown);
}

/* The value sshd -T prints for k, before defaults: "Match all" blocks
 * override what a Match block may set (parse_server_match_config). */
static json_t *effective(const struct sshd_config *c, const struct keyword *k,
			 const struct sshd_directive **ret_src)
{
	json_t *v = k->match ? fold(c, k, true, ret_src) : NULL;
	return v ? v : fold(c, k, false, ret_src);
}

/* Major*100+minor of "9.2p1"; -1 if unknown. */
static int version_num(const char *v)
{
	long maj = 0, min = 0;
	if (!v || !isdigit((unsigned char)*v))
		return -1;
	maj = strtol(v, (char **)&v, 10);
	if (*v == '.')
		min = strtol(v + 1, NULL, 10);
	return (int)(maj * 100 + min);
}

/* Compiled-in defaults (servconf.c fill_default_server_options). Only
 * PermitRootLogin changed in the versions a supported system runs: yes
 * before 7.0, prohibit-password since; the others have been the same
 * since OpenSSH 5.x. UsePAM's compiled default is no: Debian's shipped
 * sshd_config is what sets it to yes. */
static json_t *default_value(const char *kw, int ver)
{
	static const char *const str_defaults[][2] = {
	    {"loglevel", "INFO"}, {"syslogfacility", "AUTH"},	{"ciphers", "default"},
	    {"macs", "default"},  {"kexalgorithms", "default"},
	};
	if (strcmp(kw, "permitrootlogin") == 0)
		return ver < 0 ? json_null()
			       : json_string(ver >= 700 ? "prohibit-password" : "yes");
	if (!strcmp(kw, "passwordauthentication") || !strcmp(kw, "kbdinteractiveauthentication") ||
	    !strcmp(kw, "pubkeyauthentication"))
		return json_true();
	if (!strcmp(kw, "permitemptypasswords") || !strcmp(kw, "x11forwarding") ||
	    !strcmp(kw, "usepam"))
		return json_false();
	if (!strcmp(kw, "maxauthtries"))
		return json_integer(6);
	if (!strcmp(kw, "logingracetime"))
		return json_integer(120);
	if (!strcmp(kw, "authenticationmethods"))
		return json_pack("[s]", "any");
	if (!strcmp(kw, "port"))
		return json_pack("[i]", 22);
	for (size_t i = 0; i < ARRAY_SIZE(str_defaults); i++)
		if (!strcmp(kw, str_defaults[i][0]))
			return json_string(str_defaults[i][1]);
	return json_array(); /* allow/deny lists: none */
}

static int append_addr(json_t *out, const char *host, json_int_t port)
{
	char *s = NULL;
	bool v6 = strchr(host, ':') != NULL;
	if (asprintf(&s, v6 ? "[%s]:%lld" : "%s:%lld", host, (long long)port) < 0)
		return -ENOMEM;
	int r = json_array_append_new(out, json_str(s));
	free(s);
	return r;
}

/* "addr:port" for every address sshd listens on: each ListenAddress with
 * its own port or with every Port; none means every address of the
 * AddressFamily. */
static json_t *listen_addrs(const struct sshd_config *c, const json_t *ports)
{
	const struct sshd_directive *src = NULL;
	json_auto_t *la = fold(c, kw_find("listenaddress"), false, &src);
	json_auto_t *fam = fold(c, kw_find("addressfamily"), false, &src);
	const char *f = fam ? json_string_value(fam) : "any";
	json_auto_t *out = json_array();
	size_t i, k;
	json_t *a, *p;
	if (!out)
		return NULL;
	json_array_foreach(la, i, a) {
		json_int_t own = json_integer_value(json_array_get(a, 1));
		const char *host = json_string_value(json_array_get(a, 0));
		if (own && append_addr(out, host, own) < 0)
			return NULL;
		json_array_foreach(own ? NULL : ports, k, p)
			if (append_addr(out, host, json_integer_value(p)) < 0)
				return NULL;
	}
	json_array_foreach(la ? NULL : ports, k, p) {
		if (strcmp(f, "inet") != 0 && append_addr(out, "::", json_integer_value(p)) < 0)
			return NULL;
		if (strcmp(f, "inet6") != 0 &&
		    append_addr(out, "0.0.0.0", json_integer_value(p)) < 0)
			return NULL;
	}
	return json_incref(out);
}

/* One effective value and where it came from into o and sources. */
static int set_effective(const struct sshd_config *c, const struct keyword *k, int ver, json_t *o,
			 json_t *sources)
{
	const struct sshd_directive *src = NULL;
	json_t *v = effective(c, k, &src);
	char *where = NULL;
	if (!v)
		v = default_value(k->name, ver);
	if (src && asprintf(&where, "%s:%u", src->file, src->line) < 0)
		where = NULL;
	int r = json_set(o, k->name, v);
	if (r == 0)
		r = json_set(sources, k->name, src ? json_str(where) : json_string("default"));
	free(where);
	return r;
}

json_t *sshd_effective_json(const struct sshd_config *c, const char *version)
{
	int ver = version_num(version);
	json_auto_t *o = json_object(), *sources = json_object();
	unsigned restricting = 0;
	if (!o || !sources)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++) {
		const struct keyword *k = &keywords[i];
		if (!k->report || k->canon || k->kind == K_LISTEN)
			continue;
		if (set_effective(c, k, ver, o, sources) < 0)
			return NULL;
	}
	json_t *la = listen_addrs(c, json_object_get(o, "port"));
	const struct sshd_directive *src = NULL;
	json_decref(fold(c, kw_find("listenaddress"), false, &src));
	char *where = NULL;
	if (src && asprintf(&where, "%s:%u", src->file, src->line) < 0)
		return NULL;
	int e = json_set(o, "listenaddress", la);
	e |= json_set(sources, "listenaddress", src ? json_str(where) : json_string("default"));
	free(where);
	json_auto_t *blocks = sshd_match_json(c);
	size_t i;
	json_t *b;
	json_array_foreach(blocks, i, b)
		restricting += json_is_true(json_object_get(b, "restricts_access"));
	e |= json_set(o, "match_blocks", json_integer((json_int_t)c->nb));
	e |= json_set(o, "match_restrictions", json_integer(restricting));
	e |= json_set(o, "config_errors", json_integer(c->errors));
	e |= json_set(o, "sources", json_incref(sources));
	return e < 0 || !blocks ? NULL : json_incref(o);
}

/* A block's overrides: each keyword it sets, folded as sshd folds them. */
static json_t *block_overrides(const struct sshd_config *c, size_t bi)
{
	json_auto_t *o = json_object();
	const char *err;
	if (!o)
		return NULL;
	for (size_t i = 0; i < c->nd; i++) {
		const struct sshd_directive *d = &c->d[i];
		if (d->block != (int)bi)
			continue;
		const struct keyword *k = kw_find(d->keyword);
		json_t *have = json_object_get(o, d->keyword);
		json_t *v = kw_value(k, d->argv, d->argc, &err);
		if (!v)
			return NULL;
		if (have && accumulates(k->kind))
			json_array_extend(have, v);
		if (have) {
			json_decref(v);
			continue;
		}
		if (json_set(o, d->keyword, v) < 0)
			return NULL;
	}
	return json_incref(o);
}

json_t *sshd_match_json(const struct sshd_config *c)
{
	static const char *const restricting[] = {"allowusers", "allowgroups", "denyusers",
						  "denygroups"};
	json_auto_t *arr = json_array();
	if (!arr)
		return NULL;
	for (size_t i = 0; i < c->nb; i++) {
		json_t *ov = block_overrides(c, i);
		bool restricts = false;
		for (size_t k = 0; ov && k < ARRAY_SIZE(restricting); k++)
			restricts |= json_object_get(ov, restricting[k]) != NULL;
		json_t *b = json_pack("{s:o, s:o, s:I, s:b, s:o*, s:b}", "criteria",
				      json_str(c->b[i].criteria), "file", json_str(c->b[i].file),
				      "line", (json_int_t)c->b[i].line, "all", c->b[i].all,
				      "overrides", ov, "restricts_access", restricts);
		if (!b || json_array_append_new(arr, b) < 0)
			return NULL;
	}
	return json_incref(arr);
}

json_t *sshd_effective_list(const struct sshd_config *c, const char *keyword)
{
	const struct keyword *k = kw_find(keyword);
	const struct sshd_directive *src = NULL;
	json_t *v = k ? effective(c, k, &src) : NULL;
	if (v)
		return v;
	if (strcmp(keyword, "hostkey") == 0)
		return json_pack("[sss]", "/etc/ssh/ssh_host_rsa_key",
				 "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key");
	if (strcmp(keyword, "authorizedkeysfile") == 0)
		return json_pack("[ss]", ".ssh/authorized_keys", ".ssh/authorized_keys2");
	return json_array();
}

/* ---- Match evaluation ------------------------------------------------- */

/* s against one pattern: '*' any run, '?' one character, everything else
 * itself; what match.c's match_pattern answers, found without its
 * exponential backtracking (a star only ever restarts at the last one). */
static bool wildcard(const char *s, const char *p)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*p == '*') {
			star = ++p;
			resume = s;
		} else if (*p && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int sshd_match_pattern_list(const char *s, const char *list, bool dolower)
{
	char sub[1024];
	bool positive = false;
	size_t i = 0, len = strlen(list);
	while (i < len) {
		bool neg = list[i] == '!';
		size_t n = 0;
		i += neg;
		for (; i < len && n < sizeof(sub) - 1 && list[i] != ','; i++, n++)
			sub[n] = dolower ? (char)tolower((unsigned char)list[i]) : list[i];
		if (n >= sizeof(sub) - 1)
			return 0; /* a pattern too long fails the whole list, as in sshd */
		i += i < len && list[i] == ',';
		sub[n] = '\0';
		if (wildcard(s, sub) && neg)
			return -1;
		positive |= wildcard(s, sub);
	}
	return positive;
}

/* An address as sshd's addr_pton reads it (getaddrinfo AI_NUMERICHOST):
 * IPv4 in inet_aton's forms, IPv6 with an optional numeric %scope. */
struct xaddr {
	int af;
	uint8_t a[16];
	unsigned long scope;
};

static int xaddr_parse(const char *s, struct xaddr *x)
{
	char buf[64];
	*x = (struct xaddr){0};
	if (strlen(s) >= sizeof(buf) || strpbrk(s, " \t\r\n\f\v"))
		return -1;
	struct in_addr v4;
	if (inet_aton(s, &v4) == 1) {
		memcpy(x->a, &v4, sizeof(v4));
		x->af = AF_INET;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	char *pct = strchr(buf, '%');
	if (pct) {
		char *end;
		*pct++ = '\0';
		x->scope = strtoul(pct, &end, 10);
		if (!isdigit((unsigned char)*pct) || *end)
			return -1; /* an interface name: the host's, not the root's */
	}
	if (inet_pton(AF_INET6, buf, x->a) != 1)
		return -1;
	x->af = AF_INET6;
	return 0;
}

/* a masked to bits, in place. */
static void xaddr_mask(struct xaddr *a, unsigned bits)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = bits >= 8 * (i + 1) ? 8 : bits > 8 * i ? bits - 8 * i : 0;
		a->a[i] &= (uint8_t)(0xff00u >> keep);
	}
}

/* addr_pton_cidr: "net/len" or a bare address; 0, -1 if it is no CIDR
 * (then a wildcard pattern), -2 if inconsistent (bits beyond the mask). */
static int cidr_parse(const char *p, struct xaddr *net, unsigned *ret_bits)
{
	char buf[64], *slash, *end;
	unsigned long bits = 999;
	size_t n = strlen(p);
	if (n > sizeof(buf))
		return -1;
	n = n < sizeof(buf) ? n : sizeof(buf) - 1; /* sshd's strlcpy truncates at 63 */
	memcpy(buf, p, n);
	buf[n] = '\0';
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		bits = strtoul(slash, &end, 10);
		if (!*slash || *end || bits > 128)
			return -1;
	}
	if (xaddr_parse(buf, net) < 0)
		return -1;
	unsigned max = net->af == AF_INET ? 32 : 128;
	if (!slash)
		bits = max;
	if (bits > max)
		return -2;
	struct xaddr m = *net;
	xaddr_mask(&m, (unsigned)bits);
	if (memcmp(m.a, net->a, sizeof(m.a)) != 0)
		return -2;
	*ret_bits = (unsigned)bits;
	return 0;
}

static bool cidr_contains(const struct xaddr *net, unsigned bits, const struct xaddr *a)
{
	struct xaddr m = *a;
	if (a->af != net->af)
		return false;
	xaddr_mask(&m, bits);
	return memcmp(m.a, net->a, sizeof(m.a)) == 0 && m.scope == net->scope;
}

/* One entry of an address list: 1 match, 0 none, -2 invalid. */
static int addr_entry(const char *addr, const struct xaddr *a, const char *e)
{
	struct xaddr net;
	unsigned bits = 0;
	if (!*e)
		return -2;
	int r = cidr_parse(e, &net, &bits);
	if (r == -2)
		return -2;
	if (r == 0)
		return addr && cidr_contains(&net, bits, a);
	return addr && wildcard(addr, e);
}

int sshd_addr_match_list(const char *addr, const char *list)
{
	struct xaddr a;
	int ret = 0;
	if (addr && xaddr_parse(addr, &a) < 0)
		return 0;
	_cleanup_free_ char *copy = strdup(list);
	char *rest = copy, *e;
	if (!copy)
		return -2;
	while ((e = strsep(&rest, ",")) != NULL) {
		bool neg = *e == '!';
		int r = addr_entry(addr, &a, e + neg);
		if (r == -2)
			return -2;
		if (r == 1 && neg)
			return -1;
		if (r == 1)
			ret = 1;
	}
	return ret;
}

/* ga_match_pattern_list: a negated match of any group wins. */
static int group_match(char *const *groups, const char *list)
{
	int found = 0;
	for (size_t i = 0; groups[i]; i++) {
		int r = sshd_match_pattern_list(groups[i], list, false);
		if (r < 0)
			return 0;
		found |= r;
	}
	return found;
}

static int addr_criterion(const char *addr, const char *arg)
{
	if (!addr)
		return -1;
	int r = sshd_addr_match_list(addr, arg);
	return r == -2 ? -1 : r == 1;
}

/* match_hostname: the host folded to lowercase, and the patterns too. */
static int host_match(const char *host, const char *list)
{
	_cleanup_free_ char *h = strdup(host);
	if (!h)
		return -1;
	for (char *p = h; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return sshd_match_pattern_list(h, list, true) == 1;
}

/* One criterion of a Match line: 1, 0, or -1 unknown. */
static int criterion(const char *attr, const char *arg, const struct sshd_conn *cn)
{
	if (!strcasecmp(attr, "user"))
		return !cn->user ? -1 : sshd_match_pattern_list(cn->user, arg, false) == 1;
	if (!strcasecmp(attr, "group"))
		return !cn->user || !cn->groups ? -1 : group_match(cn->groups, arg);
	if (!strcasecmp(attr, "host"))
		return !cn->host ? -1 : host_match(cn->host, arg);
	if (!strcasecmp(attr, "address"))
		return addr_criterion(cn->addr, arg);
	if (!strcasecmp(attr, "localaddress"))
		return addr_criterion(cn->laddr, arg);
	if (!strcasecmp(attr, "localport")) {
		long port = local_port(arg);
		return port < 0 || cn->lport <= 0 ? -1 : port == cn->lport;
	}
	if (!strcasecmp(attr, "rdomain"))
		return cn->rdomain && sshd_match_pattern_list(cn->rdomain, arg, false) == 1;
	return -1;
}

int sshd_block_applies(const struct sshd_config *c, size_t bi, const struct sshd_conn *conn)
{
	const struct sshd_block *b = &c->b[bi];
	int result = 1;
	if (b->all)
		return 1;
	if (conn->global)
		return 0;
	if (b->bad || b->argc % 2 != 0 || b->argc == 0)
		return -1;
	for (size_t i = 0; i + 1 < b->argc; i += 2) {
		int r = criterion(b->argv[i], b->argv[i + 1], conn);
		if (r == 0)
			return 0; /* every criterion is ANDed: one false decides */
		if (r < 0)
			result = -1;
	}
	return result;
}

/* The value of k for a connection: what the blocks that apply set (and
 * the "Match all" blocks, in file order) overrides the global value. */
static json_t *class_value(const struct sshd_config *c, const struct keyword *k,
			   const signed char *on, const struct sshd_directive **ret_src,
			   bool *ret_unknown)
{
	struct scope matched = {false, on}, global = {true, NULL};
	json_t *v = k->match ? fold_in(c, k, &matched, ret_src, ret_unknown) : NULL;
	if (v || *ret_unknown)
		return v;
	return fold_in(c, k, &global, ret_src, ret_unknown);
}

/* "file:line" of a directive, or "default". New reference. */
static json_t *source_json(const struct sshd_directive *src)
{
	char *where = NULL;
	if (!src)
		return json_string("default");
	if (asprintf(&where, "%s:%u", src->file, src->line) < 0)
		return NULL;
	json_t *j = json_str(where);
	free(where);
	return j;
}

static int set_class_value(const struct sshd_config *c, const struct keyword *k, int ver,
			   const signed char *on, json_t *o, json_t *sources)
{
	const struct sshd_directive *src = NULL;
	bool unknown = false;
	json_t *v = class_value(c, k, on, &src, &unknown);
	if (!v && !unknown)
		v = default_value(k->name, ver);
	if (unknown)
		return json_set(o, k->name, json_null()) | json_set(sources, k->name, json_null());
	return json_set(o, k->name, v) | json_set(sources, k->name, source_json(src));
}

/* The blocks' answers for conn into on[], and their names into the
 * applied and unknown lists ("file:line Match criteria"). */
static int blocks_on(const struct sshd_config *c, const struct sshd_conn *conn, signed char *on,
		     json_t *applied, json_t *unknown)
{
	for (size_t i = 0; i < c->nb; i++) {
		on[i] = (signed char)sshd_block_applies(c, i, conn);
		if (on[i] == 0 || c->b[i].all)
			continue;
		char *name = NULL;
		if (asprintf(&name, "%s:%u Match %s", c->b[i].file, c->b[i].line,
			     c->b[i].criteria) < 0)
			return -ENOMEM;
		int r = json_array_append_new(on[i] > 0 ? applied : unknown, json_str(name));
		free(name);
		if (r < 0)
			return -ENOMEM;
	}
	return 0;
}

/* sshd names the client by its address unless UseDNS is yes
 * (auth_get_canonical_hostname): a connection that names no host has
 * its address as host then. */
static const char *conn_host(const struct sshd_config *c, const struct sshd_conn *conn)
{
	const struct sshd_directive *src = NULL;
	json_auto_t *dns = conn->host ? NULL : effective(c, kw_find("usedns"), &src);
	if (conn->host || (dns && strcasecmp(json_string_value(dns), "yes") == 0))
		return conn->host;
	return conn->addr;
}

json_t *sshd_class_json(const struct sshd_config *c, const struct sshd_conn *given,
			const char *version)
{
	struct sshd_conn cn = *given, *conn = &cn;
	int ver = version_num(version);
	cn.host = conn_host(c, given);
	json_auto_t *o = json_object(), *sources = json_object();
	json_auto_t *applied = json_array(), *unknown = json_array();
	_cleanup_free_ signed char *on = calloc(c->nb + 1, 1);
	if (!o || !sources || !applied || !unknown || !on ||
	    blocks_on(c, conn, on, applied, unknown) < 0)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++) {
		const struct keyword *k = &keywords[i];
		if (!k->report || k->canon || k->kind == K_LISTEN)
			continue;
		if (set_class_value(c, k, ver, on, o, sources) < 0)
			return NULL;
	}
	const struct sshd_directive *src = NULL;
	json_decref(fold(c, kw_find("listenaddress"), false, &src));
	int e = json_set(o, "listenaddress", listen_addrs(c, json_object_get(o, "port")));
	e |= json_set(sources, "listenaddress", source_json(src));
	e |= json_set(o, "config_errors", json_integer(c->errors));
	e |= json_set(o, "match_applied", json_incref(applied));
	e |= json_set(o, "match_unknown", json_incref(unknown));
	e |= json_set(o, "sources", json_incref(sources));
	return e < 0 ? NULL : json_incref(o);
}

/* The version token at s ("9.2p1"): digits, dots, letters, ended by a
 * NUL, a blank or the end (a compat pattern "OpenSSH_7.0*" is not one). */
static size_t version_token(const char *s, const char *end)
{
	const char *p = s;
	if (p >= end || !isdigit((unsigned char)*p))
		return 0;
	while (p < end && (isalnum((unsigned char)*p) || *p == '.'))
		p++;
	if (p < end && *p != '\0' && *p != ' ' && *p != '-')
		return 0;
	return (size_t)(p - s);
}

/* In a banner or binary: the first "OpenSSH_X.YpZ" (the release), else
 * the first "OpenSSH_X.Y". */
static char *banner_version(const char *s, size_t len)
{
	const char *end = s + len, *p = s, *best = NULL;
	size_t best_n = 0;
	while ((p = memmem(p, (size_t)(end - p), "OpenSSH_", 8)) != NULL) {
		p += 8;
		size_t n = version_token(p, end);
		if (n && memchr(p, 'p', n))
			return xstrndup(p, n);
		if (n && !best) {
			best = p;
			best_n = n;
		}
	}
	return best ? xstrndup(best, best_n) : NULL;
}

char *sshd_version_parse(const char *s, size_t len)
{
	if (len >= 8 && memmem(s, len, "OpenSSH_", 8))
		return banner_version(s, len);
	const char *end = s + len, *colon = memchr(s, ':', len);
	if (colon)
		s = colon + 1;
	size_t n = version_token(s, end);
	return n ? xstrndup(s, n) : NULL;
}

/* ---- authorized_keys --------------------------------------------------- */

static bool key_type(const char *s, size_t n)
{
	static const char *const prefixes[] = {"ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-"};
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (n > strlen(prefixes[i]) && strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* End of the word at s: a blank outside double quotes (sshd's option
 * list may quote blanks; a backslash escapes a quote). */
static const char *word_end(const char *s, const char *end)
{
	bool q = false;
	for (; s < end && (q || (*s != ' ' && *s != '\t')); s++) {
		if (*s == '\\' && s + 1 < end && s[1] == '"')
			s++;
		else if (*s == '"')
			q = !q;
	}
	return s;
}

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* Count from=, command= and restrict in an options list. */
static void scan_options(const char *s, const char *end, struct authkeys_stats *st)
{
	bool q = false, start = true;
	for (; s < end; s++) {
		if (start) {
			size_t n = (size_t)(end - s);
			st->with_from += n >= 5 && strncasecmp(s, "from=", 5) == 0;
			st->with_command += n >= 8 && strncasecmp(s, "command=", 8) == 0;
			st->restricted +=
			    n >= 8 && strncasecmp(s, "restrict", 8) == 0 && (n == 8 || s[8] == ',');
		}
		start = false;
		if (*s == '\\' && s + 1 < end && s[1] == '"')
			s++;
		else if (*s == '"')
			q = !q;
		else if (*s == ',' && !q)
			start = true;
	}
}

static void key_line(const char *s, size_t n, struct authkeys_stats *st)
{
	const char *end = s + n, *w = skip_blanks(s, end), *we;
	const char *nul = memchr(s, '\0', n);
	if (nul)
		end = nul;
	if (w >= end || *w == '#')
		return;
	we = word_end(w, end);
	struct authkeys_stats opt = {0};
	if (!key_type(w, (size_t)(we - w))) {
		scan_options(w, we, &opt);
		w = skip_blanks(we, end);
		we = word_end(w, end);
		if (!key_type(w, (size_t)(we - w))) {
			st->bad_lines++;
			return;
		}
	}
	if (skip_blanks(we, end) >= end) {
		st->bad_lines++;
		return;
	}
	st->keys++;
	st->with_from += opt.with_from > 0;
	st->with_command += opt.with_command > 0;
	st->restricted += opt.restricted > 0;
}

void authkeys_scan(const char *buf, size_t len, struct authkeys_stats *ret)
{
	struct line_iter it;
	struct line l;
	*ret = (struct authkeys_stats){0};
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l))
		key_line(l.s, l.len, ret);
}
