#!/bin/sh
# tests/e2e/sshd-match.sh - sshd's Match blocks per connection class
# against the real sshd: for every configuration written here and every
# connection class, the values tenken computes offline (the sshd_class
# collection, classes given by a baseline's ssh_connections) must equal
# what `sshd -T -C user=,host=,addr=,laddr=,lport=[,rdomain=] -f FILE`
# prints, for every keyword the ssh rules judge and a Match block may set.
#
# The classes use accounts every Debian system has (base-passwd: root,
# daemon, bin, sys, sync, nobody), and each root gets a copy of this
# machine's /etc/passwd and /etc/group, so sshd (through NSS) and tenken
# (through the root's files) see the same groups. sshd needs a host key
# (a throwaway one in $TMP, given with -h) and /run/sshd; when that is
# missing, sshd runs in a private mount namespace with a tmpfs on /run.
# Without /usr/sbin/sshd, ssh-keygen and jq the comparison is skipped.
. tests/lib.sh

SSHD=/usr/sbin/sshd

if [ ! -x "$SSHD" ] || ! command -v ssh-keygen >/dev/null || ! command -v jq >/dev/null; then
	pass "e2e sshd-match: comparison with sshd -T -C (skipped: needs $SSHD, ssh-keygen and jq)"
	exit 0
fi
if [ ! -x "$TENKEN" ]; then
	fail "e2e sshd-match" "$TENKEN is not built"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
ssh-keygen -q -t ed25519 -N '' -f "$TMP/hostkey" </dev/null >/dev/null 2>&1

# The classes: NAME and the -C specification (every attribute given, so
# sshd never stops at a Match attribute the test does not name).
cat >"$TMP/classes" <<'EOF'
admin user=root,host=admin.example.org,addr=10.1.2.3,laddr=10.0.0.1,lport=22
vendor user=daemon,host=vendor.example.net,addr=203.0.113.5,laddr=192.0.2.1,lport=2222
lan user=nobody,host=ws1.lan,addr=192.168.1.20,laddr=192.168.1.1,lport=22
v6 user=sync,host=h6.example.org,addr=2001:db8::5,laddr=2001:db8::1,lport=22
vrf user=bin,host=ADMIN.Example.ORG,addr=10.9.1.1,laddr=10.0.0.1,lport=2200,rdomain=vrf1
bare user=sys,host=10.1.2.4,addr=10.1.2.4,laddr=127.0.0.1,lport=22
rootlan user=root,host=ws2.lan,addr=192.168.1.7,laddr=192.168.1.1,lport=2222
EOF

# The baseline naming them (ssh_connections, lport a number).
awk 'BEGIN { printf "{\"extends\": \"server\", \"params\": {\"ssh_connections\": [" }
	{
		printf "%s{\"name\": \"%s\"", (NR > 1 ? ", " : ""), $1
		n = split($2, kv, ",")
		for (i = 1; i <= n; i++) {
			split(kv[i], p, "=")
			if (p[1] == "lport")
				printf ", \"lport\": %s", p[2]
			else
				printf ", \"%s\": \"%s\"", p[1], p[2]
		}
		printf "}"
	}
	END { print "]}}" }' "$TMP/classes" >"$TMP/baseline.json"

# sshd -T -C for every class on CONFIG, each output after a "== NAME" line.
sshd_classes() {
	script='while read -r name spec; do echo "== $name";
		"$0" -T -C "$spec" -f "$1" -h "$2" 2>&1 || echo "sshd-failed"; done <"$3"'
	if [ -d /run/sshd ]; then
		sh -c "$script" "$SSHD" "$1" "$TMP/hostkey" "$TMP/classes"
	else
		unshare -m sh -c "mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && $script" \
			"$SSHD" "$1" "$TMP/hostkey" "$TMP/classes"
	fi
}

# The keywords compared: those the ssh rules judge that a Match block may
# set. sshd names prohibit-password by its older alias without-password.
KEYS='permitrootlogin|passwordauthentication|kbdinteractiveauthentication|pubkeyauthentication|authenticationmethods|allowusers|allowgroups|denyusers|denygroups|permitemptypasswords|x11forwarding|maxauthtries|loglevel'
from_sshd() {
	awk -v name="$1" '$1 == "==" { on = $2 == name; next } on' "$2" | grep -E "^($KEYS) |sshd-failed" |
		sed 's/^permitrootlogin without-password$/permitrootlogin prohibit-password/' | sort
}
# Every named class's values from tenken's report as "NAME KEY VALUE"
# lines (one jq run per configuration).
all_from_tenken() {
	jq -r '.inventory.sshd_class[] | select(.implicit == false) | .name as $n |
		(["permitrootlogin", "loglevel", "maxauthtries"][] as $k | "\($n) \($k) \(.[$k])"),
		(["passwordauthentication", "kbdinteractiveauthentication", "pubkeyauthentication",
		  "permitemptypasswords", "x11forwarding"][] as $k
			| "\($n) \($k) \(if .[$k] == null then "UNKNOWN" elif .[$k] then "yes" else "no" end)"),
		(["allowusers", "allowgroups", "denyusers", "denygroups"][] as $k
			| if .[$k] == null then "\($n) \($k) UNKNOWN" else (.[$k][] | "\($n) \($k) \(.)") end),
		"\($n) authenticationmethods \(if .authenticationmethods == null then "UNKNOWN"
			else (.authenticationmethods | join(" ")) end)"' "$1"
}
from_tenken() {
	awk -v name="$1" '$1 == name { sub(/^[^ ]+ /, ""); print }' "$2" | sort
}

CONFIGS=0
COMPARED=0
AGREED=0
# case NAME MAIN [FILE CONTENT]...: sshd_config MAIN (printf format) plus
# files under /etc/ssh; compared for every class.
case_root() {
	name=$1
	r=$TMP/$1
	shift
	mkdir -p "$r/etc/ssh/d" "$r/var/lib/dpkg"
	cp /etc/passwd /etc/group "$r/etc/"
	printf 'Package: openssh-server\nStatus: install ok installed\nVersion: %s\n\n' \
		"$(dpkg-query -W -f '${Version}' openssh-server 2>/dev/null || echo 1:9.2p1-2)" \
		>"$r/var/lib/dpkg/status"
	# shellcheck disable=SC2059
	printf "$1" >"$r/etc/ssh/sshd_config"
	shift
	while [ $# -ge 2 ]; do
		# shellcheck disable=SC2059
		printf "$2" >"$r/etc/ssh/$1"
		shift 2
	done
	"$TENKEN" scan --root "$r" --only ssh --baseline "$TMP/baseline.json" --format json \
		>"$TMP/$name.json" 2>"$TMP/$name.err"
	if ! jq -e '.inventory.sshd_class | length > 1' "$TMP/$name.json" >/dev/null 2>&1; then
		fail "e2e sshd-match $name: no sshd_class from tenken" "$(head -c 400 "$TMP/$name.err")"
		return
	fi
	# sshd reads the copy with /etc/ssh/ rewritten to it.
	cp -a "$r" "$r.sshd"
	find "$r.sshd/etc/ssh" -type f -exec sed -i "s#/etc/ssh/#$r.sshd/etc/ssh/#g" {} +
	sshd_classes "$r.sshd/etc/ssh/sshd_config" >"$TMP/$name.sshd.out"
	all_from_tenken "$TMP/$name.json" >"$TMP/$name.tenken"
	CONFIGS=$((CONFIGS + 1))
	bad=""
	while read -r cname spec; do
		from_sshd "$cname" "$TMP/$name.sshd.out" >"$TMP/want"
		from_tenken "$cname" "$TMP/$name.tenken" >"$TMP/got"
		COMPARED=$((COMPARED + 1))
		if diff -u "$TMP/want" "$TMP/got" >"$TMP/diff"; then
			AGREED=$((AGREED + 1))
		else
			bad="$bad $cname"
			fail "e2e sshd-match $name/$cname ($spec): differs from sshd -T -C (- sshd, + tenken)" \
				"$(head -30 "$TMP/diff")"
		fi
	done <"$TMP/classes"
	[ -z "$bad" ] && pass "e2e sshd-match $name: every class equal to sshd -T -C"
}

case_root user 'PasswordAuthentication no\nMatch User daemon,bin\n  PasswordAuthentication yes\n  PermitRootLogin yes\nMatch User *o*,!nobody\n  X11Forwarding yes\n'
case_root address 'Match Address 10.0.0.0/8,!10.9.0.0/16\n PermitRootLogin yes\nMatch Address 2001:db8::/32\n X11Forwarding yes\nMatch Address 192.168.1.*\n MaxAuthTries 2\n'
case_root group 'Match Group root,nogroup\n PermitEmptyPasswords yes\nMatch Group !root,*\n AllowUsers x y\nMatch Group daemon\n AllowGroups a\n'
case_root localport 'Match LocalPort 2222\n PasswordAuthentication yes\nMatch LocalAddress 10.0.0.0/24 LocalPort 22\n PermitRootLogin forced-commands-only\nMatch LocalAddress !127.0.0.1,*\n LogLevel VERBOSE\n'
case_root host 'Match Host *.example.org,!admin.*\n KbdInteractiveAuthentication yes\nMatch Host admin.example.org\n AuthenticationMethods publickey,password\nMatch Host *.EXAMPLE.ORG\n LogLevel DEBUG\nMatch Host 10.1.2.*\n PubkeyAuthentication no\n'
case_root include-in-match 'Match User root\nInclude /etc/ssh/d/inc.conf\nMatch all\nPasswordAuthentication no\n' d/inc.conf 'PermitRootLogin yes\nMatch Address 10.0.0.0/8\nX11Forwarding yes\nMatch all\nMaxAuthTries 3\n'
case_root match-all 'PermitRootLogin no\nMatch User root\n PermitRootLogin yes\nMatch all\n PermitRootLogin prohibit-password\n X11Forwarding yes\n'
case_root lists 'AllowUsers a b\nDenyUsers z\nMatch User root,daemon\n AllowUsers c\nMatch Address 10.0.0.0/8\n AllowUsers d e\n DenyGroups g\n'
case_root rdomain 'Match RDomain vrf*\n PasswordAuthentication no\nMatch RDomain !vrf1,*\n PermitRootLogin no\n'
case_root and 'Match User root Address 10.1.0.0/16 LocalPort 22\n PermitRootLogin yes\nMatch User root Address 192.168.0.0/16\n PermitRootLogin no\n MaxAuthTries 1\n'
case_root wildcard-v6 'Match Address 10.1.2.?,2001:db8:0:0::/64\n PubkeyAuthentication no\nMatch Address 2001:DB8::5\n MaxAuthTries 5\n'
case_root case 'match user ROOT\n PermitRootLogin yes\nMATCH USER root\n PasswordAuthentication yes\nMatch HOST ws?.LAN\n DenyUsers q\n'
case_root first-wins 'Match Address 10.0.0.0/8\n MaxAuthTries 2\n AuthenticationMethods publickey\nMatch User root\n MaxAuthTries 4\n AuthenticationMethods password\n'
case_root debian-dropin 'Include /etc/ssh/d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nPasswordAuthentication no\n' d/10-vendor.conf 'Match Address 203.0.113.0/24\n PasswordAuthentication yes\n PermitRootLogin yes\n' d/20-lan.conf 'Match Address 192.168.0.0/16 User nobody,root\n KbdInteractiveAuthentication yes\n'

# case_err NAME MAIN: a Match line sshd refuses to start with; tenken
# must count it as a configuration error.
case_err() {
	r=$TMP/$1
	mkdir -p "$r/etc/ssh"
	# shellcheck disable=SC2059
	printf "$2" >"$r/etc/ssh/sshd_config"
	"$TENKEN" inventory --root "$r" --only ssh >"$TMP/$1.json" 2>/dev/null
	errors=$(jq '.inventory.sshd.config_errors' "$TMP/$1.json")
	if [ -d /run/sshd ]; then
		"$SSHD" -t -f "$r/etc/ssh/sshd_config" -h "$TMP/hostkey" >/dev/null 2>"$TMP/err"
	else
		unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd &&
			exec "$0" -t -f "$1" -h "$2"' "$SSHD" "$r/etc/ssh/sshd_config" "$TMP/hostkey" \
			>/dev/null 2>"$TMP/err"
	fi
	st=$?
	if [ $st = 0 ] || ! grep -qi 'match' "$TMP/err"; then
		fail "e2e sshd-match $1: sshd does not refuse the Match line (the test expects it to)" \
			"$(head -c 300 "$TMP/err")"
	elif [ "$errors" = 0 ] || [ "$errors" = null ]; then
		fail "e2e sshd-match $1: sshd refuses the config but tenken counts no error"
	else
		pass "e2e sshd-match $1: sshd refuses it and tenken counts $errors errors"
	fi
}
case_err err-mask 'Match Address 10.0.0.1/8\n PermitRootLogin yes\n'
case_err err-masklen 'Match LocalAddress 10.0.0.0/33\n PermitRootLogin yes\n'
case_err err-empty 'Match Address 10.0.0.0/8,,10.1.0.0/16\n PermitRootLogin yes\n'
case_err err-lport 'Match LocalPort 70000\n PermitRootLogin yes\n'

echo "sshd-match: $CONFIGS configs x $(wc -l <"$TMP/classes") classes: $COMPARED compared with sshd -T -C, $AGREED agreed"
