#!/bin/sh
# Installs the Debian packages tenken needs. Safe to run again; asks apt
# only for what is missing.
#
#   sh install-deps.sh          the BUILD list only: compiler and libraries.
#                               Nothing here runs a daemon or opens a port,
#                               so it is what to run on a host you then scan.
#   sh install-deps.sh --test   the BUILD list and the TEST PEERS: the real
#                               tools the tests compare tenken with. Some
#                               change the host (openssh-server starts a
#                               listening sshd, sudo adds a setuid binary):
#                               use it on a build or CI machine, not on the
#                               host you mean to inspect.
set -eu

# BUILD: what `make` and `make scan` need.
build="build-essential pkg-config libjansson-dev libssl-dev libsqlite3-dev
       zlib1g-dev liblzma-dev liblz4-dev libzstd-dev libelf-dev libudev-dev libexpat1-dev libbz2-dev"

# TEST PEERS: cmocka for the unit tests, and the tools the end-to-end tests
# compare with (checksec --file, sshd -T, umockdev's libudev, rpm -qa
# --dbpath, db_dump, modprobe -c, ss -tulpn, ps -e, sudo -l, getent,
# sqlite3, jq; chronyd and rsyslogd started in a private PID namespace;
# usbguard-rule-parser and usbguard-daemon under umockdev: installing
# usbguard enables its daemon, with a policy allowing the devices present;
# systemd-journal-remote writes real journal files; iptables-legacy and nft
# load rules into a throwaway network namespace; anacron -T checks anacrontabs; rpmbuild, createrepo_c,
# modifyrepo_c, dnf and zypper for the rpm-md pending updates;
# firewall-offline-cmd lists zones in a private mount namespace; chromium
# prints the MDS/SDS view to PDF and reads the fleet page back; ssh-keygen
# -Y verify and openssl cms -verify check tenken's signatures; the history
# store is checked with sqlite3 and python3-jsonschema);
# dpkg-dev, debhelper and lintian build and check the Debian package
# (tests/e2e/deb.sh; no fakeroot: Rules-Requires-Root is no), and
# bash-completion runs its completion; ansible-core runs the playbooks in
# packaging/ansible against sshd on loopback (tests/e2e/ansible.sh);
# headless chromium renders the checklist sheet (DOM, A4 PDF, PNG) with the
# Noto CJK fonts; python3-jsonschema validates reports against docs/schema/;
# sshd instances on loopback for tenken fleet, and ansible-inventory --list
# for the Ansible INI inventory it reads; headless LibreOffice Calc
# (libreoffice-calc-nogui, ~260 MB, about 105 s to install on a loaded
# 2-core machine) converts the CSV to xlsx (tests/e2e/calc.sh);
# without them those comparisons are reported as skipped.
peers="libcmocka-dev file passwd sudo login util-linux sqlite3 jq
       checksec openssh-server umockdev rpm db5.3-util kmod python3 iproute2 procps lz4 zstd
       xz-utils libcap2-bin chrony rsyslog usbguard
       systemd-journal-remote iptables nftables anacron createrepo-c dnf zypper bzip2 firewalld
       chromium dpkg-dev debhelper lintian bash-completion ansible-core openssh-client openssl fonts-noto-cjk python3-jsonschema
       libreoffice-calc-nogui"

case "${1:-}" in
'') pkgs=$build ;;
--test) pkgs="$build $peers" ;;
*)
	echo "usage: sh install-deps.sh [--test]" >&2
	exit 2
	;;
esac

# UNPACKED PEERS (--test): NetworkManager --print-config of the Debian
# package checks tenken's merge of NetworkManager.conf (tests/e2e/nmconf.sh).
# network-manager and libndp0 are unpacked under /usr/local/lib/tenken-peers/nm,
# not installed: an installed NetworkManager starts and takes over the
# machine's network. About 4 MB, a few seconds.
unpack_peers() {
	dir=/usr/local/lib/tenken-peers/nm
	[ "${1:-}" = --test ] && [ ! -x "$dir/usr/sbin/NetworkManager" ] || return 0
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	if (cd "$tmp" && apt-get download -q network-manager libndp0 >/dev/null 2>&1); then
		$SUDO mkdir -p "$dir"
		for d in "$tmp"/*.deb; do $SUDO dpkg-deb -x "$d" "$dir"; done
	fi
	rm -rf "$tmp"
}

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	unpack_peers "${1:-}"
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends $missing
unpack_peers "${1:-}"
