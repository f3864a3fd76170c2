/* helpers.h - parse JSON text from memory and inspect the result. */
#ifndef IAM_TEST_GRAMMAR_HELPERS_H
#define IAM_TEST_GRAMMAR_HELPERS_H
#include <string.h>

#include <criterion/criterion.h>

#include "grammar/json.h"

typedef struct jrun {
    iam_arena *a;
    iam_source *src;
    iam_diags d;
    iam_json *root;
    iam_status st;
} jrun;

static inline void jparse_n(jrun *r, const char *text, size_t len, const iam_json_limits *lim)
{
    r->a = iam_arena_new();
    r->src = iam_source_from_mem("t.json", text, len);
    iam_diags_init(&r->d);
    r->root = NULL;
    r->st = iam_json_parse(r->a, r->src, lim, &r->d, &r->root);
}

static inline void jparse(jrun *r, const char *text)
{
    jparse_n(r, text, strlen(text), NULL);
}

static inline void jfree(jrun *r)
{
    iam_diags_fini(&r->d);
    iam_arena_destroy(r->a);
    iam_source_free(r->src);
}

/* Assert a span: start line:col, end line:col, byte offsets. */
#define assert_span(sp, l, c, el, ec, o, eo)                                                       \
    do {                                                                                           \
        iam_span s_ = (sp);                                                                        \
        cr_assert(s_.line == (l) && s_.col == (c) && s_.end_line == (el) && s_.end_col == (ec) &&  \
                      s_.off == (o) && s_.end_off == (eo),                                         \
                  "span %u:%u-%u:%u [%zu,%zu), want %u:%u-%u:%u [%zu,%zu)", s_.line, s_.col,        \
                  s_.end_line, s_.end_col, s_.off, s_.end_off, (unsigned)(l), (unsigned)(c),       \
                  (unsigned)(el), (unsigned)(ec), (size_t)(o), (size_t)(eo));                      \
    } while (0)

#endif
