#!/bin/sh
# Hostile roots: copies of clean fixture roots are mutated file by file,
# as an attacker who controls the host would, and each is scanned:
#   nul   NUL bytes at the start of the second line and in the middle
#   long  a 70,000-byte line after the first
#   dup   the file three times over (every record duplicated)
#   fifo  a FIFO in its place (a read would block for ever)
#   dev   a character device (/dev/zero's numbers) in its place
#   loop  a symlink to itself
#   big   a sparse 600 MiB file (over every size limit but the rpm one)
#   trunc cut in the middle of a line
#   flood (directories) 3,000 garbage files added
# What must hold for every mutation: the scan ends within 120 s, with exit
# status 0 or 1 and a valid JSON report. What must hold for every
# mutation but trunc (which can leave a valid, smaller configuration): no
# checklist answer turns into はい (yes) that was いいえ (no) or 不明
# (unknown) on the clean root: bytes that cannot be read give unknown,
# never yes.
#
# By default each file gets one mutation (cycled) and at most
# HOSTILE_MAX scans run (80, or 30 under the sanitizers); HOSTILE_ALL=1
# applies every mutation to every file of every listed root, and
# HOSTILE_MAX=100000 lifts the cap (322 scans of the listed roots).
. tests/lib.sh

if ! command -v jq >/dev/null; then
	fail "hostile roots" "jq is needed"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
NOW=2026-11-22T09:00:00+09:00
MAX=${HOSTILE_MAX:-80}
ROOTS=${HOSTILE_ROOTS:-"accounts-good ssh-good logging-good time-timesyncd firewall-nft-ssh wifi-mixed auth-pwq14-2fa services-good usb-stick eol-debian12 firewall-firewalld unit-packages"}
KINDS="nul long dup fifo dev loop big trunc"
# Under AddressSanitizer virtual memory is reserved in terabytes: no ulimit.
case "${TEST_CFLAGS:-}" in
*sanitize*)
	VLIMIT=unlimited
	MAX=${HOSTILE_MAX:-30}
	;;
*) VLIMIT=4194304 ;; # 4 GiB of address space: bounded memory
esac

# answers FILE : "item answer" lines of a report.
answers() { jq -r '.checklist[] | "\(.item) \(.answer)"' "$1" 2>/dev/null | sort; }

scan() { # scan ROOT OUT : status in $st
	(ulimit -v $VLIMIT 2>/dev/null; timeout 120 "$TENKEN" scan --root "$1" --now $NOW \
		--format json --output "$2" 2>"$2.err")
	st=$?
}

# Apply mutation KIND to PATH (inside a copy of a root).
mutate() {
	k=$1
	p=$2
	case $k in
	nul) python3 - "$p" <<'PY' ;;
import sys
p = sys.argv[1]
b = open(p, "rb").read()
nl = b.find(b"\n")
if nl >= 0:
    b = b[:nl + 1] + b"\0" + b[nl + 1:]
m = len(b) // 2
b = b[:m] + b"\0\0" + b[m:]
open(p, "wb").write(b)
PY
	long) python3 - "$p" <<'PY' ;;
import sys
p = sys.argv[1]
b = open(p, "rb").read()
nl = b.find(b"\n")
nl = len(b) if nl < 0 else nl + 1
b = b[:nl] + b"A" * 70000 + b" " + b"B" * 100 + b"\n" + b[nl:]
open(p, "wb").write(b)
PY
	dup) cat "$p" "$p" "$p" >"$p.3" && mv "$p.3" "$p" ;;
	fifo) rm -f "$p" && mkfifo "$p" ;;
	dev) rm -f "$p" && mknod "$p" c 1 5 ;;
	loop) rm -f "$p" && ln -s "$(basename "$p")" "$p" ;;
	big) truncate -s 600M "$p" ;;
	trunc) python3 - "$p" <<'PY' ;;
import sys
p = sys.argv[1]
b = open(p, "rb").read()
m = len(b) // 2
while 0 < m < len(b) and b[m - 1:m] == b"\n":
    m += 1
open(p, "wb").write(b[:m])
PY
	esac
}

check() { # check LABEL ROOTNAME CLEANANSWERS KIND
	label=$1
	out=$TMP/r.json
	scan "$TMP/m" "$out"
	if [ "$st" -gt 1 ]; then
		fail "$label: exit 0/1 within 120 s" "exit $st" "$(head -c 600 "$out.err")"
		return
	fi
	if ! jq -e '.format == "tenken-report" and (.findings | type == "array")' "$out" >/dev/null 2>&1; then
		fail "$label: valid JSON report"
		return
	fi
	if [ "$4" != trunc ]; then
		flips=$(answers "$out" | join - "$3" | awk '$2 == "yes" && ($3 == "no" || $3 == "unknown") { print $1 " " $3 "->yes" }')
		if [ -n "$flips" ]; then
			fail "$label: no answer turns to yes" "$flips" \
				"$(jq -c '[.findings[] | select(.status == "pass") | .rule]' "$out" | head -c 800)"
			return
		fi
	fi
	pass "$label"
}

n=0
idx=0
nroots=$(echo $ROOTS | wc -w)
per_root=$((MAX / nroots))
[ $per_root -ge 4 ] || per_root=4
for r in $ROOTS; do
	nr=0
	src=tests/fixtures/$r
	[ -d "$src" ] || continue
	rm -rf "$TMP/clean" && mkdir "$TMP/clean" && cp -a "$src/." "$TMP/clean/"
	rm -f "$TMP/clean/expected.json"
	scan "$TMP/clean" "$TMP/clean.json"
	answers "$TMP/clean.json" >"$TMP/clean.answers"
	# Interleaved (every 5th file first) so that a capped run still
	# reaches every part of the root.
	files=$(cd "$TMP/clean" && find . -type f ! -name expected.json ! -name modes ! -name fifos |
		sort | awk '{ print NR % 5 " " $0 }' | sort -s -k1,1n | cut -d' ' -f2-)
	ndirs=1
	[ -n "${HOSTILE_ALL:-}" ] && ndirs=3
	dirs=$(cd "$TMP/clean" && find . -mindepth 2 -type d -name '*.d' | sort | head -$ndirs)
	for f in $files; do
		if [ -n "${HOSTILE_ALL:-}" ]; then kinds=$KINDS; else
			set -- $KINDS
			shift $((idx % 8))
			kinds=$1
		fi
		idx=$((idx + 1))
		for k in $kinds; do
			[ $n -ge "$MAX" ] && break 3
			[ $nr -ge $per_root ] && break 2
			nr=$((nr + 1))
			rm -rf "$TMP/m" && mkdir "$TMP/m" && cp -a "$TMP/clean/." "$TMP/m/"
			mutate $k "$TMP/m/$f"
			check "$r $k ${f#.}" "$r" "$TMP/clean.answers" $k
			n=$((n + 1))
		done
	done
	for d in $dirs; do
		[ $n -ge "$MAX" ] && break 2
		rm -rf "$TMP/m" && mkdir "$TMP/m" && cp -a "$TMP/clean/." "$TMP/m/"
		i=0
		while [ $i -lt 3000 ]; do
			printf 'garbage \001 line %d\n' $i >"$TMP/m/$d/zz$i.conf"
			i=$((i + 1))
		done
		check "$r flood ${d#.}" "$r" "$TMP/clean.answers" flood
		n=$((n + 1))
	done
done
echo "hostile roots: $n scans"
