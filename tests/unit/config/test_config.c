/* test_config.c - .iampc.json: keys, located errors, lookup, ignores and
 * severity overrides. */
#include "helpers.h"

#include "analyzer/config.h"

static iam_status parse_text(const char *text, iam_diags *d, iam_config **out, iam_source **src)
{
    *src = iam_source_from_mem(".iampc.json", text, strlen(text));
    return iam_config_parse(*src, d, out);
}

Test(config, defaults_override_nothing)
{
    iam_config *c = iam_config_default();
    for (int i = 0; i < IAM_R_COUNT; i++)
        cr_assert_eq(c->sev_override[i], -1);
    cr_assert_null(c->fail_on);
    cr_assert_eq(c->trusted_accounts.n, 0);
    cr_assert_eq(c->ignore.n, 0);
    cr_assert_not(iam_config_ignored(c, "anything.json"));
    iam_config_free(c);
}

Test(config, every_key_is_read)
{
    const char *text =
        "{\n"
        "  \"rules\": {\"missing-version\": \"off\", \"empty-value\": \"error\", \"policy-type\": \"warning\"},\n"
        "  \"failOn\": \"security\",\n"
        "  \"trustedAccounts\": [\"111122223333\", \"444455556666\", \"111122223333\"],\n"
        "  \"sensitiveActions\": [\"s3:PutBucketPolicy\", \"ec2:*\"],\n"
        "  \"secretActions\": [\"dynamodb:GetItem\"],\n"
        "  \"requiredGuardrails\": [\"ec2:DisableEbsEncryptionByDefault\"],\n"
        "  \"ignore\": [\"corpus/bad/**\", \"*.draft.json\"]\n"
        "}\n";
    iam_diags d;
    iam_diags_init(&d);
    iam_config *c = NULL;
    iam_source *src;
    cr_assert_eq(parse_text(text, &d, &c, &src), IAM_OK);
    cr_assert_eq(d.n, 0);
    cr_assert_eq(c->sev_override[IAM_R_MISSING_VERSION], -2);
    cr_assert_eq(c->sev_override[IAM_R_EMPTY_VALUE], IAM_SEV_ERROR);
    cr_assert_eq(c->sev_override[IAM_R_TYPE_DETECTION], IAM_SEV_WARNING);
    cr_assert_eq(c->sev_override[IAM_R_INVALID_ACTION], -1);
    cr_assert_str_eq(c->fail_on, "security");
    cr_assert_eq(c->trusted_accounts.n, 2, "duplicates are dropped");
    cr_assert(iam_strv_has(&c->trusted_accounts, "444455556666"));
    cr_assert_not(iam_strv_has(&c->trusted_accounts, "999999999999"));
    cr_assert_eq(c->sensitive_actions.n, 2);
    cr_assert_str_eq(c->sensitive_actions.v[1], "ec2:*");
    cr_assert_eq(c->secret_actions.n, 1);
    cr_assert_eq(c->required_guardrails.n, 1);
    cr_assert_eq(c->ignore.n, 2);
    iam_config_free(c);
    iam_source_free(src);
    iam_diags_fini(&d);
}

Test(config, overrides_reach_the_diagnostics_engine)
{
    iam_diags d0;
    iam_diags_init(&d0);
    iam_config *c = NULL;
    iam_source *src;
    cr_assert_eq(parse_text("{\"rules\":{\"missing-version\":\"off\",\"empty-value\":\"security\"}}", &d0, &c, &src),
                 IAM_OK);
    iam_diags d;
    iam_diags_init(&d);
    d.sev_override = c->sev_override;
    iam_span at = {src, 1, 1, 1, 2, 0, 1};
    cr_assert_null(iam_diag_add(&d, IAM_R_MISSING_VERSION, at, "off"));
    const iam_diag *g = iam_diag_add(&d, IAM_R_EMPTY_VALUE, at, "raised");
    cr_assert_not_null(g);
    cr_assert_eq(g->sev, IAM_SEV_SECURITY);
    g = iam_diag_add(&d, IAM_R_INVALID_ACTION, at, "default");
    cr_assert_eq(g->sev, IAM_SEV_ERROR);
    cr_assert_eq(d.n, 2);
    iam_diags_fini(&d);
    iam_config_free(c);
    iam_source_free(src);
    iam_diags_fini(&d0);
}

/* -- located errors ------------------------------------------------------ */

typedef struct bad_case {
    const char *text;
    iam_rule_id rule;
    unsigned line, col;
    const char *msg;
} bad_case;

static const bad_case bad_cases[] = {
    {"{\n  \"failon\": \"error\"\n}", IAM_R_INPUT_ERROR, 2, 3, "unknown key 'failon'; did you mean 'failOn'?"},
    {"{\"colour\": 1}", IAM_R_INPUT_ERROR, 1, 2, "unknown key 'colour' (expected rules"},
    {"{\"rules\": {\"missing-versoin\": \"off\"}}", IAM_R_INPUT_ERROR, 1, 12,
     "unknown rule 'missing-versoin'; did you mean 'missing-version'?"},
    {"{\"rules\": {\"no-such-thing-at-all\": \"off\"}}", IAM_R_INPUT_ERROR, 1, 12, "unknown rule 'no-such-thing-at-all' (see"},
    {"{\"rules\": {\"empty-value\": \"warn\"}}", IAM_R_INPUT_ERROR, 1, 27,
     "unknown setting 'warn' for rule 'empty-value'"},
    {"{\"rules\": {\"empty-value\": \"critical\"}}", IAM_R_INPUT_ERROR, 1, 27, "unknown setting 'critical'"},
    {"{\"rules\": {\"empty-value\": false}}", IAM_R_INPUT_ERROR, 1, 27, "a rule setting must be a string, not boolean"},
    {"{\"rules\": [\"empty-value\"]}", IAM_R_INPUT_ERROR, 1, 11, "'rules' must be an object, not array"},
    {"{\"failOn\": \"fatal\"}", IAM_R_INPUT_ERROR, 1, 12, "'failOn' takes error, security, warning, suggestion or none"},
    {"{\"failOn\": \"off\"}", IAM_R_INPUT_ERROR, 1, 12, "not 'off'"},
    {"{\"trustedAccounts\": [\"11112222333\"]}", IAM_R_INPUT_ERROR, 1, 22, "12-digit AWS account ids, not '11112222333'"},
    {"{\"trustedAccounts\": [\"1111-2222-3333\"]}", IAM_R_INPUT_ERROR, 1, 22, "12-digit"},
    {"{\"trustedAccounts\": [\"11112222333a\"]}", IAM_R_INPUT_ERROR, 1, 22, "12-digit"},
    {"{\"trustedAccounts\": [111122223333]}", IAM_R_INPUT_ERROR, 1, 22, "entries must be strings, not number"},
    {"{\"trustedAccounts\": \"111122223333\"}", IAM_R_INPUT_ERROR, 1, 21, "'trustedAccounts' must be an array"},
    {"{\"sensitiveActions\": [\"PutBucketPolicy\"]}", IAM_R_INPUT_ERROR, 1, 23, "service:name"},
    {"{\"secretActions\": [\"s3 x:Get\"]}", IAM_R_INPUT_ERROR, 1, 20, "service:name"},
    {"{\"requiredGuardrails\": [\"a:b:c\"]}", IAM_R_INPUT_ERROR, 1, 25, "service:name"},
    {"{\"ignore\": [\"\"]}", IAM_R_INPUT_ERROR, 1, 13, "must not be empty"},
    {"[]", IAM_R_INPUT_ERROR, 1, 1, "the config must be a JSON object, not array"},
    {"{\"failOn\": \"error\", \"failOn\": \"none\"}", IAM_R_DUPLICATE_KEY, 1, 21, NULL},
    {"{\"rules\": {,}}", IAM_R_JSON_SYNTAX, 1, 12, NULL},
};

TABLE_PARAMS(config, located_errors, bad_cases)

ParameterizedTest(size_t *ix, config, located_errors)
{
    const bad_case *bc = &bad_cases[*ix];
    iam_diags d;
    iam_diags_init(&d);
    iam_config *c = (iam_config *)1;
    iam_source *src;
    iam_status st = parse_text(bc->text, &d, &c, &src);
    cr_assert_neq(st, IAM_OK, "%s", bc->text);
    cr_assert_null(c);
    const iam_diag *g = find_diag(&d, bc->rule, bc->msg);
    cr_assert_not_null(g, "%s: no %s diagnostic with '%s' (first: %s)", bc->text, iam_rule(bc->rule)->name,
                       bc->msg ? bc->msg : "", d.n ? d.v[0].msg : "none");
    cr_assert_eq(g->sev, IAM_SEV_ERROR);
    cr_assert_eq(g->span.line, bc->line, "%s: line %u", bc->text, g->span.line);
    cr_assert_eq(g->span.col, bc->col, "%s: col %u", bc->text, g->span.col);
    cr_assert_eq(g->span.src, src);
    iam_source_free(src);
    iam_diags_fini(&d);
}

Test(config, every_error_is_reported_at_once)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_config *c;
    iam_source *src;
    cr_assert_eq(parse_text("{\"rules\":{\"x-y\":\"off\",\"empty-value\":\"loud\"},\"failOn\":\"x\",\"z\":[]}", &d, &c,
                            &src),
                 IAM_ERR_SYNTAX);
    cr_assert_eq(d.n, 4);
    iam_source_free(src);
    iam_diags_fini(&d);
}

/* Errors from a file stay renderable after the loader freed its source. */
Test(config, load_errors_outlive_the_loader)
{
    char *dir = scratch_dir();
    put_file(dir, ".iampc.json", "{\n  \"rules\": {\n    \"admin-acess\": \"off\"\n  }\n}\n");
    char *path = join(dir, ".iampc.json");
    iam_diags d;
    iam_diags_init(&d);
    iam_config *c = (iam_config *)1;
    cr_assert_eq(iam_config_load(path, &d, &c), IAM_ERR_SYNTAX);
    cr_assert_null(c);
    cr_assert_eq(d.n, 1);
    const iam_diag *g = &d.v[0];
    cr_assert_eq(g->span.line, 3);
    cr_assert_eq(g->span.col, 5);
    cr_assert_str_eq(g->span.src->path, path);
    size_t len;
    const char *line = iam_source_line((iam_source *)g->span.src, 3, &len);
    cr_assert_not_null(line);
    cr_assert_eq(len, strlen("    \"admin-acess\": \"off\""));
    cr_assert_eq(strncmp(line, "    \"admin-acess\": \"off\"", len), 0);
    iam_diags_fini(&d);
    free(path);
    rm_tree(dir);
    free(dir);
}

Test(config, unreadable_file_is_an_io_error)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_config *c = (iam_config *)1;
    cr_assert_eq(iam_config_load("/nonexistent/dir/.iampc.json", &d, &c), IAM_ERR_IO);
    cr_assert_null(c);
    cr_assert_not_null(find_diag(&d, IAM_R_INPUT_ERROR, "cannot read config"));
    iam_diags_fini(&d);
}

/* -- iam_config_find ------------------------------------------------------ */

Test(config, find_walks_up_to_the_config)
{
    char *dir = scratch_dir();
    put_file(dir, "repo/.iampc.json", "{}");
    put_file(dir, "repo/.git/HEAD", "ref: refs/heads/main\n");
    put_file(dir, "repo/a/b/p.json", "{}");
    char *deep = join(dir, "repo/a/b");
    char *found = iam_config_find(deep);
    cr_assert_not_null(found);
    char *want = join(deep, "../../.iampc.json");
    cr_assert_str_eq(found, want);
    struct stat st;
    cr_assert_eq(stat(found, &st), 0, "the relative spelling must name the file");
    free(found);
    free(want);

    cr_assert_eq(chdir(deep), 0);
    found = iam_config_find(".");
    cr_assert_str_eq(found, "../../.iampc.json");
    free(found);
    char *top = join(dir, "repo");
    cr_assert_eq(chdir(top), 0);
    found = iam_config_find(".");
    cr_assert_str_eq(found, ".iampc.json");
    free(found);
    free(top);
    free(deep);
    rm_tree(dir);
    free(dir);
}

Test(config, find_stops_at_the_git_work_tree)
{
    char *dir = scratch_dir();
    put_file(dir, ".iampc.json", "{}");                 /* outside the repo */
    put_file(dir, "repo/.git/HEAD", "ref: refs/heads/main\n");
    put_file(dir, "repo/sub/p.json", "{}");
    char *sub = join(dir, "repo/sub");
    cr_assert_null(iam_config_find(sub));
    free(sub);
    /* Without a .git the search goes on up. */
    put_file(dir, "plain/sub/p.json", "{}");
    char *plain = join(dir, "plain/sub");
    char *found = iam_config_find(plain);
    cr_assert_not_null(found);
    cr_assert(strstr(found, "../../.iampc.json") != NULL, "%s", found);
    free(found);
    free(plain);
    rm_tree(dir);
    free(dir);
}

/* -- ignores ------------------------------------------------------------- */

typedef struct ign_case {
    const char *rel;
    bool ignored;
} ign_case;

Test(config, ignore_globs_are_relative_to_the_config)
{
    char *dir = scratch_dir();
    put_file(dir, ".iampc.json",
             "{\"ignore\": [\"corpus/bad/**\", \"*.draft.json\", \"generated/\", \"./vendor\", \"policies/tmp-?.json\"]}");
    static const ign_case cases[] = {
        {"corpus/bad/x.json", true},
        {"corpus/bad/deep/er/y.json", true},
        {"corpus/good/x.json", false},
        {"corpus/badness/x.json", false},
        {"policies/a.draft.json", true},
        {"a.draft.json", true},
        {"policies/a.json", false},
        {"generated/out.json", true},
        {"src/generated/out.json", false},
        {"vendor/lib/p.json", true},
        {"policies/tmp-1.json", true},
        {"policies/tmp-12.json", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        put_file(dir, cases[i].rel, "{}");
    char *cfgpath = join(dir, ".iampc.json");
    iam_diags d;
    iam_diags_init(&d);
    iam_config *c = NULL;
    cr_assert_eq(iam_config_load(cfgpath, &d, &c), IAM_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *p = join(dir, cases[i].rel);
        cr_assert_eq(iam_config_ignored(c, p), cases[i].ignored, "%s", cases[i].rel);
        free(p);
    }
    /* Relative input paths are resolved against the working directory. */
    cr_assert_eq(chdir(dir), 0);
    cr_assert(iam_config_ignored(c, "corpus/bad/x.json"));
    cr_assert(iam_config_ignored(c, "./corpus/../corpus/bad/x.json"));
    cr_assert_not(iam_config_ignored(c, "corpus/good/x.json"));
    cr_assert_not(iam_config_ignored(c, "corpus/bad/missing.json"), "only existing files");
    cr_assert_not(iam_config_ignored(c, "-"));
    /* Outside the config's directory nothing is ignored. */
    cr_assert_not(iam_config_ignored(c, "/etc/hostname"));
    iam_config_free(c);
    iam_diags_fini(&d);
    free(cfgpath);
    rm_tree(dir);
    free(dir);
}
