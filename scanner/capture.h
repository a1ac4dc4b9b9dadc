/* capture.h - `tenken baseline init`: turn a scanned host into a baseline
 * that extends the profile and lists what the host has now (accounts,
 * admin-group members...), as the profile's "capture" section says. */
#ifndef TENKEN_CAPTURE_H
#define TENKEN_CAPTURE_H

#include <jansson.h>
#include "engine/rules.h"

/* report: borrowed, from scan_collect. Returns 0 and a new baseline
 * object; -ENODATA when a list could not be captured because its probe
 * gave nothing (a baseline missing it would silently capture nothing),
 * with err naming the list and the probe; or another -errno. */
int baseline_capture(const json_t *report, const struct ruleset *rs, json_t **ret, char *err,
		     size_t errlen);

#endif
