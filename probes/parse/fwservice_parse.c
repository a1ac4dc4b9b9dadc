/* fwservice_parse.c - firewalld service files through expat (see the
 * header). Like firewalld's own handler, elements are acted on wherever
 * they occur under <service>; unknown ones are ignored. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "probes/parse/fwservice_parse.h"
#include "probes/parse/xmlsax.h"

struct svc_sax {
	struct fwd_service *s;
	bool seen, nomem;
};

static int svc_elem(struct svc_sax *x, const char *el, const char **atts)
{
	struct fwd_service *s = x->s;
	const char *a, *b;
	if (strcmp(el, "service") == 0) {
		x->seen = true;
		return 0;
	}
	if (!x->seen)
		return 0;
	if (strcmp(el, "port") == 0 && (a = xml_attr(atts, "port")) &&
	    (b = xml_attr(atts, "protocol"))) {
		char tmp[256];
		int n = snprintf(tmp, sizeof(tmp), "%s/%s", a, b);
		return n > 0 && (size_t)n < sizeof(tmp) ? strv_add(&s->ports, tmp, (size_t)n) : 0;
	}
	if (strcmp(el, "protocol") == 0 && (a = xml_attr(atts, "value")))
		return strv_add(&s->protocols, a, strlen(a));
	if (strcmp(el, "include") == 0 && (a = xml_attr(atts, "service")))
		return strv_add(&s->includes, a, strlen(a));
	return 0;
}

static void XMLCALL svc_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	struct svc_sax *x = ud;
	if (svc_elem(x, el, atts) < 0)
		x->nomem = true;
}

int fwd_service_parse(const char *buf, size_t len, struct fwd_service *ret)
{
	struct svc_sax x = {.s = ret};
	*ret = (struct fwd_service){0};
	int r = xml_sax_parse(buf, len, svc_start, NULL, &x);
	if (r == -EFBIG)
		return r;
	r = x.nomem || r == -ENOMEM ? -ENOMEM : r == 0 && x.seen ? 0 : -EINVAL;
	if (r < 0)
		fwd_service_free(ret);
	return r;
}

void fwd_service_free(struct fwd_service *s)
{
	strv_reset(&s->ports);
	strv_reset(&s->protocols);
	strv_reset(&s->includes);
	*s = (struct fwd_service){0};
}
