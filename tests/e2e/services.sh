#!/bin/sh
# End-to-end checks of the processes, listeners and services probes on
# this machine against the real tools:
#   - listeners equal `ss -tulpnH`: protocol, local address, port and the
#     pids holding each socket (extra sockets are opened first so the
#     comparison is never empty: TCP on 127.0.0.1, UDP on every address);
#   - processes equal `ps -e`: every pid present in two ps snapshots taken
#     around the scan is in tenken's table with the same command name, and
#     every pid tenken lists is in one of them (or is tenken itself);
#   - a process table that changes while it is read (children exiting
#     mid-scan) never crashes or hangs the scan;
#   - the fixture roots: the issue's root is flagged, the clean one passes
#     (tests/fixtures.sh checks them line by line; here the exit statuses).
. tests/lib.sh
export LC_ALL=C # sort and comm must agree on one collation

if ! command -v jq >/dev/null || ! command -v ss >/dev/null || ! command -v ps >/dev/null; then
	fail "e2e services" "jq, ss (iproute2) and ps (procps) are needed"
	exit 0
fi

# Other builds may relink build/tenken while this runs: use a copy.
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken

# ---- listeners vs ss ----
helper=""
if command -v python3 >/dev/null; then
	python3 -c '
import socket, time
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(1)
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::", 0))
time.sleep(30)' &
	helper=$!
	n=0 # python may take a while to start on a loaded machine
	while [ $n -lt 50 ] && [ "$(ss -tulpnH | grep -c "pid=$helper,")" -lt 2 ]; do
		sleep 0.2
		n=$((n + 1))
	done
fi

# ss: "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))"
# -> "tcp 0.0.0.0 22 PIDS" (pids sorted, comma-separated, "-" if none).
ss_norm() {
	awk '{
		local = $5; proto = $1
		n = split(local, parts, ":"); port = parts[n]
		addr = substr(local, 1, length(local) - length(port) - 1)
		gsub(/^\[|\]$/, "", addr); sub(/%.*/, "", addr); sub(/^::ffff:/, "", addr)
		if (addr == "*") addr = "*"
		pids = ""; line = $0
		while (match(line, /pid=[0-9]+/)) {
			p = substr(line, RSTART + 4, RLENGTH - 4)
			pids = pids (pids == "" ? "" : " ") p
			line = substr(line, RSTART + RLENGTH)
		}
		print proto, addr, port, pids
	}' | while read -r proto addr port pids; do
		sorted=$(printf '%s\n' $pids | sort -n -u | paste -sd, -)
		echo "$proto $addr $port ${sorted:--}"
	done | sort -u
}

ss -tulpnH | ss_norm >"$TMP/ss.before"
ps -e -o pid= | tr -d ' ' | sort -n >"$TMP/ps.before"
ps -e -o pid=,comm= | awk '{ p = $1; $1 = ""; sub(/^ /, ""); print p "\t" $0 }' | sort >"$TMP/comm.before"
"$TENKEN" inventory --only system,processes,services,listeners >"$TMP/inv.json" 2>"$TMP/inv.err"
rc=$?
ss -tulpnH | ss_norm >"$TMP/ss.after"
ps -e -o pid= | tr -d ' ' | sort -n >"$TMP/ps.after"
ps -e -o pid=,comm= | awk '{ p = $1; $1 = ""; sub(/^ /, ""); print p "\t" $0 }' | sort >"$TMP/comm.after"
[ -n "$helper" ] && kill "$helper" 2>/dev/null

if [ "$rc" -eq 0 ]; then pass "e2e services: live inventory runs"; else
	fail "e2e services: live inventory runs" "exit $rc" "$(head -c 800 "$TMP/inv.err")"
fi

# ss prints a UDP socket on :: as "*" on some versions: treat both alike.
jq -r '.inventory.listeners[] |
	"\(.proto) \(.address) \(.port) \(if (.pids | length) == 0 then "-" else (.pids | map(tostring) | join(",")) end)"' \
	"$TMP/inv.json" | sort -u >"$TMP/got"
sed 's/^\(udp\|tcp\) \* /\1 :: /' "$TMP/ss.before" >"$TMP/ssb"
sed 's/^\(udp\|tcp\) \* /\1 :: /' "$TMP/ss.after" >"$TMP/ssa"
missing=$(comm -23 "$TMP/ssb" "$TMP/ssa" >/dev/null; comm -12 "$TMP/ssb" "$TMP/ssa" | comm -23 - "$TMP/got")
extra=$(sort -u "$TMP/ssb" "$TMP/ssa" | comm -13 - "$TMP/got")
if [ -z "$missing" ] && [ -z "$extra" ] && [ -s "$TMP/got" ]; then
	pass "e2e services: listeners equal ss -tulpn ($(wc -l <"$TMP/got") sockets)"
else
	fail "e2e services: listeners equal ss -tulpn" "in ss, not in tenken: $missing" \
		"in tenken, not in ss: $extra"
fi
if [ -n "$helper" ]; then
	if grep -q "^tcp 127.0.0.1 [0-9]* $helper\$" "$TMP/got" && grep -q "^udp :: [0-9]* $helper\$" "$TMP/got"; then
		pass "e2e services: the helper's sockets are found with its pid"
	else
		fail "e2e services: the helper's sockets are found with its pid" "$(cat "$TMP/got")"
	fi
fi

# ---- processes vs ps ----
jq -r '.inventory.processes[].pid' "$TMP/inv.json" | sort -n >"$TMP/pids"
self=$(jq -r '[.inventory.processes[] | select(.comm == "tenken") | .pid] | join(" ")' "$TMP/inv.json")
stable=$(comm -12 "$TMP/ps.before" "$TMP/ps.after" | sort)
lost=$(printf '%s\n' "$stable" | comm -23 - "$(sort "$TMP/pids" >"$TMP/pids.s"; echo "$TMP/pids.s")")
# A pid in neither ps snapshot must be tenken itself or a process that
# started after the first snapshot and was gone by the second (so it is
# gone now; pids may wrap, so their order proves nothing).
unknown=""
sort -u "$TMP/ps.before" "$TMP/ps.after" >"$TMP/ps.union"
for p in $(sort "$TMP/pids" | comm -13 "$TMP/ps.union" -); do
	case " $self " in *" $p "*) continue ;; esac
	if [ -d "/proc/$p" ]; then
		unknown="$unknown $(jq -r --argjson p "$p" '.inventory.processes[] | select(.pid == $p) |
			"\(.pid)(\(.comm),ppid \(.ppid))"' "$TMP/inv.json")"
	fi
done
if [ -z "$lost" ] && [ -z "$unknown" ]; then
	pass "e2e services: processes equal ps -e ($(wc -l <"$TMP/pids") processes)"
else
	fail "e2e services: processes equal ps -e" "in ps twice, not in tenken:$lost" "not in ps:$unknown"
fi
# Kernel workers rename themselves as they pick up work
# ("kworker/0:1-events"): compare the names of user processes.
jq -r '.inventory.processes[] | select(.kernel_thread | not) | "\(.pid)\t\(.comm)"' \
	"$TMP/inv.json" | sort >"$TMP/comm.got"
jq -r '.inventory.processes[] | select(.kernel_thread) | "\(.pid)\t"' "$TMP/inv.json" >"$TMP/kthreads"
bad=$(comm -12 "$TMP/comm.before" "$TMP/comm.after" | grep -v -F -f "$TMP/kthreads" |
	comm -23 - "$TMP/comm.got")
if [ -z "$bad" ]; then pass "e2e services: command names equal ps -o comm"; else
	fail "e2e services: command names equal ps -o comm" "$bad"
fi

# ---- churn: children exiting during the scan ----
i=0
ok=1
while [ $i -lt 10 ]; do
	for k in 1 2 3 4 5 6 7 8; do (sleep 0.0$k; exit 0) & done
	timeout 20 "$TENKEN" inventory --only processes,services,listeners >/dev/null 2>&1 || ok=0
	wait
	i=$((i + 1))
done
if [ $ok -eq 1 ]; then pass "e2e services: scans survive processes exiting mid-scan"; else
	fail "e2e services: scans survive processes exiting mid-scan"
fi

# ---- the fixture roots: exit statuses ----
for r in services-bad:1 services-good:0; do
	root=${r%:*}
	want=${r#*:}
	expect_status "e2e services: scan of $root exits $want" "$want" "$TENKEN" scan \
		--root "tests/fixtures/$root" --baseline "tests/fixtures/$root/baseline.json" \
		--only system,packages,processes,services,listeners,autostart --now 2026-11-22T00:00:00Z
done
