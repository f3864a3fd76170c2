/* test_stmt.c - statement-level risk rules (analyzer/risk_stmt.c) on
 * identity policies: true positives with rule, line:col and the text under
 * the span, and false-positive traps (conditions that really restrict and
 * ones that only seem to, Deny, NotAction, wildcard-only actions, resource
 * policies where "*" is the resource itself). */
#include "helpers.h"

#define HEAD "{'Version': '2012-10-17', 'Statement': [\n"
#define TAIL "\n]}"
/* Statement lines start at column 3; after these prefixes the Action value
 * is at column 33 (Allow), 32 (Deny), and NotAction's at 36. */
#define ALLOW "  {'Effect': 'Allow', 'Action': "
#define DENY "  {'Effect': 'Deny', 'Action': "
#define ALLOW_NOT "  {'Effect': 'Allow', 'NotAction': "

static const char ID[] = "identity/p.json";

/* -- admin-access ---------------------------------------------------------- */

Test(risk, admin_access_star)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'*', 'Resource': '*'}" TAIL);
    const iam_diag *g = expect_at(an, "admin-access", ID, 2, 33, "\"*\"", "full administrator access");
    cr_assert_eq(g->sev, IAM_SEV_SECURITY);
    cr_assert_str_eq(g->policy_type, "identity");
    cr_assert_not_null(g->help);
    expect_count(an, "admin-access", 1);
    /* admin-access says it all: no pile of narrower findings on the same statement */
    expect_none(an, "resource-star");
    expect_none(an, "service-wildcard");
    expect_none(an, "permissions-management");
    expect_none(an, "passrole-unrestricted");
    iam_analyzer_free(an);
}

Test(risk, admin_access_star_among_other_actions)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['s3:GetObject', '*'], 'Resource': ['arn:aws:s3:::b/*', '*']}" TAIL);
    expect_at(an, "admin-access", ID, 2, 50, "\"*\"", "full administrator access");
    iam_analyzer_free(an);
}

Test(risk, admin_access_not_action_short_exclusion)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW_NOT "['iam:*', 'organizations:*'], 'Resource': '*'}" TAIL);
    expect_at(an, "admin-access", ID, 2, 36, "[\"iam:*\"", "NotAction excludes only");
    expect_at(an, "allow-not-action", ID, 2, 36, "[\"iam:*\"", NULL);
    iam_analyzer_free(an);
}

Test(risk, admin_access_not_action_with_not_resource)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW_NOT "'iam:*', 'NotResource': 'arn:aws:s3:::audit/*'}" TAIL);
    expect_at(an, "admin-access", ID, 2, 36, "\"iam:*\"", "NotAction excludes only");
    expect_at(an, "allow-not-resource", ID, 2, 60, "\"arn:aws:s3:::audit/*\"", NULL);
    iam_analyzer_free(an);
}

/* Conditions that only seem to restrict: the key may be absent and the
 * operator passes then (IfExists, negated), ForAllValues without a Null
 * guard passes vacuously, StringLike "*" matches anything present. */
static const char *const ADMIN_WEAK_CONDS[] = {
    "{'StringEqualsIfExists': {'aws:ResourceTag/env': 'dev'}}",
    "{'ForAllValues:StringEquals': {'aws:TagKeys': ['env']}}",
    "{'StringNotEquals': {'aws:PrincipalTag/team': 'contractors'}}",
    "{'StringLike': {'aws:PrincipalArn': '*'}}",
    "{'NotIpAddress': {'aws:SourceIp': '198.51.100.0/24'}}",
    "{'BoolIfExists': {'aws:MultiFactorAuthPresent': 'true'}}",
    "{'ArnNotLike': {'aws:PrincipalArn': 'arn:aws:iam::*:role/Intern*'}}",
    /* caller-controlled headers are never a security control (iam-semantics.md 5) */
    "{'StringLike': {'aws:UserAgent': '*Terraform*'}}",
    "{'StringEquals': {'aws:Referer': 'https://console.example.com/'}}",
};
TABLE_PARAMS(risk, admin_access_weak_condition_still_fires, ADMIN_WEAK_CONDS)
ParameterizedTest(size_t *i, risk, admin_access_weak_condition_still_fires)
{
    static char ctx_[600];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD ALLOW "'*', 'Resource': '*', 'Condition': %s}" TAIL, ADMIN_WEAK_CONDS[*i]);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(ID, doc);
    expect_at(an, "admin-access", ID, 2, 33, "\"*\"", NULL);
    iam_analyzer_free(an);
}

/* Conditions that restrict the request: a positive operator on a key (an
 * absent key fails it), Null, ForAllValues with a Null guard, negated
 * operators on keys every request carries. */
static const char *const ADMIN_REAL_CONDS[] = {
    "{'Bool': {'aws:MultiFactorAuthPresent': 'true'}}",
    "{'IpAddress': {'aws:SourceIp': '203.0.113.0/24'}}",
    "{'StringEquals': {'aws:PrincipalTag/role': 'breakglass'}}",
    "{'ForAllValues:StringEquals': {'aws:TagKeys': ['env']}, 'Null': {'aws:TagKeys': 'false'}}",
    "{'NumericLessThan': {'aws:MultiFactorAuthAge': '900'}}",
    "{'StringNotEquals': {'aws:RequestedRegion': 'us-east-1'}}",
};
TABLE_PARAMS(risk, admin_access_restricting_condition_is_clean, ADMIN_REAL_CONDS)
ParameterizedTest(size_t *i, risk, admin_access_restricting_condition_is_clean)
{
    static char ctx_[600];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD ALLOW "'*', 'Resource': '*', 'Condition': %s}" TAIL, ADMIN_REAL_CONDS[*i]);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(ID, doc);
    expect_none(an, "admin-access");
    iam_analyzer_free(an);
}

Test(risk, admin_access_traps)
{
    /* Deny of everything is a guardrail, not a grant */
    iam_analyzer *an = analyze1(ID, HEAD DENY "'*', 'Resource': '*'}" TAIL);
    expect_none(an, "admin-access");
    iam_analyzer_free(an);
    /* "*" on one bucket's objects is not every resource */
    an = analyze1(ID, HEAD ALLOW "'*', 'Resource': 'arn:aws:s3:::reports/*'}" TAIL);
    expect_none(an, "admin-access");
    iam_analyzer_free(an);
    /* NotAction excluding whole large services leaves well under 95% */
    an = analyze1(ID, HEAD ALLOW_NOT "['ec2:*', 'sagemaker:*', 'iot:*', 'quicksight:*', 'glue:*', 'connect:*', 'rds:*', "
                                    "'iam:*', 'redshift:*', 'elasticmapreduce:*', 'cloudformation:*', 's3:*', 'ssm:*', "
                                    "'lambda:*', 'mediaconvert:*', 'chime:*', 'lightsail:*', 'greengrass:*', 'apigateway:*', "
                                    "'medialive:*', 'kafka:*', 'es:*', 'elasticloadbalancing:*', 'dynamodb:*', 'ecs:*'], "
                                    "'Resource': '*'}" TAIL);
    expect_none(an, "admin-access");
    expect_at(an, "allow-not-action", ID, 2, 36, "[", NULL);
    iam_analyzer_free(an);
}

/* Action "*" on every S3 object is all of S3, not all of AWS: the message
 * "every action on every resource" would be false. */
Test(risk, admin_access_not_for_service_scoped_resource)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'*', 'Resource': 'arn:aws:s3:::*'}" TAIL);
    expect_none(an, "admin-access");
    iam_analyzer_free(an);
}

/* -- service-wildcard -------------------------------------------------------- */

Test(risk, service_wildcard)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['sqs:SendMessage', 's3:*'], 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    const iam_diag *g = expect_at(an, "service-wildcard", ID, 2, 53, "\"s3:*\"", "\"s3:*\" allows all");
    cr_assert(strstr(g->msg, "Permissions management"), "names the access levels: %s", g->msg);
    cr_assert_eq(g->sev, IAM_SEV_WARNING);
    expect_count(an, "service-wildcard", 1);
    iam_analyzer_free(an);
}

Test(risk, service_wildcard_each_entry)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['S3:*', 'sqs:*'], 'Resource': 'arn:aws:s3:::b'}" TAIL);
    expect_at(an, "service-wildcard", ID, 2, 34, "\"S3:*\"", "s3");
    expect_at(an, "service-wildcard", ID, 2, 42, "\"sqs:*\"", "sqs");
    iam_analyzer_free(an);
}

Test(risk, service_wildcard_traps)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'s3:Get*', 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    expect_none(an, "service-wildcard");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD DENY "'s3:*', 'Resource': '*'}" TAIL);
    expect_none(an, "service-wildcard");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW_NOT "'s3:*', 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    expect_none(an, "service-wildcard");
    iam_analyzer_free(an);
}

/* -- resource-star ---------------------------------------------------------- */

Test(risk, resource_star)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['s3:GetObject', 'ec2:DescribeInstances'], 'Resource': '*'}" TAIL);
    const iam_diag *g = expect_at(an, "resource-star", ID, 2, 88, "\"*\"", "1 action that can be scoped");
    cr_assert(strstr(g->msg, "s3:GetObject"), "%s", g->msg);
    cr_assert(strstr(g->msg, "object"), "names the resource type: %s", g->msg);
    iam_analyzer_free(an);
}

Test(risk, resource_star_in_a_list)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'sqs:SendMessage', 'Resource': ['arn:aws:sqs:us-east-1:111122223333:q', '*']}" TAIL);
    expect_at(an, "resource-star", ID, 2, 105, "\"*\"", "sqs:SendMessage");
    iam_analyzer_free(an);
}

/* Actions that only accept "*" cannot be scoped: nothing to report. */
Test(risk, resource_star_wildcard_only_actions)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['ec2:DescribeInstances', 's3:ListAllMyBuckets', 'sts:GetCallerIdentity', "
                                              "'iam:ListRoles', 'logs:DescribeLogGroups'], 'Resource': '*'}" TAIL);
    expect_none(an, "resource-star");
    iam_analyzer_free(an);
}

Test(risk, resource_star_traps)
{
    iam_analyzer *an = analyze1(ID, HEAD DENY "'s3:GetObject', 'Resource': '*'}" TAIL);
    expect_none(an, "resource-star");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'s3:GetObject', 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    expect_none(an, "resource-star");
    iam_analyzer_free(an);
    /* NotAction: allow-not-action is the finding */
    an = analyze1(ID, HEAD ALLOW_NOT "'s3:*', 'Resource': '*', 'Condition': {'Bool': {'aws:MultiFactorAuthPresent': 'true'}}}" TAIL);
    expect_none(an, "resource-star");
    expect_at(an, "allow-not-action", ID, 2, 36, "\"s3:*\"", NULL);
    iam_analyzer_free(an);
}

/* -- allow-not-action / allow-not-resource ---------------------------------- */

Test(risk, allow_not_action_and_not_resource)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW_NOT "'s3:DeleteBucket', 'Resource': 'arn:aws:s3:::b'},\n"
                                    "  {'Effect': 'Allow', 'Action': 's3:GetObject', 'NotResource': 'arn:aws:s3:::secret/*'}" TAIL);
    const iam_diag *g = expect_at(an, "allow-not-action", ID, 2, 36, "\"s3:DeleteBucket\"", "NotAction");
    cr_assert_eq(g->sev, IAM_SEV_SECURITY);
    expect_at(an, "allow-not-resource", ID, 3, 64, "\"arn:aws:s3:::secret/*\"", "NotResource");
    expect_count(an, "allow-not-action", 1);
    expect_count(an, "allow-not-resource", 1);
    iam_analyzer_free(an);
}

Test(risk, not_elements_in_deny_are_fine)
{
    iam_analyzer *an = analyze1(ID, HEAD "  {'Effect': 'Deny', 'NotAction': 'iam:*', 'NotResource': 'arn:aws:s3:::b'},\n"
                                    ALLOW "'s3:GetObject', 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    expect_none(an, "allow-not-action");
    expect_none(an, "allow-not-resource");
    iam_analyzer_free(an);
}

/* Boundaries and SCPs only cap: an Allow NotAction there grants nothing. */
Test(risk, not_action_in_boundary_and_scp)
{
    iam_analyzer *an = analyze1("boundaries/dev.json", HEAD ALLOW_NOT "'iam:*', 'Resource': '*'}" TAIL);
    expect_none(an, "allow-not-action");
    expect_none(an, "admin-access");
    iam_analyzer_free(an);
    an = analyze1("org/root/allow.scp.json", HEAD ALLOW_NOT "'iam:*', 'Resource': '*'}" TAIL);
    expect_none(an, "allow-not-action");
    expect_none(an, "admin-access");
    iam_analyzer_free(an);
}

/* -- mfa-condition-pitfall -------------------------------------------------- */

typedef struct pitfall_case {
    const char *effect;
    const char *cond;
    bool fires;
    const char *says;
} pitfall_case;

static const pitfall_case PITFALLS[] = {
    {"Deny", "{'Bool': {'aws:MultiFactorAuthPresent': 'false'}}", true, "long-term access keys"},
    {"Deny", "{'Bool': {'aws:MultiFactorAuthPresent': 'FALSE'}}", true, "long-term access keys"},
    {"Allow", "{'BoolIfExists': {'aws:MultiFactorAuthPresent': 'true'}}", true, "also allows long-term"},
    {"Deny", "{'Null': {'aws:MultiFactorAuthPresent': 'true'}}", true, "only catches long-term keys"},
    {"Allow", "{'Null': {'aws:MultiFactorAuthPresent': 'false'}}", true, "temporary credentials, not for MFA"},
    /* the correct forms */
    {"Deny", "{'BoolIfExists': {'aws:MultiFactorAuthPresent': 'false'}}", false, NULL},
    {"Allow", "{'Bool': {'aws:MultiFactorAuthPresent': 'true'}}", false, NULL},
    {"Allow", "{'NumericLessThanEquals': {'aws:MultiFactorAuthAge': '3600'}}", false, NULL},
    {"Deny", "{'Bool': {'aws:SecureTransport': 'false'}}", false, NULL},
};
TABLE_PARAMS(risk, mfa_condition_pitfall, PITFALLS)
ParameterizedTest(size_t *i, risk, mfa_condition_pitfall)
{
    static char ctx_[600];
    const pitfall_case *t = &PITFALLS[*i];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD "  {'Effect': '%s', 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::b/*', 'Condition': %s}" TAIL,
             t->effect, t->cond);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(ID, doc);
    if (t->fires) {
        /* the operator: column 95 after an Allow, 94 after a Deny */
        size_t col = strcmp(t->effect, "Allow") == 0 ? 95 : 94;
        const iam_diag *g = expect_at(an, "mfa-condition-pitfall", ID, 2, col, "\"", t->says);
        cr_assert_not_null(g->help);
        expect_count(an, "mfa-condition-pitfall", 1);
    } else {
        expect_none(an, "mfa-condition-pitfall");
    }
    iam_analyzer_free(an);
}

/* The Deny trap matters most in SCPs, which are all Deny. */
Test(risk, mfa_condition_pitfall_in_scp)
{
    iam_analyzer *an = analyze1("org/root/mfa.scp.json",
                                HEAD DENY "'*', 'Resource': '*', 'Condition': {'Bool': {'aws:MultiFactorAuthPresent': false}}}" TAIL);
    expect_at(an, "mfa-condition-pitfall", "org/root/mfa.scp.json", 2, 68, "\"Bool\"", NULL);
    iam_analyzer_free(an);
}

/* -- unconditioned-secrets-access ---------------------------------------------- */

static const char *const SECRETS_BROAD[] = {
    "'secretsmanager:GetSecretValue', 'Resource': '*'}",
    "'secretsmanager:GetSecretValue', 'Resource': 'arn:aws:secretsmanager:us-east-1:111122223333:secret:*'}",
    "'ssm:GetParameters', 'Resource': 'arn:aws:ssm:us-east-1:111122223333:parameter/*'}",
    "'kms:Decrypt', 'Resource': 'arn:aws:kms:us-east-1:111122223333:key/*'}",
    /* conditions that only seem to restrict */
    "'kms:Decrypt', 'Resource': '*', 'Condition': {'StringEqualsIfExists': {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}}",
    "'secretsmanager:GetSecretValue', 'Resource': '*', 'Condition': {'StringLike': {'aws:ResourceTag/team': '*'}}}",
    "'secretsmanager:GetSecretValue', 'Resource': '*', 'Condition': {'StringNotEquals': {'aws:ResourceTag/team': 'x'}}}",
    "'ssm:GetParameter', 'Resource': '*', 'Condition': {'ForAllValues:StringEquals': {'aws:TagKeys': ['a']}}}",
    /* a restriction that is not about which secret, or who reads it */
    "'secretsmanager:GetSecretValue', 'Resource': '*', 'Condition': {'Bool': {'aws:SecureTransport': 'true'}}}",
};
TABLE_PARAMS(risk, unconditioned_secrets_access, SECRETS_BROAD)
ParameterizedTest(size_t *i, risk, unconditioned_secrets_access)
{
    static char ctx_[600];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD ALLOW "%s" TAIL, SECRETS_BROAD[*i]);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(ID, doc);
    const iam_diag *g = expect_at(an, "unconditioned-secrets-access", ID, 2, 33, "\"", "secret-reading actions");
    cr_assert_eq(g->sev, IAM_SEV_SECURITY);
    iam_analyzer_free(an);
}

static const char *const SECRETS_CLEAN[] = {
    "'kms:Decrypt', 'Resource': '*', 'Condition': {'StringEquals': {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}}",
    "'secretsmanager:GetSecretValue', 'Resource': '*', 'Condition': {'StringEquals': {'aws:ResourceTag/team': '${aws:PrincipalTag/team}'}}}",
    "'secretsmanager:GetSecretValue', 'Resource': '*', 'Condition': {'StringEquals': {'aws:SourceVpce': 'vpce-1a2b3c4d'}}}",
    "'kms:Decrypt', 'Resource': '*', 'Condition': {'StringEquals': {'kms:EncryptionContext:app': 'billing'}}}",
    "'secretsmanager:GetSecretValue', 'Resource': 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf'}",
    "'ssm:GetParameter', 'Resource': 'arn:aws:ssm:us-east-1:111122223333:parameter/app/db-password'}",
    "'ssm:GetParametersByPath', 'Resource': 'arn:aws:ssm:us-east-1:111122223333:parameter/app/*'}",
    /* a name prefix scopes secrets just as a parameter path does */
    "'secretsmanager:GetSecretValue', 'Resource': 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*'}",
};
TABLE_PARAMS(risk, secrets_access_restricted_is_clean, SECRETS_CLEAN)
ParameterizedTest(size_t *i, risk, secrets_access_restricted_is_clean)
{
    static char ctx_[600];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD ALLOW "%s" TAIL, SECRETS_CLEAN[*i]);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(ID, doc);
    expect_none(an, "unconditioned-secrets-access");
    iam_analyzer_free(an);
}

Test(risk, secrets_access_span_on_matching_entry)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['s3:ListBucket', 'secretsmanager:Get*'], 'Resource': '*'}" TAIL);
    expect_at(an, "unconditioned-secrets-access", ID, 2, 51, "\"secretsmanager:Get*\"", "secretsmanager:GetSecretValue");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD DENY "'secretsmanager:GetSecretValue', 'Resource': '*'}" TAIL);
    expect_none(an, "unconditioned-secrets-access");
    iam_analyzer_free(an);
}

Test(risk, secrets_access_configured_actions)
{
    iam_config *cfg = config_of("{'secretActions': ['dynamodb:GetItem']}");
    iam_analyzer *an = an_new_cfg(cfg);
    add_doc(an, ID, HEAD ALLOW "'dynamodb:GetItem', 'Resource': '*'}" TAIL);
    iam_analyzer_finish(an);
    expect_at(an, "unconditioned-secrets-access", ID, 2, 33, "\"dynamodb:GetItem\"", "dynamodb:GetItem");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'dynamodb:GetItem', 'Resource': '*'}" TAIL);
    expect_none(an, "unconditioned-secrets-access");
    iam_analyzer_free(an);
}

/* -- passrole-unrestricted ---------------------------------------------------- */

Test(risk, passrole_on_star)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'iam:PassRole', 'Resource': '*'}" TAIL);
    expect_at(an, "passrole-unrestricted", ID, 2, 33, "\"iam:PassRole\"", "on every role, to any service");
    iam_analyzer_free(an);
}

Test(risk, passrole_every_role_with_service)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['ec2:RunInstances', 'iam:Pass*'], 'Resource': 'arn:aws:iam::111122223333:role/*', "
                                              "'Condition': {'StringEquals': {'iam:PassedToService': 'ec2.amazonaws.com'}}}" TAIL);
    expect_at(an, "passrole-unrestricted", ID, 2, 54, "\"iam:Pass*\"", "on every role: ");
    iam_analyzer_free(an);
}

Test(risk, passrole_without_passed_to_service)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'iam:PassRole', 'Resource': 'arn:aws:iam::111122223333:role/app-task'}" TAIL);
    expect_at(an, "passrole-unrestricted", ID, 2, 33, "\"iam:PassRole\"", "without an iam:PassedToService");
    iam_analyzer_free(an);
    /* StringLike "*" and IfExists-on-a-negation say nothing */
    an = analyze1(ID, HEAD ALLOW "'iam:PassRole', 'Resource': 'arn:aws:iam::111122223333:role/app-task', "
                                "'Condition': {'StringLike': {'iam:PassedToService': '*'}}}" TAIL);
    expect_at(an, "passrole-unrestricted", ID, 2, 33, "\"iam:PassRole\"", "without an iam:PassedToService");
    iam_analyzer_free(an);
}

/* NotAction reaches PassRole too: the span is the NotAction value. */
Test(risk, passrole_through_not_action)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW_NOT "['s3:*', 'ec2:*'], 'Resource': 'arn:aws:iam::111122223333:role/app-task'}" TAIL);
    expect_at(an, "passrole-unrestricted", ID, 2, 36, "[\"s3:*\"", "without an iam:PassedToService");
    expect_at(an, "allow-not-action", ID, 2, 36, "[\"s3:*\"", NULL);
    expect_none(an, "admin-access");
    iam_analyzer_free(an);
}

Test(risk, passrole_traps)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'iam:PassRole', 'Resource': 'arn:aws:iam::111122223333:role/app-task', "
                                              "'Condition': {'StringEquals': {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}}}" TAIL);
    expect_none(an, "passrole-unrestricted");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD DENY "'iam:PassRole', 'Resource': '*'}" TAIL);
    expect_none(an, "passrole-unrestricted");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'iam:GetRole', 'Resource': '*'}" TAIL);
    expect_none(an, "passrole-unrestricted");
    iam_analyzer_free(an);
}

/* -- credentials-exposure ------------------------------------------------------ */

Test(risk, credentials_exposure)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['s3:ListBucket', 'sts:AssumeRole'], 'Resource': 'arn:aws:iam::*:role/*'}" TAIL);
    expect_at(an, "credentials-exposure", ID, 2, 51, "\"sts:AssumeRole\"", "sts:AssumeRole");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'redshift:GetClusterCredentials', 'Resource': '*'}" TAIL);
    expect_at(an, "credentials-exposure", ID, 2, 33, "\"redshift:GetClusterCredentials\"", "return credentials");
    iam_analyzer_free(an);
}

Test(risk, credentials_exposure_traps)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'sts:AssumeRole', 'Resource': 'arn:aws:iam::111122223333:role/deploy'}" TAIL);
    expect_none(an, "credentials-exposure");
    iam_analyzer_free(an);
    /* the self-service pattern: own keys only */
    an = analyze1(ID, HEAD ALLOW "'iam:CreateAccessKey', 'Resource': 'arn:aws:iam::*:user/${aws:username}'}" TAIL);
    expect_none(an, "credentials-exposure");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'sts:AssumeRole', 'Resource': '*', 'Condition': {'StringEquals': {'aws:ResourceTag/team': 'ops'}}}" TAIL);
    expect_none(an, "credentials-exposure");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD DENY "'sts:AssumeRole', 'Resource': '*'}" TAIL);
    expect_none(an, "credentials-exposure");
    iam_analyzer_free(an);
}

/* -- permissions-management -------------------------------------------------- */

Test(risk, permissions_management)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['iam:GetRole', 'iam:AttachRolePolicy'], 'Resource': '*'}" TAIL);
    const iam_diag *g = expect_at(an, "permissions-management", ID, 2, 49, "\"iam:AttachRolePolicy\"", "1 permissions-management action");
    cr_assert(strstr(g->msg, "iam:AttachRolePolicy"), "%s", g->msg);
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'s3:PutBucketPolicy', 'Resource': '*'}" TAIL);
    expect_at(an, "permissions-management", ID, 2, 33, "\"s3:PutBucketPolicy\"", NULL);
    iam_analyzer_free(an);
    /* an IfExists tag condition does not scope it */
    an = analyze1(ID, HEAD ALLOW "'iam:PutRolePolicy', 'Resource': '*', 'Condition': {'StringEqualsIfExists': {'aws:ResourceTag/team': 'a'}}}" TAIL);
    expect_at(an, "permissions-management", ID, 2, 33, "\"iam:PutRolePolicy\"", NULL);
    iam_analyzer_free(an);
}

Test(risk, permissions_management_traps)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'iam:AttachRolePolicy', 'Resource': 'arn:aws:iam::111122223333:role/app'}" TAIL);
    expect_none(an, "permissions-management");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'iam:AttachRolePolicy', 'Resource': '*', 'Condition': {'ArnEquals': {'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess'}}}" TAIL);
    expect_none(an, "permissions-management");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD DENY "'iam:*', 'Resource': '*'}" TAIL);
    expect_none(an, "permissions-management");
    iam_analyzer_free(an);
    /* a read is not permissions management */
    an = analyze1(ID, HEAD ALLOW "'iam:GetRolePolicy', 'Resource': '*'}" TAIL);
    expect_none(an, "permissions-management");
    iam_analyzer_free(an);
}

/* -- data-exfiltration --------------------------------------------------------- */

Test(risk, data_exfiltration)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'s3:GetObject', 'Resource': '*'}" TAIL);
    const iam_diag *g = expect_at(an, "data-exfiltration", ID, 2, 33, "\"s3:GetObject\"", "s3:GetObject");
    cr_assert_eq(g->sev, IAM_SEV_WARNING);
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "['s3:ListBucket', 's3:GetObject*'], 'Resource': 'arn:aws:s3:::*/*'}" TAIL);
    expect_at(an, "data-exfiltration", ID, 2, 51, "\"s3:GetObject*\"", NULL);
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'ec2:ModifySnapshotAttribute', 'Resource': 'arn:aws:ec2:*::snapshot/*'}" TAIL);
    expect_at(an, "data-exfiltration", ID, 2, 33, "\"ec2:ModifySnapshotAttribute\"", NULL);
    iam_analyzer_free(an);
}

Test(risk, data_exfiltration_traps)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'s3:GetObject', 'Resource': 'arn:aws:s3:::reports/*'}" TAIL);
    expect_none(an, "data-exfiltration");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'s3:GetObject', 'Resource': '*', 'Condition': {'StringEquals': {'aws:ResourceAccount': '111122223333'}}}" TAIL);
    expect_none(an, "data-exfiltration");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD DENY "'s3:GetObject', 'Resource': '*'}" TAIL);
    expect_none(an, "data-exfiltration");
    iam_analyzer_free(an);
    an = analyze1(ID, HEAD ALLOW "'s3:PutObject', 'Resource': '*'}" TAIL);
    expect_none(an, "data-exfiltration");
    iam_analyzer_free(an);
}

/* Breadth is per service: a wide logs ARN in the same statement does not
 * widen the S3 reads (AmazonEC2RolePolicyForLaunchWizard has this shape). */
Test(risk, data_exfiltration_broad_entry_of_another_service)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "['s3:GetObject', 'logs:PutLogEvents'], "
                                              "'Resource': ['arn:aws:logs:*:*:*', 'arn:aws:s3:::launchwizard-bucket/*']}" TAIL);
    expect_none(an, "data-exfiltration");
    iam_analyzer_free(an);
}

/* redshift:GetClusterCredentials needs a dbuser and a dbname; naming the
 * users scopes the credentials even when the database is "*" (the
 * SageMaker managed policies' CanvasRedshiftAccess statement). */
Test(risk, credentials_exposure_scoped_db_users)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'redshift:GetClusterCredentials', "
                                              "'Resource': ['arn:aws:redshift:*:*:dbuser:*/sagemaker_access*', 'arn:aws:redshift:*:*:dbname:*']}" TAIL);
    expect_none(an, "credentials-exposure");
    iam_analyzer_free(an);
}

/* -- action rules stay out of resource policies --------------------------------- */

/* In a key policy "*" is this key; in a bucket policy the ARNs are the
 * bucket's own. The principal rules judge these, not the action rules. */
Test(risk, resource_policy_star_is_the_resource_itself)
{
    const char *key = HEAD "  {'Sid': 'root', 'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:root'}, "
                           "'Action': 'kms:*', 'Resource': '*'},\n"
                           "  {'Sid': 'app', 'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:role/app'}, "
                           "'Action': ['kms:Decrypt', 'kms:GenerateDataKey'], 'Resource': '*'}" TAIL;
    iam_analyzer *an = analyze1("resource/key-policy.json", key);
    expect_none_of(an, ACTION_SCOPE_RULES);
    expect_none(an, "public-access");
    expect_none(an, "cross-account-trust");
    iam_analyzer_free(an);
    const char *bucket = HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:role/etl'}, "
                              "'Action': ['s3:*'], 'Resource': ['arn:aws:s3:::data', 'arn:aws:s3:::data/*']}" TAIL;
    an = analyze1("resource/bucket.json", bucket);
    expect_none_of(an, ACTION_SCOPE_RULES);
    iam_analyzer_free(an);
}

/* -- set-operator-misuse --------------------------------------------------------- */

typedef struct setop_case {
    const char *effect;
    const char *cond;
    bool fires;
    const char *says;
} setop_case;

static const setop_case SETOPS[] = {
    {"Allow", "{'ForAllValues:StringEquals': {'aws:TagKeys': ['env', 'app']}}", true, "absent or empty"},
    {"Allow", "{'ForAllValues:StringEquals': {'aws:TagKeys': ['env']}, 'Null': {'aws:RequestTag/env': 'false'}}", true, "absent or empty"},
    {"Allow", "{'ForAnyValue:StringNotEquals': {'aws:TagKeys': ['env']}}", true, "any one value is outside"},
    {"Deny", "{'ForAnyValue:StringNotLike': {'aws:PrincipalOrgPaths': ['o-a1b2c3/r-ab12/ou-ab12-1/*']}}", true, "any one value is outside"},
    {"Allow", "{'ForAnyValue:StringEquals': {'aws:PrincipalTag/team': 'ops'}}", true, "single-valued"},
    {"Deny", "{'StringEquals': {'aws:TagKeys': 'secret'}}", true, "multi-valued"},
    {"Allow", "{'StringLike': {'aws:CalledVia': 'athena.amazonaws.com'}}", true, "multi-valued"},
    /* correct uses */
    {"Allow", "{'ForAllValues:StringEquals': {'aws:TagKeys': ['env']}, 'Null': {'aws:TagKeys': 'false'}}", false, NULL},
    {"Allow", "{'ForAnyValue:StringEquals': {'aws:TagKeys': ['env']}}", false, NULL},
    {"Deny", "{'ForAllValues:StringNotEquals': {'aws:TagKeys': ['env', 'app']}}", false, NULL},
    {"Deny", "{'Null': {'aws:TagKeys': 'true'}}", false, NULL},
    {"Allow", "{'StringEquals': {'aws:PrincipalTag/team': 'ops'}}", false, NULL},
};
TABLE_PARAMS(risk, set_operator_misuse, SETOPS)
ParameterizedTest(size_t *i, risk, set_operator_misuse)
{
    static char ctx_[600];
    const setop_case *t = &SETOPS[*i];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD "  {'Effect': '%s', 'Action': 's3:PutObject', 'Resource': 'arn:aws:s3:::b/*', 'Condition': %s}" TAIL,
             t->effect, t->cond);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(ID, doc);
    if (t->fires) {
        /* the operator: column 95 after an Allow, 94 after a Deny */
        size_t col = strcmp(t->effect, "Allow") == 0 ? 95 : 94;
        expect_at(an, "set-operator-misuse", ID, 2, col, "\"", t->says);
        expect_count(an, "set-operator-misuse", 1);
    } else {
        expect_none(an, "set-operator-misuse");
    }
    iam_analyzer_free(an);
}

/* -- redundant-statement ---------------------------------------------------------- */

Test(risk, redundant_statement_subset)
{
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'s3:GetObject', 'Resource': 'arn:aws:s3:::b/reports/q1.csv'},\n"
                                    ALLOW "['s3:Get*', 's3:List*'], 'Resource': ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']}" TAIL);
    const iam_diag *g = expect_at(an, "redundant-statement", ID, 2, 3, "{\"Effect\"", "statement 1 grants nothing that statement 2");
    cr_assert_eq(g->sev, IAM_SEV_SUGGESTION);
    cr_assert_eq(g->nrelated, 1);
    cr_assert_eq(g->related[0].span.line, 3);
    cr_assert_eq(g->related[0].span.col, 3);
    expect_count(an, "redundant-statement", 1);
    iam_analyzer_free(an);
}

Test(risk, redundant_statement_identical_reports_the_later)
{
    iam_analyzer *an = analyze1(ID, HEAD DENY "'s3:DeleteBucket', 'Resource': '*'},\n"
                                    DENY "'s3:DeleteBucket', 'Resource': '*'}" TAIL);
    expect_at(an, "redundant-statement", ID, 3, 3, "{", "statement 2 grants nothing that statement 1");
    expect_count(an, "redundant-statement", 1);
    iam_analyzer_free(an);
}

Test(risk, redundant_statement_traps)
{
    /* different conditions */
    iam_analyzer *an = analyze1(ID, HEAD ALLOW "'s3:GetObject', 'Resource': 'arn:aws:s3:::b/*', "
                                              "'Condition': {'IpAddress': {'aws:SourceIp': '203.0.113.0/24'}}},\n"
                                    ALLOW "'s3:GetObject', 'Resource': 'arn:aws:s3:::b/*', "
                                          "'Condition': {'IpAddress': {'aws:SourceIp': '198.51.100.0/24'}}}" TAIL);
    expect_none(an, "redundant-statement");
    iam_analyzer_free(an);
    /* same actions, bucket vs objects */
    an = analyze1(ID, HEAD ALLOW "'s3:*', 'Resource': 'arn:aws:s3:::b'},\n" ALLOW "'s3:*', 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    expect_none(an, "redundant-statement");
    iam_analyzer_free(an);
    /* Allow and Deny of the same thing */
    an = analyze1(ID, HEAD ALLOW "'s3:GetObject', 'Resource': '*'},\n" DENY "'s3:GetObject', 'Resource': '*'}" TAIL);
    expect_none(an, "redundant-statement");
    iam_analyzer_free(an);
    /* Action vs NotAction */
    an = analyze1(ID, HEAD ALLOW "'s3:GetObject', 'Resource': 'arn:aws:s3:::b/*'},\n"
                       ALLOW_NOT "'s3:GetObject', 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    expect_none(an, "redundant-statement");
    iam_analyzer_free(an);
    /* resource policies: different principals */
    an = analyze1("resource/bucket.json",
                  HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:role/a'}, 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::b/*'},\n"
                       "  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:role/b'}, 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    expect_none(an, "redundant-statement");
    iam_analyzer_free(an);
}
