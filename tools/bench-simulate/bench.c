/* bench.c - evaluation throughput of the engine, without JSON parsing:
 * requests are decoded once up front, then evaluated on 1 and N threads.
 *   bench POLICIES.json REQUESTS.jsonl [THREADS]
 * Built by bench.sh against a build directory's static libraries. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"

typedef struct work {
    const iam_engine *e;
    const iam_request *r;
    size_t n;
    size_t counts[3];
} work;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
    work *w = arg;
    for (size_t i = 0; i < w->n; i++)
        w->counts[iam_engine_evaluate(w->e, &w->r[i], NULL)]++;
    return NULL;
}

static double timed(const iam_engine *e, const iam_request *r, size_t n, int threads, size_t *c)
{
    work *w = calloc((size_t)threads, sizeof *w);
    pthread_t *th = calloc((size_t)threads, sizeof *th);
    size_t per = (n + (size_t)threads - 1) / (size_t)threads;
    double t0 = now();
    for (int k = 0; k < threads; k++) {
        size_t lo = (size_t)k * per, hi = lo + per > n ? n : lo + per;
        w[k] = (work){e, r + lo, hi > lo ? hi - lo : 0, {0}};
        pthread_create(&th[k], NULL, run, &w[k]);
    }
    for (int k = 0; k < threads; k++) {
        pthread_join(th[k], NULL);
        for (int d = 0; d < 3; d++)
            c[d] += w[k].counts[d];
    }
    double dt = now() - t0;
    free(w);
    free(th);
    return dt;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench POLICIES.json REQUESTS.jsonl [THREADS]\n");
        return 2;
    }
    int threads = argc > 3 ? atoi(argv[3]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    if (iam_scenario_load(argv[1], IAM_SCENARIO_POLICIES_ONLY, &d, &s) != IAM_OK) {
        fprintf(stderr, "bench: cannot load %s\n", argv[1]);
        return 2;
    }
    const char *why;
    iam_source *in = iam_source_read(argv[2], 0, &why);
    if (!in) {
        fprintf(stderr, "bench: %s: %s\n", argv[2], why);
        return 2;
    }
    iam_arena *a = iam_arena_new();
    size_t cap = 1 << 20, n = 0;
    iam_request *r = malloc(cap * sizeof *r);
    for (char *p = in->data, *end = in->data + in->len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len) {
            iam_source *src = iam_source_from_mem("req", p, len);
            iam_json *root;
            if (n == cap)
                r = realloc(r, (cap *= 2) * sizeof *r);
            /* the request strings live in the arena; keep the source too */
            if (iam_json_parse(a, src, NULL, &d, &root) != IAM_OK
                || iam_scenario_request_decode(a, root, &d, &r[n]) != IAM_OK) {
                fprintf(stderr, "bench: bad request line\n");
                return 2;
            }
            n++;
        }
        p += len + 1;
    }
    iam_engine *e = iam_engine_compile(&s->set, NULL);
    size_t c1[3] = {0}, cn[3] = {0};
    timed(e, r, n < 10000 ? n : 10000, 1, (size_t[3]){0}); /* warm up */
    double t1 = timed(e, r, n, 1, c1);
    double tn = timed(e, r, n, threads, cn);
    printf("requests %zu: allow %zu, explicit-deny %zu, implicit-deny %zu\n", n,
           c1[IAM_DECISION_ALLOW], c1[IAM_DECISION_EXPLICIT_DENY], c1[IAM_DECISION_IMPLICIT_DENY]);
    printf("1 thread:  %.3f s, %.0f req/s\n", t1, n / t1);
    printf("%d threads: %.3f s, %.0f req/s\n", threads, tn, n / tn);
    if (memcmp(c1, cn, sizeof c1) != 0) {
        fprintf(stderr, "bench: single- and multi-threaded decisions differ\n");
        return 1;
    }
    return 0;
}
