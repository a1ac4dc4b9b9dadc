#!/bin/sh
# tests/e2e/fleetdiff.sh - the history store's inventory changes since a
# host's previous scan against `tenken diff OLD NEW` on the same report
# files. Three scans of one fixture root: the second changed by the real
# Debian tools (useradd into the sudo group, systemctl --root enable, dpkg
# --root installing a new package and upgrading one), the third undoing
# them (userdel, dpkg --purge, systemctl disable). After each ingest the
# store's changes must equal the diff's for every kind (accounts, admins,
# enabled services, listeners, USB devices, wireless, packages). A store
# whose reports lack the sets (made before they were kept) and a report
# without a collection say "not recorded", never "no change"; the summary
# validates against docs/schema/fleet-summary.schema.json; the CSV and
# HTML say the changes in ja and en.
. tests/lib.sh

ONLY=system,accounts,packages,services,listeners,usb,wireless
KINDS="accounts admins services_enabled listeners usb_devices wireless packages"

have_tools=yes
for t in useradd userdel systemctl dpkg dpkg-deb jq sqlite3; do
	command -v $t >/dev/null 2>&1 || have_tools=no
done
if [ $have_tools = no ]; then
	pass "fleet inventory changes (skipped: useradd, systemctl, dpkg, jq or sqlite3 missing)"
	exit 0
fi

OLD=$TMP/old
cp -a tests/fixtures/services-good "$OLD"
for f in passwd group shadow gshadow sudoers login.defs machine-id; do
	cp -a tests/fixtures/accounts-good/etc/$f "$OLD/etc/"
done
cp -a tests/fixtures/accounts-good/etc/sudoers.d "$OLD/etc/"
NEW=$TMP/new
cp -a "$OLD" "$NEW"

mkdeb() {
	d=$TMP/deb-$1
	mkdir -p "$d/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: t <t@example.org>\nDescription: test\n' \
		"$1" "$2" "$3" >"$d/DEBIAN/control"
	dpkg-deb -b "$d" "$TMP/$1.deb" >/dev/null
}

useradd --root "$NEW" -M -s /bin/bash -G sudo jiro 2>/dev/null
systemctl --root="$NEW" enable avahi-daemon.service >/dev/null 2>&1
mkdir -p "$NEW/var/lib/dpkg/info" "$NEW/var/lib/dpkg/updates"
touch "$NEW/var/lib/dpkg/available"
mkdeb tenken-test-extra 1.0-1 all
mkdeb openssh-server 1:9.2p1-2+deb12u5 amd64
for p in tenken-test-extra openssh-server; do
	dpkg --root="$NEW" --force-not-root --force-script-chrootless --force-depends \
		-i "$TMP/$p.deb" >/dev/null 2>&1 || fail "dpkg -i $p into the new root"
done
GONE=$TMP/gone
cp -a "$NEW" "$GONE"
userdel --root "$GONE" jiro 2>/dev/null
dpkg --root="$GONE" --force-not-root --force-script-chrootless --purge tenken-test-extra >/dev/null 2>&1
systemctl --root="$GONE" disable ssh.service >/dev/null 2>&1

# Three scans a day apart (the store orders a host's reports by time).
day=20
for s in old new gone; do
	mkdir -p "$TMP/r/$s"
	"$TENKEN" scan --root "$TMP/$s" --now 2026-11-${day}T00:00:00Z --only $ONLY --format json \
		--output "$TMP/r/$s/report.json" 2>"$TMP/$s.err"
	[ $? -le 1 ] || fail "scan $s" "$(cat "$TMP/$s.err")"
	day=$((day + 1))
done

# Both sides in one shape: per kind the sorted keys added and removed;
# packages as "name:arch version" (changed: "name:arch old -> new").
NORM='def pk: "\(.name):\(.architecture) \(.version)";
	(if $d then .inventory else .hosts[0].changes.inventory end) as $i
	| [$kinds[] as $k | {($k): (if $i[$k] == null then null
	  elif $k == "packages" then {added: [$i[$k].added[] | pk] | sort,
	    removed: [$i[$k].removed[] | pk] | sort,
	    changed: [$i[$k].changed[] | "\(.name):\(.architecture) \(.old) -> \(.new)"] | sort}
	  else {added: [$i[$k].added[] | if $d then .key else . end] | sort,
	    removed: [$i[$k].removed[] | if $d then .key else . end] | sort} end)}] | add'
norm() { # FILE true|false (a diff or a summary)
	jq -S --argjson d "$2" --argjson kinds "$(printf '%s\n' $KINDS | jq -R . | jq -s .)" "$NORM" "$1"
}

# A fourth scan where nothing changed (the same sets: the store's shortcut).
mkdir -p "$TMP/r/same"
jq '.scan.now = "2026-11-22T12:00:00Z"' "$TMP/r/gone/report.json" >"$TMP/r/same/report.json"

DB=$TMP/store.db
R() { $TENKEN report --now 2026-11-23T00:00:00Z "$@"; }
step=0
for pair in "old new" "new gone" "gone same"; do
	set -- $pair
	R --db "$DB" ingest "$TMP/r/$2" >/dev/null 2>&1
	[ $step -eq 0 ] && R --db "$DB" ingest "$TMP/r/$1" >/dev/null 2>&1
	step=1
	"$TENKEN" diff --format json "$TMP/r/$1/report.json" "$TMP/r/$2/report.json" >"$TMP/d.json"
	R --db "$DB" --format json --view changes >"$TMP/s.json" 2>"$TMP/err"
	norm "$TMP/d.json" true >"$TMP/want"
	norm "$TMP/s.json" false >"$TMP/got"
	if [ "$(jq '.hosts | length' "$TMP/s.json")" = 1 ] && cmp -s "$TMP/want" "$TMP/got" &&
		[ "$(jq '[.[] | select(. != null) | .[] | length] | add' "$TMP/want")" -ge "$([ $2 = same ] && echo 0 || echo 3)" ]; then
		pass "store changes $1 -> $2 equal tenken diff for every kind"
	else
		fail "store changes $1 -> $2 equal tenken diff" "$(diff "$TMP/want" "$TMP/got" | head -20)"
	fi
	[ "$(jq -c '.hosts[0].changes.inventory_not_recorded' "$TMP/s.json")" = \
		"$(jq -c .not_compared "$TMP/d.json")" ] &&
		pass "store $1 -> $2: not recorded as diff's not compared" ||
		fail "store $1 -> $2: not recorded" "$(jq -c '.hosts[0].changes.inventory_not_recorded' "$TMP/s.json")"
	cp "$TMP/s.json" "$TMP/s-$2.json"
	[ $2 = gone ] || continue
	# CSV and HTML, ja and en.
	R --db "$DB" --format csv --view changes --lang en >"$TMP/c.csv" 2>/dev/null
	expect_grep "CSV: removed administrator (en)" ',Administrators: removed,,jiro' "$TMP/c.csv"
	R --db "$DB" --format csv --view changes --lang ja >"$TMP/c.csv" 2>/dev/null
	expect_grep "CSV: removed package (ja)" ',パッケージ: 削除,,tenken-test-extra:all 1.0-1' "$TMP/c.csv"
	R --db "$DB" --format html --lang en >"$TMP/c.html" 2>/dev/null
	expect_grep "HTML: disabled service" '<li>Enabled services removed: ssh.service</li>' "$TMP/c.html"
done
R --db "$DB" --format html --lang en >"$TMP/c.html" 2>/dev/null
expect_grep "HTML: a scan where nothing changed says so" '<li>no change in the inventory</li>' "$TMP/c.html"
# Kinds the fixture root has none of (listeners, USB devices, wireless):
# the newer report edited to have some, the older to have others.
mkdir -p "$TMP/r/e1" "$TMP/r/e2"
jq '.inventory.listeners = [{proto_port: "tcp/22", address: "0.0.0.0", process: "sshd"},
	{proto_port: "udp/5353", address: "*"}]
	| .inventory.usb_devices = [{key: "1d6b:0002 serial=x", id: "1d6b:0002"}]
	| .inventory.wifi_networks = [{name: "office", ssid: "office", security: "wpa-psk"}]' \
	"$TMP/r/old/report.json" >"$TMP/r/e1/report.json"
jq '.inventory.listeners = [{proto_port: "tcp/22", address: "0.0.0.0"}, {proto_port: "tcp/8080", address: "::"}]
	| .inventory.usb_devices = [{id: "0781:5583"}]
	| .inventory.wifi_networks = [{ssid: "cafe"}, {name: "office", ssid: "office"}]' \
	"$TMP/r/new/report.json" >"$TMP/r/e2/report.json"
DB3=$TMP/edited.db
R --db "$DB3" ingest "$TMP/r/e1" "$TMP/r/e2" >/dev/null 2>&1
"$TENKEN" diff --format json "$TMP/r/e1/report.json" "$TMP/r/e2/report.json" >"$TMP/d.json"
R --db "$DB3" --format json --view changes >"$TMP/s.json" 2>/dev/null
norm "$TMP/d.json" true >"$TMP/want"
norm "$TMP/s.json" false >"$TMP/got"
if cmp -s "$TMP/want" "$TMP/got" && [ "$(jq -c '[.listeners, .usb_devices, .wireless] | map(.added + .removed | length)' "$TMP/want")" = "[2,2,1]" ]; then
	pass "edited reports: listeners, USB devices, wireless equal tenken diff"
else
	fail "edited reports equal tenken diff" "$(diff "$TMP/want" "$TMP/got" | head -20)"
fi

# The real tools' changes are among them (the diff's own oracle is diff.sh).
jq -e '.hosts[0].changes.inventory | .admins.removed == ["jiro"] and .accounts.removed == ["jiro"]
	and .services_enabled.removed == ["ssh.service"]
	and ([.packages.removed[].name] == ["tenken-test-extra"])' "$TMP/s-gone.json" >/dev/null &&
	pass "userdel, dpkg --purge, systemctl disable seen as removals" ||
	fail "removals" "$(jq -c .hosts[0].changes.inventory "$TMP/s-gone.json")"

# A report without the packages collection: packages not recorded.
jq 'del(.inventory.packages) | .scan.now = "2026-11-22T12:00:00Z"' "$TMP/r/gone/report.json" >"$TMP/nopk.json"
DB2=$TMP/nopk.db
R --db "$DB2" ingest "$TMP/r/new/report.json" "$TMP/nopk.json" >/dev/null 2>&1
R --db "$DB2" --format json --view changes >"$TMP/n.json" 2>/dev/null
jq -e '.hosts[0].changes | (.inventory_not_recorded == ["packages"]) and (.inventory.packages == null)
	and (.inventory.accounts.removed == ["jiro"])' "$TMP/n.json" >/dev/null &&
	pass "a report without packages: packages not recorded, the rest compared" ||
	fail "report without packages" "$(jq -c .hosts[0].changes "$TMP/n.json")"

# A store made before the sets were kept: its reports have none.
sqlite3 "$DB2" 'UPDATE reports SET inventory = NULL'
R --db "$DB2" --format json --view changes >"$TMP/n.json" 2>/dev/null
[ "$(jq -c '.hosts[0].changes | [(.inventory | length), (.inventory_not_recorded | length)]' "$TMP/n.json")" = "[0,7]" ] &&
	pass "an older store: every kind not recorded, none as no change" ||
	fail "older store" "$(jq -c .hosts[0].changes "$TMP/n.json")"
R --db "$DB2" --format csv --view changes --lang en >"$TMP/c.csv" 2>/dev/null
[ "$(grep -c ': not recorded (changes unknown),,' "$TMP/c.csv")" = 7 ] &&
	pass "older store: CSV says not recorded for each kind" || fail "older store CSV" "$(cat "$TMP/c.csv")"
R --db "$DB2" --format html --lang ja >"$TMP/c.html" 2>/dev/null
expect_grep "older store: HTML says not recorded (ja)" '<li>アカウント 記録なし（変化は不明）</li>' "$TMP/c.html"

if python3 -c 'import jsonschema' 2>/dev/null; then
	for f in s-new s-gone n; do
		python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
			"$TMP/$f.json" docs/schema/fleet-summary.schema.json 2>"$TMP/err" &&
			pass "$f summary validates against the schema" ||
			fail "$f summary schema" "$(tail -3 "$TMP/err")"
	done
else
	pass "fleet summary schema (skipped: python3-jsonschema missing)"
fi
