/* dump.c - the IR as JSON, for `iampc parse --dump-ir` and tests. The
 * shape mirrors policy.h; spans are "line:col-endline:endcol". */
#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "policy/policy.h"

static void span(iam_strbuf *b, iam_span s)
{
    iam_sb_printf(b, "\"%u:%u-%u:%u\"", s.line, s.col, s.end_line, s.end_col);
}

static void str(iam_strbuf *b, const char *s)
{
    if (s)
        iam_sb_json_str(b, s, strlen(s));
    else
        iam_sb_puts(b, "null");
}

static void strlist(iam_strbuf *b, const iam_strlist *l, const char *ind)
{
    iam_sb_puts(b, "[");
    for (size_t i = 0; i < l->n; i++) {
        iam_sb_printf(b, "%s\n%s  {\"value\": ", i ? "," : "", ind);
        iam_sb_json_str(b, l->v[i].s, l->v[i].len);
        iam_sb_puts(b, ", \"span\": ");
        span(b, l->v[i].span);
        iam_sb_puts(b, "}");
    }
    iam_sb_printf(b, "%s]", l->n ? "\n        " : "");
    (void)ind;
}

static const char *const setq_names[] = {"", "ForAllValues", "ForAnyValue"};
static const char *const pk_names[] = {"AWS", "Service", "Federated", "CanonicalUser"};
static const char *const pf_names[] = {"any", "account", "user", "role", "assumed-role",
                                       "federated-user", "unique-id", "other"};

static void statement(iam_strbuf *b, const iam_statement *s)
{
    iam_sb_puts(b, "    {\n      \"sid\": ");
    str(b, s->sid);
    iam_sb_printf(b, ",\n      \"effect\": \"%s\",\n      \"span\": ",
                  s->effect == IAM_EFFECT_ALLOW ? "Allow" : s->effect == IAM_EFFECT_DENY ? "Deny" : "invalid");
    span(b, s->span);
    if (s->principal.present) {
        iam_sb_printf(b, ",\n      \"%s\": [", s->not_principal ? "notPrincipal" : "principal");
        for (size_t i = 0; i < s->principal.n; i++) {
            const iam_principal_entry *e = &s->principal.v[i];
            iam_sb_printf(b, "%s\n        {\"type\": \"%s\", \"form\": \"%s\", \"value\": ", i ? "," : "",
                          pk_names[e->kind], pf_names[e->form]);
            str(b, e->text);
            iam_sb_puts(b, ", \"normalized\": ");
            str(b, e->norm);
            iam_sb_puts(b, ", \"span\": ");
            span(b, e->span);
            iam_sb_puts(b, "}");
        }
        iam_sb_puts(b, "\n      ]");
    }
    if (s->has_action) {
        iam_sb_printf(b, ",\n      \"%s\": [", s->not_action ? "notAction" : "action");
        for (size_t i = 0; i < s->nactions; i++) {
            const iam_action *a = &s->actions[i];
            iam_sb_printf(b, "%s\n        {\"text\": ", i ? "," : "");
            str(b, a->text);
            iam_sb_puts(b, ", \"folded\": ");
            str(b, a->folded);
            iam_sb_printf(b, ", \"valid\": %s, \"span\": ", a->valid ? "true" : "false");
            span(b, a->span);
            iam_sb_puts(b, "}");
        }
        iam_sb_puts(b, "\n      ]");
    }
    if (s->has_resource) {
        iam_sb_printf(b, ",\n      \"%s\": ", s->not_resource ? "notResource" : "resource");
        strlist(b, &s->resources, "        ");
    }
    if (s->has_condition) {
        iam_sb_puts(b, ",\n      \"condition\": [");
        for (size_t i = 0; i < s->nconds; i++) {
            const iam_condition *c = &s->conds[i];
            iam_sb_printf(b, "%s\n        {\"operator\": ", i ? "," : "");
            str(b, c->text);
            iam_sb_printf(b, ", \"setQualifier\": \"%s\", \"base\": \"%s\", \"ifExists\": %s, \"keys\": [",
                          setq_names[c->setq], c->base == IAM_OP_UNKNOWN ? "unknown" : iam_cond_base_name(c->base),
                          c->if_exists ? "true" : "false");
            for (size_t k = 0; k < c->nkeys; k++) {
                iam_sb_printf(b, "%s\n          {\"key\": ", k ? "," : "");
                str(b, c->keys[k].folded);
                iam_sb_puts(b, ", \"values\": [");
                for (size_t v = 0; v < c->keys[k].values.n; v++) {
                    if (v)
                        iam_sb_puts(b, ", ");
                    iam_sb_json_str(b, c->keys[k].values.v[v].s, c->keys[k].values.v[v].len);
                }
                iam_sb_puts(b, "]}");
            }
            iam_sb_puts(b, "]}");
        }
        iam_sb_puts(b, "\n      ]");
    }
    iam_sb_puts(b, "\n    }");
}

void iam_policy_dump(const iam_policy *p, iam_strbuf *b)
{
    iam_sb_puts(b, "{\n  \"file\": ");
    str(b, p->src ? p->src->path : NULL);
    iam_sb_printf(b, ",\n  \"type\": \"%s\",\n  \"typeOrigin\": \"%s\"", iam_policy_type_name(p->type),
                  iam_type_origin_name(p->type_origin));
    if (p->type_reason) {
        iam_sb_puts(b, ",\n  \"typeReason\": ");
        str(b, p->type_reason);
    }
    iam_sb_puts(b, ",\n  \"version\": ");
    str(b, p->version);
    iam_sb_printf(b, ",\n  \"variables\": %s", p->vars_enabled ? "true" : "false");
    iam_sb_puts(b, ",\n  \"id\": ");
    str(b, p->id);
    iam_sb_printf(b, ",\n  \"sizeMinified\": %zu,\n  \"sizeFull\": %zu,\n  \"statements\": [\n", p->size_minified,
                  p->size_full);
    for (size_t i = 0; i < p->nstmts; i++) {
        statement(b, &p->stmts[i]);
        iam_sb_puts(b, i + 1 < p->nstmts ? ",\n" : "\n");
    }
    iam_sb_puts(b, "  ]\n}\n");
}
