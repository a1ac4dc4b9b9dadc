/* logging_parse.h - pure parsers for the logging probe: journald.conf,
 * rsyslog (legacy selectors and RainerScript), syslog-ng, logrotate and
 * auditd. Each takes (const char *buf, size_t len) and never does I/O;
 * includes are handed back to the caller through callbacks, so the probe
 * (logging.c) decides what to read, with which limits.
 *
 * Ownership: strings handed to callbacks are borrowed for the call only.
 * Structures filled here own their strings; free them with the matching
 * _free function.
 */
#ifndef TENKEN_LOGGING_PARSE_H
#define TENKEN_LOGGING_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "probes/parse/ini.h"

/* A malformed line, in both languages (static strings). */
typedef void (*lp_bad_fn)(void *ud, unsigned line, const char *ja, const char *en);

/* ---- shared ---- */

/* systemd's boolean spellings: 1 true, 0 false, -EINVAL otherwise. */
int lp_bool(const char *s);
/* A systemd time span ("1month", "2w 3d", "3600", "0") in whole seconds,
 * or -EINVAL. Units as systemd.time(7): a month is 30.44 days, a year
 * 365.25 days; a bare number is seconds. */
int lp_timespan(const char *s, long long *ret);

/* dropins_order (systemd's drop-in order) is in probes/parse/ini.h. */

/* ---- journald.conf ---- */

/* Settings found so far; each later file overrides what it sets, as
 * systemd applies drop-ins. NULL/-1 means "not set anywhere". */
struct journald_conf {
	char *storage;		 /* volatile|persistent|auto|none as written, lower case */
	long long max_retention; /* seconds; 0 means no limit; -1 not set */
	char *system_max_use;	 /* as written ("500M") */
	char *system_keep_free;	 /* as written */
	long long max_file_sec;	 /* seconds; 0 means no time-based rotation; -1 not set */
	int forward_to_syslog;	 /* -1 not set */
	char *storage_src;	 /* "file:line" of the effective Storage= */
	char *retention_src;
	bool line_unread; /* a line over LIMIT_LINE was not read */
};
void journald_conf_free(struct journald_conf *c);
/* journald's sizes (SystemMaxUse=, SystemKeepFree=): bytes, or a number
 * with K, M, G, T, P or E (powers of 1024, a fraction allowed: "1.5G").
 * Returns 0 or -EINVAL. */
int journald_parse_size(const char *s, unsigned long long *ret);

/* ---- journal files ---- */

/* The fields of a journal file's header (systemd's JOURNAL_FILE_FORMAT,
 * all little-endian) the retention estimate needs. */
#define JOURNAL_HEADER_MIN 208u /* up to tail_entry_monotonic: every version */
struct journal_header {
	unsigned state; /* 0 offline, 1 online, 2 archived */
	unsigned long long header_size, arena_size, n_entries;
	unsigned long long head_realtime, tail_realtime; /* microseconds, 0 when empty */
};
/* Parse the first len bytes of a journal file. Returns 0, or -EBADMSG
 * when the signature "LPKSHHRH" is missing, len is below
 * JOURNAL_HEADER_MIN, header_size is smaller than that, or the head is
 * after the tail. */
int journal_header_parse(const void *buf, size_t len, struct journal_header *ret);
/* Apply one journald.conf-format file (path is used only for the
 * *_src fields). Only the [Journal] section counts. An empty assignment
 * resets the key to its default. Returns 0 or -ENOMEM. */
int journald_parse(const char *buf, size_t len, const char *path, struct journald_conf *c,
		   lp_bad_fn bad, void *ud);

/* ---- rsyslog ---- */

enum syslog_target_kind {
	ST_FILE,    /* a file ("/var/log/auth.log", omfile) */
	ST_REMOTE,  /* @host, @@host, omfwd, omrelp */
	ST_DISCARD, /* ~ or stop */
	ST_OTHER,   /* users, pipes, databases, dynamic files */
};

/* One action: where messages the selector picks go. */
struct syslog_action {
	unsigned line;
	const char *selector; /* as written (borrowed) */
	bool auth;	      /* the selector picks auth or authpriv messages */
	enum syslog_target_kind kind;
	const char *target; /* file path or remote host (borrowed), may be "" */
};

struct syslog_cb {
	void (*action)(void *ud, const struct syslog_action *a);
	/* An include: a file, directory or glob as written. */
	void (*include)(void *ud, unsigned line, const char *pattern, bool optional);
	lp_bad_fn bad;
	void *ud;
};

/* Whether a legacy selector ("*.*;auth,authpriv.none", "auth,authpriv.*",
 * "authpriv.info") picks info-level messages of facility auth or
 * authpriv (logins and sudo log at info and notice: "auth.err" alone
 * does not record them). */
bool rsyslog_selector_auth(const char *sel);
/* Parse an rsyslog configuration. Statements that span lines
 * (RainerScript action(...) / include(...) with parentheses open at the
 * end of a line) are joined, up to LIMIT_LINE bytes. Returns 0 or
 * -ENOMEM. */
int rsyslog_parse(const char *buf, size_t len, const struct syslog_cb *cb);

/* ---- syslog-ng ---- */

/* Parse a syslog-ng configuration: sources reading the local log
 * (system(), unix-dgram/-stream("/dev/log")), destinations (file(),
 * network()/tcp()/udp()/syslog()), filters naming facilities, and log
 * paths joining them. Each destination a log path with a local source
 * uses is reported as an action ("log@LINE" as selector); @include is
 * handed to cb->include. Returns 0 or -ENOMEM. */
int syslogng_parse(const char *buf, size_t len, const struct syslog_cb *cb);

/* ---- logrotate ---- */

enum lr_period {
	LR_NONE,   /* no time criterion: rotated by size only, or never */
	LR_HOURLY, /* as days: 1/24 */
	LR_DAILY,
	LR_WEEKLY,
	LR_MONTHLY,
	LR_YEARLY,
	LR_SIZE, /* "size" given after the period: time is ignored */
};
struct lr_opts {
	enum lr_period period;
	long rotate; /* -1 keeps for ever; logrotate's default is 0 */
	long maxage; /* days; -1 unset */
	unsigned period_line, rotate_line;
};
struct lr_block {
	char **patterns; /* globs as written */
	size_t npatterns;
	struct lr_opts opts;
	char *source; /* "file:line" where the block starts */
};
struct lr_state {
	struct lr_opts global;
	struct lr_block *blocks;
	size_t nblocks;
	unsigned files; /* files parsed so far (include fan-out bound) */
};
void lr_state_init(struct lr_state *st);
void lr_state_free(struct lr_state *st);
/* Parse one logrotate file into st: global directives change st->global
 * for what follows; a block copies the globals as they are and applies
 * its own directives. "include X" calls include(ud, line, X) right away,
 * so included files are applied in place as logrotate does. Returns 0 or
 * -ENOMEM. */
int logrotate_parse(const char *buf, size_t len, const char *path, struct lr_state *st,
		    void (*include)(void *ud, unsigned line, const char *target), lp_bad_fn bad,
		    void *ud);
/* The first block with a pattern matching path (logrotate refuses a
 * second entry for the same file), or NULL. */
const struct lr_block *lr_find(const struct lr_state *st, const char *path);
/* Days of rotated logs the options keep: rotate x period, capped by
 * maxage. -1 when unknown (size-only rotation, no period); *unlimited set
 * when nothing is ever deleted (rotate -1 without maxage). */
long lr_retention_days(const struct lr_opts *o, bool *unlimited);

/* ---- auditd ---- */

struct audit_rule {
	char *key;	    /* -k / -F key=, NULL if none */
	char *canon;	    /* the rule as the kernel compares it (EEXIST), or NULL */
	unsigned char what; /* AUDIT_W_* bits the rule contributes */
};
struct audit_rules {
	bool logins, sudo, accounts; /* watched, see audit_rules_parse */
	bool passwd, shadow, group;  /* the account files separately */
	int enabled;		     /* last -e value, -1 none */
	unsigned nrules;	     /* -w and -a rules in effect */
	struct audit_rule *v;	     /* those rules */
	size_t cap;
	/* auditctl -R stops at the first line it rejects unless -c or -i
	 * came before; after -e 2 every change is refused (EPERM). */
	bool cont;	     /* -c or -i seen: errors do not stop the load */
	bool locked;	     /* -e 2 applied */
	unsigned stop_line;  /* the line where the load stops, 0 none */
	unsigned rejected;   /* lines auditctl refuses */
	unsigned not_loaded; /* -w/-a rules rejected or after stop_line */
};
/* Whether auditctl accepts one rules line (its words, as auditctl -R
 * splits them): 0, or -EINVAL with the reason in Japanese and English.
 * Checks what auditctl's option parser checks without the kernel:
 * known options and their arguments, -w paths, -p and perm= letters,
 * list,action pairs, -e/-f/-b/-r values, -F field names and operators,
 * arch= before -S, key length and a watch or syscall before -k. Syscall
 * names and user names are not checked (they need the host's tables). */
int audit_rule_check(char **tok, size_t n, const char **ret_ja, const char **ret_en);
void audit_rules_free(struct audit_rules *r);
/* Apply one rules file (audit.rules or a rules.d file) to r, as auditctl
 * -R does line by line: a line it rejects (audit_rule_check, a rule
 * already loaded: EEXIST, any change after -e 2: EPERM) is reported and
 * stops the load there unless -c or -i came before; rules after it are
 * counted in not_loaded, not in nrules. A bare -D deletes every rule seen before; -D with
 * -k KEY deletes the rules carrying that key. logins: a watch (-w or -F
 * path=) on faillog,
 * lastlog, tallylog, faillock, wtmp, btmp or utmp; sudo: a write watch on
 * /etc/sudoers(.d), or an execution watch on sudo or su (-w ... -p x, or
 * -a ... -F path=/usr/bin/sudo / exe=); accounts: write watches on
 * /etc/passwd, /etc/shadow and /etc/group all three. Call with r zeroed
 * (enabled -1); free with audit_rules_free. */
void audit_rules_parse(const char *buf, size_t len, struct audit_rules *r, lp_bad_fn bad, void *ud);
/* augenrules (auditd's /sbin/augenrules, a shell script) builds
 * /etc/audit/audit.rules from /etc/audit/rules.d at every start of
 * auditd.service. Its steps, reproduced here:
 *  - the names `ls -1v` lists (no hidden names), in version order (GNU
 *    filevercmp, ties bytewise), those ending in ".rules";
 *  - their bytes concatenated as `cat` does (a file without a final
 *    newline runs into the next file's first line);
 *  - awk drops empty lines and lines matching ^\s*#, keeps only the last
 *    -e, the last bare -D, the last -b and the last -f line, and writes a
 *    header line, then -D, -b, -f (an empty line for each one missing),
 *    every other line in order, then -e.
 * The awk regexes are written with \s: gawk and busybox read it as a
 * blank, mawk (Debian's default awk) and the one-true-awk as the letter
 * 's', so a comment or -D indented by blanks is kept by mawk. */
enum awk_dialect {
	AWK_S_BLANK,  /* \s is [[:space:]] (gawk, busybox) */
	AWK_S_LETTER, /* \s is the letter s (mawk, original-awk) */
};
struct rules_file {
	const char *name; /* file name in rules.d (borrowed) */
	const char *buf;  /* its bytes (borrowed) */
	size_t len;
};
/* GNU ls -v order of two file names (filevercmp, then strcmp). */
int augen_name_cmp(const char *a, const char *b);
/* Whether augenrules reads a rules.d entry of this name: not hidden, ends
 * in ".rules". Names with blanks or glob characters are split or
 * expanded by the script's unquoted $(...), so cat never reads them as
 * one file: false, with *ret_mangled set. */
bool augen_name_selected(const char *name, bool *ret_mangled);
/* The file augenrules writes, from the selected files (sorted here in
 * place into ls -v order). New NUL-terminated string in *ret, its length
 * in *ret_len. Returns 0 or -ENOMEM. */
int augenrules_assemble(struct rules_file *files, size_t n, enum awk_dialect d, char **ret,
			size_t *ret_len);
/* One key of auditd.conf ("log_file") as a new string, 0; -ENOENT if
 * absent; -ENOMEM. The last assignment wins. */
int auditd_conf_get(const char *buf, size_t len, const char *key, char **ret);

#endif
