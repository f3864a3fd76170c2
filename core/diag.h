/* diag.h - the one diagnostics engine: every finding iampc reports.
 *
 * A diagnostic has a rule (from rules.def, giving its stable name and default
 * severity), a severity, a message, a primary span and optional related
 * spans. Library code appends to an iam_diags sink and never prints.
 * Ownership: the sink owns its arena; messages and related spans live there.
 * A sink is not thread-safe: one per thread, merged with iam_diags_merge. */
#ifndef IAM_CORE_DIAG_H
#define IAM_CORE_DIAG_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/source.h"

typedef enum iam_severity {
    IAM_SEV_SUGGESTION = 0,
    IAM_SEV_WARNING = 1,
    IAM_SEV_SECURITY = 2,
    IAM_SEV_ERROR = 3,
} iam_severity;
#define IAM_SEV_COUNT 4

typedef enum iam_rule_id {
#define RULE(id, name, sev, cat, summary) IAM_R_##id,
#include "core/rules.def"
#undef RULE
    IAM_R_COUNT
} iam_rule_id;

typedef struct iam_rule_info {
    const char *name;
    iam_severity sev;
    const char *category;
    const char *summary;
} iam_rule_info;

typedef enum iam_status {
    IAM_OK = 0,
    IAM_ERR_SYNTAX = 1,   /* input rejected; see diags */
    IAM_ERR_LIMIT = 2,    /* a limit was hit; see diags */
    IAM_ERR_IO = 3,
    IAM_ERR_USAGE = 4,
} iam_status;

typedef struct iam_related {
    iam_span span;
    const char *msg;
} iam_related;

typedef struct iam_diag {
    iam_rule_id rule;
    iam_severity sev;
    iam_span span;
    const char *msg;
    const char *help;          /* what to write instead, or NULL */
    const char *policy_type;   /* "identity", ... or NULL */
    const char *fingerprint;   /* stable identity for baselines, or NULL */
    iam_related *related;
    size_t nrelated;
    size_t seq;                /* insertion order, for a stable sort */
} iam_diag;

typedef struct iam_diags {
    iam_arena *arena;
    iam_diag *v;
    size_t n, cap;
    /* Severity overrides and disabled rules (from config); NULL = defaults. */
    const signed char *sev_override;   /* IAM_R_COUNT entries, -1 = default, -2 = off */
} iam_diags;

const iam_rule_info *iam_rule(iam_rule_id id);
/* Rule id by kebab-case name; -1 if unknown. */
int iam_rule_by_name(const char *name);
const char *iam_severity_name(iam_severity s);
int iam_severity_by_name(const char *s);   /* -1 if unknown */

void iam_diags_init(iam_diags *d);
void iam_diags_fini(iam_diags *d);
/* Append a diagnostic with the rule's default severity; returns it (NULL if
 * the rule is disabled) so callers can add related spans or help. */
iam_diag *iam_diag_add(iam_diags *d, iam_rule_id rule, iam_span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
iam_diag *iam_diag_vadd(iam_diags *d, iam_rule_id rule, iam_span at, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
void iam_diag_related(iam_diags *d, iam_diag *g, iam_span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void iam_diag_help(iam_diags *d, iam_diag *g, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Copies every diag of src (strings included) into dst. */
void iam_diags_merge(iam_diags *dst, const iam_diags *src);
/* Sort by (file, line, col, rule) for deterministic output. */
void iam_diags_sort(iam_diags *d);
size_t iam_diags_count_at_least(const iam_diags *d, iam_severity s);
bool iam_diags_has_errors(const iam_diags *d);

#endif
