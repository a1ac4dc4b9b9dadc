/* verify.h - checking a signed report (`tenken verify`, and the central
 * store's ingest): the signature (SSHSIG or CMS, told apart by their
 * armour) against the trust the caller names, then the report's own
 * consistency. docs/DESIGN.md, "Provenance and signatures".
 *
 * Ownership: inputs are borrowed; results are written into the caller's
 * struct.
 */
#ifndef TENKEN_EVIDENCE_VERIFY_H
#define TENKEN_EVIDENCE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* Exactly one of pubkey, allowed_signers, known_hosts (SSHSIG) or ca
 * (CMS) is set. identity: with allowed_signers, the principal that must
 * have signed; with known_hosts, the host the report must come from
 * (default: the report's own host name); with ca, the certificate's
 * subject common name, e-mail or DNS name. */
struct verify_opts {
	const char *pubkey, *allowed_signers, *identity, *known_hosts, *ca;
};

struct verify_result {
	bool valid;
	char signer[256]; /* the identity, host, principal or certificate subject */
	char method[16];  /* "sshsig" or "cms" */
	char why_en[256], why_ja[256];
	/* Additions (not in CONTRACTS.md): */
	char key[128];	    /* "ssh-ed25519 SHA256:..." or the certificate's issuer */
	char signed_at[32]; /* CMS signing time, "" for SSHSIG (it has none) */
	char report_sha256[65];
};

/* 0: checked (res->valid says the answer, why_* the reason when not);
 * <0: error reading inputs (-errno) or options that do not fit the
 * signature (-EINVAL: an SSH signature checked with --ca, say); why_*
 * then says which. */
int evidence_verify_file(const char *report, const char *sig, const struct verify_opts *o,
			 struct verify_result *res);

/* Report consistency: the summary equals the findings (an omitted-record
 * counts its omitted_count), every checklist answer follows from the
 * findings naming the item (no if any fail, else unknown if any is
 * unknown or none, else yes; organisational only for an item no rule
 * answers and no finding names), provenance agrees with scan and host.
 * 0 if consistent, else -EBADMSG with why (English) filled. */
int evidence_check_consistency(const json_t *report, char *why, size_t n);

/* `tenken verify FILE --signature SIG ...`: prints who signed what, when
 * (lang "ja" or "en"), returns the exit status: 0 valid, 1 invalid, 2
 * error. */
int evidence_cmd_verify(const char *report, const char *sig, const struct verify_opts *o,
			const char *lang);

#endif
