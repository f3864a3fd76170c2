/* cond.c - condition operators (iam-semantics 4, scenario-format 5.4).
 *
 * Policy values are parsed once at compile time (numbers, dates, CIDRs,
 * booleans, globs, ARN field globs); request values are parsed per
 * comparison. A comparison whose request or policy value cannot be parsed
 * does not hold, for negated operators too. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/internal.h"

static const struct {
    iam_cond_family fam;
    bool neg;
} op_info[] = {
#define X(id, name, fam, neg) {IAM_FAM_##fam, neg},
    IAM_COND_OPS(X)
#undef X
};

iam_cond_family base_family(iam_cond_base b)
{
    return b < IAM_OP_COUNT ? op_info[b].fam : IAM_FAM_STRING;
}

bool base_negated(iam_cond_base b)
{
    return b < IAM_OP_COUNT && op_info[b].neg;
}

/* ==== value parsers ======================================================= */

bool parse_number(const char *s, size_t n, double *out)
{
    /* [+-]? digits [. digits]  or  [+-]? . digits */
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (i != n || digits == 0 || n > 64)
        return false;
    char buf[65];
    memcpy(buf, s, n);
    buf[n] = 0;
    *out = strtod(buf, NULL);
    return true;
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return n > 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ISO 8601 / W3C date-time, or integer epoch seconds. A date without time is
 * midnight UTC; a time without zone designator is taken as UTC. */
bool parse_date(const char *s, size_t n, int64_t *sec, int32_t *nsec)
{
    *nsec = 0;
    size_t i = 0;
    bool neg = n > 0 && s[0] == '-';
    for (i = neg; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    if (i == n && n > (size_t)neg && n - neg <= 18) {
        int64_t v = 0;
        for (size_t k = neg; k < n; k++)
            v = v * 10 + (s[k] - '0');
        *sec = neg ? -v : v;
        return true;
    }
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (n < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo)
        || !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    i = 10;
    int64_t off = 0;
    if (i < n) {
        if (s[i] != 'T' && s[i] != 't')
            return false;
        i++;
        if (i + 5 > n || s[i + 2] != ':' || !digits(s + i, 2, &h) || !digits(s + i + 3, 2, &mi))
            return false;
        i += 5;
        if (i < n && s[i] == ':') {
            if (i + 3 > n || !digits(s + i + 1, 2, &se))
                return false;
            i += 3;
            if (i < n && (s[i] == '.' || s[i] == ',')) {
                i++;
                int32_t f = 0, scale = 100000000;
                size_t st = i;
                for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
                    f += (s[i] - '0') * scale;
                    scale /= 10;
                }
                if (i == st)
                    return false;
                *nsec = f;
            }
        }
        if (h > 24 || mi > 59 || se > 60)
            return false;
        if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
            i++;
        } else if (i < n && (s[i] == '+' || s[i] == '-')) {
            int oh, om = 0;
            int sign = s[i] == '-' ? -1 : 1;
            i++;
            if (i + 2 > n || !digits(s + i, 2, &oh))
                return false;
            i += 2;
            if (i < n && s[i] == ':')
                i++;
            if (i < n) {
                if (i + 2 > n || !digits(s + i, 2, &om))
                    return false;
                i += 2;
            }
            off = sign * (oh * 3600 + om * 60);
        }
        if (i != n)
            return false;
    }
    *sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    return true;
}

bool parse_ip(const char *s, size_t n, bool allow_prefix, ipnet *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *slash = strchr(buf, '/');
    if (slash) {
        if (!allow_prefix)
            return false;
        *slash = 0;
    }
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buf, out->a) == 1)
        out->fam = 4;
    else if (inet_pton(AF_INET6, buf, out->a) == 1)
        out->fam = 6;
    else
        return false;
    int max = out->fam == 4 ? 32 : 128;
    out->prefix = max;
    if (slash) {
        int p;
        size_t pl = strlen(slash + 1);
        if (pl > 3 || !digits(slash + 1, pl, &p) || p > max)
            return false;
        out->prefix = p;
    }
    return true;
}

bool ip_contains(const ipnet *net, const ipnet *addr)
{
    if (net->fam != addr->fam)
        return false;
    int full = net->prefix / 8, rem = net->prefix % 8;
    if (memcmp(net->a, addr->a, (size_t)full) != 0)
        return false;
    if (rem) {
        uint8_t mask = (uint8_t)(0xff << (8 - rem));
        return (net->a[full] & mask) == (addr->a[full] & mask);
    }
    return true;
}

static int parse_bool(const char *s, size_t n)
{
    if (n == 4 && strncasecmp(s, "true", 4) == 0)
        return 1;
    if (n == 5 && strncasecmp(s, "false", 5) == 0)
        return 0;
    return -1;
}

/* ==== compilation ========================================================= */

static void arn_fields_compile(iam_arena *a, const char *s, size_t n, iam_glob **f, bool *ok)
{
    arnf p;
    arn_split(s, n, &p);
    *ok = p.ok;
    if (p.ok)
        for (int i = 0; i < 6; i++)
            f[i] = iam_glob_compile(a, p.f[i], p.len[i], false);
}

static void val_compile(iam_arena *a, const ccond *c, bool vars, const iam_str *src, cval *v)
{
    v->src = src;
    const char *s = src->s;
    size_t n = src->len;
    bool str_like = c->fam == IAM_FAM_STRING || c->fam == IAM_FAM_ARN;
    if (vars && str_like && (v->t = tmpl_parse(a, s, n))) {
        v->ok = true;
        return;
    }
    switch (c->fam) {
    case IAM_FAM_STRING:
        v->ok = true;
        if (c->base == IAM_OP_STRING_LIKE || c->base == IAM_OP_STRING_NOT_LIKE)
            v->g = iam_glob_compile(a, s, n, false);
        break;
    case IAM_FAM_ARN:
        arn_fields_compile(a, s, n, v->arn, &v->ok);
        break;
    case IAM_FAM_NUMERIC:
        v->ok = parse_number(s, n, &v->num);
        break;
    case IAM_FAM_DATE:
        v->ok = parse_date(s, n, &v->sec, &v->nsec);
        break;
    case IAM_FAM_BOOL:
    case IAM_FAM_NULL: {
        int b = parse_bool(s, n);
        v->ok = b >= 0;
        v->b = b == 1;
        break;
    }
    case IAM_FAM_BINARY:
        v->ok = true;
        break;
    case IAM_FAM_IP:
        v->ok = parse_ip(s, n, true, &v->ip);
        break;
    }
}

void cond_compile(iam_arena *a, const iam_condition *src, bool vars, ccond *out)
{
    out->src = src;
    out->base = src->base;
    out->unknown = src->base >= IAM_OP_COUNT;
    out->fam = base_family(src->base);
    out->neg = base_negated(src->base);
    out->nkeys = src->nkeys;
    out->keys = iam_arena_alloc(a, (src->nkeys + 1) * sizeof *out->keys);
    for (size_t i = 0; i < src->nkeys; i++) {
        const iam_cond_key *k = &src->keys[i];
        ckey *ck = &out->keys[i];
        ck->src = k;
        size_t kl = strlen(k->text);
        char *f = iam_arena_strndup(a, k->text, kl);
        for (size_t j = 0; j < kl; j++)
            f[j] = (char)(f[j] >= 'A' && f[j] <= 'Z' ? f[j] + 32 : f[j]);
        ck->folded = f;
        ck->flen = kl;
        ck->n = k->values.n;
        ck->v = iam_arena_alloc(a, (ck->n + 1) * sizeof *ck->v);
        for (size_t j = 0; j < ck->n; j++)
            val_compile(a, out, vars, &k->values.v[j], &ck->v[j]);
    }
}

/* ==== comparisons ========================================================= */

static int cmp_order(iam_cond_base b, int c)
{
    switch (b) {
    case IAM_OP_NUMERIC_EQUALS: case IAM_OP_NUMERIC_NOT_EQUALS:
    case IAM_OP_DATE_EQUALS: case IAM_OP_DATE_NOT_EQUALS:
        return c == 0;
    case IAM_OP_NUMERIC_LESS_THAN: case IAM_OP_DATE_LESS_THAN:
        return c < 0;
    case IAM_OP_NUMERIC_LESS_THAN_EQUALS: case IAM_OP_DATE_LESS_THAN_EQUALS:
        return c <= 0;
    case IAM_OP_NUMERIC_GREATER_THAN: case IAM_OP_DATE_GREATER_THAN:
        return c > 0;
    default:
        return c >= 0;
    }
}

static int arn_value_match(iam_glob *const *f, const char *r, size_t rn)
{
    arnf a;
    arn_split(r, rn, &a);
    if (!a.ok)
        return -1; /* malformed request ARN: false for negated too [obs] */
    for (int i = 0; i < 6; i++)
        if (!iam_glob_exec(f[i], a.f[i], a.len[i]))
            return 0;
    return 1;
}

static int tmpl_value_match(const evctx *x, const ccond *c, const cval *v, const char *r,
                            size_t rn)
{
    xbuf b;
    xbuf_init(&b);
    int m = -1;
    if (!tmpl_expand(x, v->t, &b))
        goto out;
    switch (c->base) {
    case IAM_OP_STRING_EQUALS: case IAM_OP_STRING_NOT_EQUALS:
    case IAM_OP_BINARY_EQUALS:
        m = b.n == rn && memcmp(b.s, r, rn) == 0;
        break;
    case IAM_OP_STRING_EQUALS_IGNORE_CASE: case IAM_OP_STRING_NOT_EQUALS_IGNORE_CASE:
        m = b.n == rn && strncasecmp(b.s, r, rn) == 0;
        break;
    case IAM_OP_STRING_LIKE: case IAM_OP_STRING_NOT_LIKE:
        m = iam_glob_match_lit(b.s, b.lit, b.n, r, rn, false);
        break;
    default: { /* Arn*: split the expansion at its first five colons */
        arnf a, p;
        arn_split(r, rn, &a);
        arn_split(b.s, b.n, &p);
        if (!a.ok || !p.ok)
            break;
        m = 1;
        for (int i = 0; i < 6 && m; i++)
            m = iam_glob_match_lit(p.f[i], b.lit + (p.f[i] - b.s), p.len[i], a.f[i], a.len[i], false);
        break;
    }
    }
out:
    xbuf_free(&b);
    return m;
}

/* Positive comparison of request value r with one policy value:
 * 1 holds, 0 does not, -1 not comparable (unparsable / unresolved). */
static int pos_match(const evctx *x, const ccond *c, const cval *v, const char *r)
{
    size_t rn = strlen(r);
    if (!v->ok)
        return -1;
    if (v->t)
        return tmpl_value_match(x, c, v, r, rn);
    switch (c->fam) {
    case IAM_FAM_STRING:
        if (v->g)
            return iam_glob_exec(v->g, r, rn);
        if (c->base == IAM_OP_STRING_EQUALS_IGNORE_CASE
            || c->base == IAM_OP_STRING_NOT_EQUALS_IGNORE_CASE)
            return v->src->len == rn && strncasecmp(v->src->s, r, rn) == 0;
        return v->src->len == rn && memcmp(v->src->s, r, rn) == 0;
    case IAM_FAM_BINARY:
        return v->src->len == rn && memcmp(v->src->s, r, rn) == 0;
    case IAM_FAM_ARN:
        return arn_value_match(v->arn, r, rn);
    case IAM_FAM_NUMERIC: {
        double d;
        if (!parse_number(r, rn, &d))
            return -1;
        return cmp_order(c->base, d < v->num ? -1 : d > v->num);
    }
    case IAM_FAM_DATE: {
        int64_t s;
        int32_t ns;
        if (!parse_date(r, rn, &s, &ns))
            return -1;
        int cmp = s < v->sec ? -1 : s > v->sec ? 1 : ns < v->nsec ? -1 : ns > v->nsec;
        return cmp_order(c->base, cmp);
    }
    case IAM_FAM_BOOL: {
        int b = parse_bool(r, rn);
        return b < 0 ? -1 : (b == 1) == v->b;
    }
    case IAM_FAM_IP: {
        ipnet a;
        if (!parse_ip(r, rn, false, &a))
            return -1;
        return ip_contains(&v->ip, &a);
    }
    case IAM_FAM_NULL:
        return -1;
    }
    return -1;
}

/* One request value against the key's policy values: OR of the positive
 * comparisons, or NOR for negated operators. */
static bool value_holds(const evctx *x, const ccond *c, const ckey *k, const char *r)
{
    bool vars_null = x->e->flags & IAM_ENGINE_VARS_NULL;
    for (size_t i = 0; i < k->n; i++) {
        int m = pos_match(x, c, &k->v[i], r);
        if (!c->neg && m == 1)
            return true;
        if (c->neg) {
            if (m == 1)
                return false;
            if (m < 0 && !(vars_null && k->v[i].t && k->v[i].ok))
                return false;
        }
    }
    return c->neg && k->n > 0;
}

static bool key_holds(const evctx *x, const ccond *c, const ckey *k)
{
    const iam_ctx_entry *e = ctx_find(x, k->folded, k->flen);
    bool present = e != NULL;
    const iam_condition *s = c->src;
    if (c->base == IAM_OP_NULL_CHECK) {
        for (size_t i = 0; i < k->n; i++)
            if (k->v[i].ok && k->v[i].b != present)
                return true;
        return false;
    }
    if (k->n == 0)
        return false; /* empty value list grants nothing [unsure] */
    if (s->setq == IAM_SETQ_NONE) {
        if (!present)
            return s->if_exists || c->neg;
        if (e->multi || e->nvalues != 1)
            return false; /* multivalued key without set operator [obs] */
        return value_holds(x, c, k, e->values[0]);
    }
    bool empty = !present || e->nvalues == 0;
    if (s->setq == IAM_SETQ_FOR_ANY_VALUE) {
        if (empty)
            return !present && s->if_exists && !(x->e->flags & IAM_ENGINE_SETOP_IGNORE_IFEXISTS);
        for (size_t i = 0; i < e->nvalues; i++)
            if (value_holds(x, c, k, e->values[i]))
                return true;
        return false;
    }
    if (empty)
        return true;
    for (size_t i = 0; i < e->nvalues; i++)
        if (!value_holds(x, c, k, e->values[i]))
            return false;
    return true;
}

bool conds_hold(const evctx *x, const ccond *c, size_t n, const ccond **fail_c,
                const ckey **fail_k)
{
    for (size_t i = 0; i < n; i++) {
        if (c[i].unknown) {
            *fail_c = &c[i];
            *fail_k = NULL;
            return false;
        }
        for (size_t j = 0; j < c[i].nkeys; j++)
            if (!key_holds(x, &c[i], &c[i].keys[j])) {
                *fail_c = &c[i];
                *fail_k = &c[i].keys[j];
                return false;
            }
    }
    return true;
}
