/* ini.h - systemd-style configuration files ("[Section]", "Key=Value"),
 * the one reader behind journald.conf, timesyncd.conf and unit files,
 * and systemd's drop-in order. Pure: (buf, len) in, callbacks out.
 *
 * What systemd does (conf-parser.c, systemd.unit(5)), and what is kept:
 *   - blank lines and lines whose first non-blank is '#' or ';' are
 *     comments; keys and values are trimmed of blanks around '=';
 *   - "[Name]" opens a section; keys before any section, or in sections a
 *     caller does not know, are read and ignored by that caller;
 *   - in unit files a trailing backslash continues the logical line on
 *     the next one, joined with a blank (continuation). A '#' line in
 *     the middle of a continuation is joined as text here (systemd skips
 *     it): the unit reader always did, and its reports are kept;
 *   - drop-ins: see dropins_order; a later assignment overrides an earlier
 *     one, an empty value resets a list (the callers' business).
 * The small differences between the three tenken readers (a NUL byte cuts
 * the line or spoils it; an unclosed "[" is a bad line or a section
 * nobody knows; a length bound) are options, so each keeps its reports.
 *
 * Ownership: spans handed to callbacks are borrowed for the call.
 */
#ifndef TENKEN_INI_H
#define TENKEN_INI_H

#include <stdbool.h>
#include <stddef.h>

struct ini_opts {
	bool continuation;	   /* a trailing backslash joins the next line */
	bool nul_bad;		   /* a NUL byte spoils the line (else it ends it) */
	bool unclosed_bad;	   /* "[X" without "]" is a bad line (else an unknown section) */
	bool empty_key_bad;	   /* "=x" is a bad line (else a key named "") */
	size_t max_line;	   /* a longer key=value line is bad; 0: no bound */
	const char *max_line_name; /* max_line's name in lib/limits.h, for the message */
};

struct ini_cb {
	/* section: NUL-terminated name between the brackets ("" for an
	 * unclosed one when unclosed_bad is false); return < 0 to stop. */
	int (*section)(void *ud, const char *name, unsigned line);
	/* key and value are NUL-terminated copies, trimmed; return < 0 to stop. */
	int (*kv)(void *ud, const char *key, const char *value, size_t vlen, unsigned line);
	void (*bad)(void *ud, unsigned line); /* not a comment, section nor key=value */
	void *ud;
	/* A line over max_line, not read (NULL: it goes to bad). */
	void (*too_long)(void *ud, unsigned line);
};

/* 0, -ENOMEM, or the first negative value a callback returned. */
int ini_parse(const char *buf, size_t len, const struct ini_opts *o, const struct ini_cb *cb);

/* The keys of one section only (journald.conf's [Journal], timesyncd.conf's
 * [Time]): kv gets them, other sections are read and ignored, and every
 * line that is not a comment, a section or key=value goes to bad with the
 * text "not a key=value line" in both languages; a line over max_line
 * goes to bad with words naming the limit and saying it was not read,
 * and to too_long (if set) so the caller can make what it may have set
 * unknown. */
struct ini_section_cb {
	const char *section;
	int (*kv)(void *ud, const char *key, const char *value, size_t vlen, unsigned line);
	void *kv_ud;
	void (*bad)(void *ud, unsigned line, const char *ja, const char *en);
	void *bad_ud;
	void (*too_long)(void *ud, unsigned line); /* bad_ud; may be NULL */
};
int ini_parse_section(const char *buf, size_t len, const struct ini_opts *o,
		      const struct ini_section_cb *cb);

/* systemd's drop-in order (conf_files_list_strv, as unit files, journald.conf
 * and timesyncd.conf use it). dirs run from the lowest priority to the
 * highest (/usr/lib, /usr/local/lib, /run, /etc; for a unit, every
 * NAME.d, prefix and type-level directory in systemd's search order);
 * names[d] is the NULL-terminated list of file names in dirs[d] (any
 * order), or NULL. Returns in *ret (new NULL-terminated strv) the paths
 * to apply in order: main first if not NULL, then every distinct name
 * ending in ".conf" sorted bytewise across all directories, each taken
 * from the highest-priority directory that has it (same-named drop-ins in
 * /etc override /run override /usr/lib). A name symlinked to /dev/null
 * is returned like any other: it hides the lower ones and reads as
 * empty, which is how it masks (the caller, who reads, skips it).
 * O(n log n) in the number of names. Returns 0 or -ENOMEM. */
int dropins_order(const char *main, const char *const *dirs, char **const *names, size_t ndirs,
		  char ***ret);
/* dropins_order for a daemon that reads other names than "*.conf" (kmod
 * also reads "*.alias" and never hidden names): want(name) says which
 * names count. */
int dropins_order_names(const char *main, const char *const *dirs, char **const *names,
			size_t ndirs, bool (*want)(const char *name), char ***ret);

#endif
