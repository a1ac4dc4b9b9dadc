/* catalog.c - the checklist catalog (baselines/checklist.json): which
 * items each edition has, so rules naming an item that does not exist are
 * refused at load. Part of loading a rule set (ruleset_int.h). */

#include "engine/ruleset_int.h"

/* ---- the checklist catalog ---- */

/* {edition: {item: true}} from baselines/checklist.json
 * (editions.ED.items[].item; baselines/CHECKLIST-CATALOG.md). */
static int catalog_edition(json_t *cat, const char *ed, const json_t *edition)
{
	const json_t *items = json_object_get(edition, "items"), *it;
	json_t *set = json_object();
	size_t i;

	if (!set || json_object_set_new(cat, ed, set) < 0)
		return -ENOMEM;
	json_array_foreach(items, i, it) {
		const json_t *id = json_object_get(it, "item");
		if (json_is_string(id) &&
		    json_object_set_new(set, json_string_value(id), json_true()) < 0)
			return -ENOMEM;
	}
	return 0;
}

void load_catalog(struct loader *l)
{
	const struct embedded_file *f = embedded_find("checklist.json");
	json_auto_t *doc = NULL;
	const char *ed;
	json_t *v;

	if (!f)
		return;
	doc = json_loadb(f->data, f->len, 0, NULL);
	l->catalog = json_object();
	if (!doc || !l->catalog)
		return;
	json_object_foreach(json_object_get(doc, "editions"), ed, v)
		if (catalog_edition(l->catalog, ed, v) < 0)
			break;
	if (json_object_size(l->catalog) == 0) {
		json_decref(l->catalog);
		l->catalog = NULL;
	}
}

bool edition_known(const struct loader *l, const char *e)
{
	static const char *const defaults[] = {"r6", "r7", NULL};

	if (l->catalog)
		return json_object_get(l->catalog, e) != NULL;
	return in_list(e, defaults);
}
