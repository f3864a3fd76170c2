/* test_principal.c - rules over everything one principal may do and over
 * sets of SCPs (analyzer/risk_principal.c, grouped by analyzer.c):
 * privilege-escalation, missing-mfa (principals/users/<name>/ and
 * principals/roles/<name>/ directories, boundaries, Deny guards) and
 * scp-guardrail-missing (one set per folder). */
#include "helpers.h"

#define HEAD "{'Version': '2012-10-17', 'Statement': [\n"
#define TAIL "\n]}"
#define ALLOW "  {'Effect': 'Allow', 'Action': "
#define DENY "  {'Effect': 'Deny', 'Action': "

/* -- privilege-escalation ---------------------------------------------------------- */

Test(risk, escalation_lone_policy)
{
    static const char P[] = "identity/ci.json";
    iam_analyzer *an = analyze1(P, HEAD ALLOW "['s3:ListBucket', 'iam:CreatePolicyVersion'], 'Resource': '*'}" TAIL);
    const iam_diag *g = expect_at(an, "privilege-escalation", P, 2, 51, "\"iam:CreatePolicyVersion\"",
                                  "can escalate privileges with iam:CreatePolicyVersion");
    cr_assert_eq(g->sev, IAM_SEV_SECURITY);
    expect_count(an, "privilege-escalation", 1);
    iam_analyzer_free(an);
}

Test(risk, escalation_several_methods_one_finding)
{
    static const char P[] = "identity/ci.json";
    iam_analyzer *an = analyze1(P, HEAD ALLOW "['iam:CreateAccessKey', 'iam:AddUserToGroup'], 'Resource': '*'}" TAIL);
    const iam_diag *g = expect_at(an, "privilege-escalation", P, 2, 34, "\"iam:CreateAccessKey\"", "in 2 known ways");
    cr_assert(strstr(g->msg, "iam:CreateAccessKey") && strstr(g->msg, "iam:AddUserToGroup"), "%s", g->msg);
    cr_assert_eq(g->nrelated, 1);
    cr_assert_eq(g->related[0].span.col, 57, "related span on iam:AddUserToGroup");
    expect_count(an, "privilege-escalation", 1);
    iam_analyzer_free(an);
}

static const char *const ESCALATION_NAMES[] = {
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:PassRole + ec2:RunInstances",
    "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy",
    "iam:PutRolePolicy", "iam:AddUserToGroup", "iam:UpdateAssumeRolePolicy + sts:AssumeRole",
    "iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction",
    "iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping", "lambda:UpdateFunctionCode",
    "iam:PassRole + glue:CreateDevEndpoint", "glue:UpdateDevEndpoint", "iam:PassRole + cloudformation:CreateStack",
    "iam:PassRole + datapipeline:CreatePipeline", "iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask",
    "iam:PassRole + codebuild:CreateProject", "iam:PassRole + sagemaker:CreateNotebookInstance",
    "iam:PassRole + autoscaling:CreateAutoScalingGroup", "iam:PassRole + glue:CreateJob", "ssm:SendCommand",
    "ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances", "iam:DeleteRolePermissionsBoundary",
    "iam:DetachRolePolicy", NULL,
};

/* The message must stay whole when many methods are found: it is cut
 * inside a method name today ("...; ssm:SendComman"). */
Test(risk, escalation_message_not_cut_mid_name)
{
    static const char P[] = "identity/admin.json";
    iam_analyzer *an = analyze1(P, HEAD ALLOW "'*', 'Resource': '*'}" TAIL);
    const iam_diag *g = expect_at(an, "privilege-escalation", P, 2, 33, "\"*\"", "known ways");
    const char *last = strrchr(g->msg, ';');
    cr_assert_not_null(last);
    last += 2;
    bool whole = false;
    /* the last listed name is a complete method name (or an explicit "...") */
    for (const char *const *n = ESCALATION_NAMES; *n; n++)
        whole |= strcmp(last, *n) == 0;
    whole |= strstr(last, "...") != NULL || strstr(last, "more") != NULL;
    cr_assert(whole, "message ends in a cut name: '%s'", last);
    iam_analyzer_free(an);
}


/* The union of a principal's policies: neither file alone escalates. */
static const char PASS_LAMBDA_SVC[] = HEAD ALLOW "'iam:PassRole', 'Resource': 'arn:aws:iam::111122223333:role/fn-*', "
                                           "'Condition': {'StringEquals': {'iam:PassedToService': 'lambda.amazonaws.com'}}}" TAIL;
static const char LAMBDA_RIGHTS[] = HEAD ALLOW "['lambda:CreateFunction', 'lambda:InvokeFunction'], "
                                        "'Resource': 'arn:aws:lambda:us-east-1:111122223333:function:*'}" TAIL;

Test(risk, escalation_across_a_principals_policies)
{
    iam_analyzer *an = an_new();
    add_doc(an, "principals/roles/deployer/pass.json", PASS_LAMBDA_SVC);
    add_doc(an, "principals/roles/deployer/lambda.json", LAMBDA_RIGHTS);
    iam_analyzer_finish(an);
    const iam_diag *g = expect_at(an, "privilege-escalation", "principals/roles/deployer/pass.json", 2, 33, "\"iam:PassRole\"",
                                  "iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction");
    cr_assert(strstr(g->msg, "roles/deployer"), "names the principal: %s", g->msg);
    expect_count(an, "privilege-escalation", 1);
    iam_analyzer_free(an);
    /* the same files outside principals/ are unrelated policies */
    an = an_new();
    add_doc(an, "identity/pass.json", PASS_LAMBDA_SVC);
    add_doc(an, "identity/lambda.json", LAMBDA_RIGHTS);
    iam_analyzer_finish(an);
    expect_none(an, "privilege-escalation");
    iam_analyzer_free(an);
}

/* PassRole restricted to Lambda cannot hand the role to EC2: the
 * PassRole + ec2:RunInstances method does not apply. */
Test(risk, escalation_respects_passed_to_service)
{
    iam_analyzer *an = an_new();
    add_doc(an, "principals/roles/deployer/pass.json", PASS_LAMBDA_SVC);
    add_doc(an, "principals/roles/deployer/ec2.json", HEAD ALLOW "'ec2:RunInstances', 'Resource': '*'}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "privilege-escalation");
    iam_analyzer_free(an);
}

/* Self-service on one's own user (the AWS "manage own credentials"
 * example) creates keys or passwords for no other user. */
Test(risk, escalation_self_service_credentials)
{
    static const char P[] = "identity/self-service.json";
    iam_analyzer *an = analyze1(P, HEAD ALLOW "['iam:CreateAccessKey', 'iam:UpdateLoginProfile', 'iam:CreateLoginProfile'], "
                                              "'Resource': 'arn:aws:iam::*:user/${aws:username}'}" TAIL);
    expect_none(an, "privilege-escalation");
    iam_analyzer_free(an);
}

Test(risk, escalation_capped_by_boundary)
{
    iam_analyzer *an = an_new();
    add_doc(an, "principals/roles/builder/admin.json", HEAD ALLOW "['iam:*', 'lambda:*', 's3:*'], 'Resource': '*'}" TAIL);
    add_doc(an, "principals/roles/builder/boundary.json", HEAD ALLOW "['s3:*', 'cloudwatch:*'], 'Resource': '*'}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "privilege-escalation");
    iam_analyzer_free(an);
    /* a boundary that leaves one method open */
    an = an_new();
    add_doc(an, "principals/roles/builder/admin.json", HEAD ALLOW "['iam:*', 'lambda:*', 's3:*'], 'Resource': '*'}" TAIL);
    add_doc(an, "principals/roles/builder/boundary.json", HEAD ALLOW "['s3:*', 'lambda:UpdateFunctionCode'], 'Resource': '*'}" TAIL);
    iam_analyzer_finish(an);
    const iam_diag *g = expect_at(an, "privilege-escalation", "principals/roles/builder/admin.json", 2, 43, "\"lambda:*\"",
                                  "with lambda:UpdateFunctionCode");
    (void)g;
    iam_analyzer_free(an);
}

Test(risk, escalation_removed_by_unconditioned_deny)
{
    iam_analyzer *an = an_new();
    add_doc(an, "principals/users/carol/keys.json", HEAD ALLOW "'iam:CreateAccessKey', 'Resource': '*'}" TAIL);
    add_doc(an, "principals/users/carol/deny.json", HEAD DENY "'iam:CreateAccessKey', 'Resource': '*'}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "privilege-escalation");
    iam_analyzer_free(an);
    /* a conditioned Deny may not apply: the method stays */
    an = an_new();
    add_doc(an, "principals/users/carol/keys.json", HEAD ALLOW "'iam:CreateAccessKey', 'Resource': '*'}" TAIL);
    add_doc(an, "principals/users/carol/deny.json", HEAD DENY "'iam:CreateAccessKey', 'Resource': '*', "
                                                        "'Condition': {'StringEquals': {'aws:RequestedRegion': 'eu-west-1'}}}" TAIL);
    iam_analyzer_finish(an);
    expect_at(an, "privilege-escalation", "principals/users/carol/keys.json", 2, 33, "\"iam:CreateAccessKey\"",
              "principal users/carol can escalate privileges with iam:CreateAccessKey");
    iam_analyzer_free(an);
}

/* A method that several actions enable is named after the first of them;
 * the finding must name the action the principal actually has. */
Test(risk, escalation_names_the_granted_action)
{
    static const char P[] = "identity/ops.json";
    iam_analyzer *an = analyze1(P, HEAD ALLOW "'iam:DetachUserPolicy', 'Resource': 'arn:aws:iam::111122223333:user/*'}" TAIL);
    const iam_diag *g = expect_at(an, "privilege-escalation", P, 2, 33, "\"iam:DetachUserPolicy\"", NULL);
    cr_assert(strstr(g->msg, "iam:DetachUserPolicy"), "names iam:DetachUserPolicy, not only its method's first action: %s", g->msg);
    iam_analyzer_free(an);
    an = analyze1(P, HEAD ALLOW "'ssm:StartSession', 'Resource': '*'}" TAIL);
    g = expect_at(an, "privilege-escalation", P, 2, 33, "\"ssm:StartSession\"", NULL);
    cr_assert(strstr(g->msg, "ssm:StartSession"), "names ssm:StartSession: %s", g->msg);
    iam_analyzer_free(an);
}

Test(risk, escalation_traps)
{
    iam_analyzer *an = analyze1("identity/ro.json", HEAD ALLOW "['iam:Get*', 'iam:List*', 'lambda:InvokeFunction'], 'Resource': '*'}" TAIL);
    expect_none(an, "privilege-escalation");
    iam_analyzer_free(an);
    an = analyze1("identity/deny.json", HEAD DENY "'iam:*', 'Resource': '*'}" TAIL);
    expect_none(an, "privilege-escalation");
    iam_analyzer_free(an);
    /* PassRole alone, or ec2:RunInstances alone */
    an = analyze1("identity/run.json", HEAD ALLOW "'ec2:RunInstances', 'Resource': '*'}" TAIL);
    expect_none(an, "privilege-escalation");
    iam_analyzer_free(an);
}

/* -- missing-mfa ------------------------------------------------------------------- */

static const char ALICE[] = "principals/users/alice/admin.json";
static const char CREATE_USER[] = HEAD ALLOW "['iam:GetUser', 'iam:CreateUser'], 'Resource': '*'}" TAIL;
/* The documented guard (iam-semantics.md 5). */
static const char MFA_GUARD[] =
    HEAD "  {'Sid': 'DenyAllExceptListedIfNoMFA', 'Effect': 'Deny',\n"
         "   'NotAction': ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices',\n"
         "                 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'],\n"
         "   'Resource': '*', 'Condition': {'BoolIfExists': {'aws:MultiFactorAuthPresent': 'false'}}}" TAIL;

Test(risk, missing_mfa_user)
{
    iam_analyzer *an = an_new();
    add_doc(an, ALICE, CREATE_USER);
    iam_analyzer_finish(an);
    const iam_diag *g = expect_at(an, "missing-mfa", ALICE, 2, 49, "\"iam:CreateUser\"", "iam:CreateUser");
    cr_assert(strstr(g->msg, "users/alice"), "%s", g->msg);
    cr_assert_eq(g->sev, IAM_SEV_SECURITY);
    expect_count(an, "missing-mfa", 1);
    iam_analyzer_free(an);
}

Test(risk, missing_mfa_condition_in_statement)
{
    iam_analyzer *an = an_new();
    add_doc(an, ALICE, HEAD ALLOW "'iam:CreateUser', 'Resource': '*', 'Condition': {'Bool': {'aws:MultiFactorAuthPresent': 'true'}}}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "missing-mfa");
    iam_analyzer_free(an);
    an = an_new();
    add_doc(an, ALICE, HEAD ALLOW "'iam:CreateUser', 'Resource': '*', 'Condition': {'NumericLessThanEquals': {'aws:MultiFactorAuthAge': '3600'}}}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "missing-mfa");
    iam_analyzer_free(an);
    /* BoolIfExists true lets long-term keys in: still missing */
    an = an_new();
    add_doc(an, ALICE, HEAD ALLOW "'iam:CreateUser', 'Resource': '*', 'Condition': {'BoolIfExists': {'aws:MultiFactorAuthPresent': 'true'}}}" TAIL);
    iam_analyzer_finish(an);
    expect_at(an, "missing-mfa", ALICE, 2, 33, "\"iam:CreateUser\"", NULL);
    expect_count(an, "mfa-condition-pitfall", 1);
    iam_analyzer_free(an);
}

Test(risk, missing_mfa_guard_in_same_principal)
{
    iam_analyzer *an = an_new();
    add_doc(an, ALICE, CREATE_USER);
    add_doc(an, "principals/users/alice/require-mfa.json", MFA_GUARD);
    iam_analyzer_finish(an);
    expect_none(an, "missing-mfa");
    expect_none(an, "mfa-condition-pitfall");
    iam_analyzer_free(an);
}

Test(risk, missing_mfa_guard_traps)
{
    /* a guard with Bool (not IfExists) misses long-term keys */
    iam_analyzer *an = an_new();
    add_doc(an, ALICE, CREATE_USER);
    add_doc(an, "principals/users/alice/require-mfa.json",
            HEAD DENY "'*', 'Resource': '*', 'Condition': {'Bool': {'aws:MultiFactorAuthPresent': 'false'}}}" TAIL);
    iam_analyzer_finish(an);
    expect_at(an, "missing-mfa", ALICE, 2, 49, "\"iam:CreateUser\"", NULL);
    expect_at(an, "mfa-condition-pitfall", "principals/users/alice/require-mfa.json", 2, 68, "\"Bool\"", NULL);
    iam_analyzer_free(an);
    /* another user's guard does not protect alice */
    an = an_new();
    add_doc(an, ALICE, CREATE_USER);
    add_doc(an, "principals/users/bob/require-mfa.json", MFA_GUARD);
    iam_analyzer_finish(an);
    expect_at(an, "missing-mfa", ALICE, 2, 49, "\"iam:CreateUser\"", "users/alice");
    expect_count(an, "missing-mfa", 1);
    iam_analyzer_free(an);
}

Test(risk, missing_mfa_who_is_human)
{
    /* a lone identity policy: no principal known */
    iam_analyzer *an = analyze1("identity/admin.json", CREATE_USER);
    expect_none(an, "missing-mfa");
    iam_analyzer_free(an);
    /* a role only a service assumes */
    an = an_new();
    add_doc(an, "principals/roles/svc/admin.json", CREATE_USER);
    add_doc(an, "principals/roles/svc/trust.json",
            HEAD "  {'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "missing-mfa");
    iam_analyzer_free(an);
    /* a role people assume (SAML federation) */
    an = an_new();
    add_doc(an, "principals/roles/ops/admin.json", CREATE_USER);
    add_doc(an, "principals/roles/ops/trust.json",
            HEAD "  {'Effect': 'Allow', 'Principal': {'Federated': 'arn:aws:iam::111122223333:saml-provider/Okta'}, "
                 "'Action': 'sts:AssumeRoleWithSAML', 'Condition': {'StringEquals': {'SAML:aud': 'https://signin.aws.amazon.com/saml'}}}" TAIL);
    iam_analyzer_finish(an);
    const iam_diag *g = expect_at(an, "missing-mfa", "principals/roles/ops/admin.json", 2, 49, "\"iam:CreateUser\"", "roles/ops");
    (void)g;
    iam_analyzer_free(an);
}

/* GitHub Actions (web identity) sessions can never carry MFA: the role is
 * a machine, and "require MFA" is advice nobody can follow. */
Test(risk, missing_mfa_not_for_ci_web_identity_role)
{
    iam_analyzer *an = an_new();
    add_doc(an, "principals/roles/ci/admin.json", CREATE_USER);
    add_doc(an, "principals/roles/ci/trust.json",
            HEAD "  {'Effect': 'Allow', 'Principal': {'Federated': 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'}, "
                 "'Action': 'sts:AssumeRoleWithWebIdentity', 'Condition': {'StringEquals': {'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', "
                 "'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main'}}}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "missing-mfa");
    iam_analyzer_free(an);
}

Test(risk, missing_mfa_not_for_reads_or_bootstrap)
{
    iam_analyzer *an = an_new();
    add_doc(an, ALICE, HEAD ALLOW "['iam:Get*', 'iam:List*', 's3:PutObject', 'iam:ChangePassword', 'iam:CreateVirtualMFADevice', "
                                  "'iam:EnableMFADevice'], 'Resource': '*'}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "missing-mfa");
    iam_analyzer_free(an);
}

Test(risk, missing_mfa_configured_actions)
{
    iam_config *cfg = config_of("{'sensitiveActions': ['kms:ScheduleKeyDeletion']}");
    iam_analyzer *an = an_new_cfg(cfg);
    add_doc(an, ALICE, HEAD ALLOW "'kms:ScheduleKeyDeletion', 'Resource': 'arn:aws:kms:us-east-1:111122223333:key/*'}" TAIL);
    iam_analyzer_finish(an);
    expect_at(an, "missing-mfa", ALICE, 2, 33, "\"kms:ScheduleKeyDeletion\"", "kms:ScheduleKeyDeletion");
    iam_analyzer_free(an);
}

/* What the boundary does not allow, or an unconditioned Deny removes, is
 * not allowed to the human at all: nothing sensitive is left to guard
 * (privilege-escalation already applies both). */
Test(risk, missing_mfa_respects_boundary)
{
    iam_analyzer *an = an_new();
    add_doc(an, ALICE, CREATE_USER);
    add_doc(an, "principals/users/alice/boundary.json", HEAD ALLOW "['s3:*', 'iam:Get*'], 'Resource': '*'}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "missing-mfa");
    iam_analyzer_free(an);
}

Test(risk, missing_mfa_respects_unconditioned_deny)
{
    iam_analyzer *an = an_new();
    add_doc(an, ALICE, CREATE_USER);
    add_doc(an, "principals/users/alice/deny-iam-writes.json", HEAD DENY "'iam:Create*', 'Resource': '*'}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "missing-mfa");
    iam_analyzer_free(an);
}

/* -- scp-guardrail-missing ---------------------------------------------------------- */

/* One guardrail per line; GUARD_NAMES[i] is what its absence is called. */
#define G0 DENY "['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], 'Resource': '*'}"
#define G1 DENY "['guardduty:DeleteDetector', 'guardduty:DisassociateFromMasterAccount'], 'Resource': '*'}"
#define G2 DENY "['config:StopConfigurationRecorder', 'config:DeleteConfigurationRecorder'], 'Resource': '*'}"
#define G3 DENY "'securityhub:DisableSecurityHub', 'Resource': '*'}"
#define G4 DENY "'access-analyzer:DeleteAnalyzer', 'Resource': '*'}"
#define G5 DENY "'organizations:LeaveOrganization', 'Resource': '*'}"
#define G6 DENY "'*', 'Resource': '*', 'Condition': {'ArnLike': {'aws:PrincipalArn': 'arn:aws:iam::*:root'}}}"
static const char *const GUARDS[] = {G0, G1, G2, G3, G4, G5, G6};
static const char *const GUARD_NAMES[] = {
    "CloudTrail cannot be stopped or deleted", "GuardDuty cannot be disabled", "AWS Config cannot be stopped",
    "Security Hub cannot be disabled", "IAM Access Analyzer cannot be deleted", "accounts cannot leave the organization",
    "member-account root users are denied",
};
#define NGUARDS (sizeof GUARDS / sizeof *GUARDS)

/* An SCP with every guardrail except `skip` (NGUARDS: none skipped). */
static char *scp_without(size_t skip)
{
    static char buf[4096];
    size_t len = (size_t)snprintf(buf, sizeof buf, "%s", HEAD);
    bool first = true;
    for (size_t i = 0; i < NGUARDS; i++) {
        if (i == skip)
            continue;
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", first ? "" : ",\n", GUARDS[i]);
        first = false;
    }
    snprintf(buf + len, sizeof buf - len, "%s", TAIL);
    return buf;
}

Test(risk, scp_all_guardrails_is_clean)
{
    iam_analyzer *an = analyze1("org/root/guardrails.scp.json", scp_without(NGUARDS));
    expect_none(an, "scp-guardrail-missing");
    iam_analyzer_free(an);
}

ParameterizedTestParameters(risk, scp_each_guardrail_missing)
{
    static size_t idx[NGUARDS];
    for (size_t i = 0; i < NGUARDS; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, NGUARDS);
}
ParameterizedTest(size_t *i, risk, scp_each_guardrail_missing)
{
    static char ctx_[600];
    static const char P[] = "org/root/guardrails.scp.json";
    snprintf(ctx_, sizeof ctx_, "[without guardrail %zu] ", *i);
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(P, scp_without(*i));
    const iam_diag *g = expect_at(an, "scp-guardrail-missing", P, 1, 1, "{", "lacks 1 guardrail: ");
    cr_assert(strstr(g->msg, GUARD_NAMES[*i]), "names '%s': %s", GUARD_NAMES[*i], g->msg);
    cr_assert_str_eq(g->policy_type, "scp");
    expect_count(an, "scp-guardrail-missing", 1);
    iam_analyzer_free(an);
}

Test(risk, scp_sets_per_folder)
{
    iam_analyzer *an = an_new();
    /* root: the guardrails split over two files of one folder */
    add_doc(an, "org/root/scp-b.scp.json", HEAD G0 ",\n" G1 ",\n" G2 TAIL);
    add_doc(an, "org/root/scp-a.scp.json", HEAD G3 ",\n" G4 ",\n" G5 ",\n" G6 TAIL);
    /* an account folder elsewhere with an unrelated rule */
    add_doc(an, "org/sandbox/region.scp.json", HEAD DENY "['ec2:RunInstances', 'rds:CreateDBInstance'], 'Resource': '*', "
                                                    "'Condition': {'StringNotEquals': {'aws:RequestedRegion': 'eu-west-1'}}}" TAIL);
    iam_analyzer_finish(an);
    expect_count(an, "scp-guardrail-missing", 1);
    const iam_diag *g = expect_at(an, "scp-guardrail-missing", "org/sandbox/region.scp.json", 1, 1, "{",
                                  "the 1 SCP at this level lacks 7 guardrails");
    for (size_t i = 0; i < NGUARDS; i++)
        cr_assert(strstr(g->msg, GUARD_NAMES[i]), "names '%s': %s", GUARD_NAMES[i], g->msg);
    iam_analyzer_free(an);
}

Test(risk, scp_set_report_on_first_file)
{
    iam_analyzer *an = an_new();
    add_doc(an, "org/ou-dev/b.scp.json", HEAD G0 TAIL);
    add_doc(an, "org/ou-dev/a.scp.json", HEAD G1 TAIL);
    iam_analyzer_finish(an);
    expect_count(an, "scp-guardrail-missing", 1);
    const iam_diag *g = expect_at(an, "scp-guardrail-missing", "org/ou-dev/a.scp.json", 1, 1, "{", "the 2 SCPs at this level lack 5 guardrails");
    cr_assert_null(strstr(g->msg, GUARD_NAMES[0]), "%s", g->msg);
    cr_assert_null(strstr(g->msg, GUARD_NAMES[1]), "%s", g->msg);
    iam_analyzer_free(an);
}

/* What does not count as a guardrail: an Allow, a Deny on one trail, a
 * negated root condition (it denies everyone but root). */
Test(risk, scp_guardrail_traps)
{
    static const char P[] = "org/root/g.scp.json";
    iam_analyzer *an = analyze1(P, HEAD G1 ",\n" G2 ",\n" G3 ",\n" G4 ",\n" G5 ",\n"
                                   "  {'Effect': 'Allow', 'Action': ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], 'Resource': '*'},\n"
                                   DENY "['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], 'Resource': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org'},\n"
                                   DENY "['iam:*', 'sts:*'], 'Resource': '*', 'Condition': {'ArnNotLike': {'aws:PrincipalArn': 'arn:aws:iam::*:root'}}}" TAIL);
    const iam_diag *g = expect_at(an, "scp-guardrail-missing", P, 1, 1, "{", "lacks 2 guardrails");
    cr_assert(strstr(g->msg, GUARD_NAMES[0]) && strstr(g->msg, GUARD_NAMES[6]), "%s", g->msg);
    iam_analyzer_free(an);
}

/* A Deny that applies to one named role protects nothing from everyone
 * else: it is not a guardrail. */
Test(risk, scp_guardrail_for_one_principal_only)
{
    static const char P[] = "org/root/g.scp.json";
    iam_analyzer *an = analyze1(P, HEAD G1 ",\n" G2 ",\n" G3 ",\n" G4 ",\n" G5 ",\n"
                                   DENY "['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], 'Resource': '*', "
                                   "'Condition': {'ArnEquals': {'aws:PrincipalArn': 'arn:aws:iam::*:role/Intern'}}}" TAIL);
    const iam_diag *g = expect_at(an, "scp-guardrail-missing", P, 1, 1, "{", "lacks 2 guardrails");
    cr_assert(strstr(g->msg, GUARD_NAMES[0]), "%s", g->msg);
    iam_analyzer_free(an);
}

/* The common region SCP denies "*" only outside the allowed regions; in
 * them CloudTrail etc. can still be switched off. It guards nothing of the
 * list (and neither does the root-user Deny "*", which only hits root). */
Test(risk, scp_conditioned_deny_star_is_not_every_guardrail)
{
    static const char P[] = "org/sandbox/region.scp.json";
    iam_analyzer *an = analyze1(P, HEAD DENY "'*', 'Resource': '*', "
                                   "'Condition': {'StringNotEquals': {'aws:RequestedRegion': 'eu-west-1'}}}" TAIL);
    expect_at(an, "scp-guardrail-missing", P, 1, 1, "{", "lacks 7 guardrails");
    iam_analyzer_free(an);
}

/* The usual form exempts a security role: still a guardrail. */
Test(risk, scp_guardrail_with_exemption_counts)
{
    static const char P[] = "org/root/g.scp.json";
    iam_analyzer *an = analyze1(P, HEAD G1 ",\n" G2 ",\n" G3 ",\n" G4 ",\n" G5 ",\n" G6 ",\n"
                                   DENY "['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], 'Resource': '*', "
                                   "'Condition': {'ArnNotLike': {'aws:PrincipalArn': 'arn:aws:iam::*:role/SecurityAdmin'}}}" TAIL);
    expect_none(an, "scp-guardrail-missing");
    iam_analyzer_free(an);
}

Test(risk, scp_required_guardrails_from_config)
{
    iam_config *cfg = config_of("{'requiredGuardrails': ['ec2:DisableEbsEncryptionByDefault']}");
    iam_analyzer *an = an_new_cfg(cfg);
    /* without the root-user Deny "*", which would hide every other gap */
    add_doc(an, "org/root/g.scp.json", scp_without(6));
    iam_analyzer_finish(an);
    const iam_diag *g = expect_at(an, "scp-guardrail-missing", "org/root/g.scp.json", 1, 1, "{", "lacks 2 guardrails");
    cr_assert(strstr(g->msg, "ec2:DisableEbsEncryptionByDefault"), "%s", g->msg);
    iam_analyzer_free(an);
}

/* SCPs attached higher up apply below (AWS Organizations inheritance): an
 * OU folder nested in a root folder that has every guardrail is covered. */
Test(risk, scp_nested_folder_inherits_parent_guardrails)
{
    iam_analyzer *an = an_new();
    add_doc(an, "org/root/guardrails.scp.json", scp_without(NGUARDS));
    add_doc(an, "org/root/ou-dev/region.scp.json", HEAD DENY "['ec2:RunInstances', 'rds:CreateDBInstance'], 'Resource': '*', "
                                                        "'Condition': {'StringNotEquals': {'aws:RequestedRegion': 'eu-west-1'}}}" TAIL);
    iam_analyzer_finish(an);
    expect_none(an, "scp-guardrail-missing");
    iam_analyzer_free(an);
}

/* Identity policies are no SCP set. */
Test(risk, scp_rule_only_for_scps)
{
    iam_analyzer *an = analyze1("identity/p.json", HEAD ALLOW "'s3:GetObject', 'Resource': 'arn:aws:s3:::b/*'}" TAIL);
    expect_none(an, "scp-guardrail-missing");
    iam_analyzer_free(an);
}
