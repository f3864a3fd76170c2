/* helpers.h - scratch directories and in-memory sources for the config,
 * baseline and GAAD tests. */
#ifndef IAM_TEST_CONFIG_HELPERS_H
#define IAM_TEST_CONFIG_HELPERS_H
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/parameterized.h>

#include "core/diag.h"
#include "core/source.h"

/* Table-driven ParameterizedTest: each case runs in a fresh process where
 * pointers into the parent's static data are invalid (ASLR), so the
 * parameter is an index into a file-scope table (as tests/unit/core). */
#define TABLE_PARAMS(suite, name, table)                                      \
    ParameterizedTestParameters(suite, name)                                  \
    {                                                                         \
        static size_t idx_[sizeof(table) / sizeof(*(table))];                 \
        for (size_t i_ = 0; i_ < sizeof idx_ / sizeof *idx_; i_++)            \
            idx_[i_] = i_;                                                    \
        return cr_make_param_array(size_t, idx_, sizeof idx_ / sizeof *idx_); \
    }

/* A fresh directory under $TMPDIR (left behind on failure, for inspection;
 * removed by rm_tree on success). */
static inline char *scratch_dir(void)
{
    const char *t = getenv("TMPDIR");
    char *p = malloc(256);
    snprintf(p, 256, "%s/iampc-config-XXXXXX", t && *t ? t : "/tmp");
    cr_assert_not_null(mkdtemp(p));
    return p;
}

static inline void rm_tree(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Write text to dir/rel, creating parent directories. */
static inline void put_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(path, 0777);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

static inline char *join(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

/* Does some diagnostic of rule r contain text in its message? */
static inline const iam_diag *find_diag(const iam_diags *d, iam_rule_id r, const char *text)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].rule == r && (!text || strstr(d->v[i].msg, text)))
            return &d->v[i];
    return NULL;
}

#endif
