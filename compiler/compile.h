/* compile.h - `iampc compile`: intent files (grammar/intent.h) to verified
 * least-privilege policy documents (docs/intent-language.md).
 *
 * Pipeline per declared policy: resolve variables and includes; expand
 * access levels and action patterns through the catalog, keeping only the
 * actions whose resource types fit the given ARNs (wildcard-only actions
 * get their own Resource "*"); group grants by effect, principal and
 * condition set; emit canonical JSON (compiler/emit.h); split into several
 * documents when the size quota of the target type is exceeded; then
 * verify: decode the output again (policy/policy.h) and compare, per
 * (effect, principal, condition set, resource), the catalog action sets it
 * grants with the intended ones, and evaluate every `assert` with the
 * engine (engine/engine.h). Any failure is an error diagnostic; no
 * document of a failing policy is returned.
 *
 * Ownership: a unit owns every source it read (diagnostic spans point into
 * them), the ASTs and the output documents; all live until
 * iam_compile_free. Not thread-safe: one unit per thread. The catalog is
 * borrowed. */
#ifndef IAM_COMPILER_COMPILE_H
#define IAM_COMPILER_COMPILE_H
#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog.h"
#include "core/diag.h"
#include "core/source.h"
#include "grammar/intent.h"

typedef struct iam_compile_opts {
    const iam_catalog *catalog;   /* NULL: the built-in catalog */
    size_t max_size;              /* 0: the quota of each target type */
    bool no_includes;             /* reject `include` (fuzzing, untrusted input) */
    bool no_minimize;             /* skip compiler/minimize.h: exact action names,
                                   * first-fit packing; verification still runs */
    bool new_wildcards;           /* let the minimizer introduce wildcards that match
                                   * exactly today's actions but could match actions
                                   * AWS adds later (default: only exact names and
                                   * wildcards written in the intent's expansion) */
    bool tamper;                  /* testing only: drop one action from the first
                                   * compiled statement before verification, to
                                   * prove verification catches it */
} iam_compile_opts;

typedef struct iam_compiled_doc {
    const char *policy;           /* declared name */
    const char *file;             /* "NAME.json", or "NAME-1.json"... when split */
    iam_ix_target target;
    const char *json;             /* canonical (docs/fmt.md), ends with '\n' */
    size_t len;
    size_t size;                  /* characters counted against the quota */
    size_t quota;                 /* the limit it was packed under */
    size_t part, parts;           /* 1-based part number, number of parts */
} iam_compiled_doc;

typedef struct iam_compile_unit iam_compile_unit;

iam_compile_unit *iam_compile_new(const iam_compile_opts *opts);
void iam_compile_free(iam_compile_unit *u);

/* Read and compile one intent file ("-" = stdin). Policy names must be
 * unique across the files of a unit. Returns IAM_OK, or IAM_ERR_IO /
 * IAM_ERR_SYNTAX / IAM_ERR_LIMIT with diagnostics in d. Documents of the
 * policies that compiled are kept either way. */
iam_status iam_compile_file(iam_compile_unit *u, const char *path, iam_diags *d);
/* Same for a source the unit takes ownership of; includes are resolved
 * relative to the directory of src->path. */
iam_status iam_compile_source(iam_compile_unit *u, iam_source *src, iam_diags *d);

/* Documents so far, in declaration order (parts in order). */
const iam_compiled_doc *iam_compile_docs(const iam_compile_unit *u, size_t *n);
/* Intent files read (includes counted once) and policies compiled. */
size_t iam_compile_file_count(const iam_compile_unit *u);
size_t iam_compile_policy_count(const iam_compile_unit *u);

/* The default quota of a target type (characters, see docs/intent-language.md). */
size_t iam_compile_quota(iam_ix_target t);

#endif
