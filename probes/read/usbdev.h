/* usbdev.h - one source of USB device records, two backends.
 *
 * The sysfs backend reads each device in /sys/bus/usb/devices through the fsroot layer
 * (so it works on an offline root whose sys/ tree is a fixture, and in
 * the static binary); the libudev backend (only with HAVE_LIBUDEV, only
 * on the live host) enumerates the same devices through udev and adds the
 * hwdb's vendor and model names. Both fill the same struct usbdev from
 * the same sysfs attributes, and usbdev_to_json() turns either into the
 * one record shape of the "usb_devices" collection, so the inventories
 * can be compared field by field (vendor_name and model_name excepted:
 * they exist only where udev's hwdb is read).
 *
 * Ownership: usbdev_list owns every record and string; free it with
 * usbdev_list_free(). Problems with single attributes are collected as
 * issues in the list (English and Japanese), never fatal.
 */
#ifndef TENKEN_USBDEV_H
#define TENKEN_USBDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "probes/read/fsroot.h"

struct usbdev {
	char *bus_path;				  /* sysfs name: "1-1.2", "usb1" */
	char *vendor_id, *product_id;		  /* 4 lowercase hex digits, NULL if unreadable */
	struct buf manufacturer, product, serial; /* raw bytes; data NULL if absent */
	int device_class;			  /* bDeviceClass, -1 unreadable */
	int *iface_classes; /* bInterfaceClass of each interface, -1 unreadable */
	size_t n_ifaces;
	int authorized;			   /* 0/1, -1 unreadable */
	int controller_authorized_default; /* of the bus's root hub; -1 unreadable */
	char *vendor_name, *model_name;	   /* hwdb (libudev only), else NULL */
	char *ug_hash;			   /* USBGuard's device hash; NULL if unreadable */
	char *ug_parent_hash;		   /* its parent-hash; NULL if unknown */
	char *devpath;			   /* "/devices/.../usb1" (sysfs relative); NULL */
	char **ug_ifaces;		   /* "cc:ss:pp" of each interface descriptor */
	size_t n_ug_ifaces;
	bool descriptors_read; /* ug_ifaces comes from the descriptors */
	char *connect_type;    /* port/connect_type, "" if none; NULL unreadable */
};

struct usbdev_list {
	struct usbdev *v;
	size_t n, cap;
	char **issues_en, **issues_ja; /* parallel, n_issues each */
	size_t n_issues;
	bool partial; /* some attribute could not be read */
	bool hwdb;    /* vendor_name/model_name come from a hwdb */
};

void usbdev_list_free(struct usbdev_list *l);

/* The sysfs backend: every device under /sys/bus/usb/devices of root.
 * Returns 0 (also when the directory is missing: *ret_present = false),
 * or -errno when the directory exists but cannot be listed. */
int usbdev_enumerate_sysfs(struct fsroot *root, struct usbdev_list *ret, bool *ret_present);

#ifdef HAVE_LIBUDEV
/* The libudev backend: the live host's devices. 0 or -errno. */
int usbdev_enumerate_udev(struct usbdev_list *ret, bool *ret_present);
#endif

/* The USB class name of a class code ("mass_storage", "hid", "hub",
 * "printer", "wireless", ...; "other" for codes the USB-IF has not
 * assigned; NULL for a negative (unreadable) code). Static string. */
const char *usbdev_class_name(int cls);

/* The "usb_devices" record of one device (new reference): unreadable
 * attributes are null, absent strings (no serial) are null too, and "key"
 * is "VVVV:PPPP/SERIAL/CLASSES" for allowlists. */
json_t *usbdev_to_json(const struct usbdev *d);

/* Parse a sysfs hex attribute ("0781\n", "08") into 0..max; -1 if junk. */
int usbdev_parse_hex(const char *s, size_t n, int max);

#endif
