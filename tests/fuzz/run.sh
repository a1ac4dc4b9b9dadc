#!/bin/sh
# tests/fuzz/run.sh - runs every built libFuzzer target for FUZZ_SECONDS,
# its corpus seeded with the fixture files, and prints one table: target,
# executions, seconds, executions per second, and the result. A crash,
# leak, timeout or out-of-memory stops with the input saved in
# build/fuzz/TARGET-* and the exit status 1.
#
# Seeds: every fixture file under 64 KiB (each target sees every kind of
# input: a parser must survive another parser's file too), plus the
# larger files its parser reads (report JSON, rpm databases). Seeds are
# named by their hash so same-named fixtures (passwd, expected.json) all
# count.
#
# Reaching 10^7 executions per target: `make fuzz FUZZ_SECONDS=N` with N
# = 10^7 / (execs/s in the table) for the slowest target; see README.md
# ("Fuzzing") for the nightly schedule.
set -u
B=${B:-build/fuzz}
SECS=${FUZZ_SECONDS:-30}
JOBS_RSS=${FUZZ_RSS_MB:-2048}
table=$(mktemp)
trap 'rm -f "$table"' EXIT
status=0

# seed DIR FILE... : copy each file into DIR named by its hash (one
# sha1sum for all: spawning a process per file is slow on a loaded host).
seed() {
	d=$1
	shift
	mkdir -p "$d"
	[ $# -gt 0 ] || return 0
	sha1sum "$@" | while read -r h f; do
		[ -e "$d/$h" ] || cp "$f" "$d/$h"
	done
}
# shellcheck disable=SC2046
seed "$B/seeds" $(find tests/fixtures -type f -size -64k)
seed "$B/seeds-fuzz_report" $(find tests/fixtures -name expected.json -size -4M)
seed "$B/seeds-fuzz_diff" $(find tests/fixtures -name expected.json -size -4M)
seed "$B/seeds-fuzz_store" $(find tests/fixtures -name expected.json -size -4M)
seed "$B/seeds-fuzz_rpm" $(find tests/fixtures -type f \( -name Packages -o -name '*.sqlite' -o -name '*.db' \) -size -4M)
seed "$B/seeds-fuzz_logins" $(find tests/fixtures -type f \( -name lastlog -o -name wtmp -o -name '*.db' \) -size -4M)

for bin in "$B"/fuzz_*; do
	[ -x "$bin" ] || continue
	case $bin in *-crash-* | *-leak-* | *-timeout-* | *-oom-* | *.log) continue ;; esac
	t=$(basename "$bin")
	mkdir -p "$B/corpus-$t"
	extra=
	[ -d "$B/seeds-$t" ] && extra=$B/seeds-$t
	rm -f "$B/$t"-crash-* "$B/$t"-leak-* "$B/$t"-timeout-* "$B/$t"-oom-*
	log=$B/$t.log
	"$bin" -max_total_time="$SECS" -rss_limit_mb="$JOBS_RSS" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$B/$t-" "$B/corpus-$t" "$B/seeds" $extra >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
	[ -n "$runs" ] || runs=0
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	[ -n "$secs" ] && [ "$secs" -gt 0 ] || secs=$SECS
	found=$(ls "$B/$t"-crash-* "$B/$t"-leak-* "$B/$t"-timeout-* "$B/$t"-oom-* 2>/dev/null | head -1)
	if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
		res="FOUND ${found:-exit $rc}"
		status=1
		grep -E "ERROR|SUMMARY|==[0-9]+==" "$log" | head -5 >&2
	else
		res=ok
	fi
	printf '%-18s %12s %6s %9s  %s\n' "$t" "$runs" "$secs" "$((runs / secs))" "$res" >>"$table"
done

printf '%-18s %12s %6s %9s  %s\n' target executions secs execs/s result
cat "$table"
awk '{ if ($4 > 0) { n = 10000000 / $4; if (n > m) m = n } } END {
	printf "seconds per target to reach 10^7 executions of the slowest: %d (FUZZ_SECONDS=%d)\n", m, m }' "$table"
exit $status
