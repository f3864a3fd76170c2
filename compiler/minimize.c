/* minimize.c - iam_minimize (minimize.h): statements model, merging,
 * redundancy removal, splitting, the checked round trip and the result.
 *
 * Pipeline (docs/minimize.md):
 *   model     each IR statement becomes an iam_mk_stmt; one the minimizer
 *             does not understand (invalid Effect, no Action/NotAction, text
 *             with NUL bytes) is kept verbatim;
 *   merge     repeated until nothing changes:
 *               same group + same resource element -> union of actions
 *               (NotAction: only identical lists, as the union of two
 *               NotAction statements is the intersection of their lists);
 *               resources covered by another resource of the same
 *               statement are dropped ("*" covers all);
 *               same group + same actions, both with Resource -> union of
 *               resources;
 *   reduce    an Action statement with Resource drops the actions that other
 *             statements of its group already grant (or deny) on each of its
 *             resources; an emptied statement disappears;
 *   compress  every list becomes patterns (minimize_actions.c);
 *   emit      statements in input order (by first merged statement), split
 *             first-fit into documents within the limit;
 *   check     the emitted text is parsed, decoded and compared with the
 *             input (iam_min_check); any difference withholds the result. */
#include <stdlib.h>
#include <string.h>

#include "compiler/emit.h"
#include "compiler/minimize_internal.h"
#include "core/intern.h"

const iam_min_opts iam_min_defaults = {false, 0, false, true, IAM_MIN_TAMPER_NONE, false};

size_t iam_min_quota(iam_policy_type t)
{
    switch (t) {
    case IAM_PT_SESSION:
    case IAM_PT_TRUST: return 2048;
    case IAM_PT_SCP:
    case IAM_PT_RCP: return 5120;
    case IAM_PT_RESOURCE: return 20480;
    default: return 6144;
    }
}

bool iam_min_quota_counts_whitespace(iam_policy_type t)
{
    return t == IAM_PT_SCP || t == IAM_PT_RCP;
}

/* ===================================================================== */
/* model                                                                 */
/* ===================================================================== */

typedef struct ctx {
    iam_arena *a;
    const iam_catalog *cat;
    iam_catalog_memo *memo;
    const iam_policy *p;
    const iam_min_opts *o;
    iam_mk_stmt *s;
    size_t n;
} ctx;

static bool nul_free(const char *s, size_t n)
{
    return s && strlen(s) == n;
}

static void build(ctx *c)
{
    const iam_policy *p = c->p;
    c->s = iam_arena_alloc(c->a, (p->nstmts + 1) * sizeof *c->s);
    c->n = p->nstmts;
    for (size_t i = 0; i < p->nstmts; i++) {
        const iam_statement *st = &p->stmts[i];
        iam_mk_stmt *m = &c->s[i];
        m->json = iam_mk_stmt_json(p, i);
        m->order = i;
        m->span = st->span;
        m->action_span = st->action_span;
        bool ok = m->json && m->json->kind == IAM_JSON_OBJECT && iam_mk_understood(st);
        for (size_t r = 0; ok && r < st->resources.n; r++)
            ok = nul_free(st->resources.v[r].s, st->resources.v[r].len);
        for (size_t k = 0; ok && k < st->nactions; k++)
            ok = st->actions[k].text && st->actions[k].folded;
        if (!ok) {
            m->verbatim = true;
            continue;
        }
        m->sid = st->sid;
        m->effect = st->effect;
        const iam_json_member *pm = iam_json_get(m->json, st->not_principal ? "NotPrincipal" : "Principal");
        m->principal = st->principal.present && pm ? pm->value : NULL;
        m->not_principal = st->not_principal;
        const iam_json_member *cm = iam_json_get(m->json, "Condition");
        m->condition = st->has_condition && cm ? cm->value : NULL;
        m->group = iam_mk_group(c->a, st);
        m->not_action = st->not_action;
        m->acts.set = iam_actionset_new(c->a, c->cat);
        for (size_t k = 0; k < st->nactions; k++)
            iam_mk_actions_add(c->a, c->memo, &m->acts, st->actions[k].text, st->actions[k].folded);
        m->has_resource = st->has_resource;
        m->not_resource = st->not_resource;
        for (size_t r = 0; r < st->resources.n; r++)
            iam_mk_strset_add(c->a, &m->res, st->resources.v[r].s);
        /* an empty Action or Resource list matches nothing (iam-semantics 1.1) */
        if (!m->not_action && iam_actionset_empty(m->acts.set) && m->acts.unm.n == 0)
            m->dead = true;
        if (m->has_resource && !m->not_resource && m->res.n == 0)
            m->dead = true;
    }
}

/* ===================================================================== */
/* merging                                                               */
/* ===================================================================== */

static bool same_set(const iam_mk_strset *x, const iam_mk_strset *y)
{
    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (!iam_mk_strset_has(y, x->v[i]))
            return false;
    return true;
}

static bool same_actions(const iam_mk_stmt *x, const iam_mk_stmt *y)
{
    return iam_actionset_equal(x->acts.set, y->acts.set) && same_set(&x->acts.unm, &y->acts.unm);
}

static bool same_resources(const iam_mk_stmt *x, const iam_mk_stmt *y)
{
    return x->has_resource == y->has_resource && x->not_resource == y->not_resource
           && same_set(&x->res, &y->res);
}

static bool mergeable(const iam_mk_stmt *x, const iam_mk_stmt *y)
{
    return !x->verbatim && !y->verbatim && !x->dead && !y->dead && x->not_action == y->not_action
           && strcmp(x->group, y->group) == 0;
}

/* y's action lists into x (union); y dies. */
static void absorb_actions(ctx *c, iam_mk_stmt *x, iam_mk_stmt *y)
{
    iam_mk_actions_merge(c->a, &x->acts, &y->acts);
    y->dead = true;
}

/* Drop resources another resource of the same statement covers. */
static bool drop_covered_resources(iam_mk_stmt *m)
{
    if (m->not_action || !m->has_resource || m->not_resource || m->res.n < 2)
        return false;
    size_t w = 0, n = m->res.n;
    const char **v = m->res.v;
    for (size_t i = 0; i < n; i++) {
        bool cov = false;
        for (size_t j = 0; j < n && !cov; j++)
            cov = j != i && v[j] && iam_mk_resource_covers(v[j], strlen(v[j]), v[i], strlen(v[i]));
        if (cov)
            v[i] = NULL;   /* later entries must not rely on it: coverage is transitive */
    }
    for (size_t i = 0; i < n; i++)
        if (v[i])
            v[w++] = v[i];
    m->res.n = w;
    m->res.hx = NULL;   /* positions changed */
    m->res.hcap = 0;
    return w != n;
}

static bool merge_pass(ctx *c)
{
    bool changed = false;
    for (size_t i = 0; i < c->n; i++) {
        iam_mk_stmt *x = &c->s[i];
        if (x->verbatim || x->dead)
            continue;
        changed |= drop_covered_resources(x);
        for (size_t j = i + 1; j < c->n; j++) {
            iam_mk_stmt *y = &c->s[j];
            if (!mergeable(x, y))
                continue;
            if (same_resources(x, y)) {
                if (x->not_action && !same_actions(x, y))
                    continue;
                absorb_actions(c, x, y);
                changed = true;
            } else if (!x->not_action && x->has_resource && !x->not_resource && y->has_resource
                       && !y->not_resource && same_actions(x, y)) {
                for (size_t r = 0; r < y->res.n; r++)
                    iam_mk_strset_add(c->a, &x->res, y->res.v[r]);
                for (size_t k = 0; k < y->acts.inputs.n; k++)   /* reusable wildcards */
                    iam_mk_actions_add_input(c->a, &x->acts, y->acts.input_text[k], y->acts.inputs.v[k]);
                y->dead = true;
                drop_covered_resources(x);
                changed = true;
            }
        }
    }
    return changed;
}

/* Does t grant (or deny) its actions on every ARN resource r denotes? */
static bool stmt_covers_resource(const iam_mk_stmt *t, const char *r)
{
    for (size_t k = 0; k < t->res.n; k++)
        if (strcmp(t->res.v[k], r) == 0
            || iam_mk_resource_covers(t->res.v[k], strlen(t->res.v[k]), r, strlen(r)))
            return true;
    return false;
}

/* Remove from each Action+Resource statement the actions other live
 * statements of its group already cover on all of its resources. */
static bool reduce(ctx *c)
{
    bool changed = false;
    for (size_t i = 0; i < c->n; i++) {
        iam_mk_stmt *s = &c->s[i];
        /* Deny statements keep their actions: their input wildcards must
         * stay exact so they go on denying what AWS adds later */
        if (s->verbatim || s->dead || s->not_action || !s->has_resource || s->not_resource || !s->res.n
            || s->effect == IAM_EFFECT_DENY)
            continue;
        iam_actionset *common = NULL;
        for (size_t r = 0; r < s->res.n; r++) {
            iam_actionset *here = iam_actionset_new(c->a, c->cat);
            for (size_t j = 0; j < c->n; j++) {
                iam_mk_stmt *t = &c->s[j];
                if (j == i || !mergeable(s, t) || !t->has_resource || t->not_resource)
                    continue;
                if (stmt_covers_resource(t, s->res.v[r]))
                    iam_actionset_union(here, t->acts.set);
            }
            if (!common)
                common = here;
            else
                iam_actionset_intersect(common, here);
            if (iam_actionset_empty(common))
                break;
        }
        if (!common || iam_actionset_count_common(common, s->acts.set) == 0)
            continue;
        iam_actionset_subtract(s->acts.set, common);
        changed = true;
        if (iam_actionset_empty(s->acts.set) && s->acts.unm.n == 0)
            s->dead = true;
    }
    return changed;
}

/* ===================================================================== */
/* test-only tampering                                                   */
/* ===================================================================== */

static void tamper(ctx *c, iam_min_tamper how)
{
    for (size_t i = 0; i < c->n && how != IAM_MIN_TAMPER_NONE; i++) {
        iam_mk_stmt *m = &c->s[i];
        if (m->verbatim || m->dead)
            continue;
        switch (how) {
        case IAM_MIN_TAMPER_DROP_ACTION:
            if (m->npats < 2)
                continue;
            m->npats--;
            return;
        case IAM_MIN_TAMPER_WIDEN_ACTION: {
            for (size_t k = 0; k < m->npats; k++) {
                const char *t = m->pats[k].text, *colon = strchr(t, ':');
                if (!colon || strcmp(colon + 1, "*") == 0)
                    continue;
                m->pats[k].text = iam_arena_printf(c->a, "%.*s:*", (int)(colon - t), t);
                return;
            }
            continue;
        }
        case IAM_MIN_TAMPER_DROP_RESOURCE:
            if (!m->has_resource || m->res.n < 2)
                continue;
            m->res.n--;
            return;
        case IAM_MIN_TAMPER_FLIP_EFFECT:
            m->effect = m->effect == IAM_EFFECT_ALLOW ? IAM_EFFECT_DENY : IAM_EFFECT_ALLOW;
            return;
        default: return;
        }
    }
}

/* ===================================================================== */
/* documents                                                             */
/* ===================================================================== */

typedef struct docs {
    const iam_mk_stmt ***v;    /* statements per document */
    size_t *n;
    size_t ndocs;
} docs;

static size_t doc_size(ctx *c, const iam_mk_stmt *const *v, size_t n, bool ws)
{
    const iam_json **j = iam_arena_alloc(c->a, (n + 1) * sizeof *j);
    for (size_t i = 0; i < n; i++)
        j[i] = iam_mk_stmt_json_out(c->a, v[i], c->o->keep_sids);
    return iam_mk_size(iam_mk_doc(c->a, c->p, j, n), ws);
}

/* Cut an Action statement too big for one document in two: its patterns
 * (else its resources) halved. The union of the halves is the statement.
 * The second half has no Sid (Sids must stay unique). */
static bool halve(ctx *c, const iam_mk_stmt *m, iam_mk_stmt **x, iam_mk_stmt **y)
{
    if (m->verbatim || m->not_action)
        return false;
    bool by_res = m->npats < 2;
    if (by_res && (!m->has_resource || m->not_resource || m->res.n < 2))
        return false;
    *x = iam_arena_dup(c->a, m, sizeof *m);
    *y = iam_arena_dup(c->a, m, sizeof *m);
    (*y)->sid = NULL;
    size_t n = by_res ? m->res.n : m->npats, h = n / 2;
    if (by_res) {
        (*x)->res.n = h;
        (*y)->res.v = m->res.v + h;
        (*y)->res.n = n - h;
        (*x)->res.cap = (*y)->res.cap = 0;   /* never grown again */
        (*x)->res.hx = (*y)->res.hx = NULL;
        (*x)->res.hcap = (*y)->res.hcap = 0;
    } else {
        (*x)->npats = h;
        (*y)->pats = m->pats + h;
        (*y)->npats = n - h;
    }
    return true;
}

/* First-fit, statements in order; IAM_ERR_LIMIT when one alone is too big. */
static iam_status split(ctx *c, const iam_mk_stmt **live, size_t nlive, size_t limit, iam_diags *d,
                        docs *out)
{
    bool ws = iam_min_quota_counts_whitespace(c->p->type);
    if (nlive > 0 && doc_size(c, live, nlive, ws) > limit) {
        /* halve statements that cannot fit alone, as often as needed */
        size_t cap = nlive * 2 + 8, n = 0;
        const iam_mk_stmt **v = iam_arena_alloc(c->a, cap * sizeof *v);
        for (size_t i = 0; i < nlive; i++) {
            const iam_mk_stmt *stack[64];
            size_t top = 0;
            stack[top++] = live[i];
            while (top) {
                const iam_mk_stmt *m = stack[--top];
                iam_mk_stmt *x, *y;
                if (top + 2 <= 64 && doc_size(c, &m, 1, ws) > limit && halve(c, m, &x, &y)) {
                    stack[top++] = y;
                    stack[top++] = x;
                    continue;
                }
                if (n == cap) {
                    v = iam_arena_grow(c->a, v, n, cap * 2, sizeof *v);
                    cap *= 2;
                }
                v[n++] = m;
            }
        }
        live = v;
        nlive = n;
    }
    out->v = iam_arena_alloc(c->a, (nlive + 1) * sizeof *out->v);
    out->n = iam_arena_alloc(c->a, (nlive + 1) * sizeof *out->n);
    out->ndocs = 0;
    if (nlive == 0 || doc_size(c, live, nlive, ws) <= limit) {
        out->v[0] = live;
        out->n[0] = nlive;
        out->ndocs = 1;
        return IAM_OK;
    }
    for (size_t i = 0; i < nlive; i++) {
        bool placed = false;
        for (size_t k = 0; k < out->ndocs && !placed; k++) {
            out->v[k][out->n[k]] = live[i];
            if (doc_size(c, out->v[k], out->n[k] + 1, ws) <= limit) {
                out->n[k]++;
                placed = true;
            }
        }
        if (placed)
            continue;
        size_t one = doc_size(c, &live[i], 1, ws);
        if (one > limit) {
            iam_diag_add(d, IAM_R_MINIMIZE_TOO_LARGE, live[i]->span,
                         "statement is %zu characters after minimization; a document holding only it "
                         "exceeds the limit of %zu",
                         one, limit);
            return IAM_ERR_LIMIT;
        }
        size_t k = out->ndocs++;
        out->v[k] = iam_arena_alloc(c->a, (nlive + 1) * sizeof *out->v[k]);
        out->v[k][0] = live[i];
        out->n[k] = 1;
    }
    return IAM_OK;
}

static char *text_of(ctx *c, const iam_mk_stmt *const *v, size_t n, size_t *len)
{
    const iam_json **j = iam_arena_alloc(c->a, (n + 1) * sizeof *j);
    for (size_t i = 0; i < n; i++)
        j[i] = iam_mk_stmt_json_out(c->a, v[i], c->o->keep_sids);
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_emit_json(&b, iam_mk_doc(c->a, c->p, j, n), &iam_emit_canonical);
    *len = b.len;
    return b.s;   /* malloc-owned */
}

/* Parse and decode the emitted documents, then compare with the input. */
static bool verify(ctx *c, iam_min_result *r, iam_diags *d)
{
    iam_strtab *names = iam_intern_new();
    const iam_policy **after = iam_arena_alloc(c->a, (r->ndocs + 1) * sizeof *after);
    iam_source **srcs = iam_arena_alloc(c->a, (r->ndocs + 1) * sizeof *srcs);
    bool ok = true;
    iam_diags scratch;
    iam_diags_init(&scratch);
    for (size_t i = 0; i < r->ndocs && ok; i++) {
        srcs[i] = iam_source_from_mem("<minimized>", r->docs[i].json, r->docs[i].len);
        iam_json *root = NULL;
        if (iam_json_parse(c->a, srcs[i], NULL, &scratch, &root) != IAM_OK || !root) {
            ok = false;
            break;
        }
        iam_decode_opts o = {c->p->type, IAM_TO_CONTEXT};
        after[i] = iam_policy_decode(c->a, names, root, &o, &scratch);
        ok = after[i]->ok;
    }
    if (!ok)
        iam_diag_add(d, IAM_R_MINIMIZE_NOT_EQUIVALENT, c->p->span,
                     "minimized policy does not decode cleanly");
    else
        ok = iam_min_check(c->cat, c->p, after, r->ndocs, d);
    for (size_t i = 0; i < r->ndocs; i++)
        if (srcs[i])
            iam_source_free(srcs[i]);
    iam_diags_fini(&scratch);
    iam_intern_free(names);
    return ok;
}

static void add_warning(iam_min_result *r, size_t *cap, const iam_mk_stmt *m, const iam_mk_pattern *pt,
                        size_t doc, size_t stmt)
{
    if (r->nwarnings == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        r->warnings = iam_xrealloc(r->warnings, *cap * sizeof *r->warnings);
    }
    r->warnings[r->nwarnings++] = (iam_min_warning){iam_xstrdup(pt->text), doc, stmt, pt->matched,
                                                    m->not_action, m->effect};
}

/* ===================================================================== */
/* API                                                                   */
/* ===================================================================== */

void iam_min_result_free(iam_min_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ndocs; i++)
        free(r->docs[i].json);
    for (size_t i = 0; i < r->nwarnings; i++)
        free(r->warnings[i].pattern);
    free(r->docs);
    free(r->warnings);
    memset(r, 0, sizeof *r);
}

iam_status iam_minimize(const iam_catalog *cat, const iam_policy *p, const iam_min_opts *opts,
                        iam_diags *d, iam_min_result *out)
{
    memset(out, 0, sizeof *out);
    if (!opts)
        opts = &iam_min_defaults;
    if (!p || !p->ok || !p->json)
        return IAM_ERR_SYNTAX;
    iam_status st = IAM_OK;
    ctx c = {iam_arena_new(), cat, NULL, p, opts, NULL, 0};
    c.memo = iam_catalog_memo_new(c.a, cat);
    bool ws = iam_min_quota_counts_whitespace(p->type);
    out->limit = opts->max_size ? opts->max_size : iam_min_quota(p->type);
    out->before_size = iam_mk_size(p->json, ws);
    out->before_stmts = p->nstmts;
    for (size_t i = 0; i < p->nstmts; i++)
        out->before_actions += p->stmts[i].nactions;

    build(&c);
    for (int round = 0; round < 8 && merge_pass(&c); round++)
        ;
    if (reduce(&c))
        for (int round = 0; round < 8 && merge_pass(&c); round++)
            ;
    bool any = false;
    for (size_t i = 0; i < c.n; i++)
        any |= !c.s[i].dead;
    if (!any && c.n > 0)
        c.s[0].dead = false;   /* a policy must keep a statement, even one matching nothing */
    iam_mk_copts co = {opts->no_new_wildcards, p->type == IAM_PT_SCP, p->type == IAM_PT_RCP,
                       opts->word_wildcards, false};
    const iam_mk_stmt **live = iam_arena_alloc(c.a, (c.n + 1) * sizeof *live);
    size_t nlive = 0;
    for (size_t i = 0; i < c.n; i++) {
        iam_mk_stmt *m = &c.s[i];
        if (m->dead)
            continue;
        co.keep_input_wildcards = m->effect == IAM_EFFECT_DENY || m->not_action;
        if (!m->verbatim)
            m->pats = iam_mk_compress(c.a, cat, &m->acts, &co, &m->npats);
        live[nlive++] = m;
    }
    tamper(&c, opts->tamper);

    docs ds;
    st = split(&c, live, nlive, out->limit, d, &ds);
    if (st != IAM_OK)
        goto out;
    out->docs = iam_xmalloc((ds.ndocs + 1) * sizeof *out->docs);
    out->ndocs = ds.ndocs;
    size_t wcap = 0;
    for (size_t k = 0; k < ds.ndocs; k++) {
        iam_min_doc *doc = &out->docs[k];
        doc->json = text_of(&c, ds.v[k], ds.n[k], &doc->len);
        doc->nstmts = ds.n[k];
        doc->size = doc_size(&c, ds.v[k], ds.n[k], ws);
        out->after_size += doc->size;
        out->after_stmts += ds.n[k];
        for (size_t i = 0; i < ds.n[k]; i++) {
            const iam_mk_stmt *m = ds.v[k][i];
            out->after_actions += m->verbatim ? p->stmts[m->order].nactions : m->npats;
            for (size_t q = 0; !m->verbatim && q < m->npats; q++) {
                if (!m->pats[q].fresh)
                    continue;
                add_warning(out, &wcap, m, &m->pats[q], k, i);
            }
        }
    }
    if (!verify(&c, out, d)) {
        st = IAM_ERR_USAGE;
        goto out;
    }
    /* only a result that passed the check has warnings worth reading */
    for (size_t k = 0; opts->warn_diags && k < ds.ndocs; k++)
        for (size_t i = 0; i < ds.n[k]; i++) {
            const iam_mk_stmt *m = ds.v[k][i];
            for (size_t q = 0; !m->verbatim && q < m->npats; q++)
                if (m->pats[q].fresh)
                    iam_diag_add(d, IAM_R_MINIMIZE_NEW_WILDCARD, m->action_span,
                                 "'%s' matches exactly the %zu listed action%s today, but may match "
                                 "actions AWS adds later",
                                 m->pats[q].text, m->pats[q].matched, m->pats[q].matched == 1 ? "" : "s");
        }
out:
    if (st != IAM_OK) {
        size_t limit = out->limit;
        iam_min_result_free(out);
        out->limit = limit;
    }
    iam_arena_destroy(c.a);
    return st;
}

iam_status iam_minimize_text(const iam_catalog *cat, const char *name, const char *text, size_t len,
                             iam_policy_type type, const iam_min_opts *opts, iam_diags *d,
                             iam_min_result *out)
{
    memset(out, 0, sizeof *out);
    iam_source *src = iam_source_from_mem(name, text, len);
    iam_arena *a = iam_arena_new();
    iam_strtab *names = iam_intern_new();
    iam_json *root = NULL;
    iam_status st = iam_json_parse(a, src, NULL, d, &root);
    if (st == IAM_OK && root) {
        iam_decode_opts o = {type, type == IAM_PT_UNKNOWN ? IAM_TO_HEURISTIC : IAM_TO_CONTEXT};
        iam_policy *p = iam_policy_decode(a, names, root, &o, d);
        st = p->ok ? iam_minimize(cat, p, opts, d, out) : IAM_ERR_SYNTAX;
    } else if (st == IAM_OK) {
        st = IAM_ERR_SYNTAX;
    }
    iam_intern_free(names);
    iam_arena_destroy(a);
    iam_source_free(src);
    return st;
}
