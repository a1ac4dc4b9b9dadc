/* remote.h - what `tenken fleet` says to a host and how it reads the
 * answer: the fixed remote scripts, the quoting of their arguments for the
 * remote shell, the probe's answer, and the classification of a failure
 * from ssh's and sudo's exit status and messages. Pure functions, so the
 * unit tests and the fuzzer reach them without a network. */
#ifndef TENKEN_FLEET_REMOTE_H
#define TENKEN_FLEET_REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/util.h"

/* Where the timer writes dated reports on a host (CONTRACTS.md). The
 * remote scripts honour TENKEN_REPORTS_DIR in the host's environment. */
#define FLEET_REPORTS_DIR "/var/lib/tenken/reports"

/* Exit statuses of the run script that are not tenken's own. */
#define FLEET_RC_TMP	   90 /* mktemp or copying the binary failed */
#define FLEET_RC_CHECKSUM  91 /* the copy's sha256 differs from ours */
#define FLEET_RC_NOREPORTS 92 /* --collect: no reports directory */
#define FLEET_RC_ARCH	   93 /* this binary is not for the host's system */
#define FLEET_RC_NOSHA	   94 /* no sha256sum on the host: nothing is sent */

/* What the run script writes on stderr, alone on a line, when it wants
 * this binary on its stdin (gzip-compressed or as it is); nothing is sent
 * before, so a host that runs its own tenken receives nothing. */
#define FLEET_ASK_GZIP	"tenken-fleet: send gzip"
#define FLEET_ASK_PLAIN "tenken-fleet: send plain"

/* Remote commands, each `sh -c 'SCRIPT' tenken-fleet ARGS...` with every
 * ARG single-quoted: the host's login shell only splits words. All return
 * 0 on success or -ENOMEM / -E2BIG, appending to sb. */
int remote_probe_cmd(struct strbuf *sb);
/* The run: one session that decides on the host. A tenken on the host's
 * PATH whose `--version` says version runs as it is; otherwise, when the
 * host's "`uname -s` `uname -m`" is platform and it has sha256sum, the
 * script makes a private directory named with token, asks for the binary
 * (FLEET_ASK_GZIP when offer_gzip and the host has gzip, else
 * FLEET_ASK_PLAIN), checks the copy's sha256 against sha (hex, of the
 * binary as it will run) and only then runs it. `sudo -n` when the login
 * user is not root; scan_args are passed to `tenken scan`. */
int remote_run_cmd(struct strbuf *sb, const char *sha, const char *token, const char *version,
		   const char *platform, bool offer_gzip, char *const *scan_args);
int remote_cleanup_cmd(struct strbuf *sb, const char *token);
int remote_list_cmd(struct strbuf *sb, bool use_sudo);
int remote_fetch_cmd(struct strbuf *sb, bool use_sudo, const char *name);

/* Append s to sb as one single-quoted word for a POSIX shell. */
int sh_quote(struct strbuf *sb, const char *s);

/* The probe's answer ("key=value" lines). */
struct probe_info {
	char arch[64], os[32], tenken[1024], version[64];
	long uid; /* -1 when not said */
	bool sha256sum, gzip, complete;
};
void probe_info_parse(const char *buf, size_t len, struct probe_info *ret);

/* A report name the timer writes: tenken-YYYYmmddTHHMMSSZ.json[.sig]. */
bool report_name_ok(const char *s, size_t n);

/* Why a session failed, from its exit status (-1: killed by a signal) and
 * stderr: one of the contract's reasons (CONTRACTS.md), and the stderr line
 * that says so (into detail, at most n bytes, "" when none). */
const char *classify_failure(int status, const char *err, size_t errlen, char *detail, size_t n);

/* The Japanese and English text of a reason (static strings). */
void reason_text(const char *reason, const char **ja, const char **en);

#endif
