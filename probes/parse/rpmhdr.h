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
	RPMTAG_FILEMODES = 1030,
	RPMTAG_FILEDIGESTS = 1035,
	RPMTAG_FILEFLAGS = 1037,
	RPMTAG_DIRINDEXES = 1116,
	RPMTAG_BASENAMES = 1117,
	RPMTAG_DIRNAMES = 1118,
	RPMTAG_FILEDIGESTALGO = 5011,
};

/* FILEFLAGS bits (rpmfiles.h) and FILEDIGESTALGO values (rpmpgp.h's
 * pgpHashAlgo; a header without the tag uses MD5). */
enum {
	RPMFILE_CONFIG = 1u << 0,
	RPMFILE_GHOST = 1u << 6,
	RPM_HASH_MD5 = 1,
	RPM_HASH_SHA1 = 2,
	RPM_HASH_SHA256 = 8,
	RPM_HASH_SHA384 = 9,
	RPM_HASH_SHA512 = 10,
	RPM_HASH_SHA224 = 11,
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

/* The file list of a package header (compressed file names: BASENAMES
 * with DIRINDEXES into DIRNAMES), validated by rpmhdr_files(): every
 * array holds count elements inside the blob, every string array has its
 * NULs, every dir index is below ndirs. Borrowed from the blob. */
struct rpm_files {
	uint32_t count, ndirs, algo;
	const char *basenames, *digests;		 /* count strings back to back */
	const unsigned char *dirindexes, *modes, *flags; /* be32, be16, be32 */
	struct rpm_span *dirs;				 /* ndirs spans (malloc'd) */
	/* iteration state of rpm_files_next() */
	uint32_t next;
	const char *bcur, *dcur;
};

/* One file of the list; digest is the hex string rpm recorded ("" for
 * anything but a regular file, NULL span when the header has none). */
struct rpm_file {
	struct rpm_span dir, base, digest;
	uint16_t mode;
	uint32_t flags;
};

/* Find and validate the file list of blob [buf, buf+len) (already
 * accepted by rpmhdr_parse). Returns 0 with ret->count = 0 for a package
 * without files (or with only the pre-4.x OLDFILENAMES, not read),
 * -EBADMSG with *why set for inconsistent arrays, -ENOMEM. Free with
 * rpm_files_free(). */
int rpmhdr_files(const unsigned char *buf, size_t len, struct rpm_files *ret, const char **why);

/* The next file, in header order; false after the last. */
bool rpm_files_next(struct rpm_files *f, struct rpm_file *ret);

void rpm_files_free(struct rpm_files *f);

#endif
