#!/usr/bin/env python3
"""make lint: the rules a compiler does not check.

1. Every file a probe reads goes through the confined layer (probes/read/fsroot.c).
   A raw open/openat/fopen/opendir/stat/exec* elsewhere is an error unless
   the (file, function) pair is in ALLOWED below, with the reason.
2. Functions on the banned list are never called (as curl and redis keep one):
   unbounded copies, non-reentrant tokenizers, NSS lookups that would read the
   scanning host instead of the scanned root, shell execution.

Comments and string literals are stripped first, so prose may name them.
With FILE arguments, checks those (paths relative to the top of the tree).
Prints file:line: message for each problem; exits 1 if there is any.
"""
import re
import subprocess
import sys

RAW_IO = ["open", "openat", "openat2", "fopen", "freopen", "opendir", "fdopendir",
          "stat", "lstat", "fstatat", "statx", "access", "faccessat", "readlink",
          "readlinkat", "execl", "execlp", "execle", "execv", "execvp", "execvpe",
          "execve", "execveat", "fexecve", "posix_spawn", "posix_spawnp", "fork", "vfork"]

BANNED = {
    "strcpy": "unbounded copy: use snprintf or memcpy with a length",
    "strcat": "unbounded copy: use snprintf",
    "sprintf": "unbounded: use snprintf or asprintf",
    "vsprintf": "unbounded: use vsnprintf",
    "gets": "unbounded read",
    "strtok": "not reentrant: use strtok_r or strsep",
    "tmpnam": "racy temporary name: use mkostemp",
    "tempnam": "racy temporary name: use mkostemp",
    "mktemp": "racy temporary name: use mkostemp",
    "getpwnam": "NSS reads the scanning host, not the scanned root",
    "getpwuid": "NSS reads the scanning host, not the scanned root",
    "getgrnam": "NSS reads the scanning host, not the scanned root",
    "getgrgid": "NSS reads the scanning host, not the scanned root",
    "getpwent": "NSS reads the scanning host, not the scanned root",
    "getgrent": "NSS reads the scanning host, not the scanned root",
    "getspnam": "NSS reads the scanning host, not the scanned root",
    "atoi": "no error detection: use strtol with checks",
    "atol": "no error detection: use strtol with checks",
    "alloca": "unbounded stack use",
    "system": "runs a shell",
    "popen": "runs a shell",
}

# (file, function): why this place may do raw I/O. Keep it short.
ALLOWED = {
    ("probes/read/fsroot.c", "*"): "the confined layer itself",
    ("probes/liveexec.c", "*"): "runs fixed absolute-path system tools on a live host only",
    ("probes/firewall.c", "open"): "opens /dev/null for nft's stdin in the child (live only)",
    ("probes/read/usbdev.c", "open"): "the libudev backend (live only) reads the binary "
                                      "descriptors in the device's syspath beside libudev, whose "
                                      "string values stop at NUL: O_NOFOLLOW, regular file, bounded",
    ("probes/firewall.c", "execve"): "runs " + "/usr/sbin/nft -j list ruleset (live only)",
    ("probes/firewall.c", "access"): "is nft installed (live only)",
    ("probes/firewall.c", "fork"): "runs nft in a child with a timeout (live only)",
    ("scanner/main.c", "open"): "writes the report on the invoking user's filesystem",
    ("scanner/main.c", "stat"): "is --output a device or FIFO (the invoking user's filesystem)",
    ("lib/readfile.c", "open"): "reads a file the invoking user names (a saved report, --baseline, "
                                "a key, a signature) on their own filesystem, whole with a cap",
    ("scanner/cache.c", "*"): "--cache-dir: tenken's own state directory, checked before use",
    ("evidence/sign.c", "open"): "reads the --sign key, certificates, reports and signatures "
                                 "the user names (the invoking user's filesystem)",
    ("evidence/provenance.c", "open"): "hashes the running binary (/proc/self/exe)",
    ("tools/embed.c", "*"): "a build tool, not part of tenken",
    ("bench/floor.c", "*"): "make bench's raw-input floor, not part of tenken",
    ("store/ingest.c", "*"): "reads the report files and directories the admin names (report --db)",
    ("fleet/fleet.c", "*"): "tenken fleet: runs /usr/bin/ssh, writes DIR on the collector, never "
                            "reads a scanned root",
    ("fleet/dated.c", "*"): "scan --output-dir: the dated reports directory of the timer",
}


def strip(src):
    """Blank out comments and string/char literals, keeping line numbers."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", src[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


CALL = re.compile(r"(?<![\w.>])(\w+)\s*\(")


def main():
    files = sys.argv[1:] or subprocess.run(["git", "ls-files", "*.c", "*.h"],
                                           capture_output=True, text=True,
                                           check=True).stdout.split()
    problems = 0
    for f in files:
        if f.startswith("tests/"):
            continue
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = strip(fh.read())
        for lineno, line in enumerate(text.split("\n"), 1):
            if line.lstrip().startswith("#define"):
                continue
            for m in CALL.finditer(line):
                name = m.group(1)
                if name in BANNED:
                    print(f"{f}:{lineno}: {name}() is banned: {BANNED[name]}")
                    problems += 1
                elif name in RAW_IO and (f, name) not in ALLOWED and (f, "*") not in ALLOWED:
                    print(f"{f}:{lineno}: raw {name}() outside the confined layer "
                          f"(read through probes/read/fsroot.h, or add ({f}, {name}) to "
                          f"ALLOWED in tools/lint.py with the reason)")
                    problems += 1
    if problems:
        print(f"lint: {problems} problem(s)")
        return 1
    print(f"lint: {len(files)} files, no problem")
    return 0


if __name__ == "__main__":
    sys.exit(main())
