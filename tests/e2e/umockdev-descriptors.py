#!/usr/bin/env python3
"""Adds a `descriptors` binary attribute (and a `remove` attribute) to every USB device of a umockdev
recording, built from the recording's own attributes (device descriptor,
one configuration, its interfaces, no endpoints), so that usbguard, which
reads sysfs `descriptors`, can enumerate the testbed's devices.
Usage: umockdev-descriptors.py IN.umockdev > OUT.umockdev"""
import sys


def blocks(text):
    cur = []
    for line in text.splitlines():
        if line.startswith("P: ") and cur:
            yield cur
            cur = []
        if line.strip():
            cur.append(line)
    if cur:
        yield cur


def attrs(block):
    a = {}
    for line in block:
        if line.startswith("A: ") and "=" in line:
            k, v = line[3:].split("=", 1)
            a[k] = v.strip().replace("\\n", "")
    return a


def hexint(v, default=0):
    try:
        return int(v, 16)
    except (TypeError, ValueError):
        return default


def main():
    recs = list(blocks(open(sys.argv[1], encoding="utf-8", errors="replace").read()))
    paths = {b[0][3:]: attrs(b) for b in recs}
    out = []
    for b in recs:
        path, a = b[0][3:], attrs(b)
        if "idVendor" in a:
            ifaces = sorted((p, x) for p, x in paths.items()
                            if p.startswith(path + "/") and "bInterfaceClass" in x
                            and p.count("/") == path.count("/") + 1)
            dev = bytes([18, 1, 0x00, 0x02, hexint(a.get("bDeviceClass")),
                         hexint(a.get("bDeviceSubClass")), hexint(a.get("bDeviceProtocol")), 64])
            vid, pid, bcd = hexint(a["idVendor"]), hexint(a.get("idProduct")), hexint(a.get("bcdDevice"), 0x100)
            dev += vid.to_bytes(2, "little") + pid.to_bytes(2, "little") + bcd.to_bytes(2, "little")
            dev += bytes([1, 2, 3, 1])
            body = b""
            for _, x in ifaces:
                body += bytes([9, 4, hexint(x.get("bInterfaceNumber")), 0, 0,
                               hexint(x.get("bInterfaceClass")), hexint(x.get("bInterfaceSubClass")),
                               hexint(x.get("bInterfaceProtocol")), 0])
            total = 9 + len(body)
            conf = bytes([9, 2]) + total.to_bytes(2, "little") + bytes([len(ifaces), 1, 0, 0x80, 50])
            b = b + ["H: descriptors=" + (dev + conf + body).hex().upper()]
            if "remove" not in a:  # where usbguard writes to reject a device
                b.append("A: remove=0")
        out.append("\n".join(b))
    print("\n\n".join(out) + "\n")


main()
