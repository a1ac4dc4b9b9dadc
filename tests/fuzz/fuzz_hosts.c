/* fuzz_hosts.c - libFuzzer target: the hosts file of `tenken fleet`
 * (plain list and Ansible INI) on hostile bytes, and what a hostile host
 * sends back (the probe's answer, the messages classified). Every host it accepts
 * ends up in an ssh argv, so each one is checked here: it never starts
 * with '-', and its safe file name never is "." or "..". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fleet/hosts.h"
#include "fleet/remote.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *ud, const struct host_entry *h)
{
	char safe[HOST_NAME_MAX_LEN + 1];
	(void)ud;
	if (h->target[0] == '-' || h->user[0] == '-' || h->name[0] == '\0')
		abort();
	host_safe_name(h->name, safe, sizeof(safe));
	if (safe[0] == '.' || strchr(safe, '/'))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hosts_error err;
	struct probe_info pi;
	char detail[128];
	(void)hosts_parse((const char *)data, size, check, NULL, &err);
	probe_info_parse((const char *)data, size, &pi);
	if (pi.tenken[0] && pi.tenken[0] != '/')
		abort();
	(void)classify_failure(255, (const char *)data, size, detail, sizeof(detail));
	(void)classify_failure(1, (const char *)data, size, detail, sizeof(detail));
	(void)report_name_ok((const char *)data, size);
	return 0;
}
