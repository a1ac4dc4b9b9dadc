/* rpmhdr.h - rpm header blobs, as the package database stores them.
 *
 * A blob is two big-endian 32-bit counts (index entries il, data bytes
 * dl), il 16-byte index entries (tag, type, offset, count) and dl bytes
 * of data. rpm's own reader refuses headers beyond 0xffff entries or
 * 256 MiB of data; so does this one. Every offset and count is checked
 * against the blob before anything is read; strings must end with a NUL
 * inside the data. Pure: no I/O.
 */
#ifndef TENKEN_RPMHDR_H
#define TENKEN_RPMHDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Tags (rpmtag.h) this parser knows. */
enum {
	RPMTAG_NAME = 1000,
	RPMTAG_VERSION = 1001,
	RPMTAG_RELEASE = 1002,
	RPMTAG_EPOCH = 1003,
	RPMTAG_SUMMARY = 1004,
	RPMTAG_INSTALLTIME = 1008,
	RPMTAG_VENDOR = 1011,
	RPMTAG_ARCH = 1022,
	RPMTAG_SOURCERPM = 1044,
};

/* The facts of one installed package, as spans inside the blob (not
 * NUL-terminated in the struct, but each is followed by a NUL in the
 * blob). A missing tag is a NULL span; has_epoch/has_installtime say
 * whether those integers were present. */
struct rpm_span {
	const char *s;
	size_t len;
};
struct rpm_pkg {
	struct rpm_span name, version, release, arch, sourcerpm, vendor, summary;
	uint32_t epoch;
	int64_t installtime;
	bool has_epoch, has_installtime;
};

/* Parse blob [buf, buf+len). Returns 0, or -EBADMSG for a malformed blob
 * (counts beyond the blob, an entry pointing outside the data, a string
 * without its NUL, a wrong type for a known tag) and sets *why to a
 * static English reason. A header without NAME is malformed. */
int rpmhdr_parse(const unsigned char *buf, size_t len, struct rpm_pkg *ret, const char **why);

/* The "[E:]V-R" of a package into out (at most size bytes, always
 * NUL-terminated); rpm -q prints "%{EPOCH}:" only when the epoch tag is
 * present. Returns the length it needed (as snprintf). */
size_t rpm_pkg_evr(const struct rpm_pkg *p, char *out, size_t size);

#endif
