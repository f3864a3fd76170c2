/* test_sarif.c - SARIF 2.1.0 structure: driver rules from rules.def,
 * results with ruleIndex, level, region, relative URIs, fingerprints. */
#include "helpers.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>

static const char POLICY[] =
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "  \"Statement\": [{\"Effect\": \"Alow\"}]\n"
    "}\n";

static cJSON *sarif_of(const iam_diags *d)
{
    iam_run run = quiet_run(1, 1);
    char *out = render(iam_write_sarif, &run, d, NULL);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j, "not JSON: %s", out);
    free(out);
    return j;
}

static cJSON *at(const cJSON *o, const char *path)
{
    /* "a.b.0.c": object keys and array indexes. */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, "."))
        cur = (*tok >= '0' && *tok <= '9') ? cJSON_GetArrayItem(cur, atoi(tok))
                                           : cJSON_GetObjectItemCaseSensitive(cur, tok);
    return (cJSON *)cur;
}

static const char *str_at(const cJSON *o, const char *path)
{
    const cJSON *j = at(o, path);
    cr_assert(cJSON_IsString(j), "%s is not a string", path);
    return j->valuestring;
}

static double num_at(const cJSON *o, const char *path)
{
    const cJSON *j = at(o, path);
    cr_assert(cJSON_IsNumber(j), "%s is not a number", path);
    return j->valuedouble;
}

Test(sarif, header_and_driver_rules_come_from_the_rule_table)
{
    iam_diags d;
    iam_diags_init(&d);
    cJSON *j = sarif_of(&d);
    cr_assert_str_eq(str_at(j, "version"), "2.1.0");
    cr_assert(strstr(str_at(j, "$schema"), "sarif-schema-2.1.0.json"));
    cr_assert_str_eq(str_at(j, "runs.0.tool.driver.name"), "iampc");
    cr_assert_str_eq(str_at(j, "runs.0.tool.driver.version"), "9.9.9");
    cr_assert_str_eq(str_at(j, "runs.0.columnKind"), "unicodeCodePoints");
    cr_assert(cJSON_IsTrue(at(j, "runs.0.invocations.0.executionSuccessful")));
    const cJSON *rules = at(j, "runs.0.tool.driver.rules");
    cr_assert_eq(cJSON_GetArraySize(rules), IAM_R_COUNT);
    for (int i = 0; i < IAM_R_COUNT; i++) {
        const iam_rule_info *r = iam_rule((iam_rule_id)i);
        const cJSON *x = cJSON_GetArrayItem(rules, i);
        cr_assert_str_eq(str_at(x, "id"), r->name);
        cr_assert_str_eq(str_at(x, "shortDescription.text"), r->summary);
        cr_assert(strstr(str_at(x, "help.text"), r->summary));
        cr_assert_str_eq(str_at(x, "properties.category"), r->category);
        const char *lvl = r->sev == IAM_SEV_SUGGESTION ? "note"
                        : r->sev == IAM_SEV_WARNING    ? "warning"
                                                       : "error";
        cr_assert_str_eq(str_at(x, "defaultConfiguration.level"), lvl);
        /* security-severity only on security rules (GitHub ranks by it) */
        cr_assert_eq(at(x, "properties.security-severity") != NULL, r->sev == IAM_SEV_SECURITY);
    }
    cr_assert_eq(cJSON_GetArraySize(at(j, "runs.0.results")), 0);
    cJSON_Delete(j);
    iam_diags_fini(&d);
}

Test(sarif, result_has_rule_index_level_region_and_fingerprint)
{
    iam_source *s = mem_src("./policies/my policy.json", POLICY);
    iam_diags d;
    iam_diags_init(&d);
    iam_diag *g = iam_diag_add(&d, IAM_R_INVALID_EFFECT, span_of(s, "\"Alow\"", 0), "bad effect");
    iam_diag_related(&d, g, span_of(s, "\"Effect\"", 0), "here");
    iam_diag_help(&d, g, "use Allow");
    g->policy_type = "identity";
    iam_diag *w = iam_diag_add(&d, IAM_R_TYPE_DETECTION, span_of(s, "{", 0), "assumed identity");
    w->sev = IAM_SEV_SUGGESTION;
    g = iam_diag_add(&d, IAM_R_MISSING_VERSION, span_of(s, "{", 0), "security now");
    g->sev = IAM_SEV_SECURITY;
    cJSON *j = sarif_of(&d);
    const cJSON *r0 = at(j, "runs.0.results.0");
    cr_assert_str_eq(str_at(r0, "ruleId"), "invalid-effect");
    cr_assert_eq(num_at(r0, "ruleIndex"), IAM_R_INVALID_EFFECT);
    cr_assert_str_eq(str_at(r0, "level"), "error");
    cr_assert_str_eq(str_at(r0, "message.text"), "bad effect");
    const cJSON *pl = at(r0, "locations.0.physicalLocation");
    cr_assert_str_eq(str_at(pl, "artifactLocation.uri"), "policies/my%20policy.json");
    cr_assert_str_eq(str_at(pl, "artifactLocation.uriBaseId"), "%SRCROOT%");
    cr_assert_eq(num_at(pl, "region.startLine"), 3);
    cr_assert_eq(num_at(pl, "region.startColumn"), 28);
    cr_assert_eq(num_at(pl, "region.endLine"), 3);
    cr_assert_eq(num_at(pl, "region.endColumn"), 34);
    cr_assert_eq(num_at(r0, "relatedLocations.0.id"), 1);
    cr_assert_str_eq(str_at(r0, "relatedLocations.0.message.text"), "here");
    cr_assert_eq(num_at(r0, "relatedLocations.0.physicalLocation.region.startColumn"), 18);
    cr_assert_eq(strlen(str_at(r0, "partialFingerprints.iampc/v1")), IAM_FINGERPRINT_LEN);
    cr_assert_str_eq(str_at(r0, "properties.policyType"), "identity");
    cr_assert_str_eq(str_at(r0, "properties.help"), "use Allow");
    cr_assert_str_eq(str_at(j, "runs.0.results.1.level"), "note");
    cr_assert_str_eq(str_at(j, "runs.0.results.2.level"), "error");
    cr_assert_str_eq(str_at(j, "runs.0.results.2.properties.severity"), "security");
    cJSON_Delete(j);
    iam_diags_fini(&d);
    iam_source_free(s);
}

Test(sarif, absolute_paths_become_file_uris_and_odd_names_are_escaped)
{
    iam_source *a = mem_src("/tmp/x:y/p\xc3\xa9.json", "{}");
    iam_source *b = mem_src("<stdin>", "{}");
    iam_diags d;
    iam_diags_init(&d);
    iam_diag_add(&d, IAM_R_MISSING_VERSION, span_of(a, "{", 0), "a");
    iam_diag_add(&d, IAM_R_MISSING_VERSION, span_of(b, "{", 0), "b");
    iam_span none = {0};
    iam_diag_add(&d, IAM_R_INPUT_ERROR, none, "no file at all");
    cJSON *j = sarif_of(&d);
    const cJSON *r = at(j, "runs.0.results");
    cr_assert_str_eq(str_at(r, "0.locations.0.physicalLocation.artifactLocation.uri"),
                     "file:///tmp/x%3Ay/p%C3%A9.json");
    cr_assert_null(at(r, "0.locations.0.physicalLocation.artifactLocation.uriBaseId"));
    cr_assert_str_eq(str_at(r, "1.locations.0.physicalLocation.artifactLocation.uri"),
                     "%3Cstdin%3E");
    cr_assert_null(at(r, "2.locations"));
    cJSON_Delete(j);
    iam_diags_fini(&d);
    iam_source_free(a);
    iam_source_free(b);
}
