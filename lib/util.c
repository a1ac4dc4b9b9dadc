/* util.c - small helpers shared by every module (see util.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "lib/util.h"

void buf_free(struct buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

void strbuf_init(struct strbuf *sb, size_t max)
{
	sb->s = NULL;
	sb->len = sb->cap = 0;
	sb->max = max;
}

static int strbuf_reserve(struct strbuf *sb, size_t extra)
{
	if (extra > sb->max || sb->len > sb->max - extra)
		return -E2BIG;
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return 0;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	char *s = realloc(sb->s, cap);
	if (!s)
		return -ENOMEM;
	sb->s = s;
	sb->cap = cap;
	return 0;
}

int strbuf_append(struct strbuf *sb, const char *s, size_t n)
{
	int r = strbuf_reserve(sb, n);
	if (r < 0)
		return r;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
	return 0;
}

int strbuf_puts(struct strbuf *sb, const char *s)
{
	return strbuf_append(sb, s, strlen(s));
}

int strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	int r = strbuf_reserve(sb, (size_t)n);
	if (r < 0)
		return r;
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

char *strbuf_steal(struct strbuf *sb)
{
	char *s = sb->s ? sb->s : strdup("");
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void line_iter_init(struct line_iter *it, const char *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->lineno = 0;
}

bool line_iter_next(struct line_iter *it, struct line *ret)
{
	if (!it->p || it->p >= it->end)
		return false;
	const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	const char *stop = nl ? nl : it->end;
	size_t len = (size_t)(stop - it->p);
	if (len > 0 && it->p[len - 1] == '\r')
		len--;
	ret->s = it->p;
	ret->len = len;
	ret->lineno = ++it->lineno;
	it->p = nl ? nl + 1 : it->end;
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void str_trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

int array_grow(void **v, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : first;
	void *nv = reallocarray(*v, ncap, size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

bool str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int parse_long_n(const char *s, size_t n, long *ret)
{
	bool neg = false;
	size_t i = 0;
	if (n == 0)
		return -EINVAL;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return -EINVAL;
	unsigned long v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > ((unsigned long)LONG_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = neg ? -(long)v : (long)v;
	return 0;
}

int parse_long(const char *s, long *ret)
{
	return parse_long_n(s, strlen(s), ret);
}

void time_rfc3339(time_t t, char out[static 21])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
		memcpy(out, "0000-00-00T00:00:00Z", 21);
		return;
	}
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	memcpy(out, tmp, 21);
}

static int digits(const char *s, int n, int *ret)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return 0;
}

static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* Parses "YYYY-MM-DD" at s; fills y, mo, d. */
static int parse_date(const char *s, int *y, int *mo, int *d)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -EINVAL;
	if (digits(s, 4, y) < 0 || digits(s + 5, 2, mo) < 0 || digits(s + 8, 2, d) < 0)
		return -EINVAL;
	if (*mo < 1 || *mo > 12 || *d < 1 || *d > month_days[*mo - 1])
		return -EINVAL;
	if (*mo == 2 && *d == 29 && !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0))
		return -EINVAL;
	return 0;
}

/* Parses the zone at s ("Z", "+09:00", "-0500"); returns offset seconds. */
static int parse_zone(const char *s, long *off)
{
	int h, m;
	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*off = 0;
		return 0;
	}
	if (s[0] != '+' && s[0] != '-')
		return -EINVAL;
	if (digits(s + 1, 2, &h) < 0)
		return -EINVAL;
	const char *mm = s[3] == ':' ? s + 4 : s + 3;
	if (digits(mm, 2, &m) < 0 || mm[2] != '\0' || h > 23 || m > 59)
		return -EINVAL;
	*off = (h * 3600L + m * 60L) * (s[0] == '-' ? -1 : 1);
	return 0;
}

int time_parse_rfc3339(const char *s, time_t *ret)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	long off = 0;
	if (parse_date(s, &y, &mo, &d) < 0)
		return -EINVAL;
	const char *p = s + 10;
	if (*p != '\0') {
		if ((*p != 'T' && *p != 't' && *p != ' ') || strlen(p) < 9 || p[3] != ':' ||
		    p[6] != ':')
			return -EINVAL;
		if (digits(p + 1, 2, &h) < 0 || digits(p + 4, 2, &mi) < 0 ||
		    digits(p + 7, 2, &sec) < 0 || h > 23 || mi > 59 || sec > 60)
			return -EINVAL;
		p += 9;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return -EINVAL;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (parse_zone(p, &off) < 0)
			return -EINVAL;
	}
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = sec};
	time_t t = timegm(&tm);
	if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31))
		return -ERANGE;
	*ret = t - off;
	return 0;
}

long days_between(time_t from, time_t to)
{
	long long diff = (long long)to - (long long)from;
	long long days = diff / 86400;
	if (diff < 0 && diff % 86400 != 0)
		days--;
	return (long)days;
}

int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. Rejects
 * overlong forms, surrogates and code points above U+10FFFF, as jansson
 * does. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp;
	if (c < 0x80)
		return c ? 1 : 0;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

json_t *json_bytes(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t l = utf8_seq(u + i, n - i);
		if (!l)
			break;
		i += l;
	}
	if (i == n)
		return json_stringn(s, n);
	struct strbuf sb;
	strbuf_init(&sb, n * 4 + 1);
	for (i = 0; i < n;) {
		size_t l = utf8_seq(u + i, n - i);
		int r = l ? strbuf_append(&sb, s + i, l) : strbuf_printf(&sb, "\\x%02x", u[i]);
		if (r < 0) {
			strbuf_free(&sb);
			return NULL;
		}
		i += l ? l : 1;
	}
	json_t *j = json_stringn(sb.s ? sb.s : "", sb.len);
	strbuf_free(&sb);
	return j;
}

static int cmp_json_str(const void *a, const void *b)
{
	const char *x = json_string_value(*(json_t *const *)a);
	const char *y = json_string_value(*(json_t *const *)b);
	return strcmp(x ? x : "", y ? y : "");
}

json_t *json_str_array_sorted(const json_t *arr, bool unique)
{
	size_t n = json_array_size(arr);
	json_t **v = calloc(n ? n : 1, sizeof(*v));
	json_t *out = json_array();
	if (!v || !out) {
		free(v);
		json_decref(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(arr, i);
	qsort(v, n, sizeof(*v), cmp_json_str);
	for (size_t i = 0; i < n; i++)
		if (!unique || i == 0 || !json_equal(v[i - 1], v[i]))
			json_array_append(out, v[i]);
	free(v);
	return out;
}

int json_str_array_sort(json_t *arr, bool unique)
{
	json_t *sorted = json_str_array_sorted(arr, unique);
	if (!sorted)
		return -ENOMEM;
	json_array_clear(arr);
	json_array_extend(arr, sorted);
	json_decref(sorted);
	return 0;
}

int json_set(json_t *obj, const char *key, json_t *value)
{
	if (!value)
		return -ENOMEM;
	return json_object_set_new(obj, key, value) < 0 ? -ENOMEM : 0;
}

json_t *json_mode(unsigned mode)
{
	char s[8];
	snprintf(s, sizeof(s), "%04o", mode & 07777);
	return json_string(s);
}

static int json_key_cmp(const json_t *a, const json_t *b)
{
	if (json_is_string(a) && json_is_string(b))
		return strcmp(json_string_value(a), json_string_value(b));
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);
		return (x > y) - (x < y);
	}
	/* Present before missing/null, strings before numbers. */
	return (a == NULL) - (b == NULL) + (json_is_integer(a) - json_is_integer(b));
}

struct sort_item {
	json_t *v;
	const json_t *key; /* the value at the sort key, borrowed */
	char *text;	   /* the serialised element, made on the first tie */
};

static const char *sort_text(struct sort_item *it)
{
	if (!it->text)
		it->text = json_dumps(it->v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
	return it->text ? it->text : "";
}

static int sort_cmp(const void *pa, const void *pb)
{
	struct sort_item *a = (struct sort_item *)pa, *b = (struct sort_item *)pb;
	int c = json_key_cmp(a->key, b->key);
	return c ? c : strcmp(sort_text(a), sort_text(b));
}

void json_array_sort_by(json_t *arr, const char *key)
{
	size_t n = json_array_size(arr);
	if (n < 2)
		return;
	struct sort_item *items = calloc(n, sizeof(*items));
	if (!items)
		return;
	for (size_t i = 0; i < n; i++) {
		items[i].v = json_incref(json_array_get(arr, i));
		items[i].key = key ? json_object_get(items[i].v, key) : items[i].v;
	}
	qsort(items, n, sizeof(*items), sort_cmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(arr, items[i].v);
		free(items[i].text);
	}
	free(items);
}

/* ---- string vectors ---- */

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* Slots for n strings and the terminator: 16, then the next power of two,
 * so pushing N strings reallocates O(log N) times (realloc to the size a
 * block already has returns at once). */
static size_t strv_slots(size_t n)
{
	size_t c = 16;
	while (c < n + 1)
		c *= 2;
	return c;
}

int strv_consume(char ***v, size_t *n, char *s)
{
	if (!s)
		return -ENOMEM;
	if (*n + 2 > SIZE_MAX / sizeof(char *) / 2) {
		free(s);
		return -ENOMEM;
	}
	char **nv = realloc(*v, strv_slots(*n + 1) * sizeof(char *));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	nv[(*n)++] = s;
	nv[*n] = NULL;
	*v = nv;
	return 0;
}

int strv_push_n(char ***v, size_t *n, const char *s, size_t len)
{
	return strv_consume(v, n, xstrndup(s, len));
}

void strv_clear(char ***v, size_t *n)
{
	for (size_t i = 0; *v && i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

size_t strv_length(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

int strv_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(char **v, size_t n)
{
	if (n) /* qsort(NULL, 0) is undefined */
		qsort(v, n, sizeof(char *), strv_cmp);
}

json_t *strv_json(char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; a && v && v[i]; i++)
		if (json_array_append_new(a, json_str(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* ---- paths ---- */

char *path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	while (dl > 0 && dir[dl - 1] == '/')
		dl--;
	char *p = NULL;
	if (asprintf(&p, "%.*s/%s", (int)dl, dir, name) < 0)
		return NULL;
	return p;
}

void path_clean(char *path)
{
	char *out = path, *p = path;
	if (*p != '/')
		return;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (out > path && *--out != '/')
				;
			p += n;
			continue;
		}
		*out++ = '/';
		memmove(out, p, n);
		out += n;
		p += n;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

const char *path_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}
