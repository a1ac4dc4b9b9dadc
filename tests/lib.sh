# tests/lib.sh - helpers for the shell tests. Each check prints one line
# "PASS name" or "FAIL name" followed by what went wrong (tests/run.sh
# counts them).
B=${B:-build}
TENKEN=${TENKEN:-$B/tenken}
JSONNORM=$B/tools/jsonnorm
# The fixtures' empty directories (git cannot store them).
sh tests/mkdirs.sh
TMP=$(mktemp -d)
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

pass() { echo "PASS $1"; }
fail() {
	echo "FAIL $1"
	shift
	[ $# -gt 0 ] && printf '  %s\n' "$@"
	return 0
}

# expect_status NAME WANT CMD... : run CMD, compare its exit status.
expect_status() {
	name=$1
	want=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name" "exit $got, wanted $want" "$(head -c 2000 "$TMP/err")"
	fi
}

# expect_grep NAME PATTERN FILE : FILE has a line matching the ERE.
expect_grep() {
	if grep -Eq -- "$2" "$3"; then pass "$1"; else fail "$1" "no line matches /$2/ in $3" "$(head -c 1500 "$3")"; fi
}
expect_no_grep() {
	if grep -Eq -- "$2" "$3"; then fail "$1" "unexpected match for /$2/:" "$(grep -E -- "$2" "$3" | head -5)"; else pass "$1"; fi
}
