/* json.c - public entry point of the located JSON parser. */
#include <string.h>

#include "grammar/internal.h"
#include "policy.tab.h"
#include "policy.lex.h"

void iam_pj_restore(yyscan_t yyscanner);

const iam_json_limits iam_json_default_limits = {
    .max_depth = 128,
    .max_string = 1u << 20,
    .max_file = 64u << 20,
};

iam_status iam_json_parse(iam_arena *a, const iam_source *src, const iam_json_limits *lim,
                          iam_diags *d, iam_json **out)
{
    *out = NULL;
    if (!lim)
        lim = &iam_json_default_limits;
    iam_span whole = {src, 1, 1, 1, 1, 0, 0};
    if (lim->max_file && src->len > lim->max_file) {
        iam_diag_add(d, IAM_R_INPUT_LIMIT, whole, "input is %zu bytes, more than the limit of %zu",
                     src->len, lim->max_file);
        return IAM_ERR_LIMIT;
    }
    /* RFC 8259 lets parsers ignore a byte order mark; IAM never stores
     * one, so it is an error here, reported before scanning. */
    if (src->len >= 3 && memcmp(src->data, "\xEF\xBB\xBF", 3) == 0) {
        iam_span bom = {src, 1, 1, 1, 2, 0, 3};
        iam_diag_add(d, IAM_R_JSON_SYNTAX, bom, "byte order mark is not allowed");
        return IAM_ERR_SYNTAX;
    }
    iam_pctx ctx = {.arena = a, .src = src, .lim = lim, .diags = d, .pos = IAM_POS_START};
    yyscan_t sc;
    if (iam_pj_lex_init_extra(&ctx, &sc) != 0)
        iam_oom("cannot initialise the scanner");
    /* Scan in place: the source keeps two trailing NULs for this. Flex
     * writes a NUL after each token and restores it, so the bytes are
     * unchanged after the call (the source is not shared while parsing). */
    YY_BUFFER_STATE buf = iam_pj__scan_buffer(src->data, src->len + 2, sc);
    if (!buf)
        iam_oom("cannot create the scan buffer");
    int rc = iam_pj_parse(sc, &ctx);
    iam_pj_restore(sc);
    iam_pj__delete_buffer(buf, sc);
    iam_pj_lex_destroy(sc);
    if (rc == 2)
        iam_oom("parser stack exhausted");
    if (rc != 0 || !ctx.root)
        return ctx.limit_hit ? IAM_ERR_LIMIT : IAM_ERR_SYNTAX;
    *out = ctx.root;
    return IAM_OK;
}

const iam_json_member *iam_json_get(const iam_json *obj, const char *key)
{
    if (!obj || obj->kind != IAM_JSON_OBJECT)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = obj->u.obj.n; i-- > 0;) {
        const iam_json_member *m = &obj->u.obj.v[i];
        if (m->key_len == n && memcmp(m->key, key, n) == 0)
            return m;
    }
    return NULL;
}

const char *iam_json_kind_name(iam_json_kind k)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}
