/* sshkey.h - SSH keys (Ed25519, ECDSA P-256/384/521, RSA) as OpenSSL
 * EVP_PKEYs: the public key blob of RFC 4253 / RFC 5656 / RFC 8709 both
 * ways, its SHA256 fingerprint exactly as `ssh-keygen -l` prints it, and
 * private keys in OpenSSH's own format ("openssh-key-v1", unencrypted) or
 * any PEM form OpenSSL reads. Pure functions of (buf, len): the caller
 * reads the file (evidence/keyfile.c).
 *
 * Ownership: *_parse and sshkey_from_blob return a new EVP_PKEY (free with
 * EVP_PKEY_free). Inputs are borrowed. Private key bytes decoded here are
 * wiped before their buffers are freed.
 *
 * Errors: -EBADMSG malformed; -EKEYREJECTED an encrypted private key
 * (tenken asks for no passphrase); -EPROTONOSUPPORT a key type tenken
 * does not sign or verify with (DSA, security keys, certificates); -ENOMEM.
 */
#ifndef TENKEN_SSHKEY_H
#define TENKEN_SSHKEY_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>
#include "evidence/sshwire.h"

/* "SHA256:" and 43 characters of unpadded base64. */
#define SSHKEY_FP_SIZE 56

/* The SSH name of the key's type ("ssh-ed25519", "ecdsa-sha2-nistp256",
 * "ssh-rsa"), or NULL if tenken does not use it. Static string. */
const char *sshkey_type(EVP_PKEY *k);
/* Append the public key blob to out. */
int sshkey_to_blob(EVP_PKEY *k, struct wbuf *out);
/* The key a public blob holds (an untrusted blob: points are checked on
 * their curve, RSA moduli are 1024 to 16384 bits). */
int sshkey_from_blob(const uint8_t *blob, size_t n, EVP_PKEY **ret);
/* "SHA256:..." of a blob into out. */
int sshkey_fingerprint(const uint8_t *blob, size_t n, char out[static SSHKEY_FP_SIZE]);
/* The same for a key. */
int sshkey_fingerprint_key(EVP_PKEY *k, char out[static SSHKEY_FP_SIZE]);

/* A public key as one line of a .pub, authorized_keys-style file: "TYPE
 * BASE64 [COMMENT]" (the first line that is not blank or a comment), or a
 * PEM "PUBLIC KEY". The blob's type must equal TYPE. */
int sshkey_parse_public(const char *buf, size_t len, EVP_PKEY **ret);
/* "TYPE BASE64" at the start of s (n bytes): the decoded blob (new
 * buffer) and, in *ret_used, how many bytes of s the two words took. */
int sshkey_parse_words(const char *s, size_t n, uint8_t **ret_blob, size_t *ret_len,
		       size_t *ret_used);

/* A private key file's contents: "-----BEGIN OPENSSH PRIVATE KEY-----"
 * (cipher "none" only) or a PEM key (PKCS#8, "RSA PRIVATE KEY", "EC
 * PRIVATE KEY"; encrypted ones refused). */
int sshkey_parse_private(const char *buf, size_t len, EVP_PKEY **ret);

/* The digest SSH signs with for this key: Ed25519 NULL (it hashes
 * itself), ECDSA by curve (SHA-256/384/512), RSA SHA-512 (rsa-sha2-512).
 * *ret_sigtype is the signature's type name. -EPROTONOSUPPORT if none. */
int sshkey_sig_params(EVP_PKEY *k, const EVP_MD **ret_md, const char **ret_sigtype);

#endif
