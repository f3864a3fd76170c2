/* diag.c - diagnostic sink and rule table. */
#include "core/diag.h"

#include <stdlib.h>
#include <string.h>

static const iam_rule_info rules[IAM_R_COUNT] = {
#define RULE(id, name, sev, cat, summary) [IAM_R_##id] = {name, IAM_SEV_##sev, cat, summary},
#include "core/rules.def"
#undef RULE
};

static const char *const sev_names[IAM_SEV_COUNT] = {"suggestion", "warning", "security", "error"};

const iam_rule_info *iam_rule(iam_rule_id id)
{
    return (unsigned)id < IAM_R_COUNT ? &rules[id] : NULL;
}

int iam_rule_by_name(const char *name)
{
    for (int i = 0; i < IAM_R_COUNT; i++)
        if (strcmp(rules[i].name, name) == 0)
            return i;
    return -1;
}

const char *iam_severity_name(iam_severity s)
{
    return (unsigned)s < IAM_SEV_COUNT ? sev_names[s] : "?";
}

int iam_severity_by_name(const char *s)
{
    for (int i = 0; i < IAM_SEV_COUNT; i++)
        if (strcmp(sev_names[i], s) == 0)
            return i;
    return -1;
}

void iam_diags_init(iam_diags *d)
{
    memset(d, 0, sizeof *d);
    d->arena = iam_arena_new();
}

void iam_diags_fini(iam_diags *d)
{
    iam_arena_destroy(d->arena);
    free(d->v);
    memset(d, 0, sizeof *d);
}

iam_diag *iam_diag_vadd(iam_diags *d, iam_rule_id rule, iam_span at, const char *fmt, va_list ap)
{
    iam_severity sev = rules[rule].sev;
    if (d->sev_override) {
        signed char o = d->sev_override[rule];
        if (o == -2)
            return NULL;
        if (o >= 0)
            sev = (iam_severity)o;
    }
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = iam_xrealloc(d->v, d->cap * sizeof *d->v);
    }
    iam_diag *g = &d->v[d->n++];
    memset(g, 0, sizeof *g);
    g->rule = rule;
    g->sev = sev;
    g->span = at;
    g->msg = iam_arena_vprintf(d->arena, fmt, ap);
    g->seq = d->n;
    return g;
}

iam_diag *iam_diag_add(iam_diags *d, iam_rule_id rule, iam_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag *g = iam_diag_vadd(d, rule, at, fmt, ap);
    va_end(ap);
    return g;
}

void iam_diag_related(iam_diags *d, iam_diag *g, iam_span at, const char *fmt, ...)
{
    if (!g)
        return;
    iam_related *r = iam_arena_grow(d->arena, g->related, g->nrelated, g->nrelated + 1, sizeof *r);
    va_list ap;
    va_start(ap, fmt);
    r[g->nrelated].span = at;
    r[g->nrelated].msg = iam_arena_vprintf(d->arena, fmt, ap);
    va_end(ap);
    g->related = r;
    g->nrelated++;
}

void iam_diag_help(iam_diags *d, iam_diag *g, const char *fmt, ...)
{
    if (!g)
        return;
    va_list ap;
    va_start(ap, fmt);
    g->help = iam_arena_vprintf(d->arena, fmt, ap);
    va_end(ap);
}

static const char *dup_or_null(iam_arena *a, const char *s)
{
    return s ? iam_arena_strdup(a, s) : NULL;
}

void iam_diags_merge(iam_diags *dst, const iam_diags *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const iam_diag *s = &src->v[i];
        if (dst->n == dst->cap) {
            dst->cap = dst->cap ? dst->cap * 2 : 16;
            dst->v = iam_xrealloc(dst->v, dst->cap * sizeof *dst->v);
        }
        iam_diag *g = &dst->v[dst->n++];
        *g = *s;
        g->seq = dst->n;
        g->msg = dup_or_null(dst->arena, s->msg);
        g->help = dup_or_null(dst->arena, s->help);
        g->policy_type = dup_or_null(dst->arena, s->policy_type);
        g->fingerprint = dup_or_null(dst->arena, s->fingerprint);
        if (s->nrelated) {
            g->related = iam_arena_alloc(dst->arena, s->nrelated * sizeof *g->related);
            for (size_t k = 0; k < s->nrelated; k++) {
                g->related[k].span = s->related[k].span;
                g->related[k].msg = dup_or_null(dst->arena, s->related[k].msg);
            }
        }
    }
}

static int cmp_diag(const void *pa, const void *pb)
{
    const iam_diag *a = pa, *b = pb;
    const char *fa = a->span.src ? a->span.src->path : "";
    const char *fb = b->span.src ? b->span.src->path : "";
    int c = strcmp(fa, fb);
    if (c)
        return c;
    if (a->span.line != b->span.line)
        return a->span.line < b->span.line ? -1 : 1;
    if (a->span.col != b->span.col)
        return a->span.col < b->span.col ? -1 : 1;
    c = strcmp(rules[a->rule].name, rules[b->rule].name);
    if (c)
        return c;
    c = strcmp(a->msg, b->msg);
    if (c)
        return c;
    /* Keep insertion order for full ties (qsort is not stable). */
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

void iam_diags_sort(iam_diags *d)
{
    if (d->n > 1)
        qsort(d->v, d->n, sizeof *d->v, cmp_diag);
}

size_t iam_diags_count_at_least(const iam_diags *d, iam_severity s)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->v[i].sev >= s;
    return n;
}

bool iam_diags_has_errors(const iam_diags *d)
{
    return iam_diags_count_at_least(d, IAM_SEV_ERROR) > 0;
}
