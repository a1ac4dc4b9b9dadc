#!/bin/sh
# End-to-end check of the journal's size facts against journalctl: real
# journal files written by systemd-journal-remote (systemd's own writer)
# from entries spread over weeks, put in a root's /var/log/journal, and
#   - the number of files, their disk usage (journalctl --disk-usage) and
#     the span from the oldest to the newest entry (journalctl --header:
#     head/tail realtime of each file) must be what tenken reports;
#   - the retained days tenken estimates must be SystemMaxUse x span /
#     usage computed from journalctl's own figures (capped by
#     MaxRetentionSec=), and unknown when the journal covers under a day.
. tests/lib.sh

JR=/lib/systemd/systemd-journal-remote
for t in journalctl jq python3; do
	command -v $t >/dev/null || {
		echo "PASS journal size (skipped: $t missing)"
		exit 0
	}
done
[ -x $JR ] || {
	echo "PASS journal size (skipped: systemd-journal-remote missing)"
	exit 0
}
MID=fedcba9876543210fedcba9876543210

# mkjournal FILE START COUNT STEP: COUNT entries from START (seconds),
# STEP seconds apart, written by systemd-journal-remote.
mkjournal() {
	python3 - "$TMP/in.export" "$2" "$3" "$4" <<'EOF'
import sys
out, start, count, step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open(out, "w") as f:
    for i in range(count):
        f.write("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n"
                "_BOOT_ID=0123456789abcdef0123456789abcdef\n_MACHINE_ID=%s\n_HOSTNAME=h\n"
                "MESSAGE=entry %d of a journal made for tenken's tests\nPRIORITY=6\n\n"
                % ((start + i * step) * 10**6, i * 1000, "fedcba9876543210fedcba9876543210", i))
EOF
	rm -f "$TMP/out.journal"
	$JR --output="$TMP/out.journal" "$TMP/in.export" >/dev/null 2>&1 && mv "$TMP/out.journal" "$1"
}

newroot() { # NAME JOURNALD.CONF-LINES
	R=$TMP/$1
	J=$R/var/log/journal/$MID
	mkdir -p "$J" "$R/usr/lib/systemd" "$R/etc/systemd"
	: >"$R/usr/lib/systemd/systemd-journald"
	printf '[Journal]\nStorage=persistent\n%s\n' "$2" >"$R/etc/systemd/journald.conf"
}

# journalctl's figures for the root: files, bytes, span in microseconds.
oracle() {
	files=$(find "$J" -name '*.journal' -o -name '*.journal~' | wc -l)
	du=$(journalctl -D "$J" --disk-usage 2>/dev/null | sed -n 's/.* take up \([0-9.]*[BKMGT]\) .*/\1/p')
	head= tail=
	for f in "$J"/*.journal; do
		journalctl --file "$f" --header >"$TMP/hdr" 2>/dev/null || continue
		grep -q '^Entry objects: [1-9]' "$TMP/hdr" || continue
		h=$(printf '%d' "0x$(sed -n 's/^Head realtime timestamp: .*(\([0-9a-f]*\))$/\1/p' "$TMP/hdr")")
		t=$(printf '%d' "0x$(sed -n 's/^Tail realtime timestamp: .*(\([0-9a-f]*\))$/\1/p' "$TMP/hdr")")
		if [ -z "$head" ] || [ "$h" -lt "$head" ]; then head=$h; fi
		if [ -z "$tail" ] || [ "$t" -gt "$tail" ]; then tail=$t; fi
	done
	span=$((tail - head))
}

compare() { # LABEL MAXUSE-BYTES MAXRETENTION-DAYS(or -)
	label=$1
	"$TENKEN" inventory --root "$R" --only logging >"$TMP/inv.json" 2>"$TMP/err" || {
		fail "journal $label: tenken inventory" "$(head -5 "$TMP/err")"
		return
	}
	oracle
	jq -r '.inventory.logging | "\(.journald_files) \(.journald_disk_usage_bytes) \(.journald_span_days) \(.journald_size_known) \(.journald_size_retention_days)"' \
		"$TMP/inv.json" >"$TMP/got"
	read -r gfiles gbytes gspan gknown gdays <"$TMP/got"
	n=0 agree=0 bad=
	check() { n=$((n + 1)); if [ "$2" = "$3" ]; then agree=$((agree + 1)); else bad="$bad $1: tenken $2 journalctl $3;"; fi; }
	check files "$gfiles" "$files"
	# journalctl prints the usage rounded to one decimal of its unit.
	check usage "$(python3 -c "
b=$gbytes
for s,f in (('T',1<<40),('G',1<<30),('M',1<<20),('K',1<<10)):
    if b >= f:
        print('%d.%d%s' % (b // f, (b * 10 // f) % 10, s)); break
else: print('%dB' % b)")" "$du"
	check span_days "$gspan" "$((span / 86400000000))"
	if [ "$span" -ge 86400000000 ]; then
		want=$(python3 -c "
d = $2 * $span / $gbytes / 86400e6
r = '$3'
print(int(min(d, int(r))) if r != '-' else int(d))")
		check known "$gknown" true
		check retention_days "$gdays" "$want"
	else
		check known "$gknown" false
		check retention_days "$gdays" null
	fi
	if [ "$agree" -eq "$n" ]; then
		pass "journal $label: $agree of $n agree with journalctl"
	else
		fail "journal $label: $agree of $n agree with journalctl" "$bad"
	fi
}

T0=1785000000
newroot one 'SystemMaxUse=16M'
mkjournal "$J/system.journal" $T0 2000 3600 || fail "journal one: systemd-journal-remote"
compare "one file, 83 days, SystemMaxUse=16M" $((16 << 20)) -

newroot two 'SystemMaxUse=1G
MaxRetentionSec=30day'
mkjournal "$J/system@0123456789abcdef0123456789abcdef-0000000000000001-0005f1f1f1f1f1f1.journal" $T0 1500 7200 &&
	mkjournal "$J/system.journal" $((T0 + 1500 * 7200)) 500 3600 || fail "journal two: systemd-journal-remote"
compare "archived + active, SystemMaxUse=1G, MaxRetentionSec=30day" $((1 << 30)) 30

newroot user 'SystemMaxUse=100M'
mkjournal "$J/system.journal" $T0 300 600 &&
	mkjournal "$J/user-1000.journal" $((T0 + 3600)) 800 1800 || fail "journal user: systemd-journal-remote"
compare "system + user-1000, SystemMaxUse=100M" $((100 << 20)) -

newroot short 'SystemMaxUse=50M'
mkjournal "$J/system.journal" $T0 100 60 || fail "journal short: systemd-journal-remote"
compare "under a day: the size tells nothing yet" $((50 << 20)) -

newroot corrupt 'SystemMaxUse=2G'
mkjournal "$J/system.journal" $T0 1000 3600 &&
	mkjournal "$TMP/whole.journal" $((T0 - 864000)) 200 3600 &&
	head -c 100 "$TMP/whole.journal" >"$J/system@0123456789abcdef0123456789abcdef-0000000000000001-0005f1f1f1f1f1f1.journal~" ||
	fail "journal corrupt: systemd-journal-remote"
compare "a truncated .journal~ beside the active file" $((2 << 30)) -

# The rule: 90 days (the shipped profiles' log_retention_days) fit in
# root "one" (about 166 days at its rate), not in "two" (MaxRetentionSec=30day)
# nor in a 16M journal that already holds 83 days at twice the rate.
verdict() { # ROOT WANT
	"$TENKEN" scan --root "$TMP/$1" --only logging --format json --output "$TMP/scan-$1.json" \
		>/dev/null 2>&1
	got=$(jq -r '[.findings[] | select(.rule == "logging.journal_retention") | .status] | join(",")' \
		"$TMP/scan-$1.json")
	if [ "$got" = "$2" ]; then pass "journal $1: logging.journal_retention $got"; else
		fail "journal $1: logging.journal_retention" "got '$got', wanted $2"
	fi
}
verdict one pass
verdict two fail
newroot fast 'SystemMaxUse=8M'
mkjournal "$J/system.journal" $T0 4000 1800 || fail "journal fast: systemd-journal-remote"
verdict fast fail
