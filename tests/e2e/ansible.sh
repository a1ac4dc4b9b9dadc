#!/bin/sh
# The Ansible playbooks (issue 15, item 3) against real sshd instances on
# loopback: each with its own free port, host key and known_hosts line,
# all in $TMP, killed in a trap. The hosts:
#   h1.ward3   --root tests/fixtures/accounts-good   a report
#   h2@ward4   --root tests/fixtures/ssh-bad         a report
#   h3         a port nobody listens on              unreachable
#   h4         --root that does not exist            scan_failed, exit 2
#   h5         a "tenken" that writes no JSON        not_json
#   h6         a host key not in known_hosts         host_key_unknown
# Checks: DIR holds exactly h1.ward3.json, h2@ward4.json, h3..h6
# .error.json and fleet.json, mode 0600; each report equals `tenken scan`
# run here with the same options once times and durations are removed
# (jq); the hosts' temporary directories are gone; fleet.json lists every
# host. Then collect.yml fetches the dated reports the scheduled scan
# (packaging/systemd/scheduled-scan) wrote into DIR/<host>/.
. tests/lib.sh
NOW=2026-11-22T00:00:00Z
SSHD=/usr/sbin/sshd

skip() {
	pass "ansible (skipped: $1)"
	exit 0
}
command -v ansible-playbook >/dev/null || skip "ansible-playbook is missing: sh install-deps.sh --test (ansible-core)"
[ -x "$SSHD" ] && command -v ssh-keygen >/dev/null || skip "sshd and ssh-keygen are needed (openssh-server)"
command -v jq >/dev/null && command -v python3 >/dev/null || skip "jq and python3 are needed"
command -v unshare >/dev/null || skip "unshare is needed"
unshare -m true 2>/dev/null || skip "cannot create a mount namespace for sshd's /run/sshd"

pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	chmod -R u+rwX "$TMP" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

REPO=$(pwd)
TENKEN_ABS=$(cd "$(dirname "$TENKEN")" && pwd)/$(basename "$TENKEN")
chmod 755 "$TMP"
mkdir -p "$TMP/remote" "$TMP/out" "$TMP/local" "$TMP/ansible"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/id" -C tenken-test
cp "$TMP/id.pub" "$TMP/authorized_keys"
: >"$TMP/known_hosts"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_sshd N: an sshd on a free loopback port; its port in $port. sshd
# wants /run/sshd: a private /run in its own mount namespace.
start_sshd() {
	ssh-keygen -q -t ed25519 -N '' -f "$TMP/hostkey$1" -C ''
	for try in 1 2 3 4 5; do
		port=$(free_port)
		cat >"$TMP/sshd$1.conf" <<EOC
Port $port
ListenAddress 127.0.0.1
HostKey $TMP/hostkey$1
PidFile none
AuthorizedKeysFile $TMP/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
EOC
		unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && exec "$0" -D -e -f "$1"' \
			"$SSHD" "$TMP/sshd$1.conf" 2>"$TMP/sshd$1.log" &
		pid=$!
		# Up when it answers with its host key.
		for i in $(seq 1 50); do
			if ssh-keyscan -T 2 -p "$port" -t ed25519 127.0.0.1 >"$TMP/scan$1" 2>/dev/null && [ -s "$TMP/scan$1" ]; then
				pids="$pids $pid"
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill "$pid" 2>/dev/null
	done
	return 1
}
for n in 1 2 4 5 6; do
	start_sshd $n || skip "sshd would not start: $(tail -3 "$TMP/sshd$n.log")"
	eval "port$n=$port"
	[ "$n" -ne 6 ] && cat "$TMP/scan$n" >>"$TMP/known_hosts" # h6's key stays unknown
done
port3=$(free_port) # nobody listens there

# A "tenken" for h5 that exits 0 and writes something that is not JSON.
printf '#!/bin/sh\nwhile [ $# -gt 1 ]; do [ "$1" = --output ] && { echo "not json" >"$2"; exit 0; }; shift; done\nexit 0\n' >"$TMP/fake-tenken"
chmod 755 "$TMP/fake-tenken"

R1=$REPO/tests/fixtures/accounts-good
R2=$REPO/tests/fixtures/ssh-bad
cat >"$TMP/inventory.yml" <<EOF2
all:
  vars:
    ansible_user: root
    ansible_ssh_private_key_file: $TMP/id
    ansible_ssh_common_args: -o UserKnownHostsFile=$TMP/known_hosts -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=10
    ansible_python_interpreter: /usr/bin/python3
    tenken_binary: $TENKEN_ABS
    tenken_remote_tmp: $TMP/remote
  hosts:
    h1.ward3: {ansible_host: 127.0.0.1, ansible_port: $port1, tenken_scan_args: [--root, $R1, --now, "$NOW"]}
    h2@ward4: {ansible_host: 127.0.0.1, ansible_port: $port2, tenken_scan_args: [--root, $R2, --now, "$NOW", --lang, ja]}
    h3: {ansible_host: 127.0.0.1, ansible_port: $port3, tenken_scan_args: [--root, $R1, --now, "$NOW"]}
    h4: {ansible_host: 127.0.0.1, ansible_port: $port4, tenken_scan_args: [--root, $TMP/no-such-root, --now, "$NOW"]}
    h5: {ansible_host: 127.0.0.1, ansible_port: $port5, tenken_binary: $TMP/fake-tenken}
    h6: {ansible_host: 127.0.0.1, ansible_port: $port6, tenken_scan_args: [--root, $R1, --now, "$NOW"]}
EOF2

# Ansible keeps its own files in $TMP, not in ~/.ansible.
export ANSIBLE_HOME="$TMP/ansible" ANSIBLE_LOCAL_TEMP="$TMP/ansible/tmp" ANSIBLE_REMOTE_TEMP="$TMP/ansible/rtmp"
export ANSIBLE_SSH_CONTROL_PATH_DIR="$TMP/ansible/cp" ANSIBLE_RETRY_FILES_ENABLED=false ANSIBLE_NOCOLOR=1
export ANSIBLE_CONFIG="$TMP/ansible/none.cfg" ANSIBLE_FORCE_COLOR=0 ANSIBLE_TIMEOUT=20
# Fewer round trips per task, every host at once: the machine is shared.
export ANSIBLE_PIPELINING=True ANSIBLE_FORKS=10
: >"$ANSIBLE_CONFIG"

ansible-playbook -i "$TMP/inventory.yml" packaging/ansible/scan.yml -e tenken_out="$TMP/out" >"$TMP/play.log" 2>&1
rc=$?
if grep -q 'PLAY RECAP' "$TMP/play.log"; then
	pass "ansible: scan.yml ran (ansible-playbook exit $rc)"
else
	fail "ansible: scan.yml did not run" "$(tail -30 "$TMP/play.log")"
	exit 0
fi

# ---- the directory ----
(cd "$TMP/out" && ls -A | sort) >"$TMP/names"
printf '%s\n' fleet.json h1.ward3.json h2@ward4.json h3.error.json h4.error.json h5.error.json h6.error.json | sort >"$TMP/names.want"
if cmp -s "$TMP/names" "$TMP/names.want"; then
	pass "ansible: DIR holds one file per host and fleet.json, nothing else"
else
	fail "ansible: DIR's files" "$(diff "$TMP/names.want" "$TMP/names")" "$(grep -E 'fatal|FAILED|ERROR' "$TMP/play.log" | head -10)"
fi
modes=$(cd "$TMP/out" && stat -c '%a %n' * | grep -v '^600 ')
if [ -z "$modes" ] && [ "$(stat -c %a "$TMP/out")" = 700 ]; then pass "ansible: every file 0600, DIR 0700"; else fail "ansible: modes" "$modes" "DIR $(stat -c %a "$TMP/out")"; fi

# ---- each report equals the binary's own scan with the same options ----
norm() { jq -S 'del(.scan.started_at, .scan.finished_at, .scan.duration_ms, .provenance.command_line)
	| if .scan.probes then .scan.probes |= map(del(.duration_ms)) else . end' "$1"; }
check_same() { # NAME ARGS...
	name=$1
	shift
	"$TENKEN" scan --format json --output "$TMP/local/$name.json" "$@" 2>/dev/null
	if [ ! -f "$TMP/out/$name.json" ]; then
		fail "ansible: $name: no report" "$(grep -A3 "$name" "$TMP/play.log" | grep -E 'fatal|msg' | head -5)"
		return
	fi
	norm "$TMP/local/$name.json" >"$TMP/local/$name.norm"
	norm "$TMP/out/$name.json" >"$TMP/out.$name.norm"
	if cmp -s "$TMP/local/$name.norm" "$TMP/out.$name.norm" && [ -s "$TMP/out.$name.norm" ]; then
		pass "ansible: $name's report equals tenken scan $* run here ($(jq '.findings | length' "$TMP/out/$name.json") findings)"
	else
		fail "ansible: $name's report differs from the local scan" "$(diff "$TMP/local/$name.norm" "$TMP/out.$name.norm" | head -20)"
	fi
}
check_same h1.ward3 --root "$R1" --now "$NOW"
check_same h2@ward4 --root "$R2" --now "$NOW" --lang ja

# ---- errors ----
check_error() { # FILE REASON EXIT
	f=$TMP/out/$1
	if jq -e --arg r "$2" --arg h "${1%.error.json}" '.format == "tenken-fleet-error" and .format_version == 1
		and .reason == $r and .host == $h and (.message.ja | length > 0) and (.message.en | length > 0)
		and (.at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))' "$f" >/dev/null 2>&1 &&
		[ "$(jq -c .exit_status "$f")" = "$3" ]; then
		pass "ansible: $1: reason $2, exit_status $3 ($(jq -r .message.en "$f" | head -c 100))"
	else
		fail "ansible: $1 is not reason $2 / exit_status $3" "$(head -c 800 "$f" 2>&1)"
	fi
}
check_error h3.error.json unreachable null
check_error h4.error.json scan_failed 2
check_error h5.error.json not_json null
check_error h6.error.json host_key_unknown null

# ---- the run ----
want='[{"host":"h1.ward3","outcome":"report","file":"h1.ward3.json","reason":null,"answers_failed":A1},{"host":"h2@ward4","outcome":"report","file":"h2@ward4.json","reason":null,"answers_failed":A2},{"host":"h3","outcome":"error","file":"h3.error.json","reason":"unreachable","answers_failed":null},{"host":"h4","outcome":"error","file":"h4.error.json","reason":"scan_failed","answers_failed":null},{"host":"h5","outcome":"error","file":"h5.error.json","reason":"not_json","answers_failed":null},{"host":"h6","outcome":"error","file":"h6.error.json","reason":"host_key_unknown","answers_failed":null}]'
a1=$(jq '[.checklist[] | select(.answer == "no")] | length > 0' "$TMP/local/h1.ward3.json" 2>/dev/null)
a2=$(jq '[.checklist[] | select(.answer == "no")] | length > 0' "$TMP/local/h2@ward4.json" 2>/dev/null)
want=$(printf '%s' "$want" | sed "s/A1/$a1/; s/A2/$a2/" | jq -cS .)
got=$(jq -cS '.hosts' "$TMP/out/fleet.json" 2>/dev/null)
if [ "$got" = "$want" ] && jq -e '.format == "tenken-fleet-run" and .format_version == 1 and (.started_at <= .finished_at)' "$TMP/out/fleet.json" >/dev/null; then
	pass "ansible: fleet.json lists every host with its outcome (answers_failed: $a1, $a2)"
else
	fail "ansible: fleet.json" "want $want" "got  $got"
fi

# ---- the hosts' temporary directories ----
if [ -z "$(ls -A "$TMP/remote")" ]; then
	pass "ansible: the hosts' temporary directories are removed"
else
	fail "ansible: temporary directories left on the hosts" "$(ls -A "$TMP/remote")"
fi

# ---- tenken fleet over the same hosts gives the same DIR ----
# Issue 15: the playbook and tenken fleet produce equivalent DIR contents.
# The same sshd, keys and known_hosts, reached through an ssh_config.
{
	for h in "h1.ward3 $port1" "h3 $port3" "h6 $port6"; do
		set -- $h
		printf 'Host %s\n  HostName 127.0.0.1\n  Port %s\n' "$1" "$2"
	done
	printf 'Host *\n  User root\n  IdentityFile %s\n  IdentitiesOnly yes\n' "$TMP/id"
	printf '  UserKnownHostsFile %s\n  GlobalKnownHostsFile /dev/null\n' "$TMP/known_hosts"
	printf '  StrictHostKeyChecking yes\n  ConnectTimeout 10\n'
} >"$TMP/ssh_config"
printf 'h1.ward3\nh3\nh6\n' >"$TMP/fleet-hosts"
TENKEN_SSH_CONFIG=$TMP/ssh_config "$TENKEN_ABS" fleet --hosts "$TMP/fleet-hosts" --out "$TMP/fout" \
	--parallel 3 --timeout 120 -- --root "$R1" --now "$NOW" >"$TMP/fleet.log" 2>&1
(cd "$TMP/fout" 2>/dev/null && ls -A | sort) >"$TMP/fnames"
printf '%s\n' fleet.json h1.ward3.json h3.error.json h6.error.json >"$TMP/fnames.want"
same=""
for f in h3.error.json h6.error.json; do
	[ "$(jq -r .reason "$TMP/fout/$f" 2>/dev/null)" = "$(jq -r .reason "$TMP/out/$f")" ] || same="$same $f"
done
norm "$TMP/fout/h1.ward3.json" 2>/dev/null >"$TMP/fleet.h1.norm"
fl=$(jq -cS '[.hosts[] | {host, outcome, file, reason, answers_failed}] | sort_by(.host)' "$TMP/fout/fleet.json" 2>/dev/null)
an=$(jq -cS '[.hosts[] | select(.host == "h1.ward3" or .host == "h3" or .host == "h6")
	| {host, outcome, file, reason, answers_failed}] | sort_by(.host)' "$TMP/out/fleet.json")
if cmp -s "$TMP/fnames" "$TMP/fnames.want" && [ -z "$same" ] && [ "$fl" = "$an" ] &&
	cmp -s "$TMP/fleet.h1.norm" "$TMP/out.h1.ward3.norm"; then
	pass "ansible: tenken fleet over the same hosts writes the same files, reasons, runs and report"
else
	fail "ansible: tenken fleet and the playbook differ" "names: $(diff "$TMP/fnames.want" "$TMP/fnames" | tr '\n' ' ')" \
		"reasons differ:$same" "fleet: $fl" "playbook: $an" \
		"$(diff "$TMP/out.h1.ward3.norm" "$TMP/fleet.h1.norm" | head -10)" "$(tail -15 "$TMP/fleet.log")"
fi

# ---- a second run: a host that now answers loses its old error ----
sed -i "s|h4: {ansible_host: 127.0.0.1, ansible_port: $port4, tenken_scan_args: \[--root, $TMP/no-such-root|h4: {ansible_host: 127.0.0.1, ansible_port: $port4, tenken_scan_args: [--root, $R1|" "$TMP/inventory.yml"
ansible-playbook -i "$TMP/inventory.yml" packaging/ansible/scan.yml -e tenken_out="$TMP/out" -e tenken_hosts=h4 >"$TMP/play2.log" 2>&1
if [ -f "$TMP/out/h4.json" ] && [ ! -e "$TMP/out/h4.error.json" ] &&
	[ "$(jq -c '[.hosts[] | .host + ":" + .outcome]' "$TMP/out/fleet.json")" = '["h4:report"]' ]; then
	pass "ansible: a host that answers on a later run has its report, its old error removed"
else
	fail "ansible: rerun of h4" "$(ls "$TMP/out")" "$(tail -20 "$TMP/play2.log")"
fi

# ---- collect.yml: the scheduled scan's dated reports ----
for h in 1 2; do
	d=$TMP/reports$h
	TENKEN=$TENKEN_ABS TENKEN_REPORTS=$d TENKEN_BASELINE=$TMP/none TENKEN_ARGS="--root $R1 --now $NOW" \
		sh packaging/systemd/scheduled-scan >/dev/null 2>&1
	printf '{}\n' >"$d/tenken-20261101T000000Z.json"
	printf 'sig\n' >"$d/tenken-20261101T000000Z.json.sig"
	printf 'x\n' >"$d/notes.txt"
done
sed -i "s|^\(    h1.ward3: {\)|\1tenken_reports_dir: $TMP/reports1, |; s|^\(    h2@ward4: {\)|\1tenken_reports_dir: $TMP/reports2, |" "$TMP/inventory.yml"
ansible-playbook -i "$TMP/inventory.yml" packaging/ansible/collect.yml -e tenken_out="$TMP/coll" -e tenken_hosts='h1.ward3:h2@ward4:h3' >"$TMP/coll.log" 2>&1
ok=yes
for h in 1 2; do
	name=$(sed -n "${h}p" <<EOF3
h1.ward3
h2@ward4
EOF3
)
	(cd "$TMP/reports$h" && ls | grep '^tenken-.*Z\.json\(\.sig\)\?$' | sort) >"$TMP/c.want"
	(cd "$TMP/coll/$name" 2>/dev/null && ls -A | sort) >"$TMP/c.got"
	if ! cmp -s "$TMP/c.want" "$TMP/c.got" || [ "$(wc -l <"$TMP/c.want")" -ne 3 ]; then
		ok=no
		fail "ansible: collect.yml: $name's files" "$(diff "$TMP/c.want" "$TMP/c.got")" "$(tail -20 "$TMP/coll.log")"
		continue
	fi
	for f in $(cat "$TMP/c.want"); do
		cmp -s "$TMP/reports$h/$f" "$TMP/coll/$name/$f" || { ok=no; fail "ansible: collect.yml: $name/$f differs"; }
		[ "$(stat -c %a "$TMP/coll/$name/$f")" = 600 ] || { ok=no; fail "ansible: collect.yml: $name/$f mode $(stat -c %a "$TMP/coll/$name/$f")"; }
	done
done
[ $ok = yes ] && pass "ansible: collect.yml fetched each host's dated reports and signatures into DIR/<host>/, 0600, byte for byte"
if grep -q 'h3.*unreachable=1\|h3 *: .*unreachable=1' "$TMP/coll.log" && [ ! -e "$TMP/coll/h3" ]; then
	pass "ansible: collect.yml: a host down is reported unreachable and gets no directory"
else
	fail "ansible: collect.yml: the host down" "$(grep -A10 'PLAY RECAP' "$TMP/coll.log")" "$(ls "$TMP/coll")"
fi
# Again: nothing new to fetch, nothing changed.
ansible-playbook -i "$TMP/inventory.yml" packaging/ansible/collect.yml -e tenken_out="$TMP/coll" -e tenken_hosts='h1.ward3:h2@ward4' >"$TMP/coll2.log" 2>&1
if grep -Eq 'h1\.ward3 +: ok=[0-9]+ +changed=0 ' "$TMP/coll2.log" && grep -Eq 'h2@ward4 +: ok=[0-9]+ +changed=0 ' "$TMP/coll2.log"; then
	pass "ansible: collect.yml run again fetches nothing already collected"
else
	fail "ansible: collect.yml second run changed something" "$(grep -A5 'PLAY RECAP' "$TMP/coll2.log")"
fi
