#!/bin/sh
# Every shipped rule has a fixture root where it fails and one where it
# passes (tests/fixtures/*/expected.json), so no rule is a rule that cannot
# fail and none is a rule that cannot pass. Prints, for each rule and side,
# PASS or FAIL naming what is missing. Rules that need a baseline parameter
# ("requires") count too: their fixtures carry a baseline.json.
. tests/lib.sh
FIXTURES=${FIXTURES:-tests/fixtures}
for f in "$FIXTURES"/*/expected.json; do
	jq -r '.findings[] | "\(.rule) \(.status)"' "$f"
done | sort -u >"$TMP/seen"
{
	"$TENKEN" rules --profile server --checklist r7 --lang en
	"$TENKEN" rules --profile terminal --checklist r7 --lang en
} | awk '{print $1}' | sort -u >"$TMP/rules"
[ -s "$TMP/rules" ] || fail "tenken rules lists rules"
while read -r r; do
	for side in fail pass; do
		if grep -qx "$r $side" "$TMP/seen"; then
			pass "rule $r has a fixture where it ${side}s"
		else
			fail "rule $r has a fixture where it ${side}s" \
				"no tests/fixtures/*/expected.json holds a '$side' finding of $r"
		fi
	done
done <"$TMP/rules"
