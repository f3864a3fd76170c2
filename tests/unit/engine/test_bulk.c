/* test_bulk.c - iam_bulk_evaluate: results in input order whatever the
 * thread count, blank lines skipped, per-line expect, errors with positions. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
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

/* iam_bulk_run with a render callback: the callback runs once per valid line,
 * on some worker, with that line's trace (the same trace a single
 * evaluation gives), and its result lands in that line's item. */
static char *render(void *ud, const iam_bulk_item *it, size_t index, const iam_trace *t)
{
    (void)ud;
    size_t deny = 0;
    for (size_t i = 0; i < t->n; i++)
        deny += t->v[i].applies && t->v[i].effect == IAM_EFFECT_DENY;
    char buf[128];
    snprintf(buf, sizeof buf, "%zu %s %s %zu %s", index,
             iam_decision_name((iam_decision)it->decision), iam_path_name(t->path), deny,
             t->caller.name);
    char *out = malloc(strlen(buf) + 1);
    return out ? strcpy(out, buf) : NULL;
}

static void run_traced(int jobs, size_t window)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    cr_assert_eq(iam_scenario_from_source(iam_source_from_mem("p", policies, strlen(policies)),
                                          IAM_SCENARIO_POLICIES_ONLY, &d, &s), IAM_OK);
    iam_engine *e = iam_engine_compile(&s->set, NULL);
    enum { N = 2000 };
    static char buf[N][256];
    static iam_bulk_item it[N];
    static const char *const acts[] = {"s3:GetObject", "s3:DeleteObject", "sqs:SendMessage"};
    for (int i = 0; i < N; i++) {
        memset(&it[i], 0, sizeof it[i]);
        if (i % 50 == 3)
            continue; /* blank */
        if (i % 400 == 9) {
            it[i].text = "[]";
            it[i].len = 2;
            continue;
        }
        int n = snprintf(buf[i], sizeof buf[i],
                         "{\"principal\":\"arn:aws:iam::111111111111:user/u%d\","
                         "\"action\":\"%s\",\"resource\":\"arn:aws:s3:::b/%d\"}",
                         i, acts[i % 3], i);
        it[i].text = buf[i];
        it[i].len = (size_t)n;
    }
    iam_bulk_opts o = {.jobs = jobs, .render = render};
    for (size_t off = 0; off < N; off += window) {
        o.first_index = off;
        iam_bulk_run(e, "req.jsonl", it + off, N - off < window ? N - off : window, &o);
    }
    static const char *const want[] = {"allow identity 0", "explicit-deny identity 1",
                                       "implicit-deny none 0"};
    for (int i = 0; i < N; i++) {
        if (i % 50 == 3 || i % 400 == 9) {
            cr_assert_null(it[i].rendered, "line %d", i + 1);
            cr_assert_eq(it[i].decision, -1);
            cr_assert_eq(!it[i].error, i % 50 == 3);
            if (it[i].error) {
                char want_at[64];
                snprintf(want_at, sizeof want_at, "req.jsonl:%d:", i + 1);
                cr_assert(strncmp(it[i].error, want_at, strlen(want_at)) == 0, "%s", it[i].error);
            }
            continue;
        }
        char exp[128];
        snprintf(exp, sizeof exp, "%d %s u%d", i, want[i % 3], i);
        cr_assert_str_eq(it[i].rendered, exp);
        cr_assert_eq(it[i].expect, -1);
    }
    iam_bulk_free(it, N);
    for (int i = 0; i < N; i++)
        cr_assert_null(it[i].rendered);
    iam_engine_free(e);
    iam_scenario_free(s);
    iam_diags_fini(&d);
}

Test(engine_bulk, traced_one_thread) { run_traced(1, 2000); }
Test(engine_bulk, traced_four_threads) { run_traced(4, 2000); }
/* windows: items[0] of each run is line first_index + 1 */
Test(engine_bulk, traced_windows) { run_traced(3, 777); }
