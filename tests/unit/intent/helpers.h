/* helpers.h - parse and compile intent text from memory. */
#ifndef IAM_TEST_INTENT_HELPERS_H
#define IAM_TEST_INTENT_HELPERS_H
#include <string.h>

#include <criterion/criterion.h>

#include "compiler/compile.h"
#include "grammar/intent.h"

typedef struct irun {
    iam_arena *a;
    iam_source *src;
    iam_diags d;
    iam_intent *ast;
    iam_status st;
} irun;

static inline void iparse(irun *r, const char *text)
{
    r->a = iam_arena_new();
    r->src = iam_source_from_mem("t.iam", text, strlen(text));
    iam_diags_init(&r->d);
    r->ast = NULL;
    r->st = iam_intent_parse(r->a, r->src, NULL, &r->d, &r->ast);
}

static inline void ifree(irun *r)
{
    iam_diags_fini(&r->d);
    iam_arena_destroy(r->a);
    iam_source_free(r->src);
}

typedef struct crun {
    iam_compile_unit *u;
    iam_diags d;
    iam_status st;
    const iam_compiled_doc *docs;
    size_t ndocs;
} crun;

static inline void icompile_opts(crun *r, const char *text, iam_compile_opts o)
{
    o.no_includes = true;
    r->u = iam_compile_new(&o);
    iam_diags_init(&r->d);
    r->st = iam_compile_source(r->u, iam_source_from_mem("t.iam", text, strlen(text)), &r->d);
    r->docs = iam_compile_docs(r->u, &r->ndocs);
}

static inline void icompile(crun *r, const char *text)
{
    iam_compile_opts o = {.no_minimize = true};
    icompile_opts(r, text, o);
}

static inline void cfree(crun *r)
{
    iam_diags_fini(&r->d);
    iam_compile_free(r->u);
}

static inline const char *rule_of(const iam_diags *d, size_t i)
{
    return i < d->n ? iam_rule(d->v[i].rule)->name : "(none)";
}

#endif
