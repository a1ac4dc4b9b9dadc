/* rpmhdr.c - a bounds-checked reader for rpm header blobs (the format
 * rpm's lib/header.c writes: headerExport/headerImport), natively, with
 * no librpm. Only the tags tenken reports are decoded; everything else,
 * including the region trailers and signatures, is skipped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/rpmhdr.h"

#define HDR_MAX_ENTRIES 0x0000ffffu /* rpm's HEADER_TAGS_MAX */
#define HDR_MAX_DATA	0x0fffffffu /* rpm's HEADER_DATA_MAX */
#define ENTRY_SIZE	16u

enum {
	T_INT16 = 3,
	T_INT32 = 4,
	T_STRING = 6,
	T_STRING_ARRAY = 8,
	T_I18NSTRING = 9,
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct entry {
	uint32_t tag, type, offset, count;
};

struct blob {
	const unsigned char *data;
	uint32_t dl;
};

/* The first string of a STRING/I18NSTRING entry, NUL inside the data. */
static int get_string(const struct blob *b, const struct entry *e, struct rpm_span *ret)
{
	if (e->type != T_STRING && e->type != T_I18NSTRING && e->type != T_STRING_ARRAY)
		return -EBADMSG;
	if (e->count < 1 || e->offset >= b->dl)
		return -EBADMSG;
	const unsigned char *s = b->data + e->offset;
	const unsigned char *nul = memchr(s, '\0', b->dl - e->offset);
	if (!nul)
		return -EBADMSG;
	ret->s = (const char *)s;
	ret->len = (size_t)(nul - s);
	return 0;
}

static int get_int32(const struct blob *b, const struct entry *e, uint32_t *ret)
{
	if (b->dl < 4 || e->type != T_INT32 || e->count < 1 || e->offset % 4 != 0 ||
	    e->offset > b->dl - 4)
		return -EBADMSG;
	*ret = be32(b->data + e->offset);
	return 0;
}

static struct rpm_span *string_field(struct rpm_pkg *p, uint32_t tag)
{
	switch (tag) {
	case RPMTAG_NAME:
		return &p->name;
	case RPMTAG_VERSION:
		return &p->version;
	case RPMTAG_RELEASE:
		return &p->release;
	case RPMTAG_ARCH:
		return &p->arch;
	case RPMTAG_SOURCERPM:
		return &p->sourcerpm;
	case RPMTAG_VENDOR:
		return &p->vendor;
	case RPMTAG_SUMMARY:
		return &p->summary;
	default:
		return NULL;
	}
}

/* Decode one index entry into p; the first occurrence of a tag wins. */
static int take_entry(const struct blob *b, const struct entry *e, struct rpm_pkg *p)
{
	struct rpm_span *sp = string_field(p, e->tag);
	uint32_t v;
	if (sp)
		return sp->s ? 0 : get_string(b, e, sp);
	if (e->tag == RPMTAG_EPOCH && !p->has_epoch) {
		if (get_int32(b, e, &v) < 0)
			return -EBADMSG;
		p->epoch = v;
		p->has_epoch = true;
	} else if (e->tag == RPMTAG_INSTALLTIME && !p->has_installtime) {
		if (get_int32(b, e, &v) < 0)
			return -EBADMSG;
		p->installtime = v;
		p->has_installtime = true;
	}
	return 0;
}

int rpmhdr_parse(const unsigned char *buf, size_t len, struct rpm_pkg *ret, const char **why)
{
	*ret = (struct rpm_pkg){0};
	*why = "truncated header";
	if (len < 8)
		return -EBADMSG;
	uint32_t il = be32(buf), dl = be32(buf + 4);
	if (il < 1 || il > HDR_MAX_ENTRIES || dl > HDR_MAX_DATA) {
		*why = "entry or data count out of range";
		return -EBADMSG;
	}
	if ((uint64_t)8 + (uint64_t)il * ENTRY_SIZE + dl > len) {
		*why = "counts larger than the blob";
		return -EBADMSG;
	}
	struct blob b = {buf + 8 + (size_t)il * ENTRY_SIZE, dl};
	for (uint32_t i = 0; i < il; i++) {
		const unsigned char *p = buf + 8 + (size_t)i * ENTRY_SIZE;
		struct entry e = {be32(p), be32(p + 4), be32(p + 8), be32(p + 12)};
		if (take_entry(&b, &e, ret) < 0) {
			*why = "bad index entry for a package tag";
			return -EBADMSG;
		}
	}
	if (!ret->name.s || !ret->name.len) {
		*why = "no package name";
		return -EBADMSG;
	}
	*why = NULL;
	return 0;
}

size_t rpm_pkg_evr(const struct rpm_pkg *p, char *out, size_t size)
{
	char epoch[16] = "";
	if (p->has_epoch)
		snprintf(epoch, sizeof(epoch), "%" PRIu32 ":", p->epoch);
	int n = snprintf(out, size, "%s%.*s-%.*s", epoch, (int)p->version.len,
			 p->version.s ? p->version.s : "", (int)p->release.len,
			 p->release.s ? p->release.s : "");
	return n < 0 ? 0 : (size_t)n;
}

/* ---- file lists ---- */

/* Header entries of the file-list tags, by position in want[]. */
static const uint32_t file_tags[] = {
    RPMTAG_BASENAMES, RPMTAG_DIRNAMES,	RPMTAG_DIRINDEXES,     RPMTAG_FILEDIGESTS,
    RPMTAG_FILEMODES, RPMTAG_FILEFLAGS, RPMTAG_FILEDIGESTALGO,
};
enum { F_BASE, F_DIRS, F_DIRIDX, F_DIGESTS, F_MODES, F_FLAGS, F_ALGO, F_N };

/* count NUL-terminated strings from e's offset, all inside the data. */
static int check_strings(const struct blob *b, const struct entry *e, uint32_t count)
{
	if (e->type != T_STRING_ARRAY || e->count != count || e->offset > b->dl ||
	    count > b->dl - e->offset)
		return -EBADMSG;
	const unsigned char *p = b->data + e->offset, *end = b->data + b->dl;
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul)
			return -EBADMSG;
		p = nul + 1;
	}
	return 0;
}

/* An array of count integers of `size` bytes, aligned, inside the data. */
static int check_ints(const struct blob *b, const struct entry *e, uint32_t type, uint32_t size,
		      uint32_t count)
{
	if (e->type != type || e->count != count || e->offset % size != 0 || e->offset > b->dl ||
	    (uint64_t)count * size > b->dl - e->offset)
		return -EBADMSG;
	return 0;
}

static int take_dirs(const struct blob *b, const struct entry *e, struct rpm_files *f)
{
	if (check_strings(b, e, e->count) < 0 || e->count == 0)
		return -EBADMSG;
	f->dirs = calloc(e->count, sizeof(*f->dirs));
	if (!f->dirs)
		return -ENOMEM;
	f->ndirs = e->count;
	const char *p = (const char *)b->data + e->offset;
	for (uint32_t i = 0; i < f->ndirs; i++) {
		f->dirs[i] = (struct rpm_span){p, strlen(p)};
		p += f->dirs[i].len + 1;
	}
	return 0;
}

/* Validate the entries found (have[] is NULL where a tag is absent). */
static int take_files(const struct blob *b, const struct entry *const *have, struct rpm_files *f)
{
	uint32_t n = have[F_BASE]->count;
	const struct entry *e;
	if (!have[F_DIRS] || !have[F_DIRIDX] || check_strings(b, have[F_BASE], n) < 0 ||
	    check_ints(b, have[F_DIRIDX], T_INT32, 4, n) < 0)
		return -EBADMSG;
	if ((e = have[F_DIGESTS]) && check_strings(b, e, n) < 0)
		return -EBADMSG;
	if ((e = have[F_MODES]) && check_ints(b, e, T_INT16, 2, n) < 0)
		return -EBADMSG;
	if ((e = have[F_FLAGS]) && check_ints(b, e, T_INT32, 4, n) < 0)
		return -EBADMSG;
	if ((e = have[F_ALGO]) && get_int32(b, e, &f->algo) < 0)
		return -EBADMSG;
	int r = take_dirs(b, have[F_DIRS], f);
	if (r < 0)
		return r;
	f->dirindexes = b->data + have[F_DIRIDX]->offset;
	for (uint32_t i = 0; i < n; i++)
		if (be32(f->dirindexes + 4 * (size_t)i) >= f->ndirs)
			return -EBADMSG;
	f->count = n;
	f->basenames = (const char *)b->data + have[F_BASE]->offset;
	f->digests = have[F_DIGESTS] ? (const char *)b->data + have[F_DIGESTS]->offset : NULL;
	f->modes = have[F_MODES] ? b->data + have[F_MODES]->offset : NULL;
	f->flags = have[F_FLAGS] ? b->data + have[F_FLAGS]->offset : NULL;
	f->bcur = f->basenames;
	f->dcur = f->digests;
	return 0;
}

int rpmhdr_files(const unsigned char *buf, size_t len, struct rpm_files *ret, const char **why)
{
	*ret = (struct rpm_files){.algo = RPM_HASH_MD5};
	*why = "truncated header";
	if (len < 8)
		return -EBADMSG;
	uint32_t il = be32(buf), dl = be32(buf + 4);
	if (il < 1 || il > HDR_MAX_ENTRIES || dl > HDR_MAX_DATA ||
	    (uint64_t)8 + (uint64_t)il * ENTRY_SIZE + dl > len)
		return -EBADMSG;
	struct blob b = {buf + 8 + (size_t)il * ENTRY_SIZE, dl};
	struct entry ents[F_N];
	const struct entry *have[F_N] = {0};
	for (uint32_t i = 0; i < il; i++) {
		const unsigned char *p = buf + 8 + (size_t)i * ENTRY_SIZE;
		struct entry e = {be32(p), be32(p + 4), be32(p + 8), be32(p + 12)};
		for (size_t k = 0; k < F_N; k++)
			if (e.tag == file_tags[k] && !have[k]) {
				ents[k] = e;
				have[k] = &ents[k];
			}
	}
	*why = NULL;
	if (!have[F_BASE])
		return 0; /* no files (or only OLDFILENAMES) */
	int r = take_files(&b, have, ret);
	if (r < 0) {
		rpm_files_free(ret);
		*why = "inconsistent file list";
	}
	return r;
}

bool rpm_files_next(struct rpm_files *f, struct rpm_file *ret)
{
	if (f->next >= f->count)
		return false;
	uint32_t i = f->next++;
	*ret = (struct rpm_file){.dir = f->dirs[be32(f->dirindexes + 4 * (size_t)i)]};
	ret->base = (struct rpm_span){f->bcur, strlen(f->bcur)};
	f->bcur += ret->base.len + 1;
	if (f->dcur) {
		ret->digest = (struct rpm_span){f->dcur, strlen(f->dcur)};
		f->dcur += ret->digest.len + 1;
	}
	if (f->modes)
		ret->mode = (uint16_t)(f->modes[2 * (size_t)i] << 8 | f->modes[2 * (size_t)i + 1]);
	if (f->flags)
		ret->flags = be32(f->flags + 4 * (size_t)i);
	return true;
}

void rpm_files_free(struct rpm_files *f)
{
	free(f->dirs);
	*f = (struct rpm_files){0};
}
