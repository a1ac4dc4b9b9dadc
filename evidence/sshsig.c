/* sshsig.c - SSHSIG signing and verification (see sshsig.h). What is
 * signed is not the message but this blob (PROTOCOL.sshsig):
 *
 *     "SSHSIG" string(namespace) string(reserved "") string("sha512")
 *     string(SHA-512(message))
 *
 * and the signature is written as
 *
 *     "SSHSIG" uint32(1) string(public key blob) string(namespace)
 *     string(reserved) string("sha512") string(signature)
 *
 * with signature = string(type) string(blob) as in RFC 4253 6.6 / RFC 5656
 * 3.1.2 / RFC 8709 6, base64 in lines of 70 between the armour lines. */
#include <errno.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include "evidence/sshkey.h"
#include "evidence/sshsig.h"
#include "lib/util.h"

#define MAGIC	  "SSHSIG"
#define MAGIC_LEN 6

void sshsig_free(struct sshsig *s)
{
	free(s->raw);
	*s = (struct sshsig){0};
}

int sshsig_parse(const char *buf, size_t len, struct sshsig *ret)
{
	const char *b = memmem(buf, len, SSHSIG_BEGIN, strlen(SSHSIG_BEGIN));
	const char *body = b ? b + strlen(SSHSIG_BEGIN) : NULL;
	const char *e =
	    body ? memmem(body, len - (size_t)(body - buf), SSHSIG_END, strlen(SSHSIG_END)) : NULL;
	struct sshsig s = {0};
	struct sshr r, magic, reserved, sig;
	uint32_t version;

	*ret = (struct sshsig){0};
	if (!e)
		return -EBADMSG;
	/* Nothing but blank space around the armour. */
	for (const char *p = buf; p < b; p++)
		if (!strchr(" \t\r\n", *p))
			return -EBADMSG;
	for (const char *p = e + strlen(SSHSIG_END); p < buf + len; p++)
		if (!strchr(" \t\r\n", *p))
			return -EBADMSG;
	if (b64_decode(body, (size_t)(e - body), &s.raw, &s.rawlen) < 0)
		return -EBADMSG;
	r = (struct sshr){s.raw, s.rawlen};
	if (sshr_raw(&r, MAGIC_LEN, &magic) < 0 || memcmp(magic.p, MAGIC, MAGIC_LEN) != 0 ||
	    sshr_u32(&r, &version) < 0 || version != 1 || sshr_string(&r, &s.pubkey) < 0 ||
	    sshr_string(&r, &s.ns) < 0 || sshr_string(&r, &reserved) < 0 ||
	    sshr_string(&r, &s.hash_alg) < 0 || sshr_string(&r, &sig) < 0 || r.len != 0 ||
	    sshr_string(&sig, &s.sigtype) < 0 || sshr_string(&sig, &s.sig) < 0 || sig.len != 0) {
		sshsig_free(&s);
		return -EBADMSG;
	}
	*ret = s;
	return 0;
}

/* The blob that is signed, for message digest md of msg. */
static int signed_data(struct wbuf *out, const char *ns, const EVP_MD *md, const void *msg,
		       size_t len)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned hl = 0;
	if (EVP_Digest(msg, len, h, &hl, md, NULL) != 1)
		return -EIO;
	wbuf_put(out, MAGIC, MAGIC_LEN);
	wbuf_cstring(out, ns);
	wbuf_cstring(out, "");
	wbuf_cstring(out, md == EVP_sha512() ? "sha512" : "sha256");
	return wbuf_string(out, h, hl);
}

/* ECDSA: OpenSSL's DER (r, s) to SSH's string(mpint r, mpint s), and back. */
static int ecdsa_der_to_ssh(const uint8_t *der, size_t n, struct wbuf *out)
{
	const unsigned char *p = der;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)n);
	struct wbuf inner = {0};
	uint8_t mag[80];
	if (!es)
		return -EIO;
	const BIGNUM *bn[2];
	ECDSA_SIG_get0(es, &bn[0], &bn[1]);
	for (int i = 0; i < 2; i++) {
		int l = BN_bn2bin(bn[i], mag);
		wbuf_mpint(&inner, mag, (size_t)l);
	}
	ECDSA_SIG_free(es);
	int r = inner.err ? inner.err : wbuf_string(out, inner.p, inner.len);
	wbuf_free(&inner);
	return r;
}

static int ecdsa_ssh_to_der(struct sshr blob, uint8_t **ret, size_t *ret_len)
{
	struct sshr rr, ss;
	if (sshr_mpint(&blob, &rr) < 0 || sshr_mpint(&blob, &ss) < 0 || blob.len != 0 ||
	    rr.len > 66 || ss.len > 66)
		return -EBADMSG;
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(rr.p, (int)rr.len, NULL), *s = BN_bin2bn(ss.p, (int)ss.len, NULL);
	if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
		ECDSA_SIG_free(es);
		BN_free(r);
		BN_free(s);
		return -ENOMEM;
	}
	unsigned char *der = NULL;
	int n = i2d_ECDSA_SIG(es, &der);
	ECDSA_SIG_free(es);
	if (n <= 0)
		return -ENOMEM;
	*ret = der;
	*ret_len = (size_t)n;
	return 0;
}

/* The raw signature of data with key: its SSH signature blob (the inner
 * "blob" of string(type) string(blob)) appended to out. */
static int raw_sign(EVP_PKEY *key, const EVP_MD *md, const struct wbuf *data, struct wbuf *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = 0;
	uint8_t *sig = NULL;
	int r = -EIO;
	if (ctx && EVP_DigestSignInit(ctx, NULL, md, NULL, key) == 1 &&
	    EVP_DigestSign(ctx, NULL, &n, data->p, data->len) == 1 && (sig = malloc(n)) &&
	    EVP_DigestSign(ctx, sig, &n, data->p, data->len) == 1)
		r = 0;
	EVP_MD_CTX_free(ctx);
	if (r == 0)
		r = EVP_PKEY_get_base_id(key) == EVP_PKEY_EC ? ecdsa_der_to_ssh(sig, n, out)
							     : wbuf_string(out, sig, n);
	free(sig);
	return r;
}

static int armour(const struct wbuf *blob, char **ret)
{
	_cleanup_free_ char *b = b64_encode(blob->p, blob->len, true);
	struct strbuf sb;
	if (!b)
		return -ENOMEM;
	strbuf_init(&sb, 1u << 20);
	int r = strbuf_puts(&sb, SSHSIG_BEGIN "\n");
	for (size_t i = 0, n = strlen(b); r == 0 && i < n; i += 70) {
		r = strbuf_append(&sb, b + i, n - i < 70 ? n - i : 70);
		if (r == 0)
			r = strbuf_puts(&sb, "\n");
	}
	if (r == 0)
		r = strbuf_puts(&sb, SSHSIG_END "\n");
	if (r < 0) {
		strbuf_free(&sb);
		return r;
	}
	*ret = strbuf_steal(&sb);
	return 0;
}

int sshsig_sign(EVP_PKEY *key, const char *ns, const void *msg, size_t len, char **ret)
{
	const EVP_MD *md;
	const char *sigtype;
	struct wbuf data = {0}, pub = {0}, sig = {0}, out = {0};
	int r = sshkey_sig_params(key, &md, &sigtype);
	if (r == 0)
		r = sshkey_to_blob(key, &pub);
	if (r == 0)
		r = signed_data(&data, ns, EVP_sha512(), msg, len);
	if (r == 0) {
		wbuf_cstring(&sig, sigtype);
		r = raw_sign(key, md, &data, &sig);
	}
	if (r == 0) {
		wbuf_put(&out, MAGIC, MAGIC_LEN);
		wbuf_u32(&out, 1);
		wbuf_string(&out, pub.p, pub.len);
		wbuf_cstring(&out, ns);
		wbuf_cstring(&out, "");
		wbuf_cstring(&out, "sha512");
		r = wbuf_string(&out, sig.p, sig.len);
	}
	if (r == 0)
		r = armour(&out, ret);
	wbuf_free(&data);
	wbuf_free(&pub);
	wbuf_free(&sig);
	wbuf_free(&out);
	if (r < 0)
		return r;
	/* A private key whose halves do not match would sign garbage. */
	struct sshsig chk;
	const char *w1, *w2;
	if (sshsig_parse(*ret, strlen(*ret), &chk) < 0 ||
	    sshsig_verify(&chk, ns, msg, len, NULL, &w1, &w2) != 1)
		r = -EKEYREJECTED;
	sshsig_free(&chk);
	if (r < 0) {
		free(*ret);
		*ret = NULL;
	}
	return r;
}

/* The signature type a key of this kind may carry. */
static bool sigtype_fits(EVP_PKEY *k, struct sshr st, const EVP_MD **ret_md)
{
	const EVP_MD *md;
	const char *want;
	if (sshkey_sig_params(k, &md, &want) < 0)
		return false;
	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA) {
		/* ssh-rsa (SHA-1) is refused for SSHSIG, as OpenSSH does. */
		if (sshr_eq(st, "rsa-sha2-256"))
			md = EVP_sha256();
		else if (!sshr_eq(st, "rsa-sha2-512"))
			return false;
	} else if (!sshr_eq(st, want)) {
		return false;
	}
	*ret_md = md;
	return true;
}

static int raw_verify(EVP_PKEY *k, const EVP_MD *md, struct sshr sig, const struct wbuf *data)
{
	uint8_t *der = NULL;
	size_t dlen = sig.len;
	const uint8_t *s = sig.p;
	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
		if (ecdsa_ssh_to_der(sig, &der, &dlen) < 0)
			return 0;
		s = der;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, md, NULL, k) == 1 &&
		 EVP_DigestVerify(ctx, s, dlen, data->p, data->len) == 1;
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	return ok;
}

#define WHY(en, ja) (*why_en = (en), *why_ja = (ja), 0)

int sshsig_verify(const struct sshsig *s, const char *ns, const void *msg, size_t len,
		  EVP_PKEY **ret_key, const char **why_en, const char **why_ja)
{
	EVP_PKEY *k = NULL;
	const EVP_MD *md = NULL, *hmd;
	struct wbuf data = {0};
	if (!sshr_eq(s->ns, ns))
		return WHY("the signature is for another purpose (namespace is not tenken-report)",
			   "署名の用途（名前空間）が tenken-report ではありません");
	if (sshr_eq(s->hash_alg, "sha512"))
		hmd = EVP_sha512();
	else if (sshr_eq(s->hash_alg, "sha256"))
		hmd = EVP_sha256();
	else
		return WHY("unknown hash algorithm in the signature",
			   "署名のハッシュ方式が不明です");
	if (sshkey_from_blob(s->pubkey.p, s->pubkey.len, &k) < 0)
		return WHY("the signature's public key is malformed or of an unsupported type",
			   "署名の公開鍵が壊れているか、対応していない種類です");
	if (!sigtype_fits(k, s->sigtype, &md)) {
		EVP_PKEY_free(k);
		return WHY("the signature's type does not fit its key",
			   "署名の方式が鍵の種類と合いません");
	}
	int r = signed_data(&data, ns, hmd, msg, len);
	int ok = r == 0 && raw_verify(k, md, s->sig, &data);
	wbuf_free(&data);
	if (r < 0) {
		EVP_PKEY_free(k);
		return r;
	}
	if (!ok) {
		EVP_PKEY_free(k);
		return WHY("the signature does not match the report (the report or the "
			   "signature was changed)",
			   "署名がレポートと一致しません（レポートか署名が変更されています）");
	}
	if (ret_key)
		*ret_key = k;
	else
		EVP_PKEY_free(k);
	return 1;
}
