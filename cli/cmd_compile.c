/* cmd_compile.c - `iampc compile`: intent files to verified policies
 * (docs/intent-language.md). All compile logic is in compiler/compile.h;
 * this file parses options, prints diagnostics and writes documents. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "compiler/compile.h"
#include "core/diag.h"
#include "core/fsutil.h"
#include "report/report.h"

static const char usage_text[] =
    "usage: iampc compile [-o DIR] [--max-size N] [--no-minimize | --new-wildcards]\n"
    "                     FILE.iam...\n"
    "\n"
    "Compile intent files (docs/intent-language.md) into least-privilege policies,\n"
    "verified against the intent and every assert before anything is written.\n"
    "\n"
    "  -o, --output DIR   write one NAME.json per document into DIR (atomically)\n"
    "                     and list the written paths on standard output\n"
    "      --max-size N   split documents above N characters (default: the quota\n"
    "                     of the policy's type, e.g. 6144 for role, 5120 for scp)\n"
    "      --no-minimize  skip the minimizer: exact action names, statements\n"
    "                     packed as grouped\n"
    "      --new-wildcards  let the minimizer write wildcards that match exactly\n"
    "                     today's actions but would also match actions AWS adds\n"
    "                     later (shorter; by default it does not)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Without -o: one document prints as is; several print one after another,\n"
    "each after a line '==> NAME.json <==' and separated by an empty line.\n"
    "Nothing is printed or written when any policy fails to compile.\n"
    "Exit status: 0 compiled, 2 usage, input, compile or verification error.\n";

static bool parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || s[0] == '-' || v > (1ull << 30))
        return false;
    *out = (size_t)v;
    return true;
}

static void report(iam_compile_unit *u, iam_diags *d)
{
    if (d->n == 0)
        return;
    iam_run r;
    iam_run_init(&r);
    r.files = iam_compile_file_count(u);
    r.policies = iam_compile_policy_count(u);
    iam_diags_sort(d);
    iam_write_text(stderr, &r, d);
}

static int write_out(iam_compile_unit *u, const char *dir)
{
    size_t n;
    const iam_compiled_doc *docs = iam_compile_docs(u, &n);
    if (dir && mkdir(dir, 0777) != 0 && errno != EEXIST)
        return iam_cli_error("compile: cannot create '%s': %s", dir, strerror(errno));
    for (size_t i = 0; i < n; i++) {
        if (!dir) {
            if (n > 1)
                printf("%s==> %s <==\n", i ? "\n" : "", docs[i].file);
            fwrite(docs[i].json, 1, docs[i].len, stdout);
            continue;
        }
        size_t plen = strlen(dir) + strlen(docs[i].file) + 2;
        char *path = malloc(plen);
        if (!path)
            return iam_cli_error("compile: out of memory");
        snprintf(path, plen, "%s/%s", dir, docs[i].file);
        const char *err = NULL;
        int rc = iam_write_atomic(path, docs[i].json, docs[i].len, &err);
        if (rc == 0)
            printf("%s\n", path);
        else
            iam_cli_error("compile: cannot write '%s': %s", path, err);
        free(path);
        if (rc != 0)
            return IAM_EXIT_ERROR;
    }
    return IAM_EXIT_OK;
}

int cmd_compile(int argc, char **argv, const iam_globals *g)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"max-size", required_argument, NULL, 'm'},
        {"no-minimize", no_argument, NULL, 'n'},
        {"new-wildcards", no_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        /* testing only (golden intent/verify-failure): corrupt the output */
        {"debug-tamper", no_argument, NULL, 't'},
        {0, 0, 0, 0},
    };
    iam_compile_opts co = {0};
    const char *dir = NULL;
    int c;
    iam_getopt_reset();
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'm':
            if (!parse_size(optarg, &co.max_size))
                return iam_cli_error("compile: --max-size wants a positive number of characters, not '%s'", optarg);
            break;
        case 'n': co.no_minimize = true; break;
        case 'w': co.new_wildcards = true; break;
        case 't': co.tamper = true; break;
        case 'h': fputs(usage_text, stdout); return IAM_EXIT_OK;
        default: fputs(usage_text, stderr); return IAM_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return IAM_EXIT_ERROR;
    }
    const iam_catalog *cat;
    iam_catalog *loaded;
    if (iam_cli_catalog(g, &cat, &loaded) != IAM_EXIT_OK)
        return IAM_EXIT_ERROR;
    if (loaded)
        co.catalog = loaded;
    iam_diags d;
    iam_diags_init(&d);
    iam_compile_unit *u = iam_compile_new(&co);
    bool failed = false;
    for (int i = optind; i < argc; i++)
        failed |= iam_compile_file(u, argv[i], &d) != IAM_OK;
    failed |= iam_diags_has_errors(&d);
    report(u, &d);
    int rc = failed ? IAM_EXIT_ERROR : write_out(u, dir);
    iam_compile_free(u);
    iam_diags_fini(&d);
    iam_catalog_free(loaded);
    return rc;
}
