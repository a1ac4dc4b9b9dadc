#!/bin/sh
# tests/e2e/firewalld.sh - firewalld zone files as tenken reads them (with
# expat) against `firewall-offline-cmd --list-all --zone=Z` (package
# firewalld), for every zone of the tests/fixtures/firewall-firewalld*
# roots, the zones firewalld ships, and hand-made zones (blanks around
# '=', character references, comments, rich rules): target, interfaces,
# sources, services and ports must be equal.
#
# firewall-offline-cmd reads /etc/firewalld and /usr/lib/firewalld; it runs
# here in a private mount namespace with the zone directory under test
# bind-mounted over /etc/firewalld/zones, so the host's configuration is
# never read or changed. FIREWALLD_ROOT may name a root (a chroot with
# firewalld and netbase installed) to run it in instead of /. Without
# firewall-offline-cmd the comparison is skipped and says so.
. tests/lib.sh

FWROOT=${FIREWALLD_ROOT:-/}
FWZONE=$B/tools/fwzone
if [ ! -x "$FWROOT/usr/bin/firewall-offline-cmd" ] || [ ! -d "$FWROOT/usr/lib/firewalld/zones" ] ||
	! command -v unshare >/dev/null; then
	pass "e2e firewalld: comparison with firewall-offline-cmd (skipped: needs firewalld, or FIREWALLD_ROOT)"
	exit 0
fi
if [ ! -x "$FWZONE" ]; then
	fail "e2e firewalld" "$FWZONE is not built"
	exit 0
fi
if ! unshare -m true 2>/dev/null; then
	pass "e2e firewalld: comparison with firewall-offline-cmd (skipped: no private mount namespace)"
	exit 0
fi

# offline ZONEDIR ZONE: firewall-offline-cmd's fields for ZONE with ZONEDIR
# as /etc/firewalld/zones, in fwzone's format; "invalid" when it could not
# load that configuration.
offline() {
	unshare -m sh -c 'mount --bind "$1" "$2/etc/firewalld/zones" &&
		exec chroot "$2" firewall-offline-cmd --list-all --zone="$3"' sh "$1" "$FWROOT" "$2" \
		>"$TMP/off.out" 2>"$TMP/off.err"
	if grep -q "Failed to load user configuration\|INVALID_ZONE" "$TMP/off.err" "$TMP/off.out"; then
		echo invalid
		return
	fi
	for k in target interfaces sources services ports; do
		v=$(sed -n "s/^  $k: *//p" "$TMP/off.out" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')
		echo "$k: ${v% }" | sed 's/ $//'
	done
}

# ours ZONEDIR ZONE: tenken's reading of the same file.
ours() {
	"$FWZONE" "$1" "/$2.xml" >"$TMP/ours.out" 2>/dev/null
	case $? in
	0) cat "$TMP/ours.out" ;;
	*) echo invalid ;;
	esac
}

n=0
agree=0
# compare LABEL ZONEDIR: every *.xml of ZONEDIR
compare_dir() {
	for f in "$2"/*.xml; do
		[ -f "$f" ] || continue
		z=$(basename "$f" .xml)
		n=$((n + 1))
		# alone: one file firewalld cannot load discards all of /etc's zones
		rm -rf "$TMP/one" && mkdir "$TMP/one" && cp "$f" "$TMP/one/"
		offline "$TMP/one" "$z" >"$TMP/a"
		ours "$TMP/one" "$z" >"$TMP/b"
		if cmp -s "$TMP/a" "$TMP/b"; then
			agree=$((agree + 1))
		else
			fail "firewalld $1 zone $z: tenken and firewall-offline-cmd differ" \
				"$(diff "$TMP/a" "$TMP/b")" "$(head -c 300 "$TMP/off.err")"
		fi
	done
}

# The zones firewalld ships, each as an /etc copy.
mkdir -p "$TMP/stock"
cp "$FWROOT"/usr/lib/firewalld/zones/*.xml "$TMP/stock/"
compare_dir stock "$TMP/stock"
for fx in tests/fixtures/firewall-firewalld*; do
	for d in etc/firewalld/zones usr/lib/firewalld/zones; do
		[ -d "$fx/$d" ] || continue
		rm -rf "$TMP/fx" && mkdir -p "$TMP/fx" && cp "$fx/$d"/*.xml "$TMP/fx/"
		compare_dir "$(basename "$fx") $d" "$TMP/fx"
	done
done

# Hand-made zones: legal XML spellings a regex scanner misses.
mkdir -p "$TMP/hand"
cat >"$TMP/hand/ws.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<zone target = "ACCEPT">
  <service name = "telnet" />
  <service
	name='ssh'/>
  <port protocol = "tcp" port = "2&#51;"/>
  <!-- <service name="ftp"/> is a comment -->
  <source address="10.0.0.0/8"/>
</zone>
X
cat >"$TMP/hand/rich.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<zone>
  <rule family="ipv4"><source address="192.168.1.0/24"/><service name="telnet"/><accept/></rule>
  <service name="https"/>
  <interface name="eth1"/>
</zone>
X
cat >"$TMP/hand/entity.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<zone target="%%REJECT%%"><service name="&#116;elnet"/><port port="8443" protocol="tcp"/></zone>
X
cat >"$TMP/hand/broken.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<zone><service name="telnet"/>
X
compare_dir hand-made "$TMP/hand"

if [ "$n" -gt 0 ] && [ "$agree" -eq "$n" ]; then
	pass "firewalld: $agree of $n zones read as firewall-offline-cmd lists them"
else
	fail "firewalld: $agree of $n zones agree with firewall-offline-cmd"
fi
