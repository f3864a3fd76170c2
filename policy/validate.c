/* validate.c - grammar validation per policy type (iam-semantics.md 1.2-1.8,
 * 4.2 value shapes, 4.6 variables, 6 quotas). Works on the IR, so it sees
 * what decode.c understood even when the document had other errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/internal.h"
#include "policy/values.h"

typedef struct vctx {
    const iam_policy *p;
    iam_diags *d;
} vctx;

static iam_diag *report(vctx *c, iam_rule_id r, iam_span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static iam_diag *report(vctx *c, iam_rule_id r, iam_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag *g = iam_diag_vadd(c->d, r, at, fmt, ap);
    va_end(ap);
    if (g)
        g->policy_type = iam_policy_type_name(c->p->type);
    return g;
}

/* Contextual severity (e.g. a duplicate Sid is only a warning in a resource
 * policy), unless the configuration chose one for the rule: that wins. */
static void set_sev(const vctx *c, iam_diag *g, iam_severity s)
{
    if (g && !(c->d->sev_override && c->d->sev_override[g->rule] >= 0))
        g->sev = s;
}

static bool iam_family(iam_policy_type t)
{
    return t != IAM_PT_RESOURCE;
}

static bool principal_forbidden(iam_policy_type t)
{
    return t == IAM_PT_IDENTITY || t == IAM_PT_BOUNDARY || t == IAM_PT_SESSION || t == IAM_PT_SCP;
}

static const char *tname(const vctx *c)
{
    switch (c->p->type) {
    case IAM_PT_IDENTITY: return "an identity policy";
    case IAM_PT_RESOURCE: return "a resource-based policy";
    case IAM_PT_TRUST: return "a role trust policy";
    case IAM_PT_SCP: return "a service control policy";
    case IAM_PT_RCP: return "a resource control policy";
    case IAM_PT_BOUNDARY: return "a permission boundary";
    case IAM_PT_SESSION: return "a session policy";
    default: return "this policy";
    }
}

static void check_version(vctx *c)
{
    const iam_policy *p = c->p;
    bool org = p->type == IAM_PT_SCP || p->type == IAM_PT_RCP;
    if (!p->version) {
        if (!p->json || !iam_json_get(p->json, "Version")) {
            iam_diag *g = report(c, IAM_R_MISSING_VERSION, p->span,
                                 org ? "%s must state \"Version\": \"2012-10-17\""
                                     : "no Version: %s is read as 2008-10-17, where ${...} variables are literal text",
                                 org ? tname(c) : "the policy");
            iam_diag_help(c->d, g, "add \"Version\": \"2012-10-17\"");
            if (org)
                set_sev(c, g, IAM_SEV_ERROR);
        }
        return;
    }
    bool v2012 = strcmp(p->version, "2012-10-17") == 0, v2008 = strcmp(p->version, "2008-10-17") == 0;
    if (!v2012 && !v2008) {
        iam_diag *g = report(c, IAM_R_INVALID_VERSION, p->version_span,
                             "invalid Version \"%s\" (expected \"2012-10-17\" or \"2008-10-17\")", p->version);
        iam_diag_help(c->d, g, "write \"2012-10-17\"; the Version is a language version, not a date of your choosing");
    } else if (v2008 && org) {
        report(c, IAM_R_INVALID_VERSION, p->version_span, "%s must use Version \"2012-10-17\"", tname(c));
    }
}

static int cmp_sid(const void *a, const void *b)
{
    const iam_statement *x = *(const iam_statement *const *)a, *y = *(const iam_statement *const *)b;
    int r = strcmp(x->sid, y->sid);
    return r ? r : (x->index < y->index ? -1 : x->index > y->index);
}

static void check_sids(vctx *c)
{
    const iam_policy *p = c->p;
    const iam_statement **named = iam_xmalloc((p->nstmts ? p->nstmts : 1) * sizeof *named);
    size_t nn = 0;
    for (size_t i = 0; i < p->nstmts; i++) {
        const iam_statement *s = &p->stmts[i];
        if (!s->sid)
            continue;
        if (s->sid[0] == '\0') {
            report(c, IAM_R_EMPTY_VALUE, s->sid_span, "empty Sid; remove it or name the statement");
            continue;
        }
        named[nn++] = s;
        if (iam_family(p->type)) {
            size_t n = strlen(s->sid), ok = strspn(s->sid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
            if (ok != n)
                report(c, IAM_R_INVALID_SID, s->sid_span,
                       "Sid \"%s\" has '%c': %s accepts only letters and digits", s->sid, s->sid[ok], tname(c));
        }
    }
    /* Sorted by (Sid, position): duplicates are adjacent, the first use
     * leads its run. O(n log n) for policies with many statements. */
    if (nn > 1)
        qsort(named, nn, sizeof *named, cmp_sid);
    for (size_t i = 1, first = 0; i < nn; i++) {
        if (strcmp(named[i]->sid, named[first]->sid) != 0) {
            first = i;
            continue;
        }
        iam_diag *g = report(c, IAM_R_DUPLICATE_SID, named[i]->sid_span, "duplicate Sid \"%s\"", named[i]->sid);
        iam_diag_related(c->d, g, named[first]->sid_span, "first used here");
        if (!iam_family(p->type))
            set_sev(c, g, IAM_SEV_WARNING);
    }
    free(named);
}

static bool is_account(const char *s)
{
    return strlen(s) == 12 && strspn(s, "0123456789") == 12;
}

static void check_aws_principal(vctx *c, const iam_principal_entry *e)
{
    const char *t = e->text;
    if (strchr(t, '*') || strchr(t, '?')) {
        if (e->form == IAM_PF_ANY)
            return;
        iam_diag *g = report(c, IAM_R_INVALID_PRINCIPAL, e->span,
                             "partial wildcard in principal \"%s\": only \"*\" alone is allowed", t);
        iam_diag_help(c->d, g, "use \"Principal\": \"*\" with a condition such as ArnLike aws:PrincipalArn");
        return;
    }
    switch (e->form) {
    case IAM_PF_ACCOUNT:
        if (e->account && !is_account(e->account))
            report(c, IAM_R_INVALID_PRINCIPAL, e->span, "invalid account id in \"%s\"", t);
        return;
    case IAM_PF_USER:
    case IAM_PF_ROLE:
    case IAM_PF_ASSUMED_ROLE:
    case IAM_PF_FEDERATED_USER:
        if (!e->account)
            report(c, IAM_R_INVALID_PRINCIPAL, e->span, "principal ARN \"%s\" needs a 12-digit account id", t);
        else if (!is_account(e->account))
            report(c, IAM_R_INVALID_PRINCIPAL, e->span, "invalid account id '%s' in principal ARN", e->account);
        else if (e->form == IAM_PF_USER || e->form == IAM_PF_ROLE || e->form == IAM_PF_FEDERATED_USER) {
            const char *slash = strchr(strrchr(t, ':'), '/');
            if (!slash || slash[1] == '\0' || t[strlen(t) - 1] == '/')
                report(c, IAM_R_INVALID_PRINCIPAL, e->span, "principal ARN \"%s\" names no user or role", t);
        } else if (e->form == IAM_PF_ASSUMED_ROLE) {
            const char *r = strstr(t, ":assumed-role/") + 14;
            const char *slash = strchr(r, '/');
            if (!slash || slash == r || slash[1] == '\0')
                report(c, IAM_R_INVALID_PRINCIPAL, e->span,
                       "assumed-role principal must be arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION");
        }
        return;
    case IAM_PF_UNIQUE_ID:
    case IAM_PF_ANY:
        return;
    case IAM_PF_OTHER:
        break;
    }
    if (strncmp(t, "arn:", 4) == 0) {
        if (strstr(t, ":group/"))
            report(c, IAM_R_INVALID_PRINCIPAL, e->span, "IAM groups cannot be principals: \"%s\"", t);
        else
            report(c, IAM_R_INVALID_PRINCIPAL, e->span,
                   "\"%s\" is not a principal ARN (expected an account root, user, role, assumed-role or federated-user ARN)", t);
    } else {
        iam_diag *g = report(c, IAM_R_INVALID_PRINCIPAL, e->span,
                             "\"%s\" is not an AWS principal (expected \"*\", a 12-digit account id or an ARN)", t);
        if (strstr(t, ".amazonaws.com"))
            iam_diag_help(c->d, g, "service principals go under \"Service\"");
    }
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

/* "lambda.amazonaws.com", "states.eu-west-1.amazonaws.com",
 * "ec2.amazonaws.com.cn": DNS characters, ending in an AWS service domain. */
static bool service_name(const char *t)
{
    if (strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789.-") != strlen(t))
        return false;
    return ends_with(t, ".amazonaws.com") || ends_with(t, ".amazonaws.com.cn") || ends_with(t, ".amazon.com");
}

static void check_principal_entry(vctx *c, const iam_principal_entry *e)
{
    const char *t = e->text;
    size_t n = strlen(t);
    switch (e->kind) {
    case IAM_PK_AWS:
        check_aws_principal(c, e);
        return;
    case IAM_PK_SERVICE:
        if (!service_name(t))
            report(c, IAM_R_INVALID_PRINCIPAL, e->span,
                   "\"%s\" is not a service principal (expected a name such as \"lambda.amazonaws.com\")", t);
        return;
    case IAM_PK_FEDERATED:
        if (strchr(t, '*'))
            report(c, IAM_R_INVALID_PRINCIPAL, e->span, "wildcards are not allowed in Federated principals");
        else if (strncmp(t, "arn:", 4) == 0 && !strstr(t, ":saml-provider/") && !strstr(t, ":oidc-provider/"))
            report(c, IAM_R_INVALID_PRINCIPAL, e->span,
                   "\"%s\" is not an identity provider ARN (expected saml-provider/ or oidc-provider/)", t);
        else if (strncmp(t, "arn:", 4) != 0 && !strchr(t, '.'))
            report(c, IAM_R_INVALID_PRINCIPAL, e->span,
                   "\"%s\" is not an identity provider (expected an IdP ARN or a host such as accounts.google.com)", t);
        return;
    case IAM_PK_CANONICAL:
        if (n != 64 || strspn(t, "0123456789abcdefABCDEF") != 64)
            report(c, IAM_R_INVALID_PRINCIPAL, e->span, "a canonical user id is 64 hexadecimal characters");
        return;
    }
}

static bool trust_action_ok(const iam_action *a)
{
    if (!a->service)
        return strcmp(a->folded, "*") == 0;
    if (strcmp(a->service, "sts") != 0)
        return false;
    return strncmp(a->name, "assumerole", 10) == 0 || strcmp(a->name, "tagsession") == 0 ||
           strcmp(a->name, "setsourceidentity") == 0 || strcmp(a->name, "setcontext") == 0 ||
           strcmp(a->name, "*") == 0;
}

static void check_actions(vctx *c, const iam_statement *s)
{
    const iam_policy *p = c->p;
    bool federated = false, other = false;
    for (size_t i = 0; i < s->principal.n; i++) {
        federated |= s->principal.v[i].kind == IAM_PK_FEDERATED;
        other |= s->principal.v[i].kind == IAM_PK_AWS || s->principal.v[i].kind == IAM_PK_SERVICE;
    }
    for (size_t i = 0; i < s->nactions; i++) {
        const iam_action *a = &s->actions[i];
        if (!a->valid) {
            const char *colon = strchr(a->text, ':');
            iam_diag *g;
            if (!colon)
                g = report(c, IAM_R_INVALID_ACTION, a->span, "action \"%s\" is not of the form service:action", a->text);
            else if (memchr(a->text, '*', (size_t)(colon - a->text)) || memchr(a->text, '?', (size_t)(colon - a->text)))
                g = report(c, IAM_R_INVALID_ACTION, a->span,
                           "wildcards are not allowed in the service prefix of \"%s\"", a->text);
            else if (colon[1] == '\0')
                g = report(c, IAM_R_INVALID_ACTION, a->span, "action \"%s\" has no name after ':' and matches nothing", a->text);
            else
                g = report(c, IAM_R_INVALID_ACTION, a->span,
                           "action \"%s\" has characters that no action name contains", a->text);
            (void)g;
            continue;
        }
        if (p->type == IAM_PT_TRUST && !s->not_action && !trust_action_ok(a)) {
            report(c, IAM_R_INVALID_ACTION, a->span,
                   "a role trust policy can only allow sts:AssumeRole*, sts:TagSession, sts:SetSourceIdentity or sts:SetContext, not \"%s\"",
                   a->text);
        }
        if (p->type == IAM_PT_TRUST && a->service && strcmp(a->service, "sts") == 0) {
            bool web = strncmp(a->name, "assumerolewith", 14) == 0;
            bool plain = strcmp(a->name, "assumerole") == 0;
            if (web && other && !federated)
                report(c, IAM_R_ELEMENT_COMBINATION, a->span,
                       "\"%s\" is only used with a Federated principal", a->text);
            else if (plain && federated && !other)
                report(c, IAM_R_ELEMENT_COMBINATION, a->span,
                       "a Federated principal needs sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity, not \"%s\"",
                       a->text);
        }
        if (p->type == IAM_PT_RCP && !s->not_action && strcmp(a->folded, "*") == 0 && s->effect == IAM_EFFECT_DENY)
            report(c, IAM_R_INVALID_ACTION, a->span, "a resource control policy cannot use \"*\" alone as an action");
    }
}

static void check_resources(vctx *c, const iam_statement *s)
{
    for (size_t i = 0; i < s->resources.n; i++) {
        const iam_str *r = &s->resources.v[i];
        if (r->len == 1 && r->s[0] == '*')
            continue;
        if (r->len < 4 || strncmp(r->s, "arn:", 4) != 0) {
            iam_diag *g = report(c, IAM_R_INVALID_RESOURCE, r->span,
                                 "resource \"%.*s\" is neither \"*\" nor an ARN", (int)(r->len > 80 ? 80 : r->len), r->s);
            if (r->len >= 4 && strncasecmp(r->s, "arn:", 4) == 0)
                iam_diag_help(c->d, g, "ARNs start with lowercase \"arn:\"");
            continue;
        }
        size_t colons = 0, fifth = r->len;
        for (size_t k = 0; k < r->len; k++)
            if (r->s[k] == ':' && ++colons == 5) {
                fifth = k;
                break;
            }
        if (colons < 5) {
            bool wild = r->s[r->len - 1] == '*';
            iam_diag *g = report(c, IAM_R_INVALID_RESOURCE, r->span,
                                 "resource \"%.*s\" has fewer than six ARN fields", (int)(r->len > 80 ? 80 : r->len), r->s);
            if (wild && c->p->type != IAM_PT_RCP)
                set_sev(c, g, IAM_SEV_WARNING);
            continue;
        }
        if (c->p->vars_enabled && iam_has_variable(r->s, fifth)) {
            /* Documented as unsupported, yet AWS's own managed policies use
             * ${aws:PrincipalAccount} in the account field: warn only. */
            iam_diag *g = report(c, IAM_R_INVALID_POLICY_VARIABLE, r->span,
                                 "policy variables are documented as substituted only in the resource part of an ARN (after the fifth ':')");
            set_sev(c, g, IAM_SEV_WARNING);
        }
        size_t at;
        const char *why = c->p->vars_enabled ? iam_check_variables(r->s, r->len, &at) : NULL;
        if (why) {
            iam_span sp = r->span;
            report(c, IAM_R_INVALID_POLICY_VARIABLE, sp, "%s", why);
        }
    }
}

static void check_value(vctx *c, const iam_condition *cd, const iam_cond_key *k, const iam_str *v)
{
    iam_cond_family fam = iam_cond_base_family(cd->base);
    const char *s = v->s;
    size_t n = v->len;
    bool var = c->p->vars_enabled && iam_has_variable(s, n);
    const char *need = NULL;
    switch (fam) {
    case IAM_FAM_STRING:
    case IAM_FAM_ARN:
        if (var) {
            size_t at;
            const char *why = iam_check_variables(s, n, &at);
            if (why)
                report(c, IAM_R_INVALID_POLICY_VARIABLE, v->span, "%s", why);
        }
        if (fam == IAM_FAM_ARN && !var && !(n == 1 && s[0] == '*') && (n < 4 || strncmp(s, "arn:", 4) != 0))
            need = "an ARN (arn:partition:service:region:account:resource)";
        break;
    case IAM_FAM_NUMERIC:
        if (!iam_value_is_number(s, n))
            need = "a number";
        break;
    case IAM_FAM_DATE:
        if (!iam_value_is_date(s, n))
            need = "a W3C ISO 8601 date (2020-01-01T00:00:00Z) or epoch seconds";
        break;
    case IAM_FAM_BOOL:
        if (!iam_value_is_bool(s, n))
            need = "true or false";
        break;
    case IAM_FAM_BINARY:
        if (!iam_value_is_base64(s, n))
            need = "base64 text";
        break;
    case IAM_FAM_IP:
        if (!iam_value_is_cidr(s, n))
            need = "an IPv4 or IPv6 address or CIDR block";
        break;
    case IAM_FAM_NULL:
        if (!iam_value_is_bool(s, n))
            need = "true (key absent) or false (key present)";
        break;
    }
    if (var && fam != IAM_FAM_STRING && fam != IAM_FAM_ARN && fam != IAM_FAM_BOOL) {
        report(c, IAM_R_CONDITION_VALUE_TYPE, v->span, "%s does not substitute policy variables", iam_cond_base_name(cd->base));
        return;
    }
    if (need)
        report(c, IAM_R_CONDITION_VALUE_TYPE, v->span, "\"%.*s\" is not %s, as %s on '%s' requires",
               (int)(n > 60 ? 60 : n), s, need, iam_cond_base_name(cd->base), k->text);
}

static void check_conditions(vctx *c, const iam_statement *s)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *cd = &s->conds[i];
        if (cd->base == IAM_OP_UNKNOWN) {
            iam_diag *g = report(c, IAM_R_INVALID_CONDITION_OPERATOR, cd->span, "unknown condition operator '%s'", cd->text);
            const char *best = NULL;
            size_t bd = 4;
            const char *t = strrchr(cd->text, ':');
            t = t ? t + 1 : cd->text;
            for (int b = 0; b < IAM_OP_COUNT; b++) {
                size_t dd = iam_edit_distance(t, iam_cond_base_name((iam_cond_base)b), 3);
                if (dd < bd)
                    bd = dd, best = iam_cond_base_name((iam_cond_base)b);
            }
            if (best)
                iam_diag_help(c->d, g, "did you mean '%s'?", best);
            continue;
        }
        if (cd->base == IAM_OP_NULL_CHECK && cd->if_exists) {
            report(c, IAM_R_NULL_WITH_IF_EXISTS, cd->span, "'%s': Null already tests whether the key exists; IfExists is not allowed", cd->text);
        }
        if (!cd->canonical_case) {
            iam_diag *g = report(c, IAM_R_INVALID_CONDITION_OPERATOR, cd->span,
                                 "condition operator '%s' is not spelled as AWS documents it", cd->text);
            set_sev(c, g, IAM_SEV_WARNING);
            iam_diag_help(c->d, g, "write '%s%s%s'",
                          cd->setq == IAM_SETQ_FOR_ALL_VALUES ? "ForAllValues:" : cd->setq == IAM_SETQ_FOR_ANY_VALUE ? "ForAnyValue:" : "",
                          iam_cond_base_name(cd->base), cd->if_exists ? "IfExists" : "");
        }
        for (size_t k = 0; k < cd->nkeys; k++) {
            const iam_cond_key *key = &cd->keys[k];
            if (key->text[0] == '\0')
                report(c, IAM_R_EMPTY_VALUE, key->span, "empty condition key");
            if (cd->base == IAM_OP_BOOL && key->values.n > 1)
                report(c, IAM_R_CONDITION_VALUE_TYPE, key->values.span, "Bool takes a single value on '%s'", key->text);
            for (size_t v = 0; v < key->values.n; v++)
                check_value(c, cd, key, &key->values.v[v]);
            /* The same key twice in one operator block, differing in case. */
            for (size_t o = 0; o < k; o++)
                if (cd->keys[o].folded == key->folded && strcmp(cd->keys[o].text, key->text) != 0) {
                    iam_diag *g = report(c, IAM_R_DUPLICATE_KEY, key->span,
                                         "condition key '%s' repeats '%s' (keys are case-insensitive)", key->text,
                                         cd->keys[o].text);
                    iam_diag_related(c->d, g, cd->keys[o].span, "first written here");
                }
        }
    }
}

static void check_statement(vctx *c, const iam_statement *s)
{
    const iam_policy *p = c->p;
    iam_policy_type t = p->type;
    const iam_json *sj = NULL;
    if (p->json) {
        const iam_json_member *m = iam_json_get(p->json, "Statement");
        if (m)
            sj = m->value->kind == IAM_JSON_ARRAY ? (s->index < m->value->u.arr.n ? m->value->u.arr.v[s->index] : NULL)
                                                  : m->value;
    }
    /* Not an object: decoding reported element-type; nothing else applies. */
    if (sj && sj->kind != IAM_JSON_OBJECT)
        return;
    const iam_json_member *pm = sj ? iam_json_get(sj, s->not_principal ? "NotPrincipal" : "Principal") : NULL;
    iam_span pkey = pm ? pm->key_span : s->span;

    /* Principal / NotPrincipal */
    if (s->principal.present && principal_forbidden(t)) {
        iam_diag *g = report(c, IAM_R_FORBIDDEN_ELEMENT, pkey, "%s cannot contain %s",
                             tname(c), s->not_principal ? "NotPrincipal" : "Principal");
        if (t == IAM_PT_IDENTITY)
            iam_diag_help(c->d, g, "identity policies apply to the identity they are attached to; if this is a resource or trust policy, pass --type");
    } else if (s->principal.present && s->not_principal && (t == IAM_PT_TRUST || t == IAM_PT_RCP)) {
        report(c, IAM_R_FORBIDDEN_ELEMENT, pkey, "%s cannot contain NotPrincipal", tname(c));
    } else if (s->principal.present && s->not_principal && s->effect == IAM_EFFECT_ALLOW) {
        iam_diag *g = report(c, IAM_R_FORBIDDEN_ELEMENT, pkey,
                             "NotPrincipal is only supported with \"Effect\": \"Deny\"; with Allow it grants everyone not listed");
        iam_diag_help(c->d, g, "use \"Principal\" with the principals to allow");
    }
    if (!s->principal.present && (t == IAM_PT_RESOURCE || t == IAM_PT_TRUST || t == IAM_PT_RCP))
        report(c, IAM_R_MISSING_ELEMENT, s->span, "a statement in %s needs a Principal%s", tname(c),
               t == IAM_PT_RESOURCE ? " or NotPrincipal" : "");
    if (t == IAM_PT_RCP && s->principal.present && !s->not_principal &&
        !(s->principal.n == 1 && s->principal.v[0].form == IAM_PF_ANY))
        report(c, IAM_R_INVALID_PRINCIPAL, s->principal.span, "a resource control policy must use \"Principal\": \"*\"");
    else
        for (size_t i = 0; i < s->principal.n; i++)
            check_principal_entry(c, &s->principal.v[i]);

    /* Effect (RCPs only deny; RCPFullAWSAccess is managed by AWS). */
    if (t == IAM_PT_RCP && s->effect == IAM_EFFECT_ALLOW)
        report(c, IAM_R_INVALID_EFFECT, s->effect_span,
               "resource control policies can only Deny (the managed RCPFullAWSAccess provides the Allow)");

    /* Action / NotAction */
    if (s->has_action && s->not_action && t == IAM_PT_RCP && sj)
        report(c, IAM_R_FORBIDDEN_ELEMENT, iam_json_get(sj, "NotAction")->key_span, "%s cannot contain NotAction", tname(c));
    check_actions(c, s);

    /* Resource / NotResource */
    if (s->has_resource && t == IAM_PT_TRUST && sj) {
        const iam_json_member *rm = iam_json_get(sj, s->not_resource ? "NotResource" : "Resource");
        report(c, IAM_R_FORBIDDEN_ELEMENT, rm ? rm->key_span : s->span,
               "a role trust policy cannot contain %s: the role itself is the resource", s->not_resource ? "NotResource" : "Resource");
    }
    if (!s->has_resource && t != IAM_PT_TRUST && t != IAM_PT_UNKNOWN) {
        iam_diag *g = report(c, IAM_R_MISSING_ELEMENT, s->span, "statement has neither Resource nor NotResource");
        if (t == IAM_PT_RESOURCE)
            set_sev(c, g, IAM_SEV_WARNING);
    }
    check_resources(c, s);
    check_conditions(c, s);
}

static void check_size(vctx *c)
{
    const iam_policy *p = c->p;
    size_t limit = 0, size = p->size_minified;
    const char *what = "";
    iam_severity sev = IAM_SEV_ERROR;
    switch (p->type) {
    case IAM_PT_IDENTITY:
    case IAM_PT_BOUNDARY:
        limit = 6144;
        what = "a managed policy (whitespace not counted)";
        break;
    case IAM_PT_SESSION:
        limit = 2048;
        what = "a session policy (whitespace not counted)";
        break;
    case IAM_PT_TRUST:
        limit = 2048;
        what = "a role trust policy by default (adjustable by quota request)";
        sev = IAM_SEV_WARNING;
        break;
    case IAM_PT_SCP:
    case IAM_PT_RCP:
        limit = 5120;
        size = p->size_full;
        what = p->type == IAM_PT_SCP ? "a service control policy (whitespace counted)"
                                     : "a resource control policy (whitespace counted)";
        break;
    case IAM_PT_RESOURCE:
        limit = 20480;
        what = "an S3 bucket policy, the largest common resource policy";
        sev = IAM_SEV_WARNING;
        break;
    default:
        return;
    }
    if (size > limit) {
        iam_diag *g = report(c, IAM_R_POLICY_SIZE, p->span, "policy is %zu characters; the quota for %s is %zu", size,
                             what, limit);
        set_sev(c, g, sev);
        iam_diag_help(c->d, g, "split it into several policies, or run 'iampc minimize'");
    }
}

void iam_policy_validate(const iam_policy *p, iam_diags *d)
{
    vctx c = {p, d};
    if (!p->json || p->json->kind != IAM_JSON_OBJECT)
        return;
    check_version(&c);
    if (p->id && (p->type == IAM_PT_SCP || p->type == IAM_PT_RCP)) {
        report(&c, IAM_R_FORBIDDEN_ELEMENT, p->id_span, "%s cannot contain Id", tname(&c));
    } else if (p->id && (p->type == IAM_PT_IDENTITY || p->type == IAM_PT_BOUNDARY || p->type == IAM_PT_SESSION)) {
        iam_diag *g = report(&c, IAM_R_FORBIDDEN_ELEMENT, p->id_span, "Id has no meaning in %s", tname(&c));
        set_sev(&c, g, IAM_SEV_WARNING);
    }
    check_sids(&c);
    for (size_t i = 0; i < p->nstmts; i++)
        check_statement(&c, &p->stmts[i]);
    check_size(&c);
}
