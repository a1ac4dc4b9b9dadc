/* xmlsax.c - see xmlsax.h. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "probes/parse/xmlsax.h"

const char *xml_attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i] && atts[i + 1]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

int xml_sax_parse(const char *buf, size_t len, XML_StartElementHandler start,
		  XML_EndElementHandler end, void *ud)
{
	if (len > INT_MAX)
		return -EFBIG;
	XML_Parser p = XML_ParserCreate(NULL);
	if (!p)
		return -ENOMEM;
	XML_SetUserData(p, ud);
	XML_SetElementHandler(p, start, end);
	enum XML_Status st = XML_Parse(p, buf, (int)len, 1);
	XML_ParserFree(p);
	return st == XML_STATUS_OK ? 0 : -EINVAL;
}
