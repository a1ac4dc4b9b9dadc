#!/bin/sh
# End-to-end: pending updates and advisories on rpm hosts against dnf
# itself (Debian packages rpm, createrepo-c, dnf; see install-deps.sh).
#
# At test time, in a mktemp directory: rpmbuild makes empty packages in
# several versions, epochs and architectures; createrepo_c makes
# repositories of them (gzip, xz, bzip2 metadata) and modifyrepo_c adds
# advisories; `rpm --root` installs older versions into roots; each root
# gets its dnf.conf and .repo files and `dnf --installroot makecache`
# fills its cache. Then for every root:
#   - tenken's updates (kind upgrade) equal the first list of
#     `dnf --installroot=ROOT --cacheonly check-update`, its obsoleted
#     records its "Obsoleting Packages" pairs;
#   - tenken's rpm_advisories equal `dnf ... updateinfo list` and, for the
#     security ones, `updateinfo list --security` (id, label, NEVRA);
#   - the same root with its primary turned into zstd, or removed so that
#     only primary.sqlite is left, gives the same updates; a truncated
#     primary is reported (repository error, pending null), never a crash.
# Without the peers each comparison prints "PASS name (skipped: reason)".
. tests/lib.sh

skip() { echo "PASS $1 (skipped: $2)"; }
for tool in rpmbuild createrepo_c modifyrepo_c dnf rpm jq python3; do
	if ! command -v "$tool" >/dev/null; then
		skip "rpm-md updates equal dnf" "$tool is not installed"
		exit 0
	fi
done

W=$TMP/w
mkdir -p "$W/home" "$W/rpmbuild/SPECS"
# Debian's rpm keeps its database in ~/.rpmdb; rpm and dnf are pointed at
# /var/lib/rpm inside the roots, where RHEL keeps it.
echo '%_dbpath /var/lib/rpm' >"$W/home/.rpmmacros"
export HOME="$W/home"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# mk NAME VERSION RELEASE ARCH EPOCH [spec lines...]: an empty package.
mk() {
	n=$1 v=$2 r=$3 a=$4 e=$5
	shift 5
	spec="$W/rpmbuild/SPECS/$n-$e-$v-$r.$a.spec"
	{
		echo "Name: $n"
		echo "Version: $v"
		echo "Release: $r"
		[ -n "$e" ] && echo "Epoch: $e"
		echo "Summary: test"
		echo "Vendor: tenken-test"
		echo "License: MIT"
		[ "$a" = noarch ] && echo "BuildArch: noarch"
		for l in "$@"; do echo "$l"; done
		echo "%description"
		echo "test"
		echo "%files"
	} >"$spec"
	t=$a
	[ "$a" = noarch ] && t=x86_64
	rpmbuild --define "_topdir $W/rpmbuild" --define '_build_id_links none' --target "$t" \
		-bb "$spec" >/dev/null 2>&1 || echo "FAIL rpmbuild $n-$v-$r.$a"
}
R=$W/rpmbuild/RPMS
pkg() { # pkg NAME-[E:]V-R.ARCH file name
	echo "$R/$2/$1.rpm"
}

mk foo 1.0 1 x86_64 ""
mk foo 1.1 1 x86_64 ""
mk foo 1.2 1 x86_64 ""
mk foo 1.0 1 i686 ""
mk foo 1.1 1 i686 ""
mk bar 1.0 1 noarch ""
mk bar 2.0 1 noarch ""
mk newbar 3.0 1 noarch "" "Obsoletes: bar < 3"
mk kernel 5.0 1 x86_64 ""
mk kernel 5.1 1 x86_64 ""
mk kernel 5.2 1 x86_64 ""
mk ep 1.0 1 x86_64 1
mk ep 2.0 1 x86_64 ""
mk ep 0.9 1 x86_64 2
mk lib 1.0 1 i686 ""
mk lib 1.1 1 x86_64 ""
mk tool 1.0 1 x86_64 ""
mk tool 1.0 2 x86_64 ""
mk tool 1.0 3 x86_64 ""
mk multi 1.0 1 x86_64 ""
mk multi 1.0 1 i686 ""
mk multi 1.5 1 noarch ""
mk old 1.0 1 x86_64 ""
mk new 2.0 1 x86_64 "" "Obsoletes: old"
mk aarch 1.0 1 x86_64 ""
mk aarch 2.0 1 aarch64 ""
for v in 1.0 1.1 2.0 3.0; do mk modpkg $v 1 noarch ""; done

# repo NAME COMPRESSION FILES...: a repository in $W/NAME.
repo() {
	d=$W/$1
	c=$2
	shift 2
	mkdir -p "$d"
	cp "$@" "$d/"
	createrepo_c -q --general-compress-type="$c" "$d" >/dev/null 2>&1 || echo "FAIL createrepo_c $d"
}

# advisories REPO FILE: add updateinfo.
advisories() {
	modifyrepo_c --mdtype=updateinfo "$2" "$W/$1/repodata" >/dev/null 2>&1 || echo "FAIL modifyrepo_c $1"
}

# A repository of everything new, in each compression.
NEWPKGS="$(pkg foo-1.1-1.x86_64 x86_64) $(pkg foo-1.2-1.x86_64 x86_64) $(pkg foo-1.1-1.i686 i686)
 $(pkg bar-2.0-1.noarch noarch) $(pkg newbar-3.0-1.noarch noarch) $(pkg kernel-5.1-1.x86_64 x86_64)
 $(pkg kernel-5.2-1.x86_64 x86_64) $(pkg ep-2.0-1.x86_64 x86_64) $(pkg ep-0.9-1.x86_64 x86_64)
 $(pkg lib-1.1-1.x86_64 x86_64) $(pkg tool-1.0-2.x86_64 x86_64) $(pkg tool-1.0-3.x86_64 x86_64)
 $(pkg multi-1.5-1.noarch noarch) $(pkg new-2.0-1.x86_64 x86_64) $(pkg aarch-2.0-1.aarch64 aarch64)"
cat >"$W/updateinfo.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="test" status="stable" type="security" version="1">
    <id>TEST-2026:0001</id><title>foo security</title><severity>Important</severity>
    <issued date="2026-01-01 00:00:00"/>
    <references>
      <reference href="https://example.invalid/1" id="CVE-2026-0001" type="cve" title="c1"/>
      <reference href="https://example.invalid/2" id="CVE-2026-0002" type="cve" title="c2"/>
      <reference href="https://example.invalid/3" id="12345" type="bugzilla" title="b"/>
    </references>
    <pkglist><collection short="t"><name>t</name>
      <package name="foo" version="1.1" release="1" epoch="0" arch="x86_64" src="foo-1.1-1.src.rpm"><filename>foo-1.1-1.x86_64.rpm</filename></package>
      <package name="foo" version="1.1" release="1" epoch="0" arch="i686" src="foo-1.1-1.src.rpm"><filename>foo-1.1-1.i686.rpm</filename></package>
    </collection></pkglist>
  </update>
  <update from="test" status="stable" type="security" version="1">
    <id>TEST-2026:0002</id><title>kernel</title><severity>Critical</severity>
    <issued date="2026-01-02 00:00:00"/>
    <references><reference href="x" id="CVE-2026-0003" type="cve" title="k"/></references>
    <pkglist><collection short="t"><name>t</name>
      <package name="kernel" version="5.1" release="1" epoch="0" arch="x86_64" src="k.src.rpm"><filename>kernel-5.1-1.x86_64.rpm</filename></package>
    </collection></pkglist>
  </update>
  <update from="test" status="stable" type="bugfix" version="1">
    <id>TEST-2026:0003</id><title>bar fix</title>
    <issued date="2026-01-03 00:00:00"/>
    <pkglist><collection short="t"><name>t</name>
      <package name="bar" version="2.0" release="1" epoch="0" arch="noarch" src="b.src.rpm"><filename>bar-2.0-1.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
  <update from="test" status="stable" type="security" version="1">
    <id>TEST-2026:0004</id><title>ep old</title><severity>Low</severity>
    <issued date="2026-01-04 00:00:00"/>
    <pkglist><collection short="t"><name>t</name>
      <package name="ep" version="0.5" release="1" epoch="1" arch="x86_64" src="e.src.rpm"><filename>ep.rpm</filename></package>
      <package name="tool" version="1.0" release="9" epoch="0" arch="x86_64" src="t.src.rpm"><filename>tool.rpm</filename></package>
    </collection></pkglist>
  </update>
  <update from="test" status="stable" type="enhancement" version="1">
    <id>TEST-2026:0005</id><title>multi</title>
    <pkglist><collection short="t"><name>t</name>
      <package name="multi" version="1.5" release="1" epoch="0" arch="noarch" src="m.src.rpm"><filename>multi.rpm</filename></package>
      <package name="lib" version="1.1" release="1" epoch="0" arch="i686" src="l.src.rpm"><filename>lib.rpm</filename></package>
    </collection></pkglist>
  </update>
</updates>
EOF
for c in gz xz bz2; do
	# shellcheck disable=SC2086
	repo "main-$c" "$c" $NEWPKGS
	advisories "main-$c" "$W/updateinfo.xml"
done
# Modules: stream 1 (the default) ships modpkg 1.1, stream 2 modpkg 2.0;
# modpkg 3.0 is outside any module ("ursine").
repo mods gz "$(pkg modpkg-1.1-1.noarch noarch)" "$(pkg modpkg-2.0-1.noarch noarch)" "$(pkg modpkg-3.0-1.noarch noarch)"
for st in 1 2; do
	v=1.1
	[ $st = 2 ] && v=2.0
	cat <<EOF
---
document: modulemd
version: 2
data:
  name: mod
  stream: "$st"
  version: 20260101000000
  context: 00000000
  arch: x86_64
  summary: test module
  description: >-
    a test module
  license:
    module:
    - MIT
  profiles:
    default:
      rpms:
      - modpkg
  artifacts:
    rpms:
    - modpkg-0:$v-1.noarch
...
EOF
done >"$W/modules.yaml"
cat >>"$W/modules.yaml" <<'EOF'
---
document: modulemd-defaults
version: 1
data:
  module: mod
  stream: "1"
  profiles:
    1: [default]
...
EOF
modifyrepo_c --mdtype=modules "$W/modules.yaml" "$W/mods/repodata" >/dev/null 2>&1 || echo "FAIL modifyrepo_c modules"
cat >"$W/modui.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="test" status="stable" type="security" version="1">
    <id>MOD-1</id><title>mod 1</title><severity>Moderate</severity>
    <pkglist><collection short="m1"><name>m1</name>
      <module name="mod" stream="1" version="20260101000000" context="00000000" arch="x86_64"/>
      <package name="modpkg" version="1.1" release="1" epoch="0" arch="noarch" src="m.src.rpm"><filename>modpkg-1.1-1.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
  <update from="test" status="stable" type="security" version="1">
    <id>MOD-2</id><title>mod 2</title><severity>Critical</severity>
    <pkglist><collection short="m2"><name>m2</name>
      <module name="mod" stream="2" version="20260101000000" context="00000000" arch="x86_64"/>
      <package name="modpkg" version="2.0" release="1" epoch="0" arch="noarch" src="m.src.rpm"><filename>modpkg-2.0-1.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
</updates>
EOF
advisories mods "$W/modui.xml"
# Priorities: "fast" (priority 10) has foo 1.1 only; main has 1.2.
repo fast gz "$(pkg foo-1.1-1.x86_64 x86_64)"

INSTALL_ALL="$(pkg foo-1.0-1.x86_64 x86_64) $(pkg foo-1.0-1.i686 i686) $(pkg bar-1.0-1.noarch noarch)
 $(pkg kernel-5.0-1.x86_64 x86_64) $(pkg ep-1:1.0-1.x86_64 x86_64) $(pkg lib-1.0-1.i686 i686)
 $(pkg tool-1.0-1.x86_64 x86_64) $(pkg multi-1.0-1.x86_64 x86_64) $(pkg multi-1.0-1.i686 i686)
 $(pkg old-1.0-1.x86_64 x86_64) $(pkg aarch-1.0-1.x86_64 x86_64)"
INSTALL_ALL=$(echo "$INSTALL_ALL" | sed 's|ep-1:1.0|ep-1.0|')

# root NAME "RPMS" DNFCONF REPOFILE: install, configure, makecache.
root() {
	rt=$W/root-$1
	mkdir -p "$rt/etc/yum.repos.d" "$rt/etc/dnf"
	# shellcheck disable=SC2086
	rpm --root "$rt" -i --nodeps --ignorearch --noscripts $2 >/dev/null 2>&1 || echo "FAIL rpm -i $1"
	printf '%s\n' "$3" >"$rt/etc/dnf/dnf.conf"
	printf '%s\n' "$4" >"$rt/etc/yum.repos.d/test.repo"
	dnf -q --installroot="$rt" --releasever=9 makecache \
		>/dev/null 2>"$W/err-$1" || echo "FAIL dnf makecache $1: $(head -3 "$W/err-$1")"
}

MAINCONF='[main]
gpgcheck=0
installonly_limit=3'
repofile() { # repofile REPO [extra lines]
	printf '[%s]\nname=%s\nbaseurl=file://%s/%s\ngpgcheck=0\n' "$1" "$1" "$W" "$1"
	shift
	for l in "$@"; do echo "$l"; done
}

# dnf's answers, normalised to sorted lines.
dnf_updates() { # -> "U name.arch evr repo" and "O new.arch evr repo > old.arch evr"
	dnf --installroot="$1" --releasever=9 --cacheonly \
		check-update 2>/dev/null | awk '
		/^Obsoleting Packages/ { obs = 1; next }
		NF == 0 { next }
		/^Last metadata/ { next }
		!obs && NF == 3 { print "U " $1 " " $2 " " $3; next }
		obs && /^[^ ]/ && NF == 3 { new = $1 " " $2 " " $3; next }
		obs && /^ / && NF == 3 { print "O " new " > " $1 " " $2 }' | LC_ALL=C sort
}
dnf_advisories() { # ROOT [--security] -> "id label nevra"
	dnf --installroot="$1" --releasever=9 --cacheonly \
		updateinfo list $2 2>/dev/null | awk 'NF == 3 && $1 != "Last" { print $1 " " $2 " " $3 }' |
		LC_ALL=C sort
}
tenken_json() {
	"$TENKEN" inventory --root "$1" --only updates --now "$NOW" >"$2" 2>"$W/tenken-err" ||
		echo "FAIL tenken inventory $1: $(head -3 "$W/tenken-err")"
}
tenken_updates() {
	jq -r '(.inventory.updates // [])[] |
		if .kind == "upgrade" then .suites[] as $r | "U \(.name).\(.architecture) \(.candidate_version) \($r)"
		elif .kind == "obsoleted" then "O \(.candidate_name).\(.architecture) \(.candidate_version) \(.suites[0]) > \(.name).\(.installed_architecture) \(.installed_version)"
		else empty end' "$1" | LC_ALL=C sort
}
tenken_advisories() { # JSON [security]
	jq -r --arg sec "$2" '(.inventory.rpm_advisories // [])[] | select($sec == "" or .security) |
		(if .type == "security" then ((.severity // "Unknown") + "/Sec.")
		 else .type end) as $l |
		"\(.id) \($l) \(.name)-\(.fixed_version).\(.architecture)"' "$1" | LC_ALL=C sort
}

ROOTS=0
PAIRS=0
AGREE=0
# compare NAME WHAT EXPECTED GOT
compare() {
	n=$(wc -l <"$3")
	PAIRS=$((PAIRS + n))
	if cmp -s "$3" "$4"; then
		AGREE=$((AGREE + n))
		pass "$1: $2 equal dnf ($n lines)"
	else
		fail "$1: $2 equal dnf" "$(diff "$3" "$4" | head -20)"
	fi
}

check_root() { # NAME
	rt=$W/root-$1
	ROOTS=$((ROOTS + 1))
	dnf_updates "$rt" >"$W/dnf-u-$1"
	dnf_advisories "$rt" "" >"$W/dnf-a-$1"
	if [ "$1" = all-gz ]; then
		dnf_advisories "$rt" --security >"$W/dnf-s-$1"
	else
		grep '/Sec\. ' "$W/dnf-a-$1" >"$W/dnf-s-$1"
	fi
	tenken_json "$rt" "$W/t-$1.json"
	tenken_updates "$W/t-$1.json" >"$W/t-u-$1"
	tenken_advisories "$W/t-$1.json" "" >"$W/t-a-$1"
	tenken_advisories "$W/t-$1.json" sec >"$W/t-s-$1"
	compare "$1" "check-update" "$W/dnf-u-$1" "$W/t-u-$1"
	compare "$1" "updateinfo list" "$W/dnf-a-$1" "$W/t-a-$1"
	compare "$1" "updateinfo list --security" "$W/dnf-s-$1" "$W/t-s-$1"
}

# 1-3: everything, one root per compression.
for c in gz xz bz2; do
	root "all-$c" "$INSTALL_ALL" "$MAINCONF" "$(repofile "main-$c")"
	check_root "all-$c"
done
# 4: excludes in dnf.conf and in the repository, includepkgs.
root excl "$INSTALL_ALL" "$MAINCONF
exclude=foo*" "$(repofile main-gz 'excludepkgs=bar newbar,kernel-5.2*')"
check_root excl
root incl "$INSTALL_ALL" "$MAINCONF" "$(repofile main-gz 'includepkgs=foo ep*')"
check_root incl
# 5: priorities: the better repository wins even with an older version.
root prio "$INSTALL_ALL" "$MAINCONF" "$(repofile main-gz 'priority=50')
$(repofile fast 'priority=10')"
check_root prio
# 6: obsoletes off; several kernels installed (installonly).
root kernels "$(pkg kernel-5.0-1.x86_64 x86_64) $(pkg kernel-5.1-1.x86_64 x86_64) $(pkg bar-1.0-1.noarch noarch) $(pkg old-1.0-1.x86_64 x86_64)" \
	"$MAINCONF
obsoletes=0" "$(repofile main-xz)"
check_root kernels
# 7: multilib: only i686 packages installed.
root multilib "$(pkg foo-1.0-1.i686 i686) $(pkg lib-1.0-1.i686 i686) $(pkg multi-1.0-1.i686 i686)" \
	"$MAINCONF" "$(repofile main-bz2)"
check_root multilib
# 8-10: module streams: the default, another enabled, the module disabled.
for m in default enabled2 disabled; do
	root "mod-$m" "$(pkg modpkg-1.0-1.noarch noarch) $(pkg foo-1.0-1.x86_64 x86_64)" "$MAINCONF" "$(repofile mods)"
done
mkdir -p "$W/root-mod-enabled2/etc/dnf/modules.d" "$W/root-mod-disabled/etc/dnf/modules.d"
printf '[mod]\nname=mod\nstream=2\nprofiles=\nstate=enabled\n' >"$W/root-mod-enabled2/etc/dnf/modules.d/mod.module"
printf '[mod]\nname=mod\nstream=\nprofiles=\nstate=disabled\n' >"$W/root-mod-disabled/etc/dnf/modules.d/mod.module"
for m in default enabled2 disabled; do
	check_root "mod-$m"
done
# 11: $basearch in the URL (the cache directory's hash is of the substituted URL).
mkdir -p "$W/arch-x86_64"
cp -r "$W/main-gz/." "$W/arch-x86_64/"
root basearch "$INSTALL_ALL" "$MAINCONF" "$(printf '[arch]\nname=a\nbaseurl=file://%s/arch-$basearch\ngpgcheck=0\n' "$W")"
check_root basearch

# Every compression and the SQLite form give the same answer as gzip XML.
rt=$W/root-all-gz
tenken_updates "$W/t-all-gz.json" >"$W/ref"
cache=$(ls -d "$rt"/var/cache/dnf/main-gz-*/repodata)
prim=$(ls "$cache"/*-primary.xml.gz)
# zstd: recompress the cached primary and rewrite repomd.xml's entry.
if command -v zstd >/dev/null; then
	cp -a "$rt" "$W/root-zstd"
	zc=$(ls -d "$W"/root-zstd/var/cache/dnf/main-gz-*/repodata)
	zp=$(ls "$zc"/*-primary.xml.gz)
	gzip -dc "$zp" | zstd -q -o "${zp%.gz}.zst"
	python3 - "$zc/repomd.xml" "$zp" "${zp%.gz}.zst" <<'EOF'
import hashlib, os, sys
md, old, new = sys.argv[1:]
s = open(md).read()
oldsum = hashlib.sha256(open(old, 'rb').read()).hexdigest()
newsum = hashlib.sha256(open(new, 'rb').read()).hexdigest()
s = s.replace(os.path.basename(old), os.path.basename(new))
s = s.replace('>' + oldsum + '<', '>' + newsum + '<')
open(md, 'w').write(s)
os.unlink(old)
EOF
	tenken_json "$W/root-zstd" "$W/t-zstd.json"
	tenken_updates "$W/t-zstd.json" >"$W/got"
	if [ -s "$W/ref" ] && cmp -s "$W/ref" "$W/got" && [ "$(jq -r '.inventory.rpm_repos[0].compression' "$W/t-zstd.json")" = zstd ]; then
		pass "zstd primary gives the same updates"
	else
		fail "zstd primary gives the same updates" "$(diff "$W/ref" "$W/got" | head)" "$(jq -c '.inventory.rpm_repos' "$W/t-zstd.json")"
	fi
else
	skip "zstd primary gives the same updates" "zstd is not installed"
fi
# SQLite: the XML primary gone from the cache, createrepo_c's primary.sqlite.bz2 beside.
cp -a "$rt" "$W/root-sqlite"
sc=$(ls -d "$W"/root-sqlite/var/cache/dnf/main-gz-*/repodata)
rm -f "$sc"/*-primary.xml.gz
cp "$W"/main-gz/repodata/*-primary.sqlite.* "$sc/"
tenken_json "$W/root-sqlite" "$W/t-sqlite.json"
tenken_updates "$W/t-sqlite.json" >"$W/got"
if [ -s "$W/ref" ] && cmp -s "$W/ref" "$W/got" && [ "$(jq -r '.inventory.rpm_repos[0].primary_format' "$W/t-sqlite.json")" = sqlite ]; then
	pass "primary.sqlite gives the same updates"
else
	fail "primary.sqlite gives the same updates" "$(diff "$W/ref" "$W/got" | head)" "$(jq -c '.inventory.rpm_repos' "$W/t-sqlite.json")"
fi
# yum's layout (RHEL 7): /var/cache/yum/<basearch>/<releasever>/<id>/.
mkdir -p "$W/root-yum/var/cache/yum/x86_64/7/main-gz" "$W/root-yum/etc/yum.repos.d"
cp -a "$rt/var/lib" "$W/root-yum/var/"
printf '[main]\ngpgcheck=0\n' >"$W/root-yum/etc/yum.conf"
repofile main-gz >"$W/root-yum/etc/yum.repos.d/test.repo"
cp "$sc"/* "$W/root-yum/var/cache/yum/x86_64/7/main-gz/"
printf 'NAME="CentOS Linux"\nVERSION_ID="7"\n' >"$W/root-yum/etc/os-release"
tenken_json "$W/root-yum" "$W/t-yum.json"
tenken_updates "$W/t-yum.json" >"$W/got"
if [ -s "$W/ref" ] && cmp -s "$W/ref" "$W/got"; then
	pass "yum's cache layout gives the same updates"
else
	fail "yum's cache layout gives the same updates" "$(diff "$W/ref" "$W/got" | head)" "$(jq -c '.inventory.rpm_repos' "$W/t-yum.json")"
fi

# Corrupt metadata: truncated primary, bad checksum; reported, never a crash.
cp -a "$rt" "$W/root-trunc"
tp=$(ls "$W"/root-trunc/var/cache/dnf/main-gz-*/repodata/*-primary.xml.gz)
head -c 300 "$tp" >"$tp.tmp" && mv "$tp.tmp" "$tp"
tenken_json "$W/root-trunc" "$W/t-trunc.json"
if [ "$(jq -r '.inventory.update_summary.pending' "$W/t-trunc.json")" = null ] &&
	jq -e '.inventory.rpm_repos[0].error | test("checksum")' "$W/t-trunc.json" >/dev/null; then
	pass "truncated primary: repository error, pending unknown"
else
	fail "truncated primary: repository error, pending unknown" "$(jq -c '.inventory.update_summary, .inventory.rpm_repos' "$W/t-trunc.json")"
fi
# The same truncation with repomd.xml agreeing (as if written so): decoder error.
python3 - "$(dirname "$tp")/repomd.xml" "$prim" "$tp" <<'EOF'
import hashlib, sys
md, old, new = sys.argv[1:]
s = open(md).read()
s = s.replace('>' + hashlib.sha256(open(old, 'rb').read()).hexdigest() + '<',
              '>' + hashlib.sha256(open(new, 'rb').read()).hexdigest() + '<')
open(md, 'w').write(s)
EOF
tenken_json "$W/root-trunc" "$W/t-trunc2.json"
if [ "$(jq -r '.inventory.update_summary.pending' "$W/t-trunc2.json")" = null ] &&
	jq -e '.inventory.rpm_repos[0].error | test("truncated|corrupt")' "$W/t-trunc2.json" >/dev/null; then
	pass "truncated primary with a matching checksum: decoder error, pending unknown"
else
	fail "truncated primary with a matching checksum: decoder error" "$(jq -c '.inventory.rpm_repos' "$W/t-trunc2.json")"
fi
# No cache at all (makecache never ran): missing, pending unknown.
mkdir -p "$W/root-nocache/etc/yum.repos.d" "$W/root-nocache/etc/dnf"
cp -a "$rt/var/lib" "$W/root-nocache/var-lib-tmp" && mkdir -p "$W/root-nocache/var" &&
	mv "$W/root-nocache/var-lib-tmp" "$W/root-nocache/var/lib"
cp "$rt/etc/dnf/dnf.conf" "$W/root-nocache/etc/dnf/" && cp "$rt/etc/yum.repos.d/test.repo" "$W/root-nocache/etc/yum.repos.d/"
tenken_json "$W/root-nocache" "$W/t-nocache.json"
if [ "$(jq -c '[.inventory.update_summary.pending, .inventory.update_summary.lists_missing, .inventory.update_summary.lists_age_days]' "$W/t-nocache.json")" = '[null,1,null]' ]; then
	pass "no metadata cache: missing, pending and age unknown"
else
	fail "no metadata cache: missing, pending and age unknown" "$(jq -c '.inventory.update_summary' "$W/t-nocache.json")"
fi

echo "PASS dnf comparison: $ROOTS roots, $AGREE of $PAIRS lines agree (check-update, updateinfo list, --security)"

# ---- SUSE: zypper --root ROOT list-updates / list-patches ----
if ! command -v zypper >/dev/null; then
	skip "rpm-md updates equal zypper" "zypper is not installed"
	exit 0
fi
ZROOTS=0
ZPAIRS=0
ZAGREE=0
zcompare() {
	n=$(wc -l <"$3")
	ZPAIRS=$((ZPAIRS + n))
	if cmp -s "$3" "$4"; then
		ZAGREE=$((ZAGREE + n))
		pass "$1: $2 equal zypper ($n lines)"
	else
		fail "$1: $2 equal zypper" "$(diff "$3" "$4" | head -20)"
	fi
}
# zroot NAME "RPMS" REPOFILE-TEXT
zroot() {
	rt=$W/zroot-$1
	mkdir -p "$rt/etc/zypp/repos.d"
	# shellcheck disable=SC2086
	rpm --root "$rt" -i --nodeps --ignorearch --noscripts $2 >/dev/null 2>&1 || echo "FAIL rpm -i $1"
	printf '%s\n' "$3" >"$rt/etc/zypp/repos.d/test.repo"
	printf 'NAME="SLES"\nVERSION_ID="15.5"\n' >"$rt/etc/os-release"
	zypper --non-interactive --root "$rt" refresh >/dev/null 2>"$W/zerr-$1" ||
		echo "FAIL zypper refresh $1: $(head -3 "$W/zerr-$1")"
}
zrepofile() { # ALIAS [extra lines]
	printf '[%s]\nname=%s\nenabled=1\nautorefresh=0\nbaseurl=file://%s/%s\ntype=rpm-md\ngpgcheck=0\n' "$1" "$1" "$W" "$1"
	shift
	for l in "$@"; do echo "$l"; done
}
zcheck() {
	rt=$W/zroot-$1
	ZROOTS=$((ZROOTS + 1))
	zypper --non-interactive --root "$rt" --no-refresh list-updates 2>/dev/null |
		awk -F'|' 'NF >= 6 && $1 !~ /^S / && $1 !~ /^-/ { gsub(/ /, ""); print $2 " " $3 " " $4 " " $5 " " $6 }' |
		LC_ALL=C sort >"$W/z-u-$1"
	zypper --non-interactive --root "$rt" --no-refresh list-patches 2>/dev/null |
		awk -F'|' 'NF >= 7 && $1 !~ /^Repository/ && $1 !~ /^-/ { for (i = 1; i <= NF; i++) gsub(/^ +| +$/, "", $i); print $1 " " $2 " " $3 " " $4 " " $6 }' |
		LC_ALL=C sort >"$W/z-p-$1"
	tenken_json "$rt" "$W/tz-$1.json"
	jq -r '(.inventory.updates // [])[] | select(.kind == "upgrade") |
		"\(.suites[0]) \(.name) \(.installed_version) \(.candidate_version) \(.architecture)"' \
		"$W/tz-$1.json" | LC_ALL=C sort >"$W/tz-u-$1"
	jq -r '(.inventory.rpm_advisories // [])[] |
		(if (.type == "enhancement" or .type == "optional" or .type == "feature") then "optional" else "needed" end) as $st |
		"\(.repo) \(.id) \(.type) \((.severity // "") | ascii_downcase) \($st)"' \
		"$W/tz-$1.json" | LC_ALL=C sort -u >"$W/tz-p-$1"
	zcompare "$1" "list-updates" "$W/z-u-$1" "$W/tz-u-$1"
	zcompare "$1" "list-patches" "$W/z-p-$1" "$W/tz-p-$1"
}
zroot all "$INSTALL_ALL" "$(zrepofile main-gz)"
zcheck all
zroot multilib "$(pkg foo-1.0-1.i686 i686) $(pkg lib-1.0-1.i686 i686) $(pkg multi-1.0-1.i686 i686)" "$(zrepofile main-xz)"
zcheck multilib
zroot prio "$INSTALL_ALL" "$(zrepofile main-bz2 'priority=50')
$(zrepofile fast 'priority=10')"
zcheck prio
echo "PASS zypper comparison: $ZROOTS roots, $ZAGREE of $ZPAIRS lines agree (list-updates, list-patches)"
