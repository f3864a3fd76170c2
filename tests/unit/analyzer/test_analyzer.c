/* test_analyzer.c - the per-file pipeline: in-memory documents, counts,
 * input failures, type selection (flag, directory convention, heuristic),
 * the extra-check hook and file reading limits. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "analyzer/analyzer.h"

static const char IDENTITY[] =
    "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}";
static const char TRUST[] =
    "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, "
    "\"Action\": \"sts:AssumeRole\"}}";
static const char BAD_EFFECT[] =
    "{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"Alow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}";
static const char BROKEN[] = "{\"Version\": \"2012-10-17\",\n \"Statement\": [,]}";

/* Grammar validation only: catalog and risk rules have their own tests and
 * would add findings (e.g. wildcards) that are not what these tests count. */
static iam_analyzer *new_an(iam_analyze_opts o)
{
    o.grammar_only = true;
    return iam_analyzer_new(&o);
}

static iam_status add(iam_analyzer *an, const char *name, const char *text)
{
    return iam_analyzer_add_mem(an, name, text, strlen(text));
}

static const iam_diag *find(iam_analyzer *an, iam_rule_id rule)
{
    iam_diags *d = iam_analyzer_diags(an);
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].rule == rule)
            return &d->v[i];
    return NULL;
}

Test(analyzer, clean_documents_have_no_findings)
{
    iam_analyzer *an = new_an((iam_analyze_opts){0});
    cr_assert_eq(add(an, "a.json", IDENTITY), IAM_OK);
    cr_assert_eq(add(an, "b.json", TRUST), IAM_OK);
    cr_assert_eq(iam_analyzer_files(an), 2);
    cr_assert_eq(iam_analyzer_policies(an), 2);
    cr_assert_eq(iam_analyzer_diags(an)->n, 0, "first: %s",
                 iam_analyzer_diags(an)->n ? iam_analyzer_diags(an)->v[0].msg : "");
    cr_assert_not(iam_analyzer_input_failed(an));
    iam_analyzer_free(an);
}

Test(analyzer, counts_and_input_failed)
{
    iam_analyzer *an = new_an((iam_analyze_opts){0});
    cr_assert_eq(add(an, "a.json", IDENTITY), IAM_OK);
    cr_assert_eq(add(an, "bad.json", BAD_EFFECT), IAM_OK, "a grammar error is a finding, not an input failure");
    cr_assert_not(iam_analyzer_input_failed(an));
    cr_assert_eq(add(an, "broken.json", BROKEN), IAM_ERR_SYNTAX);
    cr_assert(iam_analyzer_input_failed(an));
    cr_assert_eq(add(an, "c.json", TRUST), IAM_OK, "later inputs are still analysed");
    cr_assert(iam_analyzer_input_failed(an), "the failure sticks");
    cr_assert_eq(iam_analyzer_files(an), 4);
    cr_assert_eq(iam_analyzer_policies(an), 3, "the broken file has no policy");
    iam_diags *d = iam_analyzer_diags(an);
    cr_assert_eq(d->n, 2);
    const iam_diag *e = find(an, IAM_R_INVALID_EFFECT);
    cr_assert_not_null(e);
    cr_assert_str_eq(e->span.src->path, "bad.json");
    cr_assert_eq(e->span.line, 2);
    cr_assert_eq(e->span.col, 26);
    cr_assert_str_eq(e->policy_type, "identity");
    const iam_diag *s = find(an, IAM_R_JSON_SYNTAX);
    cr_assert_not_null(s);
    cr_assert_str_eq(s->span.src->path, "broken.json");
    cr_assert_eq(s->span.line, 2);
    cr_assert_eq(s->span.col, 16);
    iam_analyzer_free(an);
}

Test(analyzer, spans_stay_valid_until_free)
{
    iam_analyzer *an = new_an((iam_analyze_opts){0});
    char *buf = strdup(BAD_EFFECT);
    iam_analyzer_add_mem(an, "bad.json", buf, strlen(buf));
    memset(buf, 'x', strlen(buf)); /* the analyzer keeps its own copy */
    free(buf);
    for (int i = 0; i < 40; i++) /* force the internal arrays to grow */
        add(an, "ok.json", IDENTITY);
    const iam_diag *e = find(an, IAM_R_INVALID_EFFECT);
    cr_assert_not_null(e);
    cr_assert_eq(strncmp(e->span.src->data + e->span.off, "\"Alow\"", 6), 0);
    cr_assert_eq(iam_analyzer_files(an), 41);
    iam_analyzer_free(an);
}

Test(analyzer, type_from_flag)
{
    iam_analyze_opts o = {.type = IAM_PT_SCP};
    iam_analyzer *an = new_an(o);
    /* as an SCP, the trust document's Principal is forbidden and it lacks a Resource */
    cr_assert_eq(add(an, "trust/t.json", TRUST), IAM_OK);
    const iam_diag *g = find(an, IAM_R_FORBIDDEN_ELEMENT);
    cr_assert_not_null(g);
    cr_assert_str_eq(g->policy_type, "scp");
    cr_assert_not_null(find(an, IAM_R_MISSING_ELEMENT));
    iam_analyzer_free(an);
}

Test(analyzer, type_from_directory_convention)
{
    iam_analyzer *an = new_an((iam_analyze_opts){0});
    /* an identity document placed under scps/ is checked as an SCP */
    const char *no_version =
        "{\"Statement\": {\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}";
    cr_assert_eq(add(an, "org/scps/deny.json", no_version), IAM_OK);
    const iam_diag *g = find(an, IAM_R_MISSING_VERSION);
    cr_assert_not_null(g);
    cr_assert_eq(g->sev, IAM_SEV_ERROR, "SCPs must state the version");
    cr_assert_str_eq(g->policy_type, "scp");
    iam_analyzer_free(an);
    an = new_an((iam_analyze_opts){0});
    cr_assert_eq(add(an, "x/deny.rcp.json", IDENTITY), IAM_OK);
    cr_assert_not_null(find(an, IAM_R_MISSING_ELEMENT), "an RCP needs Principal");
    cr_assert_str_eq(find(an, IAM_R_MISSING_ELEMENT)->policy_type, "rcp");
    iam_analyzer_free(an);
}

Test(analyzer, type_from_heuristic)
{
    iam_analyzer *an = new_an((iam_analyze_opts){0});
    cr_assert_eq(add(an, "misc/t.json", TRUST), IAM_OK);
    cr_assert_eq(iam_analyzer_diags(an)->n, 0, "detected as trust: no Resource needed");
    const char *principal_in_identity_dir =
        "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", "
        "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}";
    cr_assert_eq(add(an, "identity/p.json", principal_in_identity_dir), IAM_OK);
    const iam_diag *g = find(an, IAM_R_FORBIDDEN_ELEMENT);
    cr_assert_not_null(g, "the directory convention beats the heuristic");
    cr_assert_str_eq(g->policy_type, "identity");
    iam_analyzer_free(an);
}

static int calls;
static void hook(void *ud, const iam_policy *p, iam_diags *d)
{
    calls++;
    cr_assert_eq(ud, (void *)&calls);
    iam_span at = {p->src, 1, 1, 1, 2, 0, 1};
    iam_diag_add(d, IAM_R_TYPE_DETECTION, at, "checked %s as %s", p->src->path, iam_policy_type_name(p->type));
}

Test(analyzer, extra_check_hook_runs_once_per_policy)
{
    calls = 0;
    iam_analyze_opts o = {.check = hook, .check_ud = &calls};
    iam_analyzer *an = new_an(o);
    add(an, "a.json", IDENTITY);
    add(an, "broken.json", BROKEN);
    add(an, "b.json", TRUST);
    cr_assert_eq(calls, 2, "no policy, no hook call (calls = %d)", calls);
    iam_diags *d = iam_analyzer_diags(an);
    cr_assert_eq(d->n, 3);
    iam_diags_sort(d);
    cr_assert_str_eq(d->v[0].msg, "checked a.json as identity");
    cr_assert_str_eq(d->v[1].msg, "checked b.json as trust");
    iam_analyzer_free(an);
}

Test(analyzer, max_file_limit)
{
    iam_analyze_opts o = {.max_file = 40};
    iam_analyzer *an = new_an(o);
    cr_assert_eq(add(an, "big.json", IDENTITY), IAM_ERR_LIMIT);
    cr_assert(iam_analyzer_input_failed(an));
    const iam_diag *g = find(an, IAM_R_INPUT_LIMIT);
    cr_assert_not_null(g);
    cr_assert_eq(g->span.line, 1);
    cr_assert_eq(g->span.col, 1);
    cr_assert_eq(iam_analyzer_policies(an), 0);
    iam_analyzer_free(an);
}

Test(analyzer, add_reads_files_and_reports_unreadable_ones)
{
    char dir[] = "/tmp/iampc-an-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/p.json", dir);
    FILE *f = fopen(path, "w");
    fputs(BAD_EFFECT, f);
    fclose(f);
    iam_analyzer *an = new_an((iam_analyze_opts){0});
    cr_assert_eq(iam_analyzer_add(an, path), IAM_OK);
    cr_assert_not_null(find(an, IAM_R_INVALID_EFFECT));
    cr_assert_str_eq(find(an, IAM_R_INVALID_EFFECT)->span.src->path, path);
    char missing[256];
    snprintf(missing, sizeof missing, "%s/missing.json", dir);
    cr_assert_eq(iam_analyzer_add(an, missing), IAM_ERR_IO);
    cr_assert(iam_analyzer_input_failed(an));
    const iam_diag *g = find(an, IAM_R_INPUT_ERROR);
    cr_assert_not_null(g);
    cr_assert_str_eq(g->span.src->path, missing);
    cr_assert(strstr(g->msg, "missing.json"), "%s", g->msg);
    cr_assert_eq(iam_analyzer_files(an), 2, "unreadable inputs count as files");
    cr_assert_eq(iam_analyzer_policies(an), 1);
    iam_analyzer_free(an);

    iam_analyze_opts o = {.max_file = 20};
    an = new_an(o);
    cr_assert_eq(iam_analyzer_add(an, path), IAM_ERR_IO);
    g = find(an, IAM_R_INPUT_LIMIT);
    cr_assert_not_null(g, "a file over the limit is an input-limit finding");
    iam_analyzer_free(an);
    unlink(path);
    rmdir(dir);
}

Test(analyzer, empty_and_whitespace_inputs_fail)
{
    iam_analyzer *an = new_an((iam_analyze_opts){0});
    cr_assert_eq(iam_analyzer_add_mem(an, "empty.json", "", 0), IAM_ERR_SYNTAX);
    cr_assert_eq(add(an, "ws.json", " \n"), IAM_ERR_SYNTAX);
    cr_assert(iam_analyzer_input_failed(an));
    cr_assert_eq(iam_analyzer_diags(an)->n, 2);
    cr_assert_eq(iam_analyzer_policies(an), 0);
    iam_analyzer_free(an);
}

Test(analyzer, full_pipeline_with_default_options)
{
    /* iam_analyzer_new(NULL): built-in catalog and risk rules; a grammar
     * error is still reported exactly where grammar-only reports it. */
    iam_analyzer *an = iam_analyzer_new(NULL);
    cr_assert_eq(add(an, "bad.json", BAD_EFFECT), IAM_OK);
    iam_analyzer_finish(an);
    const iam_diag *e = find(an, IAM_R_INVALID_EFFECT);
    cr_assert_not_null(e);
    cr_assert_eq(e->span.line, 2);
    cr_assert_eq(e->span.col, 26);
    cr_assert_eq(iam_analyzer_policies(an), 1);
    cr_assert_not(iam_analyzer_input_failed(an));
    iam_analyzer_free(an);
}

Test(analyzer, free_null_is_a_no_op)
{
    iam_analyzer_free(NULL);
}
