/* fuzz_sudoers.c - libFuzzer target: the sudoers parser and alias
 * checker on hostile bytes. */
#include <stdint.h>
#include "probes/read/sudoers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_err(void *ud, const char *file, unsigned line, const char *en, const char *ja)
{
	(void)ud, (void)file, (void)line, (void)en, (void)ja;
}

static void on_inc(void *ud, const char *file, unsigned line, const char *path, int is_dir)
{
	(void)ud, (void)file, (void)line, (void)path, (void)is_dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sudoers *s = sudoers_new();
	if (!s)
		return 0;
	sudoers_parse(s, "/etc/sudoers", (const char *)data, size, on_err, on_inc, NULL);
	sudoers_check(s, on_err, NULL);
	json_decref(sudoers_entries(s, "host", NULL));
	sudoers_free(s);
	return 0;
}
