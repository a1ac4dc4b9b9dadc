#!/bin/sh
# tests/e2e/systemctl.sh - the state tenken gives every unit against
# `systemctl --root=ROOT is-enabled UNIT` (systemctl works offline on a
# root, without a running systemd), for this machine's own unit files and
# for every fixture root holding units. The units compared are those
# `systemctl list-unit-files` lists and those tenken lists (instances
# included). Without systemctl the comparison is skipped and says so.
# SYSTEMCTL_ROOTS may add more roots (debootstrapped ones) to compare.
. tests/lib.sh

if ! command -v systemctl >/dev/null || ! command -v jq >/dev/null; then
	pass "e2e systemctl: comparison with systemctl --root (skipped: needs systemctl and jq)"
	exit 0
fi
if [ ! -x "$TENKEN" ]; then
	fail "e2e systemctl" "$TENKEN is not built"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken

n=0
agree=0
roots=0
# compare ROOT (absolute)
compare() {
	"$TENKEN" inventory --root "$1" --only services >"$TMP/inv.json" 2>/dev/null
	jq -r '.inventory.services[]? | select(.type != "inetd") | "\(.unit) \(.state)"' "$TMP/inv.json" | sort >"$TMP/tk"
	[ -s "$TMP/tk" ] || return 0
	roots=$((roots + 1))
	{
		systemctl --root="$1" list-unit-files --no-legend --no-pager 2>/dev/null | awk '{print $1}'
		cut -d' ' -f1 "$TMP/tk"
	} | grep -E '\.(service|socket|timer|path)$' | sort -u >"$TMP/names"
	while read -r u; do
		st=$(systemctl --root="$1" is-enabled "$u" 2>/dev/null | tail -n 1)
		# is-enabled prints nothing for a dangling alias: list-unit-files says "bad"
		[ -n "$st" ] || st=$(systemctl --root="$1" list-unit-files --no-legend --no-pager "$u" \
			2>/dev/null | awk '{print $2}')
		echo "$u ${st:-none}"
	done <"$TMP/names" | sort >"$TMP/sc"
	join -a1 -a2 -e MISSING -o 0,1.2,2.2 "$TMP/sc" "$TMP/tk" >"$TMP/joined"
	t=$(wc -l <"$TMP/joined")
	a=$(awk '$2 == $3' "$TMP/joined" | wc -l)
	n=$((n + t))
	agree=$((agree + a))
	if [ "$a" -ne "$t" ]; then
		fail "systemctl $1: $a of $t units agree" \
			"$(awk '$2 != $3 { print "  " $1 ": systemctl " $2 ", tenken " $3 }' "$TMP/joined" | head -20)"
	fi
}

compare /
for fx in tests/fixtures/*/; do
	compare "$(cd "$fx" && pwd)"
done
for r in ${SYSTEMCTL_ROOTS:-}; do
	compare "$r"
done
if [ "$n" -gt 0 ] && [ "$agree" -eq "$n" ]; then
	pass "systemctl: $agree of $n unit states agree with systemctl --root is-enabled ($roots roots)"
else
	fail "systemctl: $agree of $n unit states agree with systemctl --root is-enabled ($roots roots)"
fi
