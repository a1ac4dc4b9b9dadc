#!/bin/sh
# No record vanishes because one of its optional inputs could not be read
# (issue 9, item 2). For every probe that lists records, one record's
# optional inputs are taken in turn (the files that give it an attribute,
# not the file that says it exists) and each is, on a scratch copy of a
# fixture root: removed, replaced by garbage, by a FIFO, by a dangling
# symlink, by a symlink loop, by a directory, and made mode 000 (read by a
# tenken that has lost CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, since
# root reads mode 000 otherwise). The record count of the collection must
# not change, and the scan must finish.
. tests/lib.sh

if ! command -v jq >/dev/null; then
	fail "records" "jq is needed (sh install-deps.sh --test)"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
NOW=2026-11-22T00:00:00Z

# fixture probe collection inputs... (paths relative to the root; globs)
# Inputs that say a record exists are not listed: a timer's .wants link
# (no link, not enabled), a service's executable (absent: not runnable,
# issue 10), /etc/passwd for the homes user autostart entries live in
# (unreadable: the accounts probe fails as a whole and its rules are
# unknown).
cases() {
	cat <<'EOF'
services-bad processes processes proc/300/stat proc/300/status proc/300/cmdline proc/300/exe proc/300/cgroup
services-bad services services etc/systemd/system/ssh.service.d/override.conf etc/systemd/system/multi-user.target.wants/vsftpd.service proc/300/cgroup proc/300/stat var/lib/dpkg/status
services-bad listeners listeners proc/300/stat proc/300/cmdline proc/300/fd proc/300/cgroup etc/passwd
accounts-bad accounts accounts etc/shadow etc/group etc/gshadow etc/login.defs etc/sudoers var/log/lastlog var/log/wtmp
accounts-bad accounts groups etc/gshadow etc/shadow
services-bad packages packages var/lib/dpkg/info proc/sys/kernel/osrelease run/reboot-required run/reboot-required.pkgs var/lib/rpm
usb-stick usb usb_devices sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/manufacturer sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/product sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/serial sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/authorized sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/bDeviceClass sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/bInterfaceClass
wifi-mixed wireless wifi_networks sys etc/hostname
logging-good logging log_files etc/logrotate.conf etc/logrotate.d etc/group
services-bad autostart autostart lib/systemd/system/logrotate.service var/lib/dpkg/status
executables-bad executables executables var/lib/dpkg/info/sometool.md5sums var/lib/dpkg/info/sometool.list var/lib/dpkg/info/vendor-tool:amd64.md5sums var/lib/dpkg/info/vendor-tool:amd64.list
patches-bad updates updates var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_Release etc/apt/preferences.d var/log/apt/history.log
accounts-bad accounts sudoers etc/group etc/sudoers.d/README
firewall-nft-ssh firewall firewall_rules etc/passwd etc/hosts.allow etc/hosts.deny
firewall-firewalld firewall firewall_rules etc/firewalld/firewalld.conf usr/lib/firewalld/zones/public.xml etc/passwd
firewall-ufw-enabled firewall firewall_rules etc/default/ufw etc/passwd
EOF
}

# count ROOT PROBE COLLECTION [RUNNER...]: the collection's length, or
# "error" when the scan did not produce a report.
count() {
	root=$1 probe=$2 coll=$3
	shift 3
	"$@" "$TENKEN" inventory --root "$root" --only "$probe" --now "$NOW" >"$TMP/inv.json" 2>"$TMP/inv.err" ||
		{
			echo error
			return
		}
	jq -r --arg c "$coll" '.inventory[$c] | if type == "array" then length else "missing" end' "$TMP/inv.json"
}

# perturb FILE KIND
perturb() {
	f=$1
	case $2 in
	remove) rm -rf "$f" ;;
	garbage)
		rm -rf "$f"
		printf '\377\376\000garbage\r\n\000\n' >"$f"
		;;
	fifo) rm -rf "$f" && mkfifo "$f" ;;
	dangling) rm -rf "$f" && ln -s /nonexistent/target "$f" ;;
	loop) rm -rf "$f" && ln -s "$(basename "$f")" "$f" ;;
	dir) rm -rf "$f" && mkdir "$f" ;;
	mode000) chmod 000 "$f" ;;
	esac
}

nocap="setpriv --inh-caps=-all --bounding-set=-dac_override,-dac_read_search"
if ! $nocap true 2>/dev/null; then
	nocap=""
fi

cases | while read -r fixture probe coll inputs; do
	base=$(count "tests/fixtures/$fixture" "$probe" "$coll")
	if [ "$base" = error ] || [ "$base" = missing ] || [ "$base" -eq 0 ]; then
		fail "records $fixture/$probe/$coll: baseline" "count $base: the case must hold records" "$(head -c 500 "$TMP/inv.err")"
		continue
	fi
	rm -rf "$TMP/root" && cp -a "tests/fixtures/$fixture" "$TMP/root"
	for input in $inputs; do
		bad=""
		for kind in remove garbage fifo dangling loop dir mode000; do
			runner=""
			if [ $kind = mode000 ]; then
				[ -n "$nocap" ] || continue
				runner=$nocap
			fi
			rm -rf "$TMP/orig" && cp -a "$TMP/root/$input" "$TMP/orig"
			perturb "$TMP/root/$input" $kind 2>/dev/null
			got=$(count "$TMP/root" "$probe" "$coll" $runner)
			[ "$got" = "$base" ] || bad="$bad $kind:$got"
			rm -rf "$TMP/root/$input" && mv "$TMP/orig" "$TMP/root/$input"
		done
		if [ -z "$bad" ]; then
			pass "records $fixture/$probe/$coll: $input unreadable keeps $base records"
		else
			fail "records $fixture/$probe/$coll: $input" "wanted $base records, got$bad" "$(head -c 500 "$TMP/inv.err")"
		fi
	done
done
if [ -z "$nocap" ]; then
	pass "records: mode 000 cases (skipped: setpriv cannot drop capabilities here)"
fi

# Firewall rules: one attribute of one rule made unreadable (a named set,
# an undefined variable, a byte no parser knows, a port that is no port)
# in the nftables configuration, an iptables-save file (iptables-persistent
# and ufw) and a firewalld zone. The rule must stay a rule (same count),
# that attribute must be null (unknown), never a value no check would
# match; where the rule is open to any source, open_to_any_source is
# unknown too (the forbidden-ports rule must not pass on it). Each case, tab
# separated: FIXTURE FILE TEXT, the replacement for TEXT (its first
# occurrence, as is), and a jq CHECK on the inventory.
attr_cases() {
	cat <<'EOF'
firewall-nft-ssh etc/nftables.conf ip saddr $admin_net tcp dport 22 counter accept	tcp dport @admin_ports counter accept	(.inventory.firewall.open_to_any_source == null) and ([.inventory.firewall_rules[] | select(.line == 19)] | .[0].ports == null and .[0].any_source == true)
firewall-nft-ssh etc/nftables.conf ip saddr $admin_net tcp dport 22 counter accept	ip saddr $no_such_net tcp dport 22 counter accept	[.inventory.firewall_rules[] | select(.line == 19)] | .[0].sources == null and .[0].any_source == null
firewall-nft-ssh etc/nftables.conf ip saddr $admin_net tcp dport 22 counter accept	ip saddr \x01\x02 tcp dport { 22, ] } counter accept	[.inventory.firewall_rules[] | select(.line == 19)] | .[0].sources == null and .[0].ports == null
firewall-nft-ssh etc/nftables.d/ward.nft tcp dport { 443, 8443 } accept	tcp dport { 443, @more } accept	[.inventory.firewall_rules[] | select(.file == "/etc/nftables.d/ward.nft")] | .[0].ports == null
firewall-iptables etc/iptables/rules.v4 --dport 443 -m comment	--dport 443,\x01 -m comment	[.inventory.firewall_rules[] | select(.line == 14 and .file == "/etc/iptables/rules.v4")] | .[0].ports == null
firewall-iptables etc/iptables/rules.v4 -A INPUT -p tcp -m tcp --dport 443	-A INPUT -s $net -p tcp -m tcp --dport 443	[.inventory.firewall_rules[] | select(.line == 14 and .file == "/etc/iptables/rules.v4")] | .[0].sources == null
firewall-ufw-enabled etc/ufw/user.rules --dport 22 -s 192.168.10.0/24	--dport 22 -s 192.168.10.0/24\x01	[.inventory.firewall_rules[] | select(.line == 11)] | .[0].sources == null
firewall-firewalld etc/firewalld/zones/public.xml port="8443"	port="84 43"	(.inventory.firewall.open_to_any_source == null) and ([.inventory.firewall_rules[] | select(.chain == "zone public" and .proto == "tcp")] | any(.ports == null))
EOF
}
attr_cases | while IFS='	' read -r head repl check; do
	fixture=${head%% *}
	rest=${head#* }
	file=${rest%% *}
	match=${rest#* }
	base=$(count "tests/fixtures/$fixture" firewall firewall_rules)
	rm -rf "$TMP/root" && cp -a "tests/fixtures/$fixture" "$TMP/root"
	M=$match R=$repl awk 'BEGIN { m = ENVIRON["M"]; r = ENVIRON["R"] }
		!done && (i = index($0, m)) { $0 = substr($0, 1, i - 1) r substr($0, i + length(m)); done = 1 }
		{ print }' "tests/fixtures/$fixture/$file" >"$TMP/root/$file"
	if cmp -s "$TMP/root/$file" "tests/fixtures/$fixture/$file"; then
		fail "records $fixture: $file: the text '$match' is not there"
		continue
	fi
	got=$(count "$TMP/root" firewall firewall_rules)
	ok=$(jq -r "$check" "$TMP/inv.json" 2>&1)
	if [ "$got" = "$base" ] && [ "$ok" = true ]; then
		pass "records $fixture/firewall_rules: '$repl' keeps $base rules, the attribute unknown"
	else
		fail "records $fixture/firewall_rules: '$repl'" "wanted $base rules, got $got; check: $ok" \
			"$(jq -c '.inventory.firewall_rules' "$TMP/inv.json" | head -c 600)"
	fi
done

# A default zone that is not XML (a control byte: firewalld refuses the
# whole file) hides what that zone accepts: the other zones' rules stay,
# firewall_rules is listed as incomplete and what is open to any source
# is unknown, so the forbidden-ports rule cannot pass.
rm -rf "$TMP/root" && cp -a tests/fixtures/firewall-firewalld "$TMP/root"
sed 's/port="8443"/port="84\x0143"/' tests/fixtures/firewall-firewalld/etc/firewalld/zones/public.xml \
	>"$TMP/root/etc/firewalld/zones/public.xml"
got=$(count "$TMP/root" firewall firewall_rules)
if [ "$got" -gt 0 ] 2>/dev/null &&
	jq -e '.inventory.firewall.open_to_any_source == null and
		([.inventory.firewall_rules[] | select(.chain == "zone internal")] | length > 0) and
		any(.scan.probes[] | select(.name == "firewall") | .incomplete[]?; . == "firewall_rules")' "$TMP/inv.json" >/dev/null; then
	pass "records firewall-firewalld: an unreadable default zone keeps the other zones' $got rules, open ports unknown"
else
	fail "records firewall-firewalld: an unreadable default zone" "got $got rules" \
		"$(jq -c '{fw: .inventory.firewall, rules: .inventory.firewall_rules}' "$TMP/inv.json" | head -c 800)"
fi

# An unreadable file is not an absent file: a root whose /etc is a
# symlink loop (chronyd installed) must leave the time and firewall facts
# unknown, the probes partial, and their rules neither pass nor fail.
mkdir -p "$TMP/loop/usr/sbin" "$TMP/loop/var/log"
cp /bin/true "$TMP/loop/usr/sbin/chronyd"
ln -s etc "$TMP/loop/etc"
"$TENKEN" scan --root "$TMP/loop" --only time,firewall --format json --now "$NOW" >"$TMP/loop.json" 2>"$TMP/err"
for f in '.inventory.time_sync.enabled' '.inventory.time_sync.configured' '.inventory.firewall.inbound_default_deny' '.inventory.firewall.active_backend'; do
	v=$(jq -c "$f" "$TMP/loop.json")
	if [ "$v" = null ]; then pass "records: /etc a loop: $f is unknown"; else fail "records: /etc a loop: $f is $v, not null"; fi
done
for p in time firewall; do
	s=$(jq -r --arg p $p '.scan.probes[] | select(.name == $p) | .status' "$TMP/loop.json")
	if [ "$s" = partial ]; then pass "records: /etc a loop: $p is partial"; else fail "records: /etc a loop: $p is '$s'"; fi
done
for r in time.sync_configured firewall.inbound_default_deny; do
	s=$(jq -r --arg r $r '[.findings[] | select(.rule == $r) | .status] | join(",")' "$TMP/loop.json")
	if [ "$s" = unknown ]; then pass "records: /etc a loop: $r is unknown"; else fail "records: /etc a loop: $r is '$s'"; fi
done
