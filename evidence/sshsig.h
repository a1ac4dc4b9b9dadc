/* sshsig.h - detached signatures in OpenSSH's SSHSIG format
 * (PROTOCOL.sshsig), the format of `ssh-keygen -Y sign`, so that
 * `ssh-keygen -Y verify -n tenken-report` checks tenken's signatures and
 * tenken checks ssh-keygen's.
 *
 * Ownership: sshsig_parse fills a struct sshsig whose spans point into
 * its own decoded buffer (free with sshsig_free). sshsig_sign returns a
 * new armoured string.
 */
#ifndef TENKEN_SSHSIG_H
#define TENKEN_SSHSIG_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>
#include "evidence/sshwire.h"

#define SSHSIG_NAMESPACE "tenken-report"
#define SSHSIG_BEGIN	 "-----BEGIN SSH SIGNATURE-----"
#define SSHSIG_END	 "-----END SSH SIGNATURE-----"

struct sshsig {
	uint8_t *raw; /* the decoded blob; the spans below point into it */
	size_t rawlen;
	struct sshr pubkey, ns, hash_alg, sigtype, sig; /* sig: the signature blob proper */
};

/* Parse an armoured signature (untrusted): 0, or -EBADMSG when it is not
 * an SSHSIG of version 1 with a signature of the form "string type,
 * string blob". The armour lines may be surrounded by blank lines. */
int sshsig_parse(const char *buf, size_t len, struct sshsig *ret);
void sshsig_free(struct sshsig *s);

/* Sign msg with key under namespace ns (sha512, as ssh-keygen does);
 * the signature is checked against the key's public half before it is
 * returned. *ret: new armoured text ending in a newline. */
int sshsig_sign(EVP_PKEY *key, const char *ns, const void *msg, size_t len, char **ret);

/* Check s over msg under ns. Returns 1 if valid, 0 if not (*why says why,
 * in English and Japanese), <0 on an internal error. The key is the one
 * the signature names (*ret_key, new, when not NULL): the caller decides
 * whether it trusts it. */
int sshsig_verify(const struct sshsig *s, const char *ns, const void *msg, size_t len,
		  EVP_PKEY **ret_key, const char **why_en, const char **why_ja);

#endif
