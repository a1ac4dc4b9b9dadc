/* sudoers.h - sudoers(5) reader: /etc/sudoers and everything it includes
 * (@include, @includedir, #include, #includedir), aliases expanded, one
 * entry per user specification (see the "sudoers" collection in
 * probes/accounts_schema.c).
 *
 * The parser is pure (sudoers_parse); sudoers_collect does the I/O
 * through the probe's fsroot and reports problems as probe messages.
 */
#ifndef TENKEN_SUDOERS_H
#define TENKEN_SUDOERS_H

#include <jansson.h>
#include <stdbool.h>
#include "probes/probe.h"

struct sudoers; /* parse state: aliases seen so far and the entries */

struct sudoers *sudoers_new(void);
void sudoers_free(struct sudoers *s);

/* One problem found while parsing (line is 1-based). */
typedef void (*sudoers_error_fn)(void *userdata, const char *file, unsigned line,
				 const char *en_what, const char *ja_what);
/* Include directives found, in order, for the caller to resolve:
 * is_dir for @includedir/#includedir. The path is as written (relative
 * paths are relative to the including file's directory; %h expands to the
 * host's short name, which the caller passes as hostname). */
typedef void (*sudoers_include_fn)(void *userdata, const char *file, unsigned line,
				   const char *path, int is_dir);

/* Parse one file's contents into s. Returns 0, or -ENOMEM. Malformed
 * lines are reported through err and skipped, as sudo's error recovery
 * does; so is a logical line longer than LIMIT_LINE. A NUL byte ends its
 * physical line (reported), as in sudo's reader. Include directives go to
 * inc as they are met, so the caller may parse the included file into the
 * same s before this call goes on. Deliberately more lenient than sudo
 * 1.9.13 in three ways, each recording a rule rather than hiding one:
 * CRLF after a command (accepted by newer sudo), Defaults parameters
 * other than authenticate (skipped unchecked; the binding list is parsed)
 * and option values such as NOTBEFORE= (not validated). */
int sudoers_parse(struct sudoers *s, const char *file, const char *buf, size_t len,
		  sudoers_error_fn err, sudoers_include_fn inc, void *userdata);

/* The accounts of the scanned root, for Defaults:user and Defaults>runas
 * bindings and for naming who a grant lets in without a password
 * (borrowed; pass NULL when unknown). matches says whether account i is
 * the user-list item (without its '!', never an alias): "bob", "%grp",
 * "%#100", "#1000", "+netgroup", "ALL". */
struct sudoers_accounts {
	size_t n;
	const char *(*name)(void *ud, size_t i);
	bool (*matches)(void *ud, size_t i, const char *item);
	void *ud;
};

/* The entries parsed so far as a new JSON array (sorted by file, line),
 * NULL on allocation failure. One object per user specification line:
 *   file, line      where the rule is (line of its first token);
 *   principals      users as written in sudoers: "alice", "%sudo", "%#1000",
 *                   "#1000", "+netgroup", "ALL"; negated ones as "!bob";
 *   hosts           host list as written ("ALL", "web1", "10.0.0.0/8", "!db");
 *   runas           run-as users as written ("ALL", "root", "!bob"), run-as
 *                   groups prefixed with ':' (":ALL", ":wheel", ":!adm"), so
 *                   "(ALL:ALL)" gives ["ALL", ":ALL"]. A command with no
 *                   Runas_Spec runs as root (sudoers(5)), so it adds "root";
 *                   "()" and "(:grp)" add no user (only the invoking user);
 *   commands        "ALL", "/usr/bin/ls -l", "sudoedit /etc/hosts",
 *                   "^/usr/bin/.*$", digests kept in front
 *                   ("sha256:HEX /usr/bin/ls"), negated ones as "!/usr/bin/su";
 *   all_commands    a command is ALL (after expansion) and not negated;
 *   nopasswd        some non-negated command of the entry runs without a
 *                   password for someone it names: under a NOPASSWD tag
 *                   (tags carry over to the following commands of the same
 *                   "host = ..." list until PASSWD; a new ": host ="
 *                   resets), or with the authenticate flag off as sudo
 *                   computes it: the generic, Defaults@host, Defaults:user
 *                   and Defaults>runas lines in file order (the last one
 *                   that matches wins), then the Defaults!cmnd lines in
 *                   file order, then an explicit PASSWD or NOPASSWD tag,
 *                   which overrides every Defaults line (checked against
 *                   sudo 1.9.13). null when a binding could not be decided
 *                   (a host given by address or netgroup, a command
 *                   regex) and the answer depends on it;
 *   nopasswd_tag    a non-negated command is under a NOPASSWD tag;
 *   nopasswd_users  the accounts (from accounts) for which it is so,
 *                   sorted; absent when accounts is NULL;
 *   nopasswd_defaults  "file:line" of the Defaults lines that turned
 *                   authentication off for it (empty if only tags did);
 *   negated         a principal is negated.
 * Lists are sorted, without duplicates, aliases expanded (recursively;
 * negation composes by parity: "!ADMINS" with ADMINS = "!bob" gives
 * "bob"). An undefined alias or one in a loop matches nothing, as in
 * sudo. Of the Defaults lines only the authenticate flag is read.
 * hostname is the short host name for Defaults@host (NULL: unknown). */
json_t *sudoers_entries(const struct sudoers *s, const char *hostname,
			const struct sudoers_accounts *accounts);

/* Alias problems, reported through err once every file is parsed (an
 * alias may be used above its definition, or in another file): aliases
 * used but not defined, defined twice (sudo keeps the first), or part of
 * a loop, and rules whose expansion hit LIMIT_ALIAS_EXPANSION(_TOTAL) or
 * LIMIT_ALIAS_DEPTH. Returns 0, -EINVAL (no err) or -ENOMEM. */
int sudoers_check(const struct sudoers *s, sudoers_error_fn err, void *userdata);

/* The path an include directive names, resolved as sudo >= 1.9.1 does:
 * every "%h" becomes hostname (the short host name), and a relative path
 * is taken from the directory of including (the file holding the
 * directive). *ret is a new string. Returns 0, -ENODATA if the path uses
 * %h and hostname is NULL, -EINVAL for an empty path, -ENAMETOOLONG past
 * LIMIT_PATH, or -ENOMEM. */
int sudoers_include_path(const char *including, const char *path, const char *hostname, char **ret);

/* Read /etc/sudoers and its includes (depth LIMIT_INCLUDE_DEPTH, loops
 * detected) through ctx->root; set *ret to a new entries array, or to NULL
 * if /etc/sudoers could not be read at all (the probe then stores null:
 * unknown). Messages go to ctx. Also appends a file fact (see "files"
 * collection) for every sudoers file read to files (borrowed array).
 *
 * A missing /etc/sudoers is an empty array (no sudo, no rules), with a
 * file fact saying exists=false. Includes: %h is the short name from the
 * root's /etc/hostname; an includedir reads its regular files in
 * bytewise order, skipping names ending in '~' or containing '.'; a
 * missing includedir is silent, a missing include file a message. A file
 * already on the include stack (same device and inode) is reported and
 * not read again. Syntax errors and unreadable includes mark the probe
 * partial; alias warnings and missing includes do not. File facts: type
 * from lstat ("symlink" for a link), mode/uid/gid of what the path
 * resolves to, owner/group null (the accounts probe fills the names from
 * the root's own passwd and group). A path files already holds is not
 * added again. Returns 0, or -ENOMEM. */
int sudoers_collect(struct probe_ctx *ctx, json_t *files, const struct sudoers_accounts *accounts,
		    json_t **ret);

#endif
