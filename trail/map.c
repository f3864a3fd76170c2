/* map.c - one CloudTrail event -> the IAM permissions it exercised.
 *
 * The general rule plus the table of exceptions (trail/eventmap.def); the
 * X_* handlers below add the permissions of events that need several
 * (iam-semantics.md 7.6) and decode the requests whose action depends on
 * the request body (PartiQL verbs, transactions, API Gateway verbs). */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "trail/internal.h"

typedef enum special {
    X_NONE, X_VERSIONED, X_COPY_SOURCE, X_COPY_OBJECT, X_PUT_OBJECT, X_REENCRYPT, X_PARTIQL,
    X_TRANSACT, X_APIGW, X_RUN_INSTANCES, X_PASSROLE, X_LAMBDA_CREATE, X_ASSUME_ROLE, X_IAM_CREATE,
} special;

typedef struct ev_row {
    const char *prefix, *name, *actions;
    special sp;
    const char *arg;
} ev_row;

typedef struct svc_row { const char *endpoint, *prefix; } svc_row;

static const svc_row svc_rows[] = {
#define SVC(e, p) {e, p},
#define EV(p, n, a, s, g)
#include "trail/eventmap.def"
#undef SVC
#undef EV
};

static const ev_row ev_rows[] = {
#define SVC(e, p)
#define EV(p, n, a, s, g) {p, n, a, s, g},
#include "trail/eventmap.def"
#undef SVC
#undef EV
};

#define NROWS (sizeof ev_rows / sizeof *ev_rows)
#define HSIZE 1024   /* power of two, > 4 x rows */
static short htab[HSIZE];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint32_t hash2(const char *a, size_t al, const char *b, size_t bl)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < al; i++)
        h = (h ^ (unsigned char)a[i]) * 16777619u;
    h = (h ^ 0xff) * 16777619u;
    for (size_t i = 0; i < bl; i++)
        h = (h ^ (unsigned char)b[i]) * 16777619u;
    return h;
}

static void build(void)
{
    for (size_t i = 0; i < HSIZE; i++)
        htab[i] = -1;
    for (size_t i = 0; i < NROWS; i++) {
        const ev_row *r = &ev_rows[i];
        uint32_t h = hash2(r->prefix, strlen(r->prefix), r->name, strlen(r->name)) & (HSIZE - 1);
        while (htab[h] >= 0)
            h = (h + 1) & (HSIZE - 1);
        htab[h] = (short)i;
    }
}

static const ev_row *find(const char *p, size_t pl, const char *n, size_t nl)
{
    pthread_once(&once, build);
    for (uint32_t h = hash2(p, pl, n, nl) & (HSIZE - 1); htab[h] >= 0; h = (h + 1) & (HSIZE - 1)) {
        const ev_row *r = &ev_rows[htab[h]];
        if (strlen(r->prefix) == pl && memcmp(r->prefix, p, pl) == 0 && strlen(r->name) == nl &&
            memcmp(r->name, n, nl) == 0)
            return r;
    }
    return NULL;
}

size_t iam_trail_strip_date(const char *s, size_t len)
{
    /* ^(.*?)(\d{8}|\d{4}_\d{2}_\d{2})(v\d+)?$ : the lazy group takes the
     * shortest prefix after which the rest is exactly a date and an
     * optional v<digits>. */
    for (size_t k = 0; k + 8 <= len; k++) {
        const char *d = s + k;
        size_t rest = len - k, dl = 0;
        bool eight = rest >= 8;
        for (size_t i = 0; eight && i < 8; i++)
            eight = isdigit((unsigned char)d[i]);
        bool under = rest >= 10 && isdigit((unsigned char)d[0]) && isdigit((unsigned char)d[1]) &&
                     isdigit((unsigned char)d[2]) && isdigit((unsigned char)d[3]) && d[4] == '_' &&
                     isdigit((unsigned char)d[5]) && isdigit((unsigned char)d[6]) && d[7] == '_' &&
                     isdigit((unsigned char)d[8]) && isdigit((unsigned char)d[9]);
        for (int alt = 0; alt < 2; alt++) {
            if (alt == 0 ? !eight : !under)
                continue;
            dl = alt == 0 ? 8 : 10;
            const char *v = d + dl;
            size_t vr = rest - dl;
            if (vr == 0)
                return k;
            if (vr >= 2 && v[0] == 'v') {
                size_t i = 1;
                while (i < vr && isdigit((unsigned char)v[i]))
                    i++;
                if (i == vr)
                    return k;
            }
        }
    }
    return len;
}

const char *iam_trail_prefix(const char *src, size_t len, char *buf, size_t cap)
{
    static const char suffix[] = ".amazonaws.com";
    size_t sl = sizeof suffix - 1;
    size_t el = len >= sl && memcmp(src + len - sl, suffix, sl) == 0 ? len - sl : len;
    for (size_t i = 0; i < sizeof svc_rows / sizeof *svc_rows; i++)
        if (strlen(svc_rows[i].endpoint) == el && memcmp(svc_rows[i].endpoint, src, el) == 0)
            return svc_rows[i].prefix;
    size_t l = 0;
    while (l < el && src[l] != '.')
        l++;
    if (l + 1 > cap)
        l = cap - 1;
    memcpy(buf, src, l);
    buf[l] = 0;
    return buf;
}

/* Every action string the table and the handlers can produce. */
static const char *const handler_actions[] = {
    "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:PutObjectTagging",
    "s3:PutObjectAcl", "kms:ReEncryptFrom", "kms:ReEncryptTo", "dynamodb:PartiQLSelect",
    "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete",
    "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem",
    "dynamodb:GetItem", "apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH",
    "apigateway:DELETE", "iam:PassRole", "ec2:CreateTags", "lambda:GetLayerVersion",
    "sts:TagSession", "sts:SetSourceIdentity", "iam:TagUser", "iam:TagRole", "iam:TagPolicy",
    "iam:PutUserPermissionsBoundary", "iam:PutRolePermissionsBoundary",
};
static size_t table_n;
static const char *table_list[512];
static char table_words[16384];

static void collect(void)
{
    size_t n = 0, w = 0;
    for (size_t i = 0; i < sizeof handler_actions / sizeof *handler_actions; i++)
        table_list[n++] = handler_actions[i];
    for (size_t i = 0; i < NROWS; i++) {
        const char *a = ev_rows[i].actions;
        const char *lists[2] = {a, ev_rows[i].sp == X_VERSIONED ? ev_rows[i].arg : ""};
        for (int li = 0; li < 2; li++) {
            for (const char *p = lists[li]; *p;) {
                while (*p == ' ')
                    p++;
                const char *q = p;
                while (*q && *q != ' ')
                    q++;
                if (q > p && !(q - p == 1 && *p == '-') && w + (size_t)(q - p) + 1 < sizeof table_words &&
                    n < 512) {
                    memcpy(table_words + w, p, (size_t)(q - p));
                    table_words[w + (size_t)(q - p)] = 0;
                    table_list[n++] = table_words + w;
                    w += (size_t)(q - p) + 1;
                }
                p = q;
            }
        }
    }
    table_n = n;
}

size_t iam_trail_table_actions(const char *const **out)
{
    static pthread_once_t o = PTHREAD_ONCE_INIT;
    pthread_once(&o, collect);
    *out = table_list;
    return table_n;
}

/* -- building the output list ------------------------------------------- */

typedef struct outlist {
    trail_perm *v;
    size_t n;
    trail_event *ev;
} outlist;

/* Add action (catalog spelling resolved here) on resource res, or on the
 * resource derived for the action when res is NULL. Unknown actions are
 * dropped (the table test guarantees the table's are known). */
static void add(outlist *o, const char *action, const char *res, const char *via)
{
    if (o->n >= TRAIL_MAX_OUT)
        return;
    const iam_catalog *cat = o->ev->cat;
    uint32_t id = iam_catalog_action_find(cat, action, strlen(action));
    if (id == IAM_CATALOG_NONE)
        return;
    iam_action_info info;
    iam_catalog_action_get(cat, id, &info);
    trail_perm *p = &o->v[o->n];
    memset(p, 0, sizeof *p);
    p->id = id;
    if (info.nresources == 0 || o->ev->mode == IAM_TRAIL_RES_STAR) {
        strcpy(p->resource, "*");
    } else if (res) {
        snprintf(p->resource, sizeof p->resource, "%s", res);
        trail_finish_arn(o->ev, p->resource, sizeof p->resource);
    } else {
        trail_resource(o->ev, id, p->resource, sizeof p->resource);
    }
    if (via) {
        snprintf(p->via, sizeof p->via, "%s", via);
        p->implied = true;
    }
    o->n++;
}

/* The next space-separated word of *p into buf ("" when it does not fit);
 * false when no word is left. */
static bool next_word(const char **p, char *buf, size_t cap)
{
    while (**p == ' ')
        (*p)++;
    const char *q = *p;
    while (*q && *q != ' ')
        q++;
    if (q == *p)
        return false;
    size_t n = (size_t)(q - *p);
    if (n < cap)
        memcpy(buf, *p, n);
    buf[n < cap ? n : 0] = 0;
    *p = q;
    return true;
}

static void add_list(outlist *o, const char *list)
{
    char one[128];
    for (const char *p = list; next_word(&p, one, sizeof one);)
        if (*one)
            add(o, one, NULL, NULL);
}

static long rparams(trail_event *ev)
{
    return jt_get(ev->t, ev->rec, "requestParameters");
}

static const char *param(trail_event *ev, const char *dotted)
{
    const char *s = jt_str(ev->t, jt_dotted(ev->t, rparams(ev), dotted), NULL);
    return s && *s ? s : NULL;
}

/* -- handlers (iam-semantics.md 7.5, 7.6) ------------------------------- */

static bool has_version(trail_event *ev)
{
    if (param(ev, "versionId"))
        return true;
    /* DeleteObjects: {"delete":{"Object":[{"Key":..,"VersionId":..}]}} */
    long objs = jt_dotted(ev->t, rparams(ev), "delete.Object");
    jtape *t = ev->t;
    if (objs >= 0 && t->v[objs].type == JT_ARR)
        for (uint32_t i = (uint32_t)objs + 1; i < t->v[objs].next; i = t->v[i].next)
            if (jt_get(t, (long)i, "VersionId") >= 0)
                return true;
    if (objs >= 0 && t->v[objs].type == JT_OBJ && jt_get(t, objs, "VersionId") >= 0)
        return true;
    return false;
}

static void copy_source(outlist *o, bool full)
{
    trail_event *ev = o->ev;
    const char *src = param(ev, "x-amz-copy-source");
    char arn[512];
    if (src) {
        trail_s3_object(ev, src, arn, sizeof arn);
        add(o, strstr(src, "versionId=") ? "s3:GetObjectVersion" : "s3:GetObject", arn, NULL);
        if (full) {
            const char *dir = param(ev, "x-amz-tagging-directive");
            if (!dir || strcmp(dir, "REPLACE") != 0)
                add(o, "s3:GetObjectTagging", arn, NULL);
        }
    }
}

static void put_extras(outlist *o)
{
    trail_event *ev = o->ev;
    if (param(ev, "x-amz-tagging"))
        add(o, "s3:PutObjectTagging", NULL, NULL);
    if (param(ev, "x-amz-acl") || param(ev, "x-amz-grant-read") || param(ev, "x-amz-grant-full-control"))
        add(o, "s3:PutObjectAcl", NULL, NULL);
}

static void kms_key(outlist *o, const char *action, const char *param_name)
{
    trail_event *ev = o->ev;
    const char *k = param(ev, param_name);
    char arn[512];
    if (!k) {
        add(o, action, NULL, NULL);
        return;
    }
    if (strncmp(k, "arn:", 4) == 0)
        snprintf(arn, sizeof arn, "%s", k);
    else if (strncmp(k, "alias/", 6) == 0)
        trail_arn(ev, arn, sizeof arn, "kms", true, true, "key/*");   /* alias: the key is unknown */
    else {
        char res[300];
        snprintf(res, sizeof res, "key/%s", k);
        trail_arn(ev, arn, sizeof arn, "kms", true, true, res);
    }
    add(o, action, arn, NULL);
}

/* First word of a PartiQL statement and the quoted table after
 * FROM/INTO/UPDATE ("SELECT * FROM \"T\"", "INSERT INTO \"T\" ..."). */
static void partiql_one(outlist *o, const char *stmt)
{
    while (*stmt == ' ' || *stmt == '\n' || *stmt == '\t')
        stmt++;
    static const struct { const char *verb, *action; } verbs[] = {
        {"select", "dynamodb:PartiQLSelect"}, {"insert", "dynamodb:PartiQLInsert"},
        {"update", "dynamodb:PartiQLUpdate"}, {"delete", "dynamodb:PartiQLDelete"},
        {"exists", "dynamodb:PartiQLSelect"},
    };
    const char *action = NULL;
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (strncasecmp(stmt, verbs[i].verb, strlen(verbs[i].verb)) == 0)
            action = verbs[i].action;
    if (!action)
        return;
    char table[256] = "*";
    const char *q = strchr(stmt, '"');
    if (q) {
        const char *e = strchr(q + 1, '"');
        if (e && (size_t)(e - q - 1) < sizeof table && e > q + 1) {
            memcpy(table, q + 1, (size_t)(e - q - 1));
            table[e - q - 1] = 0;
        }
    }
    char res[300], arn[512];
    snprintf(res, sizeof res, "table/%s", table);
    trail_arn(o->ev, arn, sizeof arn, "dynamodb", true, true, res);
    add(o, action, arn, NULL);
}

static void partiql(outlist *o, const char *arg)
{
    jtape *t = o->ev->t;
    long v = jt_get(t, rparams(o->ev), arg);
    if (v < 0)
        return;
    if (t->v[v].type == JT_STR) {
        const char *s = jt_str(t, v, NULL);
        if (s)
            partiql_one(o, s);
        return;
    }
    if (t->v[v].type != JT_ARR)
        return;
    for (uint32_t i = (uint32_t)v + 1; i < t->v[v].next; i = t->v[i].next) {
        const char *s = jt_str(t, jt_get(t, (long)i, "statement"), NULL);
        if (s)
            partiql_one(o, s);
    }
}

static void transact(outlist *o, const char *arg)
{
    static const struct { const char *key, *action; } kinds[] = {
        {"put", "dynamodb:PutItem"}, {"update", "dynamodb:UpdateItem"},
        {"delete", "dynamodb:DeleteItem"}, {"conditionCheck", "dynamodb:ConditionCheckItem"},
        {"get", "dynamodb:GetItem"},
    };
    jtape *t = o->ev->t;
    long items = jt_get(t, rparams(o->ev), "transactItems");
    if (items < 0 || t->v[items].type != JT_ARR) {
        add(o, strcmp(arg, "get") == 0 ? "dynamodb:GetItem" : "dynamodb:PutItem", NULL, NULL);
        return;
    }
    for (uint32_t i = (uint32_t)items + 1; i < t->v[items].next; i = t->v[i].next) {
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            long it = jt_get(t, (long)i, kinds[k].key);
            if (it < 0) {
                char cap[32];   /* the SDK's capitalised spelling */
                snprintf(cap, sizeof cap, "%c%s", toupper((unsigned char)kinds[k].key[0]), kinds[k].key + 1);
                it = jt_get(t, (long)i, cap);
            }
            if (it < 0)
                continue;
            const char *tbl = jt_str(t, jt_get(t, it, "tableName"), NULL);
            if (!tbl)
                tbl = jt_str(t, jt_get(t, it, "TableName"), NULL);
            char res[300], arn[512];
            snprintf(res, sizeof res, "table/%s", tbl && *tbl ? tbl : "*");
            trail_arn(o->ev, arn, sizeof arn, "dynamodb", true, true, res);
            add(o, kinds[k].action, arn, NULL);
        }
    }
}

/* API Gateway management calls authorise as HTTP verbs on the resource
 * path; the verb follows the operation's name (the API model). */
static void apigw(outlist *o)
{
    static const struct { const char *prefix, *verb; } verbs[] = {
        {"Get", "apigateway:GET"}, {"List", "apigateway:GET"}, {"Create", "apigateway:POST"},
        {"Import", "apigateway:POST"}, {"Generate", "apigateway:POST"}, {"Test", "apigateway:POST"},
        {"Put", "apigateway:PUT"}, {"Tag", "apigateway:PUT"}, {"Update", "apigateway:PATCH"},
        {"Delete", "apigateway:DELETE"}, {"Untag", "apigateway:DELETE"}, {"Flush", "apigateway:DELETE"},
    };
    trail_event *ev = o->ev;
    const char *verb = NULL;
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs && !verb; i++)
        if (strncmp(ev->name, verbs[i].prefix, strlen(verbs[i].prefix)) == 0)
            verb = verbs[i].verb;
    if (!verb)
        verb = "apigateway:POST";
    const char *api = param(ev, "restApiId");
    char arn[512], res[300];
    if (!api)
        api = param(ev, "apiId");
    if (api && ev->mode == IAM_TRAIL_RES_EXACT) {
        snprintf(res, sizeof res, "/restapis/%s", api);
        trail_arn(ev, arn, sizeof arn, "apigateway", true, false, res);
        add(o, verb, arn, NULL);
    }
    if (api) {
        snprintf(res, sizeof res, "/restapis/%s%s", api, ev->mode == IAM_TRAIL_RES_EXACT ? "/*" : "*");
    } else {
        snprintf(res, sizeof res, "/restapis%s", strncmp(ev->name, "Create", 6) == 0 ? "" : "*");
    }
    trail_arn(ev, arn, sizeof arn, "apigateway", true, false, res);
    add(o, verb, arn, NULL);
}

static void passrole(outlist *o, const char *paths, const char *via)
{
    trail_event *ev = o->ev;
    char one[128];
    for (const char *p = paths; next_word(&p, one, sizeof one);) {
        if (!*one)
            continue;
        bool profile = strstr(one, "nstanceProfile") != NULL;
        long v = jt_dotted(ev->t, rparams(ev), one);
        const char *s = jt_str(ev->t, v, NULL);
        if (!s && v >= 0 && ev->t->v[v].type == JT_OBJ) {   /* {"arn":..} or {"name":..} */
            s = jt_str(ev->t, jt_get(ev->t, v, "arn"), NULL);
            if (!s)
                s = jt_str(ev->t, jt_get(ev->t, v, "name"), NULL);
        }
        if (s && *s) {
            char arn[512];
            trail_role_arn(ev, s, profile, arn, sizeof arn);
            add(o, "iam:PassRole", arn, via);
        }
    }
}

trail_map_result trail_map(trail_event *ev, trail_perm *out, size_t *n)
{
    char pbuf[64], full[256], via[256];
    const char *prefix = iam_trail_prefix(ev->source, ev->source_len, pbuf, sizeof pbuf);
    size_t pl = strlen(prefix);
    size_t nl = iam_trail_strip_date(ev->name, ev->name_len);
    outlist o = {out, 0, ev};
    *n = 0;
    const ev_row *r = find(prefix, pl, ev->name, nl);
    if (!r)
        r = find(prefix, pl, "*", 1);
    if (r && strcmp(r->actions, "-") == 0)
        return TRAIL_NO_ACTION;
    if (pl + nl + 2 > sizeof full)
        return TRAIL_UNMAPPED;
    snprintf(full, sizeof full, "%s:%.*s", prefix, (int)nl, ev->name);
    snprintf(via, sizeof via, "%s", full);
    if (!r) {
        if (iam_catalog_action_find(ev->cat, full, strlen(full)) == IAM_CATALOG_NONE)
            return TRAIL_UNMAPPED;
        add(&o, full, NULL, NULL);
        *n = o.n;
        return o.n ? TRAIL_MAPPED : TRAIL_UNMAPPED;
    }
    switch (r->sp) {
    case X_VERSIONED:
        add_list(&o, has_version(ev) ? r->arg : r->actions);
        break;
    case X_COPY_SOURCE:
        add_list(&o, r->actions);
        copy_source(&o, false);
        break;
    case X_COPY_OBJECT:
        add_list(&o, r->actions);
        copy_source(&o, true);
        add(&o, "s3:PutObjectTagging", NULL, NULL);
        if (param(ev, "x-amz-acl"))
            add(&o, "s3:PutObjectAcl", NULL, NULL);
        break;
    case X_PUT_OBJECT:
        add_list(&o, r->actions);
        put_extras(&o);
        break;
    case X_REENCRYPT:
        kms_key(&o, "kms:ReEncryptFrom", "sourceKeyId");
        kms_key(&o, "kms:ReEncryptTo", "destinationKeyId");
        break;
    case X_PARTIQL:
        partiql(&o, r->arg);
        break;
    case X_TRANSACT:
        transact(&o, r->arg);
        break;
    case X_APIGW:
        apigw(&o);
        break;
    case X_RUN_INSTANCES:
        add_list(&o, r->actions);
        if (jt_get(ev->t, rparams(ev), "tagSpecificationSet") >= 0)
            add(&o, "ec2:CreateTags", NULL, NULL);
        passrole(&o, "iamInstanceProfile", via);
        break;
    case X_PASSROLE:
        add_list(&o, r->actions);
        passrole(&o, r->arg, via);
        break;
    case X_LAMBDA_CREATE: {
        add_list(&o, r->actions);
        passrole(&o, r->arg, via);
        const char *b = param(ev, "code.s3Bucket"), *k = param(ev, "code.s3Key");
        if (b && k) {
            char bk[400], arn[512];
            snprintf(bk, sizeof bk, "%s/%s", b, k);
            trail_s3_object(ev, bk, arn, sizeof arn);
            add(&o, "s3:GetObject", arn, NULL);
        }
        if (jt_get(ev->t, rparams(ev), "layers") >= 0)
            add(&o, "lambda:GetLayerVersion", NULL, NULL);
        break;
    }
    case X_ASSUME_ROLE:
        add_list(&o, r->actions);
        if (jt_get(ev->t, rparams(ev), "tags") >= 0 || jt_get(ev->t, rparams(ev), "transitiveTagKeys") >= 0)
            add(&o, "sts:TagSession", NULL, NULL);
        if (param(ev, "sourceIdentity"))
            add(&o, "sts:SetSourceIdentity", NULL, NULL);
        break;
    case X_IAM_CREATE: {
        add_list(&o, r->actions);
        char a[64];
        if (jt_get(ev->t, rparams(ev), "tags") >= 0) {
            snprintf(a, sizeof a, "iam:Tag%s", r->arg);
            add(&o, a, NULL, NULL);
        }
        if (strcmp(r->arg, "Policy") != 0 && param(ev, "permissionsBoundary")) {
            snprintf(a, sizeof a, "iam:Put%sPermissionsBoundary", r->arg);
            add(&o, a, NULL, NULL);
        }
        break;
    }
    case X_NONE:
        add_list(&o, r->actions);
        break;
    }
    *n = o.n;
    return o.n ? TRAIL_MAPPED : TRAIL_UNMAPPED;
}
