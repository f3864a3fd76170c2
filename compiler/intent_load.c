/* intent_load.c - compile units: reading intent files, following includes,
 * binding `let` variables, substituting ${name}, and the edit-distance
 * suggestions every "unknown X" message uses. */
#define _XOPEN_SOURCE 700
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile_internal.h"
#include "core/text.h"
#include "core/strbuf.h"

enum { MAX_INCLUDE_DEPTH = 16 };

/* -- suggestions -------------------------------------------------------- */


const char *ix_closest(const char *s, const char *const *cands, size_t n)
{
    size_t cap = strlen(s) / 3 + 1;
    if (cap > 4)
        cap = 4;
    const char *best = NULL;
    size_t bd = cap + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = iam_edit_distance(s, cands[i], cap);
        if (d < bd) {
            bd = d;
            best = cands[i];
        }
    }
    return best;
}

/* -- variables ---------------------------------------------------------- */

static const char *var_get(const ix_file *f, const char *name, size_t len)
{
    for (size_t i = f->nvars; i-- > 0;)
        if (strlen(f->vars[i].name) == len && memcmp(f->vars[i].name, name, len) == 0)
            return f->vars[i].value;
    return NULL;
}

const char *ix_resolve(iam_compile_unit *u, const ix_file *f, const iam_ix_str *s, iam_diags *d)
{
    if (!memchr(s->s, '$', s->len))
        return s->s;
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_add(&b, "", 0);
    const char *p = s->s, *end = s->s + s->len;
    while (p < end) {
        const char *q = (end - p >= 2) ? strstr(p, "${") : NULL;
        if (!q || q >= end) {
            iam_sb_add(&b, p, (size_t)(end - p));
            break;
        }
        iam_sb_add(&b, p, (size_t)(q - p));
        const char *close = memchr(q, '}', (size_t)(end - q));
        if (!close) {
            iam_sb_add(&b, q, (size_t)(end - q));
            break;
        }
        const char *nm = q + 2;
        size_t nl = (size_t)(close - nm);
        /* ${aws:username}, ${*}: IAM policy variables, written through. */
        bool iam_var = memchr(nm, ':', nl) || nl == 0 || !(isalpha((unsigned char)nm[0]) || nm[0] == '_');
        const char *v = iam_var ? NULL : var_get(f, nm, nl);
        if (iam_var) {
            iam_sb_add(&b, q, (size_t)(close + 1 - q));
        } else if (v) {
            iam_sb_puts(&b, v);
        } else {
            char *name = iam_arena_strndup(u->arena, nm, nl);
            const char **names = iam_arena_alloc(u->arena, (f->nvars + 1) * sizeof *names);
            for (size_t i = 0; i < f->nvars; i++)
                names[i] = f->vars[i].name;
            const char *sug = ix_closest(name, names, f->nvars);
            iam_diag *g = iam_diag_add(d, IAM_R_INTENT_UNDEFINED, s->span, "undefined variable '%s'", name);
            if (g && sug)
                iam_diag_help(d, g, "did you mean '%s'?", sug);
            else if (g)
                iam_diag_help(d, g, "define it first: let %s = \"...\"", name);
            iam_sb_free(&b);
            return NULL;
        }
        p = close + 1;
    }
    char *r = iam_arena_strndup(u->arena, b.s, b.len);
    iam_sb_free(&b);
    return r;
}

static void var_set(iam_compile_unit *u, ix_file *f, const char *name, const char *value)
{
    f->vars = iam_arena_grow(u->arena, f->vars, f->nvars, f->nvars + 1, sizeof *f->vars);
    f->vars[f->nvars].name = name;
    f->vars[f->nvars].value = value;
    f->nvars++;
}

/* -- units -------------------------------------------------------------- */

iam_compile_unit *iam_compile_new(const iam_compile_opts *opts)
{
    iam_arena *a = iam_arena_new();
    iam_compile_unit *u = iam_arena_alloc(a, sizeof *u);
    u->arena = a;
    u->names = iam_intern_new();
    if (opts)
        u->opts = *opts;
    u->cat = u->opts.catalog ? u->opts.catalog : iam_catalog_builtin();
    return u;
}

void iam_compile_free(iam_compile_unit *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->nfiles; i++)
        iam_source_free(u->files[i]->src);
    for (size_t i = 0; i < u->nowned; i++)
        iam_source_free(u->owned[i]);
    iam_intern_free(u->names);
    iam_arena_destroy(u->arena);
}

void ix_own_source(iam_compile_unit *u, iam_source *src)
{
    u->owned = iam_arena_grow(u->arena, u->owned, u->nowned, u->nowned + 1, sizeof *u->owned);
    u->owned[u->nowned++] = src;
}

const iam_compiled_doc *iam_compile_docs(const iam_compile_unit *u, size_t *n)
{
    *n = u->ndocs;
    return u->docs;
}

size_t iam_compile_file_count(const iam_compile_unit *u) { return u->nfiles; }
size_t iam_compile_policy_count(const iam_compile_unit *u) { return u->npolicies; }

static ix_file *file_add(iam_compile_unit *u, const char *key, iam_source *src)
{
    ix_file *f = iam_arena_alloc(u->arena, sizeof *f);
    f->key = iam_arena_strdup(u->arena, key);
    f->src = src;
    u->files = iam_arena_grow(u->arena, u->files, u->nfiles, u->nfiles + 1, sizeof *u->files);
    u->files[u->nfiles++] = f;
    return f;
}

static ix_file *file_find(iam_compile_unit *u, const char *key)
{
    for (size_t i = 0; i < u->nfiles; i++)
        if (strcmp(u->files[i]->key, key) == 0)
            return u->files[i];
    return NULL;
}

static iam_status load(iam_compile_unit *u, ix_file *f, int depth, iam_diags *d);

/* include "path": relative to the including file's directory. */
static iam_status do_include(iam_compile_unit *u, ix_file *f, const iam_ix_item *it, int depth,
                             iam_diags *d)
{
    if (u->opts.no_includes) {
        iam_diag_add(d, IAM_R_INTENT_UNDEFINED, it->value.span, "include is disabled here");
        return IAM_ERR_SYNTAX;
    }
    const char *rel = ix_resolve(u, f, &it->value, d);
    if (!rel)
        return IAM_ERR_SYNTAX;
    char *path;
    const char *slash = strrchr(f->src->path, '/');
    if (rel[0] == '/' || !slash)
        path = iam_arena_strdup(u->arena, rel);
    else
        path = iam_arena_printf(u->arena, "%.*s/%s", (int)(slash - f->src->path), f->src->path, rel);
    if (depth >= MAX_INCLUDE_DEPTH) {
        iam_diag_add(d, IAM_R_INPUT_LIMIT, it->span, "includes nested deeper than %d levels", MAX_INCLUDE_DEPTH);
        return IAM_ERR_LIMIT;
    }
    char real[PATH_MAX];
    const char *key = realpath(path, real) ? real : path;
    ix_file *child = file_find(u, key);
    if (child && child->state == 0) {
        iam_diag_add(d, IAM_R_INTENT_UNDEFINED, it->span, "include cycle: '%s' is already being read", rel);
        return IAM_ERR_SYNTAX;
    }
    if (!child) {
        const char *err = NULL;
        iam_source *src = iam_source_read(path, iam_intent_default_limits.max_file, &err);
        if (!src) {
            iam_diag_add(d, IAM_R_INTENT_UNDEFINED, it->value.span, "cannot include '%s': %s", rel, err);
            return IAM_ERR_IO;
        }
        child = file_add(u, key, src);
        iam_status st = load(u, child, depth + 1, d);
        if (st != IAM_OK)
            return st;
    }
    if (child->state < 0)
        return IAM_ERR_SYNTAX;
    for (size_t i = 0; i < child->nvars; i++)
        var_set(u, f, child->vars[i].name, child->vars[i].value);
    return IAM_OK;
}

static bool policy_name_ok(iam_compile_unit *u, const iam_ix_item *it, iam_diags *d)
{
    const char *n = it->name.s;
    bool bad = n[0] == '\0' || n[0] == '.';
    for (const char *p = n; *p && !bad; p++)
        bad = !(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.');
    if (bad) {
        iam_diag_add(d, IAM_R_INTENT_UNDEFINED, it->name.span,
                     "policy name '%s' must be letters, digits, '-', '_' or '.' (it names the output file)", n);
        return false;
    }
    for (size_t i = 0; i < u->npnames; i++) {
        if (strcmp(u->pnames[i], n) == 0) {
            iam_diag *g = iam_diag_add(d, IAM_R_INTENT_UNDEFINED, it->name.span, "duplicate policy name '%s'", n);
            if (g)
                iam_diag_related(d, g, u->pspans[i], "first declared here");
            return false;
        }
    }
    size_t k = u->npnames;
    u->pnames = iam_arena_grow(u->arena, u->pnames, k, k + 1, sizeof *u->pnames);
    u->pspans = iam_arena_grow(u->arena, u->pspans, k, k + 1, sizeof *u->pspans);
    u->pnames[k] = n;
    u->pspans[k] = it->name.span;
    u->npnames++;
    return true;
}

static bool compile_policy(iam_compile_unit *u, ix_file *f, const iam_ix_item *it, iam_diags *d)
{
    if (!policy_name_ok(u, it, d))
        return false;
    ix_policy *p = iam_arena_alloc(u->arena, sizeof *p);
    p->item = it;
    p->file = f;
    p->name = it->name.s;
    if (!ix_policy_build(u, p, d))
        return false;
    if (!ix_policy_emit(u, p, d))
        return false;
    u->npolicies++;
    return true;
}

static iam_status load(iam_compile_unit *u, ix_file *f, int depth, iam_diags *d)
{
    iam_arena *a = u->arena;
    iam_status st = iam_intent_parse(a, f->src, NULL, d, &f->ast);
    if (st != IAM_OK) {
        f->state = -1;
        return st;
    }
    iam_status worst = IAM_OK;
    for (size_t i = 0; i < f->ast->nitems; i++) {
        const iam_ix_item *it = &f->ast->items[i];
        if (it->kind == IAM_IXI_LET) {
            const char *v = ix_resolve(u, f, &it->value, d);
            if (!v) {
                worst = IAM_ERR_SYNTAX;
                continue;
            }
            var_set(u, f, it->name.s, v);
        } else if (it->kind == IAM_IXI_INCLUDE) {
            iam_status s = do_include(u, f, it, depth, d);
            if (s != IAM_OK) {
                /* The rest would only repeat "undefined variable". */
                worst = s == IAM_ERR_IO ? IAM_ERR_SYNTAX : s;
                break;
            }
        } else if (!compile_policy(u, f, it, d)) {
            worst = IAM_ERR_SYNTAX;
        }
    }
    f->state = worst == IAM_OK ? 1 : -1;
    return worst;
}

iam_status iam_compile_source(iam_compile_unit *u, iam_source *src, iam_diags *d)
{
    char real[PATH_MAX];
    const char *key = (strcmp(src->path, "<stdin>") != 0 && realpath(src->path, real)) ? real : src->path;
    ix_file *f = file_find(u, key);
    if (f) {
        /* Already read (given twice, or included by an earlier input). */
        iam_source_free(src);
        return f->state < 0 ? IAM_ERR_SYNTAX : IAM_OK;
    }
    f = file_add(u, key, src);
    return load(u, f, 0, d);
}

iam_status iam_compile_file(iam_compile_unit *u, const char *path, iam_diags *d)
{
    const char *err = NULL;
    iam_source *src = iam_source_read(path, iam_intent_default_limits.max_file, &err);
    if (!src) {
        iam_span none = {0};
        iam_diag_add(d, IAM_R_INPUT_ERROR, none, "%s: cannot read: %s", path, err);
        return IAM_ERR_IO;
    }
    return iam_compile_source(u, src, d);
}
