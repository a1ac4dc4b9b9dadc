/* fuzz_units.c - libFuzzer target: systemd unit files and drop-ins,
 * ExecStart= values, unit names and their drop-in directory names, and
 * kmod's modprobe.d configuration. */
#include "probes/parse/modprobe_parse.h"
#include "probes/parse/unit_parse.h"
#include "tests/fuzz/fuzzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	for (int dropin = 0; dropin < 2; dropin++) {
		struct unit_info u = {0};
		unit_parse(buf, size, dropin, &u);
		unit_info_free(&u);
	}
	free(unit_exec_binary(buf, size));
	if (size < 256) {
		bool t, i;
		char tmpl[512];
		unit_name_split(buf, &t, &i, tmpl);
		struct strv dirs = {0};
		unit_dropin_dirnames(buf, &dirs);
		strv_reset(&dirs);
	}
	struct modprobe_conf c = {0};
	modprobe_parse(&c, "/etc/modprobe.d/x.conf", buf, size);
	struct modprobe_policy pol;
	modprobe_policy_of(&c, "usb_storage", &pol);
	modprobe_policy_of(&c, "bluetooth", &pol);
	modprobe_conf_free(&c);
	modprobe_list_has(buf, size, "usb_storage");
	free(modprobe_normalize(buf));
	modprobe_cmd_disables(buf);
	free(buf);
	return 0;
}
