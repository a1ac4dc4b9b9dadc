/* netproc_parse.c - the socket tables of /proc/net and socket link texts
 * (see netproc_parse.h for the byte order). Every line may be garbage: a
 * field is accepted only when it has exactly the digits the kernel prints.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "probes/parse/netproc_parse.h"
#include "lib/util.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly n hex digits. */
static int hex_n(const char *s, size_t n, unsigned long long *ret)
{
	unsigned long long v = 0;
	if (n == 0 || n > 16)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int d = hexval(s[i]);
		if (d < 0)
			return -EINVAL;
		v = v << 4 | (unsigned)d;
	}
	*ret = v;
	return 0;
}

/* "HEXADDR:HEXPORT" into a printable address and a port. */
static int parse_endpoint(const char *s, size_t n, bool v6, char *addr, unsigned *port, bool *any)
{
	size_t alen = v6 ? 32 : 8;
	unsigned long long p, w;
	if (n != alen + 5 || s[alen] != ':' || hex_n(s + alen + 1, 4, &p) < 0)
		return -EINVAL;
	uint32_t words[4] = {0};
	for (size_t i = 0; i < alen / 8; i++) {
		if (hex_n(s + i * 8, 8, &w) < 0)
			return -EINVAL;
		words[i] = (uint32_t)w; /* native order, as the kernel printed it */
	}
	struct in6_addr a6;
	memcpy(&a6, words, sizeof(a6));
	bool mapped = v6 && IN6_IS_ADDR_V4MAPPED(&a6);
	const void *src = v6 && !mapped ? (const void *)&a6 : (const void *)&words[mapped ? 3 : 0];
	if (!inet_ntop(v6 && !mapped ? AF_INET6 : AF_INET, src, addr, INET6_ADDRSTRLEN))
		return -EINVAL;
	*any = v6 ? IN6_IS_ADDR_UNSPECIFIED(&a6) : words[0] == 0;
	*port = (unsigned)p;
	return 0;
}

/* The next blank-separated field of [*p, end). */
static bool field(const char **p, const char *end, const char **ret, size_t *ret_n)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	const char *s = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*ret = s;
	*ret_n = (size_t)(*p - s);
	return *ret_n > 0;
}

int netproc_parse_line(const char *s, size_t len, bool v6, struct netsock *ret)
{
	const char *p = s, *end = s + len, *f[10];
	size_t n[10];
	for (size_t i = 0; i < 10; i++)
		if (!field(&p, end, &f[i], &n[i]))
			return -EINVAL;
	if (n[0] == 2 && memcmp(f[0], "sl", 2) == 0)
		return -ENOENT;
	if (f[0][n[0] - 1] != ':')
		return -EINVAL;
	struct netsock ns = {.v6 = v6};
	bool rany;
	unsigned long long st;
	long uid, inode;
	if (parse_endpoint(f[1], n[1], v6, ns.local, &ns.local_port, &ns.any_address) < 0 ||
	    parse_endpoint(f[2], n[2], v6, ns.remote, &ns.remote_port, &rany) < 0 ||
	    hex_n(f[3], n[3], &st) < 0 || n[3] != 2 || parse_long_n(f[7], n[7], &uid) < 0 ||
	    parse_long_n(f[9], n[9], &inode) < 0 || uid < 0 || inode < 0)
		return -EINVAL;
	ns.state = (unsigned)st;
	ns.uid = uid;
	ns.inode = (unsigned long)inode;
	*ret = ns;
	return 0;
}

bool netproc_listening(const struct netsock *s, bool udp)
{
	return udp ? s->state == NETPROC_UDP_UNCONN : s->state == NETPROC_TCP_LISTEN;
}

int netproc_socket_inode(const char *target, unsigned long *ret)
{
	static const char pre[] = "socket:[";
	size_t pl = sizeof(pre) - 1, n = strlen(target);
	long v;
	if (n < pl + 2 || memcmp(target, pre, pl) != 0 || target[n - 1] != ']')
		return -EINVAL;
	if (parse_long_n(target + pl, n - pl - 1, &v) < 0 || v < 0)
		return -EINVAL;
	*ret = (unsigned long)v;
	return 0;
}
