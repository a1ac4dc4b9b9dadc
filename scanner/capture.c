/* capture.c - `tenken baseline init`: a baseline that extends the
 * profile and holds what this host has now. What is captured is data (the
 * profile's "capture" section, evaluated by the rule engine), so a new
 * area adds its captured lists without touching this file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "probes/probe.h"
#include "scanner/capture.h"

/* The status of the probe that fills collection, from the report. */
static const char *probe_status_of(const json_t *report, const char *collection)
{
	const struct probe *p = NULL;
	if (!collection_find(collection, &p))
		return "unknown";
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(json_object_get(report, "scan"), "probes"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "name")), p->name) == 0)
			return json_string_value(json_object_get(e, "status"));
	return "not run";
}

int baseline_capture(const json_t *report, const struct ruleset *rs, json_t **ret, char *err,
		     size_t errlen)
{
	json_t *params = NULL;
	int r = ruleset_capture(rs, json_object_get(report, "inventory"), &params);
	if (r < 0)
		return r;
	for (size_t i = 0; i < rs->ncaptures; i++) {
		const struct capture_prog *c = &rs->captures[i];
		if (json_object_get(params, c->param))
			continue;
		/* A probe that failed leaves a hole a baseline must not paper over;
		 * one that does not apply here (no USB bus in a VM, a probe left
		 * out with --only) just has nothing to capture. */
		const char *st = probe_status_of(report, c->collection);
		if (strcmp(st, "not_applicable") == 0 || strcmp(st, "skipped") == 0)
			continue;
		snprintf(err, errlen,
			 "cannot capture %s: no %s in the inventory (probe status: %s)", c->param,
			 c->collection, st);
		json_decref(params);
		return -ENODATA;
	}
	const json_t *host = json_object_get(report, "host");
	const char *hostname = json_string_value(json_object_get(host, "hostname"));
	const char *now =
	    json_string_value(json_object_get(json_object_get(report, "scan"), "now"));
	char name[512];
	snprintf(name, sizeof(name), "captured from %s at %s", hostname ? hostname : "unknown host",
		 now ? now : "?");
	json_t *b =
	    json_pack("{s:s, s:s, s:o}", "name", name, "extends", rs->profile, "params", params);
	if (!b)
		return -ENOMEM;
	*ret = b;
	return 0;
}
