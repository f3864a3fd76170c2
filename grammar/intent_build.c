/* intent_build.c - the intent AST builders, positions, string decoding and
 * the public entry point iam_intent_parse. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "grammar/intent_internal.h"
#include "intent.tab.h"
#include "intent.lex.h"

void iam_ix_restore(yyscan_t yyscanner);

const iam_intent_limits iam_intent_default_limits = {
    .max_file = 4u << 20,
    .max_token = 64u << 10,
};

const char *iam_ix_target_name(iam_ix_target t)
{
    static const char *const names[] = {"role", "user", "boundary", "scp", "rcp", "resource"};
    return (unsigned)t < sizeof names / sizeof *names ? names[t] : "?";
}

/* -- positions ---------------------------------------------------------- */

iam_span iam_ix_span(const iam_ixctx *ctx, const iam_ix_loc *l)
{
    return iam_loc_span(ctx->src, l);
}

/* YY_USER_ACTION (columns count code points, see iam_pos_advance). */
void iam_ix_advance(iam_ixctx *ctx, iam_ix_loc *l, const char *text, size_t len)
{
    iam_loc_step(&ctx->pos, l, text, len);
}

void iam_ix_at_end(iam_ixctx *ctx, iam_ix_loc *l)
{
    iam_loc_end(&ctx->pos, l);
}

int iam_ix_lex_error(iam_ixctx *ctx, const iam_ix_loc *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag_vadd(ctx->diags, IAM_R_INTENT_SYNTAX, iam_ix_span(ctx, l), fmt, ap);
    va_end(ap);
    ctx->lex_error = 1;
    return -1;
}

int iam_ix_check_len(iam_ixctx *ctx, const iam_ix_loc *l, size_t len)
{
    if (!ctx->lim->max_token || len <= ctx->lim->max_token || ctx->limit_hit)
        return 0;
    iam_diag_add(ctx->diags, IAM_R_INPUT_LIMIT, iam_ix_span(ctx, l),
                 "token of %zu bytes is longer than the limit of %zu", len, ctx->lim->max_token);
    ctx->lex_error = 1;
    ctx->limit_hit = 1;
    return -1;
}

const char *iam_ix_closest_keyword(const char *word, size_t len, const char *const *kw, size_t n)
{
    const char *best = NULL;
    size_t bd = len < 4 ? 1 : 2;   /* budget: one typo in short words, two otherwise */
    bd++;
    for (size_t i = 0; i < n; i++) {
        size_t kl = strlen(kw[i]);
        if (kl < 3)
            continue;
        size_t dd = iam_edit_distance_n(word, len, kw[i] + 1, kl - 2, bd);   /* without the quotes */
        if (dd < bd) {
            bd = dd;
            best = kw[i];
        }
    }
    return best;
}

/* -- tokens ------------------------------------------------------------- */

iam_ix_str iam_ix_word(iam_ixctx *ctx, const char *text, size_t len, const iam_ix_loc *l)
{
    iam_ix_str s = {iam_arena_strndup(ctx->arena, text, len), len, iam_ix_span(ctx, l), false};
    return s;
}

iam_ix_str iam_ix_star(iam_ixctx *ctx, const iam_ix_loc *l)
{
    iam_ix_str s = {"*", 1, iam_ix_span(ctx, l), true};
    return s;
}

/* Escapes: \" \\ \n \t; anything else is an error so that a policy
 * variable escape like ${*} never needs one. */
/* Length of a valid UTF-8 sequence at p (no overlongs, surrogates or
 * code points above U+10FFFF), or 0. Policies must be valid UTF-8. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c == 0xE0)
        n = 3, lo = 0xA0;
    else if (c == 0xED)
        n = 3, hi = 0x9F;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        n = 3;
    else if (c == 0xF0)
        n = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
        n = 4;
    else if (c == 0xF4)
        n = 4, hi = 0x8F;
    else
        return 0;
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

int iam_ix_string(iam_ixctx *ctx, const char *text, size_t len, const iam_ix_loc *l,
                  iam_ix_str *out)
{
    char *o = iam_arena_alloc(ctx->arena, len);
    size_t n = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        char c = text[i];
        if ((unsigned char)c >= 0x80) {
            size_t k = utf8_len((const unsigned char *)text + i, (const unsigned char *)text + len - 1);
            if (k == 0)
                return iam_ix_lex_error(ctx, l, "invalid UTF-8 byte 0x%02X in string", (unsigned char)c);
            memcpy(o + n, text + i, k);
            n += k;
            i += k - 1;
            continue;
        }
        if (c == '\\') {
            char e = text[++i];
            switch (e) {
            case '"': case '\\': c = e; break;
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            default:
                return iam_ix_lex_error(ctx, l, "invalid escape '\\%c' in string (use \\\" \\\\ \\n \\t)", e);
            }
        }
        o[n++] = c;
    }
    o[n] = '\0';
    out->s = o;
    out->len = n;
    out->span = iam_ix_span(ctx, l);
    out->star = false;
    return 0;
}

/* -- builders ----------------------------------------------------------- */

iam_ix_list *iam_ix_push(iam_ixctx *ctx, iam_ix_list *l, const void *elem, size_t size)
{
    if (!l)
        l = iam_arena_alloc(ctx->arena, sizeof *l);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        l->v = iam_arena_grow(ctx->arena, l->v, l->n, cap, size);
        l->cap = cap;
    }
    memcpy((char *)l->v + l->n * size, elem, size);
    l->n++;
    return l;
}

iam_ix_strs iam_ix_strs_of(const iam_ix_list *l)
{
    iam_ix_strs s = {l ? l->v : NULL, l ? l->n : 0};
    return s;
}

static void add_item(iam_ixctx *ctx, const iam_ix_item *it)
{
    iam_intent *r = ctx->root;
    r->items = iam_arena_grow(ctx->arena, r->items, r->nitems, r->nitems + 1, sizeof *it);
    r->items[r->nitems++] = *it;
}

void iam_ix_item_let(iam_ixctx *ctx, const iam_ix_str *name, const iam_ix_str *value,
                     const iam_ix_loc *l)
{
    iam_ix_item it = {.kind = IAM_IXI_LET, .span = iam_ix_span(ctx, l), .name = *name, .value = *value};
    add_item(ctx, &it);
}

void iam_ix_item_include(iam_ixctx *ctx, const iam_ix_str *path, const iam_ix_loc *l)
{
    iam_ix_item it = {.kind = IAM_IXI_INCLUDE, .span = iam_ix_span(ctx, l), .value = *path};
    add_item(ctx, &it);
}

void iam_ix_item_policy(iam_ixctx *ctx, int guardrail, const iam_ix_str *name, int target,
                        const iam_ix_loc *tl, iam_ix_list *stmts, const iam_ix_loc *l)
{
    iam_ix_item it = {.kind = IAM_IXI_POLICY, .span = iam_ix_span(ctx, l), .name = *name,
                      .guardrail = guardrail != 0, .target = (iam_ix_target)target,
                      .target_span = iam_ix_span(ctx, tl)};
    if (stmts) {
        it.stmts = iam_arena_alloc(ctx->arena, stmts->n * sizeof *it.stmts);
        for (size_t i = 0; i < stmts->n; i++)
            it.stmts[i] = *((iam_ix_stmt **)stmts->v)[i];
        it.nstmts = stmts->n;
    }
    add_item(ctx, &it);
}

iam_ix_level iam_ix_level_of(iam_ixctx *ctx, unsigned bit, const iam_ix_loc *l)
{
    iam_ix_level v = {bit, iam_ix_span(ctx, l)};
    return v;
}

iam_ix_stmt *iam_ix_stmt_new(iam_ixctx *ctx, iam_ix_stmt_kind k, const iam_ix_loc *l)
{
    iam_ix_stmt *s = iam_arena_alloc(ctx->arena, sizeof *s);
    s->kind = k;
    s->span = iam_ix_span(ctx, l);
    return s;
}

static void take_conds(iam_ix_stmt *s, const iam_ix_stmt *conds)
{
    if (!conds)
        return;
    s->unless = conds->unless;
    s->conds = conds->conds;
    s->nconds = conds->nconds;
}

iam_ix_stmt *iam_ix_stmt_levels(iam_ixctx *ctx, iam_ix_list *levels, iam_ix_list *res,
                                iam_ix_stmt *conds, const iam_ix_loc *l)
{
    iam_ix_stmt *s = iam_ix_stmt_new(ctx, IAM_IXS_LEVELS, l);
    s->levels = levels->v;
    s->nlevels = levels->n;
    s->resources = iam_ix_strs_of(res);
    take_conds(s, conds);
    return s;
}

iam_ix_stmt *iam_ix_stmt_rule(iam_ixctx *ctx, iam_ix_stmt_kind k, iam_ix_list *actions,
                              iam_ix_list *res, iam_ix_stmt *conds, const iam_ix_loc *l)
{
    iam_ix_stmt *s = iam_ix_stmt_new(ctx, k, l);
    s->actions = iam_ix_strs_of(actions);
    s->resources = iam_ix_strs_of(res);
    take_conds(s, conds);
    return s;
}

iam_ix_stmt *iam_ix_stmt_principal(iam_ixctx *ctx, int service, iam_ix_list *who,
                                   const iam_ix_loc *l)
{
    iam_ix_stmt *s = iam_ix_stmt_new(ctx, IAM_IXS_PRINCIPAL, l);
    s->flag = service != 0;
    s->principals = iam_ix_strs_of(who);
    return s;
}

iam_ix_stmt *iam_ix_stmt_assert(iam_ixctx *ctx, int allows, const iam_ix_str *action,
                                const iam_ix_str *res, iam_ix_list *as, iam_ix_list *ctxkv,
                                const iam_ix_loc *l)
{
    iam_ix_stmt *s = iam_ix_stmt_new(ctx, IAM_IXS_ASSERT, l);
    s->flag = allows != 0;
    s->actions.v = iam_arena_dup(ctx->arena, action, sizeof *action);
    s->actions.n = 1;
    s->resources.v = iam_arena_dup(ctx->arena, res, sizeof *res);
    s->resources.n = 1;
    s->principals = iam_ix_strs_of(as);
    if (ctxkv) {
        size_t n = ctxkv->n / 2;
        const iam_ix_str *kv = ctxkv->v;
        s->ctx_keys.v = iam_arena_alloc(ctx->arena, (n + 1) * sizeof *kv);
        s->ctx_values.v = iam_arena_alloc(ctx->arena, (n + 1) * sizeof *kv);
        for (size_t i = 0; i < n; i++) {
            s->ctx_keys.v[i] = kv[2 * i];
            s->ctx_values.v[i] = kv[2 * i + 1];
        }
        s->ctx_keys.n = s->ctx_values.n = n;
    }
    return s;
}

iam_ix_stmt *iam_ix_conds(iam_ixctx *ctx, int unless, iam_ix_list *conds)
{
    iam_ix_stmt *s = iam_arena_alloc(ctx->arena, sizeof *s);
    s->unless = unless != 0;
    s->conds = conds->v;
    s->nconds = conds->n;
    return s;
}

iam_ix_cond iam_ix_cond_of(iam_ixctx *ctx, iam_ix_cond_kind k, const iam_ix_str *op,
                           const iam_ix_str *key, iam_ix_list *values, const iam_ix_loc *l)
{
    iam_ix_cond c = {.kind = k, .span = iam_ix_span(ctx, l)};
    if (op)
        c.op = *op;
    if (key)
        c.key = *key;
    c.values = iam_ix_strs_of(values);
    return c;
}

/* -- entry point -------------------------------------------------------- */

iam_status iam_intent_parse(iam_arena *a, const iam_source *src, const iam_intent_limits *lim,
                            iam_diags *d, iam_intent **out)
{
    *out = NULL;
    if (!lim)
        lim = &iam_intent_default_limits;
    if (lim->max_file && src->len > lim->max_file) {
        iam_span whole = {src, 1, 1, 1, 1, 0, 0};
        iam_diag_add(d, IAM_R_INPUT_LIMIT, whole, "input is %zu bytes, more than the limit of %zu",
                     src->len, lim->max_file);
        return IAM_ERR_LIMIT;
    }
    iam_ixctx ctx = {.arena = a, .src = src, .lim = lim, .diags = d, .pos = IAM_POS_START};
    ctx.root = iam_arena_alloc(a, sizeof *ctx.root);
    ctx.root->src = src;
    yyscan_t sc;
    if (iam_ix_lex_init_extra(&ctx, &sc) != 0)
        iam_oom("cannot initialise the scanner");
    /* Scan in place over the source's two trailing NULs (see json.c). */
    YY_BUFFER_STATE buf = iam_ix__scan_buffer(src->data, src->len + 2, sc);
    if (!buf)
        iam_oom("cannot create the scan buffer");
    int rc = iam_ix_parse(sc, &ctx);
    iam_ix_restore(sc);
    iam_ix__delete_buffer(buf, sc);
    iam_ix_lex_destroy(sc);
    if (rc == 2)
        iam_oom("parser stack exhausted");
    if (rc != 0 || ctx.recovered || ctx.lex_error)
        return ctx.limit_hit ? IAM_ERR_LIMIT : IAM_ERR_SYNTAX;
    *out = ctx.root;
    return IAM_OK;
}
