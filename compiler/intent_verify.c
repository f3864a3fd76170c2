/* intent_verify.c - checking a compiled policy before it is accepted:
 * the documents, decoded again, must grant exactly the intended catalog
 * action set per (principal, effect, condition set, resource), and every
 * `assert` must hold when the engine evaluates it (docs/intent-language.md
 * sections 3.6 and 5). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compiler/compile_internal.h"
#include "core/strbuf.h"
#include "engine/engine.h"

/* -- decoding compiled documents ---------------------------------------- */

/* Decode one output document of the unit (which owns its source). The
 * decoder's findings stay private: their spans would name a file the user
 * never sees. *why (may be NULL) gets the first error when it fails. */
const iam_policy *ix_decode_text(iam_compile_unit *u, const char *name, const char *text, size_t len,
                                 iam_policy_type t, const char **why)
{
    iam_source *src = iam_source_from_mem(name, text, len);
    ix_own_source(u, src);
    iam_diags pd;
    iam_diags_init(&pd);
    iam_json *root = NULL;
    iam_policy *pol = NULL;
    if (iam_json_parse(u->arena, src, NULL, &pd, &root) == IAM_OK) {
        iam_decode_opts o = {t, IAM_TO_CONTEXT};
        pol = iam_policy_decode(u->arena, u->names, root, &o, &pd);
    }
    if (!pol || !pol->ok) {
        pol = NULL;
        if (why)
            *why = pd.n ? iam_arena_strdup(u->arena, pd.v[0].msg) : "unknown reason";
    }
    iam_diags_fini(&pd);
    return pol;
}

/* -- verification: catalog set comparison ------------------------------- */

typedef struct vent {
    const char *key;        /* principal + conditions + resource */
    iam_actionset *set;
} vent;

typedef struct vmap {
    vent *v;
    size_t n;
} vmap;

static iam_actionset *vmap_get(iam_compile_unit *u, vmap *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].key, key) == 0)
            return m->v[i].set;
    m->v = iam_arena_grow(u->arena, m->v, m->n, m->n + 1, sizeof *m->v);
    m->v[m->n].key = key;
    m->v[m->n].set = iam_actionset_new(u->arena, u->cat);
    return m->v[m->n++].set;
}

static int pstr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *principal_key(iam_compile_unit *u, const char **v, size_t n, bool any)
{
    if (any)
        return "*";
    if (n > 1)
        qsort(v, n, sizeof *v, pstr_cmp);
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_add(&b, "", 0);
    for (size_t i = 0; i < n; i++)
        iam_sb_printf(&b, "%s\x1e", v[i]);
    char *r = iam_arena_strdup(u->arena, b.s);
    iam_sb_free(&b);
    return r;
}

static const char *intended_principal(iam_compile_unit *u, const ix_policy *p)
{
    iam_ix_target t = p->item->target;
    if (t == IAM_IXT_RCP)
        return "*";
    if (t != IAM_IXT_RESOURCE)
        return "";
    const char **v = iam_arena_alloc(u->arena, (p->naws + p->nsvc + 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < p->naws; i++)
        v[n++] = iam_arena_printf(u->arena, "AWS=%s", p->aws[i]);
    for (size_t i = 0; i < p->nsvc; i++)
        v[n++] = iam_arena_printf(u->arena, "Service=%s", p->svc[i]);
    return principal_key(u, v, n, p->any_principal);
}

static const char *ir_principal(iam_compile_unit *u, const iam_statement *st)
{
    if (!st->principal.present)
        return "";
    const char **v = iam_arena_alloc(u->arena, (st->principal.n + 1) * sizeof *v);
    for (size_t i = 0; i < st->principal.n; i++) {
        const iam_principal_entry *e = &st->principal.v[i];
        v[i] = iam_arena_printf(u->arena, "%s=%s", e->kind == IAM_PK_SERVICE ? "Service" : "AWS", e->text);
    }
    return principal_key(u, v, st->principal.n, st->principal.any);
}

static const char *ir_ckey(iam_compile_unit *u, const iam_statement *st)
{
    size_t n = 0;
    for (size_t i = 0; i < st->nconds; i++)
        n += st->conds[i].nkeys;
    ix_cond *c = iam_arena_alloc(u->arena, (n + 1) * sizeof *c);
    size_t k = 0;
    for (size_t i = 0; i < st->nconds; i++) {
        for (size_t j = 0; j < st->conds[i].nkeys; j++) {
            const iam_cond_key *ck = &st->conds[i].keys[j];
            c[k].op = st->conds[i].text;
            c[k].key = ck->text;
            c[k].vals = iam_arena_alloc(u->arena, (ck->values.n + 1) * sizeof *c[k].vals);
            for (size_t m = 0; m < ck->values.n; m++)
                c[k].vals[m] = ck->values.v[m].s;
            c[k].nvals = ck->values.n;
            k++;
        }
    }
    ix_policy tmp = {0};
    return ix_group_get(u, &tmp, st->effect, c, n)->ckey;
}

static void describe(iam_compile_unit *u, const iam_actionset *a, const iam_actionset *b, char *buf, size_t cap)
{
    iam_actionset *x = iam_actionset_copy(u->arena, a);
    iam_actionset_subtract(x, b);
    uint32_t id = iam_actionset_next(x, 0);
    if (id == IAM_CATALOG_NONE) {
        buf[0] = '\0';
        return;
    }
    iam_catalog_action_fullname(u->cat, id, buf, cap);
}

bool ix_verify(iam_compile_unit *u, const ix_policy *p, const iam_policy *const *docs, size_t n, iam_diags *d)
{
    vmap want = {0}, got = {0};
    const char *pk = intended_principal(u, p);
    for (size_t gi = 0; gi < p->ngroups; gi++)
        for (size_t r = 0; r < p->groups[gi].nres; r++) {
            const char *k = iam_arena_printf(u->arena, "%s\x1c%s\x1c%s", pk, p->groups[gi].ckey, p->groups[gi].res[r]);
            iam_actionset_union(vmap_get(u, &want, k), p->groups[gi].sets[r]);
        }
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < docs[i]->nstmts; s++) {
            const iam_statement *st = &docs[i]->stmts[s];
            iam_actionset *acts = iam_actionset_new(u->arena, u->cat);
            for (size_t a = 0; a < st->nactions; a++)
                iam_catalog_expand(u->cat, acts, st->actions[a].text, strlen(st->actions[a].text));
            if (st->not_action)
                iam_actionset_complement(acts);
            const char *ppk = ir_principal(u, st), *ck = ir_ckey(u, st);
            for (size_t r = 0; r < st->resources.n; r++) {
                const char *k = iam_arena_printf(u->arena, "%s\x1c%s\x1c%s", ppk, ck, st->resources.v[r].s);
                iam_actionset_union(vmap_get(u, &got, k), acts);
            }
        }
    for (int pass = 0; pass < 2; pass++) {
        vmap *x = pass ? &got : &want;
        for (size_t i = 0; i < x->n; i++) {
            const char *key = x->v[i].key;
            iam_actionset *w = vmap_get(u, &want, key), *g = vmap_get(u, &got, key);
            if (iam_actionset_equal(w, g))
                continue;
            char lacks[256], extra[256];
            describe(u, w, g, lacks, sizeof lacks);
            describe(u, g, w, extra, sizeof extra);
            const char *res = strrchr(key, '\x1c') + 1;
            iam_diag_add(d, IAM_R_INTENT_VERIFY, p->item->name.span,
                         "verification failed for policy '%s' on '%s': the output %s %s%s", p->name, res,
                         lacks[0] ? "lacks" : "grants", lacks[0] ? lacks : extra, lacks[0] ? "" : " beyond the intent");
            return false;
        }
    }
    return true;
}

/* -- asserts with the engine -------------------------------------------- */

static const iam_policy *allow_all(iam_compile_unit *u, iam_policy_type t)
{
    static const char text[] =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    return ix_decode_text(u, "<allow-all>", text, sizeof text - 1, t, NULL);
}

static const char *arn_account(iam_compile_unit *u, const char *arn)
{
    const char *p = arn;
    for (int i = 0; i < 4 && p; i++) {
        p = strchr(p, ':');
        p = p ? p + 1 : NULL;
    }
    const char *q = p ? strchr(p, ':') : NULL;
    if (!q || q - p != 12 || strspn(p, "0123456789") != 12)
        return NULL;
    return iam_arena_strndup(u->arena, p, 12);
}

static const char *const *one_str(iam_compile_unit *u, const char *s)
{
    const char **v = iam_arena_alloc(u->arena, sizeof *v);
    v[0] = s;
    return v;
}

static const char *default_caller(iam_compile_unit *u, const ix_policy *p, const char *acct)
{
    if (p->item->target == IAM_IXT_RESOURCE) {
        for (size_t i = 0; i < p->naws; i++) {
            iam_caller c;
            if (!strpbrk(p->aws[i], "*?") && iam_caller_parse(p->aws[i], &c) &&
                c.kind != IAM_CALLER_ROOT && c.kind != IAM_CALLER_INVALID)
                return p->aws[i];
        }
        if (p->nsvc)
            return p->svc[0];
    }
    return iam_arena_printf(u->arena, "arn:aws:iam::%s:%s/iampc-assert", acct,
                            p->item->target == IAM_IXT_USER ? "user" : "role");
}

/* The policy set an assert is evaluated against (intent-language.md 3.6).
 * lvl and all_id are the caller's storage, which the set points to. */
static void assert_set(iam_compile_unit *u, const ix_policy *p, const iam_policy *const *docs, size_t n,
                       iam_policy_set *set, iam_org_level *lvl, const iam_policy **all_id)
{
    iam_ix_target t = p->item->target;
    if (t != IAM_IXT_ROLE && t != IAM_IXT_USER && t != IAM_IXT_RESOURCE) {
        *all_id = allow_all(u, IAM_PT_IDENTITY);
        set->identity = all_id, set->nidentity = 1;
    }
    switch (t) {
    case IAM_IXT_ROLE:
    case IAM_IXT_USER:
        set->identity = docs, set->nidentity = n;
        break;
    case IAM_IXT_BOUNDARY:
        set->boundary = docs[0];
        break;
    case IAM_IXT_SCP: {
        /* A deny-list guardrail sits next to FullAWSAccess, as AWS
         * attaches it; an SCP that allows is an allow list and stands
         * alone (FullAWSAccess would make its Allows meaningless). */
        bool allows = false;
        for (size_t g = 0; g < p->ngroups; g++)
            allows |= p->groups[g].effect == IAM_EFFECT_ALLOW;
        const iam_policy **v = iam_arena_alloc(u->arena, (n + 1) * sizeof *v);
        if (n)
            memcpy(v, docs, n * sizeof *v);
        if (!allows)
            v[n] = allow_all(u, IAM_PT_SCP);
        lvl->v = v, lvl->n = n + !allows;
        set->scps = lvl, set->nscps = 1, set->has_scps = true;
        break;
    }
    case IAM_IXT_RCP:
        lvl->v = docs, lvl->n = n;
        set->rcps = lvl, set->nrcps = 1, set->has_rcps = true;
        break;
    case IAM_IXT_RESOURCE:
        set->resource = docs[0];
        break;
    }
}

/* The request of an assert: `with` entries, then the caller's
 * aws:PrincipalArn and aws:PrincipalAccount, which AWS always sets,
 * unless `with` gives them. */
static void assert_request(iam_compile_unit *u, const ix_policy *p, const ix_assert *a, iam_request *rq)
{
    const char *acct = arn_account(u, a->resource);
    if (!acct)
        acct = "111122223333";
    iam_ctx_entry *ctx = iam_arena_alloc(u->arena, (a->nctx + 3) * sizeof *ctx);
    size_t nctx = 0;
    for (size_t k = 0; k < a->nctx; k++) {
        ctx[nctx].key = a->keys[k];
        ctx[nctx].values = &a->vals[k];
        ctx[nctx++].nvalues = 1;
    }
    const char *who = a->principal ? a->principal : default_caller(u, p, acct);
    iam_caller c;
    if (iam_caller_parse(who, &c)) {
        bool arn = c.kind == IAM_CALLER_USER || c.kind == IAM_CALLER_ROLE || c.kind == IAM_CALLER_ROOT ||
                   c.kind == IAM_CALLER_FEDERATED_USER;
        const char *keys[2] = {"aws:PrincipalArn", "aws:PrincipalAccount"};
        const char *vals[2] = {arn ? who : NULL, c.account[0] ? iam_arena_strdup(u->arena, c.account) : NULL};
        for (int k = 0; k < 2; k++) {
            bool given = false;
            for (size_t j = 0; j < a->nctx; j++)
                given |= strcasecmp(a->keys[j], keys[k]) == 0;
            if (!vals[k] || given)
                continue;
            ctx[nctx].key = keys[k];
            ctx[nctx].values = one_str(u, vals[k]);
            ctx[nctx++].nvalues = 1;
        }
    }
    *rq = (iam_request){.principal = who, .action = a->action, .resource = a->resource,
                        .resource_account = acct, .context = ctx, .ncontext = nctx};
}

bool ix_run_asserts(iam_compile_unit *u, const ix_policy *p, const iam_policy *const *docs, size_t n,
                    iam_diags *d)
{
    if (p->nasserts == 0)
        return true;
    iam_policy_set set = {0};
    iam_org_level lvl = {0};
    const iam_policy *all_id = NULL;
    assert_set(u, p, docs, n, &set, &lvl, &all_id);
    iam_engine *e = iam_engine_compile(&set, NULL);
    bool ok = true;
    for (size_t i = 0; i < p->nasserts; i++) {
        const ix_assert *a = &p->asserts[i];
        iam_request rq;
        assert_request(u, p, a, &rq);
        const char *why = NULL;
        if (!iam_request_check(&rq, &why)) {
            iam_diag_add(d, IAM_R_INTENT_ASSERT, a->st->span, "cannot evaluate this assert: %s", why);
            ok = false;
            continue;
        }
        iam_decision dec = iam_engine_evaluate(e, &rq, NULL);
        if ((dec == IAM_DECISION_ALLOW) == a->allows)
            continue;
        iam_diag *g = iam_diag_add(d, IAM_R_INTENT_ASSERT, a->st->span, "assertion failed: %s on '%s' is %s",
                                   a->action, a->resource,
                                   dec == IAM_DECISION_ALLOW           ? "allowed"
                                   : dec == IAM_DECISION_EXPLICIT_DENY ? "denied explicitly"
                                                                       : "not allowed (implicit deny)");
        if (g)
            iam_diag_help(d, g, "evaluated as %s with the compiled policy of policy '%s'", rq.principal, p->name);
        ok = false;
    }
    iam_engine_free(e);
    return ok;
}

