/* mkrecords.c - write real lastlog and wtmp records for test fixtures.
 *
 * Built against glibc's own <lastlog.h> and <utmp.h>, so the records have
 * exactly the layout login(1), sshd and last(1) use; the fixtures made
 * with it are then checked with the real readers (tests/fixtures/
 * unit-logins/make.sh).
 *
 *   mkrecords lastlog FILE  UID TIME LINE HOST  [UID TIME LINE HOST ...]
 *       write each record at UID * sizeof(struct lastlog) (the file is
 *       extended, sparse, as lastlog is; other records are kept)
 *   mkrecords wtmp FILE  TYPE USER LINE HOST TIME  [TYPE USER ...]
 *       append one struct utmp per group; TYPE is a number or one of
 *       user, dead, boot, login, empty
 *
 * Strings longer than their field are cut to it without a NUL, as the
 * real writers do. Exit status 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <lastlog.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmp.h>

_Static_assert(sizeof(struct lastlog) == 292, "lastlog record is 292 bytes on 64-bit Linux");
_Static_assert(sizeof(struct utmp) == 384, "utmp record is 384 bytes on 64-bit Linux");

static int parse_num(const char *s, long long min, long long max, long long *ret)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "mkrecords: bad number '%s'\n", s);
		return -1;
	}
	*ret = v;
	return 0;
}

/* Copy s into a fixed field: NUL-padded, no NUL if it fills the field. */
static void put_field(char *dst, size_t size, const char *s)
{
	size_t n = strnlen(s, size);
	memset(dst, 0, size);
	memcpy(dst, s, n);
}

static int write_all(int fd, const void *p, size_t n, off_t off)
{
	ssize_t w = off >= 0 ? pwrite(fd, p, n, off) : write(fd, p, n);
	if (w != (ssize_t)n) {
		perror("mkrecords: write");
		return -1;
	}
	return 0;
}

static int lastlog_records(int fd, char **av, int ac)
{
	for (int i = 0; i + 4 <= ac; i += 4) {
		long long uid, t;
		struct lastlog ll;
		if (parse_num(av[i], 0, 4294967294LL, &uid) < 0 ||
		    parse_num(av[i + 1], 0, 4294967295LL, &t) < 0)
			return -1;
		memset(&ll, 0, sizeof(ll));
		ll.ll_time = (int32_t)(uint32_t)t;
		put_field(ll.ll_line, sizeof(ll.ll_line), av[i + 2]);
		put_field(ll.ll_host, sizeof(ll.ll_host), av[i + 3]);
		if (write_all(fd, &ll, sizeof(ll), (off_t)uid * (off_t)sizeof(ll)) < 0)
			return -1;
	}
	return 0;
}

static int utmp_type(const char *s, long long *ret)
{
	static const struct {
		const char *name;
		int type;
	} names[] = {{"user", USER_PROCESS},
		     {"dead", DEAD_PROCESS},
		     {"boot", BOOT_TIME},
		     {"login", LOGIN_PROCESS},
		     {"empty", EMPTY}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*ret = names[i].type;
			return 0;
		}
	}
	return parse_num(s, -32768, 32767, ret);
}

static int wtmp_records(int fd, char **av, int ac)
{
	for (int i = 0; i + 5 <= ac; i += 5) {
		long long type, t;
		struct utmp ut;
		if (utmp_type(av[i], &type) < 0 || parse_num(av[i + 4], 0, 4294967295LL, &t) < 0)
			return -1;
		memset(&ut, 0, sizeof(ut));
		ut.ut_type = (short)type;
		ut.ut_pid = 1000 + i / 5;
		put_field(ut.ut_user, sizeof(ut.ut_user), av[i + 1]);
		put_field(ut.ut_line, sizeof(ut.ut_line), av[i + 2]);
		size_t ll = strlen(av[i + 2]);
		put_field(ut.ut_id, sizeof(ut.ut_id), av[i + 2] + (ll > 4 ? ll - 4 : 0));
		put_field(ut.ut_host, sizeof(ut.ut_host), av[i + 3]);
		ut.ut_tv.tv_sec = (int32_t)(uint32_t)t;
		if (write_all(fd, &ut, sizeof(ut), -1) < 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: mkrecords lastlog|wtmp FILE RECORD...\n");
		return 1;
	}
	int is_lastlog = strcmp(argv[1], "lastlog") == 0;
	if (!is_lastlog && strcmp(argv[1], "wtmp") != 0) {
		fprintf(stderr, "mkrecords: unknown format '%s'\n", argv[1]);
		return 1;
	}
	int per = is_lastlog ? 4 : 5;
	if ((argc - 3) % per != 0) {
		fprintf(stderr, "mkrecords: %s records take %d arguments each\n", argv[1], per);
		return 1;
	}
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (is_lastlog ? 0 : O_APPEND);
	int fd = open(argv[2], flags, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	int r = is_lastlog ? lastlog_records(fd, argv + 3, argc - 3)
			   : wtmp_records(fd, argv + 3, argc - 3);
	if (close(fd) < 0 || r < 0)
		return 1;
	return 0;
}
