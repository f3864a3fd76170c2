/* sarif.c - `--format sarif`: SARIF 2.1.0 for GitHub code scanning and
 * other SARIF consumers.
 *
 * One run; tool.driver.rules lists every rule of core/rules.def in table
 * order, so ruleIndex is the rule id. Columns are code points (columnKind
 * unicodeCodePoints), matching core/source.h. Relative paths become
 * relative URIs against %SRCROOT% (the directory iampc ran in), so output
 * does not depend on the machine; absolute paths become file:// URIs. */
#include "report/internal.h"

#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define FINGERPRINT_KEY "iampc/v1"
/* GitHub ranks security alerts by this CVSS-like score: >= 7.0 is "high". */
#define SECURITY_SEVERITY "8.0"

static cJSON *obj(void)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        iam_oom("cJSON");
    return o;
}

static cJSON *arr(void)
{
    cJSON *a = cJSON_CreateArray();
    if (!a)
        iam_oom("cJSON");
    return a;
}

static void put(cJSON *o, const char *k, cJSON *v)
{
    if (!v)
        iam_oom("cJSON");
    cJSON_AddItemToObject(o, k, v);
}

static void put_str(cJSON *o, const char *k, const char *s)
{
    put(o, k, rp_json_str(s));
}

static void put_num(cJSON *o, const char *k, double v)
{
    put(o, k, cJSON_CreateNumber(v));
}

/* {"text": s} */
static cJSON *message(const char *s)
{
    cJSON *m = obj();
    put_str(m, "text", s ? s : "");
    return m;
}

static const char *level(iam_severity s)
{
    switch (s) {
    case IAM_SEV_ERROR:
    case IAM_SEV_SECURITY: return "error";
    case IAM_SEV_WARNING: return "warning";
    default: return "note";
    }
}

static int is_security(const iam_rule_info *r)
{
    return r->sev == IAM_SEV_SECURITY || strcmp(r->category, "security") == 0;
}

/* RFC 3986 path: keep unreserved, sub-delims, '@' and '/'; escape the rest
 * (':' too, so a relative first segment can't read as a scheme). */
static void uri_path(iam_strbuf *b, const char *p)
{
    static const char keep[] = "-._~!$&'()*+,;=@/";
    for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
            (*s >= '0' && *s <= '9') || (*s && strchr(keep, *s)))
            iam_sb_putc(b, (char)*s);
        else
            iam_sb_printf(b, "%%%02X", *s);
    }
}

static cJSON *artifact_location(const char *path)
{
    cJSON *a = obj();
    iam_strbuf b = IAM_STRBUF_INIT;
    if (path[0] == '/') {
        iam_sb_puts(&b, "file://");
        uri_path(&b, path);
        put_str(a, "uri", b.s);
    } else {
        while (path[0] == '.' && path[1] == '/')
            path += 2;
        uri_path(&b, path);
        put_str(a, "uri", b.s ? b.s : "");
        put_str(a, "uriBaseId", "%SRCROOT%");
    }
    iam_sb_free(&b);
    return a;
}

/* physicalLocation of a span, or NULL when it names no file. */
static cJSON *physical(const iam_span *sp)
{
    const char *path = rp_path(sp);
    if (!path)
        return NULL;
    cJSON *p = obj();
    put(p, "artifactLocation", artifact_location(path));
    if (sp->line) {
        cJSON *r = obj();
        put_num(r, "startLine", sp->line);
        if (sp->col)
            put_num(r, "startColumn", sp->col);
        if (sp->end_line >= sp->line) {
            put_num(r, "endLine", sp->end_line);
            if (sp->end_col && (sp->end_line > sp->line || sp->end_col >= sp->col))
                put_num(r, "endColumn", sp->end_col);
        }
        put(p, "region", r);
    }
    return p;
}

static cJSON *rule_descriptor(const iam_rule_info *r)
{
    cJSON *o = obj();
    put_str(o, "id", r->name);
    put(o, "shortDescription", message(r->summary));
    iam_strbuf h = IAM_STRBUF_INIT;
    iam_sb_printf(&h, "%s: %s. Category: %s; default severity: %s.", r->name, r->summary,
                  r->category, iam_severity_name(r->sev));
    cJSON *help = message(h.s);
    h.len = 0;
    iam_sb_printf(&h, "**%s**: %s.\n\nCategory: `%s`; default severity: `%s`.", r->name,
                  r->summary, r->category, iam_severity_name(r->sev));
    put_str(help, "markdown", h.s);
    iam_sb_free(&h);
    put(o, "help", help);
    cJSON *cfg = obj();
    put_str(cfg, "level", level(r->sev));
    put(o, "defaultConfiguration", cfg);
    cJSON *props = obj();
    cJSON *tags = arr();
    cJSON_AddItemToArray(tags, rp_json_str(r->category));
    if (is_security(r) && strcmp(r->category, "security") != 0)
        cJSON_AddItemToArray(tags, rp_json_str("security"));
    put(props, "tags", tags);
    put_str(props, "category", r->category);
    put_str(props, "severity", iam_severity_name(r->sev));
    if (is_security(r))
        put_str(props, "security-severity", SECURITY_SEVERITY);
    put(o, "properties", props);
    return o;
}

static cJSON *result(const iam_diag *g, const char *fp)
{
    const iam_rule_info *r = iam_rule(g->rule);
    cJSON *o = obj();
    put_str(o, "ruleId", r ? r->name : "?");
    put_num(o, "ruleIndex", r ? (double)g->rule : -1);
    put_str(o, "level", level(g->sev));
    put(o, "message", message(g->msg));
    cJSON *phys = physical(&g->span);
    if (phys) {
        cJSON *locs = arr(), *loc = obj();
        put(loc, "physicalLocation", phys);
        cJSON_AddItemToArray(locs, loc);
        put(o, "locations", locs);
    }
    if (g->nrelated) {
        cJSON *rel = arr();
        for (size_t k = 0; k < g->nrelated; k++) {
            cJSON *loc = obj();
            put_num(loc, "id", (double)k + 1);
            cJSON *p = physical(&g->related[k].span);
            if (p)
                put(loc, "physicalLocation", p);
            put(loc, "message", message(g->related[k].msg));
            cJSON_AddItemToArray(rel, loc);
        }
        put(o, "relatedLocations", rel);
    }
    cJSON *pf = obj();
    put_str(pf, FINGERPRINT_KEY, fp);
    put(o, "partialFingerprints", pf);
    cJSON *props = obj();
    put_str(props, "severity", iam_severity_name(g->sev));
    if (g->policy_type)
        put_str(props, "policyType", g->policy_type);
    if (g->help)
        put_str(props, "help", g->help);
    put(o, "properties", props);
    return o;
}

int iam_write_sarif(FILE *out, const iam_run *run, const iam_diags *d)
{
    rp_fp *fp = rp_fingerprints(d);
    cJSON *root = obj();
    put_str(root, "$schema", SARIF_SCHEMA);
    put_str(root, "version", "2.1.0");
    cJSON *runs = arr(), *r = obj();
    cJSON_AddItemToArray(runs, r);
    put(root, "runs", runs);

    cJSON *tool = obj(), *driver = obj(), *rules = arr();
    put_str(driver, "name", "iampc");
    put_str(driver, "version", run->tool_version ? run->tool_version : "unknown");
    for (int i = 0; i < IAM_R_COUNT; i++)
        cJSON_AddItemToArray(rules, rule_descriptor(iam_rule((iam_rule_id)i)));
    put(driver, "rules", rules);
    put(tool, "driver", driver);
    put(r, "tool", tool);

    cJSON *inv = arr(), *one = obj();
    put(one, "executionSuccessful", cJSON_CreateTrue());
    cJSON_AddItemToArray(inv, one);
    put(r, "invocations", inv);
    put_str(r, "columnKind", "unicodeCodePoints");

    cJSON *results = arr();
    for (size_t i = 0; i < d->n; i++)
        cJSON_AddItemToArray(results, result(&d->v[i], d->v[i].fingerprint ? d->v[i].fingerprint : fp[i]));
    put(r, "results", results);

    cJSON *props = obj();
    put_num(props, "files", (double)run->files);
    put_num(props, "policies", (double)run->policies);
    put(r, "properties", props);

    int rc = rp_json_emit(out, root);
    cJSON_Delete(root);
    free(fp);
    return rc;
}
