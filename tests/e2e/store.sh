#!/bin/sh
# The history store (tenken report --db, tenken report FILE|DIR...): reports
# generated from the fixtures' expected.json (tests/tools/mkfleet.c: renamed
# hosts, hosts without machine id, several scans per host, stale, duplicated,
# corrupt, future, another format and version, a fleet error) are ingested;
# the matrix counts must equal counts computed from the same files with jq;
# every refused file is named with a reason; a second ingest changes nothing
# (sqlite3 .dump); kill -9 during an ingest leaves the store as it was
# (sqlite3 integrity_check and .dump); the summary validates against
# docs/schema/fleet-summary.schema.json (python3-jsonschema); the HTML page
# read back by headless Chromium shows the same answers as the JSON; dates
# in the CSV are JST as tzdata says (TZ=Asia/Tokyo date).
. tests/lib.sh

if ! command -v jq >/dev/null || ! command -v sqlite3 >/dev/null || [ ! -x "$B/tools/mkfleet" ]; then
	pass "store: history store (skipped: jq, sqlite3 or $B/tools/mkfleet missing)"
	exit 0
fi

NOW=2026-12-01T00:00:00Z
MKFLEET=$B/tools/mkfleet
# Sixteen server reports and one judged with the terminal profile.
FIX="$(ls tests/fixtures/*/expected.json | head -16) tests/fixtures/logging-journal/expected.json"
G=$TMP/g
DB=$TMP/store.db
R() { $TENKEN report --now $NOW "$@"; }

n=$($MKFLEET "$G" 45 3 $NOW $FIX)
[ "$n" -gt 130 ] && pass "store: $n report files generated" || fail "store: generator" "$n"

# --- ingest, and what was refused ---
R --db "$DB" ingest "$G" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 1 ] && pass "store: ingest exits 1 when files were refused" ||
	fail "store: ingest exit" "exit $rc" "$(tail -5 "$TMP/err")"
for f in "$G"/corrupt/*.json; do
	grep -q "^tenken: $f:[0-9]*:[0-9]*: not valid JSON" "$TMP/err" || fail "store: corrupt $f named with line:col" "$(grep -F "$f" "$TMP/err")"
done
pass "store: every corrupt file named with file:line:col"
expect_grep "store: future report refused" "future/host-[0-9]*\.json: scanned at .* in the future" "$TMP/err"
expect_grep "store: other format refused" "misc/inventory.json: not a tenken report" "$TMP/err"
expect_grep "store: other version refused" "misc/version-two.json: a format version" "$TMP/err"
expect_grep "store: counts line" "added [0-9]+, duplicate [1-9][0-9]*, unchanged 0, rejected [0-9]+, fleet errors 1, skipped 1" "$TMP/err"
nrej=$(ls "$G"/corrupt/*.json "$G"/future/*.json | wc -l)
nrej=$((nrej + 2))
got=$(grep -c '^tenken: .*/g/' "$TMP/err")
[ "$got" -eq "$nrej" ] && pass "store: $got files refused, each with a reason" ||
	fail "store: refused count" "got $got, want $nrej"

R --db "$DB" --format json >"$TMP/sum.json" 2>"$TMP/err"
expect_status "store: summary renders" 0 R --db "$DB" --format json
[ "$(jq '.rejected | length' "$TMP/sum.json")" -eq "$nrej" ] &&
	[ "$(jq '[.rejected[] | select(.reason == "corrupt")] | length' "$TMP/sum.json")" -eq "$(ls "$G"/corrupt | wc -l)" ] &&
	pass "store: summary lists the refused files with reasons" ||
	fail "store: summary rejected" "$(jq -c '.rejected | map(.reason)' "$TMP/sum.json")"
[ "$(jq -r '.errors[0].host + " " + .errors[0].reason' "$TMP/sum.json")" = "down.example unreachable" ] &&
	pass "store: fleet error record listed under errors" ||
	fail "store: errors" "$(jq -c .errors "$TMP/sum.json")"

# --- the oracle: jq over the same files ---
for f in $(find "$G" -name '*.json' | sort); do
	jq -c 'select(.format == "tenken-report" and .format_version == 1) |
		{id: (.host.machine_id // .host.hostname), t: .scan.now, p: .baseline.profile,
		 a: ([.checklist[] | {(.item): .answer}] | add)}' "$f" 2>/dev/null
done >"$TMP/lines"
jq -s -S --arg now $NOW '($now | fromdateiso8601) as $n |
	map(select((.t | fromdateiso8601) <= $n + 86400)) | group_by(.id) | map(max_by(.t)) |
	[.[] | ((.t | fromdateiso8601) < $n - 30 * 86400) as $stale | .a | to_entries[] |
	 {item: .key, k: (if $stale then "stale" else .value end)}] |
	group_by(.item) | map({(.[0].item): (group_by(.k) | map({(.[0].k): length}) | add)}) | add' \
	"$TMP/lines" >"$TMP/want.json"
jq -S '[.items[] | {(.item): ({yes, no, unknown, organisational, stale} |
	with_entries(select(.value > 0)))}] | add' "$TMP/sum.json" >"$TMP/got.json"
if cmp -s "$TMP/want.json" "$TMP/got.json" && [ -s "$TMP/want.json" ]; then
	pass "store: matrix counts equal jq's over the files ($(jq length "$TMP/want.json") items)"
else
	fail "store: matrix counts differ from jq" "$(diff "$TMP/want.json" "$TMP/got.json" | head -20)"
fi
hosts_jq=$(jq -s --arg now $NOW '($now | fromdateiso8601) as $n |
	map(select((.t | fromdateiso8601) <= $n + 86400)) | group_by(.id) | length' "$TMP/lines")
[ "$(jq '.hosts | length' "$TMP/sum.json")" -eq "$hosts_jq" ] &&
	pass "store: $hosts_jq hosts (renamed hosts kept as one)" ||
	fail "store: host count" "$(jq '.hosts | length' "$TMP/sum.json") vs jq $hosts_jq"
stale_jq=$(jq -s --arg now $NOW '($now | fromdateiso8601) as $n |
	map(select((.t | fromdateiso8601) <= $n + 86400)) | group_by(.id) | map(max_by(.t)) |
	map(select((.t | fromdateiso8601) < $n - 30 * 86400)) | length' "$TMP/lines")
[ "$(jq '[.hosts[] | select(.stale)] | length' "$TMP/sum.json")" -eq "$stale_jq" ] &&
	[ "$stale_jq" -gt 0 ] && pass "store: $stale_jq stale hosts flagged" ||
	fail "store: stale" "$stale_jq"
[ "$(jq '[.hosts[] | select(.stale and (.answers | length) > 0)] | length' "$TMP/sum.json")" -eq "$stale_jq" ] &&
	pass "store: stale hosts keep their answers, flagged" || fail "store: stale answers"

# --- trends: each month counts every host as it stood at the month's end
# (JST): its newest report before then, carried forward, stale when older
# than --stale-days then (at now for the current month); computed here in
# python straight from the report files, for two staleness settings ---
for sd in 30 10; do
	R --db "$DB" --format json --stale-days $sd | jq -S '.trends' >"$TMP/trends.got"
	python3 - "$G" $NOW $sd >"$TMP/trends.want" 2>"$TMP/err" <<'PY'
import calendar, datetime, json, os, sys
root, now_s, sd = sys.argv[1], sys.argv[2], int(sys.argv[3])
ts = lambda s: calendar.timegm(datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").timetuple())
now, JST = ts(now_s), 9 * 3600
reports = {}
for d, _, files in os.walk(root):
    for f in files:
        try:
            r = json.load(open(os.path.join(d, f)))
        except ValueError:
            continue
        if not isinstance(r, dict) or r.get("format") != "tenken-report" or r.get("format_version") != 1:
            continue
        t = ts(r["scan"]["now"])
        if t > now + 86400:
            continue
        host = r["host"].get("machine_id") or r["host"]["hostname"]
        reports.setdefault(host, []).append((t, {c["item"]: c["answer"] for c in r["checklist"]}))
month = lambda t: datetime.datetime.utcfromtimestamp(t + JST).strftime("%Y-%m")
first = min(t for rs in reports.values() for t, _ in rs)
last = max([now] + [t for rs in reports.values() for t, _ in rs])
y, m = map(int, month(first).split("-"))
out = []
while "%04d-%02d" % (y, m) <= month(last):
    ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
    end = calendar.timegm((ny, nm, 1, 0, 0, 0)) - JST
    counts = {}
    for rs in reports.values():
        before = [r for r in rs if r[0] < end]
        if not before:
            continue
        t, answers = max(before, key=lambda r: r[0])
        stale = t < min(end, now) - sd * 86400
        for item, a in answers.items():
            c = counts.setdefault(item, dict.fromkeys(
                ("yes", "no", "unknown", "organisational", "stale", "hosts"), 0))
            c["stale" if stale else a] += 1
            c["hosts"] += 1
    for item, c in counts.items():
        out.append(dict(c, month="%04d-%02d" % (y, m), item=item))
    y, m = ny, nm
json.dump(sorted(out, key=lambda c: (c["month"], c["item"])), sys.stdout, indent=2, sort_keys=True)
PY
	jq -S . "$TMP/trends.want" >"$TMP/trends.want.s"
	nm=$(jq '[.[].month] | unique | length' "$TMP/trends.want.s")
	if [ "$nm" -gt 1 ] && cmp -s "$TMP/trends.want.s" "$TMP/trends.got"; then
		pass "store: trends over $nm months equal python's count from the files (--stale-days $sd)"
	else
		fail "store: trends differ from python (--stale-days $sd)" \
			"$(diff "$TMP/trends.want.s" "$TMP/trends.got" | head -20)" "$(tail -3 "$TMP/err")"
	fi
done
jq -S '[.trends[] | select(.month == "'"$(TZ=Asia/Tokyo date -d $NOW +%Y-%m)"'") |
	{(.item): {yes, no, unknown, organisational, stale}}] | add' "$TMP/sum.json" >"$TMP/t1"
jq -S '[.items[] | {(.item): {yes, no, unknown, organisational, stale}}] | add' "$TMP/sum.json" >"$TMP/t2"
cmp -s "$TMP/t1" "$TMP/t2" && pass "store: the current month's trend is the matrix's counts" ||
	fail "store: current month vs matrix" "$(diff "$TMP/t1" "$TMP/t2" | head)"

# --- --profile: the hosts whose newest report was judged with it ---
R --db "$DB" --format json --profile terminal >"$TMP/p.json" 2>/dev/null
jq -s -S --arg now $NOW '($now | fromdateiso8601) as $n |
	map(select((.t | fromdateiso8601) <= $n + 86400)) | group_by(.id) | map(max_by(.t)) |
	map(select(.p == "terminal")) |
	[.[] | ((.t | fromdateiso8601) < $n - 30 * 86400) as $stale | .a | to_entries[] |
	 {item: .key, k: (if $stale then "stale" else .value end)}] |
	group_by(.item) | map({(.[0].item): (group_by(.k) | map({(.[0].k): length}) | add)}) | add' \
	"$TMP/lines" >"$TMP/pwant.json"
jq -S '[.items[] | {(.item): ({yes, no, unknown, organisational, stale} |
	with_entries(select(.value > 0)))}] | add' "$TMP/p.json" >"$TMP/pgot.json"
np=$(jq '.hosts | length' "$TMP/p.json")
if [ "$np" -gt 0 ] && [ "$np" -lt "$hosts_jq" ] && cmp -s "$TMP/pwant.json" "$TMP/pgot.json" &&
	[ "$(jq -r '[.hosts[].profile] | unique | join(",")' "$TMP/p.json")" = terminal ]; then
	pass "store: --profile terminal: $np hosts, counts equal jq's"
else
	fail "store: --profile terminal" "$np hosts" "$(diff "$TMP/pwant.json" "$TMP/pgot.json" | head)"
fi

# --- --view history: every stored scan of every host, as the files say ---
R --db "$DB" --format csv --view history >"$TMP/hist.csv" 2>/dev/null
R --db "$DB" --format json --view history >"$TMP/hist.json" 2>/dev/null
if python3 - "$G" $NOW "$TMP/hist.csv" "$TMP/hist.json" >"$TMP/v" 2>&1 <<'PY'; then
import calendar, csv, datetime, json, os, sys
root, now_s, csv_path, json_path = sys.argv[1:5]
ts = lambda s: calendar.timegm(datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").timetuple())
jst = lambda t: datetime.datetime.utcfromtimestamp(t + 9 * 3600).strftime("%Y-%m-%d %H:%M:%S")
want = set()
for d, _, files in os.walk(root):
    for f in files:
        try:
            r = json.load(open(os.path.join(d, f)))
        except ValueError:
            continue
        if not isinstance(r, dict) or r.get("format") != "tenken-report" or r.get("format_version") != 1:
            continue
        t = ts(r["scan"]["now"])
        if t <= ts(now_s) + 86400:
            host = r["host"].get("machine_id") or r["host"]["hostname"]
            want |= {(host, jst(t), c["item"], c["answer"]) for c in r["checklist"]}
rows = list(csv.reader(open(csv_path, encoding="utf-8-sig", newline="")))[1:]
got = [((m[2:-1] if m.startswith('="') else m) or h, t, i, a) for h, m, t, i, a in rows]
if len(got) != len(set(got)) or set(got) != want:
    sys.exit(f"{len(got)} rows, {len(set(got))} distinct, {len(want)} wanted; "
             f"missing {sorted(want - set(got))[:3]}, extra {sorted(set(got) - want)[:3]}")
hosts = json.load(open(json_path))["hosts"]
n = sum(len(h["history"]) for h in hosts)
print(f"{len(got)} rows, {n} scans")
PY
	pass "store: --view history has every stored scan of every host, as the files say ($(cat "$TMP/v"))"
else
	fail "store: --view history" "$(tail -3 "$TMP/v")"
fi
jq -e '[.hosts[] | select(.history)] | length == 0' "$TMP/sum.json" >/dev/null &&
	jq -e '[.hosts[] | .history[-1].answers == .answers] | all' "$TMP/hist.json" >/dev/null &&
	pass "store: history only with --view history; its last scan is the matrix's" ||
	fail "store: history in the summary"

# --- a second ingest changes nothing ---
sqlite3 "$DB" .dump >"$TMP/dump1"
R --db "$DB" ingest "$G" >/dev/null 2>"$TMP/err2"
sqlite3 "$DB" .dump >"$TMP/dump2"
cmp -s "$TMP/dump1" "$TMP/dump2" && pass "store: ingesting again changes nothing" ||
	fail "store: second ingest changed the store" "$(diff "$TMP/dump1" "$TMP/dump2" | head -10)"
expect_grep "store: second ingest parses nothing new" "added 0, duplicate 0, unchanged [1-9]" "$TMP/err2"
R --db "$DB" --format json >"$TMP/sum2.json" 2>/dev/null
jq -S 'del(.generated_at)' "$TMP/sum.json" >"$TMP/s1"
jq -S 'del(.generated_at)' "$TMP/sum2.json" >"$TMP/s2"
cmp -s "$TMP/s1" "$TMP/s2" && pass "store: summary unchanged by the second ingest" || fail "store: summary changed"

# --- in memory, directly on the files: the same summary ---
R --format json "$G" >"$TMP/mem.json" 2>/dev/null
jq -S 'del(.generated_at) | .hosts |= map(del(.file)) | .top_problems' "$TMP/mem.json" >"$TMP/m1"
jq -S 'del(.generated_at) | .hosts |= map(del(.file)) | .top_problems' "$TMP/sum.json" >"$TMP/m2"
cmp -s "$TMP/m1" "$TMP/m2" && [ "$(jq '.items' "$TMP/mem.json")" = "$(jq '.items' "$TMP/sum.json")" ] &&
	pass "store: report DIR (memory store) gives the same summary" || fail "store: memory vs db"

# --- one file still renders that report ---
one=$(ls "$G"/host-00000/*.json | head -1)
R --format json "$one" >"$TMP/one.json" 2>/dev/null
[ "$(jq -r .format "$TMP/one.json")" = tenken-report ] &&
	pass "store: report FILE renders the single report as before" || fail "store: single report"

# --- schema ---
if python3 -c 'import jsonschema' 2>/dev/null; then
	for s in sum mem hist; do
		if python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
			"$TMP/$s.json" docs/schema/fleet-summary.schema.json 2>"$TMP/err"; then
			pass "store: $s summary validates against the schema"
		else
			fail "store: $s summary schema" "$(tail -5 "$TMP/err")"
		fi
	done
	R --db "$DB" --format json --item '2(5):no' >"$TMP/f.json" 2>/dev/null
	python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
		"$TMP/f.json" docs/schema/fleet-summary.schema.json 2>"$TMP/err" &&
		pass "store: filtered summary validates" || fail "store: filtered schema" "$(tail -3 "$TMP/err")"
else
	pass "store: schema validation (skipped: python3-jsonschema missing)"
fi

# --- filters ---
R --db "$DB" --format json --item '2(5):no' >"$TMP/f.json" 2>/dev/null
nno=$(jq '.items[0].no' "$TMP/f.json")
[ "$(jq '.hosts | length' "$TMP/f.json")" -eq "$nno" ] && [ "$(jq '.items | length' "$TMP/f.json")" -eq 1 ] &&
	[ "$(jq '[.hosts[].answers["2(5)"]] | unique' -c "$TMP/f.json")" = '["no"]' ] &&
	pass "store: --item 2(5):no lists the $nno hosts answering no" || fail "store: --item filter"
R --db "$DB" --format json --item ':stale' >"$TMP/f.json" 2>/dev/null
[ "$(jq '.hosts | length' "$TMP/f.json")" -eq "$stale_jq" ] && pass "store: --item :stale lists stale hosts" ||
	fail "store: stale filter"
expect_status "store: unknown view is a usage error" 2 R --db "$DB" --view nope
expect_status "store: --require-signature without a trust option refuses" 2 R --db "$DB" --require-signature ingest "$G"
expect_grep "store: the trust options are named" "needs one of --pubkey, --allowed-signers, --known-hosts, --ca" "$TMP/err"

# --- CSV: BOM, CRLF, one row per host and item, JST dates as tzdata says ---
R --db "$DB" --format csv --lang ja >"$TMP/m.csv" 2>/dev/null
[ "$(head -c 3 "$TMP/m.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && pass "store: CSV starts with a BOM" || fail "store: BOM"
[ "$(grep -c "$(printf '\r')\$" "$TMP/m.csv")" -eq "$(wc -l <"$TMP/m.csv")" ] && pass "store: CSV lines end in CRLF" || fail "store: CRLF"
rows=$(jq '[.hosts[] | .answers | length] | add' "$TMP/sum.json")
[ "$(($(wc -l <"$TMP/m.csv") - 1))" -eq "$rows" ] && pass "store: matrix CSV has one row per host and item ($rows)" ||
	fail "store: CSV rows" "$(wc -l <"$TMP/m.csv") vs $rows"
expect_grep "store: CSV answers in Japanese" ',2\(4\),(はい|いいえ|不明)' "$TMP/m.csv"
R --db "$DB" --format csv --view ledger >"$TMP/l.csv" 2>/dev/null
ok=0
bad=""
for h in $(jq -r '.hosts[0:8][] | .hostname + "=" + .scanned_at' "$TMP/sum.json"); do
	name=${h%%=*}
	want=$(TZ=Asia/Tokyo date -d "${h#*=}" '+%Y-%m-%d %H:%M:%S')
	if grep -q "^$name,.*,$want," "$TMP/l.csv"; then ok=$((ok + 1)); else bad="$bad $name($want)"; fi
done
[ -z "$bad" ] && pass "store: ledger dates equal TZ=Asia/Tokyo date for $ok hosts" || fail "store: JST" "$bad"
for v in top trends changes; do
	R --db "$DB" --format csv --view $v >"$TMP/v.csv" 2>/dev/null
	[ "$(wc -l <"$TMP/v.csv")" -gt 1 ] && pass "store: --view $v CSV has rows" || fail "store: view $v"
done
jq -e '[.hosts[] | select(.changes) | .changes.new + .changes.fixed | length] | add > 0' "$TMP/sum.json" >/dev/null &&
	pass "store: changes since the previous scan found" || fail "store: no changes"

# --- the views are streamed into the output: a write error part-way
# (a 16 KiB tmpfs in a private mount namespace fills up) exits 2 and
# leaves the file that was there, and no temporary file ---
if unshare -m true 2>/dev/null; then
	mkdir "$TMP/small"
	unshare -m sh -c 'mount -t tmpfs -o size=16k tenken-test "$1" || exit 9
		echo before >"$1/f.html"
		"$2" report --now "$3" --db "$4" --format html --output "$1/f.html" 2>"$1/err"
		echo "rc=$?"; ls -A "$1"; cat "$1/f.html" "$1/err"' sh "$TMP/small" "$TENKEN" $NOW "$DB" \
		>"$TMP/full.out" 2>&1
	[ "$(head -4 "$TMP/full.out" | tr '\n' ' ')" = "rc=2 err f.html before " ] &&
		grep -q 'cannot write the output: No space left on device' "$TMP/full.out" &&
		pass "store: a view cut short by a full disk leaves the old file, no temporary" ||
		fail "store: full disk" "$(head -c 600 "$TMP/full.out")"
else
	pass "store: full disk mid-view (skipped: unshare -m not permitted)"
fi
R --db "$DB" --format csv --output /dev/full 2>"$TMP/err"
[ $? -eq 2 ] && grep -q 'No space left on device' "$TMP/err" && pass "store: /dev/full as output exits 2" ||
	fail "store: /dev/full" "$(cat "$TMP/err")"

# --- HTML read back by a real browser ---
R --db "$DB" --format html --lang ja >"$TMP/f.html" 2>/dev/null
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROME" ]; then
	HOME=$TMP timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --dump-dom "file://$TMP/f.html" \
		>"$TMP/dom.html" 2>/dev/null
	grep -o 'data-host="[^"]*" data-item="[^"]*" data-answer="[^"]*"' "$TMP/dom.html" |
		sed 's/data-host="\([^"]*\)" data-item="\([^"]*\)" data-answer="\([^"]*\)"/\1 \2 \3/' | sort >"$TMP/dom.txt"
	jq -r '.hosts[] | .hostname as $h | .answers | to_entries[] | "\($h) \(.key) \(.value)"' "$TMP/sum.json" |
		sort >"$TMP/json.txt"
	if [ -s "$TMP/json.txt" ] && cmp -s "$TMP/dom.txt" "$TMP/json.txt"; then
		pass "store: Chromium's DOM shows the JSON's $(wc -l <"$TMP/json.txt") answers"
	else
		fail "store: HTML answers differ from JSON" "$(diff "$TMP/dom.txt" "$TMP/json.txt" | head -10)"
	fi
else
	pass "store: HTML in Chromium (skipped: chromium missing)"
fi
expect_no_grep "store: HTML is self-contained" '<script|src="http|href="http' "$TMP/f.html"

# --- kill -9 during an ingest leaves the store as it was ---
$MKFLEET "$TMP/g2" 120 2 2026-11-20T00:00:00Z $FIX >/dev/null
sqlite3 "$DB" .dump >"$TMP/before"
$TENKEN report --now $NOW --db "$DB" ingest "$TMP/g2" >/dev/null 2>&1 &
pid=$!
i=0
while [ ! -e "$DB-journal" ] && [ $i -lt 2000 ] && kill -0 $pid 2>/dev/null; do
	i=$((i + 1))
	sleep 0.01
done
if [ -e "$DB-journal" ] && kill -9 $pid 2>/dev/null; then
	wait $pid 2>/dev/null
	[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] && pass "store: integrity ok after kill -9" ||
		fail "store: integrity after kill -9"
	sqlite3 "$DB" .dump >"$TMP/after"
	cmp -s "$TMP/before" "$TMP/after" && pass "store: kill -9 mid-ingest left the store as it was" ||
		fail "store: kill -9 changed the store" "$(diff "$TMP/before" "$TMP/after" | head -5)"
else
	wait $pid 2>/dev/null
	pass "store: kill -9 mid-ingest (skipped: the ingest finished before it could be killed)"
fi

# --- --host, and --keep-json: the stored blob decompresses (zstd, zlib-flate
# or python3's zlib) to the file's exact bytes ---
R --db "$DB" --format json --host host-00001 >"$TMP/h.json" 2>/dev/null
[ "$(jq -r '[.hosts[].hostname] | join(",")' "$TMP/h.json")" = host-00001 ] &&
	pass "store: --host shows one host" || fail "store: --host" "$(jq -c '[.hosts[].hostname]' "$TMP/h.json")"
for codec in zstd zlib; do
	R --db "$TMP/$codec.db" --keep-json $codec ingest "$G/host-00002" >/dev/null 2>&1
	f=$(ls "$G"/host-00002/*.json | tail -1)
	sqlite3 "$TMP/$codec.db" "SELECT writefile('$TMP/blob.$codec', json) FROM reports WHERE file = '$f'" >/dev/null
	if [ $codec = zstd ] && command -v zstd >/dev/null; then
		zstd -q -d -c "$TMP/blob.$codec" >"$TMP/blob.out"
	else
		python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.decompress(open(sys.argv[1], "rb").read()))' \
			"$TMP/blob.$codec" >"$TMP/blob.out"
	fi
	cmp -s "$TMP/blob.out" "$f" && pass "store: --keep-json $codec keeps the exact report" ||
		fail "store: --keep-json $codec" "$(ls -l "$TMP/blob.$codec" "$f")"
done
