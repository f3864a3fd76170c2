/* risk_principal.c - rules over everything one principal is allowed:
 * privilege-escalation (iam-semantics.md 8) and missing-mfa; and the SCP
 * guardrails of one organization level. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyzer/risk_internal.h"
#include "core/glob.h"

typedef struct grant {
    const iam_policy *p;
    const iam_statement *s;
    iam_actionset *set;
} grant;

typedef struct grants {
    grant *v;
    size_t n, cap;
} grants;

static void push(iam_risk_ctx *c, grants *g, const iam_policy *p, const iam_statement *s, iam_actionset *set)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        g->v = iam_arena_grow(c->arena, g->v, g->n, cap, sizeof *g->v);
        g->cap = cap;
    }
    g->v[g->n++] = (grant){p, s, set};
}

/* Allow statements of the policies into `allows`; the actions an
 * unconditioned Deny on every resource removes, into `denied`. */
static void collect(iam_risk_ctx *c, const iam_policy *p, grants *allows, iam_actionset *denied)
{
    for (size_t i = 0; i < p->nstmts; i++) {
        const iam_statement *s = &p->stmts[i];
        if (!s->has_action || s->effect == IAM_EFFECT_INVALID)
            continue;
        iam_actionset *set = iam_risk_statement_actions(c, s);
        if (s->effect == IAM_EFFECT_ALLOW)
            push(c, allows, p, s, set);
        else if (s->nconds == 0 && iam_resource_has_star(s, NULL))
            iam_actionset_union(denied, set);
    }
}

/* Every resource of s names the caller's own user ("user/${aws:username}",
 * or the group's own user name, any account): credentials for oneself are
 * no escalation. */
static bool only_own_user(const iam_statement *s, const iam_principal_group *pg)
{
    /* The user's own name, when the group is a user ("users/alice"). */
    const char *me = pg && pg->kind == IAM_GROUP_USER && pg->name ? strrchr(pg->name, '/') : NULL;
    me = me ? me + 1 : NULL;
    if (!s->has_resource || s->not_resource || s->resources.n == 0)
        return false;
    static const char own[] = "/${aws:username}";
    const size_t on = sizeof own - 1;
    for (size_t i = 0; i < s->resources.n; i++) {
        const char *r = s->resources.v[i].s;
        size_t n = s->resources.v[i].len, colons = 0, k = 0;
        for (; k < n && colons < 5; k++)
            colons += r[k] == ':';
        const char *res = r + k;
        size_t rn = n - k;
        if (colons < 5 || strncmp(res, "user/", 5) != 0 || memchr(res, '*', rn) || memchr(res, '?', rn))
            return false;
        const char *last = strrchr(res, '/');
        bool self_var = rn >= 4 + on && strcmp(res + rn - on, own) == 0;
        bool self_name = me && strcmp(last + 1, me) == 0;
        if (!self_var && !self_name)
            return false;
    }
    return true;
}

/* May statement s pass roles to service principal svc? Only a positive
 * iam:PassedToService condition narrows it (values are globbed). */
static bool passes_to(const iam_statement *s, const char *svc)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *cd = &s->conds[i];
        for (size_t k = 0; k < cd->nkeys; k++) {
            const iam_cond_key *key = &cd->keys[k];
            if (strcmp(key->folded, "iam:passedtoservice") != 0 || cd->if_exists ||
                iam_cond_base_negated(cd->base) || cd->base == IAM_OP_NULL_CHECK)
                continue;
            bool any = false;
            for (size_t v = 0; v < key->values.n && !any; v++)
                any = iam_glob_match(key->values.v[v].s, key->values.v[v].len, svc, strlen(svc),
                                     cd->base == IAM_OP_STRING_EQUALS_IGNORE_CASE);
            if (!any)
                return false;
        }
    }
    return true;
}

/* The grant that allows action id usefully for escalation method e. */
static const grant *granting(iam_risk_ctx *c, const iam_principal_group *pg, const grants *g, const iam_escalation *e,
                             uint32_t id)
{
    for (size_t i = 0; i < g->n; i++) {
        const grant *x = &g->v[i];
        if (!iam_actionset_has(x->set, id))
            continue;
        if (e->other_users && only_own_user(x->s, pg))
            continue;
        if (e->pass_to && id == c->cache->passrole && !passes_to(x->s, e->pass_to))
            continue;
        return x;
    }
    return NULL;
}

/* One finding per principal naming every escalation method its permissions
 * satisfy, by the actions actually granted; related spans point at the
 * statements that enable each further method. */
static void check_escalation(iam_risk_ctx *c, const iam_principal_group *pg, const grants *allows, const iam_actionset *eff)
{
    enum { MAXM = 64, SHOWN = 5 };
    const grant *first_by[MAXM];
    uint32_t first_id[MAXM];
    char label[MAXM][160];
    size_t found[MAXM], nfound = 0;
    for (size_t m = 0; m < iam_nescalations && nfound < MAXM; m++) {
        const iam_escalation *e = &iam_escalations[m];
        const grant *by0 = NULL;
        uint32_t id0 = IAM_CATALOG_NONE;
        size_t len = 0;
        bool all = true;
        label[nfound][0] = '\0';
        for (size_t k = 0; k < 4 && e->need[k] && all; k++) {
            const grant *by = NULL;
            uint32_t got = IAM_CATALOG_NONE;
            for (size_t alt = 0; alt < 8 && !by; alt++) {
                uint32_t id = c->cache->escalation[m][k][alt];
                if (id != IAM_CATALOG_NONE && iam_actionset_has(eff, id) && (by = granting(c, pg, allows, e, id)))
                    got = id;
            }
            if (!by) {
                all = false;
                break;
            }
            if (k == 0)
                by0 = by, id0 = got;
            char name[120];
            iam_catalog_action_fullname(c->cat, got, name, sizeof name);
            if (len < sizeof label[0])
                len += (size_t)snprintf(label[nfound] + len, sizeof label[0] - len, "%s%s", k ? " + " : "", name);
        }
        if (!all || !by0)
            continue;
        first_by[nfound] = by0;
        first_id[nfound] = id0;
        found[nfound++] = m;
    }
    if (!nfound)
        return;
    char names[1024];
    size_t len = 0;
    names[0] = '\0';
    for (size_t i = 0; i < nfound && i < SHOWN; i++)
        len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? "; " : "", label[i]);
    if (nfound > SHOWN)
        snprintf(names + len, sizeof names - len, "; and %zu more", nfound - SHOWN);
    const iam_action *a = iam_entry_for(c, first_by[0]->s, first_id[0]);
    const char *who = pg->name ? pg->name : NULL;
    iam_diag *g;
    if (nfound == 1)
        g = iam_risk_report(c, first_by[0]->p, IAM_R_PRIVILEGE_ESCALATION, a ? a->span : first_by[0]->s->action_span,
                            "%s%s%scan escalate privileges with %s: it can %s", who ? "principal " : "", who ? who : "",
                            who ? " " : "", label[0], iam_escalations[found[0]].effect);
    else
        g = iam_risk_report(c, first_by[0]->p, IAM_R_PRIVILEGE_ESCALATION, a ? a->span : first_by[0]->s->action_span,
                            "%s%s%scan escalate privileges in %zu known ways: %s", who ? "principal " : "",
                            who ? who : "", who ? " " : "", nfound, names);
    for (size_t i = 1; i < nfound && i < 8; i++) {
        const iam_action *ai = iam_entry_for(c, first_by[i]->s, first_id[i]);
        iam_diag_related(c->d, g, ai ? ai->span : first_by[i]->s->action_span, "%s: %s", label[i],
                         iam_escalations[found[i]].effect);
    }
    iam_diag_help(c->d, g, "remove the permissions, or scope them to resources that cannot lead to more privilege");
}

static bool requires_mfa(const iam_statement *s)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *cd = &s->conds[i];
        for (size_t k = 0; k < cd->nkeys; k++) {
            const iam_cond_key *key = &cd->keys[k];
            if (strcmp(key->folded, "aws:multifactorauthpresent") == 0 && cd->base == IAM_OP_BOOL && !cd->if_exists &&
                key->values.n == 1 && strcasecmp(key->values.v[0].s, "true") == 0)
                return true;
            if (strcmp(key->folded, "aws:multifactorauthage") == 0 && !cd->if_exists &&
                (cd->base == IAM_OP_NUMERIC_LESS_THAN || cd->base == IAM_OP_NUMERIC_LESS_THAN_EQUALS))
                return true;
        }
    }
    return false;
}

/* A Deny that applies whenever MFA is absent or false: the documented
 * BoolIfExists aws:MultiFactorAuthPresent "false" guard. */
static bool is_mfa_guard(const iam_statement *s)
{
    if (s->effect != IAM_EFFECT_DENY || s->nconds != 1 || s->conds[0].nkeys != 1)
        return false;
    const iam_condition *cd = &s->conds[0];
    const iam_cond_key *k = &cd->keys[0];
    return strcmp(k->folded, "aws:multifactorauthpresent") == 0 && cd->base == IAM_OP_BOOL && cd->if_exists &&
           k->values.n == 1 && strcasecmp(k->values.v[0].s, "false") == 0;
}

static void check_mfa(iam_risk_ctx *c, const iam_principal_group *pg, const grants *allows, const iam_actionset *eff)
{
    if (!pg->human)
        return;
    const iam_actionset *sens = c->cache->sensitive;
    iam_actionset *guarded = iam_actionset_new(c->arena, c->cat);
    for (size_t i = 0; i < pg->nidentity + 1; i++) {
        const iam_policy *p = i < pg->nidentity ? pg->identity[i] : pg->boundary;
        if (!p)
            continue;
        for (size_t k = 0; k < p->nstmts; k++)
            if (is_mfa_guard(&p->stmts[k]) && iam_resource_has_star(&p->stmts[k], NULL))
                iam_actionset_union(guarded, iam_risk_statement_actions(c, &p->stmts[k]));
    }
    for (size_t i = 0; i < allows->n; i++) {
        const grant *g = &allows->v[i];
        if (requires_mfa(g->s))
            continue;
        /* What this statement really grants: capped by the boundary and
         * minus unconditioned Denies (eff), then the unguarded sensitive part. */
        iam_actionset *x = iam_actionset_copy(c->arena, g->set);
        iam_actionset_intersect(x, eff);
        iam_actionset_intersect(x, sens);
        iam_actionset_subtract(x, guarded);
        uint32_t id = iam_actionset_next(x, 0);
        if (id == IAM_CATALOG_NONE)
            continue;
        char name[200];
        iam_catalog_action_fullname(c->cat, id, name, sizeof name);
        const iam_action *a = iam_entry_for(c, g->s, id);
        size_t n = iam_actionset_count(x);
        iam_diag *d = iam_risk_report(c, g->p, IAM_R_MISSING_MFA, a ? a->span : g->s->action_span,
                                      "%zu sensitive action%s (e.g. %s) allowed to %s%s without requiring MFA", n,
                                      n == 1 ? "" : "s", name, pg->name ? "human principal " : "a human principal",
                                      pg->name ? pg->name : "");
        iam_diag_help(c->d, d, "add Bool aws:MultiFactorAuthPresent \"true\", or a Deny with BoolIfExists aws:MultiFactorAuthPresent \"false\"");
    }
}

void iam_risk_check_principal(iam_risk_ctx *c, const iam_principal_group *pg)
{
    grants allows = {0};
    iam_actionset *denied = iam_actionset_new(c->arena, c->cat);
    for (size_t i = 0; i < pg->nidentity; i++)
        collect(c, pg->identity[i], &allows, denied);
    iam_actionset *eff = iam_actionset_new(c->arena, c->cat);
    for (size_t i = 0; i < allows.n; i++)
        iam_actionset_union(eff, allows.v[i].set);
    if (pg->boundary) {
        grants b = {0};
        collect(c, pg->boundary, &b, denied);
        iam_actionset *cap = iam_actionset_new(c->arena, c->cat);
        for (size_t i = 0; i < b.n; i++)
            iam_actionset_union(cap, b.v[i].set);
        iam_actionset_intersect(eff, cap);
    }
    iam_actionset_subtract(eff, denied);
    check_escalation(c, pg, &allows, eff);
    check_mfa(c, pg, &allows, eff);
}

/* -- SCP guardrails -------------------------------------------------------- */

static const char *const exemption_keys[] = {
    "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths",
    "aws:principaltag/", "aws:userid", "aws:username", "aws:principaltype", NULL,
};

/* A Deny that still applies to (nearly) everyone: no condition, or only
 * conditions exempting named principals ("ArnNotLike aws:PrincipalArn
 * SecurityAdmin") or AWS services. A Deny conditioned on the region, or on
 * one principal, is not a guardrail for the actions it lists. */
static bool general_deny(const iam_statement *s)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *cd = &s->conds[i];
        for (size_t k = 0; k < cd->nkeys; k++) {
            const iam_cond_key *key = &cd->keys[k];
            if (iam_cond_base_negated(cd->base) && iam_key_in(key->folded, exemption_keys))
                continue;
            bool svc = strcmp(key->folded, "aws:principalisawsservice") == 0 ||
                       strcmp(key->folded, "aws:viaawsservice") == 0;
            if (svc && cd->base == IAM_OP_BOOL && key->values.n == 1 && strcasecmp(key->values.v[0].s, "false") == 0)
                continue;
            return false;
        }
    }
    return true;
}

/* Deny aimed at root users: a positive condition on aws:PrincipalArn
 * naming ":root" ARNs. */
static bool denies_root(const iam_statement *s)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *cd = &s->conds[i];
        if (iam_cond_base_negated(cd->base) || cd->base == IAM_OP_NULL_CHECK)
            continue;
        for (size_t k = 0; k < cd->nkeys; k++)
            if (strcmp(cd->keys[k].folded, "aws:principalarn") == 0)
                for (size_t v = 0; v < cd->keys[k].values.n; v++)
                    if (strstr(cd->keys[k].values.v[v].s, ":root"))
                        return true;
    }
    return false;
}

static void scp_denials(iam_risk_ctx *c, const iam_policy *const *scps, size_t n, iam_actionset *denied, bool *root)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < scps[i]->nstmts; k++) {
            const iam_statement *s = &scps[i]->stmts[k];
            if (s->effect != IAM_EFFECT_DENY || !s->has_action || !iam_resource_broad(s))
                continue;
            if (general_deny(s))
                iam_actionset_union(denied, iam_risk_statement_actions(c, s));
            else
                *root |= denies_root(s);
        }
}

void iam_risk_check_scp_set(iam_risk_ctx *c, const iam_policy *const *scps, size_t n,
                            const iam_policy *const *inherited, size_t ninherited)
{
    if (!n)
        return;
    iam_actionset *denied = iam_actionset_new(c->arena, c->cat);
    bool root = false;
    scp_denials(c, scps, n, denied, &root);
    scp_denials(c, inherited, ninherited, denied, &root);
    char missing[1024];
    size_t len = 0, count = 0;
    missing[0] = '\0';
    for (size_t g = 0; g < iam_nguardrails; g++) {
        const iam_guardrail *gr = &iam_guardrails[g];
        bool ok = gr->root_user ? root : true;
        for (const char *const *a = gr->actions; a && *a && ok; a++) {
            uint32_t id = iam_action_id(c->cat, *a);
            ok = id == IAM_CATALOG_NONE || iam_actionset_has(denied, id);
        }
        if (!ok && len < sizeof missing)
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s", count++ ? "; " : "", gr->name);
    }
    if (c->cfg)
        for (size_t r = 0; r < c->cfg->required_guardrails.n; r++) {
            const char *pat = c->cfg->required_guardrails.v[r];
            iam_actionset *need = iam_actionset_new(c->arena, c->cat);
            iam_catalog_expand(c->cat, need, pat, strlen(pat));
            if (!iam_actionset_subset(need, denied) && len < sizeof missing)
                len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s is denied", count++ ? "; " : "", pat);
        }
    if (!count)
        return;
    const iam_policy *p = scps[0];
    iam_span at = p->span;
    at.end_line = at.line;
    at.end_col = at.col + 1;
    iam_diag *g = iam_risk_report(c, p, IAM_R_SCP_GUARDRAIL_MISSING, at,
                                  "the %zu SCP%s at this level lack%s %zu guardrail%s: %s", n, n == 1 ? "" : "s",
                                  n == 1 ? "s" : "", count, count == 1 ? "" : "s", missing);
    iam_diag_help(c->d, g, "add Deny statements for these actions (exempting a security role by aws:PrincipalArn if needed)");
}
