/* elf.h - the ELF reader: hardening facts of one executable, computed
 * from its bytes with libelf, the way checksec 2.6 (Debian's `checksec
 * --file`) computes them, so the two agree on the same file.
 *
 * checksec's definitions, matched here on purpose (tests/e2e/elf.sh
 * compares every ELF of /usr/sbin):
 *  - RELRO: a PT_GNU_RELRO header; "full" if the dynamic section also
 *    has DT_BIND_NOW or DF_BIND_NOW in DT_FLAGS (DF_1_NOW alone, which
 *    readelf prints as "Flags: NOW", is "partial" for checksec too).
 *  - canary: a symbol of .dynsym or .symtab whose name contains
 *    __stack_chk_fail, __stack_chk_guard or __intel_security_cookie.
 *  - NX: a PT_GNU_STACK header whose flags are not all of R, W and X
 *    (no PT_GNU_STACK at all: NX disabled, as the kernel then maps the
 *    stack executable on most architectures).
 *  - PIE: e_type ET_DYN with a DT_DEBUG entry (a shared library has
 *    none: checksec calls it "DSO"); ET_EXEC is not PIE.
 *  - FORTIFY: some .dynsym name, leading underscores and version removed,
 *    ends in "_chk". "fortified" counts .dynsym names equal to one of
 *    libc's __*_chk functions, "fortifiable" adds those equal to the
 *    plain function ("memcpy" for "__memcpy_chk"); both need the libc of
 *    the scanned system (elf_libc_load) and are unknown (-1) without it.
 *  - RPATH / RUNPATH: the strings of DT_RPATH / DT_RUNPATH, split at ':'.
 *
 * Every field is hostile input: libelf checks offsets and sizes against
 * the buffer, and this file checks every index (string offsets, symbol
 * counts, version indices) before use. The only I/O is elf_analyze_fd's
 * pread on a descriptor the caller opened through the confined layer.
 */
#ifndef TENKEN_ELF_H
#define TENKEN_ELF_H

#include <stdbool.h>
#include <stddef.h>

enum elf_relro { ELF_RELRO_NONE, ELF_RELRO_PARTIAL, ELF_RELRO_FULL };
const char *elf_relro_name(enum elf_relro r);

/* The names of libc's fortified functions ("memcpy_chk") and their plain
 * counterparts ("memcpy"), sorted for bsearch. */
struct elf_libc {
	char **chk, **plain;
	size_t n_chk, n_plain;
};

struct elf_info {
	int elf_class; /* 32 or 64 */
	bool big_endian;
	unsigned e_type;  /* ET_EXEC, ET_DYN, ... */
	bool has_interp;  /* PT_INTERP */
	bool has_dynamic; /* PT_DYNAMIC or a SHT_DYNAMIC section */
	bool pie;
	enum elf_relro relro;
	bool nx;
	bool canary;
	bool fortify;
	long fortified;	  /* -1: unknown (no libc given) */
	long fortifiable; /* -1: unknown */
	bool paths_known; /* rpath/runpath could be read (false: no string table) */
	char **rpath;	  /* NULL-terminated, new strings; empty elements kept */
	char **runpath;
	size_t n_rpath, n_runpath;
	size_t n_needed; /* DT_NEEDED entries */
};

/* Analyse an ELF image. buf is borrowed but must be writable and stay
 * valid during the call: libelf may convert headers in place (the
 * caller's own copy of the file, never a mapping of the scanned file).
 * libc may be NULL (fortified/fortifiable then -1). Returns 0 and fills
 * ret (free with elf_info_free), -ENOEXEC if buf is not an ELF image,
 * -EBADMSG if it is one too damaged to read its headers, -ENOMEM. */
/* The same, from a file open at fd (read with pread; the file offset is
 * left alone): libelf reads the headers and the sections it needs only. */
int elf_analyze_fd(int fd, const struct elf_libc *libc, struct elf_info *ret);
int elf_analyze(char *buf, size_t len, const struct elf_libc *libc, struct elf_info *ret);
void elf_info_free(struct elf_info *info);

/* Load the fortify function list from the image of the system's libc
 * (libc.so.6): its defined, default-version .dynsym names of the form
 * __NAME_chk. Same buffer rules as elf_analyze. Returns 0 and a new list
 * (free with elf_libc_free), or -ENOEXEC/-EBADMSG/-ENOMEM. */
int elf_libc_load(char *buf, size_t len, struct elf_libc **ret);
void elf_libc_free(struct elf_libc *libc);

/* Whether a run-path list is unsafe for a binary that may run as root:
 * an empty element (the current directory), a relative one not starting
 * with $ORIGIN, or one under /tmp, /var/tmp or /dev/shm. World-writable
 * absolute directories need a stat and are checked by the caller. */
bool elf_path_insecure_lexical(const char *dir);

#endif
