/* unit_parse.h - pure parser of systemd unit files and their drop-ins,
 * for the services probe: the [Install] section (WantedBy, RequiredBy,
 * Alias, Also, DefaultInstance), the binary of ExecStart, the service a
 * socket or timer activates. No I/O.
 *
 * Syntax as systemd.syntax(7): "[Section]" headers, "Key=Value" with
 * blanks around '=' ignored, '#' and ';' comment lines, a backslash at the
 * end of a line continues it (the backslash becomes a space), lists are
 * blank-separated and an empty assignment resets a list (in a drop-in
 * "ExecStart=" clears the ExecStart of the unit file before it).
 *
 * Ownership: struct unit_info owns every string in it; unit_info_free.
 */
#ifndef TENKEN_UNIT_PARSE_H
#define TENKEN_UNIT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/util.h"

struct unit_info {
	bool has_install;	 /* an [Install] section with at least one key */
	struct strv wanted_by;	 /* WantedBy= */
	struct strv required_by; /* RequiredBy= (and UpheldBy=) */
	struct strv alias;	 /* Alias= */
	struct strv also;	 /* Also= */
	char *default_instance;	 /* DefaultInstance= */
	char *exec_start;	 /* binary of the first ExecStart= in effect, NULL if none */
	bool exec_start_dropin;	 /* a drop-in assigned ExecStart (or cleared it) */
	char *service_type;	 /* [Service] Type=, NULL if unset ("" resets) */
	char *socket_service;	 /* [Socket] Service= */
	bool socket_accept;	 /* [Socket] Accept=yes: one instance per connection */
	struct strv listens;	 /* every [Socket] Listen*= as "ListenStream=23", in order;
				    an empty assignment of any of them resets all */
	char *timer_unit;	 /* [Timer] Unit= */
	struct strv timer_on;	 /* [Timer] On*= triggers as "OnCalendar=daily" */
	struct strv conditions;	 /* [Unit] Condition*= and Assert*= as "Key=Value"; an
				       empty assignment of any of them resets the list */
	unsigned bad_lines;	 /* lines that are neither comment, section nor key=value */
	unsigned first_bad_line;
};

/* Parse one unit file (dropin false) or one drop-in applied on top of what
 * u already holds (dropin true). Call with a zeroed u for the unit file.
 * Returns 0 or -ENOMEM (u stays valid and must still be freed). */
int unit_parse(const char *buf, size_t len, bool dropin, struct unit_info *u);
void unit_info_free(struct unit_info *u);

/* The binary of an ExecStart= value: special prefixes "@-:+!" (and "!!")
 * skipped, then the first word, which may be quoted. New string, or NULL
 * for an empty command (or no memory). */
char *unit_exec_binary(const char *value, size_t len);

/* The parts of a unit name: "foo@bar.service" -> prefix "foo", instance
 * "bar", suffix ".service"; "foo@.service" is a template (empty
 * instance). Returns false when name has no '.' suffix. The template of
 * an instance is written to tmpl (size at least strlen(name)+1) when it is
 * not NULL. */
bool unit_name_split(const char *name, bool *ret_template, bool *ret_instance, char *tmpl);

/* The drop-in directory names systemd searches in each unit directory for
 * the unit name (unit_file_find_dirs), most specific first: NAME.d; for
 * an instance the template's TEMPLATE.d; then the dash prefixes with the
 * same instance and type ("foo-bar-baz.service" -> "foo-bar-.service.d",
 * "foo-.service.d"), each followed by its own template's. The type-level
 * "service.d" is not included (systemd searches it after every name and
 * alias). Appended to ret as new strings; 0 or -ENOMEM. */
int unit_dropin_dirnames(const char *name, struct strv *ret);

#endif
