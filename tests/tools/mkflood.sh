#!/bin/sh
# mkflood.sh ROOT N - copy the accounts-bad fixture root to ROOT and add N
# interactive accounts (uid 20000..), each with a password, no login
# record, and membership of a shared group: the flood of subjects of
# issue 11 (200,000 accounts gave 468,000 findings and a 765 MB report).
set -eu
root=$1
n=$2
cp -a tests/fixtures/accounts-bad/. "$root/"
python3 - "$root" "$n" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
with open(root + "/etc/passwd", "a") as p, open(root + "/etc/shadow", "a") as s:
    for i in range(n):
        name = "u%06d" % i
        p.write("%s:x:%d:%d::/home/%s:/bin/bash\n" % (name, 20000 + i, 20000 + i, name))
        s.write("%s:$6$salt$hash:19000:0:99999:7:::\n" % name)
with open(root + "/etc/group", "a") as g:
    g.write("flood:x:9999:" + ",".join("u%06d" % i for i in range(n)) + "\n")
PY
