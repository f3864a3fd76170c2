/* main.c - iampc entry point: global options, then the command table. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "core/diag.h"
#include "cli/cli.h"

#ifndef IAMPC_VERSION
#define IAMPC_VERSION "0.0.0"
#endif

static const struct iam_cmd {
    const char *name;
    iam_cmd_fn fn;
    const char *summary;
} commands[] = {
#define CMD(name, fn, summary) {name, fn, summary},
#include "cli/commands.def"
#undef CMD
};

void iam_getopt_reset(void)
{
    optind = 0; /* glibc: full re-initialisation */
    opterr = 1;
}

int iam_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("iampc: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return IAM_EXIT_ERROR;
}

int iam_cli_finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "iampc: error writing output\n");
        return IAM_EXIT_ERROR;
    }
    return rc;
}

int iam_cli_format(const char *name, const char *const *allowed)
{
    for (int i = 0; allowed[i]; i++)
        if (strcmp(name, allowed[i]) == 0)
            return i;
    fprintf(stderr, "iampc: unknown format '%s' (expected", name);
    for (int i = 0; allowed[i]; i++)
        fprintf(stderr, "%s %s", i ? "," : "", allowed[i]);
    fprintf(stderr, ")\n");
    return -1;
}

void iam_cli_print_diag(const iam_diag *g, const char *path)
{
    const char *file = g->span.src ? g->span.src->path : path;
    if (g->span.line)
        fprintf(stderr, "%s:%u:%u: ", file, (unsigned)g->span.line, (unsigned)g->span.col);
    else
        fprintf(stderr, "%s: ", file);
    fprintf(stderr, "%s: %s [%s]\n", iam_severity_name(g->sev), g->msg, iam_rule(g->rule)->name);
}

int iam_cli_catalog(const iam_globals *g, const iam_catalog **cat, iam_catalog **owned)
{
    *cat = iam_catalog_builtin();
    *owned = NULL;
    if (!g || !g->catalog)
        return IAM_EXIT_OK;
    iam_diags d;
    iam_diags_init(&d);
    int rc = IAM_EXIT_OK;
    if (iam_catalog_load_file(g->catalog, &d, owned) != IAM_OK) {
        for (size_t i = 0; i < d.n; i++)
            iam_cli_error("%s", d.v[i].msg);
        if (!d.n)
            iam_cli_error("cannot load catalog '%s'", g->catalog);
        rc = IAM_EXIT_ERROR;
    } else {
        *cat = *owned;
    }
    iam_diags_fini(&d);
    return rc;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: iampc [--catalog FILE] [--color=auto|always|never] <command> [options]\n\n"
                 "AWS IAM least-privilege policy compiler and analyzer.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'iampc <command> --help' for a command's options.\n"
                 "Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage or input error.\n");
}

int main(int argc, char **argv)
{
    iam_globals g = {0};
    const char *color = "auto";
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"catalog", required_argument, NULL, 'c'},
        {"color", required_argument, NULL, 'C'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return iam_cli_finish(IAM_EXIT_OK);
        case 'V': printf("iampc %s\n", IAMPC_VERSION); return iam_cli_finish(IAM_EXIT_OK);
        case 'c': g.catalog = optarg; break;
        case 'C': color = optarg; break;
        default: usage(stderr); return IAM_EXIT_ERROR;
        }
    }
    if (strcmp(color, "always") == 0)
        g.color = true;
    else if (strcmp(color, "never") == 0)
        g.color = false;
    else if (strcmp(color, "auto") == 0)
        g.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    else
        return iam_cli_error("--color takes auto, always or never");
    if (optind >= argc) {
        usage(stderr);
        return IAM_EXIT_ERROR;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(commands[i].name, name) != 0)
            continue;
        /* --version is accepted after every command too. */
        for (int k = optind + 1; k < argc && strcmp(argv[k], "--") != 0; k++)
            if (strcmp(argv[k], "--version") == 0) {
                printf("iampc %s\n", IAMPC_VERSION);
                return iam_cli_finish(IAM_EXIT_OK);
            }
        return iam_cli_finish(commands[i].fn(argc - optind, argv + optind, &g));
    }
    return iam_cli_error("'%s' is not a command; see 'iampc --help'", name);
}
