/* ugrule.c - prints each line of stdin as tenken's USBGuard rule parser
 * reads it, in usbguard-rule-parser's words: "OUTPUT: RULE" or
 * "ERROR: WHY", and "storage: may|cannot, all|some" for a rule, so
 * tests/e2e/usbguard.sh can compare the two parsers line by line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/parse/usbguard_parse.h"

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		struct ug_rule r;
		const char *why = NULL;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		int e = ug_rule_parse(line, (size_t)n, &r, &why);
		if (e < 0) {
			printf("ERROR: %s\n", why ? why : "?");
			continue;
		}
		if (e == 1) {
			printf("OUTPUT: \n");
			continue;
		}
		char *text = ug_rule_format(&r);
		printf("OUTPUT: %s\tstorage: %s, %s\n", text ? text : "?",
		       ug_rule_may_match_storage(&r) ? "may" : "cannot",
		       ug_rule_matches_all_storage(&r) ? "all" : "some");
		free(text);
		ug_rule_free(&r);
	}
	free(line);
	return 0;
}
