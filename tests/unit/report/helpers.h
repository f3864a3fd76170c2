/* helpers.h - build sources, spans and diagnostics by hand for writer tests. */
#ifndef IAM_TEST_REPORT_HELPERS_H
#define IAM_TEST_REPORT_HELPERS_H
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/source.h"
#include "report/report.h"

/* Span of the nth (0-based) occurrence of needle in src, with line/col
 * computed the way the lexer does: 1-based, columns in code points. */
static inline iam_span span_of(const iam_source *src, const char *needle, int nth)
{
    const char *p = src->data;
    for (int i = 0; p && i <= nth; i++) {
        p = strstr(i ? p + 1 : p, needle);
    }
    if (!p)
        abort();
    size_t off = (size_t)(p - src->data), end = off + strlen(needle);
    iam_span sp = {.src = src, .off = off, .end_off = end};
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i <= end; i++) {
        if (i == off)
            sp.line = line, sp.col = col;
        if (i == end)
            sp.end_line = line, sp.end_col = col;
        if (i == src->len)
            break;
        unsigned char c = (unsigned char)src->data[i];
        if (c == '\n')
            line++, col = 1;
        else if ((c & 0xC0) != 0x80)
            col++;
    }
    return sp;
}

static inline iam_source *mem_src(const char *name, const char *text)
{
    return iam_source_from_mem(name, text, strlen(text));
}

/* Run a writer into a malloc'ed string (caller frees). */
static inline char *render(iam_write_fn fn, const iam_run *run, const iam_diags *d, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        abort();
    int r = fn(f, run, d);
    if (rc)
        *rc = r;
    fclose(f);
    return buf;
}

static inline iam_run quiet_run(size_t files, size_t policies)
{
    iam_run r;
    iam_run_init(&r);
    r.tool_version = "9.9.9";
    r.timing = false;
    r.files = files;
    r.policies = policies;
    return r;
}

#endif
