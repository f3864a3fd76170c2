/* intern.h - string interning: equal strings share one pointer, so action
 * names, service prefixes and condition keys compare with ==.
 *
 * IAM names are case-insensitive: iam_intern_fold interns the ASCII-lowercase
 * form (the caller keeps the original spelling for messages).
 * Not thread-safe: one table per run or per thread. */
#ifndef IAM_CORE_INTERN_H
#define IAM_CORE_INTERN_H
#include <stddef.h>

typedef struct iam_strtab iam_strtab;

iam_strtab *iam_intern_new(void);
void iam_intern_free(iam_strtab *t);
const char *iam_intern(iam_strtab *t, const char *s, size_t n);
const char *iam_intern_fold(iam_strtab *t, const char *s, size_t n);
size_t iam_intern_count(const iam_strtab *t);

#endif
