/* sds.h - the MDS/SDS evidence view: which questions of the JAHIS/JIRA
 * disclosure statement (「製造業者/サービス事業者による医療情報セキュリティ
 * 開示書」) a scan evidences, and the answer its findings give.
 *
 * The catalogue (baselines/sds.json, compiled in) maps each question of an
 * edition of the form to the rules whose findings evidence it; questions no
 * scan can evidence carry no rule and a reason. The answer to a question
 * follows from the report alone:
 *   no             a mapped rule has a failed finding;
 *   not_applicable the catalogue's condition holds on the report's facts
 *                  (e.g. no wireless interface and no saved network);
 *   unknown        a mapped rule is unknown or absent from the report
 *                  (a rule that did not run checked nothing);
 *   yes            every mapped rule passed;
 *   not_evidenced  the question has no rule ("この検査では確認できません").
 *
 * Ownership: the report and the catalogue are borrowed; functions that
 * return json_t * return a new reference.
 */
#ifndef TENKEN_SDS_H
#define TENKEN_SDS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* At most this many rules per question, and failing subjects listed per
 * rule (the rest are counted): a form's answer column is not a ledger. */
#define SDS_MAX_RULES	 16
#define SDS_MAX_SUBJECTS 10

enum sds_answer {
	SDS_YES,
	SDS_NO,
	SDS_UNKNOWN,
	SDS_NOT_APPLICABLE,
	SDS_NOT_EVIDENCED,
	SDS_HEADING, /* a heading of the form (17.1): no answer box */
};

struct sds_rule_eval {
	const char *rule;	       /* borrowed from the catalogue */
	bool present;		       /* the report has a finding of the rule */
	long long fail, pass, unknown; /* findings (omitted ones counted) */
	long long checked;	       /* evidence.checked of the host-level finding, -1 none */
	const char *subjects[SDS_MAX_SUBJECTS]; /* failing subjects, borrowed from the report */
	size_t nsubjects;
};

struct sds_eval {
	enum sds_answer answer;
	size_t nrules;
	struct sds_rule_eval rules[SDS_MAX_RULES];
};

/* The shipped rules' ids mapped to their titles ({"ja","en"}), read from
 * the compiled-in rule files (baselines/rules/). New reference, NULL on error. */
json_t *sds_known_rules(void);

/* Parse and validate a catalogue (buf[0..len), named name in messages).
 * known maps rule ids to anything (sds_known_rules()); a question mapped
 * to an id not in it, an unknown member, a question without its seed
 * reference, its Japanese or English text, a duplicate id or a section
 * that does not exist is refused with "name:line:column: why" in err.
 * New reference, or NULL with err filled. */
json_t *sds_catalog_load(const char *buf, size_t len, const char *name, const json_t *known,
			 char *err, size_t n);

/* The shipped catalogue, validated against the shipped rules. New
 * reference, or NULL with err filled. */
json_t *sds_catalog_shipped(char *err, size_t n);

/* The edition named edition (NULL: the catalogue's default). Borrowed. */
const json_t *sds_edition(const json_t *catalog, const char *edition);

/* Judge one question of an edition against a report. Never fails: what
 * the report lacks is unknown. */
void sds_evaluate(const json_t *question, const json_t *report, struct sds_eval *ev);

/* "yes", "no", "unknown", "not_applicable", "not_evidenced", "heading". */
const char *sds_answer_name(enum sds_answer a);

#endif
