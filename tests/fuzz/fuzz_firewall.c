/* fuzz_firewall.c - libFuzzer target: nftables configuration and
 * `nft -j` JSON, iptables-save, firewalld zones, hosts.allow/deny, and
 * the input-chain judgement over what was parsed. */
#include "probes/parse/nft_parse.h"
#include "tests/fuzz/fuzzlib.h"

/* An include names a file the fuzzer does not have: nothing read. */
static int no_include(struct fw_ruleset *rs, const char *from, const char *pattern, void *ud)
{
	(void)rs, (void)from, (void)pattern, (void)ud;
	return 0;
}

static void judge(struct fw_ruleset *rs, const char *backend)
{
	json_t *acc = json_array();
	struct fw_inputs in;
	if (acc)
		fw_inputs_json(rs, backend, acc, &in);
	json_decref(acc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct fw_ruleset rs = {0};
	nft_parse(&rs, "/etc/nftables.conf", buf, size, no_include, NULL);
	judge(&rs, "nftables");
	fw_ruleset_free(&rs);

	struct fw_ruleset js = {0};
	nft_json_parse(&js, "nft -j list ruleset", buf, size);
	judge(&js, "nftables");
	fw_ruleset_free(&js);

	struct fw_ruleset ip = {0};
	ipt_parse(&ip, "/etc/iptables/rules.v4", "ip", buf, size);
	judge(&ip, "iptables");
	fw_ruleset_free(&ip);

	struct fwd_zone z = {0};
	if (fwd_zone_parse(buf, size, &z) == 0)
		fwd_zone_free(&z);
	struct tcpw_summary t;
	tcpw_parse(buf, size, false, &t);
	tcpw_parse(buf, size, true, &t);
	free(kv_get(buf, size, "FirewallBackend"));
	free(buf);
	return 0;
}
