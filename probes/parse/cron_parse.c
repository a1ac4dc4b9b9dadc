/* cron_parse.c - anacrontab and run-parts names (see cron_parse.h).
 * Written from anacrontab(5) and run-parts(8), checked against run-parts
 * --test and the jobs anacron -T accepts by the tests. */
#include <ctype.h>
#include <string.h>
#include "probes/parse/cron_parse.h"

bool run_parts_name_ok(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '_' && *name != '-')
			return false;
	return true;
}

/* The next blank-separated word of [*p, end): false if none. */
static bool next_word(const char **p, const char *end, const char **ret, size_t *ret_len)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	*ret = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*ret_len = (size_t)(*p - *ret);
	return *ret_len > 0;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

static bool period_ok(const char *s, size_t n)
{
	static const char *const names[] = {"@daily", "@weekly", "@monthly", "@yearly",
					    "@annually"};
	if (all_digits(s, n))
		return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && memcmp(s, names[i], n) == 0)
			return true;
	return false;
}

/* "NAME=value": a name of letters, digits and "_" before the first "=". */
static bool env_line(const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	if (!eq || eq == s)
		return false;
	for (const char *p = s; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != ' ' && *p != '\t')
			return false;
	return true;
}

static bool job_line(const char *s, size_t n, unsigned line, anacron_job_fn fn, void *ud)
{
	const char *p = s, *end = s + n;
	struct anacron_job j = {.line = line};
	if (!next_word(&p, end, &j.period, &j.period_len) || !period_ok(j.period, j.period_len) ||
	    !next_word(&p, end, &j.delay, &j.delay_len) || !all_digits(j.delay, j.delay_len) ||
	    !next_word(&p, end, &j.id, &j.id_len) || memchr(j.id, '/', j.id_len))
		return false;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return false;
	j.command = p;
	j.command_len = (size_t)(end - p);
	fn(&j, ud);
	return true;
}

size_t anacrontab_parse(const char *buf, size_t len, anacron_job_fn fn, anacron_bad_fn bad,
			void *userdata)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	size_t jobs = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p;
		size_t n = (size_t)((nl ? nl : end) - p);
		line++;
		p = nl ? nl + 1 : end;
		if (n && s[n - 1] == '\r')
			n--;
		const char *nul = memchr(s, '\0', n);
		if (nul)
			n = (size_t)(nul -
				     s); /* the C library anacron reads lines with stops there */
		const char *e = s + n;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (s == e || *s == '#')
			continue;
		if (job_line(s, (size_t)(e - s), line, fn, userdata))
			jobs++;
		else if (!env_line(s, (size_t)(e - s)) && bad)
			bad(line, userdata);
	}
	return jobs;
}
