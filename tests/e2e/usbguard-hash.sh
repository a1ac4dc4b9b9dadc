#!/bin/sh
# tests/e2e/usbguard-hash.sh - USBGuard's device hash and parent-hash as
# tenken computes them (ug_device_hash: SHA-256 of product, idVendor,
# idProduct, serial and the sysfs descriptors, bcdDevice zeroed for Linux
# root hubs; a root hub's parent-hash hashes its controller's devpath)
# against `usbguard generate-policy` (package usbguard) on umockdev
# testbeds: every device of tests/fixtures/usbguard/composite.umockdev and
# tests/fixtures/usb-umockdev/*.umockdev, with sysfs `descriptors` added by
# umockdev-descriptors.py. tenken reads the same testbed twice: its sys/
# tree with --root (sysfs reader) and live under the preload (libudev).
. tests/lib.sh

if ! command -v umockdev-run >/dev/null || ! command -v usbguard >/dev/null ||
	! command -v python3 >/dev/null || ! command -v jq >/dev/null; then
	pass "usbguard hash (skipped: needs umockdev, usbguard, python3, jq)"
	exit 0
fi

n=0
agree=0
for rec in tests/fixtures/usbguard/composite.umockdev tests/fixtures/usb-umockdev/*.umockdev; do
	name=$(basename "$rec" .umockdev)
	# hub-garbage holds ids descriptors cannot carry: no descriptors, no hash
	python3 tests/e2e/umockdev-descriptors.py "$rec" >"$TMP/$name.umockdev" 2>/dev/null || continue
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	umockdev-run -d "$TMP/$name.umockdev" -- sh -c '
		usbguard generate-policy >"$2/gen" 2>/dev/null
		"$1" inventory --root "$UMOCKDEV_DIR" --only usb >"$2/root.json" 2>/dev/null
		"$1" inventory --only usb >"$2/live.json" 2>/dev/null
		true' sh "$TENKEN" "$TMP"
	# id hash parent-hash of each generated rule, sorted
	sed -n 's/^allow id \([^ ]*\) .* hash "\([^"]*\)" parent-hash "\([^"]*\)".*/\1 \2 \3/p' \
		"$TMP/gen" | sort >"$TMP/want"
	for src in root live; do
		jq -r '.inventory.usb_devices[] | "\(.id) \(.usbguard_hash) \(.usbguard_parent_hash)"' \
			"$TMP/$src.json" | sort >"$TMP/got"
		k=$(wc -l <"$TMP/want")
		n=$((n + k))
		if [ "$k" -gt 0 ] && cmp -s "$TMP/want" "$TMP/got"; then
			agree=$((agree + k))
		else
			fail "usbguard hash $name ($src): tenken and generate-policy differ" \
				"$(diff "$TMP/want" "$TMP/got")"
		fi
	done
done
if [ "$n" -gt 0 ] && [ "$agree" -eq "$n" ]; then
	pass "usbguard hash: $agree of $n devices (hash and parent-hash; sysfs and libudev readers) equal generate-policy's"
else
	fail "usbguard hash: $agree of $n agree with usbguard generate-policy"
fi
