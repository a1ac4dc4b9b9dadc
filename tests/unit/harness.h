/* harness.h - what the probe unit tests share: scratch roots in /tmp
 * (optionally a copy of a fixture root, for what git cannot hold: FIFOs,
 * modes, huge files) and one probe run over a root with a fixed --now.
 * Header-only, included by one test binary each. */
#ifndef TENKEN_TEST_HARNESS_H
#define TENKEN_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/probe.h"

struct scratch {
	char dir[64];
};

/* A new empty directory, filled with a copy of tests/fixtures/FIXTURE
 * when fixture is not NULL. */
static inline void scratch_init(struct scratch *s, const char *fixture)
{
	char cmd[256];
	snprintf(s->dir, sizeof(s->dir), "/tmp/tenken-test-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	if (fixture) {
		snprintf(cmd, sizeof(cmd), "cp -a 'tests/fixtures/%s/.' '%s/'", fixture, s->dir);
		assert_int_equal(system(cmd), 0);
	}
}

/* Write data to PATH (absolute inside the scratch root), making its parents. */
static inline void scratch_write(const struct scratch *s, const char *path, const char *data)
{
	char p[256], cmd[300];
	snprintf(p, sizeof(p), "%s%s", s->dir, path);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", p);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static inline void scratch_done(struct scratch *s)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	assert_int_equal(system(cmd), 0);
}

struct probe_run {
	struct fsroot *root;
	struct probe_ctx ctx;
	int ret;
};

/* Run fn over the root at dir as an offline scan at now. inventory (stolen,
 * may be NULL) holds what earlier probes would have left. */
static inline void probe_run(struct probe_run *r, const char *dir, enum fsroot_mode mode,
			     time_t now, json_t *inventory, int (*fn)(struct probe_ctx *))
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(fsroot_open(dir, mode, &r->root), 0);
	r->ctx = (struct probe_ctx){.root = r->root,
				    .offline = true,
				    .now = now,
				    .inventory = inventory ? inventory : json_object(),
				    .host = json_object(),
				    .messages = json_array()};
	r->ret = fn(&r->ctx);
}

static inline void probe_run_free(struct probe_run *r)
{
	json_decref(r->ctx.inventory);
	json_decref(r->ctx.host);
	json_decref(r->ctx.messages);
	fsroot_free(r->root);
}

#endif
