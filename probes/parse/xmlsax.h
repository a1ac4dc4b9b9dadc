/* xmlsax.h - the expat plumbing the firewalld parsers share: one attribute
 * lookup and one whole-buffer parse. No external entity is ever loaded
 * (expat's default without a handler). */
#ifndef TENKEN_XMLSAX_H
#define TENKEN_XMLSAX_H

#include <stddef.h>
#include <expat.h>

/* The value of attribute name in expat's atts list, or NULL. */
const char *xml_attr(const char **atts, const char *name);

/* Parse buf whole with the handlers (end may be NULL) and user data ud.
 * Returns 0 if the document is well-formed, -EINVAL if not, -EFBIG past
 * INT_MAX bytes, -ENOMEM. */
int xml_sax_parse(const char *buf, size_t len, XML_StartElementHandler start,
		  XML_EndElementHandler end, void *ud);

#endif
