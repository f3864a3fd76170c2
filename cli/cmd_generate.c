/* cmd_generate.c - `iampc generate`: least-privilege policies from
 * CloudTrail usage (docs/generate.md). Ingest and mapping are trail/;
 * minimisation and quota splitting are compiler/minimize.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "compiler/minimize.h"
#include "core/fsutil.h"
#include "trail/trail.h"
#include "trail/trail_cli.h"

static const char usage_text[] =
    "usage: iampc generate PATH... [--principal ARN] [-o DIR] [--resources exact|generalize|star]\n"
    "                      [--format text|json] [options]\n"
    "\n"
    "Derive one minimized least-privilege identity policy per principal from\n"
    "CloudTrail logs. With --principal the policy goes to standard output;\n"
    "otherwise every principal found gets one, as one file per principal in\n"
    "-o DIR, or as one JSON object keyed by principal ARN on standard output.\n"
    "A coverage report (events read, mapped, denied, unmapped, skipped) goes\n"
    "to standard error; --format json puts policies and coverage in one JSON\n"
    "document on standard output.\n"
    "\n"
    "  -o, --output DIR          one <account>_<type>_<name>.json per principal\n"
    "      --format FMT          text (default) or json\n"
    "      --include-denied      grant denied calls too (listed as needed but not granted)\n"
    "      --no-dependent-actions  do not add the catalog's dependent actions\n"
    "      --no-implied          leave out actions CloudTrail never records (iam:PassRole)\n"
    "  -h, --help                show this help\n";

typedef struct gen_req {
    const char *outdir;
    bool json;
    iam_trail_gen_opts g;
} gen_req;

/* "arn:aws:iam::1:role/p/x" -> "1_role_p_x" */
static void file_name(const char *arn, char *out, size_t cap)
{
    const char *s = strstr(arn, "::");
    s = s ? s + 2 : arn;
    size_t k = 0;
    for (; *s && k + 6 < cap; s++)
        out[k++] = (*s == ':' || *s == '/' || *s == '\\') ? '_' : *s;
    memcpy(out + k, ".json", 6);
}

/* Minimized documents of one principal, or NULL after a message. */
static int policy_for(iam_trail_usage *u, const iam_catalog *cat, const char *p, const gen_req *rq,
                      iam_min_result *res)
{
    iam_strbuf text = IAM_STRBUF_INIT, notes = IAM_STRBUF_INIT;
    iam_trail_policy(u, cat, p, &rq->g, &text, &notes);
    iam_diags d;
    iam_diags_init(&d);
    int rc = 0;
    /* exact action names only: a generated policy must not grant actions
     * AWS adds later just because their names fit a pattern */
    iam_min_opts mo = iam_min_defaults;
    mo.no_new_wildcards = true;
    if (iam_minimize_text(cat, p, text.s, text.len, IAM_PT_IDENTITY, &mo, &d, res) != IAM_OK) {
        rc = iam_cli_error("generate: cannot minimize the policy of %s%s%s", p, d.n ? ": " : "",
                           d.n ? d.v[0].msg : "");
    } else if (res->ndocs > 1) {
        fprintf(stderr, "iampc: warning: the policy of %s is over %zu characters: split into %zu documents [%s]\n",
                p, res->limit, res->ndocs, iam_rule(IAM_R_TRAIL_POLICY_QUOTA)->name);
    }
    if (notes.len)
        fprintf(stderr, "iampc: warning: %s: %s", p, notes.s);
    iam_diags_fini(&d);
    iam_sb_free(&text);
    iam_sb_free(&notes);
    return rc;
}

static void docs_json(iam_strbuf *b, const iam_min_result *r)
{
    if (r->ndocs == 1) {
        iam_sb_add(b, r->docs[0].json, r->docs[0].len);
        return;
    }
    iam_sb_putc(b, '[');
    for (size_t i = 0; i < r->ndocs; i++) {
        if (i)
            iam_sb_putc(b, ',');
        iam_sb_add(b, r->docs[i].json, r->docs[i].len);
    }
    iam_sb_putc(b, ']');
}

static int write_dir(const char *dir, const char *p, const iam_min_result *r)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return iam_cli_error("cannot create '%s': %s", dir, strerror(errno));
    char name[600];
    file_name(p, name, sizeof name);
    for (size_t i = 0; i < r->ndocs; i++) {
        char path[1400];
        if (r->ndocs == 1)
            snprintf(path, sizeof path, "%s/%s", dir, name);
        else
            snprintf(path, sizeof path, "%s/%.*s-%zu.json", dir, (int)(strlen(name) - 5), name, i + 1);
        const char *err = NULL;
        if (iam_write_atomic(path, r->docs[i].json, r->docs[i].len, &err) != 0)
            return iam_cli_error("cannot write '%s': %s", path, err);
    }
    return 0;
}

static int emit(iam_trail_usage *u, const iam_catalog *cat, const gen_req *rq, const char *want)
{
    const char **ps = NULL;
    size_t np = iam_trail_principals(u, &ps), kept = 0;
    iam_strbuf out = IAM_STRBUF_INIT, json_pol = IAM_STRBUF_INIT;
    int rc = IAM_EXIT_OK;
    bool single = want && !rq->outdir && !rq->json;
    for (size_t i = 0; i < np && rc == IAM_EXIT_OK; i++) {
        if (want && !iam_trail_principal_matches(want, ps[i]))
            continue;
        iam_min_result r = {0};
        if (policy_for(u, cat, ps[i], rq, &r) != 0) {
            rc = IAM_EXIT_ERROR;
            break;
        }
        if (rq->outdir && write_dir(rq->outdir, ps[i], &r) != 0)
            rc = IAM_EXIT_ERROR;
        if (single) {
            for (size_t k = 0; k < r.ndocs; k++)
                iam_sb_add(&out, r.docs[k].json, r.docs[k].len);
        } else if (!rq->outdir || rq->json) {
            iam_sb_puts(&json_pol, kept ? ",\n" : "\n");
            iam_sb_json_str(&json_pol, ps[i], strlen(ps[i]));
            iam_sb_puts(&json_pol, ": ");
            docs_json(&json_pol, &r);
        }
        kept++;
        iam_min_result_free(&r);
    }
    if (rc == IAM_EXIT_OK && want && kept == 0)
        fprintf(stderr, "iampc: warning: no events of principal %s\n", want);
    if (rq->json) {
        iam_sb_puts(&out, "{\"policies\": {");
        iam_sb_add(&out, json_pol.s ? json_pol.s : "", json_pol.len);
        iam_sb_puts(&out, "},\n\"coverage\": ");
        trail_cli_coverage_json(u, want, &out);
        iam_sb_puts(&out, "}\n");
    } else if (!single && !rq->outdir) {
        iam_sb_puts(&out, "{");
        iam_sb_add(&out, json_pol.s ? json_pol.s : "", json_pol.len);
        iam_sb_puts(&out, "\n}\n");
    }
    if (rc == IAM_EXIT_OK && out.len)
        fwrite(out.s, 1, out.len, stdout);
    iam_sb_free(&out);
    iam_sb_free(&json_pol);
    free(ps);
    return rc;
}

int cmd_generate(int argc, char **argv, const iam_globals *g)
{
    struct option opts[40];
    memcpy(opts, trail_cli_options, trail_cli_noptions * sizeof *opts);
    size_t k = trail_cli_noptions;
    opts[k++] = (struct option){"output", required_argument, NULL, 'o'};
    opts[k++] = (struct option){"format", required_argument, NULL, 'F'};
    opts[k++] = (struct option){"include-denied", no_argument, NULL, 'D'};
    opts[k++] = (struct option){"no-dependent-actions", no_argument, NULL, 'N'};
    opts[k++] = (struct option){"no-implied", no_argument, NULL, 'I'};
    opts[k++] = (struct option){"help", no_argument, NULL, 'h'};
    opts[k] = (struct option){0, 0, 0, 0};
    trail_cli c = {0};
    gen_req rq = {.g = {.dependent_actions = true, .include_implied = true, .quota = (size_t)-1}};
    static const char *const formats[] = {"text", "json", NULL};
    int opt;
    iam_getopt_reset();
    while ((opt = getopt_long(argc, argv, "p:j:o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'o': rq.outdir = optarg; break;
        case 'F': {
            int f = iam_cli_format(optarg, formats);
            if (f < 0)
                return IAM_EXIT_ERROR;
            rq.json = f == 1;
            break;
        }
        case 'D': rq.g.include_denied = true; break;
        case 'N': rq.g.dependent_actions = false; break;
        case 'I': rq.g.include_implied = false; break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(trail_cli_usage, stdout);
            return IAM_EXIT_OK;
        default: {
            int rc = trail_cli_option(&c, opt, optarg);
            if (rc != 0) {
                if (rc < 0)
                    fputs(usage_text, stderr);
                return IAM_EXIT_ERROR;
            }
        }
        }
    }
    const iam_catalog *cat;
    if (trail_cli_catalog(g, &cat) != 0)
        return IAM_EXIT_ERROR;
    iam_trail_usage *u = NULL;
    int rc = trail_cli_load(&c, (const char *const *)argv + optind, (size_t)(argc - optind), cat, &u);
    if (rc == 0) {
        int bad = trail_cli_report(u, c.opts.filter.principal);
        rc = emit(u, cat, &rq, c.opts.filter.principal);
        /* unreadable files were skipped: the policies are still written,
         * but the run reports it in its status */
        if (rc == IAM_EXIT_OK && bad)
            rc = IAM_EXIT_FINDINGS;
    } else {
        rc = IAM_EXIT_ERROR;
    }
    iam_trail_usage_free(u);
    if (cat != iam_catalog_builtin())
        iam_catalog_free((iam_catalog *)cat);
    return iam_cli_finish(rc);
}
