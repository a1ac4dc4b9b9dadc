/* inetd_parse.h - pure parsers of the super-servers' configuration:
 * inetd.conf (openbsd-inetd, inetutils-inetd, xinetd's -inetd_compat) and
 * xinetd.conf with its defaults section, and /etc/services for ports.
 * No I/O: xinetd's includedir/includefile go back to the caller.
 *
 * Ownership: entries handed to callbacks are borrowed for the call.
 * struct xinetd_conf owns everything in it; xinetd_conf_free.
 */
#ifndef TENKEN_INETD_PARSE_H
#define TENKEN_INETD_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* One inetd.conf entry:
 *   [address:]service socket-type protocol wait[.max] user[.group] server args...
 * A line beginning with '#' is a comment, except "#<off># ENTRY", the form
 * update-inetd --disable writes: reported with enabled false. */
struct inetd_entry {
	const char *service; /* name or port number, without the address */
	const char *address; /* "127.0.0.1" for "127.0.0.1:telnet", NULL for any */
	const char *socket_type, *protocol, *wait, *user;
	const char *server;  /* the server field: a path or "internal" */
	const char *program; /* what runs: server, or for tcpd its first argument */
	bool enabled, internal;
	unsigned line;
};
typedef int (*inetd_entry_fn)(void *ud, const struct inetd_entry *e);
/* Calls fn for every entry, enabled or written disabled by update-inetd;
 * stops at the first negative return of fn and returns it. A line with
 * fewer than six fields is counted in *ret_bad (with its first line in
 * *ret_first_bad) and skipped. Returns 0 or -ENOMEM. */
int inetd_conf_parse(const char *buf, size_t len, inetd_entry_fn fn, void *ud, unsigned *ret_bad,
		     unsigned *ret_first_bad);

/* The port of a service name for a protocol ("tcp", "udp"; "tcp6" is tcp)
 * in /etc/services text; a number is itself. -1 if unknown. */
int services_port(const char *buf, size_t len, const char *name, const char *proto);

/* ---- xinetd ---- */

struct xinetd_service {
	char *name;	   /* service NAME */
	char *id;	   /* id attribute, else the name */
	char *protocol;	   /* protocol attribute, NULL if unset */
	char *socket_type; /* socket_type */
	char *port;	   /* port attribute, NULL if unset */
	char *server;	   /* server attribute */
	char *bind;	   /* bind / interface attribute */
	char *type;	   /* type attribute (INTERNAL, UNLISTED, RPC...) as written */
	bool disable;	   /* disable = yes */
	char *file;	   /* where it was read (copied from the caller) */
	unsigned line;
};
struct xinetd_conf {
	struct xinetd_service *v;
	size_t n, cap;
	char **enabled; /* defaults: enabled = ids (NULL: attribute never given) */
	size_t n_enabled;
	bool has_enabled;
	char **disabled; /* defaults: disabled = ids */
	size_t n_disabled;
	unsigned bad_lines, first_bad_line;
};
/* include(ud, kind, path): kind is "includedir" or "includefile"; the
 * caller reads it and calls xinetd_conf_parse again on the same conf. */
typedef void (*xinetd_include_fn)(void *ud, const char *kind, const char *path, unsigned line);
/* Parse one file into c (file names the source of its services). Returns
 * 0 or -ENOMEM (c stays valid). */
int xinetd_conf_parse(const char *buf, size_t len, const char *file, struct xinetd_conf *c,
		      xinetd_include_fn include, void *ud);
void xinetd_conf_free(struct xinetd_conf *c);
/* Whether xinetd starts the service: not "disable = yes", not listed in
 * defaults' disabled, and listed in defaults' enabled when that is given
 * (by id). */
bool xinetd_service_enabled(const struct xinetd_conf *c, const struct xinetd_service *s);
/* Whether a file name in an includedir is read: no '.' in it, no final
 * '~' (xinetd.conf(5)). */
bool xinetd_includedir_name(const char *name);

#endif
