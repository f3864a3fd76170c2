/* test_merge.c - statement merging, redundancy removal, NotAction /
 * NotResource / Deny handling, Sids, sizes and splitting. */
#include "helpers.h"

#define DOC(stmts) "{\"Version\":\"2012-10-17\",\"Statement\":[" stmts "]}"

static iam_policy *one(mt *m, const char *text, iam_policy_type t)
{
    cr_assert_eq(mt_run(m, text, t, NULL), IAM_OK);
    cr_assert_eq(m->r.ndocs, 1);
    return mt_doc(m, 0, t);
}

Test(merge, same_resources_union_actions)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"},"
                                "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"),
                        IAM_PT_IDENTITY);
    cr_expect_eq(p->nstmts, 1);
    cr_expect_eq(m.r.before_stmts, 2);
    cr_expect_eq(m.r.after_stmts, 1);
    cr_expect_lt(m.r.after_size, m.r.before_size);
    mt_fini(&m);
}

Test(merge, same_actions_union_resources)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::a/*\"},"
                                "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"),
                        IAM_PT_IDENTITY);
    cr_assert_eq(p->nstmts, 1);
    cr_expect_eq(p->stmts[0].resources.n, 2);
    mt_fini(&m);
}

Test(merge, different_effects_or_conditions_stay_apart)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},"
                                "{\"Effect\":\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"},"
                                "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\","
                                "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}"),
                        IAM_PT_IDENTITY);
    cr_expect_eq(p->nstmts, 3);
    mt_fini(&m);
}

Test(merge, equal_conditions_merge_despite_spelling)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\","
                                "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":[\"a\",\"b\"]}}},"
                                "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\","
                                "\"Condition\":{\"StringEquals\":{\"AWS:principaltag/team\":[\"b\",\"a\"]}}}"),
                        IAM_PT_IDENTITY);
    cr_expect_eq(p->nstmts, 1);
    mt_fini(&m);
}

Test(merge, redundant_statement_dropped)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/k\"},"
                                "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"),
                        IAM_PT_IDENTITY);
    cr_expect_eq(p->nstmts, 1);
    cr_expect_str_eq(p->stmts[0].actions[0].text, "s3:*");
    mt_fini(&m);
}

Test(merge, redundant_actions_and_resources_dropped)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"s3:GetObject\"],"
                                "\"Resource\":[\"arn:aws:s3:::b/k\",\"arn:aws:s3:::b/*\"]}"),
                        IAM_PT_IDENTITY);
    cr_assert_eq(p->nstmts, 1);
    cr_expect_eq(p->stmts[0].nactions, 1);
    cr_expect_eq(p->stmts[0].resources.n, 1);
    cr_expect_str_eq(p->stmts[0].resources.v[0].s, "arn:aws:s3:::b/*");
    mt_fini(&m);
}

Test(merge, not_action_compressed_and_kept_apart)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"sts:GetCallerIdentity\"],\"Resource\":\"*\"},"
                                "{\"Effect\":\"Deny\",\"NotAction\":[\"s3:*\"],\"Resource\":\"*\"}"),
                        IAM_PT_IDENTITY);
    cr_expect_eq(p->nstmts, 2, "NotAction statements do not union");
    cr_expect(p->stmts[0].not_action);
    mt_fini(&m);
}

Test(merge, identical_not_action_statements_collapse)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\"],\"Resource\":\"*\"},"
                                "{\"Effect\":\"Deny\",\"NotAction\":\"IAM:*\",\"Resource\":\"*\"}"),
                        IAM_PT_IDENTITY);
    cr_expect_eq(p->nstmts, 1);
    mt_fini(&m);
}

Test(merge, not_resource_kept)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Deny\",\"Action\":[\"s3:DeleteBucket\",\"s3:DeleteObject\"],"
                                "\"NotResource\":[\"arn:aws:s3:::keep\",\"arn:aws:s3:::keep/*\"]},"
                                "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}"),
                        IAM_PT_IDENTITY);
    cr_assert_eq(p->nstmts, 2);
    cr_expect(p->stmts[0].not_resource);
    cr_expect_eq(p->stmts[0].resources.n, 2);
    mt_fini(&m);
}

Test(merge, principals_in_resource_policies)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
                                "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"},"
                                "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
                                "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"},"
                                "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},"
                                "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"),
                        IAM_PT_RESOURCE);
    cr_expect_eq(p->nstmts, 2, "the account id and its root ARN are one principal");
    mt_fini(&m);
}

Test(merge, sids_kept_or_dropped)
{
    const char *text = DOC("{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},"
                           "{\"Sid\":\"B\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}");
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, text, IAM_PT_IDENTITY);
    cr_assert_eq(p->nstmts, 1);
    cr_expect_str_eq(p->stmts[0].sid, "A");
    mt_fini(&m);
    mt_init(&m);
    iam_min_opts o = iam_min_defaults;
    o.keep_sids = false;
    cr_assert_eq(mt_run(&m, text, IAM_PT_IDENTITY, &o), IAM_OK);
    cr_expect_null(mt_doc(&m, 0, IAM_PT_IDENTITY)->stmts[0].sid);
    mt_fini(&m);
}

Test(merge, version_and_id_preserved)
{
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, "{\"Version\":\"2012-10-17\",\"Id\":\"x\",\"Statement\":"
                            "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}",
                        IAM_PT_RESOURCE);
    cr_expect_str_eq(p->version, "2012-10-17");
    cr_expect_str_eq(p->id, "x");
    mt_fini(&m);
}

/* -- sizes and splitting -------------------------------------------------- */

static char *many_statements(size_t n)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_puts(&b, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    for (size_t i = 0; i < n; i++)
        iam_sb_printf(&b, "%s{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\","
                          "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/k%zu\":\"v\"}}}",
                      i ? "," : "", i);
    iam_sb_puts(&b, "]}");
    return b.s;
}

Test(split, documents_within_the_limit)
{
    char *text = many_statements(40);
    mt m;
    mt_init(&m);
    iam_min_opts o = iam_min_defaults;
    o.max_size = 600;
    cr_assert_eq(mt_run(&m, text, IAM_PT_IDENTITY, &o), IAM_OK);
    cr_expect_gt(m.r.ndocs, 1);
    size_t stmts = 0;
    for (size_t i = 0; i < m.r.ndocs; i++) {
        cr_expect_leq(m.r.docs[i].size, 600);
        stmts += mt_doc(&m, i, IAM_PT_IDENTITY)->nstmts;
    }
    cr_expect_eq(stmts, 40);
    cr_expect_eq(m.r.limit, 600);
    free(text);
    mt_fini(&m);
}

Test(split, big_action_list_is_halved)
{
    /* one Allow statement listing every iam action, limit far below it */
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_puts(&b, "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":[");
    uint32_t sid = iam_catalog_service_find(cat(), "ec2", 3), first, n;
    iam_catalog_service_actions(cat(), sid, &first, &n);
    char name[256];
    for (uint32_t i = 0; i < n; i += 3) {
        iam_catalog_action_fullname(cat(), first + i, name, sizeof name);
        iam_sb_printf(&b, "%s\"%s\"", i ? "," : "", name);
    }
    iam_sb_puts(&b, "],\"Resource\":\"*\"}}");
    mt m;
    mt_init(&m);
    iam_min_opts o = iam_min_defaults;
    o.max_size = 1000;
    cr_assert_eq(mt_run(&m, b.s, IAM_PT_IDENTITY, &o), IAM_OK);
    cr_expect_gt(m.r.ndocs, 1);
    for (size_t i = 0; i < m.r.ndocs; i++)
        cr_expect_leq(m.r.docs[i].size, 1000);
    iam_sb_free(&b);
    mt_fini(&m);
}

Test(split, one_statement_too_large_is_an_error)
{
    mt m;
    mt_init(&m);
    iam_min_opts o = iam_min_defaults;
    o.max_size = 60;
    cr_expect_eq(mt_run(&m, DOC("{\"Effect\":\"Deny\",\"NotAction\":[\"iam:GetRole\",\"s3:GetObject\"],"
                                "\"Resource\":\"*\"}"),
                        IAM_PT_IDENTITY, &o),
                 IAM_ERR_LIMIT);
    cr_expect(mt_has_rule(&m, IAM_R_MINIMIZE_TOO_LARGE));
    cr_expect_eq(m.r.ndocs, 0);
    mt_fini(&m);
}

Test(split, scp_counts_whitespace)
{
    const char *text = DOC("{\"Effect\":\"Deny\",\"Action\":\"cloudtrail:StopLogging\",\"Resource\":\"*\"}");
    mt m;
    mt_init(&m);
    cr_assert_eq(mt_run(&m, text, IAM_PT_SCP, NULL), IAM_OK);
    cr_expect_eq(m.r.limit, 5120);
    cr_expect_eq(m.r.docs[0].size, m.r.docs[0].len, "SCP size is the canonical text");
    mt_fini(&m);
    mt_init(&m);
    cr_assert_eq(mt_run(&m, text, IAM_PT_IDENTITY, NULL), IAM_OK);
    cr_expect_lt(m.r.docs[0].size, m.r.docs[0].len, "identity size is the minified text");
    mt_fini(&m);
}

Test(api, minimize_text_and_quota)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_min_result r;
    const char *t = DOC("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:GetObject\"],\"Resource\":\"*\"}");
    cr_assert_eq(iam_minimize_text(cat(), "x.json", t, strlen(t), IAM_PT_UNKNOWN, NULL, &d, &r), IAM_OK);
    cr_expect_eq(r.ndocs, 1);
    cr_expect_eq(r.after_actions, 1);
    iam_min_result_free(&r);
    cr_expect_eq(iam_minimize_text(cat(), "x.json", "{", 1, IAM_PT_UNKNOWN, NULL, &d, &r), IAM_ERR_SYNTAX);
    iam_diags_fini(&d);
    cr_expect_eq(iam_min_quota(IAM_PT_TRUST), 2048);
    cr_expect_eq(iam_min_quota(IAM_PT_IDENTITY), 6144);
    cr_expect(iam_min_quota_counts_whitespace(IAM_PT_RCP));
}

Test(merge, deny_and_not_action_keep_input_wildcards)
{
    /* an action AWS adds later must stay denied / excluded as written */
    mt m;
    mt_init(&m);
    iam_policy *p = one(&m, DOC("{\"Effect\":\"Deny\",\"Action\":[\"iam:DeleteAccessKey*\",\"iam:DeleteUser\","
                                "\"s3:GetObject*\"],\"Resource\":\"*\"},"
                                "{\"Effect\":\"Allow\",\"NotAction\":[\"iam:Create*\",\"iam:CreateUser\"],\"Resource\":\"*\"}"),
                        IAM_PT_IDENTITY);
    cr_assert_eq(p->nstmts, 2);
    cr_expect(mt_stmt_has_action(&p->stmts[0], "iam:DeleteAccessKey*"));
    cr_expect(mt_stmt_has_action(&p->stmts[0], "s3:GetObject*"));
    cr_expect(mt_stmt_has_action(&p->stmts[1], "iam:Create*"));
    cr_expect(!mt_stmt_has_action(&p->stmts[1], "iam:CreateUser"), "covered by iam:Create*");
    mt_fini(&m);
}
