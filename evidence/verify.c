/* verify.c - `tenken verify` and the verification API (see verify.h). */
#include <stdio.h>
#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "evidence/sign.h"
#include "evidence/sshkey.h"
#include "evidence/sshsig.h"
#include "evidence/trust.h"
#include "evidence/verify.h"
#include "lib/limits.h"
#include "lib/readfile.h"
#include "lib/util.h"

#define CMS_BEGIN "-----BEGIN CMS-----"

/* What the checks below need besides the caller's options. */
struct input {
	const char *report_path;
	char *report;
	size_t report_len;
	char *sig;
	size_t sig_len;
	json_t *doc; /* the report parsed, NULL if it is not JSON */
};

/* Copy s into out (n bytes), cut at a character boundary if it is longer. */
static void copy(char *out, size_t n, const char *s)
{
	size_t l = strlen(s);
	if (l >= n) {
		l = n - 1;
		while (l > 0 && ((unsigned char)s[l] & 0xc0) == 0x80)
			l--; /* do not cut a UTF-8 sequence */
	}
	memcpy(out, s, l);
	out[l] = '\0';
}

static void why(struct verify_result *res, const char *en, const char *ja)
{
	copy(res->why_en, sizeof(res->why_en), en);
	copy(res->why_ja, sizeof(res->why_ja), ja);
}

/* ---- consistency --------------------------------------------------------- */

static const char *const statuses[] = {"fail", "pass", "unknown"};

/* A finding's weight (an omitted record stands for omitted_count) and
 * status index; -1 if malformed. */
static int finding_status(const json_t *f, json_int_t *weight)
{
	const char *st = json_string_value(json_object_get(f, "status"));
	*weight = 1;
	if (json_is_true(json_object_get(f, "omitted"))) {
		json_t *c = json_object_get(json_object_get(f, "evidence"), "omitted_count");
		if (!json_is_integer(c) || json_integer_value(c) < 1)
			return -1;
		*weight = json_integer_value(c);
	}
	for (int i = 0; st && i < 3; i++)
		if (!strcmp(st, statuses[i]))
			return i;
	return -1;
}

static bool names_item(const json_t *f, const char *item)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(f, "checklist"), i, it)
		if (json_is_string(it) && !strcmp(json_string_value(it), item))
			return true;
	return false;
}

/* Counts of findings (all, or those naming item) by status. */
static int count(const json_t *findings, const char *item, json_int_t n[3])
{
	size_t i;
	json_t *f;
	n[0] = n[1] = n[2] = 0;
	json_array_foreach(findings, i, f) {
		json_int_t w;
		int s = finding_status(f, &w);
		if (s < 0)
			return -1;
		if (!item || names_item(f, item))
			n[s] += w;
	}
	return 0;
}

static bool counts_equal(const json_t *obj, const json_int_t n[3])
{
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(obj, statuses[i]);
		if (!json_is_integer(v) || json_integer_value(v) != n[i])
			return false;
	}
	return true;
}

static int check_item(const json_t *e, const json_t *findings, char *why_, size_t wn)
{
	const char *item = json_string_value(json_object_get(e, "item"));
	const char *ans = json_string_value(json_object_get(e, "answer"));
	json_int_t n[3];
	if (!item || !ans || count(findings, item, n) < 0)
		return snprintf(why_, wn, "a checklist entry is malformed"), -EBADMSG;
	const char *want = n[0] ? "no" : n[2] ? "unknown" : n[1] ? "yes" : "unknown";
	if (json_array_size(json_object_get(e, "rules")) == 0) {
		if (n[0] + n[1] + n[2] != 0)
			return snprintf(why_, wn, "item %s is organisational but findings name it",
					item),
			       -EBADMSG;
		want = "organisational";
	}
	if (strcmp(ans, want) != 0)
		return snprintf(why_, wn, "item %s answers %s but its findings give %s", item, ans,
				want),
		       -EBADMSG;
	if (!counts_equal(e, n))
		return snprintf(why_, wn, "item %s: its counts differ from its findings", item),
		       -EBADMSG;
	return 0;
}

static bool same(const json_t *a, const json_t *b)
{
	return (json_is_null(a) || !a) ? (json_is_null(b) || !b) : json_equal(a, b);
}

static int check_provenance(const json_t *report, char *why_, size_t wn)
{
	const json_t *p = json_object_get(report, "provenance");
	const json_t *scan = json_object_get(report, "scan"),
		     *host = json_object_get(report, "host");
	if (!p)
		return 0;
	const json_t *ph = json_object_get(p, "host");
	if (!same(json_object_get(p, "judged_at"), json_object_get(scan, "now")) ||
	    !same(json_object_get(p, "root"), json_object_get(scan, "root")) ||
	    !same(json_object_get(p, "mode"), json_object_get(scan, "mode")))
		return snprintf(why_, wn, "provenance disagrees with the scan section"), -EBADMSG;
	if (!same(json_object_get(ph, "hostname"), json_object_get(host, "hostname")) ||
	    !same(json_object_get(ph, "machine_id"), json_object_get(host, "machine_id")))
		return snprintf(why_, wn, "provenance names another host than the host section"),
		       -EBADMSG;
	return 0;
}

int evidence_check_consistency(const json_t *report, char *why_, size_t wn)
{
	const json_t *findings = json_object_get(report, "findings");
	const json_t *checklist = json_object_get(report, "checklist");
	const char *fmt = json_string_value(json_object_get(report, "format"));
	json_int_t n[3];
	size_t i;
	json_t *e;
	if (!fmt || strcmp(fmt, "tenken-report") != 0)
		return snprintf(why_, wn, "not a tenken report"), -EBADMSG;
	if (!json_is_array(findings) || !json_is_array(checklist) || count(findings, NULL, n) < 0)
		return snprintf(why_, wn, "findings or checklist missing or malformed"), -EBADMSG;
	if (!counts_equal(json_object_get(report, "summary"), n))
		return snprintf(why_, wn,
				"the summary does not count the findings (fail %lld, pass %lld, "
				"unknown %lld)",
				(long long)n[0], (long long)n[1], (long long)n[2]),
		       -EBADMSG;
	json_array_foreach(checklist, i, e) {
		int r = check_item(e, findings, why_, wn);
		if (r < 0)
			return r;
	}
	return check_provenance(report, why_, wn);
}

/* ---- SSHSIG ---------------------------------------------------------------- */

/* The host name the report names (provenance first, then host). */
static const char *report_host(const json_t *doc)
{
	const char *h = json_string_value(json_object_get(
	    json_object_get(json_object_get(doc, "provenance"), "host"), "hostname"));
	return h ? h : json_string_value(json_object_get(json_object_get(doc, "host"), "hostname"));
}

static int read_trust(const char *path, char **buf, size_t *len, struct verify_result *res)
{
	int r = readfile(path, LIMIT_CONFIG_FILE, buf, len);
	if (r < 0) {
		char en[256], ja[256];
		snprintf(en, sizeof(en), "%s: cannot read: %s", path, strerror(-r));
		snprintf(ja, sizeof(ja), "%s: 読めません: %s", path, strerror(-r));
		why(res, en, ja);
	}
	return r;
}

/* Whether the signing key (blob) may speak for the signer the options
 * name. 0 with res->valid set or not; <0 when a trust file is unreadable. */
static int ssh_trust(const struct input *in, const struct verify_opts *o, struct wbuf *blob,
		     struct verify_result *res)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	unsigned line = 0;
	const char *path = o->pubkey		? o->pubkey
			   : o->allowed_signers ? o->allowed_signers
						: o->known_hosts;
	int r = read_trust(path, &buf, &len, res);
	if (r < 0)
		return r;
	if (o->pubkey) {
		EVP_PKEY *k = NULL;
		struct wbuf want = {0};
		if (sshkey_parse_public(buf, len, &k) < 0 || sshkey_to_blob(k, &want) < 0) {
			EVP_PKEY_free(k);
			wbuf_free(&want);
			why(res, "--pubkey: not an SSH or PEM public key",
			    "--pubkey: SSH や PEM の公開鍵として読めません");
			return -EINVAL;
		}
		res->valid = want.len == blob->len && !memcmp(want.p, blob->p, want.len);
		snprintf(res->signer, sizeof(res->signer), "%s", o->pubkey);
		EVP_PKEY_free(k);
		wbuf_free(&want);
		if (!res->valid)
			why(res, "signed by another key than --pubkey",
			    "--pubkey とは別の鍵で署名されています");
		return 0;
	}
	if (o->allowed_signers) {
		enum trust_answer a = trust_allowed_signers(
		    buf, len, blob->p, blob->len, o->identity, SSHSIG_NAMESPACE, time(NULL),
		    res->signer, sizeof(res->signer), &line);
		res->valid = a == TRUST_YES;
		if (a == TRUST_EXPIRED)
			why(res, "the signer's key is outside its valid-after/valid-before period",
			    "署名者の鍵は有効期間外です（valid-after/valid-before）");
		else if (!res->valid && o->identity)
			why(res,
			    "the signing key is not allowed for that identity in allowed_signers",
			    "署名した鍵は allowed_signers でその ID に許可されていません");
		else if (!res->valid)
			why(res, "the signing key is not in allowed_signers",
			    "署名した鍵は allowed_signers にありません");
		return 0;
	}
	const char *host = in->doc ? report_host(in->doc) : NULL;
	if (o->identity && (!host || strcmp(host, o->identity) != 0)) {
		why(res, "the report comes from another host than --identity",
		    "レポートは --identity とは別のホストのものです");
		return 0;
	}
	if (!host) {
		why(res, "the report names no host to look up in known_hosts",
		    "レポートに known_hosts で照合するホスト名がありません");
		return 0;
	}
	enum trust_answer a = trust_known_hosts(buf, len, blob->p, blob->len, host, &line);
	res->valid = a == TRUST_YES;
	snprintf(res->signer, sizeof(res->signer), "%s", host);
	if (a == TRUST_REVOKED)
		why(res, "the signing key is marked @revoked in known_hosts",
		    "署名した鍵は known_hosts で @revoked とされています");
	else if (!res->valid)
		why(res, "the signing key is not a known host key of the report's host",
		    "署名した鍵はレポートのホストの既知のホスト鍵ではありません");
	return 0;
}

static int verify_ssh(const struct input *in, const struct verify_opts *o,
		      struct verify_result *res)
{
	struct sshsig s;
	EVP_PKEY *k = NULL;
	const char *en, *ja;
	snprintf(res->method, sizeof(res->method), "sshsig");
	if (!o->pubkey && !o->allowed_signers && !o->known_hosts) {
		why(res,
		    "an SSH signature is checked with --pubkey, --allowed-signers or --known-hosts",
		    "SSH 署名の検証には --pubkey, --allowed-signers, --known-hosts "
		    "のどれかが必要です");
		return -EINVAL;
	}
	if (sshsig_parse(in->sig, in->sig_len, &s) < 0) {
		why(res, "the signature is malformed", "署名が壊れています");
		return 0;
	}
	int r = sshsig_verify(&s, SSHSIG_NAMESPACE, in->report, in->report_len, &k, &en, &ja);
	sshsig_free(&s);
	if (r <= 0) {
		why(res, en, ja);
		return r;
	}
	struct wbuf blob = {0};
	char fp[SSHKEY_FP_SIZE] = "";
	r = sshkey_to_blob(k, &blob);
	if (r == 0)
		r = sshkey_fingerprint(blob.p, blob.len, fp);
	snprintf(res->key, sizeof(res->key), "%s %s", sshkey_type(k), fp);
	EVP_PKEY_free(k);
	if (r == 0)
		r = ssh_trust(in, o, &blob, res);
	wbuf_free(&blob);
	return r;
}

/* ---- CMS ------------------------------------------------------------------- */

static void cms_signing_time(CMS_ContentInfo *cms, char *out, size_t n)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	CMS_SignerInfo *si = sis ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
	int idx = si ? CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) : -1;
	X509_ATTRIBUTE *a = idx >= 0 ? CMS_signed_get_attr(si, idx) : NULL;
	ASN1_TYPE *t = a ? X509_ATTRIBUTE_get0_type(a, 0) : NULL;
	struct tm tm;
	if (t && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME) &&
	    ASN1_TIME_to_tm((ASN1_TIME *)t->value.ptr, &tm) == 1)
		strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool cert_is(X509 *x, const char *id)
{
	char cn[256] = "";
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn));
	return !strcmp(cn, id) || X509_check_email(x, id, 0, 0) == 1 ||
	       X509_check_host(x, id, 0, 0, NULL) == 1;
}

/* One SignerInfo whose signature algorithm names the digest it was made
 * with. OpenSSL verifies with the key's own algorithm and lets a changed
 * signatureAlgorithm OID pass; tenken does not. */
static bool cms_algs_ok(CMS_ContentInfo *cms)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	X509_ALGOR *dig = NULL, *sig = NULL;
	int hash = NID_undef, pkey = NID_undef;
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1)
		return false;
	CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(sis, 0), NULL, NULL, &dig, &sig);
	if (!dig || !sig)
		return false;
	int d = OBJ_obj2nid(dig->algorithm), a = OBJ_obj2nid(sig->algorithm);
	if (d != NID_sha256 && d != NID_sha384 && d != NID_sha512)
		return false;
	if (a == NID_rsaEncryption)
		return true; /* PKCS #1 v1.5 with the digest algorithm above */
	if (a == NID_ED25519)
		return true;
	return OBJ_find_sigid_algs(a, &hash, &pkey) == 1 && hash == d;
}

static int cms_check(CMS_ContentInfo *cms, const struct input *in, const struct verify_opts *o,
		     struct verify_result *res)
{
	X509_STORE *store = X509_STORE_new();
	BIO *content = BIO_new_mem_buf(in->report, (int)in->report_len);
	if (!store || !content || X509_STORE_load_file(store, o->ca) != 1) {
		X509_STORE_free(store);
		BIO_free(content);
		why(res, "--ca: cannot read it as PEM certificates",
		    "--ca: PEM の証明書として読めません");
		return -EINVAL;
	}
	res->valid =
	    CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY) == 1 && cms_algs_ok(cms);
	if (!res->valid)
		why(res,
		    "the CMS signature does not verify (the report, the signature or the "
		    "certificate chain does not match --ca)",
		    "CMS 署名を検証できません（レポート、署名、証明書の連鎖のいずれかが --ca "
		    "と合いません）");
	STACK_OF(X509) *signers = res->valid ? CMS_get0_signers(cms) : NULL;
	X509 *leaf = signers && sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : NULL;
	if (leaf) {
		X509_NAME_oneline(X509_get_subject_name(leaf), res->signer, sizeof(res->signer));
		X509_NAME_oneline(X509_get_issuer_name(leaf), res->key, sizeof(res->key));
		cms_signing_time(cms, res->signed_at, sizeof(res->signed_at));
		if (o->identity && !cert_is(leaf, o->identity)) {
			res->valid = false;
			why(res, "the certificate is not that of --identity",
			    "証明書は --identity のものではありません");
		}
	}
	sk_X509_free(signers);
	X509_STORE_free(store);
	BIO_free(content);
	return 0;
}

static int verify_cms(const struct input *in, const struct verify_opts *o,
		      struct verify_result *res)
{
	snprintf(res->method, sizeof(res->method), "cms");
	if (!o->ca) {
		why(res, "a CMS signature is checked with --ca",
		    "CMS 署名の検証には --ca が必要です");
		return -EINVAL;
	}
	BIO *bio = BIO_new_mem_buf(in->sig, (int)in->sig_len);
	CMS_ContentInfo *cms = bio ? PEM_read_bio_CMS(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	int r = 0;
	if (!cms || !CMS_is_detached(cms))
		why(res, "the signature is malformed (not a detached CMS signature)",
		    "署名が壊れています（分離形式の CMS 署名ではありません）");
	else
		r = cms_check(cms, in, o, res);
	CMS_ContentInfo_free(cms);
	return r;
}

/* ---- the whole check ------------------------------------------------------- */

static void report_digest(const struct input *in, struct verify_result *res)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	if (EVP_Digest(in->report, in->report_len, md, &n, EVP_sha256(), NULL) == 1)
		for (unsigned i = 0; i < n && i < 32; i++)
			snprintf(res->report_sha256 + 2 * i, 3, "%02x", md[i]);
}

static int read_inputs(struct input *in, const char *report, const char *sig,
		       struct verify_result *res)
{
	int r = readfile(report, LIMIT_REPORT_FILE, &in->report, &in->report_len);
	const char *what = report;
	if (r == 0) {
		what = sig;
		r = readfile(sig, LIMIT_SIGNATURE_FILE, &in->sig, &in->sig_len);
	}
	if (r < 0) {
		char en[256], ja[256];
		snprintf(en, sizeof(en), "%s: cannot read: %s", what, strerror(-r));
		snprintf(ja, sizeof(ja), "%s: 読めません: %s", what, strerror(-r));
		why(res, en, ja);
		return r;
	}
	in->doc = json_loadb(in->report, in->report_len, JSON_REJECT_DUPLICATES, NULL);
	report_digest(in, res);
	return 0;
}

static int verify_input(struct input *in, const struct verify_opts *o, struct verify_result *res)
{
	int r;
	if (memmem(in->sig, in->sig_len, SSHSIG_BEGIN, strlen(SSHSIG_BEGIN)))
		r = verify_ssh(in, o, res);
	else if (memmem(in->sig, in->sig_len, CMS_BEGIN, strlen(CMS_BEGIN)))
		r = verify_cms(in, o, res);
	else
		return why(res, "the signature is neither an SSH signature nor a CMS signature",
			   "署名が SSH 署名でも CMS 署名でもありません"),
		       0;
	ERR_clear_error();
	if (r < 0 || !res->valid)
		return r;
	char w[256];
	if (!in->doc) {
		res->valid = false;
		why(res, "the signed file is not a JSON report",
		    "署名されたファイルは JSON のレポートではありません");
	} else if (evidence_check_consistency(in->doc, w, sizeof(w)) < 0) {
		char en[256 + 64], ja[256 + 64];
		res->valid = false;
		snprintf(en, sizeof(en), "the report contradicts itself: %s", w);
		snprintf(ja, sizeof(ja), "レポートの内容が食い違っています: %s", w);
		why(res, en, ja);
	}
	return 0;
}

/* The check; *ret_doc (when not NULL) the report as it was checked. */
static int verify_paths(const char *report, const char *sig, const struct verify_opts *o,
			struct verify_result *res, json_t **ret_doc)
{
	struct input in = {.report_path = report};
	*res = (struct verify_result){0};
	int n = !!o->pubkey + !!o->allowed_signers + !!o->known_hosts + !!o->ca;
	if (n != 1) {
		why(res, "give exactly one of --pubkey, --allowed-signers, --known-hosts, --ca",
		    "--pubkey, --allowed-signers, --known-hosts, --ca "
		    "のどれか一つを指定してください");
		return -EINVAL;
	}
	int r = read_inputs(&in, report, sig, res);
	if (r == 0)
		r = verify_input(&in, o, res);
	free(in.report);
	free(in.sig);
	if (ret_doc)
		*ret_doc = in.doc;
	else
		json_decref(in.doc);
	if (r < 0)
		res->valid = false;
	return r;
}

int evidence_verify_file(const char *report, const char *sig, const struct verify_opts *o,
			 struct verify_result *res)
{
	return verify_paths(report, sig, o, res, NULL);
}

/* ---- the command ------------------------------------------------------------- */

static const char *field(const json_t *doc, const char *a, const char *b)
{
	const char *s = json_string_value(json_object_get(json_object_get(doc, a), b));
	return s ? s : "-";
}

static void print_valid(const char *path, const json_t *doc, const struct verify_result *res,
			bool ja)
{
	const json_t *prov = json_object_get(doc, "provenance");
	const json_t *tool = json_object_get(prov, "tool");
	printf(ja ? "有効: %s が署名 (%s: %s)\n" : "valid: signed by %s (%s: %s)\n", res->signer,
	       res->method, res->key);
	if (res->signed_at[0])
		printf(ja ? "  署名日時    %s\n" : "  signed at   %s\n", res->signed_at);
	printf(ja ? "  レポート    %s (sha256 %s)\n" : "  report      %s (sha256 %s)\n", path,
	       res->report_sha256);
	printf(ja ? "  ホスト      %s (machine-id %s)\n" : "  host        %s (machine id %s)\n",
	       field(doc, "host", "hostname"), field(doc, "host", "machine_id"));
	printf(ja ? "  判定時刻    %s (検査 %s 〜 %s, %s %s)\n"
		  : "  judged at   %s (scanned %s to %s, %s %s)\n",
	       field(doc, "scan", "now"), field(doc, "scan", "started_at"),
	       field(doc, "scan", "finished_at"), field(doc, "scan", "mode"),
	       field(doc, "scan", "root"));
	printf(ja ? "  作成        tenken %s (実行ファイル sha256 %s)\n"
		  : "  made by     tenken %s (binary sha256 %s)\n",
	       field(prov, "tool", "version"),
	       json_string_value(json_object_get(tool, "binary_sha256")) ?: "-");
	printf(ja ? "  ルール      sha256 %s (ベースライン sha256 %s)\n"
		  : "  rule set    sha256 %s (baseline sha256 %s)\n",
	       json_string_value(json_object_get(prov, "ruleset_sha256")) ?: "-",
	       json_string_value(json_object_get(prov, "baseline_sha256")) ?: "-");
	const json_t *s = json_object_get(doc, "summary");
	printf(ja ? "  所見        不合格 %lld, 合格 %lld, 不明 %lld\n"
		  : "  findings    fail %lld, pass %lld, unknown %lld\n",
	       (long long)json_integer_value(json_object_get(s, "fail")),
	       (long long)json_integer_value(json_object_get(s, "pass")),
	       (long long)json_integer_value(json_object_get(s, "unknown")));
}

int evidence_cmd_verify(const char *report, const char *sig, const struct verify_opts *o,
			const char *lang)
{
	struct verify_result res;
	json_auto_t *doc = NULL;
	bool ja = lang && !strcmp(lang, "ja");
	int r = verify_paths(report, sig, o, &res, &doc);
	if (r < 0) {
		fprintf(stderr, "tenken: verify: %s\n", ja ? res.why_ja : res.why_en);
		return 2;
	}
	if (!res.valid) {
		printf(ja ? "無効: %s: %s\n" : "invalid: %s: %s\n", report,
		       ja ? res.why_ja : res.why_en);
		return 1;
	}
	print_valid(report, doc, &res, ja);
	return 0;
}
