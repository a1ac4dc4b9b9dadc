/* auth.c - the "auth" probe (R7 2-⑦ password policy, 2-⑧ reuse, 2-⑩ two
 * factors): the PAM stacks of /etc/pam.d (and of /usr/lib/pam.d, where
 * Linux-PAM looks for a name /etc/pam.d lacks) with their includes expanded
 * as Linux-PAM expands them, and what they enforce: the shortest password
 * the password stack accepts (pam_pwquality with pwquality.conf and
 * pwquality.conf.d, pam_cracklib, pam_passwdqc, pam_unix minlen), password
 * history (pam_pwhistory, pam_unix remember), lockout (pam_faillock,
 * pam_tally2) and second-factor modules in the login stacks.
 *
 * PASS_MAX_DAYS is read by the accounts probe ("login_defs"); it is
 * copied here so one rule can weigh length, rotation and second factor
 * together (the R7 item exempts 13+ characters or two factors from
 * rotation). Parsing is in pam_parse.c. Module arguments that could hold
 * a secret are reduced to their name there.
 */
#include <stdarg.h>
#include <stdio.h>

#include "lib/limits.h"
#include "probes/parse/pam_parse.h"
#include "probes/probe.h"
#include "probes/read/confwalk.h"

#define PAM_DIR	       "/etc/pam.d"
#define PAM_VENDOR_DIR "/usr/lib/pam.d" /* Linux-PAM's fallback for a name /etc/pam.d lacks */
#define PAM_CONF       "/etc/pam.conf"	/* read only when neither directory exists */

struct svc {
	char *name;
	char *path; /* the file read, NULL until one is */
	struct pam_file f;
	int err; /* 0 read, else -errno */
};

/* One line of an expanded stack. */
struct ent {
	const struct pam_line *l;
	const char *svc; /* file it came from (borrowed) */
};

struct stack {
	struct ent *v;
	size_t n;
	bool complete; /* no missing include, loop or limit */
	json_t *included;
};

struct auth_state {
	struct probe_ctx *ctx;
	struct svc **svcs; /* each allocated alone: pointers into them stay valid */
	size_t nsvcs;
	json_t *seen;		/* messages already given: stacks are expanded more than once */
	struct confwalk *reads; /* every service file, read once into svcs */
	struct confwalk *chain; /* the include chain of the stack being expanded */
	struct svc *reading;	/* the entry reads' on_file fills */
	bool use_conf;		/* no /etc/pam.d nor /usr/lib/pam.d: Linux-PAM reads pam.conf */
	struct buf conf;	/* /etc/pam.conf then */
};

static void state_free(struct auth_state *st)
{
	for (size_t i = 0; i < st->nsvcs; i++) {
		free(st->svcs[i]->name);
		free(st->svcs[i]->path);
		pam_file_free(&st->svcs[i]->f);
		free(st->svcs[i]);
	}
	free(st->svcs);
	json_decref(st->seen);
	confwalk_free(st->reads);
	confwalk_free(st->chain);
	buf_free(&st->conf);
}

/* A problem with an include, said once however often the stack holding
 * it is expanded; it makes the probe partial. */
static void include_msg(struct auth_state *st, const char *ja_fmt, const char *en_fmt, ...)
{
	char ja[1024], en[1024];
	va_list ap;
	va_start(ap, en_fmt);
	vsnprintf(en, sizeof(en), en_fmt, ap);
	va_end(ap);
	va_start(ap, en_fmt);
	vsnprintf(ja, sizeof(ja), ja_fmt, ap);
	va_end(ap);
	probe_partial(st->ctx);
	if (!st->seen || json_object_get(st->seen, en))
		return;
	json_object_set_new(st->seen, en, json_true());
	probe_msg_text(st->ctx, ja, en);
}

static void stack_free(struct stack *s)
{
	free(s->v);
	json_decref(s->included);
}

static void report_issues(struct probe_ctx *ctx, const char *path, const struct pam_file *f)
{
	size_t shown = f->nissues < LIMIT_LINE_MESSAGES ? f->nissues : LIMIT_LINE_MESSAGES;
	for (size_t i = 0; i < shown; i++)
		probe_line_error(ctx, path, f->issues[i].line, f->issues[i].ja, f->issues[i].en);
	if (f->nissues > shown)
		probe_msg(ctx, "%s: ほかに %zu 件の問題があります", "%s: %zu more problems", path,
			  f->nissues - shown);
}

static bool name_ok(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/');
}

/* A service file read (the reads walker's on_file): parsed into the
 * entry being filled. */
static void read_file(struct confwalk *w, const char *path, const char *buf, size_t len, void *ud)
{
	struct auth_state *st = ud;
	struct svc *s = st->reading;
	s->path = strdup(path);
	s->err = s->path ? pam_parse(buf, len, &s->f) : -ENOMEM;
	if (s->err == 0)
		report_issues(st->ctx, path, &s->f);
}

static void read_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	struct auth_state *st = ud;
	if (ev->kind == CONFWALK_UNREADABLE && ev->err != -ENOENT)
		probe_file_error(st->ctx, ev->path, ev->err, false);
}

/* A top-level service of /etc/pam.conf (its includes name files, which
 * Linux-PAM looks for in the directories that do not exist here). */
static int conf_read(struct auth_state *st, struct svc *s)
{
	s->path = strdup(PAM_CONF);
	int r = s->path ? pam_conf_parse(st->conf.data, st->conf.len, s->name, &s->f) : -ENOMEM;
	if (r == 0 && s->f.n == 0 && s->f.nissues == 0)
		r = -ENOENT; /* pam.conf does not name it */
	else if (r == 0)
		report_issues(st->ctx, PAM_CONF, &s->f);
	return r;
}

/* Read NAME as Linux-PAM opens it: /etc/pam.d/NAME, else (absent only:
 * a file we cannot read is not one PAM skips) /usr/lib/pam.d/NAME. */
static int service_read(struct auth_state *st, struct svc *s)
{
	static const char *const dirs[] = {PAM_DIR, PAM_VENDOR_DIR};
	int r = -ENOENT;
	if (st->use_conf) /* pam.conf: the service's lines there */
		return conf_read(st, s);
	st->reading = s;
	for (size_t d = 0; d < ARRAY_SIZE(dirs) && r == -ENOENT; d++) {
		_cleanup_free_ char *path = path_join(dirs[d], s->name);
		r = path ? confwalk_read(st->reads, path, true) : -ENOMEM;
	}
	st->reading = NULL;
	return r < 0 ? r : s->err;
}

/* The service NAME, read and parsed once (cached); NULL if it cannot be
 * read (the reason is in *err). */
static const struct svc *service(struct auth_state *st, const char *name, int *err)
{
	for (size_t i = 0; i < st->nsvcs; i++)
		if (strcmp(st->svcs[i]->name, name) == 0) {
			*err = st->svcs[i]->err;
			return *err ? NULL : st->svcs[i];
		}
	if (!name_ok(name) || st->nsvcs >= LIMIT_PAM_FILES) {
		*err = -EINVAL;
		return NULL;
	}
	struct svc **nv = reallocarray(st->svcs, st->nsvcs + 1, sizeof(*nv));
	struct svc *s = calloc(1, sizeof(*s));
	if (nv)
		st->svcs = nv;
	if (!nv || !s || !(s->name = strdup(name))) {
		free(s);
		*err = -ENOMEM;
		return NULL;
	}
	st->svcs[st->nsvcs++] = s;
	s->err = service_read(st, s);
	*err = s->err;
	return s->err ? NULL : s;
}

static int stack_push(struct stack *s, const struct pam_line *l, const char *svc)
{
	if (s->n >= LIMIT_PAM_MODULES) {
		s->complete = false;
		return 0;
	}
	struct ent *nv = reallocarray(s->v, s->n + 1, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	s->v = nv;
	s->v[s->n++] = (struct ent){l, svc};
	return 0;
}

/* A loop or a nesting too deep on the include chain (confwalk_enter). */
static void chain_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	if (ev->kind == CONFWALK_LOOP)
		include_msg(ud, "%s:%u: %s の include がループしています",
			    "%s:%u: include loop through %s", ev->from, ev->line,
			    path_basename(ev->path));
	else if (ev->kind == CONFWALK_DEPTH)
		include_msg(ud, "%s:%u: include が深すぎます", "%s:%u: includes nest too deep",
			    ev->from, ev->line);
}

static int expand(struct auth_state *st, const struct svc *s, const char *type, struct stack *out);

/* An include line of from: the named file, only lines of type (NULL: all). */
static int expand_include(struct auth_state *st, const struct pam_line *l, const struct svc *from,
			  const char *type, struct stack *out)
{
	const char *only = l->type[0] ? l->type : type;
	int err = -ENOENT; /* pam.conf: an include names a file of the absent directories */
	const struct svc *s = st->use_conf ? NULL : service(st, l->module, &err);
	if (!s) {
		include_msg(st, "%s: include された %s を読めません（%s）",
			    "%s: included file %s cannot be read (%s)", from->path, l->module,
			    strerror(-err));
		json_array_append_new(out->included, json_str(l->module));
		out->complete = false;
		return err == -ENOMEM ? err : 0;
	}
	if (confwalk_enter(st->chain, s->path, l->line) < 0) {
		out->complete = false; /* chain_problem said why */
		return 0;
	}
	json_array_append_new(out->included, json_str(l->module));
	int r = expand(st, s, only, out);
	confwalk_leave(st->chain);
	return r;
}

/* The lines of s (on the chain), includes expanded. */
static int expand(struct auth_state *st, const struct svc *s, const char *type, struct stack *out)
{
	int r = 0;
	if (s->f.line_unread) /* the line not read may have been a module or include */
		out->complete = false;
	for (size_t i = 0; i < s->f.n && r == 0; i++) {
		const struct pam_line *l = &s->f.v[i];
		if (type && l->type[0] && strcmp(l->type, type) != 0)
			continue;
		r = l->include ? expand_include(st, l, s, type, out) : stack_push(out, l, s->name);
	}
	return r;
}

/* The expanded stack of service name, lines of type (NULL: all); 1 if the
 * service exists, 0 if not, -ENOMEM. */
static int stack_of(struct auth_state *st, const char *name, const char *type, struct stack *out)
{
	int err;
	*out = (struct stack){.complete = true, .included = json_array()};
	if (!out->included)
		return -ENOMEM;
	const struct svc *s = service(st, name, &err);
	if (!s)
		return err == -ENOMEM ? err : 0;
	if (confwalk_enter(st->chain, s->path, 0) < 0)
		return 0; /* cannot be: the chain is empty */
	int r = expand(st, s, type, out);
	confwalk_leave(st->chain);
	return r < 0 ? r : 1;
}

/* ---- facts -------------------------------------------------------------- */

static bool is_module(const struct ent *e, const char *name)
{
	char m[128];
	pam_module_name(e->l->module, m, sizeof(m));
	return strcmp(m, name) == 0;
}

/* A module whose failure does not deny (optional) checks nothing. */
static bool enforcing(const struct ent *e)
{
	return strcmp(e->l->control, "optional") != 0 && strcmp(e->l->control, "sufficient") != 0;
}

/* "type control module args" with the arguments already sanitised. */
static json_t *ent_text(const struct ent *e)
{
	struct strbuf sb;
	strbuf_init(&sb, LIMIT_LINE);
	strbuf_printf(&sb, "%s%s %s %s", e->l->dash ? "-" : "", e->l->type, e->l->control,
		      e->l->module);
	for (size_t i = 0; i < e->l->nargs; i++)
		strbuf_printf(&sb, " %s", e->l->args[i]);
	_cleanup_free_ char *s = strbuf_steal(&sb);
	return json_str(s);
}

/* Read the pwquality.conf.d files then pwquality.conf (libpwquality's order,
 * later values win) over q. */
static void pwq_files(struct auth_state *st, struct pwq *q)
{
	_cleanup_strv_ char **m = NULL;
	size_t n = 0;
	fsroot_glob(st->ctx->root, "/etc/security/pwquality.conf.d/*.conf", &m, &n);
	for (size_t i = 0; i <= n; i++) {
		const char *path = i < n ? m[i] : "/etc/security/pwquality.conf";
		_cleanup_buf_ struct buf b = {0};
		int r = fsroot_read(st->ctx->root, path, LIMIT_CONFIG_FILE, &b);
		if (r < 0) {
			probe_file_error(st->ctx, path, r, true);
			continue;
		}
		unsigned bad = pwq_conf_apply(q, b.data, b.len);
		if (bad)
			probe_msg(st->ctx, "%s: 解釈できない行が %u 行あります",
				  "%s: %u lines not understood", path, bad);
	}
}

/* An integer from a module's own conf file (pwhistory.conf,
 * faillock.conf), else def. */
static long module_conf(struct auth_state *st, const char *path, const char *key, long def)
{
	_cleanup_buf_ struct buf b = {0};
	long v;
	int r = fsroot_read(st->ctx->root, path, LIMIT_CONFIG_FILE, &b);
	if (r < 0) {
		probe_file_error(st->ctx, path, r, true);
		return def;
	}
	return conf_long(b.data, b.len, key, &v) == 1 ? v : def;
}

struct pw_facts {
	long minlen;	     /* -1: no checking module */
	const char *quality; /* pwquality module name, or "none" */
	struct pwq q;	     /* its settings */
	bool have_q;
	long remember;
	const char *reuse;
};

static long passwdqc_min(const struct ent *e)
{
	long best = -1;
	for (size_t i = 0; i < e->l->nargs; i++) {
		if (strncmp(e->l->args[i], "min=", 4) != 0)
			continue;
		for (const char *p = e->l->args[i] + 4; *p;) {
			size_t n = strcspn(p, ",");
			long v;
			if (parse_long_n(p, n, &v) == 0 && (best < 0 || v < best))
				best = v;
			p += n + (p[n] == ',');
		}
	}
	return best < 0 ? 24 : best; /* passwdqc's default min=disabled,24,11,8,7 */
}

/* The length checks of one password-stack line. */
static void pw_line(struct auth_state *st, const struct ent *e, struct pw_facts *pf)
{
	long v;
	if (is_module(e, "pam_pwquality") || is_module(e, "pam_cracklib")) {
		bool crack = is_module(e, "pam_cracklib");
		pwq_defaults(&pf->q);
		if (crack) { /* pam_cracklib: minlen 9, every credit 1, no config file */
			pf->q.v[PWQ_MINLEN] = 9;
			for (int k = PWQ_DCREDIT; k <= PWQ_OCREDIT; k++)
				pf->q.v[k] = 1;
		} else {
			pwq_files(st, &pf->q);
		}
		pwq_args_apply(&pf->q, e->l->args, e->l->nargs);
		pf->have_q = true;
		pf->quality = crack ? "pam_cracklib" : "pam_pwquality";
		if (enforcing(e) && pwq_min_length(&pf->q) > pf->minlen)
			pf->minlen = pwq_min_length(&pf->q);
	} else if (is_module(e, "pam_passwdqc")) {
		pf->quality = "pam_passwdqc";
		if (enforcing(e) && passwdqc_min(e) > pf->minlen)
			pf->minlen = passwdqc_min(e);
	} else if (is_module(e, "pam_unix") && enforcing(e)) {
		v = 6; /* pam_unix's default minlen */
		pam_arg_long(e->l->args, e->l->nargs, "minlen", &v);
		pf->minlen = v > pf->minlen ? v : pf->minlen;
		if (pam_arg_long(e->l->args, e->l->nargs, "remember", &v) == 1 &&
		    v > pf->remember) {
			pf->remember = v;
			pf->reuse = "pam_unix";
		}
	}
	if (is_module(e, "pam_pwhistory") && enforcing(e)) {
		v = module_conf(st, "/etc/security/pwhistory.conf", "remember", 10);
		pam_arg_long(e->l->args, e->l->nargs, "remember", &v);
		if (v > pf->remember) {
			pf->remember = v;
			pf->reuse = "pam_pwhistory";
		}
	}
}

static json_t *opt_int(bool have, long v)
{
	return have ? json_integer(v) : json_null();
}

/* The password stack: that of passwd (what passwd(1) runs), else the
 * common file it would include. */
static int password_facts(struct auth_state *st, json_t *o)
{
	static const char *const svcs[] = {"passwd", "common-password", "system-auth",
					   "password-auth"};
	struct stack s = {0};
	struct pw_facts pf = {.minlen = -1, .quality = "none", .reuse = "none"};
	const char *used = NULL;
	int r = 0;
	for (size_t i = 0; i < ARRAY_SIZE(svcs) && r == 0; i++) {
		stack_free(&s);
		r = stack_of(st, svcs[i], "password", &s);
		used = r == 1 ? svcs[i] : NULL;
	}
	if (r < 0) {
		stack_free(&s);
		return r;
	}
	for (size_t i = 0; used && i < s.n; i++)
		pw_line(st, &s.v[i], &pf);
	bool known = used && s.complete;
	const struct pwq *q = &pf.q;
	int e = json_set(o, "password_service", used ? json_string(used) : json_null());
	e |= json_set(o, "password_stack_complete", used ? json_boolean(s.complete) : json_null());
	e |= json_set(o, "pwquality_module", known ? json_string(pf.quality) : json_null());
	e |= json_set(o, "minlen_effective", opt_int(known, pf.minlen < 0 ? 0 : pf.minlen));
	e |= json_set(o, "minlen", opt_int(known && pf.have_q, q->v[PWQ_MINLEN]));
	/* Without a quality module nothing requires a class: 0, not unknown. */
	e |= json_set(o, "minclass", opt_int(known, pf.have_q ? q->v[PWQ_MINCLASS] : 0));
	e |= json_set(o, "dcredit", opt_int(known, pf.have_q ? q->v[PWQ_DCREDIT] : 0));
	e |= json_set(o, "ucredit", opt_int(known, pf.have_q ? q->v[PWQ_UCREDIT] : 0));
	e |= json_set(o, "lcredit", opt_int(known, pf.have_q ? q->v[PWQ_LCREDIT] : 0));
	e |= json_set(o, "ocredit", opt_int(known, pf.have_q ? q->v[PWQ_OCREDIT] : 0));
	e |= json_set(o, "enforce_for_root",
		      known && pf.have_q ? json_boolean(q->v[PWQ_ENFORCE_FOR_ROOT]) : json_null());
	e |= json_set(o, "remember", opt_int(known, pf.remember < 0 ? 0 : pf.remember));
	e |= json_set(o, "reuse_module", known ? json_string(pf.reuse) : json_null());
	stack_free(&s);
	return e < 0 ? -ENOMEM : 0;
}

static const char *const login_svcs[] = {"sshd",	"login",	 "common-auth",
					 "system-auth", "password-auth", "gdm-password",
					 "lightdm",	"sddm"};

/* Second-factor modules (pam_sss only with certificate/smart-card
 * authentication). */
static bool second_factor(const struct ent *e)
{
	static const char *const mods[] = {"pam_u2f",	     "pam_google_authenticator",
					   "pam_oath",	     "pam_pkcs11",
					   "pam_p11",	     "pam_yubico",
					   "pam_duo",	     "pam_totp",
					   "pam_radius_auth"};
	for (size_t i = 0; i < ARRAY_SIZE(mods); i++)
		if (is_module(e, mods[i]))
			return true;
	return is_module(e, "pam_sss") &&
	       (pam_arg_has(e->l->args, e->l->nargs, "require_cert_auth") ||
		pam_arg_has(e->l->args, e->l->nargs, "try_cert_auth"));
}

struct login_facts {
	json_t *mods, *stacks;
	bool required;
	const char *lockout;
	long deny;
	unsigned read;
};

static void login_line(struct auth_state *st, const struct ent *e, const char *svc,
		       struct login_facts *lf)
{
	char m[128];
	long v;
	if (second_factor(e)) {
		pam_module_name(e->l->module, m, sizeof(m));
		json_array_append_new(lf->mods, json_str(m));
		json_array_append_new(lf->stacks, json_str(svc));
		lf->required |= enforcing(e);
	}
	if (is_module(e, "pam_faillock") && !strcmp(lf->lockout, "none")) {
		v = module_conf(st, "/etc/security/faillock.conf", "deny", 3);
		pam_arg_long(e->l->args, e->l->nargs, "deny", &v);
		lf->lockout = "pam_faillock";
		lf->deny = v;
	} else if (is_module(e, "pam_tally2") && !strcmp(lf->lockout, "none")) {
		v = 0;
		pam_arg_long(e->l->args, e->l->nargs, "deny", &v);
		lf->lockout = "pam_tally2";
		lf->deny = v;
	}
}

static int login_facts(struct auth_state *st, json_t *o)
{
	struct login_facts lf = {json_array(), json_array(), false, "none", 0, 0};
	bool complete = true;
	int r = 0;
	for (size_t i = 0; i < ARRAY_SIZE(login_svcs) && r >= 0; i++) {
		struct stack s;
		r = stack_of(st, login_svcs[i], "auth", &s);
		lf.read += r == 1;
		complete &= r != 1 || s.complete;
		for (size_t k = 0; r == 1 && k < s.n; k++)
			login_line(st, &s.v[k], login_svcs[i], &lf);
		stack_free(&s);
	}
	bool known = lf.read > 0 && complete;
	int e = r < 0 ? -ENOMEM : 0;
	e |= json_set(o, "login_stacks_read", json_integer(lf.read));
	e |= json_set(o, "second_factor_modules",
		      known ? json_str_array_sorted(lf.mods, true) : json_null());
	e |= json_set(o, "second_factor_stacks",
		      known ? json_str_array_sorted(lf.stacks, true) : json_null());
	e |= json_set(o, "second_factor_required", known ? json_boolean(lf.required) : json_null());
	e |= json_set(o, "lockout_module", known ? json_string(lf.lockout) : json_null());
	e |= json_set(o, "faillock_deny", known ? json_integer(lf.deny) : json_null());
	json_decref(lf.mods);
	json_decref(lf.stacks);
	return e < 0 ? -ENOMEM : 0;
}

/* ---- pam_stacks --------------------------------------------------------- */

static json_t *type_modules(const struct stack *s, const char *type)
{
	json_t *a = json_array();
	char m[128];
	for (size_t i = 0; a && i < s->n; i++) {
		if (strcmp(s->v[i].l->type, type) != 0)
			continue;
		pam_module_name(s->v[i].l->module, m, sizeof(m));
		json_array_append_new(a, json_str(m));
	}
	return a;
}

static json_t *stack_json(const char *name, const char *path, const struct stack *s)
{
	json_t *entries = json_array();
	for (size_t i = 0; entries && i < s->n; i++)
		json_array_append_new(entries, ent_text(&s->v[i]));
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "service", json_str(name),
			 "file", path, "entries", entries, "auth_modules", type_modules(s, "auth"),
			 "account_modules", type_modules(s, "account"), "password_modules",
			 type_modules(s, "password"), "session_modules", type_modules(s, "session"),
			 "includes", json_str_array_sorted(s->included, true), "complete",
			 s->complete);
}

/* Neither directory: Linux-PAM reads /etc/pam.conf, and so do we. Its
 * service names, or -ENOENT (/etc/pam.d is what is missing, as before)
 * when it is absent or unreadable (said). */
static int conf_names(struct auth_state *st, char ***ret)
{
	int r = fsroot_read(st->ctx->root, PAM_CONF, LIMIT_CONFIG_FILE, &st->conf);
	if (r < 0 && r != -ENOENT)
		probe_file_error(st->ctx, PAM_CONF, r, false);
	if (r < 0)
		return r == -ENOMEM ? r : -ENOENT;
	st->use_conf = true;
	return pam_conf_services(st->conf.data, st->conf.len, ret);
}

/* The service names, sorted: /etc/pam.d's and those only /usr/lib/pam.d
 * has (Linux-PAM finds them there); their number. An unreadable
 * /usr/lib/pam.d is said and leaves /etc/pam.d's; an unreadable
 * /etc/pam.d is the error. */
static int service_names(struct auth_state *st, char ***ret)
{
	_cleanup_strv_ char **names = NULL, **vendor = NULL;
	size_t n = 0, nv = 0;
	int r = fsroot_list(st->ctx->root, PAM_DIR, &names, &n);
	int rv = fsroot_list(st->ctx->root, PAM_VENDOR_DIR, &vendor, &nv);
	if (r == -ENOENT && rv == -ENOENT)
		return conf_names(st, ret);
	if (r < 0 && r != -ENOENT)
		return r;
	if (rv < 0 && rv != -ENOENT)
		probe_file_error(st->ctx, PAM_VENDOR_DIR, rv, false);
	size_t n_etc = n;
	r = 0;
	for (size_t i = 0; i < nv && r == 0; i++)
		if (!n_etc || !bsearch(&vendor[i], names, n_etc, sizeof(*names), strv_cmp))
			r = strv_push_n(&names, &n, vendor[i], strlen(vendor[i]));
	if (r < 0)
		return r;
	strv_sort(names, n);
	*ret = TAKE_PTR(names);
	return (int)n;
}

/* Every service file, expanded. Returns the number read, or -errno. */
static int pam_stacks(struct auth_state *st, json_t *out)
{
	_cleanup_strv_ char **names = NULL;
	int r = service_names(st, &names);
	if (r < 0)
		return r;
	for (size_t i = 0, n = (size_t)r; i < n && i < LIMIT_PAM_FILES; i++) {
		struct stack s;
		int err;
		r = stack_of(st, names[i], NULL, &s);
		const struct svc *sv = r == 1 ? service(st, names[i], &err) : NULL;
		if (sv && json_array_append_new(out, stack_json(names[i], sv->path, &s)) < 0)
			r = -ENOMEM;
		stack_free(&s);
		if (r < 0)
			return r;
	}
	json_array_sort_by(out, "service");
	return (int)json_array_size(out);
}

static json_t *pass_max_days(struct probe_ctx *ctx)
{
	const json_t *v =
	    json_object_get(json_object_get(ctx->inventory, "login_defs"), "pass_max_days");
	return json_is_integer(v) ? json_incref((json_t *)v) : json_null();
}

/* Without /etc/pam.d nothing is known. */
static void null_facts(json_t *o)
{
	static const char *const keys[] = {"password_service",
					   "password_stack_complete",
					   "pwquality_module",
					   "minlen_effective",
					   "minlen",
					   "minclass",
					   "dcredit",
					   "ucredit",
					   "lcredit",
					   "ocredit",
					   "enforce_for_root",
					   "remember",
					   "reuse_module",
					   "login_stacks_read",
					   "second_factor_modules",
					   "second_factor_stacks",
					   "second_factor_required",
					   "lockout_module",
					   "faillock_deny"};
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		json_set(o, keys[i], json_null());
}

int probe_auth_run(struct probe_ctx *ctx)
{
	struct auth_state st = {.ctx = ctx, .seen = json_object()};
	const struct confwalk_opts ro = {.max_chain = 1,
					 .max_files = 2 * LIMIT_PAM_FILES, /* two directories */
					 .max_size = LIMIT_CONFIG_FILE,
					 .guard = CONFWALK_GUARD_PATH,
					 .on_file = read_file,
					 .on_problem = read_problem,
					 .ud = &st};
	const struct confwalk_opts co = {.max_chain = LIMIT_PAM_DEPTH,
					 .max_files = 1, /* reads none */
					 .max_size = 0,
					 .guard = CONFWALK_GUARD_PATH,
					 .on_problem = chain_problem,
					 .ud = &st};
	st.reads = confwalk_new(ctx->root, &ro);
	st.chain = confwalk_new(ctx->root, &co);
	json_auto_t *stacks = json_array(), *o = json_object();
	if (!stacks || !o || !st.reads || !st.chain) {
		state_free(&st);
		return -ENOMEM;
	}
	int n = pam_stacks(&st, stacks);
	if (n < 0) {
		probe_file_error(ctx, PAM_DIR, n, false);
		probe_partial(ctx);
	}
	int r = n < 0 ? 0 : password_facts(&st, o);
	if (r == 0 && n >= 0)
		r = login_facts(&st, o);
	if (n < 0)
		null_facts(o);
	r |= json_set(o, "pam_stacks_read", n < 0 ? json_null() : json_integer(n));
	r |= json_set(o, "pass_max_days", pass_max_days(ctx));
	state_free(&st);
	if (r < 0)
		return -ENOMEM;
	if (json_set(ctx->inventory, "auth", json_incref(o)) < 0 ||
	    json_set(ctx->inventory, "pam_stacks", json_incref(stacks)) < 0)
		return -ENOMEM;
	return 0;
}

static const struct column auth_columns[] = {
    {"pam_stacks_read", COL_INT,
     "service files under /etc/pam.d (or only in /usr/lib/pam.d) read; null if unreadable"},
    {"password_service", COL_STRING,
     "service whose password stack was judged: passwd, else common-password/system-auth"},
    {"password_stack_complete", COL_BOOL, "every include of that stack could be read"},
    {"pwquality_module", COL_STRING, "pam_pwquality | pam_cracklib | pam_passwdqc | none"},
    {"minlen_effective", COL_INT,
     "shortest new password the password stack accepts (0: no length check)"},
    {"minlen", COL_INT, "pwquality/cracklib minlen after conf files and module arguments"},
    {"minclass", COL_INT, "pwquality minclass (character classes required); 0 without one"},
    {"dcredit", COL_INT, "pwquality dcredit (negative: digits required)"},
    {"ucredit", COL_INT, "pwquality ucredit (negative: upper case required)"},
    {"lcredit", COL_INT, "pwquality lcredit (negative: lower case required)"},
    {"ocredit", COL_INT, "pwquality ocredit (negative: other characters required)"},
    {"enforce_for_root", COL_BOOL, "pwquality also refuses weak passwords set by root"},
    {"remember", COL_INT, "old passwords remembered (pam_pwhistory or pam_unix); 0: none"},
    {"reuse_module", COL_STRING, "pam_pwhistory | pam_unix | none"},
    {"login_stacks_read", COL_INT,
     "of sshd, login, common-auth, system-auth, password-auth, gdm-password, lightdm, sddm"},
    {"second_factor_modules", COL_ARRAY,
     "second-factor modules in those auth stacks (pam_u2f, pam_google_authenticator, "
     "pam_oath, pam_pkcs11, pam_sss with certificates...)"},
    {"second_factor_stacks", COL_ARRAY, "services whose auth stack has one"},
    {"second_factor_required", COL_BOOL, "one of them is not optional or sufficient"},
    {"lockout_module", COL_STRING, "pam_faillock | pam_tally2 | none"},
    {"faillock_deny", COL_INT, "failures before lockout (0: no lockout)"},
    {"pass_max_days", COL_INT, "login.defs PASS_MAX_DAYS, copied from login_defs"},
    {NULL, 0, NULL},
};

static const struct column pam_stack_columns[] = {
    {"service", COL_STRING, "file name under /etc/pam.d or /usr/lib/pam.d"},
    {"file", COL_STRING, "path"},
    {"entries", COL_ARRAY, "\"type control module args\" with includes expanded, in order"},
    {"auth_modules", COL_ARRAY, "modules of the auth stack, in order"},
    {"account_modules", COL_ARRAY, "modules of the account stack"},
    {"password_modules", COL_ARRAY, "modules of the password stack"},
    {"session_modules", COL_ARRAY, "modules of the session stack"},
    {"includes", COL_ARRAY, "service files included (@include, include, substack)"},
    {"complete", COL_BOOL, "every include could be read (no loop, no missing file)"},
    {NULL, 0, NULL},
};

const struct collection auth_collections[] = {
    {"auth", true, auth_columns},
    {"pam_stacks", false, pam_stack_columns},
    {NULL, false, NULL},
};
