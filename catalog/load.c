/* load.c - parse the catalog text format (docs/catalog.md) into the tables
 * of internal.h. Used at run time (--catalog FILE) and by tools/catalog2c,
 * which prints the same tables as C, so both paths share one parser.
 *
 * Parsing collects records per service in file order; building then sorts
 * everything into the orders internal.h promises and resolves names to ids,
 * so a hand-edited file in any order loads to the same tables. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"
#include "core/source.h"
#include "core/strbuf.h"

/* -- growable arrays (malloc; freed when loading ends) ------------------ */

#define VEC(T) struct { T *v; size_t n, cap; }
#define VPUSH(vec) \
    ((vec).n == (vec).cap \
         ? ((vec).cap = (vec).cap ? 2 * (vec).cap : 64, \
            (vec).v = iam_xrealloc((vec).v, (vec).cap * sizeof *(vec).v)) \
         : 0, \
     memset(&(vec).v[(vec).n], 0, sizeof *(vec).v), &(vec).v[(vec).n++])

typedef VEC(uint32_t) u32vec;

typedef struct t_on { char *rt, *keys, *deps; int req; } t_on;
typedef struct t_act { char *name, *keys, *deps; unsigned access; size_t on0, non; } t_act;
typedef struct t_rt { char *name, *arn, *keys; } t_rt;
typedef struct t_key { char *name; uint32_t svc; int type; } t_key;
typedef struct t_svc {
    char *prefix, *name;
    VEC(t_act) acts;
    VEC(t_rt) rts;
    uint32_t id;     /* position after sorting */
    uint32_t orig;   /* position in the file */
} t_svc;
typedef struct t_kp { char *prefix, *svcs; } t_kp;

typedef struct loader {
    const char *name;
    iam_diags *d;
    size_t line;
    char *package, *version, *date;
    VEC(t_svc) svcs;
    VEC(t_on) ons;
    VEC(t_key) keys;     /* svc = index into svcs until renumbered */
    VEC(t_key) gkeys;
    VEC(t_kp) kps;
    iam_strbuf pool;
} loader;

static iam_status fail(loader *L, const char *fmt, const char *arg)
{
    iam_span none = {0};
    iam_diag_add(L->d, IAM_R_INPUT_ERROR, none, "%s:%zu: %s%s%s%s", L->name, L->line, fmt,
                 arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    return IAM_ERR_SYNTAX;
}

/* -- case-folded comparisons (shared with catalog.c) -------------------- */

static inline int fold(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int cat_fcmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = fold((unsigned char)*a), y = fold((unsigned char)*b);
        if (x != y || !x)
            return x - y;
    }
}

int cat_fncmp(const char *a, size_t alen, const char *b)
{
    for (size_t i = 0;; i++, b++) {
        int x = i < alen ? fold((unsigned char)a[i]) : 0, y = fold((unsigned char)*b);
        if (x != y || !x)
            return x - y;
    }
}

int cat_pcmp(const char *a, size_t alen, const char *b)
{
    /* Compare a + ":" with b + ":"; the terminator sorts as ':'. */
    for (size_t i = 0;; i++, b++) {
        int x = i < alen ? fold((unsigned char)a[i]) : ':', y = *b ? fold((unsigned char)*b) : ':';
        if (x != y)
            return x - y;
        if (i >= alen && !*b)
            return 0;
    }
}

/* -- parsing ------------------------------------------------------------ */

static int key_type_parse(const char *s)
{
    static const char *const names[] = {"String", "ARN", "Bool", "Numeric", "Date", "IPAddress",
                                        "Binary"};
    int arr = 0;
    if (strncmp(s, "ArrayOf", 7) == 0) {
        arr = IAM_KT_ARRAY;
        s += 7;
    }
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
        if (strcmp(s, names[i]) == 0)
            return i | arr;
    return -1;
}

/* Split line (modified in place) at TABs into f[0..max); returns the count. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            *p = '\0';
            if (n == max)
                return max + 1;
            f[n++] = p + 1;
        }
    return n;
}

static iam_status record(loader *L, char **f, size_t n)
{
    const char *r = f[0];
    t_svc *s = L->svcs.n ? &L->svcs.v[L->svcs.n - 1] : NULL;
#define NEED(k) if (n != (k)) return fail(L, "wrong number of fields for", r)
    if (strcmp(r, "format") == 0) {
        NEED(2);
        if (strcmp(f[1], "1") != 0)
            return fail(L, "unsupported catalog format", f[1]);
    } else if (strcmp(r, "package") == 0) {
        NEED(3);
        L->package = f[1], L->version = f[2];
    } else if (strcmp(r, "date") == 0) {
        NEED(2);
        L->date = f[1];
    } else if (strcmp(r, "global") == 0 || (strcmp(r, "key") == 0 && s)) {
        NEED(3);
        int t = key_type_parse(f[2]);
        if (t < 0)
            return fail(L, "unknown condition key type", f[2]);
        t_key *k = r[0] == 'g' ? VPUSH(L->gkeys) : VPUSH(L->keys);
        k->name = f[1], k->type = t;
        k->svc = r[0] == 'g' ? IAM_CATALOG_NONE : (uint32_t)(L->svcs.n - 1);
    } else if (strcmp(r, "keyprefix") == 0) {
        NEED(3);
        t_kp *k = VPUSH(L->kps);
        k->prefix = f[1], k->svcs = f[2];
    } else if (strcmp(r, "service") == 0) {
        NEED(3);
        s = VPUSH(L->svcs);
        s->prefix = f[1], s->name = f[2];
    } else if (strcmp(r, "resource") == 0 && s) {
        NEED(4);
        t_rt *t = VPUSH(s->rts);
        t->name = f[1], t->arn = f[2], t->keys = f[3];
    } else if (strcmp(r, "action") == 0 && s) {
        NEED(5);
        t_act *a = VPUSH(s->acts);
        a->name = f[1], a->keys = f[3], a->deps = f[4];
        a->access = iam_access_level_parse(f[2]);
        a->on0 = L->ons.n;
        if (!a->access)
            return fail(L, "unknown access level", f[2]);
    } else if (strcmp(r, "on") == 0 && s && s->acts.n) {
        NEED(5);
        t_on *o = VPUSH(L->ons);
        o->rt = f[1], o->keys = f[3], o->deps = f[4];
        o->req = strcmp(f[2], "required") == 0;
        if (!o->req && strcmp(f[2], "optional") != 0)
            return fail(L, "expected required or optional, not", f[2]);
        s->acts.v[s->acts.n - 1].non++;
    } else {
        return fail(L, "unexpected record", r);
    }
#undef NEED
    for (size_t i = 1; i < n; i++)
        if (!*f[i])
            return fail(L, "empty field in", r);
    return IAM_OK;
}

static iam_status parse_text(loader *L, char *text)
{
    char *p = text;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        L->line++;
        size_t len = strlen(p);
        if (len && p[len - 1] == '\r')
            p[--len] = '\0';
        if (len && p[0] != '#') {
            char *f[8];
            size_t n = split(p, f, 8);
            iam_status st = record(L, f, n);
            if (st != IAM_OK)
                return st;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    if (!L->package || !L->date)
        return fail(L, "missing package or date header", NULL);
    return IAM_OK;
}

/* -- building ----------------------------------------------------------- */

static uint32_t intern(loader *L, const char *s)
{
    uint32_t off = (uint32_t)L->pool.len;
    iam_sb_add(&L->pool, s, strlen(s) + 1);
    return off;
}

/* qsort, minus the undefined behaviour of a NULL base with no elements. */
static void sort_v(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(v, n, size, cmp);
}

static int svc_cmp(const void *a, const void *b)
{
    const t_svc *x = a, *y = b;
    return cat_pcmp(x->prefix, strlen(x->prefix), y->prefix);
}
static int act_cmp(const void *a, const void *b)
{
    return cat_fcmp(((const t_act *)a)->name, ((const t_act *)b)->name);
}
static int rt_cmp(const void *a, const void *b)
{
    return cat_fcmp(((const t_rt *)a)->name, ((const t_rt *)b)->name);
}
static int on_cmp(const void *a, const void *b)
{
    return cat_fcmp(((const t_on *)a)->rt, ((const t_on *)b)->rt);
}
static int key_cmp(const void *a, const void *b)
{
    const t_key *x = a, *y = b;
    int c = cat_fcmp(x->name, y->name);
    if (c)
        return c;
    return x->svc < y->svc ? -1 : x->svc > y->svc;
}
static int kp_cmp(const void *a, const void *b)
{
    return cat_fcmp(((const t_kp *)a)->prefix, ((const t_kp *)b)->prefix);
}

static bool is_template(const char *s, bool global)
{
    return strstr(s, "${") || strchr(s, '<') || (global && strchr(s, '/'));
}

/* Key id of name as defined by service svc (new numbering), or NONE. */
static uint32_t key_id(const iam_catalog *c, const char *name, uint32_t svc)
{
    size_t lo = 0, hi = c->nkey;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const cat_key *k = &c->key[mid];
        int r = cat_fcmp(CAT_STR(c, k->name), name);
        if (r == 0)
            r = k->svc < svc ? -1 : k->svc > svc;
        if (r == 0)
            return (uint32_t)mid;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return IAM_CATALOG_NONE;
}

/* Append the ids of a "a|b|c" or "-" key list; returns the count. */
static iam_status key_list(loader *L, iam_catalog *c, char *list, uint32_t svc, u32vec *out,
                           uint16_t *n)
{
    size_t start = out->n;
    if (strcmp(list, "-") != 0)
        for (char *save = NULL, *k = strtok_r(list, "|", &save); k; k = strtok_r(NULL, "|", &save)) {
            uint32_t id = key_id(c, k, svc);
            if (id == IAM_CATALOG_NONE)
                return fail(L, "condition key not defined by its service:", k);
            *VPUSH(*out) = id;
        }
    if (out->n - start > UINT16_MAX)
        return fail(L, "list too long", NULL);
    *n = (uint16_t)(out->n - start);
    return IAM_OK;
}

static uint16_t str_list(loader *L, char *list, u32vec *out)
{
    size_t start = out->n;
    if (strcmp(list, "-") != 0)
        for (char *save = NULL, *k = strtok_r(list, "|", &save); k; k = strtok_r(NULL, "|", &save))
            *VPUSH(*out) = intern(L, k);
    return (uint16_t)(out->n - start);
}

typedef struct tables {
    VEC(cat_service) svc;
    VEC(cat_action) act;
    VEC(cat_on) on;
    VEC(cat_rtype) rt;
    VEC(cat_key) key, gkey;
    u32vec kref, dep, sref, tkeys;
    VEC(cat_kprefix) kp;
} tables;

static iam_status build_keys(loader *L, iam_catalog *c, tables *T)
{
    sort_v(L->keys.v, L->keys.n, sizeof *L->keys.v, key_cmp);
    sort_v(L->gkeys.v, L->gkeys.n, sizeof *L->gkeys.v, key_cmp);
    for (size_t i = 0; i < L->keys.n; i++) {
        t_key *k = &L->keys.v[i];
        if (i && key_cmp(k, k - 1) == 0)
            return fail(L, "duplicate condition key", k->name);
        cat_key *o = VPUSH(T->key);
        o->name = intern(L, k->name), o->svc = k->svc, o->type = (uint8_t)k->type;
        o->templ = is_template(k->name, false);
        if (o->templ)
            *VPUSH(T->tkeys) = (uint32_t)i;
    }
    for (size_t i = 0; i < L->gkeys.n; i++) {
        cat_key *o = VPUSH(T->gkey);
        o->name = intern(L, L->gkeys.v[i].name), o->svc = IAM_CATALOG_NONE;
        o->type = (uint8_t)L->gkeys.v[i].type;
        o->templ = is_template(L->gkeys.v[i].name, true);
    }
    c->pool = L->pool.s;   /* key_id reads names during building */
    c->key = T->key.v, c->nkey = (uint32_t)T->key.n;
    return IAM_OK;
}

static iam_status build_service(loader *L, iam_catalog *c, tables *T, t_svc *s)
{
    cat_service *o = VPUSH(T->svc);
    o->prefix = intern(L, s->prefix), o->name = intern(L, s->name);
    sort_v(s->rts.v, s->rts.n, sizeof *s->rts.v, rt_cmp);
    sort_v(s->acts.v, s->acts.n, sizeof *s->acts.v, act_cmp);
    o->r0 = (uint32_t)T->rt.n, o->nr = (uint32_t)s->rts.n;
    for (size_t i = 0; i < s->rts.n; i++) {
        if (i && cat_fcmp(s->rts.v[i].name, s->rts.v[i - 1].name) == 0)
            return fail(L, "duplicate resource type", s->rts.v[i].name);
        cat_rtype *r = VPUSH(T->rt);
        r->name = intern(L, s->rts.v[i].name), r->arn = intern(L, s->rts.v[i].arn);
        r->svc = s->id, r->kr0 = (uint32_t)T->kref.n;
        c->pool = L->pool.s;
        if (key_list(L, c, s->rts.v[i].keys, s->id, &T->kref, &r->nkr) != IAM_OK)
            return IAM_ERR_SYNTAX;
    }
    o->a0 = (uint32_t)T->act.n, o->na = (uint32_t)s->acts.n;
    for (size_t i = 0; i < s->acts.n; i++) {
        t_act *a = &s->acts.v[i];
        if (i && cat_fcmp(a->name, s->acts.v[i - 1].name) == 0)
            return fail(L, "duplicate action", a->name);
        cat_action *x = VPUSH(T->act);
        x->name = intern(L, a->name), x->svc = s->id, x->access = (uint8_t)a->access;
        x->kr0 = (uint32_t)T->kref.n;
        c->pool = L->pool.s;
        if (key_list(L, c, a->keys, s->id, &T->kref, &x->nkr) != IAM_OK)
            return IAM_ERR_SYNTAX;
        x->d0 = (uint32_t)T->dep.n, x->nd = str_list(L, a->deps, &T->dep);
        t_on *ons = a->non ? &L->ons.v[a->on0] : NULL;
        if (a->non > 1)
            sort_v(ons, a->non, sizeof *ons, on_cmp);
        x->on0 = (uint32_t)T->on.n, x->non = (uint16_t)a->non;
        for (size_t j = 0; j < a->non; j++) {
            cat_on *on = VPUSH(T->on);
            on->required = (uint8_t)ons[j].req;
            on->rtype = IAM_CATALOG_NONE;
            for (uint32_t r = o->r0; r < o->r0 + o->nr; r++)
                if (cat_fcmp(L->pool.s + T->rt.v[r].name, ons[j].rt) == 0)
                    on->rtype = r;
            if (on->rtype == IAM_CATALOG_NONE)
                return fail(L, "unknown resource type", ons[j].rt);
            on->kr0 = (uint32_t)T->kref.n;
            c->pool = L->pool.s;
            if (key_list(L, c, ons[j].keys, s->id, &T->kref, &on->nkr) != IAM_OK)
                return IAM_ERR_SYNTAX;
            on->d0 = (uint32_t)T->dep.n, on->nd = str_list(L, ons[j].deps, &T->dep);
        }
    }
    return IAM_OK;
}

static iam_status build_prefixes(loader *L, iam_catalog *c, tables *T)
{
    sort_v(L->kps.v, L->kps.n, sizeof *L->kps.v, kp_cmp);
    for (size_t i = 0; i < L->kps.n; i++) {
        cat_kprefix *k = VPUSH(T->kp);
        k->prefix = intern(L, L->kps.v[i].prefix);
        k->s0 = (uint32_t)T->sref.n;
        char *list = L->kps.v[i].svcs;
        for (char *save = NULL, *p = strtok_r(list, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
            c->svc = T->svc.v, c->nsvc = (uint32_t)T->svc.n, c->pool = L->pool.s;
            uint32_t sid = iam_catalog_service_find(c, p, strlen(p));
            if (sid == IAM_CATALOG_NONE)
                return fail(L, "keyprefix names an unknown service", p);
            *VPUSH(T->sref) = sid;
        }
        k->ns = (uint32_t)(T->sref.n - k->s0);
    }
    return IAM_OK;
}

static void *keep(iam_arena *a, const void *p, size_t n, size_t elem)
{
    return n ? iam_arena_dup(a, p, n * elem) : iam_arena_alloc(a, elem);
}

static iam_status build(loader *L, iam_catalog *c)
{
    tables T = {0};
    iam_status st = IAM_OK;
    iam_sb_putc(&L->pool, '\0');   /* offset 0 = "" */
    for (size_t i = 0; i < L->svcs.n; i++)
        L->svcs.v[i].orig = (uint32_t)i;
    sort_v(L->svcs.v, L->svcs.n, sizeof *L->svcs.v, svc_cmp);
    for (size_t i = 0; i < L->svcs.n; i++) {
        L->svcs.v[i].id = (uint32_t)i;
        if (i && svc_cmp(&L->svcs.v[i], &L->svcs.v[i - 1]) == 0) {
            st = fail(L, "duplicate service", L->svcs.v[i].prefix);
            goto out;
        }
    }
    /* keys refer to services by file position: renumber them */
    {
        uint32_t *map = iam_xmalloc((L->svcs.n + 1) * sizeof *map);
        for (size_t i = 0; i < L->svcs.n; i++)
            map[L->svcs.v[i].orig] = (uint32_t)i;
        for (size_t i = 0; i < L->keys.n; i++)
            L->keys.v[i].svc = map[L->keys.v[i].svc];
        free(map);
    }
    if ((st = build_keys(L, c, &T)) != IAM_OK)
        goto out;
    for (size_t i = 0; i < L->svcs.n && st == IAM_OK; i++)
        st = build_service(L, c, &T, &L->svcs.v[i]);
    if (st == IAM_OK)
        st = build_prefixes(L, c, &T);
    if (st != IAM_OK)
        goto out;
    iam_arena *a = c->arena;
    c->package = intern(L, L->package), c->version = intern(L, L->version);
    c->date = intern(L, L->date);
    c->pool = iam_arena_dup(a, L->pool.s, L->pool.len), c->pool_len = (uint32_t)L->pool.len;
#define KEEP(dst, cnt, vec) (c->dst = keep(a, T.vec.v, T.vec.n, sizeof *T.vec.v), c->cnt = (uint32_t)T.vec.n)
    KEEP(svc, nsvc, svc);
    KEEP(act, nact, act);
    KEEP(on, non, on);
    KEEP(rt, nrt, rt);
    KEEP(key, nkey, key);
    KEEP(gkey, ngkey, gkey);
    KEEP(kref, nkref, kref);
    KEEP(dep, ndep, dep);
    KEEP(kp, nkp, kp);
    KEEP(sref, nsref, sref);
    KEEP(tkeys, ntkeys, tkeys);
#undef KEEP
out:
    free(T.svc.v), free(T.act.v), free(T.on.v), free(T.rt.v), free(T.key.v), free(T.gkey.v);
    free(T.kref.v), free(T.dep.v), free(T.sref.v), free(T.tkeys.v), free(T.kp.v);
    return st;
}

static void loader_free(loader *L)
{
    for (size_t i = 0; i < L->svcs.n; i++)
        free(L->svcs.v[i].acts.v), free(L->svcs.v[i].rts.v);
    free(L->svcs.v), free(L->ons.v), free(L->keys.v), free(L->gkeys.v), free(L->kps.v);
    iam_sb_free(&L->pool);
}

iam_status iam_catalog_parse(const char *name, const char *text, size_t len, iam_diags *d,
                             iam_catalog **out)
{
    loader L = {.name = name, .d = d};
    iam_catalog *c = iam_xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->arena = iam_arena_new();
    pthread_mutex_init(&c->lock, NULL);
    char *copy = iam_arena_strndup(c->arena, text, len);   /* parsed in place */
    iam_status st = parse_text(&L, copy);
    if (st == IAM_OK) {
        st = build(&L, c);
    }
    loader_free(&L);
    if (st != IAM_OK) {
        iam_catalog_free(c);
        c = NULL;
    }
    *out = c;
    return st;
}

iam_status iam_catalog_load_file(const char *path, iam_diags *d, iam_catalog **out)
{
    const char *err = NULL;
    *out = NULL;
    iam_source *src = iam_source_read(path, 256u << 20, &err);
    if (!src) {
        iam_span none = {0};
        iam_diag_add(d, IAM_R_INPUT_ERROR, none, "cannot read catalog '%s': %s", path, err);
        return IAM_ERR_IO;
    }
    iam_status st = iam_catalog_parse(path, src->data, src->len, d, out);
    iam_source_free(src);
    return st;
}

void iam_catalog_free(iam_catalog *c)
{
    if (!c || !c->arena)
        return;
    cat_arn_free(c);
    pthread_mutex_destroy(&c->lock);
    iam_arena_destroy(c->arena);
    free(c);
}
