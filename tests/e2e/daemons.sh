#!/bin/sh
# Live state, not only configuration (issue 9, item 3): in a private PID,
# mount and network namespace (so nothing on this host is stopped or
# started, and nothing reaches the network), a scan first sees chronyd
# and rsyslogd configured but not running, then the real daemons started
# there. The facts must follow (running false, then true), and with both
# stopped 2(6) must not answer yes.
. tests/lib.sh

if ! command -v jq >/dev/null || ! command -v unshare >/dev/null ||
	! [ -x /usr/sbin/chronyd ] || ! [ -x /usr/sbin/rsyslogd ]; then
	pass "daemons (skipped: jq, unshare, chrony and rsyslog are needed: sh install-deps.sh --test)"
	exit 0
fi
if ! unshare --pid --fork --mount-proc --net true 2>/dev/null; then
	pass "daemons (skipped: cannot create PID and network namespaces here)"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
# No time source reachable and no clock control: only the process matters.
printf 'port 0\ncmdport 0\npidfile %s/chronyd.pid\ndriftfile %s/drift\n' "$TMP" "$TMP" >"$TMP/chrony.conf"
printf 'module(load="imuxsock" SysSock.Use="off")\n*.* %s/messages\n' "$TMP" >"$TMP/rsyslog.conf"
chmod 755 "$TMP"

cat >"$TMP/inside.sh" <<EOF
set -u
scan() { "$TENKEN" scan --only logging,time --format json >"\$1" 2>"$TMP/err"; true; }
scan "$TMP/stopped.json"
/usr/sbin/chronyd -x -n -f "$TMP/chrony.conf" >/dev/null 2>&1 &
c=\$!
/usr/sbin/rsyslogd -n -f "$TMP/rsyslog.conf" -i "$TMP/rsyslogd.pid" >/dev/null 2>&1 &
r=\$!
n=0
while [ \$n -lt 100 ] && ! { pgrep -x chronyd >/dev/null && pgrep -x rsyslogd >/dev/null; }; do
	sleep 0.1
	n=\$((n + 1))
done
scan "$TMP/running.json"
kill \$c \$r 2>/dev/null
# PID 1 of the namespace: when this shell exits the kernel ends the rest.
EOF
timeout 120 unshare --pid --fork --mount-proc --net sh "$TMP/inside.sh"

fact() { jq -r "$2" "$TMP/$1.json" 2>/dev/null; }
finding() { jq -r --arg r "$2" '[.findings[] | select(.rule == $r) | .status] | join(",")' "$TMP/$1.json"; }

if [ "$(fact stopped '.inventory.time_sync.running')" = false ] &&
	[ "$(fact running '.inventory.time_sync.running')" = true ] &&
	[ "$(fact running '.inventory.time_sync.implementation')" = chrony ]; then
	pass "daemons: chronyd stopped then running is seen (time_sync.running)"
else
	fail "daemons: chronyd" "stopped: $(fact stopped '.inventory.time_sync')" "running: $(fact running '.inventory.time_sync')" "$(cat "$TMP/err")"
fi
if [ "$(fact stopped '.inventory.logging.syslog_daemon')" != rsyslog ]; then
	pass "daemons: rsyslog (skipped: rsyslog.service is not enabled on this host)"
elif [ "$(fact stopped '.inventory.logging.syslog_running')" = false ] &&
	[ "$(fact running '.inventory.logging.syslog_running')" = true ]; then
	pass "daemons: rsyslogd stopped then running is seen (logging.syslog_running)"
else
	fail "daemons: rsyslogd" "stopped: $(fact stopped '.inventory.logging.syslog_running')" "running: $(fact running '.inventory.logging.syslog_running')"
fi
expect_no_grep "daemons: a stopped time daemon is not a pass" "pass" "$(printf '%s' "$(finding stopped time.sync_configured)" >"$TMP/t1" && echo "$TMP/t1")"
if [ "$(fact stopped '.inventory.time_sync.enabled')" = true ] && [ "$(fact stopped '.inventory.time_sync.configured')" = true ]; then
	expect_grep "daemons: chrony enabled, configured and running is not failed on running" "^(pass|unknown)$" "$(finding running time.sync_configured >"$TMP/t2" && echo "$TMP/t2")"
fi
a=$(jq -r '.checklist[] | select(.item == "2(6)") | .answer' "$TMP/stopped.json")
if [ "$a" = no ] || [ "$a" = unknown ]; then
	pass "daemons: time and log daemons stopped: 2(6) answers $a"
else
	fail "daemons: time and log daemons stopped" "2(6) answered '$a'"
fi
for f in stopped running; do
	expect_grep "daemons: $f scan says its basis is live" '^live$' "$(fact $f '.inventory.logging.basis' >"$TMP/b" && echo "$TMP/b")"
done
