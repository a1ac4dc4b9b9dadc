#!/bin/sh
# tests/e2e/diff.sh - `tenken diff OLD NEW` on two scans of one fixture
# root, the second changed by the real Debian tools: useradd adds an
# account to the sudo group, systemctl --root enables a service, dpkg
# --root installs a new package and upgrades openssh-server; a third root
# undoes them with userdel, dpkg --purge and systemctl disable. The diff
# must report exactly what those tools changed (compared with dpkg-query,
# systemctl list-unit-files and the passwd files), in text, HTML and JSON (the
# JSON valid against docs/schema/diff.schema.json); exit 0 for no change,
# 1 for changes, 2 for bad input with file:line:column.
. tests/lib.sh

NOW=2026-11-22T00:00:00Z
ONLY=system,accounts,packages,services,listeners,usb,wireless
SCHEMA=docs/schema/diff.schema.json

OLD=$TMP/old
cp -a tests/fixtures/services-good "$OLD"
for f in passwd group shadow gshadow sudoers login.defs machine-id; do
	cp -a tests/fixtures/accounts-good/etc/$f "$OLD/etc/"
done
cp -a tests/fixtures/accounts-good/etc/sudoers.d "$OLD/etc/"
NEW=$TMP/new
cp -a "$OLD" "$NEW"

# A .deb built here: NAME VERSION ARCH.
mkdeb() {
	d=$TMP/deb-$1
	mkdir -p "$d/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: t <t@example.org>\nDescription: test\n' \
		"$1" "$2" "$3" >"$d/DEBIAN/control"
	dpkg-deb -b "$d" "$TMP/$1.deb" >/dev/null
}

have_tools=yes
for t in useradd systemctl dpkg dpkg-deb dpkg-query; do
	command -v $t >/dev/null 2>&1 || have_tools=no
done
if [ $have_tools = no ]; then
	pass "diff of modified roots (skipped: useradd, systemctl, dpkg not all installed)"
	exit 0
fi

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

for s in old new; do
	"$TENKEN" scan --root "$TMP/$s" --now $NOW --only $ONLY --format json \
		--output "$TMP/$s.json" 2>"$TMP/$s.err"
	[ $? -le 1 ] || fail "scan $s" "$(cat "$TMP/$s.err")"
done

expect_status "diff of changed scans exits 1" 1 "$TENKEN" diff --format json "$TMP/old.json" "$TMP/new.json"
cp "$TMP/out" "$TMP/d.json"
expect_status "diff of a scan with itself exits 0" 0 "$TENKEN" diff --format text --lang en "$TMP/old.json" "$TMP/old.json"
expect_grep "no change is said" '^No changes\.$' "$TMP/out"

# The oracle: what the real tools say changed.
q() { jq -r "$1" "$TMP/d.json"; }
pkgs() {
	dpkg-query --admindir="$1/var/lib/dpkg" -W -f '${Package}:${Architecture} ${Version}\n' 2>/dev/null | sort
}
pkgs "$OLD" >"$TMP/p.old"
pkgs "$NEW" >"$TMP/p.new"
# Added: a name:arch only NEW has; changed: in both with other versions.
awk 'NR==FNR { v[$1] = $2; next } !($1 in v) { print $1 " " $2 }' "$TMP/p.old" "$TMP/p.new" >"$TMP/want.added"
awk 'NR==FNR { v[$1] = $2; next } ($1 in v) && v[$1] != $2 { print $1 " " v[$1] " -> " $2 }' \
	"$TMP/p.old" "$TMP/p.new" >"$TMP/want.changed"
q '.inventory.packages.added[] | "\(.name):\(.architecture) \(.version)"' >"$TMP/got.added"
q '.inventory.packages.changed[] | "\(.name):\(.architecture) \(.old) -> \(.new)"' >"$TMP/got.changed"
for k in added changed; do
	if [ -s "$TMP/want.$k" ] && cmp -s "$TMP/want.$k" "$TMP/got.$k"; then
		pass "packages $k agree with dpkg-query"
	else
		fail "packages $k agree with dpkg-query" "want: $(cat "$TMP/want.$k")" "got: $(cat "$TMP/got.$k")"
	fi
done
units() {
	systemctl --root="$1" list-unit-files --state=enabled --no-legend 2>/dev/null | awk '{print $1}' | sort
}
units "$OLD" >"$TMP/u.old"
units "$NEW" >"$TMP/u.new"
comm -13 "$TMP/u.old" "$TMP/u.new" >"$TMP/want.units"
q '.inventory.services_enabled.added[].key' >"$TMP/got.units"
if [ -s "$TMP/want.units" ] && cmp -s "$TMP/want.units" "$TMP/got.units"; then
	pass "enabled services agree with systemctl --root list-unit-files"
else
	fail "enabled services agree with systemctl --root list-unit-files" \
		"want: $(cat "$TMP/want.units")" "got: $(cat "$TMP/got.units")"
fi
cut -d: -f1 "$OLD/etc/passwd" | sort >"$TMP/a.old"
cut -d: -f1 "$NEW/etc/passwd" | sort >"$TMP/a.new"
comm -13 "$TMP/a.old" "$TMP/a.new" >"$TMP/want.accounts"
q '.inventory.accounts.added[].key' >"$TMP/got.accounts"
if [ -s "$TMP/want.accounts" ] && cmp -s "$TMP/want.accounts" "$TMP/got.accounts"; then
	pass "new accounts agree with the passwd files"
else
	fail "new accounts agree with the passwd files" "want: $(cat "$TMP/want.accounts")" \
		"got: $(cat "$TMP/got.accounts")"
fi
[ "$(q '[.inventory.admins.added[].key] | join(",")')" = jiro ] &&
	pass "jiro is a new administrator (sudo group)" || fail "jiro is a new administrator" "$(q .inventory.admins)"
[ "$(q '[.inventory.accounts.removed, .inventory.packages.removed, .inventory.services_enabled.removed] | map(length) | add')" = 0 ] &&
	pass "nothing reported removed" || fail "nothing reported removed" "$(q .inventory)"
q '.findings.new_failures[] | "\(.rule) \(.subject)"' >"$TMP/nf"
expect_grep "the new administrator is a new failure" '^accounts\.admin_not_allowed account:jiro$' "$TMP/nf"
expect_grep "the forbidden service is a new failure" '^services\.forbidden service:avahi-daemon\.service$' "$TMP/nf"
[ "$(q '.changes')" -gt 0 ] && [ "$(q '.not_compared | length')" = 0 ] &&
	pass "changes counted, every collection compared" || fail "changes counted" "$(q '{changes, not_compared}')"

# Reversed, the same changes read as removals and fixes.
"$TENKEN" diff --format json "$TMP/new.json" "$TMP/old.json" >"$TMP/r.json"
[ "$(jq -r '[.inventory.accounts.removed[].key, .inventory.packages.removed[].name] | join(",")' "$TMP/r.json")" = "jiro,tenken-test-extra" ] &&
	pass "reversed diff: removals" || fail "reversed diff: removals" "$(jq -c .inventory "$TMP/r.json")"
jq -r '.findings.fixed[] | "\(.rule) \(.subject) \(.new)"' "$TMP/r.json" >"$TMP/fx"
expect_grep "reversed diff: the failure is fixed" '^services\.forbidden service:avahi-daemon\.service null$' "$TMP/fx"

# Removals by the real tools: userdel, dpkg --purge, systemctl disable.
GONE=$TMP/gone
cp -a "$NEW" "$GONE"
userdel --root "$GONE" jiro 2>/dev/null
dpkg --root="$GONE" --force-not-root --force-script-chrootless --purge tenken-test-extra >/dev/null 2>&1
systemctl --root="$GONE" disable ssh.service >/dev/null 2>&1
"$TENKEN" scan --root "$GONE" --now $NOW --only $ONLY --format json --output "$TMP/gone.json" 2>/dev/null
"$TENKEN" diff --format json "$TMP/new.json" "$TMP/gone.json" >"$TMP/g.json"
pkgs "$GONE" >"$TMP/p.gone"
units "$GONE" >"$TMP/u.gone"
cut -d: -f1 "$GONE/etc/passwd" | sort >"$TMP/a.gone"
awk 'NR==FNR { v[$1] = $2; next } !($1 in v) { print $1 " " $2 }' "$TMP/p.gone" "$TMP/p.new" >"$TMP/want.rpk"
jq -r '.inventory.packages.removed[] | "\(.name):\(.architecture) \(.version)"' "$TMP/g.json" >"$TMP/got.rpk"
comm -23 "$TMP/u.new" "$TMP/u.gone" >"$TMP/want.ru"
jq -r '.inventory.services_enabled.removed[].key' "$TMP/g.json" >"$TMP/got.ru"
comm -23 "$TMP/a.new" "$TMP/a.gone" >"$TMP/want.ra"
jq -r '.inventory.accounts.removed[].key' "$TMP/g.json" >"$TMP/got.ra"
for k in rpk:packages ru:services ra:accounts; do
	f=${k%%:*}
	if [ -s "$TMP/want.$f" ] && cmp -s "$TMP/want.$f" "$TMP/got.$f"; then
		pass "removed ${k#*:} agree with the real tools"
	else
		fail "removed ${k#*:} agree with the real tools" "want: $(cat "$TMP/want.$f")" "got: $(cat "$TMP/got.$f")"
	fi
done

# Text and HTML, both languages.
"$TENKEN" diff --format text --lang ja "$TMP/old.json" "$TMP/new.json" >"$TMP/d.ja.txt"
expect_grep "text ja: package upgrade old -> new" '~ openssh-server:amd64 1:9\.2p1-2\+deb12u3 -> 1:9\.2p1-2\+deb12u5' "$TMP/d.ja.txt"
expect_grep "text ja: headings in Japanese" '^新しい不適合 \(2\)$' "$TMP/d.ja.txt"
"$TENKEN" diff --format text --lang en "$TMP/old.json" "$TMP/new.json" >"$TMP/d.en.txt"
expect_grep "text en: new account" '^    \+ jiro \(uid [0-9]+\)  \(added\)$' "$TMP/d.en.txt"
expect_no_grep "text en: no Japanese" 'いいえ|不適合' "$TMP/d.en.txt"
"$TENKEN" diff --format html --lang en --output "$TMP/d.html" "$TMP/old.json" "$TMP/new.json"
expect_grep "html: self-contained document" "default-src 'none'" "$TMP/d.html"
expect_grep "html: enabled service listed" '<li class="added">\+ avahi-daemon\.service' "$TMP/d.html"
expect_no_grep "html: no script" '<script|href=|src=' "$TMP/d.html"

# Schema.
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	for f in d.json r.json; do
		if /usr/bin/python3 - "$SCHEMA" "$TMP/$f" >"$TMP/v" 2>&1 <<'EOF'; then
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
EOF
			pass "$f valid against diff.schema.json"
		else
			fail "$f valid against diff.schema.json" "$(tail -5 "$TMP/v")"
		fi
	done
else
	pass "diff schema (skipped: python3-jsonschema not installed)"
fi

# Bad input: position, exit 2.
printf '{"format": "tenken-report",\n  "host": {,}\n}\n' >"$TMP/bad.json"
expect_status "broken JSON exits 2" 2 "$TENKEN" diff "$TMP/bad.json" "$TMP/new.json"
expect_grep "broken JSON: file:line:col" "^$TMP/bad.json:2:[0-9]+: " "$TMP/err"
printf '{\n  "format": "tenken-inventory",\n  "host": {}\n}\n' >"$TMP/inv.json"
expect_status "not a report exits 2" 2 "$TENKEN" diff --lang en "$TMP/old.json" "$TMP/inv.json"
expect_grep "not a report: file:line:col of \"format\"" "^$TMP/inv.json:2:13: not a tenken report" "$TMP/err"
jq '.findings = {}' "$TMP/old.json" >"$TMP/shape.json"
expect_status "findings not an array exits 2" 2 "$TENKEN" diff --lang en "$TMP/shape.json" "$TMP/new.json"
expect_grep "findings not an array: pointer and position" "^$TMP/shape.json:[0-9]+:[0-9]+: .*/findings$" "$TMP/err"
jq '.host.machine_id = "ffffffffffffffffffffffffffffffff"' "$TMP/new.json" >"$TMP/other.json"
expect_status "another host is refused" 2 "$TENKEN" diff --lang en "$TMP/old.json" "$TMP/other.json"
expect_grep "another host: said why" 'reports of different hosts' "$TMP/err"
expect_status "csv is not a diff format" 2 "$TENKEN" diff --format csv "$TMP/old.json" "$TMP/new.json"
expect_status "one operand is a usage error" 2 "$TENKEN" diff "$TMP/old.json"
expect_status "missing file exits 2" 2 "$TENKEN" diff "$TMP/old.json" "$TMP/nonexistent.json"
