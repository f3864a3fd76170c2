/* helpers.h - run the analyzer over in-memory policies and assert risk
 * findings by rule name, file, line and column (1-based, code points) and
 * the text under the span.
 *
 * Documents are written with single quotes for readability; doc() turns
 * them into double quotes one for one, so columns are unchanged. Paths
 * choose the policy type by the directory convention (identity/, resource/,
 * trust/, *.scp.json, principals/users/<name>/...). */
#ifndef IAM_TEST_RISK_HELPERS_H
#define IAM_TEST_RISK_HELPERS_H
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/parameterized.h>

#include "analyzer/analyzer.h"
#include "analyzer/config.h"
#include "core/diag.h"
#include "core/source.h"

/* Table-driven ParameterizedTest: the parameter is an index into a
 * file-scope table (pointers into the parent's data are invalid in the
 * child process, see tests/unit/config/helpers.h). */
#define TABLE_PARAMS(suite, name, table)                                      \
    ParameterizedTestParameters(suite, name)                                  \
    {                                                                         \
        static size_t idx_[sizeof(table) / sizeof(*(table))];                 \
        for (size_t i_ = 0; i_ < sizeof idx_ / sizeof *idx_; i_++)            \
            idx_[i_] = i_;                                                    \
        return cr_make_param_array(size_t, idx_, sizeof idx_ / sizeof *idx_); \
    }

/* What a parameterized case is about, printed with every failure. */
static const char *test_ctx = "";

/* The risk rules' stable names (docs/rules.md). */
static inline iam_rule_id rule_named(const char *name)
{
    int r = iam_rule_by_name(name);
    cr_assert_geq(r, 0, "no rule named '%s'", name);
    return (iam_rule_id)r;
}

static inline iam_analyzer *an_new_cfg(const iam_config *cfg)
{
    iam_analyze_opts o = {0};
    o.config = cfg;
    iam_analyzer *an = iam_analyzer_new(&o);
    cr_assert_not_null(an);
    return an;
}

static inline iam_analyzer *an_new(void)
{
    return an_new_cfg(NULL);
}

/* Add a policy written with ' for ". The text is copied by the analyzer. */
static inline void add_doc(iam_analyzer *an, const char *path, const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    for (size_t i = 0; i <= n; i++)
        buf[i] = text[i] == '\'' ? '"' : text[i];
    iam_status st = iam_analyzer_add_mem(an, path, buf, n);
    free(buf);
    cr_assert_eq(st, IAM_OK, "%s did not parse", path);
}

/* Analyse one document (plus the principal-level and SCP-set rules). */
static inline iam_analyzer *analyze1(const char *path, const char *text)
{
    iam_analyzer *an = an_new();
    add_doc(an, path, text);
    iam_analyzer_finish(an);
    return an;
}

/* A config from JSON text (' for "). The config points into its source,
 * so both live until the test process exits, when they are freed (so
 * LeakSanitizer sees no leak in sanitizer runs). */
enum { MAX_TEST_CONFIGS = 16 };
static iam_config *test_configs[MAX_TEST_CONFIGS];
static iam_source *test_config_srcs[MAX_TEST_CONFIGS];
static int ntest_configs;

static void free_test_configs(void)
{
    for (int i = 0; i < ntest_configs; i++) {
        iam_config_free(test_configs[i]);
        iam_source_free(test_config_srcs[i]);
    }
    ntest_configs = 0;
}

static inline iam_config *config_of(const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    for (size_t i = 0; i <= n; i++)
        buf[i] = text[i] == '\'' ? '"' : text[i];
    iam_source *src = iam_source_from_mem(".iampc.json", buf, n);
    free(buf);
    iam_diags d;
    iam_diags_init(&d);
    iam_config *cfg = NULL;
    cr_assert_eq(iam_config_parse(src, &d, &cfg), IAM_OK, "config: %s", d.n ? d.v[0].msg : "?");
    iam_diags_fini(&d);
    cr_assert_lt(ntest_configs, MAX_TEST_CONFIGS);
    if (ntest_configs == 0)
        atexit(free_test_configs);
    test_configs[ntest_configs] = cfg;
    test_config_srcs[ntest_configs++] = src;
    return cfg;
}

static inline size_t count_rule(iam_analyzer *an, const char *rule)
{
    iam_rule_id r = rule_named(rule);
    iam_diags *d = iam_analyzer_diags(an);
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->v[i].rule == r;
    return n;
}

/* All findings of a rule, for failure messages. */
static inline const char *dump_rule(iam_analyzer *an, const char *rule)
{
    static char buf[4096];
    size_t len = 0;
    iam_rule_id r = rule_named(rule);
    iam_diags *d = iam_analyzer_diags(an);
    buf[0] = '\0';
    for (size_t i = 0; i < d->n && len < sizeof buf; i++)
        if (d->v[i].rule == r || !rule[0])
            len += (size_t)snprintf(buf + len, sizeof buf - len, "\n  %s:%zu:%zu: %.300s [%s]",
                                    d->v[i].span.src ? d->v[i].span.src->path : "-", (size_t)d->v[i].span.line,
                                    (size_t)d->v[i].span.col, d->v[i].msg, iam_rule(d->v[i].rule)->name);
    return len ? buf : " (none)";
}

/* The finding of `rule` in `path` at line:col, or NULL. */
static inline const iam_diag *find_at(iam_analyzer *an, const char *rule, const char *path, size_t line, size_t col)
{
    iam_rule_id r = rule_named(rule);
    iam_diags *d = iam_analyzer_diags(an);
    for (size_t i = 0; i < d->n; i++) {
        const iam_diag *g = &d->v[i];
        if (g->rule == r && g->span.src && strcmp(g->span.src->path, path) == 0 && g->span.line == line &&
            g->span.col == col)
            return g;
    }
    return NULL;
}

/* Assert a finding of `rule` at path:line:col whose span text starts with
 * `under` (NULL: not checked) and whose message contains `says` (NULL: not
 * checked). Returns it. */
#define expect_at(an, rule, path, line, col, under, says)                                               \
    expect_at_((an), (rule), (path), (line), (col), (under), (says), __FILE__, __LINE__)
static inline const iam_diag *expect_at_(iam_analyzer *an, const char *rule, const char *path, size_t line,
                                         size_t col, const char *under, const char *says, const char *file, int at)
{
    const iam_diag *g = find_at(an, rule, path, line, col);
    cr_assert_not_null(g, "%s:%d: %sexpected [%s] at %s:%zu:%zu; found:%s", file, at, test_ctx, rule, path, line, col,
                       dump_rule(an, rule));
    if (under) {
        const char *text = g->span.src->data + g->span.off;
        cr_assert(strncmp(text, under, strlen(under)) == 0, "%s:%d: [%s] span at %zu:%zu starts '%.30s', expected '%s'",
                  file, at, rule, line, col, text, under);
    }
    if (says)
        cr_assert(strstr(g->msg, says) != NULL, "%s:%d: [%s] message '%s' lacks '%s'", file, at, rule, g->msg, says);
    return g;
}

#define expect_none(an, rule) expect_none_((an), (rule), __FILE__, __LINE__)
static inline void expect_none_(iam_analyzer *an, const char *rule, const char *file, int at)
{
    cr_assert_eq(count_rule(an, rule), 0, "%s:%d: %sexpected no [%s]; found:%s", file, at, test_ctx, rule,
                 dump_rule(an, rule));
}

#define expect_count(an, rule, n) expect_count_((an), (rule), (n), __FILE__, __LINE__)
static inline void expect_count_(iam_analyzer *an, const char *rule, size_t n, const char *file, int at)
{
    cr_assert_eq(count_rule(an, rule), n, "%s:%d: expected %zu [%s]; found:%s", file, at, n, rule,
                 dump_rule(an, rule));
}

/* Does some finding of rule have `says` in its message? */
static inline const iam_diag *find_msg(iam_analyzer *an, const char *rule, const char *says)
{
    iam_rule_id r = rule_named(rule);
    iam_diags *d = iam_analyzer_diags(an);
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].rule == r && strstr(d->v[i].msg, says))
            return &d->v[i];
    return NULL;
}

/* Every risk rule, for "nothing of these fires" assertions. */
static const char *const ACTION_SCOPE_RULES[] = {
    "admin-access", "service-wildcard", "resource-star", "unconditioned-secrets-access",
    "passrole-unrestricted", "credentials-exposure", "permissions-management", "data-exfiltration",
    "privilege-escalation", "missing-mfa", NULL,
};

#define expect_none_of(an, rules)                       \
    do {                                                \
        for (const char *const *r_ = (rules); *r_; r_++) \
            expect_none((an), *r_);                     \
    } while (0)

#endif
