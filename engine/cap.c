/* cap.c - the per-rule cap on listed findings (see cap.h). A flood of
 * subjects (200,000 accounts) gives hundreds of thousands of findings of
 * a handful of rules; listing the first N of each and counting the rest
 * keeps the report readable without hiding that the rule failed. */
#include <errno.h>
#include <string.h>
#include "engine/cap.h"
#include "lib/util.h"

struct group {
	const char *rule, *status;
	size_t seen;
	json_t *first; /* borrowed: the first finding of the group */
};

struct groups {
	struct group *v;
	size_t n, cap;
};

/* The group of (rule, status), added if new; NULL on ENOMEM. Rules have
 * a few hundred groups at most, so a linear search is enough. */
static struct group *group_of(struct groups *g, const char *rule, const char *status, json_t *f)
{
	for (size_t i = g->n; i-- > 0;)
		if (!strcmp(g->v[i].rule, rule) && !strcmp(g->v[i].status, status))
			return &g->v[i];
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 32;
		struct group *nv = realloc(g->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		g->v = nv;
		g->cap = nc;
	}
	g->v[g->n] = (struct group){rule, status, 0, f};
	return &g->v[g->n++];
}

static json_t *omitted_finding(const struct group *gr, size_t max)
{
	size_t k = gr->seen - max;
	char ja[160], en[160];
	snprintf(ja, sizeof(ja),
		 "このルールの所見はほかに %zu 件あります（--max-findings-per-rule %zu "
		 "により一覧から省略。件数は合計に含まれます）",
		 k, max);
	snprintf(en, sizeof(en),
		 "%zu more findings of this rule are not listed (--max-findings-per-rule %zu); "
		 "the summary counts them",
		 k, max);
	json_t *o = json_object();
	const char *copy[] = {"rule", "checklist", "severity", "title", "remediation"};
	for (size_t i = 0; o && i < ARRAY_SIZE(copy); i++) {
		json_t *v = json_object_get(gr->first, copy[i]);
		if (v)
			json_object_set(o, copy[i], v);
	}
	json_set(o, "status", json_str(gr->status));
	json_set(o, "subject", json_str("omitted"));
	json_set(o, "omitted", json_true());
	json_set(
	    o, "evidence",
	    json_pack("{s:I, s:I}", "omitted_count", (json_int_t)k, "listed", (json_int_t)max));
	json_set(o, "message", json_pack("{s:s, s:s}", "ja", ja, "en", en));
	return o;
}

int findings_cap(json_t *report, size_t max)
{
	json_t *findings = json_object_get(report, "findings");
	if (!json_is_array(findings) || max == 0)
		return 0;
	struct groups g = {0};
	json_t *kept = json_array();
	size_t i;
	json_t *f;
	int r = kept ? 0 : -ENOMEM;
	json_array_foreach(findings, i, f) {
		if (r < 0)
			break;
		const char *rule = json_string_value(json_object_get(f, "rule"));
		const char *st = json_string_value(json_object_get(f, "status"));
		if (rule && st && (!strcmp(st, "fail") || !strcmp(st, "unknown"))) {
			struct group *gr = group_of(&g, rule, st, f);
			if (!gr) {
				r = -ENOMEM;
				break;
			}
			if (++gr->seen > max)
				continue;
		}
		if (json_array_append(kept, f) < 0)
			r = -ENOMEM;
	}
	/* After the listed findings of each group, in the order of groups. */
	for (size_t k = 0; r == 0 && k < g.n; k++)
		if (g.v[k].seen > max &&
		    json_array_append_new(kept, omitted_finding(&g.v[k], max)) < 0)
			r = -ENOMEM;
	if (r == 0)
		r = json_object_set(report, "findings", kept) < 0 ? -ENOMEM : 0;
	json_decref(kept);
	free(g.v);
	return r;
}
