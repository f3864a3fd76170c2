/* resource.c - which resource an event's permission was exercised on.
 *
 * Order (iam-semantics.md 7.4 step 6): an ARN of resources[] that fits one
 * of the action's resource types; else an ARN built from the request
 * parameters of common services; else the action's ARN template with the
 * event's partition, region and account and '*' for the rest; wildcard-
 * only actions always get "*". In generalize mode observed ARNs then have
 * object keys and generated ids folded into wildcards (trail_generalize). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "trail/internal.h"

void trail_arn(const trail_event *ev, char *out, size_t cap, const char *svc, bool regional,
               bool with_account, const char *res)
{
    snprintf(out, cap, "arn:%s:%s:%s:%s:%s", ev->partition, svc, regional ? ev->region : "",
             with_account ? ev->account : "", res);
}

/* -- generalisation ------------------------------------------------------ */

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

/* An identifier AWS generated: "i-0abc12...", a UUID, or a long number. */
static bool generated_id(const char *s, size_t n)
{
    size_t d = 0;
    while (d < n && islower((unsigned char)s[d]))
        d++;
    if (d > 0 && d <= 5 && d < n && s[d] == '-' && n - d - 1 >= 8 && is_hex(s + d + 1, n - d - 1))
        return true;
    if (n == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-')
        return true;
    size_t digits = 0;
    while (digits < n && isdigit((unsigned char)s[digits]))
        digits++;
    return digits == n && n >= 8;
}

void trail_generalize(const char *arn, char *out, size_t cap)
{
    /* split off the resource part after the 5th colon */
    const char *p = arn;
    for (int i = 0; i < 5 && p; i++) {
        p = strchr(p, ':');
        if (p)
            p++;
    }
    if (!p || strncmp(arn, "arn:", 4) != 0) {
        snprintf(out, cap, "%s", arn);
        return;
    }
    const char *svc = arn + 4;
    svc = strchr(svc, ':');
    svc = svc ? svc + 1 : "";
    size_t head = (size_t)(p - arn);
    char res[512];
    size_t rl = 0;
    if (strncmp(svc, "s3:", 3) == 0) {
        /* bucket/key -> "bucket/<first segment>/'*'" or "bucket/'*'" */
        const char *slash = strchr(p, '/');
        if (slash) {
            const char *second = strchr(slash + 1, '/');
            rl = (size_t)snprintf(res, sizeof res, "%.*s/*",
                                  (int)((second ? second : slash) - p), p);
        } else {
            rl = (size_t)snprintf(res, sizeof res, "%s", p);
        }
    } else if (strncmp(svc, "secretsmanager:", 15) == 0) {
        /* secret:name-AbCdEf: the random suffix becomes ?????? (AWS advice) */
        size_t l = strlen(p);
        if (l > 7 && p[l - 7] == '-' && strncmp(p, "secret:", 7) == 0)
            rl = (size_t)snprintf(res, sizeof res, "%.*s-??????", (int)(l - 7), p);
        else
            rl = (size_t)snprintf(res, sizeof res, "%s", p);
    } else if (strncmp(svc, "logs:", 5) == 0 && strstr(p, ":log-stream:")) {
        /* stream names carry dates and instance ids */
        rl = (size_t)snprintf(res, sizeof res, "%.*s:log-stream:*", (int)(strstr(p, ":log-stream:") - p), p);
    } else if (strncmp(svc, "lambda:", 7) == 0 && strncmp(p, "function:", 9) == 0 &&
               strchr(p + 9, ':')) {
        rl = (size_t)snprintf(res, sizeof res, "%.*s:*", (int)(strchr(p + 9, ':') - p), p);
    } else {
        /* fold generated ids segment by segment ('/' and ':' separated);
         * KMS key ids are stable identities and stay */
        bool kms = strncmp(svc, "kms:", 4) == 0;
        const char *s = p;
        while (*s && rl + 2 < sizeof res) {
            const char *e = s;
            while (*e && *e != '/' && *e != ':')
                e++;
            if (!kms && generated_id(s, (size_t)(e - s)))
                res[rl++] = '*';
            else {
                size_t l = (size_t)(e - s);
                if (rl + l >= sizeof res)
                    break;
                memcpy(res + rl, s, l);
                rl += l;
            }
            if (*e)
                res[rl++] = *e++;
            s = e;
        }
        res[rl] = 0;
        /* dynamodb table/T/index/I and /stream/S end in a wildcard */
        char *ix = strstr(res, "/index/");
        if (!ix)
            ix = strstr(res, "/stream/");
        if (ix && strncmp(svc, "dynamodb:", 9) == 0)
            strcpy(strchr(ix + 1, '/') + 1, "*");
    }
    snprintf(out, cap, "%.*s%s", (int)head, arn, res);
}

void trail_finish_arn(const trail_event *ev, char *arn, size_t cap)
{
    if (ev->mode == IAM_TRAIL_RES_STAR) {
        snprintf(arn, cap, "*");
    } else if (ev->mode == IAM_TRAIL_RES_GENERALIZE) {
        char tmp[512];
        trail_generalize(arn, tmp, sizeof tmp);
        snprintf(arn, cap, "%s", tmp);
    }
}

/* -- request parameters ---------------------------------------------------- */

void trail_role_arn(const trail_event *ev, const char *v, bool profile, char *out, size_t cap)
{
    if (profile) {
        /* an instance profile names no role in the request: any role of
         * the account (the warning says which profile) */
        trail_arn(ev, out, cap, "iam", false, true, "role/*");
    } else if (strncmp(v, "arn:", 4) == 0) {
        snprintf(out, cap, "%s", v);
    } else {
        char res[300];
        snprintf(res, sizeof res, "role/%s", v);
        trail_arn(ev, out, cap, "iam", false, true, res);
    }
}

void trail_s3_object(const trail_event *ev, const char *bk, char *out, size_t cap)
{
    while (*bk == '/')
        bk++;
    size_t l = strcspn(bk, "?");
    snprintf(out, cap, "arn:%s:s3:::%.*s", ev->partition, (int)l, bk);
}

static const char *rp_str(trail_event *ev, const char *key)
{
    long rp = jt_get(ev->t, ev->rec, "requestParameters");
    const char *s = jt_str(ev->t, jt_get(ev->t, rp, key), NULL);
    return s && *s ? s : NULL;
}

/* Candidate ARNs from the request parameters; returns how many. */
static size_t from_params(trail_event *ev, const char *svc, char cand[][512], size_t max)
{
    size_t n = 0;
    const char *v, *w;
    char res[400];
#define CAND(regional, acct, ...) \
    do { if (n < max) { snprintf(res, sizeof res, __VA_ARGS__); \
         trail_arn(ev, cand[n++], 512, svc, regional, acct, res); } } while (0)
#define RAW(s) do { if (n < max) snprintf(cand[n++], 512, "%s", s); } while (0)
    if (strcmp(svc, "s3") == 0) {
        if ((v = rp_str(ev, "bucketName")) != NULL) {
            if ((w = rp_str(ev, "key")) != NULL)
                CAND(false, false, "%s/%s", v, w);
            CAND(false, false, "%s", v);
        }
    } else if (strcmp(svc, "dynamodb") == 0) {
        if ((v = rp_str(ev, "tableName")) != NULL)
            CAND(true, true, "table/%s", v);
        long ri = jt_get(ev->t, jt_get(ev->t, ev->rec, "requestParameters"), "requestItems");
        if (ri >= 0 && ev->t->v[ri].type == JT_OBJ && ev->t->v[ri].next > (uint32_t)ri + 1) {
            const char *k = jt_str(ev->t, ri + 1, NULL);
            if (k)
                CAND(true, true, "table/%s", k);
        }
    } else if (strcmp(svc, "sqs") == 0) {
        if ((v = rp_str(ev, "queueUrl")) != NULL) {
            const char *name = strrchr(v, '/');
            if (name)
                CAND(true, true, "%s", name + 1);
        } else if ((v = rp_str(ev, "queueName")) != NULL) {
            CAND(true, true, "%s", v);
        }
    } else if (strcmp(svc, "sns") == 0) {
        if ((v = rp_str(ev, "topicArn")) != NULL || (v = rp_str(ev, "targetArn")) != NULL)
            RAW(v);
        else if ((v = rp_str(ev, "name")) != NULL)
            CAND(true, true, "%s", v);
    } else if (strcmp(svc, "lambda") == 0) {
        if ((v = rp_str(ev, "functionName")) != NULL) {
            if (strncmp(v, "arn:", 4) == 0)
                RAW(v);
            else
                CAND(true, true, "function:%s", v);
        }
    } else if (strcmp(svc, "kms") == 0) {
        if ((v = rp_str(ev, "keyId")) != NULL) {
            if (strncmp(v, "arn:", 4) == 0)
                RAW(v);
            else if (strncmp(v, "alias/", 6) != 0)
                CAND(true, true, "key/%s", v);
        }
    } else if (strcmp(svc, "secretsmanager") == 0) {
        if ((v = rp_str(ev, "secretId")) != NULL || (v = rp_str(ev, "name")) != NULL) {
            if (strncmp(v, "arn:", 4) == 0)
                RAW(v);
            else
                CAND(true, true, "secret:%s-??????", v);
        }
    } else if (strcmp(svc, "ssm") == 0) {
        if ((v = rp_str(ev, "name")) != NULL || (v = rp_str(ev, "path")) != NULL)
            CAND(true, true, "parameter/%s", v[0] == '/' ? v + 1 : v);
        long names = jt_get(ev->t, jt_get(ev->t, ev->rec, "requestParameters"), "names");
        if (names >= 0 && ev->t->v[names].type == JT_ARR && ev->t->v[names].next > (uint32_t)names + 1) {
            const char *s = jt_str(ev->t, names + 1, NULL);
            if (s)
                CAND(true, true, "parameter/%s", s[0] == '/' ? s + 1 : s);
        }
    } else if (strcmp(svc, "iam") == 0) {
        if ((v = rp_str(ev, "roleName")) != NULL)
            CAND(false, true, "role/%s", v);
        if ((v = rp_str(ev, "userName")) != NULL)
            CAND(false, true, "user/%s", v);
        if ((v = rp_str(ev, "groupName")) != NULL)
            CAND(false, true, "group/%s", v);
        if ((v = rp_str(ev, "policyArn")) != NULL)
            RAW(v);
        if ((v = rp_str(ev, "instanceProfileName")) != NULL)
            CAND(false, true, "instance-profile/%s", v);
    } else if (strcmp(svc, "sts") == 0) {
        if ((v = rp_str(ev, "roleArn")) != NULL)
            RAW(v);
    } else if (strcmp(svc, "logs") == 0) {
        if ((v = rp_str(ev, "logGroupName")) != NULL) {
            if ((w = rp_str(ev, "logStreamName")) != NULL)
                CAND(true, true, "log-group:%s:log-stream:%s", v, w);
            CAND(true, true, "log-group:%s", v);
            CAND(true, true, "log-group:%s:*", v);
        }
    }
#undef CAND
#undef RAW
    return n;
}

static bool fits(const trail_event *ev, uint32_t action, const char *arn)
{
    iam_action_info info;
    iam_catalog_action_get(ev->cat, action, &info);
    for (size_t i = 0; i < info.nresources; i++) {
        iam_action_resource r;
        iam_catalog_action_resource(ev->cat, action, i, &r);
        if (iam_catalog_arn_matches_rtype(ev->cat, arn, strlen(arn), r.rtype))
            return true;
    }
    return false;
}

/* The action's first (required) resource type's template, with the event's
 * partition/region/account and '*' for every other variable. */
static void from_template(const trail_event *ev, uint32_t action, char *out, size_t cap)
{
    iam_action_info info;
    iam_catalog_action_get(ev->cat, action, &info);
    size_t pick = 0, nreq = 0;
    for (size_t i = 0; i < info.nresources; i++) {
        iam_action_resource r;
        iam_catalog_action_resource(ev->cat, action, i, &r);
        if (r.required && nreq++ == 0)
            pick = i;
    }
    if (info.nresources > 1 && nreq != 1) {
        /* several resource types (ec2:RunInstances, ec2:CreateTags) and
         * nothing observed: any resource of the service in the region */
        const char *svc = info.service;
        snprintf(out, cap, "arn:%s:%s:%s:*:*", ev->partition, svc, *ev->region ? ev->region : "*");
        return;
    }
    iam_action_resource r;
    iam_catalog_action_resource(ev->cat, action, pick, &r);
    const char *t = iam_catalog_rtype_arn(ev->cat, r.rtype);
    size_t o = 0;
    for (const char *s = t; *s && o + 1 < cap;) {
        if (s[0] == '$' && s[1] == '{') {
            const char *e = strchr(s, '}');
            if (!e)
                break;
            size_t l = (size_t)(e - s - 2);
            const char *val = "*";
            if (l == 9 && strncmp(s + 2, "Partition", 9) == 0)
                val = ev->partition;
            else if (l == 6 && strncmp(s + 2, "Region", 6) == 0 && *ev->region)
                val = ev->region;
            else if (l == 7 && strncmp(s + 2, "Account", 7) == 0 && *ev->account)
                val = ev->account;
            /* "**" adds nothing to "*" */
            if (!(val[0] == '*' && o > 0 && out[o - 1] == '*'))
                o += (size_t)snprintf(out + o, cap - o, "%s", val);
            s = e + 1;
        } else {
            out[o++] = *s++;
        }
    }
    out[o < cap ? o : cap - 1] = 0;
    /* a template ending in a bare '*' after a separator-less word is fine */
}

void trail_resource(trail_event *ev, uint32_t action, char *out, size_t cap)
{
    iam_action_info info;
    iam_catalog_action_get(ev->cat, action, &info);
    if (info.nresources == 0 || ev->mode == IAM_TRAIL_RES_STAR) {
        snprintf(out, cap, "*");
        return;
    }
    jtape *t = ev->t;
    long rs = jt_get(t, ev->rec, "resources");
    if (rs >= 0 && t->v[rs].type == JT_ARR) {
        for (uint32_t i = (uint32_t)rs + 1; i < t->v[rs].next; i = t->v[i].next) {
            const char *arn = jt_str(t, jt_get(t, (long)i, "ARN"), NULL);
            if (arn && fits(ev, action, arn)) {
                snprintf(out, cap, "%s", arn);
                trail_finish_arn(ev, out, cap);
                return;
            }
        }
    }
    char cand[4][512];
    size_t n = from_params(ev, info.service, cand, 4);
    for (size_t i = 0; i < n; i++) {
        if (fits(ev, action, cand[i])) {
            snprintf(out, cap, "%s", cand[i]);
            trail_finish_arn(ev, out, cap);
            return;
        }
    }
    from_template(ev, action, out, cap);
}
