#!/bin/sh
# tests/e2e/calc.sh - tenken's CSV as a spreadsheet reads it. LibreOffice
# Calc (the Debian package libreoffice-calc-nogui, headless) converts the
# fleet matrix CSV, the 2(1) ledger CSV and the checklist sheet CSV, in
# Japanese and English, to .xlsx; the cells are read back from the .xlsx
# (python3's zipfile and ElementTree: sharedStrings.xml and sheet1.xml)
# and must be:
# - the same text as the CSV's own cells (python's csv module, utf-8-sig),
#   Japanese intact, except the dates, which Calc turns into date values,
#   and ="0012", the form tenken gives text that reads as a number (an
#   all-digit machine id), which Calc must show as 0012;
# - one row per host and item (matrix), per host (ledger), per item
#   (sheet), with the answers of the JSON summary or reports, はい/いいえ
#   under ja;
# - dates whose value is the JST time that TZ=Asia/Tokyo date gives for
#   the UTC time in the JSON (Calc takes 2026-12-01 08:00:00 for a date
#   and time, and keeps the sheet's 2026/11/02 as text).
# The import filter is given as Excel reads a CSV with a BOM: UTF-8 (76),
# comma, double quote. Calc's own default charset follows the locale and
# does not look at the BOM. Without soffice the check is reported skipped.
. tests/lib.sh

SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -z "$SOFFICE" ] || [ ! -x "$B/tools/mkfleet" ] || ! command -v jq >/dev/null ||
	! command -v python3 >/dev/null; then
	pass "calc: CSV in LibreOffice (skipped: soffice, jq, python3 or $B/tools/mkfleet missing)"
	exit 0
fi

NOW=2026-12-01T00:00:00Z
R() { $TENKEN report --now $NOW "$@"; }
C=$TMP/csv
mkdir -p "$C"

# A small fleet (renamed, stale, several scans) and one host's three scans
# for the sheet: accounts-good and files-writable share a machine id; the
# first scan at 16:00Z is the next day in Japan.
$B/tools/mkfleet "$TMP/g" 12 2 $NOW $(ls tests/fixtures/*/expected.json | head -12) >/dev/null
R --db "$TMP/db" ingest "$TMP/g" >/dev/null 2>&1
R --db "$TMP/db" --format json >"$TMP/sum.json" 2>/dev/null
i=0
for p in accounts-good:2026-11-01T16:00:00Z files-writable:2026-11-10T01:00:00Z \
	accounts-good:2026-11-20T15:30:00Z; do
	i=$((i + 1))
	jq --arg d "${p#*:}" '.scan.started_at = $d | .scan.now = $d | .scan.finished_at = $d' \
		"tests/fixtures/${p%%:*}/expected.json" >"$TMP/s$i.json"
done
for lang in ja en; do
	R --db "$TMP/db" --format csv --lang $lang >"$C/matrix.$lang.csv" 2>/dev/null
	R --db "$TMP/db" --format csv --view ledger --lang $lang >"$C/ledger.$lang.csv" 2>/dev/null
	R --format sheet-csv --lang $lang "$TMP/s3.json" "$TMP/s1.json" "$TMP/s2.json" \
		>"$C/sheet.$lang.csv" 2>/dev/null
done
for k in 1 2 3; do
	jq -r --arg k $k '.checklist[] | "\(.item) \($k) \(.answer) \(.title.ja)"' "$TMP/s$k.json"
done >"$TMP/sheet.want"
jq -r '.hosts[] | "\(.hostname)|\(.machine_id // "")|\(.scanned_at)|\(.stale)"' "$TMP/sum.json" |
	while IFS="|" read -r h m at st; do
		printf '%s\t%s\t%s\t%s\n' "$h" "$m" "$(TZ=Asia/Tokyo date -d "$at" '+%Y-%m-%d %H:%M:%S')" "$st"
	done >"$TMP/hosts.want"
jq -r '.hosts[] | .hostname as $h | .answers | to_entries[] | "\($h)\t\(.key)\t\(.value)"' \
	"$TMP/sum.json" >"$TMP/answers.want"

# One soffice for the six files; a private profile so parallel runs do not
# share (and lock) ~/.config/libreoffice.
HOME=$TMP timeout 180 "$SOFFICE" -env:UserInstallation="file://$TMP/profile" --headless \
	--infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$TMP/x" "$C"/*.csv \
	>"$TMP/lo.out" 2>&1
n=$(ls "$TMP"/x/*.xlsx 2>/dev/null | wc -l)
[ "$n" -eq 6 ] && pass "calc: soffice converted the 6 CSV files to xlsx" ||
	fail "calc: soffice conversion" "$n xlsx" "$(tail -5 "$TMP/lo.out")"

if python3 - "$TMP" >"$TMP/v" 2>&1 <<'EOF'; then
import csv, datetime, sys, zipfile
import xml.etree.ElementTree as ET

T = sys.argv[1]
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
WORDS = {"ja": {"yes": "はい", "no": "いいえ", "unknown": "不明", "organisational": "組織的対応"},
         "en": {"yes": "yes", "no": "no", "unknown": "unknown", "organisational": "organisational"}}
STALE = {"ja": "古い報告", "en": "stale"}
problems = []
checked = 0


def col(ref):
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_rows(path):
    """The cells Calc wrote: str for text, float for numbers and dates."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rows = []
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    for r in sheet.find("m:sheetData", NS).findall("m:row", NS):
        cells = {}
        for c in r.findall("m:c", NS):
            v = c.find("m:v", NS)
            if v is None:
                continue
            t = c.get("t", "n")
            cells[col(c.get("r"))] = shared[int(v.text)] if t == "s" else (
                v.text if t == "str" else float(v.text))
        width = max(cells) + 1 if cells else 0
        rows.append([cells.get(i, "") for i in range(width)])
    return rows


def serial_text(x, fmt):
    """A Calc date value (days since 1899-12-30, local time) as text; text
    (a date Calc did not take for one) as it is."""
    if not isinstance(x, float):
        return x
    d = datetime.datetime(1899, 12, 30) + datetime.timedelta(days=x)
    d = (d + datetime.timedelta(milliseconds=500)).replace(microsecond=0)
    return d.strftime(fmt)


def same_as_csv(name, rows, date_cols, fmt):
    """Every cell equals the CSV's own cell; date columns are dates."""
    global checked
    src = list(csv.reader(open(f"{T}/csv/{name}.csv", encoding="utf-8-sig", newline="")))
    if len(rows) != len(src):
        problems.append(f"{name}: {len(rows)} rows in xlsx, {len(src)} in the CSV")
        return
    for i, (a, b) in enumerate(zip(rows, src)):
        b = b + [""] * (len(a) - len(b))
        a = a + [""] * (len(b) - len(a))
        for j, (x, y) in enumerate(zip(a, b)):
            if i > 0 and j in date_cols and y:
                if x != y and serial_text(x, fmt) != y:
                    problems.append(f"{name} row {i + 1} col {j + 1}: {x!r} is not the date {y}")
            elif x != (y[2:-1] if y.startswith('="') and y.endswith('"') else y):
                problems.append(f"{name} row {i + 1} col {j + 1}: {x!r}, CSV has {y!r}")
            checked += 1


hosts = {}
for line in open(f"{T}/hosts.want", encoding="utf-8"):
    h, m, jst, stale = line.rstrip("\n").split("\t")
    hosts[h] = (m, jst, stale == "true")
answers = {}
for line in open(f"{T}/answers.want", encoding="utf-8"):
    h, item, a = line.rstrip("\n").split("\t")
    answers[(h, item)] = a
sheet = {}
for line in open(f"{T}/sheet.want", encoding="utf-8"):
    item, k, a, title = line.rstrip("\n").split(" ", 3)
    sheet[(item, int(k))] = a
    sheet[item] = title

for lang in ("ja", "en"):
    w = WORDS[lang]
    # matrix: host, machine id, scanned at (JST), stale, item, answer
    rows = xlsx_rows(f"{T}/x/matrix.{lang}.xlsx")
    same_as_csv(f"matrix.{lang}", rows, {2}, "%Y-%m-%d %H:%M:%S")
    seen = {}
    for r in rows[1:]:
        r = r + [""] * (6 - len(r))
        key = (r[0], r[4])
        seen[key] = seen.get(key, 0) + 1
        m, jst, stale = hosts[r[0]]
        if r[5] != w[answers[key]]:
            problems.append(f"matrix.{lang} {key}: {r[5]!r}, JSON {answers[key]}")
        if r[1] != m or serial_text(r[2], "%Y-%m-%d %H:%M:%S") != jst:
            problems.append(f"matrix.{lang} {key}: {r[1]} {r[2]!r}, JSON {m} {jst}")
        if (r[3] == STALE[lang]) != stale:
            problems.append(f"matrix.{lang} {key}: stale {r[3]!r}")
    if sorted(seen) != sorted(answers) or set(seen.values()) != {1}:
        problems.append(f"matrix.{lang}: not one row per host and item")
    if lang == "ja" and not {"はい", "いいえ"} <= {r[5] for r in rows[1:]}:
        problems.append("matrix.ja: no はい or no いいえ")
    # ledger: one row per host, last scan (JST) in column 11
    rows = xlsx_rows(f"{T}/x/ledger.{lang}.xlsx")
    same_as_csv(f"ledger.{lang}", rows, {10}, "%Y-%m-%d %H:%M:%S")
    names = [r[0] for r in rows[1:]]
    if sorted(names) != sorted(hosts):
        problems.append(f"ledger.{lang}: hosts {names}")
    for r in rows[1:]:
        if serial_text(r[10], "%Y-%m-%d %H:%M:%S") != hosts[r[0]][1]:
            problems.append(f"ledger.{lang} {r[0]}: {r[10]!r}, JST {hosts[r[0]][1]}")
    # sheet: item, section, title, then answer/date/target per check
    rows = xlsx_rows(f"{T}/x/sheet.{lang}.xlsx")
    same_as_csv(f"sheet.{lang}", rows, {4, 7, 10}, "%Y/%m/%d")
    items = [r[0] for r in rows[1:]]
    want_items = sorted(k for k in sheet if isinstance(k, str))
    if sorted(items) != want_items or len(set(items)) != len(items):
        problems.append(f"sheet.{lang}: items {items}")
    dates = ["2026/11/02", "2026/11/10", "2026/11/21"]
    for r in rows[1:]:
        r = r + [""] * (13 - len(r))
        if lang == "ja" and r[2] != sheet[r[0]]:
            problems.append(f"sheet.ja {r[0]}: title {r[2]!r}")
        for k in (1, 2, 3):
            a = sheet[(r[0], k)]
            want = "" if a == "organisational" else w[a]
            got = r[3 * k]
            date = serial_text(r[3 * k + 1], "%Y/%m/%d") if r[3 * k + 1] != "" else ""
            if got != want or date != (dates[k - 1] if a in ("yes", "no") else ""):
                problems.append(f"sheet.{lang} {r[0]} check {k}: {got!r} {date!r}, want {a}")

if problems:
    print("\n".join(problems[:20]))
    sys.exit(1)
print(f"{checked} cells, {len(answers)} host-item rows, {len(hosts)} hosts")
EOF
	pass "calc: Calc reads the CSV cells as written, Japanese intact, one row per host and item, JST dates ($(tail -1 "$TMP/v"))"
else
	fail "calc: what Calc reads differs" "$(head -20 "$TMP/v")"
fi
