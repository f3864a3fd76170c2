/* intent_compile.c - one declared policy's statements to grants: access
 * levels and action patterns expanded through the catalog and filtered by
 * the resource types the ARNs fit (Policy Sentry's CRUD mode), conditions
 * mapped to IAM operators and keys, grants grouped by (effect, condition
 * set) and, within a group, by resource. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compiler/compile_internal.h"
#include "core/strbuf.h"

/* Resource types one ARN pattern may denote, at most. */
enum { RTCAP = 64 };

/* -- groups ------------------------------------------------------------- */

static int cond_cmp(const void *a, const void *b)
{
    const ix_cond *x = a, *y = b;
    int c = strcmp(x->op, y->op);
    return c ? c : strcmp(x->key, y->key);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Canonical text of effect + conditions: operators and keys in order,
 * values sorted, so equal condition sets give equal keys. Key names are
 * compared case-folded, as IAM does. */
char *ix_cond_key(iam_arena *a, iam_effect e, const ix_cond *c, size_t n)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_puts(&b, e == IAM_EFFECT_DENY ? "Deny" : "Allow");
    for (size_t i = 0; i < n; i++) {
        iam_sb_printf(&b, "\x1d%s\x1f", c[i].op);
        for (const char *k = c[i].key; *k; k++)
            iam_sb_putc(&b, (char)tolower((unsigned char)*k));
        const char **v = malloc((c[i].nvals + 1) * sizeof *v);
        if (!v)
            iam_oom("condition values");
        if (c[i].nvals > 0) {
            memcpy(v, c[i].vals, c[i].nvals * sizeof *v);
            qsort(v, c[i].nvals, sizeof *v, str_cmp);
        }
        for (size_t j = 0; j < c[i].nvals; j++)
            if (j == 0 || strcmp(v[j], v[j - 1]) != 0)
                iam_sb_printf(&b, "\x1e%s", v[j]);
        free(v);
    }
    char *r = iam_arena_strndup(a, b.s ? b.s : "", b.len);
    iam_sb_free(&b);
    return r;
}

ix_group *ix_group_get(iam_compile_unit *u, ix_policy *p, iam_effect e, ix_cond *conds, size_t n)
{
    if (n > 1)
        qsort(conds, n, sizeof *conds, cond_cmp);
    char *k = ix_cond_key(u->arena, e, conds, n);
    for (size_t i = 0; i < p->ngroups; i++)
        if (strcmp(p->groups[i].ckey, k) == 0)
            return &p->groups[i];
    p->groups = iam_arena_grow(u->arena, p->groups, p->ngroups, p->ngroups + 1, sizeof *p->groups);
    ix_group *g = &p->groups[p->ngroups++];
    g->effect = e;
    g->conds = n ? iam_arena_dup(u->arena, conds, n * sizeof *conds) : NULL;
    g->nconds = n;
    g->ckey = k;
    return g;
}

iam_actionset *ix_group_set(iam_compile_unit *u, ix_group *g, const char *res)
{
    for (size_t i = 0; i < g->nres; i++)
        if (strcmp(g->res[i], res) == 0)
            return g->sets[i];
    g->res = iam_arena_grow(u->arena, g->res, g->nres, g->nres + 1, sizeof *g->res);
    g->sets = iam_arena_grow(u->arena, g->sets, g->nres, g->nres + 1, sizeof *g->sets);
    g->res[g->nres] = res;
    g->sets[g->nres] = iam_actionset_new(u->arena, u->cat);
    return g->sets[g->nres++];
}

/* -- catalog look-ups with suggestions ---------------------------------- */

static void suggest_service(iam_compile_unit *u, iam_diag *g, const char *svc, iam_diags *d)
{
    size_t n = iam_catalog_service_count(u->cat);
    const char **c = iam_arena_alloc(u->arena, n * sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i] = iam_catalog_service_prefix(u->cat, (uint32_t)i);
    const char *s = ix_closest(svc, c, n);
    if (g && s)
        iam_diag_help(d, g, "did you mean '%s'?", s);
}

/* Expand one action pattern into s; false after intent-unknown-action. */
static bool expand_action(iam_compile_unit *u, const iam_ix_str *a, iam_actionset *s, iam_diags *d)
{
    if (a->star) {
        iam_catalog_expand(u->cat, s, "*", 1);
        return true;
    }
    const char *colon = strchr(a->s, ':');
    size_t plen = (size_t)(colon - a->s);
    uint32_t sid = iam_catalog_service_find(u->cat, a->s, plen);
    if (sid == IAM_CATALOG_NONE) {
        char *svc = iam_arena_strndup(u->arena, a->s, plen);
        iam_diag *g = iam_diag_add(d, IAM_R_INTENT_UNKNOWN_ACTION, a->span, "unknown service '%s'", svc);
        suggest_service(u, g, svc, d);
        return false;
    }
    if (colon[1] == '\0') {
        iam_diag_add(d, IAM_R_INTENT_UNKNOWN_ACTION, a->span, "action '%s' has no name after ':'", a->s);
        return false;
    }
    iam_actionset *tmp = iam_actionset_new(u->arena, u->cat);
    if (iam_catalog_expand(u->cat, tmp, a->s, a->len) > 0) {
        iam_actionset_union(s, tmp);
        return true;
    }
    bool wild = strpbrk(colon + 1, "*?") != NULL;
    iam_diag *g = iam_diag_add(d, IAM_R_INTENT_UNKNOWN_ACTION, a->span,
                               wild ? "'%s' matches no action of service '%s'" : "unknown action '%s' in service '%s'",
                               a->s, iam_catalog_service_prefix(u->cat, sid));
    if (!g || wild)
        return false;
    uint32_t first, n;
    iam_catalog_service_actions(u->cat, sid, &first, &n);
    const char **c = iam_arena_alloc(u->arena, (n + 1) * sizeof *c);
    for (uint32_t i = 0; i < n; i++) {
        iam_action_info info;
        iam_catalog_action_get(u->cat, first + i, &info);
        c[i] = info.name;
    }
    const char *best = ix_closest(colon + 1, c, n);
    if (best)
        iam_diag_help(d, g, "did you mean '%s:%s'?", iam_catalog_service_prefix(u->cat, sid), best);
    return false;
}

/* The text between an ARN's second and third ':' (its service field). */
static const char *arn_service(iam_arena *a, const char *arn)
{
    const char *p = strchr(arn, ':');
    p = p ? strchr(p + 1, ':') : NULL;
    const char *q = p ? strchr(p + 1, ':') : NULL;
    return q ? iam_arena_strndup(a, p + 1, (size_t)(q - p - 1)) : NULL;
}

/* Shape and service of an ARN (not "*"); false after intent-arn. */
static bool check_arn(iam_compile_unit *u, const char *arn, const iam_ix_str *s, iam_diags *d)
{
    int field = -1;
    const char *why = strncmp(arn, "arn:", 4) == 0 ? iam_arn_check(arn, strlen(arn), &field)
                                                   : "an ARN starts with 'arn:'";
    if (why) {
        iam_diag_add(d, IAM_R_INTENT_ARN, s->span, "invalid ARN '%s': %s", arn, why);
        return false;
    }
    const char *svc = arn_service(u->arena, arn);
    if (svc && !strpbrk(svc, "*?$") && !iam_catalog_arn_service_known(u->cat, svc, strlen(svc))) {
        iam_diag *g = iam_diag_add(d, IAM_R_INTENT_ARN, s->span, "no resource type has ARNs of service '%s'", svc);
        suggest_service(u, g, svc, d);
        return false;
    }
    return true;
}

/* Resource types an ARN pattern can denote, limited to its service. */
/* The service field of an ARN in place: pointer and length, or NULL. */
static const char *svc_field(const char *arn, size_t *len)
{
    const char *p = strchr(arn, ':');
    p = p ? strchr(p + 1, ':') : NULL;
    const char *q = p ? strchr(p + 1, ':') : NULL;
    if (!q)
        return NULL;
    *len = (size_t)(q - p - 1);
    return p + 1;
}

static size_t arn_rtypes(iam_compile_unit *u, const char *arn, uint32_t *out, size_t cap)
{
    size_t sl = 0, tl = 0;
    const char *svc = svc_field(arn, &sl);
    bool wild = svc && memchr(svc, '*', sl) == NULL && memchr(svc, '?', sl) == NULL && memchr(svc, '$', sl) == NULL
                    ? false : true;
    size_t n = 0, nrt = iam_catalog_resource_type_count(u->cat);
    for (uint32_t rt = 0; rt < nrt; rt++) {
        const char *tsvc = svc_field(iam_catalog_rtype_arn(u->cat, rt), &tl);
        if (!wild && tsvc && (tl != sl || strncasecmp(svc, tsvc, sl) != 0))
            continue;
        if (iam_catalog_arn_matches_rtype(u->cat, arn, strlen(arn), rt) && n < cap)
            out[n++] = rt;
    }
    return n;
}

/* "bucket (arn:${Partition}:s3:::${BucketName}), ..." for a service. */
static void help_templates(iam_compile_unit *u, iam_diag *g, const char *arn, iam_diags *d)
{
    const char *svc = arn_service(u->arena, arn);
    if (!g || !svc)
        return;
    iam_strbuf b = IAM_STRBUF_INIT;
    size_t shown = 0, nrt = iam_catalog_resource_type_count(u->cat);
    for (uint32_t rt = 0; rt < nrt && shown < 4; rt++) {
        const char *tpl = iam_catalog_rtype_arn(u->cat, rt);
        const char *tsvc = arn_service(u->arena, tpl);
        if (!tsvc || strcasecmp(svc, tsvc) != 0)
            continue;
        iam_sb_printf(&b, "%s%s %s", shown ? ", " : "", iam_catalog_rtype_name(u->cat, rt), tpl);
        shown++;
    }
    if (shown)
        iam_diag_help(d, g, "%s ARNs look like: %s%s", svc, b.s, shown == 4 ? ", ..." : "");
    iam_sb_free(&b);
}

static bool action_fits(iam_compile_unit *u, uint32_t id, const uint32_t *rts, size_t nrts)
{
    iam_action_info info;
    iam_catalog_action_get(u->cat, id, &info);
    for (size_t k = 0; k < info.nresources; k++) {
        iam_action_resource r;
        iam_catalog_action_resource(u->cat, id, k, &r);
        for (size_t j = 0; j < nrts; j++)
            if (rts[j] == r.rtype)
                return true;
    }
    return false;
}

/* -- statements --------------------------------------------------------- */

typedef struct grant {
    const char *res;
    iam_actionset *set;
} grant;

typedef struct stmt_grants {
    grant *v;
    size_t n;
} stmt_grants;

static iam_actionset *grant_set(iam_compile_unit *u, stmt_grants *g, const char *res)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i].res, res) == 0)
            return g->v[i].set;
    g->v = iam_arena_grow(u->arena, g->v, g->n, g->n + 1, sizeof *g->v);
    g->v[g->n].res = res;
    g->v[g->n].set = iam_actionset_new(u->arena, u->cat);
    return g->v[g->n++].set;
}

/* Grant the actions of `levels` that act on rts[0..nrts) (ARN arn, whose
 * resource set is `set`); wildcard-only ones go to "*". Only the ARN's own
 * service: other services that list its resource type (ssm on S3 buckets,
 * ...) are not what "read on this bucket" means (Policy Sentry agrees). */
static void level_actions(iam_compile_unit *u, unsigned levels, const char *arn, const uint32_t *rts, size_t nrts,
                          iam_actionset *set, stmt_grants *out)
{
    const char *asvc = arn_service(u->arena, arn);
    bool own = false;
    for (size_t j = 0; j < nrts && asvc; j++)
        own |= strcasecmp(iam_catalog_service_prefix(u->cat, iam_catalog_rtype_service(u->cat, rts[j])), asvc) == 0;
    for (size_t j = 0; j < nrts; j++) {
        uint32_t sid = iam_catalog_rtype_service(u->cat, rts[j]);
        bool seen = own && strcasecmp(iam_catalog_service_prefix(u->cat, sid), asvc) != 0;
        for (size_t k = 0; k < j && !seen; k++)
            seen = iam_catalog_rtype_service(u->cat, rts[k]) == sid;
        if (seen)
            continue;
        uint32_t first, n;
        iam_catalog_service_actions(u->cat, sid, &first, &n);
        for (uint32_t id = first; id < first + n; id++) {
            iam_action_info info;
            iam_catalog_action_get(u->cat, id, &info);
            if (!(info.access & levels))
                continue;
            if (info.nresources == 0)
                iam_actionset_add(grant_set(u, out, "*"), id);
            else if (action_fits(u, id, rts, nrts))
                iam_actionset_add(set, id);
        }
    }
}

static bool levels_stmt(iam_compile_unit *u, ix_policy *p, const iam_ix_stmt *st, stmt_grants *out,
                        iam_diags *d)
{
    unsigned levels = 0;
    for (size_t i = 0; i < st->nlevels; i++)
        levels |= st->levels[i].bit;
    bool ok = true;
    uint32_t rts[RTCAP];
    for (size_t r = 0; r < st->resources.n; r++) {
        const iam_ix_str *rs = &st->resources.v[r];
        if (rs->star) {
            iam_diag *g = iam_diag_add(d, IAM_R_INTENT_ARN, rs->span,
                                       "access levels need ARNs to choose actions, not '*'");
            if (g)
                iam_diag_help(d, g, "name the actions: allow SERVICE:ACTION, ... on *");
            ok = false;
            continue;
        }
        const char *arn = ix_resolve(u, p->file, rs, d);
        if (!arn || !check_arn(u, arn, rs, d)) {
            ok = false;
            continue;
        }
        size_t nrts = arn_rtypes(u, arn, rts, RTCAP);
        if (nrts == 0) {
            iam_diag *g = iam_diag_add(d, IAM_R_INTENT_ARN, rs->span, "'%s' fits no resource type of the catalog", arn);
            help_templates(u, g, arn, d);
            ok = false;
            continue;
        }
        iam_actionset *set = grant_set(u, out, arn);
        size_t before = iam_actionset_count(set);
        level_actions(u, levels, arn, rts, nrts, set, out);
        if (iam_actionset_count(set) == before) {
            char buf[96];
            iam_diag_add(d, IAM_R_INTENT_ARN, rs->span, "no %s action acts on '%s'",
                         iam_access_level_format(levels, buf, sizeof buf), arn);
            ok = false;
        }
    }
    return ok;
}

/* The resources of an allow/deny statement, resolved once. */
typedef struct arn_info {
    const char **arns;        /* resolved; "*" for '*' */
    uint32_t (*rts)[RTCAP];   /* allow only: resource types of each ARN */
    size_t *nrts;
    const char **svcs;        /* allow only: service field of each ARN */
    size_t n;
    bool star;                /* some entry is "*" */
} arn_info;

static bool resolve_arns(iam_compile_unit *u, ix_policy *p, const iam_ix_stmt *st, bool allow, arn_info *ai,
                         iam_diags *d)
{
    bool ok = true;
    size_t n = ai->n = st->resources.n;
    ai->arns = iam_arena_alloc(u->arena, (n + 1) * sizeof *ai->arns);
    ai->rts = iam_arena_alloc(u->arena, (n + 1) * sizeof *ai->rts);
    ai->nrts = iam_arena_alloc(u->arena, (n + 1) * sizeof *ai->nrts);
    ai->svcs = iam_arena_alloc(u->arena, (n + 1) * sizeof *ai->svcs);
    for (size_t r = 0; r < n; r++) {
        const iam_ix_str *rs = &st->resources.v[r];
        const char *v = rs->star ? "*" : ix_resolve(u, p->file, rs, d);
        bool star = v && strcmp(v, "*") == 0;
        if (!v || (!star && !check_arn(u, v, rs, d))) {
            ok = false;
            continue;
        }
        ai->arns[r] = v;
        ai->star |= star;
    }
    for (size_t r = 0; ok && allow && !ai->star && r < n; r++) {
        ai->nrts[r] = arn_rtypes(u, ai->arns[r], ai->rts[r], RTCAP);
        ai->svcs[r] = arn_service(u->arena, ai->arns[r]);
    }
    return ok;
}

static void explain_misfit(iam_compile_unit *u, const iam_ix_stmt *st, uint32_t id, const iam_action_info *info,
                           iam_diags *d)
{
    iam_diag *g = iam_diag_add(d, IAM_R_INTENT_ARN, st->resources.v[0].span, "%s:%s acts on no resource listed here",
                               info->service, info->name);
    iam_strbuf b = IAM_STRBUF_INIT;
    for (size_t k = 0; k < info->nresources && k < 3; k++) {
        iam_action_resource ar;
        iam_catalog_action_resource(u->cat, id, k, &ar);
        iam_sb_printf(&b, "%s%s %s", k ? ", " : "", iam_catalog_rtype_name(u->cat, ar.rtype),
                      iam_catalog_rtype_arn(u->cat, ar.rtype));
    }
    if (g)
        iam_diag_help(d, g, "it acts on: %s%s", b.s, info->nresources > 3 ? ", ..." : "");
    iam_sb_free(&b);
}

/* Allow the actions of pattern a (set s) on the ARNs they fit; false
 * after a diagnostic. */
static bool allow_fitting(iam_compile_unit *u, const iam_ix_stmt *st, const iam_ix_str *a, const iam_actionset *s,
                          const arn_info *ai, stmt_grants *out, iam_diags *d)
{
    bool ok = true, wild = a->star || strpbrk(a->s, "*?");
    size_t granted = 0;
    for (uint32_t id = iam_actionset_next(s, 0); id != IAM_CATALOG_NONE; id = iam_actionset_next(s, id + 1)) {
        iam_action_info info;
        iam_catalog_action_get(u->cat, id, &info);
        if (info.nresources == 0) {
            /* Wildcard-only: on "*". A pattern brings only those of the
             * ARNs' own services (as access levels do). */
            bool related = !wild;
            for (size_t r = 0; r < ai->n && !related; r++)
                related = ai->svcs[r] && (strpbrk(ai->svcs[r], "*?$") || strcasecmp(ai->svcs[r], info.service) == 0);
            if (related) {
                iam_actionset_add(grant_set(u, out, "*"), id);
                granted++;
            }
            continue;
        }
        bool fit = false;
        for (size_t r = 0; r < ai->n; r++) {
            if (action_fits(u, id, ai->rts[r], ai->nrts[r])) {
                iam_actionset_add(grant_set(u, out, ai->arns[r]), id);
                fit = true;
            }
        }
        granted += fit;
        if (!fit && !wild) {
            explain_misfit(u, st, id, &info, d);
            ok = false;
        }
    }
    if (wild && granted == 0) {
        iam_diag_add(d, IAM_R_INTENT_ARN, a->span, "no action matching '%s' acts on the resources listed", a->s);
        ok = false;
    }
    return ok;
}

/* allow/deny ACTIONS on RESOURCES. Allow keeps, per ARN, only the actions
 * whose resource types fit it; wildcard-only actions go to "*". Deny keeps
 * what was written: denying more never widens access. */
static bool rule_stmt(iam_compile_unit *u, ix_policy *p, const iam_ix_stmt *st, bool allow,
                      stmt_grants *out, iam_actionset *all, iam_diags *d)
{
    arn_info ai = {0};
    bool ok = resolve_arns(u, p, st, allow, &ai, d);
    for (size_t i = 0; i < st->actions.n; i++) {
        const iam_ix_str *a = &st->actions.v[i];
        iam_actionset *s = iam_actionset_new(u->arena, u->cat);
        if (!expand_action(u, a, s, d)) {
            ok = false;
            continue;
        }
        iam_actionset_union(all, s);
        if (!ok)
            continue;
        if (!allow || ai.star) {
            for (size_t r = 0; r < ai.n; r++)
                if (!allow || strcmp(ai.arns[r], "*") == 0)
                    iam_actionset_union(grant_set(u, out, ai.arns[r]), s);
            continue;
        }
        ok &= allow_fitting(u, st, a, s, &ai, out, d);
    }
    return ok;
}

static void add_principals(iam_compile_unit *u, ix_policy *p, const iam_ix_stmt *st, iam_diags *d, bool *ok)
{
    for (size_t i = 0; i < st->principals.n; i++) {
        const iam_ix_str *s = &st->principals.v[i];
        const char *v = s->star ? "*" : ix_resolve(u, p->file, s, d);
        if (!v) {
            *ok = false;
            continue;
        }
        p->has_principal = true;
        if (strcmp(v, "*") == 0 && !st->flag) {
            p->any_principal = true;
        } else if (st->flag) {
            p->svc = iam_arena_grow(u->arena, p->svc, p->nsvc, p->nsvc + 1, sizeof *p->svc);
            p->svc[p->nsvc++] = v;
        } else {
            p->aws = iam_arena_grow(u->arena, p->aws, p->naws, p->naws + 1, sizeof *p->aws);
            p->aws[p->naws++] = v;
        }
    }
}

static bool add_assert(iam_compile_unit *u, ix_policy *p, const iam_ix_stmt *st, iam_diags *d)
{
    ix_assert a = {.st = st, .allows = st->flag};
    const iam_ix_str *act = &st->actions.v[0];
    if (act->star || strpbrk(act->s, "*?")) {
        iam_diag_add(d, IAM_R_INTENT_UNKNOWN_ACTION, act->span, "an assert names one action, not a pattern");
        return false;
    }
    iam_actionset *tmp = iam_actionset_new(u->arena, u->cat);
    if (!expand_action(u, act, tmp, d))
        return false;
    a.action = act->s;
    bool ok = true;
    const iam_ix_str *res = &st->resources.v[0];
    a.resource = res->star ? "*" : ix_resolve(u, p->file, res, d);
    if (!a.resource)
        return false;
    if (st->principals.n && !(a.principal = ix_resolve(u, p->file, &st->principals.v[0], d)))
        return false;
    a.nctx = st->ctx_keys.n;
    a.keys = ix_resolve_all(u, p->file, &st->ctx_keys, d, &ok);
    a.vals = ix_resolve_all(u, p->file, &st->ctx_values, d, &ok);
    if (!ok)
        return false;
    p->asserts = iam_arena_grow(u->arena, p->asserts, p->nasserts, p->nasserts + 1, sizeof a);
    p->asserts[p->nasserts++] = a;
    return true;
}

static bool target_allows(iam_compile_unit *u, const ix_policy *p, const iam_ix_stmt *st, iam_diags *d)
{
    (void)u;
    iam_ix_target t = p->item->target;
    if (t == IAM_IXT_RCP && (st->kind == IAM_IXS_LEVELS || st->kind == IAM_IXS_ALLOW)) {
        iam_diag *g = iam_diag_add(d, IAM_R_INTENT_TARGET, st->span, "a resource control policy can only deny");
        if (g)
            iam_diag_help(d, g, "RCPFullAWSAccess already allows everything; write 'deny ... unless ...'");
        return false;
    }
    if (st->kind == IAM_IXS_PRINCIPAL && t != IAM_IXT_RESOURCE) {
        iam_diag_add(d, IAM_R_INTENT_TARGET, st->span, "'principal' is only allowed in a policy for resource (a %s policy has %s)",
                     iam_ix_target_name(t), t == IAM_IXT_RCP ? "Principal \"*\"" : "no Principal");
        return false;
    }
    return true;
}

/* Turn grants of one statement into group entries, once per condition set. */
static bool commit(iam_compile_unit *u, ix_policy *p, const iam_ix_stmt *st, iam_effect e,
                   stmt_grants *g, const iam_actionset *all, iam_diags *d)
{
    bool ok = true;
    ix_cond **sets;
    size_t *sizes;
    size_t nsets = ix_cond_sets(u, p->file, st, ix_all_kms(u, all), &sets, &sizes, d, &ok);
    if (!ok)
        return false;
    for (size_t s = 0; s < nsets; s++) {
        ix_group *grp = ix_group_get(u, p, e, sets[s], sizes[s]);
        for (size_t i = 0; i < g->n; i++)
            iam_actionset_union(ix_group_set(u, grp, g->v[i].res), g->v[i].set);
    }
    return true;
}

static bool require_mfa(iam_compile_unit *u, ix_policy *p, const iam_ix_stmt *st, iam_diags *d)
{
    bool ok = true;
    iam_actionset *s = iam_actionset_new(u->arena, u->cat);
    for (size_t k = 0; k < st->actions.n; k++)
        ok &= expand_action(u, &st->actions.v[k], s, d);
    if (!ok)
        return false;
    ix_cond c = {"BoolIfExists", "aws:MultiFactorAuthPresent", ix_one(u, "false"), 1};
    ix_group *grp = ix_group_get(u, p, IAM_EFFECT_DENY, &c, 1);
    iam_actionset_union(ix_group_set(u, grp, "*"), s);
    return true;
}

/* One statement into p's groups (or its exclude set, principals,
 * asserts); false after diagnostics. */
static bool build_stmt(iam_compile_unit *u, ix_policy *p, const iam_ix_stmt *st, iam_diags *d)
{
    if (!target_allows(u, p, st, d))
        return false;
    stmt_grants g = {0};
    iam_actionset *all = iam_actionset_new(u->arena, u->cat);
    bool ok = true;
    iam_effect e = st->kind == IAM_IXS_DENY ? IAM_EFFECT_DENY : IAM_EFFECT_ALLOW;
    switch (st->kind) {
    case IAM_IXS_LEVELS:
        ok = levels_stmt(u, p, st, &g, d);
        for (size_t k = 0; k < g.n; k++)
            iam_actionset_union(all, g.v[k].set);
        break;
    case IAM_IXS_ALLOW:
    case IAM_IXS_DENY:
        ok = rule_stmt(u, p, st, e == IAM_EFFECT_ALLOW, &g, all, d);
        break;
    case IAM_IXS_REQUIRE_MFA:
        return require_mfa(u, p, st, d);
    case IAM_IXS_EXCLUDE:
        for (size_t k = 0; k < st->actions.n; k++)
            ok &= expand_action(u, &st->actions.v[k], p->exclude, d);
        return ok;
    case IAM_IXS_PRINCIPAL:
        add_principals(u, p, st, d, &ok);
        return ok;
    case IAM_IXS_ASSERT:
        return add_assert(u, p, st, d);
    }
    return ok && commit(u, p, st, e, &g, all, d);
}

bool ix_policy_build(iam_compile_unit *u, ix_policy *p, iam_diags *d)
{
    bool ok = true;
    p->exclude = iam_actionset_new(u->arena, u->cat);
    for (size_t i = 0; i < p->item->nstmts; i++)
        ok &= build_stmt(u, p, &p->item->stmts[i], d);
    if (p->item->target == IAM_IXT_RESOURCE && !p->has_principal) {
        iam_diag *g = iam_diag_add(d, IAM_R_INTENT_TARGET, p->item->name.span,
                                   "resource policy '%s' names no principal", p->name);
        if (g)
            iam_diag_help(d, g, "add: principal \"arn:aws:iam::111122223333:role/NAME\"");
        ok = false;
    }
    /* exclude: removed from every Allow, wherever it came from. */
    for (size_t i = 0; i < p->ngroups; i++)
        if (p->groups[i].effect == IAM_EFFECT_ALLOW)
            for (size_t r = 0; r < p->groups[i].nres; r++)
                iam_actionset_subtract(p->groups[i].sets[r], p->exclude);
    return ok;
}
