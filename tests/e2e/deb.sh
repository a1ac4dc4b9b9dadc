#!/bin/sh
# The Debian package (issue 15, item 4), built and installed for real:
#  - dpkg-buildpackage -us -uc -b builds it from a copy of this tree (the
#    build/ objects copied along, so the binary is the one `make` built);
#    a second build in another directory gives the same bytes;
#  - lintian reports no error and no warning;
#  - dpkg -i installs it with the timer disabled; the service's ExecStart,
#    parsed out of the installed unit (PID 1 is not systemd everywhere the
#    tests run), writes a dated report in /var/lib/tenken/reports/, mode
#    0600, and keeps the newest 30;
#  - dpkg -r removes the program but keeps the reports and conffiles;
#    dpkg -P removes the conffiles and keeps the reports (documented in
#    README.md: they are the host's evidence).
# The machine is left as found: the package is purged and the reports
# and directories the test made are removed, in a trap.
. tests/lib.sh

skip() {
	pass "deb (skipped: $1)"
	exit 0
}
for t in dpkg-buildpackage dh lintian jq flock; do
	command -v $t >/dev/null || skip "$t is missing: sh install-deps.sh --test"
done
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
st=$(dpkg-query -W -f='${Status}' tenken 2>/dev/null)
case $st in
*installed* | *config-files* | *half*) skip "a tenken package is already on this machine ($st); the test will not replace it" ;;
esac

# One instance at a time on a machine: dpkg has one database.
exec 9>/run/lock/tenken-e2e-deb.lock
flock -w 600 9 || skip "another deb test holds /run/lock/tenken-e2e-deb.lock"

REPORTS=/var/lib/tenken/reports
made_state=""
[ -e /var/lib/tenken ] || made_state=yes
lintian_pid=""
cleanup() {
	[ -n "$lintian_pid" ] && kill "$lintian_pid" 2>/dev/null
	dpkg -P tenken >/dev/null 2>&1
	if [ -n "$made_state" ]; then
		rm -rf /var/lib/tenken
	else
		rm -f $(cat "$TMP/ours" 2>/dev/null)
	fi
	chmod -R u+rwX "$TMP" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

VERSION=$(dpkg-parsechangelog -S Version)
ARCH=$(dpkg --print-architecture)
DEB=tenken_${VERSION}_$ARCH.deb

# A copy of the tree, with the objects `make` built in build/ (mtimes kept,
# so make finds them up to date).
copy_tree() {
	mkdir -p "$1"
	tar -C . --exclude=./build --exclude=./.git --exclude='./tenken-static' -cf - . | tar -C "$1" -xf -
	if [ -x build/tenken ]; then
		mkdir -p "$1/build"
		cp -a build/obj build/embed build/embedded.c build/tenken "$1/build/"
	fi
}
# MAKEFLAGS from an outer make (make check passes B= and EXTRA_CFLAGS=)
# must not reach debian/rules.
build_deb() {
	(cd "$1" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u B dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1
}

copy_tree "$TMP/a/tenken"
if build_deb "$TMP/a/tenken" && [ -f "$TMP/a/$DEB" ]; then
	pass "deb: dpkg-buildpackage -us -uc -b builds $DEB"
else
	fail "deb: dpkg-buildpackage failed" "$(tail -25 "$TMP/build.log")"
	exit 0
fi
# lintian (below) reads the first .deb while the second one builds.
chmod 755 "$TMP" "$TMP/a"
chmod 644 "$TMP/a/$DEB"
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$TMP" lintian --fail-on error,warning "$TMP/a/$DEB" >"$TMP/lintian" 2>&1 &
else
	lintian --fail-on error,warning "$TMP/a/$DEB" >"$TMP/lintian" 2>&1 &
fi
lintian_pid=$!
sleep 1 # another second: file times must not matter
copy_tree "$TMP/b/tenken-elsewhere"
if build_deb "$TMP/b/tenken-elsewhere" && [ -f "$TMP/b/$DEB" ]; then
	a=$(sha256sum <"$TMP/a/$DEB")
	b=$(sha256sum <"$TMP/b/$DEB")
	if [ "$a" = "$b" ]; then
		pass "deb: two builds in two directories give the same bytes (sha256 ${a%% *})"
	else
		dpkg-deb -c "$TMP/a/$DEB" >"$TMP/a.list"
		dpkg-deb -c "$TMP/b/$DEB" >"$TMP/b.list"
		fail "deb: two builds differ" "$a" "$b" "$(diff "$TMP/a.list" "$TMP/b.list" | head)"
	fi
else
	fail "deb: second dpkg-buildpackage failed" "$(tail -25 "$TMP/build.log")"
fi
DEB=$TMP/a/$DEB

# Depends comes from the binary's libraries.
dep=$(dpkg-deb -f "$DEB" Depends)
case $dep in
*libc6*libjansson4*) pass "deb: Depends from \${shlibs:Depends}: $dep" ;;
*) fail "deb: Depends does not list the binary's libraries" "$dep" ;;
esac

# lintian, as an unprivileged user when there is one.
wait $lintian_pid
lrc=$?
lintian_pid=""
if [ "$lrc" -ne 0 ] || grep -q '^[EW]: ' "$TMP/lintian"; then
	fail "deb: lintian reports errors or warnings (exit $lrc)" "$(grep -v 'not recommended' "$TMP/lintian" | head -20)"
else
	pass "deb: lintian: no error, no warning"
fi

# ---- installed ----
if dpkg -i "$DEB" >"$TMP/dpkg.log" 2>&1; then
	pass "deb: dpkg -i installs it"
else
	fail "deb: dpkg -i failed" "$(tail -20 "$TMP/dpkg.log")"
	exit 0
fi
FILES="/usr/bin/tenken /usr/share/man/man8/tenken.8.gz /usr/share/bash-completion/completions/tenken
/usr/lib/tenken/scheduled-scan /lib/systemd/system/tenken.service /lib/systemd/system/tenken.timer
/etc/tenken/baseline.example.json /etc/default/tenken"
missing=""
for f in $FILES; do [ -e "$f" ] || missing="$missing $f"; done
if [ -z "$missing" ]; then pass "deb: every file installed"; else fail "deb: files missing:$missing"; fi
if dpkg-query -W -f='${Conffiles}\n' tenken | grep -q '/etc/tenken/baseline.example.json'; then
	pass "deb: the example baseline is a conffile"
else
	fail "deb: the example baseline is not a conffile" "$(dpkg-query -W -f='${Conffiles}\n' tenken)"
fi
expect_status "deb: tenken baseline check accepts the example baseline" 0 /usr/bin/tenken baseline check /etc/tenken/baseline.example.json
if ls /etc/systemd/system/*.wants/tenken.* >/dev/null 2>&1; then
	fail "deb: the timer or service is enabled" "$(ls /etc/systemd/system/*.wants/tenken.*)"
else
	pass "deb: the timer and service are installed disabled"
fi
if command -v systemd-analyze >/dev/null; then
	if systemd-analyze verify /lib/systemd/system/tenken.service /lib/systemd/system/tenken.timer >"$TMP/verify" 2>&1; then
		pass "deb: systemd-analyze verify accepts the units"
	else
		fail "deb: systemd-analyze verify" "$(head -10 "$TMP/verify")"
	fi
else
	pass "deb: systemd-analyze verify (skipped: no systemd-analyze)"
fi

# Completion from the installed file, with bash-completion's helpers.
if [ -f /usr/share/bash-completion/bash_completion ] && command -v bash >/dev/null; then
	cat >"$TMP/comp.bash" <<'EOS'
source /usr/share/bash-completion/bash_completion
source /usr/share/bash-completion/completions/tenken
c() { COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<<"$*"
      [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=(""); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
      COMPREPLY=(); _tenken 2>/dev/null; echo "$*|${COMPREPLY[*]}"; }
c "tenken sc"; c "tenken scan --fo"; c "tenken scan --format "; c "tenken scan --lang "
c "tenken rules --checklist "; c "tenken scan --profile "; c "tenken scan --only accounts,ss"
c "tenken baseline "
EOS
	bash "$TMP/comp.bash" >"$TMP/comp" 2>&1
	probes=$(/usr/bin/tenken rules --probes | awk '/^[a-z]/ { print $1 }' | grep '^ss' | sed 's/^/accounts,/' | tr '\n' ' ' | sed 's/ $//')
	printf '%s\n' "tenken sc|scan" "tenken scan --fo|--format" "tenken scan --format |json text html csv sds sds-csv sheet sheet-csv" \
		"tenken scan --lang |ja en" "tenken rules --checklist |r6 r7" "tenken scan --profile |server terminal" \
		"tenken scan --only accounts,ss|$probes" "tenken baseline |init check" >"$TMP/comp.want"
	if cmp -s "$TMP/comp" "$TMP/comp.want"; then
		pass "deb: bash completion: commands, options, values, probe names"
	else
		fail "deb: bash completion" "$(diff "$TMP/comp.want" "$TMP/comp")"
	fi
else
	pass "deb: bash completion (skipped: bash-completion is not installed)"
fi

# The service as its unit gives it: ExecStart (minus systemd's prefixes),
# with the unit's environment file, from an ordinary umask.
exec_start=$(sed -n 's/^ExecStart=[-@:+!]*//p' /lib/systemd/system/tenken.service)
run_unit() {
	(
		umask 022
		set -a
		[ -r /etc/default/tenken ] && . /etc/default/tenken
		set +a
		cd / && sh -c "$exec_start"
	) >"$TMP/unit.out" 2>&1
}
run_unit
rc=$?
if [ "$rc" -le 1 ]; then
	pass "deb: ExecStart=$exec_start exits $rc"
else
	fail "deb: ExecStart=$exec_start exits $rc" "$(tail -5 "$TMP/unit.out")"
fi
ls "$REPORTS"/tenken-*Z.json >"$TMP/ours" 2>/dev/null
if [ "$(wc -l <"$TMP/ours")" -ge 1 ]; then
	r=$(tail -n 1 "$TMP/ours")
	mode=$(stat -c %a "$r")
	if [ "$mode" = 600 ] && jq -e '.format == "tenken-report"' "$r" >/dev/null; then
		pass "deb: the service wrote $r, mode 0600, a JSON report"
	else
		fail "deb: the service's report" "mode $mode" "$(head -c 300 "$r")"
	fi
	case $(basename "$r") in
	tenken-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z.json) pass "deb: the report's name is tenken-YYYYmmddTHHMMSSZ.json" ;;
	*) fail "deb: the report's name" "$r" ;;
	esac
	[ "$(stat -c %a "$REPORTS")" = 700 ] && pass "deb: $REPORTS is mode 0700" || fail "deb: $REPORTS mode $(stat -c %a "$REPORTS")"
	ls "$REPORTS" | grep -q '\.tmp\.' && fail "deb: a temporary file was left" "$(ls "$REPORTS")" || pass "deb: no temporary file left"
else
	fail "deb: the service wrote no report in $REPORTS" "$(tail -5 "$TMP/unit.out")"
fi

# Retention: only on a reports directory the test made itself. 31 older
# reports (one signed), a stale temporary file, a file that is not ours.
if [ -n "$made_state" ]; then
	for i in $(seq 10 40); do
		: >"$REPORTS/tenken-20200101T0000${i}Z.json"
	done
	: >"$REPORTS/tenken-20200101T000010Z.json.sig"
	: >"$REPORTS/tenken-20200101T000011Z.json.sig"
	: >"$REPORTS/notes.txt"
	: >"$REPORTS/tenken-20200101T000099Z.json.tmp.abcdef"
	touch -d '3 days ago' "$REPORTS/tenken-20200101T000099Z.json.tmp.abcdef"
	sleep 1 # a new second, a new name
	run_unit
	n=$(ls "$REPORTS" | grep -c '^tenken-[0-9]*T[0-9]*Z\.json$')
	oldest=$(ls "$REPORTS" | grep '^tenken-[0-9]*T[0-9]*Z\.json$' | head -n 1)
	if [ "$n" -eq 30 ] && [ "$oldest" = tenken-20200101T000013Z.json ] &&
		[ ! -e "$REPORTS/tenken-20200101T000010Z.json.sig" ] && [ -e "$REPORTS/notes.txt" ] &&
		[ ! -e "$REPORTS/tenken-20200101T000099Z.json.tmp.abcdef" ]; then
		pass "deb: the newest 30 reports are kept, the oldest go with their .sig, other files stay"
	else
		fail "deb: retention" "$n reports, oldest $oldest" "$(ls "$REPORTS" | head -5)"
	fi
else
	pass "deb: retention (skipped: $REPORTS existed before the test; its reports are not touched)"
fi

# ---- removed, purged ----
dpkg -r tenken >"$TMP/dpkg.log" 2>&1 || fail "deb: dpkg -r failed" "$(tail -5 "$TMP/dpkg.log")"
left=""
for f in /usr/bin/tenken /usr/share/man/man8/tenken.8.gz /usr/share/bash-completion/completions/tenken \
	/usr/lib/tenken /lib/systemd/system/tenken.service /lib/systemd/system/tenken.timer; do
	[ -e "$f" ] && left="$left $f"
done
if [ -z "$left" ]; then pass "deb: dpkg -r removes the binary, man page, completion, wrapper, units"; else fail "deb: dpkg -r left$left"; fi
if ls "$REPORTS"/tenken-*Z.json >/dev/null 2>&1; then pass "deb: dpkg -r keeps the reports"; else fail "deb: dpkg -r removed the reports"; fi
[ -e /etc/tenken/baseline.example.json ] && pass "deb: dpkg -r keeps the conffiles" || fail "deb: dpkg -r removed the conffiles"
dpkg -P tenken >"$TMP/dpkg.log" 2>&1 || fail "deb: dpkg -P failed" "$(tail -5 "$TMP/dpkg.log")"
if [ ! -e /etc/tenken ] && [ ! -e /etc/default/tenken ]; then pass "deb: dpkg -P removes /etc/tenken and /etc/default/tenken"; else fail "deb: dpkg -P left $(ls -d /etc/tenken /etc/default/tenken 2>/dev/null)"; fi
if ls "$REPORTS"/tenken-*Z.json >/dev/null 2>&1; then pass "deb: dpkg -P keeps the reports (the host's evidence)"; else fail "deb: dpkg -P removed the reports"; fi
if dpkg-query -W tenken >/dev/null 2>&1; then fail "deb: dpkg still knows tenken after purge" "$(dpkg-query -W -f='${Status}' tenken)"; else pass "deb: purged: dpkg knows no tenken"; fi
