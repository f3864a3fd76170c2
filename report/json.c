/* json.c - `--format json`: one document, schema version 1 (docs/output.md).
 *
 * Additive changes (a new optional field) keep "version": 1; renaming or
 * removing a field, or changing a field's meaning, bumps it. */
#include "report/internal.h"

#include <stdlib.h>

#define JSON_SCHEMA_VERSION 1

static void add_num(cJSON *o, const char *k, double v)
{
    if (!cJSON_AddNumberToObject(o, k, v))
        iam_oom("cJSON");
}

static void add_item(cJSON *o, const char *k, cJSON *v)
{
    if (!v)
        iam_oom("cJSON");
    cJSON_AddItemToObject(o, k, v);
}

/* file/line/column/endLine/endColumn of a span; null file when it has none,
 * positions left out when unknown (0). */
static void add_span(cJSON *o, const iam_span *sp)
{
    add_item(o, "file", rp_json_str(rp_path(sp)));
    if (!sp->line)
        return;
    add_num(o, "line", sp->line);
    if (sp->col)
        add_num(o, "column", sp->col);
    if (sp->end_line) {
        add_num(o, "endLine", sp->end_line);
        if (sp->end_col)
            add_num(o, "endColumn", sp->end_col);
    }
}

static cJSON *summary(const iam_run *run, const iam_diags *d)
{
    size_t c[IAM_SEV_COUNT];
    iam_report_counts(d, c);
    cJSON *s = cJSON_CreateObject();
    if (!s)
        iam_oom("cJSON");
    add_num(s, "files", (double)run->files);
    add_num(s, "policies", (double)run->policies);
    add_num(s, "findings", (double)d->n);
    add_num(s, "errors", (double)c[IAM_SEV_ERROR]);
    add_num(s, "security", (double)c[IAM_SEV_SECURITY]);
    add_num(s, "warnings", (double)c[IAM_SEV_WARNING]);
    add_num(s, "suggestions", (double)c[IAM_SEV_SUGGESTION]);
    if (run->fail_on)
        add_item(s, "failOn", rp_json_str(run->fail_on));
    if (run->timing)
        add_num(s, "seconds", run->seconds);
    return s;
}

static cJSON *finding(const iam_diag *g, const char *fp)
{
    const iam_rule_info *r = iam_rule(g->rule);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        iam_oom("cJSON");
    add_item(o, "rule", rp_json_str(r ? r->name : "?"));
    add_item(o, "severity", rp_json_str(iam_severity_name(g->sev)));
    add_item(o, "category", rp_json_str(r ? r->category : NULL));
    add_item(o, "message", rp_json_str(g->msg ? g->msg : ""));
    add_span(o, &g->span);
    add_item(o, "policyType", rp_json_str(g->policy_type));
    if (g->help)
        add_item(o, "help", rp_json_str(g->help));
    if (g->nrelated) {
        cJSON *rel = cJSON_AddArrayToObject(o, "related");
        if (!rel)
            iam_oom("cJSON");
        for (size_t k = 0; k < g->nrelated; k++) {
            cJSON *x = cJSON_CreateObject();
            if (!x)
                iam_oom("cJSON");
            add_item(x, "message", rp_json_str(g->related[k].msg ? g->related[k].msg : ""));
            add_span(x, &g->related[k].span);
            cJSON_AddItemToArray(rel, x);
        }
    }
    add_item(o, "fingerprint", rp_json_str(fp));
    return o;
}

int iam_write_json(FILE *out, const iam_run *run, const iam_diags *d)
{
    rp_fp *fp = rp_fingerprints(d);
    cJSON *root = cJSON_CreateObject();
    if (!root)
        iam_oom("cJSON");
    add_num(root, "version", JSON_SCHEMA_VERSION);
    cJSON *tool = cJSON_CreateObject();
    if (!tool)
        iam_oom("cJSON");
    add_item(tool, "name", rp_json_str("iampc"));
    add_item(tool, "version", rp_json_str(run->tool_version ? run->tool_version : "unknown"));
    add_item(root, "tool", tool);
    add_item(root, "summary", summary(run, d));
    cJSON *arr = cJSON_AddArrayToObject(root, "findings");
    if (!arr)
        iam_oom("cJSON");
    for (size_t i = 0; i < d->n; i++) {
        const iam_diag *g = &d->v[i];
        cJSON_AddItemToArray(arr, finding(g, g->fingerprint ? g->fingerprint : fp[i]));
    }
    int rc = rp_json_emit(out, root);
    cJSON_Delete(root);
    free(fp);
    return rc;
}
