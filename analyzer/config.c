/* config.c - loading and checking .iampc.json.
 *
 * The file is parsed with the located JSON parser so that every mistake
 * (unknown key, misspelt rule, bad severity, malformed account id) is a
 * diagnostic with file:line:col and a caret, like a policy finding. A config
 * that is wrong in any way is rejected as a whole: silently ignoring half a
 * config would hide findings the repository asked for. */
#define _XOPEN_SOURCE 700   /* realpath */
#include "analyzer/config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/glob.h"
#include "core/strbuf.h"
#include "grammar/json.h"

#define CONFIG_NAME ".iampc.json"

/* ------------------------------------------------------------------ */
/* Defaults, lookup, lifetime                                           */
/* ------------------------------------------------------------------ */

static iam_config *config_new(void)
{
    iam_config *c = calloc(1, sizeof *c);
    if (!c)
        iam_oom("out of memory");
    c->arena = iam_arena_new();
    memset(c->sev_override, -1, sizeof c->sev_override);
    return c;
}

iam_config *iam_config_default(void)
{
    return config_new();
}

void iam_config_free(iam_config *c)
{
    if (!c)
        return;
    iam_source_free(c->src);
    iam_arena_destroy(c->arena);
    free(c);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Walk up to the first directory holding .iampc.json, but not past the
 * top of the git work tree (a directory holding .git): a config in $HOME
 * or /tmp must not silently change the analysis of an unrelated repo.
 * The result is spelt relative to dir ("../../.iampc.json") so messages
 * show the path the way the user would type it; ".." is resolved by the
 * kernel on the physical directory, as realpath resolved cur. */
char *iam_config_find(const char *dir)
{
    if (!dir)
        dir = ".";
    char *cur = realpath(dir, NULL);
    if (!cur)
        return NULL;
    char *found = NULL;
    for (int up = 0;; up++) {
        size_t n = strlen(cur);
        const char *sep = n > 0 && cur[n - 1] == '/' ? "" : "/";
        size_t m = n + sizeof CONFIG_NAME + 8;
        char *cand = iam_xmalloc(m);
        snprintf(cand, m, "%s%s%s", cur, sep, CONFIG_NAME);
        if (is_file(cand)) {
            free(cand);
            iam_strbuf b = IAM_STRBUF_INIT;
            if (strcmp(dir, ".") != 0 && strcmp(dir, "./") != 0) {
                iam_sb_puts(&b, dir);
                if (dir[strlen(dir) - 1] != '/')
                    iam_sb_putc(&b, '/');
            }
            for (int k = 0; k < up; k++)
                iam_sb_puts(&b, "../");
            iam_sb_puts(&b, CONFIG_NAME);
            found = b.s;
            break;
        }
        snprintf(cand, m, "%s%s.git", cur, sep);
        int top = is_dir(cand) || is_file(cand);   /* .git is a file in worktrees */
        free(cand);
        char *slash = strrchr(cur, '/');
        if (top || !slash || (slash == cur && cur[1] == '\0'))
            break;
        if (slash == cur)
            cur[1] = '\0';
        else
            *slash = '\0';
    }
    free(cur);
    return found;
}

bool iam_strv_has(const iam_strv *v, const char *s)
{
    for (size_t i = 0; v && i < v->n; i++)
        if (strcmp(v->v[i], s) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Ignore globs                                                         */
/* ------------------------------------------------------------------ */

static bool glob_eq(const char *pat, const char *s, size_t n)
{
    return iam_glob_match(pat, strlen(pat), s, n, false);
}

/* gitignore-like: a pattern without '/' matches the base name of the file
 * or of any directory above it; a pattern with '/' matches the path
 * relative to the config's directory, or any leading directory of it, so
 * "corpus/bad" skips the whole tree, like "corpus/bad" plus a double star. */
static bool ignored_rel(const char *pat, const char *rel)
{
    while (pat[0] == '.' && pat[1] == '/')
        pat += 2;
    while (*pat == '/')
        pat++;
    size_t pl = strlen(pat);
    if (pl == 0)
        return false;
    char buf[PATH_MAX];
    if (pat[pl - 1] == '/') {      /* "dir/": everything below it */
        if (pl + 2 > sizeof buf)
            return false;
        memcpy(buf, pat, pl);
        buf[pl] = '*';
        buf[pl + 1] = '\0';
        pat = buf;
    }
    bool has_slash = strchr(pat, '/') != NULL;
    size_t n = strlen(rel);
    for (size_t end = 0; end <= n; end++) {
        if (end != n && rel[end] != '/')
            continue;
        if (has_slash) {
            if (glob_eq(pat, rel, end))
                return true;
        } else {
            size_t start = end;
            while (start > 0 && rel[start - 1] != '/')
                start--;
            if (glob_eq(pat, rel + start, end - start))
                return true;
        }
    }
    return false;
}

bool iam_config_ignored(const iam_config *c, const char *path)
{
    if (!c || c->ignore.n == 0 || !c->dir || strcmp(path, "-") == 0)
        return false;
    char *abs = realpath(path, NULL);
    if (!abs)
        return false;
    size_t dl = strlen(c->dir);
    const char *rel = NULL;
    if (strcmp(c->dir, "/") == 0)
        rel = abs + 1;
    else if (strncmp(abs, c->dir, dl) == 0 && abs[dl] == '/')
        rel = abs + dl + 1;
    bool hit = false;
    for (size_t i = 0; rel && !hit && i < c->ignore.n; i++)
        hit = ignored_rel(c->ignore.v[i], rel);
    free(abs);
    return hit;
}

/* ------------------------------------------------------------------ */
/* Keeping located errors alive                                          */
/* ------------------------------------------------------------------ */

/* Copy src (bytes, name and a prebuilt line index) into d's arena and point
 * every span of d->v[from..] that referred to src at the copy. The loaders
 * free their own source on failure, yet the caller still has to render the
 * diagnostics with excerpts; the copy lives exactly as long as they do. */
void iam_diags_adopt_source(iam_diags *d, size_t from, const iam_source *src)
{
    iam_source *cp = iam_arena_alloc(d->arena, sizeof *cp);
    cp->path = iam_arena_strdup(d->arena, src->path);
    cp->data = iam_arena_alloc(d->arena, src->len + 2);
    memcpy(cp->data, src->data, src->len);
    cp->len = src->len;
    size_t nl = 1;
    for (size_t i = 0; i < src->len; i++)
        nl += src->data[i] == '\n';
    cp->lines = iam_arena_alloc(d->arena, nl * sizeof *cp->lines);
    cp->lines[0] = 0;
    for (size_t i = 0, k = 1; i < src->len; i++)
        if (src->data[i] == '\n')
            cp->lines[k++] = (uint32_t)(i + 1);
    cp->nlines = nl;
    for (size_t i = from; i < d->n; i++) {
        iam_diag *g = &d->v[i];
        if (g->span.src == src)
            g->span.src = cp;
        for (size_t k = 0; k < g->nrelated; k++)
            if (g->related[k].span.src == src)
                g->related[k].span.src = cp;
    }
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

typedef struct cfgctx {
    iam_config *c;
    iam_diags *d;
    int errors;
} cfgctx;

static void bad(cfgctx *x, iam_span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad(cfgctx *x, iam_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iam_diag_vadd(x->d, IAM_R_INPUT_ERROR, at, fmt, ap);
    va_end(ap);
    x->errors++;
}

/* Levenshtein distance, capped (names are short). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t prev[64], cur[64];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* Closest of names[0..n) within a third of the length, or NULL. */
static const char *suggest(const char *s, const char *(*name)(size_t), size_t n)
{
    const char *best = NULL;
    size_t bd = strlen(s) / 3 + 1;
    for (size_t i = 0; i < n; i++) {
        size_t dd = distance(s, name(i));
        if (dd <= bd && (!best || dd < bd)) {
            best = name(i);
            bd = dd;
        }
    }
    return best;
}

static const char *rule_name_at(size_t i)
{
    return iam_rule((iam_rule_id)i)->name;
}

static const char *const top_keys[] = {
    "rules", "failOn", "trustedAccounts", "sensitiveActions",
    "secretActions", "requiredGuardrails", "ignore",
};
#define NTOP (sizeof top_keys / sizeof *top_keys)

static const char *top_key_at(size_t i)
{
    return top_keys[i];
}

static const char *const levels[] = {"off", "error", "security", "warning", "suggestion", "none"};

static const char *level_at(size_t i)
{
    return levels[i];
}

static bool expect_kind(cfgctx *x, const iam_json *v, iam_json_kind k, const char *what)
{
    if (v->kind == k)
        return true;
    bad(x, v->span, "%s must be %s %s, not %s", what, k == IAM_JSON_ARRAY || k == IAM_JSON_OBJECT ? "an" : "a",
        iam_json_kind_name(k), iam_json_kind_name(v->kind));
    return false;
}

static void load_rules(cfgctx *x, const iam_json *v)
{
    if (!expect_kind(x, v, IAM_JSON_OBJECT, "'rules'"))
        return;
    for (size_t i = 0; i < v->u.obj.n; i++) {
        const iam_json_member *m = &v->u.obj.v[i];
        int id = iam_rule_by_name(m->key);
        if (id < 0) {
            const char *s = suggest(m->key, rule_name_at, IAM_R_COUNT);
            if (s)
                bad(x, m->key_span, "unknown rule '%s'; did you mean '%s'?", m->key, s);
            else
                bad(x, m->key_span, "unknown rule '%s' (see 'iampc analyze --help' and docs/config.md)", m->key);
            continue;
        }
        if (!expect_kind(x, m->value, IAM_JSON_STRING, "a rule setting"))
            continue;
        const char *lv = m->value->u.str.s;
        int sev = iam_severity_by_name(lv);
        if (strcmp(lv, "off") == 0) {
            x->c->sev_override[id] = -2;
        } else if (sev >= 0) {
            x->c->sev_override[id] = (signed char)sev;
        } else {
            const char *s = suggest(lv, level_at, 5);
            bad(x, m->value->span, "unknown setting '%s' for rule '%s' (expected off, error, security, warning or suggestion)%s%s%s",
                lv, m->key, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
        }
    }
}

static void load_fail_on(cfgctx *x, const iam_json *v)
{
    if (!expect_kind(x, v, IAM_JSON_STRING, "'failOn'"))
        return;
    const char *s = v->u.str.s;
    if (strcmp(s, "none") != 0 && iam_severity_by_name(s) < 0) {
        const char *sg = suggest(s, level_at, 6);
        bad(x, v->span, "'failOn' takes error, security, warning, suggestion or none, not '%s'%s%s%s", s,
            sg && strcmp(sg, "off") != 0 ? "; did you mean '" : "", sg && strcmp(sg, "off") != 0 ? sg : "",
            sg && strcmp(sg, "off") != 0 ? "'?" : "");
        return;
    }
    x->c->fail_on = iam_arena_strdup(x->c->arena, s);
}

typedef bool (*item_check)(cfgctx *x, const iam_json *item, const char *key);

static bool check_account(cfgctx *x, const iam_json *it, const char *key)
{
    size_t n = it->u.str.len;
    bool ok = n == 12;
    for (size_t i = 0; ok && i < n; i++)
        ok = it->u.str.s[i] >= '0' && it->u.str.s[i] <= '9';
    if (!ok)
        bad(x, it->span, "'%s' entries must be 12-digit AWS account ids, not '%s'", key, it->u.str.s);
    return ok;
}

/* "service:pattern" or "*": what an Action element accepts. */
static bool check_action(cfgctx *x, const iam_json *it, const char *key)
{
    const char *s = it->u.str.s;
    const char *colon = strchr(s, ':');
    bool ok = strcmp(s, "*") == 0;
    if (!ok && colon && colon > s && colon[1] != '\0' && !strchr(colon + 1, ':')) {
        ok = true;
        for (const char *p = s; p < colon && ok; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-';
    }
    if (!ok)
        bad(x, it->span, "'%s' entries must be actions of the form service:name (wildcards allowed), not '%s'", key, s);
    return ok;
}

static bool check_glob(cfgctx *x, const iam_json *it, const char *key)
{
    if (it->u.str.len == 0) {
        bad(x, it->span, "'%s' entries must not be empty", key);
        return false;
    }
    return true;
}

static void load_list(cfgctx *x, const iam_json_member *m, iam_strv *out, item_check check)
{
    const iam_json *v = m->value;
    char what[64];
    snprintf(what, sizeof what, "'%s'", m->key);
    if (!expect_kind(x, v, IAM_JSON_ARRAY, what))
        return;
    out->v = iam_arena_alloc(x->c->arena, (v->u.arr.n ? v->u.arr.n : 1) * sizeof *out->v);
    out->n = 0;
    for (size_t i = 0; i < v->u.arr.n; i++) {
        const iam_json *it = v->u.arr.v[i];
        if (it->kind != IAM_JSON_STRING) {
            bad(x, it->span, "'%s' entries must be strings, not %s", m->key, iam_json_kind_name(it->kind));
            continue;
        }
        if (strlen(it->u.str.s) != it->u.str.len) {
            bad(x, it->span, "'%s' entries must not contain NUL characters", m->key);
            continue;
        }
        if (!check(x, it, m->key))
            continue;
        if (!iam_strv_has(out, it->u.str.s))
            out->v[out->n++] = iam_arena_strdup(x->c->arena, it->u.str.s);
    }
}

static void load_doc(cfgctx *x, const iam_json *doc)
{
    if (doc->kind != IAM_JSON_OBJECT) {
        bad(x, doc->span, "the config must be a JSON object, not %s", iam_json_kind_name(doc->kind));
        return;
    }
    iam_config *c = x->c;
    for (size_t i = 0; i < doc->u.obj.n; i++) {
        const iam_json_member *m = &doc->u.obj.v[i];
        const char *k = m->key;
        if (strcmp(k, "rules") == 0)
            load_rules(x, m->value);
        else if (strcmp(k, "failOn") == 0)
            load_fail_on(x, m->value);
        else if (strcmp(k, "trustedAccounts") == 0)
            load_list(x, m, &c->trusted_accounts, check_account);
        else if (strcmp(k, "sensitiveActions") == 0)
            load_list(x, m, &c->sensitive_actions, check_action);
        else if (strcmp(k, "secretActions") == 0)
            load_list(x, m, &c->secret_actions, check_action);
        else if (strcmp(k, "requiredGuardrails") == 0)
            load_list(x, m, &c->required_guardrails, check_action);
        else if (strcmp(k, "ignore") == 0)
            load_list(x, m, &c->ignore, check_glob);
        else if (strcmp(k, "$schema") == 0)
            ;   /* editors' schema hint: allowed, not used */
        else {
            const char *s = suggest(k, top_key_at, NTOP);
            if (s)
                bad(x, m->key_span, "unknown key '%s'; did you mean '%s'?", k, s);
            else
                bad(x, m->key_span, "unknown key '%s' (expected rules, failOn, trustedAccounts, sensitiveActions, "
                    "secretActions, requiredGuardrails or ignore)", k);
        }
    }
}

/* Directory of path, absolute and resolved (ignores are relative to it). */
static const char *dir_of(iam_arena *a, const char *path)
{
    char *abs = realpath(path, NULL);
    if (!abs)
        return NULL;
    char *slash = strrchr(abs, '/');
    if (slash == abs)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    const char *r = iam_arena_strdup(a, abs);
    free(abs);
    return r;
}

iam_status iam_config_parse(const iam_source *src, iam_diags *d, iam_config **out)
{
    *out = NULL;
    iam_config *c = config_new();
    iam_json *doc = NULL;
    size_t before = d->n;
    iam_status st = iam_json_parse(c->arena, src, NULL, d, &doc);
    if (st != IAM_OK) {
        iam_config_free(c);
        return st;
    }
    /* A duplicate key is reported but does not fail a JSON parse; in a
     * config it means one of the two settings is silently lost. */
    cfgctx x = {c, d, (int)(d->n - before)};
    load_doc(&x, doc);
    if (x.errors) {
        iam_config_free(c);
        return IAM_ERR_SYNTAX;
    }
    c->path = iam_arena_strdup(c->arena, src->path);
    *out = c;
    return IAM_OK;
}

iam_status iam_config_load(const char *path, iam_diags *d, iam_config **out)
{
    *out = NULL;
    const char *err = NULL;
    iam_source *src = iam_source_read(path, 1u << 20, &err);
    if (!src) {
        iam_source *name = iam_source_from_mem(path, "", 0);
        iam_span at = {name, 1, 1, 1, 1, 0, 0};
        size_t before = d->n;
        iam_diag_add(d, IAM_R_INPUT_ERROR, at, "cannot read config '%s': %s", path,
                     strcmp(err, "file too large") == 0 ? "larger than 1 MiB" : err);
        iam_diags_adopt_source(d, before, name);
        iam_source_free(name);
        return IAM_ERR_IO;
    }
    size_t before = d->n;
    iam_config *c = NULL;
    iam_status st = iam_config_parse(src, d, &c);
    if (st != IAM_OK) {
        iam_diags_adopt_source(d, before, src);
        iam_source_free(src);
        return st;
    }
    c->src = src;
    c->path = iam_arena_strdup(c->arena, path);
    c->dir = dir_of(c->arena, path);
    *out = c;
    return IAM_OK;
}
