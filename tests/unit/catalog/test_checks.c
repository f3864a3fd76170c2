/* test_checks.c - every catalog rule: true positives and false-positive
 * traps, on policies decoded from JSON text (grammar + policy IR). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "analyzer/catalog_checks.h"
#include "core/intern.h"
#include "grammar/json.h"
#include "policy/policy.h"

typedef struct run {
    iam_arena *a;
    iam_strtab *names;
    iam_source *src;
    iam_diags d;
} run;

static run R;

/* One statement per call: `stmt` is the statement object's JSON text. */
static void analyze(const char *stmt)
{
    char doc[8192];
    snprintf(doc, sizeof doc, "{\"Version\": \"2012-10-17\",\n\"Statement\": [%s]}", stmt);
    R.a = iam_arena_new();
    R.names = iam_intern_new();
    R.src = iam_source_from_mem("test.json", doc, strlen(doc));
    iam_diags pd;
    iam_diags_init(&pd);
    iam_diags_init(&R.d);
    iam_json *root = NULL;
    cr_assert_eq(iam_json_parse(R.a, R.src, NULL, &pd, &root), IAM_OK, "bad JSON: %s", doc);
    iam_decode_opts o = {IAM_PT_IDENTITY, IAM_TO_FLAG};
    iam_policy *p = iam_policy_decode(R.a, R.names, root, &o, &pd);
    cr_assert(p && p->nstmts >= 1);
    iam_check_catalog(iam_catalog_builtin(), p, &R.d);
    iam_diags_fini(&pd);
}

static void fini(void)
{
    iam_diags_fini(&R.d);
    iam_source_free(R.src);
    iam_intern_free(R.names);
    iam_arena_destroy(R.a);
    memset(&R, 0, sizeof R);
}

static size_t count(iam_rule_id rule)
{
    size_t n = 0;
    for (size_t i = 0; i < R.d.n; i++)
        n += R.d.v[i].rule == rule;
    return n;
}

/* The finding of rule whose span covers exactly `text` (quotes included). */
static const iam_diag *at(iam_rule_id rule, const char *text)
{
    for (size_t i = 0; i < R.d.n; i++) {
        const iam_diag *g = &R.d.v[i];
        if (g->rule != rule)
            continue;
        size_t n = g->span.end_off - g->span.off;
        if (n == strlen(text) && memcmp(R.src->data + g->span.off, text, n) == 0)
            return g;
    }
    return NULL;
}

static void dump(void)
{
    for (size_t i = 0; i < R.d.n; i++)
        fprintf(stderr, "  %s: %s\n", iam_rule(R.d.v[i].rule)->name, R.d.v[i].msg);
}

#define EXPECT_NONE(rule)                                                        \
    do {                                                                         \
        if (count(rule))                                                         \
            dump();                                                              \
        cr_expect_eq(count(rule), 0, "unexpected %s", iam_rule(rule)->name);     \
    } while (0)
#define EXPECT_AT(rule, text) cr_expect_not_null(at(rule, text), "no %s at %s", iam_rule(rule)->name, text)

TestSuite(checks, .fini = fini);

/* -- unknown-service ---------------------------------------------------- */

Test(checks, unknown_service)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"ec3:DescribeInstances\",\"s3:GetObject\"],\"Resource\":\"*\"}");
    const iam_diag *g = at(IAM_R_UNKNOWN_SERVICE, "\"ec3:DescribeInstances\"");
    cr_assert_not_null(g);
    cr_expect(strstr(g->msg, "'ec3'") && strstr(g->msg, "2026-09-26"), "%s", g->msg);
    cr_expect(g->help && strstr(g->help, "ec2:DescribeInstances"), "%s", g->help);
    cr_expect_eq(count(IAM_R_UNKNOWN_SERVICE), 1);
}

Test(checks, unknown_service_traps)
{
    analyze("{\"Effect\":\"Deny\",\"NotAction\":[\"S3:GetObject\",\"IAM:*\",\"*\"],\"Resource\":\"*\"}");
    EXPECT_NONE(IAM_R_UNKNOWN_SERVICE);
    EXPECT_NONE(IAM_R_UNKNOWN_ACTION);
    EXPECT_NONE(IAM_R_ACTION_MATCHES_NOTHING);
}

/* -- unknown-action ----------------------------------------------------- */

Test(checks, unknown_action_with_suggestion)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObjekt\",\"Resource\":\"*\"}");
    const iam_diag *g = at(IAM_R_UNKNOWN_ACTION, "\"s3:GetObjekt\"");
    cr_assert_not_null(g);
    cr_expect(strstr(g->msg, "catalog of 2026-09-26"), "%s", g->msg);
    cr_expect(g->help && strstr(g->help, "'s3:GetObject'"), "%s", g->help);
    EXPECT_NONE(IAM_R_UNKNOWN_SERVICE);
}

Test(checks, unknown_action_traps)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:getobject\",\"IAM:PASSROLE\",\"ec2:DescribeInstances\"],"
            "\"Resource\":\"*\"}");
    EXPECT_NONE(IAM_R_UNKNOWN_ACTION);
    EXPECT_NONE(IAM_R_ACTION_MATCHES_NOTHING);
}

/* -- action-pattern-matches-nothing ------------------------------------- */

Test(checks, pattern_matches_nothing)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:Gte*\",\"s3:Get*\"],\"Resource\":\"*\"}");
    EXPECT_AT(IAM_R_ACTION_MATCHES_NOTHING, "\"s3:Gte*\"");
    cr_expect_eq(count(IAM_R_ACTION_MATCHES_NOTHING), 1);
    EXPECT_NONE(IAM_R_UNKNOWN_ACTION);
}

Test(checks, malformed_actions_are_left_to_the_grammar)
{
    /* wildcards in the prefix, no colon: invalid-action reports these */
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"zz?:Get*\",\"s3GetObject\"],\"Resource\":\"*\"}");
    EXPECT_NONE(IAM_R_ACTION_MATCHES_NOTHING);
    EXPECT_NONE(IAM_R_UNKNOWN_SERVICE);
    EXPECT_NONE(IAM_R_UNKNOWN_ACTION);
}

Test(checks, pattern_matches_nothing_traps)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"?3:GetObject\",\"s3:*Object?cl\",\"*\"],\"Resource\":\"*\"}");
    EXPECT_NONE(IAM_R_ACTION_MATCHES_NOTHING);
}

/* -- unknown-condition-key ---------------------------------------------- */

Test(checks, unknown_condition_key)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\","
            "\"Condition\":{\"IpAddress\":{\"aws:SourceIpp\":\"10.0.0.0/8\"},"
            "\"StringLike\":{\"s3:prefixx\":\"home/\"}}}");
    const iam_diag *g = at(IAM_R_UNKNOWN_CONDITION_KEY, "\"aws:SourceIpp\"");
    cr_assert_not_null(g);
    cr_expect(g->help && strstr(g->help, "'aws:SourceIp'"), "%s", g->help);
    g = at(IAM_R_UNKNOWN_CONDITION_KEY, "\"s3:prefixx\"");
    cr_assert_not_null(g);
    cr_expect(g->help && strstr(g->help, "'s3:prefix'"), "%s", g->help);
    EXPECT_AT(IAM_R_UNKNOWN_CONDITION_KEY, "\"s3:prefixx\"");
    cr_expect_eq(count(IAM_R_UNKNOWN_CONDITION_KEY), 2);
}

Test(checks, unknown_condition_key_traps)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\",\"sts:AssumeRoleWithSAML\"],"
            "\"Resource\":\"*\",\"Condition\":{"
            "\"StringEquals\":{\"aws:ResourceTag/Env\":\"prod\",\"aws:PrincipalTag/team\":\"x\","
            "\"AWS:SOURCEVPCE\":\"vpce-1\",\"s3:ExistingObjectTag/k\":\"v\",\"saml:aud\":\"a\","
            "\"s3:prefix\":\"p\"},"
            "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}");
    EXPECT_NONE(IAM_R_UNKNOWN_CONDITION_KEY);
    EXPECT_NONE(IAM_R_CONDITION_KEY_NOT_APPLICABLE);
    EXPECT_NONE(IAM_R_CONDITION_TYPE_MISMATCH);
}

/* -- condition-key-not-applicable --------------------------------------- */

Test(checks, key_not_applicable)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::b/*\","
            "\"Condition\":{\"StringEquals\":{\"s3:prefix\":\"home/\",\"ec2:Vpc\":\"vpc-1\"}}}");
    const iam_diag *g = at(IAM_R_CONDITION_KEY_NOT_APPLICABLE, "\"s3:prefix\"");
    cr_assert_not_null(g);
    cr_expect(strstr(g->msg, "none of the statement's actions"), "%s", g->msg);
    g = at(IAM_R_CONDITION_KEY_NOT_APPLICABLE, "\"ec2:Vpc\"");
    cr_assert_not_null(g);
    cr_expect(strstr(g->msg, "no ec2 action"), "%s", g->msg);
    EXPECT_NONE(IAM_R_UNKNOWN_CONDITION_KEY);
}

Test(checks, key_not_applicable_traps)
{
    /* all-wildcard statement: conservative */
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"ec2:*\"],\"Resource\":\"*\","
            "\"Condition\":{\"StringEquals\":{\"s3:prefix\":\"p\"}}}");
    EXPECT_NONE(IAM_R_CONDITION_KEY_NOT_APPLICABLE);
    fini();
    /* one supporting action is enough; global keys always apply */
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":\"*\","
            "\"Condition\":{\"StringEquals\":{\"s3:prefix\":\"p\",\"aws:RequestedRegion\":\"eu-west-1\"}}}");
    EXPECT_NONE(IAM_R_CONDITION_KEY_NOT_APPLICABLE);
    fini();
    /* NotAction and statements with actions outside the catalog: silent */
    analyze("{\"Effect\":\"Deny\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\","
            "\"Condition\":{\"StringEquals\":{\"ec2:Vpc\":\"v\"}}}");
    EXPECT_NONE(IAM_R_CONDITION_KEY_NOT_APPLICABLE);
    fini();
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:FutureListing\"],\"Resource\":\"*\","
            "\"Condition\":{\"StringEquals\":{\"s3:prefix\":\"p\"}}}");
    EXPECT_NONE(IAM_R_CONDITION_KEY_NOT_APPLICABLE);
}

/* -- condition-type-mismatch -------------------------------------------- */

Test(checks, type_mismatch)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{"
            "\"NumericEquals\":{\"aws:MultiFactorAuthPresent\":\"1\"},"
            "\"IpAddress\":{\"aws:PrincipalAccount\":\"10.0.0.0/8\"},"
            "\"Bool\":{\"aws:CurrentTime\":\"true\"}}}");
    const iam_diag *g = at(IAM_R_CONDITION_TYPE_MISMATCH, "\"aws:MultiFactorAuthPresent\"");
    cr_assert_not_null(g);
    cr_expect(strstr(g->msg, "Bool key") && strstr(g->msg, "NumericEquals"), "%s", g->msg);
    EXPECT_AT(IAM_R_CONDITION_TYPE_MISMATCH, "\"aws:PrincipalAccount\"");
    EXPECT_AT(IAM_R_CONDITION_TYPE_MISMATCH, "\"aws:CurrentTime\"");
    cr_expect_eq(count(IAM_R_CONDITION_TYPE_MISMATCH), 3);
}

Test(checks, type_mismatch_traps)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{"
            "\"StringEquals\":{\"aws:SourceArn\":\"arn:aws:sns:*:1:t\",\"aws:SecureTransport\":\"true\"},"
            "\"StringLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/x\"},"
            "\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:sns:*:*:t\"},"
            "\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"},"
            "\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"},"
            "\"Bool\":{\"aws:SecureTransport\":\"true\"},"
            "\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":\"a\"},"
            "\"Null\":{\"aws:MultiFactorAuthPresent\":\"false\"},"
            "\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}");
    EXPECT_NONE(IAM_R_CONDITION_TYPE_MISMATCH);
}

/* -- resource-mismatch -------------------------------------------------- */

Test(checks, resource_no_action_fits)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":[\"arn:aws:s3:::bucket\","
            "\"arn:aws:s3:::bucket/*\"]}");
    EXPECT_AT(IAM_R_RESOURCE_MISMATCH, "\"arn:aws:s3:::bucket\"");
    cr_expect_eq(count(IAM_R_RESOURCE_MISMATCH), 1);
}

Test(checks, resource_bucket_action_on_objects)
{
    /* the classic: ListBucket acts on the bucket ARN, not on its objects */
    analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    EXPECT_AT(IAM_R_RESOURCE_MISMATCH, "\"arn:aws:s3:::b/*\"");
    cr_expect_eq(count(IAM_R_RESOURCE_MISMATCH), 1);
}

Test(checks, resource_star_only_action)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"arn:aws:s3:::*\"}");
    const iam_diag *g = at(IAM_R_RESOURCE_MISMATCH, "\"arn:aws:s3:::*\"");
    cr_assert_not_null(g);
    cr_expect(strstr(g->msg, "only Resource \"*\""), "%s", g->msg);
    EXPECT_AT(IAM_R_RESOURCE_MISMATCH, "\"s3:ListAllMyBuckets\"");
}

Test(checks, resource_action_without_fitting_resource)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"iam:PassRole\"],"
            "\"Resource\":\"arn:aws:s3:::b/*\"}");
    const iam_diag *g = at(IAM_R_RESOURCE_MISMATCH, "\"iam:PassRole\"");
    cr_assert_not_null(g);
    cr_expect(g->help && strstr(g->help, "role"), "%s", g->help);
    cr_expect_eq(count(IAM_R_RESOURCE_MISMATCH), 1);
}

Test(checks, resource_mismatch_traps)
{
    const char *ok[] = {
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}",
        "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b\"}",
        "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListAllMyBuckets\",\"s3:GetObject\"],\"Resource\":[\"*\",\"arn:aws:s3:::b/*\"]}",
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"NotResource\":\"arn:aws:s3:::b\"}",
        "{\"Effect\":\"Deny\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b\"}",
        "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:FutureAction\"],\"Resource\":\"arn:aws:s3:::b\"}",
        "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::${aws:username}\"}",
        "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::123456789012:role/path/R\"}",
        "{\"Effect\":\"Allow\",\"Action\":\"logs:PutLogEvents\",\"Resource\":\"arn:aws:logs:*:*:log-group:g:*\"}",
        "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::b\"}",
        /* a service the catalog does not know yet: no verdict */
        "{\"Effect\":\"Allow\",\"Action\":[\"*\",\"iam:PassRole\"],\"Resource\":\"arn:aws:newsvc:us-east-1:123456789012:thing/x\"}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        analyze(ok[i]);
        cr_expect_eq(count(IAM_R_RESOURCE_MISMATCH), 0, "case %zu", i);
        if (count(IAM_R_RESOURCE_MISMATCH))
            dump();
        fini();
    }
}

/* -- invalid-arn -------------------------------------------------------- */

Test(checks, invalid_arn)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":[\"arn:aws-xx:s3:::b/*\","
            "\"arn:aws:ec2:useast1:123456789012:instance/i\",\"arn:aws:iam::12345:role/x\",\"arn:aws:s3\","
            "\"arn:aws:s3:::\"]}");
    EXPECT_AT(IAM_R_INVALID_ARN, "\"arn:aws-xx:s3:::b/*\"");
    EXPECT_AT(IAM_R_INVALID_ARN, "\"arn:aws:ec2:useast1:123456789012:instance/i\"");
    EXPECT_AT(IAM_R_INVALID_ARN, "\"arn:aws:iam::12345:role/x\"");
    EXPECT_AT(IAM_R_INVALID_ARN, "\"arn:aws:s3\"");
    EXPECT_AT(IAM_R_INVALID_ARN, "\"arn:aws:s3:::\"");
    cr_expect_eq(count(IAM_R_INVALID_ARN), 5);
    /* invalid ARNs are not also reported as mismatches */
    EXPECT_NONE(IAM_R_RESOURCE_MISMATCH);
}

Test(checks, invalid_arn_traps)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":[\"*\",\"arn:aws:s3:::b\","
            "\"arn:aws-cn:s3:::b\",\"arn:aws:iam::aws:policy/ReadOnlyAccess\",\"arn:aws:s3:*\","
            "\"arn:${aws:partition}:s3:::b\",\"arn:aws:ec2:*:*:instance/*\","
            "\"arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i\"]}");
    EXPECT_NONE(IAM_R_INVALID_ARN);
}

/* -- redundant-action --------------------------------------------------- */

Test(checks, redundant_action)
{
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:Get*\",\"s3:GetObjectAcl\","
            "\"ec2:DescribeInstances\",\"EC2:describeinstances\"],\"Resource\":\"*\"}");
    const iam_diag *g = at(IAM_R_REDUNDANT_ACTION, "\"s3:GetObject\"");
    cr_assert_not_null(g);
    cr_expect(strstr(g->msg, "'s3:Get*'"), "%s", g->msg);
    cr_expect_eq(g->nrelated, 1);
    EXPECT_AT(IAM_R_REDUNDANT_ACTION, "\"s3:GetObjectAcl\"");
    EXPECT_AT(IAM_R_REDUNDANT_ACTION, "\"EC2:describeinstances\"");
    cr_expect_eq(count(IAM_R_REDUNDANT_ACTION), 3);
    fini();
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"s3:Get*\",\"*\"],\"Resource\":\"*\"}");
    EXPECT_AT(IAM_R_REDUNDANT_ACTION, "\"s3:*\"");
    EXPECT_AT(IAM_R_REDUNDANT_ACTION, "\"s3:Get*\"");
    cr_expect_eq(count(IAM_R_REDUNDANT_ACTION), 2);
}

Test(checks, redundant_action_traps)
{
    /* overlapping but neither covers the other; catalog-only coverage of a
     * wildcard (future actions could differ) is not redundancy */
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:*Object\",\"s3:GetObjectAcl\","
            "\"s3:PutObjectAcl\",\"ec2:Describe*\",\"ec2:D*\"],\"Resource\":\"*\"}");
    const iam_diag *g = at(IAM_R_REDUNDANT_ACTION, "\"ec2:Describe*\"");
    cr_expect_not_null(g);   /* ec2:D* is a prefix pattern: real coverage */
    cr_expect_null(at(IAM_R_REDUNDANT_ACTION, "\"s3:*Object\""));
    cr_expect_null(at(IAM_R_REDUNDANT_ACTION, "\"s3:PutObjectAcl\""));
    cr_expect_eq(count(IAM_R_REDUNDANT_ACTION), 2);   /* Describe*, GetObjectAcl */
    fini();
    analyze("{\"Effect\":\"Deny\",\"NotAction\":[\"s3:GetObject\",\"s3:*\"],\"Resource\":\"*\"}");
    EXPECT_NONE(IAM_R_REDUNDANT_ACTION);
    fini();
    analyze("{\"Effect\":\"Allow\",\"Action\":[\"s3:*Object\",\"s3:Get*\"],\"Resource\":\"*\"}");
    EXPECT_NONE(IAM_R_REDUNDANT_ACTION);
}
