#!/bin/sh
# tests/e2e/sign.sh - signed evidence against the real tools: reports
# signed by tenken (SSHSIG with Ed25519, ECDSA P-256 and RSA 3072 keys
# made by ssh-keygen; CMS with a leaf certificate issued by an
# intermediate CA, all made by openssl here) must verify with
# `ssh-keygen -Y verify` / `openssl cms -verify` and with `tenken verify`;
# signatures made by ssh-keygen and openssl must verify with tenken; and
# both must reject every single-byte change of a small report and a
# sample of changes of each signature, another host's report or key, and
# an edited report re-signed by someone else. Also: provenance (the
# rule-set hash, host key fingerprints equal to ssh-keygen -l), the
# options' usage errors, and no private key material in any output.
. tests/lib.sh

if ! command -v ssh-keygen >/dev/null || ! command -v openssl >/dev/null ||
	! command -v jq >/dev/null || ! command -v python3 >/dev/null; then
	pass "e2e sign (skipped: needs ssh-keygen, openssl, jq and python3)"
	exit 0
fi
if [ ! -x "$TENKEN" ] || [ ! -x "$JSONNORM" ]; then
	fail "e2e sign" "$TENKEN or $JSONNORM is not built"
	exit 0
fi
cp "$TENKEN" "$TMP/tenken" && TENKEN=$TMP/tenken
NOW=2026-11-22T00:00:00Z
K=$TMP/keys
mkdir -p "$K"

# ---- keys and certificates -------------------------------------------------

for t in ed25519 "ecdsa -b 256" "rsa -b 3072"; do
	n=${t%% *}
	ssh-keygen -q -t $t -N '' -C "$n@vendor" -f "$K/$n" </dev/null
done
ssh-keygen -q -t ed25519 -N '' -C mallory -f "$K/mallory" </dev/null
ssh-keygen -q -t ed25519 -N '' -C hosta -f "$K/hosta" </dev/null
ssh-keygen -q -t ed25519 -N '' -C hostb -f "$K/hostb" </dev/null
ssh-keygen -q -t ed25519 -N 'a passphrase' -f "$K/encrypted" </dev/null
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out "$K/pem-ec" 2>/dev/null
chmod 600 "$K/pem-ec"

cat >"$K/ext.cnf" <<'EOF'
[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
mkca() { # NAME SUBJECT: a self-signed root
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$K/$1.key" \
		-out "$K/$1.pem" -subj "$2" -days 30 -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
issue() { # NAME SUBJECT ISSUER EXT KEYTYPE
	openssl req -newkey "$5" -nodes -keyout "$K/$1.key" -out "$K/$1.csr" -subj "$2" 2>/dev/null &&
		openssl x509 -req -in "$K/$1.csr" -CA "$K/$3.pem" -CAkey "$K/$3.key" \
			-CAcreateserial -out "$K/$1.pem" -days 30 -extfile "$K/ext.cnf" \
			-extensions "$4" 2>/dev/null
	chmod 600 "$K/$1.key"
}
mkca root "/CN=tenken test root"
issue int "/CN=tenken test intermediate" root ca rsa:2048
issue leaf "/O=Vendor/CN=vendor.example" int leaf rsa:3072
mkca otherroot "/CN=another root"
issue otherleaf "/CN=vendor.example" otherroot leaf rsa:2048
cat "$K/leaf.pem" "$K/int.pem" >"$K/leaf-chain.pem"
if [ ! -s "$K/leaf-chain.pem" ] || [ ! -s "$K/otherleaf.pem" ]; then
	fail "e2e sign: test certificates" "openssl could not make the CA, intermediate and leaf"
	exit 0
fi

for n in ed25519 ecdsa rsa mallory; do
	printf '%s@vendor %s\n' "$n" "$(cut -d' ' -f1,2 "$K/$n.pub")"
done >"$K/allowed_signers"
# The expected signer of the tampering test, and mallory, who re-signs.
printf 'vendor@x %s\nmallory@x %s\n' "$(cut -d' ' -f1,2 "$K/ed25519.pub")" \
	"$(cut -d' ' -f1,2 "$K/mallory.pub")" >"$K/vendor_signers"
printf 'hosta %s\nhostb %s\n' "$(cut -d' ' -f1,2 "$K/hosta.pub")" \
	"$(cut -d' ' -f1,2 "$K/hostb.pub")" >"$K/known_hosts"

# ---- scans signed by tenken -------------------------------------------------

# A root named NAME (its hostname), with the ssh fixture's configuration
# and real public host keys of every type.
mkroot() {
	mkdir -p "$TMP/$1/etc/ssh"
	cp -a tests/fixtures/ssh-good/. "$TMP/$1/"
	echo "$1" >"$TMP/$1/etc/hostname"
	printf '%s\n' 0123456789abcdef0123456789abcdef >"$TMP/$1/etc/machine-id"
	for t in ed25519 ecdsa rsa; do
		cp "$K/$t.pub" "$TMP/$1/etc/ssh/ssh_host_${t}_key.pub"
	done
}
mkroot hosta
mkroot hostb

scan_signed() { # ROOT OUT KEY [more options]: exit status in $TMP/rc
	r=$1 out=$2 key=$3
	shift 3
	"$TENKEN" scan --root "$TMP/$r" --now "$NOW" --format json --output "$out" --sign "$key" \
		"$@" >"$TMP/scan.out" 2>"$TMP/scan.err"
	echo $? >"$TMP/rc"
}

sshverify() { # REPORT SIG SIGNERS IDENTITY
	ssh-keygen -Y verify -n tenken-report -f "$3" -I "$4" -s "$2" <"$1" >/dev/null 2>&1
}

for n in ed25519 ecdsa rsa; do
	scan_signed hosta "$TMP/$n.json" "$K/$n"
	rc=$(cat "$TMP/rc")
	if [ "$rc" -gt 1 ] || [ ! -s "$TMP/$n.json.sig" ]; then
		fail "sign $n: scan --sign writes OUTPUT.sig" "exit $rc" "$(head -c 600 "$TMP/scan.err")"
		continue
	fi
	pass "sign $n: scan --sign writes OUTPUT.sig"
	if sshverify "$TMP/$n.json" "$TMP/$n.json.sig" "$K/allowed_signers" "$n@vendor"; then
		pass "sign $n: ssh-keygen -Y verify accepts tenken's signature"
	else
		fail "sign $n: ssh-keygen -Y verify accepts tenken's signature" \
			"$(ssh-keygen -Y verify -n tenken-report -f "$K/allowed_signers" -I "$n@vendor" \
				-s "$TMP/$n.json.sig" <"$TMP/$n.json" 2>&1)"
	fi
	expect_status "sign $n: tenken verify --allowed-signers --identity" 0 "$TENKEN" verify \
		"$TMP/$n.json" --signature "$TMP/$n.json.sig" --allowed-signers "$K/allowed_signers" \
		--identity "$n@vendor"
	expect_grep "sign $n: verify names the signer and the host" \
		"signed by $n@vendor .*$(ssh-keygen -lf "$K/$n.pub" | cut -d' ' -f2 | sed 's/[+.]/\\&/g')" \
		"$TMP/out"
	expect_status "sign $n: tenken verify --pubkey" 0 "$TENKEN" verify "$TMP/$n.json" \
		--signature "$TMP/$n.json.sig" --pubkey "$K/$n.pub"
	expect_status "sign $n: tenken verify --pubkey of another key" 1 "$TENKEN" verify \
		"$TMP/$n.json" --signature "$TMP/$n.json.sig" --pubkey "$K/mallory.pub"
	expect_status "sign $n: tenken verify with another identity" 1 "$TENKEN" verify \
		"$TMP/$n.json" --signature "$TMP/$n.json.sig" --allowed-signers "$K/allowed_signers" \
		--identity "mallory@vendor"
	# ssh-keygen's own signature of the same report, checked by tenken.
	cp "$TMP/$n.json" "$TMP/$n.k.json"
	ssh-keygen -q -Y sign -n tenken-report -f "$K/$n" "$TMP/$n.k.json" >/dev/null 2>&1
	expect_status "sign $n: tenken verify accepts ssh-keygen's signature" 0 "$TENKEN" verify \
		"$TMP/$n.k.json" --signature "$TMP/$n.k.json.sig" --pubkey "$K/$n.pub"
	rm -f "$TMP/$n.k.json.sig"
	ssh-keygen -q -Y sign -n file -f "$K/$n" "$TMP/$n.k.json" </dev/null >/dev/null 2>&1
	expect_status "sign $n: a signature of another namespace is refused" 1 "$TENKEN" verify \
		"$TMP/$n.k.json" --signature "$TMP/$n.k.json.sig" --pubkey "$K/$n.pub"
done

# A PEM key OpenSSL made signs as well.
scan_signed hosta "$TMP/pem.json" "$K/pem-ec"
ssh-keygen -y -f "$K/pem-ec" >"$K/pem-ec.pub" 2>/dev/null
printf 'pem@vendor %s\n' "$(cut -d' ' -f1,2 "$K/pem-ec.pub")" >"$K/pem_signers"
if sshverify "$TMP/pem.json" "$TMP/pem.json.sig" "$K/pem_signers" pem@vendor; then
	pass "sign pem: a PEM EC key signs, ssh-keygen verifies"
else
	fail "sign pem: a PEM EC key signs, ssh-keygen verifies" "$(head -c 500 "$TMP/scan.err")"
fi

# ---- X.509 / CMS -------------------------------------------------------------

scan_signed hosta "$TMP/cms.json" "$K/leaf.key" --sign-cert "$K/leaf-chain.pem"
expect_grep "cms: the signature is PEM CMS" '^-----BEGIN CMS-----$' "$TMP/cms.json.sig"
cmsverify() { # REPORT SIG CA
	openssl cms -verify -binary -content "$1" -in "$2" -inform PEM -CAfile "$3" \
		-out /dev/null >/dev/null 2>&1
}
if cmsverify "$TMP/cms.json" "$TMP/cms.json.sig" "$K/root.pem"; then
	pass "cms: openssl cms -verify accepts tenken's signature (chain included)"
else
	fail "cms: openssl cms -verify accepts tenken's signature (chain included)" \
		"$(openssl cms -verify -binary -content "$TMP/cms.json" -in "$TMP/cms.json.sig" \
			-inform PEM -CAfile "$K/root.pem" -out /dev/null 2>&1 | head -5)"
fi
expect_status "cms: tenken verify --ca" 0 "$TENKEN" verify "$TMP/cms.json" \
	--signature "$TMP/cms.json.sig" --ca "$K/root.pem" --identity vendor.example
expect_grep "cms: verify names the certificate and the signing time" \
	'signed by .*CN=vendor.example' "$TMP/out"
expect_grep "cms: verify shows the signing time" 'signed at +20[0-9-]+T' "$TMP/out"
expect_status "cms: another CA is refused by tenken" 1 "$TENKEN" verify "$TMP/cms.json" \
	--signature "$TMP/cms.json.sig" --ca "$K/otherroot.pem"
if cmsverify "$TMP/cms.json" "$TMP/cms.json.sig" "$K/otherroot.pem"; then
	fail "cms: another CA is refused by openssl" "openssl accepted it"
else
	pass "cms: another CA is refused by openssl"
fi
expect_status "cms: another identity is refused" 1 "$TENKEN" verify "$TMP/cms.json" \
	--signature "$TMP/cms.json.sig" --ca "$K/root.pem" --identity other.example
# A signature openssl made, checked by tenken.
openssl cms -sign -binary -in "$TMP/cms.json" -signer "$K/leaf.pem" -inkey "$K/leaf.key" \
	-certfile "$K/int.pem" -outform PEM -out "$TMP/cms.o.sig" 2>/dev/null
expect_status "cms: tenken verify accepts openssl's signature" 0 "$TENKEN" verify \
	"$TMP/cms.json" --signature "$TMP/cms.o.sig" --ca "$K/root.pem"
# The wrong key for the certificate, and a certificate from another CA.
expect_status "cms: a key that is not the certificate's is refused" 2 "$TENKEN" scan \
	--root "$TMP/hosta" --now "$NOW" --format json --output "$TMP/x.json" --sign "$K/int.key" \
	--sign-cert "$K/leaf-chain.pem"
scan_signed hosta "$TMP/cmsother.json" "$K/otherleaf.key" --sign-cert "$K/otherleaf.pem"
expect_status "cms: a certificate of another CA is refused" 1 "$TENKEN" verify \
	"$TMP/cmsother.json" --signature "$TMP/cmsother.json.sig" --ca "$K/root.pem"

# ---- every byte of a small report, a sample of each signature ---------------

# A tiny consistent report (a few hundred bytes), signed by the real tools.
cat >"$TMP/tiny.json" <<'EOF'
{"format":"tenken-report","host":{"hostname":"hosta"},
"findings":[{"rule":"r","checklist":["2(5)"],"status":"fail"}],
"checklist":[{"item":"2(5)","answer":"no","fail":1,"pass":0,"unknown":0,"rules":["r"]}],
"summary":{"fail":1,"pass":0,"unknown":0}}
EOF
for n in ed25519 ecdsa rsa; do
	cp "$TMP/tiny.json" "$TMP/tiny.$n.json"
	ssh-keygen -q -Y sign -n tenken-report -f "$K/$n" "$TMP/tiny.$n.json" >/dev/null 2>&1
done
openssl cms -sign -binary -in "$TMP/tiny.json" -signer "$K/leaf.pem" -inkey "$K/leaf.key" \
	-certfile "$K/int.pem" -outform PEM -out "$TMP/tiny.cms.sig" 2>/dev/null

# tamper.py KIND RSTEP SSTEP REPORT SIG TENKEN DIR TRUST...: changes every
# RSTEP-th byte of REPORT in turn, then every SSTEP-th decoded byte of SIG
# (re-armoured), and runs the real tool and tenken verify on each; prints
# "WHAT N ACCEPTED-BY-TOOL ACCEPTED-BY-TENKEN" lines. Every process costs
# time on a loaded machine: tests/unit/test_evidence.c changes every byte
# of a report and of a signature of each kind in-process.
cat >"$TMP/tamper.py" <<'EOF'
import base64, os, subprocess, sys
kind, rstep, step, report, sig, tenken, tmp = sys.argv[1:8]
rstep, step = int(rstep), int(step)
trust = [None] + sys.argv[8:]
data = open(report, "rb").read()
sigtext = open(sig, "rb").read()
def real(rp, sp):
    if kind == "ssh":
        with open(rp, "rb") as f:
            return subprocess.run(["ssh-keygen", "-Y", "verify", "-n", "tenken-report", "-f",
                                   trust[1], "-I", trust[2], "-s", sp], stdin=f,
                                  capture_output=True).returncode == 0
    return subprocess.run(["openssl", "cms", "-verify", "-binary", "-content", rp, "-in", sp,
                           "-inform", "PEM", "-CAfile", trust[1], "-out", os.devnull],
                          capture_output=True).returncode == 0
def ours(rp, sp):
    opt = ["--allowed-signers", trust[1], "--identity", trust[2]] if kind == "ssh" \
        else ["--ca", trust[1]]
    r = subprocess.run([tenken, "verify", rp, "--signature", sp] + opt, capture_output=True)
    return r.returncode
rp, sp = os.path.join(tmp, "t.json"), os.path.join(tmp, "t.sig")
def trial(d, s):
    open(rp, "wb").write(d)
    open(sp, "wb").write(s)
    return real(rp, sp), ours(rp, sp)
ok = trial(data, sigtext)
print("baseline", int(ok[0]), ok[1])
acc_real = acc_ours = n = 0
for i in range(0, len(data), rstep):
    d = bytearray(data)
    d[i] ^= 0x01
    a, b = trial(bytes(d), sigtext)
    n += 1; acc_real += a; acc_ours += (b == 0)
print("report", n, acc_real, acc_ours)
lines = sigtext.decode().strip().split("\n")
head, body, tail = lines[0], "".join(lines[1:-1]), lines[-1]
raw = base64.b64decode(body)
acc_real = acc_ours = n = 0
# CMS: the signature value at the end (384 bytes for the RSA-3072 leaf).
# The SignedData's version, digestAlgorithms and certificates stand outside
# what a CMS signature covers (RFC 5652 5.1), and openssl accepts changes
# there; tests/unit/test_evidence.c shows tenken refusing every change of
# the SignerInfo, including its signatureAlgorithm, which openssl ignores.
first = 0 if kind == "ssh" else len(raw) - 384
for i in range(first, len(raw), step):
    r = bytearray(raw)
    r[i] ^= 0x10
    b64 = base64.b64encode(bytes(r)).decode()
    wrap = 70 if kind == "ssh" else 64
    s = head + "\n" + "\n".join(b64[j:j + wrap] for j in range(0, len(b64), wrap)) + "\n" + tail + "\n"
    a, b = trial(data, s.encode())
    n += 1; acc_real += a; acc_ours += (b == 0)
print("signature", n, acc_real, acc_ours)
EOF

tamper() { # NAME KIND RSTEP SSTEP REPORT SIG TRUST...
	name=$1 kind=$2 rstep=$3 step=$4 rep=$5 sig=$6
	shift 6
	mkdir -p "$TMP/tamper"
	if ! python3 "$TMP/tamper.py" "$kind" "$rstep" "$step" "$rep" "$sig" "$TENKEN" "$TMP/tamper" "$@" \
		>"$TMP/tamper.out" 2>&1; then
		fail "tamper $name" "$(tail -5 "$TMP/tamper.out")"
		return
	fi
	read -r _ okr oko <"$TMP/tamper.out"
	if [ "$okr" = 1 ] && [ "$oko" = 0 ]; then
		pass "tamper $name: the untouched report verifies with both"
	else
		fail "tamper $name: the untouched report verifies with both" "$(cat "$TMP/tamper.out")"
	fi
	grep -E '^(report|signature) ' "$TMP/tamper.out" | while read -r what n ar ao; do
		if [ "$n" -gt 0 ] && [ "$ar" = 0 ] && [ "$ao" = 0 ]; then
			pass "tamper $name: $n changed bytes of the $what, all rejected by both"
		else
			fail "tamper $name: every changed byte of the $what rejected" \
				"$n changes: $ar accepted by the real tool, $ao by tenken"
		fi
	done
}
# Every byte of the report and every other of an Ed25519 signature; a sample of the
# others (each byte of each kind is changed in-process by the unit test).
tamper ed25519 ssh 1 2 "$TMP/tiny.ed25519.json" "$TMP/tiny.ed25519.json.sig" \
	"$K/allowed_signers" ed25519@vendor
tamper ecdsa ssh 5 4 "$TMP/tiny.ecdsa.json" "$TMP/tiny.ecdsa.json.sig" "$K/allowed_signers" \
	ecdsa@vendor
tamper rsa ssh 7 9 "$TMP/tiny.rsa.json" "$TMP/tiny.rsa.json.sig" "$K/allowed_signers" rsa@vendor
tamper cms cms 4 23 "$TMP/tiny.json" "$TMP/tiny.cms.sig" "$K/root.pem"

# ---- another host, another key, an edited and re-signed report -----------------

scan_signed hosta "$TMP/a.json" "$K/hosta"
scan_signed hostb "$TMP/b.json" "$K/hostb"
scan_signed hosta "$TMP/a-by-b.json" "$K/hostb"
kh() {
	f=$1
	shift
	"$TENKEN" verify "$f" --signature "$f.sig" --known-hosts "$K/known_hosts" "$@"
}
expect_status "hosts: host A's report signed by A, known_hosts" 0 kh "$TMP/a.json"
expect_grep "hosts: verify names host A" 'signed by hosta ' "$TMP/out"
expect_status "hosts: host A's report signed by A, --identity hosta" 0 kh "$TMP/a.json" \
	--identity hosta
expect_status "hosts: host A's report checked as host B's" 1 kh "$TMP/a.json" --identity hostb
expect_status "hosts: host B's report checked as host A's" 1 kh "$TMP/b.json" --identity hosta
expect_status "hosts: host A's report signed with host B's key" 1 kh "$TMP/a-by-b.json"
printf 'hostb %s\n' "$(cut -d' ' -f1,2 "$K/hostb.pub")" >"$K/kh_b"
printf 'hostb %s\n' "$(cut -d' ' -f1,2 "$K/hostb.pub")" >"$K/signers_b"
if sshverify "$TMP/a-by-b.json" "$TMP/a-by-b.json.sig" "$K/signers_b" hosta; then
	fail "hosts: ssh-keygen refuses host B's key for host A" "accepted"
else
	pass "hosts: ssh-keygen refuses host B's key for host A"
fi
# Hashed known_hosts (ssh-keygen -H), and a revoked key.
cp "$K/known_hosts" "$K/known_hosts_hashed"
ssh-keygen -q -H -f "$K/known_hosts_hashed" >/dev/null 2>&1
expect_status "hosts: hashed known_hosts" 0 "$TENKEN" verify "$TMP/a.json" \
	--signature "$TMP/a.json.sig" --known-hosts "$K/known_hosts_hashed"
if ssh-keygen -F hosta -f "$K/known_hosts_hashed" | grep -q "$(cut -d' ' -f2 "$K/hosta.pub")"; then
	pass "hosts: ssh-keygen -F finds host A in the hashed file too"
else
	fail "hosts: ssh-keygen -F finds host A in the hashed file too"
fi
{ cat "$K/known_hosts"; printf '@revoked * %s\n' "$(cut -d' ' -f1,2 "$K/hosta.pub")"; } \
	>"$K/known_hosts_revoked"
expect_status "hosts: a @revoked key is refused" 1 "$TENKEN" verify "$TMP/a.json" \
	--signature "$TMP/a.json.sig" --known-hosts "$K/known_hosts_revoked"

# The vendor signed; someone edits the summary and re-signs with his key.
scan_signed hosta "$TMP/v.json" "$K/ed25519"
jq -c '.summary.fail = 0' "$TMP/v.json" >"$TMP/edited.json"
"$TENKEN" verify "$TMP/v.json" --signature "$TMP/v.json.sig" --allowed-signers \
	"$K/vendor_signers" --identity vendor@x >/dev/null 2>&1 &&
	pass "edited: the vendor's report verifies as vendor@x" ||
	fail "edited: the vendor's report verifies as vendor@x"
ssh-keygen -q -Y sign -n tenken-report -f "$K/mallory" "$TMP/edited.json" >/dev/null 2>&1
expect_status "edited: re-signed by mallory, verified as vendor@x" 1 "$TENKEN" verify \
	"$TMP/edited.json" --signature "$TMP/edited.json.sig" --allowed-signers \
	"$K/vendor_signers" --identity vendor@x
expect_status "edited: re-signed by mallory, any signer: the summary contradicts the findings" \
	1 "$TENKEN" verify "$TMP/edited.json" --signature "$TMP/edited.json.sig" \
	--allowed-signers "$K/vendor_signers"
expect_grep "edited: the reason is the summary" 'summary does not count' "$TMP/out"
if sshverify "$TMP/edited.json" "$TMP/edited.json.sig" "$K/vendor_signers" vendor@x; then
	fail "edited: ssh-keygen refuses it as vendor@x too" "accepted"
else
	pass "edited: ssh-keygen refuses it as vendor@x too"
fi
# An answer flipped and the summary left alone, re-signed.
jq -c '(.checklist[] | select(.answer == "no") | .answer) = "yes"' "$TMP/v.json" >"$TMP/flip.json"
ssh-keygen -q -Y sign -n tenken-report -f "$K/mallory" "$TMP/flip.json" >/dev/null 2>&1
expect_status "edited: a flipped answer is refused whoever signed" 1 "$TENKEN" verify \
	"$TMP/flip.json" --signature "$TMP/flip.json.sig" --allowed-signers "$K/vendor_signers"
# Known hosts: host A's report edited and re-signed with host B's key.
jq -c '.summary.fail = 0' "$TMP/a.json" >"$TMP/a-edit.json"
ssh-keygen -q -Y sign -n tenken-report -f "$K/hostb" "$TMP/a-edit.json" >/dev/null 2>&1
expect_status "edited: host A's report re-signed by host B" 1 kh "$TMP/a-edit.json"

# ---- the live host signs with its own host key --------------------------------

hk=
for t in ed25519 ecdsa rsa; do
	[ -r "/etc/ssh/ssh_host_${t}_key" ] && [ -r "/etc/ssh/ssh_host_${t}_key.pub" ] &&
		hk=/etc/ssh/ssh_host_${t}_key && break
done
if [ -z "$hk" ]; then
	pass "host-key: live signing (skipped: no readable host key in /etc/ssh)"
else
	"$TENKEN" scan --only system,ssh --format json --output "$TMP/live.json" --sign host-key \
		>/dev/null 2>"$TMP/live.err"
	h=$(jq -r .provenance.host.hostname "$TMP/live.json" 2>/dev/null)
	printf '%s %s\n' "$h" "$(cut -d' ' -f1,2 "$hk.pub")" >"$K/live_known_hosts"
	printf '%s %s\n' "$h" "$(cut -d' ' -f1,2 "$hk.pub")" >"$K/live_signers"
	expect_status "host-key: the live report verifies against known_hosts" 0 "$TENKEN" verify \
		"$TMP/live.json" --signature "$TMP/live.json.sig" --known-hosts "$K/live_known_hosts"
	if sshverify "$TMP/live.json" "$TMP/live.json.sig" "$K/live_signers" "$h"; then
		pass "host-key: ssh-keygen verifies it with the host's public key"
	else
		fail "host-key: ssh-keygen verifies it with the host's public key" \
			"$(head -c 400 "$TMP/live.err")"
	fi
	expect_status "host-key: another host's known_hosts entry refuses it" 1 "$TENKEN" verify \
		"$TMP/live.json" --signature "$TMP/live.json.sig" --known-hosts "$K/known_hosts"
	fp=$(ssh-keygen -lf "$hk.pub" | cut -d' ' -f2)
	if jq -e --arg fp "$fp" '[.provenance.host.ssh_host_keys[].fingerprint] | index($fp)' \
		"$TMP/live.json" >/dev/null; then
		pass "host-key: provenance lists the signing host key's fingerprint"
	else
		fail "host-key: provenance lists the signing host key's fingerprint" \
			"$(jq -c .provenance.host "$TMP/live.json")"
	fi
fi
expect_status "host-key: refused with --root" 2 "$TENKEN" scan --root "$TMP/hosta" \
	--format json --output "$TMP/x.json" --sign host-key

# ---- provenance ------------------------------------------------------------------

p=$TMP/ed25519.json
expect_grep "provenance: the binary's sha256" \
	"\"binary_sha256\": \"$(sha256sum "$TENKEN" | cut -d' ' -f1)\"" "$p"
if [ "$(jq -r '.provenance.command_line | join(" ")' "$p")" = \
	"$TENKEN scan --root $TMP/hosta --now $NOW --format json --output $p --sign $K/ed25519" ]; then
	pass "provenance: the exact command line"
else
	fail "provenance: the exact command line" "$(jq -c .provenance.command_line "$p")"
fi
jq -r '.provenance | [.judged_at, .root, .mode, .host.hostname, .host.machine_id,
	.baseline_sha256] | map(tostring) | join(" ")' "$p" >"$TMP/prov"
expect_grep "provenance: judged time, root, mode, host" \
	"^$NOW $TMP/hosta offline hosta 0123456789abcdef0123456789abcdef null$" "$TMP/prov"
# Fingerprints: ssh-keygen -l of every .pub in the root.
for t in ed25519 ecdsa rsa; do
	fp=$(ssh-keygen -lf "$TMP/hosta/etc/ssh/ssh_host_${t}_key.pub" | cut -d' ' -f2)
	got=$(jq -r --arg p "/etc/ssh/ssh_host_${t}_key" \
		'.inventory.ssh_host_keys[] | select(.path == $p) | .fingerprint' "$p")
	if [ "$got" = "$fp" ] && jq -e --arg fp "$fp" \
		'.provenance.host.ssh_host_keys | map(.fingerprint) | index($fp)' "$p" >/dev/null; then
		pass "provenance: $t host key fingerprint equals ssh-keygen -l"
	else
		fail "provenance: $t host key fingerprint equals ssh-keygen -l" "tenken $got, ssh-keygen $fp"
	fi
done
# The same state twice: identical but for timestamps and durations.
"$TENKEN" scan --root "$TMP/hosta" --now "$NOW" --format json --output "$TMP/d.json" >/dev/null 2>&1
"$JSONNORM" "$TMP/d.json" >"$TMP/d1"
"$TENKEN" scan --root "$TMP/hosta" --now "$NOW" --format json --output "$TMP/d.json" >/dev/null 2>&1
"$JSONNORM" "$TMP/d.json" >"$TMP/d2"
if cmp -s "$TMP/d1" "$TMP/d2" && grep -q binary_sha256 "$TMP/d.json"; then
	pass "provenance: two scans of one state are identical but for timestamps"
else
	fail "provenance: two scans of one state are identical but for timestamps" \
		"$(diff "$TMP/d1" "$TMP/d2" | head -10)"
fi
# The rule-set hash: the same rules give the same hash (in another run,
# and through a baseline that only names the profile), one override
# changes it; the baseline's own hash is the file's.
rs() { jq -r .provenance.ruleset_sha256 "$1"; }
printf '{"extends": "server"}\n' >"$TMP/same.json"
printf '{"extends": "server", "params": {"max_inactive_days": 30}}\n' >"$TMP/param.json"
for b in same param; do
	"$TENKEN" scan --root "$TMP/hosta" --now "$NOW" --format json --baseline "$TMP/$b.json" \
		--output "$TMP/rs-$b.json" >/dev/null 2>&1
done
if [ "$(rs "$TMP/d.json")" = "$(rs "$TMP/ed25519.json")" ] &&
	[ "$(rs "$TMP/rs-same.json")" = "$(rs "$TMP/d.json")" ] &&
	[ "$(rs "$TMP/rs-param.json")" != "$(rs "$TMP/d.json")" ]; then
	pass "provenance: rule-set hash stable, changed by one override"
else
	fail "provenance: rule-set hash stable, changed by one override" \
		"$(rs "$TMP/d.json") $(rs "$TMP/rs-same.json") $(rs "$TMP/rs-param.json")"
fi
if [ "$(jq -r .provenance.baseline_sha256 "$TMP/rs-same.json")" = \
	"$(sha256sum "$TMP/same.json" | cut -d' ' -f1)" ]; then
	pass "provenance: baseline_sha256 is the file's sha256"
else
	fail "provenance: baseline_sha256 is the file's sha256"
fi
# Another build of the same source (the sanitizer or static build, when
# one was made) computes the same rule-set hash.
# A build made from other rule sources (a stale build/asan) is not "the
# same source": only builds whose compiled-in baselines equal this one's count.
for other in build/asan/tenken build/static/tenken; do
	[ -x "$other" ] || continue
	[ "$(dirname "$other")" != "$B" ] || continue
	cmp -s "$(dirname "$other")/embedded.c" "$B/embedded.c" || continue
	"$other" scan --root "$TMP/hosta" --now "$NOW" --format json --output "$TMP/o.json" \
		>/dev/null 2>&1
	if [ "$(rs "$TMP/o.json")" = "$(rs "$TMP/d.json")" ]; then
		pass "provenance: $other gives the same rule-set hash"
	else
		fail "provenance: $other gives the same rule-set hash"
	fi
done

# ---- usage and refusals ----------------------------------------------------------

u() {
	name=$1 want=$2
	shift 2
	expect_status "usage: $name" "$want" "$TENKEN" "$@"
}
u "--sign needs --output" 2 scan --root "$TMP/hosta" --format json --sign "$K/ed25519"
u "--sign needs --format json" 2 scan --root "$TMP/hosta" --format text --output "$TMP/x" \
	--sign "$K/ed25519"
u "--sign-cert needs --sign" 2 scan --root "$TMP/hosta" --format json --output "$TMP/x" \
	--sign-cert "$K/leaf.pem"
u "an encrypted key is refused" 2 scan --root "$TMP/hosta" --format json --output "$TMP/x" \
	--sign "$K/encrypted"
expect_grep "usage: the encrypted key's message" 'encrypted' "$TMP/err"
cp "$K/ed25519" "$K/open" && chmod 644 "$K/open"
u "a key readable by others is refused" 2 scan --root "$TMP/hosta" --format json \
	--output "$TMP/x" --sign "$K/open"
expect_grep "usage: the open key's message" 'group or others' "$TMP/err"
u "a missing key" 2 scan --root "$TMP/hosta" --format json --output "$TMP/x" --sign "$K/none"
if [ -e "$TMP/x" ] || [ -e "$TMP/x.sig" ]; then
	fail "usage: nothing written when the key is refused"
else
	pass "usage: nothing written when the key is refused"
fi
u "verify needs --signature" 2 verify "$TMP/a.json" --pubkey "$K/hosta.pub"
u "verify needs one trust option" 2 verify "$TMP/a.json" --signature "$TMP/a.json.sig"
u "verify takes one trust option" 2 verify "$TMP/a.json" --signature "$TMP/a.json.sig" \
	--pubkey "$K/hosta.pub" --known-hosts "$K/known_hosts"
u "an SSH signature with --ca" 2 verify "$TMP/a.json" --signature "$TMP/a.json.sig" \
	--ca "$K/root.pem"
u "a CMS signature with --pubkey" 2 verify "$TMP/cms.json" --signature "$TMP/cms.json.sig" \
	--pubkey "$K/hosta.pub"
u "a missing report" 2 verify "$TMP/none.json" --signature "$TMP/a.json.sig" \
	--pubkey "$K/hosta.pub"
u "--sign does not apply to report" 2 report --sign "$K/ed25519" "$TMP/a.json"
printf 'not a signature\n' >"$TMP/junk.sig"
u "garbage as the signature is invalid" 1 verify "$TMP/a.json" --signature "$TMP/junk.sig" \
	--pubkey "$K/hosta.pub"
"$TENKEN" verify --lang ja "$TMP/a-by-b.json" --signature "$TMP/a-by-b.json.sig" \
	--known-hosts "$K/known_hosts" >"$TMP/ja.out" 2>&1
expect_grep "usage: verify speaks Japanese" '^無効: .*既知のホスト鍵ではありません' "$TMP/ja.out"
ls "$TMP" | grep -q '\.tmp\.' && fail "usage: no temporary file left beside the outputs" ||
	pass "usage: no temporary file left beside the outputs"

# ---- the consistency check on every fixture report --------------------------------

# Every expected report of the fixture roots is consistent: signed with
# ssh-keygen, each verifies (no real report is refused by the check).
bad=
n=0
for e in tests/fixtures/*/expected.json; do
	cp "$e" "$TMP/fx.json"
	rm -f "$TMP/fx.json.sig"
	ssh-keygen -q -Y sign -n tenken-report -f "$K/ed25519" "$TMP/fx.json" >/dev/null 2>&1
	n=$((n + 1))
	"$TENKEN" verify "$TMP/fx.json" --signature "$TMP/fx.json.sig" --pubkey "$K/ed25519.pub" \
		>"$TMP/fx.out" 2>&1 || bad="$bad $e: $(head -c 200 "$TMP/fx.out")"
done
if [ -z "$bad" ] && [ "$n" -gt 0 ]; then
	pass "consistency: all $n fixture reports verify"
else
	fail "consistency: every fixture report verifies" "$bad"
fi

# ---- no private key material anywhere --------------------------------------------

# Plant the private keys in a scanned root too (as host keys and a user's
# key), then scan, sign and verify in every format and collect every
# output and error message.
mkroot planted
for t in ed25519 ecdsa rsa; do
	cp "$K/$t" "$TMP/planted/etc/ssh/ssh_host_${t}_key"
done
mkdir -p "$TMP/planted/root/.ssh"
cp "$K/mallory" "$TMP/planted/root/.ssh/id_ed25519"
cat "$K/ed25519" "$K/mallory" >>"$TMP/planted/home/alice/.ssh/authorized_keys"
: >"$TMP/all"
for fmt in json text html csv; do
	"$TENKEN" scan --root "$TMP/planted" --now "$NOW" --format "$fmt" --output "$TMP/p.$fmt" \
		>>"$TMP/all" 2>&1
	cat "$TMP/p.$fmt" >>"$TMP/all"
done
for n in ed25519 ecdsa rsa; do
	scan_signed planted "$TMP/ps.json" "$K/$n"
	cat "$TMP/ps.json" "$TMP/ps.json.sig" "$TMP/scan.out" "$TMP/scan.err" >>"$TMP/all"
	"$TENKEN" verify "$TMP/ps.json" --signature "$TMP/ps.json.sig" --pubkey "$K/$n.pub" \
		>>"$TMP/all" 2>&1
done
scan_signed planted "$TMP/ps.json" "$K/leaf.key" --sign-cert "$K/leaf-chain.pem"
cat "$TMP/ps.json.sig" "$TMP/scan.err" >>"$TMP/all"
for k in encrypted open none pem-ec; do
	"$TENKEN" scan --root "$TMP/planted" --format json --output "$TMP/q" --sign "$K/$k" \
		>>"$TMP/all" 2>&1
done
"$TENKEN" scan --root "$TMP/planted" --format json --output "$TMP/q" --sign "$K/ed25519" \
	--sign-cert "$K/leaf.pem" >>"$TMP/all" 2>&1
"$TENKEN" verify "$TMP/ps.json" --signature "$K/ed25519" --pubkey "$K/ed25519" >>"$TMP/all" 2>&1
for f in "$K/ed25519" "$K/ecdsa" "$K/rsa" "$K/mallory" "$K/leaf.key" "$K/pem-ec" "$K/encrypted"; do
	grep -v -e '^-----' "$f"
done | grep -E '.{16,}' >"$TMP/bodies"
if [ ! -s "$TMP/bodies" ]; then
	fail "secrets: private key lines collected"
elif grep -qF -f "$TMP/bodies" "$TMP/all"; then
	fail "secrets: no private key material in any output" \
		"$(grep -F -f "$TMP/bodies" "$TMP/all" | head -3 | cut -c1-60)"
else
	pass "secrets: no private key material in any output ($(wc -l <"$TMP/bodies") key lines, $(wc -c <"$TMP/all") bytes of output)"
fi
