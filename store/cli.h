/* cli.h - `tenken report` over many reports (DESIGN.md, "Command line"):
 *
 *   tenken report [--db FILE] [view options] FILE|DIR...   ingest, then render
 *   tenken report --db FILE ingest FILE|DIR...             ingest only
 *   tenken report --db FILE [view options]                 render the store
 *
 * Without --db the store is in memory and lives for the one command.
 * main.c parses the options into struct store_cli and gives the output.
 */
#ifndef TENKEN_STORE_CLI_H
#define TENKEN_STORE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include "store/store.h"

struct store_cli {
	const char *db, *format, *view, *item, *host, *profile, *lang, *keep_json;
	long stale_days; /* < 0: the default, 30 */
	time_t now;
	bool require_signature;
	store_verify_fn verify; /* NULL until signature verification is linked in */
	void *verify_ctx;
	const char *msg_lang; /* of messages on stderr */
};

/* Where the rendered view goes. open is called once, after the ingest,
 * when there is a view to write; close(ctx, r) then ends it: r < 0 means
 * the view is incomplete and is to be thrown away (main.c writes to a
 * temporary file renamed into place only on success). Both return 0 or
 * -errno. */
struct store_sink {
	int (*open)(void *ctx, FILE **ret);
	int (*close)(void *ctx, int r);
	void *ctx;
};

/* Run it. Messages (refused files, counts) go to stderr in msg_lang; the
 * rendered view, if any, is streamed to out as the hosts are read from
 * the store (nothing for ingest only). Returns the exit status: 0, 1 when
 * a file of this run was refused, 2 on a usage, store or output error. */
int store_command(const struct store_cli *c, char **args, int nargs, const struct store_sink *out);

#endif
