/* ssh.c - the "ssh" probe (checklist 2(8), R7 two-factor evidence):
 * sshd's effective configuration as sshd computes it, its Match blocks,
 * host key files and every account's authorized_keys files.
 *
 * Reads /etc/ssh/sshd_config and what it includes, the dpkg status (or
 * the sshd binary's banner) for the OpenSSH version whose defaults
 * apply, /etc/pam.d/sshd for a second-factor PAM module, the host key
 * files' metadata (the type from the .pub; private keys are never read),
 * /etc/passwd and the authorized_keys files (counted, never copied).
 * Nothing is executed: `sshd -T` gives the same answers, and
 * tests/e2e/ssh.sh checks that it does. Parsing is in sshd_parse.c.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <openssl/evp.h>

#include "probes/parse/accounts_parse.h"
#include "probes/parse/dpkg_parse.h"
#include "lib/limits.h"
#include "probes/probe.h"
#include "probes/parse/sshd_parse.h"
#include "probes/read/confwalk.h"

#define PATH_SSHD_CONFIG "/etc/ssh/sshd_config"
#define PATH_SSHD_BIN	 "/usr/sbin/sshd"
#define PATH_DPKG_STATUS "/var/lib/dpkg/status"
#define PATH_PAM_SSHD	 "/etc/pam.d/sshd"
/* Connection classes evaluated: each costs a pass over the configuration
 * per keyword; a baseline names a handful (admin LAN, vendors). */
#define MAX_SSH_CLASSES 256u

static const struct column sshd_columns[] = {
    {"installed", COL_BOOL, "openssh-server is installed or /usr/sbin/sshd exists"},
    {"version", COL_STRING, "OpenSSH version (9.2p1) from dpkg or the binary; null if unknown"},
    {"config_path", COL_STRING, "main configuration file"},
    {"config_files", COL_INT, "files read, Include targets counted"},
    {"config_errors", COL_INT, "lines sshd would refuse to start with (see the probe messages)"},
    {"permitrootlogin", COL_STRING, "yes | prohibit-password | forced-commands-only | no"},
    {"passwordauthentication", COL_BOOL, "PasswordAuthentication"},
    {"kbdinteractiveauthentication", COL_BOOL,
     "KbdInteractiveAuthentication (ChallengeResponseAuthentication)"},
    {"pubkeyauthentication", COL_BOOL, "PubkeyAuthentication"},
    {"authenticationmethods", COL_ARRAY,
     "method lists (\"publickey,password\"), [\"any\"] if unset"},
    {"allowusers", COL_ARRAY, "AllowUsers patterns"},
    {"allowgroups", COL_ARRAY, "AllowGroups patterns"},
    {"denyusers", COL_ARRAY, "DenyUsers patterns"},
    {"denygroups", COL_ARRAY, "DenyGroups patterns"},
    {"listenaddress", COL_ARRAY, "addr:port sshd listens on ([::]:22, 0.0.0.0:22 = all)"},
    {"port", COL_ARRAY, "Port numbers"},
    {"permitemptypasswords", COL_BOOL, "PermitEmptyPasswords"},
    {"x11forwarding", COL_BOOL, "X11Forwarding"},
    {"maxauthtries", COL_INT, "MaxAuthTries"},
    {"logingracetime", COL_INT, "LoginGraceTime in seconds"},
    {"usepam", COL_BOOL, "UsePAM (compiled default no; Debian's shipped file sets yes)"},
    {"loglevel", COL_STRING, "LogLevel"},
    {"syslogfacility", COL_STRING, "SyslogFacility"},
    {"ciphers", COL_STRING, "Ciphers as configured, \"default\" if not set"},
    {"macs", COL_STRING, "MACs as configured, \"default\" if not set"},
    {"kexalgorithms", COL_STRING, "KexAlgorithms as configured, \"default\" if not set"},
    {"match_blocks", COL_INT, "Match blocks (see sshd_match)"},
    {"match_restrictions", COL_INT,
     "Match blocks setting AllowUsers/AllowGroups/DenyUsers/DenyGroups"},
    {"sources", COL_OBJECT, "keyword -> file:line that set it, or \"default\""},
    {"pam_second_factor", COL_BOOL,
     "/etc/pam.d/sshd (and its @includes) uses an OTP/U2F/RADIUS module"},
    {"pam_second_factor_modules", COL_ARRAY, "those modules"},
    {NULL, 0, NULL},
};

static const struct column match_columns[] = {
    {"criteria", COL_STRING, "Match arguments (enclosing blocks' ANDed in front)"},
    {"file", COL_STRING, "file of the Match line"},
    {"line", COL_INT, "its line"},
    {"all", COL_BOOL, "Match all: applies to every connection"},
    {"overrides", COL_OBJECT, "keyword -> value the block sets (lowercase keywords)"},
    {"restricts_access", COL_BOOL, "sets AllowUsers/AllowGroups/DenyUsers/DenyGroups"},
    {"usepam", COL_BOOL, "sshd's UsePAM (global only): keyboard-interactive asks PAM"},
    {"authenticationmethods", COL_ARRAY,
     "AuthenticationMethods for a connection it matches: its own, else the global ones"},
    {NULL, 0, NULL},
};

/* One record per connection class: the baseline's ssh_connections and
 * the implicit "default" (no criteria: what sshd -T prints). */
static const struct column class_columns[] = {
    {"name", COL_STRING, "class name (ssh_connections[].name; \"default\" for the implicit one)"},
    {"implicit", COL_BOOL, "the implicit default class (judged by the global ssh rules)"},
    {"user", COL_STRING, "user the class connects as; null if not named"},
    {"host", COL_STRING, "client host name; null if not named (its address then, unless UseDNS)"},
    {"addr", COL_STRING, "client address; null if not named"},
    {"laddr", COL_STRING, "local address; null if not named"},
    {"lport", COL_INT, "local port; null if not named"},
    {"rdomain", COL_STRING, "routing domain; null if none"},
    {"groups", COL_ARRAY, "the user's groups from /etc/passwd and /etc/group; null if unknown"},
    {"installed", COL_BOOL, "as in sshd"},
    {"version", COL_STRING, "as in sshd"},
    {"config_errors", COL_INT, "as in sshd"},
    {"permitrootlogin", COL_STRING, "effective for this class; null if unknown"},
    {"passwordauthentication", COL_BOOL, "effective for this class; null if unknown"},
    {"kbdinteractiveauthentication", COL_BOOL, "effective for this class; null if unknown"},
    {"pubkeyauthentication", COL_BOOL, "effective for this class; null if unknown"},
    {"authenticationmethods", COL_ARRAY, "effective for this class; null if unknown"},
    {"allowusers", COL_ARRAY, "effective for this class; null if unknown"},
    {"allowgroups", COL_ARRAY, "effective for this class; null if unknown"},
    {"denyusers", COL_ARRAY, "effective for this class; null if unknown"},
    {"denygroups", COL_ARRAY, "effective for this class; null if unknown"},
    {"listenaddress", COL_ARRAY, "as in sshd (not settable in Match)"},
    {"port", COL_ARRAY, "as in sshd (not settable in Match)"},
    {"permitemptypasswords", COL_BOOL, "effective for this class; null if unknown"},
    {"x11forwarding", COL_BOOL, "effective for this class; null if unknown"},
    {"maxauthtries", COL_INT, "effective for this class; null if unknown"},
    {"logingracetime", COL_INT, "as in sshd (not settable in Match)"},
    {"usepam", COL_BOOL, "as in sshd (not settable in Match)"},
    {"loglevel", COL_STRING, "effective for this class; null if unknown"},
    {"syslogfacility", COL_STRING, "as in sshd (not settable in Match)"},
    {"ciphers", COL_STRING, "as in sshd (not settable in Match)"},
    {"macs", COL_STRING, "as in sshd (not settable in Match)"},
    {"kexalgorithms", COL_STRING, "as in sshd (not settable in Match)"},
    {"sources", COL_OBJECT, "keyword -> file:line, \"default\", or null if unknown"},
    {"match_applied", COL_ARRAY, "\"file:line Match criteria\" of the blocks that apply"},
    {"match_unknown", COL_ARRAY,
     "blocks whose answer is unknown (an attribute the class does not name, unknown groups)"},
    {"pam_second_factor", COL_BOOL, "as in sshd"},
    {"pam_second_factor_modules", COL_ARRAY, "as in sshd"},
    {NULL, 0, NULL},
};

static const struct column authkeys_columns[] = {
    {"account", COL_STRING, "account whose file it is"},
    {"account_uid", COL_INT, "that account's uid"},
    {"path", COL_STRING, "file path inside the root"},
    {"uid", COL_INT, "file owner uid"},
    {"mode", COL_MODE, "file mode"},
    {"keys", COL_INT, "keys in the file; null if unreadable"},
    {"keys_from", COL_INT, "keys restricted with from="},
    {"keys_command", COL_INT, "keys with command="},
    {"keys_restrict", COL_INT, "keys with the restrict option"},
    {"bad_lines", COL_INT, "lines that are neither keys nor comments"},
    {NULL, 0, NULL},
};

static const struct column hostkey_columns[] = {
    {"path", COL_STRING, "HostKey path (private key)"},
    {"exists", COL_BOOL, "the file exists"},
    {"type", COL_STRING,
     "key type from the .pub (ssh-ed25519), else from the name; null if unknown"},
    {"mode", COL_MODE, "private key file mode"},
    {"uid", COL_INT, "owner uid"},
    {"gid", COL_INT, "group gid"},
    {"fingerprint", COL_STRING,
     "SHA256 fingerprint of the .pub key, as ssh-keygen -l prints it; null if unreadable"},
    {NULL, 0, NULL},
};

const struct collection ssh_collections[] = {
    {"sshd", true, sshd_columns},
    {"sshd_match", false, match_columns},
    {"sshd_class", false, class_columns},
    {"ssh_authorized_keys", false, authkeys_columns},
    {"ssh_host_keys", false, hostkey_columns},
    {NULL, false, NULL},
};

/* ---- reading through the root ----------------------------------------- */

/* sshd's Include reads through the shared walker: its loader keeps its
 * own recursion and sshd's own limits (16 levels, "Too many recursive
 * configuration includes"; LIMIT_SSHD_FILES), which come first; the
 * walker's bounds (chain, files, size) back them up and confine every
 * read. sshd has no loop guard but its depth: GUARD_DEPTH. */
static int io_glob(void *ud, const char *pattern, char ***ret)
{
	return confwalk_glob(ud, pattern, ret);
}

static int io_read(void *ud, const char *path, char **ret, size_t *ret_len)
{
	struct buf b = {0};
	int r = confwalk_load(ud, path, 0, false, &b);
	if (r < 0)
		return r;
	*ret = b.data;
	*ret_len = b.len;
	return 0;
}

static void io_done(void *ud, const char *path)
{
	(void)path;
	confwalk_leave(ud);
}

static void io_file(struct confwalk *w, const char *path, const char *buf, size_t len, void *ud)
{
	(void)w, (void)path, (void)buf, (void)len, (void)ud; /* confwalk_load hands files back */
}

/* The loader turns a refused read into an issue naming the file (its
 * -errno); the walker's own limits only come after sshd's, so a
 * message here means they disagree. */
static void io_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	struct probe_ctx *ctx = ud;
	(void)w;
	if (ev->kind == CONFWALK_UNREADABLE)
		return;
	probe_msg(ctx, "%s: インクルードの上限を超えたため読みません",
		  "%s: past the include limits (not read)", ev->path);
	probe_partial(ctx);
}

/* openssh-server's version from dpkg's status; NULL if not installed
 * there (or unreadable). */
static char *dpkg_version(struct probe_ctx *ctx)
{
	static const char *const names[] = {"Package", "Status", "Version"};
	const struct buf *b = NULL;
	struct deb822_iter it;
	struct deb822_para p;
	if (fsroot_read_shared(ctx->root, PATH_DPKG_STATUS, LIMIT_DPKG_STATUS, &b) < 0)
		return NULL;
	deb822_iter_init(&it, b->data, b->len);
	while (deb822_next(&it, &p)) {
		struct span v[3];
		deb822_get(&p, false, names, v, 3);
		if (!span_eq(v[0], "openssh-server") || !v[1].s || v[1].len < 10 ||
		    memcmp(v[1].s + v[1].len - 10, " installed", 10) != 0)
			continue;
		return v[2].s ? sshd_version_parse(v[2].s, v[2].len) : NULL;
	}
	return NULL;
}

/* installed and version into o: dpkg first, else the binary's banner. */
static int set_installation(struct probe_ctx *ctx, json_t *o)
{
	_cleanup_free_ char *ver = dpkg_version(ctx);
	struct stat st;
	bool bin = fsroot_stat(ctx->root, PATH_SSHD_BIN, true, &st) == 0 && S_ISREG(st.st_mode);
	if (!ver && bin) {
		_cleanup_buf_ struct buf b = {0};
		int r = fsroot_read(ctx->root, PATH_SSHD_BIN, LIMIT_SSHD_BINARY, &b);
		if (r < 0)
			probe_file_error(ctx, PATH_SSHD_BIN, r, false);
		else
			ver = sshd_version_parse(b.data, b.len);
	}
	return json_set(o, "installed", json_boolean(ver || bin)) |
	       json_set(o, "version", ver ? json_str(ver) : json_null());
}

/* ---- the configuration ------------------------------------------------- */

/* An issue about a whole file: "path: text" in each language. */
static void file_issue(struct probe_ctx *ctx, const struct sshd_issue *is)
{
	_cleanup_free_ char *ja = NULL, *en = NULL;
	if (asprintf(&ja, "%s: %s", is->file, is->ja) < 0)
		ja = NULL;
	if (asprintf(&en, "%s: %s", is->file, is->en) < 0)
		en = NULL;
	if (ja && en)
		probe_msg_text(ctx, ja, en);
}

/* The issues, at most LIMIT_LINE_MESSAGES per file (a garbage drop-in
 * must not hide the Include loop reported after it), then the count. */
static void report_issues(struct probe_ctx *ctx, const struct sshd_config *c)
{
	size_t run = 0;
	for (size_t i = 0; i < c->nis; i++) {
		const struct sshd_issue *is = &c->is[i];
		bool same = i > 0 && strcmp(c->is[i - 1].file, is->file) == 0;
		run = same ? run + 1 : 0;
		if (run < LIMIT_LINE_MESSAGES && is->line)
			probe_line_error(ctx, is->file, is->line, is->ja, is->en);
		else if (run < LIMIT_LINE_MESSAGES)
			file_issue(ctx, is);
		bool last = i + 1 == c->nis || strcmp(c->is[i + 1].file, is->file) != 0;
		if (last && run >= LIMIT_LINE_MESSAGES)
			probe_msg(ctx, "%s: ほかに %zu 件の問題があります", "%s: %zu more problems",
				  is->file, run + 1 - LIMIT_LINE_MESSAGES);
	}
	if (c->errors)
		probe_msg(ctx,
			  "sshd_config に sshd が起動を拒否する誤りが %u "
			  "件あります（該当行は無視して評価しました）",
			  "sshd_config has %u errors sshd would refuse to start with (those lines "
			  "were ignored)",
			  c->errors);
}

/* The effective values into o, or nulls when the main file is unreadable. */
static int set_config(struct probe_ctx *ctx, json_t *o, const struct sshd_config *c, int load_r)
{
	if (load_r < 0) {
		probe_file_error(ctx, PATH_SSHD_CONFIG, load_r, false);
		/* every column after installed, version and config_path */
		for (const struct column *col = sshd_columns + 3; col->name; col++)
			if (!json_object_get(o, col->name) &&
			    json_set(o, col->name, json_null()) < 0)
				return -ENOMEM;
		return 0;
	}
	report_issues(ctx, c);
	json_t *v = sshd_effective_json(c, json_string_value(json_object_get(o, "version")));
	if (!v || json_object_update(o, v) < 0) {
		json_decref(v);
		return -ENOMEM;
	}
	json_decref(v);
	return json_set(o, "config_files", json_integer(c->files));
}

/* ---- PAM: a second factor in sshd's auth stack ------------------------- */

static const char *const second_factor_modules[] = {
    "pam_google_authenticator.so",
    "pam_oath.so",
    "pam_u2f.so",
    "pam_yubico.so",
    "pam_duo.so",
    "pam_radius_auth.so",
    "pam_totp.so",
    "pam_linotp.so",
    "pam_privacyidea.so",
};

/* Second-factor modules on "auth" lines of buf (appended to found);
 * "@include X" files are added to includes. */
static int pam_scan(const char *buf, size_t len, json_t *found, json_t *includes)
{
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		_cleanup_strv_ char **w = NULL;
		int n = sshd_argv_split(l.s, l.len, &w, 256);
		if (n == -ENOMEM)
			return n;
		if (n < 2)
			continue;
		if (strcmp(w[0], "@include") == 0) {
			if (!strchr(w[1], '/') &&
			    json_array_append_new(includes, json_str(w[1])) < 0)
				return -ENOMEM;
			continue;
		}
		if (strcmp(w[0], "auth") != 0 && strcmp(w[0], "-auth") != 0)
			continue;
		for (int k = 1; k < n; k++) {
			const char *base = strrchr(w[k], '/') ? strrchr(w[k], '/') + 1 : w[k];
			for (size_t i = 0; i < ARRAY_SIZE(second_factor_modules); i++)
				if (strcmp(base, second_factor_modules[i]) == 0 &&
				    json_array_append_new(found, json_string(base)) < 0)
					return -ENOMEM;
		}
	}
	return 0;
}

/* pam_second_factor and its modules: /etc/pam.d/sshd and the files it
 * @includes (one level deep, as Debian's common-auth is used). Missing
 * sshd PAM file: false (sshd then uses "other"). */
static int set_pam(struct probe_ctx *ctx, json_t *o)
{
	json_auto_t *found = json_array(), *inc = json_array();
	_cleanup_buf_ struct buf b = {0};
	size_t i;
	json_t *v;
	if (!found || !inc)
		return -ENOMEM;
	int r = fsroot_read(ctx->root, PATH_PAM_SSHD, LIMIT_CONFIG_FILE, &b);
	if (r < 0 && r != -ENOENT) {
		probe_file_error(ctx, PATH_PAM_SSHD, r, false);
		return json_set(o, "pam_second_factor", json_null()) |
		       json_set(o, "pam_second_factor_modules", json_null());
	}
	if (r == 0 && pam_scan(b.data, b.len, found, inc) < 0)
		return -ENOMEM;
	json_array_foreach(inc, i, v) {
		_cleanup_free_ char *path = path_join("/etc/pam.d", json_string_value(v));
		_cleanup_buf_ struct buf ib = {0};
		json_auto_t *ignored = json_array();
		if (!path || !ignored)
			return -ENOMEM;
		int ir = fsroot_read(ctx->root, path, LIMIT_CONFIG_FILE, &ib);
		if (ir < 0)
			probe_file_error(ctx, path, ir, true);
		else if (pam_scan(ib.data, ib.len, found, ignored) < 0)
			return -ENOMEM;
	}
	return json_set(o, "pam_second_factor", json_boolean(json_array_size(found) > 0)) |
	       json_set(o, "pam_second_factor_modules", json_incref(found));
}

/* ---- host keys ---------------------------------------------------------- */

/* "SHA256:" and the unpadded base64 of the SHA-256 of the key blob in
 * the .pub's second word (whose own first field must name type), as
 * ssh-keygen -l prints it; NULL if the word is not such a blob. */
static char *pub_fingerprint(const char *type, const char *s, size_t n)
{
	uint8_t blob[16384], md[EVP_MAX_MD_SIZE];
	char b64[4 * EVP_MAX_MD_SIZE / 3 + 8], out[sizeof(b64) + 8];
	unsigned mdlen = 0;
	size_t pad = 0, tl = strlen(type);
	if (n == 0 || n % 4 != 0 || n / 4 * 3 > sizeof(blob))
		return NULL;
	while (pad < 2 && s[n - 1 - pad] == '=')
		pad++;
	int len = EVP_DecodeBlock(blob, (const unsigned char *)s, (int)n);
	if (len < 0 || (size_t)len < pad + 4 + tl)
		return NULL;
	len -= (int)pad;
	uint32_t fl =
	    (uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 | (uint32_t)blob[2] << 8 | blob[3];
	if (fl != tl || memcmp(blob + 4, type, tl) != 0)
		return NULL;
	if (EVP_Digest(blob, (size_t)len, md, &mdlen, EVP_sha256(), NULL) != 1)
		return NULL;
	int bl = EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
	while (bl > 0 && b64[bl - 1] == '=')
		b64[--bl] = '\0';
	snprintf(out, sizeof(out), "SHA256:%s", b64);
	return strdup(out);
}

/* The key type: the first word of the .pub, else the name's
 * ssh_host_TYPE_key; and from the .pub, the fingerprint. New strings or
 * NULL. The private key is never read. */
static char *host_key_type(struct probe_ctx *ctx, const char *path, char **ret_fp)
{
	_cleanup_free_ char *pub = NULL;
	_cleanup_buf_ struct buf b = {0};
	*ret_fp = NULL;
	if (asprintf(&pub, "%s.pub", path) < 0)
		return NULL;
	if (fsroot_read(ctx->root, pub, LIMIT_SMALL_FILE, &b) == 0) {
		size_t n = strspn(b.data, "abcdefghijklmnopqrstuvwxyz0123456789-@.");
		if (n > 0 && n < 64 && (b.data[n] == ' ' || b.data[n] == '\t')) {
			char *type = xstrndup(b.data, n);
			const char *k = b.data + n + strspn(b.data + n, " \t");
			if (type)
				*ret_fp = pub_fingerprint(type, k, strcspn(k, " \t\r\n"));
			return type;
		}
	}
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t bl = strlen(base);
	if (str_startswith(base, "ssh_host_") && bl > 13 && strcmp(base + bl - 4, "_key") == 0)
		return xstrndup(base + 9, bl - 13);
	return NULL;
}

static json_t *host_key_fact(struct probe_ctx *ctx, const char *path)
{
	struct stat st;
	int r = fsroot_stat(ctx->root, path, true, &st);
	_cleanup_free_ char *fp = NULL;
	_cleanup_free_ char *type = host_key_type(ctx, path, &fp);
	if (r < 0 && r != -ENOENT)
		probe_file_error(ctx, path, r, false);
	bool ok = r == 0;
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "path", json_str(path), "exists",
			 r == 0 || r == -ENOENT ? json_boolean(ok) : json_null(), "type",
			 type ? json_str(type) : json_null(), "mode",
			 ok ? json_mode(st.st_mode) : json_null(), "uid",
			 ok ? json_integer(st.st_uid) : json_null(), "gid",
			 ok ? json_integer(st.st_gid) : json_null(), "fingerprint",
			 fp ? json_str(fp) : json_null());
}

static int add_host_keys(struct probe_ctx *ctx, const struct sshd_config *c, bool have)
{
	json_auto_t *paths = have ? sshd_effective_list(c, "hostkey") : json_array();
	json_auto_t *arr = json_array();
	size_t i;
	json_t *p;
	if (!paths || !arr)
		return -ENOMEM;
	json_array_foreach(paths, i, p) {
		const char *s = json_string_value(p);
		if (s[0] != '/')
			continue; /* sshd resolves relative HostKey paths from its cwd, "/" */
		if (json_array_append_new(arr, host_key_fact(ctx, s)) < 0)
			return -ENOMEM;
	}
	json_array_sort_by(arr, "path");
	return json_set(ctx->inventory, "ssh_host_keys", json_incref(arr));
}

/* ---- authorized_keys ----------------------------------------------------- */

/* An AuthorizedKeysFile pattern for one account: %% %h %u %U expanded,
 * relative to the home directory. New string, NULL if it cannot be made. */
static char *expand_keys_path(const char *pat, const struct passwd_entry *pw)
{
	struct strbuf sb;
	char uid[24];
	int r = 0;
	snprintf(uid, sizeof(uid), "%ld", pw->uid);
	strbuf_init(&sb, LIMIT_PATH);
	for (const char *p = pat; *p && r == 0; p++) {
		if (*p != '%') {
			r = strbuf_append(&sb, p, 1);
			continue;
		}
		p++;
		const char *add = *p == '%'   ? "%"
				  : *p == 'h' ? pw->home
				  : *p == 'u' ? pw->name
				  : *p == 'U' ? uid
					      : NULL;
		r = add ? strbuf_puts(&sb, add) : -EINVAL;
		if (!add)
			break; /* "%" at the end or an unknown token: sshd refuses it */
	}
	if (r < 0) {
		strbuf_free(&sb);
		return NULL;
	}
	_cleanup_free_ char *s = strbuf_steal(&sb);
	char *full = s[0] == '/' ? TAKE_PTR(s) : path_join(pw->home, s); /* relative: to home */
	if (full)
		path_clean(full);
	return full;
}

static json_t *authkeys_fact(struct probe_ctx *ctx, const struct passwd_entry *pw, const char *path,
			     const struct stat *st)
{
	_cleanup_buf_ struct buf b = {0};
	struct authkeys_stats ks = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_AUTHORIZED_KEYS, &b);
	if (r < 0)
		probe_file_error(ctx, path, r, false);
	else
		authkeys_scan(b.data, b.len, &ks);
#define KS(f) (r == 0 ? json_integer(ks.f) : json_null())
	return json_pack("{s:o, s:I, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "account",
			 json_str(pw->name), "account_uid", (json_int_t)pw->uid, "path",
			 json_str(path), "uid", (json_int_t)st->st_uid, "mode",
			 json_mode(st->st_mode), "keys", KS(keys), "keys_from", KS(with_from),
			 "keys_command", KS(with_command), "keys_restrict", KS(restricted),
			 "bad_lines", KS(bad_lines));
#undef KS
}

/* The files of one account that exist. */
static int account_keys(struct probe_ctx *ctx, const struct passwd_entry *pw, const json_t *pats,
			json_t *arr)
{
	size_t i;
	json_t *p;
	if (!pw->home || pw->home[0] != '/')
		return 0;
	json_array_foreach(pats, i, p) {
		const char *pat = json_string_value(p);
		struct stat st;
		if (strcmp(pat, "none") == 0)
			continue;
		_cleanup_free_ char *path = expand_keys_path(pat, pw);
		if (!path)
			continue;
		int r = fsroot_stat(ctx->root, path, true, &st);
		if (r == -ENOENT || r == -ENOTDIR)
			continue;
		if (r < 0) {
			probe_file_error(ctx, path, r, false);
			continue;
		}
		if (json_array_append_new(arr, authkeys_fact(ctx, pw, path, &st)) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int add_authorized_keys(struct probe_ctx *ctx, const struct sshd_config *c, bool have)
{
	const struct buf *b = NULL;
	struct passwd_db db = {0};
	struct parse_issues is = {0};
	json_auto_t *pats =
	    have ? sshd_effective_list(c, "authorizedkeysfile")
		 : json_pack("[ss]", ".ssh/authorized_keys", ".ssh/authorized_keys2");
	json_auto_t *arr = json_array();
	int r = fsroot_read_shared(ctx->root, "/etc/passwd", LIMIT_ACCOUNT_DB, &b);
	if (!pats || !arr)
		return -ENOMEM;
	if (r < 0) {
		probe_file_error(ctx, "/etc/passwd", r, false);
		return json_set(ctx->inventory, "ssh_authorized_keys", json_null());
	}
	r = passwd_parse(b->data, b->len, &db, &is);
	for (size_t i = 0; r == 0 && i < db.n && i < LIMIT_SSH_ACCOUNTS; i++)
		r = account_keys(ctx, &db.v[i], pats, arr);
	passwd_db_free(&db);
	parse_issues_free(&is);
	if (r < 0)
		return r;
	json_array_sort_by(arr, "path");
	return json_set(ctx->inventory, "ssh_authorized_keys", json_incref(arr));
}

/* ---- connection classes (sshd -T -C) -------------------------------------- */

/* The root's account files, read once for every class that needs groups. */
struct acct {
	struct passwd_db pw;
	struct group_db gr;
	int r; /* 0, or the -errno of the file that could not be read */
	bool loaded;
};

static void acct_free(struct acct *a)
{
	passwd_db_free(&a->pw);
	group_db_free(&a->gr);
}

static int acct_read(struct probe_ctx *ctx, const char *path, bool group, struct acct *a)
{
	const struct buf *b = NULL;
	struct parse_issues is = {0};
	int r = fsroot_read_shared(ctx->root, path, LIMIT_ACCOUNT_DB, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, false);
		return r;
	}
	r = group ? group_parse(b->data, b->len, false, &a->gr, &is)
		  : passwd_parse(b->data, b->len, &a->pw, &is);
	parse_issues_free(&is);
	return r;
}

static int acct_load(struct probe_ctx *ctx, struct acct *a)
{
	if (!a->loaded) {
		a->loaded = true;
		a->r = acct_read(ctx, "/etc/passwd", false, a);
		if (a->r == 0)
			a->r = acct_read(ctx, "/etc/group", true, a);
	}
	return a->r;
}

/* The user's groups as sshd's ga_init finds them (getgrouplist): the
 * primary gid's group and every group naming the user as a member; a gid
 * without a group entry has no name and is left out. -ENOENT if the user
 * is not in /etc/passwd (a directory service may know it: unknown). */
static int user_groups(struct probe_ctx *ctx, struct acct *a, const char *user, struct strv *ret)
{
	int r = acct_load(ctx, a);
	if (r < 0)
		return r;
	const struct passwd_entry *pw = passwd_find(&a->pw, user);
	if (!pw)
		return -ENOENT;
	for (size_t i = 0; i < a->gr.n; i++) {
		const struct group_entry *g = &a->gr.v[i];
		if ((g->gid == pw->gid && group_find_gid(&a->gr, g->gid) == g) ||
		    namelist_has(&g->members, user))
			if (strv_add(ret, g->name, strlen(g->name)) < 0)
				return -ENOMEM;
	}
	return 0;
}

/* A string attribute of a class: NULL if absent; *bad if not a string. */
static const char *spec_str(const json_t *spec, const char *key, bool *bad)
{
	const json_t *v = json_object_get(spec, key);
	if (v && !json_is_string(v) && !json_is_null(v))
		*bad = true;
	return json_string_value(v);
}

/* conn from a class of the baseline; false if it is malformed. */
static bool spec_conn(const json_t *spec, struct sshd_conn *conn)
{
	static const char *const keys[] = {"name",  "user",  "host",   "addr",
					   "laddr", "lport", "rdomain"};
	const json_t *lp = json_object_get(spec, "lport");
	bool bad = !json_is_object(spec) || !json_is_string(json_object_get(spec, "name"));
	const char *k;
	const json_t *v;
	*conn = (struct sshd_conn){spec_str(spec, "user", &bad),
				   spec_str(spec, "host", &bad),
				   spec_str(spec, "addr", &bad),
				   spec_str(spec, "laddr", &bad),
				   spec_str(spec, "rdomain", &bad),
				   0,
				   NULL,
				   false};
	if (lp && !json_is_null(lp) &&
	    (!json_is_integer(lp) || json_integer_value(lp) < 1 || json_integer_value(lp) > 65535))
		bad = true;
	conn->lport = (long)json_integer_value(lp);
	json_object_foreach((json_t *)spec, k, v) {
		bool known = false;
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			known |= strcmp(k, keys[i]) == 0;
		bad |= !known;
	}
	return !bad;
}

/* The class's identity (name and what it names) as a new record. */
static json_t *class_identity(const char *name, bool implicit, const struct sshd_conn *cn)
{
#define S(x) ((x) ? json_str(x) : json_null())
	return json_pack("{s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "name", json_str(name),
			 "implicit", implicit, "user", S(cn->user), "host", S(cn->host), "addr",
			 S(cn->addr), "laddr", S(cn->laddr), "lport",
			 cn->lport ? json_integer(cn->lport) : json_null(), "rdomain",
			 S(cn->rdomain));
#undef S
}

/* Every value column of a class null: nothing about it can be told. */
static int class_unknown(json_t *rec)
{
	for (const struct column *col = class_columns; col->name; col++)
		if (!json_object_get(rec, col->name) && json_set(rec, col->name, json_null()) < 0)
			return -ENOMEM;
	return 0;
}

/* The groups of the class's user into groups (an empty known list is
 * {NULL}) and rec; 1 if they are known. */
static int class_groups(struct probe_ctx *ctx, struct acct *a, const struct sshd_conn *cn,
			struct strv *groups, json_t *rec)
{
	int r = cn->user ? user_groups(ctx, a, cn->user, groups) : -ENOENT;
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT && cn->user)
		probe_msg(ctx,
			  "接続クラスの利用者 %s が /etc/passwd にないため、Match Group "
			  "の判定は不明とします",
			  "the connection class's user %s is not in /etc/passwd: its Match Group "
			  "answers are unknown",
			  cn->user, cn->user);
	if (json_set(rec, "groups", r == 0 ? strv_json(groups->v) : json_null()) < 0)
		return -ENOMEM;
	return r == 0;
}

/* The class's effective values into rec (nothing if the configuration
 * could not be read: class_unknown makes them null). */
static int class_values(struct probe_ctx *ctx, const struct sshd_config *c, const json_t *sshd,
			struct sshd_conn *cn, struct acct *a, json_t *rec)
{
	static char *const no_groups[] = {NULL};
	struct strv groups = {0};
	int known = class_groups(ctx, a, cn, &groups, rec);
	if (known < 0)
		return -ENOMEM;
	cn->groups = known ? (groups.v ? groups.v : no_groups) : NULL;
	json_t *v = sshd_class_json(c, cn, json_string_value(json_object_get(sshd, "version")));
	int r = v ? json_object_update(rec, v) : -ENOMEM;
	json_decref(v);
	strv_reset(&groups);
	return r < 0 ? -ENOMEM : 0;
}

/* One class record: spec NULL for the implicit default class. */
static json_t *class_record(struct probe_ctx *ctx, const struct sshd_config *c, bool have,
			    const json_t *sshd, const json_t *spec, struct acct *a, size_t idx)
{
	static const char *const copied[] = {"installed", "version", "pam_second_factor",
					     "pam_second_factor_modules"};
	struct sshd_conn cn = {.global = !spec};
	char fallback[32];
	bool ok = !spec || spec_conn(spec, &cn);
	const char *name = spec ? json_string_value(json_object_get(spec, "name")) : "default";
	snprintf(fallback, sizeof(fallback), "#%zu", idx + 1);
	if (!ok) {
		cn = (struct sshd_conn){0};
		probe_msg(ctx,
			  "ssh_connections の %zu 番目の接続クラスの形式が不正です（name "
			  "は必須、user/host/addr/laddr/rdomain は文字列、lport は 1〜65535）",
			  "ssh_connections entry %zu is malformed (name is required; user, host, "
			  "addr, laddr, rdomain are strings; lport is 1-65535)",
			  idx + 1, idx + 1);
	}
	json_auto_t *rec = class_identity(name ? name : fallback, !spec, &cn);
	if (!rec || (ok && have && class_values(ctx, c, sshd, &cn, a, rec) < 0))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(copied); i++)
		if (json_object_set(rec, copied[i], json_object_get(sshd, copied[i])) < 0)
			return NULL;
	return class_unknown(rec) < 0 ? NULL : json_incref(rec);
}

/* sshd_class: the implicit default class, then the baseline's
 * ssh_connections in their order. */
static int add_classes(struct probe_ctx *ctx, const struct sshd_config *c, bool have,
		       const json_t *sshd)
{
	const json_t *specs = ctx->params ? json_object_get(ctx->params, "ssh_connections") : NULL;
	struct acct a = {0};
	json_auto_t *arr = json_array();
	int r = arr ? 0 : -ENOMEM;
	size_t i;
	const json_t *spec;
	if (specs && !json_is_array(specs) && !json_is_null(specs))
		probe_msg_text(ctx, "ssh_connections は接続クラスの配列でなければなりません",
			       "ssh_connections must be an array of connection classes");
	if (r == 0)
		r = json_array_append_new(arr, class_record(ctx, c, have, sshd, NULL, &a, 0));
	if (json_array_size(specs) > MAX_SSH_CLASSES)
		probe_msg(
		    ctx, "ssh_connections の接続クラスが多すぎるため、先頭の %u 件だけを評価します",
		    "ssh_connections names too many classes: only the first %u are evaluated",
		    MAX_SSH_CLASSES, MAX_SSH_CLASSES);
	json_array_foreach(json_is_array(specs) ? specs : NULL, i, spec) {
		if (r < 0 || i >= MAX_SSH_CLASSES)
			break;
		r = json_array_append_new(arr, class_record(ctx, c, have, sshd, spec, &a, i));
	}
	acct_free(&a);
	if (r < 0)
		return -ENOMEM;
	return json_set(ctx->inventory, "sshd_class", json_incref(arr));
}

/* ---- the probe ------------------------------------------------------------ */

/* Each Match block gets sshd's UsePAM (global only: keyboard-interactive
 * asks PAM for the password only with it) and the AuthenticationMethods
 * a connection it matches gets: its own, else the global ones (another
 * block that also matches could set them first: the class rules see that). */
static int match_usepam(json_t *blocks, const json_t *sshd)
{
	size_t i;
	json_t *b;
	json_array_foreach(blocks, i, b) {
		json_t *own =
		    json_object_get(json_object_get(b, "overrides"), "authenticationmethods");
		json_t *am = own ? own : json_object_get(sshd, "authenticationmethods");
		if (json_object_set(b, "usepam", json_object_get(sshd, "usepam")) < 0 ||
		    json_object_set(b, "authenticationmethods", am) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The probe (declared in probe.h). Adds sshd, sshd_match, sshd_class,
 * ssh_authorized_keys and ssh_host_keys to ctx->inventory. Returns
 * -ENOMEM only; an unreadable file is a message, null facts and
 * ctx->partial. */
int probe_ssh_run(struct probe_ctx *ctx)
{
	_cleanup_(sshd_config_free) struct sshd_config c = {0};
	const struct confwalk_opts wo = {
	    .max_chain = LIMIT_INCLUDE_DEPTH + 1,
	    .max_files = LIMIT_SSHD_FILES + 1,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_DEPTH,
	    .on_file = io_file,
	    .on_problem = io_problem,
	    .ud = ctx,
	};
	_cleanup_confwalk_ struct confwalk *w = confwalk_new(ctx->root, &wo);
	struct sshd_io io = {io_glob, io_read, w, io_done};
	if (!w)
		return -ENOMEM;
	json_auto_t *o = json_object();
	if (!o || set_installation(ctx, o) < 0 ||
	    json_set(o, "config_path", json_string(PATH_SSHD_CONFIG)) < 0)
		return -ENOMEM;
	int lr = sshd_config_load(&c, PATH_SSHD_CONFIG, &io);
	if (lr == -ENOMEM)
		return lr;
	bool installed = json_is_true(json_object_get(o, "installed"));
	if (lr == -ENOENT && !installed)
		lr = 0; /* no sshd, no config: the defaults say nothing harmful */
	if (set_config(ctx, o, &c, lr) < 0 || set_pam(ctx, o) < 0)
		return -ENOMEM;
	json_t *m = lr == 0 ? sshd_match_json(&c) : json_null();
	if (!m || match_usepam(m, o) < 0 || json_set(ctx->inventory, "sshd_match", m) < 0 ||
	    json_set(ctx->inventory, "sshd", json_incref(o)) < 0 ||
	    add_classes(ctx, &c, lr == 0, o) < 0)
		return -ENOMEM;
	if (add_host_keys(ctx, &c, lr == 0) < 0 || add_authorized_keys(ctx, &c, lr == 0) < 0)
		return -ENOMEM;
	return 0;
}
