/* intent_cond.c - intent conditions to IAM operators and keys (the table
 * of docs/intent-language.md 3.5), their negation for `unless`, and raw
 * conditions checked against the catalog's operators and keys. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "compiler/compile_internal.h"

/* -- operators ------------------------------------------------------------ */

static const char *const negations[][2] = {
    {"StringEquals", "StringNotEquals"},
    {"StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"},
    {"StringLike", "StringNotLike"},
    {"NumericEquals", "NumericNotEquals"},
    {"NumericLessThan", "NumericGreaterThanEquals"},
    {"NumericGreaterThan", "NumericLessThanEquals"},
    {"DateEquals", "DateNotEquals"},
    {"DateLessThan", "DateGreaterThanEquals"},
    {"DateGreaterThan", "DateLessThanEquals"},
    {"IpAddress", "NotIpAddress"},
    {"ArnEquals", "ArnNotEquals"},
    {"ArnLike", "ArnNotLike"},
};

static const char *negate_op(const char *op)
{
    for (size_t i = 0; i < sizeof negations / sizeof *negations; i++) {
        if (strcmp(op, negations[i][0]) == 0)
            return negations[i][1];
        if (strcmp(op, negations[i][1]) == 0)
            return negations[i][0];
    }
    return NULL;
}

/* Canonical spelling of a raw operator, or NULL (then *sug may name the
 * closest valid one). */
static const char *canon_op(iam_compile_unit *u, const char *op, const char **sug)
{
    const char *pre = "";
    const char *p = op;
    if (strncasecmp(p, "ForAllValues:", 13) == 0)
        pre = "ForAllValues:", p += 13;
    else if (strncasecmp(p, "ForAnyValue:", 12) == 0)
        pre = "ForAnyValue:", p += 12;
    size_t n = strlen(p);
    bool ifx = n > 8 && strcasecmp(p + n - 8, "IfExists") == 0;
    char *base = iam_arena_strndup(u->arena, p, ifx ? n - 8 : n);
    const char *names[IAM_OP_COUNT];
    for (int b = 0; b < IAM_OP_COUNT; b++) {
        names[b] = iam_cond_base_name((iam_cond_base)b);
        if (strcasecmp(base, names[b]) == 0) {
            if (ifx && b == IAM_OP_NULL_CHECK)
                return NULL;
            return iam_arena_printf(u->arena, "%s%s%s", pre, names[b], ifx ? "IfExists" : "");
        }
    }
    *sug = ix_closest(base, names, IAM_OP_COUNT);
    return NULL;
}

typedef struct cond_map {
    const char *key;          /* NULL: built elsewhere */
    const char *op, *neg;
} cond_map;

static const cond_map cmap[] = {
    [IAM_IXC_MFA] = {"aws:MultiFactorAuthPresent", "Bool", "BoolIfExists"},
    [IAM_IXC_SOURCE_IP] = {"aws:SourceIp", "IpAddress", "NotIpAddress"},
    [IAM_IXC_SOURCE_VPC] = {"aws:SourceVpc", "StringEquals", "StringNotEquals"},
    [IAM_IXC_SOURCE_VPCE] = {"aws:SourceVpce", "StringEquals", "StringNotEquals"},
    [IAM_IXC_ORG] = {"aws:PrincipalOrgID", "StringEquals", "StringNotEquals"},
    [IAM_IXC_ACCOUNT] = {"aws:PrincipalAccount", "StringEquals", "StringNotEquals"},
    [IAM_IXC_RESOURCE_ORG] = {"aws:ResourceOrgID", "StringEquals", "StringNotEquals"},
    [IAM_IXC_RESOURCE_ACCOUNT] = {"aws:ResourceAccount", "StringEquals", "StringNotEquals"},
    [IAM_IXC_RESOURCE_TAG] = {"aws:ResourceTag/", "StringEquals", "StringNotEquals"},
    [IAM_IXC_REQUEST_TAG] = {"aws:RequestTag/", "StringEquals", "StringNotEquals"},
    [IAM_IXC_PRINCIPAL_TAG] = {"aws:PrincipalTag/", "StringEquals", "StringNotEquals"},
    [IAM_IXC_VIA] = {NULL, NULL, NULL},
    [IAM_IXC_SECURE_TRANSPORT] = {"aws:SecureTransport", "Bool", "Bool"},
    [IAM_IXC_PRINCIPAL] = {"aws:PrincipalArn", "ArnLike", "ArnNotLike"},
    [IAM_IXC_RAW] = {NULL, NULL, NULL},
};

const char **ix_resolve_all(iam_compile_unit *u, ix_file *f, const iam_ix_strs *s, iam_diags *d, bool *ok)
{
    const char **v = iam_arena_alloc(u->arena, (s->n + 1) * sizeof *v);
    for (size_t i = 0; i < s->n; i++) {
        v[i] = ix_resolve(u, f, &s->v[i], d);
        if (!v[i]) {
            *ok = false;
            v[i] = "";
        }
    }
    return v;
}

const char **ix_one(iam_compile_unit *u, const char *s)
{
    const char **v = iam_arena_alloc(u->arena, 2 * sizeof *v);
    v[0] = s;
    return v;
}

/* Map one condition; negate for `unless`. all_kms: every action of the
 * statement is a KMS action (`via` then means kms:ViaService). */
/* "Operator" "key" == values: checked against the catalog, negated for
 * `unless` where IAM has the opposite operator. out->vals is set. */
static bool map_raw(iam_compile_unit *u, ix_file *f, const iam_ix_cond *c, bool negate, ix_cond *out,
                    iam_diags *d)
{
    const char *sug = NULL;
    const char *op = ix_resolve(u, f, &c->op, d);
    const char *key = ix_resolve(u, f, &c->key, d);
    if (!op || !key)
        return false;
    const char *cop = canon_op(u, op, &sug);
    if (!cop) {
        iam_diag *g = iam_diag_add(d, IAM_R_INTENT_CONDITION, c->op.span, "unknown condition operator '%s'", op);
        if (g && sug)
            iam_diag_help(d, g, "did you mean '%s'?", sug);
        return false;
    }
    uint32_t keys[4];
    iam_key_match km;
    if (!iam_catalog_key_resolve(u->cat, key, strlen(key), keys, 4, &km) ||
        (!km.global && km.nkeys == 0)) {
        iam_diag *g = iam_diag_add(d, IAM_R_INTENT_CONDITION, c->key.span, "unknown condition key '%s'", key);
        size_t ng = iam_catalog_global_key_count(u->cat), nk = iam_catalog_condition_key_count(u->cat);
        const char **cands = iam_arena_alloc(u->arena, (ng + nk + 1) * sizeof *cands);
        for (size_t i = 0; i < ng; i++)
            cands[i] = iam_catalog_global_key_name(u->cat, i);
        for (size_t i = 0; i < nk; i++)
            cands[ng + i] = iam_catalog_key_name(u->cat, (uint32_t)i);
        const char *s = ix_closest(key, cands, ng + nk);
        if (g && s)
            iam_diag_help(d, g, "did you mean '%s'?", s);
        return false;
    }
    out->key = key;
    out->op = cop;
    if (negate) {
        const char *n = strchr(cop, ':') || strstr(cop, "IfExists") ? NULL : negate_op(cop);
        if (!n && strcmp(cop, "Bool") == 0 && out->nvals == 1 &&
            (strcasecmp(out->vals[0], "true") == 0 || strcasecmp(out->vals[0], "false") == 0)) {
            out->vals = ix_one(u, strcasecmp(out->vals[0], "true") == 0 ? "false" : "true");
            return true;
        }
        if (!n && strcmp(cop, "Null") == 0 && out->nvals == 1) {
            out->vals = ix_one(u, strcasecmp(out->vals[0], "true") == 0 ? "false" : "true");
            return true;
        }
        if (!n) {
            iam_diag_add(d, IAM_R_INTENT_CONDITION, c->op.span,
                         "'unless' cannot negate '%s'; write the negated condition with 'when'", cop);
            return false;
        }
        out->op = n;
    }
    return true;
}

static bool map_cond(iam_compile_unit *u, ix_file *f, const iam_ix_cond *c, bool negate, bool all_kms,
                     ix_cond *out, iam_diags *d)
{
    bool ok = true;
    out->vals = ix_resolve_all(u, f, &c->values, d, &ok);
    out->nvals = c->values.n;
    if (!ok)
        return false;
    const cond_map *m = &cmap[c->kind];
    switch (c->kind) {
    case IAM_IXC_MFA:
    case IAM_IXC_SECURE_TRANSPORT:
        out->key = m->key;
        out->op = negate ? m->neg : m->op;
        /* BoolIfExists false: long-term keys (no MFA key at all) count as
         * "without MFA", the pitfall iam-semantics.md warns about. */
        out->vals = ix_one(u, negate ? "false" : "true");
        out->nvals = 1;
        return true;
    case IAM_IXC_RESOURCE_TAG:
    case IAM_IXC_REQUEST_TAG:
    case IAM_IXC_PRINCIPAL_TAG: {
        const char *k = ix_resolve(u, f, &c->key, d);
        if (!k)
            return false;
        out->key = iam_arena_printf(u->arena, "%s%s", m->key, k);
        out->op = negate ? m->neg : m->op;
        return true;
    }
    case IAM_IXC_VIA:
        out->key = all_kms ? "kms:ViaService" : "aws:CalledVia";
        out->op = all_kms ? (negate ? "StringNotEquals" : "StringEquals")
                          : (negate ? "ForAllValues:StringNotEquals" : "ForAnyValue:StringEquals");
        return true;
    case IAM_IXC_RAW:
        return map_raw(u, f, c, negate, out, d);
    default:
        out->key = m->key;
        out->op = negate ? m->neg : m->op;
        return true;
    }
}

/* Condition sets of a statement: `when a and b` is one set; `unless a and
 * b` denies/allows when any one fails, so one set per negated condition. */
size_t ix_cond_sets(iam_compile_unit *u, ix_file *f, const iam_ix_stmt *st, bool all_kms,
                        ix_cond ***sets, size_t **sizes, iam_diags *d, bool *ok)
{
    size_t nsets = st->nconds == 0 ? 1 : st->unless ? st->nconds : 1;
    *sets = iam_arena_alloc(u->arena, nsets * sizeof **sets);
    *sizes = iam_arena_alloc(u->arena, nsets * sizeof **sizes);
    for (size_t i = 0; i < st->nconds; i++) {
        ix_cond c;
        if (!map_cond(u, f, &st->conds[i], st->unless, all_kms, &c, d)) {
            *ok = false;
            continue;
        }
        size_t s = st->unless ? i : 0;
        ix_cond *v = (*sets)[s];
        for (size_t j = 0; j < (*sizes)[s]; j++) {
            if (strcmp(v[j].op, c.op) == 0 && strcasecmp(v[j].key, c.key) == 0) {
                iam_diag_add(d, IAM_R_INTENT_CONDITION, st->conds[i].span,
                             "a second '%s' condition on '%s' in one statement cannot be expressed; "
                             "list the values in one condition", c.op, c.key);
                *ok = false;
            }
        }
        (*sets)[s] = iam_arena_grow(u->arena, v, (*sizes)[s], (*sizes)[s] + 1, sizeof *v);
        (*sets)[s][(*sizes)[s]++] = c;
    }
    return nsets;
}

bool ix_all_kms(iam_compile_unit *u, const iam_actionset *s)
{
    bool any = false;
    for (uint32_t id = iam_actionset_next(s, 0); id != IAM_CATALOG_NONE; id = iam_actionset_next(s, id + 1)) {
        iam_action_info info;
        iam_catalog_action_get(u->cat, id, &info);
        if (strcmp(info.service, "kms") != 0)
            return false;
        any = true;
    }
    return any;
}

