/* test_ssh.c - the ssh probe run over roots: the fixture
 * tests/fixtures/ssh-good (Include, Match, PAM second factor, keys with
 * options), an empty root (no sshd), a root whose sshd_config is a FIFO,
 * and a copy of tests/fixtures/ssh-hostile with its FIFOs made at test
 * time. Checks the facts, the declared columns, and that no key material
 * reaches the inventory. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/probe.h"
#include "lib/util.h"

#define GOOD	"tests/fixtures/ssh-good"
#define HOSTILE "tests/fixtures/ssh-hostile"

struct troot {
	char dir[64];
	struct fsroot *r;
	struct probe_ctx ctx;
	int ret;
};

static void troot_init(struct troot *t, const char *copy)
{
	char cmd[256];
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/tenken-ssh-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	if (copy) {
		snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s/'", copy, t->dir);
		assert_int_equal(system(cmd), 0);
	}
}

static void troot_run(struct troot *t, const char *dir)
{
	assert_int_equal(fsroot_open(dir ? dir : t->dir, FSROOT_AUTO, &t->r), 0);
	t->ctx = (struct probe_ctx){
	    .root = t->r,
	    .offline = true,
	    .now = 1795305600,
	    .inventory = json_object(),
	    .host = json_object(),
	    .messages = json_array(),
	};
	t->ret = probe_ssh_run(&t->ctx);
}

static void troot_done(struct troot *t)
{
	char cmd[128];
	fsroot_free(t->r);
	json_decref(t->ctx.inventory);
	json_decref(t->ctx.host);
	json_decref(t->ctx.messages);
	if (t->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
		assert_int_equal(system(cmd), 0);
	}
}

static void make_fifo(struct troot *t, const char *path)
{
	char p[256];
	snprintf(p, sizeof(p), "%s%s", t->dir, path);
	unlink(p);
	assert_int_equal(mkfifo(p, 0644), 0);
}

static json_t *sshd(struct troot *t)
{
	return json_object_get(t->ctx.inventory, "sshd");
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Whether some message (English) contains text. */
static bool has_message(struct troot *t, const char *text)
{
	size_t i;
	json_t *m;
	json_array_foreach(t->ctx.messages, i, m) {
		if (strstr(str(m, "en"), text))
			return true;
	}
	return false;
}

static void check_columns(json_t *obj, const struct collection *c)
{
	size_t n = 0;
	for (const struct column *col = c->columns; col->name; col++, n++) {
		print_message("  %s.%s\n", c->name, col->name);
		assert_non_null(json_object_get(obj, col->name));
	}
	assert_int_equal(json_object_size(obj), n);
}

/* Every collection holds exactly its declared columns. */
static void check_schema(struct troot *t)
{
	for (const struct collection *c = ssh_collections; c->name; c++) {
		json_t *v = json_object_get(t->ctx.inventory, c->name);
		size_t i;
		json_t *o;
		assert_non_null(v);
		if (c->single) {
			check_columns(v, c);
			continue;
		}
		json_array_foreach(v, i, o)
			check_columns(o, c);
	}
}

static void test_good(void **state)
{
	struct troot t = {0};
	troot_run(&t, GOOD);
	assert_int_equal(t.ret, 0);
	assert_false(t.ctx.partial);
	json_t *s = sshd(&t);
	assert_true(json_is_true(json_object_get(s, "installed")));
	assert_string_equal(str(s, "version"), "9.2p1");
	assert_string_equal(str(s, "permitrootlogin"), "no");
	assert_true(json_is_false(json_object_get(s, "passwordauthentication")));
	/* The drop-in's yes comes before the main file's no. */
	assert_true(json_is_true(json_object_get(s, "kbdinteractiveauthentication")));
	assert_true(json_is_true(json_object_get(s, "usepam")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(s, "allowgroups"), 0)),
			    "sshusers");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(s, "listenaddress"), 0)),
	    "10.10.0.5:22");
	assert_int_equal(json_integer_value(json_object_get(s, "match_blocks")), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "match_restrictions")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "config_errors")), 0);
	assert_int_equal(json_integer_value(json_object_get(s, "config_files")), 2);
	assert_true(json_is_true(json_object_get(s, "pam_second_factor")));
	assert_string_equal(str(json_object_get(s, "sources"), "permitrootlogin"),
			    "/etc/ssh/sshd_config.d/10-site.conf:1");
	json_t *ak = json_object_get(t.ctx.inventory, "ssh_authorized_keys");
	assert_int_equal(json_array_size(ak), 1);
	json_t *k = json_array_get(ak, 0);
	assert_string_equal(str(k, "account"), "alice");
	assert_int_equal(json_integer_value(json_object_get(k, "keys")), 2);
	assert_int_equal(json_integer_value(json_object_get(k, "keys_from")), 1);
	assert_int_equal(json_integer_value(json_object_get(k, "keys_command")), 1);
	json_t *hk = json_object_get(t.ctx.inventory, "ssh_host_keys");
	assert_int_equal(json_array_size(hk), 3);
	assert_string_equal(str(json_array_get(hk, 0), "type"), "ecdsa-sha2-nistp256");
	assert_string_equal(str(json_array_get(hk, 1), "type"), "ssh-ed25519");
	assert_string_equal(str(json_array_get(hk, 2), "type"), "rsa"); /* no .pub: the name */
	check_schema(&t);
	/* Neither key material nor the placeholder private key text. */
	char *dump = json_dumps(t.ctx.inventory, 0);
	assert_null(strstr(dump, "AAAA"));
	assert_null(strstr(dump, "placeholder"));
	free(dump);
	troot_done(&t);
}

static void test_empty_root(void **state)
{
	struct troot t;
	troot_init(&t, NULL);
	troot_run(&t, NULL);
	assert_int_equal(t.ret, 0);
	json_t *s = sshd(&t);
	assert_true(json_is_false(json_object_get(s, "installed")));
	assert_true(json_is_null(json_object_get(s, "version")));
	assert_int_equal(json_array_size(json_object_get(t.ctx.inventory, "sshd_match")), 0);
	assert_true(json_is_null(json_object_get(t.ctx.inventory, "ssh_authorized_keys")));
	troot_done(&t);
}

/* sshd installed but its config is a FIFO: every config fact unknown. */
static void test_config_fifo(void **state)
{
	struct troot t;
	troot_init(&t, GOOD);
	make_fifo(&t, "/etc/ssh/sshd_config");
	troot_run(&t, NULL);
	assert_int_equal(t.ret, 0);
	assert_true(t.ctx.partial);
	json_t *s = sshd(&t);
	assert_true(json_is_true(json_object_get(s, "installed")));
	assert_true(json_is_null(json_object_get(s, "permitrootlogin")));
	assert_true(json_is_null(json_object_get(s, "listenaddress")));
	assert_true(json_is_null(json_object_get(t.ctx.inventory, "sshd_match")));
	assert_true(has_message(&t, "/etc/ssh/sshd_config"));
	check_schema(&t);
	troot_done(&t);
}

/* sshd installed and no config at all: unknown, not defaults. */
static void test_config_missing(void **state)
{
	struct troot t;
	char p[256];
	troot_init(&t, GOOD);
	snprintf(p, sizeof(p), "%s/etc/ssh/sshd_config", t.dir);
	assert_int_equal(unlink(p), 0);
	troot_run(&t, NULL);
	assert_true(json_is_null(json_object_get(sshd(&t), "permitrootlogin")));
	assert_true(t.ctx.partial);
	troot_done(&t);
}

static void test_hostile(void **state)
{
	struct troot t;
	troot_init(&t, HOSTILE);
	make_fifo(&t, "/etc/ssh/sshd_config.d/10-fifo.conf");
	make_fifo(&t, "/home/alice/.ssh/authorized_keys");
	make_fifo(&t, "/etc/ssh/ssh_host_rsa_key.pub");
	troot_run(&t, NULL);
	assert_int_equal(t.ret, 0);
	assert_true(t.ctx.partial);
	json_t *s = sshd(&t);
	assert_string_equal(str(s, "version"), "9.2p1"); /* from the binary's banner */
	assert_string_equal(str(s, "permitrootlogin"), "no");
	assert_true(json_integer_value(json_object_get(s, "config_errors")) > 0);
	assert_true(has_message(&t, "Too many recursive configuration includes"));
	assert_true(has_message(&t, "not a regular file"));
	assert_true(has_message(&t, "Bad configuration option"));
	json_t *ak = json_object_get(t.ctx.inventory, "ssh_authorized_keys");
	assert_true(json_is_null(json_object_get(json_array_get(ak, 0), "keys")));
	json_t *hk = json_object_get(t.ctx.inventory, "ssh_host_keys");
	assert_string_equal(str(json_array_get(hk, 1), "type"), "ed25519"); /* garbage .pub */
	check_schema(&t);
	troot_done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),	cmocka_unit_test(test_empty_root),
	    cmocka_unit_test(test_config_fifo), cmocka_unit_test(test_config_missing),
	    cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
