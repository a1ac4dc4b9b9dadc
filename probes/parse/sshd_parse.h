/* sshd_parse.h - sshd_config(5) read the way OpenSSH's sshd reads it
 * (servconf.c, misc.c argv_split), without doing any I/O.
 *
 * sshd_config_load() walks the main file and its Include directives
 * through a reader callback (the probe's reads through fsroot; the tests
 * hand it strings), flattening them into one ordered list of directives,
 * each tagged with the Match block it sits in. sshd_effective_json() then
 * computes what `sshd -T` prints without -C: the first obtained value of
 * each keyword (or the accumulation, for list keywords) among the global
 * lines and "Match all" blocks, with "Match all" overriding the keywords a
 * Match block may set, then the compiled-in defaults of the installed
 * OpenSSH version. Everything sshd would refuse to start with is counted
 * as an error and reported as an issue; the line is then ignored.
 *
 * Ownership: sshd_config_load fills a caller-provided struct with new
 * allocations; free with sshd_config_free (accepts a zeroed struct). The
 * *_json functions return new references.
 */
#ifndef TENKEN_SSHD_PARSE_H
#define TENKEN_SSHD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* Split the arguments of a config line as sshd's argv_split does: blanks
 * separate words; '...' and "..." quote; a backslash escapes a quote, a
 * backslash, or (outside quotes) a space; a word starting with '#' ends
 * the line. Returns the number of words (stored as new strings in *ret,
 * NULL-terminated), -EINVAL for an unterminated quote, -E2BIG past max
 * words, -ENOMEM. */
int sshd_argv_split(const char *s, size_t len, char ***ret, size_t max);

/* One line that set a keyword, after Include expansion. */
struct sshd_directive {
	char *keyword; /* canonical lowercase name (aliases resolved) */
	char **argv;   /* NULL-terminated */
	size_t argc;
	char *file;
	unsigned line;
	int block; /* index into blocks, -1 outside any Match */
};

struct sshd_block {
	char *criteria; /* the Match arguments; those of enclosing blocks are ANDed in front */
	char *file;
	unsigned line;
	bool all; /* "Match all" not nested in a narrower block: applies to every connection */
};

struct sshd_issue {
	char *file;
	unsigned line; /* 0: about the file itself */
	char *ja, *en;
	bool fatal; /* sshd would refuse to start */
};

struct sshd_config {
	struct sshd_directive *d;
	size_t nd, capd;
	struct sshd_block *b;
	size_t nb, capb;
	struct sshd_issue *is;
	size_t nis, capis;
	unsigned errors; /* fatal issues */
	unsigned files;	 /* files read */
};
void sshd_config_free(struct sshd_config *c);

/* The reader: expand pattern (an absolute glob) and return the matching
 * paths in lexical order (new strings, NULL-terminated; none is an empty
 * list), or -errno. */
typedef int (*sshd_glob_fn)(void *ud, const char *pattern, char ***ret);
/* Read one file: new buffer (NUL-terminated) and its length, or -errno. */
typedef int (*sshd_read_fn)(void *ud, const char *path, char **ret, size_t *ret_len);

struct sshd_io {
	sshd_glob_fn glob;
	sshd_read_fn read;
	void *ud;
};

/* Load path (normally /etc/ssh/sshd_config) and everything it includes.
 * Returns 0 (problems are issues), -ENOENT/-errno if the main file cannot
 * be read (nothing loaded), or -ENOMEM. */
int sshd_config_load(struct sshd_config *c, const char *path, const struct sshd_io *io);

/* "9.2p1" from a Debian version ("1:9.2p1-2+deb12u3") or an OpenSSH
 * banner ("OpenSSH_9.2p1 Debian-2"); new string, NULL if none. */
char *sshd_version_parse(const char *s, size_t len);

/* The effective values (the "sshd" collection's config columns) for the
 * OpenSSH version (NULL: unknown, so defaults that changed between
 * versions are null). New reference, NULL on allocation failure. */
json_t *sshd_effective_json(const struct sshd_config *c, const char *version);
/* One object per Match block: criteria, file, line, all, overrides,
 * restricts_access. New reference. */
json_t *sshd_match_json(const struct sshd_config *c);
/* The effective list of a list keyword (e.g. "hostkey",
 * "authorizedkeysfile") as a new JSON array of strings. */
json_t *sshd_effective_list(const struct sshd_config *c, const char *keyword);

/* What an authorized_keys file holds, without its key material. */
struct authkeys_stats {
	unsigned keys, with_from, with_command, restricted, bad_lines;
};
void authkeys_scan(const char *buf, size_t len, struct authkeys_stats *ret);

#endif
