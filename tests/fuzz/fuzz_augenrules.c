/* fuzz_augenrules.c - libFuzzer target: the input is split at NUL bytes
 * into rules.d files (the first bytes of each piece up to '\n' name it),
 * assembled as augenrules does in both awk dialects, and the result parsed
 * as auditctl would load it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/logging_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore_bad(void *ud, unsigned line, const char *ja, const char *en)
{
	(void)ud;
	(void)line;
	(void)ja;
	(void)en;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules_file f[16];
	char names[16][64];
	size_t n = 0;
	const char *p = (const char *)data, *end = p + size;
	while (p < end && n < 16) {
		const char *z = memchr(p, 0, (size_t)(end - p));
		const char *e = z ? z : end;
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t nl_len = nl ? (size_t)(nl - p) : 0;
		if (nl_len >= sizeof(names[0]))
			nl_len = sizeof(names[0]) - 1;
		memcpy(names[n], p, nl_len);
		names[n][nl_len] = 0;
		f[n].name = names[n];
		f[n].buf = nl ? nl + 1 : p;
		f[n].len = (size_t)(e - f[n].buf);
		n++;
		p = z ? z + 1 : end;
	}
	for (int d = 0; d < 2; d++) {
		char *text = NULL;
		size_t len = 0;
		if (augenrules_assemble(f, n, d ? AWK_S_BLANK : AWK_S_LETTER, &text, &len) < 0)
			continue;
		struct audit_rules r = {.enabled = -1};
		audit_rules_parse(text, len, &r, ignore_bad, NULL);
		audit_rules_free(&r);
		free(text);
	}
	for (size_t i = 0; i + 1 < n; i++) {
		bool mangled;
		(void)augen_name_selected(names[i], &mangled);
		int x = augen_name_cmp(names[i], names[i + 1]);
		int y = augen_name_cmp(names[i + 1], names[i]);
		if ((x > 0) != (y < 0) || (x == 0) != (y == 0))
			abort(); /* not antisymmetric */
	}
	return 0;
}
