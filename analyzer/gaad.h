/* gaad.h - the output of `aws iam get-account-authorization-details`.
 *
 * Recognised from its shape (top-level UserDetailList / RoleDetailList /
 * GroupDetailList / Policies) or forced with --type gaad. Every policy
 * inside (inline, managed default version, boundaries, trust policies) is
 * decoded from its own located JSON node, so findings point into the GAAD
 * file. Managed policy documents arrive either as JSON objects or as
 * URL-encoded JSON strings (as the CLI prints them with some options); a
 * string document is decoded into a new in-memory source named
 * "FILE#<policy-arn>" so its findings still say where they came from.
 *
 * The result is a list of principals (users and roles) each with every
 * policy that applies to it: inline, attached managed, and for users every
 * group's inline and attached managed policies; plus its boundary and, for
 * roles, its trust policy. Unattached managed policies are listed too so
 * they are still validated. */
#ifndef IAM_ANALYZER_GAAD_H
#define IAM_ANALYZER_GAAD_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/intern.h"
#include "grammar/json.h"
#include "analyzer/principal.h"
#include "policy/policy.h"

typedef struct iam_gaad {
    iam_principal_group *principals;
    size_t nprincipals;
    const iam_policy **policies;      /* every decoded policy, each once */
    size_t npolicies;
    iam_source **extra_sources;       /* in-memory sources for string documents */
    size_t nextra;
} iam_gaad;

/* True when doc looks like GAAD output. */
bool iam_gaad_detect(const iam_json *doc);
/* Decode every policy of a GAAD document (allocations in a, sources in
 * out->extra_sources must be freed by the caller with iam_source_free). */
iam_status iam_gaad_load(iam_arena *a, iam_strtab *names, const iam_json *doc, iam_diags *d, iam_gaad *out);

#endif
