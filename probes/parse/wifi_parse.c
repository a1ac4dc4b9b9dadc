/* wifi_parse.c - saved wireless networks from NM keyfiles, wpa_supplicant,
 * iwd and hostapd (pure; see wifi_parse.h). */
#include <ctype.h>
#include <string.h>
#include "lib/limits.h"
#include "probes/parse/wifi_parse.h"

static void net_free(struct wifi_net *w)
{
	free(w->name);
	buf_free(&w->ssid);
	free(w->key_mgmt);
	free(w->proto);
	free(w->pairwise);
	free(w->group);
	free(w->eap_methods);
	free(w->mac_randomization);
	free(w->ifname);
}

void wifi_result_free(struct wifi_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		net_free(&r->v[i]);
	free(r->v);
	free(r->issues);
	memset(r, 0, sizeof(*r));
}

static void issue(struct wifi_result *r, unsigned line, const char *ja, const char *en)
{
	if (r->n_issues >= LIMIT_LINE_MESSAGES)
		return;
	if (r->n_issues == r->cap_issues) {
		size_t cap = r->cap_issues ? r->cap_issues * 2 : 8;
		void *p = realloc(r->issues, cap * sizeof(*r->issues));
		if (!p)
			return;
		r->issues = p;
		r->cap_issues = cap;
	}
	r->issues[r->n_issues++] = (struct wifi_issue){line, ja, en};
}

static struct wifi_net *new_net(struct wifi_result *r, unsigned line)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		void *p = realloc(r->v, cap * sizeof(*r->v));
		if (!p)
			return NULL;
		r->v = p;
		r->cap = cap;
	}
	struct wifi_net *w = &r->v[r->n++];
	memset(w, 0, sizeof(*w));
	w->autoconnect = 1;
	w->macaddr_acl = -1;
	w->line = line;
	return w;
}

/* Lower-case copy with ';' ',' and runs of blanks made single spaces. */
static char *word_list(const char *s, size_t n)
{
	char *o = malloc(n + 1);
	size_t k = 0;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n && s[i]; i++) {
		char c = s[i] == ';' || s[i] == ',' || s[i] == '\t' ? ' ' : s[i];
		if (c == ' ' && (k == 0 || o[k - 1] == ' '))
			continue;
		o[k++] = (char)tolower((unsigned char)c);
	}
	while (k > 0 && o[k - 1] == ' ')
		k--;
	o[k] = '\0';
	return o;
}

static void set_str(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, " ");
		if (k == n && strncmp(p, word, n) == 0)
			return true;
		p += k + (p[k] == ' ');
	}
	return false;
}

/* Every word of list is tkip (and there is at least one). */
static bool only_tkip(const char *list)
{
	if (!list || !*list)
		return false;
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, " ");
		if (k != 4 || strncmp(p, "tkip", 4) != 0)
			return false;
		p += k + (p[k] == ' ');
	}
	return true;
}

void wifi_net_finish(struct wifi_net *w)
{
	const char *km = w->key_mgmt ? w->key_mgmt : "";
	bool wpa1 = w->proto && has_word(w->proto, "wpa") && !has_word(w->proto, "rsn");
	w->tkip_only = only_tkip(w->pairwise) || (w->pairwise == NULL && only_tkip(w->group));
	if (has_word(km, "wpa-psk") || has_word(km, "wpa-psk-sha256") || has_word(km, "ft-psk"))
		w->security = wpa1 ? "wpa-psk" : "wpa2-psk";
	else if (has_word(km, "sae") || has_word(km, "ft-sae"))
		w->security = "sae";
	else if (has_word(km, "wpa-eap") || has_word(km, "ieee8021x") ||
		 has_word(km, "wpa-eap-suite-b-192") || has_word(km, "ft-eap"))
		w->security = "wpa-eap";
	else if (has_word(km, "owe"))
		w->security = "owe";
	else
		w->security = w->wep_key ? "wep" : "open";
	w->wpa1 = wpa1;
}

/* ---- GKeyFile (NetworkManager) -------------------------------------- */

char *wifi_keyfile_unescape(const char *s, size_t n, size_t *ret_len)
{
	char *o = malloc(n + 1);
	size_t k = 0;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			o[k++] = s[i];
			continue;
		}
		char c = s[++i];
		o[k++] = c == 's' ? ' ' : c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
	}
	o[k] = '\0';
	*ret_len = k;
	return o;
}

/* "72;101;108;" (every item a decimal byte) -> bytes; else -EINVAL. */
static int decimal_bytes(const char *s, size_t n, struct buf *ret)
{
	char *o = malloc(n + 1);
	size_t k = 0;
	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		long v = 0;
		while (j < n && j - i < 4 && isdigit((unsigned char)s[j]))
			v = v * 10 + (s[j++] - '0');
		if (j == i || v > 255 || (j < n && s[j] != ';')) {
			free(o);
			return -EINVAL;
		}
		o[k++] = (char)v;
		i = j + 1;
	}
	o[k] = '\0';
	ret->data = o;
	ret->len = k;
	return 0;
}

int wifi_nm_ssid(const char *s, size_t n, struct buf *ret)
{
	if (n > 0 && memchr(s, ';', n) && decimal_bytes(s, n, ret) == 0)
		return 0;
	ret->data = wifi_keyfile_unescape(s, n, &ret->len);
	return ret->data ? 0 : -ENOMEM;
}

enum nm_group { G_OTHER, G_CONNECTION, G_WIFI, G_SECURITY, G_8021X };

static enum nm_group nm_group_of(const char *s, size_t n)
{
	static const struct {
		const char *name;
		enum nm_group g;
	} groups[] = {
	    {"connection", G_CONNECTION},
	    {"wifi", G_WIFI},
	    {"802-11-wireless", G_WIFI},
	    {"wifi-security", G_SECURITY},
	    {"802-11-wireless-security", G_SECURITY},
	    {"802-1x", G_8021X},
	};
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		if (strlen(groups[i].name) == n && strncmp(s, groups[i].name, n) == 0)
			return groups[i].g;
	return G_OTHER;
}

static bool key_is(const char *k, size_t kn, const char *want)
{
	return strlen(want) == kn && strncmp(k, want, kn) == 0;
}

static bool truthy(const char *v, size_t n)
{
	return (n == 4 && strncasecmp(v, "true", 4) == 0) ||
	       (n == 3 && strncasecmp(v, "yes", 3) == 0) || (n == 1 && v[0] == '1');
}

static char *nm_macrand(const char *v, size_t n)
{
	static const char *const names[] = {"default", "never", "always"};
	long x;
	if (parse_long_n(v, n, &x) == 0 && x >= 0 && x <= 2)
		return strdup(names[x]);
	return word_list(v, n);
}

char *wifi_nm_cloned(const char *v, size_t n)
{
	static const char *const words[] = {"preserve", "permanent", "random", "stable"};
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (key_is(v, n, words[i]))
			return strdup(words[i]);
	return strdup("fixed"); /* an explicit MAC address */
}

struct nm_state {
	struct wifi_net *w;
	char *cloned, *macrand;
	bool seen[5];
	enum nm_group g;
};

static void nm_key(struct nm_state *st, const char *k, size_t kn, const char *v, size_t vn)
{
	struct wifi_net *w = st->w;
	if (st->g == G_CONNECTION && key_is(k, kn, "id"))
		set_str(&w->name, wifi_keyfile_unescape(v, vn, &(size_t){0}));
	else if (st->g == G_CONNECTION && key_is(k, kn, "type"))
		w->is_wifi = key_is(v, vn, "wifi") || key_is(v, vn, "802-11-wireless");
	else if (st->g == G_CONNECTION && key_is(k, kn, "interface-name") && vn)
		set_str(&w->ifname, xstrndup(v, vn));
	else if (st->g == G_CONNECTION && key_is(k, kn, "autoconnect"))
		w->autoconnect = truthy(v, vn);
	else if (st->g == G_WIFI && key_is(k, kn, "ssid")) {
		buf_free(&w->ssid);
		wifi_nm_ssid(v, vn, &w->ssid);
	} else if (st->g == G_WIFI && key_is(k, kn, "mode"))
		w->ap = key_is(v, vn, "ap");
	else if (st->g == G_WIFI && key_is(k, kn, "cloned-mac-address"))
		set_str(&st->cloned, wifi_nm_cloned(v, vn));
	else if (st->g == G_WIFI && key_is(k, kn, "mac-address-randomization"))
		set_str(&st->macrand, nm_macrand(v, vn));
	else if (st->g == G_SECURITY && key_is(k, kn, "key-mgmt"))
		set_str(&w->key_mgmt, word_list(v, vn));
	else if (st->g == G_SECURITY && key_is(k, kn, "proto"))
		set_str(&w->proto, word_list(v, vn));
	else if (st->g == G_SECURITY && key_is(k, kn, "pairwise"))
		set_str(&w->pairwise, word_list(v, vn));
	else if (st->g == G_SECURITY && key_is(k, kn, "group"))
		set_str(&w->group, word_list(v, vn));
	else if (st->g == G_SECURITY && key_is(k, kn, "psk"))
		w->psk = vn > 0;
	else if (st->g == G_SECURITY && kn == 8 && strncmp(k, "wep-key", 7) == 0)
		w->wep_key |= vn > 0;
	else if (st->g == G_8021X && key_is(k, kn, "eap"))
		set_str(&w->eap_methods, word_list(v, vn));
}

/* One line of a keyfile: a [group] header or key=value. */
static void nm_line(struct wifi_result *r, struct nm_state *st, const struct line *ln)
{
	const char *s = ln->s;
	size_t n = strnlen(ln->s, ln->len);
	if (n < ln->len)
		issue(r, ln->lineno, "NUL バイトを含む行です", "line holds a NUL byte");
	str_trim(&s, &n);
	if (n == 0 || s[0] == '#')
		return;
	if (s[0] == '[') {
		if (s[n - 1] != ']') {
			issue(r, ln->lineno, "不正なセクション見出しです",
			      "malformed group header");
			st->g = G_OTHER;
			return;
		}
		st->g = nm_group_of(s + 1, n - 2);
		if (st->g != G_OTHER && st->seen[st->g])
			issue(r, ln->lineno, "セクションが重複しています（後の値が優先されます）",
			      "duplicate group (later values win)");
		st->seen[st->g] = true;
		return;
	}
	const char *eq = memchr(s, '=', n);
	if (!eq) {
		issue(r, ln->lineno, "key=value の形式ではありません", "not a key=value line");
		return;
	}
	const char *k = s, *v = eq + 1;
	size_t kn = (size_t)(eq - s), vn = n - kn - 1;
	str_trim(&k, &kn);
	str_trim(&v, &vn);
	nm_key(st, k, kn, v, vn);
}

int wifi_parse_nm(struct wifi_result *r, const char *buf, size_t len)
{
	struct nm_state st = {0};
	struct line_iter it;
	struct line ln;
	st.w = new_net(r, 1);
	if (!st.w)
		return -ENOMEM;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln))
		nm_line(r, &st, &ln);
	struct wifi_net *w = st.w;
	if (!w->is_wifi) {
		free(st.cloned);
		free(st.macrand);
		net_free(w);
		r->n--;
		return 0;
	}
	if (!w->key_mgmt && st.seen[G_SECURITY] == false)
		w->key_mgmt = strdup("none");
	w->mac_randomization = st.cloned    ? TAKE_PTR(st.cloned)
			       : st.macrand ? TAKE_PTR(st.macrand)
					    : strdup("default");
	free(st.cloned);
	free(st.macrand);
	wifi_net_finish(w);
	return 0;
}

/* ---- wpa_supplicant ------------------------------------------------- */

/* ssid="text", ssid=68656c6c6f (hex), ssid=P"printf-escaped" */
static void wpas_ssid(struct wifi_net *w, const char *v, size_t n)
{
	buf_free(&w->ssid);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		w->ssid.data = xstrndup(v + 1, n - 2);
		w->ssid.len = w->ssid.data ? n - 2 : 0;
		return;
	}
	if (n >= 3 && v[0] == 'P' && v[1] == '"' && v[n - 1] == '"') {
		w->ssid.data = wifi_keyfile_unescape(v + 2, n - 3, &w->ssid.len);
		return;
	}
	if (n % 2 || !(w->ssid.data = malloc(n / 2 + 1)))
		return;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned x;
		char h[3] = {v[2 * i], v[2 * i + 1], 0};
		if (!isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1]) ||
		    sscanf(h, "%2x", &x) != 1) {
			buf_free(&w->ssid);
			return;
		}
		w->ssid.data[i] = (char)x;
	}
	w->ssid.len = n / 2;
	w->ssid.data[w->ssid.len] = '\0';
}

static char *unquote_list(const char *v, size_t n)
{
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
		return word_list(v + 1, n - 2);
	return word_list(v, n);
}

static void wpas_key(struct wifi_net *w, const char *k, size_t kn, const char *v, size_t vn)
{
	static const char *const macs[] = {"permanent", "random", "stable", "stable"};
	long x;
	if (key_is(k, kn, "ssid"))
		wpas_ssid(w, v, vn);
	else if (key_is(k, kn, "key_mgmt"))
		set_str(&w->key_mgmt, unquote_list(v, vn));
	else if (key_is(k, kn, "proto"))
		set_str(&w->proto, unquote_list(v, vn));
	else if (key_is(k, kn, "pairwise"))
		set_str(&w->pairwise, unquote_list(v, vn));
	else if (key_is(k, kn, "group"))
		set_str(&w->group, unquote_list(v, vn));
	else if (key_is(k, kn, "eap"))
		set_str(&w->eap_methods, unquote_list(v, vn));
	else if (key_is(k, kn, "psk") || key_is(k, kn, "sae_password"))
		w->psk = vn > 0;
	else if (kn == 8 && strncmp(k, "wep_key", 7) == 0)
		w->wep_key |= vn > 0;
	else if (key_is(k, kn, "disabled"))
		w->autoconnect = !(vn == 1 && v[0] == '1');
	else if (key_is(k, kn, "mac_addr") && parse_long_n(v, vn, &x) == 0 && x >= 0 && x <= 3)
		set_str(&w->mac_randomization, strdup(macs[x]));
}

static void wpas_finish(struct wifi_net *w)
{
	/* wpa_supplicant's defaults (wpa_supplicant.conf(5)) */
	if (!w->key_mgmt)
		w->key_mgmt = strdup(w->psk ? "wpa-psk wpa-eap" : "wpa-eap");
	if (!w->mac_randomization)
		w->mac_randomization = strdup("default");
	wifi_net_finish(w);
}

/* key=value with blanks trimmed; false if the line has no '='. */
static bool split_kv(const char *s, size_t n, const char **k, size_t *kn, const char **v,
		     size_t *vn)
{
	const char *eq = memchr(s, '=', n);
	if (!eq)
		return false;
	*k = s;
	*kn = (size_t)(eq - s);
	*v = eq + 1;
	*vn = n - *kn - 1;
	str_trim(k, kn);
	str_trim(v, vn);
	return true;
}

int wifi_parse_wpas(struct wifi_result *r, const char *buf, size_t len)
{
	struct line_iter it;
	struct line ln;
	struct wifi_net *w = NULL;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		const char *s = ln.s, *k, *v;
		size_t n = strnlen(ln.s, ln.len), kn, vn;
		str_trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		if (n >= 9 && strncmp(s, "network", 7) == 0 && s[n - 1] == '{') {
			if (w) {
				issue(r, w->line, "network ブロックが閉じていません",
				      "unterminated network block");
				wpas_finish(w);
			}
			if (!(w = new_net(r, ln.lineno)))
				return -ENOMEM;
			continue;
		}
		if (w && n == 1 && s[0] == '}') {
			wpas_finish(w);
			w = NULL;
			continue;
		}
		if (!split_kv(s, n, &k, &kn, &v, &vn)) {
			issue(r, ln.lineno, "解釈できない行です", "unrecognised line");
			continue;
		}
		if (w)
			wpas_key(w, k, kn, v, vn);
	}
	if (w) {
		issue(r, w->line, "network ブロックが閉じていません", "unterminated network block");
		wpas_finish(w);
	}
	return 0;
}

/* ---- iwd -------------------------------------------------------------- */

/* "Ward 3" or "=57617264" (hex of a non-printable SSID). */
static void iwd_name(struct wifi_net *w, const char *s, size_t n)
{
	if (n > 0 && s[0] == '=') {
		wpas_ssid(w, s + 1, n - 1);
		return;
	}
	w->ssid.data = xstrndup(s, n);
	w->ssid.len = w->ssid.data ? n : 0;
}

int wifi_parse_iwd(struct wifi_result *r, const char *name, const char *buf, size_t len)
{
	static const struct {
		const char *ext, *km;
	} exts[] = {{".open", "none"}, {".psk", "wpa-psk sae"}, {".8021x", "wpa-eap"}};
	const char *dot = strrchr(name, '.');
	size_t i = 0;
	while (i < ARRAY_SIZE(exts) && (!dot || strcmp(dot, exts[i].ext) != 0))
		i++;
	if (i == ARRAY_SIZE(exts))
		return 0;
	struct wifi_net *w = new_net(r, 1);
	if (!w)
		return -ENOMEM;
	iwd_name(w, name, (size_t)(dot - name));
	w->key_mgmt = strdup(exts[i].km);
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		const char *s = ln.s, *k, *v;
		size_t n = strnlen(ln.s, ln.len), kn, vn;
		str_trim(&s, &n);
		if (n == 0 || s[0] == '#' || s[0] == '[' || !split_kv(s, n, &k, &kn, &v, &vn))
			continue;
		if (key_is(k, kn, "PreSharedKey") || key_is(k, kn, "Passphrase"))
			w->psk = vn > 0;
		else if (key_is(k, kn, "AutoConnect"))
			w->autoconnect = truthy(v, vn);
		else if (key_is(k, kn, "EAP-Method"))
			set_str(&w->eap_methods, word_list(v, vn));
		else if (key_is(k, kn, "AlwaysRandomizeAddress") && truthy(v, vn))
			set_str(&w->mac_randomization, strdup("random"));
		else if (key_is(k, kn, "AddressOverride"))
			set_str(&w->mac_randomization, strdup("fixed"));
	}
	if (!w->mac_randomization)
		w->mac_randomization = strdup("default");
	wifi_net_finish(w);
	return 0;
}

/* ---- hostapd ---------------------------------------------------------- */

struct hostapd_state {
	long wpa;
	bool ieee8021x;
};

static void hostapd_key(struct wifi_net *w, struct hostapd_state *st, const char *k, size_t kn,
			const char *v, size_t vn)
{
	long x;
	if (key_is(k, kn, "ssid")) {
		buf_free(&w->ssid);
		w->ssid.data = xstrndup(v, vn);
		w->ssid.len = w->ssid.data ? vn : 0;
	} else if (key_is(k, kn, "ssid2"))
		wpas_ssid(w, v, vn);
	else if (key_is(k, kn, "wpa"))
		st->wpa = parse_long_n(v, vn, &x) == 0 ? x : 0;
	else if (key_is(k, kn, "wpa_key_mgmt"))
		set_str(&w->key_mgmt, word_list(v, vn));
	else if (key_is(k, kn, "rsn_pairwise") || (key_is(k, kn, "wpa_pairwise") && !w->pairwise))
		set_str(&w->pairwise, word_list(v, vn));
	else if (key_is(k, kn, "wpa_passphrase") || key_is(k, kn, "wpa_psk") ||
		 key_is(k, kn, "wpa_psk_file") || key_is(k, kn, "sae_password"))
		w->psk = vn > 0;
	else if (kn == 8 && strncmp(k, "wep_key", 7) == 0)
		w->wep_key |= vn > 0;
	else if (key_is(k, kn, "ieee8021x"))
		st->ieee8021x = vn == 1 && v[0] == '1';
	else if (key_is(k, kn, "macaddr_acl") && parse_long_n(v, vn, &x) == 0)
		w->macaddr_acl = (int)x;
}

int wifi_parse_hostapd(struct wifi_result *r, const char *buf, size_t len)
{
	struct hostapd_state st = {0};
	struct wifi_net *w = new_net(r, 1);
	if (!w)
		return -ENOMEM;
	w->ap = true;
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &ln)) {
		const char *s = ln.s, *k, *v;
		size_t n = strnlen(ln.s, ln.len), kn, vn;
		str_trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		if (!split_kv(s, n, &k, &kn, &v, &vn))
			issue(r, ln.lineno, "解釈できない行です", "unrecognised line");
		else
			hostapd_key(w, &st, k, kn, v, vn);
	}
	/* hostapd: wpa=0 means no WPA whatever wpa_key_mgmt says; wpa=1 is
	 * WPA1 only; ieee8021x=1 without WPA is dynamic WEP (802.1X). */
	if (st.wpa == 0)
		set_str(&w->key_mgmt, strdup(st.ieee8021x ? "ieee8021x" : "none"));
	else if (!w->key_mgmt)
		w->key_mgmt = strdup("wpa-psk");
	set_str(&w->proto, strdup(st.wpa == 1 ? "wpa" : st.wpa == 2 ? "rsn" : "wpa rsn"));
	w->mac_randomization = strdup("default");
	wifi_net_finish(w);
	return 0;
}
