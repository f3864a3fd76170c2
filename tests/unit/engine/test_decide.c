#define _POSIX_C_SOURCE 200809L
/* test_decide.c - the decision procedure on policy sets: iam-semantics 3.4
 * and 3.6 vectors that need engine options or org flags, plus trace facts. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define V "'Version':'2012-10-17'"
#define ALLOW_ALL "{" V ",'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}"
#define REQ(p, a, r) "'name':'t','request':{'principal':'" p "','action':'" a "','resource':'" r "'}"
#define U "arn:aws:iam::111111111111:user/alice"
#define S "arn:aws:sts::111111111111:assumed-role/app/s1"

Test(engine_decide, caller_identity_is_unconditional)
{
    const char *s = "{" REQ(U, "sts:GetCallerIdentity", "*") ",'identityPolicies':[{" V
                    ",'Statement':{'Effect':'Deny','Action':'*','Resource':'*'}}]}";
    cr_assert_str_eq(simq(s, 0), "allow");
    cr_assert_str_eq(simq(s, IAM_ENGINE_NO_CALLER_IDENTITY_EXEMPTION), "explicit-deny");
}

Test(engine_decide, management_account_skips_scps)
{
    const char *s = "{" REQ(U, "s3:GetObject", "arn:aws:s3:::b/k") ",'identityPolicies':[" ALLOW_ALL
                    "],'scps':[[{" V ",'Statement':{'Effect':'Deny','Action':'*','Resource':'*'}}]]}";
    cr_assert_str_eq(simq_org(s, false, false), "explicit-deny");
    cr_assert_str_eq(simq_org(s, true, false), "allow");
}

Test(engine_decide, management_resource_skips_rcps)
{
    const char *s = "{" REQ(U, "s3:GetObject", "arn:aws:s3:::b/k") ",'identityPolicies':[" ALLOW_ALL
                    "],'rcps':[[{" V ",'Statement':{'Effect':'Deny','Principal':'*','Action':'s3:*','Resource':'*'}}]]}";
    cr_assert_str_eq(simq_org(s, false, false), "explicit-deny");
    cr_assert_str_eq(simq_org(s, false, true), "allow");
}

Test(engine_decide, service_linked_role_skips_scps)
{
    const char *s = "{" REQ("arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
                            "s3:GetObject", "arn:aws:s3:::b/k")
                    ",'identityPolicies':[" ALLOW_ALL "],'scps':[[]]}";
    cr_assert_str_eq(simq(s, 0), "allow");
}

/* NotPrincipal exempting only the session: exempt by default
 * (scenario-format 5.3), denied under notprincipal-strict (iam-semantics 2.6). */
Test(engine_decide, notprincipal_session_only)
{
    const char *s = "{" REQ(S, "s3:GetObject", "arn:aws:s3:::b/k") ",'identityPolicies':[" ALLOW_ALL
                    "],'resourcePolicy':{" V ",'Statement':{'Effect':'Deny','NotPrincipal':{'AWS':'" S
                    "'},'Action':'s3:*','Resource':'*'}}}";
    cr_assert_str_eq(simq(s, 0), "allow");
    cr_assert_str_eq(simq(s, IAM_ENGINE_NOTPRINCIPAL_STRICT), "explicit-deny");
    const char *all = "{" REQ(S, "s3:GetObject", "arn:aws:s3:::b/k") ",'identityPolicies':[" ALLOW_ALL
                      "],'resourcePolicy':{" V ",'Statement':{'Effect':'Deny','NotPrincipal':{'AWS':['" S
                      "','arn:aws:iam::111111111111:role/app','111111111111']},'Action':'s3:*','Resource':'*'}}}";
    cr_assert_str_eq(simq(all, IAM_ENGINE_NOTPRINCIPAL_STRICT), "allow");
}

Test(engine_decide, notprincipal_deny_hits_boundary_callers)
{
    const char *s = "{" REQ(S, "s3:GetObject", "arn:aws:s3:::b/k") ",'identityPolicies':[" ALLOW_ALL
                    "],'permissionBoundary':" ALLOW_ALL
                    ",'resourcePolicy':{" V ",'Statement':{'Effect':'Deny','NotPrincipal':{'AWS':['" S
                    "','arn:aws:iam::111111111111:role/app','111111111111']},'Action':'s3:*','Resource':'*'}}}";
    cr_assert_str_eq(simq(s, 0), "explicit-deny");
}

Test(engine_decide, session_policy_and_session_grant)
{
    const char *s = "{" REQ(S, "s3:GetObject", "arn:aws:s3:::b/k")
                    ",'sessionPolicy':{" V ",'Statement':{'Effect':'Allow','Action':'sqs:*','Resource':'*'}}"
                    ",'resourcePolicy':{" V ",'Statement':{'Effect':'Allow','Principal':{'AWS':'" S
                    "'},'Action':'s3:*','Resource':'*'}}}";
    cr_assert_str_eq(simq(s, 0), "allow");
    cr_assert_str_eq(simq(s, IAM_ENGINE_SESSION_CLIPS_DIRECT), "implicit-deny");
}

Test(engine_decide, federated_user_session_policy_option)
{
    const char *s = "{" REQ("arn:aws:sts::111111111111:federated-user/bob", "s3:GetObject",
                            "arn:aws:s3:::b/k") ",'identityPolicies':[" ALLOW_ALL "]}";
    cr_assert_str_eq(simq(s, 0), "allow");
    cr_assert_str_eq(simq(s, IAM_ENGINE_FEDERATED_NEEDS_SESSION_POLICY), "implicit-deny");
}

Test(engine_decide, arn_prefix_case_option)
{
    const char *s = "{" REQ(U, "s3:GetObject", "arn:aws:s3:::b/k") ",'identityPolicies':[{" V
                    ",'Statement':{'Effect':'Allow','Action':'*','Resource':'arn:AWS:S3:::b/k'}}]}";
    cr_assert_str_eq(simq(s, 0), "implicit-deny");
    cr_assert_str_eq(simq(s, IAM_ENGINE_ARN_PREFIX_ICASE), "allow");
}

Test(engine_decide, unresolved_variable_in_notresource)
{
    const char *s = "{" REQ(U, "s3:GetObject", "arn:aws:s3:::b/k") ",'identityPolicies':[" ALLOW_ALL
                    ",{" V ",'Statement':{'Effect':'Deny','Action':'*','NotResource':'arn:aws:s3:::${aws:username}/*'}}]}";
    cr_assert_str_eq(simq(s, 0), "allow");
    cr_assert_str_eq(simq(s, IAM_ENGINE_VARS_NULL), "explicit-deny");
}

Test(engine_decide, invalid_scenarios_rejected)
{
    cr_assert_str_eq(simq("{" REQ("arn:aws:iam::111111111111:root", "s3:GetObject", "*") "}", 0), "error");
    cr_assert_str_eq(simq("{" REQ("*", "s3:GetObject", "arn:aws:s3:::b/k") "}", 0), "error");
    cr_assert_str_eq(simq("{" REQ(U, "s3:Get*", "*") "}", 0), "error");
    cr_assert_str_eq(simq("{" REQ("*", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q")
                          ",'identityPolicies':[" ALLOW_ALL "]}", 0), "error");
    cr_assert_str_eq(simq("{" REQ("*", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q")
                          ",'identityPolicies':[]}", 0), "implicit-deny");
    cr_assert_str_eq(simq("{" REQ(U, "s3:GetObject", "*") ",'sessionPolicy':" ALLOW_ALL "}", 0), "error");
    cr_assert_str_eq(simq("{" REQ(U, "s3:GetObject", "*") ",'identityPolicies':[{" V
                          ",'Statement':{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}}]}", 0), "error");
    cr_assert_str_eq(simq("{" REQ(U, "s3:GetObject", "*") ",'expect':'deny'}", 0), "error");
    cr_assert_str_eq(simq("{" REQ(U, "s3:GetObject", "*") ",'scps':[" ALLOW_ALL "]}", 0), "error");
}

Test(engine_decide, trace_reports_failed_condition)
{
    const char *json =
        "{\"name\":\"t\",\"request\":{\"principal\":\"" U "\",\"action\":\"s3:GetObject\","
        "\"resource\":\"arn:aws:s3:::b/k\",\"context\":{\"aws:SourceIp\":\"10.0.0.1\"}},"
        "\"identityPolicies\":[{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"Net\",\"Effect\":\"Allow\","
        "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}}}]}";
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    cr_assert_eq(iam_scenario_from_source(iam_source_from_mem("t", json, strlen(json)), 0, &d, &s), IAM_OK);
    iam_engine *e = iam_engine_compile(&s->set, NULL);
    iam_trace t;
    iam_trace_init(&t);
    cr_assert_eq(iam_engine_evaluate(e, &s->req, &t), IAM_DECISION_IMPLICIT_DENY);
    cr_assert_eq(t.n, 1);
    cr_assert_eq(t.v[0].miss, IAM_MISS_CONDITION);
    cr_assert_str_eq(t.v[0].src->sid, "Net");
    cr_assert_str_eq(t.v[0].key->text, "aws:SourceIp");
    cr_assert_str_eq(t.v[0].value, "10.0.0.1");
    cr_assert_eq(t.path, IAM_PATH_NONE);
    iam_trace_fini(&t);
    iam_engine_free(e);
    iam_scenario_free(s);
    iam_diags_fini(&d);
}

/* The account root user (library only; scenario files reject it):
 * implicitly allowed in its account, still bound by SCPs (3.6 #11). */
static const char *as_root(const char *sq)
{
    char *json = strdup(sq);
    for (char *p = json; *p; p++)
        if (*p == '\'')
            *p = '"';
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    const char *r = "error";
    if (iam_scenario_from_source(iam_source_from_mem("t", json, strlen(json)), 0, &d, &s) == IAM_OK) {
        s->req.principal = "arn:aws:iam::111111111111:root";
        iam_engine *e = iam_engine_compile(&s->set, NULL);
        iam_trace t;
        iam_trace_init(&t);
        r = iam_decision_name(iam_engine_evaluate(e, &s->req, &t));
        cr_assert_eq(t.caller.kind, IAM_CALLER_ROOT);
        iam_trace_fini(&t);
        iam_engine_free(e);
    }
    iam_scenario_free(s);
    iam_diags_fini(&d);
    free(json);
    return r;
}

Test(engine_decide, root_user)
{
    cr_assert_str_eq(as_root("{" REQ(U, "s3:GetObject", "arn:aws:s3:::b/k") "}"), "allow");
    cr_assert_str_eq(as_root("{" REQ(U, "s3:GetObject", "arn:aws:s3:::b/k") ",'scps':[[{" V
                             ",'Statement':{'Effect':'Deny','Action':'s3:*','Resource':'*'}}]]}"),
                     "explicit-deny");
    /* another account's resource: needs the resource policy to name the account */
    cr_assert_str_eq(as_root("{" REQ(U, "sqs:SendMessage", "arn:aws:sqs:us-east-1:222222222222:q") "}"),
                     "implicit-deny");
    cr_assert_str_eq(as_root("{" REQ(U, "sqs:SendMessage", "arn:aws:sqs:us-east-1:222222222222:q")
                             ",'resourcePolicy':{" V ",'Statement':{'Effect':'Allow','Principal':{'AWS':'111111111111'},"
                             "'Action':'sqs:*','Resource':'*'}}}"),
                     "allow");
}

/* 2.3.8: ec2:RunInstances needs every (action, ARN) pair allowed; the
 * classic StringLike ec2:InstanceType pitfall fails on the non-instance ARNs. */
Test(engine_decide, multi_resource_actions)
{
    const char *json =
        "{\"identityPolicies\":[{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Effect\":\"Allow\",\"Action\":\"ec2:RunInstances\",\"Resource\":\"*\","
        "\"Condition\":{\"StringLikeIfExists\":{\"ec2:InstanceType\":\"t3.*\"}}},"
        "{\"Effect\":\"Deny\",\"Action\":\"ec2:RunInstances\",\"Resource\":\"arn:aws:ec2:*:*:subnet/subnet-bad\"}]}]}";
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    cr_assert_eq(iam_scenario_from_source(iam_source_from_mem("t", json, strlen(json)),
                                          IAM_SCENARIO_POLICIES_ONLY, &d, &s), IAM_OK);
    iam_engine *e = iam_engine_compile(&s->set, NULL);
    const char *v[] = {"t3.micro"};
    iam_ctx_entry ctx = {"ec2:InstanceType", v, 1, false};
    iam_request r = {"arn:aws:iam::111111111111:user/u", "ec2:RunInstances", NULL, NULL, &ctx, 1, false};
    const char *ok[] = {"arn:aws:ec2:us-east-1:111111111111:instance/*",
                        "arn:aws:ec2:us-east-1::image/ami-1",
                        "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-good"};
    size_t at;
    cr_assert_eq(iam_engine_evaluate_all(e, &r, ok, 3, &at), IAM_DECISION_ALLOW);
    cr_assert_eq(at, 3);
    const char *bad[] = {ok[0], "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-bad", ok[1]};
    cr_assert_eq(iam_engine_evaluate_all(e, &r, bad, 3, &at), IAM_DECISION_EXPLICIT_DENY);
    cr_assert_eq(at, 1);
    const char *m5[] = {"m5.large"};
    ctx.values = m5;
    cr_assert_eq(iam_engine_evaluate_all(e, &r, ok, 3, &at), IAM_DECISION_IMPLICIT_DENY);
    cr_assert_eq(at, 0);
    iam_engine_free(e);
    iam_scenario_free(s);
    iam_diags_fini(&d);
}
