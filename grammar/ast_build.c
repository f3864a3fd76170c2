/* ast_build.c - located JSON tree construction, string decoding and the
 * scanner-side checks (numbers, UTF-8, escapes, limits). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "grammar/internal.h"

iam_span iam_pj_span(const iam_pctx *ctx, const iam_pj_loc *l)
{
    return iam_loc_span(ctx->src, l);
}

/* YY_USER_ACTION (columns count code points, see iam_pos_advance). */
void iam_pj_advance(iam_pctx *ctx, iam_pj_loc *l, const char *text, size_t len)
{
    iam_loc_step(&ctx->pos, l, text, len);
}

void iam_pj_at_end(iam_pctx *ctx, iam_pj_loc *l)
{
    iam_loc_end(&ctx->pos, l);
}

int iam_pj_lex_error(iam_pctx *ctx, const iam_pj_loc *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag_vadd(ctx->diags, IAM_R_JSON_SYNTAX, iam_pj_span(ctx, l), fmt, ap);
    va_end(ap);
    ctx->lex_error = 1;
    return -1;
}

int iam_pj_open(iam_pctx *ctx, const iam_pj_loc *l)
{
    if (++ctx->depth <= ctx->lim->max_depth)
        return 0;
    iam_diag_add(ctx->diags, IAM_R_INPUT_LIMIT, iam_pj_span(ctx, l),
                 "nesting deeper than %zu levels", ctx->lim->max_depth);
    ctx->lex_error = 1;
    ctx->limit_hit = 1;
    return -1;
}

/* RFC 8259 number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
int iam_pj_check_number(iam_pctx *ctx, const char *t, size_t n, const iam_pj_loc *l)
{
    size_t i = 0;
    const char *why = NULL;
    if (i < n && t[i] == '-')
        i++;
    if (i >= n || t[i] < '0' || t[i] > '9') {
        why = t[0] == '+' ? "a leading '+' is not allowed"
              : t[i - (i > 0)] == '.' || (i < n && t[i] == '.') ? "a digit must come before '.'"
                                                               : "a digit is expected";
        goto bad;
    }
    if (t[i] == '0' && i + 1 < n && t[i + 1] >= '0' && t[i + 1] <= '9') {
        why = "leading zeros are not allowed";
        goto bad;
    }
    while (i < n && t[i] >= '0' && t[i] <= '9')
        i++;
    if (i < n && t[i] == '.') {
        i++;
        if (i >= n || t[i] < '0' || t[i] > '9') {
            why = "a digit must follow '.'";
            goto bad;
        }
        while (i < n && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= n || t[i] < '0' || t[i] > '9') {
            why = "the exponent needs digits";
            goto bad;
        }
        while (i < n && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    if (i == n)
        return 0;
    why = "unexpected characters after the number";
bad:
    return iam_pj_lex_error(ctx, l, "invalid number '%.*s': %s", (int)(n > 40 ? 40 : n), t, why);
}

iam_json *iam_pj_scalar(iam_pctx *ctx, iam_json_kind k, const iam_pj_loc *l)
{
    iam_json *j = iam_arena_alloc(ctx->arena, sizeof *j);
    j->kind = k;
    j->span = iam_pj_span(ctx, l);
    return j;
}

iam_json *iam_pj_number(iam_pctx *ctx, const char *tok, size_t len, const iam_pj_loc *l)
{
    iam_json *j = iam_pj_scalar(ctx, IAM_JSON_NUMBER, l);
    j->u.str.s = iam_arena_strndup(ctx->arena, tok, len);
    j->u.str.len = len;
    return j;
}

static long read_hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = iam_hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Length of a valid UTF-8 sequence at p (strict: no overlongs, no UTF-16
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
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
    if ((size_t)(end - p) < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Report an error at byte `at` inside the string token starting at l. The
 * token has no raw newlines, so the column is the start column plus the
 * code points before `at`. */
static iam_json *str_error(iam_pctx *ctx, const char *tok, size_t at, const iam_pj_loc *l,
                           size_t width, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static iam_json *str_error(iam_pctx *ctx, const char *tok, size_t at, const iam_pj_loc *l,
                           size_t width, const char *fmt, ...)
{
    iam_pj_loc e = *l;
    uint32_t col = l->first_column;
    for (size_t i = 0; i < at; i++)
        col += ((unsigned char)tok[i] & 0xC0) != 0x80;
    e.first_column = col;
    e.last_line = e.first_line;
    e.last_column = col + (uint32_t)(width ? width : 1);
    e.first_off = l->first_off + at;
    e.last_off = e.first_off + (width ? width : 1);
    va_list ap;
    va_start(ap, fmt);
    iam_diag_vadd(ctx->diags, IAM_R_JSON_SYNTAX, iam_pj_span(ctx, &e), fmt, ap);
    va_end(ap);
    ctx->lex_error = 1;
    return NULL;
}

/* Decode a string token (quotes included): escapes, surrogate pairs,
 * strict UTF-8. Returns NULL after recording a diagnostic. */
iam_json *iam_pj_string(iam_pctx *ctx, const char *tok, size_t len, const iam_pj_loc *l)
{
    const char *p = tok + 1, *end = tok + len - 1;
    char *out = iam_arena_alloc(ctx->arena, (size_t)(end - p) + 1);
    size_t o = 0;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\') {
            char e = p[1];
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e && simple) {
                static const char map[] = "\"\\/\b\f\n\r\t";
                out[o++] = map[simple - "\"\\/bfnrt"];
                p += 2;
                continue;
            }
            if (e != 'u')
                return str_error(ctx, tok, (size_t)(p - tok), l, 2,
                                 "invalid escape '\\%c' (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)",
                                 e);
            long u = read_hex4(p + 2, end);
            if (u < 0)
                return str_error(ctx, tok, (size_t)(p - tok), l, 2,
                                 "\\u must be followed by four hex digits");
            unsigned long cp = (unsigned long)u;
            size_t used = 6;
            if (u >= 0xD800 && u <= 0xDBFF) {
                long lo = (p + 6 < end && p[6] == '\\' && p[7] == 'u') ? read_hex4(p + 8, end) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return str_error(ctx, tok, (size_t)(p - tok), l, 6,
                                     "lone high surrogate \\u%04lX (a low surrogate \\uDC00-\\uDFFF must follow)",
                                     (unsigned long)u);
                cp = 0x10000 + (((unsigned long)u - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                used = 12;
            } else if (u >= 0xDC00 && u <= 0xDFFF) {
                return str_error(ctx, tok, (size_t)(p - tok), l, 6,
                                 "lone low surrogate \\u%04lX", (unsigned long)u);
            }
            o += put_utf8(out + o, cp);
            p += used;
            continue;
        }
        size_t n = utf8_len((const unsigned char *)p, (const unsigned char *)end);
        if (n == 0)
            return str_error(ctx, tok, (size_t)(p - tok), l, 1,
                             "invalid UTF-8 byte 0x%02X in string", c);
        memcpy(out + o, p, n);
        o += n;
        p += n;
    }
    out[o] = '\0';
    /* The limit is on the decoded bytes (json.h); the raw token is bounded
     * by the file size limit already. */
    if (o > ctx->lim->max_string) {
        iam_diag_add(ctx->diags, IAM_R_INPUT_LIMIT, iam_pj_span(ctx, l),
                     "string longer than %zu bytes", ctx->lim->max_string);
        ctx->lex_error = ctx->limit_hit = 1;
        return NULL;
    }
    iam_json *j = iam_pj_scalar(ctx, IAM_JSON_STRING, l);
    j->u.str.s = out;
    j->u.str.len = o;
    return j;
}

iam_pj_list *iam_pj_list_push(iam_pctx *ctx, iam_pj_list *l, const void *elem, size_t size)
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

iam_json *iam_pj_array(iam_pctx *ctx, iam_pj_list *items, const iam_pj_loc *l)
{
    iam_json *j = iam_pj_scalar(ctx, IAM_JSON_ARRAY, l);
    if (items) {
        j->u.arr.v = items->v;
        j->u.arr.n = items->n;
    }
    return j;
}

iam_json_member iam_pj_member(iam_pctx *ctx, iam_json *key, iam_json *value)
{
    (void)ctx;
    iam_json_member m = {key->u.str.s, key->u.str.len, key->span, value};
    return m;
}

/* Sort keys for duplicate detection in large objects (no global state:
 * each entry carries its own key). */
typedef struct keyref {
    const char *key;
    size_t len, idx;
} keyref;

static int cmp_keyref(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, n);
    if (c)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void report_dup(iam_pctx *ctx, const iam_json_member *first, const iam_json_member *dup)
{
    iam_diag *g = iam_diag_add(ctx->diags, IAM_R_DUPLICATE_KEY, dup->key_span,
                               "duplicate key '%.*s'", (int)(dup->key_len > 80 ? 80 : dup->key_len),
                               dup->key);
    iam_diag_related(ctx->diags, g, first->key_span, "first defined here");
}

iam_json *iam_pj_object(iam_pctx *ctx, iam_pj_list *members, const iam_pj_loc *l)
{
    iam_json *j = iam_pj_scalar(ctx, IAM_JSON_OBJECT, l);
    if (!members)
        return j;
    iam_json_member *m = members->v;
    size_t n = members->n;
    j->u.obj.v = m;
    j->u.obj.n = n;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t k = 0; k < i; k++)
                if (m[k].key_len == m[i].key_len && memcmp(m[k].key, m[i].key, m[i].key_len) == 0) {
                    report_dup(ctx, &m[k], &m[i]);
                    break;
                }
        return j;
    }
    /* Large objects: sort keys, then compare neighbours (O(n log n)). */
    keyref *ks = iam_xmalloc(n * sizeof *ks);
    for (size_t i = 0; i < n; i++)
        ks[i] = (keyref){m[i].key, m[i].key_len, i};
    qsort(ks, n, sizeof *ks, cmp_keyref);
    size_t first = 0;
    for (size_t i = 1; i < n; i++) {
        if (ks[i].len == ks[first].len && memcmp(ks[i].key, ks[first].key, ks[i].len) == 0)
            report_dup(ctx, &m[ks[first].idx], &m[ks[i].idx]);
        else
            first = i;
    }
    free(ks);
    return j;
}
