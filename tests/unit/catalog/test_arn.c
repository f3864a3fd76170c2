/* test_arn.c - ARN patterns vs catalog ARN templates, ARN shape checks. */
#include <criterion/criterion.h>
#include <string.h>

#include "catalog/catalog.h"

static uint32_t rtype(const char *svc, const char *name)
{
    const iam_catalog *c = iam_catalog_builtin();
    uint32_t sid = iam_catalog_service_find(c, svc, strlen(svc));
    for (uint32_t r = 0; r < iam_catalog_resource_type_count(c); r++)
        if (iam_catalog_rtype_service(c, r) == sid && strcmp(iam_catalog_rtype_name(c, r), name) == 0)
            return r;
    cr_assert_fail("no resource type %s/%s", svc, name);
    return 0;
}

static bool fits(const char *arn, const char *svc, const char *type)
{
    return iam_catalog_arn_matches_rtype(iam_catalog_builtin(), arn, strlen(arn), rtype(svc, type));
}

Test(arn, s3_bucket_versus_object)
{
    cr_expect(fits("arn:aws:s3:::my-bucket", "s3", "bucket"));
    cr_expect(!fits("arn:aws:s3:::my-bucket", "s3", "object"));
    cr_expect(fits("arn:aws:s3:::my-bucket/*", "s3", "object"));
    cr_expect(!fits("arn:aws:s3:::my-bucket/*", "s3", "bucket"));
    cr_expect(fits("arn:aws:s3:::my-bucket/a/b/c.txt", "s3", "object"));
    cr_expect(fits("arn:aws:s3:::*", "s3", "bucket"));
    cr_expect(fits("arn:aws:s3:::*", "s3", "object"));
    cr_expect(fits("arn:aws:s3:::b*", "s3", "object"));   /* b* may be "bx/key" */
    cr_expect(fits("arn:aws:s3:::my-bucket?", "s3", "bucket"));
    cr_expect(!fits("arn:aws:s3:::my-bucket/", "s3", "object"));   /* ${ObjectName} is non-empty */
}

Test(arn, fields_are_separate)
{
    /* S3 bucket ARNs have empty region and account fields. */
    cr_expect(!fits("arn:aws:s3:us-east-1::b", "s3", "bucket"));
    cr_expect(!fits("arn:aws:s3::123456789012:b", "s3", "bucket"));
    cr_expect(!fits("arn:aws:ec2:*:*:b", "s3", "bucket"));
    cr_expect(fits("arn:aws:ec2:*:*:instance/*", "ec2", "instance"));
    cr_expect(fits("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", "ec2", "instance"));
    cr_expect(!fits("arn:aws:ec2:us-east-1:123456789012:volume/v-1", "ec2", "instance"));
    /* '*' may match an empty field; a field pattern never reaches the next field */
    cr_expect(fits("arn:aws:s3:*:*:b", "s3", "bucket"));
    cr_expect(!fits("arn:aws:s3:*:*:b/k", "s3", "bucket"));
    cr_expect(fits("arn:*:*:*:*:*", "ec2", "instance"));
}

Test(arn, case_rules)
{
    cr_expect(fits("arn:AWS:S3:::bucket", "s3", "bucket"));            /* fields ignore case */
    cr_expect(fits("arn:aws:iam::123456789012:role/Admin", "iam", "role"));
    cr_expect(!fits("arn:aws:iam::123456789012:ROLE/Admin", "iam", "role"));   /* resource part does not */
}

Test(arn, paths_and_colons)
{
    cr_expect(fits("arn:aws:iam::123456789012:role/path/to/Admin", "iam", "role"));
    cr_expect(fits("arn:aws:iam::123456789012:role/*", "iam", "role"));
    cr_expect(!fits("arn:aws:iam::123456789012:user/*", "iam", "role"));
    cr_expect(fits("arn:aws:logs:us-east-1:123456789012:log-group:g:*", "logs", "log-stream"));
    cr_expect(fits("arn:aws:logs:us-east-1:123456789012:log-group:g", "logs", "log-group"));
}

Test(arn, variables_and_short_arns)
{
    cr_expect(fits("arn:aws:s3:::home/${aws:username}/*", "s3", "object"));
    cr_expect(fits("arn:aws:s3:::${aws:username}", "s3", "bucket"));
    cr_expect(!fits("arn:aws:s3:::b${*}", "s3", "object"));   /* ${*} is a literal '*' */
    cr_expect(fits("arn:aws:s3:*", "s3", "object"));          /* padded with '*' fields */
    cr_expect(!fits("arn:aws:s3", "s3", "bucket"));           /* short, no wildcard */
    cr_expect(fits("*", "s3", "bucket"));
}

static const char *check(const char *arn, int *field)
{
    return iam_arn_check(arn, strlen(arn), field);
}

Test(arn, shape_checks)
{
    int f;
    cr_expect_null(check("arn:aws:s3:::bucket", &f));
    cr_expect_null(check("arn:aws-cn:ec2:cn-north-1:123456789012:instance/*", &f));
    cr_expect_null(check("arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i", &f));
    cr_expect_null(check("arn:aws-iso-b:ec2:us-isob-east-1:123456789012:instance/i", &f));
    cr_expect_null(check("arn:aws:iam::aws:policy/ReadOnlyAccess", &f));
    cr_expect_null(check("arn:${aws:partition}:s3:::b", &f));
    cr_expect_null(check("arn:aws:s3:*", &f));
    cr_expect_null(check("arn:aws:ec2:*:*:instance/*", &f));
    cr_expect_not_null(check("arn:aws-xx:s3:::b", &f));
    cr_expect_eq(f, 1);
    cr_expect_not_null(check("arn:aws:s3 bucket:::b", &f));
    cr_expect_eq(f, 2);
    cr_expect_not_null(check("arn:aws:ec2:useast1:123456789012:instance/i", &f));
    cr_expect_eq(f, 3);
    cr_expect_not_null(check("arn:aws:iam::12345:role/x", &f));
    cr_expect_eq(f, 4);
    cr_expect_not_null(check("arn:aws:s3:::", &f));
    cr_expect_eq(f, 5);
    cr_expect_not_null(check("arn:aws:s3", &f));
    cr_expect_eq(f, -1);
}

/* ARN templates are compiled lazily, once, under a lock: hammer a freshly
 * loaded catalog from several threads and compare with a serial pass. */
#include <pthread.h>

typedef struct job {
    const iam_catalog *c;
    size_t hits;
} job;

static void *match_all(void *arg)
{
    job *j = arg;
    const char *arn = "arn:aws:iam::123456789012:role/*";
    for (uint32_t r = 0; r < iam_catalog_resource_type_count(j->c); r++)
        j->hits += iam_catalog_arn_matches_rtype(j->c, arn, strlen(arn), r);
    return NULL;
}

Test(arn, concurrent_first_use)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_catalog *c = NULL;
    cr_assert_eq(iam_catalog_load_file(IAM_TEST_CATALOG, &d, &c), IAM_OK);
    job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job){c, 0};
        cr_assert_eq(pthread_create(&th[i], NULL, match_all, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    job serial = {iam_catalog_builtin(), 0};
    match_all(&serial);
    cr_expect_gt(serial.hits, 0);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(jobs[i].hits, serial.hits);
    iam_catalog_free(c);
    iam_diags_fini(&d);
}
