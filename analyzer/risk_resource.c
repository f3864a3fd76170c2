/* risk_resource.c - rules for resource-based and role trust policies: who
 * the Principal lets in (public, other accounts, services, web identities). */
#include <stdio.h>
#include <string.h>

#include "analyzer/risk_internal.h"

/* The account field of an ARN when it is 12 digits, else NULL. */
static const char *arn_account(const char *s)
{
    const char *f = s;
    for (int k = 0; k < 4 && f; k++) {
        f = strchr(f, ':');
        if (f)
            f++;
    }
    return f && strspn(f, "0123456789") == 12 && f[12] == ':' ? f : NULL;
}

/* Is acct trusted: configured, or the policy's own account as its Resource
 * ARNs name it? With acct NULL: is anything known to compare against? */
static bool trusted(const iam_risk_ctx *c, const char *acct, const iam_policy *p)
{
    if (c->cfg && (acct ? iam_strv_has(&c->cfg->trusted_accounts, acct) : c->cfg->trusted_accounts.n > 0))
        return true;
    for (size_t i = 0; i < p->nstmts; i++)
        for (size_t r = 0; r < p->stmts[i].resources.n; r++) {
            const char *own = arn_account(p->stmts[i].resources.v[r].s);
            if (own && (!acct || strncmp(own, acct, 12) == 0))
                return true;
        }
    return false;
}

static void check_public(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    if (s->not_principal || !s->principal.any)
        return;
    if (iam_cond_restricts_to(s, iam_caller_keys))
        return;
    iam_span at = s->principal.span;
    for (size_t i = 0; i < s->principal.n; i++)
        if (s->principal.v[i].form == IAM_PF_ANY && s->principal.v[i].kind == IAM_PK_AWS)
            at = s->principal.v[i].span;
    iam_diag *g = iam_risk_report(c, p, IAM_R_PUBLIC_ACCESS, at,
                                  p->type == IAM_PT_TRUST
                                      ? "the role trusts every AWS principal in every account: anyone can assume it"
                                      : "Principal \"*\" with no condition that limits the caller to known principals: anyone, including anonymous callers, is granted");
    iam_diag_help(c->d, g, "name the principals, or add a condition such as StringEquals aws:PrincipalOrgID");
}

static void check_cross_account(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    if (s->not_principal)
        return;
    bool known = trusted(c, NULL, p);
    bool external_id = iam_cond_restricts(s, (const char *const[]){"sts:externalid", NULL});
    bool assume = false;
    for (size_t i = 0; i < s->nactions; i++)
        assume |= s->actions[i].service && strcmp(s->actions[i].service, "sts") == 0 &&
                  (strcmp(s->actions[i].name, "assumerole") == 0 || strcmp(s->actions[i].name, "*") == 0);
    for (size_t i = 0; i < s->principal.n; i++) {
        const iam_principal_entry *e = &s->principal.v[i];
        if (e->kind != IAM_PK_AWS || !e->account || trusted(c, e->account, p))
            continue;
        if (known) {
            iam_diag *g = iam_risk_report(c, p, IAM_R_CROSS_ACCOUNT_TRUST, e->span,
                                          "grants account %s, which is not listed as trusted", e->account);
            iam_diag_help(c->d, g, "add it to \"trustedAccounts\" in .iampc.json if it is yours, or remove the grant");
        }
        if (p->type == IAM_PT_TRUST && assume && !external_id && (known || e->form == IAM_PF_ACCOUNT)) {
            iam_diag *g = iam_risk_report(c, p, IAM_R_CROSS_ACCOUNT_TRUST, e->span,
                                          "the role trusts account %s without an sts:ExternalId condition (confused deputy)",
                                          e->account);
            iam_diag_help(c->d, g, "require StringEquals sts:ExternalId with the value agreed with the third party");
        }
    }
}

static void check_service_source(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    if (p->type != IAM_PT_RESOURCE || s->not_principal || iam_cond_restricts(s, iam_source_keys))
        return;
    for (size_t i = 0; i < s->principal.n; i++) {
        const iam_principal_entry *e = &s->principal.v[i];
        if (e->kind != IAM_PK_SERVICE)
            continue;
        iam_diag *g = iam_risk_report(c, p, IAM_R_SERVICE_PRINCIPAL_WITHOUT_SOURCE, e->span,
                                      "service principal %s is granted for any resource of any account that uses the service (confused deputy)",
                                      e->text);
        iam_diag_help(c->d, g, "add StringEquals aws:SourceAccount (or ArnLike aws:SourceArn) naming your resources");
    }
}

/* Provider host of an OIDC federated principal, or NULL (SAML, others). */
static const char *oidc_host(const char *t)
{
    const char *o = strstr(t, ":oidc-provider/");
    if (o)
        return o + 15;
    if (strncmp(t, "arn:", 4) == 0)
        return NULL;
    return strchr(t, '.') ? t : NULL;
}

static bool wildcard_subject(const iam_cond_key *k)
{
    for (size_t v = 0; v < k->values.n; v++) {
        const char *s = k->values.v[v].s;
        if (strcmp(s, "*") == 0 || strncmp(s, "repo:*", 6) == 0 || strcmp(s, "system:serviceaccount:*") == 0)
            return true;
    }
    return false;
}

static void check_oidc(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    if (p->type != IAM_PT_TRUST)
        return;
    for (size_t i = 0; i < s->principal.n; i++) {
        const iam_principal_entry *e = &s->principal.v[i];
        const char *host = e->kind == IAM_PK_FEDERATED ? oidc_host(e->text) : NULL;
        if (!host)
            continue;
        char aud[300], sub[300];
        snprintf(aud, sizeof aud, "%s:aud", host);
        snprintf(sub, sizeof sub, "%s:sub", host);
        for (char *q = aud; *q; q++)
            *q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
        for (char *q = sub; *q; q++)
            *q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
        bool github = strcmp(host, "token.actions.githubusercontent.com") == 0;
        if (!iam_cond_restricts(s, (const char *const[]){aud, "aws:federatedprovider", NULL})) {
            iam_diag *g = iam_risk_report(c, p, IAM_R_OIDC_TRUST_UNRESTRICTED, e->span,
                                          "web-identity trust of %s without a condition on %s: tokens issued for any audience are accepted",
                                          host, aud);
            iam_diag_help(c->d, g, "add StringEquals \"%s\" with your client id%s", aud, github ? " (sts.amazonaws.com)" : "");
        }
        const iam_cond_key *k = NULL;
        const iam_condition *cd = iam_find_condition(s, sub, &k);
        if (cd && k && wildcard_subject(k)) {
            iam_diag *g = iam_risk_report(c, p, IAM_R_OIDC_TRUST_UNRESTRICTED, k->span,
                                          "wildcard subject on %s: every identity of the provider can assume the role", sub);
            iam_diag_help(c->d, g, "name the repository and branch or environment, e.g. repo:ORG/REPO:ref:refs/heads/main");
        } else if (github && (!cd || !iam_cond_restricts(s, (const char *const[]){sub, NULL}))) {
            iam_diag *g = iam_risk_report(c, p, IAM_R_OIDC_TRUST_UNRESTRICTED, e->span,
                                          "GitHub Actions trust without a condition on %s: workflows of any repository can assume the role", sub);
            iam_diag_help(c->d, g, "add StringLike \"%s\": \"repo:ORG/REPO:*\"", sub);
        }
    }
}

void iam_risk_check_resource(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s);

void iam_risk_check_resource(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    check_public(c, p, s);
    check_cross_account(c, p, s);
    check_service_source(c, p, s);
    check_oidc(c, p, s);
}
