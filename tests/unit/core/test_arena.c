/* test_arena.c - bump allocator: growth, oversized blocks, alignment,
 * zeroing, string helpers and printf. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/arena.h"

static iam_arena *a;

static void setup(void)
{
    a = iam_arena_new();
}

static void teardown(void)
{
    iam_arena_destroy(a);
}

TestSuite(arena, .init = setup, .fini = teardown);

static int aligned(const void *p)
{
    return ((uintptr_t)p % alignof(max_align_t)) == 0;
}

Test(arena, grows_past_block)
{
    /* 100,000 small allocations: far more than the first 4 KiB block. Each
     * keeps its own content, so no two allocations overlap. */
    enum { N = 100000, SZ = 24 };
    unsigned char **v = iam_arena_alloc(a, N * sizeof *v);
    for (size_t i = 0; i < N; i++) {
        v[i] = iam_arena_alloc(a, SZ);
        cr_assert_not_null(v[i]);
        memset(v[i], (int)(i & 0xFF), SZ);
    }
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < SZ; k++)
            cr_assert_eq(v[i][k], (unsigned char)(i & 0xFF), "allocation %zu was overwritten", i);
    cr_assert_geq(iam_arena_bytes(a), (size_t)N * SZ);
}

Test(arena, zeroed_memory)
{
    for (size_t n = 1; n < 5000; n += 97) {
        unsigned char *p = iam_arena_alloc(a, n);
        for (size_t i = 0; i < n; i++)
            cr_assert_eq(p[i], 0, "byte %zu of a %zu-byte allocation is not zero", i, n);
        memset(p, 0xAB, n);
    }
}

Test(arena, alignment_of_every_size)
{
    for (size_t n = 0; n < 300; n++) {
        void *p = iam_arena_alloc(a, n);
        cr_assert_not_null(p);
        cr_assert(aligned(p), "allocation of %zu bytes at %p is not max_align_t aligned", n, p);
    }
    cr_assert(aligned(iam_arena_alloc(a, 3u << 20)));
    cr_assert(aligned(iam_arena_strdup(a, "x")));
}

Test(arena, zero_size_allocations_are_distinct)
{
    void *p = iam_arena_alloc(a, 0), *q = iam_arena_alloc(a, 0);
    cr_assert_not_null(p);
    cr_assert_not_null(q);
    cr_assert_neq(p, q);
}

Test(arena, large_allocation_gets_its_own_block)
{
    char *small = iam_arena_alloc(a, 16);
    strcpy(small, "before");
    size_t before = iam_arena_bytes(a);
    size_t big_n = 8u << 20; /* 8 MiB, larger than the 1 MiB block cap */
    unsigned char *big = iam_arena_alloc(a, big_n);
    cr_assert_not_null(big);
    cr_assert_eq(big[0], 0);
    cr_assert_eq(big[big_n - 1], 0);
    memset(big, 0x5A, big_n);
    cr_assert_geq(iam_arena_bytes(a), before + big_n);
    /* The current block keeps filling: a small allocation after the big one
     * does not need a new block. */
    size_t after_big = iam_arena_bytes(a);
    char *s2 = iam_arena_alloc(a, 16);
    cr_assert_eq(iam_arena_bytes(a), after_big);
    strcpy(s2, "after");
    cr_assert_str_eq(small, "before");
    cr_assert_eq(big[big_n / 2], 0x5A);
    cr_assert_eq(big[big_n - 1], 0x5A);
}

Test(arena, many_large_allocations)
{
    unsigned char *v[20];
    for (int i = 0; i < 20; i++) {
        v[i] = iam_arena_alloc(a, 600000 + (size_t)i);
        memset(v[i], i + 1, 600000 + (size_t)i);
    }
    for (int i = 0; i < 20; i++) {
        cr_assert_eq(v[i][0], i + 1);
        cr_assert_eq(v[i][600000 + (size_t)i - 1], i + 1);
    }
}

Test(arena, dup_and_strndup)
{
    const char bytes[] = {'a', '\0', 'b', 'c'};
    char *d = iam_arena_dup(a, bytes, sizeof bytes);
    cr_assert_eq(memcmp(d, bytes, sizeof bytes), 0);
    cr_assert_neq((const void *)d, (const void *)bytes);

    char *s = iam_arena_strndup(a, "hello world", 5);
    cr_assert_str_eq(s, "hello");
    cr_assert_eq(s[5], '\0');
    char *e = iam_arena_strndup(a, "ignored", 0);
    cr_assert_str_eq(e, "");
    char *t = iam_arena_strdup(a, "s3:GetObject");
    cr_assert_str_eq(t, "s3:GetObject");
}

Test(arena, printf_formats)
{
    cr_assert_str_eq(iam_arena_printf(a, "%s:%d:%zu", "file", -3, (size_t)42), "file:-3:42");
    cr_assert_str_eq(iam_arena_printf(a, "%s", ""), "");
    cr_assert_str_eq(iam_arena_printf(a, "%.*s|%5s|%-3d|", 2, "abcdef", "x", 7), "ab|    x|7  |");
}

Test(arena, printf_longer_than_a_block)
{
    enum { N = 70000 };
    char *src = iam_arena_alloc(a, N + 1);
    memset(src, 'q', N);
    char *s = iam_arena_printf(a, "<%s>", src);
    cr_assert_eq(strlen(s), (size_t)N + 2);
    cr_assert_eq(s[0], '<');
    cr_assert_eq(s[N + 1], '>');
    cr_assert_eq(s[N / 2], 'q');
}

Test(arena, grow_keeps_contents)
{
    int *v = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 10000; i++) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            v = iam_arena_grow(a, v, n, nc, sizeof *v);
            cap = nc;
        }
        v[n++] = i * 3;
    }
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(v[i], i * 3);
}

Test(arena, destroy_null_is_a_no_op)
{
    iam_arena_destroy(NULL);
}

Test(arena, xstrdup_copies)
{
    char *s = iam_xstrdup("abc");
    cr_assert_str_eq(s, "abc");
    free(s);
}

Test(arena, mixed_sizes_never_overlap)
{
    /* Sizes around the block boundaries and the "oversized" threshold (half
     * a block), with a distinct fill per allocation, verified at the end. */
    enum { N = 3000 };
    static unsigned char *p[N];
    static size_t n[N];
    unsigned long long x = 12345;
    for (size_t i = 0; i < N; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t pick = (size_t)(x >> 33) % 8;
        size_t sizes[] = {1, 15, 16, 17, 2047, 2049, 4096, 70000};
        n[i] = sizes[pick] + (size_t)((x >> 20) % 3);
        p[i] = iam_arena_alloc(a, n[i]);
        memset(p[i], (int)(i % 251) + 1, n[i]);
    }
    for (size_t i = 0; i < N; i++) {
        cr_assert(aligned(p[i]));
        cr_assert_eq(p[i][0], (unsigned char)(i % 251 + 1), "allocation %zu (%zu bytes) overwritten", i, n[i]);
        cr_assert_eq(p[i][n[i] - 1], (unsigned char)(i % 251 + 1), "allocation %zu (%zu bytes) overwritten", i, n[i]);
    }
}
