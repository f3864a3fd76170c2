/* principal.h - a principal and every policy that applies to it, the unit
 * of the principal-level rules (privilege-escalation, missing-mfa).
 *
 * Groups come from GAAD files (analyzer/gaad.h) and from the directory
 * convention of docs/principals.md: every policy file under
 * principals/<name>/ belongs to principal <name>; a file named
 * boundary.json (or under boundary/) is its permission boundary and
 * trust.json its role trust policy. A lone identity policy elsewhere is a
 * group of its own. Pointers are borrowed from the analyzer. */
#ifndef IAM_ANALYZER_PRINCIPAL_H
#define IAM_ANALYZER_PRINCIPAL_H
#include <stdbool.h>
#include <stddef.h>

#include "policy/policy.h"

typedef enum iam_group_kind { IAM_GROUP_OTHER, IAM_GROUP_USER, IAM_GROUP_ROLE } iam_group_kind;

typedef struct iam_principal_group {
    const char *name;                 /* "user/alice", "role/path/deploy", or a directory */
    const char *arn;                  /* NULL when unknown */
    iam_group_kind kind;             /* OTHER: a directory or a lone policy */
    bool human;                       /* users, and roles trusted by SAML/OIDC/users */
    const iam_policy **identity;      /* every identity policy that applies */
    size_t nidentity;
    const iam_policy *boundary;       /* NULL: none */
    const iam_policy *trust;          /* roles: the trust policy */
    iam_span span;                    /* where the principal is defined */
} iam_principal_group;


#endif
