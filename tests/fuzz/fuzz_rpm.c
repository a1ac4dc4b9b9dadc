/* fuzz_rpm.c - libFuzzer target: rpm databases (BDB, NDB, SQLite) and
 * the header blobs they hold, with their file lists; a blob handed out by
 * the database reader is parsed as the probe parses it. The input is also
 * parsed as a header on its own. */
#include "probes/read/rpmdb.h"
#include "probes/parse/rpmhdr.h"
#include "tests/fuzz/fuzzlib.h"

static void header(const unsigned char *blob, size_t len)
{
	struct rpm_pkg p;
	const char *why = NULL;
	if (rpmhdr_parse(blob, len, &p, &why) != 0)
		return;
	char evr[128];
	rpm_pkg_evr(&p, evr, sizeof(evr));
	struct rpm_files f = {0};
	if (rpmhdr_files(blob, len, &f, &why) == 0) {
		struct rpm_file rf;
		while (rpm_files_next(&f, &rf))
			;
	}
	rpm_files_free(&f);
}

static int on_blob(void *ud, uint32_t id, const unsigned char *blob, size_t len)
{
	(void)ud, (void)id;
	header(blob, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf = (unsigned char *)fuzz_copy(data, size);
	header(buf, size);
	rpmdb_detect(buf, size);
	struct rpmdb_stats st;
	rpmdb_read(buf, size, on_blob, NULL, &st);
	free(buf);
	return 0;
}
