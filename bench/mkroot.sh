#!/bin/sh
# bench/mkroot.sh KIND N ROOT - a simulated root for make bench's scaling
# table (scanned with --root): N of one kind of record on top of a small
# fixture root.
#   accounts  N interactive accounts with passwords (tests/tools/mkflood.sh)
#   processes N processes in ROOT/proc (copies of services-good's agetty,
#             each its own pid, half of them a second executable)
#   packages  N installed packages in dpkg's status file
#   wtmp      N login/logout records in /var/log/wtmp (glibc's struct utmp)
set -eu
kind=$1
n=$2
root=$3
mkdir -p "$root"
case $kind in
accounts)
	sh tests/tools/mkflood.sh "$root" "$n"
	;;
processes)
	cp -a tests/fixtures/services-good/. "$root/"
	python3 - "$root" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
src = root + "/proc/300"
files = {f: open(os.path.join(src, f), "rb").read() for f in ("cgroup", "cmdline", "stat", "status")}
for i in range(n):
    pid = str(10000 + i)
    d = os.path.join(root, "proc", pid)
    os.makedirs(d + "/fd", exist_ok=True)
    for f, b in files.items():
        b = b.replace(b"300", pid.encode())
        open(os.path.join(d, f), "wb").write(b)
    os.symlink("/sbin/agetty" if i % 2 else "/usr/sbin/gooddaemon", os.path.join(d, "exe"))
PY
	;;
packages)
	cp -a tests/fixtures/patches-good/. "$root/"
	python3 - "$root" "$n" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
with open(root + "/var/lib/dpkg/status", "a") as f:
    for i in range(n):
        f.write("\nPackage: bench-pkg%06d\nStatus: install ok installed\nPriority: optional\n"
                "Section: misc\nInstalled-Size: 100\nMaintainer: Bench <bench@example.org>\n"
                "Architecture: amd64\nSource: bench-src%d\nVersion: 1.%d-1\n"
                "Depends: libc6 (>= 2.36)\nDescription: benchmark package %d\n" % (i, i % 500, i, i))
PY
	;;
wtmp)
	cp -a tests/fixtures/accounts-good/. "$root/"
	mkdir -p "$root/var/log"
	python3 - "$root" "$n" <<'PY'
import struct, sys
root, n = sys.argv[1], int(sys.argv[2])
# glibc's struct utmp on 64-bit Linux: 384 bytes (tests/tools/mkrecords.c)
fmt = "<hhi32s4s32s256shhiii4i20s"
assert struct.calcsize(fmt) == 384
users = [b"alice", b"bob", b"carol", b"root"]
with open(root + "/var/log/wtmp", "wb") as f:
    t = 1700000000
    for i in range(n):
        u = users[i % len(users)]
        line = b"pts/%d" % (i % 50)
        kind = 7 if i % 2 == 0 else 8  # USER_PROCESS, DEAD_PROCESS
        f.write(struct.pack(fmt, kind, 0, 1000 + i % 30000, line, b"ts/0", u if kind == 7 else b"",
                            b"192.0.2.%d" % (i % 250), 0, 0, 0, t + i * 60, 0, 0, 0, 0, 0, b""))
PY
	;;
*)
	echo "mkroot.sh: unknown kind $kind" >&2
	exit 2
	;;
esac
