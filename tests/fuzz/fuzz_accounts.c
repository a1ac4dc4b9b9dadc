/* fuzz_accounts.c - libFuzzer target: the account database parsers
 * (passwd, shadow, group, gshadow, login.defs with useradd) on hostile
 * bytes. Built and run by `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include "probes/parse/accounts_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct parse_issues is = {0};
	struct passwd_db pw = {0};
	if (passwd_parse(buf, size, &pw, &is) == 0)
		passwd_db_free(&pw);
	struct shadow_db sh = {0};
	if (shadow_parse(buf, size, &sh, &is) == 0)
		shadow_db_free(&sh);
	for (int g = 0; g < 2; g++) {
		struct group_db gr = {0};
		if (group_parse(buf, size, g, &gr, &is) == 0)
			group_db_free(&gr);
	}
	struct parse_issues di = {0}, ui = {0};
	json_decref(login_defs_json(buf, size, buf, size, false, &di, &ui));
	parse_issues_free(&di);
	parse_issues_free(&ui);
	parse_issues_free(&is);
	return 0;
}
