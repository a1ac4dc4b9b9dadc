#!/bin/sh
# tests/e2e/ssh.sh - the ssh probe against the real sshd: for every
# tests/fixtures/ssh-* root and a set of configurations written here, the
# effective values tenken computes offline must equal what `sshd -T -f
# FILE` prints, for every keyword the rules use. sshd is never installed
# by this test: without /usr/sbin/sshd (package openssh-server) and
# ssh-keygen the comparison is skipped and says so.
#
# sshd -T needs a host key (one is generated into $TMP and given with -o
# HostKey=, so the fixtures' placeholder keys are never loaded) and its
# privilege separation directory /run/sshd; when that is missing, sshd
# runs in a private mount namespace with a tmpfs on /run, so the host is
# never changed. The config tree is copied twice: as it is for tenken
# (--root), and with /etc/ssh/ rewritten to the copy's path for sshd.
. tests/lib.sh

SSHD=/usr/sbin/sshd
FIXTURES=tests/fixtures

if [ ! -x "$SSHD" ] || ! command -v ssh-keygen >/dev/null || ! command -v jq >/dev/null; then
	pass "e2e ssh: comparison with sshd -T (skipped: needs $SSHD, ssh-keygen and jq)"
	exit 0
fi
if [ ! -x "$TENKEN" ]; then
	fail "e2e ssh" "$TENKEN is not built"
	exit 0
fi
# A private copy: a rebuild during the run must not swap the binary.
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
ssh-keygen -q -t ed25519 -N '' -f "$TMP/hostkey" </dev/null >/dev/null 2>&1

# sshd_t CONFIG: sshd -T's output for CONFIG on stdout, its errors in $TMP/sshd.err.
sshd_t() {
	if [ -d /run/sshd ]; then
		"$SSHD" -T -f "$1" -o HostKey="$TMP/hostkey" 2>"$TMP/sshd.err"
	else
		unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd &&
			exec "$0" -T -f "$1" -o HostKey="$2"' "$SSHD" "$1" "$TMP/hostkey" 2>"$TMP/sshd.err"
	fi
}
if ! printf 'Port 22\n' >"$TMP/probe.conf" || ! sshd_t "$TMP/probe.conf" >/dev/null; then
	pass "e2e ssh: comparison with sshd -T (skipped: sshd -T cannot run here: $(head -c 200 "$TMP/sshd.err"))"
	exit 0
fi

# The keywords the rules use, as sshd -T prints them. sshd names
# prohibit-password by its older alias without-password.
KEYS='permitrootlogin|passwordauthentication|kbdinteractiveauthentication|pubkeyauthentication|authenticationmethods|allowusers|allowgroups|denyusers|denygroups|listenaddress|port|permitemptypasswords|x11forwarding|maxauthtries|logingracetime|usepam|loglevel|syslogfacility|ciphers|macs|kexalgorithms'
from_sshd() {
	grep -E "^($KEYS) " | sed 's/^permitrootlogin without-password$/permitrootlogin prohibit-password/' |
		grep -Ev '^(ciphers|macs|kexalgorithms) ' | sort
}
# The same lines from tenken's inventory (ciphers and friends only when
# set: their compiled-in lists are not tenken's to repeat).
from_tenken() {
	jq -r '.inventory.sshd |
		(["permitrootlogin", "loglevel", "syslogfacility", "maxauthtries", "logingracetime"][] as $k
			| "\($k) \(.[$k])"),
		(["passwordauthentication", "kbdinteractiveauthentication", "pubkeyauthentication",
		  "permitemptypasswords", "x11forwarding", "usepam"][] as $k
			| "\($k) \(if .[$k] then "yes" else "no" end)"),
		(["allowusers", "allowgroups", "denyusers", "denygroups", "port", "listenaddress"][] as $k
			| .[$k][] | "\($k) \(.)"),
		"authenticationmethods \(.authenticationmethods | join(" "))"' | sort
}
# Ciphers, MACs, KexAlgorithms that the config sets, from both sides.
set_algos() {
	jq -r '.inventory.sshd | (["ciphers", "macs", "kexalgorithms"][] as $k
		| select(.[$k] != "default") | "\($k) \(.[$k])")' "$1" | sort
}

# compare NAME ROOT: tenken --root ROOT against sshd -T on a rewritten copy.
compare() {
	name=$1
	root=$2
	"$TENKEN" inventory --root "$root" --only ssh >"$TMP/inv.json" 2>"$TMP/tenken.err"
	errors=$(jq '.inventory.sshd.config_errors' "$TMP/inv.json")
	rm -rf "$TMP/sshd-root"
	cp -a "$root" "$TMP/sshd-root"
	# Absolute paths, then relative Include arguments (relative to /etc/ssh).
	find "$TMP/sshd-root/etc/ssh" -type f -exec sed -i -e "s#/etc/ssh/#$TMP/sshd-root/etc/ssh/#g" \
		-e "s#^\([[:space:]]*Include[[:space:]]\+\)\([^/~]\)#\1$TMP/sshd-root/etc/ssh/\2#" {} +
	if ! sshd_t "$TMP/sshd-root/etc/ssh/sshd_config" >"$TMP/sshd.out"; then
		if [ "$errors" != 0 ] && [ "$errors" != null ]; then
			pass "e2e ssh $name: sshd refuses the config and tenken counts $errors errors"
		else
			fail "e2e ssh $name: sshd -T failed but tenken found no error" "$(head -c 500 "$TMP/sshd.err")"
		fi
		return
	fi
	if [ "$errors" != 0 ]; then
		fail "e2e ssh $name: tenken counts $errors errors but sshd accepts the config" "$(head -c 300 "$TMP/tenken.err")" \
			"$(jq -c '.scan.probes[] | select(.name == "ssh") | .messages' "$TMP/inv.json" | head -c 800)"
		return
	fi
	from_sshd <"$TMP/sshd.out" >"$TMP/want"
	from_tenken <"$TMP/inv.json" >"$TMP/got"
	set_algos "$TMP/inv.json" >"$TMP/algos"
	if ! diff -u "$TMP/want" "$TMP/got" >"$TMP/diff"; then
		fail "e2e ssh $name: effective values differ from sshd -T (- sshd, + tenken)" "$(head -40 "$TMP/diff")"
	elif [ -s "$TMP/algos" ] && ! grep -Fxq -f "$TMP/algos" "$TMP/sshd.out"; then
		fail "e2e ssh $name: Ciphers/MACs/KexAlgorithms differ" "$(cat "$TMP/algos")"
	else
		pass "e2e ssh $name: equal to sshd -T ($(wc -l <"$TMP/want") values)"
	fi
}

for f in "$FIXTURES"/ssh-*/; do
	[ -f "$f/etc/ssh/sshd_config" ] || continue
	name=$(basename "$f")
	rm -rf "$TMP/root"
	cp -a "$f" "$TMP/root"
	lines_of() { [ -f "$1" ] && grep -v -e '^[[:space:]]*$' -e '^#' "$1"; }
	lines_of "$TMP/root/fifos" | while read -r p; do rm -f "$TMP/root/$p"; mkfifo "$TMP/root/$p"; done
	compare "$name" "$TMP/root"
done

# case NAME MAIN [FILE CONTENT]...: a root whose /etc/ssh/sshd_config is
# MAIN (printf format) plus extra files under /etc/ssh.
case_root() {
	name=$1
	main=$2
	shift 2
	r=$TMP/case
	rm -rf "$r"
	mkdir -p "$r/etc/ssh/d" "$r/var/lib/dpkg"
	# The installed OpenSSH's version, whose defaults sshd -T prints.
	printf 'Package: openssh-server\nStatus: install ok installed\nVersion: %s\n\n' \
		"$(dpkg-query -W -f '${Version}' openssh-server 2>/dev/null || echo 1:9.2p1-2)" \
		>"$r/var/lib/dpkg/status"
	# shellcheck disable=SC2059
	printf "$main" >"$r/etc/ssh/sshd_config"
	while [ $# -ge 2 ]; do
		# shellcheck disable=SC2059
		printf "$2" >"$r/etc/ssh/$1"
		shift 2
	done
	compare "$name" "$r"
}

case_root match-all 'PermitRootLogin no\nMatch all\nPermitRootLogin yes\nMatch all\nPermitRootLogin forced-commands-only\nAllowUsers x\n'
case_root match-all-lists 'AllowUsers a\nMatch all\nAllowUsers y z\nMatch all\nAllowUsers w\n'
case_root ports 'Port 2222\nListenAddress 10.0.0.1\nPort 22\nListenAddress 10.0.0.2:2000\nListenAddress [::1]:2001\n'
case_root family-inet 'AddressFamily inet\nPort 2200\n'
case_root family-inet6 'AddressFamily inet6\n'
case_root aliases 'challengeresponseauthentication no\nPERMITROOTLOGIN=without-password\nLoginGraceTime 1m30s\nMaxAuthTries = 3\nLogLevel debug1\nSyslogFacility local3\nDSAAuthentication no\n'
case_root lists 'AllowUsers a b\nAllowUsers c\nDenyGroups x\nDenyUsers root@*\nAuthenticationMethods publickey,password publickey,keyboard-interactive\nAuthenticationMethods password\nAllowGroups g1 g2\n'
case_root include-in-match 'Match User bob\nInclude /etc/ssh/d/inc.conf\nMatch all\nPasswordAuthentication no\n' d/inc.conf 'PermitRootLogin yes\nMatch all\nX11Forwarding yes\n'
case_root match-ends-with-file 'Include /etc/ssh/d/m.conf\nPermitRootLogin no\nPort 23\n' d/m.conf 'Match User bob\nPasswordAuthentication no\n'
case_root include-glob-order 'Include d/*.conf\nPermitRootLogin no\n' d/20-b.conf 'PermitRootLogin forced-commands-only\nPort 2022\n' d/10-a.conf 'PermitRootLogin yes\nPort 2011\n' d/Z.conf 'UsePAM yes\n'
case_root include-missing 'Include /etc/ssh/nonexistent.conf /etc/ssh/none.d/*.conf\nPermitRootLogin "no"\n'
case_root quotes-comments '  PermitRootLogin   no  # a comment\nPasswordAuthentication no #x\nAllowUsers "alice" bob\nCiphers aes256-ctr,aes128-ctr\nKexAlgorithms curve25519-sha256\n'
case_root crlf 'PermitRootLogin no\r\nPasswordAuthentication no\r\nAllowUsers a\r\n'
case_root deprecated 'Protocol 2\nUsePrivilegeSeparation sandbox\nRSAAuthentication yes\nPermitRootLogin no\n'
case_root err-unknown 'Foo bar\nPermitRootLogin no\n'
case_root err-port-in-match 'Match User x\nPort 23\n'
case_root err-value 'PermitRootLogin maybe\n'
case_root err-extra 'PermitRootLogin no yes\n'
case_root err-any 'AuthenticationMethods any publickey\n'
case_root err-any-after-set 'AuthenticationMethods publickey\nMatch User x\nAuthenticationMethods any\n'
case_root err-any-twice 'Match all\nAuthenticationMethods any\nMatch User x\nAuthenticationMethods any\n'
case_root any-after-unset 'Match User y\nAuthenticationMethods publickey\nMatch User x\nAuthenticationMethods any\n'
case_root err-quote 'AllowUsers "alice\n'
case_root err-loop 'Include /etc/ssh/d/loop.conf\n' d/loop.conf 'Include /etc/ssh/d/loop.conf\n'
case_root err-match 'Match Nobody x\nPermitRootLogin yes\n'
case_root err-noarg 'PermitRootLogin\n'
