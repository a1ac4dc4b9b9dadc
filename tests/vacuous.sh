#!/bin/sh
# tests/vacuous.sh - how many passing findings looked at nothing (issue 9):
# for each shipped profile, the passing findings and those among them with
# "checked": 0, summed over every fixture root (scanned in place with a
# fixed --now, each root's own args and baseline ignored) and over a live
# scan of this host. Run as root for a meaningful live figure.
#   sh tests/vacuous.sh [TENKEN]
T=${1:-${B:-build}/tenken}
count='[.findings[] | select(.status == "pass")] |
	"\(length) \([.[] | select(.evidence.checked == 0)] | length)"'
for prof in server terminal; do
	pass=0 zero=0
	for d in tests/fixtures/*/; do
		[ -f "$d/expect" ] || continue
		set -- $("$T" scan --root "$d" --profile $prof --now 2026-11-22T00:00:00Z \
			--format json 2>/dev/null | jq -r "$count")
		pass=$((pass + $1)) zero=$((zero + $2))
	done
	set -- $("$T" scan --profile $prof --format json 2>/dev/null | jq -r "$count")
	echo "$prof: fixtures pass=$pass checked0=$zero; live pass=$1 checked0=$2"
done
