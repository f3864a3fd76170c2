/* strbuf.c - growable string. */
#include "core/strbuf.h"
#include "core/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void iam_sb_reserve(iam_strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->s = iam_xrealloc(b->s, cap);
    b->cap = cap;
}

void iam_sb_add(iam_strbuf *b, const char *s, size_t n)
{
    iam_sb_reserve(b, n);
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void iam_sb_puts(iam_strbuf *b, const char *s)
{
    iam_sb_add(b, s, strlen(s));
}

void iam_sb_putc(iam_strbuf *b, char c)
{
    iam_sb_add(b, &c, 1);
}

void iam_sb_printf(iam_strbuf *b, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n > 0) {
        iam_sb_reserve(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void iam_sb_json_str(iam_strbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    iam_sb_reserve(b, n + 2);
    iam_sb_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        iam_sb_add(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': iam_sb_add(b, "\\\"", 2); break;
        case '\\': iam_sb_add(b, "\\\\", 2); break;
        case '\n': iam_sb_add(b, "\\n", 2); break;
        case '\r': iam_sb_add(b, "\\r", 2); break;
        case '\t': iam_sb_add(b, "\\t", 2); break;
        case '\b': iam_sb_add(b, "\\b", 2); break;
        case '\f': iam_sb_add(b, "\\f", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            iam_sb_add(b, u, 6);
        }
        }
    }
    iam_sb_add(b, s + run, n - run);
    iam_sb_putc(b, '"');
}

void iam_sb_free(iam_strbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}
