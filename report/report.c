/* report.c - writer table, run defaults and helpers shared by the writers. */
#include "report/internal.h"

#include <stdlib.h>
#include <string.h>

#ifndef IAMPC_VERSION
#define IAMPC_VERSION "0.0.0"
#endif

const iam_writer iam_writers[] = {
    {"text", iam_write_text},
    {"json", iam_write_json},
    {"sarif", iam_write_sarif},
    {NULL, NULL},
};

const char *const iam_writer_names[] = {"text", "json", "sarif", NULL};

const iam_writer *iam_writer_find(const char *name)
{
    for (const iam_writer *w = iam_writers; w->name; w++)
        if (strcmp(w->name, name) == 0)
            return w;
    return NULL;
}

void iam_run_init(iam_run *r)
{
    memset(r, 0, sizeof *r);
    r->tool_version = IAMPC_VERSION;
    r->fail_on = "warning";
    const char *nt = getenv("IAMPC_NO_TIMING");
    r->timing = !(nt && *nt);
}

void iam_report_counts(const iam_diags *d, size_t counts[IAM_SEV_COUNT])
{
    memset(counts, 0, IAM_SEV_COUNT * sizeof *counts);
    for (size_t i = 0; i < d->n; i++)
        if ((unsigned)d->v[i].sev < IAM_SEV_COUNT)
            counts[d->v[i].sev]++;
}

const char *rp_path(const iam_span *sp)
{
    return sp->src ? sp->src->path : NULL;
}

/* ---- UTF-8 ---------------------------------------------------------- */

size_t rp_utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void rp_utf8_clean(iam_strbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, run = 0;
    while (i < n) {
        size_t k = rp_utf8_len(p + i, n - i);
        if (k) {
            i += k;
            continue;
        }
        iam_sb_add(b, s + run, i - run);
        iam_sb_add(b, "\xEF\xBF\xBD", 3);
        run = ++i;
    }
    iam_sb_add(b, s + run, n - run);
}

cJSON *rp_json_str(const char *s)
{
    if (!s)
        return cJSON_CreateNull();
    iam_strbuf b = IAM_STRBUF_INIT;
    rp_utf8_clean(&b, s);
    cJSON *j = cJSON_CreateString(b.s ? b.s : "");
    iam_sb_free(&b);
    if (!j)
        iam_oom("cJSON string");
    return j;
}

/* ---- JSON output ---------------------------------------------------- */

/* cJSON indents with tabs and writes "key":<TAB>value. Strings never hold a
 * raw tab (cJSON escapes it), so every tab is layout: leading tabs become
 * two spaces, the one after a colon a single space. */
int rp_json_emit(FILE *out, const cJSON *root)
{
    char *s = cJSON_Print(root);
    if (!s)
        iam_oom("cJSON print");
    int at_line_start = 1;
    for (const char *p = s; *p; p++) {
        if (*p == '\t')
            fputs(at_line_start ? "  " : " ", out);
        else {
            at_line_start = *p == '\n';
            fputc(*p, out);
        }
    }
    fputc('\n', out);
    free(s);
    return ferror(out) ? -1 : 0;
}
