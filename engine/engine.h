/* engine.h - the request evaluator: decides a request exactly as AWS does
 * (iam-semantics.md sections 2-5, scenario-format.md sections 5-6).
 *
 * Use: fill an iam_policy_set with decoded policies (policy/policy.h),
 * compile it once with iam_engine_compile, then call iam_engine_evaluate for
 * any number of requests.
 *
 * Ownership: the engine owns its own arena (compiled globs, pre-parsed
 * condition values, ...) and borrows the iam_policy objects: they, their
 * arenas and sources must outlive the engine. Requests are borrowed for the
 * duration of one call. Traces are malloc-owned by the caller
 * (iam_trace_init / iam_trace_fini) and may be reused across calls.
 *
 * Thread-safety: a compiled engine is immutable; any number of threads may
 * call iam_engine_evaluate on it at once, each with its own trace.
 * The library never prints and never exits. */
#ifndef IAM_ENGINE_ENGINE_H
#define IAM_ENGINE_ENGINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

/* ---- options: [unsure] points of iam-semantics.md ------------------------
 * Default (0) is the documented behaviour as scenario-format.md pins it;
 * each flag selects the named alternative. */
enum {
    /* NotPrincipal exempts a caller only if its own ARN *and* every ancestor
     * (account; role for sessions) is listed (iam-semantics 2.6). Default:
     * exempt when any element covers the caller (scenario-format 5.3). */
    IAM_ENGINE_NOTPRINCIPAL_STRICT = 1u << 0,
    /* An unresolvable ${var} is a null value: negated condition operators
     * are satisfied and a NotResource entry excludes nothing (iam-semantics
     * 4.6). Default: the value matches nothing and the statement does not
     * apply (scenario-format 5.5). */
    IAM_ENGINE_VARS_NULL = 1u << 1,
    /* A session policy that does not allow also blocks grants naming the
     * session ARN (iam-simulate [obs]). Default: it does not (AWS docs). */
    IAM_ENGINE_SESSION_CLIPS_DIRECT = 1u << 2,
    /* ForAnyValue:/ForAllValues: ignore an IfExists suffix (iam-simulate
     * [obs]). Default: IfExists makes an absent key satisfy the operator. */
    IAM_ENGINE_SETOP_IGNORE_IFEXISTS = 1u << 3,
    /* GetFederationToken sessions without a session policy have no
     * identity-derived rights (iam-semantics 3.2 step 7). Default: an absent
     * session policy never limits (scenario-format 6.3). */
    IAM_ENGINE_FEDERATED_NEEDS_SESSION_POLICY = 1u << 4,
    /* ARN fields partition/service/region/account match ignoring case
     * (iam-simulate [obs]). Default: case-sensitive (scenario-format 5.2). */
    IAM_ENGINE_ARN_PREFIX_ICASE = 1u << 5,
    /* Do not treat sts:GetCallerIdentity as always allowed. */
    IAM_ENGINE_NO_CALLER_IDENTITY_EXEMPTION = 1u << 6,
};

typedef struct iam_engine_opts {
    unsigned flags;
} iam_engine_opts;

/* Option name ("notprincipal-strict", ...) to flag; 0 when unknown. */
unsigned iam_engine_flag_by_name(const char *name);
/* NULL-terminated list of option names, in flag bit order. */
extern const char *const iam_engine_flag_names[];

/* ---- the policy set ------------------------------------------------------ */

/* One organization level: the policies attached at it. */
typedef struct iam_org_level {
    const iam_policy *const *v;
    size_t n;
} iam_org_level;

typedef struct iam_policy_set {
    const iam_policy *const *identity;   /* all identity policies, any order */
    size_t nidentity;
    const iam_policy *boundary;          /* NULL: no permissions boundary */
    const iam_policy *session;           /* NULL: no session policy */
    const iam_policy *resource;          /* NULL: resource has no policy */
    const iam_org_level *scps;           /* caller's path, root first */
    size_t nscps;
    bool has_scps;                       /* false: caller not governed by SCPs */
    const iam_org_level *rcps;           /* resource account's path, root first */
    size_t nrcps;
    bool has_rcps;                       /* RCPFullAWSAccess implied per level */
    /* Organization scope (iam-semantics 3.2 "Scope"). */
    bool caller_is_management_account;   /* SCPs do not apply */
    bool resource_is_management_account; /* RCPs do not apply */
    bool resource_is_aws_managed_key;    /* RCPs do not apply */
    /* The policy of the VPC endpoint the request goes through, or NULL.
     * It applies to requests whose context has aws:SourceVpce: an explicit
     * deny there denies, and it must allow (iam-semantics 3.2-3.3). The
     * scenario format does not model it (its section 10). */
    const iam_policy *vpce;
} iam_policy_set;

typedef struct iam_engine iam_engine;

/* Compile a policy set. Never fails except on OOM (iam_oom). */
iam_engine *iam_engine_compile(const iam_policy_set *set, const iam_engine_opts *opts);
void iam_engine_free(iam_engine *e);

/* ---- principals (iam-semantics 2.4, scenario-format 3.1) ----------------- */

typedef enum iam_caller_kind {
    IAM_CALLER_INVALID = 0,
    IAM_CALLER_USER,
    IAM_CALLER_ROLE,             /* role form: "a session of this role" */
    IAM_CALLER_ASSUMED_ROLE,
    IAM_CALLER_FEDERATED_USER,
    IAM_CALLER_ROOT,
    IAM_CALLER_SERVICE,
    IAM_CALLER_ANONYMOUS,
} iam_caller_kind;

/* A parsed request principal; the strings point into `buf`. */
typedef struct iam_caller {
    iam_caller_kind kind;
    const char *arn;         /* as given ("*" for anonymous) */
    const char *partition;   /* "aws", ... or "" */
    const char *account;     /* 12 digits, or "" (service, anonymous) */
    const char *name;        /* user / role / federated name, service name */
    const char *path;        /* "/" or "/a/b/" (user, role form) */
    const char *session;     /* session name (assumed-role) */
    bool service_linked;     /* role path /aws-service-role/ */
    char buf[512];
} iam_caller;

/* Parse a principal string; false (kind INVALID) when it is none of the
 * supported kinds or longer than the buffer allows. */
bool iam_caller_parse(const char *s, iam_caller *out);
const char *iam_caller_kind_name(iam_caller_kind k);

/* ---- requests ------------------------------------------------------------ */

typedef struct iam_ctx_entry {
    const char *key;             /* any case */
    const char *const *values;
    size_t nvalues;
    bool multi;                  /* written as an array (a set, maybe empty) */
} iam_ctx_entry;

typedef struct iam_request {
    const char *principal;
    const char *action;          /* service:Operation */
    const char *resource;        /* ARN or "*" */
    const char *resource_account;/* NULL: derive (scenario-format 3) */
    const iam_ctx_entry *context;
    size_t ncontext;
    bool service_linked_role;    /* caller is a service-linked role session */
} iam_request;

/* Check a request; on failure returns false and *why (static text). */
bool iam_request_check(const iam_request *r, const char **why);

/* ---- decisions and traces ------------------------------------------------ */

typedef enum iam_decision {
    IAM_DECISION_IMPLICIT_DENY = 0,
    IAM_DECISION_ALLOW,
    IAM_DECISION_EXPLICIT_DENY,
} iam_decision;

const char *iam_decision_name(iam_decision d);   /* "allow", ... */
/* -1 when s is not one of the three names. */
int iam_decision_by_name(const char *s);

typedef enum iam_layer {
    IAM_LAYER_RCP,
    IAM_LAYER_SCP,
    IAM_LAYER_RESOURCE,
    IAM_LAYER_IDENTITY,
    IAM_LAYER_BOUNDARY,
    IAM_LAYER_SESSION,
    IAM_LAYER_VPCE,              /* VPC endpoint policy (iam-semantics 3.3) */
} iam_layer;

/* How a resource-policy statement's principal matched (scenario-format 6.3). */
typedef enum iam_grant_class {
    IAM_GRANT_NONE = 0,
    IAM_GRANT_ACCOUNT,
    IAM_GRANT_ENTITY,
    IAM_GRANT_DIRECT,
} iam_grant_class;

/* Why a statement did not apply. */
typedef enum iam_miss {
    IAM_MISS_NONE = 0,          /* it applies */
    IAM_MISS_ACTION,
    IAM_MISS_RESOURCE,
    IAM_MISS_PRINCIPAL,
    IAM_MISS_CONDITION,
} iam_miss;

typedef struct iam_stmt_result {
    iam_layer layer;
    uint32_t level;             /* SCP/RCP level, else 0 */
    uint32_t policy;            /* index in its list / level, else 0 */
    uint32_t stmt;              /* 0-based statement index */
    const iam_statement *src;   /* sid, spans, effect */
    iam_effect effect;
    bool applies;
    iam_miss miss;
    iam_grant_class grant;      /* resource layer only */
    /* For IAM_MISS_CONDITION: the failing operator/key and the request
     * value (NULL: key absent; multi: the key held a set). */
    const iam_condition *cond;
    const iam_cond_key *key;
    const char *value;
    bool value_multi;
} iam_stmt_result;

typedef enum iam_gate_kind {
    IAM_GATE_SCP_LEVEL,
    IAM_GATE_BOUNDARY,
    IAM_GATE_SESSION,
    IAM_GATE_RP_ACCOUNT,        /* 6.7 resourcePolicyAccountGrant */
    IAM_GATE_VPCE,              /* the VPC endpoint policy must allow */
} iam_gate_kind;

typedef struct iam_gate {
    iam_gate_kind kind;
    uint32_t level;
    bool passed;
} iam_gate;

typedef enum iam_path {
    IAM_PATH_NONE = 0,
    IAM_PATH_IDENTITY,
    IAM_PATH_RESOURCE,
    IAM_PATH_BOTH,
    IAM_PATH_UNCONDITIONAL,     /* sts:GetCallerIdentity */
} iam_path;

const char *iam_path_name(iam_path p);  /* "identity", "identity+resource", ... */
const char *iam_layer_name(iam_layer l);

typedef struct iam_trace {
    iam_stmt_result *v;         /* every statement evaluated, layer order */
    size_t n, cap;
    iam_gate gates[64];
    size_t ngates;
    iam_path path;
    bool same_account;
    bool scp_scope, rcp_scope;
    bool needs_explicit_rbp;
    iam_caller caller;
    const char *resource_account;   /* as used; points into the request or acct_buf */
    char acct_buf[16];
} iam_trace;

void iam_trace_init(iam_trace *t);
void iam_trace_fini(iam_trace *t);

/* Evaluate r against e. With a trace, every statement is evaluated and
 * recorded; without (NULL), evaluation stops as soon as the decision is
 * known. A request that fails iam_request_check yields IMPLICIT_DENY. */
iam_decision iam_engine_evaluate(const iam_engine *e, const iam_request *r, iam_trace *trace);

/* Multi-resource actions (iam-semantics 2.3.8, e.g. ec2:RunInstances on an
 * instance, image, subnet, ...): r is evaluated once per ARN of
 * resources[0..n) (r->resource is ignored) and every pair must be allowed.
 * Explicit deny if any pair is explicitly denied, else implicit deny if any
 * is not allowed; *first_failing (may be NULL) gets the index of the pair
 * that decided, or n when all allow. */
iam_decision iam_engine_evaluate_all(const iam_engine *e, const iam_request *r,
                                     const char *const *resources, size_t n,
                                     size_t *first_failing);

/* ---- single-statement helpers (tests, analyzers) ------------------------- */

/* Glob an action pattern ("*", "svc:Get*") against a request action. */
bool iam_engine_action_match(const char *pattern, const char *action);
/* Match a Resource pattern against an ARN (or "*"), scenario-format 5.2,
 * identity-policy rules for short patterns, no variables. */
bool iam_engine_resource_match(const char *pattern, const char *arn);

/* ---- bulk evaluation ------------------------------------------------------ */

typedef struct iam_bulk_item {
    const char *text;            /* one JSON line; NULL: skipped (blank) */
    size_t len;
    int decision;                /* out: iam_decision, or -1 when invalid */
    int expect;                  /* out: the line's "expect", or -1 */
    char *error;                 /* out: malloc'd "NAME:LINE:COL: msg" when invalid */
    char *rendered;              /* out: the render callback's result, or NULL */
} iam_bulk_item;

/* Renders one evaluated line's trace (bulk --explain). Called on the worker
 * thread that evaluated `item`, input line index + 1 (decision and expect
 * already set), so
 * it must be thread-safe; the trace and the request strings it points to
 * are the worker's and valid only during the call, hence the copy: return
 * a malloc'd string (or NULL), which lands in item->rendered. */
typedef char *(*iam_bulk_render_fn)(void *ud, const iam_bulk_item *item, size_t index,
                                    const iam_trace *t);

/* Decode and evaluate items[0..n) on `jobs` threads (the caller's thread is
 * one of them). Each line is a scenario-format request object or
 * {"request": {...}, "expect": "..."}; `name` labels error messages and line
 * numbers are index + 1. Results land in the items, so output order is the
 * caller's. Uses the located JSON parser, one arena per worker. */
void iam_bulk_evaluate(const iam_engine *e, const char *name, iam_bulk_item *items, size_t n,
                       int jobs);

typedef struct iam_bulk_opts {
    int jobs;                   /* threads, the caller's included (< 1: 1) */
    size_t first_index;         /* items[0] is input line first_index + 1, so
                                 * a caller can run a long input in windows */
    iam_bulk_render_fn render;  /* non-NULL: trace every valid line (one trace
                                 * per worker, reused) and render it */
    void *ud;                   /* passed to render */
} iam_bulk_opts;

/* iam_bulk_evaluate with options. Tracing evaluates every statement, so it
 * is slower than the untraced form; rendered strings stay in the items
 * until iam_bulk_free, so callers bound memory by running windows. */
void iam_bulk_run(const iam_engine *e, const char *name, iam_bulk_item *items, size_t n,
                  const iam_bulk_opts *o);
/* Free the error and rendered strings. */
void iam_bulk_free(iam_bulk_item *items, size_t n);

/* ---- scenario files (scenario-format.md) --------------------------------
 * A loaded scenario owns its source, arena and name table; its request and
 * policy set point into them. Errors go to d with file:line:col spans. */

typedef struct iam_scenario {
    const char *path;
    const char *name;
    iam_request req;
    iam_policy_set set;
    int expect;                  /* iam_decision, or -1 when absent */
    iam_arena *arena;            /* owned */
    iam_strtab *names;           /* owned */
    iam_source *src;             /* owned */
} iam_scenario;

/* Load and check a scenario: IAM_OK, IAM_ERR_IO (*out NULL) or
 * IAM_ERR_SYNTAX / IAM_ERR_LIMIT, when d says why and *out is still set,
 * because the diagnostics' spans point into its source: render them, then
 * iam_scenario_free. Only evaluate a scenario loaded with IAM_OK. */
enum {
    /* "name" and "request" may be absent (bulk mode: requests come from
     * elsewhere; req.principal is then NULL). */
    IAM_SCENARIO_POLICIES_ONLY = 1u << 0,
};
iam_status iam_scenario_load(const char *path, unsigned flags, iam_diags *d, iam_scenario **out);
/* Same from a source the scenario takes ownership of. */
iam_status iam_scenario_from_source(iam_source *src, unsigned flags, iam_diags *d,
                                    iam_scenario **out);
void iam_scenario_free(iam_scenario *s);

/* Decode a scenario-format "request" object into out (strings and arrays in
 * a). Used for bulk request lines too. */
iam_status iam_scenario_request_decode(iam_arena *a, const iam_json *obj, iam_diags *d,
                                       iam_request *out);
/* Decode one policy document of the given type; NULL on errors. */
const iam_policy *iam_scenario_policy_decode(iam_arena *a, iam_strtab *names,
                                             const iam_json *doc, iam_policy_type type,
                                             iam_diags *d);

#endif
