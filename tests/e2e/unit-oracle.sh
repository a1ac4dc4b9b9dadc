#!/bin/sh
# tests/e2e/unit-oracle.sh - the drop-ins tenken applies to each unit, in
# order, and every listener of each socket unit, against what systemd
# itself assembles: `systemd-analyze verify --root=ROOT` loads the units
# offline (no running systemd, nothing written to the root) and, at debug
# level, dumps each unit's "DropIn Path:" lines and its Listen*: lines.
# Compared for this machine's units, every fixture root holding units,
# and the roots in UNIT_ORACLE_ROOTS (debootstrapped ones, or roots with
# real packages' unit files unpacked). Only units systemd loaded from the
# same fragment are compared; templates are compared through an instance
# tenken lists. Without systemd-analyze and jq the comparison is skipped
# and says so.
. tests/lib.sh

if ! command -v systemd-analyze >/dev/null || ! command -v jq >/dev/null; then
	pass "e2e unit-oracle: comparison with systemd-analyze verify (skipped: needs systemd-analyze and jq)"
	exit 0
fi
if [ ! -x "$TENKEN" ]; then
	fail "e2e unit-oracle" "$TENKEN is not built"
	exit 0
fi

units=0
agree=0
sockets=0
sockets_agree=0
roots=0

# tenken's view: "UNIT<TAB>FRAGMENT<TAB>DROPINS<TAB>LISTENS" (lists joined
# by spaces; listeners sorted, a bare port spelled as systemd prints it).
tenken_view() {
	jq -r '.inventory.services[]?
		| select(.source == "systemd" and .unit_file != null and .state != "masked"
			and .state != "alias" and .state != "bad")
		| select(.unit | test("@\\.") | not)
		| [.unit, .unit_file, (.dropins | join(" ")),
		   ((.listen // []) | map(sub("^(?<k>Listen[A-Za-z]+)=(?<p>[0-9]+)$"; "\(.k)=[::]:\(.p)")
			| gsub("%t"; "/run")) | sort | join(" "))] | @tsv' "$1"
}

# systemd's view, the same shape, from the dump (paths without the root).
systemd_view() {
	awk -v root="$2" -F': ' '
		function strip(p) { return root == "/" ? p : substr(p, length(root) + 1) }
		function flush() {
			if (u != "") {
				n = split(ls, a, "\034"); s = ""
				for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
				for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") a[i]
				print u "\t" frag "\t" ds "\t" s
			}
			u = ""; frag = ""; ds = ""; ls = ""
		}
		/^\t-> Unit / { flush(); u = $0; sub(/^\t-> Unit /, "", u); sub(/:$/, "", u); next }
		u == "" { next }
		/^\t\tFragment Path: / { frag = strip($2); next }
		/^\t\tDropIn Path: / { ds = ds (ds == "" ? "" : " ") strip($2); next }
		/^\t\tListen[A-Za-z]+: / { k = $1; sub(/^\t\t/, "", k); ls = ls (ls == "" ? "" : "\034") k "=" $2; next }
		END { flush() }' "$1"
}

# compare ROOT (absolute)
compare() {
	"$TENKEN" inventory --root "$1" --only services >"$TMP/inv.json" 2>/dev/null
	tenken_view "$TMP/inv.json" | sort >"$TMP/tk"
	[ -s "$TMP/tk" ] || return 0
	roots=$((roots + 1))
	(cd "$TMP" && SYSTEMD_LOG_LEVEL=debug timeout 60 systemd-analyze verify --root="$1" \
		--man=no --generators=no $(cut -f1 "$TMP/tk") >"$TMP/dump" 2>&1)
	systemd_view "$TMP/dump" "$1" | sort -u >"$TMP/sd"
	# the units systemd loaded from the fragment tenken names
	join -t "$(printf '\t')" -o 1.1,1.2,1.3,1.4,2.2,2.3,2.4 "$TMP/tk" "$TMP/sd" |
		awk -F'\t' '$2 == $5 || ("/usr" $2) == $5 || $2 == ("/usr" $5)' >"$TMP/both"
	t=$(wc -l <"$TMP/both")
	a=$(awk -F'\t' '$3 == $6 && $4 == $7' "$TMP/both" | wc -l)
	st=$(awk -F'\t' '$1 ~ /\.socket$/' "$TMP/both" | wc -l)
	sa=$(awk -F'\t' '$1 ~ /\.socket$/ && $4 == $7' "$TMP/both" | wc -l)
	units=$((units + t))
	agree=$((agree + a))
	sockets=$((sockets + st))
	sockets_agree=$((sockets_agree + sa))
	if [ "$a" -ne "$t" ]; then
		fail "unit-oracle $1: $a of $t units agree" \
			"$(awk -F'\t' '$3 != $6 || $4 != $7 { print "  " $1 ": systemd [" $6 "] [" $7 "], tenken [" $3 "] [" $4 "]" }' "$TMP/both" | head -10)"
	fi
}

compare /
for fx in tests/fixtures/*/; do
	[ -d "$fx/etc/systemd" ] || [ -d "$fx/lib/systemd" ] || [ -d "$fx/usr/lib/systemd" ] || continue
	compare "$(cd "$fx" && pwd)"
done
for r in ${UNIT_ORACLE_ROOTS:-}; do
	compare "$r"
done
if [ "$units" -gt 0 ] && [ "$agree" -eq "$units" ]; then
	pass "unit-oracle: drop-ins and listeners of $agree of $units units agree with systemd-analyze verify ($sockets_agree of $sockets sockets; $roots roots)"
else
	fail "unit-oracle: drop-ins and listeners of $agree of $units units agree with systemd-analyze verify ($sockets_agree of $sockets sockets; $roots roots)"
fi
