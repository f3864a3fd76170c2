/* glob.h - IAM wildcard matching: '*' = any run (possibly empty), '?' = one
 * character, anchored, no classes (iam-semantics.md 2.1).
 *
 * Linear time, no backtracking: the pattern is split at '*' into segments;
 * the first is anchored at the start, the last at the end, and the middle
 * ones are found leftmost-first in order (greedy leftmost is exact for this
 * pattern language). Segments without '?' are found with memmem (two-way,
 * linear); segments with '?' of up to 64 characters with a Shift-And scan.
 * Each text byte is examined a bounded number of times, so adversarial
 * patterns such as "*a*a*a*a*b" cost O(pattern + text).
 *
 * '?' is one character: when the pattern has '?' and the text has
 * non-ASCII bytes, both are matched as code points (O(text * segment)).
 *
 * Case: icase folds ASCII letters (actions, *IgnoreCase operators); without
 * it matching is byte-exact (ARN resource parts, StringLike).
 * A compiled glob is immutable and safe to share between threads. */
#ifndef IAM_CORE_GLOB_H
#define IAM_CORE_GLOB_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

typedef struct iam_glob iam_glob;

/* Compile pat[0..plen) into a (the arena owns the result). */
iam_glob *iam_glob_compile(iam_arena *a, const char *pat, size_t plen, bool icase);
bool iam_glob_exec(const iam_glob *g, const char *s, size_t slen);
/* True when the pattern has no '*' or '?' (an exact string). */
bool iam_glob_is_literal(const iam_glob *g);

/* One-shot match without compiling (no allocation for typical sizes). */
bool iam_glob_match(const char *pat, size_t plen, const char *s, size_t slen, bool icase);
/* The same, where lit[i] != 0 makes pat[i] an ordinary character even if
 * it is '*' or '?' (text substituted from a policy variable is literal,
 * iam-semantics.md 4.6). lit may be NULL. */
bool iam_glob_match_lit(const char *pat, const unsigned char *lit, size_t plen, const char *s, size_t slen,
                        bool icase);

#endif
