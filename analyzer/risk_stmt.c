/* risk_stmt.c - rules that look at one statement of one policy. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyzer/risk_internal.h"
#include "core/glob.h"

/* Identity-like policies grant to whoever they are attached to; resource
 * and trust policies grant to their Principal. Most action rules apply to
 * both; SCPs, RCPs and boundaries only cap, so "grants" rules skip them. */
static bool grants(const iam_policy *p)
{
    return p->type == IAM_PT_IDENTITY || p->type == IAM_PT_SESSION || p->type == IAM_PT_UNKNOWN;
}

/* "*" (or NotAction leaving nearly everything) on broad resources with no
 * restricting condition: admin-access says it all for this statement. */
static bool is_admin(iam_risk_ctx *c, const iam_statement *s, const iam_actionset *set)
{
    bool star = false;
    for (size_t i = 0; i < s->nactions && !s->not_action; i++)
        star |= strcmp(s->actions[i].folded, "*") == 0;
    size_t total = iam_catalog_action_count(c->cat), have = iam_actionset_count(set);
    bool nearly = s->not_action && have * 100 >= total * 95;
    /* Every resource: "*" or NotResource. "arn:aws:s3:::*" with "*" is all
     * of S3, which service-wildcard and the table rules describe. */
    bool every = !s->has_resource || s->not_resource || iam_resource_has_star(s, NULL);
    return (star || nearly) && every && !iam_cond_restricts(s, NULL);
}

/* "a, b, c and N more": up to 3 member names of set, for messages. */
static void list_members(iam_risk_ctx *c, const iam_actionset *set, char *buf, size_t cap)
{
    size_t len = 0, shown = 0, total = iam_actionset_count(set);
    buf[0] = '\0';
    for (uint32_t id = iam_actionset_next(set, 0); id != IAM_CATALOG_NONE && shown < 3 && len < cap;
         id = iam_actionset_next(set, id + 1), shown++) {
        char name[160];
        iam_catalog_action_fullname(c->cat, id, name, sizeof name);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", shown ? ", " : "", name);
    }
    if (total > shown && len < cap)
        snprintf(buf + len, cap - len, " and %zu more", total - shown);
}

static iam_span action_span(const iam_statement *s, const iam_action *a)
{
    return a ? a->span : s->action_span;
}

static void check_admin(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s, const iam_actionset *set)
{
    size_t total = iam_catalog_action_count(c->cat), have = iam_actionset_count(set);
    bool star = false;
    iam_span at = s->action_span;
    for (size_t i = 0; i < s->nactions && !s->not_action; i++)
        if (strcmp(s->actions[i].folded, "*") == 0)
            star = true, at = s->actions[i].span;
    iam_diag *g = iam_risk_report(c, p, IAM_R_ADMIN_ACCESS, at,
                                  star ? "allows every action on every resource: full administrator access"
                                       : "NotAction excludes only %zu of %zu actions on every resource: effectively administrator access",
                                  total - have, total);
    iam_diag_help(c->d, g, "list the actions the workload calls (iampc generate derives them from CloudTrail)");
}

static void check_service_wildcard(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    if (s->not_action)
        return;
    for (size_t i = 0; i < s->nactions; i++) {
        const iam_action *a = &s->actions[i];
        if (!a->valid || !a->service || strcmp(a->name, "*") != 0)
            continue;
        uint32_t sid = iam_catalog_service_find(c->cat, a->service, strlen(a->service));
        if (sid == IAM_CATALOG_NONE)
            continue;
        uint32_t first, n;
        iam_catalog_service_actions(c->cat, sid, &first, &n);
        size_t per[5] = {0};
        for (uint32_t k = first; k < first + n; k++) {
            iam_action_info info;
            iam_catalog_action_get(c->cat, k, &info);
            for (int b = 0; b < 5; b++)
                per[b] += (info.access >> b) & 1u;
        }
        char levels[160];
        size_t len = 0;
        levels[0] = '\0';
        static const char *const names[5] = {"List", "Read", "Write", "Tagging", "Permissions management"};
        for (int b = 0; b < 5; b++)
            if (per[b])
                len += (size_t)snprintf(levels + len, sizeof levels - len, "%s%s %zu", len ? ", " : "", names[b], per[b]);
        iam_diag *g = iam_risk_report(c, p, IAM_R_SERVICE_WILDCARD, a->span,
                                      "\"%s\" allows all %u %s actions (%s), including any added later", a->text, n,
                                      a->service, levels);
        iam_diag_help(c->d, g, "name the actions needed, or an access level with 'iampc compile'");
    }
}

static void check_resource_star(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s, const iam_actionset *set)
{
    iam_span at;
    if (s->not_action || !iam_resource_has_star(s, &at))
        return;
    for (size_t i = 0; i < s->nactions; i++)
        if (strcmp(s->actions[i].folded, "*") == 0)
            return; /* admin-access says more */
    /* List the scopable actions with the resource types they take: the
     * first few in full, then a count. */
    enum { SHOWN = 4 };
    size_t scoped = 0, len = 0;
    char list[600];
    list[0] = '\0';
    for (uint32_t id = iam_actionset_next(set, 0); id != IAM_CATALOG_NONE; id = iam_actionset_next(set, id + 1)) {
        iam_action_info info;
        iam_catalog_action_get(c->cat, id, &info);
        if (info.nresources == 0)
            continue; /* only "*" is possible */
        if (scoped++ >= SHOWN || len >= sizeof list)
            continue;
        char name[160];
        iam_catalog_action_fullname(c->cat, id, name, sizeof name);
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s (", scoped > 1 ? ", " : "", name);
        for (size_t r = 0; r < info.nresources && r < 3 && len < sizeof list; r++) {
            iam_action_resource ar;
            iam_catalog_action_resource(c->cat, id, r, &ar);
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", r ? ", " : "",
                                    iam_catalog_rtype_name(c->cat, ar.rtype));
        }
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s)", info.nresources > 3 ? ", ..." : "");
    }
    if (!scoped)
        return;
    if (scoped > SHOWN && len < sizeof list)
        snprintf(list + len, sizeof list - len, " and %zu more", scoped - SHOWN);
    iam_diag *g = iam_risk_report(c, p, IAM_R_RESOURCE_STAR, at,
                                  "Resource \"*\" for %zu action%s that can be scoped to resources: %s", scoped,
                                  scoped == 1 ? "" : "s", list);
    iam_diag_help(c->d, g, "list the ARNs of the resources used; keep \"*\" only for actions that support nothing else");
}

static void check_not_elements(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    if (s->effect != IAM_EFFECT_ALLOW)
        return;
    if (s->not_action && s->has_action) {
        iam_diag *g = iam_risk_report(c, p, IAM_R_ALLOW_NOT_ACTION, s->action_span,
                                      "Allow with NotAction grants every other action of every service, including future ones");
        iam_diag_help(c->d, g, "list the allowed actions in Action instead");
    }
    if (s->not_resource) {
        iam_diag *g = iam_risk_report(c, p, IAM_R_ALLOW_NOT_RESOURCE, s->resources.span,
                                      "Allow with NotResource grants every other resource, in every service the actions reach");
        iam_diag_help(c->d, g, "list the allowed resources in Resource instead");
    }
    if (s->not_principal && s->principal.present) {
        iam_diag *g = iam_risk_report(c, p, IAM_R_ALLOW_NOT_PRINCIPAL, s->principal.span,
                                      "Allow with NotPrincipal grants everyone not listed, anonymous callers included");
        iam_diag_help(c->d, g, "name the principals in Principal");
    }
}

static void check_mfa_pitfall(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *cd = &s->conds[i];
        for (size_t k = 0; k < cd->nkeys; k++) {
            const iam_cond_key *key = &cd->keys[k];
            if (strcmp(key->folded, "aws:multifactorauthpresent") != 0)
                continue;
            bool has_true = false, has_false = false;
            for (size_t v = 0; v < key->values.n; v++) {
                has_true |= strcasecmp(key->values.v[v].s, "true") == 0;
                has_false |= strcasecmp(key->values.v[v].s, "false") == 0;
            }
            const char *why = NULL, *fix = NULL;
            if (cd->base == IAM_OP_BOOL && !cd->if_exists && s->effect == IAM_EFFECT_DENY && has_false) {
                why = "Deny with Bool aws:MultiFactorAuthPresent \"false\" never applies to long-term access keys, where the key is absent";
                fix = "use BoolIfExists so requests without the key are denied too";
            } else if (cd->base == IAM_OP_BOOL && cd->if_exists && s->effect == IAM_EFFECT_ALLOW && has_true) {
                why = "Allow with BoolIfExists aws:MultiFactorAuthPresent \"true\" also allows long-term access keys without MFA";
                fix = "use Bool (without IfExists) so the key must be present and true";
            } else if (cd->base == IAM_OP_NULL_CHECK && s->effect == IAM_EFFECT_DENY && has_true) {
                why = "Deny with Null aws:MultiFactorAuthPresent \"true\" only catches long-term keys; temporary credentials without MFA pass";
                fix = "deny with BoolIfExists aws:MultiFactorAuthPresent \"false\"";
            } else if (cd->base == IAM_OP_NULL_CHECK && s->effect == IAM_EFFECT_ALLOW && has_false) {
                why = "Null aws:MultiFactorAuthPresent \"false\" tests for temporary credentials, not for MFA";
                fix = "use Bool aws:MultiFactorAuthPresent \"true\"";
            }
            if (why) {
                iam_diag *g = iam_risk_report(c, p, IAM_R_MFA_CONDITION_PITFALL, cd->span, "%s", why);
                iam_diag_help(c->d, g, "%s", fix);
            }
        }
    }
}

/* One rule per table of dangerous actions, on broad resources without a
 * restricting condition (from the given key set; NULL = any key). */
static void check_table_rule(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s, const iam_actionset *set,
                             iam_rule_id rule, const iam_actionset *table, const char *const *mitigations,
                             const char *what, const char *fix)
{
    /* Most statements hit no table: test before building the set. */
    uint32_t id = iam_actionset_first_common(set, table);
    if (id == IAM_CATALOG_NONE || iam_cond_restricts(s, mitigations))
        return;
    iam_actionset *hit = iam_actionset_copy(c->arena, set);
    iam_actionset_intersect(hit, table);
    /* Keep the table actions this statement grants broadly: judged per
     * action, on the resource entries of its own service. */
    iam_actionset *broad = iam_actionset_new(c->arena, c->cat);
    for (uint32_t x = iam_actionset_next(hit, 0); x != IAM_CATALOG_NONE; x = iam_actionset_next(hit, x + 1))
        if (iam_resource_broad_for(c, s, x))
            iam_actionset_add(broad, x);
    id = iam_actionset_next(broad, 0);
    if (id == IAM_CATALOG_NONE)
        return;
    hit = broad;
    char names[240];
    list_members(c, hit, names, sizeof names);
    const iam_action *a = iam_entry_for(c, s, id);
    iam_diag *g = iam_risk_report(c, p, rule, action_span(s, a), "%s (%s) allowed on %s without a restricting condition",
                                  what, names, s->not_resource ? "every resource not listed" : "broad resources");
    iam_diag_help(c->d, g, "%s", fix);
}

static void check_passrole(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s, const iam_actionset *set)
{
    uint32_t id = c->cache->passrole;
    if (id == IAM_CATALOG_NONE || !iam_actionset_has(set, id))
        return;
    const iam_action *a = iam_entry_for(c, s, id);
    bool broad = iam_resource_broad_for(c, s, id);
    const iam_cond_key *k = NULL;
    bool to_service = iam_find_condition(s, "iam:passedtoservice", &k) && iam_cond_restricts(s, (const char *const[]){"iam:passedtoservice", NULL});
    if (!broad && to_service)
        return;
    iam_diag *g = iam_risk_report(c, p, IAM_R_PASSROLE_UNRESTRICTED, action_span(s, a),
                                  broad && !to_service ? "iam:PassRole on every role, to any service: any service can be handed any role"
                                  : broad              ? "iam:PassRole on every role: a service can be handed any role, including privileged ones"
                                                       : "iam:PassRole without an iam:PassedToService condition: the roles can be passed to any service");
    iam_diag_help(c->d, g, "list the role ARNs and add StringEquals iam:PassedToService");
}

static void check_permissions_management(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s, const iam_actionset *set)
{
    if (!iam_resource_has_star(s, NULL) && !s->not_resource)
        return;
    if (iam_cond_restricts(s, NULL))
        return;
    size_t n = iam_actionset_count_common(set, c->cache->permissions);
    uint32_t first = iam_actionset_first_common(set, c->cache->permissions);
    if (!n)
        return;
    /* admin-access already covers "*" alone. */
    for (size_t i = 0; i < s->nactions && !s->not_action; i++)
        if (strcmp(s->actions[i].folded, "*") == 0)
            return;
    char name[200];
    iam_catalog_action_fullname(c->cat, first, name, sizeof name);
    const iam_action *a = iam_entry_for(c, s, first);
    iam_diag *g = iam_risk_report(c, p, IAM_R_PERMISSIONS_MANAGEMENT, action_span(s, a),
                                  "%zu permissions-management action%s (e.g. %s) allowed on every resource: it can change who may do what",
                                  n, n == 1 ? "" : "s", name);
    iam_diag_help(c->d, g, "scope these actions to the specific roles, policies or resources they manage");
}

static bool multivalued(iam_risk_ctx *c, const char *key)
{
    if (iam_key_in(key, iam_multivalued_keys))
        return true;
    uint32_t ids[4];
    iam_key_match m;
    if (!iam_risk_key_resolve(c, key, ids, 4, &m))
        return false;
    if (m.global)
        return (m.global_type & IAM_KT_ARRAY) != 0;
    for (size_t i = 0; i < m.nkeys && i < 4; i++)
        if (iam_catalog_key_type(c->cat, ids[i]) & IAM_KT_ARRAY)
            return true;
    return false;
}

static bool single_valued_known(iam_risk_ctx *c, const char *key)
{
    uint32_t ids[4];
    iam_key_match m;
    if (!iam_risk_key_resolve(c, key, ids, 4, &m))
        return false;
    if (m.global)
        return !(m.global_type & IAM_KT_ARRAY);
    if (m.nkeys == 0)
        return false;
    for (size_t i = 0; i < m.nkeys && i < 4; i++)
        if (iam_catalog_key_type(c->cat, ids[i]) & IAM_KT_ARRAY)
            return false;
    return true;
}

static void check_set_operators(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *cd = &s->conds[i];
        if (cd->base == IAM_OP_UNKNOWN)
            continue;
        for (size_t k = 0; k < cd->nkeys; k++) {
            const char *key = cd->keys[k].folded;
            iam_diag *g = NULL;
            if (cd->setq == IAM_SETQ_FOR_ANY_VALUE && iam_cond_base_negated(cd->base)) {
                g = iam_risk_report(c, p, IAM_R_SET_OPERATOR_MISUSE, cd->span,
                                    "'%s' on '%s' matches when any one value is outside the list, which almost any request satisfies",
                                    cd->text, cd->keys[k].text);
                iam_diag_help(c->d, g, "use ForAllValues:%s to require every value to be outside the list",
                              iam_cond_base_name(cd->base));
            } else if (cd->setq == IAM_SETQ_FOR_ALL_VALUES && s->effect == IAM_EFFECT_ALLOW &&
                       !iam_cond_has_presence_guard(s, key)) {
                g = iam_risk_report(c, p, IAM_R_SET_OPERATOR_MISUSE, cd->span,
                                    "ForAllValues in an Allow passes when '%s' is absent or empty, so requests without it are allowed",
                                    cd->keys[k].text);
                iam_diag_help(c->d, g, "add \"Null\": {\"%s\": \"false\"} to require the key", cd->keys[k].text);
            } else if (cd->setq != IAM_SETQ_NONE && single_valued_known(c, key)) {
                g = iam_risk_report(c, p, IAM_R_SET_OPERATOR_MISUSE, cd->span,
                                    "'%s' is single-valued; a set operator on it is misleading",
                                    cd->keys[k].text);
                iam_diag_help(c->d, g, "drop the %s prefix", cd->setq == IAM_SETQ_FOR_ALL_VALUES ? "ForAllValues:" : "ForAnyValue:");
            } else if (cd->setq == IAM_SETQ_NONE && cd->base != IAM_OP_NULL_CHECK && multivalued(c, key)) {
                g = iam_risk_report(c, p, IAM_R_SET_OPERATOR_MISUSE, cd->span,
                                    "'%s' is multi-valued; without ForAnyValue or ForAllValues the condition never matches",
                                    cd->keys[k].text);
                iam_diag_help(c->d, g, "write ForAnyValue:%s or ForAllValues:%s", cd->text, cd->text);
            }
        }
    }
}

/* -- redundant statements ------------------------------------------------ */

static bool same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Conditions equal as written (operator, keys, values in order). */
static bool same_conditions(const iam_statement *a, const iam_statement *b)
{
    if (a->nconds != b->nconds)
        return false;
    for (size_t i = 0; i < a->nconds; i++) {
        const iam_condition *x = &a->conds[i], *y = &b->conds[i];
        if (strcmp(x->text, y->text) != 0 || x->nkeys != y->nkeys)
            return false;
        for (size_t k = 0; k < x->nkeys; k++) {
            if (x->keys[k].folded != y->keys[k].folded || x->keys[k].values.n != y->keys[k].values.n)
                return false;
            for (size_t v = 0; v < x->keys[k].values.n; v++)
                if (strcmp(x->keys[k].values.v[v].s, y->keys[k].values.v[v].s) != 0)
                    return false;
        }
    }
    return true;
}

static bool same_principals(const iam_statement *a, const iam_statement *b)
{
    if (a->principal.present != b->principal.present || a->not_principal != b->not_principal ||
        a->principal.n != b->principal.n)
        return false;
    for (size_t i = 0; i < a->principal.n; i++)
        if (a->principal.v[i].kind != b->principal.v[i].kind || !same_text(a->principal.v[i].norm, b->principal.v[i].norm))
            return false;
    return true;
}

/* Sound resource subsumption: every entry of a is equal to, or a literal
 * matched by, an entry of b ("*" covers all). */
static bool resources_covered(const iam_statement *a, const iam_statement *b)
{
    if (a->not_resource || b->not_resource || a->has_resource != b->has_resource)
        return a->not_resource == b->not_resource && a->has_resource == b->has_resource && a->resources.n == b->resources.n &&
               a->resources.n == 0;
    for (size_t i = 0; i < a->resources.n; i++) {
        const iam_str *r = &a->resources.v[i];
        bool lit = !memchr(r->s, '*', r->len) && !memchr(r->s, '?', r->len) && !memchr(r->s, '$', r->len);
        bool ok = false;
        for (size_t k = 0; k < b->resources.n && !ok; k++) {
            const iam_str *q = &b->resources.v[k];
            ok = (q->len == 1 && q->s[0] == '*') || (q->len == r->len && memcmp(q->s, r->s, r->len) == 0) ||
                 (lit && !memchr(q->s, '$', q->len) && iam_glob_match(q->s, q->len, r->s, r->len, false));
        }
        if (!ok)
            return false;
    }
    return true;
}

static void check_redundant(iam_risk_ctx *c, const iam_policy *p, iam_actionset *const *sets)
{
    for (size_t i = 0; i < p->nstmts; i++) {
        const iam_statement *a = &p->stmts[i];
        if (!sets[i] || !a->has_action || a->effect == IAM_EFFECT_INVALID)
            continue;
        for (size_t k = 0; k < p->nstmts; k++) {
            const iam_statement *b = &p->stmts[k];
            if (k == i || !sets[k] || b->effect != a->effect || !same_conditions(a, b) || !same_principals(a, b))
                continue;
            /* Patterns outside the catalog must be covered literally. */
            if (iam_actionset_unmatched_count(sets[i]) || a->not_action != b->not_action)
                continue;
            if (!iam_actionset_subset(sets[i], sets[k]) || !resources_covered(a, b))
                continue;
            /* Identical statements: report only the later one. */
            if (iam_actionset_equal(sets[i], sets[k]) && resources_covered(b, a) && k > i)
                continue;
            iam_diag *g = iam_risk_report(c, p, IAM_R_REDUNDANT_STATEMENT, a->span,
                                          "statement %zu grants nothing that statement %zu does not already grant", i + 1, k + 1);
            iam_diag_related(c->d, g, b->span, "statement %zu", k + 1);
            iam_diag_help(c->d, g, "remove it");
            break;
        }
    }
}

void iam_risk_check_resource(iam_risk_ctx *c, const iam_policy *p, const iam_statement *s);

void iam_risk_check_policy(iam_risk_ctx *c, const iam_policy *p)
{
    if (!p->ok && p->nstmts == 0)
        return;
    iam_actionset **sets = iam_arena_alloc(c->arena, (p->nstmts ? p->nstmts : 1) * sizeof *sets);
    for (size_t i = 0; i < p->nstmts; i++) {
        const iam_statement *s = &p->stmts[i];
        if (!s->has_action || s->effect == IAM_EFFECT_INVALID)
            continue;
        sets[i] = iam_risk_statement_actions(c, s);
        check_mfa_pitfall(c, p, s);
        check_set_operators(c, p, s);
        if (s->effect != IAM_EFFECT_ALLOW)
            continue;
        if (p->type != IAM_PT_SCP && p->type != IAM_PT_RCP && p->type != IAM_PT_BOUNDARY)
            check_not_elements(c, p, s);
        if (p->type == IAM_PT_RESOURCE || p->type == IAM_PT_TRUST)
            iam_risk_check_resource(c, p, s);
        if (!grants(p))
            continue;
        if (is_admin(c, s, sets[i])) {
            check_admin(c, p, s, sets[i]);
            continue;
        }
        check_service_wildcard(c, p, s);
        check_resource_star(c, p, s, sets[i]);
        check_passrole(c, p, s, sets[i]);
        check_permissions_management(c, p, s, sets[i]);
        check_table_rule(c, p, s, sets[i], IAM_R_UNCONDITIONED_SECRETS_ACCESS, c->cache->secret, iam_secret_mitigations, "secret-reading actions",
                         "scope to the secret ARNs, or add a condition on resource tags, kms:ViaService or the source VPC");
        check_table_rule(c, p, s, sets[i], IAM_R_CREDENTIALS_EXPOSURE, c->cache->credential, NULL,
                         "actions that return credentials",
                         "scope them to the resources used and add conditions on the caller");
        check_table_rule(c, p, s, sets[i], IAM_R_DATA_EXFILTRATION, c->cache->exfiltration, NULL,
                         "object and snapshot reads",
                         "scope reads to the buckets, prefixes or snapshots the workload owns");
    }
    check_redundant(c, p, sets);
}
