/* apt_parse.h - pure parsers of apt's configuration and metadata: apt.conf
 * (apt.conf(5)), sources.list one-line and deb822 .sources
 * (sources.list(5)), preferences (apt_preferences(5)), Release/InRelease
 * files, apt's URI-to-file-name mapping of /var/lib/apt/lists, and the
 * logs apt and dpkg write (history.log, dpkg.log). Bytes in, structures
 * out; probes/updates.c does the reading.
 *
 * Ownership: every structure owns its strings (new copies); free each
 * collection with its _free function (NULL-safe). Malformed input is
 * reported line by line through a deb822_bad_fn and skipped, as far as
 * apt itself would go on (where apt refuses the whole file, the caller is
 * told by a negative return of -EBADMSG after the entries that did parse).
 */
#ifndef TENKEN_APT_PARSE_H
#define TENKEN_APT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "probes/parse/dpkg_parse.h"

/* ---- apt.conf ---- */

struct apt_conf_item {
	char *key; /* lower case, "apt::periodic::enable"; list items end in "::" */
	char *value;
};
struct apt_conf {
	struct apt_conf_item *v;
	size_t n, cap;
};
/* Add the settings of one file to conf (later settings override earlier
 * ones, list items accumulate). #include is reported and not followed;
 * #clear removes a tree. A directive inside a block is a syntax error
 * (apt refuses it); a syntax error ends the file. Returns 0 or -ENOMEM. */
int apt_conf_parse(struct apt_conf *conf, const char *buf, size_t len, deb822_bad_fn bad,
		   void *userdata);
/* How "#include PATH" is followed: fn reads the file (dir false) or the
 * parts of the directory (dir true: the name ends in "/") into the same
 * conf, each file parsed from the top level as apt does, and returns 0,
 * -ENOMEM, or another negative value to stop the including file. */
struct apt_conf_include {
	int (*fn)(void *userdata, const char *path, bool dir, unsigned line);
	void *userdata;
};
/* apt_conf_parse with #include followed through inc (NULL: not followed). */
int apt_conf_parse_with(struct apt_conf *conf, const char *buf, size_t len,
			const struct apt_conf_include *inc, deb822_bad_fn bad, void *userdata);
/* Set key (any case) to value, as a later file would. 0 or -ENOMEM. */
int apt_conf_set(struct apt_conf *conf, const char *key, const char *value);
/* Set the Dir:: tree's defaults as apt's pkgInitConfig does (only where
 * unset). Returns 0 or -ENOMEM. */
int apt_conf_defaults(struct apt_conf *conf);
/* apt's Configuration::FindFile: the value of key, prefixed by the
 * values of its parent nodes ("Dir::Etc::sourcelist" under "Dir::Etc"
 * under "Dir") until it is absolute or starts "./", "../" or "~/"; an
 * empty parent adds nothing; "/dev/null..." is cut to "/dev/null". ""
 * when key is unset or empty. New string, NULL on allocation failure. */
char *apt_conf_find_file(const struct apt_conf *conf, const char *key);
/* apt's FindDir: the same ending in "/" (but "/dev/null" stays). */
char *apt_conf_find_dir(const struct apt_conf *conf, const char *key);
/* The value of key (case-insensitive), NULL if unset (borrowed). */
const char *apt_conf_get(const struct apt_conf *conf, const char *key);
/* The items of the list at key in order: calls fn for each (borrowed). */
size_t apt_conf_list(const struct apt_conf *conf, const char *key,
		     void (*fn)(const char *value, void *userdata), void *userdata);
/* apt's boolean reading of a value ("1", "yes", "true", "with", "on"...):
 * 1, 0, or def when unset or not a boolean. */
int apt_conf_bool(const struct apt_conf *conf, const char *key, int def);
void apt_conf_free(struct apt_conf *conf);

/* ---- sources ---- */

struct apt_source {
	char *file;
	unsigned line;
	bool deb822;	   /* from a .sources file */
	bool src;	   /* deb-src: not a binary source, kept for the inventory */
	bool enabled;	   /* deb822 "Enabled: no" is false */
	char *uri;	   /* as written, with a "/" appended if missing */
	char *suite;	   /* "$(ARCH)" substituted; ends in "/" for a flat repository */
	char **components; /* NULL-terminated, empty for a flat repository */
	char **archs;	   /* arch= / Architectures:, NULL when not given */
	char **archs_add, **archs_remove; /* arch+= / arch-= */
	bool trusted;			  /* trusted=yes */
	bool signed_by;			  /* signed-by= / Signed-By: given */
};
struct apt_sources {
	struct apt_source *v;
	size_t n, cap;
};
/* One-line format (sources.list and *.list). native_arch replaces
 * "$(ARCH)". Returns 0, -ENOMEM, or -EBADMSG after adding the good lines
 * when some line is malformed (apt refuses to run then). */
int apt_sources_parse_list(struct apt_sources *out, const char *file, const char *buf, size_t len,
			   const char *native_arch, deb822_bad_fn bad, void *userdata);
/* deb822 format (*.sources): each stanza gives one entry per type, URI
 * and suite. Same returns. */
int apt_sources_parse_deb822(struct apt_sources *out, const char *file, const char *buf, size_t len,
			     const char *native_arch, deb822_bad_fn bad, void *userdata);
void apt_sources_free(struct apt_sources *s);

/* Whether apt reads a file of this name from a parts directory
 * (sources.list.d, apt.conf.d, preferences.d): only [A-Za-z0-9_.-]
 * characters, and the extension ext (or none at all when no_ext_ok). */
bool apt_part_name_ok(const char *name, const char *ext, bool no_ext_ok);

/* ---- list file names ---- */

/* apt's URItoFileName: drop the scheme and any user:password, quote
 * unsafe characters as %xx, turn "/" into "_". New string. */
char *apt_uri_to_filename(const char *uri);
/* The host part of a URI (apt's "site", matched by "Pin: origin"); ""
 * for file: and other host-less URIs. New string. */
char *apt_uri_site(const char *uri);

/* ---- preferences ---- */

enum apt_pin_type { APT_PIN_VERSION, APT_PIN_RELEASE, APT_PIN_ORIGIN };
struct apt_pin {
	char *file;
	unsigned line;
	char *package; /* one name, glob or /regex/, maybe ":arch"; NULL for "*" */
	enum apt_pin_type type;
	char *data; /* what follows the type word */
	int priority;
};
struct apt_pins {
	struct apt_pin *v;
	size_t n, cap;
};
/* A preferences file. A stanza naming several packages becomes one pin
 * per name. Returns 0, -ENOMEM, or -EBADMSG after the good stanzas when
 * apt would refuse the file (no Package, priority 0 or out of range). */
int apt_prefs_parse(struct apt_pins *out, const char *file, const char *buf, size_t len,
		    deb822_bad_fn bad, void *userdata);
void apt_pins_free(struct apt_pins *p);

/* ---- Release / InRelease ---- */

struct apt_release {
	char *origin, *label, *suite, *codename, *version; /* NULL when absent */
	time_t date, valid_until;			   /* 0 when absent or unreadable */
	bool has_date, has_valid_until;
	bool not_automatic, but_automatic_upgrades;
	bool signed_inline; /* an InRelease with its OpenPGP armour */
	char **archs;	    /* Architectures:, NULL-terminated, NULL if absent */
};
/* Parse a Release or InRelease file (the clear-signed armour is removed,
 * the signature itself is not checked: apt checked it when it fetched the
 * file). Returns 0, -ENOMEM, or -EBADMSG when there is no stanza. */
int apt_release_parse(const char *buf, size_t len, struct apt_release *ret);
void apt_release_free(struct apt_release *r);

/* An RFC 2822 date as Release files write it ("Sat, 11 Jul 2026 10:16:37
 * UTC", also "+0000", "GMT", a missing weekday, a one-digit day). */
int apt_parse_date(const char *s, size_t len, time_t *ret);

/* ---- logs ---- */

/* One apt run from history.log, or one dpkg action from dpkg.log. */
struct pkg_log_event {
	time_t when;	   /* start (history.log) or the line's time */
	unsigned upgrades; /* packages upgraded */
	unsigned installs; /* packages installed */
	unsigned removals; /* removed or purged */
	bool unattended;   /* the Commandline or Requested-By says unattended-upgrade */
};
typedef void (*pkg_log_fn)(const struct pkg_log_event *ev, void *userdata);
/* Every apt run in history.log text (Start-Date ... End-Date blocks).
 * Times are local time in the log; tz_offset (seconds east of UTC) turns
 * them into UTC. Returns the number of runs. */
size_t apt_history_parse(const char *buf, size_t len, long tz_offset, pkg_log_fn fn,
			 void *userdata);
/* Every "upgrade", "install" and "remove"/"purge" action line of dpkg.log
 * text ("2026-11-22 02:06:48 upgrade bash:amd64 5.2.15-2+b8 5.2.15-2+b13");
 * each line is one event. Returns the number of such lines. */
size_t dpkg_log_parse(const char *buf, size_t len, long tz_offset, pkg_log_fn fn, void *userdata);

#endif
