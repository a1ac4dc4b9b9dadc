#!/bin/sh
# End-to-end check of the live firewall verdict when the rules were loaded
# through iptables' legacy interface, which `nft -j list ruleset` does not
# show: for each rule set, two throwaway network namespaces (unique
# names, deleted at exit) get the same meaning, one with the real
# iptables-legacy-restore/ip6tables-legacy-restore, one with the real
# nft -f; tenken's live verdict (inbound default deny, input policy, what
# is open to any source, accept count) must be the same in both.
. tests/lib.sh

for t in ip nft iptables-legacy-restore ip6tables-legacy-restore jq; do
	command -v $t >/dev/null || {
		echo "PASS iptables-legacy (skipped: $t missing)"
		exit 0
	}
done
NS_LEGACY=tenken-legacy-$$-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
NS_NFT=tenken-nft-$$-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
if ! ip netns add "$NS_LEGACY" 2>"$TMP/err" || ! ip netns add "$NS_NFT" 2>>"$TMP/err"; then
	ip netns del "$NS_LEGACY" 2>/dev/null
	echo "PASS iptables-legacy (skipped: cannot create a network namespace: $(head -1 "$TMP/err"))"
	exit 0
fi
trap 'ip netns del "$NS_LEGACY" 2>/dev/null; ip netns del "$NS_NFT" 2>/dev/null; rm -rf "$TMP"' EXIT

case $TENKEN in /*) BIN=$TENKEN ;; *) BIN=$(pwd)/$TENKEN ;; esac
verdict() { # NS OUT
	ip netns exec "$1" "$BIN" inventory --only firewall >"$TMP/inv.json" 2>"$TMP/err"
	jq -c '.inventory.firewall | {inbound_default_deny, input_policy, open_to_any_source, accepts, running_ruleset_read}' \
		"$TMP/inv.json" >"$2"
	jq -r '.inventory.firewall.running_ruleset_tool' "$TMP/inv.json" >"$2.tool"
}

# reset: empty both namespaces' rules (flush legacy tables, nft ruleset).
reset() {
	for fam in iptables ip6tables; do
		printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n' |
			ip netns exec "$NS_LEGACY" $fam-legacy-restore
	done
	ip netns exec "$NS_NFT" nft flush ruleset
}

compare() { # LABEL IPV4-RULES IPV6-RULES NFT-RULESET
	reset
	printf '%s\n' "$2" | ip netns exec "$NS_LEGACY" iptables-legacy-restore &&
		printf '%s\n' "$3" | ip netns exec "$NS_LEGACY" ip6tables-legacy-restore &&
		printf '%s\n' "$4" | ip netns exec "$NS_NFT" nft -f - || {
		fail "iptables-legacy $1: load rules"
		return
	}
	verdict "$NS_LEGACY" "$TMP/legacy"
	verdict "$NS_NFT" "$TMP/nft"
	if cmp -s "$TMP/legacy" "$TMP/nft" && [ "$(cat "$TMP/legacy.tool")" = iptables-legacy-save ]; then
		pass "iptables-legacy $1: same verdict as the nft rules ($(cat "$TMP/nft"))"
	else
		fail "iptables-legacy $1: same verdict as the nft rules" \
			"legacy ($(cat "$TMP/legacy.tool")): $(cat "$TMP/legacy")" "nft: $(cat "$TMP/nft")"
	fi
}

F='*filter'
compare "drop by default, ssh open, both families" \
	"$F
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT" "$F
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT" "table ip filter {
  chain INPUT { type filter hook input priority 0; policy drop;
    iifname \"lo\" accept
    ct state related,established accept
    tcp dport 22 accept; }
}
table ip6 filter {
  chain INPUT { type filter hook input priority 0; policy drop;
    iifname \"lo\" accept
    tcp dport 22 accept; }
}"

compare "drop by default, ssh from one network only" \
	"$F
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT" "$F
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT" "table ip filter {
  chain INPUT { type filter hook input priority 0; policy drop;
    ip saddr 192.0.2.0/24 tcp dport 22 accept; }
}
table ip6 filter {
  chain INPUT { type filter hook input priority 0; policy drop; }
}"

compare "IPv4 only: IPv6 left open" \
	"$F
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT
COMMIT" "$F
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT" "table ip filter {
  chain INPUT { type filter hook input priority 0; policy drop;
    tcp dport 443 accept; }
}
table ip6 filter {
  chain INPUT { type filter hook input priority 0; policy accept; }
}"

compare "accept by default, a drop rule for telnet" \
	"$F
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 23 -j DROP
COMMIT" "$F
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT" "table ip filter {
  chain INPUT { type filter hook input priority 0; policy accept;
    tcp dport 23 drop; }
}
table ip6 filter {
  chain INPUT { type filter hook input priority 0; policy accept; }
}"
