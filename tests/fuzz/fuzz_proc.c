/* fuzz_proc.c - libFuzzer target: /proc and sysfs files a process can
 * write itself (its stat comm, cmdline, cgroup, exe link text), the
 * command-line masking, /proc/net/{tcp,udp}[6] lines, and the secret
 * masking of cron and desktop Exec= commands. */
#include "probes/parse/netproc_parse.h"
#include "probes/parse/proc_parse.h"
#include "probes/read/usbdev.h"
#include "tests/fuzz/fuzzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	long pid, ppid, uid;
	char *comm = NULL, state;
	if (proc_stat_parse(buf, size, &pid, &comm, &state, &ppid) == 0)
		free(comm);
	proc_status_uid(buf, size, &uid);
	free(proc_cmdline_masked(buf, size));
	free(proc_command_masked(buf, size));
	bool deleted;
	free(proc_exe_clean(buf, &deleted));
	proc_path_in_temp(buf);
	char *unit = NULL;
	if (proc_cgroup_unit(buf, size, &unit) == 0)
		free(unit);
	unit_name_valid(buf, size);
	struct netsock s;
	netproc_parse_line(buf, size, false, &s);
	netproc_parse_line(buf, size, true, &s);
	unsigned long ino;
	netproc_socket_inode(buf, &ino);
	usbdev_parse_hex(buf, size, 0xffff);
	free(buf);
	return 0;
}
