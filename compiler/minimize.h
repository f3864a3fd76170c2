/* minimize.h - the policy minimizer: an equivalent policy with fewer
 * characters, checked for equivalence before it is returned.
 *
 * Used by `iampc minimize`, `iampc compile` and `iampc generate`. Given a
 * decoded policy, iam_minimize():
 *   1. compresses every Action/NotAction list into the shortest list of
 *      patterns it can find that denotes exactly the same catalog actions
 *      (never a wildcard that matches an action outside the set; actions the
 *      catalog does not know are kept verbatim);
 *   2. drops redundant actions, resources and statements, and merges
 *      statements with the same effect, principal, condition and resources
 *      (union of actions) or the same effect, principal, condition and
 *      actions (union of resources);
 *   3. checks equivalence (below) and refuses to return anything if it fails;
 *   4. reports future-proofing wildcards (below);
 *   5. splits the result into several documents when it exceeds the size
 *      limit (statements distributed first-fit, in order; an Action
 *      statement too big for a document alone is halved; a NotAction one
 *      cannot be, and is the only case that fails).
 * The algorithm and its guarantees are documented in docs/minimize.md.
 *
 * Equivalence (iam_min_check): for every combination of (Effect, Principal
 * or NotPrincipal, Resource or NotResource set, Condition block) - the
 * "statement key", compared after normalisation (sets sorted, duplicates
 * removed, case folded where IAM ignores case) - the union of the catalog
 * action sets (bitsets; for NotAction statements the intersection of the
 * excluded sets) of the statements with that key is the same before and after, and so is the union of the uncatalogued
 * (unknown or future) action patterns - each side's must be listed by, or
 * covered by a pattern of, the other side. Resource lists count entry by
 * entry, and what a covering resource pattern of the same group grants is
 * subtracted first (docs/minimize.md). Statements the minimizer does not
 * understand (no valid Effect, no Action/NotAction) are kept verbatim and
 * compared verbatim.
 *
 * Future-proofing: a wildcard in the output "may match future actions" when
 * it was not written (ignoring case) in any input Action or NotAction list
 * merged into its statement - "svc:*" and "*" included: such a pattern
 * matches exactly the chosen catalog actions today,
 * but an action AWS adds later whose name fits the pattern would be granted
 * (Allow), denied (Deny) or excluded (NotAction) too. Each one is reported
 * in iam_min_result.warnings (and as a minimize-new-wildcard diagnostic
 * when opts->warn_diags). With opts->no_new_wildcards the output contains
 * only exact action names and wildcards already present in that input
 * list, so there is nothing to report. The other direction is guarded too:
 * Deny statements and NotAction lists keep every input wildcard that still
 * matches only listed actions, so what AWS adds later stays denied (or
 * excluded from an Allow) as the input says.
 *
 * Sizes: IAM counts the characters of the minified document for identity,
 * boundary, session, trust and resource policies, and every character for
 * SCPs and RCPs (iam-semantics.md 6). iam_min_doc.size is the size in that
 * measure of the text the caller will store: the compact text for the
 * former, the canonical (indented) text for the latter.
 *
 * Ownership: the result owns its documents and warning strings (malloc);
 * free it with iam_min_result_free. Diagnostics go to d (its arena). The
 * catalog and policy are borrowed. Thread-safe: no global state; one call
 * per result. */
#ifndef IAM_COMPILER_MINIMIZE_H
#define IAM_COMPILER_MINIMIZE_H
#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog.h"
#include "core/diag.h"
#include "policy/policy.h"

/* Testing only: corrupt the minimized policy just before the equivalence
 * check, to prove the check catches a broken minimization. */
typedef enum iam_min_tamper {
    IAM_MIN_TAMPER_NONE = 0,
    IAM_MIN_TAMPER_DROP_ACTION,     /* drop one action pattern from the first statement */
    IAM_MIN_TAMPER_WIDEN_ACTION,    /* replace one action by "<service>:*" */
    IAM_MIN_TAMPER_DROP_RESOURCE,   /* drop one resource of the first statement that has two */
    IAM_MIN_TAMPER_FLIP_EFFECT,     /* flip the first statement's effect */
} iam_min_tamper;

typedef struct iam_min_opts {
    bool no_new_wildcards;  /* emit only exact names and wildcards already in the input */
    size_t max_size;        /* per-document size limit; 0 = iam_min_quota(type) */
    bool warn_diags;        /* also report each new wildcard as a minimize-new-wildcard
                             * diagnostic (span: the input Action/NotAction list) */
    bool keep_sids;         /* keep Sids (a merged statement keeps the first one);
                             * false drops them, as they never affect evaluation */
    iam_min_tamper tamper;  /* testing only; IAM_MIN_TAMPER_NONE in production */
    bool word_wildcards;    /* new wildcards only at word boundaries of the
                             * catalog spelling: "ecr:GetLifecycle*",
                             * "ecr:*Images", never "ecr:GetL*" or "ecr:*r";
                             * longer output, readable and less likely to
                             * catch unrelated future actions */
} iam_min_opts;

/* The defaults: new wildcards allowed (shortest, not word-aligned), quota
 * of the type, Sids kept, no diagnostics for new wildcards. */
extern const iam_min_opts iam_min_defaults;

/* One output document. */
typedef struct iam_min_doc {
    char *json;             /* canonical text (docs/fmt.md: indent 2, final newline), NUL-terminated */
    size_t len;             /* bytes of json */
    size_t size;            /* size as counted against the quota (see top of file) */
    size_t nstmts;
} iam_min_doc;

/* One wildcard of the output that may match future actions. */
typedef struct iam_min_warning {
    char *pattern;          /* as emitted, e.g. "s3:GetObjectV*" */
    size_t doc;             /* index into docs */
    size_t stmt;            /* 0-based statement index within that document */
    size_t matched;         /* catalog actions it matches today */
    bool not_action;        /* it sits in a NotAction list */
    iam_effect effect;
} iam_min_warning;

typedef struct iam_min_result {
    iam_min_doc *docs;      /* ndocs >= 1 on success; > 1 when split */
    size_t ndocs;
    iam_min_warning *warnings;
    size_t nwarnings;
    size_t limit;           /* the per-document limit applied */
    size_t before_size;     /* input, same measure as iam_min_doc.size */
    size_t after_size;      /* sum of docs[i].size */
    size_t before_stmts, after_stmts;
    size_t before_actions, after_actions;   /* Action + NotAction entries */
} iam_min_result;

/* Minimize p against cat. On IAM_OK *out holds the documents (free with
 * iam_min_result_free). On failure *out is empty and d says why:
 *   IAM_ERR_SYNTAX  p did not decode cleanly (p->ok false): nothing to do;
 *   IAM_ERR_LIMIT   one statement alone exceeds the limit
 *                   (minimize-statement-too-large, span of the statement);
 *   IAM_ERR_USAGE   the equivalence check failed (minimize-not-equivalent,
 *                   with what differs): a bug - the result is withheld.
 * p must have been decoded by iam_policy_decode (its src/json are used for
 * sizes and for statements kept verbatim). opts NULL = iam_min_defaults. */
iam_status iam_minimize(const iam_catalog *cat, const iam_policy *p, const iam_min_opts *opts,
                        iam_diags *d, iam_min_result *out);

/* Convenience for generators: parse JSON text (name for messages), decode
 * it as type (IAM_PT_UNKNOWN: detect) and minimize it. Parse and decode
 * errors go to d and give IAM_ERR_SYNTAX. */
iam_status iam_minimize_text(const iam_catalog *cat, const char *name, const char *text,
                             size_t len, iam_policy_type type, const iam_min_opts *opts,
                             iam_diags *d, iam_min_result *out);

void iam_min_result_free(iam_min_result *r);

/* Are the documents after[0..n) together equivalent to before (see top of
 * file)? Returns true, or false after adding minimize-not-equivalent
 * diagnostics to d naming the first differences. Usable by any producer of
 * policies (compile, generate) to verify a rewrite. */
bool iam_min_check(const iam_catalog *cat, const iam_policy *before,
                   const iam_policy *const *after, size_t n, iam_diags *d);

/* Size quota of a policy type (iam-semantics.md 6): 6144 managed identity /
 * boundary, 2048 session and trust, 5120 SCP and RCP, 20480 resource
 * policies (S3's limit, the largest common one); 6144 for UNKNOWN. */
size_t iam_min_quota(iam_policy_type t);
/* True for SCP and RCP, whose quota counts whitespace. */
bool iam_min_quota_counts_whitespace(iam_policy_type t);

#endif
