/* test_updates.c - apt's side of 2(7): the parsers of apt.conf, sources
 * (both formats), preferences, Release files, dates and logs; apt's file
 * naming (answers taken from `apt-get update --print-uris`); the policy
 * (priorities, pins, candidates); and the packages and updates probes on
 * fixture roots whose expected answers were produced by apt itself
 * (tests/fixtures/unit-packages/make.sh runs `apt list --upgradable` on
 * each). Hostile roots are built at test time. Runs from the repository
 * root, as tests/run.sh does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/parse/apt_parse.h"
#include "probes/read/apt_policy.h"
#include "probes/read/fsroot.h"
#include "probes/packages.h"
#include "lib/util.h"

#define FIX "tests/fixtures/unit-packages/"
/* The tests' --now: 2026-11-22T00:00:00Z. */
#define NOW ((time_t)1795305600)

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
	if (!b.data)
		b.data = calloc(1, 1);
	b.data[b.len] = '\0';
	return b;
}

static void ignore_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	unsigned *n = ud;
	if (n)
		(*n)++;
}

/* ---- file names: apt's own answers ---- */

static void test_uri_filenames(void **state)
{
	/* From `apt-get -o Dir=... update --print-uris` (apt 2.6.1). */
	static const struct {
		const char *uri, *file;
	} cases[] = {
	    {"http://deb.debian.org/debian/dists/bookworm/InRelease",
	     "deb.debian.org_debian_dists_bookworm_InRelease"},
	    {"http://user:pw@mirror.example.org:8080/debian~x/dists/stable/InRelease",
	     "mirror.example.org:8080_debian%7ex_dists_stable_InRelease"},
	    {"https://[2001:db8::1]/debian/dists/bookworm/InRelease",
	     "2001:db8::1_debian_dists_bookworm_InRelease"},
	    {"file:/srv/repo_a/./InRelease", "_srv_repo%5fa_._InRelease"},
	    {"file:///srv/b/./Packages", "_srv_b_._Packages"},
	    {"http://example.org/a%20b/deb/dists/stable/InRelease",
	     "example.org_a%20b_deb_dists_stable_InRelease"},
	    {"http://example.org/deb/dists/sid/updates/main/binary-amd64/Packages",
	     "example.org_deb_dists_sid_updates_main_binary-amd64_Packages"},
	    {"cdrom:[Debian GNU/Linux 12]/dists/bookworm/InRelease",
	     "Debian%20GNU_Linux%2012_dists_bookworm_InRelease"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *f = apt_uri_to_filename(cases[i].uri);
		print_message("%s -> %s\n", cases[i].uri, f);
		assert_string_equal(f, cases[i].file);
	}
	_cleanup_free_ char *s1 = apt_uri_site("http://u:p@deb.example.org:80/x/");
	_cleanup_free_ char *s2 = apt_uri_site("file:/srv/flat/");
	assert_string_equal(s1, "deb.example.org");
	assert_string_equal(s2, "");
}

static void test_part_names(void **state)
{
	assert_true(apt_part_name_ok("debian.sources", "sources", false));
	assert_true(apt_part_name_ok("99farm-no-dep11", "conf", true));
	assert_false(apt_part_name_ok("99farm-no-dep11", "conf", false));
	assert_true(apt_part_name_ok("50unattended-upgrades.conf", "conf", true));
	assert_false(apt_part_name_ok("x.list.disabled-by-farm", "list", false));
	assert_false(apt_part_name_ok("nodesource.sources.save", "sources", false));
	assert_false(apt_part_name_ok("bad name.list", "list", false));
	assert_false(apt_part_name_ok("x.dpkg-old", "conf", true));
	assert_false(apt_part_name_ok("", "conf", true));
}

/* ---- apt.conf ---- */

static void push(const char *v, void *ud)
{
	struct strbuf *sb = ud;
	strbuf_printf(sb, "[%s]", v);
}

static void test_apt_conf(void **state)
{
	static const char text[] =
	    "// comment\n"
	    "APT::Periodic::Update-Package-Lists \"1\";\n"
	    "APT { Periodic { Unattended-Upgrade \"7\"; Enable \"no\"; }; };\n"
	    "/* block\n comment */ APT::Default-Release \"stable\"; # trailing\n"
	    "Unattended-Upgrade::Origins-Pattern {\n"
	    "  \"origin=Debian,codename=${distro_codename},label=Debian-Security\";\n"
	    "  \"o=Debian // not a comment inside quotes\";\n"
	    "};\n"
	    "Unattended-Upgrade::Origins-Pattern:: \"third\";\n"
	    "Acquire::Languages \"none\"\n" /* no ; before the end */
	    ";\n"
	    "Dir::Etc \"etc/apt\";\n"
	    "#clear Dir\n"
	    "#include \"/etc/other.conf\";\n"
	    "apt::periodic::update-package-lists \"2\";\n";
	struct apt_conf c = {0};
	unsigned bad = 0;
	assert_int_equal(apt_conf_parse(&c, text, sizeof(text) - 1, ignore_bad, &bad), 0);
	assert_int_equal(bad, 1); /* the #include */
	assert_string_equal(apt_conf_get(&c, "APT::Periodic::Update-Package-Lists"), "2");
	assert_string_equal(apt_conf_get(&c, "apt::periodic::unattended-upgrade"), "7");
	assert_int_equal(apt_conf_bool(&c, "apt::periodic::enable", 1), 0);
	assert_int_equal(apt_conf_bool(&c, "apt::nothing", 1), 1);
	assert_string_equal(apt_conf_get(&c, "apt::default-release"), "stable");
	assert_string_equal(apt_conf_get(&c, "acquire::languages"), "none");
	assert_null(apt_conf_get(&c, "dir::etc"));
	struct strbuf sb;
	strbuf_init(&sb, 4096);
	assert_int_equal(apt_conf_list(&c, "unattended-upgrade::origins-pattern", push, &sb), 3);
	_cleanup_free_ char *list = strbuf_steal(&sb);
	assert_string_equal(list,
			    "[origin=Debian,codename=${distro_codename},label=Debian-Security]"
			    "[o=Debian // not a comment inside quotes][third]");
	apt_conf_free(&c);
}

/* apt's FindFile/FindDir over the Dir tree, and what apt refuses. */
static void test_apt_conf_dirs(void **state)
{
	static const struct {
		const char *conf, *key;
		bool dir;
		const char *want;
	} cases[] = {
	    {"", "dir::etc::sourcelist", false, "/etc/apt/sources.list"},
	    {"", "dir::state::lists", true, "/var/lib/apt/lists/"},
	    {"", "dir::cache", true, "/var/cache/apt/"},
	    {"Dir \"/srv/c\";", "dir::etc::parts", true, "/srv/c/etc/apt/apt.conf.d/"},
	    {"Dir::Etc \"/x\"; Dir::Etc::sourcelist \"l\";", "dir::etc::sourcelist", false, "/x/l"},
	    {"Dir::Etc::sourcelist \"/abs/l\";", "dir::etc::sourcelist", false, "/abs/l"},
	    {"Dir::Etc::sourcelist \"/dev/null/x\";", "dir::etc::sourcelist", false, "/dev/null"},
	    {"Dir::Etc::sourceparts \"./rel\";", "dir::etc::sourceparts", true, "./rel/"},
	    {"Dir::Etc \"\";", "dir::etc::main", false, "/apt.conf"}, /* empty parent skipped */
	    {"Dir::Etc::main \"\";", "dir::etc::main", false, ""},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct apt_conf c = {0};
		assert_int_equal(apt_conf_defaults(&c), 0);
		assert_int_equal(
		    apt_conf_parse(&c, cases[i].conf, strlen(cases[i].conf), ignore_bad, NULL), 0);
		_cleanup_free_ char *got = cases[i].dir ? apt_conf_find_dir(&c, cases[i].key)
							: apt_conf_find_file(&c, cases[i].key);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: %s, want %s", i, got, cases[i].want);
		apt_conf_free(&c);
	}
	/* A directive inside a block ends the file (apt refuses it). */
	static const char nested[] = "A { #clear B; }; C \"1\";";
	struct apt_conf c = {0};
	unsigned bad = 0;
	assert_int_equal(apt_conf_parse(&c, nested, sizeof(nested) - 1, ignore_bad, &bad), 0);
	assert_int_equal(bad, 1);
	assert_null(apt_conf_get(&c, "c"));
	apt_conf_free(&c);
	(void)state;
}

static void test_apt_conf_hostile(void **state)
{
	static const char *const inputs[] = {
	    "APT::X \"unterminated;\n",
	    "}}}};;;{",
	    "{{{{{{{{",
	    "A B C D E;",
	    "\"\";",
	    "#clear",
	    "APT::X \"a\" \"b\";",
	    "/* never closed",
	};
	for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
		struct apt_conf c = {0};
		assert_int_equal(apt_conf_parse(&c, inputs[i], strlen(inputs[i]), ignore_bad, NULL),
				 0);
		apt_conf_free(&c);
	}
	/* A NUL byte (anywhere, also at the start of a word) once neither
	 * ended a word nor advanced the lexer: an endless loop adding empty
	 * items until memory ran out. It ends now, with what came before. */
	static const char nul[] = "APT::A \"1\";\n\0\nAPT::B \"2\";\nAPT::C x\0y;\n\0";
	struct apt_conf cn = {0};
	assert_int_equal(apt_conf_parse(&cn, nul, sizeof(nul) - 1, ignore_bad, NULL), 0);
	assert_string_equal(apt_conf_get(&cn, "apt::a"), "1");
	assert_true(cn.n < 8);
	apt_conf_free(&cn);
	/* Deep nesting stops at the limit instead of recursing. */
	size_t n = 10000;
	char *deep = malloc(n * 2 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(deep + i * 2, "a{", 2);
	struct apt_conf c = {0};
	assert_int_equal(apt_conf_parse(&c, deep, n * 2, ignore_bad, NULL), 0);
	apt_conf_free(&c);
	free(deep);
}

/* ---- sources ---- */

static void test_sources_list(void **state)
{
	static const char text[] =
	    "# comment\n"
	    "deb http://deb.debian.org/debian bookworm main contrib\n"
	    "deb-src http://deb.debian.org/debian bookworm main\n"
	    "deb [ arch=amd64,i386 signed-by=/k.gpg trusted=yes ] http://x.example/d sid main\n"
	    "deb [arch+=arm64 arch-=i386] http://x.example/d $(ARCH)-updates main # note\n"
	    "deb file:/srv/flat ./\n"
	    "deb http://x.example/d\n"	      /* no suite: malformed */
	    "deb http://x.example/d sid\n"    /* no component: malformed */
	    "deb file:/srv/flat ./ main\n"    /* flat with a component: malformed */
	    "rpm http://x.example/ a b\n"     /* unknown type: malformed */
	    "deb [arch=amd64 http://x/ a b\n" /* unclosed options */
	    "\n   \n";
	struct apt_sources s = {0};
	unsigned bad = 0;
	assert_int_equal(apt_sources_parse_list(&s, "/etc/apt/sources.list", text, sizeof(text) - 1,
						"amd64", ignore_bad, &bad),
			 -EBADMSG);
	assert_int_equal(bad, 5);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.v[0].uri, "http://deb.debian.org/debian/");
	assert_string_equal(s.v[0].components[1], "contrib");
	assert_int_equal(s.v[0].line, 2);
	assert_true(s.v[1].src);
	assert_string_equal(s.v[2].archs[1], "i386");
	assert_true(s.v[2].trusted && s.v[2].signed_by);
	assert_string_equal(s.v[3].suite, "amd64-updates");
	assert_string_equal(s.v[3].archs_add[0], "arm64");
	assert_string_equal(s.v[3].archs_remove[0], "i386");
	assert_null(s.v[3].archs);
	assert_string_equal(s.v[4].suite, "./");
	assert_null(s.v[4].components[0]);
	apt_sources_free(&s);
}

static void test_sources_deb822(void **state)
{
	static const char text[] = "# Debian\n"
				   "Types: deb deb-src\n"
				   "URIs: http://a.example/debian http://b.example/debian\n"
				   "# a comment inside\n"
				   "Suites: bookworm bookworm-updates\n"
				   "Components: main\n"
				   "Signed-By:\n"
				   " -----BEGIN PGP PUBLIC KEY BLOCK-----\n"
				   " .\n"
				   " mQINBGP...\n"
				   "\n"
				   "Types: deb\n"
				   "URIs: http://c.example/\n"
				   "Suites: x\n"
				   "Components: main\n"
				   "Enabled: no\n"
				   "Architectures: i386\n"
				   "\n"
				   "# only a comment\n"
				   "\n"
				   "Types: deb\n"
				   "Suites: missing-uris\n"
				   "\n"
				   "Types: deb\n"
				   "URIs: file:/srv/flat\n"
				   "Suites: ./\n";
	struct apt_sources s = {0};
	unsigned bad = 0;
	assert_int_equal(apt_sources_parse_deb822(&s, "x.sources", text, sizeof(text) - 1, "amd64",
						  ignore_bad, &bad),
			 -EBADMSG);
	assert_int_equal(bad, 1);
	assert_int_equal(s.n, 2 * 2 * 2 + 1 + 1);
	assert_string_equal(s.v[0].uri, "http://a.example/debian/");
	assert_string_equal(s.v[1].suite, "bookworm-updates");
	assert_string_equal(s.v[2].uri, "http://b.example/debian/");
	assert_true(s.v[4].src);
	assert_true(s.v[0].signed_by);
	assert_int_equal(s.v[0].line, 1); /* the stanza's first line (a comment here) */
	assert_false(s.v[8].enabled);
	assert_string_equal(s.v[8].archs[0], "i386");
	assert_string_equal(s.v[9].suite, "./");
	apt_sources_free(&s);
}

/* ---- preferences ---- */

static void test_prefs(void **state)
{
	static const char good[] = "# comment\n"
				   "Explanation: why\n"
				   "Package: a b/c *d\n"
				   "Pin: version 1.0*\n"
				   "Pin-Priority: 1001\n"
				   "\n"
				   "Package: *\n"
				   "Pin: release o=Debian,a=stable-backports\n"
				   "Pin-Priority: -1\n"
				   "\n"
				   "Package: *\n"
				   "Pin: version 1.0\n" /* version pins need a package: skipped */
				   "Pin-Priority: 10\n"
				   "\n"
				   "Package: x\n"
				   "Pin: origin \"repo.example.org\"\n"
				   "Pin-Priority: 600\n";
	struct apt_pins p = {0};
	unsigned bad = 0;
	assert_int_equal(apt_prefs_parse(&p, "prefs", good, sizeof(good) - 1, ignore_bad, &bad), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(p.n, 5);
	assert_string_equal(p.v[1].package, "b/c");
	assert_int_equal(p.v[0].type, APT_PIN_VERSION);
	assert_string_equal(p.v[0].data, "1.0*");
	assert_null(p.v[3].package);
	assert_int_equal(p.v[3].priority, -1);
	assert_int_equal(p.v[4].type, APT_PIN_ORIGIN);
	assert_string_equal(p.v[4].data, "\"repo.example.org\"");
	apt_pins_free(&p);

	static const char *const refused[] = {
	    "Pin: release a=x\nPin-Priority: 1\n",		   /* no Package */
	    "Package: x\nPin: release a=x\nPin-Priority: 0\n",	   /* zero */
	    "Package: x\nPin: release a=x\nPin-Priority: 40000\n", /* out of range */
	    "Package: x\nPin: release a=x\nPin-Priority: high\n",  /* not a number */
	    "Package: x\nPin: release a=x\n",			   /* none */
	};
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		struct apt_pins q = {0};
		assert_int_equal(
		    apt_prefs_parse(&q, "p", refused[i], strlen(refused[i]), ignore_bad, NULL),
		    -EBADMSG);
		apt_pins_free(&q);
	}
}

/* ---- Release files and dates ---- */

static void test_release(void **state)
{
	static const char text[] = "-----BEGIN PGP SIGNED MESSAGE-----\n"
				   "Hash: SHA512\n"
				   "\n"
				   "Origin: Debian\n"
				   "Label: Debian-Security\n"
				   "Suite: stable-security\n"
				   "Codename: bookworm-security\n"
				   "Version: 12\n"
				   "Date: Fri, 20 Nov 2026 00:12:41 UTC\n"
				   "Valid-Until: Fri, 27 Nov 2026 00:12:41 UTC\n"
				   "NotAutomatic: yes\n"
				   "ButAutomaticUpgrades: YES\n"
				   "Architectures: amd64 arm64\n"
				   "- -----dash escaped-----\n"
				   "-----BEGIN PGP SIGNATURE-----\n"
				   "\n"
				   "Origin: Evil\n"
				   "-----END PGP SIGNATURE-----\n";
	struct apt_release r;
	assert_int_equal(apt_release_parse(text, sizeof(text) - 1, &r), 0);
	assert_true(r.signed_inline);
	assert_string_equal(r.origin, "Debian");
	assert_string_equal(r.label, "Debian-Security");
	assert_string_equal(r.codename, "bookworm-security");
	assert_true(r.has_date && r.has_valid_until);
	assert_int_equal(r.valid_until - r.date, 7 * 86400);
	assert_true(r.not_automatic && r.but_automatic_upgrades);
	assert_string_equal(r.archs[1], "arm64");
	apt_release_free(&r);

	assert_int_equal(apt_release_parse("", 0, &r), -EBADMSG);
	assert_int_equal(apt_release_parse("\n\n", 2, &r), -EBADMSG);
	assert_int_equal(apt_release_parse("Origin: x\nDate: garbage\n", 24, &r), 0);
	assert_false(r.has_date);
	assert_null(r.suite);
	apt_release_free(&r);
}

static void test_dates(void **state)
{
	static const struct {
		const char *in;
		time_t want; /* 0: refused */
	} cases[] = {
	    {"Sun, 22 Nov 2026 00:00:00 UTC", NOW},
	    {"Sun, 22 Nov 2026 00:00:00 GMT", NOW},
	    {"22 Nov 2026 00:00:00 +0000", NOW},
	    {"Sun, 22 Nov 2026 09:00:00 +0900", NOW},
	    {"Sat, 21 Nov 2026 19:00:00 -0500", NOW},
	    {"Sun,  2 Nov 2026 00:00:00 UTC", NOW - 20 * 86400},
	    {"Thu, 01 Jan 1970 00:00:00 UTC", 0},
	    {"Sun, 22 Foo 2026 00:00:00 UTC", 0},
	    {"Sun, 32 Nov 2026 00:00:00 UTC", 0},
	    {"Sun, 22 Nov 2026 25:00:00 UTC", 0},
	    {"Sun, 22 Nov 2026 00:00:00 +09", 0},
	    {"yesterday", 0},
	    {"", 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		time_t t = 0;
		int r = apt_parse_date(cases[i].in, strlen(cases[i].in), &t);
		print_message("date '%s': %d %ld\n", cases[i].in, r, (long)t);
		if (cases[i].want) {
			assert_int_equal(r, 0);
			assert_int_equal(t, cases[i].want);
		} else if (strncmp(cases[i].in, "Thu, 01 Jan 1970", 16) != 0) {
			assert_int_equal(r, -EINVAL);
		}
	}
}

/* ---- logs ---- */

struct log_sum {
	unsigned events, upgrades, installs, removals, unattended;
	time_t last;
};

static void sum_event(const struct pkg_log_event *ev, void *ud)
{
	struct log_sum *s = ud;
	s->events++;
	s->upgrades += ev->upgrades;
	s->installs += ev->installs;
	s->removals += ev->removals;
	s->unattended += ev->unattended;
	if (ev->when > s->last)
		s->last = ev->when;
}

static void test_logs(void **state)
{
	static const char hist[] =
	    "\nStart-Date: 2026-11-20  06:25:01\n"
	    "Commandline: /usr/bin/unattended-upgrade\n"
	    "Upgrade: libc6:amd64 (2.36-9+deb12u7, 2.36-9+deb12u8), libc-bin:amd64 "
	    "(2.36-9+deb12u7, "
	    "2.36-9+deb12u8)\n"
	    "End-Date: 2026-11-20  06:25:09\n"
	    "\r\n"
	    "Start-Date: 2026-11-21  10:00:00\r\n"
	    "Commandline: apt-get install vim\r\n"
	    "Install: vim:amd64 (2:9.0.1378-2), vim-runtime:amd64 (2:9.0.1378-2, automatic)\r\n"
	    "Remove: nano:amd64 (7.2-1)\r\n"
	    "End-Date: 2026-11-21  10:00:05\r\n"
	    "Start-Date: garbage\n"
	    "Upgrade: x (1, 2)\n"
	    "End-Date: 2026-11-21  10:00:05\n"
	    "Start-Date: 2026-11-21  23:59:59\n" /* cut by rotation */
	    "Upgrade: y:amd64 (1, 2)\n";
	struct log_sum s = {0};
	assert_int_equal(apt_history_parse(hist, sizeof(hist) - 1, 0, sum_event, &s), 3);
	assert_int_equal(s.upgrades, 3);
	assert_int_equal(s.installs, 2);
	assert_int_equal(s.removals, 1);
	assert_int_equal(s.unattended, 1);
	assert_int_equal(s.last, NOW - 1);

	static const char dlog[] =
	    "2026-11-21 02:06:48 startup archives unpack\n"
	    "2026-11-21 02:06:48 upgrade bash:amd64 5.2.15-2+b8 5.2.15-2+b13\n"
	    "2026-11-21 02:06:49 status half-configured bash:amd64 5.2.15-2+b13\n"
	    "2026-11-21 02:06:50 install vim:amd64 <none> 2:9.0.1378-2\n"
	    "2026-11-21 02:06:51 purge nano:amd64 7.2-1 <none>\n"
	    "garbage line\n"
	    "2026-13-45 02:06:51 upgrade x 1 2\n";
	struct log_sum d = {0};
	assert_int_equal(dpkg_log_parse(dlog, sizeof(dlog) - 1, 0, sum_event, &d), 3);
	assert_int_equal(d.upgrades, 1);
	assert_int_equal(d.last, NOW - 86400 + 2 * 3600 + 6 * 60 + 51);
}

/* ---- policy, pure ---- */

static struct apt_release rel_of(const char *origin, const char *suite, const char *codename)
{
	struct apt_release r = {0};
	r.origin = (char *)origin;
	r.suite = (char *)suite;
	r.codename = (char *)codename;
	r.label = (char *)origin;
	return r;
}

static void test_expr(void **state)
{
	assert_true(apt_expr_match("stable", "STABLE"));
	assert_true(apt_expr_match("*-security", "bookworm-security"));
	assert_true(apt_expr_match("/^book.*curity$/", "bookworm-security"));
	assert_false(apt_expr_match("/^book$/", "bookworm"));
	assert_false(apt_expr_match("/[unclosed/", "x"));
	assert_false(apt_expr_match("x", NULL));
}

static void test_priorities(void **state)
{
	struct apt_release main = rel_of("Debian", "stable", "bookworm");
	struct apt_release bpo = rel_of("Debian", "stable-backports", "bookworm-backports");
	bpo.not_automatic = bpo.but_automatic_upgrades = true;
	struct apt_release exp = rel_of("Debian", "experimental", "rc-buggy");
	exp.not_automatic = true;
	struct apt_release third = rel_of("Third", "focal", "focal");
	struct apt_index ix[] = {
	    {&main, "deb.debian.org", "main", "amd64", false, 0},
	    {&bpo, "deb.debian.org", "main", "amd64", false, 0},
	    {&exp, "deb.debian.org", "main", "amd64", false, 0},
	    {&third, "repo.example.com", "main", "amd64", false, 0},
	    {NULL, "", "now", NULL, true, 0},
	};
	bool ok;
	apt_index_priorities(ix, 5, NULL, NULL, &ok);
	assert_true(ok);
	int want0[] = {500, 100, 1, 500, 100};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(ix[i].priority, want0[i]);

	/* Default-Release first (990), then the first matching generic pin. */
	struct apt_pin pv[] = {
	    {"p", 1, NULL, APT_PIN_ORIGIN, "\"repo.example.com\"", 50},
	    {"p", 2, NULL, APT_PIN_RELEASE, "o=Debian", 700},
	    {"p", 3, NULL, APT_PIN_RELEASE, "a=stable", 10},
	    {"p", 4, "pkg", APT_PIN_RELEASE, "a=stable", 1},
	};
	struct apt_pins pins = {pv, 4, 4};
	apt_index_priorities(ix, 5, &pins, "bookworm", &ok);
	assert_true(ok);
	int want1[] = {990, 700, 700, 50, 100};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(ix[i].priority, want1[i]);
	apt_index_priorities(ix, 5, NULL, "nosuchrelease", &ok);
	assert_false(ok);
	assert_int_equal(ix[0].priority, 500);
	/* A release pin with a bare word matches suite or codename. */
	struct apt_pin pw[] = {{"p", 1, NULL, APT_PIN_RELEASE, "focal", 900}};
	struct apt_pins pins2 = {pw, 1, 1};
	apt_index_priorities(ix, 5, &pins2, NULL, &ok);
	assert_int_equal(ix[3].priority, 900);
	assert_int_equal(ix[0].priority, 500);
}

/* Candidates over versions sorted from the highest down. */
static void test_candidate(void **state)
{
	struct apt_version v[] = {{"3.0", 3, NULL, 0}, {"2.0", 3, NULL, 0}, {"1.0", 3, NULL, 0}};
	static const struct {
		const char *what;
		int prio[3];
		long installed, want;
	} cases[] = {
	    {"newest wins at equal priority", {500, 500, 500}, 2, 0},
	    {"higher priority wins over a newer version", {100, 500, 100}, 2, 1},
	    {"no downgrade below 1000", {0, 100, 500}, 1, 1},
	    {"a newer version at the installed one's priority wins", {100, 100, 500}, 1, 0},
	    {"downgrade at 1000 or more", {100, 100, 1001}, 0, 2},
	    {"zero never", {0, 0, 100}, 2, 2},
	    {"negative never", {-1, -1, 100}, 2, 2},
	    {"nothing installed, NotAutomatic only", {1, 1, 1}, -1, 0},
	    {"nothing at all", {0, 0, 0}, -1, -1},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("candidate: %s\n", cases[i].what);
		assert_int_equal(apt_candidate(v, cases[i].prio, 3, cases[i].installed),
				 cases[i].want);
	}
}

static void test_version_pins(void **state)
{
	struct apt_release main = rel_of("Debian", "stable", "bookworm");
	struct apt_release sec = rel_of("Debian", "stable-security", "bookworm-security");
	struct apt_index ix[] = {
	    {&main, "deb.debian.org", "main", "amd64", false, 500},
	    {&sec, "security.debian.org", "main", "amd64", false, 500},
	    {NULL, "", "now", NULL, true, 100},
	};
	size_t f0[] = {0}, f1[] = {1}, f2[] = {2};
	struct apt_version vmain = {"1.1", 3, f0, 1}, vsec = {"1.0+s1", 6, f1, 1},
			   vinst = {"1.0", 3, f2, 1};
	struct apt_pin pv[] = {
	    {"p", 1, "other", APT_PIN_VERSION, "1.1", 2000},
	    {"p", 2, "foo", APT_PIN_VERSION, "1.0*", 900},
	    {"p", 3, "foo", APT_PIN_ORIGIN, "security.debian.org", 50},
	    {"p", 4, "f*", APT_PIN_RELEASE, "n=bookworm", 10},
	};
	struct apt_pins pins = {pv, 4, 4};
	struct apt_pkg_id foo = {"foo", 3, "amd64", "amd64"};
	struct apt_pkg_id foo386 = {"foo", 3, "i386", "amd64"};
	assert_int_equal(apt_version_priority(&pins, &foo, &vsec, false, ix), 900);
	assert_int_equal(apt_version_priority(&pins, &foo, &vinst, true, ix), 900);
	assert_int_equal(apt_version_priority(&pins, &foo, &vmain, false, ix), 10);
	/* Without an architecture a pin means the native one only. */
	assert_int_equal(apt_version_priority(&pins, &foo386, &vmain, false, ix), 500);
	/* The status file counts only for the installed version. */
	assert_int_equal(apt_version_priority(NULL, &foo, &vinst, false, ix), -1);
	assert_int_equal(apt_version_priority(NULL, &foo, &vinst, true, ix), 100);
	assert_true(apt_index_is_security(&ix[1]));
	assert_false(apt_index_is_security(&ix[0]));
	assert_false(apt_index_is_security(&ix[2]));
}

/* ---- the probes on fixture roots ---- */

struct run {
	struct fsroot *root;
	struct probe_ctx ctx;
	int ret;
};

static void run_probe(struct run *r, const char *dir, time_t now, bool updates)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(fsroot_open(dir, FSROOT_AUTO, &r->root), 0);
	r->ctx = (struct probe_ctx){.root = r->root,
				    .offline = true,
				    .now = now,
				    .inventory = json_object(),
				    .host = json_object(),
				    .messages = json_array()};
	r->ret = updates ? probe_updates_run(&r->ctx) : probe_packages_run(&r->ctx);
}

static void run_free(struct run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

/* "name arch candidate installed suite,suite" per update, sorted, as
 * make.sh records apt's answer (apt repeats a suite once per list). */
static char *updates_text(json_t *updates)
{
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	size_t i;
	json_t *u;
	json_array_foreach(updates, i, u) {
		strbuf_printf(&sb, "%s %s %s %s ", json_string_value(json_object_get(u, "name")),
			      json_string_value(json_object_get(u, "architecture")),
			      json_string_value(json_object_get(u, "candidate_version")),
			      json_string_value(json_object_get(u, "installed_version")));
		size_t k;
		json_t *s;
		json_array_foreach(json_object_get(u, "suites"), k, s)
			strbuf_printf(&sb, "%s%s", k ? "," : "", json_string_value(s));
		strbuf_puts(&sb, "\n");
	}
	return strbuf_steal(&sb);
}

/* apt's lines with repeated suites folded ("stable,stable" -> "stable"). */
static char *expect_text(const char *path)
{
	_cleanup_buf_ struct buf b = slurp(path);
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, b.data, b.len);
	while (line_iter_next(&it, &ln)) {
		const char *sp = ln.s + ln.len;
		while (sp > ln.s && sp[-1] != ' ')
			sp--;
		strbuf_append(&sb, ln.s, (size_t)(sp - ln.s));
		const char *p = sp, *end = ln.s + ln.len;
		char seen[512] = ",";
		bool first = true;
		while (p < end) {
			size_t n = strcspn(p, ",");
			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			char word[256];
			snprintf(word, sizeof(word), ",%.*s,", (int)n, p);
			if (!strstr(seen, word)) {
				strbuf_printf(&sb, "%s%.*s", first ? "" : ",", (int)n, p);
				strncat(seen, word + 1, sizeof(seen) - strlen(seen) - 1);
				first = false;
			}
			p += n + 1;
		}
		strbuf_puts(&sb, "\n");
	}
	return strbuf_steal(&sb);
}

static void check_against_apt(const char *root)
{
	char dir[256], exp[256];
	snprintf(dir, sizeof(dir), FIX "%s", root);
	snprintf(exp, sizeof(exp), FIX "%s/expect-upgradable", root);
	struct run r;
	run_probe(&r, dir, NOW, true);
	assert_int_equal(r.ret, 0);
	json_t *updates = json_object_get(r.ctx.inventory, "updates");
	_cleanup_free_ char *got = updates_text(updates);
	_cleanup_free_ char *want = expect_text(exp);
	print_message("%s: ours\n%s", root, got);
	assert_string_equal(got, want);
	/* Security exactly when a -security suite offers the candidate. */
	size_t i;
	json_t *u;
	json_array_foreach(updates, i, u) {
		_cleanup_free_ char *s = json_dumps(json_object_get(u, "suites"), 0);
		assert_int_equal(json_is_true(json_object_get(u, "security")),
				 strstr(s, "-security\"") != NULL);
	}
	run_free(&r);
}

static void test_probe_debian(void **state)
{
	check_against_apt("root-debian");
	struct run r;
	run_probe(&r, FIX "root-debian", NOW, true);
	json_t *sum = json_object_get(r.ctx.inventory, "update_summary");
	assert_true(json_is_true(json_object_get(sum, "complete")));
	assert_true(json_is_true(json_object_get(sum, "security_source")));
	assert_int_equal(json_integer_value(json_object_get(sum, "lists_used")), 3);
	assert_int_equal(json_integer_value(json_object_get(sum, "lists_age_days")), 0);
	assert_string_equal(json_string_value(json_object_get(sum, "lists_date")),
			    "2026-11-21T00:12:41Z");
	json_t *pending = json_object_get(sum, "pending");
	json_t *updates = json_object_get(r.ctx.inventory, "updates");
	assert_int_equal(json_integer_value(pending), json_array_size(updates));
	assert_true(json_integer_value(json_object_get(sum, "pending_security")) > 0);
	json_t *hist = json_object_get(r.ctx.inventory, "update_history");
	assert_string_equal(json_string_value(json_object_get(hist, "last_upgrade")),
			    "2026-10-01T03:00:01Z");
	assert_int_equal(json_integer_value(json_object_get(hist, "last_upgrade_days")), 51);
	assert_int_equal(json_array_size(json_object_get(hist, "logs")), 2);
	assert_false(json_is_true(json_object_get(hist, "automatic_security_updates")));
	assert_int_equal(json_array_size(r.ctx.messages), 0);
	run_free(&r);
}

/* Two months later the same lists are two months old: the age says so. */
static void test_probe_stale(void **state)
{
	struct run r;
	run_probe(&r, FIX "root-debian", NOW + 61 * 86400, true);
	json_t *sum = json_object_get(r.ctx.inventory, "update_summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "lists_age_days")), 61);
	json_t *lists = json_object_get(r.ctx.inventory, "apt_lists");
	size_t i;
	json_t *l;
	json_array_foreach(lists, i, l)
		if (json_is_true(json_object_get(l, "security")))
			assert_true(json_is_true(json_object_get(l, "expired")));
	run_free(&r);
}

static void test_probe_policy(void **state)
{
	check_against_apt("root-policy");
	struct run r;
	run_probe(&r, FIX "root-policy", NOW, true);
	json_t *sum = json_object_get(r.ctx.inventory, "update_summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "lists_unused")), 2);
	assert_int_equal(json_integer_value(json_object_get(sum, "pins")), 5);
	json_t *arch = json_object_get(sum, "architectures");
	assert_int_equal(json_array_size(arch), 2);
	json_t *hist = json_object_get(r.ctx.inventory, "update_history");
	assert_true(json_is_true(json_object_get(hist, "security_origin_configured")));
	assert_int_equal(json_integer_value(json_object_get(hist, "periodic_unattended_days")), 1);
	/* Not installed, so nothing installs by itself. */
	assert_false(json_is_true(json_object_get(hist, "automatic_security_updates")));
	/* The disabled and orphan lists are listed as unused. */
	size_t i, unused = 0;
	json_t *l;
	json_array_foreach(json_object_get(r.ctx.inventory, "apt_lists"), i, l)
		unused += json_is_false(json_object_get(l, "used"));
	assert_int_equal(unused, 2);
	run_free(&r);
}

/* ---- hostile and empty roots, built here ---- */

static void put(const char *root, const char *path, const void *data, size_t len)
{
	char p[512];
	snprintf(p, sizeof(p), "%s%s", root, path);
	for (char *s = strchr(p + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

#define PUTS(root, path, s) put(root, path, s, sizeof(s) - 1)
#define L		    "/var/lib/apt/lists/"

static void test_probe_hostile(void **state)
{
	char root[] = "/tmp/tenken-upd-XXXXXX";
	assert_non_null(mkdtemp(root));
	PUTS(root, "/var/lib/dpkg/status",
	     "Package: dpkg\r\nStatus: install ok installed\r\nVersion: 1.0\r\nArchitecture: "
	     "amd64\r\n\r\nPackage: a\0b\nStatus: install ok installed\nVersion: 1\n\n"
	     "Package: c\nStatus: nonsense\n\nPackage: d\nStatus: install ok installed\n"
	     "Architecture: amd64\nVersion: 1\n");
	PUTS(root, "/etc/apt/sources.list",
	     "deb http://x.example/d s main\ndeb [broken http://y/ a b\n"
	     "deb http://z.example/d s main\ndeb http://w.example/d s main\n"
	     "deb http://v.example/d s main\n");
	PUTS(root, "/etc/apt/sources.list.d/bad.sources", "Types: deb\nSuites: x\n");
	PUTS(root, "/etc/apt/preferences", "Package: d\nPin: release a=s\nPin-Priority: 0\n");
	PUTS(root, "/etc/apt/apt.conf.d/bad", "APT::Default-Release \"unterminated;\n{{{{");
	PUTS(root, L "x.example_d_dists_s_Release", "\0\0\0garbage\n");
	PUTS(root, L "x.example_d_dists_s_main_binary-amd64_Packages.lz4",
	     "\x04\x22\x4d\x18garbage after the magic");
	PUTS(root, L "z.example_d_dists_s_Release", "Origin: Z\nSuite: s\nDate: x\n");
	PUTS(root, L "z.example_d_dists_s_main_binary-amd64_Packages.gz", "\x1f\x8b\x08\x00");
	PUTS(root, L "v.example_d_dists_s_Release", "Origin: V\nSuite: s\n");
	PUTS(root, L "v.example_d_dists_s_main_binary-amd64_Packages",
	     "Package: d\nVersion: 2\nArchitecture: amd64\n\nPackage: d\nVersion: \n\n"
	     "Package: d\nArchitecture: amd64\n\n\n\n garbage\n");
	char p[512];
	snprintf(p, sizeof(p), "%s" L "w.example_d_dists_s_main_binary-amd64_Packages", root);
	assert_int_equal(mkfifo(p, 0644), 0); /* must be refused, not waited on */
	struct run r;
	run_probe(&r, root, NOW, true);
	assert_int_equal(r.ret, 0);
	assert_true(r.ctx.partial);
	json_t *sum = json_object_get(r.ctx.inventory, "update_summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "lists_unreadable")), 3);
	assert_false(json_is_true(json_object_get(sum, "complete")));
	/* The one readable list still gives its update. */
	json_t *updates = json_object_get(r.ctx.inventory, "updates");
	assert_int_equal(json_array_size(updates), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(updates, 0), "candidate_version")),
	    "2");
	assert_true(json_array_size(r.ctx.messages) >= 5);
	_cleanup_free_ char *dump = json_dumps(r.ctx.inventory, 0);
	assert_non_null(dump); /* valid JSON despite NUL and garbage */
	run_free(&r);
	_cleanup_free_ char *cmd = NULL;
	assert_true(asprintf(&cmd, "rm -rf '%s'", root) > 0);
	assert_int_equal(system(cmd), 0);
}

/* Sources but no lists (apt update never ran): nothing is known, and the
 * counts are null, not 0. */
static void test_probe_no_lists(void **state)
{
	char root[] = "/tmp/tenken-upd-XXXXXX";
	assert_non_null(mkdtemp(root));
	PUTS(root, "/var/lib/dpkg/status",
	     "Package: dpkg\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n");
	PUTS(root, "/etc/apt/sources.list", "deb http://deb.debian.org/debian bookworm main\n");
	struct run r;
	run_probe(&r, root, NOW, true);
	assert_int_equal(r.ret, 0);
	json_t *sum = json_object_get(r.ctx.inventory, "update_summary");
	assert_true(json_is_null(json_object_get(sum, "pending")));
	assert_true(json_is_null(json_object_get(sum, "pending_security")));
	assert_true(json_is_null(json_object_get(sum, "lists_age_days")));
	assert_int_equal(json_integer_value(json_object_get(sum, "lists_missing")), 1);
	run_free(&r);
	/* No dpkg at all: not applicable. */
	char empty[] = "/tmp/tenken-upd-XXXXXX";
	assert_non_null(mkdtemp(empty));
	run_probe(&r, empty, NOW, true);
	assert_int_equal(r.ret, PROBE_RET_NOT_APPLICABLE);
	run_free(&r);
	run_probe(&r, empty, NOW, false);
	assert_int_equal(r.ret, PROBE_RET_NOT_APPLICABLE);
	run_free(&r);
	_cleanup_free_ char *cmd = NULL;
	assert_true(asprintf(&cmd, "rm -rf '%s' '%s'", root, empty) > 0);
	assert_int_equal(system(cmd), 0);
}

/* ---- the packages probe ---- */

static json_t *find_pkg(json_t *pkgs, const char *name, const char *arch)
{
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p)
		if (!strcmp(json_string_value(json_object_get(p, "name")), name) &&
		    (!arch || !strcmp(json_string_value(json_object_get(p, "architecture")), arch)))
			return p;
	return NULL;
}

static void test_packages_probe(void **state)
{
	struct run r;
	run_probe(&r, FIX "root-policy", NOW, false);
	assert_int_equal(r.ret, 0);
	json_t *pkgs = json_object_get(r.ctx.inventory, "packages");
	assert_int_equal(json_array_size(pkgs), 19);
	json_t *gone = find_pkg(pkgs, "gone-conf", NULL);
	assert_string_equal(json_string_value(json_object_get(gone, "status")), "config-files");
	assert_false(json_is_true(json_object_get(gone, "installed")));
	assert_false(json_is_true(json_object_get(gone, "files_present")));
	json_t *broken = find_pkg(pkgs, "broken", NULL);
	assert_false(json_is_true(json_object_get(broken, "installed")));
	assert_true(json_is_true(json_object_get(broken, "files_present")));
	assert_true(json_is_true(json_object_get(broken, "reinstall_required")));
	json_t *held = find_pkg(pkgs, "held", NULL);
	assert_string_equal(json_string_value(json_object_get(held, "selection")), "hold");
	assert_non_null(find_pkg(pkgs, "libmulti", "i386"));
	assert_non_null(find_pkg(pkgs, "libmulti", "amd64"));
	json_t *k = json_object_get(r.ctx.inventory, "kernel");
	assert_true(json_is_null(json_object_get(k, "running_is_newest")));
	assert_false(json_is_true(json_object_get(k, "reboot_needed")));
	run_free(&r);
}

static void test_kernel(void **state)
{
	struct run r;
	run_probe(&r, FIX "root-kernel", NOW, false);
	assert_int_equal(r.ret, 0);
	json_t *k = json_object_get(r.ctx.inventory, "kernel");
	assert_string_equal(json_string_value(json_object_get(k, "running")), "6.1.0-38-amd64");
	assert_string_equal(json_string_value(json_object_get(k, "newest_installed")),
			    "6.1.0-40-amd64");
	assert_string_equal(json_string_value(json_object_get(k, "running_package_version")),
			    "6.1.147-1");
	assert_int_equal(json_array_size(json_object_get(k, "installed")), 2);
	assert_true(json_is_false(json_object_get(k, "running_is_newest")));
	assert_true(json_is_true(json_object_get(k, "reboot_required")));
	assert_int_equal(json_array_size(json_object_get(k, "reboot_required_packages")), 2);
	assert_true(json_is_true(json_object_get(k, "reboot_needed")));
	run_free(&r);
}

/* Every key a probe writes is a declared column, and every column is
 * written (as a value or as null). */
static void check_columns(const struct collection *c, json_t *inventory)
{
	for (; c->name; c++) {
		json_t *v = json_object_get(inventory, c->name);
		assert_non_null(v);
		json_t *elems = c->single ? json_pack("[O]", v) : json_incref(v);
		size_t i;
		json_t *e;
		json_array_foreach(elems, i, e) {
			size_t ncol = 0;
			for (const struct column *col = c->columns; col->name; col++, ncol++) {
				if (!json_object_get(e, col->name))
					print_message("%s: missing %s\n", c->name, col->name);
				assert_non_null(json_object_get(e, col->name));
			}
			assert_int_equal(json_object_size(e), ncol);
		}
		json_decref(elems);
	}
}

static void test_columns(void **state)
{
	static const char *const roots[] = {FIX "root-debian", FIX "root-policy",
					    FIX "root-kernel"};
	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		struct run r;
		run_probe(&r, roots[i], NOW, true);
		if (r.ret == 0)
			check_columns(updates_collections, r.ctx.inventory);
		run_free(&r);
		run_probe(&r, roots[i], NOW, false);
		assert_int_equal(r.ret, 0);
		check_columns(packages_collections, r.ctx.inventory);
		run_free(&r);
	}
}

/* An rpm host with dnf's cached metadata (tests/fixtures/mkrpmmd.sh):
 * every rpm collection has every column, and the facts are dnf's. */
static void test_columns_rpm(void **state)
{
	static const struct collection *const rpm[] = {
	    &updates_collections[0], &updates_collections[4], &updates_collections[3]};
	struct run r;
	run_probe(&r, "tests/fixtures/updates-rpm-dnf-pending", NOW, true);
	assert_int_equal(r.ret, 0);
	for (size_t i = 0; i < ARRAY_SIZE(rpm); i++) {
		const struct collection one[] = {*rpm[i], {NULL, false, NULL}};
		check_columns(one, r.ctx.inventory);
	}
	for (const struct collection *c = updates_collections; c->name; c++)
		if (strncmp(c->name, "rpm_", 4) == 0) {
			const struct collection one[] = {*c, {NULL, false, NULL}};
			check_columns(one, r.ctx.inventory);
		}
	json_t *u = json_array_get(json_object_get(r.ctx.inventory, "updates"), 0);
	assert_string_equal(json_string_value(json_object_get(u, "name")), "foo");
	assert_string_equal(json_string_value(json_object_get(u, "candidate_version")),
			    "1.1-1.el9");
	assert_true(json_is_true(json_object_get(u, "security")));
	assert_string_equal(json_string_value(json_object_get(u, "severity")), "Important");
	assert_int_equal(json_array_size(json_object_get(u, "cves")), 2);
	json_t *s = json_object_get(r.ctx.inventory, "update_summary");
	assert_int_equal(json_integer_value(json_object_get(s, "pending_security")), 1);
	assert_string_equal(json_string_value(json_object_get(s, "manager")), "dnf");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uri_filenames),  cmocka_unit_test(test_part_names),
	    cmocka_unit_test(test_apt_conf),	   cmocka_unit_test(test_apt_conf_hostile),
	    cmocka_unit_test(test_apt_conf_dirs),  cmocka_unit_test(test_sources_list),
	    cmocka_unit_test(test_sources_deb822), cmocka_unit_test(test_prefs),
	    cmocka_unit_test(test_release),	   cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_logs),	   cmocka_unit_test(test_expr),
	    cmocka_unit_test(test_priorities),	   cmocka_unit_test(test_candidate),
	    cmocka_unit_test(test_version_pins),   cmocka_unit_test(test_probe_debian),
	    cmocka_unit_test(test_probe_stale),	   cmocka_unit_test(test_probe_policy),
	    cmocka_unit_test(test_probe_hostile),  cmocka_unit_test(test_probe_no_lists),
	    cmocka_unit_test(test_packages_probe), cmocka_unit_test(test_kernel),
	    cmocka_unit_test(test_columns),	   cmocka_unit_test(test_columns_rpm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
