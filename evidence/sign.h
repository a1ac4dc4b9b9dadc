/* sign.h - signing a report: `tenken scan --sign KEY|host-key
 * [--sign-cert CERT]` writes OUTPUT.sig beside OUTPUT (docs/DESIGN.md,
 * "Provenance and signatures").
 *
 * With an SSH or PEM private key alone, the signature is SSHSIG
 * (namespace tenken-report); with --sign-cert it is a detached CMS
 * signature in PEM whose certificates are those of CERT: the signer's
 * certificate first, then the chain up to (not necessarily including) the
 * root. The private key is read once from the path given (or the host
 * key path), kept in memory only, never copied and never printed: error
 * messages name the path and the reason, never the contents.
 *
 * Ownership: evidence_signer_load returns a new signer
 * (evidence_signer_free); evidence_sign returns a new signature text.
 */
#ifndef TENKEN_EVIDENCE_SIGN_H
#define TENKEN_EVIDENCE_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/evp.h>

struct evidence_signer;

/* A message in both languages, for the command line to print. */
struct evidence_msg {
	char en[512], ja[512];
};

/* The host keys `--sign host-key` tries, in order. */
extern const char *const evidence_host_keys[];

/* key: a path or "host-key"; cert: NULL or a PEM certificate file. */
int evidence_signer_load(const char *key, const char *cert, struct evidence_signer **ret,
			 struct evidence_msg *err);
void evidence_signer_free(struct evidence_signer *s);
/* Sign data; *ret is a new NUL-terminated text, *ret_len its length. */
int evidence_sign(const struct evidence_signer *s, const void *data, size_t len, char **ret,
		  size_t *ret_len, struct evidence_msg *err);

/* Read a private key file as ssh does: a regular file readable by its
 * owner only (no group or other permission bits), at most 64 KiB. Errors:
 * -EPERM too open; others from open/read and sshkey_parse_private. The
 * file's bytes are wiped from memory once parsed. */
int evidence_read_private_key(const char *path, EVP_PKEY **ret);

/* The message for an evidence_read_private_key error. */
void evidence_key_error(const char *path, int err, struct evidence_msg *m);

#endif
