/* test_validate.c - grammar validation per policy type and rule name
 * (iam-semantics.md 1.2-1.8, 4.2, 4.6, 6). Each rule: true positives at
 * their exact positions. Clean policies of every type are in test_clean.c. */
#include "helpers.h"
#include "params.h"

#define ID IAM_PT_IDENTITY
#define RES IAM_PT_RESOURCE
#define TRUST IAM_PT_TRUST
#define SCP IAM_PT_SCP
#define RCP IAM_PT_RCP
#define PB IAM_PT_BOUNDARY
#define SESS IAM_PT_SESSION

TestSuite(validate);

/* -- forbidden-element -- */

Test(validate, principal_forbidden_in_identity_family_and_scp)
{
    iam_policy_type types[] = {ID, PB, SESS, SCP};
    for (size_t i = 0; i < 4; i++) {
        prun r;
        prun_type(&r, types[i],
                  "{" V12 "`Statement`: {`Effect`: `Deny`, `Principal`: {`AWS`: `111122223333`}, "
                  "`Action`: `s3:GetObject`, `Resource`: `*`}}");
        EXPECT(&r, {"forbidden-element", "`Principal`", 0});
        cr_assert_eq(r.d.v[0].sev, IAM_SEV_ERROR);
        cr_assert_str_eq(r.d.v[0].policy_type, iam_policy_type_name(types[i]));
        if (types[i] == ID)
            cr_assert(r.d.v[0].help && strstr(r.d.v[0].help, "--type"));
        prun_free(&r);
    }
}

Test(validate, not_principal_forbidden)
{
    iam_policy_type types[] = {ID, TRUST, SCP, RCP};
    for (size_t i = 0; i < 4; i++) {
        prun r;
        prun_type(&r, types[i],
                  "{" V12 "`Statement`: {`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `111122223333`}, "
                  "`Action`: `sts:AssumeRole`}}");
        /* trust: no Resource allowed; others need one, so missing-element too */
        if (types[i] == TRUST)
            EXPECT(&r, {"forbidden-element", "`NotPrincipal`", 0});
        else
            EXPECT(&r, {"forbidden-element", "`NotPrincipal`", 0}, {"missing-element", "{`Effect`", 0});
        prun_free(&r);
    }
}

Test(validate, not_principal_with_allow_in_resource_policy)
{
    prun r;
    prun_type(&r, RES,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `NotPrincipal`: {`AWS`: `111122223333`}, "
              "`Action`: `s3:GetObject`, `Resource`: `arn:aws:s3:::b/*`}}");
    EXPECT(&r, {"forbidden-element", "`NotPrincipal`", 0});
    prun_free(&r);
}

Test(validate, resource_forbidden_in_trust)
{
    prun r;
    prun_type(&r, TRUST,
              "{" V12 "`Statement`: [{`Effect`: `Allow`, `Principal`: {`Service`: `lambda.amazonaws.com`}, "
              "`Action`: `sts:AssumeRole`, `Resource`: `*`}, {`Effect`: `Deny`, `Principal`: `*`, "
              "`Action`: `sts:AssumeRole`, `NotResource`: `arn:aws:iam::111122223333:role/x`}]}");
    EXPECT(&r, {"forbidden-element", "`Resource`", 0}, {"forbidden-element", "`NotResource`", 0});
    prun_free(&r);
}

Test(validate, not_action_forbidden_in_rcp)
{
    prun r;
    prun_type(&r, RCP,
              "{" V12 "`Statement`: {`Effect`: `Deny`, `Principal`: `*`, `NotAction`: `s3:GetObject`, `Resource`: `*`}}");
    EXPECT(&r, {"forbidden-element", "`NotAction`", 0});
    prun_free(&r);
}

Test(validate, id_forbidden_in_scp_and_rcp_lint_in_identity)
{
    prun r;
    prun_type(&r, SCP, "{" V12 "`Id`: `guardrails`, `Statement`: {`Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"forbidden-element", "`guardrails`", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_ERROR);
    prun_free(&r);
    prun_type(&r, RCP,
              "{" V12 "`Id`: `x`, `Statement`: {`Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"forbidden-element", "`x`", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_ERROR);
    prun_free(&r);
    prun_type(&r, ID, "{" V12 "`Id`: `x`, `Statement`: {`Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"forbidden-element", "`x`", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_WARNING);
    prun_free(&r);
}

/* -- missing-element (per type) -- */

Test(validate, principal_required)
{
    iam_policy_type types[] = {RES, TRUST, RCP};
    for (size_t i = 0; i < 3; i++) {
        prun r;
        prun_type(&r, types[i], "{" V12 "`Statement`: {`Effect`: `Deny`, `Action`: `sts:AssumeRole`, `Resource`: `*`}}");
        if (types[i] == TRUST)
            EXPECT(&r, {"missing-element", "{`Effect`", 0}, {"forbidden-element", "`Resource`", 0});
        else
            EXPECT(&r, {"missing-element", "{`Effect`", 0});
        cr_assert_eq(sev_of(&r, "missing-element"), IAM_SEV_ERROR);
        prun_free(&r);
    }
}

Test(validate, resource_required_except_trust)
{
    iam_policy_type types[] = {ID, PB, SESS, SCP};
    for (size_t i = 0; i < 4; i++) {
        prun r;
        prun_type(&r, types[i], "{" V12 "`Statement`: {`Effect`: `Deny`, `Action`: `s3:*`}}");
        EXPECT(&r, {"missing-element", "{`Effect`", 0});
        cr_assert_eq(r.d.v[0].sev, IAM_SEV_ERROR);
        prun_free(&r);
    }
    prun r;
    prun_type(&r, RES, "{" V12 "`Statement`: {`Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:*`}}");
    EXPECT(&r, {"missing-element", "{`Effect`", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_WARNING, "some resource-policy services tolerate omission");
    prun_free(&r);
}

/* -- element-combination in trust policies -- */

Test(validate, trust_principal_action_pairing)
{
    prun r;
    prun_type(&r, TRUST,
              "{" V12 "`Statement`: [{`Effect`: `Allow`, `Principal`: {`Federated`: "
              "`arn:aws:iam::111122223333:saml-provider/Okta`}, `Action`: `sts:AssumeRole`},"
              "{`Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::111122223333:root`}, "
              "`Action`: [`sts:AssumeRoleWithWebIdentity`, `sts:AssumeRoleWithSAML`]}]}");
    EXPECT(&r, {"element-combination", "`sts:AssumeRole`", 0},
           {"element-combination", "`sts:AssumeRoleWithWebIdentity`", 0},
           {"element-combination", "`sts:AssumeRoleWithSAML`", 0});
    prun_free(&r);
}

/* -- invalid-effect: RCPs only deny -- */

Test(validate, rcp_allow_is_invalid_effect)
{
    prun r;
    prun_type(&r, RCP, "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: `*`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-effect", "`Allow`", 0});
    prun_free(&r);
}

/* -- missing-version / invalid-version -- */

Test(validate, missing_version)
{
    prun r;
    prun_type(&r, ID, "{`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"missing-version", "{", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_WARNING);
    cr_assert(strstr(r.d.v[0].help, "2012-10-17"));
    prun_free(&r);
    iam_policy_type org[] = {SCP, RCP};
    for (size_t i = 0; i < 2; i++) {
        prun_type(&r, org[i], "{`Statement`: {`Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:*`, `Resource`: `*`}}");
        if (org[i] == SCP)
            EXPECT(&r, {"missing-version", "{", 0}, {"forbidden-element", "`Principal`", 0});
        else
            EXPECT(&r, {"missing-version", "{", 0});
        cr_assert_eq(sev_of(&r, "missing-version"), IAM_SEV_ERROR, "SCPs and RCPs must say 2012-10-17");
        prun_free(&r);
    }
}

Test(validate, invalid_version)
{
    const char *bad[] = {"2012-10-18", " 2012-10-17", "2012-10-17 ", "2012/10/17", "", "2024-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char t[256];
        snprintf(t, sizeof t, "{`Version`: `%s`, `Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}",
                 bad[i]);
        prun r;
        prun_type(&r, ID, t);
        EXPECT(&r, {"invalid-version", NULL, 0});
        /* position: the value, 11 columns after the key */
        cr_assert_eq(r.d.v[0].span.col, 13, "[%s] col %u", bad[i], r.d.v[0].span.col);
        prun_free(&r);
    }
    prun r;
    prun_type(&r, SCP, "{`Version`: `2008-10-17`, `Statement`: {`Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-version", "`2008-10-17`", 0});
    prun_free(&r);
    prun_type(&r, RCP, "{`Version`: `2008-10-17`, `Statement`: {`Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-version", "`2008-10-17`", 0});
    prun_free(&r);
}

/* -- invalid-sid / duplicate-sid -- */

Test(validate, invalid_sid_in_iam_family)
{
    iam_policy_type types[] = {ID, PB, SESS, TRUST, SCP, RCP};
    const char *sids[] = {"Allow-S3", "My Sid", "a_b", "caf\xC3\xA9", "x.y"};
    for (size_t t = 0; t < 6; t++)
        for (size_t i = 0; i < 5; i++) {
            char text[512];
            snprintf(text, sizeof text,
                     "{" V12 "`Statement`: {`Sid`: `%s`, `Effect`: `Deny`, `Principal`: `*`, `Action`: `sts:AssumeRole`}}",
                     sids[i]);
            prun r;
            prun_type(&r, types[t], text);
            cr_assert_eq(count_rule(&r, "invalid-sid"), 1, "[%s as %s]:%s", sids[i], iam_policy_type_name(types[t]),
                         diag_list(&r));
            unsigned l, c;
            locate(&r, "`Sid`: `", 0, &l, &c);
            for (size_t k = 0; k < r.d.n; k++)
                if (r.d.v[k].rule == IAM_R_INVALID_SID)
                    cr_assert_eq(r.d.v[k].span.col, c + 7);
            prun_free(&r);
        }
}

Test(validate, resource_policy_sid_may_have_spaces)
{
    prun r;
    prun_type(&r, RES,
              "{" V12 "`Statement`: {`Sid`: `Allow public read - v2`, `Effect`: `Allow`, `Principal`: `*`, "
              "`Action`: `s3:GetObject`, `Resource`: `arn:aws:s3:::b/*`}}");
    EXPECT_NONE(&r);
    prun_free(&r);
}

Test(validate, duplicate_sid)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: [{`Sid`: `S1`, `Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Sid`: `S2`, `Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Sid`: `S1`, `Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Sid`: `S1`, `Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`}]}");
    EXPECT(&r, {"duplicate-sid", "`S1`", 1}, {"duplicate-sid", "`S1`", 2});
    unsigned l, c;
    locate(&r, "`S1`", 0, &l, &c);
    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(r.d.v[i].sev, IAM_SEV_ERROR);
        cr_assert_eq(r.d.v[i].nrelated, 1);
        cr_assert_eq(r.d.v[i].related[0].span.col, c, "points at the first use");
    }
    prun_free(&r);
    prun_type(&r, RES,
              "{" V12 "`Statement`: [{`Sid`: `A b`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `s3:GetObject`, `Resource`: `*`},"
              "{`Sid`: `A b`, `Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:PutObject`, `Resource`: `*`}]}");
    EXPECT(&r, {"duplicate-sid", "`A b`", 1});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_WARNING);
    prun_free(&r);
}

/* -- invalid-action -- */

Test(validate, invalid_actions)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: [{`Effect`: `Allow`, `Action`: [`s3`, `s3:`, `s*:GetObject`, `s3:Get Object`, "
              "`:GetObject`, `s3:Get:Object`, `s_3:GetObject`, `s3:GetObject`, `S3:*`], `Resource`: `*`},"
              "{`Effect`: `Deny`, `NotAction`: [`iam`, `iam:*`], `Resource`: `*`}]}");
    EXPECT(&r, {"invalid-action", "`s3`", 0}, {"invalid-action", "`s3:`", 0}, {"invalid-action", "`s*:GetObject`", 0},
           {"invalid-action", "`s3:Get Object`", 0}, {"invalid-action", "`:GetObject`", 0},
           {"invalid-action", "`s3:Get:Object`", 0}, {"invalid-action", "`s_3:GetObject`", 0},
           {"invalid-action", "`iam`", 0});
    for (size_t i = 0; i < r.d.n; i++)
        if (strstr(r.d.v[i].msg, "s*:GetObject"))
            cr_assert(strstr(r.d.v[i].msg, "service prefix"), "%s", r.d.v[i].msg);
    prun_free(&r);
}

Test(validate, trust_policy_actions)
{
    prun r;
    prun_type(&r, TRUST,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `111122223333`}, "
              "`Action`: [`sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`, `sts:SetContext`, "
              "`s3:GetObject`, `sts:GetCallerIdentity`]}}");
    EXPECT(&r, {"invalid-action", "`s3:GetObject`", 0}, {"invalid-action", "`sts:GetCallerIdentity`", 0});
    prun_free(&r);
}

Test(validate, rcp_bare_star_action)
{
    prun r;
    prun_type(&r, RCP, "{" V12 "`Statement`: {`Effect`: `Deny`, `Principal`: `*`, `Action`: `*`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-action", "`*`", 1});
    prun_free(&r);
}

/* -- invalid-condition-operator / null-with-if-exists -- */

Test(validate, unknown_condition_operators)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, `Condition`: {"
              "`StringEqual`: {`aws:username`: `a`}, `ForEachValue:StringLike`: {`aws:TagKeys`: `a`}, "
              "`IfExists`: {`k`: `v`}, `StringEqualsIfExist`: {`k`: `v`}, `ForAllValues:`: {`k`: `v`}}}}");
    EXPECT(&r, {"invalid-condition-operator", "`StringEqual`", 0},
           {"invalid-condition-operator", "`ForEachValue:StringLike`", 0},
           {"invalid-condition-operator", "`IfExists`", 0},
           {"invalid-condition-operator", "`StringEqualsIfExist`", 0},
           {"invalid-condition-operator", "`ForAllValues:`", 0});
    for (size_t i = 0; i < r.d.n; i++)
        cr_assert_eq(r.d.v[i].sev, IAM_SEV_ERROR);
    cr_assert_not_null(r.d.v[0].help);
    cr_assert(strstr(r.d.v[0].help, "'StringEquals'"), "%s", r.d.v[0].help);
    prun_free(&r);
}

Test(validate, non_canonical_operator_case_is_a_warning)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, `Condition`: {"
              "`stringequals`: {`aws:username`: `a`}, `forallvalues:StringLike`: {`aws:TagKeys`: `a`}, "
              "`BoolIFEXISTS`: {`aws:SecureTransport`: `true`}}}}");
    EXPECT(&r, {"invalid-condition-operator", "`stringequals`", 0},
           {"invalid-condition-operator", "`forallvalues:StringLike`", 0},
           {"invalid-condition-operator", "`BoolIFEXISTS`", 0});
    for (size_t i = 0; i < r.d.n; i++)
        cr_assert_eq(r.d.v[i].sev, IAM_SEV_WARNING);
    cr_assert_str_eq(r.d.v[0].help, "write 'StringEquals'");
    cr_assert_str_eq(r.d.v[1].help, "write 'ForAllValues:StringLike'");
    cr_assert_str_eq(r.d.v[2].help, "write 'BoolIfExists'");
    prun_free(&r);
}

Test(validate, null_with_if_exists)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, `Condition`: {"
              "`NullIfExists`: {`aws:TokenIssueTime`: `true`}, `ForAnyValue:NullIfExists`: {`aws:TagKeys`: `false`}}}}");
    EXPECT(&r, {"null-with-if-exists", "`NullIfExists`", 0}, {"null-with-if-exists", "`ForAnyValue:NullIfExists`", 0});
    prun_free(&r);
}

/* -- condition-value-type: one operator, one key, one value -- */

typedef struct cv {
    const char *op;
    const char *key;
    const char *value; /* JSON text, backticks for quotes */
    bool ok;
} cv;

static const cv cvs[] = {
    /* dates */
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-01`", true},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-01T00:00:01Z`", true},
    {"DateLessThan", "aws:CurrentTime", "`2020-01-01T00:00:01+05:30`", true},
    {"DateLessThan", "aws:CurrentTime", "`2020-01-01T00:00:01-08:00`", true},
    {"DateEquals", "aws:CurrentTime", "`2020-01-01T00:00:01.123Z`", true},
    {"DateEquals", "aws:CurrentTime", "`2020-06`", true},
    {"DateEquals", "aws:CurrentTime", "`2020`", true},
    {"DateNotEquals", "aws:EpochTime", "`1735689600`", true},
    {"DateNotEquals", "aws:EpochTime", "1735689600", true},
    {"DateGreaterThanEquals", "aws:CurrentTime", "`2024-02-29T23:59:59Z`", true},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-13-01`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-00-10`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-32`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-00`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-1-01`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020/01/01`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-01 00:00:00`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-01T24:00:00Z`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-01T10:60:00Z`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-01T00:00:00+25:00`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-01-01T00:00:00.Z`", false},
    {"DateGreaterThan", "aws:CurrentTime", "`yesterday`", false},
    {"DateGreaterThan", "aws:CurrentTime", "``", false},
    {"DateGreaterThan", "aws:CurrentTime", "true", false},
    {"DateGreaterThan", "aws:CurrentTime", "`2020-02-30`", false},  /* no 30 February */
    {"DateGreaterThan", "aws:CurrentTime", "`2021-02-29`", false},  /* 2021 is not a leap year */
    {"DateGreaterThan", "aws:CurrentTime", "`2020-04-31T00:00:00Z`", false}, /* April has 30 days */
    /* numbers */
    {"NumericLessThanEquals", "aws:MultiFactorAuthAge", "3600", true},
    {"NumericLessThanEquals", "aws:MultiFactorAuthAge", "`3600`", true},
    {"NumericEquals", "s3:max-keys", "`-1.5`", true},
    {"NumericEquals", "s3:max-keys", "`0.5`", true},
    {"NumericEquals", "s3:max-keys", "`ten`", false},
    {"NumericEquals", "s3:max-keys", "`1,000`", false},
    {"NumericEquals", "s3:max-keys", "``", false},
    {"NumericEquals", "s3:max-keys", "`1.2.3`", false},
    {"NumericEquals", "s3:max-keys", "`-`", false},
    {"NumericEquals", "s3:max-keys", "true", false},
    /* booleans */
    {"Bool", "aws:SecureTransport", "`true`", true},
    {"Bool", "aws:SecureTransport", "`false`", true},
    {"Bool", "aws:SecureTransport", "`TRUE`", true},
    {"Bool", "aws:SecureTransport", "true", true},
    {"BoolIfExists", "aws:MultiFactorAuthPresent", "false", true},
    {"Bool", "aws:SecureTransport", "`yes`", false},
    {"Bool", "aws:SecureTransport", "`1`", false},
    {"Bool", "aws:SecureTransport", "1", false},
    {"Bool", "aws:SecureTransport", "``", false},
    {"Bool", "aws:SecureTransport", "`truee`", false},
    /* IP addresses and CIDRs */
    {"IpAddress", "aws:SourceIp", "`203.0.113.0/24`", true},
    {"IpAddress", "aws:SourceIp", "`203.0.113.9`", true},
    {"IpAddress", "aws:SourceIp", "`0.0.0.0/0`", true},
    {"IpAddress", "aws:SourceIp", "`255.255.255.255/32`", true},
    {"NotIpAddress", "aws:SourceIp", "`2001:DB8:1234:5678::/64`", true},
    {"NotIpAddress", "aws:SourceIp", "`::1`", true},
    {"NotIpAddress", "aws:SourceIp", "`::`", true},
    {"NotIpAddress", "aws:SourceIp", "`::/0`", true},
    {"NotIpAddress", "aws:SourceIp", "`2001:db8::`", true},
    {"NotIpAddress", "aws:SourceIp", "`fe80::1/128`", true},
    {"NotIpAddress", "aws:SourceIp", "`1:2:3:4:5:6:7:8`", true},
    {"NotIpAddress", "aws:SourceIp", "`::ffff:192.0.2.1`", true},
    {"NotIpAddress", "aws:SourceIp", "`1:2:3:4:5:6:192.0.2.1`", true},
    {"NotIpAddress", "aws:SourceIp", "`1::2:3:4:5:6:7`", true},
    {"IpAddress", "aws:SourceIp", "`256.0.0.1`", false},
    {"IpAddress", "aws:SourceIp", "`1.2.3`", false},
    {"IpAddress", "aws:SourceIp", "`1.2.3.4.5`", false},
    {"IpAddress", "aws:SourceIp", "`1.2.3.4/33`", false},
    {"IpAddress", "aws:SourceIp", "`1.2.3.4/`", false},
    {"IpAddress", "aws:SourceIp", "`1.2.3.4/-1`", false},
    {"IpAddress", "aws:SourceIp", "`203.0.113.0/24 `", false},
    {"IpAddress", "aws:SourceIp", "`2001:db8::/129`", false},
    {"IpAddress", "aws:SourceIp", "`2001:db8:::1`", false},
    {"IpAddress", "aws:SourceIp", "`1::2::3`", false},
    {"IpAddress", "aws:SourceIp", "`1:2:3:4:5:6:7:8:9`", false},
    {"IpAddress", "aws:SourceIp", "`1:2:3:4:5:6:7`", false},
    {"IpAddress", "aws:SourceIp", "`12345::`", false},
    {"IpAddress", "aws:SourceIp", "`:1`", false},
    {"IpAddress", "aws:SourceIp", "`::ffff:1.2.3`", false},
    {"IpAddress", "aws:SourceIp", "`1:2:3:4:5:192.0.2.1`", false},    /* 7 groups without :: */
    {"IpAddress", "aws:SourceIp", "`::1:2:3:4:5:6:192.0.2.1`", false}, /* 9 groups with :: */
    {"IpAddress", "aws:SourceIp", "`fe80::1%eth0`", false},
    {"IpAddress", "aws:SourceIp", "`localhost`", false},
    {"IpAddress", "aws:SourceIp", "``", false},
    /* base64 */
    {"BinaryEquals", "k", "`QmluYXJ5VmFsdWVJbkJhc2U2NA==`", true},
    {"BinaryEquals", "k", "`QUI=`", true},
    {"BinaryEquals", "k", "`QQ==`", true},
    {"BinaryEquals", "k", "`a+/b`", true},
    {"BinaryEquals", "k", "`QQ=`", false},
    {"BinaryEquals", "k", "`Q===`", false},
    {"BinaryEquals", "k", "`QU=J`", false},
    {"BinaryEquals", "k", "`Q!==`", false},
    {"BinaryEquals", "k", "`not base64`", false},
    /* ARNs */
    {"ArnLike", "aws:SourceArn", "`arn:aws:sns:*:111122223333:topic*`", true},
    {"ArnEquals", "aws:SourceArn", "`arn:aws:s3:::bucket`", true},
    {"ArnNotLike", "aws:PrincipalArn", "`*`", true},
    {"ArnNotEqualsIfExists", "aws:PrincipalArn", "`arn:aws:iam::111122223333:role/${aws:PrincipalTag/role}`", true},
    {"ArnLike", "aws:SourceArn", "`sns:topic`", false},
    {"ArnLike", "aws:SourceArn", "`ARN:aws:sns:us-east-1:111122223333:t`", false},
    {"ArnLike", "aws:SourceArn", "``", false},
    {"ArnLike", "aws:SourceArn", "5", false},
    /* Null */
    {"Null", "aws:TokenIssueTime", "`true`", true},
    {"Null", "aws:TokenIssueTime", "false", true},
    {"Null", "aws:TokenIssueTime", "`absent`", false},
    {"Null", "aws:TokenIssueTime", "``", false},
    /* strings take anything scalar */
    {"StringEquals", "aws:PrincipalAccount", "111122223333", true},
    {"StringEquals", "aws:PrincipalTag/x", "true", true},
    {"StringLike", "s3:prefix", "`home/${aws:username}/*`", true},
    /* policy variables where they are not substituted */
    {"NumericLessThan", "aws:MultiFactorAuthAge", "`${aws:PrincipalTag/maxage}`", false},
    {"DateLessThan", "aws:CurrentTime", "`${aws:PrincipalTag/expiry}`", false},
    {"IpAddress", "aws:SourceIp", "`${aws:PrincipalTag/cidr}`", false},
    {"BinaryEquals", "k", "`${aws:PrincipalTag/bin}`", false},
};

IAM_TABLE_PARAMS(validate, condition_value_type, cvs)

ParameterizedTest(size_t *i, validate, condition_value_type)
{
    const cv *c = &cvs[*i];
    char text[1024];
    snprintf(text, sizeof text,
             "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, "
             "`Condition`: {`%s`: {`%s`: %s}}}}",
             c->op, c->key, c->value);
    prun r;
    prun_type(&r, ID, text);
    if (c->ok) {
        cr_assert_eq(r.d.n, 0, "%s %s %s must be accepted:%s", c->op, c->key, c->value, diag_list(&r));
    } else {
        cr_assert_eq(r.d.n, 1, "%s %s %s must be rejected once:%s", c->op, c->key, c->value, diag_list(&r));
        cr_assert_str_eq(iam_rule(r.d.v[0].rule)->name, "condition-value-type", "%s", diag_list(&r));
        char key[128];
        snprintf(key, sizeof key, "`%s`: ", c->key);
        unsigned l, col;
        locate(&r, key, 0, &l, &col);
        cr_assert_eq(r.d.v[0].span.col, col + (unsigned)strlen(key), "%s %s: position%s", c->op, c->value,
                     diag_list(&r));
    }
    prun_free(&r);
}

Test(validate, bool_takes_one_value)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, "
              "`Condition`: {`Bool`: {`aws:SecureTransport`: [`true`, `false`]}}}}");
    EXPECT(&r, {"condition-value-type", "[`true`", 0});
    prun_free(&r);
}

Test(validate, condition_value_array_each_checked)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, "
              "`Condition`: {`IpAddress`: {`aws:SourceIp`: [`10.0.0.0/8`, `10.0.0.300`, `fd00::/8`, `x`]}}}}");
    EXPECT(&r, {"condition-value-type", "`10.0.0.300`", 0}, {"condition-value-type", "`x`", 0});
    prun_free(&r);
}

Test(validate, condition_keys_repeated_in_other_case)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, "
              "`Condition`: {`StringEquals`: {`aws:PrincipalTag/team`: `a`, `AWS:principaltag/Team`: `b`}, "
              "`StringLike`: {`aws:PrincipalTag/team`: `c*`}}}}");
    EXPECT(&r, {"duplicate-key", "`AWS:principaltag/Team`", 0});
    unsigned l, c;
    locate(&r, "`aws:PrincipalTag/team`", 0, &l, &c);
    cr_assert_eq(r.d.v[0].related[0].span.col, c);
    prun_free(&r);
}

Test(validate, empty_condition_key)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, "
              "`Condition`: {`StringEquals`: {``: `a`}}}}");
    EXPECT(&r, {"empty-value", "``", 0});
    prun_free(&r);
}

/* -- invalid-principal -- */

typedef struct pc {
    const char *principal; /* JSON, backticks */
    const char *needle;    /* where the error is */
} pc;

static const pc bad_principals[] = {
    {"{`AWS`: `arn:aws:iam::111122223333:user/*`}", "`arn:"},
    {"{`AWS`: `arn:aws:sts::111122223333:assumed-role/R/*`}", "`arn:"},
    {"{`AWS`: `arn:aws:iam::*:root`}", "`arn:"},
    {"{`AWS`: `1111222233*`}", "`111"},
    {"{`AWS`: `1111222233334`}", "`111"},
    {"{`AWS`: `11112222333`}", "`111"},
    {"{`AWS`: `arn:aws:iam::11112222333:root`}", "`arn:"},
    {"{`AWS`: `arn:aws:iam::1111222233334:root`}", "`arn:"},
    {"{`AWS`: `arn:aws:iam::abcdefghijkl:user/x`}", "`arn:"},
    {"{`AWS`: `arn:aws:iam:::user/x`}", "`arn:"},
    {"{`AWS`: `arn:aws:iam::11112222333:role/x`}", "`arn:"},
    {"{`AWS`: `arn:aws:sts::111122223333:assumed-role/R`}", "`arn:"},
    {"{`AWS`: `arn:aws:sts::111122223333:assumed-role//s`}", "`arn:"},
    {"{`AWS`: `arn:aws:iam::111122223333:group/devs`}", "`arn:"},
    {"{`AWS`: `arn:aws:iam::111122223333:role/`}", "`arn:"},
    {"{`AWS`: `arn:aws:iam::111122223333:user`}", "`arn:"},
    {"{`AWS`: `arn:aws:s3:::bucket`}", "`arn:"},
    {"{`AWS`: `lambda.amazonaws.com`}", "`lambda"},
    {"{`AWS`: `Bob`}", "`Bob"},
    {"{`aws`: `111122223333`}", "`aws`"},
    {"{`Services`: `lambda.amazonaws.com`}", "`Services`"},
    {"{`Service`: `lambda`}", "`lambda`"},
    {"{`Service`: `*.amazonaws.com`}", "`*.amazonaws"},
    {"{`Service`: `arn:aws:iam::111122223333:role/x`}", "`arn:"},
    {"{`Service`: `lambda.amazonaws.com.attacker.example`}", "`lambda"},
    {"{`Service`: `evil/.amazonaws.com`}", "`evil"},
    {"{`Federated`: `arn:aws:iam::111122223333:role/x`}", "`arn:"},
    {"{`Federated`: `google`}", "`google`"},
    {"{`Federated`: `*`}", "`*`"},
    {"{`CanonicalUser`: `79a59df900b949e5`}", "`79a"},
    {"{`CanonicalUser`: `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2bg`}", "`79a"},
    {"`arn:aws:iam::111122223333:root`", "`arn:"},
    {"`111122223333`", "`111"},
};

IAM_TABLE_PARAMS(validate, invalid_principal, bad_principals)

ParameterizedTest(size_t *i, validate, invalid_principal)
{
    const pc *c = &bad_principals[*i];
    char text[1024];
    snprintf(text, sizeof text,
             "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: %s, `Action`: `s3:GetObject`, "
             "`Resource`: `arn:aws:s3:::b/*`}}",
             c->principal);
    prun r;
    prun_type(&r, RES, text);
    cr_assert_eq(r.d.n, 1, "%s:%s", c->principal, diag_list(&r));
    cr_assert_str_eq(iam_rule(r.d.v[0].rule)->name, "invalid-principal", "%s:%s", c->principal, diag_list(&r));
    unsigned l, col;
    locate(&r, c->needle, 0, &l, &col);
    cr_assert_eq(r.d.v[0].span.col, col, "%s: at col %u, want %u", c->principal, r.d.v[0].span.col, col);
    prun_free(&r);
}

Test(validate, principal_hints)
{
    prun r;
    prun_type(&r, RES,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: {`aws`: `111122223333`, `AWS`: `ec2.amazonaws.com`}, "
              "`Action`: `s3:GetObject`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-principal", "`aws`", 0}, {"invalid-principal", "`ec2.amazonaws.com`", 0});
    cr_assert(strstr(r.d.v[0].help, "'AWS'"), "%s", r.d.v[0].help);
    cr_assert(strstr(r.d.v[1].help, "Service"), "%s", r.d.v[1].help);
    prun_free(&r);
    prun_type(&r, RES,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: `111122223333`, `Action`: `s3:GetObject`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-principal", "`111122223333`", 0});
    cr_assert(strstr(r.d.v[0].help, "{\"AWS\": \"111122223333\"}"), "%s", r.d.v[0].help);
    prun_free(&r);
}

Test(validate, rcp_principal_must_be_star)
{
    prun r;
    prun_type(&r, RCP,
              "{" V12 "`Statement`: [{`Effect`: `Deny`, `Principal`: {`AWS`: `111122223333`}, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Effect`: `Deny`, `Principal`: {`AWS`: [`*`, `111122223333`]}, `Action`: `s3:*`, `Resource`: `*`}]}");
    EXPECT(&r, {"invalid-principal", "{`AWS`: `111", 0}, {"invalid-principal", "{`AWS`: [", 0});
    prun_free(&r);
}

/* -- invalid-resource -- */

Test(validate, invalid_resources)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: [`s3:::bucket`, `ARN:aws:s3:::b`, "
              "`bucket/*`, `arn:aws:s3`, `arn:aws:s3:*`, `arn:aws:s3:::b`, `*`, `arn:aws:logs:r:1:log-group:g:*`]}}");
    EXPECT(&r, {"invalid-resource", "`s3:::bucket`", 0}, {"invalid-resource", "`ARN:aws", 0},
           {"invalid-resource", "`bucket/*`", 0}, {"invalid-resource", "`arn:aws:s3`", 0},
           {"invalid-resource", "`arn:aws:s3:*`", 0});
    for (size_t i = 0; i < r.d.n; i++) {
        const iam_diag *g = &r.d.v[i];
        if (strstr(g->msg, "ARN:aws"))
            cr_assert(g->help && strstr(g->help, "lowercase"));
        if (strstr(g->msg, "\"arn:aws:s3:*\""))
            cr_assert_eq(g->sev, IAM_SEV_WARNING, "short ARN ending in * is only a lint");
        if (strstr(g->msg, "\"arn:aws:s3\""))
            cr_assert_eq(g->sev, IAM_SEV_ERROR);
    }
    prun_free(&r);
    prun_type(&r, RCP, "{" V12 "`Statement`: {`Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:*`, `Resource`: `arn:aws:*`}}");
    EXPECT(&r, {"invalid-resource", "`arn:aws:*`", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_ERROR, "RCP: short ARNs are invalid");
    prun_free(&r);
}

/* -- invalid-policy-variable -- */

static const char *const bad_vars[] = {
    "arn:aws:s3:::b/${aws:username",
    "arn:aws:s3:::b/${}",
    "arn:aws:s3:::b/${ aws:username}",
    "arn:aws:s3:::b/${aws:username }",
    "arn:aws:s3:::b/${aws:PrincipalTag/team,'x'}",
    "arn:aws:s3:::b/${aws:PrincipalTag/team,  'x'}",
    "arn:aws:s3:::b/${aws:PrincipalTag/team, x}",
    "arn:aws:s3:::b/${aws:PrincipalTag/team, 'x}",
    "arn:aws:s3:::b/${aws:PrincipalTag/team, 'it's'}",
    "arn:aws:s3:::b/${, 'x'}",
    "arn:aws:s3:::b/${a${b}}",
    "arn:aws:s3:::b/ok/${aws:userid}/${",
    "arn:aws:${aws:PrincipalTag/svc}:::b",
    "arn:aws:s3:${aws:RequestedRegion}::b",
};

IAM_TABLE_PARAMS(validate, invalid_policy_variable, bad_vars)

ParameterizedTest(size_t *i, validate, invalid_policy_variable)
{
    char text[512];
    snprintf(text, sizeof text, "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `%s`}}",
             bad_vars[*i]);
    prun r;
    prun_type(&r, ID, text);
    cr_assert_eq(r.d.n, 1, "%s:%s", bad_vars[*i], diag_list(&r));
    cr_assert_str_eq(iam_rule(r.d.v[0].rule)->name, "invalid-policy-variable", "%s:%s", bad_vars[*i], diag_list(&r));
    unsigned l, c;
    locate(&r, "`arn:", 0, &l, &c);
    cr_assert_eq(r.d.v[0].span.col, c);
    prun_free(&r);
    /* Under 2008-10-17 the same text is literal: no variable diagnostics. */
    snprintf(text, sizeof text,
             "{`Version`: `2008-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `%s`}}",
             bad_vars[*i]);
    prun_type(&r, ID, text);
    cr_assert_eq(count_rule(&r, "invalid-policy-variable"), 0, "%s:%s", bad_vars[*i], diag_list(&r));
    prun_free(&r);
}

Test(validate, invalid_variable_in_condition_value)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:ListBucket`, `Resource`: `arn:aws:s3:::b`, "
              "`Condition`: {`StringLike`: {`s3:prefix`: [`home/${aws:username`, `ok/${aws:username}/*`]}, "
              "`ArnLike`: {`aws:PrincipalArn`: `arn:aws:iam::111122223333:role/${}`}}}}");
    EXPECT(&r, {"invalid-policy-variable", "`home/", 0}, {"invalid-policy-variable", "`arn:aws:iam", 0});
    prun_free(&r);
}

/* -- policy-size -- */

/* An identity-style policy whose minified size is exactly n characters,
 * with `pad` spaces of indentation (whitespace outside strings). */
static char *sized(size_t n, size_t pad, const char *effect, bool principal)
{
    const char *head1 = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"";
    const char *head2 = principal ? "\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/"
                                  : "\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/";
    const char *tail = "\"}}";
    size_t fixed = strlen(head1) + strlen(effect) + strlen(head2) + strlen(tail);
    cr_assert_gt(n, fixed);
    char *t = malloc(n + pad + 1);
    size_t k = 0;
    t[k++] = '{';
    memset(t + k, ' ', pad); /* whitespace outside strings */
    k += pad;
    k += (size_t)sprintf(t + k, "%s%s%s", head1 + 1, effect, head2);
    size_t fill = n - fixed;
    memset(t + k, 'a', fill);
    k += fill;
    strcpy(t + k, tail);
    return t;
}

static void size_case(iam_policy_type t, size_t n, size_t pad, const char *effect, bool principal, int want_diag,
                      iam_severity want_sev)
{
    char *text = sized(n, pad, effect, principal);
    prun r;
    prun_type(&r, t, text);
    cr_assert_eq(r.p->size_minified, n);
    cr_assert_eq(r.p->size_full, n + pad);
    cr_assert_eq(count_rule(&r, "policy-size"), (size_t)want_diag, "%s size %zu+%zu:%s", iam_policy_type_name(t), n,
                 pad, diag_list(&r));
    cr_assert_eq(r.d.n, (size_t)want_diag, "%s:%s", iam_policy_type_name(t), diag_list(&r));
    if (want_diag) {
        cr_assert_eq(r.d.v[0].sev, want_sev);
        cr_assert_eq(r.d.v[0].span.line, 1);
        cr_assert_eq(r.d.v[0].span.col, 1);
    }
    prun_free(&r);
    free(text);
}

Test(validate, policy_size_identity_and_boundary)
{
    size_case(ID, 6144, 0, "Allow", false, 0, 0);
    size_case(ID, 6145, 0, "Allow", false, 1, IAM_SEV_ERROR);
    size_case(ID, 6000, 3000, "Allow", false, 0, 0); /* whitespace is not counted */
    size_case(PB, 6144, 10, "Allow", false, 0, 0);
    size_case(PB, 6145, 0, "Allow", false, 1, IAM_SEV_ERROR);
}

Test(validate, policy_size_session_and_trust)
{
    size_case(SESS, 2048, 100, "Allow", false, 0, 0);
    size_case(SESS, 2049, 0, "Allow", false, 1, IAM_SEV_ERROR);
}

Test(validate, policy_size_scp_counts_whitespace)
{
    size_case(SCP, 5120, 0, "Deny", false, 0, 0);
    size_case(SCP, 5121, 0, "Deny", false, 1, IAM_SEV_ERROR);
    size_case(SCP, 3000, 2120, "Deny", false, 0, 0);
    size_case(SCP, 3000, 2121, "Deny", false, 1, IAM_SEV_ERROR);
    size_case(RCP, 5000, 121, "Deny", true, 1, IAM_SEV_ERROR);
    size_case(RCP, 5000, 120, "Deny", true, 0, 0);
}

Test(validate, policy_size_resource_is_a_warning)
{
    size_case(RES, 20480, 0, "Allow", true, 0, 0);
    size_case(RES, 20481, 0, "Allow", true, 1, IAM_SEV_WARNING);
}

Test(validate, policy_size_trust)
{
    /* Trust: 2,048 by default, adjustable: a warning */
    char *pad = malloc(3000);
    memset(pad, 'a', 2100);
    pad[2100] = '\0';
    char *text = malloc(4000);
    sprintf(text, "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
                  "\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"%s\"}}}}",
            pad);
    prun r;
    prun_type(&r, TRUST, text);
    EXPECT(&r, {"policy-size", "{", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_WARNING);
    prun_free(&r);
    free(text);
    free(pad);
}

/* -- decoded strings may contain U+0000 (json.h): a NUL must not hide the
 * rest of a value from validation (C-string comparisons stop at it) -- */

Test(validate, embedded_nul_in_effect)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: {`Effect`: `Allow\\u0000Deny`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-effect", "`Allow", 0});
    cr_assert_eq(r.p->stmts[0].effect, IAM_EFFECT_INVALID);
    prun_free(&r);
}

Test(validate, embedded_nul_in_version)
{
    prun r;
    prun_type(&r, ID, "{`Version`: `2012-10-17\\u0000x`, `Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-version", "`2012", 0});
    prun_free(&r);
}

Test(validate, embedded_nul_in_action)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: [`s3:Get\\u0000 Object`, `s3:GetObject\\u0000`], `Resource`: `*`}}");
    EXPECT(&r, {"invalid-action", "`s3:Get\\", 0}, {"invalid-action", "`s3:GetObject\\", 0});
    prun_free(&r);
}

Test(validate, embedded_nul_in_principal)
{
    prun r;
    prun_type(&r, RES,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS\\u0000x`: `111122223333`, "
              "`AWS`: `111122223333\\u0000`}, `Action`: `s3:GetObject`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-principal", "`AWS\\", 0}, {"invalid-principal", "`111122223333\\", 0});
    prun_free(&r);
}

Test(validate, embedded_nul_in_sid)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: {`Sid`: `Ok\\u0000-not ok`, `Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-sid", "`Ok", 0});
    prun_free(&r);
}

/* -- configured severities (docs/config.md: "a severity replaces its
 * default ... every output format sees the configured severity") must win
 * over the contextual severities validate.c picks -- */

static void run_with_overrides(prun *r, iam_policy_type type, const char *text, const signed char *ov)
{
    memset(r, 0, sizeof *r);
    r->text = unbacktick(text);
    r->a = iam_arena_new();
    r->names = iam_intern_new();
    r->src = iam_source_from_mem("p.json", r->text, strlen(r->text));
    iam_diags_init(&r->d);
    r->d.sev_override = ov;
    cr_assert_eq(iam_json_parse(r->a, r->src, NULL, &r->d, &r->doc), IAM_OK);
    iam_decode_opts o = {type, IAM_TO_FLAG};
    r->p = iam_policy_decode(r->a, r->names, r->doc, &o, &r->d);
    iam_policy_validate(r->p, &r->d);
    iam_diags_sort(&r->d);
}

Test(validate, configured_severity_wins_over_contextual_severity)
{
    static signed char ov[IAM_R_COUNT];
    memset(ov, -1, sizeof ov);
    ov[IAM_R_INVALID_CONDITION_OPERATOR] = IAM_SEV_SUGGESTION;
    ov[IAM_R_DUPLICATE_SID] = IAM_SEV_ERROR;
    ov[IAM_R_MISSING_VERSION] = IAM_SEV_SUGGESTION;
    prun r;
    run_with_overrides(&r, ID,
                       "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, "
                       "`Condition`: {`stringequals`: {`aws:username`: `a`}}}}",
                       ov);
    EXPECT(&r, {"invalid-condition-operator", "`stringequals`", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_SUGGESTION, "configured suggestion, got %s", iam_severity_name(r.d.v[0].sev));
    prun_free(&r);
    run_with_overrides(&r, RES,
                       "{" V12 "`Statement`: [{`Sid`: `A`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `s3:GetObject`, `Resource`: `*`},"
                       "{`Sid`: `A`, `Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:PutObject`, `Resource`: `*`}]}",
                       ov);
    EXPECT(&r, {"duplicate-sid", "`A`", 1});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_ERROR, "configured error, got %s", iam_severity_name(r.d.v[0].sev));
    prun_free(&r);
    run_with_overrides(&r, SCP, "{`Statement`: {`Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`}}", ov);
    EXPECT(&r, {"missing-version", "{", 0});
    cr_assert_eq(r.d.v[0].sev, IAM_SEV_SUGGESTION, "configured suggestion, got %s", iam_severity_name(r.d.v[0].sev));
    prun_free(&r);
}

Test(validate, disabled_rules_are_not_reported)
{
    static signed char ov[IAM_R_COUNT];
    memset(ov, -1, sizeof ov);
    ov[IAM_R_INVALID_CONDITION_OPERATOR] = -2;
    ov[IAM_R_MISSING_VERSION] = -2;
    ov[IAM_R_POLICY_SIZE] = -2;
    prun r;
    run_with_overrides(&r, SCP,
                       "{`Statement`: {`Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`, "
                       "`Condition`: {`stringequals`: {`aws:username`: `a`}, `Bogus`: {`k`: `v`}}}}",
                       ov);
    EXPECT_NONE(&r);
    prun_free(&r);
}

/* -- scale: an 8 MB policy (far below the 64 MiB input limit) with 100,000
 * statements. The JSON layer detects duplicate keys in O(n log n); the Sid
 * check must not be quadratic either (5e9 comparisons take minutes). The
 * timeout is a hang guard with a wide margin, not a performance assertion:
 * parsing, decoding and a linear validation take well under a second. */
Test(validate, many_statements_with_sids, .timeout = 20)
{
    enum { N = 100000 };
    size_t cap = (size_t)N * 90 + 200, k = 0;
    char *t = malloc(cap);
    k += (size_t)sprintf(t + k, "{\"Version\": \"2012-10-17\", \"Statement\": [");
    for (int i = 0; i < N; i++)
        k += (size_t)sprintf(t + k, "%s{\"Sid\": \"S%d\", \"Effect\": \"Deny\", \"Action\": \"s3:DeleteBucket\", \"Resource\": \"*\"}",
                             i ? "," : "", i == N - 1 ? 7 : i); /* the last repeats S7 */
    k += (size_t)sprintf(t + k, "]}");
    prun r;
    prun_type(&r, PB, t); /* boundary: whitespace not counted, still over 6,144 */
    cr_assert_eq(r.p->nstmts, N);
    cr_assert_eq(count_rule(&r, "duplicate-sid"), 1, "%s", diag_list(&r));
    cr_assert_eq(count_rule(&r, "policy-size"), 1);
    prun_free(&r);
    free(t);
}
