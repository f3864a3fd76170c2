/* policy.c - usage of one principal -> a least-privilege identity policy.
 *
 * (action, resource) pairs of the principal; the catalog's dependent
 * actions; per action, many sibling resources folded to their parent
 * pattern; actions with the same resource set share one statement. The
 * result is compact JSON that the caller emits canonically. Until the
 * minimizer (compiler/minimize.h) exists this is the minimisation; it keeps
 * every granted (action, resource) pair and grants nothing that no pair
 * needed, except the folds it reports in notes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "trail/internal.h"

typedef struct pair { const char *action, *resource; } pair;

typedef struct plist {
    pair *v;
    size_t n, cap;
    iam_arena *a;
} plist;

static void padd(plist *l, const char *action, const char *resource)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = iam_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n].action = action;
    l->v[l->n].resource = resource;
    l->n++;
}

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    int c = strcmp(x->action, y->action);
    return c ? c : strcmp(x->resource, y->resource);
}

static void uniq(plist *l)
{
    qsort(l->v, l->n, sizeof *l->v, cmp_pair);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (k == 0 || cmp_pair(&l->v[k - 1], &l->v[i]) != 0)
            l->v[k++] = l->v[i];
    l->n = k;
}

size_t iam_trail_principals(iam_trail_usage *u, const char ***out)
{
    const iam_trail_entry *const *e;
    size_t n = iam_trail_usage_entries(u, &e), k = 0;
    const char **v = iam_xmalloc((n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        if (e[i]->kind == IAM_TK_UNMAPPED)
            continue;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(v[j], e[i]->principal) == 0;
        if (!seen)
            v[k++] = e[i]->principal;
    }
    for (size_t i = 1; i < k; i++)   /* insertion sort: few principals */
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            const char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    *out = v;
    return k;
}

static bool dep_fits(const iam_catalog *cat, uint32_t id, const char *arn)
{
    iam_action_info info;
    iam_catalog_action_get(cat, id, &info);
    for (size_t i = 0; i < info.nresources; i++) {
        iam_action_resource r;
        iam_catalog_action_resource(cat, id, i, &r);
        if (iam_catalog_arn_matches_rtype(cat, arn, strlen(arn), r.rtype))
            return true;
    }
    return false;
}

static void add_deps(plist *l, const iam_catalog *cat)
{
    size_t n0 = l->n;
    char full[160];
    for (size_t i = 0; i < n0; i++) {
        uint32_t id = iam_catalog_action_find(cat, l->v[i].action, strlen(l->v[i].action));
        if (id == IAM_CATALOG_NONE)
            continue;
        iam_action_info info;
        iam_catalog_action_get(cat, id, &info);
        for (size_t d = 0; d < info.ndeps; d++) {
            const char *dep = iam_catalog_action_dep(cat, id, d);
            uint32_t did = iam_catalog_action_find(cat, dep, strlen(dep));
            /* iam:PassRole comes from request parameters (implied entries),
             * never blanket from the dependency list */
            if (did == IAM_CATALOG_NONE || strcasecmp(dep, "iam:PassRole") == 0)
                continue;
            iam_catalog_action_fullname(cat, did, full, sizeof full);
            iam_action_info dinfo;
            iam_catalog_action_get(cat, did, &dinfo);
            const char *res = dinfo.nresources == 0 ? "*"
                              : dep_fits(cat, did, l->v[i].resource) ? l->v[i].resource
                                                                      : "*";
            padd(l, iam_arena_strdup(l->a, full), res);
        }
    }
}

/* Parent pattern of an ARN: drop the last '/'- or ':'-separated segment of
 * the resource part and end in a wildcard ("b/x/y" becomes "b/x/" plus star); NULL at the top. */
static const char *parent(iam_arena *a, const char *arn)
{
    size_t l = strlen(arn);
    const char *res = arn;
    for (int i = 0; i < 5 && res; i++) {
        res = strchr(res, ':');
        if (res)
            res++;
    }
    if (!res)
        return NULL;
    size_t base = (size_t)(res - arn);
    if (l > 0 && arn[l - 1] == '*')
        l -= 1 + (l >= 2 && (arn[l - 2] == '/' || arn[l - 2] == ':'));
    size_t cut = l;
    while (cut > base && arn[cut - 1] != '/' && arn[cut - 1] != ':')
        cut--;
    if (cut <= base)
        return NULL;
    return iam_arena_printf(a, "%.*s*", (int)cut, arn);
}

/* Per action: "*" absorbs everything; more than max resources fold to
 * their parents until at most max remain (or nothing folds further). */
static size_t fold(plist *l, size_t max)
{
    size_t folds = 0;
    uniq(l);
    for (size_t i = 0; i < l->n;) {
        size_t j = i;
        bool star = false;
        while (j < l->n && strcmp(l->v[j].action, l->v[i].action) == 0)
            star |= strcmp(l->v[j++].resource, "*") == 0;
        if (star) {
            for (size_t k = i; k < j; k++)
                l->v[k].resource = "*";
        } else {
            for (int round = 0; j - i > max && round < 8; round++) {
                bool any = false;
                for (size_t k = i; k < j; k++) {
                    const char *p = parent(l->a, l->v[k].resource);
                    if (p) {
                        l->v[k].resource = p;
                        any = true;
                    }
                }
                folds += any;
                qsort(l->v + i, j - i, sizeof *l->v, cmp_pair);
                size_t w = i;
                for (size_t k = i; k < j; k++)
                    if (w == i || strcmp(l->v[w - 1].resource, l->v[k].resource) != 0)
                        l->v[w++] = l->v[k];
                memmove(l->v + w, l->v + j, (l->n - j) * sizeof *l->v);
                l->n -= j - w;
                j = w;
                if (!any)
                    break;
            }
        }
        i = j;
    }
    uniq(l);
    return folds;
}

typedef struct stmt { const char *resources; const char **actions; size_t n; } stmt;

static int cmp_stmt(const void *a, const void *b)
{
    const stmt *x = a, *y = b;
    return strcmp(x->actions[0], y->actions[0]);
}

static void render(plist *l, iam_strbuf *out)
{
    /* resource set of each action (as a joined key), then group */
    size_t ns = 0;
    stmt *st = iam_arena_alloc(l->a, (l->n + 1) * sizeof *st);
    for (size_t i = 0; i < l->n;) {
        size_t j = i;
        iam_strbuf key = IAM_STRBUF_INIT;
        while (j < l->n && strcmp(l->v[j].action, l->v[i].action) == 0) {
            iam_sb_json_str(&key, l->v[j].resource, strlen(l->v[j].resource));
            iam_sb_putc(&key, ',');
            j++;
        }
        key.s[key.len - 1] = 0;
        stmt *s = NULL;
        for (size_t k = 0; k < ns && !s; k++)
            if (strcmp(st[k].resources, key.s) == 0)
                s = &st[k];
        if (!s) {
            s = &st[ns++];
            s->resources = iam_arena_strdup(l->a, key.s);
            s->actions = iam_arena_alloc(l->a, (l->n + 1) * sizeof *s->actions);
        }
        s->actions[s->n++] = l->v[i].action;
        iam_sb_free(&key);
        i = j;
    }
    qsort(st, ns, sizeof *st, cmp_stmt);
    iam_sb_puts(out, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    for (size_t k = 0; k < ns; k++) {
        iam_sb_puts(out, k ? ",{\"Effect\":\"Allow\",\"Action\":[" : "{\"Effect\":\"Allow\",\"Action\":[");
        for (size_t i = 0; i < st[k].n; i++) {
            if (i)
                iam_sb_putc(out, ',');
            iam_sb_json_str(out, st[k].actions[i], strlen(st[k].actions[i]));
        }
        iam_sb_printf(out, "],\"Resource\":[%s]}", st[k].resources);
    }
    iam_sb_puts(out, "]}");
}

void iam_trail_policy(iam_trail_usage *u, const iam_catalog *cat, const char *principal,
                      const iam_trail_gen_opts *o, iam_strbuf *out, iam_strbuf *notes)
{
    plist l = {.a = iam_arena_new()};
    const iam_trail_entry *const *e;
    size_t n = iam_trail_usage_entries(u, &e);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i]->principal, principal) != 0)
            continue;
        if (e[i]->kind == IAM_TK_USED || (e[i]->kind == IAM_TK_DENIED && o->include_denied) ||
            (e[i]->kind == IAM_TK_IMPLIED && o->include_implied))
            padd(&l, e[i]->action, e[i]->resource);
    }
    if (l.n == 0) {
        iam_sb_puts(out, "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        goto done;
    }
    if (o->dependent_actions)
        add_deps(&l, cat);
    size_t quota = o->quota ? o->quota : 6144;
    fold(&l, 10);
    render(&l, out);
    /* quota: fold harder until the compact document fits */
    for (size_t max = 4; out->len > quota && max >= 1; max /= 2) {
        size_t f = fold(&l, max);
        out->len = 0;
        render(&l, out);
        if (notes && f)
            iam_sb_printf(notes, "policy over %zu characters: folded resources to at most %zu per action\n",
                          quota, max);
        if (max == 1)
            break;
    }
    if (out->len > quota && notes)
        iam_sb_printf(notes, "policy is %zu characters, over the %zu-character managed-policy quota: "
                             "split it or use --resources star\n", out->len, quota);
done:
    free(l.v);
    iam_arena_destroy(l.a);
}
