/* dconf_parse.h - the parts of dconf's system configuration that decide a
 * GNOME setting: the user profile's list of system databases, the keyfiles
 * of a database directory (/etc/dconf/db/NAME.d/), and its locks. Pure
 * parsers: bytes in, no I/O. */
#ifndef TENKEN_DCONF_PARSE_H
#define TENKEN_DCONF_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* The "system-db:NAME" entries of a dconf profile (/etc/dconf/profile/user)
 * in order, first = highest priority; ret is a NULL-terminated array of new
 * strings (strv_free). Names with a '/' or starting with '.' are skipped,
 * as they cannot name a database directory. */
int dconf_profile_system_dbs(const char *buf, size_t len, char ***ret);

/* The value of key in [section] of a dconf keyfile (section written as
 * dconf writes it, "org/gnome/desktop/media-handling"): 1 and a new
 * string in *ret (the last assignment in the file wins, as in GKeyFile),
 * or 0 if the file does not set it. Comments (#) and blank lines are
 * skipped; surrounding whitespace is trimmed. */
int dconf_keyfile_get(const char *buf, size_t len, const char *section, const char *key,
		      char **ret);

/* Whether a locks file lists the key path ("/org/gnome/desktop/media-handling/automount"). */
bool dconf_locks_has(const char *buf, size_t len, const char *keypath);

#endif
