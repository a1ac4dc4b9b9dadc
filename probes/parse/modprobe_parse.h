/* modprobe_parse.h - modprobe.d(5) configuration, as kmod reads it.
 *
 * kmod reads *.conf from /etc/modprobe.d, /run/modprobe.d,
 * /usr/local/lib/modprobe.d, /lib/modprobe.d and /usr/lib/modprobe.d: a
 * file name present in several directories is taken only from the first
 * (highest priority) one, and the surviving files are read in lexical
 * order of their names. Lines may be continued with a trailing backslash;
 * '#' starts a comment line. Module names are compared with '-' and '_'
 * equal (kmod normalises them to '_').
 *
 * What stops a module from loading: only an "install MODULE CMD" whose
 * command does nothing (/bin/true, /bin/false, true, false). "blacklist
 * MODULE" only stops loading through an alias (udev's hot-plug); an
 * explicit "modprobe MODULE" still loads it. The first install line for a
 * module in read order is the one kmod uses (as module-init-tools did).
 *
 * Pure: no I/O. Ownership: modprobe_conf owns every string in it.
 */
#ifndef TENKEN_MODPROBE_PARSE_H
#define TENKEN_MODPROBE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

enum modprobe_kind {
	MP_BLACKLIST,
	MP_INSTALL,
	MP_REMOVE,
	MP_ALIAS,
	MP_OPTIONS,
	MP_SOFTDEP,
};

struct modprobe_directive {
	enum modprobe_kind kind;
	char *module; /* normalised ('-' -> '_'); for alias: the alias pattern */
	char *arg;    /* install/remove command, alias target, options; else NULL */
	char *file;   /* the file it came from */
	unsigned line;
};

struct modprobe_issue {
	char *file;
	unsigned line;
	const char *en; /* static text */
	const char *ja;
};

struct modprobe_conf {
	struct modprobe_directive *v;
	size_t n, cap;
	struct modprobe_issue *issues;
	size_t n_issues, cap_issues;
};

void modprobe_conf_free(struct modprobe_conf *c);

/* Parse one file's contents, appending its directives to c in order. file
 * is copied into each record. Malformed lines become issues (at most
 * LIMIT_LINE_MESSAGES per file) and are skipped. Returns 0 or -ENOMEM. */
int modprobe_parse(struct modprobe_conf *c, const char *file, const char *buf, size_t len);

/* The order kmod reads files in. names[d] is the sorted list of names in
 * directory d (dirs in priority order, n_dirs of them; a NULL list is an
 * absent directory). Only names ending in ".conf" or ".alias", and not
 * starting with '.', count (libkmod-config.c). Writes to *ret a
 * new NULL-terminated array of new "dir/name" strings in read order.
 * Returns 0 or -ENOMEM. */
int modprobe_order(const char *const *dirs, char **const *names, size_t n_dirs, char ***ret,
		   size_t *ret_n);

/* Copy s with '-' replaced by '_' (new string, NULL on ENOMEM). */
char *modprobe_normalize(const char *s);

/* Whether an install command does nothing, so that loading is refused:
 * /bin/true, /bin/false, /usr/bin/true, /usr/bin/false, true, false, also
 * with trailing arguments or ";" (e.g. "/bin/false #"), and "exit 0|1". */
bool modprobe_cmd_disables(const char *cmd);

/* What the configuration says about one module (normalised name, no
 * globbing of the query; directive names are fnmatch patterns as kmod
 * treats install/blacklist names literally but aliases as patterns). */
struct modprobe_policy {
	bool blacklisted;
	const char *blacklist_file; /* borrowed from the conf, or NULL */
	const char *install_cmd;    /* the first install command, borrowed, or NULL */
	const char *install_file;
	bool install_disables; /* install_cmd does nothing */
};
void modprobe_policy_of(const struct modprobe_conf *c, const char *module,
			struct modprobe_policy *ret);

/* Whether the module name appears in a modules.builtin or /proc/modules
 * buffer: first word of a line, "kernel/drivers/usb/storage/usb-storage.ko"
 * paths compared by their base name without ".ko", '-'/'_' equal. */
bool modprobe_list_has(const char *buf, size_t len, const char *module);

#endif
