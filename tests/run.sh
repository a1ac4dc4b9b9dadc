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

# The scripts run TEST_JOBS at a time (default 2): most of their time is
# spent waiting on sshd, chromium or a child tool, and each works in its
# own mktemp directory on its own ports. A script that changes the
# system for everyone (deb.sh installs and purges the package, which
# tenken fleet would otherwise find on the "hosts") runs alone first.
# Results are printed in the scripts' order, whatever order they end in.
res=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$res"' EXIT
alone="tests/e2e/deb.sh"
# run_one SCRIPT: its output, exit status and seconds go to $res.
run_one='n=$(basename "$1" .sh); t0=$(date +%s); sh "$1" >"$res/$n.log" 2>&1;
	echo $? >"$res/$n.rc"; echo $(($(date +%s) - t0)) >"$res/$n.secs"'
export res
for s in $alone; do
	[ -f "$s" ] && sh -c "$run_one" run_one "$s"
done
scripts=$(ls tests/fixtures.sh tests/e2e/*.sh)
# The longest scripts start first, so that no long one is left running
# alone at the end (the order of the results does not change).
first="tests/e2e/ansible.sh tests/fixtures.sh tests/e2e/elf.sh tests/e2e/hostile.sh
	tests/e2e/fleet.sh tests/e2e/sds.sh tests/e2e/sign.sh"
{
	for s in $first; do
		case " $(echo $scripts) " in *" $s "*) echo "$s" ;; esac
	done
	for s in $scripts; do
		case " $alone $(echo $first) " in *" $s "*) ;; *) echo "$s" ;; esac
	done
} | xargs -P "${TEST_JOBS:-2}" -n 1 sh -c "$run_one" run_one

for s in $scripts; do
	n=$(basename "$s" .sh)
	[ -f "$res/$n.rc" ] || continue
	cp "$res/$n.log" "$log"
	rc=$(cat "$res/$n.rc")
	secs=$(cat "$res/$n.secs")
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
