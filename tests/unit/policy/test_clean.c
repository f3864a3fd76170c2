/* test_clean.c - false-positive traps: valid policies of every type,
 * written the way AWS documents them, must produce no diagnostic at all. */
#include "helpers.h"
#include "params.h"

typedef struct clean {
    const char *name;
    iam_policy_type type;
    const char *text;
} clean;

static const clean cleans[] = {
    {"MFA guardrail (iam-semantics 5)", IAM_PT_IDENTITY,
     "{`Version`: `2012-10-17`, `Statement`: [\n"
     "  {`Sid`: `AllowViewAccountInfo`, `Effect`: `Allow`, `Action`: [`iam:GetAccountPasswordPolicy`, `iam:ListVirtualMFADevices`], `Resource`: `*`},\n"
     "  {`Sid`: `AllowManageOwnVirtualMFADevice`, `Effect`: `Allow`, `Action`: [`iam:CreateVirtualMFADevice`], `Resource`: `arn:aws:iam::*:mfa/*`},\n"
     "  {`Sid`: `AllowManageOwnUserMFA`, `Effect`: `Allow`, `Action`: [`iam:DeactivateMFADevice`, `iam:EnableMFADevice`, `iam:GetUser`, `iam:ListMFADevices`, `iam:ResyncMFADevice`], `Resource`: `arn:aws:iam::*:user/${aws:username}`},\n"
     "  {`Sid`: `DenyAllExceptListedIfNoMFA`, `Effect`: `Deny`,\n"
     "   `NotAction`: [`iam:CreateVirtualMFADevice`, `iam:EnableMFADevice`, `iam:GetUser`, `iam:ListMFADevices`,\n"
     "                 `iam:ListVirtualMFADevices`, `iam:ResyncMFADevice`, `sts:GetSessionToken`],\n"
     "   `Resource`: `*`, `Condition`: {`BoolIfExists`: {`aws:MultiFactorAuthPresent`: `false`}}}\n"
     "]}"},
    {"S3 bucket policy with Sid spaces", IAM_PT_RESOURCE,
     "{`Version`: `2012-10-17`, `Id`: `Policy 1`, `Statement`: [\n"
     "  {`Sid`: `Allow read access for the analytics role`, `Effect`: `Allow`,\n"
     "   `Principal`: {`AWS`: [`arn:aws:iam::111122223333:role/analytics`, `444455556666`]},\n"
     "   `Action`: [`s3:GetObject`, `s3:GetObjectVersion`], `Resource`: `arn:aws:s3:::orders-bucket/*`},\n"
     "  {`Sid`: `Deny insecure transport`, `Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:*`,\n"
     "   `Resource`: [`arn:aws:s3:::orders-bucket`, `arn:aws:s3:::orders-bucket/*`],\n"
     "   `Condition`: {`Bool`: {`aws:SecureTransport`: `false`}}}\n"
     "]}"},
    {"RCP enforcing TLS with Principal * and Deny", IAM_PT_RCP,
     "{`Version`: `2012-10-17`, `Statement`: [{`Sid`: `EnforceSecureTransport`, `Effect`: `Deny`, `Principal`: `*`,\n"
     "  `Action`: [`s3:*`, `sqs:*`, `kms:*`, `secretsmanager:*`, `sts:*`], `Resource`: `*`,\n"
     "  `Condition`: {`BoolIfExists`: {`aws:SecureTransport`: `false`}}}]}"},
    {"RCP org-only with AWS:* principal", IAM_PT_RCP,
     "{`Version`: `2012-10-17`, `Statement`: [{`Sid`: `EnforceOrgIdentities`, `Effect`: `Deny`, `Principal`: {`AWS`: `*`},\n"
     "  `Action`: [`s3:*`], `Resource`: `*`,\n"
     "  `Condition`: {`StringNotEqualsIfExists`: {`aws:PrincipalOrgID`: `o-abcd1234`},\n"
     "                `BoolIfExists`: {`aws:PrincipalIsAWSService`: `false`}}}]}"},
    {"trust: GitHub OIDC federation", IAM_PT_TRUST,
     "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Allow`,\n"
     "  `Principal`: {`Federated`: `arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com`},\n"
     "  `Action`: `sts:AssumeRoleWithWebIdentity`,\n"
     "  `Condition`: {`StringEquals`: {`token.actions.githubusercontent.com:aud`: `sts.amazonaws.com`},\n"
     "                `StringLike`: {`token.actions.githubusercontent.com:sub`: `repo:acme/orders:*`}}}]}"},
    {"trust: Cognito web identity", IAM_PT_TRUST,
     "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Principal`: {`Federated`: `cognito-identity.amazonaws.com`},\n"
     "  `Action`: [`sts:AssumeRoleWithWebIdentity`, `sts:TagSession`],\n"
     "  `Condition`: {`StringEquals`: {`cognito-identity.amazonaws.com:aud`: `us-east-1:12345678-1234-1234-1234-123456789012`},\n"
     "                `ForAnyValue:StringLike`: {`cognito-identity.amazonaws.com:amr`: `authenticated`}}}}"},
    {"trust: SAML", IAM_PT_TRUST,
     "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Allow`,\n"
     "  `Principal`: {`Federated`: `arn:aws:iam::111122223333:saml-provider/Okta`},\n"
     "  `Action`: `sts:AssumeRoleWithSAML`,\n"
     "  `Condition`: {`StringEquals`: {`SAML:aud`: `https://signin.aws.amazon.com/saml`}}}]}"},
    {"trust: service and cross-account with external id", IAM_PT_TRUST,
     "{`Version`: `2012-10-17`, `Statement`: [\n"
     "  {`Sid`: `Lambda`, `Effect`: `Allow`, `Principal`: {`Service`: [`lambda.amazonaws.com`, `edgelambda.amazonaws.com`]}, `Action`: `sts:AssumeRole`},\n"
     "  {`Sid`: `Partner`, `Effect`: `Allow`, `Principal`: {`AWS`: [`arn:aws:iam::444455556666:root`, `arn:aws:iam::444455556666:role/deployer`]},\n"
     "   `Action`: [`sts:AssumeRole`, `sts:TagSession`], `Condition`: {`StringEquals`: {`sts:ExternalId`: `Unique-1234`}}}\n"
     "]}"},
    {"identity: ${aws:username} in a resource", IAM_PT_IDENTITY,
     "{`Version`: `2012-10-17`, `Statement`: [\n"
     "  {`Effect`: `Allow`, `Action`: [`s3:GetObject`, `s3:PutObject`], `Resource`: `arn:aws:s3:::home-bucket/home/${aws:username}/*`},\n"
     "  {`Effect`: `Allow`, `Action`: `s3:ListBucket`, `Resource`: `arn:aws:s3:::home-bucket`,\n"
     "   `Condition`: {`StringLike`: {`s3:prefix`: [``, `home/`, `home/${aws:username}/*`]}}}\n"
     "]}"},
    {"identity: variable with a default", IAM_PT_IDENTITY,
     "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Allow`, `Action`: `s3:GetObject`,\n"
     "  `Resource`: `arn:aws:s3:::shared/${aws:PrincipalTag/team, 'none'}/*`,\n"
     "  `Condition`: {`StringEquals`: {`aws:ResourceTag/team`: `${aws:PrincipalTag/team, 'company-wide'}`}}}]}"},
    {"identity: escapes ${*} ${?} ${$}", IAM_PT_IDENTITY,
     "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `s3:GetObject`,\n"
     "  `Resource`: `arn:aws:s3:::b/literal-${*}-${?}-${$}/${aws:userid}`}}"},
    {"identity: every condition family", IAM_PT_IDENTITY,
     "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: [`ec2:RunInstances`, `ec2:Describe*`, `iam:*AccessKey*`],\n"
     "  `Resource`: [`*`, `arn:aws:ec2:*:111122223333:instance/*`], `Condition`: {\n"
     "   `DateGreaterThan`: {`aws:CurrentTime`: `2020-01-01T00:00:00Z`},\n"
     "   `DateLessThan`: {`aws:EpochTime`: 1893456000, `aws:TokenIssueTime`: `2030-06-30T12:00:00.5+02:00`},\n"
     "   `NumericLessThanEquals`: {`aws:MultiFactorAuthAge`: 3600},\n"
     "   `Bool`: {`aws:SecureTransport`: true},\n"
     "   `IpAddress`: {`aws:SourceIp`: [`203.0.113.0/24`, `2001:DB8:1234:5678::/64`, `198.51.100.7`]},\n"
     "   `BinaryEquals`: {`aws:SomeBinary`: `QmluYXJ5VmFsdWVJbkJhc2U2NA==`},\n"
     "   `ArnLike`: {`aws:SourceArn`: `arn:aws:sns:*:111122223333:topic*`},\n"
     "   `Null`: {`aws:TokenIssueTime`: `false`},\n"
     "   `ForAllValues:StringEquals`: {`aws:TagKeys`: [`env`, `app`]},\n"
     "   `ForAnyValue:StringLike`: {`aws:CalledVia`: `*.amazonaws.com`},\n"
     "   `StringEqualsIgnoreCaseIfExists`: {`ec2:InstanceType`: [`t3.micro`, `T3.SMALL`]},\n"
     "   `StringNotLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/admin-*`}}}}"},
    {"identity: NotAction + NotResource", IAM_PT_IDENTITY,
     "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Deny`, `NotAction`: [`iam:*`, `organizations:*`],\n"
     "  `NotResource`: [`arn:aws:iam::111122223333:role/break-glass`]}}"},
    {"identity: legacy version with literal ${", IAM_PT_IDENTITY,
     "{`Version`: `2008-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `s3:GetObject`,\n"
     "  `Resource`: `arn:aws:s3:::b/${not a variable`}}"},
    {"SCP: region guardrail", IAM_PT_SCP,
     "{`Version`: `2012-10-17`, `Statement`: [{`Sid`: `DenyOutsideApprovedRegions`, `Effect`: `Deny`,\n"
     "  `NotAction`: [`iam:*`, `organizations:*`, `route53:*`, `sts:*`, `support:*`, `cloudfront:*`],\n"
     "  `Resource`: `*`, `Condition`: {`StringNotEquals`: {`aws:RequestedRegion`: [`eu-west-1`, `eu-central-1`]},\n"
     "  `ArnNotLike`: {`aws:PrincipalARN`: `arn:aws:iam::*:role/OrganizationAccountAccessRole`}}}]}"},
    {"SCP: deny leaving the organization", IAM_PT_SCP,
     "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Deny`, `Action`: `organizations:LeaveOrganization`, `Resource`: `*`}]}"},
    {"SCP: full access (FullAWSAccess)", IAM_PT_SCP,
     "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}]}"},
    {"permission boundary", IAM_PT_BOUNDARY,
     "{`Version`: `2012-10-17`, `Statement`: [\n"
     "  {`Sid`: `AllowDevServices`, `Effect`: `Allow`, `Action`: [`s3:*`, `dynamodb:*`, `lambda:*`, `logs:*`], `Resource`: `*`},\n"
     "  {`Sid`: `DenyBoundaryEdits`, `Effect`: `Deny`, `Action`: [`iam:DeletePolicy`, `iam:CreatePolicyVersion`],\n"
     "   `Resource`: `arn:aws:iam::111122223333:policy/developer-boundary`}]}"},
    {"session policy", IAM_PT_SESSION,
     "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Allow`, `Action`: [`s3:GetObject`, `s3:ListBucket`],\n"
     "  `Resource`: [`arn:aws:s3:::reports`, `arn:aws:s3:::reports/*`]}]}"},
    {"KMS key policy with Id and root principal", IAM_PT_RESOURCE,
     "{`Version`: `2012-10-17`, `Id`: `key-default-1`, `Statement`: [\n"
     "  {`Sid`: `Enable IAM User Permissions`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::111122223333:root`},\n"
     "   `Action`: `kms:*`, `Resource`: `*`},\n"
     "  {`Sid`: `Allow CloudTrail`, `Effect`: `Allow`, `Principal`: {`Service`: `cloudtrail.amazonaws.com`},\n"
     "   `Action`: `kms:GenerateDataKey*`, `Resource`: `*`,\n"
     "   `Condition`: {`StringLike`: {`kms:EncryptionContext:aws:cloudtrail:arn`: `arn:aws:cloudtrail:*:111122223333:trail/*`},\n"
     "                 `StringEquals`: {`aws:SourceAccount`: `111122223333`}}}]}"},
    {"resource policy: Deny + NotPrincipal with session, role and account", IAM_PT_RESOURCE,
     "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Deny`,\n"
     "  `NotPrincipal`: {`AWS`: [`arn:aws:sts::111122223333:assumed-role/admin/alice`, `arn:aws:iam::111122223333:role/admin`,\n"
     "                           `arn:aws:iam::111122223333:root`]},\n"
     "  `Action`: `s3:*`, `Resource`: [`arn:aws:s3:::b`, `arn:aws:s3:::b/*`]}]}"},
    {"resource policy: S3 canonical user and unique id", IAM_PT_RESOURCE,
     "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Allow`,\n"
     "  `Principal`: {`CanonicalUser`: `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be`,\n"
     "                `AWS`: [`AIDAJQABLZS4A3QDU576Q`, `arn:aws:sts::111122223333:federated-user/Bob`]},\n"
     "  `Action`: `s3:GetObject`, `Resource`: `arn:aws:s3:::b/*`}]}"},
    {"SQS queue policy with unicode in a Sid", IAM_PT_RESOURCE,
     "{`Version`: `2012-10-17`, `Id`: `arn:aws:sqs:us-east-1:111122223333:q/SQSDefaultPolicy`, `Statement`: [{\n"
     "  `Sid`: `Topic \xE2\x86\x92 queue`, `Effect`: `Allow`, `Principal`: {`Service`: `sns.amazonaws.com`},\n"
     "  `Action`: `sqs:SendMessage`, `Resource`: `arn:aws:sqs:us-east-1:111122223333:q`,\n"
     "  `Condition`: {`ArnEquals`: {`aws:SourceArn`: `arn:aws:sns:us-east-1:111122223333:topic`}}}]}"},
};

IAM_TABLE_PARAMS(clean, policies, cleans)

ParameterizedTest(size_t *i, clean, policies)
{
    const clean *c = &cleans[*i];
    prun r;
    prun_type(&r, c->type, c->text);
    cr_assert_eq(r.d.n, 0, "[%s] as %s: expected no diagnostics, got:%s", c->name, iam_policy_type_name(c->type),
                 diag_list(&r));
    cr_assert(r.p->ok, "[%s]", c->name);
    cr_assert_gt(r.p->nstmts, 0);
    prun_free(&r);
}

ParameterizedTestParameters(clean, policies_decode_without_errors_under_heuristic)
{
    static size_t idx[sizeof cleans / sizeof *cleans];
    for (size_t k = 0; k < sizeof idx / sizeof *idx; k++)
        idx[k] = k;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof *idx);
}

/* The same clean documents, typed by the heuristic, never produce
 * structural errors either (only the type may differ). */
ParameterizedTest(size_t *i, clean, policies_decode_without_errors_under_heuristic)
{
    const clean *c = &cleans[*i];
    prun r;
    prun_type(&r, IAM_PT_UNKNOWN, c->text);
    for (size_t k = 0; k < r.d.n; k++) {
        iam_rule_id id = r.d.v[k].rule;
        cr_assert(id != IAM_R_UNKNOWN_ELEMENT && id != IAM_R_ELEMENT_TYPE && id != IAM_R_INVALID_EFFECT &&
                      id != IAM_R_CONDITION_VALUE_TYPE && id != IAM_R_INVALID_POLICY_VARIABLE,
                  "[%s]:%s", c->name, diag_list(&r));
    }
    prun_free(&r);
}
