/* test_sudoers.c - the sudoers reader: a table of parser cases (each
 * input was checked with visudo -c and, where valid, against cvtsudoers
 * -e -f json of sudo 1.9.13), include path resolution, and the include
 * walk over fixture roots (tests/fixtures/unit-sudoers) and roots built
 * at test time for what git cannot store (modes, FIFOs, deep chains). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "lib/limits.h"
#include "probes/read/sudoers.h"

#define FIX   "tests/fixtures/unit-sudoers"
#define SHA   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA64 "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

/* ---- running the pure parser ---------------------------------------------- */

struct run {
	json_t *errors;	  /* syntax errors: {"line", "en", "ja"} */
	json_t *warnings; /* sudoers_check */
	json_t *includes; /* [path, is_dir] */
	json_t *entries;
};

static void on_err(void *ud, const char *file, unsigned line, const char *en, const char *ja)
{
	json_array_append_new(ud, json_pack("{s:i,s:s,s:s}", "line", line, "en", en, "ja", ja));
}

static void on_inc(void *ud, const char *file, unsigned line, const char *path, int is_dir)
{
	struct run *r = ud;
	json_array_append_new(r->includes, json_pack("[s,b]", path, is_dir));
}

static void on_perr(void *ud, const char *file, unsigned line, const char *en, const char *ja)
{
	on_err(((struct run *)ud)->errors, file, line, en, ja);
}

static void run_parse(struct run *r, const char *in, size_t len)
{
	struct sudoers *s = sudoers_new();
	assert_non_null(s);
	r->errors = json_array();
	r->warnings = json_array();
	r->includes = json_array();
	assert_int_equal(sudoers_parse(s, "/etc/sudoers", in, len, on_perr, on_inc, r), 0);
	assert_int_equal(sudoers_check(s, on_err, r->warnings), 0);
	r->entries = sudoers_entries(s, "testhost", NULL);
	assert_non_null(r->entries);
	sudoers_free(s);
}

static void run_free(struct run *r)
{
	json_decref(r->errors);
	json_decref(r->warnings);
	json_decref(r->includes);
	json_decref(r->entries);
}

static char *dump(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Every key of each expected object equals the entry's; counts match. */
static void expect_entries(const char *name, const json_t *got, const char *want_text)
{
	json_error_t jerr;
	json_t *want = json_loads(want_text, 0, &jerr);
	if (!want)
		fail_msg("%s: bad expectation JSON: %s", name, jerr.text);
	char *g = dump(got);
	if (json_array_size(got) != json_array_size(want))
		fail_msg("%s: %zu entries, want %zu: %s", name, json_array_size(got),
			 json_array_size(want), g);
	size_t i;
	json_t *w;
	json_array_foreach(want, i, w) {
		const char *key;
		json_t *v;
		json_object_foreach(w, key, v) {
			json_t *a = json_object_get(json_array_get(got, i), key);
			if (!a || !json_equal(a, v))
				fail_msg("%s: entry %zu key %s differs: got %s", name, i, key, g);
		}
	}
	free(g);
	json_decref(want);
}

/* ---- the table ------------------------------------------------------------ */

struct pcase {
	const char *name;
	const char *in;
	const char *entries; /* JSON array of partial entries */
	int errors;	     /* syntax errors reported */
	unsigned err_line;   /* line of the first one, 0: not checked */
	int warnings;	     /* alias warnings from sudoers_check */
	const char *includes;
};

static const struct pcase cases[] = {
    {"debian default rules",
     "# comment\nDefaults\tenv_reset\nDefaults\tsecure_path=\"/usr/sbin:/usr/bin\"\n"
     "root\tALL=(ALL:ALL) ALL\n%sudo\tALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n",
     "[{\"line\":4,\"principals\":[\"root\"],\"hosts\":[\"ALL\"],\"runas\":[\":ALL\",\"ALL\"],"
     "\"commands\":[\"ALL\"],\"all_commands\":true,\"nopasswd\":false,\"negated\":false},"
     "{\"line\":5,\"principals\":[\"%sudo\"],\"all_commands\":true}]",
     0, 0, 0, "[[\"/etc/sudoers.d\",true]]"},
    {"nopasswd with arguments",
     "bob ALL=(root) NOPASSWD: /usr/bin/apt, /usr/bin/systemctl restart nginx\n",
     "[{\"runas\":[\"root\"],\"commands\":[\"/usr/bin/apt\","
     "\"/usr/bin/systemctl restart nginx\"],\"all_commands\":false,\"nopasswd\":true}]",
     0, 0, 0, NULL},
    /* the tag on a negated command grants nothing itself: only its
     * carry-over to /bin/ls makes u's rule NOPASSWD */
    {"tags carry over until PASSWD",
     "u ALL = NOPASSWD: !/bin/su, /bin/ls\nv ALL = NOPASSWD: !/bin/a, PASSWD: /bin/b, /bin/c\n"
     "w ALL = PASSWD: /bin/a, NOPASSWD: /bin/b, /bin/c\n",
     "[{\"commands\":[\"!/bin/su\",\"/bin/ls\"],\"nopasswd\":true},{\"nopasswd\":false},"
     "{\"commands\":[\"/bin/a\",\"/bin/b\",\"/bin/c\"],\"nopasswd\":true}]",
     0, 0, 0, NULL},
    {"PASSWD overrides NOPASSWD for the rest", "u ALL = NOPASSWD: PASSWD: /bin/a, /bin/b\n",
     "[{\"nopasswd\":false}]", 0, 0, 0, NULL},
    {"NOPASSWD on a negated command grants nothing", "u ALL = NOPASSWD: !/bin/su\n",
     "[{\"commands\":[\"!/bin/su\"],\"nopasswd\":false,\"all_commands\":false}]", 0, 0, 0, NULL},
    {"run-as carries over until the next (list)",
     "u ALL = (bob) /bin/a, /bin/b, (carol : adm) /bin/c\n",
     "[{\"runas\":[\":adm\",\"bob\",\"carol\"]}]", 0, 0, 0, NULL},
    {"no Runas_Spec means root; () and (:grp) add no user",
     "a ALL = /bin/a\nb ALL = () /bin/b\nc ALL = (:wheel) /bin/c\nd ALL = (:) /bin/d\n",
     "[{\"runas\":[\"root\"]},{\"runas\":[]},{\"runas\":[\":wheel\"]},{\"runas\":[]}]", 0, 0, 0,
     NULL},
    {"backslash continues a line, also inside arguments",
     "u ALL = /bin/a, \\\n   /bin/b \\  \n  -x\nv ALL = ALL\n",
     "[{\"line\":1,\"commands\":[\"/bin/a\",\"/bin/b -x\"]},{\"line\":4}]", 0, 0, 0, NULL},
    {"a comment ending in a backslash does not continue", "x ALL = ALL # c \\\ny ALL = ALL\n",
     "[{\"principals\":[\"x\"]},{\"principals\":[\"y\"],\"line\":2}]", 0, 0, 0, NULL},
    {"':' starts a new privilege: tags and run-as reset",
     "x h1 = (bob) NOPASSWD: /bin/a : h2 = /bin/b\n",
     "[{\"hosts\":[\"h1\",\"h2\"],\"runas\":[\"bob\",\"root\"],"
     "\"commands\":[\"/bin/a\",\"/bin/b\"],\"nopasswd\":true}]",
     0, 0, 0, NULL},
    {"several aliases on one line, every alias type",
     "User_Alias ADM = alice, bob : OPS = carol\nCmnd_Alias SHUT = /sbin/shutdown, "
     "/sbin/reboot\nHost_Alias WEB = web1, web2\nRunas_Alias DB = postgres, mysql\n"
     "ADM, OPS WEB = (DB) SHUT\n",
     "[{\"line\":5,\"principals\":[\"alice\",\"bob\",\"carol\"],\"hosts\":[\"web1\",\"web2\"],"
     "\"runas\":[\"mysql\",\"postgres\"],\"commands\":[\"/sbin/reboot\",\"/sbin/shutdown\"]}]",
     0, 0, 0, NULL},
    {"nested aliases expand recursively",
     "User_Alias A = B, x\nUser_Alias B = C, y\nUser_Alias C = z\nA ALL = ALL\n",
     "[{\"principals\":[\"x\",\"y\",\"z\"]}]", 0, 0, 0, NULL},
    {"an alias may be used above its definition", "A ALL = ALL\nUser_Alias A = late\n",
     "[{\"principals\":[\"late\"]}]", 0, 0, 0, NULL},
    {"alias loop: reported, the loop adds nothing",
     "User_Alias A = B, a\nUser_Alias B = A, b\nA ALL = ALL\n", "[{\"principals\":[\"a\",\"b\"]}]",
     0, 0, 1, NULL},
    {"undefined alias matches nothing and is reported", "UNDEF ALL = ALL\nx ALL = NOCMDS\n",
     "[{\"principals\":[]},{\"commands\":[],\"all_commands\":false}]", 0, 0, 2, NULL},
    {"alias defined twice: the first definition wins",
     "User_Alias A = first\nUser_Alias A = second\nA ALL = ALL\n", "[{\"principals\":[\"first\"]}]",
     0, 0, 1, NULL},
    {"aliases of different types do not collide",
     "User_Alias X = u\nHost_Alias X = h\nCmnd_Alias X = /bin/x\nRunas_Alias X = r\n"
     "X X = (X) X\n",
     "[{\"principals\":[\"u\"],\"hosts\":[\"h\"],\"runas\":[\"r\"],\"commands\":[\"/bin/x\"]}]", 0,
     0, 0, NULL},
    {"negation composes by parity through aliases",
     "User_Alias A = alice, !bob\n!A, carol ALL = ALL\n!!dave ALL = ALL\n",
     "[{\"principals\":[\"!alice\",\"bob\",\"carol\"],\"negated\":true},"
     "{\"principals\":[\"dave\"],\"negated\":false}]",
     0, 0, 0, NULL},
    {"negated commands and !ALL",
     "Cmnd_Alias SU = /bin/su, !/bin/sh\nx ALL = ALL, !SU\ny ALL = !ALL\n",
     "[{\"commands\":[\"!/bin/su\",\"/bin/sh\",\"ALL\"],\"all_commands\":true},"
     "{\"commands\":[\"!ALL\"],\"all_commands\":false}]",
     0, 0, 0, NULL},
    {"NOPASSWD passes into a Cmnd_Alias", "Cmnd_Alias C = /bin/a, /bin/b\nx ALL = NOPASSWD: C\n",
     "[{\"commands\":[\"/bin/a\",\"/bin/b\"],\"nopasswd\":true}]", 0, 0, 0, NULL},
    {"Defaults:user !authenticate removes the password for that user",
     "Defaults:alice !authenticate\nalice ALL = ALL\nbob ALL = ALL\n",
     "[{\"nopasswd\":true,\"nopasswd_tag\":false,\"nopasswd_defaults\":[\"/etc/sudoers:1\"]},"
     "{\"nopasswd\":false,\"nopasswd_defaults\":[]}]",
     0, 0, 0, NULL},
    {"an explicit PASSWD tag wins over Defaults !authenticate",
     "Defaults !authenticate\nalice ALL = PASSWD: /bin/a, /bin/b\nbob ALL = NOPASSWD: /bin/c\n",
     "[{\"nopasswd\":false},{\"nopasswd\":true,\"nopasswd_tag\":true,\"nopasswd_defaults\":[]}]", 0,
     0, 0, NULL},
    {"Defaults!cmnd applies to the commands it names",
     "Cmnd_Alias LS = /bin/ls\nDefaults!LS !authenticate\nalice ALL = /bin/cat\nbob ALL = ALL\n"
     "carl ALL = /bin/ls -l\n",
     "[{\"nopasswd\":false},{\"nopasswd\":true},{\"nopasswd\":true}]", 0, 0, 0, NULL},
    {"Defaults@host against the host name; an address cannot be told",
     "Defaults@testhost !authenticate\nalice ALL = ALL\n"
     "Defaults@other authenticate\nDefaults@10.0.0.0/8 authenticate\nbob ALL = ALL\n",
     "[{\"line\":2,\"nopasswd\":null},{\"line\":5,\"nopasswd\":null}]", 0, 0, 0, NULL},
    {"file order for generic, host, user and runas; command Defaults last",
     "Defaults:alice !authenticate\nDefaults authenticate\nalice ALL = ALL\n"
     "Defaults!ALL !authenticate\nDefaults:bob authenticate\nbob ALL = ALL\n",
     "[{\"nopasswd\":true,\"nopasswd_defaults\":[\"/etc/sudoers:4\"]},{\"nopasswd\":true}]", 0, 0,
     0, NULL},
    {"Defaults>runas against the grant's run-as users",
     "Defaults>root !authenticate\nalice ALL = (bob) ALL\nbob ALL = ALL\n",
     "[{\"nopasswd\":false},{\"nopasswd\":true}]", 0, 0, 0, NULL},
    {"a command regex against Defaults!cmnd cannot be told",
     "Defaults!/bin/ls !authenticate\nalice ALL = ^/bin/.*$\n", "[{\"nopasswd\":null}]", 0, 0, 0,
     NULL},
    {"a group with no known member against a user binding cannot be told",
     "Defaults:alice !authenticate\n%ldap ALL = ALL\n", "[{\"nopasswd\":null}]", 0, 0, 0, NULL},
    {"Defaults variants are skipped, not user specs",
     "Defaults env_reset\nDefaults:alice !authenticate\nDefaults@host1 log_output\n"
     "Defaults!/bin/ls noexec\nDefaults>root !set_logname\nDefaults env_keep += \"A B \\\n"
     " C\"\nDefaults secure_path=\"/a:/b#c\" # comment\nDefaultsx ALL = ALL\n",
     "[{\"line\":9,\"principals\":[\"Defaultsx\"]}]", 0, 0, 0, NULL},
    {"principals keep their sudoers spelling",
     "#1000 ALL = ALL\n%#1001 ALL = ALL\n%:nonunix ALL = ALL\n+netgrp ALL = ALL\n"
     "\"%sudo\" ALL = ALL\nALL ALL = ALL\n",
     "[{\"principals\":[\"#1000\"]},{\"principals\":[\"%#1001\"]},"
     "{\"principals\":[\"%:nonunix\"]},{\"principals\":[\"+netgrp\"]},"
     "{\"principals\":[\"%sudo\"]},{\"principals\":[\"ALL\"]}]",
     0, 0, 0, NULL},
    {"escapes: \\, \\: \\= in commands, \\x41 in words, \\* kept",
     "x\\x41 ALL = /bin/echo a\\,b\\:c\\=d, /bin/ls \\*, /bin/my\\ prog arg\n",
     "[{\"principals\":[\"xA\"],\"commands\":[\"/bin/echo a,b:c=d\",\"/bin/ls \\\\*\","
     "\"/bin/my prog arg\"]}]",
     0, 0, 0, NULL},
    {"digests are kept (hex, base64, lists); '!' comes after them",
     "x ALL = sha256:" SHA " /bin/ls, sha256:" SHA64 " /bin/a, sha256:" SHA ", sha256:" SHA
     " /bin/b, sha256:" SHA " !/bin/c, sha256:" SHA " ALL\n",
     /* sorted bytewise: '!' < base64 '4' < hex 'e'; ' ' < ',' */
     "[{\"commands\":[\"!sha256:" SHA " /bin/c\",\"sha256:" SHA64 " /bin/a\","
     "\"sha256:" SHA " /bin/ls\",\"sha256:" SHA " ALL\",\"sha256:" SHA ",sha256:" SHA
     " /bin/b\"],\"all_commands\":false}]",
     0, 0, 0, NULL},
    {"sudoedit, regex, directory, list, empty arguments",
     "x ALL = sudoedit /etc/hosts, sudoedit, ^/usr/bin/a.*$, /usr/bin/, list, /bin/ls \"\"\n",
     "[{\"commands\":[\"/bin/ls \\\"\\\"\",\"/usr/bin/\",\"^/usr/bin/a.*$\",\"list\","
     "\"sudoedit\",\"sudoedit /etc/hosts\"]}]",
     0, 0, 0, NULL},
    {"options before tags; '=' inside an argument",
     "x ALL = (root) TIMEOUT=5 CWD=* NOPASSWD: /bin/prog --opt=val\n",
     "[{\"commands\":[\"/bin/prog --opt=val\"],\"nopasswd\":true}]", 0, 0, 0, NULL},
    {"hosts: IPv6, networks, negation", "x fe80::1, 10.0.0.0/8, !db = ALL\n",
     "[{\"hosts\":[\"!db\",\"10.0.0.0/8\",\"fe80::1\"]}]", 0, 0, 0, NULL},
    {"CRLF line ends and no final newline",
     "x ALL = (root) NOPASSWD: /bin/a\r\ny ALL = ALL # c\r\nz ALL = /bin/z",
     "[{\"commands\":[\"/bin/a\"],\"nopasswd\":true},{\"principals\":[\"y\"]},"
     "{\"commands\":[\"/bin/z\"],\"line\":3}]",
     0, 0, 0, NULL},
    {"includes: @ and # forms, quoted, relative; indented #include is a comment",
     "@include /etc/a\n#include b\n#includedir /etc/d\n@includedir \"/etc/with space\"\n"
     "@include /etc/x\\ y\n  #include /etc/not\n#include\n#includex /etc/no\n",
     "[]", 0, 0, 0,
     "[[\"/etc/a\",false],[\"b\",false],[\"/etc/d\",true],[\"/etc/with space\",true],"
     "[\"/etc/x y\",false]]"},
    {"Cmd_Alias is a synonym", "Cmd_Alias C = /bin/a\nx ALL = C\n", "[{\"commands\":[\"/bin/a\"]}]",
     0, 0, 0, NULL},
    /* broken input: each was a syntax error for visudo -c */
    {"no '=' after the host", "alice ALL\nbob ALL = ALL\n", "[{\"principals\":[\"bob\"]}]", 1, 1, 0,
     NULL},
    {"bad escape in arguments", "alice ALL = /bin/echo \\d\n", "[]", 1, 1, 0, NULL},
    {"arguments of a directory", "alice ALL = /usr/bin/ foo\n", "[]", 1, 1, 0, NULL},
    {"'=' alone as an argument", "alice ALL = /bin/echo =\n", "[]", 1, 1, 0, NULL},
    {"ALL and lowercase as alias names", "User_Alias ALL = x\nUser_Alias low = y\n", "[]", 2, 1, 0,
     NULL},
    {"options after tags", "x ALL = NOPASSWD: TIMEOUT=5 /bin/ls\n", "[]", 1, 1, 0, NULL},
    {"'!' before a digest, a short digest",
     "x ALL = !sha256:" SHA " /bin/ls\ny ALL = sha256:abcd /bin/ls\n", "[]", 2, 1, 0, NULL},
    {"relative and quoted commands", "x ALL = ls\ny ALL = \"/bin/ls\"\n", "[]", 2, 1, 0, NULL},
    {"unterminated and empty strings, empty group and netgroup",
     "\"alice ALL = ALL\n\"\" ALL = ALL\n% ALL = ALL\n+ ALL = ALL\n", "[]", 4, 1, 0, NULL},
    {"text after the rule, #uid after a command",
     "x ALL = ALL foo\nx ALL = /bin/ls #1\nok ALL = ALL\n",
     "[{\"principals\":[\"ok\"],\"line\":3}]", 2, 1, 0, NULL},
    {"unclosed run-as list, '>' in a name", "x ALL = (root /bin/ls\nx>y ALL = ALL\n", "[]", 2, 1, 0,
     NULL},
    {"a path as a user, a bad include", "/bin/x ALL = ALL\n@include\n@include /a b\n", "[]", 3, 1,
     0, NULL},
    {"garbage, then a good line", "\x01\x02garbage ::: === ,,,\n)(*&^%$#@!\n\\\\ x\nok ALL = ALL\n",
     "[{\"principals\":[\"ok\"]}]", -1, 1, 0, NULL},
};

static void test_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct pcase *c = &cases[i];
		struct run r;
		run_parse(&r, c->in, strlen(c->in));
		expect_entries(c->name, r.entries, c->entries);
		size_t nerr = json_array_size(r.errors);
		char *e = dump(r.errors);
		if (c->errors >= 0 ? nerr != (size_t)c->errors : nerr == 0)
			fail_msg("%s: %zu syntax errors, want %d: %s", c->name, nerr, c->errors, e);
		json_int_t line =
		    json_integer_value(json_object_get(json_array_get(r.errors, 0), "line"));
		if (c->err_line && line != c->err_line)
			fail_msg("%s: first error on line %lld, want %u", c->name, (long long)line,
				 c->err_line);
		free(e);
		e = dump(r.warnings);
		if (json_array_size(r.warnings) != (size_t)c->warnings)
			fail_msg("%s: %zu warnings, want %d: %s", c->name,
				 json_array_size(r.warnings), c->warnings, e);
		free(e);
		json_t *want = json_loads(c->includes ? c->includes : "[]", 0, NULL);
		if (!json_equal(want, r.includes))
			fail_msg("%s: includes %s", c->name, (e = dump(r.includes)));
		json_decref(want);
		run_free(&r);
	}
}

/* Every message has both languages, and the Japanese one is not the
 * English one. */
static void test_messages_bilingual(void **state)
{
	struct run r;
	const char *in = "x ALL\nUNDEF ALL = ALL\n\"a\n";
	run_parse(&r, in, strlen(in));
	json_t *all[] = {r.errors, r.warnings};
	for (size_t k = 0; k < 2; k++) {
		size_t i;
		json_t *m;
		assert_true(json_array_size(all[k]) > 0);
		json_array_foreach(all[k], i, m) {
			const char *en = json_string_value(json_object_get(m, "en"));
			const char *ja = json_string_value(json_object_get(m, "ja"));
			assert_true(en && ja && *en && *ja && strcmp(en, ja));
		}
	}
	run_free(&r);
}

/* A NUL ends its physical line, as in sudo's reader: the rest of that
 * line is dropped (reported), the next line is read. */
static void test_nul_bytes(void **state)
{
	static const char in[] = "alice ALL=/bin/ls\0 -x , /bin/rm\nbob ALL=ALL\n\0\0\n"
				 "carol ALL=/bin/a, \\\n\0/bin/b\n";
	struct run r;
	run_parse(&r, in, sizeof(in) - 1);
	expect_entries("nul", r.entries,
		       "[{\"principals\":[\"alice\"],\"commands\":[\"/bin/ls\"]},"
		       "{\"principals\":[\"bob\"]}]");
	/* carol's continuation line is empty after the NUL: "/bin/a," then
	 * end of line is a syntax error, as in sudo */
	assert_int_equal(json_array_size(r.errors), 4);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(r.errors, 0), "line")),
			 1);
	run_free(&r);
}

/* Bytes that are not UTF-8 survive as \xNN escapes in valid JSON. */
static void test_invalid_utf8(void **state)
{
	static const char in[] = "\xff\xfeuser ALL = /bin/\xe3\x81\x82 \xc3\x28\n";
	struct run r;
	run_parse(&r, in, sizeof(in) - 1);
	assert_int_equal(json_array_size(r.errors), 0);
	char *d = json_dumps(r.entries, JSON_COMPACT);
	assert_non_null(d);
	json_t *back = json_loads(d, 0, NULL);
	assert_non_null(back);
	expect_entries("utf8", r.entries,
		       "[{\"principals\":[\"\\\\xff\\\\xfeuser\"],"
		       "\"commands\":[\"/bin/\u3042 \\\\xc3(\"]}]");
	json_decref(back);
	free(d);
	run_free(&r);
}

/* A 1 MiB line is reported and skipped; the next line is read. */
static void test_long_line(void **state)
{
	size_t n = 1u << 20;
	char *in = malloc(n + 64);
	assert_non_null(in);
	memcpy(in, "alice ALL = /bin/ls ", 20);
	memset(in + 20, 'a', n);
	const char tail[] = "\nbob ALL = ALL\n";
	memcpy(in + 20 + n, tail, sizeof(tail));
	struct run r;
	run_parse(&r, in, strlen(in));
	expect_entries("long", r.entries, "[{\"principals\":[\"bob\"],\"line\":2}]");
	assert_int_equal(json_array_size(r.errors), 1);
	run_free(&r);
	free(in);
}

/* Exponential aliases (each level names the one below three times) are
 * cut at the expansion budget and reported, quickly. */
static void test_alias_bomb(void **state)
{
	char in[4096];
	size_t o = (size_t)snprintf(in, sizeof(in), "User_Alias A0 = leaf1, leaf2\n");
	for (int i = 1; i < 40; i++)
		o += (size_t)snprintf(in + o, sizeof(in) - o, "User_Alias A%d = A%d, A%d, A%d\n", i,
				      i - 1, i - 1, i - 1);
	snprintf(in + o, sizeof(in) - o, "A39 ALL = ALL\n");
	struct run r;
	run_parse(&r, in, strlen(in));
	expect_entries("bomb", r.entries, "[{\"principals\":[\"leaf1\",\"leaf2\"]}]");
	assert_int_equal(json_array_size(r.warnings), 1); /* truncated */
	run_free(&r);
}

/* A chain of aliases deeper than LIMIT_ALIAS_DEPTH stops there. */
static void test_alias_chain(void **state)
{
	size_t cap = 64 * 1024, o = 0;
	char *in = malloc(cap);
	assert_non_null(in);
	for (unsigned i = 0; i < 2 * LIMIT_ALIAS_DEPTH; i++)
		o += (size_t)snprintf(in + o, cap - o, "User_Alias C%u = C%u, u%u\n", i, i + 1, i);
	snprintf(in + o, cap - o, "C0 ALL = ALL\n");
	struct run r;
	run_parse(&r, in, strlen(in));
	json_t *p = json_object_get(json_array_get(r.entries, 0), "principals");
	assert_int_equal(json_array_size(p), LIMIT_ALIAS_DEPTH);
	/* the undefined C128 at the end of the chain, and the truncation */
	assert_int_equal(json_array_size(r.warnings), 2);
	run_free(&r);
	free(in);
}

/* Random bytes never crash the parser and never produce invalid JSON. */
static void test_random_garbage(void **state)
{
	static const char alphabet[] = "\\\"#!:,=()/ \n\t\r%+^$Aa0@\x00\xff";
	unsigned seed = 12345;
	char *in = malloc(1u << 16);
	assert_non_null(in);
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < (1u << 16); i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = round % 2 ? (char)(seed >> 16)
					  : alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		struct run r;
		run_parse(&r, in, 1u << 16);
		char *d = json_dumps(r.entries, JSON_COMPACT);
		assert_non_null(d);
		free(d);
		run_free(&r);
	}
	free(in);
}

/* ---- include paths ------------------------------------------------------------ */

static void test_include_path(void **state)
{
	static const struct {
		const char *from, *path, *host, *want;
		int err;
	} t[] = {
	    {"/etc/sudoers", "/etc/sudoers.d", "web", "/etc/sudoers.d", 0},
	    {"/etc/sudoers", "sudoers.local", "web", "/etc/sudoers.local", 0},
	    {"/etc/sudoers.d/10-x", "../other", NULL, "/etc/sudoers.d/../other", 0},
	    {"/etc/sudoers", "/etc/sudoers.%h", "web01", "/etc/sudoers.web01", 0},
	    {"/etc/sudoers", "%h/%h.conf", "a", "/etc/a/a.conf", 0},
	    {"/etc/sudoers", "/etc/100%", NULL, "/etc/100%", 0},
	    {"/etc/sudoers", "/etc/sudoers.%h", NULL, NULL, -ENODATA},
	    {"/etc/sudoers", "", "web", NULL, -EINVAL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char *got = NULL;
		assert_int_equal(sudoers_include_path(t[i].from, t[i].path, t[i].host, &got),
				 t[i].err);
		if (t[i].want)
			assert_string_equal(got, t[i].want);
		free(got);
	}
	char *big = malloc(LIMIT_PATH + 2), *got = NULL;
	assert_non_null(big);
	memset(big, 'a', LIMIT_PATH + 1);
	big[0] = '/';
	big[LIMIT_PATH + 1] = '\0';
	assert_int_equal(sudoers_include_path("/etc/sudoers", big, "h", &got), -ENAMETOOLONG);
	free(big);
}

/* ---- the include walk ------------------------------------------------------ */

struct walk {
	struct fsroot *root;
	struct probe_ctx ctx;
	json_t *files;
	json_t *entries;
	int ret;
};

static void walk(struct walk *w, const char *dir)
{
	memset(w, 0, sizeof(*w));
	assert_int_equal(fsroot_open(dir, FSROOT_AUTO, &w->root), 0);
	w->ctx.root = w->root;
	w->ctx.offline = true;
	w->ctx.messages = json_array();
	w->files = json_array();
	w->ret = sudoers_collect(&w->ctx, w->files, NULL, &w->entries);
}

static void walk_free(struct walk *w)
{
	json_decref(w->ctx.messages);
	json_decref(w->files);
	json_decref(w->entries);
	fsroot_free(w->root);
}

/* How many messages contain text (in English). */
static size_t msgs_with(const struct walk *w, const char *text)
{
	size_t i, n = 0;
	json_t *m;
	json_array_foreach(w->ctx.messages, i, m) {
		const char *en = json_string_value(json_object_get(m, "en"));
		n += en && strstr(en, text);
	}
	return n;
}

static const json_t *file_fact(const struct walk *w, const char *path)
{
	size_t i;
	json_t *f;
	json_array_foreach(w->files, i, f) {
		if (!strcmp(json_string_value(json_object_get(f, "path")), path))
			return f;
	}
	return NULL;
}

static void test_walk_debian(void **state)
{
	struct walk w;
	walk(&w, FIX "/debian");
	assert_int_equal(w.ret, 0);
	assert_false(w.ctx.partial);
	assert_int_equal(json_array_size(w.ctx.messages), 0);
	expect_entries(
	    "debian", w.entries,
	    "[{\"file\":\"/etc/sudoers\",\"principals\":[\"root\"],\"all_commands\":true},"
	    "{\"file\":\"/etc/sudoers\",\"principals\":[\"%sudo\"],"
	    "\"runas\":[\":ALL\",\"ALL\"]}]");
	assert_int_equal(json_array_size(w.files), 2);
	const json_t *f = file_fact(&w, "/etc/sudoers.d/README");
	assert_non_null(f);
	assert_true(json_is_true(json_object_get(f, "exists")));
	assert_string_equal(json_string_value(json_object_get(f, "type")), "file");
	assert_true(json_is_null(json_object_get(f, "owner")));
	assert_true(json_is_integer(json_object_get(f, "uid")));
	walk_free(&w);
}

static void test_walk_includes(void **state)
{
	struct walk w;
	walk(&w, FIX "/includes");
	assert_int_equal(w.ret, 0);
	expect_entries(
	    "includes", w.entries,
	    "[{\"file\":\"/etc/loop-b\",\"principals\":[\"frank\"]},"
	    "{\"file\":\"/etc/sudoers\",\"principals\":[\"root\"]},"
	    "{\"file\":\"/etc/sudoers.d/10-ops\",\"principals\":[\"%ops\"]},"
	    "{\"file\":\"/etc/sudoers.d/20-bad\",\"principals\":[\"dave\"],\"line\":2},"
	    "{\"file\":\"/etc/sudoers.d/30-link\",\"principals\":[\"grace\"]},"
	    "{\"file\":\"/etc/sudoers.d/40-a\",\"principals\":[\"erin\"]},"
	    "{\"file\":\"/etc/sudoers.local\",\"principals\":[\"alice\"],\"nopasswd\":true},"
	    "{\"file\":\"/etc/sudoers.loop\",\"principals\":[\"carol\"]},"
	    "{\"file\":\"/etc/sudoers.web01\",\"principals\":[\"bob\"]}]");
	assert_int_equal(msgs_with(&w, "included file does not exist"), 1);
	assert_int_equal(msgs_with(&w, "include loop"), 2);
	assert_int_equal(msgs_with(&w, "/etc/sudoers.d/20-bad:1: expected '='"), 1);
	assert_int_equal(msgs_with(&w, "nonexistent"), 0);
	assert_true(w.ctx.partial); /* the syntax error */
	/* skipped names and the subdirectory were never read */
	assert_null(file_fact(&w, "/etc/sudoers.d/backup~"));
	assert_null(file_fact(&w, "/etc/sudoers.d/x.conf"));
	assert_null(file_fact(&w, "/etc/sudoers.d/sub"));
	const json_t *f = file_fact(&w, "/etc/missing");
	assert_non_null(f);
	assert_true(json_is_false(json_object_get(f, "exists")));
	f = file_fact(&w, "/etc/sudoers.d/30-link");
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f, "type")), "symlink");
	assert_true(json_is_true(json_object_get(f, "exists")));
	assert_non_null(json_string_value(json_object_get(f, "mode")));
	walk_free(&w);
}

/* ---- roots built at test time ------------------------------------------------ */

struct tmproot {
	char dir[64];
};

static void tmproot_make(struct tmproot *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/tenken-sudoers-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	char p[128];
	snprintf(p, sizeof(p), "%s/etc", t->dir);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void put(const struct tmproot *t, const char *name, const char *content, mode_t mode)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", t->dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
}

static void tmproot_rm(struct tmproot *t)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

static void test_walk_missing_main(void **state)
{
	struct tmproot t;
	struct walk w;
	tmproot_make(&t);
	walk(&w, t.dir);
	assert_int_equal(w.ret, 0);
	assert_non_null(w.entries);
	assert_int_equal(json_array_size(w.entries), 0); /* no sudo: genuinely no rules */
	assert_false(w.ctx.partial);
	assert_int_equal(json_array_size(w.ctx.messages), 0);
	const json_t *f = file_fact(&w, "/etc/sudoers");
	assert_non_null(f);
	assert_true(json_is_false(json_object_get(f, "exists")));
	assert_true(json_is_null(json_object_get(f, "mode")));
	walk_free(&w);
	tmproot_rm(&t);
}

static void test_walk_modes(void **state)
{
	struct tmproot t;
	struct walk w;
	tmproot_make(&t);
	put(&t, "etc/sudoers", "x ALL = ALL\n@include /etc/open\n", 0440);
	put(&t, "etc/open", "y ALL = NOPASSWD: ALL\n", 0666);
	walk(&w, t.dir);
	assert_int_equal(json_array_size(w.entries), 2);
	const json_t *f = file_fact(&w, "/etc/sudoers");
	assert_string_equal(json_string_value(json_object_get(f, "mode")), "0440");
	assert_int_equal(json_integer_value(json_object_get(f, "uid")), getuid());
	f = file_fact(&w, "/etc/open");
	assert_string_equal(json_string_value(json_object_get(f, "mode")), "0666");
	walk_free(&w);
	tmproot_rm(&t);
}

/* /etc/sudoers that cannot be read: a directory, a FIFO, too big. The
 * answer is unknown (NULL), never an empty list; a FIFO must not hang. */
static void test_walk_unreadable_main(void **state)
{
	for (int kind = 0; kind < 3; kind++) {
		struct tmproot t;
		struct walk w;
		char p[128];
		tmproot_make(&t);
		snprintf(p, sizeof(p), "%s/etc/sudoers", t.dir);
		if (kind == 0) {
			assert_int_equal(mkdir(p, 0755), 0);
		} else if (kind == 1) {
			assert_int_equal(mkfifo(p, 0644), 0);
		} else {
			FILE *f = fopen(p, "w");
			assert_non_null(f);
			for (size_t i = 0; i <= LIMIT_CONFIG_FILE / 16; i++)
				fputs("x ALL = /bin/ls\n", f);
			fclose(f);
		}
		walk(&w, t.dir);
		assert_int_equal(w.ret, 0);
		assert_null(w.entries);
		assert_true(w.ctx.partial);
		assert_int_equal(json_array_size(w.ctx.messages), 1);
		walk_free(&w);
		tmproot_rm(&t);
	}
}

/* A chain sudoers -> d1 -> d2 -> ... deeper than LIMIT_INCLUDE_DEPTH. */
static void test_walk_depth(void **state)
{
	struct tmproot t;
	struct walk w;
	char name[64], body[128];
	tmproot_make(&t);
	put(&t, "etc/sudoers", "@include d1\n", 0440);
	for (int i = 1; i <= LIMIT_INCLUDE_DEPTH + 4; i++) {
		snprintf(name, sizeof(name), "etc/d%d", i);
		snprintf(body, sizeof(body), "u%d ALL = ALL\n@include d%d\n", i, i + 1);
		put(&t, name, body, 0440);
	}
	walk(&w, t.dir);
	assert_int_equal(w.ret, 0);
	assert_int_equal(json_array_size(w.entries), LIMIT_INCLUDE_DEPTH);
	assert_int_equal(msgs_with(&w, "nested too deeply"), 1);
	assert_true(w.ctx.partial);
	walk_free(&w);
	tmproot_rm(&t);
}

/* The same directory included again and again stops at
 * LIMIT_SUDOERS_FILES files, with one message. */
static void test_walk_fanout(void **state)
{
	struct tmproot t;
	struct walk w;
	char name[64];
	tmproot_make(&t);
	char p[128];
	snprintf(p, sizeof(p), "%s/etc/d", t.dir);
	assert_int_equal(mkdir(p, 0755), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "etc/d/f%d", i);
		put(&t, name, "u ALL = ALL\n", 0440);
	}
	size_t n = 0, cap = 200 * 20;
	char *main_file = malloc(cap);
	assert_non_null(main_file);
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(main_file + n, cap - n, "@includedir /etc/d\n");
	put(&t, "etc/sudoers", main_file, 0440);
	free(main_file);
	walk(&w, t.dir);
	assert_int_equal(w.ret, 0);
	assert_int_equal(json_array_size(w.entries), LIMIT_SUDOERS_FILES - 1);
	assert_int_equal(msgs_with(&w, "too many sudoers files"), 1);
	walk_free(&w);
	tmproot_rm(&t);
}

/* %h without a usable /etc/hostname: reported, that include not read. */
static void test_walk_no_hostname(void **state)
{
	struct tmproot t;
	struct walk w;
	tmproot_make(&t);
	put(&t, "etc/sudoers", "@include /etc/sudoers.%h\nx ALL = ALL\n", 0440);
	put(&t, "etc/hostname", "bad/name\n", 0644);
	walk(&w, t.dir);
	assert_int_equal(json_array_size(w.entries), 1);
	assert_int_equal(msgs_with(&w, "host name is unknown"), 1);
	walk_free(&w);
	tmproot_rm(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_messages_bilingual),
	    cmocka_unit_test(test_nul_bytes),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_alias_bomb),
	    cmocka_unit_test(test_alias_chain),
	    cmocka_unit_test(test_random_garbage),
	    cmocka_unit_test(test_include_path),
	    cmocka_unit_test(test_walk_debian),
	    cmocka_unit_test(test_walk_includes),
	    cmocka_unit_test(test_walk_missing_main),
	    cmocka_unit_test(test_walk_modes),
	    cmocka_unit_test(test_walk_unreadable_main),
	    cmocka_unit_test(test_walk_depth),
	    cmocka_unit_test(test_walk_fanout),
	    cmocka_unit_test(test_walk_no_hostname),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
