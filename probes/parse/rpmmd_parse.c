/* rpmmd_parse.c - rpm-md metadata and ini files (see rpmmd_parse.h).
 *
 * The XML readers share one frame: a non-namespace expat parser whose
 * element names are matched by their local part ("rpm:entry" is
 * "entry"), a bounded text buffer filled between a start and an end
 * element, and a refusal of any DTD (repomd, primary and updateinfo
 * never have one; entity expansion is the classic XML bomb).
 */
#include <errno.h>
#include <expat.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/limits.h"
#include "probes/parse/rpmmd_parse.h"
#include "probes/parse/rpmver.h"
#include "lib/util.h"

#define TEXT_MAX    (64u << 10) /* one element's text */
#define DEPS_MAX    100000u	/* obsoletes of one package */
#define ADV_PKG_MAX 100000u	/* packages of one advisory */
#define ADV_CVE_MAX 10000u	/* CVE references of one advisory */
#ifndef LIMIT_RPMMD_PACKAGES
#define LIMIT_RPMMD_PACKAGES 2000000u
#endif

/* ---- the shared XML frame ---- */

struct xml {
	XML_Parser p;
	char text[TEXT_MAX + 1];
	size_t tlen;
	bool collect, overflow;
	int err; /* first error, stops the parser */
	const char *why;
	unsigned depth;
};

static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *key)
{
	for (size_t i = 0; atts[i] && atts[i + 1]; i += 2)
		if (strcmp(local(atts[i]), key) == 0)
			return atts[i + 1];
	return NULL;
}

static void xml_fail(struct xml *x, int err, const char *why)
{
	if (!x->err) {
		x->err = err;
		x->why = why;
	}
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xml *x = ud;
	if (!x->collect || len <= 0)
		return;
	size_t n = (size_t)len;
	if (x->tlen + n > TEXT_MAX) {
		x->overflow = true;
		n = TEXT_MAX - x->tlen;
	}
	memcpy(x->text + x->tlen, s, n);
	x->tlen += n;
	x->text[x->tlen] = '\0';
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	xml_fail(ud, -EBADMSG, "a DOCTYPE declaration (refused)");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *value,
			      int vlen, const XML_Char *base, const XML_Char *sysid,
			      const XML_Char *pubid, const XML_Char *notation)
{
	xml_fail(ud, -EBADMSG, "an entity declaration (refused)");
}

static void text_start(struct xml *x)
{
	x->collect = true;
	x->tlen = 0;
	x->text[0] = '\0';
	x->overflow = false;
}

/* The collected text, trimmed; stops collecting. */
static const char *text_end(struct xml *x)
{
	x->collect = false;
	char *s = x->text;
	size_t n = x->tlen;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	s[n] = '\0';
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

static int xml_init(struct xml *x, void *ud, XML_StartElementHandler start,
		    XML_EndElementHandler end)
{
	x->p = XML_ParserCreate(NULL);
	if (!x->p)
		return -ENOMEM;
	XML_SetUserData(x->p, ud);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	return 0;
}

/* ud of every handler must start with its struct xml. */
static int xml_feed(struct xml *x, const char *buf, size_t len, bool final, const char **why)
{
	while (!x->err) {
		int n = len > (1u << 30) ? 1 << 30 : (int)len;
		bool last = final && (size_t)n == len;
		if (XML_Parse(x->p, buf, n, last) == XML_STATUS_ERROR && !x->err) {
			x->err = -EBADMSG;
			x->why = XML_ErrorString(XML_GetErrorCode(x->p));
		}
		buf += n;
		len -= (size_t)n;
		if (!len)
			break;
	}
	if (x->err && why)
		*why = x->why ? x->why : "malformed XML";
	return x->err;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* ---- repomd.xml ---- */

struct repomd_ctx {
	struct xml x; /* first */
	struct rpmmd_repomd *r;
	struct rpmmd_data *cur;
	bool root_seen;
	enum { RM_NONE, RM_REVISION, RM_CHECKSUM, RM_OPEN, RM_TIMESTAMP, RM_SIZE } field;
};

static void XMLCALL repomd_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct repomd_ctx *c = ud;
	const char *n = local(name);
	c->x.depth++;
	if (c->x.depth == 1) {
		if (strcmp(n, "repomd") != 0)
			xml_fail(&c->x, -EBADMSG, "the root element is not <repomd>");
		c->root_seen = true;
		return;
	}
	if (c->x.depth == 2 && strcmp(n, "revision") == 0) {
		c->field = RM_REVISION;
		text_start(&c->x);
	} else if (c->x.depth == 2 && strcmp(n, "data") == 0) {
		if (c->r->n >= 1000) {
			xml_fail(&c->x, -EBADMSG, "more than 1000 <data> entries");
			return;
		}
		struct rpmmd_data *d = realloc(c->r->data, (c->r->n + 1) * sizeof(*d));
		if (!d) {
			xml_fail(&c->x, -ENOMEM, "out of memory");
			return;
		}
		c->r->data = d;
		c->cur = &d[c->r->n++];
		*c->cur = (struct rpmmd_data){.timestamp = -1, .size = -1};
		c->cur->type = dup_or_null(attr(atts, "type"));
	} else if (c->x.depth == 3 && c->cur) {
		if (strcmp(n, "location") == 0) {
			free(c->cur->href);
			c->cur->href = dup_or_null(attr(atts, "href"));
		} else if (strcmp(n, "checksum") == 0 || strcmp(n, "open-checksum") == 0) {
			bool open = n[0] == 'o';
			char **t = open ? &c->cur->open_checksum_type : &c->cur->checksum_type;
			free(*t);
			*t = dup_or_null(attr(atts, "type"));
			c->field = open ? RM_OPEN : RM_CHECKSUM;
			text_start(&c->x);
		} else if (strcmp(n, "timestamp") == 0) {
			c->field = RM_TIMESTAMP;
			text_start(&c->x);
		} else if (strcmp(n, "size") == 0) {
			c->field = RM_SIZE;
			text_start(&c->x);
		}
	}
}

static int64_t parse_i64(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	return v;
}

static void lower(char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void XMLCALL repomd_end(void *ud, const XML_Char *name)
{
	struct repomd_ctx *c = ud;
	(void)name;
	if (c->field != RM_NONE && c->x.collect) {
		const char *t = text_end(&c->x);
		char **dst = NULL;
		switch (c->field) {
		case RM_REVISION:
			dst = &c->r->revision;
			break;
		case RM_CHECKSUM:
			dst = c->cur ? &c->cur->checksum : NULL;
			break;
		case RM_OPEN:
			dst = c->cur ? &c->cur->open_checksum : NULL;
			break;
		case RM_TIMESTAMP:
			if (c->cur) {
				/* createrepo writes integers; some tools "1700000000.0". */
				char tmp[32];
				snprintf(tmp, sizeof(tmp), "%s", t);
				char *dot = strchr(tmp, '.');
				if (dot)
					*dot = '\0';
				c->cur->timestamp = parse_i64(tmp);
			}
			break;
		case RM_SIZE:
			if (c->cur)
				c->cur->size = parse_i64(t);
			break;
		default:
			break;
		}
		if (dst) {
			free(*dst);
			*dst = strdup(t);
			if (!*dst)
				xml_fail(&c->x, -ENOMEM, "out of memory");
			if (c->field == RM_CHECKSUM || c->field == RM_OPEN)
				lower(*dst);
		}
		c->field = RM_NONE;
	}
	if (c->x.depth == 2)
		c->cur = NULL;
	c->x.depth--;
}

void rpmmd_repomd_free(struct rpmmd_repomd *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct rpmmd_data *d = &r->data[i];
		free(d->type);
		free(d->href);
		free(d->checksum_type);
		free(d->checksum);
		free(d->open_checksum_type);
		free(d->open_checksum);
	}
	free(r->data);
	free(r->revision);
	*r = (struct rpmmd_repomd){0};
}

int rpmmd_repomd_parse(const char *buf, size_t len, struct rpmmd_repomd *ret, const char **why)
{
	*ret = (struct rpmmd_repomd){0};
	struct repomd_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->r = ret;
	int r = xml_init(&c->x, c, repomd_start, repomd_end);
	if (r == 0)
		r = xml_feed(&c->x, buf, len, true, why);
	if (r == 0 && !c->root_seen) {
		r = -EBADMSG;
		*why = "no <repomd> element";
	}
	if (c->x.p)
		XML_ParserFree(c->x.p);
	free(c);
	if (r < 0)
		rpmmd_repomd_free(ret);
	return r;
}

const struct rpmmd_data *rpmmd_repomd_get(const struct rpmmd_repomd *r, const char *type)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->data[i].type && strcmp(r->data[i].type, type) == 0 && r->data[i].href)
			return &r->data[i];
	return NULL;
}

int64_t rpmmd_repomd_time(const struct rpmmd_repomd *r)
{
	int64_t t = -1;
	for (size_t i = 0; i < r->n; i++)
		if (r->data[i].timestamp > t)
			t = r->data[i].timestamp;
	if (t < 0 && r->revision)
		t = parse_i64(r->revision);
	return t;
}

/* ---- a string pool for one record ---- */

struct pool {
	char **s;
	size_t n, cap;
};

static const char *pool_add(struct pool *p, const char *s)
{
	if (!s)
		return NULL;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		char **v = realloc(p->s, cap * sizeof(*v));
		if (!v)
			return NULL;
		p->s = v;
		p->cap = cap;
	}
	char *d = strdup(s);
	if (!d)
		return NULL;
	p->s[p->n++] = d;
	return d;
}

static void pool_clear(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->s[i]);
	p->n = 0;
}

static void pool_free(struct pool *p)
{
	pool_clear(p);
	free(p->s);
	*p = (struct pool){0};
}

static unsigned flags_of(const char *f)
{
	static const struct {
		const char *s;
		unsigned v;
	} t[] = {{"LT", RPMMD_LT},
		 {"GT", RPMMD_GT},
		 {"EQ", RPMMD_EQ},
		 {"LE", RPMMD_LE},
		 {"GE", RPMMD_GE}};
	for (size_t i = 0; f && i < ARRAY_SIZE(t); i++)
		if (strcmp(f, t[i].s) == 0)
			return t[i].v;
	return RPMMD_ANY;
}

/* ---- primary ---- */

struct rpmmd_primary {
	struct xml x; /* first */
	rpmmd_pkg_fn fn;
	void *ud;
	struct pool pool;
	struct rpmmd_pkg cur;
	struct rpmmd_dep *deps;
	size_t ndeps, capdeps, count;
	bool in_pkg, in_obsoletes, root_seen, nomem;
	enum { PF_NONE, PF_NAME, PF_ARCH } field;
};

static const char *pstr(struct rpmmd_primary *p, const char *s)
{
	const char *d = pool_add(&p->pool, s);
	if (s && !d)
		p->nomem = true;
	return d;
}

static void primary_dep(struct rpmmd_primary *p, const char **atts)
{
	const char *name = attr(atts, "name");
	if (!name)
		return;
	if (p->ndeps >= DEPS_MAX) {
		xml_fail(&p->x, -EBADMSG, "too many obsoletes in one package");
		return;
	}
	if (p->ndeps == p->capdeps) {
		size_t cap = p->capdeps ? p->capdeps * 2 : 8;
		struct rpmmd_dep *d = realloc(p->deps, cap * sizeof(*d));
		if (!d) {
			xml_fail(&p->x, -ENOMEM, "out of memory");
			return;
		}
		p->deps = d;
		p->capdeps = cap;
	}
	p->deps[p->ndeps++] = (struct rpmmd_dep){
	    .name = pstr(p, name),
	    .flags = flags_of(attr(atts, "flags")),
	    .epoch = pstr(p, attr(atts, "epoch")),
	    .ver = pstr(p, attr(atts, "ver")),
	    .rel = pstr(p, attr(atts, "rel")),
	};
}

static void XMLCALL primary_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rpmmd_primary *p = ud;
	const char *n = local(name);
	p->x.depth++;
	if (p->x.depth == 1) {
		if (strcmp(n, "metadata") != 0)
			xml_fail(&p->x, -EBADMSG, "the root element is not <metadata>");
		p->root_seen = true;
		return;
	}
	if (p->x.depth == 2 && strcmp(n, "package") == 0) {
		const char *type = attr(atts, "type");
		p->in_pkg = !type || strcmp(type, "rpm") == 0;
		pool_clear(&p->pool);
		p->cur = (struct rpmmd_pkg){.time_file = -1};
		p->ndeps = 0;
		return;
	}
	if (!p->in_pkg)
		return;
	if (p->x.depth == 3 && (strcmp(n, "name") == 0 || strcmp(n, "arch") == 0)) {
		p->field = n[0] == 'n' ? PF_NAME : PF_ARCH;
		text_start(&p->x);
	} else if (p->x.depth == 3 && strcmp(n, "version") == 0) {
		p->cur.epoch = pstr(p, attr(atts, "epoch"));
		p->cur.ver = pstr(p, attr(atts, "ver"));
		p->cur.rel = pstr(p, attr(atts, "rel"));
	} else if (p->x.depth == 3 && strcmp(n, "location") == 0) {
		p->cur.location = pstr(p, attr(atts, "href"));
	} else if (p->x.depth == 3 && strcmp(n, "time") == 0) {
		const char *f = attr(atts, "file");
		p->cur.time_file = f ? parse_i64(f) : -1;
	} else if (p->x.depth == 4 && strcmp(n, "obsoletes") == 0) {
		p->in_obsoletes = true;
	} else if (p->x.depth == 5 && p->in_obsoletes && strcmp(n, "entry") == 0) {
		primary_dep(p, atts);
	}
}

static void XMLCALL primary_end(void *ud, const XML_Char *name)
{
	struct rpmmd_primary *p = ud;
	const char *n = local(name);
	if (p->field != PF_NONE && p->x.collect) {
		const char *t = text_end(&p->x);
		if (p->field == PF_NAME)
			p->cur.name = pstr(p, t);
		else
			p->cur.arch = pstr(p, t);
		p->field = PF_NONE;
	}
	if (p->x.depth == 4 && strcmp(n, "obsoletes") == 0)
		p->in_obsoletes = false;
	if (p->x.depth == 2 && p->in_pkg) {
		p->in_pkg = false;
		if (p->nomem) {
			xml_fail(&p->x, -ENOMEM, "out of memory");
		} else if (p->cur.name && p->cur.name[0] && p->cur.arch && p->cur.ver) {
			if (!p->cur.epoch || !p->cur.epoch[0])
				p->cur.epoch = "0";
			if (!p->cur.rel)
				p->cur.rel = "";
			p->cur.obsoletes = p->deps;
			p->cur.nobsoletes = p->ndeps;
			if (++p->count > LIMIT_RPMMD_PACKAGES) {
				xml_fail(&p->x, -E2BIG, "more packages than the limit");
			} else {
				int r = p->fn(p->ud, &p->cur);
				if (r < 0)
					xml_fail(&p->x, r, "stopped");
			}
		}
		pool_clear(&p->pool);
	}
	p->x.depth--;
}

int rpmmd_primary_new(rpmmd_pkg_fn fn, void *userdata, struct rpmmd_primary **ret)
{
	struct rpmmd_primary *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->fn = fn;
	p->ud = userdata;
	int r = xml_init(&p->x, p, primary_start, primary_end);
	if (r < 0) {
		free(p);
		return r;
	}
	*ret = p;
	return 0;
}

int rpmmd_primary_feed(struct rpmmd_primary *p, const char *buf, size_t len, bool final,
		       const char **why)
{
	int r = xml_feed(&p->x, buf, len, final, why);
	if (r == 0 && final && !p->root_seen) {
		*why = "no <metadata> element";
		return -EBADMSG;
	}
	return r;
}

size_t rpmmd_primary_count(const struct rpmmd_primary *p)
{
	return p->count;
}

void rpmmd_primary_free(struct rpmmd_primary *p)
{
	if (!p)
		return;
	if (p->x.p)
		XML_ParserFree(p->x.p);
	pool_free(&p->pool);
	free(p->deps);
	free(p);
}

int rpmmd_primary_parse(const char *buf, size_t len, rpmmd_pkg_fn fn, void *userdata,
			const char **why)
{
	struct rpmmd_primary *p;
	int r = rpmmd_primary_new(fn, userdata, &p);
	if (r < 0)
		return r;
	r = rpmmd_primary_feed(p, buf, len, true, why);
	rpmmd_primary_free(p);
	return r;
}

/* ---- primary.sqlite ---- */

#define SQL_PROGRESS_EVERY 1000

static int sql_progress(void *ud)
{
	unsigned long *calls = ud;
	return ++*calls > LIMIT_SQLITE_STEPS / SQL_PROGRESS_EVERY;
}

static int sql_fail(sqlite3 *db, int rc, char *errbuf, size_t errlen)
{
	snprintf(errbuf, errlen, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	if ((rc & 0xff) == SQLITE_NOMEM)
		return -ENOMEM;
	return (rc & 0xff) == SQLITE_INTERRUPT ? -ETIMEDOUT : -EBADMSG;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL
							 : (const char *)sqlite3_column_text(st, i);
}

/* The obsoletes of every package, by pkgKey, into a sorted array. */
struct sql_dep {
	int64_t key;
	struct rpmmd_dep d;
};

static int sql_dep_cmp(const void *a, const void *b)
{
	const struct sql_dep *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

static int sql_read_obsoletes(sqlite3 *db, struct pool *pool, struct sql_dep **ret, size_t *n,
			      char *errbuf, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	    db, "SELECT pkgKey, name, flags, epoch, version, release FROM obsoletes", -1, &st,
	    NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, errbuf, errlen);
	size_t cap = 0;
	int r = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!col(st, 1))
			continue;
		if (*n >= LIMIT_SQLITE_ROWS) {
			snprintf(errbuf, errlen, "more obsoletes rows than the limit");
			r = -EBADMSG;
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct sql_dep *v = realloc(*ret, cap * sizeof(*v));
			if (!v) {
				r = -ENOMEM;
				break;
			}
			*ret = v;
		}
		struct sql_dep *d = &(*ret)[(*n)++];
		d->key = sqlite3_column_int64(st, 0);
		d->d = (struct rpmmd_dep){
		    .name = pool_add(pool, col(st, 1)),
		    .flags = flags_of(col(st, 2)),
		    .epoch = pool_add(pool, col(st, 3)),
		    .ver = pool_add(pool, col(st, 4)),
		    .rel = pool_add(pool, col(st, 5)),
		};
		if (!d->d.name) {
			r = -ENOMEM;
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sql_fail(db, rc, errbuf, errlen);
	sqlite3_finalize(st);
	if (r == 0 && *n > 1)
		qsort(*ret, *n, sizeof(**ret), sql_dep_cmp);
	return r;
}

static int sql_packages(sqlite3 *db, const struct sql_dep *deps, size_t ndeps, rpmmd_pkg_fn fn,
			void *ud, char *errbuf, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT pkgKey, name, arch, epoch, version, release, "
				    "location_href, time_file FROM packages ORDER BY pkgKey",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, errbuf, errlen);
	int r = 0;
	size_t rows = 0, di = 0;
	_cleanup_free_ struct rpmmd_dep *mine = NULL;
	size_t capmine = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++rows > LIMIT_RPMMD_PACKAGES) {
			snprintf(errbuf, errlen, "more packages than the limit");
			r = -E2BIG;
			break;
		}
		int64_t key = sqlite3_column_int64(st, 0);
		struct rpmmd_pkg p = {
		    .name = col(st, 1),
		    .arch = col(st, 2),
		    .epoch = col(st, 3),
		    .ver = col(st, 4),
		    .rel = col(st, 5),
		    .location = col(st, 6),
		    .time_file = sqlite3_column_type(st, 7) == SQLITE_INTEGER
				     ? sqlite3_column_int64(st, 7)
				     : -1,
		};
		if (!p.name || !p.name[0] || !p.arch || !p.ver)
			continue;
		if (!p.epoch || !p.epoch[0])
			p.epoch = "0";
		if (!p.rel)
			p.rel = "";
		while (di < ndeps && deps[di].key < key)
			di++;
		size_t k = 0;
		for (size_t j = di; j < ndeps && deps[j].key == key; j++) {
			if (k == capmine) {
				capmine = capmine ? capmine * 2 : 8;
				struct rpmmd_dep *v = realloc(mine, capmine * sizeof(*v));
				if (!v) {
					r = -ENOMEM;
					break;
				}
				mine = v;
			}
			mine[k++] = deps[j].d;
		}
		if (r < 0)
			break;
		p.obsoletes = mine;
		p.nobsoletes = k;
		r = fn(ud, &p);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sql_fail(db, rc, errbuf, errlen);
	sqlite3_finalize(st);
	return r;
}

int rpmmd_primary_sqlite(unsigned char *buf, size_t len, rpmmd_pkg_fn fn, void *userdata,
			 char *errbuf, size_t errlen)
{
	snprintf(errbuf, errlen, "%s", "");
	if (len < 100 || memcmp(buf, "SQLite format 3", 16) != 0) {
		snprintf(errbuf, errlen, "not an SQLite database");
		return -EBADMSG;
	}
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL);
	if (rc != SQLITE_OK) {
		int r = sql_fail(db, rc, errbuf, errlen);
		sqlite3_close(db);
		return r;
	}
	if (buf[18] == 2 || buf[19] == 2)
		buf[18] = buf[19] = 1;
	rc = sqlite3_deserialize(db, "main", buf, (sqlite3_int64)len, (sqlite3_int64)len,
				 SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		int r = sql_fail(db, rc, errbuf, errlen);
		sqlite3_close(db);
		return r;
	}
	unsigned long budget = 0;
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)LIMIT_SQLITE_VALUE);
	sqlite3_exec(db, "PRAGMA cell_size_check=ON;", NULL, NULL, NULL);
	sqlite3_progress_handler(db, SQL_PROGRESS_EVERY, sql_progress, &budget);
	struct pool pool = {0};
	struct sql_dep *deps = NULL;
	size_t ndeps = 0;
	int r = sql_read_obsoletes(db, &pool, &deps, &ndeps, errbuf, errlen);
	if (r == 0)
		r = sql_packages(db, deps, ndeps, fn, userdata, errbuf, errlen);
	free(deps);
	pool_free(&pool);
	sqlite3_close(db);
	return r;
}

/* ---- updateinfo ---- */

struct rpmmd_updateinfo {
	struct xml x; /* first */
	rpmmd_adv_fn fn;
	void *ud;
	struct pool pool;
	struct rpmmd_advisory cur;
	const char **cves;
	size_t ncves, capcves;
	struct rpmmd_advpkg *pkgs;
	size_t npkgs, cappkgs;
	const char *module; /* of the current collection */
	bool in_update, root_seen, nomem;
	enum { UF_NONE, UF_ID, UF_SEVERITY, UF_TITLE } field;
};

static const char *ustr(struct rpmmd_updateinfo *u, const char *s)
{
	const char *d = pool_add(&u->pool, s);
	if (s && !d)
		u->nomem = true;
	return d;
}

static void adv_pkg(struct rpmmd_updateinfo *u, const char **atts)
{
	const char *name = attr(atts, "name"), *ver = attr(atts, "version");
	if (!name || !ver)
		return;
	if (u->npkgs >= ADV_PKG_MAX) {
		xml_fail(&u->x, -EBADMSG, "too many packages in one advisory");
		return;
	}
	if (u->npkgs == u->cappkgs) {
		size_t cap = u->cappkgs ? u->cappkgs * 2 : 8;
		struct rpmmd_advpkg *v = realloc(u->pkgs, cap * sizeof(*v));
		if (!v) {
			xml_fail(&u->x, -ENOMEM, "out of memory");
			return;
		}
		u->pkgs = v;
		u->cappkgs = cap;
	}
	const char *epoch = attr(atts, "epoch");
	u->pkgs[u->npkgs++] = (struct rpmmd_advpkg){
	    .name = ustr(u, name),
	    .epoch = ustr(u, epoch && epoch[0] ? epoch : "0"),
	    .ver = ustr(u, ver),
	    .rel = ustr(u, attr(atts, "release") ? attr(atts, "release") : ""),
	    .arch = ustr(u, attr(atts, "arch") ? attr(atts, "arch") : ""),
	    .module = u->module,
	};
}

static void adv_ref(struct rpmmd_updateinfo *u, const char **atts)
{
	const char *type = attr(atts, "type"), *id = attr(atts, "id");
	if (!type || !id || strcasecmp(type, "cve") != 0)
		return;
	for (size_t i = 0; i < u->ncves; i++)
		if (strcmp(u->cves[i], id) == 0)
			return;
	if (u->ncves >= ADV_CVE_MAX)
		return;
	if (u->ncves == u->capcves) {
		size_t cap = u->capcves ? u->capcves * 2 : 8;
		const char **v = realloc(u->cves, cap * sizeof(*v));
		if (!v) {
			xml_fail(&u->x, -ENOMEM, "out of memory");
			return;
		}
		u->cves = v;
		u->capcves = cap;
	}
	u->cves[u->ncves++] = ustr(u, id);
}

static void XMLCALL upd_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rpmmd_updateinfo *u = ud;
	const char *n = local(name);
	u->x.depth++;
	if (u->x.depth == 1) {
		if (strcmp(n, "updates") != 0)
			xml_fail(&u->x, -EBADMSG, "the root element is not <updates>");
		u->root_seen = true;
		return;
	}
	if (u->x.depth == 2 && strcmp(n, "update") == 0) {
		u->in_update = true;
		pool_clear(&u->pool);
		u->cur = (struct rpmmd_advisory){0};
		u->cur.type = ustr(u, attr(atts, "type"));
		u->ncves = u->npkgs = 0;
		u->module = NULL;
		return;
	}
	if (!u->in_update)
		return;
	if (u->x.depth == 3 && strcmp(n, "id") == 0) {
		u->field = UF_ID;
		text_start(&u->x);
	} else if (u->x.depth == 3 && strcmp(n, "severity") == 0) {
		u->field = UF_SEVERITY;
		text_start(&u->x);
	} else if (u->x.depth == 3 && strcmp(n, "title") == 0) {
		u->field = UF_TITLE;
		text_start(&u->x);
	} else if (u->x.depth == 3 && strcmp(n, "issued") == 0) {
		u->cur.issued = ustr(u, attr(atts, "date"));
	} else if (u->x.depth == 4 && strcmp(n, "reference") == 0) {
		adv_ref(u, atts);
	} else if (u->x.depth == 4 && strcmp(n, "collection") == 0) {
		u->module = NULL;
	} else if (u->x.depth == 5 && strcmp(n, "module") == 0) {
		const char *mn = attr(atts, "name"), *ms = attr(atts, "stream");
		if (mn && ms) {
			char tmp[512];
			snprintf(tmp, sizeof(tmp), "%s:%s", mn, ms);
			u->module = ustr(u, tmp);
		}
	} else if (u->x.depth == 5 && strcmp(n, "package") == 0) {
		adv_pkg(u, atts);
	}
}

static void XMLCALL upd_end(void *ud, const XML_Char *name)
{
	struct rpmmd_updateinfo *u = ud;
	(void)name;
	if (u->field != UF_NONE && u->x.collect) {
		const char *t = ustr(u, text_end(&u->x));
		if (u->field == UF_ID)
			u->cur.id = t;
		else if (u->field == UF_SEVERITY)
			u->cur.severity = t && t[0] ? t : NULL;
		else
			u->cur.title = t;
		u->field = UF_NONE;
	}
	if (u->x.depth == 2 && u->in_update) {
		u->in_update = false;
		if (u->nomem) {
			xml_fail(&u->x, -ENOMEM, "out of memory");
		} else if (u->cur.id && u->cur.id[0]) {
			u->cur.cves = u->cves;
			u->cur.ncves = u->ncves;
			u->cur.pkgs = u->pkgs;
			u->cur.npkgs = u->npkgs;
			int r = u->fn(u->ud, &u->cur);
			if (r < 0)
				xml_fail(&u->x, r, "stopped");
		}
		pool_clear(&u->pool);
	}
	u->x.depth--;
}

int rpmmd_updateinfo_new(rpmmd_adv_fn fn, void *userdata, struct rpmmd_updateinfo **ret)
{
	struct rpmmd_updateinfo *u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->fn = fn;
	u->ud = userdata;
	int r = xml_init(&u->x, u, upd_start, upd_end);
	if (r < 0) {
		free(u);
		return r;
	}
	*ret = u;
	return 0;
}

int rpmmd_updateinfo_feed(struct rpmmd_updateinfo *u, const char *buf, size_t len, bool final,
			  const char **why)
{
	int r = xml_feed(&u->x, buf, len, final, why);
	if (r == 0 && final && !u->root_seen) {
		*why = "no <updates> element";
		return -EBADMSG;
	}
	return r;
}

void rpmmd_updateinfo_free(struct rpmmd_updateinfo *u)
{
	if (!u)
		return;
	if (u->x.p)
		XML_ParserFree(u->x.p);
	pool_free(&u->pool);
	free(u->cves);
	free(u->pkgs);
	free(u);
}

int rpmmd_updateinfo_parse(const char *buf, size_t len, rpmmd_adv_fn fn, void *userdata,
			   const char **why)
{
	struct rpmmd_updateinfo *u;
	int r = rpmmd_updateinfo_new(fn, userdata, &u);
	if (r < 0)
		return r;
	r = rpmmd_updateinfo_feed(u, buf, len, true, why);
	rpmmd_updateinfo_free(u);
	return r;
}

/* ---- ini ---- */

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t' || **s == '\r'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static int ini_set(struct rpmmd_section *sec, const char *k, size_t kl, const char *v, size_t vl,
		   unsigned line)
{
	_cleanup_free_ char *key = dupn(k, kl);
	char *val = dupn(v, vl);
	if (!key || !val) {
		free(val);
		return -ENOMEM;
	}
	lower(key);
	for (size_t i = 0; i < sec->n; i++)
		if (strcmp(sec->kv[i].key, key) == 0) {
			free(sec->kv[i].value);
			sec->kv[i].value = val;
			sec->kv[i].line = line;
			return (int)i;
		}
	struct rpmmd_kv *kv = realloc(sec->kv, (sec->n + 1) * sizeof(*kv));
	if (!kv) {
		free(val);
		return -ENOMEM;
	}
	sec->kv = kv;
	kv[sec->n] = (struct rpmmd_kv){TAKE_PTR(key), val, line};
	return (int)sec->n++;
}

/* Append "\n" + more to the value of kv. */
static int ini_continue(struct rpmmd_kv *kv, const char *more, size_t n)
{
	size_t old = strlen(kv->value);
	char *v = realloc(kv->value, old + n + 2);
	if (!v)
		return -ENOMEM;
	v[old] = '\n';
	memcpy(v + old + 1, more, n);
	v[old + 1 + n] = '\0';
	kv->value = v;
	return 0;
}

int rpmmd_ini_parse(const char *buf, size_t len, struct rpmmd_ini *ret)
{
	*ret = (struct rpmmd_ini){0};
	struct rpmmd_section *sec = NULL;
	int last = -1; /* kv index a continuation line extends */
	unsigned lineno = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *l = buf + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		bool indented = n && (l[0] == ' ' || l[0] == '\t');
		trim(&l, &n);
		if (!n) {
			continue; /* ConfigParser keeps blank lines in values; dnf ignores them */
		}
		if (l[0] == '#' || l[0] == ';')
			continue;
		if (indented && sec && last >= 0) {
			if (ini_continue(&sec->kv[last], l, n) < 0)
				goto nomem;
			continue;
		}
		if (l[0] == '[') {
			const char *e = memchr(l, ']', n);
			if (!e) {
				if (!ret->bad_lines++)
					ret->first_bad = lineno;
				continue;
			}
			struct rpmmd_section *v = realloc(ret->s, (ret->n + 1) * sizeof(*v));
			if (!v)
				goto nomem;
			ret->s = v;
			sec = &v[ret->n];
			*sec = (struct rpmmd_section){.name = dupn(l + 1, (size_t)(e - l - 1)),
						      .line = lineno};
			if (!sec->name)
				goto nomem;
			ret->n++;
			last = -1;
			continue;
		}
		size_t eq = 0;
		while (eq < n && l[eq] != '=' && l[eq] != ':')
			eq++;
		if (eq == n || !sec) {
			if (!ret->bad_lines++)
				ret->first_bad = lineno;
			last = -1;
			continue;
		}
		const char *k = l, *v = l + eq + 1;
		size_t kl = eq, vl = n - eq - 1;
		trim(&k, &kl);
		trim(&v, &vl);
		last = ini_set(sec, k, kl, v, vl, lineno);
		if (last < 0)
			goto nomem;
	}
	return 0;
nomem:
	rpmmd_ini_free(ret);
	return -ENOMEM;
}

void rpmmd_ini_free(struct rpmmd_ini *ini)
{
	if (!ini)
		return;
	for (size_t i = 0; i < ini->n; i++) {
		for (size_t j = 0; j < ini->s[i].n; j++) {
			free(ini->s[i].kv[j].key);
			free(ini->s[i].kv[j].value);
		}
		free(ini->s[i].kv);
		free(ini->s[i].name);
	}
	free(ini->s);
	*ini = (struct rpmmd_ini){0};
}

const char *rpmmd_ini_get(const struct rpmmd_section *s, const char *key)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return s->kv[i].value;
	return NULL;
}

int rpmmd_bool(const char *v)
{
	static const char *const yes[] = {"1", "yes", "true", "on"};
	static const char *const no[] = {"0", "no", "false", "off"};
	for (size_t i = 0; v && i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

char *rpmmd_subst(const char *s, const char *const *vars)
{
	size_t cap = strlen(s) + 1, n = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	while (*s) {
		const char *val = NULL;
		size_t skip = 0;
		if (*s == '$') {
			bool brace = s[1] == '{';
			const char *nm = s + 1 + brace;
			size_t nl = 0;
			while ((nm[nl] >= 'a' && nm[nl] <= 'z') ||
			       (nm[nl] >= 'A' && nm[nl] <= 'Z') ||
			       (nm[nl] >= '0' && nm[nl] <= '9') || nm[nl] == '_')
				nl++;
			if (nl && (!brace || nm[nl] == '}')) {
				for (size_t i = 0; vars && vars[i] && vars[i + 1]; i += 2)
					if (strlen(vars[i]) == nl && memcmp(vars[i], nm, nl) == 0) {
						val = vars[i + 1];
						skip = 1 + brace + nl + brace;
						break;
					}
			}
		}
		const char *add = val ? val : s;
		size_t al = val ? strlen(val) : 1;
		if (n + al + 1 > cap) {
			cap = (n + al + 1) * 2;
			char *o = realloc(out, cap);
			if (!o) {
				free(out);
				return NULL;
			}
			out = o;
		}
		memcpy(out + n, add, al);
		n += al;
		s += val ? skip : 1;
	}
	out[n] = '\0';
	return out;
}

/* ---- versions ---- */

static size_t slen(const char *s)
{
	return s ? strlen(s) : 0;
}

int rpmmd_evr_cmp(const char *e1, const char *v1, const char *r1, const char *e2, const char *v2,
		  const char *r2)
{
	const char *z = "0";
	e1 = e1 && e1[0] ? e1 : z;
	e2 = e2 && e2[0] ? e2 : z;
	int c = rpmvercmp_n(e1, strlen(e1), e2, strlen(e2));
	if (c)
		return c;
	c = rpmvercmp_n(v1 ? v1 : "", slen(v1), v2 ? v2 : "", slen(v2));
	if (c || !r1 || !r2 || !r1[0] || !r2[0])
		return c;
	return rpmvercmp_n(r1, strlen(r1), r2, strlen(r2));
}

bool rpmmd_dep_matches(const struct rpmmd_dep *d, const char *epoch, const char *ver,
		       const char *rel)
{
	if (d->flags == RPMMD_ANY || !d->ver)
		return true;
	int c = rpmmd_evr_cmp(epoch, ver, rel, d->epoch, d->ver, d->rel);
	if (c < 0)
		return d->flags & RPMMD_LT;
	if (c > 0)
		return d->flags & RPMMD_GT;
	return d->flags & RPMMD_EQ;
}

/* ---- modules.yaml ---- */

#define MOD_ARTIFACTS_MAX 100000u

struct moddoc {
	char doc[32], name[256], stream[256];
	char **art;
	size_t nart, cap;
	/* the key path at each indentation level: data / artifacts / rpms */
	int data_indent, art_indent, rpms_indent, child_indent;
	bool in_data, in_art, in_rpms;
};

static void moddoc_reset(struct moddoc *d)
{
	for (size_t i = 0; i < d->nart; i++)
		free(d->art[i]);
	free(d->art);
	*d = (struct moddoc){
	    .data_indent = -1, .art_indent = -1, .rpms_indent = -1, .child_indent = -1};
}

/* A scalar without quotes and trailing comment. */
static void scalar(const char *v, size_t n, char *out, size_t size)
{
	str_trim(&v, &n);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	} else {
		for (size_t i = 0; i < n; i++)
			if (v[i] == '#' && (i == 0 || v[i - 1] == ' ')) {
				n = i;
				break;
			}
		str_trim(&v, &n);
	}
	snprintf(out, size, "%.*s", (int)n, v);
}

static int moddoc_emit(struct moddoc *d, rpmmd_module_fn fn, void *ud)
{
	int r = 0;
	bool md = strcmp(d->doc, "modulemd") == 0, def = strcmp(d->doc, "modulemd-defaults") == 0;
	if ((md && d->name[0] && d->stream[0]) || (def && d->name[0])) {
		struct rpmmd_module m = {def, d->name, d->stream[0] ? d->stream : NULL,
					 (const char *const *)d->art, d->nart};
		r = fn(ud, &m);
	}
	moddoc_reset(d);
	return r;
}

static int moddoc_line(struct moddoc *d, const char *l, size_t n)
{
	size_t ind = 0;
	while (ind < n && l[ind] == ' ')
		ind++;
	const char *t = l + ind;
	size_t tn = n - ind;
	if (!tn || t[0] == '#')
		return 0;
	if (d->in_rpms && (int)ind >= d->rpms_indent && tn >= 2 && t[0] == '-' && t[1] == ' ') {
		if (d->nart >= MOD_ARTIFACTS_MAX)
			return 0;
		char v[512];
		scalar(t + 2, tn - 2, v, sizeof(v));
		if (d->nart == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 16;
			char **a = realloc(d->art, cap * sizeof(*a));
			if (!a)
				return -ENOMEM;
			d->art = a;
			d->cap = cap;
		}
		if (!(d->art[d->nart] = strdup(v)))
			return -ENOMEM;
		d->nart++;
		return 0;
	}
	const char *colon = memchr(t, ':', tn);
	if (!colon || t[0] == '-')
		return 0;
	size_t kl = (size_t)(colon - t);
	const char *v = colon + 1;
	size_t vl = tn - kl - 1;
	if (d->in_rpms && (int)ind <= d->rpms_indent)
		d->in_rpms = false;
	if (d->in_art && (int)ind <= d->art_indent)
		d->in_art = false;
	if (d->in_data && (int)ind <= d->data_indent)
		d->in_data = false;
	if (ind == 0) {
		if (kl == 8 && memcmp(t, "document", 8) == 0)
			scalar(v, vl, d->doc, sizeof(d->doc));
		if (kl == 4 && memcmp(t, "data", 4) == 0) {
			d->in_data = true;
			d->data_indent = 0;
		}
		return 0;
	}
	if (!d->in_data)
		return 0;
	if (d->child_indent < 0)
		d->child_indent = (int)ind;
	bool child = !d->in_art && (int)ind == d->child_indent;
	if (d->in_art && !d->in_rpms && kl == 4 && memcmp(t, "rpms", 4) == 0) {
		d->in_rpms = true;
		d->rpms_indent = (int)ind;
		return 0;
	}
	if (!child)
		return 0;
	/* direct children of data: the first key indentation seen */
	if (kl == 4 && memcmp(t, "name", 4) == 0 && !d->name[0])
		scalar(v, vl, d->name, sizeof(d->name));
	else if (kl == 6 && memcmp(t, "module", 6) == 0 && !d->name[0])
		scalar(v, vl, d->name, sizeof(d->name));
	else if (kl == 6 && memcmp(t, "stream", 6) == 0 && !d->stream[0])
		scalar(v, vl, d->stream, sizeof(d->stream));
	else if (kl == 9 && memcmp(t, "artifacts", 9) == 0) {
		d->in_art = true;
		d->art_indent = (int)ind;
	}
	return 0;
}

int rpmmd_modules_parse(const char *buf, size_t len, rpmmd_module_fn fn, void *userdata)
{
	struct moddoc d;
	d = (struct moddoc){
	    .data_indent = -1, .art_indent = -1, .rpms_indent = -1, .child_indent = -1};
	size_t pos = 0;
	int r = 0;
	while (r == 0 && pos < len) {
		const char *l = buf + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl ? 1 : 0);
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' '))
			n--;
		if ((n == 3 && memcmp(l, "---", 3) == 0) || (n == 3 && memcmp(l, "...", 3) == 0) ||
		    (n > 4 && memcmp(l, "--- ", 4) == 0)) {
			r = moddoc_emit(&d, fn, userdata);
			continue;
		}
		r = moddoc_line(&d, l, n);
	}
	if (r == 0)
		r = moddoc_emit(&d, fn, userdata);
	moddoc_reset(&d);
	return r;
}

bool rpmmd_nevra_split(const char *s, char *name, char *epoch, char *ver, char *rel, char *arch,
		       size_t size)
{
	const char *dot = strrchr(s, '.');
	if (!dot || dot == s)
		return false;
	const char *dash2 = NULL, *dash1 = NULL;
	for (const char *p = dot; p > s; p--)
		if (p[-1] == '-') {
			if (!dash2)
				dash2 = p - 1;
			else {
				dash1 = p - 1;
				break;
			}
		}
	if (!dash1 || !dash2 || dash1 == s)
		return false;
	snprintf(name, size, "%.*s", (int)(dash1 - s), s);
	const char *v = dash1 + 1;
	const char *colon = memchr(v, ':', (size_t)(dash2 - v));
	if (colon) {
		snprintf(epoch, size, "%.*s", (int)(colon - v), v);
		v = colon + 1;
	} else {
		snprintf(epoch, size, "0");
	}
	snprintf(ver, size, "%.*s", (int)(dash2 - v), v);
	snprintf(rel, size, "%.*s", (int)(dot - dash2 - 1), dash2 + 1);
	snprintf(arch, size, "%s", dot + 1);
	return name[0] && ver[0] && arch[0];
}
