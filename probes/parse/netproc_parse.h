/* netproc_parse.h - pure parsers behind the listeners probe: the socket
 * tables /proc/net/tcp, tcp6, udp and udp6, and the "socket:[INODE]" text
 * of a /proc/PID/fd link. No I/O.
 *
 * The kernel prints an IPv4 address as the 32-bit value it holds in
 * network byte order, formatted with %08X as a native integer, and an
 * IPv6 address as four such words: on a little-endian machine 127.0.0.1
 * is "0100007F". Ports are printed in host order ("0016" is 22). The
 * tables are therefore decoded with the byte order of the machine
 * running tenken, which is the machine whose kernel wrote them on a live
 * host, and the byte order fixtures are written in.
 */
#ifndef TENKEN_NETPROC_PARSE_H
#define TENKEN_NETPROC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define NETPROC_TCP_LISTEN 0x0A
#define NETPROC_UDP_UNCONN 0x07

struct netsock {
	char local[INET6_ADDRSTRLEN]; /* "0.0.0.0", "::", "::ffff:1.2.3.4" printed as 1.2.3.4 */
	char remote[INET6_ADDRSTRLEN];
	unsigned local_port, remote_port;
	unsigned state; /* the st column */
	unsigned long inode;
	long uid;
	bool v6;
	bool any_address; /* local is 0.0.0.0 or :: */
};

/* One line of a socket table (the header line is -ENOENT). v6 says which
 * table it came from (addresses of 8 or 32 hex digits). An IPv4-mapped
 * IPv6 address (::ffff:a.b.c.d) is printed as a.b.c.d, as ss does.
 * Returns 0, -ENOENT for the header, -EINVAL for garbage. */
int netproc_parse_line(const char *s, size_t len, bool v6, struct netsock *ret);

/* Whether a socket of this table is listening: TCP in LISTEN (0A); UDP
 * unconnected (07), which is what `ss -l` lists for UDP. */
bool netproc_listening(const struct netsock *s, bool udp);

/* The inode of a "socket:[12345]" link text; -EINVAL for anything else
 * (pipes, files, anon_inode:...). */
int netproc_socket_inode(const char *target, unsigned long *ret);

#endif
