/* executables.h - the "executables" probe (probes/executables.c) and the
 * pure helpers it is built from, exposed for tests/unit/test_executables.c. */
#ifndef TENKEN_EXECUTABLES_H
#define TENKEN_EXECUTABLES_H

#include <stdbool.h>
#include <stddef.h>
#include "probes/probe.h"

extern const struct collection executables_collections[];
int probe_executables_run(struct probe_ctx *ctx);

/* Top-level directories that /usr-merge turned into symlinks (/bin ->
 * usr/bin): a path under one of them and the same path under /usr name
 * one file, and dpkg's lists may spell it either way. */
enum {
	MERGED_BIN = 1 << 0,
	MERGED_SBIN = 1 << 1,
	MERGED_LIB = 1 << 2,
	MERGED_LIB32 = 1 << 3,
	MERGED_LIB64 = 1 << 4,
	MERGED_LIBX32 = 1 << 5,
};

/* The /usr spelling of path [s, s+len) when its top directory is merged
 * ("/bin/ls" -> "/usr/bin/ls"), else the path as it is. New string, NULL
 * on allocation failure. */
char *exe_canonical_path(const char *s, size_t len, unsigned merged);

/* Find the checksum of canonical path `path` in a dpkg md5sums file
 * (lines "HEX  relative/path", CRLF, junk and missing newline tolerated;
 * the listed paths are canonicalized with `merged` before comparing).
 * Returns 1 and the 32 lowercase hex digits in ret_hex, 0 if the path is
 * not listed, -EBADMSG if its line has no valid MD5. */
int exe_md5sums_find(const char *buf, size_t len, const char *path, unsigned merged,
		     char ret_hex[static 33]);

/* The package name of a dpkg info file name without its suffix:
 * "libc6:amd64" -> "libc6". New string. */
char *exe_dpkg_package_name(const char *base);

/* A run-path element with $ORIGIN / ${ORIGIN} replaced by origin_dir (the
 * executable's directory). New string. */
char *exe_expand_origin(const char *elem, const char *origin_dir);

#endif
