#!/bin/sh
# make lint: the tree passes it, and it catches what it promises to catch.
. tests/lib.sh
top=$(pwd)
if command -v python3 >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
	expect_status "the tree passes make lint" 0 python3 tools/lint.py
	mkdir -p "$TMP/probes"
	cat >"$TMP/probes/planted.c" <<'C'
/* open( in a comment and "fopen(" in a string are not calls */
static const char *s = "system(";
int planted(void)
{
	char b[8];
	strcpy(b, "x");
	struct stat st;
	if (stat("/etc/shadow", &st) < 0)
		return -1;
	return open("/etc/passwd", 0) + atoi("1") + getpwnam("root") != 0;
}
C
	(cd "$TMP" && python3 "$top/tools/lint.py" probes/planted.c) >"$TMP/lint.out"
	st=$?
	[ "$st" -eq 1 ] && pass "lint fails on a planted file" || fail "lint fails on a planted file" "exit $st"
	for w in "strcpy\\(\\) is banned" "raw stat\\(\\)" "raw open\\(\\)" "atoi\\(\\) is banned" "getpwnam\\(\\) is banned"; do
		expect_grep "lint names $w" "planted.c:[0-9]+: $w" "$TMP/lint.out"
	done
	expect_no_grep "lint ignores comments and strings" "planted.c:(1|2):" "$TMP/lint.out"
else
	pass "make lint (skipped: no python3 or no git checkout)"
fi
