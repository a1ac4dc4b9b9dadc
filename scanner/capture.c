/* capture.c - `tenken baseline init`: a baseline that extends the
 * profile and holds what this host has now. What is captured is data (the
 * profile's "capture" section, evaluated by the rule engine), so a new
 * area adds its captured lists without touching this file. */
#include <errno.h>
#include <stdio.h>
#include "scanner/capture.h"

int baseline_capture(const json_t *report, const struct ruleset *rs, json_t **ret)
{
	json_t *params = NULL;
	int r = ruleset_capture(rs, json_object_get(report, "inventory"), &params);
	if (r < 0)
		return r;
	const json_t *host = json_object_get(report, "host");
	const char *hostname = json_string_value(json_object_get(host, "hostname"));
	const char *now = json_string_value(json_object_get(json_object_get(report, "scan"), "now"));
	char name[512];
	snprintf(name, sizeof(name), "captured from %s at %s", hostname ? hostname : "unknown host",
		 now ? now : "?");
	json_t *b = json_pack("{s:s, s:s, s:o}", "name", name, "extends", rs->profile, "params",
			      params);
	if (!b)
		return -ENOMEM;
	*ret = b;
	return 0;
}
