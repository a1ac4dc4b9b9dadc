#!/bin/sh
# Runs every test tenken has and ends with one line "N passed, N failed".
# Unit tests are cmocka binaries; fixture and end-to-end tests are shell
# scripts that print "PASS name" / "FAIL name" lines (tests/lib.sh).
B=${B:-build}
export B

# The fixtures' empty directories, before the unit tests read the roots.
sh tests/mkdirs.sh

passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or failed outside cmocka's accounting
	fi
	if [ "$f" -ne 0 ]; then
		echo "--- $(basename "$t"): $f failed"
		grep -E '^\[  (FAILED|ERROR)|^\[ +FAILED|[Ff]ailure|ERROR|Sanitizer|runtime error' "$log" | head -40
		tail -5 "$log"
	fi
	echo "$(basename "$t"): $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
done

for s in tests/fixtures.sh tests/e2e/*.sh; do
	[ -f "$s" ] || continue
	t0=$(date +%s)
	sh "$s" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	k=$(grep -c '^PASS .*(skipped' "$log")
	p=$((p - k))
	skipped=$((skipped + k))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "--- $s exited $rc"
		tail -20 "$log"
	fi
	grep -A12 '^FAIL ' "$log" | head -80
	echo "$(basename "$s"): $p passed, $f failed, $k skipped (${secs} s)"
	passed=$((passed + p))
	failed=$((failed + f))
done

# A check that could not run (a peer tool missing) counts as skipped, not passed.
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
