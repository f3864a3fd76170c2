/* test_diag.c - the diagnostics engine: rule table, add, related spans,
 * help, sort determinism, merge, severity counting and config overrides. */
#include <string.h>

#include <criterion/criterion.h>

#include "core/diag.h"

static iam_diags d;
static iam_source *sa, *sb;

static void setup(void)
{
    iam_diags_init(&d);
    sa = iam_source_from_mem("a.json", "{}\n{}\n", 6);
    sb = iam_source_from_mem("b.json", "{}\n", 3);
}

static void teardown(void)
{
    iam_diags_fini(&d);
    iam_source_free(sa);
    iam_source_free(sb);
}

TestSuite(diag, .init = setup, .fini = teardown);

static iam_span at(const iam_source *s, uint32_t line, uint32_t col)
{
    iam_span sp = {s, line, col, line, col + 1, 0, 1};
    return sp;
}

Test(diag, rule_table_round_trips)
{
    const char *names[] = {"input-error", "json-syntax", "duplicate-key", "input-limit", "unknown-element",
                           "missing-element", "forbidden-element", "element-combination", "element-type",
                           "invalid-effect", "missing-version", "invalid-version", "invalid-sid",
                           "duplicate-sid", "empty-value", "invalid-action", "invalid-condition-operator",
                           "null-with-if-exists", "condition-value-type", "invalid-principal",
                           "invalid-resource", "invalid-policy-variable", "policy-size"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        int id = iam_rule_by_name(names[i]);
        cr_assert_geq(id, 0, "rule %s missing from rules.def", names[i]);
        cr_assert_str_eq(iam_rule((iam_rule_id)id)->name, names[i]);
    }
    for (int i = 0; i < IAM_R_COUNT; i++) {
        const iam_rule_info *r = iam_rule((iam_rule_id)i);
        cr_assert_not_null(r);
        cr_assert_eq(iam_rule_by_name(r->name), i, "rule names must be unique: %s", r->name);
        for (const char *c = r->name; *c; c++)
            cr_assert((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-',
                      "rule name %s is not kebab-case", r->name);
    }
    cr_assert_eq(iam_rule_by_name("no-such-rule"), -1);
    cr_assert_eq(iam_rule_by_name("JSON-SYNTAX"), -1);
    cr_assert_null(iam_rule(IAM_R_COUNT));
}

Test(diag, severity_names)
{
    cr_assert_str_eq(iam_severity_name(IAM_SEV_ERROR), "error");
    cr_assert_str_eq(iam_severity_name(IAM_SEV_SECURITY), "security");
    cr_assert_str_eq(iam_severity_name(IAM_SEV_WARNING), "warning");
    cr_assert_str_eq(iam_severity_name(IAM_SEV_SUGGESTION), "suggestion");
    for (int s = 0; s < IAM_SEV_COUNT; s++)
        cr_assert_eq(iam_severity_by_name(iam_severity_name((iam_severity)s)), s);
    cr_assert_eq(iam_severity_by_name("fatal"), -1);
}

Test(diag, add_uses_default_severity_and_formats)
{
    iam_diag *g = iam_diag_add(&d, IAM_R_JSON_SYNTAX, at(sa, 1, 2), "unexpected %s at %d", "'}'", 7);
    cr_assert_not_null(g);
    cr_assert_eq(g->rule, IAM_R_JSON_SYNTAX);
    cr_assert_eq(g->sev, IAM_SEV_ERROR);
    cr_assert_str_eq(g->msg, "unexpected '}' at 7");
    cr_assert_eq(g->span.line, 1);
    cr_assert_eq(g->span.col, 2);
    cr_assert_eq(g->span.src, sa);
    cr_assert_null(g->help);
    cr_assert_eq(g->nrelated, 0);
    g = iam_diag_add(&d, IAM_R_MISSING_VERSION, at(sa, 1, 1), "x");
    cr_assert_eq(g->sev, IAM_SEV_WARNING);
    g = iam_diag_add(&d, IAM_R_EMPTY_VALUE, at(sa, 1, 1), "x");
    cr_assert_eq(g->sev, IAM_SEV_WARNING);
    g = iam_diag_add(&d, IAM_R_TYPE_DETECTION, at(sa, 1, 1), "x");
    cr_assert_eq(g->sev, IAM_SEV_SUGGESTION);
    cr_assert_eq(d.n, 4);
}

Test(diag, many_adds_keep_earlier_content)
{
    for (int i = 0; i < 1000; i++)
        iam_diag_add(&d, IAM_R_INVALID_ACTION, at(sa, (uint32_t)i + 1, 1), "diag %d", i);
    cr_assert_eq(d.n, 1000);
    cr_assert_str_eq(d.v[0].msg, "diag 0");
    cr_assert_str_eq(d.v[999].msg, "diag 999");
    cr_assert_eq(d.v[500].span.line, 501);
}

Test(diag, related_and_help)
{
    iam_diag *g = iam_diag_add(&d, IAM_R_DUPLICATE_KEY, at(sa, 2, 5), "duplicate key '%s'", "Effect");
    iam_diag_related(&d, g, at(sa, 1, 3), "first defined %s", "here");
    iam_diag_related(&d, g, at(sb, 1, 1), "also in %s", "b.json");
    iam_diag_related(&d, g, at(sa, 2, 1), "third");
    iam_diag_help(&d, g, "remove one of the %d keys", 2);
    cr_assert_eq(g->nrelated, 3);
    cr_assert_str_eq(g->related[0].msg, "first defined here");
    cr_assert_eq(g->related[0].span.line, 1);
    cr_assert_eq(g->related[0].span.col, 3);
    cr_assert_str_eq(g->related[1].msg, "also in b.json");
    cr_assert_eq(g->related[1].span.src, sb);
    cr_assert_str_eq(g->related[2].msg, "third");
    cr_assert_str_eq(g->help, "remove one of the 2 keys");
}

static void add_scrambled(iam_diags *x)
{
    iam_diag_add(x, IAM_R_INVALID_EFFECT, at(sb, 1, 1), "b11");
    iam_diag_add(x, IAM_R_INVALID_ACTION, at(sa, 2, 1), "a21");
    iam_diag_add(x, IAM_R_INVALID_SID, at(sa, 1, 5), "a15-sid");
    iam_diag_add(x, IAM_R_EMPTY_VALUE, at(sa, 1, 5), "a15-empty");
    iam_diag_add(x, IAM_R_INVALID_ACTION, at(sa, 1, 10), "a1-10");
    iam_diag_add(x, IAM_R_INVALID_ACTION, at(sa, 1, 9), "a19-z");
    iam_diag_add(x, IAM_R_INVALID_ACTION, at(sa, 1, 9), "a19-a");
    iam_diag_add(x, IAM_R_INVALID_ACTION, at(sa, 10, 1), "a10-1");
}

static const char *const sorted_msgs[] = {"a15-empty", "a15-sid", "a19-a", "a19-z",
                                          "a1-10", "a21", "a10-1", "b11"};

Test(diag, sort_is_by_file_line_col_rule_message)
{
    add_scrambled(&d);
    iam_diags_sort(&d);
    cr_assert_eq(d.n, 8);
    for (size_t i = 0; i < d.n; i++)
        cr_assert_str_eq(d.v[i].msg, sorted_msgs[i], "position %zu", i);
}

Test(diag, sort_is_deterministic_across_insertion_orders)
{
    /* Same set inserted in reverse: same result; full ties keep insertion
     * order (first added first). */
    iam_diags r;
    iam_diags_init(&r);
    iam_diags tmp;
    iam_diags_init(&tmp);
    add_scrambled(&tmp);
    for (size_t i = tmp.n; i-- > 0;)
        iam_diag_add(&r, tmp.v[i].rule, tmp.v[i].span, "%s", tmp.v[i].msg);
    iam_diags_sort(&r);
    for (size_t i = 0; i < r.n; i++)
        cr_assert_str_eq(r.v[i].msg, sorted_msgs[i]);
    iam_diags_fini(&tmp);
    iam_diags_fini(&r);

    iam_diag *x = iam_diag_add(&d, IAM_R_INVALID_ACTION, at(sa, 1, 1), "same");
    iam_diag_help(&d, x, "first");
    x = iam_diag_add(&d, IAM_R_INVALID_ACTION, at(sa, 1, 1), "same");
    iam_diag_help(&d, x, "second");
    iam_diag_add(&d, IAM_R_INVALID_ACTION, at(sa, 0, 0), "earlier");
    iam_diags_sort(&d);
    cr_assert_str_eq(d.v[0].msg, "earlier");
    cr_assert_str_eq(d.v[1].help, "first");
    cr_assert_str_eq(d.v[2].help, "second");
}

Test(diag, sort_handles_sourceless_spans)
{
    iam_span none = {0};
    iam_diag_add(&d, IAM_R_INPUT_ERROR, at(sa, 1, 1), "with source");
    iam_diag_add(&d, IAM_R_INPUT_ERROR, none, "no source");
    iam_diags_sort(&d);
    cr_assert_str_eq(d.v[0].msg, "no source", "a missing file sorts as \"\"");
    cr_assert_str_eq(d.v[1].msg, "with source");
}

Test(diag, merge_copies_everything)
{
    iam_diags src;
    iam_diags_init(&src);
    iam_diag_add(&d, IAM_R_INVALID_EFFECT, at(sa, 1, 1), "already here");
    iam_diag *g = iam_diag_add(&src, IAM_R_DUPLICATE_SID, at(sb, 1, 2), "dup %s", "S1");
    iam_diag_related(&src, g, at(sb, 1, 1), "first used here");
    iam_diag_help(&src, g, "rename it");
    g->policy_type = "identity";
    g->fingerprint = "abc123";
    iam_diag_add(&src, IAM_R_POLICY_SIZE, at(sb, 1, 1), "big");
    iam_diags_merge(&d, &src);
    iam_diags_fini(&src); /* dst must not point into src's arena */
    cr_assert_eq(d.n, 3);
    cr_assert_str_eq(d.v[0].msg, "already here");
    cr_assert_eq(d.v[1].rule, IAM_R_DUPLICATE_SID);
    cr_assert_str_eq(d.v[1].msg, "dup S1");
    cr_assert_str_eq(d.v[1].help, "rename it");
    cr_assert_str_eq(d.v[1].policy_type, "identity");
    cr_assert_str_eq(d.v[1].fingerprint, "abc123");
    cr_assert_eq(d.v[1].nrelated, 1);
    cr_assert_str_eq(d.v[1].related[0].msg, "first used here");
    cr_assert_eq(d.v[1].related[0].span.col, 1);
    cr_assert_eq(d.v[1].span.src, sb);
    cr_assert_str_eq(d.v[2].msg, "big");
    cr_assert_null(d.v[2].help);
    cr_assert_null(d.v[2].policy_type);
    /* Merged entries sort after the existing one on full ties. */
    iam_diag_add(&d, IAM_R_POLICY_SIZE, at(sb, 1, 1), "big");
    cr_assert_gt(d.v[3].seq, d.v[2].seq);
}

Test(diag, merge_empty_is_a_no_op)
{
    iam_diags src;
    iam_diags_init(&src);
    iam_diags_merge(&d, &src);
    cr_assert_eq(d.n, 0);
    iam_diags_fini(&src);
}

Test(diag, count_at_least_and_has_errors)
{
    cr_assert_not(iam_diags_has_errors(&d));
    cr_assert_eq(iam_diags_count_at_least(&d, IAM_SEV_SUGGESTION), 0);
    iam_diag_add(&d, IAM_R_TYPE_DETECTION, at(sa, 1, 1), "s");   /* suggestion */
    iam_diag_add(&d, IAM_R_MISSING_VERSION, at(sa, 1, 1), "w");  /* warning */
    iam_diag_add(&d, IAM_R_EMPTY_VALUE, at(sa, 1, 1), "w2");     /* warning */
    iam_diag *g = iam_diag_add(&d, IAM_R_INVALID_ACTION, at(sa, 1, 1), "e");
    g->sev = IAM_SEV_SECURITY;
    cr_assert_not(iam_diags_has_errors(&d));
    iam_diag_add(&d, IAM_R_JSON_SYNTAX, at(sa, 1, 1), "e");      /* error */
    cr_assert_eq(iam_diags_count_at_least(&d, IAM_SEV_SUGGESTION), 5);
    cr_assert_eq(iam_diags_count_at_least(&d, IAM_SEV_WARNING), 4);
    cr_assert_eq(iam_diags_count_at_least(&d, IAM_SEV_SECURITY), 2);
    cr_assert_eq(iam_diags_count_at_least(&d, IAM_SEV_ERROR), 1);
    cr_assert(iam_diags_has_errors(&d));
}

Test(diag, severity_override_and_disabled_rule)
{
    static signed char ov[IAM_R_COUNT];
    memset(ov, -1, sizeof ov);
    ov[IAM_R_MISSING_VERSION] = -2;               /* off */
    ov[IAM_R_INVALID_SID] = IAM_SEV_SUGGESTION;   /* downgraded */
    ov[IAM_R_EMPTY_VALUE] = IAM_SEV_ERROR;        /* upgraded */
    d.sev_override = ov;
    iam_diag *off = iam_diag_add(&d, IAM_R_MISSING_VERSION, at(sa, 1, 1), "off");
    cr_assert_null(off);
    cr_assert_eq(d.n, 0, "a disabled rule must not be recorded");
    /* related/help on a disabled (NULL) diagnostic are harmless no-ops */
    iam_diag_related(&d, off, at(sa, 1, 1), "x");
    iam_diag_help(&d, off, "y");
    iam_diag *s = iam_diag_add(&d, IAM_R_INVALID_SID, at(sa, 1, 1), "sid");
    cr_assert_eq(s->sev, IAM_SEV_SUGGESTION);
    iam_diag *e = iam_diag_add(&d, IAM_R_EMPTY_VALUE, at(sa, 1, 1), "empty");
    cr_assert_eq(e->sev, IAM_SEV_ERROR);
    iam_diag *dflt = iam_diag_add(&d, IAM_R_JSON_SYNTAX, at(sa, 1, 1), "default");
    cr_assert_eq(dflt->sev, IAM_SEV_ERROR);
    cr_assert_eq(d.n, 3);
    cr_assert_eq(iam_diags_count_at_least(&d, IAM_SEV_ERROR), 2);
}
