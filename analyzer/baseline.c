/* baseline.c - reading, applying and writing finding baselines.
 *
 * Only the fingerprint decides whether a finding is baselined; rule, file
 * and message are stored for the humans reviewing the file in a diff. The
 * file is written sorted by fingerprint, one finding per line, so a
 * regenerated baseline differs from the old one only by the findings that
 * appeared or went away. */
#include "analyzer/baseline.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/config.h"
#include "core/fsutil.h"
#include "core/strbuf.h"
#include "grammar/json.h"

#define FP_LEN 16   /* report.h IAM_FINGERPRINT_LEN; analyzer/ does not link report/ */

struct iam_baseline {
    iam_arena *arena;
    const char **fp;   /* sorted, unique */
    size_t n;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void iam_baseline_free(iam_baseline *b)
{
    if (!b)
        return;
    iam_arena_destroy(b->arena);
    free(b);
}

static bool is_fp(const iam_json *v)
{
    if (v->kind != IAM_JSON_STRING || v->u.str.len != FP_LEN)
        return false;
    for (size_t i = 0; i < FP_LEN; i++) {
        char c = v->u.str.s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

/* Validate one entry; returns the number of errors reported. */
static int load_entry(iam_baseline *b, const iam_json *e, iam_diags *d)
{
    if (e->kind != IAM_JSON_OBJECT) {
        iam_diag_add(d, IAM_R_INPUT_ERROR, e->span, "baseline findings must be objects, not %s",
                     iam_json_kind_name(e->kind));
        return 1;
    }
    int errs = 0;
    const iam_json *fp = NULL;
    for (size_t i = 0; i < e->u.obj.n; i++) {
        const iam_json_member *m = &e->u.obj.v[i];
        if (strcmp(m->key, "fingerprint") == 0) {
            fp = m->value;
            if (!is_fp(fp)) {
                iam_diag_add(d, IAM_R_INPUT_ERROR, fp->span, "a fingerprint is %d lowercase hex digits", FP_LEN);
                errs++;
                fp = NULL;
            }
        } else if (strcmp(m->key, "rule") == 0 || strcmp(m->key, "file") == 0 || strcmp(m->key, "message") == 0) {
            if (m->value->kind != IAM_JSON_STRING) {
                iam_diag_add(d, IAM_R_INPUT_ERROR, m->value->span, "'%s' must be a string, not %s", m->key,
                             iam_json_kind_name(m->value->kind));
                errs++;
            }
        } else {
            iam_diag_add(d, IAM_R_INPUT_ERROR, m->key_span,
                         "unknown key '%s' in a baseline finding (expected fingerprint, rule, file, message)", m->key);
            errs++;
        }
    }
    if (!fp && !iam_json_get(e, "fingerprint")) {
        iam_diag_add(d, IAM_R_INPUT_ERROR, e->span, "baseline finding without a 'fingerprint'");
        errs++;
    }
    if (fp && !errs)
        b->fp[b->n++] = iam_arena_strndup(b->arena, fp->u.str.s, FP_LEN);
    return errs;
}

static int load_doc(iam_baseline *b, const iam_json *doc, iam_diags *d)
{
    if (doc->kind != IAM_JSON_OBJECT) {
        iam_diag_add(d, IAM_R_INPUT_ERROR, doc->span, "a baseline must be a JSON object, not %s",
                     iam_json_kind_name(doc->kind));
        return 1;
    }
    int errs = 0;
    const iam_json_member *ver = iam_json_get(doc, "version");
    const iam_json_member *list = iam_json_get(doc, "findings");
    for (size_t i = 0; i < doc->u.obj.n; i++) {
        const char *k = doc->u.obj.v[i].key;
        if (strcmp(k, "version") != 0 && strcmp(k, "findings") != 0) {
            iam_diag_add(d, IAM_R_INPUT_ERROR, doc->u.obj.v[i].key_span,
                         "unknown key '%s' in a baseline (expected version, findings)", k);
            errs++;
        }
    }
    if (!ver || ver->value->kind != IAM_JSON_NUMBER || strcmp(ver->value->u.str.s, "1") != 0) {
        iam_diag_add(d, IAM_R_INPUT_ERROR, ver ? ver->value->span : doc->span,
                     ver ? "unsupported baseline version (this iampc reads version 1)"
                         : "a baseline needs \"version\": 1");
        errs++;
    }
    if (!list || list->value->kind != IAM_JSON_ARRAY) {
        iam_diag_add(d, IAM_R_INPUT_ERROR, list ? list->value->span : doc->span,
                     "a baseline needs a 'findings' array");
        return errs + 1;
    }
    const iam_json *arr = list->value;
    b->fp = iam_arena_alloc(b->arena, (arr->u.arr.n ? arr->u.arr.n : 1) * sizeof *b->fp);
    for (size_t i = 0; i < arr->u.arr.n; i++)
        errs += load_entry(b, arr->u.arr.v[i], d);
    return errs;
}

iam_status iam_baseline_load(const char *path, iam_diags *errs, iam_baseline **out)
{
    *out = NULL;
    const char *err = NULL;
    iam_source *src = iam_source_read(path, iam_json_default_limits.max_file, &err);
    size_t before = errs->n;
    if (!src) {
        iam_source *name = iam_source_from_mem(path, "", 0);
        iam_span at = {name, 1, 1, 1, 1, 0, 0};
        iam_diag_add(errs, IAM_R_INPUT_ERROR, at, "cannot read baseline '%s': %s", path, err);
        iam_diags_adopt_source(errs, before, name);
        iam_source_free(name);
        return IAM_ERR_IO;
    }
    iam_baseline *b = calloc(1, sizeof *b);
    if (!b)
        iam_oom("out of memory");
    b->arena = iam_arena_new();
    iam_json *doc = NULL;
    iam_status st = iam_json_parse(b->arena, src, NULL, errs, &doc);
    if (st == IAM_OK && (errs->n > before || load_doc(b, doc, errs) > 0))
        st = IAM_ERR_SYNTAX;   /* duplicate keys included: a baseline is machine-written */
    if (st != IAM_OK) {
        iam_diags_adopt_source(errs, before, src);
        iam_source_free(src);
        iam_baseline_free(b);
        return st;
    }
    iam_source_free(src);   /* fingerprints were copied into b's arena */
    qsort(b->fp, b->n, sizeof *b->fp, cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < b->n; i++)
        if (w == 0 || strcmp(b->fp[w - 1], b->fp[i]) != 0)
            b->fp[w++] = b->fp[i];
    b->n = w;
    *out = b;
    return IAM_OK;
}

static bool contains(const iam_baseline *b, const char *fp)
{
    return b->n && bsearch(&fp, b->fp, b->n, sizeof *b->fp, cmp_str) != NULL;
}

size_t iam_baseline_apply(const iam_baseline *b, iam_diags *d)
{
    size_t w = 0;
    for (size_t i = 0; i < d->n; i++) {
        const iam_diag *g = &d->v[i];
        if (b && g->fingerprint && contains(b, g->fingerprint))
            continue;
        if (w != i)
            d->v[w] = *g;
        w++;
    }
    size_t removed = d->n - w;
    d->n = w;
    return removed;
}

size_t iam_baseline_size(const iam_baseline *b)
{
    return b ? b->n : 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

static const char *diag_file(const iam_diag *g)
{
    return g->span.src && g->span.src->path ? g->span.src->path : "";
}

static int cmp_diag_fp(const void *pa, const void *pb)
{
    const iam_diag *a = *(const iam_diag *const *)pa, *b = *(const iam_diag *const *)pb;
    int c = strcmp(a->fingerprint, b->fingerprint);
    if (!c)
        c = strcmp(iam_rule(a->rule)->name, iam_rule(b->rule)->name);
    if (!c)
        c = strcmp(diag_file(a), diag_file(b));
    if (!c)
        c = strcmp(a->msg ? a->msg : "", b->msg ? b->msg : "");
    return c;
}

static void put_field(iam_strbuf *sb, const char *key, const char *val, bool comma)
{
    iam_sb_json_str(sb, key, strlen(key));
    iam_sb_puts(sb, ": ");
    iam_sb_json_str(sb, val, strlen(val));
    if (comma)
        iam_sb_puts(sb, ", ");
}

/* Fingerprinted diagnostics, sorted by fingerprint, one per line. */
static void render(iam_strbuf *sb, const iam_diags *d)
{
    const iam_diag **v = iam_xmalloc((d->n ? d->n : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].fingerprint)
            v[n++] = &d->v[i];
    qsort(v, n, sizeof *v, cmp_diag_fp);
    iam_sb_puts(sb, "{\n  \"version\": 1,\n  \"findings\": [");
    size_t written = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(v[i]->fingerprint, v[i - 1]->fingerprint) == 0)
            continue;
        iam_sb_puts(sb, written ? ",\n    {" : "\n    {");
        put_field(sb, "fingerprint", v[i]->fingerprint, true);
        put_field(sb, "rule", iam_rule(v[i]->rule)->name, true);
        put_field(sb, "file", diag_file(v[i]), true);
        put_field(sb, "message", v[i]->msg ? v[i]->msg : "", false);
        iam_sb_putc(sb, '}');
        written++;
    }
    iam_sb_puts(sb, written ? "\n  ]\n}\n" : "]\n}\n");
    free(v);
}

int iam_baseline_write(const char *path, const iam_diags *d, const char **err)
{
    iam_strbuf sb = IAM_STRBUF_INIT;
    render(&sb, d);
    int rc = iam_write_atomic(path, sb.s, sb.len, err);
    iam_sb_free(&sb);
    return rc;
}
