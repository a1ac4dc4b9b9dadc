#!/bin/sh
# End-to-end check of wtmp's rotations (wtmp.1, wtmp.2.gz, wtmp.3.xz,
# dateext names, zstd) against util-linux last(1): records written with
# glibc's own struct utmp (tests/tools/mkrecords), compressed with the
# real gzip/xz/zstd as logrotate would, and for every account of the
# root the newest login tenken reports must be the newest `last -f`
# prints over the decompressed files (last reads no compressed file), and
# an account last never saw must have no login in tenken either. The
# oldest record of each file must be where `last` says "wtmp begins".
. tests/lib.sh

NOW=2026-11-22T00:00:00Z
MK=$B/tools/mkrecords
for t in last gzip xz zstd jq; do
	command -v $t >/dev/null || {
		echo "PASS wtmp rotations (skipped: $t missing)"
		exit 0
	}
done
[ -x "$MK" ] || {
	fail "wtmp rotations" "$MK is not built (make $MK)"
	exit 0
}
export TZ=UTC LC_ALL=C

# newroot NAME: a root with accounts and an empty /var/log.
newroot() {
	R=$TMP/$1
	mkdir -p "$R/etc" "$R/var/log"
	cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
taro:x:1000:1000::/home/taro:/bin/bash
hanako:x:1001:1001::/home/hanako:/bin/bash
jiro:x:1002:1002::/home/jiro:/bin/bash
saburo:x:1003:1003::/home/saburo:/bin/bash
shiro:x:1004:1004::/home/shiro:/bin/bash
EOF
	: >"$R/etc/group"
}

# rot FILE COMP USER TIME... : wtmp records (a reboot first) written to
# FILE, then compressed by COMP (none, gzip, xz, zstd) into FILE.SUFFIX.
rot() {
	f=$1 comp=$2 first=$4
	shift 2
	args="boot reboot ~ 6.1.0-18-amd64 $((first - 60))"
	while [ $# -gt 1 ]; do
		args="$args user $1 pts/1 192.0.2.$(($2 % 200)) $2"
		shift 2
	done
	# shellcheck disable=SC2086
	"$MK" wtmp "$f" $args || return 1
	case $comp in
	gzip) gzip -n "$f" ;; xz) xz "$f" ;; zstd) zstd -q --rm "$f" ;;
	esac
}

# last_newest FILE...: "user epoch" of each user's newest session over
# the files (decompressed first), and "begins EPOCH" of the oldest file.
last_newest() {
	: >"$TMP/sessions"
	for f; do
		case $f in
		*.gz) gzip -dc "$f" >"$TMP/plain" ;; *.xz) xz -dc "$f" >"$TMP/plain" ;;
		*.zst) zstd -qdc "$f" >"$TMP/plain" ;; *) cp "$f" "$TMP/plain" ;;
		esac
		last -w --time-format iso -f "$TMP/plain" >"$TMP/last.out" 2>/dev/null
		awk '$1 != "reboot" && $1 != "wtmp" && NF > 2 {
			for (i = 2; i <= NF; i++) if ($i ~ /^[0-9][0-9][0-9][0-9]-/) { print $1, $i; break }
		}' "$TMP/last.out" >>"$TMP/sessions"
		begins=$(sed -n 's/^[^ ]* begins //p' "$TMP/last.out")
	done
	while read -r u t; do echo "$u $(date -u -d "$t" +%s)"; done <"$TMP/sessions" |
		sort -k1,1 -k2,2nr | sort -u -k1,1
	echo "begins $(date -u -d "$begins" +%s)"
}

compare() { # LABEL FILE... (the files in the order last should read them)
	label=$1
	shift
	"$TENKEN" inventory --root "$R" --only accounts --now "$NOW" >"$TMP/inv.json" 2>"$TMP/err" || {
		fail "wtmp $label: tenken inventory" "$(head -5 "$TMP/err")"
		return
	}
	last_newest "$@" >"$TMP/want"
	n=0 agree=0 bad=
	for u in $(cut -d: -f1 "$R/etc/passwd"); do
		want=$(awk -v u="$u" '$1 == u {print $2}' "$TMP/want")
		got=$(jq -r --arg u "$u" '.inventory.accounts[] | select(.name == $u) |
			"\(.last_login // "") \(.last_login_source // "")"' "$TMP/inv.json")
		t=${got% *} src=${got#* }
		[ -n "$t" ] && t=$(date -u -d "$t" +%s)
		n=$((n + 1))
		if [ "$t" = "$want" ] && { [ -z "$want" ] || [ "$src" = wtmp ]; }; then
			agree=$((agree + 1))
		else
			bad="$bad $u: tenken '$got' last '${want:-never}';"
		fi
	done
	# The horizon: the oldest record tenken read is where last says the
	# oldest file begins.
	oldest=$(jq -r '[.inventory.login_sources[] | select(.source == "wtmp" and .oldest != null) |
		.oldest] | min // ""' "$TMP/inv.json")
	n=$((n + 1))
	want=$(sed -n 's/^begins //p' "$TMP/want")
	if [ -n "$oldest" ] && [ "$(date -u -d "$oldest" +%s)" = "$want" ]; then
		agree=$((agree + 1))
	else
		bad="$bad oldest: tenken '$oldest' last '$want';"
	fi
	if [ "$agree" -eq "$n" ]; then
		pass "wtmp $label: $agree of $n agree with last -f"
	else
		fail "wtmp $label: $agree of $n agree with last -f" "$bad"
	fi
}

# Debian's logrotate with compress + delaycompress: wtmp.1 plain, older gzip.
newroot delay
L=$R/var/log
rot "$L/wtmp" none taro 1790000000 root 1790000500 &&
	rot "$L/wtmp.1" none hanako 1787000000 taro 1787000100 &&
	rot "$L/wtmp.2" gzip jiro 1784000000 hanako 1784000200 &&
	rot "$L/wtmp.3" gzip saburo 1781000000 || fail "wtmp delay: write records"
compare "wtmp, wtmp.1, wtmp.2.gz, wtmp.3.gz" "$L/wtmp" "$L/wtmp.1" "$L/wtmp.2.gz" "$L/wtmp.3.gz"

# compress without delaycompress, xz as compresscmd.
newroot xz
L=$R/var/log
rot "$L/wtmp" none root 1790000000 &&
	rot "$L/wtmp.1" xz taro 1787000000 shiro 1787000300 &&
	rot "$L/wtmp.2" xz jiro 1784000000 || fail "wtmp xz: write records"
compare "wtmp, wtmp.1.xz, wtmp.2.xz" "$L/wtmp" "$L/wtmp.1.xz" "$L/wtmp.2.xz"

# dateext with zstd; the newest rotation has the largest date.
newroot dateext
L=$R/var/log
rot "$L/wtmp" none hanako 1790000000 &&
	rot "$L/wtmp-20260901" zstd taro 1787000000 &&
	rot "$L/wtmp-20261001" zstd shiro 1788000000 root 1788000001 || fail "wtmp dateext: write records"
compare "wtmp, wtmp-20261001.zst, wtmp-20260901.zst" "$L/wtmp" "$L/wtmp-20261001.zst" "$L/wtmp-20260901.zst"

# A user seen only in the oldest rotation, and one only in the newest.
newroot oldest
L=$R/var/log
rot "$L/wtmp" none root 1790000000 &&
	rot "$L/wtmp.1" gzip taro 1787000000 &&
	rot "$L/wtmp.2" gzip taro 1784000000 &&
	rot "$L/wtmp.3" gzip taro 1781000000 &&
	rot "$L/wtmp.4" gzip saburo 1778000000 || fail "wtmp oldest: write records"
compare "wtmp, wtmp.1.gz .. wtmp.4.gz" "$L/wtmp" "$L/wtmp.1.gz" "$L/wtmp.2.gz" "$L/wtmp.3.gz" "$L/wtmp.4.gz"
