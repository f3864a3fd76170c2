/* test_match.c - Action/Resource globbing, value parsers, request principals. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine/internal.h"
#include "helpers.h"

Test(engine_match, action_patterns)
{
    cr_assert(iam_engine_action_match("*", "s3:GetObject"));
    cr_assert(iam_engine_action_match("s3:Get*", "s3:GetObject"));
    cr_assert(iam_engine_action_match("S3:GETOBJECT", "s3:GetObject"));
    cr_assert(iam_engine_action_match("s3:*Object", "s3:PutObject"));
    cr_assert(iam_engine_action_match("iam:?etUser", "iam:GetUser"));
    cr_assert_not(iam_engine_action_match("iam:?etUser", "iam:ListUser"));
    cr_assert(iam_engine_action_match("iam:*AccessKey*", "iam:CreateAccessKey"));
    cr_assert_not(iam_engine_action_match("s3:Get*", "s3x:GetObject"));
    cr_assert_not(iam_engine_action_match("s3:Get*", "ec2:GetObject"));
    cr_assert_not(iam_engine_action_match("s3:", "s3:GetObject"));
    cr_assert_not(iam_engine_action_match("s3:Get Object", "s3:Get Object"));
    cr_assert_not(iam_engine_action_match("s*:GetObject", "s3:GetObject"));
}

Test(engine_match, resource_field_globbing)
{
    const char *p = "arn:aws:s3:::b/*/test/*";
    cr_assert(iam_engine_resource_match(p, "arn:aws:s3:::b/1/2/test/3/x.jpg"));
    cr_assert(iam_engine_resource_match(p, "arn:aws:s3:::b//test/x.jpg"));
    cr_assert(iam_engine_resource_match(p, "arn:aws:s3:::b/1/test/"));
    cr_assert_not(iam_engine_resource_match(p, "arn:aws:s3:::b/test/x.jpg"));
    cr_assert_not(iam_engine_resource_match(p, "arn:aws:s3:::b/1-test/x.jpg"));
    cr_assert(iam_engine_resource_match("arn:aws:logs:r:1:log-group:g:*",
                                        "arn:aws:logs:r:1:log-group:g:log-stream:s"));
    cr_assert_not(iam_engine_resource_match("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a"));
    cr_assert(iam_engine_resource_match("arn:aws:ec2:*:*:instance/*",
                                        "arn:aws:ec2:us-east-1:111111111111:instance/i-1"));
    /* '*' in a prefix field never crosses ':' */
    cr_assert_not(iam_engine_resource_match("arn:aws:ec2:us-*:instance/*",
                                            "arn:aws:ec2:us-east-1:111111111111:instance/i-1"));
}

Test(engine_match, resource_star_request)
{
    cr_assert(iam_engine_resource_match("*", "*"));
    cr_assert_not(iam_engine_resource_match("arn:aws:s3:::*", "*"));
    cr_assert_not(iam_engine_resource_match("arn:*", "*"));
}

Test(engine_match, short_patterns)
{
    cr_assert(iam_engine_resource_match("arn:aws:sqs:us-east-1:*",
                                        "arn:aws:sqs:us-east-1:111111111111:q"));
    cr_assert(iam_engine_resource_match("arn:aws:*", "arn:aws:sqs:us-east-1:111111111111:q"));
    cr_assert_not(iam_engine_resource_match("arn:aws:sqs:us-west-2:*",
                                            "arn:aws:sqs:us-east-1:111111111111:q"));
    /* identity policies pad missing fields with '*' */
    cr_assert(iam_engine_resource_match("arn:aws:sqs", "arn:aws:sqs:us-east-1:111111111111:q"));
}

/* An empty Resource entry matches nothing (and is not read before its
 * start: fuzz_scenario found the short-pattern check doing that). */
Test(engine_match, empty_resource_pattern)
{
    cr_assert_not(iam_engine_resource_match("", "arn:aws:s3:::b/k"));
    cr_assert_not(iam_engine_resource_match("", "*"));
    cr_assert_str_eq(simq("{'name':'n','request':{'principal':'arn:aws:iam::111111111111:user/u',"
                          "'action':'s3:GetObject','resource':'arn:aws:s3:::b/k'},"
                          "'identityPolicies':[{'Version':'2012-10-17','Statement':["
                          "{'Effect':'Allow','Action':'*','Resource':'*'},"
                          "{'Effect':'Deny','Action':'*','NotResource':''}]}]}", 0),
                     "explicit-deny");
}

Test(engine_match, glob_literal_flags)
{
    uint8_t lit[] = {0, 1, 0};
    cr_assert(iam_glob_match_lit("a*b", NULL, 3, "axxb", 4, false));
    cr_assert_not(iam_glob_match_lit("a*b", lit, 3, "axxb", 4, false));
    cr_assert(iam_glob_match_lit("a*b", lit, 3, "a*b", 3, false));
    cr_assert(iam_glob_match_lit("*a*a*b", NULL, 6, "aaaaaab", 7, false));
    cr_assert(iam_glob_match_lit("A?C", NULL, 3, "abc", 3, true));
    cr_assert_not(iam_glob_match_lit("A?C", NULL, 3, "abc", 3, false));
}

Test(engine_match, numbers)
{
    double d;
    cr_assert(parse_number("10", 2, &d) && d == 10);
    cr_assert(parse_number("-1.5", 4, &d) && d == -1.5);
    cr_assert(parse_number("10.0", 4, &d) && d == 10);
    cr_assert_not(parse_number("1e3", 3, &d));
    cr_assert_not(parse_number("", 0, &d));
    cr_assert_not(parse_number("abc", 3, &d));
    cr_assert_not(parse_number("0x10", 4, &d));
}

static int64_t date(const char *s)
{
    int64_t sec;
    int32_t ns;
    cr_assert(parse_date(s, strlen(s), &sec, &ns), "date %s", s);
    return sec;
}

Test(engine_match, dates)
{
    cr_assert_eq(date("2025-01-01T00:00:00Z"), 1735689600);
    cr_assert_eq(date("1735689600"), 1735689600);
    cr_assert_eq(date("2025-01-01"), 1735689600);
    cr_assert_eq(date("2025-01-01T01:00:00+01:00"), 1735689600);
    cr_assert_eq(date("2024-12-31T19:00:00-05:00"), 1735689600);
    cr_assert_eq(date("2025-01-01T00:00:00.250Z"), 1735689600);
    cr_assert_eq(date("1970-01-01T00:00:00Z"), 0);
    int64_t s;
    int32_t ns;
    cr_assert_not(parse_date("2025-13-01T00:00:00Z", 20, &s, &ns));
    cr_assert_not(parse_date("yesterday", 9, &s, &ns));
    cr_assert_not(parse_date("2025-01-01T00:00:00Q", 20, &s, &ns));
}

static bool inside(const char *net, const char *addr)
{
    ipnet n, a;
    cr_assert(parse_ip(net, strlen(net), true, &n), "net %s", net);
    if (!parse_ip(addr, strlen(addr), false, &a))
        return false;
    return ip_contains(&n, &a);
}

Test(engine_match, ip_addresses)
{
    cr_assert(inside("203.0.113.0/24", "203.0.113.9"));
    cr_assert_not(inside("203.0.113.0/24", "203.0.114.9"));
    cr_assert(inside("203.0.113.7", "203.0.113.7"));
    cr_assert_not(inside("203.0.113.7", "203.0.113.8"));
    cr_assert(inside("0.0.0.0/0", "8.8.8.8"));
    cr_assert(inside("2001:db8::/32", "2001:0DB8:0:0:0:0:0:1"));
    cr_assert(inside("2001:DB8::1", "2001:db8:0:0:0:0:0:1"));
    cr_assert_not(inside("2001:db8::/32", "2001:db9::1"));
    cr_assert_not(inside("::/0", "203.0.113.7"));      /* never across families */
    cr_assert_not(inside("0.0.0.0/0", "2001:db8::1"));
    cr_assert(inside("10.1.2.3/8", "10.200.0.1"));      /* host bits ignored */
    ipnet n;
    cr_assert_not(parse_ip("10.0.0.0/33", 11, true, &n));
    cr_assert_not(parse_ip("10.0.0", 6, true, &n));
    cr_assert_not(parse_ip("10.0.0.1/8", 10, false, &n));
}

Test(engine_match, callers)
{
    iam_caller c;
    cr_assert(iam_caller_parse("arn:aws:iam::111111111111:user/dev/alice", &c));
    cr_assert_eq(c.kind, IAM_CALLER_USER);
    cr_assert_str_eq(c.name, "alice");
    cr_assert_str_eq(c.path, "/dev/");
    cr_assert_str_eq(c.account, "111111111111");
    cr_assert(iam_caller_parse("arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/R", &c));
    cr_assert_eq(c.kind, IAM_CALLER_ROLE);
    cr_assert(c.service_linked);
    cr_assert(iam_caller_parse("arn:aws:sts::111111111111:assumed-role/app/s1", &c));
    cr_assert_eq(c.kind, IAM_CALLER_ASSUMED_ROLE);
    cr_assert_str_eq(c.name, "app");
    cr_assert_str_eq(c.session, "s1");
    cr_assert(iam_caller_parse("arn:aws-cn:sts::111111111111:federated-user/bob", &c));
    cr_assert_eq(c.kind, IAM_CALLER_FEDERATED_USER);
    cr_assert_str_eq(c.partition, "aws-cn");
    cr_assert(iam_caller_parse("lambda.amazonaws.com", &c));
    cr_assert_eq(c.kind, IAM_CALLER_SERVICE);
    cr_assert(iam_caller_parse("*", &c) && c.kind == IAM_CALLER_ANONYMOUS);
    cr_assert(iam_caller_parse("anonymous", &c) && c.kind == IAM_CALLER_ANONYMOUS);
    cr_assert(iam_caller_parse("arn:aws:iam::111111111111:root", &c) && c.kind == IAM_CALLER_ROOT);
    cr_assert_not(iam_caller_parse("arn:aws:iam::111111111111:group/g", &c));
    cr_assert_not(iam_caller_parse("arn:aws:iam::1111:user/a", &c));
    cr_assert_not(iam_caller_parse("arn:aws:sts::111111111111:assumed-role/app", &c));
    cr_assert_not(iam_caller_parse("bob", &c));
}

Test(engine_match, flag_names)
{
    cr_assert_eq(iam_engine_flag_by_name("notprincipal-strict"), IAM_ENGINE_NOTPRINCIPAL_STRICT);
    cr_assert_eq(iam_engine_flag_by_name("vars-null"), IAM_ENGINE_VARS_NULL);
    cr_assert_eq(iam_engine_flag_by_name("no-caller-identity-exemption"),
                 IAM_ENGINE_NO_CALLER_IDENTITY_EXEMPTION);
    cr_assert_eq(iam_engine_flag_by_name("bogus"), 0);
}
