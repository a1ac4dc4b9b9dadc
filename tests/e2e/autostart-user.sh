#!/bin/sh
# End-to-end check of the autostart inventory's systemd user units, anacron
# jobs and run-parts directories against the real tools:
#   - user units: a root holding this machine's /usr/lib/systemd/user and
#     /etc/systemd/user (the links the packages' maintainer scripts made),
#     then changed with the real `systemctl --root --global enable/disable/
#     mask`; for every user unit file, tenken lists it for every user
#     ("*") exactly when `systemctl --root --global is-enabled` says
#     enabled;
#   - run-parts directories: the cron entries of /etc/cron.daily and
#     /etc/cron.weekly are exactly the files `run-parts --test` lists
#     (names, executable bits, links);
#   - anacrontab: anacron -T accepts a file exactly when tenken reports no
#     bad line, and tenken lists one anacron entry per job line.
. tests/lib.sh

for t in systemctl run-parts jq; do
	command -v $t >/dev/null || {
		echo "PASS autostart (skipped: $t missing)"
		exit 0
	}
done

R=$TMP/root
mkdir -p "$R/etc/systemd" "$R/usr/lib/systemd/user" "$R/etc/systemd/user"
ln -s usr/lib "$R/lib"
[ -d /usr/lib/systemd/user ] && cp -a /usr/lib/systemd/user/. "$R/usr/lib/systemd/user/"
[ -d /etc/systemd/user ] && cp -a /etc/systemd/user/. "$R/etc/systemd/user/"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$R/etc/passwd"
# Units of our own, so the comparison never depends on this machine alone.
printf '[Unit]\nDescription=t\n[Service]\nExecStart=/usr/bin/tenken-agent --daemon\n[Install]\nWantedBy=default.target\n' \
	>"$R/usr/lib/systemd/user/tenken-agent.service"
printf '[Socket]\nListenStream=%%t/tenken.sock\n[Install]\nWantedBy=sockets.target\n' \
	>"$R/usr/lib/systemd/user/tenken-agent.socket"
printf '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n' \
	>"$R/usr/lib/systemd/user/tenken-clean.timer"
printf '[Service]\nExecStart=/usr/bin/tenken-clean\n' >"$R/usr/lib/systemd/user/tenken-clean.service"

compare_units() { # LABEL
	"$TENKEN" inventory --root "$R" --only autostart >"$TMP/inv.json" 2>"$TMP/err" || {
		fail "user units $1: tenken inventory" "$(head -5 "$TMP/err")"
		return
	}
	jq -r '.inventory.autostart[] | select(.kind == "user-unit" and .user == "*") | .path' \
		"$TMP/inv.json" | sed 's|.*/||' | sort -u >"$TMP/got"
	n=0 agree=0 bad=
	for f in "$R"/usr/lib/systemd/user/* "$R"/etc/systemd/user/*; do
		[ -d "$f" ] && continue
		u=${f##*/}
		st=$(systemctl --root="$R" --global is-enabled "$u" 2>/dev/null)
		want=no got=no
		[ "$st" = enabled ] && want=yes
		grep -qx -- "$u" "$TMP/got" && got=yes
		n=$((n + 1))
		if [ "$want" = "$got" ]; then agree=$((agree + 1)); else bad="$bad $u: systemctl $st, tenken $got;"; fi
	done
	if [ "$agree" -eq "$n" ] && [ "$n" -gt 0 ]; then
		pass "user units $1: $agree of $n agree with systemctl --global is-enabled"
	else
		fail "user units $1: $agree of $n agree with systemctl --global is-enabled" "$bad"
	fi
}

compare_units "as the packages left them"
systemctl --root="$R" --global enable tenken-agent.service tenken-agent.socket tenken-clean.timer >/dev/null 2>&1
compare_units "after systemctl --global enable of three units"
for u in gpg-agent.socket dirmngr.socket tenken-agent.socket; do
	systemctl --root="$R" --global disable "$u" >/dev/null 2>&1
done
systemctl --root="$R" --global mask tenken-clean.timer >/dev/null 2>&1
compare_units "after --global disable and mask"
cmd=$(jq -r '.inventory.autostart[] | select(.kind == "user-unit" and (.path | endswith("/tenken-agent.service"))) | .command' \
	"$TMP/inv.json")
if [ "$cmd" = /usr/bin/tenken-agent ]; then pass "user units: a service's command is its ExecStart binary"; else
	fail "user units: a service's command is its ExecStart binary" "got '$cmd'"
fi

# A user's own enablement (~/.config/systemd/user): no --root oracle for
# --user, so only that it is listed for that user.
printf 'taro:x:1000:1000::/home/taro:/bin/bash\n' >>"$R/etc/passwd"
mkdir -p "$R/home/taro/.config/systemd/user/default.target.wants"
printf '[Service]\nExecStart=/home/taro/bin/sync\n[Install]\nWantedBy=default.target\n' \
	>"$R/home/taro/.config/systemd/user/sync.service"
ln -s /home/taro/.config/systemd/user/sync.service "$R/home/taro/.config/systemd/user/default.target.wants/"
"$TENKEN" inventory --root "$R" --only autostart >"$TMP/inv.json" 2>/dev/null
got=$(jq -r '.inventory.autostart[] | select(.kind == "user-unit" and .user == "taro") | "\(.path) \(.command)"' "$TMP/inv.json")
if [ "$got" = "/home/taro/.config/systemd/user/sync.service /home/taro/bin/sync" ]; then
	pass "user units: ~/.config/systemd/user wants links are listed for their user"
else
	fail "user units: ~/.config/systemd/user wants links are listed for their user" "got '$got'"
fi

# ---- run-parts directories ----
for d in cron.daily cron.weekly; do
	mkdir -p "$R/etc/$d"
	[ -d "/etc/$d" ] && cp -a "/etc/$d/." "$R/etc/$d/"
done
for f in good-job with.dot job~ noexec 'UPPER_case-9'; do
	printf '#!/bin/sh\ntrue\n' >"$R/etc/cron.daily/$f"
	chmod 755 "$R/etc/cron.daily/$f"
done
chmod 644 "$R/etc/cron.daily/noexec"
ln -s ../cron.daily/good-job "$R/etc/cron.weekly/linked-job"
ln -s ../nonexistent "$R/etc/cron.weekly/dangling"
mkdir -p "$R/etc/cron.weekly/subdir"
"$TENKEN" inventory --root "$R" --only autostart >"$TMP/inv.json" 2>/dev/null
for d in cron.daily cron.weekly; do
	run-parts --test "$R/etc/$d" | sed "s|^$R||" | sort >"$TMP/want"
	jq -r --arg d "/etc/$d/" '.inventory.autostart[] | select(.kind == "cron" and (.path | startswith($d))) | .path' \
		"$TMP/inv.json" | sort >"$TMP/got"
	n=$(cat "$TMP/want" "$TMP/got" | sort -u | wc -l)
	same=$(comm -12 "$TMP/want" "$TMP/got" | wc -l)
	if cmp -s "$TMP/want" "$TMP/got"; then
		pass "run-parts /etc/$d: $same of $n files agree with run-parts --test"
	else
		fail "run-parts /etc/$d: $same of $n files agree with run-parts --test" "$(comm -3 "$TMP/want" "$TMP/got" | tr '\n\t' '; ')"
	fi
done

# ---- anacrontab ----
if command -v anacron >/dev/null; then
	check_anacron() { # LABEL
		anacron -T -t "$R/etc/anacrontab" >/dev/null 2>&1 && aok=yes || aok=no
		"$TENKEN" inventory --root "$R" --only autostart >"$TMP/inv.json" 2>/dev/null
		bad=$(jq '[.scan.probes[] | select(.name == "autostart") | .messages[].en | select(test("anacrontab"))] | length' "$TMP/inv.json")
		jobs=$(jq '[.inventory.autostart[] | select(.kind == "anacron")] | length' "$TMP/inv.json")
		want_jobs=$(grep -cE '^[[:space:]]*(@[a-z]+|[0-9]+)[[:space:]]+[0-9]+[[:space:]]+[^[:space:]/]+[[:space:]]+[^[:space:]]' "$R/etc/anacrontab")
		tok=yes
		[ "$bad" -gt 0 ] && tok=no
		if [ "$aok" = "$tok" ] && [ "$jobs" = "$want_jobs" ]; then
			pass "anacrontab $1: anacron -T $aok, tenken $tok, $jobs jobs"
		else
			fail "anacrontab $1" "anacron -T accepts: $aok, tenken: $tok; jobs tenken $jobs, lines $want_jobs"
		fi
	}
	if [ -f /etc/anacrontab ]; then
		cp /etc/anacrontab "$R/etc/anacrontab"
		check_anacron "as the anacron package ships it"
	fi
	printf 'SHELL=/bin/sh\nRANDOM_DELAY=30\n @yearly\t20\tyearly-report\t/usr/local/bin/report --all \r\n3 0 job.3 echo three\n' \
		>"$R/etc/anacrontab"
	check_anacron "with @yearly, CRLF, env lines"
	printf '1 5 cron.daily run-parts /etc/cron.daily\nthis is not a job\n' >"$R/etc/anacrontab"
	check_anacron "with a line anacron refuses"
	printf '1 5 bad/id run-parts /etc/cron.daily\n' >"$R/etc/anacrontab"
	check_anacron "with a job identifier holding /"
else
	echo "PASS anacrontab (skipped: anacron missing)"
fi

# The rule sees the new kinds: a user unit every session starts from /tmp fails.
printf '[Service]\nExecStart=/tmp/.x/agent\n[Install]\nWantedBy=default.target\n' >"$R/usr/lib/systemd/user/tmp-agent.service"
"$TENKEN" scan --root "$R" --only autostart --format json --output "$TMP/scan0.json" >/dev/null 2>&1
systemctl --root="$R" --global enable tmp-agent.service >/dev/null 2>&1
"$TENKEN" scan --root "$R" --only autostart --format json --output "$TMP/scan1.json" >/dev/null 2>&1
before=$(jq -r '[.findings[] | select(.rule == "autostart.temp_command") | .status] | unique | join(",")' "$TMP/scan0.json")
after=$(jq -r '[.findings[] | select(.rule == "autostart.temp_command") | .status] | unique | join(",")' "$TMP/scan1.json")
if [ "$before" = pass ] && [ "$after" = fail ]; then
	pass "autostart.temp_command: passes, then fails once a /tmp user unit is enabled globally"
else
	fail "autostart.temp_command on a user unit" "before enable: '$before', after: '$after'"
fi
