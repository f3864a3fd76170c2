/* catalog-bench.c - expansion and ARN-matching throughput of the built-in
 * catalog, in process (no start-up noise). Run by tools/bench-catalog.
 *
 * usage: iam_catalog_bench [seconds-per-case]   (default 0.3) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench_expand(const iam_catalog *c, const char *pat, double budget)
{
    size_t iters = 0, matched = 0;
    double t0 = now(), t;
    do {
        iam_arena *a = iam_arena_new();
        iam_actionset *s = iam_actionset_new(a, c);
        matched = iam_catalog_expand(c, s, pat, strlen(pat));
        iam_arena_destroy(a);
        iters++;
    } while ((t = now() - t0) < budget);
    printf("  expand %-18s %6zu actions  %10.0f ns/pattern  %9.0f patterns/s\n", pat, matched,
           t / (double)iters * 1e9, (double)iters / t);
}

int main(int argc, char **argv)
{
    double budget = argc > 1 ? atof(argv[1]) : 0.3;
    double t0 = now();
    const iam_catalog *c = iam_catalog_builtin();
    printf("built-in catalog: %zu actions, first access %.0f ns\n", iam_catalog_action_count(c),
           (now() - t0) * 1e9);
    static const char *const pats[] = {"s3:GetObject", "s3:Get*", "S3:gEt*", "ec2:Describe*",
                                       "iam:*Policy*", "?3:*", "*:Get*", "*:*Tag*", "*"};
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
        bench_expand(c, pats[i], budget);
    /* ARN pattern against every resource type (resource-mismatch's inner loop). */
    const char *arn = "arn:aws:s3:::my-bucket/home/*";
    size_t n = iam_catalog_resource_type_count(c), iters = 0, hits = 0;
    iam_catalog_arn_matches_rtype(c, arn, strlen(arn), 0);   /* compile templates */
    double t1 = now(), t;
    do {
        hits = 0;
        for (uint32_t r = 0; r < n; r++)
            hits += iam_catalog_arn_matches_rtype(c, arn, strlen(arn), r);
        iters++;
    } while ((t = now() - t1) < budget);
    printf("  arn vs %zu templates: %zu match, %.0f ns per template\n", n, hits,
           t / (double)(iters * n) * 1e9);
    return 0;
}
