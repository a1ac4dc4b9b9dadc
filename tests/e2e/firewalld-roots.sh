#!/bin/sh
# tests/e2e/firewalld-roots.sh - whole firewalld configurations as tenken
# assembles them (probes/read/fwd_read.c: a zone or service in
# /etc/firewalld overrides the one of the same name in /usr/lib/firewalld,
# and a stock definition applies where /etc has none) against
# firewall-offline-cmd (package firewalld) on the same roots.
#
# Each root is the Debian package's /usr/lib/firewalld plus an /etc/firewalld:
# the package's firewalld.conf alone, DefaultZone=home, the tests/fixtures
# firewall-firewalld* roots laid over it, and one overriding a stock zone
# and a stock service. Compared: every zone (--list-all-zones: target,
# interfaces, sources, services, ports), the default zone (--list-all's
# heading) where firewalld.conf is not a fixture's, and every service defined in the root's /etc/firewalld/services
# (--info-service: ports, includes). firewall-offline-cmd is pointed at the
# root with --system-config and --default-config, so it reads nothing of
# the host's /etc/firewalld. Without it the comparison is skipped.
. tests/lib.sh

FWZONE=$B/tools/fwzone
PKG=/usr/lib/firewalld
if ! command -v firewall-offline-cmd >/dev/null || [ ! -d $PKG/zones ] || [ ! -f /etc/firewalld/firewalld.conf ]; then
	pass "e2e firewalld roots (skipped: needs the firewalld package)"
	exit 0
fi
[ -x "$FWZONE" ] || { fail "e2e firewalld roots" "$FWZONE is not built"; exit 0; }

n=0
agree=0
# check LABEL A B: one comparison
check() {
	n=$((n + 1))
	if cmp -s "$2" "$3"; then
		agree=$((agree + 1))
	else
		fail "firewalld roots $1: tenken and firewall-offline-cmd differ" "$(diff "$2" "$3")"
	fi
}

# norm: firewall-offline-cmd's listing in fwzone's format
norm() {
	awk '/^[A-Za-z0-9]/ { sub(/ \(.*\)$/, ""); print; next }
	/^  (target|interfaces|sources|services|ports):/ {
		k = $1; $1 = ""; m = split($0, a, " "); s = ""
		# sort the values (few: insertion sort)
		for (i = 2; i <= m; i++) { v = a[i]; j = i - 1
			while (j >= 1 && a[j] > v) { a[j + 1] = a[j]; j-- } a[j + 1] = v }
		for (i = 1; i <= m; i++) s = s " " a[i]
		print "  " k s }'
}

# compare_root LABEL ROOT [default]: also the default zone (one more run
# of firewall-offline-cmd, ~1 s: only where firewalld.conf is not a fixture's)
compare_root() {
	fo="firewall-offline-cmd --system-config $2/etc/firewalld --default-config $2/usr/lib/firewalld"
	$fo --list-all-zones 2>"$TMP/err" | norm >"$TMP/a"
	"$FWZONE" "$2" --zones >"$TMP/b" 2>&1
	check "$1 zones" "$TMP/a" "$TMP/b"
	if [ -n "$3" ]; then
		$fo --list-all 2>/dev/null | sed -n '1{s/ (.*)$//;p}' >"$TMP/a"
		"$FWZONE" "$2" --default >"$TMP/b" 2>&1
		check "$1 default zone" "$TMP/a" "$TMP/b"
	fi
	for f in "$2"/etc/firewalld/services/*.xml; do
		[ -f "$f" ] || continue
		s=$(basename "$f" .xml)
		$fo --info-service="$s" 2>/dev/null | sed -n 's/^  \(ports\|includes\): */\1: /p' |
			awk '{ k = $1; $1 = ""; m = split($0, a, " "); s = k
			for (i = 1; i <= m; i++) s = s " " a[i]; print s }' >"$TMP/a"
		"$FWZONE" "$2" --service "$s" >"$TMP/b" 2>&1
		check "$1 service $s" "$TMP/a" "$TMP/b"
	done
}

# new_root NAME: the package's /usr/lib/firewalld and firewalld.conf
new_root() {
	r=$TMP/$1
	mkdir -p "$r/usr/lib" "$r/etc/firewalld/zones" "$r/etc/firewalld/services"
	cp -R $PKG "$r/usr/lib/"
	cp /etc/firewalld/firewalld.conf "$r/etc/firewalld/"
	echo "$r"
}

r=$(new_root package)
compare_root "package defaults" "$r" default

r=$(new_root home)
sed -i 's/^DefaultZone=.*/DefaultZone=home/' "$r/etc/firewalld/firewalld.conf"
compare_root "DefaultZone=home" "$r" default

for fx in tests/fixtures/firewall-firewalld*; do
	name=$(basename "$fx")
	r=$(new_root "$name")
	cp -R "$fx/etc/firewalld/." "$r/etc/firewalld/"
	[ -d "$fx/usr/lib/firewalld" ] && cp -R "$fx/usr/lib/firewalld/." "$r/usr/lib/firewalld/"
	compare_root "$name" "$r"
done

# An /etc copy of the stock work zone and of the stock ssh service.
r=$(new_root override)
sed -i 's/^DefaultZone=.*/DefaultZone=work/' "$r/etc/firewalld/firewalld.conf"
cat >"$r/etc/firewalld/zones/work.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<zone target = "DROP"><service name="ssh"/><port port="8080" protocol="tcp"/></zone>
X
cat >"$r/etc/firewalld/services/ssh.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<service><short>SSH</short><port protocol="tcp" port="2222"/><include service="mdns"/></service>
X
compare_root override "$r" default

if [ "$n" -gt 0 ] && [ "$agree" -eq "$n" ]; then
	pass "firewalld roots: $agree of $n listings read as firewall-offline-cmd lists them"
else
	fail "firewalld roots: $agree of $n listings agree with firewall-offline-cmd"
fi
