/* floor.c - make bench: the raw-input floor of a scan.
 *
 *   floor HASHLIST < READLIST
 *
 * READLIST holds the paths a scan read, one a line (TENKEN_DEBUG_READS=1
 * makes tenken print them); HASHLIST the executables whose digest the
 * scan computed. Each file is read once with plain read(2) into one
 * reused buffer; a name with a compression suffix (apt's lists) is
 * decoded with the scan's own decoder (probes/read/decompress.c); a file
 * of HASHLIST is MD5-hashed as it is read. Nothing is parsed: the time
 * this takes is what merely reading the scan's inputs costs, the floor
 * the scan's own time is compared with. Prints "files N bytes N decoded
 * N hashed N missing N ms N". Paths are the host's (live scans only).
 */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "probes/read/decompress.h"

#define BUF (128u << 10)

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char **hashed;
static size_t nhashed;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool to_hash(const char *p)
{
	return nhashed && bsearch(&p, hashed, nhashed, sizeof(char *), cmp_str);
}

static void load_hashlist(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[4200];
	size_t cap = 0;
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		if (nhashed == cap) {
			cap = cap ? cap * 2 : 64;
			hashed = realloc(hashed, cap * sizeof(char *));
		}
		hashed[nhashed++] = strdup(line);
	}
	if (f)
		fclose(f);
	if (nhashed)
		qsort(hashed, nhashed, sizeof(char *), cmp_str);
}

int main(int argc, char **argv)
{
	static unsigned char buf[BUF];
	unsigned long long files = 0, bytes = 0, decoded = 0, hashes = 0, missing = 0;
	char line[4200];
	if (argc != 2) {
		fputs("usage: floor HASHLIST < READLIST\n", stderr);
		return 2;
	}
	load_hashlist(argv[1]);
	double t0 = now_ms();
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		int fd = open(line, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0) {
			missing++;
			continue;
		}
		files++;
		enum comp c = comp_from_name(line);
		EVP_MD_CTX *md = to_hash(line) ? EVP_MD_CTX_new() : NULL;
		if (md) {
			EVP_DigestInit_ex(md, EVP_md5(), NULL);
			hashes++;
		}
		if (c != COMP_NONE && comp_supported(c)) {
			struct decomp *d = NULL;
			struct stat st;
			size_t n = 0;
			if (fstat(fd, &st) == 0 &&
			    decomp_open_fd(c, fd, (size_t)st.st_size, 512u << 20, &d) == 0) {
				while (decomp_read(d, buf, BUF, &n) == 0 && n > 0)
					decoded += n;
				bytes += (unsigned long long)st.st_size;
				decomp_free(d);
			}
		} else {
			ssize_t n;
			while ((n = read(fd, buf, BUF)) > 0) {
				bytes += (unsigned long long)n;
				if (md)
					EVP_DigestUpdate(md, buf, (size_t)n);
			}
		}
		if (md) {
			unsigned char d[EVP_MAX_MD_SIZE];
			unsigned dl;
			EVP_DigestFinal_ex(md, d, &dl);
			EVP_MD_CTX_free(md);
		}
		close(fd);
	}
	printf("files %llu bytes %llu decoded %llu hashed %llu missing %llu ms %.2f\n", files,
	       bytes, decoded, hashes, missing, now_ms() - t0);
	return 0;
}
