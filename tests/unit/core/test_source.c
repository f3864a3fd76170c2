/* test_source.c - sources: in-memory copies, file reading with a size
 * limit, line lookup for excerpts. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "core/source.h"

Test(source, from_mem_copies_and_terminates)
{
    char buf[] = "abc";
    iam_source *s = iam_source_from_mem("m.json", buf, 3);
    buf[0] = 'X';
    cr_assert_str_eq(s->path, "m.json");
    cr_assert_eq(s->len, 3);
    cr_assert_eq(memcmp(s->data, "abc\0\0", 5), 0, "two NULs follow the text");
    iam_source_free(s);
    iam_source *e = iam_source_from_mem("e", "", 0);
    cr_assert_eq(e->len, 0);
    cr_assert_eq(e->data[0], '\0');
    cr_assert_eq(e->data[1], '\0');
    iam_source_free(e);
}

Test(source, lines_lf_crlf_and_last_line)
{
    const char *t = "one\r\ntwo\n\nfour";
    iam_source *s = iam_source_from_mem("x", t, strlen(t));
    size_t n;
    const char *l = iam_source_line(s, 1, &n);
    cr_assert_eq(n, 3);
    cr_assert_eq(strncmp(l, "one", 3), 0);
    l = iam_source_line(s, 2, &n);
    cr_assert_eq(n, 3);
    cr_assert_eq(strncmp(l, "two", 3), 0);
    l = iam_source_line(s, 3, &n);
    cr_assert_not_null(l);
    cr_assert_eq(n, 0);
    l = iam_source_line(s, 4, &n);
    cr_assert_eq(n, 4);
    cr_assert_eq(strncmp(l, "four", 4), 0);
    cr_assert_null(iam_source_line(s, 5, &n));
    cr_assert_null(iam_source_line(s, 0, &n));
    iam_source_free(s);
}

Test(source, many_lines)
{
    char *t = malloc(200000);
    size_t n = 0;
    for (int i = 0; i < 20000; i++)
        n += (size_t)sprintf(t + n, "L%d\n", i);
    iam_source *s = iam_source_from_mem("x", t, n);
    size_t len;
    const char *l = iam_source_line(s, 12346, &len);
    cr_assert_eq(strncmp(l, "L12345", len), 0);
    cr_assert_eq(len, 6);
    iam_source_free(s);
    free(t);
}

Test(source, read_file_and_limit)
{
    char p[] = "/tmp/iampc-src-XXXXXX";
    int fd = mkstemp(p);
    cr_assert_geq(fd, 0);
    char *big = malloc(300000);
    memset(big, 'x', 300000);
    cr_assert_eq(write(fd, big, 300000), 300000);
    close(fd);
    const char *err = NULL;
    iam_source *s = iam_source_read(p, 0, &err);
    cr_assert_not_null(s);
    cr_assert_eq(s->len, 300000);
    cr_assert_str_eq(s->path, p);
    cr_assert_eq(s->data[300000], '\0');
    cr_assert_eq(s->data[300001], '\0');
    iam_source_free(s);
    s = iam_source_read(p, 300000, &err);
    cr_assert_not_null(s, "a file of exactly the limit is accepted");
    iam_source_free(s);
    err = NULL;
    s = iam_source_read(p, 299999, &err);
    cr_assert_null(s);
    cr_assert_str_eq(err, "file too large");
    unlink(p);
    err = NULL;
    cr_assert_null(iam_source_read(p, 0, &err));
    cr_assert_not_null(err);
    free(big);
}
