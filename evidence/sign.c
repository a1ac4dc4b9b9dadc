/* sign.c - loading the signer's key (and certificate) and signing a
 * report (see sign.h). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "evidence/sign.h"
#include "evidence/sshkey.h"
#include "evidence/sshsig.h"
#include "lib/limits.h"
#include "lib/readfile.h"
#include "lib/util.h"

const char *const evidence_host_keys[] = {"/etc/ssh/ssh_host_ed25519_key",
					  "/etc/ssh/ssh_host_ecdsa_key",
					  "/etc/ssh/ssh_host_rsa_key", NULL};

struct evidence_signer {
	EVP_PKEY *key;
	X509 *cert;		/* CMS: the signer's certificate, or NULL for SSHSIG */
	STACK_OF(X509) * chain; /* the certificates after it */
};

#define MSG(m, ja_, en_, ...)                                                                      \
	do {                                                                                       \
		snprintf((m)->ja, sizeof((m)->ja), ja_, __VA_ARGS__);                              \
		snprintf((m)->en, sizeof((m)->en), en_, __VA_ARGS__);                              \
	} while (0)

int evidence_read_private_key(const char *path, EVP_PKEY **ret)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISREG(st.st_mode) && (st.st_mode & 077))
		return -EPERM; /* as ssh: "UNPROTECTED PRIVATE KEY FILE" */
	int r = readfile_fd(fd, LIMIT_SMALL_FILE, &buf, &len);
	if (r < 0)
		return r;
	r = sshkey_parse_private(buf, len, ret);
	OPENSSL_cleanse(buf, len);
	free(buf);
	ERR_clear_error();
	return r;
}

void evidence_key_error(const char *path, int err, struct evidence_msg *m)
{
	switch (err) {
	case -EPERM:
		MSG(m,
		    "%s: 秘密鍵のファイルが所有者以外にも読める権限です（chmod 600 "
		    "にしてください）",
		    "%s: the private key file is accessible to group or others (chmod 600 it, "
		    "as ssh requires)",
		    path);
		break;
	case -EKEYREJECTED:
		MSG(m,
		    "%s: 秘密鍵が暗号化されています。tenken はパスフレーズを尋ねません"
		    "（暗号化していない署名専用の鍵を使ってください）",
		    "%s: the private key is encrypted; tenken asks for no passphrase (use an "
		    "unencrypted key kept for signing)",
		    path);
		break;
	case -EBADMSG:
		MSG(m, "%s: OpenSSH や PEM の秘密鍵として読めません",
		    "%s: not an OpenSSH or PEM private key", path);
		break;
	case -EPROTONOSUPPORT:
		MSG(m, "%s: 対応していない鍵の種類です（Ed25519, ECDSA, RSA）",
		    "%s: unsupported key type (Ed25519, ECDSA and RSA are)", path);
		break;
	default:
		MSG(m, "%s: 秘密鍵を読めません: %s", "%s: cannot read the private key: %s", path,
		    strerror(-err));
	}
}

/* --sign host-key: the first host key that can be read and used. */
static int host_key(EVP_PKEY **ret, struct evidence_msg *err)
{
	int first = -ENOENT;
	const char *first_path = evidence_host_keys[0];
	for (const char *const *p = evidence_host_keys; *p; p++) {
		int r = evidence_read_private_key(*p, ret);
		if (r == 0)
			return 0;
		if (first == -ENOENT && r != -ENOENT) {
			first = r;
			first_path = *p;
		}
	}
	evidence_key_error(first_path, first, err);
	if (first == -ENOENT)
		MSG(err, "%s: ホスト鍵がありません（%s, ecdsa, rsa）",
		    "%s: no host key (tried %s, ecdsa and rsa)", "--sign host-key",
		    evidence_host_keys[0]);
	return first;
}

/* The certificates of a PEM file: the first into *ret_cert, the rest
 * into *ret_chain. */
static int load_certs(const char *path, X509 **ret_cert, STACK_OF(X509) * *ret_chain)
{
	char *buf = NULL;
	size_t len = 0;
	int r = readfile(path, LIMIT_CONFIG_FILE, &buf, &len);
	if (r < 0)
		return r;
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	STACK_OF(X509) *chain = sk_X509_new_null();
	X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL, *x;
	while (bio && chain && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		sk_X509_push(chain, x);
	BIO_free(bio);
	free(buf);
	ERR_clear_error();
	if (!cert || !chain) {
		X509_free(cert);
		sk_X509_pop_free(chain, X509_free);
		return -EBADMSG;
	}
	*ret_cert = cert;
	*ret_chain = chain;
	return 0;
}

void evidence_signer_free(struct evidence_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	free(s);
}

int evidence_signer_load(const char *key, const char *cert, struct evidence_signer **ret,
			 struct evidence_msg *err)
{
	struct evidence_signer *s = calloc(1, sizeof(*s));
	int r = s ? 0 : -ENOMEM;
	if (r == 0 && strcmp(key, "host-key") == 0)
		r = host_key(&s->key, err);
	else if (r == 0 && (r = evidence_read_private_key(key, &s->key)) < 0)
		evidence_key_error(key, r, err);
	if (r == 0 && cert && (r = load_certs(cert, &s->cert, &s->chain)) < 0)
		MSG(err, "%s: PEM の証明書として読めません (%s)",
		    "%s: cannot read it as a PEM certificate (%s)", cert,
		    r == -EBADMSG ? "no certificate" : strerror(-r));
	if (r == 0 && cert && X509_check_private_key(s->cert, s->key) != 1) {
		r = -EKEYREJECTED;
		MSG(err, "%s: 証明書と --sign の鍵が対になっていません",
		    "%s: the certificate does not belong to the --sign key", cert);
	}
	ERR_clear_error();
	if (r < 0) {
		evidence_signer_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

static int cms_sign(const struct evidence_signer *s, const void *data, size_t len, char **ret,
		    size_t *ret_len)
{
	BIO *in = BIO_new_mem_buf(data, (int)len), *out = BIO_new(BIO_s_mem());
	CMS_ContentInfo *cms = NULL;
	int r = -EIO;
	if (len <= INT32_MAX && in && out)
		cms = CMS_sign(s->cert, s->key, s->chain, in,
			       CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP);
	if (cms && PEM_write_bio_CMS(out, cms) == 1) {
		char *p;
		long n = BIO_get_mem_data(out, &p);
		*ret = xstrndup(p, (size_t)n);
		*ret_len = (size_t)n;
		r = *ret ? 0 : -ENOMEM;
	}
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(out);
	ERR_clear_error();
	return r;
}

int evidence_sign(const struct evidence_signer *s, const void *data, size_t len, char **ret,
		  size_t *ret_len, struct evidence_msg *err)
{
	int r;
	if (s->cert) {
		r = cms_sign(s, data, len, ret, ret_len);
	} else {
		r = sshsig_sign(s->key, SSHSIG_NAMESPACE, data, len, ret);
		if (r == 0)
			*ret_len = strlen(*ret);
	}
	ERR_clear_error();
	if (r < 0)
		MSG(err, "署名できませんでした (%s)", "signing failed (%s)",
		    r == -EKEYREJECTED ? "the private key does not match its public half"
				       : strerror(-r));
	return r;
}
