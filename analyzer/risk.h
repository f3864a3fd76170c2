/* risk.h - least-privilege and risk rules (issue 5): statement, policy,
 * principal and SCP-set level. Each check reports through the diagnostics
 * engine with the exact span of the offending element, one sentence of why
 * and, where possible, what to write instead.
 *
 * Conditions count as a mitigation only when they restrict the request:
 * a positive operator on a key, a negated or IfExists operator only on keys
 * every request carries, never ForAllValues alone (it passes vacuously).
 *
 * Ownership: the context borrows the catalog, config and sink; action sets
 * are allocated in ctx->arena. Not thread-safe (one context per thread). */
#ifndef IAM_ANALYZER_RISK_H
#define IAM_ANALYZER_RISK_H
#include <stddef.h>

#include "analyzer/config.h"
#include "analyzer/principal.h"
#include "catalog/catalog.h"
#include "core/diag.h"
#include "policy/policy.h"

typedef struct iam_risk_cache iam_risk_cache;

typedef struct iam_risk_ctx {
    const iam_catalog *cat;
    const iam_config *cfg;     /* may be NULL: defaults */
    iam_diags *d;
    iam_arena *arena;          /* scratch for action sets */
    const iam_risk_cache *cache;
    iam_catalog_memo *memo;     /* may be NULL; shared with the catalog checks */
} iam_risk_ctx;

/* The rule tables as action sets over cat (plus cfg's extra patterns),
 * built once per run in a; immutable afterwards. */
const iam_risk_cache *iam_risk_cache_new(iam_arena *a, const iam_catalog *cat, const iam_config *cfg);

/* Statement- and policy-level rules for one policy. */
void iam_risk_check_policy(iam_risk_ctx *c, const iam_policy *p);
/* Principal-level rules (privilege-escalation, missing-mfa). */
void iam_risk_check_principal(iam_risk_ctx *c, const iam_principal_group *g);
/* scp-guardrail-missing for the SCPs attached at one level (one folder);
 * inherited are the SCPs of the levels above it, which apply too. */
void iam_risk_check_scp_set(iam_risk_ctx *c, const iam_policy *const *scps, size_t n,
                            const iam_policy *const *inherited, size_t ninherited);

/* The catalog actions a statement's Action/NotAction denotes (NotAction:
 * the complement). Exposed for tests and other rule sets. With a memo the
 * unmatched patterns are listed in folded (lowercase) spelling. */
iam_actionset *iam_risk_statement_actions(iam_risk_ctx *c, const iam_statement *s);

#endif
