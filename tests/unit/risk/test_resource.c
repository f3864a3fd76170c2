/* test_resource.c - principal rules of resource and trust policies
 * (analyzer/risk_resource.c): public-access, allow-not-principal,
 * cross-account-trust, service-principal-without-source and
 * oidc-trust-unrestricted. */
#include "helpers.h"

#define HEAD "{'Version': '2012-10-17', 'Statement': [\n"
#define TAIL "\n]}"

static const char BKT[] = "resource/bucket.json";
static const char TR[] = "trust/role.json";

/* -- public-access ------------------------------------------------------------ */

/* Principal "*" starts at column 36; {"AWS": "*"}'s "*" at 44. */
#define PUB_STAR "  {'Effect': 'Allow', 'Principal': '*', 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::site/*'"
#define PUB_AWS "  {'Effect': 'Allow', 'Principal': {'AWS': '*'}, 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::site/*'"

Test(risk, public_access_bucket)
{
    iam_analyzer *an = analyze1(BKT, HEAD PUB_STAR "}" TAIL);
    const iam_diag *g = expect_at(an, "public-access", BKT, 2, 36, "\"*\"", "anonymous");
    cr_assert_eq(g->sev, IAM_SEV_SECURITY);
    cr_assert_str_eq(g->policy_type, "resource");
    cr_assert_not_null(g->help);
    iam_analyzer_free(an);
    an = analyze1(BKT, HEAD PUB_AWS "}" TAIL);
    expect_at(an, "public-access", BKT, 2, 44, "\"*\"", NULL);
    iam_analyzer_free(an);
}

Test(risk, public_access_trust)
{
    iam_analyzer *an = analyze1(TR, HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': '*'}, 'Action': 'sts:AssumeRole'}" TAIL);
    expect_at(an, "public-access", TR, 2, 44, "\"*\"", "anyone can assume it");
    iam_analyzer_free(an);
}

/* Conditions on the caller that really restrict who gets in. */
static const char *const PUBLIC_RESTRICTED[] = {
    "{'StringEquals': {'aws:PrincipalOrgID': 'o-a1b2c3d4e5'}}",
    "{'StringEquals': {'aws:SourceVpce': 'vpce-1a2b3c4d'}}",
    "{'StringEquals': {'aws:SourceVpc': 'vpc-111bbb22'}}",
    "{'IpAddress': {'aws:SourceIp': '203.0.113.0/24'}}",
    "{'ArnLike': {'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*'}}",
    "{'StringEquals': {'aws:PrincipalAccount': '111122223333'}}",
    "{'ForAnyValue:StringLike': {'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'}}",
};
TABLE_PARAMS(risk, public_access_restricted_is_clean, PUBLIC_RESTRICTED)
ParameterizedTest(size_t *i, risk, public_access_restricted_is_clean)
{
    static char ctx_[600];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD PUB_STAR ", 'Condition': %s}" TAIL, PUBLIC_RESTRICTED[*i]);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(BKT, doc);
    expect_none(an, "public-access");
    iam_analyzer_free(an);
}

/* Conditions that look like restrictions but let the world in: a negated
 * operator (absent keys pass it: anonymous callers have no org id, no VPC
 * endpoint), IfExists, wildcards, keys that are not about the caller. */
static const char *const PUBLIC_WEAK[] = {
    "{'StringNotEquals': {'aws:PrincipalOrgID': 'o-badbadbad1'}}",
    "{'StringEqualsIfExists': {'aws:SourceVpce': 'vpce-1a2b3c4d'}}",
    "{'NotIpAddress': {'aws:SourceIp': '198.51.100.0/24'}}",
    "{'StringLike': {'aws:PrincipalArn': '*'}}",
    "{'Bool': {'aws:SecureTransport': 'true'}}",
    "{'StringLike': {'aws:Referer': 'https://example.com/*'}}",
    /* everyone except one account: still the whole world, anonymous included */
    "{'StringNotEquals': {'aws:PrincipalAccount': '444455556666'}}",
};
TABLE_PARAMS(risk, public_access_weak_condition_still_fires, PUBLIC_WEAK)
ParameterizedTest(size_t *i, risk, public_access_weak_condition_still_fires)
{
    static char ctx_[600];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD PUB_STAR ", 'Condition': %s}" TAIL, PUBLIC_WEAK[*i]);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(BKT, doc);
    expect_at(an, "public-access", BKT, 2, 36, "\"*\"", NULL);
    iam_analyzer_free(an);
}

Test(risk, public_access_traps)
{
    /* Deny to everyone is the usual TLS guard */
    iam_analyzer *an = analyze1(BKT, HEAD "  {'Effect': 'Deny', 'Principal': '*', 'Action': 's3:*', 'Resource': 'arn:aws:s3:::site/*', "
                                          "'Condition': {'Bool': {'aws:SecureTransport': 'false'}}}" TAIL);
    expect_none(an, "public-access");
    iam_analyzer_free(an);
    an = analyze1(BKT, HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:root'}, 'Action': 's3:GetObject', "
                            "'Resource': 'arn:aws:s3:::site/*'}" TAIL);
    expect_none(an, "public-access");
    iam_analyzer_free(an);
    /* an identity policy has no Principal: nothing public about "*" there */
    an = analyze1("identity/p.json", HEAD "  {'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::site/*'}" TAIL);
    expect_none(an, "public-access");
    iam_analyzer_free(an);
}

/* -- allow-not-principal -------------------------------------------------------- */

Test(risk, allow_not_principal)
{
    iam_analyzer *an = analyze1(BKT, HEAD "  {'Effect': 'Allow', 'NotPrincipal': {'AWS': 'arn:aws:iam::111122223333:user/bob'}, "
                                          "'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::site/*'}" TAIL);
    const iam_diag *g = expect_at(an, "allow-not-principal", BKT, 2, 39, "{\"AWS\"", "everyone not listed");
    cr_assert_eq(g->sev, IAM_SEV_SECURITY);
    iam_analyzer_free(an);
    an = analyze1(BKT, HEAD "  {'Effect': 'Deny', 'NotPrincipal': {'AWS': 'arn:aws:iam::111122223333:role/admin'}, "
                            "'Action': 's3:*', 'Resource': 'arn:aws:s3:::site/*'}" TAIL);
    expect_none(an, "allow-not-principal");
    iam_analyzer_free(an);
}

/* NotAction in a resource policy: the Not- rule applies, the identity
 * action rules (admin-access, resource-star) do not. */
Test(risk, allow_not_action_in_resource_policy)
{
    iam_analyzer *an = analyze1(BKT, HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:role/etl'}, "
                                          "'NotAction': 's3:DeleteBucket', 'Resource': '*'}" TAIL);
    expect_at(an, "allow-not-action", BKT, 2, 96, "\"s3:DeleteBucket\"", NULL);
    expect_none_of(an, ACTION_SCOPE_RULES);
    iam_analyzer_free(an);
}

/* -- cross-account-trust ------------------------------------------------------------ */

#define TRUST_ACCT(principal, cond) \
    HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': " principal "}, 'Action': 'sts:AssumeRole'" cond "}" TAIL

Test(risk, cross_account_trust_without_external_id)
{
    iam_analyzer *an = analyze1(TR, TRUST_ACCT("'arn:aws:iam::999988887777:root'", ""));
    expect_at(an, "cross-account-trust", TR, 2, 44, "\"arn:aws:iam::999988887777:root\"", "without an sts:ExternalId");
    expect_count(an, "cross-account-trust", 1);
    iam_analyzer_free(an);
    an = analyze1(TR, TRUST_ACCT("'999988887777'", ""));
    expect_at(an, "cross-account-trust", TR, 2, 44, "\"999988887777\"", "999988887777");
    iam_analyzer_free(an);
}

Test(risk, cross_account_trust_external_id_is_clean)
{
    iam_analyzer *an = analyze1(TR, TRUST_ACCT("'999988887777'", ", 'Condition': {'StringEquals': {'sts:ExternalId': 'f00d-4b1d'}}"));
    expect_none(an, "cross-account-trust");
    iam_analyzer_free(an);
}

Test(risk, cross_account_trust_weak_external_id)
{
    iam_analyzer *an = analyze1(TR, TRUST_ACCT("'999988887777'", ", 'Condition': {'StringLike': {'sts:ExternalId': '*'}}"));
    expect_at(an, "cross-account-trust", TR, 2, 44, "\"999988887777\"", "sts:ExternalId");
    iam_analyzer_free(an);
    an = analyze1(TR, TRUST_ACCT("'999988887777'", ", 'Condition': {'StringEqualsIfExists': {'sts:ExternalId': 'f00d'}}"));
    expect_at(an, "cross-account-trust", TR, 2, 44, "\"999988887777\"", "sts:ExternalId");
    iam_analyzer_free(an);
}

Test(risk, cross_account_trust_config)
{
    /* a trusted account needs no external id */
    iam_config *cfg = config_of("{'trustedAccounts': ['999988887777']}");
    iam_analyzer *an = an_new_cfg(cfg);
    add_doc(an, TR, TRUST_ACCT("'arn:aws:iam::999988887777:root'", ""));
    iam_analyzer_finish(an);
    expect_none(an, "cross-account-trust");
    iam_analyzer_free(an);
    /* an account outside the list is reported as untrusted */
    cfg = config_of("{'trustedAccounts': ['111122223333']}");
    an = an_new_cfg(cfg);
    add_doc(an, TR, TRUST_ACCT("'arn:aws:iam::999988887777:root'", ", 'Condition': {'StringEquals': {'sts:ExternalId': 'f00d'}}"));
    iam_analyzer_finish(an);
    expect_at(an, "cross-account-trust", TR, 2, 44, "\"arn", "not listed as trusted");
    expect_count(an, "cross-account-trust", 1);
    iam_analyzer_free(an);
}

/* A queue policy names its own account in Resource: another account is
 * cross-account, the own one is not. */
Test(risk, cross_account_resource_policy)
{
    static const char Q[] = "resource/queue.json";
    iam_analyzer *an = analyze1(Q, HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::999988887777:role/reader'}, "
                                        "'Action': 'sqs:ReceiveMessage', 'Resource': 'arn:aws:sqs:us-east-1:111122223333:orders'}" TAIL);
    expect_at(an, "cross-account-trust", Q, 2, 44, "\"arn:aws:iam::999988887777:role/reader\"", "999988887777");
    iam_analyzer_free(an);
    an = analyze1(Q, HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:role/reader'}, "
                          "'Action': 'sqs:ReceiveMessage', 'Resource': 'arn:aws:sqs:us-east-1:111122223333:orders'}" TAIL);
    expect_none(an, "cross-account-trust");
    iam_analyzer_free(an);
}

/* S3 ARNs carry no account: only the configured list says what is ours. */
Test(risk, cross_account_bucket_policy_with_config)
{
    iam_config *cfg = config_of("{'trustedAccounts': ['111122223333']}");
    iam_analyzer *an = an_new_cfg(cfg);
    add_doc(an, BKT, HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': ['arn:aws:iam::111122223333:root', 'arn:aws:iam::999988887777:root']}, "
                          "'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::data/*'}" TAIL);
    iam_analyzer_finish(an);
    expect_at(an, "cross-account-trust", BKT, 2, 79, "\"arn:aws:iam::999988887777:root\"", "999988887777");
    expect_count(an, "cross-account-trust", 1);
    iam_analyzer_free(an);
    /* without a config nothing is known about the accounts */
    an = analyze1(BKT, HEAD "  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::999988887777:root'}, "
                            "'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::data/*'}" TAIL);
    expect_none(an, "cross-account-trust");
    iam_analyzer_free(an);
}

/* -- service-principal-without-source ---------------------------------------------------- */

#define SVC_STMT "  {'Effect': 'Allow', 'Principal': {'Service': 'cloudtrail.amazonaws.com'}, 'Action': 's3:PutObject', " \
                 "'Resource': 'arn:aws:s3:::trail-logs/AWSLogs/111122223333/*'"

Test(risk, service_principal_without_source)
{
    iam_analyzer *an = analyze1(BKT, HEAD SVC_STMT "}" TAIL);
    expect_at(an, "service-principal-without-source", BKT, 2, 48, "\"cloudtrail.amazonaws.com\"", "confused deputy");
    iam_analyzer_free(an);
}

static const char *const SVC_WEAK[] = {
    "{'StringEqualsIfExists': {'aws:SourceAccount': '111122223333'}}",
    "{'ArnLike': {'aws:SourceArn': '*'}}",
    "{'StringNotEquals': {'aws:SourceAccount': '999988887777'}}",
    "{'StringEquals': {'s3:x-amz-acl': 'bucket-owner-full-control'}}",
};
TABLE_PARAMS(risk, service_principal_weak_source, SVC_WEAK)
ParameterizedTest(size_t *i, risk, service_principal_weak_source)
{
    static char ctx_[600];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD SVC_STMT ", 'Condition': %s}" TAIL, SVC_WEAK[*i]);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(BKT, doc);
    expect_at(an, "service-principal-without-source", BKT, 2, 48, "\"cloudtrail", NULL);
    iam_analyzer_free(an);
}

static const char *const SVC_OK[] = {
    "{'StringEquals': {'aws:SourceAccount': '111122223333'}}",
    "{'ArnLike': {'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/*'}}",
    "{'StringEquals': {'aws:SourceOrgID': 'o-a1b2c3d4e5'}}",
};
TABLE_PARAMS(risk, service_principal_with_source_is_clean, SVC_OK)
ParameterizedTest(size_t *i, risk, service_principal_with_source_is_clean)
{
    static char ctx_[600];
    char doc[512];
    snprintf(doc, sizeof doc, HEAD SVC_STMT ", 'Condition': %s}" TAIL, SVC_OK[*i]);
    snprintf(ctx_, sizeof ctx_, "[case %zu: %.500s] ", *i, doc + strlen(HEAD));
    test_ctx = ctx_;
    iam_analyzer *an = analyze1(BKT, doc);
    expect_none(an, "service-principal-without-source");
    iam_analyzer_free(an);
}

/* A role trust policy for a service is how service roles work: no
 * confused-deputy finding there. */
Test(risk, service_principal_trust_policy_is_clean)
{
    iam_analyzer *an = analyze1(TR, HEAD "  {'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}" TAIL);
    expect_none(an, "service-principal-without-source");
    expect_none(an, "public-access");
    expect_none(an, "cross-account-trust");
    iam_analyzer_free(an);
}

/* -- oidc-trust-unrestricted ------------------------------------------------------------- */

#define GH "'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'"
#define OIDC(fed, cond) \
    HEAD "  {'Effect': 'Allow', 'Principal': {'Federated': " fed "}, 'Action': 'sts:AssumeRoleWithWebIdentity',\n" \
         "   'Condition': " cond "}" TAIL

Test(risk, oidc_github_clean)
{
    iam_analyzer *an = analyze1(TR, OIDC(GH, "{'StringEquals': {'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', "
                                             "'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main'}}"));
    expect_none(an, "oidc-trust-unrestricted");
    expect_none(an, "public-access");
    iam_analyzer_free(an);
    an = analyze1(TR, OIDC(GH, "{'StringEquals': {'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com'}, "
                               "'StringLike': {'token.actions.githubusercontent.com:sub': 'repo:acme/app:*'}}"));
    expect_none(an, "oidc-trust-unrestricted");
    iam_analyzer_free(an);
}

Test(risk, oidc_github_wildcard_subject)
{
    iam_analyzer *an = analyze1(TR, OIDC(GH, "{'StringEquals': {'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com'}, "
                                             "'StringLike': {'token.actions.githubusercontent.com:sub': 'repo:*'}}"));
    expect_at(an, "oidc-trust-unrestricted", TR, 3, 115, "\"token.actions.githubusercontent.com:sub\"", "wildcard subject");
    expect_count(an, "oidc-trust-unrestricted", 1);
    iam_analyzer_free(an);
    an = analyze1(TR, OIDC(GH, "{'StringEquals': {'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com'}, "
                               "'StringLike': {'token.actions.githubusercontent.com:sub': '*'}}"));
    expect_at(an, "oidc-trust-unrestricted", TR, 3, 115, "\"token.actions", "wildcard subject");
    iam_analyzer_free(an);
}

Test(risk, oidc_github_without_subject)
{
    iam_analyzer *an = analyze1(TR, OIDC(GH, "{'StringEquals': {'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com'}}"));
    expect_at(an, "oidc-trust-unrestricted", TR, 2, 50, "\"arn:aws:iam::111122223333:oidc-provider/", "any repository");
    expect_count(an, "oidc-trust-unrestricted", 1);
    iam_analyzer_free(an);
}

Test(risk, oidc_without_audience)
{
    iam_analyzer *an = analyze1(TR, OIDC(GH, "{'StringLike': {'token.actions.githubusercontent.com:sub': 'repo:acme/app:*'}}"));
    expect_at(an, "oidc-trust-unrestricted", TR, 2, 50, "\"arn:aws:iam::111122223333:oidc-provider/", "any audience");
    expect_count(an, "oidc-trust-unrestricted", 1);
    iam_analyzer_free(an);
    /* an IfExists audience passes tokens without one */
    an = analyze1(TR, OIDC(GH, "{'StringEqualsIfExists': {'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com'}, "
                               "'StringLike': {'token.actions.githubusercontent.com:sub': 'repo:acme/app:*'}}"));
    expect_at(an, "oidc-trust-unrestricted", TR, 2, 50, "\"arn", "any audience");
    iam_analyzer_free(an);
}

Test(risk, oidc_other_providers)
{
    /* EKS IRSA: aud and a named service account is the documented form */
    iam_analyzer *an = analyze1(TR, OIDC("'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE'",
                                         "{'StringEquals': {'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com', "
                                         "'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:default:app'}}"));
    expect_none(an, "oidc-trust-unrestricted");
    iam_analyzer_free(an);
    an = analyze1(TR, OIDC("'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE'",
                           "{'StringEquals': {'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com'}, "
                           "'StringLike': {'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:*'}}"));
    expect_count(an, "oidc-trust-unrestricted", 1);
    cr_assert_not_null(find_msg(an, "oidc-trust-unrestricted", "wildcard subject"));
    iam_analyzer_free(an);
    /* Cognito identity pools: aud is the pool id */
    an = analyze1(TR, OIDC("'cognito-identity.amazonaws.com'", "{'StringEquals': {'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-abcd-abcd-abcd-123456789012'}, "
                                                           "'ForAnyValue:StringLike': {'cognito-identity.amazonaws.com:amr': 'authenticated'}}"));
    expect_none(an, "oidc-trust-unrestricted");
    iam_analyzer_free(an);
    an = analyze1(TR, OIDC("'cognito-identity.amazonaws.com'", "{'ForAnyValue:StringLike': {'cognito-identity.amazonaws.com:amr': 'authenticated'}}"));
    expect_at(an, "oidc-trust-unrestricted", TR, 2, 50, "\"cognito-identity.amazonaws.com\"", "cognito-identity.amazonaws.com:aud");
    iam_analyzer_free(an);
    /* SAML is not web identity */
    an = analyze1(TR, HEAD "  {'Effect': 'Allow', 'Principal': {'Federated': 'arn:aws:iam::111122223333:saml-provider/Okta'}, "
                           "'Action': 'sts:AssumeRoleWithSAML', 'Condition': {'StringEquals': {'SAML:aud': 'https://signin.aws.amazon.com/saml'}}}" TAIL);
    expect_none(an, "oidc-trust-unrestricted");
    iam_analyzer_free(an);
}
