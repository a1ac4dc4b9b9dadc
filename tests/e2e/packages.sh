#!/bin/sh
# End-to-end checks of the packages and updates probes against the real
# tools on this machine:
#   - dpkg version order: thousands of version pairs taken from this
#     machine's apt lists and dpkg status, each compared by tenken and by
#     `dpkg --compare-versions`: zero disagreements;
#   - the installed packages equal `dpkg-query -W`;
#   - the pending updates equal `apt list --upgradable` (packages,
#     versions, and security exactly when apt names a -security suite);
#   - the fixture roots: apt is run on them again (apt -o Dir=ROOT) and
#     must still give what tests/fixtures/unit-packages/*/expect-upgradable
#     recorded, and tenken the same;
#   - lists two months old are reported two months old;
#   - the time a full read of this machine's status and lists takes.
# Checks that need apt lists print "PASS name (skipped: reason)" on a
# machine without them.
. tests/lib.sh
FIX=tests/fixtures/unit-packages
LISTS=/var/lib/apt/lists
CC=${CC:-cc}
PKGS="jansson libcrypto sqlite3 zlib liblzma liblz4 libzstd expat"

skip() { echo "PASS $1 (skipped: $2)"; }

have_lists() {
	ls $LISTS/*_Packages* >/dev/null 2>&1
}

# A small driver over the library: runs a probe on a root and prints the
# inventory, and compares version pairs read from stdin.
cat >"$TMP/drv.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "probes/parse/debver.h"
#include "probes/packages.h"
#include "lib/util.h"
static int vercmp(void)
{
	char line[4096];
	while (fgets(line, sizeof(line), stdin)) {
		char *sp = strchr(line, ' '), *nl = strchr(line, '\n');
		if (!sp || !nl)
			continue;
		*nl = '\0';
		int c = debver_cmp(line, (size_t)(sp - line), sp + 1, strlen(sp + 1));
		printf("%s\n", c < 0 ? "lt" : c > 0 ? "gt" : "eq");
	}
	return 0;
}
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "vercmp") == 0)
		return vercmp();
	if (argc < 4)
		return 2;
	struct fsroot *root;
	if (fsroot_open(argv[2], FSROOT_AUTO, &root) < 0)
		return 2;
	struct probe_ctx ctx = {.root = root, .offline = strcmp(argv[2], "/") != 0,
				.inventory = json_object(), .host = json_object(),
				.messages = json_array()};
	if (time_parse_rfc3339(argv[3], &ctx.now) < 0)
		return 2;
	int64_t t0 = mono_ms();
	int r = strcmp(argv[1], "packages") == 0 ? probe_packages_run(&ctx) : probe_updates_run(&ctx);
	fprintf(stderr, "%lld\n", (long long)(mono_ms() - t0));
	json_object_set(ctx.inventory, "messages", ctx.messages);
	json_dumpf(ctx.inventory, stdout, JSON_SORT_KEYS);
	fflush(stdout); /* before LeakSanitizer's exit under make check */
	json_decref(ctx.inventory);
	json_decref(ctx.host);
	json_decref(ctx.messages);
	fsroot_free(root);
	return r < 0 ? 1 : 0;
}
EOF
# TEST_CFLAGS: the sanitizer flags of `make check`, which the archive was built with.
if ! $CC -std=gnu11 -O2 -D_GNU_SOURCE ${TEST_CFLAGS:-} -I. -I"$B" -o "$TMP/drv" "$TMP/drv.c" "$B/libtenken.a" \
	$(pkg-config --libs $PKGS) -lbz2 -lm 2>"$TMP/cc.err"; then
	fail "build the probe driver" "$(head -20 "$TMP/cc.err")"
	exit 0
fi
DRV=$TMP/drv
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# jq is not assumed: a few lines of python3 turn the JSON into text.
json_lines() { # FILE WHAT
	python3 - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
w = sys.argv[2]
if w == "packages":
    for p in d["packages"]:
        name = p["name"] + (":" + p["architecture"] if p["multi_arch"] == "same" else "")
        print("%s\t%s" % (name, p["version"] or ""))
elif w == "updates":
    for u in d["updates"]:
        print(u["name"], u["architecture"], u["candidate_version"], u["installed_version"],
              ",".join(u["suites"]), "security" if u["security"] else "-")
else:
    print(json.dumps(d[w], sort_keys=True))
EOF
}

# ---- version order against dpkg ----
version_pairs() {
	{
		for f in $LISTS/*_Packages*; do
			case $f in
			*.lz4) lz4 -dc "$f" ;; *.gz) gzip -dc "$f" ;; *.xz) xz -dc "$f" ;;
			*.zst) zstd -qdc "$f" ;; *) cat "$f" ;;
			esac
		done
		cat /var/lib/dpkg/status
	} | sed -n 's/^Version: //p' | sort -u >"$TMP/versions"
	# Every installed version against every list version of the same
	# package (the comparisons the updates probe makes) ...
	{
		for f in $LISTS/*_Packages*; do
			case $f in
			*.lz4) lz4 -dc "$f" ;; *.gz) gzip -dc "$f" ;; *.xz) xz -dc "$f" ;;
			*.zst) zstd -qdc "$f" ;; *) cat "$f" ;;
			esac
		done
	} | awk '/^Package: /{p=$2} /^Version: /{print p, $2}' | sort -u >"$TMP/listvers"
	dpkg-query -W -f '${Package} ${Version}\n' | sort -u >"$TMP/instvers"
	join "$TMP/instvers" "$TMP/listvers" | awk '$2 != $3 {print $2, $3}' | head -3000
	# ... plus 3000 pairs of versions drawn from everything (fixed seed),
	# and each version against its neighbour in byte order.
	shuf -n 3000 --random-source=/dev/zero "$TMP/versions" >"$TMP/a"
	shuf -n 3000 --random-source="$TMP/versions" "$TMP/versions" >"$TMP/b"
	paste -d' ' "$TMP/a" "$TMP/b"
	awk 'NR > 1 && NR % 20 == 0 {print prev, $0} {prev = $0}' "$TMP/versions"
}

if have_lists && command -v dpkg >/dev/null; then
	version_pairs >"$TMP/pairs"
	n=$(wc -l <"$TMP/pairs")
	"$DRV" vercmp <"$TMP/pairs" >"$TMP/ours"
	bad=0
	: >"$TMP/disagree"
	paste -d' ' "$TMP/pairs" "$TMP/ours" | while read -r a b op; do
		if ! dpkg --compare-versions "$a" "$op" "$b" 2>/dev/null; then
			echo "$a $op $b" >>"$TMP/disagree"
		fi
	done
	bad=$(wc -l <"$TMP/disagree")
	if [ "$n" -ge 2000 ] && [ "$bad" -eq 0 ]; then
		pass "version order equals dpkg --compare-versions ($n pairs)"
	else
		fail "version order equals dpkg --compare-versions" "$n pairs, $bad disagreements" \
			"$(head -10 "$TMP/disagree")"
	fi
else
	skip "version order equals dpkg --compare-versions" "no apt lists or no dpkg here"
fi

# ---- installed packages against dpkg-query ----
if [ -f /var/lib/dpkg/status ] && command -v dpkg-query >/dev/null; then
	"$DRV" packages / "$NOW" >"$TMP/pk.json" 2>/dev/null
	json_lines "$TMP/pk.json" packages | sort >"$TMP/pk.txt"
	dpkg-query -W -f '${binary:Package}\t${Version}\n' | sort >"$TMP/dq.txt"
	if cmp -s "$TMP/pk.txt" "$TMP/dq.txt"; then
		pass "installed packages equal dpkg-query -W ($(wc -l <"$TMP/dq.txt"))"
	else
		fail "installed packages equal dpkg-query -W" "$(diff "$TMP/dq.txt" "$TMP/pk.txt" | head -20)"
	fi
else
	skip "installed packages equal dpkg-query -W" "not a dpkg system"
fi

# ---- pending updates against apt on this machine ----
# apt's lines: "name/suite,suite version arch [upgradable from: old]".
apt_upgradable() { # [apt options]
	apt "$@" list --upgradable 2>/dev/null |
		sed -n 's|^\([^/]*\)/\([^ ]*\) \([^ ]*\) \([^ ]*\) \[upgradable from: \([^]]*\)\]$|\1 \4 \3 \5 \2|p' |
		awk '{ n = split($5, s, ","); out = ""; delete seen
		       for (i = 1; i <= n; i++) if (!(s[i] in seen)) { seen[s[i]] = 1; out = out (out == "" ? "" : ",") s[i] }
		       sec = out ~ /-security(,|$)/ ? "security" : "-"
		       print $1, $2, $3, $4, out, sec }' | sort
}

if have_lists && command -v apt >/dev/null; then
	apt_upgradable >"$TMP/apt.txt"
	if "$DRV" updates / "$NOW" >"$TMP/up.json" 2>"$TMP/up.ms"; then
		json_lines "$TMP/up.json" updates | sort >"$TMP/up.txt"
		if cmp -s "$TMP/apt.txt" "$TMP/up.txt"; then
			pass "pending updates equal apt list --upgradable ($(wc -l <"$TMP/apt.txt"), $(grep -c ' security$' "$TMP/apt.txt") security)"
		else
			fail "pending updates equal apt list --upgradable" "$(diff "$TMP/apt.txt" "$TMP/up.txt" | head -20)"
		fi
		ms=$(tail -1 "$TMP/up.ms")
		if [ "$ms" -lt 2000 ]; then
			pass "a full read of status and lists takes ${ms} ms"
		else
			fail "a full read of status and lists takes under 2 s" "${ms} ms"
		fi
	else
		fail "updates probe runs on this machine" "$(head -c 1500 "$TMP/up.json")"
	fi
else
	skip "pending updates equal apt list --upgradable" "no apt lists on this machine"
fi

# ---- fixture roots: apt again, and tenken ----
for root in root-debian root-policy; do
	dir=$FIX/$root
	opts=""
	[ "$root" = root-policy ] && opts="-o APT::Architectures::=amd64 -o APT::Architectures::=i386"
	if command -v apt >/dev/null; then
		cp -a "$dir" "$TMP/$root"
		mkdir -p "$TMP/$root/var/lib/apt/lists/partial" "$TMP/$root/var/cache/apt/archives/partial"
		# shellcheck disable=SC2086
		apt_upgradable -o Dir="$TMP/$root" -o Dir::State::status="$TMP/$root/var/lib/dpkg/status" \
			-o Debug::NoLocking=1 -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= $opts |
			cut -d' ' -f1-5 >"$TMP/$root.apt"
		awk '{ n = split($5, s, ","); out = ""; delete seen
		       for (i = 1; i <= n; i++) if (!(s[i] in seen)) { seen[s[i]] = 1; out = out (out == "" ? "" : ",") s[i] }
		       print $1, $2, $3, $4, out }' "$dir/expect-upgradable" | sort >"$TMP/$root.rec"
		if cmp -s "$TMP/$root.apt" "$TMP/$root.rec"; then
			pass "$root: apt still answers what was recorded"
		else
			fail "$root: apt still answers what was recorded" "$(diff "$TMP/$root.rec" "$TMP/$root.apt" | head)"
		fi
	else
		skip "$root: apt still answers what was recorded" "no apt here"
	fi
	"$DRV" updates "$dir" 2026-11-22T00:00:00Z >"$TMP/$root.json" 2>/dev/null
	json_lines "$TMP/$root.json" updates | cut -d' ' -f1-5 | sort >"$TMP/$root.ours"
	awk '{ n = split($5, s, ","); out = ""; delete seen
	       for (i = 1; i <= n; i++) if (!(s[i] in seen)) { seen[s[i]] = 1; out = out (out == "" ? "" : ",") s[i] }
	       print $1, $2, $3, $4, out }' "$dir/expect-upgradable" | sort >"$TMP/$root.want"
	if cmp -s "$TMP/$root.ours" "$TMP/$root.want"; then
		pass "$root: tenken's updates equal apt's"
	else
		fail "$root: tenken's updates equal apt's" "$(diff "$TMP/$root.want" "$TMP/$root.ours" | head)"
	fi
done

# Security flags on the set-back root: exactly the -security candidates.
json_lines "$TMP/root-debian.json" updates >"$TMP/deb.sec"
if awk '($5 ~ /-security/) != ($6 == "security") { bad = 1 } END { exit bad }' "$TMP/deb.sec" &&
	grep -q ' security$' "$TMP/deb.sec"; then
	pass "root-debian: security updates are exactly those from -security suites"
else
	fail "root-debian: security updates are exactly those from -security suites" "$(cat "$TMP/deb.sec")"
fi

# Two months later: the lists are two months old.
"$DRV" updates "$FIX/root-debian" 2027-01-22T00:00:00Z >"$TMP/stale.json" 2>/dev/null
age=$(json_lines "$TMP/stale.json" update_summary | python3 -c 'import json,sys; print(json.load(sys.stdin)["lists_age_days"])')
if [ "$age" -ge 60 ]; then
	pass "lists two months old are reported as $age days old"
else
	fail "lists two months old are reported as two months old" "lists_age_days=$age"
fi
