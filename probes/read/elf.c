/* elf.c - the ELF reader (see elf.h for what each fact means and why it
 * follows checksec). libelf parses the image in memory (elf_memory); it
 * checks the header tables against the buffer's size, and this file
 * checks the rest: entry counts from sizes, string offsets through
 * elf_strptr, version indices against the versym table. An image libelf
 * cannot read at all is -EBADMSG; a damaged table is skipped and the
 * facts it would have given keep their safe default (absent). */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/read/elf.h"
#include "lib/util.h"

const char *elf_relro_name(enum elf_relro r)
{
	switch (r) {
	case ELF_RELRO_FULL:
		return "full";
	case ELF_RELRO_PARTIAL:
		return "partial";
	default:
		return "none";
	}
}

static void elf_endp(Elf **e)
{
	if (*e)
		elf_end(*e);
}
#define _cleanup_elf_ _cleanup_(elf_endp)

static int elf_open_image(char *buf, size_t len, Elf **ret)
{
	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	if (buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64)
		return -EBADMSG;
	elf_version(EV_CURRENT);
	Elf *e = elf_memory(buf, len);
	if (!e)
		return -EBADMSG;
	if (elf_kind(e) != ELF_K_ELF) {
		elf_end(e);
		return -ENOEXEC;
	}
	*ret = e;
	return 0;
}

/* "a::b" -> "a", "", "b": an empty element means the current directory
 * to the dynamic loader, so it is kept. */
static int split_paths(const char *s, char ***v, size_t *n)
{
	for (;;) {
		size_t l = strcspn(s, ":");
		int r = strv_push_n(v, n, s, l);
		if (r < 0 || !s[l])
			return r;
		s += l + 1;
	}
}

/* ---- program headers ---- */

struct dyn_ref {
	bool has_phdrs; /* any program header: then only PT_DYNAMIC counts */
	bool present;
	GElf_Off off;
	GElf_Xword size;
};

static void read_phdrs(Elf *e, struct elf_info *info, struct dyn_ref *dyn)
{
	size_t phnum = 0;
	bool stack = false, stack_rwx = false;
	if (elf_getphdrnum(e, &phnum) != 0)
		phnum = 0;
	dyn->has_phdrs = phnum > 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph))
			break;
		if (ph.p_type == PT_GNU_RELRO)
			info->relro = ELF_RELRO_PARTIAL;
		else if (ph.p_type == PT_INTERP)
			info->has_interp = true;
		else if (ph.p_type == PT_DYNAMIC && !dyn->present)
			*dyn = (struct dyn_ref){true, true, ph.p_offset, ph.p_filesz};
		else if (ph.p_type == PT_GNU_STACK) {
			stack = true;
			stack_rwx |= (ph.p_flags & (PF_R | PF_W | PF_X)) == (PF_R | PF_W | PF_X);
		}
	}
	info->nx = stack && !stack_rwx;
	info->has_dynamic = dyn->present;
}

/* ---- dynamic section ---- */

struct dyn_flags {
	bool bind_now, debug;
};

/* One dynamic entry. strtab is the section index of its string table, or
 * 0 when unknown (no section headers): strings are then unknown. */
static int dyn_entry(Elf *e, const GElf_Dyn *d, size_t strtab, struct elf_info *info,
		     struct dyn_flags *fl)
{
	const char *s = NULL;
	switch (d->d_tag) {
	case DT_BIND_NOW:
		fl->bind_now = true;
		return 0;
	case DT_FLAGS:
		fl->bind_now |= (d->d_un.d_val & DF_BIND_NOW) != 0;
		return 0;
	case DT_DEBUG:
		fl->debug = true;
		return 0;
	case DT_NEEDED:
		info->n_needed++;
		return 0;
	case DT_RPATH:
	case DT_RUNPATH:
		break;
	default:
		return 0;
	}
	if (strtab)
		s = elf_strptr(e, strtab, d->d_un.d_val);
	if (!s) {
		info->paths_known = false;
		return 0;
	}
	if (d->d_tag == DT_RPATH)
		return split_paths(s, &info->rpath, &info->n_rpath);
	return split_paths(s, &info->runpath, &info->n_runpath);
}

static int read_dyn_data(Elf *e, Elf_Data *data, size_t strtab, struct elf_info *info,
			 struct dyn_flags *fl)
{
	size_t esz = gelf_fsize(e, ELF_T_DYN, 1, EV_CURRENT);
	if (!data || !esz || data->d_type != ELF_T_DYN)
		return 0;
	size_t n = data->d_size / esz;
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn d;
		if (!gelf_getdyn(data, (int)i, &d) || d.d_tag == DT_NULL)
			break; /* readelf -d stops at the first DT_NULL too */
		int r = dyn_entry(e, &d, strtab, info, fl);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- symbols ---- */

static bool has_suffix(const char *s, size_t len, const char *sfx)
{
	size_t l = strlen(sfx);
	return len >= l && memcmp(s + len - l, sfx, l) == 0;
}

static bool in_list(char **v, size_t n, const char *name)
{
	return n && bsearch(&name, v, n, sizeof(char *), strv_cmp) != NULL;
}

/* A .dynsym name as checksec compares it: leading underscores and
 * anything from '@' removed. */
static void fortify_symbol(const char *name, const struct elf_libc *libc, struct elf_info *info)
{
	while (*name == '_')
		name++;
	size_t len = strcspn(name, "@");
	if (!len)
		return;
	if (has_suffix(name, len, "_chk"))
		info->fortify = true;
	if (!libc)
		return;
	char tmp[256];
	if (len >= sizeof(tmp))
		return; /* longer than any libc function name */
	memcpy(tmp, name, len);
	tmp[len] = '\0';
	if (in_list(libc->chk, libc->n_chk, tmp)) {
		info->fortified++;
		info->fortifiable++;
	} else if (in_list(libc->plain, libc->n_plain, tmp)) {
		info->fortifiable++;
	}
}

static bool canary_symbol(const char *name)
{
	return strstr(name, "__stack_chk_fail") || strstr(name, "__stack_chk_guard") ||
	       strstr(name, "__intel_security_cookie");
}

static void read_symbols(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, const struct elf_libc *libc,
			 struct elf_info *info)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t esz = gelf_fsize(e, ELF_T_SYM, 1, EV_CURRENT);
	if (!data || !esz || data->d_type != ELF_T_SYM)
		return;
	size_t n = data->d_size / esz;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			break;
		const char *name = elf_strptr(e, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (canary_symbol(name))
			info->canary = true;
		if (sh->sh_type == SHT_DYNSYM)
			fortify_symbol(name, libc, info);
	}
}

/* ---- sections ---- */

static int read_sections(Elf *e, const struct elf_libc *libc, struct elf_info *info,
			 const struct dyn_ref *dyn, struct dyn_flags *fl, bool *ret_dyn_seen)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			break;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) {
			read_symbols(e, scn, &sh, libc, info);
			continue;
		}
		/* readelf -d (so checksec) reads the dynamic section only
		 * through PT_DYNAMIC when there are program headers. */
		if (sh.sh_type != SHT_DYNAMIC || *ret_dyn_seen || (dyn->has_phdrs && !dyn->present))
			continue;
		*ret_dyn_seen = true;
		info->has_dynamic = true;
		int r = read_dyn_data(e, elf_getdata(scn, NULL), sh.sh_link, info, fl);
		if (r < 0)
			return r;
	}
	return 0;
}

static int analyze(Elf *e, const struct elf_libc *libc, struct elf_info *info)
{
	GElf_Ehdr eh;
	if (!gelf_getehdr(e, &eh))
		return -EBADMSG;
	info->elf_class = gelf_getclass(e) == ELFCLASS64 ? 64 : 32;
	info->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	info->e_type = eh.e_type;
	info->paths_known = true;
	info->fortified = info->fortifiable = libc ? 0 : -1;
	struct dyn_ref dyn = {0};
	struct dyn_flags fl = {0};
	bool dyn_seen = false;
	read_phdrs(e, info, &dyn);
	int r = read_sections(e, libc, info, &dyn, &fl, &dyn_seen);
	if (r < 0)
		return r;
	if (!dyn_seen && dyn.present) {
		/* No section headers (stripped with sstrip): the tags from
		 * PT_DYNAMIC; their strings need DT_STRTAB mapped through the
		 * load segments, which is not done: paths become unknown. */
		Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)dyn.off, dyn.size, ELF_T_DYN);
		r = read_dyn_data(e, d, 0, info, &fl);
		if (r < 0)
			return r;
	}
	if (info->relro == ELF_RELRO_PARTIAL && fl.bind_now)
		info->relro = ELF_RELRO_FULL;
	info->pie = eh.e_type == ET_DYN && fl.debug;
	return 0;
}

int elf_analyze_fd(int fd, const struct elf_libc *libc, struct elf_info *ret)
{
	_cleanup_elf_ Elf *e = NULL;
	struct elf_info info = {0};
	unsigned char ident[EI_NIDENT];

	if (pread(fd, ident, sizeof(ident), 0) != (ssize_t)sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	if (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64)
		return -EBADMSG;
	elf_version(EV_CURRENT);
	/* ELF_C_READ: libelf preads the headers and only the sections asked
	 * for, instead of mapping or reading the whole file. */
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e)
		return -EBADMSG;
	if (elf_kind(e) != ELF_K_ELF)
		return -ENOEXEC;
	int r = analyze(e, libc, &info);
	if (r < 0) {
		elf_info_free(&info);
		return r;
	}
	*ret = info;
	return 0;
}

int elf_analyze(char *buf, size_t len, const struct elf_libc *libc, struct elf_info *ret)
{
	_cleanup_elf_ Elf *e = NULL;
	struct elf_info info = {0};
	int r = elf_open_image(buf, len, &e);
	if (r < 0)
		return r;
	r = analyze(e, libc, &info);
	if (r < 0) {
		elf_info_free(&info);
		return r;
	}
	*ret = info;
	return 0;
}

void elf_info_free(struct elf_info *info)
{
	if (!info)
		return;
	strv_free(info->rpath);
	strv_free(info->runpath);
	info->rpath = info->runpath = NULL;
	info->n_rpath = info->n_runpath = 0;
}

/* ---- libc's fortified functions ---- */

/* checksec's sed 's/.*__\(.*_chk\)@@.*\/\1/': the part after the last
 * "__" whose remainder ends in "_chk", or NULL. */
static const char *chk_name(const char *name)
{
	size_t len = strlen(name);
	if (len < 6 || !has_suffix(name, len, "_chk"))
		return NULL;
	for (size_t i = len - 6;; i--) {
		if (name[i] == '_' && name[i + 1] == '_')
			return name + i + 2;
		if (i == 0)
			return NULL;
	}
}

/* "memcpy_chk" -> "memcpy" (every "_chk" removed, as bash ${v//_chk/}). */
static char *plain_name(const char *chk)
{
	struct strbuf sb;
	strbuf_init(&sb, 4096);
	for (const char *p = chk; *p;) {
		if (str_startswith(p, "_chk")) {
			p += 4;
			continue;
		}
		if (strbuf_append(&sb, p++, 1) < 0)
			break;
	}
	return strbuf_steal(&sb);
}

static bool default_version(Elf_Data *versym, size_t i)
{
	GElf_Versym v;
	if (!versym || !gelf_getversym(versym, (int)i, &v))
		return false;
	return (v & 0x8000) == 0 && (v & 0x7fff) >= 2;
}

static int libc_symbols(Elf *e, Elf_Scn *dynsym, Elf_Data *versym, struct elf_libc *l)
{
	GElf_Shdr sh;
	Elf_Data *data = elf_getdata(dynsym, NULL);
	size_t esz = gelf_fsize(e, ELF_T_SYM, 1, EV_CURRENT);
	if (!gelf_getshdr(dynsym, &sh) || !data || !esz || data->d_type != ELF_T_SYM)
		return 0;
	size_t n = data->d_size / esz;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			break;
		const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
		const char *chk = name ? chk_name(name) : NULL;
		if (!chk || sym.st_shndx == SHN_UNDEF || !default_version(versym, i))
			continue;
		int r = strv_push_n(&l->chk, &l->n_chk, chk, strlen(chk));
		_cleanup_free_ char *plain = r < 0 ? NULL : plain_name(chk);
		if (!plain)
			return -ENOMEM;
		r = strv_push_n(&l->plain, &l->n_plain, plain, strlen(plain));
		if (r < 0)
			return r;
	}
	return 0;
}

static size_t dedup(char **v, size_t n)
{
	size_t w = 0;
	if (!n)
		return 0; /* v may be NULL: qsort must not see it */
	qsort(v, n, sizeof(char *), strv_cmp);
	for (size_t i = 0; i < n; i++) {
		if (w && strcmp(v[w - 1], v[i]) == 0) {
			free(v[i]);
			continue;
		}
		v[w++] = v[i];
	}
	v[w] = NULL;
	return w;
}

int elf_libc_load(char *buf, size_t len, struct elf_libc **ret)
{
	_cleanup_elf_ Elf *e = NULL;
	int r = elf_open_image(buf, len, &e);
	if (r < 0)
		return r;
	Elf_Scn *scn = NULL, *dynsym = NULL;
	Elf_Data *versym = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			break;
		if (sh.sh_type == SHT_DYNSYM && !dynsym)
			dynsym = scn;
		else if (sh.sh_type == SHT_GNU_versym && !versym)
			versym = elf_getdata(scn, NULL);
	}
	struct elf_libc *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	r = dynsym ? libc_symbols(e, dynsym, versym, l) : 0;
	if (r < 0) {
		elf_libc_free(l);
		return r;
	}
	l->n_chk = dedup(l->chk, l->n_chk);
	l->n_plain = dedup(l->plain, l->n_plain);
	*ret = l;
	return 0;
}

void elf_libc_free(struct elf_libc *libc)
{
	if (!libc)
		return;
	strv_free(libc->chk);
	strv_free(libc->plain);
	free(libc);
}

bool elf_path_insecure_lexical(const char *dir)
{
	if (!*dir)
		return true;
	if (str_startswith(dir, "$ORIGIN") || str_startswith(dir, "${ORIGIN}"))
		return false;
	if (dir[0] != '/')
		return true;
	static const char *const temp[] = {"/tmp", "/var/tmp", "/dev/shm"};
	for (size_t i = 0; i < ARRAY_SIZE(temp); i++) {
		size_t l = strlen(temp[i]);
		if (strncmp(dir, temp[i], l) == 0 && (dir[l] == '\0' || dir[l] == '/'))
			return true;
	}
	return false;
}
