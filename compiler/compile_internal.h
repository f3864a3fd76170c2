/* compile_internal.h - structures shared by the intent compiler's files:
 * intent_load.c (files, includes, variables, suggestions), intent_compile.c
 * (statements to grants), compile_out.c (documents, quotas, verification). */
#ifndef IAM_COMPILER_COMPILE_INTERNAL_H
#define IAM_COMPILER_COMPILE_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog.h"
#include "compiler/compile.h"
#include "core/arena.h"
#include "core/intern.h"
#include "policy/policy.h"

typedef struct ix_var {
    const char *name;
    const char *value;
} ix_var;

/* One intent file of the unit. */
typedef struct ix_file {
    char *key;                /* realpath, or the display path */
    iam_source *src;
    iam_intent *ast;
    ix_var *vars;             /* visible variables, in definition order */
    size_t nvars;
    int state;                /* 0 loading, 1 done, -1 failed */
} ix_file;

/* A resolved condition: operator, key and values as they will be written. */
typedef struct ix_cond {
    const char *op;
    const char *key;
    const char **vals;
    size_t nvals;
} ix_cond;

/* Grants of one (effect, condition set): per resource, its action set. */
typedef struct ix_group {
    iam_effect effect;
    ix_cond *conds;           /* sorted by (op, key) */
    size_t nconds;
    const char *ckey;         /* canonical text of effect + conditions */
    const char **res;
    iam_actionset **sets;
    size_t nres;
} ix_group;

typedef struct ix_assert {
    const iam_ix_stmt *st;
    bool allows;
    const char *action;
    const char *resource;
    const char *principal;    /* NULL: default caller */
    const char **keys, **vals;
    size_t nctx;
} ix_assert;

/* One declared policy being compiled. */
typedef struct ix_policy {
    const iam_ix_item *item;
    ix_file *file;
    const char *name;
    ix_group *groups;
    size_t ngroups;
    const char **aws;         /* principals (resource policies) */
    size_t naws;
    const char **svc;
    size_t nsvc;
    bool any_principal;
    bool has_principal;
    iam_actionset *exclude;
    ix_assert *asserts;
    size_t nasserts;
    bool failed;
} ix_policy;

struct iam_compile_unit {
    iam_arena *arena;
    iam_strtab *names;
    const iam_catalog *cat;
    iam_compile_opts opts;
    ix_file **files;
    size_t nfiles;
    iam_source **owned;       /* sources created for output documents */
    size_t nowned;
    iam_compiled_doc *docs;
    size_t ndocs;
    size_t npolicies;
    const char **pnames;      /* declared policy names, for duplicates */
    iam_span *pspans;
    size_t npnames;
};

/* Closest of cands[0..n) to s within a distance budget, or NULL. */
const char *ix_closest(const char *s, const char *const *cands, size_t n);
/* Substitute ${name} (not ${aws:...}, ${*}, ...) from f's variables; NULL
 * after an intent-undefined diagnostic. */
const char *ix_resolve(iam_compile_unit *u, const ix_file *f, const iam_ix_str *s, iam_diags *d);
void ix_own_source(iam_compile_unit *u, iam_source *src);

/* intent_compile.c: a policy's statements to groups; false after errors. */
bool ix_policy_build(iam_compile_unit *u, ix_policy *p, iam_diags *d);
iam_actionset *ix_group_set(iam_compile_unit *u, ix_group *g, const char *res);
ix_group *ix_group_get(iam_compile_unit *u, ix_policy *p, iam_effect e, ix_cond *conds,
                       size_t nconds);
char *ix_cond_key(iam_arena *a, iam_effect e, const ix_cond *c, size_t n);

/* intent_cond.c: conditions. */
const char **ix_one(iam_compile_unit *u, const char *s);
const char **ix_resolve_all(iam_compile_unit *u, ix_file *f, const iam_ix_strs *s, iam_diags *d, bool *ok);
/* Condition sets of a statement: `when a and b` is one set, `unless a and
 * b` one set per negated condition; *ok false after diagnostics. */
size_t ix_cond_sets(iam_compile_unit *u, ix_file *f, const iam_ix_stmt *st, bool all_kms, ix_cond ***sets,
                    size_t **sizes, iam_diags *d, bool *ok);
bool ix_all_kms(iam_compile_unit *u, const iam_actionset *s);

/* compile_out.c: documents, splitting; false after errors. */
bool ix_policy_emit(iam_compile_unit *u, ix_policy *p, iam_diags *d);
iam_policy_type ix_ptype(iam_ix_target t);

/* intent_verify.c: decode an output document (the unit owns its source),
 * compare grants with the intent, evaluate asserts. */
const iam_policy *ix_decode_text(iam_compile_unit *u, const char *name, const char *text, size_t len,
                                 iam_policy_type t, const char **why);
bool ix_verify(iam_compile_unit *u, const ix_policy *p, const iam_policy *const *docs, size_t n, iam_diags *d);
bool ix_run_asserts(iam_compile_unit *u, const ix_policy *p, const iam_policy *const *docs, size_t n,
                    iam_diags *d);

#endif
