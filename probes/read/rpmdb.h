/* rpmdb.h - the three on-disk formats of rpm's package database, read
 * natively (no librpm, no libdb):
 *
 *  - SQLite "rpmdb.sqlite" (rpm >= 4.16: RHEL 9, Fedora >= 33): table
 *    Packages(hnum INTEGER PRIMARY KEY, blob BLOB), opened from memory
 *    in SQLite's defensive mode with views and triggers disabled;
 *  - Berkeley DB hash "Packages" (RHEL/CentOS 7 and 8, SUSE before 15):
 *    key = 4-byte package number, value = header blob, mostly on
 *    overflow pages; both byte orders;
 *  - NDB "Packages.db" (SUSE >= 15 SP3): rpm's own slot/blob format with
 *    an Adler-32 over each blob.
 *
 * Each backend hands every header blob to a callback; the blobs are then
 * parsed by rpmhdr_parse(). Pure: the caller reads the file (through
 * fsroot) and passes its bytes.
 */
#ifndef TENKEN_RPMDB_H
#define TENKEN_RPMDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rpmdb_format {
	RPMDB_UNKNOWN,
	RPMDB_SQLITE,
	RPMDB_BDB,
	RPMDB_NDB,
};

/* Where rpm keeps its database, newest layout and format first, NULL
 * terminated (the list probes/packages.c walks): Fedora and SUSE use
 * /usr/lib/sysimage/rpm, RHEL /var/lib/rpm; the first that exists is
 * the one rpm uses. */
extern const char *const rpmdb_std_paths[];

/* "sqlite", "bdb", "ndb" or "unknown" (static). */
const char *rpmdb_format_name(enum rpmdb_format f);

/* The format of a database file from its first bytes. */
enum rpmdb_format rpmdb_detect(const unsigned char *buf, size_t len);

/* Called for each stored header blob with the package number rpm gives
 * it (hnum, BDB key, NDB pkgidx). The blob is borrowed for the call.
 * A negative return stops the walk and is returned. */
typedef int (*rpmdb_blob_fn)(void *userdata, uint32_t id, const unsigned char *blob, size_t len);

struct rpmdb_stats {
	size_t blobs;	 /* handed to the callback */
	size_t bad;	 /* records skipped as malformed */
	bool truncated;	 /* a row or page limit stopped the walk */
	bool wal;	 /* SQLite file in WAL mode */
	char error[160]; /* English reason of the first problem, "" if none */
};

/* Walk the database in buf (len bytes). buf may be modified (the SQLite
 * backend patches a WAL header in place). Returns 0 (even when some
 * records were bad: see stats), -EBADMSG when the file is not a database
 * of a known format or its structure is broken before any record,
 * -ENOMEM, -ETIMEDOUT (SQLite step budget), or the callback's error. */
int rpmdb_read(unsigned char *buf, size_t len, rpmdb_blob_fn fn, void *userdata,
	       struct rpmdb_stats *ret_stats);

#endif
