#!/bin/sh
# tests/e2e/auditctl.sh - which rules lines auditctl accepts, as tenken
# judges them (audit_rule_check: a rejected line stops auditctl -R and so
# every rule after it), against the real auditctl (package auditd) on the
# same lines, one rule at a time.
#
# The real auditctl parses its options before it talks to the kernel, and
# the kernel refuses audit control outside the initial user namespace
# (ECONNREFUSED, "The audit system is disabled"): run in `unshare -U -r`
# it prints its parse errors and loads nothing. The test never runs
# auditctl outside that namespace, and skips if the namespace's auditctl
# -s reads a status (the kernel would then take rules). auditctl -R itself
# asks the kernel first, so the whole-file stop is checked by the unit
# tests (tests/unit/test_logging_parse.c, test_audit_load), not here.
#
# auditctl comes from the installed auditd, else from `apt-get download
# auditd libauparse0` unpacked into $TMP.
. tests/lib.sh

CHECK=$B/tools/auditcheck
AUDITCTL=
for c in /usr/sbin/auditctl /sbin/auditctl; do
	[ -x "$c" ] && AUDITCTL=${AUDITCTL:-$c}
done
if [ -z "$AUDITCTL" ] && (cd "$TMP" && apt-get download auditd libauparse0 >/dev/null 2>&1); then
	for d in "$TMP"/*.deb; do dpkg -x "$d" "$TMP/pkg" 2>/dev/null; done
	for c in "$TMP/pkg/sbin/auditctl" "$TMP/pkg/usr/sbin/auditctl"; do
		[ -x "$c" ] && AUDITCTL=$c
	done
	LD_LIBRARY_PATH=$(dirname "$(find "$TMP/pkg" -name 'libauparse.so.0' | head -1)")
	export LD_LIBRARY_PATH
fi
if [ -z "$AUDITCTL" ] || ! command -v unshare >/dev/null; then
	pass "e2e auditctl: comparison with auditctl (skipped: needs auditd's auditctl and unshare)"
	exit 0
fi
[ -x "$CHECK" ] || { fail "e2e auditctl" "$CHECK is not built"; exit 0; }
if ! unshare -U -r true 2>/dev/null; then
	pass "e2e auditctl: comparison with auditctl (skipped: no user namespaces here)"
	exit 0
fi
if unshare -U -r "$AUDITCTL" -s 2>/dev/null | grep -q '^enabled'; then
	pass "e2e auditctl: comparison with auditctl (skipped: the kernel takes audit rules from a user namespace; nothing is loaded)"
	exit 0
fi

# One rule a line, no quotes (auditctl -R splits at blanks).
cat >"$TMP/cases" <<'CASES'
-w /etc/passwd -p wa -k identity
-w /etc/passwd -p wa
-w /etc/passwd
-w etc/passwd -p wa
-w /etc/passwd -p wz
-w /etc/passwd -p rwxa -k k
-w /etc/sudoers.d/ -p wa
-w /var/log/faillog -p wa -k logins
-w
-p wa -k x
-k onlykey
-a always,exit -F arch=b64 -S execve -k exec
-a exit,always -F arch=b64 -S execve
-a always,exit -S execve
-a always,exit -F nosuchfield=1
-a always,exit -F path=/etc/shadow -F perm=wa -k shadow
-a always,exit -F path=etc/shadow -F perm=wa
-a always,exit -F dir=/etc/sudoers.d -F perm=wa
-a always,exit -F perm=wz -F path=/etc/x
-a always,entry -S execve
-a sometimes,exit -S execve
-a always,nolist -S execve
-a never,task
-a always
-a exclude,always -F msgtype=CWD
-a always,exit -F arch=b64 -S execve -C euid!=uid -F euid=0 -k sudo
-a always,exit -F arch=b64 -C euid!=uid -F euid=0 -S execve
-a always,exit -F arch=b32 -S execve -F auid>=1000 -F auid!=unset -k x
-a always,exit -F arch=b64 -S open -F exit=-EACCES -k access
-a always,exit -F arch=b64 -S execve -F key=viakey
-A always,exit -F arch=b64 -S execve
-e 2
-e 1
-e 3
-e x
-b 8192
-b x
-f 1
-f 3
-r 100
-D
-i
-c
--backlog_wait_time 60000
--loginuid-immutable
-x
foo
-a always,exit -F arch=b64 -S all
-a always,exit -F arch=x86_64 -S execve
-a always,exit -F arch=nonsense -S execve
-w /etc/passwd -p wa -k 012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789
-w /etc/passwd -p wa -k a -k b
-a always,exit -F arch=b64 -S execve,open
-a always,exit -F arch=b64 -S execve -S open
-a always,exit -F uid=0 -S execve -F arch=b64
-a always,exit -F auid>=1000 -F auid!=4294967295 -F arch=b64 -S execve
-W /etc/passwd -p wa
-d always,exit -S execve -F arch=b64
-s
-l
-m hello
-a always,exit -F arch=b64 -S execve -F success=1
-a always,exit -F arch=b64 -S execve -F success=yes
-a always,exit -F path=/etc/shadow -F perm=wa -S execve
-a user,always -F uid=0
-a task,never
-a always,exit -F arch=b64 -S execve -F a0=0x1
-a always,exit -F arch=b64 -S execve extra
-a always,exit -F arch=b64 -F path=/etc/shadow -F perm=r -F auid>=1000 -k shadow-read
-w /etc/shadow -p wa -k
-a always,exit -F arch=b64 -S chmod -F auid>=1000 -F auid!=-1 -F key=perm_mod
CASES

# real LINE: ACCEPT or REJECT as auditctl parses LINE's words. Its own
# parse errors are the lines other than the namespace's refusal and the
# 32/64-bit warning (a warning: the rule is still sent).
real() {
	set -f
	# shellcheck disable=SC2086
	err=$(unshare -U -r "$AUDITCTL" $1 2>&1 >/dev/null |
		grep -v -e '^The audit system is disabled$' \
			-e '^There was an error while processing parameters$' \
			-e '^WARNING - 32/64 bit syscall mismatch')
	set +f
	if [ -n "$err" ]; then echo "REJECT $err" | head -1; else echo ACCEPT; fi
}

"$CHECK" <"$TMP/cases" >"$TMP/tenken.out"
n=0 agree=0
while IFS= read -r line; do
	n=$((n + 1))
	ours=$(sed -n "${n}p" "$TMP/tenken.out")
	theirs=$(real "$line")
	if [ "${ours%% *}" = "${theirs%% *}" ]; then
		agree=$((agree + 1))
	else
		fail "auditctl: $line" "tenken: $ours" "auditctl: $theirs"
	fi
done <"$TMP/cases"
echo "auditctl rule acceptance: $agree of $n lines agree ($AUDITCTL)"
[ "$agree" = "$n" ] && pass "auditctl: tenken accepts and rejects the $n lines as auditctl does"
