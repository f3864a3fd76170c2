/* policy.h - the policy IR: every policy type decoded from located JSON,
 * string-or-array forms normalised to arrays, every element with its span.
 *
 * Ownership: an iam_policy and everything it points to live in the arena
 * given to iam_policy_decode; interned names live in the iam_strtab. Both
 * and the source must outlive the policy. Immutable after decoding, so a
 * policy may be read from several threads at once. */
#ifndef IAM_POLICY_POLICY_H
#define IAM_POLICY_POLICY_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/intern.h"
#include "grammar/json.h"

typedef enum iam_policy_type {
    IAM_PT_UNKNOWN = 0,
    IAM_PT_IDENTITY,
    IAM_PT_RESOURCE,
    IAM_PT_TRUST,
    IAM_PT_SCP,
    IAM_PT_RCP,
    IAM_PT_BOUNDARY,
    IAM_PT_SESSION,
} iam_policy_type;
#define IAM_PT_COUNT 8

/* How the type was chosen, reported with every finding. */
typedef enum iam_type_origin {
    IAM_TO_FLAG,        /* --type */
    IAM_TO_DIRECTORY,   /* directory convention (docs/policy-types.md) */
    IAM_TO_CONTEXT,     /* fixed by the container (scenario file, GAAD) */
    IAM_TO_HEURISTIC,   /* detected from the document */
} iam_type_origin;

const char *iam_policy_type_name(iam_policy_type t);
iam_policy_type iam_policy_type_by_name(const char *s);   /* UNKNOWN if none */
const char *iam_type_origin_name(iam_type_origin o);

typedef enum iam_effect { IAM_EFFECT_INVALID = 0, IAM_EFFECT_ALLOW, IAM_EFFECT_DENY } iam_effect;

/* A string element of a list (Resource entry, condition value, ...). */
typedef struct iam_str {
    const char *s;        /* decoded text (canonical string for bool/number) */
    size_t len;
    iam_span span;
} iam_str;

typedef struct iam_strlist {
    iam_str *v;
    size_t n;
    iam_span span;        /* the whole value (string or array) */
} iam_strlist;

/* Action / NotAction entry. */
typedef struct iam_action {
    const char *text;     /* as written */
    const char *folded;   /* interned, lowercase: "*" or "svc:pattern" */
    const char *service;  /* interned lowercase prefix, NULL for "*" */
    const char *name;     /* lowercase pattern after ':' ("" when malformed) */
    bool wildcard;        /* contains '*' or '?' */
    bool valid;           /* "*" or prefix:name with a well-formed prefix */
    iam_span span;
} iam_action;

typedef enum iam_principal_kind {
    IAM_PK_AWS,
    IAM_PK_SERVICE,
    IAM_PK_FEDERATED,
    IAM_PK_CANONICAL,
} iam_principal_kind;

/* What an AWS principal entry denotes (iam-semantics.md 1.4, 2.5). */
typedef enum iam_principal_form {
    IAM_PF_ANY,            /* "*" */
    IAM_PF_ACCOUNT,        /* 12-digit id or arn:...:iam::A:root (normalised to the root ARN) */
    IAM_PF_USER,
    IAM_PF_ROLE,
    IAM_PF_ASSUMED_ROLE,   /* arn:...:sts::A:assumed-role/R/S */
    IAM_PF_FEDERATED_USER, /* arn:...:sts::A:federated-user/N */
    IAM_PF_UNIQUE_ID,      /* AIDA.../AROA... left by a deleted entity */
    IAM_PF_OTHER,          /* service name, IdP, canonical id, or malformed */
} iam_principal_form;

typedef struct iam_principal_entry {
    iam_principal_kind kind;
    iam_principal_form form;
    const char *text;      /* as written */
    const char *norm;      /* normalised: "*" | root ARN for accounts | text */
    const char *account;   /* 12-digit account when known, else NULL */
    iam_span span;
} iam_principal_entry;

typedef struct iam_principal {
    bool present;
    bool any;              /* "*" or {"AWS":"*"} among the entries */
    iam_principal_entry *v;
    size_t n;
    iam_span span;
} iam_principal;

typedef enum iam_setq { IAM_SETQ_NONE, IAM_SETQ_FOR_ALL_VALUES, IAM_SETQ_FOR_ANY_VALUE } iam_setq;

#define IAM_COND_OPS(X) \
    X(STRING_EQUALS, "StringEquals", STRING, false) \
    X(STRING_NOT_EQUALS, "StringNotEquals", STRING, true) \
    X(STRING_EQUALS_IGNORE_CASE, "StringEqualsIgnoreCase", STRING, false) \
    X(STRING_NOT_EQUALS_IGNORE_CASE, "StringNotEqualsIgnoreCase", STRING, true) \
    X(STRING_LIKE, "StringLike", STRING, false) \
    X(STRING_NOT_LIKE, "StringNotLike", STRING, true) \
    X(NUMERIC_EQUALS, "NumericEquals", NUMERIC, false) \
    X(NUMERIC_NOT_EQUALS, "NumericNotEquals", NUMERIC, true) \
    X(NUMERIC_LESS_THAN, "NumericLessThan", NUMERIC, false) \
    X(NUMERIC_LESS_THAN_EQUALS, "NumericLessThanEquals", NUMERIC, false) \
    X(NUMERIC_GREATER_THAN, "NumericGreaterThan", NUMERIC, false) \
    X(NUMERIC_GREATER_THAN_EQUALS, "NumericGreaterThanEquals", NUMERIC, false) \
    X(DATE_EQUALS, "DateEquals", DATE, false) \
    X(DATE_NOT_EQUALS, "DateNotEquals", DATE, true) \
    X(DATE_LESS_THAN, "DateLessThan", DATE, false) \
    X(DATE_LESS_THAN_EQUALS, "DateLessThanEquals", DATE, false) \
    X(DATE_GREATER_THAN, "DateGreaterThan", DATE, false) \
    X(DATE_GREATER_THAN_EQUALS, "DateGreaterThanEquals", DATE, false) \
    X(BOOL, "Bool", BOOL, false) \
    X(BINARY_EQUALS, "BinaryEquals", BINARY, false) \
    X(IP_ADDRESS, "IpAddress", IP, false) \
    X(NOT_IP_ADDRESS, "NotIpAddress", IP, true) \
    X(ARN_EQUALS, "ArnEquals", ARN, false) \
    X(ARN_LIKE, "ArnLike", ARN, false) \
    X(ARN_NOT_EQUALS, "ArnNotEquals", ARN, true) \
    X(ARN_NOT_LIKE, "ArnNotLike", ARN, true) \
    X(NULL_CHECK, "Null", NULL, false)

typedef enum iam_cond_base {
#define X(id, name, fam, neg) IAM_OP_##id,
    IAM_COND_OPS(X)
#undef X
    IAM_OP_COUNT,
    IAM_OP_UNKNOWN = IAM_OP_COUNT
} iam_cond_base;

typedef enum iam_cond_family {
    IAM_FAM_STRING, IAM_FAM_NUMERIC, IAM_FAM_DATE, IAM_FAM_BOOL,
    IAM_FAM_BINARY, IAM_FAM_IP, IAM_FAM_ARN, IAM_FAM_NULL,
} iam_cond_family;

const char *iam_cond_base_name(iam_cond_base b);
iam_cond_family iam_cond_base_family(iam_cond_base b);
bool iam_cond_base_negated(iam_cond_base b);

typedef struct iam_cond_key {
    const char *text;      /* as written */
    const char *folded;    /* interned lowercase */
    iam_span span;
    iam_strlist values;    /* canonical strings ("true", "12", ...) */
} iam_cond_key;

typedef struct iam_condition {
    const char *text;      /* operator as written */
    iam_setq setq;
    iam_cond_base base;    /* IAM_OP_UNKNOWN when not recognised */
    bool if_exists;
    bool canonical_case;   /* spelled exactly as AWS documents it */
    iam_span span;
    iam_cond_key *keys;
    size_t nkeys;
} iam_condition;

typedef struct iam_statement {
    iam_span span;
    size_t index;              /* 0-based position in the policy */
    const char *sid;           /* NULL when absent */
    iam_span sid_span;
    iam_effect effect;
    iam_span effect_span;
    iam_principal principal;   /* Principal or NotPrincipal */
    bool not_principal;
    iam_action *actions;       /* Action or NotAction */
    size_t nactions;
    bool has_action;
    bool not_action;
    iam_span action_span;
    iam_strlist resources;     /* Resource or NotResource */
    bool has_resource;
    bool not_resource;
    iam_condition *conds;
    size_t nconds;
    bool has_condition;
    iam_span condition_span;
} iam_statement;

typedef struct iam_policy {
    const iam_source *src;
    const iam_json *json;      /* the document this was decoded from */
    iam_span span;
    iam_policy_type type;
    iam_type_origin type_origin;
    const char *type_reason;   /* why, for heuristics ("Principal present") */
    const char *version;       /* NULL when absent */
    iam_span version_span;
    bool vars_enabled;         /* Version 2012-10-17: ${...} substitution */
    const char *id;
    iam_span id_span;
    iam_statement *stmts;
    size_t nstmts;
    bool statement_is_array;
    iam_span statement_span;
    size_t size_minified;      /* characters without whitespace outside strings */
    size_t size_full;          /* characters of the source text */
    bool ok;                   /* decoded without structural errors */
} iam_policy;

typedef struct iam_decode_opts {
    iam_policy_type type;        /* IAM_PT_UNKNOWN: detect */
    iam_type_origin origin;      /* origin when type is given */
} iam_decode_opts;

/* Decode a located JSON document into the IR, reporting structural problems
 * (unknown-element, element-type, missing-element, element-combination,
 * invalid-effect, empty-value, ...) to d. Always returns a policy (possibly
 * with ok = false) so callers can keep analysing what was understood. */
iam_policy *iam_policy_decode(iam_arena *a, iam_strtab *names, const iam_json *doc,
                              const iam_decode_opts *opts, iam_diags *d);

/* Type-specific grammar validation (iam-semantics.md 1.8 element matrix,
 * Sid rules, versions, operator and value shapes, principals, quotas). */
void iam_policy_validate(const iam_policy *p, iam_diags *d);

/* Detect a policy type from the document; reason is a static string. */
iam_policy_type iam_policy_detect_type(const iam_json *doc, const char **reason);

/* Policy type from a path by the directory convention, or UNKNOWN. */
iam_policy_type iam_policy_type_from_path(const char *path);

struct iam_strbuf;
/* Append the IR as JSON (for `iampc parse --dump-ir`). */
void iam_policy_dump(const iam_policy *p, struct iam_strbuf *b);

#endif
