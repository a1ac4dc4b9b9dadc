#!/bin/sh
# tests/e2e/fleet.sh - `tenken fleet` against real OpenSSH servers: 100
# sshd instances started here (each `sshd -D -f CONFIG` on its own
# loopback address 127.A.B.N and a port chosen at run time, its own host
# key made in $TMP, known_hosts and an ssh_config of aliases written here),
# reached through the system's ssh client. Among them: three down, one
# whose key in known_hosts is wrong, one not in known_hosts, one that hangs
# (its sshd is SIGSTOPped), one whose user needs a sudo password (a
# non-root user, created only if missing and removed again), one whose
# tenken prints garbage (a fake one first on that host's PATH, via sshd's
# SetEnv), one refusing our key. Every host must end with exactly the right
# outcome, and no temporary file may remain on any host (each host's TMPDIR
# is its own directory, also via SetEnv). Then: Ctrl-C in the middle,
# --resume, a bad hosts file, --collect of dated reports written by
# `scan --output-dir --keep`. The wall time of the 100-host run is printed
# (INFO line), never asserted. Without sshd, ssh, ssh-keygen, jq or root,
# the test is skipped and says so.
. tests/lib.sh

SSHD=/usr/sbin/sshd
N=${FLEET_HOSTS:-100}

if [ "$(id -u)" -ne 0 ] || [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null ||
	! command -v ssh-keygen >/dev/null || ! command -v jq >/dev/null ||
	! command -v unshare >/dev/null; then
	pass "e2e fleet (skipped: needs root, $SSHD, ssh, ssh-keygen, jq and unshare)"
	exit 0
fi
if [ ! -x "$TENKEN" ]; then
	fail "e2e fleet" "$TENKEN is not built"
	exit 0
fi

# Every sshd this test starts is killed on exit, and the test user it may
# have created is removed.
PIDS=""
CREATED_USER=""
FUSER=tenkenfleet
cleanup() {
	for p in $PIDS; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	[ -n "$CREATED_USER" ] && userdel "$CREATED_USER" 2>/dev/null
	chmod -R u+rwX "$TMP" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

chmod 711 "$TMP"
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
FIXTURE=$(pwd)/tests/fixtures/accounts-good
# HOME is an empty directory on every host: the test must not depend on
# (or wait for) the dotfiles of the machine's root account.
mkdir -p "$TMP/keys" "$TMP/pub" "$TMP/fakebin" "$TMP/remote" "$TMP/home"
chmod 755 "$TMP/pub" "$TMP/fakebin" "$TMP/home"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/keys/id" </dev/null >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$TMP/keys/other" </dev/null >/dev/null
cp "$TMP/keys/id.pub" "$TMP/pub/authorized_keys"
: >"$TMP/pub/none"
chmod 644 "$TMP/pub/authorized_keys" "$TMP/pub/none"
# A tenken of the same version that prints garbage instead of a report.
cat >"$TMP/fakebin/tenken" <<EOF
#!/bin/sh
[ "\$1" = --version ] && { echo "tenken $("$TENKEN" --version | cut -d' ' -f2)"; exit 0; }
echo "this is not JSON"
EOF
chmod 755 "$TMP/fakebin/tenken"

if ! id "$FUSER" >/dev/null 2>&1; then
	useradd -M -d /nonexistent -s /bin/sh -p '*' "$FUSER" && CREATED_USER=$FUSER
fi

A=$(awk 'BEGIN{srand(); print int(1+rand()*250)}')
B=$(awk 'BEGIN{srand(); print int(1+rand()*250)}' | awk -v p=$$ '{print ($1+p)%250+1}')
PORT=$(awk -v p=$$ 'BEGIN{srand(); print 20000+int(rand()*30000)+p%1000}')
name() { printf 'h%03d' "$1"; }

# start_sshd I [EXTRA CONFIG LINE]: an sshd for host I, in a private mount
# namespace when /run/sshd (its privilege separation directory) is missing.
start_sshd() {
	d=$TMP/h/$1
	mkdir -p "$d" "$TMP/remote/$1/reports"
	chmod 1777 "$TMP/remote/$1"
	ssh-keygen -q -t ed25519 -N '' -f "$d/hostkey" </dev/null >/dev/null
	{
		echo "ListenAddress 127.$A.$B.$1:$PORT"
		echo "HostKey $d/hostkey"
		echo "PidFile none"
		echo "AuthorizedKeysFile ${AUTHKEYS:-$TMP/pub/authorized_keys}"
		echo "StrictModes no"
		echo "UsePAM no"
		echo "PasswordAuthentication no"
		echo "KbdInteractiveAuthentication no"
		echo "PermitRootLogin prohibit-password"
		echo "MaxStartups 200:30:400"
		echo "MaxSessions 50"
		echo "LogLevel ERROR"
		echo "SetEnv HOME=$TMP/home TMPDIR=$TMP/remote/$1 TENKEN_REPORTS_DIR=$TMP/remote/$1/reports${2:+ $2}"
	} >"$d/sshd_config"
	if [ -d /run/sshd ]; then
		"$SSHD" -D -f "$d/sshd_config" -E "$d/log" &
	else
		unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd &&
			exec "$0" -D -f "$1" -E "$2"' "$SSHD" "$d/sshd_config" "$d/log" &
	fi
	PIDS="$PIDS $!"
	echo "$!" >"$d/pid"
}

# The hosts, their sshd and their ssh_config aliases. The last ten are the
# special ones (numbered from the end so FLEET_HOSTS can shrink the run).
DOWN1=$((N - 9)) DOWN2=$((N - 8)) DOWN3=$((N - 7)) CHANGED=$((N - 6)) UNKNOWN=$((N - 5))
HANG=$((N - 4)) SUDO=$((N - 3)) GARBAGE=$((N - 2)) NOAUTH=$((N - 1))
: >"$TMP/known_hosts"
: >"$TMP/ssh_config"
i=1
while [ $i -le "$N" ]; do
	h=$(name $i)
	case $i in
	$DOWN1 | $DOWN2 | $DOWN3) ;;
	$GARBAGE) start_sshd $i "PATH=$TMP/fakebin:/usr/bin:/bin" ;;
	$NOAUTH) AUTHKEYS=$TMP/pub/none start_sshd $i ;;
	*) start_sshd $i ;;
	esac
	case $i in
	$CHANGED) echo "[127.$A.$B.$i]:$PORT $(cat "$TMP/keys/other.pub" | cut -d' ' -f1,2)" >>"$TMP/known_hosts" ;;
	$UNKNOWN | $DOWN1 | $DOWN2 | $DOWN3) ;;
	*) echo "[127.$A.$B.$i]:$PORT $(cut -d' ' -f1,2 "$TMP/h/$i/hostkey.pub")" >>"$TMP/known_hosts" ;;
	esac
	user=root
	[ $i -eq "$SUDO" ] && user=$FUSER
	cat >>"$TMP/ssh_config" <<EOF
Host $h
	HostName 127.$A.$B.$i
	Port $PORT
	User $user
EOF
	i=$((i + 1))
done
cat >>"$TMP/ssh_config" <<EOF
Host *
	IdentityFile $TMP/keys/id
	IdentitiesOnly yes
	UserKnownHostsFile $TMP/known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	ConnectionAttempts 1
EOF
export TENKEN_SSH_CONFIG=$TMP/ssh_config

# Wait until every started sshd accepts (or give up after 20 s).
up=0
for t in $(seq 1 100); do
	up=$(ss -Htln "( sport = :$PORT )" 2>/dev/null | wc -l)
	[ "$up" -ge $((N - 3)) ] && break
	sleep 0.2
done
if [ "$up" -lt $((N - 3)) ]; then
	fail "e2e fleet: sshd instances" "only $up of $((N - 3)) listen on port $PORT" \
		"$(cat "$TMP"/h/*/log 2>/dev/null | sort | uniq -c | head -5)"
	exit 0
fi
kill -STOP "$(cat "$TMP/h/$HANG/pid")"

# The hosts file: aliases, one user@ form, per-host profiles, comments.
{
	echo "# wards"
	i=1
	while [ $i -le "$N" ]; do
		case $i in
		1) echo "root@$(name $i)   profile=terminal   # user@ form" ;;
		2) echo "$(name $i) profile=server" ;;
		*) echo "$(name $i)" ;;
		esac
		i=$((i + 1))
	done
} >"$TMP/hosts"

want_reason() {
	case $1 in
	$DOWN1 | $DOWN2 | $DOWN3) echo unreachable ;;
	$CHANGED) echo host_key_changed ;;
	$UNKNOWN) echo host_key_unknown ;;
	$HANG) echo timeout ;;
	$SUDO) echo sudo_password ;;
	$GARBAGE) echo not_json ;;
	$NOAUTH) echo auth_failed ;;
	*) echo report ;;
	esac
}

# check_outcomes DIR: one outcome per host, the right one.
check_outcomes() {
	bad=""
	i=1
	while [ $i -le "$N" ]; do
		h=$(name $i)
		f=$h
		[ $i -eq 1 ] && f=root@$h
		want=$(want_reason $i)
		nrep=0 nerr=0
		[ -e "$1/$f.json" ] && nrep=1
		[ -e "$1/$f.error.json" ] && nerr=1
		if [ $((nrep + nerr)) -ne 1 ]; then
			bad="$bad $h:outcomes=$((nrep + nerr))"
		elif [ "$want" = report ]; then
			[ $nrep -eq 1 ] && [ "$(jq -r .format "$1/$f.json")" = tenken-report ] ||
				bad="$bad $h:wanted-report($(jq -r .reason "$1/$f.error.json" 2>/dev/null))"
		else
			got=$(jq -r .reason "$1/$f.error.json" 2>/dev/null)
			[ "$got" = "$want" ] || bad="$bad $h:$got!=$want"
		fi
		i=$((i + 1))
	done
	echo "$bad"
}

no_leftovers() {
	left=$(find "$TMP/remote" -mindepth 2 -maxdepth 2 -name 'tenken-fleet-*' | head -5)
	tmps=$(find "$1" -name '*.tmp.*' | head -5)
	[ -z "$left$tmps" ] || echo "remote: $left local: $tmps"
}

# ---- 100 hosts ----
t0=$(date +%s.%N)
"$TENKEN" fleet --hosts "$TMP/hosts" --out "$TMP/out" --parallel 16 --timeout 30 \
	-- --root "$FIXTURE" >"$TMP/fleet.out" 2>"$TMP/fleet.err"
st=$?
t1=$(date +%s.%N)
echo "INFO e2e fleet: $N hosts in $(echo "$t1 - $t0" | bc 2>/dev/null || awk "BEGIN{print $t1 - $t0}") s" \
	"(tenken fleet --parallel 16 --timeout 30, 2 cores; FLEET_HOSTS=$N sh tests/e2e/fleet.sh)"
[ "$st" -eq 3 ] && pass "e2e fleet: exit 3 when some host gave no report" ||
	fail "e2e fleet: exit 3 when some host gave no report" "exit $st" "$(tail -5 "$TMP/fleet.err")"
bad=$(check_outcomes "$TMP/out")
[ -z "$bad" ] && pass "e2e fleet: $N hosts, each with the right single outcome" ||
	fail "e2e fleet: $N hosts, each with the right single outcome" "$bad" "$(head -c 1500 "$TMP/fleet.out")"
n=$(jq '.hosts | length' "$TMP/out/fleet.json" 2>/dev/null)
[ "$n" = "$N" ] && [ "$(jq -r .format "$TMP/out/fleet.json")" = tenken-fleet-run ] &&
	pass "e2e fleet: fleet.json lists every host" ||
	fail "e2e fleet: fleet.json lists every host" "hosts: $n"
left=$(no_leftovers "$TMP/out")
[ -z "$left" ] && pass "e2e fleet: no temporary file left on any host or in DIR" ||
	fail "e2e fleet: no temporary file left on any host or in DIR" "$left"
modes=$(find "$TMP/out" -type f ! -perm 0600 | head -3)
[ -z "$modes" ] && pass "e2e fleet: outcome files are mode 0600" ||
	fail "e2e fleet: outcome files are mode 0600" "$modes"
expect_grep "e2e fleet: summary table" "hosts without a report|レポートのないホスト" "$TMP/fleet.out"
jq -e '.message.ja and .message.en and .host and (.exit_status == null or (.exit_status|type) == "number")' \
	"$TMP/out/$(name "$CHANGED").error.json" >/dev/null &&
	pass "e2e fleet: error record is bilingual and names the host" ||
	fail "e2e fleet: error record is bilingual and names the host" "$(cat "$TMP/out/$(name "$CHANGED").error.json")"
prof=$(jq -r '.baseline.profile // empty' "$TMP/out/root@$(name 1).json")
[ "$prof" = terminal ] && pass "e2e fleet: per-host profile reaches the scan" ||
	fail "e2e fleet: per-host profile reaches the scan" "profile: $prof"
