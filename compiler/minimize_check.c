/* minimize_check.c - the equivalence check (iam_min_check, minimize.h).
 *
 * Each policy set becomes a table of entries, one per
 *   A|group|r     Action statements with Resource entry r: the union of the
 *                 catalog actions (bitset) and uncatalogued patterns allowed
 *                 or denied on r (a statement with Resource [r1, r2] counts
 *                 for both: A x {r1, r2} = A x r1 u A x r2);
 *   A|group|res   Action statements with NotResource or no Resource, keyed by
 *                 the whole element (sorted, de-duplicated);
 *   X|group|res   NotAction statements: the intersection of the excluded
 *                 sets (not L1 or not L2 = not (L1 and L2));
 *   V|json        statements the minimizer keeps verbatim.
 * group = effect, principal and condition (minimize_internal.h).
 * Normalisation, which preserves the set of (action, resource) pairs and so
 * makes the comparison sound: for A|group|r, what an entry q of the same
 * group whose pattern covers r grants (iam_mk_resource_covers) is subtracted
 * from r - A_r x M(r) adds nothing to A_q x M(q) when M(r) is in M(q) - and
 * entries left empty disappear. Two policy sets are equivalent when their
 * normalised tables have the same keys, equal catalog sets per key, and each
 * side's uncatalogued patterns are listed or covered (iam_mk_action_covers)
 * by the other side's patterns of that key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/minimize_internal.h"

typedef struct entry {
    char kind;               /* 'A', 'X', 'V' */
    const char *key;         /* full key, the sort order */
    const char *group;
    const char *res;         /* A with a Resource entry: its text; else NULL */
    size_t reslen;
    iam_actionset *bits;
    iam_mk_strset unm;       /* folded */
    iam_mk_strset written;   /* folded, every pattern of the contributing lists */
    iam_span span;           /* first contributing statement */
} entry;

typedef struct table {
    entry *v;
    size_t n, cap;
} table;

static entry *push(iam_arena *a, table *t)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        t->v = iam_arena_grow(a, t->v, t->n, cap, sizeof *t->v);
        t->cap = cap;
    }
    return memset(&t->v[t->n++], 0, sizeof(entry));
}

/* The action list of s: bits, uncatalogued (normalised by its own list). */
static void list_of(iam_arena *a, iam_catalog_memo *m, const iam_catalog *cat, const iam_statement *s,
                    entry *e)
{
    e->bits = iam_actionset_new(a, cat);
    for (size_t i = 0; i < s->nactions; i++) {
        const char *f = s->actions[i].folded ? s->actions[i].folded : "";
        size_t n = 0;
        const iam_actionset *x = iam_catalog_memo_expand(m, f, strlen(f), &n);
        if (n)
            iam_actionset_union(e->bits, x);
        else
            iam_mk_strset_add(a, &e->unm, f);
        iam_mk_strset_add(a, &e->written, f);
    }
}

static void add_policy(iam_arena *a, iam_catalog_memo *m, const iam_catalog *cat, const iam_policy *p,
                       table *t)
{
    for (size_t i = 0; i < p->nstmts; i++) {
        const iam_statement *s = &p->stmts[i];
        if (!iam_mk_understood(s)) {
            entry *e = push(a, t);
            e->kind = 'V';
            e->key = iam_arena_printf(a, "V|%s", iam_mk_verbatim(a, iam_mk_stmt_json(p, i)));
            e->span = s->span;
            continue;
        }
        const char *g = iam_mk_group(a, s);
        if (!s->not_action && s->has_resource && !s->not_resource) {
            entry proto = {0};
            list_of(a, m, cat, s, &proto);
            for (size_t r = 0; r < s->resources.n; r++) {
                entry *e = push(a, t);
                *e = proto;
                e->kind = 'A';
                e->group = g;
                e->res = s->resources.v[r].s;
                e->reslen = s->resources.v[r].len;
                iam_strbuf b = IAM_STRBUF_INIT;
                iam_sb_printf(&b, "A|%s|r", g);
                iam_sb_json_str(&b, e->res, e->reslen);
                e->key = iam_arena_strndup(a, b.s, b.len);
                iam_sb_free(&b);
                e->span = s->span;
            }
            continue;
        }
        entry *e = push(a, t);
        list_of(a, m, cat, s, e);
        e->kind = s->not_action ? 'X' : 'A';
        e->group = g;
        e->key = iam_arena_printf(a, "%c|%s|%s", e->kind, g, iam_mk_resources(a, s));
        e->span = s->span;
    }
}

static int cmp_entry(const void *x, const void *y)
{
    return strcmp(((const entry *)x)->key, ((const entry *)y)->key);
}

/* Sort, merge equal keys, normalise. */
static void finish(iam_arena *a, table *t)
{
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp_entry);
    size_t w = 0;
    for (size_t i = 0; i < t->n; i++) {
        entry *e = &t->v[i];
        if (w > 0 && strcmp(t->v[w - 1].key, e->key) == 0) {
            entry *d = &t->v[w - 1];
            if (e->kind == 'X') {
                iam_actionset_intersect(d->bits, e->bits);
                size_t k = 0;
                for (size_t j = 0; j < d->unm.n; j++)
                    if (iam_mk_strset_has(&e->unm, d->unm.v[j]))
                        d->unm.v[k++] = d->unm.v[j];
                d->unm.n = k;
                d->unm.hx = NULL;
                d->unm.hcap = 0;
            } else if (e->kind == 'A') {
                if (d->bits == e->bits) {   /* shared with a sibling resource entry */
                    d->bits = iam_actionset_copy(a, d->bits);
                }
                iam_actionset_union(d->bits, e->bits);
                for (size_t j = 0; j < e->unm.n; j++)
                    iam_mk_strset_add(a, &d->unm, e->unm.v[j]);
                for (size_t j = 0; j < e->written.n; j++)
                    iam_mk_strset_add(a, &d->written, e->written.v[j]);
            }
            continue;
        }
        if (e->kind == 'A') {   /* own copies: entries of one statement share proto */
            e->bits = iam_actionset_copy(a, e->bits);
            iam_mk_strset u = {0}, wr = {0};
            for (size_t j = 0; j < e->unm.n; j++)
                iam_mk_strset_add(a, &u, e->unm.v[j]);
            for (size_t j = 0; j < e->written.n; j++)
                iam_mk_strset_add(a, &wr, e->written.v[j]);
            e->unm = u;
            e->written = wr;
        }
        t->v[w++] = *e;
    }
    t->n = w;
    /* resource coverage within a group: subtract from r what q grants when
     * q covers r; computed from the unnormalised sets, applied after */
    iam_actionset **sub = iam_arena_alloc(a, (t->n + 1) * sizeof *sub);
    iam_mk_strset *nunm = iam_arena_alloc(a, (t->n + 1) * sizeof *nunm);
    for (size_t i = 0; i < t->n; i++) {
        entry *r = &t->v[i];
        if (r->kind != 'A' || !r->res)
            continue;
        bool *gone = NULL;
        for (size_t j = 0; j < t->n; j++) {
            entry *q = &t->v[j];
            if (j == i || q->kind != 'A' || !q->res || strcmp(q->group, r->group) != 0)
                continue;
            if (!iam_mk_resource_covers(q->res, q->reslen, r->res, r->reslen))
                continue;
            if (!sub[i])
                sub[i] = iam_actionset_copy(a, q->bits);
            else
                iam_actionset_union(sub[i], q->bits);
            /* uncatalogued patterns q has, or q's patterns cover */
            if (!gone)
                gone = iam_arena_alloc(a, r->unm.n + 1);
            for (size_t u = 0; u < r->unm.n; u++) {
                bool cov = iam_mk_strset_has(&q->unm, r->unm.v[u]);
                for (size_t x = 0; x < q->written.n && !cov; x++)
                    cov = iam_mk_action_covers(q->written.v[x], r->unm.v[u]);
                gone[u] |= cov;
            }
        }
        nunm[i] = r->unm;
        if (gone) {
            nunm[i] = (iam_mk_strset){0};
            for (size_t u = 0; u < r->unm.n; u++)
                if (!gone[u])
                    iam_mk_strset_add(a, &nunm[i], r->unm.v[u]);
        }
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].kind == 'A' && t->v[i].res)
            t->v[i].unm = nunm[i];
    w = 0;
    for (size_t i = 0; i < t->n; i++) {
        entry *e = &t->v[i];
        if (sub[i])
            iam_actionset_subtract(e->bits, sub[i]);
        if (e->kind == 'A' && iam_actionset_empty(e->bits) && e->unm.n == 0)
            continue;
        iam_mk_strset_sort(&e->unm);
        t->v[w++] = *e;
    }
    t->n = w;
}

/* Is every uncatalogued pattern of x listed by y or covered by one of y's
 * patterns? (An unknown action the input lists must stay granted; one a
 * new wildcard covers is granted by it.) */
static bool unm_within(const entry *x, const entry *y)
{
    for (size_t i = 0; i < x->unm.n; i++) {
        bool ok = iam_mk_strset_has(&y->unm, x->unm.v[i]);
        for (size_t k = 0; k < y->written.n && !ok; k++)
            ok = iam_mk_action_covers(y->written.v[k], x->unm.v[i]);
        if (!ok)
            return false;
    }
    return true;
}

static const char *describe(const entry *e)
{
    switch (e->kind) {
    case 'V': return "a statement kept verbatim";
    case 'X': return "NotAction statements";
    default: return e->res ? "Action statements on a resource" : "Action statements";
    }
}

/* First action in a but not in b, for the message. */
static void example(const iam_catalog *cat, const iam_actionset *a, const iam_actionset *b, char *buf,
                    size_t cap)
{
    buf[0] = 0;
    for (uint32_t id = iam_actionset_next(a, 0); id != IAM_CATALOG_NONE; id = iam_actionset_next(a, id + 1))
        if (!b || !iam_actionset_has(b, id)) {
            iam_catalog_action_fullname(cat, id, buf, cap);
            return;
        }
}

bool iam_min_check(const iam_catalog *cat, const iam_policy *before, const iam_policy *const *after,
                   size_t n, iam_diags *d)
{
    iam_arena *a = iam_arena_new();
    iam_catalog_memo *m = iam_catalog_memo_new(a, cat);
    table tb = {0}, ta = {0};
    add_policy(a, m, cat, before, &tb);
    for (size_t i = 0; i < n; i++)
        add_policy(a, m, cat, after[i], &ta);
    finish(a, &tb);
    finish(a, &ta);
    size_t i = 0, j = 0, ndiff = 0;
    char buf[256];
    while ((i < tb.n || j < ta.n) && ndiff < 5) {
        int c = i >= tb.n ? 1 : j >= ta.n ? -1 : strcmp(tb.v[i].key, ta.v[j].key);
        if (c < 0) {
            example(cat, tb.v[i].bits, NULL, buf, sizeof buf);
            iam_diag_add(d, IAM_R_MINIMIZE_NOT_EQUIVALENT, tb.v[i].span,
                         "minimized policy lost %s%s%s%s", describe(&tb.v[i]), buf[0] ? " (e.g. '" : "",
                         buf, buf[0] ? "')" : "");
            i++, ndiff++;
        } else if (c > 0) {
            example(cat, ta.v[j].bits, NULL, buf, sizeof buf);
            iam_diag_add(d, IAM_R_MINIMIZE_NOT_EQUIVALENT, before->span,
                         "minimized policy adds %s%s%s%s", describe(&ta.v[j]), buf[0] ? " (e.g. '" : "",
                         buf, buf[0] ? "')" : "");
            j++, ndiff++;
        } else {
            const entry *x = &tb.v[i], *y = &ta.v[j];
            bool eq = x->kind == 'V' || (iam_actionset_equal(x->bits, y->bits) && unm_within(x, y) && unm_within(y, x));
            if (!eq) {
                example(cat, x->bits, y->bits, buf, sizeof buf);
                const char *what = "dropped";
                if (!buf[0]) {
                    example(cat, y->bits, x->bits, buf, sizeof buf);
                    what = "added";
                }
                if (!buf[0]) {
                    what = "changed uncatalogued action";
                    snprintf(buf, sizeof buf, "%s", x->unm.n ? x->unm.v[0] : y->unm.n ? y->unm.v[0] : "?");
                }
                iam_diag_add(d, IAM_R_MINIMIZE_NOT_EQUIVALENT, x->span,
                             "minimized policy changes %s: %s '%s'", describe(x), what, buf);
                ndiff++;
            }
            i++, j++;
        }
    }
    iam_arena_destroy(a);
    return ndiff == 0;
}
