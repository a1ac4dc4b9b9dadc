/* test_evidence.c - the pieces of signed evidence on their own: base64
 * and the SSH wire format, SSHSIG round trips for every key type with
 * every single-byte change of the message rejected, OpenSSH private keys
 * made by ssh-keygen (fingerprints compared with ssh-keygen -l, encrypted
 * and too-open keys refused), allowed_signers and known_hosts matching,
 * the report's consistency check, and the rule-set hash. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include "engine/rules.h"
#include "evidence/provenance.h"
#include "evidence/sign.h"
#include "evidence/sshkey.h"
#include "evidence/sshsig.h"
#include "evidence/trust.h"
#include "evidence/verify.h"
#include "lib/readfile.h"

static void test_base64(void **state)
{
	static const char *const good[][2] = {
	    {"", ""}, {"Zg==", "f"}, {"Zm8=", "fo"}, {"Zm9v", "foo"}, {"Zm9v\nYmFy", "foobar"}};
	static const char *const bad[] = {"Zh==", "Zm9=", "Z===", "Zm9v=", "Zg==Zg==", "Zm!v"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint8_t *out = NULL;
		size_t n = 0;
		/* "Zg" without padding decodes too: padding is optional. */
		assert_int_equal(b64_decode(good[i][0], strlen(good[i][0]), &out, &n), 0);
		assert_int_equal(n, strlen(good[i][1]));
		assert_memory_equal(out, good[i][1], n);
		char *back = b64_encode(out, n, true);
		if (!strchr(good[i][0], '\n'))
			assert_string_equal(back, good[i][0]);
		free(back);
		free(out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t *out = NULL;
		size_t n = 0;
		assert_int_equal(b64_decode(bad[i], strlen(bad[i]), &out, &n), -EBADMSG);
	}
}

static void test_wire(void **state)
{
	struct wbuf b = {0};
	static const uint8_t hi[] = {0x80, 0x01}, zero[] = {0, 0};
	wbuf_mpint(&b, hi, 2);	 /* 00 00 00 03 00 80 01 */
	wbuf_mpint(&b, zero, 2); /* 00 00 00 00 */
	wbuf_cstring(&b, "ab");
	static const uint8_t want[] = {0, 0, 0, 3, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 2, 'a', 'b'};
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.p, want, sizeof(want));
	struct sshr r = {b.p, b.len}, v;
	assert_int_equal(sshr_mpint(&r, &v), 0);
	assert_int_equal(v.len, 2);
	assert_int_equal(sshr_mpint(&r, &v), 0);
	assert_int_equal(v.len, 0);
	assert_int_equal(sshr_expect(&r, "ab"), 0);
	assert_int_equal(r.len, 0);
	assert_int_equal(sshr_string(&r, &v), -EBADMSG);
	/* A negative mpint and a needless leading zero are refused. */
	static const uint8_t neg[] = {0, 0, 0, 1, 0x80}, lead[] = {0, 0, 0, 2, 0, 1};
	r = (struct sshr){neg, sizeof(neg)};
	assert_int_equal(sshr_mpint(&r, &v), -EBADMSG);
	r = (struct sshr){lead, sizeof(lead)};
	assert_int_equal(sshr_mpint(&r, &v), -EBADMSG);
	/* A length past the end. */
	static const uint8_t longer[] = {0, 0, 0, 9, 'x'};
	r = (struct sshr){longer, sizeof(longer)};
	assert_int_equal(sshr_string(&r, &v), -EBADMSG);
	wbuf_free(&b);
}

static EVP_PKEY *keygen(int which)
{
	switch (which) {
	case 0:
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	case 1:
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	case 2:
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	default:
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	}
}

/* Sign, parse, verify; every single-byte change of the message and a
 * wrong namespace fail; the key the signature names is the signer's. */
static void test_sshsig_roundtrip(void **state)
{
	static const char msg[] = "{\"format\": \"tenken-report\", \"summary\": {\"fail\": 0}}\n";
	for (int k = 0; k < 4; k++) {
		EVP_PKEY *key = keygen(k), *got = NULL;
		char *sig = NULL;
		struct sshsig s;
		const char *en, *ja;
		assert_non_null(key);
		assert_int_equal(sshsig_sign(key, SSHSIG_NAMESPACE, msg, strlen(msg), &sig), 0);
		assert_int_equal(sshsig_parse(sig, strlen(sig), &s), 0);
		assert_int_equal(
		    sshsig_verify(&s, SSHSIG_NAMESPACE, msg, strlen(msg), &got, &en, &ja), 1);
		assert_int_equal(EVP_PKEY_eq(key, got), 1);
		char copy[sizeof(msg)];
		for (size_t i = 0; i < strlen(msg); i++) {
			memcpy(copy, msg, sizeof(msg));
			copy[i] ^= 0x01;
			assert_int_equal(
			    sshsig_verify(&s, SSHSIG_NAMESPACE, copy, strlen(msg), NULL, &en, &ja),
			    0);
		}
		assert_int_equal(
		    sshsig_verify(&s, SSHSIG_NAMESPACE, msg, strlen(msg) - 1, NULL, &en, &ja), 0);
		assert_int_equal(sshsig_verify(&s, "file", msg, strlen(msg), NULL, &en, &ja), 0);
		assert_non_null(strstr(en, "namespace"));
		sshsig_free(&s);
		free(sig);
		EVP_PKEY_free(key);
		EVP_PKEY_free(got);
	}
}

/* Every byte of a decoded signature changed in turn: the result never
 * verifies (parse errors count as rejections). */
static void test_sshsig_tamper(void **state)
{
	static const char msg[] = "report";
	EVP_PKEY *key = keygen(0);
	char *sig = NULL;
	struct sshsig s;
	assert_int_equal(sshsig_sign(key, SSHSIG_NAMESPACE, msg, 6, &sig), 0);
	assert_int_equal(sshsig_parse(sig, strlen(sig), &s), 0);
	for (size_t i = 0; i < s.rawlen; i++) {
		uint8_t *raw = malloc(s.rawlen);
		memcpy(raw, s.raw, s.rawlen);
		raw[i] ^= 0x20;
		char *b = b64_encode(raw, s.rawlen, true), *arm = NULL;
		assert_true(asprintf(&arm, "%s\n%s\n%s\n", SSHSIG_BEGIN, b, SSHSIG_END) > 0);
		struct sshsig t;
		const char *en, *ja;
		if (sshsig_parse(arm, strlen(arm), &t) == 0) {
			assert_int_not_equal(
			    sshsig_verify(&t, SSHSIG_NAMESPACE, msg, 6, NULL, &en, &ja), 1);
			sshsig_free(&t);
		}
		free(arm);
		free(b);
		free(raw);
	}
	/* Text after the armour is refused, not ignored. */
	char *tail = NULL;
	assert_true(asprintf(&tail, "%sjunk\n", sig) > 0);
	struct sshsig t;
	assert_int_equal(sshsig_parse(tail, strlen(tail), &t), -EBADMSG);
	free(tail);
	sshsig_free(&s);
	free(sig);
	EVP_PKEY_free(key);
}

static int run(const char *cmd)
{
	return system(cmd);
}

/* Private keys made by ssh-keygen in the OpenSSH format and as PEM: read,
 * their fingerprints equal ssh-keygen -l's; encrypted and 0644 refused. */
static void test_private_keys(void **state)
{
	char dir[] = "/tmp/tenken-evidence-XXXXXX", cmd[1024], path[256], fpw[128];
	if (run("command -v ssh-keygen >/dev/null") != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	static const char *const types[] = {
	    "ed25519",	   "ecdsa -b 256",	 "ecdsa -b 521",
	    "rsa -b 3072", "rsa -b 2048 -m PEM", "ecdsa -b 384 -m PKCS8"};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(path, sizeof(path), "%s/k%zu", dir, i);
		snprintf(cmd, sizeof(cmd),
			 "ssh-keygen -q -t %s -N '' -f %s </dev/null && ssh-keygen -lf %s.pub | "
			 "cut -d' ' -f2 > %s.fp",
			 types[i], path, path, path);
		assert_int_equal(run(cmd), 0);
		EVP_PKEY *k = NULL;
		assert_int_equal(evidence_read_private_key(path, &k), 0);
		char fp[SSHKEY_FP_SIZE];
		assert_int_equal(sshkey_fingerprint_key(k, fp), 0);
		snprintf(cmd, sizeof(cmd), "%s.fp", path);
		FILE *f = fopen(cmd, "r");
		assert_non_null(f);
		assert_non_null(fgets(fpw, sizeof(fpw), f));
		fclose(f);
		fpw[strcspn(fpw, "\n")] = '\0';
		assert_string_equal(fp, fpw);
		/* The .pub reads as the same key. */
		EVP_PKEY *pub = NULL;
		char *buf = NULL;
		size_t len = 0;
		snprintf(cmd, sizeof(cmd), "%s.pub", path);
		assert_int_equal(readfile(cmd, 65536, &buf, &len), 0);
		assert_int_equal(sshkey_parse_public(buf, len, &pub), 0);
		assert_int_equal(EVP_PKEY_eq(k, pub), 1);
		free(buf);
		EVP_PKEY_free(pub);
		EVP_PKEY_free(k);
		chmod(path, 0640);
		assert_int_equal(evidence_read_private_key(path, &k), -EPERM);
	}
	snprintf(path, sizeof(path), "%s/enc", dir);
	snprintf(cmd, sizeof(cmd), "ssh-keygen -q -t ed25519 -N secret-pass -f %s </dev/null",
		 path);
	assert_int_equal(run(cmd), 0);
	EVP_PKEY *k = NULL;
	assert_int_equal(evidence_read_private_key(path, &k), -EKEYREJECTED);
	snprintf(path, sizeof(path), "%s/encpem", dir);
	snprintf(cmd, sizeof(cmd),
		 "openssl genpkey -algorithm ed25519 -aes256 -pass pass:x -out %s 2>/dev/null && "
		 "chmod 600 %s",
		 path, path);
	assert_int_equal(run(cmd), 0);
	assert_int_equal(evidence_read_private_key(path, &k), -EKEYREJECTED);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(evidence_read_private_key(path, &k), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	run(cmd);
}

static void test_private_malformed(void **state)
{
	static const char *const bad[] = {
	    "",
	    "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n",
	    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n"
	    "-----END OPENSSH PRIVATE KEY-----\n",
	    "-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----\n",
	    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
	    "ssh-ed25519 AAAA"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EVP_PKEY *k = NULL;
		assert_true(sshkey_parse_private(bad[i], strlen(bad[i]), &k) < 0);
		assert_null(k);
	}
}

static void test_match_list(void **state)
{
	assert_true(trust_match_list("host1", "host*", 5));
	assert_true(trust_match_list("a.example", "b,*.example", 11));
	assert_false(trust_match_list("a.example", "*.example,!a.example", 20));
	assert_false(trust_match_list("abc", "a?", 2));
	assert_true(trust_match_list("abc", "a?c", 3));
	assert_false(trust_match_list("x", "", 0));
}

/* allowed_signers and known_hosts lines around one key. */
static void test_trust_files(void **state)
{
	EVP_PKEY *k = keygen(0), *other = keygen(0);
	struct wbuf b = {0}, o = {0};
	assert_int_equal(sshkey_to_blob(k, &b), 0);
	assert_int_equal(sshkey_to_blob(other, &o), 0);
	char *b64 = b64_encode(b.p, b.len, true), *text = NULL, p[256];
	unsigned line = 0;
	assert_true(asprintf(&text,
			     "# comment\n"
			     "garbage line\n"
			     "old@x valid-before=\"20000101\" ssh-ed25519 %s\n"
			     "\"a@x,b@x\" namespaces=\"file,tenken-report\" ssh-ed25519 %s\n"
			     "c@x namespaces=\"git\" ssh-ed25519 %s\n",
			     b64, b64, b64) > 0);
	time_t now = 1800000000;
	assert_int_equal(trust_allowed_signers(text, strlen(text), b.p, b.len, "a@x",
					       SSHSIG_NAMESPACE, now, p, sizeof(p), &line),
			 TRUST_YES);
	assert_int_equal(line, 4);
	assert_int_equal(trust_allowed_signers(text, strlen(text), b.p, b.len, "c@x",
					       SSHSIG_NAMESPACE, now, p, sizeof(p), &line),
			 TRUST_NO);
	assert_int_equal(trust_allowed_signers(text, strlen(text), b.p, b.len, "old@x",
					       SSHSIG_NAMESPACE, now, p, sizeof(p), &line),
			 TRUST_EXPIRED);
	assert_int_equal(trust_allowed_signers(text, strlen(text), b.p, b.len, NULL,
					       SSHSIG_NAMESPACE, now, p, sizeof(p), &line),
			 TRUST_YES);
	assert_string_equal(p, "a@x,b@x");
	assert_int_equal(trust_allowed_signers(text, strlen(text), o.p, o.len, "a@x",
					       SSHSIG_NAMESPACE, now, p, sizeof(p), &line),
			 TRUST_NO);
	free(text);
	assert_true(asprintf(&text,
			     "@cert-authority * ssh-ed25519 %s\n"
			     "web1,!web2,web* ssh-ed25519 %s\n"
			     "[web3]:2222 ssh-ed25519 %s\n",
			     b64, b64, b64) > 0);
	assert_int_equal(trust_known_hosts(text, strlen(text), b.p, b.len, "web1", &line),
			 TRUST_YES);
	assert_int_equal(line, 2);
	assert_int_equal(trust_known_hosts(text, strlen(text), b.p, b.len, "WEB9", &line),
			 TRUST_YES);
	assert_int_equal(trust_known_hosts(text, strlen(text), b.p, b.len, "web2", &line),
			 TRUST_NO);
	assert_int_equal(trust_known_hosts(text, strlen(text), b.p, b.len, "[web3]:2222", &line),
			 TRUST_YES);
	assert_int_equal(trust_known_hosts(text, strlen(text), o.p, o.len, "web1", &line),
			 TRUST_NO);
	char *rev = NULL;
	assert_true(asprintf(&rev, "%s@revoked db ssh-ed25519 %s\n", text, b64) > 0);
	assert_int_equal(trust_known_hosts(rev, strlen(rev), b.p, b.len, "web1", &line),
			 TRUST_REVOKED);
	free(rev);
	free(text);
	free(b64);
	wbuf_free(&b);
	wbuf_free(&o);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static const char tiny[] =
    "{\"format\":\"tenken-report\",\"findings\":[{\"rule\":\"r\",\"checklist\":[\"2(5)\"],"
    "\"status\":\"fail\"}],\"checklist\":[{\"item\":\"2(5)\",\"answer\":\"no\",\"fail\":1,"
    "\"pass\":0,\"unknown\":0,\"rules\":[\"r\"]}],\"summary\":{\"fail\":1,\"pass\":0,"
    "\"unknown\":0}}\n";

/* Through evidence_verify_file: the untouched pair is valid; each byte
 * of the report changed, and each byte of the decoded signature changed
 * (re-armoured with the same armour lines), is not. With tail > 0, only
 * the last tail bytes of the signature: a CMS SignedData's version,
 * digestAlgorithms and certificate set stand outside what its signature
 * covers (RFC 5652 5.1; openssl cms -verify accepts a changed version
 * too), its SignerInfo (signed attributes, signature) at the end does not. */
static void every_byte(const char *dir, const char *sigtext, const struct verify_opts *o,
		       size_t tail)
{
	char rp[256], sp[256];
	struct verify_result res;
	snprintf(rp, sizeof(rp), "%s/r.json", dir);
	snprintf(sp, sizeof(sp), "%s/r.json.sig", dir);
	write_file(rp, tiny, strlen(tiny));
	write_file(sp, sigtext, strlen(sigtext));
	assert_int_equal(evidence_verify_file(rp, sp, o, &res), 0);
	assert_true(res.valid);
	for (size_t i = 0; i < strlen(tiny); i++) {
		char copy[sizeof(tiny)];
		memcpy(copy, tiny, sizeof(tiny));
		copy[i] ^= 0x01;
		write_file(rp, copy, strlen(tiny));
		assert_int_equal(evidence_verify_file(rp, sp, o, &res), 0);
		assert_false(res.valid);
	}
	write_file(rp, tiny, strlen(tiny));
	const char *body = strchr(sigtext, '\n') + 1, *end = strstr(body, "-----END");
	uint8_t *raw = NULL;
	size_t n = 0;
	assert_int_equal(b64_decode(body, (size_t)(end - body), &raw, &n), 0);
	assert_true(tail < n);
	for (size_t i = tail ? n - tail : 0; i < n; i++) {
		raw[i] ^= 0x04;
		char *b = b64_encode(raw, n, true), *arm = NULL;
		raw[i] ^= 0x04;
		assert_true(asprintf(&arm, "%.*s%s\n%s", (int)(body - sigtext), sigtext, b, end) >
			    0);
		write_file(sp, arm, strlen(arm));
		int r = evidence_verify_file(rp, sp, o, &res);
		assert_true(r <= 0);
		if (res.valid)
			print_error("accepted: byte %zu of %zu\n", i, n);
		assert_false(res.valid);
		free(arm);
		free(b);
	}
	free(raw);
}

static void test_verify_every_byte(void **state)
{
	char dir[] = "/tmp/tenken-evidence-XXXXXX", path[256], cmd[1024];
	assert_non_null(mkdtemp(dir));
	for (int k = 0; k < 4; k++) {
		EVP_PKEY *key = keygen(k);
		struct wbuf b = {0};
		char *sig = NULL, *line = NULL;
		assert_int_equal(sshkey_to_blob(key, &b), 0);
		char *b64 = b64_encode(b.p, b.len, true);
		assert_true(asprintf(&line, "%s %s test\n", sshkey_type(key), b64) > 0);
		snprintf(path, sizeof(path), "%s/key.pub", dir);
		write_file(path, line, strlen(line));
		assert_int_equal(sshsig_sign(key, SSHSIG_NAMESPACE, tiny, strlen(tiny), &sig), 0);
		struct verify_opts o = {.pubkey = path};
		every_byte(dir, sig, &o, 0);
		free(sig);
		free(line);
		free(b64);
		wbuf_free(&b);
		EVP_PKEY_free(key);
	}
	if (run("command -v openssl >/dev/null") != 0)
		skip();
	/* CMS: a self-signed CA and a leaf it issued, made by openssl. */
	snprintf(
	    cmd, sizeof(cmd),
	    "cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	    "-keyout ca.key -out ca.pem -subj /CN=ca -days 2 -addext "
	    "basicConstraints=critical,CA:TRUE 2>/dev/null && "
	    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key "
	    "-out leaf.csr -subj /CN=leaf 2>/dev/null && openssl x509 -req -in leaf.csr -CA ca.pem "
	    "-CAkey ca.key -CAcreateserial -out leaf.pem -days 2 2>/dev/null && chmod 600 leaf.key",
	    dir);
	assert_int_equal(run(cmd), 0);
	char keyp[256], certp[256], cap[256];
	snprintf(keyp, sizeof(keyp), "%s/leaf.key", dir);
	snprintf(certp, sizeof(certp), "%s/leaf.pem", dir);
	snprintf(cap, sizeof(cap), "%s/ca.pem", dir);
	struct evidence_signer *sg = NULL;
	struct evidence_msg m;
	char *sig = NULL;
	size_t len = 0;
	assert_int_equal(evidence_signer_load(keyp, certp, &sg, &m), 0);
	assert_int_equal(evidence_sign(sg, tiny, strlen(tiny), &sig, &len, &m), 0);
	struct verify_opts o = {.ca = cap};
	/* The SignerInfo of a P-256 leaf: sid, three signed attributes and a
	 * 70-byte signature, more than 150 bytes. */
	every_byte(dir, sig, &o, 150);
	free(sig);
	evidence_signer_free(sg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	run(cmd);
}

/* A small report, consistent until one number or answer is changed. */
static json_t *small_report(void)
{
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:{s:s, s:n}, s:["
			 "{s:s, s:s, s:[s]}, {s:s, s:s, s:[s]}, {s:s, s:s, s:[s], s:b, s:{s:i}}],"
			 " s:[{s:s, s:s, s:i, s:i, s:i, s:[s]}, {s:s, s:s, s:i, s:i, s:i, s:[]},"
			 " {s:s, s:s, s:i, s:i, s:i, s:[s]}],"
			 " s:{s:i, s:i, s:i}, s:{s:s, s:s, s:s, s:{s:s, s:n}}}",
			 "format", "tenken-report", "scan", "now", "2026-11-22T00:00:00Z", "root",
			 "/", "mode", "live", "host", "hostname", "h1", "machine_id", "findings",
			 "rule", "a", "status", "fail", "checklist", "2(5)", "rule", "b", "status",
			 "pass", "checklist", "2(4)", "rule", "c", "status", "unknown", "checklist",
			 "2(5)", "omitted", 1, "evidence", "omitted_count", 3, "checklist", "item",
			 "2(5)", "answer", "no", "fail", 1, "pass", 0, "unknown", 3, "rules", "a",
			 "item", "1(1)", "answer", "organisational", "fail", 0, "pass", 0,
			 "unknown", 0, "rules", "item", "2(4)", "answer", "yes", "fail", 0, "pass",
			 1, "unknown", 0, "rules", "b", "summary", "fail", 1, "pass", 1, "unknown",
			 3, "provenance", "judged_at", "2026-11-22T00:00:00Z", "root", "/", "mode",
			 "live", "host", "hostname", "h1", "machine_id");
}

static void test_consistency(void **state)
{
	char why[256];
	json_t *r = small_report();
	assert_non_null(r);
	assert_int_equal(evidence_check_consistency(r, why, sizeof(why)), 0);
	json_decref(r);

	static const char *const edits[][3] = {{"/summary", "fail", "0"},
					       {"/summary", "unknown", "1"},
					       {"/checklist/0", "answer", "yes"},
					       {"/checklist/1", "answer", "yes"},
					       {"/checklist/2", "answer", "no"},
					       {"/checklist/2", "pass", "2"},
					       {"/provenance", "judged_at", "x"},
					       {"/provenance/host", "hostname", "h2"},
					       {"", "format", "x"}};
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		r = small_report();
		json_t *obj = r;
		const char *p = edits[i][0];
		while (*p == '/') {
			const char *e = strchr(p + 1, '/');
			size_t n = e ? (size_t)(e - p - 1) : strlen(p + 1);
			char key[32];
			snprintf(key, sizeof(key), "%.*s", (int)n, p + 1);
			obj = json_is_array(obj)
				  ? json_array_get(obj, (size_t)strtoul(key, NULL, 10))
				  : json_object_get(obj, key);
			p += n + 1;
		}
		json_t *v = json_loads(edits[i][2], JSON_DECODE_ANY, NULL);
		json_object_set_new(obj, edits[i][1], v ? v : json_string(edits[i][2]));
		assert_int_equal(evidence_check_consistency(r, why, sizeof(why)), -EBADMSG);
		json_decref(r);
	}
	/* An organisational item that findings name. */
	r = small_report();
	json_array_append_new(
	    json_object_get(json_array_get(json_object_get(r, "findings"), 1), "checklist"),
	    json_string("1(1)"));
	assert_int_equal(evidence_check_consistency(r, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "organisational"));
	json_decref(r);
}

/* The same rule set hashes the same; a baseline that only extends the
 * profile changes nothing; one override changes the hash. */
static void test_ruleset_hash(void **state)
{
	struct ruleset *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	struct diag dg;
	char ha[65], hb[65], hc[65], hd[65];
	static const char same[] = "{\"extends\": \"server\"}";
	static const char sev[] =
	    "{\"extends\": \"server\", \"severity\": {\"accounts.never_used\": \"low\"}}";
	assert_int_equal(ruleset_load(NULL, "server", &a, &dg), 0);
	assert_int_equal(ruleset_load(NULL, "server", &b, &dg), 0);
	assert_int_equal(ruleset_load_mem("same.json", same, strlen(same), NULL, &c, &dg), 0);
	assert_int_equal(ruleset_load_mem("sev.json", sev, strlen(sev), NULL, &d, &dg), 0);
	assert_int_equal(provenance_ruleset_sha256(a, ha), 0);
	assert_int_equal(provenance_ruleset_sha256(b, hb), 0);
	assert_int_equal(provenance_ruleset_sha256(c, hc), 0);
	assert_int_equal(provenance_ruleset_sha256(d, hd), 0);
	assert_string_equal(ha, hb);
	assert_string_equal(ha, hc);
	assert_string_not_equal(ha, hd);
	assert_int_equal(strlen(ha), 64);
	ruleset_free(a);
	ruleset_free(b);
	ruleset_free(c);
	ruleset_free(d);
	struct ruleset *t = NULL;
	char ht[65];
	assert_int_equal(ruleset_load(NULL, "terminal", &t, &dg), 0);
	assert_int_equal(provenance_ruleset_sha256(t, ht), 0);
	assert_string_not_equal(ha, ht);
	ruleset_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base64),
	    cmocka_unit_test(test_wire),
	    cmocka_unit_test(test_sshsig_roundtrip),
	    cmocka_unit_test(test_sshsig_tamper),
	    cmocka_unit_test(test_private_keys),
	    cmocka_unit_test(test_private_malformed),
	    cmocka_unit_test(test_match_list),
	    cmocka_unit_test(test_trust_files),
	    cmocka_unit_test(test_consistency),
	    cmocka_unit_test(test_ruleset_hash),
	    cmocka_unit_test(test_verify_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
