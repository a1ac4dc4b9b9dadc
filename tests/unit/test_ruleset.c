/* test_ruleset.c - loading profiles and baselines: what loads, what is
 * refused, and that every refusal points at the right file:line:column. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/embedded.h"
#include "engine/rules.h"

#define FIXTURES "tests/fixtures/baselines/"

struct bad_case {
	const char *what;
	const char *profile; /* --profile, or NULL */
	const char *text;
	unsigned line, column;
	const char *msg; /* a fragment of the message */
};

/* Generated with the expected position marked in the text, then checked
 * by eye: each position is the value (or key) that is wrong. */
static const struct bad_case bad[] = {
    {"syntax error", NULL, "{\"extends\": \"server\",\n \"params\": {\"max_inactive_days\": tru}}",
     2, 34, "invalid token"},
    {"duplicate key", NULL, "{\"extends\": \"server\",\n \"extends\": \"terminal\"}", 2, 2,
     "duplicate object key"},
    {"not an object", NULL, "[\"server\"]", 1, 1, "one JSON object"},
    {"empty file", NULL, "", 1, 1, "expected"},
    {"invalid UTF-8", NULL, "{\"name\": \"\xff\"}", 1, 10, "unable to decode"},
    {"unknown top-level key", NULL, "{\"extends\": \"server\",\n  \"rulez\": []}", 2, 3,
     "unknown key \"rulez\" in a baseline"},
    {"unknown profile", NULL, "{\"extends\": \"desktop\"}", 1, 13, "unknown profile \"desktop\""},
    {"extends not a string", NULL, "{\"extends\": 1}", 1, 13,
     "\"extends\" must name a shipped profile"},
    {"extends differs from --profile", "terminal", "{\"name\": \"b\",\n \"extends\": \"server\"}",
     2, 13, "but --profile terminal was given"},
    {"unknown parameter", NULL,
     "{\"extends\": \"server\", \"params\": {\n  \"max_inactive_days\": 60,\n  "
     "\"max_inactive_dayz\": 30}}",
     3, 3, "unknown parameter \"max_inactive_dayz\""},
    {"wrong parameter type", NULL,
     "{\"extends\": \"server\", \"params\": {\"max_inactive_days\": \"90\"}}", 1, 55,
     "must be a number"},
    {"list parameter given a string", NULL, "{\"params\": {\"admin_accounts\": \"root\"}}", 1, 31,
     "must be a list"},
    {"null over a non-null default", NULL, "{\"params\": {\"treat_locked_as_removed\": null}}", 1,
     40, "must be true or false"},
    {"unknown rule in disable", NULL,
     "{\"disable\": [\"accounts.inactive\", \"accounts.inactiv\"]}", 1, 35,
     "unknown rule \"accounts.inactiv\""},
    {"disable not a list", NULL, "{\"disable\": \"accounts.inactive\"}", 1, 13,
     "must be a list of rule ids"},
    {"enabled and disabled", NULL,
     "{\"disable\": [\"accounts.inactive\"],\n \"enable\": [\"accounts.inactive\"]}", 2, 13,
     "both disabled and enabled"},
    {"unknown severity", NULL, "{\"severity\": {\"accounts.inactive\": \"critical\"}}", 1, 36,
     "unknown severity \"critical\""},
    {"severity for unknown rule", NULL, "{\"severity\": {\"accounts.nope\": \"low\"}}", 1, 15,
     "unknown rule \"accounts.nope\""},
    {"rules not a list", NULL, "{\"rules\": {}}", 1, 11, "\"rules\" must be a list"},
    {"bad rule id", NULL, "{\"rules\": [\n  {\"id\": \"Accounts.X\"}]}", 2, 10,
     "bad rule id Accounts.X"},
    {"rule id without a dot", NULL, "{\"rules\": [{\"id\": \"inactive\"}]}", 1, 19,
     "bad rule id inactive"},
    {"rule without id", NULL, "{\"rules\": [{\"title\": {}}]}", 1, 12, "a rule needs an \"id\""},
    {"duplicate rule in baseline", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "0}},\n {\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": {\"r6\": "
     "[\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": {\"ja\": "
     "\"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}}]}",
     2, 9, "duplicate rule id \"t.r\""},
    {"unknown rule key", NULL, "{\"rules\": [{\"id\": \"t.r\", \"asert\": {}}]}", 1, 26,
     "unknown key \"asert\" in a rule"},
    {"missing assert", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}}]}",
     1, 12, "rule \"t.r\" needs \"assert\""},
    {"unknown collection", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"acounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "0}}]}",
     1, 98, "unknown collection \"acounts\""},
    {"unknown field", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"lastlogin\", \"op\": \"eq\", "
     "\"value\": 0}}]}",
     1, 193, "unknown field \"lastlogin\" in collection \"accounts\""},
    {"sub-field of a scalar", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid.x\", \"op\": \"eq\", \"value\": "
     "0}}]}",
     1, 193, "has no sub-fields"},
    {"unknown operator", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\",\n  \"op\": \"equals\", "
     "\"value\": 0}}]}",
     2, 9, "unknown operator \"equals\""},
    {"unknown parameter in value", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"days_since_login\", \"op\": \"le\", "
     "\"value\": {\"param\": \"max_inactive\"}}}]}",
     1, 244, "unknown parameter \"max_inactive\""},
    {"unknown parameter in requires", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "0}, \"requires\": [\"known_acounts\"]}]}",
     1, 238, "unknown parameter \"known_acounts\""},
    {"bad regex", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"shell\", \"op\": \"regex\", "
     "\"value\": \"^(/bin\"}}]}",
     1, 226, "bad regular expression"},
    {"bad mode", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"files\", \"subject\": \"file:{path}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"mode\", \"op\": \"mode_le\", "
     "\"value\": \"0999\"}}]}",
     1, 221, "must be an octal mode"},
    {"wrong value type", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "\"0\"}}]}",
     1, 221, "must be a number"},
    {"operator on the wrong field type", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"name\", \"op\": \"lt\", \"value\": "
     "3}}]}",
     1, 207, "operator \"lt\" does not apply to a string field"},
    {"count of a scalar", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"count\": \"uid\", \"op\": \"gt\", \"value\": "
     "3}}]}",
     1, 207, "\"count\" needs a list field"},
    {"count with a glob operator", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"count\": \"groups\", \"op\": \"in\", "
     "\"value\": [\"a\"]}}]}",
     1, 210, "cannot be used with \"count\""},
    {"exists with a value", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"exists\", "
     "\"value\": 1}}]}",
     1, 216, "takes no value"},
    {"missing value", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\"}}]}",
     1, 184, "needs a \"value\""},
    {"null value", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "null}}]}",
     1, 221, "null cannot be compared"},
    {"path and count", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"count\": \"groups\", "
     "\"op\": \"eq\", \"value\": 1}}]}",
     1, 200, "only one of"},
    {"empty all", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"all\": []}}]}",
     1, 192, "needs a non-empty list"},
    {"combinator with extra key", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"not\": {\"path\": \"uid\", \"op\": \"eq\", "
     "\"value\": 0}, \"op\": \"eq\"}}]}",
     1, 233, "\"not\" takes no other keys"},
    {"not a condition", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"all\": [\"uid\"]}}]}",
     1, 193, "a condition must be a JSON object"},
    {"in with a non-list", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"name\", \"op\": \"in\", \"value\": "
     "\"root\"}}]}",
     1, 222, "a list of glob strings"},
    {"parameter of the wrong type for the op", NULL,
     "{\"params\": {\"my_names\": \"root\"},\n \"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": "
     "\"t\", \"en\": \"t\"}, \"checklist\": {\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", "
     "\"subject\": \"account:{name}\", \"message\": {\"ja\": \"m\", \"en\": \"m\"}, \"assert\": "
     "{\"path\": \"name\", \"op\": \"in\", \"value\": {\"param\": \"my_names\"}}}]}",
     1, 25, "parameter \"my_names\" must be a list of glob strings"},
    {"unknown checklist edition", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"], \"r9\": [\"x\"]}, \"each\": \"accounts\", \"subject\": "
     "\"account:{name}\", \"message\": {\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": "
     "\"uid\", \"op\": \"eq\", \"value\": 0}}]}",
     1, 89, "unknown checklist edition \"r9\""},
    {"empty checklist", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": []}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": {\"ja\": "
     "\"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}}]}",
     1, 72, "names no item"},
    {"unknown rule severity", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "0}, \"severity\": \"urgent\"}]}",
     1, 237, "unknown severity \"urgent\""},
    {"unknown template field", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{nme}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "0}}]}",
     1, 121, "unknown field \"nme\""},
    {"unterminated template", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m {name\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", "
     "\"value\": 0}}]}",
     1, 168, "unterminated"},
    {"title without en", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\"}, \"checklist\": {\"r6\": "
     "[\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": {\"ja\": "
     "\"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": 0}}]}",
     1, 35, "needs a non-empty \"en\""},
    {"unknown evidence field", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "0}, \"evidence\": [\"uid\", \"passwd\"]}]}",
     1, 245, "unknown field \"passwd\""},
    {"unknown checklist item", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"], \"r7\": [\"2-⑭\"]}, \"each\": \"accounts\", \"subject\": "
     "\"account:{name}\", \"message\": {\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"path\": "
     "\"uid\", \"op\": \"eq\", \"value\": 0}}]}",
     1, 96, "unknown checklist item \"2-⑭\" in edition r7"},
    {"too deep", NULL,
     "{\"rules\": [{\"id\": \"t.r\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": "
     "{\"r6\": [\"2(5)\"]}, \"each\": \"accounts\", \"subject\": \"account:{name}\", \"message\": "
     "{\"ja\": \"m\", \"en\": \"m\"}, \"assert\": {\"not\": {\"not\": {\"not\": {\"not\": "
     "{\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": "
     "{\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": "
     "{\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": {\"not\": "
     "{\"not\": {\"not\": {\"path\": \"uid\", \"op\": \"eq\", \"value\": "
     "0}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}]}",
     1, 448, "nested deeper than 32"},
};

static int write_temp(const char *text, size_t len, char path[static 64])
{
	snprintf(path, 64, "/tmp/tenken-test-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

static void test_bad_baselines(void **state)
{
	size_t failures = 0;

	assert_true(sizeof(bad) / sizeof(bad[0]) >= 20);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad_case *c = &bad[i];
		char path[64];
		struct ruleset *rs = NULL;
		struct diag d;
		assert_int_equal(write_temp(c->text, strlen(c->text), path), 0);
		int r = ruleset_load(path, c->profile, &rs, &d);
		unlink(path);
		if (r == -EINVAL && strcmp(d.file, path) == 0 && d.line == c->line &&
		    d.column == c->column && strstr(d.msg, c->msg) && !rs)
			continue;
		print_error("%s: got %d %s:%u:%u: %s\n  want %u:%u: ...%s...\n", c->what, r, d.file,
			    d.line, d.column, d.msg, c->line, c->column, c->msg);
		ruleset_free(rs);
		failures++;
	}
	assert_int_equal(failures, 0);
}

/* The same refusals through the in-memory entry point, with its name. */
static void test_bad_in_memory(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ruleset *rs = NULL;
		struct diag d;
		int r = ruleset_load_mem("mem.json", bad[i].text, strlen(bad[i].text),
					 bad[i].profile, &rs, &d);
		assert_int_equal(r, -EINVAL);
		assert_null(rs);
		assert_string_equal(d.file, "mem.json");
		assert_int_equal(d.line, bad[i].line);
		assert_int_equal(d.column, bad[i].column);
	}
}

/* Messages stay on one printable line even when the input is not. */
static void test_messages_are_one_line(void **state)
{
	static const char t[] = "{\"rules\": [{\"id\": \"t.r\", \"asert\\n\\u0007x\": 1}]}";
	struct ruleset *rs = NULL;
	struct diag d;

	assert_int_equal(ruleset_load_mem("m", t, strlen(t), NULL, &rs, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "unknown key \"asert??x\""));
	for (const char *p = d.msg; *p; p++)
		assert_true((unsigned char)*p >= 0x20);
}

static void test_io_errors(void **state)
{
	struct ruleset *rs = NULL;
	struct diag d;
	char dir[] = "/tmp/tenken-test-dir-XXXXXX", fifo[128], big[64];

	assert_int_equal(ruleset_load("/nonexistent/b.json", NULL, &rs, &d), -ENOENT);
	assert_string_equal(d.file, "/nonexistent/b.json");
	assert_int_equal(d.line, 0);
	assert_non_null(strstr(d.msg, "cannot read"));

	assert_non_null(mkdtemp(dir));
	assert_int_equal(ruleset_load(dir, NULL, &rs, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "not a regular file"));

	/* a FIFO must be refused, not block the scan */
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(ruleset_load(fifo, NULL, &rs, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "not a regular file"));
	unlink(fifo);
	rmdir(dir);

	assert_int_equal(ruleset_check_file("/dev/null", &d), -EINVAL);

	/* over the limit: refused before parsing */
	size_t n = (4u << 20) + 1;
	char *text = malloc(n);
	memset(text, ' ', n);
	text[0] = '{';
	text[n - 1] = '}';
	assert_int_equal(write_temp(text, n, big), 0);
	free(text);
	assert_int_equal(ruleset_load(big, NULL, &rs, &d), -EFBIG);
	assert_non_null(strstr(d.msg, "larger than"));
	unlink(big);
	assert_null(rs);
}

static void test_unknown_profile_argument(void **state)
{
	struct ruleset *rs = NULL;
	struct diag d;

	assert_int_equal(ruleset_load(NULL, "desktop", &rs, &d), -EINVAL);
	assert_string_equal(d.file, "<command line>");
	assert_non_null(strstr(d.msg, "unknown profile \"desktop\" (shipped: server, terminal)"));
	assert_int_equal(ruleset_load(NULL, "../rules/accounts", &rs, &d), -EINVAL);
	assert_null(rs);
}

static size_t count_prefix(const json_t *rules, const char *prefix)
{
	size_t i, n = 0;
	json_t *r;

	json_array_foreach(rules, i, r)
		n += strncmp(json_string_value(json_object_get(r, "id")), prefix, strlen(prefix)) ==
		     0;
	return n;
}

static const json_t *rule_by_id(const struct ruleset *rs, const char *id)
{
	size_t i;
	json_t *r;

	json_array_foreach(rs->rules, i, r)
		if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
			return r;
	return NULL;
}

/* Both shipped profiles load, declare every parameter the rules use, and
 * carry every rule of the library (sorted by id). */
static void test_shipped_profiles(void **state)
{
	static const char *const profiles[] = {"server", "terminal"};
	static const char *const params[] = {
	    "max_inactive_days",     "treat_locked_as_removed", "admin_groups",	  "admin_accounts",
	    "sudo_nopasswd_allowed", "sudo_all_allowed",	"known_accounts", "known_admins"};

	for (size_t p = 0; p < 2; p++) {
		struct ruleset *rs = NULL;
		struct diag d;
		int r = ruleset_load(NULL, profiles[p], &rs, &d);
		if (r < 0)
			fail_msg("%s: %s:%u:%u: %s", profiles[p], d.file, d.line, d.column, d.msg);
		assert_string_equal(rs->profile, profiles[p]);
		assert_int_equal(json_array_size(rs->rules), rs->nprogs);
		assert_true(count_prefix(rs->rules, "accounts.") >= 11);
		assert_int_equal(count_prefix(rs->rules, "files."), 3);
		assert_int_equal(count_prefix(rs->rules, "groups."), 1);
		for (size_t i = 1; i < rs->nprogs; i++)
			assert_true(
			    strcmp(json_string_value(json_object_get(rs->progs[i - 1].rule, "id")),
				   json_string_value(json_object_get(rs->progs[i].rule, "id"))) <
			    0);
		for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
			assert_non_null(json_object_get(rs->params, params[i]));
		assert_true(json_is_null(json_object_get(rs->params, "known_accounts")));
		assert_int_equal(
		    json_integer_value(json_object_get(rs->params, "max_inactive_days")), 90);
		const json_t *info = rs->baseline_info;
		assert_string_equal(json_string_value(json_object_get(info, "name")), profiles[p]);
		assert_string_equal(json_string_value(json_object_get(info, "profile")),
				    profiles[p]);
		assert_int_equal(strlen(json_string_value(json_object_get(info, "sha256"))), 64);
		assert_true(rs->ncaptures >= 3); /* accounts' three, and other areas' */
		ruleset_free(rs);
	}
}

static void test_default_profile_is_server(void **state)
{
	struct ruleset *rs = NULL;
	struct diag d;

	assert_int_equal(ruleset_load(NULL, NULL, &rs, &d), 0);
	assert_string_equal(rs->profile, "server");
	ruleset_free(rs);
	/* a baseline without "extends" takes --profile */
	static const char t[] = "{\"name\": \"b\"}";
	assert_int_equal(ruleset_load_mem("b.json", t, strlen(t), "terminal", &rs, &d), 0);
	assert_string_equal(rs->profile, "terminal");
	ruleset_free(rs);
	/* both given and equal is fine */
	static const char u[] = "{\"extends\": \"terminal\"}";
	assert_int_equal(ruleset_load_mem("b.json", u, strlen(u), "terminal", &rs, &d), 0);
	ruleset_free(rs);
}

/* sha256 of the baseline's bytes, as sha256sum(1) prints it. */
static void test_minimal_baseline(void **state)
{
	struct ruleset *rs = NULL;
	struct diag d;

	assert_int_equal(ruleset_load(FIXTURES "good-minimal.json", NULL, &rs, &d), 0);
	const json_t *info = rs->baseline_info;
	assert_string_equal(json_string_value(json_object_get(info, "name")), "good-minimal.json");
	assert_string_equal(json_string_value(json_object_get(info, "profile")), "server");
	assert_string_equal(json_string_value(json_object_get(info, "sha256")),
			    "3ca10b932111a1ad4b3b8e785dd542c9bbde569947fd5833909b833b0ff0d313");
	ruleset_free(rs);
	assert_int_equal(ruleset_check_file(FIXTURES "good-minimal.json", &d), 0);
}

static void test_full_baseline(void **state)
{
	struct ruleset *rs = NULL;
	struct diag d;
	int r = ruleset_load(FIXTURES "good-full.json", NULL, &rs, &d);

	if (r < 0)
		fail_msg("%s:%u:%u: %s", d.file, d.line, d.column, d.msg);
	const json_t *info = rs->baseline_info;
	assert_string_equal(json_string_value(json_object_get(info, "name")), "ward-3 terminals");
	assert_string_equal(json_string_value(json_object_get(info, "profile")), "terminal");
	assert_string_equal(json_string_value(json_object_get(info, "sha256")),
			    "f98f05fc4c52bcf9592563a63564e182b686657ea5e1ddf12462c237ec549ed9");
	/* parameters: overridden, kept, and the baseline's own */
	assert_int_equal(json_integer_value(json_object_get(rs->params, "max_inactive_days")), 60);
	assert_int_equal(json_array_size(json_object_get(rs->params, "admin_accounts")), 2);
	assert_int_equal(json_array_size(json_object_get(rs->params, "admin_groups")), 4);
	assert_int_equal(json_array_size(json_object_get(rs->params, "vendor_accounts")), 1);
	assert_true(json_is_null(json_object_get(rs->params, "known_admins")));
	/* disabled, severity overrides, added and replaced rules */
	assert_null(rule_by_id(rs, "groups.password_set"));
	assert_non_null(rule_by_id(rs, "accounts.never_used"));
	assert_string_equal(
	    json_string_value(json_object_get(rule_by_id(rs, "accounts.inactive"), "severity")),
	    "high");
	assert_string_equal(
	    json_string_value(json_object_get(rule_by_id(rs, "files.passwd_mode"), "severity")),
	    "info");
	assert_string_equal(json_string_value(json_object_get(
				rule_by_id(rs, "local.vendor_account_locked"), "severity")),
			    "low");
	const json_t *uid0 = rule_by_id(rs, "accounts.uid0_not_root");
	assert_non_null(
	    strstr(json_string_value(json_object_get(json_object_get(uid0, "title"), "en")),
		   "break-glass"));
	/* one entry per id: the baseline's replaced the library's */
	assert_int_equal(count_prefix(rs->rules, "accounts.uid0_not_root"), 1);
	assert_int_equal(count_prefix(rs->rules, "local."), 1);
	ruleset_free(rs);
}

/* A rule without a severity is medium; baseline severity wins over it. */
static void test_default_severity(void **state)
{
	static const char t[] =
	    "{\"severity\": {\"t.b\": \"info\"}, \"rules\": ["
	    "{\"id\": \"t.a\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, \"checklist\": {\"r7\": "
	    "[\"2-⑤\"]}, \"each\": \"groups\", \"when_empty\": \"unknown\", \"assert\": {\"path\": "
	    "\"gid\", \"op\": \"ge\", "
	    "\"value\": 0}, \"subject\": \"group:{name}\", \"message\": {\"ja\": \"m\", \"en\": "
	    "\"m\"}},"
	    "{\"id\": \"t.b\", \"severity\": \"high\", \"title\": {\"ja\": \"t\", \"en\": \"t\"}, "
	    "\"checklist\": {\"r6\": [\"2(4)\"]}, \"each\": \"groups\", \"when_empty\": "
	    "\"unknown\", "
	    "\"assert\": {\"path\": "
	    "\"gid\", \"op\": \"ge\", \"value\": 0}, \"subject\": \"group:{name}\", \"message\": "
	    "{\"ja\": \"m\", \"en\": \"m\"}}]}";
	struct ruleset *rs = NULL;
	struct diag d;
	int r = ruleset_load_mem("s.json", t, strlen(t), NULL, &rs, &d);

	if (r < 0)
		fail_msg("%s:%u:%u: %s", d.file, d.line, d.column, d.msg);
	assert_string_equal(json_string_value(json_object_get(rule_by_id(rs, "t.a"), "severity")),
			    "medium");
	assert_string_equal(json_string_value(json_object_get(rule_by_id(rs, "t.b"), "severity")),
			    "info");
	ruleset_free(rs);
}

/* The fixture files a user might be shown by `tenken baseline check`. */
static void test_bad_fixtures(void **state)
{
	static const struct {
		const char *file;
		unsigned line, column;
		const char *msg;
	} files[] = {
	    {FIXTURES "bad-unknown-field.json", 6, 25,
	     "unknown field \"lastlogin\" in collection \"accounts\""},
	    {FIXTURES "bad-syntax.json", 5, 3, "string or '}' expected"},
	    {FIXTURES "bad-param-type-crlf.json", 3, 35,
	     "parameter \"max_inactive_days\" must be a number"},
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct diag d;
		assert_int_equal(ruleset_check_file(files[i].file, &d), -EINVAL);
		if (d.line != files[i].line || d.column != files[i].column ||
		    !strstr(d.msg, files[i].msg))
			fail_msg("%s: got %u:%u: %s", files[i].file, d.line, d.column, d.msg);
		assert_string_equal(d.file, files[i].file);
	}
}

static char *print_rules(const struct ruleset *rs, const char *edition, const char *lang)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ruleset_print(rs, edition, lang, f);
	fclose(f);
	return out;
}

static void test_print(void **state)
{
	struct ruleset *rs = NULL;
	struct diag d;

	assert_int_equal(ruleset_load(NULL, "server", &rs, &d), 0);
	char *r6 = print_rules(rs, "r6", "en"), *r7 = print_rules(rs, "r7", "ja");
	char *r9 = print_rules(rs, "r9", "en");
	size_t lines = 0;
	for (const char *p = r6; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, rs->nprogs);
	assert_non_null(strstr(r6, "accounts.inactive"));
	assert_non_null(strstr(r6, " medium 2(5) "));
	assert_non_null(strstr(r6, "No usable account has gone unused"));
	assert_non_null(strstr(r7, " 2-⑤ "));
	assert_non_null(strstr(r7, "長期間ログインのないアカウントがない"));
	assert_non_null(strstr(r9, " - ")); /* no items in an unknown edition */
	free(r6);
	free(r7);
	free(r9);
	ruleset_free(rs);
}

/* `baseline init`: the profile's capture section over an inventory. */
static void test_capture(void **state)
{
	static const char inv[] =
	    "{\"accounts\": ["
	    "{\"name\": \"root\", \"interactive\": true, \"groups\": [\"root\"], \"sudo_all\": "
	    "true},"
	    "{\"name\": \"taro\", \"interactive\": true, \"groups\": [\"users\"], \"sudo_all\": "
	    "false},"
	    "{\"name\": \"admin1\", \"interactive\": true, \"groups\": [\"sudo\"], \"sudo_all\": "
	    "null},"
	    "{\"name\": \"ghost\", \"interactive\": null, \"groups\": [], \"sudo_all\": null},"
	    "{\"name\": \"daemon\", \"interactive\": false, \"groups\": [\"daemon\"], "
	    "\"sudo_all\": false},"
	    "{\"name\": \"alice\", \"interactive\": true, \"groups\": [\"wheel\", \"users\"], "
	    "\"sudo_all\": false}]}";
	struct ruleset *rs = NULL;
	struct diag d;
	json_t *out = NULL;
	json_auto_t *want =
	    json_loads("{\"known_accounts\": [\"admin1\", \"alice\", \"root\", \"taro\"],"
		       " \"admin_accounts\": [\"admin1\", \"alice\", \"root\"],"
		       " \"known_admins\": [\"admin1\", \"alice\", \"root\"]}",
		       0, NULL);
	json_auto_t *inventory = json_loads(inv, 0, NULL);

	assert_non_null(inventory);
	assert_int_equal(ruleset_load(NULL, "server", &rs, &d), 0);
	assert_int_equal(ruleset_capture(rs, inventory, &out), 0);
	if (!json_equal(out, want)) {
		char *s = json_dumps(out, 0);
		fail_msg("capture gave %s", s);
	}
	json_decref(out);
	/* no accounts collection: nothing captured, not an empty list */
	json_auto_t *empty = json_object();
	assert_int_equal(ruleset_capture(rs, empty, &out), 0);
	assert_int_equal(json_object_size(out), 0);
	json_decref(out);
	ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_baselines),
	    cmocka_unit_test(test_bad_in_memory),
	    cmocka_unit_test(test_messages_are_one_line),
	    cmocka_unit_test(test_io_errors),
	    cmocka_unit_test(test_unknown_profile_argument),
	    cmocka_unit_test(test_shipped_profiles),
	    cmocka_unit_test(test_default_profile_is_server),
	    cmocka_unit_test(test_minimal_baseline),
	    cmocka_unit_test(test_full_baseline),
	    cmocka_unit_test(test_default_severity),
	    cmocka_unit_test(test_bad_fixtures),
	    cmocka_unit_test(test_print),
	    cmocka_unit_test(test_capture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
