/* source.h - an input text (file, stdin or embedded) and positions in it.
 *
 * A source owns its bytes (two NULs appended, so Flex can scan in place).
 * Positions: line and column are 1-based; columns count Unicode code points
 * (SARIF columnKind "unicodeCodePoints"); offsets are 0-based bytes. */
#ifndef IAM_CORE_SOURCE_H
#define IAM_CORE_SOURCE_H
#include <stddef.h>
#include <stdint.h>

typedef struct iam_source {
    const char *path;     /* display name: as given, "-" shown as "<stdin>" */
    char *data;           /* len bytes + 2 NULs */
    size_t len;
    uint32_t *lines;      /* byte offset of each line start; built lazily */
    size_t nlines;
} iam_source;

typedef struct iam_span {
    const iam_source *src;
    uint32_t line, col;          /* start, 1-based */
    uint32_t end_line, end_col;  /* one past the last character */
    size_t off, end_off;         /* bytes */
} iam_span;

/* Read a whole file ("-" = stdin). Returns NULL and sets *err (static text)
 * on failure; max_bytes limits the size (0 = no limit) and err says so. */
iam_source *iam_source_read(const char *path, size_t max_bytes, const char **err);
iam_source *iam_source_from_mem(const char *name, const char *data, size_t len);
void iam_source_free(iam_source *s);
/* A scanner's running position: the end of the last token. Lines and
 * columns are 1-based, columns in code points; prev_line_cols is the column
 * just past the end of the previous line (for errors on a newline). */
typedef struct iam_pos {
    uint32_t line, col, prev_line_cols;
    size_t off;
} iam_pos;
#define IAM_POS_START {1, 1, 0, 0}

/* Move pos over text[0..len): newlines start a line, UTF-8 continuation
 * bytes do not advance the column. */
void iam_pos_advance(iam_pos *pos, const char *text, size_t len);

/* A token's location, in the field names Bison's YYLLOC_DEFAULT expects;
 * both grammars use it as their api.location.type. */
typedef struct iam_loc {
    uint32_t first_line, first_column, last_line, last_column;
    size_t first_off, last_off;
} iam_loc;

/* YY_USER_ACTION: the token text[0..len) starts at pos; pos moves past it. */
void iam_loc_step(iam_pos *pos, iam_loc *l, const char *text, size_t len);
/* The empty location at pos (end of input). */
void iam_loc_end(const iam_pos *pos, iam_loc *l);
iam_span iam_loc_span(const iam_source *src, const iam_loc *l);

/* Number of UTF-8 continuation bytes (10xxxxxx) in p[0..n): bytes minus
 * this is the number of code points of valid UTF-8. Word at a time. */
size_t iam_utf8_continuations(const char *p, size_t n);
/* Bytes of line `line` (1-based) without its newline; NULL when out of range. */
const char *iam_source_line(iam_source *s, uint32_t line, size_t *len);

#endif
