/* accounts_schema.c - the columns of the collections the accounts probe
 * fills (see probes/probe.h for the null/absent conventions). The rule
 * loader validates rule paths against this; tests/unit/test_accounts.c
 * checks the probe's output against it. */
#include "probes/probe.h"

static const struct column account_columns[] = {
    {"name", COL_STRING, "login name from passwd"},
    {"uid", COL_INT, "numeric user id"},
    {"gid", COL_INT, "primary group id"},
    {"primary_group", COL_STRING, "name of the primary group, null if no such group"},
    {"gecos", COL_STRING, "comment field"},
    {"home", COL_STRING, "home directory"},
    {"shell", COL_STRING, "login shell"},
    {"interactive", COL_BOOL, "shell is a real shell (not nologin/false/sync/halt/shutdown)"},
    {"system", COL_BOOL,
     "uid below login.defs UID_MIN (default 1000) or above UID_MAX (default 60000: nobody)"},
    {"shadow_entry", COL_BOOL, "a shadow line exists; null if shadow is unreadable"},
    {"password_state", COL_STRING,
     "set | empty | locked (! before a hash) | disabled (* ! !!) ; null if shadow unreadable"},
    {"locked", COL_BOOL, "password cannot be used (locked or disabled)"},
    {"expired", COL_BOOL, "shadow expiry date reached (against --now; 0 counts, as pam_unix)"},
    {"account_expires", COL_TIME, "shadow expiry date, null if none or unknown"},
    {"password_changed", COL_TIME, "shadow last change date"},
    {"days_since_password_change", COL_INT, "days from last change to --now"},
    {"password_max_days", COL_INT, "shadow maximum password age, null if none"},
    {"password_inactive_days", COL_INT, "shadow inactivity period, null if none"},
    {"password_must_change", COL_BOOL, "shadow last change is 0: change due at next login"},
    {"password_expired", COL_BOOL, "must change, or older than its maximum age (as pam_unix)"},
    {"inactive_locked", COL_BOOL,
     "password expired longer than its inactivity period: pam_unix refuses the account"},
    {"account_age_days", COL_INT,
     "days since the account was created (shadow last change, a proxy)"},
    {"can_login", COL_BOOL,
     "interactive, not expired or inactive_locked, and a usable password or an SSH key"},
    {"groups", COL_ARRAY, "primary and supplementary group names, sorted"},
    {"last_login", COL_TIME, "latest login across every readable source"},
    {"last_login_source", COL_STRING,
     "lastlog | wtmp | lastlog2 | wtmpdb; none if never logged in; null if unknown"},
    {"last_login_from", COL_STRING, "remote host or tty of that login"},
    {"ever_logged_in", COL_BOOL, "any source holds a login; null if no source was readable"},
    {"days_since_login", COL_INT, "days from last login to --now; null if never or unknown"},
    {"home_exists", COL_BOOL, "the home directory exists in the root"},
    {"authorized_keys", COL_INT,
     "keys in ~/.ssh/authorized_keys and authorized_keys2; null if unreadable"},
    {"authorized_keys_files", COL_ARRAY, "paths of the authorized_keys files found"},
    {"sudo_rules", COL_INT,
     "sudoers user specifications naming the account directly or via a group"},
    {"sudo_all", COL_BOOL, "a sudoers rule gives it ALL commands"},
    {"sudo_nopasswd", COL_BOOL, "a sudoers rule lets it run commands without a password"},
    {NULL, 0, NULL},
};

static const struct column group_columns[] = {
    {"name", COL_STRING, "group name"},
    {"gid", COL_INT, "numeric group id"},
    {"members", COL_ARRAY,
     "members: supplementary from group, plus accounts whose primary group it is"},
    {"administrators", COL_ARRAY, "gshadow group administrators"},
    {"has_password", COL_BOOL, "gshadow holds a usable group password"},
    {NULL, 0, NULL},
};

static const struct column sudoers_columns[] = {
    {"file", COL_STRING, "file holding the rule"},
    {"line", COL_INT, "line number of the rule"},
    {"principals", COL_ARRAY, "users and %groups it applies to, aliases expanded"},
    {"hosts", COL_ARRAY, "host list"},
    {"runas", COL_ARRAY, "run-as users/groups"},
    {"commands", COL_ARRAY, "commands, aliases expanded"},
    {"all_commands", COL_BOOL, "commands include ALL"},
    {"nopasswd", COL_BOOL,
     "some command runs without a password (NOPASSWD tag or authenticate off in Defaults)"},
    {"nopasswd_tag", COL_BOOL, "a NOPASSWD tag applies to any command"},
    {"nopasswd_users", COL_ARRAY, "accounts that run some command of it without a password"},
    {"nopasswd_defaults", COL_ARRAY, "file:line of Defaults lines that turn authentication off"},
    {"negated", COL_BOOL, "the principals list uses !"},
    {NULL, 0, NULL},
};

static const struct column file_columns[] = {
    {"path", COL_STRING, "absolute path inside the root"},
    {"exists", COL_BOOL, "the path exists"},
    {"type", COL_STRING, "file | directory | symlink | other"},
    {"mode", COL_MODE, "permission bits, octal"},
    {"uid", COL_INT, "owner uid"},
    {"gid", COL_INT, "group gid"},
    {"owner", COL_STRING, "owner name from the root's passwd, null if none"},
    {"group", COL_STRING, "group name from the root's group, null if none"},
    {NULL, 0, NULL},
};

static const struct column login_defs_columns[] = {
    {"uid_min", COL_INT, "UID_MIN"},
    {"uid_max", COL_INT, "UID_MAX"},
    {"sys_uid_max", COL_INT, "SYS_UID_MAX"},
    {"pass_max_days", COL_INT, "PASS_MAX_DAYS"},
    {"pass_min_days", COL_INT, "PASS_MIN_DAYS"},
    {"pass_warn_age", COL_INT, "PASS_WARN_AGE"},
    {"pass_min_len", COL_INT, "PASS_MIN_LEN, null if not set (PAM then decides)"},
    {"umask", COL_MODE, "UMASK"},
    {"encrypt_method", COL_STRING, "ENCRYPT_METHOD, null if not set (PAM then decides)"},
    {"defined", COL_ARRAY, "login.defs keys present in the file (the others are defaults)"},
    {"useradd_inactive", COL_INT, "INACTIVE from /etc/default/useradd (-1 = never)"},
    {"useradd_expire", COL_STRING, "EXPIRE from /etc/default/useradd (\"\" = never)"},
    {"useradd_shell", COL_STRING, "SHELL from /etc/default/useradd, null if not set"},
    {NULL, 0, NULL},
};

static const struct column login_source_columns[] = {
    {"source", COL_STRING, "lastlog | wtmp | lastlog2 | wtmpdb"},
    {"path", COL_STRING, "file read"},
    {"status", COL_STRING, "ok | missing | error | truncated"},
    {"records", COL_INT, "login records read"},
    {"oldest", COL_TIME, "oldest record (wtmp and wtmpdb only; logins before it are not seen)"},
    {NULL, 0, NULL},
};

const struct collection accounts_collections[] = {
    {"accounts", false, account_columns},
    {"groups", false, group_columns},
    {"sudoers", false, sudoers_columns},
    {"files", false, file_columns},
    {"login_defs", true, login_defs_columns},
    {"login_sources", false, login_source_columns},
    {NULL, false, NULL},
};
