/* arn.c - ARN patterns against ARN templates (iam-semantics.md 2.3).
 *
 * "Can Resource pattern P denote a resource of type T?" is "do P and T's
 * template share a string?". Both are compiled to token lists per ARN field
 * (literal char, one char of a class, any run of a class) and the question
 * becomes reachability in the product of two NFAs: state (i, j) = tokens
 * consumed in P and T. Every move except a run-against-run self loop
 * advances i or j, so one row-major pass over the (|P|+1) x (|T|+1) grid
 * decides it: O(|P| * |T|) with no backtracking and two rows of memory.
 *
 * Field rules: partition, service, region and account are compared per
 * field (a '*' never crosses ':') ignoring case; the resource part as a
 * whole (a '*' crosses '/' and ':'), case-sensitively. In a template,
 * ${Var} is non-empty text; in the resource part it contains no '/' when a
 * '/' follows it or AWS's naming rules forbid one (var_has_slash), so a
 * pattern "bucket/" + "*" is an object, not a bucket.
 * Policy variables in a pattern are treated as '*' (they may become
 * anything), which keeps resource-mismatch free of false positives. */
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"

enum { T_LIT, T_ONE, T_STAR };
enum { C_ANY, C_NOSLASH };

typedef struct atok {
    uint8_t kind, cls;
    char ch;
} atok;

typedef struct afield {
    atok *t;
    uint32_t n;
} afield;

typedef struct arn_tmpl {
    afield f[6];
    bool ok;                  /* the template parsed into six fields */
} arn_tmpl;

/* Split s[0..len) at the first five colons, not counting colons inside a
 * policy variable (${aws:username}); returns the number of fields. */
static int split6(const char *s, size_t len, const char *f[6], size_t fl[6])
{
    int n = 0;
    size_t start = 0;
    bool in_var = false;
    for (size_t i = 0; i <= len && n < 6; i++) {
        if (i < len && s[i] == '$' && i + 1 < len && s[i + 1] == '{')
            in_var = true;
        else if (i < len && s[i] == '}')
            in_var = false;
        if (i == len || (s[i] == ':' && n < 5 && !in_var)) {
            f[n] = s + start;
            fl[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    return n;
}

static void push(atok *t, uint32_t *n, uint8_t kind, uint8_t cls, char ch)
{
    /* Collapse "**" (and a run after a run) into one run. */
    if (kind == T_STAR && *n && t[*n - 1].kind == T_STAR && t[*n - 1].cls == cls)
        return;
    t[*n].kind = kind, t[*n].cls = cls, t[*n].ch = ch;
    (*n)++;
}

/* May template variable v (from "${" to "}") contain '/'? The data has no
 * character sets, so: no when a '/' follows it (a delimiter) or when AWS's
 * naming rules forbid '/' (S3 bucket names); yes otherwise, which keeps the
 * answer conservative (log group names, object keys and paths have '/'). */
static bool var_has_slash(const char *v, size_t n, char next)
{
    static const char *const no_slash[] = {"${BucketName}"};
    if (next == '/')
        return false;
    for (size_t i = 0; i < sizeof no_slash / sizeof *no_slash; i++)
        if (strlen(no_slash[i]) == n && memcmp(v, no_slash[i], n) == 0)
            return false;
    return true;
}

/* Template field -> tokens (arena-allocated). */
static afield tmpl_field(iam_arena *a, const char *s, size_t len, bool resource)
{
    afield f = {iam_arena_alloc(a, (2 * len + 1) * sizeof(atok)), 0};
    for (size_t i = 0; i < len; i++) {
        const char *end = s[i] == '$' && i + 1 < len && s[i + 1] == '{'
                              ? memchr(s + i, '}', len - i) : NULL;
        if (end) {
            size_t next = (size_t)(end - s) + 1;
            uint8_t cls = C_ANY;
            if (resource && !var_has_slash(s + i, next - i, next < len ? s[next] : '\0'))
                cls = C_NOSLASH;
            push(f.t, &f.n, T_ONE, cls, 0);
            push(f.t, &f.n, T_STAR, cls, 0);
            i = next - 1;
        } else if (s[i] == '*') {
            push(f.t, &f.n, T_STAR, C_ANY, 0);
        } else {
            push(f.t, &f.n, T_LIT, C_ANY, s[i]);
        }
    }
    return f;
}

/* Policy pattern field -> tokens in t (room for len + 1). */
static uint32_t pat_field(atok *t, const char *s, size_t len)
{
    uint32_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
            const char *end = memchr(s + i, '}', len - i);
            if (end) {
                size_t inner = (size_t)(end - s) - i - 2;
                if (inner == 1 && strchr("*?$", s[i + 2])) {
                    push(t, &n, T_LIT, C_ANY, s[i + 2]);   /* ${*} ${?} ${$} */
                } else {
                    push(t, &n, T_STAR, C_ANY, 0);         /* a policy variable */
                }
                i = (size_t)(end - s);
                continue;
            }
        }
        if (s[i] == '*')
            push(t, &n, T_STAR, C_ANY, 0);
        else if (s[i] == '?')
            push(t, &n, T_ONE, C_ANY, 0);
        else
            push(t, &n, T_LIT, C_ANY, s[i]);
    }
    return n;
}

static inline int fold(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Is there a character both tokens accept? */
static bool compatible(const atok *x, const atok *y, bool icase)
{
    if (x->kind == T_LIT && y->kind == T_LIT)
        return icase ? fold((unsigned char)x->ch) == fold((unsigned char)y->ch) : x->ch == y->ch;
    if (x->kind == T_LIT)
        return y->cls == C_ANY || x->ch != '/';
    if (y->kind == T_LIT)
        return x->cls == C_ANY || y->ch != '/';
    return true;
}

/* Do token lists a and b accept a common string? (see the header comment) */
static bool intersect(const atok *a, uint32_t n, const atok *b, uint32_t m, bool icase)
{
    unsigned char small[2][256];
    unsigned char *rows = m + 1 <= 256 ? &small[0][0] : calloc(2, m + 1);
    if (!rows)
        iam_oom("out of memory");
    unsigned char *cur = rows, *nxt = rows + (m + 1 <= 256 ? 256 : m + 1);
    memset(cur, 0, m + 1);
    cur[0] = 1;
    bool found = false;
    for (uint32_t i = 0; i <= n && !found; i++) {
        memset(nxt, 0, m + 1);
        for (uint32_t j = 0; j <= m; j++) {
            if (!cur[j])
                continue;
            if (i == n && j == m) {
                found = true;
                break;
            }
            bool as = i < n && a[i].kind == T_STAR, bs = j < m && b[j].kind == T_STAR;
            if (as)
                nxt[j] = 1;                 /* a's run matches nothing more */
            if (bs && j < m)
                cur[j + 1] = 1;             /* b's run matches nothing more */
            if (i < n && j < m && !(as && bs) && compatible(&a[i], &b[j], icase)) {
                uint32_t j2 = bs ? j : j + 1;
                if (as)
                    cur[j2] = 1;            /* a stays, b advances */
                else
                    nxt[j2] = 1;
            }
        }
        unsigned char *t = cur;
        cur = nxt;
        nxt = t;
    }
    if (rows != &small[0][0])
        free(rows);
    return found;
}

/* -- template cache ----------------------------------------------------- */

static arn_tmpl *compile_all(iam_catalog *c)
{
    iam_arena *a = iam_arena_new();
    arn_tmpl *v = iam_arena_alloc(a, (c->nrt ? c->nrt : 1) * sizeof *v);
    for (uint32_t r = 0; r < c->nrt; r++) {
        const char *s = CAT_STR(c, c->rt[r].arn);
        const char *f[6];
        size_t fl[6];
        if (split6(s, strlen(s), f, fl) != 6)
            continue;
        for (int k = 0; k < 6; k++)
            v[r].f[k] = tmpl_field(a, f[k], fl[k], k == 5);
        v[r].ok = true;
    }
    c->tmpl_arena = a;
    return v;
}

static const arn_tmpl *templates(const iam_catalog *cc)
{
    iam_catalog *c = (iam_catalog *)cc;   /* only the lazily built cache is written */
    arn_tmpl *t = atomic_load_explicit(&c->tmpl, memory_order_acquire);
    if (t)
        return t;
    pthread_mutex_lock(&c->lock);
    t = atomic_load_explicit(&c->tmpl, memory_order_relaxed);
    if (!t) {
        t = compile_all(c);
        atomic_store_explicit(&c->tmpl, t, memory_order_release);
    }
    pthread_mutex_unlock(&c->lock);
    return t;
}

void cat_arn_free(iam_catalog *c)
{
    if (c->tmpl_arena)
        iam_arena_destroy(c->tmpl_arena);
    c->tmpl_arena = NULL;
    atomic_store(&c->tmpl, NULL);
}

static bool has_wild(const char *s, size_t n)
{
    return memchr(s, '*', n) || memchr(s, '?', n);
}

bool iam_catalog_arn_matches_rtype(const iam_catalog *c, const char *arn, size_t len, uint32_t rt)
{
    const arn_tmpl *t = &templates(c)[rt];
    if (!t->ok)
        return true;   /* an unparsable template cannot rule anything out */
    if (len == 1 && arn[0] == '*')
        return true;
    const char *f[6];
    size_t fl[6];
    int nf = split6(arn, len, f, fl);
    if (nf < 6 && !has_wild(arn, len))
        return false;
    atok buf[512];
    atok *tok = len + 8 <= sizeof buf / sizeof *buf ? buf : iam_xmalloc((len + 8) * sizeof *tok);
    bool ok = true;
    for (int k = 0; k < 6 && ok; k++) {
        uint32_t n;
        if (k < nf) {
            n = pat_field(tok, f[k], fl[k]);
        } else {
            n = 0;   /* short ARN with a wildcard: missing fields are '*' */
            push(tok, &n, T_STAR, C_ANY, 0);
        }
        ok = intersect(tok, n, t->f[k].t, t->f[k].n, k < 5);
    }
    if (tok != buf)
        free(tok);
    return ok;
}

/* -- shape checks (invalid-arn) ----------------------------------------- */

static bool lenient(const char *s, size_t n)
{
    return has_wild(s, n) || memchr(s, '$', n);
}

static bool is_partition(const char *s, size_t n)
{
    static const char *const known[] = {"aws", "aws-cn", "aws-us-gov", "aws-eusc"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strlen(known[i]) == n && strncmp(s, known[i], n) == 0)
            return true;
    return n > 7 && strncmp(s, "aws-iso", 7) == 0;
}

static bool is_region(const char *s, size_t n)
{
    /* xx(-word)+-digits: us-east-1, us-gov-west-1, us-isob-east-1 */
    size_t i = 0;
    while (i < n && s[i] >= 'a' && s[i] <= 'z')
        i++;
    if (i != 2)
        return false;
    size_t words = 0;
    while (i < n && s[i] == '-') {
        size_t j = ++i;
        while (i < n && s[i] >= 'a' && s[i] <= 'z')
            i++;
        if (i == j)
            break;
        words++;
    }
    if (words == 0 || i == n || s[i - 1] != '-')
        return false;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

const char *iam_arn_check(const char *arn, size_t len, int *field)
{
    const char *f[6];
    size_t fl[6];
    int nf = split6(arn, len, f, fl);
    *field = -1;
    if (nf < 1 || fl[0] != 3 || strncmp(arn, "arn", 3) != 0)
        return "an ARN starts with 'arn:'";
    if (nf < 6)
        return has_wild(arn, len) ? NULL
                                  : "an ARN has six fields, arn:partition:service:region:account:resource";
    *field = 1;
    if (!lenient(f[1], fl[1]) && !is_partition(f[1], fl[1]))
        return "the partition is not an AWS partition (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc)";
    *field = 2;
    if (fl[2] == 0)
        return "the service field is empty";
    for (size_t i = 0; i < fl[2]; i++) {
        char ch = f[2][i];
        if (!(ch >= 'a' && ch <= 'z') && !(ch >= '0' && ch <= '9') && ch != '-' && ch != '*' &&
            ch != '?' && !(ch >= 'A' && ch <= 'Z'))
            return "the service field has characters a service prefix cannot have";
    }
    *field = 3;
    if (fl[3] && !lenient(f[3], fl[3]) && !is_region(f[3], fl[3]))
        return "the region field is not a region name such as us-east-1";
    *field = 4;
    if (fl[4] && !lenient(f[4], fl[4])) {
        size_t digits = 0;
        for (size_t i = 0; i < fl[4]; i++)
            digits += f[4][i] >= '0' && f[4][i] <= '9';
        if (digits == fl[4] && fl[4] != 12)
            return "the account field is not a 12-digit account id";
    }
    *field = 5;
    if (fl[5] == 0)
        return "the resource part is empty";
    *field = -1;
    return NULL;
}
