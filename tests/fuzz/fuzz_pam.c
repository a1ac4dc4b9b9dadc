/* fuzz_pam.c - libFuzzer target: PAM service files, pwquality.conf and
 * the module-argument helpers on hostile bytes, and the same bytes as
 * /etc/pam.conf (its services, the lines of the first). */
#include "lib/util.h"
#include "probes/parse/pam_parse.h"
#include "tests/fuzz/fuzzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct pam_file f = {0};
	struct pwq q;
	pwq_defaults(&q);
	if (pam_parse(buf, size, &f) == 0) {
		for (size_t i = 0; i < f.n; i++) {
			char name[64];
			long v;
			pam_module_name(f.v[i].module, name, sizeof(name));
			pam_arg_long(f.v[i].args, f.v[i].nargs, "minlen", &v);
			pam_arg_has(f.v[i].args, f.v[i].nargs, "nullok");
			pwq_args_apply(&q, f.v[i].args, f.v[i].nargs);
		}
	}
	pam_file_free(&f);
	char **names = NULL;
	if (pam_conf_services(buf, size, &names) > 0 &&
	    pam_conf_parse(buf, size, names[0], &f) == 0)
		pam_file_free(&f);
	strv_free(names);
	pwq_conf_apply(&q, buf, size);
	pwq_min_length(&q);
	long v;
	conf_long(buf, size, "minlen", &v);
	free(buf);
	return 0;
}
