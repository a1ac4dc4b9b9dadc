#!/bin/sh
# tests/e2e/accounts.sh - the tenken binary end to end, for the accounts
# area: on the live host and on the fixture roots, compared with the real
# tools (the root's own passwd, lastlog -u, last -f); scan exit statuses
# (0/1/2); a bad baseline gives exit 2 with a file:line:col message and
# leaves --output alone.
. tests/lib.sh

NOW=2026-11-22T00:00:00Z
FIXTURES=tests/fixtures

if ! command -v jq >/dev/null; then
	fail "e2e accounts" "jq is needed (apt-get install jq)"
	exit 0
fi
if [ ! -x "$TENKEN" ]; then
	fail "e2e accounts" "$TENKEN is not built"
	exit 0
fi

# copy_root NAME: the fixture root copied to $TMP with its modes applied.
copy_root() {
	c=$TMP/roots/$1
	mkdir -p "$TMP/roots"
	cp -a "$FIXTURES/$1" "$c"
	grep -v -e '^#' -e '^$' "$c/modes" 2>/dev/null | while read -r mode owner path; do
		chmod "$mode" "$c/$path"
		if [ "$(id -u)" = 0 ]; then chown -h "$owner" "$c/$path"; fi
	done
	echo "$c"
}

# epoch TIME: seconds since the epoch of a date lastlog/last/tenken print.
epoch() {
	date -u -d "$1" +%s 2>/dev/null
}

# Account names: the inventory's against the root's passwd.
check_names() {
	label=$1 inv=$2 passwd=$3
	jq -r '(.inventory.accounts // [])[].name' "$inv" | sort >"$TMP/names.got"
	grep -v -e '^#' -e '^$' "$passwd" | cut -d: -f1 | sort -u >"$TMP/names.want"
	if cmp -s "$TMP/names.got" "$TMP/names.want"; then
		pass "$label: accounts are passwd's ($(wc -l <"$TMP/names.want"))"
	else
		fail "$label: accounts are passwd's" "$(diff "$TMP/names.want" "$TMP/names.got" | head -20)"
	fi
}

# The inventory's last login of NAME, as "EPOCH SOURCE" (or "null SOURCE").
inv_login() {
	jq -r --arg n "$2" '(.inventory.accounts // [])[] | select(.name == $n) |
		"\(.last_login // "null") \(.last_login_source // "null")"' "$1" | head -n1 |
		while read -r t src; do
			if [ "$t" = null ]; then echo "null $src"; else echo "$(epoch "$t") $src"; fi
		done
}

# For every account lastlog knows, tenken's last login agrees: equal when
# tenken took it from lastlog, not older when another source was newer.
# ROOT (optional) is passed to lastlog -R.
check_lastlog() {
	label=$1 inv=$2 passwd=$3 root=${4:-}
	n=0 bad=
	for name in $(cut -d: -f1 "$passwd"); do
		if [ -n "$root" ]; then
			line=$(lastlog -R "$root" -u "$name" 2>/dev/null | sed -n 2p)
		else
			line=$(lastlog -u "$name" 2>/dev/null | sed -n 2p)
		fi
		case $line in "" | *"Never logged in"*) continue ;; esac
		# "NAME PORT [FROM] Thu Nov 19 08:30:00 +0000 2026"
		want=$(echo "$line" | awk '{ print $(NF-5), $(NF-4), $(NF-3), $(NF-2), $(NF-1), $NF }')
		want=$(epoch "$want")
		got=$(inv_login "$inv" "$name")
		src=${got#* }
		got=${got%% *}
		n=$((n + 1))
		if [ "$got" = null ] || [ -z "$got" ]; then
			bad="$bad $name(tenken: none, lastlog: $want)"
		elif [ "$src" = lastlog ] && [ "$got" -ne "$want" ]; then
			bad="$bad $name(tenken: $got, lastlog: $want)"
		elif [ "$got" -lt "$want" ]; then
			bad="$bad $name(tenken: $got from $src, lastlog newer: $want)"
		fi
	done
	if [ -z "$bad" ]; then
		pass "$label: last logins agree with lastlog ($n accounts)"
	else
		fail "$label: last logins agree with lastlog" "$bad"
	fi
}

# The same against last -f WTMP: each user's newest session.
check_wtmp() {
	label=$1 inv=$2 wtmp=$3
	last -w --time-format iso -f "$wtmp" 2>/dev/null |
		awk '$1 != "reboot" && $1 != "wtmp" && NF > 2 {
			for (i = 2; i <= NF; i++) if ($i ~ /^[0-9][0-9][0-9][0-9]-/) { print $1, $i; break }
		}' | sort -k1,1 -k2,2r | sort -u -k1,1 >"$TMP/wtmp.latest"
	n=0 bad=
	while read -r name t; do
		want=$(epoch "$t")
		got=$(inv_login "$inv" "$name")
		got=${got%% *}
		n=$((n + 1))
		if [ "$got" = null ] || [ -z "$got" ] || [ "$got" -lt "$want" ]; then
			bad="$bad $name(tenken: ${got:-none}, last: $want)"
		fi
	done <"$TMP/wtmp.latest"
	if [ -z "$bad" ] && [ "$n" -gt 0 ]; then
		pass "$label: last logins agree with last -f ($n users)"
	else
		fail "$label: last logins agree with last -f" "${bad:-no session read from $wtmp}"
	fi
}

# --- the live host -------------------------------------------------------
inv=$TMP/live.json
expect_status "live: inventory --only accounts" 0 "$TENKEN" inventory --only accounts \
	--output "$inv"
if jq -e '.inventory.accounts | length > 0' "$inv" >/dev/null 2>&1; then
	check_names "live" "$inv" /etc/passwd
	check_lastlog "live" "$inv" /etc/passwd
else
	fail "live: inventory has accounts" "$(head -c 500 "$inv" 2>/dev/null)"
fi

"$TENKEN" scan --format json --output "$TMP/live-scan.json" >/dev/null 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then
	pass "live: scan exits 0 or 1 ($rc)"
else
	fail "live: scan exits 0 or 1" "exit $rc" "$(head -c 800 "$TMP/err")"
fi
if jq -e '.format == "tenken-report"' "$TMP/live-scan.json" >/dev/null 2>&1; then
	pass "live: scan report is JSON"
else
	fail "live: scan report is JSON" "$(head -c 300 "$TMP/live-scan.json" 2>/dev/null)"
fi

# --- fixture roots against the real readers ------------------------------
for r in accounts-good accounts-bad; do
	c=$(copy_root "$r")
	inv=$TMP/$r.inv.json
	expect_status "$r: inventory" 0 "$TENKEN" inventory --root "$c" --only accounts \
		--now "$NOW" --output "$inv"
	check_names "$r" "$inv" "$c/etc/passwd"
	check_lastlog "$r" "$inv" "$c/etc/passwd" "$c"
	check_wtmp "$r" "$inv" "$c/var/log/wtmp"
done

# --- exit statuses -------------------------------------------------------
good=$TMP/roots/accounts-good
bad=$TMP/roots/accounts-bad
# The accounts roots hold only what the accounts area reads: other areas
# (firewall, logging...) would rightly fail there, so they are left out.
expect_status "scan: no failed finding exits 0" 0 "$TENKEN" scan --root "$good" --now "$NOW" \
	--only system,accounts --baseline "$good/baseline.json" --output "$TMP/good.json"
expect_status "scan: a failed finding exits 1" 1 "$TENKEN" scan --root "$bad" --now "$NOW" \
	--output "$TMP/bad.json"
expect_status "scan: unknown option exits 2" 2 "$TENKEN" scan --no-such-option
expect_status "scan: unknown format exits 2" 2 "$TENKEN" scan --root "$good" --format xml
expect_status "scan: bad --now exits 2" 2 "$TENKEN" scan --root "$good" --now yesterday
expect_status "scan: missing root exits 2" 2 "$TENKEN" scan --root "$TMP/no-such-root" \
	--now "$NOW" --output "$TMP/none.json"
expect_status "scan: missing baseline exits 2" 2 "$TENKEN" scan --root "$good" --now "$NOW" \
	--baseline "$TMP/no-such-baseline.json"

# --- bad baselines: exit 2, file:line:col, --output untouched ------------
printf '{\n  "extends": "server",\n  "params": {"max_inactive_days": 90,}\n}\n' \
	>"$TMP/syntax.json"
printf '{\n  "extends": "server",\n  "params": {\n    "max_inactive_dayz": 90\n  }\n}\n' \
	>"$TMP/unknown-param.json"
cat >"$TMP/unknown-field.json" <<'EOF'
{
  "extends": "server",
  "rules": [
    {"id": "x.y", "each": "accounts",
     "assert": {"path": "no_such_field", "op": "eq", "value": 1}}
  ]
}
EOF
for b in syntax unknown-param unknown-field; do
	f=$TMP/$b.json
	out=$TMP/out-$b.json
	"$TENKEN" scan --root "$good" --now "$NOW" --baseline "$f" --output "$out" \
		>/dev/null 2>"$TMP/err-$b"
	rc=$?
	if [ "$rc" -eq 2 ]; then pass "baseline $b: exit 2"; else fail "baseline $b: exit 2" "exit $rc"; fi
	expect_grep "baseline $b: file:line:col message" "$f:[0-9]+:[0-9]+" "$TMP/err-$b"
	if [ -e "$out" ]; then
		fail "baseline $b: --output not created" "$out exists"
	else
		pass "baseline $b: --output not created"
	fi
	"$TENKEN" baseline check "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne 0 ] && grep -Eq "$f:[0-9]+:[0-9]+" "$TMP/err" "$TMP/out"; then
		pass "baseline check $b: rejected with file:line:col"
	else
		fail "baseline check $b: rejected with file:line:col" "exit $rc" "$(cat "$TMP/err")"
	fi
done
# The syntax error is on line 3.
expect_grep "baseline syntax: the line is right" "syntax.json:3:[0-9]+" "$TMP/err-syntax"

# An existing report survives a failed scan, and no temporary file is left.
mkdir "$TMP/outdir"
echo "previous report" >"$TMP/outdir/report.json"
"$TENKEN" scan --root "$good" --now "$NOW" --baseline "$TMP/syntax.json" \
	--output "$TMP/outdir/report.json" >/dev/null 2>&1
if [ "$(cat "$TMP/outdir/report.json")" = "previous report" ] &&
	[ "$(ls -A "$TMP/outdir")" = "report.json" ]; then
	pass "scan error: existing --output kept, nothing half-written"
else
	fail "scan error: existing --output kept, nothing half-written" "$(ls -A "$TMP/outdir")"
fi

# baseline init captures what accounts-good's hand-written baseline lists.
"$TENKEN" baseline init --root "$good" --now "$NOW" --output "$TMP/captured.json" \
	>/dev/null 2>"$TMP/err"
for k in known_accounts known_admins; do
	got=$(jq -c ".params.$k | sort?" "$TMP/captured.json" 2>/dev/null)
	want=$(jq -c ".params.$k | sort" "$good/baseline.json")
	if [ "$got" = "$want" ]; then
		pass "baseline init: $k of accounts-good"
	else
		fail "baseline init: $k of accounts-good" "captured $got, wanted $want" \
			"$(head -c 500 "$TMP/err")"
	fi
done
