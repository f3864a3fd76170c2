/* types.c - policy type names, the directory convention and detection. */
#include <string.h>
#include <strings.h>

#include "policy/internal.h"

static const char *const type_names[IAM_PT_COUNT] = {
    "unknown", "identity", "resource", "trust", "scp", "rcp", "boundary", "session",
};

const char *iam_policy_type_name(iam_policy_type t)
{
    return (unsigned)t < IAM_PT_COUNT ? type_names[t] : "unknown";
}

iam_policy_type iam_policy_type_by_name(const char *s)
{
    for (int i = 1; i < IAM_PT_COUNT; i++)
        if (strcmp(type_names[i], s) == 0)
            return (iam_policy_type)i;
    return IAM_PT_UNKNOWN;
}

const char *iam_type_origin_name(iam_type_origin o)
{
    switch (o) {
    case IAM_TO_FLAG: return "flag";
    case IAM_TO_DIRECTORY: return "directory";
    case IAM_TO_CONTEXT: return "context";
    case IAM_TO_HEURISTIC: return "heuristic";
    }
    return "?";
}

/* Directory convention (docs/policy-types.md): the deepest path component
 * naming a type wins; a file suffix such as "x.scp.json", or a file named
 * after a type ("trust.json"), beats directories. */
static const struct {
    const char *word;
    iam_policy_type type;
} dir_words[] = {
    {"identity", IAM_PT_IDENTITY},   {"identities", IAM_PT_IDENTITY},
    {"resource", IAM_PT_RESOURCE},   {"resources", IAM_PT_RESOURCE},
    {"resource-policies", IAM_PT_RESOURCE},
    {"trust", IAM_PT_TRUST},         {"trust-policies", IAM_PT_TRUST},
    {"scp", IAM_PT_SCP},             {"scps", IAM_PT_SCP},
    {"rcp", IAM_PT_RCP},             {"rcps", IAM_PT_RCP},
    {"boundary", IAM_PT_BOUNDARY},   {"boundaries", IAM_PT_BOUNDARY},
    {"permission-boundaries", IAM_PT_BOUNDARY},
    {"session", IAM_PT_SESSION},     {"sessions", IAM_PT_SESSION},
    {"session-policies", IAM_PT_SESSION},
};

static iam_policy_type word_type(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof dir_words / sizeof *dir_words; i++)
        if (strlen(dir_words[i].word) == n && strncasecmp(dir_words[i].word, s, n) == 0)
            return dir_words[i].type;
    return IAM_PT_UNKNOWN;
}

iam_policy_type iam_policy_type_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* File suffix: name.<type>.json */
    const char *dot = strrchr(base, '.');
    if (dot && dot > base) {
        const char *prev = dot - 1;
        while (prev > base && *prev != '.')
            prev--;
        /* "name.trust.json", or a file named after its type ("trust.json"). */
        const char *stem = *prev == '.' ? prev + 1 : base;
        iam_policy_type t = word_type(stem, (size_t)(dot - stem));
        if (t != IAM_PT_UNKNOWN)
            return t;
    }
    iam_policy_type found = IAM_PT_UNKNOWN;
    const char *p = path;
    while (p < base) {
        const char *slash = strchr(p, '/');
        if (!slash || slash >= base)
            break;
        iam_policy_type t = word_type(p, (size_t)(slash - p));
        if (t != IAM_PT_UNKNOWN)
            found = t;
        p = slash + 1;
    }
    return found;
}

static bool is_trust_action(const iam_json *a)
{
    if (a->kind != IAM_JSON_STRING)
        return false;
    const char *s = a->u.str.s;
    size_t n = a->u.str.len;
    return (n >= 14 && strncasecmp(s, "sts:AssumeRole", 14) == 0) ||
           iam_ieq(s, n, "sts:TagSession") || iam_ieq(s, n, "sts:SetSourceIdentity") ||
           iam_ieq(s, n, "sts:SetContext");
}

iam_policy_type iam_policy_detect_type(const iam_json *doc, const char **reason)
{
    const iam_json_member *st = iam_json_get(doc, "Statement");
    *reason = "no Principal element";
    if (!st)
        return IAM_PT_IDENTITY;
    const iam_json *const *v = (const iam_json *const *)&st->value;
    size_t n = 1;
    if (st->value->kind == IAM_JSON_ARRAY) {
        v = (const iam_json *const *)st->value->u.arr.v;
        n = st->value->u.arr.n;
    }
    bool principal = false, resource = false, trust_actions = true, any_action = false;
    for (size_t i = 0; i < n; i++) {
        if (v[i]->kind != IAM_JSON_OBJECT)
            continue;
        principal |= iam_json_get(v[i], "Principal") || iam_json_get(v[i], "NotPrincipal");
        resource |= iam_json_get(v[i], "Resource") || iam_json_get(v[i], "NotResource");
        const iam_json_member *a = iam_json_get(v[i], "Action");
        if (!a) {
            trust_actions = false;
            continue;
        }
        if (a->value->kind == IAM_JSON_ARRAY) {
            for (size_t k = 0; k < a->value->u.arr.n; k++) {
                any_action = true;
                trust_actions &= is_trust_action(a->value->u.arr.v[k]);
            }
        } else {
            any_action = true;
            trust_actions &= is_trust_action(a->value);
        }
    }
    if (!principal)
        return IAM_PT_IDENTITY;
    if (!resource && any_action && trust_actions) {
        *reason = "Principal present, no Resource, only sts:AssumeRole* actions";
        return IAM_PT_TRUST;
    }
    *reason = "Principal element present";
    return IAM_PT_RESOURCE;
}

bool iam_ieq(const char *s, size_t n, const char *t)
{
    size_t m = strlen(t);
    return m == n && strncasecmp(s, t, n) == 0;
}
