/* fuzz_intent.c - the intent parser and compiler on arbitrary input:
 * parse (grammar/intent.h); when the parse succeeds, compile it too
 * (compiler/compile.h, includes disabled, no minimizer) so catalog look-ups,
 * grouping, JSON emission, verification and asserts all see hostile
 * input. Contract checked: no crash, no leak, no sanitizer report; a parse
 * error always leaves at least one diagnostic; every compiled document
 * parses again as JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "compiler/compile.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/source.h"
#include "grammar/intent.h"
#include "grammar/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iam_source *src = iam_source_from_mem("fuzz.iam", (const char *)data, size);
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_intent *ast = NULL;
    iam_status st = iam_intent_parse(a, src, NULL, &d, &ast);
    if (st != IAM_OK && d.n == 0) {
        fprintf(stderr, "fuzz_intent: parse failed without a diagnostic\n");
        abort();
    }
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    if (st != IAM_OK) {
        iam_source_free(src);
        return 0;
    }
    iam_compile_opts o = {.no_includes = true, .no_minimize = true};
    iam_compile_unit *u = iam_compile_new(&o);
    iam_diags_init(&d);
    iam_compile_source(u, src, &d);   /* the unit owns src now */
    size_t n;
    const iam_compiled_doc *docs = iam_compile_docs(u, &n);
    for (size_t i = 0; i < n; i++) {
        iam_source *out = iam_source_from_mem(docs[i].file, docs[i].json, docs[i].len);
        iam_arena *b = iam_arena_new();
        iam_diags dd;
        iam_diags_init(&dd);
        iam_json *root = NULL;
        if (iam_json_parse(b, out, NULL, &dd, &root) != IAM_OK) {
            fprintf(stderr, "fuzz_intent: compiled document %s is not JSON\n", docs[i].file);
            abort();
        }
        iam_diags_fini(&dd);
        iam_arena_destroy(b);
        iam_source_free(out);
    }
    iam_diags_fini(&d);
    iam_compile_free(u);
    return 0;
}
