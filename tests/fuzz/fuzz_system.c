/* fuzz_system.c - libFuzzer target: the system probe's files: os-release,
 * machine-id, hostname, /proc/net (fib_trie, route, if_inet6, dev),
 * /proc/1/environ, MAC addresses, redhat-release and debian_version. */
#include "probes/parse/eol_parse.h"
#include "probes/parse/system_parse.h"
#include "tests/fuzz/fuzzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	json_t *j = NULL;
	if (os_release_parse(buf, size, fuzz_bad, NULL, &j) == 0)
		json_decref(j);
	char id[33];
	machine_id_parse(buf, size, id);
	const char *v;
	size_t vn;
	if (first_value_line(buf, size, true, &v, &vn) == 0)
		hostname_is_valid(v, vn);
	first_value_line(buf, size, false, &v, &vn);
	j = NULL;
	if (fib_trie_local_addrs(buf, size, fuzz_bad, NULL, &j) == 0)
		json_decref(j);
	struct route4 *routes = NULL;
	size_t nr = 0;
	if (proc_route_parse(buf, size, fuzz_bad, NULL, &routes, &nr) == 0) {
		route4_iface_for(routes, nr, "192.0.2.7");
		free(routes);
	}
	j = NULL;
	if (if_inet6_parse(buf, size, fuzz_bad, NULL, &j) == 0)
		json_decref(j);
	j = NULL;
	if (proc_net_dev_parse(buf, size, fuzz_bad, NULL, &j) == 0)
		json_decref(j);
	environ_container(buf, size, &v, &vn);
	char *mac = NULL;
	if (mac_parse(buf, size, &mac) == 0)
		free(mac);
	elf_arch((const unsigned char *)buf, size);
	dpkg_arch_to_uname(buf, size);
	struct os_ident os;
	redhat_release_parse(buf, size, &os);
	debian_version_parse(buf, size, &os);
	char *u = NULL;
	size_t un;
	if (os_release_unquote(buf, size, &u, &un) == 0)
		free(u);
	free(buf);
	return 0;
}
