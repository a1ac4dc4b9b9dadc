/* test_confwalk.c - the include walker over a temporary root: relative
 * targets, directories and their skipped names, globs in sorted order,
 * loops by spelling and by (dev, inode), depth and file-count bounds,
 * targets that match nothing, the fallback directory, systemd's main
 * file plus drop-ins, and sudo's literal includes (confwalk_include_path:
 * a file or a directory's regular files, a path-expansion hook, the depth
 * bound at the directive, a byte budget, a missing directory said when
 * required), confwalk_load/confwalk_glob for a parser with its own
 * recursion. Each case compares a trace of
 * what was read and reported. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "lib/limits.h"
#include "probes/read/confwalk.h"

struct env {
	char top[64];
	struct fsroot *r;
};

struct walk {
	char trace[2048];
	const char *base; /* for relative includes; NULL: the includer's directory */
};

static void put(const char *top, const char *name, const char *content)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", top, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void trace(struct walk *wk, const char *fmt, const char *a, const char *b, unsigned n)
{
	size_t len = strlen(wk->trace);
	snprintf(wk->trace + len, sizeof(wk->trace) - len, "%s%s%s%u ", fmt, a, b, n);
}

/* Lines "include X" follow X; any other line is traced as read. */
static void on_file(struct confwalk *w, const char *path, const char *buf, size_t len, void *ud)
{
	struct walk *wk = ud;
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		char text[128];
		snprintf(text, sizeof(text), "%.*s", (int)l.len, l.s);
		if (str_startswith(text, "include "))
			confwalk_include(w, wk->base, text + 8, NULL, l.lineno);
		else
			trace(wk, "", path_basename(path), "=", l.lineno);
	}
}

static void on_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	static const char *const kinds[] = {"LOOP ", "DEPTH ", "MANY ", "UNREADABLE ", "NOMATCH "};
	trace(ud, kinds[ev->kind], ev->path, "@", ev->line);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	snprintf(e->top, sizeof(e->top), "/tmp/tenken-confwalk-XXXXXX");
	if (!e || !mkdtemp(e->top))
		return -1;
	char p[256];
	static const char *const dirs[] = {"etc",
					   "etc/d",
					   "etc/n",
					   "etc/systemd",
					   "etc/systemd/x.conf.d",
					   "usr",
					   "usr/lib",
					   "usr/lib/systemd",
					   "usr/lib/systemd/x.conf.d",
					   "etc/s",
					   "etc/s/sub",
					   "etc/s/inc.d",
					   "etc/s/inc.d/subdir"};
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(p, sizeof(p), "%s/%s", e->top, dirs[i]);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	put(e->top, "etc/main.conf",
	    "M\ninclude a.conf\ninclude d\ninclude g*.conf\n"
	    "include nothing.conf\ninclude nothing*.conf\n");
	put(e->top, "etc/a.conf", "A\ninclude main.conf\n");
	put(e->top, "etc/d/x.conf", "X\n");
	put(e->top, "etc/d/y.conf~", "Y\n");
	put(e->top, "etc/d/.z.conf", "Z\n");
	put(e->top, "etc/g2.conf", "G2\n");
	put(e->top, "etc/g1.conf", "G1\n");
	put(e->top, "etc/self.conf", "S\ninclude alias.conf\n");
	snprintf(p, sizeof(p), "%s/etc/alias.conf", e->top);
	assert_int_equal(symlink("self.conf", p), 0);
	put(e->top, "etc/n/top.nft", "T\ninclude sub/../g1.conf\ninclude only-in-etc.nft\n");
	put(e->top, "etc/only-in-etc.nft", "E\n");
	put(e->top, "etc/systemd/x.conf.d/10-a.conf", "");
	put(e->top, "usr/lib/systemd/x.conf.d/10-a.conf", "");
	put(e->top, "usr/lib/systemd/x.conf.d/05-b.conf", "");
	put(e->top, "usr/lib/systemd/x.conf", "");
	put(e->top, "etc/s/main",
	    "@include sub/../one\n@includedir inc.d\n@includedir missing.d\n"
	    "@includedir one\n@include %h.conf\n@include %x\n@include none\n@include g*\n");
	put(e->top, "etc/s/one", "1\n");
	put(e->top, "etc/s/web1.conf", "H\n");
	put(e->top, "etc/s/inc.d/b", "B\n");
	put(e->top, "etc/s/inc.d/a", "A\n");
	put(e->top, "etc/s/inc.d/c.conf", "C\n");
	put(e->top, "etc/s/inc.d/z~", "Z\n");
	snprintf(p, sizeof(p), "%s/etc/s/inc.d/fifo", e->top);
	assert_int_equal(mkfifo(p, 0600), 0);
	put(e->top, "etc/s/budget", "@include one\n@include web1.conf\n@include inc.d/a\n");
	put(e->top, "etc/s/deep", "@include deep\n");
	assert_int_equal(fsroot_open(e->top, FSROOT_AUTO, &e->r), 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	fsroot_free(e->r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->top);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static bool skip_tilde(const char *name)
{
	return name[0] == '.' || name[strlen(name) - 1] == '~';
}

static void walk(struct env *e, struct walk *wk, enum confwalk_guard g, unsigned chain,
		 unsigned files, const char *path)
{
	struct confwalk_opts o = {
	    .max_chain = chain,
	    .max_files = files,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = g,
	    .dir_all = true,
	    .skip = skip_tilde,
	    .on_file = on_file,
	    .on_problem = on_problem,
	    .ud = wk,
	};
	_cleanup_confwalk_ struct confwalk *w = confwalk_new(e->r, &o);
	assert_non_null(w);
	confwalk_read(w, path, false);
	assert_null(confwalk_path(w));
}

/* Relative to /etc; a directory is its files minus skipped names; globs
 * sorted; a literal target matching nothing is said, a glob is not; the
 * loop back to main.conf is refused with the includer's line. */
static void test_includes(void **state)
{
	struct walk wk = {.base = "/etc"};
	walk(*state, &wk, CONFWALK_GUARD_PATH, 17, 100, "/etc/main.conf");
	assert_string_equal(wk.trace, "main.conf=1 a.conf=1 LOOP /etc/main.conf@2 x.conf=1 "
				      "g1.conf=1 g2.conf=1 NOMATCH nothing.conf@5 ");
}

/* A symlink to the file being read is the same file: a loop by (dev,
 * inode) at once, by spelling only one level later. */
static void test_inode_guard(void **state)
{
	struct walk a = {.base = "/etc"}, b = {.base = "/etc"};
	walk(*state, &a, CONFWALK_GUARD_INODE, 17, 100, "/etc/self.conf");
	assert_string_equal(a.trace, "self.conf=1 LOOP /etc/alias.conf@2 ");
	walk(*state, &b, CONFWALK_GUARD_PATH, 17, 100, "/etc/self.conf");
	assert_string_equal(b.trace, "self.conf=1 alias.conf=1 LOOP /etc/alias.conf@2 ");
}

/* Depth alone (sshd, chrony): the chain stops at max_chain files; the
 * file count stops everything after max_files. */
static void test_bounds(void **state)
{
	struct walk d = {.base = "/etc"}, m = {.base = "/etc"};
	walk(*state, &d, CONFWALK_GUARD_DEPTH, 3, 100, "/etc/self.conf");
	assert_string_equal(d.trace, "self.conf=1 alias.conf=1 alias.conf=1 "
				     "DEPTH /etc/alias.conf@2 ");
	walk(*state, &m, CONFWALK_GUARD_INODE, 17, 3, "/etc/main.conf");
	assert_string_equal(m.trace, "main.conf=1 a.conf=1 LOOP /etc/main.conf@2 x.conf=1 "
				     "MANY /etc/g1.conf@4 MANY /etc/g2.conf@4 "
				     "NOMATCH nothing.conf@5 ");
}

/* nftables: relative to the includer's directory, then the fallback;
 * a literal spelling is cleaned and read without globbing. */
static void test_fallback(void **state)
{
	struct env *e = *state;
	struct walk wk = {.base = NULL};
	struct confwalk_opts o = {
	    .fallback = "/etc",
	    .max_chain = 16,
	    .max_files = 100,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_INODE,
	    .literal_stat = true,
	    .on_file = on_file,
	    .on_problem = on_problem,
	    .ud = &wk,
	};
	_cleanup_confwalk_ struct confwalk *w = confwalk_new(e->r, &o);
	assert_int_equal(confwalk_read(w, "/etc/n/top.nft", false), 0);
	assert_string_equal(wk.trace, "top.nft=1 g1.conf=1 only-in-etc.nft=1 ");
	assert_int_equal(confwalk_read(w, "/etc/n/none.nft", false), -ENOENT);
}

static bool exists(void *ud, const char *path)
{
	struct stat st;
	return fsroot_stat(ud, path, true, &st) == 0;
}

/* The main file from the first directory that has it; drop-ins by name,
 * /etc's 10-a.conf hiding /usr/lib's. */
static void test_systemd_conf(void **state)
{
	struct env *e = *state;
	_cleanup_strv_ char **v = NULL;
	assert_int_equal(confwalk_systemd_conf(e->r, "x.conf", exists, e->r, &v), 0);
	assert_int_equal(strv_length(v), 3);
	assert_string_equal(v[0], "/usr/lib/systemd/x.conf");
	assert_string_equal(v[1], "/usr/lib/systemd/x.conf.d/05-b.conf");
	assert_string_equal(v[2], "/etc/systemd/x.conf.d/10-a.conf");
}

/* sudo's lines: "@include X" and "@includedir X", traced with full
 * paths. */
static void on_sudo_file(struct confwalk *w, const char *path, const char *buf, size_t len,
			 void *ud)
{
	struct line_iter it;
	struct line l;
	trace(ud, "", path, "", 0);
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		char text[128];
		snprintf(text, sizeof(text), "%.*s", (int)l.len, l.s);
		bool dir = str_startswith(text, "@includedir ");
		if (dir || str_startswith(text, "@include "))
			confwalk_include_path(w, NULL, text + (dir ? 12 : 9), dir, l.lineno);
	}
}

static void on_sudo_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	static const char *const kinds[] = {"LOOP ", "DEPTH ", "MANY ", "UNREADABLE ", "NOMATCH "};
	const char *kind = ev->target ? "BADTARGET " : ev->dir ? "NOTDIR " : kinds[ev->kind];
	trace(ud, kind, ev->path, "@", ev->line);
}

/* sudo's %h: the host name "web1"; "%x" is refused as sudo refuses an
 * unknown host name. */
static int expand_h(struct confwalk *w, const char *target, char **ret, void *ud)
{
	if (strstr(target, "%x"))
		return -ENODATA;
	const char *h = strstr(target, "%h");
	if (!h) {
		*ret = strdup(target);
		return *ret ? 0 : -ENOMEM;
	}
	return asprintf(ret, "%.*sweb1%s", (int)(h - target), target, h + 2) < 0 ? -ENOMEM : 0;
}

static bool skip_sudo(const char *name)
{
	return name[strlen(name) - 1] == '~' || strchr(name, '.');
}

static void sudo_walk(struct env *e, struct walk *wk, unsigned chain, size_t bytes,
		      const char *path)
{
	struct confwalk_opts o = {
	    .max_chain = chain,
	    .max_files = 100,
	    .max_bytes = bytes,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_INODE,
	    .skip = skip_sudo,
	    .on_file = on_sudo_file,
	    .on_problem = on_sudo_problem,
	    .ud = wk,
	    .expand = expand_h,
	};
	_cleanup_confwalk_ struct confwalk *w = confwalk_new(e->r, &o);
	assert_non_null(w);
	confwalk_read(w, path, false);
}

/* A file as it is ("sub/../one" told cleaned: the same file); a
 * directory's regular files sorted, names with '.' or ending in '~'
 * skipped, the FIFO and the subdirectory passed over; a missing
 * directory is silent, a file given as a directory is said; %h
 * expanded, a refused expansion said with the target as written; a
 * missing file is unreadable; no glob is expanded. */
static void test_include_path(void **state)
{
	struct walk wk = {.base = NULL};
	sudo_walk(*state, &wk, 17, 0, "/etc/s/main");
	assert_string_equal(wk.trace, "/etc/s/main0 /etc/s/one0 /etc/s/inc.d/a0 /etc/s/inc.d/b0 "
				      "NOTDIR /etc/s/one@4 /etc/s/web1.conf0 BADTARGET %x@6 "
				      "UNREADABLE /etc/s/none@7 UNREADABLE /etc/s/g*@8 ");
}

/* The byte budget refuses the file after the one that reached it; the
 * depth bound refuses the directive itself, naming its target; a file
 * including itself is a loop at once (by inode). */
static void test_budget_depth(void **state)
{
	struct walk b = {.base = NULL}, d = {.base = NULL}, l = {.base = NULL};
	/* budget: 49 bytes, one: 2 (51), web1.conf: 2 (53 >= 52) */
	sudo_walk(*state, &b, 17, 52, "/etc/s/budget");
	assert_string_equal(b.trace, "/etc/s/budget0 /etc/s/one0 /etc/s/web1.conf0 "
				     "MANY /etc/s/inc.d/a@3 ");
	sudo_walk(*state, &d, 1, 0, "/etc/s/budget");
	assert_string_equal(d.trace, "/etc/s/budget0 DEPTH /etc/s/one@1 DEPTH /etc/s/web1.conf@2 "
				     "DEPTH /etc/s/inc.d/a@3 ");
	sudo_walk(*state, &l, 17, 0, "/etc/s/deep");
	assert_string_equal(l.trace, "/etc/s/deep0 LOOP /etc/s/deep@1 ");
}

/* xinetd's includedir: the same walk with dir_required says the missing
 * directory (as xinetd's "Unable to read included directory"). */
static void test_dir_required(void **state)
{
	struct env *e = *state;
	struct walk wk = {.base = NULL};
	struct confwalk_opts o = {
	    .max_chain = 17,
	    .max_files = 100,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_INODE,
	    .skip = skip_sudo,
	    .dir_required = true,
	    .on_file = on_sudo_file,
	    .on_problem = on_sudo_problem,
	    .ud = &wk,
	    .expand = expand_h,
	};
	_cleanup_confwalk_ struct confwalk *w = confwalk_new(e->r, &o);
	assert_non_null(w);
	confwalk_read(w, "/etc/s/main", false);
	assert_string_equal(wk.trace, "/etc/s/main0 /etc/s/one0 /etc/s/inc.d/a0 /etc/s/inc.d/b0 "
				      "NOTDIR /etc/s/missing.d@3 "
				      "NOTDIR /etc/s/one@4 /etc/s/web1.conf0 BADTARGET %x@6 "
				      "UNREADABLE /etc/s/none@7 UNREADABLE /etc/s/g*@8 ");
}

/* A parser with its own recursion (sshd's loader): confwalk_load hands
 * the bytes back and keeps the file on the chain until confwalk_leave;
 * the chain and file bounds still hold; confwalk_glob sorts. */
static void test_load(void **state)
{
	struct env *e = *state;
	struct walk wk = {.base = NULL};
	struct confwalk_opts o = {
	    .max_chain = 2,
	    .max_files = 4,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_DEPTH,
	    .on_file = on_file,
	    .on_problem = on_problem,
	    .ud = &wk,
	};
	_cleanup_confwalk_ struct confwalk *w = confwalk_new(e->r, &o);
	_cleanup_buf_ struct buf a = {0}, m = {0}, g = {0}, x = {0};
	_cleanup_strv_ char **v = NULL;
	assert_non_null(w);
	assert_int_equal(confwalk_load(w, "/etc/a.conf", 0, false, &a), 0);
	assert_string_equal(a.data, "A\ninclude main.conf\n");
	assert_string_equal(confwalk_path(w), "/etc/a.conf");
	assert_int_equal(confwalk_load(w, "/etc/main.conf", 2, false, &m), 0);
	assert_int_equal(confwalk_depth(w), 2);
	assert_int_equal(confwalk_load(w, "/etc/g1.conf", 3, false, &g), -ELOOP);
	confwalk_leave(w);
	assert_int_equal(confwalk_load(w, "/etc/none.conf", 4, false, &x), -ENOENT);
	confwalk_leave(w);
	assert_null(confwalk_path(w));
	assert_int_equal(confwalk_load(w, "/etc/g2.conf", 0, false, &g), 0);
	confwalk_leave(w);
	assert_int_equal(confwalk_load(w, "/etc/g1.conf", 0, false, &x), -E2BIG);
	assert_string_equal(wk.trace, "DEPTH /etc/g1.conf@3 UNREADABLE /etc/none.conf@4 "
				      "MANY /etc/g1.conf@0 ");
	assert_int_equal(confwalk_glob(w, "/etc/g*.conf", &v), 0);
	assert_string_equal(v[0], "/etc/g1.conf");
	assert_string_equal(v[1], "/etc/g2.conf");
	assert_null(v[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_includes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_inode_guard, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_systemd_conf, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_include_path, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_budget_depth, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dir_required, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
