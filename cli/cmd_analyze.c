/* cmd_analyze.c - `iampc analyze PATH...`. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/analyzer.h"
#include "analyzer/baseline.h"
#include "analyzer/config.h"
#include "catalog/catalog.h"
#include "cli/cli.h"
#include "core/fsutil.h"
#include "report/report.h"

static const char usage_text[] =
    "usage: iampc analyze [options] PATH...\n"
    "\n"
    "Validate IAM policies and report findings. PATH is a file, a directory\n"
    "(searched recursively for *.json, in sorted order) or - for stdin.\n"
    "\n"
    "  -t, --type TYPE       identity|resource|trust|scp|rcp|boundary|session, or gaad\n"
    "                        (aws iam get-account-authorization-details output)\n"
    "                        (default: from the directory convention, else detected)\n"
    "  -f, --format FORMAT   text (default), json or sarif\n"
    "      --fail-on LEVEL   exit 1 on findings at or above LEVEL:\n"
    "                        error|security|warning|suggestion|none\n"
    "                        (default: the config's failOn, else warning)\n"
    "      --config FILE     read the configuration from FILE (default: the\n"
    "                        nearest .iampc.json up to the git work tree top)\n"
    "      --no-config       ignore any .iampc.json\n"
    "      --baseline FILE   drop findings whose fingerprint FILE lists\n"
    "      --write-baseline FILE\n"
    "                        record every current finding in FILE; they no\n"
    "                        longer count for the exit status\n"
    "  -o, --output FILE     write the report to FILE instead of stdout\n"
    "      --no-timing       leave the elapsed time out of the summary\n"
    "      --grammar-only    only parse and validate the grammar (no catalog or\n"
    "                        risk rules): the fastest syntax pre-check\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage,\n"
    "config, baseline or input error. Configuration: docs/config.md.\n";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Config and baseline errors are located diagnostics: print them to stderr
 * with excerpts, like policy findings, and fail the run (exit 2). */
static int report_load_errors(iam_diags *errs, iam_status st, bool color, const char *what, const char *path)
{
    if (st == IAM_ERR_IO && errs->n == 1)   /* nothing to point at */
        return iam_cli_error("%s", errs->v[0].msg);
    iam_run r;
    iam_run_init(&r);
    r.color = color;
    r.timing = false;
    r.files = 1;
    iam_diags_sort(errs);
    iam_write_text(stderr, &r, errs);
    return iam_cli_error("invalid %s '%s'", what, path);
}

typedef struct analyze_req {
    iam_analyze_opts ao;
    const char *format, *fail_on, *output;
    const char *config_path, *baseline, *write_baseline;
    bool no_config;
} analyze_req;

/* --config FILE, else the nearest .iampc.json, else the defaults. */
static int load_config(const analyze_req *q, bool color, iam_config **out)
{
    *out = NULL;
    char *found = NULL;
    const char *path = q->config_path;
    if (!path && !q->no_config)
        path = found = iam_config_find(".");
    if (!path) {
        *out = iam_config_default();
        return IAM_EXIT_OK;
    }
    iam_diags errs;
    iam_diags_init(&errs);
    int rc = IAM_EXIT_OK;
    iam_status st = iam_config_load(path, &errs, out);
    if (st != IAM_OK)
        rc = report_load_errors(&errs, st, color, "config", path);
    iam_diags_fini(&errs);
    free(found);
    return rc;
}

/* Baselines: --write-baseline records every current finding (the old
 * baseline is not consulted, so fixed findings drop out of the file), then
 * the recorded or the given baseline is applied, so the report, the
 * summary and the exit status show only what is new. */
static int apply_baselines(const analyze_req *q, bool color, iam_diags *d)
{
    iam_diags errs;
    iam_diags_init(&errs);
    int rc = IAM_EXIT_OK;
    const char *path = q->write_baseline ? q->write_baseline : q->baseline;
    if (q->write_baseline) {
        const char *err = NULL;
        if (iam_baseline_write(q->write_baseline, d, &err) != 0) {
            rc = iam_cli_error("cannot write baseline '%s': %s", q->write_baseline, err);
            goto out;
        }
    }
    if (path) {
        iam_baseline *b = NULL;
        iam_status st = iam_baseline_load(path, &errs, &b);
        if (st != IAM_OK) {
            rc = report_load_errors(&errs, st, color, "baseline", path);
            goto out;
        }
        iam_baseline_apply(b, d);
        iam_baseline_free(b);
    }
out:
    iam_diags_fini(&errs);
    return rc;
}

static int parse_args(int argc, char **argv, analyze_req *q, iam_run *run)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},    {"format", required_argument, NULL, 'f'},
        {"fail-on", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
        {"no-timing", no_argument, NULL, 'T'},     {"help", no_argument, NULL, 'h'},
        {"grammar-only", no_argument, NULL, 'G'},
        {"config", required_argument, NULL, 'c'},  {"no-config", no_argument, NULL, 'C'},
        {"baseline", required_argument, NULL, 'b'}, {"write-baseline", required_argument, NULL, 'B'},
        {0, 0, 0, 0},
    };
    int c;
    iam_getopt_reset();
    while ((c = getopt_long(argc, argv, "t:f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (strcmp(optarg, "gaad") == 0) {
                q->ao.gaad = true;
                break;
            }
            q->ao.type = iam_policy_type_by_name(optarg);
            if (q->ao.type == IAM_PT_UNKNOWN)
                return iam_cli_error("unknown policy type '%s' (expected identity, resource, trust, scp, rcp, boundary, session or gaad)", optarg);
            break;
        case 'f': q->format = optarg; break;
        case 'F': q->fail_on = optarg; break;
        case 'o': q->output = optarg; break;
        case 'T': run->timing = false; break;
        case 'G': q->ao.grammar_only = true; break;
        case 'c': q->config_path = optarg; break;
        case 'C': q->no_config = true; break;
        case 'b': q->baseline = optarg; break;
        case 'B': q->write_baseline = optarg; break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: fputs(usage_text, stderr); return IAM_EXIT_ERROR;
        }
    }
    if (q->config_path && q->no_config)
        return iam_cli_error("--config and --no-config cannot be combined");
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return IAM_EXIT_ERROR;
    }
    return IAM_EXIT_OK;
}

static int check_fail_on(const char *fail_on, int *threshold)
{
    *threshold = strcmp(fail_on, "none") == 0 ? IAM_SEV_COUNT : iam_severity_by_name(fail_on);
    if (*threshold < 0)
        return iam_cli_error("--fail-on takes error, security, warning, suggestion or none, not '%s'", fail_on);
    return IAM_EXIT_OK;
}

static bool is_config_file(const char *path)
{
    const char *base = strrchr(path, '/');
    return strcmp(base ? base + 1 : path, ".iampc.json") == 0;
}

/* Inputs minus the config's ignores (explicit files included: pre-commit
 * passes every staged file by name) and minus .iampc.json itself, which a
 * hook passes along with the policies but is never one. */
static int collect(int argc, char **argv, const iam_config *cfg, iam_pathlist *files)
{
    iam_pathlist all = {0};
    static const char *const exts[] = {".json", NULL};
    const char *bad = NULL, *err = NULL;
    if (iam_inputs_collect(&all, (const char *const *)argv, (size_t)argc, exts, &bad, &err) != 0) {
        iam_pathlist_free(&all);
        return iam_cli_error("cannot read '%s': %s", bad, err);
    }
    for (size_t i = 0; i < all.n; i++) {
        if (is_config_file(all.v[i]) || iam_config_ignored(cfg, all.v[i])) {
            free(all.v[i]);
            continue;
        }
        if (files->n == files->cap) {
            files->cap = files->cap ? files->cap * 2 : 16;
            files->v = iam_xrealloc(files->v, files->cap * sizeof *files->v);
        }
        files->v[files->n++] = all.v[i];
    }
    free(all.v);
    return IAM_EXIT_OK;
}

static int run_analysis(const analyze_req *q, const iam_config *cfg, const iam_pathlist *files,
                        int threshold, const iam_writer *w, iam_run *run, bool color, const iam_catalog *cat)
{
    double t0 = now();
    iam_analyze_opts ao = q->ao;
    ao.config = cfg;
    ao.catalog = cat;
    iam_analyzer *an = iam_analyzer_new(&ao);
    iam_diags *d = iam_analyzer_diags(an);
    /* Before any input: a disabled rule is never reported, an overridden
     * one is reported at its configured severity by every writer. */
    d->sev_override = cfg->sev_override;
    for (size_t i = 0; i < files->n; i++)
        iam_analyzer_add(an, files->v[i]);
    iam_analyzer_finish(an);
    iam_diags_sort(d);
    iam_diags_fingerprint(d);
    int rc = apply_baselines(q, color, d);
    if (rc != IAM_EXIT_OK) {
        iam_analyzer_free(an);
        return rc;
    }
    run->files = iam_analyzer_files(an);
    run->policies = iam_analyzer_policies(an);
    run->seconds = now() - t0;

    FILE *out = stdout;
    if (q->output && !(out = fopen(q->output, "w"))) {
        iam_analyzer_free(an);
        return iam_cli_error("cannot write '%s': %s", q->output, strerror(errno));
    }
    int wrc = w->write(out, run, d);
    if (out != stdout && fclose(out) != 0)
        wrc = -1;
    rc = IAM_EXIT_OK;
    if (threshold < IAM_SEV_COUNT && iam_diags_count_at_least(d, (iam_severity)threshold) > 0)
        rc = IAM_EXIT_FINDINGS;
    if (iam_analyzer_input_failed(an))
        rc = IAM_EXIT_ERROR;
    if (wrc != 0)
        rc = iam_cli_error("error writing the report");
    iam_analyzer_free(an);
    return rc;
}

int cmd_analyze(int argc, char **argv, const iam_globals *g)
{
    analyze_req q = {.format = "text"};
    iam_run run;
    iam_run_init(&run);
    run.color = g->color;
    int rc = parse_args(argc, argv, &q, &run);
    if (rc != IAM_EXIT_OK)
        return rc < 0 ? IAM_EXIT_OK : rc;
    const iam_writer *w = iam_writer_find(q.format);
    if (!w)
        return iam_cli_format(q.format, iam_writer_names), IAM_EXIT_ERROR;
    int threshold;
    if (q.fail_on && check_fail_on(q.fail_on, &threshold) != IAM_EXIT_OK)
        return IAM_EXIT_ERROR;

    iam_config *cfg = NULL;
    if ((rc = load_config(&q, g->color, &cfg)) != IAM_EXIT_OK)
        return rc;
    if (!q.fail_on)
        q.fail_on = cfg->fail_on ? cfg->fail_on : "warning";
    check_fail_on(q.fail_on, &threshold);   /* the config loader validated it */
    run.fail_on = q.fail_on;

    const iam_catalog *cat;
    iam_catalog *owned;
    if (iam_cli_catalog(g, &cat, &owned) != IAM_EXIT_OK) {
        iam_config_free(cfg);
        return IAM_EXIT_ERROR;
    }
    iam_pathlist files = {0};
    rc = collect(argc - optind, argv + optind, cfg, &files);
    if (rc == IAM_EXIT_OK)
        rc = run_analysis(&q, cfg, &files, threshold, w, &run, g->color, cat);
    iam_pathlist_free(&files);
    iam_config_free(cfg);
    iam_catalog_free(owned);
    return rc;
}
