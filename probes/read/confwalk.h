/* confwalk.h - one reader for configuration files that include others.
 *
 * Every probe that follows includes reads through here: the walker reads
 * a file through the confined layer (fsroot), hands its bytes to the
 * probe's parser (on_file), and the parser calls confwalk_include() where
 * the file says "include". The walker resolves the target (relative
 * spellings, directories, globs in the order the daemon uses), guards
 * against loops, depth and fan-out with the bounds of lib/limits.h, and
 * tells the probe about each problem (on_problem) with the file and line
 * it concerns, so the probe words it in both languages and goes on.
 *
 * What each daemon does, and the options that say it:
 *
 *   sshd (servconf.c)      "Include" words are globs (glob(3), sorted, no
 *                          GLOB_TILDE), relative ones taken under /etc/ssh;
 *                          read inline, in the current Match context;
 *                          no loop detection, 16 levels of nesting:
 *                          base "/etc/ssh", guard DEPTH, max_chain 17.
 *                          probes/parse/sshd_parse.c keeps its own
 *                          recursion (its io callbacks let its tests give
 *                          it files in memory); probes/ssh.c's io reads
 *                          through confwalk_load/confwalk_glob and leaves
 *                          each file when the loader is done with it.
 *   sudoers (sudo 1.9)     @include FILE, @includedir DIR (#include too):
 *                          never globs; relative to the including file's
 *                          directory, %h the host name (expand); an
 *                          includedir reads regular files in lexical
 *                          order, skipping names that contain '.' or end
 *                          in '~' (skip); a missing includedir is
 *                          ignored: confwalk_include_path, base NULL,
 *                          guard INODE, max_chain 17, and a byte budget
 *                          over all files (max_bytes).
 *   rsyslog                $IncludeConfig PATTERN and include(file= ...)
 *                          globs, a directory meaning all its files;
 *                          relative to the working directory (/);
 *                          base "", dir_all, skip: editor and package
 *                          leftovers; guard INODE, max_chain 17.
 *   syslog-ng              @include "x": relative to /etc/syslog-ng,
 *                          a directory means its files: base
 *                          "/etc/syslog-ng", otherwise as rsyslog.
 *   logrotate              "include DIR|FILE": a directory is read in
 *                          lexical order skipping its taboo extensions
 *                          (.dpkg-old, .rpmsave, ~, ...) and dot files;
 *                          relative to /etc: base "/etc", dir_all, skip.
 *   chrony, ntpd           "include GLOB", chrony "confdir DIR" (*.conf)
 *                          and "sourcedir DIR" (*.sources): absolute
 *                          globs only, read in glob order; no loop
 *                          detection beyond depth (the probe checks it at
 *                          the directive): guard DEPTH, max_chain 17.
 *   nftables               include "x": a literal path, else a glob;
 *                          relative to the including file's directory,
 *                          then /etc (nft's default include path); nft
 *                          nests at most 16 files deep: base NULL,
 *                          fallback "/etc", max_chain 16, literal_stat,
 *                          guard INODE.
 *   xinetd                 includefile FILE, includedir DIR: never globs;
 *                          a relative path is taken from the working
 *                          directory (/); an includedir reads regular
 *                          files in strcmp order, skipping names that
 *                          contain '.' or end in '~'; a missing includedir
 *                          is an error: confwalk_include_path, base "",
 *                          skip, dir_required, guard INODE (xinetd has no
 *                          loop guard of its own), max_chain 17.
 *   iptables-restore       no includes (one file read whole).
 *   PAM (Linux-PAM)        @include / include / substack NAME: a name,
 *                          /etc/pam.d/NAME, else /usr/lib/pam.d/NAME
 *                          (the vendor directory), 16 levels
 *                          (PAM_SUBSTACK_MAX_LEVEL). probes/auth.c parses
 *                          each file once (confwalk_read, missing_ok, a
 *                          walker for the reads) and keeps it by name; it
 *                          expands a stack many times (per type) over the
 *                          kept files with confwalk_enter/confwalk_leave
 *                          on a second walker: guard PATH (a loop is a
 *                          name on the chain), max_chain 16.
 *   systemd daemons        journald.conf, timesyncd.conf, units: the main
 *                          file is the first of /etc, /run,
 *                          /usr/local/lib, /usr/lib; drop-ins NAME.d/
 *                          *.conf from all of them, a name in an earlier
 *                          directory replacing the same name in later
 *                          ones, applied in lexical order of the names
 *                          whatever their directory: confwalk_systemd_conf.
 *                          (probes/services.c still orders a unit's and
 *                          its template's drop-ins itself.)
 *
 * Ownership: paths handed to callbacks are borrowed for the call.
 */
#ifndef TENKEN_CONFWALK_H
#define TENKEN_CONFWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "probes/read/fsroot.h"

struct confwalk;

enum confwalk_guard {
	CONFWALK_GUARD_PATH,  /* a path spelled the same as one on the chain is a loop */
	CONFWALK_GUARD_INODE, /* a file whose (dev, inode) is on the chain is a loop */
	CONFWALK_GUARD_DEPTH, /* no loop detection: the daemon only bounds the depth */
};

enum confwalk_problem {
	CONFWALK_LOOP,	   /* path is already on the include chain: not read */
	CONFWALK_DEPTH,	   /* nested deeper than max_chain: path (or the target) not read */
	CONFWALK_TOO_MANY, /* more than max_files, or max_bytes read: path and the rest not read */
	CONFWALK_UNREADABLE, /* err says why (-ENOENT: missing) */
	CONFWALK_NO_MATCH,   /* a target without glob characters matched nothing */
};

struct confwalk_event {
	enum confwalk_problem kind;
	const char *path; /* the file refused, or the include target as written */
	const char *from; /* the including file, NULL for a file read at the top */
	unsigned line;	  /* its line, 0 at the top */
	unsigned depth;	  /* files on the chain above path */
	unsigned nfiles;  /* files counted so far (CONFWALK_TOO_MANY: first is nfiles == max + 1) */
	int err;	  /* CONFWALK_UNREADABLE */
	bool missing_ok;  /* the caller said an absent file is normal */
	/* confwalk_include_path only, with CONFWALK_UNREADABLE: */
	bool target; /* the target itself was refused, path as written: opts.expand's err,
		      * -ENAMETOOLONG past LIMIT_PATH, -EINVAL when empty */
	bool dir;    /* path is the directory of a dir include (-ENOTDIR: not one) */
};

struct confwalk_opts {
	/* With confwalk_include's base NULL, relative targets are taken in
	 * the including file's directory, then in fallback (may be NULL) if
	 * that matched nothing. */
	const char *fallback;
	unsigned max_chain; /* files on the chain, the first included (LIMIT_INCLUDE_DEPTH + 1) */
	unsigned max_files; /* files read in the whole walk */
	size_t max_size;    /* one file (LIMIT_CONFIG_FILE) */
	enum confwalk_guard guard;
	/* A target naming a directory reads the files in it (sorted), except
	 * names skip() refuses; glob matches that are directories are passed
	 * over. Without dir_all, a directory is read (and refused) as a file. */
	bool dir_all;
	bool (*skip)(const char *name);
	/* A target without glob characters is stat()ed and read as it is,
	 * not globbed; the spelling is cleaned ("a/../b") first. */
	bool literal_stat;
	/* The parser: called with the file's bytes; its includes call
	 * confwalk_include(w, ...) from inside. */
	void (*on_file)(struct confwalk *w, const char *path, const char *buf, size_t len,
			void *ud);
	void (*on_problem)(struct confwalk *w, const struct confwalk_event *ev, void *ud);
	void *ud;
	/* Bytes read in the whole walk (0: no budget): once they reach it, a
	 * file is refused (CONFWALK_TOO_MANY) as past max_files. */
	size_t max_bytes;
	/* Rewrites a target as written before it is resolved (sudo's %h):
	 * 0 and a new string in *ret, or -errno (CONFWALK_UNREADABLE with
	 * target set). NULL: targets are taken as they are. Used by
	 * confwalk_include_path. */
	int (*expand)(struct confwalk *w, const char *target, char **ret, void *ud);
	/* confwalk_include_path: a missing directory is CONFWALK_UNREADABLE
	 * (dir set, -ENOENT), as xinetd says "Unable to read included
	 * directory"; without it a missing directory is no event (sudo). */
	bool dir_required;
};

/* Start a walk over root (borrowed for the walk's life). New walker or
 * NULL on allocation failure; free with confwalk_free. Counts (files read)
 * accumulate over every confwalk_read of one walker. */
struct confwalk *confwalk_new(struct fsroot *root, const struct confwalk_opts *o);
void confwalk_free(struct confwalk *w);
static inline void confwalk_freep(struct confwalk **w)
{
	confwalk_free(*w);
}
#define _cleanup_confwalk_ _cleanup_(confwalk_freep)

/* Read path (absolute inside the root) and, through on_file, what it
 * includes. 0 when read; -errno when it was refused or unreadable (an
 * event said so, with missing_ok passed on). */
int confwalk_read(struct confwalk *w, const char *path, bool missing_ok);
/* From on_file: read what target includes, at line of the current file.
 * A relative target is joined to base ("" means "/", the working
 * directory of a daemon); base NULL: the including file's directory, then
 * opts.fallback. suffix (may be NULL) is appended (chrony's confdir: "/" and
 * "*.conf"). Returns the number of files matched (0: none, or the target
 * was a directory with nothing to read), or -ENOMEM. */
int confwalk_include(struct confwalk *w, const char *base, const char *target, const char *suffix,
		     unsigned line);

/* From on_file, for daemons whose include names one file or one
 * directory and never a glob (sudo's @include and @includedir): target
 * (after opts.expand) relative to base as in confwalk_include, its
 * spelling cleaned ("a/../b") when both name the same file. Past
 * max_chain the directive itself is refused (CONFWALK_DEPTH naming the
 * target). A file is read as it is (a missing one: CONFWALK_UNREADABLE,
 * -ENOENT). A directory (dir) is its regular files in bytewise order,
 * except names opts.skip refuses; other entries are passed over, a
 * missing directory is no event (opts.dir_required: as a file below), a file is CONFWALK_UNREADABLE
 * with dir set and -ENOTDIR. Returns the number of files read or refused, or -ENOMEM. */
int confwalk_include_path(struct confwalk *w, const char *base, const char *target, bool dir,
			  unsigned line);

/* For a probe that keeps each file parsed and expands it many times
 * (PAM expands a service once per stack type): put path on the include
 * chain, as confwalk_read does while on_file runs, without reading it.
 * line is that of the include in the file on top of the chain (for the
 * event). 0, or -ELOOP after a CONFWALK_LOOP or CONFWALK_DEPTH event.
 * path is borrowed until the matching confwalk_leave. Files are not
 * counted (confwalk_read counts the reads). */
int confwalk_enter(struct confwalk *w, const char *path, unsigned line);
void confwalk_leave(struct confwalk *w);

/* For a parser that reads its includes itself through callbacks (sshd's
 * loader, struct sshd_io, whose unit tests give it files in memory): read
 * path as confwalk_read does (guard, max_files, max_size, max_bytes, the
 * events), but hand its bytes back in *ret (NUL-terminated, the caller's)
 * instead of to on_file, and leave path on the chain (borrowed) until the
 * caller is done with the file and calls confwalk_leave. line is that of
 * the include in the file on top of the chain. 0, or -errno after the
 * event (nothing to leave). */
int confwalk_load(struct confwalk *w, const char *path, unsigned line, bool missing_ok,
		  struct buf *ret);
/* The paths pattern (absolute) matches, in bytewise order (new strv; no
 * match: empty), or -errno: the glob such a parser's includes use. */
int confwalk_glob(struct confwalk *w, const char *pattern, char ***ret);

/* The file being read (borrowed), NULL outside on_file. */
const char *confwalk_path(const struct confwalk *w);
/* Files on the chain including the current one (0 outside on_file). */
unsigned confwalk_depth(const struct confwalk *w);

/* A systemd daemon's configuration in the order systemd applies it: the
 * main file NAME (the first of /etc/systemd, /run/systemd,
 * /usr/local/lib/systemd, /usr/lib/systemd that exists), then the drop-ins
 * NAME.d/ *.conf of the four directories by file name, a name in a
 * directory earlier in that list hiding the same name later. New strv in
 * *ret (NULL when there is nothing). exists() decides whether a main file
 * is there (so the probe can count an unreadable /etc as unknown). */
int confwalk_systemd_conf(struct fsroot *root, const char *name,
			  bool (*exists)(void *ud, const char *path), void *ud, char ***ret);

#endif
