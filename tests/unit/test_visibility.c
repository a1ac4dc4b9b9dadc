/* test_visibility.c - the mountinfo parser and the hidepid check (the
 * namespace and capability detections are tested live, end to end, in
 * tests/e2e/sight.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "probes/read/visibility.h"

struct seen {
	unsigned n;
	char point[64], root[64], fstype[32], opts[64];
};

static void keep(void *ud, const struct mount_entry *m)
{
	struct seen *s = ud;
	s->n++;
	snprintf(s->point, sizeof(s->point), "%s", m->point);
	snprintf(s->root, sizeof(s->root), "%s", m->root);
	snprintf(s->fstype, sizeof(s->fstype), "%s", m->fstype);
	snprintf(s->opts, sizeof(s->opts), "%s", m->superopts);
}

static void test_parse(void **state)
{
	/* The kernel's own example line, an escaped space, optional fields,
	 * CRLF, garbage and a line cut short. */
	static const char buf[] =
	    "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
	    "40 26 0:50 /a\\040b /with\\040space rw shared:5 master:2 - tmpfs tmpfs rw\r\n"
	    "\xff\xfe garbage\n"
	    "41 26 0:51 / /proc rw - proc\n"
	    /* no super options after the source: refused, never read past the
	     * fields (found by fuzz_visibility as a use after free) */
	    "42 26 0:52 / /sys rw - sysfs sysfs\n"
	    "21 26 0:20 / /proc rw,relatime - proc proc rw,hidepid=invisible";
	struct seen s = {0};
	unsigned bad = mountinfo_parse(buf, sizeof(buf) - 1, keep, &s);
	assert_int_equal(s.n, 3);
	assert_int_equal(bad, 3);
	assert_string_equal(s.point, "/proc");
	assert_string_equal(s.fstype, "proc");
	assert_string_equal(s.opts, "rw,hidepid=invisible");
	s = (struct seen){0};
	mountinfo_parse(buf, (size_t)(strstr(buf, "\r\n") - buf), keep, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.point, "/with space");
	assert_string_equal(s.root, "/a b");
}

static void test_hide(void **state)
{
	assert_true(proc_opts_hide("rw,hidepid=2"));
	assert_true(proc_opts_hide("rw,hidepid=invisible"));
	assert_true(proc_opts_hide("rw,hidepid=noaccess,gid=4"));
	assert_true(proc_opts_hide("rw,subset=pid"));
	assert_false(proc_opts_hide("rw,hidepid=0"));
	assert_false(proc_opts_hide("rw,hidepid=off"));
	assert_false(proc_opts_hide("rw"));
	assert_false(proc_opts_hide(""));
	assert_false(proc_opts_hide(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_hide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
