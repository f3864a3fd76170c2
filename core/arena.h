/* arena.h - bump allocator; the only allocator for parse trees, IR and diags.
 *
 * Ownership: everything allocated from an arena lives until
 * iam_arena_destroy(). Nothing is freed one by one, so error paths cannot
 * leak. An arena is not thread-safe: use one per thread (or per file).
 * Out of memory calls iam_oom(), the only abort in the library. */
#ifndef IAM_CORE_ARENA_H
#define IAM_CORE_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct iam_arena iam_arena;

iam_arena *iam_arena_new(void);
void iam_arena_destroy(iam_arena *a);
/* Zeroed, aligned to max_align_t. */
void *iam_arena_alloc(iam_arena *a, size_t n);
void *iam_arena_dup(iam_arena *a, const void *p, size_t n);
/* NUL-terminated copy of s[0..n). */
char *iam_arena_strndup(iam_arena *a, const char *s, size_t n);
char *iam_arena_strdup(iam_arena *a, const char *s);
char *iam_arena_printf(iam_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *iam_arena_vprintf(iam_arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Grow an arena array: returns a copy with room for new_cap elements. */
void *iam_arena_grow(iam_arena *a, void *old, size_t old_n, size_t new_cap, size_t elem);
size_t iam_arena_bytes(const iam_arena *a);

/* Abort with a message: the one place the library stops the process. */
_Noreturn void iam_oom(const char *what);
void *iam_xmalloc(size_t n);
void *iam_xrealloc(void *p, size_t n);
char *iam_xstrdup(const char *s);

#endif
