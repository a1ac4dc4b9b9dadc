#!/bin/sh
# tests/e2e/modprobe-order.sh - the order tenken reads modprobe.d files in
# (usb probe, "modprobe_files") against the order the real kmod applies
# them: for each configuration below, the same files are put in a root
# for tenken and, inside a private mount namespace, over the host's
# /etc/modprobe.d, /run/modprobe.d, /usr/local/lib/modprobe.d and
# /lib/modprobe.d for `modprobe -c`. Every file blacklists one module
# named after it, so the blacklist lines modprobe -c prints, in order,
# must be the blacklist lines of tenken's files, in tenken's order.
# Nothing is written outside $TMP (the mounts die with the namespace).
. tests/lib.sh

if ! command -v modprobe >/dev/null || ! command -v jq >/dev/null ||
	! unshare -m mount --bind "$TMP" "$TMP" 2>/dev/null || [ ! -d /lib/modprobe.d ]; then
	pass "e2e modprobe-order: comparison with modprobe -c (skipped: needs modprobe, jq, mounts in unshare -m and /lib/modprobe.d)"
	exit 0
fi

n=0
agree=0
# put DIR NAME...: each NAME becomes a file blacklisting m_DIR_NAME.
put() {
	d=$1
	shift
	mkdir -p "$TMP/c/$d"
	for f in "$@"; do
		m=$(printf '%s_%s' "$d" "$f" | tr -c 'a-zA-Z0-9_\n' _)
		printf 'blacklist m_%s\n' "$m" >"$TMP/c/$d/$f"
	done
}
# compare NAME: tenken's order against kmod's for the files under $TMP/c.
compare() {
	n=$((n + 1))
	mkdir -p "$TMP/c/etc" "$TMP/c/run" "$TMP/c/local" "$TMP/c/lib"
	rm -rf "$TMP/r"
	mkdir -p "$TMP/r/etc" "$TMP/r/run" "$TMP/r/usr/local/lib" "$TMP/r/lib"
	cp -a "$TMP/c/etc" "$TMP/r/etc/modprobe.d"
	cp -a "$TMP/c/run" "$TMP/r/run/modprobe.d"
	cp -a "$TMP/c/local" "$TMP/r/usr/local/lib/modprobe.d"
	cp -a "$TMP/c/lib" "$TMP/r/lib/modprobe.d"
	"$TENKEN" inventory --root "$TMP/r" --only usb 2>/dev/null |
		jq -r '.. | objects | select(has("modprobe_files")) | .modprobe_files[]' |
		while read -r f; do grep '^blacklist ' "$TMP/r$f"; done >"$TMP/ours"
	C=$TMP/c unshare -m sh -c '
		mount --bind "$C/etc" /etc/modprobe.d &&
		mount -t tmpfs tmpfs /run && mkdir /run/modprobe.d &&
		mount --bind "$C/run" /run/modprobe.d &&
		mount -t tmpfs tmpfs /usr/local/lib && mkdir /usr/local/lib/modprobe.d &&
		mount --bind "$C/local" /usr/local/lib/modprobe.d &&
		mount --bind "$C/lib" /lib/modprobe.d &&
		modprobe -c' 2>/dev/null | grep '^blacklist ' >"$TMP/theirs"
	if [ -s "$TMP/theirs" ] && cmp -s "$TMP/ours" "$TMP/theirs"; then
		agree=$((agree + 1))
		pass "e2e modprobe-order $1: $(wc -l <"$TMP/theirs") files in kmod's order"
	else
		fail "e2e modprobe-order $1" "tenken: $(tr '\n' ' ' <"$TMP/ours")" \
			"modprobe -c: $(tr '\n' ' ' <"$TMP/theirs")"
	fi
	rm -rf "$TMP/c"
}

put etc usb.conf
compare "one file"

put etc b.conf zz.conf README .hidden.conf
put run b.conf c.conf
put local a.conf
put lib a.conf m.conf x.conf.dpkg-old blacklist.conf
compare "same names hidden by higher directories, order across directories"

put etc q.alias 10-a.conf
put lib q.alias 2.conf A.conf _u.conf
compare "*.alias files and bytewise order"

put local z.conf y.alias
put lib z.conf y.alias .x.alias conf alias.conf
compare "only /usr/local/lib and /lib"

echo "modprobe-order: $n configurations compared with modprobe -c, $agree agreed"
