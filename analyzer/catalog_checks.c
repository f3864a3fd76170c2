/* catalog_checks.c - catalog-based validation of a decoded policy.
 *
 * Per statement: expand every Action/NotAction entry into an action set
 * (catalog/catalog.h), then check names, redundancy, resources and
 * condition keys against the catalog. False positives cost more than misses
 * here (a stale or wrong finding teaches users to ignore the tool), so each
 * check stays silent whenever something it cannot see could make the
 * statement right: unknown actions, NotAction, NotResource, wildcard-only
 * statements, policy variables (treated as '*'). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/catalog_checks.h"
#include "core/text.h"
#include "core/glob.h"

typedef enum ent_state { ENT_SKIP, ENT_OK, ENT_NOTHING } ent_state;

typedef struct entry {
    const iam_action *a;
    const iam_actionset *set;   /* shared, from the memo; NULL when skipped */
    size_t n;                   /* catalog actions matched */
    ent_state state;
} entry;

typedef struct stmt_ctx {
    const iam_catalog *cat;
    iam_catalog_memo *memo;
    const iam_statement *st;
    iam_diags *d;
    iam_arena *a;
    entry *e;
    iam_actionset *all;     /* union of the entries */
    bool any_unknown;       /* an entry matched nothing or was invalid */
    bool all_wild;          /* every entry has a wildcard */
} stmt_ctx;

/* -- did you mean ------------------------------------------------------- */

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int strncasecmp_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = lower((unsigned char)a[i]), y = lower((unsigned char)b[i]);
        if (x != y || !x)
            return x - y;
    }
    return 0;
}

static size_t suggest_limit(size_t len)
{
    return len < 6 ? 1 : len < 12 ? 2 : 3;
}

/* Closest action name of service sid to name, or NONE. */
static uint32_t closest_action(const iam_catalog *c, uint32_t sid, const char *name)
{
    uint32_t first, n, best = IAM_CATALOG_NONE;
    size_t len = strlen(name), limit = suggest_limit(len), bestd = limit + 1;
    iam_catalog_service_actions(c, sid, &first, &n);
    for (uint32_t id = first; id < first + n; id++) {
        iam_action_info in;
        iam_catalog_action_get(c, id, &in);
        size_t dist = iam_edit_distance_n(name, len, in.name, strlen(in.name), limit);
        if (dist < bestd)
            bestd = dist, best = id;
    }
    return best;
}

static uint32_t closest_service(const iam_catalog *c, const char *prefix)
{
    uint32_t best = IAM_CATALOG_NONE;
    size_t len = strlen(prefix), limit = suggest_limit(len), bestd = limit + 1;
    for (uint32_t s = 0; s < iam_catalog_service_count(c); s++) {
        const char *p = iam_catalog_service_prefix(c, s);
        size_t dist = iam_edit_distance_n(prefix, len, p, strlen(p), limit);
        if (dist < bestd)
            bestd = dist, best = s;
    }
    return best;
}

/* Closest condition key (global or of the same prefix) to key, or NULL. */
static const char *closest_key(const iam_catalog *c, const char *key)
{
    const char *best = NULL, *colon = strchr(key, ':');
    size_t len = strlen(key), limit = suggest_limit(len), bestd = limit + 1;
    size_t plen = colon ? (size_t)(colon - key) + 1 : 0;
    for (size_t i = 0; i < iam_catalog_global_key_count(c); i++) {
        const char *g = iam_catalog_global_key_name(c, i);
        size_t dist = iam_edit_distance_n(key, len, g, strlen(g), limit);
        if (dist < bestd)
            bestd = dist, best = g;
    }
    for (uint32_t k = 0; k < iam_catalog_condition_key_count(c); k++) {
        const char *n = iam_catalog_key_name(c, k);
        if (plen && strncasecmp_n(n, key, plen) != 0)
            continue;
        size_t dist = iam_edit_distance_n(key, len, n, strlen(n), limit);
        if (dist < bestd)
            bestd = dist, best = n;
    }
    return best;
}

/* -- actions: unknown-service, unknown-action, matches-nothing ---------- */

static bool wild(const char *s)
{
    return strchr(s, '*') || strchr(s, '?');
}

static void check_entry(stmt_ctx *x, entry *e)
{
    const iam_action *a = e->a;
    const iam_catalog *c = x->cat;
    if (!a->valid) {
        e->state = ENT_SKIP;   /* invalid-action is the grammar's finding */
        x->any_unknown = true;
        return;
    }
    e->set = iam_catalog_memo_expand(x->memo, a->folded, strlen(a->folded), &e->n);
    e->state = e->n ? ENT_OK : ENT_NOTHING;
    if (e->n)
        return;
    x->any_unknown = true;
    const char *date = iam_catalog_date(c);
    uint32_t sid = a->service ? iam_catalog_service_find(c, a->service, strlen(a->service))
                              : IAM_CATALOG_NONE;
    iam_diag *g;
    if (a->service && sid == IAM_CATALOG_NONE && !wild(a->service)) {
        g = iam_diag_add(x->d, IAM_R_UNKNOWN_SERVICE, a->span,
                         "unknown service prefix '%s' in '%s' (AWS catalog of %s)", a->service, a->text,
                         date);
        uint32_t s = closest_service(c, a->service);
        const char *colon = strchr(a->text, ':');
        if (g && s != IAM_CATALOG_NONE)
            iam_diag_help(x->d, g, "did you mean '%s:%s'?", iam_catalog_service_prefix(c, s),
                          colon ? colon + 1 : a->name);
    } else if (sid != IAM_CATALOG_NONE && !wild(a->name)) {
        const char *colon = strchr(a->text, ':');
        g = iam_diag_add(x->d, IAM_R_UNKNOWN_ACTION, a->span,
                         "unknown action '%s': %s defines no such action (AWS catalog of %s)", a->text,
                         iam_catalog_service_prefix(c, sid), date);
        uint32_t id = closest_action(c, sid, colon ? colon + 1 : a->name);
        if (g && id != IAM_CATALOG_NONE) {
            char buf[256];
            iam_catalog_action_fullname(c, id, buf, sizeof buf);
            iam_diag_help(x->d, g, "did you mean '%s'?", buf);
        }
    } else if (sid != IAM_CATALOG_NONE) {
        iam_diag_add(x->d, IAM_R_ACTION_MATCHES_NOTHING, a->span,
                     "'%s' matches no %s action (AWS catalog of %s)", a->text,
                     iam_catalog_service_prefix(c, sid), date);
    } else if (a->service) {
        iam_diag_add(x->d, IAM_R_ACTION_MATCHES_NOTHING, a->span,
                     "'%s' matches no action (AWS catalog of %s)", a->text, date);
    }
}

/* -- redundant-action --------------------------------------------------- */

/* Does entry j cover entry i for every action, present or future? Literal i:
 * j's glob matches it. Wildcard i: j is "*", or j is "svc:P*" (one trailing
 * star) and i's name starts with P. The catalog sets must agree as well. */
static bool covers(const entry *j, const entry *i)
{
    /* The textual tests are cheap and usually decide; the bitset subset
     * (hundreds of words) runs only for candidates that pass them. */
    const char *jf = j->a->folded, *if_ = i->a->folded;
    if (strcmp(jf, "*") == 0)
        return iam_actionset_subset(i->set, j->set);
    /* Distinct literals never cover each other (equal ones are "same"),
     * and a pattern of another service cannot cover this one. */
    if (!j->a->wildcard || !j->a->service || j->a->service != i->a->service)
        return false;
    if (!i->a->wildcard)
        return iam_glob_match(jf, strlen(jf), if_, strlen(if_), true) && iam_actionset_subset(i->set, j->set);
    if (!j->a->service || !i->a->service || j->a->service != i->a->service)
        return false;
    const char *jn = j->a->name;
    size_t jl = strlen(jn);
    if (jl == 0 || jn[jl - 1] != '*' || strcspn(jn, "*?") != jl - 1)
        return false;
    return strncmp(i->a->name, jn, jl - 1) == 0 && iam_actionset_subset(i->set, j->set);
}

/* Does entry j make entry i redundant? Of two equal entries only the later
 * one is redundant. */
static bool makes_redundant(const entry *ej, size_t j, const entry *ei, size_t i)
{
    bool same = ei->a->folded == ej->a->folded || strcmp(ei->a->folded, ej->a->folded) == 0;
    return same ? j < i : covers(ej, ei);
}

/* Statements can list thousands of actions, and testing every pair is
 * quadratic. By covers(), only three kinds of j can make i redundant: an
 * equal entry before it, an entry "*", and a wildcard entry of i's service
 * (compared by interned pointer, as covers does). This index finds those
 * candidates; taking the smallest j that qualifies reports the same pair as
 * the pairwise scan in index order. */
typedef struct wild_ref {
    const char *service;
    size_t j;
} wild_ref;

typedef struct redund_index {
    size_t *first_same;    /* per OK entry: first OK entry with equal text */
    size_t star;           /* first OK "*" entry, or SIZE_MAX */
    wild_ref *wild;        /* OK wildcard entries with a service, by (service, j) */
    size_t nwild;
} redund_index;

static int cmp_wild(const void *pa, const void *pb)
{
    const wild_ref *a = pa, *b = pb;
    uintptr_t x = (uintptr_t)a->service, y = (uintptr_t)b->service;
    if (x != y)
        return x < y ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

static uint64_t text_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void build_index(stmt_ctx *x, redund_index *ix)
{
    size_t n = x->st->nactions, cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slot = iam_arena_alloc(x->a, cap * sizeof *slot);   /* entry + 1; 0 = free */
    ix->first_same = iam_arena_alloc(x->a, n * sizeof *ix->first_same);
    ix->wild = iam_arena_alloc(x->a, n * sizeof *ix->wild);
    ix->star = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const entry *e = &x->e[i];
        if (e->state != ENT_OK)
            continue;
        size_t k = (size_t)text_hash(e->a->folded) & (cap - 1);
        while (slot[k] && strcmp(x->e[slot[k] - 1].a->folded, e->a->folded) != 0)
            k = (k + 1) & (cap - 1);
        if (!slot[k])
            slot[k] = i + 1;
        ix->first_same[i] = slot[k] - 1;
        if (ix->star == SIZE_MAX && strcmp(e->a->folded, "*") == 0)
            ix->star = i;
        if (e->a->wildcard && e->a->service)
            ix->wild[ix->nwild++] = (wild_ref){e->a->service, i};
    }
    if (ix->nwild > 1)
        qsort(ix->wild, ix->nwild, sizeof *ix->wild, cmp_wild);
}

/* The smallest j that makes entry i redundant, or SIZE_MAX. */
static size_t covering_entry(const stmt_ctx *x, const redund_index *ix, size_t i)
{
    const entry *ei = &x->e[i];
    size_t best = ix->first_same[i] < i ? ix->first_same[i] : SIZE_MAX;
    if (ix->star < best && ix->star != i && makes_redundant(&x->e[ix->star], ix->star, ei, i))
        best = ix->star;
    if (!ei->a->service)
        return best;
    size_t lo = 0, hi = ix->nwild;   /* first ref of i's service */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)ix->wild[mid].service < (uintptr_t)ei->a->service)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < ix->nwild && ix->wild[lo].service == ei->a->service && ix->wild[lo].j < best; lo++) {
        size_t j = ix->wild[lo].j;
        if (j != i && makes_redundant(&x->e[j], j, ei, i))
            return j;
    }
    return best;
}

static void check_redundant(stmt_ctx *x)
{
    const iam_statement *st = x->st;
    if (st->not_action || st->nactions < 2)
        return;
    redund_index ix = {0};
    build_index(x, &ix);
    for (size_t i = 0; i < st->nactions; i++) {
        entry *ei = &x->e[i];
        if (ei->state != ENT_OK)
            continue;
        size_t j = covering_entry(x, &ix, i);
        if (j == SIZE_MAX)
            continue;
        entry *ej = &x->e[j];
        bool same = ei->a->folded == ej->a->folded || strcmp(ei->a->folded, ej->a->folded) == 0;
        iam_diag *g = iam_diag_add(x->d, IAM_R_REDUNDANT_ACTION, ei->a->span,
                                   same ? "'%s' repeats '%s'" : "'%s' is already covered by '%s'",
                                   ei->a->text, ej->a->text);
        if (g)
            iam_diag_related(x->d, g, ej->a->span, "covered here");
    }
}

/* -- resources: invalid-arn, resource-mismatch -------------------------- */

static bool is_arn_text(const iam_str *r)
{
    return r->len >= 4 && lower(r->s[0]) == 'a' && lower(r->s[1]) == 'r' && lower(r->s[2]) == 'n' &&
           r->s[3] == ':';
}

static void check_arns(stmt_ctx *x, bool *usable)
{
    const iam_strlist *rs = &x->st->resources;
    for (size_t i = 0; i < rs->n; i++) {
        const iam_str *r = &rs->v[i];
        usable[i] = false;
        if (!is_arn_text(r))
            continue;   /* "*" or not an ARN at all: invalid-resource's business */
        int field;
        const char *why = iam_arn_check(r->s, r->len, &field);
        if (why)
            iam_diag_add(x->d, IAM_R_INVALID_ARN, r->span, "invalid ARN '%s': %s", r->s, why);
        else
            usable[i] = true;
    }
}

/* Is the ARN's service field one that some catalog ARN template uses? A
 * resource of a service the catalog does not know says nothing about what
 * the statement's actions can reach (Action "*" covers future services). */
static bool arn_service_known(const iam_catalog *c, const iam_str *r)
{
    /* field 2 of r: after the second ':' up to the third (r is a valid ARN) */
    size_t start = 0, colons = 0;
    while (start < r->len && colons < 2)
        colons += r->s[start++] == ':';
    size_t end = start;
    while (end < r->len && r->s[end] != ':')
        end++;
    const char *p = r->s + start;
    size_t n = end - start;
    if (colons < 2 || memchr(p, '*', n) || memchr(p, '?', n) || memchr(p, '$', n))
        return true;
    return iam_catalog_arn_service_known(c, p, n);   /* arn:${Partition}:svc:... */
}

/* Can action id act on resource r? Verdicts per (pattern, resource type)
 * come from the run's memo: statements ask about the same few types over
 * and over, and other policies name the same ARNs. */
static bool action_fits(const stmt_ctx *x, uint32_t id, const iam_arn_ref *r)
{
    const iam_catalog *c = x->cat;
    iam_action_info in;
    iam_catalog_action_get(c, id, &in);
    for (size_t k = 0; k < in.nresources; k++) {
        iam_action_resource ar;
        iam_catalog_action_resource(c, id, k, &ar);
        if (iam_catalog_memo_arn_fits(x->memo, r, ar.rtype))
            return true;
    }
    return false;
}

static void resource_has_no_action(stmt_ctx *x, const iam_str *r)
{
    bool star_only = true;
    for (uint32_t id = iam_actionset_next(x->all, 0); id != IAM_CATALOG_NONE && star_only;
         id = iam_actionset_next(x->all, id + 1)) {
        iam_action_info in;
        iam_catalog_action_get(x->cat, id, &in);
        star_only = in.nresources == 0;
    }
    if (star_only)
        iam_diag_add(x->d, IAM_R_RESOURCE_MISMATCH, r->span,
                     "the statement's actions support only Resource \"*\"; '%s' grants nothing", r->s);
    else
        iam_diag_add(x->d, IAM_R_RESOURCE_MISMATCH, r->span,
                     "no action of this statement can act on '%s'", r->s);
}

/* A literal action entry that none of the statement's resources fits. */
static void action_has_no_resource(stmt_ctx *x, const entry *e, const iam_arn_ref **refs,
                                   const bool *usable)
{
    const iam_catalog *c = x->cat;
    uint32_t id = iam_actionset_next(e->set, 0);
    iam_action_info in;
    iam_catalog_action_get(c, id, &in);
    const iam_strlist *rs = &x->st->resources;
    bool required = false;
    for (size_t k = 0; k < in.nresources; k++) {
        iam_action_resource ar;
        iam_catalog_action_resource(c, id, k, &ar);
        required |= ar.required;
    }
    if (in.nresources && !required)
        return;   /* all types optional: the action may also accept "*" */
    for (size_t i = 0; i < rs->n; i++)
        if (!usable[i] || action_fits(x, id, refs[i]))
            return;
    if (in.nresources == 0) {
        iam_diag_add(x->d, IAM_R_RESOURCE_MISMATCH, e->a->span,
                     "'%s' supports only Resource \"*\", which this statement does not grant",
                     e->a->text);
        return;
    }
    iam_action_resource ar;
    iam_catalog_action_resource(c, id, 0, &ar);
    iam_diag *g = iam_diag_add(x->d, IAM_R_RESOURCE_MISMATCH, e->a->span,
                               "no Resource of this statement fits '%s'", e->a->text);
    if (g)
        iam_diag_help(x->d, g, "it acts on %s%s: %s", iam_catalog_rtype_name(c, ar.rtype),
                      in.nresources > 1 ? " (and more)" : "", iam_catalog_rtype_arn(c, ar.rtype));
}

static void check_resources(stmt_ctx *x)
{
    const iam_statement *st = x->st;
    const iam_strlist *rs = &st->resources;
    if (!st->has_resource || rs->n == 0)
        return;
    bool *usable = iam_arena_alloc(x->a, rs->n * sizeof *usable);
    check_arns(x, usable);
    if (st->not_resource || st->not_action || !st->has_action || x->any_unknown ||
        iam_actionset_empty(x->all))
        return;
    bool has_star = false;
    const iam_arn_ref **refs = iam_arena_alloc(x->a, rs->n * sizeof *refs);
    for (size_t i = 0; i < rs->n; i++) {
        has_star |= rs->v[i].len == 1 && rs->v[i].s[0] == '*';
        if (!usable[i])
            continue;
        if (!arn_service_known(x->cat, &rs->v[i])) {
            usable[i] = false;   /* and no action-level verdict either */
            continue;
        }
        refs[i] = iam_catalog_memo_arn(x->memo, rs->v[i].s, rs->v[i].len);
        bool fits = false;
        for (uint32_t id = iam_actionset_next(x->all, 0); id != IAM_CATALOG_NONE && !fits;
             id = iam_actionset_next(x->all, id + 1))
            fits = action_fits(x, id, refs[i]);
        if (!fits)
            resource_has_no_action(x, &rs->v[i]);
    }
    if (has_star)
        return;
    for (size_t i = 0; i < st->nactions; i++)
        if (x->e[i].state == ENT_OK && !x->e[i].a->wildcard && x->e[i].n == 1)
            action_has_no_resource(x, &x->e[i], refs, usable);
}

/* -- condition keys ----------------------------------------------------- */

/* Clear operator/type clashes only (Access Analyzer's behaviour): String
 * operators fit every type (ARN, Date, Bool and Numeric values are strings
 * too), Date operators accept epoch numbers, Null fits all. */
static bool type_clash(iam_cond_family fam, iam_key_type kt)
{
    unsigned t = IAM_KT_BASE(kt);
    switch (fam) {
    case IAM_FAM_NUMERIC: return t == IAM_KT_BOOL || t == IAM_KT_IP || t == IAM_KT_ARN || t == IAM_KT_DATE;
    case IAM_FAM_DATE: return t == IAM_KT_BOOL || t == IAM_KT_IP || t == IAM_KT_ARN;
    case IAM_FAM_BOOL: return t == IAM_KT_NUMERIC || t == IAM_KT_DATE || t == IAM_KT_IP || t == IAM_KT_ARN;
    case IAM_FAM_IP: return t != IAM_KT_IP;
    case IAM_FAM_ARN: return t == IAM_KT_BOOL || t == IAM_KT_NUMERIC || t == IAM_KT_DATE || t == IAM_KT_IP;
    case IAM_FAM_BINARY: return t == IAM_KT_BOOL || t == IAM_KT_NUMERIC || t == IAM_KT_DATE || t == IAM_KT_IP;
    default: return false;
    }
}

static const char *family_text(iam_cond_family f)
{
    switch (f) {
    case IAM_FAM_NUMERIC: return "compares numbers";
    case IAM_FAM_DATE: return "compares dates";
    case IAM_FAM_BOOL: return "compares booleans";
    case IAM_FAM_IP: return "compares IP addresses";
    case IAM_FAM_ARN: return "compares ARNs";
    case IAM_FAM_BINARY: return "compares binary values";
    default: return "compares strings";
    }
}

/* Does any statement action support one of the keys? Does any key belong
 * to one of the statement's services? */
static void key_use(stmt_ctx *x, const uint32_t *keys, size_t nk, bool *supported, bool *svc_match)
{
    *supported = *svc_match = false;
    for (uint32_t id = iam_actionset_next(x->all, 0); id != IAM_CATALOG_NONE && !*supported;
         id = iam_actionset_next(x->all, id + 1)) {
        iam_action_info in;
        iam_catalog_action_get(x->cat, id, &in);
        for (size_t k = 0; k < nk && !*supported; k++) {
            *svc_match |= iam_catalog_key_service(x->cat, keys[k]) == in.service_id;
            *supported = iam_catalog_action_supports_key(x->cat, id, keys[k]);
        }
    }
    *svc_match |= *supported;
}

static void check_key(stmt_ctx *x, const iam_condition *cd, const iam_cond_key *k)
{
    const iam_catalog *c = x->cat;
    uint32_t keys[16];
    iam_key_match m;
    size_t len = strlen(k->text);
    /* Web-identity providers define keys named after their host
     * ("token.actions.githubusercontent.com:sub", "accounts.google.com:aud");
     * the service catalog cannot list them, so a dotted prefix is valid. */
    const char *colon = strchr(k->text, ':');
    if (colon && memchr(k->text, '.', (size_t)(colon - k->text)))
        return;
    if (!iam_catalog_memo_key_resolve(x->memo, k->text, len, keys, 16, &m)) {
        iam_diag *g = iam_diag_add(x->d, IAM_R_UNKNOWN_CONDITION_KEY, k->span,
                                   "unknown condition key '%s': not a global key and no service "
                                   "defines it (AWS catalog of %s)", k->text, iam_catalog_date(c));
        const char *near = closest_key(c, k->text);
        if (g && near)
            iam_diag_help(x->d, g, "did you mean '%s'?", near);
        return;
    }
    size_t nk = m.nkeys < 16 ? m.nkeys : 16;
    iam_key_type kt = m.global ? m.global_type : iam_catalog_key_type(c, keys[0]);
    if (cd->base != IAM_OP_UNKNOWN && type_clash(iam_cond_base_family(cd->base), kt))
        iam_diag_add(x->d, IAM_R_CONDITION_TYPE_MISMATCH, k->span,
                     "'%s' is a %s key, but %s %s", k->text, iam_key_type_name(kt),
                     iam_cond_base_name(cd->base), family_text(iam_cond_base_family(cd->base)));
    if (m.global || x->st->not_action || x->any_unknown || x->all_wild || iam_actionset_empty(x->all))
        return;
    bool supported, svc_match;
    key_use(x, keys, nk, &supported, &svc_match);
    if (supported)
        return;
    const char *owner = iam_catalog_service_prefix(c, iam_catalog_key_service(c, keys[0]));
    if (!svc_match)
        iam_diag_add(x->d, IAM_R_CONDITION_KEY_NOT_APPLICABLE, k->span,
                     "'%s' is a %s condition key, but the statement has no %s action", k->text, owner,
                     owner);
    else
        iam_diag_add(x->d, IAM_R_CONDITION_KEY_NOT_APPLICABLE, k->span,
                     "none of the statement's actions supports condition key '%s'", k->text);
}

/* -- driver ------------------------------------------------------------- */

static void check_statement(const iam_catalog *cat, iam_catalog_memo *memo, const iam_statement *st,
                            iam_diags *d, iam_arena *a)
{
    stmt_ctx x = {.cat = cat, .memo = memo, .st = st, .d = d, .a = a, .all_wild = st->nactions > 0};
    x.all = iam_actionset_new(a, cat);
    x.e = iam_arena_alloc(a, (st->nactions ? st->nactions : 1) * sizeof *x.e);
    for (size_t i = 0; i < st->nactions; i++) {
        x.e[i].a = &st->actions[i];
        check_entry(&x, &x.e[i]);
        if (x.e[i].set)
            iam_actionset_union(x.all, x.e[i].set);
        x.all_wild &= st->actions[i].wildcard || strcmp(st->actions[i].folded, "*") == 0;
    }
    check_redundant(&x);
    check_resources(&x);
    for (size_t i = 0; i < st->nconds; i++)
        for (size_t j = 0; j < st->conds[i].nkeys; j++)
            check_key(&x, &st->conds[i], &st->conds[i].keys[j]);
}

void iam_check_catalog_memo(const iam_catalog *cat, iam_catalog_memo *memo, const iam_policy *p,
                            iam_diags *d)
{
    if (!cat || !p)
        return;
    iam_arena *own = NULL;
    if (!memo) {
        own = iam_arena_new();
        memo = iam_catalog_memo_new(own, cat);
    }
    for (size_t i = 0; i < p->nstmts; i++) {
        iam_arena *a = iam_arena_new();   /* statement scratch */
        check_statement(cat, memo, &p->stmts[i], d, a);
        iam_arena_destroy(a);
    }
    iam_arena_destroy(own);
}

void iam_check_catalog(const iam_catalog *cat, const iam_policy *p, iam_diags *d)
{
    iam_check_catalog_memo(cat, NULL, p, d);
}

void iam_check_catalog_hook(void *ud, const iam_policy *p, iam_diags *d)
{
    iam_check_catalog(ud, p, d);
}
