#!/bin/sh
# Memory does not follow the size of what runs: a live scan of the
# executables while a 300 MB executable runs stays under 16 MiB peak RSS
# (it read the whole file into memory before: 310 MiB). Peak RSS does not
# depend on the machine's load, so this is no timing test.
. tests/lib.sh
BENCH=$B/tools/benchrun
case "${TEST_CFLAGS:-}" in
*-fsanitize=*)
	# AddressSanitizer's shadow memory is part of the peak: the figure
	# means something only in the ordinary build.
	echo "PASS live scan memory with a 300 MB executable (skipped: sanitizer build)"
	exit 0
	;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "PASS live scan memory with a 300 MB executable (skipped: needs root to read /proc/PID/exe)"
	exit 0
fi
cp /usr/bin/sleep "$TMP/big-sleep"
truncate -s 300M "$TMP/big-sleep" # sparse: costs no disk, reads as zeros
"$TMP/big-sleep" 120 &
pid=$!
"$BENCH" mem 1 "$TENKEN" scan --only system,processes,services,executables --format json --output "$TMP/r.json" >"$TMP/bench.txt" 2>&1
rss=$(sed -n 's/.*peak RSS *\([0-9.]*\) MiB.*/\1/p' "$TMP/bench.txt")
analyzed=$(jq -r --arg p "$TMP/big-sleep" '.inventory.executables[] | select(.path == $p) | .elf' "$TMP/r.json")
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$analyzed" = true ] && pass "the 300 MB executable was analyzed" || fail "the 300 MB executable was analyzed" "elf: '$analyzed'"
if [ -n "$rss" ] && awk -v r="$rss" 'BEGIN { exit !(r < 16) }'; then
	pass "live scan with a 300 MB executable running peaks under 16 MiB ($rss MiB)"
else
	fail "live scan with a 300 MB executable running peaks under 16 MiB" "$(cat "$TMP/bench.txt")"
fi
