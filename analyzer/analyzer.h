/* analyzer.h - the analysis pipeline behind `iampc analyze`: read each
 * input, parse it (located JSON), decode the policy IR, validate it for its
 * type and run the enabled rule sets, collecting every finding in one sink.
 *
 * Ownership: the analyzer owns the sources, arenas and diagnostics of the
 * files it read; spans in its diagnostics point into those sources, so
 * render them before iam_analyzer_free. Not thread-safe. */
#ifndef IAM_ANALYZER_ANALYZER_H
#define IAM_ANALYZER_ANALYZER_H
#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "policy/policy.h"

typedef struct iam_analyzer iam_analyzer;

/* Hook for rule sets that need more than grammar validation (catalog,
 * risk rules); called once per decoded policy. */
typedef void (*iam_policy_check_fn)(void *ud, const iam_policy *p, iam_diags *d);

struct iam_catalog;
struct iam_config;

typedef struct iam_analyze_opts {
    iam_policy_type type;        /* --type, or IAM_PT_UNKNOWN to infer */
    size_t max_file;             /* bytes; 0 = grammar default */
    const struct iam_catalog *catalog;  /* NULL: the built-in catalog */
    const struct iam_config *config;    /* NULL: defaults */
    bool grammar_only;           /* skip catalog and risk rules */
    bool gaad;                   /* every input is GAAD output (--type gaad) */
    iam_policy_check_fn check;   /* optional extra checks */
    void *check_ud;
} iam_analyze_opts;

iam_analyzer *iam_analyzer_new(const iam_analyze_opts *o);
void iam_analyzer_free(iam_analyzer *an);
/* Analyse one path ("-" = stdin). Returns IAM_OK, or IAM_ERR_IO / _SYNTAX /
 * _LIMIT when the input could not be read or parsed (diagnostics say why). */
iam_status iam_analyzer_add(iam_analyzer *an, const char *path);
/* Analyse in-memory text under a display name. */
iam_status iam_analyzer_add_mem(iam_analyzer *an, const char *name, const char *data, size_t len);
/* Run the rules that need every input at once: principal-level rules
 * (privilege-escalation, missing-mfa) over the principal groups of
 * docs/principals.md and GAAD files, and scp-guardrail-missing per folder of
 * SCPs. Call once, after the last add. */
void iam_analyzer_finish(iam_analyzer *an);
iam_diags *iam_analyzer_diags(iam_analyzer *an);
size_t iam_analyzer_files(const iam_analyzer *an);
size_t iam_analyzer_policies(const iam_analyzer *an);
/* True when some input could not be read or parsed (exit status 2). */
int iam_analyzer_input_failed(const iam_analyzer *an);

#endif
