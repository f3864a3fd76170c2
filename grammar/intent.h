/* intent.h - the intent language (docs/intent-language.md): a located AST
 * produced by a reentrant Flex + Bison parser (grammar/intent.l, intent.y,
 * prefix iam_ix_).
 *
 * The parser only checks syntax: strings keep their ${...} references,
 * action names and ARNs are not looked up, includes are not followed. The
 * compiler (compiler/compile.h) resolves variables, includes and catalog
 * names and reports those errors with the spans kept here.
 *
 * Ownership: the AST lives in the arena passed to iam_intent_parse and
 * points into the source, which must outlive it. Thread-safe: no global
 * state; one parse per call. */
#ifndef IAM_GRAMMAR_INTENT_H
#define IAM_GRAMMAR_INTENT_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/source.h"

/* A string literal (escapes decoded, ${...} kept), a name, an action
 * pattern or '*', with its span. */
typedef struct iam_ix_str {
    const char *s;
    size_t len;
    iam_span span;
    bool star;           /* the bare token '*' (not a string) */
} iam_ix_str;

typedef struct iam_ix_strs {
    iam_ix_str *v;
    size_t n;
} iam_ix_strs;

typedef enum iam_ix_cond_kind {
    IAM_IXC_MFA,              /* mfa */
    IAM_IXC_SOURCE_IP,        /* source ip "cidr", ... */
    IAM_IXC_SOURCE_VPC,       /* source vpc "vpc-..." */
    IAM_IXC_SOURCE_VPCE,      /* source vpce "vpce-..." */
    IAM_IXC_ORG,              /* org "o-..."            aws:PrincipalOrgID */
    IAM_IXC_ACCOUNT,          /* account "1111..."      aws:PrincipalAccount */
    IAM_IXC_RESOURCE_ORG,     /* resource org "o-..."   aws:ResourceOrgID */
    IAM_IXC_RESOURCE_ACCOUNT, /* resource account "..." aws:ResourceAccount */
    IAM_IXC_RESOURCE_TAG,     /* tag "k" == "v" | resource tag "k" == "v" */
    IAM_IXC_REQUEST_TAG,      /* request tag "k" == "v" */
    IAM_IXC_PRINCIPAL_TAG,    /* principal tag "k" == "v" */
    IAM_IXC_VIA,              /* via "svc.amazonaws.com" */
    IAM_IXC_SECURE_TRANSPORT, /* secure transport */
    IAM_IXC_PRINCIPAL,        /* principal "arn..."     aws:PrincipalArn */
    IAM_IXC_RAW,              /* "Operator" "key" == "v", ... */
} iam_ix_cond_kind;

typedef struct iam_ix_cond {
    iam_ix_cond_kind kind;
    iam_span span;
    iam_ix_str op;            /* RAW: the operator */
    iam_ix_str key;           /* RAW: the key; *_TAG: the tag key */
    iam_ix_strs values;
} iam_ix_cond;

typedef enum iam_ix_stmt_kind {
    IAM_IXS_LEVELS,           /* read, list on ARNS [when ...] */
    IAM_IXS_ALLOW,            /* allow ACTIONS on ARNS [when|unless ...] */
    IAM_IXS_DENY,             /* deny ACTIONS on ARNS [when|unless ...] */
    IAM_IXS_REQUIRE_MFA,      /* require mfa for ACTIONS */
    IAM_IXS_EXCLUDE,          /* exclude ACTIONS */
    IAM_IXS_PRINCIPAL,        /* principal [service] "..." | principal * */
    IAM_IXS_ASSERT,           /* assert allows|denies ACTION on ARN [as P] [with k = v, ...] */
} iam_ix_stmt_kind;

/* Access levels of IAM_IXS_LEVELS (the catalog's iam_access_level bits). */
typedef struct iam_ix_level {
    unsigned bit;
    iam_span span;
} iam_ix_level;

typedef struct iam_ix_stmt {
    iam_ix_stmt_kind kind;
    iam_span span;
    iam_ix_level *levels;
    size_t nlevels;
    iam_ix_strs actions;      /* ALLOW, DENY, REQUIRE_MFA, EXCLUDE; ASSERT: one */
    iam_ix_strs resources;    /* LEVELS, ALLOW, DENY; ASSERT: one */
    bool unless;              /* conditions introduced by 'unless' (negated) */
    iam_ix_cond *conds;       /* joined by 'and' */
    size_t nconds;
    /* PRINCIPAL: service principals instead of AWS ones; ASSERT: allows. */
    bool flag;
    iam_ix_strs principals;   /* PRINCIPAL; ASSERT: 'as' (0 or 1) */
    iam_ix_strs ctx_keys;     /* ASSERT: with KEY = VALUE pairs */
    iam_ix_strs ctx_values;
} iam_ix_stmt;

typedef enum iam_ix_target {
    IAM_IXT_ROLE,
    IAM_IXT_USER,
    IAM_IXT_BOUNDARY,
    IAM_IXT_SCP,
    IAM_IXT_RCP,
    IAM_IXT_RESOURCE,
} iam_ix_target;

const char *iam_ix_target_name(iam_ix_target t);

typedef enum iam_ix_item_kind {
    IAM_IXI_LET,              /* let NAME = "value" */
    IAM_IXI_INCLUDE,          /* include "file.iam" */
    IAM_IXI_POLICY,           /* policy|guardrail NAME for TARGET { ... } */
} iam_ix_item_kind;

typedef struct iam_ix_item {
    iam_ix_item_kind kind;
    iam_span span;
    iam_ix_str name;          /* LET, POLICY */
    iam_ix_str value;         /* LET value, INCLUDE path */
    bool guardrail;           /* POLICY spelt 'guardrail' */
    iam_ix_target target;
    iam_span target_span;
    iam_ix_stmt *stmts;
    size_t nstmts;
} iam_ix_item;

typedef struct iam_intent {
    const iam_source *src;
    iam_ix_item *items;
    size_t nitems;
} iam_intent;

typedef struct iam_intent_limits {
    size_t max_file;          /* bytes of input; default 4 MiB */
    size_t max_token;         /* bytes of one token; default 64 KiB */
} iam_intent_limits;

extern const iam_intent_limits iam_intent_default_limits;

/* Parse a whole intent file. IAM_OK with *out set, or IAM_ERR_SYNTAX /
 * IAM_ERR_LIMIT with intent-syntax / input-limit diagnostics in d
 * ("unexpected 'on', expected action or '*'"). lim NULL: defaults. */
iam_status iam_intent_parse(iam_arena *a, const iam_source *src, const iam_intent_limits *lim,
                            iam_diags *d, iam_intent **out);

#endif
