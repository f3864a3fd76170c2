/* test_intern.c - string interning: pointer equality and case folding. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/intern.h"

static iam_strtab *t;

static void setup(void)
{
    t = iam_intern_new();
}

static void teardown(void)
{
    iam_intern_free(t);
}

TestSuite(intern, .init = setup, .fini = teardown);

Test(intern, equal_strings_share_a_pointer)
{
    char buf1[] = "s3:GetObject", buf2[] = "s3:GetObject";
    const char *x = iam_intern(t, buf1, strlen(buf1));
    const char *y = iam_intern(t, buf2, strlen(buf2));
    cr_assert_eq(x, y);
    cr_assert_neq((const void *)x, (const void *)buf1, "the table must own a copy");
    cr_assert_str_eq(x, "s3:GetObject");
    buf1[0] = 'X'; /* the interned copy is independent of the caller's buffer */
    cr_assert_str_eq(x, "s3:GetObject");
    cr_assert_eq(iam_intern_count(t), 1);
}

Test(intern, different_strings_differ)
{
    const char *a = iam_intern(t, "s3:GetObject", 12);
    const char *b = iam_intern(t, "s3:getobject", 12);
    const char *c = iam_intern(t, "s3:GetObjec", 11);
    cr_assert_neq(a, b);
    cr_assert_neq(a, c);
    cr_assert_eq(iam_intern_count(t), 3);
}

Test(intern, length_delimited_and_nul_terminated)
{
    const char *a = iam_intern(t, "abcdef", 3);
    cr_assert_str_eq(a, "abc");
    cr_assert_eq(a, iam_intern(t, "abc", 3));
    /* Embedded NUL: "a\0b" and "a" are different strings. */
    const char *n1 = iam_intern(t, "a\0b", 3);
    const char *n2 = iam_intern(t, "a", 1);
    cr_assert_neq(n1, n2);
    cr_assert_eq(memcmp(n1, "a\0b", 3), 0);
    const char *e1 = iam_intern(t, "", 0);
    cr_assert_str_eq(e1, "");
    cr_assert_eq(e1, iam_intern(t, "zzz", 0));
}

Test(intern, fold_interns_lowercase)
{
    const char *a = iam_intern_fold(t, "S3:GetObject", 12);
    const char *b = iam_intern_fold(t, "s3:getOBJECT", 12);
    cr_assert_eq(a, b);
    cr_assert_str_eq(a, "s3:getobject");
    cr_assert_eq(a, iam_intern(t, "s3:getobject", 12), "fold and plain intern share one table");
    cr_assert_neq(a, iam_intern(t, "S3:GetObject", 12));
    /* Only ASCII letters fold. */
    const char *u = iam_intern_fold(t, "\xC3\x89-[]_@", 7);
    cr_assert_eq(memcmp(u, "\xC3\x89-[]_@", 7), 0);
    cr_assert_eq(iam_intern_fold(t, "", 0), iam_intern(t, "", 0));
}

Test(intern, fold_long_string)
{
    char big[1000], low[1000];
    for (int i = 0; i < 999; i++) {
        big[i] = (char)('A' + i % 26);
        low[i] = (char)('a' + i % 26);
    }
    big[999] = low[999] = '\0';
    const char *x = iam_intern_fold(t, big, 999);
    cr_assert_str_eq(x, low);
    cr_assert_eq(x, iam_intern(t, low, 999));
}

Test(intern, pointers_survive_rehash)
{
    enum { N = 20000 };
    static const char *first[N];
    char buf[32];
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "svc%d:Action%d", i % 97, i);
        first[i] = iam_intern(t, buf, (size_t)n);
    }
    cr_assert_eq(iam_intern_count(t), N);
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "svc%d:Action%d", i % 97, i);
        cr_assert_eq(iam_intern(t, buf, (size_t)n), first[i], "entry %d moved or was duplicated", i);
        cr_assert_str_eq(first[i], buf);
    }
    cr_assert_eq(iam_intern_count(t), N);
}

Test(intern, free_null_is_a_no_op)
{
    iam_intern_free(NULL);
}

Test(intern, fold_at_the_stack_buffer_boundary)
{
    /* 256 bytes fold on the stack, 257 on the heap: same results. */
    char up[258], low[258];
    for (int i = 0; i < 257; i++) {
        up[i] = (char)('A' + i % 26);
        low[i] = (char)('a' + i % 26);
    }
    up[257] = low[257] = '\0';
    cr_assert_eq(iam_intern_fold(t, up, 256), iam_intern(t, low, 256));
    cr_assert_eq(iam_intern_fold(t, up, 257), iam_intern(t, low, 257));
    cr_assert_neq(iam_intern_fold(t, up, 256), iam_intern_fold(t, up, 257));
    cr_assert_eq(iam_intern_count(t), 2);
}
