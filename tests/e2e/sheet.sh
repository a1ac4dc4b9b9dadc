#!/bin/sh
# tests/e2e/sheet.sh - the checklist sheet of one host (tenken report
# --format sheet|sheet-csv, up to three scans as the 1st to 3rd checks).
# Three scans of a fixture root (the third after systemctl --root enables
# a forbidden service) are dated on three days and given out of order; the
# sheet must put them oldest first with their JST dates and show, for every
# item of the catalog, the answer of each scan. Headless Chromium (the
# Debian package) renders it: --dump-dom gives the cells a browser sees,
# compared with the JSON answers; --print-to-pdf gives an A4 PDF and
# --screenshot a PNG, in both languages. Without chromium those checks are
# reported as skipped. SHEET_SHOTS=DIR keeps the PNG and PDF files.
. tests/lib.sh

NOW=2026-11-22T00:00:00Z
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)

ROOT=$TMP/root
cp -a tests/fixtures/services-good "$ROOT"
cp -a tests/fixtures/accounts-good/etc/passwd tests/fixtures/accounts-good/etc/group \
	tests/fixtures/accounts-good/etc/shadow tests/fixtures/accounts-good/etc/machine-id "$ROOT/etc/"
ROOT2=$TMP/root2
cp -a "$ROOT" "$ROOT2"
if command -v systemctl >/dev/null 2>&1; then
	systemctl --root="$ROOT2" enable avahi-daemon.service >/dev/null 2>&1
else
	mkdir -p "$ROOT2/etc/systemd/system/multi-user.target.wants"
	ln -s /lib/systemd/system/avahi-daemon.service "$ROOT2/etc/systemd/system/multi-user.target.wants/"
fi

# scan N ROOT STARTED_AT [--only ...]: a report dated STARTED_AT.
scan() {
	n=$1 root=$2 at=$3
	shift 3
	"$TENKEN" scan --root "$root" --now $NOW --format json --output "$TMP/raw$n.json" "$@" 2>/dev/null
	jq --arg at "$at" '.scan.started_at = $at' "$TMP/raw$n.json" >"$TMP/s$n.json"
}
# 16:00Z is the next day in Japan: the sheet's dates are JST.
scan 1 "$ROOT" 2026-11-01T16:00:00Z --only system,services
scan 2 "$ROOT" 2026-11-10T01:00:00Z
scan 3 "$ROOT2" 2026-11-20T15:30:00Z
DATES="2026/11/02 2026/11/10 2026/11/21"

for lang in ja en; do
	expect_status "sheet $lang from three scans" 0 "$TENKEN" report --format sheet --lang $lang \
		--output "$TMP/sheet.$lang.html" "$TMP/s3.json" "$TMP/s1.json" "$TMP/s2.json"
	expect_status "sheet-csv $lang from three scans" 0 "$TENKEN" report --format sheet-csv \
		--lang $lang --output "$TMP/sheet.$lang.csv" "$TMP/s2.json" "$TMP/s3.json" "$TMP/s1.json"
done

# The answers the sheet must show: item, check, answer per line.
for k in 1 2 3; do
	jq -r --arg k $k '.checklist[] | "\(.item) \($k) \(.answer)"' "$TMP/s$k.json"
done | sort >"$TMP/want"
# Items of the edition that a report does not list would show blank; the
# shipped reports list every item.
[ "$(wc -l <"$TMP/want")" -gt 30 ] && pass "the scans answer every item" || fail "the scans answer every item" "$(cat "$TMP/want")"

# CSV: BOM, CRLF, one row per item, はい/いいえ where tenken judged.
csv=$TMP/sheet.ja.csv
[ "$(head -c 3 "$csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && pass "sheet-csv ja starts with a BOM" || fail "sheet-csv ja starts with a BOM"
lines=$(wc -l <"$csv")
crlf=$(grep -c "$(printf '\r')\$" "$csv")
[ "$lines" = "$crlf" ] && pass "sheet-csv lines end in CRLF" || fail "sheet-csv lines end in CRLF" "$lines lines, $crlf CRLF"
items=$(jq '.checklist | length' "$TMP/s2.json")
[ "$lines" -eq $((items + 1)) ] && pass "sheet-csv has one row per item" || fail "sheet-csv has one row per item" "$lines lines for $items items"
# Columns 4, 7, 10 are the three checks (python reads RFC 4180).
if /usr/bin/python3 - "$TMP/want" "$TMP/sheet.ja.csv" "$TMP/sheet.en.csv" $DATES >"$TMP/v" 2>&1 <<'EOF'; then
import csv, sys
want = {}
for line in open(sys.argv[1]):
    item, k, a = line.split()
    want[(item, int(k))] = a
dates = sys.argv[4:7]
words = {"ja": {"yes": "はい", "no": "いいえ", "unknown": "不明", "organisational": ""},
         "en": {"yes": "yes", "no": "no", "unknown": "unknown", "organisational": ""}}
for path, lang in ((sys.argv[2], "ja"), (sys.argv[3], "en")):
    rows = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    for row in rows[1:]:
        for k in (1, 2, 3):
            a = want[(row[0], k)]
            got, date = row[3 * k], row[3 * k + 1]
            if got != words[lang][a]:
                sys.exit(f"{lang} {row[0]} check {k}: {got!r}, want {a}")
            if date != (dates[k - 1] if a in ("yes", "no") else ""):
                sys.exit(f"{lang} {row[0]} check {k}: date {date!r}")
print("ok")
EOF
	pass "sheet-csv answers and JST dates equal the JSON, ja and en"
else
	fail "sheet-csv answers and JST dates equal the JSON, ja and en" "$(tail -3 "$TMP/v")"
fi

# The same from the HTML as written (the browser check follows).
expect_grep "sheet html: A4 page" '@page\{size:A4' "$TMP/sheet.ja.html"
expect_grep "sheet html: Japanese form title" '医療機関におけるサイバーセキュリティ対策チェックリスト \(令和6年度版\)' "$TMP/sheet.ja.html"
expect_grep "sheet html: target date field" '目標日 \(' "$TMP/sheet.ja.html"
expect_no_grep "sheet html en: no Japanese answer words" 'いいえ|目標日' "$TMP/sheet.en.html"
expect_no_grep "sheet html: no script or external resource" '<script|src=|href=' "$TMP/sheet.ja.html"

# Refusals: four scans, two hosts, two editions.
expect_status "four scans are refused" 2 "$TENKEN" report --format sheet "$TMP/s1.json" "$TMP/s2.json" "$TMP/s3.json" "$TMP/s1.json"
jq '.host.machine_id = "ffffffffffffffffffffffffffffffff"' "$TMP/s2.json" >"$TMP/other.json"
expect_status "two hosts are refused" 2 "$TENKEN" report --format sheet --lang en "$TMP/s1.json" "$TMP/other.json"
expect_grep "two hosts: said why" 'one host only' "$TMP/err"
"$TENKEN" scan --root "$ROOT" --now $NOW --checklist r7 --format json --output "$TMP/r7.json" 2>/dev/null
expect_status "two editions are refused" 2 "$TENKEN" report --format sheet --lang en "$TMP/s1.json" "$TMP/r7.json"
expect_status "an r7 sheet on its own" 0 "$TENKEN" report --format sheet --lang ja --output "$TMP/r7.html" "$TMP/r7.json"
expect_grep "r7 sheet lists r7 items" 'data-item="2-⑬"' "$TMP/r7.html"
printf '{"format": "tenken-report",\n "host": 3}\n' >"$TMP/bad.json"
expect_status "a bad report is refused" 2 "$TENKEN" report --format sheet "$TMP/bad.json"
expect_grep "a bad report: file:line:col" "^$TMP/bad.json:2:10: " "$TMP/err"
expect_status "scan --format sheet (one check)" 0 "$TENKEN" scan --root "$ROOT" --now $NOW --only system --format sheet-csv --lang en
expect_grep "scan --format sheet-csv prints the header" '^.?"Item","Section","Checklist item","1st check"' "$TMP/out"

if [ -z "$CHROMIUM" ]; then
	pass "sheet in headless Chromium (skipped: chromium not installed)"
	exit 0
fi

# chromium writes a profile and crash reports: keep them in $TMP.
browser() {
	HOME=$TMP timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$TMP/profile" --disable-dev-shm-usage "$@" 2>>"$TMP/chromium.err"
}
for lang in ja en; do
	browser --dump-dom "file://$TMP/sheet.$lang.html" >"$TMP/dom.$lang.html"
	if /usr/bin/python3 - "$TMP/want" "$TMP/dom.$lang.html" $DATES >"$TMP/v" 2>&1 <<'EOF'; then
import sys
from html.parser import HTMLParser
want = {}
for line in open(sys.argv[1]):
    item, k, a = line.split()
    want[(item, int(k))] = a
dates = sys.argv[3:6]

class Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self.cur, self.span = [], None, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-item" in a:
            self.cur = {"item": a["data-item"], "k": int(a["data-check"]),
                        "answer": a["data-answer"], "circled": [], "text": ""}
            self.cells.append(self.cur)
        elif tag == "span" and self.cur is not None:
            self.span = a.get("class", "")
    def handle_endtag(self, tag):
        if tag == "td":
            self.cur = None
    def handle_data(self, data):
        if self.cur is None:
            return
        self.cur["text"] += data
        if self.span and "circled" in self.span.split():
            self.cur["circled"].append(data.strip())
        self.span = None

p = Cells()
p.feed(open(sys.argv[2], encoding="utf-8").read())
seen = set()
for c in p.cells:
    key = (c["item"], c["k"])
    seen.add(key)
    a = want[key]
    if c["answer"] != a:
        sys.exit(f"{key}: data-answer {c['answer']}, JSON {a}")
    circled = {"yes": ["はい"], "no": ["いいえ"]}.get(a, [])
    if c["circled"] not in (circled, [w.replace("はい", "Yes").replace("いいえ", "No") for w in circled]):
        sys.exit(f"{key}: circled {c['circled']}, JSON {a}")
    if a in ("yes", "no") and f"({dates[c['k'] - 1]})" not in c["text"]:
        sys.exit(f"{key}: no date {dates[c['k'] - 1]} in {c['text']!r}")
missing = set(want) - seen
if missing:
    sys.exit(f"cells missing: {sorted(missing)[:5]}")
print(len(p.cells), "cells")
EOF
		pass "sheet $lang in Chromium: every cell equals the JSON answer ($(cat "$TMP/v"))"
	else
		fail "sheet $lang in Chromium: every cell equals the JSON answer" "$(tail -3 "$TMP/v")"
	fi
	browser --print-to-pdf="$TMP/sheet.$lang.pdf" --no-pdf-header-footer "file://$TMP/sheet.$lang.html" >/dev/null
	if [ "$(head -c 5 "$TMP/sheet.$lang.pdf" 2>/dev/null)" = "%PDF-" ]; then
		pass "sheet $lang prints to PDF"
	else
		fail "sheet $lang prints to PDF" "$(tail -3 "$TMP/chromium.err")"
	fi
	# A4 is 595 x 842 points; Chromium writes each page's MediaBox.
	if grep -aqE '/MediaBox ?\[ ?0 0 59[45](\.[0-9]+)? 84[12](\.[0-9]+)? ?\]' "$TMP/sheet.$lang.pdf"; then
		pass "sheet $lang PDF pages are A4"
	else
		fail "sheet $lang PDF pages are A4" "$(grep -ao '/MediaBox[^]]*]' "$TMP/sheet.$lang.pdf" | head -2)"
	fi
	browser --screenshot="$TMP/sheet.$lang.png" --window-size=1240,1754 --hide-scrollbars \
		"file://$TMP/sheet.$lang.html" >/dev/null
	if [ "$(od -An -tx1 -N8 "$TMP/sheet.$lang.png" 2>/dev/null | tr -d ' ')" = 89504e470d0a1a0a ]; then
		pass "sheet $lang screenshot is a PNG"
	else
		fail "sheet $lang screenshot is a PNG" "$(tail -3 "$TMP/chromium.err")"
	fi
	if [ -n "${SHEET_SHOTS:-}" ]; then
		mkdir -p "$SHEET_SHOTS"
		cp "$TMP/sheet.$lang.png" "$TMP/sheet.$lang.pdf" "$TMP/sheet.$lang.html" "$SHEET_SHOTS/"
	fi
done
