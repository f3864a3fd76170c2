/* intern.c - open-addressing hash set of strings (FNV-1a). */
#include "core/intern.h"
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    const char *s;
    size_t len;
    uint64_t h;
} entry;

struct iam_strtab {
    iam_arena *arena;
    entry *tab;
    size_t cap, n;
};

iam_strtab *iam_intern_new(void)
{
    iam_strtab *t = iam_xmalloc(sizeof *t);
    t->arena = iam_arena_new();
    t->cap = 1024;
    t->n = 0;
    t->tab = calloc(t->cap, sizeof *t->tab);
    if (!t->tab)
        iam_oom("out of memory");
    return t;
}

void iam_intern_free(iam_strtab *t)
{
    if (!t)
        return;
    iam_arena_destroy(t->arena);
    free(t->tab);
    free(t);
}

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void rehash(iam_strtab *t)
{
    size_t cap = t->cap * 2;
    entry *tab = calloc(cap, sizeof *tab);
    if (!tab)
        iam_oom("out of memory");
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->tab[i].s)
            continue;
        size_t j = t->tab[i].h & (cap - 1);
        while (tab[j].s)
            j = (j + 1) & (cap - 1);
        tab[j] = t->tab[i];
    }
    free(t->tab);
    t->tab = tab;
    t->cap = cap;
}

const char *iam_intern(iam_strtab *t, const char *s, size_t n)
{
    uint64_t h = hash(s, n);
    size_t j = h & (t->cap - 1);
    while (t->tab[j].s) {
        if (t->tab[j].h == h && t->tab[j].len == n && memcmp(t->tab[j].s, s, n) == 0)
            return t->tab[j].s;
        j = (j + 1) & (t->cap - 1);
    }
    const char *copy = iam_arena_strndup(t->arena, s, n);
    t->tab[j] = (entry){copy, n, h};
    if (++t->n * 2 > t->cap)
        rehash(t);
    return copy;
}

const char *iam_intern_fold(iam_strtab *t, const char *s, size_t n)
{
    if (n == 0)
        return iam_intern(t, "", 0);
    char buf[256];
    char *f = n <= sizeof buf ? buf : iam_xmalloc(n);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        f[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    const char *r = iam_intern(t, f, n);
    if (f != buf)
        free(f);
    return r;
}

size_t iam_intern_count(const iam_strtab *t)
{
    return t->n;
}
