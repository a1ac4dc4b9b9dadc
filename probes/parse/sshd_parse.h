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
	char **argv;	/* the same, split: attribute-value pairs (NULL-terminated) */
	size_t argc;
	char *file;
	unsigned line;
	bool all; /* "Match all" not nested in a narrower block: applies to every connection */
	bool bad; /* its criteria (or an enclosing block's) are invalid: sshd refuses them */
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

/* After a file read successfully has been processed, with what it
 * includes: the reader may forget it (the include chain). */
typedef void (*sshd_done_fn)(void *ud, const char *path);

struct sshd_io {
	sshd_glob_fn glob;
	sshd_read_fn read;
	void *ud;
	sshd_done_fn done; /* may be NULL */
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

/* ---- Match evaluation (servconf.c match_cfg_line, match.c, addrmatch.c) */

/* A connection, as `sshd -T -C user=,host=,addr=,laddr=,lport=,rdomain=`
 * describes it. NULL (0 for lport) is absent: a criterion that needs an
 * absent attribute makes the block's answer unknown (sshd's test mode
 * would call it "no match" or refuse), except rdomain, which a
 * connection really may lack. groups are the user's group names (primary
 * and supplementary, as getgrouplist finds them); NULL if unknown. */
struct sshd_conn {
	const char *user, *host, *addr, *laddr, *rdomain;
	long lport;
	char *const *groups;
	bool global; /* no connection at all: only "Match all" applies (sshd -T without -C) */
};

/* match_pattern_list: s against comma-separated '*'/'?' patterns, each
 * negated by a leading '!' (dolower: patterns folded to lowercase).
 * 1 positive match, -1 a negated pattern matched, 0 none. */
int sshd_match_pattern_list(const char *s, const char *list, bool dolower);
/* addr_match_list: addr against a list of CIDR networks and wildcard
 * patterns. 1 match, 0 none (or addr is no address), -1 negated match,
 * -2 an entry is invalid. addr NULL: only check the list (0 or -2). */
int sshd_addr_match_list(const char *addr, const char *list);

/* Whether block bi applies to conn: 1 yes, 0 no, -1 unknown (an absent
 * attribute, unknown groups, a service-name LocalPort, invalid criteria). */
int sshd_block_applies(const struct sshd_config *c, size_t bi, const struct sshd_conn *conn);

/* The effective values for one connection, as `sshd -T -C` prints them:
 * the same keys as sshd_effective_json's configuration values (null where
 * a block whose answer is unknown could set it), plus match_applied and
 * match_unknown ("file:line Match criteria" of the blocks). New reference,
 * NULL on allocation failure. */
json_t *sshd_class_json(const struct sshd_config *c, const struct sshd_conn *conn,
			const char *version);

/* What an authorized_keys file holds, without its key material. */
struct authkeys_stats {
	unsigned keys, with_from, with_command, restricted, bad_lines;
};
void authkeys_scan(const char *buf, size_t len, struct authkeys_stats *ret);

#endif
