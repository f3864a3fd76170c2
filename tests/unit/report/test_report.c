/* test_report.c - text and json writers, the writer table, run defaults. */
#include "helpers.h"

#include <criterion/criterion.h>

static const char POLICY[] =
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "  \"Statement\": [{\"Effect\": \"Alow\"}]\n"
    "}\n";

static iam_source *src;
static iam_diags diags;

static void setup(void)
{
    src = mem_src("policies/p.json", POLICY);
    iam_diags_init(&diags);
}

static void teardown(void)
{
    iam_diags_fini(&diags);
    iam_source_free(src);
}

TestSuite(report, .init = setup, .fini = teardown);

Test(report, text_error_with_caret_and_summary)
{
    iam_diag_add(&diags, IAM_R_INVALID_EFFECT, span_of(src, "\"Alow\"", 0),
                 "Effect must be Allow or Deny, not '%s'", "Alow");
    iam_run run = quiet_run(1, 1);
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "policies/p.json:3:28: error: Effect must be Allow or Deny, not 'Alow' [invalid-effect]\n"
        "    3 |   \"Statement\": [{\"Effect\": \"Alow\"}]\n"
        "      |                            ^~~~~~\n"
        "1 file, 1 policy: 1 error, 0 security, 0 warnings, 0 suggestions\n");
    free(out);
}

Test(report, text_help_and_related_note)
{
    iam_source *s = mem_src("d.json", "{\"Sid\": \"a\",\n \"Sid\": \"b\"}\n");
    iam_diag *g = iam_diag_add(&diags, IAM_R_DUPLICATE_KEY, span_of(s, "\"Sid\"", 1),
                               "duplicate key 'Sid'");
    iam_diag_related(&diags, g, span_of(s, "\"Sid\"", 0), "first defined here");
    iam_diag_help(&diags, g, "remove one of them");
    iam_run run = quiet_run(2, 3);
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "d.json:2:2: error: duplicate key 'Sid' [duplicate-key]\n"
        "    2 |  \"Sid\": \"b\"}\n"
        "      |  ^~~~~\n"
        "  help: remove one of them\n"
        "d.json:1:2: note: first defined here\n"
        "    1 | {\"Sid\": \"a\",\n"
        "      |  ^~~~~\n"
        "2 files, 3 policies: 1 error, 0 security, 0 warnings, 0 suggestions\n");
    free(out);
    iam_source_free(s);
}

/* Columns are code points; the caret line keeps the excerpt's tabs so it
 * lines up whatever the terminal's tab width. */
Test(report, text_caret_counts_code_points_and_keeps_tabs)
{
    iam_source *s = mem_src("u.json", "\t{\"S\u00e9\u65e5\": \"x\",\t\"Bad\": 1}\n");
    iam_span sp = span_of(s, "\"Bad\"", 0);
    cr_assert_eq(sp.col, 15);
    iam_diag_add(&diags, IAM_R_UNKNOWN_ELEMENT, sp, "unknown element 'Bad'");
    iam_run run = quiet_run(1, 1);
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "u.json:1:15: error: unknown element 'Bad' [unknown-element]\n"
        "    1 | \t{\"S\u00e9\u65e5\": \"x\",\t\"Bad\": 1}\n"
        "      | \t            \t^~~~~\n"
        "1 file, 1 policy: 1 error, 0 security, 0 warnings, 0 suggestions\n");
    free(out);
    iam_source_free(s);
}

Test(report, text_multiline_span_underlines_to_end_of_first_line)
{
    iam_diag_add(&diags, IAM_R_EMPTY_VALUE, span_of(src, "[{\"Effect\": \"Alow\"}]\n}", 0),
                 "statement list");
    iam_run run = quiet_run(1, 1);
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "policies/p.json:3:16: warning: statement list [empty-value]\n"
        "    3 |   \"Statement\": [{\"Effect\": \"Alow\"}]\n"
        "      |                ^~~~~~~~~~~~~~~~~~~~\n"
        "1 file, 1 policy: 0 errors, 0 security, 1 warning, 0 suggestions\n");
    free(out);
}

Test(report, text_control_characters_never_reach_the_terminal)
{
    iam_source *s = mem_src("c.json", "{\"a\x1b[31m\": \xff 1}");
    iam_diag_add(&diags, IAM_R_JSON_SYNTAX, span_of(s, "1}", 0), "bad \x1b[2J key");
    iam_run run = quiet_run(1, 0);
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "c.json:1:14: error: bad \\x1b[2J key [json-syntax]\n"
        "    1 | {\"a?[31m\": ? 1}\n"
        "      |              ^~\n"
        "1 file, 0 policies: 1 error, 0 security, 0 warnings, 0 suggestions\n");
    free(out);
    iam_source_free(s);
}

Test(report, text_long_line_is_windowed_around_the_span)
{
    char line[400];
    memset(line, 'a', 300);
    memcpy(line + 200, "\"X\"", 3);
    line[300] = '\0';
    iam_source *s = mem_src("long.json", line);
    iam_diag_add(&diags, IAM_R_JSON_SYNTAX, span_of(s, "\"X\"", 0), "here");
    iam_run run = quiet_run(1, 0);
    char *out = render(iam_write_text, &run, &diags, NULL);
    /* Window: 40 code points before column 201, 120 in all, "..." both ends. */
    char want[1024], dots40[41], rest[78];
    memset(dots40, 'a', 40), dots40[40] = '\0';
    memset(rest, 'a', 77), rest[77] = '\0';
    snprintf(want, sizeof want,
             "long.json:1:201: error: here [json-syntax]\n"
             "    1 | ...%s\"X\"%s...\n"
             "      |    %*s^~~\n"
             "1 file, 0 policies: 1 error, 0 security, 0 warnings, 0 suggestions\n",
             dots40, rest, 40, "");
    cr_assert_str_eq(out, want);
    free(out);
    iam_source_free(s);
}

Test(report, text_colour_only_when_asked)
{
    iam_diag *g = iam_diag_add(&diags, IAM_R_MISSING_VERSION, span_of(src, "{", 0), "no Version");
    g->sev = IAM_SEV_SECURITY;
    iam_run run = quiet_run(1, 1);
    run.color = true;
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "\033[1mpolicies/p.json:1:1:\033[0m \033[1;35msecurity:\033[0m no Version [missing-version]\n"
        "    1 | {\n"
        "      | \033[1;35m^\033[0m\n"
        "1 file, 1 policy: 0 errors, 1 security, 0 warnings, 0 suggestions\n");
    free(out);
}

Test(report, text_without_source_and_with_timing)
{
    iam_span none = {0};
    iam_diag_add(&diags, IAM_R_INPUT_ERROR, none, "cannot read 'x': No such file");
    iam_run run = quiet_run(0, 0);
    run.timing = true;
    run.seconds = 0.0125;
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "iampc: error: cannot read 'x': No such file [input-error]\n"
        "0 files, 0 policies: 1 error, 0 security, 0 warnings, 0 suggestions (0.013s)\n");
    free(out);
}

Test(report, json_document_is_exact)
{
    iam_diag *g = iam_diag_add(&diags, IAM_R_INVALID_EFFECT, span_of(src, "\"Alow\"", 0),
                               "Effect must be Allow or Deny");
    g->policy_type = "identity";
    iam_diag_help(&diags, g, "write \"Allow\"");
    iam_diag_related(&diags, g, span_of(src, "\"Effect\"", 0), "in this \xff element");
    g->fingerprint = "0123456789abcdef";
    iam_run run = quiet_run(1, 1);
    char *out = render(iam_write_json, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "{\n"
        "  \"version\": 1,\n"
        "  \"tool\": {\n"
        "    \"name\": \"iampc\",\n"
        "    \"version\": \"9.9.9\"\n"
        "  },\n"
        "  \"summary\": {\n"
        "    \"files\": 1,\n"
        "    \"policies\": 1,\n"
        "    \"findings\": 1,\n"
        "    \"errors\": 1,\n"
        "    \"security\": 0,\n"
        "    \"warnings\": 0,\n"
        "    \"suggestions\": 0,\n"
        "    \"failOn\": \"warning\"\n"
        "  },\n"
        "  \"findings\": [{\n"
        "      \"rule\": \"invalid-effect\",\n"
        "      \"severity\": \"error\",\n"
        "      \"category\": \"grammar\",\n"
        "      \"message\": \"Effect must be Allow or Deny\",\n"
        "      \"file\": \"policies/p.json\",\n"
        "      \"line\": 3,\n"
        "      \"column\": 28,\n"
        "      \"endLine\": 3,\n"
        "      \"endColumn\": 34,\n"
        "      \"policyType\": \"identity\",\n"
        "      \"help\": \"write \\\"Allow\\\"\",\n"
        "      \"related\": [{\n"
        "          \"message\": \"in this \xef\xbf\xbd element\",\n"
        "          \"file\": \"policies/p.json\",\n"
        "          \"line\": 3,\n"
        "          \"column\": 18,\n"
        "          \"endLine\": 3,\n"
        "          \"endColumn\": 26\n"
        "        }],\n"
        "      \"fingerprint\": \"0123456789abcdef\"\n"
        "    }]\n"
        "}\n");
    free(out);
}

Test(report, json_empty_run_and_timing)
{
    iam_run run = quiet_run(4, 5);
    run.timing = true;
    run.seconds = 0.25;
    run.fail_on = NULL;
    char *out = render(iam_write_json, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "{\n"
        "  \"version\": 1,\n"
        "  \"tool\": {\n"
        "    \"name\": \"iampc\",\n"
        "    \"version\": \"9.9.9\"\n"
        "  },\n"
        "  \"summary\": {\n"
        "    \"files\": 4,\n"
        "    \"policies\": 5,\n"
        "    \"findings\": 0,\n"
        "    \"errors\": 0,\n"
        "    \"security\": 0,\n"
        "    \"warnings\": 0,\n"
        "    \"suggestions\": 0,\n"
        "    \"seconds\": 0.25\n"
        "  },\n"
        "  \"findings\": []\n"
        "}\n");
    free(out);
}

Test(report, writer_table_lookup)
{
    cr_assert_eq(iam_writer_find("text")->write, iam_write_text);
    cr_assert_eq(iam_writer_find("json")->write, iam_write_json);
    cr_assert_eq(iam_writer_find("sarif")->write, iam_write_sarif);
    cr_assert_null(iam_writer_find("xml"));
    size_t n = 0;
    for (; iam_writer_names[n]; n++)
        cr_assert_str_eq(iam_writer_names[n], iam_writers[n].name);
    cr_assert_eq(n, 3);
    cr_assert_null(iam_writers[n].name);
}

Test(report, run_init_honours_no_timing)
{
    iam_run r;
    unsetenv("IAMPC_NO_TIMING");
    iam_run_init(&r);
    cr_assert(r.timing);
    cr_assert_str_eq(r.fail_on, "warning");
    cr_assert_not_null(r.tool_version);
    setenv("IAMPC_NO_TIMING", "1", 1);
    iam_run_init(&r);
    cr_assert_not(r.timing);
    setenv("IAMPC_NO_TIMING", "", 1);
    iam_run_init(&r);
    cr_assert(r.timing);
}

Test(report, write_error_is_reported)
{
    FILE *f = fopen("/dev/full", "w");
    cr_assert_not_null(f);
    setvbuf(f, NULL, _IONBF, 0);
    iam_run run = quiet_run(1, 1);
    cr_assert_eq(iam_write_text(f, &run, &diags), -1);
    cr_assert_eq(iam_write_json(f, &run, &diags), -1);
    fclose(f);
}

/* Spans from a buggy producer must not crash or print garbage: no excerpt
 * for a line that doesn't exist, the caret clamped to the end of the line,
 * one caret for an end before the start. */
Test(report, text_tolerates_out_of_range_spans)
{
    iam_span past_eof = {.src = src, .line = 99, .col = 1, .end_line = 99, .end_col = 2};
    iam_span past_eol = {.src = src, .line = 1, .col = 50, .end_line = 1, .end_col = 60};
    iam_span backwards = {.src = src, .line = 2, .col = 5, .end_line = 2, .end_col = 3};
    iam_diag_add(&diags, IAM_R_JSON_SYNTAX, past_eof, "eof");
    iam_diag_add(&diags, IAM_R_JSON_SYNTAX, past_eol, "eol");
    iam_diag_add(&diags, IAM_R_JSON_SYNTAX, backwards, "back");
    iam_run run = quiet_run(1, 1);
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "policies/p.json:99:1: error: eof [json-syntax]\n"
        "policies/p.json:1:50: error: eol [json-syntax]\n"
        "    1 | {\n"
        "      |  ^\n"
        "policies/p.json:2:5: error: back [json-syntax]\n"
        "    2 |   \"Version\": \"2012-10-17\",\n"
        "      |     ^\n"
        "1 file, 1 policy: 3 errors, 0 security, 0 warnings, 0 suggestions\n");
    free(out);
}

Test(report, text_no_excerpt_for_an_empty_source)
{
    iam_source *e = mem_src("gone.json", "");
    iam_span at = {.src = e, .line = 1, .col = 1, .end_line = 1, .end_col = 1};
    iam_diag_add(&diags, IAM_R_INPUT_ERROR, at, "cannot read 'gone.json': No such file or directory");
    iam_run run = quiet_run(1, 0);
    char *out = render(iam_write_text, &run, &diags, NULL);
    cr_assert_str_eq(out,
        "gone.json:1:1: error: cannot read 'gone.json': No such file or directory [input-error]\n"
        "1 file, 0 policies: 1 error, 0 security, 0 warnings, 0 suggestions\n");
    free(out);
    iam_source_free(e);
}
