/* strbuf.h - growable heap string for building output (malloc-owned). */
#ifndef IAM_CORE_STRBUF_H
#define IAM_CORE_STRBUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct iam_strbuf {
    char *s;      /* always NUL-terminated when cap > 0 */
    size_t len, cap;
} iam_strbuf;

#define IAM_STRBUF_INIT {NULL, 0, 0}
void iam_sb_reserve(iam_strbuf *b, size_t extra);
void iam_sb_add(iam_strbuf *b, const char *s, size_t n);
void iam_sb_puts(iam_strbuf *b, const char *s);
void iam_sb_putc(iam_strbuf *b, char c);
void iam_sb_printf(iam_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s[0..n) as a JSON string literal (quotes included, RFC 8259 escapes). */
void iam_sb_json_str(iam_strbuf *b, const char *s, size_t n);
void iam_sb_free(iam_strbuf *b);

#endif
