/* internal.h - helpers shared by decode.c and validate.c. */
#ifndef IAM_POLICY_INTERNAL_H
#define IAM_POLICY_INTERNAL_H
#include "policy/policy.h"

/* Parse "[ForAllValues:|ForAnyValue:]Base[IfExists]" case-insensitively. */
void iam_cond_parse_operator(const char *text, size_t len, iam_setq *setq, iam_cond_base *base,
                             bool *if_exists, bool *canonical);
/* Case-insensitive ASCII comparison of s[0..n) with NUL-terminated t. */
bool iam_ieq(const char *s, size_t n, const char *t);
/* Edit distance (ASCII case-insensitive), capped at cap+1. */
size_t iam_edit_distance(const char *a, const char *b, size_t cap);

#endif
