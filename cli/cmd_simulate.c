/* cmd_simulate.c - `iampc simulate`: evaluate requests exactly as AWS does
 * (scenario-format.md section 7, docs/simulate.md).
 *
 * Three modes: scenario files (FILE|DIR...), bulk (--requests JSONL against
 * one scenario's policies, evaluated on --jobs threads, printed in input
 * order) and ad hoc (--principal/--action/--resource with policy files). */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/simulate_output.h"
#include "core/fsutil.h"
#include "core/strbuf.h"
#include "engine/engine.h"

static const char usage_text[] =
    "usage: iampc simulate [--explain] [--format text|json] [--option NAME]... FILE|DIR...\n"
    "       iampc simulate --requests REQUESTS.jsonl [--jobs N] [--explain] [--format text|json]\n"
    "                      SCENARIO\n"
    "       iampc simulate --principal P --action A --resource R [--resource-account ID]\n"
    "                      [--context K=V]... [--context-set K=V1,V2]... [--identity FILE]...\n"
    "                      [--boundary FILE] [--session FILE] [--resource-policy FILE]\n"
    "                      [--scp FILE[,FILE...]]... [--rcp FILE[,FILE...]]... [--expect D]\n"
    "                      [--management-account] [--resource-management-account]\n"
    "                      [--aws-managed-key] [--service-linked-role] [--vpce-policy FILE]\n"
    "\n"
    "Evaluate requests exactly as AWS does. Prints 'PATH: DECISION' per scenario\n"
    "(allow, explicit-deny, implicit-deny) and flags decisions that differ from\n"
    "'expect'. Each --scp/--rcp is one organization level, root first; an empty\n"
    "argument is a level with nothing attached.\n"
    "Organization scope (ad hoc mode): --management-account, the caller's account\n"
    "is the management account, and --service-linked-role, the caller is a\n"
    "service-linked role: SCPs do not apply; --resource-management-account and\n"
    "--aws-managed-key: RCPs do not apply. --vpce-policy: the policy of the VPC\n"
    "endpoint; it applies when the context has aws:SourceVpce.\n"
    "--option selects an alternative\n"
    "reading of an unsure AWS behaviour (see docs/simulate.md):\n"
    "  notprincipal-strict vars-null session-clips-direct setop-ignore-ifexists\n"
    "  federated-needs-session-policy arn-prefix-icase no-caller-identity-exemption\n"
    "\n"
    "Exit status: 0 every expectation met, 1 a decision differed, 2 an input error.\n";

/* ==== scenario files ===================================================== */

static int run_scenario(const char *path, const sim_opts *o, iam_trace *t, size_t *counts)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    iam_status st = iam_scenario_load(path, 0, &d, &s);
    int rc = IAM_EXIT_OK;
    iam_strbuf b = IAM_STRBUF_INIT;
    if (st != IAM_OK) {
        sim_print_diags(&d);
        if (o->json) {
            iam_sb_puts(&b, "{\"file\":");
            iam_sb_json_str(&b, path, strlen(path));
            iam_sb_puts(&b, ",\"error\":");
            const char *m = d.n ? d.v[0].msg : "cannot evaluate";
            iam_sb_json_str(&b, m, strlen(m));
            iam_sb_puts(&b, "}\n");
        } else {
            iam_sb_printf(&b, "%s: error\n", path);
        }
        counts[3]++;
        rc = IAM_EXIT_ERROR;
        goto out;
    }
    iam_engine *e = iam_engine_compile(&s->set, &o->eng);
    iam_decision dec = iam_engine_evaluate(e, &s->req, t);
    counts[dec]++;
    rc = sim_emit_result(&b, path, s->name, s->expect, dec, t, o);
    iam_engine_free(e);
out:
    fwrite(b.s, 1, b.len, stdout);
    iam_sb_free(&b);
    iam_scenario_free(s);
    iam_diags_fini(&d);
    return rc;
}

static int run_files(char **paths, int n, const sim_opts *o)
{
    iam_pathlist files = {0};
    const char *bad = NULL, *why = NULL;
    static const char *const exts[] = {".json", NULL};
    if (iam_inputs_collect(&files, (const char *const *)paths, (size_t)n, exts, &bad, &why) != 0)
        return iam_cli_error("cannot read '%s': %s", bad, why);
    int rc = IAM_EXIT_OK;
    size_t counts[4] = {0};
    iam_trace t;
    iam_trace_init(&t);
    for (size_t i = 0; i < files.n; i++) {
        int r = run_scenario(files.v[i], o, &t, counts);
        rc = r > rc ? r : rc;
    }
    iam_trace_fini(&t);
    fprintf(stderr, "%zu scenarios: %zu allow, %zu explicit-deny, %zu implicit-deny, %zu errors%s\n",
            files.n, counts[IAM_DECISION_ALLOW], counts[IAM_DECISION_EXPLICIT_DENY],
            counts[IAM_DECISION_IMPLICIT_DENY], counts[3],
            rc == IAM_EXIT_FINDINGS ? "; some decisions differ from expect" : "");
    iam_pathlist_free(&files);
    return rc;
}

/* ==== bulk mode =========================================================== */

/* Split the input into lines (blank ones keep their number, text NULL). */
static iam_bulk_item *split_lines(iam_source *in, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < in->len; i++)
        count += in->data[i] == '\n';
    count += in->len && in->data[in->len - 1] != '\n';
    iam_bulk_item *it = calloc(count + 1, sizeof *it);
    if (!it)
        iam_oom("out of memory");
    size_t k = 0;
    for (char *p = in->data, *end = in->data + in->len; p < end && k < count; k++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        size_t trimmed = len && p[len - 1] == '\r' ? len - 1 : len;
        if (strspn(p, " \t") < trimmed) {
            it[k].text = p;
            it[k].len = trimmed;
        }
        p += len + 1;
    }
    *n = count;
    return it;
}

static int run_bulk(const char *requests, const char *scenario, int jobs, const sim_opts *o)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    int rc;
    const char *why = NULL;
    iam_source *in = NULL;
    if (iam_scenario_load(scenario, IAM_SCENARIO_POLICIES_ONLY, &d, &s) != IAM_OK) {
        sim_print_diags(&d);
        rc = IAM_EXIT_ERROR;
        goto out;
    }
    if (!(in = iam_source_read(requests, 0, &why))) {
        rc = iam_cli_error("cannot read '%s': %s", requests, why);
        goto out;
    }
    size_t n;
    iam_bulk_item *items = split_lines(in, &n);
    iam_engine *e = iam_engine_compile(&s->set, &o->eng);
    /* --explain: every line is traced on its worker and rendered there, as
     * the trace points into the worker's recycled arena. Windows bound the
     * rendered output held at once (about 1 KB per line with a trace). */
    enum { WINDOW = 1 << 16 };
    iam_bulk_opts bo = {.jobs = jobs, .render = o->explain ? sim_render_bulk_trace : NULL,
                        .ud = (void *)o};
    rc = IAM_EXIT_OK;
    for (size_t off = 0; off < n; off += WINDOW) {
        size_t m = n - off < WINDOW ? n - off : WINDOW;
        bo.first_index = off;
        iam_bulk_run(e, requests, items + off, m, &bo);
        int r = sim_bulk_print(items + off, m, off, o);
        rc = r > rc ? r : rc;
        iam_bulk_free(items + off, m);
    }
    free(items);
    iam_engine_free(e);
out:
    iam_source_free(in);
    iam_scenario_free(s);
    iam_diags_fini(&d);
    return rc;
}

/* ==== ad hoc mode ========================================================= */

typedef struct adhoc_args {
    bool used;
    const char *principal, *action, *resource, *racct, *expect;
    iam_ctx_entry *ctx;
    size_t nctx;
    const char **identity;
    size_t nidentity;
    const char *boundary, *session, *rpolicy, *vpce;
    const char **scp, **rcp;
    size_t nscp, nrcp;
    bool mgmt, resource_mgmt, aws_managed_key, slr;   /* organization scope */
} adhoc_args;

static void push(const char ***v, size_t *n, const char *s)
{
    *v = iam_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

/* K=V (single value) or, with multi, K=V1,V2 (a set; "K=" is the empty set). */
static bool add_context(adhoc_args *ah, const char *arg, bool multi)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return false;
    ah->ctx = iam_xrealloc(ah->ctx, (ah->nctx + 1) * sizeof *ah->ctx);
    iam_ctx_entry *e = &ah->ctx[ah->nctx++];
    memset(e, 0, sizeof *e);
    char *key = iam_xstrdup(arg);
    key[eq - arg] = 0;
    e->key = key;
    e->multi = multi;
    const char **vals = NULL;
    size_t n = 0;
    char *rest = key + (eq - arg) + 1;
    if (!multi) {
        push(&vals, &n, rest);
    } else if (*rest) {
        for (char *p = rest;; ) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = 0;
            push(&vals, &n, p);
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    e->values = vals;
    e->nvalues = n;
    return true;
}

static bool adhoc_option(adhoc_args *ah, int c, const char *arg)
{
    ah->used = true;
    switch (c) {
    case 'P': ah->principal = arg; return true;
    case 'A': ah->action = arg; return true;
    case 'R': ah->resource = arg; return true;
    case 'N': ah->racct = arg; return true;
    case 'x': ah->expect = arg; return true;
    case 'c': return add_context(ah, arg, false) || iam_cli_error("--context takes KEY=VALUE") == 0;
    case 'C': return add_context(ah, arg, true) || iam_cli_error("--context-set takes KEY=V1,V2") == 0;
    case 'I': push(&ah->identity, &ah->nidentity, arg); return true;
    case 'B': ah->boundary = arg; return true;
    case 'S': ah->session = arg; return true;
    case 'Q': ah->rpolicy = arg; return true;
    case 'V': ah->vpce = arg; return true;
    case 's': push(&ah->scp, &ah->nscp, arg); return true;
    case 'r': push(&ah->rcp, &ah->nrcp, arg); return true;
    case 'M': ah->mgmt = true; return true;
    case 'm': ah->resource_mgmt = true; return true;
    case 'K': ah->aws_managed_key = true; return true;
    case 'L': ah->slr = true; return true;
    default: ah->used = false; return false;
    }
}

static void adhoc_free(adhoc_args *ah)
{
    for (size_t i = 0; i < ah->nctx; i++) {
        free((char *)ah->ctx[i].key);
        free((void *)ah->ctx[i].values);
    }
    free(ah->ctx);
    free(ah->identity);
    free(ah->scp);
    free(ah->rcp);
}

typedef struct loader {
    iam_arena *a;
    iam_strtab *names;
    iam_diags d;
    iam_source **srcs;
    size_t nsrcs;
    bool bad;
} loader;

static const iam_policy *load_policy(loader *l, const char *path, iam_policy_type t)
{
    if (!path)
        return NULL;
    const char *why;
    iam_source *src = iam_source_read(path, iam_json_default_limits.max_file, &why);
    if (!src) {
        l->bad = true;
        iam_cli_error("cannot read '%s': %s", path, why);
        return NULL;
    }
    l->srcs = iam_xrealloc(l->srcs, (l->nsrcs + 1) * sizeof *l->srcs);
    l->srcs[l->nsrcs++] = src;
    iam_json *doc;
    const iam_policy *p = NULL;
    if (iam_json_parse(l->a, src, NULL, &l->d, &doc) == IAM_OK)
        p = iam_scenario_policy_decode(l->a, l->names, doc, t, &l->d);
    l->bad |= p == NULL;
    return p;
}

static iam_org_level *load_levels(loader *l, const char **args, size_t n, iam_policy_type t)
{
    iam_org_level *lv = iam_arena_alloc(l->a, (n + 1) * sizeof *lv);
    for (size_t i = 0; i < n; i++) {
        char *copy = iam_arena_strdup(l->a, args[i]);
        const iam_policy **ps = iam_arena_alloc(l->a, (strlen(copy) / 2 + 2) * sizeof *ps);
        size_t k = 0;
        for (char *p = copy; *p;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = 0;
            if (*p)
                ps[k++] = load_policy(l, p, t);
            if (!comma)
                break;
            p = comma + 1;
        }
        lv[i].v = ps;
        lv[i].n = k;
    }
    return lv;
}

static int run_adhoc(adhoc_args *ah, const sim_opts *o)
{
    if (!ah->principal || !ah->action || !ah->resource)
        return iam_cli_error("ad hoc mode needs --principal, --action and --resource");
    int expect = ah->expect ? iam_decision_by_name(ah->expect) : -1;
    if (ah->expect && expect < 0)
        return iam_cli_error("--expect takes allow, explicit-deny or implicit-deny");
    iam_request req = {ah->principal, ah->action, ah->resource, ah->racct, ah->ctx, ah->nctx,
                       ah->slr};
    const char *why;
    if (!iam_request_check(&req, &why))
        return iam_cli_error("invalid request: %s", why);
    loader l = {iam_arena_new(), iam_intern_new(), {0}, NULL, 0, false};
    iam_diags_init(&l.d);
    iam_policy_set set = {0};
    const iam_policy **ids = iam_arena_alloc(l.a, (ah->nidentity + 1) * sizeof *ids);
    for (size_t i = 0; i < ah->nidentity; i++)
        ids[i] = load_policy(&l, ah->identity[i], IAM_PT_IDENTITY);
    set.identity = ids;
    set.nidentity = ah->nidentity;
    set.boundary = load_policy(&l, ah->boundary, IAM_PT_BOUNDARY);
    set.session = load_policy(&l, ah->session, IAM_PT_SESSION);
    set.resource = load_policy(&l, ah->rpolicy, strncasecmp(ah->action, "sts:AssumeRole", 14) == 0
                                                    ? IAM_PT_TRUST : IAM_PT_RESOURCE);
    set.has_scps = ah->nscp > 0;
    set.scps = load_levels(&l, ah->scp, ah->nscp, IAM_PT_SCP);
    set.nscps = ah->nscp;
    set.has_rcps = ah->nrcp > 0;
    set.rcps = load_levels(&l, ah->rcp, ah->nrcp, IAM_PT_RCP);
    set.nrcps = ah->nrcp;
    set.caller_is_management_account = ah->mgmt;
    set.resource_is_management_account = ah->resource_mgmt;
    set.resource_is_aws_managed_key = ah->aws_managed_key;
    set.vpce = load_policy(&l, ah->vpce, IAM_PT_RESOURCE);
    int rc;
    if (l.bad) {
        sim_print_diags(&l.d);
        rc = IAM_EXIT_ERROR;
    } else {
        iam_engine *e = iam_engine_compile(&set, &o->eng);
        iam_trace t;
        iam_trace_init(&t);
        iam_decision dec = iam_engine_evaluate(e, &req, &t);
        iam_strbuf b = IAM_STRBUF_INIT;
        rc = sim_emit_result(&b, "<ad hoc>", NULL, expect, dec, &t, o);
        fwrite(b.s, 1, b.len, stdout);
        iam_sb_free(&b);
        iam_trace_fini(&t);
        iam_engine_free(e);
    }
    iam_diags_fini(&l.d);
    for (size_t i = 0; i < l.nsrcs; i++)
        iam_source_free(l.srcs[i]);
    free(l.srcs);
    iam_intern_free(l.names);
    iam_arena_destroy(l.a);
    return rc;
}

/* ==== entry =============================================================== */

int cmd_simulate(int argc, char **argv, const iam_globals *g)
{
    (void)g;
    sim_opts o = {0};
    adhoc_args ah = {0};
    const char *requests = NULL;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"explain", no_argument, NULL, 'e'},
        {"format", required_argument, NULL, 'f'},
        {"option", required_argument, NULL, 'o'},
        {"requests", required_argument, NULL, 'q'},
        {"jobs", required_argument, NULL, 'j'},
        {"principal", required_argument, NULL, 'P'},
        {"action", required_argument, NULL, 'A'},
        {"resource", required_argument, NULL, 'R'},
        {"resource-account", required_argument, NULL, 'N'},
        {"context", required_argument, NULL, 'c'},
        {"context-set", required_argument, NULL, 'C'},
        {"identity", required_argument, NULL, 'I'},
        {"boundary", required_argument, NULL, 'B'},
        {"session", required_argument, NULL, 'S'},
        {"resource-policy", required_argument, NULL, 'Q'},
        {"scp", required_argument, NULL, 's'},
        {"rcp", required_argument, NULL, 'r'},
        {"expect", required_argument, NULL, 'x'},
        {"management-account", no_argument, NULL, 'M'},
        {"resource-management-account", no_argument, NULL, 'm'},
        {"aws-managed-key", no_argument, NULL, 'K'},
        {"service-linked-role", no_argument, NULL, 'L'},
        {"vpce-policy", required_argument, NULL, 'V'},
        {0, 0, 0, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    iam_getopt_reset();
    int c, rc = IAM_EXIT_OK;
    while ((c = getopt_long(argc, argv, "hej:", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_text, stdout); adhoc_free(&ah); return IAM_EXIT_OK;
        case 'e': o.explain = true; break;
        case 'f': {
            int k = iam_cli_format(optarg, formats);
            if (k < 0)
                rc = IAM_EXIT_ERROR;
            o.json = k == 1;
            break;
        }
        case 'o': {
            unsigned f = iam_engine_flag_by_name(optarg);
            if (!f)
                rc = iam_cli_error("unknown --option '%s'", optarg);
            o.eng.flags |= f;
            break;
        }
        case 'q': requests = optarg; break;
        case 'j':
            jobs = strtol(optarg, NULL, 10);
            if (jobs < 1 || jobs > 1024)
                rc = iam_cli_error("--jobs takes a number from 1 to 1024");
            break;
        default:
            if (!adhoc_option(&ah, c, optarg)) {
                fputs(usage_text, stderr);
                rc = IAM_EXIT_ERROR;
            }
            break;
        }
    }
    if (rc == IAM_EXIT_OK) {
        if (ah.used)
            rc = optind < argc ? iam_cli_error("ad hoc mode takes no scenario files")
                               : run_adhoc(&ah, &o);
        else if (requests)
            rc = optind + 1 != argc ? iam_cli_error("--requests takes exactly one SCENARIO")
                                    : run_bulk(requests, argv[optind], (int)jobs, &o);
        else if (optind >= argc)
            rc = iam_cli_error("no scenario given; see 'iampc simulate --help'");
        else
            rc = run_files(argv + optind, argc - optind, &o);
    }
    adhoc_free(&ah);
    return rc;
}
