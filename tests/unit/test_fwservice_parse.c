/* test_fwservice_parse.c - firewalld service files: ports with their
 * protocol, includes, protocols, legal XML spellings, and files firewalld
 * would refuse (not well-formed, no <service> element). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "probes/parse/fwservice_parse.h"

static void test_ports_includes(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<service>\n"
	    "<short>x</short><port protocol = \"tcp\" port='2&#51;'/>\n"
	    "<port port=\"60000-61000\" protocol=\"udp\"/><port port=\"9\"/>\n"
	    "<!-- <port port=\"21\" protocol=\"tcp\"/> -->\n"
	    "<protocol value=\"gre\"/><include service=\"ssh\"/></service>";
	struct fwd_service s;
	assert_int_equal(fwd_service_parse(xml, sizeof(xml) - 1, &s), 0);
	assert_int_equal(s.ports.n, 2); /* a port without protocol is not one */
	assert_string_equal(s.ports.v[0], "23/tcp");
	assert_string_equal(s.ports.v[1], "60000-61000/udp");
	assert_int_equal(s.includes.n, 1);
	assert_string_equal(s.includes.v[0], "ssh");
	assert_int_equal(s.protocols.n, 1);
	fwd_service_free(&s);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
	    "<service><port port=\"23\" protocol=\"tcp\"/>",
	    "<zone><port port=\"23\" protocol=\"tcp\"/></zone>",
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fwd_service s;
		assert_int_equal(fwd_service_parse(bad[i], strlen(bad[i]), &s), -EINVAL);
		assert_int_equal(s.ports.n, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ports_includes),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
