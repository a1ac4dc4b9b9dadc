/* fuzz_inetd.c - libFuzzer target: inetd.conf, /etc/services and
 * xinetd.conf parsers on hostile bytes. */
#include <stdint.h>
#include "probes/parse/inetd_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ud, const struct inetd_entry *e)
{
	(*(size_t *)ud) += e->enabled;
	return 0;
}

static void include(void *ud, const char *kind, const char *path, unsigned line)
{
	(void)ud;
	(void)kind;
	(void)path;
	(void)line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t n = 0;
	unsigned bad, first;
	struct xinetd_conf c = {0};
	inetd_conf_parse(buf, size, count, &n, &bad, &first);
	(void)services_port(buf, size, "telnet", "tcp");
	xinetd_conf_parse(buf, size, "/fuzz", &c, include, NULL);
	for (size_t i = 0; i < c.n; i++)
		(void)xinetd_service_enabled(&c, &c.v[i]);
	xinetd_conf_free(&c);
	return 0;
}
