/* usage.c - the usage table: (kind, principal, action, resource, via) ->
 * count, first and last seen. Open addressing over entry pointers; strings
 * live in the usage's arena. Also time parsing/formatting. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "core/arena.h"
#include "trail/internal.h"

struct iam_trail_usage {
    iam_arena *arena;
    iam_trail_entry **slots;
    size_t cap, n;
    iam_trail_entry **sorted;   /* built by iam_trail_usage_entries */
    bool sorted_ok;
    iam_trail_stats stats;
    iam_trail_badfile *bad;
    size_t nbad, capbad;
    iam_trail_resmode mode;
};

iam_trail_usage *iam_trail_usage_new(void)
{
    iam_trail_usage *u = iam_xmalloc(sizeof *u);
    memset(u, 0, sizeof *u);
    u->arena = iam_arena_new();
    u->cap = 256;
    u->slots = calloc(u->cap, sizeof *u->slots);
    if (!u->slots)
        iam_oom("trail usage");
    return u;
}

void iam_trail_usage_free(iam_trail_usage *u)
{
    if (!u)
        return;
    free(u->slots);
    free(u->sorted);
    free(u->bad);
    iam_arena_destroy(u->arena);
    free(u);
}

static uint32_t hstr(uint32_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return (h ^ 0x1f) * 16777619u;
}

static uint32_t key_hash(iam_trail_kind k, const char *p, const char *a, const char *r, const char *v)
{
    uint32_t h = (2166136261u ^ (unsigned)k) * 16777619u;
    return hstr(hstr(hstr(hstr(h, p), a), r), v);
}

static void grow(iam_trail_usage *u)
{
    size_t cap = u->cap * 2;
    iam_trail_entry **s = calloc(cap, sizeof *s);
    if (!s)
        iam_oom("trail usage");
    for (size_t i = 0; i < u->cap; i++) {
        iam_trail_entry *e = u->slots[i];
        if (!e)
            continue;
        size_t j = e->hash & (cap - 1);
        while (s[j])
            j = (j + 1) & (cap - 1);
        s[j] = e;
    }
    free(u->slots);
    u->slots = s;
    u->cap = cap;
}

void iam_trail_usage_add(iam_trail_usage *u, iam_trail_kind kind, const char *principal,
                         const char *action, const char *resource, const char *via,
                         uint64_t count, int64_t first, int64_t last)
{
    if (!via)
        via = "";
    uint32_t h = key_hash(kind, principal, action, resource, via);
    size_t j = h & (u->cap - 1);
    for (iam_trail_entry *e; (e = u->slots[j]) != NULL; j = (j + 1) & (u->cap - 1)) {
        if (e->hash == h && e->kind == kind && strcmp(e->principal, principal) == 0 &&
            strcmp(e->action, action) == 0 && strcmp(e->resource, resource) == 0 &&
            strcmp(e->via, via) == 0) {
            e->count += count;
            if (first < e->first)
                e->first = first;
            if (last > e->last)
                e->last = last;
            return;
        }
    }
    iam_trail_entry *e = iam_arena_alloc(u->arena, sizeof *e);
    e->kind = kind;
    e->principal = iam_arena_strdup(u->arena, principal);
    e->action = iam_arena_strdup(u->arena, action);
    e->resource = iam_arena_strdup(u->arena, resource);
    e->via = iam_arena_strdup(u->arena, via);
    e->count = count;
    e->first = first;
    e->last = last;
    e->hash = h;
    u->slots[j] = e;
    u->sorted_ok = false;
    if (++u->n * 2 > u->cap)
        grow(u);
}

void iam_trail_usage_merge(iam_trail_usage *u, const iam_trail_usage *v)
{
    for (size_t i = 0; i < v->cap; i++) {
        const iam_trail_entry *e = v->slots[i];
        if (e)
            iam_trail_usage_add(u, e->kind, e->principal, e->action, e->resource, e->via, e->count,
                                e->first, e->last);
    }
    const iam_trail_stats *s = &v->stats;
    iam_trail_stats *d = &u->stats;
    d->files += s->files;
    d->files_bad += s->files_bad;
    d->bytes += s->bytes;
    d->records += s->records;
    d->duplicates += s->duplicates;
    d->filtered += s->filtered;
    d->skipped += s->skipped;
    d->skipped_identity += s->skipped_identity;
    d->mapped += s->mapped;
    d->unmapped += s->unmapped;
    d->denied += s->denied;
    for (size_t i = 0; i < v->nbad; i++)
        iam_trail_usage_badfile(u, v->bad[i].path, v->bad[i].msg);
}

static int cmp_entry(const void *a, const void *b)
{
    const iam_trail_entry *x = *(const iam_trail_entry *const *)a, *y = *(const iam_trail_entry *const *)b;
    int c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if ((c = strcmp(x->principal, y->principal)) != 0)
        return c;
    if ((c = strcmp(x->action, y->action)) != 0)
        return c;
    if ((c = strcmp(x->resource, y->resource)) != 0)
        return c;
    return strcmp(x->via, y->via);
}

size_t iam_trail_usage_entries(iam_trail_usage *u, const iam_trail_entry *const **out)
{
    if (!u->sorted_ok) {
        free(u->sorted);
        u->sorted = iam_xmalloc((u->n + 1) * sizeof *u->sorted);
        size_t k = 0;
        for (size_t i = 0; i < u->cap; i++)
            if (u->slots[i])
                u->sorted[k++] = u->slots[i];
        qsort(u->sorted, k, sizeof *u->sorted, cmp_entry);
        u->sorted_ok = true;
    }
    *out = (const iam_trail_entry *const *)u->sorted;
    return u->n;
}

iam_trail_stats *iam_trail_usage_stats(iam_trail_usage *u) { return &u->stats; }

size_t iam_trail_usage_badfiles(const iam_trail_usage *u, const iam_trail_badfile **out)
{
    *out = u->bad;
    return u->nbad;
}

void iam_trail_usage_badfile(iam_trail_usage *u, const char *path, const char *msg)
{
    if (u->nbad == u->capbad) {
        u->capbad = u->capbad ? 2 * u->capbad : 8;
        u->bad = iam_xrealloc(u->bad, u->capbad * sizeof *u->bad);
    }
    u->bad[u->nbad].path = iam_arena_strdup(u->arena, path);
    u->bad[u->nbad].msg = iam_arena_strdup(u->arena, msg);
    u->nbad++;
}

iam_trail_resmode iam_trail_usage_resmode(const iam_trail_usage *u) { return u->mode; }
void iam_trail_usage_set_resmode(iam_trail_usage *u, iam_trail_resmode m) { u->mode = m; }

/* -- time ------------------------------------------------------------------ */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int num(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int64_t iam_trail_parse_time(const char *s, size_t len)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (len < 10 || s[4] != '-' || s[7] != '-' || num(s, 4, &y) || num(s + 5, 2, &mo) ||
        num(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    if (len > 10) {
        if (len < 19 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' ||
            num(s + 11, 2, &h) || num(s + 14, 2, &mi) || num(s + 17, 2, &se))
            return -1;
    }
    return days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
}

void iam_trail_format_time(int64_t t, char buf[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
