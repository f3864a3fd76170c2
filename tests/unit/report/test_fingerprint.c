/* test_fingerprint.c - fingerprints follow content, not line numbers. */
#include "helpers.h"

#include <criterion/criterion.h>

static const char *fp_of(const char *name, const char *text, const char *needle, int nth)
{
    static char out[IAM_FINGERPRINT_LEN + 1];
    iam_source *s = mem_src(name, text);
    iam_diags d;
    iam_diags_init(&d);
    /* Two findings on the same text: the one asked for is the nth. */
    for (int i = 0; i <= nth; i++)
        iam_diag_add(&d, IAM_R_INVALID_ACTION, span_of(s, needle, i), "bad action");
    iam_diags_fingerprint(&d);
    cr_assert_not_null(d.v[nth].fingerprint);
    cr_assert_eq(strlen(d.v[nth].fingerprint), IAM_FINGERPRINT_LEN);
    cr_assert_eq(strspn(d.v[nth].fingerprint, "0123456789abcdef"), IAM_FINGERPRINT_LEN);
    snprintf(out, sizeof out, "%s", d.v[nth].fingerprint);
    iam_diags_fini(&d);
    iam_source_free(s);
    return out;
}

static char *dup(const char *s)
{
    return strcpy(malloc(strlen(s) + 1), s);
}

Test(fingerprint, survives_lines_added_above_and_reindentation)
{
    char *a = dup(fp_of("p.json", "{\"Action\": \"s3:Get Object\"}", "\"s3:Get Object\"", 0));
    char *b = dup(fp_of("p.json", "\n\n{\n    \"Action\":   \"s3:Get Object\"\n}", "\"s3:Get Object\"", 0));
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
}

Test(fingerprint, changes_with_content_file_rule_and_occurrence)
{
    const char *text = "[\"s3:Get Object\", \"s3:Get Object\", \"s3:Put Object\"]";
    char *base = dup(fp_of("p.json", text, "\"s3:Get Object\"", 0));
    char *second = dup(fp_of("p.json", text, "\"s3:Get Object\"", 1));
    char *other = dup(fp_of("p.json", text, "\"s3:Put Object\"", 0));
    char *file = dup(fp_of("q.json", text, "\"s3:Get Object\"", 0));
    char *dot = dup(fp_of("./p.json", text, "\"s3:Get Object\"", 0));
    cr_assert_str_eq(base, dot);
    free(dot);
    cr_assert_str_neq(base, second);
    cr_assert_str_neq(base, other);
    cr_assert_str_neq(base, file);
    free(base);
    free(second);
    free(other);
    free(file);
}

Test(fingerprint, whitespace_inside_the_span_is_collapsed)
{
    char *a = dup(fp_of("p.json", "[\"a\",\t   \"b\"]", "[\"a\",\t   \"b\"]", 0));
    char *b = dup(fp_of("p.json", "[\"a\", \"b\"]", "[\"a\", \"b\"]", 0));
    char *c = dup(fp_of("p.json", "[\"a\",\"b\"]", "[\"a\",\"b\"]", 0));
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(b, c);   /* collapsed, not removed */
    free(a);
    free(b);
    free(c);
}

/* A span over a whole document or statement hashes its first line only, so
 * edits further inside it keep the fingerprint. */
Test(fingerprint, multiline_span_hashes_its_first_line)
{
    char *a = dup(fp_of("p.json", "{ \"Version\": 1,\n \"A\": 1\n}", "{ \"Version\": 1,\n \"A\": 1\n}", 0));
    char *b = dup(fp_of("p.json", "{ \"Version\": 1,\n \"A\": 2,\n \"B\": 3\n}", "{ \"Version\": 1,\n \"A\": 2,\n \"B\": 3\n}", 0));
    char *c = dup(fp_of("p.json", "{ \"Version\": 2,\n \"A\": 1\n}", "{ \"Version\": 2,\n \"A\": 1\n}", 0));
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
    free(a);
    free(b);
    free(c);
}

Test(fingerprint, existing_fingerprints_are_kept_and_writers_agree)
{
    iam_source *s = mem_src("p.json", "{\"Effect\": \"Alow\"}");
    iam_diags d;
    iam_diags_init(&d);
    iam_diag *g = iam_diag_add(&d, IAM_R_INVALID_EFFECT, span_of(s, "\"Alow\"", 0), "x");
    iam_diag *h = iam_diag_add(&d, IAM_R_MISSING_VERSION, span_of(s, "{", 0), "y");
    h->fingerprint = "baseline-given";
    iam_run run = quiet_run(1, 1);
    /* Writers compute the same value iam_diags_fingerprint stores. */
    char *before = render(iam_write_json, &run, &d, NULL);
    iam_diags_fingerprint(&d);
    cr_assert_str_eq(h->fingerprint, "baseline-given");
    char *after = render(iam_write_json, &run, &d, NULL);
    cr_assert_str_eq(before, after);
    cr_assert(strstr(after, g->fingerprint));
    cr_assert(strstr(after, "\"fingerprint\": \"baseline-given\""));
    free(before);
    free(after);
    iam_diags_fini(&d);
    iam_source_free(s);
}

Test(fingerprint, span_without_offsets_uses_the_source_line)
{
    iam_source *s = mem_src("p.json", "{\n  \"A\": 1\n}\n");
    iam_diags d;
    iam_diags_init(&d);
    iam_span sp = {.src = s, .line = 2, .col = 3};
    iam_diag_add(&d, IAM_R_UNKNOWN_ELEMENT, sp, "x");
    sp.line = 3;
    iam_diag_add(&d, IAM_R_UNKNOWN_ELEMENT, sp, "x");
    iam_diags_fingerprint(&d);
    cr_assert_str_neq(d.v[0].fingerprint, d.v[1].fingerprint);
    iam_diags_fini(&d);
    iam_source_free(s);
}
