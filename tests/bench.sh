#!/bin/sh
# make bench: one side-by-side table of the live scan (cold, and cached
# with --cache-dir), the raw-input floor of the same files (bench/floor.c:
# the files the scan read, listed by TENKEN_DEBUG_READS=1, read with plain
# read(2) into one buffer, apt's lists decoded with the scan's decoder,
# the executables the scan hashed MD5-hashed), their ratio and peak
# memory; then the scaling table over simulated roots (bench/mkroot.sh).
# Medians of N runs (N=9; SCALE_N=3 for the scaling rows). The big sizes
# take minutes and gigabytes: BENCH_BIG=1 adds 100k and 200k accounts, 20k
# processes, 20k packages and 1M wtmp records. Not part of make test.
B=${B:-build}
N=${N:-9}
SN=${SCALE_N:-3}
T=$B/tenken
R=$B/tools/benchrun
F=$B/bench/floor
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
echo "tenken $($T --version | cut -d' ' -f2), $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"

# benchrun's median (ms) and peak RSS (MiB) of one command: "MS MIB"
med() {
	$R x "$@" | awk '{ for (i = 1; i < NF; i++) { if ($i == "median") m = $(i + 1); if ($i == "RSS") r = $(i + 1) } } END { print m, r }'
}
row() { printf '  %-44s %10s ms %9s MiB\n' "$1" "$2" "$3"; }

# The files one live scan reads, and the executables it hashes.
TENKEN_DEBUG_READS=1 $T scan --format json >"$W/r.json" 2>"$W/reads"
sed -n 's/^tenken-read: //p' "$W/reads" | sort -u >"$W/list"
jq -r '.inventory.executables[]? | select(.md5_status == "ok" or .md5_status == "modified") | .path' \
	"$W/r.json" >"$W/hash" 2>/dev/null || : >"$W/hash"
$T scan --format json --cache-dir "$W/cache" >/dev/null 2>&1 # fills the cache

set -- $(med "$N" $T scan --format json)
cold=$1 cold_rss=$2
set -- $(med "$N" $T scan --format json --cache-dir "$W/cache")
cached=$1 cached_rss=$2
set -- $(med "$N" sh -c "exec $F $W/hash <$W/list")
floor=$1 floor_rss=$2
what=$($F "$W/hash" <"$W/list")
echo "live scan ($N runs each, median):"
row "scan, cold (no cache)" "$cold" "$cold_rss"
row "scan, cached (--cache-dir)" "$cached" "$cached_rss"
row "raw-input floor (bench/floor)" "$floor" "$floor_rss"
echo "    floor: $what"
awk -v c="$cold" -v k="$cached" -v f="$floor" \
	'BEGIN { printf "  ratio cold/floor %.2f   cached/floor %.2f\n", c / f, k / f }'
if command -v strace >/dev/null; then
	for opt in "" "--cache-dir $W/cache"; do
		strace -f -c -o "$W/st" $T scan --format json $opt >/dev/null 2>&1
		echo "  system calls of one scan${opt:+ (cached)}: $(awk '$NF == "total" { print $(NF - 2) }' "$W/st")"
	done
fi
echo "probes of one live scan (ms):"
jq -r '.scan.probes[] | "  \(.name)\t\(.duration_ms)"' "$W/r.json" 2>/dev/null | sort -k2 -n -r | head -8

# Scaling: simulated roots under --root, each scanned by the probe that
# reads that kind of record.
ACCOUNTS=${ACCOUNTS:-1000 10000}
PROCESSES=${PROCESSES:-1000 10000}
PACKAGES=${PACKAGES:-1000 5000}
WTMP=${WTMP:-10000 100000}
if [ -n "${BENCH_BIG:-}" ]; then
	ACCOUNTS="$ACCOUNTS 100000 200000" PROCESSES="$PROCESSES 20000" PACKAGES="$PACKAGES 20000"
	WTMP="$WTMP 1000000"
fi
NOW=2026-11-22T00:00:00Z
echo "scaling ($SN runs each, median; --root on a simulated root):"
scale() { # KIND PROBES SIZES...
	kind=$1 only=$2
	shift 2
	for n in "$@"; do
		rm -rf "$W/root"
		sh bench/mkroot.sh "$kind" "$n" "$W/root" || continue
		set -- $(med "$SN" $T scan --root "$W/root" --now $NOW --only "$only" --format json)
		row "$kind $n" "$1" "$2"
	done
}
scale accounts accounts $ACCOUNTS
scale processes processes $PROCESSES
scale packages packages $PACKAGES
scale wtmp accounts $WTMP
rm -rf "$W/root"

# The history store (tenken report --db): ingest rate against `jq empty` on
# the same files, memory of an ingest (flat in the number of reports: one
# report in memory at a time), a second ingest (nothing new), and the
# fleet views rendered from the store. STORE_HOSTS hosts (default 1000, a
# minute; STORE_HOSTS="1000 10000" for the big one, a quarter of an hour;
# STORE_HOSTS= to skip) with STORE_SCANS scans each (tests/tools/mkfleet.c: renamed, stale, duplicated,
# corrupt, future reports among them). Wall times depend on the machine's
# load; user CPU seconds compare tenken with jq fairly.
STORE_HOSTS=${STORE_HOSTS-1000}
STORE_SCANS=${STORE_SCANS:-2}
if [ -n "$STORE_HOSTS" ] && [ -x "$B/tools/mkfleet" ] && command -v jq >/dev/null && [ -x /usr/bin/time ]; then
	D=$(mktemp -d)
	trap 'rm -rf "$D" "$W"' EXIT
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
