/* fuzz_fmt.c - the canonical emitter's contract on arbitrary input: for
 * every document the parser accepts,
 *   1. the canonical text parses again,
 *   2. formatting it again changes nothing (fmt is idempotent),
 *   3. the compact form parses and formats to the same canonical text
 *      (the two layouts describe one tree).
 * A violation aborts, which libFuzzer and the replay main report. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/emit.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/source.h"
#include "core/strbuf.h"
#include "grammar/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse text and emit it with opts into out; false if the parser rejects. */
static bool reformat(const char *name, const char *text, size_t len, const iam_emit_opts *opts,
                     iam_strbuf *out)
{
    iam_source *src = iam_source_from_mem(name, text, len);
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_json *root = NULL;
    bool ok = iam_json_parse(a, src, &iam_json_default_limits, &d, &root) == IAM_OK && root;
    if (ok)
        iam_emit_json(out, root, opts);
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    iam_source_free(src);
    return ok;
}

static void fail(const char *what, const iam_strbuf *a, const iam_strbuf *b)
{
    fprintf(stderr, "fuzz_fmt: %s\n--- first\n%.*s\n--- second\n%.*s\n", what, (int)a->len,
            a->s ? a->s : "", (int)b->len, b->s ? b->s : "");
    abort();
}

static bool same(const iam_strbuf *a, const iam_strbuf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iam_strbuf once = IAM_STRBUF_INIT, twice = IAM_STRBUF_INIT;
    iam_strbuf compact = IAM_STRBUF_INIT, via_compact = IAM_STRBUF_INIT;
    if (!reformat("fuzz.json", (const char *)data, size, &iam_emit_canonical, &once))
        goto out;
    if (!reformat("canonical.json", once.s, once.len, &iam_emit_canonical, &twice))
        fail("canonical output does not parse", &once, &twice);
    if (!same(&once, &twice))
        fail("not idempotent", &once, &twice);
    if (!reformat("fuzz.json", (const char *)data, size, &iam_emit_compact, &compact))
        fail("input parsed once but not twice", &once, &compact);
    if (!reformat("compact.json", compact.s, compact.len, &iam_emit_canonical, &via_compact))
        fail("compact output does not parse", &compact, &via_compact);
    if (!same(&once, &via_compact))
        fail("compact and canonical forms differ", &once, &via_compact);
out:
    iam_sb_free(&once);
    iam_sb_free(&twice);
    iam_sb_free(&compact);
    iam_sb_free(&via_compact);
    return 0;
}
