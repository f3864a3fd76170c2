/* minimize_internal.h - shared pieces of the minimizer (compiler/minimize*.c).
 *
 * Keys: statements are compared through normalised text keys built from the
 * IR (policy/policy.h), so the minimizer and the equivalence checker agree
 * by construction on what "same principal / condition / resources" means:
 *   principal  "" (absent) | "P:" or "N:" then sorted, de-duplicated
 *              "<kind>=<norm>" entries joined by '\n';
 *   condition  "" (absent) | sorted operator blocks, each "<op>{" then
 *              sorted "<folded key>=[sorted, de-duplicated values]";
 *              operators spelled by their parsed form when recognised;
 *   resources  "-" (absent) | "R:" / "N:" then the sorted, de-duplicated
 *              entries (exact bytes: ARN resource parts are case-sensitive).
 * Everything lives in the caller's arena. */
#ifndef IAM_COMPILER_MINIMIZE_INTERNAL_H
#define IAM_COMPILER_MINIMIZE_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "compiler/minimize.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "policy/policy.h"

/* -- keys (minimize_keys.c) ---------------------------------------------- */

const char *iam_mk_principal(iam_arena *a, const iam_statement *s);
const char *iam_mk_condition(iam_arena *a, const iam_statement *s);
/* Key of a statement's whole Resource/NotResource element. */
const char *iam_mk_resources(iam_arena *a, const iam_statement *s);
/* "<effect>|<principal>|<condition>" */
const char *iam_mk_group(iam_arena *a, const iam_statement *s);

/* Is every ARN matched by resource pattern r also matched by q (q != r)?
 * Sound but incomplete: true only when q is "*", or r is a literal ARN (no
 * wildcard, no variable) that q matches field by field (iam-semantics 2.3),
 * case-sensitively throughout. */
bool iam_mk_resource_covers(const char *q, size_t qn, const char *r, size_t rn);
/* Is the action pattern u (folded) matched by written pattern w (folded),
 * w != u? True when w is "*", w is "svc:*" of u's service, or u has no
 * wildcard and w glob-matches it. */
bool iam_mk_action_covers(const char *w, const char *u);

/* Compact canonical JSON of a statement without its Sid: the key of a
 * statement kept verbatim. */
const char *iam_mk_verbatim(iam_arena *a, const iam_json *stmt);
/* The JSON object of statement i of p (NULL if it cannot be found). */
const iam_json *iam_mk_stmt_json(const iam_policy *p, size_t i);
/* Does the minimizer understand s (else it is kept verbatim)? */
bool iam_mk_understood(const iam_statement *s);

/* A set of strings in insertion order (arena-owned), hashed once large.
 * Sorting (iam_mk_strset_sort) invalidates the hash: sort only when done. */
typedef struct iam_mk_strset {
    const char **v;
    size_t n, cap;
    uint32_t *hx;           /* 1 + index into v, 0 = empty; NULL while small */
    size_t hcap;            /* power of two */
} iam_mk_strset;
void iam_mk_strset_add(iam_arena *a, iam_mk_strset *s, const char *str);   /* no duplicates */
bool iam_mk_strset_has(const iam_mk_strset *s, const char *str);
void iam_mk_strset_sort(iam_mk_strset *s);

/* -- action compression (minimize_actions.c) ------------------------------ */

/* One pattern chosen for an action list. */
typedef struct iam_mk_pattern {
    const char *text;       /* as emitted */
    bool fresh;             /* a wildcard not written in the input list */
    size_t matched;         /* catalog actions it matches */
} iam_mk_pattern;

/* An action list being compressed: the catalog actions it denotes, the
 * uncatalogued patterns (folded + as written, parallel arrays) and the
 * input patterns of the lists merged into it (folded + as written). */
typedef struct iam_mk_actions {
    iam_actionset *set;
    iam_mk_strset unm;          /* folded */
    const char **unm_text;      /* parallel to unm.v */
    size_t unm_cap;
    iam_mk_strset inputs;       /* folded */
    const char **input_text;    /* parallel to inputs.v */
    size_t input_cap;
} iam_mk_actions;

/* Add one written pattern (text as written) to l, expanding it via memo. */
void iam_mk_actions_add(iam_arena *a, iam_catalog_memo *memo, iam_mk_actions *l, const char *text,
                        const char *folded);
/* Record a pattern only as reusable input (the set is unchanged). */
void iam_mk_actions_add_input(iam_arena *a, iam_mk_actions *l, const char *text, const char *folded);
/* dst |= src: set, uncatalogued patterns and inputs (no re-expansion, so
 * reductions made to src stay made). */
void iam_mk_actions_merge(iam_arena *a, iam_mk_actions *dst, const iam_mk_actions *src);

/* Patterns denoting exactly the catalog actions of l->set, plus its
 * uncatalogued patterns, kept verbatim unless a chosen pattern covers them.
 * Input wildcards may be reused (not "fresh"); no_new allows only exact
 * names and input wildcards. Output sorted ignoring case; *n its length. */
typedef struct iam_mk_copts {
    bool no_new;        /* only exact names and input wildcards */
    bool prefix_only;   /* new wildcards only at the end ("svc:Pre*"): legacy SCP syntax */
    bool no_star;       /* never a new bare "*" (RCPs forbid it) */
    bool word_wildcards;         /* new wildcards cut at word boundaries */
    bool keep_input_wildcards;   /* Deny and NotAction lists: keep every input
                                  * wildcard still exact (future actions stay
                                  * denied / excluded) */
} iam_mk_copts;
iam_mk_pattern *iam_mk_compress(iam_arena *a, const iam_catalog *cat, const iam_mk_actions *l,
                                const iam_mk_copts *co, size_t *n);

/* -- statements being minimized (minimize.c) ---------------------------- */

typedef struct iam_mk_stmt {
    bool verbatim;              /* not understood: emitted exactly as written */
    bool dead;                  /* merged into another or redundant */
    const iam_json *json;       /* the input statement object */
    size_t order;               /* first input statement index */
    const char *sid;
    iam_effect effect;
    const iam_json *principal;  /* Principal / NotPrincipal value, or NULL */
    bool not_principal;
    const iam_json *condition;  /* Condition value, or NULL */
    const char *group;          /* iam_mk_group */
    bool not_action;
    iam_mk_actions acts;
    bool has_resource, not_resource;
    iam_mk_strset res;          /* exact text, first-seen order */
    iam_mk_pattern *pats;       /* after compression */
    size_t npats;
    iam_span span, action_span;
} iam_mk_stmt;

/* -- output (minimize_out.c) ---------------------------------------------- */

/* The JSON of one statement (verbatim ones: their input object). */
const iam_json *iam_mk_stmt_json_out(iam_arena *a, const iam_mk_stmt *s, bool keep_sid);
/* A document: p's Version and Id, then the statements. */
iam_json *iam_mk_doc(iam_arena *a, const iam_policy *p, const iam_json *const *stmts, size_t n);
/* Size of a document as counted against the quota (code points of the
 * compact text, or of the canonical text when whitespace counts). */
size_t iam_mk_size(const iam_json *doc, bool whitespace);
/* Characters (code points) of UTF-8 text. */
size_t iam_mk_chars(const char *s, size_t n);

#endif
