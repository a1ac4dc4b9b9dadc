#!/bin/sh
# Signed evidence through the central report (issues 14 and 16): the
# history store's --require-signature and `report --format sds
# --signature` use tenken verify's check. A report signed by the expected
# key is taken; an unsigned one, one signed by another key, and one whose
# summary was edited after signing are each refused with a reason, and the
# rest of the directory still goes in.
. tests/lib.sh
NOW=2026-11-22T00:00:00Z
if ! command -v ssh-keygen >/dev/null || ! command -v jq >/dev/null; then
	pass "signed ingest (skipped: ssh-keygen or jq missing)"
	exit 0
fi
ssh-keygen -q -t ed25519 -N '' -C tenken-test -f "$TMP/vendor"
ssh-keygen -q -t ed25519 -N '' -C other -f "$TMP/other"
mkdir "$TMP/d"
scan() { # ROOT OUT KEY
	"$TENKEN" scan --root "tests/fixtures/$1" --now $NOW --format json --output "$TMP/d/$2" \
		--sign "$3" 2>>"$TMP/scan.err"
	[ $? -le 1 ] || echo "scan $1 failed" >>"$TMP/scan.err"
}
scan ssh-good good.json "$TMP/vendor"
scan ssh-bad other.json "$TMP/other"
scan usb-stick edited.json "$TMP/vendor"
cp tests/fixtures/ssh-r7-good/expected.json "$TMP/d/unsigned.json"
# The summary edited after signing: same signature, other bytes.
jq -c '.summary.fail = 0' "$TMP/d/edited.json" >"$TMP/e" && cat "$TMP/e" >"$TMP/d/edited.json"
if [ -s "$TMP/scan.err" ] && grep -q failed "$TMP/scan.err"; then
	fail "signed ingest: scans" "$(cat "$TMP/scan.err")"
fi

"$TENKEN" report --format json --require-signature --pubkey "$TMP/vendor.pub" --now $NOW \
	"$TMP/d" >"$TMP/sum.json" 2>"$TMP/err"
st=$?
hosts=$(jq -r '[.hosts[].hostname] | sort | join(",")' "$TMP/sum.json")
rej=$(jq -r '[.rejected[] | (.file | split("/") | last) + "=" + .reason] | sort | join(",")' "$TMP/sum.json")
if [ "$st" -eq 1 ] && [ "$hosts" = ssh-good ] &&
	[ "$rej" = "edited.json=signature,other.json=signature,unsigned.json=unsigned" ]; then
	pass "signed ingest: only the report signed by the expected key goes in"
else
	fail "signed ingest: only the report signed by the expected key goes in" \
		"exit $st, hosts $hosts, rejected $rej" "$(head -c 800 "$TMP/err")"
fi
expect_grep "signed ingest: the refusal names the file" 'edited.json' "$TMP/err"
expect_status "signed ingest: --require-signature without a trust option is a usage error" 2 \
	"$TENKEN" report --format json --require-signature "$TMP/d"

# The MDS/SDS view shows the checked signature.
"$TENKEN" report --format sds --lang en "$TMP/d/good.json" --signature "$TMP/d/good.json.sig" \
	--pubkey "$TMP/vendor.pub" >"$TMP/sds.html" 2>"$TMP/err"
expect_grep "sds: a valid signature is shown as valid" 'signature valid' "$TMP/sds.html"
"$TENKEN" report --format sds --lang en "$TMP/d/good.json" --signature "$TMP/d/good.json.sig" \
	--pubkey "$TMP/other.pub" >"$TMP/sds2.html" 2>"$TMP/err"
expect_no_grep "sds: another key's check is not shown as valid" 'signature valid' "$TMP/sds2.html"
"$TENKEN" report --format json "$TMP/d/good.json" --signature "$TMP/d/good.json.sig" \
	--pubkey "$TMP/vendor.pub" >"$TMP/again.json" 2>"$TMP/err"
if cmp -s "$TMP/again.json" "$TMP/d/good.json" || [ "$(jq -S . "$TMP/again.json")" = "$(jq -S . "$TMP/d/good.json")" ]; then
	pass "report --format json with --signature re-renders the signed report unchanged"
else
	fail "report --format json with --signature re-renders the signed report unchanged"
fi
# No private key material in any output.
grep -v -- '-----' "$TMP/vendor" >"$TMP/keylines"
leaked=""
for f in "$TMP/sum.json" "$TMP/sds.html" "$TMP/sds2.html" "$TMP/err"; do
	grep -qFf "$TMP/keylines" "$f" && leaked="$leaked $(basename "$f")"
done
if [ -s "$TMP/keylines" ] && [ -z "$leaked" ]; then
	pass "signed ingest: no private key in any output"
else
	fail "signed ingest: no private key in any output" "found in:$leaked"
fi
