/* risk_internal.h - helpers and data tables shared by the risk checks. */
#ifndef IAM_ANALYZER_RISK_INTERNAL_H
#define IAM_ANALYZER_RISK_INTERNAL_H
#include <stdbool.h>

#include "analyzer/risk.h"

/* -- tables (risk_tables.c); key names are lowercase --------------------- */
extern const char *const iam_secret_actions[];        /* "secretsmanager:GetSecretValue", ... */
extern const char *const iam_secret_mitigations[];    /* keys that restrict secret reads */
extern const char *const iam_credential_actions[];
extern const char *const iam_exfiltration_actions[];
extern const char *const iam_caller_keys[];           /* keys that restrict who the caller is */
extern const char *const iam_source_keys[];           /* confused-deputy keys */
extern const char *const iam_always_present_keys[];   /* present on every signed request */
extern const char *const iam_multivalued_keys[];

typedef struct iam_escalation {
    const char *name;            /* "iam:CreatePolicyVersion" (for docs; messages name the granted actions) */
    const char *effect;          /* what an attacker does with it */
    const char *const *need[4];  /* all groups needed; any action of a group suffices */
    const char *pass_to;         /* iam:PassRole must be allowed to this service principal, or NULL */
    bool other_users;            /* only a threat on users other than the caller (credentials) */
} iam_escalation;
extern const iam_escalation iam_escalations[];
extern const size_t iam_nescalations;

typedef struct iam_guardrail {
    const char *name;
    const char *const *actions;  /* every one must be denied */
    bool root_user;              /* special: Deny on the root user's ARN */
} iam_guardrail;
extern const iam_guardrail iam_guardrails[];
extern const size_t iam_nguardrails;

/* Tables resolved against the catalog once per run (risk_common.c). */
struct iam_risk_cache {
    iam_actionset *secret;        /* iam_secret_actions + config secretActions */
    iam_actionset *credential;
    iam_actionset *exfiltration;
    iam_actionset *permissions;   /* access level Permissions management */
    iam_actionset *sensitive;     /* missing-mfa */
    uint32_t passrole;
    uint32_t (*escalation)[4][8]; /* ids per method, group, alternative */
};

/* -- helpers (risk_common.c) --------------------------------------------- */
/* Lowercase key matches a table entry ("aws:principaltag/" is a prefix). */
bool iam_key_in(const char *folded, const char *const *table);
/* Does some condition of s restrict requests through a key of `keys`
 * (NULL = any key)? See risk.h for what counts. */
bool iam_cond_restricts(const iam_statement *s, const char *const *keys);
/* Like iam_cond_restricts, but only operators that admit a known set of
 * values count ("only callers of org X"); negated operators and Null do
 * not, since everyone outside the list still passes. */
bool iam_cond_restricts_to(const iam_statement *s, const char *const *keys);
/* Does s grant catalog action id on (nearly) every resource it can act on?
 * Judged per resource type of the action, on the entries that can denote it. */
bool iam_resource_broad_for(iam_risk_ctx *c, const iam_statement *s, uint32_t id);
/* A Null "false" on key in s (makes ForAllValues non-vacuous). */
bool iam_cond_has_presence_guard(const iam_statement *s, const char *key);
/* Resource entries that cover every resource of a service: "*", NotResource,
 * or an ARN whose resource part is only wildcards or "type/" plus a wildcard. */
bool iam_resource_broad(const iam_statement *s);
/* The literal "*" among Resource entries (not NotResource). */
bool iam_resource_has_star(const iam_statement *s, iam_span *at);
/* iam_catalog_key_resolve through the context's memo when it has one. */
bool iam_risk_key_resolve(iam_risk_ctx *c, const char *key, uint32_t *ids, size_t cap, iam_key_match *m);
/* Catalog id of an exact action name, or IAM_CATALOG_NONE. */
uint32_t iam_action_id(const iam_catalog *cat, const char *name);
/* The Action entry of s that covers catalog action id (span for reports);
 * NULL for NotAction statements or when none does. */
const iam_action *iam_entry_for(iam_risk_ctx *c, const iam_statement *s, uint32_t id);
/* Report with the policy type filled in. */
iam_diag *iam_risk_report(iam_risk_ctx *c, const iam_policy *p, iam_rule_id r, iam_span at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Is the condition on key (lowercase) with operator family/base present? */
const iam_condition *iam_find_condition(const iam_statement *s, const char *key, const iam_cond_key **k);

#endif
