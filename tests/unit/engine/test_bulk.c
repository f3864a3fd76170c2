/* test_bulk.c - iam_bulk_evaluate: results in input order whatever the
 * thread count, blank lines skipped, per-line expect, errors with positions. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"

static const char policies[] =
    "{\"identityPolicies\":[{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/*\"},"
    "{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\"}]}]}";

static void run(int jobs)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    cr_assert_eq(iam_scenario_from_source(iam_source_from_mem("p", policies, strlen(policies)),
                                          IAM_SCENARIO_POLICIES_ONLY, &d, &s), IAM_OK);
    iam_engine *e = iam_engine_compile(&s->set, NULL);
    enum { N = 3000 };
    static char buf[N][256];
    static iam_bulk_item it[N];
    static const char *const acts[] = {"s3:GetObject", "s3:DeleteObject", "sqs:SendMessage"};
    for (int i = 0; i < N; i++) {
        memset(&it[i], 0, sizeof it[i]);
        if (i % 100 == 7)
            continue; /* blank */
        if (i % 500 == 11) {
            it[i].text = "{\"principal\":1}";
            it[i].len = strlen(it[i].text);
            continue;
        }
        int n = snprintf(buf[i], sizeof buf[i],
                         "{\"request\":{\"principal\":\"arn:aws:iam::111111111111:user/u%d\","
                         "\"action\":\"%s\",\"resource\":\"arn:aws:s3:::b/%d\"},\"expect\":\"allow\"}",
                         i, acts[i % 3], i);
        it[i].text = buf[i];
        it[i].len = (size_t)n;
    }
    iam_bulk_evaluate(e, "req.jsonl", it, N, jobs);
    for (int i = 0; i < N; i++) {
        if (i % 100 == 7) {
            cr_assert_eq(it[i].decision, -1);
            cr_assert_null(it[i].error);
        } else if (i % 500 == 11) {
            cr_assert_eq(it[i].decision, -1);
            char want[64];
            snprintf(want, sizeof want, "req.jsonl:%d:", i + 1);
            cr_assert(strncmp(it[i].error, want, strlen(want)) == 0, "%s", it[i].error);
        } else {
            int want = i % 3 == 0 ? IAM_DECISION_ALLOW
                     : i % 3 == 1 ? IAM_DECISION_EXPLICIT_DENY : IAM_DECISION_IMPLICIT_DENY;
            cr_assert_eq(it[i].decision, want, "line %d", i + 1);
            cr_assert_eq(it[i].expect, IAM_DECISION_ALLOW);
        }
    }
    iam_bulk_free(it, N);
    iam_engine_free(e);
    iam_scenario_free(s);
    iam_diags_fini(&d);
}

Test(engine_bulk, one_thread) { run(1); }
Test(engine_bulk, four_threads) { run(4); }
