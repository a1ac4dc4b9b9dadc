#!/bin/sh
# tests/e2e/sudo-defaults.sh - whether a sudoers grant asks for a password,
# tenken against sudo itself. For every sudoers below, tenken's
# accounts[].sudo_nopasswd of clerk and nurse is compared with what
# `sudo -n` does when each of them runs /usr/bin/true and /usr/bin/id as
# root, nurse and clerk (a password-free run exists or not), and
# sudo_rules > 0 with `sudo -l -U USER` listing commands. sudo reads
# /etc/sudoers, so it runs in a private mount and UTS namespace
# (unshare -m -u) with the test files bind-mounted over /etc and the host
# name set to testhost; this host's files are never changed.
. tests/lib.sh

if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! command -v setpriv >/dev/null ||
	[ ! -x /usr/bin/sudo ] || ! command -v jq >/dev/null ||
	! unshare -m -u true 2>/dev/null; then
	pass "sudo Defaults vs sudo -n (skipped: needs root, unshare, setpriv, sudo and jq)"
	exit 0
fi

USERS="clerk nurse"
RUNAS="root nurse clerk"
CMDS="/usr/bin/true /usr/bin/id"

# make_root DIR SUDOERS-TEXT: a root with this host's accounts plus clerk
# and nurse (both in staff2; clerk also in clerks).
make_root() {
	mkdir -p "$1/etc" "$1/run-sudo"
	grep -v -e '^clerk:' -e '^nurse:' /etc/passwd >"$1/etc/passwd"
	printf 'clerk:x:5001:5001::/nonexistent:/bin/sh\nnurse:x:5002:5002::/nonexistent:/bin/sh\n' \
		>>"$1/etc/passwd"
	grep -v -e '^clerk:' -e '^nurse:' -e '^staff2:' -e '^clerks:' /etc/group >"$1/etc/group"
	printf 'clerk:x:5001:\nnurse:x:5002:\nstaff2:x:5100:clerk,nurse\nclerks:x:5101:clerk\n' \
		>>"$1/etc/group"
	grep -v -e '^clerk:' -e '^nurse:' /etc/shadow >"$1/etc/shadow"
	printf 'clerk:*:19000:0:99999:7:::\nnurse:*:19000:0:99999:7:::\n' >>"$1/etc/shadow"
	chmod 0640 "$1/etc/shadow"
	cp /etc/hosts "$1/etc/hosts"
	echo '127.0.1.1 testhost' >>"$1/etc/hosts"
	echo testhost >"$1/etc/hostname"
	printf '%b' "$2" >"$1/etc/sudoers"
	chmod 0440 "$1/etc/sudoers"
}

# sudo_answers DIR: "USER free|asks LISTED|none" per user, from the real sudo.
sudo_answers() {
	unshare -m -u sh -c '
		d=$1 users=$2 runas=$3 cmds=$4
		hostname testhost
		for f in passwd group shadow sudoers hosts; do mount --bind "$d/etc/$f" "/etc/$f" || exit 1; done
		mount --bind "$d/run-sudo" /run/sudo 2>/dev/null || mount -t tmpfs none /run/sudo
		[ -e /run/systemd/journal/dev-log ] && mount --bind /dev/null /run/systemd/journal/dev-log
		[ -S /dev/log ] && mount --bind /dev/null /dev/log
		for u in $users; do
			free=asks
			for r in $runas; do [ "$r" = "$u" ] && continue; for c in $cmds; do
				setpriv --reuid="$u" --regid="$u" --init-groups /usr/bin/sudo -n -u "$r" "$c" \
					</dev/null >/dev/null 2>&1 && free=free
			done; done
			listed=none
			sudo -l -U "$u" 2>/dev/null | grep -q "may run the following" && listed=listed
			echo "$u $free $listed"
		done' sh "$1" "$USERS" "$RUNAS" "$CMDS"
}

# tenken_answers DIR: the same from tenken's inventory of the root.
tenken_answers() {
	"$TENKEN" inventory --root "$1" --only accounts >"$1/inv.json" 2>"$1/inv.err"
	for u in $USERS; do
		jq -r --arg u "$u" '.inventory.accounts[] | select(.name == $u) |
			"\(.name) \(if .sudo_nopasswd == true then "free" elif .sudo_nopasswd == false
			then "asks" else "unknown" end) \(if .sudo_rules > 0 then "listed" else "none" end)"' \
			"$1/inv.json"
	done
}

n=0 agree=0 holes=0 holes_found=0 closed=0 closed_pass=0
check() {
	n=$((n + 1))
	d=$TMP/case$n
	make_root "$d" "$1"
	sudo_answers "$d" >"$d/want"
	tenken_answers "$d" >"$d/got"
	for u in $USERS; do
		w=$(grep "^$u " "$d/want") g=$(grep "^$u " "$d/got")
		case $w in *free*) holes=$((holes + 1)) ;; *asks*listed*) closed=$((closed + 1)) ;; esac
		if [ "$w" = "$g" ]; then
			agree=$((agree + 1))
			case $w in *free*) holes_found=$((holes_found + 1)) ;; *asks*listed*) closed_pass=$((closed_pass + 1)) ;; esac
			pass "sudo case $n $u: $w"
		else
			fail "sudo case $n $u" "sudo: $w" "tenken: $g" "sudoers:" "$(cat "$d/etc/sudoers")"
		fi
	done
}

G='clerk ALL=(ALL) ALL\nnurse ALL=(ALL) ALL\n'
check "Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n$G"
check "Defaults !authenticate\n$G"
check "Defaults:clerk !authenticate\n$G"
check "Defaults:%staff2 !authenticate\n$G"
check "Defaults:%clerks !authenticate\n$G"
check "Defaults:ALL,!nurse !authenticate\n$G"
check "Defaults:!clerk !authenticate\n$G"
check "User_Alias CL = clerk\nDefaults:CL !authenticate\n$G"
check "User_Alias NOTN = ALL, !nurse\nDefaults:NOTN !authenticate\n$G"
check "Defaults@testhost !authenticate\n$G"
check "Defaults@otherhost !authenticate\n$G"
check "Host_Alias HERE = testhost\nDefaults@HERE !authenticate\n$G"
check "Defaults@ALL,!testhost !authenticate\n$G"
check "Defaults>root !authenticate\n$G"
check "Defaults>root !authenticate\nclerk ALL=(nurse) ALL\nnurse ALL=(clerk) ALL\n"
check "Defaults>nurse !authenticate\nclerk ALL=(nurse) ALL\nnurse ALL=(root) ALL\n"
check "Defaults>clerk !authenticate\n$G"
check "Defaults>clerk !authenticate\nclerk ALL=(clerk) ALL\nnurse ALL=(nurse, clerk) /usr/bin/id\n"
check "Defaults>%%staff2 !authenticate\nclerk ALL=(ALL) ALL\nnurse ALL=(root) ALL\n"
check "Runas_Alias ADM = root\nDefaults>ADM !authenticate\n$G"
check "Defaults!/usr/bin/true !authenticate\n$G"
check "Defaults!/usr/bin/true !authenticate\nclerk ALL=(ALL) /usr/bin/id\nnurse ALL=(ALL) /usr/bin/true\n"
check "Cmnd_Alias T = /usr/bin/true, /usr/bin/id\nDefaults!T !authenticate\nclerk ALL=(ALL) /usr/bin/id\n"
check "Defaults!/usr/bin/* !authenticate\nclerk ALL=(ALL) /usr/bin/id\n"
check "Defaults !authenticate\nclerk ALL=(ALL) PASSWD: ALL\nnurse ALL=(ALL) ALL\n"
check "Defaults !authenticate\nclerk ALL=(ALL) PASSWD: /usr/bin/true, /usr/bin/id\n"
check "Defaults:clerk !authenticate\nDefaults authenticate\n$G"
check "Defaults authenticate\nDefaults:clerk !authenticate\n$G"
check "Defaults:clerk !authenticate\nDefaults@testhost authenticate\n$G"
check "Defaults>root authenticate\nDefaults:clerk !authenticate\n$G"
check "Defaults:clerk !authenticate\nDefaults>root authenticate\n$G"
check "Defaults!/usr/bin/true !authenticate\nDefaults:clerk authenticate\n$G"
check "Defaults !authenticate\nDefaults!/usr/bin/true authenticate\nclerk ALL=(ALL) /usr/bin/true\nnurse ALL=(ALL) ALL\n"
check "Defaults!/usr/bin/true authenticate\nclerk ALL=(ALL) NOPASSWD: ALL\n"
check "clerk ALL=(ALL) NOPASSWD: /usr/bin/true\nnurse ALL=(ALL) /usr/bin/id\n"
check "Defaults:clerk !!authenticate\n$G"
check "Defaults:clerk authenticate, !authenticate\n$G"
check "Defaults:clerk !authenticate, authenticate\n$G"
check "Defaults:clerk,nurse env_reset, !authenticate\n$G"
check "Defaults:clerk, nurse !authenticate\nclerk ALL=(ALL) ALL\n"
check "Defaults:clerk secure_path=\"/a:/b\", !authenticate # comment\n$G"
check "Defaults:clerk \\\\\n  !authenticate\n$G"
check "Defaults:%%staff2 !authenticate\n%%staff2 ALL=(ALL) ALL\n"
check "Defaults:clerk !authenticate\n%%staff2 ALL=(ALL) ALL\n"
check "Defaults:nurse !authenticate\n%%clerks ALL=(ALL) ALL\n"
check "Defaults:#5001 !authenticate\n$G"
check "Defaults:%%#5101 !authenticate\n$G"

echo "sudo Defaults: $agree of $((n * 2)) (user, sudoers) answers agree with sudo -n / sudo -l -U;" \
	"password-free: $holes_found of $holes found; password asked: $closed_pass of $closed pass"
