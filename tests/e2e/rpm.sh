#!/bin/sh
# End-to-end checks of the rpm side of the packages probe against rpm
# itself (Debian: apt-get install rpm db5.3-util):
#   - each fixture database of tests/fixtures/unit-rpm, planted in a root
#     where each distribution keeps it, gives the inventory that
#     `rpm -qa --dbpath DIR --qf ...` prints for it (SQLite with rpm's
#     default backend, Berkeley DB with its bdb_ro backend); the NDB file
#     holds the same headers and must give the same list (Debian's rpm
#     has no NDB backend);
#   - rpm's version order: 30,000 fresh pairs judged by librpmio's own
#     rpmvercmp()/rpmverCmp() (vercmp-gen.py) and by tenken: zero
#     disagreements;
#   - the time the probe takes on a database.
# Without rpm (or python3 for librpmio) the comparisons print
# "PASS name (skipped: reason)"; tenken's own reading is still checked
# against the recorded expected.txt.
. tests/lib.sh
FIX=tests/fixtures/unit-rpm
QF='%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\n'

skip() { echo "PASS $1 (skipped: $2)"; }

if ! command -v jq >/dev/null; then
	fail "e2e rpm" "jq is needed (apt-get install jq)"
	exit 0
fi

# tenken's inventory of ROOT as "name \t version \t arch" lines, sorted.
tenken_list() {
	"$TENKEN" inventory --root "$1" --only packages --now 2026-11-22T00:00:00Z >"$TMP/inv.json" 2>"$TMP/err" || return 1
	jq -r '(.inventory.packages // [])[] | [.name, .version, (.architecture // "(none)")] | @tsv' \
		"$TMP/inv.json" | LC_ALL=C sort
}

# plant NAME FILE PATH: a root holding FILE at PATH.
plant() {
	rm -rf "$TMP/$1"
	mkdir -p "$TMP/$1/$(dirname "$3")"
	cp "$2" "$TMP/$1/$3"
}

cut -f1-3 "$FIX/expected.txt" >"$TMP/recorded"
for spec in sqlite:sqlite/rpmdb.sqlite:/var/lib/rpm/rpmdb.sqlite:sqlite \
	bdb:bdb/Packages:/var/lib/rpm/Packages:bdb_ro \
	bdb-be:bdb-be/Packages:/var/lib/rpm/Packages:bdb_ro \
	ndb:ndb/Packages.db:/usr/lib/sysimage/rpm/Packages.db:; do
	IFS=: read -r name file path backend <<EOT
$spec
EOT
	plant "root-$name" "$FIX/$file" "$path"
	if ! tenken_list "$TMP/root-$name" >"$TMP/got-$name"; then
		fail "rpm inventory $name" "$(head -c 1000 "$TMP/err")"
		continue
	fi
	if cmp -s "$TMP/got-$name" "$TMP/recorded" && [ -s "$TMP/recorded" ]; then
		pass "rpm inventory $name equals the recorded rpm -qa"
	else
		fail "rpm inventory $name equals the recorded rpm -qa" "$(diff "$TMP/recorded" "$TMP/got-$name" | head -20)"
	fi
	if [ -z "$backend" ]; then
		skip "rpm -qa reads $name" "this rpm has no NDB backend"
		continue
	fi
	if ! command -v rpm >/dev/null; then
		skip "rpm -qa reads $name" "rpm is not installed"
		continue
	fi
	mkdir -p "$TMP/dbpath-$name"
	cp "$FIX/$file" "$TMP/dbpath-$name/"
	rpm --define "_db_backend $backend" --dbpath "$TMP/dbpath-$name" -qa --qf "$QF" 2>"$TMP/rpmerr" |
		LC_ALL=C sort >"$TMP/rpm-$name"
	if [ -s "$TMP/rpm-$name" ] && cmp -s "$TMP/rpm-$name" "$TMP/got-$name"; then
		pass "rpm inventory $name equals rpm -qa --dbpath ($(wc -l <"$TMP/rpm-$name") packages)"
	else
		fail "rpm inventory $name equals rpm -qa --dbpath" "$(diff "$TMP/rpm-$name" "$TMP/got-$name" | head -20)" "$(head -3 "$TMP/rpmerr")"
	fi
done

# Kernel facts from the SQLite root: two kernel-core builds, the older
# one running.
mkdir -p "$TMP/root-sqlite/proc/sys/kernel"
echo 5.14.0-362.8.1.el9_3.x86_64 >"$TMP/root-sqlite/proc/sys/kernel/osrelease"
tenken_list "$TMP/root-sqlite" >/dev/null
if jq -e '.inventory.kernel | .running_is_newest == false and
	.newest_installed == "5.14.0-427.13.1.el9_4.x86_64" and
	.running_package_version == "5.14.0-362.8.1.el9_3" and (.installed | length) == 2' \
	"$TMP/inv.json" >/dev/null; then
	pass "rpm kernel: running older than newest installed"
else
	fail "rpm kernel: running older than newest installed" "$(jq -c .inventory.kernel "$TMP/inv.json")"
fi

# A database that is not one: an error message, no packages, no crash.
plant root-junk /dev/null /var/lib/rpm/rpmdb.sqlite
head -c 8192 /dev/urandom >"$TMP/root-junk/var/lib/rpm/rpmdb.sqlite"
"$TENKEN" inventory --root "$TMP/root-junk" --only packages >"$TMP/junk.json" 2>&1
if jq -e '.scan.probes[] | select(.name == "packages") | .status == "error"' "$TMP/junk.json" >/dev/null &&
	grep -q 'cannot be read as an rpm database' "$TMP/junk.json"; then
	pass "rpm junk database reported"
else
	fail "rpm junk database reported" "$(head -c 1000 "$TMP/junk.json")"
fi

# rpm's own comparison on fresh pairs.
if ! command -v python3 >/dev/null || ! python3 -c 'import ctypes; ctypes.CDLL("librpmio.so.9")' 2>/dev/null; then
	skip "rpmvercmp equals librpmio" "librpmio or python3 missing"
else
	seed=$(date +%s)
	python3 "$FIX/vercmp-gen.py" 30000 "$seed" >"$TMP/pairs.tsv"
	make -s "$B/tests/test_rpmver" >/dev/null 2>&1
	if RPMVER_PAIRS="$TMP/pairs.tsv" "$B/tests/test_rpmver" >"$TMP/vc.out" 2>&1; then
		pass "rpmvercmp equals librpmio on $(wc -l <"$TMP/pairs.tsv") pairs (seed $seed)"
	else
		fail "rpmvercmp equals librpmio (seed $seed)" "$(grep -E 'disagree|pairs' "$TMP/vc.out" | head -10)"
	fi
fi

# Time of the probe on the SQLite root (best of 3), for the record.
best=
for i in 1 2 3; do
	t0=$(date +%s%N)
	"$TENKEN" inventory --root "$TMP/root-sqlite" --only packages >/dev/null 2>&1
	t=$((($(date +%s%N) - t0) / 1000000))
	[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
done
pass "rpm probe time on the fixture database: ${best} ms"
