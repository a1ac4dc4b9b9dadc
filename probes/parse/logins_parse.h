/* logins_parse.h - pure parsers of the four last-login formats: bytes in,
 * login records out, no I/O (probes/read/logins.c does the reading).
 *
 *  - lastlog: struct lastlog of glibc on 64-bit Linux, 292 bytes per UID:
 *    int32 ll_time, char ll_line[32], char ll_host[256];
 *  - wtmp: struct utmp of glibc on 64-bit Linux, 384 bytes per record:
 *    int16 ut_type (+2 pad), int32 ut_pid, ut_line[32], ut_id[4],
 *    ut_user[32], ut_host[256], exit (2 x int16), int32 ut_session,
 *    int32 tv_sec, int32 tv_usec, int32 addr_v6[4], 20 reserved;
 *  - lastlog2.db (util-linux liblastlog2): table Lastlog2(Name TEXT
 *    PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT),
 *    Time in seconds;
 *  - wtmp.db (wtmpdb): table wtmp(ID INTEGER PRIMARY KEY, Type INTEGER,
 *    User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT,
 *    RemoteHost TEXT, Service TEXT), Login in microseconds, Type 3 =
 *    USER_PROCESS (wtmpdb's own numbering, not utmp's 7).
 *
 * Binary integers are decoded little-endian whatever the scanning host is
 * (every 64-bit Linux that uses these layouts is little-endian: x86_64,
 * aarch64, riscv64, ppc64le). The 32-bit times are read as unsigned, as
 * util-linux does, so records after 2038 stay in order.
 *
 * Strings in the binary formats are fixed-size fields that are not
 * NUL-terminated when full; a record's strings end at the field's end or
 * its first NUL. Nothing is validated as UTF-8 here: the caller escapes
 * with json_bytes().
 */
#ifndef TENKEN_LOGINS_PARSE_H
#define TENKEN_LOGINS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define LASTLOG_RECORD_SIZE 292u
#define UTMP_RECORD_SIZE    384u
#define UTMP_USER_PROCESS   7
#define WTMPDB_USER_PROCESS 3

/* Times past 9999-12-31T23:59:59Z are garbage (and would not fit an
 * RFC 3339 year): records holding them are skipped. */
#define LOGIN_TIME_MAX ((time_t)253402300799)

/* One login. The strings are borrowed from the input (or from SQLite) and
 * valid only during the callback; they are not NUL-terminated. */
struct login_rec {
	const char *user; /* NULL for lastlog (its records are indexed by UID) */
	size_t user_len;
	const char *tty;
	size_t tty_len;
	const char *host;
	size_t host_len;
	time_t when; /* seconds since the epoch, > 0 */
};

/* Called for every login record; a negative return stops the parser,
 * which returns that value. */
typedef int (*login_rec_fn)(const struct login_rec *rec, void *userdata);

/* What a parser saw besides the logins. */
struct login_stats {
	size_t records;	 /* records or rows read (any type) */
	size_t logins;	 /* records handed to the callback */
	size_t skipped;	 /* records ignored as invalid (bad type or time, no user) */
	size_t trailing; /* wtmp: bytes of a partial record at the end */
	time_t oldest;	 /* oldest valid record time of any type; 0 if none */
	bool wal;	 /* SQLite: the database is in WAL mode (newer rows may be in -wal) */
	bool row_limit;	 /* SQLite: stopped at LIMIT_SQLITE_ROWS (newest rows kept) */
	char error[160]; /* why a SQLite parse failed (English, from SQLite); "" if none */
};

/* Decode one lastlog record. len below LASTLOG_RECORD_SIZE is -EBADMSG
 * (a truncated record). Returns 1 and fills *ret (user NULL) if the UID
 * logged in, 0 if ll_time is 0 (never) or past LOGIN_TIME_MAX. */
int lastlog_parse_record(const char *buf, size_t len, struct login_rec *ret);

/* Walk the utmp records in buf and call fn for every USER_PROCESS record
 * with a user name and a time. A partial final record is ignored and
 * counted in stats->trailing; records with a type outside 0..9 are
 * counted as skipped. Returns 0, or fn's negative return. */
int wtmp_parse(const char *buf, size_t len, login_rec_fn fn, void *userdata,
	       struct login_stats *ret_stats);

/* Open the SQLite image in buf (copied: buf is not modified; a WAL-mode
 * header is patched in the copy) read-only in memory, and call fn for
 * every row of Lastlog2 with a name and a Time > 0. Returns 0, fn's
 * negative return, -ENOMEM, or with stats->error set:
 *   -EBADMSG    not a SQLite database, or corrupt;
 *   -ENOENT     the table or one of its columns is missing (wrong schema);
 *   -ETIMEDOUT  the query ran past LIMIT_SQLITE_STEPS (hostile schema). */
int lastlog2_parse(const char *buf, size_t len, login_rec_fn fn, void *userdata,
		   struct login_stats *ret_stats);

/* The same for a wtmpdb database: fn is called for every Type 3 row with
 * a user and a login time; rows are read newest first, so at the row
 * limit the oldest are dropped and stats->oldest stays a true horizon. */
int wtmpdb_parse(const char *buf, size_t len, login_rec_fn fn, void *userdata,
		 struct login_stats *ret_stats);

#endif
