/* match.c - Action, Resource and Principal matching, policy-variable
 * templates (iam-semantics 2.1-2.5, 4.6; scenario-format 5.1-5.3, 5.5). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/internal.h"

/* ==== policy-variable templates ========================================== */

static bool var_key_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\'' || s[i] == '$' || s[i] == '{'
            || s[i] == ',')
            return false;
    return true;
}

/* Parse one "${...}" starting at s[0] = '$'. Returns its length, or 0 when
 * malformed (the caller then keeps the text literally; policy validation
 * reports invalid-policy-variable). */
static size_t parse_var(iam_arena *a, const char *s, size_t n, tpart *out)
{
    if (n < 3 || s[1] != '{')
        return 0;
    if (n >= 4 && s[3] == '}' && (s[2] == '*' || s[2] == '?' || s[2] == '$')) {
        *out = (tpart){TP_ESCAPE, s + 2, 1, NULL, 0};
        return 4;
    }
    const char *body = s + 2;
    size_t rest = n - 2;
    const char *comma = NULL;
    for (size_t i = 0; i + 2 < rest; i++)
        if (body[i] == ',' && body[i + 1] == ' ' && body[i + 2] == '\'') {
            comma = body + i;
            break;
        }
    const char *close = memchr(body, '}', rest);
    if (!close)
        return 0;
    if (comma && comma < close) {
        /* ${key, 'default'}: the default ends at the first "'}". */
        const char *d = comma + 3;
        const char *end = NULL;
        for (const char *p = d; p + 1 < body + rest; p++)
            if (p[0] == '\'' && p[1] == '}') {
                end = p;
                break;
            }
        if (!end || !var_key_ok(body, (size_t)(comma - body)))
            return 0;
        out->kind = TP_VAR;
        size_t klen = (size_t)(comma - body);
        char *k = iam_arena_strndup(a, body, klen);
        for (size_t i = 0; i < klen; i++)
            k[i] = (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] + 32 : k[i]);
        out->s = k;
        out->len = klen;
        out->dflt = iam_arena_strndup(a, d, (size_t)(end - d));
        out->dlen = (size_t)(end - d);
        return (size_t)(end + 2 - s);
    }
    size_t klen = (size_t)(close - body);
    if (!var_key_ok(body, klen))
        return 0;
    char *k = iam_arena_strndup(a, body, klen);
    for (size_t i = 0; i < klen; i++)
        k[i] = (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] + 32 : k[i]);
    *out = (tpart){TP_VAR, k, klen, NULL, 0};
    return klen + 3;
}

tmpl *tmpl_parse(iam_arena *a, const char *s, size_t n)
{
    if (!memchr(s, '$', n))
        return NULL;
    tmpl *t = iam_arena_alloc(a, sizeof *t);
    t->v = iam_arena_alloc(a, (n + 1) * sizeof *t->v);
    size_t start = 0, i = 0;
    bool any = false;
    while (i < n) {
        tpart p;
        size_t used = s[i] == '$' ? parse_var(a, s + i, n - i, &p) : 0;
        if (!used) {
            i++;
            continue;
        }
        if (i > start)
            t->v[t->n++] = (tpart){TP_TEXT, s + start, i - start, NULL, 0};
        t->v[t->n++] = p;
        any = true;
        i += used;
        start = i;
    }
    if (!any)
        return NULL;
    if (start < n)
        t->v[t->n++] = (tpart){TP_TEXT, s + start, n - start, NULL, 0};
    return t;
}

void xbuf_init(xbuf *b)
{
    b->s = b->sbuf;
    b->lit = b->lbuf;
    b->n = 0;
    b->cap = sizeof b->sbuf;
}

void xbuf_free(xbuf *b)
{
    if (b->s != b->sbuf) {
        free(b->s);
        free(b->lit);
    }
    xbuf_init(b);
}

static void xbuf_add(xbuf *b, const char *s, size_t n, bool lit)
{
    if (b->n + n > b->cap) {
        size_t cap = (b->n + n) * 2;
        char *ns = iam_xmalloc(cap);
        uint8_t *nl = iam_xmalloc(cap);
        memcpy(ns, b->s, b->n);
        memcpy(nl, b->lit, b->n);
        if (b->s != b->sbuf) {
            free(b->s);
            free(b->lit);
        }
        b->s = ns;
        b->lit = nl;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    memset(b->lit + b->n, lit, n);
    b->n += n;
}

bool tmpl_expand(const evctx *x, const tmpl *t, xbuf *out)
{
    out->n = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tpart *p = &t->v[i];
        if (p->kind == TP_TEXT) {
            xbuf_add(out, p->s, p->len, false);
        } else if (p->kind == TP_ESCAPE) {
            xbuf_add(out, p->s, 1, true);
        } else {
            const iam_ctx_entry *e = ctx_find(x, p->s, p->len);
            /* Only single-valued keys substitute (iam-semantics 4.5). */
            if (e && !e->multi && e->nvalues == 1)
                xbuf_add(out, e->values[0], strlen(e->values[0]), true);
            else if (!e && p->dflt)
                xbuf_add(out, p->dflt, p->dlen, true);
            else
                return false;
        }
    }
    return true;
}

/* ==== ARNs ================================================================ */

void arn_split(const char *s, size_t n, arnf *out)
{
    size_t k = 0, start = 0;
    out->ok = false;
    for (size_t i = 0; i < n && k < 5; i++)
        if (s[i] == ':') {
            out->f[k] = s + start;
            out->len[k] = i - start;
            k++;
            start = i + 1;
        }
    if (k < 5)
        return;
    out->f[5] = s + start;
    out->len[5] = n - start;
    out->ok = true;
}

/* ==== actions ============================================================= */

static bool prefix_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

void act_compile(iam_arena *a, const char *text, cact *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(text, "*") == 0) {
        out->any = true;
        return;
    }
    const char *colon = strchr(text, ':');
    const char *name = colon ? colon + 1 : NULL;
    /* "s3:" or names with blanks match nothing (iam-semantics 1.5 [obs]). */
    if (!colon || !prefix_ok(text, (size_t)(colon - text)) || !*name
        || strpbrk(name, " \t\r\n")) {
        out->never = true;
        return;
    }
    out->svc = text;
    out->svclen = (size_t)(colon - text);
    out->name = iam_glob_compile(a, name, strlen(name), true);
}

bool act_match(const cact *c, const evctx *x)
{
    if (c->any)
        return true;
    if (c->never || !x->action_ok)
        return false;
    return c->svclen == x->svclen && strncasecmp(c->svc, x->svc, c->svclen) == 0
        && iam_glob_exec(c->name, x->op, x->oplen);
}

/* ==== resources =========================================================== */

static bool has_wild(const char *s, size_t n)
{
    return memchr(s, '*', n) || memchr(s, '?', n);
}

void res_compile(iam_arena *a, const char *text, size_t len, iam_policy_type type, bool vars,
                 unsigned flags, cres *out)
{
    memset(out, 0, sizeof *out);
    out->text = text;
    if (len == 1 && text[0] == '*') {
        out->kind = CR_STAR;
        return;
    }
    if (len == 0) {
        /* "" is no ARN, in any policy type; without this the short-pattern
         * test below read text[-1] (found by fuzz_scenario). */
        out->kind = CR_NEVER;
        return;
    }
    out->kind = CR_ARN;
    const char *f[6];
    size_t fl[6], k = 0, start = 0;
    for (size_t i = 0; i < len && k < 5; i++)
        if (text[i] == ':') {
            f[k] = text + start;
            fl[k++] = i - start;
            start = i + 1;
        }
    f[k] = text + start;
    fl[k++] = len - start;
    out->nfields = k;
    if (k < 6) {
        /* Short ARN patterns (scenario-format 5.2, iam-semantics 2.3.4). */
        if (text[len - 1] == '*')
            out->runon = true;
        else if (type == IAM_PT_IDENTITY || type == IAM_PT_BOUNDARY || type == IAM_PT_SESSION
                 || ((type == IAM_PT_RESOURCE || type == IAM_PT_TRUST) && has_wild(text, len)))
            out->pad = true;
        else {
            out->kind = CR_NEVER;
            return;
        }
    }
    bool icase_pref = flags & IAM_ENGINE_ARN_PREFIX_ICASE;
    for (size_t i = 0; i < k; i++) {
        if (i == 5 && vars && (out->t = tmpl_parse(a, f[5], fl[5])))
            continue;
        out->f[i] = iam_glob_compile(a, f[i], fl[i], i < 5 && icase_pref);
    }
}

int res_match(const cres *c, const evctx *x)
{
    if (c->kind == CR_STAR)
        return 1;
    if (c->kind == CR_NEVER || x->res_star || !x->res.ok)
        return 0;
    const arnf *r = &x->res;
    size_t k = c->nfields;
    size_t full = c->runon ? k - 1 : k;
    for (size_t i = 0; i < full; i++) {
        if (i == 5 && c->t)
            break;
        if (!iam_glob_exec(c->f[i], r->f[i], r->len[i]))
            return 0;
    }
    if (c->runon) {
        /* The last field's trailing '*' runs on across the colons. */
        size_t i = k - 1;
        const char *end = r->f[5] + r->len[5];
        return iam_glob_exec(c->f[i], r->f[i], (size_t)(end - r->f[i]));
    }
    if (c->t) {
        xbuf b;
        xbuf_init(&b);
        int m = -1;
        if (tmpl_expand(x, c->t, &b))
            m = iam_glob_match_lit(b.s, b.lit, b.n, r->f[5], r->len[5], false);
        xbuf_free(&b);
        return m;
    }
    return 1;
}

/* ==== principals ========================================================== */

static const char *last_seg(const char *s, size_t *n)
{
    const char *slash = strrchr(s, '/');
    const char *p = slash ? slash + 1 : s;
    *n = strlen(p);
    return p;
}

void prin_compile(const iam_principal_entry *e, cprin *out)
{
    out->e = e;
    out->name = NULL;
    out->nlen = 0;
    if (e->kind == IAM_PK_AWS && (e->form == IAM_PF_USER || e->form == IAM_PF_ROLE))
        out->name = last_seg(e->norm ? e->norm : e->text, &out->nlen);
}

/* Same account, and same partition when the entry is an ARN (a bare account
 * id means the account in the policy's own partition). */
static bool entry_account_is(const cprin *p, const iam_caller *c)
{
    if (!p->e->account || !c->account[0] || strcmp(p->e->account, c->account) != 0)
        return false;
    const char *t = p->e->text;
    if (strncmp(t, "arn:", 4) != 0)
        return true;
    size_t n = strlen(c->partition);
    return strncmp(t + 4, c->partition, n) == 0 && t[4 + n] == ':';
}

static bool is_iam_caller(const iam_caller *c)
{
    return c->kind == IAM_CALLER_USER || c->kind == IAM_CALLER_ROLE
        || c->kind == IAM_CALLER_ASSUMED_ROLE || c->kind == IAM_CALLER_FEDERATED_USER
        || c->kind == IAM_CALLER_ROOT;
}

iam_grant_class prin_class(const cprin *p, const iam_caller *c)
{
    const iam_principal_entry *e = p->e;
    const char *norm = e->norm ? e->norm : e->text;
    if (e->kind == IAM_PK_SERVICE)
        return c->kind == IAM_CALLER_SERVICE && strcasecmp(e->text, c->name) == 0
            ? IAM_GRANT_DIRECT : IAM_GRANT_NONE;
    if (e->kind != IAM_PK_AWS)
        return IAM_GRANT_NONE; /* Federated, CanonicalUser: never in this model */
    switch (e->form) {
    case IAM_PF_ANY:
        return IAM_GRANT_DIRECT;
    case IAM_PF_ACCOUNT:
        return is_iam_caller(c) && entry_account_is(p, c) ? IAM_GRANT_ACCOUNT : IAM_GRANT_NONE;
    case IAM_PF_USER:
        if (c->kind == IAM_CALLER_USER && strcmp(norm, c->arn) == 0)
            return IAM_GRANT_DIRECT;
        if (c->kind == IAM_CALLER_FEDERATED_USER && entry_account_is(p, c)
            && strlen(c->name) == p->nlen && memcmp(c->name, p->name, p->nlen) == 0)
            return IAM_GRANT_ENTITY;
        return IAM_GRANT_NONE;
    case IAM_PF_ROLE:
        if ((c->kind == IAM_CALLER_ROLE || c->kind == IAM_CALLER_ASSUMED_ROLE)
            && entry_account_is(p, c) && strlen(c->name) == p->nlen
            && memcmp(c->name, p->name, p->nlen) == 0)
            return IAM_GRANT_ENTITY;
        return IAM_GRANT_NONE;
    case IAM_PF_ASSUMED_ROLE:
    case IAM_PF_FEDERATED_USER:
        return (c->kind == IAM_CALLER_ASSUMED_ROLE || c->kind == IAM_CALLER_FEDERATED_USER)
                && strcmp(norm, c->arn) == 0
            ? IAM_GRANT_DIRECT : IAM_GRANT_NONE;
    default:
        return IAM_GRANT_NONE;
    }
}

/* ==== request principals ================================================== */

const char *iam_caller_kind_name(iam_caller_kind k)
{
    static const char *const n[] = {"invalid", "user", "role", "assumed-role",
                                    "federated-user", "root", "service", "anonymous"};
    return (unsigned)k < sizeof n / sizeof *n ? n[k] : "invalid";
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcasecmp(s + n - m, suf) == 0;
}

/* user/[path/]name or role/[path/]name after "arn:P:iam::A:". */
static bool parse_entity(const char *res, char *b, iam_caller *out)
{
    out->kind = res[0] == 'u' ? IAM_CALLER_USER : IAM_CALLER_ROLE;
    const char *rest = res + 4; /* "/path/name" */
    const char *slash = strrchr(rest, '/');
    if (!slash[1])
        return false;
    size_t plen = (size_t)(slash - rest) + 1;
    memcpy(b, rest, plen);
    b[plen] = 0;
    out->path = b;
    b += plen + 1;
    strcpy(b, slash + 1);
    out->name = b;
    out->service_linked = out->kind == IAM_CALLER_ROLE
        && strncmp(out->path, "/aws-service-role/", 18) == 0;
    return true;
}

/* assumed-role/R/S or federated-user/N after "arn:P:sts::A:". */
static bool parse_session(const char *res, char *b, iam_caller *out)
{
    if (strncmp(res, "federated-user/", 15) == 0) {
        const char *rest = res + 15;
        if (!*rest || strchr(rest, '/'))
            return false;
        out->kind = IAM_CALLER_FEDERATED_USER;
        strcpy(b, rest);
        out->name = b;
        return true;
    }
    if (strncmp(res, "assumed-role/", 13) != 0)
        return false;
    const char *rest = res + 13;
    const char *slash = strchr(rest, '/');
    if (!slash || slash == rest || !slash[1] || strchr(slash + 1, '/'))
        return false;
    out->kind = IAM_CALLER_ASSUMED_ROLE;
    size_t nlen = (size_t)(slash - rest);
    memcpy(b, rest, nlen);
    b[nlen] = 0;
    out->name = b;
    b += nlen + 1;
    strcpy(b, slash + 1);
    out->session = b;
    return true;
}

bool iam_caller_parse(const char *s, iam_caller *out)
{
    memset(out, 0, sizeof *out);
    out->arn = s;
    out->partition = out->account = out->name = out->path = out->session = "";
    if (!s || strlen(s) >= sizeof out->buf)
        return false;
    if (strcmp(s, "*") == 0 || strcmp(s, "anonymous") == 0) {
        out->kind = IAM_CALLER_ANONYMOUS;
        return true;
    }
    if (strncmp(s, "arn:", 4) != 0) {
        if (!ends_with(s, ".amazonaws.com") || strlen(s) <= strlen(".amazonaws.com")
            || strpbrk(s, ":/ *"))
            return false;
        out->kind = IAM_CALLER_SERVICE;
        out->name = s;
        return true;
    }
    arnf a;
    arn_split(s, strlen(s), &a);
    if (!a.ok || a.len[3] != 0 || a.len[1] == 0 || a.len[4] != 12 || !all_digits(a.f[4], 12))
        return false;
    char *b = out->buf;
    memcpy(b, a.f[1], a.len[1]);
    b[a.len[1]] = 0;
    out->partition = b;
    b += a.len[1] + 1;
    memcpy(b, a.f[4], 12);
    b[12] = 0;
    out->account = b;
    b += 13;
    const char *res = a.f[5];
    bool iam = a.len[2] == 3 && memcmp(a.f[2], "iam", 3) == 0;
    bool sts = a.len[2] == 3 && memcmp(a.f[2], "sts", 3) == 0;
    bool ok = false;
    if (iam && strcmp(res, "root") == 0) {
        out->kind = IAM_CALLER_ROOT;
        ok = true;
    } else if (iam && (strncmp(res, "user/", 5) == 0 || strncmp(res, "role/", 5) == 0)) {
        ok = parse_entity(res, b, out);
    } else if (sts) {
        ok = parse_session(res, b, out);
    }
    if (!ok)
        out->kind = IAM_CALLER_INVALID;
    return ok;
}
