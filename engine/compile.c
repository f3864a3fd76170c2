/* compile.c - turn decoded policies into the engine's immutable form. */
#include <string.h>

#include "engine/internal.h"

const char *const iam_engine_flag_names[] = {
    "notprincipal-strict",
    "vars-null",
    "session-clips-direct",
    "setop-ignore-ifexists",
    "federated-needs-session-policy",
    "arn-prefix-icase",
    "no-caller-identity-exemption",
    NULL,
};

unsigned iam_engine_flag_by_name(const char *name)
{
    for (unsigned i = 0; iam_engine_flag_names[i]; i++)
        if (strcmp(name, iam_engine_flag_names[i]) == 0)
            return 1u << i;
    return 0;
}

static void stmt_compile(iam_arena *a, const iam_policy *p, const iam_statement *s,
                         unsigned flags, cstmt *out)
{
    out->src = s;
    out->index = (uint32_t)s->index;
    out->effect = s->effect;
    out->not_action = s->not_action;
    out->nacts = s->has_action ? s->nactions : 0;
    out->acts = iam_arena_alloc(a, (out->nacts + 1) * sizeof *out->acts);
    for (size_t i = 0; i < out->nacts; i++)
        act_compile(a, s->actions[i].text, &out->acts[i]);
    out->has_res = s->has_resource;
    out->not_res = s->not_resource;
    out->nres = s->has_resource ? s->resources.n : 0;
    out->res = iam_arena_alloc(a, (out->nres + 1) * sizeof *out->res);
    for (size_t i = 0; i < out->nres; i++)
        res_compile(a, s->resources.v[i].s, s->resources.v[i].len, p->type, p->vars_enabled,
                    flags, &out->res[i]);
    out->has_prin = s->principal.present;
    out->not_prin = s->not_principal;
    out->prin_any = s->principal.any;
    out->nprin = s->principal.n;
    out->prin = iam_arena_alloc(a, (out->nprin + 1) * sizeof *out->prin);
    for (size_t i = 0; i < out->nprin; i++)
        prin_compile(&s->principal.v[i], &out->prin[i]);
    out->nconds = s->has_condition ? s->nconds : 0;
    out->conds = iam_arena_alloc(a, (out->nconds + 1) * sizeof *out->conds);
    for (size_t i = 0; i < out->nconds; i++)
        cond_compile(a, &s->conds[i], p->vars_enabled, &out->conds[i]);
}

static cpolicy *policy_compile(iam_arena *a, const iam_policy *p, unsigned flags, cpolicy *out)
{
    if (!p)
        return NULL;
    if (!out)
        out = iam_arena_alloc(a, sizeof *out);
    out->src = p;
    out->type = p->type;
    out->vars = p->vars_enabled;
    out->n = p->nstmts;
    out->v = iam_arena_alloc(a, (p->nstmts + 1) * sizeof *out->v);
    for (size_t i = 0; i < p->nstmts; i++) {
        stmt_compile(a, p, &p->stmts[i], flags, &out->v[i]);
        out->v[i].index = (uint32_t)i;
    }
    return out;
}

static clevel *levels_compile(iam_arena *a, const iam_org_level *lv, size_t n, unsigned flags)
{
    clevel *out = iam_arena_alloc(a, (n + 1) * sizeof *out);
    for (size_t l = 0; l < n; l++) {
        out[l].n = lv[l].n;
        out[l].v = iam_arena_alloc(a, (lv[l].n + 1) * sizeof *out[l].v);
        for (size_t i = 0; i < lv[l].n; i++)
            policy_compile(a, lv[l].v[i], flags, &out[l].v[i]);
    }
    return out;
}

iam_engine *iam_engine_compile(const iam_policy_set *set, const iam_engine_opts *opts)
{
    iam_arena *a = iam_arena_new();
    iam_engine *e = iam_arena_alloc(a, sizeof *e);
    e->arena = a;
    e->flags = opts ? opts->flags : 0;
    e->nidentity = set->nidentity;
    e->identity = iam_arena_alloc(a, (set->nidentity + 1) * sizeof *e->identity);
    for (size_t i = 0; i < set->nidentity; i++)
        policy_compile(a, set->identity[i], e->flags, &e->identity[i]);
    e->boundary = policy_compile(a, set->boundary, e->flags, NULL);
    e->session = policy_compile(a, set->session, e->flags, NULL);
    e->resource = policy_compile(a, set->resource, e->flags, NULL);
    e->vpce = policy_compile(a, set->vpce, e->flags, NULL);
    e->has_scps = set->has_scps;
    e->nscps = set->has_scps ? set->nscps : 0;
    e->scps = levels_compile(a, set->scps, e->nscps, e->flags);
    e->has_rcps = set->has_rcps;
    e->nrcps = set->has_rcps ? set->nrcps : 0;
    e->rcps = levels_compile(a, set->rcps, e->nrcps, e->flags);
    e->mgmt_caller = set->caller_is_management_account;
    e->mgmt_resource = set->resource_is_management_account;
    e->managed_key = set->resource_is_aws_managed_key;
    return e;
}

void iam_engine_free(iam_engine *e)
{
    if (e)
        iam_arena_destroy(e->arena);
}
