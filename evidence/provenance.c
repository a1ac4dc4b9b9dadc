/* provenance.c - the report's provenance block (see provenance.h). */
#include <fcntl.h>
#include <stdio.h>
#include <openssl/evp.h>
#include "evidence/provenance.h"
#include "lib/limits.h"
#include "lib/util.h"

static void hex(const unsigned char *md, unsigned n, char out[static 65])
{
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int provenance_ruleset_sha256(const struct ruleset *rs, char out[static 65])
{
	json_auto_t *doc = json_pack("{s:s?, s:O, s:O}", "profile", rs->profile, "params",
				     rs->params, "rules", rs->rules);
	if (!doc)
		return -ENOMEM;
	_cleanup_free_ char *text = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	if (!text)
		return -ENOMEM;
	if (EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -EIO;
	hex(md, n, out);
	return 0;
}

int provenance_binary_sha256(char out[static 65])
{
	/* The running program itself, not a file of the scanned system. */
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	size_t total = 0;
	int r = fd >= 0 && ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 ? 0 : -EIO;
	while (r == 0) {
		ssize_t k = read(fd, buf, sizeof(buf));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 || (total += (size_t)(k > 0 ? k : 0)) > LIMIT_EXECUTABLE)
			r = -EIO;
		else if (k == 0)
			break;
		else if (EVP_DigestUpdate(ctx, buf, (size_t)k) != 1)
			r = -EIO;
	}
	if (r == 0 && (EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != 32))
		r = -EIO;
	EVP_MD_CTX_free(ctx);
	if (r == 0)
		hex(md, n, out);
	return r;
}

static json_t *host_keys(const json_t *report)
{
	json_t *out = json_array();
	const json_t *keys = json_object_get(json_object_get(report, "inventory"), "ssh_host_keys");
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k) {
		json_t *fp = json_object_get(k, "fingerprint");
		if (json_is_string(fp))
			json_array_append_new(out, json_pack("{s:O, s:O}", "type",
							     json_object_get(k, "type"),
							     "fingerprint", fp));
	}
	json_array_sort_by(out, "fingerprint");
	return out;
}

static json_t *str_or_null(const json_t *v)
{
	return json_is_string(v) ? json_incref((json_t *)v) : json_null();
}

json_t *provenance_new(const json_t *report, const struct ruleset *rs, bool baseline_given,
		       char *const *argv)
{
	char bin[65] = "", rules[65] = "";
	const json_t *scan = json_object_get(report, "scan");
	const json_t *host = json_object_get(report, "host");
	json_t *cmd = json_array();
	for (char *const *a = argv; a && *a; a++)
		json_array_append_new(cmd, json_str(*a));
	int rb = provenance_binary_sha256(bin);
	int rr = provenance_ruleset_sha256(rs, rules);
	const json_t *bsha = json_object_get(rs->baseline_info, "sha256");
	return json_pack("{s:{s:s, s:s, s:o}, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o}}",
			 "tool", "name", "tenken", "version", TENKEN_VERSION, "binary_sha256",
			 rb == 0 ? json_string(bin) : json_null(), "ruleset_sha256",
			 rr == 0 ? json_string(rules) : json_null(), "baseline_sha256",
			 baseline_given ? str_or_null(bsha) : json_null(), "command_line", cmd,
			 "judged_at", str_or_null(json_object_get(scan, "now")), "root",
			 str_or_null(json_object_get(scan, "root")), "mode",
			 str_or_null(json_object_get(scan, "mode")), "host", "machine_id",
			 str_or_null(json_object_get(host, "machine_id")), "hostname",
			 str_or_null(json_object_get(host, "hostname")), "ssh_host_keys",
			 host_keys(report));
}
