/* test_cron_parse.c - anacrontab lines and run-parts names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "probes/parse/cron_parse.h"

struct seen {
	char text[512];
	unsigned bad;
};

static void job(const struct anacron_job *j, void *userdata)
{
	struct seen *s = userdata;
	size_t l = strlen(s->text);
	snprintf(s->text + l, sizeof(s->text) - l, "%u[%.*s|%.*s|%.*s|%.*s]", j->line,
		 (int)j->period_len, j->period, (int)j->delay_len, j->delay, (int)j->id_len, j->id,
		 (int)j->command_len, j->command);
}

static void bad(unsigned line, void *userdata)
{
	(void)line;
	((struct seen *)userdata)->bad++;
}

static void test_anacrontab(void **state)
{
	static const char text[] =
	    "# comment\n"
	    "SHELL=/bin/sh\n"
	    "START_HOURS_RANGE = 3-22\n"
	    "1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n"
	    "  @monthly 15 cron.monthly  nice run-parts /etc/cron.monthly  \r\n"
	    "@hourly 1 x echo\n"     /* not a period anacron knows */
	    "7 x cron.weekly echo\n" /* delay not a number */
	    "7 1 a/b echo\n"	     /* "/" in the identifier */
	    "7 1 only-three\n"
	    "3 0 last echo \0hidden\n"
	    "1 1 nofinal true";
	struct seen s = {"", 0};
	assert_int_equal(anacrontab_parse(text, sizeof(text) - 1, job, bad, &s), 4);
	assert_string_equal(s.text, "4[1|5|cron.daily|run-parts --report /etc/cron.daily]"
				    "5[@monthly|15|cron.monthly|nice run-parts /etc/cron.monthly]"
				    "10[3|0|last|echo]"
				    "11[1|1|nofinal|true]");
	assert_int_equal(s.bad, 4);
	(void)state;
}

static void test_run_parts_names(void **state)
{
	static const struct {
		const char *name;
		bool ok;
	} cases[] = {
	    {"logrotate", true},	{"apt-compat", true}, {"00_first", true},
	    {"man-db.dpkg-old", false}, {"job~", false},      {".hidden", false},
	    {"with space", false},	{"", false},	      {"caf\xc3\xa9", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(run_parts_name_ok(cases[i].name), cases[i].ok);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_anacrontab),
	    cmocka_unit_test(test_run_parts_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
