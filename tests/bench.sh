#!/bin/sh
# make bench: wall time and peak memory of full scans, median of N runs.
# Figures go into the issue notes; compare before and after a change.
B=${B:-build}
N=${N:-50}
T=$B/tenken
R=$B/tools/benchrun
echo "tenken $($T --version | cut -d' ' -f2), $(nproc) cores, $(uname -r)"
$R "live scan (this host)" "$N" $T scan --format json
$R "live scan, text" "$N" $T scan --format text
$R "inventory (this host)" "$N" $T inventory
for f in tests/fixtures/accounts-bad tests/fixtures/accounts-good; do
	[ -f "$f/etc/passwd" ] || continue
	$R "fixture $(basename $f)" "$N" $T scan --root "$f" --now 2026-11-22T00:00:00Z --format json
done
# Where the time of one live scan goes, probe by probe.
if command -v jq >/dev/null; then
	echo "probes of one live scan (ms):"
	$T scan --format json 2>/dev/null | jq -r '.scan.probes[] | "  \(.name)\t\(.duration_ms)"' | sort -k2 -n -r | head -8
fi

# The history store (tenken report --db): ingest rate against `jq empty` on
# the same files, memory of an ingest (flat in the number of reports: one
# report in memory at a time), a second ingest (nothing new), and the
# fleet views rendered from the store. STORE_HOSTS="1000 10000" hosts with
# STORE_SCANS scans each (tests/tools/mkfleet.c: renamed, stale, duplicated,
# corrupt, future reports among them). Wall times depend on the machine's
# load; user CPU seconds compare tenken with jq fairly.
STORE_HOSTS=${STORE_HOSTS:-1000 10000}
STORE_SCANS=${STORE_SCANS:-2}
if [ -x "$B/tools/mkfleet" ] && command -v jq >/dev/null && [ -x /usr/bin/time ]; then
	D=$(mktemp -d)
	trap 'rm -rf "$D"' EXIT
	NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	FIX=$(ls tests/fixtures/*/expected.json)
	for n in $STORE_HOSTS; do
		rm -rf "$D/g" "$D/db" "$D/db-journal"
		files=$($B/tools/mkfleet "$D/g" "$n" "$STORE_SCANS" "$NOW" $FIX)
		mb=$(du -sm "$D/g" | cut -f1)
		echo "store: $n hosts x $STORE_SCANS scans: $files files, $mb MB"
		find "$D/g" -name '*.json' ! -path '*/corrupt/*' -print0 >"$D/list"
		/usr/bin/time -f '  jq empty:             %e s wall, %U s user, %M KB peak' \
			xargs -0 jq empty <"$D/list" 2>&1 | grep -v '^jq: error'
		/usr/bin/time -f '  ingest:               %e s wall, %U s user, %M KB peak' \
			$T report --db "$D/db" ingest "$D/g" 2>&1 | grep -E 'added|wall'
		/usr/bin/time -f '  ingest again:         %e s wall, %U s user, %M KB peak' \
			$T report --db "$D/db" ingest "$D/g" 2>&1 | grep -E 'added|wall'
		echo "  store size: $(du -sm "$D/db" | cut -f1) MB"
		$R "  views, json" 3 $T report --db "$D/db" --format json
		$R "  views, html" 3 $T report --db "$D/db" --format html
		$R "  matrix, csv" 3 $T report --db "$D/db" --format csv
		$R "  ledger, csv" 3 $T report --db "$D/db" --format csv --view ledger
	done
	rm -rf "$D"
fi
