/* test_baseline.c - baselines: stable file format, atomic writes, located
 * load errors, and fingerprints that survive edits elsewhere in a file. */
#include "helpers.h"

#include "analyzer/analyzer.h"
#include "analyzer/baseline.h"
#include "report/report.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Analyse one in-memory policy (grammar rules only: stable across the
 * risk-rule work), sorted and fingerprinted like `iampc analyze`. */
static iam_analyzer *analyze(const char *name, const char *text)
{
    iam_analyze_opts o = {.grammar_only = true};
    iam_analyzer *an = iam_analyzer_new(&o);
    cr_assert_eq(iam_analyzer_add_mem(an, name, text, strlen(text)), IAM_OK);
    iam_diags *d = iam_analyzer_diags(an);
    iam_diags_sort(d);
    iam_diags_fingerprint(d);
    return an;
}

static const char v1[] =
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "  \"Statement\": [\n"
    "    {\"Effect\": \"Allow\", \"Action\": \"s3GetObject\", \"Resource\": \"*\"}\n"
    "  ]\n"
    "}\n";

/* Same finding, moved: blank lines, a new statement above, re-wrapped. */
static const char v2[] =
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "\n"
    "\n"
    "  \"Statement\": [\n"
    "    {\"Sid\": \"List\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"},\n"
    "    {\n"
    "      \"Effect\": \"Allow\",\n"
    "      \"Action\":   \"s3GetObject\",\n"
    "      \"Resource\": \"*\"\n"
    "    }\n"
    "  ]\n"
    "}\n";

/* v2 plus a new problem. */
static const char v3[] =
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "\n"
    "\n"
    "  \"Statement\": [\n"
    "    {\"Sid\": \"List\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"},\n"
    "    {\n"
    "      \"Effect\": \"Allow\",\n"
    "      \"Action\":   \"s3GetObject\",\n"
    "      \"Resource\": \"*\"\n"
    "    },\n"
    "    {\"Effect\": \"Allow\", \"Action\": \"ec2DescribeInstances\", \"Resource\": \"*\"}\n"
    "  ]\n"
    "}\n";

Test(baseline, shifted_lines_keep_fingerprints)
{
    char *dir = scratch_dir();
    char *bl = join(dir, "baseline.json");
    iam_analyzer *a1 = analyze("policies/app.json", v1);
    iam_diags *d1 = iam_analyzer_diags(a1);
    cr_assert_eq(d1->n, 1);
    cr_assert_eq(d1->v[0].rule, IAM_R_INVALID_ACTION);
    cr_assert_eq(d1->v[0].span.line, 4);
    const char *err = NULL;
    cr_assert_eq(iam_baseline_write(bl, d1, &err), 0, "%s", err ? err : "");

    iam_analyzer *a2 = analyze("policies/app.json", v2);
    iam_diags *d2 = iam_analyzer_diags(a2);
    cr_assert_eq(d2->n, 1);
    cr_assert_eq(d2->v[0].span.line, 9, "the finding moved");
    cr_assert_str_eq(d2->v[0].fingerprint, d1->v[0].fingerprint);

    iam_diags errs;
    iam_diags_init(&errs);
    iam_baseline *b = NULL;
    cr_assert_eq(iam_baseline_load(bl, &errs, &b), IAM_OK);
    cr_assert_eq(iam_baseline_size(b), 1);
    cr_assert_eq(iam_baseline_apply(b, d2), 1);
    cr_assert_eq(d2->n, 0);
    cr_assert_eq(iam_diags_count_at_least(d2, IAM_SEV_SUGGESTION), 0);

    /* A new finding is not covered by the old baseline. */
    iam_analyzer *a3 = analyze("policies/app.json", v3);
    iam_diags *d3 = iam_analyzer_diags(a3);
    cr_assert_eq(d3->n, 2);
    cr_assert_eq(iam_baseline_apply(b, d3), 1);
    cr_assert_eq(d3->n, 1);
    cr_assert(strstr(d3->v[0].msg, "ec2DescribeInstances") != NULL, "%s", d3->v[0].msg);

    /* Same text in another file is another finding. */
    iam_analyzer *a4 = analyze("policies/other.json", v1);
    cr_assert_eq(iam_baseline_apply(b, iam_analyzer_diags(a4)), 0);

    iam_baseline_free(b);
    iam_diags_fini(&errs);
    iam_analyzer_free(a1);
    iam_analyzer_free(a2);
    iam_analyzer_free(a3);
    iam_analyzer_free(a4);
    free(bl);
    rm_tree(dir);
    free(dir);
}

/* The file: sorted by fingerprint, one finding per line, duplicates once,
 * no trailing state from an earlier version (atomic replace). */
Test(baseline, file_is_sorted_and_stable)
{
    char *dir = scratch_dir();
    char *bl = join(dir, "b.json");
    iam_source *src = iam_source_from_mem("p.json", "abc\n", 4);
    iam_diags d;
    iam_diags_init(&d);
    iam_span at = {src, 1, 1, 1, 2, 0, 1};
    const char *fps[] = {"ffff000000000000", "0000aaaa00000000", "7777777777777777", "0000aaaa00000000"};
    for (size_t i = 0; i < 4; i++) {
        iam_diag *g = iam_diag_add(&d, IAM_R_INVALID_ACTION, at, "msg \"%zu\"", i);
        g->fingerprint = fps[i];
    }
    iam_diag *nofp = iam_diag_add(&d, IAM_R_EMPTY_VALUE, at, "not fingerprinted");
    (void)nofp;
    put_file(dir, "b.json", "old content that is much longer than the new file will be, surely ...................\n");
    const char *err = NULL;
    cr_assert_eq(iam_baseline_write(bl, &d, &err), 0);
    char *text = slurp(bl);
    cr_assert_str_eq(text,
                     "{\n"
                     "  \"version\": 1,\n"
                     "  \"findings\": [\n"
                     "    {\"fingerprint\": \"0000aaaa00000000\", \"rule\": \"invalid-action\", \"file\": \"p.json\", \"message\": \"msg \\\"1\\\"\"},\n"
                     "    {\"fingerprint\": \"7777777777777777\", \"rule\": \"invalid-action\", \"file\": \"p.json\", \"message\": \"msg \\\"2\\\"\"},\n"
                     "    {\"fingerprint\": \"ffff000000000000\", \"rule\": \"invalid-action\", \"file\": \"p.json\", \"message\": \"msg \\\"0\\\"\"}\n"
                     "  ]\n"
                     "}\n");
    /* Writing the same findings in another order gives the same bytes. */
    iam_diag tmp = d.v[0];
    d.v[0] = d.v[2];
    d.v[2] = tmp;
    cr_assert_eq(iam_baseline_write(bl, &d, &err), 0);
    char *again = slurp(bl);
    cr_assert_str_eq(again, text);
    free(again);
    free(text);

    /* Nothing to record is still a valid baseline. */
    iam_diags empty;
    iam_diags_init(&empty);
    cr_assert_eq(iam_baseline_write(bl, &empty, &err), 0);
    text = slurp(bl);
    cr_assert_str_eq(text, "{\n  \"version\": 1,\n  \"findings\": []\n}\n");
    free(text);
    iam_diags errs;
    iam_diags_init(&errs);
    iam_baseline *b = NULL;
    cr_assert_eq(iam_baseline_load(bl, &errs, &b), IAM_OK);
    cr_assert_eq(iam_baseline_size(b), 0);
    cr_assert_eq(iam_baseline_apply(b, &d), 0);
    iam_baseline_free(b);
    iam_diags_fini(&errs);
    iam_diags_fini(&empty);

    /* No temp files left next to it. */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s' | wc -l)\" -eq 1", dir);
    cr_assert_eq(system(cmd), 0);
    iam_diags_fini(&d);
    iam_source_free(src);
    free(bl);
    rm_tree(dir);
    free(dir);
}

Test(baseline, write_failure_is_reported)
{
    iam_diags d;
    iam_diags_init(&d);
    const char *err = NULL;
    cr_assert_eq(iam_baseline_write("/nonexistent-dir/b.json", &d, &err), -1);
    cr_assert_not_null(err);
    iam_diags_fini(&d);
}

typedef struct bad_bl {
    const char *text;
    iam_rule_id rule;
    unsigned line, col;
    const char *msg;
} bad_bl;

static const bad_bl bad_bls[] = {
    {"{\"version\": 1, \"findings\": [{\"fingerprint\": \"ABCDEF0123456789\"}]}", IAM_R_INPUT_ERROR, 1, 45,
     "16 lowercase hex digits"},
    {"{\"version\": 1, \"findings\": [{\"fingerprint\": \"abc\"}]}", IAM_R_INPUT_ERROR, 1, 45, "16 lowercase hex"},
    {"{\"version\": 2, \"findings\": []}", IAM_R_INPUT_ERROR, 1, 13, "unsupported baseline version"},
    {"{\"findings\": []}", IAM_R_INPUT_ERROR, 1, 1, "needs \"version\": 1"},
    {"{\"version\": 1}", IAM_R_INPUT_ERROR, 1, 1, "needs a 'findings' array"},
    {"{\"version\": 1, \"findings\": [{\"rule\": \"x\"}]}", IAM_R_INPUT_ERROR, 1, 29, "without a 'fingerprint'"},
    {"{\"version\": 1, \"findings\": [{\"fingerprint\": \"0123456789abcdef\", \"line\": 3}]}", IAM_R_INPUT_ERROR, 1,
     65, "unknown key 'line'"},
    {"{\"version\": 1, \"findings\": [\"0123456789abcdef\"]}", IAM_R_INPUT_ERROR, 1, 29, "must be objects"},
    {"{\"version\": 1, \"findings\": [], \"extra\": 0}", IAM_R_INPUT_ERROR, 1, 32, "unknown key 'extra'"},
    {"{\"version\": 1, \"findings\": [}", IAM_R_JSON_SYNTAX, 1, 29, NULL},
};

TABLE_PARAMS(baseline, located_errors, bad_bls)

ParameterizedTest(size_t *ix, baseline, located_errors)
{
    const bad_bl *bc = &bad_bls[*ix];
    char *dir = scratch_dir();
    put_file(dir, "b.json", bc->text);
    char *path = join(dir, "b.json");
    iam_diags d;
    iam_diags_init(&d);
    iam_baseline *b = (iam_baseline *)1;
    cr_assert_neq(iam_baseline_load(path, &d, &b), IAM_OK, "%s", bc->text);
    cr_assert_null(b);
    const iam_diag *g = find_diag(&d, bc->rule, bc->msg);
    cr_assert_not_null(g, "%s: first diag: %s", bc->text, d.n ? d.v[0].msg : "none");
    cr_assert_eq(g->span.line, bc->line);
    cr_assert_eq(g->span.col, bc->col, "%s: col %u", bc->text, g->span.col);
    /* Renderable after the loader freed the file. */
    cr_assert_str_eq(g->span.src->path, path);
    size_t len;
    cr_assert_not_null(iam_source_line((iam_source *)g->span.src, g->span.line, &len));
    iam_diags_fini(&d);
    free(path);
    rm_tree(dir);
    free(dir);
}
