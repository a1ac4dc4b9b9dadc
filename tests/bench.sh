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
