/* fuzz_sshsig.c - libFuzzer target: the parsers of signed evidence, all
 * of whose inputs are hostile: an armoured SSHSIG (parsed, then verified
 * over a fixed message), OpenSSH and PEM private keys, public key lines
 * and raw public key blobs, allowed_signers and known_hosts files, and
 * the report consistency check. The first byte picks the parser. */
#include <openssl/evp.h>
#include "evidence/sshkey.h"
#include "evidence/sshsig.h"
#include "evidence/trust.h"
#include "evidence/verify.h"
#include "tests/fuzz/fuzzlib.h"

/* A fixed Ed25519 public key blob for the trust files to look for. */
static const uint8_t blob[] = {0,   0,	 0,  11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5',
			       '1', '9', 0,  0,	 0,   32,  1,	2,   3,	  4,   5,   6,	 7,
			       8,   9,	 10, 11, 12,  13,  14,	15,  16,  17,  18,  19,	 20,
			       21,  22,	 23, 24, 25,  26,  27,	28,  29,  30,  31,  32};

static void sig(const char *s, size_t n)
{
	struct sshsig g;
	const char *en, *ja;
	EVP_PKEY *k = NULL;
	if (sshsig_parse(s, n, &g) < 0)
		return;
	sshsig_verify(&g, SSHSIG_NAMESPACE, "report", 6, &k, &en, &ja);
	EVP_PKEY_free(k);
	sshsig_free(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned v = fuzz_pick(&data, &size, 7);
	char *s = fuzz_copy(data, size), p[256], why[256];
	EVP_PKEY *k = NULL;
	unsigned line;
	json_t *j;
	switch (v) {
	case 0:
		sig(s, size);
		break;
	case 1:
		sshkey_parse_private(s, size, &k);
		break;
	case 2:
		sshkey_parse_public(s, size, &k);
		break;
	case 3:
		sshkey_from_blob(data, size, &k);
		break;
	case 4:
		trust_allowed_signers(s, size, blob, sizeof(blob), size % 2 ? "a@x" : NULL,
				      SSHSIG_NAMESPACE, 1800000000, p, sizeof(p), &line);
		break;
	case 5:
		trust_known_hosts(s, size, blob, sizeof(blob), "host1", &line);
		break;
	default:
		j = json_loadb(s, size, 0, NULL);
		if (j)
			evidence_check_consistency(j, why, sizeof(why));
		json_decref(j);
	}
	EVP_PKEY_free(k);
	free(s);
	return 0;
}
