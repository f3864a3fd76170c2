/* scenario.c - load scenario files (scenario-format.md sections 2-4, 8)
 * with the located JSON parser, decoding each embedded policy with the type
 * its position fixes. Every error carries the span of the offending value. */
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "engine/internal.h"

typedef struct sctx {
    unsigned flags;
    iam_arena *a;
    iam_strtab *names;
    iam_diags *d;
    bool bad;
} sctx;

static void err(sctx *c, iam_span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void err(sctx *c, iam_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag_vadd(c->d, IAM_R_SCENARIO_INVALID, at, fmt, ap);
    va_end(ap);
    c->bad = true;
}

static const char *want_string(sctx *c, const iam_json *obj, const char *key, bool required)
{
    const iam_json_member *m = iam_json_get(obj, key);
    if (!m) {
        if (required)
            err(c, obj->span, "missing required member '%s'", key);
        return NULL;
    }
    if (m->value->kind != IAM_JSON_STRING || memchr(m->value->u.str.s, 0, m->value->u.str.len)) {
        err(c, m->value->span, "'%s' must be a string", key);
        return NULL;
    }
    return m->value->u.str.s;
}

static void decode_context(sctx *c, const iam_json *obj, iam_request *out)
{
    if (obj->kind != IAM_JSON_OBJECT) {
        err(c, obj->span, "'%s' must be an object", "context");
        return;
    }
    iam_ctx_entry *v = iam_arena_alloc(c->a, (obj->u.obj.n + 1) * sizeof *v);
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const iam_json_member *m = &obj->u.obj.v[i];
        iam_ctx_entry *e = &v[i];
        e->key = m->key;
        const iam_json *val = m->value;
        if (val->kind == IAM_JSON_STRING) {
            const char **one = iam_arena_alloc(c->a, sizeof *one);
            one[0] = val->u.str.s;
            e->values = one;
            e->nvalues = 1;
            continue;
        }
        if (val->kind != IAM_JSON_ARRAY) {
            err(c, val->span, "context value of '%s' must be a string or an array of strings",
                m->key);
            continue;
        }
        const char **vs = iam_arena_alloc(c->a, (val->u.arr.n + 1) * sizeof *vs);
        for (size_t j = 0; j < val->u.arr.n; j++) {
            const iam_json *s = val->u.arr.v[j];
            if (s->kind != IAM_JSON_STRING)
                err(c, s->span, "context value of '%s' must be a string or an array of strings",
                    m->key);
            else
                vs[j] = s->u.str.s;
        }
        e->values = vs;
        e->nvalues = val->u.arr.n;
        e->multi = true;
    }
    out->context = v;
    out->ncontext = obj->u.obj.n;
}

static iam_status request_decode(sctx *c, const iam_json *obj, iam_request *out)
{
    memset(out, 0, sizeof *out);
    if (obj->kind != IAM_JSON_OBJECT) {
        err(c, obj->span, "'%s' must be an object", "request");
        return IAM_ERR_SYNTAX;
    }
    out->principal = want_string(c, obj, "principal", true);
    out->action = want_string(c, obj, "action", true);
    out->resource = want_string(c, obj, "resource", true);
    out->resource_account = want_string(c, obj, "resourceAccount", false);
    const iam_json_member *ctx = iam_json_get(obj, "context");
    if (ctx)
        decode_context(c, ctx->value, out);
    if (c->bad)
        return IAM_ERR_SYNTAX;
    const char *why;
    if (!iam_request_check(out, &why)) {
        err(c, obj->span, "invalid request: %s", why);
        return IAM_ERR_SYNTAX;
    }
    iam_caller k;
    iam_caller_parse(out->principal, &k);
    if (k.kind == IAM_CALLER_ROOT) {
        err(c, iam_json_get(obj, "principal")->value->span,
            "the account root user is not a supported request principal%s", "");
        return IAM_ERR_SYNTAX;
    }
    return IAM_OK;
}

iam_status iam_scenario_request_decode(iam_arena *a, const iam_json *obj, iam_diags *d,
                                       iam_request *out)
{
    sctx c = {0, a, NULL, d, false};
    return request_decode(&c, obj, out);
}

/* Section 4: Principal/NotPrincipal only in resource policies and RCPs; RCP
 * statements Deny + Principal "*" + Action (not bare "*"). */
static void check_placement(sctx *c, const iam_policy *p)
{
    for (size_t i = 0; i < p->nstmts; i++) {
        const iam_statement *s = &p->stmts[i];
        bool prin_ok = p->type == IAM_PT_RESOURCE || p->type == IAM_PT_TRUST
            || p->type == IAM_PT_RCP;
        if (s->principal.present && !prin_ok)
            err(c, s->principal.span, "%s is not allowed in this policy",
                s->not_principal ? "NotPrincipal" : "Principal");
        if (p->type != IAM_PT_RCP)
            continue;
        bool bare = s->has_action && s->nactions == 1 && strcmp(s->actions[0].text, "*") == 0;
        if (s->effect != IAM_EFFECT_DENY || !s->principal.present || s->not_principal
            || !s->principal.any || s->not_action || !s->has_action || bare)
            err(c, s->span, "RCP statements must be Deny with Principal \"*\" and an Action "
                            "other than \"*\"%s", "");
    }
}

const iam_policy *iam_scenario_policy_decode(iam_arena *a, iam_strtab *names,
                                             const iam_json *doc, iam_policy_type type,
                                             iam_diags *d)
{
    sctx c = {0, a, names, d, false};
    if (doc->kind != IAM_JSON_OBJECT) {
        err(&c, doc->span, "a policy must be a JSON object%s", "");
        return NULL;
    }
    iam_diags local;
    iam_diags_init(&local);
    iam_decode_opts o = {type, IAM_TO_CONTEXT};
    /* Decoding only: type-specific validation (iam_policy_validate) is
     * stricter than scenario-format section 4 (it rejects Allow with
     * NotPrincipal, statements without Resource, ...), which the simulator
     * must evaluate; check_placement enforces what section 4 forbids.
     * Only errors stop evaluation; warnings are the analyzer's business. */
    iam_policy *p = iam_policy_decode(a, names, doc, &o, &local);
    for (size_t i = 0; i < local.n; i++)
        if (local.v[i].sev == IAM_SEV_ERROR) {
            iam_diags one = local;
            one.v = &local.v[i];
            one.n = 1;
            iam_diags_merge(d, &one);
            c.bad = true;
        }
    iam_diags_fini(&local);
    if (p)
        check_placement(&c, p);
    return c.bad || !p ? NULL : p;
}

static const iam_policy *one_policy(sctx *c, const iam_json *root, const char *key,
                                    iam_policy_type t)
{
    const iam_json_member *m = iam_json_get(root, key);
    if (!m)
        return NULL;
    const iam_policy *p = iam_scenario_policy_decode(c->a, c->names, m->value, t, c->d);
    if (!p)
        c->bad = true;
    return p;
}

static bool is_trust_action(const char *a)
{
    return a && strncasecmp(a, "sts:AssumeRole", 14) == 0;
}


static void org_levels(sctx *c, const iam_json *root, const char *key, iam_policy_type t,
                       const iam_org_level **out, size_t *n, bool *has)
{
    const iam_json_member *m = iam_json_get(root, key);
    *has = m != NULL;
    if (!m)
        return;
    const iam_json *v = m->value;
    if (v->kind != IAM_JSON_ARRAY) {
        err(c, v->span, "'%s' must be an array of arrays of policies", key);
        return;
    }
    iam_org_level *lv = iam_arena_alloc(c->a, (v->u.arr.n + 1) * sizeof *lv);
    for (size_t l = 0; l < v->u.arr.n; l++) {
        const iam_json *level = v->u.arr.v[l];
        if (level->kind != IAM_JSON_ARRAY) {
            err(c, level->span, "'%s' must be an array of arrays of policies", key);
            continue;
        }
        const iam_policy **ps = iam_arena_alloc(c->a, (level->u.arr.n + 1) * sizeof *ps);
        for (size_t i = 0; i < level->u.arr.n; i++)
            if (!(ps[i] = iam_scenario_policy_decode(c->a, c->names, level->u.arr.v[i], t, c->d)))
                c->bad = true;
        lv[l].v = ps;
        lv[l].n = level->u.arr.n;
    }
    *out = lv;
    *n = v->u.arr.n;
}

static void identity_policies(sctx *c, const iam_json *root, iam_policy_set *set)
{
    const iam_json_member *m = iam_json_get(root, "identityPolicies");
    if (!m)
        return;
    if (m->value->kind != IAM_JSON_ARRAY) {
        err(c, m->value->span, "'%s' must be an array of policies", "identityPolicies");
        return;
    }
    size_t n = m->value->u.arr.n;
    const iam_policy **v = iam_arena_alloc(c->a, (n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        if (!(v[i] = iam_scenario_policy_decode(c->a, c->names, m->value->u.arr.v[i],
                                                IAM_PT_IDENTITY, c->d)))
            c->bad = true;
    set->identity = v;
    set->nidentity = n;
}

/* Section 3.1 / 8: which policies a caller kind may carry. */
static void check_kinds(sctx *c, const iam_json *root, const iam_scenario *s)
{
    iam_caller k;
    if (!s->req.principal || !iam_caller_parse(s->req.principal, &k))
        return;
    bool no_identity = k.kind == IAM_CALLER_ANONYMOUS || k.kind == IAM_CALLER_SERVICE;
    static const char *const ident_keys[] = {"identityPolicies", "permissionBoundary",
                                             "sessionPolicy", "scps"};
    for (size_t i = 0; no_identity && i < 4; i++) {
        const iam_json_member *m = iam_json_get(root, ident_keys[i]);
        if (m && !(m->value->kind == IAM_JSON_ARRAY && m->value->u.arr.n == 0))
            err(c, m->key_span, "'%s' is not allowed for anonymous or service principals",
                ident_keys[i]);
    }
    const iam_json_member *sp = iam_json_get(root, "sessionPolicy");
    if (sp && k.kind == IAM_CALLER_USER)
        err(c, sp->key_span, "'%s' is only allowed for session principals", "sessionPolicy");
}

static iam_status decode_root(sctx *c, const iam_json *root, iam_scenario *s)
{
    if (root->kind != IAM_JSON_OBJECT) {
        err(c, root->span, "a scenario must be a JSON object%s", "");
        return IAM_ERR_SYNTAX;
    }
    bool only = c->flags & IAM_SCENARIO_POLICIES_ONLY;
    s->name = want_string(c, root, "name", !only);
    const iam_json_member *rq = iam_json_get(root, "request");
    if (!rq && !only) {
        err(c, root->span, "missing required member '%s'", "request");
        return IAM_ERR_SYNTAX;
    }
    if (rq && request_decode(c, rq->value, &s->req) != IAM_OK)
        return IAM_ERR_SYNTAX;
    identity_policies(c, root, &s->set);
    s->set.boundary = one_policy(c, root, "permissionBoundary", IAM_PT_BOUNDARY);
    s->set.session = one_policy(c, root, "sessionPolicy", IAM_PT_SESSION);
    s->set.resource = one_policy(c, root, "resourcePolicy",
                                 is_trust_action(s->req.action) ? IAM_PT_TRUST : IAM_PT_RESOURCE);
    org_levels(c, root, "scps", IAM_PT_SCP, &s->set.scps, &s->set.nscps, &s->set.has_scps);
    org_levels(c, root, "rcps", IAM_PT_RCP, &s->set.rcps, &s->set.nrcps, &s->set.has_rcps);
    check_kinds(c, root, s);
    s->expect = -1;
    const char *ex = want_string(c, root, "expect", false);
    if (ex && (s->expect = iam_decision_by_name(ex)) < 0)
        err(c, iam_json_get(root, "expect")->value->span,
            "expect must be allow, explicit-deny or implicit-deny, not '%s'", ex);
    return c->bad ? IAM_ERR_SYNTAX : IAM_OK;
}

iam_status iam_scenario_from_source(iam_source *src, unsigned flags, iam_diags *d,
                                    iam_scenario **out)
{
    *out = NULL;
    iam_arena *a = iam_arena_new();
    iam_scenario *s = iam_arena_alloc(a, sizeof *s);
    s->arena = a;
    s->src = src;
    s->names = iam_intern_new();
    s->path = src->path;
    iam_json *root;
    iam_status st = iam_json_parse(a, src, NULL, d, &root);
    if (st == IAM_OK) {
        sctx c = {flags, a, s->names, d, false};
        st = decode_root(&c, root, s);
    }
    /* Even on error the scenario is handed out: the diagnostics' spans
     * point into its source, which must live until they are printed. */
    *out = s;
    return st;
}

iam_status iam_scenario_load(const char *path, unsigned flags, iam_diags *d, iam_scenario **out)
{
    *out = NULL;
    const char *why;
    iam_source *src = iam_source_read(path, 64u << 20, &why);
    if (!src) {
        iam_span none = {0};
        iam_diag_add(d, IAM_R_INPUT_ERROR, none, "cannot read '%s': %s", path, why);
        return IAM_ERR_IO;
    }
    return iam_scenario_from_source(src, flags, d, out);
}

void iam_scenario_free(iam_scenario *s)
{
    if (!s)
        return;
    iam_source *src = s->src;
    iam_intern_free(s->names);
    iam_arena_destroy(s->arena);
    iam_source_free(src);
}
