/* trust.h - who may sign: OpenSSH's allowed_signers (ssh-keygen(1),
 * "ALLOWED SIGNERS") and known_hosts (sshd(8), "SSH_KNOWN_HOSTS FILE
 * FORMAT") files, read as OpenSSH reads them. Pure functions of (buf,
 * len): the caller reads the file.
 *
 * Both answer one question: does this file let key blob (the signature's
 * public key) speak for name? Lines that cannot be parsed are skipped
 * and counted, as ssh-keygen skips them.
 */
#ifndef TENKEN_TRUST_H
#define TENKEN_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum trust_answer {
	TRUST_NO = 0,	   /* no line lets the key speak for the name */
	TRUST_YES = 1,	   /* a line does (*ret_line says which) */
	TRUST_REVOKED = 2, /* known_hosts marks the key @revoked */
	TRUST_EXPIRED = 3, /* allowed_signers: outside valid-after/valid-before */
};

/* OpenSSH's pattern lists: comma-separated patterns with * and ?; a
 * pattern starting with ! that matches makes the whole list fail. */
bool trust_match_list(const char *s, const char *list, size_t list_len);

/* allowed_signers: a line whose principals match identity (or, with
 * identity NULL, any line; its principals are copied to principal), whose
 * namespaces= option (if any) allows ns, and whose key is blob; now
 * checked against valid-after/valid-before. cert-authority lines are
 * skipped (tenken does not verify certificates). */
enum trust_answer trust_allowed_signers(const char *buf, size_t len, const uint8_t *blob, size_t n,
					const char *identity, const char *ns, time_t now,
					char *principal, size_t psize, unsigned *ret_line);

/* known_hosts: a line naming host (patterns, negations, hashed |1|
 * names, "[host]:port" for a port other than 22) with key blob, unless a
 * @revoked line holds the key. @cert-authority lines are skipped. */
enum trust_answer trust_known_hosts(const char *buf, size_t len, const uint8_t *blob, size_t n,
				    const char *host, unsigned *ret_line);

#endif
