/* eval.c - the decision procedure (iam-semantics 3, scenario-format 6).
 *
 * Every layer is evaluated statement by statement into an aggregate (any
 * deny, which layers allow, the grant classes of the resource policy, each
 * SCP level); the decision is then a pure function of the aggregate, so it
 * does not depend on evaluation order. Without a trace the loop skips Allow
 * statements of layers already known to allow and stops at the first deny. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/internal.h"

const char *iam_decision_name(iam_decision d)
{
    switch (d) {
    case IAM_DECISION_ALLOW: return "allow";
    case IAM_DECISION_EXPLICIT_DENY: return "explicit-deny";
    default: return "implicit-deny";
    }
}

int iam_decision_by_name(const char *s)
{
    for (int d = 0; d < 3; d++)
        if (strcmp(s, iam_decision_name((iam_decision)d)) == 0)
            return d;
    return -1;
}

const char *iam_path_name(iam_path p)
{
    static const char *const n[] = {"none", "identity", "resource", "identity+resource",
                                    "unconditional"};
    return n[p];
}

const char *iam_layer_name(iam_layer l)
{
    static const char *const n[] = {"rcps", "scps", "resourcePolicy", "identityPolicies",
                                    "permissionBoundary", "sessionPolicy", "vpcEndpointPolicy"};
    return n[l];
}

void iam_trace_init(iam_trace *t)
{
    memset(t, 0, sizeof *t);
}

void iam_trace_fini(iam_trace *t)
{
    free(t->v);
    iam_trace_init(t);
}

const iam_ctx_entry *ctx_find(const evctx *x, const char *folded, size_t flen)
{
    for (size_t i = 0; i < x->r->ncontext; i++) {
        const char *k = x->r->context[i].key;
        if (strncasecmp(k, folded, flen) == 0 && k[flen] == 0)
            return &x->r->context[i];
    }
    return NULL;
}

static bool check_request(const iam_request *r, iam_caller *c, const char **why)
{
    if (!r->principal || !r->action || !r->resource)
        return *why = "principal, action and resource are required", false;
    if (!iam_caller_parse(r->principal, c))
        return *why = "the principal is not a user, role, session, service or anonymous", false;
    if (strpbrk(r->action, "*?") || !strchr(r->action, ':'))
        return *why = "the action must be service:Operation without wildcards", false;
    if (!c->account[0] && !r->resource_account) {
        arnf a;
        arn_split(r->resource, strlen(r->resource), &a);
        bool acct = a.ok && a.len[4] == 12;
        for (size_t i = 0; acct && i < 12; i++)
            acct = a.f[4][i] >= '0' && a.f[4][i] <= '9';
        if (!acct)
            return *why = "the resource account cannot be determined (set resourceAccount)", false;
    }
    return true;
}

bool iam_request_check(const iam_request *r, const char **why)
{
    iam_caller c;
    return check_request(r, &c, why);
}

/* ==== one statement ======================================================= */

typedef struct sres {
    bool applies;
    iam_miss miss;
    iam_grant_class grant;
    const ccond *fc;
    const ckey *fk;
} sres;

static bool is_iam(const iam_caller *c)
{
    return c->kind != IAM_CALLER_ANONYMOUS && c->kind != IAM_CALLER_SERVICE
        && c->kind != IAM_CALLER_INVALID;
}

/* Principal / NotPrincipal of a resource-policy or RCP statement. */
static iam_grant_class principal_match(const evctx *x, const cstmt *s, iam_layer layer)
{
    if (!s->has_prin)
        return IAM_GRANT_NONE;
    unsigned seen = 0;
    if (s->prin_any)
        seen = 0xe;
    for (size_t i = 0; i < s->nprin; i++)
        seen |= 1u << prin_class(&s->prin[i], x->c);
    seen &= ~1u;
    if (!s->not_prin) {
        for (int cl = IAM_GRANT_DIRECT; cl > IAM_GRANT_NONE; cl--)
            if (seen & (1u << cl))
                return (iam_grant_class)cl;
        return IAM_GRANT_NONE;
    }
    /* Deny + NotPrincipal always hits a caller with a boundary (AWS docs). */
    if (layer == IAM_LAYER_RESOURCE && s->effect == IAM_EFFECT_DENY && x->has_pb)
        return IAM_GRANT_DIRECT;
    bool exempt;
    if (x->e->flags & IAM_ENGINE_NOTPRINCIPAL_STRICT) {
        bool own = seen & (1u << IAM_GRANT_DIRECT), ent = seen & (1u << IAM_GRANT_ENTITY);
        bool acct = seen & (1u << IAM_GRANT_ACCOUNT) || s->prin_any;
        switch (x->c->kind) {
        case IAM_CALLER_USER: case IAM_CALLER_FEDERATED_USER: exempt = own && acct; break;
        case IAM_CALLER_ROLE: exempt = ent && acct; break;
        case IAM_CALLER_ASSUMED_ROLE: exempt = own && ent && acct; break;
        case IAM_CALLER_ROOT: exempt = acct; break;
        default: exempt = own; break;
        }
    } else {
        exempt = seen != 0;
    }
    return exempt ? IAM_GRANT_NONE : IAM_GRANT_DIRECT;
}

static bool actions_match(const evctx *x, const cstmt *s)
{
    if (s->nacts == 0)
        return false; /* empty Action/NotAction: the statement never applies */
    bool m = false;
    for (size_t i = 0; i < s->nacts && !m; i++)
        m = act_match(&s->acts[i], x);
    return s->not_action ? !m : m;
}

static bool resources_match(const evctx *x, const cstmt *s)
{
    if (!s->has_res)
        return true;
    if (s->nres == 0)
        return false;
    bool m = false, unresolved = false;
    for (size_t i = 0; i < s->nres && !m; i++) {
        int r = res_match(&s->res[i], x);
        m = r == 1;
        unresolved |= r < 0;
    }
    if (!s->not_res)
        return m;
    /* NotResource with an unresolvable variable: the statement does not
     * apply (scenario-format 5.5), or the entry excludes nothing (vars-null). */
    if (unresolved && !m && !(x->e->flags & IAM_ENGINE_VARS_NULL))
        return false;
    return !m;
}

static void stmt_eval(const evctx *x, iam_layer layer, const cstmt *s, sres *o)
{
    memset(o, 0, sizeof *o);
    if (!actions_match(x, s)) {
        o->miss = IAM_MISS_ACTION;
        return;
    }
    if (!resources_match(x, s)) {
        o->miss = IAM_MISS_RESOURCE;
        return;
    }
    if (layer == IAM_LAYER_RESOURCE || layer == IAM_LAYER_RCP || layer == IAM_LAYER_VPCE) {
        o->grant = principal_match(x, s, layer);
        if (o->grant == IAM_GRANT_NONE) {
            o->miss = IAM_MISS_PRINCIPAL;
            return;
        }
    }
    if (!conds_hold(x, s->conds, s->nconds, &o->fc, &o->fk)) {
        o->miss = IAM_MISS_CONDITION;
        o->grant = IAM_GRANT_NONE;
        return;
    }
    o->applies = true;
}

/* ==== layers ============================================================== */

typedef struct agg {
    bool deny;
    bool id_allow, pb_allow, sp_allow;
    unsigned rp;           /* bit per iam_grant_class */
    bool scp_ok;
    bool vpce_ok;          /* no endpoint policy in play, or it allows */
} agg;

static void record(iam_trace *t, iam_layer layer, size_t level, size_t pi, const cstmt *s,
                   const sres *o, const evctx *x)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->v = iam_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    iam_stmt_result *r = &t->v[t->n++];
    memset(r, 0, sizeof *r);
    r->layer = layer;
    r->level = (uint32_t)level;
    r->policy = (uint32_t)pi;
    r->stmt = s->index;
    r->src = s->src;
    r->effect = s->effect;
    r->applies = o->applies;
    r->miss = o->miss;
    r->grant = o->grant;
    if (o->miss == IAM_MISS_CONDITION && o->fc) {
        r->cond = o->fc->src;
        r->key = o->fk ? o->fk->src : NULL;
        const iam_ctx_entry *e = o->fk ? ctx_find(x, o->fk->folded, o->fk->flen) : NULL;
        if (e) {
            r->value_multi = e->multi;
            r->value = e->nvalues ? e->values[0] : "";
        }
    }
}

/* Evaluate one policy; *allow is set when an Allow applies. Returns false to
 * stop (an explicit deny without a trace). */
static bool run_policy(const evctx *x, iam_trace *t, iam_layer layer, size_t level, size_t pi,
                       const cpolicy *p, bool *allow, agg *g)
{
    for (size_t i = 0; i < p->n; i++) {
        const cstmt *s = &p->v[i];
        if (!t && s->effect == IAM_EFFECT_ALLOW && *allow
            && layer != IAM_LAYER_RESOURCE)
            continue;
        sres o;
        stmt_eval(x, layer, s, &o);
        if (t)
            record(t, layer, level, pi, s, &o, x);
        if (!o.applies)
            continue;
        if (s->effect == IAM_EFFECT_DENY) {
            g->deny = true;
            if (!t)
                return false;
        } else if (s->effect == IAM_EFFECT_ALLOW) {
            *allow = true;
            if (layer == IAM_LAYER_RESOURCE)
                g->rp |= 1u << o.grant;
        }
    }
    return true;
}

static void add_gate(iam_trace *t, iam_gate_kind k, size_t level, bool passed)
{
    if (t && t->ngates < sizeof t->gates / sizeof *t->gates)
        t->gates[t->ngates++] = (iam_gate){k, (uint32_t)level, passed};
}

/* Runs every layer in scope; false when stopped early by a deny. */
static bool run_layers(const evctx *x, iam_trace *t, bool scp_scope, bool rcp_scope, agg *g)
{
    const iam_engine *e = x->e;
    bool dummy = false;
    if (rcp_scope)
        for (size_t l = 0; l < e->nrcps; l++)
            for (size_t i = 0; i < e->rcps[l].n; i++)
                if (!run_policy(x, t, IAM_LAYER_RCP, l, i, &e->rcps[l].v[i], &dummy, g))
                    return false;
    g->scp_ok = true;
    if (scp_scope)
        for (size_t l = 0; l < e->nscps; l++) {
            bool ok = false;
            for (size_t i = 0; i < e->scps[l].n; i++)
                if (!run_policy(x, t, IAM_LAYER_SCP, l, i, &e->scps[l].v[i], &ok, g))
                    return false;
            g->scp_ok &= ok;
            add_gate(t, IAM_GATE_SCP_LEVEL, l, ok);
        }
    /* Through a VPC endpoint (aws:SourceVpce present) its policy must allow
     * too, and its denies deny (iam-semantics 3.3). */
    g->vpce_ok = true;
    if (e->vpce && ctx_find(x, "aws:sourcevpce", 14)) {
        bool ok = false;
        if (!run_policy(x, t, IAM_LAYER_VPCE, 0, 0, e->vpce, &ok, g))
            return false;
        g->vpce_ok = ok;
        add_gate(t, IAM_GATE_VPCE, 0, ok);
    }
    if (e->resource && !run_policy(x, t, IAM_LAYER_RESOURCE, 0, 0, e->resource, &dummy, g))
        return false;
    if (!is_iam(x->c))
        return true;
    for (size_t i = 0; i < e->nidentity; i++)
        if (!run_policy(x, t, IAM_LAYER_IDENTITY, 0, i, &e->identity[i], &g->id_allow, g))
            return false;
    if (e->boundary
        && !run_policy(x, t, IAM_LAYER_BOUNDARY, 0, 0, e->boundary, &g->pb_allow, g))
        return false;
    if (e->session && !run_policy(x, t, IAM_LAYER_SESSION, 0, 0, e->session, &g->sp_allow, g))
        return false;
    return true;
}

/* ==== the decision ======================================================== */

static bool is_12_digits(const char *s, size_t n)
{
    if (n != 12)
        return false;
    for (size_t i = 0; i < 12; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool needs_explicit_rbp(const evctx *x)
{
    if (x->action_ok && x->svclen == 3 && strncasecmp(x->svc, "sts", 3) == 0
        && x->oplen >= 10 && strncasecmp(x->op, "assumerole", 10) == 0)
        return true;
    return x->res.ok && x->res.len[2] == 3 && memcmp(x->res.f[2], "kms", 3) == 0
        && x->res.len[5] >= 4 && memcmp(x->res.f[5], "key/", 4) == 0;
}

static void prepare(evctx *x, const iam_engine *e, const iam_request *r, const iam_caller *c)
{
    memset(x, 0, sizeof *x);
    x->e = e;
    x->r = r;
    x->c = c;
    const char *colon = strchr(r->action, ':');
    x->action_ok = colon && colon != r->action && colon[1];
    if (x->action_ok) {
        x->svc = r->action;
        x->svclen = (size_t)(colon - r->action);
        x->op = colon + 1;
        x->oplen = strlen(x->op);
    }
    x->res_star = strcmp(r->resource, "*") == 0;
    if (!x->res_star)
        arn_split(r->resource, strlen(r->resource), &x->res);
    x->has_pb = e->boundary && is_iam(c);
}

static const char *resource_account(const evctx *x, char *buf)
{
    if (x->r->resource_account)
        return x->r->resource_account;
    if (x->res.ok && is_12_digits(x->res.f[4], x->res.len[4])) {
        memcpy(buf, x->res.f[4], 12);
        buf[12] = 0;
        return buf;
    }
    return x->c->account;
}

typedef struct scope {
    bool iam;              /* an IAM caller (not anonymous, not a service) */
    bool same;             /* caller account = resource account */
    bool scp, rcp;         /* SCPs / RCPs apply */
    bool rbp;              /* needs an explicit key/trust policy grant (6.7) */
} scope;

typedef struct grant {
    bool pb, sp;           /* boundary / session policy allow (or absent) */
    bool via_id, via_rp;   /* the identity path / the resource path grants */
} grant;

/* Scenario-format 6.3-6.7 over the aggregate of applicable statements. */
static grant decide_grant(const evctx *x, const agg *g, const scope *s)
{
    const iam_engine *e = x->e;
    grant r = {.pb = !e->boundary || g->pb_allow, .sp = !e->session || g->sp_allow};
    if (!e->session && x->c->kind == IAM_CALLER_FEDERATED_USER
        && (e->flags & IAM_ENGINE_FEDERATED_NEEDS_SESSION_POLICY))
        r.sp = false;
    bool id = x->c->kind == IAM_CALLER_ROOT || g->id_allow;
    bool id_path = s->iam && id && r.pb && r.sp;
    bool rp_any = g->rp != 0;
    bool direct = g->rp & (1u << IAM_GRANT_DIRECT);
    bool entity = g->rp & (1u << IAM_GRANT_ENTITY);
    if (!s->iam) {
        /* 6.6: anonymous callers need "*"; services need any applicable grant */
        r.via_rp = x->c->kind == IAM_CALLER_ANONYMOUS ? direct : rp_any;
    } else if (s->same) {
        /* 6.4: a grant naming the caller ignores identity/PB/session implicit
         * denies; one naming the role (or federating user) is clipped by PB
         * and session policy; 6.7 needs the key/trust policy for path 1. */
        r.via_rp = (direct && (r.sp || !(e->flags & IAM_ENGINE_SESSION_CLIPS_DIRECT)))
            || (entity && r.pb && r.sp);
        r.via_id = id_path && (!s->rbp || rp_any);
    } else {
        r.via_id = id_path && rp_any; /* 6.5: both sides */
    }
    return r;
}

static void trace_begin(iam_trace *t, const scope *s, const char *racct)
{
    t->same_account = s->same;
    t->scp_scope = s->scp;
    t->rcp_scope = s->rcp;
    t->needs_explicit_rbp = s->rbp;
    size_t n = strlen(racct);
    n = n < sizeof t->acct_buf - 1 ? n : sizeof t->acct_buf - 1;
    memcpy(t->acct_buf, racct, n);
    t->acct_buf[n] = 0;
    t->resource_account = t->acct_buf;
}

static void trace_end(iam_trace *t, const iam_engine *e, const scope *s, const agg *g,
                      const grant *r)
{
    if (e->boundary && s->iam)
        add_gate(t, IAM_GATE_BOUNDARY, 0, r->pb);
    if (e->session && s->iam)
        add_gate(t, IAM_GATE_SESSION, 0, r->sp);
    if (s->rbp && s->iam)
        add_gate(t, IAM_GATE_RP_ACCOUNT, 0, g->rp != 0);
    t->path = r->via_id && r->via_rp ? IAM_PATH_BOTH
        : r->via_id                  ? IAM_PATH_IDENTITY
        : r->via_rp                  ? IAM_PATH_RESOURCE
                                     : IAM_PATH_NONE;
}

iam_decision iam_engine_evaluate(const iam_engine *e, const iam_request *r, iam_trace *t)
{
    iam_caller local, *c = t ? &t->caller : &local;
    if (t) {
        t->n = t->ngates = 0;
        t->path = IAM_PATH_NONE;
        t->same_account = t->scp_scope = t->rcp_scope = t->needs_explicit_rbp = false;
        t->resource_account = "";
    }
    const char *why;
    if (!check_request(r, c, &why))
        return IAM_DECISION_IMPLICIT_DENY;
    evctx x;
    prepare(&x, e, r, c);
    char abuf[13];
    const char *racct = resource_account(&x, abuf);
    scope s = {.iam = is_iam(c)};
    s.same = s.iam && strcmp(racct, c->account) == 0;
    s.scp = e->has_scps && s.iam && !e->mgmt_caller && !c->service_linked
        && !r->service_linked_role;
    s.rcp = e->has_rcps && !e->mgmt_resource && !e->managed_key;
    s.rbp = needs_explicit_rbp(&x);
    if (t)
        trace_begin(t, &s, racct);
    /* sts:GetCallerIdentity needs no permission and cannot be denied. */
    if (s.iam && !(e->flags & IAM_ENGINE_NO_CALLER_IDENTITY_EXEMPTION)
        && strcasecmp(r->action, "sts:GetCallerIdentity") == 0) {
        if (t)
            t->path = IAM_PATH_UNCONDITIONAL;
        return IAM_DECISION_ALLOW;
    }
    agg g = {0};
    if (!run_layers(&x, t, s.scp, s.rcp, &g))
        return IAM_DECISION_EXPLICIT_DENY;
    grant gr = decide_grant(&x, &g, &s);
    if (t)
        trace_end(t, e, &s, &g, &gr);
    if (g.deny)
        return IAM_DECISION_EXPLICIT_DENY;
    if (!g.scp_ok || !g.vpce_ok)
        return IAM_DECISION_IMPLICIT_DENY;
    return gr.via_id || gr.via_rp ? IAM_DECISION_ALLOW : IAM_DECISION_IMPLICIT_DENY;
}

iam_decision iam_engine_evaluate_all(const iam_engine *e, const iam_request *r,
                                     const char *const *resources, size_t n,
                                     size_t *first_failing)
{
    iam_decision worst = n ? IAM_DECISION_ALLOW : IAM_DECISION_IMPLICIT_DENY;
    size_t at = n;
    for (size_t i = 0; i < n; i++) {
        iam_request one = *r;
        one.resource = resources[i];
        iam_decision d = iam_engine_evaluate(e, &one, NULL);
        if (d == IAM_DECISION_EXPLICIT_DENY) {
            worst = d;
            at = i;
            break;
        }
        if (d == IAM_DECISION_IMPLICIT_DENY && worst == IAM_DECISION_ALLOW) {
            worst = d;
            at = i;
        }
    }
    if (first_failing)
        *first_failing = at;
    return worst;
}

/* ==== single-statement helpers ============================================ */

bool iam_engine_action_match(const char *pattern, const char *action)
{
    iam_arena *a = iam_arena_new();
    cact c;
    act_compile(a, pattern, &c);
    iam_request r = {.principal = "*", .action = action, .resource = "*"};
    iam_caller caller = {0};
    evctx x;
    iam_engine e = {0};
    prepare(&x, &e, &r, &caller);
    bool m = act_match(&c, &x);
    iam_arena_destroy(a);
    return m;
}

bool iam_engine_resource_match(const char *pattern, const char *arn)
{
    iam_arena *a = iam_arena_new();
    cres c;
    res_compile(a, pattern, strlen(pattern), IAM_PT_IDENTITY, false, 0, &c);
    iam_request r = {.principal = "*", .action = "x:y", .resource = arn};
    iam_caller caller = {0};
    evctx x;
    iam_engine e = {0};
    prepare(&x, &e, &r, &caller);
    bool m = res_match(&c, &x) == 1;
    iam_arena_destroy(a);
    return m;
}
