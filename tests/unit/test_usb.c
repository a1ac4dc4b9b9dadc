/* test_usb.c - the usb probe over fixture roots: the sysfs reader's
 * records (ids, strings, classes, authorized, root hub authorized_default,
 * the allowlist key), the storage verdict from modprobe.d, /proc/modules
 * and modules.builtin, USBGuard's configuration, an empty root, and a
 * hostile sysfs tree (garbage attributes, links leaving the root, a FIFO
 * as an attribute). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "probes/probe.h"
#include "tests/unit/harness.h"
#include "probes/read/usbdev.h"

#define FIX "tests/fixtures/"

static void run_probe(struct probe_run *r, const char *dir)
{
	probe_run(r, dir, FSROOT_WALK_ONLY, 1767225600, NULL, probe_usb_run);
	assert_int_equal(r->ret, 0);
}

static void run_free(struct probe_run *r)
{
	probe_run_free(r);
}

static json_t *device(struct probe_run *r, const char *bus)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(r->ctx.inventory, "usb_devices"), i, d) {
		if (strcmp(json_string_value(json_object_get(d, "bus_path")), bus) == 0)
			return d;
	}
	fail_msg("no device %s", bus);
	return NULL;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_t *storage(struct probe_run *r)
{
	return json_object_get(r->ctx.inventory, "usb_storage");
}

static void test_stick(void **state)
{
	(void)state;
	struct probe_run r;
	run_probe(&r, FIX "usb-stick");
	assert_false(r.ctx.partial);
	assert_int_equal(json_array_size(json_object_get(r.ctx.inventory, "usb_devices")), 3);
	json_t *s = device(&r, "1-2");
	assert_string_equal(str(s, "id"), "0781:5567");
	assert_string_equal(str(s, "manufacturer"), "SanDisk");
	assert_string_equal(str(s, "product"), "Cruzer Blade");
	assert_string_equal(str(s, "serial"), "4C530001231109117390");
	assert_string_equal(str(s, "device_class"), "per_interface");
	assert_string_equal(str(s, "key"), "0781:5567/4C530001231109117390/mass_storage");
	assert_true(json_is_true(json_object_get(s, "is_mass_storage")));
	assert_true(json_is_true(json_object_get(s, "authorized")));
	assert_int_equal(json_integer_value(json_object_get(s, "controller_authorized_default")),
			 1);
	assert_true(json_is_null(json_object_get(s, "vendor_name"))); /* no hwdb from sysfs */
	json_t *k = device(&r, "1-3");
	assert_string_equal(str(k, "key"), "413c:2113/-/hid");
	assert_true(json_is_null(json_object_get(k, "serial")));
	assert_int_equal(json_integer_value(json_object_get(k, "interfaces")), 2);
	assert_false(json_is_true(json_object_get(k, "is_mass_storage")));
	json_t *hub = device(&r, "usb1");
	assert_true(json_is_true(json_object_get(hub, "is_hub")));
	assert_string_equal(str(hub, "key"), "1d6b:0002/0000:00:14.0/hub");

	json_t *st = storage(&r);
	assert_true(json_is_true(json_object_get(st, "module_blacklisted")));
	assert_true(json_is_false(json_object_get(st, "module_install_disabled")));
	assert_true(json_is_false(json_object_get(st, "loaded")));
	assert_true(json_is_false(json_object_get(st, "builtin")));
	assert_true(json_is_true(json_object_get(st, "storage_possible")));
	assert_true(json_is_false(json_object_get(st, "usbguard_installed")));
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(st, "mass_storage_devices"), 0)),
	    "0781:5567 Cruzer Blade (1-2)");
	run_free(&r);
}

static void test_blocked(void **state)
{
	(void)state;
	struct probe_run r;
	run_probe(&r, FIX "usb-blocked");
	json_t *st = storage(&r);
	assert_true(json_is_true(json_object_get(st, "module_install_disabled")));
	assert_string_equal(str(st, "install_command"), "/bin/true");
	/* /lib/modprobe.d/blacklist-usb.conf is shadowed by /etc's */
	assert_string_equal(str(st, "install_file"), "/etc/modprobe.d/blacklist-usb.conf");
	assert_int_equal(json_array_size(json_object_get(st, "modprobe_files")), 3);
	assert_true(json_is_false(json_object_get(st, "storage_possible")));
	assert_true(json_is_true(json_object_get(st, "usbguard_enabled")));
	assert_string_equal(str(st, "implicit_policy_target"), "allow");
	assert_string_equal(str(st, "present_device_policy"), "apply-policy");
	assert_int_equal(json_integer_value(json_object_get(st, "usbguard_rules")), 3);
	assert_true(json_is_true(json_object_get(st, "usbguard_allow_all_rule")));
	run_free(&r);
}

static void test_garbage(void **state)
{
	(void)state;
	struct probe_run r;
	run_probe(&r, FIX "usb-garbage");
	assert_true(r.ctx.partial);
	json_t *g = device(&r, "3-1");
	assert_true(json_is_null(json_object_get(g, "id")));
	assert_true(json_is_null(json_object_get(g, "authorized")));
	assert_true(json_is_null(json_object_get(g, "key")));
	assert_string_equal(str(g, "manufacturer"), "Bad\\xffMaker\\x00hidden");
	assert_string_equal(str(device(&r, "3-2"), "serial"), "SERIAL123"); /* CRLF trimmed */
	/* links leaving the root or dangling are not devices */
	assert_int_equal(json_array_size(json_object_get(r.ctx.inventory, "usb_devices")), 4);
	json_t *st = storage(&r);
	assert_true(json_is_true(json_object_get(st, "module_install_disabled")));
	assert_true(json_is_true(json_object_get(st, "loaded")));
	assert_true(json_is_null(json_object_get(st, "builtin"))); /* no osrelease */
	assert_true(json_is_true(json_object_get(st, "storage_possible")));
	run_free(&r);
}

static void test_empty_root(void **state)
{
	(void)state;
	char dir[] = "/tmp/tenken-usb-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct probe_run r;
	run_probe(&r, dir);
	/* no sysfs tree at all: nothing is attached to an offline root, said */
	assert_int_equal(json_array_size(json_object_get(r.ctx.inventory, "usb_devices")), 0);
	assert_int_equal(json_array_size(r.ctx.messages), 1);
	json_t *st = storage(&r);
	assert_int_equal(json_array_size(json_object_get(st, "mass_storage_devices")), 0);
	assert_true(json_is_null(json_object_get(st, "loaded")));
	assert_true(json_is_null(json_object_get(st, "builtin")));
	/* nothing disables it: possible whatever the unknowns */
	assert_true(json_is_true(json_object_get(st, "storage_possible")));
	run_free(&r);
	/* a sysfs tree without a usb bus: no USB devices (absent, not unknown) */
	char path[256];
	snprintf(path, sizeof(path), "%s/sys", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys/bus", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	run_probe(&r, dir);
	assert_int_equal(json_array_size(json_object_get(r.ctx.inventory, "usb_devices")), 0);
	assert_true(json_is_array(json_object_get(r.ctx.inventory, "usb_devices")));
	run_free(&r);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys", dir);
	rmdir(path);
	rmdir(dir);
}

/* install-disabled but /proc unreadable: whether it is loaded is unknown. */
static void test_disabled_unknown_loaded(void **state)
{
	(void)state;
	char dir[] = "/tmp/tenken-usb-XXXXXX", path[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/etc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/modprobe.d", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/modprobe.d/usb.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("install usb-storage /bin/false\n", f);
	fclose(f);
	struct probe_run r;
	run_probe(&r, dir);
	assert_true(json_is_null(json_object_get(storage(&r), "storage_possible")));
	run_free(&r);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc/modprobe.d", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/etc", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_hex_and_classes(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int max, want;
	} cases[] = {
	    {"0781\n", 0xffff, 0x781},
	    {"08", 255, 8},
	    {" 09 \n", 255, 9},
	    {"FFFF", 0xffff, 0xffff},
	    {"10000", 0xffff, -1},
	    {"", 255, -1},
	    {"zz", 255, -1},
	    {"0x08", 255, -1},
	    {"123456789", 0x7fffffff, -1},
	    {"1", 1, 1},
	    {"2", 1, -1},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (usbdev_parse_hex(cases[i].in, strlen(cases[i].in), cases[i].max) !=
		    cases[i].want)
			fail_msg("\"%s\"", cases[i].in);
	assert_string_equal(usbdev_class_name(8), "mass_storage");
	assert_string_equal(usbdev_class_name(3), "hid");
	assert_string_equal(usbdev_class_name(0xe0), "wireless");
	assert_string_equal(usbdev_class_name(7), "printer");
	assert_string_equal(usbdev_class_name(9), "hub");
	assert_string_equal(usbdev_class_name(0x42), "other");
	assert_null(usbdev_class_name(-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stick),
	    cmocka_unit_test(test_blocked),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_empty_root),
	    cmocka_unit_test(test_disabled_unknown_loaded),
	    cmocka_unit_test(test_hex_and_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
