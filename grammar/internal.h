/* internal.h - state shared by the policy-JSON scanner, parser and tree
 * builder. Not part of the public API (see json.h). */
#ifndef IAM_GRAMMAR_INTERNAL_H
#define IAM_GRAMMAR_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "grammar/json.h"

/* Bison location: lines/columns 1-based, columns in code points. */
typedef iam_loc iam_pj_loc;

typedef struct iam_pctx {
    iam_arena *arena;
    const iam_source *src;
    const iam_json_limits *lim;
    iam_diags *diags;
    size_t depth;            /* open arrays/objects */
    int limit_hit;           /* a limit diagnostic was recorded */
    int lex_error;           /* the scanner already reported the error */
    iam_json *root;
    iam_pos pos;             /* the end of the last token */
} iam_pctx;

/* Growable list used while an array/object is being parsed. */
typedef struct iam_pj_list {
    void *v;
    size_t n, cap;
} iam_pj_list;

iam_span iam_pj_span(const iam_pctx *ctx, const iam_pj_loc *l);
void iam_pj_advance(iam_pctx *ctx, iam_pj_loc *l, const char *text, size_t len);
/* Location of the end of input: an empty span after the last token. */
void iam_pj_at_end(iam_pctx *ctx, iam_pj_loc *l);

/* Tree builders (ast_build.c), called from one-line grammar actions. */
iam_json *iam_pj_scalar(iam_pctx *ctx, iam_json_kind k, const iam_pj_loc *l);
iam_json *iam_pj_string(iam_pctx *ctx, const char *tok, size_t len, const iam_pj_loc *l);
iam_json *iam_pj_number(iam_pctx *ctx, const char *tok, size_t len, const iam_pj_loc *l);
iam_pj_list *iam_pj_list_new(iam_pctx *ctx);
iam_pj_list *iam_pj_list_push(iam_pctx *ctx, iam_pj_list *l, const void *elem, size_t size);
iam_json *iam_pj_array(iam_pctx *ctx, iam_pj_list *items, const iam_pj_loc *l);
iam_json *iam_pj_object(iam_pctx *ctx, iam_pj_list *members, const iam_pj_loc *l);
iam_json_member iam_pj_member(iam_pctx *ctx, iam_json *key, iam_json *value);

/* Scanner-side checks; return 0 when the token is fine, else record a
 * json-syntax diagnostic at the exact position and return -1. */
int iam_pj_check_number(iam_pctx *ctx, const char *tok, size_t len, const iam_pj_loc *l);
int iam_pj_lex_error(iam_pctx *ctx, const iam_pj_loc *l, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int iam_pj_open(iam_pctx *ctx, const iam_pj_loc *l);   /* depth check for '{' '[' */

#endif
