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

struct iam_actionset {
    const iam_catalog *c;
    iam_arena *a;
    uint64_t *w;
    size_t nw;
    const char **unm;      /* patterns that matched no catalog action */
    size_t nunm, capunm;
};

iam_actionset *iam_actionset_new(iam_arena *a, const iam_catalog *c)
{
    iam_actionset *s = iam_arena_alloc(a, sizeof *s);
    s->c = c;
    s->a = a;
    s->nw = (c->nact + 63) / 64;
    s->w = iam_arena_alloc(a, (s->nw ? s->nw : 1) * sizeof *s->w);
    return s;
}

iam_actionset *iam_actionset_copy(iam_arena *a, const iam_actionset *src)
{
    iam_actionset *s = iam_actionset_new(a, src->c);
    memcpy(s->w, src->w, s->nw * sizeof *s->w);
    for (size_t i = 0; i < src->nunm; i++) {
        if (s->nunm == s->capunm) {
            size_t cap = s->capunm ? 2 * s->capunm : 4;
            s->unm = iam_arena_grow(a, s->unm, s->nunm, cap, sizeof *s->unm);
            s->capunm = cap;
        }
        s->unm[s->nunm++] = iam_arena_strdup(a, src->unm[i]);
    }
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
    s->w[id / 64] |= (uint64_t)1 << (id % 64);
}

bool iam_actionset_has(const iam_actionset *s, uint32_t id)
{
    return id < s->c->nact && (s->w[id / 64] >> (id % 64)) & 1;
}

size_t iam_actionset_count(const iam_actionset *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nw; i++)
        n += (size_t)__builtin_popcountll(s->w[i]);
    return n;
}

bool iam_actionset_empty(const iam_actionset *s)
{
    for (size_t i = 0; i < s->nw; i++)
        if (s->w[i])
            return false;
    return true;
}

void iam_actionset_union(iam_actionset *dst, const iam_actionset *src)
{
    for (size_t i = 0; i < dst->nw; i++)
        dst->w[i] |= src->w[i];
    for (size_t i = 0; i < src->nunm; i++)
        add_unmatched(dst, src->unm[i], strlen(src->unm[i]));
}

void iam_actionset_intersect(iam_actionset *dst, const iam_actionset *src)
{
    for (size_t i = 0; i < dst->nw; i++)
        dst->w[i] &= src->w[i];
    dst->nunm = 0;
}

void iam_actionset_complement(iam_actionset *s)
{
    for (size_t i = 0; i < s->nw; i++)
        s->w[i] = ~s->w[i];
    if (s->c->nact % 64)   /* keep the bits past the last action clear */
        s->w[s->nw - 1] &= ((uint64_t)1 << (s->c->nact % 64)) - 1;
    s->nunm = 0;
}

bool iam_actionset_subset(const iam_actionset *a, const iam_actionset *b)
{
    for (size_t i = 0; i < a->nw; i++)
        if (a->w[i] & ~b->w[i])
            return false;
    return true;
}

bool iam_actionset_equal(const iam_actionset *a, const iam_actionset *b)
{
    return memcmp(a->w, b->w, a->nw * sizeof *a->w) == 0;
}

uint32_t iam_actionset_next(const iam_actionset *s, uint32_t from)
{
    if (from >= s->c->nact)
        return IAM_CATALOG_NONE;
    size_t i = from / 64;
    uint64_t w = s->w[i] & (~(uint64_t)0 << (from % 64));
    for (;;) {
        if (w)
            return (uint32_t)(i * 64 + (size_t)__builtin_ctzll(w));
        if (++i >= s->nw)
            return IAM_CATALOG_NONE;
        w = s->w[i];
    }
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

/* Add the actions of service sid whose name matches g (NULL = literal name).
 * The literal text before the first wildcard narrows the scan to a range by
 * binary search ("Describe*" needs no glob at all). */
static size_t expand_service(const iam_catalog *c, iam_actionset *s, uint32_t sid,
                             const iam_glob *g, const char *name, size_t nlen)
{
    const cat_service *sv = &c->svc[sid];
    if (!g) {
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
    size_t n = 0;
    for (uint32_t id = lo; id < hi; id++) {
        const char *an = CAT_STR(c, c->act[id].name);
        if (all || iam_glob_exec(g, an, strlen(an))) {
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
        for (uint32_t id = 0; id < c->nact; id++)
            iam_actionset_add(s, id);
        return c->nact;
    }
    const char *colon = memchr(pat, ':', len);
    if (colon && colon > pat && colon + 1 < pat + len) {
        size_t plen = (size_t)(colon - pat), nlen = len - plen - 1;
        const char *name = colon + 1;
        iam_arena *tmp = NULL;
        const iam_glob *g = NULL;
        if (has_wild(name, nlen)) {
            tmp = iam_arena_new();
            g = iam_glob_compile(tmp, name, nlen, true);
        }
        if (!has_wild(pat, plen)) {
            uint32_t sid = iam_catalog_service_find(c, pat, plen);
            if (sid != IAM_CATALOG_NONE)
                n = expand_service(c, s, sid, g, name, nlen);
        } else {
            if (!tmp)
                tmp = iam_arena_new();
            const iam_glob *pg = iam_glob_compile(tmp, pat, plen, true);
            bool any = plen == 1 && pat[0] == '*';
            for (uint32_t sid = 0; sid < c->nsvc; sid++) {
                const char *p = CAT_STR(c, c->svc[sid].prefix);
                if (any || iam_glob_exec(pg, p, strlen(p)))
                    n += expand_service(c, s, sid, g, name, nlen);
            }
        }
        if (tmp)
            iam_arena_destroy(tmp);
    }
    if (n == 0)
        add_unmatched(s, pat, len);
    return n;
}
