/* cmd_analyze.c - `iampc analyze PATH...`. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyzer/analyzer.h"
#include "cli/cli.h"
#include "core/fsutil.h"
#include "report/report.h"

static const char usage_text[] =
    "usage: iampc analyze [options] PATH...\n"
    "\n"
    "Validate IAM policies and report findings. PATH is a file, a directory\n"
    "(searched recursively for *.json, in sorted order) or - for stdin.\n"
    "\n"
    "  -t, --type TYPE       identity|resource|trust|scp|rcp|boundary|session\n"
    "                        (default: from the directory convention, else detected)\n"
    "  -f, --format FORMAT   text (default), json or sarif\n"
    "      --fail-on LEVEL   exit 1 on findings at or above LEVEL:\n"
    "                        error|security|warning|suggestion|none (default warning)\n"
    "  -o, --output FILE     write the report to FILE instead of stdout\n"
    "      --no-timing       leave the elapsed time out of the summary\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage or input error.\n";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_analyze(int argc, char **argv, const iam_globals *g)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},   {"format", required_argument, NULL, 'f'},
        {"fail-on", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
        {"no-timing", no_argument, NULL, 'T'},     {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    iam_analyze_opts ao = {0};
    const char *format = "text", *fail_on = "warning", *output = NULL;
    iam_run run;
    iam_run_init(&run);
    run.color = g->color;
    int c;
    iam_getopt_reset();
    while ((c = getopt_long(argc, argv, "t:f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            ao.type = iam_policy_type_by_name(optarg);
            if (ao.type == IAM_PT_UNKNOWN)
                return iam_cli_error("unknown policy type '%s' (expected identity, resource, trust, scp, rcp, boundary or session)", optarg);
            break;
        case 'f': format = optarg; break;
        case 'F': fail_on = optarg; break;
        case 'o': output = optarg; break;
        case 'T': run.timing = false; break;
        case 'h': fputs(usage_text, stdout); return IAM_EXIT_OK;
        default: fputs(usage_text, stderr); return IAM_EXIT_ERROR;
        }
    }
    const iam_writer *w = iam_writer_find(format);
    if (!w)
        return iam_cli_format(format, iam_writer_names), IAM_EXIT_ERROR;
    int threshold = strcmp(fail_on, "none") == 0 ? IAM_SEV_COUNT : iam_severity_by_name(fail_on);
    if (threshold < 0)
        return iam_cli_error("--fail-on takes error, security, warning, suggestion or none, not '%s'", fail_on);
    run.fail_on = fail_on;
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
    double t0 = now();
    iam_analyzer *an = iam_analyzer_new(&ao);
    for (size_t i = 0; i < files.n; i++)
        iam_analyzer_add(an, files.v[i]);
    iam_diags *d = iam_analyzer_diags(an);
    iam_diags_sort(d);
    iam_diags_fingerprint(d);
    run.files = iam_analyzer_files(an);
    run.policies = iam_analyzer_policies(an);
    run.seconds = now() - t0;

    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        iam_analyzer_free(an);
        iam_pathlist_free(&files);
        return iam_cli_error("cannot write '%s': %s", output, strerror(errno));
    }
    int wrc = w->write(out, &run, d);
    if (out != stdout && fclose(out) != 0)
        wrc = -1;
    int rc = IAM_EXIT_OK;
    if (threshold < IAM_SEV_COUNT && iam_diags_count_at_least(d, (iam_severity)threshold) > 0)
        rc = IAM_EXIT_FINDINGS;
    if (iam_analyzer_input_failed(an))
        rc = IAM_EXIT_ERROR;
    if (wrc != 0)
        rc = iam_cli_error("error writing the report");
    iam_analyzer_free(an);
    iam_pathlist_free(&files);
    return rc;
}
