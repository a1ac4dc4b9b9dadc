#!/bin/sh
# tests/e2e/schema.sh - docs/schema/report.schema.json against real
# reports: every fixture's expected.json (with the run-dependent fields
# jsonnorm strips put back as fixed values), a live scan of this machine,
# a scan with --max-findings-per-rule (omitted findings), an unprivileged
# scan (notice, missing_privileges), and a report with the provenance
# object of CONTRACTS.md. Then the strict parts must refuse what the
# contract forbids: an unknown status, answer or severity, a missing
# required key, an unknown top-level key, an answer "yes" with a failure.
# Validation by python3-jsonschema (Debian package; skipped without it).
. tests/lib.sh

NOW=2026-11-22T00:00:00Z
SCHEMA=docs/schema/report.schema.json
PY=/usr/bin/python3
if ! $PY -c 'import jsonschema' 2>/dev/null; then
	pass "report schema (skipped: python3-jsonschema not installed)"
	exit 0
fi

"$TENKEN" scan --format json --output "$TMP/live.json" 2>/dev/null
[ -s "$TMP/live.json" ] && pass "live scan written" || fail "live scan written"
"$TENKEN" scan --root tests/fixtures/patches-bad --now $NOW --max-findings-per-rule 1 \
	--format json --output "$TMP/capped.json" 2>/dev/null
jq -e '[.findings[] | select(.omitted == true)] | length > 0' "$TMP/capped.json" >/dev/null &&
	pass "capped scan has omitted findings" || fail "capped scan has omitted findings"
# Unprivileged: the binary and the root must be readable by nobody.
mkdir -p "$TMP/np"
cp "$TENKEN" "$TMP/np/tenken"
cp -a tests/fixtures/accounts-good "$TMP/np/root"
chmod -R a+rX "$TMP/np" "$TMP"
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ] &&
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$TMP/np/tenken" scan --root "$TMP/np/root" --now $NOW --format json \
		>"$TMP/unpriv.json" 2>/dev/null; [ -s "$TMP/unpriv.json" ]; then
	jq -e '.notice.en and .scan.privileged == false' "$TMP/unpriv.json" >/dev/null &&
		pass "unprivileged scan has a notice" || fail "unprivileged scan has a notice"
else
	pass "unprivileged scan (skipped: not root or no setpriv)"
	rm -f "$TMP/unpriv.json"
fi
jq --arg sha "$(printf '%064d' 0)" '. + {provenance: {tool: {name: "tenken", version: "0.1.0",
	binary_sha256: $sha}, ruleset_sha256: $sha, baseline_sha256: null,
	command_line: ["tenken", "scan", "--root", "/x"], judged_at: .scan.now, root: .scan.root,
	mode: .scan.mode, host: {machine_id: .host.machine_id, hostname: .host.hostname,
	ssh_host_keys: [{type: "ssh-ed25519", fingerprint: "SHA256:abc"}]}}}' \
	"$TMP/capped.json" >"$TMP/provenance.json"

$PY - "$SCHEMA" "$TMP" tests/fixtures/*/expected.json <<'EOF'
import copy, glob, json, os, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
tmp = sys.argv[2]
try:
    jsonschema.Draft202012Validator.check_schema(schema)
    print("PASS the schema is a valid draft 2020-12 schema")
except jsonschema.SchemaError as e:
    print("FAIL the schema is a valid draft 2020-12 schema")
    print("  ", e.message)
    sys.exit(0)
v = jsonschema.Draft202012Validator(schema)


def problems(doc):
    return ["/".join(map(str, e.absolute_path)) + ": " + e.message[:160]
            for e in v.iter_errors(doc)][:3]


def restore(r):
    """Put back what tests/tools/jsonnorm strips from expected.json."""
    s = r["scan"]
    s.setdefault("started_at", s["now"])
    s.setdefault("finished_at", s["now"])
    s.setdefault("duration_ms", 0)
    s.setdefault("privileged", True)
    for p in s["probes"]:
        p.setdefault("duration_ms", 0)
    tool = r.get("provenance", {}).get("tool")
    if isinstance(tool, dict):
        tool.setdefault("binary_sha256", "0" * 64)
    return r


bad = []
files = sys.argv[3:]
for f in files:
    p = problems(restore(json.load(open(f))))
    if p:
        bad.append(f + ": " + "; ".join(p))
if bad or not files:
    print(f"FAIL every fixture's expected.json is valid ({len(bad)} of {len(files)} not)")
    for b in bad[:5]:
        print("  ", b)
else:
    print(f"PASS every fixture's expected.json is valid ({len(files)} reports)")

for name in ("live", "capped", "unpriv", "provenance"):
    path = os.path.join(tmp, name + ".json")
    if not os.path.exists(path):
        continue
    p = problems(json.load(open(path)))
    print(("FAIL" if p else "PASS") + f" {name} report is valid")
    for x in p:
        print("  ", x)

# What the contract forbids must be refused.
base = json.load(open(os.path.join(tmp, "capped.json")))
fail_i = next(i for i, f in enumerate(base["findings"]) if f["status"] == "fail")
no_i = next(i for i, c in enumerate(base["checklist"]) if c["answer"] == "no")


def mutated(fn):
    d = copy.deepcopy(base)
    fn(d)
    return d


cases = {
    "status 'passed'": lambda d: d["findings"][fail_i].update(status="passed"),
    "severity 'critical'": lambda d: d["findings"][fail_i].update(severity="critical"),
    "answer 'maybe'": lambda d: d["checklist"][no_i].update(answer="maybe"),
    "answer yes with a failure": lambda d: d["checklist"][no_i].update(answer="yes"),
    "missing summary": lambda d: d.pop("summary"),
    "missing scan.now": lambda d: d["scan"].pop("now"),
    "unknown top-level key": lambda d: d.update(extra=1),
    "unknown key in a finding": lambda d: d["findings"][fail_i].update(verdict="fail"),
    "message in one language": lambda d: d["findings"][fail_i]["message"].pop("ja"),
    "probe state 'done'": lambda d: d["scan"]["probes"][0].update(status="done"),
    "subject without a kind": lambda d: d["findings"][fail_i].update(subject="taro"),
    "omitted finding without its count": lambda d: [f["evidence"].pop("omitted_count")
                                                    for f in d["findings"] if f.get("omitted")],
    "provenance without command_line": lambda d: d.update(provenance={"tool": {}}),
}
for name, fn in cases.items():
    ok = not v.is_valid(mutated(fn))
    print(("PASS" if ok else "FAIL") + f" the schema refuses: {name}")
EOF
