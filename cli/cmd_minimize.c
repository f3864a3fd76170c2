/* cmd_minimize.c - `iampc minimize`: an equivalent policy with fewer
 * characters (compiler/minimize.h, docs/minimize.md).
 *
 * Text output: the minimized document in canonical form (docs/fmt.md); when
 * the result is split, its documents follow one another (a stream of JSON
 * texts, each ending in a newline, as `jq` reads them). JSON output: a
 * report of sizes, documents and future-proofing warnings. Diagnostics and
 * warnings go to stderr as `file:line:col: severity: message [rule]`. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "compiler/emit.h"
#include "compiler/minimize.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/fsutil.h"
#include "core/intern.h"
#include "core/source.h"
#include "core/strbuf.h"
#include "grammar/json.h"
#include "policy/policy.h"

static const char usage_text[] =
    "usage: iampc minimize [options] PATH...\n"
    "\n"
    "Rewrite IAM policies into equivalent ones with fewer characters: action\n"
    "lists compressed into wildcards matching exactly the same catalog actions,\n"
    "statements merged, redundant actions and statements dropped. The result is\n"
    "checked for equivalence before it is printed or written (docs/minimize.md).\n"
    "\n"
    "  -t, --type TYPE        identity|resource|trust|scp|rcp|boundary|session\n"
    "                         (default: directory convention, else detected)\n"
    "      --max-size N       split into documents of at most N characters\n"
    "                         (default: the quota of the policy type)\n"
    "      --no-new-wildcards only exact action names and wildcards of the input\n"
    "      --word-wildcards   new wildcards only at word boundaries (\"ec2:Describe*\",\n"
    "                         \"ecr:*Images\"): longer, readable, safer\n"
    "      --drop-sids        drop Sids (they never affect evaluation)\n"
    "  -w, --write            rewrite the files in place (atomically); refused when\n"
    "                         the result needs several documents\n"
    "  -f, --format FORMAT    text (the policy, default) or json (a report)\n"
    "  -q, --quiet            no warnings for new wildcards on stderr\n"
    "      --tamper KIND      testing only: corrupt the result before the check\n"
    "                         (drop-action, widen-action, drop-resource, flip-effect)\n"
    "  -h, --help             show this help\n"
    "\n"
    "PATH is a file, a directory (searched recursively for *.json) or - for\n"
    "standard input. A split result prints its documents one after another.\n"
    "Exit status: 0 done, 2 usage or input error, a statement too large for the\n"
    "limit, or a failed equivalence check (nothing is printed or written).\n";

typedef struct min_req {
    iam_decode_opts dopts;
    iam_min_opts mo;
    bool write, json, quiet;
} min_req;

static const char *effect_name(iam_effect e)
{
    return e == IAM_EFFECT_ALLOW ? "Allow" : e == IAM_EFFECT_DENY ? "Deny" : "?";
}

/* The documents inside the JSON report: parsed back and printed compact. */
static void put_doc(iam_strbuf *b, const iam_min_doc *doc)
{
    iam_source *src = iam_source_from_mem("<doc>", doc->json, doc->len);
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_json *root = NULL;
    if (iam_json_parse(a, src, NULL, &d, &root) == IAM_OK && root)
        iam_emit_json(b, root, &iam_emit_compact);
    else
        iam_sb_puts(b, "null");
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    iam_source_free(src);
}

static void report_file(iam_strbuf *b, const char *path, const iam_policy *p, const iam_min_result *r,
                        bool ok, bool written)
{
    iam_sb_puts(b, "{\"path\":");
    iam_sb_json_str(b, path, strlen(path));
    iam_sb_printf(b, ",\"type\":\"%s\",\"ok\":%s", p ? iam_policy_type_name(p->type) : "unknown",
                  ok ? "true" : "false");
    if (ok) {
        iam_sb_printf(b,
                      ",\"before\":%zu,\"after\":%zu,\"limit\":%zu,\"statements\":{\"before\":%zu,\"after\":%zu}"
                      ",\"actions\":{\"before\":%zu,\"after\":%zu},\"written\":%s,\"documents\":[",
                      r->before_size, r->after_size, r->limit, r->before_stmts, r->after_stmts,
                      r->before_actions, r->after_actions, written ? "true" : "false");
        for (size_t i = 0; i < r->ndocs; i++) {
            if (i)
                iam_sb_putc(b, ',');
            iam_sb_printf(b, "{\"size\":%zu,\"statements\":%zu,\"policy\":", r->docs[i].size,
                          r->docs[i].nstmts);
            put_doc(b, &r->docs[i]);
            iam_sb_putc(b, '}');
        }
        iam_sb_puts(b, "],\"warnings\":[");
        for (size_t i = 0; i < r->nwarnings; i++) {
            const iam_min_warning *w = &r->warnings[i];
            if (i)
                iam_sb_putc(b, ',');
            iam_sb_puts(b, "{\"pattern\":");
            iam_sb_json_str(b, w->pattern, strlen(w->pattern));
            iam_sb_printf(b, ",\"document\":%zu,\"statement\":%zu,\"matched\":%zu,\"element\":\"%s\","
                             "\"effect\":\"%s\"}",
                          w->doc, w->stmt, w->matched, w->not_action ? "NotAction" : "Action",
                          effect_name(w->effect));
        }
        iam_sb_putc(b, ']');
    }
    iam_sb_putc(b, '}');
}

typedef struct totals {
    size_t files, failed, before, after, warnings, split;
} totals;

/* Minimize one input; appends to the JSON report when rq->json. */
static int min_one(const iam_catalog *cat, const char *path, const min_req *rq, iam_strbuf *rep,
                   totals *tot)
{
    int rc = IAM_EXIT_OK;
    const char *err = NULL;
    iam_source *src = iam_source_read(path, iam_json_default_limits.max_file, &err);
    if (!src) {
        fprintf(stderr, "%s: error: cannot read: %s [%s]\n", strcmp(path, "-") == 0 ? "<stdin>" : path,
                err, iam_rule(IAM_R_INPUT_ERROR)->name);
        tot->failed++;
        return IAM_EXIT_ERROR;
    }
    iam_arena *a = iam_arena_new();
    iam_strtab *names = iam_intern_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_min_result r = {0};
    iam_policy *p = NULL;
    bool ok = false, written = false;
    iam_json *root = NULL;
    if (iam_json_parse(a, src, &iam_json_default_limits, &d, &root) != IAM_OK || !root) {
        rc = IAM_EXIT_ERROR;
        goto out;
    }
    iam_decode_opts o = rq->dopts;
    if (o.type == IAM_PT_UNKNOWN && strcmp(src->path, "<stdin>") != 0) {
        o.type = iam_policy_type_from_path(src->path);
        o.origin = IAM_TO_DIRECTORY;
    }
    p = iam_policy_decode(a, names, root, &o, &d);
    iam_min_opts mo = rq->mo;
    mo.warn_diags = !rq->quiet && !rq->json;
    iam_status st = iam_minimize(cat, p, &mo, &d, &r);
    if (st != IAM_OK) {
        if (st == IAM_ERR_SYNTAX && !iam_diags_has_errors(&d))
            fprintf(stderr, "%s: error: cannot minimize a policy that does not decode [%s]\n", src->path,
                    iam_rule(IAM_R_INPUT_ERROR)->name);
        rc = IAM_EXIT_ERROR;
        goto out;
    }
    ok = true;
    tot->before += r.before_size;
    tot->after += r.after_size;
    tot->warnings += r.nwarnings;
    tot->split += r.ndocs > 1;
    if (rq->write) {
        if (r.ndocs > 1) {
            fprintf(stderr,
                    "%s: error: the minimized policy needs %zu documents of at most %zu characters; "
                    "not written (raise --max-size or print it) [%s]\n",
                    src->path, r.ndocs, r.limit, iam_rule(IAM_R_POLICY_SIZE)->name);
            rc = IAM_EXIT_ERROR;
            ok = false;
        } else if (r.docs[0].len != src->len || memcmp(r.docs[0].json, src->data, src->len) != 0) {
            if (iam_write_atomic(path, r.docs[0].json, r.docs[0].len, &err) != 0) {
                fprintf(stderr, "%s: error: cannot write: %s [%s]\n", src->path, err,
                        iam_rule(IAM_R_INPUT_ERROR)->name);
                rc = IAM_EXIT_ERROR;
                ok = false;
            } else {
                written = true;
            }
        }
    } else if (!rq->json) {
        for (size_t i = 0; i < r.ndocs; i++)
            fwrite(r.docs[i].json, 1, r.docs[i].len, stdout);
    }
out:
    iam_diags_sort(&d);
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].sev == IAM_SEV_ERROR || d.v[i].rule == IAM_R_MINIMIZE_NEW_WILDCARD)
            iam_cli_print_diag(&d.v[i], src->path);
    if (rq->json) {
        if (tot->files)
            iam_sb_putc(rep, ',');
        report_file(rep, src->path, p, &r, ok, written);
    }
    tot->files++;
    tot->failed += !ok;
    iam_min_result_free(&r);
    iam_diags_fini(&d);
    iam_intern_free(names);
    iam_arena_destroy(a);
    iam_source_free(src);
    return rc;
}

static bool parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || s[0] == '-')
        return false;
    *out = (size_t)v;
    return true;
}

static bool parse_tamper(const char *s, iam_min_tamper *t)
{
    static const char *const names[] = {"none", "drop-action", "widen-action", "drop-resource",
                                        "flip-effect"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0) {
            *t = (iam_min_tamper)i;
            return true;
        }
    return false;
}

enum { OPT_MAX_SIZE = 256, OPT_NO_NEW, OPT_WORD, OPT_DROP_SIDS, OPT_TAMPER };

int cmd_minimize(int argc, char **argv, const iam_globals *g)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},
        {"max-size", required_argument, NULL, OPT_MAX_SIZE},
        {"no-new-wildcards", no_argument, NULL, OPT_NO_NEW},
        {"word-wildcards", no_argument, NULL, OPT_WORD},
        {"drop-sids", no_argument, NULL, OPT_DROP_SIDS},
        {"write", no_argument, NULL, 'w'},
        {"format", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"tamper", required_argument, NULL, OPT_TAMPER},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    min_req rq = {{IAM_PT_UNKNOWN, IAM_TO_HEURISTIC}, iam_min_defaults, false, false, false};
    static const char *const formats[] = {"text", "json", NULL};
    int c;
    iam_getopt_reset();
    while ((c = getopt_long(argc, argv, "t:wf:qh", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            rq.dopts.type = iam_policy_type_by_name(optarg);
            rq.dopts.origin = IAM_TO_FLAG;
            if (rq.dopts.type == IAM_PT_UNKNOWN)
                return iam_cli_error("minimize: unknown policy type '%s' (expected identity, resource, "
                                     "trust, scp, rcp, boundary or session)",
                                     optarg);
            break;
        case OPT_MAX_SIZE:
            if (!parse_size(optarg, &rq.mo.max_size))
                return iam_cli_error("minimize: --max-size needs a positive number, not '%s'", optarg);
            break;
        case OPT_NO_NEW: rq.mo.no_new_wildcards = true; break;
        case OPT_WORD: rq.mo.word_wildcards = true; break;
        case OPT_DROP_SIDS: rq.mo.keep_sids = false; break;
        case OPT_TAMPER:
            if (!parse_tamper(optarg, &rq.mo.tamper))
                return iam_cli_error("minimize: unknown --tamper kind '%s'", optarg);
            break;
        case 'w': rq.write = true; break;
        case 'f': {
            int k = iam_cli_format(optarg, formats);
            if (k < 0)
                return IAM_EXIT_ERROR;
            rq.json = k == 1;
            break;
        }
        case 'q': rq.quiet = true; break;
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
            return iam_cli_error("minimize: cannot --write standard input");

    const iam_catalog *cat;
    iam_catalog *loaded;
    if (iam_cli_catalog(g, &cat, &loaded) != IAM_EXIT_OK)
        return IAM_EXIT_ERROR;
    static const char *const exts[] = {".json", NULL};
    iam_pathlist inputs = {0};
    const char *bad = NULL, *err = NULL;
    int rc = IAM_EXIT_OK;
    if (iam_inputs_collect(&inputs, (const char *const *)argv + optind, (size_t)(argc - optind), exts,
                           &bad, &err) != 0) {
        rc = iam_cli_error("minimize: cannot access '%s': %s", bad, err);
    } else {
        iam_strbuf rep = IAM_STRBUF_INIT;
        totals tot = {0};
        iam_sb_puts(&rep, "{\"files\":[");
        for (size_t i = 0; i < inputs.n; i++)
            if (min_one(cat, inputs.v[i], &rq, &rep, &tot) != IAM_EXIT_OK)
                rc = IAM_EXIT_ERROR;
        if (rq.json) {
            iam_sb_printf(&rep,
                          "],\"totals\":{\"files\":%zu,\"failed\":%zu,\"before\":%zu,\"after\":%zu,"
                          "\"saved\":%zu,\"split\":%zu,\"warnings\":%zu}}\n",
                          tot.files, tot.failed, tot.before, tot.after,
                          tot.before > tot.after ? tot.before - tot.after : 0, tot.split, tot.warnings);
            fwrite(rep.s, 1, rep.len, stdout);
        }
        iam_sb_free(&rep);
    }
    iam_pathlist_free(&inputs);
    iam_catalog_free(loaded);
    return iam_cli_finish(rc);
}
