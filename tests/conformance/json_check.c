/* json_check.c - one JSON conformance check: parse FILE with the located
 * JSON parser (grammar/json.h) and judge the result.
 *
 *   json_check [--expect=accept|reject] [--pos=LINE:COL] FILE
 *
 * Without --expect: exit 0 accepted, 1 rejected (diagnostics on stderr as
 * file:line:col: severity: message [rule]). With --expect: exit 0 when the
 * outcome matches, 1 otherwise. Exit 3 in every mode for a broken contract:
 *   - a rejection without a json-syntax or input-limit error whose position
 *     lies inside the file (line >= 1, col >= 1, line and column within
 *     the text, byte offset <= size); --pos pins the first such position;
 *   - an accepted document whose canonical form (compiler/emit.h) does not
 *     parse, is not a fixpoint, or differs from the canonical form reached
 *     through the compact form. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/emit.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/source.h"
#include "core/strbuf.h"
#include "grammar/json.h"

enum { CHECK_ACCEPT = 0, CHECK_REJECT = 1, CHECK_USAGE = 2, CHECK_BROKEN = 3 };

static bool emit_text(const char *text, size_t len, const iam_emit_opts *opts, iam_strbuf *out)
{
    iam_source *src = iam_source_from_mem("roundtrip", text, len);
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_json *root = NULL;
    bool ok = iam_json_parse(a, src, &iam_json_default_limits, &d, &root) == IAM_OK && root;
    if (ok)
        iam_emit_json(out, root, opts);
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    iam_source_free(src);
    return ok;
}

static bool sb_eq(const iam_strbuf *a, const iam_strbuf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

/* The emitter's promises on an accepted document. */
static const char *roundtrip(const iam_json *root)
{
    iam_strbuf once = IAM_STRBUF_INIT, twice = IAM_STRBUF_INIT;
    iam_strbuf compact = IAM_STRBUF_INIT, via = IAM_STRBUF_INIT;
    const char *why = NULL;
    iam_emit_json(&once, root, &iam_emit_canonical);
    iam_emit_json(&compact, root, &iam_emit_compact);
    if (!emit_text(once.s, once.len, &iam_emit_canonical, &twice))
        why = "canonical form does not parse";
    else if (!sb_eq(&once, &twice))
        why = "canonical form is not a fixpoint";
    else if (!emit_text(compact.s, compact.len, &iam_emit_canonical, &via))
        why = "compact form does not parse";
    else if (!sb_eq(&once, &via))
        why = "compact and canonical forms differ";
    iam_sb_free(&once);
    iam_sb_free(&twice);
    iam_sb_free(&compact);
    iam_sb_free(&via);
    return why;
}

/* Does the span point inside src? Columns count code points, so the bytes
 * of the line (CR included) plus one for the end of the line bound them. */
static bool inside(const iam_source *src, const iam_span *s)
{
    if (s->src != src || s->line < 1 || s->col < 1 || s->off > src->len)
        return false;
    size_t i = 0;
    for (uint32_t line = 1; line < s->line; line++) {
        while (i < src->len && src->data[i] != '\n')
            i++;
        if (i == src->len)
            return false;   /* fewer lines than s->line */
        i++;
    }
    size_t start = i;
    while (i < src->len && src->data[i] != '\n')
        i++;
    return s->col <= i - start + 1;
}

static const iam_diag *located_error(const iam_source *src, const iam_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const iam_diag *g = &d->v[i];
        bool syntax = g->rule == IAM_R_JSON_SYNTAX || g->rule == IAM_R_INPUT_LIMIT;
        if (g->sev == IAM_SEV_ERROR && syntax && inside(src, &g->span))
            return g;
    }
    return NULL;
}

static void print_diags(const iam_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const iam_diag *g = &d->v[i];
        fprintf(stderr, "%s:%u:%u: %s: %s [%s]\n", g->span.src ? g->span.src->path : "?",
                (unsigned)g->span.line, (unsigned)g->span.col, iam_severity_name(g->sev), g->msg,
                iam_rule(g->rule)->name);
    }
}

static int check(const char *path, int expect, unsigned pos_line, unsigned pos_col)
{
    const char *err = NULL;
    iam_source *src = iam_source_read(path, 0, &err);
    if (!src) {
        fprintf(stderr, "json_check: cannot read '%s': %s\n", path, err);
        return CHECK_USAGE;
    }
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_json *root = NULL;
    iam_status st = iam_json_parse(a, src, &iam_json_default_limits, &d, &root);
    int rc = st == IAM_OK ? CHECK_ACCEPT : CHECK_REJECT;
    if (rc == CHECK_ACCEPT) {
        const char *why = root ? roundtrip(root) : "accepted without a tree";
        if (why) {
            fprintf(stderr, "json_check: %s: %s\n", path, why);
            rc = CHECK_BROKEN;
        }
    } else {
        iam_diags_sort(&d);
        print_diags(&d);
        const iam_diag *g = located_error(src, &d);
        if (!g) {
            fprintf(stderr, "json_check: %s: rejected without a position inside the file\n", path);
            rc = CHECK_BROKEN;
        } else if (pos_line && (g->span.line != pos_line || g->span.col != pos_col)) {
            fprintf(stderr, "json_check: %s: error at %u:%u, expected %u:%u\n", path,
                    (unsigned)g->span.line, (unsigned)g->span.col, pos_line, pos_col);
            rc = CHECK_BROKEN;
        }
    }
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    iam_source_free(src);
    if (rc == CHECK_BROKEN || expect < 0)
        return rc;
    if (rc != expect)
        fprintf(stderr, "json_check: %s: expected %s, got %s\n", path,
                expect == CHECK_ACCEPT ? "accept" : "reject",
                rc == CHECK_ACCEPT ? "accept" : "reject");
    return rc == expect ? 0 : 1;
}

int main(int argc, char **argv)
{
    int expect = -1;
    unsigned pos_line = 0, pos_col = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--expect=accept") == 0)
            expect = CHECK_ACCEPT;
        else if (strcmp(argv[i], "--expect=reject") == 0)
            expect = CHECK_REJECT;
        else if (strncmp(argv[i], "--pos=", 6) == 0 &&
                 sscanf(argv[i] + 6, "%u:%u", &pos_line, &pos_col) == 2 && pos_line && pos_col)
            continue;
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            path = NULL, i = argc;
    }
    if (!path) {
        fprintf(stderr, "usage: json_check [--expect=accept|reject] [--pos=LINE:COL] FILE\n");
        return CHECK_USAGE;
    }
    return check(path, expect, pos_line, pos_col);
}
