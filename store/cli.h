/* cli.h - `tenken report` over many reports (DESIGN.md, "Command line"):
 *
 *   tenken report [--db FILE] [view options] FILE|DIR...   ingest, then render
 *   tenken report --db FILE ingest FILE|DIR...             ingest only
 *   tenken report --db FILE [view options]                 render the store
 *
 * Without --db the store is in memory and lives for the one command.
 * main.c parses the options into struct store_cli and writes the output.
 */
#ifndef TENKEN_STORE_CLI_H
#define TENKEN_STORE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "store/store.h"

struct store_cli {
	const char *db, *format, *view, *item, *host, *lang, *keep_json;
	long stale_days; /* < 0: the default, 30 */
	time_t now;
	bool require_signature;
	store_verify_fn verify; /* NULL until signature verification is linked in */
	void *verify_ctx;
	const char *msg_lang; /* of messages on stderr */
};

/* Run it. Messages (refused files, counts) go to stderr in msg_lang; the
 * rendered view, if any, is returned in *ret_data and *ret_len (a new
 * allocation, NULL for ingest only). Returns the exit status: 0, 1 when
 * a file of this run was refused, 2 on a usage or store error. */
int store_command(const struct store_cli *c, char **args, int nargs, char **ret_data,
		  size_t *ret_len);

#endif
