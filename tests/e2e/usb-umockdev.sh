#!/bin/sh
# tests/e2e/usb-umockdev.sh - the two USB device backends agree.
#
# umockdev-run builds a testbed (a sysfs tree plus udev properties) from a
# recording and runs a command with libumockdev-preload redirecting /sys
# and the udev database into it. Inside it:
#   - `tenken inventory --only usb` is a live scan, which in the dynamic
#     build reads devices through libudev (and so through the preload);
#   - `tenken inventory --root $UMOCKDEV_DIR --only usb` reads the same
#     testbed's sys/ tree with the sysfs reader through fsroot (openat2 or
#     O_NOFOLLOW walks: not redirected, and not needing to be).
# Their usb_devices must be identical except vendor_name and model_name,
# which only libudev has (udev's hwdb properties; the sysfs reader records
# null): the test checks libudev did fill them and then drops both.
# Skipped (PASS ... skipped) when umockdev-run is missing or the binary was
# built without libudev (UDEV=0, the static build).
. tests/lib.sh
REC=tests/fixtures/usb-umockdev

skip() { echo "PASS $1 (skipped: $2)"; }

if ! command -v umockdev-run >/dev/null 2>&1; then
	skip "usb umockdev backends" "umockdev-run not installed (apt-get install umockdev)"
	exit 0
fi
if ! grep -q udev_enumerate_new "$TENKEN" 2>/dev/null; then
	skip "usb umockdev backends" "$TENKEN built without libudev"
	exit 0
fi

# strip: the usb_devices array without the hwdb-only fields, and without
# USBGuard's decisions: those come from the scanned system's usbguard
# configuration (the host's for the live scan, none in the testbed).
strip='.inventory.usb_devices | map(del(.vendor_name, .model_name, .usbguard_target, .usbguard_rule))'

for rec in "$REC"/*.umockdev; do
	name=$(basename "$rec" .umockdev)
	# Under make check, ASan must tolerate umockdev's preload coming first.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	umockdev-run -d "$rec" -- sh -c '
		"$1" inventory --only usb >"$2/live.json" 2>"$2/live.err"
		"$1" inventory --root "$UMOCKDEV_DIR" --only usb >"$2/root.json" 2>"$2/root.err"
	' sh "$TENKEN" "$TMP" || {
		fail "usb umockdev $name: run" "$(cat "$TMP/live.err" "$TMP/root.err" 2>/dev/null)"
		continue
	}
	jq -S "$strip" "$TMP/live.json" >"$TMP/live.devs"
	jq -S "$strip" "$TMP/root.json" >"$TMP/root.devs"
	n=$(jq 'length' "$TMP/root.devs")
	want=$(grep -c '^E: DEVTYPE=usb_device' "$rec")
	if [ "$n" -eq "$want" ] && [ "$n" -gt 0 ]; then
		pass "usb umockdev $name: sysfs reader finds $n devices"
	else
		fail "usb umockdev $name: sysfs reader finds $n devices" "wanted $want"
	fi
	if cmp -s "$TMP/live.devs" "$TMP/root.devs"; then
		pass "usb umockdev $name: libudev and sysfs inventories identical"
	else
		fail "usb umockdev $name: libudev and sysfs inventories identical" \
			"$(diff "$TMP/live.devs" "$TMP/root.devs" | head -40)"
	fi
	# hwdb names: libudev has them where the recording has the property.
	hw=$(jq '[.inventory.usb_devices[] | select(.vendor_name != null)] | length' "$TMP/live.json")
	nul=$(jq '[.inventory.usb_devices[] | select(.vendor_name != null)] | length' "$TMP/root.json")
	if [ "$hw" -gt 0 ] && [ "$nul" -eq 0 ]; then
		pass "usb umockdev $name: hwdb names from libudev only ($hw devices)"
	else
		fail "usb umockdev $name: hwdb names from libudev only" "libudev $hw, sysfs $nul"
	fi
done
