#!/bin/sh
# tests/e2e/inetd.sh - programs served by a super-server, as tenken reads
# the configuration, against the sockets the real daemon opens. For each
# root of INETD_ROOTS (Debian roots with inetutils-inetd, openbsd-inetd or
# xinetd and telnetd installed by apt, maintainer scripts run), and for
# configurations made there by the real update-inetd (--enable telnet,
# --disable telnet) or written for xinetd (xinetd.d with disable = no,
# defaults' enabled/disabled lists, includedir skipping names with a dot,
# INETD_COMPAT), the root is copied, tenken's enabled entries (proto/port)
# are listed, then the daemon runs inside the copy in a private network
# and mount namespace and `ss -ltnu` lists what it listens on. The two
# sets must be equal.
#
# The daemon is waited for by polling until its listening set is the
# same twice in a row (at most ten seconds), never by a fixed delay.
# Without INETD_ROOTS the comparison is skipped and says so; building such
# roots needs the network (debootstrap, apt-get), which tests never use.
. tests/lib.sh

if [ -z "${INETD_ROOTS:-}" ] || ! command -v ss >/dev/null || ! command -v jq >/dev/null ||
	! unshare -n -m true 2>/dev/null; then
	pass "e2e inetd: comparison with the super-servers' sockets (skipped: set INETD_ROOTS to roots with inetutils-inetd, openbsd-inetd or xinetd and telnetd installed)"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken

n=0
agree=0
holes=0
# tenken's enabled served programs of root R: "tcp/23" lines.
ours() {
	"$TENKEN" inventory --root "$1" --only services 2>/dev/null |
		jq -r '.inventory.services[] | select(.type == "inetd" and .state == "enabled") | .proto_port' |
		sort -u
}
# The daemon's listening sockets: DAEMON ARGS... run chrooted in $1.
theirs() {
	r=$1
	shift
	unshare -n -m sh -c '
		r=$1; shift
		ip link set lo up 2>/dev/null
		mount -t proc proc "$r/proc" 2>/dev/null
		mkdir -p "$r/run" "$r/var/run"
		chroot "$r" "$@" >/dev/null 2>&1 &
		pid=$!
		prev=x; i=0
		while [ $i -lt 100 ]; do
			cur=$(ss -H -ltnu 2>/dev/null | awk "{ split(\$5, a, \":\"); print \$1 \"/\" a[length(a)] }" | sort -u | tr "\n" " ")
			[ -n "$cur" ] && [ "$cur" = "$prev" ] && break
			kill -0 $pid 2>/dev/null || { [ -z "$cur" ] && [ $i -gt 20 ] && break; }
			prev=$cur; i=$((i + 1)); sleep 0.1
		done
		kill $pid 2>/dev/null; wait $pid 2>/dev/null
		echo "$cur" | tr " " "\n" | grep . | sort -u
	' sh "$r" "$@"
}
# check LABEL ROOT DAEMON ARGS...
check() {
	label=$1
	r=$2
	shift 2
	n=$((n + 1))
	ours "$r" >"$TMP/ours"
	theirs "$r" "$@" | sed 's/^tcp\//tcp\//' >"$TMP/theirs"
	if cmp -s "$TMP/ours" "$TMP/theirs"; then
		agree=$((agree + 1))
		grep -q . "$TMP/theirs" && holes=$((holes + 1))
	else
		fail "inetd $label: tenken and the daemon differ" "tenken: $(tr '\n' ' ' <"$TMP/ours")" \
			"daemon: $(tr '\n' ' ' <"$TMP/theirs")"
	fi
}

fresh() {
	rm -rf "$TMP/r"
	cp -a "$1" "$TMP/r"
}

for R in $INETD_ROOTS; do
	if [ -x "$R/usr/sbin/inetutils-inetd" ]; then
		set -- /usr/sbin/inetutils-inetd -d
	elif [ -x "$R/usr/sbin/xinetd" ]; then
		set -- /usr/sbin/xinetd -dontfork -stayalive -inetd_compat
	elif [ -x "$R/usr/sbin/inetd" ]; then
		set -- /usr/sbin/inetd -d
	else
		fail "inetd: $R has no super-server"
		continue
	fi
	b=$(basename "$R")
	if [ ! -x "$R/usr/sbin/xinetd" ]; then
		fresh "$R"
		check "$b as installed" "$TMP/r" "$@"
		chroot "$TMP/r" update-inetd --enable telnet
		check "$b update-inetd --enable telnet" "$TMP/r" "$@"
		chroot "$TMP/r" update-inetd --disable telnet
		check "$b update-inetd --disable telnet" "$TMP/r" "$@"
		chroot "$TMP/r" update-inetd --enable telnet
		printf '127.0.0.1:2323\tstream\ttcp\tnowait\troot\t/usr/sbin/tcpd\t/usr/sbin/telnetd\n' \
			>>"$TMP/r/etc/inetd.conf"
		check "$b telnet and an address-bound entry" "$TMP/r" "$@"
		continue
	fi
	fresh "$R"
	check "$b as installed" "$TMP/r" "$@"
	cat >"$TMP/r/etc/xinetd.d/telnet" <<'X'
# hand-written, as an admin enables telnet under xinetd
service telnet
{
	disable		= no
	socket_type	= stream
	wait		= no
	user		= root
	server		= /usr/sbin/telnetd
}
X
	check "$b xinetd.d/telnet disable = no" "$TMP/r" "$@"
	printf 'defaults\n{\n\tdisabled = telnet\n}\n' >"$TMP/r/etc/xinetd.d/zz-defaults"
	check "$b defaults disabled = telnet" "$TMP/r" "$@"
	rm "$TMP/r/etc/xinetd.d/zz-defaults"
	sed -i 's/disable = yes/disable = no/; s/disable\t\t= yes/disable\t\t= no/' "$TMP/r/etc/xinetd.d/daytime"
	printf 'defaults\n{\n\tenabled = daytime-stream\n}\n' >"$TMP/r/etc/xinetd.d/zz-defaults"
	check "$b defaults enabled = daytime-stream" "$TMP/r" "$@"
	rm "$TMP/r/etc/xinetd.d/zz-defaults"
	cp "$TMP/r/etc/xinetd.d/telnet" "$TMP/r/etc/xinetd.d/telnet.dpkg-old"
	sed -i 's/disable\t\t= no/disable\t\t= yes/' "$TMP/r/etc/xinetd.d/telnet"
	sed -i 's/service telnet/service ftp/; s/disable\t\t= yes/disable\t\t= no/' \
		"$TMP/r/etc/xinetd.d/telnet.dpkg-old"
	check "$b includedir skips telnet.dpkg-old" "$TMP/r" "$@"
	printf 'telnet\tstream\ttcp\tnowait\troot\t/usr/sbin/tcpd\t/usr/sbin/telnetd\n' >"$TMP/r/etc/inetd.conf"
	printf 'ftp\tstream\ttcp\tnowait\troot\t/usr/sbin/tcpd\t/usr/sbin/telnetd\n' >>"$TMP/r/etc/inetd.conf"
	check "$b INETD_COMPAT, xinetd.d defines telnet (disabled)" "$TMP/r" "$@"
	rm "$TMP/r/etc/xinetd.d/telnet"
	check "$b INETD_COMPAT inetd.conf" "$TMP/r" "$@"
	printf 'defaults\n{\n\tdisabled = telnet\n}\n' >"$TMP/r/etc/xinetd.d/zz-defaults"
	check "$b INETD_COMPAT, defaults disabled = telnet" "$TMP/r" "$@"
	rm "$TMP/r/etc/xinetd.d/zz-defaults"
	sed -i 's/^INETD_COMPAT=.*/INETD_COMPAT=No/' "$TMP/r/etc/default/xinetd"
	set -- /usr/sbin/xinetd -dontfork -stayalive
	check "$b INETD_COMPAT=No" "$TMP/r" "$@"
done
if [ "$n" -gt 0 ] && [ "$agree" -eq "$n" ]; then
	pass "inetd: $agree of $n configurations: tenken's served ports equal the daemon's sockets ($holes with something served)"
else
	fail "inetd: $agree of $n configurations agree with the daemons' sockets"
fi
