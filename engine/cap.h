/* cap.h - the optional cap on findings listed per rule
 * (--max-findings-per-rule): a post-pass over a judged report's findings
 * array, kept out of the evaluator so that verdicts, the checklist and the
 * summary are always computed from every finding. */
#ifndef TENKEN_CAP_H
#define TENKEN_CAP_H

#include <jansson.h>
#include <stddef.h>

/* Keep at most max findings of each (rule, status) for the statuses fail
 * and unknown, in their order; for each group cut, one finding of the
 * same rule and status stands for the rest: subject "omitted", evidence
 * {"omitted_count": K, "listed": max}, "omitted": true, and a message in
 * both languages. The summary and checklist sections are left as they
 * are (exact counts). report is modified in place; returns 0 or -ENOMEM. */
int findings_cap(json_t *report, size_t max);

#endif
