/* fuzz_cron.c - libFuzzer target: anacrontab and run-parts names on
 * hostile bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/cron_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void job(const struct anacron_job *j, void *userdata)
{
	(*(size_t *)userdata) += j->command_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	anacrontab_parse((const char *)data, size, job, NULL, &n);
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	run_parts_name_ok(s);
	free(s);
	return 0;
}
