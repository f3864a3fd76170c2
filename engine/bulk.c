/* bulk.c - evaluate many request lines against one compiled engine on
 * several threads (iampc simulate --requests). Workers take blocks of lines
 * from an atomic counter; each owns its arena, diagnostics sink and (with a
 * render callback) trace, and the engine is shared read-only, so no locks
 * are needed. A trace points into the worker's arena (request strings),
 * which is recycled, so it is rendered right after its evaluation. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "engine/internal.h"

enum { BLOCK = 256, ARENA_LINES = 4096 };

typedef struct bulk {
    const iam_engine *e;
    const char *name;
    iam_bulk_item *items;
    size_t n;
    size_t first;               /* index of items[0] in the input */
    iam_bulk_render_fn render;
    void *ud;
    atomic_size_t next;
} bulk;

static void one_line(const bulk *bk, size_t i, iam_arena *a, iam_diags *d, iam_trace *t)
{
    iam_bulk_item *it = &bk->items[i];
    it->decision = -1;
    it->expect = -1;
    it->error = NULL;
    it->rendered = NULL;
    if (!it->text)
        return;
    iam_source *src = iam_source_from_mem(bk->name, it->text, it->len);
    iam_json *root = NULL;
    iam_request req;
    bool ok = iam_json_parse(a, src, NULL, d, &root) == IAM_OK;
    if (ok) {
        const iam_json *obj = root;
        const iam_json_member *rq = iam_json_get(root, "request");
        const iam_json_member *ex = iam_json_get(root, "expect");
        if (rq)
            obj = rq->value;
        if (ex && ex->value->kind == IAM_JSON_STRING)
            it->expect = iam_decision_by_name(ex->value->u.str.s);
        ok = iam_scenario_request_decode(a, obj, d, &req) == IAM_OK;
    }
    if (ok) {
        it->decision = (int)iam_engine_evaluate(bk->e, &req, t);
        if (t)
            it->rendered = bk->render(bk->ud, it, bk->first + i, t);
    } else {
        const iam_diag *g = d->n ? &d->v[0] : NULL;
        iam_strbuf m = IAM_STRBUF_INIT;
        iam_sb_printf(&m, "%s:%zu:%u: %s", bk->name, bk->first + i + 1, g ? g->span.col : 1,
                      g ? g->msg : "invalid request");
        it->error = m.s;
        iam_diags_fini(d);
        iam_diags_init(d);
    }
    iam_source_free(src);
}

static void *worker(void *arg)
{
    bulk *bk = arg;
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_trace t;
    iam_trace_init(&t);
    size_t since = 0;
    for (;;) {
        size_t start = atomic_fetch_add(&bk->next, BLOCK);
        if (start >= bk->n)
            break;
        size_t end = start + BLOCK < bk->n ? start + BLOCK : bk->n;
        for (size_t i = start; i < end; i++)
            one_line(bk, i, a, &d, bk->render ? &t : NULL);
        /* Requests are not kept: recycle the arena now and then. */
        if ((since += end - start) >= ARENA_LINES) {
            iam_arena_destroy(a);
            a = iam_arena_new();
            since = 0;
        }
    }
    iam_trace_fini(&t);
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    return NULL;
}

void iam_bulk_evaluate(const iam_engine *e, const char *name, iam_bulk_item *items, size_t n,
                       int jobs)
{
    iam_bulk_opts o = {.jobs = jobs};
    iam_bulk_run(e, name, items, n, &o);
}

void iam_bulk_run(const iam_engine *e, const char *name, iam_bulk_item *items, size_t n,
                  const iam_bulk_opts *o)
{
    bulk bk = {.e = e, .name = name, .items = items, .n = n, .first = o->first_index,
               .render = o->render, .ud = o->ud};
    atomic_init(&bk.next, 0);
    /* No more threads than blocks of work (a short window, --jobs 1024). */
    size_t blocks = (n + BLOCK - 1) / BLOCK;
    int jobs = o->jobs;
    if ((size_t)jobs > blocks)
        jobs = (int)blocks;
    if (jobs < 1)
        jobs = 1;
    pthread_t *th = iam_xmalloc((size_t)jobs * sizeof *th);
    int started = 0;
    while (started + 1 < jobs && pthread_create(&th[started], NULL, worker, &bk) == 0)
        started++;
    worker(&bk);
    for (int k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    free(th);
}

void iam_bulk_free(iam_bulk_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].error);
        free(items[i].rendered);
        items[i].error = NULL;
        items[i].rendered = NULL;
    }
}
