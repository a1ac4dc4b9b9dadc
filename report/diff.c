/* diff.c - the changes between two scans of one host (diff.h).
 *
 * Findings are matched by (rule, subject). A failure is "new" when the
 * newer scan fails it and the older did not; "fixed" when the older
 * failed it and the newer passes it or no longer lists it; every other
 * move (pass to unknown, fail to unknown, ...) is a status change, since
 * unknown is never a pass. Findings with "omitted": true stand for many
 * and are not matched.
 *
 * Inventory sets are keyed so that a renamed detail is not a new thing:
 * accounts by name, administrators by name, enabled services by unit,
 * listeners by protocol, port and address, USB devices by their key
 * (id, serial, interfaces), packages by name and architecture (a version
 * change is "changed", old and new shown; the direction is not judged
 * here because comparing versions is the package manager's business),
 * wireless networks by connection name.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/sha.h>
#include "report/diff.h"
#include "report/render.h"
#include "lib/util.h"

/* Groups whose members administer the host (the shipped profiles'
 * admin_groups, without root, which is the uid-0 case). */
static const char *const admin_groups[] = {"sudo", "wheel", "admin"};

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A new formatted string, or NULL when out of memory. */
__attribute__((format(printf, 1, 2))) static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static const char *str_or_empty(const json_t *o, const char *key)
{
	return jstr(o, key) ? jstr(o, key) : "";
}

static int rule_subject_cmp(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	int c = strcmp(str_or_empty(a, "rule"), str_or_empty(b, "rule"));
	return c ? c : strcmp(str_or_empty(a, "subject"), str_or_empty(b, "subject"));
}

/* Findings of a change list ordered by rule, then subject. */
static void sort_findings(json_t *arr)
{
	size_t n = json_array_size(arr);
	_cleanup_free_ json_t **v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), rule_subject_cmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
}

int report_check_shape(const json_t *r, const char **ret_pointer, const char **ret_ja,
		       const char **ret_en)
{
	static const struct {
		const char *key, *pointer;
		bool array;
	} parts[] = {{"host", "/host", false},
		     {"findings", "/findings", true},
		     {"checklist", "/checklist", true},
		     {"inventory", "/inventory", false}};
	const char *fmt = jstr(r, "format");
	*ret_pointer = json_object_get(r, "format") ? "/format" : "";
	if (!json_is_object(r) || !fmt || strcmp(fmt, "tenken-report") != 0) {
		*ret_ja =
		    "tenken のレポートではありません（\"format\" が \"tenken-report\" ではない）";
		*ret_en = "not a tenken report (\"format\" is not \"tenken-report\")";
		return -EINVAL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		const json_t *v = json_object_get(r, parts[i].key);
		if (parts[i].array ? json_is_array(v) : json_is_object(v))
			continue;
		*ret_pointer = v ? parts[i].pointer : "";
		*ret_ja = parts[i].array
			      ? "レポートの配列がないか、配列ではありません"
			      : "レポートのオブジェクトがないか、オブジェクトではありません";
		*ret_en = parts[i].array ? "a report array is missing or not an array"
					 : "a report object is missing or not an object";
		return -EINVAL;
	}
	return 0;
}

const char *report_machine_id(const json_t *r)
{
	return jstr(json_object_get(r, "host"), "machine_id");
}

const char *report_scanned_at(const json_t *r)
{
	const json_t *scan = json_object_get(r, "scan");
	return jstr(scan, "started_at") ? jstr(scan, "started_at") : jstr(scan, "now");
}

/* ---- building the document ---- */

static json_t *side(const json_t *r)
{
	const json_t *host = json_object_get(r, "host");
	return json_pack("{s:o,s:o,s:o,s:o}", "hostname", json_str(jstr(host, "hostname")),
			 "machine_id", json_str(report_machine_id(r)), "scanned_at",
			 json_str(report_scanned_at(r)), "checklist_edition",
			 json_str(jstr(r, "checklist_edition")));
}

static json_t *copy_or_null(const json_t *v)
{
	return v ? json_deep_copy(v) : json_null();
}

static json_t *checklist_changes(const json_t *old_r, const json_t *new_r)
{
	json_t *out = json_array();
	const json_t *olist = json_object_get(old_r, "checklist");
	const json_t *nlist = json_object_get(new_r, "checklist");
	size_t i, j;
	json_t *it, *o;
	/* Every item of the newer scan, then items only the older one had. */
	json_array_foreach(nlist, i, it) {
		const json_t *match = NULL;
		json_array_foreach(olist, j, o)
			if (jstr(o, "item") && jstr(it, "item") &&
			    strcmp(jstr(o, "item"), jstr(it, "item")) == 0)
				match = o;
		const char *a = jstr(match, "answer"), *b = jstr(it, "answer");
		if (match && a && b && strcmp(a, b) == 0)
			continue;
		json_array_append_new(out, json_pack("{s:o,s:o,s:o,s:o}", "item",
						     json_str(jstr(it, "item")), "title",
						     copy_or_null(json_object_get(it, "title")),
						     "old", json_str(a), "new", json_str(b)));
	}
	json_array_foreach(olist, j, o) {
		bool found = false;
		json_array_foreach(nlist, i, it)
			found = found || (jstr(o, "item") && jstr(it, "item") &&
					  strcmp(jstr(o, "item"), jstr(it, "item")) == 0);
		if (!found)
			json_array_append_new(
			    out, json_pack("{s:o,s:o,s:o,s:n}", "item", json_str(jstr(o, "item")),
					   "title", copy_or_null(json_object_get(o, "title")),
					   "old", json_str(jstr(o, "answer")), "new"));
	}
	return out;
}

/* Findings keyed "rule\x1fsubject" (the first of duplicates counts). */
static json_t *finding_index(const json_t *r)
{
	json_t *idx = json_object();
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(r, "findings"), i, f) {
		if (json_is_true(json_object_get(f, "omitted")) || !jstr(f, "rule"))
			continue;
		_cleanup_free_ char *key =
		    fmt("%s\x1f%s", jstr(f, "rule"), str_or_empty(f, "subject"));
		if (!key)
			continue;
		if (!json_object_get(idx, key))
			json_object_set(idx, key, f);
	}
	return idx;
}

static json_t *finding_entry(const json_t *o, const json_t *n)
{
	const json_t *f = n ? n : o;
	return json_pack(
	    "{s:o,s:o,s:o,s:O,s:o,s:o,s:O}", "rule", json_str(jstr(f, "rule")), "subject",
	    json_str(jstr(f, "subject")), "severity", json_str(jstr(f, "severity")), "checklist",
	    json_object_get(f, "checklist") ? json_object_get(f, "checklist") : json_null(), "old",
	    json_str(jstr(o, "status")), "new", json_str(jstr(n, "status")), "message",
	    json_object_get(f, "message") ? json_object_get(f, "message") : json_null());
}

static bool is(const json_t *f, const char *status)
{
	return f && jstr(f, "status") && strcmp(jstr(f, "status"), status) == 0;
}

/* Where the pair (o, n) belongs: "new_failures", "fixed",
 * "status_changed", or NULL when nothing moved. */
static const char *finding_class(const json_t *o, const json_t *n)
{
	if (is(n, "fail") && !is(o, "fail"))
		return "new_failures";
	if (is(o, "fail") && (!n || is(n, "pass")))
		return "fixed";
	const json_t *only = o ? o : n;
	/* A rule's "host" pass stands for "nothing failed": it goes when
	 * failures come and comes back when they are fixed, and those are
	 * listed themselves. */
	if ((!o || !n) && is(only, "pass") && jstr(only, "subject") &&
	    strcmp(jstr(only, "subject"), "host") == 0)
		return NULL;
	if (!o || !n) /* a pass or unknown that came or went */
		return "status_changed";
	const char *a = jstr(o, "status"), *b = jstr(n, "status");
	return a && b && strcmp(a, b) == 0 ? NULL : "status_changed";
}

static json_t *finding_changes(const json_t *old_r, const json_t *new_r)
{
	json_auto_t *oi = finding_index(old_r), *ni = finding_index(new_r);
	json_t *out = json_pack("{s:[],s:[],s:[]}", "new_failures", "fixed", "status_changed");
	const char *k;
	json_t *n, *o;
	if (!oi || !ni || !out) {
		json_decref(out);
		return NULL;
	}
	json_object_foreach(ni, k, n) {
		o = json_object_get(oi, k);
		const char *cls = finding_class(o, n);
		if (cls)
			json_array_append_new(json_object_get(out, cls), finding_entry(o, n));
	}
	json_object_foreach(oi, k, o) {
		if (json_object_get(ni, k))
			continue;
		const char *cls = finding_class(o, NULL);
		if (cls)
			json_array_append_new(json_object_get(out, cls), finding_entry(o, NULL));
	}
	const char *keys[] = {"new_failures", "fixed", "status_changed"};
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		sort_findings(json_object_get(out, keys[i]));
	return out;
}

/* ---- inventory sets ---- */

static bool in_admin_group(const json_t *account)
{
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(account, "groups"), i, g)
		for (size_t j = 0; j < ARRAY_SIZE(admin_groups); j++)
			if (json_string_value(g) &&
			    strcmp(json_string_value(g), admin_groups[j]) == 0)
				return true;
	return false;
}

/* Key and shown detail of one element of a collection; NULL key skips
 * it. New strings in *key and *detail (detail may stay NULL). */
typedef void (*keyer)(const json_t *e, char **key, char **detail);

static void account_key(const json_t *e, char **key, char **detail)
{
	if (jstr(e, "name"))
		*key = strdup(jstr(e, "name"));
	if (json_is_integer(json_object_get(e, "uid")))
		*detail = fmt("uid %lld", (long long)json_integer_value(json_object_get(e, "uid")));
}

static void admin_key(const json_t *e, char **key, char **detail)
{
	bool uid0 = json_is_integer(json_object_get(e, "uid")) &&
		    json_integer_value(json_object_get(e, "uid")) == 0;
	bool sudo_all = json_is_true(json_object_get(e, "sudo_all"));
	if (!jstr(e, "name") || (!uid0 && !sudo_all && !in_admin_group(e)))
		return;
	*key = strdup(jstr(e, "name"));
	*detail = render_value(json_object_get(e, "groups"), "en");
}

static void service_key(const json_t *e, char **key, char **detail)
{
	if (json_is_true(json_object_get(e, "enabled")) && jstr(e, "unit"))
		*key = strdup(jstr(e, "unit"));
	if (*key && jstr(e, "source"))
		*detail = strdup(jstr(e, "source"));
}

static void listener_key(const json_t *e, char **key, char **detail)
{
	const char *pp = jstr(e, "proto_port"), *addr = jstr(e, "address");
	if (!pp)
		return;
	*key = fmt("%s %s", pp, addr ? addr : "*");
	if (jstr(e, "process") || jstr(e, "unit"))
		*detail =
		    fmt("%s%s%s", str_or_empty(e, "process"),
			jstr(e, "process") && jstr(e, "unit") ? " " : "", str_or_empty(e, "unit"));
}

static void usb_key(const json_t *e, char **key, char **detail)
{
	const char *k = jstr(e, "key") ? jstr(e, "key") : jstr(e, "id");
	if (!k)
		return;
	*key = strdup(k);
	const char *m = jstr(e, "manufacturer") ? jstr(e, "manufacturer") : jstr(e, "vendor_name");
	const char *p = jstr(e, "product") ? jstr(e, "product") : jstr(e, "model_name");
	if (m || p)
		*detail = fmt("%s%s%s", m ? m : "", m && p ? " " : "", p ? p : "");
}

static void wifi_key(const json_t *e, char **key, char **detail)
{
	const char *k = jstr(e, "name") ? jstr(e, "name") : jstr(e, "ssid");
	if (!k)
		return;
	*key = strdup(k);
	*detail = fmt("SSID %s, %s", jstr(e, "ssid") ? jstr(e, "ssid") : "?",
		      jstr(e, "security") ? jstr(e, "security") : "?");
}

static const struct set_kind {
	const char *name;	/* key in the diff's "inventory" */
	const char *collection; /* inventory collection it is made from */
	keyer key;
} set_kinds[] = {
    {"accounts", "accounts", account_key},	   {"admins", "accounts", admin_key},
    {"services_enabled", "services", service_key}, {"listeners", "listeners", listener_key},
    {"usb_devices", "usb_devices", usb_key},	   {"wireless", "wifi_networks", wifi_key},
};

/* A key longer than any real name (a hostile root's megabyte-long
 * account name) is compared and shown as its first bytes, its length and
 * its SHA-256 prefix: the store keeps the same form (diff_inventory_keys),
 * so a fleet view and tenken diff still agree, and no view has to carry
 * the megabyte. Takes ownership of key. */
#define DIFF_KEY_MAX 512
static char *key_capped(char *key)
{
	size_t n = key ? strlen(key) : 0;
	if (n <= DIFF_KEY_MAX)
		return key;
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)key, n, md);
	size_t keep = 64;
	while (keep > 0 && ((unsigned char)key[keep] & 0xC0) == 0x80)
		keep--; /* not inside a UTF-8 sequence */
	char *out = fmt("%.*s... (%zu bytes, sha256 %02x%02x%02x%02x%02x%02x%02x%02x)", (int)keep,
			key, n, md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7]);
	free(key);
	return out;
}

/* key -> detail (string or null) of every element. */
static json_t *key_set(const json_t *list, keyer kf)
{
	json_t *set = json_object();
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		char *key = NULL, *detail = NULL;
		kf(e, &key, &detail);
		key = key_capped(key);
		if (key && !json_object_get(set, key))
			json_object_set_new(set, key, json_str(detail));
		free(key);
		free(detail);
	}
	return set;
}

/* Entries of a not in b, sorted by key. */
static json_t *set_minus(const json_t *a, const json_t *b)
{
	json_t *out = json_array();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)a, k, v)
		if (!json_object_get(b, k))
			json_array_append_new(out, json_pack("{s:s,s:O}", "key", k, "detail", v));
	json_array_sort_by(out, "key");
	return out;
}

static json_t *set_change(const json_t *oldl, const json_t *newl, keyer kf)
{
	json_auto_t *a = key_set(oldl, kf), *b = key_set(newl, kf);
	return json_pack("{s:o,s:o}", "added", set_minus(b, a), "removed", set_minus(a, b));
}

char *diff_package_key(const char *name, const char *arch, bool not_installed)
{
	if (!name || not_installed)
		return NULL;
	return key_capped(fmt("%s%s%s", name, arch ? ":" : "", arch ? arch : ""));
}

/* name[:arch] -> version of every installed package. */
static json_t *package_set(const json_t *list)
{
	json_t *set = json_object();
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		const char *name = jstr(e, "name"), *arch = jstr(e, "architecture");
		_cleanup_free_ char *key =
		    diff_package_key(name, arch, json_is_false(json_object_get(e, "installed")));
		if (!key)
			continue;
		if (json_object_get(set, key))
			continue;
		/* Built by hand: json_pack parses its format for each of
		 * thousands of packages, which showed in the store's ingest. */
		json_t *p = json_object();
		if (!p || json_object_set_new_nocheck(p, "name", json_string(name)) < 0 ||
		    json_object_set_new_nocheck(p, "architecture", json_str(arch)) < 0 ||
		    json_object_set_new_nocheck(p, "version", json_str(jstr(e, "version"))) < 0 ||
		    json_object_set_new(set, key, p) < 0) {
			json_decref(p);
			break;
		}
	}
	return set;
}

static json_t *package_change(const json_t *oldl, const json_t *newl)
{
	json_auto_t *a = package_set(oldl), *b = package_set(newl);
	json_t *out = json_pack("{s:[],s:[],s:[]}", "added", "removed", "changed");
	const char *k;
	json_t *v;
	json_object_foreach(b, k, v) {
		const json_t *o = json_object_get(a, k);
		const char *ov = jstr(o, "version"), *nv = jstr(v, "version");
		if (!o)
			json_array_append(json_object_get(out, "added"), v);
		else if (!(ov && nv && strcmp(ov, nv) == 0) && (ov || nv))
			json_array_append_new(json_object_get(out, "changed"),
					      json_pack("{s:O,s:O,s:o,s:o}", "name",
							json_object_get(v, "name"), "architecture",
							json_object_get(v, "architecture"), "old",
							json_str(ov), "new", json_str(nv)));
	}
	json_object_foreach(a, k, v)
		if (!json_object_get(b, k))
			json_array_append(json_object_get(out, "removed"), v);
	json_array_sort_by(json_object_get(out, "added"), "name");
	json_array_sort_by(json_object_get(out, "removed"), "name");
	json_array_sort_by(json_object_get(out, "changed"), "name");
	return out;
}

static json_t *inventory_changes(const json_t *old_r, const json_t *new_r, json_t *not_compared)
{
	const json_t *oi = json_object_get(old_r, "inventory"),
		     *ni = json_object_get(new_r, "inventory");
	json_t *out = json_object();
	for (size_t i = 0; i < ARRAY_SIZE(set_kinds) + 1; i++) {
		bool pkg = i == ARRAY_SIZE(set_kinds);
		const char *name = pkg ? "packages" : set_kinds[i].name;
		const char *coll = pkg ? "packages" : set_kinds[i].collection;
		const json_t *a = json_object_get(oi, coll), *b = json_object_get(ni, coll);
		if (!json_is_array(a) || !json_is_array(b)) {
			json_array_append_new(not_compared, json_string(name));
			continue;
		}
		json_object_set_new(
		    out, name, pkg ? package_change(a, b) : set_change(a, b, set_kinds[i].key));
	}
	return out;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of a key_set (or package_set, then as [name, architecture,
 * version] triples) as a JSON array in key order; NULL when out of
 * memory. */
static json_t *sorted_keys(json_t *set, bool pkg)
{
	size_t n = json_object_size(set), i = 0;
	_cleanup_free_ const char **keys = calloc(n ? n : 1, sizeof(*keys));
	json_t *out = json_array();
	const char *k;
	json_t *v;
	if (!keys || !out) {
		json_decref(out);
		return NULL;
	}
	json_object_foreach(set, k, v)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), str_cmp);
	for (i = 0; i < n; i++) {
		v = json_object_get(set, keys[i]);
		json_t *e = pkg ? json_array() : json_string(keys[i]);
		if (pkg && e &&
		    (json_array_append(e, json_object_get(v, "name")) < 0 ||
		     json_array_append(e, json_object_get(v, "architecture")) < 0 ||
		     json_array_append(e, json_object_get(v, "version")) < 0)) {
			json_decref(e);
			e = NULL;
		}
		if (json_array_append_new(out, e) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

json_t *diff_inventory_keys(const json_t *r)
{
	const json_t *inv = json_object_get(r, "inventory");
	json_t *out = json_object();
	for (size_t i = 0; out && i < ARRAY_SIZE(set_kinds) + 1; i++) {
		bool pkg = i == ARRAY_SIZE(set_kinds);
		const json_t *l = json_object_get(inv, pkg ? "packages" : set_kinds[i].collection);
		if (!json_is_array(l))
			continue;
		json_auto_t *set = pkg ? package_set(l) : key_set(l, set_kinds[i].key);
		json_t *keys = set ? sorted_keys(set, pkg) : NULL;
		if (!keys ||
		    json_object_set_new(out, pkg ? "packages" : set_kinds[i].name, keys) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

json_t *diff_reports(const json_t *old_r, const json_t *new_r)
{
	json_t *not_compared = json_array();
	json_t *d =
	    json_pack("{s:s,s:i,s:o,s:o,s:b,s:o,s:o,s:o,s:o}", "format", "tenken-diff",
		      "format_version", 1, "old", side(old_r), "new", side(new_r), "same_host",
		      report_machine_id(old_r) && report_machine_id(new_r) &&
			  strcmp(report_machine_id(old_r), report_machine_id(new_r)) == 0,
		      "checklist", checklist_changes(old_r, new_r), "findings",
		      finding_changes(old_r, new_r), "inventory",
		      inventory_changes(old_r, new_r, not_compared), "not_compared", not_compared);
	if (!d)
		return NULL;
	json_object_set_new(d, "changes", json_integer((json_int_t)diff_count(d)));
	return d;
}

size_t diff_count(const json_t *d)
{
	size_t n = json_array_size(json_object_get(d, "checklist"));
	const char *k, *k2;
	json_t *v, *v2;
	json_object_foreach(json_object_get(d, "findings"), k, v)
		n += json_array_size(v);
	json_object_foreach(json_object_get(d, "inventory"), k, v)
		json_object_foreach(v, k2, v2)
			n += json_array_size(v2);
	return n;
}

/* ---- rendering ---- */

static const struct {
	const char *key, *ja, *en;
} words[] = {
    {"title", "点検結果の差分", "Changes between two scans"},
    {"old", "前回", "Old"},
    {"new", "今回", "New"},
    {"checklist", "チェックリスト回答の変化", "Checklist answers that changed"},
    {"new_failures", "新しい不適合", "New failures"},
    {"fixed", "解消した不適合", "Fixed failures"},
    {"status_changed", "結果が変わった確認", "Checks whose status changed"},
    {"inventory", "構成の変化", "Inventory changes"},
    {"accounts", "アカウント", "Accounts"},
    {"admins", "管理者 (sudo/wheel/admin の所属、UID 0、sudo ALL)",
     "Administrators (sudo/wheel/admin members, UID 0, sudo ALL)"},
    {"services_enabled", "有効なサービス", "Enabled services"},
    {"listeners", "待ち受けポート", "Listening ports"},
    {"usb_devices", "USB 機器", "USB devices"},
    {"packages", "パッケージ", "Packages"},
    {"wireless", "無線 LAN の接続設定", "Wireless networks"},
    {"added", "追加", "added"},
    {"removed", "削除", "removed"},
    {"changed", "版の変更", "version changed"},
    {"absent", "なし", "absent"},
    {"none", "変化はありません。", "No changes."},
    {"not_compared", "比較できなかった構成 (どちらかのレポートにない)",
     "Not compared (missing from one of the reports)"},
    {"changes", "変化の件数", "Changes"},
    {"other_host", "注意: 別のホストのレポートです (machine-id が異なる)",
     "Note: the reports are of different hosts (machine-id differs)"},
};

static const char *W(const char *key, const char *lang)
{
	bool ja = !lang || strcmp(lang, "ja") == 0;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(words[i].key, key) == 0)
			return ja ? words[i].ja : words[i].en;
	return render_label(key, lang);
}

/* A status or answer word in lang; null is "absent". */
static const char *state_word(const json_t *v, const char *lang)
{
	const char *s = json_string_value(v);
	if (!s)
		return W("absent", lang);
	if (strcmp(s, "fail") == 0 || strcmp(s, "pass") == 0)
		return render_label(s, lang);
	return render_answer(s, lang);
}

struct dout {
	FILE *out;
	const char *lang;
	bool html;
	int err;
};

/* Untrusted text, sanitised; HTML-escaped in HTML. */
static void put(struct dout *o, const char *s)
{
	_cleanup_free_ char *clean = sanitize_text(s ? s : "");
	if (!clean) {
		o->err = -ENOMEM;
		return;
	}
	if (!o->html) {
		fputs(clean, o->out);
		return;
	}
	html_escape_to(o->out, clean);
}

static void heading(struct dout *o, const char *key, size_t n)
{
	if (o->html) {
		fprintf(o->out, "<h2>%s (%zu)</h2>\n", W(key, o->lang), n);
		return;
	}
	fprintf(o->out, "\n%s (%zu)\n", W(key, o->lang), n);
}

static void row_begin(struct dout *o)
{
	fputs(o->html ? "<li>" : "  ", o->out);
}

static void row_end(struct dout *o)
{
	fputs(o->html ? "</li>\n" : "\n", o->out);
}

static void list_begin(struct dout *o, const char *cls)
{
	if (o->html)
		fprintf(o->out, "<ul class=\"%s\">\n", cls);
}

static void list_end(struct dout *o)
{
	if (o->html)
		fputs("</ul>\n", o->out);
}

static void checklist_rows(struct dout *o, const json_t *list)
{
	size_t i;
	json_t *c;
	heading(o, "checklist", json_array_size(list));
	list_begin(o, "checklist");
	json_array_foreach(list, i, c) {
		row_begin(o);
		put(o, jstr(c, "item"));
		fputs("  ", o->out);
		put(o, state_word(json_object_get(c, "old"), o->lang));
		fputs(o->html ? " &rarr; " : " -> ", o->out);
		put(o, state_word(json_object_get(c, "new"), o->lang));
		fputs("  ", o->out);
		put(o, render_i18n(json_object_get(c, "title"), o->lang));
		row_end(o);
	}
	list_end(o);
}

static void finding_rows(struct dout *o, const json_t *findings, const char *cls)
{
	const json_t *list = json_object_get(findings, cls);
	size_t i;
	json_t *f;
	heading(o, cls, json_array_size(list));
	list_begin(o, cls);
	json_array_foreach(list, i, f) {
		const char *sev = jstr(f, "severity");
		row_begin(o);
		fputs("[", o->out);
		put(o, render_label(sev ? sev : "unknown", o->lang));
		fputs("] ", o->out);
		put(o, jstr(f, "subject"));
		fputs(" (", o->out);
		put(o, jstr(f, "rule"));
		fputs(")  ", o->out);
		put(o, state_word(json_object_get(f, "old"), o->lang));
		fputs(o->html ? " &rarr; " : " -> ", o->out);
		put(o, state_word(json_object_get(f, "new"), o->lang));
		fputs(o->html ? "<br>" : "\n    ", o->out);
		put(o, render_i18n(json_object_get(f, "message"), o->lang));
		row_end(o);
	}
	list_end(o);
}

static void entry_text(struct dout *o, const json_t *e, bool package)
{
	if (!package) {
		put(o, jstr(e, "key"));
		if (jstr(e, "detail")) {
			fputs(" (", o->out);
			put(o, jstr(e, "detail"));
			fputs(")", o->out);
		}
		return;
	}
	put(o, jstr(e, "name"));
	if (jstr(e, "architecture")) {
		fputs(":", o->out);
		put(o, jstr(e, "architecture"));
	}
	fputs(" ", o->out);
	if (json_object_get(e, "version")) {
		put(o, jstr(e, "version") ? jstr(e, "version") : render_label("unknown", o->lang));
		return;
	}
	put(o, jstr(e, "old") ? jstr(e, "old") : render_label("unknown", o->lang));
	fputs(o->html ? " &rarr; " : " -> ", o->out);
	put(o, jstr(e, "new") ? jstr(e, "new") : render_label("unknown", o->lang));
}

static void inventory_rows(struct dout *o, const json_t *inv)
{
	static const char *const order[] = {"accounts",	 "admins",	"services_enabled",
					    "listeners", "usb_devices", "packages",
					    "wireless"};
	static const struct {
		const char *key, *mark;
	} kinds[] = {{"added", "+"}, {"removed", "-"}, {"changed", "~"}};
	size_t total = 0, i;
	json_t *e;
	const char *k, *k2;
	json_t *v, *v2;
	json_object_foreach((json_t *)inv, k, v)
		json_object_foreach(v, k2, v2)
			total += json_array_size(v2);
	heading(o, "inventory", total);
	for (size_t c = 0; c < ARRAY_SIZE(order); c++) {
		const json_t *set = json_object_get(inv, order[c]);
		size_t n = 0;
		json_object_foreach((json_t *)set, k2, v2)
			n += json_array_size(v2);
		if (n == 0)
			continue;
		fprintf(o->out, o->html ? "<h3>%s</h3>\n<ul class=\"inv\">\n" : "  %s\n",
			W(order[c], o->lang));
		for (size_t m = 0; m < ARRAY_SIZE(kinds); m++)
			json_array_foreach(json_object_get(set, kinds[m].key), i, e) {
				fprintf(o->out, o->html ? "<li class=\"%s\">%s " : "    %.0s%s ",
					kinds[m].key, kinds[m].mark);
				entry_text(o, e, strcmp(order[c], "packages") == 0);
				fprintf(o->out, o->html ? " <small>%s</small></li>\n" : "  (%s)\n",
					W(kinds[m].key, o->lang));
			}
		list_end(o);
	}
}

static void side_line(struct dout *o, const char *key, const json_t *s)
{
	fputs(o->html ? "<tr><th>" : "  ", o->out);
	fputs(W(key, o->lang), o->out);
	fputs(o->html ? "</th><td>" : ": ", o->out);
	put(o, jstr(s, "hostname"));
	fputs(o->html ? "</td><td>" : "  ", o->out);
	put(o, jstr(s, "scanned_at"));
	fputs(o->html ? "</td><td>" : "  ", o->out);
	put(o, jstr(s, "machine_id"));
	fputs(o->html ? "</td></tr>\n" : "\n", o->out);
}

static void body(struct dout *o, const json_t *d)
{
	const json_t *f = json_object_get(d, "findings");
	fputs(o->html ? "<table class=\"meta\">\n" : "", o->out);
	side_line(o, "old", json_object_get(d, "old"));
	side_line(o, "new", json_object_get(d, "new"));
	fputs(o->html ? "</table>\n" : "", o->out);
	if (!json_is_true(json_object_get(d, "same_host")))
		fprintf(o->out, o->html ? "<p class=\"warn\">%s</p>\n" : "  %s\n",
			W("other_host", o->lang));
	if (diff_count(d) == 0)
		fprintf(o->out, o->html ? "<p>%s</p>\n" : "\n%s\n", W("none", o->lang));
	checklist_rows(o, json_object_get(d, "checklist"));
	finding_rows(o, f, "new_failures");
	finding_rows(o, f, "fixed");
	finding_rows(o, f, "status_changed");
	inventory_rows(o, json_object_get(d, "inventory"));
	const json_t *nc = json_object_get(d, "not_compared");
	if (json_array_size(nc) > 0) {
		_cleanup_free_ char *names = render_value(nc, o->lang);
		fprintf(o->out, o->html ? "<p>%s: " : "\n%s: ", W("not_compared", o->lang));
		put(o, names);
		fputs(o->html ? "</p>\n" : "\n", o->out);
	}
	fprintf(o->out, o->html ? "<p><b>%s: %zu</b></p>\n" : "\n%s: %zu\n", W("changes", o->lang),
		diff_count(d));
}

static int finish(struct dout *o)
{
	if (o->err < 0)
		return o->err;
	return fflush(o->out) != 0 || ferror(o->out) ? -EIO : 0;
}

int render_diff_text(const json_t *d, const char *lang, FILE *out)
{
	struct dout o = {.out = out, .lang = lang ? lang : "ja"};
	if (!json_is_object(d))
		return -EINVAL;
	fprintf(out, "tenken  %s\n", W("title", o.lang));
	body(&o, d);
	return finish(&o);
}

static const char diff_css[] =
    "body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",Meiryo,sans-serif;"
    "margin:2em;color:#222;line-height:1.5}h1{font-size:1.4em;border-bottom:2px solid #333}"
    "h2{font-size:1.15em;margin-top:1.4em;border-bottom:1px solid #999}h3{font-size:1em}"
    "table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.2em .5em;"
    "text-align:left}th{background:#eee}li.added{color:#135f13}li.removed{color:#9b1111}"
    "ul.new_failures li{color:#9b1111}ul.fixed li{color:#135f13}.warn{color:#9b1111;"
    "font-weight:bold}@page{size:A4;margin:15mm}@media print{body{margin:0;font-size:10pt}}\n";

int render_diff_html(const json_t *d, const char *lang, FILE *out)
{
	struct dout o = {.out = out, .lang = lang ? lang : "ja", .html = true};
	if (!json_is_object(d))
		return -EINVAL;
	fprintf(out,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'\">\n<title>tenken %s: ",
		strcmp(o.lang, "ja") == 0 ? "ja" : "en", W("title", o.lang));
	put(&o, jstr(json_object_get(d, "new"), "hostname"));
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>tenken %s: ", diff_css,
		W("title", o.lang));
	put(&o, jstr(json_object_get(d, "new"), "hostname"));
	fputs("</h1>\n", out);
	body(&o, d);
	fputs("</body>\n</html>\n", out);
	return finish(&o);
}
