/* test_compile.c - the intent compiler: catalog resolution, grouping,
 * conditions, targets, quotas and splitting, verification and asserts,
 * and the diagnostics (rule, message, help) of each error class. */
#include <stdio.h>

#include "tests/unit/core/params.h"
#include "tests/unit/intent/helpers.h"

static bool has(const crun *r, size_t doc, const char *needle)
{
    return doc < r->ndocs && strstr(r->docs[doc].json, needle) != NULL;
}

static void expect_ok(crun *r)
{
    cr_assert_eq(r->st, IAM_OK, "compile failed: %s %s", rule_of(&r->d, 0), r->d.n ? r->d.v[0].msg : "");
    cr_assert_eq(r->d.n, 0);
}

static void expect_error(crun *r, const char *rule, const char *msg)
{
    cr_assert_neq(r->st, IAM_OK);
    cr_assert_geq(r->d.n, 1);
    cr_assert_str_eq(rule_of(&r->d, 0), rule);
    cr_assert_str_eq(r->d.v[0].msg, msg);
    cr_assert_eq(r->ndocs, 0, "a failing policy produced documents");
}

Test(intent_compile, access_levels_follow_resource_types)
{
    crun r;
    icompile(&r, "policy p for role { read on \"arn:aws:s3:::b/*\" }");
    expect_ok(&r);
    cr_assert_eq(r.ndocs, 1);
    cr_assert_str_eq(r.docs[0].file, "p.json");
    cr_assert(has(&r, 0, "\"s3:GetObject\""));
    cr_assert_not(has(&r, 0, "s3:PutObject"));
    cr_assert_not(has(&r, 0, "s3:GetBucketPolicy"), "a bucket action on an object ARN");
    /* Wildcard-only read actions of the service get Resource "*". */
    cr_assert(has(&r, 0, "\"Resource\": \"*\""));
    cr_assert(has(&r, 0, "\"s3:GetAccountPublicAccessBlock\""));
    cr_assert_not(has(&r, 0, "ssm:"), "another service's actions on an S3 ARN");
    cfree(&r);
}

Test(intent_compile, wildcard_only_allow_goes_to_star)
{
    crun r;
    icompile(&r, "policy p for role { allow s3:ListAllMyBuckets, s3:GetObject on \"arn:aws:s3:::b/*\" }");
    expect_ok(&r);
    cr_assert(has(&r, 0, "\"Action\": \"s3:ListAllMyBuckets\",\n      \"Resource\": \"*\""));
    cr_assert(has(&r, 0, "\"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::b/*\""));
    cfree(&r);
}

Test(intent_compile, exclude_and_whole_service)
{
    crun r;
    icompile(&r, "policy p for role {\n allow sqs:* on *\n exclude sqs:Delete*\n}");
    expect_ok(&r);
    cr_assert_not(has(&r, 0, "sqs:DeleteQueue"));
    cr_assert_not(has(&r, 0, "\"sqs:*\""));
    cr_assert(has(&r, 0, "sqs:SendMessage"));
    cfree(&r);
    icompile(&r, "policy p for role { allow sqs:* on * }");
    expect_ok(&r);
    cr_assert(has(&r, 0, "\"Action\": \"sqs:*\""));
    cfree(&r);
}

Test(intent_compile, require_mfa_is_a_deny)
{
    crun r;
    icompile(&r, "policy p for user { allow iam:GetUser on * \n require mfa for iam:* }");
    expect_ok(&r);
    cr_assert(has(&r, 0, "\"Effect\": \"Deny\""));
    cr_assert(has(&r, 0, "\"BoolIfExists\": {\n          \"aws:MultiFactorAuthPresent\": \"false\""));
    cfree(&r);
}

Test(intent_compile, unless_splits_per_condition)
{
    crun r;
    icompile(&r, "guardrail g for scp { deny s3:* on * unless mfa and source ip \"10.0.0.0/8\" }");
    expect_ok(&r);
    const char *j = r.docs[0].json;
    cr_assert(strstr(j, "\"BoolIfExists\""));
    cr_assert(strstr(j, "\"NotIpAddress\""));
    cr_assert(strstr(strstr(j, "\"Deny\"") + 1, "\"Deny\""), "two statements");
    cfree(&r);
}

Test(intent_compile, raw_condition_negated)
{
    crun r;
    icompile(&r, "guardrail g for scp { deny ec2:RunInstances on * unless \"numericlessthan\" \"ec2:VolumeSize\" == \"100\" }");
    expect_ok(&r);
    cr_assert(has(&r, 0, "\"NumericGreaterThanEquals\""));
    cfree(&r);
}

Test(intent_compile, via_means_kms_via_service_for_kms)
{
    crun r;
    icompile(&r, "policy p for role {\n allow kms:Decrypt on * when via \"s3.us-east-1.amazonaws.com\"\n"
                 " allow s3:GetObject on \"arn:aws:s3:::b/*\" when via \"cloudformation.amazonaws.com\"\n}");
    expect_ok(&r);
    cr_assert(has(&r, 0, "\"kms:ViaService\""));
    cr_assert(has(&r, 0, "\"ForAnyValue:StringEquals\": {\n          \"aws:CalledVia\""));
    cfree(&r);
}

Test(intent_compile, resource_policy_principals)
{
    crun r;
    icompile(&r, "policy b for resource {\n principal \"arn:aws:iam::111122223333:role/r\"\n principal service \"lambda.amazonaws.com\"\n"
                 " allow s3:GetObject on \"arn:aws:s3:::b/*\"\n"
                 " assert allows s3:GetObject on \"arn:aws:s3:::b/k\"\n"
                 " assert denies s3:GetObject on \"arn:aws:s3:::b/k\" as \"arn:aws:iam::111122223333:role/other\"\n}");
    expect_ok(&r);
    cr_assert(has(&r, 0, "\"AWS\": \"arn:aws:iam::111122223333:role/r\""));
    cr_assert(has(&r, 0, "\"Service\": \"lambda.amazonaws.com\""));
    cfree(&r);
}

Test(intent_compile, rcp_has_principal_star)
{
    crun r;
    icompile(&r, "guardrail g for rcp { deny s3:* on * unless org \"o-1\" \n"
                 " assert denies s3:GetObject on \"arn:aws:s3:::b/k\" with \"aws:PrincipalOrgID\" = \"o-2\"\n"
                 " assert allows s3:GetObject on \"arn:aws:s3:::b/k\" with \"aws:PrincipalOrgID\" = \"o-1\" }");
    expect_ok(&r);
    cr_assert(has(&r, 0, "\"Principal\": \"*\""));
    cfree(&r);
}

Test(intent_compile, asserts_fail_with_the_decision)
{
    crun r;
    icompile(&r, "policy p for role {\n read on \"arn:aws:s3:::b/*\"\n assert allows s3:PutObject on \"arn:aws:s3:::b/k\"\n}");
    expect_error(&r, "intent-assert", "assertion failed: s3:PutObject on 'arn:aws:s3:::b/k' is not allowed (implicit deny)");
    cr_assert_eq(r.d.v[0].span.line, 3);
    cr_assert_str_eq(r.d.v[0].help,
                     "evaluated as arn:aws:iam::111122223333:role/iampc-assert with the compiled policy of policy 'p'");
    cfree(&r);
}

Test(intent_compile, boundary_assert_uses_allow_all_identity)
{
    crun r;
    icompile(&r, "policy b for boundary {\n allow s3:GetObject on \"arn:aws:s3:::b/*\"\n"
                 " assert allows s3:GetObject on \"arn:aws:s3:::b/k\"\n assert denies s3:PutObject on \"arn:aws:s3:::b/k\"\n}");
    expect_ok(&r);
    cfree(&r);
}

Test(intent_compile, scp_allow_list_stands_alone)
{
    crun r;
    icompile(&r, "guardrail g for scp {\n allow s3:* on *\n"
                 " assert allows s3:GetObject on \"arn:aws:s3:::b/k\"\n"
                 " assert denies ec2:RunInstances on \"*\"\n}");
    expect_ok(&r);
    cfree(&r);
    icompile(&r, "guardrail g for scp {\n deny ec2:* on *\n assert allows s3:GetObject on \"arn:aws:s3:::b/k\"\n}");
    expect_ok(&r);
    cfree(&r);
}

Test(intent_compile, verification_catches_tampering)
{
    crun r;
    iam_compile_opts o = {.no_minimize = true, .tamper = true};
    icompile_opts(&r, "policy p for role { allow s3:GetObject, s3:PutObject on \"arn:aws:s3:::b/*\" }", o);
    expect_error(&r, "intent-verify", "verification failed for policy 'p' on 'arn:aws:s3:::b/*': the output lacks s3:PutObject");
    cfree(&r);
}

Test(intent_compile, split_under_max_size)
{
    crun r;
    iam_compile_opts o = {.no_minimize = true, .max_size = 700};
    icompile_opts(&r, "policy p for role { read, list on \"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\" \n"
                      " assert allows s3:GetObject on \"arn:aws:s3:::b/k\" }", o);
    expect_ok(&r);
    cr_assert_gt(r.ndocs, 1);
    for (size_t i = 0; i < r.ndocs; i++) {
        char want[32];
        snprintf(want, sizeof want, "p-%zu.json", i + 1);
        cr_assert_str_eq(r.docs[i].file, want);
        cr_assert_leq(r.docs[i].size, 700);
        cr_assert_eq(r.docs[i].parts, r.ndocs);
    }
    cfree(&r);
}

Test(intent_compile, boundary_cannot_split)
{
    crun r;
    iam_compile_opts o = {.no_minimize = true, .max_size = 700};
    icompile_opts(&r, "policy b for boundary { read, list on \"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\" }", o);
    cr_assert_neq(r.st, IAM_OK);
    cr_assert_str_eq(rule_of(&r.d, 0), "intent-size");
    cr_assert_eq(r.ndocs, 0);
    cfree(&r);
}

Test(intent_compile, deterministic)
{
    const char *t = "policy p for role { read, write, list on \"arn:aws:dynamodb:us-east-1:111122223333:table/t\" "
                    "allow kms:Decrypt on * when via \"x.amazonaws.com\" and tag \"b\" == \"2\", \"1\" }";
    crun a, b;
    icompile(&a, t);
    icompile(&b, t);
    expect_ok(&a);
    cr_assert_eq(a.ndocs, b.ndocs);
    cr_assert_str_eq(a.docs[0].json, b.docs[0].json);
    cfree(&a);
    cfree(&b);
}

Test(intent_compile, minimized_output_is_verified)
{
    crun r;
    iam_compile_opts o = {0};
    icompile_opts(&r, "policy p for role { read, list on \"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\" \n"
                      " assert allows s3:GetObject on \"arn:aws:s3:::b/k\" }", o);
    expect_ok(&r);
    cr_assert_geq(r.ndocs, 1);
    cr_assert_not(has(&r, 0, "s3:GetO*"), "a new wildcard without new_wildcards");
    cfree(&r);
    o.new_wildcards = true;
    icompile_opts(&r, "policy p for role { read, list on \"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\" \n"
                      " assert allows s3:GetObject on \"arn:aws:s3:::b/k\" }", o);
    expect_ok(&r);
    cfree(&r);
}

typedef struct err_case {
    const char *text;
    const char *rule;
    const char *msg;
    const char *help;   /* NULL: not checked */
} err_case;

static const err_case errors_cases[] = {
    {"let bucket = \"b\"\npolicy p for role { read on \"${bukcet}\" }", "intent-undefined",
     "undefined variable 'bukcet'", "did you mean 'bucket'?"},
    {"policy p for role { allow s3:GetObject on * }\npolicy p for user { allow s3:GetObject on * }",
     "intent-undefined", "duplicate policy name 'p'", NULL},
    {"include \"x.iam\"", "intent-undefined", "include is disabled here", NULL},
    {"policy p for role { allow s4:GetObject on * }", "intent-unknown-action", "unknown service 's4'",
     "did you mean 's3'?"},
    {"policy p for role { allow s3:GetObjekt on * }", "intent-unknown-action",
     "unknown action 's3:GetObjekt' in service 's3'", "did you mean 's3:GetObject'?"},
    {"policy p for role { allow s3:Zz* on * }", "intent-unknown-action",
     "'s3:Zz*' matches no action of service 's3'", NULL},
    {"policy p for role { allow s3: on * }", "intent-unknown-action", "action 's3:' has no name after ':'", NULL},
    {"policy p for role { read on \"arn:aws:s3\" }", "intent-arn",
     "invalid ARN 'arn:aws:s3': an ARN has six fields, arn:partition:service:region:account:resource", NULL},
    {"policy p for role { read on \"bucket\" }", "intent-arn", "invalid ARN 'bucket': an ARN starts with 'arn:'", NULL},
    {"policy p for role { read on \"arn:aws:s4:::b\" }", "intent-arn",
     "no resource type has ARNs of service 's4'", "did you mean 's3'?"},
    {"policy p for role { read on \"arn:aws:dynamodb:us-east-1:111122223333:tabel/t\" }", "intent-arn",
     "'arn:aws:dynamodb:us-east-1:111122223333:tabel/t' fits no resource type of the catalog", NULL},
    {"policy p for role { allow s3:GetObject on \"arn:aws:s3:::b\" }", "intent-arn",
     "s3:GetObject acts on no resource listed here", NULL},
    {"policy p for role { read on * }", "intent-arn", "access levels need ARNs to choose actions, not '*'", NULL},
    {"policy p for role { allow s3:GetObject on * when \"StringEquals\" \"aws:SourceAcount\" == \"1\" }",
     "intent-condition", "unknown condition key 'aws:SourceAcount'", "did you mean 'aws:SourceAccount'?"},
    {"policy p for role { allow s3:GetObject on * when \"StringEqual\" \"aws:SourceAccount\" == \"1\" }",
     "intent-condition", "unknown condition operator 'StringEqual'", "did you mean 'StringEquals'?"},
    {"policy p for role { deny s3:GetObject on * unless \"ForAnyValue:StringEquals\" \"aws:CalledVia\" == \"1\" }",
     "intent-condition",
     "'unless' cannot negate 'ForAnyValue:StringEquals'; write the negated condition with 'when'", NULL},
    {"guardrail g for rcp { allow s3:GetObject on * }", "intent-target", "a resource control policy can only deny", NULL},
    {"policy p for scp { principal * }", "intent-target",
     "'principal' is only allowed in a policy for resource (a scp policy has no Principal)", NULL},
    {"policy p for resource { allow s3:GetObject on * }", "intent-target", "resource policy 'p' names no principal", NULL},
    {"policy p for role { }", "intent-target", "policy 'p' grants and denies nothing", NULL},
    {"policy p for role { allow s3:GetObject on * \n assert allows s3:Get* on \"x\" }", "intent-unknown-action",
     "an assert names one action, not a pattern", NULL},
};

IAM_TABLE_PARAMS(intent_compile, errors, errors_cases)

ParameterizedTest(size_t *i, intent_compile, errors)
{
    const err_case *c = &errors_cases[*i];
    crun r;
    icompile(&r, c->text);
    cr_assert_neq(r.st, IAM_OK, "accepted: %s", c->text);
    cr_assert_geq(r.d.n, 1);
    cr_assert_str_eq(rule_of(&r.d, 0), c->rule, "%s: %s", c->text, r.d.v[0].msg);
    cr_assert_str_eq(r.d.v[0].msg, c->msg);
    cr_assert_neq(r.d.v[0].span.line, 0, "no position for %s", c->text);
    if (c->help)
        cr_assert_str_eq(r.d.v[0].help ? r.d.v[0].help : "(none)", c->help);
    cfree(&r);
}
