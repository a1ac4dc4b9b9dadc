/* fuzz_sshd.c - libFuzzer target: sshd_config with its Include and Match
 * blocks (the input is split at form feeds into the main file and the
 * files its includes name), the effective values, the Match evaluator for
 * fixed connections and one the input's first line describes ("user host
 * addr laddr lport rdomain group..."), its pattern and address matchers,
 * authorized_keys and the OpenSSH version banner. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "probes/parse/sshd_parse.h"
#include "tests/fuzz/fuzzlib.h"

struct parts {
	const char *buf;
	size_t len;
};

/* Part k of the input (parts are separated by '\f'). */
static int part(const struct parts *p, unsigned k, const char **ret, size_t *ret_len)
{
	const char *s = p->buf, *end = p->buf + p->len;
	for (unsigned i = 0; i < k; i++) {
		const char *ff = memchr(s, '\f', (size_t)(end - s));
		if (!ff)
			return -ENOENT;
		s = ff + 1;
	}
	const char *ff = memchr(s, '\f', (size_t)(end - s));
	*ret = s;
	*ret_len = (size_t)((ff ? ff : end) - s);
	return 0;
}

/* Any pattern matches /etc/ssh/p1 and /etc/ssh/p2. */
static int io_glob(void *ud, const char *pattern, char ***ret)
{
	char **v = calloc(3, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[0] = strdup("/etc/ssh/p1");
	v[1] = strdup("/etc/ssh/p2");
	*ret = v;
	return 0;
}

static int io_read(void *ud, const char *path, char **ret, size_t *ret_len)
{
	unsigned k = 0;
	if (strncmp(path, "/etc/ssh/p", 10) == 0)
		k = (unsigned)(path[10] - '0');
	const char *s;
	size_t n;
	if (part(ud, k, &s, &n) < 0)
		return -ENOENT;
	*ret = malloc(n + 1);
	if (!*ret)
		return -ENOMEM;
	memcpy(*ret, s, n);
	(*ret)[n] = '\0';
	*ret_len = n;
	return 0;
}

/* Every block and the class values for conn. */
static void eval_conn(const struct sshd_config *c, const struct sshd_conn *conn)
{
	for (size_t i = 0; i < c->nb; i++)
		(void)sshd_block_applies(c, i, conn);
	json_decref(sshd_class_json(c, conn, "9.2p1"));
}

/* The fixed connections, and the one the first line names. */
static void eval_classes(const struct sshd_config *c, const char *buf, size_t size)
{
	static char *const groups[] = {"root", "sudo", NULL};
	static const struct sshd_conn fixed[] = {
	    {.global = true},
	    {"root", "host.example.org", "10.1.2.3", "10.0.0.1", NULL, 22, groups, false},
	    {"vendor", NULL, "2001:db8::5", "::1", "vrf1", 2222, NULL, false},
	    {NULL, NULL, "bad", NULL, NULL, 0, NULL, false},
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		eval_conn(c, &fixed[i]);
	const char *nl = memchr(buf, '\n', size);
	char **w = NULL;
	int n = sshd_argv_split(buf, nl ? (size_t)(nl - buf) : size, &w, 16);
	if (n < 0)
		return;
	struct sshd_conn cn = {
	    n > 0 ? w[0] : NULL, n > 1 ? w[1] : NULL,	 n > 2 ? w[2] : NULL,  n > 3 ? w[3] : NULL,
	    n > 5 ? w[5] : NULL, n > 4 ? atol(w[4]) : 0, n > 6 ? w + 6 : NULL, false};
	eval_conn(c, &cn);
	for (int i = 0; i + 1 < n; i++) {
		(void)sshd_match_pattern_list(w[i], w[i + 1], i % 2);
		(void)sshd_addr_match_list(w[i], w[i + 1]);
	}
	for (int i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct parts p = {buf, size};
	struct sshd_io io = {io_glob, io_read, &p};
	struct sshd_config c = {0};
	if (sshd_config_load(&c, "/etc/ssh/sshd_config", &io) == 0) {
		json_decref(sshd_effective_json(&c, "9.2p1"));
		json_decref(sshd_effective_json(&c, NULL));
		json_decref(sshd_match_json(&c));
		json_decref(sshd_effective_list(&c, "allowusers"));
		eval_classes(&c, buf, size);
	}
	sshd_config_free(&c);
	struct authkeys_stats st;
	authkeys_scan(buf, size, &st);
	free(sshd_version_parse(buf, size));
	char **argv = NULL;
	if (sshd_argv_split(buf, size, &argv, 64) >= 0 && argv) {
		for (char **a = argv; *a; a++)
			free(*a);
		free(argv);
	}
	free(buf);
	return 0;
}
