#!/bin/sh
# Installs the Debian packages tenken needs to build and test. Safe to
# run again; asks apt only for what is missing.
set -eu
pkgs="build-essential pkg-config libjansson-dev libssl-dev libsqlite3-dev libcmocka-dev
      zlib1g-dev liblzma-dev liblz4-dev libzstd-dev libelf-dev libudev-dev libexpat1-dev libbz2-dev
      file passwd sudo login util-linux sqlite3 jq
      checksec openssh-server umockdev rpm db5.3-util kmod python3 iproute2 procps lz4 zstd xz-utils
      createrepo-c dnf zypper bzip2"
# The last line is the peer tools the end-to-end tests compare tenken with
# (checksec --file, sshd -T, umockdev's libudev, rpm -qa --dbpath, modprobe -c,
# ss -tulpn, ps -e; rpmbuild, createrepo_c, modifyrepo_c, dnf and zypper
# for the rpm-md pending updates);
# without them those comparisons are reported as skipped.
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends $missing
