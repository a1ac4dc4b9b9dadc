/* test_store.c - the history store over small hand-made reports: host
 * identity across renames and without a machine id, the same report
 * stored once, refusals (future, foreign format, version, no identity),
 * staleness never counted as yes, the signature callback, and JST dates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "store/store.h"
#include "report/fleet.h"
#include "lib/util.h"

static char dir[64];
static const time_t NOW = 1796083200; /* 2026-12-01T00:00:00Z */

/* Write a minimal report: host, time, answers for 2(4) and 2(5), and one
 * failing finding when a24 is "no". */
static void write_report(const char *name, const char *host, const char *mid, const char *when,
			 const char *a24, const char *a25)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	json_t *f = json_array();
	if (strcmp(a24, "no") == 0)
		json_array_append_new(f, json_pack("{s:s, s:s, s:s, s:s, s:[s], s:{s:s, s:s}}",
						   "rule", "ssh.x", "status", "fail", "severity",
						   "high", "subject", "sshd", "checklist", "2(4)",
						   "remediation", "ja", "直す", "en", "fix it"));
	json_t *r =
	    json_pack("{s:s, s:i, s:s, s:{s:s, s:s?}, s:{s:s}, s:[{s:s, s:s}, {s:s, s:s}],"
		      " s:o, s:{s:i, s:i, s:i}}",
		      "format", "tenken-report", "format_version", 1, "checklist_edition", "r6",
		      "host", "hostname", host, "machine_id", mid, "scan", "now", when, "checklist",
		      "item", "2(4)", "answer", a24, "item", "2(5)", "answer", a25, "findings", f,
		      "summary", "fail", 0, "pass", 0, "unknown", 0);
	assert_non_null(r);
	assert_int_equal(json_dump_file(r, p, 0), 0);
	json_decref(r);
}

static void write_text(const char *name, const char *text)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/tenken-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static size_t refused;
static void count_reject(const char *file, const char *ja, const char *en, void *ctx)
{
	refused++;
	assert_true(ja[0] && en[0]); /* both languages given */
}

static json_t *ingest_and_sum(struct store *s, const struct store_opts *o, long stale_days,
			      struct store_stats *st)
{
	char why[256] = "";
	char *paths[] = {dir};
	refused = 0;
	assert_int_equal(store_ingest(s, paths, 1, o, count_reject, NULL, st, why, sizeof(why)), 0);
	struct store_view_opts v = {.now = NOW, .stale_days = stale_days, .top = 5};
	json_t *sum = NULL;
	assert_int_equal(store_summary(s, &v, &sum, why, sizeof(why)), 0);
	return sum;
}

static const json_t *item(const json_t *sum, const char *name)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(sum, "items"), i, it) {
		if (strcmp(json_string_value(json_object_get(it, "item")), name) == 0)
			return it;
	}
	return NULL;
}

static json_int_t count(const json_t *sum, const char *it, const char *k)
{
	return json_integer_value(json_object_get(item(sum, it), k));
}

static void test_identity_and_duplicates(void **state)
{
	write_report("a1.json", "alpha", "m1", "2026-11-01T00:00:00Z", "no", "yes");
	write_report("a2.json", "alpha-renamed", "m1", "2026-11-20T00:00:00Z", "yes", "yes");
	write_report("b1.json", "bravo", NULL, "2026-11-21T00:00:00Z", "no", "unknown");
	write_report("b2.json", "bravo", NULL, "2026-11-10T00:00:00Z", "yes", "yes");
	char p[256];
	snprintf(p, sizeof(p), "cp %s/a2.json %s/dup.json", dir, dir);
	assert_int_equal(system(p), 0);
	struct store *s = NULL;
	char why[256];
	assert_int_equal(store_open(NULL, &s, why, sizeof(why)), 0);
	struct store_opts o = {.now = NOW};
	struct store_stats st;
	json_auto_t *sum = ingest_and_sum(s, &o, 30, &st);
	assert_int_equal(st.added, 4);
	assert_int_equal(st.duplicate, 1);
	assert_int_equal(refused, 0);
	const json_t *hosts = json_object_get(sum, "hosts");
	assert_int_equal(json_array_size(hosts), 2);
	/* Sorted by hostname: the renamed host under its newest name. */
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(hosts, 0), "hostname")),
	    "alpha-renamed");
	assert_int_equal(count(sum, "2(4)", "yes"), 1);
	assert_int_equal(count(sum, "2(4)", "no"), 1);
	assert_int_equal(count(sum, "2(5)", "unknown"), 1);
	/* alpha's failure was fixed; bravo's is new. */
	const json_t *ch = json_object_get(json_array_get(hosts, 0), "changes");
	assert_int_equal(json_array_size(json_object_get(ch, "fixed")), 1);
	ch = json_object_get(json_array_get(hosts, 1), "changes");
	assert_int_equal(json_array_size(json_object_get(ch, "new")), 1);
	const json_t *top = json_object_get(sum, "top_problems");
	assert_int_equal(json_array_size(top), 1);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(json_array_get(top, 0), "remediation"), "en")),
			    "fix it");
	/* Again: nothing new. */
	json_auto_t *again = ingest_and_sum(s, &o, 30, &st);
	assert_int_equal(st.added + st.duplicate, 0);
	assert_int_equal(st.unchanged, 5);
	store_close(s);
}

static void test_stale_never_yes(void **state)
{
	write_report("old.json", "old", "m9", "2026-09-01T00:00:00Z", "yes", "yes");
	struct store *s = NULL;
	char why[256];
	assert_int_equal(store_open(NULL, &s, why, sizeof(why)), 0);
	struct store_opts o = {.now = NOW};
	struct store_stats st;
	json_auto_t *sum = ingest_and_sum(s, &o, 30, &st);
	assert_int_equal(count(sum, "2(4)", "yes"), 0);
	assert_int_equal(count(sum, "2(4)", "stale"), 1);
	assert_true(json_is_true(
	    json_object_get(json_array_get(json_object_get(sum, "hosts"), 0), "stale")));
	json_auto_t *sum2 = ingest_and_sum(s, &o, 365, &st);
	assert_int_equal(count(sum2, "2(4)", "yes"), 1);
	store_close(s);
}

/* The trend of month and item "2(4)": "yes no stale hosts", or "" when
 * the month is not listed. */
static const char *trend(const json_t *sum, const char *month, char buf[static 64])
{
	size_t i;
	json_t *t;
	buf[0] = '\0';
	json_array_foreach(json_object_get(sum, "trends"), i, t) {
		if (strcmp(json_string_value(json_object_get(t, "month")), month) == 0 &&
		    strcmp(json_string_value(json_object_get(t, "item")), "2(4)") == 0)
			snprintf(buf, 64, "%lld %lld %lld %lld",
				 (long long)json_integer_value(json_object_get(t, "yes")),
				 (long long)json_integer_value(json_object_get(t, "no")),
				 (long long)json_integer_value(json_object_get(t, "stale")),
				 (long long)json_integer_value(json_object_get(t, "hosts")));
	}
	return buf;
}

/* A month counts every host by its newest report before the month's end
 * (JST), carried forward, stale when older than stale_days then; a report
 * of 2001 does not make the trend list 25 years of months. */
static void test_trends_carry_forward(void **state)
{
	(void)state;
	/* alpha: yes in September, no in November (JST: 2026-10-31T15:00Z is
	 * November 1st); beta only in October; gamma in 2001. */
	write_report("a1.json", "alpha", "m1", "2026-09-10T00:00:00Z", "yes", "yes");
	write_report("a2.json", "alpha", "m1", "2026-10-31T15:00:00Z", "no", "yes");
	write_report("b1.json", "beta", "m2", "2026-10-20T00:00:00Z", "yes", "yes");
	write_report("g1.json", "gamma", "m3", "2001-01-01T00:00:00Z", "yes", "yes");
	struct store *s = NULL;
	char why[256], b[64];
	assert_int_equal(store_open(NULL, &s, why, sizeof(why)), 0);
	struct store_opts o = {.now = NOW};
	struct store_stats st;
	json_auto_t *sum = ingest_and_sum(s, &o, 30, &st);
	/* September's end: alpha's yes 20 days old; gamma stale. */
	assert_string_equal(trend(sum, "2026-09", b), "1 0 1 2");
	/* October's end: alpha's September scan is 51 days old, stale; beta
	 * 11 days, yes. The scan at 15:00Z on the 31st is November in JST. */
	assert_string_equal(trend(sum, "2026-10", b), "1 0 2 3");
	/* November's end: alpha no (30 days), beta carried forward but 41
	 * days old, stale. */
	assert_string_equal(trend(sum, "2026-11", b), "0 1 2 3");
	/* December is now's month, measured at now (December 1st, 00:00Z)
	 * as the matrix is: alpha's scan is then 30 days and 9 hours old. */
	assert_string_equal(trend(sum, "2026-12", b), "0 0 3 3");
	assert_int_equal(count(sum, "2(4)", "no"), 0);
	assert_int_equal(count(sum, "2(4)", "stale"), 3);
	assert_string_equal(trend(sum, "2022-01", b), "0 0 1 1");
	assert_string_equal(trend(sum, "2021-12", b), "");
	store_close(s);
}

static int src_next(void *ctx, json_t **host)
{
	return store_hosts_next(ctx, host);
}

static int src_rewind(void *ctx)
{
	return store_hosts_rewind(ctx);
}

static char *render_mem(const json_t *sum, struct fleet_hosts *src, const char *fmt,
			const char *view, const char *lang)
{
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	assert_non_null(mem);
	int r = src ? render_fleet_hosts(sum, src, fmt, view, lang, mem)
		    : render_fleet(sum, fmt, view, lang, mem);
	assert_int_equal(fclose(mem), 0);
	assert_int_equal(r, 0);
	return out;
}

/* The views streamed host by host from the store are byte for byte the
 * ones rendered from the whole summary, in every format, with and
 * without a filter (the hosts then skipped, or none left). */
static void test_streamed_views(void **state)
{
	write_report("a1.json", "alpha", "m1", "2026-11-20T00:00:00Z", "yes", "yes");
	write_report("a2.json", "alpha", "m1", "2026-11-28T00:00:00Z", "no", "yes");
	write_report("b1.json", "beta", "m2", "2026-11-29T00:00:00Z", "no", "no");
	write_report("c1.json", "gamma", "m3", "2026-09-01T00:00:00Z", "yes", "no");
	write_report("d1.json", "\"<&>'", "m4", "2026-11-27T00:00:00Z", "yes", "yes");
	struct store *s = NULL;
	char why[256];
	assert_int_equal(store_open(NULL, &s, why, sizeof(why)), 0);
	struct store_opts o = {.now = NOW};
	struct store_stats st;
	json_auto_t *ignored = ingest_and_sum(s, &o, 30, &st);
	static const char *const fmts[] = {"json", "html", "text", "csv"};
	static const char *const views[] = {"matrix", "top", "ledger", "trends", "changes"};
	static const char *const answers[] = {NULL, "no", "stale", "organisational"};
	for (size_t a = 0; a < 4; a++) {
		struct store_view_opts v = {
		    .now = NOW, .stale_days = 30, .top = 5, .answer = answers[a]};
		json_auto_t *sum = NULL, *head = NULL;
		struct store_hosts *it = NULL;
		assert_int_equal(store_summary(s, &v, &sum, why, sizeof(why)), 0);
		assert_int_equal(store_summary_head(s, &v, &head, why, sizeof(why)), 0);
		assert_int_equal(store_hosts_open(s, &v, &it, why, sizeof(why)), 0);
		struct fleet_hosts src = {src_next, src_rewind, it};
		for (size_t f = 0; f < 4; f++)
			for (size_t k = 0; k < (f == 3 ? 5u : 1u); k++) {
				char *whole = render_mem(sum, NULL, fmts[f], views[k], "ja");
				char *streamed = render_mem(head, &src, fmts[f], views[k], "ja");
				assert_string_equal(whole, streamed);
				free(whole);
				free(streamed);
			}
		store_hosts_close(it);
	}
	store_close(s);
}

/* A spreadsheet reads 0012 as 12 and 32 digits as a rounded number
 * (tests/e2e/calc.sh saw LibreOffice do it): text columns that look like
 * numbers are written ="0012"; dates and counts are left for the
 * spreadsheet to read as such; a formula start is still defused. */
static void test_csv_text_stays_text(void **state)
{
	(void)state;
	json_auto_t *sum = json_pack(
	    "{s:[], s:[{s:s, s:s, s:s, s:b, s:{}, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:n, s:n}}]}",
	    "items", "hosts", "hostname", "0012", "machine_id", "00000000000000000000000317156075",
	    "scanned_at", "2026-11-30T15:00:00Z", "stale", 0, "answers", "ledger", "os",
	    "=HYPERLINK(1)", "os_version", "20.10", "kernel", "6.1.0-28-amd64", "arch", "1e5",
	    "addresses", "10.0.0.7", "macs", "52:54:00:12:34:56", "hw_vendor", "hw_model");
	assert_non_null(sum);
	char *csv = render_mem(sum, NULL, "csv", "ledger", "en");
	const char *row = strstr(csv, "\r\n");
	assert_non_null(row);
	assert_string_equal(
	    row + 2, "\"=\"\"0012\"\"\",\"=\"\"00000000000000000000000317156075\"\"\","
		     "\"'=HYPERLINK(1)\",\"=\"\"20.10\"\"\",6.1.0-28-amd64,"
		     "\"=\"\"1e5\"\"\",\"=\"\"10.0.0.7\"\"\",\"=\"\"52:54:00:12:34:56\"\"\",,,"
		     "2026-12-01 00:00:00,\r\n");
	free(csv);
}

static void test_refusals(void **state)
{
	write_report("future.json", "f", "m2", "2026-12-05T00:00:00Z", "yes", "yes");
	write_report("ok.json", "ok", "m3", "2026-11-30T00:00:00Z", "yes", "yes");
	write_text("foreign.json", "{\"format\": \"something-else\", \"format_version\": 1}");
	write_text("v9.json", "{\"format\": \"tenken-report\", \"format_version\": 9}");
	write_text("bad.json", "{\n  \"format\": \"tenken-report\",\n  oops\n}");
	write_text("anon.json", "{\"format\": \"tenken-report\", \"format_version\": 1, \"host\": "
				"{}, \"scan\": {\"now\": \"2026-11-30T00:00:00Z\"}}");
	struct store *s = NULL;
	char why[256];
	assert_int_equal(store_open(NULL, &s, why, sizeof(why)), 0);
	struct store_opts o = {.now = NOW};
	struct store_stats st;
	json_auto_t *sum = ingest_and_sum(s, &o, 30, &st);
	assert_int_equal(st.added, 1);
	assert_int_equal(refused, 5);
	const json_t *rej = json_object_get(sum, "rejected");
	assert_int_equal(json_array_size(rej), 5);
	/* Sorted by path: anon, bad, foreign, future, v9. */
	static const char *const reasons[] = {"no_identity", "corrupt", "format", "future",
					      "version"};
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(rej, i), "reason")),
		    reasons[i]);
	const char *msg = json_string_value(
	    json_object_get(json_object_get(json_array_get(rej, 1), "message"), "en"));
	assert_non_null(strstr(msg, "bad.json:3:3:"));
	store_close(s);
}

static int verify_calls;
static int fake_verify(const char *report, const char *sig, void *ctx, char *why, size_t n)
{
	verify_calls++;
	if (strstr(report, "good"))
		return 0;
	snprintf(why, n, "bad signature");
	return 0;
}

static void test_signatures(void **state)
{
	write_report("good.json", "g", "m4", "2026-11-30T00:00:00Z", "yes", "yes");
	write_text("good.json.sig", "sig");
	write_report("forged.json", "x", "m5", "2026-11-30T00:00:00Z", "yes", "yes");
	write_text("forged.json.sig", "sig");
	write_report("bare.json", "b", "m6", "2026-11-30T00:00:00Z", "yes", "yes");
	struct store *s = NULL;
	char why[256];
	assert_int_equal(store_open(NULL, &s, why, sizeof(why)), 0);
	struct store_opts o = {.now = NOW, .require_signature = true, .verify = fake_verify};
	struct store_stats st;
	json_auto_t *sum = ingest_and_sum(s, &o, 30, &st);
	assert_int_equal(st.added, 1);
	assert_int_equal(verify_calls, 2);
	const json_t *rej = json_object_get(sum, "rejected");
	assert_int_equal(json_array_size(rej), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rej, 0), "reason")),
			    "unsigned");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rej, 1), "reason")),
			    "signature");
	store_close(s);
}

static void test_jst(void **state)
{
	char out[20];
	fleet_jst("2026-11-30T15:30:00Z", out);
	assert_string_equal(out, "2026-12-01 00:30:00");
	fleet_jst("2026-11-30T15:30:00+09:00", out);
	assert_string_equal(out, "2026-11-30 15:30:00");
	fleet_jst("junk", out);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_identity_and_duplicates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale_never_yes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_trends_carry_forward, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_streamed_views, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_signatures, setup, teardown),
	    cmocka_unit_test(test_jst),
	    cmocka_unit_test(test_csv_text_stays_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
