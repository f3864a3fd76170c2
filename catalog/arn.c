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

/* Do token lists a and b accept a common string? (see the header comment)
 * Reachable states of a row are usually a narrow band, so each row scans
 * only [lo, hi], the span where states were set, and clears only that span
 * for reuse; a row with no state left ends the search (nothing can follow). */
static bool intersect(const atok *a, uint32_t n, const atok *b, uint32_t m, bool icase)
{
    /* Where both lists start (or end) with literals, a common string must
     * spell them in lockstep: no other move exists there. So a mismatch
     * decides at once ("instance/" + "*" against "volume/${VolumeId}"), and
     * matching literals are cut off before the grid search. */
    while (n && m && a[0].kind == T_LIT && b[0].kind == T_LIT) {
        if (!compatible(&a[0], &b[0], icase))
            return false;
        a++, b++, n--, m--;
    }
    while (n && m && a[n - 1].kind == T_LIT && b[m - 1].kind == T_LIT) {
        if (!compatible(&a[n - 1], &b[m - 1], icase))
            return false;
        n--, m--;
    }
    /* Shortcuts for the usual fields: a lone '*' of class any meets every
     * token list (none has an empty language), and two literal lists meet
     * only when they are equal. */
    if ((n == 1 && a[0].kind == T_STAR && a[0].cls == C_ANY) ||
        (m == 1 && b[0].kind == T_STAR && b[0].cls == C_ANY))
        return true;
    bool literal = n == m;
    for (uint32_t i = 0; i < n && literal; i++)
        literal = a[i].kind == T_LIT && b[i].kind == T_LIT;
    if (literal) {
        for (uint32_t i = 0; i < n; i++)
            if (!compatible(&a[i], &b[i], icase))
                return false;
        return true;
    }
    unsigned char small[2][256];
    unsigned char *rows = m + 1 <= 256 ? &small[0][0] : calloc(2, m + 1);
    if (!rows)
        iam_oom("out of memory");
    unsigned char *cur = rows, *nxt = rows + (m + 1 <= 256 ? 256 : m + 1);
    memset(cur, 0, m + 1);
    memset(nxt, 0, m + 1);
    cur[0] = 1;
    uint32_t lo = 0, hi = 0;   /* cur's states lie in [lo, hi] */
    bool found = false;
    for (uint32_t i = 0; i <= n && !found; i++) {
        uint32_t nlo = m + 1, nhi = 0;
        for (uint32_t j = lo; j <= hi; j++) {
            if (!cur[j])
                continue;
            if (i == n && j == m) {
                found = true;
                break;
            }
            bool as = i < n && a[i].kind == T_STAR, bs = j < m && b[j].kind == T_STAR;
            if (as) {
                nxt[j] = 1;                 /* a's run matches nothing more */
                nlo = j < nlo ? j : nlo;
                nhi = j > nhi ? j : nhi;
            }
            if (bs && j < m) {
                cur[j + 1] = 1;             /* b's run matches nothing more */
                hi = j + 1 > hi ? j + 1 : hi;
            }
            if (i < n && j < m && !(as && bs) && compatible(&a[i], &b[j], icase)) {
                uint32_t j2 = bs ? j : j + 1;
                if (as) {
                    cur[j2] = 1;            /* a stays, b advances */
                    hi = j2 > hi ? j2 : hi;
                } else {
                    nxt[j2] = 1;
                    nlo = j2 < nlo ? j2 : nlo;
                    nhi = j2 > nhi ? j2 : nhi;
                }
            }
        }
        memset(cur + lo, 0, hi - lo + 1);
        unsigned char *t = cur;
        cur = nxt;
        nxt = t;
        if (nlo > nhi)
            break;                          /* no state reached: no match */
        lo = nlo;
        hi = nhi;
    }
    if (rows != &small[0][0])
        free(rows);
    return found;
}

static bool has_wild(const char *s, size_t n)
{
    return memchr(s, '*', n) || memchr(s, '?', n);
}

/* -- template cache ----------------------------------------------------- */

/* a[0..n) (may hold NULs) vs NUL-terminated folded b, ordered as strcmp
 * orders folded strings. */
static int fold_cmp(const char *a, size_t n, const char *b)
{
    for (size_t i = 0; i < n; i++) {
        if (!b[i])
            return 1;   /* b is a proper prefix of a */
        int x = fold((unsigned char)a[i]), y = (unsigned char)b[i];
        if (x != y)
            return x - y;
    }
    return b[n] ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The service fields of the templates (text between the second and third
 * ':'), folded, sorted and unique: iam_catalog_arn_service_known answers by
 * binary search instead of scanning every template per Resource. */
static void index_services(iam_catalog *c, iam_arena *a)
{
    const char **v = iam_arena_alloc(a, (c->nrt ? c->nrt : 1) * sizeof *v);
    uint32_t n = 0;
    for (uint32_t r = 0; r < c->nrt; r++) {
        const char *f = strchr(CAT_STR(c, c->rt[r].arn), ':');
        f = f ? strchr(f + 1, ':') : NULL;
        const char *end = f ? strchr(f + 1, ':') : NULL;
        if (!end)
            continue;
        char *sv = iam_arena_strndup(a, f + 1, (size_t)(end - f - 1));
        for (char *q = sv; *q; q++)
            *q = (char)fold((unsigned char)*q);
        v[n++] = sv;
    }
    qsort(v, n, sizeof *v, cmp_str);
    uint32_t u = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!u || strcmp(v[u - 1], v[i]) != 0)
            v[u++] = v[i];
    c->arn_svc = v;
    c->narn_svc = u;
}

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
    index_services(c, a);
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
    c->arn_svc = NULL;
    c->narn_svc = 0;
    atomic_store(&c->tmpl, NULL);
}

bool iam_catalog_arn_service_known(const iam_catalog *c, const char *svc, size_t len)
{
    templates(c);   /* builds the index; the acquire load publishes it */
    size_t lo = 0, hi = c->narn_svc;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = fold_cmp(svc, len, c->arn_svc[mid]);
        if (r == 0)
            return true;
        if (r > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* -- patterns ------------------------------------------------------------ */

/* A Resource pattern split and tokenized once, to be matched against many
 * templates (one statement's resource meets every resource type of its
 * actions). */
typedef struct arn_pat {
    bool any;          /* "*": every type */
    bool none;         /* fewer than six fields and no wildcard: no type */
    afield f[6];
} arn_pat;

/* Tokens go to buf, which has room for len + 8. */
static void pat_compile(arn_pat *p, atok *buf, const char *arn, size_t len)
{
    memset(p, 0, sizeof *p);
    if (len == 1 && arn[0] == '*') {
        p->any = true;
        return;
    }
    const char *f[6];
    size_t fl[6];
    int nf = split6(arn, len, f, fl);
    if (nf < 6 && !has_wild(arn, len)) {
        p->none = true;
        return;
    }
    for (int k = 0; k < 6; k++) {
        uint32_t n = 0;
        if (k < nf)
            n = pat_field(buf, f[k], fl[k]);
        else
            push(buf, &n, T_STAR, C_ANY, 0);   /* short ARN with a wildcard: missing fields are '*' */
        p->f[k] = (afield){buf, n};
        buf += n;
    }
}

static bool pat_matches(const arn_pat *p, const arn_tmpl *t)
{
    if (!t->ok)
        return true;   /* an unparsable template cannot rule anything out */
    if (p->any)
        return true;
    if (p->none)
        return false;
    for (int k = 0; k < 6; k++)
        if (!intersect(p->f[k].t, p->f[k].n, t->f[k].t, t->f[k].n, k < 5))
            return false;
    return true;
}

bool iam_catalog_arn_matches_rtype(const iam_catalog *c, const char *arn, size_t len, uint32_t rt)
{
    const arn_tmpl *t = &templates(c)[rt];
    atok buf[512];
    atok *tok = len + 8 <= sizeof buf / sizeof *buf ? buf : iam_xmalloc((len + 8) * sizeof *tok);
    arn_pat p;
    pat_compile(&p, tok, arn, len);
    bool ok = pat_matches(&p, t);
    if (tok != buf)
        free(tok);
    return ok;
}

/* -- memo of verdicts (iam_catalog_memo) ----------------------------------- */

/* Policies repeat Resource patterns ("arn:aws:ec2:*:*:instance/" + "*" in
 * hundreds of managed policies) and every statement asks about the resource
 * types of its actions: remember each pattern compiled and each (pattern,
 * type) verdict for the run. Patterns are keyed by content; verdicts by
 * (pattern number + 1) << 32 | type, 0 marking a free slot. */
struct iam_arn_ref {
    const char *s;
    size_t len;
    uint64_t hash;
    uint32_t id;
    arn_pat pat;
};

struct cat_arn_memo {
    iam_arena *a;
    iam_arn_ref **text;
    size_t tcap, tused;
    uint64_t *vkey;
    unsigned char *vval;      /* 1 matches, 2 does not */
    size_t vcap, vused;
};

cat_arn_memo *cat_arn_memo_new(iam_arena *a)
{
    cat_arn_memo *m = iam_arena_alloc(a, sizeof *m);
    m->a = a;
    m->tcap = 64;
    m->text = iam_arena_alloc(a, m->tcap * sizeof *m->text);
    m->vcap = 256;
    m->vkey = iam_arena_alloc(a, m->vcap * sizeof *m->vkey);
    m->vval = iam_arena_alloc(a, m->vcap);
    return m;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static size_t text_slot(iam_arn_ref **v, size_t cap, const char *s, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (v[i] && !(v[i]->hash == h && v[i]->len == len && memcmp(v[i]->s, s, len) == 0))
        i = (i + 1) & (cap - 1);
    return i;
}

const iam_arn_ref *cat_arn_memo_ref(cat_arn_memo *m, const char *s, size_t len)
{
    uint64_t h = hash_bytes(s, len);
    size_t i = text_slot(m->text, m->tcap, s, len, h);
    if (m->text[i])
        return m->text[i];
    if (2 * (m->tused + 1) > m->tcap) {
        size_t cap = 2 * m->tcap;
        iam_arn_ref **v = iam_arena_alloc(m->a, cap * sizeof *v);
        for (size_t k = 0; k < m->tcap; k++)
            if (m->text[k])
                v[text_slot(v, cap, m->text[k]->s, m->text[k]->len, m->text[k]->hash)] = m->text[k];
        m->text = v;
        m->tcap = cap;
        i = text_slot(v, cap, s, len, h);
    }
    iam_arn_ref *t = iam_arena_alloc(m->a, sizeof *t);
    t->s = iam_arena_strndup(m->a, s, len);
    t->len = len;
    t->hash = h;
    t->id = (uint32_t)m->tused++;
    pat_compile(&t->pat, iam_arena_alloc(m->a, (len + 8) * sizeof(atok)), s, len);
    m->text[i] = t;
    return t;
}

static size_t verdict_slot(const uint64_t *keys, size_t cap, uint64_t key)
{
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15u) >> 32) & (cap - 1);
    while (keys[i] && keys[i] != key)
        i = (i + 1) & (cap - 1);
    return i;
}

bool cat_arn_memo_fits(cat_arn_memo *m, const iam_catalog *c, const iam_arn_ref *t, uint32_t rt)
{
    uint64_t key = ((uint64_t)t->id + 1) << 32 | rt;
    size_t i = verdict_slot(m->vkey, m->vcap, key);
    if (m->vkey[i])
        return m->vval[i] == 1;
    bool ok = pat_matches(&t->pat, &templates(c)[rt]);
    if (2 * (m->vused + 1) > m->vcap) {
        size_t cap = 2 * m->vcap;
        uint64_t *keys = iam_arena_alloc(m->a, cap * sizeof *keys);
        unsigned char *vals = iam_arena_alloc(m->a, cap);
        for (size_t k = 0; k < m->vcap; k++)
            if (m->vkey[k]) {
                size_t j = verdict_slot(keys, cap, m->vkey[k]);
                keys[j] = m->vkey[k];
                vals[j] = m->vval[k];
            }
        m->vkey = keys;
        m->vval = vals;
        m->vcap = cap;
        i = verdict_slot(keys, cap, key);
    }
    m->vkey[i] = key;
    m->vval[i] = ok ? 1 : 2;
    m->vused++;
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
