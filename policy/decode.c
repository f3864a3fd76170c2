/* decode.c - located JSON -> policy IR (iam-semantics.md section 1).
 *
 * Decoding reports only structural problems (wrong JSON types, unknown or
 * missing elements, exclusive pairs, empty values); what the values mean
 * for a given policy type is checked in validate.c. Decoding never stops
 * early: whatever can be understood is kept, so later rules still run. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "policy/internal.h"

typedef struct dctx {
    iam_arena *a;
    iam_strtab *names;
    iam_diags *d;
    iam_policy *p;
} dctx;

static const char *const top_keys[] = {"Version", "Id", "Statement", NULL};
static const char *const stmt_keys[] = {"Sid", "Effect", "Principal", "NotPrincipal", "Action",
                                        "NotAction", "Resource", "NotResource", "Condition", NULL};
static const char *const principal_keys[] = {"AWS", "Service", "Federated", "CanonicalUser", NULL};

static iam_diag *fail(dctx *c, iam_rule_id r, iam_span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static iam_diag *fail(dctx *c, iam_rule_id r, iam_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag *g = iam_diag_vadd(c->d, r, at, fmt, ap);
    va_end(ap);
    if (g)
        g->policy_type = iam_policy_type_name(c->p->type);
    if (g && g->sev == IAM_SEV_ERROR)
        c->p->ok = false;
    return g;
}

/* s[0..n) equals the literal exactly (an embedded NUL never matches). */
static bool is_lit(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Identifiers (Version, Sid, actions, principals) are compared as C
 * strings later; a decoded U+0000 would cut them short and make
 * "Allow\u0000Deny" look like "Allow". Spell it out instead, so the text
 * stays invalid and messages show what was written. */
static const char *visible(dctx *c, const char *s, size_t n)
{
    if (!memchr(s, '\0', n))
        return s;
    iam_strbuf b = IAM_STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0')
            iam_sb_puts(&b, "\\u0000");
        else
            iam_sb_putc(&b, s[i]);
    }
    const char *r = iam_arena_strndup(c->a, b.s, b.len);
    iam_sb_free(&b);
    return r;
}

static bool key_known(const iam_json_member *m, const char *const *keys)
{
    for (; *keys; keys++)
        if (strlen(*keys) == m->key_len && memcmp(*keys, m->key, m->key_len) == 0)
            return true;
    return false;
}

/* unknown-element, with a hint when only the case differs. */
static void unknown_keys(dctx *c, const iam_json *obj, const char *const *keys, const char *where)
{
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const iam_json_member *m = &obj->u.obj.v[i];
        if (key_known(m, keys))
            continue;
        iam_diag *g = fail(c, IAM_R_UNKNOWN_ELEMENT, m->key_span, "unknown element '%.*s' in %s",
                           (int)(m->key_len > 64 ? 64 : m->key_len), m->key, where);
        for (const char *const *k = keys; *k; k++)
            if (iam_ieq(m->key, m->key_len, *k)) {
                iam_diag_help(c->d, g, "element names are case-sensitive: write '%s'", *k);
                break;
            }
    }
}

static const char *canon_scalar(dctx *c, const iam_json *v, size_t *len)
{
    switch (v->kind) {
    case IAM_JSON_STRING:
    case IAM_JSON_NUMBER:
        *len = v->u.str.len;
        return v->u.str.s;
    case IAM_JSON_BOOL:
        *len = v->u.b ? 4 : 5;
        return v->u.b ? "true" : "false";
    default:
        (void)c;
        return NULL;
    }
}

/* String-or-array. scalars: also accept numbers and booleans (condition
 * values), canonicalised to their text. */
static iam_strlist strlist(dctx *c, const iam_json_member *m, bool scalars, const char *what)
{
    iam_strlist l = {0};
    const iam_json *v = m->value;
    l.span = v->span;
    const iam_json *const *items = (const iam_json *const *)&m->value;
    size_t n = 1;
    if (v->kind == IAM_JSON_ARRAY) {
        items = (const iam_json *const *)v->u.arr.v;
        n = v->u.arr.n;
        if (n == 0)
            fail(c, IAM_R_EMPTY_VALUE, v->span, "empty array in %s: the element matches nothing", what);
    }
    l.v = iam_arena_alloc(c->a, (n ? n : 1) * sizeof *l.v);
    for (size_t i = 0; i < n; i++) {
        const iam_json *it = items[i];
        size_t len = 0;
        const char *s = NULL;
        if (it->kind == IAM_JSON_STRING || (scalars && (it->kind == IAM_JSON_NUMBER || it->kind == IAM_JSON_BOOL)))
            s = canon_scalar(c, it, &len);
        if (!s) {
            fail(c, scalars ? IAM_R_CONDITION_VALUE_TYPE : IAM_R_ELEMENT_TYPE, it->span,
                 "%s must be a string%s or an array of them, not %s %s", what,
                 scalars ? ", number or boolean" : "",
                 it->kind == IAM_JSON_ARRAY || it->kind == IAM_JSON_OBJECT ? "an" : "a",
                 iam_json_kind_name(it->kind));
            continue;
        }
        if (len == 0 && !scalars)
            fail(c, IAM_R_EMPTY_VALUE, it->span, "empty string in %s", what);
        l.v[l.n++] = (iam_str){s, len, it->span};
    }
    return l;
}

static bool is_prefix_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
}

static void decode_actions(dctx *c, iam_statement *s, const iam_json_member *m)
{
    iam_strlist l = strlist(c, m, false, m->key);
    s->actions = iam_arena_alloc(c->a, (l.n ? l.n : 1) * sizeof *s->actions);
    s->action_span = l.span;
    for (size_t i = 0; i < l.n; i++) {
        iam_action *a = &s->actions[s->nactions++];
        bool nul = memchr(l.v[i].s, '\0', l.v[i].len) != NULL;
        const char *t = visible(c, l.v[i].s, l.v[i].len);
        size_t n = strlen(t);
        a->text = t;
        a->span = l.v[i].span;
        a->folded = iam_intern_fold(c->names, t, n);
        a->wildcard = memchr(t, '*', n) || memchr(t, '?', n);
        if (n == 1 && t[0] == '*') {
            a->valid = true;
            a->name = "*";
            continue;
        }
        const char *colon = memchr(a->folded, ':', n);
        if (!colon) {
            a->name = "";
            continue;
        }
        size_t pl = (size_t)(colon - a->folded);
        a->service = iam_intern(c->names, a->folded, pl);
        a->name = colon + 1;
        bool ok = pl > 0 && colon[1] != '\0';
        for (size_t k = 0; k < pl && ok; k++)
            ok = is_prefix_char(a->folded[k]);
        for (const char *q = colon + 1; *q && ok; q++)
            ok = *q != ' ' && *q != '\t' && *q != ':' && (unsigned char)*q >= 0x21;
        a->valid = ok && !nul;
    }
}

static iam_principal_form aws_form(dctx *c, iam_principal_entry *e)
{
    const char *t = e->text;
    size_t n = strlen(t);
    if (n == 1 && t[0] == '*')
        return IAM_PF_ANY;
    if (n == 12 && strspn(t, "0123456789") == 12) {
        e->account = t;
        e->norm = iam_arena_printf(c->a, "arn:aws:iam::%s:root", t);
        return IAM_PF_ACCOUNT;
    }
    if (strncmp(t, "arn:", 4) == 0) {
        /* arn:partition:service:region:account:resource */
        const char *f[6];
        size_t nf = 0;
        f[nf++] = t;
        for (const char *q = t; *q && nf < 6; q++)
            if (*q == ':')
                f[nf++] = q + 1;
        if (nf < 6)
            return IAM_PF_OTHER;
        size_t svc_len = (size_t)(f[3] - f[2] - 1);
        size_t acct_len = (size_t)(f[5] - f[4] - 1);
        /* Kept whatever its length: validation reports a malformed id. */
        if (acct_len > 0)
            e->account = iam_arena_strndup(c->a, f[4], acct_len);
        const char *res = f[5];
        if (svc_len == 3 && strncmp(f[2], "iam", 3) == 0) {
            if (strcmp(res, "root") == 0)
                return IAM_PF_ACCOUNT;
            if (strncmp(res, "user/", 5) == 0)
                return IAM_PF_USER;
            if (strncmp(res, "role/", 5) == 0)
                return IAM_PF_ROLE;
        } else if (svc_len == 3 && strncmp(f[2], "sts", 3) == 0) {
            if (strncmp(res, "assumed-role/", 13) == 0)
                return IAM_PF_ASSUMED_ROLE;
            if (strncmp(res, "federated-user/", 15) == 0)
                return IAM_PF_FEDERATED_USER;
        }
        return IAM_PF_OTHER;
    }
    /* Unique ids of deleted users/roles: AIDA..., AROA... */
    if (n >= 16 && (strncmp(t, "AIDA", 4) == 0 || strncmp(t, "AROA", 4) == 0) &&
        strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == n)
        return IAM_PF_UNIQUE_ID;
    return IAM_PF_OTHER;
}

static void decode_principal(dctx *c, iam_statement *s, const iam_json_member *m)
{
    iam_principal *p = &s->principal;
    p->present = true;
    p->span = m->value->span;
    const iam_json *v = m->value;
    if (v->kind == IAM_JSON_STRING) {
        if (!(v->u.str.len == 1 && v->u.str.s[0] == '*')) {
            iam_diag *g = fail(c, IAM_R_INVALID_PRINCIPAL, v->span,
                               "a string %s must be \"*\"; name principals in a map such as {\"AWS\": ...}",
                               m->key);
            iam_diag_help(c->d, g, "write {\"AWS\": \"%.*s\"}", (int)(v->u.str.len > 80 ? 80 : v->u.str.len),
                          v->u.str.s);
            return;
        }
        p->any = true;
        p->v = iam_arena_alloc(c->a, sizeof *p->v);
        p->v[0] = (iam_principal_entry){IAM_PK_AWS, IAM_PF_ANY, "*", "*", NULL, v->span};
        p->n = 1;
        return;
    }
    if (v->kind != IAM_JSON_OBJECT) {
        fail(c, IAM_R_ELEMENT_TYPE, v->span, "%s must be \"*\" or an object, not %s", m->key,
             iam_json_kind_name(v->kind));
        return;
    }
    if (v->u.obj.n == 0)
        fail(c, IAM_R_EMPTY_VALUE, v->span, "empty %s: the statement applies to nobody", m->key);
    size_t total = 0;
    for (size_t i = 0; i < v->u.obj.n; i++) {
        const iam_json *x = v->u.obj.v[i].value;
        total += x->kind == IAM_JSON_ARRAY ? x->u.arr.n : 1;
    }
    p->v = iam_arena_alloc(c->a, (total ? total : 1) * sizeof *p->v);
    for (size_t i = 0; i < v->u.obj.n; i++) {
        const iam_json_member *km = &v->u.obj.v[i];
        iam_principal_kind kind;
        if (is_lit(km->key, km->key_len, "AWS"))
            kind = IAM_PK_AWS;
        else if (is_lit(km->key, km->key_len, "Service"))
            kind = IAM_PK_SERVICE;
        else if (is_lit(km->key, km->key_len, "Federated"))
            kind = IAM_PK_FEDERATED;
        else if (is_lit(km->key, km->key_len, "CanonicalUser"))
            kind = IAM_PK_CANONICAL;
        else {
            iam_diag *g = fail(c, IAM_R_INVALID_PRINCIPAL, km->key_span,
                               "unknown principal type '%.*s' (expected AWS, Service, Federated or CanonicalUser)",
                               (int)(km->key_len > 64 ? 64 : km->key_len), km->key);
            for (const char *const *k = principal_keys; *k; k++)
                if (iam_ieq(km->key, km->key_len, *k))
                    iam_diag_help(c->d, g, "principal types are case-sensitive: write '%s'", *k);
            continue;
        }
        iam_strlist l = strlist(c, km, false, km->key);
        for (size_t k = 0; k < l.n; k++) {
            iam_principal_entry *e = &p->v[p->n++];
            e->kind = kind;
            e->text = visible(c, l.v[k].s, l.v[k].len);
            e->norm = e->text;
            e->span = l.v[k].span;
            e->form = kind == IAM_PK_AWS ? aws_form(c, e) : IAM_PF_OTHER;
            if (kind == IAM_PK_AWS && e->form == IAM_PF_ANY)
                p->any = true;
        }
    }
}

static void decode_conditions(dctx *c, iam_statement *s, const iam_json_member *m)
{
    const iam_json *v = m->value;
    s->has_condition = true;
    s->condition_span = v->span;
    if (v->kind != IAM_JSON_OBJECT) {
        fail(c, IAM_R_ELEMENT_TYPE, v->span, "Condition must be an object, not %s", iam_json_kind_name(v->kind));
        return;
    }
    if (v->u.obj.n == 0)
        fail(c, IAM_R_EMPTY_VALUE, v->span, "empty Condition block has no effect");
    s->conds = iam_arena_alloc(c->a, (v->u.obj.n ? v->u.obj.n : 1) * sizeof *s->conds);
    for (size_t i = 0; i < v->u.obj.n; i++) {
        const iam_json_member *om = &v->u.obj.v[i];
        iam_condition *cd = &s->conds[s->nconds++];
        cd->text = om->key;
        cd->span = om->key_span;
        iam_cond_parse_operator(om->key, om->key_len, &cd->setq, &cd->base, &cd->if_exists,
                                &cd->canonical_case);
        const iam_json *kv = om->value;
        if (kv->kind != IAM_JSON_OBJECT) {
            fail(c, IAM_R_ELEMENT_TYPE, kv->span, "condition operator '%s' must map to an object of keys, not %s",
                 om->key, iam_json_kind_name(kv->kind));
            continue;
        }
        if (kv->u.obj.n == 0)
            fail(c, IAM_R_EMPTY_VALUE, kv->span, "condition operator '%s' has no keys", om->key);
        cd->keys = iam_arena_alloc(c->a, (kv->u.obj.n ? kv->u.obj.n : 1) * sizeof *cd->keys);
        for (size_t k = 0; k < kv->u.obj.n; k++) {
            const iam_json_member *km = &kv->u.obj.v[k];
            iam_cond_key *ck = &cd->keys[cd->nkeys++];
            ck->text = km->key;
            ck->folded = iam_intern_fold(c->names, km->key, km->key_len);
            ck->span = km->key_span;
            ck->values = strlist(c, km, true, "a condition value");
        }
    }
}

static const iam_json_member *member(const iam_json *obj, const char *k)
{
    return iam_json_get(obj, k);
}

static void decode_statement(dctx *c, iam_statement *s, const iam_json *v)
{
    s->span = v->span;
    if (v->kind != IAM_JSON_OBJECT) {
        fail(c, IAM_R_ELEMENT_TYPE, v->span, "a statement must be an object, not %s", iam_json_kind_name(v->kind));
        return;
    }
    unknown_keys(c, v, stmt_keys, "a statement");
    const iam_json_member *m;
    if ((m = member(v, "Sid"))) {
        s->sid_span = m->value->span;
        if (m->value->kind == IAM_JSON_STRING)
            s->sid = visible(c, m->value->u.str.s, m->value->u.str.len);
        else
            fail(c, IAM_R_ELEMENT_TYPE, m->value->span, "Sid must be a string, not %s",
                 iam_json_kind_name(m->value->kind));
    }
    if ((m = member(v, "Effect"))) {
        s->effect_span = m->value->span;
        const iam_json *e = m->value;
        if (e->kind != IAM_JSON_STRING) {
            fail(c, IAM_R_INVALID_EFFECT, e->span, "Effect must be the string \"Allow\" or \"Deny\", not %s",
                 iam_json_kind_name(e->kind));
        } else if (is_lit(e->u.str.s, e->u.str.len, "Allow")) {
            s->effect = IAM_EFFECT_ALLOW;
        } else if (is_lit(e->u.str.s, e->u.str.len, "Deny")) {
            s->effect = IAM_EFFECT_DENY;
        } else {
            iam_diag *g = fail(c, IAM_R_INVALID_EFFECT, e->span, "invalid Effect \"%.*s\" (expected \"Allow\" or \"Deny\")",
                               (int)(e->u.str.len > 40 ? 40 : e->u.str.len), e->u.str.s);
            if (iam_ieq(e->u.str.s, e->u.str.len, "allow") || iam_ieq(e->u.str.s, e->u.str.len, "deny"))
                iam_diag_help(c->d, g, "Effect is case-sensitive: write \"%s\"",
                              (e->u.str.s[0] | 32) == 'a' ? "Allow" : "Deny");
        }
    } else {
        fail(c, IAM_R_MISSING_ELEMENT, v->span, "statement has no Effect");
    }

    const iam_json_member *pr = member(v, "Principal"), *npr = member(v, "NotPrincipal");
    if (pr && npr) {
        iam_diag *g = fail(c, IAM_R_ELEMENT_COMBINATION, npr->key_span, "a statement cannot have both Principal and NotPrincipal");
        iam_diag_related(c->d, g, pr->key_span, "Principal is here");
    }
    if (pr || npr) {
        s->not_principal = !pr;
        decode_principal(c, s, pr ? pr : npr);
    }

    const iam_json_member *ac = member(v, "Action"), *nac = member(v, "NotAction");
    if (ac && nac) {
        iam_diag *g = fail(c, IAM_R_ELEMENT_COMBINATION, nac->key_span, "a statement cannot have both Action and NotAction");
        iam_diag_related(c->d, g, ac->key_span, "Action is here");
    }
    if (ac || nac) {
        s->has_action = true;
        s->not_action = !ac;
        decode_actions(c, s, ac ? ac : nac);
    } else {
        fail(c, IAM_R_MISSING_ELEMENT, v->span, "statement has neither Action nor NotAction");
    }

    const iam_json_member *rs = member(v, "Resource"), *nrs = member(v, "NotResource");
    if (rs && nrs) {
        iam_diag *g = fail(c, IAM_R_ELEMENT_COMBINATION, nrs->key_span, "a statement cannot have both Resource and NotResource");
        iam_diag_related(c->d, g, rs->key_span, "Resource is here");
    }
    if (rs || nrs) {
        s->has_resource = true;
        s->not_resource = !rs;
        s->resources = strlist(c, rs ? rs : nrs, false, rs ? "Resource" : "NotResource");
    }
    if ((m = member(v, "Condition")))
        decode_conditions(c, s, m);
}

/* IAM size: characters (code points) of the minified document, i.e.
 * without whitespace outside strings; and of the text as written.
 * Code points = bytes - UTF-8 continuation bytes (counted a word at a time);
 * whitespace is only counted between strings, found with memchr. */
static void measure(iam_policy *p, const iam_json *doc)
{
    const iam_source *src = doc->span.src;
    if (!src)
        return;
    const unsigned char *t = (const unsigned char *)src->data + doc->span.off;
    size_t n = doc->span.end_off - doc->span.off, ws = 0;
    size_t cont = iam_utf8_continuations((const char *)t, n);
    for (size_t i = 0; i < n;) {
        const unsigned char *q = memchr(t + i, '"', n - i);
        size_t open = q ? (size_t)(q - t) : n;
        for (size_t k = i; k < open; k++)
            ws += t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r';
        if (!q)
            break;
        /* The closing quote: the next one preceded by an even number of
         * backslashes. */
        size_t j = open + 1;
        for (;;) {
            const unsigned char *r = memchr(t + j, '"', n - j);
            if (!r) {
                j = n;
                break;
            }
            size_t pos = (size_t)(r - t), bs = 0;
            while (pos - bs > open + 1 && t[pos - 1 - bs] == '\\')
                bs++;
            j = pos + 1;
            if (bs % 2 == 0)
                break;
        }
        i = j;
    }
    p->size_full = n - cont;
    p->size_minified = n - cont - ws;
}

iam_policy *iam_policy_decode(iam_arena *a, iam_strtab *names, const iam_json *doc,
                              const iam_decode_opts *opts, iam_diags *d)
{
    iam_policy *p = iam_arena_alloc(a, sizeof *p);
    dctx c = {a, names, d, p};
    p->json = doc;
    p->src = doc->span.src;
    p->span = doc->span;
    p->ok = true;
    if (opts && opts->type != IAM_PT_UNKNOWN) {
        p->type = opts->type;
        p->type_origin = opts->origin;
    } else {
        p->type = iam_policy_detect_type(doc, &p->type_reason);
        p->type_origin = IAM_TO_HEURISTIC;
    }
    if (doc->kind != IAM_JSON_OBJECT) {
        fail(&c, IAM_R_ELEMENT_TYPE, doc->span, "a policy must be a JSON object, not %s", iam_json_kind_name(doc->kind));
        return p;
    }
    measure(p, doc);
    unknown_keys(&c, doc, top_keys, "the policy");
    const iam_json_member *m;
    if ((m = member(doc, "Version"))) {
        p->version_span = m->value->span;
        if (m->value->kind == IAM_JSON_STRING)
            p->version = visible(&c, m->value->u.str.s, m->value->u.str.len);
        else
            fail(&c, IAM_R_INVALID_VERSION, m->value->span, "Version must be a string such as \"2012-10-17\", not %s",
                 iam_json_kind_name(m->value->kind));
    }
    p->vars_enabled = p->version && strcmp(p->version, "2012-10-17") == 0;
    if ((m = member(doc, "Id"))) {
        p->id_span = m->value->span;
        if (m->value->kind == IAM_JSON_STRING)
            p->id = m->value->u.str.s;
        else
            fail(&c, IAM_R_ELEMENT_TYPE, m->value->span, "Id must be a string, not %s", iam_json_kind_name(m->value->kind));
    }
    m = member(doc, "Statement");
    if (!m) {
        fail(&c, IAM_R_MISSING_ELEMENT, doc->span, "policy has no Statement");
        return p;
    }
    const iam_json *sv = m->value;
    p->statement_span = sv->span;
    const iam_json *const *items = (const iam_json *const *)&m->value;
    size_t n = 1;
    if (sv->kind == IAM_JSON_ARRAY) {
        p->statement_is_array = true;
        items = (const iam_json *const *)sv->u.arr.v;
        n = sv->u.arr.n;
        if (n == 0)
            fail(&c, IAM_R_MISSING_ELEMENT, sv->span, "Statement is empty: the policy grants and denies nothing");
    }
    p->stmts = iam_arena_alloc(a, (n ? n : 1) * sizeof *p->stmts);
    for (size_t i = 0; i < n; i++) {
        iam_statement *s = &p->stmts[p->nstmts++];
        s->index = i;
        decode_statement(&c, s, items[i]);
    }
    return p;
}
