/* dpkg_parse.h - deb822 control data (deb822(5)): the paragraphs of
 * dpkg's status file, apt's Packages lists and Release files, deb822
 * .sources files and apt_preferences(5). Pure: bytes in, spans out.
 *
 * Nothing is copied: a span points into the caller's buffer, which must
 * outlive it. This is the hot path of the updates probe (tens of MiB of
 * Packages per scan), so a paragraph is located with memchr and only the
 * fields asked for are looked at.
 *
 * Syntax, as apt's and dpkg's readers accept it: paragraphs are separated
 * by empty lines ("" or "\r"); a field is "Name: value" starting in
 * column 0; a line starting with a space or tab continues the previous
 * field; field names compare case-insensitively; with comments enabled
 * (apt's .sources and preferences files) a line starting with "#" is
 * ignored. CRLF line ends, a missing final newline, NUL bytes and bytes
 * that are not UTF-8 are all accepted (values are spans, not C strings).
 */
#ifndef TENKEN_DPKG_PARSE_H
#define TENKEN_DPKG_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* Called for a malformed line; ja/en are static strings. */
typedef void (*deb822_bad_fn)(void *userdata, unsigned line, const char *ja, const char *en);

struct span {
	const char *s; /* NULL when absent */
	size_t len;
};
/* Exact, case-sensitive comparison with a C string. */
bool span_eq(struct span a, const char *lit);
/* The same, ignoring ASCII case. */
bool span_eq_nocase(struct span a, const char *lit);
/* A new NUL-terminated copy (NULL for an absent span or no memory). */
char *span_dup(struct span a);

struct deb822_para {
	const char *s; /* the paragraph without its separating blank line(s) */
	size_t len;
	unsigned lineno; /* line of its first byte */
};

/* Iteration over a whole buffer. */
struct deb822_iter {
	const char *p, *end;
	unsigned lineno;
};
void deb822_iter_init(struct deb822_iter *it, const char *buf, size_t len);
/* The next non-empty paragraph; false at the end. */
bool deb822_next(struct deb822_iter *it, struct deb822_para *ret);

/* For a stream read in windows: find the first paragraph in p[0..n).
 * Blank lines before it are skipped. Returns 1 with *ret_start (offset of
 * its first byte), *ret_len (its length) and *ret_consumed (bytes up to
 * and including the blank line that ends it, or n at the end of the
 * data); *ret_lines counts the newlines consumed. Returns 0 when the
 * window holds no complete paragraph yet (more data needed), or, with
 * at_eof, no paragraph at all. */
int deb822_split(const char *p, size_t n, bool at_eof, size_t *ret_start, size_t *ret_len,
		 size_t *ret_consumed, unsigned *ret_lines);

struct deb822_field {
	struct span name;
	struct span value; /* trimmed; continuation lines included as they are */
	unsigned lineno;
};

struct deb822_fiter {
	const char *p, *end;
	unsigned lineno;
	bool comments;
};
void deb822_fields_init(struct deb822_fiter *it, const struct deb822_para *para, bool comments);
/* 1 and the next field, 0 at the end, or -EBADMSG for a line that is
 * neither a field nor a continuation (ret->lineno says which; it is
 * skipped and the next call goes on after it). */
int deb822_next_field(struct deb822_fiter *it, struct deb822_field *ret);

/* Look up n fields in one pass over the paragraph: out[i] is the value of
 * names[i] (first occurrence) or {NULL, 0}. Returns how many were found. */
size_t deb822_get(const struct deb822_para *para, bool comments, const char *const names[],
		  struct span out[], size_t n);

/* Split a value on blanks and newlines (the word lists of Architectures,
 * Components, Suites...): each call gives the next word, false at the end. */
bool span_next_word(struct span *rest, struct span *word);

/* ---- dpkg's status database ---- */

/* The third word of Status: (dpkg(1) "package states"). */
enum dpkg_state {
	DPKG_NOT_INSTALLED,
	DPKG_CONFIG_FILES,
	DPKG_HALF_INSTALLED,
	DPKG_UNPACKED,
	DPKG_HALF_CONFIGURED,
	DPKG_TRIGGERS_AWAITED,
	DPKG_TRIGGERS_PENDING,
	DPKG_INSTALLED,
	DPKG_STATE_BAD, /* a word dpkg does not know */
};
/* The first word: the selection. */
enum dpkg_want {
	DPKG_WANT_UNKNOWN,
	DPKG_WANT_INSTALL,
	DPKG_WANT_HOLD,
	DPKG_WANT_DEINSTALL,
	DPKG_WANT_PURGE,
	DPKG_WANT_BAD,
};

const char *dpkg_state_name(enum dpkg_state s); /* "installed", "config-files", ... */
const char *dpkg_want_name(enum dpkg_want w);	/* "install", "hold", ... */
/* The package's files are on disk and apt counts it as its current
 * version: every state but not-installed and config-files. */
bool dpkg_state_present(enum dpkg_state s);
/* Fully installed: installed, or configured and only waiting for
 * triggers (triggers-awaited, triggers-pending). */
bool dpkg_state_installed(enum dpkg_state s);

struct dpkg_pkg {
	struct span name, version, arch, multi_arch;
	struct span source, source_version; /* Source: "name" or "name (version)" */
	enum dpkg_want want;
	enum dpkg_state state;
	bool reinstreq; /* second word of Status: is reinstreq */
	unsigned lineno;
};

struct dpkg_status {
	struct dpkg_pkg *v;
	size_t n, cap;
	struct span native_arch; /* Architecture of the dpkg package itself */
};

/* Parse a status file (spans borrow buf). Stanzas without Package or with
 * an unreadable Status are reported through bad and skipped; duplicate
 * name:arch pairs keep the first (dpkg refuses such a database). Returns
 * 0 or -ENOMEM. */
int dpkg_status_parse(const char *buf, size_t len, struct dpkg_status *ret, deb822_bad_fn bad,
		      void *userdata);
void dpkg_status_free(struct dpkg_status *st);

/* Parse "Source: name (version)": *name and *version (absent when the
 * binary has the source's version). */
void dpkg_parse_source(struct span value, struct span *name, struct span *version);

/* ---- dpkg's diversions (/var/lib/dpkg/diversions) ---- */

/* One diversion as dpkg-divert writes it: three lines, the path packages
 * ship (from), where it is put instead (to), and the diverting package
 * (":" for a local diversion made by the administrator). */
struct dpkg_diversion {
	struct span from, to, package;
	unsigned lineno; /* line of from */
};
typedef void (*dpkg_diversion_fn)(const struct dpkg_diversion *d, void *userdata);
/* Call fn for each complete diversion (spans borrow buf; a "\n" ends each
 * line and nothing else is stripped, as dpkg reads them). A record with an
 * empty line or a path not starting with "/", and a final incomplete
 * record, are reported through bad and skipped. Returns the number of
 * diversions given to fn. */
size_t dpkg_diversions_parse(const char *buf, size_t len, dpkg_diversion_fn fn, deb822_bad_fn bad,
			     void *userdata);

#endif
