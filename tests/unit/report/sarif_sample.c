/* sarif_sample.c - print a SARIF log that exercises every shape the writer
 * emits (relative, absolute and odd paths, stdin, related locations, no
 * location, multi-line and empty spans, every level), for the schema check
 * in sarif_schema.sh. */
#include "helpers.h"

int main(void)
{
    iam_source *s = mem_src("./policies/my policy.json",
                            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Alow\"}]\n}\n");
    iam_source *a = mem_src("/abs/x:y/p\xc3\xa9#1.json", "{}");
    iam_source *b = mem_src("<stdin>", "{}");
    iam_source *e = mem_src("empty.json", "");
    iam_diags d;
    iam_diags_init(&d);
    iam_diag *g = iam_diag_add(&d, IAM_R_INVALID_EFFECT, span_of(s, "\"Alow\"", 0), "bad effect \xff");
    iam_diag_related(&d, g, span_of(s, "\"Effect\"", 0), "here");
    iam_diag_help(&d, g, "use Allow");
    g->policy_type = "identity";
    g = iam_diag_add(&d, IAM_R_MISSING_VERSION, span_of(a, "{", 0), "security finding");
    g->sev = IAM_SEV_SECURITY;
    iam_diag_add(&d, IAM_R_TYPE_DETECTION, span_of(b, "{", 0), "assumed identity");
    iam_span none = {0};
    iam_diag_add(&d, IAM_R_INPUT_ERROR, none, "no file at all");
    iam_span empty = {.src = e, .line = 1, .col = 1, .end_line = 1, .end_col = 1};
    iam_diag_add(&d, IAM_R_INPUT_ERROR, empty, "cannot read 'empty.json'");
    iam_diag_add(&d, IAM_R_EMPTY_VALUE, span_of(s, "[{\"Effect\": \"Alow\"}]\n}", 0), "multi-line");
    iam_diags_sort(&d);
    iam_run run = quiet_run(4, 3);
    int rc = iam_write_sarif(stdout, &run, &d);
    iam_diags_fini(&d);
    iam_source_free(s);
    iam_source_free(a);
    iam_source_free(b);
    iam_source_free(e);
    return rc ? 1 : 0;
}
