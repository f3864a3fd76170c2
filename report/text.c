/* text.c - gcc-style text output:
 *
 *   file:line:col: severity: message [rule]
 *       3 |     "Effect": "Alow",
 *         |               ^~~~~~
 *     help: ...
 *   file:line:col: note: related message
 *   ...
 *   2 files, 3 policies: 1 error, 0 security, 1 warning, 0 suggestions (0.004s)
 *
 * Columns count code points; the caret line repeats the excerpt's tabs so it
 * lines up in a terminal whatever the tab width. Excerpts print untrusted
 * input, so control characters and invalid UTF-8 are shown as '?' (one
 * column each) and can't drive the terminal. */
#include "report/internal.h"

#include <string.h>

/* An excerpt longer than this many code points is cut to a window around
 * the span, marked with "..." (minified JSON is one long line). */
#define MAX_EXCERPT 120
#define LEAD_CONTEXT 40

enum { C_RESET, C_BOLD, C_NOTE };
static const char *const sev_color[IAM_SEV_COUNT] = {
    [IAM_SEV_SUGGESTION] = "\033[1;36m",
    [IAM_SEV_WARNING] = "\033[1;33m",
    [IAM_SEV_SECURITY] = "\033[1;35m",
    [IAM_SEV_ERROR] = "\033[1;31m",
};
static const char *const misc_color[] = {"\033[0m", "\033[1m", "\033[1;36m"};

typedef struct tctx {
    FILE *out;
    bool color;
} tctx;

static void paint(const tctx *t, const char *esc, const char *text)
{
    if (t->color)
        fprintf(t->out, "%s%s%s", esc, text, misc_color[C_RESET]);
    else
        fputs(text, t->out);
}

/* One code point of an excerpt: its byte length and how it is shown. */
typedef struct cp {
    size_t len;
    int show_raw;   /* copy bytes; else print '?' (or the tab itself) */
} cp;

static cp next_cp(const unsigned char *s, size_t n)
{
    size_t k = rp_utf8_len(s, n);
    if (k == 0)
        return (cp){1, 0};
    /* C0 controls, DEL and C1 controls (U+0080..U+009F) are not printed. */
    if ((k == 1 && (s[0] < 0x20 || s[0] == 0x7F) && s[0] != '\t') ||
        (k == 2 && s[0] == 0xC2 && s[1] < 0xA0))
        return (cp){k, 0};
    return (cp){k, 1};
}

static size_t count_cps(const unsigned char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; c++)
        i += next_cp(s + i, n - i).len;
    return c;
}

/* Messages: print, but escape control characters as \xNN. */
static void put_msg(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
}

static void put_location(const tctx *t, const iam_span *sp)
{
    const char *path = rp_path(sp);
    char loc[64] = "";
    if (sp->line && sp->col)
        snprintf(loc, sizeof loc, ":%u:%u", (unsigned)sp->line, (unsigned)sp->col);
    else if (sp->line)
        snprintf(loc, sizeof loc, ":%u", (unsigned)sp->line);
    if (t->color)
        fputs(misc_color[C_BOLD], t->out);
    put_msg(t->out, path ? path : "iampc");
    fprintf(t->out, "%s:", loc);
    if (t->color)
        fputs(misc_color[C_RESET], t->out);
    fputc(' ', t->out);
}

/* Caret length in code points on the span's first line (at least 1). */
static size_t caret_len(const iam_span *sp, size_t line_cps)
{
    size_t col = sp->col;
    if (sp->end_line == sp->line && sp->end_col > sp->col)
        return sp->end_col - sp->col;
    if (sp->end_line > sp->line && line_cps + 1 > col)
        return line_cps + 1 - col;
    return 1;
}

static void excerpt(const tctx *t, const iam_span *sp, const char *esc)
{
    /* An empty source (unreadable input, empty file) has nothing to show. */
    if (!sp->src || !sp->src->len || !sp->line || !sp->col)
        return;
    size_t n;
    const char *line = iam_source_line((iam_source *)sp->src, sp->line, &n);
    if (!line)
        return;
    const unsigned char *s = (const unsigned char *)line;
    size_t total = count_cps(s, n), col = sp->col;
    if (col > total + 1)
        col = total + 1;   /* a span at end of line (or past it) */
    size_t want = caret_len(sp, total);
    /* Window [first, last] in 1-based code points. */
    size_t first = 1, last = total;
    if (total > MAX_EXCERPT) {
        first = col > LEAD_CONTEXT ? col - LEAD_CONTEXT : 1;
        last = first + MAX_EXCERPT - 1;
        if (last > total)
            last = total, first = total - MAX_EXCERPT + 1;
    }
    iam_strbuf text = IAM_STRBUF_INIT, mark = IAM_STRBUF_INIT;
    if (first > 1) {
        iam_sb_puts(&text, "...");
        iam_sb_puts(&mark, "   ");
    }
    size_t i = 0, c = 1, carets = 0;
    for (; i < n && c <= last; c++) {
        cp k = next_cp(s + i, n - i);
        if (c >= first) {
            int tab = s[i] == '\t';
            if (k.show_raw)
                iam_sb_add(&text, line + i, k.len);
            else
                iam_sb_putc(&text, '?');
            if (c < col)
                iam_sb_putc(&mark, tab ? '\t' : ' ');
            else if (carets < want) {
                iam_sb_putc(&mark, carets ? '~' : '^');
                carets++;
            }
        }
        i += k.len;
    }
    if (last < total)
        iam_sb_puts(&text, "...");
    if (carets == 0)   /* span at end of line: point just past it */
        iam_sb_putc(&mark, '^');
    fprintf(t->out, "%5u | %s\n      | ", (unsigned)sp->line, text.s ? text.s : "");
    paint(t, esc, mark.s);
    fputc('\n', t->out);
    iam_sb_free(&text);
    iam_sb_free(&mark);
}

static void write_one(const tctx *t, const iam_diag *g)
{
    const iam_rule_info *r = iam_rule(g->rule);
    const char *esc = sev_color[(unsigned)g->sev < IAM_SEV_COUNT ? g->sev : IAM_SEV_ERROR];
    char sev[32];
    snprintf(sev, sizeof sev, "%s:", iam_severity_name(g->sev));
    put_location(t, &g->span);
    paint(t, esc, sev);
    fputc(' ', t->out);
    put_msg(t->out, g->msg ? g->msg : "");
    /* The policy type the finding was checked as (issue: "the output says
     * which was used"); absent for syntax errors, found before any type. */
    if (g->policy_type)
        fprintf(t->out, " [%s, %s]\n", r ? r->name : "?", g->policy_type);
    else
        fprintf(t->out, " [%s]\n", r ? r->name : "?");
    excerpt(t, &g->span, esc);
    if (g->help) {
        fputs("  ", t->out);
        paint(t, misc_color[C_BOLD], "help:");
        fputc(' ', t->out);
        put_msg(t->out, g->help);
        fputc('\n', t->out);
    }
    for (size_t k = 0; k < g->nrelated; k++) {
        const iam_related *rel = &g->related[k];
        put_location(t, &rel->span);
        paint(t, misc_color[C_NOTE], "note:");
        fputc(' ', t->out);
        put_msg(t->out, rel->msg ? rel->msg : "");
        fputc('\n', t->out);
        excerpt(t, &rel->span, misc_color[C_NOTE]);
    }
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int iam_write_text(FILE *out, const iam_run *run, const iam_diags *d)
{
    tctx t = {out, run->color};
    for (size_t i = 0; i < d->n; i++)
        write_one(&t, &d->v[i]);
    size_t c[IAM_SEV_COUNT];
    iam_report_counts(d, c);
    fprintf(out, "%zu %s, %zu %s: %zu %s, %zu security, %zu %s, %zu %s",
            run->files, plural(run->files, "file", "files"),
            run->policies, plural(run->policies, "policy", "policies"),
            c[IAM_SEV_ERROR], plural(c[IAM_SEV_ERROR], "error", "errors"),
            c[IAM_SEV_SECURITY],
            c[IAM_SEV_WARNING], plural(c[IAM_SEV_WARNING], "warning", "warnings"),
            c[IAM_SEV_SUGGESTION], plural(c[IAM_SEV_SUGGESTION], "suggestion", "suggestions"));
    if (run->timing)
        fprintf(out, " (%.3fs)", run->seconds);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}
