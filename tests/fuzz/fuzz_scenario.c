/* fuzz_scenario.c - scenario files on arbitrary bytes: iam_scenario_from_source
 * (located JSON, request decode, each policy decoded with its position's
 * type, section 4/8 checks), then, when the scenario loads, compile and
 * evaluate it. The same bytes are also loaded as a bulk policy set
 * (IAM_SCENARIO_POLICIES_ONLY) and evaluated against fixed requests of
 * every caller kind.
 *
 * Crashes, sanitizer reports and leaks are the bugs. The aborts are the
 * engine's documented contracts (engine.h, docs/simulate.md):
 *  - a rejected scenario is still handed out and has a located error in
 *    its own source;
 *  - a loaded scenario's request passes iam_request_check;
 *  - the short-circuit and traced evaluations agree, with every option
 *    set off and on;
 *  - the trace is consistent with the decision (scenario-format 7):
 *    an applicable Deny is recorded exactly when the decision is
 *    explicit-deny, an allow has a path, an implicit-deny has path none
 *    or a failed gate. */
#include <stdint.h>
#include <stdlib.h>

#include "core/diag.h"
#include "core/source.h"
#include "engine/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require_position(const iam_diags *d, const iam_source *src)
{
    for (size_t i = 0; i < d->n; i++) {
        const iam_diag *g = &d->v[i];
        if (g->sev == IAM_SEV_ERROR && g->span.src == src && g->span.line >= 1 && g->span.col >= 1)
            return;
    }
    abort();
}

static void check_trace(iam_decision dec, const iam_trace *t)
{
    bool deny = false;
    for (size_t i = 0; i < t->n; i++)
        deny |= t->v[i].applies && t->v[i].effect == IAM_EFFECT_DENY;
    bool failed_gate = false;
    for (size_t k = 0; k < t->ngates; k++)
        failed_gate |= !t->gates[k].passed;
    switch (dec) {
    case IAM_DECISION_EXPLICIT_DENY:
        if (!deny)
            abort();
        break;
    case IAM_DECISION_ALLOW:
        /* a failed boundary or session gate is fine on the resource path
         * when the grant names the caller (scenario-format 6.4) */
        if (deny || t->path == IAM_PATH_NONE)
            abort();
        break;
    default:
        if (deny || (t->path != IAM_PATH_NONE && !failed_gate))
            abort();
        break;
    }
}

/* Both evaluation paths, with and without every option. */
static void evaluate(const iam_policy_set *set, const iam_request *r, iam_trace *t)
{
    static const unsigned flag_sets[] = {0, (1u << 7) - 1};
    for (size_t k = 0; k < sizeof flag_sets / sizeof *flag_sets; k++) {
        iam_engine_opts o = {flag_sets[k]};
        iam_engine *e = iam_engine_compile(set, &o);
        iam_decision fast = iam_engine_evaluate(e, r, NULL);
        iam_decision traced = iam_engine_evaluate(e, r, t);
        if (fast != traced)
            abort();
        if (iam_request_check(r, &(const char *){NULL}))
            check_trace(traced, t);
        iam_engine_free(e);
    }
}

/* Bulk mode: the policies against requests of every caller kind. */
static const iam_ctx_entry ctx[] = {
    {"aws:SourceIp", (const char *const[]){"10.0.0.1"}, 1, false},
    {"aws:PrincipalTag/team", (const char *const[]){"red"}, 1, false},
    {"aws:TagKeys", (const char *const[]){"a", "b"}, 2, true},
    {"aws:MultiFactorAuthPresent", (const char *const[]){"true"}, 1, false},
};
static const iam_request fixed[] = {
    {"arn:aws:iam::111111111111:user/alice", "s3:GetObject", "arn:aws:s3:::b/k", NULL, ctx, 4,
     false},
    {"arn:aws:sts::111111111111:assumed-role/app/s1", "kms:Decrypt",
     "arn:aws:kms:us-east-1:111111111111:key/k1", NULL, ctx, 2, false},
    {"arn:aws:sts::222222222222:assumed-role/x/y", "sts:AssumeRole",
     "arn:aws:iam::111111111111:role/app", NULL, NULL, 0, false},
    {"arn:aws:sts::111111111111:federated-user/bob", "sqs:SendMessage",
     "arn:aws:sqs:us-east-1:111111111111:q", NULL, ctx + 1, 1, false},
    {"*", "s3:GetObject", "arn:aws:s3:::b/k", "111111111111", NULL, 0, false},
    {"s3.amazonaws.com", "sns:Publish", "arn:aws:sns:us-east-1:111111111111:t", NULL, NULL, 0,
     false},
    {"arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/r", "ec2:RunInstances", "*",
     NULL, NULL, 0, true},
};

static void load(const uint8_t *data, size_t size, unsigned flags, iam_trace *t)
{
    iam_source *src = iam_source_from_mem("fuzz.json", (const char *)data, size);
    iam_diags d;
    iam_diags_init(&d);
    iam_scenario *s = NULL;
    iam_status st = iam_scenario_from_source(src, flags, &d, &s);
    if (!s || s->src != src)
        abort(); /* handed out on success and on error (engine.h) */
    if (st != IAM_OK) {
        require_position(&d, src);
    } else if (s->req.principal) {
        if (!iam_request_check(&s->req, &(const char *){NULL}))
            abort();
        evaluate(&s->set, &s->req, t);
    } else {
        if (!(flags & IAM_SCENARIO_POLICIES_ONLY))
            abort(); /* a request is required */
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
            evaluate(&s->set, &fixed[i], t);
    }
    iam_scenario_free(s);
    iam_diags_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iam_trace t;
    iam_trace_init(&t);
    load(data, size, 0, &t);
    load(data, size, IAM_SCENARIO_POLICIES_ONLY, &t);
    iam_trace_fini(&t);
    return 0;
}
