/* remote.c - the remote side of `tenken fleet`, as text: fixed scripts
 * whose only variable parts are single-quoted arguments, and the reading of
 * what comes back. Nothing here runs a process.
 *
 * The run script makes a private directory (mktemp -d under the host's
 * TMPDIR, umask 077), removes it on every exit path through a trap, checks
 * the copied binary's sha256 against the collector's before executing it,
 * and runs it with `sudo -n` (never a password prompt) when not root. Its
 * name carries the run's random token, so the collector can remove it over
 * the master connection after a timeout or Ctrl-C. */
#include <stdio.h>
#include <string.h>
#include "fleet/remote.h"

static const char probe_script[] =
    "echo \"arch=$(uname -m)\"; echo \"os=$(uname -s)\"; echo \"uid=$(id -u)\"; "
    "if p=$(command -v tenken 2>/dev/null); then echo \"tenken=$p\"; "
    "echo \"version=$(\"$p\" --version 2>/dev/null | head -n 1)\"; fi; "
    "command -v sha256sum >/dev/null 2>&1 && echo sha256sum=yes; "
    "command -v gzip >/dev/null 2>&1 && echo gzip=yes; echo end=ok";

static const char run_script[] =
    "umask 077; S=; [ \"$(id -u)\" = 0 ] || S=\"sudo -n --\"; "
    "if p=$(command -v tenken 2>/dev/null) && [ \"${p#/}\" != \"$p\" ] && "
    "[ \"$(\"$p\" --version 2>/dev/null </dev/null | head -n 1)\" = \"$3\" ]; then b=$p; else "
    "h=\"$(uname -s) $(uname -m)\"; [ \"$h\" = \"$4\" ] || "
    "{ echo \"tenken-fleet: the host is $h, this tenken $4\" >&2; exit 93; }; "
    "command -v sha256sum >/dev/null 2>&1 || { echo \"tenken-fleet: no sha256sum\" >&2; exit 94; "
    "}; "
    "d=$(mktemp -d \"${TMPDIR:-/tmp}/tenken-fleet-$2.XXXXXX\") || exit 90; "
    "trap \"rm -rf -- \\\"$d\\\"\" EXIT; trap \"exit 129\" HUP; trap \"exit 130\" INT; "
    "trap \"exit 143\" TERM; trap \"exit 141\" PIPE; b=$d/tenken; "
    "if [ \"$5\" = gzip ] && command -v gzip >/dev/null 2>&1; then "
    "echo \"" FLEET_ASK_GZIP "\" >&2; gzip -dc >\"$b\" || exit 90; "
    "else echo \"" FLEET_ASK_PLAIN "\" >&2; cat >\"$b\" || exit 90; fi; "
    "echo \"$1  $b\" | sha256sum -c --status || "
    "{ echo \"tenken-fleet: sha256 mismatch\" >&2; exit 91; }; "
    "chmod 700 \"$b\" || exit 90; "
    "fi; shift 5; $S \"$b\" scan --format json \"$@\" </dev/null";

static const char cleanup_script[] = "rm -rf -- \"${TMPDIR:-/tmp}\"/tenken-fleet-$1.*";

static const char list_script[] =
    "r=${TENKEN_REPORTS_DIR:-" FLEET_REPORTS_DIR "}; S=; [ \"$1\" = 1 ] && S=\"sudo -n --\"; "
    "if $S test -d \"$r\"; then exec $S ls -1 -- \"$r\"; fi; exit 92";

static const char fetch_script[] =
    "r=${TENKEN_REPORTS_DIR:-" FLEET_REPORTS_DIR "}; "
    "if [ \"$1\" = 1 ]; then exec sudo -n -- cat -- \"$r/$2\"; fi; exec cat -- \"$r/$2\"";

int sh_quote(struct strbuf *sb, const char *s)
{
	int r = strbuf_puts(sb, "'");
	for (const char *p = s; r == 0 && *p; p++)
		r = *p == '\'' ? strbuf_puts(sb, "'\\''") : strbuf_append(sb, p, 1);
	return r ? r : strbuf_puts(sb, "'");
}

/* "sh -c 'SCRIPT' tenken-fleet" and then the arguments, each quoted. */
static int script_cmd(struct strbuf *sb, const char *script, const char *const *args)
{
	int r = strbuf_puts(sb, "sh -c ");
	if (r == 0)
		r = sh_quote(sb, script);
	if (r == 0)
		r = strbuf_puts(sb, " tenken-fleet");
	for (; r == 0 && args && *args; args++) {
		r = strbuf_puts(sb, " ");
		if (r == 0)
			r = sh_quote(sb, *args);
	}
	return r;
}

int remote_probe_cmd(struct strbuf *sb)
{
	return script_cmd(sb, probe_script, NULL);
}

int remote_run_cmd(struct strbuf *sb, const char *sha, const char *token, const char *version,
		   const char *platform, bool offer_gzip, char *const *scan_args)
{
	const char *head[] = {sha, token, version, platform, offer_gzip ? "gzip" : "plain", NULL};
	int r = script_cmd(sb, run_script, head);
	for (; r == 0 && scan_args && *scan_args; scan_args++) {
		r = strbuf_puts(sb, " ");
		if (r == 0)
			r = sh_quote(sb, *scan_args);
	}
	return r;
}

int remote_cleanup_cmd(struct strbuf *sb, const char *token)
{
	const char *args[] = {token, NULL};
	return script_cmd(sb, cleanup_script, args);
}

int remote_list_cmd(struct strbuf *sb, bool use_sudo)
{
	const char *args[] = {use_sudo ? "1" : "0", NULL};
	return script_cmd(sb, list_script, args);
}

int remote_fetch_cmd(struct strbuf *sb, bool use_sudo, const char *name)
{
	const char *args[] = {use_sudo ? "1" : "0", name, NULL};
	return script_cmd(sb, fetch_script, args);
}

static void take(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

void probe_info_parse(const char *buf, size_t len, struct probe_info *ret)
{
	struct line_iter it;
	struct line l;
	memset(ret, 0, sizeof(*ret));
	ret->uid = -1;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *eq = memchr(l.s, '=', l.len);
		if (!eq || memchr(l.s, '\0', l.len))
			continue;
		size_t kn = (size_t)(eq - l.s), vn = l.len - kn - 1;
		const char *v = eq + 1;
		if (kn == 4 && memcmp(l.s, "arch", 4) == 0)
			take(ret->arch, sizeof(ret->arch), v, vn);
		else if (kn == 2 && memcmp(l.s, "os", 2) == 0)
			take(ret->os, sizeof(ret->os), v, vn);
		else if (kn == 3 && memcmp(l.s, "uid", 3) == 0 &&
			 parse_long_n(v, vn, &ret->uid) < 0)
			ret->uid = -1;
		else if (kn == 6 && memcmp(l.s, "tenken", 6) == 0 && vn > 0 && v[0] == '/' &&
			 vn < sizeof(ret->tenken))
			take(ret->tenken, sizeof(ret->tenken), v, vn);
		else if (kn == 7 && memcmp(l.s, "version", 7) == 0)
			take(ret->version, sizeof(ret->version), v, vn);
		else if (kn == 4 && memcmp(l.s, "gzip", 4) == 0)
			ret->gzip = vn == 3 && memcmp(v, "yes", 3) == 0;
		else if (kn == 9 && memcmp(l.s, "sha256sum", 9) == 0)
			ret->sha256sum = vn == 3 && memcmp(v, "yes", 3) == 0;
		else if (kn == 3 && memcmp(l.s, "end", 3) == 0)
			ret->complete = vn == 2 && memcmp(v, "ok", 2) == 0;
	}
	if (ret->uid < 0 || !ret->arch[0])
		ret->complete = false;
}

bool report_name_ok(const char *s, size_t n)
{
	static const char pat[] = "tenken-DDDDDDDDTDDDDDDZ.json";
	size_t pn = sizeof(pat) - 1;
	if (n != pn && !(n == pn + 4 && memcmp(s + pn, ".sig", 4) == 0))
		return false;
	for (size_t i = 0; i < pn; i++)
		if (pat[i] == 'D' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
			return false;
	return true;
}

/* The first line of err containing needle, or NULL. */
static const char *find_line(const char *err, size_t n, const char *needle, size_t *ret_len)
{
	struct line_iter it;
	struct line l;
	line_iter_init(&it, err, n);
	while (line_iter_next(&it, &l))
		if (memmem(l.s, l.len, needle, strlen(needle))) {
			*ret_len = l.len;
			return l.s;
		}
	return NULL;
}

static const char *last_line(const char *err, size_t n, size_t *ret_len)
{
	struct line_iter it;
	struct line l;
	const char *last = NULL;
	line_iter_init(&it, err, n);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t len = l.len;
		str_trim(&s, &len);
		static const char noise[] = "Warning: Permanently added";
		if (len > 0 &&
		    !(len >= sizeof(noise) - 1 && memcmp(s, noise, sizeof(noise) - 1) == 0)) {
			last = s;
			*ret_len = len;
		}
	}
	return last;
}

static const struct {
	const char *needle, *reason;
	bool ssh_only; /* only meaningful when ssh itself failed (status 255) */
} signs[] = {
    {"a password is required", "sudo_password", false},
    {"a terminal is required", "sudo_password", false},
    {"REMOTE HOST IDENTIFICATION HAS CHANGED", "host_key_changed", true},
    {"POSSIBLE DNS SPOOFING", "host_key_changed", true},
    {"host key is known for", "host_key_unknown", true},
    {"Host key verification failed", "host_key_unknown", true},
    {"Permission denied", "auth_failed", true},
    {"Too many authentication failures", "auth_failed", true},
    {"Connection refused", "unreachable", true},
    /* the TCP connection was accepted but no sshd answered within
     * ConnectTimeout: a host that hangs, not one that cannot be reached */
    {"timed out during banner exchange", "timeout", true},
    {"timed out", "unreachable", true},
    {"No route to host", "unreachable", true},
    {"Network is unreachable", "unreachable", true},
    {"Could not resolve hostname", "unreachable", true},
    {"Connection closed", "unreachable", true},
    {"Connection reset", "unreachable", true},
    {"sha256 mismatch", "binary_refused", false},
};

const char *classify_failure(int status, const char *err, size_t errlen, char *detail, size_t n)
{
	const char *line = NULL, *reason = NULL;
	size_t len = 0;
	for (size_t i = 0; i < ARRAY_SIZE(signs) && !reason; i++) {
		if (signs[i].ssh_only && status != 255)
			continue;
		line = find_line(err, errlen, signs[i].needle, &len);
		if (line)
			reason = signs[i].reason;
	}
	if (!reason) {
		line = last_line(err, errlen, &len);
		if (status == 255)
			reason = "unreachable";
		else if (status == FLEET_RC_ARCH)
			reason = "arch_unsupported";
		else if (status == FLEET_RC_TMP || status == FLEET_RC_CHECKSUM ||
			 status == FLEET_RC_NOSHA || status == 126 || status == 127)
			reason = "binary_refused";
		else
			reason = "scan_failed";
	}
	detail[0] = '\0';
	if (line && n > 0) {
		str_trim(&line, &len);
		take(detail, n, line, len);
	}
	/* a host's bytes reach the collector's terminal: no control characters */
	for (char *c = detail; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return reason;
}

static const struct {
	const char *reason, *ja, *en;
} texts[] = {
    {"unreachable", "ホストに接続できません", "the host cannot be reached"},
    {"host_key_unknown", "ホスト鍵が known_hosts にありません",
     "the host key is not in known_hosts"},
    {"host_key_changed", "ホスト鍵が known_hosts の記録と異なります（なりすましの可能性）",
     "the host key differs from known_hosts (possible impersonation)"},
    {"auth_failed", "SSH の認証に失敗しました", "SSH authentication failed"},
    {"sudo_password", "sudo がパスワードを求めました（sudo -n で実行できる設定が必要です）",
     "sudo asks for a password (tenken must be allowed to run with sudo -n)"},
    {"timeout", "時間切れです（接続して 10 秒応答がないか、--timeout）",
     "timed out (no answer 10 s after connecting, or --timeout)"},
    {"binary_refused", "tenken のバイナリを送れないか実行できません",
     "the tenken binary could not be sent or run"},
    {"arch_unsupported", "このバイナリはホストのアーキテクチャで動きません",
     "this binary cannot run on the host's architecture"},
    {"not_json", "ホストの出力が tenken の JSON レポートではありません",
     "the host's output is not a tenken JSON report"},
    {"scan_failed", "検査に失敗しました", "the scan failed"},
    {"interrupted", "中断されました（Ctrl-C）", "interrupted (Ctrl-C)"},
};

void reason_text(const char *reason, const char **ja, const char **en)
{
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
		if (strcmp(texts[i].reason, reason) == 0) {
			*ja = texts[i].ja;
			*en = texts[i].en;
			return;
		}
	*ja = *en = reason;
}
