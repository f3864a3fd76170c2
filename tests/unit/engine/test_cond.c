/* test_cond.c - every condition operator family (iam-semantics 4,
 * scenario-format 5.4), the 4.7 test vectors, and the [unsure] options. */
#include <criterion/criterion.h>

#include "helpers.h"

#define HOLDS(c, ctx) cr_assert(cond(c, ctx), "expected to hold: %s with %s", c, ctx)
#define FAILS(c, ctx) cr_assert_not(cond(c, ctx), "expected to fail: %s with %s", c, ctx)

Test(engine_cond, string_family)
{
    HOLDS("{\"StringEquals\":{\"aws:username\":\"johndoe\"}}", "{\"aws:username\":\"johndoe\"}");
    FAILS("{\"StringEquals\":{\"aws:username\":\"johndoe\"}}", "{\"aws:username\":\"JohnDoe\"}");
    HOLDS("{\"StringEqualsIgnoreCase\":{\"aws:username\":\"johndoe\"}}", "{\"aws:username\":\"JohnDoe\"}");
    FAILS("{\"StringNotEqualsIgnoreCase\":{\"aws:username\":\"johndoe\"}}", "{\"aws:username\":\"JohnDoe\"}");
    HOLDS("{\"StringEquals\":{\"k\":[\"a\",\"b\"]}}", "{\"k\":\"b\"}");
    FAILS("{\"StringEquals\":{\"k\":\"a*\"}}", "{\"k\":\"abc\"}");      /* '*' is literal */
    HOLDS("{\"StringEquals\":{\"k\":\"a*\"}}", "{\"k\":\"a*\"}");
    HOLDS("{\"StringLike\":{\"k\":\"a*c\"}}", "{\"k\":\"ab/c:c\"}");
    HOLDS("{\"StringLike\":{\"k\":\"a?c\"}}", "{\"k\":\"abc\"}");
    FAILS("{\"StringLike\":{\"k\":\"A*\"}}", "{\"k\":\"abc\"}");
    HOLDS("{\"StringNotLike\":{\"k\":[\"x*\",\"y*\"]}}", "{\"k\":\"abc\"}");
    FAILS("{\"StringNotLike\":{\"k\":[\"x*\",\"a*\"]}}", "{\"k\":\"abc\"}");
}

Test(engine_cond, negated_nor_and_missing)
{
    HOLDS("{\"StringNotEquals\":{\"k\":[\"a\",\"b\"]}}", "{\"k\":\"c\"}");
    FAILS("{\"StringNotEquals\":{\"k\":[\"a\",\"b\"]}}", "{\"k\":\"a\"}");
    FAILS("{\"StringNotEquals\":{\"k\":[\"a\",\"b\"]}}", "{\"k\":\"b\"}");
    HOLDS("{\"StringNotEquals\":{\"aws:PrincipalTag/team\":[\"a\",\"b\"]}}", "{}");
    FAILS("{\"StringEquals\":{\"k\":\"a\"}}", "{}");
    HOLDS("{\"StringEqualsIfExists\":{\"k\":\"a\"}}", "{}");
    FAILS("{\"StringEqualsIfExists\":{\"k\":\"a\"}}", "{\"k\":\"b\"}");
    HOLDS("{\"StringNotEqualsIfExists\":{\"k\":\"a\"}}", "{}");
    HOLDS("{\"NotIpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}", "{}");
    FAILS("{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}", "{}");
}

Test(engine_cond, key_names_case_insensitive)
{
    HOLDS("{\"StringEquals\":{\"AWS:SourceVpc\":\"vpc-1\"}}", "{\"aws:sourcevpc\":\"vpc-1\"}");
    HOLDS("{\"StringEquals\":{\"aws:PrincipalTag/CostCenter\":\"1\"}}",
          "{\"aws:principaltag/costcenter\":\"1\"}");
    HOLDS("{\"stringequals\":{\"k\":\"v\"}}", "{\"k\":\"v\"}");
}

Test(engine_cond, blocks_are_and)
{
    const char *c = "{\"StringEquals\":{\"a\":\"1\",\"b\":\"2\"},\"Bool\":{\"c\":\"true\"}}";
    HOLDS(c, "{\"a\":\"1\",\"b\":\"2\",\"c\":\"true\"}");
    FAILS(c, "{\"a\":\"1\",\"b\":\"3\",\"c\":\"true\"}");
    FAILS(c, "{\"a\":\"1\",\"b\":\"2\",\"c\":\"false\"}");
    FAILS(c, "{\"a\":\"1\",\"c\":\"true\"}");
}

Test(engine_cond, numeric)
{
    HOLDS("{\"NumericEquals\":{\"n\":\"10\"}}", "{\"n\":\"10.0\"}");
    HOLDS("{\"NumericEquals\":{\"n\":10}}", "{\"n\":\"10\"}");
    HOLDS("{\"NumericNotEquals\":{\"n\":[\"1\",\"2\"]}}", "{\"n\":\"3\"}");
    FAILS("{\"NumericNotEquals\":{\"n\":[\"1\",\"2\"]}}", "{\"n\":\"2\"}");
    HOLDS("{\"NumericLessThan\":{\"n\":\"10\"}}", "{\"n\":\"9.5\"}");
    FAILS("{\"NumericLessThan\":{\"n\":\"10\"}}", "{\"n\":\"10\"}");
    HOLDS("{\"NumericLessThanEquals\":{\"aws:MultiFactorAuthAge\":\"3600\"}}",
          "{\"aws:MultiFactorAuthAge\":\"120\"}");
    FAILS("{\"NumericLessThanEquals\":{\"aws:MultiFactorAuthAge\":\"3600\"}}", "{}");
    HOLDS("{\"NumericGreaterThan\":{\"n\":\"-1\"}}", "{\"n\":\"0\"}");
    HOLDS("{\"NumericGreaterThanEquals\":{\"n\":\"5\"}}", "{\"n\":\"5\"}");
    FAILS("{\"NumericEquals\":{\"n\":\"10\"}}", "{\"n\":\"ten\"}");
    FAILS("{\"NumericNotEquals\":{\"n\":\"10\"}}", "{\"n\":\"ten\"}");  /* unparsable: false */
}

Test(engine_cond, dates)
{
    HOLDS("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}",
          "{\"aws:CurrentTime\":\"2024-05-05T10:00:00Z\"}");
    HOLDS("{\"DateEquals\":{\"t\":\"1735689600\"}}", "{\"t\":\"2025-01-01T00:00:00Z\"}");
    HOLDS("{\"DateEquals\":{\"t\":\"2025-01-01T01:00:00+01:00\"}}", "{\"t\":\"2025-01-01T00:00:00Z\"}");
    HOLDS("{\"DateNotEquals\":{\"t\":\"2025-01-01T00:00:00Z\"}}", "{\"t\":\"2025-01-02T00:00:00Z\"}");
    HOLDS("{\"DateLessThan\":{\"t\":\"2025-01-01T00:00:00Z\"}}", "{\"t\":\"2024-12-31T23:59:59Z\"}");
    FAILS("{\"DateLessThan\":{\"t\":\"2025-01-01T00:00:00Z\"}}", "{\"t\":\"2025-01-01T00:00:00Z\"}");
    HOLDS("{\"DateLessThanEquals\":{\"t\":\"2025-01-01T00:00:00Z\"}}", "{\"t\":\"2025-01-01T00:00:00Z\"}");
    HOLDS("{\"DateGreaterThanEquals\":{\"aws:EpochTime\":\"2025-01-01\"}}", "{\"aws:EpochTime\":\"1735689600\"}");
    HOLDS("{\"NumericGreaterThan\":{\"aws:EpochTime\":\"1735689599\"}}", "{\"aws:EpochTime\":\"1735689600\"}");
    FAILS("{\"DateEquals\":{\"t\":\"2025-01-01T00:00:00Z\"}}", "{\"t\":\"soon\"}");
}

Test(engine_cond, bool_binary_ip_arn)
{
    HOLDS("{\"Bool\":{\"aws:SecureTransport\":\"false\"}}", "{\"aws:SecureTransport\":\"FALSE\"}");
    HOLDS("{\"Bool\":{\"aws:SecureTransport\":false}}", "{\"aws:SecureTransport\":\"false\"}");
    FAILS("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}", "{\"aws:SecureTransport\":\"yes\"}");
    FAILS("{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}", "{}");
    HOLDS("{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}", "{}");
    HOLDS("{\"BinaryEquals\":{\"k\":\"QmluYXJ5\"}}", "{\"k\":\"QmluYXJ5\"}");
    FAILS("{\"BinaryEquals\":{\"k\":\"QmluYXJ5\"}}", "{\"k\":\"qmluyxj5\"}");
    HOLDS("{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}",
          "{\"aws:SourceIp\":\"2001:DB8::5\"}");
    FAILS("{\"IpAddress\":{\"aws:SourceIp\":\"2001:db8::/32\"}}", "{\"aws:SourceIp\":\"10.0.0.1\"}");
    HOLDS("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:sns:*:111:topic*\"}}",
          "{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:111:topic-a\"}");
    HOLDS("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:*:111:topic*\"}}",
          "{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:111:topic-a\"}");
    /* documented StringLike vs ArnLike difference */
    const char *ctx = "{\"k\":\"arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/document.txt\"}";
    HOLDS("{\"StringLike\":{\"k\":\"arn:aws:svc:*:111122223333:finance/*\"}}", ctx);
    FAILS("{\"ArnLike\":{\"k\":\"arn:aws:svc:*:111122223333:finance/*\"}}", ctx);
    HOLDS("{\"ArnNotLike\":{\"k\":\"arn:aws:svc:*:111122223333:finance/*\"}}", ctx);
    /* malformed request ARN: false for positive and negated */
    FAILS("{\"ArnLike\":{\"k\":\"*\"}}", "{\"k\":\"not-an-arn\"}");
    FAILS("{\"ArnNotEquals\":{\"k\":\"arn:aws:s3:::b\"}}", "{\"k\":\"not-an-arn\"}");
}

Test(engine_cond, null_operator)
{
    HOLDS("{\"Null\":{\"aws:TokenIssueTime\":\"true\"}}", "{}");
    FAILS("{\"Null\":{\"aws:TokenIssueTime\":\"true\"}}", "{\"aws:TokenIssueTime\":\"2025-01-01T00:00:00Z\"}");
    HOLDS("{\"Null\":{\"aws:TagKeys\":\"false\"}}", "{\"aws:TagKeys\":[]}");
    FAILS("{\"Null\":{\"aws:TagKeys\":\"false\"}}", "{}");
}

Test(engine_cond, set_operators)
{
    const char *all = "{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"env\",\"app\"]}}";
    HOLDS(all, "{}");
    HOLDS(all, "{\"aws:TagKeys\":[]}");
    HOLDS(all, "{\"aws:TagKeys\":[\"env\"]}");
    FAILS(all, "{\"aws:TagKeys\":[\"env\",\"x\"]}");
    const char *any = "{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"env\",\"app\"]}}";
    FAILS(any, "{}");
    FAILS(any, "{\"aws:TagKeys\":[]}");
    HOLDS(any, "{\"aws:TagKeys\":[\"x\",\"app\"]}");
    FAILS(any, "{\"aws:TagKeys\":[\"x\"]}");
    /* single-valued key under a set operator: a set of one */
    HOLDS("{\"ForAnyValue:StringEquals\":{\"k\":\"a\"}}", "{\"k\":\"a\"}");
    /* negated under set operators, per value */
    const char *ne = "{\"ForAllValues:StringNotEquals\":{\"aws:TagKeys\":[\"owner\"]}}";
    HOLDS(ne, "{\"aws:TagKeys\":[\"a\",\"b\"]}");
    FAILS(ne, "{\"aws:TagKeys\":[\"a\",\"owner\"]}");
    const char *ane = "{\"ForAnyValue:StringNotEquals\":{\"aws:TagKeys\":[\"owner\"]}}";
    HOLDS(ane, "{\"aws:TagKeys\":[\"a\",\"owner\"]}");
    FAILS(ane, "{\"aws:TagKeys\":[\"owner\"]}");
    HOLDS("{\"ForAnyValue:StringLike\":{\"aws:CalledVia\":\"*.amazonaws.com\"}}",
          "{\"aws:CalledVia\":[\"athena.amazonaws.com\"]}");
}

Test(engine_cond, multivalued_key_without_set_operator)
{
    FAILS("{\"StringEquals\":{\"aws:TagKeys\":\"env\"}}", "{\"aws:TagKeys\":[\"env\"]}");
    FAILS("{\"StringNotEquals\":{\"aws:TagKeys\":\"x\"}}", "{\"aws:TagKeys\":[\"env\"]}");
}

Test(engine_cond, variables_in_conditions)
{
    const char *c = "{\"StringLike\":{\"s3:prefix\":[\"\",\"home/\",\"home/${aws:username}/*\"]}}";
    HOLDS(c, "{\"s3:prefix\":\"home/bob/x\",\"aws:username\":\"bob\"}");
    FAILS(c, "{\"s3:prefix\":\"home/eve/x\",\"aws:username\":\"bob\"}");
    HOLDS(c, "{\"s3:prefix\":\"\",\"aws:username\":\"bob\"}");
    /* substituted text is literal: a '*' from the context is no wildcard */
    const char *lit = "{\"StringLike\":{\"k\":\"${aws:PrincipalTag/p}\"}}";
    FAILS(lit, "{\"k\":\"abc\",\"aws:PrincipalTag/p\":\"*\"}");
    HOLDS(lit, "{\"k\":\"*\",\"aws:PrincipalTag/p\":\"*\"}");
    /* escapes and defaults */
    HOLDS("{\"StringEquals\":{\"k\":\"a${*}b${?}${$}\"}}", "{\"k\":\"a*b?$\"}");
    FAILS("{\"StringLike\":{\"k\":\"a${*}\"}}", "{\"k\":\"abc\"}");
    HOLDS("{\"StringEquals\":{\"k\":\"${aws:PrincipalTag/team, 'company-wide'}\"}}",
          "{\"k\":\"company-wide\"}");
    HOLDS("{\"StringEquals\":{\"k\":\"${aws:PrincipalTag/team, 'company-wide'}\"}}",
          "{\"k\":\"x\",\"aws:PrincipalTag/team\":\"x\"}");
    /* variable key names are case-insensitive */
    HOLDS("{\"StringEquals\":{\"k\":\"${AWS:UserName}\"}}", "{\"k\":\"bob\",\"aws:username\":\"bob\"}");
    /* ARN operators substitute too */
    HOLDS("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:sns:*:${aws:PrincipalAccount}:*\"}}",
          "{\"aws:SourceArn\":\"arn:aws:sns:r:111111111111:t\",\"aws:PrincipalAccount\":\"111111111111\"}");
    /* not in Numeric values: the text stays and does not parse */
    FAILS("{\"NumericEquals\":{\"n\":\"${aws:x}\"}}", "{\"n\":\"1\",\"aws:x\":\"1\"}");
}

Test(engine_cond, unresolved_variables)
{
    const char *pos = "{\"StringEquals\":{\"k\":[\"${aws:PrincipalTag/none}\",\"b\"]}}";
    FAILS(pos, "{\"k\":\"\"}");
    HOLDS(pos, "{\"k\":\"b\"}");
    /* negated + unresolved: not satisfied (scenario-format 5.5) ... */
    const char *neg = "{\"StringNotEquals\":{\"k\":\"${aws:PrincipalTag/none}\"}}";
    FAILS(neg, "{\"k\":\"x\"}");
    /* ... or a null that equals nothing with --option vars-null */
    cr_assert(cond_flags(neg, "{\"k\":\"x\"}", IAM_ENGINE_VARS_NULL));
    /* multivalued keys never substitute */
    FAILS("{\"StringEquals\":{\"k\":\"${aws:TagKeys}\"}}", "{\"k\":\"a\",\"aws:TagKeys\":[\"a\"]}");
}

Test(engine_cond, variables_literal_without_2012)
{
    const char *scen =
        "{\"name\":\"t\",\"request\":{\"principal\":\"arn:aws:iam::111111111111:user/alice\","
        "\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::b/k\","
        "\"context\":{\"k\":\"${aws:username}\",\"aws:username\":\"alice\"}},"
        "\"identityPolicies\":[{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\","
        "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"k\":\"${aws:username}\"}}}}]}";
    cr_assert_str_eq(sim(scen, 0), "allow");
}

Test(engine_cond, setop_ifexists_option)
{
    const char *c = "{\"ForAnyValue:StringEqualsIfExists\":{\"aws:TagKeys\":\"env\"}}";
    HOLDS(c, "{}");
    cr_assert_not(cond_flags(c, "{}", IAM_ENGINE_SETOP_IGNORE_IFEXISTS));
}
