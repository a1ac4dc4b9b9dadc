/* accounts_parse.h - pure parsers behind the accounts probe: passwd(5),
 * shadow(5), group(5), gshadow(5), login.defs(5), /etc/default/useradd
 * and authorized_keys counting. Each takes (const char *buf, size_t len),
 * does no I/O, and returns structs; problems with single lines are
 * collected as issues (line number + bilingual text) for the probe to
 * report, and the line is skipped.
 *
 * Secrets: a password field is classified into enum pw_state while the
 * line is parsed and never copied anywhere; key material in
 * authorized_keys is only counted.
 *
 * Ownership: *_parse fill a caller-provided struct with new allocations;
 * free it with the matching *_free (which accept a zeroed struct).
 */
#ifndef TENKEN_ACCOUNTS_PARSE_H
#define TENKEN_ACCOUNTS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <jansson.h>

/* What a password field allows. PW_SHADOW is passwd's "x": the real
 * field is in shadow (or gshadow for a group). */
enum pw_state {
	PW_UNKNOWN = 0,
	PW_SET,	     /* looks like a crypt(3) hash */
	PW_EMPTY,    /* "": no password at all */
	PW_LOCKED,   /* "!" before a hash (usermod -L / passwd -l) */
	PW_DISABLED, /* "*", "!", "!!", "!*", or anything no hash can equal */
	PW_SHADOW,
};
/* Classify a password field ("x" is only special in passwd/group, so
 * callers pass shadow_marker). Never stores the field. */
enum pw_state pw_classify(const char *s, size_t n, bool shadow_marker);
/* "set", "empty", "locked", "disabled"; NULL for PW_UNKNOWN/PW_SHADOW. */
const char *pw_state_name(enum pw_state st);

struct parse_issue {
	unsigned line;
	const char *ja, *en; /* static strings */
};
struct parse_issues {
	struct parse_issue *v;
	size_t n, cap;
};
void parse_issues_free(struct parse_issues *is);

/* A list of names (group members, administrators). */
struct namelist {
	char **v;
	size_t n;
};

struct passwd_entry {
	char *name, *gecos, *home, *shell; /* may hold bytes that are not UTF-8 */
	long uid, gid;			   /* 0 .. 4294967294 */
	enum pw_state pw;		   /* PW_SHADOW for "x" */
	unsigned line;
};
struct passwd_db {
	struct passwd_entry *v;
	size_t n;
	size_t *by_name, *by_id; /* indexes into v, sorted, for lookups */
};
/* Parse passwd(5). Lines with other than 7 fields, an empty name, a uid
 * or gid that is not a decimal number in range, a NUL byte, or longer
 * than LIMIT_LINE are issues; "+"/"-" NIS compat lines are issues too
 * (reported as such); a duplicate name keeps the first entry, as the
 * system's lookups do. Blank lines and lines starting with '#' are
 * skipped silently. Returns 0 or -ENOMEM. */
int passwd_parse(const char *buf, size_t len, struct passwd_db *ret, struct parse_issues *issues);
void passwd_db_free(struct passwd_db *db);
/* First entry with this name, or NULL. */
const struct passwd_entry *passwd_find(const struct passwd_db *db, const char *name);
/* First entry with this uid (for file owner names), or NULL. */
const struct passwd_entry *passwd_find_uid(const struct passwd_db *db, long uid);

/* shadow(5) numeric fields: SHADOW_NONE for an empty field (or -1),
 * SHADOW_BAD for one that is not a number in range (reported). Dates are
 * days since 1970-01-01. */
#define SHADOW_NONE (-1L)
#define SHADOW_BAD  (-2L)
struct shadow_entry {
	char *name;
	enum pw_state pw;
	long lastchg, min, max, warn, inactive, expire;
	unsigned line;
};
struct shadow_db {
	struct shadow_entry *v;
	size_t n;
	size_t *by_name, *by_id; /* by_id unused */
};
/* Parse shadow(5): 9 fields. Same line rules as passwd_parse. */
int shadow_parse(const char *buf, size_t len, struct shadow_db *ret, struct parse_issues *issues);
void shadow_db_free(struct shadow_db *db);
const struct shadow_entry *shadow_find(const struct shadow_db *db, const char *name);

/* A fact that may be unknown (JSON null). */
enum tri { TRI_UNKNOWN = -1, TRI_FALSE = 0, TRI_TRUE = 1 };

/* What the shadow dates say against now, judged as pam_unix's account
 * check does (Debian logins go through it). A field that did not parse
 * makes the facts that need it TRI_UNKNOWN. */
struct shadow_facts {
	enum tri must_change;	   /* lastchg is 0 */
	enum tri password_expired; /* must_change, or older than max days */
	enum tri inactive_locked;  /* expired longer than the inactivity period */
	enum tri expired;	   /* account expiry date reached */
	bool has_changed;	   /* lastchg is a real date: */
	time_t changed;
	long days_since_change;
	bool has_expires; /* expire is a date: */
	time_t expires;
};
void shadow_judge(const struct shadow_entry *e, time_t now, struct shadow_facts *ret);

struct group_entry {
	char *name;
	long gid;			 /* -1 for a gshadow entry */
	enum pw_state pw;		 /* PW_SHADOW for "x" in group */
	struct namelist members, admins; /* admins: gshadow only */
	unsigned line;
};
struct group_db {
	struct group_entry *v;
	size_t n;
	size_t *by_name, *by_id;
};
/* Parse group(5) (is_gshadow false: name:passwd:gid:members) or
 * gshadow(5) (true: name:passwd:admins:members). Empty names in a member
 * list ("a,,b", a trailing comma) are dropped. */
int group_parse(const char *buf, size_t len, bool is_gshadow, struct group_db *ret,
		struct parse_issues *issues);
void group_db_free(struct group_db *db);
const struct group_entry *group_find(const struct group_db *db, const char *name);
/* First group with this gid (what getgrgid answers), or NULL. */
const struct group_entry *group_find_gid(const struct group_db *db, long gid);
bool namelist_has(const struct namelist *l, const char *name);

/* login.defs(5) as shadow-utils' getdef reads it: the key is the first
 * word (case-sensitive), the value the rest of the line with leading
 * blanks and double quotes skipped and cut at the next double quote; the
 * last occurrence of a key wins. Returns 1 and a new string, 0 if the key
 * is absent, -ENOMEM. */
int login_defs_get(const char *buf, size_t len, const char *key, char **ret, unsigned *ret_line);
/* /etc/default/useradd as useradd reads it: KEY=VALUE, split at the first
 * '=', key and value taken as written; the last occurrence wins. Same
 * returns as login_defs_get. */
int useradd_get(const char *buf, size_t len, const char *key, char **ret, unsigned *ret_line);
/* A getdef number: decimal, 0-prefixed octal or 0x hex, the whole string
 * (strtol base 0). -EINVAL or -ERANGE otherwise. */
int defs_number(const char *s, long *ret);

/* The "login_defs" object. defs is login.defs (NULL if unreadable: every
 * login.defs fact null); useradd is /etc/default/useradd (NULL and
 * useradd_missing: built-in defaults; NULL otherwise: nulls). Keys absent
 * from a readable file take shadow-utils' built-in defaults (UID_MIN
 * 1000, UID_MAX 60000, SYS_UID_MAX UID_MIN-1, PASS_MAX_DAYS,
 * PASS_MIN_DAYS and PASS_WARN_AGE -1, UMASK 022, useradd INACTIVE -1,
 * EXPIRE ""); PASS_MIN_LEN, ENCRYPT_METHOD and useradd SHELL have no
 * default that decides anything (PAM does, or the distribution's useradd)
 * and are null when absent. "defined" lists the login.defs keys present.
 * Values that do not parse are issues and take the default. New
 * reference, NULL on allocation failure. Issues go to defs_issues or
 * useradd_issues by file. */
json_t *login_defs_json(const char *defs, size_t defs_len, const char *useradd, size_t useradd_len,
			bool useradd_missing, struct parse_issues *defs_issues,
			struct parse_issues *useradd_issues);

/* The effective UID_MIN for "system" (default 1000). */
long login_defs_uid_min(const json_t *login_defs);
/* UID_MAX, 60000 (shadow-utils' default) when unset. */
long login_defs_uid_max(const json_t *login_defs);

/* Keys in an authorized_keys file: non-empty, non-comment lines whose
 * first word, or the word after an options list (which may hold quoted
 * strings with blanks), is an SSH key type followed by key data. */
size_t authorized_keys_count(const char *buf, size_t len);

/* A shell that gives a login: not nologin, false, sync, halt, shutdown;
 * an empty shell means /bin/sh (passwd(5)) and is interactive. */
bool shell_is_interactive(const char *shell);

#endif
