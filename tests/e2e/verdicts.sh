#!/bin/sh
# End-to-end tests of issue 9's verdict rules: rules that exist only for
# another checklist edition stay out of the report; a user's rule must say
# what an empty set means; an unprivileged scan says so on its first line
# in every format. Fixture roots are copied to $TMP, never scanned in place.
. tests/lib.sh
NOW=2026-11-22T00:00:00Z

# --- editions: R7-only rules are left out under r6 -------------------------
cp -a tests/fixtures/auth-default "$TMP/auth"
"$TENKEN" scan --root "$TMP/auth" --now $NOW --only system,accounts,auth --format json \
	--output "$TMP/r6.json" 2>"$TMP/err"
st6=$?
"$TENKEN" scan --root "$TMP/auth" --now $NOW --only system,accounts,auth --format json \
	--checklist r7 --output "$TMP/r7.json" 2>"$TMP/err"
st7=$?
n6=$(jq '[.findings[] | select(.rule | startswith("auth."))] | length' "$TMP/r6.json")
n7=$(jq '[.findings[] | select(.rule | startswith("auth.")) | select(.status == "fail")] | length' "$TMP/r7.json")
noitem=$(jq '[.findings[] | select(.checklist == [])] | length' "$TMP/r6.json")
if [ "$n6" -eq 0 ] && [ "$noitem" -eq 0 ]; then
	pass "r6: R7-only rules are left out"
else
	fail "r6: R7-only rules are left out" "$n6 auth findings, $noitem without an item"
fi
if [ "$n7" -eq 5 ] && [ "$st7" -eq 1 ]; then
	pass "r7: the R7 password rules fail on stock Debian PAM"
else
	fail "r7: the R7 password rules fail on stock Debian PAM" "$n7 failures, exit $st7"
fi
fails6=$(jq '.summary.fail' "$TMP/r6.json")
if { [ "$fails6" -eq 0 ] && [ "$st6" -eq 0 ]; } || { [ "$fails6" -gt 0 ] && [ "$st6" -eq 1 ]; }; then
	pass "r6: exit status from r6 findings only ($st6)"
else
	fail "r6: exit status from r6 findings only" "exit $st6 with $fails6 failures"
fi
cp -a tests/fixtures/ssh-bad "$TMP/ssh"
"$TENKEN" scan --root "$TMP/ssh" --now $NOW --checklist r7 --format json --output "$TMP/s7.json"
"$JSONNORM" --findings "$TMP/s7.json" >"$TMP/s7.found"
expect_grep "r7: ssh.second_factor fails on ssh-bad" '^fail ssh\.second_factor sshd:AuthenticationMethods' "$TMP/s7.found"
cp -a tests/fixtures/ssh-good "$TMP/sshg"
"$TENKEN" scan --root "$TMP/sshg" --now $NOW --checklist r7 --format json --output "$TMP/g7.json"
"$JSONNORM" --findings "$TMP/g7.json" >"$TMP/g7.found"
expect_grep "r7: ssh.second_factor passes on ssh-good" '^pass ssh\.second_factor host' "$TMP/g7.found"

# --- a user's rule must declare when_empty ---------------------------------
cat >"$TMP/noempty.json" <<'JSON'
{
  "extends": "server",
  "rules": [
    {"id": "local.vendor", "title": {"ja": "t", "en": "t"},
     "checklist": {"r6": ["2(5)"]}, "each": "accounts",
     "assert": {"path": "uid", "op": "ge", "value": 0},
     "subject": "account:{name}", "message": {"ja": "m", "en": "m"}}
  ]
}
JSON
expect_status "baseline rule without when_empty: exit 2" 2 "$TENKEN" baseline check "$TMP/noempty.json"
expect_grep "baseline rule without when_empty: file:line:col" \
	'noempty.json:4:5: rule "local.vendor" needs "when_empty"' "$TMP/err"
sed 's/"each": "accounts",/"each": "accounts", "when_empty": "unknown",/' "$TMP/noempty.json" >"$TMP/empty-ok.json"
expect_status "baseline rule with when_empty: accepted" 0 "$TENKEN" baseline check "$TMP/empty-ok.json"

# --- every host-level finding shows how many subjects it checked ----------
cp -a tests/fixtures/accounts-good "$TMP/good"
"$TENKEN" scan --root "$TMP/good" --now $NOW --format json --output "$TMP/g.json"
nochk=$(jq '[.findings[] | select(.status == "pass") | select(.evidence.checked == null)]
	| length' "$TMP/g.json")
if [ "$nochk" -eq 0 ]; then pass "every pass carries checked"; else fail "every pass carries checked" "$nochk without"; fi
for lang in ja en; do
	"$TENKEN" report --format text --lang $lang --output "$TMP/g.$lang.txt" "$TMP/g.json"
	"$TENKEN" report --format html --lang $lang --output "$TMP/g.$lang.html" "$TMP/g.json"
	"$TENKEN" report --format csv --lang $lang --output "$TMP/g.$lang.csv" "$TMP/g.json"
done
expect_grep "text ja shows subjects checked" '[0-9]+ 件を確認' "$TMP/g.ja.txt"
expect_grep "text en shows subjects checked" '[0-9]+ subjects? checked' "$TMP/g.en.txt"
expect_grep "html shows subjects checked" '[0-9]+ subjects? checked' "$TMP/g.en.html"
expect_grep "csv has the checked column" 'Subjects checked' "$TMP/g.en.csv"
expect_grep "csv fills it for a pass" ',pass,.*,[0-9]+[[:space:]]*$' "$TMP/g.en.csv"

# --- an unprivileged scan says so first ------------------------------------
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	pass "unprivileged notice (skipped: needs root and setpriv)"
	exit 0
fi
chmod 0600 "$TMP/good/etc/shadow" && chown 0:0 "$TMP/good/etc/shadow"
chmod 0755 "$TMP"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
"$TENKEN" scan --root "$TMP/good" --now $NOW --format json >"$TMP/priv.json"
if jq -e '.scan.privileged == true and (has("notice") | not)' "$TMP/priv.json" >/dev/null; then
	pass "root scan: privileged, no notice"
else
	fail "root scan: privileged, no notice" "$(jq -c '.scan.privileged, .notice' "$TMP/priv.json")"
fi
nobody "$TENKEN" scan --root "$TMP/good" --now $NOW --format json >"$TMP/np.json"
unk=$(jq '.summary.unknown' "$TMP/np.json")
if jq -e '.scan.privileged == false and (.scan.missing_privileges | index("root"))' \
	"$TMP/np.json" >/dev/null && [ "$(head -2 "$TMP/np.json" | tail -1)" = '  "notice": {' ] &&
	[ "$unk" -gt 0 ]; then
	pass "unprivileged json: privileged false, notice first"
else
	fail "unprivileged json: privileged false, notice first" "$(head -5 "$TMP/np.json")"
fi
for lang in ja en; do
	if [ $lang = ja ]; then want="root で実行してください: $unk 件の項目を判定できませんでした"; else want="run as root: $unk checks could not be judged"; fi
	for fmt in text html csv; do
		nobody "$TENKEN" scan --root "$TMP/good" --now $NOW --format $fmt --lang $lang \
			>"$TMP/np.$fmt" 2>/dev/null
		first=$(sed -e '1s/^\xef\xbb\xbf//' -e 's/\r$//' "$TMP/np.$fmt" | grep -v -e '^<' -e '^$' | head -1)
		[ $fmt = html ] && first=$(grep -o '<p class="notice"><strong>[^<]*' "$TMP/np.$fmt" | sed 's/.*<strong>//')
		if [ "$first" = "$want" ]; then
			pass "unprivileged $fmt $lang: first line says run as root"
		else
			fail "unprivileged $fmt $lang: first line says run as root" "got: $first" "want: $want"
		fi
	done
done
# The shadow the unprivileged scan could not read made its rules unknown, not pass.
if jq -e '[.findings[] | select(.rule == "accounts.empty_password") | .status] | index("pass") | not' \
	"$TMP/np.json" >/dev/null; then
	pass "unprivileged: unreadable shadow never passes"
else
	fail "unprivileged: unreadable shadow never passes" "$(jq -c '[.findings[] | select(.rule == "accounts.empty_password")]' "$TMP/np.json")"
fi

# --- an unreadable /run/reboot-required is not an absent one ---------------
# patches-good has no reboot flag (pass); a flag that cannot be looked at
# (a symlink loop: ELOOP) must make the rule unknown, not pass.
cp -a tests/fixtures/patches-good "$TMP/rb"
mkdir -p "$TMP/rb/run"
rm -f "$TMP/rb/run/reboot-required"
"$TENKEN" scan --root "$TMP/rb" --now $NOW --only system,packages --format json \
	--output "$TMP/rb0.json" 2>/dev/null
ln -s reboot-required "$TMP/rb/run/reboot-required"
"$TENKEN" scan --root "$TMP/rb" --now $NOW --only system,packages --format json \
	--output "$TMP/rb1.json" 2>/dev/null
s0=$(jq -r '[.findings[] | select(.rule == "patches.reboot_required") | .status] | join(",")' "$TMP/rb0.json")
s1=$(jq -r '[.findings[] | select(.rule == "patches.reboot_required") | .status] | join(",")' "$TMP/rb1.json")
v0=$(jq -c '.inventory.kernel.reboot_required' "$TMP/rb0.json")
v1=$(jq -c '.inventory.kernel.reboot_required' "$TMP/rb1.json")
m1=$(jq -r '[.scan.probes[] | select(.name == "packages") | .messages[].en] | join(" ")' "$TMP/rb1.json")
if [ "$s0" = pass ] && [ "$v0" = false ] && [ "$s1" = unknown ] && [ "$v1" = null ] &&
	printf '%s' "$m1" | grep -q 'cannot check /run/reboot-required'; then
	pass "reboot flag: absent passes, unreadable is unknown with a message"
else
	fail "reboot flag: absent passes, unreadable is unknown with a message" \
		"absent: $s0 ($v0), unreadable: $s1 ($v1), messages: $m1"
fi

# --- homes unknown: the users' own autostart entries were not looked for ---
# On services-good the autostart rules pass; with /etc/passwd a symlink
# loop, the list is incomplete and those rules must not pass.
cp -a tests/fixtures/services-good "$TMP/as"
"$TENKEN" scan --root "$TMP/as" --now $NOW --only autostart --format json --output "$TMP/as0.json" 2>/dev/null
rm -f "$TMP/as/etc/passwd" && ln -s passwd "$TMP/as/etc/passwd"
"$TENKEN" scan --root "$TMP/as" --now $NOW --only autostart --format json --output "$TMP/as1.json" 2>/dev/null
p0=$(jq -r '[.findings[] | select(.rule | startswith("autostart.")) | .status] | unique | join(",")' "$TMP/as0.json")
p1=$(jq -r '[.findings[] | select(.rule | startswith("autostart.")) | .status] | unique | join(",")' "$TMP/as1.json")
inc=$(jq -c '.scan.probes[] | select(.name == "autostart") | .incomplete' "$TMP/as1.json")
if [ "$p0" = pass ] && [ "$inc" = '["autostart"]' ] && ! printf '%s' "$p1" | grep -q pass; then
	pass "autostart: unreadable /etc/passwd leaves the users' entries unknown"
else
	fail "autostart: unreadable /etc/passwd leaves the users' entries unknown" \
		"readable: $p0; unreadable: $p1, incomplete $inc"
fi
