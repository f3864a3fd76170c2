/* internal.h - helpers shared by decode.c and validate.c. */
#ifndef IAM_POLICY_INTERNAL_H
#define IAM_POLICY_INTERNAL_H
#include "core/text.h"
#include "policy/policy.h"

/* Parse "[ForAllValues:|ForAnyValue:]Base[IfExists]" case-insensitively. */
void iam_cond_parse_operator(const char *text, size_t len, iam_setq *setq, iam_cond_base *base,
                             bool *if_exists, bool *canonical);
/* Case-insensitive ASCII comparison of s[0..n) with NUL-terminated t. */
bool iam_ieq(const char *s, size_t n, const char *t);

#endif
