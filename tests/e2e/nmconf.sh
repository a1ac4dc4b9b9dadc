#!/bin/sh
# tests/e2e/nmconf.sh - NetworkManager's configuration as tenken merges it
# (probes/read/nmconf_read.c, probes/parse/nmconf_parse.c) against
# `NetworkManager --print-config` of the Debian package, on varied roots:
# the package's own NetworkManager.conf, conf.d snippets that set Wi-Fi
# connection defaults in [connection] and [connection-*] sections with
# match-device and stop-match, across several files, a /usr/lib snippet
# shadowed by an /etc one of the same name, list keys extended with += and
# -= (down to an empty list), [keyfile] path= and unmanaged-devices, /usr/lib
# snippets alone, the same sections in three files, GKeyFile spellings (blanks
# around '=', repeated groups and keys, comments), and a file GKeyFile
# refuses. Compared: [main] plugins, [keyfile], and every connection
# section in NetworkManager's search order with its merged keys.
#
# NetworkManager is not installed for this (its daemon would take over the
# test machine's network): install-deps.sh --test unpacks the package and
# libndp0 under /usr/local/lib/tenken-peers/nm; NM_PEER may name another
# such tree. Without it the comparison is skipped.
. tests/lib.sh

PEER=${NM_PEER:-/usr/local/lib/tenken-peers/nm}
NMBIN=$PEER/usr/sbin/NetworkManager
TOOL=$B/tools/nmconf
if [ ! -x "$NMBIN" ] || [ ! -f "$PEER/etc/NetworkManager/NetworkManager.conf" ]; then
	pass "e2e nmconf (skipped: no unpacked network-manager under $PEER)"
	exit 0
fi
[ -x "$TOOL" ] || { fail "e2e nmconf" "$TOOL is not built"; exit 0; }

# theirs ROOT: NetworkManager's merged view of ROOT, in the tool's format
theirs() {
	LD_LIBRARY_PATH=$PEER/usr/lib/x86_64-linux-gnu "$NMBIN" --print-config \
		--config="$1/etc/NetworkManager/NetworkManager.conf" \
		--config-dir="$1/etc/NetworkManager/conf.d" \
		--system-config-dir="$1/usr/lib/NetworkManager/conf.d" \
		--intern-config="$1/none" 2>"$TMP/nm.err" >"$TMP/nm.out" || { echo invalid; return; }
	awk '/^\[/ { g = $0; keep = (g == "[keyfile]" || g == "[main]" || g ~ /^\[connection/); head = 0; next }
	/^#/ || /^$/ || !keep { next }
	g == "[main]" && !/^plugins=/ { next }
	{ if (!head) print g; head = 1; print }' "$TMP/nm.out"
}

# ours ROOT
ours() {
	"$TOOL" "$1" >"$TMP/ours.out" 2>/dev/null || { echo invalid; return; }
	cat "$TMP/ours.out"
}

n=0
agree=0
compare() {
	n=$((n + 1))
	theirs "$2" >"$TMP/a"
	ours "$2" >"$TMP/b"
	if cmp -s "$TMP/a" "$TMP/b"; then
		agree=$((agree + 1))
	else
		fail "nmconf $1: tenken and NetworkManager --print-config differ" \
			"$(diff "$TMP/a" "$TMP/b")" "$(head -c 300 "$TMP/nm.err")"
	fi
}

# root NAME: a root with the package's NetworkManager.conf
root() {
	r=$TMP/$1
	mkdir -p "$r/etc/NetworkManager/conf.d" "$r/usr/lib/NetworkManager/conf.d"
	cp "$PEER/etc/NetworkManager/NetworkManager.conf" "$r/etc/NetworkManager/"
	echo "$r"
}
etc() { cat >"$TMP/$1/etc/NetworkManager/conf.d/$2"; }
lib() { cat >"$TMP/$1/usr/lib/NetworkManager/conf.d/$2"; }

compare package "$(root package)"

root random >/dev/null
etc random 90-mac.conf <<'X'
[connection]
wifi.cloned-mac-address=random
X
compare "global random MAC" "$TMP/random"

root sections >/dev/null
lib sections 10-vendor.conf <<'X'
[connection-vendor]
match-device=type:wifi
wifi.cloned-mac-address=stable
[connection]
wifi.powersave=2
X
lib sections 20-shadowed.conf <<'X'
[connection-shadowed]
wifi.cloned-mac-address=random
X
etc sections 20-shadowed.conf <<'X'
[connection-wlan0]
match-device=interface-name:wlan0
wifi.cloned-mac-address=permanent
stop-match=yes
X
etc sections 30-more.conf <<'X'
[connection-other]
match-device=interface-name:wl*,except:interface-name:wlan0
wifi.mac-address-randomization=2
[connection-vendor]
ipv6.ip6-privacy=2
[connection]
wifi.cloned-mac-address=preserve
X
compare "sections over three files" "$TMP/sections"

root lists >/dev/null
etc lists 10-lists.conf <<'X'
[main]
plugins+=ofono
plugins-=ifupdown
[keyfile]
path=/srv/nm-connections
unmanaged-devices=interface-name:wlan1;mac:00:11:22:33:44:55
X
etc lists 20-lists.conf <<'X'
[keyfile]
unmanaged-devices+=interface-name:wlan2
unmanaged-devices-=mac:00:11:22:33:44:55
hostname+=ignored
[connection-x]
match-device=interface-name:wlan3
match-device+=type:wifi
X
compare "list keys += -=" "$TMP/lists"

root spelling >/dev/null
etc spelling 50-spelling.conf <<'X'
# a comment
  [connection-b]
wifi.powersave = 3
[connection-a]
wifi.cloned-mac-address   =   random
[connection-b]
wifi.powersave=1
wifi.cloned-mac-address=stable
X
compare "GKeyFile spellings" "$TMP/spelling"

root refused >/dev/null
etc refused 60-bad.conf <<'X'
[connection]
wifi.cloned-mac-address random
X
compare "a file GKeyFile refuses" "$TMP/refused"

root libonly >/dev/null
lib libonly 00-vendor.conf <<'X'
[connection-vendor]
wifi.cloned-mac-address=stable
[keyfile]
unmanaged-devices=interface-name:p2p*
X
lib libonly 10-second.conf <<'X'
[connection]
wifi.mac-address-randomization=2
[connection-vendor]
match-device=type:wifi
X
compare "/usr/lib snippets only" "$TMP/libonly"

root threefiles >/dev/null
for i in 1 2 3; do
	etc threefiles "$i-c.conf" <<X
[connection-$i]
wifi.powersave=$i
[connection]
wifi.cloned-mac-address=mac-from-file-$i
[connection-shared]
wifi.powersave=$i
X
done
compare "the same sections in three files" "$TMP/threefiles"

root emptied >/dev/null
etc emptied 10-a.conf <<'X'
[main]
plugins=keyfile
[keyfile]
unmanaged-devices=interface-name:wlan9
X
etc emptied 20-b.conf <<'X'
[main]
plugins-=keyfile
[keyfile]
unmanaged-devices-=interface-name:wlan9
X
compare "lists emptied with -=" "$TMP/emptied"

if [ "$n" -gt 0 ] && [ "$agree" -eq "$n" ]; then
	pass "nmconf: $agree of $n configurations merged as NetworkManager --print-config shows them"
else
	fail "nmconf: $agree of $n configurations agree with NetworkManager --print-config"
fi
