/* helpers.h - run text through the whole front end (source -> JSON ->
 * decode(type) -> validate) and compare the diagnostics with a list of
 * (rule, needle) pairs, where the needle locates the expected line:col.
 *
 * Policy text is written with ` for " so that tests stay readable. */
#ifndef IAM_TEST_POLICY_HELPERS_H
#define IAM_TEST_POLICY_HELPERS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/intern.h"
#include "grammar/json.h"
#include "policy/policy.h"

typedef struct prun {
    iam_arena *a;
    iam_strtab *names;
    iam_source *src;
    iam_diags d;
    iam_json *doc;
    iam_policy *p;
    iam_status st;
    char *text;
} prun;

static inline char *unbacktick(const char *t)
{
    char *s = iam_xstrdup(t);
    for (char *c = s; *c; c++)
        if (*c == '`')
            *c = '"';
    return s;
}

/* Parse + decode + validate; type IAM_PT_UNKNOWN = heuristic. */
static inline void prun_type(prun *r, iam_policy_type type, const char *text)
{
    memset(r, 0, sizeof *r);
    r->text = unbacktick(text);
    r->a = iam_arena_new();
    r->names = iam_intern_new();
    r->src = iam_source_from_mem("p.json", r->text, strlen(r->text));
    iam_diags_init(&r->d);
    r->st = iam_json_parse(r->a, r->src, NULL, &r->d, &r->doc);
    cr_assert_eq(r->st, IAM_OK, "test policy is not valid JSON: %s", r->d.n ? r->d.v[0].msg : "?");
    iam_decode_opts o = {type, IAM_TO_FLAG};
    r->p = iam_policy_decode(r->a, r->names, r->doc, &o, &r->d);
    cr_assert_not_null(r->p);
    iam_policy_validate(r->p, &r->d);
    iam_diags_sort(&r->d);
}

static inline void prun_free(prun *r)
{
    iam_diags_fini(&r->d);
    iam_intern_free(r->names);
    iam_arena_destroy(r->a);
    iam_source_free(r->src);
    free(r->text);
}

/* line:col (code points) of the nth occurrence of needle (backticks = ") */
static inline void locate(const prun *r, const char *needle, int nth, unsigned *line, unsigned *col)
{
    char *n = unbacktick(needle);
    const char *p = r->text;
    for (int i = 0; p && i <= nth; i++)
        p = strstr(i ? p + 1 : p, n);
    cr_assert_not_null(p, "needle %s (#%d) not in the policy", needle, nth);
    free(n);
    unsigned l = 1, c = 1;
    for (const char *q = r->text; q < p; q++) {
        if (*q == '\n')
            l++, c = 1;
        else if (((unsigned char)*q & 0xC0) != 0x80)
            c++;
    }
    *line = l;
    *col = c;
}

static inline char *diag_list(const prun *r)
{
    static char buf[8192];
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->d.n && k < sizeof buf - 200; i++) {
        const iam_diag *g = &r->d.v[i];
        k += (size_t)snprintf(buf + k, sizeof buf - k, "\n    %s %s@%u:%u %.140s", iam_rule(g->rule)->name,
                              iam_severity_name(g->sev), g->span.line, g->span.col, g->msg);
    }
    return r->d.n ? buf : (char *)" (none)";
}

typedef struct want {
    const char *rule;
    const char *needle; /* NULL: any position */
    int nth;
} want;

/* The diagnostics must be exactly these (as a multiset, any order). */
static inline void expect_exactly_(const prun *r, const want *w, size_t n, const char *where)
{
    char used[256] = {0};
    for (size_t i = 0; i < n; i++) {
        unsigned l = 0, c = 0;
        if (w[i].needle)
            locate(r, w[i].needle, w[i].nth, &l, &c);
        size_t k;
        for (k = 0; k < r->d.n; k++) {
            const iam_diag *g = &r->d.v[k];
            if (used[k] || strcmp(iam_rule(g->rule)->name, w[i].rule) != 0)
                continue;
            if (w[i].needle && (g->span.line != l || g->span.col != c))
                continue;
            break;
        }
        cr_assert_lt(k, r->d.n, "%s: expected %s at %s (%u:%u); diagnostics:%s", where, w[i].rule,
                     w[i].needle ? w[i].needle : "anywhere", l, c, diag_list(r));
        used[k] = 1;
    }
    cr_assert_eq(r->d.n, n, "%s: expected %zu diagnostics, got %zu:%s", where, n, r->d.n, diag_list(r));
}

#define EXPECT(r, ...)                                                                   \
    do {                                                                                 \
        static const want w_[] = {__VA_ARGS__};                                          \
        expect_exactly_((r), w_, sizeof w_ / sizeof *w_, __func__);                      \
    } while (0)

#define EXPECT_NONE(r) \
    cr_assert_eq((r)->d.n, 0, "%s: expected no diagnostics, got:%s", __func__, diag_list(r))

/* Severity of the first diagnostic with this rule. */
static inline iam_severity sev_of(const prun *r, const char *rule)
{
    for (size_t i = 0; i < r->d.n; i++)
        if (strcmp(iam_rule(r->d.v[i].rule)->name, rule) == 0)
            return r->d.v[i].sev;
    cr_assert_fail("no %s diagnostic:%s", rule, diag_list(r));
    return IAM_SEV_SUGGESTION;
}

static inline size_t count_rule(const prun *r, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < r->d.n; i++)
        n += strcmp(iam_rule(r->d.v[i].rule)->name, rule) == 0;
    return n;
}

/* One-statement identity/resource/... policy around a statement body. */
#define V12 "`Version`: `2012-10-17`, "

#endif
