/* catalog_checks.h - policy checks that need the AWS action catalog.
 *
 * Rules (core/rules.def, "catalog" section): unknown-service,
 * unknown-action, action-pattern-matches-nothing, unknown-condition-key,
 * condition-key-not-applicable, condition-type-mismatch, resource-mismatch,
 * invalid-arn, redundant-action. Each finding points at the offending
 * element's span. NotAction statements are handled conservatively: only the
 * name checks run (a NotAction entry can still misspell a service).
 *
 * Thread-safety: reads the catalog and the policy only; findings go to d,
 * so one sink per thread. */
#ifndef IAM_ANALYZER_CATALOG_CHECKS_H
#define IAM_ANALYZER_CATALOG_CHECKS_H
#include "catalog/catalog.h"
#include "core/diag.h"
#include "policy/policy.h"

void iam_check_catalog(const iam_catalog *cat, const iam_policy *p, iam_diags *d);
/* The same with a memo of pattern expansions kept across policies (one run,
 * one thread); memo NULL uses a memo for this policy only. */
void iam_check_catalog_memo(const iam_catalog *cat, iam_catalog_memo *memo, const iam_policy *p,
                            iam_diags *d);

/* Adapter for iam_analyze_opts.check: ud is the const iam_catalog *. */
void iam_check_catalog_hook(void *ud, const iam_policy *p, iam_diags *d);

#endif
