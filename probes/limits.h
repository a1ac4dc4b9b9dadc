/* limits.h - every bound tenken puts on hostile input, with the reason for
 * its number. A scanned root may hold anything: a 10 GB "passwd", a FIFO
 * named sudoers, an include loop. Each reader takes its limit from here. */
#ifndef TENKEN_LIMITS_H
#define TENKEN_LIMITS_H

/* Default for any text configuration file. The largest real ones seen
 * (sshd_config with comments, login.defs) are under 40 KiB; 4 MiB leaves
 * room for generated configs and still reads in about a millisecond. */
#define LIMIT_CONFIG_FILE (4u << 20)

/* passwd, group, shadow, gshadow: 100,000 accounts at ~100 bytes a line
 * (large LDAP-mirrored hosts) fit in 16 MiB. */
#define LIMIT_ACCOUNT_DB (16u << 20)

/* lastlog is a sparse file indexed by UID (292 bytes per UID), so a host
 * with a user at UID 1,000,000 has a 280 MiB lastlog that is mostly holes.
 * It is never read whole: records are read with pread for the UIDs in
 * passwd only, up to this UID. */
#define LIMIT_LASTLOG_UID 100000000u

/* wtmp grows with every login; a busy server rotates monthly and keeps
 * ~10-50 MiB. Beyond this we read only the newest part (the tail) and say
 * so, which still finds each account's latest login if it happened there. */
#define LIMIT_WTMP (64u << 20)

/* lastlog2.db and wtmpdb are SQLite files read into memory; a few MiB in
 * practice. */
#define LIMIT_SQLITE_DB (64u << 20)

/* Rows read from one of those databases. A busy server with 100 logins an
 * hour writes ~876,000 wtmpdb rows a year (wtmpdb rotates monthly by
 * default); lastlog2 has one row per account. Rows are read newest first,
 * so hitting the limit only moves the horizon forward. */
#define LIMIT_SQLITE_ROWS 1000000u

/* SQLite virtual-machine instructions for one query. A database is data
 * from the scanned system: a view planted under the expected table name
 * could recurse forever. Reading and sorting a million rows takes under
 * 100 million; the limit is ten times that (a few seconds at most). */
#define LIMIT_SQLITE_STEPS 1000000000u

/* The longest string SQLite may hand back: a user name, tty or host is
 * at most a few hundred bytes; longer values are corruption or hostile. */
#define LIMIT_SQLITE_VALUE (1u << 20)

/* One line of a config file. Longer lines are reported and skipped. */
#define LIMIT_LINE 65536u

/* Entries listed in one directory (sudoers.d, home directories). */
#define LIMIT_DIR_ENTRIES 100000u

/* Nested includes (sudoers @includedir, sshd Include): sudo itself stops
 * at 128; real configs use 2-3 levels. */
#define LIMIT_INCLUDE_DEPTH 16

/* Symlinks followed while resolving one path: Linux's own limit is 40. */
#define LIMIT_SYMLINKS 40

/* Path length inside the root. */
#define LIMIT_PATH 4096u

/* A baseline or rule file. Real ones are a few KiB. */
#define LIMIT_BASELINE_FILE (4u << 20)

/* Depth of combinators in a rule condition. */
#define LIMIT_RULE_DEPTH 32

/* authorized_keys: 1 MiB is ~2,000 RSA-4096 keys. */
#define LIMIT_AUTHORIZED_KEYS (1u << 20)

#endif
