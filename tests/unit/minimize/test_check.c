/* test_check.c - the equivalence check: it accepts equivalent rewrites and
 * catches deliberately broken minimizations (the tamper hook). */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#define DOC(stmts) "{\"Version\":\"2012-10-17\",\"Statement\":[" stmts "]}"

static const char *const sample =
    DOC("{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:GetObjectAcl\",\"s3:ListBucket\"],"
        "\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]},"
        "{\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeInstances\",\"ec2:DescribeVolumes\"],\"Resource\":\"*\"},"
        "{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"sts:GetCallerIdentity\"],\"Resource\":\"*\","
        "\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}}");

static void expect_caught(iam_min_tamper how)
{
    mt m;
    mt_init(&m);
    iam_min_opts o = iam_min_defaults;
    o.tamper = how;
    cr_expect_eq(mt_run(&m, sample, IAM_PT_IDENTITY, &o), IAM_ERR_USAGE, "tamper %d not caught", (int)how);
    cr_expect(mt_has_rule(&m, IAM_R_MINIMIZE_NOT_EQUIVALENT));
    cr_expect_eq(m.r.ndocs, 0, "nothing is returned");
    cr_expect_null(m.r.docs);
    mt_fini(&m);
}

Test(check, untampered_passes)
{
    mt m;
    mt_init(&m);
    cr_expect_eq(mt_run(&m, sample, IAM_PT_IDENTITY, NULL), IAM_OK);
    cr_expect(!mt_has_rule(&m, IAM_R_MINIMIZE_NOT_EQUIVALENT));
    mt_fini(&m);
}

Test(check, catches_dropped_action) { expect_caught(IAM_MIN_TAMPER_DROP_ACTION); }
Test(check, catches_widened_action) { expect_caught(IAM_MIN_TAMPER_WIDEN_ACTION); }
Test(check, catches_dropped_resource) { expect_caught(IAM_MIN_TAMPER_DROP_RESOURCE); }
Test(check, catches_flipped_effect) { expect_caught(IAM_MIN_TAMPER_FLIP_EFFECT); }

/* iam_min_check directly, on hand-written pairs. */
static bool equiv(const char *x, const char *y)
{
    mt m;
    mt_init(&m);
    iam_policy *p = mt_decode(&m, x, IAM_PT_IDENTITY), *q = mt_decode(&m, y, IAM_PT_IDENTITY);
    cr_assert(p && q && p->ok && q->ok);
    const iam_policy *after[1] = {q};
    bool r = iam_min_check(cat(), p, after, 1, &m.d);
    cr_expect_eq(!r, mt_has_rule(&m, IAM_R_MINIMIZE_NOT_EQUIVALENT));
    mt_fini(&m);
    return r;
}

Test(check, direct)
{
    const char *base = DOC("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}");
    cr_expect(equiv(base, base));
    cr_expect(equiv(base, DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"},"
                              "{\"Effect\":\"Allow\",\"Action\":\"S3:getobject\",\"Resource\":\"*\"}")));
    cr_expect(!equiv(base, DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:*Object\",\"Resource\":\"*\"}")));
    cr_expect(!equiv(base, DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}")));
    cr_expect(!equiv(base, DOC("{\"Effect\":\"Deny\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}")));
    cr_expect(!equiv(base, DOC("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
                               "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}")));
    /* a resource covered by "*" in the same group adds nothing */
    cr_expect(equiv(base, DOC("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"},"
                              "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/k\"}")));
    /* but a NotAction list is not an Action list */
    cr_expect(!equiv(DOC("{\"Effect\":\"Deny\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}"),
                     DOC("{\"Effect\":\"Deny\",\"NotAction\":\"s3:PutObject\",\"Resource\":\"*\"}")));
    /* an unknown action must stay listed or covered */
    cr_expect(!equiv(DOC("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:Future\"],\"Resource\":\"*\"}"),
                     DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}")));
    cr_expect(equiv(DOC("{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"s3:Future\"],\"Resource\":\"*\"}"),
                    DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}")));
}

Test(check, minimized_output_is_stable)
{
    /* minimizing the output again changes nothing semantically and never
     * grows it */
    mt m;
    mt_init(&m);
    cr_assert_eq(mt_run(&m, sample, IAM_PT_IDENTITY, NULL), IAM_OK);
    size_t first = m.r.after_size;
    char *again = strdup(m.r.docs[0].json);
    mt_fini(&m);
    mt_init(&m);
    cr_assert_eq(mt_run(&m, again, IAM_PT_IDENTITY, NULL), IAM_OK);
    cr_expect_leq(m.r.after_size, first);
    cr_expect_eq(m.r.nwarnings, 0, "wildcards of the input are not new");
    free(again);
    mt_fini(&m);
}
