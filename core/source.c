/* source.c - loading inputs and finding lines for excerpts. */
#include "core/source.h"
#include "core/arena.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static iam_source *wrap(const char *name, char *data, size_t len)
{
    iam_source *s = iam_xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->path = iam_xstrdup(name);
    s->data = data;
    s->len = len;
    return s;
}

iam_source *iam_source_from_mem(const char *name, const char *data, size_t len)
{
    char *buf = iam_xmalloc(len + 2);
    if (len)
        memcpy(buf, data, len);
    buf[len] = buf[len + 1] = '\0';
    return wrap(name, buf, len);
}

iam_source *iam_source_read(const char *path, size_t max_bytes, const char **err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        *err = strerror(errno);
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = iam_xmalloc(cap + 2);
    for (;;) {
        if (cap - len < 4096) {
            cap *= 2;
            buf = iam_xrealloc(buf, cap + 2);
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (max_bytes && len > max_bytes) {
            *err = "file too large";
            free(buf);
            if (!is_stdin)
                fclose(f);
            return NULL;
        }
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (bad) {
        *err = "read error";
        free(buf);
        return NULL;
    }
    buf[len] = buf[len + 1] = '\0';
    return wrap(is_stdin ? "<stdin>" : path, buf, len);
}

void iam_source_free(iam_source *s)
{
    if (!s)
        return;
    free((char *)s->path);
    free(s->data);
    free(s->lines);
    free(s);
}

static void index_lines(iam_source *s)
{
    size_t cap = 64, n = 0;
    uint32_t *v = iam_xmalloc(cap * sizeof *v);
    v[n++] = 0;
    for (size_t i = 0; i < s->len; i++) {
        if (s->data[i] == '\n') {
            if (n == cap) {
                cap *= 2;
                v = iam_xrealloc(v, cap * sizeof *v);
            }
            v[n++] = (uint32_t)(i + 1);
        }
    }
    s->lines = v;
    s->nlines = n;
}

const char *iam_source_line(iam_source *s, uint32_t line, size_t *len)
{
    if (!s->lines)
        index_lines(s);
    if (line == 0 || line > s->nlines)
        return NULL;
    size_t start = s->lines[line - 1];
    size_t end = line < s->nlines ? s->lines[line] - 1 : s->len;
    if (end > start && s->data[end - 1] == '\r')
        end--;
    *len = end - start;
    return s->data + start;
}

size_t iam_utf8_continuations(const char *p, size_t n)
{
    size_t count = 0, i = 0;
    const uint64_t hi = 0x8080808080808080ull;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        /* bit 7 set and bit 6 clear, per byte */
        uint64_t x = w & hi & ~((w << 1) & hi);
        count += (size_t)__builtin_popcountll(x);
    }
    for (; i < n; i++)
        count += ((unsigned char)p[i] & 0xC0) == 0x80;
    return count;
}

void iam_pos_advance(iam_pos *pos, const char *text, size_t len)
{
    pos->off += len;
    if (!memchr(text, '\n', len)) {
        /* Most tokens: no newline, so only the column moves. */
        pos->col += (uint32_t)(len - iam_utf8_continuations(text, len));
        return;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            pos->prev_line_cols = pos->col;
            pos->line++;
            pos->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            pos->col++;
        }
    }
}

void iam_loc_step(iam_pos *pos, iam_loc *l, const char *text, size_t len)
{
    l->first_line = pos->line;
    l->first_column = pos->col;
    l->first_off = pos->off;
    iam_pos_advance(pos, text, len);
    l->last_line = pos->line;
    l->last_column = pos->col;
    l->last_off = pos->off;
}

void iam_loc_end(const iam_pos *pos, iam_loc *l)
{
    l->first_line = l->last_line = pos->line;
    l->first_column = l->last_column = pos->col;
    l->first_off = l->last_off = pos->off;
}

iam_span iam_loc_span(const iam_source *src, const iam_loc *l)
{
    iam_span s = {src, l->first_line, l->first_column, l->last_line, l->last_column, l->first_off, l->last_off};
    return s;
}
