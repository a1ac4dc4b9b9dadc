/* fuzz_store.c - libFuzzer target: hostile bytes as a report file taken
 * into an in-memory history store (store/ingest.c), then the fleet summary
 * (store/views.c) rendered in every format (report/fleet*.c). The input is
 * written to a memfd and ingested by its /proc path, as a file would be.
 * Built and run by `make fuzz`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "report/fleet.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_all(const json_t *sum)
{
	static const char *const formats[] = {"json", "html", "text", "csv"};
	static const char *const views[] = {"matrix", "top", "ledger", "trends", "changes"};
	for (size_t f = 0; f < 4; f++)
		for (size_t v = 0; v < (f == 3 ? 5u : 1u); v++) {
			char *out = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&out, &len);
			if (!mem)
				return;
			render_fleet(sum, formats[f], views[v], v % 2 ? "en" : "ja", mem);
			fclose(mem);
			free(out);
		}
}

static int src_next(void *ctx, json_t **host)
{
	return store_hosts_next(ctx, host);
}

static int src_rewind(void *ctx)
{
	return store_hosts_rewind(ctx);
}

/* The same views streamed host by host from the store. */
static void render_streamed(struct store *s, const struct store_view_opts *v)
{
	static const char *const formats[] = {"json", "html", "text", "csv"};
	char why[256];
	json_t *head = NULL;
	struct store_hosts *it = NULL;
	if (store_summary_head(s, v, &head, why, sizeof(why)) == 0 &&
	    store_hosts_open(s, v, &it, why, sizeof(why)) == 0) {
		struct fleet_hosts src = {src_next, src_rewind, it};
		for (size_t f = 0; f < 4; f++) {
			char *out = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&out, &len);
			if (!mem)
				break;
			render_fleet_hosts(head, &src, formats[f], "changes", "en", mem);
			fclose(mem);
			free(out);
		}
	}
	store_hosts_close(it);
	json_decref(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("report.json", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64], why[256] = "";
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct store *s = NULL;
	if (store_open(NULL, &s, why, sizeof(why)) == 0) {
		struct store_opts o = {.now = 1796083200, .keep = size % 3};
		struct store_stats st;
		char *paths[] = {path};
		if (store_ingest(s, paths, 1, &o, NULL, NULL, &st, why, sizeof(why)) == 0) {
			struct store_view_opts v = {.now = 1796083200, .stale_days = 30, .top = 5};
			json_t *sum = NULL;
			if (store_summary(s, &v, &sum, why, sizeof(why)) == 0)
				render_all(sum);
			json_decref(sum);
			render_streamed(s, &v);
		}
		store_close(s);
	}
	close(fd);
	return 0;
}
