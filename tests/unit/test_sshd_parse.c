/* test_sshd_parse.c - sshd_config read as sshd reads it, from in-memory
 * files: the tokenizer, first-wins and accumulating keywords, Include
 * (globs in lexical order, relative to /etc/ssh, loops, missing targets),
 * Match blocks ("Match all" overriding, blocks ending with their file,
 * Includes inside Match), the version's defaults, every error sshd refuses
 * to start with, and hostile input (NUL bytes, garbage, 10,000 lines, a
 * 1 MB line). The expected values were checked with sshd -T of OpenSSH
 * 9.2p1 (tests/e2e/ssh.sh repeats that comparison on every run). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "probes/parse/sshd_parse.h"
#include "lib/util.h"

/* The case tables leave trailing fields (a file's length, unused
 * expectations) zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- an in-memory file system ---- */

struct mfile {
	const char *path;
	const char *data; /* NULL: exists but unreadable (-EINVAL, as a FIFO) */
	size_t len;	  /* 0: strlen(data) */
};
struct mfs {
	const struct mfile *f;
	size_t n;
};

/* Matches in lexical order, as glob(3) and fsroot_glob give them. */
static int m_glob(void *ud, const char *pattern, char ***ret)
{
	const struct mfs *fs = ud;
	char **v = calloc(fs->n + 1, sizeof(*v));
	size_t k = 0;
	assert_non_null(v);
	for (size_t i = 0; i < fs->n; i++)
		if (fnmatch(pattern, fs->f[i].path, FNM_PATHNAME | FNM_PERIOD) == 0)
			v[k++] = strdup(fs->f[i].path);
	for (size_t i = 1; i < k; i++) /* insertion sort, bytewise */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*ret = v;
	return 0;
}

static int m_read(void *ud, const char *path, char **ret, size_t *ret_len)
{
	const struct mfs *fs = ud;
	for (size_t i = 0; i < fs->n; i++) {
		if (strcmp(fs->f[i].path, path) != 0)
			continue;
		if (!fs->f[i].data)
			return -EINVAL;
		size_t len = fs->f[i].len ? fs->f[i].len : strlen(fs->f[i].data);
		*ret = malloc(len + 1);
		memcpy(*ret, fs->f[i].data, len);
		(*ret)[len] = '\0';
		*ret_len = len;
		return 0;
	}
	return -ENOENT;
}

#define MAIN "/etc/ssh/sshd_config"

static int load(const struct mfile *f, size_t n, struct sshd_config *c)
{
	struct mfs fs = {f, n};
	struct sshd_io io = {m_glob, m_read, &fs};
	*c = (struct sshd_config){0};
	return sshd_config_load(c, MAIN, &io);
}

/* The effective value of key as text: strings as they are, booleans
 * yes/no, integers, arrays joined with spaces, null as "null". */
static char *val(json_t *eff, const char *key)
{
	json_t *v = json_object_get(eff, key);
	char *s = NULL;
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_boolean(v))
		return strdup(json_is_true(v) ? "yes" : "no");
	if (json_is_integer(v))
		return asprintf(&s, "%lld", (long long)json_integer_value(v)) < 0 ? NULL : s;
	if (json_is_array(v)) {
		struct strbuf sb;
		size_t i;
		json_t *e;
		strbuf_init(&sb, 1 << 20);
		json_array_foreach(v, i, e) {
			if (i)
				strbuf_puts(&sb, " ");
			if (json_is_integer(e))
				strbuf_printf(&sb, "%lld", (long long)json_integer_value(e));
			else
				strbuf_puts(&sb, json_string_value(e));
		}
		return strbuf_steal(&sb);
	}
	return strdup(v ? "null" : "(missing)");
}

static void assert_val(json_t *eff, const char *key, const char *want)
{
	char *got = val(eff, key);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", key, got, want);
	free(got);
}

/* ---- tokenizer ---- */

static void test_argv_split(void **state)
{
	static const struct {
		const char *in;
		int n;		  /* -EINVAL for a refusal */
		const char *join; /* words joined with | */
	} cases[] = {
	    {"a b  c", 3, "a|b|c"},
	    {"\ta\t", 1, "a"},
	    {"\"a b\" c", 2, "a b|c"},
	    {"'a \"b' c", 2, "a \"b|c"},
	    {"a\\ b", 1, "a b"},
	    {"\"a\\\"b\"", 1, "a\"b"},
	    {"a\\\\b", 1, "a\\b"},
	    {"a\\nb", 1, "a\\nb"},
	    {"x#y", 1, "x#y"},
	    {"x #y z", 1, "x"},
	    {"# all comment", 0, ""},
	    {"con\"cat\"'en'ated", 1, "concatenated"},
	    {"\"\"", 1, ""},
	    {"\"open", -EINVAL, NULL},
	    {"a 'open", -EINVAL, NULL},
	    {"", 0, ""},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char **v = NULL;
		int n = sshd_argv_split(cases[i].in, strlen(cases[i].in), &v, 64);
		print_message("case %s\n", cases[i].in);
		assert_int_equal(n, cases[i].n);
		if (n < 0)
			continue;
		struct strbuf sb;
		strbuf_init(&sb, 1024);
		for (int k = 0; k < n; k++) {
			if (k)
				strbuf_puts(&sb, "|");
			strbuf_puts(&sb, v[k]);
		}
		char *s = strbuf_steal(&sb);
		assert_string_equal(s, cases[i].join);
		free(s);
		for (int k = 0; k < n; k++)
			free(v[k]);
		free(v);
	}
	char **v = NULL;
	assert_int_equal(sshd_argv_split("a b c d", 7, &v, 3), -E2BIG);
}

/* ---- configurations and their effective values ---- */

struct want {
	const char *key, *value;
};
struct cfg_case {
	const char *name;
	struct mfile files[6];
	const char *version;
	unsigned errors;
	struct want want[8];
};

#define NUL_CFG "PermitRootLogin\0 yes\nPasswordAuthentication no\0garbage\n"

static const struct cfg_case cfg_cases[] = {
    {"debian: drop-in first wins",
     {{MAIN, "Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\n"
	     "UsePAM yes\nPermitRootLogin no\n"},
      {"/etc/ssh/sshd_config.d/50-root.conf", "PermitRootLogin yes\n"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "yes"}, {"usepam", "yes"}, {"kbdinteractiveauthentication", "no"}}},
    {"debian: mirror image",
     {{MAIN, "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n"},
      {"/etc/ssh/sshd_config.d/50-root.conf", "PermitRootLogin no\n"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "no"}}},
    {"glob order and relative include",
     {{MAIN, "Include d/*.conf\nPermitRootLogin no\n"},
      {"/etc/ssh/d/20-b.conf", "PermitRootLogin forced-commands-only\nPort 2022\n"},
      {"/etc/ssh/d/10-a.conf", "PermitRootLogin yes\nPort 2011\n"},
      {"/etc/ssh/d/x.txt", "PermitRootLogin no\n"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "yes"}, {"port", "2011 2022"}}},
    {"defaults of 9.2",
     {{MAIN, "# nothing\n"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "prohibit-password"},
      {"passwordauthentication", "yes"},
      {"usepam", "no"},
      {"listenaddress", "[::]:22 0.0.0.0:22"},
      {"authenticationmethods", "any"},
      {"logingracetime", "120"},
      {"maxauthtries", "6"},
      {"ciphers", "default"}}},
    {"default before 7.0 and unknown version",
     {{MAIN, "\n"}},
     "6.9p1",
     0,
     {{"permitrootlogin", "yes"}}},
    {"unknown version", {{MAIN, "\n"}}, NULL, 0, {{"permitrootlogin", "null"}}},
    {"match all overrides the global value",
     {{MAIN, "PermitRootLogin no\nAllowUsers a\nMatch all\nPermitRootLogin yes\nAllowUsers y z\n"
	     "Match all\nPermitRootLogin forced-commands-only\nAllowUsers w\n"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "yes"}, {"allowusers", "y z w"}, {"match_blocks", "2"}}},
    {"other match blocks do not apply; global port in Match all",
     {{MAIN,
       "Match User bob\nPermitRootLogin yes\nPasswordAuthentication no\nMatch all\nPort 23\n"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "prohibit-password"},
      {"passwordauthentication", "yes"},
      {"port", "23"},
      {"match_blocks", "2"}}},
    {"a Match ends with its file",
     {{MAIN, "Include /etc/ssh/m.conf\nPermitRootLogin no\nPort 23\n"},
      {"/etc/ssh/m.conf", "Match User bob\nPasswordAuthentication no\n"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "no"}, {"port", "23"}, {"passwordauthentication", "yes"}}},
    {"Include inside Match stays in the Match",
     {{MAIN, "Match User bob\nInclude /etc/ssh/p.conf\nMatch all\nPasswordAuthentication no\n"},
      {"/etc/ssh/p.conf", "PermitRootLogin yes\nMatch all\nX11Forwarding yes\n"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "prohibit-password"},
      {"x11forwarding", "no"},
      {"passwordauthentication", "no"}}},
    {"lists accumulate, AuthenticationMethods first line",
     {{MAIN,
       "AllowUsers a b\nAllowUsers c\nDenyGroups x\nAuthenticationMethods "
       "publickey,password publickey,keyboard-interactive\nAuthenticationMethods password\n"}},
     "9.2p1",
     0,
     {{"allowusers", "a b c"},
      {"denygroups", "x"},
      {"authenticationmethods", "publickey,password publickey,keyboard-interactive"}}},
    {"ports and listen addresses",
     {{MAIN, "Port 2222\nListenAddress 10.0.0.1\nPort 22\nListenAddress 10.0.0.2:2000\n"
	     "ListenAddress [::1]:2001\nListenAddress fe80::1\n"}},
     "9.2p1",
     0,
     {{"listenaddress",
       "10.0.0.1:2222 10.0.0.1:22 10.0.0.2:2000 [::1]:2001 [fe80::1]:2222 [fe80::1]:22"},
      {"port", "2222 22"}}},
    {"address family",
     {{MAIN, "AddressFamily inet\nPort 2200\n"}},
     "9.2p1",
     0,
     {{"listenaddress", "0.0.0.0:2200"}}},
    {"aliases, case, = and values",
     {{MAIN, "challengeresponseauthentication no\nPERMITROOTLOGIN=without-password\n"
	     "LoginGraceTime 1m30s\nMaxAuthTries = 3\nLogLevel debug1\nSyslogFacility local3\n"
	     "  PasswordAuthentication   no  # comment\n"}},
     "9.2p1",
     0,
     {{"kbdinteractiveauthentication", "no"},
      {"permitrootlogin", "prohibit-password"},
      {"logingracetime", "90"},
      {"maxauthtries", "3"},
      {"loglevel", "DEBUG"},
      {"syslogfacility", "LOCAL3"},
      {"passwordauthentication", "no"}}},
    {"CRLF, no final newline, quotes",
     {{MAIN, "PermitRootLogin \"no\"\r\nPasswordAuthentication no\r\nAllowUsers 'a' b"}},
     "9.2p1",
     0,
     {{"permitrootlogin", "no"}, {"passwordauthentication", "no"}, {"allowusers", "a b"}}},
    {"deprecated keywords are ignored",
     {{MAIN, "Protocol 2\nUsePrivilegeSeparation sandbox\nRSAAuthentication yes\n"}},
     "9.2p1",
     0,
     {{"config_errors", "0"}}},
    {"errors: each line refused, the rest evaluated",
     {{MAIN, "Foo bar\nPermitRootLogin maybe\nPermitRootLogin no yes\nMaxAuthTries -1\n"
	     "LoginGraceTime 5x\nAuthenticationMethods any publickey\nAllowUsers \"open\n"
	     "PermitRootLogin\nPermitRootLogin no\n"}},
     "9.2p1",
     8,
     {{"permitrootlogin", "no"}, {"config_errors", "8"}}},
    {"errors: Match syntax and keywords not allowed in Match",
     {{MAIN, "Match Nobody x\nPermitRootLogin yes\nMatch User\nMatch all User x\n"
	     "Match User bob\nPort 23\nListenAddress 1.2.3.4\nUsePAM yes\n"}},
     "9.2p1",
     6,
     {{"port", "22"}, {"usepam", "no"}}},
    {"include loop stops at sshd's depth",
     {{MAIN, "Include /etc/ssh/loop.conf\nPermitRootLogin no\n"},
      {"/etc/ssh/loop.conf", "Include /etc/ssh/loop.conf\n"}},
     "9.2p1",
     1,
     {{"permitrootlogin", "no"}}},
    {"missing and unreadable include targets",
     {{MAIN, "Include /etc/ssh/none.conf /etc/ssh/none.d/*\nInclude /etc/ssh/fifo.conf\n"
	     "PermitRootLogin no\n"},
      {"/etc/ssh/fifo.conf", NULL}},
     "9.2p1",
     1,
     {{"permitrootlogin", "no"}}},
    {"NUL bytes cut the line",
     {{MAIN, NUL_CFG, sizeof(NUL_CFG) - 1}},
     "9.2p1",
     1,
     {{"permitrootlogin", "prohibit-password"}, {"passwordauthentication", "no"}}},
};

static void run_cfg_case(const struct cfg_case *cc)
{
	struct sshd_config c;
	size_t n = 0;
	while (n < ARRAY_SIZE(cc->files) && cc->files[n].path)
		n++;
	print_message("case: %s\n", cc->name);
	assert_int_equal(load(cc->files, n, &c), 0);
	json_t *eff = sshd_effective_json(&c, cc->version);
	assert_non_null(eff);
	for (size_t i = 0; i < c.nis; i++)
		print_message("  issue %s:%u %s\n", c.is[i].file, c.is[i].line, c.is[i].en);
	assert_int_equal(c.errors, cc->errors);
	for (size_t i = 0; i < ARRAY_SIZE(cc->want) && cc->want[i].key; i++)
		assert_val(eff, cc->want[i].key, cc->want[i].value);
	json_decref(eff);
	sshd_config_free(&c);
}

static void test_configs(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(cfg_cases); i++)
		run_cfg_case(&cfg_cases[i]);
}

static void test_main_missing(void **state)
{
	struct mfile f[] = {{"/etc/ssh/other", "x y\n"}};
	struct sshd_config c;
	assert_int_equal(load(f, 1, &c), -ENOENT);
	sshd_config_free(&c);
	struct mfile g[] = {{MAIN, NULL}};
	assert_int_equal(load(g, 1, &c), -EINVAL);
	sshd_config_free(&c);
}

/* Sources name the file and line that set a value. */
static void test_sources(void **state)
{
	struct mfile f[] = {{MAIN, "Include /etc/ssh/d/*.conf\n\nPermitRootLogin no\nPort 2\n"},
			    {"/etc/ssh/d/a.conf", "# x\nPermitRootLogin yes\n"}};
	struct sshd_config c;
	assert_int_equal(load(f, 2, &c), 0);
	json_t *eff = sshd_effective_json(&c, "9.2p1");
	json_t *src = json_object_get(eff, "sources");
	assert_string_equal(json_string_value(json_object_get(src, "permitrootlogin")),
			    "/etc/ssh/d/a.conf:2");
	assert_string_equal(json_string_value(json_object_get(src, "port")),
			    "/etc/ssh/sshd_config:4");
	assert_string_equal(json_string_value(json_object_get(src, "usepam")), "default");
	assert_int_equal(c.files, 2);
	json_decref(eff);
	sshd_config_free(&c);
}

/* Match blocks: criteria (nested ones ANDed), overrides, restrictions. */
static void test_match_blocks(void **state)
{
	struct mfile f[] = {
	    {MAIN,
	     "Match Address 192.168.0.0/16\n  PermitRootLogin yes\n  PasswordAuthentication yes\n"
	     "  PermitRootLogin no\nMatch Group admins\n  Include /etc/ssh/n.conf\n"},
	    {"/etc/ssh/n.conf", "AllowUsers a\nAllowUsers b\nMatch User x\nX11Forwarding yes\n"
				"Match all\nDenyUsers z\n"}};
	struct sshd_config c;
	assert_int_equal(load(f, 2, &c), 0);
	assert_int_equal(c.errors, 0);
	json_t *m = sshd_match_json(&c);
	assert_int_equal(json_array_size(m), 4);
	json_t *b0 = json_array_get(m, 0), *b1 = json_array_get(m, 1);
	json_t *b2 = json_array_get(m, 2), *b3 = json_array_get(m, 3);
	assert_string_equal(json_string_value(json_object_get(b0, "criteria")),
			    "Address 192.168.0.0/16");
	json_t *ov = json_object_get(b0, "overrides");
	assert_string_equal(json_string_value(json_object_get(ov, "permitrootlogin")), "yes");
	assert_true(json_is_true(json_object_get(ov, "passwordauthentication")));
	assert_false(json_is_true(json_object_get(b0, "restricts_access")));
	assert_int_equal(json_integer_value(json_object_get(b0, "line")), 1);
	assert_true(json_is_true(json_object_get(b1, "restricts_access")));
	assert_int_equal(
	    json_array_size(json_object_get(json_object_get(b1, "overrides"), "allowusers")), 2);
	assert_string_equal(json_string_value(json_object_get(b2, "criteria")),
			    "Group admins User x");
	assert_string_equal(json_string_value(json_object_get(b3, "criteria")), "Group admins");
	assert_false(json_is_true(json_object_get(b3, "all")));
	json_t *eff = sshd_effective_json(&c, "9.2p1");
	assert_val(eff, "permitrootlogin", "prohibit-password");
	assert_val(eff, "denyusers", "");
	assert_val(eff, "match_restrictions", "2");
	json_decref(eff);
	json_decref(m);
	sshd_config_free(&c);
}

/* 10,000 lines, a 1 MB line, and random bytes: bounded, no crash. */
static void test_hostile(void **state)
{
	struct strbuf sb;
	strbuf_init(&sb, 64 << 20);
	for (int i = 0; i < 10000; i++)
		strbuf_printf(&sb, "AcceptEnv VAR%d\n", i);
	strbuf_puts(&sb, "AllowUsers");
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&sb, " u123456789");
	strbuf_puts(&sb, "\nPermitRootLogin no\n");
	size_t big_len = sb.len;
	char *big = strbuf_steal(&sb);
	char *junk = malloc(65536);
	uint32_t x = 12345;
	for (size_t i = 0; i < 65536; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)(x >> 16);
	}
	struct mfile f[] = {{MAIN, "Include /etc/ssh/big.conf /etc/ssh/junk.conf\n"},
			    {"/etc/ssh/big.conf", big, big_len},
			    {"/etc/ssh/junk.conf", junk, 65536}};
	struct sshd_config c;
	assert_int_equal(load(f, 3, &c), 0);
	assert_true(c.errors >= 1); /* the 1 MB line has too many words */
	assert_true(c.nd >= 10001);
	json_t *eff = sshd_effective_json(&c, "9.2p1");
	assert_non_null(eff);
	assert_val(eff, "permitrootlogin", "no");
	json_decref(eff);
	sshd_config_free(&c);
	free(big);
	free(junk);
}

#define V1 "x\0OpenSSH_2.*,OpenSSH_3.0*\0OpenSSH_9.2\0y\0OpenSSH_9.2p1 Debian"
#define V2 "OpenSSH_7.4*\0OpenSSH_8.0\0"

static void test_version_parse(void **state)
{
	static const char *const cases[][2] = {
	    {"1:9.2p1-2+deb12u3", "9.2p1"},
	    {"9.6p1-3ubuntu13.5", "9.6p1"},
	    {"OpenSSH_9.2p1 Debian-2+deb12u3", "9.2p1"},
	    {V1, "9.2p1"},
	    {V2, "8.0"},
	    {"OpenSSH_*", NULL},
	    {"garbage", NULL},
	    {"", NULL},
	};
	static const size_t lens[] = {0, 0, 0, sizeof(V1) - 1, sizeof(V2) - 1, 0, 0, 0};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = lens[i] ? lens[i] : strlen(cases[i][0]);
		char *v = sshd_version_parse(cases[i][0], len);
		print_message("case %zu\n", i);
		if (!cases[i][1]) {
			assert_null(v);
			continue;
		}
		assert_non_null(v);
		assert_string_equal(v, cases[i][1]);
		free(v);
	}
}

#define AK_NUL "garbage line\nssh-dss AAAA\0from=\n"

static void test_authkeys(void **state)
{
	static const struct {
		const char *in;
		unsigned keys, from, command, restrict_, bad;
	} cases[] = {
	    {"ssh-ed25519 AAAA c\n", 1, 0, 0, 0, 0},
	    {"# comment\n\n   \n", 0, 0, 0, 0, 0},
	    {"from=\"10.0.0.0/8\" ssh-rsa AAAA x\r\n", 1, 1, 0, 0, 0},
	    {"no-pty,FROM=\"a,b\",command=\"echo a b\" ssh-ed25519 AAAA", 1, 1, 1, 0, 0},
	    {"restrict,command=\"x\" ecdsa-sha2-nistp256 AAAA\nrestricted ssh-rsa AAAA\n", 2, 0, 1,
	     1, 0},
	    {"command=\"a \\\" from=x\" sk-ssh-ed25519@openssh.com AAAA\n", 1, 0, 1, 0, 0},
	    {"ssh-ed25519\n", 0, 0, 0, 0, 1},
	    {AK_NUL, 1, 0, 0, 0, 1},
	};
	static const size_t lens[] = {0, 0, 0, 0, 0, 0, 0, sizeof(AK_NUL) - 1};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct authkeys_stats st;
		authkeys_scan(cases[i].in, lens[i] ? lens[i] : strlen(cases[i].in), &st);
		print_message("case %zu\n", i);
		assert_int_equal(st.keys, cases[i].keys);
		assert_int_equal(st.with_from, cases[i].from);
		assert_int_equal(st.with_command, cases[i].command);
		assert_int_equal(st.restricted, cases[i].restrict_);
		assert_int_equal(st.bad_lines, cases[i].bad);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_argv_split),	  cmocka_unit_test(test_configs),
	    cmocka_unit_test(test_main_missing),  cmocka_unit_test(test_sources),
	    cmocka_unit_test(test_match_blocks),  cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_version_parse), cmocka_unit_test(test_authkeys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
