#!/bin/sh
# The fleet matrix against jq: HOSTS (default 10,000) hosts x 2 scans made by
# tests/tools/mkfleet from 40 fixture reports (renamed, stale, duplicated,
# corrupt, future ones among them) are ingested; the json and html views are
# timed; the matrix counts are compared with counts jq computes from the
# newest valid report of each host. About ten minutes for 10,000 hosts.
# Run: make build/tools/mkfleet && sh bench/fleet-counts.sh
set -e
cd "$(dirname "$0")/.."
B=${B:-build}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
HOSTS=${HOSTS:-10000}
NOW=2026-12-08T00:00:00Z
n=$($B/tools/mkfleet $T/g $HOSTS 2 $NOW $(ls tests/fixtures/*/expected.json | head -40))
echo "files: $n"
/usr/bin/time -f 'ingest %e s %U user %M KiB' $B/tenken report --db $T/db --now $NOW ingest $T/g > /dev/null 2> $T/ingest.err || true
tail -2 $T/ingest.err
/usr/bin/time -f 'again %e s %U user %M KiB' $B/tenken report --db $T/db --now $NOW ingest $T/g > /dev/null 2> $T/again.err || true
tail -2 $T/again.err
/usr/bin/time -f 'json view %e s %U user %M KiB' $B/tenken report --db $T/db --now $NOW --format json --output $T/sum.json 2> $T/view.err || true
tail -1 $T/view.err
/usr/bin/time -f 'html view %e s %U user %M KiB' $B/tenken report --db $T/db --now $NOW --format html --output $T/sum.html 2> $T/viewh.err || true
tail -1 $T/viewh.err
jq -c '[.items[] | {item, yes, no, unknown, organisational, stale}] | sort_by(.item)' $T/sum.json > $T/tenken.counts
echo "hosts in summary: $(jq '.hosts | length' $T/sum.json), rejected: $(jq '.rejected | length' $T/sum.json)"
# jq oracle (corrupt/ excluded: jq cannot read them, tenken refuses them)
find $T/g -name '*.json' -not -path '*/corrupt/*' -print0 | sort -z | xargs -0 -n 400 jq -c 'select(.format == "tenken-report" and .format_version == 1) |
		{id: (.host.machine_id // .host.hostname), t: .scan.now,
		 a: ([.checklist[] | {(.item): .answer}] | add)}' 2>/dev/null > $T/lines || true
jq -s -S --arg now $NOW '($now | fromdateiso8601) as $n |
	map(select((.t | fromdateiso8601) <= $n + 86400)) | group_by(.id) | map(max_by(.t)) |
	[.[] | ((.t | fromdateiso8601) < $n - 30 * 86400) as $stale | .a | to_entries[] |
	 {item: .key, k: (if $stale then "stale" else .value end)}] |
	group_by(.item) | map({(.[0].item): (group_by(.k) | map({(.[0].k): length}) | add)}) | add' $T/lines > $T/want.json
jq -S '[.items[] | {(.item): ({yes, no, unknown, organisational, stale} | with_entries(select(.value > 0)))}] | add' $T/sum.json > $T/got.json
if cmp -s $T/want.json $T/got.json; then echo "MATRIX COUNTS EQUAL jq over $(wc -l < $T/lines) reports, $(jq length $T/want.json) items"; else echo "DIFFER"; diff $T/want.json $T/got.json | head; fi
echo "jq hosts: $(jq -s --arg now $NOW '($now | fromdateiso8601) as $n | map(select((.t | fromdateiso8601) <= $n + 86400)) | group_by(.id) | length' $T/lines)"
