/* test_parse.c - the intent grammar: AST shape, spans, and the exact
 * syntax diagnostics (message and position) for broken input. */
#include "tests/unit/core/params.h"
#include "tests/unit/intent/helpers.h"

Test(intent_parse, empty_file_is_valid)
{
    irun r;
    iparse(&r, "# nothing here\n");
    cr_assert_eq(r.st, IAM_OK);
    cr_assert_eq(r.ast->nitems, 0);
    ifree(&r);
}

Test(intent_parse, items_and_statements)
{
    irun r;
    iparse(&r, "let b = \"arn:aws:s3:::b\"\n"
               "include \"x.iam\"\n"
               "policy p for role {\n"
               "  read, list on \"${b}\", *\n"
               "  allow s3:Get*, * on \"a\" when mfa and tag \"k\" == \"v\", \"w\"\n"
               "  deny iam:* on * unless source ip \"1.2.3.4/32\"\n"
               "  require mfa for iam:Delete*\n"
               "  exclude s3:DeleteObject\n"
               "  assert denies s3:PutObject on \"x\" as \"arn:aws:iam::1:role/r\" with \"k\" = \"v\", \"k2\" = \"v2\"\n"
               "}\n"
               "guardrail g for scp { }\n");
    cr_assert_eq(r.st, IAM_OK, "%s", r.d.n ? r.d.v[0].msg : "");
    cr_assert_eq(r.ast->nitems, 4);
    cr_assert_eq(r.ast->items[0].kind, IAM_IXI_LET);
    cr_assert_str_eq(r.ast->items[0].name.s, "b");
    cr_assert_eq(r.ast->items[1].kind, IAM_IXI_INCLUDE);
    const iam_ix_item *p = &r.ast->items[2];
    cr_assert_eq(p->kind, IAM_IXI_POLICY);
    cr_assert_eq(p->target, IAM_IXT_ROLE);
    cr_assert_not(p->guardrail);
    cr_assert_eq(p->nstmts, 6);
    cr_assert_eq(p->stmts[0].kind, IAM_IXS_LEVELS);
    cr_assert_eq(p->stmts[0].nlevels, 2);
    cr_assert(p->stmts[0].resources.v[1].star);
    cr_assert_str_eq(p->stmts[0].resources.v[0].s, "${b}");
    cr_assert_eq(p->stmts[1].kind, IAM_IXS_ALLOW);
    cr_assert_eq(p->stmts[1].actions.n, 2);
    cr_assert_eq(p->stmts[1].nconds, 2);
    cr_assert_eq(p->stmts[1].conds[1].kind, IAM_IXC_RESOURCE_TAG);
    cr_assert_eq(p->stmts[1].conds[1].values.n, 2);
    cr_assert(p->stmts[2].unless);
    cr_assert_eq(p->stmts[2].conds[0].kind, IAM_IXC_SOURCE_IP);
    cr_assert_eq(p->stmts[3].kind, IAM_IXS_REQUIRE_MFA);
    cr_assert_eq(p->stmts[4].kind, IAM_IXS_EXCLUDE);
    const iam_ix_stmt *as = &p->stmts[5];
    cr_assert_eq(as->kind, IAM_IXS_ASSERT);
    cr_assert_not(as->flag);
    cr_assert_eq(as->ctx_keys.n, 2);
    cr_assert_str_eq(as->ctx_values.v[1].s, "v2");
    cr_assert_eq(as->principals.n, 1);
    cr_assert(r.ast->items[3].guardrail);
    cr_assert_eq(r.ast->items[3].target, IAM_IXT_SCP);
    ifree(&r);
}

Test(intent_parse, keywords_may_be_names)
{
    irun r;
    iparse(&r, "let account = \"1\"\npolicy resource for resource { principal * }\n");
    cr_assert_eq(r.st, IAM_OK);
    cr_assert_str_eq(r.ast->items[0].name.s, "account");
    cr_assert_str_eq(r.ast->items[1].name.s, "resource");
    ifree(&r);
}

Test(intent_parse, spans_count_code_points)
{
    irun r;
    iparse(&r, "let x = \"\xc3\xa9t\xc3\xa9\"\nlet y = \"z\"\n");
    cr_assert_eq(r.st, IAM_OK);
    iam_span s = r.ast->items[0].value.span;
    cr_assert_eq(s.line, 1);
    cr_assert_eq(s.col, 9);
    cr_assert_eq(s.end_col, 14);   /* "été" is 5 code points with quotes */
    cr_assert_eq(r.ast->items[1].name.span.line, 2);
    cr_assert_eq(r.ast->items[1].name.span.col, 5);
    ifree(&r);
}

Test(intent_parse, string_escapes)
{
    irun r;
    iparse(&r, "let x = \"a\\\"b\\\\c\\n\"\n");
    cr_assert_eq(r.st, IAM_OK);
    cr_assert_str_eq(r.ast->items[0].value.s, "a\"b\\c\n");
    ifree(&r);
}

typedef struct bad_case {
    const char *text;
    unsigned line, col;
    const char *msg;
} bad_case;

static const bad_case rejects_cases[] = {
    {"policy p for role {\n  allow s3:GetObject \"x\"\n}", 2, 22, "unexpected string, expected 'on' or ','"},
    {"policy p for team {}", 1, 14, "unexpected name 'team', expected policy type ('role', 'user', 'boundary', 'scp', 'rcp' or 'resource')"},
    {"policy p for role {\n  read on \"x\"\n", 3, 1, "unexpected end of input, expected statement, 'when', 'unless', '}' or ','"},
    {"policy p for role {\n  allow s3:X on \"x\" when }", 2, 26, "unexpected '}', expected condition"},
    {"policy p for role { read, raed on \"x\" }", 1, 27, "unexpected name 'raed', expected access level"},
    {"let x = \"abc", 1, 9, "unterminated string"},
    {"let x = \"a\\qb\"", 1, 9, "invalid escape '\\q' in string (use \\\" \\\\ \\n \\t)"},
    {"let x = 12", 1, 9, "unexpected '12' (write values as \"strings\")"},
    {"let x = 'a'", 1, 9, "single quotes are not allowed; use double quotes"},
    {"policy p for role { allow s3:X on \"x\" when tag \"a\" != \"b\" }", 1, 52,
     "unsupported operator '!=' (use ==, or a raw condition \"Operator\" \"key\" == \"value\")"},
    {"policy p for role { ; }", 1, 21, "unexpected character ';'"},
    {"x", 1, 1, "unexpected name 'x', expected end of input, 'let', 'include', 'policy' or 'guardrail'"},
    {"policy p for role { allow on * }", 1, 27, "unexpected 'on', expected '*' or action"},
};

IAM_TABLE_PARAMS(intent_parse, rejects, rejects_cases)

ParameterizedTest(size_t *i, intent_parse, rejects)
{
    const bad_case *c = &rejects_cases[*i];
    irun r;
    iparse(&r, c->text);
    cr_assert_neq(r.st, IAM_OK, "accepted: %s", c->text);
    cr_assert_eq(r.d.n, 1, "%zu diagnostics for %s", r.d.n, c->text);
    cr_assert_str_eq(rule_of(&r.d, 0), "intent-syntax");
    cr_assert_str_eq(r.d.v[0].msg, c->msg);
    cr_assert_eq(r.d.v[0].span.line, c->line, "line %u for %s", r.d.v[0].span.line, c->text);
    cr_assert_eq(r.d.v[0].span.col, c->col, "col %u for %s", r.d.v[0].span.col, c->text);
    /* The source is unchanged after an early stop (Flex's hold char). */
    cr_assert_eq(memcmp(r.src->data, c->text, strlen(c->text)), 0);
    ifree(&r);
}

Test(intent_parse, misspelt_keyword_gets_a_suggestion)
{
    irun r;
    iparse(&r, "policy p for role {\n  raed on \"x\"\n}");
    cr_assert_eq(r.d.n, 1);
    cr_assert_str_eq(r.d.v[0].msg, "unexpected name 'raed', expected statement or '}'");
    cr_assert_str_eq(r.d.v[0].help, "did you mean 'read'?");
    ifree(&r);
    iparse(&r, "policy p for role { allow s3:X on \"x\" unles mfa }");
    cr_assert_str_eq(r.d.v[0].help, "did you mean 'unless'?");
    ifree(&r);
}

Test(intent_parse, recovers_at_the_policy_brace)
{
    irun r;
    iparse(&r, "policy a for role { allow s3:X \"x\" }\n"
               "policy b for role { read on \"x\" }\n"
               "policy c for role { ; }\n");
    cr_assert_eq(r.st, IAM_ERR_SYNTAX);
    cr_assert_null(r.ast);
    cr_assert_eq(r.d.n, 2);
    cr_assert_eq(r.d.v[0].span.line, 1);
    cr_assert_eq(r.d.v[1].span.line, 3);
    ifree(&r);
}

Test(intent_parse, token_limit)
{
    irun r;
    iam_intent_limits lim = {.max_file = 0, .max_token = 8};
    r.a = iam_arena_new();
    r.src = iam_source_from_mem("t.iam", "let x = \"0123456789\"", 20);
    iam_diags_init(&r.d);
    r.st = iam_intent_parse(r.a, r.src, &lim, &r.d, &r.ast);
    cr_assert_eq(r.st, IAM_ERR_LIMIT);
    cr_assert_str_eq(rule_of(&r.d, 0), "input-limit");
    ifree(&r);
}
