/* cache.h - the opt-in cache of repeat scans (--cache-dir DIR).
 *
 * What a probe derived from files that did not change since the last
 * scan of the same root (an executable's digest and ELF facts, the
 * package database's owner index, what each apt list offers the installed
 * packages, what each apt/dpkg log says) is kept in one file per scanned root in DIR,
 * and served only when every input of the item is unchanged: the item
 * records, for each path it was derived from, the file's device, inode,
 * size, mode, mtime and ctime (nanoseconds) or the error its lookup gave,
 * and all of them must be the same again. An item with an input changed
 * at or after the scan's start is not cached at all (a later change could
 * carry the same times: git's "racily clean" rule); this relies on the
 * clock not being set back between scans.
 *
 * DIR belongs to tenken: it must be owned by the scanning user (root),
 * writable by nobody else, and every directory above it up to / owned by
 * root and not writable by group or others unless sticky. Otherwise the
 * scan is refused before it starts. The cache file is written to a
 * temporary name and renamed over (mode 0600), carries a format number
 * and the SHA-256 of its body, is at most CACHE_MAX_BYTES, and holds only
 * the items the last scan used. An unreadable, foreign, corrupt or
 * oversized file is ignored with a message and rewritten. Without
 * --cache-dir nothing of this runs and nothing is written.
 */
#ifndef TENKEN_CACHE_H
#define TENKEN_CACHE_H

#include <stdbool.h>
#include <sys/stat.h>
#include <jansson.h>

/* Bump when what an item holds changes: every older file is ignored. */
#define CACHE_FORMAT	2
#define CACHE_MAX_BYTES (64u << 20)
#define CACHE_MAX_ITEMS 200000u

struct cache;

/* A message in both languages (static or owned by the cache). */
struct cache_msg {
	char ja[512], en[512];
};

/* Check (creating it 0700 if absent) and open DIR, then load the file of
 * root from it. Returns 0 and a new cache, or -errno with *msg saying why
 * DIR is refused. *warn is set (non-empty en) when an existing cache
 * file was ignored; the scan goes on without it. */
int cache_open(const char *dir, const char *root, struct cache **ret, struct cache_msg *msg,
	       struct cache_msg *warn);
/* How inputs are looked up: fn(ud, path, st) returns 0 or -errno, and
 * follows symlinks (the scan passes fsroot_stat on its root). */
typedef int (*cache_stat_fn)(void *ud, const char *path, struct stat *st);
void cache_bind(struct cache *c, cache_stat_fn fn, void *ud);
/* The value stored under key (borrowed, valid until cache_free) if
 * every input it was derived from is unchanged; NULL otherwise. */
json_t *cache_get(struct cache *c, const char *key);
/* Store value (stolen) under key, derived from the files at paths
 * (NULL-ended). The inputs are looked up once per scan, at the first
 * cache_get or cache_put that names them; since an input modified at or
 * after the scan's start is never stored, a change while the item was
 * being derived cannot be recorded as its state. */
void cache_put(struct cache *c, const char *key, const char *const *paths, json_t *value);
/* The same for bytes: a binary item (kept outside the JSON, which reads
 * long strings slowly). get returns the bytes (borrowed until
 * cache_free) and their length, or NULL. */
const void *cache_get_blob(struct cache *c, const char *key, size_t *ret_len);
void cache_put_blob(struct cache *c, const char *key, const char *const *paths, const void *data,
		    size_t len);
/* Write the items this scan used (temp file, rename). 0, or -errno with
 * *msg. */
int cache_save(struct cache *c, struct cache_msg *msg);
void cache_free(struct cache *c);
/* Items served and stored by this scan (for tests and make bench). */
void cache_counts(const struct cache *c, unsigned *hits, unsigned *misses, unsigned *stored);

/* The pure parts, for unit tests. */
/* "dev:ino:size:mode:mtime:ctime" of st, or "E<errno>" for err < 0. */
void cache_fingerprint(int err, const struct stat *st, char out[128]);
/* Parse a cache file's bytes; 0 and a new "entries" object of a file for
 * root and where its binary items lie in data, or -EBADMSG / -ESTALE
 * (another format, tool or root). */
int cache_parse(const char *data, size_t len, const char *root, json_t **ret_entries,
		size_t *ret_blob_off, size_t *ret_blob_len);

#endif
