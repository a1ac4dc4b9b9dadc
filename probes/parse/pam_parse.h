/* pam_parse.h - pure parsers for PAM configuration: /etc/pam.d service
 * files and the key = value files of pam_pwquality (pwquality.conf),
 * pam_pwhistory (pwhistory.conf) and pam_faillock (faillock.conf).
 *
 * A service file line is "TYPE CONTROL MODULE ARGS...": TYPE may start
 * with "-" (skip silently if the module is missing), CONTROL is a keyword
 * or a bracketed [value=action ...] list, "include" or "substack"; a line
 * "@include NAME" includes every type of NAME. A backslash at the end of a
 * line joins it with the next; '#' starts a comment. Arguments in
 * brackets may hold spaces. Arguments that may carry a secret (secret=,
 * password=, passwd=, key=, token=) keep only their name.
 *
 * Ownership: pam_file_free frees what pam_parse returns.
 */
#ifndef TENKEN_PAM_PARSE_H
#define TENKEN_PAM_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct pam_line {
	unsigned line;
	char *type;    /* auth account password session; "" for @include */
	bool dash;     /* "-auth": missing module ignored */
	char *control; /* required, requisite, sufficient, optional, include, substack, [..] */
	char *module;  /* as written: pam_unix.so, /lib/security/pam_x.so, or the included name */
	char **args;   /* sanitised */
	size_t nargs;
	bool include; /* @include, include or substack: module names a service file */
};

struct pam_issue {
	unsigned line;
	const char *ja, *en;
};

struct pam_file {
	struct pam_line *v;
	size_t n, cap;
	struct pam_issue *issues;
	size_t nissues, icap;
	bool line_unread; /* a line over LIMIT_LINE was not read: the stack is incomplete */
};

/* Parse a service file. Returns 0 or -ENOMEM; bad lines become issues. */
int pam_parse(const char *buf, size_t len, struct pam_file *ret);
/* /etc/pam.conf, which Linux-PAM reads only when neither /etc/pam.d nor
 * /usr/lib/pam.d is a directory: its lines are "SERVICE TYPE CONTROL
 * MODULE ARGS...". The lines of service (SERVICE compared without case,
 * as Linux-PAM does) parsed as pam_parse parses a service file; issues
 * only for those lines. Returns 0 or -ENOMEM. */
int pam_conf_parse(const char *buf, size_t len, const char *service, struct pam_file *ret);
/* The services pam.conf names, lower case, sorted, each once: a new strv
 * in *ret (NULL when none). Returns their number or -ENOMEM. */
int pam_conf_services(const char *buf, size_t len, char ***ret);
void pam_file_free(struct pam_file *f);

/* The module's base name without directory and ".so" ("pam_unix"), into
 * out (size n). */
void pam_module_name(const char *module, char *out, size_t n);
/* The integer value of NAME=N among args; 1 found, 0 absent, -EINVAL if
 * not a number. */
int pam_arg_long(char *const *args, size_t nargs, const char *name, long *ret);
/* Whether a bare flag or NAME=... is among args. */
bool pam_arg_has(char *const *args, size_t nargs, const char *name);

/* pwquality settings; set[] says which were given. */
enum pwq_key {
	PWQ_MINLEN,
	PWQ_MINCLASS,
	PWQ_DCREDIT,
	PWQ_UCREDIT,
	PWQ_LCREDIT,
	PWQ_OCREDIT,
	PWQ_ENFORCE_FOR_ROOT,
	PWQ_NKEYS
};
struct pwq {
	long v[PWQ_NKEYS];
	bool set[PWQ_NKEYS];
};
extern const char *const pwq_key_names[PWQ_NKEYS];
/* libpwquality's defaults (minlen 8, credits 0, minclass 0). */
void pwq_defaults(struct pwq *q);
/* Apply a "name = value" file over q (later files override). Returns the
 * number of malformed lines. */
unsigned pwq_conf_apply(struct pwq *q, const char *buf, size_t len);
/* Apply module arguments (minlen=12 ...) over q. */
void pwq_args_apply(struct pwq *q, char *const *args, size_t nargs);
/* The shortest password q accepts: minlen less the positive credits
 * (each character class may stand in for that many characters), never
 * below 6 (libpwquality's floor). */
long pwq_min_length(const struct pwq *q);

/* The integer "key = value" of a conf file such as pwhistory.conf or
 * faillock.conf: 1 found, 0 absent. */
int conf_long(const char *buf, size_t len, const char *key, long *ret);

#endif
