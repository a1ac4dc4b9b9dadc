#!/bin/sh
# tests/e2e/augenrules.sh - the audit rules tenken assembles from
# /etc/audit/rules.d against the file the real augenrules (package auditd)
# generates, byte for byte, for each configuration below and for both awk
# dialects (mawk, Debian's default, and gawk: they read the script's \s
# differently); and tenken's audit facts against the rules in that file.
#
# The host's /etc/audit is never touched: augenrules is taken from the
# installed auditd if there is one, else from `apt-get download auditd`
# unpacked into $TMP, and run as a copy whose DestinationFile and
# SourceRulesDir point into $TMP. Without it (or without both awks) the
# comparison is skipped and says so.
. tests/lib.sh

AUGEN=$B/tools/augen
for c in /usr/sbin/augenrules /sbin/augenrules; do
	[ -f "$c" ] && AUGENRULES=${AUGENRULES:-$c}
done
EXAMPLES=/usr/share/doc/auditd/examples/rules
DEFAULT=/etc/audit/rules.d/audit.rules
if [ -z "${AUGENRULES:-}" ] || [ ! -d "$EXAMPLES" ]; then
	if (cd "$TMP" && apt-get download auditd >/dev/null 2>&1) &&
		dpkg -x "$TMP"/auditd_*.deb "$TMP/pkg" 2>/dev/null; then
		AUGENRULES=$TMP/pkg/sbin/augenrules
		[ -f "$AUGENRULES" ] || AUGENRULES=$TMP/pkg/usr/sbin/augenrules
		EXAMPLES=$TMP/pkg/usr/share/doc/auditd/examples/rules
		DEFAULT=$TMP/pkg/etc/audit/rules.d/audit.rules
	fi
fi
if [ ! -f "${AUGENRULES:-/nonexistent}" ] || [ ! -x /usr/bin/mawk ] || [ ! -x /usr/bin/gawk ] ||
	! command -v jq >/dev/null; then
	pass "e2e augenrules: comparison with augenrules (skipped: needs auditd's augenrules, mawk, gawk and jq)"
	exit 0
fi
if [ ! -x "$TENKEN" ] || [ ! -x "$AUGEN" ]; then
	fail "e2e augenrules" "$TENKEN or $AUGEN is not built"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
[ -f "$DEFAULT" ] || { fail "e2e augenrules" "no $DEFAULT"; exit 0; }

# real_augenrules AWK DIR OUT: the file the real script writes from DIR.
real_augenrules() {
	mkdir -p "$TMP/bin-$1"
	ln -sf "/usr/bin/$1" "$TMP/bin-$1/awk"
	sed -e "s|^DestinationFile=.*|DestinationFile=$3|" -e "s|^SourceRulesDir=.*|SourceRulesDir=$2|" \
		"$AUGENRULES" >"$TMP/augenrules"
	rm -f "$3"
	PATH="$TMP/bin-$1:$PATH" sh "$TMP/augenrules" >/dev/null 2>&1
	# its header names the source directory: the copy's, here
	sed -i "1s|generated from $2\$|generated from /etc/audit/rules.d|" "$3"
}

# A root holding DIR as /etc/audit/rules.d and AWK as /usr/bin/awk.
make_root() {
	r=$TMP/root-$1
	rm -rf "$r"
	mkdir -p "$r/etc/audit" "$r/usr/bin" "$r/usr/sbin"
	cp -a "$2" "$r/etc/audit/rules.d"
	: >"$r/usr/bin/$1"
	ln -s "$1" "$r/usr/bin/awk"
	: >"$r/usr/sbin/auditd"
}

n=0
agree=0
facts_n=0
facts_agree=0
# compare NAME DIR: both dialects, text and facts.
compare() {
	for awk in mawk gawk; do
		n=$((n + 1))
		real_augenrules "$awk" "$2" "$TMP/real.rules"
		"$AUGEN" "$awk" "$2" >"$TMP/ours.rules" 2>"$TMP/augen.err"
		if cmp -s "$TMP/real.rules" "$TMP/ours.rules"; then
			agree=$((agree + 1))
		else
			fail "augenrules $1 ($awk): assembled text differs" \
				"$(diff "$TMP/real.rules" "$TMP/ours.rules" | head -20)"
			continue
		fi
		# tenken's count of -w/-a rules against the generated file's
		# (only where counting its lines is the answer: the hand-made
		# case has mid-file -D lines that auditctl -R executes)
		[ "$1" = hostile ] && continue
		facts_n=$((facts_n + 1))
		make_root "$awk" "$2"
		want=$(grep -cE '^[[:space:]]*-[waA][[:space:]]+[^[:space:]]' "$TMP/real.rules")
		"$TENKEN" inventory --root "$TMP/root-$awk" --only logging >"$TMP/inv.json" 2>/dev/null
		# audit_rules counts what auditctl -R would load; the rules it
		# would refuse (a duplicate, a line past a rejected one) are in
		# audit_rules_not_loaded: together they are the assembled file.
		got=$(jq -r '.inventory.logging | (.audit_rules // 0) + (.audit_rules_not_loaded // 0)' "$TMP/inv.json")
		if [ "$got" = "$want" ]; then
			facts_agree=$((facts_agree + 1))
		else
			fail "augenrules $1 ($awk): tenken counts $got rules, augenrules wrote $want"
		fi
	done
}

case_dir() {
	d=$TMP/cases/$1
	rm -rf "$d"
	mkdir -p "$d"
	echo "$d"
}

# Debian's shipped rules.d alone, then with each shipped example beside
# it, then with the usual 10-base-config + 30-stig + 99-finalize set.
d=$(case_dir default)
cp "$DEFAULT" "$d/"
compare default "$d"
for ex in "$EXAMPLES"/*.rules; do
	name=$(basename "$ex" .rules)
	d=$(case_dir "$name")
	cp "$DEFAULT" "$ex" "$d/"
	compare "$name" "$d"
done
d=$(case_dir stig)
cp "$DEFAULT" "$EXAMPLES/10-base-config.rules" "$EXAMPLES/30-stig.rules" \
	"$EXAMPLES/99-finalize.rules" "$d/"
compare stig "$d"
d=$(case_dir all)
cp "$DEFAULT" "$EXAMPLES"/*.rules "$d/"
compare all-examples "$d"

# Hand-made: version order (9 before 10), indented comments and -D,
# CRLF, a file without final newline, -D with options, several -e and
# -b, names augenrules skips.
d=$(case_dir hostile)
printf -- '-w /etc/passwd -p wa -k a\n' >"$d/10-late.rules"
printf -- '-D\n-w /etc/shadow -p wa\n  # indented comment\n  -D \n-e 1\n' >"$d/9-early.rules"
printf -- '-w /etc/group -p wa\r\n\r\n-b 100\r\n' >"$d/20-crlf.rules"
printf -- '-w /etc/sudoers -p wa' >"$d/30-nonl.rules"
printf -- '-w /var/log/wtmp -p wa\n-D -k old\n-e 2\nsss# s-comment\n' >"$d/40-opts.rules"
printf -- '-w /etc/hosts -p wa\n' >"$d/.hidden.rules"
printf -- '-w /etc/hosts -p wa\n' >"$d/50-backup.rules~"
printf -- '-w /etc/hosts -p wa\n' >"$d/60-off.rules.disabled"
printf -- '\t-f 2\n -b 9\n-w /etc/gshadow -p wa\n' >"$d/a10.rules"
printf -- '-a always,exit -F path=/usr/bin/sudo -F perm=x\n' >"$d/10a.rules"
printf -- '-w /etc/issue\n' >"$d/010-zero.rules"
mkdir "$d/70-dir.rules"
compare hostile "$d"
d=$(case_dir empty)
compare empty-dir "$d"

if [ "$agree" -eq "$n" ] && [ "$n" -gt 0 ]; then
	pass "augenrules: $agree of $n configurations assembled byte for byte as augenrules does"
else
	fail "augenrules: $agree of $n configurations agree with augenrules"
fi
if [ "$facts_agree" -eq "$facts_n" ] && [ "$facts_n" -gt 0 ]; then
	pass "augenrules: tenken's rule count equals the generated file's in $facts_agree of $facts_n roots"
else
	fail "augenrules: rule counts agree in $facts_agree of $facts_n roots"
fi
