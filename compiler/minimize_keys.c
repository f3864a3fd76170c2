/* minimize_keys.c - normalised statement keys and coverage tests shared by
 * the minimizer and its equivalence checker (formats in minimize_internal.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compiler/emit.h"
#include "compiler/minimize_internal.h"
#include "core/glob.h"

/* ===================================================================== */
/* string sets                                                           */
/* ===================================================================== */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void rehash(iam_arena *a, iam_mk_strset *s, size_t hcap)
{
    s->hx = iam_arena_alloc(a, hcap * sizeof *s->hx);
    s->hcap = hcap;
    for (size_t i = 0; i < s->n; i++) {
        size_t k = hash_str(s->v[i]) & (hcap - 1);
        while (s->hx[k])
            k = (k + 1) & (hcap - 1);
        s->hx[k] = (uint32_t)(i + 1);
    }
}

bool iam_mk_strset_has(const iam_mk_strset *s, const char *str)
{
    if (s->hx) {
        size_t k = hash_str(str) & (s->hcap - 1);
        for (; s->hx[k]; k = (k + 1) & (s->hcap - 1))
            if (strcmp(s->v[s->hx[k] - 1], str) == 0)
                return true;
        return false;
    }
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], str) == 0)
            return true;
    return false;
}

void iam_mk_strset_add(iam_arena *a, iam_mk_strset *s, const char *str)
{
    if (iam_mk_strset_has(s, str))
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        s->v = iam_arena_grow(a, s->v, s->n, cap, sizeof *s->v);
        s->cap = cap;
    }
    s->v[s->n++] = str;
    if (s->n >= 16 && s->n * 2 > s->hcap) {
        rehash(a, s, s->hcap ? s->hcap * 4 : 64);
    } else if (s->hx) {
        size_t k = hash_str(str) & (s->hcap - 1);
        while (s->hx[k])
            k = (k + 1) & (s->hcap - 1);
        s->hx[k] = (uint32_t)s->n;
    }
}

void iam_mk_strset_sort(iam_mk_strset *s)
{
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, cmp_str);
    s->hx = NULL;   /* positions changed: back to linear lookups */
    s->hcap = 0;
}

/* Sort, de-duplicate and join strings with '\n' after a prefix. */
static const char *join_sorted(iam_arena *a, const char *prefix, const char **v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_str);
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_puts(&b, prefix);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
            continue;
        iam_sb_puts(&b, v[i]);
        iam_sb_putc(&b, '\n');
    }
    const char *r = iam_arena_strndup(a, b.s ? b.s : "", b.len);
    iam_sb_free(&b);
    return r;
}

/* ===================================================================== */
/* keys                                                                  */
/* ===================================================================== */

const char *iam_mk_principal(iam_arena *a, const iam_statement *s)
{
    if (!s->principal.present)
        return "";
    const iam_principal *p = &s->principal;
    const char **v = iam_arena_alloc(a, (p->n + 1) * sizeof *v);
    for (size_t i = 0; i < p->n; i++)
        v[i] = iam_arena_printf(a, "%d=%s", (int)p->v[i].kind, p->v[i].norm ? p->v[i].norm : "");
    return join_sorted(a, s->not_principal ? "N:" : "P:", v, p->n);
}

static void fold_into(iam_strbuf *b, const char *s)
{
    for (; *s; s++)
        iam_sb_putc(b, (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s);
}

const char *iam_mk_condition(iam_arena *a, const iam_statement *s)
{
    if (!s->has_condition || s->nconds == 0)
        return "";
    const char **ops = iam_arena_alloc(a, s->nconds * sizeof *ops);
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *c = &s->conds[i];
        iam_strbuf b = IAM_STRBUF_INIT;
        if (c->base != IAM_OP_UNKNOWN)
            iam_sb_printf(&b, "%d:%d:%d{", (int)c->setq, (int)c->base, (int)c->if_exists);
        else {
            iam_sb_puts(&b, "?");
            fold_into(&b, c->text);
            iam_sb_putc(&b, '{');
        }
        const char **keys = iam_arena_alloc(a, (c->nkeys + 1) * sizeof *keys);
        for (size_t k = 0; k < c->nkeys; k++) {
            const iam_cond_key *ck = &c->keys[k];
            const char **vals = iam_arena_alloc(a, (ck->values.n + 1) * sizeof *vals);
            for (size_t j = 0; j < ck->values.n; j++)
                vals[j] = iam_arena_strndup(a, ck->values.v[j].s, ck->values.v[j].len);
            /* values may contain anything: length-prefix them via join of escaped forms */
            iam_strbuf kb = IAM_STRBUF_INIT;
            iam_sb_json_str(&kb, ck->folded, strlen(ck->folded));
            iam_sb_putc(&kb, '=');
            for (size_t j = 0; j < ck->values.n; j++) {
                iam_strbuf vb = IAM_STRBUF_INIT;
                iam_sb_json_str(&vb, vals[j], strlen(vals[j]));
                vals[j] = iam_arena_strndup(a, vb.s, vb.len);
                iam_sb_free(&vb);
            }
            const char *jv = join_sorted(a, "[", vals, ck->values.n);
            iam_sb_puts(&kb, jv);
            iam_sb_putc(&kb, ']');
            keys[k] = iam_arena_strndup(a, kb.s, kb.len);
            iam_sb_free(&kb);
        }
        iam_sb_puts(&b, join_sorted(a, "", keys, c->nkeys));
        iam_sb_putc(&b, '}');
        ops[i] = iam_arena_strndup(a, b.s, b.len);
        iam_sb_free(&b);
    }
    return join_sorted(a, "C:", ops, s->nconds);
}

const char *iam_mk_resources(iam_arena *a, const iam_statement *s)
{
    if (!s->has_resource)
        return "-";
    const char **v = iam_arena_alloc(a, (s->resources.n + 1) * sizeof *v);
    for (size_t i = 0; i < s->resources.n; i++) {
        iam_strbuf b = IAM_STRBUF_INIT;
        iam_sb_json_str(&b, s->resources.v[i].s, s->resources.v[i].len);
        v[i] = iam_arena_strndup(a, b.s, b.len);
        iam_sb_free(&b);
    }
    return join_sorted(a, s->not_resource ? "N:" : "R:", v, s->resources.n);
}

const char *iam_mk_group(iam_arena *a, const iam_statement *s)
{
    return iam_arena_printf(a, "%d|%s|%s", (int)s->effect, iam_mk_principal(a, s),
                            iam_mk_condition(a, s));
}

/* ===================================================================== */
/* coverage                                                              */
/* ===================================================================== */

static bool has_wild(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '$')
            return true;
    return false;
}

/* Split an ARN at its first five colons; false when it has fewer. */
static bool split6(const char *s, size_t n, const char *f[6], size_t fl[6])
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i < n && k < 5; i++)
        if (s[i] == ':') {
            f[k] = s + start;
            fl[k] = i - start;
            k++;
            start = i + 1;
        }
    if (k < 5)
        return false;
    f[5] = s + start;
    fl[5] = n - start;
    return true;
}

bool iam_mk_resource_covers(const char *q, size_t qn, const char *r, size_t rn)
{
    if (qn == rn && memcmp(q, r, qn) == 0)
        return false;
    if (qn == 1 && q[0] == '*')
        return true;
    if (has_wild(r, rn) || memchr(q, '$', qn))
        return false;
    const char *qf[6], *rf[6];
    size_t ql[6], rl[6];
    if (!split6(q, qn, qf, ql) || !split6(r, rn, rf, rl))
        return false;
    /* case-sensitive even in partition..account, which iam-simulate folds
     * [obs]: coverage must never be claimed where AWS might disagree */
    for (int i = 0; i < 5; i++)
        if (!iam_glob_match(qf[i], ql[i], rf[i], rl[i], false))
            return false;
    return iam_glob_match(qf[5], ql[5], rf[5], rl[5], false);
}

bool iam_mk_action_covers(const char *w, const char *u)
{
    if (strcmp(w, u) == 0)
        return false;
    if (strcmp(w, "*") == 0)
        return true;
    const char *wc = strchr(w, ':'), *uc = strchr(u, ':');
    if (!wc || !uc || wc - w != uc - u || memcmp(w, u, (size_t)(wc - w)) != 0)
        return false;
    if (strcmp(wc + 1, "*") == 0)
        return true;
    if (has_wild(u, strlen(u)))
        return false;
    return iam_glob_match(wc + 1, strlen(wc + 1), uc + 1, strlen(uc + 1), true);
}

/* ===================================================================== */
/* verbatim statements                                                   */
/* ===================================================================== */

const iam_json *iam_mk_stmt_json(const iam_policy *p, size_t i)
{
    if (!p->json || p->json->kind != IAM_JSON_OBJECT)
        return NULL;
    const iam_json_member *m = iam_json_get(p->json, "Statement");
    if (!m)
        return NULL;
    if (m->value->kind == IAM_JSON_OBJECT)
        return i == 0 ? m->value : NULL;
    if (m->value->kind == IAM_JSON_ARRAY && i < m->value->u.arr.n)
        return m->value->u.arr.v[i];
    return NULL;
}

const char *iam_mk_verbatim(iam_arena *a, const iam_json *stmt)
{
    if (!stmt)
        return "";
    iam_json copy = *stmt;
    if (stmt->kind == IAM_JSON_OBJECT) {
        iam_json_member *v = iam_arena_alloc(a, (stmt->u.obj.n + 1) * sizeof *v);
        size_t n = 0;
        for (size_t i = 0; i < stmt->u.obj.n; i++)
            if (strcmp(stmt->u.obj.v[i].key, "Sid") != 0)
                v[n++] = stmt->u.obj.v[i];
        copy.u.obj.v = v;
        copy.u.obj.n = n;
    }
    iam_emit_opts o = iam_emit_compact;
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_emit_json(&b, &copy, &o);
    const char *r = iam_arena_strndup(a, b.s ? b.s : "", b.len);
    iam_sb_free(&b);
    return r;
}

bool iam_mk_understood(const iam_statement *s)
{
    if (s->effect != IAM_EFFECT_ALLOW && s->effect != IAM_EFFECT_DENY)
        return false;
    if (!s->has_action)
        return false;
    return true;
}
