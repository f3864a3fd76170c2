/* catalog.c - catalog queries: lookups by name, condition key resolution,
 * action sets and pattern expansion. All functions only read the tables. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog/internal.h"
#include "core/glob.h"

/* -- header and counts -------------------------------------------------- */

const char *iam_catalog_package(const iam_catalog *c) { return CAT_STR(c, c->package); }
const char *iam_catalog_version(const iam_catalog *c) { return CAT_STR(c, c->version); }
const char *iam_catalog_date(const iam_catalog *c) { return CAT_STR(c, c->date); }
size_t iam_catalog_service_count(const iam_catalog *c) { return c->nsvc; }
size_t iam_catalog_action_count(const iam_catalog *c) { return c->nact; }
size_t iam_catalog_resource_type_count(const iam_catalog *c) { return c->nrt; }
size_t iam_catalog_condition_key_count(const iam_catalog *c) { return c->nkey; }
size_t iam_catalog_global_key_count(const iam_catalog *c) { return c->ngkey; }

/* -- services ----------------------------------------------------------- */

uint32_t iam_catalog_service_find(const iam_catalog *c, const char *prefix, size_t len)
{
    size_t lo = 0, hi = c->nsvc;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = cat_pcmp(prefix, len, CAT_STR(c, c->svc[mid].prefix));
        if (r == 0)
            return (uint32_t)mid;
        if (r > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return IAM_CATALOG_NONE;
}

const char *iam_catalog_service_prefix(const iam_catalog *c, uint32_t sid)
{
    return CAT_STR(c, c->svc[sid].prefix);
}

const char *iam_catalog_service_name(const iam_catalog *c, uint32_t sid)
{
    return CAT_STR(c, c->svc[sid].name);
}

void iam_catalog_service_actions(const iam_catalog *c, uint32_t sid, uint32_t *first, uint32_t *n)
{
    *first = c->svc[sid].a0;
    *n = c->svc[sid].na;
}

/* -- actions ------------------------------------------------------------ */

/* Action id of name[0..len) within service sid, or NONE. */
static uint32_t find_in_service(const iam_catalog *c, uint32_t sid, const char *name, size_t len)
{
    size_t lo = c->svc[sid].a0, hi = lo + c->svc[sid].na;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = cat_fncmp(name, len, CAT_STR(c, c->act[mid].name));
        if (r == 0)
            return (uint32_t)mid;
        if (r > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return IAM_CATALOG_NONE;
}

uint32_t iam_catalog_action_find(const iam_catalog *c, const char *name, size_t len)
{
    const char *colon = memchr(name, ':', len);
    if (!colon)
        return IAM_CATALOG_NONE;
    uint32_t sid = iam_catalog_service_find(c, name, (size_t)(colon - name));
    if (sid == IAM_CATALOG_NONE)
        return IAM_CATALOG_NONE;
    return find_in_service(c, sid, colon + 1, len - (size_t)(colon - name) - 1);
}

void iam_catalog_action_get(const iam_catalog *c, uint32_t id, iam_action_info *out)
{
    const cat_action *a = &c->act[id];
    out->service = CAT_STR(c, c->svc[a->svc].prefix);
    out->name = CAT_STR(c, a->name);
    out->service_id = a->svc;
    out->access = a->access;
    out->nresources = a->non;
    out->nkeys = a->nkr;
    out->ndeps = a->nd;
}

size_t iam_catalog_action_fullname(const iam_catalog *c, uint32_t id, char *buf, size_t cap)
{
    const cat_action *a = &c->act[id];
    int n = snprintf(buf, cap, "%s:%s", CAT_STR(c, c->svc[a->svc].prefix), CAT_STR(c, a->name));
    return n < 0 ? 0 : (size_t)n;
}

void iam_catalog_action_resource(const iam_catalog *c, uint32_t id, size_t i,
                                 iam_action_resource *out)
{
    const cat_on *on = &c->on[c->act[id].on0 + i];
    out->rtype = on->rtype;
    out->required = on->required;
    out->nkeys = on->nkr;
}

uint32_t iam_catalog_action_key(const iam_catalog *c, uint32_t id, size_t i)
{
    return c->kref[c->act[id].kr0 + i];
}

uint32_t iam_catalog_action_resource_key(const iam_catalog *c, uint32_t id, size_t r, size_t i)
{
    return c->kref[c->on[c->act[id].on0 + r].kr0 + i];
}

const char *iam_catalog_action_dep(const iam_catalog *c, uint32_t id, size_t i)
{
    return CAT_STR(c, c->dep[c->act[id].d0 + i]);
}

static bool in_refs(const iam_catalog *c, uint32_t k0, uint32_t n, uint32_t key)
{
    for (uint32_t i = 0; i < n; i++)
        if (c->kref[k0 + i] == key)
            return true;
    return false;
}

bool iam_catalog_action_supports_key(const iam_catalog *c, uint32_t id, uint32_t key)
{
    const cat_action *a = &c->act[id];
    if (in_refs(c, a->kr0, a->nkr, key))
        return true;
    for (uint32_t i = 0; i < a->non; i++) {
        const cat_on *on = &c->on[a->on0 + i];
        const cat_rtype *rt = &c->rt[on->rtype];
        if (in_refs(c, on->kr0, on->nkr, key) || in_refs(c, rt->kr0, rt->nkr, key))
            return true;
    }
    return false;
}

static const char *const level_names[] = {"List", "Read", "Write", "Tagging",
                                          "Permissions management"};

const char *iam_access_level_name(iam_access_level l)
{
    for (int i = 0; i < 5; i++)
        if (l == (1u << i))
            return level_names[i];
    return "?";
}

unsigned iam_access_level_parse(const char *s)
{
    unsigned bits = 0;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        size_t n = strcspn(s, ",");
        while (n && s[n - 1] == ' ')
            n--;
        if (!n)
            break;
        unsigned bit = 0;
        for (int i = 0; i < 5; i++)
            if (strlen(level_names[i]) == n && cat_fncmp(s, n, level_names[i]) == 0)
                bit = 1u << i;
        if (!bit)
            return 0;
        bits |= bit;
        s += strcspn(s, ",");
    }
    return bits;
}

const char *iam_access_level_format(unsigned bits, char *buf, size_t cap)
{
    /* The data's own order: "Tagging, Write", "Permissions management, Write". */
    static const int order[] = {0, 1, 3, 4, 2};
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int k = 0; k < 5; k++)
        if (bits & (1u << order[k])) {
            int n = snprintf(buf + len, cap > len ? cap - len : 0, "%s%s", len ? ", " : "",
                             level_names[order[k]]);
            len += n > 0 ? (size_t)n : 0;
        }
    return buf;
}

/* -- resource types ----------------------------------------------------- */

const char *iam_catalog_rtype_name(const iam_catalog *c, uint32_t rt) { return CAT_STR(c, c->rt[rt].name); }
const char *iam_catalog_rtype_arn(const iam_catalog *c, uint32_t rt) { return CAT_STR(c, c->rt[rt].arn); }
uint32_t iam_catalog_rtype_service(const iam_catalog *c, uint32_t rt) { return c->rt[rt].svc; }
size_t iam_catalog_rtype_key_count(const iam_catalog *c, uint32_t rt) { return c->rt[rt].nkr; }
uint32_t iam_catalog_rtype_key(const iam_catalog *c, uint32_t rt, size_t i) { return c->kref[c->rt[rt].kr0 + i]; }

/* -- condition keys ----------------------------------------------------- */

const char *iam_catalog_key_name(const iam_catalog *c, uint32_t key) { return CAT_STR(c, c->key[key].name); }
iam_key_type iam_catalog_key_type(const iam_catalog *c, uint32_t key) { return (iam_key_type)c->key[key].type; }
uint32_t iam_catalog_key_service(const iam_catalog *c, uint32_t key) { return c->key[key].svc; }
const char *iam_catalog_global_key_name(const iam_catalog *c, size_t i) { return CAT_STR(c, c->gkey[i].name); }
iam_key_type iam_catalog_global_key_type(const iam_catalog *c, size_t i) { return (iam_key_type)c->gkey[i].type; }

const char *iam_key_type_name(iam_key_type t)
{
    static const char *const base[] = {"String", "ARN", "Bool", "Numeric", "Date", "IPAddress", "Binary"};
    static const char *const arr[] = {"ArrayOfString", "ArrayOfARN", "ArrayOfBool", "ArrayOfNumeric",
                                      "ArrayOfDate", "ArrayOfIPAddress", "ArrayOfBinary"};
    unsigned b = IAM_KT_BASE(t);
    if (b > IAM_KT_BINARY)
        return "?";
    return (t & IAM_KT_ARRAY) ? arr[b] : base[b];
}

/* Does a templated key name ("s3:ExistingObjectTag/<key>",
 * "aws:ResourceTag/${TagKey}") match key[0..len)? Variables stand for a
 * non-empty run: each becomes "?*" in an IAM glob. */
static bool template_matches(const char *templ, const char *key, size_t len)
{
    char pat[512];
    size_t n = 0;
    for (const char *p = templ; *p && n + 2 < sizeof pat; p++) {
        const char *end = NULL;
        if (p[0] == '$' && p[1] == '{')
            end = strchr(p, '}');
        else if (p[0] == '<')
            end = strchr(p, '>');
        if (end) {
            pat[n++] = '?';
            pat[n++] = '*';
            p = end;
        } else if (*p == '*' || *p == '?') {
            return false;   /* never in the data; refuse rather than glob */
        } else {
            pat[n++] = *p;
        }
    }
    return iam_glob_match(pat, n, key, len, true);
}

/* a[0..n) equals b[0..n) ignoring ASCII case. */
static bool feq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return false;
    }
    return true;
}

static bool global_matches(const iam_catalog *c, const cat_key *g, const char *key, size_t len)
{
    const char *name = CAT_STR(c, g->name);
    if (!g->templ)
        return strlen(name) == len && feq(key, name, len);
    /* "aws:PrincipalTag/tag-key": any non-empty suffix after the '/'. */
    size_t plen = (size_t)(strchr(name, '/') - name) + 1;
    return len > plen && feq(key, name, plen);
}

bool iam_catalog_key_resolve(const iam_catalog *c, const char *key, size_t len, uint32_t *keys,
                             size_t cap, iam_key_match *out)
{
    memset(out, 0, sizeof *out);
    for (uint32_t i = 0; i < c->ngkey && !out->global; i++)
        if (global_matches(c, &c->gkey[i], key, len)) {
            out->global = true;
            out->global_type = (iam_key_type)c->gkey[i].type;
            out->global_name = CAT_STR(c, c->gkey[i].name);
        }
    /* Exact service keys: the first index whose name is >= key, then the run. */
    size_t lo = 0, hi = c->nkey;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cat_fncmp(key, len, CAT_STR(c, c->key[mid].name)) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < c->nkey && cat_fncmp(key, len, CAT_STR(c, c->key[lo].name)) == 0; lo++) {
        if (out->nkeys < cap)
            keys[out->nkeys] = (uint32_t)lo;
        out->nkeys++;
    }
    /* Templates ("s3:ExistingObjectTag/<key>") only for names that are
     * neither global nor exact, and only within the key's own prefix: the
     * cheap prefix test keeps this from globbing every template. */
    const char *colon = memchr(key, ':', len);
    size_t plen = colon ? (size_t)(colon - key) + 1 : 0;
    if (out->nkeys == 0 && !out->global && plen)
        for (uint32_t i = 0; i < c->ntkeys; i++) {
            uint32_t k = c->tkeys[i];
            const char *tn = CAT_STR(c, c->key[k].name);
            if (strncasecmp(tn, key, plen) != 0)
                continue;
            if (template_matches(tn, key, len)) {
                if (out->nkeys < cap)
                    keys[out->nkeys] = k;
                out->nkeys++;
            }
        }
    return out->global || out->nkeys > 0;
}

size_t iam_catalog_key_prefix_services(const iam_catalog *c, const char *prefix, size_t len,
                                       uint32_t *sids, size_t cap)
{
    for (uint32_t i = 0; i < c->nkp; i++) {
        const cat_kprefix *k = &c->kp[i];
        if (cat_fncmp(prefix, len, CAT_STR(c, k->prefix)) != 0)
            continue;
        for (uint32_t j = 0; j < k->ns && j < cap; j++)
            sids[j] = c->sref[k->s0 + j];
        return k->ns;
    }
    return 0;
}

/* -- action sets -------------------------------------------------------- */

/* Most sets are small and local: one entry's expansion lies in one service,
 * whose ids are a contiguous range (see the numbering in catalog.h). So a
 * set stores only the words [lo, hi) that may be non-zero instead of the
 * whole catalog (~350 words): creating a set costs no zeroing, and every
 * operation touches only the words its operands can have. A statement's
 * set grows to the union of its services' ranges; a complement is full. */
struct iam_actionset {
    const iam_catalog *c;
    iam_arena *a;
    uint64_t *w;           /* words lo..hi-1: w[0] is word lo */
    uint32_t lo, hi;       /* invariant: every word outside [lo, hi) is 0 */
    uint32_t nw;           /* words of the whole catalog */
    const char **unm;      /* patterns that matched no catalog action */
    size_t nunm, capunm;
};

/* Word k of s (zero outside the stored range). */
static inline uint64_t word(const iam_actionset *s, uint32_t k)
{
    return k >= s->lo && k < s->hi ? s->w[k - s->lo] : 0;
}

/* Make words [klo, khi) addressable. Growing leaves slack the size of the
 * old range in each growing direction, so a set filled one id at a time in
 * either order is copied O(log n) times, not once per word. */
static void ensure(iam_actionset *s, uint32_t klo, uint32_t khi)
{
    if (klo >= khi || (klo >= s->lo && khi <= s->hi))
        return;
    uint32_t lo = klo, hi = khi;
    if (s->hi > s->lo) {   /* keep the old words; grow by at least their number */
        uint32_t size = s->hi - s->lo;
        if (lo > s->lo)
            lo = s->lo;
        else if (lo + size >= s->lo)
            lo = s->lo > size ? s->lo - size : 0;
        if (hi < s->hi)
            hi = s->hi;
        else if (hi <= s->hi + size)
            hi = s->hi + size < s->nw ? s->hi + size : s->nw;
    }
    uint64_t *w = iam_arena_alloc(s->a, (size_t)(hi - lo) * sizeof *w);   /* zeroed */
    if (s->hi > s->lo)
        memcpy(w + (s->lo - lo), s->w, (size_t)(s->hi - s->lo) * sizeof *w);
    s->w = w;
    s->lo = lo;
    s->hi = hi;
}

iam_actionset *iam_actionset_new(iam_arena *a, const iam_catalog *c)
{
    iam_actionset *s = iam_arena_alloc(a, sizeof *s);
    s->c = c;
    s->a = a;
    s->nw = (c->nact + 63) / 64;
    return s;
}

static void copy_unmatched(iam_actionset *s, const iam_actionset *src)
{
    for (size_t i = 0; i < src->nunm; i++) {
        if (s->nunm == s->capunm) {
            size_t cap = s->capunm ? 2 * s->capunm : 4;
            s->unm = iam_arena_grow(s->a, s->unm, s->nunm, cap, sizeof *s->unm);
            s->capunm = cap;
        }
        s->unm[s->nunm++] = iam_arena_strdup(s->a, src->unm[i]);
    }
}

iam_actionset *iam_actionset_copy(iam_arena *a, const iam_actionset *src)
{
    iam_actionset *s = iam_actionset_new(a, src->c);
    ensure(s, src->lo, src->hi);
    if (src->hi > src->lo)
        memcpy(s->w, src->w, (size_t)(src->hi - src->lo) * sizeof *s->w);
    copy_unmatched(s, src);
    return s;
}

static void add_unmatched(iam_actionset *s, const char *p, size_t len)
{
    for (size_t i = 0; i < s->nunm; i++)
        if (strlen(s->unm[i]) == len && memcmp(s->unm[i], p, len) == 0)
            return;
    if (s->nunm == s->capunm) {
        size_t cap = s->capunm ? 2 * s->capunm : 4;
        s->unm = iam_arena_grow(s->a, s->unm, s->nunm, cap, sizeof *s->unm);
        s->capunm = cap;
    }
    s->unm[s->nunm++] = iam_arena_strndup(s->a, p, len);
}

void iam_actionset_add(iam_actionset *s, uint32_t id)
{
    ensure(s, id / 64, id / 64 + 1);
    s->w[id / 64 - s->lo] |= (uint64_t)1 << (id % 64);
}

/* Add ids [first, first + n) a word at a time ("s3:*", "*"). */
static void add_range(iam_actionset *s, uint32_t first, uint32_t n)
{
    if (!n)
        return;
    uint32_t end = first + n;
    ensure(s, first / 64, (end + 63) / 64);
    for (uint32_t id = first; id < end;) {
        uint32_t bit = id % 64, take = 64 - bit < end - id ? 64 - bit : end - id;
        uint64_t m = take == 64 ? ~(uint64_t)0 : (((uint64_t)1 << take) - 1) << bit;
        s->w[id / 64 - s->lo] |= m;
        id += take;
    }
}

bool iam_actionset_has(const iam_actionset *s, uint32_t id)
{
    return id < s->c->nact && (word(s, id / 64) >> (id % 64)) & 1;
}

size_t iam_actionset_count(const iam_actionset *s)
{
    size_t n = 0;
    for (uint32_t i = 0; i < s->hi - s->lo; i++)
        n += (size_t)__builtin_popcountll(s->w[i]);
    return n;
}

bool iam_actionset_empty(const iam_actionset *s)
{
    for (uint32_t i = 0; i < s->hi - s->lo; i++)
        if (s->w[i])
            return false;
    return true;
}

void iam_actionset_union(iam_actionset *dst, const iam_actionset *src)
{
    ensure(dst, src->lo, src->hi);
    for (uint32_t k = src->lo; k < src->hi; k++)
        dst->w[k - dst->lo] |= src->w[k - src->lo];
    for (size_t i = 0; i < src->nunm; i++)
        add_unmatched(dst, src->unm[i], strlen(src->unm[i]));
}

void iam_actionset_intersect(iam_actionset *dst, const iam_actionset *src)
{
    for (uint32_t k = dst->lo; k < dst->hi; k++)
        dst->w[k - dst->lo] &= word(src, k);
    /* Words outside src's range are now zero: narrow dst to the overlap. */
    uint32_t lo = dst->lo > src->lo ? dst->lo : src->lo, hi = dst->hi < src->hi ? dst->hi : src->hi;
    if (lo >= hi) {
        dst->lo = dst->hi = 0;
    } else {
        dst->w += lo - dst->lo;
        dst->lo = lo;
        dst->hi = hi;
    }
    dst->nunm = 0;
}

void iam_actionset_subtract(iam_actionset *dst, const iam_actionset *src)
{
    uint32_t lo = dst->lo > src->lo ? dst->lo : src->lo, hi = dst->hi < src->hi ? dst->hi : src->hi;
    for (uint32_t k = lo; k < hi; k++)
        dst->w[k - dst->lo] &= ~src->w[k - src->lo];
    dst->nunm = 0;
}

void iam_actionset_complement(iam_actionset *s)
{
    ensure(s, 0, s->nw);
    for (size_t i = 0; i < s->nw; i++)
        s->w[i] = ~s->w[i];
    if (s->c->nact % 64)   /* keep the bits past the last action clear */
        s->w[s->nw - 1] &= ((uint64_t)1 << (s->c->nact % 64)) - 1;
    s->nunm = 0;
}

bool iam_actionset_subset(const iam_actionset *a, const iam_actionset *b)
{
    for (uint32_t k = a->lo; k < a->hi; k++)
        if (a->w[k - a->lo] & ~word(b, k))
            return false;
    return true;
}

bool iam_actionset_equal(const iam_actionset *a, const iam_actionset *b)
{
    uint32_t lo = a->lo < b->lo ? a->lo : b->lo, hi = a->hi > b->hi ? a->hi : b->hi;
    if (a->lo == a->hi)
        lo = b->lo, hi = b->hi;
    else if (b->lo == b->hi)
        lo = a->lo, hi = a->hi;
    for (uint32_t k = lo; k < hi; k++)
        if (word(a, k) != word(b, k))
            return false;
    return true;
}

uint32_t iam_actionset_next(const iam_actionset *s, uint32_t from)
{
    if (from >= s->c->nact)
        return IAM_CATALOG_NONE;
    uint32_t k = from / 64;
    uint64_t w;
    if (k < s->lo) {
        k = s->lo;
        w = k < s->hi ? s->w[0] : 0;
    } else {
        w = word(s, k) & (~(uint64_t)0 << (from % 64));
    }
    for (;;) {
        if (w)
            return k * 64 + (uint32_t)__builtin_ctzll(w);
        if (++k >= s->hi)
            return IAM_CATALOG_NONE;
        w = s->w[k - s->lo];
    }
}

uint32_t iam_actionset_first_common(const iam_actionset *a, const iam_actionset *b)
{
    uint32_t lo = a->lo > b->lo ? a->lo : b->lo, hi = a->hi < b->hi ? a->hi : b->hi;
    for (uint32_t k = lo; k < hi; k++) {
        uint64_t w = a->w[k - a->lo] & b->w[k - b->lo];
        if (w)
            return k * 64 + (uint32_t)__builtin_ctzll(w);
    }
    return IAM_CATALOG_NONE;
}

size_t iam_actionset_count_common(const iam_actionset *a, const iam_actionset *b)
{
    uint32_t lo = a->lo > b->lo ? a->lo : b->lo, hi = a->hi < b->hi ? a->hi : b->hi;
    size_t n = 0;
    for (uint32_t k = lo; k < hi; k++)
        n += (size_t)__builtin_popcountll(a->w[k - a->lo] & b->w[k - b->lo]);
    return n;
}

size_t iam_actionset_unmatched_count(const iam_actionset *s) { return s->nunm; }
const char *iam_actionset_unmatched(const iam_actionset *s, size_t i) { return s->unm[i]; }

/* -- expansion ---------------------------------------------------------- */

static bool has_wild(const char *p, size_t n)
{
    return memchr(p, '*', n) || memchr(p, '?', n);
}

/* Compare the first plen characters of name with p, ignoring case; a name
 * shorter than p sorts first. Actions with one folded prefix are contiguous. */
static int prefix_cmp(const char *name, const char *p, size_t plen)
{
    for (size_t i = 0; i < plen; i++) {
        int x = (unsigned char)name[i], y = (unsigned char)p[i];
        x = (x >= 'A' && x <= 'Z') ? x + 32 : x;
        y = (y >= 'A' && y <= 'Z') ? y + 32 : y;
        if (x != y || !x)
            return x - y;
    }
    return 0;
}

/* First id in [lo, hi) whose name's prefix compares >= p (or > p when upper). */
static uint32_t bound(const iam_catalog *c, uint32_t lo, uint32_t hi, const char *p, size_t plen,
                      bool upper)
{
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int r = prefix_cmp(CAT_STR(c, c->act[mid].name), p, plen);
        if (upper ? r <= 0 : r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* "Describe*": literal text, then one '*' that ends the pattern. */
static bool prefix_star(const char *name, size_t nlen)
{
    size_t plen = 0;
    while (plen < nlen && name[plen] != '*' && name[plen] != '?')
        plen++;
    return plen + 1 == nlen && name[plen] == '*';
}

/* Add the actions of service sid whose name matches the pattern (wild:
 * it has wildcards; g: its compiled glob, NULL for a prefix_star pattern).
 * The literal text before the first wildcard narrows the scan to a range by
 * binary search ("Describe*" needs no glob at all). */
static size_t expand_service(const iam_catalog *c, iam_actionset *s, uint32_t sid, bool wild,
                             const iam_glob *g, const char *name, size_t nlen)
{
    const cat_service *sv = &c->svc[sid];
    if (!wild) {
        uint32_t id = find_in_service(c, sid, name, nlen);
        if (id == IAM_CATALOG_NONE)
            return 0;
        iam_actionset_add(s, id);
        return 1;
    }
    size_t plen = 0;
    while (plen < nlen && name[plen] != '*' && name[plen] != '?')
        plen++;
    uint32_t lo = sv->a0, hi = sv->a0 + sv->na;
    if (plen) {
        lo = bound(c, lo, hi, name, plen, false);
        hi = bound(c, lo, hi, name, plen, true);
    }
    bool all = plen + 1 == nlen && name[plen] == '*';
    if (all) {
        add_range(s, lo, hi - lo);
        return hi - lo;
    }
    size_t n = 0;
    for (uint32_t id = lo; id < hi; id++) {
        const char *an = CAT_STR(c, c->act[id].name);
        if (iam_glob_exec(g, an, strlen(an))) {
            iam_actionset_add(s, id);
            n++;
        }
    }
    return n;
}

size_t iam_catalog_expand(const iam_catalog *c, iam_actionset *s, const char *pat, size_t len)
{
    size_t n = 0;
    if (len == 1 && pat[0] == '*') {
        add_range(s, 0, c->nact);
        return c->nact;
    }
    const char *colon = memchr(pat, ':', len);
    if (colon && colon > pat && colon + 1 < pat + len) {
        size_t plen = (size_t)(colon - pat), nlen = len - plen - 1;
        const char *name = colon + 1;
        iam_arena *tmp = NULL;
        const iam_glob *g = NULL;
        bool wild = has_wild(name, nlen);
        if (wild && !prefix_star(name, nlen)) {   /* "Get*" needs no glob */
            tmp = iam_arena_new();
            g = iam_glob_compile(tmp, name, nlen, true);
        }
        if (!has_wild(pat, plen)) {
            uint32_t sid = iam_catalog_service_find(c, pat, plen);
            if (sid != IAM_CATALOG_NONE)
                n = expand_service(c, s, sid, wild, g, name, nlen);
        } else {
            if (!tmp)
                tmp = iam_arena_new();
            const iam_glob *pg = iam_glob_compile(tmp, pat, plen, true);
            bool any = plen == 1 && pat[0] == '*';
            for (uint32_t sid = 0; sid < c->nsvc; sid++) {
                const char *p = CAT_STR(c, c->svc[sid].prefix);
                if (any || iam_glob_exec(pg, p, strlen(p)))
                    n += expand_service(c, s, sid, wild, g, name, nlen);
            }
        }
        if (tmp)
            iam_arena_destroy(tmp);
    }
    if (n == 0)
        add_unmatched(s, pat, len);
    return n;
}

/* -- memo of queries ---------------------------------------------------- */

/* Policies repeat patterns: the managed policies name ~60,000 action
 * entries but far fewer distinct ones, and one run sees the same statement
 * once per rule set. Expanding means a binary search, often a glob scan and
 * a scratch arena; resolving a condition key scans the global and templated
 * keys. The memo does each once per distinct text: open addressing over
 * the exact bytes (callers pass folded text to share "S3:Get*" with
 * "s3:get*"; the result is the same either way). ARN verdicts are
 * remembered by arn.c (cat_arn_memo). */
typedef struct memo_slot {
    const char *key;          /* NULL: free */
    size_t len;
    uint64_t hash;
    const void *val;          /* the set, or the key_answer */
    size_t n;                 /* actions matched (expansions) */
} memo_slot;

typedef struct memo_table {
    memo_slot *slot;
    size_t cap, used;         /* cap is a power of two, kept over twice used */
} memo_table;

/* What iam_catalog_key_resolve returned, with up to KEY_IDS ids. */
enum { KEY_IDS = 16 };
typedef struct key_answer {
    bool ok;
    iam_key_match m;
    uint32_t keys[KEY_IDS];
} key_answer;

struct iam_catalog_memo {
    const iam_catalog *c;
    iam_arena *a;
    memo_table exp, keys;
    cat_arn_memo *arn;        /* created on first use */
};

/* Hash of s[0..n), eight bytes at a time: a run looks keys of ~25 bytes up
 * ~180,000 times, and byte-wise FNV-1a cost more than the probing. The
 * shifts fold high bits into the low ones that pick the slot. */
static uint64_t hash_key(const char *s, size_t n)
{
    const uint64_t k = 0xff51afd7ed558ccdu;
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * k;
    return h ^ (h >> 29);
}

static void table_init(iam_arena *a, memo_table *t)
{
    t->cap = 256;
    t->slot = iam_arena_alloc(a, t->cap * sizeof *t->slot);
}

iam_catalog_memo *iam_catalog_memo_new(iam_arena *a, const iam_catalog *c)
{
    iam_catalog_memo *m = iam_arena_alloc(a, sizeof *m);
    m->c = c;
    m->a = a;
    table_init(a, &m->exp);
    table_init(a, &m->keys);
    return m;
}

static memo_slot *memo_find(memo_slot *slot, size_t cap, const char *key, size_t len, uint64_t h)
{
    for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        memo_slot *e = &slot[i];
        if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
}

/* Store val under key (absent from t); returns the slot. */
static memo_slot *memo_put(iam_catalog_memo *m, memo_table *t, const char *key, size_t len, uint64_t h,
                           const void *val, size_t n)
{
    if (2 * (t->used + 1) > t->cap) {
        size_t cap = t->cap * 2;
        memo_slot *slot = iam_arena_alloc(m->a, cap * sizeof *slot);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i].key)
                *memo_find(slot, cap, t->slot[i].key, t->slot[i].len, t->slot[i].hash) = t->slot[i];
        t->slot = slot;
        t->cap = cap;
    }
    memo_slot *e = memo_find(t->slot, t->cap, key, len, h);
    *e = (memo_slot){iam_arena_strndup(m->a, key, len), len, h, val, n};
    t->used++;
    return e;
}

const iam_actionset *iam_catalog_memo_expand(iam_catalog_memo *m, const char *pat, size_t len, size_t *n)
{
    uint64_t h = hash_key(pat, len);
    memo_slot *e = memo_find(m->exp.slot, m->exp.cap, pat, len, h);
    if (!e->key) {
        iam_actionset *s = iam_actionset_new(m->a, m->c);
        size_t k = iam_catalog_expand(m->c, s, pat, len);
        e = memo_put(m, &m->exp, pat, len, h, s, k);
    }
    if (n)
        *n = e->n;
    return e->val;
}

bool iam_catalog_memo_key_resolve(iam_catalog_memo *m, const char *key, size_t len, uint32_t *keys,
                                  size_t cap, iam_key_match *out)
{
    uint64_t h = hash_key(key, len);
    memo_slot *e = memo_find(m->keys.slot, m->keys.cap, key, len, h);
    if (!e->key) {
        key_answer *k = iam_arena_alloc(m->a, sizeof *k);
        k->ok = iam_catalog_key_resolve(m->c, key, len, k->keys, KEY_IDS, &k->m);
        e = memo_put(m, &m->keys, key, len, h, k, 0);
    }
    const key_answer *k = e->val;
    if (cap > KEY_IDS && k->m.nkeys > KEY_IDS)   /* more ids wanted than kept */
        return iam_catalog_key_resolve(m->c, key, len, keys, cap, out);
    *out = k->m;
    for (size_t i = 0; i < k->m.nkeys && i < cap; i++)
        keys[i] = k->keys[i];
    return k->ok;
}

const iam_arn_ref *iam_catalog_memo_arn(iam_catalog_memo *m, const char *arn, size_t len)
{
    if (!m->arn)
        m->arn = cat_arn_memo_new(m->a);
    return cat_arn_memo_ref(m->arn, arn, len);
}

bool iam_catalog_memo_arn_fits(iam_catalog_memo *m, const iam_arn_ref *r, uint32_t rt)
{
    return cat_arn_memo_fits(m->arn, m->c, r, rt);
}

bool iam_catalog_memo_arn_matches(iam_catalog_memo *m, const char *arn, size_t len, uint32_t rt)
{
    return iam_catalog_memo_arn_fits(m, iam_catalog_memo_arn(m, arn, len), rt);
}
