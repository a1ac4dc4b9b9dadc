#!/bin/sh
# tests/e2e/usbguard.sh - tenken's reading of USBGuard rules against
# USBGuard itself (the usbguard package is a test peer).
#
# 1. The parser: every rule line of tests/fixtures/usbguard/rules-corpus.txt,
#    of the fixture roots' rule files and of the policies below is given to
#    usbguard-rule-parser -f (one line per file) and to tenken's parser
#    (build/tools/ugrule); both must accept or refuse it alike and print
#    the same rule. One known difference is normalised: usbguard 1.1.2
#    prints the condition rule-evaluated as rule-applied.
# 2. The verdict: a umockdev testbed holds a root hub, a keyboard, a USB
#    stick, a second stick, a UAS disk (08:06:62) and a keyboard with a
#    storage interface
#    (tests/fixtures/usbguard/composite.umockdev, with sysfs `descriptors`
#    added by umockdev-descriptors.py). For each policy below -- two written
#    by `usbguard generate-policy` on testbeds with and without the storage
#    devices, the others by hand -- usbguard-daemon runs on the testbed (in
#    private mount and network namespaces) and `usbguard list-devices` says
#    which devices it allowed. USBGuard blocks storage when it blocked every
#    device with a class 08 interface; tenken's usbguard_blocks_storage on
#    a root holding the same configuration must say the same.
. tests/lib.sh

UG=$B/tools/ugrule
DIR=tests/fixtures/usbguard
if ! command -v usbguard-rule-parser >/dev/null || [ ! -x "$UG" ]; then
	pass "usbguard parser (skipped: usbguard-rule-parser or $UG missing)"
	exit 0
fi

# ---- policies ----------------------------------------------------------------
REC=$TMP/testbed.umockdev
daemon_ok=yes
if [ "$(id -u)" != 0 ] || ! command -v umockdev-run >/dev/null || [ ! -x /usr/sbin/usbguard-daemon ] ||
	! command -v python3 >/dev/null || ! unshare -m -n true 2>/dev/null; then
	daemon_ok=no
fi
mkdir -p "$TMP/pol"
if [ $daemon_ok = yes ]; then
	python3 tests/e2e/umockdev-descriptors.py "$DIR/composite.umockdev" >"$REC"
	awk -v RS= -v ORS='\n\n' '!/usb1\/1-[2456]/' "$DIR/composite.umockdev" >"$TMP/nostorage.umockdev"
	python3 tests/e2e/umockdev-descriptors.py "$TMP/nostorage.umockdev" >"$TMP/nostorage.d.umockdev"
	umockdev-run -d "$REC" -- usbguard generate-policy >"$TMP/pol/gen-all" 2>/dev/null
	# the testbed's sys/ tree, for tenken's per-device decisions under --root
	mkdir -p "$TMP/testbed"
	umockdev-run -d "$REC" -- sh -c 'cp -a "$UMOCKDEV_DIR/sys" "$1/"' sh "$TMP/testbed"
	umockdev-run -d "$TMP/nostorage.d.umockdev" -- usbguard generate-policy \
		>"$TMP/pol/gen-nostorage" 2>/dev/null
fi
# policy NAME IMPLICIT PRESENT RULES
policy() {
	printf '%b' "$4" >"$TMP/pol/$1"
	echo "$2 $3" >"$TMP/pol/$1.conf"
}
[ -s "$TMP/pol/gen-all" ] && echo "block apply-policy" >"$TMP/pol/gen-all.conf"
[ -s "$TMP/pol/gen-nostorage" ] && echo "block apply-policy" >"$TMP/pol/gen-nostorage.conf"
policy only-storage block apply-policy 'allow with-interface equals { 08:*:* }\n'
policy hid-one-of block apply-policy 'allow with-interface one-of { 03:*:* }\n'
policy keyboard-only block apply-policy 'allow with-interface { 03:01:01 03:00:00 }\nallow with-interface 09:00:00\n'
policy block-storage-first block apply-policy 'block with-interface one-of { 08:*:* }\nallow\n'
policy allow-all block apply-policy 'allow\n'
policy none-of-storage block apply-policy 'allow with-interface none-of { 08:*:* }\n'
policy by-id block apply-policy 'allow id 0781:5567\n'
policy reject-then-match-all block apply-policy 'reject id 0781:5567\nallow with-interface match-all { 08:*:* 09:*:* }\n'
policy never block apply-policy 'allow if false\nallow if !true\n'
policy implicit-allow allow apply-policy ''
policy present-allow block allow 'block with-interface one-of { 08:*:* }\n'
policy by-port block apply-policy 'allow via-port "1-2"\n'
policy by-name block apply-policy 'allow name "Cruzer Blade"\n'
policy block-one-stick block apply-policy 'block id 0781:5567\nallow with-interface one-of { 08:06:50 }\n'
policy all-of-storage block apply-policy 'reject with-interface all-of { 08:*:* }\nallow\n'
policy equals-storage-block block apply-policy 'block with-interface 08:*:*\nallow\n'
policy all-of-pattern-allow block apply-policy 'allow with-interface all-of { 08:*:* }\n'
policy all-of-exact-allow block apply-policy 'allow with-interface all-of { 08:06:50 }\n'
policy equals-pattern-allow block apply-policy 'allow with-interface 08:*:*\n'
policy match-all-pattern block apply-policy 'allow with-interface match-all { 08:*:* }\n'
policy one-of-reject-exact block apply-policy 'reject with-interface one-of { 08:06:50 }\nallow\n'
policy label-only block apply-policy 'allow label "x"\n'
policy serial-set block apply-policy 'allow serial one-of { "KS0002" "nope" }\n'
# hash and parent-hash, taken from the generated policy (testbed-specific)
hash_of() { sed -n "s/^allow id $1 .* hash \"\([^\"]*\)\".*/\1/p" "$TMP/pol/gen-all" 2>/dev/null; }
hub=$(hash_of 1d6b:0002)
kbd=$(hash_of 413c:2113)
stick=$(hash_of 0951:1666)
if [ -n "$hub" ] && [ -n "$kbd" ] && [ -n "$stick" ]; then
	policy by-hash block apply-policy "allow hash one-of { \"$kbd\" \"nope\" } name \"Dell KB216 Wired Keyboard\"\nallow hash \"$stick\"\n"
	policy block-hash-first block apply-policy "block hash \"$stick\"\nallow parent-hash \"$hub\"\n"
	policy parent-hash-none-of block apply-policy "reject parent-hash none-of { \"$hub\" }\nallow with-interface match-all { 08:*:* 09:*:* }\n"
fi

# ---- 1. the parser -------------------------------------------------------------
{
	cat "$DIR/rules-corpus.txt"
	cat tests/fixtures/*/etc/usbguard/rules.conf tests/fixtures/*/etc/usbguard/rules.d/* 2>/dev/null
	for f in "$TMP"/pol/*; do case $f in *.conf) ;; *) cat "$f" ;; esac; done
} >"$TMP/lines"
"$UG" <"$TMP/lines" | cut -f1 | sed -e 's/^ERROR:.*/ERROR/' -e 's/rule-evaluated/rule-applied/g' >"$TMP/ours"
: >"$TMP/theirs"
while IFS= read -r l; do
	printf '%s\n' "$l" >"$TMP/one"
	o=$(usbguard-rule-parser -f "$TMP/one" 2>&1 | grep -E '^OUTPUT|ERROR' | head -n1)
	case $o in *ERROR*) o=ERROR ;; '') o='OUTPUT: ' ;; esac
	printf '%s\n' "$o" >>"$TMP/theirs"
done <"$TMP/lines"
total=$(wc -l <"$TMP/lines")
same=$(paste -d '\n' "$TMP/ours" "$TMP/theirs" | awk 'NR % 2 { a = $0; next } a == $0 { n++ } END { print n + 0 }')
refused=$(grep -c '^ERROR' "$TMP/theirs")
if [ "$same" -eq "$total" ]; then
	pass "usbguard parser: $same of $total lines agree with usbguard-rule-parser ($refused refused by both)"
else
	fail "usbguard parser: $same of $total lines agree" \
		"$(paste -d '|' "$TMP/lines" "$TMP/ours" "$TMP/theirs" | awk -F'|' '$2 != $3' | head -10)"
fi

# ---- 2. the verdict ------------------------------------------------------------
if [ $daemon_ok = no ]; then
	pass "usbguard verdicts (skipped: needs root, umockdev-run, usbguard-daemon, python3, unshare)"
	exit 0
fi

# tenken_blocks NAME: usbguard_blocks_storage of a root with this policy.
tenken_blocks() {
	read -r implicit present <"$TMP/pol/$1.conf"
	r=$TMP/root-$1
	mkdir -p "$r/etc/usbguard/rules.d" "$r/usr/sbin" "$r/etc/systemd/system/multi-user.target.wants"
	: >"$r/usr/sbin/usbguard-daemon"
	ln -s /lib/systemd/system/usbguard.service "$r/etc/systemd/system/multi-user.target.wants/"
	sed -e "s/^ImplicitPolicyTarget=.*/ImplicitPolicyTarget=$implicit/" \
		-e "s/^PresentDevicePolicy=.*/PresentDevicePolicy=$present/" \
		/etc/usbguard/usbguard-daemon.conf >"$r/etc/usbguard/usbguard-daemon.conf"
	cp "$TMP/pol/$1" "$r/etc/usbguard/rules.conf"
	[ -d "$TMP/testbed/sys" ] && cp -a "$TMP/testbed/sys" "$r/"
	"$TENKEN" inventory --root "$r" --only usb >"$r.json" 2>/dev/null
	jq -r '.inventory.usb_storage.usbguard_blocks_storage' "$r.json"
}

# same_devices NAME: each device's target, usbguard-daemon's (list-devices,
# keyed by hash) against tenken's usbguard_target; prints "agreed total".
same_devices() {
	sed -n 's/^[0-9]*: \([a-z]*\) id .* hash "\([^"]*\)".*/\2 \1/p' \
		"$TMP/daemon-$1/devices" | sort >"$TMP/dev-want"
	jq -r '.inventory.usb_devices[] | "\(.usbguard_hash) \(.usbguard_target)"' \
		"$TMP/root-$1.json" 2>/dev/null | sort >"$TMP/dev-got"
	join "$TMP/dev-want" "$TMP/dev-got" | awk '$2 == $3 { a++ } END { print a + 0 }' |
		tr '\n' ' '
	wc -l <"$TMP/dev-want"
}

# usbguard_blocks NAME: the daemon's own decisions on the testbed.
usbguard_blocks() {
	read -r implicit present <"$TMP/pol/$1.conf"
	d=$TMP/daemon-$1
	mkdir -p "$d"
	cp "$TMP/pol/$1" "$d/rules.conf"
	cat >"$d/daemon.conf" <<-EOF
		RuleFile=$d/rules.conf
		ImplicitPolicyTarget=$implicit
		PresentDevicePolicy=$present
		PresentControllerPolicy=keep
		InsertedDevicePolicy=apply-policy
		AuthorizedDefault=none
		DeviceManagerBackend=uevent
		IPCAllowedUsers=root
		AuditBackend=FileAudit
		AuditFilePath=$d/audit.log
	EOF
	chmod 0600 "$d/daemon.conf" "$d/rules.conf"
	unshare -m -n sh -c '
		mount -t tmpfs tmpfs /dev/shm
		umockdev-run -d "$1" -- sh -c "
			/usr/sbin/usbguard-daemon -c \"\$1/daemon.conf\" -P >\"\$1/daemon.log\" 2>&1 &
			p=\$!
			i=0
			while [ \$i -lt 120 ]; do
				usbguard list-devices >\"\$1/devices\" 2>/dev/null && break
				kill -0 \$p 2>/dev/null || break
				sleep 0.25
				i=\$((i + 1))
			done
			kill \$p 2>/dev/null
			wait \$p" sh "$2"' sh "$REC" "$d"
	if ! grep -q 'with-interface' "$d/devices" 2>/dev/null; then
		echo "no-answer"
		return
	fi
	# Blocked when no device with a class 08 interface was allowed.
	if grep -E '^[0-9]+: allow .*with-interface (08:|\{[^}]* 08:)' "$d/devices" >/dev/null; then
		echo false
	else
		echo true
	fi
}

n=0 agree=0 blocked=0 blocked_ok=0 open=0 open_ok=0 dn=0 dagree=0
for f in "$TMP"/pol/*.conf; do
	name=$(basename "$f" .conf)
	want=$(usbguard_blocks "$name")
	got=$(tenken_blocks "$name")
	n=$((n + 1))
	case $want in true) blocked=$((blocked + 1)) ;; false) open=$((open + 1)) ;; esac
	read -r da dt <<-EOF
		$(same_devices "$name")
	EOF
	dn=$((dn + dt))
	dagree=$((dagree + da))
	if [ "$da" != "$dt" ]; then
		fail "usbguard policy $name: per-device decisions differ" \
			"usbguard-daemon: $(cat "$TMP/dev-want")" "tenken: $(cat "$TMP/dev-got")"
	fi
	if [ "$want" = "$got" ]; then
		agree=$((agree + 1))
		case $want in true) blocked_ok=$((blocked_ok + 1)) ;; false) open_ok=$((open_ok + 1)) ;; esac
		pass "usbguard policy $name: blocks storage $want"
	else
		fail "usbguard policy $name" "usbguard-daemon: blocks storage $want" "tenken: $got" \
			"$(cat "$TMP/pol/$name")" "$(cat "$TMP/daemon-$name/devices" 2>/dev/null)"
	fi
done
echo "usbguard verdicts: $agree of $n policies agree with usbguard-daemon;" \
	"storage admitted: $open_ok of $open found; storage blocked: $blocked_ok of $blocked pass"
if [ "$dn" -gt 0 ] && [ "$dagree" -eq "$dn" ]; then
	pass "usbguard per-device decisions: $dagree of $dn (policy, device) pairs agree with usbguard-daemon"
else
	fail "usbguard per-device decisions: $dagree of $dn agree with usbguard-daemon"
fi
