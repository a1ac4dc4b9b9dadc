/* auditcheck.c - test tool: for each line of stdin, whether auditctl would
 * accept it as tenken judges (audit_rule_check), split into words at
 * blanks as auditctl -R splits a rules line. Prints "ACCEPT" or "REJECT"
 * and the English reason, one line each, so tests/e2e/auditctl.sh can
 * compare with the real auditctl. */
#include <stdio.h>
#include <string.h>
#include "probes/parse/logging_parse.h"

int main(void)
{
	char line[8192];
	while (fgets(line, sizeof(line), stdin)) {
		char *tok[64], *save = NULL;
		size_t n = 0;
		const char *ja = NULL, *en = NULL;
		line[strcspn(line, "\n")] = '\0';
		for (char *t = strtok_r(line, " \t", &save); t && n < 64;
		     t = strtok_r(NULL, " \t", &save))
			tok[n++] = t;
		if (audit_rule_check(tok, n, &ja, &en) < 0)
			printf("REJECT %s\n", en);
		else
			printf("ACCEPT\n");
	}
	return 0;
}
