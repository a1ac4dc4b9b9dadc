/* test_elf.c - the ELF reader: hardening facts of small programs compiled
 * at test time with each hardening flag on and off (gcc is where the tests
 * build; without it those cases are skipped), hand-made headers for both
 * classes and byte orders, and hostile images (truncated at every 64-byte
 * boundary, absurd offsets and counts, overlapping sections, random byte
 * flips) that must never crash or hang the reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "probes/read/elf.h"
#include "lib/util.h"

static char tmpdir[256];

static int read_all(const char *path, struct buf *ret)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	char *p = malloc((size_t)st.st_size + 1);
	assert_non_null(p);
	ssize_t n = read(fd, p, (size_t)st.st_size);
	assert_int_equal(n, st.st_size);
	p[n] = '\0';
	*ret = (struct buf){p, (size_t)n};
	return 0;
}

static const char prog_src[] = "#include <stdio.h>\n#include <string.h>\n"
			       "int main(int argc, char **argv) {\n"
			       "  char b[16];\n"
			       "  strcpy(b, argc > 1 ? argv[1] : \"x\");\n"
			       "  printf(\"%s %d\\n\", b, argc);\n"
			       "  return 0;\n}\n";

/* gcc prog.c -o NAME FLAGS... (NULL-terminated). 0 on success. */
static int compile(const char *name, ...)
{
	const char *argv[32] = {"gcc", "-o", NULL};
	char out[512], src[512];
	size_t n = 3;
	va_list ap;
	snprintf(out, sizeof(out), "%s/%s", tmpdir, name);
	snprintf(src, sizeof(src), "%s/prog.c", tmpdir);
	argv[2] = out;
	va_start(ap, name);
	for (const char *a; n < 29 && (a = va_arg(ap, const char *));)
		argv[n++] = a;
	va_end(ap);
	argv[n++] = src;
	argv[n] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 2);
		execvp("gcc", (char *const *)argv);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static bool have_gcc;

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_elf.XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	char src[512];
	snprintf(src, sizeof(src), "%s/prog.c", tmpdir);
	FILE *f = fopen(src, "w");
	if (!f)
		return -1;
	fputs(prog_src, f);
	fclose(f);
	have_gcc = compile("probe-gcc", NULL) == 0;
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct elf_libc *host_libc(void)
{
	static const char *const cand[] = {"/lib/x86_64-linux-gnu/libc.so.6",
					   "/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6",
					   "/lib/libc.so.6"};
	for (size_t i = 0; i < ARRAY_SIZE(cand); i++) {
		_cleanup_buf_ struct buf b = {0};
		struct elf_libc *l = NULL;
		if (read_all(cand[i], &b) == 0 && elf_libc_load(b.data, b.len, &l) == 0)
			return l;
	}
	return NULL;
}

static void analyze_file(const char *name, const struct elf_libc *libc, struct elf_info *ret)
{
	char path[512];
	_cleanup_buf_ struct buf b = {0};
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_int_equal(read_all(path, &b), 0);
	assert_int_equal(elf_analyze(b.data, b.len, libc, ret), 0);
}

/* ---- compiled programs ---- */

static const struct build_case {
	const char *name;
	const char *flags[8];
	int pie, relro, nx, canary, fortify; /* -1: don't check */
} builds[] = {
    {"nopie",
     {"-no-pie", "-fno-stack-protector", "-Wl,-z,norelro", "-O0"},
     0,
     ELF_RELRO_NONE,
     1,
     0,
     0},
    {"hardened",
     {"-fPIE", "-pie", "-Wl,-z,relro,-z,now", "-fstack-protector-all", "-O2",
      "-D_FORTIFY_SOURCE=2"},
     1,
     ELF_RELRO_FULL,
     1,
     1,
     1},
    {"partial",
     {"-fPIE", "-pie", "-Wl,-z,relro,-z,lazy", "-fno-stack-protector", "-O0"},
     1,
     ELF_RELRO_PARTIAL,
     1,
     0,
     0},
    {"execstack", {"-Wl,-z,execstack", "-fstack-protector-all"}, -1, -1, 0, 1, -1},
    {"nofortify", {"-O2", "-U_FORTIFY_SOURCE", "-D_FORTIFY_SOURCE=0"}, -1, -1, 1, -1, 0},
    {"dso", {"-shared", "-fPIC"}, 0, -1, 1, -1, -1},
};

static void test_builds(void **state)
{
	if (!have_gcc)
		skip();
	struct elf_libc *libc = host_libc();
	for (size_t i = 0; i < ARRAY_SIZE(builds); i++) {
		const struct build_case *c = &builds[i];
		const char *const *f = c->flags;
		assert_int_equal(compile(c->name, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]),
				 0);
		struct elf_info in;
		analyze_file(c->name, libc, &in);
		if (c->pie >= 0)
			assert_int_equal(in.pie, c->pie);
		if (c->relro >= 0)
			assert_int_equal(in.relro, c->relro);
		assert_int_equal(in.nx, c->nx);
		if (c->canary >= 0)
			assert_int_equal(in.canary, c->canary);
		if (c->fortify >= 0)
			assert_int_equal(in.fortify, c->fortify);
		assert_int_equal(in.n_rpath + in.n_runpath, 0);
		assert_true(in.paths_known);
		if (libc && c->fortify == 1) {
			/* __strcpy_chk and __printf_chk */
			assert_true(in.fortified >= 2);
			assert_true(in.fortifiable >= in.fortified);
		}
		if (!libc)
			assert_int_equal(in.fortified, -1);
		elf_info_free(&in);
	}
	elf_libc_free(libc);
}

static void test_rpaths(void **state)
{
	if (!have_gcc)
		skip();
	struct elf_info in;
	assert_int_equal(
	    compile("rpath", "-Wl,--disable-new-dtags,-rpath,/tmp:/usr/lib::rel", NULL), 0);
	analyze_file("rpath", NULL, &in);
	assert_int_equal(in.n_rpath, 4);
	assert_int_equal(in.n_runpath, 0);
	assert_string_equal(in.rpath[0], "/tmp");
	assert_string_equal(in.rpath[1], "/usr/lib");
	assert_string_equal(in.rpath[2], "");
	assert_string_equal(in.rpath[3], "rel");
	assert_null(in.rpath[4]);
	assert_int_equal(in.fortified, -1);
	elf_info_free(&in);

	assert_int_equal(compile("runpath", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib", NULL),
			 0);
	analyze_file("runpath", NULL, &in);
	assert_int_equal(in.n_rpath, 0);
	assert_int_equal(in.n_runpath, 1);
	assert_string_equal(in.runpath[0], "$ORIGIN/../lib");
	elf_info_free(&in);
}

static void test_path_lexical(void **state)
{
	static const struct {
		const char *dir;
		bool insecure;
	} cases[] = {
	    {"", true},
	    {"lib", true},
	    {"./lib", true},
	    {"../lib", true},
	    {"/tmp", true},
	    {"/tmp/x", true},
	    {"/var/tmp/lib", true},
	    {"/dev/shm", true},
	    {"/tmpfoo", false},
	    {"/usr/lib", false},
	    {"$ORIGIN/../lib", false},
	    {"${ORIGIN}/lib", false},
	    {"/opt/app/lib", false},
	    {"$ORIGINX", false},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(elf_path_insecure_lexical(cases[i].dir), cases[i].insecure);
}

/* ---- hand-made headers: both classes, both byte orders ---- */

static void put(unsigned char *p, uint64_t v, int size, bool be)
{
	for (int i = 0; i < size; i++)
		p[be ? size - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* An ELF header and three program headers: PT_GNU_STACK with stack_flags,
 * PT_GNU_RELRO, PT_INTERP (pointing at "/lib/ld.so" in the file). */
static size_t make_elf(unsigned char *img, size_t cap, bool is64, bool be, unsigned type,
		       unsigned stack_flags)
{
	size_t eh = is64 ? 64 : 52, ph = is64 ? 56 : 32, n = 3;
	size_t interp_off = eh + n * ph, total = interp_off + 16;
	assert_true(total <= cap);
	memset(img, 0, total);
	memcpy(img, ELFMAG, SELFMAG);
	img[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
	img[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
	img[EI_VERSION] = EV_CURRENT;
	put(img + 16, type, 2, be);
	put(img + 18, is64 ? EM_X86_64 : EM_386, 2, be);
	put(img + 20, EV_CURRENT, 4, be);
	put(img + (is64 ? 32 : 28), eh, is64 ? 8 : 4, be);  /* e_phoff */
	put(img + (is64 ? 52 : 40), eh, 2, be);		    /* e_ehsize */
	put(img + (is64 ? 54 : 42), ph, 2, be);		    /* e_phentsize */
	put(img + (is64 ? 56 : 44), n, 2, be);		    /* e_phnum */
	put(img + (is64 ? 58 : 46), is64 ? 64 : 40, 2, be); /* e_shentsize */
	const unsigned types[] = {PT_GNU_STACK, PT_GNU_RELRO, PT_INTERP};
	for (size_t i = 0; i < n; i++) {
		unsigned char *p = img + eh + i * ph;
		unsigned flags = i == 0 ? stack_flags : PF_R;
		put(p, types[i], 4, be);
		put(p + (is64 ? 4 : 24), flags, 4, be);
		if (types[i] == PT_INTERP) {
			put(p + (is64 ? 8 : 4), interp_off, is64 ? 8 : 4, be);
			put(p + (is64 ? 32 : 16), 11, is64 ? 8 : 4, be);
		}
	}
	memcpy(img + interp_off, "/lib/ld.so", 11);
	return total;
}

static void test_classes_and_endians(void **state)
{
	for (int v = 0; v < 8; v++) {
		bool is64 = v & 1, be = v & 2, rwx = v & 4;
		unsigned char img[512];
		size_t len = make_elf(img, sizeof(img), is64, be, ET_DYN,
				      rwx ? PF_R | PF_W | PF_X : PF_R | PF_W);
		struct elf_info in;
		assert_int_equal(elf_analyze((char *)img, len, NULL, &in), 0);
		assert_int_equal(in.elf_class, is64 ? 64 : 32);
		assert_int_equal(in.big_endian, be);
		assert_int_equal(in.e_type, ET_DYN);
		assert_true(in.has_interp);
		assert_int_equal(in.relro, ELF_RELRO_PARTIAL);
		assert_int_equal(in.nx, !rwx);
		assert_false(in.pie); /* no DT_DEBUG: checksec says DSO */
		assert_false(in.canary);
		elf_info_free(&in);
	}
}

/* ---- hostile images ---- */

static void test_not_elf(void **state)
{
	struct elf_info in;
	char empty[1] = {0};
	char text[] = "#!/bin/sh\necho hi\n";
	char magic_only[] = "\x7f"
			    "ELF";
	char bad_class[EI_NIDENT + 64] = "\x7f"
					 "ELF\x09";
	assert_int_equal(elf_analyze(empty, 0, NULL, &in), -ENOEXEC);
	assert_int_equal(elf_analyze(text, sizeof(text) - 1, NULL, &in), -ENOEXEC);
	assert_int_equal(elf_analyze(magic_only, 4, NULL, &in), -ENOEXEC);
	assert_int_equal(elf_analyze(bad_class, sizeof(bad_class), NULL, &in), -EBADMSG);
	struct elf_libc *l = NULL;
	assert_int_equal(elf_libc_load(text, sizeof(text) - 1, &l), -ENOEXEC);
	assert_null(l);
}

/* Parse a copy (libelf may convert in place); any result but a crash,
 * a hang or a leak is fine. */
static void parse_copy(const unsigned char *img, size_t len, const struct elf_libc *libc)
{
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, img, len);
	struct elf_info in;
	if (elf_analyze(copy, len, libc, &in) == 0)
		elf_info_free(&in);
	memcpy(copy, img, len);
	struct elf_libc *l = NULL;
	if (elf_libc_load(copy, len, &l) == 0)
		elf_libc_free(l);
	free(copy);
}

static void load_sample(struct buf *b)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/hardened", tmpdir);
	if (have_gcc && read_all(path, b) == 0)
		return;
	unsigned char img[512];
	size_t len = make_elf(img, sizeof(img), true, false, ET_DYN, PF_R | PF_W);
	b->data = malloc(len + 1);
	assert_non_null(b->data);
	memcpy(b->data, img, len);
	b->len = len;
}

static void test_truncated(void **state)
{
	_cleanup_buf_ struct buf b = {0};
	load_sample(&b);
	for (size_t len = 0; len < b.len; len += 64)
		parse_copy((unsigned char *)b.data, len, NULL);
	for (size_t len = b.len > 200 ? b.len - 200 : 0; len < b.len; len++)
		parse_copy((unsigned char *)b.data, len, NULL);
}

static void test_absurd_headers(void **state)
{
	_cleanup_buf_ struct buf b = {0};
	load_sample(&b);
	if (b.data[EI_CLASS] != ELFCLASS64)
		skip();
	unsigned char *img = malloc(b.len);
	assert_non_null(img);
	/* (offset in the ELF64 header, size, value) */
	static const struct {
		size_t off;
		int size;
		uint64_t v;
	} edits[] = {
	    {32, 8, UINT64_MAX}, {32, 8, 0x7fffffff}, {32, 8, 1}, /* e_phoff */
	    {40, 8, UINT64_MAX}, {40, 8, 0xfffffff0}, {40, 8, 3}, /* e_shoff */
	    {56, 2, 0xffff},	 {56, 2, 0},			  /* e_phnum */
	    {60, 2, 0xffff},	 {60, 2, 0},			  /* e_shnum */
	    {62, 2, 0xffff},	 {62, 2, 0xfffe},		  /* e_shstrndx */
	    {54, 2, 1},		 {58, 2, 1},			  /* entry sizes */
	    {54, 2, 0xffff},	 {58, 2, 0xffff},
	};
	for (size_t i = 0; i < ARRAY_SIZE(edits); i++) {
		memcpy(img, b.data, b.len);
		put(img + edits[i].off, edits[i].v, edits[i].size, false);
		parse_copy(img, b.len, NULL);
	}
	free(img);
}

/* Every section header rewritten: all at one offset (overlapping), sizes
 * past the end, links out of range, entry sizes of zero. */
static void test_hostile_sections(void **state)
{
	_cleanup_buf_ struct buf b = {0};
	load_sample(&b);
	if (b.data[EI_CLASS] != ELFCLASS64 || b.len < 64)
		skip();
	Elf64_Ehdr eh;
	memcpy(&eh, b.data, sizeof(eh));
	if (eh.e_shoff == 0 || eh.e_shoff > b.len || eh.e_shnum > (b.len - eh.e_shoff) / 64)
		skip();
	unsigned char *img = malloc(b.len);
	assert_non_null(img);
	for (int mode = 0; mode < 6; mode++) {
		memcpy(img, b.data, b.len);
		for (size_t i = 0; i < eh.e_shnum; i++) {
			Elf64_Shdr sh;
			unsigned char *p = img + eh.e_shoff + i * sizeof(sh);
			memcpy(&sh, p, sizeof(sh));
			if (mode == 0)
				sh.sh_offset = 64;
			else if (mode == 1)
				sh.sh_size = UINT64_MAX - 7;
			else if (mode == 2)
				sh.sh_link = (Elf64_Word)(i + 1000);
			else if (mode == 3)
				sh.sh_entsize = 0;
			else if (mode == 4)
				sh.sh_link = (Elf64_Word)i; /* its own string table */
			else
				sh.sh_offset = b.len - 1;
			memcpy(p, &sh, sizeof(sh));
		}
		parse_copy(img, b.len, NULL);
	}
	free(img);
}

static void test_random_flips(void **state)
{
	_cleanup_buf_ struct buf b = {0};
	load_sample(&b);
	struct elf_libc *libc = host_libc();
	unsigned char *img = malloc(b.len);
	assert_non_null(img);
	uint64_t x = 0x9e3779b97f4a7c15u;
	for (int round = 0; round < 1500; round++) {
		memcpy(img, b.data, b.len);
		for (int k = 0; k < 8; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* mostly the headers, where offsets and counts live */
			size_t span = (k & 1) ? b.len : (b.len < 256 ? b.len : 256);
			img[x % span] = (unsigned char)(x >> 32);
		}
		parse_copy(img, b.len, libc);
	}
	free(img);
	elf_libc_free(libc);
}

static void test_libc_list(void **state)
{
	struct elf_libc *l = host_libc();
	if (!l)
		skip();
	assert_true(l->n_chk > 50); /* glibc 2.36 has ~80 */
	assert_true(l->n_plain > 50);
	const char *memcpy_chk = "memcpy_chk", *memcpy_plain = "memcpy";
	bool found = false, found_plain = false;
	for (size_t i = 0; i < l->n_chk; i++)
		found |= strcmp(l->chk[i], memcpy_chk) == 0;
	for (size_t i = 0; i < l->n_plain; i++)
		found_plain |= strcmp(l->plain[i], memcpy_plain) == 0;
	assert_true(found);
	assert_true(found_plain);
	for (size_t i = 1; i < l->n_chk; i++)
		assert_true(strcmp(l->chk[i - 1], l->chk[i]) < 0);
	elf_libc_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builds),	   cmocka_unit_test(test_rpaths),
	    cmocka_unit_test(test_path_lexical),   cmocka_unit_test(test_classes_and_endians),
	    cmocka_unit_test(test_not_elf),	   cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_absurd_headers), cmocka_unit_test(test_hostile_sections),
	    cmocka_unit_test(test_random_flips),   cmocka_unit_test(test_libc_list),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
