#!/bin/sh
# End-to-end checks of the ELF reader and the executables probe against
# checksec (Debian package checksec, `checksec --file=F --output=csv`):
#   - the ELF files of /usr/sbin on this machine (an even sample of
#     ELF_MAX, default 60, where there are more): RELRO, canary, NX, PIE,
#     RPATH, RUNPATH, FORTIFY, fortified and fortifiable counts as
#     build/tools/elfcheck prints them from probes/read/elf.c must equal
#     checksec's, field by field (disagreements are listed per field);
#   - a live `tenken inventory` of the running executables: the probe's
#     facts for each ELF under /usr it read (stable files: a test binary
#     in /tmp may be gone by the time checksec looks) equal checksec's for
#     the same file.
# Without checksec (or jq for the second part) the checks print
# "PASS name (skipped: reason)".
. tests/lib.sh
ELFCHECK=$B/tools/elfcheck
DIR=${ELF_DIR:-/usr/sbin}

skip() { echo "PASS $1 (skipped: $2)"; }

is_elf() {
	[ -f "$1" ] && [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# checksec's CSV without its "Symbols" column (tenken does not report
# symbol tables): RELRO,CANARY,NX,PIE,RPATH,RUNPATH,FORTIFY,FORTIFIED,FORTIFIABLE,FILE
checksec_csv() {
	checksec --file="$1" --output=csv 2>/dev/null | cut -d, -f1-6,8-11
}

# compare FILE_A FILE_B NAME: per-field disagreements of two CSV listings
# of the same files in the same order.
compare() {
	awk -F, -v name="$3" '
		BEGIN { split("relro canary nx pie rpath runpath fortify fortified fortifiable", f, " ") }
		NR == FNR { a[FNR] = $0; next }
		{
			n = split(a[FNR], x, ",")
			for (i = 1; i <= 9; i++)
				if (x[i] != $i) { bad[f[i]]++; ex[f[i]] = ex[f[i]] " " $10 " (checksec " x[i] ", tenken " $i ")" }
			files++
		}
		END {
			for (k in bad) { printf "%s: %d disagreement(s):%s\n", k, bad[k], substr(ex[k], 1, 600); t += bad[k] }
			printf "files %d\n", files
			exit t > 0
		}' "$1" "$2"
}

check_dir() {
	: >"$TMP/files"
	for f in "$DIR"/*; do
		is_elf "$f" && echo "$f" >>"$TMP/files"
	done
	n=$(wc -l <"$TMP/files")
	if [ "$n" -eq 0 ]; then
		skip "elf: $DIR agrees with checksec" "no ELF file in $DIR"
		return
	fi
	# checksec costs about a second a file: past ELF_MAX (default 60) an
	# even sample across the sorted list is compared (ELF_MAX=0: all).
	max=${ELF_MAX:-60}
	if [ "$max" -gt 0 ] && [ "$n" -gt "$max" ]; then
		step=$(((n + max - 1) / max))
		awk -v s="$step" '(NR - 1) % s == 0' "$TMP/files" >"$TMP/files.s" && mv "$TMP/files.s" "$TMP/files"
		n=$(wc -l <"$TMP/files")
	fi
	# checksec forks readelf a dozen times per file: run two at a time,
	# then put both listings in file order.
	xargs -P 2 -n 16 sh -c 'for f; do checksec --file="$f" --output=csv 2>/dev/null |
		cut -d, -f1-6,8-11; done' sh <"$TMP/files" | sort -t, -k10 >"$TMP/checksec.csv"
	# shellcheck disable=SC2046
	"$ELFCHECK" $(cat "$TMP/files") | sort -t, -k10 >"$TMP/tenken.csv"
	if compare "$TMP/checksec.csv" "$TMP/tenken.csv" >"$TMP/cmp"; then
		pass "elf: $n ELF files of $DIR agree with checksec on every field"
	else
		fail "elf: $DIR agrees with checksec" "$(cat "$TMP/cmp")"
	fi
}

# The probe on this host: its facts as elfcheck-style CSV lines.
check_live() {
	if ! command -v jq >/dev/null; then
		skip "elf: live executables agree with checksec" "no jq"
		return
	fi
	"$TENKEN" inventory --only system,processes,services,executables >"$TMP/inv.json" 2>"$TMP/err"
	jq -r '.inventory.executables[]? | select(.elf == true and .fortified != null and (.path | startswith("/usr/"))) |
		[(if .relro == "full" then "Full RELRO" elif .relro == "partial" then "Partial RELRO" else "No RELRO" end),
		 (if .canary then "Canary found" else "No Canary found" end),
		 (if .nx then "NX enabled" else "NX disabled" end),
		 (if .elf_type == "exec" then "No PIE" elif .elf_type == "dyn" then (if .pie then "PIE enabled" else "DSO" end) else "REL" end),
		 (if ((.rpath | join(":")) != "") then "RPATH" else "No RPATH" end),
		 (if ((.runpath | join(":")) != "") then "RUNPATH" else "No RUNPATH" end),
		 (if .fortify then "Yes" else "No" end), .fortified, .fortifiable, .path] | join(",")' \
		"$TMP/inv.json" >"$TMP/live.csv"
	n=$(wc -l <"$TMP/live.csv")
	if [ "$n" -eq 0 ]; then
		skip "elf: live executables agree with checksec" "no readable running executable"
		return
	fi
	sort -t, -k10 -o "$TMP/live.csv" "$TMP/live.csv"
	cut -d, -f10 "$TMP/live.csv" | while read -r f; do checksec_csv "$f"; done >"$TMP/live-checksec.csv"
	if compare "$TMP/live-checksec.csv" "$TMP/live.csv" >"$TMP/cmp"; then
		pass "elf: the probe's facts for $n running executables agree with checksec"
	else
		fail "elf: live executables agree with checksec" "$(cat "$TMP/cmp")"
	fi
	# How long the probe takes is make bench's to measure, not a test's:
	# a busy machine must not fail the suite.
}

if ! command -v checksec >/dev/null; then
	skip "elf: $DIR agrees with checksec" "checksec is not installed (apt-get install checksec)"
	skip "elf: live executables agree with checksec" "checksec is not installed"
	exit 0
fi
[ -x "$ELFCHECK" ] || { fail "elf: $ELFCHECK is built"; exit 0; }
check_dir
check_live
