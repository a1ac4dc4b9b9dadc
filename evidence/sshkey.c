/* sshkey.c - SSH keys as OpenSSL keys (see sshkey.h). The formats are
 * OpenSSH's PROTOCOL.key and RFC 4253 6.6 (ssh-rsa), RFC 5656 3.1
 * (ecdsa-sha2-*), RFC 8709 4 (ssh-ed25519). */
#include <errno.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include "evidence/sshkey.h"
#include "lib/util.h"

#define OPENSSH_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define OPENSSH_END   "-----END OPENSSH PRIVATE KEY-----"
#define OPENSSH_MAGIC "openssh-key-v1"

static const struct curve {
	const char *ssh, *nist, *ossl, *alias; /* ssh name, its curve id, OpenSSL names */
	const char *md;
} curves[] = {
    {"ecdsa-sha2-nistp256", "nistp256", "prime256v1", "P-256", "SHA256"},
    {"ecdsa-sha2-nistp384", "nistp384", "secp384r1", "P-384", "SHA384"},
    {"ecdsa-sha2-nistp521", "nistp521", "secp521r1", "P-521", "SHA512"},
};

static const struct curve *curve_by_ssh(struct sshr name, bool nist)
{
	for (size_t i = 0; i < ARRAY_SIZE(curves); i++)
		if (sshr_eq(name, nist ? curves[i].nist : curves[i].ssh))
			return &curves[i];
	return NULL;
}

static const struct curve *curve_of(EVP_PKEY *k)
{
	char name[64];
	if (!EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
					    NULL))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(curves); i++)
		if (!strcmp(name, curves[i].ossl) || !strcmp(name, curves[i].alias))
			return &curves[i];
	return NULL;
}

const char *sshkey_type(EVP_PKEY *k)
{
	const struct curve *c;
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_ED25519:
		return "ssh-ed25519";
	case EVP_PKEY_RSA:
		return "ssh-rsa";
	case EVP_PKEY_EC:
		c = curve_of(k);
		return c ? c->ssh : NULL;
	}
	return NULL;
}

int sshkey_sig_params(EVP_PKEY *k, const EVP_MD **ret_md, const char **ret_sigtype)
{
	const struct curve *c;
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_ED25519:
		*ret_md = NULL;
		*ret_sigtype = "ssh-ed25519";
		return 0;
	case EVP_PKEY_RSA:
		*ret_md = EVP_sha512();
		*ret_sigtype = "rsa-sha2-512";
		return 0;
	case EVP_PKEY_EC:
		c = curve_of(k);
		if (!c)
			return -EPROTONOSUPPORT;
		*ret_md = EVP_get_digestbyname(c->md);
		*ret_sigtype = c->ssh;
		return *ret_md ? 0 : -EPROTONOSUPPORT;
	}
	return -EPROTONOSUPPORT;
}

/* A BIGNUM parameter's magnitude as an mpint. */
static int put_bn_param(struct wbuf *out, EVP_PKEY *k, const char *param)
{
	BIGNUM *bn = NULL;
	if (!EVP_PKEY_get_bn_param(k, param, &bn))
		return -EPROTONOSUPPORT;
	int n = BN_num_bytes(bn);
	uint8_t *mag = malloc((size_t)n + 1);
	int r = mag ? 0 : -ENOMEM;
	if (mag) {
		BN_bn2bin(bn, mag);
		r = wbuf_mpint(out, mag, (size_t)n);
	}
	free(mag);
	BN_free(bn);
	return r;
}

int sshkey_to_blob(EVP_PKEY *k, struct wbuf *out)
{
	const char *type = sshkey_type(k);
	uint8_t pt[160];
	size_t n = sizeof(pt);
	if (!type)
		return -EPROTONOSUPPORT;
	wbuf_cstring(out, type);
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_ED25519:
		if (!EVP_PKEY_get_raw_public_key(k, pt, &n) || n != 32)
			return -EPROTONOSUPPORT;
		return wbuf_string(out, pt, n);
	case EVP_PKEY_RSA:
		put_bn_param(out, k, OSSL_PKEY_PARAM_RSA_E);
		return put_bn_param(out, k, OSSL_PKEY_PARAM_RSA_N);
	default: /* EC: the point uncompressed, as RFC 5656 writes it */
		EVP_PKEY_set_utf8_string_param(k, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
					       "uncompressed");
		if (!EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt,
						     sizeof(pt), &n))
			return -EPROTONOSUPPORT;
		wbuf_cstring(out, curve_of(k)->nist);
		return wbuf_string(out, pt, n);
	}
}

int sshkey_fingerprint(const uint8_t *blob, size_t n, char out[static SSHKEY_FP_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (EVP_Digest(blob, n, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		return -EIO;
	_cleanup_free_ char *b = b64_encode(md, mdlen, false);
	if (!b)
		return -ENOMEM;
	snprintf(out, SSHKEY_FP_SIZE, "SHA256:%s", b);
	return 0;
}

int sshkey_fingerprint_key(EVP_PKEY *k, char out[static SSHKEY_FP_SIZE])
{
	struct wbuf b = {0};
	int r = sshkey_to_blob(k, &b);
	if (r == 0)
		r = sshkey_fingerprint(b.p, b.len, out);
	wbuf_free(&b);
	return r;
}

/* ---- building keys from their parts ------------------------------------ */

/* EVP_PKEY_fromdata over the parameters in bld. */
static int from_params(const char *alg, OSSL_PARAM_BLD *bld, int selection, EVP_PKEY **ret)
{
	OSSL_PARAM *params = bld ? OSSL_PARAM_BLD_to_param(bld) : NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
	EVP_PKEY *k = NULL;
	int r = -EBADMSG;
	if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &k, selection, params) == 1)
		r = 0;
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	if (r == 0)
		*ret = k;
	return r;
}

static int push_bn(OSSL_PARAM_BLD *bld, const char *key, struct sshr v, BIGNUM **keep)
{
	*keep = BN_secure_new();
	if (!*keep || !BN_bin2bn(v.p, (int)v.len, *keep) ||
	    !OSSL_PARAM_BLD_push_BN(bld, key, *keep))
		return -ENOMEM;
	return 0;
}

static int ec_key(const struct curve *c, struct sshr q, const struct sshr *d, EVP_PKEY **ret)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *priv = NULL;
	int r = bld ? 0 : -ENOMEM;
	if (r == 0 &&
	    (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, c->ossl, 0) ||
	     !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, q.p, q.len)))
		r = -ENOMEM;
	if (r == 0 && d)
		r = push_bn(bld, OSSL_PKEY_PARAM_PRIV_KEY, *d, &priv);
	if (r == 0)
		r = from_params("EC", bld, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, ret);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(priv);
	return r;
}

/* RSA from n and e, and with priv (d, iqmp, p, q as OpenSSH stores them)
 * the private key with the CRT exponents OpenSSL wants. */
static int rsa_key(struct sshr n, struct sshr e, const struct sshr *priv, EVP_PKEY **ret)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *bn[8] = {0};
	BN_CTX *ctx = BN_CTX_new();
	int r = bld && ctx ? 0 : -ENOMEM;
	if (n.len * 8 < 1024 || n.len > 16384 / 8 || e.len == 0 || e.len > 8)
		r = -EBADMSG; /* ssh refuses RSA keys under 1024 bits */
	if (r == 0)
		r = push_bn(bld, OSSL_PKEY_PARAM_RSA_N, n, &bn[0]);
	if (r == 0)
		r = push_bn(bld, OSSL_PKEY_PARAM_RSA_E, e, &bn[1]);
	if (r == 0 && priv) {
		static const char *const names[] = {
		    OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
		    OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2};
		for (int i = 0; r == 0 && i < 4; i++)
			r = push_bn(bld, names[i], priv[i], &bn[2 + i]);
		/* dmp1 = d mod (p-1), dmq1 = d mod (q-1) */
		BIGNUM *t = BN_secure_new();
		bn[6] = BN_secure_new();
		bn[7] = BN_secure_new();
		if (r == 0 && (!t || !bn[6] || !bn[7] || !BN_sub(t, bn[4], BN_value_one()) ||
			       !BN_mod(bn[6], bn[2], t, ctx) || !BN_sub(t, bn[5], BN_value_one()) ||
			       !BN_mod(bn[7], bn[2], t, ctx) ||
			       !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, bn[6]) ||
			       !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, bn[7])))
			r = -EBADMSG;
		BN_clear_free(t);
	}
	if (r == 0)
		r = from_params("RSA", bld, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, ret);
	for (size_t i = 0; i < ARRAY_SIZE(bn); i++)
		BN_clear_free(bn[i]);
	OSSL_PARAM_BLD_free(bld);
	BN_CTX_free(ctx);
	return r;
}

int sshkey_from_blob(const uint8_t *blob, size_t n, EVP_PKEY **ret)
{
	struct sshr r = {blob, n}, type, a, b;
	const struct curve *c;
	if (sshr_string(&r, &type) < 0)
		return -EBADMSG;
	if (sshr_eq(type, "ssh-ed25519")) {
		if (sshr_string(&r, &a) < 0 || a.len != 32 || r.len)
			return -EBADMSG;
		*ret = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, a.p, a.len);
		return *ret ? 0 : -EBADMSG;
	}
	if (sshr_eq(type, "ssh-rsa")) {
		if (sshr_mpint(&r, &a) < 0 || sshr_mpint(&r, &b) < 0 || r.len)
			return -EBADMSG;
		return rsa_key(b, a, NULL, ret);
	}
	if ((c = curve_by_ssh(type, false))) {
		if (sshr_string(&r, &a) < 0 || !sshr_eq(a, c->nist) || sshr_string(&r, &b) < 0 ||
		    r.len)
			return -EBADMSG;
		return ec_key(c, b, NULL, ret);
	}
	return -EPROTONOSUPPORT;
}

/* "TYPE BASE64" words at the start of s. */
int sshkey_parse_words(const char *s, size_t n, uint8_t **ret_blob, size_t *ret_len,
		       size_t *ret_used)
{
	size_t i = 0, t0, t1, b0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	t0 = i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	t1 = i;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	b0 = i;
	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
		i++;
	if (t1 == t0 || i == b0)
		return -EBADMSG;
	uint8_t *blob = NULL;
	size_t len = 0;
	if (b64_decode(s + b0, i - b0, &blob, &len) < 0)
		return -EBADMSG;
	struct sshr rd = {blob, len}, type;
	if (sshr_string(&rd, &type) < 0 || type.len != t1 - t0 ||
	    memcmp(type.p, s + t0, type.len) != 0) {
		free(blob);
		return -EBADMSG;
	}
	*ret_blob = blob;
	*ret_len = len;
	*ret_used = i;
	return 0;
}

int sshkey_parse_public(const char *buf, size_t len, EVP_PKEY **ret)
{
	if (memmem(buf, len, "-----BEGIN PUBLIC KEY-----", 26)) {
		BIO *bio = BIO_new_mem_buf(buf, (int)len);
		EVP_PKEY *k = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		if (!k)
			return -EBADMSG;
		if (!sshkey_type(k)) {
			EVP_PKEY_free(k);
			return -EPROTONOSUPPORT;
		}
		*ret = k;
		return 0;
	}
	struct line_iter it;
	struct line l;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l)) {
		const char *s = l.s;
		size_t n = l.len;
		str_trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		_cleanup_free_ uint8_t *blob = NULL;
		size_t blen, used;
		int r = sshkey_parse_words(s, n, &blob, &blen, &used);
		return r < 0 ? r : sshkey_from_blob(blob, blen, ret);
	}
	return -EBADMSG;
}

/* ---- private keys ------------------------------------------------------ */

/* The key must be the one the file's public section names. */
static int same_public(EVP_PKEY *k, struct sshr pub)
{
	struct wbuf b = {0};
	int r = sshkey_to_blob(k, &b);
	if (r == 0 && (b.len != pub.len || memcmp(b.p, pub.p, b.len) != 0))
		r = -EBADMSG;
	wbuf_free(&b);
	return r;
}

/* One private key of the decrypted section. */
static int private_fields(struct sshr *r, EVP_PKEY **ret)
{
	struct sshr type, f[6];
	const struct curve *c;
	if (sshr_string(r, &type) < 0)
		return -EBADMSG;
	if (sshr_eq(type, "ssh-ed25519")) {
		if (sshr_string(r, &f[0]) < 0 || f[0].len != 32 || sshr_string(r, &f[1]) < 0 ||
		    f[1].len != 64 || memcmp(f[1].p + 32, f[0].p, 32) != 0)
			return -EBADMSG;
		*ret = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, f[1].p, 32);
		return *ret ? 0 : -EBADMSG;
	}
	if (sshr_eq(type, "ssh-rsa")) {
		/* n, e, d, iqmp, p, q */
		for (int i = 0; i < 6; i++)
			if (sshr_mpint(r, &f[i]) < 0)
				return -EBADMSG;
		return rsa_key(f[0], f[1], &f[2], ret);
	}
	if ((c = curve_by_ssh(type, false))) {
		if (sshr_string(r, &f[0]) < 0 || !sshr_eq(f[0], c->nist) ||
		    sshr_string(r, &f[1]) < 0 || sshr_mpint(r, &f[2]) < 0)
			return -EBADMSG;
		return ec_key(c, f[1], &f[2], ret);
	}
	return -EPROTONOSUPPORT;
}

/* The decoded "openssh-key-v1" structure (PROTOCOL.key). */
static int openssh_v1(struct sshr r, EVP_PKEY **ret)
{
	struct sshr magic, cipher, kdf, kdfopt, pub, sec, comment;
	uint32_t nkeys, c1, c2;
	EVP_PKEY *k = NULL;
	if (sshr_raw(&r, sizeof(OPENSSH_MAGIC), &magic) < 0 ||
	    memcmp(magic.p, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC)) != 0 ||
	    sshr_string(&r, &cipher) < 0 || sshr_string(&r, &kdf) < 0 ||
	    sshr_string(&r, &kdfopt) < 0 || sshr_u32(&r, &nkeys) < 0)
		return -EBADMSG;
	if (!sshr_eq(cipher, "none") || !sshr_eq(kdf, "none"))
		return -EKEYREJECTED;
	if (nkeys != 1 || sshr_string(&r, &pub) < 0 || sshr_string(&r, &sec) < 0 || r.len)
		return -EBADMSG;
	if (sshr_u32(&sec, &c1) < 0 || sshr_u32(&sec, &c2) < 0 || c1 != c2)
		return -EBADMSG;
	int e = private_fields(&sec, &k);
	if (e == 0 && sshr_string(&sec, &comment) < 0)
		e = -EBADMSG;
	/* Padding: 1, 2, 3, ... up to the cipher's block size (8 for none). */
	for (size_t i = 0; e == 0 && i < sec.len; i++)
		if (sec.len >= 8 || sec.p[i] != i + 1)
			e = -EBADMSG;
	if (e == 0)
		e = same_public(k, pub);
	if (e < 0) {
		EVP_PKEY_free(k);
		return e;
	}
	*ret = k;
	return 0;
}

static int openssh_private(const char *buf, size_t len, EVP_PKEY **ret)
{
	const char *b = memmem(buf, len, OPENSSH_BEGIN, strlen(OPENSSH_BEGIN));
	const char *body = b + strlen(OPENSSH_BEGIN);
	const char *e = memmem(body, len - (size_t)(body - buf), OPENSSH_END, strlen(OPENSSH_END));
	uint8_t *raw = NULL;
	size_t n = 0;
	if (!e)
		return -EBADMSG;
	int r = b64_decode(body, (size_t)(e - body), &raw, &n);
	if (r < 0)
		return r;
	r = openssh_v1((struct sshr){raw, n}, ret);
	OPENSSL_cleanse(raw, n);
	free(raw);
	return r;
}

/* OpenSSL's passphrase callback: tenken never asks for one. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag;
	*(bool *)u = true;
	return -1;
}

static int pem_private(const char *buf, size_t len, EVP_PKEY **ret)
{
	if (memmem(buf, len, "ENCRYPTED", 9))
		return -EKEYREJECTED;
	bool asked = false;
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, &asked) : NULL;
	BIO_free(bio);
	if (!k)
		return asked ? -EKEYREJECTED : -EBADMSG;
	if (!sshkey_type(k)) {
		EVP_PKEY_free(k);
		return -EPROTONOSUPPORT;
	}
	*ret = k;
	return 0;
}

int sshkey_parse_private(const char *buf, size_t len, EVP_PKEY **ret)
{
	if (len > INT32_MAX)
		return -EBADMSG;
	if (memmem(buf, len, OPENSSH_BEGIN, strlen(OPENSSH_BEGIN)))
		return openssh_private(buf, len, ret);
	if (memmem(buf, len, "-----BEGIN ", 11))
		return pem_private(buf, len, ret);
	return -EBADMSG;
}
