/* text.h - small string helpers shared by every module. */
#ifndef IAM_CORE_TEXT_H
#define IAM_CORE_TEXT_H
#include <stddef.h>

/* ASCII-case-insensitive Levenshtein distance of a[0..n) and b[0..m), for
 * "did you mean" suggestions; returns cap + 1 as soon as it must exceed
 * cap (and for strings over 255 bytes). */
size_t iam_edit_distance_n(const char *a, size_t n, const char *b, size_t m, size_t cap);
/* The same for NUL-terminated strings. */
size_t iam_edit_distance(const char *a, const char *b, size_t cap);

/* Value of a hexadecimal digit, or -1. */
int iam_hexval(char c);

#endif
