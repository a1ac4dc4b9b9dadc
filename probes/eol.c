/* eol.c - the "eol" probe: the OS release of the root and the end of its
 * security support.
 *
 * The identity is os-release(5) (/etc/os-release, else
 * /usr/lib/os-release): ID and VERSION_ID; when it is missing or has no
 * VERSION_ID, /etc/redhat-release and then /etc/debian_version are read
 * (old or stripped images). The identity is looked up in
 * baselines/eol.json (see baselines/EOL.md). An OS that is not in the
 * table, or whose version cannot be determined, gets eol_known false and
 * null dates, so the rule reports unknown rather than pass.
 */
#include <errno.h>
#include <string.h>
#include "probes/eol.h"
#include "probes/parse/eol_parse.h"
#include "lib/limits.h"
#include "probes/parse/system_parse.h"
#include "lib/embedded.h"

static const struct column os_support_columns[] = {
    {"os_id", COL_STRING, "os-release ID (or from redhat-release/debian_version), null if unknown"},
    {"os_version_id", COL_STRING, "os-release VERSION_ID, null if unknown"},
    {"os_name", COL_STRING, "os-release PRETTY_NAME (else NAME), null if none"},
    {"identity_source", COL_STRING, "file the identity was read from, null if none"},
    {"eol_known", COL_BOOL, "the release is in the end-of-life table (baselines/eol.json)"},
    {"release", COL_STRING, "the table's name of the release, e.g. \"Debian 12 (bookworm)\""},
    {"os_eol_date", COL_STRING, "last day of the vendor's standard security support (YYYY-MM-DD)"},
    {"days_until_eol", COL_INT, "days from the scan to os_eol_date, negative past it"},
    {"extended_support", COL_STRING,
     "extended phase after it (Debian LTS, Ubuntu Pro ESM, RHEL ELS, SUSE LTSS), \"none\""},
    {"extended_eol_date", COL_STRING, "last day of the extended phase (= os_eol_date if none)"},
    {"days_until_extended_eol", COL_INT,
     "days from the scan to extended_eol_date, negative past it"},
    {"os_eol_source", COL_STRING, "where the dates come from (URLs)"},
    {"eol_checked", COL_STRING, "date the table's sources were last checked"},
    {"eol_estimated", COL_BOOL, "the vendor has only announced a plan for these dates"},
    {"eol_precision", COL_STRING, "day, or month (the vendor names a month; its last day is used)"},
    {NULL, 0, NULL},
};

const struct collection eol_collections[] = {
    {"os_support", true, os_support_columns},
    {NULL, false, NULL},
};

struct ident {
	struct os_ident os;
	char name[256];
	const char *source; /* static path */
	bool have;
};

static void copy_str(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

static int from_os_release(struct probe_ctx *ctx, const char *path, struct ident *id)
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, true);
		return r;
	}
	json_t *kv = NULL;
	r = os_release_parse(b.data, b.len, NULL, NULL, &kv);
	if (r < 0)
		return r;
	const char *os = json_string_value(json_object_get(kv, "ID"));
	const char *ver = json_string_value(json_object_get(kv, "VERSION_ID"));
	const char *pretty = json_string_value(json_object_get(kv, "PRETTY_NAME"));
	const char *name = json_string_value(json_object_get(kv, "NAME"));
	copy_str(id->name, sizeof(id->name), pretty ? pretty : name);
	if (os && ver) {
		copy_str(id->os.id, sizeof(id->os.id), eol_distribution_key(os, name));
		copy_str(id->os.version, sizeof(id->os.version), ver);
		id->source = path;
		id->have = true;
	}
	json_decref(kv);
	return 0;
}

static void from_release_file(struct probe_ctx *ctx, const char *path, struct ident *id,
			      int (*parse)(const char *, size_t, struct os_ident *))
{
	_cleanup_buf_ struct buf b = {0};
	int r = fsroot_read(ctx->root, path, LIMIT_SMALL_FILE, &b);
	if (r < 0) {
		probe_file_error(ctx, path, r, true);
		return;
	}
	if (parse(b.data, b.len, &id->os) == 0) {
		id->source = path;
		id->have = true;
	}
}

static void read_identity(struct probe_ctx *ctx, struct ident *id)
{
	if (from_os_release(ctx, "/etc/os-release", id) == -ENOENT)
		from_os_release(ctx, "/usr/lib/os-release", id);
	if (!id->have)
		from_release_file(ctx, "/etc/redhat-release", id, redhat_release_parse);
	if (!id->have)
		from_release_file(ctx, "/etc/debian_version", id, debian_version_parse);
}

static json_t *load_table(struct probe_ctx *ctx)
{
	const struct embedded_file *f = embedded_find("eol.json");
	json_error_t err;
	json_t *t = f ? json_loadb(f->data, f->len, 0, &err) : NULL;
	if (!t)
		probe_msg(ctx, "サポート終了日の表 eol.json を読めません",
			  "the end-of-life table eol.json cannot be read");
	return t;
}

static json_t *day_or_null(const char *s, bool known)
{
	return known ? json_str(s) : json_null();
}

static void set_dates(struct probe_ctx *ctx, json_t *o, const struct eol_entry *e, bool known)
{
	json_set(o, "eol_known", json_boolean(known));
	json_set(o, "release",
		 known ? json_sprintf("%s %s%s%s%s", e->name, e->version, e->codename ? " (" : "",
				      e->codename ? e->codename : "", e->codename ? ")" : "")
		       : json_null());
	json_set(o, "os_eol_date", day_or_null(e->standard_end, known));
	json_set(o, "days_until_eol",
		 known ? json_integer(eol_days_until(ctx->now, e->standard_t)) : json_null());
	json_set(o, "extended_support",
		 known ? json_string(e->extended_kind ? e->extended_kind : "none") : json_null());
	json_set(o, "extended_eol_date", day_or_null(e->extended_end, known));
	json_set(o, "days_until_extended_eol",
		 known ? json_integer(eol_days_until(ctx->now, e->extended_t)) : json_null());
	json_set(o, "os_eol_source", day_or_null(e->source, known));
	json_set(o, "eol_checked", day_or_null(e->checked, known));
	json_set(o, "eol_estimated", known ? json_boolean(e->estimated) : json_null());
	json_set(o, "eol_precision", day_or_null(e->precision, known));
}

int probe_eol_run(struct probe_ctx *ctx)
{
	struct ident id = {0};
	read_identity(ctx, &id);
	json_t *table = load_table(ctx);
	if (!table)
		return -EBADMSG;
	struct eol_entry e;
	int r = id.have ? eol_lookup(table, id.os.id, id.os.version, &e) : -ENOENT;
	if (r == -EBADMSG)
		probe_msg(ctx, "eol.json の %s %s の項目が不正です",
			  "eol.json: bad entry for %s %s", id.os.id, id.os.version);
	else if (r < 0 && id.have)
		probe_msg(ctx, "%s %s はサポート終了日の表にありません",
			  "%s %s is not in the end-of-life table", id.os.id, id.os.version);
	else if (r < 0)
		probe_msg_text(ctx,
			       "OS の種類と版を特定できません（os-release に ID と VERSION_ID "
			       "がなく、redhat-release や debian_version からも分かりません）",
			       "the OS release cannot be identified (no ID and VERSION_ID in "
			       "os-release, none in redhat-release or debian_version)");
	json_t *o = json_object();
	if (o) {
		json_set(o, "os_id", id.have ? json_str(id.os.id) : json_null());
		json_set(o, "os_version_id", id.have ? json_str(id.os.version) : json_null());
		json_set(o, "os_name", id.name[0] ? json_str(id.name) : json_null());
		json_set(o, "identity_source", json_str(id.source));
		set_dates(ctx, o, &e, r == 0);
	}
	json_decref(table); /* e's strings are not used past here */
	if (!o)
		return -ENOMEM;
	return json_set(ctx->inventory, "os_support", o);
}
