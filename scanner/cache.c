/* cache.c - the opt-in cache of repeat scans (see cache.h).
 *
 * File layout: one header line "tenken-cache FORMAT SHA256HEX JSONLEN
 * BLOBLEN\n", a JSON body of JSONLEN bytes and BLOBLEN bytes of binary
 * items (kept out of the JSON: jansson reads a long string a byte at a
 * time), the header's SHA-256 covering both:
 *   {"tool": VERSION, "root": ROOT,
 *    "items": {KEY: {"in": {PATH: FINGERPRINT, ...}, "v": VALUE}, ...}}
 * where a binary item's VALUE is {"blob": [OFFSET, LENGTH]}.
 * Everything about the directory is checked on descriptors (openat with
 * O_NOFOLLOW from the checked directory's descriptor), so a path swapped
 * after the check is not followed.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <sys/random.h>
#include "scanner/cache.h"
#include "lib/util.h"

struct cache {
	int dirfd;
	char *root;
	char name[64]; /* the file's name in dirfd */
	json_t *items; /* what the file held */
	json_t *out;   /* what this scan used or made */
	char *file;    /* the file's bytes (binary items point into it) */
	size_t blob_off, blob_len;
	unsigned char *blob; /* binary items of out */
	size_t nblob, capblob;
	json_t *fps;	       /* path -> fingerprint, looked up once per scan */
	struct timespec start; /* inputs changed at or after start are not cached */
	cache_stat_fn fn;
	void *ud;
	unsigned hits, misses, stored;
};

/* Both formats take arg, then strerror(err) ("" for 0), as %s. */
#define set_msg(m, J, E, arg, err)                                                                 \
	do {                                                                                       \
		const char *e_ = (err) ? strerror(err) : "";                                       \
		if (m) {                                                                           \
			snprintf((m)->ja, sizeof((m)->ja), J, arg, e_);                            \
			snprintf((m)->en, sizeof((m)->en), E, arg, e_);                            \
		}                                                                                  \
	} while (0)

void cache_fingerprint(int err, const struct stat *st, char out[128])
{
	if (err < 0) {
		snprintf(out, 128, "E%d", -err);
		return;
	}
	snprintf(out, 128, "%llx:%llx:%lld:%o:%lld.%09ld:%lld.%09ld",
		 (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
		 (long long)st->st_size, (unsigned)st->st_mode, (long long)st->st_mtim.tv_sec,
		 st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[32];
	unsigned n = 0;
	out[0] = '\0';
	if (!EVP_Digest(data, len, d, &n, EVP_sha256(), NULL) || n != 32)
		return;
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int cache_parse(const char *data, size_t len, const char *root, json_t **ret_entries,
		size_t *ret_blob_off, size_t *ret_blob_len)
{
	const char *nl = memchr(data, '\n', len < 256 ? len : 256);
	char hex[65], want[65];
	unsigned format;
	unsigned long long jlen, blen;
	if (!nl)
		return -EBADMSG;
	_cleanup_free_ char *head = xstrndup(data, (size_t)(nl - data));
	if (!head || sscanf(head, "tenken-cache %u", &format) != 1)
		return -EBADMSG;
	if (format != CACHE_FORMAT)
		return -ESTALE;
	if (sscanf(head, "tenken-cache %u %64s %llu %llu", &format, hex, &jlen, &blen) != 4)
		return -EBADMSG;
	const char *body = nl + 1;
	size_t have = len - (size_t)(body - data);
	if (jlen > have || blen != have - jlen)
		return -EBADMSG;
	sha256_hex(body, have, want);
	if (strcmp(hex, want) != 0)
		return -EBADMSG;
	json_auto_t *j = json_loadb(body, jlen, 0, NULL);
	json_t *items = json_object_get(j, "items");
	if (!json_is_object(items))
		return -EBADMSG;
	const char *tool = json_string_value(json_object_get(j, "tool"));
	const char *r = json_string_value(json_object_get(j, "root"));
	if (!tool || !r || strcmp(tool, TENKEN_VERSION) != 0 || strcmp(r, root) != 0)
		return -ESTALE;
	const char *k;
	json_t *v;
	json_object_foreach(items, k, v) {
		json_t *in = json_object_get(v, "in");
		json_t *b = json_object_get(json_object_get(v, "v"), "blob");
		const char *p;
		json_t *fp;
		if (!json_is_object(in) || !json_object_get(v, "v"))
			return -EBADMSG;
		json_object_foreach(in, p, fp)
			if (!json_is_string(fp))
				return -EBADMSG;
		if (b && (!json_is_integer(json_array_get(b, 0)) ||
			  !json_is_integer(json_array_get(b, 1)) ||
			  json_integer_value(json_array_get(b, 0)) < 0 ||
			  json_integer_value(json_array_get(b, 1)) < 0 ||
			  (unsigned long long)json_integer_value(json_array_get(b, 0)) +
				  (unsigned long long)json_integer_value(json_array_get(b, 1)) >
			      blen))
			return -EBADMSG;
	}
	*ret_blob_off = (size_t)(body - data) + jlen;
	*ret_blob_len = blen;
	*ret_entries = json_incref(items);
	return 0;
}

/* Whether the directory st (at depth 0: DIR itself) may hold the cache. */
static bool dir_safe(const struct stat *st, bool self)
{
	if (!S_ISDIR(st->st_mode))
		return false;
	if (self)
		return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
	return st->st_uid == 0 && (!(st->st_mode & (S_IWGRP | S_IWOTH)) || (st->st_mode & S_ISVTX));
}

/* Check every directory from real (an absolute canonical path) up to /. */
static int parents_safe(char *real, const char *dir, struct cache_msg *msg)
{
	for (;;) {
		struct stat pst;
		if (lstat(real, &pst) < 0 || !dir_safe(&pst, false)) {
			char where[PATH_MAX + 32];
			snprintf(where, sizeof(where), " (%s)", real);
			set_msg(
			    msg,
			    "--cache-dir %s: 上位のディレクトリが root 所有でないか、"
			    "他者が書き込めます（スティッキービットなし）%s",
			    "--cache-dir %s: refused: a directory above it is not owned by root or "
			    "is writable by others without the sticky bit%s",
			    dir, 0);
			if (msg) { /* the directory's name in strerror's slot */
				size_t lj = strlen(msg->ja), le = strlen(msg->en);
				snprintf(msg->ja + lj, sizeof(msg->ja) - lj, "%s", where);
				snprintf(msg->en + le, sizeof(msg->en) - le, "%s", where);
			}
			return -EPERM;
		}
		char *slash = strrchr(real, '/');
		if (!slash || (slash == real && !slash[1]))
			return 0;
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/* Check every directory above DIR, make DIR (0700) if absent, open it
 * and check it. */
static int open_dir(const char *dir, int *ret_fd, struct cache_msg *msg)
{
#define ja_bad "--cache-dir %s: 所有者が実行ユーザーでないか、他者が書き込めるため使いません%s"
#define en_bad "--cache-dir %s: refused: not owned by the scanning user or writable by others%s"
	_cleanup_free_ char *copy = strdup(dir);
	if (!copy)
		return -ENOMEM;
	size_t l = strlen(copy);
	while (l > 1 && copy[l - 1] == '/')
		copy[--l] = '\0';
	char *slash = strrchr(copy, '/');
	const char *parent = !slash ? "." : slash == copy ? "/" : (*slash = '\0', copy);
	_cleanup_free_ char *real = realpath(parent, NULL);
	if (!real) {
		set_msg(msg, "--cache-dir %s: 開けません（%s）", "--cache-dir %s: cannot open (%s)",
			dir, errno);
		return -errno;
	}
	int r = parents_safe(real, dir, msg);
	if (r < 0)
		return r;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		set_msg(msg, "--cache-dir %s: 作成できません（%s）",
			"--cache-dir %s: cannot create (%s)", dir, errno);
		return -errno;
	}
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		set_msg(msg, "--cache-dir %s: 開けません（%s）", "--cache-dir %s: cannot open (%s)",
			dir, errno);
		return -errno;
	}
	if (!dir_safe(&st, true)) {
		set_msg(msg, ja_bad, en_bad, dir, 0);
		return -EPERM;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* Read the cache file; 0 and the items, or -errno (*why says why). */
static int load(struct cache *c, json_t **ret, const char **why_ja, const char **why_en)
{
	_cleanup_close_ int fd = openat(c->dirfd, c->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	*why_ja = "読めません";
	*why_en = "unreadable";
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		*why_ja = "通常ファイルでないか、所有者か権限が違います";
		*why_en = "not a regular file of mode 0600 owned by the scanning user";
		return -EPERM;
	}
	if ((uint64_t)st.st_size > CACHE_MAX_BYTES) {
		*why_ja = "大きすぎます";
		*why_en = "too large";
		return -EFBIG;
	}
	_cleanup_free_ char *data = malloc((size_t)st.st_size + 1);
	size_t len = 0;
	if (!data)
		return -ENOMEM;
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, data + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	int r = cache_parse(data, len, c->root, ret, &c->blob_off, &c->blob_len);
	if (r == 0)
		c->file = TAKE_PTR(data);
	if (r == -ESTALE) {
		*why_ja = "別の版の tenken か別のルートのものです";
		*why_en = "written by another tenken version or for another root";
	} else if (r < 0) {
		*why_ja = "壊れています（チェックサムか構造が合いません）";
		*why_en = "corrupt (checksum or structure does not match)";
	}
	return r;
}

int cache_open(const char *dir, const char *root, struct cache **ret, struct cache_msg *msg,
	       struct cache_msg *warn)
{
	struct cache *c = calloc(1, sizeof(*c));
	char hex[65];
	if (warn)
		warn->ja[0] = warn->en[0] = '\0';
	if (!c)
		return -ENOMEM;
	c->dirfd = -1;
	int r = open_dir(dir, &c->dirfd, msg);
	if (r < 0) {
		cache_free(c);
		return r;
	}
	sha256_hex(root, strlen(root), hex);
	snprintf(c->name, sizeof(c->name), "scan-%.16s.cache", hex);
	c->root = strdup(root);
	c->out = json_object();
	c->fps = json_object();
	clock_gettime(CLOCK_REALTIME_COARSE, &c->start);
	if (!c->root || !c->out || !c->fps) {
		cache_free(c);
		return -ENOMEM;
	}
	const char *why_ja, *why_en;
	r = load(c, &c->items, &why_ja, &why_en);
	if (r < 0) {
		c->items = json_object();
		if (r != -ENOENT && warn) {
			snprintf(
			    warn->ja, sizeof(warn->ja),
			    "--cache-dir: %s/%s を無視します（%s）。キャッシュなしで検査します",
			    dir, c->name, why_ja);
			snprintf(warn->en, sizeof(warn->en),
				 "--cache-dir: ignoring %s/%s (%s); scanning without it", dir,
				 c->name, why_en);
		}
	}
	*ret = c;
	return 0;
}

void cache_bind(struct cache *c, cache_stat_fn fn, void *ud)
{
	c->fn = fn;
	c->ud = ud;
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The fingerprint of path in this scan (looked up once). */
static const char *fingerprint(struct cache *c, const char *path)
{
	const char *fp = json_string_value(json_object_get(c->fps, path));
	if (fp)
		return fp;
	struct stat st;
	char buf[128];
	int r = c->fn ? c->fn(c->ud, path, &st) : -ENOSYS;
	cache_fingerprint(r, r == 0 ? &st : NULL, buf);
	/* Changed at or after the scan's start: a change still to come could
	 * carry the same times (the kernel stamps files from the coarse
	 * clock read here), so never a match, never stored. */
	if (r == 0 && (!before(&st.st_mtim, &c->start) || !before(&st.st_ctim, &c->start)))
		snprintf(buf, sizeof(buf), "racy");
	json_object_set_new(c->fps, path, json_string(buf));
	return json_string_value(json_object_get(c->fps, path));
}

json_t *cache_get(struct cache *c, const char *key)
{
	json_t *item = json_object_get(c->items, key);
	json_t *in = json_object_get(item, "in");
	const char *p;
	json_t *fp;
	bool ok = item != NULL;
	json_object_foreach(in, p, fp) {
		const char *now = fingerprint(c, p);
		if (!ok || !now || strcmp(now, "racy") == 0 || strcmp(now, json_string_value(fp)))
			ok = false;
	}
	if (!ok) {
		c->misses++;
		return NULL;
	}
	if (!json_object_get(c->out, key))
		c->hits++; /* items, not lookups */
	json_object_set(c->out, key, item);
	return json_object_get(item, "v");
}

void cache_put(struct cache *c, const char *key, const char *const *paths, json_t *value)
{
	json_t *in = json_object();
	bool ok = in && value && json_object_size(c->out) < CACHE_MAX_ITEMS;
	for (size_t i = 0; ok && paths[i]; i++) {
		const char *fp = fingerprint(c, paths[i]);
		ok = fp && strcmp(fp, "racy") != 0 &&
		     json_object_set_new(in, paths[i], json_string(fp)) == 0;
	}
	if (!ok) {
		json_decref(in);
		json_decref(value);
		return;
	}
	json_object_set_new(c->out, key, json_pack("{s:o, s:o}", "in", in, "v", value));
	c->stored++;
}

static size_t blob_add(struct cache *c, const void *data, size_t len)
{
	if (c->nblob + len > CACHE_MAX_BYTES / 2)
		return SIZE_MAX;
	if (c->nblob + len > c->capblob) {
		size_t cap = (c->nblob + len) * 2;
		unsigned char *v = realloc(c->blob, cap);
		if (!v)
			return SIZE_MAX;
		c->blob = v;
		c->capblob = cap;
	}
	memcpy(c->blob + c->nblob, data, len);
	c->nblob += len;
	return c->nblob - len;
}

const void *cache_get_blob(struct cache *c, const char *key, size_t *ret_len)
{
	json_t *item = json_object_get(c->items, key);
	json_t *b = json_object_get(json_object_get(item, "v"), "blob");
	if (!b || !c->file) {
		c->misses++; /* as cache_get counts an absent item */
		return NULL;
	}
	size_t off = (size_t)json_integer_value(json_array_get(b, 0));
	size_t len = (size_t)json_integer_value(json_array_get(b, 1)); /* bounds: cache_parse */
	if (!cache_get(c, key))
		return NULL;
	const char *data = c->file + c->blob_off + off;
	size_t at = blob_add(c, data, len);
	if (at == SIZE_MAX) {
		json_object_del(c->out, key);
		return NULL;
	}
	json_t *copy = json_pack("{s:O, s:{s:[I,I]}}", "in", json_object_get(item, "in"), "v",
				 "blob", (json_int_t)at, (json_int_t)len);
	json_object_set_new(c->out, key, copy);
	*ret_len = len;
	return data;
}

void cache_put_blob(struct cache *c, const char *key, const char *const *paths, const void *data,
		    size_t len)
{
	size_t at = blob_add(c, data, len);
	if (at == SIZE_MAX)
		return;
	cache_put(c, key, paths, json_pack("{s:[I,I]}", "blob", (json_int_t)at, (json_int_t)len));
}

int cache_save(struct cache *c, struct cache_msg *msg)
{
	json_auto_t *j =
	    json_pack("{s:s, s:s, s:O}", "tool", TENKEN_VERSION, "root", c->root, "items", c->out);
	_cleanup_free_ char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	char hex[65], head[128], tmp[96];
	unsigned rnd = 0;
	if (!body)
		return -ENOMEM;
	size_t blen = strlen(body);
	if (blen + c->nblob > CACHE_MAX_BYTES - 128) {
		set_msg(msg, "--cache-dir: キャッシュが上限を超えるため書きません%s%s",
			"--cache-dir: not written: larger than the limit%s%s", "", 0);
		return -EFBIG;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[32];
	unsigned dl = 0;
	hex[0] = '\0';
	if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) && EVP_DigestUpdate(md, body, blen) &&
	    EVP_DigestUpdate(md, c->blob ? (const void *)c->blob : "", c->nblob) &&
	    EVP_DigestFinal_ex(md, d, &dl) && dl == 32)
		for (unsigned i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", d[i]);
	EVP_MD_CTX_free(md);
	int hl = snprintf(head, sizeof(head), "tenken-cache %u %s %zu %zu\n", CACHE_FORMAT, hex,
			  blen, c->nblob);
	if (getrandom(&rnd, sizeof(rnd), 0) < 0)
		rnd = (unsigned)getpid();
	snprintf(tmp, sizeof(tmp), ".%s.%08x.tmp", c->name, rnd);
	_cleanup_close_ int fd =
	    openat(c->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r = fd < 0 ? -errno : 0;
	for (const char *p = head, *end = head + hl; r == 0 && p < end;) {
		ssize_t n = write(fd, p, (size_t)(end - p));
		r = n < 0 ? (errno == EINTR ? 0 : -errno) : 0;
		p += n > 0 ? n : 0;
	}
	for (const char *p = body, *end = body + blen; r == 0 && p < end;) {
		ssize_t n = write(fd, p, (size_t)(end - p));
		r = n < 0 ? (errno == EINTR ? 0 : -errno) : 0;
		p += n > 0 ? n : 0;
	}
	for (const unsigned char *p = c->blob, *end = c->blob + c->nblob; r == 0 && p < end;) {
		ssize_t n = write(fd, p, (size_t)(end - p));
		r = n < 0 ? (errno == EINTR ? 0 : -errno) : 0;
		p += n > 0 ? n : 0;
	}
	if (r == 0 && renameat(c->dirfd, tmp, c->dirfd, c->name) < 0)
		r = -errno;
	if (r < 0) {
		if (fd >= 0)
			unlinkat(c->dirfd, tmp, 0);
		set_msg(msg, "--cache-dir: %s を書けません（%s）",
			"--cache-dir: cannot write %s (%s)", c->name, -r);
	}
	return r;
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	if (c->dirfd >= 0)
		close(c->dirfd);
	json_decref(c->items);
	json_decref(c->out);
	json_decref(c->fps);
	free(c->file);
	free(c->blob);
	free(c->root);
	free(c);
}

void cache_counts(const struct cache *c, unsigned *hits, unsigned *misses, unsigned *stored)
{
	*hits = c->hits;
	*misses = c->misses;
	*stored = c->stored;
}
