/* test_gaad.c - `aws iam get-account-authorization-details` input: shape
 * detection, principals with every applicable policy, default versions
 * only, URL-encoded documents, and located container errors. */
#include "helpers.h"

#include "analyzer/gaad.h"
#include "core/intern.h"

#define CORPUS IAM_SOURCE_DIR "/corpus/gaad/account-authorization.json"

typedef struct loaded {
    iam_source *src;
    iam_arena *a;
    iam_strtab *names;
    iam_diags d;
    iam_json *doc;
    iam_gaad g;
    iam_status st;
} loaded;

static void load_src(loaded *l, iam_source *src)
{
    memset(l, 0, sizeof *l);
    l->src = src;
    l->a = iam_arena_new();
    l->names = iam_intern_new();
    iam_diags_init(&l->d);
    cr_assert_eq(iam_json_parse(l->a, l->src, NULL, &l->d, &l->doc), IAM_OK);
    l->st = iam_gaad_load(l->a, l->names, l->doc, &l->d, &l->g);
}

static void load_text(loaded *l, const char *text)
{
    load_src(l, iam_source_from_mem("gaad.json", text, strlen(text)));
}

static void unload(loaded *l)
{
    for (size_t i = 0; i < l->g.nextra; i++)
        iam_source_free(l->g.extra_sources[i]);
    iam_diags_fini(&l->d);
    iam_intern_free(l->names);
    iam_arena_destroy(l->a);
    iam_source_free(l->src);
}

static const iam_principal_group *principal(const loaded *l, const char *name)
{
    for (size_t i = 0; i < l->g.nprincipals; i++)
        if (strcmp(l->g.principals[i].name, name) == 0)
            return &l->g.principals[i];
    cr_assert_fail("no principal %s", name);
    return NULL;
}

/* A policy of p's list whose first statement has this Sid. */
static bool has_sid(const iam_policy *const *v, size_t n, const char *sid)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < v[i]->nstmts; k++)
            if (v[i]->stmts[k].sid && strcmp(v[i]->stmts[k].sid, sid) == 0)
                return true;
    return false;
}

static bool has_action(const iam_policy *const *v, size_t n, const char *folded)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < v[i]->nstmts; k++)
            for (size_t j = 0; j < v[i]->stmts[k].nactions; j++)
                if (strcmp(v[i]->stmts[k].actions[j].folded, folded) == 0)
                    return true;
    return false;
}

/* 1-based line of the first occurrence of needle in src. */
static uint32_t line_of(const iam_source *src, const char *needle)
{
    const char *p = strstr(src->data, needle);
    cr_assert_not_null(p, "%s", needle);
    uint32_t line = 1;
    for (const char *s = src->data; s < p; s++)
        line += *s == '\n';
    return line;
}

Test(gaad, detects_the_shape)
{
    static const struct {
        const char *text;
        bool gaad;
    } cases[] = {
        {"{\"UserDetailList\": []}", true},
        {"{\"RoleDetailList\": [], \"IsTruncated\": false}", true},
        {"{\"Policies\": []}", true},
        {"{\"GroupDetailList\": [], \"Marker\": \"x\"}", true},
        {"{\"Policies\": {}}", false},
        {"{\"Version\": \"2012-10-17\", \"Statement\": []}", false},
        {"{\"Statement\": [], \"Policies\": []}", false},
        {"[]", false},
        {"{}", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        iam_source *src = iam_source_from_mem("t.json", cases[i].text, strlen(cases[i].text));
        iam_arena *a = iam_arena_new();
        iam_diags d;
        iam_diags_init(&d);
        iam_json *doc = NULL;
        cr_assert_eq(iam_json_parse(a, src, NULL, &d, &doc), IAM_OK);
        cr_assert_eq(iam_gaad_detect(doc), cases[i].gaad, "%s", cases[i].text);
        iam_diags_fini(&d);
        iam_arena_destroy(a);
        iam_source_free(src);
    }
    cr_assert_not(iam_gaad_detect(NULL));
}

Test(gaad, corpus_principals_get_every_policy)
{
    loaded l;
    const char *err = NULL;
    iam_source *src = iam_source_read(CORPUS, 0, &err);
    cr_assert_not_null(src, "%s: %s", CORPUS, err);
    load_src(&l, src);
    cr_assert_eq(l.st, IAM_OK);
    cr_assert_eq(l.d.n, 0, "first: %s", l.d.n ? l.d.v[0].msg : "");
    cr_assert_eq(l.g.nprincipals, 4);

    /* 6 managed (default versions) + 3 inline + 2 trust policies. */
    cr_assert_eq(l.g.npolicies, 11);

    const iam_principal_group *alice = principal(&l, "user/alice");
    cr_assert_eq(alice->kind, IAM_GROUP_USER);
    cr_assert(alice->human);
    cr_assert_str_eq(alice->arn, "arn:aws:iam::111122223333:user/alice");
    cr_assert_eq(alice->span.line, line_of(src, "\"alice\""));
    /* inline + DeployPolicy + the Developers group's inline, LegacyAudit
     * and IAMUserChangePassword */
    cr_assert_eq(alice->nidentity, 5);
    cr_assert(has_sid(alice->identity, alice->nidentity, "PassAnyRole"));
    cr_assert(has_sid(alice->identity, alice->nidentity, "DeployEcs"));
    cr_assert(has_sid(alice->identity, alice->nidentity, "ReadArtifacts"));
    cr_assert(has_sid(alice->identity, alice->nidentity, "AuditRead"));
    cr_assert(has_action(alice->identity, alice->nidentity, "iam:changepassword"));
    cr_assert_null(alice->boundary);
    cr_assert_null(alice->trust);

    /* Only the default version (v3) of DeployPolicy is in force. */
    cr_assert_not(has_sid(alice->identity, alice->nidentity, "OldDeployEverything"));
    cr_assert_not(has_action(alice->identity, alice->nidentity, "*"));
    cr_assert_not(has_sid(l.g.policies, l.g.npolicies, "OldDeployEverything"));

    const iam_principal_group *bob = principal(&l, "user/contractors/bob");
    /* Attached directly and through the group: counted once. */
    cr_assert_eq(bob->nidentity, 3);
    cr_assert_not_null(bob->boundary);
    cr_assert_eq(bob->boundary->type, IAM_PT_BOUNDARY);
    cr_assert(has_sid(&bob->boundary, 1, "NoIamChanges"));

    const iam_principal_group *org = principal(&l, "role/OrganizationAccountAccessRole");
    cr_assert_eq(org->kind, IAM_GROUP_ROLE);
    cr_assert_not_null(org->trust);
    cr_assert_eq(org->trust->type, IAM_PT_TRUST);
    cr_assert_eq(org->trust->type_origin, IAM_TO_CONTEXT);
    cr_assert_eq(org->nidentity, 1);
    cr_assert(has_action(org->identity, 1, "*"));

    const iam_principal_group *gh = principal(&l, "role/service-role/github-deploy");
    cr_assert_eq(gh->nidentity, 2);
    cr_assert_eq(gh->boundary, bob->boundary, "one decoded boundary, shared");
    cr_assert_not_null(gh->trust);
    cr_assert_eq(gh->trust->stmts[0].principal.v[0].kind, IAM_PK_FEDERATED);

    /* Spans point into the GAAD file. */
    const iam_policy *pass = NULL;
    for (size_t i = 0; i < alice->nidentity; i++)
        if (alice->identity[i]->nstmts && alice->identity[i]->stmts[0].sid &&
            strcmp(alice->identity[i]->stmts[0].sid, "PassAnyRole") == 0)
            pass = alice->identity[i];
    cr_assert_not_null(pass);
    cr_assert_eq(pass->src, src);
    cr_assert_eq(pass->type, IAM_PT_IDENTITY);
    cr_assert_eq(pass->stmts[0].sid_span.line, line_of(src, "\"PassAnyRole\""));

    /* Every policy is listed once. */
    for (size_t i = 0; i < l.g.npolicies; i++)
        for (size_t k = i + 1; k < l.g.npolicies; k++)
            cr_assert_neq(l.g.policies[i], l.g.policies[k]);
    /* The unattached managed policy is still decoded (and validated). */
    cr_assert(has_action(l.g.policies, l.g.npolicies, "ec2:deletesnapshot"));
    unload(&l);
}

Test(gaad, url_encoded_documents_get_their_own_source)
{
    loaded l;
    const char *err = NULL;
    load_src(&l, iam_source_read(CORPUS, 0, &err));
    cr_assert_eq(l.g.nextra, 1);
    const iam_source *x = l.g.extra_sources[0];
    cr_assert_str_eq(x->path, CORPUS "#arn:aws:iam::111122223333:policy/LegacyAudit");
    cr_assert(strncmp(x->data, "{\n    \"Version\": \"2012-10-17\"", 29) == 0, "%.40s", x->data);
    const iam_policy *legacy = NULL;
    for (size_t i = 0; i < l.g.npolicies; i++)
        if (l.g.policies[i]->src == x)
            legacy = l.g.policies[i];
    cr_assert_not_null(legacy);
    cr_assert_str_eq(legacy->stmts[0].sid, "AuditRead");
    cr_assert_eq(legacy->stmts[0].nactions, 3);
    /* Positions are inside the decoded document. */
    cr_assert_eq(legacy->stmts[0].sid_span.line, 5);
    unload(&l);
}

Test(gaad, default_version_by_id_and_plain_string_documents)
{
    loaded l;
    load_text(&l,
              "{\"Policies\": [{\"Arn\": \"arn:aws:iam::111122223333:policy/P\", \"DefaultVersionId\": \"v2\",\n"
              " \"PolicyVersionList\": [\n"
              "  {\"VersionId\": \"v1\", \"Document\": {\"Version\": \"2012-10-17\", \"Statement\": "
              "[{\"Sid\": \"Old\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}},\n"
              "  {\"VersionId\": \"v2\", \"Document\": \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": "
              "[{\\\"Sid\\\": \\\"New\\\", \\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:GetObject\\\", "
              "\\\"Resource\\\": \\\"*\\\"}]}\"}\n"
              " ]}]}\n");
    cr_assert_eq(l.st, IAM_OK, "%s", l.d.n ? l.d.v[0].msg : "");
    cr_assert_eq(l.g.npolicies, 1);
    cr_assert_str_eq(l.g.policies[0]->stmts[0].sid, "New");
    cr_assert_eq(l.g.nextra, 1);
    unload(&l);
}

Test(gaad, container_errors_are_located)
{
    loaded l;
    load_text(&l,
              "{\n"
              "  \"UserDetailList\": [\n"
              "    {\"UserName\": \"u\", \"UserPolicyList\": [{\"PolicyName\": \"nodoc\"}]},\n"
              "    {\"UserName\": \"v\", \"UserPolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": \"%7B%ZZ\"}]},\n"
              "    {\"UserName\": \"w\", \"UserPolicyList\": [{\"PolicyName\": \"q\", \"PolicyDocument\": 42}]},\n"
              "    {\"UserName\": \"x\", \"UserPolicyList\": [{\"PolicyName\": \"r\", \"PolicyDocument\": \"%7B%22Version%22\"}]}\n"
              "  ],\n"
              "  \"RoleDetailList\": {}\n"
              "}\n");
    cr_assert_eq(l.st, IAM_ERR_SYNTAX);
    const iam_diag *g = find_diag(&l.d, IAM_R_INPUT_ERROR, "inline policy 'nodoc' has no PolicyDocument");
    cr_assert_not_null(g);
    cr_assert_eq(g->span.line, 3);
    g = find_diag(&l.d, IAM_R_INPUT_ERROR, "malformed URL encoding at offset 3");
    cr_assert_not_null(g);
    cr_assert_eq(g->span.line, 4);
    g = find_diag(&l.d, IAM_R_INPUT_ERROR, "must be an object or a URL-encoded JSON string, not number");
    cr_assert_not_null(g);
    cr_assert_eq(g->span.line, 5);
    /* Truncated document: a JSON error inside the decoded text. */
    g = find_diag(&l.d, IAM_R_JSON_SYNTAX, NULL);
    cr_assert_not_null(g);
    cr_assert_str_eq(g->span.src->path, "gaad.json#x#r");
    g = find_diag(&l.d, IAM_R_INPUT_ERROR, "'RoleDetailList' must be an array, not object");
    cr_assert_not_null(g);
    cr_assert_eq(g->span.line, 8);
    /* What was understood is still returned. */
    cr_assert_eq(l.g.nprincipals, 4);
    unload(&l);
}
