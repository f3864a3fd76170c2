/* simulate_output.c - rendering for `iampc simulate` (simulate_output.h).
 * The JSON forms follow scenario-format.md section 7; the field names and
 * order are golden-tested (tests/simulate/golden). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/simulate_output.h"

/* ==== diagnostics and traces ============================================= */

void sim_print_diags(const iam_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const iam_diag *g = &d->v[i];
        const char *path = g->span.src ? g->span.src->path : "iampc";
        if (g->span.line)
            fprintf(stderr, "%s:%u:%u: %s[%s]: %s\n", path, g->span.line, g->span.col,
                    iam_severity_name(g->sev), iam_rule(g->rule)->name, g->msg);
        else
            fprintf(stderr, "%s: %s[%s]: %s\n", path, iam_severity_name(g->sev),
                    iam_rule(g->rule)->name, g->msg);
    }
}

static void policy_name(iam_strbuf *b, const iam_stmt_result *r)
{
    switch (r->layer) {
    case IAM_LAYER_IDENTITY: iam_sb_printf(b, "identityPolicies[%u]", r->policy); break;
    case IAM_LAYER_SCP: iam_sb_printf(b, "scps[%u][%u]", r->level, r->policy); break;
    case IAM_LAYER_RCP: iam_sb_printf(b, "rcps[%u][%u]", r->level, r->policy); break;
    default: iam_sb_puts(b, iam_layer_name(r->layer)); break;
    }
}

static const char *const miss_names[] = {"applies", "action", "resource", "principal",
                                         "condition"};
static const char *const grant_names[] = {"none", "account", "entity", "direct"};

static void json_stmt(iam_strbuf *b, const iam_stmt_result *r, bool detail)
{
    iam_strbuf n = IAM_STRBUF_INIT;
    policy_name(&n, r);
    iam_sb_puts(b, "{\"policy\":");
    iam_sb_json_str(b, n.s, n.len);
    iam_sb_printf(b, ",\"statement\":%u", r->stmt);
    if (r->src && r->src->sid) {
        iam_sb_puts(b, ",\"sid\":");
        iam_sb_json_str(b, r->src->sid, strlen(r->src->sid));
    }
    iam_sb_printf(b, ",\"effect\":\"%s\"", r->effect == IAM_EFFECT_DENY ? "Deny" : "Allow");
    if (r->layer == IAM_LAYER_RESOURCE && r->applies)
        iam_sb_printf(b, ",\"grant\":\"%s\"", grant_names[r->grant]);
    if (detail) {
        iam_sb_printf(b, ",\"result\":\"%s\"", r->applies ? "applies" : miss_names[r->miss]);
        if (r->miss == IAM_MISS_CONDITION && r->cond) {
            iam_sb_puts(b, ",\"operator\":");
            iam_sb_json_str(b, r->cond->text, strlen(r->cond->text));
            if (r->key) {
                iam_sb_puts(b, ",\"key\":");
                iam_sb_json_str(b, r->key->text, strlen(r->key->text));
            }
            iam_sb_puts(b, ",\"value\":");
            if (r->value)
                iam_sb_json_str(b, r->value, strlen(r->value));
            else
                iam_sb_puts(b, "null");
        }
    }
    iam_sb_putc(b, '}');
    iam_sb_free(&n);
}

static bool gate_covers(const iam_gate *g, const iam_stmt_result *r)
{
    if (!r->applies || r->effect != IAM_EFFECT_ALLOW)
        return false;
    switch (g->kind) {
    case IAM_GATE_SCP_LEVEL: return r->layer == IAM_LAYER_SCP && r->level == g->level;
    case IAM_GATE_BOUNDARY: return r->layer == IAM_LAYER_BOUNDARY;
    case IAM_GATE_SESSION: return r->layer == IAM_LAYER_SESSION;
    case IAM_GATE_VPCE: return r->layer == IAM_LAYER_VPCE;
    default: return r->layer == IAM_LAYER_RESOURCE;
    }
}

static void gate_name(iam_strbuf *b, const iam_gate *g)
{
    switch (g->kind) {
    case IAM_GATE_SCP_LEVEL: iam_sb_printf(b, "scps[%u]", g->level); break;
    case IAM_GATE_BOUNDARY: iam_sb_puts(b, "permissionBoundary"); break;
    case IAM_GATE_SESSION: iam_sb_puts(b, "sessionPolicy"); break;
    case IAM_GATE_VPCE: iam_sb_puts(b, "vpcEndpointPolicy"); break;
    default: iam_sb_puts(b, "resourcePolicyAccountGrant"); break;
    }
}

static void json_trace(iam_strbuf *b, const iam_trace *t, bool detail)
{
    iam_sb_puts(b, "{\"denies\":[");
    bool first = true;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].applies && t->v[i].effect == IAM_EFFECT_DENY) {
            iam_sb_puts(b, first ? "" : ",");
            json_stmt(b, &t->v[i], false);
            first = false;
        }
    iam_sb_puts(b, "],\"grants\":[");
    first = true;
    for (size_t i = 0; i < t->n; i++) {
        const iam_stmt_result *r = &t->v[i];
        if (r->applies && r->effect == IAM_EFFECT_ALLOW
            && (r->layer == IAM_LAYER_IDENTITY || r->layer == IAM_LAYER_RESOURCE)) {
            iam_sb_puts(b, first ? "" : ",");
            json_stmt(b, r, false);
            first = false;
        }
    }
    iam_sb_puts(b, "],\"gates\":[");
    for (size_t k = 0; k < t->ngates; k++) {
        const iam_gate *g = &t->gates[k];
        iam_strbuf n = IAM_STRBUF_INIT;
        gate_name(&n, g);
        iam_sb_puts(b, k ? ",{\"gate\":" : "{\"gate\":");
        iam_sb_json_str(b, n.s, n.len);
        iam_sb_free(&n);
        iam_sb_printf(b, ",\"passed\":%s,\"by\":[", g->passed ? "true" : "false");
        first = true;
        for (size_t i = 0; i < t->n; i++)
            if (gate_covers(g, &t->v[i])) {
                iam_sb_puts(b, first ? "" : ",");
                json_stmt(b, &t->v[i], false);
                first = false;
            }
        iam_sb_puts(b, "]}");
    }
    iam_sb_printf(b, "],\"path\":\"%s\"", iam_path_name(t->path));
    if (detail) {
        iam_sb_printf(b, ",\"caller\":\"%s\",\"sameAccount\":%s,\"statements\":[",
                      iam_caller_kind_name(t->caller.kind), t->same_account ? "true" : "false");
        for (size_t i = 0; i < t->n; i++) {
            iam_sb_puts(b, i ? "," : "");
            json_stmt(b, &t->v[i], true);
        }
        iam_sb_putc(b, ']');
    }
    iam_sb_putc(b, '}');
}

static void text_trace(iam_strbuf *b, const iam_trace *t)
{
    iam_sb_printf(b, "  caller %s, %s account, path %s\n", iam_caller_kind_name(t->caller.kind),
                  t->same_account ? "same" : "other", iam_path_name(t->path));
    for (size_t i = 0; i < t->n; i++) {
        const iam_stmt_result *r = &t->v[i];
        iam_sb_puts(b, r->applies ? (r->effect == IAM_EFFECT_DENY ? "  deny  " : "  allow ")
                                  : "  skip  ");
        policy_name(b, r);
        iam_sb_printf(b, " statement %u", r->stmt);
        if (r->src && r->src->sid)
            iam_sb_printf(b, " (%s)", r->src->sid);
        if (r->applies && r->layer == IAM_LAYER_RESOURCE)
            iam_sb_printf(b, ": grant to %s", grant_names[r->grant]);
        else if (!r->applies)
            iam_sb_printf(b, ": %s does not match", miss_names[r->miss]);
        if (r->miss == IAM_MISS_CONDITION && r->cond) {
            iam_sb_printf(b, " (%s", r->cond->text);
            if (r->key)
                iam_sb_printf(b, " %s", r->key->text);
            if (!r->value)
                iam_sb_puts(b, ": key absent");
            else
                iam_sb_printf(b, ": request value%s '%s'", r->value_multi ? "s start" : "",
                              r->value);
            iam_sb_putc(b, ')');
        }
        iam_sb_putc(b, '\n');
    }
    for (size_t k = 0; k < t->ngates; k++) {
        iam_sb_puts(b, "  gate  ");
        gate_name(b, &t->gates[k]);
        iam_sb_puts(b, t->gates[k].passed ? " passed\n" : " FAILED\n");
    }
}

/* ==== results ============================================================= */

int sim_emit_result(iam_strbuf *b, const char *path, const char *name, int expect,
                    iam_decision dec, const iam_trace *t, const sim_opts *o)
{
    const char *dn = iam_decision_name(dec);
    bool mismatch = expect >= 0 && (iam_decision)expect != dec;
    if (o->json) {
        iam_sb_puts(b, "{\"file\":");
        iam_sb_json_str(b, path, strlen(path));
        if (name) {
            iam_sb_puts(b, ",\"name\":");
            iam_sb_json_str(b, name, strlen(name));
        }
        iam_sb_printf(b, ",\"decision\":\"%s\"", dn);
        if (expect >= 0)
            iam_sb_printf(b, ",\"expect\":\"%s\",\"match\":%s",
                          iam_decision_name((iam_decision)expect), mismatch ? "false" : "true");
        iam_sb_puts(b, ",\"trace\":");
        json_trace(b, t, o->explain);
        iam_sb_puts(b, "}\n");
    } else {
        iam_sb_printf(b, "%s: %s", path, dn);
        if (mismatch)
            iam_sb_printf(b, " (expected %s: MISMATCH)", iam_decision_name((iam_decision)expect));
        iam_sb_putc(b, '\n');
        if (o->explain)
            text_trace(b, t);
    }
    return mismatch ? IAM_EXIT_FINDINGS : IAM_EXIT_OK;
}

/* ==== bulk mode =========================================================== */

char *sim_render_bulk_trace(void *ud, const iam_bulk_item *it, size_t index, const iam_trace *t)
{
    const sim_opts *o = ud;
    (void)it;
    (void)index;
    iam_strbuf b = IAM_STRBUF_INIT;
    if (o->json)
        json_trace(&b, t, true);
    else
        text_trace(&b, t);
    return b.s; /* malloc'd, owned by the item now */
}

int sim_bulk_print(const iam_bulk_item *it, size_t n, size_t first, const sim_opts *o)
{
    int rc = IAM_EXIT_OK;
    iam_strbuf b = IAM_STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (!it[i].text)
            continue; /* blank line */
        if (it[i].decision < 0) {
            fprintf(stderr, "%s\n", it[i].error);
            if (o->json)
                iam_sb_printf(&b, "{\"line\":%zu,\"error\":true}\n", first + i + 1);
            else
                iam_sb_printf(&b, "%zu: error\n", first + i + 1);
            rc = IAM_EXIT_ERROR;
            continue;
        }
        const char *dn = iam_decision_name((iam_decision)it[i].decision);
        bool mismatch = it[i].expect >= 0 && it[i].expect != it[i].decision;
        if (mismatch && rc == IAM_EXIT_OK)
            rc = IAM_EXIT_FINDINGS;
        const char *en = it[i].expect >= 0 ? iam_decision_name((iam_decision)it[i].expect) : "";
        if (o->json) {
            iam_sb_printf(&b, "{\"line\":%zu,\"decision\":\"%s\"", first + i + 1, dn);
            if (it[i].expect >= 0)
                iam_sb_printf(&b, ",\"expect\":\"%s\",\"match\":%s", en,
                              mismatch ? "false" : "true");
            if (it[i].rendered) {
                iam_sb_puts(&b, ",\"trace\":");
                iam_sb_puts(&b, it[i].rendered);
            }
            iam_sb_puts(&b, "}\n");
        } else {
            if (mismatch)
                iam_sb_printf(&b, "%zu: %s (expected %s: MISMATCH)\n", first + i + 1, dn, en);
            else
                iam_sb_printf(&b, "%zu: %s\n", first + i + 1, dn);
            if (it[i].rendered)
                iam_sb_puts(&b, it[i].rendered);
        }
        if (b.len > (1u << 16)) {
            fwrite(b.s, 1, b.len, stdout);
            b.len = 0;
        }
    }
    if (b.len)
        fwrite(b.s, 1, b.len, stdout);
    iam_sb_free(&b);
    return rc;
}

