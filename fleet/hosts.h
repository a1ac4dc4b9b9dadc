/* hosts.h - the hosts file of `tenken fleet`: a pure parser of one line at
 * a time, so the collector streams a file of any length in constant memory.
 *
 * Two syntaxes share one grammar (the man page documents it):
 *
 *   # plain list: one host a line, ssh_config aliases welcome
 *   [user@]host[:port] [profile=server|terminal] [baseline=PATH-ON-HOST]
 *   [user@][v6addr]:port
 *
 *   # an Ansible INI inventory, as the admin keeps it
 *   [web]                      hosts of group "web"
 *   h1 ansible_host=10.0.0.5 ansible_port=2222 ansible_user=admin
 *   [web:vars]                 group variables: skipped
 *   [all:children]             group names, not hosts: skipped
 *
 * Keys understood: profile, baseline, ansible_host (ansible_ssh_host),
 * ansible_port (ansible_ssh_port), ansible_user (ansible_ssh_user). Other
 * ansible_* keys, and any key once a [group] header has been seen (Ansible
 * host variables), are ignored; an unknown key in a plain list is an error,
 * so a typo ("profle=terminal") is not silently dropped. A YAML inventory
 * and host ranges (web[01:50]) are refused with a message, never guessed.
 *
 * Nothing here allocates: a host_entry is fixed-size. */
#ifndef TENKEN_FLEET_HOSTS_H
#define TENKEN_FLEET_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#define HOST_NAME_MAX_LEN 255
#define HOST_USER_MAX_LEN 64
#define HOST_PATH_MAX_LEN 1024

struct host_entry {
	char name[HOST_NAME_MAX_LEN + 1];     /* the first word, as written */
	char target[HOST_NAME_MAX_LEN + 1];   /* what ssh connects to (ansible_host or the host) */
	char user[HOST_USER_MAX_LEN + 1];     /* "" when none is given */
	unsigned port;			      /* 0 when none is given */
	char profile[16];		      /* "" when none is given */
	char baseline[HOST_PATH_MAX_LEN + 1]; /* a path on the host, "" when none */
	unsigned lineno;
};

struct hosts_parser {
	unsigned lineno;
	bool ini;      /* a [group] header was seen: Ansible inventory */
	bool skipping; /* inside [g:vars] or [g:children] */
	bool started;  /* a significant line was seen (YAML detection) */
};

struct hosts_error {
	unsigned line, column; /* 1-based */
	char ja[192], en[192];
};

void hosts_parser_init(struct hosts_parser *p);

/* Parse one line (without its newline; a trailing CR is accepted). Returns
 * 1 and fills *ret when the line names a host, 0 for a comment, blank line,
 * group header or variable line, and -EINVAL with *err set (line, column
 * and message) when the line is wrong. */
int hosts_parse_line(struct hosts_parser *p, const char *s, size_t len, struct host_entry *ret,
		     struct hosts_error *err);

/* Every line of buf in turn, calling fn for each host; stops at the first
 * error (-EINVAL, *err set) or at fn's first non-zero return (returned). */
int hosts_parse(const char *buf, size_t len, int (*fn)(void *ud, const struct host_entry *h),
		void *ud, struct hosts_error *err);

/* The file name a host's outcome is written under (CONTRACTS.md): bytes
 * outside [A-Za-z0-9._@-] become '_', and so does a leading '.', so no name
 * is hidden, "." or "..". out holds at least HOST_NAME_MAX_LEN + 1. */
void host_safe_name(const char *name, char *out, size_t n);

#endif
