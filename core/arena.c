/* arena.c - block bump allocator. Blocks double up to 1 MiB; a request
 * larger than a block gets a block of its own so big strings waste nothing. */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t cap, used;
    alignas(max_align_t) unsigned char data[];
} block;

struct iam_arena {
    block *head;
    size_t next_cap;
    size_t total;
};

_Noreturn void iam_oom(const char *what)
{
    fprintf(stderr, "iampc: fatal: %s\n", what ? what : "out of memory");
    abort();
}

void *iam_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        iam_oom("out of memory");
    return p;
}

void *iam_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        iam_oom("out of memory");
    return q;
}

char *iam_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(iam_xmalloc(n), s, n);
}

iam_arena *iam_arena_new(void)
{
    iam_arena *a = iam_xmalloc(sizeof *a);
    a->head = NULL;
    a->next_cap = 4096;
    a->total = 0;
    return a;
}

void iam_arena_destroy(iam_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(a);
}

static block *new_block(iam_arena *a, size_t need)
{
    size_t cap = a->next_cap;
    if (cap < need)
        cap = need;
    if (a->next_cap < (1u << 20))
        a->next_cap *= 2;
    block *b = iam_xmalloc(sizeof *b + cap);
    b->cap = cap;
    b->used = 0;
    a->total += cap;
    return b;
}

void *iam_arena_alloc(iam_arena *a, size_t n)
{
    const size_t al = alignof(max_align_t);
    if (n > SIZE_MAX - al)
        iam_oom("allocation too large");
    n = (n + al - 1) & ~(al - 1);
    if (n == 0)
        n = al;
    block *b = a->head;
    if (!b || b->cap - b->used < n) {
        block *nb = new_block(a, n);
        if (b && n > b->cap / 2) {
            /* Oversized: chain behind the current block so it keeps filling. */
            nb->next = b->next;
            b->next = nb;
            nb->used = n;
            return memset(nb->data, 0, n);
        }
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    return memset(p, 0, n);
}

void *iam_arena_dup(iam_arena *a, const void *p, size_t n)
{
    void *q = iam_arena_alloc(a, n);
    if (n)
        memcpy(q, p, n);
    return q;
}

char *iam_arena_strndup(iam_arena *a, const char *s, size_t n)
{
    char *q = iam_arena_alloc(a, n + 1);
    if (n)
        memcpy(q, s, n);
    q[n] = '\0';
    return q;
}

char *iam_arena_strdup(iam_arena *a, const char *s)
{
    return iam_arena_strndup(a, s, strlen(s));
}

char *iam_arena_vprintf(iam_arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return iam_arena_strdup(a, "");
    char *s = iam_arena_alloc(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *iam_arena_printf(iam_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = iam_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

void *iam_arena_grow(iam_arena *a, void *old, size_t old_n, size_t new_cap, size_t elem)
{
    void *p = iam_arena_alloc(a, new_cap * elem);
    if (old && old_n)
        memcpy(p, old, old_n * elem);
    return p;
}

size_t iam_arena_bytes(const iam_arena *a)
{
    return a->total;
}
