/* elfcheck.c - test tool: the ELF reader's hardening facts for files of
 * this machine, printed as `checksec --file=F --output=csv` prints them,
 * so tests/e2e/elf.sh can compare the two line by line.
 *
 *   build/tools/elfcheck [--libc PATH] FILE...
 *
 * Files are read with plain open/read (this is a test tool on the host,
 * not a probe). The libc defaults to the first of checksec's candidates
 * that exists. Exit 0, or 2 on a usage error. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "probes/read/elf.h"
#include "lib/util.h"

#define MAX_FILE (512u << 20)

static int read_file(const char *path, struct buf *ret)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((size_t)st.st_size > MAX_FILE)
		return -EFBIG;
	char *p = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	if (!p)
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, p + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	p[got] = '\0';
	*ret = (struct buf){p, got};
	return 0;
}

static struct elf_libc *load_libc(const char *path)
{
	static const char *const cand[] = {
	    "/lib/libc.so.6",
	    "/lib/libc.so.7",
	    "/lib/libc.so",
	    "/lib64/libc.so.6",
	    "/lib/i386-linux-gnu/libc.so.6",
	    "/lib/x86_64-linux-gnu/libc.so.6",
	    "/lib/arm-linux-gnueabihf/libc.so.6",
	    "/lib/aarch64-linux-gnu/libc.so.6",
	};
	struct elf_libc *l = NULL;
	for (size_t i = 0; !path && i < ARRAY_SIZE(cand); i++)
		if (access(cand[i], F_OK) == 0)
			path = cand[i];
	_cleanup_buf_ struct buf b = {0};
	if (!path || read_file(path, &b) < 0 || elf_libc_load(b.data, b.len, &l) < 0)
		return NULL;
	return l;
}

static bool same_info(const struct elf_info *a, const struct elf_info *b)
{
	return a->elf_class == b->elf_class && a->e_type == b->e_type && a->pie == b->pie &&
	       a->relro == b->relro && a->nx == b->nx && a->canary == b->canary &&
	       a->fortify == b->fortify && a->fortified == b->fortified &&
	       a->fortifiable == b->fortifiable && a->n_rpath == b->n_rpath &&
	       a->n_runpath == b->n_runpath && a->paths_known == b->paths_known;
}

/* The probe reads executables from a descriptor (elf_analyze_fd); the
 * fuzz target and the libc loader from memory (elf_analyze). Both are
 * run on every file, and must agree. */
static int analyze_both(const char *path, const struct elf_libc *libc, struct elf_info *ret)
{
	_cleanup_buf_ struct buf b = {0};
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct elf_info mem;
	int r = read_file(path, &b);
	if (r < 0)
		return r;
	int rm = elf_analyze(b.data, b.len, libc, &mem);
	int rf = fd < 0 ? -errno : elf_analyze_fd(fd, libc, ret);
	bool same = rm == rf && (rm < 0 || same_info(&mem, ret));
	if (rm == 0)
		elf_info_free(&mem);
	if (!same) {
		if (rf == 0)
			elf_info_free(ret);
		return -EILSEQ; /* printed as an error line: elf.sh counts it */
	}
	return rf;
}

static void print_one(const char *path, const struct elf_libc *libc)
{
	struct elf_info in;
	int r = analyze_both(path, libc, &in);
	if (r < 0) {
		printf("error %d,%s\n", r, path);
		return;
	}
	static const char *const relro[] = {"No RELRO", "Partial RELRO", "Full RELRO"};
	const char *pie = in.e_type == 2   ? "No PIE"
			  : in.e_type == 3 ? (in.pie ? "PIE enabled" : "DSO")
			  : in.e_type == 1 ? "REL"
					   : "Not an ELF file";
	bool rp = in.n_rpath > 1 || (in.n_rpath == 1 && in.rpath[0][0]);
	bool rn = in.n_runpath > 1 || (in.n_runpath == 1 && in.runpath[0][0]);
	printf("%s,%s,%s,%s,%s,%s,%s,%ld,%ld,%s\n", relro[in.relro],
	       in.canary ? "Canary found" : "No Canary found", in.nx ? "NX enabled" : "NX disabled",
	       pie, rp ? "RPATH" : "No RPATH", rn ? "RUNPATH" : "No RUNPATH",
	       in.fortify ? "Yes" : "No", in.fortified, in.fortifiable, path);
	elf_info_free(&in);
}

int main(int argc, char **argv)
{
	const char *libc_path = NULL;
	int i = 1;
	if (argc > 2 && strcmp(argv[1], "--libc") == 0) {
		libc_path = argv[2];
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: elfcheck [--libc PATH] FILE...\n");
		return 2;
	}
	struct elf_libc *libc = load_libc(libc_path);
	for (; i < argc; i++)
		print_one(argv[i], libc);
	elf_libc_free(libc);
	return 0;
}
