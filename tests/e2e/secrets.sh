#!/bin/sh
# End-to-end: no secret planted in a command line, argv[0], the
# environment or a cron entry reaches any output. Real processes are
# started with 25 planted secrets (argv[0] rewritten with `exec -a`,
# curl -u and -H, URLs with a token or a password, mount -o password=,
# ldapsearch -w, smbclient -U user%pass, openssl -k and -pass pass:, psql
# connection strings, mysql -p, --password=, --token, NAME=VALUE,
# sshpass -p, redis-cli -a, a random-looking token, and processes run from
# /tmp, which rules flag and show); the live host is scanned in every
# format, as inventory and as a captured baseline, in the default
# (minimal) view and with --full-cmdline; a fixture root with the same
# secrets in crontabs and desktop autostart entries likewise. Each output
# and stderr is searched for every secret.
. tests/lib.sh

if ! command -v bash >/dev/null; then
	fail "e2e secrets" "bash is needed (exec -a)"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
NOW=2026-11-22T09:00:00+09:00

# Each secret is unique and appears nowhere else: zqSEC<nn>x.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nsleep 120\nexit 0\n' >"$TMP/bin/prog"
chmod 755 "$TMP/bin/prog"
for p in curl mount ldapsearch smbclient openssl psql mysql app sshpass redis-cli wget; do
	ln -s prog "$TMP/bin/$p"
done
cp "$(command -v sleep)" "$TMP/sleepx" # an executable in /tmp: flagged
cp "$(command -v sh)" "$TMP/shx"

pids=""
start() {
	"$@" >/dev/null 2>&1 &
	pids="$pids $!"
}
B_=$TMP/bin
start bash -c 'exec -a zqSEC01x sleep 120'
start bash -c 'exec -a "curl -u bob:zqSEC02x https://h/" sleep 120'
start "$B_/curl" -sS -u alice:zqSEC03x https://h.example/
start "$B_/curl" -H "Authorization: Bearer zqSEC04x" https://h.example/
start "$B_/curl" https://zqSEC05x@api.example.com/v1
start "$B_/curl" https://user:zqSEC06x@h.example/
start "$B_/mount" -o rw,username=u,password=zqSEC07x //srv/x /mnt
start "$B_/ldapsearch" -x -D cn=admin -w zqSEC08x
start "$B_/smbclient" -U bob%zqSEC09x //srv/share
start "$B_/openssl" enc -aes256 -k zqSEC10x
start "$B_/openssl" enc -aes256 -pass pass:zqSEC11x
start "$B_/psql" "host=db user=u password=zqSEC12x dbname=x"
start "$B_/mysql" -u root -pzqSEC13x db
start "$B_/mysql" -u root -p zqSEC14x db
start "$B_/app" --password=zqSEC15x --verbose
start "$B_/app" --token zqSEC16x
start "$B_/app" DB_PASS=zqSEC17x
start "$B_/app" -H "X-Api-Key: zqSEC18x"
start "$B_/sshpass" -p zqSEC19x ssh host
start "$B_/redis-cli" -a zqSEC20x ping
start "$B_/app" ghp_zqSEC21xA1b2C3d4E5f6G7h8
start "$B_/wget" --http-password=zqSEC22x https://h/
start "$B_/app" "postgresql://u:zqSEC23x@db/x"
start bash -c "exec -a zqSEC24x '$TMP/sleepx' 120"
start env API_TOKEN=zqSEC25x "$TMP/shx" -c 'sleep 120; :' app --password zqSEC26x
start bash -c "exec -a '-p zqSEC33x' '$TMP/sleepx' 120"
start bash -c "exec -a -bash bash -c 'sleep 120; :'" # a login shell: shown, not masked
trap 'kill $pids 2>/dev/null; chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
NSEC=27
sleep 1

# A fixture root with the same kinds of secrets in cron and autostart.
ROOT=$TMP/root
cp -a tests/fixtures/services-bad/. "$ROOT/"
mkdir -p "$ROOT/etc/cron.d" "$ROOT/etc/xdg/autostart"
cat >"$ROOT/etc/cron.d/backup" <<'EOF'
*/5 * * * * root curl -u "alice:zqSEC27x" -H "Authorization: Bearer zqSEC28x" https://h/ >/dev/null 2>&1
0 3 * * * root /tmp/.b --password zqSEC29x 'https://zqSEC30x@h.example/'
0 4 * * * root mysqldump -pzqSEC31x db | gzip >/var/backups/db.gz
EOF
printf '[Desktop Entry]\nType=Application\nExec=/tmp/sync --token=zqSEC32x\n' \
	>"$ROOT/etc/xdg/autostart/sync.desktop"
NALL=33

outdir=$TMP/out
mkdir -p "$outdir"
for view in minimal full; do
	opt=
	[ $view = full ] && opt=--full-cmdline
	for f in json text html csv; do
		"$TENKEN" scan $opt --format $f --output "$outdir/live.$view.$f" 2>>"$outdir/stderr"
		"$TENKEN" scan $opt --root "$ROOT" --now $NOW --format $f \
			--output "$outdir/root.$view.$f" 2>>"$outdir/stderr"
	done
	"$TENKEN" inventory $opt --output "$outdir/inv.$view.json" 2>>"$outdir/stderr"
	"$TENKEN" inventory $opt --root "$ROOT" --now $NOW --output "$outdir/rinv.$view.json" \
		2>>"$outdir/stderr"
	"$TENKEN" report --format text "$outdir/live.$view.json" >"$outdir/report.$view.txt" \
		2>>"$outdir/stderr"
done
"$TENKEN" baseline init --output "$outdir/baseline.json" 2>>"$outdir/stderr"
"$TENKEN" baseline init --root "$ROOT" --output "$outdir/rbaseline.json" 2>>"$outdir/stderr"

# The processes were seen (else the test would prove nothing).
if jq -e '[.inventory.processes[] | select(.comm == "curl" or .comm == "sleepx")] | length >= 5' \
	"$outdir/inv.minimal.json" >/dev/null; then
	pass "the planted processes are in the inventory"
else
	fail "the planted processes are in the inventory"
fi
if grep -q 'sleepx' "$outdir/live.minimal.text"; then
	pass "the /tmp process is flagged in the text report"
else
	fail "the /tmp process is flagged in the text report"
fi
if jq -e '[.inventory.processes[] | select(.cmdline == "-bash -c ********" and .login_shell)] | length >= 1' \
	"$outdir/inv.minimal.json" >/dev/null; then
	pass "a login shell's -bash is shown and flagged"
else
	fail "a login shell's -bash is shown and flagged" \
		"$(jq -c '[.inventory.processes[] | select(.comm == "bash")]' "$outdir/inv.minimal.json")"
fi
if jq -e '[.inventory.autostart[] | select(.command != null and (.command | test("/tmp/")))] | length >= 2' \
	"$outdir/rinv.minimal.json" >/dev/null; then
	pass "the planted cron lines are read"
else
	fail "the planted cron lines are read"
fi

n=1
leaks=0
while [ $n -le $NALL ]; do
	s=$(printf 'zqSEC%02dx' $n)
	hits=$(grep -l -- "$s" "$outdir"/* 2>/dev/null | tr '\n' ' ')
	if [ -n "$hits" ]; then
		fail "secret $n ($s) in no output" "found in: $hits" \
			"$(grep -h -o -- ".\{0,60\}$s.\{0,20\}" "$outdir"/* | head -3)"
		leaks=$((leaks + 1))
	else
		pass "secret $n in no output"
	fi
	n=$((n + 1))
done
echo "secrets planted: $NALL ($NSEC in live processes), found in outputs: $leaks"
