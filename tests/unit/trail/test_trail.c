/* test_trail.c - CloudTrail ingest: the event table against the catalog,
 * name exceptions (iam-semantics.md 7.5-7.7), every identity type, filters,
 * corrupt input, dedupe, lookup-events, summaries. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "catalog/catalog.h"
#include "trail/internal.h"
#include "trail/trail.h"

#define ACCT "111122223333"
#define ROLE_SESSION                                                                          \
    "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::" ACCT ":assumed-role/app/i-0abc\","    \
    "\"accountId\":\"" ACCT "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","   \
    "\"arn\":\"arn:aws:iam::" ACCT ":role/service-role/app\",\"userName\":\"app\"}}}"
#define USER "{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::" ACCT ":user/alice\",\"accountId\":\"" ACCT "\"}"

static int seq;

/* One record; extra is spliced in as more members (",\"k\":v"). */
static char *rec(const char *ident, const char *source, const char *name, const char *params,
                 const char *extra)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    fprintf(f,
            "{\"eventVersion\":\"1.11\",\"userIdentity\":%s,\"eventTime\":\"2026-01-02T03:04:05Z\","
            "\"eventSource\":\"%s.amazonaws.com\",\"eventName\":\"%s\",\"awsRegion\":\"us-east-1\","
            "\"requestParameters\":%s,\"eventID\":\"id-%d\",\"eventType\":\"AwsApiCall\","
            "\"recipientAccountId\":\"" ACCT "\"%s}",
            ident, source, name, params ? params : "null", seq++, extra ? extra : "");
    fclose(f);
    return s;
}

static iam_trail_usage *run_opts(const char *doc, const iam_trail_opts *o)
{
    iam_trail_usage *u = iam_trail_usage_new();
    iam_trail_ingest_mem(u, "test", doc, strlen(doc), o, iam_catalog_builtin());
    return u;
}

static iam_trail_usage *run(const char *records)
{
    char *doc = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&doc, &n);
    fprintf(f, "{\"Records\":[%s]}", records);
    fclose(f);
    iam_trail_opts o = {0};
    iam_trail_usage *u = run_opts(doc, &o);
    free(doc);
    return u;
}

static iam_trail_usage *run1(const char *ident, const char *source, const char *name, const char *params,
                             const char *extra)
{
    char *r = rec(ident, source, name, params, extra);
    iam_trail_usage *u = run(r);
    free(r);
    return u;
}

/* Entry of this kind and action (resource NULL = any); NULL if none. */
static const iam_trail_entry *find(iam_trail_usage *u, iam_trail_kind k, const char *action, const char *res)
{
    const iam_trail_entry *const *e;
    size_t n = iam_trail_usage_entries(u, &e);
    for (size_t i = 0; i < n; i++)
        if (e[i]->kind == k && strcmp(e[i]->action, action) == 0 && (!res || strcmp(e[i]->resource, res) == 0))
            return e[i];
    return NULL;
}

static size_t count_kind(iam_trail_usage *u, iam_trail_kind k)
{
    const iam_trail_entry *const *e;
    size_t n = iam_trail_usage_entries(u, &e), c = 0;
    for (size_t i = 0; i < n; i++)
        c += e[i]->kind == k;
    return c;
}

/* -- the table ------------------------------------------------------------ */

Test(trail, every_table_action_is_in_the_catalog)
{
    const char *const *v;
    size_t n = iam_trail_table_actions(&v);
    cr_assert_gt(n, 100);
    for (size_t i = 0; i < n; i++)
        cr_expect_neq(iam_catalog_action_find(iam_catalog_builtin(), v[i], strlen(v[i])), IAM_CATALOG_NONE,
                      "event table action %s is not in the catalog", v[i]);
}

Test(trail, strict_date_suffix)
{
    static const struct { const char *in, *out; } cases[] = {
        {"CreateFunction20150331", "CreateFunction"},
        {"UpdateFunctionCode20150331v2", "UpdateFunctionCode"},
        {"GetFunction20150331v2", "GetFunction"},
        {"ListFunctions20150331", "ListFunctions"},
        {"CreateDistribution2020_05_31", "CreateDistribution"},
        {"UpdateDistribution2017_03_25", "UpdateDistribution"},
        {"GetObject", "GetObject"},
        {"DescribeDBInstances", "DescribeDBInstances"},
        {"CreateVpcPeeringConnection", "CreateVpcPeeringConnection"},
        {"ListTagsV2", "ListTagsV2"},            /* never "strip trailing digits/v" */
        {"PutObjectV3v2", "PutObjectV3v2"},
        {"Describe123", "Describe123"},
        {"X1234567", "X1234567"},                 /* 7 digits: no date */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t l = iam_trail_strip_date(cases[i].in, strlen(cases[i].in));
        cr_expect_eq(l, strlen(cases[i].out), "%s", cases[i].in);
    }
}

Test(trail, prefix_renames)
{
    static const struct { const char *src, *prefix; } cases[] = {
        {"monitoring.amazonaws.com", "cloudwatch"}, {"email.amazonaws.com", "ses"},
        {"appstream2.amazonaws.com", "appstream"}, {"models.lex.amazonaws.com", "lex"},
        {"runtime.lex.amazonaws.com", "lex"}, {"models-v2-lex.amazonaws.com", "lex"},
        {"runtime-v2-lex.amazonaws.com", "lex"}, {"mturk-requester.amazonaws.com", "mechanicalturk"},
        {"streams.dynamodb.amazonaws.com", "dynamodb"}, {"tagging.amazonaws.com", "tag"},
        {"s3.amazonaws.com", "s3"}, {"ec2.amazonaws.com", "ec2"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_str_eq(iam_trail_prefix(cases[i].src, strlen(cases[i].src), buf, sizeof buf), cases[i].prefix);
}

/* -- name exceptions (7.5) ------------------------------------------------ */

/* Inline strings: Criterion runs parameterized tests in a fresh process,
 * where pointers into the parent's data are meaningless. "" = NULL. */
typedef struct mcase {
    char source[24], name[48], params[200], action[48], resource[80];
} mcase;

static const mcase mcases[] = {
    {"s3", "ListBuckets", "", "s3:ListAllMyBuckets", "*"},
    {"s3", "ListObjectsV2", "{\"bucketName\":\"b\"}", "s3:ListBucket", "arn:aws:s3:::b"},
    {"s3", "HeadBucket", "{\"bucketName\":\"b\"}", "s3:ListBucket", "arn:aws:s3:::b"},
    {"s3", "ListObjectVersions", "{\"bucketName\":\"b\"}", "s3:ListBucketVersions", "arn:aws:s3:::b"},
    {"s3", "ListMultipartUploads", "{\"bucketName\":\"b\"}", "s3:ListBucketMultipartUploads", ""},
    {"s3", "ListParts", "{\"bucketName\":\"b\",\"key\":\"k\"}", "s3:ListMultipartUploadParts", ""},
    {"s3", "HeadObject", "{\"bucketName\":\"b\",\"key\":\"k\"}", "s3:GetObject", "arn:aws:s3:::b/*"},
    {"s3", "HeadObject", "{\"bucketName\":\"b\",\"key\":\"k\",\"versionId\":\"v1\"}", "s3:GetObjectVersion", ""},
    {"s3", "GetObject", "{\"bucketName\":\"b\",\"key\":\"d/e/f.txt\"}", "s3:GetObject", "arn:aws:s3:::b/d/*"},
    {"s3", "SelectObjectContent", "{\"bucketName\":\"b\",\"key\":\"k\"}", "s3:GetObject", ""},
    {"s3", "CreateMultipartUpload", "{\"bucketName\":\"b\",\"key\":\"k\"}", "s3:PutObject", ""},
    {"s3", "UploadPart", "{\"bucketName\":\"b\",\"key\":\"k\"}", "s3:PutObject", ""},
    {"s3", "CompleteMultipartUpload", "{\"bucketName\":\"b\",\"key\":\"k\"}", "s3:PutObject", ""},
    {"s3", "UploadPartCopy", "{\"bucketName\":\"b\",\"key\":\"k\",\"x-amz-copy-source\":\"src/a/b\"}", "s3:GetObject", "arn:aws:s3:::src/a/*"},
    {"s3", "DeleteObjects", "{\"bucketName\":\"b\",\"delete\":{\"Object\":[{\"Key\":\"k\"}]}}", "s3:DeleteObject", ""},
    {"s3", "DeleteObjects", "{\"bucketName\":\"b\",\"delete\":{\"Object\":[{\"Key\":\"k\",\"VersionId\":\"1\"}]}}", "s3:DeleteObjectVersion", ""},
    {"s3", "GetBucketLifecycle", "{\"bucketName\":\"b\"}", "s3:GetLifecycleConfiguration", ""},
    {"s3", "DeleteBucketLifecycle", "{\"bucketName\":\"b\"}", "s3:PutLifecycleConfiguration", ""},
    {"s3", "DeleteBucketEncryption", "{\"bucketName\":\"b\"}", "s3:PutEncryptionConfiguration", ""},
    {"s3", "GetBucketReplication", "{\"bucketName\":\"b\"}", "s3:GetReplicationConfiguration", ""},
    {"s3", "DeleteBucketReplication", "{\"bucketName\":\"b\"}", "s3:PutReplicationConfiguration", ""},
    {"s3", "PutBucketAccelerateConfiguration", "{\"bucketName\":\"b\"}", "s3:PutAccelerateConfiguration", ""},
    {"s3", "ListBucketInventoryConfigurations", "{\"bucketName\":\"b\"}", "s3:GetInventoryConfiguration", ""},
    {"s3", "DeleteBucketIntelligentTieringConfiguration", "{\"bucketName\":\"b\"}", "s3:PutIntelligentTieringConfiguration", ""},
    {"s3", "GetBucketNotificationConfiguration", "{\"bucketName\":\"b\"}", "s3:GetBucketNotification", ""},
    {"s3", "DeleteBucketCors", "{\"bucketName\":\"b\"}", "s3:PutBucketCORS", ""},
    {"s3", "DeleteBucketTagging", "{\"bucketName\":\"b\"}", "s3:PutBucketTagging", ""},
    {"s3", "DeleteBucketOwnershipControls", "{\"bucketName\":\"b\"}", "s3:PutBucketOwnershipControls", ""},
    {"s3", "GetObjectLockConfiguration", "{\"bucketName\":\"b\"}", "s3:GetBucketObjectLockConfiguration", ""},
    {"kms", "ReEncrypt", "{\"sourceKeyId\":\"k1\",\"destinationKeyId\":\"k2\"}", "kms:ReEncryptFrom", "arn:aws:kms:us-east-1:" ACCT ":key/k1"},
    {"kms", "ReEncrypt", "{\"sourceKeyId\":\"k1\",\"destinationKeyId\":\"k2\"}", "kms:ReEncryptTo", "arn:aws:kms:us-east-1:" ACCT ":key/k2"},
    {"dynamodb", "ExecuteStatement", "{\"statement\":\"SELECT * FROM \\\"T\\\"\"}", "dynamodb:PartiQLSelect", "arn:aws:dynamodb:us-east-1:" ACCT ":table/T"},
    {"dynamodb", "ExecuteStatement", "{\"statement\":\"insert into \\\"T\\\" value {}\"}", "dynamodb:PartiQLInsert", ""},
    {"dynamodb", "BatchExecuteStatement", "{\"statements\":[{\"statement\":\"UPDATE \\\"T\\\" SET a=1\"}]}", "dynamodb:PartiQLUpdate", ""},
    {"dynamodb", "ExecuteTransaction", "{\"transactStatements\":[{\"statement\":\"DELETE FROM \\\"T\\\"\"}]}", "dynamodb:PartiQLDelete", ""},
    {"dynamodb", "TransactWriteItems", "{\"transactItems\":[{\"update\":{\"tableName\":\"T\"}}]}", "dynamodb:UpdateItem", "arn:aws:dynamodb:us-east-1:" ACCT ":table/T"},
    {"dynamodb", "TransactWriteItems", "{\"transactItems\":[{\"conditionCheck\":{\"tableName\":\"T\"}}]}", "dynamodb:ConditionCheckItem", ""},
    {"dynamodb", "TransactGetItems", "{\"transactItems\":[{\"get\":{\"tableName\":\"T\"}}]}", "dynamodb:GetItem", ""},
    {"lambda", "Invoke", "{\"functionName\":\"f\"}", "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:" ACCT ":function:f"},
    {"lambda", "GetFunction20150331v2", "{\"functionName\":\"f\"}", "lambda:GetFunction", ""},
    {"lambda", "ListFunctions20150331", "", "lambda:ListFunctions", "*"},
    {"cloudfront", "UpdateDistribution2017_03_25", "{\"id\":\"E1\"}", "cloudfront:UpdateDistribution", ""},
    {"monitoring", "PutMetricData", "", "cloudwatch:PutMetricData", ""},
    {"streams.dynamodb", "GetRecords", "", "dynamodb:GetRecords", ""},
    {"apigateway", "GetRestApis", "", "apigateway:GET", ""},
    {"apigateway", "UpdateStage", "{\"restApiId\":\"abc\"}", "apigateway:PATCH", "arn:aws:apigateway:us-east-1::/restapis/abc*"},
    {"apigateway", "DeleteResource", "{\"restApiId\":\"abc\"}", "apigateway:DELETE", ""},
    {"secretsmanager", "GetSecretValue", "{\"secretId\":\"prod/db\"}", "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:" ACCT ":secret:prod/db-??????"},
    {"ssm", "GetParameter", "{\"name\":\"/app/x\"}", "ssm:GetParameter", "arn:aws:ssm:us-east-1:" ACCT ":parameter/app/x"},
    {"sqs", "SendMessage", "{\"queueUrl\":\"https://sqs.us-east-1.amazonaws.com/" ACCT "/q\"}", "sqs:SendMessage", "arn:aws:sqs:us-east-1:" ACCT ":q"},
    {"iam", "GetRole", "{\"roleName\":\"r\"}", "iam:GetRole", "arn:aws:iam::" ACCT ":role/r"},
    /* 7.6: several permissions */
    {"s3", "CopyObject", "{\"bucketName\":\"b\",\"key\":\"k\",\"x-amz-copy-source\":\"src/k2\"}", "s3:GetObjectTagging", "arn:aws:s3:::src/*"},
    {"s3", "CopyObject", "{\"bucketName\":\"b\",\"key\":\"k\",\"x-amz-copy-source\":\"src/k2\"}", "s3:PutObject", "arn:aws:s3:::b/*"},
    {"s3", "PutObject", "{\"bucketName\":\"b\",\"key\":\"k\",\"x-amz-tagging\":\"a=b\"}", "s3:PutObjectTagging", ""},
    {"s3", "PutObject", "{\"bucketName\":\"b\",\"key\":\"k\",\"x-amz-acl\":\"private\"}", "s3:PutObjectAcl", ""},
    {"ec2", "RunInstances", "{\"tagSpecificationSet\":{}}", "ec2:CreateTags", ""},
    {"sts", "AssumeRole", "{\"roleArn\":\"arn:aws:iam::" ACCT ":role/r\",\"tags\":[]}", "sts:TagSession", ""},
    {"sts", "AssumeRole", "{\"roleArn\":\"arn:aws:iam::" ACCT ":role/r\",\"sourceIdentity\":\"x\"}", "sts:SetSourceIdentity", ""},
    {"iam", "CreateRole", "{\"roleName\":\"r\",\"tags\":[],\"permissionsBoundary\":\"arn:aws:iam::" ACCT ":policy/pb\"}", "iam:TagRole", ""},
    {"iam", "CreateRole", "{\"roleName\":\"r\",\"permissionsBoundary\":\"arn:aws:iam::" ACCT ":policy/pb\"}", "iam:PutRolePermissionsBoundary", ""},
    {"iam", "CreateUser", "{\"userName\":\"u\",\"tags\":[]}", "iam:TagUser", ""},
    {"lambda", "CreateFunction20150331", "{\"functionName\":\"f\",\"role\":\"arn:aws:iam::1:role/x\",\"code\":{\"s3Bucket\":\"b\",\"s3Key\":\"c.zip\"}}", "s3:GetObject", "arn:aws:s3:::b/*"},
};

ParameterizedTestParameters(trail, mapping)
{
    return cr_make_param_array(mcase, mcases, sizeof mcases / sizeof *mcases);
}

ParameterizedTest(const mcase *c, trail, mapping)
{
    iam_trail_usage *u = run1(USER, c->source, c->name, *c->params ? c->params : NULL, NULL);
    const iam_trail_entry *e = find(u, IAM_TK_USED, c->action, *c->resource ? c->resource : NULL);
    cr_expect(e != NULL, "%s %s -> %s on %s", c->source, c->name, c->action, *c->resource ? c->resource : "(any)");
    iam_trail_usage_free(u);
}

/* -- 7.7 and never-logged actions ------------------------------------------ */

Test(trail, no_iam_action_events_are_skipped_not_unmapped)
{
    static const char *const ev[][2] = {
        {"sts", "GetCallerIdentity"}, {"sts", "GetSessionToken"}, {"dynamodb", "DescribeEndpoints"},
        {"signin", "ConsoleLogin"}, {"signin", "SwitchRole"}, {"sts", "AssumeRoleWithWebIdentity"},
    };
    for (size_t i = 0; i < sizeof ev / sizeof *ev; i++) {
        iam_trail_usage *u = run1(USER, ev[i][0], ev[i][1], NULL, NULL);
        cr_expect_eq(iam_trail_usage_stats(u)->skipped, 1, "%s:%s", ev[i][0], ev[i][1]);
        cr_expect_eq(iam_trail_usage_stats(u)->unmapped, 0);
        iam_trail_usage_free(u);
    }
}

Test(trail, unknown_events_are_reported_unmapped)
{
    iam_trail_usage *u = run1(USER, "newsvc", "DoThing", NULL, NULL);
    cr_expect_eq(iam_trail_usage_stats(u)->unmapped, 1);
    cr_expect(find(u, IAM_TK_UNMAPPED, "newsvc.amazonaws.com", "DoThing") != NULL);
    iam_trail_usage_free(u);
}

Test(trail, passrole_is_implied_with_its_event)
{
    iam_trail_usage *u = run1(ROLE_SESSION, "lambda", "CreateFunction20150331",
                              "{\"functionName\":\"f\",\"role\":\"arn:aws:iam::" ACCT ":role/exec\"}", NULL);
    const iam_trail_entry *e = find(u, IAM_TK_IMPLIED, "iam:PassRole", "arn:aws:iam::" ACCT ":role/exec");
    cr_assert(e != NULL);
    cr_expect_str_eq(e->via, "lambda:CreateFunction");
    iam_trail_usage_free(u);
    u = run1(USER, "ecs", "RegisterTaskDefinition", "{\"taskRoleArn\":\"task\",\"executionRoleArn\":\"exec\"}", NULL);
    cr_expect(find(u, IAM_TK_IMPLIED, "iam:PassRole", "arn:aws:iam::" ACCT ":role/task") != NULL);
    cr_expect(find(u, IAM_TK_IMPLIED, "iam:PassRole", "arn:aws:iam::" ACCT ":role/exec") != NULL);
    iam_trail_usage_free(u);
    u = run1(USER, "ec2", "RunInstances", "{\"iamInstanceProfile\":{\"name\":\"p\"}}", NULL);
    cr_expect(find(u, IAM_TK_IMPLIED, "iam:PassRole", "arn:aws:iam::" ACCT ":role/*") != NULL);
    iam_trail_usage_free(u);
}

/* -- identity types (7.3) ---------------------------------------------------- */

Test(trail, identity_types)
{
    static const struct { const char *ident, *principal; } ok[] = {
        {"{\"type\":\"Root\",\"arn\":\"arn:aws:iam::" ACCT ":root\",\"accountId\":\"" ACCT "\"}", "arn:aws:iam::" ACCT ":root"},
        {USER, "arn:aws:iam::" ACCT ":user/alice"},
        {ROLE_SESSION, "arn:aws:iam::" ACCT ":role/service-role/app"},
        {"{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::" ACCT ":assumed-role/r/s\"}", "arn:aws:iam::" ACCT ":role/r"},
        {"{\"type\":\"FederatedUser\",\"arn\":\"arn:aws:sts::" ACCT ":federated-user/bob\",\"sessionContext\":"
         "{\"sessionIssuer\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::" ACCT ":user/broker\"}}}",
         "arn:aws:iam::" ACCT ":user/broker"},
        {"{\"type\":\"AWSAccount\",\"accountId\":\"999988887777\"}", "arn:aws:iam::999988887777:root"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        iam_trail_usage *u = run1(ok[i].ident, "s3", "ListBuckets", NULL, NULL);
        const iam_trail_entry *e = find(u, IAM_TK_USED, "s3:ListAllMyBuckets", "*");
        cr_assert(e != NULL, "identity %zu", i);
        cr_expect_str_eq(e->principal, ok[i].principal);
        iam_trail_usage_free(u);
    }
    static const char *const skipped[] = {
        "{\"type\":\"AWSService\",\"invokedBy\":\"cloudtrail.amazonaws.com\"}",
        "{\"type\":\"SAMLUser\",\"userName\":\"a\"}",
        "{\"type\":\"WebIdentityUser\",\"userName\":\"a\"}",
        "{\"type\":\"AWSAccount\",\"accountId\":\"anonymous\"}",
        "{\"type\":\"IdentityCenterUser\"}",
        "{\"type\":\"Unknown\"}",
    };
    for (size_t i = 0; i < sizeof skipped / sizeof *skipped; i++) {
        iam_trail_usage *u = run1(skipped[i], "s3", "ListBuckets", NULL, NULL);
        cr_expect_eq(iam_trail_usage_stats(u)->skipped_identity, 1, "%s", skipped[i]);
        cr_expect_eq(count_kind(u, IAM_TK_USED), 0);
        iam_trail_usage_free(u);
    }
}

/* -- denied, dedupe, filters ------------------------------------------------- */

Test(trail, denied_calls_are_listed_apart)
{
    static const char *const codes[] = {"AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation"};
    for (size_t i = 0; i < 3; i++) {
        char extra[128];
        snprintf(extra, sizeof extra, ",\"errorCode\":\"%s\"", codes[i]);
        iam_trail_usage *u = run1(USER, "s3", "ListBuckets", NULL, extra);
        cr_expect(find(u, IAM_TK_DENIED, "s3:ListAllMyBuckets", "*") != NULL);
        cr_expect(find(u, IAM_TK_USED, "s3:ListAllMyBuckets", "*") == NULL);
        iam_trail_usage_free(u);
    }
    /* other errors: authorisation passed */
    iam_trail_usage *u = run1(USER, "s3", "ListBuckets", NULL, ",\"errorCode\":\"ThrottlingException\"");
    cr_expect(find(u, IAM_TK_USED, "s3:ListAllMyBuckets", "*") != NULL);
    iam_trail_usage_free(u);
}

Test(trail, dedupe_on_event_id)
{
    char *r = rec(USER, "s3", "ListBuckets", NULL, NULL);
    char buf[4096];
    snprintf(buf, sizeof buf, "%s,%s", r, r);
    iam_trail_usage *u = run(buf);
    cr_expect_eq(iam_trail_usage_stats(u)->duplicates, 1);
    cr_expect_eq(find(u, IAM_TK_USED, "s3:ListAllMyBuckets", "*")->count, 1);
    iam_trail_usage_free(u);
    free(r);
}

static uint64_t used_after(const iam_trail_filter *f, const char *ident, const char *extra)
{
    char *r = rec(ident, "s3", "ListBuckets", NULL, extra);
    char doc[4096];
    snprintf(doc, sizeof doc, "{\"Records\":[%s]}", r);
    free(r);
    iam_trail_opts o = {.filter = *f};
    iam_trail_usage *u = run_opts(doc, &o);
    uint64_t m = iam_trail_usage_stats(u)->mapped;
    iam_trail_usage_free(u);
    return m;
}

Test(trail, filters)
{
    iam_trail_filter f = {.principal = "arn:aws:iam::" ACCT ":role/service-role/app"};
    cr_expect_eq(used_after(&f, ROLE_SESSION, NULL), 1);   /* role ARN collects its sessions */
    f.principal = "arn:aws:iam::" ACCT ":role/app";        /* path left out */
    cr_expect_eq(used_after(&f, ROLE_SESSION, NULL), 1);
    f.principal = "arn:aws:sts::" ACCT ":assumed-role/app/i-0abc";   /* one session */
    cr_expect_eq(used_after(&f, ROLE_SESSION, NULL), 1);
    f.principal = "arn:aws:iam::" ACCT ":user/alice";
    cr_expect_eq(used_after(&f, ROLE_SESSION, NULL), 0);
    f = (iam_trail_filter){.account = ACCT};
    cr_expect_eq(used_after(&f, USER, NULL), 1);
    f.account = "000000000000";
    cr_expect_eq(used_after(&f, USER, NULL), 0);
    f = (iam_trail_filter){.region = "eu-west-1"};
    cr_expect_eq(used_after(&f, USER, NULL), 0);
    f.region = "us-east-1";
    cr_expect_eq(used_after(&f, USER, NULL), 1);
    f = (iam_trail_filter){.since = iam_trail_parse_time("2026-01-02", 10)};
    cr_expect_eq(used_after(&f, USER, NULL), 1);
    f.since = iam_trail_parse_time("2026-01-03", 10);
    cr_expect_eq(used_after(&f, USER, NULL), 0);
    f = (iam_trail_filter){.until = iam_trail_parse_time("2026-01-02T03:04:05Z", 20)};
    cr_expect_eq(used_after(&f, USER, NULL), 0);   /* until is exclusive */
    f = (iam_trail_filter){.rw = IAM_TRAIL_RW_READ};
    cr_expect_eq(used_after(&f, USER, ",\"readOnly\":true"), 1);
    cr_expect_eq(used_after(&f, USER, ",\"readOnly\":false"), 0);
    cr_expect_eq(used_after(&f, USER, NULL), 1);   /* missing: List access level */
    f.rw = IAM_TRAIL_RW_WRITE;
    cr_expect_eq(used_after(&f, USER, ",\"readOnly\":false"), 1);
}

/* -- inputs ---------------------------------------------------------------- */

static char *gz(const char *s, size_t *len)
{
    uLong cap = compressBound(strlen(s)) + 64;
    char *out = malloc(cap);
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)s;
    z.avail_in = (uInt)strlen(s);
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    *len = z.total_out;
    deflateEnd(&z);
    return out;
}

Test(trail, gzip_and_corrupt_inputs)
{
    char *r = rec(USER, "s3", "ListBuckets", NULL, NULL);
    char doc[4096];
    snprintf(doc, sizeof doc, "{\"Records\":[%s,%s]}", r, r);
    free(r);
    size_t zl;
    char *z = gz(doc, &zl);
    iam_trail_opts o = {.no_dedupe = true};
    iam_trail_usage *u = iam_trail_usage_new();
    iam_trail_ingest_mem(u, "ok.json.gz", z, zl, &o, iam_catalog_builtin());
    cr_expect_eq(iam_trail_usage_stats(u)->mapped, 2);
    /* truncated gzip: reported by name, nothing counted */
    iam_trail_ingest_mem(u, "cut.json.gz", z, zl / 2, &o, iam_catalog_builtin());
    /* truncated and invalid JSON */
    iam_trail_ingest_mem(u, "cut.json", doc, strlen(doc) - 10, &o, iam_catalog_builtin());
    iam_trail_ingest_mem(u, "bad.json", "{\"Records\":[{\"a\":tru}]}", 23, &o, iam_catalog_builtin());
    iam_trail_ingest_mem(u, "notct.json", "[1,2", 4, &o, iam_catalog_builtin());
    const iam_trail_badfile *bad;
    cr_expect_eq(iam_trail_usage_badfiles(u, &bad), 4);
    cr_expect_str_eq(bad[0].path, "cut.json.gz");
    cr_expect_eq(iam_trail_usage_stats(u)->mapped, 2, "records of bad files do not count");
    cr_expect_eq(find(u, IAM_TK_USED, "s3:ListAllMyBuckets", "*")->count, 2);
    iam_trail_usage_free(u);
    free(z);
}

Test(trail, lookup_events_output)
{
    const char *doc =
        "{\"Events\":[{\"EventId\":\"x\",\"EventName\":\"ListBuckets\",\"CloudTrailEvent\":"
        "\"{\\\"eventVersion\\\":\\\"1.08\\\",\\\"userIdentity\\\":{\\\"type\\\":\\\"IAMUser\\\","
        "\\\"arn\\\":\\\"arn:aws:iam::1:user/u\\\"},\\\"eventTime\\\":\\\"2026-01-01T00:00:00Z\\\","
        "\\\"eventSource\\\":\\\"s3.amazonaws.com\\\",\\\"eventName\\\":\\\"ListBuckets\\\","
        "\\\"awsRegion\\\":\\\"us-east-1\\\",\\\"eventID\\\":\\\"e1\\\",\\\"eventType\\\":\\\"AwsApiCall\\\"}\"}],"
        "\"NextToken\":\"t\"}";
    iam_trail_opts o = {0};
    iam_trail_usage *u = run_opts(doc, &o);
    const iam_trail_entry *e = find(u, IAM_TK_USED, "s3:ListAllMyBuckets", "*");
    cr_assert(e != NULL);
    cr_expect_str_eq(e->principal, "arn:aws:iam::1:user/u");
    iam_trail_usage_free(u);
}

Test(trail, generalize)
{
    static const char *const c[][2] = {
        {"arn:aws:s3:::b/k.txt", "arn:aws:s3:::b/*"},
        {"arn:aws:s3:::b/x/y/z", "arn:aws:s3:::b/x/*"},
        {"arn:aws:ec2:us-east-1:1:instance/i-0123456789abcdef0", "arn:aws:ec2:us-east-1:1:instance/*"},
        {"arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf", "arn:aws:secretsmanager:us-east-1:1:secret:db-??????"},
        {"arn:aws:dynamodb:us-east-1:1:table/T/index/I", "arn:aws:dynamodb:us-east-1:1:table/T/index/*"},
        {"arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
        {"arn:aws:lambda:us-east-1:1:function:f:3", "arn:aws:lambda:us-east-1:1:function:f:*"},
        {"arn:aws:logs:us-east-1:1:log-group:g:log-stream:s1", "arn:aws:logs:us-east-1:1:log-group:g:log-stream:*"},
    };
    char out[512];
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        trail_generalize(c[i][0], out, sizeof out);
        cr_expect_str_eq(out, c[i][1]);
    }
}

/* -- summaries ---------------------------------------------------------------- */

Test(trail, summary_round_trip_and_merge)
{
    iam_trail_usage *a = iam_trail_usage_new(), *b = iam_trail_usage_new();
    iam_trail_usage_add(a, IAM_TK_USED, "p", "s3:GetObject", "arn:aws:s3:::b/*", "", 3, 100, 200);
    iam_trail_usage_add(b, IAM_TK_USED, "p", "s3:GetObject", "arn:aws:s3:::b/*", "", 2, 50, 150);
    iam_trail_usage_add(b, IAM_TK_IMPLIED, "p", "iam:PassRole", "arn:aws:iam::1:role/r", "lambda:CreateFunction", 1, 7, 7);
    iam_trail_usage_stats(a)->records = 10;
    iam_trail_usage_stats(b)->records = 5;
    iam_strbuf sa = IAM_STRBUF_INIT, sb = IAM_STRBUF_INIT, sm = IAM_STRBUF_INIT;
    iam_trail_summary_write(a, &sa);
    iam_trail_summary_write(b, &sb);
    iam_trail_usage *m = iam_trail_usage_new();
    const char *err = NULL;
    cr_assert_eq(iam_trail_summary_read(m, sa.s, sa.len, &err), 0, "%s", err);
    cr_assert_eq(iam_trail_summary_read(m, sb.s, sb.len, &err), 0, "%s", err);
    const iam_trail_entry *e = find(m, IAM_TK_USED, "s3:GetObject", "arn:aws:s3:::b/*");
    cr_assert(e != NULL);
    cr_expect_eq(e->count, 5);
    cr_expect_eq(e->first, 50);
    cr_expect_eq(e->last, 200);
    cr_expect_str_eq(find(m, IAM_TK_IMPLIED, "iam:PassRole", NULL)->via, "lambda:CreateFunction");
    cr_expect_eq(iam_trail_usage_stats(m)->records, 15);
    /* merging is order-independent: b then a gives the same bytes */
    iam_trail_usage *m2 = iam_trail_usage_new();
    iam_trail_summary_read(m2, sb.s, sb.len, &err);
    iam_trail_summary_read(m2, sa.s, sa.len, &err);
    iam_strbuf s1 = IAM_STRBUF_INIT, s2 = IAM_STRBUF_INIT;
    iam_trail_summary_write(m, &s1);
    iam_trail_summary_write(m2, &s2);
    cr_expect_str_eq(s1.s, s2.s);
    cr_expect_neq(iam_trail_summary_read(m, "{\"x\":1}", 7, &err), 0);
    iam_sb_free(&sa);
    iam_sb_free(&sb);
    iam_sb_free(&sm);
    iam_sb_free(&s1);
    iam_sb_free(&s2);
    iam_trail_usage_free(a);
    iam_trail_usage_free(b);
    iam_trail_usage_free(m);
    iam_trail_usage_free(m2);
}

Test(trail, time_parsing)
{
    cr_expect_eq(iam_trail_parse_time("1970-01-01T00:00:00Z", 20), 0);
    cr_expect_eq(iam_trail_parse_time("2026-01-02", 10), 1767312000);
    cr_expect_eq(iam_trail_parse_time("2026-13-02", 10), -1);
    char buf[32];
    iam_trail_format_time(1767312000, buf);
    cr_expect_str_eq(buf, "2026-01-02T00:00:00Z");
}
