/* analyzer.c - per-file pipeline: source -> JSON -> IR -> checks. */
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "core/arena.h"
#include "core/intern.h"
#include "grammar/json.h"

struct iam_analyzer {
    iam_analyze_opts opts;
    iam_diags diags;
    iam_strtab *names;
    iam_source **srcs;
    iam_arena **arenas;
    size_t nsrcs, cap;
    size_t files, policies;
    int input_failed;
};

iam_analyzer *iam_analyzer_new(const iam_analyze_opts *o)
{
    iam_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        iam_oom("out of memory");
    if (o)
        an->opts = *o;
    iam_diags_init(&an->diags);
    an->names = iam_intern_new();
    return an;
}

void iam_analyzer_free(iam_analyzer *an)
{
    if (!an)
        return;
    for (size_t i = 0; i < an->nsrcs; i++) {
        iam_arena_destroy(an->arenas[i]);
        iam_source_free(an->srcs[i]);
    }
    free(an->srcs);
    free(an->arenas);
    iam_diags_fini(&an->diags);
    iam_intern_free(an->names);
    free(an);
}

/* Keep a source (and a fresh arena for it) alive until the analyzer dies. */
static iam_arena *keep(iam_analyzer *an, iam_source *src)
{
    if (an->nsrcs == an->cap) {
        an->cap = an->cap ? an->cap * 2 : 16;
        an->srcs = iam_xrealloc(an->srcs, an->cap * sizeof *an->srcs);
        an->arenas = iam_xrealloc(an->arenas, an->cap * sizeof *an->arenas);
    }
    iam_arena *a = iam_arena_new();
    an->srcs[an->nsrcs] = src;
    an->arenas[an->nsrcs++] = a;
    an->files++;
    return a;
}

static iam_status run(iam_analyzer *an, iam_source *src)
{
    iam_arena *a = keep(an, src);

    iam_json_limits lim = iam_json_default_limits;
    if (an->opts.max_file)
        lim.max_file = an->opts.max_file;
    iam_json *doc = NULL;
    iam_status st = iam_json_parse(a, src, &lim, &an->diags, &doc);
    if (st != IAM_OK) {
        an->input_failed = 1;
        return st;
    }
    iam_decode_opts dopts = {IAM_PT_UNKNOWN, IAM_TO_HEURISTIC};
    if (an->opts.type != IAM_PT_UNKNOWN) {
        dopts.type = an->opts.type;
        dopts.origin = IAM_TO_FLAG;
    } else if (strcmp(src->path, "<stdin>") != 0) {
        dopts.type = iam_policy_type_from_path(src->path);
        dopts.origin = IAM_TO_DIRECTORY;
    }
    iam_policy *p = iam_policy_decode(a, an->names, doc, &dopts, &an->diags);
    an->policies++;
    iam_policy_validate(p, &an->diags);
    if (an->opts.check)
        an->opts.check(an->opts.check_ud, p, &an->diags);
    return IAM_OK;
}

iam_status iam_analyzer_add(iam_analyzer *an, const char *path)
{
    const char *err = NULL;
    size_t max = an->opts.max_file ? an->opts.max_file : iam_json_default_limits.max_file;
    iam_source *src = iam_source_read(path, max, &err);
    if (!src) {
        /* Unreadable input: a diagnostic on a source-less span. */
        iam_source *name = iam_source_from_mem(strcmp(path, "-") == 0 ? "<stdin>" : path, "", 0);
        keep(an, name);
        iam_span at = {name, 1, 1, 1, 1, 0, 0};
        iam_diag_add(&an->diags, strcmp(err, "file too large") == 0 ? IAM_R_INPUT_LIMIT : IAM_R_INPUT_ERROR, at,
                     "cannot read '%s': %s", path, err);
        an->input_failed = 1;
        return IAM_ERR_IO;
    }
    return run(an, src);
}

iam_status iam_analyzer_add_mem(iam_analyzer *an, const char *name, const char *data, size_t len)
{
    return run(an, iam_source_from_mem(name, data, len));
}

iam_diags *iam_analyzer_diags(iam_analyzer *an)
{
    return &an->diags;
}

size_t iam_analyzer_files(const iam_analyzer *an)
{
    return an->files;
}

size_t iam_analyzer_policies(const iam_analyzer *an)
{
    return an->policies;
}

int iam_analyzer_input_failed(const iam_analyzer *an)
{
    return an->input_failed;
}
