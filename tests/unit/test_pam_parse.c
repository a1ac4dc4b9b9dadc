/* test_pam_parse.c - PAM service files and pwquality/pwhistory/faillock
 * configuration (probes/parse/pam_parse.c) over tables of cases: types and
 * controls, [value=action] controls and bracketed arguments, @include,
 * include and substack, "-" types, continuation lines, CRLF, comments,
 * garbage, secrets in arguments, and the pwquality length arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "probes/parse/pam_parse.h"
#include "lib/util.h"

struct line_case {
	const char *text;
	size_t n;			     /* lines parsed */
	size_t nissues;			     /* problems reported */
	const char *type, *control, *module; /* of the first line */
	size_t nargs;
	bool include, dash;
	const char *arg0; /* first argument, after sanitising */
};

static const struct line_case line_cases[] = {
    {"auth required pam_unix.so nullok\n", 1, 0, "auth", "required", "pam_unix.so", 1, false, false,
     "nullok"},
    {"auth\t[success=1 default=ignore]\tpam_unix.so nullok try_first_pass", 1, 0, "auth",
     "[success=1 default=ignore]", "pam_unix.so", 2, false, false, "nullok"},
    {"@include common-auth\r\n", 1, 0, "", "include", "common-auth", 0, true, false, NULL},
    {"password include system-auth\n", 1, 0, "password", "include", "system-auth", 0, true, false,
     NULL},
    {"auth substack password-auth\n", 1, 0, "auth", "substack", "password-auth", 0, true, false,
     NULL},
    {"-session optional pam_systemd.so\n", 1, 0, "session", "optional", "pam_systemd.so", 0, false,
     true, NULL},
    {"# comment only\n\n   \n", 0, 0, NULL, NULL, NULL, 0, false, false, NULL},
    {"password requisite pam_pwquality.so \\\n  retry=3 \\\n  minlen=12 # trailing\n", 1, 0,
     "password", "requisite", "pam_pwquality.so", 2, false, false, "retry=3"},
    {"auth required pam_exec.so [arg with spaces] x\n", 1, 0, "auth", "required", "pam_exec.so", 2,
     false, false, "[arg with spaces]"},
    {"auth required pam_x.so secret=/etc/x password=hunter2 apikey=ABC pass=1\n", 1, 0, "auth",
     "required", "pam_x.so", 4, false, false, "secret"},
    {"auth required\n", 0, 1, NULL, NULL, NULL, 0, false, false, NULL},
    {"bogus required pam_unix.so\n", 0, 1, NULL, NULL, NULL, 0, false, false, NULL},
    {"@include\n", 0, 1, NULL, NULL, NULL, 0, false, false, NULL},
    {"auth required pam_unix.so\nno newline at the end", 1, 1, "auth", "required", "pam_unix.so", 0,
     false, false, NULL},
    {"auth required pam_unix.so \\", 1, 0, "auth", "required", "pam_unix.so", 0, false, false,
     NULL},
    {"\x01\x02\xff\xfe auth\x00 required pam_unix.so\n", 0, 1, NULL, NULL, NULL, 0, false, false,
     NULL},
};

static void run_line_case(size_t i, const struct line_case *c, size_t len)
{
	struct pam_file f;
	assert_int_equal(pam_parse(c->text, len, &f), 0);
	if (f.n != c->n || f.nissues != c->nissues)
		fail_msg("case %zu: %zu lines, %zu issues", i, f.n, f.nissues);
	if (c->type) {
		const struct pam_line *l = &f.v[0];
		assert_string_equal(l->type, c->type);
		assert_string_equal(l->control, c->control);
		assert_string_equal(l->module, c->module);
		assert_int_equal(l->nargs, c->nargs);
		assert_int_equal(l->include, c->include);
		assert_int_equal(l->dash, c->dash);
		if (c->arg0)
			assert_string_equal(l->args[0], c->arg0);
	}
	pam_file_free(&f);
}

static void test_lines(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(line_cases); i++) {
		const struct line_case *c = &line_cases[i];
		size_t len = strlen(c->text);
		if (c->text[0] == '\x01')
			len = 32; /* holds a NUL byte */
		run_line_case(i, c, len);
	}
}

/* No secret value survives sanitising, whatever the case of the key. */
static void test_secrets(void **state)
{
	static const char s[] = "auth required pam_x.so secret=S1 Password=S2 PASSWD=S3 key=S4 "
				"token=S5 api_key=S6 keep=me\n";
	struct pam_file f;
	assert_int_equal(pam_parse(s, strlen(s), &f), 0);
	assert_int_equal(f.v[0].nargs, 7);
	for (size_t i = 0; i < f.v[0].nargs; i++)
		assert_null(strchr(f.v[0].args[i], '=') && i < 6 ? "value kept" : NULL);
	assert_string_equal(f.v[0].args[6], "keep=me");
	pam_file_free(&f);
}

/* A 1 MiB line is reported with its line number and the limit, and
 * marks the file as not read whole; the next line still parses. So does
 * a logical line over the limit made of continuation lines: its last
 * piece is not taken for a line of its own. */
static void test_long_line(void **state)
{
	size_t n = (1u << 20) + 64;
	_cleanup_free_ char *s = malloc(n + 64);
	assert_non_null(s);
	memcpy(s, "# c\n", 4);
	memset(s + 4, 'a', n);
	memcpy(s + 4 + n, "\nauth required pam_unix.so\n", 28);
	struct pam_file f;
	assert_int_equal(pam_parse(s, strlen(s), &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.nissues, 1);
	assert_int_equal(f.issues[0].line, 2);
	assert_string_equal(f.issues[0].en,
			    "line longer than 65536 bytes (LIMIT_LINE): not read; this file's "
			    "stack is incomplete, so what depends on it is unknown");
	assert_non_null(strstr(f.issues[0].ja, "65536 バイト、LIMIT_LINE"));
	assert_true(f.line_unread);
	pam_file_free(&f);

	/* 40 continued lines of 2,000 bytes, then "auth ... pam_deny.so" */
	struct strbuf sb;
	strbuf_init(&sb, 1u << 20);
	for (int i = 0; i < 40; i++) {
		for (int j = 0; j < 2000; j++)
			strbuf_puts(&sb, "x");
		strbuf_puts(&sb, "\\\n");
	}
	strbuf_puts(&sb, "auth requisite pam_deny.so\nauth required pam_unix.so\n");
	assert_int_equal(pam_parse(sb.s, sb.len, &f), 0);
	assert_int_equal(f.nissues, 1);
	assert_int_equal(f.issues[0].line, 1);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].module, "pam_unix.so");
	assert_true(f.line_unread);
	pam_file_free(&f);
	strbuf_free(&sb);

	assert_int_equal(pam_parse("auth required pam_unix.so\n", 26, &f), 0);
	assert_false(f.line_unread);
	pam_file_free(&f);
}

static void test_module_name(void **state)
{
	char m[64];
	pam_module_name("/lib/x86_64-linux-gnu/security/pam_unix.so", m, sizeof(m));
	assert_string_equal(m, "pam_unix");
	pam_module_name("pam_faillock.so", m, sizeof(m));
	assert_string_equal(m, "pam_faillock");
	pam_module_name("pam_weird", m, sizeof(m));
	assert_string_equal(m, "pam_weird");
}

static void test_args(void **state)
{
	char *args[] = {"remember=5", "minlen=x", "use_authtok", "remember=7", "deny=3"};
	long v = -1;
	assert_int_equal(pam_arg_long(args, 5, "remember", &v), 1);
	assert_int_equal(v, 7); /* the last one wins */
	assert_int_equal(pam_arg_long(args, 5, "minlen", &v), -EINVAL);
	assert_int_equal(pam_arg_long(args, 5, "retry", &v), 0);
	assert_true(pam_arg_has(args, 5, "use_authtok"));
	assert_true(pam_arg_has(args, 5, "deny"));
	assert_false(pam_arg_has(args, 5, "use"));
}

struct pwq_case {
	const char *conf;
	const char *args[4];
	long minlen, minclass, min_length;
	unsigned bad;
};

static const struct pwq_case pwq_cases[] = {
    {"", {NULL}, 8, 0, 8, 0},
    {"# minlen = 20\nminlen = 12\nminclass=3\n", {NULL}, 12, 3, 12, 0},
    {"minlen = 12\n", {"minlen=14", NULL}, 14, 0, 14, 0},
    {"minlen = 10\ndcredit = 1\nucredit = 1\n", {NULL}, 10, 0, 8, 0},
    {"minlen = 10\ndcredit = -1\nocredit = -2\n", {NULL}, 10, 0, 10, 0},
    {"minlen = 3\n", {NULL}, 3, 0, 6, 0},
    {"minlen = abc\r\n= 5\nminlen = 9\r\nenforce_for_root\n", {NULL}, 9, 0, 9, 2},
    {"minlen=8\n", {"minclass=4", "dcredit=2", NULL}, 8, 4, 6, 0},
};

static void test_pwq(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(pwq_cases); i++) {
		const struct pwq_case *c = &pwq_cases[i];
		struct pwq q;
		size_t n = 0;
		pwq_defaults(&q);
		unsigned bad = pwq_conf_apply(&q, c->conf, strlen(c->conf));
		while (c->args[n])
			n++;
		pwq_args_apply(&q, (char *const *)c->args, n);
		if (q.v[PWQ_MINLEN] != c->minlen || q.v[PWQ_MINCLASS] != c->minclass ||
		    pwq_min_length(&q) != c->min_length || bad != c->bad)
			fail_msg("case %zu: minlen %ld minclass %ld min %ld bad %u", i,
				 q.v[PWQ_MINLEN], q.v[PWQ_MINCLASS], pwq_min_length(&q), bad);
	}
}

static void test_conf_long(void **state)
{
	static const char s[] = "# deny = 1\ndeny = 4\r\nunlock_time=600\ndeny = x\n";
	long v = 0;
	assert_int_equal(conf_long(s, strlen(s), "deny", &v), 1);
	assert_int_equal(v, 4);
	assert_int_equal(conf_long(s, strlen(s), "unlock_time", &v), 1);
	assert_int_equal(v, 600);
	assert_int_equal(conf_long(s, strlen(s), "remember", &v), 0);
}

/* pam.conf: names once each, lower case; one service's lines without
 * case, its first word dropped; a line of it with nothing else is an
 * issue, other services' bad lines are not. */
static void test_pam_conf(void **state)
{
	const char *s = "# c\nLogin auth required pam_unix.so\nsshd\nlogin \\\n"
			"  account [default=bad] pam_x.so a=b\nlogin\nSSHD auth include login\n";
	char **names = NULL;
	struct pam_file f;
	assert_int_equal(pam_conf_services(s, strlen(s), &names), 2);
	assert_string_equal(names[0], "login");
	assert_string_equal(names[1], "sshd");
	assert_null(names[2]);
	strv_free(names);
	assert_int_equal(pam_conf_parse(s, strlen(s), "LOGIN", &f), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].type, "auth");
	assert_string_equal(f.v[1].control, "[default=bad]");
	assert_int_equal(f.v[1].line, 4);
	assert_int_equal(f.nissues, 1);
	assert_int_equal(f.issues[0].line, 6);
	pam_file_free(&f);
	assert_int_equal(pam_conf_parse(s, strlen(s), "sshd", &f), 0);
	assert_int_equal(f.n, 1);
	assert_true(f.v[0].include);
	assert_string_equal(f.v[0].module, "login");
	pam_file_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines),	cmocka_unit_test(test_secrets),
	    cmocka_unit_test(test_pam_conf),	cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_module_name), cmocka_unit_test(test_args),
	    cmocka_unit_test(test_pwq),		cmocka_unit_test(test_conf_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
