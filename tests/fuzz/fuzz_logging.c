/* fuzz_logging.c - libFuzzer target: journald.conf, rsyslog, syslog-ng,
 * logrotate, audit rules and auditd.conf, and the time-sync
 * configurations (chrony, ntp, openntpd, timesyncd). */
#include "probes/parse/logging_parse.h"
#include "probes/parse/timesync_parse.h"
#include "tests/fuzz/fuzzlib.h"

static void on_action(void *ud, const struct syslog_action *a)
{
	(void)ud, (void)a;
}

static void on_include(void *ud, unsigned line, const char *pattern, bool optional)
{
	(void)ud, (void)line, (void)pattern, (void)optional;
}

static void on_lr_include(void *ud, unsigned line, const char *target)
{
	(void)ud, (void)line, (void)target;
}

static void on_server(void *ud, unsigned line, const char *host)
{
	(void)ud, (void)line, (void)host;
}

static void on_ts_include(void *ud, unsigned line, const char *directive, const char *arg)
{
	(void)ud, (void)line, (void)directive, (void)arg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct journald_conf jc = {0};
	jc.max_retention = -1;
	jc.forward_to_syslog = -1;
	journald_parse(buf, size, "/etc/systemd/journald.conf", &jc, fuzz_bad, NULL);
	journald_conf_free(&jc);

	struct syslog_cb cb = {on_action, on_include, fuzz_bad, NULL};
	rsyslog_parse(buf, size, &cb);
	syslogng_parse(buf, size, &cb);
	rsyslog_selector_auth(buf);

	struct lr_state st;
	lr_state_init(&st);
	logrotate_parse(buf, size, "/etc/logrotate.conf", &st, on_lr_include, fuzz_bad, NULL);
	const struct lr_block *b = lr_find(&st, "/var/log/auth.log");
	bool unlimited;
	if (b)
		lr_retention_days(&b->opts, &unlimited);
	lr_retention_days(&st.global, &unlimited);
	lr_state_free(&st);

	struct audit_rules ar = {.enabled = -1};
	audit_rules_parse(buf, size, &ar, fuzz_bad, NULL);
	audit_rules_free(&ar); /* the rules list is the caller's */
	char *v = NULL;
	if (auditd_conf_get(buf, size, "max_log_file_action", &v) == 0)
		free(v);
	long long ts;
	lp_timespan(buf, &ts);
	lp_bool(buf);

	struct ts_cb tcb = {on_server, on_ts_include, fuzz_bad, NULL};
	ts_parse(buf, size, TS_CHRONY, &tcb);
	ts_parse(buf, size, TS_NTP, &tcb);
	ts_parse(buf, size, TS_OPENNTPD, &tcb);
	struct timesyncd_conf tc = {0};
	timesyncd_parse(buf, size, "/etc/systemd/timesyncd.conf", &tc, fuzz_bad, NULL);
	timesyncd_conf_free(&tc);
	free(buf);
	return 0;
}
