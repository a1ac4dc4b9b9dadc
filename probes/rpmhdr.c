/* rpmhdr.c - a bounds-checked reader for rpm header blobs (the format
 * rpm's lib/header.c writes: headerExport/headerImport), natively, with
 * no librpm. Only the tags tenken reports are decoded; everything else,
 * including the region trailers and signatures, is skipped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "probes/rpmhdr.h"

#define HDR_MAX_ENTRIES 0x0000ffffu /* rpm's HEADER_TAGS_MAX */
#define HDR_MAX_DATA	0x0fffffffu /* rpm's HEADER_DATA_MAX */
#define ENTRY_SIZE	16u

enum {
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
