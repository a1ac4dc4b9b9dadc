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
[ "$N" -ge 14 ] || N=14 # the special hosts, and a few ordinary ones

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
trap 'exit 130' INT TERM HUP PIPE

chmod 711 "$TMP"
# The collector sends its own binary to the hosts. A packaged tenken is
# stripped (dh_strip), so the test runs and sends a stripped copy when
# strip(1) is there: the same code, a third of the bytes of a -g build.
{ command -v strip >/dev/null && strip -o "$TMP/tenken" "$TENKEN"; } ||
	cp "$TENKEN" "$TMP/tenken"
TENKEN=$TMP/tenken
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
	"$DOWN1" | "$DOWN2" | "$DOWN3") ;;
	"$GARBAGE") start_sshd $i "PATH=$TMP/fakebin:/usr/bin:/bin" ;;
	"$NOAUTH") AUTHKEYS=$TMP/pub/none start_sshd $i ;;
	*) start_sshd $i ;;
	esac
	case $i in
	"$CHANGED") echo "[127.$A.$B.$i]:$PORT $(cut -d' ' -f1,2 "$TMP/keys/other.pub")" >>"$TMP/known_hosts" ;;
	"$UNKNOWN" | "$DOWN1" | "$DOWN2" | "$DOWN3") ;;
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
	"$DOWN1" | "$DOWN2" | "$DOWN3") echo unreachable ;;
	"$CHANGED") echo host_key_changed ;;
	"$UNKNOWN") echo host_key_unknown ;;
	"$HANG") echo timeout ;;
	"$SUDO") echo sudo_password ;;
	"$GARBAGE") echo not_json ;;
	"$NOAUTH") echo auth_failed ;;
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

# hosts_cpu: CPU seconds the sshd instances' children used so far (every
# session, shell and remote tenken is reaped by its listener).
hosts_cpu() {
	for p in $PIDS; do
		[ -r "/proc/$p/stat" ] && sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f14,15
	done | awk -v hz="$(getconf CLK_TCK)" '{s += $1 + $2} END {printf "%.1f", s / hz}'
}

# ---- 100 hosts ----
c0=$(hosts_cpu)
t0=$(date +%s.%N)
TIME=
[ -x /usr/bin/time ] && TIME="/usr/bin/time -f %U_%S -o $TMP/time"
echo 0_0 >"$TMP/time"
$TIME "$TENKEN" fleet --hosts "$TMP/hosts" --out "$TMP/o100" --parallel 16 --timeout 30 \
	-- --root "$FIXTURE" >"$TMP/fleet.out" 2>"$TMP/fleet.err"
st=$?
t1=$(date +%s.%N)
c1=$(hosts_cpu)
echo "INFO e2e fleet: $N hosts in $(awk "BEGIN{printf \"%.1f\", $t1 - $t0}") s wall;" \
	"CPU: collector and its ssh $(tail -1 "$TMP/time" | awk -F_ '{printf "%.1f", $1 + $2}') s," \
	"hosts (sshd, shells, remote tenken) $(awk "BEGIN{printf \"%.1f\", $c1 - $c0}") s;" \
	"load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores;" \
	"binary sent $(wc -c <"$TENKEN") bytes" \
	"(FLEET_HOSTS=$N sh tests/e2e/fleet.sh: tenken fleet --parallel 16 --timeout 30)"
[ "$st" -eq 3 ] && pass "e2e fleet: exit 3 when some host gave no report" ||
	fail "e2e fleet: exit 3 when some host gave no report" "exit $st" "$(tail -5 "$TMP/fleet.err")"
bad=$(check_outcomes "$TMP/o100")
[ -z "$bad" ] && pass "e2e fleet: $N hosts, each with the right single outcome" ||
	fail "e2e fleet: $N hosts, each with the right single outcome" "$bad" "$(head -c 1500 "$TMP/fleet.out")"
n=$(jq '.hosts | length' "$TMP/o100/fleet.json" 2>/dev/null)
[ "$n" = "$N" ] && [ "$(jq -r .format "$TMP/o100/fleet.json")" = tenken-fleet-run ] &&
	pass "e2e fleet: fleet.json lists every host" ||
	fail "e2e fleet: fleet.json lists every host" "hosts: $n"
left=$(no_leftovers "$TMP/o100")
[ -z "$left" ] && pass "e2e fleet: no temporary file left on any host or in DIR" ||
	fail "e2e fleet: no temporary file left on any host or in DIR" "$left"
modes=$(find "$TMP/o100" -type f ! -perm 0600 | head -3)
[ -z "$modes" ] && pass "e2e fleet: outcome files are mode 0600" ||
	fail "e2e fleet: outcome files are mode 0600" "$modes"
expect_grep "e2e fleet: summary table" "hosts without a report|レポートのないホスト" "$TMP/fleet.out"
jq -e '.message.ja and .message.en and .host and (.exit_status == null or (.exit_status|type) == "number")' \
	"$TMP/o100/$(name "$CHANGED").error.json" >/dev/null &&
	pass "e2e fleet: error record is bilingual and names the host" ||
	fail "e2e fleet: error record is bilingual and names the host" "$(cat "$TMP/o100/$(name "$CHANGED").error.json")"
prof=$(jq -r '.baseline.profile // empty' "$TMP/o100/root@$(name 1).json")
[ "$prof" = terminal ] && pass "e2e fleet: per-host profile reaches the scan" ||
	fail "e2e fleet: per-host profile reaches the scan" "profile: $prof"

# ---- a bad hosts file: file:line:col, exit 2, nobody contacted ----
printf 'h001\n-oProxyCommand=x\n' >"$TMP/bad-hosts"
expect_status "e2e fleet: bad hosts file is exit 2" 2 \
	"$TENKEN" fleet --hosts "$TMP/bad-hosts" --out "$TMP/bad-out"
expect_grep "e2e fleet: bad hosts file names file:line:col" "bad-hosts:2:1: " "$TMP/err"
[ ! -e "$TMP/bad-out/h001.json" ] && [ ! -e "$TMP/bad-out/h001.error.json" ] &&
	pass "e2e fleet: bad hosts file contacts no host" ||
	fail "e2e fleet: bad hosts file contacts no host"

# ---- Ctrl-C in the middle, then --resume ----
: >"$TMP/good-hosts"
i=2
while [ $i -le 25 ] && [ $i -lt "$DOWN1" ]; do name $i >>"$TMP/good-hosts"; echo >>"$TMP/good-hosts"; i=$((i + 1)); done
NGOOD=$(grep -c . "$TMP/good-hosts")
# The hanging host last: however fast the others are, the run is still at
# work when Ctrl-C comes. --resume below is given the good hosts only.
{ cat "$TMP/good-hosts"; name "$HANG"; echo; } >"$TMP/int-hosts"
"$TENKEN" fleet --hosts "$TMP/int-hosts" --out "$TMP/int" --parallel 4 --timeout 120 \
	-- --root "$FIXTURE" >"$TMP/int.out" 2>"$TMP/int.err" &
FP=$!
for t in $(seq 1 600); do
	[ "$(find "$TMP/int" -maxdepth 1 -name 'h*.json' ! -name '*.error.json' 2>/dev/null | wc -l)" -ge 2 ] && break
	sleep 0.1
done
kill -INT $FP
wait $FP
st=$?
[ "$st" -eq 130 ] && pass "e2e fleet: Ctrl-C is exit 130" || fail "e2e fleet: Ctrl-C is exit 130" "exit $st" "$(tail -3 "$TMP/int.err")"
bad=""
nint=0
for h in $(grep . "$TMP/int-hosts"); do
	if [ -e "$TMP/int/$h.json" ] && [ ! -e "$TMP/int/$h.error.json" ]; then
		jq -e '.format == "tenken-report"' "$TMP/int/$h.json" >/dev/null || bad="$bad $h:invalid"
	elif [ -e "$TMP/int/$h.error.json" ] && [ ! -e "$TMP/int/$h.json" ]; then
		r=$(jq -r .reason "$TMP/int/$h.error.json")
		[ "$r" = interrupted ] && nint=$((nint + 1)) || bad="$bad $h:$r"
	else
		bad="$bad $h:no-single-outcome"
	fi
done
[ -z "$bad" ] && [ "$nint" -gt 0 ] && pass "e2e fleet: after Ctrl-C every host has a report or 'interrupted' ($nint)" ||
	fail "e2e fleet: after Ctrl-C every host has a report or 'interrupted' ($nint)" "$bad"
left=$(no_leftovers "$TMP/int")
[ -z "$left" ] && pass "e2e fleet: after Ctrl-C no binary on any host, no half-written report" ||
	fail "e2e fleet: after Ctrl-C no binary on any host, no half-written report" "$left"
[ "$(jq '.hosts | length' "$TMP/int/fleet.json" 2>/dev/null)" = "$((NGOOD + 1))" ] &&
	pass "e2e fleet: after Ctrl-C fleet.json lists every host" ||
	fail "e2e fleet: after Ctrl-C fleet.json lists every host" "$(head -c 300 "$TMP/int/fleet.json")"
before=$(ls -i "$TMP/int" | grep -v error | sort)
"$TENKEN" fleet --hosts "$TMP/good-hosts" --out "$TMP/int" --parallel 8 --timeout 120 --resume \
	-- --root "$FIXTURE" >"$TMP/res.out" 2>"$TMP/res.err"
st=$?
nrep=$(jq '[.hosts[] | select(.outcome == "report")] | length' "$TMP/int/fleet.json")
kept=$(echo "$before" | while read -r ino f; do
	case $f in h*.json) [ "$(ls -i "$TMP/int/$f" 2>/dev/null | cut -d' ' -f1)" = "$ino" ] || echo "$f" ;; esac
done)
[ "$st" -le 1 ] && [ "$nrep" = "$NGOOD" ] && [ -z "$kept" ] &&
	pass "e2e fleet: --resume finishes the run and keeps the reports already there" ||
	fail "e2e fleet: --resume finishes the run and keeps the reports already there" \
		"exit $st, reports $nrep of $NGOOD, rewritten: $kept" "$(tail -5 "$TMP/res.out")"

# ---- scheduled reports: scan --output-dir --keep, then fleet --collect ----
R2=$TMP/remote/2/reports R3=$TMP/remote/3/reports
for k in 1 2 3; do
	"$TENKEN" scan --root "$FIXTURE" --output-dir "$R2" --keep 2 >/dev/null 2>&1
	sleep 1
done
n2=$(ls "$R2" | grep -c '^tenken-.*Z\.json$')
[ "$n2" -eq 2 ] && pass "e2e fleet: scan --output-dir --keep 2 keeps the newest 2" ||
	fail "e2e fleet: scan --output-dir --keep 2 keeps the newest 2" "$(ls -l "$R2")"
newest=$(ls "$R2" | sort | tail -1)
echo "not a signature, but bytes" >"$R2/$newest.sig"
echo "garbage" >"$R3/tenken-20260101T000000Z.json"
printf '%s\n%s\n%s\n' "$(name 2)" "$(name 3)" "$(name "$NOAUTH")" >"$TMP/collect-hosts"
"$TENKEN" fleet --collect --hosts "$TMP/collect-hosts" --out "$TMP/col" >"$TMP/col.out" 2>"$TMP/col.err"
st=$?
got=$(ls "$TMP/col/$(name 2)" 2>/dev/null | tr '\n' ' ')
want=$(ls "$R2" | tr '\n' ' ')
[ "$st" -eq 3 ] && [ "$got" = "$want" ] &&
	[ "$(jq -r .reason "$TMP/col/$(name 3).error.json")" = not_json ] &&
	[ "$(jq -r .reason "$TMP/col/$(name "$NOAUTH").error.json")" = auth_failed ] &&
	pass "e2e fleet: --collect pulls the dated reports, refuses an invalid one" ||
	fail "e2e fleet: --collect pulls the dated reports, refuses an invalid one" \
		"exit $st; got '$got', want '$want'" "$(cat "$TMP/col.out")"
ino=$(ls -i "$TMP/col/$(name 2)/$newest" | cut -d' ' -f1)
"$TENKEN" scan --root "$FIXTURE" --output-dir "$R2" --keep 30 >/dev/null 2>&1
"$TENKEN" fleet --collect --hosts "$TMP/collect-hosts" --out "$TMP/col" >"$TMP/col.out" 2>"$TMP/col.err"
n=$(ls "$TMP/col/$(name 2)" | grep -c 'Z\.json$')
ino2=$(ls -i "$TMP/col/$(name 2)/$newest" | cut -d' ' -f1)
last=$(jq -r '.hosts[] | select(.host == "'"$(name 2)"'") | .file' "$TMP/col/fleet.json")
[ "$n" -eq 3 ] && [ "$ino" = "$ino2" ] && [ "$last" = "$(name 2)/$(ls "$R2" | grep 'Z\.json$' | sort | tail -1)" ] &&
	pass "e2e fleet: a second --collect pulls only what is new" ||
	fail "e2e fleet: a second --collect pulls only what is new" "reports $n, inode $ino/$ino2, file $last"

# ---- progress on a terminal (script(1) gives fleet a tty), none otherwise ----
if command -v script >/dev/null; then
	printf '%s\n%s\n' "$(name 2)" "$(name "$N")" >"$TMP/tty-hosts"
	script -qec "'$TENKEN' fleet --hosts '$TMP/tty-hosts' --out '$TMP/tty' -- --root '$FIXTURE'" \
		/dev/null >"$TMP/tty.out" 2>&1 </dev/null
	expect_grep "e2e fleet: progress on a terminal" "done 2/2 +failed 0 +running 0 +elapsed" "$TMP/tty.out"
	expect_no_grep "e2e fleet: no progress when stderr is not a terminal" "running [0-9]" "$TMP/fleet.err"
fi

# ---- an Ansible INI inventory, read as ansible-inventory reads it ----
# tenken fleet runs a stand-in ssh that records its argv and refuses; the
# user, port and address each host is reached at must be what
# ansible-inventory --list says for it.
if command -v ansible-inventory >/dev/null; then
	INV=tests/e2e/fleet/inventory.ini
	cat >"$TMP/fake-ssh" <<'SH'
#!/bin/sh
u=- p=- t=
while [ $# -gt 0 ]; do
	case $1 in
	-l) u=$2; shift ;;
	-p) p=$2; shift ;;
	-o | -F) shift ;;
	--) t=$2; break ;;
	esac
	shift
done
echo "$t $u $p" >>"$FAKE_SSH_LOG"
echo "ssh: connect to host $t port 22: Connection refused" >&2
exit 255
SH
	chmod 755 "$TMP/fake-ssh"
	FAKE_SSH_LOG=$TMP/fake.log TENKEN_SSH=$TMP/fake-ssh TENKEN_SSH_CONFIG= \
		"$TENKEN" fleet --hosts "$INV" --out "$TMP/inv" >/dev/null 2>&1
	ANSIBLE_LOCALHOST_WARNING=false ansible-inventory -i "$INV" --list 2>/dev/null |
		jq -r '._meta.hostvars as $v | [.. | objects | .hosts? // empty | .[]] | unique | .[] |
			"\($v[.].ansible_host // $v[.].ansible_ssh_host // .) \($v[.].ansible_user //
			$v[.].ansible_ssh_user // "-") \($v[.].ansible_port // $v[.].ansible_ssh_port // "-")"' |
		sort >"$TMP/ansible.txt"
	sort "$TMP/fake.log" >"$TMP/ours.txt"
	n=$(wc -l <"$TMP/ansible.txt")
	if [ "$n" -gt 0 ] && diff "$TMP/ansible.txt" "$TMP/ours.txt" >"$TMP/inv.diff"; then
		pass "e2e fleet: Ansible INI inventory reached as ansible-inventory lists it ($n hosts)"
	else
		fail "e2e fleet: Ansible INI inventory reached as ansible-inventory lists it ($n hosts)" "$(cat "$TMP/inv.diff")"
	fi
else
	pass "e2e fleet: Ansible INI inventory (skipped: needs ansible-inventory)"
fi
