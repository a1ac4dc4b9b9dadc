#!/bin/sh
# --cache-dir: a repeat scan serves what did not change and gives the same
# report as a cold scan; a touched file, or one whose content changed with
# its size and mtime put back (its ctime still moves), is read again; a
# cache directory others can write is refused (exit 2, ja and en); a
# corrupt cache file is ignored with a message and rewritten; without the
# option nothing is written. On a copy of the executables-good fixture,
# whose executables are hashed and parsed (the items the cache holds),
# and of patches-bad, whose apt lists' offers the updates probe keeps.
. tests/lib.sh
NOW=2026-11-22T00:00:00Z
R=$TMP/root
C=$TMP/cache
cp -a tests/fixtures/executables-good "$R"
rm -f "$R/expect" "$R/expect-not" "$R/expected.json" "$R/args"
ARGS="--root $R --now $NOW --only system,processes,services,executables --format json"
INV=.inventory.executables # what of the inventory the scans compare

# scan OUT [OPTIONS...]: the report in OUT.json, its normalized findings
# and inventory part INV in OUT.cmp, stderr in OUT.err.
scan() {
	out=$1
	shift
	# shellcheck disable=SC2086 # ARGS is split on purpose
	TENKEN_CACHE_STATS=1 "$TENKEN" scan $ARGS "$@" >"$TMP/$out.json" 2>"$TMP/$out.err"
	echo $? >"$TMP/$out.status"
	{
		"$JSONNORM" --findings "$TMP/$out.json"
		jq -S "$INV"', [.scan.probes[] | del(.duration_ms)]' "$TMP/$out.json"
	} >"$TMP/$out.cmp" 2>&1
}
same() { # NAME A B: the two scans agree
	if cmp -s "$TMP/$2.cmp" "$TMP/$3.cmp" && cmp -s "$TMP/$2.status" "$TMP/$3.status"; then
		pass "$1"
	else
		fail "$1" "$(diff "$TMP/$2.cmp" "$TMP/$3.cmp" | head -20)"
	fi
}
stats() { # the "served, missed, stored" numbers of scan OUT
	sed -n 's/.*cache: \([0-9]*\) served, \([0-9]*\) missed, \([0-9]*\) stored.*/\1 \2 \3/p' "$TMP/$1.err"
}

# Without the option: nothing written in the root, no cache directory.
find "$R" -printf '%p %s %T@ %C@\n' | sort >"$TMP/before.lst"
scan cold
find "$R" -printf '%p %s %T@ %C@\n' | sort >"$TMP/after.lst"
if cmp -s "$TMP/before.lst" "$TMP/after.lst" && [ ! -e "$C" ] && ! grep -q 'cache:' "$TMP/cold.err"; then
	pass "without --cache-dir nothing is written"
else
	fail "without --cache-dir nothing is written" "$(diff "$TMP/before.lst" "$TMP/after.lst" | head)"
fi
grep -q '"md5_status": "ok"' "$TMP/cold.cmp" && pass "the cold scan hashed executables" ||
	fail "the cold scan hashed executables" "$(head -40 "$TMP/cold.cmp")"

scan first --cache-dir "$C"
same "the scan that fills the cache equals the cold scan" cold first
set -- $(stats first)
[ "${3:-0}" -gt 0 ] && pass "the first scan stores items ($3)" || fail "the first scan stores items" "$(cat "$TMP/first.err")"
f=$(ls "$C"/scan-*.cache 2>/dev/null | head -1)
[ -n "$f" ] && [ "$(stat -c %a "$f")" = 600 ] && [ -z "$(ls -A "$C" | grep -v '^scan-.*\.cache$')" ] &&
	pass "one cache file, mode 0600, no temporary left" || fail "one cache file, mode 0600, no temporary left" "$(ls -la "$C")"
find "$R" -printf '%p %s %T@ %C@\n' | sort >"$TMP/after.lst"
cmp -s "$TMP/before.lst" "$TMP/after.lst" && pass "the cache is not written in the scanned root" ||
	fail "the cache is not written in the scanned root"

scan repeat --cache-dir "$C"
same "a repeat scan gives the cold scan's report" cold repeat
set -- $(stats repeat)
[ "${1:-0}" -gt 0 ] && [ "${2:-1}" -eq 0 ] && pass "the repeat scan is served from the cache ($1 items)" ||
	fail "the repeat scan is served from the cache" "$(cat "$TMP/repeat.err")"

# Same size, mtime put back: only the ctime says it changed.
exe=$R/usr/sbin/gooddaemon
touch -r "$exe" "$TMP/stamp"
size=$(stat -c %s "$exe")
printf 'X' | dd of="$exe" bs=1 seek=$((size - 2)) conv=notrunc 2>/dev/null
touch -r "$TMP/stamp" "$exe"
[ "$(stat -c %s "$exe")" = "$size" ] || fail "the edit kept the size"
scan edited-cold
scan edited --cache-dir "$C"
same "a content change with size and mtime restored is read again" edited-cold edited
grep -q '"md5_status": "modified"' "$TMP/edited.cmp" && pass "the edited executable is modified" ||
	fail "the edited executable is modified" "$(head -60 "$TMP/edited.cmp")"

touch "$R/var/lib/dpkg/info/helper.md5sums"
scan touched --cache-dir "$C"
set -- $(stats touched)
[ "${2:-0}" -gt 0 ] && pass "touching a package's md5sums invalidates its items ($2 missed)" ||
	fail "touching a package's md5sums invalidates its items" "$(cat "$TMP/touched.err")"
same "after touch the report is the cold scan's" edited-cold touched

# A corrupt file: ignored with a message, the scan is the cold one, and
# the file is written anew.
printf 'x' | dd of="$f" bs=1 seek=200 conv=notrunc 2>/dev/null
scan corrupt --cache-dir "$C"
grep -q 'ignoring .*corrupt' "$TMP/corrupt.err" && pass "a corrupt cache file is ignored with a message" ||
	fail "a corrupt cache file is ignored with a message" "$(cat "$TMP/corrupt.err")"
same "a corrupt cache file changes nothing in the report" edited-cold corrupt
scan after-corrupt --cache-dir "$C"
set -- $(stats after-corrupt)
[ "${1:-0}" -gt 0 ] && ! grep -q ignoring "$TMP/after-corrupt.err" && pass "the corrupt file was replaced" ||
	fail "the corrupt file was replaced" "$(cat "$TMP/after-corrupt.err")"
printf 'tenken-cache 999 x 0\n' >"$f"
scan old-format --cache-dir "$C"
grep -q 'ignoring .*another tenken version' "$TMP/old-format.err" && pass "another format is ignored" ||
	fail "another format is ignored" "$(cat "$TMP/old-format.err")"

# Directories others can write.
chmod 0777 "$C"
expect_status "a world-writable cache directory is refused" 2 "$TENKEN" scan $ARGS --cache-dir "$C"
expect_grep "the refusal says why (en)" "--cache-dir .*refused: not owned by the scanning user or writable by others" "$TMP/err"
expect_status "the refusal in Japanese" 2 "$TENKEN" scan $ARGS --lang ja --cache-dir "$C"
expect_grep "the refusal says why (ja)" "他者が書き込める" "$TMP/err"
chmod 0700 "$C"
mkdir -m 0775 "$TMP/gw"
chmod 0775 "$TMP/gw"
expect_status "a cache directory under a group-writable directory is refused" 2 \
	"$TENKEN" scan $ARGS --cache-dir "$TMP/gw/cache"
expect_grep "the refusal names the directory above" "directory above it .*\\($TMP/gw\\)" "$TMP/err"
[ ! -e "$TMP/gw/cache" ] && pass "nothing is created in a refused place" || fail "nothing is created in a refused place"
mkdir -m 1777 "$TMP/sticky"
chmod 1777 "$TMP/sticky"
expect_status "a root-owned sticky directory above is accepted" 1 "$TENKEN" scan $ARGS --cache-dir "$TMP/sticky/c"

# apt's lists (the updates probe keeps each list's offers): a copy of the
# patches-bad fixture, its security list stored uncompressed so that one
# candidate version can be edited in place.
R=$TMP/aptroot
C=$TMP/aptcache
cp -a tests/fixtures/patches-bad "$R"
rm -f "$R/expect" "$R/expect-not" "$R/expected.json" "$R/args"
L=$R/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages
xz -d "$L.xz"
ARGS="--root $R --now 2027-01-25T00:00:00Z --only system,packages,updates --format json"
INV='(.inventory | {updates, apt_sources, apt_lists, update_summary, update_history})'
scan apt-cold
scan apt-first --cache-dir "$C"
set -- $(stats apt-first)
[ "${2:-0}" -eq 5 ] && [ "${3:-0}" -eq 5 ] && pass "apt lists: the first scan misses and stores three lists and two logs" ||
	fail "apt lists: the first scan misses and stores three lists and two logs" "$(cat "$TMP/apt-first.err")"
scan apt-repeat --cache-dir "$C"
same "apt lists: a repeat scan gives the cold scan's report" apt-cold apt-repeat
set -- $(stats apt-repeat)
[ "${1:-0}" -eq 5 ] && [ "${2:-1}" -eq 0 ] && pass "apt lists: the three lists and two logs are served from the cache" ||
	fail "apt lists: the three lists and two logs are served from the cache" "$(cat "$TMP/apt-repeat.err")"
grep -q '"candidate_version": "2026f-0+deb12u1"' "$TMP/apt-repeat.cmp" &&
	pass "apt lists: the security list's tzdata is the candidate" ||
	fail "apt lists: the security list's tzdata is the candidate" "$(head -40 "$TMP/apt-repeat.cmp")"
# 2026f -> 2026g in place; size and mtime put back.
touch -r "$L" "$TMP/stamp"
off=$(grep -abo 'Version: 2026f-0+deb12u1' "$L" | cut -d: -f1)
printf 'g' | dd of="$L" bs=1 seek=$((off + 13)) conv=notrunc 2>/dev/null
touch -r "$TMP/stamp" "$L"
scan apt-edited-cold
scan apt-edited --cache-dir "$C"
same "apt lists: a list changed with size and mtime restored is read again" apt-edited-cold apt-edited
grep -q '"candidate_version": "2026g-0+deb12u1"' "$TMP/apt-edited.cmp" &&
	pass "apt lists: the edited candidate is reported" ||
	fail "apt lists: the edited candidate is reported" "$(grep -A3 tzdata "$TMP/apt-edited.cmp")"
# apt itself on the edited root (read-only: apt -o Dir=, caches off) names
# the same updates as the cached scan.
if command -v apt >/dev/null; then
	cp -a "$R" "$TMP/aptcopy"
	mkdir -p "$TMP/aptcopy/var/lib/apt/lists/partial" "$TMP/aptcopy/var/cache/apt/archives/partial"
	apt -o Dir="$TMP/aptcopy" -o Dir::State::status="$TMP/aptcopy/var/lib/dpkg/status" \
		-o Debug::NoLocking=1 -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		list --upgradable 2>/dev/null |
		sed -n 's|^\([^/]*\)/[^ ]* \([^ ]*\) .*upgradable from: \([^]]*\)\]$|\1 \2 \3|p' | sort >"$TMP/apt.txt"
	jq -r '.inventory.updates[] | "\(.name) \(.candidate_version) \(.installed_version)"' \
		"$TMP/apt-edited.json" | sort >"$TMP/tk.txt"
	if [ -s "$TMP/apt.txt" ] && cmp -s "$TMP/apt.txt" "$TMP/tk.txt"; then
		pass "apt lists: the cached scan's updates equal apt list --upgradable ($(wc -l <"$TMP/apt.txt"))"
	else
		fail "apt lists: the cached scan's updates equal apt list --upgradable" "$(diff "$TMP/apt.txt" "$TMP/tk.txt" | head)"
	fi
else
	pass "apt lists: the cached scan's updates equal apt list --upgradable (skipped: no apt here)"
fi
set -- $(stats apt-edited)
[ "${1:-0}" -eq 4 ] && [ "${3:-0}" -eq 1 ] && pass "apt lists: only the edited list is read again" ||
	fail "apt lists: only the edited list is read again" "$(cat "$TMP/apt-edited.err")"
# A new run in apt's history: its time is the cached scan's too (the
# ages are computed at scan time from the logs' times, never kept).
printf 'Start-Date: 2027-01-20  03:00:01\nCommandline: apt-get upgrade -y\nUpgrade: jq:amd64 (1.6-2.1+deb12u1, 1.6-2.1+deb12u2)\nEnd-Date: 2027-01-20  03:00:09\n\n' \
	>>"$R/var/log/apt/history.log"
scan apt-log-cold
scan apt-log --cache-dir "$C"
same "apt history: a new run in the log is read again" apt-log-cold apt-log
grep -q '"last_apt_run": "2027-01-20T03:00:01Z"' "$TMP/apt-log.cmp" && grep -q '"last_apt_run_days": 4' "$TMP/apt-log.cmp" &&
	pass "apt history: the new run and its age are reported" ||
	fail "apt history: the new run and its age are reported" "$(grep -A2 last_apt "$TMP/apt-log.cmp")"
# A list that cannot be read is never kept: every scan says so again.
G=$R/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.gz
head -c 100 "$G" >"$TMP/short.gz"
cat "$TMP/short.gz" >"$G"
scan apt-bad-cold
scan apt-bad1 --cache-dir "$C"
scan apt-bad2 --cache-dir "$C"
same "apt lists: a corrupt list, first cached scan" apt-bad-cold apt-bad1
same "apt lists: a corrupt list, repeat cached scan" apt-bad-cold apt-bad2
grep -q 'corrupt or truncated' "$TMP/apt-bad2.cmp" && pass "apt lists: the repeat scan reports the corrupt list again" ||
	fail "apt lists: the repeat scan reports the corrupt list again" "$(grep -i -B2 -A2 corrupt "$TMP/apt-bad2.cmp")"
