/* test_processes.c - the processes probe over the services-bad fixture
 * (deleted /tmp executable, masked secrets, users from the root's passwd,
 * units from cgroups, kernel threads), over hostile roots made at test
 * time (FIFOs, garbage, half-gone processes, no proc), and live on this
 * host while children exit during the scan. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "probes/read/fsroot.h"
#include "probes/probe.h"

#define FIX "tests/fixtures/services-bad"

struct run {
	struct fsroot *root;
	struct probe_ctx ctx;
	int ret;
};

static void run_probe(struct run *r, const char *dir, bool offline)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(fsroot_open(dir, FSROOT_WALK_ONLY, &r->root), 0);
	r->ctx.root = r->root;
	r->ctx.offline = offline;
	r->ctx.now = 1795305600;
	r->ctx.inventory = json_object();
	r->ctx.host = json_object();
	r->ctx.messages = json_array();
	r->ret = probe_processes_run(&r->ctx);
}

static void run_free(struct run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

static json_t *by_pid(json_t *arr, json_int_t pid)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
		if (json_integer_value(json_object_get(o, "pid")) == pid)
			return o;
	return NULL;
}

static const char *hs(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_fixture(void **state)
{
	struct run r;
	run_probe(&r, FIX, true);
	assert_int_equal(r.ret, 0);
	assert_false(r.ctx.partial);
	json_t *ps = json_object_get(r.ctx.inventory, "processes");
	assert_int_equal(json_array_size(ps), 9);
	/* sorted by pid */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ps, 0), "pid")), 1);
	json_t *x = by_pid(ps, 666);
	assert_string_equal(hs(x, "exe"), "/tmp/.x");
	assert_true(json_is_true(json_object_get(x, "exe_deleted")));
	assert_true(json_is_true(json_object_get(x, "exe_in_temp")));
	assert_string_equal(hs(x, "user"), "alice");
	assert_string_equal(hs(x, "comm"), ".x");
	assert_string_equal(hs(x, "unit"), "session-3.scope");
	/* The default (minimal) view: the program and its flags, no value. */
	assert_string_equal(hs(x, "cmdline"), "/tmp/.x --token ******** -c ********");
	json_t *vnc = by_pid(ps, 500);
	assert_string_equal(hs(vnc, "cmdline"),
			    "/usr/bin/x11vnc -forever -passwd ******** -rfbport ********");
	json_t *sshd = by_pid(ps, 210);
	assert_string_equal(hs(sshd, "unit"), "ssh.service");
	assert_true(json_is_false(json_object_get(sshd, "exe_deleted")));
	assert_int_equal(json_integer_value(json_object_get(sshd, "ppid")), 1);
	json_t *kt = by_pid(ps, 2);
	assert_true(json_is_true(json_object_get(kt, "kernel_thread")));
	assert_true(json_is_null(json_object_get(kt, "exe")));
	assert_true(json_is_false(json_object_get(kt, "exe_in_temp")));
	assert_true(json_is_null(json_object_get(kt, "unit")));
	/* No secret anywhere. */
	char *dump = json_dumps(r.ctx.inventory, 0);
	assert_null(strstr(dump, "S3cret"));
	free(dump);
	run_free(&r);
}

static void mkfile(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_hostile(void **state)
{
	char dir[] = "/tmp/tenken-procs-XXXXXX", p[256];
	assert_non_null(mkdtemp(dir));
	struct run r;
	/* No proc at all, then an empty one: not applicable. */
	run_probe(&r, dir, true);
	assert_int_equal(r.ret, PROBE_RET_NOT_APPLICABLE);
	run_free(&r);
	snprintf(p, sizeof(p), "%s/proc", dir);
	mkdir(p, 0755);
	run_probe(&r, dir, true);
	assert_int_equal(r.ret, PROBE_RET_NOT_APPLICABLE);
	run_free(&r);
	/* 10: stat is a FIFO (must not block); 11: only stat (gone
	 * meanwhile); 12: garbage stat; 13: fine but exe is a loop and
	 * cmdline a FIFO; 14: not a number. */
	static const char *const dirs[] = {"10", "11", "12", "13", "14x"};
	for (size_t i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/proc/%s", dir, dirs[i]);
		mkdir(p, 0755);
	}
	snprintf(p, sizeof(p), "%s/proc/10/stat", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/proc/11/stat", dir);
	mkfile(p, "11 (gone) S 1 0\n");
	snprintf(p, sizeof(p), "%s/proc/12/stat", dir);
	mkfile(p, "\xff\xfe garbage");
	snprintf(p, sizeof(p), "%s/proc/13/stat", dir);
	mkfile(p, "13 (loop) S 1 0\n");
	snprintf(p, sizeof(p), "%s/proc/13/status", dir);
	mkfile(p, "Uid:\t424242\t0\t0\t0\n");
	snprintf(p, sizeof(p), "%s/proc/13/cmdline", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/proc/13/cgroup", dir);
	mkfile(p, "0::/system.slice/loop.service\n");
	snprintf(p, sizeof(p), "%s/proc/13/exe", dir);
	assert_int_equal(symlink("exe", p), 0);
	run_probe(&r, dir, true);
	assert_int_equal(r.ret, 0);
	assert_true(r.ctx.partial);
	/* Under --root nothing exits: 10, 11 and 12 stay, with what could not
	 * be read as null. */
	json_t *ps = json_object_get(r.ctx.inventory, "processes");
	assert_int_equal(json_array_size(ps), 4);
	json_t *o = by_pid(ps, 10);
	assert_non_null(o);
	assert_true(json_is_null(json_object_get(o, "comm")));
	assert_true(json_is_null(json_object_get(o, "zombie")));
	assert_true(json_is_null(json_object_get(o, "unit")));
	o = by_pid(ps, 11);
	assert_non_null(o);
	assert_string_equal(hs(o, "comm"), "gone");
	assert_true(json_is_null(json_object_get(o, "exe")));
	assert_true(json_is_null(json_object_get(o, "uid")));
	assert_non_null(by_pid(ps, 12));
	o = by_pid(ps, 13);
	assert_non_null(o);
	/* The exe link's text is read without following it. */
	assert_string_equal(hs(o, "exe"), "exe");
	assert_true(json_is_null(json_object_get(o, "cmdline")));
	assert_true(json_is_null(json_object_get(o, "user"))); /* no passwd, unknown uid */
	assert_int_equal(json_integer_value(json_object_get(o, "uid")), 424242);
	/* passwd, then one per kind of /proc file: stat (10, 12), status,
	 * cmdline, exe, cgroup (10, 11, 12; cmdline also 13). */
	assert_int_equal(json_array_size(r.ctx.messages), 6);
	run_free(&r);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Live: the process table changes while it is read. */
static void test_live_churn(void **state)
{
	for (int round = 0; round < 20; round++) {
		pid_t kids[16];
		for (int k = 0; k < 16; k++) {
			kids[k] = fork();
			assert_true(kids[k] >= 0);
			if (kids[k] == 0) {
				usleep((useconds_t)(k * 200));
				_exit(0);
			}
		}
		struct run r;
		run_probe(&r, "/", false);
		assert_int_equal(r.ret, 0);
		json_t *ps = json_object_get(r.ctx.inventory, "processes");
		json_t *me = by_pid(ps, getpid());
		assert_non_null(me);
		assert_non_null(hs(me, "exe"));
		assert_true(json_is_false(json_object_get(me, "exe_deleted")));
		run_free(&r);
		for (int k = 0; k < 16; k++)
			waitpid(kids[k], NULL, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_live_churn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
