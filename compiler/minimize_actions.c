/* minimize_actions.c - compress an action set into few, short patterns that
 * match exactly the same catalog actions.
 *
 * Per service (each owns a contiguous id range, catalog.h):
 *   - every action of the catalog: "*"; every action of the service: "svc:*";
 *   - otherwise start from the prefix partition: sort the service's names
 *     (case-folded); for a member at index i the nearest non-members on
 *     either side bound the shortest "pure" prefix - one that no non-member
 *     shares - as 1 + max(lcp run to the left, lcp run to the right). These
 *     shortest pure prefixes partition the members into maximal ranges, the
 *     smallest prefix-only cover; each range is written as "P*" or as its
 *     exact names, whichever is shorter;
 *   - then improve greedily with other candidates that match only members:
 *     shortest pure suffixes ("svc:*Suffix", found the same way over reversed
 *     names) and the wildcards of the input lists: a candidate replaces the
 *     current patterns whose actions it contains when that saves characters
 *     (an input wildcard also at no saving, since it is not new).
 * With no_new only exact names and input wildcards are candidates; with
 * word_wildcards new prefixes end and new suffixes start at a capital of the
 * catalog spelling ("ecr:GetLifecycle*", "ecr:*Images"), longer but
 * readable (a longer prefix/suffix of a pure one is still pure).
 * A pattern never matches a non-member: prefixes and suffixes are pure by
 * construction, input wildcards are tested against every service action. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compiler/minimize_internal.h"
#include "core/glob.h"

static void add_unm(iam_arena *a, iam_mk_actions *l, const char *text, const char *folded)
{
    if (iam_mk_strset_has(&l->unm, folded))
        return;
    iam_mk_strset_add(a, &l->unm, folded);
    if (l->unm.n > l->unm_cap) {
        l->unm_text = iam_arena_grow(a, l->unm_text, l->unm_cap, l->unm.cap, sizeof *l->unm_text);
        l->unm_cap = l->unm.cap;
    }
    l->unm_text[l->unm.n - 1] = text;
}

void iam_mk_actions_add_input(iam_arena *a, iam_mk_actions *l, const char *text, const char *folded)
{
    if (iam_mk_strset_has(&l->inputs, folded))
        return;
    iam_mk_strset_add(a, &l->inputs, folded);
    if (l->inputs.n > l->input_cap) {
        l->input_text = iam_arena_grow(a, l->input_text, l->input_cap, l->inputs.cap, sizeof *l->input_text);
        l->input_cap = l->inputs.cap;
    }
    l->input_text[l->inputs.n - 1] = text;
}

void iam_mk_actions_add(iam_arena *a, iam_catalog_memo *memo, iam_mk_actions *l, const char *text,
                        const char *folded)
{
    size_t n = 0;
    const iam_actionset *s = iam_catalog_memo_expand(memo, folded, strlen(folded), &n);
    if (n > 0)
        iam_actionset_union(l->set, s);
    else
        add_unm(a, l, text, folded);
    iam_mk_actions_add_input(a, l, text, folded);
}

void iam_mk_actions_merge(iam_arena *a, iam_mk_actions *dst, const iam_mk_actions *src)
{
    iam_actionset_union(dst->set, src->set);
    for (size_t k = 0; k < src->unm.n; k++)
        add_unm(a, dst, src->unm_text[k], src->unm.v[k]);
    for (size_t k = 0; k < src->inputs.n; k++)
        iam_mk_actions_add_input(a, dst, src->input_text[k], src->inputs.v[k]);
}

/* ===================================================================== */
/* one service                                                           */
/* ===================================================================== */

typedef struct svc {
    iam_arena *a;
    const iam_catalog *cat;
    const iam_mk_actions *l;
    const char *prefix;     /* canonical service prefix */
    uint32_t first, n;
    const char **name;      /* canonical names, by local index */
    char **fold;            /* folded names */
    size_t *len;
    bool *member;
} svc;

/* A candidate or chosen pattern: the local members it matches. */
typedef struct cand {
    const char *text;
    size_t cost;            /* characters in compact JSON: quotes + comma */
    bool fresh;
    bool input;             /* a wildcard of the input lists */
    bool pinned;            /* kept whatever the savings (keep_input_wildcards) */
    bool *cover;            /* n entries */
    uint32_t *idx;          /* the covered local indices (ncover) */
    size_t ncover;
} cand;

/* Sorting entries: a folded name and its local index (no global context,
 * so the minimizer stays thread-safe). */
typedef struct ent {
    const char *f;
    size_t len;
    uint32_t i;
} ent;

static int cmp_fwd(const void *x, const void *y)
{
    return strcmp(((const ent *)x)->f, ((const ent *)y)->f);
}

/* Compare reversed strings. */
static int cmp_rev(const void *x, const void *y)
{
    const ent *p = x, *q = y;
    size_t la = p->len, lb = q->len;
    while (la && lb) {
        unsigned char ca = (unsigned char)p->f[--la], cb = (unsigned char)q->f[--lb];
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return la ? 1 : lb ? -1 : 0;
}

static size_t lcp(const char *a, size_t la, const char *b, size_t lb, bool rev)
{
    size_t k = 0;
    while (k < la && k < lb && (rev ? a[la - 1 - k] == b[lb - 1 - k] : a[k] == b[k]))
        k++;
    return k;
}

/* For each member, the length of its shortest pure prefix (rev: suffix) -
 * one no non-member shares - or 0 when only the whole name is pure (then a
 * pattern is never shorter than the exact name). */
static size_t *pure_lengths(svc *s, bool rev)
{
    ent *e = iam_arena_alloc(s->a, s->n * sizeof *e);
    for (uint32_t i = 0; i < s->n; i++)
        e[i] = (ent){s->fold[i], s->len[i], i};
    qsort(e, s->n, sizeof *e, rev ? cmp_rev : cmp_fwd);
    uint32_t *ord = iam_arena_alloc(s->a, s->n * sizeof *ord);
    for (uint32_t i = 0; i < s->n; i++)
        ord[i] = e[i].i;
    size_t *adj = iam_arena_alloc(s->a, (s->n + 1) * sizeof *adj);   /* adj[k] = lcp(ord[k-1], ord[k]) */
    for (uint32_t k = 1; k < s->n; k++)
        adj[k] = lcp(s->fold[ord[k - 1]], s->len[ord[k - 1]], s->fold[ord[k]], s->len[ord[k]], rev);
    size_t *out = iam_arena_alloc(s->a, s->n * sizeof *out);
    size_t *left = iam_arena_alloc(s->a, s->n * sizeof *left);
    /* left[k]: min adj over (last non-member before k, k], 0 if none */
    size_t run = 0;
    bool seen = false;
    for (uint32_t k = 0; k < s->n; k++) {
        if (!s->member[ord[k]]) {
            seen = true;
            run = SIZE_MAX;
            left[k] = 0;
            continue;
        }
        if (seen && k > 0)
            run = adj[k] < run ? adj[k] : run;
        left[k] = seen ? run : 0;
    }
    run = 0;
    seen = false;
    for (uint32_t k = s->n; k-- > 0;) {
        if (!s->member[ord[k]]) {
            seen = true;
            run = SIZE_MAX;
            continue;
        }
        if (seen && k + 1 < s->n)
            run = adj[k + 1] < run ? adj[k + 1] : run;
        size_t right = seen ? run : 0;
        size_t need = (left[k] > right ? left[k] : right) + 1;
        uint32_t i = ord[k];
        /* a pattern of the whole name plus '*' is pure but never shorter
         * than the name itself: only offer strictly shorter ones */
        out[i] = need < s->len[i] ? need : 0;
    }
    return out;
}

static cand *new_cand(svc *s, const char *text)
{
    cand *c = iam_arena_alloc(s->a, sizeof *c);
    c->text = text;
    c->cost = strlen(text) + 3;
    c->cover = iam_arena_alloc(s->a, s->n ? s->n : 1);
    return c;
}

static bool input_has(const iam_mk_actions *l, const char *folded)
{
    return iam_mk_strset_has(&l->inputs, folded);
}

static char *fold_dup(iam_arena *a, const char *t)
{
    char *r = iam_arena_strdup(a, t);
    for (char *p = r; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return r;
}

typedef struct pat_list {
    iam_mk_pattern *v;
    size_t n, cap;
} pat_list;

static void push(iam_arena *a, pat_list *pl, const char *text, bool fresh, size_t matched)
{
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 16;
        pl->v = iam_arena_grow(a, pl->v, pl->n, cap, sizeof *pl->v);
        pl->cap = cap;
    }
    pl->v[pl->n++] = (iam_mk_pattern){text, fresh, matched};
}

/* Does candidate c contain every member of chosen pattern u? */
static bool contains(const cand *c, const cand *u)
{
    for (size_t k = 0; k < u->ncover; k++)
        if (!c->cover[u->idx[k]])
            return false;
    return true;
}

static void fill_idx(svc *s, cand *c)
{
    c->idx = iam_arena_alloc(s->a, (c->ncover + 1) * sizeof *c->idx);
    size_t k = 0;
    for (uint32_t j = 0; j < s->n; j++)
        if (c->cover[j])
            c->idx[k++] = j;
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Make c a chosen pattern, dropping the chosen ones it contains. */
static size_t apply(cand **chosen, size_t nchosen, cand *c)
{
    size_t w = 0;
    for (size_t u = 0; u < nchosen; u++)
        if (chosen[u]->pinned || !contains(c, chosen[u]))
            chosen[w++] = chosen[u];
    chosen[w++] = c;
    return w;
}

static void compress_service(svc *s, const iam_mk_copts *co, pat_list *out)
{
    bool no_new = co->no_new, prefix_only = co->prefix_only;
    /* chosen patterns; start: the prefix partition, or exact names */
    cand **chosen = iam_arena_alloc(s->a, (s->n + s->l->inputs.n + 1) * sizeof *chosen);
    size_t nchosen = 0;
    size_t *pre = no_new ? NULL : pure_lengths(s, false);
    bool *done = iam_arena_alloc(s->a, s->n);
    for (uint32_t i = 0; i < s->n; i++) {
        if (!s->member[i] || done[i])
            continue;
        size_t L = pre ? pre[i] : 0;
        if (L && co->word_wildcards) {   /* end the prefix before a capital */
            while (L < s->len[i] && !is_upper(s->name[i][L]))
                L++;
            if (L >= s->len[i])
                L = 0;
        }
        if (L) {
            /* the maximal range sharing this prefix: every name with it */
            cand *c = new_cand(s, iam_arena_printf(s->a, "%s:%.*s*", s->prefix, (int)L, s->name[i]));
            size_t exact = 0;
            for (uint32_t j = 0; j < s->n; j++)
                if (s->len[j] >= L && memcmp(s->fold[j], s->fold[i], L) == 0) {
                    c->cover[j] = true;
                    c->ncover++;
                    exact += s->len[j] + strlen(s->prefix) + 4;
                }
            if (c->cost < exact) {
                c->fresh = !input_has(s->l, fold_dup(s->a, c->text));
                for (uint32_t j = 0; j < s->n; j++)
                    if (c->cover[j])
                        done[j] = true;
                fill_idx(s, c);
                chosen[nchosen++] = c;
                continue;
            }
        }
        cand *c = new_cand(s, iam_arena_printf(s->a, "%s:%s", s->prefix, s->name[i]));
        c->cover[i] = true;
        c->ncover = 1;
        done[i] = true;
        fill_idx(s, c);
        chosen[nchosen++] = c;
    }

    /* improvement candidates */
    size_t ncands = 0, capc = s->n + s->l->inputs.n + 1;
    cand **cands = iam_arena_alloc(s->a, capc * sizeof *cands);
    if (!no_new && !prefix_only) {
        size_t *suf = pure_lengths(s, true);
        for (uint32_t i = 0; i < s->n; i++) {
            if (!s->member[i] || !suf[i])
                continue;
            size_t L = suf[i];
            if (co->word_wildcards) {   /* start the suffix at a capital */
                while (L < s->len[i] && !is_upper(s->name[i][s->len[i] - L]))
                    L++;
                if (L >= s->len[i])
                    continue;
            }
            const char *tail = s->fold[i] + s->len[i] - L;
            bool dup = false;
            for (size_t k = 0; k < ncands && !dup; k++)
                dup = strcasecmp(cands[k]->text + strlen(s->prefix) + 2, tail) == 0;
            if (dup)
                continue;
            cand *c = new_cand(s, iam_arena_printf(s->a, "%s:*%s", s->prefix,
                                                   s->name[i] + s->len[i] - L));
            for (uint32_t j = 0; j < s->n; j++)
                if (s->len[j] >= L && memcmp(s->fold[j] + s->len[j] - L, tail, L) == 0)
                    c->cover[j] = true, c->ncover++;
            c->fresh = !input_has(s->l, fold_dup(s->a, c->text));
            fill_idx(s, c);
            cands[ncands++] = c;
        }
    }
    size_t plen = strlen(s->prefix);
    for (size_t k = 0; k < s->l->inputs.n; k++) {
        const char *f = s->l->inputs.v[k];
        if (strncmp(f, "*", 1) == 0 || strlen(f) <= plen + 1 || strncasecmp(f, s->prefix, plen) != 0
            || f[plen] != ':' || !strpbrk(f + plen + 1, "*?"))
            continue;
        cand *c = new_cand(s, s->l->input_text[k]);
        bool pure = true;
        for (uint32_t j = 0; j < s->n && pure; j++)
            if (iam_glob_match(f + plen + 1, strlen(f + plen + 1), s->fold[j], s->len[j], true)) {
                pure = s->member[j];
                c->cover[j] = true;
                c->ncover++;
            }
        if (pure && c->ncover) {
            fill_idx(s, c);
            c->input = true;
            cands[ncands++] = c;
        }
    }
    /* Deny lists and NotAction lists keep their own wildcards, so that an
     * action AWS adds later stays denied / excluded as the input says */
    for (size_t k = 0; co->keep_input_wildcards && k < ncands; k++)
        if (cands[k]->input) {
            nchosen = apply(chosen, nchosen, cands[k]);
            cands[k]->pinned = true;
            cands[k] = NULL;
        }

    /* greedy: apply the candidate with the largest saving until none helps */
    for (;;) {
        long best_gain = -1;
        size_t best = SIZE_MAX;
        for (size_t k = 0; k < ncands; k++) {
            if (!cands[k])
                continue;
            long gain = -(long)cands[k]->cost;
            size_t replaced = 0;
            for (size_t u = 0; u < nchosen; u++)
                if (!chosen[u]->pinned && contains(cands[k], chosen[u]))
                    gain += (long)chosen[u]->cost, replaced++;
            if (replaced == 0)
                continue;
            bool ok = gain > 0 || (gain == 0 && !cands[k]->fresh && replaced > 0);
            if (ok && gain > best_gain) {
                best_gain = gain;
                best = k;
            }
        }
        if (best == SIZE_MAX)
            break;
        cand *c = cands[best];
        cands[best] = NULL;
        /* every member stays covered: c covers what it replaces */
        nchosen = apply(chosen, nchosen, c);
    }
    for (size_t u = 0; u < nchosen; u++)
        push(s->a, out, chosen[u]->text,
             chosen[u]->fresh && strpbrk(chosen[u]->text, "*?") != NULL, chosen[u]->ncover);
}

/* ===================================================================== */
/* the whole list                                                        */
/* ===================================================================== */

static int cmp_pat(const void *x, const void *y)
{
    const iam_mk_pattern *a = x, *b = y;
    int c = strcasecmp(a->text, b->text);
    return c ? c : strcmp(a->text, b->text);
}

iam_mk_pattern *iam_mk_compress(iam_arena *a, const iam_catalog *cat, const iam_mk_actions *l,
                                const iam_mk_copts *co, size_t *n)
{
    bool no_new = co->no_new;
    pat_list out = {0};
    size_t total = iam_actionset_count(l->set);
    size_t ncat = iam_catalog_action_count(cat);
    if (total == ncat && ncat > 0 && (!(no_new || co->no_star) || input_has(l, "*"))) {
        push(a, &out, "*", !input_has(l, "*"), ncat);
    } else if (total > 0) {
        size_t nsvc = iam_catalog_service_count(cat);
        for (uint32_t sid = 0; sid < nsvc; sid++) {
            uint32_t first, cnt;
            iam_catalog_service_actions(cat, sid, &first, &cnt);
            if (cnt == 0)
                continue;
            uint32_t nx = iam_actionset_next(l->set, first);
            if (nx == IAM_CATALOG_NONE || nx >= first + cnt)
                continue;
            const char *prefix = iam_catalog_service_prefix(cat, sid);
            size_t members = 0;
            for (uint32_t id = nx; id != IAM_CATALOG_NONE && id < first + cnt;
                 id = iam_actionset_next(l->set, id + 1))
                members++;
            const char *t = iam_arena_printf(a, "%s:*", prefix);
            if (members == cnt && (!no_new || input_has(l, fold_dup(a, t)))) {
                push(a, &out, t, !input_has(l, fold_dup(a, t)), cnt);
                continue;
            }
            svc s = {a, cat, l, prefix, first, cnt, NULL, NULL, NULL, NULL};
            s.name = iam_arena_alloc(a, cnt * sizeof *s.name);
            s.fold = iam_arena_alloc(a, cnt * sizeof *s.fold);
            s.len = iam_arena_alloc(a, cnt * sizeof *s.len);
            s.member = iam_arena_alloc(a, cnt);
            for (uint32_t i = 0; i < cnt; i++) {
                iam_action_info info;
                iam_catalog_action_get(cat, first + i, &info);
                s.name[i] = info.name;
                s.fold[i] = fold_dup(a, info.name);
                s.len[i] = strlen(info.name);
                s.member[i] = iam_actionset_has(l->set, first + i);
            }
            compress_service(&s, co, &out);
        }
    }
    /* uncatalogued patterns, unless a chosen pattern covers them */
    for (size_t i = 0; i < l->unm.n; i++) {
        bool covered = false;
        for (size_t k = 0; k < out.n && !covered; k++)
            covered = iam_mk_action_covers(fold_dup(a, out.v[k].text), l->unm.v[i]);
        if (!covered)
            push(a, &out, l->unm_text[i], false, 0);
    }
    if (out.n > 1)
        qsort(out.v, out.n, sizeof *out.v, cmp_pat);
    *n = out.n;
    return out.v;
}
