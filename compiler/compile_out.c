/* compile_out.c - a compiled policy's documents: statements from grant
 * groups, canonical JSON, the minimizer (compiler/minimize.h) or a plain
 * first-fit packer under the size quota, then verification of the result
 * against the intent (catalog set comparison) and the engine (asserts). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compiler/compile_internal.h"
#include "compiler/emit.h"
#include "compiler/minimize.h"
#include "core/strbuf.h"
#include "engine/engine.h"

typedef struct ostmt {
    const ix_group *g;
    const char **acts;
    size_t nacts;
    const char **res;
    size_t nres;
} ostmt;

iam_policy_type ix_ptype(iam_ix_target t)
{
    switch (t) {
    case IAM_IXT_BOUNDARY: return IAM_PT_BOUNDARY;
    case IAM_IXT_SCP: return IAM_PT_SCP;
    case IAM_IXT_RCP: return IAM_PT_RCP;
    case IAM_IXT_RESOURCE: return IAM_PT_RESOURCE;
    default: return IAM_PT_IDENTITY;
    }
}

size_t iam_compile_quota(iam_ix_target t)
{
    return iam_min_quota(ix_ptype(t));
}

/* -- statements --------------------------------------------------------- */

/* Action names of a set: "svc:*" for a whole service, "*" for everything
 * (not in RCPs, whose grammar forbids a bare "*"), else the catalog's
 * spelling, in catalog (name) order. */
static const char **action_names(iam_compile_unit *u, const iam_actionset *s, bool rcp, size_t *n)
{
    size_t cnt = iam_actionset_count(s), k = 0;
    const char **v = iam_arena_alloc(u->arena, (cnt + 1) * sizeof *v);
    if (cnt == iam_catalog_action_count(u->cat) && !rcp) {
        v[0] = "*";
        *n = 1;
        return v;
    }
    size_t ns = iam_catalog_service_count(u->cat);
    for (uint32_t sid = 0; sid < ns; sid++) {
        uint32_t first, na;
        iam_catalog_service_actions(u->cat, sid, &first, &na);
        uint32_t have = 0;
        for (uint32_t id = first; id < first + na; id++)
            have += iam_actionset_has(s, id);
        if (have == 0)
            continue;
        if (have == na && na > 1) {
            v[k++] = iam_arena_printf(u->arena, "%s:*", iam_catalog_service_prefix(u->cat, sid));
            continue;
        }
        for (uint32_t id = first; id < first + na; id++) {
            if (!iam_actionset_has(s, id))
                continue;
            char buf[256];
            iam_catalog_action_fullname(u->cat, id, buf, sizeof buf);
            v[k++] = iam_arena_strdup(u->arena, buf);
        }
    }
    *n = k;
    return v;
}

/* One statement per distinct action set of a group: resources granted the
 * same actions share a statement. */
static size_t build_stmts(iam_compile_unit *u, const ix_policy *p, ostmt **out)
{
    size_t n = 0, cap = 0;
    ostmt *v = NULL;
    for (size_t gi = 0; gi < p->ngroups; gi++) {
        const ix_group *g = &p->groups[gi];
        bool *used = iam_arena_alloc(u->arena, g->nres + 1);
        for (size_t i = 0; i < g->nres; i++) {
            if (used[i] || iam_actionset_empty(g->sets[i]))
                continue;
            if (n == cap) {
                v = iam_arena_grow(u->arena, v, n, cap ? cap * 2 : 8, sizeof *v);
                cap = cap ? cap * 2 : 8;
            }
            ostmt *s = &v[n++];
            s->g = g;
            s->acts = action_names(u, g->sets[i], p->item->target == IAM_IXT_RCP, &s->nacts);
            s->res = iam_arena_alloc(u->arena, (g->nres + 1) * sizeof *s->res);
            for (size_t j = i; j < g->nres; j++) {
                if (!used[j] && iam_actionset_equal(g->sets[i], g->sets[j])) {
                    used[j] = true;
                    s->res[s->nres++] = g->res[j];
                }
            }
        }
    }
    *out = v;
    return n;
}

/* -- JSON --------------------------------------------------------------- */

static void put_list(iam_strbuf *b, const char *const *v, size_t n)
{
    if (n == 1) {
        iam_sb_json_str(b, v[0], strlen(v[0]));
        return;
    }
    iam_sb_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            iam_sb_putc(b, ',');
        iam_sb_json_str(b, v[i], strlen(v[i]));
    }
    iam_sb_putc(b, ']');
}

static void put_principal(iam_strbuf *b, const ix_policy *p)
{
    iam_ix_target t = p->item->target;
    if (t == IAM_IXT_RCP || (t == IAM_IXT_RESOURCE && p->any_principal)) {
        iam_sb_puts(b, ",\"Principal\":\"*\"");
        return;
    }
    if (t != IAM_IXT_RESOURCE)
        return;
    iam_sb_puts(b, ",\"Principal\":{");
    if (p->naws) {
        iam_sb_puts(b, "\"AWS\":");
        put_list(b, p->aws, p->naws);
    }
    if (p->nsvc) {
        iam_sb_puts(b, p->naws ? ",\"Service\":" : "\"Service\":");
        put_list(b, p->svc, p->nsvc);
    }
    iam_sb_putc(b, '}');
}

static void put_stmt(iam_strbuf *b, const ix_policy *p, const ostmt *s)
{
    iam_sb_printf(b, "{\"Effect\":\"%s\"", s->g->effect == IAM_EFFECT_DENY ? "Deny" : "Allow");
    put_principal(b, p);
    iam_sb_puts(b, ",\"Action\":");
    put_list(b, s->acts, s->nacts);
    iam_sb_puts(b, ",\"Resource\":");
    put_list(b, s->res, s->nres);
    if (s->g->nconds) {
        iam_sb_puts(b, ",\"Condition\":{");
        for (size_t i = 0; i < s->g->nconds; i++) {
            const ix_cond *c = &s->g->conds[i];
            bool same_op = i > 0 && strcmp(s->g->conds[i - 1].op, c->op) == 0;
            if (same_op) {
                iam_sb_putc(b, ',');
            } else {
                if (i)
                    iam_sb_puts(b, "},");
                iam_sb_json_str(b, c->op, strlen(c->op));
                iam_sb_puts(b, ":{");
            }
            iam_sb_json_str(b, c->key, strlen(c->key));
            iam_sb_putc(b, ':');
            put_list(b, c->vals, c->nvals);
        }
        iam_sb_puts(b, "}}");
    }
    iam_sb_putc(b, '}');
}

/* Canonical text of a document holding stmts[0..n). */
static char *render(iam_compile_unit *u, const ix_policy *p, const ostmt *const *v, size_t n, size_t *len,
                    size_t *compact)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_puts(&b, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            iam_sb_putc(&b, ',');
        put_stmt(&b, p, v[i]);
    }
    iam_sb_puts(&b, "]}");
    *compact = b.len;
    iam_source *src = iam_source_from_mem("<compiled>", b.s, b.len);
    iam_sb_free(&b);
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_json *root = NULL;
    iam_strbuf out = IAM_STRBUF_INIT;
    if (iam_json_parse(a, src, NULL, &d, &root) != IAM_OK)
        iam_oom("compiled policy does not parse");   /* invariant: valid UTF-8 in, valid JSON out */
    iam_emit_json(&out, root, &iam_emit_canonical);
    char *r = iam_arena_strndup(u->arena, out.s, out.len);
    *len = out.len;
    iam_sb_free(&out);
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    iam_source_free(src);
    return r;
}

static size_t measure(iam_ix_target t, size_t len, size_t compact)
{
    return iam_min_quota_counts_whitespace(ix_ptype(t)) ? len - 1 : compact;
}

static void add_doc(iam_compile_unit *u, const ix_policy *p, const char *json, size_t len, size_t size,
                    size_t quota)
{
    u->docs = iam_arena_grow(u->arena, u->docs, u->ndocs, u->ndocs + 1, sizeof *u->docs);
    iam_compiled_doc *dc = &u->docs[u->ndocs++];
    dc->policy = p->name;
    dc->target = p->item->target;
    dc->json = json;
    dc->len = len;
    dc->size = size;
    dc->quota = quota;
}

/* First fit in order; a statement too large alone is halved by actions,
 * then by resources. Returns false after intent-size. */
static bool pack(iam_compile_unit *u, const ix_policy *p, ostmt *stmts, size_t n, size_t quota,
                 iam_diags *d)
{
    size_t qcap = n * 4 + 16, qn = n, qi = 0;
    ostmt *q = malloc(qcap * sizeof *q);
    const ostmt **cur = malloc((qcap + 1) * sizeof *cur);
    if (!q || !cur)
        iam_oom("pack");
    memcpy(q, stmts, n * sizeof *q);
    size_t ncur = 0;
    bool ok = true;
    char *last = NULL;
    size_t last_len = 0, last_size = 0;
    while (qi < qn && ok) {
        cur[ncur] = &q[qi];
        size_t len, compact;
        char *t = render(u, p, cur, ncur + 1, &len, &compact);
        size_t size = measure(p->item->target, len, compact);
        if (size <= quota) {
            ncur++, qi++;
            last = t, last_len = len, last_size = size;
            continue;
        }
        if (ncur > 0) {
            add_doc(u, p, last, last_len, last_size, quota);
            ncur = 0;
            continue;
        }
        /* Here ncur == 0, so no cur[] entry points into q: growing or
         * shifting q below cannot leave one dangling. */
        ostmt *s = &q[qi];
        if (s->nacts < 2 && s->nres < 2) {
            iam_diag_add(d, IAM_R_INTENT_SIZE, p->item->name.span,
                         "policy '%s': one statement alone is %zu characters, over the limit of %zu", p->name,
                         size, quota);
            ok = false;
            break;
        }
        if (qn + 2 > qcap) {
            qcap *= 2;
            q = realloc(q, qcap * sizeof *q);
            cur = realloc(cur, (qcap + 1) * sizeof *cur);
            if (!q || !cur)
                iam_oom("pack");
            s = &q[qi];
        }
        ostmt a = *s, b = *s;
        if (s->nacts >= 2) {
            a.nacts = s->nacts / 2;
            b.acts = s->acts + a.nacts, b.nacts = s->nacts - a.nacts;
        } else {
            a.nres = s->nres / 2;
            b.res = s->res + a.nres, b.nres = s->nres - a.nres;
        }
        memmove(&q[qi + 2], &q[qi + 1], (qn - qi - 1) * sizeof *q);
        q[qi] = a, q[qi + 1] = b;
        qn++;
    }
    if (ok && ncur > 0)
        add_doc(u, p, last, last_len, last_size, quota);
    free(q);
    free(cur);
    return ok;
}

/* -- the pipeline ------------------------------------------------------- */

static bool minimize_docs(iam_compile_unit *u, const ix_policy *p, ostmt *stmts, size_t n, size_t quota,
                          iam_diags *d)
{
    const ostmt **all = iam_arena_alloc(u->arena, (n + 1) * sizeof *all);
    for (size_t i = 0; i < n; i++)
        all[i] = &stmts[i];
    size_t len, compact;
    char *text = render(u, p, all, n, &len, &compact);
    iam_min_opts mo = iam_min_defaults;
    mo.max_size = quota;
    mo.keep_sids = false;
    mo.no_new_wildcards = !u->opts.new_wildcards;
    iam_min_result r = {0};
    /* A private sink: the minimizer's spans point into a source it frees,
     * so its findings are restated at the policy's name. */
    iam_diags md;
    iam_diags_init(&md);
    iam_status st = iam_minimize_text(u->cat, p->name, text, len, ix_ptype(p->item->target), &mo, &md, &r);
    const char *why = md.n ? iam_arena_strdup(u->arena, md.v[0].msg) : "no reason given";
    iam_diags_fini(&md);
    if (st == IAM_ERR_LIMIT) {
        iam_diag_add(d, IAM_R_INTENT_SIZE, p->item->name.span,
                     "policy '%s': a statement alone is over the limit of %zu characters", p->name, quota);
        return false;
    }
    if (st != IAM_OK) {
        iam_diag_add(d, IAM_R_INTENT_VERIFY, p->item->name.span, "policy '%s': the minimizer refused: %s", p->name,
                     why);
        return false;
    }
    for (size_t i = 0; i < r.ndocs; i++)
        add_doc(u, p, iam_arena_strndup(u->arena, r.docs[i].json, r.docs[i].len), r.docs[i].len, r.docs[i].size,
                quota);
    iam_min_result_free(&r);
    return true;
}

bool ix_policy_emit(iam_compile_unit *u, ix_policy *p, iam_diags *d)
{
    ostmt *stmts = NULL;
    size_t n = build_stmts(u, p, &stmts);
    if (n == 0) {
        iam_diag_add(d, IAM_R_INTENT_TARGET, p->item->name.span, "policy '%s' grants and denies nothing", p->name);
        return false;
    }
    iam_ix_target t = p->item->target;
    size_t quota = u->opts.max_size ? u->opts.max_size : iam_compile_quota(t);
    size_t first = u->ndocs;
    bool ok = u->opts.no_minimize ? pack(u, p, stmts, n, quota, d) : minimize_docs(u, p, stmts, n, quota, d);
    size_t nd = u->ndocs - first;
    if (ok && nd > 1 && (t == IAM_IXT_BOUNDARY || t == IAM_IXT_RESOURCE)) {
        iam_diag_add(d, IAM_R_INTENT_SIZE, p->item->name.span,
                     "policy '%s' needs %zu documents of at most %zu characters, but a %s policy cannot be split",
                     p->name, nd, quota, t == IAM_IXT_BOUNDARY ? "permissions boundary" : "resource");
        ok = false;
    }
    const iam_policy **docs = iam_arena_alloc(u->arena, (nd + 1) * sizeof *docs);
    for (size_t i = 0; ok && i < nd; i++) {
        iam_compiled_doc *dc = &u->docs[first + i];
        dc->part = i + 1;
        dc->parts = nd;
        dc->file = nd == 1 ? iam_arena_printf(u->arena, "%s.json", p->name)
                           : iam_arena_printf(u->arena, "%s-%zu.json", p->name, i + 1);
        const char *why = NULL;
        docs[i] = ix_decode_text(u, dc->file, dc->json, dc->len, ix_ptype(t), &why);
        if (!docs[i]) {
            iam_diag_add(d, IAM_R_INTENT_VERIFY, p->item->name.span, "policy '%s': %s does not decode: %s", p->name,
                         dc->file, why);
            ok = false;
            continue;
        }
        /* The grammar rules of the target type (element matrix, quotas,
         * operator and value shapes) hold for what we emit. */
        iam_diags vd;
        iam_diags_init(&vd);
        iam_policy_validate(docs[i], &vd);
        for (size_t k = 0; k < vd.n && ok; k++) {
            if (vd.v[k].sev < IAM_SEV_ERROR)
                continue;
            iam_diag_add(d, IAM_R_INTENT_VERIFY, p->item->name.span, "policy '%s': %s is not a valid %s policy: %s [%s]",
                         p->name, dc->file, iam_policy_type_name(ix_ptype(t)), vd.v[k].msg, iam_rule(vd.v[k].rule)->name);
            ok = false;
        }
        iam_diags_fini(&vd);
    }
    if (ok && u->opts.tamper && nd > 0 && docs[0]->nstmts > 0 && docs[0]->stmts[0].nactions > 0)
        ((iam_statement *)docs[0]->stmts)[0].nactions--;   /* our arena: testing only */
    ok = ok && ix_verify(u, p, docs, nd, d) && ix_run_asserts(u, p, docs, nd, d);
    if (!ok)
        u->ndocs = first;   /* no document of a failing policy */
    return ok;
}
