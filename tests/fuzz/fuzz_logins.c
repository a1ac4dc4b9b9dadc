/* fuzz_logins.c - libFuzzer target: lastlog records, wtmp, and the
 * SQLite lastlog2/wtmpdb readers on hostile bytes. */
#include <stdint.h>
#include "probes/parse/logins_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(const struct login_rec *rec, void *userdata)
{
	(void)rec;
	(*(size_t *)userdata)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct login_rec rec;
	struct login_stats st;
	size_t n = 0;
	lastlog_parse_record(buf, size, &rec);
	wtmp_parse(buf, size, count, &n, &st);
	lastlog2_parse(buf, size, count, &n, &st);
	wtmpdb_parse(buf, size, count, &n, &st);
	return 0;
}
