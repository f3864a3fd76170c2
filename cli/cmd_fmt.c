/* cmd_fmt.c - `iampc fmt`: canonical formatting of policy documents.
 *
 * Parse with the located JSON parser, print with the canonical emitter
 * (compiler/emit.h), compare with the input. Formatting is syntax-only: a
 * document that parses is formatted even if it is not a valid policy
 * (`analyze` reports that), and a document that does not parse is reported
 * and never written. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/emit.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/fsutil.h"
#include "core/source.h"
#include "core/strbuf.h"
#include "grammar/json.h"

static const char usage_text[] =
    "usage: iampc fmt [--check] [--write] PATH...\n"
    "\n"
    "Format IAM policy documents canonically (docs/fmt.md): policy elements in\n"
    "canonical order, two-space indentation, one array element or member per line.\n"
    "\n"
    "  -c, --check   list files whose formatting would change; exit 1 if any\n"
    "  -w, --write   rewrite files whose formatting would change (atomically)\n"
    "  -h, --help    show this help\n"
    "\n"
    "PATH is a file, a directory (searched recursively for *.json) or - for\n"
    "standard input. Without --check or --write the formatted document is\n"
    "printed to standard output; this takes exactly one input.\n"
    "Exit status: 0 done, 1 --check found files to change, 2 usage or input error.\n";

typedef struct fmt_req {
    bool check;
    bool write;
} fmt_req;

static int input_error(const char *path, iam_rule_id rule, const char *what, const char *err)
{
    fprintf(stderr, "%s: error: %s: %s [%s]\n", strcmp(path, "-") == 0 ? "<stdin>" : path, what,
            err, iam_rule(rule)->name);
    return IAM_EXIT_ERROR;
}

/* Format one input. Returns IAM_EXIT_OK, or IAM_EXIT_ERROR after reporting
 * on stderr; *changed says whether the canonical text differs. */
static int fmt_one(const char *path, const fmt_req *rq, bool *changed)
{
    int rc = IAM_EXIT_OK;
    const char *err = NULL;
    iam_source *src = iam_source_read(path, iam_json_default_limits.max_file, &err);
    if (!src) {
        /* iam_source_read's static text for the size limit */
        bool big = strcmp(err, "file too large") == 0;
        return input_error(path, big ? IAM_R_INPUT_LIMIT : IAM_R_INPUT_ERROR, "cannot read", err);
    }
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_strbuf out = IAM_STRBUF_INIT;
    iam_json *root = NULL;
    if (iam_json_parse(a, src, &iam_json_default_limits, &d, &root) != IAM_OK || !root) {
        iam_diags_sort(&d);
        for (size_t i = 0; i < d.n; i++)
            iam_cli_print_diag(&d.v[i], src->path);
        if (d.n == 0)
            fprintf(stderr, "%s: error: cannot parse [%s]\n", src->path,
                    iam_rule(IAM_R_JSON_SYNTAX)->name);
        rc = IAM_EXIT_ERROR;
        goto out;
    }
    iam_emit_json(&out, root, &iam_emit_canonical);
    *changed = out.len != src->len || memcmp(out.s, src->data, out.len) != 0;
    if (rq->check && *changed)
        printf("%s\n", src->path);
    if (rq->write && *changed && iam_write_atomic(path, out.s, out.len, &err) != 0)
        rc = input_error(path, IAM_R_INPUT_ERROR, "cannot write", err);
    if (!rq->check && !rq->write)
        fwrite(out.s, 1, out.len, stdout);
out:
    iam_sb_free(&out);
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    iam_source_free(src);
    return rc;
}

static int run(const iam_pathlist *inputs, const fmt_req *rq)
{
    int rc = IAM_EXIT_OK;
    bool any_changed = false;
    for (size_t i = 0; i < inputs->n; i++) {
        bool changed = false;
        if (fmt_one(inputs->v[i], rq, &changed) != IAM_EXIT_OK)
            rc = IAM_EXIT_ERROR;
        any_changed |= changed;
    }
    if (rc == IAM_EXIT_OK && rq->check && any_changed)
        rc = IAM_EXIT_FINDINGS;
    return rc;
}

int cmd_fmt(int argc, char **argv, const iam_globals *g)
{
    (void)g;
    static const struct option opts[] = {
        {"check", no_argument, NULL, 'c'},
        {"write", no_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    fmt_req rq = {0};
    int c;
    iam_getopt_reset();
    while ((c = getopt_long(argc, argv, "cwh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': rq.check = true; break;
        case 'w': rq.write = true; break;
        case 'h': fputs(usage_text, stdout); return IAM_EXIT_OK;
        default: fputs(usage_text, stderr); return IAM_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return IAM_EXIT_ERROR;
    }
    for (int i = optind; i < argc; i++)
        if (rq.write && strcmp(argv[i], "-") == 0)
            return iam_cli_error("fmt: cannot --write standard input");
    static const char *const exts[] = {".json", NULL};
    iam_pathlist inputs = {0};
    const char *bad = NULL, *err = NULL;
    int rc;
    if (iam_inputs_collect(&inputs, (const char *const *)argv + optind, (size_t)(argc - optind),
                           exts, &bad, &err) != 0) {
        rc = iam_cli_error("fmt: cannot access '%s': %s", bad, err);
    } else if (!rq.check && !rq.write && inputs.n != 1) {
        rc = iam_cli_error("fmt: printing takes exactly one input (found %zu); "
                           "use --check or --write for several", inputs.n);
    } else {
        rc = run(&inputs, &rq);
    }
    iam_pathlist_free(&inputs);
    return rc;
}
