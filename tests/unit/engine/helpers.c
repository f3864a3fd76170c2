/* helpers.c - see helpers.h. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

const char *sim(const char *json, unsigned flags)
{
    iam_diags d;
    iam_diags_init(&d);
    iam_source *src = iam_source_from_mem("test.json", json, strlen(json));
    iam_scenario *s = NULL;
    const char *r = "error";
    if (iam_scenario_from_source(src, 0, &d, &s) == IAM_OK) {
        iam_engine_opts o = {flags};
        iam_engine *e = iam_engine_compile(&s->set, &o);
        iam_trace t;
        iam_trace_init(&t);
        iam_decision fast = iam_engine_evaluate(e, &s->req, NULL);
        iam_decision full = iam_engine_evaluate(e, &s->req, &t);
        /* The short-circuit path and the traced path must agree. */
        r = fast == full ? iam_decision_name(full) : "fast-path-disagrees";
        iam_trace_fini(&t);
        iam_engine_free(e);
    } else {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "test.json:%u:%u: %s\n", d.v[i].span.line, d.v[i].span.col, d.v[i].msg);
    }
    iam_scenario_free(s);
    iam_diags_fini(&d);
    return r;
}

bool cond_flags(const char *c, const char *ctx, unsigned flags)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_printf(&b,
                  "{\"name\":\"t\",\"request\":{\"principal\":\"arn:aws:iam::111111111111:user/alice\","
                  "\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::b/k\",\"context\":%s},"
                  "\"identityPolicies\":[{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                  "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":%s}}]}",
                  ctx, c);
    const char *r = sim(b.s, flags);
    iam_sb_free(&b);
    if (strcmp(r, "allow") != 0 && strcmp(r, "implicit-deny") != 0) {
        fprintf(stderr, "cond(%s, %s): %s\n", c, ctx, r);
        abort();
    }
    return strcmp(r, "allow") == 0;
}

bool cond(const char *c, const char *ctx)
{
    return cond_flags(c, ctx, 0);
}

static char *unquote(const char *sq)
{
    char *s = strdup(sq);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

const char *simq(const char *sq, unsigned flags)
{
    char *s = unquote(sq);
    const char *r = sim(s, flags);
    free(s);
    return r;
}

const char *simq_org(const char *sq, bool mgmt_caller, bool mgmt_resource)
{
    char *json = unquote(sq);
    iam_diags d;
    iam_diags_init(&d);
    iam_source *src = iam_source_from_mem("test.json", json, strlen(json));
    iam_scenario *s = NULL;
    const char *r = "error";
    if (iam_scenario_from_source(src, 0, &d, &s) == IAM_OK) {
        s->set.caller_is_management_account = mgmt_caller;
        s->set.resource_is_management_account = mgmt_resource;
        iam_engine *e = iam_engine_compile(&s->set, NULL);
        r = iam_decision_name(iam_engine_evaluate(e, &s->req, NULL));
        iam_engine_free(e);
    }
    iam_scenario_free(s);
    iam_diags_fini(&d);
    free(json);
    return r;
}
