/* fsutil.h - input discovery and safe output files.
 *
 * iam_inputs_collect expands paths: a file is taken as is, a directory is
 * walked recursively for names ending in one of `exts` (e.g. ".json"),
 * hidden entries skipped, results sorted bytewise per directory so output
 * is deterministic; "-" stands for stdin. */
#ifndef IAM_CORE_FSUTIL_H
#define IAM_CORE_FSUTIL_H
#include <stddef.h>

typedef struct iam_pathlist {
    char **v;
    size_t n, cap;
} iam_pathlist;

/* Returns 0, or -1 with *bad set to the path that does not exist (err set). */
int iam_inputs_collect(iam_pathlist *out, const char *const *paths, size_t npaths,
                       const char *const *exts, const char **bad, const char **err);
void iam_pathlist_free(iam_pathlist *l);
int iam_is_dir(const char *path);

/* Write data atomically: temp file in the same directory, fsync, rename.
 * Keeps the mode of an existing file. Returns 0 or -1 (err = strerror). */
int iam_write_atomic(const char *path, const char *data, size_t len, const char **err);

#endif
