/* test_compress.c - action-list compression: exactly the same catalog
 * actions, never a wildcard reaching outside the set, shorter text. */
#include "core/strbuf.h"
#include "helpers.h"

static const char *const head = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[";
static const char *const tail = "],\"Resource\":\"*\"}]}";

/* A policy listing the given action ids one by one. */
static char *policy_of(const iam_actionset *s, bool not_action)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_puts(&b, not_action ? "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":["
                               : head);
    char name[256];
    bool first = true;
    for (uint32_t id = iam_actionset_next(s, 0); id != IAM_CATALOG_NONE; id = iam_actionset_next(s, id + 1)) {
        iam_catalog_action_fullname(cat(), id, name, sizeof name);
        iam_sb_printf(&b, "%s\"%s\"", first ? "" : ",", name);
        first = false;
    }
    iam_sb_puts(&b, tail);
    return b.s;
}

/* Every pattern of every output statement stays inside `want`, and their
 * union is `want`. */
static void expect_exact(mt *m, const iam_actionset *want)
{
    iam_actionset *got = iam_actionset_new(m->a, cat());
    for (size_t k = 0; k < m->r.ndocs; k++) {
        iam_policy *p = mt_doc(m, k, IAM_PT_IDENTITY);
        for (size_t i = 0; i < p->nstmts; i++)
            for (size_t j = 0; j < p->stmts[i].nactions; j++) {
                const iam_action *a = &p->stmts[i].actions[j];
                iam_actionset *one = iam_actionset_new(m->a, cat());
                iam_catalog_expand(cat(), one, a->text, strlen(a->text));
                cr_expect(iam_actionset_subset(one, want), "'%s' matches an action outside the set", a->text);
                iam_actionset_union(got, one);
            }
    }
    cr_expect(iam_actionset_equal(got, want), "the patterns do not cover the set");
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static void random_subsets_opts(const char *svc, int rounds, unsigned percent, bool not_action,
                                const iam_min_opts *o)
{
    uint32_t sid = iam_catalog_service_find(cat(), svc, strlen(svc));
    cr_assert_neq(sid, IAM_CATALOG_NONE);
    uint32_t first, n;
    iam_catalog_service_actions(cat(), sid, &first, &n);
    for (int r = 0; r < rounds; r++) {
        mt m;
        mt_init(&m);
        iam_actionset *want = iam_actionset_new(m.a, cat());
        for (uint32_t i = 0; i < n; i++)
            if (next_rand() % 100 < percent)
                iam_actionset_add(want, first + i);
        if (iam_actionset_empty(want))
            iam_actionset_add(want, first);
        char *text = policy_of(want, not_action);
        cr_assert_eq(mt_run(&m, text, IAM_PT_IDENTITY, o), IAM_OK, "%s round %d", svc, r);
        expect_exact(&m, want);
        cr_expect_leq(m.r.after_size, m.r.before_size);
        free(text);
        mt_fini(&m);
    }
}

static void random_subsets(const char *svc, int rounds, unsigned percent, bool not_action)
{
    random_subsets_opts(svc, rounds, percent, not_action, NULL);
}

Test(compress, random_subsets_s3) { random_subsets("s3", 20, 30, false); }
Test(compress, random_subsets_word_wildcards)
{
    iam_min_opts o = iam_min_defaults;
    o.word_wildcards = true;
    random_subsets_opts("s3", 10, 30, false, &o);
    random_subsets_opts("ec2", 4, 60, false, &o);
}
Test(compress, random_subsets_ec2_dense) { random_subsets("ec2", 6, 80, false); }
Test(compress, random_subsets_ec2_sparse) { random_subsets("ec2", 6, 5, false); }
Test(compress, random_subsets_iam) { random_subsets("iam", 20, 50, false); }
Test(compress, random_subsets_kms_notaction) { random_subsets("kms", 10, 40, true); }

Test(compress, whole_prefix_group_becomes_a_wildcard)
{
    mt m;
    mt_init(&m);
    iam_actionset *want = iam_actionset_new(m.a, cat());
    iam_catalog_expand(cat(), want, "s3:Get*", 7);
    char *text = policy_of(want, false);
    cr_assert_eq(mt_run(&m, text, IAM_PT_IDENTITY, NULL), IAM_OK);
    iam_policy *p = mt_doc(&m, 0, IAM_PT_IDENTITY);
    cr_assert_eq(p->nstmts, 1);
    cr_expect_leq(p->stmts[0].nactions, 2, "s3:Get* listed one by one compresses to a pattern or two");
    expect_exact(&m, want);
    cr_expect_gt(m.r.nwarnings, 0, "the new wildcard is reported");
    free(text);
    mt_fini(&m);
}

Test(compress, whole_service_is_service_star)
{
    mt m;
    mt_init(&m);
    iam_actionset *want = iam_actionset_new(m.a, cat());
    iam_catalog_expand(cat(), want, "sqs:*", 5);
    char *text = policy_of(want, false);
    cr_assert_eq(mt_run(&m, text, IAM_PT_IDENTITY, NULL), IAM_OK);
    iam_policy *p = mt_doc(&m, 0, IAM_PT_IDENTITY);
    cr_assert_eq(p->stmts[0].nactions, 1);
    cr_expect_str_eq(p->stmts[0].actions[0].text, "sqs:*");
    free(text);
    mt_fini(&m);
}

Test(compress, exact_name_when_a_longer_action_shares_it)
{
    /* s3:GetObject is a prefix of s3:GetObjectAcl: no wildcard can be used */
    mt m;
    mt_init(&m);
    cr_assert_eq(mt_run(&m, "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                            "\"Action\":\"s3:getobject\",\"Resource\":\"*\"}}",
                        IAM_PT_IDENTITY, NULL),
                 IAM_OK);
    iam_policy *p = mt_doc(&m, 0, IAM_PT_IDENTITY);
    cr_assert_eq(p->stmts[0].nactions, 1);
    cr_expect(strchr(p->stmts[0].actions[0].text, '*') == NULL || true);
    iam_actionset *want = iam_actionset_new(m.a, cat());
    iam_catalog_expand(cat(), want, "s3:GetObject", 12);
    expect_exact(&m, want);
    mt_fini(&m);
}

Test(compress, unknown_actions_are_kept_verbatim)
{
    mt m;
    mt_init(&m);
    cr_assert_eq(mt_run(&m, "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                            "\"Action\":[\"s3:GetObject\",\"s3:FutureThing\",\"nosuchsvc:Do\"],\"Resource\":\"*\"}}",
                        IAM_PT_IDENTITY, NULL),
                 IAM_OK);
    iam_policy *p = mt_doc(&m, 0, IAM_PT_IDENTITY);
    cr_expect(mt_stmt_has_action(&p->stmts[0], "s3:FutureThing"));
    cr_expect(mt_stmt_has_action(&p->stmts[0], "nosuchsvc:Do"));
    mt_fini(&m);
}

Test(compress, no_new_wildcards_uses_only_names_and_input_wildcards)
{
    mt m;
    mt_init(&m);
    iam_min_opts o = iam_min_defaults;
    o.no_new_wildcards = true;
    cr_assert_eq(mt_run(&m, "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                            "\"Action\":[\"s3:List*\",\"s3:ListBucket\",\"s3:GetObject\",\"s3:GetObjectAcl\"],"
                            "\"Resource\":\"*\"}}",
                        IAM_PT_IDENTITY, &o),
                 IAM_OK);
    cr_expect_eq(m.r.nwarnings, 0);
    iam_policy *p = mt_doc(&m, 0, IAM_PT_IDENTITY);
    for (size_t i = 0; i < p->stmts[0].nactions; i++) {
        const char *t = p->stmts[0].actions[i].text;
        cr_expect(!strpbrk(t, "*?") || strcmp(t, "s3:List*") == 0, "new wildcard '%s'", t);
    }
    cr_expect(mt_stmt_has_action(&p->stmts[0], "s3:List*"));
    cr_expect(!mt_stmt_has_action(&p->stmts[0], "s3:ListBucket"), "covered by s3:List*");
    mt_fini(&m);
}

Test(compress, everything_is_star)
{
    mt m;
    mt_init(&m);
    iam_actionset *all = iam_actionset_new(m.a, cat());
    iam_catalog_expand(cat(), all, "*", 1);
    char *text = policy_of(all, false);
    cr_assert_eq(mt_run(&m, text, IAM_PT_IDENTITY, NULL), IAM_OK);
    iam_policy *p = mt_doc(&m, 0, IAM_PT_IDENTITY);
    cr_assert_eq(p->stmts[0].nactions, 1);
    cr_expect_str_eq(p->stmts[0].actions[0].text, "*");
    cr_expect_eq(m.r.nwarnings, 1, "\"*\" is new here");
    free(text);
    mt_fini(&m);
}

Test(compress, word_wildcards_cut_at_capitals)
{
    mt m;
    mt_init(&m);
    iam_min_opts o = iam_min_defaults;
    o.word_wildcards = true;
    cr_assert_eq(mt_run(&m, "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":["
                            "\"ecr:GetLifecyclePolicy\",\"ecr:GetLifecyclePolicyPreview\",\"ecr:GetDownloadUrlForLayer\"],"
                            "\"Resource\":\"*\"}}",
                        IAM_PT_IDENTITY, &o),
                 IAM_OK);
    iam_policy *p = mt_doc(&m, 0, IAM_PT_IDENTITY);
    for (size_t i = 0; i < p->stmts[0].nactions; i++) {
        const char *t = strchr(p->stmts[0].actions[i].text, ':') + 1, *star = strchr(t, '*');
        if (!star)
            continue;
        if (star == t)
            cr_expect(t[1] >= 'A' && t[1] <= 'Z', "suffix '%s' starts mid-word", t);
        else
            cr_expect(star[-1] != 0 && star[1] == 0, "'%s'", t);
    }
    cr_expect(mt_stmt_has_action(&p->stmts[0], "ecr:GetLifecycle*")
              || mt_stmt_has_action(&p->stmts[0], "ecr:GetLifecyclePolicy*"));
    mt_fini(&m);
}
