/* minimize_corpus.c - `ctest -R corpus.minimize`: minimize every policy of
 * a corpus directory (default corpus/managed, from
 * tools/fetch-managed-policies) and require the equivalence check to pass:
 *   1. without a size limit (no splitting): IAM_OK for every policy;
 *   2. with --no-new-wildcards: IAM_OK and no future-proofing warnings;
 *      with --word-wildcards: IAM_OK;
 *   3. with the quota of the type: IAM_OK, or IAM_ERR_LIMIT when a single
 *      statement (a NotAction list, say) cannot fit - counted, not failed.
 * Exit 0 all good, 1 a failure (printed), 77 (skip) when the corpus is
 * absent or empty. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "compiler/minimize.h"
#include "core/fsutil.h"
#include "core/intern.h"
#include "grammar/json.h"
#include "policy/policy.h"

static void show(const iam_diags *d, const char *path)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].sev == IAM_SEV_ERROR)
            fprintf(stderr, "%s:%u:%u: %s [%s]\n", path, (unsigned)d->v[i].span.line,
                    (unsigned)d->v[i].span.col, d->v[i].msg, iam_rule(d->v[i].rule)->name);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "corpus/managed";
    if (!iam_is_dir(dir)) {
        printf("corpus %s absent: skipped (tools/fetch-managed-policies)\n", dir);
        return 77;
    }
    static const char *const exts[] = {".json", NULL};
    iam_pathlist files = {0};
    const char *bad = NULL, *err = NULL;
    if (iam_inputs_collect(&files, &dir, 1, exts, &bad, &err) != 0 || files.n == 0) {
        printf("corpus %s empty: skipped\n", dir);
        iam_pathlist_free(&files);
        return 77;
    }
    const iam_catalog *cat = iam_catalog_builtin();
    size_t failed = 0, too_large = 0, undecoded = 0, before = 0, after = 0, warnings = 0, split = 0;
    for (size_t f = 0; f < files.n; f++) {
        iam_source *src = iam_source_read(files.v[f], 0, &err);
        if (!src) {
            fprintf(stderr, "%s: cannot read: %s\n", files.v[f], err);
            failed++;
            continue;
        }
        iam_arena *a = iam_arena_new();
        iam_strtab *names = iam_intern_new();
        iam_diags d;
        iam_diags_init(&d);
        iam_json *root = NULL;
        iam_policy *p = NULL;
        if (iam_json_parse(a, src, NULL, &d, &root) == IAM_OK && root) {
            iam_decode_opts o = {IAM_PT_UNKNOWN, IAM_TO_HEURISTIC};
            p = iam_policy_decode(a, names, root, &o, &d);
        }
        if (!p || !p->ok) {
            undecoded++;   /* not a policy the minimizer takes; analyze reports it */
            goto next;
        }
        iam_min_opts o = iam_min_defaults;
        iam_min_result r;
        o.max_size = SIZE_MAX / 2;
        iam_diags_fini(&d);
        iam_diags_init(&d);
        if (iam_minimize(cat, p, &o, &d, &r) != IAM_OK) {
            fprintf(stderr, "%s: unlimited minimization failed\n", src->path);
            show(&d, src->path);
            failed++;
            goto next;
        }
        iam_min_result_free(&r);
        o.no_new_wildcards = true;
        if (iam_minimize(cat, p, &o, &d, &r) != IAM_OK || r.nwarnings) {
            fprintf(stderr, "%s: --no-new-wildcards minimization failed\n", src->path);
            show(&d, src->path);
            failed++;
            iam_min_result_free(&r);
            goto next;
        }
        iam_min_result_free(&r);
        o.no_new_wildcards = false;
        o.word_wildcards = true;
        if (iam_minimize(cat, p, &o, &d, &r) != IAM_OK) {
            fprintf(stderr, "%s: --word-wildcards minimization failed\n", src->path);
            show(&d, src->path);
            failed++;
            goto next;
        }
        iam_min_result_free(&r);
        o = iam_min_defaults;
        iam_status st = iam_minimize(cat, p, &o, &d, &r);
        if (st == IAM_ERR_LIMIT) {
            too_large++;
        } else if (st != IAM_OK) {
            fprintf(stderr, "%s: minimization within the quota failed\n", src->path);
            show(&d, src->path);
            failed++;
        } else {
            before += r.before_size;
            after += r.after_size;
            warnings += r.nwarnings;
            split += r.ndocs > 1;
            for (size_t i = 0; i < r.ndocs; i++)
                if (r.docs[i].size > r.limit) {
                    fprintf(stderr, "%s: document %zu exceeds the limit\n", src->path, i);
                    failed++;
                }
        }
        iam_min_result_free(&r);
    next:
        iam_diags_fini(&d);
        iam_intern_free(names);
        iam_arena_destroy(a);
        iam_source_free(src);
    }
    printf("%zu policies: %zu failed, %zu not decodable, %zu with a statement too large for the quota, "
           "%zu split; %zu -> %zu characters; %zu new-wildcard warnings\n",
           files.n, failed, undecoded, too_large, split, before, after, warnings);
    iam_pathlist_free(&files);
    return failed ? 1 : 0;
}
