/* cmd_parse.c - `iampc parse [--dump-ir] PATH...`: parse and decode only,
 * printing the IR (debugging aid). Diagnostics go to stderr. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/fsutil.h"
#include "core/intern.h"
#include "core/strbuf.h"
#include "grammar/json.h"
#include "policy/policy.h"
#include "report/report.h"

static const char usage_text[] =
    "usage: iampc parse [--dump-ir] [--type TYPE] PATH...\n"
    "\n"
    "Parse and decode policies. With --dump-ir, print the decoded IR as JSON\n"
    "(one document per policy); diagnostics go to stderr.\n"
    "Exit status: 0 parsed, 2 a file could not be read or parsed.\n";

int cmd_parse(int argc, char **argv, const iam_globals *g)
{
    static const struct option opts[] = {
        {"dump-ir", no_argument, NULL, 'd'},
        {"type", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    int dump = 0, c;
    iam_decode_opts dopts = {IAM_PT_UNKNOWN, IAM_TO_HEURISTIC};
    iam_getopt_reset();
    while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dump = 1; break;
        case 't':
            dopts.type = iam_policy_type_by_name(optarg);
            dopts.origin = IAM_TO_FLAG;
            if (dopts.type == IAM_PT_UNKNOWN)
                return iam_cli_error("unknown policy type '%s'", optarg);
            break;
        case 'h': fputs(usage_text, stdout); return IAM_EXIT_OK;
        default: fputs(usage_text, stderr); return IAM_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return IAM_EXIT_ERROR;
    }
    iam_pathlist files = {0};
    static const char *const exts[] = {".json", NULL};
    const char *bad = NULL, *err = NULL;
    if (iam_inputs_collect(&files, (const char *const *)argv + optind, (size_t)(argc - optind), exts, &bad, &err) != 0) {
        iam_pathlist_free(&files);
        return iam_cli_error("cannot read '%s': %s", bad, err);
    }
    int rc = IAM_EXIT_OK;
    iam_strtab *names = iam_intern_new();
    iam_run run;
    iam_run_init(&run);
    run.color = g->color;
    for (size_t i = 0; i < files.n; i++) {
        const char *rerr = NULL;
        iam_source *src = iam_source_read(files.v[i], iam_json_default_limits.max_file, &rerr);
        if (!src) {
            rc = iam_cli_error("cannot read '%s': %s", files.v[i], rerr);
            continue;
        }
        iam_arena *a = iam_arena_new();
        iam_diags d;
        iam_diags_init(&d);
        iam_json *doc = NULL;
        run.files = 1;
        run.policies = 0;
        if (iam_json_parse(a, src, NULL, &d, &doc) != IAM_OK) {
            rc = IAM_EXIT_ERROR;
        } else {
            run.policies = 1;
            iam_decode_opts o = dopts;
            if (o.type == IAM_PT_UNKNOWN && strcmp(src->path, "<stdin>") != 0) {
                o.type = iam_policy_type_from_path(src->path);
                o.origin = IAM_TO_DIRECTORY;
            }
            iam_policy *p = iam_policy_decode(a, names, doc, &o, &d);
            if (dump) {
                iam_strbuf b = IAM_STRBUF_INIT;
                iam_policy_dump(p, &b);
                fwrite(b.s, 1, b.len, stdout);
                iam_sb_free(&b);
            }
        }
        if (d.n) {
            iam_diags_sort(&d);
            run.timing = false;
            iam_write_text(stderr, &run, &d);
        }
        iam_diags_fini(&d);
        iam_arena_destroy(a);
        iam_source_free(src);
    }
    iam_intern_free(names);
    iam_pathlist_free(&files);
    return rc;
}
