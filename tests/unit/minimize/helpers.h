/* helpers.h - shared by the minimizer tests: run iam_minimize on text and
 * decode its documents back into the IR for inspection. */
#ifndef IAM_TEST_MINIMIZE_HELPERS_H
#define IAM_TEST_MINIMIZE_HELPERS_H
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "compiler/minimize.h"
#include "core/intern.h"
#include "core/strbuf.h"
#include "grammar/json.h"
#include "policy/policy.h"

typedef struct mt {
    iam_arena *a;
    iam_strtab *names;
    iam_diags d;
    iam_min_result r;
    iam_status st;
    iam_source *srcs[64];
    size_t nsrcs;
} mt;

static inline const iam_catalog *cat(void)
{
    return iam_catalog_builtin();
}

static inline void mt_init(mt *m)
{
    memset(m, 0, sizeof *m);
    m->a = iam_arena_new();
    m->names = iam_intern_new();
    iam_diags_init(&m->d);
}

static inline void mt_fini(mt *m)
{
    iam_min_result_free(&m->r);
    iam_diags_fini(&m->d);
    for (size_t i = 0; i < m->nsrcs; i++)
        iam_source_free(m->srcs[i]);
    iam_intern_free(m->names);
    iam_arena_destroy(m->a);
}

/* Decode text as a policy of type t (NULL when it does not parse). */
static inline iam_policy *mt_decode(mt *m, const char *text, iam_policy_type t)
{
    cr_assert(m->nsrcs < 64);
    iam_source *src = iam_source_from_mem("t.json", text, strlen(text));
    m->srcs[m->nsrcs++] = src;
    iam_json *root = NULL;
    iam_diags scratch;
    iam_diags_init(&scratch);
    iam_status st = iam_json_parse(m->a, src, NULL, &scratch, &root);
    iam_diags_fini(&scratch);
    if (st != IAM_OK)
        return NULL;
    iam_decode_opts o = {t, IAM_TO_CONTEXT};
    iam_diags d2;
    iam_diags_init(&d2);
    iam_policy *p = iam_policy_decode(m->a, m->names, root, &o, &d2);
    iam_diags_fini(&d2);
    return p;
}

static inline iam_status mt_run(mt *m, const char *text, iam_policy_type t, const iam_min_opts *o)
{
    iam_policy *p = mt_decode(m, text, t);
    cr_assert_not_null(p, "test input does not parse");
    cr_assert(p->ok, "test input does not decode");
    m->st = iam_minimize(cat(), p, o, &m->d, &m->r);
    return m->st;
}

/* Document i of the result, decoded. */
static inline iam_policy *mt_doc(mt *m, size_t i, iam_policy_type t)
{
    cr_assert_lt(i, m->r.ndocs);
    iam_policy *p = mt_decode(m, m->r.docs[i].json, t);
    cr_assert_not_null(p);
    return p;
}

/* The catalog actions one statement's Action list denotes. */
static inline iam_actionset *mt_set(mt *m, const iam_statement *s)
{
    iam_actionset *set = iam_actionset_new(m->a, cat());
    for (size_t i = 0; i < s->nactions; i++)
        iam_catalog_expand(cat(), set, s->actions[i].text, strlen(s->actions[i].text));
    return set;
}

static inline bool mt_has_rule(const mt *m, iam_rule_id r)
{
    for (size_t i = 0; i < m->d.n; i++)
        if (m->d.v[i].rule == r)
            return true;
    return false;
}

static inline bool mt_stmt_has_action(const iam_statement *s, const char *text)
{
    for (size_t i = 0; i < s->nactions; i++)
        if (strcmp(s->actions[i].text, text) == 0)
            return true;
    return false;
}

#endif
