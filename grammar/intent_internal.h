/* intent_internal.h - state shared by the intent scanner, parser and AST
 * builder (grammar/intent.l, intent.y, intent_build.c). Not public: the
 * API is grammar/intent.h. */
#ifndef IAM_GRAMMAR_INTENT_INTERNAL_H
#define IAM_GRAMMAR_INTENT_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "grammar/intent.h"

/* Bison location: lines/columns 1-based, columns in code points. */
typedef iam_loc iam_ix_loc;

typedef struct iam_ixctx {
    iam_arena *arena;
    const iam_source *src;
    const iam_intent_limits *lim;
    iam_diags *diags;
    int limit_hit;            /* a limit diagnostic was recorded */
    int lex_error;            /* the scanner already reported the error */
    int recovered;            /* a syntax error was recovered from: fail at the end */
    iam_intent *root;
    iam_pos pos;              /* the end of the last token */
} iam_ixctx;

/* Growable arena list used while a rule accumulates elements. */
typedef struct iam_ix_list {
    void *v;
    size_t n, cap;
} iam_ix_list;

iam_span iam_ix_span(const iam_ixctx *ctx, const iam_ix_loc *l);
void iam_ix_advance(iam_ixctx *ctx, iam_ix_loc *l, const char *text, size_t len);
void iam_ix_at_end(iam_ixctx *ctx, iam_ix_loc *l);
int iam_ix_lex_error(iam_ixctx *ctx, const iam_ix_loc *l, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Token-length limit; 0 when fine, else -1 after an input-limit diag. */
int iam_ix_check_len(iam_ixctx *ctx, const iam_ix_loc *l, size_t len);

/* The closest of quoted keywords kw[0..n) ("'read'") to word[0..len), by
 * edit distance within a small budget, or NULL. */
const char *iam_ix_closest_keyword(const char *word, size_t len, const char *const *kw, size_t n);

/* Scanner-side values. */
iam_ix_str iam_ix_word(iam_ixctx *ctx, const char *text, size_t len, const iam_ix_loc *l);
iam_ix_str iam_ix_star(iam_ixctx *ctx, const iam_ix_loc *l);
/* Decode a quoted literal; 0, or -1 after a diag (bad escape). */
int iam_ix_string(iam_ixctx *ctx, const char *text, size_t len, const iam_ix_loc *l,
                  iam_ix_str *out);

/* Builders, called from one-line grammar actions. */
iam_ix_list *iam_ix_push(iam_ixctx *ctx, iam_ix_list *l, const void *elem, size_t size);
iam_ix_strs iam_ix_strs_of(const iam_ix_list *l);
void iam_ix_item_let(iam_ixctx *ctx, const iam_ix_str *name, const iam_ix_str *value,
                     const iam_ix_loc *l);
void iam_ix_item_include(iam_ixctx *ctx, const iam_ix_str *path, const iam_ix_loc *l);
void iam_ix_item_policy(iam_ixctx *ctx, int guardrail, const iam_ix_str *name, int target,
                        const iam_ix_loc *tl, iam_ix_list *stmts, const iam_ix_loc *l);
iam_ix_level iam_ix_level_of(iam_ixctx *ctx, unsigned bit, const iam_ix_loc *l);
iam_ix_stmt *iam_ix_stmt_new(iam_ixctx *ctx, iam_ix_stmt_kind k, const iam_ix_loc *l);
iam_ix_stmt *iam_ix_stmt_levels(iam_ixctx *ctx, iam_ix_list *levels, iam_ix_list *res,
                                iam_ix_stmt *conds, const iam_ix_loc *l);
iam_ix_stmt *iam_ix_stmt_rule(iam_ixctx *ctx, iam_ix_stmt_kind k, iam_ix_list *actions,
                              iam_ix_list *res, iam_ix_stmt *conds, const iam_ix_loc *l);
iam_ix_stmt *iam_ix_stmt_principal(iam_ixctx *ctx, int service, iam_ix_list *who,
                                   const iam_ix_loc *l);
iam_ix_stmt *iam_ix_stmt_assert(iam_ixctx *ctx, int allows, const iam_ix_str *action,
                                const iam_ix_str *res, iam_ix_list *as, iam_ix_list *ctxkv,
                                const iam_ix_loc *l);
/* Conditions: collected into a carrier statement (kind unused). */
iam_ix_stmt *iam_ix_conds(iam_ixctx *ctx, int unless, iam_ix_list *conds);
iam_ix_cond iam_ix_cond_of(iam_ixctx *ctx, iam_ix_cond_kind k, const iam_ix_str *op,
                           const iam_ix_str *key, iam_ix_list *values, const iam_ix_loc *l);

#endif
