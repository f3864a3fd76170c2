/* summary.c - the mergeable usage summary (`iampc trail summarize`).
 *
 * {"iampcTrailSummary":1,"resources":"generalize","stats":{...},
 *  "entries":[{"kind":"used","principal":..,"action":..,"resource":..,
 *              "via":..,"count":N,"first":"..Z","last":"..Z"}, ...],
 *  "badFiles":[{"path":..,"message":..}]}
 * Written with iam_strbuf (sorted, deterministic); read with cJSON on the
 * calling thread only (style.md 2.4). Reading adds into the usage, so
 * reading several summaries is the merge. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "trail/internal.h"

static const char *const kind_names[IAM_TK_COUNT] = {"used", "denied", "implied", "unmapped"};
static const char *const mode_names[] = {"generalize", "exact", "star"};

#define STATS(X) X(files) X(files_bad) X(bytes) X(records) X(duplicates) X(filtered) \
    X(skipped) X(skipped_identity) X(mapped) X(unmapped) X(denied)

static void str(iam_strbuf *b, const char *s) { iam_sb_json_str(b, s, strlen(s)); }

void iam_trail_summary_write(iam_trail_usage *u, iam_strbuf *b)
{
    const iam_trail_stats *st = iam_trail_usage_stats(u);
    iam_sb_printf(b, "{\"iampcTrailSummary\":1,\"resources\":\"%s\",\"stats\":{",
                  mode_names[iam_trail_usage_resmode(u)]);
    const char *sep = "";
#define X(f) iam_sb_printf(b, "%s\"%s\":%llu", sep, #f, (unsigned long long)st->f); sep = ",";
    STATS(X)
#undef X
    iam_sb_puts(b, "},\n\"entries\":[");
    const iam_trail_entry *const *e;
    size_t n = iam_trail_usage_entries(u, &e);
    char t1[32], t2[32];
    for (size_t i = 0; i < n; i++) {
        iam_trail_format_time(e[i]->first, t1);
        iam_trail_format_time(e[i]->last, t2);
        iam_sb_printf(b, "%s\n{\"kind\":\"%s\",\"principal\":", i ? "," : "", kind_names[e[i]->kind]);
        str(b, e[i]->principal);
        iam_sb_puts(b, ",\"action\":");
        str(b, e[i]->action);
        iam_sb_puts(b, ",\"resource\":");
        str(b, e[i]->resource);
        if (*e[i]->via) {
            iam_sb_puts(b, ",\"via\":");
            str(b, e[i]->via);
        }
        iam_sb_printf(b, ",\"count\":%llu,\"first\":\"%s\",\"last\":\"%s\"}",
                      (unsigned long long)e[i]->count, t1, t2);
    }
    iam_sb_puts(b, "],\n\"badFiles\":[");
    const iam_trail_badfile *bad;
    size_t nb = iam_trail_usage_badfiles(u, &bad);
    for (size_t i = 0; i < nb; i++) {
        iam_sb_puts(b, i ? ",\n{\"path\":" : "\n{\"path\":");
        str(b, bad[i].path);
        iam_sb_puts(b, ",\"message\":");
        str(b, bad[i].msg);
        iam_sb_putc(b, '}');
    }
    iam_sb_puts(b, "]}\n");
}

static const char *sget(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int iam_trail_summary_read(iam_trail_usage *u, const char *data, size_t len, const char **err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, false);
    int rc = -1;
    if (!root) {
        *err = "not valid JSON";
        return -1;
    }
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "iampcTrailSummary");
    if (!cJSON_IsNumber(ver) || ver->valueint != 1) {
        *err = "not an iampc trail summary (iampcTrailSummary: 1)";
        goto out;
    }
    const char *mode = sget(root, "resources");
    for (int m = 0; mode && m < 3; m++)
        if (strcmp(mode, mode_names[m]) == 0)
            iam_trail_usage_set_resmode(u, (iam_trail_resmode)m);
    const cJSON *stats = cJSON_GetObjectItemCaseSensitive(root, "stats");
    iam_trail_stats *st = iam_trail_usage_stats(u);
#define X(f) { const cJSON *v = cJSON_GetObjectItemCaseSensitive(stats, #f); \
               if (cJSON_IsNumber(v)) st->f += (uint64_t)v->valuedouble; }
    STATS(X)
#undef X
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "entries"))
    {
        const char *k = sget(e, "kind"), *p = sget(e, "principal"), *a = sget(e, "action"),
                   *r = sget(e, "resource"), *v = sget(e, "via"), *f = sget(e, "first"),
                   *l = sget(e, "last");
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "count");
        int kind = -1;
        for (int i = 0; k && i < IAM_TK_COUNT; i++)
            if (strcmp(k, kind_names[i]) == 0)
                kind = i;
        if (kind < 0 || !p || !a || !r || !cJSON_IsNumber(c) || !f || !l) {
            *err = "malformed summary entry";
            goto out;
        }
        iam_trail_usage_add(u, (iam_trail_kind)kind, p, a, r, v ? v : "", (uint64_t)c->valuedouble,
                            iam_trail_parse_time(f, strlen(f)), iam_trail_parse_time(l, strlen(l)));
    }
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "badFiles"))
    {
        const char *p = sget(e, "path"), *m = sget(e, "message");
        if (p && m)
            iam_trail_usage_badfile(u, p, m);
    }
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}
