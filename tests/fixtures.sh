#!/bin/sh
# tests/fixtures.sh - scans every fixture root under tests/fixtures/ with a
# fixed --now and checks the report against the files beside the root.
# A fixture root is a directory holding a file `expect`; the control files
# sit at its top (the probes never read them):
#
#   expect           lines `jsonnorm --findings` must print: "STATUS RULE
#                    SUBJECT", "item 2(5) no", "probe accounts partial". A
#                    line matches an output line equal to it or starting
#                    with it and a space (the checklist items follow).
#   expect-not       lines that must not be printed (same matching)
#   expect-status    the exit statuses allowed (default: 1 if expect holds
#                    a "fail " line, else 0)
#   expect-messages  "PROBE ERE": a message of PROBE (English) matches ERE
#   baseline.json    passed with --baseline
#   args             extra scan arguments, one per line
#   modes            "MODE UID:GID PATH": set on the copy (git keeps neither)
#   fifos            PATH: made a FIFO in the copy
#   mtimes           "TIME PATH": the file's modification time in the copy
#                    (every other file is dated $MTIME, see set_times)
#   expected.json    the normalized report (jsonnorm, the root's path
#                    replaced by @ROOT@, the scratch directory by @TMP@);
#                    REGEN=1 rewrites it for every root
#                    (make fixtures-regen)
#
# Every root is also checked for: no crash or hang (timeout 20), a valid
# JSON report, every format in ja and en free of template leftovers and
# internal field names (check_prose), no password hash of the root's shadow files (nor any hash
# prefix) in the json, text, csv or html output, and no account of the
# machine running the tests that the root does not hold.
# Roots are copied to $TMP first: the repository is never modified.
. tests/lib.sh

NOW=2026-11-22T00:00:00Z
FIXTURES=${FIXTURES:-tests/fixtures}
ROOTS=${ROOTS:-} # e.g. ROOTS="accounts-bad hostile" to run some

# Lines of a control file, without blanks and # comments.
lines() {
	[ -f "$1" ] && grep -v -e '^[[:space:]]*$' -e '^#' "$1"
}

# git keeps no modification times: a fresh clone would date every file at
# the clone, and reports (log ages, wtmp horizons) would change with it.
# Every file of the copy is dated MTIME, half a day before --now; a root's
# `mtimes` file ("TIME PATH" lines) dates particular files otherwise.
MTIME=2026-11-21T12:00:00Z
set_times() {
	find "$1" -exec touch -h -d "$MTIME" {} + 2>/dev/null
	lines "$1/mtimes" | while read -r t path; do
		touch -h -d "$t" "$1/$path"
	done
}

UID0=$(id -u)
apply_modes() {
	lines "$1/modes" | while read -r mode owner path; do
		chmod "$mode" "$1/$path" || fail "fixture $2: modes" "chmod $mode $path"
		# Owners need root; as a user the owner facts differ and the
		# mode checks say so.
		if [ "$UID0" = 0 ]; then chown -h "$owner" "$1/$path"; fi
	done
}

make_fifos() {
	lines "$1/fifos" | while read -r path; do
		mkdir -p "$(dirname "$1/$path")"
		rm -f "$1/$path"
		mkfifo "$1/$path"
	done
}

# scan NAME COPY FORMAT OUT: run the scan, print its exit status.
scan() {
	set -- "$1" "$2" "$3" "$4" scan --root "$2" --now "$NOW" --format "$3" --output "$4"
	[ -f "$2/baseline.json" ] && set -- "$@" --baseline "$2/baseline.json"
	if [ -f "$2/args" ]; then
		while read -r a; do set -- "$@" "$a"; done <"$2/args"
	fi
	shift 4
	timeout 20 "$TENKEN" "$@" >"$TMP/scan.stdout" 2>"$TMP/scan.stderr"
	echo $?
}

check_status() {
	name=$1 rc=$2 src=$3
	if [ -f "$src/expect-status" ]; then
		want=$(lines "$src/expect-status" | tr '\n' ' ')
	elif grep -q '^fail ' "$src/expect" 2>/dev/null; then
		want=1
	else
		want=0
	fi
	case " $want " in
	*" $rc "*) pass "fixture $name: exit status $rc" ;;
	*)
		why="exit $rc, wanted one of: $want"
		[ "$rc" -eq 124 ] && why="timed out after 20 s (a hang)"
		[ "$rc" -gt 128 ] && [ "$rc" -ne 124 ] && why="killed by signal $((rc - 128))"
		fail "fixture $name: exit status" "$why" "$(head -c 1500 "$TMP/scan.stderr")"
		;;
	esac
}

# Every expect line must match a findings line, no expect-not line may:
# one awk for all of them (a process per line made this script slow).
check_expect() {
	name=$1 src=$2 found=$3
	{
		lines "$src/expect" | sed 's/^/+ /'
		lines "$src/expect-not" | sed 's/^/- /'
	} >"$TMP/want"
	N=$name F=$found awk '
		BEGIN {
			while ((getline x < ENVIRON["F"]) > 0) f[++nf] = x
			name = ENVIRON["N"]
		}
		{
			sign = substr($0, 1, 1); l = substr($0, 3); hit = ""
			for (i = 1; i <= nf; i++)
				if (f[i] == l || index(f[i], l " ") == 1) { hit = f[i]; break }
			if (sign == "-") {
				if (hit == "") print "PASS fixture " name ": not " l
				else print "FAIL fixture " name ": not " l "\n  present: " hit
				next
			}
			if (hit != "") { print "PASS fixture " name ": " l; next }
			print "FAIL fixture " name ": " l "\n  missing from the findings; same rule:"
			split(l, w, " "); near = 0
			for (i = 1; i <= nf && near < 5; i++)
				if (index(f[i], " " w[2] " ")) { print "  " f[i]; near++ }
			if (!near) print "  (none)"
		}' "$TMP/want"
}

# The probes' messages as "PROBE MESSAGE" lines (English), from the
# normalized report (keys sorted: a probe's messages come before its name).
probe_messages() {
	sed -n '/^  "probes": \[/,/^  \]/p' "$1" | awk '
		/"en": / { sub(/^ *"en": "/, ""); sub(/",?$/, ""); buf[n++] = $0 }
		/"name": / {
			name = $0; sub(/^ *"name": "/, "", name); sub(/",?$/, "", name)
			for (i = 0; i < n; i++) print name, buf[i]
			n = 0
		}'
}

check_messages() {
	name=$1 src=$2 norm=$3
	probe_messages "$norm" >"$TMP/messages"
	lines "$src/expect-messages" | while read -r probe re; do
		if grep "^$probe " "$TMP/messages" | grep -Eq -- "$re"; then
			pass "fixture $name: $probe message /$re/"
		else
			fail "fixture $name: $probe message /$re/" "no $probe message matches; messages:" \
				"$(head -c 1500 "$TMP/messages")"
		fi
	done
}

# The password hashes the root holds (a leading ! of a locked one
# stripped), and each one's digest alone, one per line.
root_hashes() {
	for f in etc/shadow etc/gshadow etc/shadow-outside; do
		[ -f "$1/$f" ] || continue
		tr -d '\000\r' <"$1/$f" | cut -d: -f2 | sed 's/^!*//' | grep '^\$' || true
	done | sort -u >"$TMP/hashes"
	sed 's/.*\$//' "$TMP/hashes" | grep -E '.{16,}' >"$TMP/digests" || true
	cat "$TMP/digests" >>"$TMP/hashes"
}

# No secret in any format: not one of the root's hashes, not a hash prefix.
check_secrets() {
	name=$1 copy=$2
	root_hashes "$copy"
	for fmt in json text csv html; do
		out=$TMP/$name.$fmt
		[ "$fmt" = json ] || rc=$(scan "$name" "$copy" "$fmt" "$out")
		if [ ! -s "$out" ]; then
			fail "fixture $name: no secret in $fmt" "no $fmt output (exit $rc)" \
				"$(head -c 800 "$TMP/scan.stderr")"
			continue
		fi
		cat "$out" "$TMP/scan.stderr" >"$TMP/all"
		if [ -s "$TMP/hashes" ] && grep -qF -f "$TMP/hashes" "$TMP/all"; then
			fail "fixture $name: no secret in $fmt" "a password hash of the root is in the output"
		elif grep -qF -e '$y$' -e '$6$' -e '$5$' -e '$1$' "$TMP/all"; then
			fail "fixture $name: no secret in $fmt" "a hash prefix is in the output:" \
				"$(grep -F -e '$y$' -e '$6$' -e '$5$' -e '$1$' "$TMP/all" | head -c 300)"
		else
			pass "fixture $name: no secret in $fmt"
		fi
	done
}

# Nothing from the machine running the tests: an account it has and the
# root lacks must not appear (it would mean a read outside the root).
check_confined() {
	name=$1 copy=$2 json=$3
	: >"$TMP/root-accounts"
	[ -f "$copy/etc/passwd" ] && tr -d '\000' <"$copy/etc/passwd" | cut -d: -f1 >"$TMP/root-accounts"
	# awk, not grep -f: a hostile root's passwd holds megabyte-long names.
	cut -d: -f1 /etc/passwd | awk 'FILENAME == ARGV[1] { r[$0]; next } !($0 in r)' "$TMP/root-accounts" - \
		>"$TMP/host-only"
	# As a value of a field naming an account, not any string: "sshd"
	# is also a collection name, "root" the report's scan root key.
	{
		grep -oE '"(name|user|owner)": "[^"]*"' "$json" | sed -e 's/^[^:]*: "//' -e 's/"$//'
		grep -oE 'account:[^"]*"' "$json" | sed -e 's/^account://' -e 's/"$//'
	} | awk 'FILENAME == ARGV[1] { h[$0]; next } $0 in h' "$TMP/host-only" - | sort -u >"$TMP/leaked"
	if [ -s "$TMP/leaked" ]; then
		fail "fixture $name: confined to the root" "accounts of this machine in the report:" \
			"$(tr '\n' ' ' <"$TMP/leaked")"
	else
		pass "fixture $name: confined to the root"
	fi
}

# Every format in both languages reads right (issue 9): no template
# placeholder left, no empty brackets, no colon with nothing after it,
# and none of the inventory's field names (nor a probe status such as
# not_applicable) in the prose: the messages, remediations and notices of
# the JSON, and the text report without its evidence lines (whose keys are
# field names on purpose).
check_prose() {
	name=$1 json=$2
	jq -r '(.findings[] | (.message, .remediation) | select(. != null) | .ja, .en),
		(.scan.probes[].messages[] | .ja, .en), (.notice // empty | .ja, .en)' \
		"$json" >"$TMP/prose" 2>/dev/null
	jq -r '[.inventory[] | if type == "array" then .[] else . end | objects | keys[]] |
		unique[] | select(test("_")) | select(. != "authorized_keys")' "$json" \
		>"$TMP/names" 2>/dev/null
	printf 'not_applicable\nnot_run\n' >>"$TMP/names"
	: >"$TMP/bad"
	for lang in ja en; do
		for fmt in text html csv; do
			out=$TMP/$name.prose.$lang.$fmt
			"$TENKEN" report --format "$fmt" --lang "$lang" --output "$out" "$json" \
				2>/dev/null || echo "$fmt $lang: report failed" >>"$TMP/bad"
			# The stylesheet's rules and the evidence lists are not prose.
			sed -e '/<style>/,/<\/style>/d' -e 's|<dt>[^<]*</dt>||g' "$out" >"$TMP/p"
			[ "$fmt" = text ] && grep -v '^        [a-z_.]*: ' "$out" >"$TMP/p"
			grep -HnoE '\{[A-Za-z_][A-Za-z0-9_.:]*\}|\( *\)|（ *）|「 *」|.{0,20} \)|: +(\)|）|[;、,]|$)' \
				"$TMP/p" | sed "s|^$TMP/p|$fmt $lang|" >>"$TMP/bad"
			[ "$fmt" = csv ] || grep -HnoE '\[ *\]' "$TMP/p" |
				sed "s|^$TMP/p|$fmt $lang|" >>"$TMP/bad"
		done
	done
	grep -noE '\{[A-Za-z_][A-Za-z0-9_.:]*\}|\( *\)|（ *）|\[ *\]|「 *」|.{0,20} \)|: +$|: +[;、,]' "$TMP/prose" |
		sed 's/^/json prose /' >>"$TMP/bad"
	grep -nowF -f "$TMP/names" "$TMP/prose" | sed 's/^/json prose field name /' >>"$TMP/bad"
	if [ -s "$TMP/bad" ]; then
		fail "fixture $name: every format reads right" "$(head -c 1500 "$TMP/bad")"
	else
		pass "fixture $name: every format reads right"
	fi
}

check_expected_json() {
	name=$1 src=$2 norm=$3
	if [ -n "${REGEN:-}" ]; then
		cp "$norm" "$src/expected.json"
		pass "fixture $name: expected.json regenerated"
	elif [ -f "$src/expected.json" ]; then
		if cmp -s "$norm" "$src/expected.json"; then
			pass "fixture $name: expected.json"
		else
			fail "fixture $name: expected.json" "the report differs (make fixtures-regen):" \
				"$(diff -u "$src/expected.json" "$norm" | head -40)"
		fi
	fi
}

check_root() {
	src=${1%/}
	name=${src##*/}
	copy=$TMP/roots/$name
	mkdir -p "$TMP/roots"
	cp -a "$src" "$copy"
	set_times "$copy"
	apply_modes "$copy" "$name"
	make_fifos "$copy"
	json=$TMP/$name.json
	rc=$(scan "$name" "$copy" json "$json")
	check_status "$name" "$rc" "$src"
	if ! "$JSONNORM" --findings "$json" >"$TMP/$name.found" 2>"$TMP/jsonnorm.err"; then
		fail "fixture $name: valid JSON report" "$(head -c 800 "$TMP/jsonnorm.err")" \
			"$(head -c 800 "$TMP/scan.stderr")"
		return
	fi
	pass "fixture $name: valid JSON report"
	# The copy's path, then the scratch directory (provenance's command
	# line names the output file in it).
	"$JSONNORM" "$json" | sed -e "s|$copy|@ROOT@|g" -e "s|$TMP|@TMP@|g" >"$TMP/$name.norm"
	check_expect "$name" "$src" "$TMP/$name.found"
	check_messages "$name" "$src" "$TMP/$name.norm"
	check_secrets "$name" "$copy"
	check_confined "$name" "$copy" "$json"
	check_prose "$name" "$json"
	check_expected_json "$name" "$src" "$TMP/$name.norm"
}

if [ ! -x "$TENKEN" ] || [ ! -x "$JSONNORM" ]; then
	fail "fixtures" "$TENKEN or $JSONNORM is not built (make all $JSONNORM)"
	exit 0
fi
for dir in "$FIXTURES"/*/; do
	[ -f "$dir/expect" ] || continue
	if [ -n "$ROOTS" ]; then
		case " $ROOTS " in *" $(basename "$dir") "*) ;; *) continue ;; esac
	fi
	check_root "$dir"
done
