/* fuzz_dpkg.c - libFuzzer target: dpkg's status database (deb822
 * paragraphs, Status words, duplicates), its diversions file and Debian
 * version strings. */
#include "probes/parse/debver.h"
#include "probes/parse/dpkg_parse.h"
#include "tests/fuzz/fuzzlib.h"

static void count(const struct dpkg_diversion *d, void *userdata)
{
	(void)d;
	(*(size_t *)userdata)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct dpkg_status st;
	size_t ndiv = 0;
	if (dpkg_status_parse(buf, size, &st, fuzz_bad, NULL) == 0) {
		for (size_t i = 0; i + 1 < st.n && i < 64; i++)
			debver_cmp(st.v[i].version.s, st.v[i].version.len, st.v[i + 1].version.s,
				   st.v[i + 1].version.len);
		dpkg_status_free(&st);
	}
	dpkg_diversions_parse(buf, size, count, NULL, &ndiv);
	struct deb822_iter it;
	struct deb822_para para;
	deb822_iter_init(&it, buf, size);
	while (deb822_next(&it, &para)) {
		struct deb822_fiter fi;
		struct deb822_field f;
		deb822_fields_init(&fi, &para, true);
		/* -EBADMSG skips a line and goes on: stops only at the end. */
		while (deb822_next_field(&fi, &f) != 0)
			;
	}
	struct debver v;
	debver_parse(buf, size, &v);
	debver_valid(buf, size);
	size_t half = size / 2;
	debver_cmp(buf, half, buf + half, size - half);
	free(buf);
	return 0;
}
