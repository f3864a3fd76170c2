/* risk_common.c - what a condition restricts, how broad a resource is, and
 * action sets of statements. */
#include <stdarg.h>
#include <string.h>

#include "analyzer/risk_internal.h"
#include "core/glob.h"

bool iam_key_in(const char *folded, const char *const *table)
{
    for (; *table; table++) {
        size_t n = strlen(*table);
        char last = (*table)[n - 1];
        if (last == '/' || last == ':') {
            if (strncmp(folded, *table, n) == 0)
                return true;
        } else if (strcmp(folded, *table) == 0) {
            return true;
        }
    }
    return false;
}

/* A Null "false" on the same key makes ForAllValues non-vacuous. */
bool iam_cond_has_presence_guard(const iam_statement *s, const char *key)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *c = &s->conds[i];
        if (c->base != IAM_OP_NULL_CHECK)
            continue;
        for (size_t k = 0; k < c->nkeys; k++)
            if (c->keys[k].folded == key || strcmp(c->keys[k].folded, key) == 0)
                for (size_t v = 0; v < c->keys[k].values.n; v++)
                    if (strcmp(c->keys[k].values.v[v].s, "false") == 0)
                        return true;
    }
    return false;
}

static bool only_star(const iam_cond_key *k)
{
    for (size_t v = 0; v < k->values.n; v++) {
        const char *s = k->values.v[v].s;
        if (strspn(s, "*") != strlen(s) || !*s)
            return false;
    }
    return k->values.n > 0;
}

/* Keys the caller sets freely (iam-semantics.md 5): never a control. */
static const char *const caller_controlled[] = {"aws:useragent", "aws:referer", NULL};

static bool op_restricts(const iam_statement *s, const iam_condition *c, const iam_cond_key *k, bool positive)
{
    if (c->base == IAM_OP_UNKNOWN || iam_key_in(k->folded, caller_controlled))
        return false;
    /* "Only these callers": a negated operator lets everyone else in. */
    if (positive && (iam_cond_base_negated(c->base) || c->base == IAM_OP_NULL_CHECK))
        return false;
    if (c->base == IAM_OP_NULL_CHECK)
        return true;
    if (c->setq == IAM_SETQ_FOR_ALL_VALUES)
        return iam_cond_has_presence_guard(s, k->folded);
    bool always = iam_key_in(k->folded, iam_always_present_keys);
    if ((c->if_exists || iam_cond_base_negated(c->base)) && !always)
        return false;
    if ((c->base == IAM_OP_STRING_LIKE || c->base == IAM_OP_ARN_LIKE) && only_star(k))
        return false;
    return k->values.n > 0;
}

static bool restricts(const iam_statement *s, const char *const *keys, bool positive)
{
    for (size_t i = 0; i < s->nconds; i++) {
        const iam_condition *c = &s->conds[i];
        for (size_t k = 0; k < c->nkeys; k++) {
            if (keys && !iam_key_in(c->keys[k].folded, keys))
                continue;
            if (op_restricts(s, c, &c->keys[k], positive))
                return true;
        }
    }
    return false;
}

bool iam_cond_restricts(const iam_statement *s, const char *const *keys)
{
    return restricts(s, keys, false);
}

bool iam_cond_restricts_to(const iam_statement *s, const char *const *keys)
{
    return restricts(s, keys, true);
}

static bool broad_arn(const char *s, size_t n)
{
    if (n == 1 && s[0] == '*')
        return true;
    size_t colons = 0, i = 0;
    for (; i < n && colons < 5; i++)
        colons += s[i] == ':';
    if (colons < 5)
        return s[n - 1] == '*'; /* short ARN padded with wildcards */
    const char *res = s + i;
    size_t rn = n - i;
    if (strspn(res, "*") == rn)
        return true;
    /* S3 resource parts are "bucket" or "bucket/key": broad only when the
     * bucket part is nothing but wildcards ("*" + "/" + "*"); a wildcard
     * key, or a pattern such as "*logs*", still names chosen buckets. */
    const char *svc = strchr(s + 4, ':');
    if (svc && strncmp(svc + 1, "s3:", 3) == 0) {
        size_t stars = strspn(res, "*");
        return stars > 0 && (stars == rn || (res[stars] == '/' && strspn(res + stars + 1, "*") == rn - stars - 1));
    }
    /* A bare type followed by a lone wildcard ("secret:" or "key/" then
     * "*"): every resource of one type. "secret:prod/" + "*" is a prefix
     * of names, not the whole type. */
    size_t type_len = strcspn(res, "/:");
    return type_len + 2 == rn && res[type_len + 1] == '*' && !memchr(res, '*', type_len);
}

bool iam_resource_broad_for(iam_risk_ctx *c, const iam_statement *s, uint32_t id)
{
    if (!s->has_resource || s->not_resource || iam_resource_has_star(s, NULL))
        return true;
    iam_action_info info;
    iam_catalog_action_get(c->cat, id, &info);
    if (info.nresources == 0)
        return false; /* only "*" grants it, and there is none */
    /* Per resource type: matched only by broad entries, or (also) by a
     * narrow one. A type that some entry scopes narrowly limits the action
     * (redshift:GetClusterCredentials on one dbuser and any dbname). */
    bool some_broad = false;
    for (size_t r = 0; r < info.nresources; r++) {
        iam_action_resource ar;
        iam_catalog_action_resource(c->cat, id, r, &ar);
        bool any = false, narrow = false;
        for (size_t i = 0; i < s->resources.n; i++) {
            const iam_str *e = &s->resources.v[i];
            /* The template fixes the service field ("sts:AssumeRole" acts
             * on "arn:aws:iam::...:role/..."), so entries of other types,
             * other services included, do not match. */
            if (!iam_catalog_arn_matches_rtype(c->cat, e->s, e->len, ar.rtype))
                continue;
            any = true;
            narrow |= !broad_arn(e->s, e->len);
        }
        if (any && narrow)
            return false;
        some_broad |= any;
    }
    return some_broad;
}

bool iam_resource_broad(const iam_statement *s)
{
    if (!s->has_resource || s->not_resource)
        return true;
    for (size_t i = 0; i < s->resources.n; i++)
        if (broad_arn(s->resources.v[i].s, s->resources.v[i].len))
            return true;
    return false;
}

bool iam_resource_has_star(const iam_statement *s, iam_span *at)
{
    if (!s->has_resource || s->not_resource)
        return false;
    for (size_t i = 0; i < s->resources.n; i++)
        if (s->resources.v[i].len == 1 && s->resources.v[i].s[0] == '*') {
            if (at)
                *at = s->resources.v[i].span;
            return true;
        }
    return false;
}

bool iam_risk_key_resolve(iam_risk_ctx *c, const char *key, uint32_t *ids, size_t cap, iam_key_match *m)
{
    if (c->memo)
        return iam_catalog_memo_key_resolve(c->memo, key, strlen(key), ids, cap, m);
    return iam_catalog_key_resolve(c->cat, key, strlen(key), ids, cap, m);
}

uint32_t iam_action_id(const iam_catalog *cat, const char *name)
{
    return iam_catalog_action_find(cat, name, strlen(name));
}

iam_actionset *iam_risk_statement_actions(iam_risk_ctx *c, const iam_statement *s)
{
    iam_actionset *set = iam_actionset_new(c->arena, c->cat);
    for (size_t i = 0; i < s->nactions; i++) {
        const iam_action *a = &s->actions[i];
        if (!a->valid)
            continue;
        /* Matching ignores case, so the folded text denotes the same
         * actions; it is the key the catalog checks already filled the
         * memo with, and the principal rules ask for every statement
         * again. */
        if (c->memo)
            iam_actionset_union(set, iam_catalog_memo_expand(c->memo, a->folded, strlen(a->folded), NULL));
        else
            iam_catalog_expand(c->cat, set, a->text, strlen(a->text));
    }
    if (s->not_action)
        iam_actionset_complement(set);
    return set;
}

const iam_action *iam_entry_for(iam_risk_ctx *c, const iam_statement *s, uint32_t id)
{
    if (s->not_action || id == IAM_CATALOG_NONE)
        return NULL;
    char name[256];
    iam_catalog_action_fullname(c->cat, id, name, sizeof name);
    for (size_t i = 0; i < s->nactions; i++) {
        const iam_action *a = &s->actions[i];
        if (!a->valid)
            continue;
        if (iam_glob_match(a->text, strlen(a->text), name, strlen(name), true))
            return a;
    }
    return NULL;
}

iam_diag *iam_risk_report(iam_risk_ctx *c, const iam_policy *p, iam_rule_id r, iam_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag *g = iam_diag_vadd(c->d, r, at, fmt, ap);
    va_end(ap);
    if (g && p)
        g->policy_type = iam_policy_type_name(p->type);
    return g;
}

const iam_condition *iam_find_condition(const iam_statement *s, const char *key, const iam_cond_key **out)
{
    for (size_t i = 0; i < s->nconds; i++)
        for (size_t k = 0; k < s->conds[i].nkeys; k++)
            if (strcmp(s->conds[i].keys[k].folded, key) == 0) {
                if (out)
                    *out = &s->conds[i].keys[k];
                return &s->conds[i];
            }
    return NULL;
}

static iam_actionset *table_set(iam_arena *a, const iam_catalog *cat, const char *const *table, const iam_strv *extra)
{
    iam_actionset *set = iam_actionset_new(a, cat);
    for (; table && *table; table++) {
        uint32_t id = iam_action_id(cat, *table);
        if (id != IAM_CATALOG_NONE)
            iam_actionset_add(set, id);
    }
    for (size_t i = 0; extra && i < extra->n; i++)
        iam_catalog_expand(cat, set, extra->v[i], strlen(extra->v[i]));
    return set;
}

const iam_risk_cache *iam_risk_cache_new(iam_arena *a, const iam_catalog *cat, const iam_config *cfg)
{
    iam_risk_cache *k = iam_arena_alloc(a, sizeof *k);
    k->secret = table_set(a, cat, iam_secret_actions, cfg ? &cfg->secret_actions : NULL);
    k->credential = table_set(a, cat, iam_credential_actions, NULL);
    k->exfiltration = table_set(a, cat, iam_exfiltration_actions, NULL);
    k->permissions = iam_actionset_new(a, cat);
    /* Sensitive for missing-mfa: permissions management, and writes to
     * IAM, Organizations and account settings, plus configured patterns. */
    k->sensitive = table_set(a, cat, NULL, cfg ? &cfg->sensitive_actions : NULL);
    size_t total = iam_catalog_action_count(cat);
    for (uint32_t id = 0; id < total; id++) {
        iam_action_info info;
        iam_catalog_action_get(cat, id, &info);
        bool admin_svc = strcmp(info.service, "iam") == 0 || strcmp(info.service, "organizations") == 0 ||
                         strcmp(info.service, "account") == 0;
        if (info.access & IAM_AL_PERMISSIONS) {
            iam_actionset_add(k->permissions, id);
            iam_actionset_add(k->sensitive, id);
        }
        if (admin_svc && (info.access & IAM_AL_WRITE))
            iam_actionset_add(k->sensitive, id);
    }
    /* What a user must be able to do before it has MFA: set up the device
     * and its own password (the AWS "manage own MFA" example policy). */
    static const char *const bootstrap[] = {
        "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice", "iam:ListMFADevices",
        "iam:ListVirtualMFADevices", "iam:GetUser", "iam:ChangePassword", "iam:GetAccountPasswordPolicy",
        "sts:GetSessionToken", NULL,
    };
    for (const char *const *b = bootstrap; *b; b++) {
        uint32_t id = iam_action_id(cat, *b);
        if (id != IAM_CATALOG_NONE && iam_actionset_has(k->sensitive, id)) {
            iam_actionset *one = iam_actionset_new(a, cat);
            iam_actionset_add(one, id);
            iam_actionset_complement(one);
            iam_actionset_intersect(k->sensitive, one);
        }
    }
    k->passrole = iam_action_id(cat, "iam:PassRole");
    k->escalation = iam_arena_alloc(a, iam_nescalations * sizeof *k->escalation);
    for (size_t m = 0; m < iam_nescalations; m++)
        for (size_t g = 0; g < 4; g++) {
            const char *const *need = iam_escalations[m].need[g];
            for (size_t i = 0; i < 8; i++)
                k->escalation[m][g][i] = IAM_CATALOG_NONE;
            for (size_t i = 0; need && i < 8 && need[i]; i++)
                k->escalation[m][g][i] = iam_action_id(cat, need[i]);
        }
    return k;
}
