/* test_decode.c - JSON -> IR: structural rules (unknown-element,
 * missing-element, element-combination, element-type, invalid-effect,
 * empty-value) and the shape of the IR (normalised lists, interned
 * actions, principal forms, operator split, canonical values, sizes). */
#include "helpers.h"
#include "params.h"

#define ID IAM_PT_IDENTITY
#define RES IAM_PT_RESOURCE

TestSuite(decode);

/* -- unknown-element -- */

Test(decode, unknown_top_level_element)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statment`: [{`Effect`: `Allow`, `Action`: `s3:GetObject`, `Resource`: `*`}]}");
    EXPECT(&r, {"unknown-element", "`Statment`", 0}, {"missing-element", "{", 0});
    cr_assert_not(r.p->ok);
    prun_free(&r);
}

Test(decode, unknown_statement_element_and_case_hint)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: [{`effect`: `Allow`, `Actions`: `s3:GetObject`, `Resource`: `*`}]}");
    EXPECT(&r, {"unknown-element", "`effect`", 0}, {"unknown-element", "`Actions`", 0},
           {"missing-element", "{`effect`", 0}, {"missing-element", "{`effect`", 0});
    const iam_diag *g = NULL;
    for (size_t i = 0; i < r.d.n; i++)
        if (r.d.v[i].rule == IAM_R_UNKNOWN_ELEMENT && strstr(r.d.v[i].msg, "'effect'"))
            g = &r.d.v[i];
    cr_assert_not_null(g);
    cr_assert_not_null(g->help);
    cr_assert(strstr(g->help, "'Effect'"), "%s", g->help);
    cr_assert(strstr(g->msg, "in a statement"), "%s", g->msg);
    cr_assert_str_eq(g->policy_type, "identity");
    prun_free(&r);
}

Test(decode, unknown_elements_everywhere_reported_once_each)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`id`: `x`, `Statement`: {`Effect`: `Deny`, `Action`: `*`, `Resource`: `*`, "
              "`Conditions`: {}, `NotCondition`: 1}}");
    EXPECT(&r, {"unknown-element", "`id`", 0}, {"unknown-element", "`Conditions`", 0},
           {"unknown-element", "`NotCondition`", 0});
    prun_free(&r);
}

/* -- missing-element -- */

Test(decode, missing_statement)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Id`: `x`}");
    /* Id in an identity policy is a lint warning (forbidden-element) */
    EXPECT(&r, {"missing-element", "{", 0}, {"forbidden-element", "`x`", 0});
    prun_free(&r);
}

Test(decode, empty_statement_array)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: []}");
    EXPECT(&r, {"missing-element", "[]", 0});
    cr_assert_eq(r.p->nstmts, 0);
    cr_assert(r.p->statement_is_array);
    prun_free(&r);
}

Test(decode, missing_effect_and_action)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: [{`Resource`: `*`}, {`Sid`: `B`, `Effect`: `Allow`, `NotAction`: `s3:*`, `Resource`: `*`}]}");
    EXPECT(&r, {"missing-element", "{`Resource`", 0}, {"missing-element", "{`Resource`", 0});
    cr_assert_eq(r.p->nstmts, 2);
    cr_assert_eq(r.p->stmts[0].effect, IAM_EFFECT_INVALID);
    cr_assert(r.p->stmts[1].not_action);
    prun_free(&r);
}

/* -- element-combination -- */

Test(decode, action_and_not_action)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `NotAction`: `iam:*`, `Resource`: `*`}}");
    EXPECT(&r, {"element-combination", "`NotAction`", 0});
    cr_assert_eq(r.d.v[0].nrelated, 1);
    unsigned l, c;
    locate(&r, "`Action`", 0, &l, &c);
    cr_assert_eq(r.d.v[0].related[0].span.col, c);
    cr_assert_not(r.p->ok);
    prun_free(&r);
}

Test(decode, resource_and_not_resource)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `NotResource`: `arn:aws:s3:::a`, `Resource`: `*`}}");
    EXPECT(&r, {"element-combination", "`NotResource`", 0});
    prun_free(&r);
}

Test(decode, principal_and_not_principal)
{
    prun r;
    prun_type(&r, RES,
              "{" V12 "`Statement`: {`Effect`: `Deny`, `Principal`: `*`, `NotPrincipal`: {`AWS`: `111122223333`}, "
              "`Action`: `s3:*`, `Resource`: `arn:aws:s3:::b/*`}}");
    EXPECT(&r, {"element-combination", "`NotPrincipal`", 0});
    prun_free(&r);
}

/* -- element-type -- */

Test(decode, policy_must_be_an_object)
{
    prun r;
    prun_type(&r, ID, "[{`Effect`: `Allow`}]");
    EXPECT(&r, {"element-type", "[", 0});
    cr_assert_not(r.p->ok);
    prun_free(&r);
}

Test(decode, element_types)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Id`: 7, `Statement`: [{`Sid`: 5, `Effect`: `Allow`, `Action`: [`s3:GetObject`, null], "
              "`Resource`: {`arn`: 1}}, {`Effect`: `Deny`, `Action`: 5, `Resource`: `*`, `Condition`: []}]}");
    EXPECT(&r, {"element-type", "7,", 0}, {"element-type", "5,", 0}, {"element-type", "null", 0},
           {"element-type", "{`arn`", 0}, {"element-type", "5,", 1}, {"element-type", "[]}", 0});
    cr_assert_not(r.p->ok);
    prun_free(&r);
}

/* A statement that is not an object gets one element-type diagnostic and
 * nothing else: there is no statement to find a missing Resource in. */
Test(decode, non_object_statement_reported_once)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: [`x`, 1, null]}");
    EXPECT(&r, {"element-type", "`x`", 0}, {"element-type", "1,", 0}, {"element-type", "null", 0});
    prun_free(&r);
    prun_type(&r, IAM_PT_RESOURCE, "{" V12 "`Statement`: `x`}");
    EXPECT(&r, {"element-type", "`x`", 0});
    prun_free(&r);
}

Test(decode, principal_types)
{
    prun r;
    prun_type(&r, RES,
              "{" V12 "`Statement`: [{`Effect`: `Allow`, `Principal`: [`*`], `Action`: `s3:GetObject`, `Resource`: `*`},"
              "{`Effect`: `Allow`, `Principal`: {`AWS`: 111122223333}, `Action`: `s3:GetObject`, `Resource`: `*`}]}");
    EXPECT(&r, {"element-type", "[`*`]", 0}, {"element-type", "111122223333", 0});
    prun_free(&r);
}

Test(decode, condition_types)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, `Condition`: "
              "{`StringEquals`: `x`, `StringLike`: {`s3:prefix`: [{`a`: 1}, [`b`], null]}}}}");
    EXPECT(&r, {"element-type", "`x`", 0}, {"condition-value-type", "{`a`", 0},
           {"condition-value-type", "[`b`]", 0}, {"condition-value-type", "null", 0});
    prun_free(&r);
}

Test(decode, version_must_be_a_string)
{
    prun r;
    prun_type(&r, ID, "{`Version`: 2012, `Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT(&r, {"invalid-version", "2012", 0});
    prun_free(&r);
}

/* -- invalid-effect -- */

Test(decode, invalid_effects)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: [{`Effect`: `allow`, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Effect`: `DENY`, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Effect`: `Permit`, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Effect`: true, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Effect`: ``, `Action`: `s3:*`, `Resource`: `*`},"
              "{`Effect`: `Allow `, `Action`: `s3:*`, `Resource`: `*`}]}");
    EXPECT(&r, {"invalid-effect", "`allow`", 0}, {"invalid-effect", "`DENY`", 0}, {"invalid-effect", "`Permit`", 0},
           {"invalid-effect", "true", 0}, {"invalid-effect", "``", 0}, {"invalid-effect", "`Allow `", 0});
    cr_assert(strstr(r.d.v[0].help, "\"Allow\""), "%s", r.d.v[0].help);
    cr_assert(strstr(r.d.v[1].help, "\"Deny\""), "%s", r.d.v[1].help);
    cr_assert_null(r.d.v[2].help);
    for (size_t i = 0; i < 6; i++)
        cr_assert_eq(r.p->stmts[i].effect, IAM_EFFECT_INVALID);
    prun_free(&r);
}

/* -- empty-value -- */

Test(decode, empty_values)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: [{`Effect`: `Allow`, `Action`: [], `Resource`: `*`},"
              "{`Effect`: `Allow`, `Action`: `s3:*`, `NotResource`: []},"
              "{`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, `Condition`: {}},"
              "{`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, `Condition`: {`Bool`: {}}},"
              "{`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, `Condition`: {`StringLike`: {`s3:prefix`: []}}}]}");
    EXPECT(&r, {"empty-value", "[]", 0}, {"empty-value", "[]", 1}, {"empty-value", "{}", 0},
           {"empty-value", "{}", 1}, {"empty-value", "[]", 2});
    for (size_t i = 0; i < r.d.n; i++)
        cr_assert_eq(r.d.v[i].sev, IAM_SEV_WARNING);
    cr_assert(r.p->ok, "warnings do not make the policy structurally broken");
    prun_free(&r);
}

Test(decode, empty_strings)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: [{`Sid`: ``, `Effect`: `Allow`, `Action`: ``, `Resource`: ``}]}");
    EXPECT(&r, {"empty-value", "``", 0}, {"empty-value", "``", 1}, {"invalid-action", "``", 1},
           {"empty-value", "``", 2}, {"invalid-resource", "``", 2});
    prun_free(&r);
}

Test(decode, empty_principal_map)
{
    prun r;
    prun_type(&r, RES, "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: {}, `Action`: `s3:GetObject`, `Resource`: `*`}}");
    EXPECT(&r, {"empty-value", "{}", 0});
    cr_assert(r.p->stmts[0].principal.present);
    cr_assert_eq(r.p->stmts[0].principal.n, 0);
    prun_free(&r);
}

Test(decode, empty_condition_string_value_is_fine)
{
    /* s3:prefix "" is a real value (the bucket root), not an empty element */
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:ListBucket`, `Resource`: `arn:aws:s3:::b`, "
              "`Condition`: {`StringLike`: {`s3:prefix`: [``, `home/`]}}}}");
    EXPECT_NONE(&r);
    cr_assert_eq(r.p->stmts[0].conds[0].keys[0].values.n, 2);
    cr_assert_eq(r.p->stmts[0].conds[0].keys[0].values.v[0].len, 0);
    prun_free(&r);
}

/* -- IR shape -- */

Test(decode, string_or_array_normalised)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: [{`Effect`: `Allow`, `Action`: `s3:GetObject`, `Resource`: `arn:aws:s3:::b/*`},"
              "{`Effect`: `Deny`, `Action`: [`S3:GetObject`, `s3:put*`], `Resource`: [`*`, `arn:aws:s3:::c`]}]}");
    EXPECT_NONE(&r);
    const iam_statement *s0 = &r.p->stmts[0], *s1 = &r.p->stmts[1];
    cr_assert_eq(s0->nactions, 1);
    cr_assert_eq(s0->resources.n, 1);
    cr_assert_str_eq(s0->resources.v[0].s, "arn:aws:s3:::b/*");
    cr_assert_eq(s1->nactions, 2);
    cr_assert_eq(s1->resources.n, 2);
    cr_assert_eq(s0->effect, IAM_EFFECT_ALLOW);
    cr_assert_eq(s1->effect, IAM_EFFECT_DENY);
    cr_assert_eq(s1->index, 1);
    /* actions: interned, folded, original spelling kept */
    cr_assert_str_eq(s1->actions[0].text, "S3:GetObject");
    cr_assert_str_eq(s1->actions[0].folded, "s3:getobject");
    cr_assert_eq(s0->actions[0].folded, s1->actions[0].folded, "same action, one interned pointer");
    cr_assert_eq(s0->actions[0].service, s1->actions[1].service);
    cr_assert_str_eq(s1->actions[1].service, "s3");
    cr_assert_str_eq(s1->actions[1].name, "put*");
    cr_assert(s1->actions[1].wildcard);
    cr_assert_not(s1->actions[0].wildcard);
    cr_assert(s1->actions[0].valid);
    unsigned l, c;
    locate(&r, "`S3:GetObject`", 0, &l, &c);
    cr_assert_eq(s1->actions[0].span.col, c);
    locate(&r, "[`S3", 0, &l, &c);
    cr_assert_eq(s1->action_span.col, c);
    cr_assert(r.p->statement_is_array);
    cr_assert(r.p->ok);
    prun_free(&r);
}

Test(decode, star_action_and_single_statement_object)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}}");
    EXPECT_NONE(&r);
    cr_assert_not(r.p->statement_is_array);
    cr_assert_eq(r.p->nstmts, 1);
    const iam_action *a = &r.p->stmts[0].actions[0];
    cr_assert(a->valid);
    cr_assert(a->wildcard);
    cr_assert_null(a->service);
    cr_assert_str_eq(a->folded, "*");
    prun_free(&r);
}

Test(decode, principal_forms)
{
    prun r;
    prun_type(&r, RES,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: [`111122223333`, "
              "`arn:aws:iam::111122223333:root`, `arn:aws:iam::111122223333:user/path/Bob`, "
              "`arn:aws:iam::111122223333:role/R`, `arn:aws:sts::111122223333:assumed-role/R/s`, "
              "`arn:aws:sts::111122223333:federated-user/Bob`, `AIDAJQABLZS4A3QDU576Q`, `*`], "
              "`Service`: `ecs.amazonaws.com`, `Federated`: `accounts.google.com`, "
              "`CanonicalUser`: `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be`}, "
              "`Action`: `s3:GetObject`, `Resource`: `arn:aws:s3:::b/*`}}");
    EXPECT_NONE(&r);
    const iam_principal *p = &r.p->stmts[0].principal;
    cr_assert(p->present);
    cr_assert(p->any);
    cr_assert_eq(p->n, 11);
    iam_principal_form forms[] = {IAM_PF_ACCOUNT, IAM_PF_ACCOUNT, IAM_PF_USER, IAM_PF_ROLE, IAM_PF_ASSUMED_ROLE,
                                  IAM_PF_FEDERATED_USER, IAM_PF_UNIQUE_ID, IAM_PF_ANY};
    for (size_t i = 0; i < 8; i++) {
        cr_assert_eq(p->v[i].kind, IAM_PK_AWS);
        cr_assert_eq(p->v[i].form, forms[i], "entry %zu (%s): form %d", i, p->v[i].text, p->v[i].form);
    }
    cr_assert_str_eq(p->v[0].norm, "arn:aws:iam::111122223333:root", "account ids normalise to the root ARN");
    cr_assert_str_eq(p->v[0].account, "111122223333");
    cr_assert_str_eq(p->v[1].account, "111122223333");
    cr_assert_str_eq(p->v[2].account, "111122223333");
    cr_assert_str_eq(p->v[2].text, "arn:aws:iam::111122223333:user/path/Bob");
    cr_assert_null(p->v[6].account);
    cr_assert_str_eq(p->v[7].norm, "*");
    cr_assert_eq(p->v[8].kind, IAM_PK_SERVICE);
    cr_assert_eq(p->v[9].kind, IAM_PK_FEDERATED);
    cr_assert_eq(p->v[10].kind, IAM_PK_CANONICAL);
    unsigned l, c;
    locate(&r, "`ecs.amazonaws.com`", 0, &l, &c);
    cr_assert_eq(p->v[8].span.col, c);
    cr_assert_not(r.p->stmts[0].not_principal);
    prun_free(&r);
}

Test(decode, principal_star_forms)
{
    prun r;
    prun_type(&r, RES, "{" V12 "`Statement`: {`Effect`: `Allow`, `Principal`: `*`, `Action`: `s3:GetObject`, `Resource`: `*`}}");
    EXPECT_NONE(&r);
    cr_assert(r.p->stmts[0].principal.any);
    cr_assert_eq(r.p->stmts[0].principal.n, 1);
    cr_assert_eq(r.p->stmts[0].principal.v[0].form, IAM_PF_ANY);
    prun_free(&r);
    prun_type(&r, RES, "{" V12 "`Statement`: {`Effect`: `Deny`, `NotPrincipal`: {`AWS`: [`*`]}, `Action`: `s3:*`, `Resource`: `*`}}");
    EXPECT_NONE(&r);
    cr_assert(r.p->stmts[0].not_principal);
    cr_assert(r.p->stmts[0].principal.any);
    prun_free(&r);
}

Test(decode, condition_operator_split)
{
    prun r;
    prun_type(&r, ID,
              "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`, `Condition`: {"
              "`ForAllValues:StringEqualsIfExists`: {`aws:TagKeys`: [`a`, `b`]},"
              "`ForAnyValue:StringLike`: {`aws:TagKeys`: `x*`},"
              "`DateGreaterThanEquals`: {`aws:CurrentTime`: `2020-01-01T00:00:00Z`},"
              "`NumericLessThanEquals`: {`aws:MultiFactorAuthAge`: 3600},"
              "`Bool`: {`aws:SecureTransport`: true},"
              "`ArnNotLikeIfExists`: {`aws:SourceArn`: `arn:aws:sns:*:111122223333:t`}}}}");
    EXPECT_NONE(&r);
    const iam_statement *s = &r.p->stmts[0];
    cr_assert(s->has_condition);
    cr_assert_eq(s->nconds, 6);
    cr_assert_eq(s->conds[0].setq, IAM_SETQ_FOR_ALL_VALUES);
    cr_assert_eq(s->conds[0].base, IAM_OP_STRING_EQUALS);
    cr_assert(s->conds[0].if_exists);
    cr_assert(s->conds[0].canonical_case);
    cr_assert_str_eq(s->conds[0].keys[0].text, "aws:TagKeys");
    cr_assert_str_eq(s->conds[0].keys[0].folded, "aws:tagkeys");
    cr_assert_eq(s->conds[0].keys[0].folded, s->conds[1].keys[0].folded, "keys are interned");
    cr_assert_eq(s->conds[0].keys[0].values.n, 2);
    cr_assert_eq(s->conds[1].setq, IAM_SETQ_FOR_ANY_VALUE);
    cr_assert_eq(s->conds[1].base, IAM_OP_STRING_LIKE);
    cr_assert_not(s->conds[1].if_exists);
    cr_assert_eq(s->conds[1].keys[0].values.n, 1, "a string value is a one-element list");
    cr_assert_eq(s->conds[2].base, IAM_OP_DATE_GREATER_THAN_EQUALS);
    cr_assert_eq(s->conds[3].base, IAM_OP_NUMERIC_LESS_THAN_EQUALS);
    cr_assert_str_eq(s->conds[3].keys[0].values.v[0].s, "3600", "numbers canonicalised to their text");
    cr_assert_eq(s->conds[4].base, IAM_OP_BOOL);
    cr_assert_str_eq(s->conds[4].keys[0].values.v[0].s, "true", "booleans canonicalised to strings");
    cr_assert_eq(s->conds[5].base, IAM_OP_ARN_NOT_LIKE);
    cr_assert(s->conds[5].if_exists);
    cr_assert(iam_cond_base_negated(IAM_OP_ARN_NOT_LIKE));
    cr_assert_not(iam_cond_base_negated(IAM_OP_ARN_LIKE));
    cr_assert_eq(iam_cond_base_family(IAM_OP_NOT_IP_ADDRESS), IAM_FAM_IP);
    cr_assert_str_eq(iam_cond_base_name(IAM_OP_NULL_CHECK), "Null");
    unsigned l, c;
    locate(&r, "`Bool`", 0, &l, &c);
    cr_assert_eq(s->conds[4].span.col, c);
    prun_free(&r);
}

Test(decode, version_and_variables_flag)
{
    prun r;
    prun_type(&r, ID, "{" V12 "`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}");
    cr_assert(r.p->vars_enabled);
    cr_assert_str_eq(r.p->version, "2012-10-17");
    prun_free(&r);
    prun_type(&r, ID, "{`Version`: `2008-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}");
    cr_assert_not(r.p->vars_enabled);
    EXPECT_NONE(&r);
    prun_free(&r);
    prun_type(&r, ID, "{`Statement`: {`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `*`}}");
    cr_assert_not(r.p->vars_enabled);
    cr_assert_null(r.p->version);
    prun_free(&r);
}

Test(decode, sizes_minified_and_full)
{
    /* full: 36 code points of the document; minified: 31 (whitespace
     * inside strings and escaped quotes kept, "é" one character) */
    prun r;
    prun_type(&r, ID, "{ `Id` : `a b\\`c\xC3\xA9` ,`Statement`:[] }\n");
    cr_assert_eq(r.p->size_full, 36);
    cr_assert_eq(r.p->size_minified, 31);
    cr_assert_str_eq(r.p->id, "a b\"c\xC3\xA9");
    prun_free(&r);
    /* an escaped backslash ends the escape: the quote after it closes the
     * string, so the spaces that follow are outside it */
    prun_type(&r, ID, "{ `Id` : `x\\\\ y` ,`Statement`:[ ] }");
    cr_assert_eq(r.p->size_full, 35);
    cr_assert_eq(r.p->size_minified, 29);
    prun_free(&r);
}

Test(decode, type_and_origin_recorded)
{
    prun r;
    prun_type(&r, IAM_PT_SCP, "{" V12 "`Statement`: {`Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`}}");
    cr_assert_eq(r.p->type, IAM_PT_SCP);
    cr_assert_eq(r.p->type_origin, IAM_TO_FLAG);
    cr_assert_eq(r.p->src, r.src);
    cr_assert_eq(r.p->json, r.doc);
    prun_free(&r);
}

Test(decode, null_options_detect_type)
{
    iam_arena *a = iam_arena_new();
    iam_strtab *names = iam_intern_new();
    const char *t = "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}";
    iam_source *src = iam_source_from_mem("x.json", t, strlen(t));
    iam_diags d;
    iam_diags_init(&d);
    iam_json *doc;
    cr_assert_eq(iam_json_parse(a, src, NULL, &d, &doc), IAM_OK);
    iam_policy *p = iam_policy_decode(a, names, doc, NULL, &d);
    cr_assert_eq(p->type, IAM_PT_RESOURCE);
    cr_assert_eq(p->type_origin, IAM_TO_HEURISTIC);
    cr_assert_not_null(p->type_reason);
    iam_diags_fini(&d);
    iam_source_free(src);
    iam_intern_free(names);
    iam_arena_destroy(a);
}
