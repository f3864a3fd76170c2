/* values.h - shape checks for condition values and policy variables. */
#ifndef IAM_POLICY_VALUES_H
#define IAM_POLICY_VALUES_H
#include <stdbool.h>
#include <stddef.h>

bool iam_value_is_number(const char *s, size_t n);
bool iam_value_is_date(const char *s, size_t n);
bool iam_value_is_bool(const char *s, size_t n);
bool iam_value_is_cidr(const char *s, size_t n);   /* address or CIDR, v4 or v6 */
bool iam_value_is_base64(const char *s, size_t n);
bool iam_has_variable(const char *s, size_t n);
/* NULL if every ${...} is well formed; else why, with *at = byte offset. */
const char *iam_check_variables(const char *s, size_t n, size_t *at);

#endif
