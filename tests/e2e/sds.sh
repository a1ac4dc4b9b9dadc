#!/bin/sh
# End-to-end: the MDS/SDS evidence view (--format sds, sds-csv) over every
# fixture's expected report, in Japanese and English. Each question's
# answer is computed again here, independently, with jq from
# baselines/sds.json and the report's findings (no if any mapped finding
# fails; not applicable only where the catalogue's facts are present and
# empty and read whole; unknown if any mapped rule is unknown or absent;
# yes only if every mapped rule passed), and must equal the CSV's. The
# HTML must be well-formed, self-contained, name every mapped question,
# and carry no secret planted in the fixture roots (shadow hashes, Wi-Fi
# keys). Provenance and a verification result put into a report render;
# without them the view says so. With chromium present, the HTML prints
# to an A4 PDF.
. tests/lib.sh

if ! command -v jq >/dev/null || ! command -v python3 >/dev/null; then
	fail "e2e sds" "jq and python3 are needed"
	exit 0
fi

CAT=baselines/sds.json

# The expected answers of report $1, one "id answer" line per question.
expected_answers() {
	jq -r --slurpfile cat "$CAT" '
	. as $r
	| ($cat[0].editions[$cat[0].default_edition].questions[]) as $q
	| select(($q.heading // false) | not)
	| if ($q.rules | length) == 0 then "\($q.id) not_evidenced"
	  else
	    [ $q.rules[] as $id | [ ($r.findings // [])[] | select(.rule == $id) | .status ] ] as $st
	    | ([ ($r.scan.probes // [])[] | (.incomplete // [])[] ]) as $partial
	    | (if $q.not_applicable_when == null then false
	       else all($q.not_applicable_when.empty[];
	                (split("/")) as $p
	                | ($r.inventory | getpath($p)) == []
	                  and (($partial | index($p[0])) == null))
	       end) as $na
	    | (if any($st[]; any(.[]; . == "fail")) then "no"
	       elif $na then "not_applicable"
	       elif any($st[]; length == 0 or any(.[]; . != "pass")) then "unknown"
	       else "yes" end) as $a
	    | "\($q.id) \($a)"
	  end' "$1"
}

# One python run checks every output (python's start-up is slow on a
# loaded machine): for each CSV, "FILE id answer" lines on stdout; for each
# HTML, well-formed (every element closed in order, void elements
# excepted), one html root, no script, no external resource, else
# "FILE!error" lines.
cat >"$TMP/check.py" <<'PY'
import csv, sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "input", "link"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.roots = [], [], 0
    def handle_starttag(self, tag, attrs):
        if tag == "script": self.errors.append("script element")
        for k, v in attrs:
            if k in ("src", "href") and v: self.errors.append("external %s=%s" % (k, v))
        if tag == "html": self.roots += 1
        if tag not in VOID: self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s at %s" % (tag, self.stack[-1:] or "nothing", self.getpos()))
        else: self.stack.pop()
for path in sys.argv[1:]:
    if ".sds-csv." in path:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        if rows[0][:6] != ["question", "section", "question_ja", "question_en", "references", "answer"]:
            print("%s!bad header %s" % (path, rows[0][:6]))
        for r in rows[1:]:
            print(path, r[0], r[5])
    else:
        p = P()
        p.feed(open(path, encoding="utf-8").read()); p.close()
        if p.stack: p.errors.append("unclosed: %s" % p.stack)
        if p.roots != 1: p.errors.append("%d html roots" % p.roots)
        for e in p.errors[:5]: print("%s!%s" % (path, e))
PY
csv_answers() {
	python3 "$TMP/check.py" "$1" | sed 's/^[^ ]* //'
}

# Secrets planted in the fixture roots: password hashes of shadow files and
# keys of saved wireless networks. None may reach an SDS output.
SECRETS=$TMP/secrets
{
	cat tests/fixtures/*/etc/shadow 2>/dev/null | awk -F: 'length($2) > 12 { print $2 }'
	grep -rhoE '^[[:space:]]*(psk|wep-key0|password|wep_key0|sae_password)[[:space:]]*=[[:space:]]*"?[^"[:space:]]{8,}' \
		tests/fixtures/*/etc/NetworkManager tests/fixtures/*/etc/wpa_supplicant 2>/dev/null |
		sed -E 's/^[^=]*=[[:space:]]*"?//'
} | sort -u >"$SECRETS"
nsecrets=$(wc -l <"$SECRETS")
if [ "$nsecrets" -gt 0 ]; then pass "secrets collected from fixtures ($nsecrets)"; else fail "secrets collected from fixtures" "none found"; fi

# An empty /sys/class/net (no wireless interface) and no saved network:
# question 22 is 対象外. Without /sys/class/net the interfaces are unknown
# (null) and it is not.
mkdir -p "$TMP/nowifi"
cp -a tests/fixtures/time-timesyncd/. "$TMP/nowifi/"
mkdir -p "$TMP/nowifi/sys/class/net"
mkdir -p "$TMP/scanned/nowifi" "$TMP/scanned/nosys"
"$TENKEN" scan --root "$TMP/nowifi" --now 2026-11-22T00:00:00Z --only system,wireless,time \
	--format json --output "$TMP/scanned/nowifi/expected.json" 2>/dev/null
"$TENKEN" scan --root tests/fixtures/time-timesyncd --now 2026-11-22T00:00:00Z --only system,wireless,time \
	--format json --output "$TMP/scanned/nosys/expected.json" 2>/dev/null

nrep=0
nq=0
for exp in tests/fixtures/*/expected.json "$TMP"/scanned/*/expected.json; do
	name=$(basename "$(dirname "$exp")")
	[ "$(jq -r .format "$exp" 2>/dev/null)" = tenken-report ] || continue
	nrep=$((nrep + 1))
	: >"$TMP/$name.bad"
	for l in ja en; do
		for f in sds sds-csv; do
			if ! "$TENKEN" report --format $f --lang $l --output "$TMP/$name.$f.$l" "$exp" 2>"$TMP/err"; then
				echo "$f/$l exit: $(head -c 300 "$TMP/err")" >>"$TMP/$name.bad"
			fi
		done
		if grep -qF -f "$SECRETS" "$TMP/$name.sds.$l" "$TMP/$name.sds-csv.$l"; then
			echo "secret in $l output" >>"$TMP/$name.bad"
		fi
	done
	expected_answers "$exp" | sort >"$TMP/$name.want"
	nq=$((nq + $(wc -l <"$TMP/$name.want")))
	cat "$TMP/$name.want" >>"$TMP/all.want"
	echo "$name" >>"$TMP/names"
done
python3 "$TMP/check.py" "$TMP"/*.sds.ja "$TMP"/*.sds.en "$TMP"/*.sds-csv.ja "$TMP"/*.sds-csv.en >"$TMP/checked"
while read -r name; do
	bad=$(cat "$TMP/$name.bad")
	for l in ja en; do
		grep "^$TMP/$name.sds-csv.$l " "$TMP/checked" | cut -d' ' -f2- | sort >"$TMP/$name.got.$l"
		msg=$(grep -F "$TMP/$name.sds.$l!" "$TMP/checked" | head -3)
		[ -z "$msg" ] || bad="$bad html/$l: $msg"
	done
	if ! cmp -s "$TMP/$name.want" "$TMP/$name.got.en"; then
		bad="$bad answers differ (jq vs tenken): $(diff "$TMP/$name.want" "$TMP/$name.got.en" | head -6 | tr '\n' ' ')"
	fi
	cmp -s "$TMP/$name.got.en" "$TMP/$name.got.ja" || bad="$bad ja and en answers differ"
	[ -s "$TMP/$name.want" ] || bad="$bad no answers"
	# every answered question has its answer cell in the HTML (+ 5 in the
	# summary; the heading 17.1 has none)
	n_html=$(grep -o 'class="ans ans-[a-z_]*"' "$TMP/$name.sds.ja" | grep -vc ans-heading)
	n_rows=$(($(wc -l <"$TMP/$name.want") + 5))
	[ "$n_html" -eq "$n_rows" ] || bad="$bad html answer cells $n_html, expected $n_rows"
	if [ -z "$bad" ]; then pass "sds $name"; else fail "sds $name" "$bad"; fi
done <"$TMP/names"
expect_grep "no wireless: 22 not applicable" '^22 not_applicable$' "$TMP/nowifi.got.en"
expect_grep "wireless unknown: 22 not n/a" '^22 (yes|unknown)$' "$TMP/nosys.got.en"
if [ "$nrep" -ge 50 ]; then pass "sds rendered $nrep fixture reports ($nq answers)"; else fail "sds fixture reports" "only $nrep"; fi

# The answers across all fixtures reach every kind, so the comparison above
# tested each branch, not only "unknown".
for a in yes no unknown not_applicable not_evidenced; do
	if grep -q " $a\$" "$TMP/all.want"; then pass "some fixture answers $a"; else fail "some fixture answers $a" "none"; fi
done

# Never yes where a mapped rule is unknown: drop one passing rule of a "yes"
# question from a report, and the answer becomes unknown.
"$TENKEN" report --format sds-csv --lang en --output "$TMP/base.sds-csv.en" tests/fixtures/time-timesyncd/expected.json
if csv_answers "$TMP/base.sds-csv.en" | grep -qx '18 yes'; then
	jq '.findings |= map(select(.rule != "time.sync_configured"))' tests/fixtures/time-timesyncd/expected.json >"$TMP/norule.json"
	"$TENKEN" report --format sds-csv --lang en --output "$TMP/norule.sds-csv.en" "$TMP/norule.json"
	csv_answers "$TMP/norule.sds-csv.en" >"$TMP/norule.txt"
	expect_grep "absent rule: 18 unknown" '^18 unknown$' "$TMP/norule.txt"
	jq '(.findings[] | select(.rule == "time.sync_configured") | .status) = "unknown"' \
		tests/fixtures/time-timesyncd/expected.json >"$TMP/unk.json"
	"$TENKEN" report --format sds-csv --lang en --output "$TMP/unk.sds-csv.en" "$TMP/unk.json"
	csv_answers "$TMP/unk.sds-csv.en" >"$TMP/unk.txt"
	expect_grep "unknown rule: 18 unknown" '^18 unknown$' "$TMP/unk.txt"
else
	fail "time-timesyncd answers 18 yes" "$(csv_answers "$TMP/base.sds-csv.en" | grep '^18 ')"
fi

# Provenance and signature status, when the report carries them.
jq '. + {provenance: {tool: {name: "tenken", version: "0.1.0", binary_sha256: "b1n4ry5ha"},
	ruleset_sha256: "ru1e5et5ha", baseline_sha256: null,
	command_line: ["tenken", "scan", "--root", "/srv/x"], judged_at: "2026-11-22T00:00:00Z",
	root: "/srv/x", mode: "offline",
	host: {machine_id: "m1", hostname: "h1", ssh_host_keys: [{type: "ssh-ed25519", fingerprint: "SHA256:fpr1"}]}},
	verification: {status: "valid", signer: "ops@example", method: "sshsig"}}' \
	tests/fixtures/time-timesyncd/expected.json >"$TMP/prov.json"
"$TENKEN" report --format sds --lang ja --output "$TMP/prov.ja.html" "$TMP/prov.json"
"$TENKEN" report --format sds --lang en --output "$TMP/prov.en.html" "$TMP/prov.json"
for s in b1n4ry5ha ru1e5et5ha SHA256:fpr1 ops@example "tenken scan --root /srv/x"; do
	expect_grep "provenance shows $s" "$s" "$TMP/prov.ja.html"
done
expect_grep "signature valid (ja)" "署名は有効" "$TMP/prov.ja.html"
expect_grep "signature valid (en)" "signature valid" "$TMP/prov.en.html"
# A report without provenance (made before it existed) says so.
jq 'del(.provenance)' tests/fixtures/time-timesyncd/expected.json >"$TMP/noprov.json"
"$TENKEN" report --format sds --lang ja --output "$TMP/noprov.sds.ja" "$TMP/noprov.json"
expect_grep "no provenance said (ja)" "来歴 \(provenance\) がありません" "$TMP/noprov.sds.ja"
expect_grep "no verification said (en)" "signature not verified.*tenken verify" "$TMP/time-timesyncd.sds.en"
expect_grep "no verification said (ja)" "署名未検証" "$TMP/time-timesyncd.sds.ja"
expect_grep "csv says not verified" ',not_verified.$' "$TMP/time-timesyncd.sds-csv.en"
"$TENKEN" report --format sds-csv --output "$TMP/prov.csv" "$TMP/prov.json"
expect_grep "csv carries valid" ',valid.$' "$TMP/prov.csv"

# The view names the questions a scan cannot evidence, and never answers them.
expect_grep "not evidenced listed (ja)" "この検査では確認できません" "$TMP/time-timesyncd.sds.ja"
expect_grep "not-in-catalogue sections listed" 'id="not-in-catalogue"' "$TMP/time-timesyncd.sds.ja"
expect_grep "form numbering: 75.1" '>75\.1<' "$TMP/time-timesyncd.sds.ja"
expect_grep "English rendering" "Is there a mechanism ensuring accurate time information\?" "$TMP/time-timesyncd.sds.en"
expect_grep "A4 print CSS" '@page\{size:A4' "$TMP/time-timesyncd.sds.ja"

# scan renders it directly too; a bad report is refused.
expect_status "scan --format sds" 1 "$TENKEN" scan --root tests/fixtures/time-timesyncd --now 2026-11-22T00:00:00Z --format sds --output "$TMP/scan.html"
if [ "$(wc -c <"$TMP/scan.html")" -gt 1000 ]; then pass "scan --format sds wrote HTML"; else fail "scan --format sds wrote HTML"; fi
echo '{"format": "not-a-report"}' >"$TMP/bad.json"
expect_status "report --format sds refuses a non-report" 2 "$TENKEN" report --format sds "$TMP/bad.json"

# Print to PDF with headless chromium when it is installed.
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
	timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		--user-data-dir="$TMP/chromium" --print-to-pdf="$TMP/sds.pdf" \
		"file://$TMP/time-timesyncd.sds.ja" >/dev/null 2>&1
	if head -c 5 "$TMP/sds.pdf" 2>/dev/null | grep -q '%PDF-'; then
		pass "chromium prints the SDS view to PDF"
	else
		fail "chromium prints the SDS view to PDF" "no PDF from $CHROMIUM"
	fi
else
	echo "SKIP chromium --print-to-pdf (chromium is not installed)"
fi
