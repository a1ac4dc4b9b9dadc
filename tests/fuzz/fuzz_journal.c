/* fuzz_journal.c - libFuzzer target: a journal file's header and
 * journald's size values on hostile bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/logging_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_header h;
	unsigned long long v;
	journal_header_parse(data, size, &h);
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	journald_parse_size(s, &v);
	free(s);
	return 0;
}
