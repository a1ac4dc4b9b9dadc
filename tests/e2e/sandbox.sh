#!/bin/sh
# A scan must see the host it judges (issue 9, item 4).
#  1. The shipped unit's sandbox gives the same findings as a plain scan.
#     systemd does not run everywhere the tests run, so its settings are
#     reproduced: ProtectSystem=strict and ProtectHome=read-only as a
#     private mount namespace with / remounted read-only, ReadWritePaths=
#     as a writable bind of a scratch state directory, NoNewPrivileges=
#     and CapabilityBoundingSet= (read from the unit file) with setpriv,
#     UMask= with umask. The report it writes must be mode 0600.
#  2. Each detection of lesser sight, made for real: another network
#     namespace (unshare --net), hidepid on a /proc of a private mount
#     namespace, a bind mount hiding a directory, and CAP_SYS_PTRACE
#     dropped (setpriv): the affected collections are listed
#     "incomplete" and the probe is partial.
. tests/lib.sh
UNIT=packaging/systemd/tenken.service

if ! command -v jq >/dev/null || ! command -v setpriv >/dev/null || ! command -v unshare >/dev/null; then
	pass "sandbox (skipped: jq, setpriv and unshare are needed: sh install-deps.sh --test)"
	exit 0
fi
if ! unshare --mount --propagation private true 2>/dev/null; then
	pass "sandbox (skipped: cannot create mount namespaces here)"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
chmod 755 "$TMP"

# ---- the unit's settings ----
for bad in PrivateNetwork PrivateTmp PrivateDevices ProtectProc PrivatePIDs PrivateUsers; do
	if grep -Eq "^$bad=(yes|true|invisible|noaccess|ptraceable)" "$UNIT"; then
		fail "sandbox: $UNIT has $bad=, which hides part of the host"
	else
		pass "sandbox: $UNIT has no $bad="
	fi
done
expect_grep "sandbox: $UNIT sets UMask=0077" '^UMask=0077$' "$UNIT"
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tr 'A-Z' 'a-z' | sed 's/cap_//g; s/ \{1,\}/,+/g')
umask_v=$(sed -n 's/^UMask=//p' "$UNIT")
expect_grep "sandbox: the unit keeps CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH" 'sys_ptrace.*dac_read_search|dac_read_search.*sys_ptrace' "$(printf '%s\n' "$caps" >"$TMP/caps" && echo "$TMP/caps")"

# findings as "rule status subject" lines, sorted; process ids are left
# out (other tests start and end processes between the two scans).
findings() { jq -r '.findings[] | "\(.rule) \(.status) \(.subject)"' "$1" | sed 's/ process:[0-9]*$/ process:PID/' | sort -u; }

mkdir -p "$TMP/state"
cat >"$TMP/unit.sh" <<EOF
set -e
mount -o remount,bind,ro / 2>/dev/null || mount -o remount,ro /
mount --bind "$TMP/state" "$TMP/state"
mount -o remount,bind,rw "$TMP/state"
umask $umask_v
exec setpriv --no-new-privs --inh-caps=-all --bounding-set=-all,+$caps \
	"$TENKEN" scan --format json --output "$TMP/state/unit.json"
EOF
same=""
for try in 1 2 3; do
	"$TENKEN" scan --format json --output "$TMP/plain.json" 2>"$TMP/err"
	unshare --mount --propagation private sh "$TMP/unit.sh" 2>"$TMP/err"
	if [ -f "$TMP/state/unit.json" ] && [ -f "$TMP/plain.json" ]; then
		findings "$TMP/plain.json" >"$TMP/plain.txt"
		findings "$TMP/state/unit.json" >"$TMP/unit.txt"
		# The process table moves under other tests: a few tries.
		if cmp -s "$TMP/plain.txt" "$TMP/unit.txt"; then
			same=yes
			break
		fi
	fi
done
if [ -n "$same" ]; then
	pass "sandbox: the unit's sandbox gives the same $(wc -l <"$TMP/unit.txt") findings as a plain scan"
else
	fail "sandbox: the unit's sandbox changes the findings" "$(diff "$TMP/plain.txt" "$TMP/unit.txt" 2>&1 | head -20)" "$(head -c 800 "$TMP/err")"
fi
inc=$(jq -c '[.scan.probes[] | select(.incomplete) | .name]' "$TMP/state/unit.json" 2>/dev/null)
plain_inc=$(jq -c '[.scan.probes[] | select(.incomplete) | .name]' "$TMP/plain.json" 2>/dev/null)
if [ "$inc" = "$plain_inc" ]; then
	pass "sandbox: the unit's sandbox sees as much as a plain scan (incomplete: $inc)"
else
	fail "sandbox: the unit's sandbox sees less" "unit: $inc" "plain: $plain_inc"
fi

# ---- each detection, made for real ----
# incomplete PROBE COLLECTION JSON: the collection is listed incomplete.
incomplete() {
	jq -e --arg p "$1" --arg c "$2" '.scan.probes[] | select(.name == $p) | select(.status == "partial") | .incomplete | index($c)' "$3" >/dev/null 2>&1
}
detect() {
	name=$1 probe=$2 coll=$3 json=$4
	if incomplete "$probe" "$coll" "$json"; then
		pass "sandbox: $name: $coll listed incomplete"
	else
		fail "sandbox: $name: $coll not listed incomplete" "$(jq -c --arg p "$probe" '.scan.probes[] | select(.name == $p)' "$json" 2>&1 | head -c 800)"
	fi
}
for c in processes listeners firewall; do
	if incomplete $c $c "$TMP/plain.json"; then
		# This host already hides something from a plain scan (for example
		# PID 1's executable in a container): the checks below cannot tell.
		pass "sandbox: plain scan (note: $c already incomplete here)"
	fi
done

unshare --net "$TENKEN" inventory --only listeners,firewall >"$TMP/net.json" 2>"$TMP/err"
detect "another network namespace" listeners listeners "$TMP/net.json"
detect "another network namespace" firewall firewall "$TMP/net.json"

unshare --mount --propagation private sh -c "mount -t tmpfs none /srv && exec '$TENKEN' inventory --only system,processes" >"$TMP/mnt.json" 2>"$TMP/err"
detect "a mount PID 1 does not have" processes processes "$TMP/mnt.json"

# A new proc instance with hidepid (never a remount: the host's /proc
# superblock would change too), read without CAP_SYS_PTRACE.
unshare --mount --propagation private sh -c "mount -t proc -o hidepid=2 proc /proc && exec setpriv --inh-caps=-all --bounding-set=-sys_ptrace '$TENKEN' inventory --only processes" >"$TMP/hide.json" 2>"$TMP/err"
if jq -e '.scan.probes[] | select(.name == "processes") | .messages[] | select(.en | test("hidepid"))' "$TMP/hide.json" >/dev/null 2>&1; then
	pass "sandbox: hidepid on /proc is reported"
else
	fail "sandbox: hidepid on /proc is not reported" "$(jq -c '.scan.probes[] | select(.name == "processes")' "$TMP/hide.json" 2>&1 | head -c 800)" "$(head -c 300 "$TMP/err")"
fi
detect "hidepid" processes processes "$TMP/hide.json"

setpriv --inh-caps=-all --bounding-set=-sys_ptrace "$TENKEN" inventory --only processes,listeners >"$TMP/ptrace.json" 2>"$TMP/err"
if jq -e '.scan.probes[] | select(.name == "processes") | .messages[] | select(.en | test("CAP_SYS_PTRACE"))' "$TMP/ptrace.json" >/dev/null 2>&1; then
	pass "sandbox: a scan without CAP_SYS_PTRACE says so"
else
	fail "sandbox: a scan without CAP_SYS_PTRACE does not say so" "$(jq -c '.scan.probes[] | select(.name == "processes")' "$TMP/ptrace.json" 2>&1 | head -c 800)"
fi
detect "no CAP_SYS_PTRACE" processes processes "$TMP/ptrace.json"
