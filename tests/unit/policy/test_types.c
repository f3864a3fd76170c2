/* test_types.c - policy type names, the directory convention
 * (docs/policy-types.md) and the detection heuristic. */
#include "helpers.h"
#include "params.h"

TestSuite(types);

Test(types, names_round_trip)
{
    const char *names[] = {"identity", "resource", "trust", "scp", "rcp", "boundary", "session"};
    for (size_t i = 0; i < 7; i++) {
        iam_policy_type t = iam_policy_type_by_name(names[i]);
        cr_assert_neq(t, IAM_PT_UNKNOWN, "%s", names[i]);
        cr_assert_str_eq(iam_policy_type_name(t), names[i]);
    }
    cr_assert_eq(iam_policy_type_by_name("SCP"), IAM_PT_UNKNOWN, "--type values are lowercase");
    cr_assert_eq(iam_policy_type_by_name("unknown"), IAM_PT_UNKNOWN);
    cr_assert_eq(iam_policy_type_by_name(""), IAM_PT_UNKNOWN);
    cr_assert_str_eq(iam_policy_type_name(IAM_PT_UNKNOWN), "unknown");
    cr_assert_str_eq(iam_type_origin_name(IAM_TO_FLAG), "flag");
    cr_assert_str_eq(iam_type_origin_name(IAM_TO_DIRECTORY), "directory");
    cr_assert_str_eq(iam_type_origin_name(IAM_TO_CONTEXT), "context");
    cr_assert_str_eq(iam_type_origin_name(IAM_TO_HEURISTIC), "heuristic");
}

typedef struct pathcase {
    const char *path;
    iam_policy_type want;
} pathcase;

static const pathcase paths[] = {
    {"scps/deny-leave.json", IAM_PT_SCP},
    {"policies/scp/x.json", IAM_PT_SCP},
    {"org/SCPs/x.json", IAM_PT_SCP},
    {"rcps/enforce-tls.json", IAM_PT_RCP},
    {"rcp/a.json", IAM_PT_RCP},
    {"identity/a.json", IAM_PT_IDENTITY},
    {"identities/a.json", IAM_PT_IDENTITY},
    {"resource/a.json", IAM_PT_RESOURCE},
    {"resources/a.json", IAM_PT_RESOURCE},
    {"resource-policies/bucket.json", IAM_PT_RESOURCE},
    {"trust/a.json", IAM_PT_TRUST},
    {"trust-policies/a.json", IAM_PT_TRUST},
    {"boundary/a.json", IAM_PT_BOUNDARY},
    {"boundaries/a.json", IAM_PT_BOUNDARY},
    {"permission-boundaries/a.json", IAM_PT_BOUNDARY},
    {"session/a.json", IAM_PT_SESSION},
    {"sessions/a.json", IAM_PT_SESSION},
    {"session-policies/a.json", IAM_PT_SESSION},
    {"corpus/examples/boundaries/developer-boundary.json", IAM_PT_BOUNDARY},
    {"/abs/path/trust/lambda.json", IAM_PT_TRUST},
    {"./scps/x.json", IAM_PT_SCP},
    /* the deepest type directory wins */
    {"scps/trust/x.json", IAM_PT_TRUST},
    {"trust/sub/scps/more/x.json", IAM_PT_SCP},
    /* a NAME.TYPE.json file name beats directories */
    {"identity/deny-leave.scp.json", IAM_PT_SCP},
    {"orders.trust.json", IAM_PT_TRUST},
    {"a/b/x.Session.json", IAM_PT_SESSION},
    {"x.boundary.json", IAM_PT_BOUNDARY},
    {"a.b.rcp.json", IAM_PT_RCP},
    /* a file named after its type: TYPE.json */
    {"scp.json", IAM_PT_SCP},
    {"policies/trust.json", IAM_PT_TRUST},
    {"identity/boundary.json", IAM_PT_BOUNDARY},
    {"scps/notes.json", IAM_PT_SCP},
    /* nothing that names a type */
    {"x.json", IAM_PT_UNKNOWN},
    {"x.jsonx", IAM_PT_UNKNOWN},
    {"policies/x.json", IAM_PT_UNKNOWN},
    {"myscps/x.json", IAM_PT_UNKNOWN},
    {"scps-old/x.json", IAM_PT_UNKNOWN},
    {"dir.scp/x.json", IAM_PT_UNKNOWN},
    {"x.scpx.json", IAM_PT_UNKNOWN},
    {"scps", IAM_PT_UNKNOWN},
    {"", IAM_PT_UNKNOWN},
    {"-", IAM_PT_UNKNOWN},
};

IAM_TABLE_PARAMS(types, from_path, paths)

ParameterizedTest(size_t *i, types, from_path)
{
    const pathcase *c = &paths[*i];
    iam_policy_type got = iam_policy_type_from_path(c->path);
    cr_assert_eq(got, c->want, "%s: got %s, want %s", c->path, iam_policy_type_name(got), iam_policy_type_name(c->want));
}

typedef struct detcase {
    const char *doc;
    iam_policy_type want;
} detcase;

static const detcase detects[] = {
    {"{`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}", IAM_PT_IDENTITY},
    {"{`Version`: `2012-10-17`}", IAM_PT_IDENTITY},
    {"{`Statement`: []}", IAM_PT_IDENTITY},
    {"{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: `s3:GetObject`, `Resource`: `arn:aws:s3:::b/*`}]}",
     IAM_PT_RESOURCE},
    {"{`Statement`: [{`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `111122223333`}, `Action`: `s3:*`, `Resource`: `*`}]}",
     IAM_PT_RESOURCE},
    {"{`Statement`: [{`Effect`: `Allow`, `Principal`: {`Service`: `lambda.amazonaws.com`}, `Action`: `sts:AssumeRole`}]}",
     IAM_PT_TRUST},
    {"{`Statement`: {`Effect`: `Allow`, `Principal`: {`Federated`: `accounts.google.com`}, "
     "`Action`: `sts:AssumeRoleWithWebIdentity`}}",
     IAM_PT_TRUST},
    {"{`Statement`: [{`Effect`: `Allow`, `Principal`: {`AWS`: `111122223333`}, "
     "`Action`: [`sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`, `STS:setcontext`]}]}",
     IAM_PT_TRUST},
    /* a Resource means it is not a trust policy even with AssumeRole */
    {"{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: `sts:AssumeRole`, `Resource`: `*`}]}",
     IAM_PT_RESOURCE},
    /* a non-STS action means resource policy (e.g. an SQS queue policy without Resource) */
    {"{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: [`sts:AssumeRole`, `sqs:SendMessage`]}]}",
     IAM_PT_RESOURCE},
    {"{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `NotAction`: `s3:*`}]}", IAM_PT_RESOURCE},
    /* Principal in any statement counts */
    {"{`Statement`: [{`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}, "
     "{`Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:*`, `Resource`: `*`}]}",
     IAM_PT_RESOURCE},
    /* principal-less statements mixed into a trust document make it a resource policy */
    {"{`Statement`: [{`Effect`: `Allow`, `Principal`: {`AWS`: `111122223333`}, `Action`: `sts:AssumeRole`}, "
     "{`Effect`: `Allow`, `Action`: `s3:GetObject`}]}",
     IAM_PT_RESOURCE},
    {"[1, 2]", IAM_PT_IDENTITY},
};

IAM_TABLE_PARAMS(types, detect, detects)

ParameterizedTest(size_t *i, types, detect)
{
    const detcase *c = &detects[*i];
    char *t = unbacktick(c->doc);
    iam_arena *a = iam_arena_new();
    iam_source *src = iam_source_from_mem("x.json", t, strlen(t));
    iam_diags d;
    iam_diags_init(&d);
    iam_json *doc;
    cr_assert_eq(iam_json_parse(a, src, NULL, &d, &doc), IAM_OK);
    const char *reason = NULL;
    iam_policy_type got = iam_policy_detect_type(doc, &reason);
    cr_assert_eq(got, c->want, "%s: got %s, want %s", t, iam_policy_type_name(got), iam_policy_type_name(c->want));
    cr_assert_not_null(reason);
    cr_assert_gt(strlen(reason), 0);
    if (got == IAM_PT_TRUST)
        cr_assert(strstr(reason, "AssumeRole"), "%s", reason);
    iam_diags_fini(&d);
    iam_source_free(src);
    iam_arena_destroy(a);
    free(t);
}

Test(types, heuristic_decode_reports_origin_and_validates_as_detected)
{
    prun r;
    prun_type(&r, IAM_PT_UNKNOWN,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: {`Service`: `lambda.amazonaws.com`}, "
              "`Action`: `sts:AssumeRole`}}");
    cr_assert_eq(r.p->type, IAM_PT_TRUST);
    cr_assert_eq(r.p->type_origin, IAM_TO_HEURISTIC);
    cr_assert(strstr(r.p->type_reason, "Principal"), "%s", r.p->type_reason);
    EXPECT_NONE(&r); /* as a trust policy it needs no Resource */
    prun_free(&r);
}
