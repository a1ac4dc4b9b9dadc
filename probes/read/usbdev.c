/* usbdev.c - USB device records from sysfs (through fsroot) or libudev.
 *
 * Both backends reduce to the same two operations: the sorted names of
 * the "usb" bus's devices and interfaces ("usb1", "1-1", "1-1:1.0"), and
 * reading one sysfs attribute of one of them. The records are then built
 * by the same code, so the backends cannot drift apart in what they
 * record; they differ only in how the bytes are fetched.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/limits.h"
#include "probes/parse/usbguard_parse.h"
#include "probes/read/usbdev.h"
#ifdef HAVE_LIBUDEV
#include <libudev.h>
#endif

struct backend {
	/* Read attribute attr of device name into ret (NUL-terminated);
	 * -ENOENT if the attribute does not exist, else -errno. */
	int (*get)(void *h, const char *name, const char *attr, struct buf *ret);
	/* Extra per-device facts (hwdb names); may be NULL. */
	void (*extra)(void *h, struct usbdev *d);
	void *h;
};

static void usbdev_free(struct usbdev *d)
{
	free(d->bus_path);
	free(d->vendor_id);
	free(d->product_id);
	buf_free(&d->manufacturer);
	buf_free(&d->product);
	free(d->ug_hash);
	free(d->ug_parent_hash);
	free(d->devpath);
	strv_clear(&d->ug_ifaces, &d->n_ug_ifaces);
	free(d->connect_type);
	buf_free(&d->serial);
	free(d->iface_classes);
	free(d->vendor_name);
	free(d->model_name);
}

void usbdev_list_free(struct usbdev_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		usbdev_free(&l->v[i]);
	for (size_t i = 0; i < l->n_issues; i++) {
		free(l->issues_en[i]);
		free(l->issues_ja[i]);
	}
	free(l->v);
	free(l->issues_en);
	free(l->issues_ja);
	memset(l, 0, sizeof(*l));
}

static void add_issue(struct usbdev_list *l, const char *name, const char *attr, int err)
{
	l->partial = true;
	if (l->n_issues >= LIMIT_LINE_MESSAGES)
		return;
	char **en = realloc(l->issues_en, (l->n_issues + 1) * sizeof(char *));
	if (!en)
		return;
	l->issues_en = en;
	char **ja = realloc(l->issues_ja, (l->n_issues + 1) * sizeof(char *));
	if (!ja)
		return;
	l->issues_ja = ja;
	if (asprintf(&en[l->n_issues], "USB device %s: attribute %s unreadable or invalid (%s)",
		     name, attr, strerror(-err)) < 0)
		return;
	if (asprintf(&ja[l->n_issues], "USB デバイス %s: 属性 %s を読めないか不正です（%s）", name,
		     attr, strerror(-err)) < 0) {
		free(en[l->n_issues]);
		return;
	}
	l->n_issues++;
}

int usbdev_parse_hex(const char *s, size_t n, int max)
{
	const char *p = s;
	size_t len = n;
	str_trim(&p, &len);
	if (len == 0 || len > 8)
		return -1;
	long v = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v <= max ? (int)v : -1;
}

/* A hex attribute; -1 (and an issue unless absent_ok and missing). */
static int get_hex(struct usbdev_list *l, const struct backend *be, const char *name,
		   const char *attr, int max, bool absent_ok)
{
	_cleanup_buf_ struct buf b = {0};
	int r = be->get(be->h, name, attr, &b);
	if (r < 0) {
		if (!(absent_ok && r == -ENOENT))
			add_issue(l, name, attr, r);
		return -1;
	}
	int v = usbdev_parse_hex(b.data, b.len, max);
	if (v < 0)
		add_issue(l, name, attr, -EINVAL);
	return v;
}

static char *hex4(int v)
{
	char *s = NULL;
	if (v < 0 || asprintf(&s, "%04x", (unsigned)v) < 0)
		return NULL;
	return s;
}

/* A string attribute: absent is fine (many devices have no serial). */
static void get_str(struct usbdev_list *l, const struct backend *be, const char *name,
		    const char *attr, struct buf *ret)
{
	int r = be->get(be->h, name, attr, ret);
	if (r < 0) {
		if (r != -ENOENT)
			add_issue(l, name, attr, r);
		memset(ret, 0, sizeof(*ret));
		return;
	}
	while (ret->len > 0 && strchr("\n\r ", ret->data[ret->len - 1]) && ret->data[ret->len - 1])
		ret->data[--ret->len] = '\0';
}

/* The interfaces of dev: names "DEV:C.I" among the sorted names. */
static int fill_ifaces(struct usbdev_list *l, const struct backend *be, struct usbdev *d,
		       char **names, size_t n)
{
	/* a root hub "usbN" names its interface "N-0:1.0" */
	char prefix[LIMIT_PATH];
	if (str_startswith(d->bus_path, "usb"))
		snprintf(prefix, sizeof(prefix), "%s-0:", d->bus_path + 3);
	else
		snprintf(prefix, sizeof(prefix), "%s:", d->bus_path);
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(names[i], prefix, plen) != 0)
			continue;
		int *v = realloc(d->iface_classes, (d->n_ifaces + 1) * sizeof(int));
		if (!v)
			return -ENOMEM;
		d->iface_classes = v;
		v[d->n_ifaces++] = get_hex(l, be, names[i], "bInterfaceClass", 255, false);
	}
	return 0;
}

/* The root hub's name ("usb3") of a device name ("3-1.2" or "usb3"). */
static char *root_hub_of(const char *name)
{
	char *s = NULL;
	if (str_startswith(name, "usb"))
		return strdup(name);
	size_t n = strcspn(name, "-");
	if (asprintf(&s, "usb%.*s", (int)n, name) < 0)
		return NULL;
	return s;
}

/* Every interface descriptor of the raw descriptors, as USBGuard lists
 * them for with-interface ("08:06:50"), in order, all configurations. */
static void ug_interfaces(struct usbdev *d, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 2 <= n && p[i] >= 2; i += p[i]) {
		char t[16];
		if (p[i + 1] != 0x04 || p[i] < 9 || i + 9 > n)
			continue;
		snprintf(t, sizeof(t), "%02x:%02x:%02x", p[i + 5], p[i + 6], p[i + 7]);
		strv_push_n(&d->ug_ifaces, &d->n_ug_ifaces, t, strlen(t));
	}
	d->descriptors_read = true;
}

/* port/connect_type ("hotplug", "hardwired"...); "" when the kernel has
 * none, as USBGuard reads it. */
static void ug_connect_type(struct usbdev_list *l, const struct backend *be, struct usbdev *d)
{
	_cleanup_buf_ struct buf b = {0};
	int r = be->get(be->h, d->bus_path, "port/connect_type", &b);
	if (r < 0 && r != -ENOENT) {
		add_issue(l, d->bus_path, "port/connect_type", r);
		return;
	}
	while (b.len && strchr("\n\r ", b.data[b.len - 1]))
		b.len--;
	d->connect_type = r < 0 ? strdup("") : xstrndup(b.data, b.len);
}

/* USBGuard's hash of d (see ug_device_hash), and its sysfs devpath. */
static void ug_hash(struct usbdev_list *l, const struct backend *be, struct usbdev *d)
{
	_cleanup_buf_ struct buf desc = {0}, dp = {0};
	char h[UG_HASH_LEN];
	if (be->get(be->h, d->bus_path, "@devpath", &dp) == 0)
		d->devpath = TAKE_PTR(dp.data);
	ug_connect_type(l, be, d);
	int r = be->get(be->h, d->bus_path, "descriptors", &desc);
	if (r < 0) {
		/* a fixture tree without it: no hash (null), nothing else lost */
		if (r != -ENOENT)
			add_issue(l, d->bus_path, "descriptors", r);
		return;
	}
	const struct ug_hash_input in = {
	    .name = d->product.data,
	    .vendor_id = d->vendor_id,
	    .product_id = d->product_id,
	    .serial = d->serial.data,
	    .descriptors = (const unsigned char *)desc.data,
	    .descriptors_len = desc.len,
	};
	ug_interfaces(d, in.descriptors, in.descriptors_len);
	if (d->vendor_id && d->product_id && ug_device_hash(&in, h) == 0)
		d->ug_hash = strdup(h);
}

static int fill_device(struct usbdev_list *l, const struct backend *be, struct usbdev *d,
		       char **names, size_t n)
{
	const char *name = d->bus_path;
	d->vendor_id = hex4(get_hex(l, be, name, "idVendor", 0xffff, false));
	d->product_id = hex4(get_hex(l, be, name, "idProduct", 0xffff, false));
	get_str(l, be, name, "manufacturer", &d->manufacturer);
	get_str(l, be, name, "product", &d->product);
	get_str(l, be, name, "serial", &d->serial);
	d->device_class = get_hex(l, be, name, "bDeviceClass", 255, false);
	d->authorized = get_hex(l, be, name, "authorized", 1, false);
	_cleanup_free_ char *hub = root_hub_of(name);
	if (!hub)
		return -ENOMEM;
	d->controller_authorized_default = get_hex(l, be, hub, "authorized_default", 2, false);
	if (be->extra)
		be->extra(be->h, d);
	ug_hash(l, be, d);
	return fill_ifaces(l, be, d, names, n);
}

/* The parent device's name: "1-1" of "1-1.2", "usb1" of "1-3"; NULL for
 * a root hub (its parent is the controller). */
static char *parent_of(const char *name)
{
	if (str_startswith(name, "usb"))
		return NULL;
	const char *dot = strrchr(name, '.');
	return dot ? xstrndup(name, (size_t)(dot - name)) : root_hub_of(name);
}

/* parent-hash as USBGuard sets it: the parent device's hash, or for a
 * root hub the hash of the controller's sysfs path. */
static void ug_parent_hashes(struct usbdev_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct usbdev *d = &l->v[i];
		_cleanup_free_ char *p = parent_of(d->bus_path);
		char h[UG_HASH_LEN];
		if (!p && d->devpath && strrchr(d->devpath, '/') > d->devpath) {
			_cleanup_free_ char *up =
			    xstrndup(d->devpath, (size_t)(strrchr(d->devpath, '/') - d->devpath));
			if (up && ug_string_hash(up, h) == 0)
				d->ug_parent_hash = strdup(h);
			continue;
		}
		for (size_t k = 0; p && k < l->n; k++)
			if (strcmp(l->v[k].bus_path, p) == 0 && l->v[k].ug_hash)
				d->ug_parent_hash = strdup(l->v[k].ug_hash);
	}
}

/* Build every device record from the bus's sorted names. */
static int build(struct usbdev_list *l, const struct backend *be, char **names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr(names[i], ':') || names[i][0] == '.')
			continue;
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 16;
			struct usbdev *v = realloc(l->v, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			l->v = v;
			l->cap = cap;
		}
		struct usbdev *d = &l->v[l->n];
		memset(d, 0, sizeof(*d));
		d->bus_path = strdup(names[i]);
		if (!d->bus_path)
			return -ENOMEM;
		l->n++;
		int r = fill_device(l, be, d, names, n);
		if (r < 0)
			return r;
	}
	ug_parent_hashes(l);
	return 0;
}

/* ---- sysfs backend ---------------------------------------------------- */

#define SYSFS_USB "/sys/bus/usb/devices"

/* "/devices/..." of a /sys/bus/usb/devices link ("../../../devices/..."). */
static int sysfs_devpath(struct fsroot *root, const char *name, struct buf *ret)
{
	_cleanup_free_ char *p = path_join(SYSFS_USB, name), *link = NULL;
	int r = p ? fsroot_readlink(root, p, &link) : -ENOMEM;
	if (r < 0)
		return r;
	const char *s = link;
	while (str_startswith(s, "../"))
		s += 3;
	if (!str_startswith(s, "devices/") || strstr(s, "/../"))
		return -EINVAL;
	if (asprintf(&ret->data, "/%s", s) < 0)
		return -ENOMEM;
	ret->len = strlen(ret->data);
	return 0;
}

static int sysfs_get(void *h, const char *name, const char *attr, struct buf *ret)
{
	char path[LIMIT_PATH];
	if (strchr(name, '/') || (strchr(attr, '/') && strcmp(attr, "port/connect_type")))
		return -EINVAL;
	if (strcmp(attr, "@devpath") == 0)
		return sysfs_devpath(h, name, ret);
	int n = snprintf(path, sizeof(path), SYSFS_USB "/%s/%s", name, attr);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return fsroot_read(h, path, LIMIT_SMALL_FILE, ret);
}

int usbdev_enumerate_sysfs(struct fsroot *root, struct usbdev_list *ret, bool *ret_present)
{
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = fsroot_list(root, SYSFS_USB, &names, &n);
	*ret_present = r >= 0;
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	/* A link that leaves the root or dangles is one problem, not one
	 * per attribute; udev would not list such a device either. */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		_cleanup_free_ char *p = path_join(SYSFS_USB, names[i]);
		int e = p ? fsroot_stat(root, p, true, &st) : -ENOMEM;
		if (e == 0 && !S_ISDIR(st.st_mode))
			e = -ENOTDIR;
		if (e < 0) {
			add_issue(ret, names[i], "(link)", e);
			free(names[i]);
			continue;
		}
		names[k++] = names[i];
	}
	names[k] = NULL;
	n = k;
	const struct backend be = {sysfs_get, NULL, root};
	return build(ret, &be, names, n);
}

/* ---- libudev backend -------------------------------------------------- */

#ifdef HAVE_LIBUDEV
static void udev_unrefp(struct udev **u)
{
	if (*u)
		udev_unref(*u);
}
static void udev_enumerate_unrefp(struct udev_enumerate **e)
{
	if (*e)
		udev_enumerate_unref(*e);
}
static void udev_device_unrefp(struct udev_device **d)
{
	if (*d)
		udev_device_unref(*d);
}

/* A binary attribute (descriptors holds NUL bytes, which libudev's
 * string values cut): read from the device's sysfs directory, bounded. */
static int udev_binary(struct udev_device *dev, const char *attr, struct buf *ret)
{
	char path[LIMIT_PATH];
	const char *sys = udev_device_get_syspath(dev);
	if (!sys || snprintf(path, sizeof(path), "%s/%s", sys, attr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return -EINVAL;
	ret->data = malloc(LIMIT_SMALL_FILE + 1);
	if (!ret->data)
		return -ENOMEM;
	ssize_t k = read(fd, ret->data, LIMIT_SMALL_FILE);
	if (k < 0) {
		buf_free(ret);
		return -EIO;
	}
	ret->len = (size_t)k;
	ret->data[k] = '\0';
	return 0;
}

/* libudev returns sysfs attribute values with the trailing newline
 * stripped; the sysfs reader keeps it and get_str/parse_hex trim, so the
 * records agree. */
static int udev_get(void *h, const char *name, const char *attr, struct buf *ret)
{
	_cleanup_(udev_device_unrefp) struct udev_device *dev =
	    udev_device_new_from_subsystem_sysname(h, "usb", name);
	if (!dev)
		return -ENOENT;
	if (strcmp(attr, "descriptors") == 0)
		return udev_binary(dev, attr, ret);
	const char *v = strcmp(attr, "@devpath") == 0 ? udev_device_get_devpath(dev)
						      : udev_device_get_sysattr_value(dev, attr);
	if (!v)
		return -ENOENT;
	ret->len = strnlen(v, LIMIT_SMALL_FILE);
	ret->data = xstrndup(v, ret->len);
	return ret->data ? 0 : -ENOMEM;
}

static void udev_extra(void *h, struct usbdev *d)
{
	_cleanup_(udev_device_unrefp) struct udev_device *dev =
	    udev_device_new_from_subsystem_sysname(h, "usb", d->bus_path);
	if (!dev)
		return;
	const char *v = udev_device_get_property_value(dev, "ID_VENDOR_FROM_DATABASE");
	const char *m = udev_device_get_property_value(dev, "ID_MODEL_FROM_DATABASE");
	d->vendor_name = v ? strdup(v) : NULL;
	d->model_name = m ? strdup(m) : NULL;
}

/* The sorted sysnames of the usb subsystem (new strv). */
static int udev_names(struct udev *u, char ***ret, size_t *ret_n)
{
	_cleanup_(udev_enumerate_unrefp) struct udev_enumerate *e = udev_enumerate_new(u);
	if (!e || udev_enumerate_add_match_subsystem(e, "usb") < 0 ||
	    udev_enumerate_scan_devices(e) < 0)
		return -EIO;
	size_t n = 0, cap = 0;
	_cleanup_strv_ char **v = NULL;
	struct udev_list_entry *it;
	udev_list_entry_foreach(it, udev_enumerate_get_list_entry(e))
	{
		const char *s = strrchr(udev_list_entry_get_name(it), '/');
		if (!s || n >= LIMIT_DIR_ENTRIES)
			continue;
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 64;
			char **nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				return -ENOMEM;
			v = nv;
		}
		v[n] = strdup(s + 1);
		if (!v[n])
			return -ENOMEM;
		v[++n] = NULL;
	}
	if (v)
		qsort(v, n, sizeof(*v), strv_cmp);
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

int usbdev_enumerate_udev(struct usbdev_list *ret, bool *ret_present)
{
	_cleanup_(udev_unrefp) struct udev *u = udev_new();
	if (!u)
		return -ENOMEM;
	_cleanup_strv_ char **names = NULL;
	size_t n = 0;
	int r = udev_names(u, &names, &n);
	if (r < 0)
		return r;
	*ret_present = true;
	ret->hwdb = true;
	const struct backend be = {udev_get, udev_extra, u};
	return build(ret, &be, names, n);
}
#endif

/* ---- records ----------------------------------------------------------- */

const char *usbdev_class_name(int cls)
{
	static const struct {
		int cls;
		const char *name;
	} names[] = {
	    {0x00, "per_interface"},
	    {0x01, "audio"},
	    {0x02, "communications"},
	    {0x03, "hid"},
	    {0x05, "physical"},
	    {0x06, "image"},
	    {0x07, "printer"},
	    {0x08, "mass_storage"},
	    {0x09, "hub"},
	    {0x0a, "cdc_data"},
	    {0x0b, "smart_card"},
	    {0x0d, "content_security"},
	    {0x0e, "video"},
	    {0x0f, "personal_healthcare"},
	    {0x10, "audio_video"},
	    {0x11, "billboard"},
	    {0x12, "usb_c_bridge"},
	    {0xdc, "diagnostic"},
	    {0xe0, "wireless"},
	    {0xef, "miscellaneous"},
	    {0xfe, "application_specific"},
	    {0xff, "vendor_specific"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].cls == cls)
			return names[i].name;
	return cls < 0 ? NULL : "other";
}

static json_t *buf_json(const struct buf *b)
{
	return b->data ? json_bytes(b->data, b->len) : json_null();
}

static json_t *tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v > 0);
}

/* interface_classes, and whether any interface (or the device) has cls. */
static json_t *iface_json(const struct usbdev *d, int cls, int *has)
{
	json_t *a = json_array();
	*has = d->device_class == cls ? 1 : d->device_class < 0 ? -1 : 0;
	for (size_t i = 0; a && i < d->n_ifaces; i++) {
		int c = d->iface_classes[i];
		if (c == cls)
			*has = 1;
		else if (c < 0 && *has == 0)
			*has = -1;
		const char *name = c < 0 ? "unknown" : usbdev_class_name(c);
		bool dup = false;
		for (size_t j = 0; j < json_array_size(a); j++)
			dup |= strcmp(json_string_value(json_array_get(a, j)), name) == 0;
		if (!dup)
			json_array_append_new(a, json_string(name));
	}
	return a;
}

/* "VVVV:PPPP/SERIAL/class+class": what an allowlist is keyed by (never
 * the port). SERIAL is "-" when the device has none. New reference, null
 * when the id is unknown. */
static json_t *key_json(const struct usbdev *d, const char *id, json_t *ifs)
{
	struct strbuf sb;
	if (!id[0])
		return json_null();
	strbuf_init(&sb, LIMIT_PATH * 2);
	strbuf_printf(&sb, "%s/", id);
	if (d->serial.data)
		strbuf_append(&sb, d->serial.data, strnlen(d->serial.data, d->serial.len));
	else
		strbuf_puts(&sb, "-");
	strbuf_puts(&sb, "/");
	for (size_t i = 0; i < json_array_size(ifs); i++) {
		strbuf_puts(&sb, i ? "+" : "");
		strbuf_puts(&sb, json_string_value(json_array_get(ifs, i)));
	}
	if (json_array_size(ifs) == 0 && d->device_class >= 0)
		strbuf_puts(&sb, usbdev_class_name(d->device_class));
	char *s = strbuf_steal(&sb);
	json_t *j = json_str(s);
	free(s);
	return j;
}

static json_t *ug_ifaces_json(const struct usbdev *d)
{
	if (!d->descriptors_read)
		return json_null();
	return d->ug_ifaces ? strv_json(d->ug_ifaces) : json_array();
}

json_t *usbdev_to_json(const struct usbdev *d)
{
	int storage, hub;
	json_t *ifs = iface_json(d, 0x08, &storage);
	json_decref(iface_json(d, 0x09, &hub));
	char id[10] = "";
	if (d->vendor_id && d->product_id)
		snprintf(id, sizeof(id), "%s:%s", d->vendor_id, d->product_id);
	const char *dc = d->device_class < 0 ? NULL : usbdev_class_name(d->device_class);
	return json_pack(
	    "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "bus_path", d->bus_path, "vendor_id", json_str(d->vendor_id), "product_id",
	    json_str(d->product_id), "id", id[0] ? json_string(id) : json_null(), "manufacturer",
	    buf_json(&d->manufacturer), "product", buf_json(&d->product), "serial",
	    buf_json(&d->serial), "device_class", json_str(dc), "interface_classes",
	    ifs ? ifs : json_null(), "authorized", tri(d->authorized), "is_mass_storage",
	    tri(storage), "is_hub", tri(hub), "controller_authorized_default",
	    d->controller_authorized_default < 0 ? json_null()
						 : json_integer(d->controller_authorized_default),
	    "vendor_name", json_str(d->vendor_name), "model_name", json_str(d->model_name),
	    "interfaces", json_integer((json_int_t)d->n_ifaces), "key", key_json(d, id, ifs),
	    "usbguard_hash", json_str(d->ug_hash), "usbguard_parent_hash",
	    json_str(d->ug_parent_hash), "usbguard_interfaces", ug_ifaces_json(d), "connect_type",
	    json_str(d->connect_type));
}
