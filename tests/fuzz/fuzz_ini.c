/* fuzz_ini.c - libFuzzer target: the systemd-style ini reader under every
 * combination of its options (the first byte picks them), and the
 * journald.conf and timesyncd.conf readers built on it. */
#include "probes/parse/ini.h"
#include "probes/parse/logging_parse.h"
#include "probes/parse/timesync_parse.h"
#include "tests/fuzz/fuzzlib.h"

static int on_section(void *ud, const char *name, unsigned line)
{
	(*(size_t *)ud) += strlen(name) + line;
	return 0;
}

static int on_kv(void *ud, const char *key, const char *value, size_t vlen, unsigned line)
{
	if (strlen(value) > vlen)
		abort(); /* the value's length is what the callback was told */
	(*(size_t *)ud) += strlen(key) + vlen;
	return 0;
}

static void on_bad(void *ud, unsigned line)
{
	(*(size_t *)ud)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned pick = fuzz_pick(&data, &size, 32);
	char *buf = fuzz_copy(data, size);
	struct ini_opts o = {pick & 1, pick & 2, pick & 4, pick & 8, pick & 16 ? 64 : 0};
	size_t sum = 0;
	struct ini_cb cb = {on_section, on_kv, on_bad, &sum, NULL};
	ini_parse(buf, size, &o, &cb);
	struct journald_conf jc = {0};
	jc.max_retention = -1;
	jc.forward_to_syslog = -1;
	journald_parse(buf, size, "/etc/systemd/journald.conf", &jc, fuzz_bad, NULL);
	journald_conf_free(&jc);
	struct timesyncd_conf tc = {0};
	timesyncd_parse(buf, size, "/etc/systemd/timesyncd.conf", &tc, fuzz_bad, NULL);
	timesyncd_conf_free(&tc);
	free(buf);
	return 0;
}
