/* gaad.c - decoding `aws iam get-account-authorization-details` output.
 *
 * The AWS model: a user's effective identity policies are its inline
 * policies, its attached managed policies and, for every group it belongs
 * to, the group's inline and attached managed policies; a role has inline
 * and attached managed policies plus a trust policy; either may have one
 * permission boundary (a managed policy). A managed policy keeps up to five
 * versions, and only the default version is in force, so only that one is
 * decoded: analysing an old version would report findings nobody can hit.
 *
 * Container problems (a list that is not an array, a policy entry without a
 * document) are located input-error diagnostics; what was understood is
 * still returned so the rest of the account is analysed. */
#include "analyzer/gaad.h"

#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/text.h"

/* A managed policy, by ARN. */
typedef struct managed {
    const char *arn;
    const iam_policy *p;     /* NULL when its document was unusable */
} managed;

/* A group's own policies, by name. */
typedef struct group {
    const char *name;
    const iam_policy **v;
    size_t n;
} group;

typedef struct gctx {
    iam_arena *a;
    iam_strtab *names;
    iam_diags *d;
    const iam_source *src;
    iam_gaad *out;
    size_t pcap, xcap, gcap;
    int errors;
    managed *mp;
    size_t nmp;
    group *groups;
    size_t ngroups;
    const iam_json *root;
} gctx;

static const char *const lists[] = {"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"};

bool iam_gaad_detect(const iam_json *doc)
{
    if (!doc || doc->kind != IAM_JSON_OBJECT || iam_json_get(doc, "Statement"))
        return false;
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        const iam_json_member *m = iam_json_get(doc, lists[i]);
        if (m && m->value->kind == IAM_JSON_ARRAY)
            return true;
    }
    return false;
}

static void bad(gctx *x, iam_span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad(gctx *x, iam_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag_vadd(x->d, IAM_R_INPUT_ERROR, at, fmt, ap);
    va_end(ap);
    x->errors++;
}

/* ------------------------------------------------------------------ */
/* Small accessors                                                      */
/* ------------------------------------------------------------------ */

/* Member key of obj as a string, or NULL (reporting a wrong type). */
static const char *str_of(gctx *x, const iam_json *obj, const char *key)
{
    const iam_json_member *m = iam_json_get(obj, key);
    if (!m)
        return NULL;
    if (m->value->kind != IAM_JSON_STRING) {
        bad(x, m->value->span, "'%s' must be a string, not %s", key, iam_json_kind_name(m->value->kind));
        return NULL;
    }
    return m->value->u.str.s;
}

/* Member key of obj as an array (NULL when absent or mistyped). */
static const iam_json *arr_of(gctx *x, const iam_json *obj, const char *key)
{
    const iam_json_member *m = iam_json_get(obj, key);
    if (!m || m->value->kind == IAM_JSON_NULL)
        return NULL;
    if (m->value->kind != IAM_JSON_ARRAY) {
        bad(x, m->value->span, "'%s' must be an array, not %s", key, iam_json_kind_name(m->value->kind));
        return NULL;
    }
    return m->value;
}

static bool is_obj(gctx *x, const iam_json *v, const char *what)
{
    if (v->kind == IAM_JSON_OBJECT)
        return true;
    bad(x, v->span, "%s must be an object, not %s", what, iam_json_kind_name(v->kind));
    return false;
}

static void push_policy(gctx *x, const iam_policy *p)
{
    iam_gaad *o = x->out;
    if (o->npolicies == x->pcap) {
        size_t nc = x->pcap ? x->pcap * 2 : 32;
        o->policies = iam_arena_grow(x->a, o->policies, o->npolicies, nc, sizeof *o->policies);
        x->pcap = nc;
    }
    o->policies[o->npolicies++] = p;
}

static void push_source(gctx *x, iam_source *s)
{
    iam_gaad *o = x->out;
    if (o->nextra == x->xcap) {
        size_t nc = x->xcap ? x->xcap * 2 : 8;
        o->extra_sources = iam_arena_grow(x->a, o->extra_sources, o->nextra, nc, sizeof *o->extra_sources);
        x->xcap = nc;
    }
    o->extra_sources[o->nextra++] = s;
}

/* ------------------------------------------------------------------ */
/* Policy documents                                                      */
/* ------------------------------------------------------------------ */

/* RFC 3986 percent-decoding, as IAM returns documents. '+' is a literal
 * plus (IAM encodes spaces as %20). Returns false on a malformed escape. */
static bool url_decode(const char *s, size_t n, iam_strbuf *out, size_t *bad_at)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            iam_sb_putc(out, s[i]);
            continue;
        }
        if (i + 2 >= n) {
            *bad_at = i;
            return false;
        }
        int h = iam_hexval(s[i + 1]), l = iam_hexval(s[i + 2]);
        if (h < 0 || l < 0) {
            *bad_at = i;
            return false;
        }
        iam_sb_putc(out, (char)(h * 16 + l));
        i += 2;
    }
    return true;
}

/* A document given as a string: URL-encoded JSON (or plain JSON text).
 * It becomes a source of its own, "FILE#name", so its findings have
 * positions inside the decoded document and say where it came from. */
static const iam_json *string_document(gctx *x, const iam_json *v, const char *name)
{
    const char *s = v->u.str.s;
    size_t n = v->u.str.len, k = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
        k++;
    iam_strbuf text = IAM_STRBUF_INIT;
    size_t bad_at = 0;
    if (k < n && s[k] == '{') {
        iam_sb_add(&text, s, n);
    } else if (!url_decode(s, n, &text, &bad_at)) {
        bad(x, v->span, "malformed URL encoding at offset %zu of the policy document string", bad_at);
        iam_sb_free(&text);
        return NULL;
    }
    char *label = iam_arena_printf(x->a, "%s#%s", x->src->path, name);
    iam_source *src = iam_source_from_mem(label, text.s ? text.s : "", text.len);
    iam_sb_free(&text);
    push_source(x, src);   /* even on failure: diagnostics point into it */
    iam_json *doc = NULL;
    if (iam_json_parse(x->a, src, NULL, x->d, &doc) != IAM_OK) {
        x->errors++;
        return NULL;
    }
    return doc;
}

/* Decode the document node v as a policy of type t; NULL when unusable. */
static const iam_policy *decode(gctx *x, const iam_json *v, iam_policy_type t, const char *name)
{
    const iam_json *doc = v;
    if (v->kind == IAM_JSON_STRING) {
        doc = string_document(x, v, name);
        if (!doc)
            return NULL;
    } else if (v->kind != IAM_JSON_OBJECT) {
        bad(x, v->span, "a policy document must be an object or a URL-encoded JSON string, not %s",
            iam_json_kind_name(v->kind));
        return NULL;
    }
    iam_decode_opts o = {t, IAM_TO_CONTEXT};
    const iam_policy *p = iam_policy_decode(x->a, x->names, doc, &o, x->d);
    push_policy(x, p);
    return p;
}

/* ------------------------------------------------------------------ */
/* Managed policies                                                      */
/* ------------------------------------------------------------------ */

static int cmp_managed(const void *pa, const void *pb)
{
    return strcmp(((const managed *)pa)->arn, ((const managed *)pb)->arn);
}

static const managed *find_managed(const gctx *x, const char *arn)
{
    managed key = {arn, NULL};
    return arn && x->nmp ? bsearch(&key, x->mp, x->nmp, sizeof *x->mp, cmp_managed) : NULL;
}

/* Sorted, deduplicated ARN list (attachments or boundaries). */
typedef struct arnset {
    const char **v;
    size_t n, cap;
} arnset;

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void arnset_add(iam_arena *a, arnset *s, const iam_json *v)
{
    if (!v || v->kind != IAM_JSON_STRING)
        return;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 32;
        s->v = iam_arena_grow(a, s->v, s->n, nc, sizeof *s->v);
        s->cap = nc;
    }
    s->v[s->n++] = v->u.str.s;
}

static bool arnset_has(const arnset *s, const char *arn)
{
    return s->n && bsearch(&arn, s->v, s->n, sizeof *s->v, cmp_cstr) != NULL;
}

/* Which managed policies are attached somewhere, and which serve as a
 * permissions boundary: one pass, so typing each managed policy is a
 * lookup, not a scan of every entity. */
static void collect_uses(gctx *x, arnset *attached, arnset *boundaries)
{
    static const char *const ent[] = {"UserDetailList", "GroupDetailList", "RoleDetailList"};
    for (size_t l = 0; l < 3; l++) {
        const iam_json_member *m = iam_json_get(x->root, ent[l]);
        if (!m || m->value->kind != IAM_JSON_ARRAY)
            continue;
        for (size_t i = 0; i < m->value->u.arr.n; i++) {
            const iam_json *e = m->value->u.arr.v[i];
            const iam_json_member *b = iam_json_get(e, "PermissionsBoundary");
            const iam_json_member *ba = b ? iam_json_get(b->value, "PermissionsBoundaryArn") : NULL;
            arnset_add(x->a, boundaries, ba ? ba->value : NULL);
            const iam_json_member *at = iam_json_get(e, "AttachedManagedPolicies");
            for (size_t k = 0; at && at->value->kind == IAM_JSON_ARRAY && k < at->value->u.arr.n; k++) {
                const iam_json_member *pa = iam_json_get(at->value->u.arr.v[k], "PolicyArn");
                arnset_add(x->a, attached, pa ? pa->value : NULL);
            }
        }
    }
    /* qsort's pointer must not be NULL, even for zero elements. */
    if (attached->n)
        qsort(attached->v, attached->n, sizeof *attached->v, cmp_cstr);
    if (boundaries->n)
        qsort(boundaries->v, boundaries->n, sizeof *boundaries->v, cmp_cstr);
}

/* The default version's document: IsDefaultVersion true, else the version
 * named by DefaultVersionId. */
static const iam_json *default_document(gctx *x, const iam_json *pol, const char *arn)
{
    const iam_json *vers = arr_of(x, pol, "PolicyVersionList");
    if (!vers) {
        bad(x, pol->span, "managed policy '%s' has no PolicyVersionList", arn);
        return NULL;
    }
    const char *def_id = str_of(x, pol, "DefaultVersionId");
    const iam_json *by_id = NULL;
    for (size_t i = 0; i < vers->u.arr.n; i++) {
        const iam_json *v = vers->u.arr.v[i];
        if (!is_obj(x, v, "a policy version"))
            continue;
        const iam_json_member *isdef = iam_json_get(v, "IsDefaultVersion");
        const iam_json_member *doc = iam_json_get(v, "Document");
        const char *vid = str_of(x, v, "VersionId");
        bool chosen = isdef && isdef->value->kind == IAM_JSON_BOOL && isdef->value->u.b;
        if (!chosen && !(def_id && vid && strcmp(def_id, vid) == 0))
            continue;
        if (!doc) {
            bad(x, v->span, "the default version of '%s' has no Document", arn);
            return NULL;
        }
        if (chosen)
            return doc->value;
        by_id = doc->value;
    }
    if (!by_id)
        bad(x, vers->span, "managed policy '%s' has no default version", arn);
    return by_id;
}

static void load_managed(gctx *x)
{
    const iam_json *list = arr_of(x, x->root, "Policies");
    if (!list)
        return;
    x->mp = iam_arena_alloc(x->a, (list->u.arr.n ? list->u.arr.n : 1) * sizeof *x->mp);
    arnset attached = {0}, boundaries = {0};
    collect_uses(x, &attached, &boundaries);
    for (size_t i = 0; i < list->u.arr.n; i++) {
        const iam_json *pol = list->u.arr.v[i];
        if (!is_obj(x, pol, "a managed policy"))
            continue;
        const char *arn = str_of(x, pol, "Arn");
        if (!arn) {
            bad(x, pol->span, "managed policy without an 'Arn'");
            continue;
        }
        const iam_json *doc = default_document(x, pol, arn);
        /* Used only as a permission boundary: validate it as one. */
        iam_policy_type t = arnset_has(&boundaries, arn) && !arnset_has(&attached, arn)
                                ? IAM_PT_BOUNDARY : IAM_PT_IDENTITY;
        const iam_policy *p = doc ? decode(x, doc, t, arn) : NULL;
        x->mp[x->nmp++] = (managed){arn, p};
    }
    if (x->nmp)
        qsort(x->mp, x->nmp, sizeof *x->mp, cmp_managed);
}

/* ------------------------------------------------------------------ */
/* Principals                                                           */
/* ------------------------------------------------------------------ */

typedef struct plist {
    const iam_policy **v;
    size_t n, cap;
} plist;

static void plist_add(gctx *x, plist *l, const iam_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == p)
            return;   /* a managed policy attached to the user and its group */
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        l->v = iam_arena_grow(x->a, l->v, l->n, nc, sizeof *l->v);
        l->cap = nc;
    }
    l->v[l->n++] = p;
}

/* Inline policies (listkey: UserPolicyList, GroupPolicyList, RolePolicyList). */
static void inline_policies(gctx *x, const iam_json *e, const char *listkey, const char *owner, plist *out)
{
    const iam_json *l = arr_of(x, e, listkey);
    for (size_t i = 0; l && i < l->u.arr.n; i++) {
        const iam_json *ip = l->u.arr.v[i];
        if (!is_obj(x, ip, "an inline policy"))
            continue;
        const char *pname = str_of(x, ip, "PolicyName");
        const iam_json_member *doc = iam_json_get(ip, "PolicyDocument");
        if (!doc) {
            bad(x, ip->span, "inline policy '%s' has no PolicyDocument", pname ? pname : "?");
            continue;
        }
        char *label = iam_arena_printf(x->a, "%s#%s", owner, pname ? pname : "?");
        plist_add(x, out, decode(x, doc->value, IAM_PT_IDENTITY, label));
    }
}

/* Attached managed policies, resolved against the Policies list. A policy
 * missing from it (the export was filtered) cannot be analysed. */
static void attached_policies(gctx *x, const iam_json *e, plist *out)
{
    const iam_json *l = arr_of(x, e, "AttachedManagedPolicies");
    for (size_t i = 0; l && i < l->u.arr.n; i++) {
        const iam_json *ap = l->u.arr.v[i];
        if (!is_obj(x, ap, "an attached policy"))
            continue;
        const managed *m = find_managed(x, str_of(x, ap, "PolicyArn"));
        if (m)
            plist_add(x, out, m->p);
    }
}

static const iam_policy *boundary_of(gctx *x, const iam_json *e)
{
    const iam_json_member *b = iam_json_get(e, "PermissionsBoundary");
    if (!b || b->value->kind == IAM_JSON_NULL || !is_obj(x, b->value, "'PermissionsBoundary'"))
        return NULL;
    const managed *m = find_managed(x, str_of(x, b->value, "PermissionsBoundaryArn"));
    return m ? m->p : NULL;
}

static int cmp_group(const void *pa, const void *pb)
{
    return strcmp(((const group *)pa)->name, ((const group *)pb)->name);
}

static void load_groups(gctx *x)
{
    const iam_json *list = arr_of(x, x->root, "GroupDetailList");
    if (!list)
        return;
    x->groups = iam_arena_alloc(x->a, (list->u.arr.n ? list->u.arr.n : 1) * sizeof *x->groups);
    for (size_t i = 0; i < list->u.arr.n; i++) {
        const iam_json *g = list->u.arr.v[i];
        if (!is_obj(x, g, "a group"))
            continue;
        const char *name = str_of(x, g, "GroupName");
        if (!name) {
            bad(x, g->span, "group without a 'GroupName'");
            continue;
        }
        const char *arn = str_of(x, g, "Arn");
        plist l = {0};
        inline_policies(x, g, "GroupPolicyList", arn ? arn : name, &l);
        attached_policies(x, g, &l);
        x->groups[x->ngroups++] = (group){name, l.v, l.n};
    }
    if (x->ngroups)
        qsort(x->groups, x->ngroups, sizeof *x->groups, cmp_group);
}

static void push_principal(gctx *x, const iam_principal_group *g)
{
    iam_gaad *o = x->out;
    if (o->nprincipals == x->gcap) {
        size_t nc = x->gcap ? x->gcap * 2 : 16;
        o->principals = iam_arena_grow(x->a, o->principals, o->nprincipals, nc, sizeof *o->principals);
        x->gcap = nc;
    }
    o->principals[o->nprincipals++] = *g;
}

/* "user/alice", "role/service-role/deploy": kind, IAM path, name. */
static const char *principal_name(gctx *x, const iam_json *e, const char *kind, const char *name)
{
    const char *path = str_of(x, e, "Path");
    if (!path || strcmp(path, "/") == 0 || path[0] != '/')
        return iam_arena_printf(x->a, "%s/%s", kind, name);
    return iam_arena_printf(x->a, "%s%s%s", kind, path, name);
}

/* Same test as the directory convention: a role that federated identities
 * or AWS principals other than "*" may assume is used by people. */
static bool trust_is_human(const iam_policy *t)
{
    for (size_t i = 0; t && i < t->nstmts; i++) {
        if (t->stmts[i].effect != IAM_EFFECT_ALLOW)
            continue;
        for (size_t k = 0; k < t->stmts[i].principal.n; k++) {
            const iam_principal_entry *e = &t->stmts[i].principal.v[k];
            if (e->kind == IAM_PK_FEDERATED || (e->kind == IAM_PK_AWS && e->form != IAM_PF_ANY))
                return true;
        }
    }
    return false;
}

static void load_entity(gctx *x, const iam_json *e, bool is_user)
{
    const char *namekey = is_user ? "UserName" : "RoleName";
    const char *name = str_of(x, e, namekey);
    if (!name) {
        bad(x, e->span, "%s without a '%s'", is_user ? "user" : "role", namekey);
        return;
    }
    const char *arn = str_of(x, e, "Arn");
    const char *owner = arn ? arn : name;
    iam_principal_group g = {0};
    g.name = principal_name(x, e, is_user ? "user" : "role", name);
    g.arn = arn ? iam_arena_strdup(x->a, arn) : NULL;
    g.kind = is_user ? IAM_GROUP_USER : IAM_GROUP_ROLE;
    g.span = iam_json_get(e, namekey)->value->span;
    plist l = {0};
    if (!is_user) {
        const iam_json_member *t = iam_json_get(e, "AssumeRolePolicyDocument");
        if (t)
            g.trust = decode(x, t->value, IAM_PT_TRUST, iam_arena_printf(x->a, "%s#trust", owner));
        else
            bad(x, e->span, "role '%s' has no AssumeRolePolicyDocument", name);
    }
    inline_policies(x, e, is_user ? "UserPolicyList" : "RolePolicyList", owner, &l);
    attached_policies(x, e, &l);
    const iam_json *groups = is_user ? arr_of(x, e, "GroupList") : NULL;
    for (size_t i = 0; groups && i < groups->u.arr.n; i++) {
        const iam_json *gn = groups->u.arr.v[i];
        if (gn->kind != IAM_JSON_STRING) {
            bad(x, gn->span, "'GroupList' entries must be group names, not %s", iam_json_kind_name(gn->kind));
            continue;
        }
        group key = {gn->u.str.s, NULL, 0};
        const group *gr = x->ngroups ? bsearch(&key, x->groups, x->ngroups, sizeof *x->groups, cmp_group) : NULL;
        for (size_t k = 0; gr && k < gr->n; k++)
            plist_add(x, &l, gr->v[k]);
    }
    g.identity = l.v;
    g.nidentity = l.n;
    g.boundary = boundary_of(x, e);
    g.human = is_user || trust_is_human(g.trust);
    push_principal(x, &g);
}

static void load_entities(gctx *x, const char *key, bool is_user)
{
    const iam_json *list = arr_of(x, x->root, key);
    for (size_t i = 0; list && i < list->u.arr.n; i++)
        if (is_obj(x, list->u.arr.v[i], is_user ? "a user" : "a role"))
            load_entity(x, list->u.arr.v[i], is_user);
}

iam_status iam_gaad_load(iam_arena *a, iam_strtab *names, const iam_json *doc, iam_diags *d, iam_gaad *out)
{
    memset(out, 0, sizeof *out);
    gctx x = {.a = a, .names = names, .d = d, .src = doc->span.src, .out = out, .root = doc};
    if (doc->kind != IAM_JSON_OBJECT) {
        bad(&x, doc->span, "authorization details must be a JSON object, not %s", iam_json_kind_name(doc->kind));
        return IAM_ERR_SYNTAX;
    }
    /* Managed policies first: users, groups and roles refer to them. */
    load_managed(&x);
    load_groups(&x);
    load_entities(&x, "UserDetailList", true);
    load_entities(&x, "RoleDetailList", false);
    return x.errors ? IAM_ERR_SYNTAX : IAM_OK;
}
