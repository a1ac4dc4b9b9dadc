/* fwservice_parse.h - a firewalld service file (firewalld.service(5)):
 * the ports and protocols it opens and the services it includes.
 *
 * Read with expat as firewalld reads it (Python's SAX parser over the
 * same XML): entities and character references resolved, blanks around
 * '=' allowed. Pure: no I/O. struct fwd_service owns its strings.
 */
#ifndef TENKEN_FWSERVICE_PARSE_H
#define TENKEN_FWSERVICE_PARSE_H

#include <stddef.h>
#include "lib/util.h"

struct fwd_service {
	struct strv ports;     /* "23/tcp", "60000-61000/udp" */
	struct strv protocols; /* <protocol value="gre"/> */
	struct strv includes;  /* <include service="ssh"/> */
};

/* 0, or -EINVAL if the file is not well-formed XML with a <service>
 * element, -ENOMEM, -EFBIG. On error *ret is empty (nothing to free). */
int fwd_service_parse(const char *buf, size_t len, struct fwd_service *ret);
void fwd_service_free(struct fwd_service *s);

#endif
