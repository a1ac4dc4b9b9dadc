/* fuzz_apt.c - libFuzzer target: apt's own files on hostile bytes:
 * apt.conf(.d), sources.list and *.sources, preferences, Release and
 * InRelease, history.log and dpkg.log, and the URI and date helpers. */
#include "probes/parse/apt_parse.h"
#include "tests/fuzz/fuzzlib.h"

static void on_event(const struct pkg_log_event *ev, void *ud)
{
	(void)ev, (void)ud;
}

static void on_item(const char *value, void *ud)
{
	(void)value, (void)ud;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct apt_conf conf = {0};
	apt_conf_parse(&conf, buf, size, fuzz_bad, NULL);
	apt_conf_get(&conf, "apt::periodic::unattended-upgrade");
	apt_conf_bool(&conf, "apt::periodic::enable", 1);
	apt_conf_list(&conf, "unattended-upgrade::origins-pattern", on_item, NULL);
	apt_conf_free(&conf);

	struct apt_sources src = {0};
	apt_sources_parse_list(&src, "sources.list", buf, size, "amd64", fuzz_bad, NULL);
	apt_sources_parse_deb822(&src, "x.sources", buf, size, "amd64", fuzz_bad, NULL);
	apt_sources_free(&src);

	struct apt_pins pins = {0};
	apt_prefs_parse(&pins, "preferences", buf, size, fuzz_bad, NULL);
	apt_pins_free(&pins);

	struct apt_release rel;
	if (apt_release_parse(buf, size, &rel) == 0)
		apt_release_free(&rel);

	apt_history_parse(buf, size, 3600, on_event, NULL);
	dpkg_log_parse(buf, size, -3600, on_event, NULL);
	time_t t;
	apt_parse_date(buf, size, &t);
	free(apt_uri_to_filename(buf));
	free(apt_uri_site(buf));
	free(buf);
	return 0;
}
