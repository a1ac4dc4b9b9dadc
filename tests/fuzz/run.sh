#!/bin/sh
# tests/fuzz/run.sh - runs every built libFuzzer target and prints one
# table: target, executions, seconds, executions per second, and the
# result. A crash, leak, timeout or out-of-memory stops that target with
# the input saved in $B/TARGET-* and makes the exit status 1.
#
# Two schedules:
#   make fuzz       each target for FUZZ_SECONDS (default 30), one after
#                   the other: the quick check.
#   make fuzz-long  each target for FUZZ_EXECS executions (-runs, default
#                   10^7), FUZZ_JOBS targets at a time (default: the
#                   cores), optionally capped at FUZZ_MAX_SECONDS each
#                   (0: no cap). Corpora live under FUZZ_CORPUS (default
#                   $B) and are kept between runs; the executions of every
#                   run are added up in FUZZ_CORPUS/execs.tsv, and the
#                   table's "total" column is that sum: the count toward
#                   10^7 per target across nights.
#
# Seeds: every fixture file under 64 KiB (each target sees every kind of
# input: a parser must survive another parser's file too), plus the
# larger files its parser reads (report JSON, rpm databases). Seeds are
# named by their hash so same-named fixtures (passwd, expected.json) all
# count.
set -u
B=${B:-build/fuzz}
SECS=${FUZZ_SECONDS:-30}
EXECS=${FUZZ_EXECS:-}
MAXSECS=${FUZZ_MAX_SECONDS:-0}
CORPUS=${FUZZ_CORPUS:-$B}
JOBS_RSS=${FUZZ_RSS_MB:-2048}

# one TARGET ROWFILE: run one target, append its table row to ROWFILE.
one() {
	t=$1 rows=$2
	bin=$B/$t
	mkdir -p "$CORPUS/corpus-$t"
	extra=
	[ -d "$B/seeds-$t" ] && extra=$B/seeds-$t
	rm -f "$B/$t"-crash-* "$B/$t"-leak-* "$B/$t"-timeout-* "$B/$t"-oom-*
	log=$B/$t.log
	if [ -n "$EXECS" ]; then
		set -- -runs="$EXECS" -max_total_time="$MAXSECS"
	else
		set -- -max_total_time="$SECS"
	fi
	start=$(date +%s)
	"$bin" "$@" -rss_limit_mb="$JOBS_RSS" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$B/$t-" "$CORPUS/corpus-$t" "$B/seeds" $extra >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
	[ -n "$runs" ] || runs=0
	secs=$((end - start))
	[ "$secs" -gt 0 ] || secs=1
	found=$(ls "$B/$t"-crash-* "$B/$t"-leak-* "$B/$t"-timeout-* "$B/$t"-oom-* 2>/dev/null | head -1)
	if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
		res="FOUND ${found:-exit $rc}"
		grep -E "ERROR|SUMMARY|==[0-9]+==" "$log" | head -5 >&2
	else
		res=ok
	fi
	total=$runs
	if [ -n "$EXECS" ]; then
		printf '%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$runs" "$secs" \
			>>"$CORPUS/execs.tsv"
		total=$(awk -F '\t' -v t="$t" '$2 == t { s += $3 } END { print s + 0 }' \
			"$CORPUS/execs.tsv")
	fi
	printf '%-18s %12s %6s %9s %14s  %s\n' "$t" "$runs" "$secs" "$((runs / secs))" "$total" \
		"$res" >>"$rows"
}

if [ "${1:-}" = --one ]; then # a worker of the parallel schedule
	one "$2" "$3"
	exit 0
fi

table=$(mktemp)
trap 'rm -f "$table"' EXIT

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
mkdir -p "$CORPUS"
# shellcheck disable=SC2046
seed "$B/seeds" $(find tests/fixtures -type f -size -64k)
seed "$B/seeds-fuzz_report" $(find tests/fixtures -name expected.json -size -4M)
seed "$B/seeds-fuzz_diff" $(find tests/fixtures -name expected.json -size -4M)
seed "$B/seeds-fuzz_store" $(find tests/fixtures -name expected.json -size -4M)
seed "$B/seeds-fuzz_rpm" $(find tests/fixtures -type f \( -name Packages -o -name '*.sqlite' -o -name '*.db' \) -size -4M)
seed "$B/seeds-fuzz_logins" $(find tests/fixtures -type f \( -name lastlog -o -name wtmp -o -name '*.db' \) -size -4M)
# fuzz_cache: real --cache-dir files, behind each of the target's two
# variant bytes (0: as is, 1: header rehashed to match the body).
mkdir -p "$B/seeds-fuzz_cache"
for f in tests/fuzz/seeds/cache-*.cache; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .cache)
	{ printf '\000'; cat "$f"; } >"$B/seeds-fuzz_cache/$n-0"
	{ printf '\001'; cat "$f"; } >"$B/seeds-fuzz_cache/$n-1"
done

targets=$(for bin in "$B"/fuzz_*; do
	[ -x "$bin" ] || continue
	case $bin in *-crash-* | *-leak-* | *-timeout-* | *-oom-* | *.log) continue ;; esac
	basename "$bin"
done)
if [ -n "$EXECS" ]; then
	jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
	printf '%s\n' $targets | xargs -P "$jobs" -I{} sh "$0" --one {} "$table"
else
	for t in $targets; do one "$t" "$table"; done
fi

printf '%-18s %12s %6s %9s %14s  %s\n' target executions secs execs/s total result
sort "$table"
status=0
grep -q FOUND "$table" && status=1
if [ -n "$EXECS" ]; then
	awk '{ if ($5 < 10000000) n++ } END {
		printf "targets still short of 10^7 executions in total: %d\n", n }' "$table"
else
	awk '{ if ($4 > 0) { n = 10000000 / $4; if (n > m) m = n } } END {
	printf "seconds per target to reach 10^7 executions of the slowest: %d (FUZZ_SECONDS=%d)\n", m, m }' "$table"
fi
exit $status
