/* test_dpkg_parse.c - deb822 paragraphs and fields (whole buffers and
 * windows of a stream), and dpkg's status file: every state compared
 * with what `dpkg-query -W` lists for the same file
 * (tests/fixtures/unit-packages/dpkg, made by make.sh there), plus
 * hostile input: CRLF, no final newline, NUL bytes, junk lines, huge
 * values, duplicates. Runs from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "probes/parse/dpkg_parse.h"
#include "lib/util.h"

#define FIX "tests/fixtures/unit-packages/dpkg/"

static struct buf slurp(const char *path)
{
	struct buf b = {0};
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		b.data = realloc(b.data, b.len + n + 1);
		memcpy(b.data + b.len, chunk, n);
		b.len += n;
	}
	fclose(f);
	b.data[b.len] = '\0';
	return b;
}

/* ---- paragraphs ---- */

struct para_case {
	const char *what;
	const char *in;
	size_t len; /* 0: strlen */
	unsigned n;
	const char *first; /* the first paragraph's text */
	unsigned first_line, last_line;
};

static const struct para_case para_cases[] = {
    {"two", "A: 1\nB: 2\n\nA: 3\n", 0, 2, "A: 1\nB: 2", 1, 4},
    {"leading and repeated blanks", "\n\n\nA: 1\n\n\n\nA: 2\n\n", 0, 2, "A: 1", 4, 8},
    {"no final newline", "A: 1\n\nA: 2", 0, 2, "A: 1", 1, 3},
    {"crlf", "A: 1\r\nB: 2\r\n\r\nA: 3\r\n", 0, 2, "A: 1\r\nB: 2\r", 1, 4},
    {"only blank lines", "\n\r\n\n", 0, 0, NULL, 0, 0},
    {"empty", "", 0, 0, NULL, 0, 0},
    {"blank-looking line of spaces continues", "A: 1\n \nB: 2\n", 0, 1, "A: 1\n \nB: 2", 1, 1},
    {"nul inside", "A: 1\0x\nB: 2\n\nC: 3\n", 19, 2, NULL, 1, 4},
};

static void test_paragraphs(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(para_cases); i++) {
		const struct para_case *c = &para_cases[i];
		size_t len = c->len ? c->len : strlen(c->in);
		struct deb822_iter it;
		struct deb822_para p, first = {0}, last = {0};
		unsigned n = 0;
		print_message("paragraphs: %s\n", c->what);
		deb822_iter_init(&it, c->in, len);
		while (deb822_next(&it, &p)) {
			if (!n)
				first = p;
			last = p;
			n++;
		}
		assert_int_equal(n, c->n);
		if (!n)
			continue;
		assert_int_equal(first.lineno, c->first_line);
		assert_int_equal(last.lineno, c->last_line);
		if (c->first) {
			assert_int_equal(first.len, strlen(c->first));
			assert_memory_equal(first.s, c->first, first.len);
		}
	}
}

/* The same text split at every possible window boundary gives the same
 * paragraphs as the whole buffer: what the streaming reader relies on. */
static void test_split_windows(void **state)
{
	static const char text[] = "\nPackage: a\nVersion: 1\n\n\nPackage: b\r\nDescription: x\r\n"
				   " more\r\n\r\nPackage: c\nVersion: 3";
	const size_t n = sizeof(text) - 1;
	for (size_t cut = 0; cut <= n; cut++) {
		/* Feed text[0..cut) as not-at-eof, then the whole as at-eof. */
		size_t pos = 0, start, len, consumed;
		unsigned lines, got = 0;
		while (deb822_split(text + pos, cut - pos, false, &start, &len, &consumed,
				    &lines) == 1) {
			assert_true(pos + start + len <= cut);
			pos += consumed;
			got++;
		}
		while (deb822_split(text + pos, n - pos, true, &start, &len, &consumed, &lines) ==
		       1) {
			assert_true(len > 0);
			pos += consumed;
			got++;
		}
		assert_int_equal(got, 3);
		assert_int_equal(pos, n);
	}
}

/* ---- fields ---- */

static void test_fields(void **state)
{
	static const char text[] = "Package: foo\n"
				   "description:  short  \n"
				   " long line one\n"
				   " .\n"
				   " long line two\n"
				   "junk without colon\n"
				   "Empty:\n"
				   "X-Tab:\tvalue\r\n";
	struct deb822_para p = {text, sizeof(text) - 2, 5};
	struct deb822_fiter it;
	struct deb822_field f;
	deb822_fields_init(&it, &p, false);
	assert_int_equal(deb822_next_field(&it, &f), 1);
	assert_true(span_eq(f.name, "Package") && span_eq(f.value, "foo"));
	assert_int_equal(f.lineno, 5);
	assert_int_equal(deb822_next_field(&it, &f), 1);
	assert_true(span_eq_nocase(f.name, "DESCRIPTION"));
	assert_true(span_eq(f.value, "short  \n long line one\n .\n long line two"));
	assert_int_equal(deb822_next_field(&it, &f), -EBADMSG);
	assert_int_equal(f.lineno, 10);
	assert_int_equal(deb822_next_field(&it, &f), 1);
	assert_true(span_eq(f.name, "Empty") && f.value.len == 0 && f.value.s);
	assert_int_equal(deb822_next_field(&it, &f), 1);
	assert_true(span_eq(f.value, "value"));
	assert_int_equal(deb822_next_field(&it, &f), 0);

	static const char *const names[] = {"x-tab", "Missing", "package", "Empty"};
	struct span out[4];
	assert_int_equal(deb822_get(&p, false, names, out, 4), 3);
	assert_true(span_eq(out[0], "value"));
	assert_null(out[1].s);
	assert_true(span_eq(out[2], "foo"));
	assert_int_equal(out[3].len, 0);
}

static void test_comments(void **state)
{
	static const char text[] = "# leading comment\n"
				   "Types: deb\n"
				   "# between fields\n"
				   "URIs: http://x/\n"
				   "#Suites: hidden\n"
				   "Suites: a\n";
	struct deb822_para p = {text, sizeof(text) - 1, 1};
	static const char *const names[] = {"Types", "URIs", "Suites"};
	struct span out[3];
	assert_int_equal(deb822_get(&p, true, names, out, 3), 3);
	assert_true(span_eq(out[2], "a"));
	/* Without comment support the "#" lines are junk, and "#Suites"
	 * becomes a field named "#Suites", not Suites. */
	assert_int_equal(deb822_get(&p, false, names, out, 3), 3);
	assert_true(span_eq(out[2], "a"));
	/* A stanza of comments only has no fields. */
	struct deb822_para c = {"# a\n# b", 7, 1};
	assert_int_equal(deb822_get(&c, true, names, out, 3), 0);
}

static void test_words(void **state)
{
	struct span rest = {" amd64\ti386 \n all  ", 19}, w;
	const char *want[] = {"amd64", "i386", "all"};
	for (size_t i = 0; i < 3; i++) {
		assert_true(span_next_word(&rest, &w));
		assert_true(span_eq(w, want[i]));
	}
	assert_false(span_next_word(&rest, &w));
	struct span none = {NULL, 0};
	assert_false(span_next_word(&none, &w));
}

static void test_source_field(void **state)
{
	static const struct {
		const char *in, *name, *ver;
	} cases[] = {
	    {"glibc", "glibc", NULL},
	    {"linux-signed-amd64 (6.1.153+1)", "linux-signed-amd64", "6.1.153+1"},
	    {"x ( 1.0 )", "x", "1.0"},
	    {"x (", "x", NULL},
	    {"x ()", "x", NULL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct span n, v, in = {cases[i].in, strlen(cases[i].in)};
		dpkg_parse_source(in, &n, &v);
		assert_true(span_eq(n, cases[i].name));
		if (cases[i].ver)
			assert_true(span_eq(v, cases[i].ver));
		else
			assert_null(v.s);
	}
}

/* ---- status against dpkg-query ---- */

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_status_vs_dpkg_query(void **state)
{
	_cleanup_buf_ struct buf status = slurp(FIX "status");
	_cleanup_buf_ struct buf expect = slurp(FIX "expect-query");
	struct dpkg_status st;
	assert_int_equal(dpkg_status_parse(status.data, status.len, &st, NULL, NULL), 0);
	assert_true(span_eq(st.native_arch, "amd64"));
	/* Build the same lines dpkg-query printed: everything but
	 * not-installed, arch-qualified for Multi-Arch: same. */
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	for (size_t i = 0; i < st.n; i++) {
		const struct dpkg_pkg *p = &st.v[i];
		if (p->state == DPKG_NOT_INSTALLED)
			continue;
		static const char *const eflags[] = {"ok", "reinstreq"};
		strbuf_printf(&sb, "%.*s", (int)p->name.len, p->name.s);
		if (span_eq(p->multi_arch, "same"))
			strbuf_printf(&sb, ":%.*s", (int)p->arch.len, p->arch.s);
		struct span sv = p->source_version.s ? p->source_version : p->version;
		struct span sn = p->source.s ? p->source : p->name;
		strbuf_printf(&sb, "\t%.*s\t%s %s %s\t%.*s\t%.*s\n", (int)p->version.len,
			      p->version.s, dpkg_want_name(p->want), eflags[p->reinstreq],
			      dpkg_state_name(p->state), (int)sn.len, sn.s, (int)sv.len, sv.s);
	}
	/* make.sh sorted dpkg-query's lines (LC_ALL=C): sort ours too. */
	_cleanup_free_ char *all = strbuf_steal(&sb);
	char *lines[64];
	size_t n = 0;
	for (char *l = all, *nl; *l && n < 64; l = nl + 1) {
		nl = strchr(l, '\n');
		*nl = '\0';
		lines[n++] = l;
	}
	qsort(lines, n, sizeof(char *), cmp_line);
	strbuf_init(&sb, 1 << 20);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&sb, "%s\n", lines[i]);
	_cleanup_free_ char *got = strbuf_steal(&sb);
	print_message("%s", got);
	assert_string_equal(got, expect.data);
	dpkg_status_free(&st);
}

static void test_states(void **state)
{
	static const struct {
		enum dpkg_state s;
		bool present, installed;
	} cases[] = {
	    {DPKG_NOT_INSTALLED, false, false},	 {DPKG_CONFIG_FILES, false, false},
	    {DPKG_HALF_INSTALLED, true, false},	 {DPKG_UNPACKED, true, false},
	    {DPKG_HALF_CONFIGURED, true, false}, {DPKG_TRIGGERS_AWAITED, true, true},
	    {DPKG_TRIGGERS_PENDING, true, true}, {DPKG_INSTALLED, true, true},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(dpkg_state_present(cases[i].s), cases[i].present);
		assert_int_equal(dpkg_state_installed(cases[i].s), cases[i].installed);
	}
	assert_string_equal(dpkg_state_name(DPKG_CONFIG_FILES), "config-files");
	assert_string_equal(dpkg_want_name(DPKG_WANT_HOLD), "hold");
}

struct bad_log {
	unsigned n, first_line;
};

static void count_bad(void *userdata, unsigned line, const char *ja, const char *en)
{
	struct bad_log *b = userdata;
	if (!b->n++)
		b->first_line = line;
	assert_non_null(ja);
	assert_non_null(en);
}

static void test_status_hostile(void **state)
{
	static const char text[] =
	    "Package: ok\r\nStatus: install ok installed\r\nVersion: 1.0\r\nArchitecture: "
	    "amd64\r\n\r\n"
	    "Status: install ok installed\nVersion: 2\n\n"			   /* no Package */
	    "Package: weird\nStatus: install ok flying\nVersion: 1\n\n"		   /* bad state */
	    "Package: short\nStatus: install installed\n\n"			   /* two words */
	    "Package: ok\nStatus: purge ok not-installed\nArchitecture: amd64\n\n" /* dup */
	    "Package: n\0ul\nStatus: install ok unpacked\nVersion: 3\nArchitecture: all"; /* no \n
											   */
	struct dpkg_status st;
	struct bad_log bad = {0};
	assert_int_equal(dpkg_status_parse(text, sizeof(text) - 1, &st, count_bad, &bad), 0);
	assert_int_equal(st.n, 2);
	assert_true(span_eq(st.v[0].name, "ok"));
	assert_true(span_eq(st.v[0].version, "1.0"));
	assert_int_equal(st.v[0].state, DPKG_INSTALLED);
	assert_int_equal(st.v[1].name.len, 4); /* the NUL is kept inside the span */
	assert_int_equal(st.v[1].state, DPKG_UNPACKED);
	assert_int_equal(bad.n, 4);
	assert_int_equal(bad.first_line, 6);
	dpkg_status_free(&st);
}

/* A package listed three (or more) times: the third copy was compared
 * with the second one, already marked for removal (a NULL name), which
 * read past the end of a string literal. The first copy stays. */
static void test_status_triplicate(void **state)
{
	static const char text[] = "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
				   "Package: a\nStatus: install ok installed\nVersion: 2\n\n"
				   "Package: b\nStatus: install ok installed\nVersion: 1\n\n"
				   "Package: a\nStatus: install ok installed\nVersion: 3\n\n"
				   "Package: a\nStatus: install ok installed\nVersion: 4\n";
	struct dpkg_status st;
	struct bad_log bad = {0};
	assert_int_equal(dpkg_status_parse(text, sizeof(text) - 1, &st, count_bad, &bad), 0);
	assert_int_equal(st.n, 2);
	assert_true(span_eq(st.v[0].name, "a"));
	assert_true(span_eq(st.v[0].version, "1"));
	assert_true(span_eq(st.v[1].name, "b"));
	assert_int_equal(bad.n, 3);
	dpkg_status_free(&st);
}

/* A value of several MiB: found, never copied. */
static void test_huge_value(void **state)
{
	size_t big = 4u << 20;
	char *text = malloc(big + 64);
	assert_non_null(text);
	int h = snprintf(text, 64, "Package: big\nDescription: ");
	memset(text + h, 'x', big);
	memcpy(text + h + big, "\nVersion: 9\n", 12);
	struct deb822_para p = {text, (size_t)h + big + 12, 1};
	static const char *const names[] = {"Version", "Description"};
	struct span out[2];
	assert_int_equal(deb822_get(&p, false, names, out, 2), 2);
	assert_true(span_eq(out[0], "9"));
	assert_int_equal(out[1].len, big);
	free(text);
}

struct div_seen {
	char text[512];
	unsigned bad;
};

static void div_cb(const struct dpkg_diversion *d, void *userdata)
{
	struct div_seen *ds = userdata;
	size_t l = strlen(ds->text);
	snprintf(ds->text + l, sizeof(ds->text) - l, "%u %.*s>%.*s@%.*s;", d->lineno,
		 (int)d->from.len, d->from.s, (int)d->to.len, d->to.s, (int)d->package.len,
		 d->package.s);
}

static void div_bad(void *userdata, unsigned line, const char *ja, const char *en)
{
	(void)line;
	(void)ja;
	(void)en;
	((struct div_seen *)userdata)->bad++;
}

/* The file dpkg-divert writes: three lines per diversion, ":" for a
 * local one; a damaged record is skipped, the others kept. */
static void test_diversions(void **state)
{
	(void)state;
	static const char good[] = "/usr/bin/foo\n/usr/bin/foo.distrib\npkgb\n"
				   "/usr/bin/bar\n/usr/bin/bar.orig\n:\n";
	struct div_seen ds = {"", 0};
	assert_int_equal(dpkg_diversions_parse(good, sizeof(good) - 1, div_cb, div_bad, &ds), 2);
	assert_string_equal(
	    ds.text,
	    "1 /usr/bin/foo>/usr/bin/foo.distrib@pkgb;4 /usr/bin/bar>/usr/bin/bar.orig@:;");
	assert_int_equal(ds.bad, 0);

	/* no final newline, a relative path, a truncated last record */
	static const char hostile[] = "rel\n/a\np\n/x\n/y\nq\n/z\n/w";
	struct div_seen hs = {"", 0};
	assert_int_equal(dpkg_diversions_parse(hostile, sizeof(hostile) - 1, div_cb, div_bad, &hs),
			 1);
	assert_string_equal(hs.text, "4 /x>/y@q;");
	assert_int_equal(hs.bad, 2);

	/* a NUL inside a path is not a path dpkg could have written */
	static const char nul[] = "/a\0b\n/c\np\n";
	struct div_seen ns = {"", 0};
	assert_int_equal(dpkg_diversions_parse(nul, sizeof(nul) - 1, div_cb, div_bad, &ns), 0);
	assert_int_equal(ns.bad, 1);
	assert_int_equal(dpkg_diversions_parse("", 0, div_cb, div_bad, &ns), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paragraphs),
	    cmocka_unit_test(test_split_windows),
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_comments),
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_source_field),
	    cmocka_unit_test(test_status_vs_dpkg_query),
	    cmocka_unit_test(test_states),
	    cmocka_unit_test(test_status_hostile),
	    cmocka_unit_test(test_status_triplicate),
	    cmocka_unit_test(test_huge_value),
	    cmocka_unit_test(test_diversions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
