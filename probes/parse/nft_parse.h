/* nft_parse.h - pure parsers for host firewall configurations: the
 * nftables configuration language (nftables.conf and its includes), the
 * JSON of `nft -j list ruleset`, iptables-save files (iptables-persistent
 * rules.v4/rules.v6, ufw's user.rules), firewalld zone XML, and TCP
 * wrappers (hosts.allow/hosts.deny). No I/O: includes are handed to a
 * caller-supplied callback, which reads the files and parses them into
 * the same ruleset.
 *
 * Every backend becomes the same model: chains (base chains have a hook
 * and a policy) holding rules reduced to what 2(8) needs: protocol, ports,
 * sources, input interface, "established only", and a verdict. The
 * analysis (fw_inputs_json) walks each input base chain, following jumps
 * into regular chains, and lists what it accepts.
 *
 * Ownership: fw_ruleset_free frees everything a ruleset holds; the JSON
 * returned by *_json functions is a new reference.
 */
#ifndef TENKEN_NFT_PARSE_H
#define TENKEN_NFT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "lib/util.h"

/* A problem in one input line; texts are static. */
struct fw_issue {
	const char *file; /* borrowed from the ruleset's file list */
	unsigned line;
	const char *ja, *en;
};

enum fw_verdict {
	FW_NONE, /* no verdict: the rule only counts/logs */
	FW_ACCEPT,
	FW_DROP, /* drop or reject */
	FW_JUMP, /* jump: comes back */
	FW_GOTO, /* goto: does not */
	FW_RETURN,
};

struct fw_rule {
	const char *file; /* borrowed */
	unsigned line;
	char *proto;	     /* tcp, udp, icmp...; NULL: any */
	struct strv ports;   /* destination ports; empty: all */
	struct strv sources; /* source addresses ("!X" negated); empty: any */
	char *iface;	     /* input interface; NULL: any */
	bool established;    /* matches only established/related traffic */
	bool other;	     /* has a match this model does not know: not unconditional */
	enum fw_verdict verdict;
	char *target; /* jump/goto target chain */
};

struct fw_chain {
	char *family, *table, *name;
	char *hook;   /* input, forward, output...; NULL for a regular chain */
	char *policy; /* accept | drop; NULL if not given (nft: accept) */
	struct fw_rule *rules;
	size_t nrules, cap;
};

struct fw_ruleset {
	struct fw_chain *chains;
	size_t nchains, cap;
	struct strv files;     /* every file parsed, in order (owned) */
	struct strv def_names; /* nft `define` names and their values */
	struct strv def_values;
	struct fw_issue *issues;
	size_t nissues, icap;
	unsigned depth; /* include depth while parsing */
	size_t total_rules;
};

void fw_ruleset_free(struct fw_ruleset *rs);
/* Intern a file name into rs->files and return the borrowed copy. */
const char *fw_ruleset_file(struct fw_ruleset *rs, const char *path);
int fw_issue_add(struct fw_ruleset *rs, const char *file, unsigned line, const char *ja,
		 const char *en);

/* Called for `include "PATTERN"`: the caller expands the pattern
 * (relative to the including file's directory), reads each file and calls
 * nft_parse on it with the same ruleset. Returns 0 or -errno (reported by
 * the callback itself; parsing goes on). */
typedef int (*nft_include_fn)(struct fw_ruleset *rs, const char *from_file, const char *pattern,
			      void *userdata);

/* Parse nftables configuration text from file (a path used in issues and
 * facts) into rs. `flush ruleset` empties rs. Returns 0 or -ENOMEM;
 * malformed statements become issues. */
int nft_parse(struct fw_ruleset *rs, const char *file, const char *buf, size_t len,
	      nft_include_fn include, void *userdata);

/* Parse the JSON of `nft -j list ruleset` into rs (file is a label such
 * as "nft -j list ruleset"). -EINVAL if it is not that JSON. */
int nft_json_parse(struct fw_ruleset *rs, const char *file, const char *buf, size_t len);

/* Parse an iptables-save file (only its *filter table) into rs, chains in
 * family fam ("ip" or "ip6"); INPUT, FORWARD and OUTPUT become base
 * chains with their hooks. */
int ipt_parse(struct fw_ruleset *rs, const char *file, const char *fam, const char *buf,
	      size_t len);

/* The input base chains of rs and what they accept. For each such chain
 * an accept of every reachable rule ending in accept (jumps followed up
 * to LIMIT_FW_JUMP_DEPTH) is appended to accepts as {backend, chain,
 * proto, ports, sources, any_source, interface, file, line}. A chain
 * denies when it drops what it does not accept: by its policy, or by an
 * unconditional drop/reject before any unconditional accept. Inbound
 * IPv4 is default-deny when an ip or inet input chain denies (every
 * input hook sees the packet), IPv6 likewise with ip6 or inet. */
struct fw_inputs {
	size_t inputs; /* input base chains */
	bool deny4, deny6;
	const char *policy; /* of the first denying input chain, else the first one */
};
int fw_inputs_json(const struct fw_ruleset *rs, const char *backend, json_t *accepts,
		   struct fw_inputs *ret);

/* ---- simple key=value and XML configs ---- */

/* The value of KEY in a shell-style KEY=value file (ufw.conf,
 * /etc/default/ufw, firewalld.conf): last assignment wins, quotes
 * stripped. New string or NULL if absent. */
char *kv_get(const char *buf, size_t len, const char *key);

/* A firewalld zone file: target attribute (NULL if absent: "default"),
 * services, ports ("22/tcp"), sources. Returns 0, or -EINVAL if no <zone
 * element was found. */
struct fwd_zone {
	char *target;
	struct strv services, ports, sources, interfaces;
};
int fwd_zone_parse(const char *buf, size_t len, struct fwd_zone *ret);
void fwd_zone_free(struct fwd_zone *z);

/* hosts.allow / hosts.deny: entries counted, and whether one applies to
 * every daemon and every client (ALL: ALL, optionally with options; in
 * hosts.allow an entry whose last option is DENY counts as a deny). */
struct tcpw_summary {
	unsigned entries;
	bool all_all_allow; /* ALL : ALL granting access */
	bool all_all_deny;  /* ALL : ALL refusing (hosts.deny, or : DENY) */
	unsigned first_all_line;
};
void tcpw_parse(const char *buf, size_t len, bool is_deny, struct tcpw_summary *ret);

#endif
