/* ruleset.c - loading rule sets: the shipped rule library (every embedded
 * rules/NAME.json), one shipped profile and a user's baseline, validated
 * completely before anything is evaluated. A mistake is refused with
 * file:line:column (lib/jsonpos.c finds where the offending value
 * sits): a rule naming an unknown collection, field, operator or parameter
 * is never silently ignored. baselines/RULES.md documents the language.
 *
 * Loading order: baseline text (to learn "extends"), checklist catalog
 * (when baselines/checklist.json is embedded: its editions and items),
 * library rules, profile (parameters, disable, severity), baseline
 * (parameters, rules, disable, enable, severity), then every rule is
 * compiled against the final parameters, and the enabled ones are kept.
 */

#include "engine/ruleset_int.h"
#include "lib/readfile.h"

const char *const rs_severities[] = {"high", "medium", "low", "info", NULL};

/* ---- diagnostics ---- */

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* Keep a message on one printable line: control bytes and bytes that are
 * not UTF-8 (jansson quotes the raw token it choked on) become '?'. */
static void sanitize(char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t l = utf8_len((const unsigned char *)s + i, n - i);
		if (l == 0 || c < 0x20 || c == 0x7f) {
			s[i++] = '?';
			continue;
		}
		i += l;
	}
}

static void diag_set(struct diag *d, const char *file, unsigned line, unsigned col, const char *fmt,
		     ...) __attribute__((format(printf, 5, 6)));
static void diag_set(struct diag *d, const char *file, unsigned line, unsigned col, const char *fmt,
		     ...)
{
	va_list ap;

	snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	d->column = col;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	sanitize(d->msg);
	sanitize(d->file);
}

/* Report a problem at the value (or, with key, the member name) that ptr
 * names in s; if ptr names nothing, at its nearest existing parent.
 * Always returns -EINVAL. */
int fail_at(struct loader *l, const struct src *s, const char *ptr, bool key, const char *fmt, ...)
{
	struct diag *d = l->d;
	struct jsonpos pos = {1, 1};
	char p[PTR_MAX];
	va_list ap;

	snprintf(p, sizeof(p), "%s", ptr);
	while (jsonpos_find(s->buf, s->len, p, key, &pos) < 0) {
		char *slash = strrchr(p, '/');
		if (!slash) {
			pos = (struct jsonpos){1, 1};
			break;
		}
		*slash = '\0';
		key = false;
	}
	snprintf(d->file, sizeof(d->file), "%s", s->name);
	d->line = pos.line;
	d->column = pos.column;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	sanitize(d->msg);
	return -EINVAL;
}

/* ptr + "/" + key into out (PTR_MAX); a too-long pointer just stays at
 * the parent, which only makes the reported position coarser. */
void ptr_key(char out[static PTR_MAX], const char *ptr, const char *key)
{
	snprintf(out, PTR_MAX, "%s", ptr);
	jsonpos_append(out, PTR_MAX, key);
}

void ptr_idx(char out[static PTR_MAX], const char *ptr, size_t i)
{
	snprintf(out, PTR_MAX, "%s", ptr);
	jsonpos_append_index(out, PTR_MAX, i);
}

/* Where jansson's syntax error is: the start of the token it names
 * ("near 'tru'") when that token ends at the error position, else the
 * last byte it read. */
static struct jsonpos syntax_pos(const struct src *s, const json_error_t *e)
{
	size_t end = e->position > 0 ? (size_t)e->position : 0, start;
	const char *near = strstr(e->text, "near '");

	if (end > s->len)
		end = s->len;
	start = end ? end - 1 : 0;
	if (near) {
		near += strlen("near '");
		size_t n = strlen(near);
		if (n > 1 && near[n - 1] == '\'' && n - 1 <= end &&
		    memcmp(s->buf + end - (n - 1), near, n - 1) == 0)
			start = end - (n - 1);
	}
	return jsonpos_of_offset(s->buf, s->len, start);
}

int parse_src(struct loader *l, struct src *s)
{
	json_error_t e;

	s->doc = json_loadb(s->buf, s->len, JSON_REJECT_DUPLICATES, &e);
	if (!s->doc) {
		struct jsonpos p = syntax_pos(s, &e);
		diag_set(l->d, s->name, p.line, p.column, "%s", e.text);
		return -EINVAL;
	}
	if (!json_is_object(s->doc))
		return fail_at(l, s, "", false, "the file must hold one JSON object");
	return 0;
}

bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* Refuse any member of obj (at ptr) not in allowed. */
int check_keys(struct loader *l, const struct src *s, const char *ptr, const json_t *obj,
	       const char *const *allowed, const char *what)
{
	const char *key;
	json_t *v;
	char p[PTR_MAX];

	json_object_foreach((json_t *)obj, key, v) {
		if (in_list(key, allowed))
			continue;
		ptr_key(p, ptr, key);
		return fail_at(l, s, p, true, "unknown key \"%s\" in %s", key, what);
	}
	return 0;
}

/* {"ja": "...", "en": "..."}, both non-empty. */
int check_text(struct loader *l, const struct src *s, const char *ptr, const json_t *j,
	       const char *what)
{
	static const char *const langs[] = {"ja", "en", NULL};
	char p[PTR_MAX];
	int r;

	if (!json_is_object(j))
		return fail_at(l, s, ptr, false, "%s must be an object {\"ja\": ..., \"en\": ...}",
			       what);
	r = check_keys(l, s, ptr, j, langs, what);
	if (r < 0)
		return r;
	for (const char *const *lang = langs; *lang; lang++) {
		const json_t *t = json_object_get(j, *lang);
		ptr_key(p, ptr, *lang);
		if (!json_is_string(t) || json_string_length(t) == 0)
			return fail_at(l, s, t ? p : ptr, false, "%s needs a non-empty \"%s\" text",
				       what, *lang);
	}
	return 0;
}

/* ---- putting it together ---- */

static void loader_done(struct loader *l)
{
	for (size_t i = 0; i < l->nents; i++)
		rule_prog_clear(&l->ents[i].prog);
	free(l->ents);
	for (size_t i = 0; i < l->ncaps; i++)
		capture_clear(&l->caps[i]);
	free(l->caps);
	for (size_t i = 0; i < l->nlib; i++)
		json_decref(l->lib[i].doc);
	free(l->lib);
	json_decref(l->profile.doc);
	json_decref(l->baseline.doc);
	json_decref(l->catalog);
	json_decref(l->index);
	json_decref(l->params);
	json_decref(l->from_baseline);
	json_decref(l->new_params);
	json_decref(l->baseline_refs);
}

static int sha256_hex(const char *buf, size_t len, char out[static 65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -EIO;
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct entry *const *x = a, *const *y = b;

	return strcmp(json_string_value(json_object_get((*x)->def, "id")),
		      json_string_value(json_object_get((*y)->def, "id")));
}

/* The effective rule: its definition with the final severity. */
static json_t *effective_rule(const struct entry *e)
{
	json_t *r = json_deep_copy(e->def);
	const char *sev = e->severity;

	if (!r)
		return NULL;
	if (!sev && !json_object_get(r, "severity"))
		sev = "medium";
	if (sev && json_object_set_new(r, "severity", json_string(sev)) < 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

static int build_rules(struct loader *l, struct ruleset *rs)
{
	_cleanup_free_ struct entry **order = calloc(l->nents + 1, sizeof(*order));
	size_t n = 0;

	rs->rules = json_array();
	rs->progs = calloc(l->nents + 1, sizeof(*rs->progs));
	if (!order || !rs->rules || !rs->progs)
		return -ENOMEM;
	for (size_t i = 0; i < l->nents; i++)
		if (!l->ents[i].disabled)
			order[n++] = &l->ents[i];
	qsort(order, n, sizeof(*order), cmp_entries);
	for (size_t i = 0; i < n; i++) {
		json_t *r = effective_rule(order[i]);
		if (!r || json_array_append_new(rs->rules, r) < 0)
			return -ENOMEM;
		rs->progs[i] = order[i]->prog;
		order[i]->prog = (struct rule_prog){0};
		rs->progs[i].rule = r;
		rs->progs[i].collection = json_string_value(json_object_get(r, "each"));
		rs->nprogs++;
	}
	return 0;
}

static int build_info(struct loader *l, const char *name, const char *profile, struct ruleset *rs)
{
	const struct src *s = l->has_baseline ? &l->baseline : &l->profile;
	const char *bname = profile;
	char hex[65];
	int r = sha256_hex(s->buf, s->len, hex);

	if (r < 0)
		return r;
	if (l->has_baseline) {
		const json_t *n = json_object_get(l->baseline.doc, "name");
		const char *slash = strrchr(name, '/');
		bname = n ? json_string_value(n) : slash ? slash + 1 : name;
	}
	rs->baseline_info =
	    json_pack("{s:s, s:s, s:s}", "name", bname, "profile", profile, "sha256", hex);
	rs->params = json_deep_copy(l->params);
	rs->profile = strdup(profile);
	rs->captures = TAKE_PTR(l->caps);
	rs->ncaptures = l->ncaps;
	l->ncaps = 0;
	return rs->baseline_info && rs->params && rs->profile ? 0 : -ENOMEM;
}

static void list_profiles(char *out, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < embedded_count && o < n; i++) {
		const char *f = embedded_files[i].name;
		if (!str_startswith(f, "profiles/"))
			continue;
		int w = snprintf(out + o, n - o, "%s%.*s", o ? ", " : "",
				 (int)(strlen(f) - strlen("profiles/") - strlen(".json")),
				 f + strlen("profiles/"));
		o += w > 0 ? (size_t)w : 0;
	}
}

/* Which profile: --profile, else the baseline's "extends", else server.
 * Both given and different is an error at "extends". */
static int pick_profile(struct loader *l, const char *arg, const char **ret)
{
	const json_t *ext = l->has_baseline ? json_object_get(l->baseline.doc, "extends") : NULL;
	const char *name = arg;
	char path[256], names[256];

	if (ext && !json_is_string(ext))
		return fail_at(l, &l->baseline, "/extends", false,
			       "\"extends\" must name a shipped profile");
	if (ext && arg && strcmp(arg, json_string_value(ext)) != 0)
		return fail_at(l, &l->baseline, "/extends", false,
			       "the baseline extends \"%s\" but --profile %s was given",
			       json_string_value(ext), arg);
	if (!name)
		name = ext ? json_string_value(ext) : "server";
	snprintf(path, sizeof(path), "profiles/%s.json", name);
	if (embedded_find(path) && !strchr(name, '/')) {
		*ret = name;
		return 0;
	}
	list_profiles(names, sizeof(names));
	if (ext)
		return fail_at(l, &l->baseline, "/extends", false,
			       "unknown profile \"%s\" (shipped: %s)", name, names);
	diag_set(l->d, "<command line>", 0, 0, "unknown profile \"%s\" (shipped: %s)", name, names);
	return -EINVAL;
}

static int load_profile(struct loader *l, const char *name)
{
	char path[256];
	const struct embedded_file *f;

	snprintf(path, sizeof(path), "profiles/%s.json", name);
	f = embedded_find(path);
	if (!f)
		return -ENOENT;
	snprintf(l->profile.name, sizeof(l->profile.name), "<embedded>/%s", path);
	l->profile.buf = f->data;
	l->profile.len = f->len;
	int r = parse_src(l, &l->profile);
	return r < 0 ? r : apply_profile(l, name);
}

static int read_baseline_doc(struct loader *l, const char *name, const char *buf, size_t len)
{
	static const char *const keys[] = {"name",   "description", "extends", "params", "disable",
					   "enable", "severity",    "rules",   NULL};
	struct src *s = &l->baseline;
	int r;

	snprintf(s->name, sizeof(s->name), "%s", name ? name : "<baseline>");
	s->buf = buf;
	s->len = len;
	l->has_baseline = true;
	r = parse_src(l, s);
	return r < 0 ? r : check_keys(l, s, "", s->doc, keys, "a baseline");
}

static int loader_init(struct loader *l, struct diag *d)
{
	*l = (struct loader){.d = d};
	l->index = json_object();
	l->params = json_object();
	l->from_baseline = json_object();
	l->new_params = json_object();
	l->baseline_refs = json_array();
	return l->index && l->params && l->from_baseline && l->new_params && l->baseline_refs
		   ? 0
		   : -ENOMEM;
}

static int compile_all(struct loader *l)
{
	int r;

	for (size_t i = 0; i < l->nents; i++) {
		r = compile_rule(l, &l->ents[i]);
		if (r < 0)
			return r;
	}
	r = compile_captures(l);
	if (r < 0)
		return r;
	return l->has_baseline ? check_new_params(l) : 0;
}

static int load_all(struct loader *l, const char *name, const char *buf, size_t len,
		    const char *profile_arg, const char **ret_profile)
{
	int r = 0;

	if (buf)
		r = read_baseline_doc(l, name, buf, len);
	if (r == 0)
		r = pick_profile(l, profile_arg, ret_profile);
	if (r < 0)
		return r;
	load_catalog(l);
	r = load_library(l);
	if (r == 0)
		r = load_profile(l, *ret_profile);
	if (r == 0 && l->has_baseline)
		r = apply_baseline(l);
	if (r == 0)
		r = compile_all(l);
	return r;
}

int ruleset_load_mem(const char *name, const char *buf, size_t len, const char *profile,
		     struct ruleset **ret, struct diag *d)
{
	struct loader l;
	struct ruleset *rs = NULL;
	const char *pname = NULL;
	int r;

	*d = (struct diag){0};
	r = loader_init(&l, d);
	if (r == 0)
		r = load_all(&l, name, buf, len, profile, &pname);
	if (r == 0)
		rs = calloc(1, sizeof(*rs));
	if (r == 0 && !rs)
		r = -ENOMEM;
	if (r == 0)
		r = build_rules(&l, rs);
	if (r == 0)
		r = build_info(&l, name ? name : "<baseline>", pname, rs);
	loader_done(&l);
	if (r == -ENOMEM && !d->msg[0])
		diag_set(d, name ? name : "<embedded>", 0, 0, "out of memory");
	if (r < 0) {
		ruleset_free(rs);
		return r;
	}
	*ret = rs;
	return 0;
}

/* The user's baseline, from their own filesystem: a regular file only (a
 * FIFO must not hang us), at most LIMIT_BASELINE_FILE bytes. */
static int read_file(const char *path, char **ret, size_t *ret_len, struct diag *d)
{
	int r = readfile(path, LIMIT_BASELINE_FILE, ret, ret_len);
	if (r == -EINVAL)
		diag_set(d, path, 0, 0, "the baseline is not a regular file");
	else if (r == -EFBIG)
		diag_set(d, path, 0, 0, "the baseline is larger than %u bytes",
			 LIMIT_BASELINE_FILE);
	else if (r < 0)
		diag_set(d, path, 0, 0, "cannot read the baseline: %s", strerror(-r));
	return r;
}

int ruleset_load(const char *baseline_path, const char *profile, struct ruleset **ret,
		 struct diag *d)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r;

	*d = (struct diag){0};
	if (baseline_path) {
		r = read_file(baseline_path, &buf, &len, d);
		if (r < 0)
			return r;
	}
	return ruleset_load_mem(baseline_path, buf, len, profile, ret, d);
}

int ruleset_check_file(const char *path, struct diag *d)
{
	struct ruleset *rs = NULL;
	int r = ruleset_load(path, NULL, &rs, d);

	ruleset_free(rs);
	return r;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nprogs; i++)
		rule_prog_clear(&rs->progs[i]);
	free(rs->progs);
	for (size_t i = 0; i < rs->ncaptures; i++)
		capture_clear(&rs->captures[i]);
	free(rs->captures);
	json_decref(rs->rules);
	json_decref(rs->params);
	json_decref(rs->baseline_info);
	free(rs->profile);
	free(rs);
}
