/* mkfleet - a fleet of report files for the store's tests and bench, made
 * from real fixture reports (tests/fixtures/NAME/expected.json):
 *
 *   mkfleet OUTDIR HOSTS SCANS NOW FIXTURE.json...
 *
 * Host i gets SCANS reports 15 days apart ending near NOW, each a copy of
 * one fixture (the fixture changes between scans, so failures appear and
 * go) with its hostname, machine id and scan time replaced. Some hosts
 * have no machine id (identified by name), some are renamed half-way
 * (same machine id), some are stale (scanned 60 days earlier), some
 * reports are copied twice, some corrupt (cut in half), some from the
 * future; plus a report of format_version 2, an inventory, a fleet error
 * record and a fleet run file. Written as OUTDIR/<host>/tenken-<time>.json
 * like `fleet --collect`. Deterministic: the same arguments give the same
 * files. Prints the number of files written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <jansson.h>
#include "lib/util.h"

static int files;

static void mkdirs(const char *dir, const char *sub)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, sub);
	if (mkdir(p, 0755) < 0 && errno != EEXIST) {
		perror(p);
		exit(2);
	}
}

static void put(const json_t *doc, const char *path, size_t cut)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	FILE *f = fopen(path, "w");
	if (!s || !f) {
		perror(path);
		exit(2);
	}
	size_t n = strlen(s);
	fwrite(s, 1, cut && cut < n ? cut : n, f);
	if (!cut)
		fputc('\n', f);
	fclose(f);
	free(s);
	files++;
}

static void report(json_t *doc, const char *name, const char *mid, time_t t)
{
	char when[21];
	time_rfc3339(t, when);
	json_t *host = json_object_get(doc, "host");
	json_object_set_new(host, "hostname", json_string(name));
	json_object_set_new(host, "machine_id", mid ? json_string(mid) : json_null());
	json_t *scan = json_object_get(doc, "scan");
	json_object_set_new(scan, "now", json_string(when));
	json_object_set_new(scan, "finished_at", json_string(when));
}

static void misc(const char *out, json_t *sample, time_t now)
{
	char p[4096], when[21];
	time_rfc3339(now, when);
	mkdirs(out, "misc");
	json_t *v2 = json_deep_copy(sample);
	report(v2, "version-two", "feedfacefeedfacefeedfacefeedface", now);
	json_object_set_new(v2, "format_version", json_integer(2));
	snprintf(p, sizeof(p), "%s/misc/version-two.json", out);
	put(v2, p, 0);
	json_object_set_new(v2, "format", json_string("tenken-inventory"));
	json_object_set_new(v2, "format_version", json_integer(1));
	snprintf(p, sizeof(p), "%s/misc/inventory.json", out);
	put(v2, p, 0);
	json_decref(v2);
	json_t *err = json_pack("{s:s, s:i, s:s, s:s, s:{s:s, s:s}, s:s, s:n}", "format",
				"tenken-fleet-error", "format_version", 1, "host", "down.example",
				"reason", "unreachable", "message", "ja", "接続できません", "en",
				"unreachable", "at", when, "exit_status");
	snprintf(p, sizeof(p), "%s/misc/down.example.error.json", out);
	put(err, p, 0);
	json_decref(err);
	json_t *run =
	    json_pack("{s:s, s:i, s:s, s:s, s:[]}", "format", "tenken-fleet-run", "format_version",
		      1, "started_at", when, "finished_at", when, "hosts");
	snprintf(p, sizeof(p), "%s/fleet.json", out);
	put(run, p, 0);
	json_decref(run);
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: mkfleet OUTDIR HOSTS SCANS NOW FIXTURE.json...\n");
		return 2;
	}
	const char *out = argv[1];
	long hosts, scans;
	time_t now;
	if (parse_long(argv[2], &hosts) < 0 || parse_long(argv[3], &scans) < 0 || scans < 1 ||
	    time_parse_rfc3339(argv[4], &now) < 0) {
		fprintf(stderr, "mkfleet: bad HOSTS, SCANS or NOW\n");
		return 2;
	}
	size_t nfix = (size_t)(argc - 5);
	json_t **fix = calloc(nfix, sizeof(*fix));
	for (size_t i = 0; i < nfix; i++) {
		json_error_t e;
		if (!(fix[i] = json_load_file(argv[5 + i], 0, &e))) {
			fprintf(stderr, "%s:%d: %s\n", argv[5 + i], e.line, e.text);
			return 2;
		}
	}
	mkdir(out, 0755);
	mkdirs(out, "dup");
	mkdirs(out, "corrupt");
	mkdirs(out, "future");
	for (long i = 0; i < hosts; i++) {
		char mid[33], name[64], p[4096], when[32];
		bool has_mid = i % 17 != 5, renamed = has_mid && i % 10 == 3, stale = i % 7 == 2;
		snprintf(mid, sizeof(mid), "%032lx", (unsigned long)(i + 1) * 2654435761u);
		for (long s = 0; s < scans; s++) {
			time_t t = now - (time_t)(scans - 1 - s) * 15 * 86400 - (time_t)i * 61 -
				   (stale ? 60 * 86400 : 3600);
			snprintf(name, sizeof(name), "host-%05ld%s", i,
				 renamed && s >= scans / 2 && scans > 1 ? "-new" : "");
			json_t *doc = json_deep_copy(fix[(size_t)(i + s * 3) % nfix]);
			report(doc, name, has_mid ? mid : NULL, t);
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
			mkdirs(out, name);
			snprintf(p, sizeof(p), "%s/%s/tenken-%s.json", out, name, when);
			put(doc, p, 0);
			if (s == scans - 1 && i % 11 == 4) {
				snprintf(p, sizeof(p), "%s/dup/%s-copy.json", out, name);
				put(doc, p, 0);
			}
			if (s == scans - 1 && i % 13 == 6) {
				snprintf(p, sizeof(p), "%s/corrupt/%s.json", out, name);
				put(doc, p, 4000 + (size_t)i);
			}
			if (s == scans - 1 && i % 29 == 7) {
				report(doc, name, has_mid ? mid : NULL, now + 10 * 86400);
				snprintf(p, sizeof(p), "%s/future/%s.json", out, name);
				put(doc, p, 0);
			}
			json_decref(doc);
		}
	}
	misc(out, fix[0], now);
	printf("%d\n", files);
	for (size_t i = 0; i < nfix; i++)
		json_decref(fix[i]);
	free(fix);
	return 0;
}
