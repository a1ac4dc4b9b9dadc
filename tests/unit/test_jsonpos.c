/* test_jsonpos.c - positions of values named by JSON Pointers: the basis
 * of every file:line:column the rule loader reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jsonpos.h"

struct pos_case {
	const char *text;
	const char *pointer;
	bool key;
	int ret;
	unsigned line, column;
};

static const char doc[] =
    "{\n"
    "  \"name\": \"x\",\n"
    "  \"rules\": [\n"
    "    {\"id\": \"a.b\", \"assert\": {\"path\": \"uid\", \"op\": \"equals\"}},\n"
    "    {\"id\": \"c.d\",\n"
    "     \"assert\": {\"all\": [{\"path\": \"x\"}, {\"op\": \"eq\"}]}}\n"
    "  ],\n"
    "  \"a/b\": 1, \"m~n\": 2, \"\\u00e9\": 3, \"s\": \"{[\\\"]}\", \"t\": [[], {}]\n"
    "}\n";

static const struct pos_case cases[] = {
    {doc, "", false, 0, 1, 1},
    {doc, "/name", false, 0, 2, 11},
    {doc, "/name", true, 0, 2, 3},
    {doc, "/rules", false, 0, 3, 12},
    {doc, "/rules/0", false, 0, 4, 5},
    {doc, "/rules/0/assert/op", false, 0, 4, 51},
    {doc, "/rules/0/assert/op", true, 0, 4, 45},
    {doc, "/rules/1/id", false, 0, 5, 12},
    {doc, "/rules/1/assert/all/1/op", false, 0, 6, 47},
    {doc, "/a~1b", false, 0, 8, 10},
    {doc, "/m~0n", false, 0, 8, 20},
    {doc, "/\xc3\xa9", false, 0, 8, 33},
    {doc, "/s", false, 0, 8, 41},
    {doc, "/t/1", false, 0, 8, 61},
    /* names nothing */
    {doc, "/nope", false, -ENOENT, 0, 0},
    {doc, "/rules/2", false, -ENOENT, 0, 0},
    {doc, "/rules/01", false, -ENOENT, 0, 0},
    {doc, "/rules/-", false, -ENOENT, 0, 0},
    {doc, "/name/x", false, -ENOENT, 0, 0},
    {doc, "/t/0/0", false, -ENOENT, 0, 0},
    {doc, "/t/1/x", false, -ENOENT, 0, 0},
    /* malformed pointers */
    {doc, "name", false, -EINVAL, 0, 0},
    {doc, "/a~2b", false, -EINVAL, 0, 0},
    /* CRLF: columns restart after the LF */
    {"{\r\n\"a\":\r\n  7}", "/a", false, 0, 3, 3},
    /* columns count bytes, not characters */
    {"{\"\xc3\xa9\": 1, \"b\": 2}", "/b", false, 0, 1, 16},
    /* duplicate keys: the first one */
    {"{\"a\": 1, \"a\": 2}", "/a", false, 0, 1, 7},
    /* whitespace before the root */
    {"\n\n   [1, 2]", "/1", false, 0, 3, 8},
    /* byte order mark */
    {"\xef\xbb\xbf{\"a\": 1}", "/a", false, 0, 1, 10},
    /* truncated or broken text never reads past the end */
    {"{\"a\": [1, 2", "/a/5", false, -EINVAL, 0, 0},
    {"{\"a\": \"unterminated", "/b", false, -EINVAL, 0, 0},
    {"{\"a\" 1}", "/a", false, -EINVAL, 0, 0},
    {"{\"a\": \"\\u12\"}", "/a", false, 0, 1, 7},
    {"{\"\\u12\": 1}", "/x", false, -EINVAL, 0, 0},
    {"", "", false, -EINVAL, 0, 0},
    {"   ", "/a", false, -EINVAL, 0, 0},
    {"{\"a\": }", "/b", false, -EINVAL, 0, 0},
    {"{\"a\": 1,}", "/b", false, -EINVAL, 0, 0},
    {"[1 2]", "/1", false, -EINVAL, 0, 0},
    {"{\"a\":1}", "/a/b", false, -ENOENT, 0, 0},
};

static void test_cases(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pos_case *c = &cases[i];
		struct jsonpos p = {0, 0};
		int r = jsonpos_find(c->text, strlen(c->text), c->pointer, c->key, &p);
		if (r != c->ret || (r == 0 && (p.line != c->line || p.column != c->column)))
			fail_msg("case %zu (%s): got %d %u:%u, want %d %u:%u", i, c->pointer, r,
				 p.line, p.column, c->ret, c->line, c->column);
	}
}

/* A key holding a NUL (\u0000) never matches; a surrogate pair does. */
static void test_escaped_keys(void **state)
{
	static const char t[] = "{\"a\\u0000b\": 1, \"\\ud83d\\ude00\": 2, \"q\\\"\": 3}";
	struct jsonpos p;

	assert_int_equal(jsonpos_find(t, strlen(t), "/a", false, &p), -ENOENT);
	assert_int_equal(jsonpos_find(t, strlen(t), "/\xf0\x9f\x98\x80", false, &p), 0);
	assert_int_equal(p.column, 33);
	assert_int_equal(jsonpos_find(t, strlen(t), "/q\"", false, &p), 0);
	assert_int_equal(p.column, 43);
}

/* The buffer is not NUL-terminated: a value cut at len is not found. */
static void test_length_bounds(void **state)
{
	static const char t[] = "{\"a\": 1, \"b\": 2}";
	struct jsonpos p;

	assert_int_equal(jsonpos_find(t, 9, "/a", false, &p), 0);
	assert_int_equal(jsonpos_find(t, 9, "/b", false, &p), -EINVAL);
	assert_int_equal(jsonpos_find(t, strlen(t), "/b", false, &p), 0);
	assert_int_equal(p.column, 15);
	assert_int_equal(jsonpos_find(NULL, 0, "", false, &p), -EINVAL);
}

static void test_offsets(void **state)
{
	static const char t[] = "ab\ncd\n";
	struct jsonpos p = jsonpos_of_offset(t, 6, 4);

	assert_int_equal(p.line, 2);
	assert_int_equal(p.column, 2);
	p = jsonpos_of_offset(t, 6, 100); /* clamped to the end */
	assert_int_equal(p.line, 3);
	assert_int_equal(p.column, 1);
	p = jsonpos_of_offset(t, 6, 0);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.column, 1);
}

static void test_append(void **state)
{
	char buf[16] = "";

	assert_int_equal(jsonpos_append(buf, sizeof(buf), "rules"), 0);
	assert_int_equal(jsonpos_append_index(buf, sizeof(buf), 3), 0);
	assert_string_equal(buf, "/rules/3");
	assert_int_equal(jsonpos_append(buf, sizeof(buf), "a/~"), 0);
	assert_string_equal(buf, "/rules/3/a~1~0");
	assert_int_equal(jsonpos_append(buf, sizeof(buf), "toolong"), -ENAMETOOLONG);
	assert_string_equal(buf, "/rules/3/a~1~0");

	/* what is appended can be found again */
	static const char t[] = "{\"a/~\": {\"x\": [0, 5]}}";
	char ptr[64] = "";
	struct jsonpos p;
	jsonpos_append(ptr, sizeof(ptr), "a/~");
	jsonpos_append(ptr, sizeof(ptr), "x");
	jsonpos_append_index(ptr, sizeof(ptr), 1);
	assert_int_equal(jsonpos_find(t, strlen(t), ptr, false, &p), 0);
	assert_int_equal(p.column, 19);
}

/* Garbage in, no crash, no read past the end (run under ASan by
 * `make check`): every prefix of a document and random bytes. */
static void test_garbage(void **state)
{
	static const char *const ptrs[] = {"", "/rules/1/assert/all/1/op", "/t/1", "/s", "/x/0"};
	struct jsonpos p;
	unsigned seed = 12345;
	char buf[256];

	for (size_t n = 0; n <= strlen(doc); n++) {
		char *copy = malloc(n ? n : 1);
		memcpy(copy, doc, n);
		for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
			(void)jsonpos_find(copy, n, ptrs[i], i % 2, &p);
		free(copy);
	}
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof(buf));
		for (size_t i = 0; i < n; i++)
			buf[i] = "{}[]\",:\\ua0 1\n"[rand_r(&seed) % 14];
		char *copy = malloc(n ? n : 1);
		memcpy(copy, buf, n);
		for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
			(void)jsonpos_find(copy, n, ptrs[i], false, &p);
		free(copy);
	}
	/* deep nesting is skipped without recursion */
	size_t deep = 200000;
	char *d = malloc(deep * 2 + 16);
	size_t o = 0;
	memcpy(d, "{\"a\": ", 6);
	o = 6;
	for (size_t i = 0; i < deep; i++)
		d[o++] = '[';
	for (size_t i = 0; i < deep; i++)
		d[o++] = ']';
	memcpy(d + o, ", \"b\": 1}", 9);
	o += 9;
	assert_int_equal(jsonpos_find(d, o, "/b", false, &p), 0);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),	  cmocka_unit_test(test_escaped_keys),
	    cmocka_unit_test(test_length_bounds), cmocka_unit_test(test_offsets),
	    cmocka_unit_test(test_append),	  cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
