/* minimize_out.c - building the minimized documents as located-JSON trees
 * (printed by compiler/emit.h) and measuring them against the quota. */
#include <string.h>

#include "compiler/emit.h"
#include "compiler/minimize_internal.h"

static iam_json *node(iam_arena *a, iam_json_kind k)
{
    iam_json *j = iam_arena_alloc(a, sizeof *j);
    j->kind = k;
    return j;
}

static iam_json *str(iam_arena *a, const char *s)
{
    iam_json *j = node(a, IAM_JSON_STRING);
    j->u.str.s = s;
    j->u.str.len = strlen(s);
    return j;
}

typedef struct obj {
    iam_json_member v[10];
    size_t n;
} obj;

static void put(obj *o, const char *key, const iam_json *val)
{
    o->v[o->n++] = (iam_json_member){key, strlen(key), {0}, (iam_json *)val};
}

static iam_json *finish_obj(iam_arena *a, const obj *o)
{
    iam_json *j = node(a, IAM_JSON_OBJECT);
    j->u.obj.v = iam_arena_dup(a, o->v, o->n * sizeof o->v[0] + 1);
    j->u.obj.n = o->n;
    return j;
}

/* A one-element list prints as a plain string: the shorter equivalent. */
static iam_json *list(iam_arena *a, const char *const *v, size_t n)
{
    if (n == 1)
        return str(a, v[0]);
    iam_json *j = node(a, IAM_JSON_ARRAY);
    j->u.arr.v = iam_arena_alloc(a, (n + 1) * sizeof *j->u.arr.v);
    for (size_t i = 0; i < n; i++)
        j->u.arr.v[i] = str(a, v[i]);
    j->u.arr.n = n;
    return j;
}

const iam_json *iam_mk_stmt_json_out(iam_arena *a, const iam_mk_stmt *s, bool keep_sid)
{
    if (s->verbatim)
        return s->json;
    obj o = {0};
    if (keep_sid && s->sid)
        put(&o, "Sid", str(a, s->sid));
    put(&o, "Effect", str(a, s->effect == IAM_EFFECT_ALLOW ? "Allow" : "Deny"));
    if (s->principal)
        put(&o, s->not_principal ? "NotPrincipal" : "Principal", s->principal);
    const char **pv = iam_arena_alloc(a, (s->npats + 1) * sizeof *pv);
    for (size_t i = 0; i < s->npats; i++)
        pv[i] = s->pats[i].text;
    iam_json *acts = list(a, pv, s->npats);
    if (s->npats == 0) {   /* an empty list stays an empty list */
        acts = node(a, IAM_JSON_ARRAY);
    }
    put(&o, s->not_action ? "NotAction" : "Action", acts);
    if (s->has_resource) {
        iam_json *r = s->res.n ? list(a, s->res.v, s->res.n) : node(a, IAM_JSON_ARRAY);
        put(&o, s->not_resource ? "NotResource" : "Resource", r);
    }
    if (s->condition)
        put(&o, "Condition", s->condition);
    return finish_obj(a, &o);
}

iam_json *iam_mk_doc(iam_arena *a, const iam_policy *p, const iam_json *const *stmts, size_t n)
{
    obj o = {0};
    if (p->version)
        put(&o, "Version", str(a, p->version));
    if (p->id)
        put(&o, "Id", str(a, p->id));
    iam_json *arr = node(a, IAM_JSON_ARRAY);
    arr->u.arr.v = iam_arena_alloc(a, (n + 1) * sizeof *arr->u.arr.v);
    for (size_t i = 0; i < n; i++)
        arr->u.arr.v[i] = (iam_json *)stmts[i];
    arr->u.arr.n = n;
    put(&o, "Statement", arr);
    return finish_obj(a, &o);
}

size_t iam_mk_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

size_t iam_mk_size(const iam_json *doc, bool whitespace)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_emit_json(&b, doc, whitespace ? &iam_emit_canonical : &iam_emit_compact);
    size_t n = iam_mk_chars(b.s ? b.s : "", b.len);
    iam_sb_free(&b);
    return n;
}
