#!/bin/sh
# End-to-end check of apt's configuration as the updates probe assembles
# it (#include of files and directories, #clear, Dir:: overrides that move
# sources.list, its parts, preferences, the lists, dpkg's status and the
# cache) against apt itself: the real apt-config, copied with its
# libraries into each scratch root and run there with chroot, so it reads
# exactly the files tenken reads. For each configuration:
#   - every Dir:: path apt-config shell resolves (KEY/f, KEY/d) equals
#     the one tenken resolves;
#   - every value under Tenken::, APT::Periodic:: and Unattended-Upgrade::
#     that apt-config dump prints equals tenken's (lists in order);
#   - the sources files the updates probe read are the files apt reads
#     from the resolved sourcelist and sourceparts, and every list it
#     looked for lies in the resolved lists directory.
. tests/lib.sh

CC=${CC:-cc}
PKGS="jansson libcrypto sqlite3 zlib liblzma liblz4 libzstd expat"
skip() { echo "PASS $1 (skipped: $2)"; }
for t in apt-config chroot ldd jq; do
	command -v $t >/dev/null || {
		skip "apt.conf" "$t missing"
		exit 0
	}
done
[ "$(id -u)" = 0 ] || {
	skip "apt.conf" "chroot needs root"
	exit 0
}

cat >"$TMP/drv.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "probes/packages.h"
#include "lib/util.h"
static const char *const files[] = {"dir::etc::sourcelist", "dir::etc::main",
				    "dir::etc::preferences", "dir::state::status", NULL};
static const char *const dirs[] = {"dir::etc::sourceparts", "dir::etc::parts",
				   "dir::etc::preferencesparts", "dir::state::lists",
				   "dir::cache", NULL};
static int wanted(const char *k)
{
	return strncmp(k, "tenken::", 8) == 0 || strncmp(k, "apt::periodic::", 15) == 0 ||
	       strncmp(k, "unattended-upgrade::", 20) == 0;
}
int main(int argc, char **argv)
{
	struct fsroot *root;
	if (argc < 2 || fsroot_open(argv[1], FSROOT_AUTO, &root) < 0)
		return 2;
	struct probe_ctx ctx = {.root = root, .offline = true, .inventory = json_object(),
				.host = json_object(), .messages = json_array()};
	struct apt_conf c;
	if (updates_apt_conf(&ctx, &c) < 0)
		return 1;
	for (int i = 0; files[i]; i++) {
		char *p = apt_conf_find_file(&c, files[i]);
		printf("path %s/f %s\n", files[i], p);
		free(p);
	}
	for (int i = 0; dirs[i]; i++) {
		char *p = apt_conf_find_dir(&c, dirs[i]);
		printf("path %s/d %s\n", dirs[i], p);
		free(p);
	}
	/* Effective values: the last of a key, every item of a list. */
	for (size_t i = 0; i < c.n; i++) {
		const char *k = c.v[i].key;
		size_t kl = strlen(k);
		if (!wanted(k) || !*c.v[i].value)
			continue;
		if (kl > 2 && strcmp(k + kl - 2, "::") == 0)
			printf("list %s %s\n", k, c.v[i].value);
		else if (apt_conf_get(&c, k) == c.v[i].value)
			printf("value %s %s\n", k, c.v[i].value);
	}
	apt_conf_free(&c);
	probe_updates_run(&ctx);
	json_t *s, *l;
	size_t i;
	json_array_foreach(json_object_get(ctx.inventory, "apt_sources"), i, s)
		printf("source %s\n", json_string_value(json_object_get(s, "file")));
	json_array_foreach(json_object_get(ctx.inventory, "apt_lists"), i, l)
		printf("list-path %s\n", json_string_value(json_object_get(l, "path")));
	fflush(stdout);
	json_decref(ctx.inventory);
	json_decref(ctx.host);
	json_decref(ctx.messages);
	fsroot_free(root);
	return 0;
}
EOF
if ! $CC -std=gnu11 -O2 -D_GNU_SOURCE ${TEST_CFLAGS:-} -I. -I"$B" -o "$TMP/drv" "$TMP/drv.c" "$B/libtenken.a" \
	$(pkg-config --libs $PKGS) -lbz2 -lm 2>"$TMP/cc.err"; then
	fail "apt.conf: build the driver" "$(head -20 "$TMP/cc.err")"
	exit 0
fi

# newroot NAME: a root holding apt-config, its libraries and dpkg's
# tables, an empty dpkg status and one source.
newroot() {
	R=$TMP/$1
	mkdir -p "$R/usr/bin" "$R/usr/share/dpkg" "$R/etc/apt/apt.conf.d" "$R/var/lib/dpkg"
	cp /usr/bin/apt-config "$R/usr/bin/"
	for l in $(ldd /usr/bin/apt-config | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$l")"
		cp -L "$l" "$R$l"
	done
	cp /usr/share/dpkg/cputable /usr/share/dpkg/tupletable /usr/share/dpkg/ostable \
		"$R/usr/share/dpkg/" 2>/dev/null
	printf 'Package: dpkg\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.22\n' \
		>"$R/var/lib/dpkg/status"
	echo "deb http://deb.debian.org/debian bookworm main" >"$R/etc/apt/sources.list"
}

compare() { # LABEL
	label=$1
	chroot "$R" /usr/bin/apt-config dump >"$TMP/dump" 2>"$TMP/apt.err" || {
		fail "apt.conf $label: apt-config dump" "$(head -5 "$TMP/apt.err")"
		return
	}
	"$TMP/drv" "$R" >"$TMP/ours" 2>"$TMP/drv.err" || {
		fail "apt.conf $label: driver" "$(head -5 "$TMP/drv.err")"
		return
	}
	n=0 agree=0 bad=
	# Resolved paths.
	for kf in $(sed -n 's/^path \([^ ]*\) .*/\1/p' "$TMP/ours"); do
		want=$(chroot "$R" /usr/bin/apt-config shell V "$kf" 2>/dev/null | sed -n "s/^V='\(.*\)'\$/\1/p")
		got=$(awk -v k="$kf" '$1 == "path" && $2 == k {print $3}' "$TMP/ours")
		n=$((n + 1))
		if [ "$want" = "$got" ]; then agree=$((agree + 1)); else bad="$bad $kf: apt '$want' tenken '$got';"; fi
	done
	# Values: apt-config dump's non-empty values in the namespaces compared.
	awk '{
		k = tolower($1); v = substr($0, length($1) + 2); sub(/;$/, "", v); gsub(/^"|"$/, "", v)
		if (v == "" || (k !~ /^tenken::/ && k !~ /^apt::periodic::/ && k !~ /^unattended-upgrade::/)) next
		if (k ~ /::$/) print "list", k, v; else print "value", k, v
	}' "$TMP/dump" | sort >"$TMP/want.vals"
	grep -E '^(value|list) ' "$TMP/ours" | sort >"$TMP/got.vals"
	nv=$(cat "$TMP/want.vals" "$TMP/got.vals" | sort -u | wc -l)
	diffs=$(comm -3 "$TMP/want.vals" "$TMP/got.vals" | wc -l)
	n=$((n + nv)) agree=$((agree + nv - diffs))
	[ "$diffs" -eq 0 ] || bad="$bad values: $(comm -3 "$TMP/want.vals" "$TMP/got.vals" | tr '\n\t' ';>')"
	# List order within each list.
	for lk in $(awk '$1 == "list" {print $2}' "$TMP/want.vals" | sort -u); do
		a=$(awk -v k="$lk" 'tolower($1) == k' "$TMP/dump" | cut -d'"' -f2 | tr '\n' ,)
		b=$(awk -v k="$lk" '$1 == "list" && $2 == k {print $3}' "$TMP/ours" | tr '\n' ,)
		n=$((n + 1))
		if [ "$a" = "$b" ]; then agree=$((agree + 1)); else bad="$bad order $lk: apt $a tenken $b;"; fi
	done
	# The probe read the sources apt reads, and looks for lists where apt keeps them.
	sl=$(awk '$2 == "dir::etc::sourcelist/f" {print $3}' "$TMP/ours")
	sp=$(awk '$2 == "dir::etc::sourceparts/d" {print $3}' "$TMP/ours")
	ld=$(awk '$2 == "dir::state::lists/d" {print $3}' "$TMP/ours")
	{
		[ -f "$R$sl" ] && grep -q '^deb' "$R$sl" && echo "$sl"
		for f in "$R$sp"*.list "$R$sp"*.sources; do [ -f "$f" ] && echo "${f#"$R"}"; done
	} | sort >"$TMP/want.src"
	sed -n 's/^source //p' "$TMP/ours" | sort -u >"$TMP/got.src"
	n=$((n + 1))
	if cmp -s "$TMP/want.src" "$TMP/got.src"; then agree=$((agree + 1)); else
		bad="$bad sources: apt $(tr '\n' ' ' <"$TMP/want.src") tenken $(tr '\n' ' ' <"$TMP/got.src");"
	fi
	n=$((n + 1))
	if [ -s "$TMP/got.src" ] && ! sed -n 's/^list-path //p' "$TMP/ours" | grep -qv "^$ld"; then
		agree=$((agree + 1))
	else
		bad="$bad lists outside $ld: $(sed -n 's/^list-path //p' "$TMP/ours" | head -3 | tr '\n' ' ');"
	fi
	if [ "$agree" -eq "$n" ]; then
		pass "apt.conf $label: $agree of $n agree with apt-config"
	else
		fail "apt.conf $label: $agree of $n agree with apt-config" "$bad"
	fi
}

# 1. Debian's own layout, with the periodic settings unattended-upgrades ships.
newroot stock
printf 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n' \
	>"$R/etc/apt/apt.conf.d/20auto-upgrades"
compare "stock layout"

# 2. Sources, parts and lists moved by Dir::Etc:: and Dir::State::lists.
newroot moved
mkdir -p "$R/srv/apt/sources.d"
cat >"$R/etc/apt/apt.conf.d/50moved" <<'EOF'
Dir::Etc::sourcelist "other.list";
Dir::Etc::sourceparts "/srv/apt/sources.d";
Dir::State::lists "/srv/lists/";
Dir::Cache "/srv/cache";
EOF
echo "deb http://security.debian.org/debian-security bookworm-security main" >"$R/etc/apt/other.list"
printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-updates\nComponents: main\n' \
	>"$R/srv/apt/sources.d/updates.sources"
compare "Dir::Etc::sourcelist, sourceparts, Dir::State::lists, Dir::Cache"

# 3. Dir itself moved (every relative path follows), status set apart.
newroot dir
mkdir -p "$R/srv/chroot/etc/apt" "$R/srv/chroot/var/lib/dpkg"
printf 'Dir "/srv/chroot/";\nDir::State::status "/var/lib/dpkg/status";\n' >"$R/etc/apt/apt.conf.d/10dir"
echo "deb http://deb.debian.org/debian trixie main" >"$R/srv/chroot/etc/apt/sources.list"
compare "Dir, Dir::State::status"

# 4. #include of a file, a directory and a relative name; a Dir::Etc set in
#    an included file moves apt.conf, preferences and their parts.
newroot include
mkdir -p "$R/etc/apt/inc.d" "$R/etc/apt2/prefs.d"
cat >"$R/etc/apt/apt.conf.d/30inc" <<'EOF'
Tenken { A "1"; List { "x"; "y"; }; };
#include "/etc/apt/extra.conf";
#include "/etc/apt/inc.d/";
#include "etc/apt/relative.conf";
Tenken::After "after-include";
EOF
printf 'Tenken::A "from-extra";\nDir::Etc "etc/apt2/";\nTenken::List:: "z";\n' >"$R/etc/apt/extra.conf"
printf 'Tenken::Dir1 "one";\n' >"$R/etc/apt/inc.d/10one.conf"
printf 'Tenken::Dir2 "two";\n' >"$R/etc/apt/inc.d/20two"
printf 'Tenken::Ignored "ignored";\n' >"$R/etc/apt/inc.d/30three.txt"
printf 'Tenken::Rel "relative";\n' >"$R/etc/apt/relative.conf"
printf 'Tenken::Main "moved main";\nDir::Etc::preferencesparts "prefs.d";\n' >"$R/etc/apt2/apt.conf"
echo "deb http://deb.debian.org/debian bookworm-backports main" >"$R/etc/apt2/sources.list"
compare "#include file, directory, relative; Dir::Etc from an include"

# 5. #clear of a list and of a tree, /dev/null for sourcelist, and a
#    nested #include.
newroot clear
mkdir -p "$R/etc/apt/sources.list.d"
cat >"$R/etc/apt/apt.conf.d/40clear" <<'EOF'
Unattended-Upgrade::Origins-Pattern { "origin=Debian,codename=${distro_codename}"; "origin=Debian,label=Debian-Security"; };
APT::Periodic { Enable "1"; Unattended-Upgrade "1"; };
#include "/etc/apt/level1.conf";
EOF
printf '#include "/etc/apt/level2.conf";\n#clear Unattended-Upgrade::Origins-Pattern;\n' >"$R/etc/apt/level1.conf"
printf 'Tenken::Deep "two levels";\n' >"$R/etc/apt/level2.conf"
cat >"$R/etc/apt/apt.conf.d/60after" <<'EOF'
Unattended-Upgrade::Origins-Pattern:: "origin=Example";
#clear APT::Periodic;
APT::Periodic::Unattended-Upgrade "0";
Dir::Etc::sourcelist "/dev/null";
EOF
printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n' \
	>"$R/etc/apt/sources.list.d/debian.sources"
compare "#clear, nested #include, sourcelist /dev/null"
