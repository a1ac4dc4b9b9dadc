#!/bin/sh
# End-to-end tests of the command line: usage errors, exit statuses,
# atomic output. Fixture roots are copied to $TMP, never scanned in place.
. tests/lib.sh
NOW=2026-11-22T00:00:00Z
ROOT=tests/fixtures/accounts-good


expect_status "version" 0 "$TENKEN" --version
expect_grep "version text" '^tenken [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out"
expect_status "no arguments is usage" 2 "$TENKEN"
expect_status "unknown command" 2 "$TENKEN" frobnicate
expect_grep "unknown command named" "unknown command 'frobnicate'" "$TMP/err"
expect_status "unknown option" 2 "$TENKEN" scan --bogus
expect_status "bad --format" 2 "$TENKEN" scan --root "$ROOT" --format xml
expect_grep "bad --format named" "unknown format 'xml'" "$TMP/err"
expect_status "bad --lang" 2 "$TENKEN" scan --root "$ROOT" --lang fr
expect_status "bad --checklist" 2 "$TENKEN" scan --root "$ROOT" --checklist r5
expect_status "bad --profile" 2 "$TENKEN" scan --root "$ROOT" --profile laptop
expect_status "bad --now" 2 "$TENKEN" scan --root "$ROOT" --now yesterday
expect_grep "bad --now named" "RFC 3339" "$TMP/err"
expect_status "bad --now date" 2 "$TENKEN" scan --root "$ROOT" --now 2026-02-30T00:00:00Z
expect_status "unknown probe in --only" 2 "$TENKEN" scan --root "$ROOT" --only accounts,nosuch
expect_grep "unknown probe named" "unknown probe 'nosuch'" "$TMP/err"
expect_status "missing root" 2 "$TENKEN" scan --root /nonexistent/tenken --now $NOW
expect_status "stray argument" 2 "$TENKEN" scan extra

# A bad baseline: exit 2, file:line:col on stderr, nothing written.
printf '{\n  "extends": "server",\n  "params": {"max_inactive_days": "ninety"}\n}\n' >"$TMP/bad.json"
expect_status "bad baseline exit 2" 2 "$TENKEN" scan --root "$ROOT" --now $NOW --baseline "$TMP/bad.json" --output "$TMP/report.json"
expect_grep "bad baseline file:line:col" "bad.json:[0-9]+:[0-9]+: " "$TMP/err"
if [ -e "$TMP/report.json" ] || ls "$TMP"/report.json.tmp.* >/dev/null 2>&1; then
	fail "bad baseline writes nothing" "$(ls "$TMP")"
else
	pass "bad baseline writes nothing"
fi
printf '{"extends": "server",, }' >"$TMP/syntax.json"
expect_status "baseline syntax error" 2 "$TENKEN" baseline check "$TMP/syntax.json"
expect_grep "baseline syntax error position" "syntax.json:1:[0-9]+: " "$TMP/err"
expect_status "baseline missing file" 2 "$TENKEN" baseline check "$TMP/nope.json"
expect_grep "baseline missing file named" "nope.json" "$TMP/err"
mkfifo "$TMP/fifo.json"
expect_status "baseline FIFO refused" 2 timeout 10 "$TENKEN" baseline check "$TMP/fifo.json"
printf '{"extends": "terminal", "params": {"max_inactive_days": 30}}\n' >"$TMP/ok.json"
expect_status "baseline check ok" 0 "$TENKEN" baseline check "$TMP/ok.json"

# Output goes to a file atomically; the exit status says whether anything failed.
"$TENKEN" scan --root "$ROOT" --now $NOW --format json --output "$TMP/r.json" 2>"$TMP/err"
st=$?
if [ "$st" -le 1 ] && "$JSONNORM" "$TMP/r.json" >/dev/null; then pass "scan --output writes valid JSON"; else fail "scan --output writes valid JSON" "exit $st" "$(cat "$TMP/err")"; fi
fails=$("$JSONNORM" --findings "$TMP/r.json" | grep -c '^fail ')
if { [ "$fails" -gt 0 ] && [ "$st" -eq 1 ]; } || { [ "$fails" -eq 0 ] && [ "$st" -eq 0 ]; }; then
	pass "exit status matches failed findings"
else
	fail "exit status matches failed findings" "exit $st with $fails failed findings"
fi
ls "$TMP"/r.json.tmp.* >/dev/null 2>&1 && fail "no temporary file left" || pass "no temporary file left"
# Report files are 0600 whatever the umask: a report names accounts, sudo
# grants and weaknesses, and must not be world-readable.
for f in json text html csv; do
	rm -f "$TMP/m.$f"
	(umask 000 && "$TENKEN" scan --root "$ROOT" --now $NOW --format $f --output "$TMP/m.$f" 2>/dev/null)
	m=$(stat -c %a "$TMP/m.$f" 2>/dev/null)
	if [ "$m" = 600 ]; then pass "report file 0600 under umask 000 ($f)"; else fail "report file 0600 under umask 000 ($f)" "mode $m"; fi
done
(umask 000 && "$TENKEN" inventory --root "$ROOT" --now $NOW --output "$TMP/m.inv" 2>/dev/null)
m=$(stat -c %a "$TMP/m.inv" 2>/dev/null)
if [ "$m" = 600 ]; then pass "inventory file 0600 under umask 000"; else fail "inventory file 0600 under umask 000" "mode $m"; fi
# --max-findings-per-rule: listed findings capped per rule, counts exact.
"$TENKEN" scan --root "$ROOT" --now $NOW --format json --output "$TMP/full.json" 2>/dev/null
"$TENKEN" scan --root "$ROOT" --now $NOW --format json --max-findings-per-rule 1 \
	--output "$TMP/cap.json" 2>/dev/null
if jq -e --slurpfile full "$TMP/full.json" '
	.summary == $full[0].summary and .checklist == $full[0].checklist and
	([.findings[] | select(.omitted | not) | select(.status != "pass") | [.rule, .status]]
	 | group_by(.) | map(length) | max // 1) <= 1 and
	([.findings[] | select(.omitted) | .evidence.omitted_count] | add // 0) + 
	([.findings[] | select(.omitted | not)] | length) == ($full[0].findings | length)
	' "$TMP/cap.json" >/dev/null; then
	pass "--max-findings-per-rule: one listed per rule and status, the rest counted"
else
	fail "--max-findings-per-rule: one listed per rule and status, the rest counted"
fi
expect_status "--max-findings-per-rule 0 refused" 2 "$TENKEN" scan --root "$ROOT" --max-findings-per-rule 0
expect_status "--output into a missing directory" 2 "$TENKEN" scan --root "$ROOT" --now $NOW --output "$TMP/no/such/dir/r.json"
expect_status "--output /dev/null is written in place" 0 sh -c "\"$TENKEN\" scan --root \"$ROOT\" --now $NOW --output /dev/null; [ \$? -le 1 ] && [ -c /dev/null ]"

# Reproducible: two scans of one root differ only in timestamps and
# durations (one output path: provenance holds the command line).
"$TENKEN" scan --root "$ROOT" --now $NOW --format json --output "$TMP/a.json"
"$JSONNORM" "$TMP/a.json" >"$TMP/a.norm"
"$TENKEN" scan --root "$ROOT" --now $NOW --format json --output "$TMP/a.json"
"$JSONNORM" "$TMP/a.json" >"$TMP/b.norm"
if cmp -s "$TMP/a.norm" "$TMP/b.norm"; then pass "reproducible report"; else fail "reproducible report" "$(diff "$TMP/a.norm" "$TMP/b.norm" | head)"; fi

# Every format renders, in both languages; report re-renders a saved JSON.
for f in json text csv html; do
	for l in ja en; do
		"$TENKEN" scan --root "$ROOT" --now $NOW --format $f --lang $l --output "$TMP/r.$f.$l" 2>"$TMP/err"
		st=$?
		if [ "$st" -le 1 ] && [ -s "$TMP/r.$f.$l" ]; then pass "format $f $l"; else fail "format $f $l" "exit $st" "$(cat "$TMP/err")"; fi
	done
done
expect_status "report re-renders saved JSON" 0 "$TENKEN" report --format text --lang en "$TMP/r.json"
expect_grep "report text has checklist" "2\(5\)" "$TMP/out"
expect_status "report refuses non-report" 2 "$TENKEN" report "$TMP/ok.json"
expect_status "inventory" 0 "$TENKEN" inventory --root "$ROOT" --now $NOW --output "$TMP/inv.json"
expect_grep "inventory format" '"format": "tenken-inventory"' "$TMP/inv.json"
expect_status "rules lists rules" 0 "$TENKEN" rules --lang en
expect_grep "rules lists accounts.inactive" "accounts\.inactive" "$TMP/out"
expect_grep "rules lists items" "2\(5\)" "$TMP/out"

# --only: skipped probes are marked skipped, their rules unknown.
"$TENKEN" scan --root "$ROOT" --now $NOW --only system --format json --output "$TMP/only.json"
"$JSONNORM" --findings "$TMP/only.json" >"$TMP/only.txt"
expect_grep "--only marks others skipped" "^probe accounts skipped" "$TMP/only.txt"
expect_grep "--only: skipped collection gives unknown" "^unknown accounts\.[a-z_]+ host" "$TMP/only.txt"
expect_no_grep "--only: nothing passes unseen" "^pass accounts\." "$TMP/only.txt"

# baseline init: capture a host, and that host then passes the drift rules.
BAD=tests/fixtures/accounts-bad
expect_status "baseline init" 0 "$TENKEN" baseline init --root "$BAD" --now $NOW --output "$TMP/captured.json"
expect_status "captured baseline is valid" 0 "$TENKEN" baseline check "$TMP/captured.json"
"$TENKEN" scan --root "$BAD" --now $NOW --baseline "$TMP/captured.json" --format json --output "$TMP/cap.json"
"$JSONNORM" --findings "$TMP/cap.json" >"$TMP/cap.txt"
expect_grep "captured host passes not_in_baseline" "^pass accounts\.not_in_baseline host" "$TMP/cap.txt"
expect_grep "captured host passes admin_not_in_baseline" "^pass accounts\.admin_not_in_baseline host" "$TMP/cap.txt"
expect_grep "captured host passes admin_not_allowed" "^pass accounts\.admin_not_allowed host" "$TMP/cap.txt"
expect_grep "captured baseline still flags uid 0" "^fail accounts\.uid0_not_root account:toor" "$TMP/cap.txt"
mkdir -p "$TMP/empty"
expect_status "baseline init of an empty root fails" 2 "$TENKEN" baseline init --root "$TMP/empty" --output "$TMP/empty.json"
expect_grep "baseline init names what it could not capture" "cannot capture known_accounts" "$TMP/err"
[ -e "$TMP/empty.json" ] && fail "failed baseline init writes nothing" || pass "failed baseline init writes nothing"

# The command line as users expect it: options before or after operands,
# -h/--help on every command, errors that point to commands that exist.
expect_status "options after the operand" 0 "$TENKEN" report "$TMP/r.json" --format csv --lang en
expect_grep "options after the operand render CSV" "^Host name,Rule," "$TMP/out"
expect_status "options between the words" 0 "$TENKEN" baseline check "$TMP/ok.json"
for cmd in scan inventory "baseline init" "baseline check" rules report verify diff; do
	# shellcheck disable=SC2086 # the command is two words on purpose
	expect_status "$cmd --help" 0 "$TENKEN" $cmd --help
	expect_grep "$cmd --help prints its usage" "^usage: tenken $cmd " "$TMP/out"
	# shellcheck disable=SC2086
	expect_status "$cmd -h" 0 "$TENKEN" $cmd -h
	# shellcheck disable=SC2086
	expect_status "help $cmd" 0 "$TENKEN" help $cmd
	expect_grep "help $cmd prints its usage" "^usage: tenken $cmd " "$TMP/out"
done
expect_status "baseline --help" 0 "$TENKEN" baseline --help
expect_grep "baseline --help names both actions" "baseline check FILE" "$TMP/out"
expect_status "help with no command" 0 "$TENKEN" help
expect_status "help of an unknown command" 2 "$TENKEN" help frobnicate
expect_status "an option the command does not use" 2 "$TENKEN" rules --root /
expect_grep "the unused option is named" "--root does not apply to tenken rules" "$TMP/err"
expect_status "Japanese usage error" 2 "$TENKEN" scan --lang ja --format xml
expect_grep "Japanese usage error text" "不明な形式 'xml'" "$TMP/err"
expect_status "report with no file" 2 "$TENKEN" report --format csv
# Two files (or a directory, or --db) give the fleet summary (tests/e2e/store.sh).
expect_status "report with two files" 0 "$TENKEN" report --format json "$TMP/r.json" "$TMP/r.json"
expect_grep "report with two files: fleet summary" '"format": "tenken-fleet-summary"' "$TMP/out"

# Every command an error message suggests exists and does what it says.
"$TENKEN" scan --root "$ROOT" --only nosuch 2>"$TMP/err"
suggested=$(grep -o 'tenken [a-z]* --[a-z]*' "$TMP/err" | head -1)
# shellcheck disable=SC2086
expect_status "the suggested '$suggested' exists" 0 $(echo "$suggested" | sed "s|^tenken|$TENKEN|")
for p in system accounts packages updates ssh processes services listeners firewall usb wireless executables; do
	expect_grep "rules --probes lists $p" "^$p " "$TMP/out"
done

# The man page documents every command and option that --help shows, and
# nothing that does not exist.
MAN=packaging/tenken.8
"$TENKEN" help >"$TMP/help.txt"
for cmd in scan inventory "baseline init" "baseline check" rules report verify diff; do
	# shellcheck disable=SC2086
	"$TENKEN" $cmd --help >>"$TMP/help.txt"
done
grep -o -- '--[a-z][a-z-]*' "$TMP/help.txt" | sort -u >"$TMP/help-opts"
sed 's/\\-/-/g' "$MAN" | grep -o -- '--[a-z][a-z-]*' | sort -u >"$TMP/man-opts"
missing=$(comm -23 "$TMP/help-opts" "$TMP/man-opts" | tr '\n' ' ')
extra=$(comm -13 "$TMP/help-opts" "$TMP/man-opts" | tr '\n' ' ')
[ -z "$missing" ] && pass "man page documents every option of --help" || fail "man page documents every option of --help" "missing: $missing"
[ -z "$extra" ] && pass "man page names no option --help lacks" || fail "man page names no option --help lacks" "extra: $extra"
for cmd in scan inventory "baseline init" "baseline check" rules report verify diff help; do
	grep -q "^\.B tenken $cmd" "$MAN" && pass "man SYNOPSIS has $cmd" || fail "man SYNOPSIS has $cmd"
done
if command -v groff >/dev/null; then
	groff -k -man -Tutf8 -ww -z "$MAN" 2>"$TMP/groff.err"
	[ ! -s "$TMP/groff.err" ] && pass "man page renders without warnings" || fail "man page renders without warnings" "$(head -5 "$TMP/groff.err")"
fi

# --only runs what a probe needs: executables reads processes and services.
"$TENKEN" inventory --root tests/fixtures/executables-good --now $NOW --only executables --output "$TMP/needs.json" 2>"$TMP/err"
for p in processes services executables; do
	st=$(jq -r --arg p "$p" '.scan.probes[] | select(.name == $p) | .status' "$TMP/needs.json")
	[ "$st" != skipped ] && [ -n "$st" ] && pass "--only executables runs $p" || fail "--only executables runs $p" "status: $st"
done
st=$(jq -r '.scan.probes[] | select(.name == "accounts") | .status' "$TMP/needs.json")
[ "$st" = skipped ] && pass "--only executables skips what it does not need" || fail "--only executables skips what it does not need" "accounts: $st"
